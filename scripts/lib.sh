# Shared by scripts/setup, scripts/run, scripts/test and scripts/build-site (source it, don't run it).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

TRUNK_VERSION=0.21.14
WASM_TARGET=wasm32-unknown-unknown
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

# cargo-installed tools, then the npm-pinned wasm-opt (binaryen), come first on PATH.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$REPO_ROOT/node_modules/.bin:$PATH"
# Nothing may reach the network after setup: Trunk must neither check for updates nor fetch tools
# (web/Trunk.toml also says offline = true), and npm must never fetch a browser.
export TRUNK_SKIP_VERSION_CHECK=true
export TRUNK_OFFLINE=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

header() { printf '\n==> %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version Cargo.lock resolved (wasm-bindgen-cli must be exactly this).
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/^version = "|"$/, ""); print; exit }' \
    "$REPO_ROOT/Cargo.lock"
}

# A value from web/Trunk.toml's [tools] table, e.g. `trunk_tool wasm_opt` -> version_132.
trunk_tool() {
  awk -v key="$1" '
    /^\[/ { in_tools = ($0 == "[tools]") }
    in_tools && $1 == key { gsub(/^[^=]*= *"|".*$/, ""); print; exit }' "$REPO_ROOT/web/Trunk.toml"
}

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

# Release builds of the page and the engine worker use a pinned nightly Rust that rebuilds the
# standard library with panics that abort at once (issue 7, PERFORMANCE.md): no panic messages,
# source locations or the formatting they need in the download, about 23 KB of the page's
# gzipped first load. Every other build (native tests, the CLI, dev pages) uses stable Rust.
SIZE_TOOLCHAIN=nightly-2026-05-20
SIZE_BUILD_STD=std,panic_abort
SIZE_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"

# with_size_toolchain COMMAND...: runs COMMAND (a release `trunk build`/`serve`) so that its cargo
# builds the wasm with the size toolchain and flags above. The host part (build scripts, macros)
# is built by the same toolchain without the flags.
with_size_toolchain() {
  RUSTUP_TOOLCHAIN="$SIZE_TOOLCHAIN" CARGO_UNSTABLE_BUILD_STD="$SIZE_BUILD_STD" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$SIZE_RUSTFLAGS" "$@"
}

# build_release_page [ARGS...]: `trunk build --release` in web/ (into web/dist unless ARGS say).
build_release_page() {
  (cd "$REPO_ROOT/web" && with_size_toolchain trunk build --release "$@")
}

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

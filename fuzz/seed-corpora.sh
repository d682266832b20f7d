#!/usr/bin/env bash
# Recreates fuzz/corpus/<target>/ from the engine's test fixtures (the corpus folders are not
# committed). Seeds: the oracle expectations' inputs (policy and transport tables, main.cf
# settings, MX/address/TLSA records, certificates, whole scenarios), the pasted-input fixtures
# and the seed certificates. Needs jq and base64. Usage: fuzz/seed-corpora.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../engine/tests/fixtures"
corpus="$here/corpus"
command -v jq >/dev/null || { echo "seed-corpora.sh needs jq" >&2; exit 1; }

targets=(policy_table main_cf transport mx addresses tlsa pem_chain policy_entry explain log permalink)
for t in "${targets[@]}"; do
    mkdir -p "$corpus/$t"
done

# seed TARGET < content: stores one seed under its content hash (duplicates collapse).
seed() {
    local tmp
    tmp="$(mktemp "$corpus/$1/.new.XXXXXX")"
    cat >"$tmp"
    if [ -s "$tmp" ]; then
        mv "$tmp" "$corpus/$1/$(sha1sum <"$tmp" | cut -c1-40)"
    else
        rm -f "$tmp"
    fi
}

# The PEM blocks of a file, each decoded to DER (the parser reads binary input too).
der_of() {
    awk '/-----BEGIN/{n++; next} /-----END/{next} {print > (dir "/b64." n)}' dir="$1" "$2"
}

# --- Pasted-input fixtures -----------------------------------------------------------------
seed policy_table <"$fixtures/inputs/tls_policy"
seed main_cf <"$fixtures/inputs/main.cf"
seed main_cf <"$fixtures/inputs/master.cf"
seed main_cf <"$fixtures/inputs/postconf-d-grep.txt"
seed mx <"$fixtures/inputs/dig-mx.txt"
seed mx <"$fixtures/inputs/host-mx.txt"
seed addresses <"$fixtures/inputs/dig-mx.txt"
seed addresses <"$fixtures/inputs/host-mx.txt"
for f in "$fixtures"/seed/*.pem "$fixtures"/certs/*.pem "$fixtures"/oracle/*.pem "$fixtures"/oracle-dane/*.pem; do
    seed pem_chain <"$f"
    work="$(mktemp -d)"
    der_of "$work" "$f"
    for b in "$work"/b64.*; do
        [ -e "$b" ] && base64 -d <"$b" 2>/dev/null | seed pem_chain
    done
    rm -rf "$work"
done
# Policy values of the fixture table.
grep -v '^#' "$fixtures/inputs/tls_policy" | sed -n 's/^[^ \t]*[ \t]*//p' | while IFS= read -r v; do
    printf '%s' "$v" | seed policy_entry
done
# Log excerpts: the pasted-log seeds, and each oracle case's raw log lines.
if [ -d "$fixtures/logs" ]; then
    find "$fixtures/logs" -type f -name '*.txt' | while IFS= read -r f; do seed log <"$f"; done
    find "$fixtures/logs" -type f -name '*.jsonl' -exec cat {} + | jq -r '.raw // empty | @base64' | sort -u |
        while read -r data; do printf '%s' "$data" | base64 -d | seed log; done
fi

# --- Oracle expectations --------------------------------------------------------------------
# One line per seed: "TARGET BASE64". RS (U+001E) separates the explain fields, GS (U+001D)
# the certificate panes and trust anchor files (layout in fuzz/src/lib.rs).
ca="$(cat "$fixtures/oracle/ca.pem")"
untrusted="$(cat "$fixtures/oracle/untrusted-ca.pem")"
cat "$fixtures"/oracle/*/expectations.jsonl "$fixtures"/oracle-dane/*/expectations.jsonl |
jq -n -r --arg ca "$ca" --arg untrusted "$untrusted" '
  def rs: "\u001e";
  def gs: "\u001d";
  def addr($v): if ($v | type) == "array" then $v[] else $v end;
  def seeds: .input as $i
  | (($i.main_cf // {}) | to_entries | map("\(.key) = \(.value)\n") | join("")) as $settings
  | ("smtp_tls_security_level = may\nsmtp_tls_loglevel = routine,certmatch\nsmtp_tls_policy_maps = texthash:<policy_file>\n"
     + (if $i.ca then "smtp_tls_CAfile = <ca.pem>\n" else "" end)
     + (if $i.tlsa then "smtp_dns_support_level = dnssec\nsmtp_host_lookup = dns\n" else "" end)
     + $settings) as $main
  | ([($i.mx // {}) | to_entries[] | .key as $d | .value[] | "\($d). 300 IN MX \(.pref) \(.host).\n"] | join("")) as $mx
  | ([($i.a // {}) | to_entries[] | .key as $h | addr(.value) | "\($h). 300 IN A \(.)\n"] | join("")) as $a
  | ([($i.tlsa // {}) | to_entries[] | .key as $o | .value[] | "\($o). 300 IN TLSA \(.)\n"] | join("")) as $tlsa
  | (($i.chain_pem // $i.cert_pem // "")) as $chain
  | ((if $i.ca == "untrusted-ca.pem" then $untrusted elif $i.ca then $ca else "" end) + (($i.ca_extra_pem // []) | join(""))) as $bundle
  | ([gs + "\n" + $chain] + [($i.host_certs // {}) | to_entries[] | gs + .key + "\n" + (.value.chain_pem // .value.cert_pem // "")] | join("")) as $panes
  | ([gs + "<ca.pem>\n" + $ca] + [($i.intermediates_pem // {}) | to_entries[] | gs + "<\(.key).pem>\n" + .value] | join("")) as $files
  | (if .mode == "finger"
       then "finger=\($i.level) " + ([($i.match // [])[] | "m=\(.)"] + [($i.args // [])[] | "a=\(.)"] | join(" "))
       else "smtp" end) as $probe
  | ("\(.postfix_version) \(if $i.ca then "bundle" else "untrusted" end) \($probe) at=\(.observed_at)") as $control
  | ($i.recipient // $i.destination // "") as $dest
  | (
      ["explain", ([$control, $main, ($i.policy_table // ""), ($i.transport_table // ""), $dest, $mx, $a, $tlsa, $bundle, $panes, $files, (($i.insecure_zones // []) | join("\n")), "", "", "<policy_file>"] | join(rs))],
      ["main_cf", $main],
      ["mx", $mx],
      ["addresses", $a],
      ["tlsa", $tlsa],
      ["pem_chain", $chain],
      (if $i.policy_table then ["policy_table", $i.policy_table] else empty end),
      (if $i.policy_table then ($i.policy_table | split("\n")[] | select(test("^[^#\\s]")) | sub("^\\S+\\s+"; "") | ["policy_entry", .]) else empty end),
      ["transport", "\($dest)\n\($i.main_cf.relayhost // "")\n\($i.transport_table // "")"],
      ["permalink", ({peername: 1, scenario: {postfix_version: .postfix_version, destination: $dest, main_cf: $main, policy_table: ($i.policy_table // ""), mx: $mx, addresses: $a, certificates: [{host: "", pem: $chain}]}} | tojson)]
    )
  | select(.[1] != "");
  [inputs | seeds] | unique | .[] | "\(.[0]) \(.[1] | @base64)"
' | while read -r target data; do
    printf '%s' "$data" | base64 -d | seed "$target"
    if [ "$target" = permalink ]; then
        # The same payload as a link fragment (base64url, uncompressed).
        printf 'embed&lang=de&s=%s' "$(printf '%s' "$data" | base64 -d | base64 -w0 | tr '+/' '-_' | tr -d '=')" | seed permalink
    fi
done

# The question that started peername (engine/tests/seed.rs), as a whole scenario.
printf '3.7.11 trusted smtp at=2026-11-23T00:00:00Z\036smtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_CApath = /etc/postfix/rootcas/\nsmtp_tls_loglevel = 2\n\036facebook.com    secure ciphers=high\nhearst.com      secure match=gslb.pphosted.com ciphers=high\nfastmail.fm     secure ciphers=high\n\036\036user@fastmail.fm\036%s\036\036\036\036\035\n%s' \
    "$(cat "$fixtures/inputs/host-mx.txt")" "$(cat "$fixtures/seed/fastmail-replica.pem")" | seed explain

for t in "${targets[@]}"; do
    printf '%-13s %5d seeds\n' "$t" "$(find "$corpus/$t" -type f | wc -l)"
done

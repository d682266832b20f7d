//! Every diagnostic the engine can give has words in the catalogue (issue 9): the engine returns
//! codes and params, the page and the CLI turn them into words, and the engine's English is only
//! a fallback.
//!
//! Two checks, each listing what is missing when it fails:
//!
//! 1. every diagnostic code written in `engine/src` has a `diag.<code>` key in `en.txt` (or one
//!    `diag.<code>.<variant>` key per message shape);
//! 2. the engine, run over a broad set of malformed and hostile inputs, gives diagnostics whose
//!    catalogue text (and hint) fills from their params ([`Diagnostic::words`]), so no
//!    diagnostic falls back to English for a missing key or param.

use peername_engine::cert::pem::parse_certificates;
use peername_engine::diag::{Diagnostic, Source};
use peername_engine::input::{addresses::parse_addresses, maincf::parse_main_cf, mx::parse_mx, table::parse_table, tlsa::parse_tlsa};
use peername_engine::lint::{lint, LintOptions};
use peername_engine::scenario::{CaTrust, Probe, Scenario, ServedChain, ServerSetting};
use peername_engine::version::PostfixVersion;
use peername_i18n::{lookup, tf_opt, Lang};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).into_owned()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The inputs' code prefixes: a string literal `"<prefix>.<kebab-case>"` in the engine's
/// non-test code is a diagnostic code (the trace's rule codes live in `trace.rs`, skipped).
const PREFIXES: &[&str] = &["addresses", "cert", "destination", "limits", "lint", "log", "maincf", "mx", "policy", "scenario", "table", "tlsa"];

/// Readers whose codes are `{prefix}.{what}` (`Sink::new(prefix, …)`, `code(self.prefix, …)`).
const SINK_PREFIXES: &[&str] = &["addresses", "maincf", "mx", "table"];
const ADDRESS_READER_PREFIXES: &[&str] = &["addresses", "mx"];

fn is_code(literal: &str) -> bool {
    let Some((prefix, rest)) = literal.split_once('.') else { return false };
    PREFIXES.contains(&prefix)
        && !rest.is_empty()
        && rest.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The string literals of Rust source `code` (a small lexer: comments, char literals, lifetimes,
/// escapes and raw strings are stepped over so that a quote inside them does not count).
fn literals(code: &str) -> Vec<String> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' => {
                // 'x' or '\x…' is a char literal; anything else ('a, 'static) a lifetime.
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let width = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                    i += if b.get(i + 1 + width) == Some(&b'\'') { 2 + width } else { 1 };
                }
            }
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) => {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let start = i + 2 + hashes;
                let close = format!("\"{}", "#".repeat(hashes));
                let end = code[start..].find(&close).map_or(b.len(), |e| start + e);
                out.push(code[start..end].to_string());
                i = end + close.len();
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                out.push(code[start..i.min(b.len())].to_string());
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Every diagnostic code written in `engine/src`.
fn engine_codes() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&root().join("engine/src"), &mut files);
    let mut codes = BTreeSet::new();
    for file in files {
        if file.ends_with("trace.rs") {
            continue;
        }
        let text = read(&file);
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        codes.extend(literals(code).into_iter().filter(|l| is_code(l)));
        // `code(self.prefix, "what")` in the address reader.
        for piece in code.split("code(self.prefix, \"").skip(1) {
            let what = piece.split('"').next().unwrap_or_default();
            codes.extend(ADDRESS_READER_PREFIXES.iter().map(|p| format!("{p}.{what}")));
        }
    }
    codes.extend(SINK_PREFIXES.iter().map(|p| format!("{p}.too-many-diagnostics")));
    codes
}

#[test]
fn every_code_in_the_engine_has_a_catalogue_key() {
    let codes = engine_codes();
    assert!(codes.len() > 80, "the scan found only {} codes: {codes:?}", codes.len());
    let keys: Vec<&str> = peername_i18n::entries(Lang::En).iter().map(|(k, _)| *k).collect();
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| {
            let key = format!("diag.{code}");
            let variant = format!("{key}.");
            !keys.iter().any(|k| *k == key || (k.starts_with(&variant) && !k.ends_with(".hint")))
        })
        .collect();
    eprintln!("{} diagnostic codes in engine/src", codes.len());
    assert!(missing.is_empty(), "{} of {} codes have no diag.<code> key in en.txt:\n{}", missing.len(), codes.len(), join(&missing));
}

fn join(items: &[impl std::fmt::Display]) -> String {
    items.iter().map(|i| format!("  {i}")).collect::<Vec<_>>().join("\n")
}

// ---------------------------------------------------------------------------------------------
// Inputs that provoke diagnostics.

const PEM: &str = include_str!("../../engine/tests/fixtures/seed/fastmail-replica.pem");

fn scenario() -> Scenario {
    Scenario {
        evaluated_at: Some("2026-11-23T00:00:00Z".into()),
        destination: "user@fastmail.fm".into(),
        main_cf: "smtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_CApath = /etc/ssl/certs\n".into(),
        policy_table: "fastmail.fm secure\n".into(),
        mx: "fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.\n".into(),
        certificates: vec![ServedChain { host: String::new(), pem: PEM.into() }],
        ..Scenario::default()
    }
}

const MAIN_CF: &[&str] = &[
    "\u{feff}smtp_tls_security_level = may\n",
    "  orphan = 1\nsmtp_tls_loglevel = 1\n",
    "smtp_tls_loglevel = 1\x00junk\n",
    "smtp      unix  -       -       n       -       -       smtp\n  -o smtp_tls_security_level=encrypt\n  -o broken\n",
    "  -o smtp_tls_security_level=secure\n",
    "submission/inet/smtpd_tls_security_level = encrypt\n",
    "$ postconf -n\npostconf: warning: /etc/postfix/main.cf: unused parameter: x=y\n",
    "= value\njust_a_name\n",
    "smtp_tls_policy_maps = hash:/etc/postfix/tls\u{200b}_policy\n",
    "smtp_tls_security_level = may # comment\n",
    "smtp.tls_loglevel = 1\nsmtp_tls_loglevel = 1\nsmtp_tls_loglevel = 2\n",
    "myhostname = mx.example.com\n",
];

const TABLES: &[&str] = &[
    "\u{feff}example.com secure\n",
    "example.com secure\r\nexample.org\rsecure\n",
    "  orphan secure\n",
    "example.com secure\nexample.com verify\n",
    "\"example.com secure\n",
    "example.com\n",
    "example.com: secure\n",
    "exa\u{200b}mple.com secure match=host\u{200b}name\n",
    "example.com secure # comment\n",
    "example.com sec\x00ure\n",
    "",
    ".example.com secure\nexample.net. secure\n",
    "example.com\nexample.org none ciphers=high\nexample.net bogus\nexample.info secure foo=bar\nexample.edu secure protocols=!SSLv2,!SSLv3\n",
    "a.example may match=x\nb.example secure tafile=\nc.example secure ciphers=high ciphers=low\nd.example secure servername=bad..name\n",
    "e.example secure connection_reuse=maybe\nf.example secure policy_type=sts policy_ttl=x\ng.example secure policy_type=unknown\nh.example secure policy_ttl=1\n",
    "i.example secure {match = x}\nj.example secure match\nk.example encrypt tafile=/etc/ta.pem\nl.example secure tafile=/nonexistent.pem\n",
    "m.example secure match=.\nn.example secure match=name.\no.example secure match=*.example.com\np.example secure match=a*b\n",
    "q.example fingerprint match=AA:BB\nr.example fingerprint match=zz\ns.example secure servername=hostname\n",
    "t.example secure enable_rpk=yes\nu.example secure policy_domain=-bad-\n",
];

const MX: &[&str] = &[
    "$ host -t MX example.com\nexample.com mail is handled by 10 mx.example.com.\n",
    "$ dig MX example.com\n;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 1\n;; QUESTION SECTION:\n;nope.example.\t\tIN\tMX\n\n",
    ";; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 1\n;; QUESTION SECTION:\n;broken.example.\t\tIN\tMX\n\n",
    ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n;; QUESTION SECTION:\n;bare.example.\t\tIN\tMX\n\n",
    ";; connection timed out; no servers could be reached\n",
    "example.com. 300 IN MX 0 .\n",
    "0 .\n",
    "example.com. 300 IN MX 10 192.0.2.1\n",
    "example.com. 300 IN MX x mx.example.com.\n",
    "example.com. 300 IN MX 10\n",
    "example.com. 300 IN MX 10 [mx.example.com]\nexample.com. 300 IN MX 10 mx.example.com:25\nexample.com. 300 IN MX 10 mx.exämple.com\nexample.com. 300 IN MX 10 mx..example.com\n",
    "10 mx1.example.com, 20\n",
    "mx1.example.com nothost\n",
    "mx.example.com. 300 IN A 2001:db8::1\nmx.example.com. 300 IN AAAA 192.0.2.1\nmx.example.com. 300 IN A not-an-ip\nbad..host. 300 IN A 192.0.2.1\n",
    "Host nope.example not found: 3(NXDOMAIN)\n",
    "hello world this is not mx\n",
];

const ADDRESSES: &[&str] = &[
    "$ host mx.example.com\nmx.example.com has address 192.0.2.1\n",
    "192.0.2.1\n",
    "mx.example.com nothing\n",
    "mx.example.com 192.0.2.1 not-an-ip 999.1.1.1\n",
    "bad..host 192.0.2.1\n-bad 192.0.2.2\nmx.ex\u{e4}mple.com 192.0.2.3\n",
    "mx.example.com. 300 IN A 2001:db8::1\nmx.example.com. 300 IN A 192.0.2.1 192.0.2.2\n",
    "Address: 192.0.2.1\n",
    "Host nope.example not found: 3(NXDOMAIN)\n",
];

const TLSA: &[&str] = &[
    "3 1 1 abc\n",
    "3 1\n",
    "3\n",
    "\n3 x 1 ab\n",
    "3 1 1\n",
    "3 1 1 zz\n",
    "hello world\n",
    "_25._tcp.m\u{200b}x.example.com. 300 IN TLSA 3 1 1 abcd\n",
    "300 1 1 ab\n",
    "3 1 300 ab\n",
];

fn certificate_inputs() -> Vec<Vec<u8>> {
    let der_junk: Vec<u8> = vec![0x30, 0x03, 0x02, 0x01, 0x01, 0xff, 0xfe, 0x00, 0x01];
    let block = |body: &str| format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
    let mut too_many_problems = String::new();
    for _ in 0..120 {
        too_many_problems.push_str("-----BEGIN CERTIFICATE-----\n>MIIB\n-----END CERTIFICATE-----\n");
    }
    let mut too_many = String::new();
    for _ in 0..=peername_engine::cert::pem::MAX_CERTIFICATES {
        too_many.push_str(PEM);
    }
    let base64_not_cert = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=\n".repeat(2);
    // Certificates OpenSSL rejects for their names (recorded with OpenSSL 3), as DER.
    let names: serde_json::Value = serde_json::from_str(&read(&root().join("engine/tests/fixtures/certs/openssl_names.json"))).expect("openssl_names.json parses");
    let hex = |h: &str| -> Vec<u8> { (0..h.len() / 2).filter_map(|i| u8::from_str_radix(h.get(2 * i..2 * i + 2)?, 16).ok()).collect() };
    let rejected = names["names"].as_array().into_iter().flatten().filter(|n| n["openssl_rejects"].as_bool() == Some(true));
    let mut inputs: Vec<Vec<u8>> = rejected.map(|n| hex(n["der_hex"].as_str().unwrap_or(""))).collect();
    inputs.extend([
        block("MIIB").into_bytes(),
        b"hello, this is not a certificate\n".to_vec(),
        block(">MIIB").into_bytes(),
        block("MII\u{1}B").into_bytes(),
        block("").into_bytes(),
        block("AAAA").into_bytes(),
        b"-----BEGIN CERTIFICATE-----\nMIIB\n".to_vec(),
        b"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n".to_vec(),
        b"-----BEGIN X509 CRL-----\nMIIB\n".to_vec(),
        b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".to_vec(),
        b"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n".to_vec(),
        der_junk,
        vec![0x00, 0x01, 0x02, 0xff, 0xfe],
        base64_not_cert.into_bytes(),
        too_many_problems.into_bytes(),
        too_many.into_bytes(),
        [PEM.as_bytes(), &[0x30, 0x82, 0x01]].concat(),
    ]);
    inputs
}

const LOGS: &[&str] = &[
    "hello\n",
    "Nov 23 04:07:48 mx postfix/smtp[1]: mystery message that no one knows\n",
    "Nov 23 04:07:48 mx postfix/smtp[1]: Trusted TLS connection established to\n",
    "Nov 23 04:07:48 mx postfix/smtp[1]: \u{1}\u{2}\u{3} binary\n",
    "Nov 23 04:07:48 mx kernel: not postfix at all\nrandom text\n",
    "Feb 25 21:57:22 mail postfix/smtp[25291]: Trusted TLS connection established to in1-smtp.messagingeng\nFeb 25 21:57:22 mail postfix/smtp[25291]: server certificate verification failed for in1-smtp.messagingengine.com[66.1",
    "postfix/master[1]: daemon started -- version 3.5.27, configuration /etc/postfix\npostfix/smtp[2]: mx.example.net[127.0.0.1]:25: matched peername: example.com\n",
];

fn lint_tables() -> Vec<String> {
    let mut tables: Vec<String> = TABLES.iter().map(|t| t.to_string()).collect();
    let dir = root().join("cli/tests/fixtures/lint");
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        tables.push(read(&entry.path()));
    }
    tables.push(read(&root().join("engine/tests/fixtures/inputs/tls_policy")));
    tables
}

fn log_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            log_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "jsonl" || e == "log" || e == "txt") {
            out.push(path);
        }
    }
}

/// Scenarios whose explanation (with the limits) gives many diagnostics.
fn scenarios() -> Vec<Scenario> {
    let mut out = Vec::new();
    let inputs = root().join("engine/tests/fixtures/inputs");
    out.push(Scenario {
        main_cf: read(&inputs.join("main.cf")),
        policy_table: read(&inputs.join("tls_policy")),
        mx: read(&inputs.join("dig-mx.txt")),
        ..scenario()
    });
    out.push(Scenario { mx: read(&inputs.join("host-mx.txt")), main_cf: read(&inputs.join("master.cf")), ..scenario() });
    out.push(Scenario { postfix_version: "banana".into(), evaluated_at: Some("yesterday".into()), ..scenario() });
    out.push(Scenario { postfix_version: "1.1.0".into(), ..scenario() });
    out.push(Scenario { destination: String::new(), ..scenario() });
    out.push(Scenario { destination: "user@exa\u{200b}mple.com".into(), ..scenario() });
    out.push(Scenario { main_cf: "smtp_tls_security_level = may\n".into(), ..scenario() });
    out.push(Scenario { main_cf: "smtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n".into(), ..scenario() });
    out.push(Scenario { ca_trust: CaTrust::Bundle, ca_bundle: "-----BEGIN CERTIFICATE-----\n>\n-----END CERTIFICATE-----\n".into(), ..scenario() });
    out.push(Scenario {
        trust_anchor_files: BTreeMap::from([("/etc/ta.pem".to_string(), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n".to_string())]),
        ..scenario()
    });
    out.push(Scenario {
        insecure_names: vec!["mx\u{202e}.example".into()],
        servers: vec![ServerSetting { host: "mx\u{200b}.example".into(), ..Default::default() }],
        certificates: vec![ServedChain { host: "h\u{200b}".into(), pem: PEM.into() }],
        ..scenario()
    });
    // Every field over its bound.
    use peername_engine::limits::*;
    let long = |n: usize| "x".repeat(n + 1);
    let lines = |n: usize, line: &str| line.repeat(n / line.len() + 2);
    out.push(Scenario {
        postfix_version: long(SHORT_FIELD_MAX),
        evaluated_at: Some(long(SHORT_FIELD_MAX)),
        main_cf: lines(MAIN_CF_MAX, "smtp_tls_loglevel = 1\n"),
        policy_table: lines(POLICY_TABLE_MAX, "example.com secure\n"),
        transport_table: lines(TRANSPORT_TABLE_MAX, "example.com smtp:\n"),
        destination: long(DESTINATION_MAX),
        mx: lines(MX_MAX, "example.com. 300 IN MX 10 mx.example.com.\n"),
        addresses: lines(ADDRESSES_MAX, "mx.example.com 192.0.2.1\n"),
        tlsa: lines(TLSA_MAX, "3 1 1 abcd\n"),
        insecure_names: vec![long(SHORT_FIELD_MAX); INSECURE_NAMES_MAX + 1],
        certificates: vec![ServedChain { host: long(SHORT_FIELD_MAX), pem: lines(CERTIFICATE_PEM_MAX, PEM) }; CERTIFICATE_INPUTS_MAX + 1],
        ca_bundle: lines(CA_BUNDLE_MAX, PEM),
        trust_anchor_files: (0..TRUST_ANCHOR_FILES_MAX + 1).map(|i| (format!("/ta{i}{}", long(if i == 0 { SHORT_FIELD_MAX } else { 0 })), lines(TRUST_ANCHOR_FILE_MAX, PEM))).collect(),
        servers: vec![ServerSetting { host: long(SHORT_FIELD_MAX), ..Default::default() }; SERVERS_MAX + 1],
        server_reply: long(SHORT_FIELD_MAX),
        policy_file: long(SHORT_FIELD_MAX),
        ..scenario()
    });
    out.push(Scenario {
        probe: Probe::Finger { level: long(SHORT_FIELD_MAX), matches: vec![long(SHORT_FIELD_MAX); FINGER_WORDS_MAX + 1], args: vec![long(SHORT_FIELD_MAX); FINGER_WORDS_MAX + 1] },
        ..scenario()
    });
    out.push(Scenario {
        mx: (0..MX_RECORDS_MAX + 5).map(|i| format!("example.com. 300 IN MX 10 mx{i}.example.com.\n")).collect(),
        addresses: (0..ADDRESS_RECORDS_MAX + 5).map(|i| format!("h{i}.example 192.0.2.{}\n", i % 250)).collect(),
        tlsa: "3 1 1 abcd\n".repeat(TLSA_RECORDS_MAX + 5),
        ..scenario()
    });
    out
}

/// Every diagnostic the inputs above provoke.
fn provoked() -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for text in MAIN_CF {
        out.extend(parse_main_cf(text).diagnostics);
    }
    out.extend(parse_main_cf(&"= x\n".repeat(peername_engine::input::diagnostics::DIAGNOSTIC_LIMIT + 2)).diagnostics);
    for text in TABLES {
        out.extend(parse_table(text, Source::PolicyTable).diagnostics);
    }
    out.extend(parse_table(&"example.com\n".repeat(peername_engine::input::diagnostics::DIAGNOSTIC_LIMIT + 2), Source::PolicyTable).diagnostics);
    for text in MX {
        out.extend(parse_mx(text).diagnostics);
    }
    out.extend(parse_mx(&"x y z\n".repeat(peername_engine::input::diagnostics::DIAGNOSTIC_LIMIT + 2)).diagnostics);
    let limit = peername_engine::input::mx::MX_LIMIT + 1;
    out.extend(parse_mx(&(0..limit).map(|i| format!("example.com. 300 IN MX 10 mx{i}.example.com.\nmx{i}.example.com. 300 IN A 192.0.2.1\n")).collect::<String>()).diagnostics);
    for text in ADDRESSES {
        out.extend(parse_addresses(text).diagnostics);
    }
    out.extend(parse_addresses(&"192.0.2.1\n".repeat(peername_engine::input::diagnostics::DIAGNOSTIC_LIMIT + 2)).diagnostics);
    let limit = peername_engine::input::addresses::ADDRESS_LIMIT + 1;
    out.extend(parse_addresses(&(0..limit).map(|i| format!("h{i}.example 192.0.2.1\n")).collect::<String>()).diagnostics);
    for text in TLSA {
        out.extend(parse_tlsa(text).diagnostics);
    }
    for bytes in certificate_inputs() {
        out.extend(parse_certificates(&bytes, Source::Certificates(0)).diagnostics);
    }
    for version in ["2.11.0", "3.3.0", "3.7.11", "3.11.6", "3.12.0"] {
        for texthash in [false, true] {
            let opts = LintOptions { version: PostfixVersion::parse(version).expect("a version"), texthash };
            for table in lint_tables() {
                lint(table.as_bytes(), &opts, |d| out.push(d));
            }
            lint(&b"example.com \xff secure\nexample.org { }\n"[..], &opts, |d| out.push(d));
            lint(std::io::BufReader::new(Failing(b"example.com secure\n")), &opts, |d| out.push(d));
        }
    }
    for text in LOGS {
        out.extend(peername_engine::logread::read_log(text).diagnostics);
    }
    out.extend(peername_engine::logread::read_log(&"hello\n".repeat(300)).diagnostics);
    let mut logs = Vec::new();
    log_files(&root().join("engine/tests/fixtures/logs"), &mut logs);
    for path in logs {
        let text = read(&path);
        // The recorded cases hold their log in a JSON line's "raw" field.
        let texts: Vec<String> = if path.extension().is_some_and(|e| e == "jsonl") {
            text.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?.get("raw")?.as_str().map(str::to_string)).collect()
        } else {
            vec![text]
        };
        for text in texts {
            out.extend(peername_engine::logread::read_log(&text).diagnostics);
        }
    }
    let mixed = "Nov 23 04:07:48 mx postfix/smtp[1]: warning: /etc/postfix/tls_policy: unknown attribute x\n";
    out.extend(peername_engine::logread::read_log(mixed).diagnostics);
    let log_cut = "Nov 23 04:07:48 mx postfix/smtp[1]: x\n".repeat(peername_engine::limits::LOG_MAX / 30);
    out.extend(peername_engine::limits::cut_text(&log_cut, peername_engine::limits::LOG_MAX, peername_engine::limits::Cut::Lines, "log", "The log", Source::Log).1);
    for s in scenarios() {
        out.extend(peername_engine::explain::explain_without_fixes(&s).diagnostics);
    }
    let mut dns_heavy = scenario();
    let mut dns = peername_engine::dns::Dns::default();
    for i in 0..peername_engine::limits::DNS_RECORDS_MAX + 5 {
        dns.addresses.insert(format!("h{i}.example"), vec![format!("192.0.2.{}", i % 250)]);
    }
    dns_heavy.dns = Some(dns);
    out.extend(peername_engine::limits::enforce(&dns_heavy).1);
    out
}

/// A reader that fails after its bytes (`table.read-error`).
struct Failing(&'static [u8]);

impl std::io::Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0.is_empty() {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// The catalogue's English for `key`, filled from `d`'s params.
fn english(d: &Diagnostic, key: &str) -> Option<String> {
    d.words(key, |k, args| tf_opt(Lang::En, k, args))
}

#[test]
fn every_provoked_diagnostic_fills_its_catalogue_text() {
    let diagnostics = provoked();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for d in &diagnostics {
        *seen.entry(d.code.clone()).or_default() += 1;
        let key = d.message_key();
        if english(d, &key).is_none() {
            missing.insert(describe(d, &key));
        }
        if d.hint.is_some() && english(d, &d.hint_key()).is_none() {
            missing.insert(describe(d, &d.hint_key()));
        }
    }
    let never: Vec<String> = engine_codes().into_iter().filter(|c| !seen.contains_key(c)).collect();
    eprintln!("{} diagnostics of {} codes provoked; codes never provoked here: {never:?}", diagnostics.len(), seen.len());
    assert!(seen.len() >= 80, "only {} codes were provoked: {:?}", seen.len(), seen.keys().collect::<Vec<_>>());
    assert!(missing.is_empty(), "{} catalogue texts are missing or lack a param:\n{}", missing.len(), join(&missing.into_iter().collect::<Vec<_>>()));
}

/// `key` (what the catalogue has for it) and the diagnostic's params.
fn describe(d: &Diagnostic, key: &str) -> String {
    let text = lookup(Lang::En, key).unwrap_or("(no such key)");
    format!("{key} = {text}    params {:?}    engine: {}", d.params, d.message)
}

/// The English catalogue text reads like the engine's English message (same words once case,
/// quotes and a final full stop are set aside): the fallback and the catalogue say one thing.
#[test]
fn catalogue_english_matches_the_engine_english() {
    let normal = |s: &str| s.trim_end_matches('.').to_lowercase();
    let mut differ = BTreeSet::new();
    for d in provoked() {
        let Some(text) = english(&d, &d.message_key()) else { continue };
        if normal(&text) != normal(&d.message) {
            differ.insert(format!("{}\n    catalogue: {text}\n    engine:    {}", d.message_key(), d.message));
        }
    }
    let allowed = ALLOWED_DIFFERENCES;
    let unexpected: Vec<&String> = differ.iter().filter(|d| !allowed.iter().any(|k| d.starts_with(&format!("{k}\n")))).collect();
    assert!(unexpected.is_empty(), "{} catalogue texts differ from the engine's English:\n{}", unexpected.len(), join(&unexpected));
}

/// Message keys whose English deliberately differs from the engine's (which the catalogue
/// improves on, e.g. by naming a field the engine's text leaves to its position).
const ALLOWED_DIFFERENCES: &[&str] = &["diag.scenario.suspicious-character"];

/// For whoever extends the inputs above: lists the `diag.*` keys no provoked diagnostic uses
/// (`cargo test -p peername-web --test diagnostic_words -- --ignored --nocapture`).
#[test]
#[ignore]
fn list_diag_keys_no_input_reaches() {
    let inv = engine_codes();
    let mut keys = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for d in provoked() {
        codes.insert(d.code.clone());
        keys.insert(d.message_key());
        if d.hint.is_some() {
            keys.insert(d.hint_key());
        }
        for (k, v) in &d.params {
            if let Some(b) = k.strip_suffix("_code") {
                keys.insert(format!("diag.{b}.{v}"));
            }
        }
    }
    eprintln!("provoked codes not in inventory: {:?}", codes.difference(&inv).collect::<Vec<_>>());
    let unused: Vec<&str> = peername_i18n::entries(Lang::En).iter().map(|(k, _)| *k).filter(|k| k.starts_with("diag.") && !keys.contains(*k)).collect();
    eprintln!("catalogue diag keys never used: {unused:#?}");
}

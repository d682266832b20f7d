//! Conformance of whole logs: for every recorded smtp(8) case, the lines the engine predicts
//! are the lines real Postfix wrote (3.5.27, 3.7.11, 3.11.6), in order.
//!
//! The raw logs (`tests/fixtures/logs/oracle`) are the oracle's maillogs, from which its
//! harness kept only smtp(8) lines matching its `KEEP` pattern (and the line after "input
//! attribute name: nexthop"). The same filter is applied to the prediction; what else is
//! normalised is listed in [`normalise`].

use peername_engine::explain::explain_without_fixes;
use peername_engine::logs::LogLevel;
use peername_engine::replay::{scenario_of, CaFiles};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The oracle harness's `KEEP` pattern (shared/oracle/run.py), without a regex engine.
fn kept_by_harness(line: &str) -> bool {
    const WORDS: [&str; 27] = [
        "maps_find", "TLS level", "warning", "error", "fatal", "panic", "TLS connection", "certificate", "peername",
        "subjectAltName", "CommonName", "Matched fingerprint", "status=", "dns_query", "smtp_addr", "nexthop",
        "connect to", "Server certificate", "subject_CN", "SSL_connect", "lost connection", "loops back", "policy",
        "TLS is required", "conversation", "depth=", "matched",
    ];
    let depth_matched = line.find("depth=").is_some_and(|at| {
        let rest = &line[at + 6..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with(" matched")
    });
    depth_matched || WORDS[..25].iter().any(|w| line.contains(w))
}

/// One line as compared: without the syslog program prefix and queue ID, with pids, delays
/// and the server's cipher details (which the engine does not predict) removed.
fn normalise(line: &str) -> String {
    let mut l = line;
    if l.starts_with("postfix/") {
        l = l.find("]: ").map_or(l, |at| &l[at + 3..]);
    }
    if l.len() > 13 && l.as_bytes()[11] == b':' && l[..11].bytes().all(|b| b.is_ascii_hexdigit()) {
        l = &l[13..];
    }
    let l = l.strip_prefix("QUEUEID: ").unwrap_or(l);
    let mut out = l.to_string();
    if let Some(at) = out.find(" key-exchange ") {
        out.truncate(at);
    }
    if let (Some(a), Some(b)) = (out.find(", delay="), out.find(", dsn=")) {
        let keep_tls = out[a..b].find(", tls=").map(|t| out[a + t..b].to_string()).unwrap_or_default();
        out = format!("{}{keep_tls}{}", &out[..a], &out[b..]);
    }
    if let (Some(a), Some(b)) = (out.find("texthash:<policy_file>("), out.find("): ")) {
        if b > a {
            out = format!("{}texthash:<policy_file>{}", &out[..a], &out[b + 1..]);
        }
    }
    if let Some(at) = out.find(" pid ") {
        let end = out[at + 5..].find(' ').map_or(out.len(), |e| at + 5 + e);
        out.replace_range(at + 5..end, "<pid>");
    }
    out.trim_end().to_string()
}

/// The smtp(8) lines of a recorded maillog, as compared.
fn observed(raw: &str) -> Vec<String> {
    raw.lines()
        .filter(|l| l.starts_with("postfix/smtp[") || l.starts_with("postfix/master["))
        .map(normalise)
        // Verbose protocol lines the harness keeps for their keywords ("nexthop",
        // "dns_query", "smtp_addr", "connect to") and the engine does not model.
        .filter(|l| !["dns_query", "smtp_addr", "connect to", "input attribute", "send attr", "smtp socket", "relay socket", "daemon started", "dict_open", "deliver_request_final"].iter().any(|p| l.starts_with(p)))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Cases whose recorded log shows a second queue run the harness made (not something a
/// single delivery attempt logs): compared up to the end of the first attempt.
const SECOND_QUEUE_RUN: [&str; 1] = ["srv-encrypt-no-starttls"];

fn check(version: &str) {
    let raw_logs: HashMap<(String, String), (String, String)> = read(&fixtures().join("logs/oracle").join(format!("{version}.jsonl")))
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .map(|v| {
            let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            ((get("corpus"), get("id")), (get("raw"), get("mode")))
        })
        .collect();
    let (mut checked, mut lines) = (0, 0);
    let mut failures = Vec::new();
    for corpus in ["oracle", "oracle-dane"] {
        let dir = fixtures().join(corpus);
        let cas = CaFiles { ca: read(&dir.join("ca.pem")), untrusted: read(&dir.join("untrusted-ca.pem")) };
        for line in read(&dir.join(version).join("expectations.jsonl")).lines().filter(|l| !l.trim().is_empty()) {
            let case: Value = serde_json::from_str(line).expect("JSON line");
            let id = case.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let Some((raw, mode)) = raw_logs.get(&(corpus.to_string(), id.clone())) else { continue };
            if mode != "policy" {
                continue;
            }
            let mut want = observed(raw);
            let report = explain_without_fixes(&scenario_of(&case, &cas));
            let got: Vec<String> = report
                .log
                .iter()
                .map(|l| match l.level {
                    LogLevel::Info => l.text.clone(),
                    level => format!("{}: {}", level.as_str(), l.text),
                })
                .filter(|l| kept_by_harness(l))
                .map(|l| normalise(&l))
                .collect();
            if SECOND_QUEUE_RUN.contains(&id.as_str()) && want.len() > got.len() {
                want.truncate(got.len());
            }
            checked += 1;
            lines += want.len();
            if want != got {
                failures.push(format!("{corpus} {id}\n  observed\n    {}\n  predicted\n    {}", want.join("\n    "), got.join("\n    ")));
            }
        }
    }
    assert!(checked > 150 && lines > 1000, "only {checked} logs ({lines} lines) compared for {version}");
    assert!(failures.is_empty(), "{} of {checked} smtp(8) logs differ from Postfix {version}:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn postfix_3_5_27_smtp_logs() {
    check("3.5.27");
}

#[test]
fn postfix_3_7_11_smtp_logs() {
    check("3.7.11");
}

#[test]
fn postfix_3_11_6_smtp_logs() {
    check("3.11.6");
}

//! Conformance of the `subject_CN=…, issuer…, fingerprint…` line: for every recorded case, the
//! line the engine predicts equals the one real Postfix logged (3.5.27, 3.7.11, 3.11.6).
//!
//! The verdict fields the main conformance test compares do not include this line; it is
//! what a reader of the log sees first, so it is checked against the raw logs
//! (`tests/fixtures/logs/oracle`, see its PROVENANCE.md) on its own.

use peername_engine::explain::explain_without_fixes;
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

/// The peer lines of a log, from `subject_CN=` on (the prefix and peer name vary by program).
fn peer_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    lines.filter_map(|l| l.find("subject_CN=").map(|at| l[at..].trim_end().to_string())).collect()
}

fn check(version: &str) {
    let raw_logs: HashMap<(String, String), String> = read(&fixtures().join("logs/oracle").join(format!("{version}.jsonl")))
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .map(|v| {
            let get = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            ((get("corpus"), get("id")), get("raw"))
        })
        .collect();
    let mut checked = 0;
    let mut failures = Vec::new();
    for corpus in ["oracle", "oracle-dane"] {
        let dir = fixtures().join(corpus);
        let cas = CaFiles { ca: read(&dir.join("ca.pem")), untrusted: read(&dir.join("untrusted-ca.pem")) };
        for line in read(&dir.join(version).join("expectations.jsonl")).lines().filter(|l| !l.trim().is_empty()) {
            let case: Value = serde_json::from_str(line).expect("JSON line");
            let id = case.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let Some(raw) = raw_logs.get(&(corpus.to_string(), id.clone())) else { continue };
            let observed = peer_lines(raw.lines());
            let report = explain_without_fixes(&scenario_of(&case, &cas));
            let predicted = peer_lines(report.log.iter().map(|l| l.text.as_str()));
            checked += observed.len();
            if observed != predicted {
                failures.push(format!("{corpus} {id}\n  observed  {observed:?}\n  predicted {predicted:?}"));
            }
        }
    }
    assert!(checked > 300, "only {checked} peer lines checked for {version}");
    assert!(failures.is_empty(), "{} cases log a different peer line than Postfix {version}:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn postfix_3_5_27_peer_lines() {
    check("3.5.27");
}

#[test]
fn postfix_3_7_11_peer_lines() {
    check("3.7.11");
}

#[test]
fn postfix_3_11_6_peer_lines() {
    check("3.11.6");
}

//! Conformance of whole posttls-finger outputs: for every recorded finger case, the lines the
//! engine predicts are the lines real posttls-finger printed (3.5.27, 3.7.11, 3.11.6), in
//! order.
//!
//! The raw outputs (`tests/fixtures/logs/oracle`, mode "finger") are complete: the oracle ran
//! `posttls-finger -c -a ipv4 -t 5 -T 5 -l LEVEL [-F CA.pem] ...` with the default
//! `-L routine,certmatch`, so nothing was filtered. Only what the engine cannot know is
//! normalised away (see [`normalise`]).

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

/// One line as compared: the server's key-exchange and signature details after the cipher's
/// `(256/256 bits)` (they depend on the OpenSSL build, e.g. `X25519` vs `x25519`, `P-256` vs
/// `prime256v1`) are cut. Nothing else is changed: the program prefix, the TLS version and the
/// cipher itself are compared as printed.
fn normalise(line: &str) -> String {
    let mut out = line.to_string();
    if let Some(at) = out.find(" key-exchange ") {
        out.truncate(at);
    }
    out.trim_end().to_string()
}

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
            if mode != "finger" {
                continue;
            }
            let want: Vec<String> = raw.lines().map(normalise).filter(|l| !l.is_empty()).collect();
            let report = explain_without_fixes(&scenario_of(&case, &cas));
            let got: Vec<String> = report.log.iter().map(|l| normalise(&l.render())).collect();
            checked += 1;
            lines += want.len();
            if want != got {
                failures.push(format!("{corpus} {id}\n  observed\n    {}\n  predicted\n    {}", want.join("\n    "), got.join("\n    ")));
            }
        }
    }
    assert!(checked > 200 && lines > 500, "only {checked} outputs ({lines} lines) compared for {version}");
    assert!(failures.is_empty(), "{} of {checked} posttls-finger outputs differ from Postfix {version}:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn postfix_3_5_27_finger_output() {
    check("3.5.27");
}

#[test]
fn postfix_3_7_11_finger_output() {
    check("3.7.11");
}

#[test]
fn postfix_3_11_6_finger_output() {
    check("3.11.6");
}

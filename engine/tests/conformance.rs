//! Conformance: replays every case recorded from real Postfix (3.5.27, 3.7.11, 3.11.6, and
//! 3.4.29, 3.6.20, 3.8.20, 3.9.1, 3.9.14, 3.10.3, 3.10.4) from its inputs alone and compares the engine's
//! prediction with what Postfix logged, field by field.
//!
//! Fixtures: `tests/fixtures/oracle/`, `oracle-dane/`, and `oracle-extra/`, `oracle-extra2/`,
//! `oracle-dane-extra/`, `oracle-dane-extra2/`, `oracle-versions/` and `oracle-dane-versions/`
//! (cases recorded for peername with the same harnesses; see each PROVENANCE.md).

use peername_engine::replay::{replay, CaFiles};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures(corpus: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(corpus)
}

fn cas(corpus: &str) -> CaFiles {
    let dir = fixtures(corpus);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    CaFiles { ca: read("ca.pem"), untrusted: read("untrusted-ca.pem") }
}

/// Replays one version's expectations; returns (cases, failures as readable text).
fn run(corpus: &str, version: &str) -> (usize, Vec<String>) {
    let path = fixtures(corpus).join(version).join("expectations.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cas = cas(corpus);
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("expectation line is JSON");
        count += 1;
        let (_, diffs) = replay(&case, &cas);
        if !diffs.is_empty() {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("?");
            let detail: Vec<String> = diffs.iter().map(|d| format!("    {}: observed {} predicted {}", d.field, d.observed, d.predicted)).collect();
            failures.push(format!("{version} {id}\n{}", detail.join("\n")));
        }
    }
    (count, failures)
}

fn check(corpus: &str, version: &str) {
    let (count, failures) = run(corpus, version);
    assert!(count > 0, "no cases in {corpus}/{version}");
    assert!(failures.is_empty(), "{} of {count} {corpus} cases disagree with Postfix {version}:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn postfix_3_5_27_agrees() {
    check("oracle", "3.5.27");
}

#[test]
fn postfix_3_7_11_agrees() {
    check("oracle", "3.7.11");
}

#[test]
fn postfix_3_11_6_agrees() {
    check("oracle", "3.11.6");
}

#[test]
fn extra_random_cases_postfix_3_7_11_agree() {
    check("oracle-extra", "3.7.11");
}

#[test]
fn extra_random_cases_postfix_3_11_6_agree() {
    check("oracle-extra", "3.11.6");
}

#[test]
fn extra_random_cases_postfix_3_5_27_agree() {
    check("oracle-extra", "3.5.27");
}

#[test]
fn second_random_batch_postfix_3_7_11_agrees() {
    check("oracle-extra2", "3.7.11");
}

#[test]
fn second_random_batch_postfix_3_11_6_agrees() {
    check("oracle-extra2", "3.11.6");
}

#[test]
fn second_random_batch_postfix_3_5_27_agrees() {
    check("oracle-extra2", "3.5.27");
}

#[test]
fn extra_random_dane_cases_postfix_3_5_27_agree() {
    check("oracle-dane-extra", "3.5.27");
}

#[test]
fn extra_random_dane_cases_postfix_3_11_6_agree() {
    check("oracle-dane-extra", "3.11.6");
}

#[test]
fn extra_random_dane_cases_postfix_3_7_11_agree() {
    check("oracle-dane-extra", "3.7.11");
}

#[test]
fn second_random_dane_batch_postfix_3_5_27_agrees() {
    check("oracle-dane-extra2", "3.5.27");
}

#[test]
fn second_random_dane_batch_postfix_3_7_11_agrees() {
    check("oracle-dane-extra2", "3.7.11");
}

#[test]
fn second_random_dane_batch_postfix_3_11_6_agrees() {
    check("oracle-dane-extra2", "3.11.6");
}

#[test]
fn dane_postfix_3_5_27_agrees() {
    check("oracle-dane", "3.5.27");
}

#[test]
fn dane_postfix_3_7_11_agrees() {
    check("oracle-dane", "3.7.11");
}

#[test]
fn dane_postfix_3_11_6_agrees() {
    check("oracle-dane", "3.11.6");
}

// More Postfix releases (`oracle-versions/`, `oracle-dane-versions/`): the eras' edges and the
// releases between the three versions above, recorded with the same harnesses.

#[test]
fn postfix_3_4_29_agrees() {
    check("oracle-versions", "3.4.29");
}

#[test]
fn postfix_3_6_20_agrees() {
    check("oracle-versions", "3.6.20");
}

#[test]
fn postfix_3_8_20_agrees() {
    check("oracle-versions", "3.8.20");
}

#[test]
fn postfix_3_9_14_agrees() {
    check("oracle-versions", "3.9.14");
}

#[test]
fn postfix_3_10_3_agrees() {
    check("oracle-versions", "3.10.3");
}

#[test]
fn postfix_3_10_4_agrees() {
    check("oracle-versions", "3.10.4");
}

#[test]
fn dane_postfix_3_4_29_agrees() {
    check("oracle-dane-versions", "3.4.29");
}

#[test]
fn dane_postfix_3_6_20_agrees() {
    check("oracle-dane-versions", "3.6.20");
}

#[test]
fn dane_postfix_3_8_20_agrees() {
    check("oracle-dane-versions", "3.8.20");
}

#[test]
fn dane_postfix_3_9_1_agrees() {
    check("oracle-dane-versions", "3.9.1");
}

#[test]
fn dane_postfix_3_9_14_agrees() {
    check("oracle-dane-versions", "3.9.14");
}

#[test]
fn dane_postfix_3_10_3_agrees() {
    check("oracle-dane-versions", "3.10.3");
}

#[test]
fn dane_postfix_3_10_4_agrees() {
    check("oracle-dane-versions", "3.10.4");
}

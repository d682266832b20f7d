//! Cross-check over real Postfix logs: each oracle case is rebuilt from its inputs (as the
//! conformance test does), explained, and compared with the log real Postfix wrote for it.
//! The engine agrees with Postfix on every case, so every comparison must agree too; and a
//! scenario run with another era's version must be caught, with the era named.
//!
//! Fixtures: `tests/fixtures/logs/` and `tests/fixtures/oracle*/` (see their PROVENANCE.md).

use peername_engine::explain::explain_without_fixes;
use peername_engine::logread::read_log;
use peername_engine::replay::{scenario_of, CaFiles};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("JSON line")).collect()
}

fn cas(corpus: &str) -> CaFiles {
    let dir = fixtures().join(corpus);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    CaFiles { ca: read("ca.pem"), untrusted: read("untrusted-ca.pem") }
}

/// (corpus, id) → expectation line, for one version.
fn expectations(version: &str) -> HashMap<(String, String), Value> {
    let mut out = HashMap::new();
    for corpus in ["oracle", "oracle-dane"] {
        for case in jsonl(&fixtures().join(corpus).join(version).join("expectations.jsonl")) {
            let id = case["id"].as_str().unwrap_or("").to_string();
            out.insert((corpus.to_string(), id), case);
        }
    }
    out
}

fn check(version: &str) {
    let cases = expectations(version);
    let (oracle_cas, dane_cas) = (cas("oracle"), cas("oracle-dane"));
    let mut problems = Vec::new();
    let mut compared = 0;
    for rec in jsonl(&fixtures().join("logs/oracle").join(format!("{version}.jsonl"))) {
        let corpus = rec["corpus"].as_str().unwrap_or("").to_string();
        let id = rec["id"].as_str().unwrap_or("").to_string();
        let Some(case) = cases.get(&(corpus.clone(), id.clone())) else { continue };
        let scenario = scenario_of(case, if corpus == "oracle" { &oracle_cas } else { &dane_cas });
        let report = explain_without_fixes(&scenario);
        let reading = read_log(rec["raw"].as_str().unwrap_or(""));
        let check = reading.cross_check(&report);
        compared += 1;
        if check.verdict == "differs" {
            let d: Vec<String> = check.differences.iter().map(|d| format!("    {} (line {:?}): log {} / predicted {} — {}", d.aspect, d.line, d.log, d.predicted, d.implication)).collect();
            problems.push(format!("{corpus}/{id}\n{}", d.join("\n")));
        }
    }
    assert!(compared > 400, "{version}: only {compared} cases compared");
    assert!(problems.is_empty(), "{} of {compared} {version} logs differ from the prediction:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn postfix_3_5_27_logs_agree_with_the_engine() {
    check("3.5.27");
}

#[test]
fn postfix_3_7_11_logs_agree_with_the_engine() {
    check("3.7.11");
}

#[test]
fn postfix_3_11_6_logs_agree_with_the_engine() {
    check("3.11.6");
}

/// The seed case recorded with 3.7.11, explained as 3.11.6: the trust word differs and the
/// cross-check names the era.
#[test]
fn another_era_is_named() {
    let cases = expectations("3.7.11");
    let rec = jsonl(&fixtures().join("logs/oracle/3.7.11.jsonl"))
        .into_iter()
        .find(|r| r["id"] == "seed-fastmail-secure-ciphers-high" && r["corpus"] == "oracle")
        .expect("seed case in the fixtures");
    let case = cases.get(&("oracle".to_string(), "seed-fastmail-secure-ciphers-high".to_string())).expect("expectation");
    let mut scenario = scenario_of(case, &cas("oracle"));
    scenario.postfix_version = "3.11.6".into();
    let report = explain_without_fixes(&scenario);
    let check = read_log(rec["raw"].as_str().unwrap_or("")).cross_check(&report);
    assert_eq!(check.verdict, "differs");
    let word = check.differences.iter().find(|d| d.aspect == "trust-word").expect("trust word differs");
    assert_eq!((word.log.as_str(), word.predicted.as_str()), ("Untrusted", "Trusted"));
    assert!(word.implication.contains("3.6–3.10.3"), "{}", word.implication);
    let version = check.differences.iter().find(|d| d.aspect == "version").expect("version differs");
    assert!(version.implication.contains("3.7.11"), "{}", version.implication);
}

/// A log from a server whose chain Postfix did not trust, against a scenario that trusts it:
/// the cross-check points at the CA store.
#[test]
fn another_ca_store_is_named() {
    let version = "3.7.11";
    let cases = expectations(version);
    let logs = jsonl(&fixtures().join("logs/oracle").join(format!("{version}.jsonl")));
    let rec = logs
        .iter()
        .find(|r| r["mode"] == "policy" && r["raw"].as_str().is_some_and(|t| t.contains("untrusted issuer /O=Elsewhere/CN=Untrusted Oracle CA")) && r["corpus"] == "oracle")
        .expect("a policy log with an untrusted issuer");
    let case = cases.get(&("oracle".to_string(), rec["id"].as_str().unwrap_or("").to_string())).expect("expectation");
    let mut scenario = scenario_of(case, &cas("oracle"));
    // Trust the issuer that Postfix did not: add the untrusted CA to the bundle.
    scenario.ca_bundle.push_str(&cas("oracle").untrusted);
    let report = explain_without_fixes(&scenario);
    let check = read_log(rec["raw"].as_str().unwrap_or("")).cross_check(&report);
    assert_eq!(check.verdict, "differs", "{}", rec["id"]);
    assert!(check.differences.iter().any(|d| d.implication.contains("CA store")), "{:#?}", check.differences);
}

/// A delivered log against a scenario with a stricter policy: the status differs and the
/// policy is named.
#[test]
fn another_policy_is_named() {
    let version = "3.11.6";
    let cases = expectations(version);
    let rec = jsonl(&fixtures().join("logs/oracle").join(format!("{version}.jsonl")))
        .into_iter()
        .find(|r| r["id"] == "seed-facebook-secure-ciphers-high")
        .expect("seed case");
    let case = cases.get(&("oracle".to_string(), "seed-facebook-secure-ciphers-high".to_string())).expect("expectation");
    let mut scenario = scenario_of(case, &cas("oracle"));
    scenario.policy_table = "facebook.com secure match=nomatch.example ciphers=high".into();
    let report = explain_without_fixes(&scenario);
    let check = read_log(rec["raw"].as_str().unwrap_or("")).cross_check(&report);
    let status = check.differences.iter().find(|d| d.aspect == "status").expect("status differs");
    assert!(status.implication.contains("policy"), "{}", status.implication);
    assert!(check.differences.iter().any(|d| d.aspect == "policy-lookup"), "{:#?}", check.differences);
}

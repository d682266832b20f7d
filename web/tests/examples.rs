//! Every gallery example explains without error diagnostics and reaches the verdict
//! examples/README.md states for it (the README's "Verdicts" table is the expectation).

use peername_engine::diag::Severity;
use peername_engine::scenario::Scenario;
use peername_engine::{explain, Report};
use peername_web::examples::{json, IDS};
use std::path::Path;

struct Expected {
    file: String,
    version: String,
    status: String,
    dsn: String,
    trust: Vec<String>,
}

fn readme_table() -> Vec<Expected> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/README.md")).unwrap();
    let section = readme.split("## Verdicts").nth(1).expect("a Verdicts section").split("\n## ").next().unwrap_or_default();
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            Expected {
                file: cells[0].trim_matches('`').to_string(),
                version: cells[1].to_string(),
                status: cells[2].to_string(),
                dsn: cells[3].to_string(),
                trust: cells[4].split(',').map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect(),
            }
        })
        .collect()
}

fn trust_words(report: &Report) -> Vec<String> {
    let d = report.delivery.as_ref().expect("smtp delivery");
    d.destinations.iter().flat_map(|r| r.hosts.iter()).filter_map(|h| h.connection.as_ref()).filter_map(|c| c.trust).map(|w| w.as_str().to_string()).collect()
}

#[test]
fn every_example_reaches_the_verdict_its_readme_states() {
    let table = readme_table();
    assert_eq!(table.len(), IDS.len(), "one README row per example");
    for row in &table {
        let id = row.file.trim_end_matches(".json");
        let text = json(id).unwrap_or_else(|| panic!("{} is not in web/src/examples.rs", row.file));
        let scenario: Scenario = serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", row.file));
        assert_eq!(scenario.postfix_version, row.version, "{}", row.file);
        let report = explain(&scenario);
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| &d.message).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", row.file);
        let outcome = report.outcome.as_ref().expect("a status line");
        assert_eq!(outcome.status.as_str(), row.status, "{}", row.file);
        assert_eq!(outcome.dsn.as_deref(), Some(row.dsn.as_str()), "{}", row.file);
        assert_eq!(trust_words(&report), row.trust, "{}", row.file);
    }
}

#[test]
fn the_fastmail_fix_is_the_fixed_example() {
    let scenario: Scenario = serde_json::from_str(json("fastmail").unwrap()).unwrap();
    let fixed: Scenario = serde_json::from_str(json("fastmail-fixed").unwrap()).unwrap();
    let report = explain(&scenario);
    let fix = report.fixes.first().expect("a fix");
    assert_eq!(fix.line, "fastmail.fm secure match=.messagingengine.com ciphers=high");
    let applied = peername_engine::fixes::apply(&scenario.policy_table, fix.replaces, &fix.line);
    assert_eq!(explain(&Scenario { policy_table: applied, ..scenario }).verdict.delivered, explain(&fixed).verdict.delivered);
}

#[test]
fn every_json_file_is_in_the_gallery() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    files.sort();
    let mut ids: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
    ids.sort();
    assert_eq!(files, ids);
}

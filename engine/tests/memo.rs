//! A memo kept across explanations (the page's worker, one per keystroke) never changes a
//! report: every gallery example, edited pane by pane as a person would, gives with the memo
//! exactly what a fresh `explain` gives.

use peername_engine::explain::{explain, explain_with_memo};
use peername_engine::memo::Memo;
use peername_engine::scenario::Scenario;
use std::path::Path;

fn examples() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out: Vec<(String, Scenario)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_memo_never_changes_a_report() {
    let mut memo = Memo::new();
    let mut checked = 0;
    for (name, base) in examples() {
        let edits = [
            base.clone(),
            Scenario { destination: format!("{}.", base.destination.trim()), ..base.clone() },
            Scenario { policy_table: format!("{}example.org: verify\n", base.policy_table), ..base.clone() },
            Scenario { policy_table: String::new(), ..base.clone() },
            Scenario { main_cf: format!("{}\nsmtp_tls_loglevel = 2\n", base.main_cf), ..base.clone() },
            base.clone(),
        ];
        for (i, scenario) in edits.iter().enumerate() {
            assert_eq!(explain_with_memo(scenario, &mut memo), explain(scenario), "{name}, edit {i}");
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} explanations compared");
}

//! `peername replay`: predictions for oracle expectation lines, from their inputs only.

use crate::args::ReplayArgs;
use crate::inputs::read_text;
use peername_engine::replay::{predicted_for, scenario_of, CaFiles, compare};
use peername_i18n::tf;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn find_ca_dir(a: &ReplayArgs) -> Result<PathBuf, String> {
    if let Some(d) = &a.ca_dir {
        return Ok(d.clone());
    }
    let own = a.file.parent().map(Path::to_path_buf).unwrap_or_default();
    let own = if own.as_os_str().is_empty() { PathBuf::from(".") } else { own };
    for dir in [own.clone(), own.join("..")] {
        if dir.join("ca.pem").exists() {
            return Ok(dir);
        }
    }
    Err(tf(crate::lang::current(), "cli.error.ca-dir", &[("file", &a.file.display().to_string())]))
}

/// Runs the command.
pub fn run(a: ReplayArgs) -> Result<u8, Vec<String>> {
    let text = read_text(&a.file).map_err(|e| vec![e])?;
    let dir = find_ca_dir(&a).map_err(|e| vec![e])?;
    let cas = CaFiles {
        ca: read_text(&dir.join("ca.pem")).map_err(|e| vec![e])?,
        untrusted: read_text(&dir.join("untrusted-ca.pem")).unwrap_or_default(),
    };
    let (mut agree, mut disagree) = (0usize, 0usize);
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).map_err(|e| {
            let (file, line, error) = (a.file.display().to_string(), (n + 1).to_string(), e.to_string());
            vec![tf(crate::lang::current(), "cli.error.not-json", &[("file", &file), ("line", &line), ("error", &error)])]
        })?;
        let id = case.get("id").cloned().unwrap_or(Value::Null);
        // Only the inputs are read; the recorded output is used by --compare alone.
        let inputs_only = json!({"id": id, "mode": case.get("mode"), "postfix_version": case.get("postfix_version"),
                                 "observed_at": case.get("observed_at"), "input": case.get("input")});
        let report = peername_engine::explain::explain_without_fixes(&scenario_of(&inputs_only, &cas));
        let prediction = predicted_for(&inputs_only, &report);
        if a.compare {
            let diffs = case.get("output").map(|o| compare(o, &prediction)).unwrap_or_default();
            if diffs.is_empty() {
                agree += 1;
                crate::output::println(&json!({"id": id, "agree": true}).to_string());
            } else {
                disagree += 1;
                let fields: Vec<Value> = diffs.iter().map(|d| json!({"field": d.field, "observed": d.observed, "predicted": d.predicted})).collect();
                crate::output::println(&json!({"id": id, "agree": false, "differences": fields}).to_string());
            }
        } else {
            crate::output::println(&json!({"id": id, "predicted": prediction}).to_string());
        }
    }
    if a.compare {
        let total = agree + disagree;
        let counts = [agree, total, disagree].map(|n| n.to_string());
        eprintln!("{}", tf(crate::lang::current(), "cli.replay.summary", &[("agree", &counts[0]), ("total", &counts[1]), ("differ", &counts[2])]));
        return Ok(if disagree == 0 { 0 } else { 1 });
    }
    Ok(0)
}

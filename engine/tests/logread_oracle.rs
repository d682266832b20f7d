//! The log reader over every raw log real Postfix wrote for the oracle (3.5.27, 3.7.11, 3.11.6;
//! posttls-finger output and smtp(8) maillogs, DANE included): what it extracts must equal
//! what the oracle parsed into each record's `verdict`, every line must be accounted for,
//! and the era it infers must never contradict the version that wrote the log.
//!
//! Fixtures: `tests/fixtures/logs/` (see its PROVENANCE.md).

use peername_engine::logread::reading::PeerConnection;
use peername_engine::logread::{read_log, LogReading, UnreadReason};
use peername_engine::version::PostfixVersion;
use serde_json::{json, Value};
use std::path::Path;

fn records(version: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logs/oracle").join(format!("{version}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("fixture line is JSON")).collect()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The line of the first status line (the oracle parses only the first delivery attempt).
fn first_status_line(r: &LogReading) -> usize {
    r.deliveries.iter().find(|d| d.program == "smtp").map(|d| d.line).unwrap_or(usize::MAX)
}

fn failure_text(c: &PeerConnection) -> Vec<String> {
    c.failures
        .iter()
        .map(|f| {
            let purpose = if f.value.purpose.is_empty() { String::new() } else { format!("{} ", f.value.purpose) };
            format!("{purpose}certificate verification failed for {}: {}", c.peer.namaddr(), f.value.reason)
        })
        .collect()
}

/// What the reader extracted, in the shapes of the oracle's verdict.
fn extracted(r: &LogReading, finger: bool) -> Value {
    let end = first_status_line(r);
    let conns: Vec<&PeerConnection> = r.connections.iter().filter(|c| c.lines.first().is_some_and(|l| *l <= end)).collect();
    let certmatch: Vec<Value> = conns
        .iter()
        .flat_map(|c| c.names.iter().map(move |n| json!({"peer": c.peer.namaddr().to_lowercase(), "source": n.value.source, "name": n.value.name, "matched": n.value.matched})))
        .collect();
    let failures: Vec<String> = conns.iter().flat_map(|c| failure_text(c)).collect();
    let peername: Vec<String> = conns.iter().filter_map(|c| c.matched_peername.as_ref().map(|m| m.value.clone())).collect();
    let fingerprint: Vec<String> = conns.iter().filter_map(|c| c.matched_fingerprint.as_ref().map(|m| m.value.clone())).collect();
    if finger {
        let last = conns.iter().rev().find(|c| c.trust.is_some());
        return json!({
            "tls": last.and_then(|c| c.trust.as_ref().map(|t| t.value.as_str())),
            "peer": last.map(|c| c.peer.namaddr()),
            "matched_peername": peername.last(),
            "matched_fingerprint": fingerprint.last(),
            "verify_failures": failures,
            "certmatch": certmatch,
        });
    }
    let tls: Vec<Value> = conns.iter().filter_map(|c| c.trust.as_ref().map(|t| json!({"trust": t.value.as_str(), "peer": c.peer.namaddr()}))).collect();
    let d = r.deliveries.iter().find(|d| d.program == "smtp");
    let lookups: Vec<Value> = r
        .lookups
        .iter()
        .filter(|l| l.line <= end)
        .map(|l| {
            let mut v = json!({"key": l.value.key, "result": l.value.result});
            if l.value.aborted {
                v["search_aborted"] = json!(true);
            }
            v
        })
        .collect();
    let level = |scope: &str| r.levels.iter().filter(|l| l.line <= end).find(|l| format!("{:?}", l.value.scope).to_lowercase() == scope).map(|l| l.value.level.clone());
    json!({
        "tls": tls,
        "matched_peername": peername,
        "matched_fingerprint": fingerprint,
        "verify_failures": failures,
        "certmatch": certmatch,
        "status": d.map(|d| d.status.status.clone()),
        "dsn": d.map(|d| d.status.dsn.clone()),
        "reason": d.map(|d| d.status.reason.clone()),
        "relay": d.map(|d| d.status.relay.text.clone()),
        "status_tls": d.and_then(|d| d.status.tls.clone()),
        "policy_lookups": lookups,
        "global_level": level("global"),
        "effective_level": level("effective"),
        "warnings": r.warnings.iter().filter(|w| w.line <= end).map(|w| w.value.text.clone()).collect::<Vec<_>>(),
    })
}

/// The oracle's verdict reduced to the same shape.
fn expected(v: &Value, finger: bool) -> Value {
    let certmatch: Vec<Value> = v
        .get("certmatch")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|c| json!({"peer": c["peer"].as_str().unwrap_or("").to_lowercase(), "source": c["source"], "name": c["name"], "matched": c["matched"]}))
                .collect()
        })
        .unwrap_or_default();
    if finger {
        return json!({
            "tls": v["tls"], "peer": v["peer"], "matched_peername": v["matched_peername"], "matched_fingerprint": v["matched_fingerprint"],
            "verify_failures": v["verify_failures"], "certmatch": certmatch,
        });
    }
    let lookups: Vec<Value> = v["policy_lookups"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    let mut x = json!({"key": l["key"], "result": l["result"]});
                    if l.get("search_aborted").and_then(Value::as_bool) == Some(true) {
                        x["search_aborted"] = json!(true);
                    }
                    x
                })
                .collect()
        })
        .unwrap_or_default();
    let status = v["status"].as_str().filter(|s| *s != "timeout");
    json!({
        "tls": v["tls"], "matched_peername": v["matched_peername"], "matched_fingerprint": v["matched_fingerprint"],
        "verify_failures": v["verify_failures"], "certmatch": certmatch,
        "status": status, "dsn": status.and(v.get("dsn").cloned()), "reason": status.and(v.get("reason").cloned()),
        "relay": status.and(v.get("relay").cloned()), "status_tls": v.get("status_tls").cloned().unwrap_or(Value::Null),
        "policy_lookups": lookups, "global_level": v["global_level"], "effective_level": v["effective_level"],
        "warnings": strings(v.get("warnings")),
    })
}

fn contains(range: &peername_engine::logread::VersionRange, v: &PostfixVersion) -> bool {
    let at = |s: &Option<String>| s.as_deref().and_then(|t| PostfixVersion::parse(t).ok());
    at(&range.from).is_none_or(|f| *v >= f) && at(&range.before).is_none_or(|b| *v < b)
}

fn check(version: &str) {
    let recs = records(version);
    assert!(recs.len() > 400, "{version}: {} records", recs.len());
    let v = PostfixVersion::parse(version).expect("fixture version");
    let mut problems = Vec::new();
    let mut lines = 0;
    for rec in &recs {
        let id = format!("{}/{}/{}", rec["corpus"].as_str().unwrap_or(""), rec["file"].as_str().unwrap_or(""), rec["id"].as_str().unwrap_or(""));
        let raw = rec["raw"].as_str().unwrap_or("");
        let finger = rec["mode"] == "finger";
        let r = read_log(raw);
        lines += r.lines;
        // Every line of real Postfix output is read or ignored with a reason.
        for u in r.unread.iter().filter(|u| u.reason != UnreadReason::NotALogLine || !u.excerpt.trim().is_empty()) {
            problems.push(format!("{id}: line {} unread ({:?}): {}", u.line, u.reason, u.excerpt));
        }
        let accounted: usize = r.read + r.ignored.iter().map(|g| g.count).sum::<usize>() + r.unread.len();
        if accounted != r.lines {
            problems.push(format!("{id}: {} lines, {accounted} accounted for", r.lines));
        }
        let (got, want) = (extracted(&r, finger), expected(&rec["verdict"], finger));
        for (k, w) in want.as_object().into_iter().flatten() {
            if got.get(k) != Some(w) {
                problems.push(format!("{id}: {k}: oracle {w} reader {}", got.get(k).unwrap_or(&Value::Null)));
            }
        }
        // Era: no clue may exclude the version that wrote the log.
        for c in &r.era.clues {
            if !contains(&c.range, &v) {
                problems.push(format!("{id}: clue {} (line {}) says {} for a {version} log", c.code, c.line, c.range.label));
            }
        }
        if !r.era.conflicts.is_empty() {
            problems.push(format!("{id}: era conflicts {:?}", r.era.conflicts));
        }
        if !contains(&r.era.range, &v) {
            problems.push(format!("{id}: era range {} excludes {version}", r.era.range.label));
        }
    }
    assert!(problems.is_empty(), "{} problems over {} {version} logs ({lines} lines):\n{}", problems.len(), recs.len(), problems.join("\n"));
}

#[test]
fn postfix_3_5_27_logs() {
    check("3.5.27");
}

#[test]
fn postfix_3_7_11_logs() {
    check("3.7.11");
}

#[test]
fn postfix_3_11_6_logs() {
    check("3.11.6");
}

/// Policy logs carry master(8)'s banner: the suggestion is exactly the writer. posttls-finger
/// output has no banner; its wording must still lead to a version of the writer's era.
#[test]
fn era_suggestions_match_the_writer() {
    for version in ["3.5.27", "3.7.11", "3.11.6"] {
        let era = PostfixVersion::parse(version).expect("version").era();
        let (mut finger_logs, mut same_era) = (0, 0);
        for rec in records(version) {
            let r = read_log(rec["raw"].as_str().unwrap_or(""));
            if rec["mode"] == "policy" {
                assert_eq!(r.era.suggested_version, version, "{}", rec["id"]);
                continue;
            }
            if r.era.clues.is_empty() {
                // A fatal line, a failed handshake or an empty run: nothing to go by.
                continue;
            }
            finger_logs += 1;
            if let Some(e) = r.era.era {
                assert_eq!(e, era, "{version} {}: the wording ({}) narrows to another era", rec["id"], r.era.range.label);
            }
            if PostfixVersion::parse(&r.era.suggested_version).map(|s| s.era()) == Ok(era) {
                same_era += 1;
            }
        }
        // The rest span several eras (e.g. only "Anonymous": 3.0 or later) and get the newest.
        assert!(finger_logs > 180, "{version}: {finger_logs} finger logs with clues");
        assert!(same_era * 100 >= finger_logs * 97, "{version}: {same_era} of {finger_logs} finger logs suggest a version of its era");
    }
}

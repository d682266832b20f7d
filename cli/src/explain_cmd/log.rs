//! `peername explain --log FILE`: read a pasted Postfix log; with other inputs, explain the
//! scenario the log and those inputs describe, and cross-check the prediction with the log.
//! Exit 0 delivered, 1 deferred/bounced (or a failing stage in the log), 2 bad input.

use crate::args::ExplainArgs;
use crate::inputs;
use crate::render;
use crate::style::Style;
use peername_engine::diag::Severity;
use peername_engine::logread::reading::{LineRange, PeerConnection};
use peername_engine::logread::{read_log, CrossCheck, LogReading, UnreadReason};
use peername_engine::scenario::Scenario;
use std::fmt::Write;
use std::path::Path;

/// Runs `explain --log PATH`.
pub fn run(a: &ExplainArgs, path: &str) -> Result<u8, Vec<String>> {
    let text = read_text(path)?;
    let reading = read_log(&text);
    if reading.read == 0 {
        return Err(vec![format!(
            "{path}: none of its {} lines is a Postfix TLS log line (paste the postfix/smtp or posttls-finger lines around the delivery)",
            reading.lines
        )]);
    }
    let style = Style::new(a.color);
    if !has_other_inputs(a) {
        if a.json {
            print_json(&serde_json::json!({ "reading": reading }))?;
        } else {
            crate::output::print(&render_reading(&reading, &style));
        }
        return Ok(exit_of_log(&reading));
    }
    let scenario = scenario(a, &reading)?;
    let report = peername_engine::explain(&scenario);
    let blocking: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && matches!(d.code.as_str(), "destination.empty" | "scenario.bad-version"))
        .map(|d| format!("{} (the log does not say: give it with --to or --postfix)", d.message))
        .collect();
    if !blocking.is_empty() {
        return Err(blocking);
    }
    let check = reading.cross_check(&report);
    if a.json {
        print_json(&serde_json::json!({ "reading": reading, "scenario": scenario, "report": report, "cross_check": check }))?;
    } else {
        crate::output::print(&render_reading(&reading, &style));
        crate::output::println("");
        crate::output::print(&render::report::render(&report, &style));
        crate::output::println("");
        crate::output::print(&render_cross_check(&check, &style));
    }
    Ok(if report.verdict.delivered { 0 } else { 1 })
}

/// Logs are read as bytes: a stray Latin-1 byte must not refuse the whole file (such lines are
/// listed as unread).
fn read_text(path: &str) -> Result<String, Vec<String>> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| vec![format!("standard input: {e}")])?;
        buf
    } else {
        inputs::read_bytes(Path::new(path)).map_err(|e| vec![e])?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn print_json(value: &serde_json::Value) -> Result<(), Vec<String>> {
    let text = serde_json::to_string_pretty(value).map_err(|e| vec![format!("cannot render JSON: {e}")])?;
    crate::output::println(&text);
    Ok(())
}

/// Inputs beyond the log that make an explanation possible.
fn has_other_inputs(a: &ExplainArgs) -> bool {
    a.scenario.is_some() || a.policy.is_some() || a.main_cf.is_some() || a.transport.is_some() || !a.certs.is_empty() || a.ca_file.is_some() || a.ca_trusted.is_some() || !a.tafiles.is_empty()
}

/// Without an explanation: 1 when the log shows a refusal, else 0.
fn exit_of_log(r: &LogReading) -> u8 {
    let refused = match r.focus.and_then(|i| r.deliveries.get(i)) {
        Some(d) => d.status.status != "sent",
        None => !matches!(r.stage.stage.as_str(), "none" | "unknown"),
    };
    u8::from(refused)
}

/// The log's scenario, with every field given on the command line taking precedence.
fn scenario(a: &ExplainArgs, r: &LogReading) -> Result<Scenario, Vec<String>> {
    let given = inputs::scenario(a, &inputs::now_rfc3339())?;
    let mut s = r.scenario();
    if a.scenario.is_some() {
        let mut f = given;
        if f.destination.trim().is_empty() {
            f.destination = s.destination;
        }
        if f.mx.trim().is_empty() && f.dns.is_none() {
            f.mx = s.mx;
        }
        if f.addresses.trim().is_empty() {
            f.addresses = s.addresses;
        }
        if a.at.is_none() && s.evaluated_at.is_some() {
            f.evaluated_at = s.evaluated_at;
        }
        return Ok(f);
    }
    if a.policy.is_some() {
        s.policy_table = given.policy_table;
    }
    if a.main_cf.is_some() {
        s.main_cf = given.main_cf;
    }
    if a.transport.is_some() {
        s.transport_table = given.transport_table;
    }
    if a.to.is_some() || a.nexthop.is_some() {
        s.destination = given.destination;
    }
    if a.mx.is_some() || a.mx_file.is_some() {
        s.mx = given.mx;
    }
    if a.addresses.is_some() {
        s.addresses = given.addresses;
    }
    if !a.certs.is_empty() {
        s.certificates = given.certificates;
    }
    if !a.tafiles.is_empty() {
        s.trust_anchor_files = given.trust_anchor_files;
    }
    if a.ca_file.is_some() || a.ca_trusted.is_some() {
        s.ca_trust = given.ca_trust;
        s.ca_bundle = given.ca_bundle;
    }
    if a.postfix.is_some() {
        s.postfix_version = given.postfix_version;
    }
    // --at, else the log's own time, else now.
    if a.at.is_some() || s.evaluated_at.is_none() {
        s.evaluated_at = given.evaluated_at;
    }
    Ok(s)
}

fn ranges(lines: &[LineRange]) -> String {
    lines.iter().map(|r| if r.first == r.last { r.first.to_string() } else { format!("{}–{}", r.first, r.last) }).collect::<Vec<_>>().join(", ")
}

fn compact(lines: &[usize]) -> String {
    let mut out: Vec<LineRange> = Vec::new();
    for &l in lines {
        match out.last_mut() {
            Some(r) if r.last + 1 == l => r.last = l,
            _ => out.push(LineRange { first: l, last: l }),
        }
    }
    ranges(&out)
}

fn connection(c: &PeerConnection, style: &Style, out: &mut String) {
    let first = c.lines.first().copied().unwrap_or(0);
    let last = c.lines.last().copied().unwrap_or(0);
    let _ = writeln!(out, "  {}  {}", style.bold(&c.peer.namaddr()), style.dim(&format!("({}, lines {first}–{last})", c.process)));
    if let Some(t) = &c.trust {
        let word = match t.value.as_str() {
            "Verified" => style.green("Verified"),
            "Trusted" => style.yellow("Trusted"),
            other => style.red(other),
        };
        let _ = writeln!(out, "    {word} TLS connection {} (line {})  {}", if c.reused { "reused" } else { "established" }, t.line, style.dim(c.cipher.as_deref().unwrap_or("")));
    }
    for f in &c.failures {
        let _ = writeln!(out, "    {} {} (line {})", style.red("verification failed:"), f.value.reason, f.line);
    }
    if let Some(m) = &c.matched_peername {
        let _ = writeln!(out, "    matched peername: {} (line {})", m.value, m.line);
    }
    if let Some(m) = &c.matched_fingerprint {
        let _ = writeln!(out, "    matched fingerprint: {} (line {})", m.value, m.line);
    }
    if !c.names.is_empty() {
        let names: Vec<String> = c.names.iter().map(|n| format!("{}{} {}", if n.value.matched { "Matched " } else { "" }, n.value.source, n.value.name)).collect();
        let _ = writeln!(out, "    names: {} (lines {})", names.join(", "), compact(&c.names.iter().map(|n| n.line).collect::<Vec<_>>()));
    }
    if let Some(cert) = &c.certificate {
        let v = &cert.value;
        let _ = writeln!(
            out,
            "    certificate: subject_CN={}, issuer={} (line {})",
            v.subject_cn.as_deref().unwrap_or(""),
            v.issuer.as_deref().unwrap_or(""),
            cert.line
        );
        let _ = writeln!(out, "      fingerprint {}", v.cert_fingerprint.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "      pkey fingerprint {}", v.pkey_fingerprint.as_deref().unwrap_or("-"));
    }
    for ch in &c.chain {
        let _ = writeln!(out, "    chain depth {} verify={} {} (line {})", ch.value.depth, ch.value.verify.map(|v| v.to_string()).unwrap_or_default(), ch.value.subject, ch.line);
    }
    for d in &c.dane {
        let _ = writeln!(out, "    {} (line {})", d.value, d.line);
    }
    for (label, fact) in [("handshake", &c.handshake_error), ("connect", &c.connect_error), ("session reuse", &c.reuse_hint)] {
        if let Some(f) = fact {
            let _ = writeln!(out, "    {label}: {} (line {})", f.value, f.line);
        }
    }
    if c.anonymous {
        let _ = writeln!(out, "    Server is anonymous");
    }
    for w in &c.warnings {
        let _ = writeln!(out, "    {} {} (line {})", style.yellow("warning:"), w.value, w.line);
    }
}

/// The reading as text: the facts, the era with its clues, the failing stage, the scenario
/// fields it fills and those still missing, and every line it did not read.
pub fn render_reading(r: &LogReading, style: &Style) -> String {
    let mut out = String::new();
    let ignored: usize = r.ignored.iter().map(|g| g.count).sum();
    let formats: Vec<String> = r.formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect();
    let _ = writeln!(out, "{} {} lines: {} read, {ignored} ignored, {} unread (prefixes: {})", style.bold("Log"), r.lines, r.read, r.unread.len(), formats.join(", "));
    let era = &r.era;
    let _ = writeln!(out, "{} {}  {}", style.bold("Postfix version:"), style.bold(&era.suggested_version), style.dim(&format!("(wording: {}; {})", era.range.label, era.why_suggested)));
    for c in &era.clues {
        let mark = if c.conflicting { style.red("✘") } else { "•".to_string() };
        let count = if c.count > 1 { format!(" (×{})", c.count) } else { String::new() };
        let _ = writeln!(out, "    {mark} line {}{count}: {} → {}", c.line, c.why, c.range.label);
    }
    for c in &era.conflicts {
        let _ = writeln!(out, "    {} {}", style.red("conflict:"), c.why);
    }
    let stage = match r.stage.stage.as_str() {
        "none" => style.green("none (delivered)"),
        "unknown" => style.yellow("unknown"),
        s => style.red(s),
    };
    let _ = writeln!(out, "{} {stage} — {} (lines {})", style.bold("Failing stage:"), r.stage.why, compact(&r.stage.evidence));
    let _ = writeln!(out, "{} smtp_tls_loglevel {}{}", style.bold("Logging:"), r.loglevel.smtp_tls_loglevel, if r.loglevel.verbose { " with smtp -v" } else { "" });
    if !r.deliveries.is_empty() {
        let _ = writeln!(out, "{}", style.bold("Deliveries:"));
        for (i, d) in r.deliveries.iter().enumerate() {
            let s = &d.status;
            let focus = if r.focus == Some(i) { style.blue("  ← this one") } else { String::new() };
            let tls = s.tls.as_ref().map(|t| format!(" tls={t}")).unwrap_or_default();
            let _ = writeln!(out, "  line {}  {} to=<{}> relay={}{tls} {} {} ({}){focus}", d.line, s.queue_id, s.recipient, s.relay.text, s.status, s.dsn, s.reason);
            for n in &d.notes {
                let _ = writeln!(out, "      line {}: {}", n.line, n.value);
            }
        }
    }
    if !r.connections.is_empty() {
        let _ = writeln!(out, "{}", style.bold("Connections:"));
        for c in &r.connections {
            connection(c, style, &mut out);
        }
    }
    if !r.nexthops.is_empty() {
        let hops: Vec<String> = r.nexthops.iter().map(|n| format!("{} (line {}, {})", n.value, n.line, n.source)).collect();
        let _ = writeln!(out, "{} {}", style.bold("Next-hops:"), hops.join(", "));
    }
    for l in &r.lookups {
        let v = &l.value;
        let result = v.result.clone().unwrap_or_else(|| if v.aborted { "search aborted".into() } else { "not found".into() });
        let _ = writeln!(out, "{} {} → {} (line {})", style.bold("Policy lookup:"), v.key, result, l.line);
    }
    for l in &r.levels {
        let _ = writeln!(out, "{} {:?} {} (line {})", style.bold("TLS level:"), l.value.scope, l.value.level, l.line);
    }
    for w in &r.warnings {
        let _ = writeln!(out, "{} {} (line {})", style.yellow("warning:"), w.value.text, w.line);
    }
    for e in &r.errors {
        let _ = writeln!(out, "{} {} (line {})", style.red("error:"), e.value.text, e.line);
    }
    let _ = writeln!(out, "{}", style.bold("Scenario from the log:"));
    for f in &r.filled {
        let _ = writeln!(out, "  {} = {}  {}", f.field, f.value.replace('\n', "; "), style.dim(&format!("(lines {}: {})", compact(&f.lines), f.why)));
    }
    if !r.missing.is_empty() {
        let _ = writeln!(out, "{}", style.bold("Complete these (the log cannot tell):"));
        for m in &r.missing {
            let _ = writeln!(out, "  {}: {}  {}", m.field, m.what, style.dim(&format!("({})", m.why)));
        }
    }
    if !r.ignored.is_empty() {
        let _ = writeln!(out, "{} {ignored} lines", style.bold("Ignored:"));
        for g in &r.ignored {
            let _ = writeln!(out, "  {} × {}: lines {}", g.count, g.why, ranges(&g.lines));
        }
    }
    if !r.unread.is_empty() {
        let _ = writeln!(out, "{} {} lines", style.bold("Unread:"), r.unread.len());
        let prose: Vec<usize> = r.unread.iter().filter(|u| u.reason == UnreadReason::NotALogLine).map(|u| u.line).collect();
        if !prose.is_empty() {
            let _ = writeln!(out, "  {} × {}: lines {}", prose.len(), UnreadReason::NotALogLine.describe(), compact(&prose));
        }
        for u in r.unread.iter().filter(|u| u.reason != UnreadReason::NotALogLine) {
            let _ = writeln!(out, "  line {}: {} — {}", u.line, style.yellow(&u.why), u.excerpt);
        }
    }
    out
}

/// The cross-check as text.
pub fn render_cross_check(c: &CrossCheck, style: &Style) -> String {
    let mut out = String::new();
    let head = match c.verdict.as_str() {
        "agrees" => style.green(&c.headline),
        "differs" => style.red(&c.headline),
        _ => style.yellow(&c.headline),
    };
    let _ = writeln!(out, "{} {head}", style.bold("Cross-check:"));
    for d in &c.differences {
        let line = d.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let _ = writeln!(out, "  {} {}{line}: log {} / predicted {}", style.red("✘"), d.aspect, d.log, d.predicted);
        let _ = writeln!(out, "      → {}", d.implication);
    }
    if !c.compared.is_empty() {
        let _ = writeln!(out, "  {} {}", style.dim("compared:"), c.compared.join(", "));
    }
    for s in &c.skipped {
        let _ = writeln!(out, "  {} {s}", style.dim("not compared:"));
    }
    out
}

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
use peername_i18n::{t, tf, Lang};
use std::fmt::Write;
use std::path::Path;

/// Runs `explain --log PATH`.
pub fn run(a: &ExplainArgs, path: &str) -> Result<u8, Vec<String>> {
    let text = read_text(path)?;
    let reading = read_log(&text);
    if reading.read == 0 {
        return Err(vec![tf(crate::lang::current(), "cli.error.not-a-log", &[("file", path), ("lines", &reading.lines.to_string())])]);
    }
    let style = Style::new(a.color);
    let lang = crate::lang::current();
    if !has_other_inputs(a) {
        if a.json {
            print_json(&serde_json::json!({ "reading": reading }))?;
        } else {
            crate::output::print(&render_reading(&reading, lang, &style));
        }
        return Ok(exit_of_log(&reading));
    }
    let scenario = scenario(a, &reading)?;
    let report = peername_engine::explain(&scenario);
    let blocking: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && matches!(d.code.as_str(), "destination.empty" | "scenario.bad-version"))
        .map(|d| tf(lang, "cli.error.log-does-not-say", &[("message", &render::words::diagnostic_message(lang, d))]))
        .collect();
    if !blocking.is_empty() {
        return Err(blocking);
    }
    let check = reading.cross_check(&report);
    if a.json {
        print_json(&serde_json::json!({ "reading": reading, "scenario": scenario, "report": report, "cross_check": check }))?;
    } else {
        crate::output::print(&render_reading(&reading, lang, &style));
        crate::output::println("");
        crate::output::print(&render::report::render(&report, lang, &style));
        crate::output::println("");
        crate::output::print(&render_cross_check(&check, lang, &style));
    }
    Ok(if report.verdict.delivered { 0 } else { 1 })
}

/// Logs are read as bytes: a stray Latin-1 byte must not refuse the whole file (such lines are
/// listed as unread).
fn read_text(path: &str) -> Result<String, Vec<String>> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| vec![tf(crate::lang::current(), "cli.error.stdin", &[("error", &e.to_string())])])?;
        buf
    } else {
        inputs::read_bytes(Path::new(path)).map_err(|e| vec![e])?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn print_json(value: &serde_json::Value) -> Result<(), Vec<String>> {
    let text = serde_json::to_string_pretty(value).map_err(|e| vec![tf(crate::lang::current(), "cli.error.json", &[("error", &e.to_string())])])?;
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

/// `(line N)`.
fn at_line(lang: Lang, line: usize) -> String {
    tf(lang, "cli.log.line-paren", &[("line", &line.to_string())])
}

/// `(lines A–B, C)`.
fn at_lines(lang: Lang, lines: &str) -> String {
    tf(lang, "cli.log.lines-paren", &[("lines", lines)])
}

fn connection(c: &PeerConnection, lang: Lang, style: &Style, out: &mut String) {
    let first = c.lines.first().copied().unwrap_or(0);
    let last = c.lines.last().copied().unwrap_or(0);
    let lines = tf(lang, "cli.log.process-lines", &[("process", &c.process), ("first", &first.to_string()), ("last", &last.to_string())]);
    let _ = writeln!(out, "  {}  {}", style.bold(&c.peer.namaddr()), style.dim(&lines));
    if let Some(t) = &c.trust {
        let word = match t.value.as_str() {
            "Verified" => style.green("Verified"),
            "Trusted" => style.yellow("Trusted"),
            other => style.red(other),
        };
        // "TLS connection established/reused" is Postfix's own wording: verbatim.
        let what = if c.reused { "reused" } else { "established" };
        let _ = writeln!(out, "    {word} TLS connection {what} {}  {}", at_line(lang, t.line), style.dim(c.cipher.as_deref().unwrap_or("")));
    }
    for f in &c.failures {
        let _ = writeln!(out, "    {} {} {}", style.red(t(lang, "cli.log.verification-failed")), f.value.reason, at_line(lang, f.line));
    }
    if let Some(m) = &c.matched_peername {
        let _ = writeln!(out, "    {} {} {}", t(lang, "cli.log.matched-peername"), m.value, at_line(lang, m.line));
    }
    if let Some(m) = &c.matched_fingerprint {
        let _ = writeln!(out, "    {} {} {}", t(lang, "cli.log.matched-fingerprint"), m.value, at_line(lang, m.line));
    }
    if !c.names.is_empty() {
        let names: Vec<String> = c.names.iter().map(|n| format!("{}{} {}", if n.value.matched { "Matched " } else { "" }, n.value.source, n.value.name)).collect();
        let lines = compact(&c.names.iter().map(|n| n.line).collect::<Vec<_>>());
        let _ = writeln!(out, "    {} {} {}", t(lang, "cli.log.names"), names.join(", "), at_lines(lang, &lines));
    }
    if let Some(cert) = &c.certificate {
        let v = &cert.value;
        let _ = writeln!(
            out,
            "    {} subject_CN={}, issuer={} {}",
            t(lang, "cli.log.certificate"),
            v.subject_cn.as_deref().unwrap_or(""),
            v.issuer.as_deref().unwrap_or(""),
            at_line(lang, cert.line)
        );
        let _ = writeln!(out, "      {} {}", t(lang, "cli.log.fingerprint"), v.cert_fingerprint.as_deref().unwrap_or("-"));
        let _ = writeln!(out, "      {} {}", t(lang, "cli.log.pkey-fingerprint"), v.pkey_fingerprint.as_deref().unwrap_or("-"));
    }
    for ch in &c.chain {
        let depth = tf(lang, "cli.log.chain-depth", &[("depth", &ch.value.depth.to_string())]);
        let verify = ch.value.verify.map(|v| v.to_string()).unwrap_or_default();
        let _ = writeln!(out, "    {depth} verify={verify} {} {}", ch.value.subject, at_line(lang, ch.line));
    }
    for d in &c.dane {
        let _ = writeln!(out, "    {} {}", d.value, at_line(lang, d.line));
    }
    for (label, fact) in [("cli.log.fact.handshake", &c.handshake_error), ("cli.log.fact.connect", &c.connect_error), ("cli.log.fact.session-reuse", &c.reuse_hint)] {
        if let Some(f) = fact {
            let _ = writeln!(out, "    {}: {} {}", t(lang, label), f.value, at_line(lang, f.line));
        }
    }
    // posttls-finger's own words: verbatim.
    if c.anonymous {
        let _ = writeln!(out, "    Server is anonymous");
    }
    for w in &c.warnings {
        let _ = writeln!(out, "    {} {} {}", style.yellow(t(lang, "cli.log.warning")), w.value, at_line(lang, w.line));
    }
}

/// The reading as text: the facts, the era with its clues, the failing stage, the scenario
/// fields it fills and those still missing, and every line it did not read. The labels are in
/// `lang`; what the log says and the engine's reasons are shown as they are.
pub fn render_reading(r: &LogReading, lang: Lang, style: &Style) -> String {
    let mut out = String::new();
    let ignored: usize = r.ignored.iter().map(|g| g.count).sum();
    let formats: Vec<String> = r.formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect();
    let counts = tf(
        lang,
        "cli.log.counts",
        &[("lines", &r.lines.to_string()), ("read", &r.read.to_string()), ("ignored", &ignored.to_string()), ("unread", &r.unread.len().to_string()), ("formats", &formats.join(", "))],
    );
    let _ = writeln!(out, "{} {counts}", style.bold(t(lang, "cli.log.heading")));
    let era = &r.era;
    let wording = tf(lang, "cli.log.wording", &[("range", &era.range.label), ("why", &era.why_suggested)]);
    let _ = writeln!(out, "{} {}  {}", style.bold(t(lang, "cli.log.version")), style.bold(&era.suggested_version), style.dim(&wording));
    for c in &era.clues {
        let mark = if c.conflicting { style.red("✘") } else { "•".to_string() };
        let count = if c.count > 1 { format!(" {}", tf(lang, "cli.log.count", &[("n", &c.count.to_string())])) } else { String::new() };
        let clue = tf(lang, "cli.log.clue", &[("line", &c.line.to_string()), ("count", &count), ("why", &c.why), ("range", &c.range.label)]);
        let _ = writeln!(out, "    {mark} {clue}");
    }
    for c in &era.conflicts {
        let _ = writeln!(out, "    {} {}", style.red(t(lang, "cli.log.conflict")), c.why);
    }
    let stage = match r.stage.stage.as_str() {
        "none" => style.green(t(lang, "cli.log.stage-none")),
        "unknown" => style.yellow(t(lang, "cli.log.stage-unknown")),
        s => style.red(s),
    };
    let _ = writeln!(out, "{} {stage} — {} {}", style.bold(t(lang, "cli.log.stage")), r.stage.why, at_lines(lang, &compact(&r.stage.evidence)));
    let verbose = if r.loglevel.verbose { format!(" {}", t(lang, "cli.log.verbose")) } else { String::new() };
    let _ = writeln!(out, "{} smtp_tls_loglevel {}{verbose}", style.bold(t(lang, "cli.log.logging")), r.loglevel.smtp_tls_loglevel);
    if !r.deliveries.is_empty() {
        let _ = writeln!(out, "{}", style.bold(t(lang, "cli.log.deliveries")));
        for (i, d) in r.deliveries.iter().enumerate() {
            let s = &d.status;
            let focus = if r.focus == Some(i) { style.blue(&format!("  {}", t(lang, "cli.log.this-one"))) } else { String::new() };
            let tls = s.tls.as_ref().map(|t| format!(" tls={t}")).unwrap_or_default();
            let line = tf(lang, "cli.log.line", &[("line", &d.line.to_string())]);
            let _ = writeln!(out, "  {line}  {} to=<{}> relay={}{tls} {} {} ({}){focus}", s.queue_id, s.recipient, s.relay.text, s.status, s.dsn, s.reason);
            for n in &d.notes {
                let _ = writeln!(out, "      {}: {}", tf(lang, "cli.log.line", &[("line", &n.line.to_string())]), n.value);
            }
        }
    }
    if !r.connections.is_empty() {
        let _ = writeln!(out, "{}", style.bold(t(lang, "cli.log.connections")));
        for c in &r.connections {
            connection(c, lang, style, &mut out);
        }
    }
    if !r.nexthops.is_empty() {
        let hops: Vec<String> =
            r.nexthops.iter().map(|n| format!("{} {}", n.value, tf(lang, "cli.log.line-source", &[("line", &n.line.to_string()), ("source", &n.source.to_string())]))).collect();
        let _ = writeln!(out, "{} {}", style.bold(t(lang, "cli.log.nexthops")), hops.join(", "));
    }
    for l in &r.lookups {
        let v = &l.value;
        let result = v.result.clone().unwrap_or_else(|| if v.aborted { t(lang, "cli.log.search-aborted").into() } else { t(lang, "cli.log.not-found").into() });
        let _ = writeln!(out, "{} {} → {} {}", style.bold(t(lang, "cli.log.policy-lookup")), v.key, result, at_line(lang, l.line));
    }
    for l in &r.levels {
        let _ = writeln!(out, "{} {:?} {} {}", style.bold(t(lang, "cli.log.tls-level")), l.value.scope, l.value.level, at_line(lang, l.line));
    }
    for w in &r.warnings {
        let _ = writeln!(out, "{} {} {}", style.yellow(t(lang, "cli.log.warning")), w.value.text, at_line(lang, w.line));
    }
    for e in &r.errors {
        let _ = writeln!(out, "{} {} {}", style.red(t(lang, "cli.log.error")), e.value.text, at_line(lang, e.line));
    }
    let _ = writeln!(out, "{}", style.bold(t(lang, "cli.log.scenario")));
    for f in &r.filled {
        let why = tf(lang, "cli.log.filled", &[("lines", &compact(&f.lines)), ("why", &f.why)]);
        let _ = writeln!(out, "  {} = {}  {}", f.field, f.value.replace('\n', "; "), style.dim(&why));
    }
    if !r.missing.is_empty() {
        let _ = writeln!(out, "{}", style.bold(t(lang, "cli.log.missing")));
        for m in &r.missing {
            let _ = writeln!(out, "  {}: {}  {}", m.field, m.what, style.dim(&format!("({})", m.why)));
        }
    }
    if !r.ignored.is_empty() {
        let _ = writeln!(out, "{} {}", style.bold(t(lang, "cli.log.ignored")), tf(lang, "cli.log.n-lines", &[("n", &ignored.to_string())]));
        for g in &r.ignored {
            let _ = writeln!(out, "  {}", tf(lang, "cli.log.group", &[("count", &g.count.to_string()), ("why", &g.why), ("lines", &ranges(&g.lines))]));
        }
    }
    if !r.unread.is_empty() {
        let _ = writeln!(out, "{} {}", style.bold(t(lang, "cli.log.unread")), tf(lang, "cli.log.n-lines", &[("n", &r.unread.len().to_string())]));
        let prose: Vec<usize> = r.unread.iter().filter(|u| u.reason == UnreadReason::NotALogLine).map(|u| u.line).collect();
        if !prose.is_empty() {
            let group = tf(lang, "cli.log.group", &[("count", &prose.len().to_string()), ("why", UnreadReason::NotALogLine.describe()), ("lines", &compact(&prose))]);
            let _ = writeln!(out, "  {group}");
        }
        for u in r.unread.iter().filter(|u| u.reason != UnreadReason::NotALogLine) {
            let _ = writeln!(out, "  {}: {} — {}", tf(lang, "cli.log.line", &[("line", &u.line.to_string())]), style.yellow(&u.why), u.excerpt);
        }
    }
    out
}

/// The cross-check as text (labels in `lang`; the engine's findings as they are).
pub fn render_cross_check(c: &CrossCheck, lang: Lang, style: &Style) -> String {
    let mut out = String::new();
    let head = match c.verdict.as_str() {
        "agrees" => style.green(&c.headline),
        "differs" => style.red(&c.headline),
        _ => style.yellow(&c.headline),
    };
    let _ = writeln!(out, "{} {head}", style.bold(t(lang, "cli.cross.heading")));
    for d in &c.differences {
        let line = d.line.map(|l| format!(" {}", at_line(lang, l))).unwrap_or_default();
        let difference = tf(lang, "cli.cross.difference", &[("aspect", &d.aspect), ("line", &line), ("log", &d.log), ("predicted", &d.predicted)]);
        let _ = writeln!(out, "  {} {difference}", style.red("✘"));
        let _ = writeln!(out, "      → {}", d.implication);
    }
    if !c.compared.is_empty() {
        let _ = writeln!(out, "  {} {}", style.dim(t(lang, "cli.cross.compared")), c.compared.join(", "));
    }
    for s in &c.skipped {
        let _ = writeln!(out, "  {} {s}", style.dim(t(lang, "cli.cross.not-compared")));
    }
    out
}

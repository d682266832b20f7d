//! The walk as readable text: the same trace the page draws, step by step.

use crate::style::Style;
use peername_engine::delivery::HostAttempt;
use peername_engine::names::reference::ReferenceKind;
use peername_engine::policy::lookup::ProbeResult;
use peername_engine::report::Report;
use peername_engine::tls::verify::Origin;
use peername_engine::trace::{Mark, Step, StepDetail};

fn mark(m: Mark, style: &Style) -> String {
    match m {
        Mark::Pass => style.green("✔ pass"),
        Mark::Fail => style.red("✘ FAIL"),
        Mark::Info => style.blue("• info"),
        Mark::Warn => style.yellow("! warn"),
        Mark::Skip => style.dim("– skip"),
    }
}

fn server_lines(a: &HostAttempt, style: &Style, out: &mut Vec<String>) {
    if !a.references.is_empty() {
        let refs: Vec<String> = a
            .references
            .iter()
            .map(|r| match &r.kind {
                ReferenceKind::Skipped { warning } => format!("{} (skipped: {warning})", r.element),
                ReferenceKind::Ip { .. } => format!("{} → IP {}", r.element, r.name),
                ReferenceKind::Dns => format!("{} → {}", r.element, r.name),
            })
            .collect();
        out.push(format!("       references: {}", refs.join(", ")));
    }
    let Some(c) = &a.connection else { return };
    if let Some(v) = &c.verification {
        if !v.chain.is_empty() {
            let chain: Vec<String> = v
                .chain
                .iter()
                .map(|s| {
                    let origin = match s.origin {
                        Origin::Served => "sent by the server",
                        Origin::CaFile => "from the CAfile",
                        Origin::TrustAnchor => "trust anchor",
                    };
                    format!("{} ({origin})", s.subject)
                })
                .collect();
            out.push(format!("       chain: {}{}", chain.join(" ← "), if v.anchor_assumed { " ← [issuer assumed trusted]" } else { "" }));
        }
        let grid = v.names.as_ref().map(|n| &n.comparisons).or(v.legacy_names.as_ref().map(|l| &l.check.comparisons));
        if let Some(grid) = grid {
            for cmp in grid.iter().filter(|c| c.evaluated || c.matched()) {
                let r = a.references.get(cmp.reference).map(|r| r.name.clone()).unwrap_or_default();
                let verdict = if cmp.matched() { style.green("match") } else { style.red("no") };
                out.push(format!("       {r:<32} × {:<34} {verdict:<5}  {}", cmp.cert_name, style.dim(cmp.rule.describe())));
            }
        }
        if let Some(fp) = &v.fingerprint {
            match &fp.matched {
                Some(m) => out.push(format!("       fingerprint matched: {m}")),
                None => out.push("       no fingerprint matched".into()),
            }
        }
    }
    if let Some(line) = &c.failure_line {
        out.push(format!("       logs: {}", style.yellow(line)));
    }
}

fn step_lines(step: &Step, style: &Style) -> Vec<String> {
    let mut out = vec![format!("{:>3}. {}  {}  {}", step.number, mark(step.mark, style), style.bold(&step.title), step.summary)];
    match &step.detail {
        StepDetail::PolicyLookup { walk, .. } => {
            for p in &walk.probes {
                let r = match &p.result {
                    ProbeResult::Found { value, .. } => style.green(&format!("found: {value}")),
                    ProbeResult::NotFound => style.dim("not found"),
                    ProbeResult::Error => style.red("lookup error"),
                };
                out.push(format!("       {:<40} {r}", p.key));
            }
        }
        StepDetail::Server { attempt } => server_lines(attempt, style, &mut out),
        _ => {}
    }
    out.push(format!("       {} {} ({})", style.dim("rule:"), style.dim(&step.rule.text), style.dim(&step.rule.versions)));
    out
}

/// Renders the report as text.
pub fn render(report: &Report, style: &Style) -> String {
    let mut out = Vec::new();
    out.push(style.bold(&format!("peername — Postfix {} ({})", report.postfix_version, report.era.label())));
    if let Some(at) = &report.evaluated_at {
        out.push(style.dim(&format!("certificate dates evaluated at {at}")));
    }
    out.push(String::new());
    for step in &report.trace {
        out.extend(step_lines(step, style));
    }
    out.push(String::new());
    let head = if report.verdict.delivered { style.green("DELIVERED") } else { style.red("NOT DELIVERED") };
    out.push(format!("{head}: {}", report.verdict.headline));
    if !report.log.is_empty() {
        out.push(String::new());
        out.push(style.bold(&format!("Log lines Postfix {} writes:", report.postfix_version)));
        for l in &report.log {
            out.push(format!("  {}", l.render()));
        }
    }
    if !report.fixes.is_empty() {
        out.push(String::new());
        out.push(style.bold("Policy changes that would deliver (each re-checked):"));
        for (i, f) in report.fixes.iter().enumerate() {
            out.push(format!("  {}. {}", i + 1, style.green(&f.line)));
            out.push(format!("     {}", style.dim(&format!("cost: {}", f.cost))));
        }
    }
    for d in &report.diagnostics {
        out.push(format!("{}: {}", style.yellow(&format!("{:?}", d.severity).to_lowercase()), d.message));
    }
    out.join("\n") + "\n"
}

//! The walk as readable text: the same trace the page draws, step by step, in the chosen
//! language (literal Postfix text — log lines, policy lines, names — verbatim).

use super::{columns, words};
use crate::style::Style;
use peername_engine::delivery::HostAttempt;
use peername_engine::names::reference::ReferenceKind;
use peername_engine::policy::lookup::ProbeResult;
use peername_engine::report::Report;
use peername_engine::tls::verify::Origin;
use peername_engine::trace::{Mark, Step, StepDetail};
use peername_i18n::{t, tf, Lang};

fn mark(lang: Lang, m: Mark, style: &Style) -> String {
    match m {
        Mark::Pass => style.green(&format!("✔ {}", t(lang, "cli.mark.pass"))),
        Mark::Fail => style.red(&format!("✘ {}", t(lang, "cli.mark.fail"))),
        Mark::Info => style.blue(&format!("• {}", t(lang, "cli.mark.info"))),
        Mark::Warn => style.yellow(&format!("! {}", t(lang, "cli.mark.warn"))),
        Mark::Skip => style.dim(&format!("– {}", t(lang, "cli.mark.skip"))),
    }
}

fn server_lines(lang: Lang, a: &HostAttempt, style: &Style, out: &mut Vec<String>) {
    if !a.references.is_empty() {
        let refs: Vec<String> = a
            .references
            .iter()
            .map(|r| match &r.kind {
                ReferenceKind::Skipped { warning } => tf(lang, "cli.report.reference-skipped", &[("element", &r.element), ("warning", warning)]),
                ReferenceKind::Ip { .. } => tf(lang, "cli.report.reference-ip", &[("element", &r.element), ("name", &r.name)]),
                ReferenceKind::Dns => format!("{} → {}", r.element, r.name),
            })
            .collect();
        out.push(format!("       {}", tf(lang, "cli.report.references", &[("references", &refs.join(", "))])));
    }
    let Some(c) = &a.connection else { return };
    if let Some(v) = &c.verification {
        if !v.chain.is_empty() {
            let chain: Vec<String> = v
                .chain
                .iter()
                .map(|s| {
                    let origin = match s.origin {
                        Origin::Served => t(lang, "cli.report.origin.served"),
                        Origin::CaFile => t(lang, "cli.report.origin.ca-file"),
                        Origin::TrustAnchor => t(lang, "cli.report.origin.trust-anchor"),
                    };
                    format!("{} ({origin})", s.subject)
                })
                .collect();
            let assumed = if v.anchor_assumed { format!(" ← {}", t(lang, "cli.report.anchor-assumed")) } else { String::new() };
            out.push(format!("       {}", tf(lang, "cli.report.chain", &[("chain", &format!("{}{assumed}", chain.join(" ← ")))])));
        }
        let grid = v.names.as_ref().map(|n| &n.comparisons).or(v.legacy_names.as_ref().map(|l| &l.check.comparisons));
        if let Some(grid) = grid {
            let (yes, no) = (t(lang, "cli.report.match"), t(lang, "cli.report.no-match"));
            let verdict_columns = columns::width(yes).max(columns::width(no));
            for cmp in grid.iter().filter(|c| c.evaluated || c.matched()) {
                let r = a.references.get(cmp.reference).map(|r| r.name.clone()).unwrap_or_default();
                let verdict = if cmp.matched() { columns::pad_styled(&style.green(yes), yes, verdict_columns) } else { columns::pad_styled(&style.red(no), no, verdict_columns) };
                out.push(format!("       {} × {} {verdict}  {}", columns::pad(&r, 32), columns::pad(&cmp.cert_name, 34), style.dim(&words::match_rule(lang, cmp.rule))));
            }
        }
        if let Some(fp) = &v.fingerprint {
            match &fp.matched {
                Some(m) => out.push(format!("       {}", tf(lang, "cli.report.fingerprint-matched", &[("fingerprint", m)]))),
                None => out.push(format!("       {}", t(lang, "cli.report.no-fingerprint-matched"))),
            }
        }
    }
    if let Some(line) = &c.failure_line {
        out.push(format!("       {}", tf(lang, "cli.report.logs", &[("line", &style.yellow(line))])));
    }
}

fn step_lines(lang: Lang, step: &Step, style: &Style) -> Vec<String> {
    let mut out = vec![format!(
        "{:>3}. {}  {}  {}",
        step.number,
        mark(lang, step.mark, style),
        style.bold(&words::step_title(lang, step)),
        words::step_summary(lang, step)
    )];
    match &step.detail {
        StepDetail::PolicyLookup { walk, .. } => {
            for p in &walk.probes {
                let r = match &p.result {
                    ProbeResult::Found { value, .. } => style.green(&tf(lang, "cli.report.probe.found", &[("value", value)])),
                    ProbeResult::NotFound => style.dim(t(lang, "cli.report.probe.not-found")),
                    ProbeResult::Error => style.red(t(lang, "cli.report.probe.error")),
                };
                out.push(format!("       {} {r}", columns::pad(&p.key, 40)));
            }
        }
        StepDetail::Server { attempt } => server_lines(lang, attempt, style, &mut out),
        _ => {}
    }
    let (rule, versions) = words::step_rule(lang, step);
    out.push(format!("       {} {} ({})", style.dim(t(lang, "cli.report.rule")), style.dim(&rule), style.dim(&versions)));
    out
}

/// Renders the report as text in `lang`.
pub fn render(report: &Report, lang: Lang, style: &Style) -> String {
    let mut out = Vec::new();
    let era = words::era(lang, report.era);
    out.push(style.bold(&tf(lang, "cli.report.header", &[("version", &report.postfix_version), ("era", &era)])));
    if let Some(at) = &report.evaluated_at {
        out.push(style.dim(&tf(lang, "cli.report.evaluated-at", &[("time", at)])));
    }
    out.push(String::new());
    for step in &report.trace {
        out.extend(step_lines(lang, step, style));
    }
    out.push(String::new());
    let head = if report.verdict.delivered {
        style.green(t(lang, "cli.verdict.delivered"))
    } else if report.verdict.status == peername_engine::explain::LMTP {
        style.yellow(t(lang, "cli.verdict.not-modelled"))
    } else {
        style.red(t(lang, "cli.verdict.not-delivered"))
    };
    out.push(format!("{head}: {}", words::verdict_headline(lang, report)));
    if !report.log.is_empty() {
        out.push(String::new());
        out.push(style.bold(&tf(lang, "cli.report.log-heading", &[("version", &report.postfix_version)])));
        for l in &report.log {
            out.push(format!("  {}", l.render()));
        }
    }
    if !report.fixes.is_empty() {
        out.push(String::new());
        out.push(style.bold(t(lang, "cli.report.fixes-heading")));
        for (i, f) in report.fixes.iter().enumerate() {
            out.push(format!("  {}. {}", i + 1, style.green(&f.line)));
            out.push(format!("     {}", style.dim(&tf(lang, "cli.report.cost", &[("cost", &words::fix_cost(lang, f))]))));
        }
    }
    for d in &report.diagnostics {
        out.push(format!("{}: {}", style.yellow(&words::severity(lang, d.severity)), words::diagnostic_message(lang, d)));
    }
    out.join("\n") + "\n"
}

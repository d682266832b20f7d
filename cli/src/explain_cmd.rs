//! `peername explain`: exit 0 delivered, 1 deferred/bounced, 2 bad input.

mod log;

use crate::args::ExplainArgs;
use crate::inputs;
use crate::render;
use crate::style::Style;
use peername_engine::diag::Severity;
use peername_i18n::tf;

/// Runs the command (the arguments are boxed: they are by far the largest subcommand's).
pub fn run(a: Box<ExplainArgs>) -> Result<u8, Vec<String>> {
    let a = *a;
    if let Some(path) = a.log.clone() {
        return log::run(&a, &path);
    }
    let scenario = inputs::scenario(&a, &inputs::now_rfc3339())?;
    let report = peername_engine::explain(&scenario);
    let blocking: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && matches!(d.code.as_str(), "destination.empty" | "scenario.bad-version"))
        .map(|d| render::words::diagnostic_message(crate::lang::current(), d))
        .collect();
    if !blocking.is_empty() {
        return Err(blocking);
    }
    if a.json {
        match serde_json::to_string_pretty(&report) {
            Ok(j) => crate::output::println(&j),
            Err(e) => return Err(vec![tf(crate::lang::current(), "cli.error.json", &[("error", &e.to_string())])]),
        }
    } else {
        crate::output::print(&render::report::render(&report, crate::lang::current(), &Style::new(a.color)));
    }
    Ok(if report.verdict.delivered { 0 } else { 1 })
}

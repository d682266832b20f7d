//! Diagnostics in rustc/miette style: code, message, `--> file:line:col`, the source line and
//! a caret under the exact bytes, then Postfix's own warning (verbatim) and a hint. The label,
//! message and hint are in the chosen language; the code and Postfix's warning never are.

use super::words;
use crate::style::Style;
use peername_engine::diag::{Diagnostic, Severity};
use peername_i18n::{tf, words::severity, Lang};

/// Renders one diagnostic in `lang`. `line_text` is the source line it points into, when known.
pub fn render(d: &Diagnostic, file: &str, line_text: Option<&str>, lang: Lang, style: &Style) -> String {
    let paint: fn(&Style, &str) -> String = match d.severity {
        Severity::Error => Style::red,
        Severity::Warning => Style::yellow,
        Severity::Info => Style::blue,
    };
    let label = severity(lang, d.severity);
    let mut out = format!("{}: {}\n", paint(style, &format!("{label}[{}]", d.code)), style.bold(&words::diagnostic_message(lang, d)));
    let (line, column) = d.position.map(|p| (p.line, p.column)).unwrap_or((0, 0));
    if line > 0 {
        out.push_str(&format!("  {} {file}:{line}:{column}\n", style.blue("-->")));
    } else {
        out.push_str(&format!("  {} {file}\n", style.blue("-->")));
    }
    if let (Some(text), true) = (line_text, line > 0) {
        let gutter = " ".repeat(line.to_string().len());
        let width = d.span.map(|s| s.end.saturating_sub(s.start)).unwrap_or(1).max(1);
        let visible: String = text.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
        let prefix: String = visible.chars().take(column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let carets = "^".repeat(width.min(visible.chars().count().saturating_sub(column.saturating_sub(1)).max(1)));
        out.push_str(&format!("{gutter} {}\n", style.blue("|")));
        out.push_str(&format!("{} {} {visible}\n", style.blue(&line.to_string()), style.blue("|")));
        out.push_str(&format!("{gutter} {} {prefix}{}\n", style.blue("|"), paint(style, &carets)));
    }
    if let Some(w) = d.params.get("postfix_warning") {
        let w = postfix_text(w, file);
        out.push_str(&format!("  {} {}\n", style.blue("="), tf(lang, "cli.diag.postfix-logs", &[("warning", &format!("warning: {w}"))])));
    }
    if let Some(h) = words::diagnostic_hint(lang, d) {
        out.push_str(&format!("  {} {}\n", style.blue("="), tf(lang, "cli.diag.help", &[("hint", &h)])));
    }
    out
}

/// A Postfix message from the engine with its `FILE` placeholder (where Postfix names the
/// table file) replaced by `file`.
pub fn postfix_text(text: &str, file: &str) -> String {
    text.strip_prefix("FILE").map_or_else(|| text.to_string(), |rest| format!("{file}{rest}"))
}

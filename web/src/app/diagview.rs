//! A diagnostic ready to show under its pane: `line:column`, the line it points into and a
//! caret line under the exact span (miette/ariadne style, as text in a `<pre>`).

use super::i18n::Lang;
use super::text::{diagnostic_hint, diagnostic_message};
use peername_engine::diag::{Diagnostic, Severity};

/// Characters of context shown on each side of a span in a very long line.
const WINDOW: usize = 60;

/// One diagnostic as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagView {
    /// Stable code (shown small, searchable).
    pub code: String,
    /// How bad.
    pub severity: Severity,
    /// 1-based line and column, when the diagnostic points somewhere.
    pub position: Option<(usize, usize)>,
    /// Message in the page's language (engine English as fallback).
    pub message: String,
    /// Hint, likewise.
    pub hint: Option<String>,
    /// The line the span starts in (cut around the span when very long).
    pub line: Option<String>,
    /// Spaces (tabs kept) then `^` under the span.
    pub caret: Option<String>,
}

/// The line a diagnostic points into and its caret line, from the text it was made for.
pub fn snippet_of(d: &Diagnostic, text: &str) -> Option<(String, String)> {
    match d.span {
        Some(span) if span.start <= text.len() => match snippet(text, span.start, span.end.min(text.len())) {
            (Some(line), Some(caret)) => Some((line, caret)),
            _ => None,
        },
        _ => None,
    }
}

/// Builds the view of `d` with its snippet (see [`snippet_of`]).
pub fn view(lang: Lang, d: &Diagnostic, snippet: Option<&(String, String)>) -> DiagView {
    let (line, caret) = match snippet {
        Some((l, c)) => (Some(l.clone()), Some(c.clone())),
        None => (None, None),
    };
    DiagView {
        code: d.code.clone(),
        severity: d.severity,
        position: d.position.map(|p| (p.line, p.column)),
        message: diagnostic_message(lang, d),
        hint: diagnostic_hint(lang, d),
        line,
        caret,
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The line holding byte `start` and a caret line under `start..end` (clipped to that line).
fn snippet(text: &str, start: usize, end: usize) -> (Option<String>, Option<String>) {
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end.max(start));
    let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
    let line = text[line_start..line_end].trim_end_matches('\r');
    let before: Vec<char> = text[line_start..start].chars().collect();
    let inside = text[start..end.min(line_start + line.len()).max(start)].chars().count().max(1);
    let after: Vec<char> = line.get(start - line_start..).unwrap_or("").chars().collect();
    // Very long lines: show a window around the span.
    let (skip, prefix) = if before.len() > WINDOW { (before.len() - WINDOW, "…") } else { (0, "") };
    let shown_after = after.len().min(inside + WINDOW);
    let suffix = if after.len() > shown_after { "…" } else { "" };
    let mut shown = String::from(prefix);
    shown.extend(before[skip..].iter());
    shown.extend(after[..shown_after].iter());
    shown.push_str(suffix);
    let mut caret: String = prefix.chars().map(|_| ' ').collect();
    caret.extend(before[skip..].iter().map(|&c| if c == '\t' { '\t' } else { ' ' }));
    caret.extend(std::iter::repeat_n('^', inside.min(shown_after.max(1))));
    (Some(shown), Some(caret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use peername_engine::diag::{Source, Span};

    fn caret_of(text: &str, start: usize, end: usize) -> (String, String) {
        let (l, c) = snippet(text, start, end);
        (l.unwrap(), c.unwrap())
    }

    #[test]
    fn the_caret_sits_under_the_span() {
        let text = "a.example may\nfastmail.fm secur ciphers=high\n";
        let at = text.find("secur").unwrap();
        let (line, caret) = caret_of(text, at, at + 5);
        assert_eq!(line, "fastmail.fm secur ciphers=high");
        assert_eq!(caret, "            ^^^^^");
    }

    #[test]
    fn tabs_are_kept_so_the_caret_lines_up_and_multibyte_text_counts_characters() {
        let (line, caret) = caret_of("bücher.example\tsecure", 16, 22);
        assert_eq!(line, "bücher.example\tsecure");
        assert_eq!(caret, "              \t^^^^^^");
    }

    #[test]
    fn spans_past_the_line_end_and_empty_spans_still_get_one_caret() {
        let (_, caret) = caret_of("key\nnext\n", 3, 9);
        assert_eq!(caret, "   ^");
        let (_, caret) = caret_of("key value", 4, 4);
        assert_eq!(caret, "    ^");
        let (line, caret) = caret_of("", 0, 0);
        assert_eq!((line.as_str(), caret.as_str()), ("", "^"));
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("{}BAD{}", "x".repeat(500), "y".repeat(500));
        let (line, caret) = caret_of(&text, 500, 503);
        assert!(line.starts_with('…') && line.ends_with('…') && line.contains("BAD"), "{line}");
        let column = |text: &str, pat: &str| text.find(pat).map(|b| text[..b].chars().count());
        assert_eq!(column(&line, "BAD"), column(&caret, "^"));
        assert!(line.chars().count() < 200);
    }

    #[test]
    fn views_carry_position_and_words() {
        let d = Diagnostic::error("destination.empty", Source::Destination, "x").at(Span::new(0, 0));
        let d = Diagnostic { position: Some(peername_engine::diag::Position { line: 1, column: 1 }), ..d };
        let snippet = snippet_of(&d, "");
        let v = view(Lang::En, &d, snippet.as_ref());
        assert_eq!(v.position, Some((1, 1)));
        assert_eq!(v.caret.as_deref(), Some("^"));
        let plain = Diagnostic::warning("x.y", Source::Mx, "plain");
        assert_eq!(snippet_of(&plain, "text"), None);
        let v = view(Lang::En, &plain, None);
        assert_eq!((v.line, v.message.as_str()), (None, "plain"));
    }
}

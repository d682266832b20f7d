//! Diagnostics: what a parser could not read, with a stable code, a byte span and a hint.
//!
//! Parsing never fails in peername: every parser returns what it could read plus a list of
//! [`Diagnostic`]s. The engine returns codes and parameters; renderers (page, CLI) turn the code
//! into words in the reader's language, and fall back to [`Diagnostic::message`] (English).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which pasted input a diagnostic points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// main.cf text or `postconf -n` output.
    MainCf,
    /// The tls_policy table text.
    PolicyTable,
    /// The transport table text.
    TransportTable,
    /// The destination field (recipient or next-hop).
    Destination,
    /// The MX list (plain, `host -t MX` or `dig` output).
    Mx,
    /// Address records (A/AAAA) typed or pasted by the user.
    Addresses,
    /// Certificate input number N (PEM text or DER bytes).
    Certificates(usize),
    /// The CA bundle the client trusts.
    CaBundle,
    /// TLSA records for DANE.
    Tlsa,
    /// A pasted Postfix log excerpt.
    Log,
    /// The scenario as a whole (e.g. an unknown Postfix version).
    Scenario,
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input could not be used as written.
    Error,
    /// Usable, but probably not what was meant, or Postfix would warn.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

/// A half-open byte range `[start, end)` into one input text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        if end < start {
            Span { start: end, end: start }
        } else {
            Span { start, end }
        }
    }

    /// The same span moved `by` bytes to the right (for sub-slices of a larger text).
    pub fn shifted(self, by: usize) -> Self {
        Span { start: self.start + by, end: self.end + by }
    }

    /// The text the span covers, or "" when it does not fit `text`.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// A 1-based line and column (in characters) of a byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values.
    pub column: usize,
}

/// Computes [`Position`]s for byte offsets of one text.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text` (`\n` ends a line; a `\r` before it is part of the line).
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// The position of byte `offset` (clamped to the text, and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        Position { line: line + 1, column }
    }

    /// The full text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).map(|e| e - 1).unwrap_or(self.text.len());
        self.text[start..end.max(start)].trim_end_matches('\r')
    }
}

/// One finding about an input: code, message, where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable identifier, e.g. `policy.invalid-attribute-name`; renderers translate by it.
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// The input it is about.
    pub source: Source,
    /// The bytes it is about, when it is about particular bytes.
    pub span: Option<Span>,
    /// Where `span` starts (filled by [`Diagnostic::locate`]).
    pub position: Option<Position>,
    /// English text (the fallback rendering of `code` with `params`).
    pub message: String,
    /// What to do about it, in English, when there is something to do.
    pub hint: Option<String>,
    /// Named values the message mentions, for translated renderings.
    pub params: BTreeMap<String, String>,
}

impl Diagnostic {
    /// A diagnostic without a span; add one with [`Diagnostic::at`].
    pub fn new(code: &str, severity: Severity, source: Source, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity,
            source,
            span: None,
            position: None,
            message: message.into(),
            hint: None,
            params: BTreeMap::new(),
        }
    }

    /// An error.
    pub fn error(code: &str, source: Source, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, source, message)
    }

    /// A warning.
    pub fn warning(code: &str, source: Source, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, source, message)
    }

    /// An informational note.
    pub fn info(code: &str, source: Source, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, source, message)
    }

    /// Points the diagnostic at `span`.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a named parameter for translated renderings.
    pub fn param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// The catalogue key of the message: `diag.<code>`, or `diag.<code>.<variant>` when the
    /// code has several message shapes and the `variant` param names this one.
    pub fn message_key(&self) -> String {
        match self.params.get("variant") {
            Some(variant) => format!("diag.{}.{variant}", self.code),
            None => format!("diag.{}", self.code),
        }
    }

    /// The catalogue key of the hint: the message key followed by `.hint`.
    pub fn hint_key(&self) -> String {
        format!("{}.hint", self.message_key())
    }

    /// The catalogue text of `key` (see [`Diagnostic::message_key`]) filled with this
    /// diagnostic's params, through `text(key, args)`: a renderer's catalogue lookup that fills
    /// placeholders and answers `None` for a missing key or value.
    ///
    /// A param named `<x>_code` holds a keyword instead of words: the placeholder `{<x>}` is
    /// filled with the catalogue text `diag.<x>.<keyword>` (itself filled with the params), so
    /// no English phrase has to travel in a param. `None` when any text or value is missing:
    /// the renderer then shows [`Diagnostic::message`] or [`Diagnostic::hint`].
    pub fn words(&self, key: &str, text: impl Fn(&str, &[(&str, &str)]) -> Option<String>) -> Option<String> {
        let plain: Vec<(&str, &str)> = self.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut phrases: Vec<(&str, String)> = Vec::new();
        for (name, value) in &self.params {
            if let Some(base) = name.strip_suffix("_code") {
                phrases.push((base, text(&format!("diag.{base}.{value}"), &plain)?));
            }
        }
        let mut args: Vec<(&str, &str)> = phrases.iter().map(|(k, v)| (*k, v.as_str())).collect();
        args.extend(plain.iter().copied());
        text(key, &args)
    }

    /// Fills `position` from `span` against the text the span points into.
    pub fn locate(mut self, index: &LineIndex<'_>) -> Self {
        if let Some(span) = self.span {
            self.position = Some(index.position(span.start));
        }
        self
    }
}

/// Fills the position of every diagnostic that points into `text`.
pub fn locate_all(diagnostics: &mut [Diagnostic], text: &str) {
    let index = LineIndex::new(text);
    for d in diagnostics.iter_mut() {
        if let Some(span) = d.span {
            d.position = Some(index.position(span.start));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let text = "ab\nçd e\r\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(3), Position { line: 2, column: 1 });
        // 'd' comes after the two-byte 'ç'
        assert_eq!(idx.position(5), Position { line: 2, column: 2 });
        assert_eq!(idx.position(text.len()), Position { line: 3, column: 2 });
        assert_eq!(idx.line_text(2), "çd e");
        assert_eq!(idx.line_text(9), "");
    }

    #[test]
    fn offsets_inside_a_character_are_clamped_back() {
        let idx = LineIndex::new("ç");
        assert_eq!(idx.position(1), Position { line: 1, column: 1 });
        assert_eq!(idx.position(99), Position { line: 1, column: 2 });
    }

    #[test]
    fn builder_sets_span_hint_and_params() {
        let d = Diagnostic::error("x.y", Source::Mx, "bad")
            .at(Span::new(4, 2))
            .hint("fix it")
            .param("name", "v");
        assert_eq!(d.span, Some(Span { start: 2, end: 4 }));
        assert_eq!(d.hint.as_deref(), Some("fix it"));
        assert_eq!(d.params.get("name").map(String::as_str), Some("v"));
    }

    #[test]
    fn keys_follow_the_variant_and_code_params_become_phrases() {
        let d = Diagnostic::warning("mx.bad-hostname", Source::Mx, "x").param("exchange", "a..b").param("reason_code", "dot");
        assert_eq!(d.message_key(), "diag.mx.bad-hostname");
        assert_eq!(d.hint_key(), "diag.mx.bad-hostname.hint");
        let catalogue = |key: &str, args: &[(&str, &str)]| -> Option<String> {
            let text = match key {
                "diag.mx.bad-hostname" => "{exchange}: {reason}",
                "diag.reason.dot" => "a dot in {exchange}",
                _ => return None,
            };
            let mut out = text.to_string();
            for (name, value) in args.iter().rev() {
                out = out.replace(&format!("{{{name}}}"), value);
            }
            Some(out)
        };
        assert_eq!(d.words(&d.message_key(), catalogue).as_deref(), Some("a..b: a dot in a..b"));
        assert_eq!(d.words(&d.hint_key(), catalogue), None);
        let v = d.param("variant", "address");
        assert_eq!(v.message_key(), "diag.mx.bad-hostname.address");
    }
}

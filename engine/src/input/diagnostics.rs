//! Collecting the diagnostics of one parse: a cap, so a pasted binary file cannot produce a
//! million findings, and positions computed in one pass over the text.
//!
//! [`crate::diag::locate_all`] counts characters from the start of a diagnostic's line, which
//! is quadratic when thousands of diagnostics sit on one 10 MB line; [`locate_linear`] gives
//! the same positions (a property test checks this) in a single sweep.

use crate::diag::{Diagnostic, Position, Source};

/// Most diagnostics one parse keeps; the rest are counted in one `*.too-many-diagnostics` note.
pub const DIAGNOSTIC_LIMIT: usize = 10_000;

/// Diagnostics of one parse, capped at [`DIAGNOSTIC_LIMIT`].
pub(crate) struct Sink {
    list: Vec<Diagnostic>,
    dropped: usize,
    prefix: &'static str,
    source: Source,
}

impl Sink {
    /// An empty sink; `prefix` names the input in codes (`table`, `maincf`, `mx`, …).
    pub(crate) fn new(prefix: &'static str, source: Source) -> Self {
        Sink { list: Vec::new(), dropped: 0, prefix, source }
    }

    /// Keeps `d` unless the cap is reached.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        if self.is_full() {
            self.dropped += 1;
        } else {
            self.list.push(d);
        }
    }

    /// Builds and keeps a diagnostic unless the cap is reached (then it is only counted, so a
    /// million bad lines cost no formatting).
    pub(crate) fn push_with(&mut self, make: impl FnOnce() -> Diagnostic) {
        if self.is_full() {
            self.dropped += 1;
        } else {
            self.list.push(make());
        }
    }

    /// Counts `n` diagnostics that were not even built.
    pub(crate) fn dropped(&mut self, n: usize) {
        self.dropped += n;
    }

    /// True when no more diagnostics are kept.
    pub(crate) fn is_full(&self) -> bool {
        self.list.len() >= DIAGNOSTIC_LIMIT
    }

    /// The diagnostics with positions filled against `text`, plus a note when some were dropped.
    pub(crate) fn finish(mut self, text: &str) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            let code = format!("{}.too-many-diagnostics", self.prefix);
            let d = Diagnostic::info(
                &code,
                self.source,
                format!(
                    "{} more findings were not listed; only the first {} are shown.",
                    self.dropped, DIAGNOSTIC_LIMIT
                ),
            )
            .param("dropped", self.dropped.to_string())
            .param("limit", DIAGNOSTIC_LIMIT.to_string());
            self.list.push(d);
        }
        locate_linear(&mut self.list, text);
        self.list
    }
}

/// Fills every diagnostic's `position` from its span, exactly as
/// [`crate::diag::locate_all`] would, in one pass over `text`.
pub fn locate_linear(diagnostics: &mut [Diagnostic], text: &str) {
    let mut order: Vec<(usize, usize)> =
        diagnostics.iter().enumerate().filter_map(|(i, d)| d.span.map(|s| (s.start.min(text.len()), i))).collect();
    order.sort_unstable();
    let mut chars = text.char_indices().peekable();
    let mut line = 1usize;
    let mut column = 1usize;
    for (offset, i) in order {
        while let Some(&(at, c)) = chars.peek() {
            if at + c.len_utf8() > offset {
                break;
            }
            chars.next();
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        if let Some(d) = diagnostics.get_mut(i) {
            d.position = Some(Position { line, column });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{locate_all, Span};
    use proptest::prelude::*;

    fn diags_at(offsets: &[usize]) -> Vec<Diagnostic> {
        offsets.iter().map(|&o| Diagnostic::info("t.x", Source::Mx, "x").at(Span::new(o, o))).collect()
    }

    #[test]
    fn matches_locate_all_on_a_sample() {
        let text = "ab\nçd e\r\nx";
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        let mut a = diags_at(&offsets);
        let mut b = a.clone();
        locate_all(&mut a, text);
        locate_linear(&mut b, text);
        assert_eq!(a, b);
    }

    #[test]
    fn sink_caps_and_notes() {
        let mut sink = Sink::new("mx", Source::Mx);
        for _ in 0..DIAGNOSTIC_LIMIT + 5 {
            sink.push(Diagnostic::warning("mx.x", Source::Mx, "x").at(Span::new(0, 1)));
        }
        let list = sink.finish("abc");
        assert_eq!(list.len(), DIAGNOSTIC_LIMIT + 1);
        let last = list.last().map(|d| (d.code.as_str(), d.params.get("dropped").cloned()));
        assert_eq!(last, Some(("mx.too-many-diagnostics", Some("5".to_string()))));
    }

    proptest! {
        #[test]
        fn same_positions_as_locate_all(text in "(\\PC|\n|\r){0,40}", offsets in proptest::collection::vec(0usize..60, 0..12)) {
            let mut a = diags_at(&offsets);
            let mut b = a.clone();
            locate_all(&mut a, &text);
            locate_linear(&mut b, &text);
            prop_assert_eq!(a, b);
        }
    }
}

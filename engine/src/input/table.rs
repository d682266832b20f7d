//! Postfix lookup-table source files: the text a person feeds to `postmap` or `texthash:`
//! (the TLS policy table, the transport table).
//!
//! Postfix reads them with `readllines()` (see [`super::lines`]) and then splits each logical
//! line the way `postmap.c` and `dict_thash.c` do (identically since 3.2):
//! * the key ends at the first whitespace that is not inside `"…"` and not escaped with `\`;
//!   the key is kept in that quoted form;
//! * the value is the rest, with leading and trailing whitespace (`ISSPACE`, which includes
//!   `\r`) removed; a `\r` *inside* a value joined from CRLF continuation lines stays;
//! * a line without a value is ignored with `expected format: key whitespace value`;
//! * an unbalanced `"` makes Postfix ignore the line;
//! * C strings end at a NUL byte, so Postfix sees nothing of a line after a NUL.
//!
//! Duplicate keys are compared after folding to lower case, as the fixed-key tables (hash,
//! btree, lmdb, cdb, texthash) do (spec §1.3).

use super::chars::{code_point, find_suspicious, inline_comment, is_space};
use super::diagnostics::{Sink, DIAGNOSTIC_LIMIT};
use super::lines::{physical_lines, LineJoiner, LogicalLine};
use crate::diag::{Diagnostic, Position, Source, Span};
use super::key_index::KeyIndex;
use std::ops::Range;

/// One `key value` entry of a table source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableEntry {
    /// The key as written (in quoted form, not case-folded).
    pub key: String,
    /// The value: continuation lines joined with their leading whitespace, outer whitespace
    /// trimmed (Postfix logs `secure\n  match=x` as `secure  match=x`).
    pub value: String,
    /// Where the key is.
    pub key_span: Span,
    /// From the value's first byte to its last byte; may cross continuation lines and the
    /// comment lines between them.
    pub value_span: Span,
    /// 1-based line of the key (Postfix's line number in its warnings).
    pub line: usize,
    /// `(offset in value, offset in text)` at the start of each physical line's part of the
    /// value, first one at offset 0; use [`TableEntry::text_span`] to map ranges.
    pub value_pieces: Vec<(usize, usize)>,
}

impl TableEntry {
    /// Maps a byte range of [`TableEntry::value`] (e.g. one policy attribute) back to the
    /// input text; the result may cross line ends when the range does.
    pub fn text_span(&self, value_range: Range<usize>) -> Span {
        let end = value_range.end.min(self.value.len());
        let start = value_range.start.min(end);
        let map = |at: usize| -> usize {
            let i = self.value_pieces.partition_point(|&(v, _)| v <= at);
            match self.value_pieces.get(i.saturating_sub(1)) {
                Some(&(v, t)) if v <= at => t + (at - v),
                _ => self.value_span.start + at,
            }
        };
        if start == end {
            let at = map(start);
            return Span::new(at, at);
        }
        Span::new(map(start), map(end - 1) + 1)
    }
}

/// A parsed table source file: every usable entry, in file order, and the findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableFile {
    /// Entries in file order; duplicates are kept (see `table.duplicate-key`).
    pub entries: Vec<TableEntry>,
    /// Findings, with positions filled.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the line-by-line table reading produces: an entry or a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableEvent {
    /// A usable entry.
    Entry(TableEntry),
    /// A finding (span and position relative to the whole input).
    Diagnostic(Diagnostic),
}

/// Postfix's key folding for fixed-key tables (`DICT_FLAG_FOLD_FIX`): lower case, UTF-8
/// aware. (Postfix uses ICU case folding for non-ASCII keys; this uses Unicode lower-casing,
/// which agrees for host names.)
pub fn fold_key(key: &str) -> String {
    if key.is_ascii() {
        key.to_ascii_lowercase()
    } else {
        key.to_lowercase()
    }
}

/// Reads a whole table source file. Never fails; see the module documentation for the rules.
pub fn parse_table(text: &str, source: Source) -> TableFile {
    let mut scanner = TableScanner::new(source);
    scanner.limit = DIAGNOSTIC_LIMIT;
    let mut sink = Sink::new("table", source);
    // One entry per line at most: sizing up front saves growing (and copying) a 10,000-entry
    // vector a dozen times on every keystroke in the page. Capped, so that a paste of empty
    // lines does not reserve memory for entries that never come.
    let lines = (text.bytes().filter(|&b| b == b'\n').count() + 1).min(100_000);
    let mut entries: Vec<TableEntry> = Vec::with_capacity(lines);
    let mut index = KeyIndex::with_capacity(lines);
    {
        let mut handle = |event: TableEvent| match event {
            TableEvent::Entry(entry) => {
                if let Some(first) = index.insert(&entry.key, entries.len(), |i| entries[i].key.as_str()) {
                    let first_line = entries[first].line;
                    sink.push_with(|| duplicate(&entry, first_line, source));
                }
                entries.push(entry);
            }
            TableEvent::Diagnostic(d) => sink.push(d),
        };
        for (line, offset, number) in physical_lines(text.as_bytes()) {
            scanner.push(line, offset, number, &mut handle);
        }
        scanner.finish(&mut handle);
    }
    sink.dropped(scanner.suppressed);
    TableFile { entries, diagnostics: sink.finish(text) }
}

fn duplicate(entry: &TableEntry, first_line: usize, source: Source) -> Diagnostic {
    Diagnostic::warning(
        "table.duplicate-key",
        source,
        format!(
            "The key \"{}\" is already on line {}. A texthash: table with a duplicate key \
             cannot be opened, so every lookup fails; postmap warns and keeps the first entry.",
            entry.key, first_line
        ),
    )
    .at(entry.key_span)
    .hint("Remove or merge one of the two entries.")
    .param("key", entry.key.clone())
    .param("first_line", first_line.to_string())
    .param("line", entry.line.to_string())
    .param("postfix_warning", format!("FILE, line {}: duplicate entry: \"{}\"", entry.line, entry.key))
}

/// The line-by-line state shared by [`parse_table`] and the streaming
/// [`super::table_reader::TableReader`]: byte order mark, CR detection and line joining.
pub(crate) struct TableScanner {
    joiner: LineJoiner,
    source: Source,
    seen_first_line: bool,
    seen_cr: bool,
    /// Diagnostics built at most (the rest are only counted in `suppressed`), so that
    /// [`parse_table`] does not format a million findings it will not keep.
    pub(crate) limit: usize,
    emitted: usize,
    pub(crate) suppressed: usize,
}

impl TableScanner {
    /// A scanner at the start of a file.
    pub(crate) fn new(source: Source) -> Self {
        TableScanner {
            joiner: LineJoiner::default(),
            source,
            seen_first_line: false,
            seen_cr: false,
            limit: usize::MAX,
            emitted: 0,
            suppressed: 0,
        }
    }

    /// Feeds one physical line (without `\n`) that starts at input offset `offset`.
    pub(crate) fn push(&mut self, line: &[u8], offset: usize, number: usize, out: &mut impl TableSink) {
        let (line, offset, skipped) = self.skip_bom(line, offset, number, out);
        if !self.seen_cr {
            if let Some(at) = line.iter().position(|&b| b == b'\r') {
                self.seen_cr = true;
                let d = self.carriage_return(line, at, offset, number, skipped);
                self.emit(out, || d);
            }
        }
        if let Some(logical) = self.joiner.push_at(line, offset, number, skipped) {
            self.read_logical(&logical, out);
            self.joiner.recycle(logical);
        }
    }

    /// Passes a diagnostic on, or only counts it once `limit` is reached.
    fn emit(&mut self, out: &mut impl TableSink, make: impl FnOnce() -> Diagnostic) {
        if self.emitted >= self.limit {
            self.suppressed += 1;
        } else {
            self.emitted += 1;
            out.diagnostic(make());
        }
    }

    /// [`TableScanner::emit`] with the position of joined offset `at` of `logical`.
    fn emit_at(
        &mut self,
        out: &mut impl TableSink,
        logical: &LogicalLine,
        at: usize,
        make: impl FnOnce() -> Diagnostic,
    ) {
        self.emit(out, || {
            let mut d = make();
            d.position = Some(logical.position(at));
            d
        });
    }

    /// Ends the input.
    pub(crate) fn finish(&mut self, out: &mut impl TableSink) {
        if let Some(logical) = self.joiner.finish() {
            self.read_logical(&logical, out);
        }
    }

    fn skip_bom<'a>(
        &mut self,
        line: &'a [u8],
        offset: usize,
        number: usize,
        out: &mut impl TableSink,
    ) -> (&'a [u8], usize, usize) {
        if self.seen_first_line {
            return (line, offset, 0);
        }
        self.seen_first_line = true;
        let Some(rest) = line.strip_prefix(b"\xef\xbb\xbf") else {
            return (line, offset, 0);
        };
        let mut d = Diagnostic::warning(
            "table.bom",
            self.source,
            "The file starts with a UTF-8 byte order mark. peername skips it, but Postfix \
             does not: the invisible character becomes part of the first line, so the first \
             key never matches (and a first comment line becomes an entry).",
        )
        .at(Span::new(offset, offset + 3))
        .hint("Save the file as UTF-8 without a byte order mark (BOM).");
        d.position = Some(Position { line: number, column: 1 });
        self.emit(out, || d);
        (rest, offset + 3, 1)
    }

    fn carriage_return(&self, line: &[u8], at: usize, offset: usize, number: usize, skipped: usize) -> Diagnostic {
        let at_end = at + 1 == line.len();
        let message = if at_end {
            "This file has Windows (CR LF) line ends. Postfix keeps the CR as part of the line: \
             it is trimmed from the end of a value, but stays inside a value that is joined \
             from continuation lines."
        } else {
            "A carriage return (CR) inside a line: Postfix treats it as whitespace, which \
             splits the key from the value or one attribute from the next."
        };
        let mut d = Diagnostic::warning("table.carriage-return", self.source, message)
            .at(Span::new(offset + at, offset + at + 1))
            .hint("Convert the file to Unix line ends (e.g. with dos2unix).")
            .param("line", number.to_string());
        if !at_end {
            d = d.param("variant", "inside");
        }
        let prefix = line.get(..at).unwrap_or(line);
        let column = skipped + prefix.iter().filter(|&&b| b & 0xc0 != 0x80).count() + 1;
        d.position = Some(Position { line: number, column });
        d
    }
}

impl TableScanner {
    /// Turns one logical line into an entry or findings, as `postmap`/`dict_thash` split it.
    fn read_logical(&mut self, logical: &LogicalLine, out: &mut impl TableSink) {
        let source = self.source;
        let line = logical.first_line();
        let whole = logical.text_span(0, logical.bytes.len());
        if logical.orphan {
            let shown: Vec<u8> = logical.bytes.iter().copied().take(30).collect();
            let more = if logical.bytes.len() > 30 { "..." } else { "" };
            let snippet = String::from_utf8_lossy(&shown).into_owned();
            self.emit_at(out, logical, 0, || {
                Diagnostic::warning(
                    "table.orphan-continuation",
                    source,
                    "This line starts with whitespace, which makes it a continuation, but there is no \
                 entry before it to continue. Postfix warns and ignores it.",
                )
                .at(whole)
                .hint("Remove the leading whitespace if this is meant to be an entry.")
                .param("line", line.to_string())
                .param(
                    "postfix_warning",
                    format!("FILE: logical line must not start with whitespace: \"{snippet}{more}\""),
                )
            });
            return;
        }
        let text = match std::str::from_utf8(&logical.bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.valid_up_to();
                self.emit_at(out, logical, at, || {
                    Diagnostic::warning(
                        "table.non-utf8",
                        source,
                        "This line is not valid UTF-8. With smtputf8_enable=yes Postfix ignores it.",
                    )
                    .at(logical.text_span(at, at + 1))
                    .hint("Save the file as UTF-8.")
                    .param("line", line.to_string())
                    .param("postfix_warning", format!("FILE, line {line}: non-UTF-8 input -- ignoring this line"))
                });
                return;
            }
        };
        let text = match text.find('\0') {
            Some(at) => {
                self.emit_at(out, logical, at, || {
                    Diagnostic::warning(
                        "table.nul-byte",
                        source,
                        "This line contains a NUL byte; Postfix reads the line only up to it.",
                    )
                    .at(logical.text_span(at, at + 1))
                    .hint("Remove the NUL byte (the file may be binary or UTF-16).")
                    .param("line", line.to_string())
                });
                text.get(..at).unwrap_or("")
            }
            None => text,
        };
        let split = split_key_value(text);
        let Split { key_end, value_start, value_end, unbalanced } = split;
        if unbalanced {
            self.emit_at(out, logical, 0, || {
                Diagnostic::error(
                    "table.unbalanced-quote",
                    source,
                    "The key has an opening '\"' without a closing one. Postfix (3.2 and later) ignores \
                 this line.",
                )
                .at(whole)
                .hint("Close the quote, or remove it: table keys rarely need quotes.")
                .param("line", line.to_string())
                .param(
                    "postfix_warning",
                    format!("FILE, line {line}: unbalanced '\"' in '{text}' -- ignoring this line"),
                )
            });
            return;
        }
        let key = text.get(..key_end).unwrap_or("");
        let value = text.get(value_start..value_end).unwrap_or("");
        if key.is_empty() || value.is_empty() {
            self.emit_at(out, logical, 0, || {
                Diagnostic::error(
                    "table.missing-value",
                    source,
                    format!(
                        "\"{key}\" has no value. Postfix expects \"key whitespace value\" and ignores \
                     this line."
                    ),
                )
                .at(if key.is_empty() { whole } else { logical.text_span(0, key_end) })
                .hint("Add the value after the key, separated by a space (e.g. \"example.com secure\").")
                .param("key", key)
                .param("line", line.to_string())
                .param(
                    "postfix_warning",
                    format!("FILE, line {line}: expected format: key whitespace value -- ignoring this line"),
                )
            });
            return;
        }
        if key.ends_with(':') {
            self.emit_at(out, logical, 0, || {
                Diagnostic::warning(
                    "table.colon-key",
                    source,
                    format!("The key \"{key}\" ends with ':'. The colon is part of the key, so it will not match."),
                )
                .at(logical.text_span(0, key_end))
                .hint("Write \"key value\" without a colon after the key.")
                .param("key", key)
                .param(
                    "postfix_warning",
                    format!("FILE, line {line}: record is in \"key: value\" format; is this an alias file?"),
                )
            });
        }
        for (field, s, base) in [("key", key, 0), ("value", value, value_start)] {
            if let Some((at, c)) = find_suspicious(s) {
                self.emit_at(out, logical, base + at, || {
                    Diagnostic::warning(
                        "table.suspicious-character",
                        source,
                        format!(
                            "The {field} contains the invisible or control character {}. Postfix \
                         treats it as an ordinary character, not as whitespace.",
                            code_point(c)
                        ),
                    )
                    .at(logical.text_span(base + at, base + at + c.len_utf8()))
                    .hint("Retype the line; pasting from web pages or word processors adds such characters.")
                    .param("field", field)
                    .param("variant", field)
                    .param("character", code_point(c))
                });
            }
        }
        if let Some(at) = inline_comment(value) {
            self.emit_at(out, logical, value_start + at, || {
                Diagnostic::warning(
                    "table.inline-comment",
                    source,
                    "Postfix has no end-of-line comments: the '#' and the text after it are part \
                     of the value.",
                )
                .at(logical.text_span(value_start + at, value_end))
                .hint("Move the comment to a line of its own that starts with '#'.")
                .param("comment", value.get(at..).unwrap_or(""))
            });
        }
        out.entry(&EntryView { key, value, line, logical, value_start, value_end, key_end });
    }
}

/// A table entry borrowed from the scanner's current logical line: what [`TableEntry`] holds,
/// without copying it (the streaming linter looks at a million of them).
pub(crate) struct EntryView<'a> {
    /// The key as written.
    pub key: &'a str,
    /// The value, trimmed (see [`TableEntry::value`]).
    pub value: &'a str,
    /// 1-based line of the key.
    pub line: usize,
    logical: &'a LogicalLine,
    key_end: usize,
    value_start: usize,
    value_end: usize,
}

impl EntryView<'_> {
    /// Where the key is.
    pub fn key_span(&self) -> Span {
        self.logical.text_span(0, self.key_end)
    }

    /// Where the value is (see [`TableEntry::value_span`]).
    pub fn value_span(&self) -> Span {
        self.logical.text_span(self.value_start, self.value_end)
    }

    /// [`TableEntry::text_span`] without the owned entry.
    pub fn text_span(&self, value_range: Range<usize>) -> Span {
        let end = value_range.end.min(self.value.len());
        let start = value_range.start.min(end);
        self.logical.text_span(self.value_start + start, self.value_start + end)
    }

    /// Input line and input offset where each physical line's part of the value starts (see
    /// [`TableEntry::value_pieces`]).
    pub fn value_pieces(&self) -> Vec<(usize, usize)> {
        self.logical.pieces_within(self.value_start, self.value_end)
    }

    /// Line and column (in characters) of input offset `at` inside this entry.
    pub fn position(&self, at: usize) -> Position {
        let pieces = &self.logical.pieces;
        let i = pieces.partition_point(|p| p.text <= at).saturating_sub(1);
        let joined = pieces.get(i).map_or(0, |p| p.joined + at.saturating_sub(p.text));
        self.logical.position(joined)
    }

    /// The owned entry.
    pub fn to_entry(&self) -> TableEntry {
        TableEntry {
            key: self.key.to_string(),
            value: self.value.to_string(),
            key_span: self.key_span(),
            value_span: self.value_span(),
            line: self.line,
            value_pieces: self.value_pieces(),
        }
    }
}

/// Where [`TableScanner`] delivers what it reads.
pub(crate) trait TableSink {
    /// A usable entry, borrowed for the duration of the call.
    fn entry(&mut self, entry: &EntryView<'_>);
    /// A finding.
    fn diagnostic(&mut self, d: Diagnostic);
}

/// Any `FnMut(TableEvent)` is a sink of owned events.
impl<F: FnMut(TableEvent)> TableSink for F {
    fn entry(&mut self, entry: &EntryView<'_>) {
        self(TableEvent::Entry(entry.to_entry()));
    }
    fn diagnostic(&mut self, d: Diagnostic) {
        self(TableEvent::Diagnostic(d));
    }
}

/// Byte offsets of a logical line's key and value.
struct Split {
    key_end: usize,
    value_start: usize,
    value_end: usize,
    unbalanced: bool,
}

/// The `postmap`/`dict_thash` split: the key ends at the first unquoted, unescaped whitespace.
fn split_key_value(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut i = 0usize;
    let mut in_quotes = false;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\' {
            i += 1;
            if i >= bytes.len() {
                break;
            }
        } else if is_space(b) {
            if !in_quotes {
                break;
            }
        } else if b == b'"' {
            in_quotes = !in_quotes;
        }
        i += 1;
    }
    let key_end = i.min(bytes.len());
    // The one whitespace byte that ended the key, then the value's leading whitespace.
    let mut value_start = (key_end + 1).min(bytes.len());
    while bytes.get(value_start).is_some_and(|&b| is_space(b)) {
        value_start += 1;
    }
    let mut value_end = bytes.len();
    while value_end > value_start && bytes.get(value_end - 1).is_some_and(|&b| is_space(b)) {
        value_end -= 1;
    }
    Split { key_end, value_start, value_end, unbalanced: in_quotes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use proptest::prelude::*;

    const SEED_POLICY: &str = include_str!("../../tests/fixtures/inputs/tls_policy");

    fn codes(t: &TableFile) -> Vec<&str> {
        t.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn kv(t: &TableFile) -> Vec<(&str, &str)> {
        t.entries.iter().map(|e| (e.key.as_str(), e.value.as_str())).collect()
    }

    #[test]
    fn seed_policy_table() {
        let t = parse_table(SEED_POLICY, Source::PolicyTable);
        assert_eq!(
            kv(&t),
            vec![
                ("facebook.com", "secure ciphers=high"),
                ("hearst.com", "secure match=gslb.pphosted.com ciphers=high"),
                ("fastmail.fm", "secure ciphers=high"),
            ]
        );
        assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
        let e = &t.entries[2];
        assert_eq!(e.line, 4);
        assert_eq!(e.key_span.slice(SEED_POLICY), "fastmail.fm");
        assert_eq!(e.value_span.slice(SEED_POLICY), "secure ciphers=high");
    }

    #[test]
    fn continuation_value_and_spans() {
        let text = "example.com secure\n# note\n  match=hostname\n";
        let t = parse_table(text, Source::PolicyTable);
        let e = &t.entries[0];
        assert_eq!(e.value, "secure  match=hostname");
        assert_eq!(e.value_span, Span::new(12, 42));
        assert_eq!(e.value_pieces, vec![(0, 12), (6, 26)]);
        let m = e.value.find("match").unwrap_or(0);
        assert_eq!(e.text_span(m..e.value.len()).slice(text), "match=hostname");
        assert_eq!(e.text_span(0..6).slice(text), "secure");
        assert_eq!(e.text_span(3..3), Span::new(15, 15));
    }

    #[test]
    fn borrowed_view_maps_like_the_owned_entry() {
        let text = "k\u{e9}y secure\n# note\n  match=h\u{f6}st:x\n\tciphers=high\n";
        struct Check<'t>(&'t str, usize);
        impl TableSink for Check<'_> {
            fn entry(&mut self, view: &EntryView<'_>) {
                let owned = view.to_entry();
                for start in 0..=owned.value.len() {
                    for end in start..=owned.value.len() + 1 {
                        assert_eq!(view.text_span(start..end), owned.text_span(start..end), "{start}..{end}");
                    }
                }
                let at = self.0.find("ciphers").unwrap_or(0);
                assert_eq!(view.position(at), Position { line: 4, column: 2 });
                let at = self.0.find(":x").unwrap_or(0);
                assert_eq!(view.position(at), Position { line: 3, column: 13 }, "characters, not bytes");
                self.1 += 1;
            }
            fn diagnostic(&mut self, d: Diagnostic) {
                panic!("unexpected {d:?}");
            }
        }
        let mut check = Check(text, 0);
        let mut scanner = TableScanner::new(Source::PolicyTable);
        for (line, offset, number) in physical_lines(text.as_bytes()) {
            scanner.push(line, offset, number, &mut check);
        }
        scanner.finish(&mut check);
        assert_eq!(check.1, 1);
    }

    #[test]
    fn missing_value_has_postfix_text() {
        let t = parse_table("a b\nlonely\n", Source::PolicyTable);
        assert_eq!(kv(&t), vec![("a", "b")]);
        let d = &t.diagnostics[0];
        assert_eq!(d.code, "table.missing-value");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.params.get("postfix_warning").map(String::as_str),
            Some("FILE, line 2: expected format: key whitespace value -- ignoring this line")
        );
        assert_eq!(d.span, Some(Span::new(4, 10)));
        assert_eq!(d.position.map(|p| (p.line, p.column)), Some((2, 1)));
    }

    #[test]
    fn crlf_is_trimmed_at_the_end_but_kept_inside() {
        let text = "a b\r\nc d\r\n  e=f\r\n";
        let t = parse_table(text, Source::PolicyTable);
        assert_eq!(kv(&t), vec![("a", "b"), ("c", "d\r  e=f")]);
        assert_eq!(codes(&t), vec!["table.carriage-return"]);
        let only_cr = parse_table("a\r\n", Source::PolicyTable);
        assert_eq!(codes(&only_cr), vec!["table.carriage-return", "table.missing-value"]);
    }

    #[test]
    fn bom_is_skipped_with_a_warning() {
        let text = "\u{feff}example.com secure\n";
        let t = parse_table(text, Source::PolicyTable);
        assert_eq!(kv(&t), vec![("example.com", "secure")]);
        assert_eq!(codes(&t), vec!["table.bom"]);
        assert_eq!(t.entries[0].key_span, Span::new(3, 14));
    }

    #[test]
    fn orphan_continuation() {
        let t = parse_table("  secure\n\tmore\nk v\n", Source::PolicyTable);
        assert_eq!(kv(&t), vec![("k", "v")]);
        assert_eq!(codes(&t), vec!["table.orphan-continuation"]);
        let pw = t.diagnostics[0].params.get("postfix_warning").cloned().unwrap_or_default();
        assert_eq!(pw, "FILE: logical line must not start with whitespace: \"  secure\tmore\"");
    }

    #[test]
    fn duplicates_fold_case_and_keep_both() {
        let t = parse_table("Example.COM secure\nexample.com verify\n", Source::PolicyTable);
        assert_eq!(t.entries.len(), 2);
        let d = &t.diagnostics[0];
        assert_eq!(d.code, "table.duplicate-key");
        assert_eq!(d.params.get("first_line").map(String::as_str), Some("1"));
        assert_eq!(d.position.map(|p| p.line), Some(2));
    }

    #[test]
    fn quotes_and_escapes_in_keys() {
        let t = parse_table("\"a b\" v1\nc\\ d v2\n\"open v3\n", Source::TransportTable);
        assert_eq!(kv(&t), vec![("\"a b\"", "v1"), ("c\\ d", "v2")]);
        assert_eq!(codes(&t), vec!["table.unbalanced-quote"]);
    }

    #[test]
    fn nul_truncates_and_colon_warns() {
        let t = parse_table("a b\0c\nkey: value\n", Source::PolicyTable);
        assert_eq!(kv(&t), vec![("a", "b"), ("key:", "value")]);
        assert_eq!(codes(&t), vec!["table.nul-byte", "table.colon-key"]);
    }

    #[test]
    fn no_break_space_is_not_a_separator() {
        let t = parse_table("example.com\u{a0}secure ciphers=high\n", Source::PolicyTable);
        assert_eq!(kv(&t), vec![("example.com\u{a0}secure", "ciphers=high")]);
        assert_eq!(codes(&t), vec!["table.suspicious-character"]);
    }

    #[test]
    fn quoted_key_may_continue_onto_the_next_line() {
        // Found by proptest: a quoted key includes the joined continuation.
        let text = "\"\n\t\"\r0";
        let t = parse_table(text, Source::PolicyTable);
        assert_eq!(kv(&t), vec![("\"\t\"", "0")]);
        assert_eq!(t.entries[0].key_span.slice(text), "\"\n\t\"");
    }

    #[test]
    fn positions_point_at_span_starts() {
        // Found by proptest: the colon-key note's position must be its span's start.
        let t = parse_table("A:\r0", Source::PolicyTable);
        let colon = t.diagnostics.iter().find(|d| d.code == "table.colon-key");
        assert_eq!(colon.and_then(|d| d.position).map(|p| p.column), Some(1));
    }

    #[test]
    fn end_of_line_comment_is_part_of_the_value() {
        let text = "example.com secure # strict\n";
        let t = parse_table(text, Source::PolicyTable);
        assert_eq!(kv(&t), vec![("example.com", "secure # strict")]);
        assert_eq!(codes(&t), vec!["table.inline-comment"]);
        assert_eq!(t.diagnostics[0].span.map(|s| s.slice(text)), Some("# strict"));
    }

    #[test]
    fn fold_key_is_utf8_aware() {
        assert_eq!(fold_key("ExAmple.COM"), "example.com");
        assert_eq!(fold_key("ÉCOLE.fr"), "école.fr");
    }

    #[test]
    fn many_lines_are_linear() {
        let mut text = String::new();
        for i in 0..100_000 {
            text.push_str(&format!("host{i}.example secure match=.example\n"));
        }
        let t = parse_table(&text, Source::PolicyTable);
        assert_eq!(t.entries.len(), 100_000);
        assert!(t.diagnostics.is_empty());
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let long = "k ".to_string() + &"v".repeat(2_000_000);
        let t = parse_table(&long, Source::PolicyTable);
        assert_eq!(t.entries.len(), 1);
        let binary: String = (0u8..=255).map(char::from).cycle().take(100_000).collect();
        let _ = parse_table(&binary, Source::PolicyTable);
        let many_bad = "x\n".repeat(20_000);
        let t = parse_table(&many_bad, Source::PolicyTable);
        assert_eq!(t.diagnostics.len(), super::super::diagnostics::DIAGNOSTIC_LIMIT + 1);
        let _ = parse_table("\u{202e}k \u{200b}v\r\n\u{feff}", Source::PolicyTable);
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_fit(text in "(\\PC|[ \t\r\n#\"\\\\\0]){0,200}") {
            let t = parse_table(&text, Source::PolicyTable);
            for e in &t.entries {
                prop_assert!(e.key_span.end <= text.len());
                prop_assert!(e.value_span.end <= text.len());
                if !e.key_span.slice(&text).contains('\n') {
                    // A quoted key may continue onto the next line; otherwise it is verbatim.
                    prop_assert_eq!(e.key_span.slice(&text), e.key.as_str());
                }
                prop_assert!(!e.value.is_empty());
                let span = e.text_span(0..e.value.len());
                prop_assert_eq!(span, e.value_span);
            }
            for d in &t.diagnostics {
                let s = d.span.unwrap_or_default();
                prop_assert!(s.start <= s.end && s.end <= text.len());
                prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                prop_assert!(d.position.is_some());
            }
        }

        #[test]
        fn value_pieces_map_every_byte(lines in proptest::collection::vec("[a-z]{1,4}( [a-z=]{1,5}){0,3}", 1..6), indents in proptest::collection::vec(0usize..3, 6)) {
            let mut text = String::new();
            for (i, l) in lines.iter().enumerate() {
                let indent = if i == 0 { 0 } else { indents.get(i).copied().unwrap_or(0) };
                text.push_str(&" ".repeat(indent));
                text.push_str(l);
                text.push('\n');
            }
            let t = parse_table(&text, Source::PolicyTable);
            for e in &t.entries {
                for (i, ch) in e.value.char_indices() {
                    let span = e.text_span(i..i + ch.len_utf8());
                    prop_assert_eq!(span.slice(&text).chars().next(), Some(ch));
                }
            }
        }
    }
}

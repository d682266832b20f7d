//! Streaming table reading for the CLI linter: million-line files without holding them.
//!
//! It runs the same [`super::table::TableScanner`] as [`super::table::parse_table`], so both
//! read a file identically; it keeps only the logical line being built. Duplicate detection
//! needs every key and is left to the caller.

use super::table::{TableEvent, TableScanner, TableSink};
use crate::diag::{Diagnostic, Source, Span};
use std::collections::VecDeque;
use std::io::{BufRead, ErrorKind};

/// Reads a table source file line by line, yielding entries and findings with spans relative
/// to the whole stream (and positions filled).
pub struct TableReader<R: BufRead> {
    reader: R,
    scanner: TableScanner,
    source: Source,
    offset: usize,
    number: usize,
    queue: VecDeque<TableEvent>,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> TableReader<R> {
    /// A reader over `reader`; `source` says which table it is (for diagnostics).
    pub fn new(reader: R, source: Source) -> Self {
        TableReader {
            reader,
            scanner: TableScanner::new(source),
            source,
            offset: 0,
            number: 0,
            queue: VecDeque::new(),
            buf: Vec::new(),
            done: false,
        }
    }

    /// Bytes consumed so far.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Reads everything, handing entries to `sink` borrowed (no copy per entry) and findings
    /// as they come: the fast path of the streaming linter.
    pub(crate) fn scan(mut self, sink: &mut impl TableSink) {
        while !self.done {
            self.read_line(sink);
        }
    }

    /// Reads one physical line and feeds it to the scanner.
    fn read_line(&mut self, sink: &mut impl TableSink) {
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => {
                self.scanner.finish(sink);
                self.done = true;
            }
            Ok(n) => {
                self.number += 1;
                let line = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
                self.scanner.push(line, self.offset, self.number, sink);
                self.offset += n;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                let d = Diagnostic::error("table.read-error", self.source, format!("Reading stopped after {} bytes: {e}", self.offset))
                    .at(Span::new(self.offset, self.offset))
                    .param("error", e.to_string())
                    .param("bytes", self.offset.to_string());
                self.scanner.finish(sink);
                sink.diagnostic(d);
                self.done = true;
            }
        }
    }
}

impl<R: BufRead> Iterator for TableReader<R> {
    type Item = TableEvent;

    fn next(&mut self) -> Option<TableEvent> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Some(event);
            }
            if self.done {
                return None;
            }
            let mut queue = std::mem::take(&mut self.queue);
            self.read_line(&mut |e: TableEvent| queue.push_back(e));
            self.queue = queue;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::table::parse_table;
    use proptest::prelude::*;
    use std::io::{BufReader, Cursor, Read};

    fn split(events: Vec<TableEvent>) -> (Vec<crate::input::table::TableEntry>, Vec<Diagnostic>) {
        let mut entries = Vec::new();
        let mut diags = Vec::new();
        for e in events {
            match e {
                TableEvent::Entry(e) => entries.push(e),
                TableEvent::Diagnostic(d) => diags.push(d),
            }
        }
        (entries, diags)
    }

    #[test]
    fn agrees_with_parse_table() {
        let text = "\u{feff}# c\na b\r\n  c=d\n  orphan? no\nlonely\n  x\nk \"v\"\n";
        let (entries, diags) = split(TableReader::new(Cursor::new(text), Source::PolicyTable).collect());
        let whole = parse_table(text, Source::PolicyTable);
        assert_eq!(entries, whole.entries);
        assert_eq!(diags, whole.diagnostics);
    }

    #[test]
    fn non_utf8_lines_are_skipped_with_a_warning() {
        let bytes: &[u8] = b"a b\nbad \xff\xfe\nc d\n";
        let (entries, diags) = split(TableReader::new(Cursor::new(bytes), Source::PolicyTable).collect());
        let keys: Vec<_> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, vec!["a", "c"]);
        assert_eq!(diags[0].code, "table.non-utf8");
        assert_eq!(diags[0].span, Some(Span::new(8, 9)));
        assert_eq!(entries[1].key_span, Span::new(11, 12));
    }

    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }

    #[test]
    fn read_errors_end_the_stream_with_a_diagnostic() {
        let events: Vec<_> = TableReader::new(BufReader::new(Failing), Source::PolicyTable).collect();
        assert!(matches!(events.as_slice(), [TableEvent::Diagnostic(d)] if d.code == "table.read-error"));
    }

    #[test]
    fn streams_a_million_lines() {
        struct Gen(usize, Vec<u8>, usize);
        impl Read for Gen {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                if self.2 >= self.1.len() {
                    if self.0 == 0 {
                        return Ok(0);
                    }
                    self.0 -= 1;
                    self.1 = format!("h{}.example secure\n", self.0).into_bytes();
                    self.2 = 0;
                }
                let n = out.len().min(self.1.len() - self.2);
                out[..n].copy_from_slice(&self.1[self.2..self.2 + n]);
                self.2 += n;
                Ok(n)
            }
        }
        let reader = TableReader::new(BufReader::new(Gen(1_000_000, Vec::new(), 0)), Source::PolicyTable);
        assert_eq!(reader.count(), 1_000_000);
    }

    proptest! {
        #[test]
        fn stream_equals_whole(text in "(\\PC|[ \t\r\n#\"\\\\\0]){0,200}") {
            let (entries, diags) = split(TableReader::new(Cursor::new(text.clone()), Source::PolicyTable).collect());
            let whole = parse_table(&text, Source::PolicyTable);
            prop_assert_eq!(entries, whole.entries);
            let whole_diags: Vec<_> = whole.diagnostics.into_iter().filter(|d| d.code != "table.duplicate-key").collect();
            prop_assert_eq!(diags, whole_diags);
        }
    }
}

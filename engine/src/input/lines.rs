//! Logical lines, as Postfix's `readllines()` (`src/util/readlline.c`) builds them for table
//! source files and main.cf.
//!
//! * Physical lines end at `\n`; a `\r` before it stays part of the line.
//! * Lines that are empty, all whitespace, or whose first non-whitespace character is `#` are
//!   dropped, even between a line and its continuation.
//! * A line starting with whitespace continues the previous logical line: the newline is
//!   removed and the line is appended *with* its leading whitespace.
//! * Continuation text with nothing before it ("logical line must not start with whitespace")
//!   is warned about and dropped, together with the continuation lines that follow it.
//!
//! The table parser, the streaming table reader and the main.cf parser all use this one
//! joiner, so they cannot disagree about where a logical line starts and ends.

use super::chars::is_space;
use crate::diag::{Position, Span};

/// Where one physical line's text sits inside a joined logical line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Piece {
    /// Offset of the line's first byte in [`LogicalLine::bytes`].
    pub joined: usize,
    /// Offset of the same byte in the whole input.
    pub text: usize,
    /// 1-based physical line number.
    pub line: usize,
    /// Characters on the physical line before `text` (1 after a skipped byte order mark).
    pub column_offset: usize,
}

/// One logical line: the joined bytes and a map back to the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LogicalLine {
    /// The physical lines' texts, concatenated without their `\n`.
    pub bytes: Vec<u8>,
    /// One piece per physical line, in order; never empty for a line the joiner returns.
    pub pieces: Vec<Piece>,
    /// True when the line starts with whitespace: continuation text with nothing to continue.
    pub orphan: bool,
}

impl LogicalLine {
    /// 1-based number of the first physical line.
    pub(crate) fn first_line(&self) -> usize {
        self.pieces.first().map_or(0, |p| p.line)
    }

    /// The piece containing joined offset `at` (the last piece for `at == bytes.len()`).
    fn piece_for(&self, at: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.joined <= at);
        self.pieces.get(i.saturating_sub(1))
    }

    /// The input offset of joined offset `at`.
    pub(crate) fn text_offset(&self, at: usize) -> usize {
        let at = at.min(self.bytes.len());
        self.piece_for(at).map_or(0, |p| p.text + (at - p.joined))
    }

    /// The input span from the byte at joined `start` to the byte before joined `end`: it may
    /// cross line ends when the range spans continuation lines.
    pub(crate) fn text_span(&self, start: usize, end: usize) -> Span {
        let end = end.min(self.bytes.len());
        let start = start.min(end);
        if start == end {
            let at = self.text_offset(start);
            return Span::new(at, at);
        }
        Span::new(self.text_offset(start), self.text_offset(end - 1) + 1)
    }

    /// Line and column (in characters) of joined offset `at`, as [`crate::diag::LineIndex`]
    /// would compute them for the corresponding input offset.
    pub(crate) fn position(&self, at: usize) -> Position {
        let at = at.min(self.bytes.len());
        match self.piece_for(at) {
            Some(p) => {
                let prefix = self.bytes.get(p.joined..at).unwrap_or(&[]);
                let chars = prefix.iter().filter(|&&b| b & 0xc0 != 0x80).count();
                Position { line: p.line, column: p.column_offset + chars + 1 }
            }
            None => Position { line: 1, column: 1 },
        }
    }

    /// The pieces that intersect joined range `start..end`, as `(offset relative to start,
    /// input offset)` pairs: the map a value needs to point back into the input.
    pub(crate) fn pieces_within(&self, start: usize, end: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (i, p) in self.pieces.iter().enumerate() {
            let piece_end = self.pieces.get(i + 1).map_or(self.bytes.len(), |n| n.joined);
            if piece_end <= start || p.joined >= end {
                continue;
            }
            let from = p.joined.max(start);
            out.push((from - start, p.text + (from - p.joined)));
        }
        out
    }
}

/// True when Postfix drops the line before joining: empty, all whitespace, or a comment.
pub(crate) fn is_blank_or_comment(line: &[u8]) -> bool {
    match line.iter().find(|&&b| !is_space(b)) {
        None => true,
        Some(&b) => b == b'#',
    }
}

/// Joins physical lines into logical lines, one line at a time (bounded memory: it holds only
/// the logical line being built).
#[derive(Default)]
pub(crate) struct LineJoiner {
    pending: Option<LogicalLine>,
    spare: Option<LogicalLine>,
}

impl LineJoiner {
    /// Feeds one physical line (without its `\n`) starting at input offset `offset`; returns
    /// the previous logical line when this line starts a new one.
    pub(crate) fn push(&mut self, line: &[u8], offset: usize, number: usize) -> Option<LogicalLine> {
        self.push_at(line, offset, number, 0)
    }

    /// [`LineJoiner::push`] for a line whose first `column_offset` characters were skipped.
    pub(crate) fn push_at(
        &mut self,
        line: &[u8],
        offset: usize,
        number: usize,
        column_offset: usize,
    ) -> Option<LogicalLine> {
        if is_blank_or_comment(line) {
            return None;
        }
        let continues = line.first().is_some_and(|&b| is_space(b));
        if continues {
            let pending = self.pending.get_or_insert_with(|| LogicalLine { orphan: true, ..LogicalLine::default() });
            append(pending, line, offset, number, column_offset);
            return None;
        }
        let mut fresh = self.spare.take().unwrap_or_default();
        append(&mut fresh, line, offset, number, column_offset);
        self.pending.replace(fresh)
    }

    /// Ends the input; returns the last logical line.
    pub(crate) fn finish(&mut self) -> Option<LogicalLine> {
        self.pending.take()
    }

    /// Hands back a logical line that has been read, so its buffers serve the next one.
    pub(crate) fn recycle(&mut self, mut line: LogicalLine) {
        line.bytes.clear();
        line.pieces.clear();
        line.orphan = false;
        self.spare = Some(line);
    }
}

fn append(logical: &mut LogicalLine, line: &[u8], offset: usize, number: usize, column_offset: usize) {
    let joined = logical.bytes.len();
    logical.pieces.push(Piece { joined, text: offset, line: number, column_offset });
    logical.bytes.extend_from_slice(line);
}

/// The physical lines of `text`: `(line without its \n, offset, 1-based number)`. A final
/// line without `\n` counts; an empty text has no lines.
pub(crate) fn physical_lines(text: &[u8]) -> impl Iterator<Item = (&[u8], usize, usize)> {
    let mut offset = 0usize;
    let mut number = 0usize;
    std::iter::from_fn(move || {
        let rest = text.get(offset..)?;
        if rest.is_empty() {
            return None;
        }
        let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = rest.get(..len)?;
        let start = offset;
        offset += (len + 1).min(rest.len());
        number += 1;
        Some((line, start, number))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical_lines(text: &[u8]) -> Vec<LogicalLine> {
        let mut joiner = LineJoiner::default();
        let mut out: Vec<LogicalLine> =
            physical_lines(text).filter_map(|(line, offset, number)| joiner.push(line, offset, number)).collect();
        out.extend(joiner.finish());
        out
    }

    fn joined(text: &str) -> Vec<(String, usize, bool)> {
        logical_lines(text.as_bytes())
            .into_iter()
            .map(|l| (String::from_utf8_lossy(&l.bytes).into_owned(), l.first_line(), l.orphan))
            .collect()
    }

    #[test]
    fn physical_lines_keep_cr_and_count_the_last_line() {
        let lines: Vec<_> = physical_lines(b"a\r\n\nb").collect();
        assert_eq!(lines, vec![(&b"a\r"[..], 0, 1), (&b""[..], 3, 2), (&b"b"[..], 4, 3)]);
        assert_eq!(physical_lines(b"").count(), 0);
        assert_eq!(physical_lines(b"\n").count(), 1);
    }

    #[test]
    fn continuation_keeps_leading_whitespace() {
        let text = "example.com secure\n  match=hostname\n";
        assert_eq!(joined(text), vec![("example.com secure  match=hostname".to_string(), 1, false)]);
    }

    #[test]
    fn comments_and_blank_lines_do_not_break_a_continuation() {
        let text = "# head\nk v\n\n# note\n   \t\n  more\nk2 v2";
        assert_eq!(joined(text), vec![("k v  more".to_string(), 2, false), ("k2 v2".to_string(), 7, false)]);
    }

    #[test]
    fn indented_comment_is_a_comment() {
        assert_eq!(joined("k v\n  # not part\n"), vec![("k v".to_string(), 1, false)]);
    }

    #[test]
    fn leading_continuation_is_an_orphan() {
        assert_eq!(
            joined("  lost\n\tlost too\nk v"),
            vec![("  lost\tlost too".to_string(), 1, true), ("k v".to_string(), 3, false)]
        );
    }

    #[test]
    fn maps_offsets_across_continuations() {
        let text = "k a\n# c\n  b\n";
        let lines = logical_lines(text.as_bytes());
        let l = &lines[0];
        assert_eq!(l.bytes, b"k a  b");
        // joined "  b" starts at joined 3, input 8
        assert_eq!(l.text_offset(3), 8);
        assert_eq!(l.text_offset(5), 10);
        assert_eq!(l.text_span(2, 6), Span::new(2, 11));
        assert_eq!(l.text_span(2, 3), Span::new(2, 3));
        assert_eq!(l.position(5), Position { line: 3, column: 3 });
        assert_eq!(l.pieces_within(2, 6), vec![(0, 2), (1, 8)]);
    }
}

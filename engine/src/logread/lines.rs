//! Physical lines of a pasted log, with byte spans into the original text.
//!
//! Logs arrive with LF, CRLF or (from old tools) lone CR endings; all three end a line so that
//! a paste from any system numbers its lines the way an editor shows them.

/// One physical line: its 1-based number, where it starts, and its text without the ending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhysicalLine<'a> {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the first character in the whole text.
    pub start: usize,
    /// The text, without `\n`, `\r\n` or `\r`.
    pub text: &'a str,
}

/// Iterates over the lines of `text` (a final line ending does not start an empty line).
pub fn physical_lines(text: &str) -> PhysicalLines<'_> {
    PhysicalLines { text, pos: 0, number: 0 }
}

/// Iterator returned by [`physical_lines`].
pub struct PhysicalLines<'a> {
    text: &'a str,
    pos: usize,
    number: usize,
}

impl<'a> Iterator for PhysicalLines<'a> {
    type Item = PhysicalLine<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = &self.text.as_bytes()[self.pos..];
        let start = self.pos;
        let (len, ending) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => (i, 2),
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        self.pos = start + len + ending;
        self.number += 1;
        // `\n` and `\r` are ASCII, so both ends are character boundaries.
        let text = self.text.get(start..start + len).unwrap_or("");
        Some(PhysicalLine { number: self.number, start, text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<(usize, usize, &str)> {
        physical_lines(t).map(|l| (l.number, l.start, l.text)).collect()
    }

    #[test]
    fn lf_crlf_and_cr_all_end_lines() {
        assert_eq!(texts("a\nb\r\nc\rd"), vec![(1, 0, "a"), (2, 2, "b"), (3, 5, "c"), (4, 7, "d")]);
    }

    #[test]
    fn final_ending_adds_no_line_but_blank_lines_count() {
        assert_eq!(texts("a\n\nb\n"), vec![(1, 0, "a"), (2, 2, ""), (3, 3, "b")]);
        assert!(texts("").is_empty());
    }

    #[test]
    fn multibyte_text_is_sliced_whole() {
        assert_eq!(texts("ç\r\nü"), vec![(1, 0, "ç"), (2, 4, "ü")]);
    }
}

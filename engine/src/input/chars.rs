//! Character classes Postfix uses when it reads configuration text, and the characters that
//! make a pasted line look right while reading differently.
//!
//! Postfix splits and trims with `ISSPACE()`, which is C's `isspace()` restricted to ASCII:
//! space, tab, newline, vertical tab, form feed and carriage return. Rust's `str::trim()` also
//! removes Unicode spaces such as U+00A0, which Postfix keeps as part of a word; so parsers here
//! use [`is_space`] and [`trim_space`] instead.

/// Postfix's `ISSPACE()`: ASCII `isspace()` (includes `\r`, `\v` and `\f`; no Unicode spaces).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Removes leading and trailing [`is_space`] bytes, as Postfix's `trimblanks()` and the
/// `SKIP(…, ISSPACE)` loops do.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii() && is_space(c as u8))
}

/// Removes leading [`is_space`] bytes.
pub fn trim_space_start(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8))
}

/// Removes trailing [`is_space`] bytes.
pub fn trim_space_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8))
}

/// Splits on runs of [`is_space`], returning each word with its byte offset in `s`.
pub fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && bytes.get(i).is_some_and(|&b| !is_space(b)) {
            i += 1;
        }
        // Both ends sit next to ASCII bytes or the ends of `s`, so they are char boundaries.
        s.get(start..i).map(|w| (start, w))
    })
}

/// The first `N` [`words`] of `s` without allocating, and how many there are (at most `N`).
pub fn first_words<const N: usize>(s: &str) -> ([(usize, &str); N], usize) {
    let mut out = [(0usize, ""); N];
    let mut n = 0;
    for (slot, w) in out.iter_mut().zip(words(s)) {
        *slot = w;
        n += 1;
    }
    (out, n)
}

/// Offset of a `#` that follows whitespace: text people mean as an end-of-line comment.
/// Postfix has none (only whole-line comments), so that text is part of the value.
pub fn inline_comment(s: &str) -> Option<usize> {
    // `#` is rare: memchr finds each one, and only those are looked at.
    let b = s.as_bytes();
    s.match_indices('#').map(|(i, _)| i).find(|&i| i > 0 && b.get(i - 1).is_some_and(|&p| is_space(p)))
}

/// A character that is invisible, reorders text, or is a control character: in a key or a
/// name it makes Postfix see something other than what the reader sees (a no-break space
/// pasted from a web page is not a separator for Postfix, a zero-width space is part of a key).
pub fn is_suspicious(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{e}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{a0}'
        | '\u{ad}'
        | '\u{34f}'
        | '\u{61c}'
        | '\u{115f}' | '\u{1160}'
        | '\u{1680}'
        | '\u{180e}'
        | '\u{2000}'..='\u{200f}'
        | '\u{2028}'..='\u{202f}'
        | '\u{205f}'..='\u{206f}'
        | '\u{3000}'
        | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}'
        | '\u{ffa0}'
        | '\u{fff9}'..='\u{fffb}'
    )
}

/// The first [`is_suspicious`] character of `s`, with its byte offset.
pub fn find_suspicious(s: &str) -> Option<(usize, char)> {
    // Fast path for the common line of printable ASCII: one branch-free pass over the bytes
    // (the compiler vectorises the fold) proves there is nothing to find. Only lines with a
    // control character or a non-ASCII byte are walked character by character.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || (b'\t'..=b'\r').contains(&b);
    if s.as_bytes().iter().fold(true, |all, &b| all & plain(b)) {
        return None;
    }
    s.char_indices().find(|&(_, c)| is_suspicious(c))
}

/// `U+200B` style name of a character, for messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isspace_is_ascii_only() {
        for b in [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c] {
            assert!(is_space(b));
        }
        assert!(!is_space(0xa0));
        assert_eq!(trim_space("\u{a0}x \r"), "\u{a0}x");
        assert_eq!(trim_space_start("\t x "), "x ");
        assert_eq!(trim_space_end("\t x \x0b"), "\t x");
    }

    #[test]
    fn words_carry_offsets() {
        let w: Vec<_> = words("  ab\tç d\r").collect();
        assert_eq!(w, vec![(2, "ab"), (5, "ç"), (8, "d")]);
        assert_eq!(words(" \t ").count(), 0);
        let (w, n) = first_words::<2>("a b c");
        assert_eq!((w, n), ([(0, "a"), (2, "b")], 2));
        assert_eq!(first_words::<3>(" x").1, 1);
    }

    #[test]
    fn inline_comments() {
        assert_eq!(inline_comment("may # strict later"), Some(4));
        assert_eq!(inline_comment("a#b"), None);
        assert_eq!(inline_comment("#x"), None);
        assert_eq!(inline_comment(""), None);
    }

    #[test]
    fn suspicious_characters() {
        assert_eq!(find_suspicious("a\u{200b}b"), Some((1, '\u{200b}')));
        assert_eq!(find_suspicious("plain ascii\t"), None);
        assert_eq!(find_suspicious("日本語"), None);
        assert!(is_suspicious('\u{202e}'));
        assert_eq!(code_point('\u{a0}'), "U+00A0");
    }
}

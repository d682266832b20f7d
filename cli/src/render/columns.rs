//! Padding to terminal columns: a CJK character takes two columns, so `{:<32}` (which counts
//! characters) misaligns Japanese and Chinese words and internationalised names.

use unicode_width::UnicodeWidthStr;

/// The columns `text` takes in a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` followed by the spaces that make it `columns` wide (none when it is wider already).
pub fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// `styled` (the text `plain` with terminal colours around it) padded as `plain` would be.
pub fn pad_styled(styled: &str, plain: &str, columns: usize) -> String {
    format!("{styled}{}", " ".repeat(columns.saturating_sub(width(plain))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("match"), 5);
        assert_eq!(width("不一致"), 6);
        assert_eq!(pad("一致", 6), "一致  ");
        assert_eq!(pad("match", 3), "match");
        assert_eq!(pad_styled("\u{1b}[32m一致\u{1b}[0m", "一致", 6), "\u{1b}[32m一致\u{1b}[0m  ");
    }
}

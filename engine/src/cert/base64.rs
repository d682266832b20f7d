//! Lenient base64 decoding for PEM bodies.
//!
//! People paste certificates from mail, web pages and terminals: lines get re-wrapped,
//! indented, CRLF-terminated. Whitespace anywhere is therefore ignored; padding is optional.
//! Any other character is an error that names the offending byte, so the diagnostic can point
//! at it. (No base64 crate is a dependency; this is a few dozen lines.)

/// A byte that is neither base64 nor whitespace, at `offset` in the decoded text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadByte {
    /// Offset of the byte in the text given to [`decode`].
    pub offset: usize,
    /// The byte.
    pub byte: u8,
}

fn value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Whether `b` is skipped as whitespace inside base64 text.
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

/// Whether `b` can appear in base64 text (alphabet, padding or whitespace).
pub fn is_base64_or_space(b: u8) -> bool {
    value(b).is_some() || b == b'=' || is_space(b)
}

/// Decodes `text`, ignoring whitespace. Data after `=` padding must be only padding or
/// whitespace. A final group of a single character is an error (it carries no whole byte).
pub fn decode(text: &[u8]) -> Result<Vec<u8>, BadByte> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut n = 0u8;
    let mut padded = false;
    let mut last_offset = 0;
    for (offset, &b) in text.iter().enumerate() {
        if is_space(b) {
            continue;
        }
        if b == b'=' {
            padded = true;
            last_offset = offset;
            continue;
        }
        let v = match value(b) {
            Some(v) if !padded => v,
            _ => return Err(BadByte { offset, byte: b }),
        };
        last_offset = offset;
        acc = (acc << 6) | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        0 => {}
        1 => return Err(BadByte { offset: last_offset, byte: text.get(last_offset).copied().unwrap_or(b'=') }),
        2 => out.push((acc >> 4) as u8),
        _ => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_and_without_padding_and_whitespace() {
        assert_eq!(decode(b"aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode(b"aGVs\r\n  bG8").unwrap(), b"hello");
        assert_eq!(decode(b"aGVsbG8h").unwrap(), b"hello!");
        assert_eq!(decode(b"aGk=").unwrap(), b"hi");
        assert_eq!(decode(b"").unwrap(), b"");
    }

    #[test]
    fn reports_the_bad_byte() {
        assert_eq!(decode(b"aGV*bG8="), Err(BadByte { offset: 3, byte: b'*' }));
        assert_eq!(decode(b"aGk=aGk="), Err(BadByte { offset: 4, byte: b'a' }));
        assert!(decode(b"aGVsb").is_err());
    }
}

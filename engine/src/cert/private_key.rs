//! Keeping private keys out of peername.
//!
//! People paste whole PEM files, and a server's PEM file often holds its private key next to
//! the certificate. peername never needs a key, so key blocks are never decoded, never
//! stored and never shown: the UI calls [`strip_private_keys`] before it keeps any text, and
//! the certificate parser skips key blocks and says so.

use super::armor::{self, Marker, MarkerKind};

/// Whether `text` holds any `-----BEGIN … PRIVATE KEY-----` block (PKCS#8, encrypted
/// PKCS#8, RSA, EC, DSA, OpenSSH, PGP), terminated or not.
pub fn contains_private_key(text: &str) -> bool {
    armor::scan(text.as_bytes()).iter().any(|m| m.kind == MarkerKind::Begin && m.is_private_key())
}

/// The byte range a private key block starting at marker `i` covers: up to the end of the
/// line holding the matching END marker, or to the end of the text when there is none.
/// Returns (start, end, index of the END marker if found).
pub(crate) fn key_block_extent(markers: &[Marker], i: usize, text_len: usize) -> (usize, usize, Option<usize>) {
    let begin = &markers[i];
    let end_marker = markers
        .iter()
        .enumerate()
        .skip(i + 1)
        .find(|(_, m)| m.kind == MarkerKind::End && m.is_private_key())
        .map(|(j, _)| j);
    match end_marker {
        Some(j) => (begin.start, markers[j].next_line, Some(j)),
        None => (begin.start, text_len, None),
    }
}

/// `text` without its private key blocks. A block runs from its BEGIN marker to the end of
/// the line of the next `END … PRIVATE KEY` marker; a block without END runs to the end of
/// the text (everything after an unterminated key may be key material).
pub fn strip_private_keys(text: &str) -> String {
    let markers = armor::scan(text.as_bytes());
    let mut out = String::with_capacity(text.len());
    let mut copied_to = 0;
    let mut i = 0;
    while i < markers.len() {
        let m = &markers[i];
        if m.kind == MarkerKind::Begin && m.is_private_key() {
            let (start, end, end_index) = key_block_extent(&markers, i, text.len());
            if start >= copied_to {
                // Marker offsets sit on ASCII bytes, so these are character boundaries.
                out.push_str(text.get(copied_to..start).unwrap_or(""));
            }
            copied_to = copied_to.max(end);
            match end_index {
                Some(j) => i = j + 1,
                None => break,
            }
        } else {
            i += 1;
        }
    }
    out.push_str(text.get(copied_to..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";

    #[test]
    fn detects_every_key_flavour() {
        for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY"] {
            let t = format!("-----BEGIN {label}-----\nAAAA\n-----END {label}-----\n");
            assert!(contains_private_key(&t), "{label}");
        }
        assert!(!contains_private_key(CERT));
        assert!(contains_private_key("x -----BEGIN PGP PRIVATE KEY BLOCK----- y"));
    }

    #[test]
    fn strips_terminated_blocks_and_keeps_the_rest() {
        let t = format!("{CERT}-----BEGIN PRIVATE KEY-----\nSECRET\n-----END PRIVATE KEY-----\n{CERT}");
        let s = strip_private_keys(&t);
        assert_eq!(s, format!("{CERT}{CERT}"));
        assert!(!s.contains("SECRET"));
    }

    #[test]
    fn strips_unterminated_blocks_to_the_end() {
        let t = format!("{CERT}-----BEGIN RSA PRIVATE KEY-----\nSECRET\n{CERT}");
        assert_eq!(strip_private_keys(&t), CERT);
    }

    #[test]
    fn leaves_text_without_keys_alone() {
        assert_eq!(strip_private_keys("héllo\r\n"), "héllo\r\n");
        assert_eq!(strip_private_keys(""), "");
    }
}

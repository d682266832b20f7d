//! Finding PEM armour lines (`-----BEGIN LABEL-----`, `-----END LABEL-----`) in pasted text.
//!
//! The scan is a single linear pass with a bounded look-ahead per marker, so hostile input
//! (megabytes of dashes, thousands of BEGIN lines without END) costs time proportional to its
//! length. Markers are found anywhere on a line, so indented, quoted or BOM-prefixed PEM works.

/// BEGIN or END.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// `-----BEGIN LABEL-----`
    Begin,
    /// `-----END LABEL-----`
    End,
}

/// One armour line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// BEGIN or END.
    pub kind: MarkerKind,
    /// The label, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`.
    pub label: String,
    /// Offset of the first `-`.
    pub start: usize,
    /// Offset just after the closing `-----`.
    pub end: usize,
    /// Offset of the start of the line holding the marker.
    pub line_start: usize,
    /// Offset of the end of that line (before `\r\n` or `\n`).
    pub line_end: usize,
    /// Offset of the start of the next line (after the line break, or the text length).
    pub next_line: usize,
}

impl Marker {
    /// Whether the label names a private key of any kind (PKCS#8, RSA, EC, OpenSSH, PGP…).
    pub fn is_private_key(&self) -> bool {
        self.label.to_ascii_uppercase().contains("PRIVATE KEY")
    }

    /// Whether the label names a certificate OpenSSL reads as one.
    pub fn is_certificate(&self) -> bool {
        matches!(self.label.as_str(), "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE")
    }
}

/// Longest label accepted; longer "labels" are not armour.
const MAX_LABEL: usize = 80;
const DASHES: &[u8] = b"-----";

/// Finds every armour marker in `text`, in order.
pub fn scan(text: &[u8]) -> Vec<Marker> {
    let mut markers = Vec::new();
    let mut line_start = 0;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if b == b'\n' {
            line_start = i + 1;
            i += 1;
            continue;
        }
        if b != b'-' || !text[i..].starts_with(DASHES) {
            i += 1;
            continue;
        }
        let after = i + DASHES.len();
        let (kind, label_start) = if text[after..].starts_with(b"BEGIN ") {
            (MarkerKind::Begin, after + 6)
        } else if text[after..].starts_with(b"END ") {
            (MarkerKind::End, after + 4)
        } else {
            i += 1;
            continue;
        };
        let window_end = text.len().min(label_start + MAX_LABEL + DASHES.len());
        let window = &text[label_start..window_end];
        let close = window
            .windows(DASHES.len())
            .position(|w| w == DASHES)
            .filter(|&p| !window[..p].iter().any(|&c| c == b'\n' || c == b'\r'));
        let Some(p) = close else {
            i += 1;
            continue;
        };
        let label_bytes = &window[..p];
        if label_bytes.is_empty() || label_bytes.iter().any(|c| !(0x20..=0x7e).contains(c)) {
            i += 1;
            continue;
        }
        let end = label_start + p + DASHES.len();
        let line_end = text[end..]
            .iter()
            .position(|&c| c == b'\n')
            .map(|q| end + q)
            .unwrap_or(text.len());
        let next_line = if line_end < text.len() { line_end + 1 } else { line_end };
        let line_end_trimmed = if line_end > end && text[line_end - 1] == b'\r' { line_end - 1 } else { line_end };
        markers.push(Marker {
            kind,
            label: String::from_utf8_lossy(label_bytes).trim().to_string(),
            start: i,
            end,
            line_start,
            line_end: line_end_trimmed,
            next_line,
        });
        i = end;
    }
    markers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markers_with_line_extents() {
        let t = b"junk\r\n  -----BEGIN CERTIFICATE-----\r\nQUJD\r\n-----END CERTIFICATE-----";
        let m = scan(t);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].kind, MarkerKind::Begin);
        assert_eq!(m[0].label, "CERTIFICATE");
        assert_eq!(m[0].line_start, 6);
        assert_eq!(&t[m[0].line_start..m[0].line_end], b"  -----BEGIN CERTIFICATE-----");
        assert_eq!(m[1].kind, MarkerKind::End);
        assert_eq!(m[1].end, t.len());
        assert_eq!(m[1].next_line, t.len());
    }

    #[test]
    fn classifies_labels() {
        let m = scan(b"-----BEGIN OPENSSH PRIVATE KEY-----\n-----BEGIN X509 CERTIFICATE-----\n");
        assert!(m[0].is_private_key());
        assert!(m[1].is_certificate());
        assert!(!m[0].is_certificate());
    }

    #[test]
    fn ignores_dash_runs_and_unclosed_labels() {
        assert!(scan(b"----------------").is_empty());
        assert!(scan(b"-----BEGIN CERTIFICATE\nMII").is_empty());
        let long = format!("-----BEGIN {}-----", "X".repeat(200));
        assert!(scan(long.as_bytes()).is_empty());
    }

    #[test]
    fn many_dashes_are_linear() {
        let t = vec![b'-'; 2_000_000];
        assert!(scan(&t).is_empty());
        let t = "-----BEGIN ".repeat(200_000);
        assert!(scan(t.as_bytes()).is_empty());
    }
}

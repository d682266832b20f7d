//! TLSA records as people paste them: `dig TLSA _25._tcp.mx.example.com` output (with or
//! without `+dnssec`, its `ad` flag read), `owner TTL IN TLSA u s m hex` lines, or bare
//! `u s m hex` lines that belong to every MX host.

use super::chars::{code_point, find_suspicious};
use crate::dane::record::TlsaRecord;
use crate::diag::{locate_all, Diagnostic, Source, Span};

/// One pasted record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsaLine {
    /// Owner name (`_25._tcp.mx.example.com`, lower case, no trailing dot), when given.
    pub owner: Option<String>,
    /// The record in presentation form (`3 1 1 HEX`).
    pub rdata: String,
    /// Where it is in the text.
    pub span: Span,
}

/// The parsed TLSA text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsaList {
    /// Records in input order.
    pub records: Vec<TlsaLine>,
    /// The `ad` flag of pasted dig output, when present.
    pub dnssec_ad: Option<bool>,
    /// Findings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses pasted TLSA records.
pub fn parse_tlsa(text: &str) -> TlsaList {
    let mut out = TlsaList::default();
    // A byte order mark from a copied file is no part of the first record.
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for raw in text[offset..].split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        let span = Span::new(start + (line.len() - line.trim_start().len()), start + line.trim_end().len());
        if trimmed.is_empty() {
            continue;
        }
        if let Some(flags) = trimmed.strip_prefix(";; flags:") {
            let words: Vec<&str> = flags.split(';').next().unwrap_or("").split_whitespace().collect();
            out.dnssec_ad = Some(words.contains(&"ad"));
            continue;
        }
        if trimmed.starts_with(';') || trimmed.starts_with('#') {
            continue;
        }
        if let Some((at, c)) = find_suspicious(line) {
            // An owner name with a zero-width or direction mark never matches a host.
            out.diagnostics.push(
                Diagnostic::warning("tlsa.suspicious-character", Source::Tlsa, format!("The record contains the invisible or control character {}", code_point(c)))
                    .at(Span::new(start + at, start + at + c.len_utf8()))
                    .hint("Retype the line; pasting from web pages or word processors adds such characters.")
                    .param("character", code_point(c)),
            );
        }
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let (owner, rest) = match words.iter().position(|w| w.eq_ignore_ascii_case("TLSA")) {
            Some(i) => (words.first().filter(|_| i > 0).map(|o| o.trim_end_matches('.').to_lowercase()), &words[i + 1..]),
            None if words.first().is_some_and(|w| w.parse::<u8>().is_ok()) => (None, &words[..]),
            None => {
                if !words.iter().any(|w| ["RRSIG", "A", "AAAA", "MX", "CNAME", "NSEC", "NSEC3"].contains(w)) {
                    out.diagnostics.push(
                        Diagnostic::warning("tlsa.unreadable-line", Source::Tlsa, "Not a TLSA record")
                            .at(span)
                            .hint("Paste `dig TLSA _25._tcp.HOST` output or lines like `3 1 1 <sha256 hex>`."),
                    );
                }
                continue;
            }
        };
        let rdata = rest.join(" ");
        match TlsaRecord::parse(&rdata) {
            Ok(r) => out.records.push(TlsaLine { owner, rdata: format!("{} {} {} {}", r.usage, r.selector, r.mtype, crate::cert::lower_hex(&r.data)), span }),
            Err(e) => out.diagnostics.push(
                Diagnostic::error("tlsa.bad-record", Source::Tlsa, format!("Bad TLSA record: {e}"))
                    .at(span)
                    .param("record", rdata)
                    .param("reason_code", format!("tlsa-{}", e.code()))
                    .param("word", e.word()),
            ),
        }
    }
    locate_all(&mut out.diagnostics, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dig_and_plain_forms() {
        let text = ";; flags: qr rd ra ad; QUERY: 1\n_25._tcp.mx.example.com. 3600 IN TLSA 3 1 1 5548 9171\n2 1 1 AB\n";
        let t = parse_tlsa(text);
        assert_eq!(t.dnssec_ad, Some(true));
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[0].owner.as_deref(), Some("_25._tcp.mx.example.com"));
        assert_eq!(t.records[0].rdata, "3 1 1 55489171");
        assert_eq!(t.records[1].owner, None);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let t = parse_tlsa("\u{feff}3 1 1 abcd\n");
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.records[0].span, Span::new(3, 13));
        assert!(t.diagnostics.is_empty());
    }

    #[test]
    fn invisible_characters_are_reported() {
        let t = parse_tlsa("_25._tcp.m\u{200b}x.example.com. 300 IN TLSA 3 1 1 abcd\n");
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.diagnostics.len(), 1);
        assert_eq!(t.diagnostics[0].code, "tlsa.suspicious-character");
        assert_eq!(t.diagnostics[0].span, Some(Span::new(10, 13)));
        assert_eq!(t.diagnostics[0].position.map(|p| p.column), Some(11));
    }

    #[test]
    fn bad_lines_are_reported_with_positions() {
        let t = parse_tlsa("3 1 1 abc\nhello world\n");
        assert_eq!(t.diagnostics.len(), 2);
        assert_eq!(t.diagnostics[1].position.map(|p| p.line), Some(2));
    }
}

//! TLSA records: parsing `usage selector mtype data`, matching certificates, and the way
//! Postfix prints them (upper-case hex, long data shortened to its first and last 32 bytes).

use crate::cert::fingerprint::{digest, DigestAlg};
use crate::cert::Certificate;
use serde::{Deserialize, Serialize};

/// One TLSA record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsaRecord {
    /// Certificate usage: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.
    pub usage: u8,
    /// Selector: 0 whole certificate, 1 SubjectPublicKeyInfo.
    pub selector: u8,
    /// Matching type: 0 exact, 1 SHA2-256, 2 SHA2-512.
    pub mtype: u8,
    /// Association data.
    pub data: Vec<u8>,
}

/// `MAX_HEAD_BYTES`/`MAX_TAIL_BYTES` in tls_dane.c.
const DUMP_HALF: usize = 32;

/// Upper-case hex of `data`, shortened as Postfix logs it (`HEAD...TAIL` over 64 bytes).
pub fn dump_hex(data: &[u8]) -> String {
    let hex = crate::cert::upper_hex;
    if data.len() > 2 * DUMP_HALF {
        format!("{}...{}", hex(&data[..DUMP_HALF]), hex(&data[data.len() - DUMP_HALF..]))
    } else if data.is_empty() {
        "...".to_string()
    } else {
        hex(data)
    }
}

/// Which of the three numbers of a TLSA record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsaField {
    /// The certificate usage.
    Usage,
    /// The selector.
    Selector,
    /// The matching type.
    MatchingType,
}

impl TlsaField {
    fn english(self) -> &'static str {
        match self {
            TlsaField::Usage => "certificate usage",
            TlsaField::Selector => "selector",
            TlsaField::MatchingType => "matching type",
        }
    }

    fn code(self) -> &'static str {
        match self {
            TlsaField::Usage => "usage",
            TlsaField::Selector => "selector",
            TlsaField::MatchingType => "matching-type",
        }
    }
}

/// Why a TLSA record could not be read ([`std::fmt::Display`]: the English text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsaError {
    /// A number is missing.
    Missing(TlsaField),
    /// A number is not 0–255; carries the word.
    NotANumber(TlsaField, String),
    /// No association data.
    MissingData,
    /// An odd number of hex digits.
    OddDigits,
    /// A pair of bytes that is not text (or not hex); carries the pair when it is text.
    NotHex(Option<String>),
}

impl TlsaError {
    /// A keyword for catalogue texts (`diag.reason.tlsa-<keyword>`).
    pub fn code(&self) -> String {
        match self {
            TlsaError::Missing(f) => format!("missing-{}", f.code()),
            TlsaError::NotANumber(f, _) => format!("{}-not-a-number", f.code()),
            TlsaError::MissingData => "missing-data".into(),
            TlsaError::OddDigits => "odd-digits".into(),
            TlsaError::NotHex(None) => "data-not-hex".into(),
            TlsaError::NotHex(Some(_)) => "pair-not-hex".into(),
        }
    }

    /// The word the error is about (the number or hex pair), or "".
    pub fn word(&self) -> &str {
        match self {
            TlsaError::NotANumber(_, w) | TlsaError::NotHex(Some(w)) => w,
            _ => "",
        }
    }
}

impl std::fmt::Display for TlsaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TlsaError::Missing(what) => write!(f, "missing {}", what.english()),
            TlsaError::NotANumber(what, w) => write!(f, "{} \"{w}\" is not a number 0–255", what.english()),
            TlsaError::MissingData => f.write_str("missing certificate association data"),
            TlsaError::OddDigits => f.write_str("association data has an odd number of hex digits"),
            TlsaError::NotHex(None) => f.write_str("association data is not hex"),
            TlsaError::NotHex(Some(s)) => write!(f, "\"{s}\" is not hex"),
        }
    }
}

impl TlsaRecord {
    /// Parses `"3 1 1 5548…"` (dig's presentation may split the hex with spaces).
    pub fn parse(text: &str) -> Result<TlsaRecord, TlsaError> {
        let mut words = text.split_whitespace();
        let mut num = |what: TlsaField| -> Result<u8, TlsaError> {
            let w = words.next().ok_or(TlsaError::Missing(what))?;
            w.parse::<u8>().map_err(|_| TlsaError::NotANumber(what, w.to_string()))
        };
        let usage = num(TlsaField::Usage)?;
        let selector = num(TlsaField::Selector)?;
        let mtype = num(TlsaField::MatchingType)?;
        let hex: String = words.collect();
        if hex.is_empty() {
            return Err(TlsaError::MissingData);
        }
        if hex.len() % 2 != 0 {
            return Err(TlsaError::OddDigits);
        }
        let mut data = Vec::with_capacity(hex.len() / 2);
        for pair in hex.as_bytes().chunks(2) {
            let s = std::str::from_utf8(pair).map_err(|_| TlsaError::NotHex(None))?;
            data.push(u8::from_str_radix(s, 16).map_err(|_| TlsaError::NotHex(Some(s.to_string())))?);
        }
        Ok(TlsaRecord { usage, selector, mtype, data })
    }

    /// `U S M HEX` as Postfix logs it.
    pub fn display(&self) -> String {
        format!("{} {} {} {}", self.usage, self.selector, self.mtype, dump_hex(&self.data))
    }

    /// Whether OpenSSL's `SSL_dane_tlsa_add()` accepts it: known selector and matching type,
    /// a digest of the right length, and for matching type 0 data that is exactly one DER
    /// certificate (selector 0) or SubjectPublicKeyInfo (selector 1); recorded from Postfix
    /// 3.7.11: `3 1 0` with 32 bytes of digest is an "unusable TLSA RR". (Unusable records are
    /// only found at connection time.)
    pub fn usable_by_openssl(&self) -> bool {
        self.usage <= 3
            && self.selector <= 1
            && match self.mtype {
                0 => full_data_parses(self.selector, &self.data),
                1 => self.data.len() == 32,
                2 => self.data.len() == 64,
                _ => false,
            }
    }

    /// The bytes of `cert` this record's selector and matching type compare.
    pub fn association_of(&self, cert: &Certificate) -> Option<Vec<u8>> {
        let selected = match self.selector {
            0 => &cert.der,
            1 => &cert.spki_der,
            _ => return None,
        };
        match self.mtype {
            0 => Some(selected.clone()),
            1 => Some(digest(DigestAlg::Sha256, selected)),
            2 => Some(digest(DigestAlg::Sha512, selected)),
            _ => None,
        }
    }

    /// Whether the record matches `cert`.
    pub fn matches(&self, cert: &Certificate) -> bool {
        self.association_of(cert).is_some_and(|a| a == self.data)
    }
}

/// `d2i_X509()` (selector 0) or `d2i_PUBKEY()` (selector 1) on the whole of `data`.
pub(crate) fn full_data_parses(selector: u8, data: &[u8]) -> bool {
    use x509_parser::prelude::FromDer;
    match selector {
        0 => matches!(x509_parser::certificate::X509Certificate::from_der(data), Ok((rest, _)) if rest.is_empty()),
        1 => matches!(x509_parser::x509::SubjectPublicKeyInfo::from_der(data), Ok((rest, spki)) if rest.is_empty() && spki.parsed().is_ok()),
        _ => false,
    }
}

/// The records an operator should publish for a chain (leaf first): `3 1 1` and `3 0 1` for
/// the leaf, `2 1 1` and `2 0 1` for each issuer the server sends.
pub fn suggested_records(chain: &[Certificate]) -> Vec<(usize, TlsaRecord)> {
    let mut out = Vec::new();
    for (depth, cert) in chain.iter().enumerate() {
        let usage = if depth == 0 { 3 } else { 2 };
        for (selector, mtype) in [(1u8, 1u8), (0, 1), (1, 2)] {
            let mut r = TlsaRecord { usage, selector, mtype, data: Vec::new() };
            if let Some(a) = r.association_of(cert) {
                r.data = a;
                out.push((depth, r));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_presentation_forms() {
        let r = TlsaRecord::parse("3 1 1 5548 9171").unwrap();
        assert_eq!((r.usage, r.selector, r.mtype), (3, 1, 1));
        assert_eq!(r.data, vec![0x55, 0x48, 0x91, 0x71]);
        assert!(TlsaRecord::parse("3 1").is_err());
        assert!(TlsaRecord::parse("3 1 1 abc").is_err());
        assert!(TlsaRecord::parse("x 1 1 ab").is_err());
    }

    #[test]
    fn long_data_is_shortened_like_postfix() {
        let data: Vec<u8> = (0..91).collect();
        let d = dump_hex(&data);
        assert!(d.starts_with("000102"));
        assert!(d.contains("..."));
        assert_eq!(d.len(), 64 + 3 + 64);
        assert_eq!(dump_hex(&[0xab; 64]).len(), 128);
    }

    #[test]
    fn openssl_usability_checks_digest_lengths() {
        let short = TlsaRecord { usage: 3, selector: 1, mtype: 1, data: vec![0; 16] };
        assert!(!short.usable_by_openssl());
        let ok = TlsaRecord { usage: 3, selector: 1, mtype: 2, data: vec![0; 64] };
        assert!(ok.usable_by_openssl());
        let unknown = TlsaRecord { usage: 3, selector: 1, mtype: 3, data: vec![0; 32] };
        assert!(!unknown.usable_by_openssl());
    }

    #[test]
    fn full_data_must_be_exactly_one_certificate_or_public_key() {
        let pem = include_str!("../../tests/fixtures/certs/oracle_chain.pem");
        let cert = crate::cert::pem::parse_certificates(pem.as_bytes(), crate::diag::Source::CaBundle).certificates.remove(0);
        let full = |selector: u8, data: Vec<u8>| TlsaRecord { usage: 3, selector, mtype: 0, data }.usable_by_openssl();
        assert!(full(0, cert.der.clone()));
        assert!(full(1, cert.spki_der.clone()));
        assert!(!full(1, cert.der.clone()), "a certificate is not a public key");
        assert!(!full(1, digest(DigestAlg::Sha256, &cert.spki_der)), "a digest is not a public key");
        let mut longer = cert.spki_der.clone();
        longer.push(0);
        assert!(!full(1, longer), "trailing bytes");
    }
}

//! The `fingerprint` level (spec §6): the leaf certificate's or its public key's digest must
//! equal one of the configured values; chain, dates and names are ignored.
//!
//! From 3.6 each value becomes two synthetic DANE-EE records (`3 0 255` and `3 1 255`) with the
//! private matching type mapped to `smtp_tls_fingerprint_digest`; colons are optional and a
//! value of the wrong length is an "unusable TLSA RR". Up to 3.5 Postfix compares its own
//! `XX:YY:…` rendering with the value, case-insensitively, so colons are required.

use crate::cert::fingerprint::{colon_hex, digest, DigestAlg};
use crate::cert::Certificate;
use serde::{Deserialize, Serialize};

/// A configured value after Postfix's decoding (3.6+).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintValue {
    /// As written.
    pub written: String,
    /// Decoded bytes (3.6+), when the value is valid hex.
    pub bytes: Option<Vec<u8>>,
}

/// Decodes `hex_decode_opt(… ALLOW_COLON)`: hex pairs, optionally separated by single colons
/// between pairs (never leading, trailing or doubled).
pub fn decode_hex_with_colons(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    if bytes.is_empty() {
        return None;
    }
    loop {
        let hi = (*bytes.get(i)? as char).to_digit(16)?;
        let lo = (*bytes.get(i + 1)? as char).to_digit(16)?;
        out.push((hi * 16 + lo) as u8);
        i += 2;
        match bytes.get(i) {
            None => return Some(out),
            Some(b':') => {
                i += 1;
                bytes.get(i)?;
            }
            Some(_) => {}
        }
    }
}

/// Prepares the configured values as Postfix 3.6+ does when it builds the policy:
/// returns the usable decoded values and the `malformed fingerprint value` warnings.
pub fn decode_values(values: &[String]) -> (Vec<FingerprintValue>, Vec<String>) {
    let mut decoded = Vec::new();
    let mut warnings = Vec::new();
    for v in values {
        if v.len() > 3 * 64 {
            let head: String = v.chars().take(100).collect();
            warnings.push(format!("malformed fingerprint value: {head}..."));
            continue;
        }
        match decode_hex_with_colons(v) {
            Some(bytes) => decoded.push(FingerprintValue { written: v.clone(), bytes: Some(bytes) }),
            None => {
                let head: String = v.chars().take(384).collect();
                warnings.push(format!("malformed fingerprint value: {head}"));
            }
        }
    }
    (decoded, warnings)
}

/// A synthetic TLSA record `3 S 255 DATA` as `tls_dane_enable()` hands it to OpenSSL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntheticRecord {
    /// 0 = whole certificate, 1 = SubjectPublicKeyInfo.
    pub selector: u8,
    /// The digest bytes.
    pub data: Vec<u8>,
}

impl SyntheticRecord {
    /// Upper-case hex without colons, as Postfix logs record data.
    pub fn hex(&self) -> String {
        crate::cert::upper_hex(&self.data)
    }
}

/// The outcome of fingerprint matching on one leaf certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintOutcome {
    /// Records in the order OpenSSL receives them (Postfix prepends: last value first,
    /// SPKI before certificate).
    pub records: Vec<SyntheticRecord>,
    /// `unusable TLSA RR: 3 S 255 HEX` warnings (wrong length for the digest).
    pub unusable: Vec<String>,
    /// Every record was unusable (Postfix then forces verification to fail).
    pub all_unusable: bool,
    /// The matched value as Postfix logs it (3.6+: hex without colons; ≤3.5: its colon form).
    pub matched: Option<String>,
    /// Whether the match was on the public key (true) or the whole certificate (false).
    pub matched_pkey: bool,
    /// ≤3.5 detail line: `depth=0 matched end entity public-key ALG digest=HEX` or
    /// `… certificate ALG digest HEX`.
    pub legacy_line: Option<String>,
}

/// 3.6+: synthetic DANE-EE matching of the leaf.
pub fn match_openssl(values: &[FingerprintValue], alg: DigestAlg, leaf: &Certificate) -> FingerprintOutcome {
    let mut out = FingerprintOutcome::default();
    for v in values {
        if let Some(bytes) = &v.bytes {
            out.records.insert(0, SyntheticRecord { selector: 0, data: bytes.clone() });
            out.records.insert(0, SyntheticRecord { selector: 1, data: bytes.clone() });
        }
    }
    let want = digest(alg, b"").len();
    let usable: Vec<&SyntheticRecord> = out.records.iter().filter(|r| r.data.len() == want).collect();
    for r in out.records.iter().filter(|r| r.data.len() != want) {
        out.unusable.push(format!("unusable TLSA RR: 3 {} 255 {}", r.selector, r.hex()));
    }
    out.all_unusable = usable.is_empty();
    let cert_digest = digest(alg, &leaf.der);
    let pkey_digest = digest(alg, &leaf.spki_der);
    // SSL_dane_tlsa_add() keeps OpenSSL's list sorted (selector descending) and puts a record
    // before the ones added earlier with the same key: every public-key digest is tried before
    // any certificate digest, and within each kind the last one added first (recorded from
    // 3.7.11 and 3.11.6: `match=PKEY|CERT` logs the public-key digest).
    let mut tried: Vec<&SyntheticRecord> = usable.into_iter().rev().collect();
    tried.sort_by_key(|r| std::cmp::Reverse(r.selector));
    for r in tried {
        let hit = if r.selector == 0 { r.data == cert_digest } else { r.data == pkey_digest };
        if hit {
            out.matched = Some(r.hex());
            out.matched_pkey = r.selector == 1;
            break;
        }
    }
    out
}

impl FingerprintOutcome {
    /// Whether OpenSSL got records but none it can use (Postfix then forces a failure).
    pub fn none_usable(&self) -> bool {
        !self.records.is_empty() && self.all_unusable
    }

    /// The warnings `tls_dane_enable()` logs for these records: each unusable one, then "all
    /// fingerprints unusable" when none is left.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = self.unusable.clone();
        if self.none_usable() {
            w.push("all fingerprints unusable".into());
        }
        w
    }
}

/// ≤3.5: string comparison of Postfix's colon rendering (public key first, then certificate).
pub fn match_legacy(values: &[String], alg: DigestAlg, leaf: &Certificate) -> FingerprintOutcome {
    let mut out = FingerprintOutcome::default();
    let pkey = colon_hex(&digest(alg, &leaf.spki_der));
    let cert = colon_hex(&digest(alg, &leaf.der));
    if let Some(v) = values.iter().find(|v| v.eq_ignore_ascii_case(&pkey)) {
        out.matched = Some(v.to_ascii_uppercase());
        out.matched_pkey = true;
        out.legacy_line = Some(format!("depth=0 matched end entity public-key {} digest={pkey}", alg.name()));
    } else if let Some(v) = values.iter().find(|v| v.eq_ignore_ascii_case(&cert)) {
        out.matched = Some(v.to_ascii_uppercase());
        out.legacy_line = Some(format!("depth=0 matched end entity certificate {} digest {cert}", alg.name()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_with_optional_colons_between_pairs() {
        assert_eq!(decode_hex_with_colons("AB:cd:01"), Some(vec![0xab, 0xcd, 0x01]));
        assert_eq!(decode_hex_with_colons("abcd01"), Some(vec![0xab, 0xcd, 0x01]));
        assert_eq!(decode_hex_with_colons("AB:CD:"), None);
        assert_eq!(decode_hex_with_colons(":AB"), None);
        assert_eq!(decode_hex_with_colons("ABC"), None);
        assert_eq!(decode_hex_with_colons("AB::CD"), None);
        assert_eq!(decode_hex_with_colons("A:BC"), None);
        assert_eq!(decode_hex_with_colons(""), None);
    }

    #[test]
    fn overlong_and_bad_values_are_warned_and_dropped() {
        let (ok, warnings) = decode_values(&["zz".into(), "A".repeat(200), "AB".into()]);
        assert_eq!(ok.len(), 1);
        assert_eq!(warnings[0], "malformed fingerprint value: zz");
        assert!(warnings[1].ends_with("..."));
    }

    #[test]
    fn public_key_digests_are_tried_before_certificate_digests() {
        let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed/fastmail-replica.pem")).unwrap();
        let leaf = crate::cert::pem::parse_certificates(pem.as_bytes(), crate::diag::Source::Certificates(0)).certificates.remove(0);
        let cert = colon_hex(&digest(DigestAlg::Sha256, &leaf.der));
        let pkey = colon_hex(&digest(DigestAlg::Sha256, &leaf.spki_der));
        let plain = |v: &str| v.replace(':', "");
        for values in [[cert.clone(), pkey.clone()], [pkey.clone(), cert.clone()]] {
            let (decoded, _) = decode_values(&values);
            let out = match_openssl(&decoded, DigestAlg::Sha256, &leaf);
            assert_eq!(out.matched.as_deref(), Some(plain(&pkey).as_str()), "{values:?}");
            assert!(out.matched_pkey);
        }
        // Only the certificate's digest listed: it matches as the certificate.
        let (decoded, _) = decode_values(std::slice::from_ref(&cert));
        let out = match_openssl(&decoded, DigestAlg::Sha256, &leaf);
        assert_eq!(out.matched.as_deref(), Some(plain(&cert).as_str()));
        assert!(!out.matched_pkey);
    }
}

//! DANE as Postfix ≤3.5 implements it itself (before 3.6 moved it into OpenSSL): records are
//! sorted and filtered at lookup time (unsupported usages, selectors and matching types,
//! malformed digests, digest agility), full values are hashed with the preferred digest
//! (SHA2-512), and matching compares Postfix's colon-hex fingerprints.
//!
//! Trust anchors matched by their certificate digest become the trusted root; a trust anchor
//! matched only by its public key is wrapped into a synthetic root, which OpenSSL 3 (as the
//! oracle recorded with OpenSSL 3.0.19) refuses, so such chains end as "untrusted issuer".

use super::record::TlsaRecord;
use crate::cert::fingerprint::{colon_hex, digest, DigestAlg};
use crate::cert::Certificate;
use serde::{Deserialize, Serialize};

/// One digest Postfix keeps, by usage (TA/EE) and selector (certificate/public key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyDigest {
    /// 2 (trust anchor) or 3 (end entity).
    pub usage: u8,
    /// 0 certificate, 1 public key.
    pub selector: u8,
    /// Digest algorithm.
    pub alg: DigestAlg,
    /// Colon-separated upper-case hex, as Postfix compares and logs it.
    pub digest: String,
}

/// The TLSA RRset as ≤3.5 keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyDane {
    /// Digests kept, in the order Postfix checks them.
    pub digests: Vec<LegacyDigest>,
    /// Trust-anchor certificates published in full (`2 0 0`).
    pub ta_certs: Vec<Vec<u8>>,
    /// Warnings logged at lookup time.
    pub warnings: Vec<String>,
    /// Everything the lookup logs, in order: the warnings above interleaved with one
    /// `using DANE RR: …` line per record kept (logged only when DANE lookups are verbose:
    /// posttls-finger with certmatch or verbose TLS logging, smtp(8) with `-v`).
    #[serde(default)]
    pub lookup_lines: Vec<LookupLine>,
}

/// One line `process_rrs()` logs while it filters the RRset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum LookupLine {
    /// `warning: …` (always logged).
    Warning(String),
    /// `using DANE RR: OWNER IN TLSA U S M DIGEST` (verbose DANE logging only).
    Using(String),
}

impl LegacyDane {
    /// `TLS_DANE_HASTA`.
    pub fn has_ta(&self) -> bool {
        self.digests.iter().any(|d| d.usage == 2)
    }

    /// `TLS_DANE_HASEE`.
    pub fn has_ee(&self) -> bool {
        self.digests.iter().any(|d| d.usage == 3)
    }

    /// Nothing usable was kept (`TLS_DANE_FLAG_EMPTY`).
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }
}

/// Preference of a matching type (`digest_pref_byid()` with `tls_dane_digests = sha512 sha256`):
/// full values first, then SHA2-512, then SHA2-256, then unknown types.
fn mtype_pref(mtype: u8) -> u32 {
    match mtype {
        0 => 0,
        2 => 1,
        1 => 2,
        other => 16 + other as u32,
    }
}

/// `process_rrs()`: sort, filter with warnings, apply digest agility, digest full values.
pub fn parse_rrset(owner: &str, rrset: &[String]) -> LegacyDane {
    let mut records: Vec<TlsaRecord> = rrset.iter().filter_map(|t| TlsaRecord::parse(t).ok()).collect();
    records.sort_by(|a, b| {
        (a.usage, a.selector, mtype_pref(a.mtype), a.data.len(), &a.data).cmp(&(b.usage, b.selector, mtype_pref(b.mtype), b.data.len(), &b.data))
    });
    let mut out = LegacyDane::default();
    let warn = |out: &mut LegacyDane, text: String| {
        out.lookup_lines.push(LookupLine::Warning(text.clone()));
        out.warnings.push(text);
    };
    let mut agility: Option<(u8, u8, u8)> = None;
    for r in &records {
        if r.mtype != 0 {
            if let Some((u, s, m)) = agility {
                if (u, s) == (r.usage, r.selector) && m != r.mtype {
                    // A less preferred digest for the same usage and selector: dropped.
                    continue;
                }
            }
        }
        let (u, s, m) = (r.usage, r.selector, r.mtype);
        if u != 2 && u != 3 {
            warn(&mut out, format!("unsupported certificate usage {u} in RR: {owner} IN TLSA {u} ..."));
            continue;
        }
        if s > 1 {
            warn(&mut out, format!("unsupported selector {s} in RR: {owner} IN TLSA {u} {s} ..."));
            continue;
        }
        let alg = match m {
            0 => DigestAlg::Sha512,
            1 => DigestAlg::Sha256,
            2 => DigestAlg::Sha512,
            _ => {
                warn(&mut out, format!("unsupported matching type {m} in RR: {owner} IN TLSA {u} {s} {m} ..."));
                continue;
            }
        };
        let value = if m == 0 {
            // d2i_X509() / d2i_PUBKEY() on the whole value (recorded from Postfix 3.5.27: a
            // digest published as "3 1 0" is a "malformed public key").
            let valid = if s == 0 { Certificate::from_der(&r.data).is_ok() } else { crate::dane::record::full_data_parses(1, &r.data) };
            if !valid {
                let what = if s == 0 { "certificate" } else { "public key" };
                warn(&mut out, format!("malformed {what} in RR: {owner} IN TLSA {u} {s} {m} ..."));
                continue;
            }
            if u == 2 && s == 0 {
                out.ta_certs.push(r.data.clone());
            }
            let whole = colon_hex(&digest(alg, &r.data));
            let what = if s == 0 { "certificate" } else { "public key" };
            out.lookup_lines.push(LookupLine::Using(format!("using DANE RR: {owner} IN TLSA {u} {s} {m} <{what}>; {} digest {whole}", alg.name())));
            whole
        } else {
            let want = digest(alg, b"").len();
            if r.data.len() != want {
                warn(&mut out, format!("malformed {} digest, length {}, in RR: {owner} IN TLSA {u} {s} {m} ...", alg.name(), r.data.len()));
                continue;
            }
            agility = Some((u, s, m));
            let value = colon_hex(&r.data);
            out.lookup_lines.push(LookupLine::Using(format!("using DANE RR: {owner} IN TLSA {u} {s} {m} {value}")));
            value
        };
        out.digests.push(LegacyDigest { usage: u, selector: s, alg, digest: value });
    }
    out
}

/// How a certificate matched (`MATCHED_CERT` / `MATCHED_PKEY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegacyMatch {
    /// By its whole-certificate digest.
    Certificate,
    /// By its public-key digest.
    PublicKey,
}

/// `tls_dane_match()`: public-key digests first, then certificate digests, per algorithm, the
/// algorithms in name order (`dane_locate()` keeps them sorted: recorded from Postfix 3.5.27,
/// a "3 0 1" match is logged before an equally matching "3 0 0" digested with SHA-512).
/// Returns how it matched and the detail line Postfix logs (without `NAMADDR: `).
pub fn match_cert(dane: &LegacyDane, usage: u8, cert: &Certificate, depth: usize) -> Option<(LegacyMatch, String, String)> {
    let role = if usage == 3 { "end entity" } else { "trust anchor" };
    let mut algs: Vec<DigestAlg> = Vec::new();
    for d in dane.digests.iter().filter(|d| d.usage == usage) {
        if !algs.contains(&d.alg) {
            algs.push(d.alg);
        }
    }
    algs.sort_by_key(|a| a.name());
    for alg in algs {
        let of = |selector: u8| dane.digests.iter().filter(move |d| d.usage == usage && d.alg == alg && d.selector == selector);
        let pkey = colon_hex(&digest(alg, &cert.spki_der));
        if of(1).any(|d| d.digest.eq_ignore_ascii_case(&pkey)) {
            let line = format!("depth={depth} matched {role} public-key {} digest={pkey}", alg.name());
            return Some((LegacyMatch::PublicKey, line, pkey));
        }
        let whole = colon_hex(&digest(alg, &cert.der));
        if of(0).any(|d| d.digest.eq_ignore_ascii_case(&whole)) {
            let line = format!("depth={depth} matched {role} certificate {} digest {whole}", alg.name());
            return Some((LegacyMatch::Certificate, line, whole));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usages_0_1_and_short_digests_are_dropped_with_35_wording() {
        let d = parse_rrset("_25._tcp.mx.example.com", &["0 0 1 8f5d".into(), "3 1 1 5548917100".into()]);
        assert!(d.is_empty());
        assert_eq!(d.warnings[0], "unsupported certificate usage 0 in RR: _25._tcp.mx.example.com IN TLSA 0 ...");
        assert_eq!(d.warnings[1], "malformed sha256 digest, length 5, in RR: _25._tcp.mx.example.com IN TLSA 3 1 1 ...");
    }

    #[test]
    fn digest_agility_keeps_the_preferred_digest_per_usage_and_selector() {
        let sha256 = format!("3 1 1 {}", "ab".repeat(32));
        let sha512 = format!("3 1 2 {}", "cd".repeat(64));
        let d = parse_rrset("o", &[sha256, sha512]);
        assert_eq!(d.digests.len(), 1);
        assert_eq!(d.digests[0].alg, DigestAlg::Sha512);
    }
}

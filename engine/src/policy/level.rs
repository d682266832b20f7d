//! TLS security levels, in Postfix's internal order (`tls_level.c`, spec §2).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A TLS security level. The derive order is Postfix's internal order, so `<` compares strength:
/// `none < may < encrypt < fingerprint < halfdane < dane < dane-only < verify < secure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityLevel {
    /// No TLS.
    None,
    /// Opportunistic TLS: STARTTLS when offered, no authentication.
    May,
    /// Mandatory TLS, no authentication.
    Encrypt,
    /// The leaf certificate or public-key digest must match (2.5+).
    Fingerprint,
    /// DANE enforced against an insecure MX RRset: logged "Trusted", never "Verified" (output only).
    #[serde(rename = "halfdane")]
    HalfDane,
    /// DNSSEC TLSA authentication with fallbacks (2.11+).
    Dane,
    /// DNSSEC TLSA authentication without fallback (2.11+).
    DaneOnly,
    /// Trusted chain and a name match, usually against the MX hostname.
    Verify,
    /// Trusted chain and a name match against names that do not come from DNS by default.
    Secure,
}

impl SecurityLevel {
    /// Looks a level up the way `tls_level_lookup()` does: case-insensitive, and `halfdane` is
    /// not accepted as an input.
    pub fn lookup(name: &str) -> Option<SecurityLevel> {
        use SecurityLevel::*;
        [None, May, Encrypt, Fingerprint, Dane, DaneOnly, Verify, Secure].into_iter().find(|l| l.name().eq_ignore_ascii_case(name))
    }

    /// The name Postfix prints (`policy_name()`).
    pub fn name(self) -> &'static str {
        match self {
            SecurityLevel::None => "none",
            SecurityLevel::May => "may",
            SecurityLevel::Encrypt => "encrypt",
            SecurityLevel::Fingerprint => "fingerprint",
            SecurityLevel::HalfDane => "halfdane",
            SecurityLevel::Dane => "dane",
            SecurityLevel::DaneOnly => "dane-only",
            SecurityLevel::Verify => "verify",
            SecurityLevel::Secure => "secure",
        }
    }

    /// `TLS_MUST_MATCH`: the certificate must be matched (by name, digest or TLSA) to deliver.
    pub fn must_match(self) -> bool {
        self > SecurityLevel::Encrypt
    }

    /// `TLS_MUST_PKIX`: CA trust and name checks (verify, secure).
    pub fn must_pkix(self) -> bool {
        self >= SecurityLevel::Verify
    }

    /// `TLS_MUST_TRUST` (≤3.5): a chain failure is its own deferral reason ("not trusted").
    pub fn must_trust(self) -> bool {
        self >= SecurityLevel::HalfDane
    }

    /// `TLS_DANE_BASED`: dane, dane-only (and halfdane).
    pub fn dane_based(self) -> bool {
        matches!(self, SecurityLevel::HalfDane | SecurityLevel::Dane | SecurityLevel::DaneOnly)
    }

    /// TLS is required (a handshake failure or missing STARTTLS defers).
    pub fn requires_tls(self) -> bool {
        self >= SecurityLevel::Encrypt
    }
}

impl fmt::Display for SecurityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_rejects_halfdane() {
        assert_eq!(SecurityLevel::lookup("SECURE"), Some(SecurityLevel::Secure));
        assert_eq!(SecurityLevel::lookup("Dane-Only"), Some(SecurityLevel::DaneOnly));
        assert_eq!(SecurityLevel::lookup("halfdane"), None);
        assert_eq!(SecurityLevel::lookup("MUST"), None);
    }

    #[test]
    fn order_matches_postfix() {
        use SecurityLevel::*;
        let all = [None, May, Encrypt, Fingerprint, HalfDane, Dane, DaneOnly, Verify, Secure];
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert!(Fingerprint.must_match() && !Encrypt.must_match());
        assert!(Verify.must_pkix() && !DaneOnly.must_pkix());
        for l in all {
            assert_eq!(SecurityLevel::lookup(l.name()).unwrap_or(HalfDane), l);
        }
    }
}

//! Postfix versions and the eras of certificate-name handling (spec §0).
//!
//! Era A (≤3.5) matches names with Postfix's own code; era B (3.6.0–3.10.3) hands them to
//! OpenSSL and logs a trusted-but-mismatched peer as "Untrusted"; era C (≥3.10.4) fixes that.
//! Every other version-dependent rule is a method here, so the rest of the engine asks
//! "does this version do X" instead of comparing numbers.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// A Postfix release, e.g. 3.7.11. Snapshot suffixes (`3.12-20260821`) are kept for display.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PostfixVersion {
    /// Major number (2 or 3).
    pub major: u32,
    /// Minor number.
    pub minor: u32,
    /// Patch level (0 when not given).
    pub patch: u32,
    /// Text after the numbers, e.g. `-20260821` for snapshots.
    pub suffix: String,
}

/// Who decides whether a certificate name matches, and how a mismatch is logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Era {
    /// 2.x – 3.5: Postfix's own matcher (`match_servername`), multi-label wildcards, first CN only.
    Legacy,
    /// 3.6.0 – 3.10.3: OpenSSL `X509_check_host`; a trusted mismatch is logged "Untrusted".
    OpenSslUntrustedBug,
    /// 3.10.4 and later: OpenSSL matching; a hostname mismatch alone is logged "Trusted".
    OpenSsl,
}

impl Era {
    /// A short label for the era, as the page and CLI show it.
    pub fn label(self) -> &'static str {
        match self {
            Era::Legacy => "≤3.5 (Postfix's own name matcher)",
            Era::OpenSslUntrustedBug => "3.6–3.10.3 (OpenSSL name checks, \"Untrusted\" logging bug)",
            Era::OpenSsl => "≥3.10.4 (OpenSSL name checks)",
        }
    }
}

/// The oldest release peername models (policy tables with `match` attributes exist since 2.3).
pub const OLDEST: (u32, u32) = (2, 3);
/// The newest release line peername models.
pub const NEWEST: (u32, u32) = (3, 12);
/// The default version for new scenarios: the current stable release the oracle recorded.
pub const DEFAULT_VERSION: &str = "3.11.6";

impl PostfixVersion {
    /// Parses `3.7.11`, `3.10`, `2.11.0`, `postfix-3.12-20260821`, `v3.5.27`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let v = Self::parse_any(text)?;
        if (v.major, v.minor) < OLDEST || (v.major, v.minor) > NEWEST {
            return Err(format!(
                "Postfix {v} is outside the versions peername models ({}.{} – {}.{})",
                OLDEST.0, OLDEST.1, NEWEST.0, NEWEST.1
            ));
        }
        Ok(v)
    }

    /// Whether [`PostfixVersion::parse`] refuses `text` only because it lies outside
    /// [`OLDEST`]–[`NEWEST`] (not because it is no version at all).
    pub fn is_outside_range(text: &str) -> bool {
        Self::parse_any(text).is_ok() && Self::parse(text).is_err()
    }

    /// [`PostfixVersion::parse`] without the range check.
    fn parse_any(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let t = t.strip_prefix("postfix-").or_else(|| t.strip_prefix("Postfix ")).unwrap_or(t);
        let t = t.strip_prefix('v').unwrap_or(t);
        let numeric_end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
        let (numbers, suffix) = t.split_at(numeric_end);
        let parts: Vec<&str> = numbers.trim_end_matches('.').split('.').collect();
        let num = |i: usize| -> Result<u32, String> {
            match parts.get(i) {
                None => Ok(0),
                Some(p) => p.parse::<u32>().map_err(|_| format!("\"{text}\" is not a Postfix version")),
            }
        };
        if parts.len() < 2 || parts.len() > 3 {
            return Err(format!("\"{text}\" is not a Postfix version (expected e.g. 3.7.11)"));
        }
        Ok(PostfixVersion { major: num(0)?, minor: num(1)?, patch: num(2)?, suffix: suffix.to_string() })
    }

    /// Shorthand for tests and defaults: a version from numbers.
    pub fn new(major: u32, minor: u32, patch: u32) -> Self {
        PostfixVersion { major, minor, patch, suffix: String::new() }
    }

    fn at_least(&self, major: u32, minor: u32, patch: u32) -> bool {
        (self.major, self.minor, self.patch) >= (major, minor, patch)
    }

    /// The era of name matching and trust-word logging.
    pub fn era(&self) -> Era {
        if !self.at_least(3, 6, 0) {
            Era::Legacy
        } else if !self.at_least(3, 10, 4) {
            Era::OpenSslUntrustedBug
        } else {
            Era::OpenSsl
        }
    }

    /// `{ name = value }` grouping in policy entries (3.10, `mystrtokq` + `extpar`).
    pub fn has_brace_grouping(&self) -> bool {
        self.at_least(3, 10, 0)
    }

    /// MTA-STS / TLSRPT plugin attributes (`policy_type`, `mx_host_pattern`, …) exist (3.10).
    pub fn knows_sts_attributes(&self) -> bool {
        self.at_least(3, 10, 0)
    }

    /// `smtp_tls_enforce_sts_mx_patterns` exists (3.10.5; default yes).
    pub fn has_sts_mx_pattern_enforcement(&self) -> bool {
        self.at_least(3, 10, 5)
    }

    /// The `servername` and `connection_reuse` policy attributes exist (3.4).
    pub fn knows_servername(&self) -> bool {
        self.at_least(3, 4, 0)
    }

    /// The `enable_rpk` policy attribute exists (3.9).
    pub fn knows_enable_rpk(&self) -> bool {
        self.at_least(3, 9, 0)
    }

    /// `match` at fingerprint level (2.5), `exclude` (2.6), `ciphers` at may (2.6).
    pub fn knows_exclude(&self) -> bool {
        self.at_least(2, 6, 0)
    }

    /// `tafile` and the DANE levels exist (2.11).
    pub fn knows_dane(&self) -> bool {
        self.at_least(2, 11, 0)
    }

    /// The peer-certificate line reads `issuer=…, cert fingerprint=…` (3.9) instead of
    /// `issuer_CN=…, fingerprint=…`.
    pub fn logs_issuer_and_cert_fingerprint(&self) -> bool {
        self.at_least(3, 9, 0)
    }

    /// The delivery status line carries a `tls=` field (3.11: `log_adhoc.c`; recorded absent
    /// from 3.10.3 and 3.10.4, present from 3.11.6).
    pub fn status_line_has_tls_field(&self) -> bool {
        self.at_least(3, 11, 0)
    }

    /// The summary word for a connection without a certificate is "Anonymous" (3.0).
    pub fn logs_anonymous(&self) -> bool {
        self.at_least(3, 0, 0)
    }

    /// `smtp_tls_wrappermode` (SMTPS, 3.0) exists, with its hint for port 465.
    pub fn knows_wrappermode(&self) -> bool {
        self.at_least(3, 0, 0)
    }

    /// Fingerprint values may omit colons and are decoded as hex (3.6).
    pub fn fingerprint_colons_optional(&self) -> bool {
        self.at_least(3, 6, 0)
    }

    /// A policy entry's `match=` fingerprints are decoded as the attribute is read, so their
    /// `malformed fingerprint value` warnings come before a later attribute's error (3.6 until
    /// the raw-public-key rework of 3.9, which decodes them once the entry is read; recorded
    /// from 3.7.11 and 3.11.6).
    pub fn decodes_fingerprints_while_parsing(&self) -> bool {
        self.fingerprint_colons_optional() && !self.knows_enable_rpk()
    }

    /// Verification failures are logged for every must-match level (3.6), not only must-trust.
    pub fn logs_untrusted_for_must_match(&self) -> bool {
        self.at_least(3, 6, 0)
    }

    /// `smtp_tls_loglevel` knows the `dane` keyword (3.6).
    pub fn knows_dane_log_keyword(&self) -> bool {
        self.at_least(3, 6, 0)
    }

    /// TLS protocol lists take `>=VERSION` and `<=VERSION` bounds (3.6); before that only
    /// names, each optionally excluded with `!`.
    pub fn knows_protocol_bounds(&self) -> bool {
        self.at_least(3, 6, 0)
    }

    /// `compatibility_level` takes dotted values like 3.6 (3.6); before that only integers.
    pub fn has_dotted_compatibility_levels(&self) -> bool {
        self.at_least(3, 6, 0)
    }

    /// The built-in `compatibility_level` default.
    pub fn default_compatibility_level(&self) -> &'static str {
        "0"
    }

    /// `smtp_tls_security_level` defaults to `may` when compatibility_level ≥ 3.11 (3.11).
    pub fn has_may_default_security_level(&self) -> bool {
        self.at_least(3, 11, 0)
    }

    /// The default of `smtp_tls_dane_insecure_mx_policy` is plain `dane`
    /// (3.6.17, 3.7.13, 3.8.8, 3.9.2, 3.10.0 and later).
    pub fn insecure_mx_policy_defaults_to_dane(&self) -> bool {
        match (self.major, self.minor) {
            (3, 6) => self.patch >= 17,
            (3, 7) => self.patch >= 13,
            (3, 8) => self.patch >= 8,
            (3, 9) => self.patch >= 2,
            _ => self.at_least(3, 10, 0),
        }
    }

    /// "Server certificate not trusted" is a separate deferral reason (≤3.5).
    pub fn has_not_trusted_reason(&self) -> bool {
        !self.at_least(3, 6, 0)
    }

    /// posttls-finger's "Failed to establish session to DEST via HOST…" line (posttls-finger.c).
    /// 3.8 added a port, and 3.8.0 alone the destination's service too; until 3.8.12, 3.9.6 and
    /// 3.10.5 that port is the DNS record's port field, which only an SRV record sets (MX and
    /// address lookups leave it 0); from those releases on it is the port connected to.
    pub fn finger_failure_line(&self, dest: &str, host: &str, port: u16, why: &str) -> String {
        let logs_connected_port = match (self.major, self.minor) {
            (3, 8) => self.patch >= 12,
            (3, 9) => self.patch >= 6,
            (3, 10) => self.patch >= 5,
            _ => self.at_least(3, 11, 0),
        };
        let port = if logs_connected_port { port } else { 0 };
        if !self.at_least(3, 8, 0) {
            format!("Failed to establish session to {dest} via {host}: {why}")
        } else if !self.at_least(3, 8, 1) {
            format!("Failed to establish session to {dest}:smtp via {host}:{port}: {why}")
        } else {
            format!("Failed to establish session to {dest} via {host}:{port}: {why}")
        }
    }

    /// posttls-finger's `parse_match()` (3.5): the DANE levels take `-m` match arguments like
    /// `secure` (by default `nexthop`, `dot-nexthop`) for their fallback to `secure`, and a level
    /// that checks no names warns about them. Before, the DANE levels matched `nexthop` and
    /// `hostname` whatever the arguments said, and other levels ignored them silently (recorded
    /// from 3.4.29 and 3.5.27).
    pub fn finger_parses_dane_match_args(&self) -> bool {
        self.at_least(3, 5, 0)
    }

    /// smtp(8) splits its next-hop on commas and whitespace into a list of destinations
    /// (3.5, `smtp_connect_inet()`); before, the whole next-hop is one server description, so
    /// a list is a fatal error (recorded from 3.4.29). `smtp_fallback_relay` was always a list.
    pub fn splits_nexthop_lists(&self) -> bool {
        self.at_least(3, 5, 0)
    }

    /// When smtp(8) dies with a delivery request in hand, qmgr(8) warns "transport … failure"
    /// and defers the message 4.3.0 "unknown mail transport error" (3.4 and before); from 3.5
    /// it only warns of the malformed response and the message waits in the queue (recorded
    /// from 3.4.29, 3.5.27, 3.7.11 and 3.11.6).
    pub fn qmgr_defers_when_smtp_dies_delivering(&self) -> bool {
        !self.at_least(3, 5, 0)
    }

    /// Wording of the resumed-session hint changed in 3.9 ("peer credential").
    pub fn reuse_hint_says_peer_credential(&self) -> bool {
        self.at_least(3, 9, 0)
    }
}

impl fmt::Display for PostfixVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}{}", self.major, self.minor, self.patch, self.suffix)
    }
}

impl PartialOrd for PostfixVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PostfixVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch, &self.suffix).cmp(&(other.major, other.minor, other.patch, &other.suffix))
    }
}

/// A Postfix `compatibility_level` value such as `2`, `3.6` or `3.11`, compared numerically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct CompatLevel {
    /// Major part.
    pub major: u32,
    /// Minor part (0 for integer levels).
    pub minor: u32,
}

impl CompatLevel {
    /// Parses `2`, `3.6`, `3.11`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let (a, b) = t.split_once('.').unwrap_or((t, "0"));
        Some(CompatLevel { major: a.parse().ok()?, minor: b.parse().ok()? })
    }

    /// Whether this level is at least `major.minor`.
    pub fn at_least(self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        assert_eq!(PostfixVersion::parse("3.7.11").unwrap(), PostfixVersion::new(3, 7, 11));
        assert_eq!(PostfixVersion::parse("2.11").unwrap(), PostfixVersion::new(2, 11, 0));
        let snap = PostfixVersion::parse("postfix-3.12-20260821").unwrap();
        assert_eq!((snap.major, snap.minor, snap.suffix.as_str()), (3, 12, "-20260821"));
        assert!(PostfixVersion::parse("3").is_err());
        assert!(PostfixVersion::parse("4.0.0").is_err());
        assert!(PostfixVersion::parse("three").is_err());
        assert!(PostfixVersion::parse("").is_err());
    }

    #[test]
    fn eras_split_at_3_6_and_3_10_4() {
        assert_eq!(PostfixVersion::new(3, 5, 27).era(), Era::Legacy);
        assert_eq!(PostfixVersion::new(2, 11, 0).era(), Era::Legacy);
        assert_eq!(PostfixVersion::new(3, 6, 0).era(), Era::OpenSslUntrustedBug);
        assert_eq!(PostfixVersion::new(3, 10, 3).era(), Era::OpenSslUntrustedBug);
        assert_eq!(PostfixVersion::new(3, 10, 4).era(), Era::OpenSsl);
        assert_eq!(PostfixVersion::new(3, 11, 6).era(), Era::OpenSsl);
    }

    #[test]
    fn finger_failure_line_follows_posttls_finger_c() {
        let line = |v: PostfixVersion| v.finger_failure_line("example.com", "mx.example.com", 25, "why");
        assert_eq!(line(PostfixVersion::new(3, 7, 11)), "Failed to establish session to example.com via mx.example.com: why");
        assert_eq!(line(PostfixVersion::new(3, 8, 0)), "Failed to establish session to example.com:smtp via mx.example.com:0: why");
        for v in [(3, 8, 11), (3, 9, 5), (3, 10, 4)] {
            assert_eq!(line(PostfixVersion::new(v.0, v.1, v.2)), "Failed to establish session to example.com via mx.example.com:0: why", "{v:?}");
        }
        for v in [(3, 8, 12), (3, 9, 6), (3, 10, 5), (3, 11, 0), (3, 12, 0)] {
            assert_eq!(line(PostfixVersion::new(v.0, v.1, v.2)), "Failed to establish session to example.com via mx.example.com:25: why", "{v:?}");
        }
    }

    #[test]
    fn status_line_tls_field_arrives_in_3_11() {
        assert!(!PostfixVersion::new(3, 10, 4).status_line_has_tls_field());
        assert!(!PostfixVersion::new(3, 10, 13).status_line_has_tls_field());
        assert!(PostfixVersion::new(3, 11, 0).status_line_has_tls_field());
    }

    #[test]
    fn insecure_mx_default_follows_the_backports() {
        assert!(!PostfixVersion::new(3, 7, 11).insecure_mx_policy_defaults_to_dane());
        assert!(PostfixVersion::new(3, 7, 13).insecure_mx_policy_defaults_to_dane());
        assert!(PostfixVersion::new(3, 10, 0).insecure_mx_policy_defaults_to_dane());
        assert!(!PostfixVersion::new(3, 5, 27).insecure_mx_policy_defaults_to_dane());
    }

    #[test]
    fn compat_levels_compare_numerically() {
        assert!(CompatLevel::parse("3.11").unwrap().at_least(3, 6));
        assert!(!CompatLevel::parse("2").unwrap().at_least(3, 6));
        assert!(CompatLevel::parse("x").is_none());
    }
}

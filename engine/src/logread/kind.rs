//! What one understood log line says, as data: the vocabulary of the log reader.
//!
//! Each variant is one wording Postfix uses (spec §2.1–2.3, §5.3, §6, §7, §9), with the parts
//! a person needs pulled out. The variants are era-neutral: the era a wording betrays is
//! decided in `era.rs`, from the same data.

use super::peer::Peer;
use crate::tls::session::TrustWord;
use serde::{Deserialize, Serialize};

/// Why a certificate failed verification, from `… certificate verification failed for …: WHY`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VerifyFailure {
    /// `num=62:hostname mismatch` (3.6+: OpenSSL checks the names).
    HostnameMismatch,
    /// `num=64:IP address mismatch`.
    IpAddressMismatch,
    /// `num=65:no matching DANE TLSA records` (DANE, or the fingerprint level from 3.6).
    NoMatchingTlsa,
    /// `untrusted issuer /C=…/CN=…`: the chain does not reach a trusted CA.
    UntrustedIssuer {
        /// The issuer in `X509_NAME_oneline` form.
        issuer: String,
    },
    /// `self-signed certificate`.
    SelfSigned,
    /// `certificate has expired`.
    Expired,
    /// `certificate not yet valid`.
    NotYetValid,
    /// `not trusted by local or TLSA policy`.
    NotTrustedByPolicy,
    /// `not designated for use as a … certificate`.
    InvalidPurpose,
    /// `certificate chain longer than limit(N)`.
    ChainTooLong,
    /// `external policy failure (TYPE)` (MTA-STS plugins, 3.10+).
    ExternalPolicy {
        /// The failure type.
        failure: String,
    },
    /// Any other `num=N:TEXT` or wording.
    Other {
        /// OpenSSL's error number, when logged.
        num: Option<u32>,
        /// The text after the peer.
        text: String,
    },
}

impl VerifyFailure {
    /// Reads the text after `NAMADDR: `.
    pub fn parse(reason: &str) -> Self {
        if let Some(rest) = reason.strip_prefix("num=") {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let num = digits.parse::<u32>().ok();
            return match num {
                Some(62) => VerifyFailure::HostnameMismatch,
                Some(64) => VerifyFailure::IpAddressMismatch,
                Some(65) => VerifyFailure::NoMatchingTlsa,
                _ => VerifyFailure::Other { num, text: reason.to_string() },
            };
        }
        if let Some(issuer) = reason.strip_prefix("untrusted issuer ") {
            return VerifyFailure::UntrustedIssuer { issuer: issuer.to_string() };
        }
        if let Some(failure) = reason.strip_prefix("external policy failure (") {
            return VerifyFailure::ExternalPolicy { failure: failure.trim_end_matches(')').to_string() };
        }
        match reason {
            "self-signed certificate" => VerifyFailure::SelfSigned,
            "certificate has expired" => VerifyFailure::Expired,
            "certificate not yet valid" => VerifyFailure::NotYetValid,
            "not trusted by local or TLSA policy" => VerifyFailure::NotTrustedByPolicy,
            r if r.starts_with("not designated for use as a ") => VerifyFailure::InvalidPurpose,
            r if r.starts_with("certificate chain longer than limit") => VerifyFailure::ChainTooLong,
            _ => VerifyFailure::Other { num: None, text: reason.to_string() },
        }
    }

    /// A name problem (the chain itself may be fine).
    pub fn is_name_mismatch(&self) -> bool {
        matches!(self, VerifyFailure::HostnameMismatch | VerifyFailure::IpAddressMismatch)
    }

    /// A trust problem: the chain does not verify.
    pub fn is_chain_problem(&self) -> bool {
        matches!(
            self,
            VerifyFailure::UntrustedIssuer { .. }
                | VerifyFailure::SelfSigned
                | VerifyFailure::Expired
                | VerifyFailure::NotYetValid
                | VerifyFailure::NotTrustedByPolicy
                | VerifyFailure::InvalidPurpose
                | VerifyFailure::ChainTooLong
        )
    }

    /// A stable short code, e.g. `hostname-mismatch`.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyFailure::HostnameMismatch => "hostname-mismatch",
            VerifyFailure::IpAddressMismatch => "ip-address-mismatch",
            VerifyFailure::NoMatchingTlsa => "no-matching-tlsa",
            VerifyFailure::UntrustedIssuer { .. } => "untrusted-issuer",
            VerifyFailure::SelfSigned => "self-signed",
            VerifyFailure::Expired => "expired",
            VerifyFailure::NotYetValid => "not-yet-valid",
            VerifyFailure::NotTrustedByPolicy => "not-trusted-by-policy",
            VerifyFailure::InvalidPurpose => "invalid-purpose",
            VerifyFailure::ChainTooLong => "chain-too-long",
            VerifyFailure::ExternalPolicy { .. } => "external-policy",
            VerifyFailure::Other { .. } => "other",
        }
    }
}

/// Which peer-certificate line form: `issuer_CN=…, fingerprint=…` (≤3.8) or
/// `issuer=…, cert fingerprint=…` (3.9+).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertLineForm {
    /// `subject_CN=…, issuer_CN=…, fingerprint=…, pkey_fingerprint=…`.
    IssuerCn,
    /// `subject_CN=…, issuer=…, cert fingerprint=…, pkey fingerprint=…`.
    Issuer,
}

/// What a warning is about, so the page can group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningTopic {
    /// A policy entry or TLS parameter Postfix cannot use.
    Policy,
    /// The policy table file itself (duplicates, format, unavailable).
    Table,
    /// Match names, fingerprints, cipher grades of one connection.
    Matching,
    /// DANE / TLSA.
    Dane,
    /// MTA-STS.
    Sts,
    /// Certificate names (≤3.5 `tls_dns_name`).
    Names,
    /// The TLS library or handshake.
    Handshake,
    /// The Postfix master (a daemon died).
    Process,
    /// Anything else.
    Other,
}

/// Which TLS level line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelScope {
    /// `global TLS level:` (main.cf's `smtp_tls_security_level`).
    Global,
    /// `effective TLS level:` (after the policy lookup; logged only when it differs).
    Effective,
}

/// A `relay=` value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relay {
    /// As logged: `host[addr]:port`, `none`, `local`, …
    pub text: String,
    /// The server, when the value names one.
    pub peer: Option<Peer>,
}

/// A delivery status line: `QUEUEID: to=<…>, relay=…, …, dsn=…, status=… (…)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusLine {
    /// The queue id (`QUEUEID` in the engine's predicted lines).
    pub queue_id: String,
    /// `to=<…>`.
    pub recipient: String,
    /// `orig_to=<…>`, when logged.
    pub original_recipient: Option<String>,
    /// `relay=`.
    pub relay: Relay,
    /// `tls=` (3.11+): the TLS policy compliance of the delivery.
    pub tls: Option<String>,
    /// `dsn=`.
    pub dsn: String,
    /// `status=`: sent, deferred, bounced, expired, …
    pub status: String,
    /// The text in parentheses.
    pub reason: String,
}

/// A TLS session cache key `smtp&NEXTHOP&HOST&ADDR&…`: it names the next-hop domain even when
/// the recipient was masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionKey {
    /// The service (`smtp`, `relay`, `lmtp`).
    pub service: String,
    /// The next-hop destination.
    pub nexthop: String,
    /// The server host name.
    pub host: String,
    /// The server address (empty when cut).
    pub address: String,
}

impl SessionKey {
    /// Reads `smtp&fastmail.fm&in1-smtp.messagingengine.com&66.111.4.74&&HASH`.
    pub fn parse(key: &str) -> Option<Self> {
        let mut parts = key.split('&');
        let service = parts.next()?.trim();
        let nexthop = parts.next()?.trim();
        let host = parts.next().unwrap_or("").trim();
        let address = parts.next().unwrap_or("").trim();
        if service.is_empty() || nexthop.is_empty() || service.contains(' ') || nexthop.contains(' ') {
            return None;
        }
        Some(SessionKey { service: service.into(), nexthop: nexthop.into(), host: host.into(), address: address.into() })
    }
}

/// One understood, TLS-relevant line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LineKind {
    /// `WORD TLS connection established|reused to NAMADDR: DETAILS` (`tls_log_summary()`).
    TlsSummary {
        /// The server.
        peer: Peer,
        /// Anonymous / Untrusted / Trusted / Verified.
        trust: TrustWord,
        /// `reused` instead of `established`.
        reused: bool,
        /// Protocol and cipher text.
        details: String,
    },
    /// `[server |CA ]certificate verification failed for NAMADDR: WHY` (`tls_log_verify_error()`).
    VerifyFailed {
        /// The server.
        peer: Peer,
        /// `server`, `CA` or empty.
        purpose: String,
        /// Why.
        failure: VerifyFailure,
        /// The text after the peer, verbatim.
        reason: String,
    },
    /// `NAMADDR: [Matched ]subjectAltName: NAME` or `NAMADDR [Matched ]CommonName NAME` (≤3.5).
    CertName {
        /// The server.
        peer: Peer,
        /// `subjectAltName` or `CommonName`.
        source: String,
        /// The name (may be empty for `CommonName`).
        name: String,
        /// The line says `Matched`.
        matched: bool,
    },
    /// `NAMADDR: subject_CN=…, issuer_CN=…, fingerprint=…, pkey_fingerprint=…` (or 3.9+ form).
    PeerCertificate {
        /// The server.
        peer: Peer,
        /// Subject CN (as Postfix chose it).
        subject_cn: Option<String>,
        /// Issuer CN (or organisation).
        issuer: Option<String>,
        /// Certificate digest.
        cert_fingerprint: Option<String>,
        /// Public-key digest.
        pkey_fingerprint: Option<String>,
        /// Which form.
        form: CertLineForm,
    },
    /// `NAMADDR: raw public key fingerprint=…` (3.9+).
    RawPublicKey {
        /// The server.
        peer: Peer,
        /// The digest.
        fingerprint: String,
    },
    /// `NAMADDR: matched peername: NAME` (3.6+).
    MatchedPeername {
        /// The server.
        peer: Peer,
        /// The certificate name that matched.
        name: String,
    },
    /// `NAMADDR: Matched fingerprint: HEX` (3.6+) or `NAMADDR: depth=N matched end entity … digest HEX` (≤3.5).
    MatchedFingerprint {
        /// The server.
        peer: Peer,
        /// The digest as logged.
        fingerprint: String,
        /// The ≤3.5 form.
        legacy: bool,
    },
    /// `NAMADDR: depth=N verify=V subject=/…` (`smtp_tls_loglevel ≥ 2`).
    ChainCertificate {
        /// The server.
        peer: Peer,
        /// Depth (0 = the server's own certificate).
        depth: u32,
        /// OpenSSL's preverify result at this depth.
        verify: Option<i32>,
        /// Subject in `X509_NAME_oneline` form.
        subject: String,
    },
    /// DANE and trust-anchor lines (`Matched DANE …`, `Matched trust anchor …`, legacy
    /// `depth=N matched trust anchor …`, `using DANE RR`, fallbacks).
    Dane {
        /// The server, when the line names one.
        peer: Option<Peer>,
        /// `matched-ee`, `matched-ta`, `matched-trust-anchor`, `tlsa-record`, `fallback`,
        /// `insecure-mx`, `trust-anchor-signed`.
        event: String,
        /// The message.
        text: String,
    },
    /// A delivery status line.
    Status(StatusLine),
    /// `QUEUEID: TEXT`: a per-server soft failure (`Server certificate not verified`) or another
    /// note about one message.
    DeliveryNote {
        /// The queue id.
        queue_id: String,
        /// The text.
        text: String,
    },
    /// `warning: smtp_tls_policy_maps, next-hop destination "D": PROBLEM`.
    PolicyWarning {
        /// The next-hop destination.
        destination: String,
        /// Postfix's complaint.
        problem: String,
    },
    /// `warning: TLS policy lookup for DEST/HOST: REASON`: the policy is unusable for this server.
    PolicyLookupFailed {
        /// The next-hop destination.
        destination: String,
        /// The server host.
        host: String,
        /// Why (`client TLS configuration problem`, DANE reasons).
        reason: String,
    },
    /// `maps_find: TABLE: …: KEY = VALUE` / `KEY: not found` / `KEY: search aborted` (`smtp -v`).
    MapsFind {
        /// The parameter name (`smtp_tls_policy_maps`).
        table: String,
        /// The key looked up.
        key: String,
        /// What was found (truncated by Postfix at 100 characters + `...`).
        result: Option<String>,
        /// The table could not be searched.
        aborted: bool,
    },
    /// `global TLS level: X` / `effective TLS level: X` (`smtp -v`).
    TlsLevel {
        /// Which.
        scope: LevelScope,
        /// The level.
        level: String,
    },
    /// The next-hop smtp(8) received from qmgr (`input attribute value` after `nexthop`, `smtp -v`).
    Nexthop {
        /// The next-hop.
        value: String,
    },
    /// `dns_query: NAME (TYPE): RESULT` (`smtp -v`).
    DnsQuery {
        /// The name queried.
        name: String,
        /// MX, A, AAAA, TLSA…
        rtype: String,
        /// `OK` or the error.
        result: String,
    },
    /// `smtp_addr_one: host NAME` (`smtp -v`): a server the client will try.
    ServerCandidate {
        /// The host.
        host: String,
    },
    /// `setting up TLS connection to NAMADDR`.
    SettingUp {
        /// The server.
        peer: Peer,
    },
    /// Session cache traffic naming `smtp&NEXTHOP&HOST&ADDR…` (smtp(8) or tlsmgr).
    SessionCache {
        /// `lookup`, `save`, `put`, `write`, `reloaded`, `delete`…
        action: String,
        /// The key's parts.
        key: SessionKey,
    },
    /// `Host offered STARTTLS: [HOST]` (`smtp_tls_note_starttls_offer`).
    StartTlsOffered {
        /// The host.
        host: String,
    },
    /// `SSL_connect error to NAMADDR: WHY`, `Failed to establish session to …`,
    /// `TLS library problem: …`.
    HandshakeError {
        /// The server, when named.
        peer: Option<Peer>,
        /// The message.
        text: String,
    },
    /// `Server is anonymous`.
    ServerAnonymous,
    /// `NAMADDR: re-using session with untrusted peer credential|certificate, …`.
    ReuseHint {
        /// The server.
        peer: Peer,
        /// `peer credential` (3.9+) or `certificate`.
        wording: String,
    },
    /// `connect to NAMADDR: WHY`: no TCP connection.
    ConnectFailed {
        /// The server.
        peer: Peer,
        /// Why.
        reason: String,
    },
    /// `daemon started -- version X` / `reload -- version X` (master), or a pasted
    /// `mail_version = X` (postconf).
    VersionBanner {
        /// The version.
        version: String,
    },
    /// Any other `warning:` of a TLS-relevant program.
    Warning {
        /// The topic.
        topic: WarningTopic,
        /// The server, when the warning names one.
        peer: Option<Peer>,
        /// The text after `warning: `.
        text: String,
    },
    /// `error:`, `fatal:` or `panic:` lines.
    Error {
        /// The topic.
        topic: WarningTopic,
        /// The text with its `fatal: ` (etc.) prefix.
        text: String,
    },
}

impl LineKind {
    /// The server a line is about, when it names one.
    pub fn peer(&self) -> Option<&Peer> {
        match self {
            LineKind::TlsSummary { peer, .. }
            | LineKind::VerifyFailed { peer, .. }
            | LineKind::CertName { peer, .. }
            | LineKind::PeerCertificate { peer, .. }
            | LineKind::RawPublicKey { peer, .. }
            | LineKind::MatchedPeername { peer, .. }
            | LineKind::MatchedFingerprint { peer, .. }
            | LineKind::ChainCertificate { peer, .. }
            | LineKind::SettingUp { peer }
            | LineKind::ReuseHint { peer, .. }
            | LineKind::ConnectFailed { peer, .. } => Some(peer),
            LineKind::Dane { peer, .. } | LineKind::HandshakeError { peer, .. } | LineKind::Warning { peer, .. } => peer.as_ref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_failures_by_wording() {
        assert_eq!(VerifyFailure::parse("num=62:hostname mismatch"), VerifyFailure::HostnameMismatch);
        assert_eq!(VerifyFailure::parse("num=64:IP address mismatch"), VerifyFailure::IpAddressMismatch);
        assert_eq!(VerifyFailure::parse("num=65:no matching DANE TLSA records"), VerifyFailure::NoMatchingTlsa);
        assert_eq!(VerifyFailure::parse("untrusted issuer /CN=X"), VerifyFailure::UntrustedIssuer { issuer: "/CN=X".into() });
        assert_eq!(VerifyFailure::parse("self-signed certificate"), VerifyFailure::SelfSigned);
        assert_eq!(VerifyFailure::parse("certificate has expired"), VerifyFailure::Expired);
        assert_eq!(VerifyFailure::parse("certificate not yet valid"), VerifyFailure::NotYetValid);
        assert_eq!(VerifyFailure::parse("not trusted by local or TLSA policy"), VerifyFailure::NotTrustedByPolicy);
        assert_eq!(VerifyFailure::parse("not designated for use as a server certificate"), VerifyFailure::InvalidPurpose);
        assert_eq!(VerifyFailure::parse("certificate chain longer than limit(9)"), VerifyFailure::ChainTooLong);
        assert_eq!(VerifyFailure::parse("external policy failure (sts-webpki-invalid)"), VerifyFailure::ExternalPolicy { failure: "sts-webpki-invalid".into() });
        assert_eq!(VerifyFailure::parse("num=1:unspecified certificate verification error"), VerifyFailure::Other { num: Some(1), text: "num=1:unspecified certificate verification error".into() });
        assert_eq!(VerifyFailure::parse("num=x"), VerifyFailure::Other { num: None, text: "num=x".into() });
        assert!(VerifyFailure::parse("self-signed certificate").is_chain_problem());
        assert!(VerifyFailure::HostnameMismatch.is_name_mismatch());
    }

    #[test]
    fn session_keys_name_the_nexthop() {
        let k = SessionKey::parse("smtp&fastmail.fm&in1-smtp.messagingengine.com&66.111.4.74&&FC83").unwrap();
        assert_eq!((k.nexthop.as_str(), k.host.as_str(), k.address.as_str()), ("fastmail.fm", "in1-smtp.messagingengine.com", "66.111.4.74"));
        let k = SessionKey::parse("smtp&fastmail.fm&in1-smtp.messagingengine.com&").unwrap();
        assert_eq!(k.address, "");
        assert!(SessionKey::parse("smtp").is_none());
        assert!(SessionKey::parse("&x").is_none());
    }
}

//! Which stage of the TLS decision failed, from the status line's reason and the connection's
//! lines (spec §2.2–2.3): the same stage codes the engine's verdict uses.

use super::assemble::effective_level;
use super::kind::{LineKind, VerifyFailure, WarningTopic};
use super::reading::{DeliveryAttempt, Fact, LogEntry, PeerConnection, WarningFact};
use crate::tls::session::TrustWord;
use serde::{Deserialize, Serialize};

/// The failing stage with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageReading {
    /// `policy-syntax`, `no-starttls`, `handshake`, `chain-trust`, `name-match`, `fingerprint`,
    /// `dane`, `none` (delivered) or `unknown`.
    pub stage: String,
    /// Why, in English.
    pub why: String,
    /// The lines that show it.
    pub evidence: Vec<usize>,
}

impl Default for StageReading {
    fn default() -> Self {
        StageReading { stage: "unknown".into(), why: "the log shows no delivery and no TLS connection".into(), evidence: Vec::new() }
    }
}

fn stage(code: &str, why: impl Into<String>, mut evidence: Vec<usize>) -> StageReading {
    evidence.sort_unstable();
    evidence.dedup();
    StageReading { stage: code.into(), why: why.into(), evidence }
}

/// The delivery a reading is about: the last smtp/lmtp one not delivered, else the last one.
pub fn focus(deliveries: &[DeliveryAttempt]) -> Option<usize> {
    let client = |d: &DeliveryAttempt| matches!(d.program.as_str(), "smtp" | "lmtp" | "relay");
    deliveries
        .iter()
        .rposition(|d| client(d) && d.status.status != "sent")
        .or_else(|| deliveries.iter().rposition(client))
        .or_else(|| deliveries.len().checked_sub(1))
}

/// The connections behind a delivery: its own, or (for a message sent over a cached
/// connection) the last earlier connection to its relay.
pub fn delivery_connections<'a>(d: &DeliveryAttempt, connections: &'a [PeerConnection]) -> Vec<&'a PeerConnection> {
    let own: Vec<&PeerConnection> = d.connections.iter().filter_map(|i| connections.get(*i)).collect();
    if !own.is_empty() {
        return own;
    }
    let Some(relay) = &d.status.relay.peer else { return own };
    connections.iter().rev().find(|c| c.lines.first().is_some_and(|l| *l < d.line) && c.peer.same_server(relay)).into_iter().collect()
}

const DANE_REASONS: [&str; 6] = ["non DNSSEC destination", "no TLSA records found", "TLSA records unusable", "TLSA lookup error", "MX RRset is insecure", "Verification not possible"];

/// Infers the stage for the focus delivery, or for the last connection when there is none
/// (posttls-finger output).
pub fn infer(entries: &[LogEntry], connections: &[PeerConnection], deliveries: &[DeliveryAttempt], focus: Option<usize>, errors: &[Fact<WarningFact>]) -> StageReading {
    let Some(d) = focus.and_then(|i| deliveries.get(i)) else {
        return match connections.last() {
            Some(c) => connection_stage(c, None, None),
            None => match errors.iter().find(|e| e.value.topic == WarningTopic::Policy) {
                Some(e) => stage("policy-syntax", format!("Postfix stopped on a configuration error: {}", e.value.text), vec![e.line]),
                None => StageReading::default(),
            },
        };
    };
    let reason = d.status.reason.as_str();
    let conns = delivery_connections(d, connections);
    if d.status.status == "sent" {
        let mut why = format!("delivered (status=sent) via {}", d.status.relay.text);
        if !d.notes.is_empty() {
            why.push_str(&format!(" after {} server(s) refused: {}", d.notes.len(), d.notes.iter().map(|n| n.value.as_str()).collect::<Vec<_>>().join("; ")));
        }
        return stage("none", why, vec![d.line]);
    }
    let window: Vec<&LogEntry> = d.entries.iter().filter_map(|i| entries.get(*i)).collect();
    let policy_lines: Vec<usize> = window
        .iter()
        .filter(|e| match &e.kind {
            LineKind::PolicyWarning { .. } => true,
            LineKind::PolicyLookupFailed { reason, .. } => reason.contains("configuration problem"),
            LineKind::Warning { topic, .. } | LineKind::Error { topic, .. } => matches!(topic, WarningTopic::Policy | WarningTopic::Table),
            _ => false,
        })
        .map(|e| e.line)
        .collect();
    let with = |mut lines: Vec<usize>| {
        lines.push(d.line);
        lines
    };
    if reason.contains("client TLS configuration problem") {
        return stage("policy-syntax", "Postfix could not use the TLS policy for this destination (\"client TLS configuration problem\"): a policy entry or TLS parameter is invalid", with(policy_lines));
    }
    if reason.contains("TLS is required, but was not offered") || reason.contains("refused to start TLS") {
        return stage("no-starttls", format!("the server did not start TLS: {reason}"), vec![d.line]);
    }
    if reason.contains("TLS engine is unavailable") {
        // The client disabled its TLS support at start-up (e.g. an unknown
        // smtp_tls_fingerprint_digest): its warnings say why.
        return stage("config", format!("Postfix's TLS support is off: {reason}"), vec![d.line]);
    }
    if reason.contains("Cannot start TLS") {
        let lines = conns.iter().filter_map(|c| c.handshake_error.as_ref().map(|h| h.line)).collect();
        return stage("handshake", format!("the TLS handshake failed: {reason}"), with(lines));
    }
    if DANE_REASONS.iter().any(|r| reason.contains(r)) {
        return stage("dane", format!("DANE could not be used: {reason}"), vec![d.line]);
    }
    let unverified = reason.starts_with("Server certificate not") || reason.contains("REQUIRETLS");
    if unverified {
        let level = effective_level(entries, &d.entries);
        let Some(c) = conns.iter().rev().find(|c| c.has_tls_lines()).or(conns.last()) else {
            return by_level(level.as_deref(), reason, d.line);
        };
        let mut s = connection_stage(c, level.as_deref(), Some(reason));
        s.evidence.push(d.line);
        s.evidence.sort_unstable();
        return s;
    }
    if !policy_lines.is_empty() {
        return stage("policy-syntax", format!("the delivery failed ({reason}) after Postfix complained about its TLS configuration"), with(policy_lines));
    }
    stage("unknown", format!("the delivery failed for a reason outside the certificate decision: {reason}"), vec![d.line])
}

/// Without connection lines: the level alone may tell.
fn by_level(level: Option<&str>, reason: &str, line: usize) -> StageReading {
    match level {
        Some("fingerprint") => stage("fingerprint", "no fingerprint in the policy matched the certificate", vec![line]),
        Some("dane") | Some("dane-only") => stage("dane", "no TLSA record matched the certificate", vec![line]),
        _ if reason.starts_with("Server certificate not trusted") => stage("chain-trust", "the certificate chain is not trusted (\"Server certificate not trusted\", ≤3.5)", vec![line]),
        _ => stage("unknown", format!("\"{reason}\", but the log has no line about the connection: set smtp_tls_loglevel = 1 (or more) to see why"), vec![line]),
    }
}

/// The stage one connection's lines show.
fn connection_stage(c: &PeerConnection, level: Option<&str>, reason: Option<&str>) -> StageReading {
    let trust_line: Vec<usize> = c.trust.iter().map(|t| t.line).collect();
    if let Some(h) = &c.handshake_error {
        return stage("handshake", format!("the TLS handshake with {} failed: {}", c.peer.namaddr(), h.value), vec![h.line]);
    }
    if let Some(f) = c.failures.first() {
        let mut lines = vec![f.line];
        lines.extend(&trust_line);
        let (code, why) = match &f.value.failure {
            VerifyFailure::HostnameMismatch | VerifyFailure::IpAddressMismatch => ("name-match", "no certificate name matched what the policy asks for".to_string()),
            VerifyFailure::NoMatchingTlsa if level == Some("fingerprint") => ("fingerprint", "no fingerprint in the policy matched the certificate".to_string()),
            VerifyFailure::NoMatchingTlsa => ("dane", "no TLSA record (or fingerprint) matched the certificate".to_string()),
            VerifyFailure::Other { .. } if level == Some("fingerprint") => ("fingerprint", "the fingerprint check failed".to_string()),
            VerifyFailure::Other { .. } => ("unknown", "an unusual verification error".to_string()),
            _ => ("chain-trust", "the certificate chain does not verify".to_string()),
        };
        return stage(code, format!("{why}: \"{}\"", f.value.reason), lines);
    }
    match level {
        Some("fingerprint") if c.trust.as_ref().is_some_and(|t| t.value != TrustWord::Verified) => {
            return stage("fingerprint", "no fingerprint in the policy matched the certificate", trust_line);
        }
        Some("dane") | Some("dane-only") if c.trust.as_ref().is_some_and(|t| t.value != TrustWord::Verified) => {
            return stage("dane", "no TLSA record matched the certificate", trust_line);
        }
        _ => {}
    }
    let trust = c.trust.as_ref().map(|t| t.value);
    match (trust, reason) {
        (Some(TrustWord::Verified), None) => stage("none", format!("{} was verified", c.peer.namaddr()), trust_line),
        (Some(TrustWord::Trusted), Some(r)) if !r.contains("not trusted") => {
            let mut lines = trust_line;
            lines.extend(c.names.iter().map(|n| n.line));
            stage("name-match", "the chain is trusted but no certificate name matched the policy's match list (Postfix ≤3.5 logs no failure line for this)", lines)
        }
        (Some(TrustWord::Untrusted), Some(_)) | (_, Some("Server certificate not trusted")) => stage("chain-trust", "the certificate chain is not trusted", trust_line),
        (Some(TrustWord::Anonymous), Some(_)) => stage("chain-trust", "the server presented no certificate (anonymous cipher)", trust_line),
        (Some(t), None) => stage("unknown", format!("{} TLS connection to {}; whether that is enough depends on the security level", t.as_str(), c.peer.namaddr()), trust_line),
        (None, Some(r)) => by_level(level, r, c.lines.last().copied().unwrap_or(0)),
        _ => stage("unknown", format!("the log shows no verdict for {}", c.peer.namaddr()), c.lines.clone()),
    }
}

//! The report: the contract between the engine and every renderer (page, CLI, JS API).
//!
//! Its core is the [`Trace`](crate::trace::Step) — the ordered steps of Postfix's decision,
//! each with its inputs, the rule applied (and the versions it holds for) and its outcome.
//! Renderers walk the trace; nothing downstream re-decides.

use crate::cert::Certificate;
use crate::config::Setting;
use crate::delivery::{Delivery, Outcome};
use crate::diag::Diagnostic;
use crate::finger::FingerRun;
use crate::fixes::Fix;
use crate::logs::LogLine;
use crate::trace::Step;
use crate::version::Era;
use serde::{Deserialize, Serialize};

/// Schema version of the report JSON; bumped on incompatible changes.
pub const REPORT_SCHEMA: u32 = 1;

/// The short answer shown first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// `sent`, `deferred`, `bounced`, `timeout`, or for posttls-finger the mapped decision.
    pub status: String,
    /// Whether the mail would be delivered.
    pub delivered: bool,
    /// One sentence, English.
    pub headline: String,
    /// The step that decided it (index into the trace).
    pub deciding_step: Option<usize>,
    /// Stable code for the failing stage: `policy-syntax`, `no-starttls`, `handshake`,
    /// `chain-trust`, `name-match`, `fingerprint`, `dane`, `config`, `dns`, or `none`.
    pub stage: String,
}

/// A certificate as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    /// Which input it came from (host it belongs to, empty = every host).
    pub host: String,
    /// The certificate input it was read from: 0-based index into `Scenario::certificates`.
    pub input: usize,
    /// Position in that chain (0 = leaf).
    pub index: usize,
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// dNSName SANs.
    pub dns_names: Vec<String>,
    /// iPAddress SANs.
    pub ip_addresses: Vec<String>,
    /// Subject CNs.
    pub common_names: Vec<String>,
    /// Validity start.
    pub not_before: String,
    /// Validity end.
    pub not_after: String,
    /// Self-signed.
    pub self_signed: bool,
    /// CA certificate.
    pub is_ca: bool,
    /// Certificate fingerprints (md5, sha1, sha256, sha512).
    pub cert_fingerprints: crate::cert::fingerprint::DigestSet,
    /// Public-key fingerprints.
    pub pkey_fingerprints: crate::cert::fingerprint::DigestSet,
}

impl CertificateView {
    /// The view of a parsed certificate: certificate input `input`, position `index` in its chain.
    pub fn of(cert: &Certificate, host: &str, input: usize, index: usize) -> Self {
        CertificateView {
            host: host.to_string(),
            input,
            index,
            subject: cert.subject.clone(),
            issuer: cert.issuer.clone(),
            dns_names: cert.dns_sans.iter().map(|s| s.name.clone()).collect(),
            ip_addresses: cert.ip_sans.iter().map(|s| s.text.clone()).collect(),
            common_names: cert.subject_cns.clone(),
            not_before: cert.not_before_text.clone(),
            not_after: cert.not_after_text.clone(),
            self_signed: cert.self_signed,
            is_ca: cert.is_ca,
            cert_fingerprints: cert.fingerprints.cert.clone(),
            pkey_fingerprints: cert.fingerprints.pkey.clone(),
        }
    }
}

/// The full result of an explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_SCHEMA`].
    pub schema: u32,
    /// The Postfix version evaluated.
    pub postfix_version: String,
    /// Its era.
    pub era: Era,
    /// The evaluation time used for certificate dates.
    pub evaluated_at: Option<String>,
    /// The short answer.
    pub verdict: Verdict,
    /// The decision, step by step.
    pub trace: Vec<Step>,
    /// Input problems, with positions.
    pub diagnostics: Vec<Diagnostic>,
    /// Certificates that were read.
    pub certificates: Vec<CertificateView>,
    /// The TLS settings in force, with their sources.
    pub settings: Vec<Setting>,
    /// smtp(8)'s delivery (smtp mode).
    pub delivery: Option<Delivery>,
    /// posttls-finger's run (finger mode).
    pub finger: Option<FingerRun>,
    /// Status line (smtp mode).
    pub outcome: Option<Outcome>,
    /// Predicted log lines, in order.
    pub log: Vec<LogLine>,
    /// Policy changes that would make it pass, verified by re-running the engine.
    pub fixes: Vec<Fix>,
    /// DANE help: the TLSA records to publish for the pasted chains, and which pasted
    /// records match which certificate.
    pub tlsa: TlsaAdvice,
}

/// TLSA records to publish, and how the pasted ones relate to the pasted certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsaAdvice {
    /// For each chain (by host, empty = every host): depth and record (`3 1 1 HEX`).
    pub suggested: Vec<SuggestedRecord>,
    /// For each pasted record: the certificates it matches.
    pub pasted: Vec<PastedRecord>,
}

/// A record an operator could publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedRecord {
    /// Chain it belongs to.
    pub host: String,
    /// Depth of the certificate (0 = leaf → DANE-EE; above → DANE-TA).
    pub depth: usize,
    /// The record, presentation form with full hex.
    pub record: String,
}

/// A pasted record and what it matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastedRecord {
    /// Owner name, if given.
    pub owner: Option<String>,
    /// The record.
    pub record: String,
    /// `(host, depth)` of every pasted certificate it matches.
    pub matches: Vec<(String, usize)>,
    /// Why Postfix would not use it, if it would not (usage 0/1, bad digest length…).
    pub problem: Option<String>,
}

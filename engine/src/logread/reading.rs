//! The result of reading a log: every line accounted for (read, ignored with a reason, or
//! unread with a reason), the facts grouped per connection and per delivery, the era the
//! wording betrays, the stage that failed, and what a scenario can take from it.
//!
//! Plain serde data: the page, the CLI and the JS API render the same value.

use super::classify::{IgnoreReason, UnreadReason};
use super::era::EraReading;
use super::fill::{Filled, Missing};
use super::kind::{CertLineForm, LevelScope, LineKind, StatusLine, VerifyFailure, WarningTopic};
use super::peer::Peer;
use super::prefix::PrefixFormat;
use super::stage::StageReading;
use crate::diag::{Diagnostic, Span};
use crate::logs::LogLevel;
use crate::tls::session::TrustWord;
use serde::{Deserialize, Serialize};

/// Schema version of [`LogReading`] JSON; bumped on incompatible changes.
pub const LOG_READING_SCHEMA: u32 = 1;

/// A value and the (1-based) line it came from, so every fact can point at its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact<T> {
    /// The line number.
    pub line: usize,
    /// The value.
    pub value: T,
}

impl<T> Fact<T> {
    /// A fact from `line`.
    pub fn new(line: usize, value: T) -> Self {
        Fact { line, value }
    }
}

/// One understood, TLS-relevant line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// 1-based line number.
    pub line: usize,
    /// The whole line in the pasted text.
    pub span: Span,
    /// The program (`smtp`, `posttls-finger`, `tlsmgr`, `master`, … or empty for a bare message).
    pub program: String,
    /// The process id as logged.
    pub pid: Option<String>,
    /// The timestamp as logged.
    pub timestamp: Option<String>,
    /// `warning:`, `error:`, `fatal:` or none.
    pub level: LogLevel,
    /// What the line says.
    pub kind: LineKind,
}

impl LogEntry {
    /// `program[pid]`: lines of one process belong together.
    pub fn process(&self) -> String {
        match &self.pid {
            Some(pid) => format!("{}[{pid}]", self.program),
            None => self.program.clone(),
        }
    }
}

/// Consecutive line numbers, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRange {
    /// First line.
    pub first: usize,
    /// Last line.
    pub last: usize,
}

/// Lines understood but not part of the reading, grouped by why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredGroup {
    /// Why (stable code).
    pub reason: IgnoreReason,
    /// Why, in English.
    pub why: String,
    /// How many lines.
    pub count: usize,
    /// Which lines.
    pub lines: Vec<LineRange>,
}

/// A line peername could not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadLine {
    /// 1-based line number.
    pub line: usize,
    /// The line in the pasted text.
    pub span: Span,
    /// Why (stable code).
    pub reason: UnreadReason,
    /// Why, in English (with the program, when known).
    pub why: String,
    /// The start of the line (at most 120 characters).
    pub excerpt: String,
}

/// A PEM certificate pasted along with the log (posttls-finger `-C`, or copied by hand).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PemBlock {
    /// First line (`-----BEGIN CERTIFICATE-----`).
    pub first_line: usize,
    /// Last line (`-----END CERTIFICATE-----`).
    pub last_line: usize,
    /// The PEM text.
    pub pem: String,
}

/// A `certificate verification failed` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureFact {
    /// `server`, `CA` or empty.
    pub purpose: String,
    /// Why, classified.
    pub failure: VerifyFailure,
    /// Why, verbatim.
    pub reason: String,
}

/// A certificate name line (≤3.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertNameFact {
    /// `subjectAltName` or `CommonName`.
    pub source: String,
    /// The name.
    pub name: String,
    /// Logged as `Matched`.
    pub matched: bool,
}

/// The `subject_CN=…, issuer…, fingerprint…` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerCertificateFact {
    /// Subject CN.
    pub subject_cn: Option<String>,
    /// Issuer CN (or organisation).
    pub issuer: Option<String>,
    /// Certificate digest.
    pub cert_fingerprint: Option<String>,
    /// Public-key digest.
    pub pkey_fingerprint: Option<String>,
    /// Line form (era clue).
    pub form: CertLineForm,
}

/// A `depth=N verify=V subject=…` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainFact {
    /// Depth.
    pub depth: u32,
    /// Preverify result.
    pub verify: Option<i32>,
    /// Subject.
    pub subject: String,
}

/// Everything the log shows about one TLS connection to one server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerConnection {
    /// `program[pid]` that made it.
    pub process: String,
    /// The server.
    pub peer: Peer,
    /// Every line of this connection.
    pub lines: Vec<usize>,
    /// The summary word.
    pub trust: Option<Fact<TrustWord>>,
    /// The session was resumed (`reused`).
    pub reused: bool,
    /// Protocol and cipher from the summary line.
    pub cipher: Option<String>,
    /// Verification failure lines.
    pub failures: Vec<Fact<FailureFact>>,
    /// ≤3.5 certificate name lines.
    pub names: Vec<Fact<CertNameFact>>,
    /// `matched peername:` (3.6+).
    pub matched_peername: Option<Fact<String>>,
    /// The fingerprint that matched.
    pub matched_fingerprint: Option<Fact<String>>,
    /// The peer-certificate line.
    pub certificate: Option<Fact<PeerCertificateFact>>,
    /// Chain lines (loglevel 2).
    pub chain: Vec<Fact<ChainFact>>,
    /// DANE and trust-anchor lines.
    pub dane: Vec<Fact<String>>,
    /// `Server is anonymous`.
    pub anonymous: bool,
    /// Handshake failure.
    pub handshake_error: Option<Fact<String>>,
    /// No TCP connection.
    pub connect_error: Option<Fact<String>>,
    /// Warnings about this server.
    pub warnings: Vec<Fact<String>>,
    /// `re-using session with untrusted …`.
    pub reuse_hint: Option<Fact<String>>,
}

impl PeerConnection {
    /// An empty connection record.
    pub fn new(process: String, peer: Peer) -> Self {
        PeerConnection {
            process,
            peer,
            lines: Vec::new(),
            trust: None,
            reused: false,
            cipher: None,
            failures: Vec::new(),
            names: Vec::new(),
            matched_peername: None,
            matched_fingerprint: None,
            certificate: None,
            chain: Vec::new(),
            dane: Vec::new(),
            anonymous: false,
            handshake_error: None,
            connect_error: None,
            warnings: Vec::new(),
            reuse_hint: None,
        }
    }

    /// Whether any TLS detail (beyond the TCP attempt) was logged.
    pub fn has_tls_lines(&self) -> bool {
        self.trust.is_some()
            || !self.failures.is_empty()
            || !self.names.is_empty()
            || self.matched_peername.is_some()
            || self.certificate.is_some()
            || self.matched_fingerprint.is_some()
            || !self.dane.is_empty()
            || self.handshake_error.is_some()
    }
}

/// One delivery status line with what led to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAttempt {
    /// The status line's number.
    pub line: usize,
    /// `program[pid]`.
    pub process: String,
    /// The program (`smtp`, `lmtp`, `error`, `qmgr`…).
    pub program: String,
    /// The status line.
    pub status: StatusLine,
    /// Per-server notes for this message before it (`QUEUEID: Server certificate not verified`).
    pub notes: Vec<Fact<String>>,
    /// Connections this process made for it (indexes into `connections`).
    pub connections: Vec<usize>,
    /// This process's entries since its previous status line (indexes into `entries`).
    pub entries: Vec<usize>,
}

/// A next-hop destination the log names, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextHopFact {
    /// The destination.
    pub value: String,
    /// `session-cache-key`, `nexthop`, `policy-warning`, `policy-lookup`.
    pub source: String,
    /// First line.
    pub line: usize,
}

/// A server the log names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerFact {
    /// Host name as first logged.
    pub host: String,
    /// Addresses seen (empty when the log has none).
    pub addresses: Vec<String>,
    /// Port, when logged.
    pub port: Option<u16>,
    /// First line naming it.
    pub line: usize,
}

/// A policy-table query (`smtp -v`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupFact {
    /// Table parameter.
    pub table: String,
    /// Key.
    pub key: String,
    /// Value found.
    pub result: Option<String>,
    /// Search aborted.
    pub aborted: bool,
}

/// A `global|effective TLS level:` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelFact {
    /// Which.
    pub scope: LevelScope,
    /// The level.
    pub level: String,
}

/// A warning or error line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningFact {
    /// What it is about.
    pub topic: WarningTopic,
    /// The text (after `warning: `; errors keep `fatal: ` etc.).
    pub text: String,
}

/// How verbose the pasted log is, so missing lines are not mistaken for missing events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoglevelHint {
    /// The least `smtp_tls_loglevel` that shows what the log shows: `0`, `1`, `2` (or
    /// `routine,certmatch` where names show without handshake detail).
    pub smtp_tls_loglevel: String,
    /// `smtp -v` lines are present (policy lookups, TLS levels).
    pub verbose: bool,
    /// The lines that show it.
    pub evidence: Vec<usize>,
}

/// Everything read from a pasted log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogReading {
    /// [`LOG_READING_SCHEMA`].
    pub schema: u32,
    /// Lines in the text.
    pub lines: usize,
    /// Lines read as TLS facts.
    pub read: usize,
    /// Prefix forms seen.
    pub formats: Vec<PrefixFormat>,
    /// Every read line, in order.
    pub entries: Vec<LogEntry>,
    /// Connections, in order of their first line.
    pub connections: Vec<PeerConnection>,
    /// Delivery status lines with their connections.
    pub deliveries: Vec<DeliveryAttempt>,
    /// The delivery the reading is about (the last one not delivered, else the last one).
    pub focus: Option<usize>,
    /// Next-hop destinations named.
    pub nexthops: Vec<NextHopFact>,
    /// Servers named.
    pub servers: Vec<ServerFact>,
    /// Policy-table queries.
    pub lookups: Vec<Fact<LookupFact>>,
    /// TLS level lines.
    pub levels: Vec<Fact<LevelFact>>,
    /// Warnings (policy, table, DANE, …).
    pub warnings: Vec<Fact<WarningFact>>,
    /// Errors and fatal lines.
    pub errors: Vec<Fact<WarningFact>>,
    /// PEM certificates pasted along.
    pub certificates: Vec<PemBlock>,
    /// How verbose the log is.
    pub loglevel: LoglevelHint,
    /// The Postfix era, with its clues.
    pub era: EraReading,
    /// The stage that failed.
    pub stage: StageReading,
    /// What the scenario takes from the log.
    pub filled: Vec<Filled>,
    /// What the scenario still needs.
    pub missing: Vec<Missing>,
    /// Understood lines that are not part of the reading.
    pub ignored: Vec<IgnoredGroup>,
    /// Lines that could not be read.
    pub unread: Vec<UnreadLine>,
    /// Findings with spans into the log (`Source::Log`).
    pub diagnostics: Vec<Diagnostic>,
}

//! Decides, for one line, whether it is a TLS fact, a line understood but not about the TLS
//! decision ("ignored", with why), or a line peername cannot read ("unread", with why).
//! Nothing is dropped silently: every line ends up in exactly one of the three.

use super::kind::{LineKind, WarningTopic};
use super::policy_lines;
use super::prefix::program_of;
use super::status::{queue_id_prefix, status_line, StatusProblem};
use super::tls_lines::{self, PeerLine};
use crate::logs::LogLevel;
use serde::{Deserialize, Serialize};

/// Why an understood line is not part of the reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IgnoreReason {
    /// An empty line.
    Blank,
    /// journalctl's `-- Boot … --` / `-- Logs begin at … --` separators.
    JournalMarker,
    /// `SSL_connect:…` OpenSSL state lines (`smtp_tls_loglevel ≥ 2`).
    HandshakeProgress,
    /// `NAMADDR: TLS cipher list "…"`.
    CipherList,
    /// `smtp -v` internals (`send attr`, `dict_open:`, function traces).
    VerboseDetail,
    /// The SMTP conversation (`> host: EHLO`, `< host: 250 …`).
    SmtpChat,
    /// Queue bookkeeping (`from=<…>, size=…`, `removed`, `message-id=`, `Deleted:`).
    QueueBookkeeping,
    /// Another Postfix program (smtpd, postscreen, cleanup…): not the outbound TLS decision.
    OtherPostfixProgram,
    /// A program that is not Postfix.
    OtherProgram,
    /// master(8) housekeeping (start, stop, reload without a version).
    MasterHousekeeping,
    /// tlsmgr(8) housekeeping without a session key.
    TlsmgrHousekeeping,
    /// `NAME asciified to XN--NAME`.
    IdnaNote,
    /// A status line of a local delivery agent (local, virtual, pipe, discard).
    LocalDelivery,
    /// A PEM certificate block (kept for the scenario).
    CertificatePem,
}

impl IgnoreReason {
    /// Why, in English.
    pub fn describe(self) -> &'static str {
        match self {
            IgnoreReason::Blank => "blank line",
            IgnoreReason::JournalMarker => "journalctl separator",
            IgnoreReason::HandshakeProgress => "OpenSSL handshake progress (smtp_tls_loglevel 2 or more): says nothing about the certificate decision",
            IgnoreReason::CipherList => "cipher list offered to the server: not part of the certificate decision",
            IgnoreReason::VerboseDetail => "smtp -v internal detail",
            IgnoreReason::SmtpChat => "SMTP conversation",
            IgnoreReason::QueueBookkeeping => "queue bookkeeping (pickup, cleanup, qmgr, postsuper)",
            IgnoreReason::OtherPostfixProgram => "another Postfix program (not the SMTP client's TLS decision)",
            IgnoreReason::OtherProgram => "not a Postfix program",
            IgnoreReason::MasterHousekeeping => "master(8) housekeeping",
            IgnoreReason::TlsmgrHousekeeping => "tlsmgr(8) housekeeping",
            IgnoreReason::IdnaNote => "IDNA conversion note",
            IgnoreReason::LocalDelivery => "local delivery (no SMTP, no TLS)",
            IgnoreReason::CertificatePem => "PEM certificate (kept as a certificate for the scenario)",
        }
    }
}

/// Why a line could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnreadReason {
    /// No Postfix program prefix and no Postfix wording.
    NotALogLine,
    /// A TLS-relevant program's line whose wording peername does not know.
    UnknownMessage,
    /// It starts like a known line but is cut short.
    Truncated,
    /// Control characters or undecodable bytes: not text Postfix writes.
    Binary,
}

impl UnreadReason {
    /// Why, in English.
    pub fn describe(self) -> &'static str {
        match self {
            UnreadReason::NotALogLine => "not a Postfix log line",
            UnreadReason::UnknownMessage => "a wording peername does not know",
            UnreadReason::Truncated => "cut short: the line ends before its essential part",
            UnreadReason::Binary => "binary data (control characters or undecodable bytes; Postfix logs only printable text)",
        }
    }
}

/// The outcome for one line (short-lived: one per line, moved into the reading at once, so
/// the size difference between variants costs nothing worth a box).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Classified {
    /// A TLS fact, with the logging level prefix it had.
    Read(LogLevel, LineKind),
    /// Understood, not part of the reading.
    Ignored(IgnoreReason),
    /// Not readable.
    Unread(UnreadReason),
}

/// Which part of Postfix wrote the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramClass {
    /// smtp(8), lmtp(8) (also under a `relay` service name) and posttls-finger(1).
    TlsClient,
    /// tlsmgr(8): the session cache.
    Tlsmgr,
    /// master(8).
    Master,
    /// Delivery agents and the queue manager, whose status lines may explain a deferral.
    Queue,
    /// Local delivery agents.
    Local,
    /// Another Postfix program.
    OtherPostfix,
    /// Not Postfix.
    Foreign,
    /// No tag: a bare message.
    Unknown,
}

const QUEUE_PROGRAMS: [&str; 9] = ["qmgr", "oqmgr", "error", "retry", "bounce", "defer", "trace", "pickup", "cleanup"];
const LOCAL_PROGRAMS: [&str; 5] = ["local", "virtual", "pipe", "discard", "maildrop"];
const OTHER_POSTFIX: [&str; 24] = [
    "smtpd", "postscreen", "dnsblog", "tlsproxy", "anvil", "scache", "showq", "flush", "proxymap", "proxywrite", "verify", "trivial-rewrite",
    "postdrop", "postqueue", "postsuper", "sendmail", "postfix-script", "postfix", "postlogd", "postmap", "postconf", "postlog", "spawn", "postmulti",
];

/// Classifies a syslog tag (`postfix/smtp`, `posttls-finger`, `dovecot`).
pub fn program_class(tag: Option<&str>) -> ProgramClass {
    let Some(tag) = tag else { return ProgramClass::Unknown };
    let program = program_of(tag);
    let postfixish = tag.contains("postfix") || tag.contains('/');
    match program {
        "smtp" | "lmtp" | "relay" | "posttls-finger" => ProgramClass::TlsClient,
        "tlsmgr" => ProgramClass::Tlsmgr,
        "master" if postfixish => ProgramClass::Master,
        p if QUEUE_PROGRAMS.contains(&p) && postfixish => ProgramClass::Queue,
        p if LOCAL_PROGRAMS.contains(&p) && postfixish => ProgramClass::Local,
        p if OTHER_POSTFIX.contains(&p) || postfixish => ProgramClass::OtherPostfix,
        _ => ProgramClass::Foreign,
    }
}

/// Splits a `warning: ` / `error: ` / `fatal: ` / `panic: ` prefix.
pub fn split_level(msg: &str) -> (LogLevel, &str) {
    for (prefix, level) in [("warning: ", LogLevel::Warning), ("error: ", LogLevel::Error), ("fatal: ", LogLevel::Fatal), ("panic: ", LogLevel::Fatal)] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            return (level, rest);
        }
    }
    (LogLevel::Info, msg)
}

/// Whether `text` contains what Postfix never logs (it prints control characters as `?`).
pub fn looks_binary(text: &str) -> bool {
    text.chars().any(|c| c == '\u{fffd}' || (c.is_control() && c != '\t'))
}

/// Classifies one message from a program of class `class`.
pub fn classify(class: ProgramClass, message: &str) -> Classified {
    let msg = message.trim_end();
    if msg.is_empty() {
        return Classified::Ignored(IgnoreReason::Blank);
    }
    match class {
        ProgramClass::Foreign => Classified::Ignored(IgnoreReason::OtherProgram),
        ProgramClass::OtherPostfix => Classified::Ignored(IgnoreReason::OtherPostfixProgram),
        ProgramClass::Master => master(msg),
        ProgramClass::Tlsmgr => match policy_lines::session_cache(msg) {
            Some(k) => Classified::Read(LogLevel::Info, k),
            None => Classified::Ignored(IgnoreReason::TlsmgrHousekeeping),
        },
        ProgramClass::Queue | ProgramClass::Local => queue(class, msg),
        ProgramClass::TlsClient => tls_client(msg, true),
        ProgramClass::Unknown => tls_client(msg, false),
    }
}

fn master(msg: &str) -> Classified {
    if let Some(k) = policy_lines::version_banner(msg) {
        return Classified::Read(LogLevel::Info, k);
    }
    match split_level(msg) {
        (LogLevel::Info, _) => Classified::Ignored(IgnoreReason::MasterHousekeeping),
        (LogLevel::Warning, text) => Classified::Read(LogLevel::Warning, policy_lines::warning(text)),
        (level, _) => Classified::Read(level, policy_lines::error(msg)),
    }
}

fn queue(class: ProgramClass, msg: &str) -> Classified {
    if let Some((id, rest)) = queue_id_prefix(msg) {
        if rest.starts_with("to=<") {
            return match status_line(id, rest) {
                Ok(_) if class == ProgramClass::Local => Classified::Ignored(IgnoreReason::LocalDelivery),
                Ok(s) => Classified::Read(LogLevel::Info, LineKind::Status(s)),
                Err(StatusProblem::Truncated) => Classified::Unread(UnreadReason::Truncated),
            };
        }
        return Classified::Ignored(IgnoreReason::QueueBookkeeping);
    }
    match split_level(msg) {
        (LogLevel::Warning, text) if class == ProgramClass::Queue => Classified::Read(LogLevel::Warning, policy_lines::warning(text)),
        _ => Classified::Ignored(IgnoreReason::QueueBookkeeping),
    }
}

/// Verbose-mode function traces look like `name_with_underscore: …`.
fn is_function_trace(msg: &str) -> bool {
    let Some((head, _)) = msg.split_once(": ") else { return false };
    head.contains('_') && head.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

const VERBOSE_PREFIXES: [&str; 12] = [
    "send attr ",
    "input attribute ",
    "connect to subsystem ",
    "lookup ",
    "smtp socket: ",
    "relay socket: ",
    "lmtp socket: ",
    "server features: ",
    "Using ESMTP ",
    "disabling ",
    "begin ",
    "end ",
];

/// smtp(8), lmtp(8), posttls-finger(1), or a bare message (`known_program` false).
fn tls_client(message: &str, known_program: bool) -> Classified {
    let (level, msg) = split_level(message);
    if let Some(k) = tls_fact(level, msg) {
        return k;
    }
    if level == LogLevel::Warning {
        // A bare `warning:` is read only when its wording is about TLS (not forum prose).
        let k = policy_lines::warning(msg);
        if known_program || !matches!(k, LineKind::Warning { topic: WarningTopic::Other, .. }) {
            return Classified::Read(level, k);
        }
    }
    if matches!(level, LogLevel::Error | LogLevel::Fatal) && known_program {
        return Classified::Read(level, policy_lines::error(message));
    }
    if let Some((id, rest)) = queue_id_prefix(msg) {
        if rest.starts_with("to=<") {
            return match status_line(id, rest) {
                Ok(s) => Classified::Read(level, LineKind::Status(s)),
                Err(StatusProblem::Truncated) => Classified::Unread(UnreadReason::Truncated),
            };
        }
        if known_program || looks_like_tls_note(rest) {
            return Classified::Read(level, LineKind::DeliveryNote { queue_id: id.into(), text: rest.into() });
        }
    }
    if msg.starts_with("SSL_connect:") {
        return Classified::Ignored(IgnoreReason::HandshakeProgress);
    }
    if msg.starts_with("> ") || msg.starts_with("< ") {
        return Classified::Ignored(IgnoreReason::SmtpChat);
    }
    if msg.contains(" asciified to ") {
        return Classified::Ignored(IgnoreReason::IdnaNote);
    }
    if let Some(v) = msg.strip_prefix("mail_version = ").filter(|v| !known_program && !v.trim().is_empty() && !v.contains(' ')) {
        // `postconf -d | grep mail_version` pasted with the log.
        return Classified::Read(LogLevel::Info, LineKind::VersionBanner { version: v.trim().to_string() });
    }
    if msg.starts_with("-- ") && msg.ends_with(" --") {
        return Classified::Ignored(IgnoreReason::JournalMarker);
    }
    if known_program && (is_function_trace(msg) || VERBOSE_PREFIXES.iter().any(|p| msg.starts_with(p))) {
        return Classified::Ignored(IgnoreReason::VerboseDetail);
    }
    if known_program {
        Classified::Unread(UnreadReason::UnknownMessage)
    } else {
        Classified::Unread(UnreadReason::NotALogLine)
    }
}

/// Per-message notes that are about TLS even without a program prefix.
fn looks_like_tls_note(text: &str) -> bool {
    ["Server certificate not", "TLS is required", "Cannot start TLS", "client TLS configuration problem"].iter().any(|p| text.starts_with(p))
}

/// The TLS wordings, in any program that makes TLS decisions.
fn tls_fact(level: LogLevel, msg: &str) -> Option<Classified> {
    let read = |k: LineKind| Some(Classified::Read(level, k));
    let partial = |r: Option<Option<LineKind>>| {
        r.map(|k| match k {
            Some(k) => Classified::Read(level, k),
            None => Classified::Unread(UnreadReason::Truncated),
        })
    };
    if let Some(c) = partial(tls_lines::summary(msg)) {
        return Some(c);
    }
    if let Some(c) = partial(tls_lines::verify_failed(msg)) {
        return Some(c);
    }
    if let Some(line) = tls_lines::about_peer(msg) {
        return match line {
            PeerLine::Fact(k) => read(k),
            PeerLine::CipherList => Some(Classified::Ignored(IgnoreReason::CipherList)),
            // A warning about one server (`NAMADDR: invalid cipher grade`) is still a warning.
            PeerLine::Unknown if level == LogLevel::Warning => None,
            PeerLine::Unknown => Some(Classified::Unread(UnreadReason::UnknownMessage)),
        };
    }
    if level == LogLevel::Info {
        for f in [policy_lines::maps_find, policy_lines::tls_level, policy_lines::dns, policy_lines::tls_notes, policy_lines::session_cache] {
            if let Some(k) = f(msg) {
                return read(k);
            }
        }
    }
    if level == LogLevel::Warning && (msg.starts_with("smtp_tls_policy_maps, ") || msg.starts_with("lmtp_tls_policy_maps, ") || msg.starts_with("TLS policy lookup for ")) {
        return read(policy_lines::warning(msg));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(class: ProgramClass, msg: &str) -> LineKind {
        match classify(class, msg) {
            Classified::Read(_, k) => k,
            other => panic!("{msg}: {other:?}"),
        }
    }

    #[test]
    fn programs_by_tag() {
        assert_eq!(program_class(Some("postfix/smtp")), ProgramClass::TlsClient);
        assert_eq!(program_class(Some("postfix-out/relay/smtp")), ProgramClass::TlsClient);
        assert_eq!(program_class(Some("posttls-finger")), ProgramClass::TlsClient);
        assert_eq!(program_class(Some("postfix/tlsmgr")), ProgramClass::Tlsmgr);
        assert_eq!(program_class(Some("postfix/qmgr")), ProgramClass::Queue);
        assert_eq!(program_class(Some("postfix/local")), ProgramClass::Local);
        assert_eq!(program_class(Some("postfix/smtpd")), ProgramClass::OtherPostfix);
        assert_eq!(program_class(Some("dovecot")), ProgramClass::Foreign);
        assert_eq!(program_class(None), ProgramClass::Unknown);
    }

    #[test]
    fn smtp_lines_by_kind() {
        let c = ProgramClass::TlsClient;
        assert!(matches!(kind(c, "Trusted TLS connection established to a[1.2.3.4]:25: TLSv1.2"), LineKind::TlsSummary { .. }));
        assert!(matches!(kind(c, "D33A02504112: to=<x@y>, relay=a[1.2.3.4]:25, delay=1, delays=1/1/1/1, dsn=4.7.5, status=deferred (Server certificate not verified)"), LineKind::Status(_)));
        assert!(matches!(kind(c, "D33A02504112: Server certificate not verified"), LineKind::DeliveryNote { .. }));
        assert!(matches!(kind(c, "warning: smtp_tls_policy_maps, next-hop destination \"x\": invalid attribute name: \"foo\""), LineKind::PolicyWarning { .. }));
        assert!(matches!(kind(c, "warning: something new"), LineKind::Warning { .. }));
        assert!(matches!(kind(c, "warning: mx[1.2.3.4]:25: invalid cipher grade: \"bogus\""), LineKind::Warning { peer: Some(_), .. }));
        assert!(matches!(kind(c, "fatal: Invalid TLS level \"secur\""), LineKind::Error { .. }));
        assert!(matches!(kind(c, "maps_find: smtp_tls_policy_maps: a: not found"), LineKind::MapsFind { .. }));
        assert!(matches!(kind(c, "global TLS level: may"), LineKind::TlsLevel { .. }));
        assert!(matches!(kind(c, "looking for session smtp&a&b&1.2.3.4&&AB in smtp cache"), LineKind::SessionCache { .. }));
    }

    #[test]
    fn noise_is_ignored_with_a_reason() {
        let c = ProgramClass::TlsClient;
        assert_eq!(classify(c, "SSL_connect:SSLv3 read server hello A"), Classified::Ignored(IgnoreReason::HandshakeProgress));
        assert_eq!(classify(c, "send attr request = policy"), Classified::Ignored(IgnoreReason::VerboseDetail));
        assert_eq!(classify(c, "deliver_request_final: send: \"x\" -1"), Classified::Ignored(IgnoreReason::VerboseDetail));
        assert_eq!(classify(c, "a[1.2.3.4]:25: TLS cipher list \"ALL\""), Classified::Ignored(IgnoreReason::CipherList));
        assert_eq!(classify(c, "> mx[1.2.3.4]:25: EHLO x"), Classified::Ignored(IgnoreReason::SmtpChat));
        assert_eq!(classify(ProgramClass::Queue, "542729C644F: removed"), Classified::Ignored(IgnoreReason::QueueBookkeeping));
        assert_eq!(classify(ProgramClass::Master, "terminating on signal 15"), Classified::Ignored(IgnoreReason::MasterHousekeeping));
        assert_eq!(classify(ProgramClass::Local, "ABCDEF: to=<a@b>, relay=local, delay=1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)"), Classified::Ignored(IgnoreReason::LocalDelivery));
        assert_eq!(classify(ProgramClass::Foreign, "anything"), Classified::Ignored(IgnoreReason::OtherProgram));
        assert_eq!(classify(c, "   "), Classified::Ignored(IgnoreReason::Blank));
    }

    #[test]
    fn unread_lines_say_why() {
        assert_eq!(classify(ProgramClass::TlsClient, "brand new wording"), Classified::Unread(UnreadReason::UnknownMessage));
        assert_eq!(classify(ProgramClass::Unknown, "証明書が受け入れられない理由"), Classified::Unread(UnreadReason::NotALogLine));
        assert_eq!(classify(ProgramClass::TlsClient, "Trusted TLS connection established to in1-smtp.mess"), Classified::Unread(UnreadReason::Truncated));
        assert_eq!(classify(ProgramClass::TlsClient, "D33A02504112: to=<x@y>, relay=in1-smtp.messag"), Classified::Unread(UnreadReason::Truncated));
        assert_eq!(classify(ProgramClass::TlsClient, "a[1.2.3.4]:25: depth=zero"), Classified::Unread(UnreadReason::UnknownMessage));
    }

    #[test]
    fn bare_messages_are_read_by_wording() {
        assert!(matches!(kind(ProgramClass::Unknown, "Trusted TLS connection established to a[1.2.3.4]:25: x"), LineKind::TlsSummary { .. }));
        assert!(matches!(kind(ProgramClass::Unknown, "ABCDEF123: Server certificate not verified"), LineKind::DeliveryNote { .. }));
        assert_eq!(classify(ProgramClass::Unknown, "ABCDEF123: hello"), Classified::Unread(UnreadReason::NotALogLine));
        assert_eq!(kind(ProgramClass::Unknown, "mail_version = 2.11.0"), LineKind::VersionBanner { version: "2.11.0".into() });
        assert!(looks_binary("a\u{0}b"));
        assert!(!looks_binary("tab\tok"));
    }
}

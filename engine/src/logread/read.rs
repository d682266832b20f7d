//! `read_log`: walks the pasted text line by line, accounts for every line, then groups the
//! facts and draws the conclusions (era, stage, scenario fields).

use super::assemble::assemble;
use super::classify::{classify, looks_binary, program_class, Classified, IgnoreReason, ProgramClass, UnreadReason};
use super::era;
use super::fill;
use super::kind::LineKind;
use super::lines::{physical_lines, PhysicalLine};
use super::prefix::{program_of, split_prefix, PrefixFormat};
use super::reading::{IgnoredGroup, LineRange, LogEntry, LogReading, LoglevelHint, PemBlock, UnreadLine, LOG_READING_SCHEMA};
use super::stage;
use crate::diag::{Diagnostic, Position, Severity, Source, Span};
use crate::logs::LogLevel;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Most unread lines that get their own diagnostic (all are in `unread`).
const UNREAD_DIAGNOSTICS: usize = 200;

#[derive(Default)]
struct Walk {
    lines: usize,
    formats: BTreeSet<PrefixFormat>,
    entries: Vec<LogEntry>,
    ignored: BTreeMap<IgnoreReason, Vec<LineRange>>,
    unread: Vec<UnreadLine>,
    certificates: Vec<PemBlock>,
    pem: Option<(usize, String)>,
    awaiting_nexthop: HashSet<String>,
}

impl Walk {
    fn ignore(&mut self, reason: IgnoreReason, line: usize) {
        let ranges = self.ignored.entry(reason).or_default();
        match ranges.last_mut() {
            Some(r) if r.last + 1 == line => r.last = line,
            _ => ranges.push(LineRange { first: line, last: line }),
        }
    }

    fn unread(&mut self, reason: UnreadReason, line: &PhysicalLine<'_>, program: &str) {
        let why = if program.is_empty() { reason.describe().to_string() } else { format!("{program}: {}", reason.describe()) };
        let excerpt: String = line.text.chars().take(120).map(|c| if c.is_control() { '?' } else { c }).collect();
        self.unread.push(UnreadLine { line: line.number, span: Span::new(line.start, line.start + line.text.len()), reason, why, excerpt });
    }

    /// PEM blocks (bare lines between BEGIN and END CERTIFICATE) are kept whole.
    fn pem_line(&mut self, line: &PhysicalLine<'_>) -> bool {
        let t = line.text.trim();
        if let Some((_, pem)) = self.pem.as_mut() {
            pem.push_str(t);
            pem.push('\n');
            if t == "-----END CERTIFICATE-----" {
                if let Some((first, pem)) = self.pem.take() {
                    for n in first..=line.number {
                        self.ignore(IgnoreReason::CertificatePem, n);
                    }
                    self.certificates.push(PemBlock { first_line: first, last_line: line.number, pem });
                }
            }
            return true;
        }
        if t == "-----BEGIN CERTIFICATE-----" {
            self.pem = Some((line.number, format!("{t}\n")));
            return true;
        }
        false
    }

    fn line(&mut self, line: PhysicalLine<'_>) {
        self.lines = line.number;
        if self.pem_line(&line) {
            return;
        }
        if looks_binary(line.text) {
            self.unread(UnreadReason::Binary, &line, "");
            return;
        }
        let p = split_prefix(line.text);
        self.formats.insert(p.format);
        let class = program_class(p.tag);
        let program = p.tag.map(program_of).unwrap_or("");
        let process = match p.pid {
            Some(pid) => format!("{program}[{pid}]"),
            None => program.to_string(),
        };
        let message = p.message.trim_end();
        // smtp -v: the value line after `input attribute name: nexthop` is the next-hop.
        let awaited = self.awaiting_nexthop.remove(&process);
        let classified = match message.strip_prefix("input attribute value: ") {
            Some(value) if awaited && class == ProgramClass::TlsClient => Classified::Read(LogLevel::Info, LineKind::Nexthop { value: value.to_string() }),
            _ => classify(class, message),
        };
        if class == ProgramClass::TlsClient && message == "input attribute name: nexthop" {
            self.awaiting_nexthop.insert(process);
        }
        match classified {
            Classified::Read(level, kind) => self.entries.push(LogEntry {
                line: line.number,
                span: Span::new(line.start, line.start + line.text.len()),
                program: program.to_string(),
                pid: p.pid.map(str::to_string),
                timestamp: p.timestamp.map(str::to_string),
                level,
                kind,
            }),
            Classified::Ignored(reason) => self.ignore(reason, line.number),
            Classified::Unread(reason) => self.unread(reason, &line, program),
        }
    }
}

/// Reads a pasted Postfix log (any mix of smtp(8), posttls-finger, tlsmgr, qmgr and master
/// lines, with or without syslog prefixes). Never fails: unreadable lines are listed.
pub fn read_log(text: &str) -> LogReading {
    let mut walk = Walk::default();
    for line in physical_lines(text) {
        walk.line(line);
    }
    if let Some((first, _)) = walk.pem.take() {
        // A BEGIN without END: those lines form no certificate.
        for line in physical_lines(text).skip(first.saturating_sub(1)) {
            walk.unread.push(UnreadLine {
                line: line.number,
                span: Span::new(line.start, line.start + line.text.len()),
                reason: UnreadReason::Truncated,
                why: "PEM certificate without its END line".into(),
                excerpt: line.text.chars().take(120).collect(),
            });
        }
    }
    finish(walk)
}

fn finish(walk: Walk) -> LogReading {
    let a = assemble(&walk.entries);
    let focus = stage::focus(&a.deliveries);
    let era = era::infer(&walk.entries, &a.connections, &a.deliveries);
    let stage = stage::infer(&walk.entries, &a.connections, &a.deliveries, focus, &a.errors);
    let loglevel = loglevel(&walk.entries);
    let mut ignored: Vec<IgnoredGroup> = walk
        .ignored
        .into_iter()
        .map(|(reason, lines)| IgnoredGroup { reason, why: reason.describe().to_string(), count: lines.iter().map(|r| r.last - r.first + 1).sum(), lines })
        .collect();
    ignored.sort_by_key(|g| g.lines.first().map(|r| r.first));
    let mut reading = LogReading {
        schema: LOG_READING_SCHEMA,
        lines: walk.lines,
        read: walk.entries.len(),
        formats: walk.formats.into_iter().collect(),
        entries: walk.entries,
        connections: a.connections,
        deliveries: a.deliveries,
        focus,
        nexthops: a.nexthops,
        servers: a.servers,
        lookups: a.lookups,
        levels: a.levels,
        warnings: a.warnings,
        errors: a.errors,
        certificates: walk.certificates,
        loglevel,
        era,
        stage,
        filled: Vec::new(),
        missing: Vec::new(),
        ignored,
        unread: walk.unread,
        diagnostics: Vec::new(),
    };
    let (_, filled, missing) = fill::build(&reading);
    reading.filled = filled;
    reading.missing = missing;
    reading.diagnostics = diagnostics(&reading);
    reading
}

/// The least logging that shows what the log shows.
fn loglevel(entries: &[LogEntry]) -> LoglevelHint {
    let mut level = "0";
    let mut evidence = Vec::new();
    let mut verbose = false;
    let mut raise = |to: &'static str, line: usize, level: &mut &'static str| {
        let rank = |l: &str| ["0", "1", "routine,certmatch", "2"].iter().position(|x| *x == l).unwrap_or(0);
        if rank(to) > rank(level) {
            *level = to;
            evidence.push(line);
        }
    };
    for e in entries {
        match &e.kind {
            LineKind::TlsSummary { .. } => raise("1", e.line, &mut level),
            LineKind::CertName { .. } | LineKind::PeerCertificate { .. } | LineKind::MatchedPeername { .. } => raise("routine,certmatch", e.line, &mut level),
            LineKind::ChainCertificate { .. } | LineKind::SettingUp { .. } | LineKind::SessionCache { .. } => raise("2", e.line, &mut level),
            LineKind::MapsFind { .. } | LineKind::TlsLevel { .. } | LineKind::Nexthop { .. } | LineKind::DnsQuery { .. } => verbose = true,
            _ => {}
        }
    }
    LoglevelHint { smtp_tls_loglevel: level.to_string(), verbose, evidence }
}

fn diagnostics(r: &LogReading) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |span: Span, line: usize| (span, Position { line, column: 1 });
    for u in r.unread.iter().take(UNREAD_DIAGNOSTICS) {
        let code = match u.reason {
            UnreadReason::NotALogLine => "log.not-a-log-line",
            UnreadReason::UnknownMessage => "log.unknown-message",
            UnreadReason::Truncated => "log.truncated",
            UnreadReason::Binary => "log.binary",
        };
        let (span, pos) = at(u.span, u.line);
        let severity = if matches!(u.reason, UnreadReason::Truncated | UnreadReason::UnknownMessage) { Severity::Warning } else { Severity::Info };
        let mut d = Diagnostic::new(code, severity, Source::Log, format!("line {}: {}", u.line, u.why)).at(span).param("line", u.line.to_string());
        // `why` is "PROGRAM: reason" when the line named its program.
        if let Some(program) = u.why.strip_suffix(u.reason.describe()).and_then(|p| p.strip_suffix(": ")) {
            d = d.param("program", program).param("variant", "program");
        }
        d.position = Some(pos);
        if u.reason == UnreadReason::Truncated {
            d = d.hint("Paste the whole line: its end holds the part peername needs.");
        }
        out.push(d);
    }
    if r.unread.len() > UNREAD_DIAGNOSTICS {
        out.push(
            Diagnostic::info("log.more-unread", Source::Log, format!("{} more lines could not be read (all are listed)", r.unread.len() - UNREAD_DIAGNOSTICS))
                .param("count", (r.unread.len() - UNREAD_DIAGNOSTICS).to_string()),
        );
    }
    for c in &r.era.conflicts {
        let against: Vec<String> = c.against.iter().map(usize::to_string).collect();
        let mut d = Diagnostic::warning("log.era-conflict", Source::Log, c.why.clone())
            .param("line", c.line.to_string())
            .param("says", c.says.as_str())
            .param("against_lines", against.join(", "))
            .param("against", c.against_range.as_str());
        if let Some(e) = r.entries.iter().find(|e| e.line == c.line) {
            d = d.at(e.span);
            d.position = Some(Position { line: c.line, column: 1 });
        }
        out.push(d.hint("Paste lines from one Postfix installation at a time."));
    }
    if r.read == 0 {
        out.push(
            Diagnostic::error("log.nothing-read", Source::Log, "No Postfix TLS line found")
                .hint("Paste lines of postfix/smtp (or posttls-finger) around the delivery: the \"TLS connection established\" line and the status= line."),
        );
    }
    out
}

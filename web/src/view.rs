//! The report as the page receives it: a projection of the engine's [`Report`] onto exactly the
//! data the page shows, made in the worker.
//!
//! Nothing here decides anything: every field is copied from the report. The projection exists
//! for size and speed — the page's WebAssembly never carries the engine's deserializers (the
//! report's internally tagged enums need a self-describing format whose code would be most of
//! the page), and a few kilobytes cross from the worker (`crate::wire`) instead of a deep object.
//! Engine types that are plain data (rules, events, comparisons, diagnostics, fixes, log lines)
//! are reused as they are.

use peername_engine::delivery::{HostAttempt, Outcome, Skip};
use peername_engine::diag::{Diagnostic, Source};
use peername_engine::dns::{MxAnswer, MxEntry};
use peername_engine::fixes::Fix;
use peername_engine::logs::LogLine;
use peername_engine::names::openssl::NameCheck;
use peername_engine::names::reference::{ReferenceId, ReferenceKind, Strategy};
use peername_engine::nexthop::{Destination, RouteSource};
use peername_engine::policy::effective::{LevelSource, MatchSource};
use peername_engine::policy::level::SecurityLevel;
use peername_engine::policy::lookup::{LookupWalk, ProbeResult, WalkShape};
use peername_engine::report::{CertificateView, TlsaAdvice, Verdict};
use peername_engine::tls::session::{Connection, ConnectionOutcome, Handshake, PeerFlags, TrustWord};
use peername_engine::tls::verify::{ChainStep, Event, Verification};
use peername_engine::trace::{Mark, RuleRef, Step, StepDetail};
use peername_engine::version::Era;
use peername_engine::Report;
use std::rc::Rc;

/// The report, as shown.
/// Most diagnostics of one source the worker sends (a pane shows that many and counts the rest):
/// a 2 MiB policy table can have 10,000, and decoding them all took the page 50 ms.
pub const DIAGNOSTICS_PER_SOURCE: usize = 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportView {
    /// Postfix version evaluated.
    pub postfix_version: String,
    /// Its era.
    pub era: Era,
    /// Evaluation time.
    pub evaluated_at: Option<String>,
    /// The short answer.
    pub verdict: Verdict,
    /// The steps.
    pub trace: Vec<SharedStep>,
    /// Input problems: the first [`DIAGNOSTICS_PER_SOURCE`] of each source.
    pub diagnostics: Vec<Diagnostic>,
    /// How many more problems a source had than were sent: `(source, count)`.
    pub diagnostics_more: Vec<(Source, usize)>,
    /// Certificates read.
    pub certificates: Vec<CertificateView>,
    /// `smtp_tls_loglevel` in force.
    pub loglevel: String,
    /// Status line (smtp mode).
    pub outcome: Option<Outcome>,
    /// Every connection: `(host, word, failure line)`.
    pub connections: Vec<ConnectionWord>,
    /// Predicted log lines.
    pub log: Vec<LogLine>,
    /// Verified fixes.
    pub fixes: Vec<Fix>,
    /// DANE help.
    pub tlsa: TlsaAdvice,
}

/// One connection's logged word and failure line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionWord {
    /// Server host.
    pub host: String,
    /// "… TLS connection established" word.
    pub trust: Option<TrustWord>,
    /// "certificate verification failed" line.
    pub failure_line: Option<String>,
}

/// A step as a report holds it: shared (the walk hands it on by identity), with the bytes it
/// was read from, when it was read from a message.
#[derive(Clone, Debug)]
pub struct SharedStep {
    /// The step.
    pub step: Rc<StepView>,
    /// Its bytes in the worker's message (empty for a step built here, not read).
    pub(crate) wire: Rc<[u8]>,
}

impl SharedStep {
    /// A step built here, not read from a message.
    pub fn new(step: StepView) -> Self {
        SharedStep { step: Rc::new(step), wire: Rc::from(&[][..]) }
    }

    /// True when both were read from the same bytes: the same step, known without comparing
    /// the steps field by field (code the page would otherwise carry for the whole view tree).
    pub fn read_alike(&self, other: &SharedStep) -> bool {
        !self.wire.is_empty() && self.wire == other.wire
    }
}

impl std::ops::Deref for SharedStep {
    type Target = StepView;
    fn deref(&self) -> &StepView {
        &self.step
    }
}

/// Steps are equal when their contents are (wherever they came from).
impl PartialEq for SharedStep {
    fn eq(&self, other: &Self) -> bool {
        self.step == other.step
    }
}

impl Eq for SharedStep {}

/// One step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepView {
    /// 1-based number.
    pub number: usize,
    /// Outcome.
    pub mark: Mark,
    /// English title (fallback).
    pub title: String,
    /// English summary (fallback).
    pub summary: String,
    /// The rule.
    pub rule: RuleRef,
    /// The data.
    pub detail: DetailView,
}

/// How the next-hop was chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteSourceView {
    /// The recipient domain.
    RecipientDomain,
    /// A transport_maps entry: key, line, transport.
    Transport(String, usize, String),
    /// relayhost.
    Relayhost,
    /// Given directly.
    Explicit,
    /// main.cf default_transport with a next-hop: its transport.
    DefaultTransport(String),
}

/// Where a level came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LevelSourceView {
    /// Policy entry: key, line.
    PolicyEntry(String, usize),
    /// smtp_tls_security_level.
    GlobalLevel,
    /// The legacy parameters.
    LegacyParameters,
}

/// Where a match list came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchSourceView {
    /// The entry's match attribute.
    PolicyAttribute,
    /// A main.cf parameter.
    MainCf(String),
    /// A parameter's built-in default.
    BuiltInDefault(String),
    /// MTA-STS enforcement.
    StsEnforcement,
    /// posttls-finger (compiled-in default or not).
    Finger(bool),
    /// Not applicable.
    NotApplicable,
}

/// One key tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeView {
    /// The key.
    pub key: String,
    /// Found: the value; not found: `None`.
    pub found: Option<String>,
    /// The table could not be searched.
    pub error: bool,
}

/// The MX answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MxView {
    /// Records (and whether they were pasted without owner).
    Records(Vec<MxEntry>, bool),
    /// No MX records.
    NoRecords,
    /// NXDOMAIN.
    NxDomain,
}

/// What a reference became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefKindView {
    /// DNS name.
    Dns,
    /// IP address.
    Ip,
    /// Skipped, with Postfix's warning.
    Skipped(String),
}

/// A reference identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefView {
    /// The element as written.
    pub element: String,
    /// Its meaning.
    pub strategy: Strategy,
    /// The name compared.
    pub name: String,
    /// The Unicode form it came from.
    pub converted_from: Option<String>,
    /// Kind.
    pub kind: RefKindView,
}

/// Why a server was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipView {
    /// Invalid policy.
    InvalidPolicy,
    /// MTA-STS pattern.
    StsPattern,
    /// No address.
    NoAddress,
    /// `smtp_tls_wrappermode` below level encrypt.
    Wrappermode,
}

/// The TLS part of a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakeView {
    /// Not attempted.
    NotAttempted,
    /// STARTTLS not offered.
    NotOffered,
    /// The client's TLS support is off (STARTTLS never sent).
    Disabled,
    /// Failed, why.
    Failed(String),
    /// Established.
    Established,
}

/// What the client does next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextView {
    /// Delivers (over TLS or not).
    Deliver(bool),
    /// Gives up on this server: dsn, reason.
    Fail(String, String),
}

/// Verification of one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationView {
    /// The chain, leaf first.
    pub chain: Vec<ChainStep>,
    /// Reached something trusted.
    pub anchored: bool,
    /// ... by the user's answer.
    pub anchor_assumed: bool,
    /// Every error callback.
    pub events: Vec<Event>,
    /// The error Postfix kept.
    pub reported: Option<Event>,
    /// Name comparisons (3.6+ OpenSSL, ≤3.5 Postfix's own).
    pub names: Option<NameCheck>,
    /// Fingerprint level: `Some(matched value)` or `Some(None)` when none matched.
    pub fingerprint: Option<Option<String>>,
}

/// One connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionView {
    /// TLS.
    pub handshake: HandshakeView,
    /// Verification.
    pub verification: Option<VerificationView>,
    /// Peer flags.
    pub flags: PeerFlags,
    /// Logged word.
    pub trust: Option<TrustWord>,
    /// Logged failure line.
    pub failure_line: Option<String>,
    /// `matched peername`.
    pub matched_peername: Option<String>,
    /// Matched fingerprint.
    pub matched_fingerprint: Option<String>,
    /// Matched DANE record.
    pub matched_dane: Option<String>,
    /// Warnings and errors logged on it.
    pub messages: Vec<String>,
    /// What happens next.
    pub next: NextView,
}

/// A step's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DetailView {
    /// Version and era.
    Version(String, Era),
    /// Next-hop: recipient, nexthop, source, transport keys tried, non-SMTP transport.
    Route {
        /// Recipient.
        recipient: String,
        /// Next-hop.
        nexthop: String,
        /// How.
        source: RouteSourceView,
        /// transport_maps keys tried.
        transport_lookups: Vec<(String, bool)>,
        /// Non-SMTP transport.
        non_smtp_transport: Option<String>,
    },
    /// The destination.
    Destination(Destination),
    /// Global level: level, source, invalid value, the setting's value.
    GlobalLevel(Option<SecurityLevel>, LevelSourceView, Option<String>, Option<String>),
    /// The walk.
    PolicyLookup {
        /// Table title.
        table: String,
        /// Shape.
        shape: WalkShape,
        /// Keys tried.
        probes: Vec<ProbeView>,
    },
    /// The entry found.
    PolicyEntry {
        /// Key.
        key: String,
        /// Line.
        line: usize,
        /// Value.
        value: String,
        /// Level token.
        level: Option<SecurityLevel>,
        /// Attributes as written.
        attributes: Vec<(String, String)>,
        /// Valid.
        valid: bool,
        /// Postfix's warnings.
        warnings: Vec<String>,
    },
    /// The level: level, source, global.
    Level(SecurityLevel, LevelSourceView, Option<SecurityLevel>),
    /// The match list.
    MatchList(Vec<String>, MatchSourceView),
    /// DNS: answer, hosts (host, pref, address).
    Dns(Option<MxView>, Vec<(String, Option<u16>, String)>),
    /// One server.
    Server(Box<ServerView>),
    /// posttls-finger.
    Finger {
        /// Match arguments.
        matches: Vec<String>,
        /// What smtp(8) would do.
        equivalent: String,
        /// References.
        references: Vec<RefView>,
        /// The connection.
        connection: Option<Box<ConnectionView>>,
    },
    /// The status line.
    Outcome(Outcome),
}

/// One server attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerView {
    /// Host.
    pub host: String,
    /// MX preference.
    pub pref: Option<u16>,
    /// Address.
    pub address: String,
    /// Level in force.
    pub level: SecurityLevel,
    /// Reference identifiers.
    pub references: Vec<RefView>,
    /// Why skipped.
    pub skipped: Option<SkipView>,
    /// The connection.
    pub connection: Option<ConnectionView>,
    /// Plaintext retry.
    pub plaintext_retry: bool,
}

fn level_source(s: &LevelSource) -> LevelSourceView {
    match s {
        LevelSource::PolicyEntry { key, line } => LevelSourceView::PolicyEntry(key.clone(), *line),
        LevelSource::GlobalLevel => LevelSourceView::GlobalLevel,
        LevelSource::LegacyParameters => LevelSourceView::LegacyParameters,
    }
}

fn match_source(s: &MatchSource) -> MatchSourceView {
    match s {
        MatchSource::PolicyAttribute => MatchSourceView::PolicyAttribute,
        MatchSource::MainCf { parameter } => MatchSourceView::MainCf(parameter.clone()),
        MatchSource::BuiltInDefault { parameter } => MatchSourceView::BuiltInDefault(parameter.clone()),
        MatchSource::StsEnforcement => MatchSourceView::StsEnforcement,
        MatchSource::Finger { default } => MatchSourceView::Finger(*default),
        MatchSource::NotApplicable => MatchSourceView::NotApplicable,
    }
}

fn reference(r: &ReferenceId) -> RefView {
    RefView {
        element: r.element.clone(),
        strategy: r.strategy,
        name: r.name.clone(),
        converted_from: r.converted_from.clone(),
        kind: match &r.kind {
            ReferenceKind::Dns => RefKindView::Dns,
            ReferenceKind::Ip { .. } => RefKindView::Ip,
            ReferenceKind::Skipped { warning } => RefKindView::Skipped(warning.clone()),
        },
    }
}

fn verification(v: &Verification) -> VerificationView {
    VerificationView {
        chain: v.chain.clone(),
        anchored: v.anchored,
        anchor_assumed: v.anchor_assumed,
        events: v.events.clone(),
        reported: v.reported.clone(),
        names: v.names.clone().or_else(|| v.legacy_names.as_ref().map(|l| l.check.clone())),
        fingerprint: v.fingerprint.as_ref().map(|f| f.matched.clone()),
    }
}

fn connection(c: &Connection) -> ConnectionView {
    ConnectionView {
        handshake: match &c.handshake {
            Handshake::NotAttempted => HandshakeView::NotAttempted,
            Handshake::NotOffered => HandshakeView::NotOffered,
            Handshake::Disabled => HandshakeView::Disabled,
            Handshake::Failed { why } => HandshakeView::Failed(why.clone()),
            Handshake::Established => HandshakeView::Established,
        },
        verification: c.verification.as_ref().map(verification),
        flags: c.flags,
        trust: c.trust,
        failure_line: c.failure_line.clone(),
        matched_peername: c.matched_peername.clone(),
        matched_fingerprint: c.matched_fingerprint.clone(),
        matched_dane: c.matched_dane.clone(),
        messages: c.warnings.iter().chain(c.errors.iter()).cloned().collect(),
        next: match &c.outcome {
            ConnectionOutcome::Deliver { tls } => NextView::Deliver(*tls),
            ConnectionOutcome::Fail { dsn, reason } => NextView::Fail(dsn.clone(), reason.clone()),
        },
    }
}

fn server(a: &HostAttempt) -> ServerView {
    ServerView {
        host: a.host.clone(),
        pref: a.pref,
        address: a.address.clone(),
        level: a.policy.level,
        references: a.references.iter().map(reference).collect(),
        skipped: a.skipped.as_ref().map(|s| match s {
            Skip::InvalidPolicy => SkipView::InvalidPolicy,
            Skip::StsPattern => SkipView::StsPattern,
            Skip::Wrappermode => SkipView::Wrappermode,
            Skip::NoAddress => SkipView::NoAddress,
        }),
        connection: a.connection.as_ref().map(connection),
        plaintext_retry: a.plaintext_retry,
    }
}

fn walk(table: &str, w: &LookupWalk) -> DetailView {
    DetailView::PolicyLookup {
        table: table.to_string(),
        shape: w.shape,
        probes: w
            .probes
            .iter()
            .map(|p| ProbeView {
                key: p.key.clone(),
                found: match &p.result {
                    ProbeResult::Found { value, .. } => Some(value.clone()),
                    _ => None,
                },
                error: p.result == ProbeResult::Error,
            })
            .collect(),
    }
}

fn detail(d: &StepDetail) -> DetailView {
    match d {
        StepDetail::Version { version, era } => DetailView::Version(version.clone(), *era),
        StepDetail::Route { route } => DetailView::Route {
            recipient: route.recipient.clone(),
            nexthop: route.nexthop.clone(),
            source: match &route.source {
                RouteSource::RecipientDomain => RouteSourceView::RecipientDomain,
                RouteSource::Transport { key, line, transport } => RouteSourceView::Transport(key.clone(), *line, transport.clone()),
                RouteSource::Relayhost => RouteSourceView::Relayhost,
                RouteSource::Explicit => RouteSourceView::Explicit,
                RouteSource::DefaultTransport { transport } => RouteSourceView::DefaultTransport(transport.clone()),
            },
            transport_lookups: route.transport_lookups.clone(),
            non_smtp_transport: route.non_smtp_transport.clone(),
        },
        StepDetail::Destination { destination } => DetailView::Destination(destination.clone()),
        StepDetail::GlobalLevel { global, setting } => {
            DetailView::GlobalLevel(global.level, level_source(&global.source), global.invalid_value.clone(), setting.as_ref().map(|s| s.value.clone()))
        }
        StepDetail::PolicyLookup { walk: w, table } => walk(table, w),
        StepDetail::PolicyEntry { key, line, value, entry, warnings } => DetailView::PolicyEntry {
            key: key.clone(),
            line: *line,
            value: value.clone(),
            level: entry.level,
            attributes: entry.attributes.iter().map(|a| (a.written_name.clone(), a.value.clone())).collect(),
            valid: entry.valid,
            warnings: warnings.clone(),
        },
        StepDetail::Level { level, source, global } => DetailView::Level(*level, level_source(source), *global),
        StepDetail::MatchList { matches, source, .. } => DetailView::MatchList(matches.clone(), match_source(source)),
        StepDetail::Dns { mx, hosts, .. } => DetailView::Dns(
            mx.as_ref().map(|m| match m {
                MxAnswer::Records { records, unowned } => MxView::Records(records.clone(), *unowned),
                MxAnswer::NoRecords => MxView::NoRecords,
                MxAnswer::NxDomain => MxView::NxDomain,
            }),
            hosts.clone(),
        ),
        StepDetail::Server { attempt } => DetailView::Server(Box::new(server(attempt))),
        StepDetail::Finger { run } => DetailView::Finger {
            matches: run.matches.clone(),
            equivalent: run.smtp_client_equivalent.clone(),
            references: run.references.iter().map(reference).collect(),
            connection: run.connection.as_ref().map(|c| Box::new(connection(c))),
        },
        StepDetail::Outcome { outcome } => DetailView::Outcome(outcome.clone()),
    }
}

/// The first [`DIAGNOSTICS_PER_SOURCE`] diagnostics of each source, in order, and how many each
/// source had beyond those.
fn first_per_source(all: &[Diagnostic]) -> (Vec<Diagnostic>, Vec<(Source, usize)>) {
    let mut seen: Vec<(Source, usize)> = Vec::new();
    let mut kept = Vec::new();
    for d in all {
        let n = match seen.iter_mut().find(|(s, _)| *s == d.source) {
            Some((_, n)) => n,
            None => {
                seen.push((d.source, 0));
                &mut seen.last_mut().expect("just pushed").1
            }
        };
        *n += 1;
        if *n <= DIAGNOSTICS_PER_SOURCE {
            kept.push(d.clone());
        }
    }
    let more = seen.into_iter().filter(|&(_, n)| n > DIAGNOSTICS_PER_SOURCE).map(|(s, n)| (s, n - DIAGNOSTICS_PER_SOURCE)).collect();
    (kept, more)
}

impl ReportView {
    /// How many problems of `source` were not sent.
    pub fn diagnostics_more(&self, source: Source) -> usize {
        self.diagnostics_more.iter().find(|(s, _)| *s == source).map_or(0, |&(_, n)| n)
    }

    /// The projection of `r`.
    pub fn of(r: &Report) -> ReportView {
        let delivery = r.delivery.iter().flat_map(|d| d.destinations.iter()).flat_map(|run| run.hosts.iter()).filter_map(|h| h.connection.as_ref());
        let finger = r.finger.iter().filter_map(|f| f.connection.as_ref());
        let (diagnostics, diagnostics_more) = first_per_source(&r.diagnostics);
        ReportView {
            postfix_version: r.postfix_version.clone(),
            era: r.era,
            evaluated_at: r.evaluated_at.clone(),
            verdict: r.verdict.clone(),
            trace: r
                .trace
                .iter()
                .map(|s: &Step| SharedStep::new(StepView { number: s.number, mark: s.mark, title: s.title.clone(), summary: s.summary.clone(), rule: s.rule.clone(), detail: detail(&s.detail) }))
                .collect(),
            diagnostics,
            diagnostics_more,
            certificates: r.certificates.clone(),
            loglevel: r.settings.iter().find(|s| s.name == "smtp_tls_loglevel").map(|s| s.value.clone()).unwrap_or_else(|| "0".into()),
            outcome: r.outcome.clone(),
            connections: delivery.chain(finger).map(|c| ConnectionWord { host: c.host.clone(), trust: c.trust, failure_line: c.failure_line.clone() }).collect(),
            log: r.log.clone(),
            fixes: r.fixes.clone(),
            tlsa: r.tlsa.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_source_sends_its_first_diagnostics_and_counts_the_rest() {
        let mut all: Vec<Diagnostic> =
            (0..DIAGNOSTICS_PER_SOURCE + 5).map(|i| Diagnostic::warning("table.duplicate-key", Source::PolicyTable, format!("p{i}"))).collect();
        all.insert(3, Diagnostic::error("mx.bad", Source::Mx, "m"));
        let (kept, more) = first_per_source(&all);
        assert_eq!(kept.len(), DIAGNOSTICS_PER_SOURCE + 1);
        assert_eq!(kept[3].source, Source::Mx);
        assert_eq!(kept.last().map(|d| d.message.as_str()), Some(format!("p{}", DIAGNOSTICS_PER_SOURCE - 1).as_str()));
        assert_eq!(more, vec![(Source::PolicyTable, 5)]);
    }
    use peername_engine::cert::chain::X509Error;
    use peername_engine::scenario::Scenario;

    fn example(id: &str) -> Report {
        let s: Scenario = serde_json::from_str(crate::examples::json(id).unwrap()).unwrap();
        peername_engine::explain(&s)
    }

    #[test]
    fn the_fastmail_view_keeps_what_the_page_shows() {
        let r = example("fastmail");
        let v = ReportView::of(&r);
        assert_eq!(v.trace.len(), r.trace.len());
        assert_eq!(v.loglevel, "1");
        assert_eq!(v.connections.len(), 2);
        assert_eq!(v.connections[0].trust, Some(TrustWord::Untrusted));
        let DetailView::Server(server) = &v.trace[9].detail else { panic!("step 10 is a server: {:?}", v.trace[9].detail) };
        let verification = server.connection.as_ref().and_then(|c| c.verification.as_ref()).unwrap();
        assert_eq!(verification.names.as_ref().unwrap().comparisons.len(), 8);
        assert_eq!(verification.reported.as_ref().map(|e| e.error), Some(X509Error::HostnameMismatch));
        assert_eq!(server.references.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["fastmail.fm", ".fastmail.fm"]);
        let bytes = crate::wire::encode(&v);
        assert!(bytes.len() < 20_000, "the view is small: {} bytes", bytes.len());
    }
}

//! The trace: Postfix's decision as numbered steps a person can follow top to bottom.
//!
//! Each step records its inputs (the data in [`StepDetail`]), the rule applied (with the
//! Postfix versions it holds for) and its outcome ([`Mark`] and a one-line summary). Steps are
//! built from the engine's run data only; every renderer shows the same steps.

use crate::config::Setting;
use crate::delivery::{Delivery, HostAttempt, Outcome, Skip};
use crate::dns::MxAnswer;
use crate::finger::FingerRun;
use crate::nexthop::{Destination, Route, RouteSource};
use crate::policy::effective::{GlobalLevel, LevelSource, MatchSource};
use crate::policy::entry::PolicyEntry;
use crate::policy::level::SecurityLevel;
use crate::policy::lookup::{LookupWalk, ProbeResult, WalkShape};
use crate::tls::session::{Connection, ConnectionOutcome, Handshake};
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

/// How a step came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Passed / found / matched.
    Pass,
    /// Failed: this is (part of) why the mail was not delivered.
    Fail,
    /// Neutral information.
    Info,
    /// Something to look at, not decisive.
    Warn,
    /// Did not happen (skipped).
    Skip,
}

/// The rule a step applies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    /// Stable code (`policy.parent-walk`, `names.openssl`, …).
    pub code: String,
    /// The rule in one or two English sentences.
    pub text: String,
    /// Postfix versions it holds for (`all`, `≤3.5`, `3.6+`, `3.10.4+`…).
    pub versions: String,
    /// The postconf(5) parameter it concerns, if any (for a link to postfix.org).
    pub parameter: Option<String>,
}

fn rule(code: &str, text: &str, versions: &str, parameter: Option<&str>) -> RuleRef {
    RuleRef { code: code.into(), text: text.into(), versions: versions.into(), parameter: parameter.map(str::to_string) }
}

/// What a step is about, with its data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepDetail {
    /// The Postfix version and era.
    Version {
        /// Version.
        version: String,
        /// Era.
        era: Era,
    },
    /// How the next-hop was derived.
    Route {
        /// The route.
        route: Box<Route>,
    },
    /// The next-hop destination string and what it means.
    Destination {
        /// Parsed destination.
        destination: Destination,
    },
    /// `global_tls_level()`.
    GlobalLevel {
        /// The result.
        global: GlobalLevel,
        /// The `smtp_tls_security_level` setting.
        setting: Option<Setting>,
    },
    /// The policy-table walk.
    PolicyLookup {
        /// The walk.
        walk: LookupWalk,
        /// The table as named in main.cf.
        table: String,
    },
    /// The entry found, parsed.
    PolicyEntry {
        /// The key that matched.
        key: String,
        /// Its line in the table.
        line: usize,
        /// The value.
        value: String,
        /// Parsed entry.
        entry: Box<PolicyEntry>,
        /// Warnings Postfix logs about it.
        warnings: Vec<String>,
    },
    /// The level in force.
    Level {
        /// Level.
        level: SecurityLevel,
        /// Where it came from.
        source: LevelSource,
        /// The global level.
        global: Option<SecurityLevel>,
    },
    /// The match list in force.
    MatchList {
        /// Level.
        level: SecurityLevel,
        /// Elements.
        matches: Vec<String>,
        /// Where they came from.
        source: MatchSource,
    },
    /// DNS for a destination.
    Dns {
        /// Destination key.
        destination: String,
        /// MX answer, when looked up.
        mx: Option<MxAnswer>,
        /// Hosts and addresses to try, in order.
        hosts: Vec<(String, Option<u16>, String)>,
    },
    /// One server: references, certificate names, chain, verdict.
    Server {
        /// Everything about this host.
        attempt: Box<HostAttempt>,
    },
    /// posttls-finger's single connection.
    Finger {
        /// The run.
        run: Box<FingerRun>,
    },
    /// The status line.
    Outcome {
        /// Status.
        outcome: Outcome,
    },
}

/// One step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// 1-based number.
    pub number: usize,
    /// How it came out.
    pub mark: Mark,
    /// Title, English (renderers may translate by `detail.kind`).
    pub title: String,
    /// One-line outcome, English.
    pub summary: String,
    /// The rule applied.
    pub rule: RuleRef,
    /// Data.
    pub detail: StepDetail,
}

struct Builder {
    steps: Vec<Step>,
}

impl Builder {
    fn push(&mut self, mark: Mark, title: &str, summary: String, rule: RuleRef, detail: StepDetail) {
        let number = self.steps.len() + 1;
        self.steps.push(Step { number, mark, title: title.to_string(), summary, rule, detail });
    }
}

fn version_step(b: &mut Builder, version: &PostfixVersion) {
    let era = version.era();
    let text = match era {
        Era::Legacy => "Postfix matches certificate names itself: `*` may cover several labels, only the first CN counts, IP addresses are compared as text.",
        Era::OpenSslUntrustedBug => "OpenSSL checks names during chain verification; a trusted certificate with the wrong name is logged \"Untrusted\" (fixed in 3.10.4).",
        Era::OpenSsl => "OpenSSL checks names during chain verification; a hostname mismatch alone is logged \"Trusted\".",
    };
    b.push(
        Mark::Info,
        "Postfix version",
        format!("Postfix {version}: era {}", era.label()),
        rule("version.era", text, era.label(), None),
        StepDetail::Version { version: version.to_string(), era },
    );
}

fn route_step(b: &mut Builder, route: &Route) {
    let (summary, r) = match &route.source {
        RouteSource::RecipientDomain => (
            format!("Next-hop is the recipient domain {}", route.nexthop),
            rule("route.recipient-domain", "Without a transport or relayhost, the next-hop is the recipient domain; it is the policy key and the `nexthop` name.", "all", None),
        ),
        RouteSource::Transport { key, line, transport } => (
            format!("transport_maps line {line} ({key}) routes via {transport}:{}", route.nexthop),
            rule("route.transport", "A transport_maps next-hop replaces the recipient domain: the recipient domain is never looked up in the policy table.", "all", Some("transport_maps")),
        ),
        RouteSource::Relayhost => (
            format!("relayhost = {}: the recipient domain is not used", route.nexthop),
            rule("route.relayhost", "With relayhost, the next-hop is the relay; the policy key is the relayhost value exactly as written.", "all", Some("relayhost")),
        ),
        RouteSource::Explicit => (
            format!("Explicit next-hop {}", route.nexthop),
            rule("route.explicit", "The next-hop string is used verbatim as the policy key.", "all", None),
        ),
        RouteSource::DefaultTransport { transport } => (
            format!("default_transport = {transport}:{}: relayhost and the recipient domain are not used", route.nexthop),
            rule("route.default-transport", "A next-hop in default_transport (transport:nexthop) overrides relayhost and the recipient domain for mail to other domains; only a transport_maps entry overrides it.", "all", Some("default_transport")),
        ),
    };
    let mark = if route.non_smtp_transport.is_some() { Mark::Warn } else { Mark::Info };
    b.push(mark, "Next-hop", summary, r, StepDetail::Route { route: Box::new(route.clone()) });
}

fn destination_step(b: &mut Builder, d: &Destination) {
    let what = if d.bracketed {
        "brackets: no MX lookup; hostname = nexthop".to_string()
    } else if d.mx_lookup {
        "MX lookup on the domain".to_string()
    } else {
        "an address: no MX lookup".to_string()
    };
    let port = d.port.clone().map(|p| format!(", port {p}")).unwrap_or_default();
    b.push(
        Mark::Info,
        "Destination",
        format!("Policy key \"{}\", nexthop name \"{}\"{port}; {what}", d.key, d.host),
        rule("destination.host-port", "The key keeps `[]` and `:port`; the `nexthop` name strips them. `[host]`, `[host]:25` and `[host]:smtp` are three different keys.", "all", None),
        StepDetail::Destination { destination: d.clone() },
    );
}

fn lookup_step(b: &mut Builder, walk: &LookupWalk, table: &str) {
    let hit = walk.found().map(|p| p.key.clone());
    let tried: Vec<String> = walk.probes.iter().map(|p| p.key.clone()).collect();
    let (mark, summary) = match (&walk.shape, &hit) {
        (WalkShape::NoTable, _) => (Mark::Info, "No policy table: the global level applies".to_string()),
        (_, _) if walk.errored() => (Mark::Fail, "The table could not be searched (lookup error)".to_string()),
        (_, Some(k)) => (Mark::Pass, format!("Found \"{k}\" after trying {}", tried.join(" → "))),
        (_, None) => (Mark::Info, format!("Not found (tried {}): the global level applies", tried.join(" → "))),
    };
    let r = match walk.shape {
        WalkShape::SingleLookup => rule(
            "policy.single-lookup",
            "The key is not a plain hostname (brackets, port, trailing dot or an address): exactly one lookup, no parent walk.",
            "all",
            Some("smtp_tls_policy_maps"),
        ),
        _ => rule(
            "policy.parent-walk",
            "Postfix tries the name, then each parent with a leading dot (a.b.c → .b.c → .c). A bare parent is never tried; the first entry found wins even if it is invalid.",
            "all",
            Some("smtp_tls_policy_maps"),
        ),
    };
    b.push(mark, "Policy lookup", summary, r, StepDetail::PolicyLookup { walk: walk.clone(), table: table.to_string() });
}

fn level_text(source: &LevelSource) -> String {
    match source {
        LevelSource::PolicyEntry { key, line } => format!("policy entry \"{key}\" (line {line})"),
        LevelSource::GlobalLevel => "smtp_tls_security_level".to_string(),
        LevelSource::LegacyParameters => "legacy smtp_use_tls / smtp_enforce_tls".to_string(),
    }
}

fn match_source_text(source: &MatchSource) -> String {
    match source {
        MatchSource::PolicyAttribute => "the policy entry's match attribute".into(),
        MatchSource::MainCf { parameter } => format!("{parameter} in main.cf"),
        MatchSource::BuiltInDefault { parameter } => format!("the built-in default of {parameter}"),
        MatchSource::StsEnforcement => "MTA-STS enforcement (replaced by hostname)".into(),
        MatchSource::Finger { default: true } => "posttls-finger's compiled-in default".into(),
        MatchSource::Finger { default: false } => "posttls-finger's arguments".into(),
        MatchSource::NotApplicable => "not applicable".into(),
    }
}

fn policy_steps(b: &mut Builder, attempt: &HostAttempt, global: &GlobalLevel, table_title: &str) {
    let p = &attempt.policy;
    if let Some(probe) = p.walk.found() {
        if let (Some(entry), ProbeResult::Found { value, .. }) = (&p.entry, &probe.result) {
            let line = match p.level_source {
                LevelSource::PolicyEntry { line, .. } => line,
                _ => 0,
            };
            let (mark, summary) = if entry.valid {
                (Mark::Pass, format!("\"{value}\" is a valid policy"))
            } else {
                (Mark::Fail, format!("Invalid entry: {}", p.warnings.first().cloned().unwrap_or_default()))
            };
            b.push(
                mark,
                "Policy entry",
                summary,
                rule(
                    "policy.entry-syntax",
                    "The first token is the level; every other token must be name=value and valid at that level. Any error defers with 4.7.5 \"client TLS configuration problem\" instead of falling back.",
                    "all",
                    Some("smtp_tls_policy_maps"),
                ),
                StepDetail::PolicyEntry { key: probe.key.clone(), line, value: value.clone(), entry: Box::new(entry.clone()), warnings: p.warnings.clone() },
            );
        }
    }
    let _ = table_title;
    if p.invalid {
        return;
    }
    b.push(
        Mark::Info,
        "Security level",
        format!("{} (from {})", p.level, level_text(&p.level_source)),
        rule("policy.level", "The level of the entry found; otherwise the global level (smtp_tls_security_level, or the legacy parameters when it is empty).", "all", Some("smtp_tls_security_level")),
        StepDetail::Level { level: p.level, source: p.level_source.clone(), global: global.level },
    );
    if matches!(p.level, SecurityLevel::Verify | SecurityLevel::Secure | SecurityLevel::Fingerprint) {
        let param = match p.level {
            SecurityLevel::Verify => "smtp_tls_verify_cert_match",
            SecurityLevel::Secure => "smtp_tls_secure_cert_match",
            _ => "smtp_tls_fingerprint_cert_match",
        };
        b.push(
            Mark::Info,
            "Match list",
            format!("{} (from {})", p.matches.join(", "), match_source_text(&p.match_source)),
            rule(
                "policy.match-list",
                "A match attribute replaces the main.cf list; it does not add to it. Elements are ORed: one matching element is enough.",
                "all",
                Some(param),
            ),
            StepDetail::MatchList { level: p.level, matches: p.matches.clone(), source: p.match_source.clone() },
        );
    }
}

fn dns_step(b: &mut Builder, run: &crate::delivery::DestinationRun) {
    let hosts: Vec<(String, Option<u16>, String)> = run.hosts.iter().map(|h| (h.host.clone(), h.pref, h.address.clone())).collect();
    let (mark, summary) = match &run.mx {
        Some(MxAnswer::NxDomain) => (Mark::Fail, "The domain does not exist (NXDOMAIN)".to_string()),
        Some(MxAnswer::NoRecords) => (Mark::Info, "No MX records: the domain itself is the mail server (implicit MX)".to_string()),
        Some(MxAnswer::Records { unowned, .. }) => (
            Mark::Info,
            format!("MX: {}{}", run.hosts.iter().map(|h| h.host.as_str()).collect::<Vec<_>>().join(", "), if *unowned { " (as pasted)" } else { "" }),
        ),
        None => (Mark::Info, "No MX lookup".to_string()),
    };
    b.push(
        mark,
        "Mail servers",
        summary,
        rule(
            "dns.mx",
            "The `hostname` strategy uses the MX name as published (not CNAME-expanded); MX lookups are not authenticated. At most smtp_mx_address_limit (5) addresses are tried per next-hop.",
            "all",
            Some("smtp_mx_address_limit"),
        ),
        StepDetail::Dns { destination: run.key.clone(), mx: run.mx.clone(), hosts },
    );
}

fn connection_summary(c: &Connection) -> (Mark, String) {
    let word = c.trust.map(|t| t.as_str()).unwrap_or("no TLS");
    match (&c.handshake, &c.outcome) {
        (Handshake::NotOffered, ConnectionOutcome::Fail { reason, .. }) => (Mark::Fail, reason.clone()),
        (Handshake::NotOffered, _) => (Mark::Warn, "STARTTLS not offered: plaintext".into()),
        (Handshake::NotAttempted, _) => (Mark::Info, "TLS not used (level none)".into()),
        (Handshake::Disabled, ConnectionOutcome::Fail { reason, .. }) => (Mark::Fail, reason.clone()),
        (Handshake::Disabled, _) => (Mark::Warn, "TLS support is disabled: plaintext".into()),
        (Handshake::Failed { why }, _) => (Mark::Fail, format!("Handshake failed: {why}")),
        (Handshake::Established, ConnectionOutcome::Fail { reason, .. }) => {
            let detail = c.failure_line.clone().map(|l| format!(" — {l}")).unwrap_or_default();
            (Mark::Fail, format!("{word}; {reason}{detail}"))
        }
        (Handshake::Established, ConnectionOutcome::Deliver { .. }) => (Mark::Pass, format!("{word} TLS connection; delivered")),
    }
}

fn server_step(b: &mut Builder, attempt: &HostAttempt, version: &PostfixVersion) {
    let (mark, summary) = match (&attempt.skipped, &attempt.connection) {
        (Some(Skip::InvalidPolicy), _) => (Mark::Fail, "Skipped: client TLS configuration problem".to_string()),
        (Some(Skip::StsPattern), _) => (Mark::Fail, "Skipped: the MX name fits no MTA-STS mx_host_pattern".to_string()),
        (Some(Skip::Wrappermode), _) => (Mark::Fail, "Skipped: smtp_tls_wrappermode needs level encrypt or stronger".to_string()),
        (Some(Skip::NoAddress), _) => (Mark::Skip, "No address".to_string()),
        (None, Some(c)) => connection_summary(c),
        (None, None) => (Mark::Skip, "Not tried".to_string()),
    };
    let r = match version.era() {
        Era::Legacy => rule("names.legacy", "Postfix ≤3.5 compares each reference with each dNSName (or the first CN when there is none); `*.` covers one or more labels.", "≤3.5", None),
        _ => rule("names.openssl", "OpenSSL compares each reference with each dNSName (every CN only when there is no dNSName); `*` is a wildcard only as the whole leftmost label and covers exactly one label.", "3.6+", None),
    };
    let title = format!("Server {}", attempt.host);
    b.push(mark, &title, summary, r, StepDetail::Server { attempt: Box::new(attempt.clone()) });
}

fn outcome_step(b: &mut Builder, outcome: &Outcome) {
    let mark = if outcome.status == crate::delivery::Status::Sent { Mark::Pass } else { Mark::Fail };
    let summary = format!(
        "status={} dsn={} ({})",
        outcome.status.as_str(),
        outcome.dsn.clone().unwrap_or_default(),
        outcome.reason.clone().unwrap_or_else(|| "smtp(8) exited before logging a status".into())
    );
    b.push(
        mark,
        "Delivery",
        summary,
        rule("delivery.status", "A failure on one MX moves on to the next; the last server's failure becomes the status line.", "all", None),
        StepDetail::Outcome { outcome: outcome.clone() },
    );
}

/// The trace of mail a transport other than smtp(8) takes: the version and the route, which
/// is where the story ends.
pub fn handoff_trace(version: &PostfixVersion, route: &Route) -> Vec<Step> {
    let mut b = Builder { steps: Vec::new() };
    version_step(&mut b, version);
    route_step(&mut b, route);
    b.steps
}

/// Builds the trace of an smtp(8) delivery.
pub fn delivery_trace(version: &PostfixVersion, global: &GlobalLevel, setting: Option<Setting>, d: &Delivery, table_title: &str) -> Vec<Step> {
    let mut b = Builder { steps: Vec::new() };
    version_step(&mut b, version);
    route_step(&mut b, &d.route);
    let (gmark, gsummary) = match (&global.level, &global.invalid_value) {
        (Some(l), _) => (Mark::Info, format!("Global level {l} (from {})", level_text(&global.source))),
        (None, Some(v)) => (Mark::Fail, format!("Invalid smtp_tls_security_level \"{v}\": smtp(8) exits with a fatal error")),
        (None, None) => (Mark::Fail, "Invalid global level".to_string()),
    };
    b.push(
        gmark,
        "Global level",
        gsummary,
        rule("policy.global-level", "smtp_tls_security_level, or when empty the legacy smtp_enforce_tls/smtp_use_tls; an invalid value is fatal.", "all", Some("smtp_tls_security_level")),
        StepDetail::GlobalLevel { global: global.clone(), setting },
    );
    for run in &d.destinations {
        if let Some(dest) = &run.destination {
            destination_step(&mut b, dest);
        }
        if let Some(first) = run.hosts.first() {
            lookup_step(&mut b, &first.policy.walk, table_title);
            policy_steps(&mut b, first, global, table_title);
        }
        dns_step(&mut b, run);
        for attempt in &run.hosts {
            server_step(&mut b, attempt, version);
        }
    }
    outcome_step(&mut b, &d.outcome);
    b.steps
}

/// Builds the trace of a posttls-finger run.
pub fn finger_trace(version: &PostfixVersion, run: &FingerRun) -> Vec<Step> {
    let mut b = Builder { steps: Vec::new() };
    version_step(&mut b, version);
    let mark = if run.smtp_client_equivalent.starts_with("deliver") { Mark::Pass } else { Mark::Fail };
    let word = run.connection.as_ref().and_then(|c| c.trust).map(|t| t.as_str()).unwrap_or("no TLS session");
    b.push(
        mark,
        "posttls-finger",
        format!("{word}; smtp(8) would: {}", run.smtp_client_equivalent),
        rule("finger.mapping", "posttls-finger never defers: only \"Verified\" means smtp(8) would deliver at the levels that require a match.", "all", None),
        StepDetail::Finger { run: Box::new(run.clone()) },
    );
    b.steps
}

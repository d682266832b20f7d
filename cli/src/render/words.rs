//! Words for the engine's data in the CLI's language.
//!
//! In English the CLI prints the engine's own English, its established wording (the snapshots
//! pin it). In another language it prints that language's catalogue text for the same code, with
//! the keys the page uses (`step.*`, `summary.*`, `rule.*`, `match.*`, `diag.*`, `verdict.*`…),
//! and falls back to the engine's English where the language has no text yet or a placeholder
//! cannot be filled from the data. Literal Postfix text (values, keys, log lines, DSN reasons)
//! is inserted verbatim.

use peername_engine::delivery::{HostAttempt, Skip, Status};
use peername_engine::diag::{Diagnostic, Severity};
use peername_engine::dns::MxAnswer;
use peername_engine::fixes::Fix;
use peername_engine::names::openssl::Rule;
use peername_engine::nexthop::RouteSource;
use peername_engine::policy::effective::{LevelSource, MatchSource};
use peername_engine::policy::lookup::{ProbeResult, WalkShape};
use peername_engine::report::Report;
use peername_engine::tls::session::{Connection, ConnectionOutcome, Handshake};
use peername_engine::trace::{Step, StepDetail};
use peername_engine::version::Era;
use peername_i18n::{fill, lookup, t, tf, words, Lang};

/// `key`'s text in `lang` itself (never English, never another language's), filled from `args`;
/// `None` in English, when `lang` lacks the key, or when a placeholder has no value.
pub fn translated(lang: Lang, key: &str, args: &[(&str, &str)]) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    fill(lookup(lang, key)?, args)
}

/// [`translated`], else the engine's English.
fn or_english(lang: Lang, key: &str, args: &[(&str, &str)], english: &str) -> String {
    translated(lang, key, args).unwrap_or_else(|| english.to_string())
}

/// The era's name.
pub fn era(lang: Lang, era: Era) -> String {
    let key = match era {
        Era::Legacy => "era.legacy",
        Era::OpenSslUntrustedBug => "era.openssl-untrusted-bug",
        Era::OpenSsl => "era.openssl",
    };
    or_english(lang, key, &[], era.label())
}

/// Why one reference × certificate-name comparison came out as it did.
pub fn match_rule(lang: Lang, rule: Rule) -> String {
    or_english(lang, words::match_rule_key(rule), &[], rule.describe())
}

/// The rule a step applies, and the versions it holds for. The version step's rule is the era's
/// own (`rule.version.era.<era>`, as the page shows it), and its versions are the era's name.
pub fn step_rule(lang: Lang, step: &Step) -> (String, String) {
    let rule = &step.rule;
    if let StepDetail::Version { era: e, .. } = &step.detail {
        let key = match e {
            Era::Legacy => "rule.version.era.legacy",
            Era::OpenSslUntrustedBug => "rule.version.era.openssl-untrusted-bug",
            Era::OpenSsl => "rule.version.era.openssl",
        };
        let versions = if rule.versions == e.label() { era(lang, *e) } else { rule.versions.clone() };
        return (or_english(lang, key, &[], &rule.text), versions);
    }
    let text = or_english(lang, &format!("rule.{}", rule.code), &[], &rule.text);
    let versions = if rule.versions == "all" {
        or_english(lang, "rule.versions.all", &[], &rule.versions)
    } else {
        or_english(lang, "rule.versions", &[("versions", &rule.versions)], &rule.versions)
    };
    (text, versions)
}

/// A diagnostic's severity word.
pub fn severity(lang: Lang, s: Severity) -> String {
    let (key, english) = match s {
        Severity::Error => ("severity.error", "error"),
        Severity::Warning => ("severity.warning", "warning"),
        Severity::Info => ("severity.info", "info"),
    };
    or_english(lang, key, &[], english)
}

/// A diagnostic's message: the language's text for its code and params, else the engine's.
pub fn diagnostic_message(lang: Lang, d: &Diagnostic) -> String {
    // The key names the message's variant when it has one (`diag.<code>.<variant>`).
    if lang == Lang::En || lookup(lang, &d.message_key()).is_none() {
        return d.message.clone();
    }
    words::diagnostic_message(lang, d)
}

/// A diagnostic's hint, likewise.
pub fn diagnostic_hint(lang: Lang, d: &Diagnostic) -> Option<String> {
    let hint = d.hint.as_ref()?;
    if lang == Lang::En || lookup(lang, &d.hint_key()).is_none() {
        return Some(hint.clone());
    }
    words::diagnostic_hint(lang, d)
}

/// A fix's security cost.
pub fn fix_cost(lang: Lang, fix: &Fix) -> String {
    or_english(lang, words::fix_cost_key(fix.kind), &[], &fix.cost)
}

/// The verdict's sentence (Postfix's status, DSN and reason stay verbatim).
pub fn verdict_headline(lang: Lang, report: &Report) -> String {
    let english = &report.verdict.headline;
    if let Some(o) = &report.outcome {
        let relay = o.relay.as_deref().unwrap_or("");
        let dsn = o.dsn.as_deref().unwrap_or("");
        let reason = o.reason.as_deref().unwrap_or("");
        return match o.status {
            Status::Sent => or_english(lang, "verdict.sent", &[("relay", relay)], english),
            Status::Deferred => or_english(lang, "verdict.deferred", &[("dsn", dsn), ("reason", reason)], english),
            Status::Bounced => or_english(lang, "verdict.bounced", &[("dsn", dsn), ("reason", reason)], english),
            Status::Timeout => or_english(lang, "verdict.timeout", &[], english),
        };
    }
    if report.verdict.status == "incomplete" {
        return or_english(lang, "verdict.incomplete", &[], english);
    }
    // Handed over by a transport_maps entry, or else by default_transport.
    let handed_to = |key: &str| {
        let handed = report.trace.iter().find_map(|s| match &s.detail {
            peername_engine::trace::StepDetail::Route { route } => match (&route.source, &route.non_smtp_transport) {
                (RouteSource::Transport { transport, .. }, _) => Some((key.to_string(), transport.as_str())),
                (_, Some(transport)) => Some((format!("{key}.default"), transport.as_str())),
                _ => None,
            },
            _ => None,
        });
        handed.map(|(key, transport)| or_english(lang, &key, &[("transport", transport)], english))
    };
    let key = match report.verdict.status.as_str() {
        peername_engine::explain::NOT_SMTP => Some("verdict.not-smtp"),
        peername_engine::explain::LMTP => Some("verdict.lmtp"),
        _ => None,
    };
    if let Some(text) = key.and_then(handed_to) {
        return text;
    }
    english.clone()
}

/// A step's title, from its kind.
pub fn step_title(lang: Lang, step: &Step) -> String {
    let key = match &step.detail {
        StepDetail::Version { .. } => "step.version",
        StepDetail::Route { .. } => "step.route",
        StepDetail::Destination { .. } => "step.destination",
        StepDetail::GlobalLevel { .. } => "step.global-level",
        StepDetail::PolicyLookup { .. } => "step.policy-lookup",
        StepDetail::PolicyEntry { .. } => "step.policy-entry",
        StepDetail::Level { .. } => "step.level",
        StepDetail::MatchList { .. } => "step.match-list",
        StepDetail::Dns { .. } => "step.dns",
        StepDetail::Server { attempt } => return or_english(lang, "step.server", &[("host", &attempt.host)], &step.title),
        StepDetail::Finger { .. } => "step.finger",
        StepDetail::Outcome { .. } => "step.outcome",
    };
    or_english(lang, key, &[], &step.title)
}

/// Where a level came from (nested in a summary the language has: catalogue words).
fn level_source(lang: Lang, source: &LevelSource) -> String {
    match source {
        LevelSource::PolicyEntry { key, line } => tf(lang, "source.policy-entry", &[("key", key), ("line", &line.to_string())]),
        LevelSource::GlobalLevel => t(lang, "source.global-level").into(),
        LevelSource::LegacyParameters => t(lang, "source.legacy-parameters").into(),
    }
}

/// Where a match list came from.
fn match_source(lang: Lang, source: &MatchSource) -> String {
    match source {
        MatchSource::PolicyAttribute => t(lang, "source.match-attribute").into(),
        MatchSource::MainCf { parameter } => tf(lang, "source.main-cf", &[("parameter", parameter)]),
        MatchSource::BuiltInDefault { parameter } => tf(lang, "source.built-in-default", &[("parameter", parameter)]),
        MatchSource::StsEnforcement => t(lang, "source.sts-enforcement").into(),
        MatchSource::Finger { default: true } => t(lang, "source.finger-default").into(),
        MatchSource::Finger { default: false } => t(lang, "source.finger-arguments").into(),
        MatchSource::NotApplicable => t(lang, "source.not-applicable").into(),
    }
}

/// A step's one-line outcome, from its data, as the page words it (the engine's English where
/// the language has no text or the data alone does not say it).
pub fn step_summary(lang: Lang, step: &Step) -> String {
    if lang == Lang::En {
        return step.summary.clone();
    }
    let s = |key: &str, args: &[(&str, &str)]| translated(lang, key, args);
    let summary = match &step.detail {
        StepDetail::Version { version, era: e } => s("summary.version", &[("version", version), ("era", &era(lang, *e))]),
        StepDetail::Route { route } => {
            let nexthop = route.nexthop.as_str();
            match &route.source {
                RouteSource::RecipientDomain => s("summary.route.recipient-domain", &[("nexthop", nexthop)]),
                RouteSource::Transport { key, line, transport } => {
                    s("summary.route.transport", &[("line", &line.to_string()), ("key", key), ("transport", transport), ("nexthop", nexthop)])
                }
                RouteSource::Relayhost => s("summary.route.relayhost", &[("nexthop", nexthop)]),
                RouteSource::Explicit => s("summary.route.explicit", &[("nexthop", nexthop)]),
                RouteSource::DefaultTransport { transport } => s("summary.route.default-transport", &[("transport", transport), ("nexthop", nexthop)]),
            }
        }
        StepDetail::Destination { destination: d } => {
            let how = if d.bracketed {
                t(lang, "summary.destination.bracketed")
            } else if d.mx_lookup {
                t(lang, "summary.destination.mx")
            } else {
                t(lang, "summary.destination.address")
            };
            let port = d.port.as_deref().map(|p| tf(lang, "summary.destination.port", &[("port", p)])).unwrap_or_default();
            s("summary.destination", &[("key", &d.key), ("host", &d.host), ("port", &port), ("how", how)])
        }
        StepDetail::GlobalLevel { global, .. } => match (&global.level, &global.invalid_value) {
            (Some(level), _) => s("summary.global-level", &[("level", level.name()), ("source", &level_source(lang, &global.source))]),
            (None, Some(v)) => s("summary.global-level.invalid", &[("value", v)]),
            (None, None) => None,
        },
        StepDetail::PolicyLookup { walk, .. } => {
            let tried = walk.probes.iter().map(|p| p.key.as_str()).collect::<Vec<_>>().join(" → ");
            let found = walk.probes.iter().find(|p| matches!(p.result, ProbeResult::Found { .. }));
            match (walk.shape, found) {
                (WalkShape::NoTable, _) => s("summary.lookup.no-table", &[]),
                _ if walk.probes.iter().any(|p| p.result == ProbeResult::Error) => s("summary.lookup.error", &[]),
                (_, Some(p)) => s("summary.lookup.found", &[("key", &p.key), ("tried", &tried)]),
                (_, None) => s("summary.lookup.not-found", &[("tried", &tried)]),
            }
        }
        StepDetail::PolicyEntry { value, entry, warnings, .. } => {
            if entry.valid {
                s("summary.entry.valid", &[("value", value)])
            } else {
                warnings.first().and_then(|w| s("summary.entry.invalid", &[("warning", w)]))
            }
        }
        StepDetail::Level { level, source, .. } => s("summary.level", &[("level", level.name()), ("source", &level_source(lang, source))]),
        StepDetail::MatchList { matches, source, .. } => s("summary.match-list", &[("matches", &matches.join(", ")), ("source", &match_source(lang, source))]),
        StepDetail::Dns { mx, hosts, .. } => match mx {
            Some(MxAnswer::NxDomain) => s("summary.dns.nxdomain", &[]),
            Some(MxAnswer::NoRecords) => s("summary.dns.implicit-mx", &[]),
            Some(MxAnswer::Records { unowned, .. }) => {
                let names = hosts.iter().map(|h| h.0.as_str()).collect::<Vec<_>>().join(", ");
                s(if *unowned { "summary.dns.records-as-pasted" } else { "summary.dns.records" }, &[("hosts", &names)])
            }
            None => s("summary.dns.no-lookup", &[]),
        },
        StepDetail::Server { attempt } => server_summary(lang, attempt),
        StepDetail::Finger { .. } => None,
        StepDetail::Outcome { outcome } => s(
            "summary.outcome",
            &[("status", outcome.status.as_str()), ("dsn", outcome.dsn.as_deref().unwrap_or("")), ("reason", outcome.reason.as_deref().unwrap_or(""))],
        ),
    };
    summary.unwrap_or_else(|| step.summary.clone())
}

/// One server's outcome in a line.
fn server_summary(lang: Lang, a: &HostAttempt) -> Option<String> {
    match (&a.skipped, &a.connection) {
        (Some(Skip::InvalidPolicy), _) => translated(lang, "summary.server.invalid-policy", &[]),
        (Some(Skip::StsPattern), _) => translated(lang, "summary.server.sts-pattern", &[]),
        (Some(Skip::Wrappermode), _) => translated(lang, "summary.server.wrappermode", &[]),
        (Some(Skip::NoAddress), _) => translated(lang, "summary.server.no-address", &[]),
        (None, Some(c)) => connection_summary(lang, c),
        (None, None) => translated(lang, "summary.server.not-tried", &[]),
    }
}

/// A connection's outcome in a line: the trust word and Postfix's reason are verbatim.
fn connection_summary(lang: Lang, c: &Connection) -> Option<String> {
    let word = c.trust.map(|w| w.as_str()).unwrap_or("");
    match (&c.handshake, &c.outcome) {
        (Handshake::NotOffered, ConnectionOutcome::Fail { reason, .. }) => Some(reason.clone()),
        (Handshake::NotOffered, _) => translated(lang, "summary.server.plaintext", &[]),
        (Handshake::NotAttempted, _) => translated(lang, "summary.server.no-tls", &[]),
        (Handshake::Disabled, ConnectionOutcome::Fail { reason, .. }) => Some(reason.clone()),
        (Handshake::Disabled, _) => translated(lang, "summary.server.tls-disabled", &[]),
        (Handshake::Failed { why }, _) => translated(lang, "summary.server.handshake-failed", &[("why", why)]),
        (Handshake::Established, ConnectionOutcome::Fail { reason, .. }) => translated(lang, "summary.server.failed", &[("word", word), ("reason", reason)]),
        (Handshake::Established, ConnectionOutcome::Deliver { .. }) => translated(lang, "summary.server.delivered", &[("word", word)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string literal in the CLI's source that looks like a key of the namespaces the CLI
    /// prints from exists in English (diagnostic codes such as `destination.empty` are not keys).
    #[test]
    fn every_key_the_cli_names_exists_in_english() {
        let namespaces = ["cli", "era", "rule", "severity", "source", "step", "summary", "verdict"];
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut checked = 0;
        while let Some(path) = dirs.pop() {
            if path.is_dir() {
                dirs.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for literal in src.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.contains('.')
                    && literal.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                if looks_like_key && namespaces.contains(&literal.split('.').next().unwrap_or("")) {
                    assert!(lookup(Lang::En, literal).is_some(), "{}: {literal:?} is not in en.txt", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "the scan found only {checked} keys");
    }

    /// Every `cli.*` key of en.txt is used by the CLI (none left behind for translators).
    #[test]
    fn every_cli_key_is_used() {
        let mut src = String::new();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(path) = dirs.pop() {
            if path.is_dir() {
                dirs.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else {
                src.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        for (key, _) in peername_i18n::entries(Lang::En).iter().filter(|(k, _)| k.starts_with("cli.")) {
            assert!(src.contains(&format!("\"{key}\"")), "{key} is in en.txt but the CLI never uses it");
        }
    }

    #[test]
    fn english_is_the_engines_and_other_languages_fall_back_to_it() {
        assert_eq!(translated(Lang::En, "step.version", &[]), None);
        assert_eq!(translated(Lang::Ja, "no.such.key", &[]), None);
        assert_eq!(era(Lang::En, Era::Legacy), Era::Legacy.label());
        assert_eq!(match_rule(Lang::En, Rule::ExactMatch), Rule::ExactMatch.describe());
        let d = Diagnostic::error("destination.empty", peername_engine::diag::Source::Destination, "engine text");
        assert_eq!(diagnostic_message(Lang::En, &d), "engine text");
        let expected = if lookup(Lang::Ja, "diag.destination.empty").is_some() { peername_i18n::words::diagnostic_message(Lang::Ja, &d) } else { "engine text".into() };
        assert_eq!(diagnostic_message(Lang::Ja, &d), expected);
    }

    #[test]
    fn a_message_with_a_variant_is_translated_by_its_variant_key() {
        let d = Diagnostic::warning("lint.unreachable-match", peername_engine::diag::Source::PolicyTable, "engine text")
            .param("element", "*.example.edu")
            .param("variant", "wildcard")
            .param("suggestion", ".example.edu");
        for lang in [Lang::Ja, Lang::Zh] {
            let key = "diag.lint.unreachable-match.wildcard";
            assert!(lookup(lang, key).is_some(), "{key} is translated");
            let message = diagnostic_message(lang, &d);
            assert_ne!(message, "engine text", "{lang:?} uses the variant's words");
            assert!(message.contains("*.example.edu") && message.contains(".example.edu"), "{message}");
        }
    }
}

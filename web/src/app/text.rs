//! Words for the page's view of the engine's data, in the page's language: step titles and
//! summaries built from each step's structured detail, sources, references and the verdict.
//! The words for the engine's own codes (marks, rules, OpenSSL errors, diagnostics, fixes) live in
//! `peername_i18n::words`, shared with the CLI, and are re-exported here.
//!
//! Keys are built from the engine's stable codes. Where the catalogue lacks a code (or cannot
//! fill its placeholders from the data), the engine's English text is used. Literal Postfix text
//! (values, keys, log lines, DSN reasons, OpenSSL strings) is inserted verbatim.

use super::i18n::{t, tf, tf_opt, Lang};
use crate::view::{ConnectionView, DetailView, HandshakeView, LevelSourceView, MatchSourceView, MxView, NextView, RefKindView, ReportView, RouteSourceView, ServerView, SkipView, StepView};
use peername_engine::policy::lookup::WalkShape;

pub use peername_i18n::words::{
    diagnostic_hint, diagnostic_message, era_label, finger_equivalent, fix_cost, fix_title, handshake_failure, mark_class, mark_icon, mark_word, match_rule, match_rule_code,
    match_rule_key, name_source, origin, phase, postconf_url, rule_text, rule_versions, severity, source_label, stage, strategy, x509_literal, x509_meaning,
};

/// A step's title, from its kind.
pub fn step_title(lang: Lang, step: &StepView) -> String {
    match &step.detail {
        DetailView::Version(..) => t(lang, "step.version").into(),
        DetailView::Route { .. } => t(lang, "step.route").into(),
        DetailView::Destination(_) => t(lang, "step.destination").into(),
        DetailView::GlobalLevel(..) => t(lang, "step.global-level").into(),
        DetailView::PolicyLookup { .. } => t(lang, "step.policy-lookup").into(),
        DetailView::PolicyEntry { .. } => t(lang, "step.policy-entry").into(),
        DetailView::Level(..) => t(lang, "step.level").into(),
        DetailView::MatchList(..) => t(lang, "step.match-list").into(),
        DetailView::Dns(..) => t(lang, "step.dns").into(),
        DetailView::Server(server) => tf(lang, "step.server", &[("host", &server.host)]),
        DetailView::Finger { .. } => t(lang, "step.finger").into(),
        DetailView::Outcome(_) => t(lang, "step.outcome").into(),
    }
}

/// Where a level came from.
pub fn level_source(lang: Lang, source: &LevelSourceView) -> String {
    match source {
        LevelSourceView::PolicyEntry(key, line) => tf(lang, "source.policy-entry", &[("key", key), ("line", &line.to_string())]),
        LevelSourceView::GlobalLevel => t(lang, "source.global-level").into(),
        LevelSourceView::LegacyParameters => t(lang, "source.legacy-parameters").into(),
    }
}

/// Where a match list came from.
pub fn match_source(lang: Lang, source: &MatchSourceView) -> String {
    match source {
        MatchSourceView::PolicyAttribute => t(lang, "source.match-attribute").into(),
        MatchSourceView::MainCf(parameter) => tf(lang, "source.main-cf", &[("parameter", parameter)]),
        MatchSourceView::BuiltInDefault(parameter) => tf(lang, "source.built-in-default", &[("parameter", parameter)]),
        MatchSourceView::StsEnforcement => t(lang, "source.sts-enforcement").into(),
        MatchSourceView::Finger(true) => t(lang, "source.finger-default").into(),
        MatchSourceView::Finger(false) => t(lang, "source.finger-arguments").into(),
        MatchSourceView::NotApplicable => t(lang, "source.not-applicable").into(),
    }
}

/// A step's one-line outcome, from its data (the engine's English summary where the data alone
/// does not say it).
pub fn step_summary(lang: Lang, step: &StepView) -> String {
    let summary = match &step.detail {
        DetailView::Version(version, era) => Some(tf(lang, "summary.version", &[("version", version), ("era", era_label(lang, *era))])),
        DetailView::Route { nexthop, source, .. } => match source {
            RouteSourceView::RecipientDomain => Some(tf(lang, "summary.route.recipient-domain", &[("nexthop", nexthop)])),
            RouteSourceView::Transport(key, line, transport) => Some(tf(
                lang,
                "summary.route.transport",
                &[("line", &line.to_string()), ("key", key), ("transport", transport), ("nexthop", nexthop)],
            )),
            RouteSourceView::Relayhost => Some(tf(lang, "summary.route.relayhost", &[("nexthop", nexthop)])),
            RouteSourceView::Explicit => Some(tf(lang, "summary.route.explicit", &[("nexthop", nexthop)])),
            RouteSourceView::DefaultTransport(transport) => {
                Some(tf(lang, "summary.route.default-transport", &[("transport", transport), ("nexthop", nexthop)]))
            }
        },
        DetailView::Destination(d) => {
            let how = if d.bracketed {
                t(lang, "summary.destination.bracketed")
            } else if d.mx_lookup {
                t(lang, "summary.destination.mx")
            } else {
                t(lang, "summary.destination.address")
            };
            let port = d.port.as_deref().map(|p| tf(lang, "summary.destination.port", &[("port", p)])).unwrap_or_default();
            Some(tf(lang, "summary.destination", &[("key", &d.key), ("host", &d.host), ("port", &port), ("how", how)]))
        }
        DetailView::GlobalLevel(level, source, invalid, _) => match (level, invalid) {
            (Some(level), _) => Some(tf(lang, "summary.global-level", &[("level", level.name()), ("source", &level_source(lang, source))])),
            (None, Some(v)) => Some(tf(lang, "summary.global-level.invalid", &[("value", v)])),
            (None, None) => None,
        },
        DetailView::PolicyLookup { shape, probes, .. } => {
            let tried: Vec<&str> = probes.iter().map(|p| p.key.as_str()).collect();
            let tried = tried.join(" → ");
            let found = probes.iter().find(|p| p.found.is_some());
            match (shape, found) {
                (WalkShape::NoTable, _) => Some(t(lang, "summary.lookup.no-table").into()),
                _ if probes.iter().any(|p| p.error) => Some(t(lang, "summary.lookup.error").into()),
                (_, Some(p)) => Some(tf(lang, "summary.lookup.found", &[("key", &p.key), ("tried", &tried)])),
                (_, None) => Some(tf(lang, "summary.lookup.not-found", &[("tried", &tried)])),
            }
        }
        DetailView::PolicyEntry { value, valid, warnings, .. } => {
            if *valid {
                Some(tf(lang, "summary.entry.valid", &[("value", value)]))
            } else {
                warnings.first().map(|w| tf(lang, "summary.entry.invalid", &[("warning", w)]))
            }
        }
        DetailView::Level(level, source, _) => Some(tf(lang, "summary.level", &[("level", level.name()), ("source", &level_source(lang, source))])),
        DetailView::MatchList(matches, source) => Some(tf(lang, "summary.match-list", &[("matches", &matches.join(", ")), ("source", &match_source(lang, source))])),
        DetailView::Dns(mx, hosts) => match mx {
            Some(MxView::NxDomain) => Some(t(lang, "summary.dns.nxdomain").into()),
            Some(MxView::NoRecords) => Some(t(lang, "summary.dns.implicit-mx").into()),
            Some(MxView::Records(_, unowned)) => {
                let names: Vec<&str> = hosts.iter().map(|h| h.0.as_str()).collect();
                let key = if *unowned { "summary.dns.records-as-pasted" } else { "summary.dns.records" };
                tf_opt(lang, key, &[("hosts", &names.join(", "))])
            }
            None => Some(t(lang, "summary.dns.no-lookup").into()),
        },
        DetailView::Server(server) => server_summary(lang, server),
        DetailView::Finger { equivalent, connection, .. } => {
            let word = connection.as_ref().and_then(|c| c.trust).map_or_else(|| t(lang, "summary.finger.no-tls"), |w| w.as_str());
            Some(tf(lang, "summary.finger", &[("word", word), ("equivalent", &finger_equivalent(lang, equivalent))]))
        }
        DetailView::Outcome(outcome) => Some(tf(
            lang,
            "summary.outcome",
            &[("status", outcome.status.as_str()), ("dsn", outcome.dsn.as_deref().unwrap_or("")), ("reason", outcome.reason.as_deref().unwrap_or(""))],
        )),
    };
    summary.unwrap_or_else(|| step.summary.clone())
}

/// One server's outcome in a line.
fn server_summary(lang: Lang, server: &ServerView) -> Option<String> {
    match (&server.skipped, &server.connection) {
        (Some(SkipView::InvalidPolicy), _) => Some(t(lang, "summary.server.invalid-policy").into()),
        (Some(SkipView::StsPattern), _) => Some(t(lang, "summary.server.sts-pattern").into()),
        (Some(SkipView::Wrappermode), _) => Some(t(lang, "summary.server.wrappermode").into()),
        (Some(SkipView::NoAddress), _) => Some(t(lang, "summary.server.no-address").into()),
        (None, Some(c)) => Some(connection_summary(lang, c)),
        (None, None) => Some(t(lang, "summary.server.not-tried").into()),
    }
}

/// A connection's outcome in a line: the trust word and Postfix's reason are verbatim.
pub fn connection_summary(lang: Lang, c: &ConnectionView) -> String {
    let word = c.trust.map(|w| w.as_str()).unwrap_or("");
    match (&c.handshake, &c.next) {
        (HandshakeView::NotOffered, NextView::Fail(_, reason)) => reason.clone(),
        (HandshakeView::NotOffered, _) => t(lang, "summary.server.plaintext").into(),
        (HandshakeView::NotAttempted, _) => t(lang, "summary.server.no-tls").into(),
        (HandshakeView::Disabled, NextView::Fail(_, reason)) => reason.clone(),
        (HandshakeView::Disabled, _) => t(lang, "summary.server.tls-disabled").into(),
        (HandshakeView::Failed(why), _) => tf(lang, "summary.server.handshake-failed", &[("why", &handshake_failure(lang, why))]),
        (HandshakeView::Established, NextView::Fail(_, reason)) => tf(lang, "summary.server.failed", &[("word", word), ("reason", reason)]),
        (HandshakeView::Established, NextView::Deliver(_)) => tf(lang, "summary.server.delivered", &[("word", word)]),
    }
}

/// What kind of identifier a reference became.
pub fn reference_kind(lang: Lang, kind: &RefKindView) -> String {
    match kind {
        RefKindView::Dns => t(lang, "reference.dns").into(),
        RefKindView::Ip => t(lang, "reference.ip").into(),
        RefKindView::Skipped(warning) => tf(lang, "reference.skipped", &[("warning", warning)]),
    }
}

/// The first line of the walk: what happens to the mail.
pub fn verdict_headline(lang: Lang, report: &ReportView) -> String {
    if let Some(o) = &report.outcome {
        let relay = o.relay.as_deref().unwrap_or("");
        let dsn = o.dsn.as_deref().unwrap_or("");
        let reason = o.reason.as_deref().unwrap_or("");
        return match o.status {
            peername_engine::delivery::Status::Sent => tf(lang, "verdict.sent", &[("relay", relay)]),
            peername_engine::delivery::Status::Deferred => tf(lang, "verdict.deferred", &[("dsn", dsn), ("reason", reason)]),
            peername_engine::delivery::Status::Bounced => tf(lang, "verdict.bounced", &[("dsn", dsn), ("reason", reason)]),
            peername_engine::delivery::Status::Timeout => t(lang, "verdict.timeout").into(),
        };
    }
    if report.verdict.status == "incomplete" {
        return t(lang, "verdict.incomplete").into();
    }
    let key = match report.verdict.status.as_str() {
        peername_engine::explain::NOT_SMTP => Some("verdict.not-smtp"),
        peername_engine::explain::LMTP => Some("verdict.lmtp"),
        _ => None,
    };
    if let Some(key) = key {
        // Handed over by a transport_maps entry, or else by default_transport.
        let handed = report.trace.iter().find_map(|s| match &s.detail {
            DetailView::Route { source: RouteSourceView::Transport(_, _, transport), .. } => Some((key.to_string(), transport.clone())),
            DetailView::Route { non_smtp_transport: Some(transport), .. } => Some((format!("{key}.default"), transport.clone())),
            _ => None,
        });
        if let Some((key, transport)) = handed {
            if let Some(text) = tf_opt(lang, &key, &[("transport", &transport)]) {
                return text;
            }
        }
    }
    // posttls-finger: the status is what smtp(8) would do.
    if peername_engine::finger::Equivalent::of(&report.verdict.status).is_some() {
        return tf(lang, "verdict.finger", &[("equivalent", &finger_equivalent(lang, &report.verdict.status))]);
    }
    report.verdict.headline.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastmail_steps_read_from_their_data() {
        let examples = crate::examples::IDS;
        assert!(examples.contains(&"fastmail"));
        let scenario: peername_engine::Scenario = serde_json::from_str(crate::examples::json("fastmail").unwrap()).unwrap();
        let report = crate::view::ReportView::of(&peername_engine::explain(&scenario));
        let titles: Vec<String> = report.trace.iter().map(|s| step_title(Lang::En, s)).collect();
        assert_eq!(titles[0], "Postfix version");
        assert!(titles.contains(&"Server in1-smtp.messagingengine.com".to_string()), "{titles:?}");
        for step in &report.trace {
            let words = step_summary(Lang::En, step);
            assert!(!words.is_empty() && !words.contains('{'), "step {}: {words}", step.number);
        }
        assert_eq!(verdict_headline(Lang::En, &report), "Deferred: 4.7.5 Server certificate not verified");
        assert!(stage(Lang::En, &report.verdict.stage).is_some());
        for fix in &report.fixes {
            assert!(!fix_cost(Lang::En, fix).is_empty());
        }
    }

    /// posttls-finger's step and verdict read from their data too, and in English say what the
    /// engine's English says.
    #[test]
    fn finger_steps_read_from_their_data() {
        let scenario: peername_engine::Scenario = serde_json::from_str(crate::examples::json("fastmail").unwrap()).unwrap();
        for level in ["secure", "may", "dane"] {
            let probe = peername_engine::scenario::Probe::Finger { level: level.into(), matches: Vec::new(), args: Vec::new() };
            let engine = peername_engine::explain(&peername_engine::Scenario { probe, ..scenario.clone() });
            let report = crate::view::ReportView::of(&engine);
            assert_eq!(verdict_headline(Lang::En, &report), engine.verdict.headline, "{level}");
            let finger = report.trace.iter().find(|s| matches!(s.detail, DetailView::Finger { .. })).expect("a posttls-finger step");
            assert_eq!(step_summary(Lang::En, finger), finger.summary, "{level}");
        }
    }
}

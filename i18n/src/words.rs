//! Words for the engine's codes, in a language: marks, eras, rules and their versions,
//! name-matching rules, OpenSSL errors, failing stages, fixes, panes, severities and diagnostics.
//! Shared by the page (`web/src/app/text.rs`, which adds the words for its own view types) and
//! the CLI (`--lang`); built with the `engine` feature.
//!
//! Keys are built from the engine's stable codes. Where the catalogue lacks a code (or cannot
//! fill its placeholders from the data), the engine's English text is used. Literal Postfix text
//! (values, keys, log lines, DSN reasons, OpenSSL strings) is inserted verbatim.

use crate::{t, tf, tf_opt, Lang};
use peername_engine::cert::chain::X509Error;
use peername_engine::diag::{Diagnostic, Severity, Source};
use peername_engine::fixes::{Fix, FixKind};
use peername_engine::names::cert_names::NameSource;
use peername_engine::names::openssl::Rule;
use peername_engine::names::reference::Strategy;
use peername_engine::tls::verify::{Origin, Phase};
use peername_engine::trace::{Mark, RuleRef};
use peername_engine::version::Era;

/// The word for a step's outcome (shown next to its icon: colour is never the only signal).
pub fn mark_word(lang: Lang, mark: Mark) -> &'static str {
    match mark {
        Mark::Pass => t(lang, "mark.pass"),
        Mark::Fail => t(lang, "mark.fail"),
        Mark::Info => t(lang, "mark.info"),
        Mark::Warn => t(lang, "mark.warn"),
        Mark::Skip => t(lang, "mark.skip"),
    }
}

/// The icon for a step's outcome (decorative; the word says the same).
pub fn mark_icon(mark: Mark) -> &'static str {
    match mark {
        Mark::Pass => "✓",
        Mark::Fail => "✗",
        Mark::Info => "ℹ",
        Mark::Warn => "⚠",
        Mark::Skip => "–",
    }
}

/// CSS class name of a mark.
pub fn mark_class(mark: Mark) -> &'static str {
    match mark {
        Mark::Pass => "pass",
        Mark::Fail => "fail",
        Mark::Info => "info",
        Mark::Warn => "warn",
        Mark::Skip => "skip",
    }
}

/// The era's name.
pub fn era_label(lang: Lang, era: Era) -> &'static str {
    match era {
        Era::Legacy => t(lang, "era.legacy"),
        Era::OpenSslUntrustedBug => t(lang, "era.openssl-untrusted-bug"),
        Era::OpenSsl => t(lang, "era.openssl"),
    }
}

/// The rule a step applies, in words.
pub fn rule_text(lang: Lang, rule: &RuleRef) -> String {
    tf_opt(lang, &format!("rule.{}", rule.code), &[]).unwrap_or_else(|| rule.text.clone())
}

/// The versions a rule holds for.
pub fn rule_versions(lang: Lang, rule: &RuleRef) -> String {
    if rule.versions == "all" {
        t(lang, "rule.versions.all").into()
    } else {
        tf(lang, "rule.versions", &[("versions", &rule.versions)])
    }
}

/// The catalogue key of a name-matching rule (`match.` and the engine's serialized code).
pub fn match_rule_key(rule: Rule) -> &'static str {
    match rule {
        Rule::ExactMatch => "match.exact-match",
        Rule::ExactMismatch => "match.exact-mismatch",
        Rule::TrailingDotMismatch => "match.trailing-dot-mismatch",
        Rule::WildcardOneLabel => "match.wildcard-one-label",
        Rule::WildcardLabelMismatch => "match.wildcard-label-mismatch",
        Rule::WildcardSuffixMismatch => "match.wildcard-suffix-mismatch",
        Rule::WildcardInvalidLiteral => "match.wildcard-invalid-literal",
        Rule::WildcardMultiLabel => "match.wildcard-multi-label",
        Rule::SuffixMatch => "match.suffix-match",
        Rule::SuffixTooShort => "match.suffix-too-short",
        Rule::SuffixMismatch => "match.suffix-mismatch",
        Rule::NulInName => "match.nul-in-name",
        Rule::NonAscii => "match.non-ascii",
        Rule::CnIgnoredDnsSanPresent => "match.cn-ignored-dns-san-present",
        Rule::CnIgnoredNotFirst => "match.cn-ignored-not-first",
        Rule::IpReferenceSkipsDnsNames => "match.ip-reference-skips-dns-names",
        Rule::DnsReferenceSkipsIpSans => "match.dns-reference-skips-ip-sans",
        Rule::IpMatch => "match.ip-match",
        Rule::IpMismatch => "match.ip-mismatch",
        Rule::RejectedName => "match.rejected-name",
    }
}

/// The engine's serialized code of a name-matching rule (for tests and `data-rule`).
pub fn match_rule_code(rule: Rule) -> &'static str {
    match_rule_key(rule).trim_start_matches("match.")
}

/// Why one reference × certificate-name comparison came out as it did (every rule has words:
/// the tests check it).
pub fn match_rule(lang: Lang, rule: Rule) -> &'static str {
    t(lang, match_rule_key(rule))
}

/// Where a certificate name comes from.
pub fn name_source(lang: Lang, source: NameSource) -> &'static str {
    match source {
        NameSource::DnsSan => t(lang, "name-source.dns-san"),
        NameSource::IpSan => t(lang, "name-source.ip-san"),
        NameSource::CommonName => t(lang, "name-source.cn"),
    }
}

/// What a match-list element means.
pub fn strategy(lang: Lang, s: Strategy) -> &'static str {
    match s {
        Strategy::Nexthop => t(lang, "strategy.nexthop"),
        Strategy::DotNexthop => t(lang, "strategy.dot-nexthop"),
        Strategy::Hostname => t(lang, "strategy.hostname"),
        Strategy::Name => t(lang, "strategy.name"),
        Strategy::DotDomain => t(lang, "strategy.dot-domain"),
    }
}

/// Where a chain certificate came from.
pub fn origin(lang: Lang, o: Origin) -> &'static str {
    match o {
        Origin::Served => t(lang, "origin.served"),
        Origin::CaFile => t(lang, "origin.ca-file"),
        Origin::TrustAnchor => t(lang, "origin.trust-anchor"),
    }
}

/// Which step of OpenSSL's verification raised an error.
pub fn phase(lang: Lang, p: Phase) -> &'static str {
    match p {
        Phase::Chain => t(lang, "phase.chain"),
        Phase::Extensions => t(lang, "phase.extensions"),
        Phase::Names => t(lang, "phase.names"),
        Phase::Dates => t(lang, "phase.dates"),
        Phase::Dane => t(lang, "phase.dane"),
        Phase::Forced => t(lang, "phase.forced"),
    }
}

/// OpenSSL's own text for an error, verbatim as Postfix logs it (`num=62:hostname mismatch`).
pub fn x509_literal(e: X509Error) -> String {
    format!("num={}:{}", e.code(), e.openssl_text())
}

/// What an OpenSSL error means, in words (none for rare ones: the literal text stands alone).
pub fn x509_meaning(lang: Lang, e: X509Error) -> Option<String> {
    tf_opt(lang, &format!("x509.{}", e.code()), &[])
}

/// The fix kind's name.
pub fn fix_title(lang: Lang, kind: FixKind) -> &'static str {
    match kind {
        FixKind::MatchCertificateDomain => t(lang, "fix.match-certificate-domain"),
        FixKind::KeepDefaultsAddDomain => t(lang, "fix.keep-defaults-add-domain"),
        FixKind::MatchExactName => t(lang, "fix.match-exact-name"),
        FixKind::MatchHostname => t(lang, "fix.match-hostname"),
        FixKind::LevelVerify => t(lang, "fix.level-verify"),
        FixKind::PinPublicKey => t(lang, "fix.pin-public-key"),
        FixKind::LevelEncrypt => t(lang, "fix.level-encrypt"),
    }
}

/// The catalogue key of a fix kind's security cost.
pub fn fix_cost_key(kind: FixKind) -> &'static str {
    match kind {
        FixKind::MatchCertificateDomain => "fix.cost.match-certificate-domain",
        FixKind::KeepDefaultsAddDomain => "fix.cost.keep-defaults-add-domain",
        FixKind::MatchExactName => "fix.cost.match-exact-name",
        FixKind::MatchHostname => "fix.cost.match-hostname",
        FixKind::LevelVerify => "fix.cost.level-verify",
        FixKind::PinPublicKey => "fix.cost.pin-public-key",
        FixKind::LevelEncrypt => "fix.cost.level-encrypt",
    }
}

/// The fix's security cost.
pub fn fix_cost(lang: Lang, fix: &Fix) -> String {
    tf_opt(lang, fix_cost_key(fix.kind), &[]).unwrap_or_else(|| fix.cost.clone())
}

/// Why it failed, by the engine's stage code.
pub fn stage(lang: Lang, code: &str) -> Option<String> {
    if code == "none" {
        return None;
    }
    tf_opt(lang, &format!("stage.{code}"), &[])
}

/// Which pane a diagnostic belongs to, as a label.
pub fn source_label(lang: Lang, source: Source) -> String {
    match source {
        Source::MainCf => t(lang, "pane.main-cf").into(),
        Source::PolicyTable => t(lang, "pane.policy").into(),
        Source::TransportTable => t(lang, "pane.transport").into(),
        Source::Destination => t(lang, "pane.destination").into(),
        Source::Mx => t(lang, "pane.mx").into(),
        Source::Addresses => t(lang, "pane.addresses").into(),
        Source::Certificates(i) => tf(lang, "pane.certificates.n", &[("n", &(i + 1).to_string())]),
        Source::CaBundle => t(lang, "pane.ca-bundle").into(),
        Source::Tlsa => t(lang, "pane.tlsa").into(),
        Source::Log => t(lang, "pane.log").into(),
        Source::Scenario => t(lang, "pane.scenario").into(),
    }
}

/// The severity's word.
pub fn severity(lang: Lang, s: Severity) -> &'static str {
    match s {
        Severity::Error => t(lang, "severity.error"),
        Severity::Warning => t(lang, "severity.warning"),
        Severity::Info => t(lang, "severity.info"),
    }
}

/// A diagnostic's message: the catalogue's text for its code (and `variant`) filled with its
/// params ([`Diagnostic::words`]), else the engine's English.
pub fn diagnostic_message(lang: Lang, d: &Diagnostic) -> String {
    d.words(&d.message_key(), |key, args| tf_opt(lang, key, args)).unwrap_or_else(|| d.message.clone())
}

/// A diagnostic's hint, likewise.
pub fn diagnostic_hint(lang: Lang, d: &Diagnostic) -> Option<String> {
    let hint = d.hint.as_ref()?;
    Some(d.words(&d.hint_key(), |key, args| tf_opt(lang, key, args)).unwrap_or_else(|| hint.clone()))
}

/// What smtp(8) would do with a posttls-finger verdict (`FingerRun::smtp_client_equivalent`), in
/// words; a text the engine does not know is shown as it is.
pub fn finger_equivalent(lang: Lang, text: &str) -> String {
    let Some(e) = peername_engine::finger::Equivalent::of(text) else { return text.to_string() };
    tf_opt(lang, &format!("finger.equivalent.{}", e.code()), &[("level", e.level())]).unwrap_or_else(|| text.to_string())
}

/// Why a TLS handshake failed (`Handshake::Failed`), in words; an unknown text as it is.
pub fn handshake_failure(lang: Lang, why: &str) -> String {
    peername_engine::tls::session::handshake_failure_code(why)
        .and_then(|code| tf_opt(lang, &format!("handshake.{code}"), &[]))
        .unwrap_or_else(|| why.to_string())
}

/// The postconf(5) anchor of a parameter (plain link, nothing is fetched).
pub fn postconf_url(parameter: &str) -> String {
    format!("https://www.postfix.org/postconf.5.html#{parameter}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup;

    const RULES: [Rule; 20] = [
        Rule::ExactMatch,
        Rule::ExactMismatch,
        Rule::TrailingDotMismatch,
        Rule::WildcardOneLabel,
        Rule::WildcardLabelMismatch,
        Rule::WildcardSuffixMismatch,
        Rule::WildcardInvalidLiteral,
        Rule::WildcardMultiLabel,
        Rule::SuffixMatch,
        Rule::SuffixTooShort,
        Rule::SuffixMismatch,
        Rule::NulInName,
        Rule::NonAscii,
        Rule::CnIgnoredDnsSanPresent,
        Rule::CnIgnoredNotFirst,
        Rule::IpReferenceSkipsDnsNames,
        Rule::DnsReferenceSkipsIpSans,
        Rule::IpMatch,
        Rule::IpMismatch,
        Rule::RejectedName,
    ];

    #[test]
    fn every_name_matching_rule_has_words() {
        for rule in RULES {
            let code = match_rule_code(rule);
            assert_eq!(serde_json::to_value(rule).unwrap(), serde_json::Value::String(code.into()), "code of {rule:?}");
            assert!(lookup(Lang::En, &format!("match.{code}")).is_some(), "match.{code} is missing in en.txt");
        }
    }

    #[test]
    fn every_openssl_error_and_stage_has_words() {
        for e in X509Error::ALL {
            assert!(x509_meaning(Lang::En, e).is_some(), "x509.{} is missing in en.txt", e.code());
        }
        for stage_code in ["policy-syntax", "no-starttls", "handshake", "chain-trust", "name-match", "fingerprint", "dane", "config", "dns", "policy"] {
            assert!(stage(Lang::En, stage_code).is_some(), "stage.{stage_code} is missing in en.txt");
        }
    }

    /// Every rule code the engine's trace uses has words (scanned from engine/src/trace.rs).
    #[test]
    fn every_trace_rule_code_has_words() {
        let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/src/trace.rs")).unwrap();
        let mut n = 0;
        for (at, _) in src.match_indices("rule(") {
            let Some(rest) = src[at + 5..].trim_start().strip_prefix('"') else { continue };
            let code = &rest[..rest.find('"').unwrap()];
            assert!(lookup(Lang::En, &format!("rule.{code}")).is_some(), "rule.{code} is missing in en.txt");
            n += 1;
        }
        assert!(n >= 15, "found only {n} rule codes");
    }

    /// Every literal key this module passes to `t`/`tf`/`tf_opt` exists in English.
    #[test]
    fn every_key_this_module_names_exists_in_english() {
        let src = include_str!("words.rs");
        let mut checked = 0;
        for call in ["t(lang, \"", "tf(lang, \"", "tf_opt(lang, \""] {
            for (at, _) in src.match_indices(call) {
                let rest = &src[at + call.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                assert!(lookup(Lang::En, key).is_some(), "key {key:?} is not in en.txt");
                checked += 1;
            }
        }
        for line in src.lines() {
            let line = line.trim();
            if let Some(rest) = line.split("=> \"").nth(1) {
                let key = &rest[..rest.find('"').unwrap()];
                if key.starts_with("fix.cost.") || key.starts_with("match.") {
                    assert!(lookup(Lang::En, key).is_some(), "key {key:?} is not in en.txt");
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "the scan found only {checked} keys: did the call style change?");
    }

    #[test]
    fn diagnostics_use_the_catalogue_only_when_params_fill_it() {
        let mut d = Diagnostic::error("destination.empty", Source::Destination, "engine text");
        assert_ne!(diagnostic_message(Lang::En, &d), "engine text");
        d.code = "no.such-code".into();
        assert_eq!(diagnostic_message(Lang::En, &d), "engine text");
        let d = Diagnostic::warning("table.colon-key", Source::PolicyTable, "engine text");
        assert_eq!(diagnostic_message(Lang::En, &d), "engine text", "no key param: the engine's text");
        let d = d.param("key", "example.com:");
        assert!(diagnostic_message(Lang::En, &d).contains("example.com:"));
    }

    #[test]
    fn finger_equivalents_and_handshake_failures_have_words() {
        use peername_engine::finger::Equivalent;
        for e in Equivalent::one_of_each() {
            let key = format!("finger.equivalent.{}", e.code());
            assert!(lookup(Lang::En, &key).is_some(), "{key} is not in en.txt");
            assert_ne!(finger_equivalent(Lang::En, &e.text()), "", "{key}");
        }
        assert!(finger_equivalent(Lang::En, &Equivalent::DeferNoTls("dane-only".into()).text()).contains("dane-only"));
        assert_eq!(finger_equivalent(Lang::En, "unknown text"), "unknown text");
        for why in peername_engine::tls::session::HANDSHAKE_FAILURES {
            let code = peername_engine::tls::session::handshake_failure_code(why).unwrap_or_default();
            assert!(lookup(Lang::En, &format!("handshake.{code}")).is_some(), "handshake.{code} is not in en.txt");
        }
        assert_eq!(handshake_failure(Lang::En, "other"), "other");
    }

    #[test]
    fn diagnostics_pick_their_variant_and_translate_keyword_params() {
        let d = Diagnostic::warning("mx.bad-hostname", Source::Mx, "engine text")
            .hint("engine hint")
            .param("exchange", "mx..example")
            .param("reason", "english reason")
            .param("reason_code", "hostname-misplaced-dot")
            .param("advice_code", "mx-spelling");
        let message = diagnostic_message(Lang::En, &d);
        assert!(message.contains("mx..example") && message.contains("two dots are adjacent"), "{message}");
        assert!(!message.contains("english reason"), "the keyword's words win: {message}");
        assert_eq!(diagnostic_hint(Lang::En, &d).as_deref(), lookup(Lang::En, "diag.advice.mx-spelling"));
        let shaped = Diagnostic::warning("mx.lookup-failed", Source::Mx, "engine text").param("variant", "timeout");
        assert_eq!(diagnostic_message(Lang::En, &shaped).as_str(), lookup(Lang::En, "diag.mx.lookup-failed.timeout").unwrap_or_default());
        let unknown = d.clone().param("reason_code", "no-such-reason");
        assert_eq!(diagnostic_message(Lang::En, &unknown), "engine text", "an unknown keyword falls back to the engine's text");
    }
}

//! master.cf lines pasted with main.cf: the `-o` overrides of the service that delivers the
//! mail are the settings its smtp(8) process uses (spec §8), and a transport of any name is an
//! SMTP client when its service runs `smtp`; one that runs `lmtp` (and `lmtp:` itself) is the LMTP
//! client, whose own `lmtp_tls_*` decision the engine says it does not model.

use peername_engine::config::SettingSource;
use peername_engine::delivery::Status;
use peername_engine::scenario::Scenario;
use peername_engine::{explain, Report};

mod common;

/// The seed's certificate names *.messagingengine.com, never fastmail.fm: `secure` defers.
fn scenario(main_cf_extra: &str, transport: &str) -> Scenario {
    Scenario { transport_table: transport.into(), ..common::fastmail("3.7.11", main_cf_extra, "") }
}

fn status(report: &Report) -> (Status, String) {
    let o = report.outcome.clone().expect("an outcome");
    (o.status, o.reason.unwrap_or_default())
}

const SMTP_SECURE: &str = "smtp      unix  -       -       n       -       -       smtp\n  -o smtp_tls_security_level=secure\n";
const RELAY_SECURE: &str = "relay     unix  -       -       n       -       -       smtp\n  -o smtp_tls_security_level=secure\n";

#[test]
fn the_delivering_service_s_overrides_are_its_settings() {
    let report = explain(&scenario(SMTP_SECURE, ""));
    assert_eq!(status(&report), (Status::Deferred, "Server certificate not verified".to_string()));
    let level = report.settings.iter().find(|s| s.name == "smtp_tls_security_level").expect("the level setting");
    assert_eq!(level.value, "secure");
    assert!(matches!(&level.source, SettingSource::MasterCf { service, line: 5, .. } if service == "smtp/unix"), "{:?}", level.source);

    // relay's overrides are not smtp's ...
    assert_eq!(status(&explain(&scenario(RELAY_SECURE, ""))).0, Status::Sent);
    // ... until the transport table routes the mail through relay.
    let report = explain(&scenario(RELAY_SECURE, "fastmail.fm relay:\n"));
    assert_eq!(status(&report).1, "Server certificate not verified");
}

#[test]
fn an_override_can_refer_to_main_cf_and_main_cf_cannot_undo_it() {
    let extra = "strict = secure\nsmtp      unix  -       -       n       -       -       smtp\n  -o smtp_tls_security_level=$strict\nsmtp_tls_security_level = encrypt\n";
    let report = explain(&scenario(extra, ""));
    assert_eq!(status(&report).1, "Server certificate not verified");
}

#[test]
fn a_transport_whose_service_runs_smtp_is_delivered_with_tls() {
    let transport = "fastmail.fm smtp-tls:\n";
    // Without its master.cf line, smtp-tls is just a name: no TLS decision is made.
    let report = explain(&scenario("", transport));
    assert_eq!(report.verdict.status, peername_engine::explain::NOT_SMTP);
    let line = "smtp-tls  unix  -       -       n       -       -       smtp\n  -o smtp_tls_security_level=secure\n";
    let report = explain(&scenario(line, transport));
    assert!(report.delivery.as_ref().is_some_and(|d| d.route.non_smtp_transport.is_none()));
    assert_eq!(status(&report), (Status::Deferred, "Server certificate not verified".to_string()));
}

#[test]
fn a_transport_that_is_not_an_smtp_client_ends_the_story_at_the_route() {
    for transport in ["fastmail.fm error:mail for fastmail.fm is not accepted\n", "fastmail.fm discard:\n", "fastmail.fm smtp-tls:\n"] {
        let report = explain(&scenario("", transport));
        assert_eq!(report.verdict.status, peername_engine::explain::NOT_SMTP, "{transport}");
        assert!(!report.verdict.delivered);
        assert!(report.delivery.is_none() && report.outcome.is_none() && report.fixes.is_empty(), "{transport}");
        assert_eq!(report.trace.len(), 2, "the version and the route: {:?}", report.trace.iter().map(|s| &s.title).collect::<Vec<_>>());
        assert_eq!(report.verdict.deciding_step, Some(1));
    }
}

#[test]
fn the_lmtp_client_is_named_not_run_as_smtp() {
    use peername_engine::explain::LMTP;
    // Postfix's own master.cf runs lmtp(8) for lmtp:, whose next-hop syntax smtp(8) would refuse.
    let report = explain(&scenario("", "fastmail.fm lmtp:inet:mail.example.com:24\n"));
    assert_eq!(report.verdict.status, LMTP);
    assert!(report.verdict.headline.contains("lmtp:, the LMTP client") && report.verdict.headline.contains("lmtp_tls_*"), "{}", report.verdict.headline);
    assert!(!report.verdict.delivered);
    assert_eq!(report.verdict.stage, "none", "no failure to explain");
    assert!(report.delivery.is_none() && report.outcome.is_none() && report.log.is_empty() && report.fixes.is_empty());
    assert_eq!(report.trace.len(), 2);

    // A service of another name that runs lmtp is the LMTP client too (it was delivered as SMTP) ...
    let dovecot = "dovecot-lmtp unix  -       -       n       -       -       lmtp\n";
    assert_eq!(explain(&scenario(dovecot, "fastmail.fm dovecot-lmtp:inet:mail.example.com:24\n")).verdict.status, LMTP);
    // ... and a pasted lmtp service that runs something else is not.
    let other = "lmtp      unix  -       -       n       -       -       pipe\n";
    assert_eq!(explain(&scenario(other, "fastmail.fm lmtp:inet:mail.example.com:24\n")).verdict.status, peername_engine::explain::NOT_SMTP);
}

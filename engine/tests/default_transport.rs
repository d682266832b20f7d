//! main.cf `default_transport` (trivial-rewrite's `resolve_addr()`, recorded from 3.4.29 to
//! 3.11.6 in tests/fixtures/oracle-extra2/cases/default_transport.json): its next-hop overrides
//! relayhost and the recipient domain, its transport is the service that delivers.

use peername_engine::delivery::Status;
use peername_engine::explain::{LMTP, NOT_SMTP};
use peername_engine::nexthop::RouteSource;
use peername_engine::scenario::Scenario;
use peername_engine::{explain, Report};

mod common;

fn report(main_cf_extra: &str) -> Report {
    explain(&Scenario { ..common::fastmail("3.11.6", main_cf_extra, "fastmail.fm secure ciphers=high\n") })
}

#[test]
fn its_next_hop_is_where_the_mail_goes() {
    let r = report("relayhost = [other.example.net]\ndefault_transport = smtp:[relay.example.net]:587\n");
    let d = r.delivery.as_ref().expect("smtp(8) delivers");
    assert_eq!(d.route.nexthop, "[relay.example.net]:587");
    assert_eq!(d.route.source, RouteSource::DefaultTransport { transport: "smtp".into() });
    let step = r.trace.iter().find(|s| s.title == "Next-hop").expect("the route step");
    assert!(step.summary.starts_with("default_transport = smtp:[relay.example.net]:587"), "{}", step.summary);
    assert_eq!(step.rule.code, "route.default-transport");
    // The policy key is the next-hop: fastmail.fm's entry is never looked up.
    assert!(d.destinations.iter().all(|run| run.key == "[relay.example.net]:587"));
}

#[test]
fn its_transport_s_master_cf_overrides_are_the_settings() {
    let service = "smtp-tls  unix  -       -       n       -       -       smtp\n  -o smtp_tls_security_level=secure\n";
    let r = explain(&Scenario { ..common::fastmail("3.11.6", &format!("default_transport = smtp-tls\n{service}"), "") });
    let o = r.outcome.expect("an outcome");
    assert_eq!((o.status, o.reason.as_deref()), (Status::Deferred, Some("Server certificate not verified")), "secure, from smtp-tls's -o");
}

#[test]
fn a_transport_that_is_not_smtp_is_named_with_default_transport() {
    let r = report("default_transport = error:outbound mail is disabled\n");
    assert_eq!(r.verdict.status, NOT_SMTP);
    assert_eq!(r.verdict.headline, "default_transport hands this mail to error:, not to smtp(8): no TLS decision is made");
    let r = report("default_transport = lmtp:inet:mail.example.com:24\n");
    assert_eq!(r.verdict.status, LMTP);
    assert!(r.verdict.headline.starts_with("default_transport hands this mail to lmtp:, the LMTP client"), "{}", r.verdict.headline);
    // The transport table still decides first.
    let r = explain(&Scenario { transport_table: "fastmail.fm smtp:\n".into(), ..common::fastmail("3.11.6", "default_transport = error:no\n", "") });
    assert!(r.delivery.is_some(), "{}", r.verdict.headline);
}

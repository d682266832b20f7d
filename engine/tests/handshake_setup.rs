//! What stops smtp(8) or posttls-finger before a TLS handshake starts: TLS connection reuse
//! without a tlsproxy(8) service, a cipher grade whose list its exclusions empty, and (before
//! 3.5) a next-hop list. Each rule was recorded from real Postfix (tests/fixtures/oracle-extra2
//! and oracle-versions, PROVENANCE.md).

use peername_engine::delivery::Status;
use peername_engine::scenario::{Probe, Scenario};
use peername_engine::{explain, Report};

mod common;

/// Every master.cf has these; with them pasted, a service that is not there is not there.
const WHOLE_MASTER_CF: &str = "pickup    unix  n       -       n       60      1       pickup\n\
cleanup   unix  n       -       n       -       0       cleanup\n\
qmgr      unix  n       -       n       300     1       qmgr\n\
smtp      unix  -       -       n       -       -       smtp\n";

const TLSPROXY_LINE: &str = "tlsproxy  unix  -       -       n       -       0       tlsproxy\n";

fn scenario(policy: &str, main_cf_extra: &str) -> Scenario {
    common::fastmail("3.7.11", main_cf_extra, policy)
}

fn outcome(report: &Report) -> (Status, String) {
    let o = report.outcome.clone().expect("an outcome");
    (o.status, o.reason.unwrap_or_default())
}

fn warnings(report: &Report) -> Vec<String> {
    report.delivery.as_ref().map(|d| d.warnings.clone()).unwrap_or_default()
}

const NO_TLSPROXY: &str = "connect to private/tlsproxy service: No such file or directory";
const HANDSHAKE_FAILURE: &str = "Cannot start TLS: handshake failure";

#[test]
fn connection_reuse_without_a_tlsproxy_service_cannot_start_tls() {
    let report = explain(&scenario("fastmail.fm encrypt connection_reuse=yes\n", WHOLE_MASTER_CF));
    assert_eq!(outcome(&report), (Status::Deferred, HANDSHAKE_FAILURE.to_string()));
    assert_eq!(warnings(&report), [NO_TLSPROXY]);

    // The same with smtp_tls_connection_reuse, and another service name.
    let extra = format!("smtp_tls_connection_reuse = yes\ntlsproxy_service_name = tlsp\n{WHOLE_MASTER_CF}{TLSPROXY_LINE}");
    let report = explain(&scenario("fastmail.fm encrypt\n", &extra));
    assert_eq!(outcome(&report).1, HANDSHAKE_FAILURE);
    assert_eq!(warnings(&report), ["connect to private/tlsp service: No such file or directory"]);
}

#[test]
fn connection_reuse_with_tlsproxy_or_without_a_whole_master_cf_is_not_stopped() {
    let with_proxy = format!("{WHOLE_MASTER_CF}{TLSPROXY_LINE}");
    let only_smtp = "smtp      unix  -       -       n       -       -       smtp\n  -o smtp_tls_loglevel=1\n";
    for extra in [with_proxy.as_str(), only_smtp, ""] {
        let report = explain(&scenario("fastmail.fm encrypt connection_reuse=yes\n", extra));
        assert_eq!(outcome(&report).0, Status::Sent, "{extra}");
        assert!(warnings(&report).is_empty(), "{extra}");
    }
    // The entry's connection_reuse=no wins over the main.cf setting.
    let extra = format!("smtp_tls_connection_reuse = yes\n{WHOLE_MASTER_CF}");
    assert_eq!(outcome(&explain(&scenario("fastmail.fm encrypt connection_reuse=no\n", &extra))).0, Status::Sent);
}

#[test]
fn the_null_grade_fails_where_enull_is_excluded() {
    // smtp(8) excludes eNULL at encrypt.
    let report = explain(&scenario("fastmail.fm encrypt ciphers=null\n", ""));
    assert_eq!(outcome(&report), (Status::Deferred, HANDSHAKE_FAILURE.to_string()));
    let w = warnings(&report);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].ends_with(": error setting cipher grade: \"null\""), "{w:?}");
    assert_eq!(w[1], "TLS library problem: error:0A0000B9:SSL routines::no cipher match:../ssl/ssl_lib.c:2759:");
    // ... and at may only when main.cf excludes it.
    let report = explain(&scenario("fastmail.fm may ciphers=null\n", ""));
    assert_eq!(outcome(&report).0, Status::Sent);
    let report = explain(&scenario("fastmail.fm may ciphers=null\n", "smtp_tls_exclude_ciphers = RC4, eNULL\n"));
    assert!(warnings(&report)[1].contains("no cipher match"), "{:?}", warnings(&report));
    // An exclusion with a modifier cannot be appended.
    let report = explain(&scenario("fastmail.fm encrypt exclude=!RC4\n", ""));
    assert_eq!(outcome(&report).1, HANDSHAKE_FAILURE);
    assert!(warnings(&report)[0].ends_with(": invalid unary '!+-@' in cipher exclusion: !RC4"), "{:?}", warnings(&report));
}

#[test]
fn posttls_finger_excludes_enull_below_the_name_matching_levels() {
    let finger = |level: &str| {
        let mut s = scenario("", "");
        s.destination = "fastmail.fm".into();
        s.probe = Probe::Finger { level: level.into(), matches: Vec::new(), args: vec!["-g".into(), "null".into()] };
        explain(&s)
    };
    let encrypt = finger("encrypt");
    let run = encrypt.finger.as_ref().expect("a posttls-finger run");
    assert!(run.smtp_client_equivalent.starts_with("defer: no TLS session"), "{}", run.smtp_client_equivalent);
    assert!(run.warnings.iter().any(|w| w.contains("error setting cipher grade: \"null\"")), "{:?}", run.warnings);
    let secure = finger("secure");
    let run = secure.finger.as_ref().expect("a posttls-finger run");
    assert!(!run.warnings.iter().any(|w| w.contains("cipher")), "{:?}", run.warnings);
}

#[test]
fn smtps_wrapper_mode_needs_encrypt_and_an_smtps_port() {
    // Below encrypt every host is skipped (recorded from 3.5.27, 3.7.11 and 3.11.6).
    let report = explain(&scenario("fastmail.fm may\n", "smtp_tls_wrappermode = yes\n"));
    assert_eq!(outcome(&report), (Status::Deferred, "server unavailable or unable to receive mail".to_string()));
    assert_eq!(warnings(&report), ["smtp_tls_wrappermode requires \"smtp_tls_security_level = encrypt\" (or stronger)"]);
    assert_eq!(report.outcome.as_ref().and_then(|o| o.relay.as_deref()), Some("none"));

    // At encrypt, a server on port 25 greets in plaintext: no TLS record.
    let report = explain(&scenario("fastmail.fm encrypt\n", "smtp_tls_wrappermode = yes\n"));
    assert_eq!(outcome(&report), (Status::Deferred, HANDSHAKE_FAILURE.to_string()));
    assert!(warnings(&report)[0].contains("wrong version number"), "{:?}", warnings(&report));

    // On the SMTPS port the handshake is made.
    let mut s = scenario("[in1-smtp.messagingengine.com]:465 encrypt\n", "smtp_tls_wrappermode = yes\n");
    s.destination = "[in1-smtp.messagingengine.com]:465".into();
    assert_eq!(outcome(&explain(&s)).0, Status::Sent);
    // Without wrapper mode, port 465 gets Postfix's hint in the log.
    s.main_cf = s.main_cf.replace("smtp_tls_wrappermode = yes\n", "");
    let report = explain(&s);
    assert!(report.log.iter().any(|l| l.text.starts_with("SMTPS wrappermode (TCP port 465) requires setting")), "{:?}", report.log);
}

#[test]
fn the_null_grade_needs_tls13_where_enull_is_not_excluded() {
    // posttls-finger at secure excludes aNULL only: "eNULL:!aNULL" is set, but OpenSSL offers
    // no eNULL cipher, so with TLS 1.3 off there is nothing to send (recorded from 3.7.11 and
    // 3.11.6, oracle-extra2 fo46-132); with TLS 1.3 on, its suites make the session.
    let finger = |protocols: &str| {
        let mut s = scenario("", "");
        s.destination = "fastmail.fm".into();
        s.probe = Probe::Finger { level: "secure".into(), matches: Vec::new(), args: ["-g", "null", "-p", protocols].map(String::from).to_vec() };
        explain(&s).finger.expect("a posttls-finger run")
    };
    let off = finger("<=TLSv1.2");
    assert!(off.warnings.iter().any(|w| w.contains("no ciphers available")), "{:?}", off.warnings);
    assert!(off.errors.iter().any(|e| e.starts_with("SSL_connect error to ") && e.ends_with(": -1")), "{:?}", off.errors);
    assert!(off.smtp_client_equivalent.starts_with("defer: no TLS session"), "{}", off.smtp_client_equivalent);
    let on = finger(">=TLSv1.2");
    assert!(!on.warnings.iter().any(|w| w.contains("cipher")), "{:?}", on.warnings);
}

#[test]
fn a_server_without_the_enabled_tls_versions_hangs_up() {
    // Recorded from 3.7.11 and 3.11.6 against a TLS 1.2 server (oracle-extra2 fo56-205, -233).
    let finger = |level: &str, args: &[&str]| {
        let mut s = scenario("", "");
        s.destination = "fastmail.fm".into();
        s.servers = vec![peername_engine::scenario::ServerSetting { tls_max: Some("1.2".into()), ..Default::default() }];
        s.probe = Probe::Finger { level: level.into(), matches: Vec::new(), args: std::iter::once("-F").chain(std::iter::once("/ca.pem")).chain(args.iter().copied()).map(String::from).collect() };
        explain(&s).finger.expect("a posttls-finger run")
    };
    for args in [&["-p", ">=TLSv1.3"][..], &["-p", "TLSv1.3"]] {
        let run = finger("may", args);
        assert!(run.errors.iter().any(|e| e.ends_with(": lost connection")), "{args:?}: {:?}", run.errors);
        assert_eq!(run.smtp_client_equivalent, "deliver (plaintext)", "{args:?}");
    }
    // The null grade at verify (aNULL excluded, eNULL kept): TLS 1.3 only, which this server lacks.
    let run = finger("verify", &["-g", "null"]);
    assert!(run.errors.iter().any(|e| e.ends_with(": lost connection")), "{:?}", run.errors);
    assert_eq!(run.smtp_client_equivalent, "defer: no TLS session but level verify requires TLS");
    let run = finger("may", &["-p", ">=TLSv1.2"]);
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    assert_eq!(run.smtp_client_equivalent, "deliver");
}

#[test]
fn a_next_hop_list_is_one_bad_server_description_before_3_5() {
    // 3.5 split the next-hop into a list; 3.4.29 reads it whole, dies with the delivery in
    // hand, and qmgr(8) defers the message (recorded: tests/fixtures/oracle-versions).
    let main_cf = "relayhost = [in1-smtp.messagingengine.com],[in2-smtp.messagingengine.com]\n";
    let old = explain(&common::fastmail("3.4.29", main_cf, ""));
    assert_eq!(outcome(&old), (Status::Deferred, "unknown mail transport error".to_string()));
    let errors = old.delivery.as_ref().map(|d| d.errors.clone()).unwrap_or_default();
    assert_eq!(errors, ["smtp: fatal: garbage after \"]\" in server description: [in1-smtp.messagingengine.com],[in2-smtp.messagingengine.com]"]);
    assert_eq!(warnings(&old)[..2], ["private/smtp socket: malformed response", "transport smtp failure -- see a previous warning/fatal/panic logfile record for the problem description"]);
    let new = explain(&common::fastmail("3.5.27", main_cf, ""));
    assert_ne!(outcome(&new).1, "unknown mail transport error");
    assert!(new.delivery.as_ref().is_some_and(|d| d.errors.is_empty()));
}

//! The question that started peername (shared/seeds): `fastmail.fm secure ciphers=high` with a
//! `*.messagingengine.com` certificate, across the three eras.

use peername_engine::delivery::Status;
use peername_engine::names::openssl::Rule;
use peername_engine::policy::effective::{LevelSource, MatchSource};
use peername_engine::policy::level::SecurityLevel;
use peername_engine::scenario::{CaTrust, Scenario, ServedChain};
use peername_engine::tls::session::TrustWord;
use peername_engine::{explain, Report};

const POLICY: &str = "#/C=US/O=DigiCert Inc/OU=www.digicert.com/CN=DigiCert High Assurance EV Root CA\n\
facebook.com    secure ciphers=high\n\
hearst.com      secure match=gslb.pphosted.com ciphers=high\n\
fastmail.fm     secure ciphers=high\n";

const MAIN_CF: &str = "smtp_tls_security_level = may\n\
smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n\
smtp_tls_CApath = /etc/postfix/rootcas/\n\
smtp_tls_loglevel = 2\n";

const MX: &str = "fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.\n\
fastmail.fm mail is handled by 20 in2-smtp.messagingengine.com.\n";

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seed(version: &str, policy: &str) -> Scenario {
    Scenario {
        postfix_version: version.into(),
        evaluated_at: Some("2026-11-23T00:00:00Z".into()),
        main_cf: MAIN_CF.into(),
        policy_table: policy.into(),
        destination: "user@fastmail.fm".into(),
        mx: MX.into(),
        certificates: vec![ServedChain { host: String::new(), pem: fixture("fastmail-replica.pem") }],
        ca_trust: CaTrust::Trusted,
        ..Scenario::default()
    }
}

fn first_attempt(report: &Report) -> &peername_engine::delivery::HostAttempt {
    &report.delivery.as_ref().unwrap().destinations[0].hosts[0]
}

#[test]
fn fastmail_is_deferred_in_every_era_with_the_era_s_trust_word() {
    for (version, word) in [("2.11.0", TrustWord::Trusted), ("3.5.27", TrustWord::Trusted), ("3.7.11", TrustWord::Untrusted), ("3.10.3", TrustWord::Untrusted), ("3.10.4", TrustWord::Trusted), ("3.11.6", TrustWord::Trusted)] {
        let report = explain(&seed(version, POLICY));
        let outcome = report.outcome.clone().unwrap();
        assert_eq!(outcome.status, Status::Deferred, "{version}");
        assert_eq!(outcome.dsn.as_deref(), Some("4.7.5"), "{version}");
        assert_eq!(outcome.reason.as_deref(), Some("Server certificate not verified"), "{version}");
        let attempt = first_attempt(&report);
        assert_eq!(attempt.connection.as_ref().unwrap().trust, Some(word), "{version}");
        // num=62 is logged from 3.6 only.
        let failure = attempt.connection.as_ref().unwrap().failure_line.clone();
        assert_eq!(failure.is_some(), version.starts_with("3.7") || version.starts_with("3.1"), "{version}: {failure:?}");
    }
}

#[test]
fn fastmail_walk_shows_key_level_defaults_references_and_every_comparison() {
    let report = explain(&seed("3.7.11", POLICY));
    let attempt = first_attempt(&report);
    let walk = &attempt.policy.walk;
    assert_eq!(walk.probes.len(), 1);
    assert_eq!(walk.probes[0].key, "fastmail.fm");
    assert_eq!(attempt.policy.level, SecurityLevel::Secure);
    assert!(matches!(attempt.policy.level_source, LevelSource::PolicyEntry { line: 4, .. }));
    assert_eq!(attempt.policy.matches, ["nexthop", "dot-nexthop"]);
    assert_eq!(attempt.policy.match_source, MatchSource::BuiltInDefault { parameter: "smtp_tls_secure_cert_match".into() });
    let refs: Vec<&str> = attempt.references.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(refs, ["fastmail.fm", ".fastmail.fm"]);
    let names = attempt.connection.as_ref().unwrap().verification.as_ref().unwrap().names.as_ref().unwrap();
    let evaluated: Vec<_> = names.comparisons.iter().filter(|c| c.evaluated).collect();
    assert_eq!(evaluated.len(), 6, "two references × three DNS names");
    assert!(evaluated.iter().all(|c| !c.matched()));
    assert!(names.comparisons.iter().any(|c| c.rule == Rule::CnIgnoredDnsSanPresent));
}

#[test]
fn fixes_are_suggested_and_each_one_delivers_when_re_run() {
    let report = explain(&seed("3.7.11", POLICY));
    let lines: Vec<&str> = report.fixes.iter().map(|f| f.line.as_str()).collect();
    assert_eq!(lines.first().copied(), Some("fastmail.fm secure match=.messagingengine.com ciphers=high"), "{lines:?}");
    assert!(lines.contains(&"fastmail.fm secure match=hostname ciphers=high"));
    assert!(lines.contains(&"fastmail.fm verify ciphers=high"));
    for fix in &report.fixes {
        let fixed_policy = POLICY.replace("fastmail.fm     secure ciphers=high", &fix.line);
        let rerun = explain(&seed("3.7.11", &fixed_policy));
        assert!(rerun.verdict.delivered, "{} does not deliver", fix.line);
        assert!(!fix.cost.is_empty());
    }
}

#[test]
fn the_dot_domain_fix_is_verified_and_resists_forgery_by_design() {
    let policy = POLICY.replace("fastmail.fm     secure ciphers=high", "fastmail.fm secure match=.messagingengine.com ciphers=high");
    let report = explain(&seed("3.11.6", &policy));
    let attempt = first_attempt(&report);
    let conn = attempt.connection.as_ref().unwrap();
    assert_eq!(conn.trust, Some(TrustWord::Verified));
    assert_eq!(conn.matched_peername.as_deref(), Some("*.messagingengine.com"));
    assert_eq!(report.outcome.unwrap().status, Status::Sent);
}

#[test]
fn hearst_exact_match_fails_against_a_wildcard_only_certificate() {
    let mut s = seed("3.7.11", POLICY);
    s.destination = "user@hearst.com".into();
    s.mx = "hearst.com mail is handled by 10 mxa-00155b01.gslb.pphosted.com.\n".into();
    s.certificates = vec![ServedChain { host: String::new(), pem: fixture("hearst-wildcard-only.pem") }];
    let report = explain(&s);
    assert!(!report.verdict.delivered);
    assert!(report.fixes.iter().any(|f| f.line.contains("match=.gslb.pphosted.com")), "{:?}", report.fixes);
}

#[test]
fn no_ca_in_main_cf_means_nothing_is_trusted() {
    let mut s = seed("3.7.11", POLICY);
    s.main_cf = "smtp_tls_security_level = may\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n".into();
    let report = explain(&s);
    assert!(report.diagnostics.iter().any(|d| d.code == "maincf.no-ca"));
    let conn = first_attempt(&report).connection.clone().unwrap();
    assert_eq!(conn.trust, Some(TrustWord::Untrusted));
    assert!(conn.failure_line.unwrap().contains("untrusted issuer"));

    // tls_append_default_CA adds the system's CAs only to a CAfile or CApath
    // (tls_set_ca_certificate_info()): alone it trusts nothing either.
    s.main_cf.push_str("tls_append_default_CA = yes\n");
    let report = explain(&s);
    assert!(report.diagnostics.iter().any(|d| d.code == "maincf.no-ca"));
    assert_eq!(first_attempt(&report).connection.clone().unwrap().trust, Some(TrustWord::Untrusted));
}

#[test]
fn report_round_trips_through_json() {
    let report = explain(&seed("3.7.11", POLICY));
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back.verdict, report.verdict);
    assert_eq!(back.trace.len(), report.trace.len());
    let scenario = seed("3.7.11", POLICY);
    let s: Scenario = serde_json::from_str(&serde_json::to_string(&scenario).unwrap()).unwrap();
    assert_eq!(s, scenario);
}

#[test]
fn an_unknown_fingerprint_digest_disables_tls_and_says_so() {
    // Recorded from Postfix 3.7.11 (tests/fixtures/oracle-extra, cases/digests.json).
    let mut scenario = seed("3.7.11", POLICY);
    scenario.main_cf.push_str("smtp_tls_fingerprint_digest = sha1, sha256\n");
    let report = explain(&scenario);
    let outcome = report.outcome.clone().unwrap();
    assert_eq!(outcome.status, Status::Deferred);
    assert_eq!(outcome.reason.as_deref(), Some("TLS is required, but our TLS engine is unavailable"));
    let d = report.diagnostics.iter().find(|d| d.code == "maincf.unknown-digest").expect("a main.cf finding");
    assert_eq!(d.position.map(|p| p.line), Some(5));
    let delivery = report.delivery.as_ref().unwrap();
    assert_eq!(delivery.warnings[..2], ["Digest algorithm \"sha1, sha256\" not found", "disabling TLS support"]);
    let server = report.trace.iter().find(|s| s.title.starts_with("Server ")).expect("a server step");
    assert_eq!(server.summary, "TLS is required, but our TLS engine is unavailable");

    // At may the mail goes in plain text, and the walk says why TLS was not used.
    let mut scenario = seed("3.7.11", "fastmail.fm may\n");
    scenario.main_cf.push_str("smtp_tls_fingerprint_digest = bogus\n");
    let report = explain(&scenario);
    assert_eq!(report.outcome.clone().unwrap().status, Status::Sent);
    let server = report.trace.iter().find(|s| s.title.starts_with("Server ")).expect("a server step");
    assert_eq!(server.summary, "TLS support is disabled: plaintext");
}


#[test]
fn each_certificate_names_the_input_it_was_read_from() {
    // Two inputs, the second with a host name in mixed case: the page shows each pane what was
    // read from it by this number, whatever the host's spelling.
    let mut s = seed("3.7.11", POLICY);
    s.certificates.push(ServedChain { host: " IN2-SMTP.MessagingEngine.com ".into(), pem: fixture("hearst-wildcard-only.pem") });
    let report = explain(&s);
    let inputs: Vec<(usize, &str, usize)> = report.certificates.iter().map(|c| (c.input, c.host.as_str(), c.index)).collect();
    assert_eq!(inputs.first(), Some(&(0, "", 0)));
    assert!(inputs.iter().filter(|c| c.0 == 0).all(|c| c.1.is_empty()), "{inputs:?}");
    let second: Vec<_> = inputs.iter().filter(|c| c.0 == 1).collect();
    assert!(!second.is_empty(), "{inputs:?}");
    assert!(second.iter().all(|c| c.1 == "in2-smtp.messagingengine.com"), "{inputs:?}");
    assert_eq!(second[0].2, 0);
}

#[test]
fn posttls_finger_trusts_only_what_minus_f_or_minus_p_names() {
    // posttls-finger reads no CAfile or CApath from main.cf (spec §9: -F and -P default to none).
    let finger = |args: &[&str]| {
        let mut s = seed("3.7.11", POLICY);
        s.main_cf.push_str("smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n");
        s.destination = "fastmail.fm".into();
        s.probe = peername_engine::scenario::Probe::Finger { level: "encrypt".into(), matches: Vec::new(), args: args.iter().map(|a| a.to_string()).collect() };
        explain(&s)
    };
    let trust = |report: &Report| report.finger.as_ref().and_then(|f| f.connection.as_ref()).and_then(|c| c.trust);
    let bare = finger(&[]);
    assert!(bare.diagnostics.iter().any(|d| d.code == "scenario.finger-no-ca"));
    assert_eq!(trust(&bare), Some(TrustWord::Untrusted));
    for args in [["-F", "/etc/ssl/certs/ca-certificates.crt"], ["-P", "/etc/ssl/certs"]] {
        let report = finger(&args);
        assert!(!report.diagnostics.iter().any(|d| d.code == "scenario.finger-no-ca"), "{args:?}");
        assert_eq!(trust(&report), Some(TrustWord::Trusted), "{args:?}");
    }
}

#[test]
fn policy_maps_the_engine_cannot_read_as_postfix_does_are_named() {
    let notes = |maps: &str| {
        let mut s = seed("3.7.11", POLICY);
        s.main_cf = MAIN_CF.replace("hash:/etc/postfix/tls_policy", maps);
        explain(&s).diagnostics.into_iter().filter(|d| d.code.contains("policy-map")).map(|d| d.code).collect::<Vec<_>>()
    };
    assert!(notes("hash:/etc/postfix/tls_policy").is_empty());
    assert_eq!(notes("hash:/etc/postfix/tls_policy, texthash:/etc/postfix/sts"), ["maincf.several-policy-maps"]);
    assert_eq!(notes("regexp:/etc/postfix/tls_policy"), ["maincf.pattern-policy-map"]);
    assert_eq!(notes("proxy:pcre:/etc/postfix/tls_policy hash:/etc/postfix/more"), ["maincf.several-policy-maps", "maincf.pattern-policy-map"]);
}

#[test]
fn a_digest_openssl_knows_but_peername_does_not_compute_is_said() {
    let codes = |extra: &str| {
        let mut s = seed("3.7.11", POLICY);
        s.main_cf.push_str(extra);
        explain(&s).diagnostics.into_iter().map(|d| d.code).collect::<Vec<_>>()
    };
    assert!(codes("smtp_tls_fingerprint_digest = sha3-256\n").contains(&"scenario.digest-not-modelled".to_string()));
    for modelled in ["sha256", "SHA384", "md5"] {
        assert!(!codes(&format!("smtp_tls_fingerprint_digest = {modelled}\n")).contains(&"scenario.digest-not-modelled".to_string()), "{modelled}");
    }
    // An unknown name is Postfix's own error, not this.
    assert!(!codes("smtp_tls_fingerprint_digest = bogus\n").contains(&"scenario.digest-not-modelled".to_string()));
}

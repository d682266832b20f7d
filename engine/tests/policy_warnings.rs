//! The order of the warnings Postfix logs while it builds a policy from a table entry, where it
//! differs between versions (recorded from 3.7.11 and 3.11.6, tests/fixtures/oracle-extra2).

use peername_engine::explain;
use peername_engine::scenario::Scenario;

mod common;

fn warnings(version: &str, policy: &str) -> Vec<String> {
    explain(&common::fastmail(version, "", policy)).delivery.map(|d| d.warnings).unwrap_or_default()
}

#[test]
fn before_3_9_match_fingerprints_are_decoded_as_the_attribute_is_read() {
    // enable_rpk came with 3.9: in 3.7 it is an invalid attribute, read after match=.
    let policy = "fastmail.fm fingerprint match=hostname enable_rpk=yes\n";
    let w = warnings("3.7.11", policy);
    assert_eq!(w[0], "malformed fingerprint value: hostname", "{w:?}");
    assert!(w[1].ends_with("invalid attribute name: \"enable_rpk\""), "{w:?}");

    // 3.11 decodes them once the entry is read: the warning, then no fingerprints to match.
    let w = warnings("3.11.6", policy);
    assert_eq!(w[0], "malformed fingerprint value: hostname", "{w:?}");
    assert!(w[1].contains("configured at fingerprint security level, but with no fingerprints to match"), "{w:?}");

    // A valid entry warns once, in both.
    for version in ["3.7.11", "3.11.6"] {
        let w = warnings(version, "fastmail.fm fingerprint match=zz|hostname\n");
        assert_eq!(w.iter().filter(|x| x.starts_with("malformed fingerprint value")).count(), 2, "{version}: {w:?}");
    }
}

#[test]
fn an_invalid_main_cf_servername_makes_the_policy_invalid() {
    // policy_create(): the main.cf name is checked as servername= is (spec: smtp_tls_servername).
    let mut w = warnings("3.7.11", "fastmail.fm encrypt\n");
    assert!(w.is_empty(), "{w:?}");
    let scenario = Scenario {
        main_cf: "smtp_tls_security_level = encrypt\nsmtp_tls_servername = bad_name!\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n".into(),
        ..common::fastmail("3.7.11", "", "")
    };
    let report = explain(&scenario);
    w = report.delivery.as_ref().map(|d| d.warnings.clone()).unwrap_or_default();
    assert_eq!(w[0], "\"smtp_tls_servername = bad_name!\" specifies an invalid hostname", "{w:?}");
    let outcome = report.outcome.expect("an outcome");
    assert_eq!(outcome.reason.as_deref(), Some("client TLS configuration problem"));
}

#[test]
fn an_old_compatibility_level_s_md5_digest_is_announced() {
    // tls_dane_add_fpt_digests() (3.6+): the default digest is md5 only for compatibility.
    let log = |main_cf_extra: &str| {
        let scenario = Scenario {
            main_cf: format!("smtp_tls_security_level = may\nsmtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n{main_cf_extra}"),
            ..common::fastmail("3.11.6", "", "fastmail.fm fingerprint match=AB:CD\n")
        };
        explain(&scenario).log.iter().any(|l| l.text.starts_with("using backwards-compatible default setting smtp_tls_fingerprint_digest=md5"))
    };
    assert!(log("compatibility_level = 2\n"));
    assert!(log(""), "no compatibility_level is level 0");
    assert!(!log("compatibility_level = 3.6\n"));
    assert!(!log("compatibility_level = 2\nsmtp_tls_fingerprint_digest = md5\n"));
}

//! The legacy `smtp_tls_per_site` table (spec §1.4): smtp(8) ignores it, with a warning, when
//! `smtp_tls_policy_maps` is set; otherwise Postfix would read it, and peername, which does not,
//! says so instead of explaining a decision it did not make.

use peername_engine::explain;
use peername_engine::report::Report;
use peername_engine::scenario::Scenario;

mod common;

const IGNORED: &str = "smtp_tls_per_site ignored when smtp_tls_policy_maps is not empty.";

fn report(main_cf: &str) -> Report {
    explain(&Scenario { main_cf: main_cf.into(), ..common::fastmail("3.11.6", "", "fastmail.fm secure ciphers=high\n") })
}

fn ignored_warnings(report: &Report) -> usize {
    report.delivery.as_ref().map(|d| d.warnings.iter().filter(|w| w.as_str() == IGNORED).count()).unwrap_or_default()
}

fn per_site_diagnostic(report: &Report) -> Option<&peername_engine::diag::Diagnostic> {
    report.diagnostics.iter().find(|d| d.code == "maincf.per-site-not-modelled")
}

const BASE: &str = "smtp_tls_security_level = may\nsmtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt\n";

#[test]
fn with_a_policy_table_smtp_warns_that_the_per_site_table_is_ignored() {
    let r = report(&format!("{BASE}smtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\nsmtp_tls_per_site = hash:/etc/postfix/tls_per_site\n"));
    assert_eq!(ignored_warnings(&r), 1);
    let line = r.log.iter().find(|l| l.text == IGNORED).expect("the warning is a log line");
    assert_eq!((line.program.as_str(), line.message()), ("smtp", format!("warning: {IGNORED}")));
    assert!(per_site_diagnostic(&r).is_none(), "the table decides: nothing is left unexplained");
    // The policy table still decides: the seed's certificate never names fastmail.fm.
    assert_eq!(r.outcome.as_ref().and_then(|o| o.dsn.as_deref()), Some("4.7.5"));
}

#[test]
fn without_a_policy_table_the_unread_per_site_table_is_named() {
    let main_cf = format!("{BASE}smtp_tls_per_site = hash:/etc/postfix/tls_per_site\n");
    let r = report(&main_cf);
    assert_eq!(ignored_warnings(&r), 0);
    let d = per_site_diagnostic(&r).expect("a diagnostic");
    assert_eq!(d.params.get("table").map(String::as_str), Some("hash:/etc/postfix/tls_per_site"));
    let span = d.span.expect("it points at the setting");
    assert_eq!(&main_cf[span.start..span.end], "hash:/etc/postfix/tls_per_site");
}

#[test]
fn a_master_cf_override_that_empties_the_policy_maps_brings_the_per_site_table_back() {
    // spec §8: `-o smtp_tls_policy_maps=` disables the table for that transport only.
    let service = "smtp      unix  -       -       n       -       -       smtp\n  -o smtp_tls_policy_maps=\n";
    let r = report(&format!("{BASE}smtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\nsmtp_tls_per_site = hash:/etc/postfix/tls_per_site\n{service}"));
    assert_eq!(ignored_warnings(&r), 0);
    assert!(per_site_diagnostic(&r).is_some());
}

#[test]
fn no_per_site_table_no_word_about_it() {
    for main_cf in [format!("{BASE}smtp_tls_policy_maps = texthash:/etc/postfix/tls_policy\n"), format!("{BASE}smtp_tls_per_site =\n")] {
        let r = report(&main_cf);
        assert_eq!(ignored_warnings(&r), 0, "{main_cf}");
        assert!(per_site_diagnostic(&r).is_none(), "{main_cf}");
    }
}

//! smtp(8) at other `smtp_tls_loglevel` settings than the oracle's `routine,certmatch`.
//!
//! The oracle recorded every case with certmatch logging on. These expectations are built
//! from the Postfix source instead (tls_client.c `verify_extract_name()` ≤3.5 and
//! `verify_x509()` 3.6+, tls_misc.c `tls_log_table`), on recorded cases' inputs with only the
//! loglevel changed:
//!
//! - `TLS_LOG_1` (`1`, `routine`) is the summary line only; `2` adds verbose, cache and
//!   OpenSSL debug logging but neither certmatch nor untrusted.
//! - ≤3.5 looks at the names only when it must verify them (trusted chain, must-trust level,
//!   not matched by a digest) or when certmatch logging asks for it; without certmatch it stops
//!   at the first matching SAN, and without looking at the names `subject_CN` is the
//!   CommonName. The `[Matched ]subjectAltName`/`CommonName` lines need certmatch or verbose.
//! - 3.6+ leaves names to OpenSSL: the loglevel only decides which lines appear
//!   (`matched peername` and `subject_CN` need certmatch, verbose or peercert).

use peername_engine::explain::explain_without_fixes;
use peername_engine::logs::{shown_at, LogLine};
use peername_engine::replay::{scenario_of, CaFiles};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The report's log for a recorded policy case run at `loglevel`: (every predicted line,
/// the lines `loglevel` shows), TLS lines only, without the `postfix/smtp[PID]: ` prefix.
fn logs(version: &str, id: &str, loglevel: &str) -> (Vec<LogLine>, Vec<String>) {
    let dir = fixtures().join("oracle");
    let cas = CaFiles { ca: read(&dir.join("ca.pem")), untrusted: read(&dir.join("untrusted-ca.pem")) };
    let case: Value = read(&dir.join(version).join("expectations.jsonl"))
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|c| c.get("id").and_then(Value::as_str) == Some(id) && c.get("mode").and_then(Value::as_str) == Some("policy"))
        .unwrap_or_else(|| panic!("no policy case {id} for {version}"));
    let mut scenario = scenario_of(&case, &cas);
    scenario.main_cf = scenario.main_cf.replace("smtp_tls_loglevel = routine,certmatch", &format!("smtp_tls_loglevel = {loglevel}"));
    assert!(scenario.main_cf.contains(&format!("smtp_tls_loglevel = {loglevel}\n")));
    let log: Vec<LogLine> = explain_without_fixes(&scenario).log.into_iter().filter(|l| l.program == "smtp").collect();
    let shown = log
        .iter()
        .filter(|l| shown_at(loglevel, l.verbosity))
        .map(LogLine::message)
        .filter(|m| !m.contains("status=") && !m.contains("TLS level"))
        .map(|m| m.split(", issuer_CN=").next().unwrap_or_default().to_string())
        .map(|m| m.split(": TLSv1.3").next().unwrap_or_default().to_string())
        .collect();
    (log, shown)
}

const PEER: &str = "mx.example.net[127.0.0.1]:25";

/// `verify`, SANs `mx.example.net` (matches) then `example.com`, no CommonName.
const VERIFY_CASE: &str = "attr-level-mixed-case-verify";
/// `may`, an expired certificate with the same names.
const MAY_CASE: &str = "trust-may-expired";

#[test]
fn legacy_certmatch_checks_and_lists_every_name() {
    let (_, shown) = logs("3.5.27", VERIFY_CASE, "routine,certmatch");
    assert_eq!(
        shown,
        vec![
            format!("{PEER}: Matched subjectAltName: mx.example.net"),
            format!("{PEER}: subjectAltName: example.com"),
            format!("{PEER} CommonName "),
            format!("{PEER}: subject_CN=mx.example.net"),
            format!("Verified TLS connection established to {PEER}"),
        ]
    );
}

#[test]
fn legacy_loglevel_2_stops_at_the_first_match() {
    let (_, shown) = logs("3.5.27", VERIFY_CASE, "2");
    assert_eq!(
        shown,
        vec![
            format!("{PEER}: Matched subjectAltName: mx.example.net"),
            // The superseded CommonName is still logged after the loop.
            format!("{PEER} CommonName "),
            format!("{PEER}: subject_CN=mx.example.net"),
            format!("Verified TLS connection established to {PEER}"),
        ]
    );
}

#[test]
fn legacy_loglevel_1_logs_the_summary_only() {
    let (all, shown) = logs("3.5.27", VERIFY_CASE, "1");
    assert_eq!(shown, vec![format!("Verified TLS connection established to {PEER}")]);
    // What certmatch would add is still predicted, for the reader, but not shown.
    assert!(all.iter().any(|l| l.text == format!("{PEER}: subjectAltName: example.com") && !shown_at("1", l.verbosity)));
}

#[test]
fn legacy_peercert_alone_shows_the_peer_line_but_no_name_lines() {
    let (_, shown) = logs("3.5.27", VERIFY_CASE, "routine,peercert");
    assert_eq!(shown, vec![format!("{PEER}: subject_CN=mx.example.net"), format!("Verified TLS connection established to {PEER}")]);
}

#[test]
fn legacy_may_without_certmatch_never_looks_at_the_names() {
    // With certmatch the SANs are scanned and the first one becomes subject_CN…
    let (_, certmatch) = logs("3.5.27", MAY_CASE, "routine,certmatch");
    assert!(certmatch.contains(&format!("{PEER}: subject_CN=mx.example.net")));
    assert!(certmatch.contains(&format!("{PEER}: subjectAltName: mx.example.net")));
    // …without it, at may, subject_CN is the (empty) CommonName and no name line is logged.
    let (_, two) = logs("3.5.27", MAY_CASE, "2");
    assert_eq!(two, vec![format!("{PEER}: subject_CN="), format!("Untrusted TLS connection established to {PEER}")]);
    let (_, one) = logs("3.5.27", MAY_CASE, "1");
    assert_eq!(one, vec![format!("Untrusted TLS connection established to {PEER}")]);
}

#[test]
fn the_untrusted_keyword_logs_verification_failures_at_may() {
    let (_, legacy) = logs("3.5.27", MAY_CASE, "routine,untrusted");
    assert_eq!(
        legacy,
        vec![
            format!("server certificate verification failed for {PEER}: certificate has expired"),
            format!("Untrusted TLS connection established to {PEER}"),
        ]
    );
    let (_, modern) = logs("3.11.6", MAY_CASE, "routine,untrusted");
    assert_eq!(modern.len(), 2, "{modern:?}");
    assert!(modern[0].contains("certificate verification failed for mx.example.net[127.0.0.1]:25: certificate has expired"), "{modern:?}");
    let (_, plain) = logs("3.11.6", MAY_CASE, "1");
    assert_eq!(plain, vec![format!("Untrusted TLS connection established to {PEER}")]);
}

#[test]
fn modern_versions_only_filter_lines() {
    for version in ["3.7.11", "3.11.6"] {
        let (_, certmatch) = logs(version, VERIFY_CASE, "routine,certmatch");
        let (_, two) = logs(version, VERIFY_CASE, "2");
        let (_, peercert) = logs(version, VERIFY_CASE, "routine,peercert");
        assert_eq!(certmatch, two, "{version}");
        assert_eq!(certmatch, peercert, "{version}");
        assert_eq!(certmatch[0], format!("{PEER}: matched peername: mx.example.net"), "{version}");
        let (_, one) = logs(version, VERIFY_CASE, "1");
        assert_eq!(one, vec![format!("Verified TLS connection established to {PEER}")], "{version}");
        let (_, none) = logs(version, VERIFY_CASE, "certmatch");
        assert_eq!(none.len(), 2, "certmatch alone has no summary: {none:?}");
    }
}

/// posttls-finger output for a recorded finger case run with `-L loglevel`.
fn finger_output(version: &str, id: &str, loglevel: &str) -> Vec<String> {
    let dir = fixtures().join("oracle");
    let cas = CaFiles { ca: read(&dir.join("ca.pem")), untrusted: read(&dir.join("untrusted-ca.pem")) };
    let case: Value = read(&dir.join(version).join("expectations.jsonl"))
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|c| c.get("id").and_then(Value::as_str) == Some(id) && c.get("mode").and_then(Value::as_str) == Some("finger"))
        .unwrap_or_else(|| panic!("no finger case {id} for {version}"));
    let mut scenario = scenario_of(&case, &cas);
    if let peername_engine::scenario::Probe::Finger { args, .. } = &mut scenario.probe {
        args.extend(["-L".to_string(), loglevel.to_string()]);
    }
    explain_without_fixes(&scenario)
        .log
        .iter()
        .filter(|l| shown_at(loglevel, l.verbosity))
        .map(|l| l.message().split(": TLSv1.3").next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn legacy_name_warnings_need_no_certmatch_when_the_names_are_verified() {
    // secure, a trusted chain, one UTF-8 dNSName (refused) and no match: the names are
    // checked for verification, so the refusal is logged even at -L routine.
    let peer = "mx.xn--bcher-kva.example[127.0.0.1]:25";
    let routine = finger_output("3.5.27", "idn-ulabel-nexthop-utf8-san", "routine");
    assert_eq!(
        routine,
        vec![
            "bücher.example asciified to xn--bcher-kva.example".to_string(),
            format!("warning: tls_dns_name: {peer}: non-printable characters in subjectAltName: bücher.example"),
            format!("Trusted TLS connection established to {peer}"),
        ]
    );
    let certmatch = finger_output("3.5.27", "idn-ulabel-nexthop-utf8-san", "routine,certmatch");
    assert_eq!(certmatch.len(), 5, "{certmatch:?}");
    assert_eq!(certmatch[2], format!("{peer} CommonName "));
}

//! `peername explain --log FILE`: the reading alone, the reading with the inputs that complete
//! it (explanation and cross-check), JSON output, standard input, and the exit codes
//! (0 delivered, 1 deferred/bounced, 2 bad input).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn engine_fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/fixtures").join(path)
}

fn peername() -> Command {
    let mut c = Command::cargo_bin("peername").expect("the peername binary");
    // English: the assertions read its words (the locale would choose otherwise).
    c.env("NO_COLOR", "1").env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "C");
    c
}

fn stdout(c: &mut Command) -> (i32, String) {
    let out = c.output().expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

/// A raw log of one oracle case, written to a temporary file.
fn oracle_log(version: &str, id: &str, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(engine_fixture(&format!("logs/oracle/{version}.jsonl"))).expect("fixture");
    let rec: Value = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|r| r["id"] == id && r["corpus"] == "oracle")
        .unwrap_or_else(|| panic!("{id} in {version}"));
    let path = dir.join(format!("{id}-{version}.log"));
    std::fs::write(&path, rec["raw"].as_str().unwrap_or("")).expect("write log");
    path
}

/// A fresh directory under the system's temporary directory, removed with everything in it
/// when the test ends (pass or fail).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("peername-cli-log-{name}-")).tempdir().expect("temp dir")
}

#[test]
fn seed_log_alone_prints_the_reading() {
    let seed = engine_fixture("logs/seeds/000_30dac022df0447e0.txt");
    let (code, out) = stdout(peername().args(["explain", "--log"]).arg(&seed));
    assert_eq!(code, 1, "the log shows a deferral\n{out}");
    for needle in [
        "Postfix version: 2.11.0",
        "per-name \"subjectAltName:\"",
        "Failing stage: name-match",
        "in1-smtp.messagingengine.com[66.111.4.74]:25",
        "subjectAltName *.messagingengine.com",
        "destination = fastmail.fm",
        "Complete these",
        "policy_table",
        "Unread: 241 lines",
    ] {
        assert!(out.contains(needle), "{needle:?} missing:\n{out}");
    }
}

#[test]
fn seed_log_with_policy_and_certificate_is_explained_and_cross_checked() {
    let dir = temp_dir("seed");
    let policy = dir.path().join("tls_policy");
    std::fs::write(&policy, "fastmail.fm     secure ciphers=high\n").expect("policy");
    let (code, out) = stdout(
        peername()
            .args(["explain", "--log"])
            .arg(engine_fixture("logs/seeds/003_66fbd687d0cbce27.txt"))
            .arg("--policy")
            .arg(&policy)
            .arg("--cert")
            .arg(engine_fixture("seed/fastmail-replica.pem")),
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("NOT DELIVERED"), "{out}");
    assert!(out.contains("Cross-check: 2 difference(s)"), "{out}");
    assert!(out.contains("not the one the server presented"), "{out}");
}

#[test]
fn a_real_log_agrees_and_another_era_is_named() {
    let dir = temp_dir("era");
    let log = oracle_log("3.7.11", "seed-fastmail-secure-ciphers-high", dir.path());
    let policy = dir.path().join("tls_policy");
    std::fs::write(&policy, "fastmail.fm secure ciphers=high\n").expect("policy");
    // The smtp -v log shows the global level; main.cf must say the same (and name a CAfile).
    let main_cf = dir.path().join("main.cf");
    std::fs::write(&main_cf, "smtp_tls_security_level = may\nsmtp_tls_CAfile = /etc/postfix/ca.pem\nsmtp_tls_policy_maps = hash:/etc/postfix/tls_policy\n").expect("main.cf");
    let run = |extra: &[&str]| {
        stdout(
            peername()
                .args(["explain", "--log"])
                .arg(&log)
                .arg("--policy")
                .arg(&policy)
                .arg("--cert")
                .arg(engine_fixture("seed/fastmail-replica.pem"))
                .arg("--ca-file")
                .arg(engine_fixture("oracle/ca.pem"))
                .arg("--main-cf")
                .arg(&main_cf)
                .args(extra),
        )
    };
    let (code, out) = run(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Postfix version: 3.7.11"), "{out}");
    assert!(out.contains("your log agrees with what Postfix 3.7.11 would do"), "{out}");
    let (code, out) = run(&["--postfix", "3.11.6"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trust-word"), "{out}");
    assert!(out.contains("3.6–3.10.3"), "{out}");
}

#[test]
fn a_delivered_log_exits_zero_and_json_has_the_reading() {
    let dir = temp_dir("sent");
    let log = oracle_log("3.11.6", "seed-facebook-secure-ciphers-high", dir.path());
    let (code, out) = stdout(peername().args(["explain", "--log"]).arg(&log));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("none (delivered)"), "{out}");
    let out = peername().args(["explain", "--json", "--log"]).arg(&log).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["reading"]["era"]["suggested_version"], "3.11.6");
    assert_eq!(v["reading"]["stage"]["stage"], "none");
    assert!(v["reading"]["filled"].as_array().is_some_and(|f| f.iter().any(|x| x["field"] == "policy_table")), "maps_find gives the entry");
}

#[test]
fn standard_input_is_read() {
    let log = "postfix/smtp[1]: Untrusted TLS connection established to mx.example.net[127.0.0.1]:25: TLSv1.3\n\
               postfix/smtp[1]: 542729C644F: to=<user@example.com>, relay=mx.example.net[127.0.0.1]:25, delay=0.05, delays=0.02/0.03/0.01/0, dsn=4.7.5, status=deferred (Server certificate not verified)\n";
    let (code, out) = stdout(peername().args(["explain", "--log", "-"]).write_stdin(log));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Failing stage: chain-trust"), "{out}");
}

#[test]
fn bad_input_exits_two() {
    let (code, out) = stdout(peername().args(["explain", "--log", "/nonexistent/maillog"]));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no such file"), "{out}");
    let dir = temp_dir("garbage");
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, [0u8, 159, 146, 150, 10, 255, 254, 0, 1, 2]).expect("write");
    let (code, out) = stdout(peername().args(["explain", "--log"]).arg(&garbage));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is a Postfix TLS log line"), "{out}");
}

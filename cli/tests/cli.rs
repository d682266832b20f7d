//! The `peername` binary end to end: the seed question explained in text (snapshots) and
//! JSON, DANE inputs, lint findings with exact positions, replay over the vendored oracle
//! fixtures, and the exit codes (explain: 0 delivered, 1 not delivered, 2 bad input; lint:
//! 0 clean, 1 findings, 2 unreadable input), and `--lang`: the words translated, Postfix's own
//! text verbatim.

use assert_cmd::Command;
use peername_i18n::{fill, lookup, Lang};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn peername() -> Command {
    let mut c = Command::cargo_bin("peername").expect("the peername binary");
    // English unless a test asks for another language (the locale would choose otherwise).
    c.env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "C");
    c
}

/// Runs and returns (exit code, stdout, stderr).
fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().expect("runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A fresh directory under the system's temporary directory, removed with everything in it
/// when the test ends (pass or fail).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("peername-cli-{name}-")).tempdir().expect("temp dir")
}

fn example(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo("examples").join(name)).expect("example")).expect("JSON")
}

/// The seed question from files, as an admin would run it.
fn seed_args<'c>(c: &'c mut Command, version: &str) -> &'c mut Command {
    let inputs = repo("engine/tests/fixtures/inputs");
    c.arg("explain")
        .arg("--policy")
        .arg(inputs.join("tls_policy"))
        .arg("--main-cf")
        .arg(inputs.join("main.cf"))
        .arg("--mx-file")
        .arg(inputs.join("host-mx.txt"))
        .arg("--cert")
        .arg(repo("engine/tests/fixtures/seed/fastmail-replica.pem"))
        .args(["--to", "user@fastmail.fm", "--postfix", version, "--at", "2026-11-23T00:00:00Z", "--ca-trusted", "yes"])
}

#[test]
fn seed_explained_in_text_walks_every_step() {
    for (version, word) in [("3.5.27", "Trusted"), ("3.7.11", "Untrusted"), ("3.11.6", "Trusted")] {
        let (code, out, _) = run(seed_args(&mut peername(), version));
        assert_eq!(code, 1, "deferred means exit 1\n{out}");
        for needle in [
            "Found \"fastmail.fm\" after trying fastmail.fm",
            "secure (from policy entry \"fastmail.fm\" (line 4))",
            "nexthop, dot-nexthop (from the built-in default of smtp_tls_secure_cert_match)",
            "references: nexthop → fastmail.fm, dot-nexthop → .fastmail.fm",
            "NOT DELIVERED: deferred 4.7.5 (Server certificate not verified)",
            "fastmail.fm secure match=.messagingengine.com ciphers=high",
            &format!("{word} TLS connection established to in1-smtp.messagingengine.com"),
        ] {
            assert!(out.contains(needle), "{version}: missing {needle:?}\n{out}");
        }
        // Every reference × certificate name comparison is shown.
        assert_eq!(out.matches("× *.messagingengine.com").count(), 4, "{version}\n{out}");
        assert!(!out.contains("\u{1b}["), "no colour when not a terminal");
    }
}

#[test]
fn seed_explained_as_json_has_the_report_and_verified_fixes() {
    let (code, out, _) = run(seed_args(&mut peername(), "3.7.11").arg("--json"));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).expect("the report is JSON");
    assert_eq!(report["verdict"]["delivered"], false);
    assert_eq!(report["outcome"]["dsn"], "4.7.5");
    assert_eq!(report["outcome"]["reason"], "Server certificate not verified");
    let fixes = report["fixes"].as_array().expect("fixes");
    assert!(fixes.len() >= 3 && fixes.iter().all(|f| f["delivers"] == true), "{fixes:?}");
    assert!(report["trace"].as_array().is_some_and(|t| t.len() >= 10));
}

#[test]
fn the_example_gallery_renders_as_reviewed() {
    for (name, code) in [("fastmail.json", 1), ("fastmail-fixed.json", 0), ("facebook.json", 0), ("hearst.json", 0)] {
        let (got, out, err) = run(peername().arg("explain").arg("--scenario").arg(repo("examples").join(name)));
        assert_eq!(got, code, "{name}\n{out}{err}");
        insta::assert_snapshot!(name.trim_end_matches(".json"), out);
    }
}

#[test]
fn a_scenario_on_standard_input_gives_the_same_report() {
    let path = repo("examples/hearst.json");
    let (_, from_file, _) = run(peername().args(["explain", "--json", "--scenario"]).arg(&path));
    let (_, from_stdin, _) = run(peername().args(["explain", "--json", "--scenario", "-"]).write_stdin(std::fs::read(&path).expect("example")));
    assert_eq!(from_file, from_stdin);
}

#[test]
fn dane_inputs_from_files_agree_with_the_scenario() {
    let scenario = example("dane.json");
    let dir = temp_dir("dane");
    let write = |name: &str, key: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, scenario[key].as_str().unwrap_or_default()).expect("write");
        path
    };
    let cert = dir.path().join("chain.pem");
    std::fs::write(&cert, scenario["certificates"][0]["pem"].as_str().unwrap_or_default()).expect("write");
    let mut c = peername();
    c.arg("explain")
        .arg("--json")
        .arg("--policy")
        .arg(write("tls_policy", "policy_table"))
        .arg("--main-cf")
        .arg(write("main.cf", "main_cf"))
        .arg("--mx-file")
        .arg(write("mx.txt", "mx"))
        .arg("--tlsa")
        .arg(write("tlsa.txt", "tlsa"))
        .arg("--cert")
        .arg(&cert)
        .args(["--to", scenario["destination"].as_str().unwrap_or_default()])
        .args(["--postfix", scenario["postfix_version"].as_str().unwrap_or_default()])
        .args(["--at", scenario["evaluated_at"].as_str().unwrap_or_default()])
        .args(["--dnssec", if scenario["dnssec_validated"] == true { "yes" } else { "no" }]);
    if !scenario["addresses"].as_str().unwrap_or_default().is_empty() {
        c.arg("--addresses").arg(write("addresses.txt", "addresses"));
    }
    let (code, out, err) = run(&mut c);
    let (want_code, want, _) = run(peername().args(["explain", "--json", "--scenario"]).arg(repo("examples/dane.json")));
    assert_eq!(code, want_code, "{err}");
    let (got, want): (Value, Value) = (serde_json::from_str(&out).expect("JSON"), serde_json::from_str(&want).expect("JSON"));
    assert_eq!(got["verdict"], want["verdict"]);
    assert_eq!(got["log"], want["log"]);
    assert!(got["log"].to_string().contains("DANE"), "{}", got["log"]);
}

#[test]
fn bad_input_is_one_line_per_problem_and_exit_2() {
    let dir = temp_dir("bad");
    let key = dir.path().join("key.pem");
    std::fs::write(&key, "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHcA1JY8h1Xo7L8uV2f3mJk8D1yX8CkVQeN4CG8fKbBN\n-----END PRIVATE KEY-----\n").expect("write");
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<u8>>()).expect("write");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--policy".into(), "/nonexistent/tls_policy".into(), "--to".into(), "a@b.example".into()], "no such file"),
        (vec!["--to".into(), "a@b.example".into(), "--postfix".into(), "9.9".into()], "outside the versions"),
        (vec!["--to".into(), "a@b.example".into(), "--cert".into(), key.display().to_string()], "private key"),
        (vec!["--to".into(), "a@b.example".into(), "--cert".into(), garbage.display().to_string()], "no certificate"),
        (vec!["--to".into(), "a@b.example".into(), "--ca-trusted".into(), "maybe".into()], "expected yes or no"),
        (vec!["--to".into(), "a@b.example".into(), "--at".into(), "yesterday".into()], "RFC 3339"),
        (vec!["--scenario".into(), garbage.display().to_string()], "binary data"),
        (vec![], "destination"),
    ];
    for (args, needle) in cases {
        let (code, out, err) = run(peername().arg("explain").args(&args));
        assert_eq!(code, 2, "{args:?}\n{out}{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
        assert!(err.lines().all(|l| l.starts_with("peername: ") || l.starts_with("error:") || l.trim().is_empty() || l.starts_with("Usage") || l.starts_with("For more")), "{err}");
    }
    // Two problems, two lines.
    let (code, _, err) = run(peername().args(["explain", "--to", "a@b.example", "--postfix", "1.0", "--cert"]).arg(&key));
    assert_eq!((code, err.lines().filter(|l| l.starts_with("peername: ")).count()), (2, 2), "{err}");
}

/// (code, line, column) of each finding, from `--format json`.
fn findings(out: &str) -> Vec<(String, u64, u64)> {
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("one JSON object per line"))
        .map(|v| (v["code"].as_str().unwrap_or_default().to_string(), v["position"]["line"].as_u64().unwrap_or(0), v["position"]["column"].as_u64().unwrap_or(0)))
        .collect()
}

#[test]
fn lint_finds_one_of_each_mistake_at_its_exact_position() {
    let table = repo("cli/tests/fixtures/lint/one-of-each.tbl");
    let (code, out, _) = run(peername().args(["lint", "--postfix", "3.3.0", "--texthash", "--format", "json"]).arg(&table));
    assert_eq!(code, 1);
    assert_eq!(
        findings(&out),
        [
            ("policy.invalid-attribute-name", 2, 20),
            ("lint.duplicate-key", 3, 1),
            ("lint.key-trailing-dot", 4, 1),
            ("policy.malformed-attribute", 6, 39),
            ("lint.unreachable-match", 7, 26),
            ("lint.fingerprint-length", 10, 32),
            ("policy.attribute-invalid-at-level", 11, 18),
            ("policy.invalid-level", 12, 13),
            ("lint.dot-key-not-bare", 5, 1),
        ]
        .map(|(c, l, col)| (c.to_string(), l, col))
    );
    assert!(out.contains(&format!("{}, line 3: duplicate entry", table.display())), "FILE is replaced by the path");
    // Text: rustc style, with the line and a caret under the exact bytes.
    let (code, text, _) = run(peername().args(["lint", "--postfix", "3.3.0", "--texthash"]).arg(&table));
    assert_eq!(code, 1);
    let expected = format!(
        "error[policy.invalid-attribute-name]: invalid attribute name: \"servername\"\n  --> {}:2:20\n  |\n2 | example.com secure servername=hostname\n  |                    ^^^^^^^^^^^^^^^^^^^\n",
        table.display()
    );
    assert!(text.contains(&expected), "{text}");
    assert!(text.contains("= postfix logs: warning: smtp_tls_policy_maps, next-hop destination \"example.com\": invalid attribute name: \"servername\""));
    assert!(text.trim_end().ends_with("10 entries, 5 errors, 3 warnings"), "{text}");
}

#[test]
fn lint_json_lines_are_whole_diagnostics_with_their_file() {
    let table = repo("cli/tests/fixtures/lint/one-of-each.tbl");
    let (_, out, _) = run(peername().args(["lint", "--postfix", "3.3.0", "--texthash", "--format", "json"]).arg(&table));
    assert_eq!(out.lines().count(), 9);
    for line in out.lines() {
        let mut v: Value = serde_json::from_str(line).expect("one JSON object per line");
        let file = v.as_object_mut().and_then(|o| o.remove("file"));
        assert_eq!(file, Some(Value::String(table.display().to_string())), "{line}");
        // Every field of the engine's diagnostic, and nothing else: it reads back whole.
        let d: peername_engine::diag::Diagnostic = serde_json::from_value(v.clone()).expect("a diagnostic");
        assert_eq!(serde_json::to_value(&d).expect("serialises"), v, "{line}");
    }
}

#[test]
fn lint_versions_differ_and_clean_tables_pass() {
    let dir = temp_dir("lint");
    let table = dir.path().join("tls_policy");
    std::fs::write(&table, "example.com secure servername=hostname match=.example.com\n").expect("write");
    assert_eq!(run(peername().args(["lint", "--postfix", "3.3.0"]).arg(&table)).0, 1, "servername is unknown before 3.4");
    let (code, out, _) = run(peername().args(["lint", "--postfix", "3.4.0"]).arg(&table));
    assert_eq!((code, out.trim()), (0, format!("{}: 1 entries, 0 errors, 0 warnings", table.display()).as_str()));
}

#[test]
fn lint_refuses_unreadable_input_with_exit_2() {
    let dir = temp_dir("lint-bad");
    let binary = dir.path().join("tls_policy.db");
    std::fs::write(&binary, b"\x00\x06\x15\x61\x00\x00\x00\x02binary").expect("write");
    for (args, needle) in [
        (vec!["/nonexistent/table".to_string()], "no such file"),
        (vec![binary.display().to_string()], "binary data"),
        (vec!["--postfix".into(), "4.0".into(), binary.display().to_string()], "4.0"),
    ] {
        let (code, _, err) = run(peername().arg("lint").args(&args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(needle), "{err}");
    }
}

#[test]
fn lint_output_cut_short_by_the_reader_is_not_a_crash() {
    let dir = temp_dir("lint-pipe");
    let table = dir.path().join("tls_policy");
    std::fs::write(&table, ".example.com secure\n".repeat(1).to_string() + &(0..20_000).map(|i| format!(".d{i}.example secure\n")).collect::<String>()).expect("write");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("peername"))
        .arg("lint")
        .arg(&table)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Read one line, then close the pipe.
    let mut first = [0u8; 64];
    let _ = std::io::Read::read(child.stdout.as_mut().expect("stdout"), &mut first);
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("exits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn replay_agrees_with_every_vendored_oracle_case() {
    for corpus in ["oracle", "oracle-dane"] {
        for version in ["3.5.27", "3.7.11", "3.11.6"] {
            let file = repo(&format!("engine/tests/fixtures/{corpus}/{version}/expectations.jsonl"));
            let cases = std::fs::read_to_string(&file).expect("fixture").lines().filter(|l| !l.trim().is_empty()).count();
            let (code, out, err) = run(peername().arg("replay").arg(&file).arg("--compare"));
            assert_eq!(code, 0, "{corpus} {version}: {err}");
            assert_eq!(err.trim(), format!("replay: {cases} of {cases} cases agree with the recorded Postfix output (0 differ)"));
            assert_eq!(out.lines().filter(|l| l.contains("\"agree\":true")).count(), cases);
        }
    }
}

#[test]
fn replay_reads_inputs_only_and_predicts_the_observed_shape() {
    let file = repo("engine/tests/fixtures/oracle/3.11.6/expectations.jsonl");
    let text = std::fs::read_to_string(&file).expect("fixture");
    // Remove every observed output: predictions must not change.
    let dir = temp_dir("replay");
    let inputs_only = dir.path().join("expectations.jsonl");
    let mut stripped = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut v: Value = serde_json::from_str(line).expect("JSON");
        if let Some(o) = v.as_object_mut() {
            o.remove("output");
        }
        stripped.push_str(&format!("{v}\n"));
    }
    std::fs::write(&inputs_only, stripped).expect("write");
    let ca_dir = repo("engine/tests/fixtures/oracle");
    let (code, with_outputs, _) = run(peername().arg("replay").arg(&file));
    let (code2, without, _) = run(peername().arg("replay").arg(&inputs_only).arg("--ca-dir").arg(&ca_dir));
    assert_eq!((code, code2), (0, 0));
    assert_eq!(with_outputs, without);
    for (line, case) in without.lines().zip(text.lines().filter(|l| !l.trim().is_empty())) {
        let predicted: Value = serde_json::from_str(line).expect("JSON");
        let case: Value = serde_json::from_str(case).expect("JSON");
        assert_eq!(predicted["id"], case["id"]);
        let keys = |v: &Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        let observed = keys(&case["output"]);
        let got = keys(&predicted["predicted"]);
        assert!(observed.iter().all(|k| got.contains(k)), "{}: observed fields {observed:?}, predicted {got:?}", case["id"]);
    }
}

/// `key`'s text as `lang` shows it (its own, else English), filled from `args`.
fn words(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let text = lookup(lang, key).or_else(|| lookup(Lang::En, key)).unwrap_or_else(|| panic!("{key} is not in en.txt"));
    fill(text, args).unwrap_or_else(|| panic!("{key}: a placeholder is missing"))
}

/// The parts of a fastmail explanation that are Postfix's own text: its log lines, the failure
/// line each server step quotes, and the policy lines of the fixes.
fn postfix_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter_map(|l| {
            // Numbered lines are steps (their summaries are words) or fixes (policy lines).
            let numbered = l.trim_start().split_once(". ").filter(|(n, _)| n.parse::<usize>().is_ok()).map(|(_, rest)| rest);
            match numbered {
                Some(rest) => rest.starts_with("fastmail.fm ").then_some(rest),
                None if l.contains("postfix/smtp[") => Some(l),
                None => l.find("server certificate verification failed").map(|at| &l[at..]),
            }
        })
        .collect()
}

#[test]
fn lang_ja_and_zh_translate_the_words_and_keep_postfix_text_verbatim() {
    let fastmail = repo("examples/fastmail.json");
    let (code_en, english, _) = run(peername().arg("explain").arg("--scenario").arg(&fastmail));
    for (lang, option) in [(Lang::Ja, "ja"), (Lang::Zh, "zh")] {
        // Before the subcommand and after it.
        let (code, out, err) = run(peername().args(["--lang", option, "explain", "--scenario"]).arg(&fastmail));
        let (code_after, out_after, _) = run(peername().args(["explain", "--lang", option, "--scenario"]).arg(&fastmail));
        assert_eq!((code, code_after), (code_en, code_en), "{option}: the same verdict\n{out}{err}");
        assert_eq!(out, out_after, "{option}: --lang after the subcommand");
        assert_ne!(out, english, "{option}: --lang is ignored");
        // Headings and step titles in the language (English where it has no text yet) …
        let keys: [(&str, &[(&str, &str)]); 7] = [
            ("cli.report.log-heading", &[("version", "3.7.11")]),
            ("cli.report.fixes-heading", &[]),
            ("cli.verdict.not-delivered", &[]),
            ("step.version", &[]),
            ("step.policy-lookup", &[]),
            ("step.match-list", &[]),
            ("step.server", &[("host", "in1-smtp.messagingengine.com")]),
        ];
        for (key, args) in keys {
            let want = words(lang, key, args);
            assert!(out.contains(&want), "{option}: {key} = {want:?} is missing\n{out}");
        }
        // … and at least one of them really translated, so the check above is not vacuous.
        let translated = keys.iter().filter(|(key, args)| lookup(lang, key).is_some() && words(lang, key, args) != words(Lang::En, key, args)).count();
        assert!(translated > 0, "{option}: none of the checked keys is translated yet");
        // Postfix's own text is never translated.
        assert_eq!(postfix_lines(&out), postfix_lines(&english), "{option}: Postfix's log and policy lines differ");
        assert!(postfix_lines(&english).len() >= 20, "{}", english);
        for literal in ["4.7.5", "Server certificate not verified", "num=62:hostname mismatch", "smtp_tls_secure_cert_match"] {
            assert!(out.contains(literal), "{option}: {literal:?} is missing\n{out}");
        }
        // JSON is a contract: never translated.
        let (_, json, _) = run(peername().args(["--lang", option, "explain", "--json", "--scenario"]).arg(&fastmail));
        let (_, json_en, _) = run(peername().args(["explain", "--json", "--scenario"]).arg(&fastmail));
        assert_eq!(json, json_en, "{option}: JSON changed with --lang");
    }
}

#[test]
fn lint_in_another_language_keeps_postfix_warnings_verbatim() {
    let table = repo("cli/tests/fixtures/lint/one-of-each.tbl");
    let (code, text, _) = run(peername().args(["lint", "--lang", "ja", "--postfix", "3.3.0", "--texthash"]).arg(&table));
    assert_eq!(code, 1);
    assert!(text.contains("warning: smtp_tls_policy_maps, next-hop destination \"example.com\": invalid attribute name: \"servername\""), "{text}");
    assert!(text.contains("[policy.invalid-attribute-name]"), "codes stay as they are\n{text}");
    let file = table.display().to_string();
    let summary = words(Lang::Ja, "cli.lint.summary", &[("file", &file), ("entries", "10"), ("errors", "5"), ("warnings", "3")]);
    assert!(text.trim_end().ends_with(&summary), "{text}");
    let (_, json, _) = run(peername().args(["lint", "--lang", "ja", "--postfix", "3.3.0", "--texthash", "--format", "json"]).arg(&table));
    let (_, json_en, _) = run(peername().args(["lint", "--postfix", "3.3.0", "--texthash", "--format", "json"]).arg(&table));
    assert_eq!(json, json_en, "JSON findings are not translated");
}

#[test]
fn an_unknown_lang_is_a_usage_error_listing_the_accepted_values() {
    for args in [&["--lang", "xx", "explain", "--to", "example.com"][..], &["explain", "--to", "example.com", "--lang", "xx"]] {
        let (code, out, err) = run(peername().args(args));
        assert_eq!(code, 2, "{args:?}\n{out}{err}");
        assert!(err.contains("'xx'") && err.contains("--lang"), "{err}");
        assert!(err.contains("[possible values: en, ja, zh]"), "{err}");
    }
}

#[test]
fn the_locale_chooses_the_language_unless_lang_is_given() {
    let fastmail = repo("examples/fastmail.json");
    let explain = |c: &mut Command| run(c.arg("explain").arg("--scenario").arg(&fastmail)).1;
    let english = explain(&mut peername());
    let japanese = explain(peername().args(["--lang", "ja"]));
    assert_ne!(english, japanese);
    assert_eq!(explain(peername().env("LANG", "ja_JP.UTF-8")), japanese, "LANG=ja_JP.UTF-8 selects Japanese");
    assert_eq!(explain(peername().env("LANG", "en_US.UTF-8").env("LC_MESSAGES", "ja_JP.UTF-8")), japanese, "LC_MESSAGES beats LANG");
    assert_eq!(explain(peername().env("LANG", "ja_JP.UTF-8").env("LC_ALL", "C")), english, "LC_ALL=C beats LANG");
    assert_eq!(explain(peername().env("LANG", "ja_JP.UTF-8").args(["--lang", "en"])), english, "--lang beats the locale");
    assert_eq!(explain(peername().env("LANG", "zh_CN.UTF-8")), explain(peername().args(["--lang", "zh"])));
    assert_eq!(explain(peername().env("LANG", "de_DE.UTF-8")), english, "no words for German: English");
}

#[test]
fn an_lmtp_transport_is_named_as_outside_the_model_in_every_language() {
    let dir = temp_dir("lmtp");
    let transport = dir.path().join("transport");
    std::fs::write(&transport, "example.com lmtp:inet:mail.example.com:24\n").expect("write");
    for lang in Lang::ALL {
        let code = match lang {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Zh => "zh",
        };
        let (status, out, err) = run(peername().args(["--lang", code, "explain", "--to", "user@example.com", "--transport"]).arg(&transport));
        assert_eq!(status, 1, "not delivered by anything peername models: {err}");
        let word = lookup(lang, "cli.verdict.not-modelled").expect("a word");
        let headline = fill(lookup(lang, "verdict.lmtp").expect("a headline"), &[("transport", "lmtp")]).expect("filled");
        // English is the engine's own sentence, the catalogue's without its full stop.
        assert!(out.contains(&format!("{word}: {}", headline.trim_end_matches('.'))), "{code}: {out}");
        assert!(!out.contains("fatal"), "smtp(8) is not run on an LMTP next-hop: {out}");
    }
}

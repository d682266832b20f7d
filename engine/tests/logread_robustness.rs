//! The log reader on hostile or damaged input: truncated lines at every position, binary
//! garbage, huge lines, a 10 MB log, arbitrary text; and the masking guarantee that nothing of
//! a local part survives.

use peername_engine::logread::{mask, mask_with, read_log, LogReading, MaskOptions, UnreadReason};
use proptest::prelude::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn fixture(path: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every line is read, ignored or unread: none is lost.
fn assert_accounted(r: &LogReading) {
    let ignored: usize = r.ignored.iter().map(|g| g.count).sum();
    assert_eq!(r.read + ignored + r.unread.len(), r.lines, "lines not accounted for");
}

/// Raw smtp(8) and posttls-finger logs of all three versions, from the oracle fixtures.
fn oracle_logs() -> Vec<String> {
    let mut out = Vec::new();
    for v in ["3.5.27", "3.7.11", "3.11.6"] {
        for line in fixture(&format!("logs/oracle/{v}.jsonl")).lines() {
            let rec: serde_json::Value = serde_json::from_str(line).expect("fixture JSON");
            out.push(rec["raw"].as_str().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn every_truncation_of_real_lines_is_handled() {
    let mut lines: Vec<String> = fixture("logs/seeds/000_30dac022df0447e0.txt").lines().filter(|l| l.contains(" postfix/")).map(str::to_string).collect();
    lines.extend(oracle_logs().iter().take(60).flat_map(|l| l.lines().map(str::to_string).collect::<Vec<_>>()));
    let mut truncated = 0;
    for line in &lines {
        for (cut, _) in line.char_indices() {
            let r = read_log(&line[..cut]);
            assert_accounted(&r);
            truncated += r.unread.iter().filter(|u| u.reason == UnreadReason::Truncated).count();
        }
    }
    assert!(truncated > 1000, "cut lines are recognised as cut ({truncated})");
}

#[test]
fn cut_status_and_summary_lines_say_truncated() {
    let log = "Feb 25 21:57:22 mail postfix/smtp[25291]: Trusted TLS connection established to in1-smtp.messagingeng\n\
               Feb 25 21:57:22 mail postfix/smtp[25291]: D33A02504112: to=<[email protected]>, relay=in1-smtp.messagingengine.com[66.111.4.74]:25, delay=8.4, delays=0.02/0/8.4/0, dsn=4.7.5, sta\n\
               Feb 25 21:57:22 mail postfix/smtp[25291]: server certificate verification failed for in1-smtp.messagingengine.com[66.1";
    let r = read_log(log);
    assert_eq!(r.read, 0);
    assert_eq!(r.unread.iter().map(|u| (u.line, u.reason)).collect::<Vec<_>>(), [(1, UnreadReason::Truncated), (2, UnreadReason::Truncated), (3, UnreadReason::Truncated)]);
    assert!(r.diagnostics.iter().filter(|d| d.code == "log.truncated").all(|d| d.span.is_some() && d.position.is_some() && d.hint.is_some()));
    assert!(r.diagnostics.iter().any(|d| d.code == "log.nothing-read"));
}

/// xorshift: deterministic noise without a dependency.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_garbage_is_listed_not_read() {
    for seed in 1..40u64 {
        let bytes = noise(seed, 4096);
        let text = String::from_utf8_lossy(&bytes);
        let r = read_log(&text);
        assert_accounted(&r);
        assert!(r.unread.iter().any(|u| u.reason == UnreadReason::Binary), "seed {seed}");
    }
    // Binary inside a real log: the real lines are still read.
    let mut log = fixture("logs/seeds/000_30dac022df0447e0.txt");
    log.insert_str(0, "\u{0}\u{1}\u{2}ELF\u{fffd}\u{fffd}\n");
    let r = read_log(&log);
    assert_eq!(r.unread[0].reason, UnreadReason::Binary);
    assert_eq!(r.stage.stage, "name-match");
}

#[test]
fn huge_lines_and_empty_input() {
    let r = read_log("");
    assert_eq!((r.lines, r.read), (0, 0));
    assert!(r.diagnostics.iter().any(|d| d.code == "log.nothing-read"));
    let long = format!("postfix/smtp[1]: {}", "x".repeat(2_000_000));
    let started = Instant::now();
    let r = read_log(&long);
    assert_accounted(&r);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(r.unread[0].excerpt.chars().count() <= 120);
    let many_peers = "a[1.2.3.4]:25: ".repeat(100_000);
    assert_accounted(&read_log(&many_peers));
}

/// 10 MB of real Postfix output: read in well under a second in release builds.
#[test]
fn ten_megabytes_quickly() {
    let logs = oracle_logs();
    let mut text = String::with_capacity(11 << 20);
    let mut i = 0;
    while text.len() < 10 << 20 {
        text.push_str(&logs[i % logs.len()]);
        text.push('\n');
        i += 1;
    }
    let started = Instant::now();
    let r = read_log(&text);
    let took = started.elapsed();
    assert_accounted(&r);
    assert!(r.deliveries.len() > 1000);
    let limit = if cfg!(debug_assertions) { Duration::from_secs(60) } else { Duration::from_millis(1000) };
    eprintln!("read {} bytes, {} lines in {took:?}", text.len(), r.lines);
    assert!(took < limit, "{took:?} for {} bytes", text.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*(\\n\\PC*){0,8}") {
        let r = read_log(&text);
        assert_accounted(&r);
        let _ = mask_with(&text, MaskOptions { ip_addresses: true });
    }

    #[test]
    fn postfix_shaped_noise_never_panics(parts in proptest::collection::vec("(postfix/smtp\\[[0-9]{1,5}\\]: |posttls-finger: |warning: |[A-F0-9]{10}: to=<|relay=|, |status=|\\[|\\]|:25|: |certificate verification failed for |TLS connection established to |maps_find: |subjectAltName: |depth=|[a-z.]{1,12}|\\n)", 0..40)) {
        let text: String = parts.concat();
        let r = read_log(&text);
        assert_accounted(&r);
        let _ = r.scenario();
    }

    /// Nothing of a local part survives masking, whatever it is made of.
    #[test]
    fn local_parts_never_survive(local in "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{3,24}", domain in "[a-z]{2,10}\\.(com|fm|example)") {
        let line = format!("Feb 25 21:57:22 mail postfix/smtp[1]: D33A02504112: to=<{local}@{domain}>, orig_to=<{local}@{domain}>, relay=mx.{domain}[192.0.2.7]:25, delay=1, delays=1/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 <{local}@{domain}> accepted)");
        let masked = mask(&line);
        // Exactly the local parts are gone (the line's other words may share letters with them).
        prop_assert_eq!(&masked, &line.replace(&format!("<{local}@"), "<…@"));
        let with_at = format!("{local}@");
        prop_assert!(!masked.contains(&with_at));
        let r = read_log(&masked);
        let recipient = r.deliveries.first().map(|d| d.status.recipient.clone());
        prop_assert_eq!(recipient, Some(format!("…@{domain}")));
    }
}

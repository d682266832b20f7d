//! The seed question's logs (Postfix 2.11.0, `smtp_tls_loglevel = 2`, recipient hidden as
//! `[email protected]` by the translation sites; the Chinese one also lost the addresses),
//! read whole (prose included) and re-prefixed in every log format people paste.
//!
//! Fixtures: `tests/fixtures/logs/seeds/` and `tests/fixtures/seed/` (see their PROVENANCE.md).

use peername_engine::logread::reading::PeerConnection;
use peername_engine::logread::{mask, mask_with, read_log, LogReading, MaskOptions, UnreadReason};
use peername_engine::scenario::ServedChain;
use peername_engine::tls::session::TrustWord;
use std::path::Path;

fn fixture(path: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const JAPANESE: &str = "logs/seeds/000_30dac022df0447e0.txt";
const CHINESE: &str = "logs/seeds/003_66fbd687d0cbce27.txt";

/// The connection of the extended (loglevel 2) log: the one with the names.
fn full_connection(r: &LogReading) -> &PeerConnection {
    r.connections.iter().find(|c| !c.names.is_empty()).expect("a connection with subjectAltName lines")
}

fn assert_seed_reading(r: &LogReading, with_address: bool) {
    assert_eq!(r.era.suggested_version, "2.11.0", "mail_version = 2.11.0 is pasted in the question");
    assert!(r.era.conflicts.is_empty(), "{:?}", r.era.conflicts);
    let codes: Vec<&str> = r.era.clues.iter().map(|c| c.code.as_str()).collect();
    for code in ["version-banner", "per-name-lines", "trusted-unverified-without-failure", "issuer-cn-fingerprint"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert_eq!(r.stage.stage, "name-match");
    assert_eq!(r.loglevel.smtp_tls_loglevel, "2");
    let c = full_connection(r);
    assert_eq!(c.peer.host, "in1-smtp.messagingengine.com");
    assert_eq!(c.peer.address, if with_address { "66.111.4.74" } else { "" });
    assert_eq!(c.trust.as_ref().map(|t| t.value), Some(TrustWord::Trusted));
    assert!(c.failures.is_empty(), "2.11 logs no failure line for a name mismatch");
    let names: Vec<(&str, &str, bool)> = c.names.iter().map(|n| (n.value.source.as_str(), n.value.name.as_str(), n.value.matched)).collect();
    assert_eq!(names.len(), 7);
    assert_eq!(names[0], ("subjectAltName", "*.messagingengine.com", false));
    assert_eq!(names[5], ("subjectAltName", "carddav.messagingengine.com", false));
    assert_eq!(names[6], ("CommonName", "*.messagingengine.com", false));
    let cert = &c.certificate.as_ref().expect("peer certificate line").value;
    assert_eq!(cert.subject_cn.as_deref(), Some("*.messagingengine.com"));
    assert_eq!(cert.issuer.as_deref(), Some("DigiCert SHA2 High Assurance Server CA"));
    assert_eq!(cert.cert_fingerprint.as_deref(), Some("D8:F5:7E:43:A8:DA:29:22:6B:7E:90:A6:31:86:C8:CD"));
    assert_eq!(c.chain.len(), 3);
    assert_eq!(c.chain[0].value.subject, "/C=US/O=DigiCert Inc/OU=www.digicert.com/CN=DigiCert High Assurance EV Root CA");
    let d = &r.deliveries[r.focus.expect("a focus delivery")];
    assert_eq!((d.status.queue_id.as_str(), d.status.status.as_str(), d.status.dsn.as_str()), ("D33A02504112", "deferred", "4.7.5"));
    assert_eq!(d.status.reason, "Server certificate not verified");
    assert_eq!(r.nexthops.first().map(|n| n.value.as_str()), Some("fastmail.fm"), "from the session cache key");
    let s = r.scenario();
    assert_eq!(s.destination, "fastmail.fm", "the recipient is masked: the next-hop stands in");
    assert_eq!(s.mx, "in1-smtp.messagingengine.com");
    assert_eq!(s.postfix_version, "2.11.0");
    assert_eq!(s.addresses.contains("66.111.4.74"), with_address);
    let missing: Vec<&str> = r.missing.iter().map(|m| m.field.as_str()).collect();
    for field in ["policy_table", "certificates", "main_cf"] {
        assert!(missing.contains(&field), "{field} not listed as missing: {missing:?}");
    }
    // Every log line is read or ignored; only the prose around it is unread.
    for u in &r.unread {
        assert_eq!(u.reason, UnreadReason::NotALogLine, "line {}: {}", u.line, u.excerpt);
        assert!(!u.excerpt.contains("postfix/smtp[") && !u.excerpt.contains("postfix/tlsmgr["), "line {}: {}", u.line, u.excerpt);
    }
    let accounted: usize = r.read + r.ignored.iter().map(|g| g.count).sum::<usize>() + r.unread.len();
    assert_eq!(accounted, r.lines);
}

#[test]
fn japanese_seed_page_is_read() {
    let r = read_log(&fixture(JAPANESE));
    assert_seed_reading(&r, true);
    // The page receives the reading as JSON and may send it back.
    let json = serde_json::to_string(&r).expect("serialises");
    assert_eq!(serde_json::from_str::<LogReading>(&json).expect("deserialises"), r);
}

#[test]
fn chinese_seed_page_without_addresses_is_read() {
    assert_seed_reading(&read_log(&fixture(CHINESE)), false);
}

/// Only the log lines of the Japanese page.
fn seed_log() -> Vec<String> {
    fixture(JAPANESE).lines().filter(|l| l.contains(" postfix/smtp[") || l.contains(" postfix/tlsmgr[")).map(|l| l.trim_end().to_string()).collect()
}

/// The same lines under each prefix people paste: the reading must not change.
#[test]
fn every_prefix_format_reads_the_same() {
    let lines = seed_log();
    let strip = |l: &str| l.split_once(" mail ").map(|(_, rest)| rest.to_string()).unwrap_or_default();
    let message = |l: &str| strip(l).split_once(": ").map(|(_, m)| m.to_string()).unwrap_or_default();
    let tag_pid = |l: &str| {
        let rest = strip(l);
        let tag = rest.split(": ").next().unwrap_or("").to_string();
        let (tag, pid) = tag.split_once('[').unwrap_or((&tag, ""));
        (tag.to_string(), pid.trim_end_matches(']').to_string())
    };
    let variants: Vec<(&str, Vec<String>)> = vec![
        ("syslog", lines.clone()),
        ("maillog_file", lines.iter().map(|l| l.replacen("21:57:22", "21:57:22.104112", 1)).collect()),
        ("iso", lines.iter().map(|l| format!("2016-02-25T21:57:22.104112+01:00 mail {}", strip(l))).collect()),
        ("journal short-full", lines.iter().map(|l| format!("Thu 2016-02-25 21:57:22 CET mail {}", strip(l))).collect()),
        (
            "rfc5424",
            lines
                .iter()
                .map(|l| {
                    let (tag, pid) = tag_pid(l);
                    format!("<22>1 2016-02-25T20:57:22Z mail {tag} {pid} - - {}", message(l))
                })
                .collect(),
        ),
        ("tag only", lines.iter().map(|l| strip(l)).collect()),
        ("crlf", lines.iter().map(|l| format!("{l}\r")).collect()),
        ("indented", lines.iter().map(|l| format!("    {l}")).collect()),
    ];
    let reference = read_log(&lines.join("\n"));
    assert!(reference.unread.is_empty(), "{:?}", reference.unread);
    for (name, variant) in variants {
        let r = read_log(&variant.join("\n"));
        assert!(r.unread.is_empty(), "{name}: {:?}", r.unread);
        assert_eq!(r.read, reference.read, "{name}");
        assert_eq!(r.connections.len(), reference.connections.len(), "{name}");
        assert_eq!(full_connection(&r).names, full_connection(&reference).names, "{name}");
        assert_eq!(r.stage, reference.stage, "{name}");
        assert_eq!(r.era.range, reference.era.range, "{name}");
        assert_eq!(r.deliveries.len(), 2, "{name}");
    }
    // Bare messages (a forum post that kept only the text) still give the facts, without
    // processes: the two excerpts become one run of lines.
    let bare: Vec<String> = lines.iter().map(|l| message(l)).collect();
    let r = read_log(&bare.join("\n"));
    assert!(r.unread.is_empty(), "{:?}", r.unread);
    assert_eq!(r.stage.stage, "name-match");
    assert_eq!(r.era.range.label, "≤3.5");
    // An ISO stamp with a zone fixes the evaluation time.
    let iso: Vec<String> = lines.iter().map(|l| format!("2016-02-25T21:57:22+01:00 mail {}", strip(l))).collect();
    assert_eq!(read_log(&iso.join("\n")).scenario().evaluated_at.as_deref(), Some("2016-02-25T20:57:22Z"));
}

/// The reading completed with the policy and the replica certificate the oracle served:
/// the engine agrees on the word and the status; the names and digest differ because the
/// replica is not Fastmail's certificate, and the cross-check says exactly that.
#[test]
fn seed_cross_check_names_the_replica() {
    let r = read_log(&fixture(JAPANESE));
    let mut s = r.scenario();
    s.policy_table = "fastmail.fm     secure ciphers=high".into();
    s.certificates = vec![ServedChain { host: String::new(), pem: fixture("seed/fastmail-replica.pem") }];
    let report = peername_engine::explain(&s);
    let check = r.cross_check(&report);
    assert_eq!(check.verdict, "differs");
    let aspects: Vec<&str> = check.differences.iter().map(|d| d.aspect.as_str()).collect();
    assert_eq!(aspects, ["names", "certificate"], "{:#?}", check.differences);
    for d in &check.differences {
        assert!(d.implication.contains("not the one the server presented") || d.implication.contains("another certificate"), "{}", d.implication);
    }
    for aspect in ["version", "trust word", "verification failures", "delivery status", "relay"] {
        assert!(check.compared.iter().any(|c| c == aspect), "{aspect} not compared: {:?}", check.compared);
    }
}

#[test]
fn masking_keeps_the_reading() {
    // The translation sites wrote `[email\u{a0}protected]` (a no-break space).
    let text = seed_log().join("\n").replace("[email\u{a0}protected]", "john.doe@fastmail.fm");
    assert!(text.contains("john.doe"));
    let masked = mask_with(&text, MaskOptions { ip_addresses: true });
    assert!(!masked.contains("john.doe"));
    assert!(!masked.contains("66.111.4.74"));
    let (a, b) = (read_log(&text), read_log(&masked));
    assert_eq!(a.stage, b.stage);
    assert_eq!(a.era.range, b.era.range);
    assert_eq!(b.scenario().destination, "fastmail.fm", "a masked recipient still names its domain");
    assert_eq!(a.scenario().destination, "john.doe@fastmail.fm");
    assert_eq!(mask(&masked), masked);
}

//! A log of the LMTP client (`postfix/lmtp`): the scenario built from it hands the mail to
//! `lmtp:`, so its explanation says the LMTP client decides (not modelled), instead of
//! explaining an smtp(8) delivery to the LMTP server as if it were an MX host.

use peername_engine::explain::LMTP;
use peername_engine::logread::read_log;

const LOG: &str = "\
Nov 24 09:00:01 mx postfix/lmtp[123]: Untrusted TLS connection established to mail.example.com[192.0.2.10]:24: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)
Nov 24 09:00:01 mx postfix/lmtp[123]: ABCDEF123: to=<user@example.com>, relay=mail.example.com[192.0.2.10]:24, delay=0.1, delays=0/0/0.05/0.05, dsn=2.0.0, status=sent (250 2.0.0 <user@example.com> Saved)
";

#[test]
fn an_lmtp_delivery_becomes_an_lmtp_transport() {
    let r = read_log(LOG);
    let scenario = r.scenario();
    assert_eq!(scenario.destination, "user@example.com");
    assert_eq!(scenario.transport_table, "example.com lmtp:inet:mail.example.com:24\n");
    let filled = r.filled.iter().find(|f| f.field == "transport_table").expect("said where it came from");
    assert_eq!(filled.lines, vec![2]);
    assert!(filled.why.contains("LMTP client"), "{}", filled.why);
    assert_eq!(peername_engine::explain(&scenario).verdict.status, LMTP);
}

#[test]
fn an_smtp_delivery_gets_no_transport_line() {
    let r = read_log(&LOG.replace("postfix/lmtp[", "postfix/smtp[").replace("]:24", "]:25"));
    assert!(r.scenario().transport_table.is_empty());
    assert!(r.filled.iter().all(|f| f.field != "transport_table"));
}

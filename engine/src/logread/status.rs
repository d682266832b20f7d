//! Per-message lines: `QUEUEID: to=<…>, relay=…, …, dsn=…, status=… (…)` and the notes
//! smtp(8) logs for a server it gives up on before the last one (`smtp_bulk_fail()`).

use super::kind::{Relay, StatusLine};
use super::peer::parse_whole_peer;

/// Why a status line could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusProblem {
    /// It starts like one but stops before `status=`.
    Truncated,
}

/// A Postfix queue id: short (upper-case hex), long (`enable_long_queue_ids`, base 52 with a
/// `z`), or a placeholder (`QUEUEID` in predicted lines, `NOQUEUE`).
pub fn is_queue_id(id: &str) -> bool {
    let short = (6..=20).contains(&id.len()) && id.bytes().all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c));
    let long = (12..=24).contains(&id.len()) && id.bytes().all(|c| c.is_ascii_alphanumeric());
    short || long || id == "QUEUEID" || id == "NOQUEUE"
}

/// Splits `QUEUEID: REST`.
pub fn queue_id_prefix(msg: &str) -> Option<(&str, &str)> {
    let (id, rest) = msg.split_once(": ")?;
    is_queue_id(id).then_some((id, rest))
}

/// Reads `to=<…>, [orig_to=<…>, ]relay=…, …, dsn=…, status=WORD (REASON)` after the queue id.
pub fn status_line(queue_id: &str, rest: &str) -> Result<StatusLine, StatusProblem> {
    let mut s = rest;
    let mut recipient = None;
    let mut original = None;
    let mut relay = None;
    let mut tls = None;
    let mut dsn = String::new();
    loop {
        let (key, after) = s.split_once('=').ok_or(StatusProblem::Truncated)?;
        if key == "status" {
            let word_len = after.find([' ', ',']).unwrap_or(after.len());
            let (word, tail) = after.split_at(word_len);
            let reason = match tail.strip_prefix(" (") {
                Some(r) => r.strip_suffix(')').unwrap_or(r),
                None => tail.trim_start_matches(',').trim_start(),
            };
            let recipient = recipient.ok_or(StatusProblem::Truncated)?;
            if word.is_empty() {
                return Err(StatusProblem::Truncated);
            }
            return Ok(StatusLine {
                queue_id: queue_id.to_string(),
                recipient,
                original_recipient: original,
                relay: relay.unwrap_or(Relay { text: String::new(), peer: None }),
                tls,
                dsn,
                status: word.to_string(),
                reason: reason.to_string(),
            });
        }
        let (value, next) = if let Some(inner) = after.strip_prefix('<') {
            let close = inner.find('>').ok_or(StatusProblem::Truncated)?;
            (&inner[..close], &inner[close + 1..])
        } else {
            let end = after.find(", ").ok_or(StatusProblem::Truncated)?;
            (&after[..end], &after[end..])
        };
        match key {
            "to" => recipient = Some(value.to_string()),
            "orig_to" => original = Some(value.to_string()),
            "relay" => relay = Some(Relay { text: value.to_string(), peer: parse_whole_peer(value) }),
            "tls" => tls = Some(value.to_string()),
            "dsn" => dsn = value.to_string(),
            _ => {}
        }
        s = next.strip_prefix(", ").ok_or(StatusProblem::Truncated)?;
    }
}

/// The recipient's domain, when the address shows one.
pub fn recipient_domain(recipient: &str) -> Option<&str> {
    let (_, domain) = recipient.rsplit_once('@')?;
    let domain = domain.trim();
    (!domain.is_empty() && !domain.contains(' ')).then_some(domain)
}

/// Whether the recipient's local part was removed (by [`mask`](super::mask::mask), or by a
/// web page's e-mail protection: `[email protected]`).
pub fn recipient_masked(recipient: &str) -> bool {
    match recipient.rsplit_once('@') {
        Some((local, _)) => local.is_empty() || local == "…",
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_deferred_line_with_and_without_tls_field() {
        let l = status_line(
            "D33A02504112",
            "to=<[email protected]>, relay=in1-smtp.messagingengine.com[66.111.4.74]:25, delay=8.4, delays=0.02/0/8.4/0, dsn=4.7.5, status=deferred (Server certificate not verified)",
        )
        .unwrap();
        assert_eq!(l.recipient, "[email protected]");
        assert_eq!(l.relay.peer.as_ref().map(|p| p.host.as_str()), Some("in1-smtp.messagingengine.com"));
        assert_eq!((l.dsn.as_str(), l.status.as_str(), l.reason.as_str(), l.tls), ("4.7.5", "deferred", "Server certificate not verified", None));
        let l = status_line(
            "CC5829C61E9",
            "to=<user@facebook.com>, orig_to=<User@Facebook.com>, relay=smtpin.vvv.facebook.com[127.0.0.1]:25, conn_use=2, delay=0.07, delays=0.02/0.03/0.02/0, tls=secure, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ORACLE (x))",
        )
        .unwrap();
        assert_eq!((l.tls.as_deref(), l.original_recipient.as_deref(), l.reason.as_str()), (Some("secure"), Some("User@Facebook.com"), "250 2.0.0 Ok: queued as ORACLE (x)"));
    }

    #[test]
    fn relay_none_and_expired() {
        let l = status_line("ABCDE1", "to=<a@b.example>, relay=none, delay=1, delays=1/0/0/0, dsn=4.7.0, status=expired, returned to sender").unwrap();
        assert_eq!((l.relay.text.as_str(), l.relay.peer.is_none(), l.status.as_str(), l.reason.as_str()), ("none", true, "expired", "returned to sender"));
    }

    #[test]
    fn truncated_lines_are_reported() {
        for t in ["to=<a@b>, relay=in1-smtp.messag", "to=<a@b", "to=<a@b>, relay=x, dsn=4.7.5, status=", "relay=x, status=sent (ok)", ""] {
            assert_eq!(status_line("ABCDEF", t), Err(StatusProblem::Truncated), "{t}");
        }
    }

    #[test]
    fn queue_ids_and_masked_recipients() {
        assert_eq!(queue_id_prefix("D33A02504112: to=<x>"), Some(("D33A02504112", "to=<x>")));
        assert_eq!(queue_id_prefix("QUEUEID: Server certificate not verified"), Some(("QUEUEID", "Server certificate not verified")));
        assert_eq!(queue_id_prefix("4LXV9D3Yc3z6pyk: removed"), Some(("4LXV9D3Yc3z6pyk", "removed")));
        assert_eq!(queue_id_prefix("global TLS level: may"), None);
        assert!(recipient_masked("[email protected]"));
        assert!(recipient_masked("…@example.com"));
        assert!(!recipient_masked("user@example.com"));
        assert_eq!(recipient_domain("user@Example.COM"), Some("Example.COM"));
        assert_eq!(recipient_domain("[email protected]"), None);
    }
}

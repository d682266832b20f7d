//! What comes before a log message: syslog, ISO/RFC 5424 timestamps, journalctl, Postfix's own
//! `maillog_file`, a bare `postfix/smtp[PID]: ` tag, or nothing at all.
//!
//! People paste from `/var/log/mail.log`, `journalctl -u postfix`, `maillog_file`, terminal
//! output of posttls-finger, or a forum post that kept only the messages. The message text is
//! what Postfix wrote; the prefix only tells which program (and process) wrote it and when.

use serde::{Deserialize, Serialize};

/// How a line was prefixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrefixFormat {
    /// `Feb 25 21:57:22 host postfix/smtp[25291]: ` (syslog, journalctl's default, `maillog_file`).
    Syslog,
    /// `2026-02-25T21:57:22.123+01:00 host postfix/smtp[25291]: ` (rsyslog high precision,
    /// `journalctl -o short-iso`, `-o short-full` with a weekday and zone name).
    Iso,
    /// `<22>1 2026-02-25T21:57:22Z host postfix/smtp 25291 - - ` (RFC 5424).
    Rfc5424,
    /// `[ 1234.567890] host postfix/smtp[25291]: ` (`journalctl -o short-monotonic`).
    Monotonic,
    /// `postfix/smtp[25291]: ` or `posttls-finger: ` without a timestamp.
    Program,
    /// No prefix: the message alone.
    Bare,
}

/// A line split into its prefix parts and the message Postfix wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefixed<'a> {
    /// The prefix form.
    pub format: PrefixFormat,
    /// The timestamp as written, if any.
    pub timestamp: Option<&'a str>,
    /// The host name field, if any.
    pub host: Option<&'a str>,
    /// The syslog tag without the PID, e.g. `postfix/smtp`, `postfix-out/smtp`, `posttls-finger`.
    pub tag: Option<&'a str>,
    /// The process id as written (the engine's predicted lines use `PID`).
    pub pid: Option<&'a str>,
    /// The message.
    pub message: &'a str,
    /// Byte offset of the message within the line.
    pub message_offset: usize,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Postfix programs whose syslog tag may appear without `postfix/` (or without a PID).
const BARE_TAGS: [&str; 2] = ["posttls-finger", "postfix-script"];

/// Splits `line` into prefix and message. Never fails: an unrecognised prefix is a bare message.
pub fn split_prefix(line: &str) -> Prefixed<'_> {
    let b = line.as_bytes();
    let mut pos = skip_spaces(b, 0);
    pos = skip_priority(b, pos);
    if let Some(p) = rfc5424(line, pos) {
        return p;
    }
    let timestamped = classic_timestamp(b, pos)
        .map(|end| (PrefixFormat::Syslog, end))
        .or_else(|| iso_timestamp(b, pos).map(|end| (PrefixFormat::Iso, end)))
        .or_else(|| monotonic_timestamp(b, pos).map(|end| (PrefixFormat::Monotonic, end)));
    if let Some((format, end)) = timestamped {
        let timestamp = line.get(pos..end);
        if let Some(p) = after_timestamp(line, end, format, timestamp) {
            return p;
        }
    }
    if let Some((tag, pid, msg)) = tag_at(b, pos, true) {
        return Prefixed {
            format: PrefixFormat::Program,
            timestamp: None,
            host: None,
            tag: line.get(tag.0..tag.1),
            pid: pid.and_then(|(s, e)| line.get(s..e)),
            message: line.get(msg..).unwrap_or(""),
            message_offset: msg,
        };
    }
    Prefixed {
        format: PrefixFormat::Bare,
        timestamp: None,
        host: None,
        tag: None,
        pid: None,
        message: line.get(pos..).unwrap_or(""),
        message_offset: pos,
    }
}

/// The program name: the last `/`-separated part of a tag (`postfix/submission/smtp` → `smtp`).
pub fn program_of(tag: &str) -> &str {
    tag.rsplit('/').next().unwrap_or(tag)
}

fn skip_spaces(b: &[u8], mut pos: usize) -> usize {
    while b.get(pos).is_some_and(|c| *c == b' ' || *c == b'\t') {
        pos += 1;
    }
    pos
}

/// `<13>` syslog priority.
fn skip_priority(b: &[u8], pos: usize) -> usize {
    if b.get(pos) != Some(&b'<') {
        return pos;
    }
    let digits = b[pos + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && b.get(pos + 1 + digits) == Some(&b'>') {
        pos + digits + 2
    } else {
        pos
    }
}

fn digits_at(b: &[u8], pos: usize, n: usize) -> bool {
    b.len() >= pos + n && b[pos..pos + n].iter().all(u8::is_ascii_digit)
}

/// `HH:MM:SS` with optional `.fraction`; returns the end.
fn clock(b: &[u8], pos: usize) -> Option<usize> {
    if !(digits_at(b, pos, 2) && b.get(pos + 2) == Some(&b':') && digits_at(b, pos + 3, 2) && b.get(pos + 5) == Some(&b':') && digits_at(b, pos + 6, 2)) {
        return None;
    }
    let mut end = pos + 8;
    if b.get(end) == Some(&b'.') || b.get(end) == Some(&b',') {
        let frac = b[end + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac > 0 {
            end += 1 + frac;
        }
    }
    Some(end)
}

/// `Feb 25 21:57:22` / `Feb  5 21:57:22.123456`; returns the end.
fn classic_timestamp(b: &[u8], pos: usize) -> Option<usize> {
    let month = b.get(pos..pos + 3)?;
    if !MONTHS.iter().any(|m| m.as_bytes() == month) || b.get(pos + 3) != Some(&b' ') {
        return None;
    }
    let mut p = pos + 4;
    if b.get(p) == Some(&b' ') {
        p += 1;
    }
    let day = b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&day) || b.get(p + day) != Some(&b' ') {
        return None;
    }
    clock(b, p + day + 1)
}

/// `2026-02-25T21:57:22.123+01:00`, `2026-02-25 21:57:22`, `Thu 2026-02-25 21:57:22`.
fn iso_timestamp(b: &[u8], pos: usize) -> Option<usize> {
    let mut p = pos;
    if let Some(w) = b.get(p..p + 4) {
        if WEEKDAYS.iter().any(|d| d.as_bytes() == &w[..3]) && w[3] == b' ' {
            p += 4;
        }
    }
    if !(digits_at(b, p, 4) && b.get(p + 4) == Some(&b'-') && digits_at(b, p + 5, 2) && b.get(p + 7) == Some(&b'-') && digits_at(b, p + 8, 2)) {
        return None;
    }
    if !matches!(b.get(p + 10), Some(b'T') | Some(b' ')) {
        return None;
    }
    let mut end = clock(b, p + 11)?;
    match b.get(end) {
        Some(b'Z') => end += 1,
        Some(b'+') | Some(b'-') if digits_at(b, end + 1, 2) => {
            end += 3;
            if b.get(end) == Some(&b':') && digits_at(b, end + 1, 2) {
                end += 3;
            } else if digits_at(b, end, 2) {
                end += 2;
            }
        }
        _ => {}
    }
    Some(end)
}

/// `[ 1234.567890]`.
fn monotonic_timestamp(b: &[u8], pos: usize) -> Option<usize> {
    if b.get(pos) != Some(&b'[') {
        return None;
    }
    let inner = b[pos + 1..].iter().take_while(|c| c.is_ascii_digit() || **c == b' ' || **c == b'.').count();
    let close = pos + 1 + inner;
    (inner > 0 && b.get(close) == Some(&b']') && b[pos + 1..close].iter().any(u8::is_ascii_digit)).then_some(close + 1)
}

/// After a timestamp: up to two words (a zone name, the host) and then the program tag.
fn after_timestamp<'a>(line: &'a str, ts_end: usize, format: PrefixFormat, timestamp: Option<&'a str>) -> Option<Prefixed<'a>> {
    let b = line.as_bytes();
    let mut pos = ts_end;
    let mut words: Vec<(usize, usize)> = Vec::new();
    for _ in 0..3 {
        if b.get(pos) != Some(&b' ') {
            return None;
        }
        pos = skip_spaces(b, pos);
        if let Some((tag, pid, msg)) = tag_at(b, pos, false) {
            return Some(Prefixed {
                format,
                timestamp,
                host: words.last().and_then(|(s, e)| line.get(*s..*e)),
                tag: line.get(tag.0..tag.1),
                pid: pid.and_then(|(s, e)| line.get(s..e)),
                message: line.get(msg..).unwrap_or(""),
                message_offset: msg,
            });
        }
        let len = b[pos..].iter().take_while(|c| **c != b' ').count();
        if len == 0 {
            return None;
        }
        words.push((pos, pos + len));
        pos += len;
    }
    None
}

fn is_tag_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'_' | b'.')
}

/// A syslog tag at `pos`: `NAME[PID]: ` or `NAME: `. Without a timestamp (`strict`), a tag
/// without a PID is accepted only for Postfix names, so that `warning: …` stays a message.
#[allow(clippy::type_complexity)]
fn tag_at(b: &[u8], pos: usize, strict: bool) -> Option<((usize, usize), Option<(usize, usize)>, usize)> {
    let len = b[pos.min(b.len())..].iter().take_while(|c| is_tag_byte(**c)).count();
    if len == 0 || len > 64 {
        return None;
    }
    let tag = (pos, pos + len);
    let mut p = pos + len;
    let mut pid = None;
    if b.get(p) == Some(&b'[') {
        let inner = b[p + 1..].iter().take_while(|c| **c != b']' && **c != b' ').count();
        if inner == 0 || inner > 20 || b.get(p + 1 + inner) != Some(&b']') {
            return None;
        }
        pid = Some((p + 1, p + 1 + inner));
        p += inner + 2;
    }
    if b.get(p) != Some(&b':') || !matches!(b.get(p + 1), None | Some(b' ')) {
        return None;
    }
    let name = std::str::from_utf8(&b[tag.0..tag.1]).unwrap_or("");
    // `kernel: …` after a timestamp is a tag; without one, `warning: …` is a message word.
    if pid.is_none() && strict && !BARE_TAGS.contains(&name) && !name.starts_with("postfix") {
        return None;
    }
    let msg = skip_spaces(b, (p + 1).min(b.len()));
    Some((tag, pid, msg.min(b.len())))
}

/// `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
fn rfc5424(line: &str, pos: usize) -> Option<Prefixed<'_>> {
    let b = line.as_bytes();
    if pos == 0 || b.get(pos) != Some(&b'1') || b.get(pos + 1) != Some(&b' ') || b.first() != Some(&b'<') {
        return None;
    }
    let mut fields = Vec::with_capacity(5);
    let mut p = pos + 2;
    for _ in 0..5 {
        let len = b[p.min(b.len())..].iter().take_while(|c| **c != b' ').count();
        if len == 0 {
            return None;
        }
        fields.push((p, p + len));
        p = p + len + 1;
    }
    let (ts, host, app, procid, _msgid) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
    // Structured data: `-` or one or more `[...]` elements.
    if b.get(p) == Some(&b'-') {
        p += 1;
    } else {
        while b.get(p) == Some(&b'[') {
            let close = b[p..].iter().position(|c| *c == b']')?;
            p += close + 1;
        }
    }
    let mut msg = skip_spaces(b, p.min(b.len()));
    if line.get(msg..).is_some_and(|m| m.starts_with('\u{feff}')) {
        msg += 3;
    }
    let nil = |(s, e): (usize, usize)| line.get(s..e).filter(|t| *t != "-");
    Some(Prefixed {
        format: PrefixFormat::Rfc5424,
        timestamp: nil(ts),
        host: nil(host),
        tag: nil(app),
        pid: nil(procid),
        message: line.get(msg..).unwrap_or(""),
        message_offset: msg.min(line.len()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// format, timestamp, host, tag, pid, message.
    type Parts<'a> = (PrefixFormat, Option<&'a str>, Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str);

    fn parts(line: &str) -> Parts<'_> {
        let p = split_prefix(line);
        (p.format, p.timestamp, p.host, p.tag, p.pid, p.message)
    }

    #[test]
    fn classic_syslog_and_maillog_file() {
        let l = "Feb 25 21:57:22 mail postfix/smtp[25291]: Trusted TLS connection established to x";
        assert_eq!(parts(l), (PrefixFormat::Syslog, Some("Feb 25 21:57:22"), Some("mail"), Some("postfix/smtp"), Some("25291"), "Trusted TLS connection established to x"));
        let l = "Nov  3 03:47:14.123456 oracle postfix/qmgr[27132]: 542729C644F: removed";
        assert_eq!(parts(l).3, Some("postfix/qmgr"));
        assert_eq!(parts(l).1, Some("Nov  3 03:47:14.123456"));
    }

    #[test]
    fn iso_rfc3339_and_journal_forms() {
        let l = "2026-02-25T21:57:22.123456+01:00 mail postfix/smtp[1]: msg";
        assert_eq!(parts(l), (PrefixFormat::Iso, Some("2026-02-25T21:57:22.123456+01:00"), Some("mail"), Some("postfix/smtp"), Some("1"), "msg"));
        let l = "Thu 2026-02-25 21:57:22 CET mail postfix/smtp[1]: msg";
        assert_eq!(parts(l).2, Some("mail"));
        assert_eq!(parts(l).5, "msg");
        let l = "2026-02-25T21:57:22+0100 mail postfix/smtp[1]: msg";
        assert_eq!(parts(l).1, Some("2026-02-25T21:57:22+0100"));
        let l = "[ 1234.567890] mail postfix/smtp[1]: msg";
        assert_eq!(parts(l).0, PrefixFormat::Monotonic);
    }

    #[test]
    fn rfc5424_with_and_without_structured_data() {
        let l = "<22>1 2026-02-25T21:57:22.003Z mail postfix/smtp 25291 - - Verified TLS x";
        assert_eq!(parts(l), (PrefixFormat::Rfc5424, Some("2026-02-25T21:57:22.003Z"), Some("mail"), Some("postfix/smtp"), Some("25291"), "Verified TLS x"));
        let l = "<22>1 2026-02-25T21:57:22Z mail postfix/smtp - - [meta x=\"1\"] msg";
        assert_eq!(parts(l).4, None);
        assert_eq!(parts(l).5, "msg");
    }

    #[test]
    fn program_tags_without_timestamp() {
        assert_eq!(parts("postfix/smtp[27138]: global TLS level: may").3, Some("postfix/smtp"));
        assert_eq!(parts("posttls-finger: Verified TLS x").3, Some("posttls-finger"));
        assert_eq!(parts("postfix/smtp[PID]: x").4, Some("PID"));
        // A message word is not a tag without a timestamp.
        assert_eq!(parts("warning: TLS policy lookup for a/b: x").0, PrefixFormat::Bare);
        assert_eq!(parts("  Trusted TLS connection").5, "Trusted TLS connection");
    }

    #[test]
    fn timestamp_without_host_and_other_programs() {
        assert_eq!(parts("Feb 25 21:57:22 postfix/smtp[1]: x").2, None);
        assert_eq!(parts("Feb 25 21:57:22 host kernel: x").3, Some("kernel"));
    }

    #[test]
    fn garbage_never_panics() {
        for l in ["<", "<1", "<999>1", "<1>1 a b c", "[", "[ ]", "Feb", "Feb 2", "2026-", "x[", "x[1", "x[1]", "x[1]:", "é[é]: é", "\u{feff}", "<1>1 2026-01-01T00:00:00Z h a p m [x"] {
            let _ = split_prefix(l);
        }
        assert_eq!(program_of("postfix/submission/smtpd"), "smtpd");
        assert_eq!(program_of("posttls-finger"), "posttls-finger");
    }
}

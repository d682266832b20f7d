//! One line of DNS tool output, recognised: `dig` answer lines (DNS presentation format),
//! `host` sentences, `nslookup` lines. The MX and address parsers share this so they agree on
//! what a line says.

use super::chars::{first_words, trim_space};

/// Record types a `dig` answer line may carry (others are written `TYPE123`).
const RR_TYPES: &[&str] = &[
    "A",
    "AAAA",
    "CAA",
    "CNAME",
    "DNAME",
    "DNSKEY",
    "DS",
    "HINFO",
    "HTTPS",
    "MX",
    "NS",
    "NSEC",
    "NSEC3",
    "NSEC3PARAM",
    "OPT",
    "PTR",
    "RRSIG",
    "SOA",
    "SPF",
    "SRV",
    "SSHFP",
    "SVCB",
    "TLSA",
    "TXT",
];

/// DNS classes that may stand between the owner and the type.
const CLASSES: &[&str] = &["IN", "CH", "HS", "CS", "ANY"];

/// A word of the input with its byte offset in the whole text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word.
    pub text: &'a str,
    /// Byte offset of its first byte in the whole input.
    pub start: usize,
}

impl Word<'_> {
    /// One past its last byte.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// What a line of DNS tool output says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsLine<'a> {
    /// `owner [TTL] [class] TYPE rdata…` (`dig`, zone files; TTL and class optional).
    Record {
        /// Owner name as written.
        owner: Word<'a>,
        /// Record type as written.
        rtype: Word<'a>,
        /// The data words.
        rdata: Vec<Word<'a>>,
        /// Whether a TTL or class was present (a `dig` answer line rather than a typed one).
        full: bool,
    },
    /// `host`: `owner mail is handled by PREF exchange`.
    HostMx {
        /// The domain.
        owner: Word<'a>,
        /// Preference as written.
        pref: Word<'a>,
        /// Exchange as written.
        exchange: Word<'a>,
    },
    /// `host`: `owner has address A` / `owner has IPv6 address A`.
    HostAddress {
        /// The host.
        owner: Word<'a>,
        /// The address as written.
        address: Word<'a>,
    },
    /// `host`: `owner has no MX record` (or A, AAAA …).
    HostNoRecord {
        /// The domain.
        owner: Word<'a>,
        /// The record type it has none of.
        rtype: &'a str,
    },
    /// `host`: `Host name not found: 3(NXDOMAIN)`; `nslookup`: `** server can't find name:
    /// NXDOMAIN`.
    NotFound {
        /// The name looked up.
        name: Word<'a>,
        /// The DNS response code name (`NXDOMAIN`, `SERVFAIL`, …).
        rcode: &'a str,
        /// Whether this came from `nslookup` rather than `host`.
        nslookup: bool,
    },
    /// `host`: `owner is an alias for target.`
    HostAlias {
        /// The alias.
        owner: Word<'a>,
        /// Its target.
        target: Word<'a>,
    },
    /// `nslookup`: `owner mail exchanger = PREF exchange` or (Windows) `owner MX preference =
    /// PREF, mail exchanger = exchange`.
    NsLookupMx {
        /// The domain.
        owner: Word<'a>,
        /// Preference as written.
        pref: Word<'a>,
        /// Exchange as written.
        exchange: Word<'a>,
    },
    /// `nslookup`: `Name: host` (the address follows on an `Address:` line).
    NsLookupName(Word<'a>),
    /// `nslookup`: `Address: A` for the preceding `Name:`.
    NsLookupAddress(Word<'a>),
    /// `nslookup`/`host` lines about the server or the kind of answer; nothing to read.
    Chatter,
    /// A `dig` comment or header line (starts with `;`), trimmed.
    DigComment(&'a str),
}

/// Recognises `line`, which starts at byte `base` of the whole input.
pub fn classify(line: &str, base: usize) -> Option<DnsLine<'_>> {
    let trimmed = trim_space(line);
    if trimmed.starts_with(';') {
        return Some(DnsLine::DigComment(trimmed));
    }
    let (found, n) = first_words::<12>(line);
    let mut all = [Word { text: "", start: 0 }; 12];
    for (slot, &(start, text)) in all.iter_mut().zip(found.iter()) {
        *slot = Word { text, start: base + start };
    }
    let w = all.get(..n).unwrap_or(&[]);
    let t = |i: usize| w.get(i).map_or("", |x| x.text);
    let at = |i: usize| w.get(i).copied();
    if let Some(line) = chatter(w, trimmed) {
        return Some(line);
    }
    match (w.len(), t(1), t(2), t(3), t(4)) {
        (7, "mail", "is", "handled", "by") => {
            return Some(DnsLine::HostMx { owner: at(0)?, pref: at(5)?, exchange: at(6)? });
        }
        (4, "has", "address", _, _) => {
            return Some(DnsLine::HostAddress { owner: at(0)?, address: at(3)? });
        }
        (5, "has", "IPv6", "address", _) => {
            return Some(DnsLine::HostAddress { owner: at(0)?, address: at(4)? });
        }
        (5, "has", "no", rtype, "record") => {
            return Some(DnsLine::HostNoRecord { owner: at(0)?, rtype });
        }
        (6, "is", "an", "alias", "for") => {
            return Some(DnsLine::HostAlias { owner: at(0)?, target: at(5)? });
        }
        (6, "mail", "exchanger", "=", _) => {
            return Some(DnsLine::NsLookupMx { owner: at(0)?, pref: at(4)?, exchange: at(5)? });
        }
        (9, "MX", "preference", "=", _) if t(5) == "mail" && t(6) == "exchanger" && t(7) == "=" => {
            let pref = at(4)?;
            let pref = Word { text: pref.text.trim_end_matches(','), start: pref.start };
            return Some(DnsLine::NsLookupMx { owner: at(0)?, pref, exchange: at(8)? });
        }
        _ => {}
    }
    if t(0) == "Host" && t(2) == "not" && t(3) == "found:" {
        let code = t(4);
        let rcode = code.split_once('(').and_then(|(_, r)| r.strip_suffix(')')).unwrap_or(code);
        return Some(DnsLine::NotFound { name: at(1)?, rcode, nslookup: false });
    }
    if t(0) == "**" && t(1) == "server" && t(2) == "can't" && t(3) == "find" {
        let name = at(4)?;
        let name = Word { text: name.text.trim_end_matches(':'), start: name.start };
        return Some(DnsLine::NotFound { name, rcode: t(5), nslookup: true });
    }
    record(w)
}

/// `nslookup`/`host` lines that carry no records, and `Name:`/`Address:` pairs.
fn chatter<'a>(w: &[Word<'a>], trimmed: &str) -> Option<DnsLine<'a>> {
    let first = w.first()?.text;
    let second = w.get(1).copied();
    match (first, w.len()) {
        ("Server:" | "Aliases:", _) => Some(DnsLine::Chatter),
        ("Non-authoritative" | "Authoritative", _) if trimmed.ends_with(':') => Some(DnsLine::Chatter),
        ("***", _) => Some(DnsLine::Chatter),
        ("Using", _) if trimmed == "Using domain server:" => Some(DnsLine::Chatter),
        ("Name:", 2) => second.map(DnsLine::NsLookupName),
        ("Address:" | "Addresses:", 2) => {
            let a = second?;
            if a.text.contains('#') {
                Some(DnsLine::Chatter)
            } else {
                Some(DnsLine::NsLookupAddress(a))
            }
        }
        _ => None,
    }
}

/// `owner [TTL] [class] TYPE rdata…`, TTL and class in either order.
fn record<'a>(w: &[Word<'a>]) -> Option<DnsLine<'a>> {
    if w.len() < 3 {
        return None;
    }
    let owner = *w.first()?;
    let mut i = 1;
    let mut full = false;
    for _ in 0..2 {
        let word = w.get(i)?.text;
        let is_ttl = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
        let is_class = CLASSES.iter().any(|c| c.eq_ignore_ascii_case(word));
        if is_ttl || is_class {
            i += 1;
            full = true;
        }
    }
    let rtype = *w.get(i)?;
    let known = RR_TYPES.iter().any(|t| t.eq_ignore_ascii_case(rtype.text))
        || rtype.text.strip_prefix("TYPE").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let rdata: Vec<Word<'a>> = w.get(i + 1..)?.to_vec();
    (known && !rdata.is_empty()).then_some(DnsLine::Record { owner, rtype, rdata, full })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &DnsLine<'_>) -> Vec<String> {
        match line {
            DnsLine::Record { owner, rtype, rdata, full } => {
                let mut v = vec![owner.text.to_string(), rtype.text.to_string(), full.to_string()];
                v.extend(rdata.iter().map(|w| w.text.to_string()));
                v
            }
            DnsLine::HostMx { owner, pref, exchange } | DnsLine::NsLookupMx { owner, pref, exchange } => {
                vec![owner.text.into(), pref.text.into(), exchange.text.into()]
            }
            other => vec![format!("{other:?}")],
        }
    }

    #[test]
    fn host_output() {
        let l = classify("fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.", 100);
        let l = l.unwrap_or(DnsLine::Chatter);
        assert_eq!(texts(&l), vec!["fastmail.fm", "10", "in1-smtp.messagingengine.com."]);
        if let DnsLine::HostMx { exchange, .. } = l {
            assert_eq!(exchange.start, 134);
        }
        assert!(matches!(
            classify("Host fastmail.invalid not found: 3(NXDOMAIN)", 0),
            Some(DnsLine::NotFound { rcode: "NXDOMAIN", nslookup: false, .. })
        ));
        assert!(matches!(classify("fastmail.fm has no MX record", 0), Some(DnsLine::HostNoRecord { rtype: "MX", .. })));
        assert!(matches!(classify("x.example has IPv6 address 2001:db8::1", 0), Some(DnsLine::HostAddress { .. })));
        assert!(matches!(classify("www.example is an alias for x.example.", 0), Some(DnsLine::HostAlias { .. })));
    }

    #[test]
    fn dig_lines() {
        let l = classify("fastmail.fm.\t\t3600\tIN\tMX\t10 in1-smtp.messagingengine.com.", 0);
        let l = l.unwrap_or(DnsLine::Chatter);
        assert_eq!(texts(&l), vec!["fastmail.fm.", "MX", "true", "10", "in1-smtp.messagingengine.com."]);
        let l = classify("mx.example IN 300 A 192.0.2.1", 0).unwrap_or(DnsLine::Chatter);
        assert_eq!(texts(&l), vec!["mx.example", "A", "true", "192.0.2.1"]);
        let l = classify("mx.example A 192.0.2.1", 0).unwrap_or(DnsLine::Chatter);
        assert_eq!(texts(&l), vec!["mx.example", "A", "false", "192.0.2.1"]);
        assert!(matches!(classify(";; flags: qr rd ra ad;", 0), Some(DnsLine::DigComment(_))));
        assert_eq!(classify("in1.example in2.example", 0), None);
        assert_eq!(classify("10 in1.example", 0), None);
        assert_eq!(classify("x", 0), None);
    }

    #[test]
    fn nslookup_lines() {
        let l = classify("fastmail.fm\tmail exchanger = 10 in1-smtp.messagingengine.com.", 0);
        assert_eq!(texts(&l.unwrap_or(DnsLine::Chatter)), vec!["fastmail.fm", "10", "in1-smtp.messagingengine.com."]);
        let l = classify("fastmail.fm     MX preference = 20, mail exchanger = in2-smtp.messagingengine.com", 0);
        assert_eq!(texts(&l.unwrap_or(DnsLine::Chatter)), vec!["fastmail.fm", "20", "in2-smtp.messagingengine.com"]);
        assert_eq!(classify("Server:\t\t127.0.0.53", 0), Some(DnsLine::Chatter));
        assert_eq!(classify("Address:\t127.0.0.53#53", 0), Some(DnsLine::Chatter));
        assert_eq!(classify("Non-authoritative answer:", 0), Some(DnsLine::Chatter));
        assert!(matches!(classify("Name:\tmx.example", 0), Some(DnsLine::NsLookupName(_))));
        assert!(matches!(classify("Address: 192.0.2.1", 0), Some(DnsLine::NsLookupAddress(_))));
        assert!(matches!(
            classify("** server can't find nope.example: NXDOMAIN", 0),
            Some(DnsLine::NotFound { rcode: "NXDOMAIN", nslookup: true, .. })
        ));
    }
}

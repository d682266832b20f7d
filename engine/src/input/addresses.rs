//! Per-host address records a person types or pastes, so the explanation can show which IP
//! address Postfix connects to for each MX host (Postfix logs `host[address]:port`).
//!
//! Accepted, mixed freely: `host A 192.0.2.1`, `host AAAA 2001:db8::1`, `host 192.0.2.1 …`,
//! `/etc/hosts` style `192.0.2.1 host …`, `host` output (`host has address …`,
//! `host has IPv6 address …`), `dig` answer lines and `nslookup` `Name:`/`Address:` pairs.

use super::chars::{inline_comment, words};
use super::command::shell_command;
use super::diagnostics::Sink;
use super::dnsline::{classify, DnsLine, Word};
use super::hostname::hostname_problem;
use super::lines::physical_lines;
use crate::diag::{Diagnostic, Source, Span};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Most records kept; more are reported with `addresses.too-many`.
pub const ADDRESS_LIMIT: usize = 10_000;

/// One address of one host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressRecord {
    /// Host name as written, without a trailing dot.
    pub host: String,
    /// The address.
    pub address: IpAddr,
    /// Where the record is (the line, or the address for multi-address lines).
    pub span: Span,
}

/// Parsed address records and findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressList {
    /// Records in input order.
    pub records: Vec<AddressRecord>,
    /// Findings, with positions filled.
    pub diagnostics: Vec<Diagnostic>,
}

impl AddressList {
    /// The addresses of `host` in input order, without repeats (host compared without case
    /// and without a trailing dot, as DNS names compare).
    pub fn for_host(&self, host: &str) -> Vec<IpAddr> {
        addresses_for(&self.records, host)
    }
}

/// Addresses of `host` in `records` (shared with the MX list).
pub(crate) fn addresses_for(records: &[AddressRecord], host: &str) -> Vec<IpAddr> {
    let host = strip_dot(host);
    let mut out: Vec<IpAddr> = Vec::new();
    for r in records.iter().filter(|r| r.host.eq_ignore_ascii_case(host)) {
        if !out.contains(&r.address) {
            out.push(r.address);
        }
    }
    out
}

/// Reads address records. Never fails.
pub fn parse_addresses(text: &str) -> AddressList {
    let mut reader = AddressReader::new(Source::Addresses, "addresses");
    for (line, offset, _) in physical_lines(text.as_bytes()) {
        // A byte order mark from a copied file is no part of the first name.
        let (line, offset) = match line.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) if offset == 0 => (rest, 3),
            _ => (line, offset),
        };
        let Ok(line) = std::str::from_utf8(line) else { continue };
        reader.line(line, offset);
    }
    AddressList { records: reader.records, diagnostics: reader.sink.finish(text) }
}

/// Address collection shared by [`parse_addresses`] and the MX parser (which finds `A`/`AAAA`
/// lines and `host … has address` lines among MX output).
pub(crate) struct AddressReader {
    /// Records so far.
    pub records: Vec<AddressRecord>,
    /// Findings so far.
    pub sink: Sink,
    source: Source,
    prefix: &'static str,
    nslookup_name: Option<String>,
    too_many: bool,
}

impl AddressReader {
    /// A reader that reports into `source` with codes `{prefix}.…`.
    pub(crate) fn new(source: Source, prefix: &'static str) -> Self {
        AddressReader {
            records: Vec::new(),
            sink: Sink::new(prefix, source),
            source,
            prefix,
            nslookup_name: None,
            too_many: false,
        }
    }

    /// Handles a recognised DNS line; true when it was about addresses.
    pub(crate) fn dns_line(&mut self, l: &DnsLine<'_>, line_span: Span) -> bool {
        match l {
            DnsLine::Record { owner, rtype, rdata, .. } if is_address_type(rtype.text) => {
                let want_v6 = rtype.text.eq_ignore_ascii_case("AAAA");
                match rdata.as_slice() {
                    [a] => self.add(owner.text, *a, Some(want_v6), line_span),
                    _ => self.unreadable(line_span, "address-count", "an A or AAAA record has exactly one address"),
                }
                true
            }
            DnsLine::HostAddress { owner, address } => {
                self.add(owner.text, *address, None, line_span);
                true
            }
            DnsLine::NsLookupName(name) => {
                self.nslookup_name = Some(name.text.to_string());
                true
            }
            DnsLine::NsLookupAddress(address) => {
                match self.nslookup_name.clone() {
                    Some(host) => self.add(&host, *address, None, line_span),
                    None => self.unreadable(line_span, "address-without-name", "an Address: line without a Name: line before it"),
                }
                true
            }
            _ => false,
        }
    }

    /// One line of an address list.
    pub(crate) fn line(&mut self, line: &str, offset: usize) {
        let trimmed = super::chars::trim_space(line);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        let lead = line.len() - super::chars::trim_space_start(line).len();
        let span = Span::new(offset + lead, offset + lead + trimmed.len());
        if let Some(l) = classify(line, offset) {
            if self.dns_line(&l, span) {
                return;
            }
            self.other_dns_line(&l, span);
            return;
        }
        if let Some(cmd) = shell_command(line) {
            self.sink.push_with(|| {
                Diagnostic::info(
                    &code(self.prefix, "command-line"),
                    self.source,
                    format!("This line is a shell command ({}); its output is read below it.", cmd.command),
                )
                .at(span)
                .param("program", cmd.command)
                .param("command", cmd.text)
            });
            return;
        }
        self.plain(line, offset, span);
    }

    /// DNS output that has no addresses: notes for lookups that failed, silence for the rest.
    fn other_dns_line(&mut self, l: &DnsLine<'_>, span: Span) {
        if let DnsLine::NotFound { name, rcode, .. } = l {
            self.sink.push_with(|| {
                shared(self.prefix, Diagnostic::info(
                    &code(self.prefix, "lookup-failed"),
                    self.source,
                    format!("The lookup of {} failed ({rcode}).", name.text),
                )
                .at(span)
                .param("domain", strip_dot(name.text))
                .param("rcode", *rcode))
            });
        }
    }

    /// `host addr…`, `host: addr`, or `/etc/hosts` style `addr host…`.
    fn plain(&mut self, line: &str, offset: usize, span: Span) {
        let line = inline_comment(line).and_then(|at| line.get(..at)).unwrap_or(line);
        let w: Vec<Word<'_>> = words(line).map(|(start, text)| Word { text, start: offset + start }).collect();
        let Some(first) = w.first().copied() else { return };
        let rest = w.get(1..).unwrap_or(&[]);
        if parse_ip(first.text).is_some() {
            if rest.is_empty() {
                self.sink.push_with(|| {
                    Diagnostic::warning(
                        &code(self.prefix, "missing-host"),
                        self.source,
                        format!("The address {} has no host name.", first.text),
                    )
                    .at(span)
                    .hint("Write the host name before the address: \"mx.example.com 192.0.2.1\".")
                    .param("address", first.text)
                });
                return;
            }
            for host in rest {
                self.add(host.text, first, None, Span::new(first.start, host.end()));
            }
            return;
        }
        let host = first.text.strip_suffix(':').unwrap_or(first.text);
        if rest.is_empty() || !rest.iter().any(|a| parse_ip(a.text).is_some()) {
            self.unreadable(span, "host-and-address", "expected a host name and an IP address");
            return;
        }
        for a in rest {
            self.add(host, *a, None, Span::new(a.start, a.end()));
        }
    }

    /// `reason` is the `diag.reason.*` keyword of `why`.
    fn unreadable(&mut self, span: Span, reason: &str, why: &str) {
        self.sink.push_with(|| {
            shared(self.prefix, Diagnostic::warning(
                &code(self.prefix, "unreadable-line"),
                self.source,
                format!("This line could not be read: {why}."),
            )
            .at(span)
            .hint("Write one host and its addresses per line, e.g. \"mx.example.com 192.0.2.1\".")
            .param("reason", why)
            .param("reason_code", reason))
        });
    }

    /// Adds `host`'s address `address`; `want_v6` checks the family for A/AAAA records.
    fn add(&mut self, host: &str, address: Word<'_>, want_v6: Option<bool>, span: Span) {
        let Some(ip) = parse_ip(address.text) else {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    &code(self.prefix, "bad-address"),
                    self.source,
                    format!("\"{}\" is not an IP address.", address.text),
                )
                .at(Span::new(address.start, address.end()))
                .param("address", address.text)
                .param("host", strip_dot(host))
            });
            return;
        };
        if let Some(v6) = want_v6 {
            if ip.is_ipv6() != v6 {
                let (ty, want) = if v6 { ("AAAA", "IPv6") } else { ("A", "IPv4") };
                self.sink.push_with(|| {
                    Diagnostic::warning(
                        &code(self.prefix, "bad-address"),
                        self.source,
                        format!("An {ty} record holds an {want} address, not {}.", address.text),
                    )
                    .at(Span::new(address.start, address.end()))
                    .param("address", address.text)
                    .param("host", strip_dot(host))
                    .param("variant", "family")
                    .param("record_type", ty)
                    .param("family", want)
                });
                return;
            }
        }
        let host = strip_dot(host);
        if let Some(problem) = hostname_problem(host, false) {
            let why = problem.describe();
            self.sink.push_with(|| {
                let d = Diagnostic::warning(
                    &code(self.prefix, "bad-hostname"),
                    self.source,
                    format!("\"{host}\" is not a valid host name: {why}."),
                )
                .at(span)
                .param("host", host)
                .param("reason", why);
                shared(self.prefix, problem.params(d))
            });
        }
        if self.records.len() >= ADDRESS_LIMIT {
            if !self.too_many {
                self.too_many = true;
                self.sink.push_with(|| {
                    shared(self.prefix, Diagnostic::warning(
                        &code(self.prefix, "too-many"),
                        self.source,
                        format!("More than {ADDRESS_LIMIT} addresses; only the first {ADDRESS_LIMIT} are used."),
                    )
                    .at(span)
                    .param("limit", ADDRESS_LIMIT.to_string()))
                });
            }
            return;
        }
        self.records.push(AddressRecord { host: host.to_string(), address: ip, span });
    }
}

/// In the MX pane, the findings this reader shares a code with the MX reader
/// (`mx.unreadable-line`, `mx.lookup-failed`, `mx.bad-hostname`, `mx.too-many`) are told apart
/// by `variant = address`: their words differ.
fn shared(prefix: &str, d: Diagnostic) -> Diagnostic {
    if prefix == "mx" {
        d.param("variant", "address")
    } else {
        d
    }
}

/// `{prefix}.{what}`: the same findings are `addresses.…` or `mx.…` codes.
fn code(prefix: &str, what: &str) -> String {
    format!("{prefix}.{what}")
}

fn is_address_type(t: &str) -> bool {
    t.eq_ignore_ascii_case("A") || t.eq_ignore_ascii_case("AAAA")
}

/// An IP address as people write it: plain, or IPv6 in brackets.
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    let t = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text);
    t.parse().ok()
}

/// A DNS name without its trailing root dot (Postfix's names have none).
pub(crate) fn strip_dot(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pairs(l: &AddressList) -> Vec<(String, String)> {
        l.records.iter().map(|r| (r.host.clone(), r.address.to_string())).collect()
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let l = parse_addresses("\u{feff}mx.example.com has address 192.0.2.1\n");
        assert_eq!(l.records.len(), 1);
        assert_eq!(l.records[0].host, "mx.example.com");
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    }

    fn codes(l: &AddressList) -> Vec<&str> {
        l.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn all_forms() {
        let text = "\
mx1.example A 192.0.2.1
mx1.example AAAA 2001:db8::1
mx2.example 192.0.2.2 192.0.2.3
mx3.example: [2001:db8::3]
192.0.2.4 mx4.example mx4b.example.
in1-smtp.messagingengine.com has address 66.111.4.74
in1-smtp.messagingengine.com has IPv6 address 2001:db8::74
mx5.example.\t\t300\tIN\tA\t192.0.2.5
Name:\tmx6.example
Address: 192.0.2.6
";
        let l = parse_addresses(text);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        assert_eq!(pairs(&l).len(), 11);
        assert_eq!(
            l.for_host("MX1.example."),
            vec![
                "192.0.2.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0])),
                "2001:db8::1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
            ]
        );
        assert_eq!(l.for_host("mx4b.example").len(), 1);
        assert_eq!(l.for_host("mx5.example").len(), 1);
        assert_eq!(l.for_host("mx6.example").len(), 1);
        let r = &l.records[2];
        assert_eq!(r.span.slice(text), "192.0.2.2");
    }

    #[test]
    fn problems() {
        let text = "mx A 2001:db8::1\nmx1.example 999.1.1.1 192.0.2.1\n192.0.2.9\njust words here\nbad_host!.example 192.0.2.7\nAddress: 192.0.2.8\n$ dig +short a mx.example\n";
        let l = parse_addresses(text);
        assert_eq!(
            codes(&l),
            vec![
                "addresses.bad-address",
                "addresses.bad-address",
                "addresses.missing-host",
                "addresses.unreadable-line",
                "addresses.bad-hostname",
                "addresses.unreadable-line",
                "addresses.command-line",
            ]
        );
        assert_eq!(pairs(&l).len(), 2);
    }

    #[test]
    fn dedupes_for_host() {
        let l = parse_addresses("a.example 192.0.2.1 # old\na.example 192.0.2.1\n");
        assert_eq!(l.records.len(), 2);
        assert_eq!(l.for_host("a.example").len(), 1);
    }

    #[test]
    fn caps_records() {
        let text = "h.example 192.0.2.1\n".repeat(ADDRESS_LIMIT + 3);
        let l = parse_addresses(&text);
        assert_eq!(l.records.len(), ADDRESS_LIMIT);
        assert_eq!(codes(&l), vec!["addresses.too-many"]);
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_fit(text in "(\\PC|[ \t\r\n:.\\[\\]0-9a-fA]){0,200}") {
            let l = parse_addresses(&text);
            for r in &l.records {
                prop_assert!(r.span.end <= text.len());
            }
            for d in &l.diagnostics {
                let s = d.span.unwrap_or_default();
                prop_assert!(s.start <= s.end && s.end <= text.len());
            }
        }
    }
}

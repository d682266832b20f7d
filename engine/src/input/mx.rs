//! MX lists as people paste them: plain names, `dig +short`, `host -t MX`, full `dig`
//! output, `nslookup` output, mixed.
//!
//! Postfix sees MX exchanges the way `dns_lookup.c` hands them over: without the trailing
//! root dot, in the case the zone has them; an exchange that fails `valid_hostname()` (with
//! a leading `*.` allowed) is dropped with a warning, a numeric one is used with a warning,
//! and an empty one (`0 .`, RFC 7505 null MX) means the domain accepts no mail at all.
//! Without written preferences, names get 10, 20, 30… by position.

use super::addresses::{addresses_for, strip_dot, AddressReader, AddressRecord};
use super::chars::{inline_comment, trim_space, trim_space_start, words};
use super::command::shell_command;
use super::diagnostics::Sink;
use super::dnsline::{classify, DnsLine, Word};
use super::hostname::{hostname_problem, valid_hostaddr, HostnameProblem};
use super::lines::physical_lines;
use crate::diag::{Diagnostic, Source, Span};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// Most MX records kept; more are reported with `mx.too-many`.
pub const MX_LIMIT: usize = 10_000;

/// One MX record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxRecord {
    /// Preference (lower is tried first); 10, 20, 30… by position when not written.
    pub preference: u16,
    /// Exchange host name as written, without the trailing dot.
    pub exchange: String,
    /// The domain the record belongs to, when the input says (`host`, `dig`, `nslookup`).
    pub owner: Option<String>,
    /// The record's text: the line, or the name (with `,PREF`) in a plain list.
    pub span: Span,
    /// Just the exchange name as written (with its trailing dot, if any).
    pub exchange_span: Span,
}

/// How the MX input was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MxFormat {
    /// Nothing readable.
    Empty,
    /// Host names, one per line or separated by spaces or commas, optionally `name,PREF`.
    Plain,
    /// `PREF name` lines, like `dig +short MX`.
    DigShort,
    /// `host -t MX` sentences.
    HostCommand,
    /// Full `dig` output or zone-file style records.
    Dig,
    /// `nslookup` output.
    NsLookup,
    /// More than one of the above.
    Mixed,
}

/// A parsed MX list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxList {
    /// Usable records in input order.
    pub records: Vec<MxRecord>,
    /// Distinct owner domains of the MX records (first spelling kept; compared without case).
    pub owners: Vec<String>,
    /// A/AAAA records found in the same input (`dig` additional section, `host` lines).
    pub addresses: Vec<AddressRecord>,
    /// The `ad` (authenticated data) flag of `dig` output: `Some(true)` only when every
    /// `;; flags:` line had it; `None` without `dig` headers.
    pub dnssec_ad: Option<bool>,
    /// True when a null MX (`0 .`) was seen: the domain accepts no mail.
    pub null_mx: bool,
    /// How the input was written.
    pub format: MxFormat,
    /// Findings, with positions filled.
    pub diagnostics: Vec<Diagnostic>,
}

impl MxList {
    /// Records by preference, input order kept among equal preferences (Postfix shuffles
    /// equal-preference hosts when `smtp_randomize_addresses = yes`, the default).
    pub fn sorted(&self) -> Vec<&MxRecord> {
        let mut v: Vec<&MxRecord> = self.records.iter().collect();
        v.sort_by_key(|r| r.preference);
        v
    }

    /// Addresses found for `host` in this input.
    pub fn addresses_for(&self, host: &str) -> Vec<IpAddr> {
        addresses_for(&self.addresses, host)
    }
}

/// Reads an MX list. Never fails.
pub fn parse_mx(text: &str) -> MxList {
    let mut p = MxParser::new();
    for (line, offset, _) in physical_lines(text.as_bytes()) {
        // A byte order mark from a copied file is no part of the first name.
        let (line, offset) = match line.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) if offset == 0 => (rest, 3),
            _ => (line, offset),
        };
        let Ok(line) = std::str::from_utf8(line) else { continue };
        p.line(line, offset);
    }
    p.finish_dig();
    let formats = p.formats;
    let format = match formats.as_slice() {
        [] => MxFormat::Empty,
        [one] => *one,
        _ => MxFormat::Mixed,
    };
    let mut sink = p.sink;
    for d in p.addresses.sink.finish(text) {
        sink.push(d);
    }
    let mut diagnostics = sink.finish(text);
    diagnostics.sort_by_key(|d| d.span.map_or(usize::MAX, |s| s.start));
    MxList {
        records: p.records,
        owners: p.owners,
        addresses: p.addresses.records,
        dnssec_ad: p.dnssec_ad,
        null_mx: p.null_mx,
        format,
        diagnostics,
    }
}

/// `dig` section the next record line belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Question,
    Answer,
    Authority,
    Additional,
    Other,
}

/// What one `dig` run said about itself, reported when the run ends.
#[derive(Default)]
struct DigRun {
    status: Option<(String, Span)>,
    answers: Option<usize>,
    question: Option<(String, String)>,
}

struct MxParser {
    sink: Sink,
    records: Vec<MxRecord>,
    owners: Vec<String>,
    addresses: AddressReader,
    dnssec_ad: Option<bool>,
    null_mx: bool,
    formats: Vec<MxFormat>,
    section: Section,
    dig: DigRun,
    too_many: bool,
}

impl MxParser {
    fn new() -> Self {
        MxParser {
            sink: Sink::new("mx", Source::Mx),
            records: Vec::new(),
            owners: Vec::new(),
            addresses: AddressReader::new(Source::Mx, "mx"),
            dnssec_ad: None,
            null_mx: false,
            formats: Vec::new(),
            section: Section::None,
            dig: DigRun::default(),
            too_many: false,
        }
    }

    fn seen(&mut self, f: MxFormat) {
        if !self.formats.contains(&f) {
            self.formats.push(f);
        }
    }

    fn line(&mut self, line: &str, offset: usize) {
        let trimmed = trim_space(line);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return;
        }
        let lead = line.len() - trim_space_start(line).len();
        let span = Span::new(offset + lead, offset + lead + trimmed.len());
        if let Some(l) = classify(line, offset) {
            self.dns_line(&l, span);
            return;
        }
        if let Some(cmd) = shell_command(line) {
            self.sink.push_with(|| {
                Diagnostic::info(
                    "mx.command-line",
                    Source::Mx,
                    format!("This line is a shell command ({}); its output is read below it.", cmd.command),
                )
                .at(span)
                .param("program", cmd.command)
                .param("command", cmd.text)
            });
            return;
        }
        // People annotate typed lists: "mx1.example.com  # primary".
        let content = inline_comment(line).and_then(|at| line.get(..at)).unwrap_or(line);
        let w: Vec<Word<'_>> = words(content).map(|(s, text)| Word { text, start: offset + s }).collect();
        if let [pref, exchange] = w.as_slice() {
            if is_number(pref.text) {
                self.seen(MxFormat::DigShort);
                self.mx(pref.text, *exchange, None, span);
                return;
            }
        }
        self.plain(&w, span);
    }

    fn dns_line(&mut self, l: &DnsLine<'_>, span: Span) {
        match l {
            DnsLine::DigComment(c) => {
                self.seen(MxFormat::Dig);
                self.dig_comment(c, span);
            }
            DnsLine::Record { owner, rtype, rdata, .. } => {
                self.seen(MxFormat::Dig);
                if matches!(self.section, Section::Question | Section::Authority) {
                    return;
                }
                if rtype.text.eq_ignore_ascii_case("MX") {
                    match rdata.as_slice() {
                        [pref, exchange] => self.mx(pref.text, *exchange, Some(owner.text), span),
                        _ => self.unreadable(span, "mx-shape", "", || "an MX record has a preference and an exchange".to_string()),
                    }
                } else {
                    self.addresses.dns_line(l, span);
                }
            }
            DnsLine::HostMx { owner, pref, exchange } => {
                self.seen(MxFormat::HostCommand);
                self.mx(pref.text, *exchange, Some(owner.text), span);
            }
            DnsLine::NsLookupMx { owner, pref, exchange } => {
                self.seen(MxFormat::NsLookup);
                self.mx(pref.text, *exchange, Some(owner.text), span);
            }
            DnsLine::HostAddress { .. } => {
                self.seen(MxFormat::HostCommand);
                self.addresses.dns_line(l, span);
            }
            DnsLine::NsLookupName(_) | DnsLine::NsLookupAddress(_) => {
                self.seen(MxFormat::NsLookup);
                self.addresses.dns_line(l, span);
            }
            DnsLine::HostNoRecord { owner, rtype } => {
                self.seen(MxFormat::HostCommand);
                if rtype.eq_ignore_ascii_case("MX") {
                    self.no_mx(strip_dot(owner.text), span);
                }
            }
            DnsLine::NotFound { name, rcode, nslookup } => {
                self.seen(if *nslookup { MxFormat::NsLookup } else { MxFormat::HostCommand });
                self.rcode(strip_dot(name.text), rcode, span);
            }
            DnsLine::HostAlias { .. } => self.seen(MxFormat::HostCommand),
            DnsLine::Chatter => {}
        }
    }

    /// `dig` header and section lines.
    fn dig_comment(&mut self, c: &str, span: Span) {
        if c.starts_with("; <<>> DiG") {
            self.finish_dig();
            return;
        }
        if let Some(rest) = c.strip_prefix(";; ->>HEADER<<-") {
            if let Some(status) = field(rest, "status:") {
                self.dig.status = Some((status.to_string(), span));
            }
            return;
        }
        if let Some(rest) = c.strip_prefix(";; flags:") {
            let (flags, counts) = rest.split_once(';').unwrap_or((rest, ""));
            let ad = flags.split_whitespace().any(|f| f == "ad");
            self.dnssec_ad = Some(self.dnssec_ad.unwrap_or(true) && ad);
            self.dig.answers = field(counts, "ANSWER:").and_then(|n| n.parse().ok());
            return;
        }
        if let Some(name) = c.strip_suffix(" SECTION:").and_then(|s| s.strip_prefix(";; ")) {
            self.section = match name {
                "QUESTION" => Section::Question,
                "ANSWER" => Section::Answer,
                "AUTHORITY" => Section::Authority,
                "ADDITIONAL" => Section::Additional,
                _ => Section::Other,
            };
            return;
        }
        if c.starts_with(";; connection timed out") || c.starts_with(";; communications error") {
            self.sink.push_with(|| {
                Diagnostic::warning("mx.lookup-failed", Source::Mx, "The DNS lookup got no answer.")
                    .at(span)
                    .hint("Run the lookup again, or type the MX host names.")
                    .param("rcode", "timeout")
                    .param("variant", "timeout")
            });
            return;
        }
        if self.section == Section::Question {
            let w: Vec<&str> = c.trim_start_matches(';').split_whitespace().collect();
            if let (Some(name), Some(rtype)) = (w.first(), w.last()) {
                self.dig.question = Some((strip_dot(name).to_string(), rtype.to_string()));
            }
        }
    }

    /// Reports what the finished `dig` run said: NXDOMAIN, no MX records, or a failure.
    fn finish_dig(&mut self) {
        let run = std::mem::take(&mut self.dig);
        self.section = Section::None;
        let Some((status, span)) = run.status else { return };
        let (domain, qtype) = run.question.unwrap_or_default();
        if status == "NOERROR" {
            if run.answers == Some(0) && qtype.eq_ignore_ascii_case("MX") {
                self.no_mx(&domain, span);
            }
        } else {
            self.rcode(&domain, &status, span);
        }
    }

    fn no_mx(&mut self, domain: &str, span: Span) {
        self.sink.push_with(|| {
            Diagnostic::info(
                "mx.no-mx-record",
                Source::Mx,
                format!(
                    "{domain} has no MX record. Postfix then delivers to the domain's own \
                     address records, as if {domain} were its only MX host."
                ),
            )
            .at(span)
            .param("domain", domain)
        });
    }

    fn rcode(&mut self, domain: &str, rcode: &str, span: Span) {
        let d = if rcode == "NXDOMAIN" {
            Diagnostic::info(
                "mx.nxdomain",
                Source::Mx,
                format!("{domain} does not exist in DNS (NXDOMAIN); Postfix bounces mail for it."),
            )
            .hint("Check the spelling of the domain.")
        } else {
            Diagnostic::warning(
                "mx.lookup-failed",
                Source::Mx,
                format!("The MX lookup of {domain} failed ({rcode}); Postfix defers mail for it."),
            )
        };
        self.sink.push(d.at(span).param("domain", domain).param("rcode", rcode));
    }

    /// A plain list line: names separated by spaces or commas, each optionally `name,PREF`.
    fn plain(&mut self, w: &[Word<'_>], span: Span) {
        let mut items: Vec<(Word<'_>, Option<&str>, Span)> = Vec::new();
        let mut stray: Option<Word<'_>> = None;
        for word in w {
            let mut at = word.start;
            // The name in this word that a following `,PREF` belongs to.
            let mut awaiting: Option<usize> = None;
            for piece in word.text.split(',') {
                let here = Word { text: piece, start: at };
                at += piece.len() + 1;
                if piece.is_empty() {
                    continue;
                }
                if !is_number(piece) {
                    items.push((here, None, Span::new(here.start, here.end())));
                    awaiting = Some(items.len() - 1);
                } else if let Some(item) = awaiting.take().and_then(|i| items.get_mut(i)) {
                    item.1 = Some(piece);
                    item.2 = Span::new(item.2.start, here.end());
                } else {
                    stray.get_or_insert(here);
                }
            }
        }
        if let Some(s) = stray {
            self.unreadable(span, "stray-number", s.text, || {
                format!("\"{}\" is a number without a host name (write name,PREF or PREF name)", s.text)
            });
            return;
        }
        if items.len() > 1 {
            let bad = items.iter().find(|(name, _, _)| {
                let n = strip_dot(name.text);
                !n.contains('.') || hostname_problem(n, true).is_some()
            });
            if let Some((name, _, _)) = bad {
                let name = name.text;
                self.unreadable(span, "not-a-host", name, || format!("\"{name}\" is not a host name"));
                return;
            }
        }
        self.seen(MxFormat::Plain);
        for (name, pref, item_span) in items {
            let pref = pref.map_or_else(|| self.default_preference(), str::to_string);
            self.mx(&pref, name, None, item_span);
        }
    }

    fn default_preference(&self) -> String {
        ((self.records.len() + 1) * 10).min(usize::from(u16::MAX)).to_string()
    }

    /// `reason` is the `diag.reason.*` keyword of `why`; `word` the text it is about (if any).
    fn unreadable(&mut self, span: Span, reason: &str, word: &str, why: impl FnOnce() -> String) {
        self.sink.push_with(|| {
            let why = why();
            Diagnostic::warning(
                "mx.unreadable-line",
                Source::Mx,
                format!("This line could not be read as MX records: {why}."),
            )
            .at(span)
            .hint("Paste `host -t MX domain` or `dig MX domain` output, or write one host name per line.")
            .param("reason", why)
            .param("reason_code", reason)
            .param("word", word)
        });
    }

    /// Checks and adds one MX record.
    fn mx(&mut self, pref: &str, exchange: Word<'_>, owner: Option<&str>, span: Span) {
        let exchange_span = Span::new(exchange.start, exchange.end());
        let owner = owner.map(strip_dot);
        let Some(preference) = pref.parse::<u16>().ok().filter(|_| is_number(pref)) else {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    "mx.bad-preference",
                    Source::Mx,
                    format!("\"{pref}\" is not an MX preference (a number from 0 to 65535)."),
                )
                .at(span)
                .param("preference", pref)
            });
            return;
        };
        let name = strip_dot(exchange.text);
        if name.is_empty() {
            self.null_mx = true;
            self.owner(owner);
            let domain = owner.unwrap_or("The domain");
            self.sink.push_with(|| {
                let d = Diagnostic::info(
                    "mx.null-mx",
                    Source::Mx,
                    format!(
                        "{domain} publishes a null MX (\".\"): it accepts no mail, and Postfix bounces mail for it."
                    ),
                )
                .at(span)
                .param("domain", owner.unwrap_or(""));
                if owner.is_some() {
                    d
                } else {
                    d.param("variant", "unknown-domain")
                }
            });
            return;
        }
        if valid_hostaddr(name) {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    "mx.numeric-exchange",
                    Source::Mx,
                    format!(
                        "The MX exchange {name} is an IP address, not a host name; Postfix uses it but logs a warning."
                    ),
                )
                .at(exchange_span)
                .hint("An MX record should name a host, which has A/AAAA records.")
                .param("exchange", name)
            });
        } else if let Some(problem) = hostname_problem(name, true) {
            self.bad_hostname(name, problem, exchange_span);
            return;
        }
        if self.records.len() >= MX_LIMIT {
            if !self.too_many {
                self.too_many = true;
                self.sink.push_with(|| {
                    Diagnostic::warning(
                        "mx.too-many",
                        Source::Mx,
                        format!("More than {MX_LIMIT} MX records; only the first {MX_LIMIT} are used."),
                    )
                    .at(span)
                    .param("limit", MX_LIMIT.to_string())
                });
            }
            return;
        }
        self.owner(owner);
        self.records.push(MxRecord {
            preference,
            exchange: name.to_string(),
            owner: owner.map(str::to_string),
            span,
            exchange_span,
        });
    }

    fn bad_hostname(&mut self, name: &str, problem: HostnameProblem, span: Span) {
        let (advice, hint) = match problem {
            HostnameProblem::BadCharacter('[' | ']') => {
                ("mx-brackets", "Brackets belong to a next-hop ([host] turns MX lookups off), not to an MX name.")
            }
            HostnameProblem::BadCharacter(':') => ("mx-port", "An MX record has no port; remove \":port\"."),
            HostnameProblem::BadCharacter(c) if !c.is_ascii() => {
                ("mx-non-ascii", "Write an internationalised name in its ASCII (xn--) form, as DNS returns it.")
            }
            _ => ("mx-spelling", "Check the spelling of the host name."),
        };
        self.sink.push_with(|| {
            let d = Diagnostic::warning(
                "mx.bad-hostname",
                Source::Mx,
                format!(
                    "\"{name}\" is not a valid host name ({}); Postfix ignores such MX records.",
                    problem.describe()
                ),
            )
            .at(span)
            .hint(hint)
            .param("exchange", name)
            .param("reason", problem.describe())
            .param("advice_code", advice);
            problem.params(d)
        });
    }

    fn owner(&mut self, owner: Option<&str>) {
        if let Some(o) = owner {
            if !self.owners.iter().any(|k| k.eq_ignore_ascii_case(o)) {
                self.owners.push(o.to_string());
            }
        }
    }
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The value after `name` in a `dig` header (`status: NXDOMAIN,` → `NXDOMAIN`).
fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let (_, after) = text.split_once(name)?;
    let value = after.trim_start().split([',', ' ', ';']).next()?;
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use proptest::prelude::*;

    const SEED_HOST: &str = include_str!("../../tests/fixtures/inputs/host-mx.txt");
    const DIG: &str = include_str!("../../tests/fixtures/inputs/dig-mx.txt");

    fn names(l: &MxList) -> Vec<(u16, &str)> {
        l.records.iter().map(|r| (r.preference, r.exchange.as_str())).collect()
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.\n";
        let (plain, marked) = (parse_mx(text), parse_mx(&format!("\u{feff}{text}")));
        assert_eq!(marked.records.len(), 1);
        assert_eq!(marked.records[0].owner, plain.records[0].owner);
        assert_eq!(marked.records[0].exchange_span, plain.records[0].exchange_span.shifted(3));
        assert!(marked.diagnostics.is_empty());
    }

    fn codes(l: &MxList) -> Vec<&str> {
        l.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn seed_host_output() {
        let l = parse_mx(SEED_HOST);
        assert_eq!(names(&l), vec![(10, "in1-smtp.messagingengine.com"), (20, "in2-smtp.messagingengine.com")]);
        assert_eq!(l.owners, vec!["fastmail.fm".to_string()]);
        assert_eq!(l.format, MxFormat::HostCommand);
        assert_eq!(codes(&l), vec!["mx.command-line"]);
        let r = &l.records[0];
        assert_eq!(r.exchange_span.slice(SEED_HOST), "in1-smtp.messagingengine.com.");
        assert_eq!(r.owner.as_deref(), Some("fastmail.fm"));
    }

    #[test]
    fn full_dig_output() {
        let l = parse_mx(DIG);
        assert_eq!(names(&l), vec![(10, "in1-smtp.messagingengine.com"), (20, "in2-smtp.messagingengine.com")]);
        assert_eq!(l.format, MxFormat::Dig);
        assert_eq!(l.dnssec_ad, Some(true));
        assert_eq!(l.addresses_for("in1-smtp.messagingengine.com.").len(), 2);
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    }

    #[test]
    fn dig_nxdomain_and_nodata() {
        let nx = ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n\n;; QUESTION SECTION:\n;fastmail.invalid.\t\tIN\tMX\n\n;; AUTHORITY SECTION:\n.\t\t86400\tIN\tSOA\ta.root-servers.net. nstld.verisign-grs.com. 1 2 3 4 5\n";
        let l = parse_mx(nx);
        assert_eq!(codes(&l), vec!["mx.nxdomain"]);
        assert_eq!(l.diagnostics[0].params.get("domain").map(String::as_str), Some("fastmail.invalid"));
        assert_eq!(l.dnssec_ad, Some(false));
        assert!(l.records.is_empty());
        let nodata = ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4\n;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n;; QUESTION SECTION:\n;www.example.\t\tIN\tMX\n";
        assert_eq!(codes(&parse_mx(nodata)), vec!["mx.no-mx-record"]);
    }

    #[test]
    fn host_errors() {
        let l = parse_mx("Host fastmail.invalid not found: 3(NXDOMAIN)\nfastmail.fm has no MX record\nHost x.example not found: 2(SERVFAIL)\n");
        assert_eq!(codes(&l), vec!["mx.nxdomain", "mx.no-mx-record", "mx.lookup-failed"]);
        assert_eq!(l.diagnostics[0].severity, Severity::Info);
    }

    #[test]
    fn plain_and_short_forms() {
        let l = parse_mx("in1-smtp.messagingengine.com\nin2-smtp.messagingengine.com, mx3.example,5 mx4.example.\n");
        assert_eq!(
            names(&l),
            vec![
                (10, "in1-smtp.messagingengine.com"),
                (20, "in2-smtp.messagingengine.com"),
                (5, "mx3.example"),
                (40, "mx4.example")
            ]
        );
        assert_eq!(l.format, MxFormat::Plain);
        assert_eq!(l.records[2].span, Span::new(59, 72));
        let l = parse_mx("20 b.example.\n10 a.example.\n");
        assert_eq!(l.format, MxFormat::DigShort);
        let sorted: Vec<_> = l.sorted().iter().map(|r| r.exchange.as_str()).collect();
        assert_eq!(sorted, vec!["a.example", "b.example"]);
        let commented = parse_mx("a.example # primary\n20 b.example # backup\n");
        assert_eq!(names(&commented), vec![(10, "a.example"), (20, "b.example")]);
        let mixed = parse_mx("10 a.example.\nb.example\n");
        assert_eq!(mixed.format, MxFormat::Mixed);
        assert_eq!(parse_mx("  \n# c\n").format, MxFormat::Empty);
    }

    #[test]
    fn null_mx_and_bad_names() {
        let l = parse_mx("example.com.\t300\tIN\tMX\t0 .\n");
        assert!(l.null_mx);
        assert_eq!(codes(&l), vec!["mx.null-mx"]);
        assert_eq!(l.owners, vec!["example.com".to_string()]);
        let l = parse_mx("[mx.example.com]\nmx.example.com:25\n10 192.0.2.1\n10 bad..name\n70000 x.example\n");
        assert_eq!(
            codes(&l),
            vec!["mx.bad-hostname", "mx.bad-hostname", "mx.numeric-exchange", "mx.bad-hostname", "mx.bad-preference"]
        );
        assert_eq!(names(&l), vec![(10, "192.0.2.1")]);
    }

    #[test]
    fn unreadable_lines_are_reported() {
        let log = "Feb 25 21:57:22 mail postfix/smtp[25291]: Trusted TLS connection established\n";
        let l = parse_mx(log);
        assert!(l.records.is_empty());
        assert_eq!(codes(&l), vec!["mx.unreadable-line"]);
        assert_eq!(l.diagnostics[0].span, Some(Span::new(0, log.len() - 1)));
        assert_eq!(codes(&parse_mx("a.example 10\n")), vec!["mx.unreadable-line"]);
    }

    #[test]
    fn nslookup_output() {
        let text = "Server:\t\t127.0.0.53\nAddress:\t127.0.0.53#53\n\nNon-authoritative answer:\nfastmail.fm\tmail exchanger = 10 in1-smtp.messagingengine.com.\n\nAuthoritative answers can be found from:\n";
        let l = parse_mx(text);
        assert_eq!(names(&l), vec![(10, "in1-smtp.messagingengine.com")]);
        assert_eq!(l.format, MxFormat::NsLookup);
        assert!(l.diagnostics.is_empty());
    }

    #[test]
    fn caps_records() {
        let text = "mx.example\n".repeat(MX_LIMIT + 5);
        let l = parse_mx(&text);
        assert_eq!(l.records.len(), MX_LIMIT);
        assert_eq!(l.records.last().map(|r| r.preference), Some(u16::MAX));
        assert_eq!(codes(&l), vec!["mx.too-many"]);
    }

    #[test]
    fn hostile() {
        let long = "a.example ".repeat(1_000_000);
        let l = parse_mx(&long);
        assert_eq!(l.records.len(), MX_LIMIT);
        let binary: String = (0u8..=255).map(char::from).cycle().take(100_000).collect();
        let _ = parse_mx(&binary);
        let _ = parse_mx("\u{feff}10 a\u{200b}.example\r\n\0\n;; flags:\n;; ->>HEADER<<- status:");
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_fit(text in "(\\PC|[ \t\r\n;,.0-9]|MX|IN|has address|mail is handled by){0,120}") {
            let l = parse_mx(&text);
            for r in &l.records {
                prop_assert!(r.span.end <= text.len() && r.exchange_span.end <= text.len());
                prop_assert!(!r.exchange.is_empty() && !r.exchange.ends_with('.'));
            }
            for d in &l.diagnostics {
                let s = d.span.unwrap_or_default();
                prop_assert!(s.start <= s.end && s.end <= text.len());
            }
            let sorted = l.sorted();
            prop_assert!(sorted.windows(2).all(|w| w[0].preference <= w[1].preference));
        }
    }
}

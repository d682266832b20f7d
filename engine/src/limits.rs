//! Resource bounds: the largest input the engine accepts, per scenario field.
//!
//! People paste anything (a whole syslog, a 10 MB CA bundle). [`enforce`] runs before any
//! parser: it cuts every oversize text at a line break (PEM text after its last complete
//! `-----END` line) or, for one overlong line, at a character boundary, cuts the DNS panes
//! after their last allowed record, drops list items past their count, and reports each cut as
//! `limits.too-large` (field, limit, size, unit). It also flags invisible and direction-changing
//! characters in the names no parser reads (destination, hosts, insecure names). The bounds
//! are chosen so that the largest
//! accepted scenario is explained in well under a second in a release build on two cores,
//! although the fix search re-runs the whole explanation up to eight times and delivery tries
//! every MX host and address; docs/LIMITS.md lists them with the measurements.

use crate::diag::{Diagnostic, Position, Source, Span};
use crate::dns::Dns;
use crate::scenario::{Probe, Scenario};
use std::collections::BTreeMap;

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;

/// main.cf text or `postconf` output (a full `postconf` listing is about 120 KiB).
pub const MAIN_CF_MAX: usize = 128 * KIB;
/// The tls_policy table text (about 40,000 entries as MTA-STS and DANE daemons write them).
/// Large tables are cheap: lookups use an index, and fix re-runs see only the looked-up
/// entries (`fixes`), so the table is parsed once per explanation.
pub const POLICY_TABLE_MAX: usize = 2 * MIB;
/// The transport table text.
pub const TRANSPORT_TABLE_MAX: usize = 128 * KIB;
/// The destination field (an SMTP path is at most 256 bytes).
pub const DESTINATION_MAX: usize = KIB;
/// The MX pane (`dig` output for a domain with 20 MX hosts is about 3 KiB).
pub const MX_MAX: usize = 64 * KIB;
/// MX records read from the MX pane (delivery tries every host).
pub const MX_RECORDS_MAX: usize = 30;
/// The address pane.
pub const ADDRESSES_MAX: usize = 64 * KIB;
/// Address records read from the address pane, and from the MX pane (delivery tries every
/// address).
pub const ADDRESS_RECORDS_MAX: usize = 30;
/// The TLSA pane.
pub const TLSA_MAX: usize = 64 * KIB;
/// TLSA records read (every one is matched against every certificate of every connection).
pub const TLSA_RECORDS_MAX: usize = 30;
/// One certificate pane: PEM, DER or base64, with `openssl s_client -showcerts` text around
/// it (a chain of four is about 10 KiB).
pub const CERTIFICATE_PEM_MAX: usize = 32 * KIB;
/// All certificate panes together; panes past this budget are cut or emptied.
pub const CERTIFICATES_TOTAL_MAX: usize = 128 * KIB;
/// Certificate panes (servers with their own chain).
pub const CERTIFICATE_INPUTS_MAX: usize = 8;
/// Certificates read from one pane or bundle (enforced by the certificate parser).
pub const CERTIFICATES_PER_INPUT_MAX: usize = crate::cert::pem::MAX_CERTIFICATES;
/// The CA bundle (a system bundle of ~150 roots is about 220 KiB).
pub const CA_BUNDLE_MAX: usize = 384 * KIB;
/// One `tafile=` trust anchor file.
pub const TRUST_ANCHOR_FILE_MAX: usize = 32 * KIB;
/// All trust anchor files together.
pub const TRUST_ANCHOR_FILES_TOTAL_MAX: usize = 64 * KIB;
/// Trust anchor files.
pub const TRUST_ANCHOR_FILES_MAX: usize = 8;
/// Server settings (STARTTLS / certificate per host).
pub const SERVERS_MAX: usize = 100;
/// Names listed as not DNSSEC-validated.
pub const INSECURE_NAMES_MAX: usize = 1000;
/// Records of each kind (MX, addresses, TLSA, DNSSEC statuses) in a structured `dns` value.
pub const DNS_RECORDS_MAX: usize = 100;
/// Text of all names and records in a structured `dns` value together.
pub const DNS_TEXT_MAX: usize = 256 * KIB;
/// posttls-finger match and option words.
pub const FINGER_WORDS_MAX: usize = 100;
/// Every short field: version, time, server reply, file names, host names, finger words.
pub const SHORT_FIELD_MAX: usize = 4 * KIB;
/// A pasted Postfix log excerpt, about 7,000 lines (for the log reader, which does not apply
/// it itself: see [`cut_text`]).
pub const LOG_MAX: usize = MIB;

/// How a text is cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// After the last line break within the limit (or at a character boundary).
    Lines,
    /// After the last complete PEM block's END line within the limit, else as [`Cut::Lines`].
    Pem,
}

/// The length to keep of `text` so that at most `max` bytes remain.
pub fn cut_point(text: &str, max: usize, how: Cut) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text.as_bytes()[..end];
    if how == Cut::Pem {
        // The END line must end within the limit; an END cut in half belongs to the cut block.
        let mut search = end;
        while let Some(at) = text[..search].rfind("-----END") {
            if let Some(nl) = head[at..].iter().position(|&b| b == b'\n') {
                return at + nl + 1;
            }
            search = at;
        }
    }
    match head.iter().rposition(|&b| b == b'\n') {
        Some(nl) => nl + 1,
        None => end,
    }
}

/// The position of byte `at` of `text` (1-based line, column in characters).
fn position_of(text: &str, at: usize) -> Position {
    let head = &text[..at];
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    Position { line: head.bytes().filter(|&b| b == b'\n').count() + 1, column: head[line_start..].chars().count() + 1 }
}

/// `limits.too-large` for a text cut at `kept` of its `text.len()` bytes (`variant = text`);
/// `what` names the input for the catalogue (a `diag.what.*` keyword standing for `label`).
fn text_diagnostic(field: &str, label: &str, what: &str, source: Source, text: &str, kept: usize, max: usize) -> Diagnostic {
    let position = position_of(text, kept);
    let mut d = Diagnostic::warning(
        "limits.too-large",
        source,
        format!(
            "{label} is {} bytes; peername reads at most {max} bytes, so everything from line {}, column {} on is ignored",
            text.len(),
            position.line,
            position.column
        ),
    )
    .at(Span::new(kept, text.len()))
    .hint("Paste only the part that matters (the lines for this destination, the server's chain).")
    .param("field", field)
    .param("limit", max.to_string())
    .param("size", text.len().to_string())
    .param("kept", kept.to_string())
    .param("unit", "bytes")
    .param("line", position.line.to_string())
    .param("column", position.column.to_string())
    .param("variant", "text")
    .param("what_code", what);
    d.position = Some(position);
    d
}

/// `limits.too-large` for a list with `len` items of which `max` are kept.
fn count_diagnostic(field: &str, label: &str, what: &str, len: usize, max: usize) -> Diagnostic {
    Diagnostic::warning(
        "limits.too-large",
        Source::Scenario,
        format!("{len} {label} were given; peername reads the first {max} and ignores the rest"),
    )
    .param("field", field)
    .param("limit", max.to_string())
    .param("size", len.to_string())
    .param("unit", "items")
    .param("variant", "count")
    .param("what_code", what)
}

/// Cuts `text` to at most `max` bytes: the kept prefix, and the diagnostic when something was
/// cut. For inputs outside [`Scenario`]: cut a pasted log with [`LOG_MAX`] before
/// `logread::read_log`.
///
/// `field` is also the `diag.what.*` keyword naming the input in the catalogue (e.g. `log`).
pub fn cut_text<'a>(text: &'a str, max: usize, how: Cut, field: &str, label: &str, source: Source) -> (&'a str, Option<Diagnostic>) {
    let kept = cut_point(text, max, how);
    if kept == text.len() {
        return (text, None);
    }
    (&text[..kept], Some(text_diagnostic(field, label, field, source, text, kept, max)))
}

/// Collects the diagnostics of one [`enforce`] run.
struct Gate {
    diagnostics: Vec<Diagnostic>,
}

impl Gate {
    /// Cuts `text` in place to `max` bytes (`what`: the `diag.what.*` keyword of the input).
    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, text: &mut String, max: usize, how: Cut, field: &str, label: &str, what: &str, source: Source) {
        let kept = cut_point(text, max, how);
        if kept < text.len() {
            self.diagnostics.push(text_diagnostic(field, label, what, source, text, kept, max));
            text.truncate(kept);
        }
    }

    /// Cuts a DNS pane at `at`, the start of the first record past `max` of `count` read.
    fn records(&mut self, text: &mut String, at: usize, count: usize, max: usize, field: &str, label: &str, source: Source) {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let position = position_of(text, at);
        let mut d = Diagnostic::warning(
            "limits.too-large",
            source,
            format!(
                "{label} hold {count} or more records; peername reads the first {max}, so everything from line {}, column {} on is ignored",
                position.line, position.column
            ),
        )
        .at(Span::new(at, text.len()))
        .hint("Paste the records of the one domain or host you are asking about.")
        .param("field", field)
        .param("limit", max.to_string())
        .param("size", count.to_string())
        .param("kept", at.to_string())
        .param("unit", "records")
        .param("line", position.line.to_string())
        .param("column", position.column.to_string())
        .param("variant", "records")
        .param("what_code", field);
        d.position = Some(position);
        self.diagnostics.push(d);
        text.truncate(at);
    }

    /// Flags the first invisible or direction-changing character of a name (it never matches
    /// what the reader sees); `source` with a span for the destination, else the field name.
    fn name(&mut self, text: &str, field: &str, source: Source) {
        let Some((at, c)) = crate::input::chars::find_suspicious(text) else { return };
        let point = crate::input::chars::code_point(c);
        let mut d = Diagnostic::warning(
            if source == Source::Destination { "destination.suspicious-character" } else { "scenario.suspicious-character" },
            source,
            format!("The name contains the invisible or control character {point}, so it matches no name that looks the same"),
        )
        .hint("Retype the name; pasting from web pages or chat adds such characters.")
        .param("field", field)
        .param("character", point);
        if source == Source::Destination {
            d = d.at(Span::new(at, at + c.len_utf8()));
            d.position = Some(position_of(text, at));
        }
        self.diagnostics.push(d);
    }

    /// Drops the items of `list` past `max`.
    fn list<T>(&mut self, list: &mut Vec<T>, max: usize, field: &str, label: &str, what: &str) {
        if list.len() > max {
            self.diagnostics.push(count_diagnostic(field, label, what, list.len(), max));
            list.truncate(max);
        }
    }

    /// Cuts a short field (no position: these are not shown as panes).
    fn short(&mut self, text: &mut String, field: &str, label: &str, what: &str) {
        let kept = cut_point(text, SHORT_FIELD_MAX, Cut::Lines);
        if kept < text.len() {
            let mut d = text_diagnostic(field, label, what, Source::Scenario, text, kept, SHORT_FIELD_MAX);
            d.span = None;
            d.position = None;
            self.diagnostics.push(d);
            text.truncate(kept);
        }
    }
}

/// The scenario with every field within its bound, and one `limits.too-large` warning per
/// field that was cut. Trust anchor files holding a private key also get the certificate
/// parser's `cert.private-key-refused` warning here (the key is never decoded).
pub fn enforce(scenario: &Scenario) -> (Scenario, Vec<Diagnostic>) {
    let mut s = scenario.clone();
    let mut g = Gate { diagnostics: Vec::new() };

    g.short(&mut s.postfix_version, "postfix_version", "The Postfix version", "postfix-version");
    if let Some(t) = s.evaluated_at.as_mut() {
        g.short(t, "evaluated_at", "The evaluation time", "evaluation-time");
    }
    g.text(&mut s.main_cf, MAIN_CF_MAX, Cut::Lines, "main_cf", "main.cf", "main_cf", Source::MainCf);
    g.text(&mut s.policy_table, POLICY_TABLE_MAX, Cut::Lines, "policy_table", "The policy table", "policy_table", Source::PolicyTable);
    g.text(&mut s.transport_table, TRANSPORT_TABLE_MAX, Cut::Lines, "transport_table", "The transport table", "transport_table", Source::TransportTable);
    g.text(&mut s.destination, DESTINATION_MAX, Cut::Lines, "destination", "The destination", "destination", Source::Destination);
    g.text(&mut s.mx, MX_MAX, Cut::Lines, "mx", "The MX records", "mx", Source::Mx);
    g.text(&mut s.addresses, ADDRESSES_MAX, Cut::Lines, "addresses", "The address records", "addresses", Source::Addresses);
    g.text(&mut s.tlsa, TLSA_MAX, Cut::Lines, "tlsa", "The TLSA records", "tlsa", Source::Tlsa);
    enforce_record_counts(&mut s, &mut g);
    g.name(&s.destination, "destination", Source::Destination);

    g.list(&mut s.insecure_names, INSECURE_NAMES_MAX, "insecure_names", "names without DNSSEC", "insecure-names");
    for (i, name) in s.insecure_names.iter_mut().enumerate() {
        g.short(name, &format!("insecure_names[{i}]"), "A name without DNSSEC", "insecure-name");
        g.name(name, &format!("insecure_names[{i}]"), Source::Scenario);
    }

    g.list(&mut s.certificates, CERTIFICATE_INPUTS_MAX, "certificates", "certificate inputs", "certificate-inputs");
    let mut budget = CERTIFICATES_TOTAL_MAX;
    for (i, served) in s.certificates.iter_mut().enumerate() {
        g.short(&mut served.host, &format!("certificates[{i}].host"), "A certificate input's host", "certificate-host");
        g.name(&served.host, &format!("certificates[{i}].host"), Source::Scenario);
        let max = CERTIFICATE_PEM_MAX.min(budget);
        let label = if max < CERTIFICATE_PEM_MAX { "This certificate input (after the ones before it)" } else { "This certificate input" };
        let what = if max < CERTIFICATE_PEM_MAX { "certificate-after" } else { "certificate" };
        g.text(&mut served.pem, max, Cut::Pem, &format!("certificates[{i}].pem"), label, what, Source::Certificates(i));
        budget -= served.pem.len();
    }

    g.text(&mut s.ca_bundle, CA_BUNDLE_MAX, Cut::Pem, "ca_bundle", "The CA bundle", "ca_bundle", Source::CaBundle);
    enforce_anchor_files(&mut s.trust_anchor_files, &mut g);

    g.list(&mut s.servers, SERVERS_MAX, "servers", "server settings", "servers");
    for (i, server) in s.servers.iter_mut().enumerate() {
        g.short(&mut server.host, &format!("servers[{i}].host"), "A server setting's host", "server-host");
        g.name(&server.host, &format!("servers[{i}].host"), Source::Scenario);
    }
    g.short(&mut s.server_reply, "server_reply", "The server reply", "server-reply");
    g.short(&mut s.policy_file, "policy_file", "The policy file name", "policy-file");
    if let Probe::Finger { level, matches, args } = &mut s.probe {
        g.short(level, "probe.level", "The posttls-finger level", "probe-level");
        g.list(matches, FINGER_WORDS_MAX, "probe.matches", "posttls-finger match arguments", "probe-matches");
        g.list(args, FINGER_WORDS_MAX, "probe.args", "posttls-finger options", "probe-options");
        for (i, m) in matches.iter_mut().enumerate() {
            g.short(m, &format!("probe.matches[{i}]"), "A posttls-finger match argument", "probe-match");
        }
        for (i, a) in args.iter_mut().enumerate() {
            g.short(a, &format!("probe.args[{i}]"), "A posttls-finger option", "probe-option");
        }
    }
    if let Some(dns) = s.dns.as_mut() {
        enforce_dns(dns, &mut g);
    }
    (s, g.diagnostics)
}

/// Cuts the MX, address and TLSA panes after their last allowed record (each pane is read
/// once more here; at the byte limits that takes about a millisecond).
fn enforce_record_counts(s: &mut Scenario, g: &mut Gate) {
    let mx = crate::input::mx::parse_mx(&s.mx);
    let mx_cut = mx.records.get(MX_RECORDS_MAX).map(|r| r.span.start);
    let address_cut = mx.addresses.get(ADDRESS_RECORDS_MAX).map(|a| a.span.start);
    if let Some(at) = mx_cut.into_iter().chain(address_cut).min() {
        let (count, max) = if mx_cut == Some(at) { (mx.records.len(), MX_RECORDS_MAX) } else { (mx.addresses.len(), ADDRESS_RECORDS_MAX) };
        g.records(&mut s.mx, at, count, max, "mx", "The MX records", Source::Mx);
    }
    let addresses = crate::input::addresses::parse_addresses(&s.addresses);
    if let Some(r) = addresses.records.get(ADDRESS_RECORDS_MAX) {
        g.records(&mut s.addresses, r.span.start, addresses.records.len(), ADDRESS_RECORDS_MAX, "addresses", "The address records", Source::Addresses);
    }
    let tlsa = crate::input::tlsa::parse_tlsa(&s.tlsa);
    if let Some(r) = tlsa.records.get(TLSA_RECORDS_MAX) {
        g.records(&mut s.tlsa, r.span.start, tlsa.records.len(), TLSA_RECORDS_MAX, "tlsa", "The TLSA records", Source::Tlsa);
    }
}

/// Bounds the trust anchor files (count, each, total) and reports private keys in them.
fn enforce_anchor_files(files: &mut BTreeMap<String, String>, g: &mut Gate) {
    if files.len() > TRUST_ANCHOR_FILES_MAX {
        g.diagnostics.push(count_diagnostic("trust_anchor_files", "trust anchor files", "trust-anchor-files", files.len(), TRUST_ANCHOR_FILES_MAX));
        let keep: Vec<String> = files.keys().take(TRUST_ANCHOR_FILES_MAX).cloned().collect();
        files.retain(|path, _| keep.contains(path));
    }
    let mut budget = TRUST_ANCHOR_FILES_TOTAL_MAX;
    let paths: Vec<String> = files.keys().cloned().collect();
    for path in paths {
        let Some(mut text) = files.remove(&path) else { continue };
        let max = TRUST_ANCHOR_FILE_MAX.min(budget);
        let field = format!("trust_anchor_files[{path}]");
        let kept = cut_point(&text, max, Cut::Pem);
        if kept < text.len() {
            let mut d = text_diagnostic(&field, "This trust anchor file", "trust-anchor-file", Source::CaBundle, &text, kept, max);
            // The span would point into the CA bundle pane; the file is named instead.
            d.span = None;
            d.position = None;
            g.diagnostics.push(d.param("file", path.as_str()));
            text.truncate(kept);
        }
        budget -= text.len();
        // Only text with a key block, or without any PEM armour (DER or bare base64), can
        // hold a key; the parser decides without decoding it.
        let may_hold_key = crate::cert::pem::contains_private_key(&text) || !text.contains("-----BEGIN");
        let parsed = if may_hold_key { crate::cert::pem::parse_certificates(text.as_bytes(), Source::CaBundle) } else { Default::default() };
        for mut d in parsed.diagnostics.into_iter().filter(|d| d.code == "cert.private-key-refused") {
            d.message = format!("trust anchor file {path}: {}", d.message);
            let variant = d.params.get("variant").map_or("file".to_string(), |v| format!("file-{v}"));
            d.params.insert("variant".into(), variant);
            d.span = None;
            d.position = None;
            g.diagnostics.push(d.param("file", path.as_str()));
        }
        let mut path = path;
        if path.len() > SHORT_FIELD_MAX {
            g.short(&mut path, "trust_anchor_files", "A trust anchor file name", "trust-anchor-file-name");
        }
        files.insert(path, text);
    }
}

/// Keeps records of a structured `dns` value while each kind has fewer than
/// [`DNS_RECORDS_MAX`] and all text together fits [`DNS_TEXT_MAX`].
fn enforce_dns(dns: &mut Dns, g: &mut Gate) {
    struct Budget {
        text: usize,
        dropped: usize,
    }
    impl Budget {
        /// Whether an item of `len` bytes fits; counts it either way.
        fn take(&mut self, len: usize) -> bool {
            if len <= self.text {
                self.text -= len;
                true
            } else {
                self.dropped += 1;
                false
            }
        }
    }
    fn bounded<T>(list: &mut Vec<T>, count: &mut usize, budget: &mut Budget, size: impl Fn(&T) -> usize) {
        list.retain(|item| {
            let keep = *count < DNS_RECORDS_MAX && budget.take(size(item));
            if keep {
                *count += 1;
            } else if *count >= DNS_RECORDS_MAX {
                budget.dropped += 1;
            }
            keep
        });
    }
    fn bounded_map<T>(map: &mut BTreeMap<String, Vec<T>>, count: &mut usize, budget: &mut Budget, size: impl Fn(&T) -> usize + Copy) {
        map.retain(|owner, list| {
            if !budget.take(owner.len()) {
                budget.dropped += list.len();
                return false;
            }
            bounded(list, count, budget, size);
            !list.is_empty()
        });
    }
    let mut budget = Budget { text: DNS_TEXT_MAX, dropped: 0 };
    let mut mx = 0;
    bounded_map(&mut dns.mx, &mut mx, &mut budget, |e| e.host.len());
    bounded(&mut dns.unowned_mx, &mut mx, &mut budget, |e| e.host.len());
    let mut addresses = 0;
    bounded_map(&mut dns.addresses, &mut addresses, &mut budget, String::len);
    let mut tlsa = 0;
    bounded_map(&mut dns.tlsa, &mut tlsa, &mut budget, String::len);
    bounded(&mut dns.unowned_tlsa, &mut tlsa, &mut budget, String::len);
    let mut statuses = 0;
    dns.dnssec.retain(|name, status| {
        let keep = statuses < DNS_RECORDS_MAX && budget.take(name.len() + status.rcode.len());
        if keep {
            statuses += 1;
        } else if statuses >= DNS_RECORDS_MAX {
            budget.dropped += 1;
        }
        keep
    });
    if budget.dropped > 0 {
        g.diagnostics.push(
            Diagnostic::warning(
                "limits.too-large",
                Source::Scenario,
                format!(
                    "The DNS data is too large: peername reads at most {DNS_RECORDS_MAX} records of each kind and {DNS_TEXT_MAX} bytes of names and records, so {} records are ignored",
                    budget.dropped
                ),
            )
            .param("field", "dns")
            .param("limit", DNS_RECORDS_MAX.to_string())
            .param("size", budget.dropped.to_string())
            .param("unit", "records")
            .param("text_limit", DNS_TEXT_MAX.to_string())
            .param("variant", "dns"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_after_the_last_line_break_within_the_limit() {
        assert_eq!(cut_point("ab\ncd\nef", 7, Cut::Lines), 6);
        assert_eq!(cut_point("ab\ncd\nef", 8, Cut::Lines), 8);
        assert_eq!(cut_point("ab\ncd\nef", 5, Cut::Lines), 3);
    }

    #[test]
    fn one_long_line_is_cut_at_a_character_boundary() {
        // 'é' is two bytes: a cut at 3 would split the second one.
        let text = "éééé";
        assert_eq!(cut_point(text, 3, Cut::Lines), 2);
        assert_eq!(cut_point(text, 1, Cut::Lines), 0);
        assert!(text.is_char_boundary(cut_point(text, 5, Cut::Lines)));
    }

    #[test]
    fn pem_is_cut_after_the_last_complete_block() {
        let block = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let text = format!("{block}{block}");
        // The limit falls inside the second block's END line: only the first block is kept.
        let max = text.len() - 3;
        assert_eq!(cut_point(&text, max, Cut::Pem), block.len());
        // Line cutting would keep the half block.
        assert_eq!(cut_point(&text, max, Cut::Lines), text.len() - "-----END CERTIFICATE-----\n".len());
    }

    #[test]
    fn oversize_fields_are_cut_and_reported() {
        let s = Scenario { main_cf: "x = y\n".repeat(MAIN_CF_MAX / 6 + 10), destination: "a".repeat(DESTINATION_MAX + 1), ..Scenario::default() };
        let (cut, diags) = enforce(&s);
        assert!(cut.main_cf.len() <= MAIN_CF_MAX && cut.main_cf.ends_with('\n'));
        assert_eq!(cut.destination.len(), DESTINATION_MAX);
        let fields: Vec<&str> = diags.iter().filter_map(|d| d.params.get("field").map(String::as_str)).collect();
        assert_eq!(fields, ["main_cf", "destination"]);
        let d = &diags[0];
        assert_eq!(d.code, "limits.too-large");
        assert_eq!(d.source, Source::MainCf);
        assert_eq!(d.span, Some(Span::new(cut.main_cf.len(), s.main_cf.len())));
        assert_eq!(d.position, Some(crate::diag::LineIndex::new(&s.main_cf).position(cut.main_cf.len())));
        assert_eq!(d.params.get("size"), Some(&s.main_cf.len().to_string()));
        assert_eq!(d.params.get("limit"), Some(&MAIN_CF_MAX.to_string()));
    }

    #[test]
    fn inputs_within_bounds_are_untouched() {
        let s = Scenario { main_cf: "a = b\n".into(), certificates: vec![Default::default(); 3], ..Scenario::default() };
        let (cut, diags) = enforce(&s);
        assert_eq!(cut, s);
        assert!(diags.is_empty());
    }

    #[test]
    fn certificate_panes_share_one_budget() {
        let pane = crate::scenario::ServedChain { host: String::new(), pem: "A\n".repeat(CERTIFICATE_PEM_MAX / 2) };
        let fit = CERTIFICATES_TOTAL_MAX / CERTIFICATE_PEM_MAX;
        let s = Scenario { certificates: vec![pane; fit + 1], ..Scenario::default() };
        let (cut, diags) = enforce(&s);
        let total: usize = cut.certificates.iter().map(|c| c.pem.len()).sum();
        assert_eq!(total, CERTIFICATES_TOTAL_MAX);
        assert_eq!(cut.certificates[0].pem.len(), CERTIFICATE_PEM_MAX);
        assert_eq!(cut.certificates[fit].pem.len(), 0);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].source, Source::Certificates(fit));
    }

    #[test]
    fn dns_panes_are_cut_after_their_last_allowed_record() {
        let mx: String = (0..MX_RECORDS_MAX + 50).map(|i| format!("example.com. 300 IN MX 10 mx{i}.example.com.\n")).collect();
        let plain = (0..ADDRESS_RECORDS_MAX + 1).map(|i| format!("h{i} 192.0.2.{}", i % 250)).collect::<Vec<_>>().join("\n");
        let s = Scenario { mx: mx.clone(), addresses: plain, ..Scenario::default() };
        let (cut, diags) = enforce(&s);
        let kept = crate::input::mx::parse_mx(&cut.mx);
        assert_eq!(kept.records.len(), MX_RECORDS_MAX);
        assert!(mx.starts_with(&cut.mx) && cut.mx.ends_with('\n'));
        assert_eq!(crate::input::addresses::parse_addresses(&cut.addresses).records.len(), ADDRESS_RECORDS_MAX);
        let d = &diags[0];
        assert_eq!((d.source, d.params.get("unit").map(String::as_str)), (Source::Mx, Some("records")));
        assert_eq!(d.params.get("size"), Some(&(MX_RECORDS_MAX + 50).to_string()));
        assert_eq!(d.position.map(|p| (p.line, p.column)), Some((MX_RECORDS_MAX + 1, 1)));
        assert_eq!(diags[1].source, Source::Addresses);
    }

    #[test]
    fn invisible_characters_in_names_are_flagged() {
        let s = Scenario {
            destination: "user@exa\u{200b}mple.com".into(),
            servers: vec![crate::scenario::ServerSetting { host: "mx\u{202e}.example".into(), ..Default::default() }],
            ..Scenario::default()
        };
        let (_, diags) = enforce(&s);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["destination.suspicious-character", "scenario.suspicious-character"]);
        assert_eq!(diags[0].span, Some(Span::new(8, 11)));
        assert_eq!(diags[0].position.map(|p| p.column), Some(9));
        assert_eq!(diags[1].params.get("field").map(String::as_str), Some("servers[0].host"));
        assert_eq!(diags[1].params.get("character").map(String::as_str), Some("U+202E"));
    }

    #[test]
    fn lists_are_cut_to_their_count() {
        let s = Scenario { servers: vec![Default::default(); SERVERS_MAX + 5], ..Scenario::default() };
        let (cut, diags) = enforce(&s);
        assert_eq!(cut.servers.len(), SERVERS_MAX);
        assert_eq!(diags[0].params.get("size"), Some(&(SERVERS_MAX + 5).to_string()));
        assert_eq!(diags[0].params.get("unit").map(String::as_str), Some("items"));
    }

    #[test]
    fn structured_dns_is_bounded() {
        let mut dns = Dns::default();
        dns.unowned_tlsa = vec!["3 1 1 00".to_string(); DNS_RECORDS_MAX + 1];
        let s = Scenario { dns: Some(dns), ..Scenario::default() };
        let (cut, diags) = enforce(&s);
        assert_eq!(cut.dns.map(|d| d.unowned_tlsa.len()), Some(DNS_RECORDS_MAX));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].params.get("size").map(String::as_str), Some("1"));
    }
}

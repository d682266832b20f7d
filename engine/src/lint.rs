//! Policy-table linting for one Postfix version: every line checked the way smtp(8) would read
//! it, plus the mistakes Postfix accepts silently. Streams, so a million-line table lints in
//! bounded memory (one hash per key for duplicate detection).

use crate::diag::{Diagnostic, Position, Severity, Source, Span};
use crate::input::table::{fold_key, EntryView};
use crate::policy::entry::{parse_entry_lean, token_spans, AttributeName, EntryContext, TrustAnchorSource};
use crate::policy::level::SecurityLevel;
use crate::version::PostfixVersion;
use crate::input::key_index::{folded_hash, Fnv64, HashKeyed};
use std::collections::hash_map::Entry;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::io::BufRead;
use std::ops::Range;

mod pipeline;
use pipeline::Batch;

/// What the per-entry checks found, in file order.
enum Found {
    /// A finding about a line (from the table reader) or about an entry on its own.
    Finding(Diagnostic),
    /// An entry, with what the table-wide checks need of it.
    Entry(FoundEntry),
}

/// An entry as the table-wide checks see it.
struct FoundEntry {
    /// Its key: this range of the batch's `keys`.
    key: Range<usize>,
    line: usize,
    key_span: Span,
    /// Where the key starts.
    key_at: Position,
}

/// Options of a lint run.
pub struct LintOptions {
    /// The version whose rules apply.
    pub version: PostfixVersion,
    /// The map type the table is used with (`texthash` makes duplicates fatal).
    pub texthash: bool,
}

/// Linting does not open trust-anchor files: a `tafile=` path is assumed to exist.
struct AssumeFilesExist;

impl TrustAnchorSource for AssumeFilesExist {
    fn load(&self, _path: &str) -> Result<usize, String> {
        Ok(1)
    }
}

/// Counts of a finished run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LintSummary {
    /// Entries read.
    pub entries: usize,
    /// Errors found (entries Postfix would refuse).
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
}

/// Key hashes to the line of the key's first entry. Keys are not kept (bounded memory), so
/// two different keys with the same 64-bit hash would be reported as duplicates; at a million
/// keys the chance is about 3 in 10^8.
type FirstLines = HashKeyed<usize>;

/// Values already checked and found clean. Generated tables repeat a handful of values
/// (`dane-only`, `secure match=…`) over thousands of lines; each is parsed once. Bounded, so
/// a table of distinct values costs at most this much memory.
struct CleanValues {
    set: HashSet<Box<str>, BuildHasherDefault<Fnv64>>,
    bytes: usize,
}

impl CleanValues {
    const MAX_VALUES: usize = 4096;
    const MAX_BYTES: usize = 1 << 20;

    fn contains(&self, value: &str) -> bool {
        self.set.contains(value)
    }

    fn remember(&mut self, value: &str) {
        if self.set.len() < Self::MAX_VALUES && self.bytes + value.len() <= Self::MAX_BYTES {
            self.bytes += value.len();
            self.set.insert(value.into());
        }
    }
}

/// The table-wide half of a run: counts, duplicate keys and `.domain` keys without a bare
/// entry, and every finding handed to `emit` in file order. It sees what [`EntryChecks`] found,
/// batch by batch ([`pipeline`]).
struct Collator<'o, E: FnMut(Diagnostic)> {
    opts: &'o LintOptions,
    emit: E,
    summary: LintSummary,
    first_lines: FirstLines,
    dot_keys: Vec<(String, usize, Span)>,
}

/// Postfix's own warning for a duplicate key, as recorded from Postfix 3.7.11: texthash names
/// the line and the key as that line spells it; `postmap hash:` names the built file and the
/// folded key, without a line.
fn postfix_duplicate_warning(texthash: bool, key: &str, line: usize) -> String {
    if texthash {
        format!("FILE, line {line}: duplicate entry: \"{key}\"")
    } else {
        format!("FILE.db: duplicate entry: \"{}\"", fold_key(key))
    }
}

impl<'o, E: FnMut(Diagnostic)> Collator<'o, E> {
    fn new(opts: &'o LintOptions, emit: E) -> Self {
        Collator { opts, emit, summary: LintSummary::default(), first_lines: FirstLines::default(), dot_keys: Vec::new() }
    }

    fn report(&mut self, d: Diagnostic) {
        match d.severity {
            Severity::Error => self.summary.errors += 1,
            Severity::Warning => self.summary.warnings += 1,
            Severity::Info => {}
        }
        (self.emit)(d);
    }

    /// Everything in a batch, in order.
    fn take(&mut self, batch: Batch) {
        for found in batch.found {
            match found {
                Found::Finding(d) => self.report(d),
                Found::Entry(e) => self.entry(&e, batch.keys.get(e.key.clone()).unwrap_or("")),
            }
        }
    }

    /// An entry: counted, its key remembered, a repeated key reported.
    fn entry(&mut self, entry: &FoundEntry, key: &str) {
        self.summary.entries += 1;
        match self.first_lines.entry(folded_hash(key)) {
            Entry::Occupied(first) => {
                let first = *first.get();
                let d = self.duplicate(entry, key, first);
                self.report(d);
            }
            Entry::Vacant(slot) => {
                slot.insert(entry.line);
            }
        }
        if key.starts_with('.') {
            self.dot_keys.push((key.to_string(), entry.line, entry.key_span));
        }
    }

    fn duplicate(&self, entry: &FoundEntry, key: &str, first: usize) -> Diagnostic {
        let (sev, text) = if self.opts.texthash {
            (Severity::Error, format!("duplicate key \"{key}\" (first on line {first}): with texthash the whole table becomes unusable and every lookup defers"))
        } else {
            (Severity::Warning, format!("duplicate key \"{key}\" (first on line {first}): postmap keeps the first value and ignores this one"))
        };
        let d = Diagnostic::new("lint.duplicate-key", sev, Source::PolicyTable, text);
        let mut d = if self.opts.texthash { d.param("variant", "texthash") } else { d };
        d = d
            .at(entry.key_span)
            .param("key", key)
            .param("first_line", first.to_string())
            .param("postfix_warning", postfix_duplicate_warning(self.opts.texthash, key, entry.line))
            .hint("Merge the two lines into one entry.");
        d.position = Some(entry.key_at);
        d
    }

    /// The `.domain` keys whose bare domain has no entry of its own.
    fn finish(mut self) -> LintSummary {
        for (key, line, span) in std::mem::take(&mut self.dot_keys) {
            let bare = &key[1..];
            if !self.first_lines.contains_key(&folded_hash(bare)) {
                let mut d = Diagnostic::info("lint.dot-key-not-bare", Source::PolicyTable, format!("\"{key}\" (line {line}) covers subdomains only, not \"{bare}\" itself"))
                    .at(span)
                    .param("key", key.clone())
                    .param("line", line.to_string())
                    .param("bare", bare)
                    .hint(format!("If mail to {bare} itself should get this policy, add a line for \"{bare}\" too."));
                d.position = Some(Position { line, column: 1 });
                self.report(d);
            }
        }
        self.summary
    }
}

/// The per-entry half of a run: what one entry shows on its own (a key with a trailing dot,
/// the value's findings), with the values already found clean remembered.
struct EntryChecks<'o> {
    opts: &'o LintOptions,
    clean: CleanValues,
}

impl EntryChecks<'_> {
    /// Appends the entry and then its own findings to `out`.
    fn check(&mut self, entry: &EntryView<'_>, keys: &mut String, out: &mut Vec<Found>) {
        let at = keys.len();
        keys.push_str(entry.key);
        let key_span = entry.key_span();
        out.push(Found::Entry(FoundEntry {
            key: at..keys.len(),
            line: entry.line,
            key_span,
            key_at: entry.position(key_span.start),
        }));
        if entry.key.len() > 1 && entry.key.ends_with('.') {
            let key = entry.key;
            let d = Diagnostic::warning("lint.key-trailing-dot", Source::PolicyTable, format!("key \"{key}\" ends with a dot: no next-hop is ever looked up with a trailing dot"))
                .at(key_span)
                .hint(format!("Use \"{}\".", key.trim_end_matches('.')))
                .param("key", key)
                .param("suggestion", key.trim_end_matches('.'));
            out.push(Found::Finding(located(entry, d)));
        }
        if self.clean.contains(entry.value) {
            return;
        }
        let findings = value_findings(entry, self.opts);
        if findings.is_empty() {
            self.clean.remember(entry.value);
        }
        out.extend(findings.into_iter().map(|d| Found::Finding(located(entry, d))));
    }
}

/// Lints a table read from `reader`, calling `emit` for every finding in file order (the
/// `.domain` findings, which need the whole table, come last). Reading and checking entries
/// runs on a thread of its own where the platform has one, beside the caller's, which keeps
/// the table-wide state and calls `emit`.
pub fn lint<R: BufRead + Send>(reader: R, opts: &LintOptions, emit: impl FnMut(Diagnostic)) -> LintSummary {
    let mut collator = Collator::new(opts, emit);
    pipeline::run(reader, opts, pipeline::Threads::Available, pipeline::BATCH, |batch| collator.take(batch));
    collator.finish()
}

/// Fills the line and column of a finding inside `entry`.
fn located(entry: &EntryView<'_>, mut d: Diagnostic) -> Diagnostic {
    if let Some(span) = d.span {
        d.position = Some(entry.position(span.start));
    }
    d
}

/// Findings that depend on the value alone (so a clean value stays clean under any key).
fn value_findings(entry: &EntryView<'_>, opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let ctx = EntryContext { version: &opts.version, enforce_sts_mx_patterns: true };
    let parsed = parse_entry_lean(entry.value, &ctx, &AssumeFilesExist);
    let value_span = |s: Span| entry.text_span(s.start..s.end);
    let key = entry.key;
    for w in &parsed.warnings {
        let postfix = if w.prefixed { format!("smtp_tls_policy_maps, next-hop destination \"{key}\": {}", w.text) } else { w.text.clone() };
        let sev = if w.invalidates { Severity::Error } else { Severity::Warning };
        let mut d = Diagnostic::new(&w.code, sev, Source::PolicyTable, w.text.clone()).param("postfix_warning", postfix);
        for (name, value) in &w.params {
            d = d.param(name, value.as_str());
        }
        d = d.at(w.span.map_or_else(|| entry.value_span(), value_span));
        if w.invalidates {
            let (advice, hint, params) = hint_for(w, &opts.version, entry.value);
            d = d.hint(hint).param("advice_code", advice);
            for (name, value) in params {
                d = d.param(name, value);
            }
        }
        out.push(d);
    }
    if !parsed.valid {
        return out;
    }
    if let (Some(SecurityLevel::Fingerprint), Some(matches)) = (parsed.level, &parsed.matches) {
        for m in matches {
            if let Some((variant, text, bytes)) = fingerprint_problem(&m.text) {
                let span = m.span.map_or_else(|| entry.value_span(), value_span);
                let d = Diagnostic::warning("lint.fingerprint-length", Source::PolicyTable, text).at(span).param("element", m.text.as_str());
                out.push(d.param("variant", variant).param("bytes", bytes.to_string()));
            }
        }
    }
    if let (Some(SecurityLevel::Secure | SecurityLevel::Verify), Some(matches)) = (parsed.level, &parsed.matches) {
        for m in matches {
            let span = m.span.map_or_else(|| entry.value_span(), value_span);
            let t = m.text.as_str();
            let problem = if t == "." {
                Some(("dot", "\".\" is ignored: Postfix logs \"ignoring invalid match name\"".to_string()))
            } else if t.ends_with('.') {
                Some(("trailing-dot", format!("\"{t}\" ends with a dot: certificate names never do, so it never matches")))
            } else if t.starts_with("*.") {
                Some(("wildcard", format!("\"{t}\" is not a pattern: a reference name is never a wildcard (write \"{}\" to match subdomains)", &t[1..])))
            } else if t.contains('*') {
                Some(("star", format!("\"{t}\" contains \"*\": it only matches a certificate name spelled exactly so")))
            } else {
                None
            };
            if let Some((variant, text)) = problem {
                let d = Diagnostic::warning("lint.unreachable-match", Source::PolicyTable, text).at(span).param("element", t).param("variant", variant);
                out.push(if variant == "wildcard" { d.param("suggestion", &t[1..]) } else { d });
            }
        }
    }
    out
}

/// Why a `fingerprint` match value can never match: not hexadecimal, or a length no digest
/// Postfix can use has (md5 16, sha1 20, sha224 28, sha256 32, sha384 48, sha512 64 bytes).
/// Gives the `variant` (`not-hex`, `length`), the English text and the byte count.
fn fingerprint_problem(value: &str) -> Option<(&'static str, String, usize)> {
    let hex: String = value.chars().filter(|&c| c != ':').collect();
    let bytes = hex.len() / 2;
    if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) || hex.len() % 2 != 0 {
        return Some(("not-hex", format!("\"{value}\" is not a hexadecimal fingerprint (pairs of hex digits, optionally separated by colons): it never matches"), bytes));
    }
    if ![16, 20, 28, 32, 48, 64].contains(&bytes) {
        return Some(("length", format!("\"{value}\" has {bytes} bytes; no digest has that length (md5 16, sha1 20, sha256 32, sha512 64), so it never matches"), bytes));
    }
    None
}

/// The hint for an entry Postfix refuses: its `diag.advice.*` keyword, the English text and the
/// params the text mentions.
fn hint_for(w: &crate::policy::entry::EntryWarning, version: &PostfixVersion, value: &str) -> (&'static str, String, Vec<(&'static str, String)>) {
    let (code, text) = (w.code.as_str(), w.text.as_str());
    if code == "policy.invalid-attribute-name" {
        let name = text.split('"').nth(1).unwrap_or_default().to_ascii_lowercase();
        let newer = PostfixVersion::new(3, 12, 0);
        if let Some(a) = AttributeName::lookup(&name, &newer) {
            if AttributeName::lookup(&name, version).is_none() {
                let text = format!("\"{}\" exists only from Postfix {}; this table is checked for {version}.", a.name(), a.since());
                let params = vec![("attribute", a.name().to_string()), ("since", a.since().to_string()), ("version", version.to_string())];
                return ("newer-attribute", text, params);
            }
        }
        return ("attribute-names", "Attribute names: ciphers, protocols, exclude, match, tafile, servername, connection_reuse…".into(), Vec::new());
    }
    if code == "policy.malformed-attribute" {
        let protocols_comma = token_spans(value, false).iter().any(|t| t.slice(value).to_ascii_lowercase().starts_with("protocols=")) && value.contains(',');
        if protocols_comma {
            return ("protocols-comma", "In the policy table protocols are separated by colons (protocols=!SSLv2:!SSLv3); a comma ends the attribute.".into(), Vec::new());
        }
        if text.contains("missing '='") {
            let braced = vec![("braced", "{ name = value }".to_string())];
            return ("missing-equals", "Write name=value without spaces around \"=\" (or use { name = value } from 3.10).".into(), braced);
        }
    }
    if code == "policy.invalid-level" {
        // The legacy smtp_tls_per_site table's words; NONE and MAY are policy levels too.
        let level = w.params.iter().find(|(name, _)| name == "level").map(|(_, v)| v.as_str()).unwrap_or_default();
        let replacement = match level.to_ascii_uppercase().as_str() {
            "MUST" => Some("verify"),
            "MUST_NOPEERMATCH" => Some("encrypt"),
            _ => None,
        };
        if let Some(replacement) = replacement {
            let text = format!("\"{level}\" is a word of the legacy smtp_tls_per_site table; in smtp_tls_policy_maps write \"{replacement}\".");
            return ("per-site-level", text, vec![("level", level.to_string()), ("replacement", replacement.to_string())]);
        }
    }
    if code == "policy.attribute-invalid-at-level" {
        return ("attribute-levels", "match is allowed at fingerprint, verify and secure; tafile at verify and secure.".into(), Vec::new());
    }
    ("entry-defers", "Postfix defers mail for this destination with 4.7.5 \"client TLS configuration problem\" until the entry is fixed.".into(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, version: &str, texthash: bool) -> (LintSummary, Vec<Diagnostic>) {
        let opts = LintOptions { version: PostfixVersion::parse(version).unwrap(), texthash };
        let mut found = Vec::new();
        let s = lint(text.as_bytes(), &opts, |d| found.push(d));
        (s, found)
    }

    #[test]
    fn per_site_words_are_translated_into_policy_levels() {
        let (_, found) = run("a.example MUST\nb.example must_nopeermatch\nc.example bogus\n", "3.11.6", true);
        let advice: Vec<(&str, Option<&str>)> =
            found.iter().map(|d| (d.params.get("advice_code").map(String::as_str).unwrap_or_default(), d.params.get("replacement").map(String::as_str))).collect();
        assert_eq!(advice, [("per-site-level", Some("verify")), ("per-site-level", Some("encrypt")), ("entry-defers", None)]);
        assert_eq!(found[1].hint.as_deref(), Some("\"must_nopeermatch\" is a word of the legacy smtp_tls_per_site table; in smtp_tls_policy_maps write \"encrypt\"."));
    }

    #[test]
    fn one_of_each_mistake() {
        let table = "example.com secure servername=hostname\nexample.com verify\nexample.net. secure\n.example.org secure\nexample.info encrypt protocols=!SSLv2,!SSLv3\nexample.edu secure match=*.example.edu\nexample.us fingerprint match=AA:BB|zz\n";
        let (summary, found) = run(table, "3.3.0", true);
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"policy.invalid-attribute-name"), "{codes:?}");
        assert!(codes.contains(&"lint.duplicate-key"));
        assert!(codes.contains(&"lint.key-trailing-dot"));
        assert!(codes.contains(&"lint.dot-key-not-bare"));
        assert!(codes.contains(&"policy.malformed-attribute"));
        assert!(codes.contains(&"lint.unreachable-match"));
        assert_eq!(codes.iter().filter(|c| **c == "lint.fingerprint-length").count(), 2, "AA:BB and zz");
        assert_eq!(summary.entries, 7);
        let servername = found.iter().find(|d| d.code == "policy.invalid-attribute-name").unwrap();
        assert_eq!(servername.position.map(|p| (p.line, p.column)), Some((1, 20)));
        assert!(servername.hint.as_deref().unwrap_or("").contains("3.4"));
    }

    #[test]
    fn a_duplicate_quotes_postfix_as_each_map_type_words_it() {
        let table = "example.com verify\nEXAMPLE.Com secure\n";
        let warning = |texthash| {
            let (_, found) = run(table, "3.7.11", texthash);
            let d = found.into_iter().find(|d| d.code == "lint.duplicate-key").expect("a duplicate");
            d.params.get("postfix_warning").cloned().unwrap_or_default()
        };
        assert_eq!(warning(true), "FILE, line 2: duplicate entry: \"EXAMPLE.Com\"");
        assert_eq!(warning(false), "FILE.db: duplicate entry: \"example.com\"");
    }

    /// A run with the reading side on `threads`, in batches of `size`.
    fn run_on(text: &str, threads: pipeline::Threads, size: usize) -> (LintSummary, Vec<Diagnostic>) {
        let opts = LintOptions { version: PostfixVersion::parse("3.7.11").unwrap(), texthash: false };
        let mut found = Vec::new();
        let mut collator = Collator::new(&opts, |d| found.push(d));
        pipeline::run(text.as_bytes(), &opts, threads, size, |batch| collator.take(batch));
        let summary = collator.finish();
        (summary, found)
    }

    const LINES: [&str; 12] = [
        "example.com secure match=.example.com",
        "EXAMPLE.com verify",
        ".example.com dane-only",
        "example.net. secure match=*.example.net",
        "example.org fingerprint match=AA:BB|zz",
        "  servername=hostname",
        "# a comment",
        "",
        "example.edu encrypt protocols=!SSLv2,!SSLv3",
        "k\u{200b}ey may # later",
        "lonely",
        "[mx.example.com]:25 secure ciphers=high",
    ];

    proptest::proptest! {
        #[test]
        fn two_threads_find_what_one_finds(picks in proptest::collection::vec(0..LINES.len(), 0..60), size in 1usize..6) {
            let text: String = picks.iter().map(|&i| format!("{}\n", LINES[i])).collect();
            let one = run_on(&text, pipeline::Threads::One, pipeline::BATCH);
            let two = run_on(&text, pipeline::Threads::Available, size);
            proptest::prop_assert_eq!(one, two);
        }
    }

    #[test]
    fn batches_keep_file_order_across_their_ends() {
        let text: String = LINES.iter().map(|l| format!("{l}\n")).collect::<String>().repeat(3);
        let (summary, found) = run_on(&text, pipeline::Threads::Available, 2);
        assert_eq!(summary, run(&text, "3.7.11", false).0);
        let lines: Vec<usize> = found.iter().filter(|d| d.code != "lint.dot-key-not-bare").filter_map(|d| d.position).map(|p| p.line).collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
        let duplicates = found.iter().filter(|d| d.code == "lint.duplicate-key").count();
        assert_eq!(duplicates, 1 + 2 * 8, "{found:?}");
    }

    #[test]
    fn clean_table_has_no_findings() {
        let sha256 = "3D:9F:1A:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC";
        let table = format!("example.com secure match=.example.com\nexample.org fingerprint match={sha256}|{}\n", &sha256.replace(':', "")[..40]);
        let (summary, found) = run(&table, "3.7.11", false);
        assert_eq!(summary.errors + summary.warnings, 0, "{found:?}");
    }
}

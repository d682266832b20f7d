//! Policy-table linting for one Postfix version: every line checked the way smtp(8) would read
//! it, plus the mistakes Postfix accepts silently. Streams, so a million-line table lints in
//! bounded memory (one hash per key for duplicate detection).

use crate::diag::{Diagnostic, Source, Span};
use crate::input::table::{fold_key, TableEntry, TableEvent};
use crate::input::table_reader::TableReader;
use crate::policy::entry::{parse_entry, tokenize, AttributeName, EntryContext, TrustAnchorSource};
use crate::policy::level::SecurityLevel;
use crate::version::PostfixVersion;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::BufRead;

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

fn key_hash(key: &str) -> u64 {
    let mut h = DefaultHasher::new();
    fold_key(key).hash(&mut h);
    h.finish()
}

/// Lints a table read from `reader`, calling `emit` for every finding in file order.
pub fn lint<R: BufRead>(reader: R, opts: &LintOptions, mut emit: impl FnMut(Diagnostic)) -> LintSummary {
    let mut summary = LintSummary::default();
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut dot_keys: Vec<(String, usize, Span)> = Vec::new();
    let mut bare_keys: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let count = |d: &Diagnostic, s: &mut LintSummary| match d.severity {
        crate::diag::Severity::Error => s.errors += 1,
        crate::diag::Severity::Warning => s.warnings += 1,
        crate::diag::Severity::Info => {}
    };
    for event in TableReader::new(reader, Source::PolicyTable) {
        match event {
            TableEvent::Diagnostic(d) => {
                count(&d, &mut summary);
                emit(d);
            }
            TableEvent::Entry(entry) => {
                summary.entries += 1;
                let h = key_hash(&entry.key);
                if let Some(first) = seen.get(&h) {
                    let (sev, text) = if opts.texthash {
                        (crate::diag::Severity::Error, format!("duplicate key \"{}\" (first on line {first}): with texthash the whole table becomes unusable and every lookup defers", entry.key))
                    } else {
                        (crate::diag::Severity::Warning, format!("duplicate key \"{}\" (first on line {first}): postmap keeps the first value and ignores this one", entry.key))
                    };
                    let d = Diagnostic::new("lint.duplicate-key", sev, Source::PolicyTable, text)
                        .at(entry.key_span)
                        .param("key", entry.key.clone())
                        .param("first_line", first.to_string())
                        .param("postfix_warning", format!("FILE, line {}: duplicate entry: \"{}\"", entry.line, fold_key(&entry.key)))
                        .hint("Merge the two lines into one entry.");
                    count(&d, &mut summary);
                    emit(locate_in_entry(&entry, d));
                } else {
                    seen.insert(h, entry.line);
                }
                if entry.key.starts_with('.') {
                    dot_keys.push((entry.key.clone(), entry.line, entry.key_span));
                } else {
                    bare_keys.insert(h);
                }
                for d in lint_entry(&entry, opts) {
                    count(&d, &mut summary);
                    emit(locate_in_entry(&entry, d));
                }
            }
        }
    }
    for (key, line, span) in dot_keys {
        if !bare_keys.contains(&key_hash(&key[1..])) {
            let mut d = Diagnostic::info("lint.dot-key-not-bare", Source::PolicyTable, format!("\"{key}\" (line {line}) covers subdomains only, not \"{}\" itself", &key[1..]))
                .at(span)
                .param("key", key.clone())
                .hint(format!("If mail to {} itself should get this policy, add a line for \"{}\" too.", &key[1..], &key[1..]));
            d.position = Some(crate::diag::Position { line, column: 1 });
            emit(d);
        }
    }
    summary
}

/// Fills the line and column of a finding inside `entry` (streaming: the text is gone, so the
/// key's line start and the value pieces of continuation lines are used; comment lines between
/// continuation lines are not counted).
fn locate_in_entry(entry: &TableEntry, mut d: Diagnostic) -> Diagnostic {
    let Some(span) = d.span else { return d };
    let mut line = entry.line;
    let mut line_start = entry.key_span.start;
    for (i, &(_, text_offset)) in entry.value_pieces.iter().enumerate().skip(1) {
        if text_offset <= span.start {
            line = entry.line + i;
            line_start = text_offset;
        }
    }
    let column = span.start.saturating_sub(line_start) + 1;
    d.position = Some(crate::diag::Position { line, column });
    d
}

/// Findings for one entry.
pub fn lint_entry(entry: &TableEntry, opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let ctx = EntryContext { version: &opts.version, enforce_sts_mx_patterns: true };
    let parsed = parse_entry(&entry.value, &ctx, &AssumeFilesExist);
    let value_span = |s: Span| entry.text_span(s.start..s.end);
    let key = &entry.key;
    if key.ends_with('.') && key.len() > 1 {
        out.push(
            Diagnostic::warning("lint.key-trailing-dot", Source::PolicyTable, format!("key \"{key}\" ends with a dot: no next-hop is ever looked up with a trailing dot"))
                .at(entry.key_span)
                .hint(format!("Use \"{}\".", key.trim_end_matches('.'))),
        );
    }
    for w in &parsed.warnings {
        let postfix = if w.prefixed { format!("smtp_tls_policy_maps, next-hop destination \"{key}\": {}", w.text) } else { w.text.clone() };
        let sev = if w.invalidates { crate::diag::Severity::Error } else { crate::diag::Severity::Warning };
        let mut d = Diagnostic::new(&w.code, sev, Source::PolicyTable, w.text.clone()).param("postfix_warning", postfix);
        if let Some(s) = w.span {
            d = d.at(value_span(s));
        } else {
            d = d.at(entry.value_span);
        }
        if w.invalidates {
            d = d.hint(hint_for(w.code.as_str(), &w.text, &opts.version, &entry.value));
        }
        out.push(d);
    }
    if !parsed.valid {
        return out;
    }
    if let (Some(SecurityLevel::Secure | SecurityLevel::Verify), Some(matches)) = (parsed.level, &parsed.matches) {
        for m in matches {
            let span = m.span.map(value_span).unwrap_or(entry.value_span);
            let t = m.text.as_str();
            let problem = if t == "." {
                Some("\".\" is ignored: Postfix logs \"ignoring invalid match name\"".to_string())
            } else if t.ends_with('.') {
                Some(format!("\"{t}\" ends with a dot: certificate names never do, so it never matches"))
            } else if t.starts_with("*.") {
                Some(format!("\"{t}\" is not a pattern: a reference name is never a wildcard (write \"{}\" to match subdomains)", &t[1..]))
            } else if t.contains('*') {
                Some(format!("\"{t}\" contains \"*\": it only matches a certificate name spelled exactly so"))
            } else {
                None
            };
            if let Some(text) = problem {
                out.push(Diagnostic::warning("lint.unreachable-match", Source::PolicyTable, text).at(span).param("element", t));
            }
        }
    }
    out
}

fn hint_for(code: &str, text: &str, version: &PostfixVersion, value: &str) -> String {
    if code == "policy.invalid-attribute-name" {
        let name = text.split('"').nth(1).unwrap_or_default().to_ascii_lowercase();
        let newer = PostfixVersion::new(3, 12, 0);
        if let Some(a) = AttributeName::lookup(&name, &newer) {
            if AttributeName::lookup(&name, version).is_none() {
                return format!("\"{}\" exists only from Postfix {}; this table is checked for {version}.", a.name(), a.since());
            }
        }
        return "Attribute names: ciphers, protocols, exclude, match, tafile, servername, connection_reuse…".into();
    }
    if code == "policy.malformed-attribute" {
        let protocols_comma = tokenize(value, false).iter().any(|t| t.raw.to_ascii_lowercase().starts_with("protocols=")) && value.contains(',');
        if protocols_comma {
            return "In the policy table protocols are separated by colons (protocols=!SSLv2:!SSLv3); a comma ends the attribute.".into();
        }
        if text.contains("missing '='") {
            return "Write name=value without spaces around \"=\" (or use { name = value } from 3.10).".into();
        }
    }
    if code == "policy.attribute-invalid-at-level" {
        return "match is allowed at fingerprint, verify and secure; tafile at verify and secure.".into();
    }
    "Postfix defers mail for this destination with 4.7.5 \"client TLS configuration problem\" until the entry is fixed.".into()
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
    fn one_of_each_mistake() {
        let table = "example.com secure servername=hostname\nexample.com verify\nexample.net. secure\n.example.org secure\nexample.info encrypt protocols=!SSLv2,!SSLv3\nexample.edu secure match=*.example.edu\n";
        let (summary, found) = run(table, "3.3.0", true);
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&"policy.invalid-attribute-name"), "{codes:?}");
        assert!(codes.contains(&"lint.duplicate-key"));
        assert!(codes.contains(&"lint.key-trailing-dot"));
        assert!(codes.contains(&"lint.dot-key-not-bare"));
        assert!(codes.contains(&"policy.malformed-attribute"));
        assert!(codes.contains(&"lint.unreachable-match"));
        assert_eq!(summary.entries, 6);
        let servername = found.iter().find(|d| d.code == "policy.invalid-attribute-name").unwrap();
        assert_eq!(servername.position.map(|p| (p.line, p.column)), Some((1, 20)));
        assert!(servername.hint.as_deref().unwrap_or("").contains("3.4"));
    }

    #[test]
    fn clean_table_has_no_findings() {
        let (summary, found) = run("example.com secure match=.example.com\n", "3.7.11", false);
        assert_eq!(summary.errors + summary.warnings, 0, "{found:?}");
    }
}

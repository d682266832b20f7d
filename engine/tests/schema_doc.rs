//! Keeps docs/SCHEMA.md true.
//!
//! The JSON of `Scenario` and `Report` is the contract between the engine and its renderers (the
//! page, `peername explain --json`, the JS API), and docs/SCHEMA.md documents it. This test
//! serialises a fully populated scenario and the reports of three scenarios (an smtp(8) delivery
//! with fixes, a DANE delivery and a posttls-finger run with a diagnostic), and checks that
//!
//! - every JSON key that appears is named in backticks in the document (map keys such as
//!   `trust_anchor_files`' paths are data and are skipped);
//! - every enum value that appears under a tag-like key (`kind`, `mark`, `level`, …) is too;
//! - the Scenario and Report field tables list exactly the top-level fields;
//! - the document's scenario examples parse, and a full scenario survives a JSON round trip;
//! - the "Diagnostic codes" table lists exactly the codes the engine source can produce, and
//!   the "Rule codes" table exactly the step rule codes.
//!
//! Failure messages name what is missing, so the fix is to add it to the document.

use peername_engine::dns::{DnssecStatus, Dns, MxEntry};
use peername_engine::scenario::{CaTrust, Probe, Scenario, ServedChain, ServerSetting};
use peername_engine::{explain, Report};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn doc() -> String {
    let path = repo().join("docs/SCHEMA.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn example(name: &str) -> Scenario {
    let path = repo().join("examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A scenario with every field away from its default.
fn full_scenario() -> Scenario {
    let fastmail = example("fastmail.json");
    let dane = example("dane.json");
    let mut dns = Dns::default();
    dns.mx.insert("example.com".into(), vec![MxEntry { pref: 10, host: "mx.example.com".into() }]);
    dns.unowned_mx.push(MxEntry { pref: 20, host: "mx2.example.com".into() });
    dns.addresses.insert("mx.example.com".into(), vec!["192.0.2.1".into(), "2001:db8::1".into()]);
    dns.complete = true;
    dns.tlsa.insert("_25._tcp.mx.example.com".into(), vec!["3 1 1 55489171d933243d219621e52f374a23b936e55a5a8b504d4e59f9cac72769df".into()]);
    dns.set_dnssec("example.com", "MX", DnssecStatus { ad: true, rcode: "NOERROR".into() });
    dns.default_secure = true;
    dns.unowned_tlsa.push("2 1 1 067cb2e1930e66c2513285b27958e6fa401c4ca17f6cc4f75bffe8600f93b1a1".into());
    Scenario {
        postfix_version: "3.11.6".into(),
        evaluated_at: Some("2026-11-23T04:07:48Z".into()),
        main_cf: dane.main_cf.clone(),
        policy_table: "example.com secure match=.example.com tafile=/etc/postfix/ta.pem\n".into(),
        transport_table: "example.com smtp:[mx.example.com]:25\n".into(),
        destination: "user@example.com".into(),
        mx: "example.com mail is handled by 10 mx.example.com.\n".into(),
        addresses: "mx.example.com has address 192.0.2.1\n".into(),
        tlsa: dane.tlsa.clone(),
        dnssec_validated: false,
        insecure_names: vec!["example.net".into()],
        certificates: vec![ServedChain { host: "mx.example.com".into(), pem: dane.certificates[0].pem.clone() }],
        ca_trust: CaTrust::Bundle,
        ca_bundle: fastmail.certificates[0].pem.clone(),
        trust_anchor_files: [("/etc/postfix/ta.pem".to_string(), fastmail.certificates[0].pem.clone())].into_iter().collect(),
        servers: vec![ServerSetting { host: "mx.example.com".into(), starttls: true, certificate: false, tls_max: Some("1.2".into()) }],
        server_reply: "250 2.0.0 Ok: queued as 4XYZ".into(),
        probe: Probe::Finger { level: "secure".into(), matches: vec![".example.com".into()], args: vec!["-d".into(), "sha256".into()] },
        dns: Some(dns),
        policy_file: "/etc/postfix/tls_policy".into(),
    }
}

/// posttls-finger at `secure` against the fastmail certificate, with one unreadable MX line
/// (so the report carries a diagnostic with span, position and params).
fn finger_scenario() -> Scenario {
    let mut s = example("fastmail.json");
    s.destination = "fastmail.fm".into();
    s.mx.push_str("fastmail.fm mail is handled by ten in3-smtp.messagingengine.com.\n");
    s.probe = Probe::Finger { level: "secure".into(), matches: Vec::new(), args: vec!["-d".into(), "sha256".into()] };
    s
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("serialises")
}

/// Paths whose object keys are data (map keys), not schema names.
const MAP_PATHS: &[&str] = &["trust_anchor_files", "dns.mx", "dns.addresses", "dns.tlsa", "dns.dnssec", "diagnostics[].params"];

/// Keys whose string values are enum spellings a renderer switches on.
const ENUM_KEYS: &[&str] = &[
    "kind", "mark", "severity", "era", "verbosity", "level", "stage", "strategy", "rule", "phase", "error", "origin", "shape", "source", "digest",
    "status", "trust", "ca_trust", "global_level", "effective_level", "requested",
];

/// Enum-like keys whose values are free text in some reports (posttls-finger's verdict status).
const FREE_TEXT_PATHS: &[&str] = &["verdict.status"];

#[derive(Default)]
struct Seen {
    /// key name → the first path it was seen at.
    keys: BTreeMap<String, String>,
    /// enum value → the first path it was seen at.
    values: BTreeMap<String, String>,
}

fn collect(v: &Value, path: &str, seen: &mut Seen) {
    match v {
        Value::Object(map) => {
            let is_map = MAP_PATHS.contains(&path);
            for (k, child) in map {
                if is_map {
                    collect(child, &format!("{path}.*"), seen);
                    continue;
                }
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                seen.keys.entry(k.clone()).or_insert_with(|| p.clone());
                if let Value::String(s) = child {
                    if ENUM_KEYS.contains(&k.as_str()) && !FREE_TEXT_PATHS.contains(&p.as_str()) {
                        seen.values.entry(s.clone()).or_insert_with(|| p.clone());
                    }
                }
                collect(child, &p, seen);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect(item, &format!("{path}[]"), seen);
            }
        }
        _ => {}
    }
}

/// Every inline code span of the document outside fenced blocks (spans may wrap lines), plus
/// the parts of dotted paths (`trace[].detail.kind` names `trace`, `detail` and `kind`) and of
/// object shapes (`{start, end}` and `[{key, result}]` name each key).
fn documented_names(doc: &str) -> BTreeSet<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            prose.push('\n');
            continue;
        }
        if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let mut names = BTreeSet::new();
    for (i, span) in prose.split('`').enumerate() {
        if i % 2 == 0 || span.is_empty() {
            continue;
        }
        let span = span.split_whitespace().collect::<Vec<_>>().join(" ");
        let parts: Vec<&str> = if span.starts_with(['{', '[']) {
            span.split(|c: char| !(c.is_alphanumeric() || c == '_')).collect()
        } else if !span.contains(' ') {
            span.split(['.', '[', ']']).collect()
        } else {
            Vec::new()
        };
        names.extend(parts.into_iter().filter(|p| !p.is_empty()).map(str::to_string));
        names.insert(span);
    }
    names
}

/// The backticked names in the first cells of the table rows in the section headed `heading`
/// (up to the next heading of any level).
fn table_names(doc: &str, heading: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut inside = false;
    for line in doc.lines() {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if hashes > 0 && line[hashes..].starts_with(' ') {
            if inside {
                break;
            }
            inside = line[hashes..].trim() == heading;
            continue;
        }
        if !inside {
            continue;
        }
        // The first cell names one field or several: `| `subject`, `issuer` | … |`.
        if let Some(cell) = line.strip_prefix('|').and_then(|rest| rest.split('|').next()) {
            names.extend(cell.split('`').skip(1).step_by(2).filter(|n| !n.is_empty()).map(str::to_string));
        }
    }
    assert!(!names.is_empty(), "docs/SCHEMA.md has no table under a heading \"{heading}\"");
    names
}

fn missing_from(found: &BTreeMap<String, String>, documented: &BTreeSet<String>) -> Vec<String> {
    found.iter().filter(|(k, _)| !documented.contains(*k)).map(|(k, at)| format!("`{k}` (at {at})")).collect()
}

fn reports() -> Vec<(&'static str, Report)> {
    vec![
        ("examples/fastmail.json", explain(&example("fastmail.json"))),
        ("examples/dane.json", explain(&example("dane.json"))),
        ("posttls-finger scenario", explain(&finger_scenario())),
    ]
}

#[test]
fn the_scenarios_exercise_what_the_document_covers() {
    let r = reports();
    let (fastmail, dane, finger) = (&r[0].1, &r[1].1, &r[2].1);
    assert!(!fastmail.fixes.is_empty() && fastmail.delivery.is_some(), "fastmail should fail with fixes");
    assert!(dane.verdict.delivered && !dane.tlsa.pasted.is_empty(), "dane should deliver with a pasted TLSA record");
    assert!(finger.finger.is_some() && !finger.diagnostics.is_empty(), "the finger scenario should carry a diagnostic");
}

#[test]
fn every_json_key_and_enum_value_is_documented() {
    let doc = doc();
    let documented = documented_names(&doc);
    let mut seen = Seen::default();
    collect(&json(&full_scenario()), "", &mut seen);
    for (_, report) in reports() {
        collect(&json(&report), "", &mut seen);
    }
    let keys = missing_from(&seen.keys, &documented);
    let values = missing_from(&seen.values, &documented);
    assert!(
        keys.is_empty() && values.is_empty(),
        "docs/SCHEMA.md does not name these in backticks:\n  JSON keys: {}\n  enum values: {}",
        if keys.is_empty() { "none".to_string() } else { keys.join(", ") },
        if values.is_empty() { "none".to_string() } else { values.join(", ") },
    );
    assert!(seen.keys.len() > 150, "only {} keys collected", seen.keys.len());
}

fn assert_same(what: &str, actual: &BTreeSet<String>, documented: &BTreeSet<String>) {
    let missing: Vec<_> = actual.difference(documented).collect();
    let stale: Vec<_> = documented.difference(actual).collect();
    assert!(missing.is_empty() && stale.is_empty(), "{what}:\n  missing from the table: {missing:?}\n  in the table but not in the JSON: {stale:?}");
}

fn top_level_keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn the_field_tables_list_exactly_the_top_level_fields() {
    let doc = doc();
    assert_same("docs/SCHEMA.md, \"Scenario fields\"", &top_level_keys(&json(&full_scenario())), &table_names(&doc, "Scenario fields"));
    let mut report_keys = BTreeSet::new();
    let mut verdict_keys = BTreeSet::new();
    for (_, report) in reports() {
        let v = json(&report);
        report_keys.extend(top_level_keys(&v));
        verdict_keys.extend(top_level_keys(&v["verdict"]));
    }
    assert_same("docs/SCHEMA.md, \"Report fields\"", &report_keys, &table_names(&doc, "Report fields"));
    assert_same("docs/SCHEMA.md, \"Verdict\"", &verdict_keys, &table_names(&doc, "Verdict"));
    let step = json(&reports()[0].1.trace[0]);
    assert_same("docs/SCHEMA.md, \"Step\"", &top_level_keys(&step), &table_names(&doc, "Step"));
    let diag = json(&reports()[2].1.diagnostics[0]);
    assert_same("docs/SCHEMA.md, \"Diagnostic\"", &top_level_keys(&diag), &table_names(&doc, "Diagnostic"));
    let r = reports();
    let (fastmail, finger) = (json(&r[0].1), json(&r[2].1));
    for (heading, value) in [
        ("Fix", &fastmail["fixes"][0]),
        ("CertificateView", &fastmail["certificates"][0]),
        ("Setting", &fastmail["settings"][0]),
        ("Outcome", &fastmail["outcome"]),
        ("LogLine", &fastmail["log"][0]),
        ("TlsaAdvice", &fastmail["tlsa"]),
        ("FingerRun", &finger["finger"]),
    ] {
        assert_same(&format!("docs/SCHEMA.md, \"{heading}\""), &top_level_keys(value), &table_names(&doc, heading));
    }
}

#[test]
fn scenarios_round_trip_and_the_documented_examples_parse() {
    let full = full_scenario();
    let text = serde_json::to_string(&full).expect("serialises");
    assert_eq!(serde_json::from_str::<Scenario>(&text).expect("parses"), full, "a full scenario must survive a JSON round trip");
    assert_eq!(serde_json::from_str::<Scenario>("{}").expect("{} is a scenario"), Scenario::default());
    for (name, report) in reports() {
        let text = serde_json::to_string(&report).expect("serialises");
        let back: Report = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: the report JSON does not read back: {e}"));
        assert_eq!(back, report, "{name}: the report must survive a JSON round trip");
    }
    // Fenced blocks that follow a `<!-- scenario example -->` line are whole scenarios.
    let doc = doc();
    let mut checked = 0;
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "<!-- scenario example -->" {
            continue;
        }
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "a fenced block must follow `<!-- scenario example -->`, found {fence:?}");
        let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        let body = body.join("\n");
        let scenario: Scenario = serde_json::from_str(&body).unwrap_or_else(|e| panic!("docs/SCHEMA.md scenario example {}: {e}\n{body}", checked + 1));
        assert_eq!(serde_json::from_value::<Scenario>(json(&scenario)).expect("round trip"), scenario);
        checked += 1;
    }
    assert!(checked >= 2, "docs/SCHEMA.md should have a minimal and a full scenario example, found {checked}");
}

// ---------------------------------------------------------------------------------------------
// Codes, read from the engine's source.

/// A Rust source with comments blanked and the contents of string literals masked (so that
/// brackets and commas can be counted), plus the literals with their byte offsets.
struct Lexed {
    masked: Vec<u8>,
    literals: Vec<(usize, String)>,
}

fn lex(src: &str) -> Lexed {
    let b = src.as_bytes();
    let mut masked = b.to_vec();
    let mut literals = Vec::new();
    let mut i = 0;
    let blank = |m: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut m[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(b.len(), |n| i + n);
                blank(&mut masked, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                blank(&mut masked, i, end);
                i = end;
            }
            b'r' if (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) => {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                let open = i + 1 + hashes;
                if b.get(open) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close = format!("\"{}", "#".repeat(hashes));
                let end = src[open + 1..].find(&close).map_or(b.len(), |n| open + 1 + n);
                literals.push((i, src[open + 1..end].to_string()));
                blank(&mut masked, open + 1, end);
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                let mut text = Vec::new();
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    if let Some(&c) = b.get(j) {
                        text.push(c);
                    }
                    j += 1;
                }
                literals.push((i, String::from_utf8_lossy(&text).into_owned()));
                blank(&mut masked, i + 1, j.min(b.len()));
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{200b}', '"') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    let end = src[i + 2..].find('\'').map_or(b.len(), |n| i + 2 + n);
                    blank(&mut masked, i + 1, end);
                    i = end + 1;
                } else {
                    let width = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    if b.get(i + 1 + width) == Some(&b'\'') {
                        blank(&mut masked, i + 1, i + 1 + width);
                        i += width + 2;
                    } else {
                        i += 1;
                    }
                }
            }
            _ => i += 1,
        }
    }
    Lexed { masked, literals }
}

/// Byte ranges of `#[cfg(test)]` items (a `{ … }` body or a `mod name;`), and the names of
/// test-only module files.
fn test_ranges(masked: &[u8]) -> (Vec<(usize, usize)>, Vec<String>) {
    let text = String::from_utf8_lossy(masked);
    let mut ranges = Vec::new();
    let mut modules = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]").map(|n| from + n) {
        let after = at + "#[cfg(test)]".len();
        let brace = text[after..].find('{').map(|n| after + n);
        let semi = text[after..].find(';').map(|n| after + n);
        match (brace, semi) {
            (_, Some(s)) if brace.is_none_or(|b| s < b) => {
                if let Some(name) = text[after..s].trim().strip_prefix("mod ") {
                    modules.push(name.trim().to_string());
                }
                ranges.push((at, s));
                from = s;
            }
            (Some(open), _) => {
                let mut depth = 0;
                let mut end = masked.len();
                for (k, &c) in masked.iter().enumerate().skip(open) {
                    match c {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                ranges.push((at, end));
                from = end;
            }
            _ => break,
        }
    }
    (ranges, modules)
}

/// The byte range of the first argument of every call `name(` (not `fn name(`).
fn first_arguments(masked: &[u8], name: &str) -> Vec<(usize, usize)> {
    let text = String::from_utf8_lossy(masked);
    let pattern = format!("{name}(");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(&pattern).map(|n| from + n) {
        from = at + pattern.len();
        let before = text[..at].trim_end();
        let ident_before = text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        if ident_before || before.ends_with("fn") {
            continue;
        }
        let start = at + pattern.len();
        let mut depth = 0i32;
        let mut end = masked.len();
        for (k, &c) in masked.iter().enumerate().skip(start) {
            match c {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => {
                    end = k;
                    break;
                }
                b')' | b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    end = k;
                    break;
                }
                _ => {}
            }
        }
        out.push((start, end));
    }
    out
}

fn is_code(s: &str) -> bool {
    let Some((family, rest)) = s.split_once('.') else { return false };
    let word = |w: &str| !w.is_empty() && w.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    word(family) && family.as_bytes()[0].is_ascii_lowercase() && rest.split('-').all(word)
}

/// Families whose codes are not `Diagnostic`s but are translated like them.
const EXTRA_FAMILIES: &[&str] = &["permalink"];

struct Codes {
    /// Diagnostic (and permalink) codes → a file that produces it.
    diagnostics: BTreeMap<String, String>,
    /// Step rule codes → a file that produces it.
    rules: BTreeMap<String, String>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every code the engine can produce:
///
/// - code-shaped literals (`family.word-word`) in the first argument of
///   `Diagnostic::{new,error,warning,info}` or assigned to a `code:` field (these name the
///   families), and every other code-shaped literal of those families, except rule codes;
/// - codes built from a reader's prefix: `code(self.prefix, "what")` for every
///   `AddressReader::new(_, "prefix")`, and `format!("{}.what", self.prefix)` for every reader
///   or `Sink::new("prefix", _)`;
/// - rule codes: the first argument of `rule(` (trace steps).
///
/// Test code (`#[cfg(test)]` items and test-only module files) is skipped.
fn engine_codes() -> Codes {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut lexed = Vec::new();
    let mut test_modules = Vec::new();
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let l = lex(&src);
        let (ranges, modules) = test_ranges(&l.masked);
        let dir = path.parent().unwrap_or(&root).to_path_buf();
        test_modules.extend(modules.into_iter().map(|m| (dir.clone(), m)));
        let name = format!("engine/{}", path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display());
        lexed.push((path.clone(), name, src, l, ranges));
    }
    let is_test_file = |p: &Path| test_modules.iter().any(|(dir, m)| p == dir.join(format!("{m}.rs")) || p == dir.join(m).join("mod.rs"));

    let mut direct: BTreeMap<String, String> = BTreeMap::new();
    let mut rules: BTreeMap<String, String> = BTreeMap::new();
    let mut all: Vec<(String, String)> = Vec::new();
    let mut reader_prefixes = BTreeSet::new();
    let mut sink_prefixes = BTreeSet::new();
    let mut prefixed_whats = BTreeSet::new();
    let mut formatted_whats = BTreeSet::new();
    for (path, name, src, l, ranges) in &lexed {
        if is_test_file(path) {
            continue;
        }
        let in_test = |at: usize| ranges.iter().any(|&(a, b)| a <= at && at <= b);
        let literals_in = |(a, b): (usize, usize)| l.literals.iter().filter(move |(at, _)| *at >= a && *at < b && !in_test(*at)).map(|(_, s)| s.clone());
        for f in ["Diagnostic::new", "Diagnostic::error", "Diagnostic::warning", "Diagnostic::info"] {
            for range in first_arguments(&l.masked, f) {
                for s in literals_in(range).filter(|s| is_code(s)) {
                    direct.entry(s).or_insert_with(|| name.clone());
                }
            }
        }
        for range in first_arguments(&l.masked, "rule") {
            for s in literals_in(range).filter(|s| is_code(s)) {
                rules.entry(s).or_insert_with(|| name.clone());
            }
        }
        for (at, s) in &l.literals {
            if in_test(*at) {
                continue;
            }
            let before = String::from_utf8_lossy(&l.masked[at.saturating_sub(120)..*at]);
            let before = before.trim_end();
            if is_code(s) {
                if before.ends_with("code:") {
                    direct.entry(s.clone()).or_insert_with(|| name.clone());
                }
                all.push((s.clone(), name.clone()));
            }
            if before.ends_with("code(self.prefix,") {
                prefixed_whats.insert(s.clone());
            }
            if before.ends_with(',') && before.rsplit_once("AddressReader::new(").is_some_and(|(_, args)| !args.contains(')')) {
                reader_prefixes.insert(s.clone());
            }
            if before.ends_with("Sink::new(") {
                sink_prefixes.insert(s.clone());
            }
            if let Some(what) = s.strip_prefix("{}.") {
                if src[*at..].split(')').next().is_some_and(|call| call.contains("self.prefix")) {
                    formatted_whats.insert(what.to_string());
                }
            }
        }
    }
    let families: BTreeSet<String> =
        direct.keys().filter_map(|c| c.split('.').next()).map(str::to_string).chain(EXTRA_FAMILIES.iter().map(|f| f.to_string())).collect();
    let mut diagnostics = BTreeMap::new();
    for (code, file) in all {
        let family = code.split('.').next().unwrap_or_default();
        if families.contains(family) && !rules.contains_key(&code) {
            let file = direct.get(&code).cloned().unwrap_or(file);
            diagnostics.entry(code).or_insert(file);
        }
    }
    for prefix in &reader_prefixes {
        for what in &prefixed_whats {
            diagnostics.entry(format!("{prefix}.{what}")).or_insert_with(|| "engine/src/input/addresses.rs".into());
        }
    }
    for prefix in reader_prefixes.iter().chain(&sink_prefixes) {
        for what in &formatted_whats {
            diagnostics.entry(format!("{prefix}.{what}")).or_insert_with(|| "engine/src/input/diagnostics.rs".into());
        }
    }
    Codes { diagnostics, rules }
}

#[test]
fn the_code_tables_list_exactly_the_codes_the_engine_produces() {
    let codes = engine_codes();
    // The scan must see the families the document promises, or it is broken.
    for family in ["table", "maincf", "policy", "cert", "lint", "limits", "mx", "addresses", "tlsa", "log", "scenario", "destination", "permalink"] {
        assert!(codes.diagnostics.keys().any(|c| c.starts_with(&format!("{family}."))), "the source scan found no {family}.* code");
    }
    assert!(codes.diagnostics.len() > 80 && codes.rules.len() > 10, "the source scan found only {} codes and {} rule codes", codes.diagnostics.len(), codes.rules.len());

    let doc = doc();
    let listed = table_names(&doc, "Diagnostic codes");
    let missing: Vec<String> = codes.diagnostics.iter().filter(|(c, _)| !listed.contains(*c)).map(|(c, f)| format!("`{c}` ({f})")).collect();
    let stale: Vec<&String> = listed.iter().filter(|c| !codes.diagnostics.contains_key(*c)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/SCHEMA.md, \"Diagnostic codes\" table:\n  not listed: {}\n  listed but not produced by engine/src: {stale:?}",
        if missing.is_empty() { "none".to_string() } else { missing.join(", ") },
    );

    let listed = table_names(&doc, "Rule codes");
    let missing: Vec<String> = codes.rules.iter().filter(|(c, _)| !listed.contains(*c)).map(|(c, f)| format!("`{c}` ({f})")).collect();
    let stale: Vec<&String> = listed.iter().filter(|c| !codes.rules.contains_key(*c)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/SCHEMA.md, \"Rule codes\" table:\n  not listed: {}\n  listed but not produced by engine/src: {stale:?}",
        if missing.is_empty() { "none".to_string() } else { missing.join(", ") },
    );
}

#[test]
fn diagnostics_produced_by_hostile_input_are_listed() {
    // A cross-check of the source scan with real output: odd inputs in every pane.
    let scenario = Scenario {
        postfix_version: "9.9".into(),
        evaluated_at: Some("yesterday".into()),
        main_cf: "\u{feff}smtp_tls_policy_maps hash:/x\n  orphan\n=v\nsmtp_tls_loglevel = 1 # note\n".into(),
        policy_table: "\u{feff}example.com: secure\nexample.com\n\"x secure\n example.org may\n".into(),
        destination: "user@exa\u{200b}mple.com".into(),
        mx: "example.com mail is handled by ten mx.example.com.\nnonsense here\n".into(),
        addresses: "mx.example.com has address 999.1.1.1\n".into(),
        tlsa: "3 1 1 zz\nnot tlsa\n".into(),
        certificates: vec![ServedChain { host: String::new(), pem: "-----BEGIN CERTIFICATE-----\nMII$\n".into() }],
        ..Scenario::default()
    };
    let report = explain(&scenario);
    let listed = table_names(&doc(), "Diagnostic codes");
    let unlisted: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).filter(|c| !listed.contains(*c)).collect();
    assert!(unlisted.is_empty(), "docs/SCHEMA.md, \"Diagnostic codes\" table does not list: {unlisted:?}");
    assert!(report.diagnostics.len() >= 8, "only {} diagnostics: {:?}", report.diagnostics.len(), report.diagnostics.iter().map(|d| &d.code).collect::<Vec<_>>());
}

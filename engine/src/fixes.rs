//! Fix suggestions: the smallest policy-table changes that would make delivery succeed, each
//! with its security cost, and each verified by re-running the engine on the changed scenario.

use crate::cert::chain::X509Error;
use crate::delivery::{DestinationRun, HostAttempt};
use crate::diag::Diagnostic;
use crate::input::key_index::folded_eq;
use crate::input::table::{EntryView, TableSink};
use crate::input::table_reader::TableReader;
use crate::policy::effective::LevelSource;
use crate::policy::entry::AttributeName;
use crate::policy::level::SecurityLevel;
use crate::memo::CertificateMemo;
use crate::policy::lookup::PolicyTable;
use crate::report::Report;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// What kind of change a fix makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// `match=.domain` covering the certificate's own names.
    MatchCertificateDomain,
    /// `match=nexthop:dot-nexthop:.domain`: keep the defaults, add the provider's domain.
    KeepDefaultsAddDomain,
    /// `match=name`: one exact certificate name.
    MatchExactName,
    /// `match=hostname`: trust the MX name.
    MatchHostname,
    /// Level `verify` (matches the MX host name by default).
    LevelVerify,
    /// Level `fingerprint` pinned to the server's public key.
    PinPublicKey,
    /// Level `encrypt`: no authentication.
    LevelEncrypt,
}

impl FixKind {
    /// The security cost, in one sentence.
    pub fn cost(self) -> &'static str {
        match self {
            FixKind::MatchCertificateDomain => "Resists DNS forgery: an attacker needs a CA-valid certificate for a name in that domain, but any host of the provider with such a certificate is accepted.",
            FixKind::KeepDefaultsAddDomain => "As the domain match, and it keeps working if the certificate later names the next-hop domain itself.",
            FixKind::MatchExactName => "Narrow, but fragile: it relies on that exact name staying in the certificate.",
            FixKind::MatchHostname => "The expected name now comes from the unauthenticated MX lookup: whoever can forge the MX answer can redirect mail to any host with a CA-valid certificate for the name they chose.",
            FixKind::LevelVerify => "Same exposure as match=hostname: verify trusts the MX lookup; still logged \"Verified\".",
            FixKind::PinPublicKey => "Strong against forgery, but mail defers when the server's key changes; chain, dates and names are no longer checked.",
            FixKind::LevelEncrypt => "No authentication at all: encryption only, an active attacker can intercept.",
        }
    }
}

/// One verified suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Kind of change.
    pub kind: FixKind,
    /// The complete policy-table line to use.
    pub line: String,
    /// The security cost, one sentence.
    pub cost: String,
    /// What the re-run says: delivered or not.
    pub delivers: bool,
    /// The summary word on the re-run's delivering connection.
    pub trust: Option<String>,
    /// The 1-based first and last policy-table lines `line` replaces (the entry and its
    /// continuation lines); absent: `line` is appended. [`apply`] makes exactly this edit.
    #[serde(default)]
    pub replaces: Option<[usize; 2]>,
    /// A main.cf line the re-run also appended (the fix needs it as well).
    #[serde(default)]
    pub main_cf_line: Option<String>,
}

/// The policy-table text with `line` in place of lines `replaces` (or appended): the edit a
/// [`Fix`] describes, exactly as the re-run that verified it made it.
pub fn apply(policy_table: &str, replaces: Option<[usize; 2]>, line: &str) -> String {
    let mut lines: Vec<&str> = policy_table.lines().collect();
    match replaces {
        Some([first, last]) if first >= 1 && first <= last && last <= lines.len() => {
            lines.splice(first - 1..last, [line]);
        }
        _ => lines.push(line),
    }
    lines.join("\n") + "\n"
}

/// Domains that `*.x` / `x` certificate names suggest, in certificate order.
fn certificate_domains(attempt: &HostAttempt) -> (Vec<String>, Vec<String>) {
    let mut domains = Vec::new();
    let mut exact = Vec::new();
    let names: Vec<String> = attempt
        .connection
        .as_ref()
        .and_then(|c| c.verification.as_ref())
        .and_then(|v| v.names.as_ref().map(|n| n.comparisons.iter().map(|c| c.cert_name.clone()).collect::<Vec<_>>())
            .or_else(|| v.legacy_names.as_ref().map(|n| n.check.comparisons.iter().map(|c| c.cert_name.clone()).collect())))
        .unwrap_or_default();
    for n in names {
        if let Some(rest) = n.strip_prefix("*.") {
            let d = format!(".{rest}");
            if rest.contains('.') && !domains.contains(&d) {
                domains.push(d);
            }
        } else if n.contains('.') && n.parse::<std::net::IpAddr>().is_err() && !exact.contains(&n) {
            exact.push(n.clone());
        }
    }
    // Only bare names that a wildcard also covers from above (e.g. messagingengine.com next to
    // *.messagingengine.com) are worth suggesting: they name the provider, not one host.
    exact.retain(|n| domains.contains(&format!(".{n}")));
    (domains, exact)
}

/// Rebuilds a policy value with `level` and a new `match` (other attributes kept).
fn rebuild_value(report_attempt: &HostAttempt, level: SecurityLevel, matches: Option<&str>) -> String {
    let mut parts = vec![level.name().to_string()];
    if let Some(m) = matches {
        parts.push(format!("match={m}"));
    }
    if let Some(entry) = &report_attempt.policy.entry {
        for a in &entry.attributes {
            let drop = a.name == AttributeName::Match
                || (a.name == AttributeName::Tafile && !level.must_pkix())
                || (a.name == AttributeName::Exclude && level == SecurityLevel::None);
            if !drop {
                parts.push(format!("{}={}", a.written_name, a.value));
            }
        }
    }
    parts.join(" ")
}

/// The lines of the policy entry a fix replaces (the entry and its continuation lines), or
/// `None` when the level did not come from an entry (the fix's line is added).
fn replaced_lines(scenario: &Scenario, attempt: &HostAttempt, table: Option<&PolicyTable>) -> Option<[usize; 2]> {
    let LevelSource::PolicyEntry { ref key, line: first } = attempt.policy.level_source else { return None };
    if first < 1 {
        return None;
    }
    let text = scenario.policy_table.as_str();
    // Where the entry's line starts. It starts where its key does (a line that starts with white
    // space continues the one before), so the explanation's parse of the table says; without a
    // table, the text is read up to that line (memchr: a 10,000-line table is skipped quickly).
    let from = table.and_then(|t| t.find(key)).map(|(_, row)| row).filter(|row| row.line == first).map(|row| row.key_span.start);
    let from = from.filter(|&at| at == 0 || text.as_bytes().get(at - 1) == Some(&b'\n'));
    let at = match from {
        Some(at) => at,
        None if first == 1 => 0,
        None => text.match_indices('\n').nth(first - 2)?.0 + 1,
    };
    // Split at '\n' rather than `lines()`: the same line numbers, and a trailing '\r' does not
    // change the continuation test.
    let mut lines = text.get(at..)?.split('\n');
    // The entry's own line (never empty: an empty piece is past the end of the text).
    lines.next().filter(|l| !l.is_empty())?;
    let continuation = lines.take_while(|l| l.starts_with([' ', '\t'])).count();
    Some([first, first + continuation])
}

/// One policy entry a re-run keeps: its first line in the original table and its text.
struct KeptEntry {
    line: usize,
    text: String,
}

/// Collects the entries whose keys were looked up.
struct KeepLookedUp<'k> {
    keys: &'k [String],
    kept: Vec<KeptEntry>,
    source: &'k str,
}

impl TableSink for KeepLookedUp<'_> {
    fn entry(&mut self, entry: &EntryView<'_>) {
        if self.keys.iter().any(|k| folded_eq(k, entry.key)) {
            let (start, end) = (entry.key_span().start, entry.value_span().end);
            let text = self.source.get(start..end).unwrap_or_default().to_string();
            self.kept.push(KeptEntry { line: entry.line, text });
        }
    }
    fn diagnostic(&mut self, _: Diagnostic) {}
}

/// The entries a re-run needs, or `None` when it needs the whole table.
///
/// A postmap-built table (hash, btree, lmdb, cdb…) answers a query from the rows with that
/// key alone, and a fix changes a policy value, not which keys smtp(8) queries: so a table of
/// just the looked-up keys' rows, in order, gives the re-run the same answers as the whole
/// table, and verifying six fixes against a 10,000-line table does not parse it seven times.
/// texthash (where a duplicate anywhere makes every lookup fail) and inline tables are kept
/// whole.
fn looked_up_entries(scenario: &Scenario, report: &Report, table: Option<&PolicyTable>) -> Option<Vec<KeptEntry>> {
    let maps = report.settings.iter().find(|s| s.name == "smtp_tls_policy_maps").map(|s| s.value.to_ascii_lowercase()).unwrap_or_default();
    let first_map = maps.split([',', ' ', '\t', '\n']).find(|m| !m.is_empty()).unwrap_or("");
    if first_map.starts_with("texthash:") || first_map.starts_with("inline:") {
        return None;
    }
    let delivery = report.delivery.as_ref()?;
    let mut keys: Vec<String> = delivery.lookups.iter().map(|l| l.key.clone()).collect();
    for host in delivery.destinations.iter().flat_map(|d| d.hosts.iter()) {
        keys.extend(host.policy.walk.probes.iter().map(|p| p.key.clone()));
    }
    keys.sort();
    keys.dedup();
    // The explanation's own parse of the table, when there is one (its spans point into the
    // table text: the bounded text is a prefix of it); else one streaming pass over the text.
    if let Some(table) = table {
        let kept = table
            .rows_with_keys(&keys)
            .into_iter()
            .map(|i| &table.rows[i])
            .map(|row| KeptEntry { line: row.line, text: scenario.policy_table.get(row.key_span.start..row.value_span.end).unwrap_or_default().to_string() })
            .collect();
        return Some(kept);
    }
    let mut sink = KeepLookedUp { keys: &keys, kept: Vec::new(), source: &scenario.policy_table };
    TableReader::new(scenario.policy_table.as_bytes(), crate::diag::Source::PolicyTable).scan(&mut sink);
    Some(sink.kept)
}

/// The re-run's policy table: the kept entries with the fix's edit made.
fn reduced_table(kept: &[KeptEntry], replaces: Option<[usize; 2]>, line: &str) -> String {
    let mut out = String::new();
    let mut placed = false;
    for entry in kept {
        if replaces.is_some_and(|[first, _]| first == entry.line) {
            out.push_str(line);
            placed = true;
        } else {
            out.push_str(&entry.text);
        }
        out.push('\n');
    }
    if !placed {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Suggests fixes for a failed delivery.
pub fn suggest(scenario: &Scenario, report: &Report) -> Vec<Fix> {
    suggest_with(scenario, report, true, None, &mut CertificateMemo::default())
}

/// [`suggest`] given the policy table the explanation parsed (the table text is not read
/// again), the re-runs reading certificates through `certs` (the explanation read them
/// already: none is parsed again).
pub(crate) fn suggest_reusing(scenario: &Scenario, report: &Report, table: Option<&PolicyTable>, certs: &mut CertificateMemo) -> Vec<Fix> {
    suggest_with(scenario, report, true, table, certs)
}

/// The connection a fix is for: the last destination tried and its last host that connected
/// (else its last host).
fn fixed_attempt(report: &Report) -> Option<(&DestinationRun, &HostAttempt)> {
    let run = report.delivery.as_ref()?.destinations.last()?;
    let attempt = run.hosts.iter().rev().find(|h| h.connection.is_some()).or(run.hosts.last())?;
    Some((run, attempt))
}

/// [`suggest`]; `reduce` lets re-runs use only the looked-up entries (see [`looked_up_entries`]),
/// found in `table` when given; re-runs read certificates through `certs`.
fn suggest_with(scenario: &Scenario, report: &Report, reduce: bool, table: Option<&PolicyTable>, certs: &mut CertificateMemo) -> Vec<Fix> {
    let Some((run, attempt)) = fixed_attempt(report) else { return Vec::new() };
    let key = run.key.clone();
    let mut candidates: Vec<(FixKind, String)> = Vec::new();
    let level = attempt.policy.level;
    let conn = attempt.connection.as_ref();
    let reported = conn.and_then(|c| c.verification.as_ref()).and_then(|v| v.reported.as_ref()).map(|e| e.error);
    let trusted = conn.is_some_and(|c| c.flags.trusted);
    let name_problem = matches!(reported, Some(X509Error::HostnameMismatch) | Some(X509Error::IpAddressMismatch)) || (trusted && reported.is_none());

    if level.must_pkix() && name_problem {
        let (domains, exact) = certificate_domains(attempt);
        for d in &domains {
            candidates.push((FixKind::MatchCertificateDomain, rebuild_value(attempt, level, Some(d))));
        }
        if let Some(d) = domains.first() {
            candidates.push((FixKind::KeepDefaultsAddDomain, rebuild_value(attempt, level, Some(&format!("nexthop:dot-nexthop:{d}")))));
        }
        for n in exact.iter().take(2) {
            candidates.push((FixKind::MatchExactName, rebuild_value(attempt, level, Some(n))));
        }
        candidates.push((FixKind::MatchHostname, rebuild_value(attempt, level, Some("hostname"))));
        if level == SecurityLevel::Secure {
            candidates.push((FixKind::LevelVerify, rebuild_value(attempt, SecurityLevel::Verify, None)));
        }
    }
    if level.must_match() && !name_problem {
        if let Some(leaf) = conn.and(report.certificates.iter().find(|c| c.index == 0)) {
            candidates.push((FixKind::PinPublicKey, rebuild_value(attempt, SecurityLevel::Fingerprint, Some(&leaf.pkey_fingerprints.sha256))));
        }
    }
    if level.requires_tls() && level.must_match() {
        candidates.push((FixKind::LevelEncrypt, rebuild_value(attempt, SecurityLevel::Encrypt, None)));
    }

    let kept = if candidates.is_empty() || !reduce { None } else { looked_up_entries(scenario, report, table) };
    let replaces = replaced_lines(scenario, attempt, table);
    // Each re-run gets its own table: copy the rest once, not the whole table per candidate.
    let without_table = Scenario { policy_table: String::new(), ..scenario.clone() };
    let mut fixes: Vec<Fix> = Vec::new();
    for (kind, value) in candidates {
        if fixes.len() >= 6 || fixes.iter().any(|f| f.line.ends_with(&value)) {
            continue;
        }
        let line = format!("{key} {value}");
        let mut changed = without_table.clone();
        changed.policy_table = match &kept {
            Some(kept) => reduced_table(kept, replaces, &line),
            None => apply(&scenario.policy_table, replaces, &line),
        };
        let main_cf_line = (kind == FixKind::PinPublicKey).then(|| "smtp_tls_fingerprint_digest = sha256".to_string());
        if let Some(l) = &main_cf_line {
            changed.main_cf.push_str(&format!("\n{l}\n"));
        }
        let rerun = crate::explain::explain_again(&changed, certs);
        if !rerun.verdict.delivered {
            continue;
        }
        let trust = rerun.delivery.as_ref().and_then(|d| d.destinations.iter().flat_map(|r| r.hosts.iter()).filter_map(|h| h.connection.as_ref()).next_back()).and_then(|c| c.trust).map(|t| t.as_str().to_string());
        fixes.push(Fix { kind, line, cost: kind.cost().to_string(), delivers: true, trust, replaces, main_cf_line });
    }
    fixes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::explain_without_fixes;

    fn example(name: &str) -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Re-running on the looked-up entries only must find exactly the fixes that re-running
    /// on the whole edited table finds, whatever else the table holds.
    #[test]
    fn reduced_re_runs_agree_with_whole_table_re_runs() {
        let noise = "other.example secure\n.fm encrypt\nFASTMAIL.FM.  verify\n# comment\n\n";
        let (mut checked, mut with_fixes, mut replaced_checked) = (0, 0, 0);
        for entry in std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if !name.ends_with(".json") {
                continue;
            }
            let base = example(&name);
            for table in [
                base.policy_table.clone(),
                format!("{noise}{}{noise}", base.policy_table),
                // Duplicates: postmap keeps the first, so the second must survive the cut too.
                format!("{}{}", base.policy_table, base.policy_table.replace("secure", "encrypt")),
                // A continuation line on every entry.
                base.policy_table.lines().map(|l| if l.starts_with('#') || l.is_empty() { format!("{l}\n") } else { format!("{l}\n  ciphers=medium\n") }).collect(),
            ] {
                let scenario = Scenario { policy_table: table, ..base.clone() };
                let report = explain_without_fixes(&scenario);
                if report.verdict.delivered {
                    continue;
                }
                let fresh = CertificateMemo::default;
                let reduced = suggest_with(&scenario, &report, true, None, &mut fresh());
                let parsed = crate::explain::prepare(&scenario).table;
                let from_table = suggest_with(&scenario, &report, true, parsed.as_deref(), &mut fresh());
                let whole = suggest_with(&scenario, &report, false, None, &mut fresh());
                if let Some((_, attempt)) = fixed_attempt(&report) {
                    let (found, read) = (replaced_lines(&scenario, attempt, parsed.as_deref()), replaced_lines(&scenario, attempt, None));
                    assert_eq!(found, read, "{name}: the replaced lines from the parsed table and from the text");
                    replaced_checked += usize::from(found.is_some());
                }
                assert_eq!(reduced, whole, "{name}\n{}", scenario.policy_table);
                assert_eq!(from_table, whole, "{name}, from the parsed table\n{}", scenario.policy_table);
                assert_eq!(crate::explain::explain(&scenario).fixes, whole, "{name}: explain() gives the same fixes");
                checked += 1;
                with_fixes += usize::from(!whole.is_empty());
            }
        }
        assert!(checked >= 8 && with_fixes >= 4, "only {checked} failing scenarios checked, {with_fixes} with fixes");
        assert!(replaced_checked >= 8, "only {replaced_checked} replaced entries compared");
    }

    #[test]
    fn apply_replaces_the_entry_with_its_continuation_lines_or_appends() {
        let table = "# c\nexample.com secure\n  match=nexthop\nother.com may\n";
        assert_eq!(apply(table, Some([2, 3]), "example.com verify"), "# c\nexample.com verify\nother.com may\n");
        assert_eq!(apply(table, None, "new.com encrypt"), format!("{table}new.com encrypt\n"));
        assert_eq!(apply(table, Some([9, 9]), "x y"), format!("{table}x y\n"));
        assert_eq!(apply("", None, "a b"), "a b\n");
    }
}

//! The policy-table lookup walk (`tls_policy_lookup()`, spec §1.2–1.3).
//!
//! The key is the verbatim next-hop. A key that is not a valid hostname (brackets, a port, a
//! trailing dot, an IP address) gets exactly one lookup. Otherwise the walk tries the name, then
//! each parent **with a leading dot** (`a.b.c` → `.b.c` → `.c`), and stops at the first entry
//! found, even an invalid one. The bare parent is never tried.

use crate::diag::Span;
use serde::{Deserialize, Serialize};
use crate::input::key_index::{folded_eq, KeyIndex};

/// How the table behaves, from the map type in `smtp_tls_policy_maps` (e.g. `hash:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapKind {
    /// `texthash:` — read at start-up; a duplicate key makes the whole table unusable.
    TextHash,
    /// `hash:`, `btree:`, `lmdb:`, `cdb:`, `dbm:` built by `postmap`: a duplicate key is a
    /// warning at build time and the first value is kept.
    Postmap,
    /// `inline:{ key=value, … }` in main.cf.
    Inline,
}

/// One table entry as the lookup sees it: key folded to lower case, value verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    /// The key as written.
    pub key: String,
    /// The value (continuation lines joined as Postfix joins them).
    pub value: String,
    /// 1-based line of the key in the table text.
    pub line: usize,
    /// Span of the key in the table text.
    pub key_span: Span,
    /// Span of the value in the table text.
    pub value_span: Span,
}

/// A table ready for lookups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyTable {
    /// What the map type does with duplicates.
    pub kind: MapKind,
    /// The `type:name` as written in main.cf, for Postfix-style messages.
    pub title: String,
    /// The file name Postfix would print in table warnings (`<policy_file>` in the oracle).
    pub file: String,
    /// The rows, in file order.
    pub rows: Vec<TableRow>,
    /// Set when the table cannot be opened (e.g. a texthash duplicate): every lookup errors.
    pub unusable: Option<TableError>,
    /// Warnings smtp(8) logs when it reads the table (texthash is read at start-up;
    /// postmap-built tables warned when they were built).
    pub load_warnings: Vec<String>,
    /// Folded key → first row with it, built by [`PolicyTable::new`] so that a lookup costs
    /// the same for 10 rows as for 100,000 (not serialised; [`PolicyTable::find`] scans the
    /// rows when it is empty).
    #[serde(skip)]
    index: KeyIndex,
    /// The rows whose key an earlier row already has, in file order (built with `index`).
    #[serde(skip)]
    repeats: Vec<usize>,
}

/// Why a table cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableError {
    /// Postfix's text, e.g. `FILE, line 2: duplicate entry: "example.com"`.
    pub text: String,
    /// The line it is about.
    pub line: usize,
}

impl PolicyTable {
    /// Builds the table, applying the map kind's duplicate-key rule.
    pub fn new(kind: MapKind, title: &str, file: &str, rows: Vec<TableRow>) -> Self {
        let mut index = KeyIndex::with_capacity(rows.len());
        let mut repeats = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if index.insert(&row.key, i, |r| rows[r].key.as_str()).is_some() {
                repeats.push(i);
            }
        }
        let duplicate = repeats.first().copied();
        // The key is compared folded but named as the duplicate line spells it (recorded from
        // Postfix 3.7.11: `example.com` then `Example.COM` logs `duplicate entry: "Example.COM"`).
        let unusable = duplicate.filter(|_| kind == MapKind::TextHash).and_then(|i| rows.get(i)).map(|row| TableError {
            text: format!("{}, line {}: duplicate entry: \"{}\"", file, row.line, row.key),
            line: row.line,
        });
        PolicyTable { kind, title: title.to_string(), file: file.to_string(), rows, unusable, load_warnings: Vec::new(), index, repeats }
    }

    /// Every row whose folded key equals one of `keys` folded, duplicates included, as row
    /// indices in file order. With the index this costs the same for 10 rows as for 100,000.
    pub fn rows_with_keys(&self, keys: &[String]) -> Vec<usize> {
        let wanted = |i: &usize| keys.iter().any(|k| folded_eq(k, &self.rows[*i].key));
        if self.index.is_empty() {
            return (0..self.rows.len()).filter(wanted).collect();
        }
        let mut found: Vec<usize> = keys.iter().filter_map(|k| self.index.get(k, |r| self.rows[r].key.as_str())).collect();
        found.extend(self.repeats.iter().copied().filter(wanted));
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The first row whose folded key equals `key` folded (fixed-key tables fold keys).
    pub fn find(&self, key: &str) -> Option<(usize, &TableRow)> {
        if self.index.is_empty() {
            return self.rows.iter().enumerate().find(|(_, r)| folded_eq(&r.key, key));
        }
        let i = self.index.get(key, |r| self.rows[r].key.as_str())?;
        self.rows.get(i).map(|r| (i, r))
    }
}

/// The outcome of one key tried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbeResult {
    /// No entry with this key.
    NotFound,
    /// Found: the row index and its value.
    Found {
        /// Index into the table's rows.
        row: usize,
        /// The value found.
        value: String,
    },
    /// The table could not be searched (Postfix logs "search aborted").
    Error,
}

/// One key tried, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probe {
    /// The key as queried (case as given; fixed tables fold it).
    pub key: String,
    /// What the table answered.
    pub result: ProbeResult,
}

/// Why the walk had the shape it had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WalkShape {
    /// The key is a valid hostname: name, then `.parent` keys.
    ParentWalk,
    /// The key is not a valid hostname (brackets, port, trailing dot, IP…): one lookup.
    SingleLookup,
    /// No policy table is configured.
    NoTable,
}

/// The whole walk for one next-hop destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupWalk {
    /// The next-hop string used as the key.
    pub destination: String,
    /// Single lookup or parent walk, and why.
    pub shape: WalkShape,
    /// Keys tried, in order.
    pub probes: Vec<Probe>,
}

impl LookupWalk {
    /// The probe that found an entry, if any.
    pub fn found(&self) -> Option<&Probe> {
        self.probes.iter().find(|p| matches!(p.result, ProbeResult::Found { .. }))
    }

    /// Whether the table failed to answer.
    pub fn errored(&self) -> bool {
        self.probes.iter().any(|p| p.result == ProbeResult::Error)
    }
}

/// The keys the walk would try for `dest`, in order.
pub fn walk_keys(dest: &str, smtputf8_enable: bool) -> (WalkShape, Vec<String>) {
    if !crate::names::hostname::valid_utf8_hostname(dest, smtputf8_enable) {
        return (WalkShape::SingleLookup, vec![dest.to_string()]);
    }
    let mut keys = vec![dest.to_string()];
    let mut rest = dest;
    // strchr(site_name + 1, '.'): each parent keeps its leading dot.
    while let Some(pos) = rest.get(1..).and_then(|r| r.find('.')) {
        rest = &rest[pos + 1..];
        keys.push(rest.to_string());
    }
    (WalkShape::ParentWalk, keys)
}

/// Runs the walk against `table` (or records that there is none).
pub fn lookup(dest: &str, table: Option<&PolicyTable>, smtputf8_enable: bool) -> LookupWalk {
    let Some(table) = table else {
        return LookupWalk { destination: dest.to_string(), shape: WalkShape::NoTable, probes: Vec::new() };
    };
    let (shape, keys) = walk_keys(dest, smtputf8_enable);
    let mut probes = Vec::new();
    for key in keys {
        if table.unusable.is_some() {
            probes.push(Probe { key, result: ProbeResult::Error });
            break;
        }
        match table.find(&key) {
            Some((row, r)) => {
                probes.push(Probe { key, result: ProbeResult::Found { row, value: r.value.clone() } });
                break;
            }
            None => probes.push(Probe { key, result: ProbeResult::NotFound }),
        }
    }
    LookupWalk { destination: dest.to_string(), shape, probes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, value: &str, line: usize) -> TableRow {
        TableRow { key: key.into(), value: value.into(), line, key_span: Span::default(), value_span: Span::default() }
    }

    #[test]
    fn parent_walk_keeps_leading_dots_and_never_tries_bare_parents() {
        let (shape, keys) = walk_keys("a.b.example.com", true);
        assert_eq!(shape, WalkShape::ParentWalk);
        assert_eq!(keys, ["a.b.example.com", ".b.example.com", ".example.com", ".com"]);
    }

    #[test]
    fn bracketed_ported_and_ip_keys_get_one_lookup() {
        for dest in ["[mx.example.com]", "mx.example.com:2525", "[127.0.0.2]", "example.com.", "192.0.2.1"] {
            assert_eq!(walk_keys(dest, true).0, WalkShape::SingleLookup, "{dest}");
        }
    }

    #[test]
    fn rows_with_keys_finds_every_row_of_each_key_in_file_order() {
        let keys = ["a.example", "B.example", "A.EXAMPLE", "c.example", "b.example", "Straße.example", "STRASSE.example", "a.example"];
        let rows: Vec<TableRow> = keys.iter().enumerate().map(|(i, k)| row(k, "secure", i + 1)).collect();
        let table = PolicyTable::new(MapKind::Postmap, "hash:/t", "/t", rows.clone());
        let scan = |wanted: &[String]| (0..rows.len()).filter(|&i| wanted.iter().any(|k| folded_eq(k, &rows[i].key))).collect::<Vec<_>>();
        for wanted in [vec![], vec!["a.example"], vec!["b.EXAMPLE", "nothing.example"], vec!["straße.example", "c.example", "A.example"], vec!["strasse.example"]] {
            let wanted: Vec<String> = wanted.into_iter().map(String::from).collect();
            assert_eq!(table.rows_with_keys(&wanted), scan(&wanted), "{wanted:?}");
        }
        assert_eq!(table.rows_with_keys(&["A.Example".into()]), vec![0, 2, 7], "duplicates included, in file order");
        // A table read back from JSON has no index: the same answer from a scan.
        let unindexed: PolicyTable = serde_json::from_str(&serde_json::to_string(&table).unwrap()).unwrap();
        assert_eq!(unindexed.rows_with_keys(&["a.example".into(), "b.example".into()]), vec![0, 1, 2, 4, 7]);
    }

    #[test]
    fn first_hit_wins_and_keys_fold_case() {
        let table = PolicyTable::new(
            MapKind::Postmap,
            "hash:/etc/postfix/tls_policy",
            "/etc/postfix/tls_policy",
            vec![row("Example.COM", "verify", 1), row(".example.com", "secure", 2)],
        );
        let walk = lookup("example.com", Some(&table), true);
        assert_eq!(walk.probes.len(), 1);
        let walk = lookup("a.example.com", Some(&table), true);
        assert_eq!(walk.probes.len(), 2);
        assert!(matches!(walk.found().map(|p| &p.result), Some(ProbeResult::Found { row: 1, .. })));
    }

    #[test]
    fn lookups_do_not_scan_large_tables() {
        let rows: Vec<TableRow> = (0..200_000).map(|i| row(&format!("Host{i}.example.com"), "secure", i + 1)).collect();
        let table = PolicyTable::new(MapKind::Postmap, "hash:F", "F", rows);
        let dest = format!("{}example.org", "a.".repeat(120));
        let start = std::time::Instant::now();
        for _ in 0..100 {
            assert!(lookup(&dest, Some(&table), true).found().is_none());
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
        let walk = lookup("HOST199999.example.com", Some(&table), true);
        assert!(matches!(walk.found().map(|p| &p.result), Some(ProbeResult::Found { row: 199_999, .. })));
        // A deserialised table has no index and still answers.
        let copy: PolicyTable = serde_json::from_str(&serde_json::to_string(&table).unwrap()).unwrap();
        assert!(copy.index.is_empty());
        assert_eq!(copy.find("host7.EXAMPLE.com").map(|(i, _)| i), Some(7));
    }

    #[test]
    fn texthash_duplicates_make_the_table_unusable() {
        let rows = vec![row("example.com", "verify", 1), row("example.com", "secure", 2)];
        let table = PolicyTable::new(MapKind::TextHash, "texthash:F", "F", rows.clone());
        assert_eq!(table.unusable.as_ref().map(|e| e.line), Some(2));
        let walk = lookup("example.com", Some(&table), true);
        assert!(walk.errored());
        let hashed = PolicyTable::new(MapKind::Postmap, "hash:F", "F", rows);
        assert!(matches!(lookup("example.com", Some(&hashed), true).found().map(|p| &p.result), Some(ProbeResult::Found { row: 0, .. })));
    }

    #[test]
    fn a_texthash_duplicate_is_named_as_its_line_spells_it() {
        let rows = vec![row("example.com", "verify", 1), row("other.example", "may", 2), row("EXAMPLE.Com", "secure", 3)];
        let table = PolicyTable::new(MapKind::TextHash, "texthash:F", "F", rows);
        assert_eq!(table.unusable.map(|e| e.text).as_deref(), Some("F, line 3: duplicate entry: \"EXAMPLE.Com\""));
    }
}

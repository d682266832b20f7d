//! `$name` expansion in main.cf values, as Postfix's `mac_expand()` does it when a program
//! reads a parameter, limited to the names this main.cf defines.
//!
//! Forms (`mac_parse.c`, `mac_expand.c`): `$$` is a literal `$`; `$name`, `${name}` and
//! `$(name)` are replaced by the value, itself expanded; `${name?text}` gives `text` when
//! `name` is non-empty and `${name:text}` when it is empty; `${name?{a}:{b}}` (3.8+) picks one
//! of two. A name with no definition here is left as written: it may have a built-in default
//! peername does not know (e.g. `$data_directory`). Expansion stops at depth 10, at
//! [`EXPAND_LIMIT`] bytes of output and after [`EXPAND_WORK_LIMIT`] units of work (the result
//! is then cut short), so self-referencing values cannot run away.

use super::maincf::{MainCf, ParamOrigin};
use std::cell::Cell;
use std::collections::HashMap;

/// Deepest nesting of expansions followed.
pub const EXPAND_DEPTH: usize = 10;
/// Output size after which the rest of the value is copied without expanding.
pub const EXPAND_LIMIT: usize = 64 << 10;
/// Bytes scanned plus references followed after which expansion stops: `a = $b$b…` with
/// `b = $c$c…` fans out exponentially even when every value is empty.
pub const EXPAND_WORK_LIMIT: usize = 256 << 10;

/// The names of one main.cf (and optionally one service's `-o` overrides), gathered once to
/// expand many values; see [`MainCf::expansion`].
pub struct Expansion<'a> {
    names: HashMap<&'a str, &'a str>,
}

impl Expansion<'_> {
    /// `value` expanded, within [`EXPAND_LIMIT`] and [`EXPAND_WORK_LIMIT`].
    pub fn expand(&self, value: &str) -> String {
        let mut budget = EXPAND_WORK_LIMIT;
        self.expand_within(value, &mut budget)
    }

    /// `value` expanded, spending at most `budget` (output bytes plus work, also capped per
    /// value as in [`Expansion::expand`]); what was spent is taken from `budget`. An exhausted
    /// budget leaves the value cut short.
    pub fn expand_within(&self, value: &str, budget: &mut usize) -> String {
        let work = (*budget).min(EXPAND_WORK_LIMIT);
        let expander = Expander { names: &self.names, limit: EXPAND_LIMIT.min(*budget), work: Cell::new(work) };
        let mut out = String::new();
        expander.expand(value, 0, &mut out);
        let spent = work - expander.work.get() + out.len();
        *budget = budget.saturating_sub(spent);
        out
    }
}

impl MainCf {
    /// `value` with `$name`, `${name}`, `$(name)`, `${name?text}`, `${name:text}` expanded
    /// from this main.cf's settings (master.cf overrides excluded); unknown names stay as
    /// written.
    pub fn expand(&self, value: &str) -> String {
        self.expand_with(value, None)
    }

    /// Like [`MainCf::expand`], for a process of master.cf service `service` (`name/type`):
    /// that service's `-o` overrides take precedence.
    pub fn expand_for_service(&self, service: &str, value: &str) -> String {
        self.expand_with(value, Some(service))
    }

    fn expand_with(&self, value: &str, service: Option<&str>) -> String {
        self.expansion(service).expand(value)
    }

    /// The names to expand values with: main.cf's settings, then `service`'s overrides.
    pub fn expansion(&self, service: Option<&str>) -> Expansion<'_> {
        let mut names: HashMap<&str, &str> = HashMap::new();
        for p in self.params.iter().filter(|p| p.origin == ParamOrigin::MainCf) {
            names.insert(p.name.as_str(), p.value.as_str());
        }
        if let Some(service) = service {
            let overrides = self
                .params
                .iter()
                .filter(|p| p.origin == ParamOrigin::MasterCfOverride && p.service.as_deref() == Some(service));
            for p in overrides {
                names.insert(p.name.as_str(), p.value.as_str());
            }
        }
        Expansion { names }
    }
}

struct Expander<'a> {
    names: &'a HashMap<&'a str, &'a str>,
    /// Output size after which expansion stops.
    limit: usize,
    /// Work left: bytes scanned and references followed.
    work: Cell<usize>,
}

impl Expander<'_> {
    /// Takes `units` of work; false when none was left.
    fn spend(&self, units: usize) -> bool {
        let left = self.work.get();
        self.work.set(left.saturating_sub(units));
        left > 0
    }

    fn expand(&self, value: &str, depth: usize, out: &mut String) {
        let mut rest = value;
        loop {
            // Checked before scanning: once spent, every further reference returns at once.
            if out.len() > self.limit || self.work.get() == 0 {
                return;
            }
            let Some(at) = rest.find('$') else { break };
            if !self.spend(at + 1) {
                return;
            }
            out.push_str(rest.get(..at).unwrap_or(""));
            let after = rest.get(at + 1..).unwrap_or("");
            rest = match after.chars().next() {
                Some('$') => {
                    out.push('$');
                    after.get(1..).unwrap_or("")
                }
                Some(open @ ('{' | '(')) => {
                    let close = if open == '{' { '}' } else { ')' };
                    let end = matching(after, open, close);
                    // Unterminated `${${${…` would rescan the rest once per `$`.
                    self.spend(end.unwrap_or(after.len()));
                    match end {
                        Some(end) => {
                            let whole = rest.get(at..at + 1 + end + 1).unwrap_or("");
                            let inner = after.get(1..end).unwrap_or("");
                            self.expression(inner, whole, depth, out);
                            after.get(end + 1..).unwrap_or("")
                        }
                        None => {
                            // Truncated macro reference: Postfix stops parsing; keep the text.
                            out.push('$');
                            after
                        }
                    }
                }
                _ => {
                    let len = name_len(after);
                    let name = after.get(..len).unwrap_or("");
                    match self.names.get(name) {
                        Some(v) if len > 0 && depth < EXPAND_DEPTH => self.expand(v, depth + 1, out),
                        _ => {
                            out.push('$');
                            out.push_str(name);
                        }
                    }
                    after.get(len..).unwrap_or("")
                }
            };
        }
        self.spend(rest.len());
        out.push_str(rest);
    }

    /// The inside of `${…}`: a name, optionally followed by `?text`, `:text` or
    /// `?{a}:{b}`. Anything else (functions, relational tests) stays as written.
    fn expression(&self, inner: &str, whole: &str, depth: usize, out: &mut String) {
        let trimmed = inner.trim_start_matches([' ', '\t', '\r', '\n']);
        let len = name_len(trimmed);
        let name = trimmed.get(..len).unwrap_or("");
        let rest = trimmed.get(len..).unwrap_or("").trim_start_matches([' ', '\t', '\r', '\n']);
        let known = self.names.get(name).copied().filter(|_| len > 0 && depth < EXPAND_DEPTH);
        let Some(found) = known else {
            out.push_str(whole);
            return;
        };
        let (if_true, if_false) = match rest.chars().next() {
            None => {
                self.expand(found, depth + 1, out);
                return;
            }
            Some('?') => split_alternatives(rest.get(1..).unwrap_or("")),
            Some(':') => (None, Some(curly_or_plain(rest.get(1..).unwrap_or("")))),
            Some(_) => (None, None),
        };
        if if_true.is_none() && if_false.is_none() {
            out.push_str(whole);
        } else if !found.is_empty() {
            self.expand(if_true.unwrap_or(""), depth + 1, out);
        } else {
            self.expand(if_false.unwrap_or(""), depth + 1, out);
        }
    }
}

/// `?text`, `?{a}` or `?{a}:{b}` after the `?`.
fn split_alternatives(text: &str) -> (Option<&str>, Option<&str>) {
    let t = text.trim_start_matches([' ', '\t', '\r', '\n']);
    if !t.starts_with('{') {
        return (Some(text), None);
    }
    let Some(end) = matching(t, '{', '}') else {
        return (Some(text), None);
    };
    let first = t.get(1..end);
    let after = t.get(end + 1..).unwrap_or("").trim_start_matches([' ', '\t', '\r', '\n']);
    let second = after.strip_prefix(':').map(curly_or_plain);
    (first, second)
}

/// `{a}` unwrapped, or the text as is.
fn curly_or_plain(text: &str) -> &str {
    let t = text.trim_start_matches([' ', '\t', '\r', '\n']);
    match (t.starts_with('{'), matching(t, '{', '}')) {
        (true, Some(end)) => t.get(1..end).unwrap_or(""),
        _ => text,
    }
}

/// Byte offset of the bracket closing the one at the start of `text` (nesting counted for
/// the same bracket type only, as `mac_parse()` does).
fn matching(text: &str, open: char, close: char) -> Option<usize> {
    let mut level = 0usize;
    for (i, c) in text.char_indices() {
        if c == open {
            level += 1;
        } else if c == close {
            level = level.saturating_sub(1);
            if level == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Length of the leading `[A-Za-z0-9_]` run.
fn name_len(text: &str) -> usize {
    text.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count()
}

#[cfg(test)]
mod tests {
    use crate::input::maincf::parse_main_cf;
    use proptest::prelude::*;

    #[test]
    fn simple_and_recursive() {
        let m = parse_main_cf("a = x\nb = $a-${a}-$(a)\nc = [$b]\n");
        assert_eq!(m.expand("$c"), "[x-x-x]");
        assert_eq!(m.expand("$$a $unknown ${unknown} $"), "$a $unknown ${unknown} $");
    }

    #[test]
    fn conditionals() {
        let m = parse_main_cf("full = yes\nempty =\n");
        assert_eq!(m.expand("${full?on}"), "on");
        assert_eq!(m.expand("${full:off}"), "");
        assert_eq!(m.expand("${empty?on}"), "");
        assert_eq!(m.expand("${empty:off}"), "off");
        assert_eq!(m.expand("${full?{t}:{f}}"), "t");
        assert_eq!(m.expand("${empty?{t}:{f}}"), "f");
        assert_eq!(m.expand("${full?$full and ${empty:x}}"), "yes and x");
        assert_eq!(m.expand("${nope?x}"), "${nope?x}");
    }

    #[test]
    fn loops_stop() {
        let m = parse_main_cf("a = $b\nb = $a\nc = $c$c$c$c$c$c$c$c$c$c\n");
        let out = m.expand("$a");
        assert!(out.starts_with('$'), "{out}");
        let big = m.expand("$c");
        assert!(big.len() <= super::EXPAND_LIMIT * 2);
    }

    #[test]
    fn fan_out_without_output_stops() {
        // 10 levels of 1,000 references to an empty value would take 10^30 steps.
        let defs: String = (0..10).map(|i| format!("v{i} = {}\n", format!("$v{} ", i + 1).repeat(1000))).collect();
        let m = parse_main_cf(&(defs + "v10 =\n"));
        let start = std::time::Instant::now();
        let out = m.expand("$v0");
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
        assert!(out.len() <= super::EXPAND_WORK_LIMIT);
    }

    #[test]
    fn unterminated_references_are_not_rescanned() {
        let m = parse_main_cf("a = 1\n");
        let value = "${".repeat(200_000);
        let start = std::time::Instant::now();
        let out = m.expand(&value);
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
        assert!(value.starts_with(&out));
    }

    #[test]
    fn a_shared_budget_is_spent_and_then_cuts_values_short() {
        let m = parse_main_cf("a = xyz\nb = $a$a\n");
        let names = m.expansion(None);
        let mut budget = 1000;
        assert_eq!(names.expand_within("$b", &mut budget), "xyzxyz");
        assert!(budget < 1000 && budget > 900, "{budget}");
        let mut budget = 0;
        assert_eq!(names.expand_within("$b", &mut budget), "");
        assert_eq!(names.expand("[$b]"), "[xyzxyz]");
    }

    #[test]
    fn service_overrides_apply() {
        let m = parse_main_cf("x = main\nrelay unix - - - - - smtp\n  -o x=relay\n");
        assert_eq!(m.expand("$x"), "main");
        assert_eq!(m.expand_for_service("relay/unix", "$x"), "relay");
    }

    #[test]
    fn unterminated() {
        let m = parse_main_cf("a = 1\n");
        assert_eq!(m.expand("${a"), "${a");
        assert_eq!(m.expand("$(a}"), "$(a}");
        assert_eq!(m.expand("${a?{x}"), "${a?{x}");
    }

    proptest! {
        #[test]
        fn never_panics(defs in proptest::collection::vec("[a-c] = [a-c$(){}?: ]{0,12}", 0..5), v in "[a-c$(){}?:é ]{0,30}") {
            let m = parse_main_cf(&defs.join("\n"));
            let _ = m.expand(&v);
        }
    }
}

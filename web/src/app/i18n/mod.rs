//! The catalogue: every word the page shows, by stable key, per language.
//!
//! Each language is one text file (`en.txt`, `ja.txt`, `zh.txt`) of `key = text` lines sorted by
//! key (`#` starts a comment line); translators edit only these files. Texts may hold `{name}`
//! placeholders, filled by [`tf`]. A key missing in a language falls back to English, and a key
//! missing in English shows the key itself (tests keep that from happening). The files are
//! compiled in and split into lines once, on first use (a table of string pointers would cost
//! the page more bytes than the text itself).
//!
//! What is never in the catalogue: literal Postfix text (parameter names, log lines, policy
//! syntax, DSN texts, OpenSSL error strings). Users search for those, so they are shown verbatim.
//!
//! Engine data with codes (step kinds, name-matching rules, diagnostics, fix kinds) is turned into
//! words by `app::text` with keys built from the code; where the catalogue has no entry for a code
//! (or the entry's placeholders cannot be filled from the data), the engine's English text is
//! shown instead.

use std::sync::OnceLock;

const EN: &str = include_str!("en.txt");
const JA: &str = include_str!("ja.txt");
const ZH: &str = include_str!("zh.txt");

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (complete: the fallback of every other language).
    En,
    /// Japanese.
    Ja,
    /// Simplified Chinese.
    Zh,
}

/// Languages whose catalogue must be complete (the tests fail on a missing key). Japanese and
/// Chinese join this list when their texts are written (issue 9).
pub const COMPLETE: &[Lang] = &[Lang::En];

impl Lang {
    /// Every language, in the order the language menu lists them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ja, Lang::Zh];

    /// BCP 47 tag, for `<html lang>` and the permalink.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The language's own name (shown in that language whatever the page's language is).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
            Lang::Zh => "简体中文",
        }
    }

    /// The language for a BCP 47 tag (`ja-JP` → Japanese, `zh-CN` → Chinese, …).
    pub fn from_code(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages the page offers, else English.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::from_code).unwrap_or(Lang::En)
    }

    fn catalogue(self) -> &'static [(&'static str, &'static str)] {
        static TABLES: [OnceLock<Vec<(&str, &str)>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let (i, text) = match self {
            Lang::En => (0, EN),
            Lang::Ja => (1, JA),
            Lang::Zh => (2, ZH),
        };
        TABLES[i].get_or_init(|| parse(text))
    }
}

/// `key = text` lines (comments and blank lines skipped), in file order.
fn parse(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).collect()
}

/// The text of `key` in `lang` only (no fallback).
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let table = lang.catalogue();
    table.binary_search_by(|(k, _)| (*k).cmp(key)).ok().map(|i| table[i].1)
}

/// The text of `key`: in `lang`, else in English, else the key itself (a bug the tests catch).
/// Keys built at run time go through [`tf_opt`], which lets the caller fall back.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key).or_else(|| lookup(Lang::En, key)).unwrap_or(key)
}

/// The text of `key` with its `{name}` placeholders filled from `args`.
pub fn tf(lang: Lang, key: &'static str, args: &[(&str, &str)]) -> String {
    fill(t(lang, key), args).unwrap_or_else(|| t(lang, key).to_string())
}

/// The text of `key` with every placeholder filled, or `None` when the catalogue has no such key
/// or a placeholder has no value (the caller then shows the engine's English text).
pub fn tf_opt(lang: Lang, key: &str, args: &[(&str, &str)]) -> Option<String> {
    let text = lookup(lang, key).or_else(|| lookup(Lang::En, key))?;
    fill(text, args)
}

/// Fills `{name}` placeholders; `None` if one has no value.
fn fill(text: &str, args: &[(&str, &str)]) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return Some(out);
        };
        let name = &after[..close];
        let value = args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The placeholder names of a text, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// Keys English has and `lang` lacks.
pub fn missing_keys(lang: Lang) -> Vec<&'static str> {
    Lang::En.catalogue().iter().filter(|(k, _)| lookup(lang, k).is_none()).map(|(k, _)| *k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_and_unique(lang: Lang) {
        let table = lang.catalogue();
        for pair in table.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{}: {:?} must come before {:?} (sorted, unique)", lang.code(), pair[1].0, pair[0].0);
        }
    }

    #[test]
    fn every_line_is_a_comment_or_an_entry() {
        for (lang, text) in [(Lang::En, EN), (Lang::Ja, JA), (Lang::Zh, ZH)] {
            for (n, line) in text.lines().enumerate() {
                assert!(line.is_empty() || line.starts_with('#') || line.contains(" = "), "{}.txt line {}: {line:?} is not `key = text`", lang.code(), n + 1);
            }
        }
    }

    #[test]
    fn catalogues_are_sorted_so_lookups_can_bisect() {
        for lang in Lang::ALL {
            sorted_and_unique(lang);
        }
    }

    #[test]
    fn languages_only_translate_english_keys() {
        for lang in Lang::ALL {
            for (key, _) in lang.catalogue() {
                assert!(lookup(Lang::En, key).is_some(), "{}: {key} is not an English key", lang.code());
            }
        }
    }

    #[test]
    fn placeholders_match_english_in_every_language() {
        for lang in Lang::ALL {
            for (key, text) in lang.catalogue() {
                let english = lookup(Lang::En, key).unwrap_or_default();
                assert_eq!(placeholders(text), placeholders(english), "{}: {key}", lang.code());
            }
        }
    }

    /// Reports (and, for languages in [`COMPLETE`], fails on) keys a language lacks.
    #[test]
    fn missing_keys_per_language() {
        for lang in Lang::ALL {
            let missing = missing_keys(lang);
            if !missing.is_empty() {
                eprintln!("i18n: {} lacks {} of {} keys (English is shown instead), e.g. {:?}", lang.code(), missing.len(), Lang::En.catalogue().len(), &missing[..missing.len().min(5)]);
            }
            if COMPLETE.contains(&lang) {
                assert!(missing.is_empty(), "{} must be complete: {missing:?}", lang.code());
            }
        }
    }

    #[test]
    fn every_key_the_source_names_exists_in_english() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
        let mut files = vec![root.clone()];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.parent().is_some_and(|p| p.ends_with("i18n")) {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for call in ["t(lang, \"", "tf(lang, \"", "tf_opt(lang, \""] {
                for (at, _) in src.match_indices(call) {
                    let rest = &src[at + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    assert!(lookup(Lang::En, key).is_some(), "{}: key {key:?} is not in en.txt", path.display());
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "the scan found only {checked} keys: did the call style change?");
    }

    /// Keys passed around as `&'static str` (pane labels, hints) are string literals that look
    /// like keys of a catalogue namespace; each must exist.
    #[test]
    fn every_key_like_literal_in_the_components_exists_in_english() {
        let namespaces: Vec<&str> = Lang::En.catalogue().iter().map(|(k, _)| k.split('.').next().unwrap_or("")).filter(|n| *n != "example").collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/components");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let src = std::fs::read_to_string(&path).unwrap();
            for literal in src.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.contains('.')
                    && literal.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                if looks_like_key && namespaces.contains(&literal.split('.').next().unwrap_or("")) {
                    assert!(lookup(Lang::En, literal).is_some(), "{}: {literal:?} is not in en.txt", path.display());
                }
            }
        }
    }

    #[test]
    fn every_example_has_a_title_and_a_description() {
        for id in crate::examples::IDS {
            for part in ["title", "description"] {
                assert!(lookup(Lang::En, &format!("example.{id}.{part}")).is_some(), "example.{id}.{part}");
            }
        }
    }

    #[test]
    fn fill_and_fallbacks() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1"), ("y", "2")]).as_deref(), Some("a 1 b 2"));
        assert_eq!(fill("a {x}", &[]), None);
        assert_eq!(fill("no braces", &[]).as_deref(), Some("no braces"));
        assert_eq!(placeholders("{b} {a} {b}"), ["a", "b"]);
        assert_eq!(t(Lang::Ja, "app.title"), t(Lang::En, "app.title"));
        assert_eq!(tf_opt(Lang::En, "no.such.key", &[]), None);
        assert_eq!(Lang::from_preferences(["de-DE", "ja-JP", "en"]), Lang::Ja);
        assert_eq!(Lang::from_preferences(["zh-CN"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["fr"]), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}

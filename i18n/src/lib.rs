//! peername's words: every text the page and the CLI show, by stable key, per language.
//!
//! Each language is one text file in `catalogue/` (`en.txt`, `ja.txt`, `zh.txt`) of
//! `key = text` lines sorted by key (`#` starts a comment line); translators edit only these
//! files. Texts may hold `{name}` placeholders, filled by [`tf`]. A key missing in a language
//! falls back to English, and a key missing in English shows the key itself (tests keep that
//! from happening).
//!
//! English is always compiled in. Japanese and Chinese are compiled in with the `bundled`
//! feature (the CLI); without it (the page, whose download size counts) a caller fetches the
//! file and hands it to [`install`], and until then the language shows English.
//!
//! With the `engine` feature, `words` turns the engine's codes (marks, rules, OpenSSL errors,
//! fixes, diagnostics) into words; the page and the CLI share it.
//!
//! What is never in the catalogue: literal Postfix text (parameter names, log lines, policy
//! syntax, DSN texts, OpenSSL error strings). Users search for those, so they are shown verbatim.

use std::sync::OnceLock;

#[cfg(feature = "engine")]
pub mod words;

/// The English catalogue's text.
pub const EN: &str = include_str!("../catalogue/en.txt");
/// The English the page compiles in (`build.rs`): [`EN`] without `cli.*` and without the
/// English of engine diagnostics, which then come from the engine's own English text.
pub const PAGE_EN: &str = include_str!(concat!(env!("OUT_DIR"), "/page-en.txt"));
/// The Japanese catalogue's text (built in with `bundled`).
#[cfg(any(test, feature = "bundled"))]
pub const JA: &str = include_str!("../catalogue/ja.txt");
/// The Chinese catalogue's text (built in with `bundled`).
#[cfg(any(test, feature = "bundled"))]
pub const ZH: &str = include_str!("../catalogue/zh.txt");

/// A language of the page and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (complete: the fallback of every other language).
    En,
    /// Japanese.
    Ja,
    /// Simplified Chinese.
    Zh,
}

/// Languages whose catalogue must be complete (the tests fail on a missing key).
pub const COMPLETE: &[Lang] = &[Lang::En, Lang::Ja, Lang::Zh];

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

    /// The catalogue's file name (`ja.txt`): the page fetches it from beside itself.
    pub fn file_name(self) -> &'static str {
        match self {
            Lang::En => "en.txt",
            Lang::Ja => "ja.txt",
            Lang::Zh => "zh.txt",
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

    /// The first of the preferred languages (browser or `LANG`) peername offers, else English.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::from_code).unwrap_or(Lang::En)
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Ja => 1,
            Lang::Zh => 2,
        }
    }

    /// The built-in text of this language's catalogue, if it is compiled in.
    pub fn built_in(self) -> Option<&'static str> {
        match self {
            // Unit tests check the catalogue files, so they always see the full English.
            #[cfg(any(test, not(feature = "compact-english")))]
            Lang::En => Some(EN),
            #[cfg(all(not(test), feature = "compact-english"))]
            Lang::En => Some(PAGE_EN),
            #[cfg(any(test, feature = "bundled"))]
            Lang::Ja => Some(JA),
            #[cfg(any(test, feature = "bundled"))]
            Lang::Zh => Some(ZH),
            #[cfg(not(any(test, feature = "bundled")))]
            _ => None,
        }
    }

    fn table(self) -> &'static OnceLock<Vec<(&'static str, &'static str)>> {
        static TABLES: [OnceLock<Vec<(&str, &str)>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        &TABLES[self.index()]
    }

    /// The parsed catalogue (empty while a fetched language is not installed).
    fn catalogue(self) -> &'static [(&'static str, &'static str)] {
        let table = self.table();
        if let Some(entries) = table.get() {
            return entries;
        }
        match self.built_in() {
            Some(text) => table.get_or_init(|| parse(text)),
            None => &[],
        }
    }

    /// Whether this language's texts are available (built in, or installed).
    pub fn is_ready(self) -> bool {
        self.built_in().is_some() || self.table().get().is_some()
    }
}

/// Why a fetched catalogue was not installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstallError {
    /// A line is neither a comment nor `key = text` (1-based line number).
    NotAnEntry(usize),
    /// Keys are out of order or repeated at this line (lookups bisect).
    NotSorted(usize),
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstallError::NotAnEntry(n) => write!(f, "line {n} is not `key = text`"),
            InstallError::NotSorted(n) => write!(f, "line {n} is out of order or repeats a key"),
        }
    }
}

/// Installs a fetched catalogue for `lang` (the text is kept for the program's life). Checks
/// the file's shape first; a language already available keeps what it has.
pub fn install(lang: Lang, text: String) -> Result<(), InstallError> {
    check(&text)?;
    if !lang.is_ready() {
        let text: &'static str = Box::leak(text.into_boxed_str());
        let _ = lang.table().set(parse(text));
    }
    Ok(())
}

/// Checks a catalogue's shape: every line a comment, blank or `key = text`, keys sorted.
pub fn check(text: &str) -> Result<(), InstallError> {
    let mut previous: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, _)) = line.split_once(" = ") else { return Err(InstallError::NotAnEntry(n + 1)) };
        if previous.is_some_and(|p| p >= key) {
            return Err(InstallError::NotSorted(n + 1));
        }
        previous = Some(key);
    }
    Ok(())
}

/// `key = text` lines (comments and blank lines skipped), in file order.
fn parse(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).collect()
}

/// Every `(key, text)` of `lang`'s catalogue, sorted by key (empty while not available).
pub fn entries(lang: Lang) -> &'static [(&'static str, &'static str)] {
    lang.catalogue()
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
pub fn fill(text: &str, args: &[(&str, &str)]) -> Option<String> {
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

    #[test]
    fn every_line_is_a_comment_or_an_entry_and_keys_are_sorted() {
        for (lang, text) in [(Lang::En, EN), (Lang::Ja, JA), (Lang::Zh, ZH)] {
            assert_eq!(check(text), Ok(()), "{}", lang.file_name());
        }
    }

    #[test]
    fn languages_only_translate_english_keys() {
        for lang in Lang::ALL {
            for (key, _) in lang.catalogue() {
                assert!(lookup(Lang::En, key).is_some(), "{}: {key} is not an English key", lang.file_name());
            }
        }
    }

    #[test]
    fn placeholders_match_english_in_every_language() {
        for lang in Lang::ALL {
            for (key, text) in lang.catalogue() {
                let english = lookup(Lang::En, key).unwrap_or_default();
                assert_eq!(placeholders(text), placeholders(english), "{}: {key}", lang.file_name());
            }
        }
    }

    #[test]
    fn no_text_is_empty_or_untranslated_markup() {
        for lang in Lang::ALL {
            for (key, text) in lang.catalogue() {
                assert!(!text.trim().is_empty(), "{}: {key} is empty", lang.file_name());
                assert_eq!(text.matches('{').count(), text.matches('}').count(), "{}: {key} has unbalanced braces", lang.file_name());
            }
        }
    }

    /// Fails on keys a language in [`COMPLETE`] lacks, listing them.
    #[test]
    fn every_complete_language_has_every_key() {
        for lang in Lang::ALL {
            let missing = missing_keys(lang);
            if COMPLETE.contains(&lang) {
                assert!(missing.is_empty(), "{} lacks {} of {} keys: {missing:?}", lang.file_name(), missing.len(), Lang::En.catalogue().len());
            }
        }
    }

    #[test]
    fn install_checks_the_shape_and_keeps_the_first_text() {
        assert_eq!(check("b = 1\na = 2\n"), Err(InstallError::NotSorted(2)));
        assert_eq!(check("# c\n\na = 1\nnot an entry\n"), Err(InstallError::NotAnEntry(4)));
        assert_eq!(check("a = 1\na = 2\n"), Err(InstallError::NotSorted(2)));
        // Built in under test: installing keeps the built-in text.
        assert!(Lang::Ja.is_ready());
        assert_eq!(install(Lang::Ja, "app.title = x\n".into()), Ok(()));
        assert_eq!(lookup(Lang::Ja, "app.title"), JA.lines().find_map(|l| l.strip_prefix("app.title = ")));
    }

    #[test]
    fn the_page_english_keeps_every_key_but_the_cli_and_engine_diagnostics() {
        assert_eq!(check(PAGE_EN), Ok(()));
        let page: Vec<&str> = PAGE_EN.lines().filter_map(|l| l.split_once(" = ")).map(|(k, _)| k).collect();
        let full: Vec<&str> = EN.lines().filter_map(|l| l.split_once(" = ")).map(|(k, _)| k).collect();
        assert!(page.len() < full.len() && page.iter().all(|k| full.contains(k)));
        for key in full.iter().filter(|k| !page.contains(k)) {
            assert!(key.starts_with("cli.") || key.starts_with("diag."), "{key} must stay in the page");
        }
        assert!(page.contains(&"step.policy-lookup") && page.contains(&"diag.position") && !page.contains(&"diag.table.colon-key"));
    }

    #[test]
    fn fill_and_fallbacks() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1"), ("y", "2")]).as_deref(), Some("a 1 b 2"));
        assert_eq!(fill("a {x}", &[]), None);
        assert_eq!(fill("no braces", &[]).as_deref(), Some("no braces"));
        assert_eq!(placeholders("{b} {a} {b}"), ["a", "b"]);
        assert_eq!(tf_opt(Lang::En, "no.such.key", &[]), None);
        assert_eq!(Lang::from_preferences(["de-DE", "ja-JP", "en"]), Lang::Ja);
        assert_eq!(Lang::from_preferences(["zh-CN"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["fr"]), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}

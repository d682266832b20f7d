//! The page's words: the shared catalogue crate (`peername-i18n`, files in `i18n/catalogue/`).
//!
//! Engine data with codes (step kinds, name-matching rules, diagnostics, fix kinds) is turned into
//! words by `app::text` with keys built from the code; where the catalogue has no entry for a code
//! (or the entry's placeholders cannot be filled from the data), the engine's English text is
//! shown instead. Only English is compiled into the page; Japanese and Chinese are fetched
//! (`<lang>.txt` beside the page) when a reader's preference or choice asks for them.

pub use peername_i18n::{install, lookup, t, tf, tf_opt, Lang};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_source_names_exists_in_english() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
        let mut files = vec![root.clone()];
        let mut checked = 0;
        let page_english: Vec<&str> = peername_i18n::PAGE_EN.lines().filter_map(|l| l.split_once(" = ")).map(|(k, _)| k).collect();
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
                    // The page compiles in the compact English (i18n/build.rs): it must keep the key.
                    assert!(page_english.contains(&key), "{}: key {key:?} is left out of the page's English (PAGE_DIAG_KEYS in i18n/build.rs)", path.display());
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
        let namespaces: Vec<&str> = peername_i18n::entries(Lang::En).iter().map(|(k, _)| k.split('.').next().unwrap_or("")).filter(|n| *n != "example").collect();
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
}

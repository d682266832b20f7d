//! The language of the CLI's words: `--lang en|ja|zh`, else the locale environment variables
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`, as POSIX orders them), else English. Chosen once in `main`
//! and read wherever words are printed.

use peername_i18n::Lang;
use std::sync::OnceLock;

/// The values `--lang` accepts (clap lists them in the usage error for any other value).
pub const ACCEPTED: [&str; 3] = ["en", "ja", "zh"];

static CURRENT: OnceLock<Lang> = OnceLock::new();

/// The language for a `--lang` value (one of [`ACCEPTED`], any case).
pub fn from_option(value: &str) -> Option<Lang> {
    ACCEPTED.iter().any(|a| a.eq_ignore_ascii_case(value)).then(|| Lang::from_code(value)).flatten()
}

/// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set
/// and not empty decides (so `LC_ALL=C` means English even when `LANG` is Japanese). Its
/// language part is read (`ja_JP.UTF-8` → Japanese, `zh_CN` → Chinese); `C`, `POSIX` and
/// languages peername has no words for mean English.
pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().filter_map(&var).find(|v| !v.trim().is_empty()).unwrap_or_default();
    // `language[_territory][.codeset][@modifier]`
    let language = locale.split(['.', '@']).next().unwrap_or("");
    Lang::from_preferences([language])
}

/// Chooses the language from `--lang` (already checked by clap) or the environment.
pub fn choose(option: Option<&str>) -> Lang {
    option.and_then(from_option).unwrap_or_else(|| from_locale(|name| std::env::var(name).ok()))
}

/// Sets the language for the rest of the run (the first call wins).
pub fn set(lang: Lang) {
    let _ = CURRENT.set(lang);
}

/// The language chosen for this run (English before [`set`]).
pub fn current() -> Lang {
    CURRENT.get().copied().unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_option_accepts_the_three_languages_only() {
        assert_eq!(from_option("en"), Some(Lang::En));
        assert_eq!(from_option("JA"), Some(Lang::Ja));
        assert_eq!(from_option("zh"), Some(Lang::Zh));
        assert_eq!(from_option("xx"), None);
        assert_eq!(from_option("ja-JP"), None);
    }

    #[test]
    fn the_locale_follows_posix_precedence() {
        assert_eq!(from_locale(env(&[("LANG", "ja_JP.UTF-8")])), Lang::Ja);
        assert_eq!(from_locale(env(&[("LANG", "zh_CN.GB18030")])), Lang::Zh);
        assert_eq!(from_locale(env(&[("LANG", "ja.UTF-8")])), Lang::Ja);
        assert_eq!(from_locale(env(&[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C")])), Lang::En);
        assert_eq!(from_locale(env(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "zh_TW.UTF-8")])), Lang::Zh);
        assert_eq!(from_locale(env(&[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "")])), Lang::Ja);
        assert_eq!(from_locale(env(&[("LANG", "de_DE@euro")])), Lang::En);
        assert_eq!(from_locale(env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(from_locale(env(&[])), Lang::En);
    }
}

//! Predicted log lines: what Postfix writes for the scenario, in order, with the logging
//! setting each line needs.

use serde::{Deserialize, Serialize};

/// How much logging a line needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verbosity {
    /// Always logged (delivery status, warnings, verification failures at must-match levels).
    Always,
    /// `smtp_tls_loglevel ≥ 1`: the "… TLS connection established …" summary.
    Summary,
    /// `smtp_tls_loglevel ≥ 2` or the `certmatch` keyword: peer names and fingerprints.
    Certmatch,
    /// `smtp -v` (verbose): policy lookups and TLS levels.
    Verbose,
}

/// Severity prefix Postfix adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    /// Plain informational line.
    Info,
    /// `warning: `
    Warning,
    /// `error: `
    Error,
    /// `fatal: `
    Fatal,
}

impl LogLevel {
    /// The word Postfix puts before the text (`warning`, …); empty for plain lines.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Info => "",
            LogLevel::Warning => "warning",
            LogLevel::Error => "error",
            LogLevel::Fatal => "fatal",
        }
    }
}

/// One predicted line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// The program that logs it (`smtp`, `posttls-finger`, `master`).
    pub program: String,
    /// Info, warning, error or fatal.
    pub level: LogLevel,
    /// The text after the `warning: ` (etc.) prefix.
    pub text: String,
    /// The logging needed to see it.
    pub verbosity: Verbosity,
}

impl LogLine {
    /// A line of `program`.
    pub fn new(program: &str, level: LogLevel, verbosity: Verbosity, text: impl Into<String>) -> Self {
        LogLine { program: program.to_string(), level, text: printable(&text.into()), verbosity }
    }

    /// The line as it appears after `postfix/PROGRAM[PID]: `.
    pub fn message(&self) -> String {
        match self.level {
            LogLevel::Info => self.text.clone(),
            LogLevel::Warning => format!("warning: {}", self.text),
            LogLevel::Error => format!("error: {}", self.text),
            LogLevel::Fatal => format!("fatal: {}", self.text),
        }
    }

    /// The line as syslog shows it (without date and host).
    pub fn render(&self) -> String {
        if self.program == "posttls-finger" {
            format!("posttls-finger: {}", self.message())
        } else {
            format!("postfix/{}[PID]: {}", self.program, self.message())
        }
    }
}

/// Replaces ASCII control characters with `?`, as Postfix's logging does.
pub fn printable(text: &str) -> String {
    // Nearly every line has none: copied whole instead of rebuilt character by character.
    if !text.bytes().any(|b| b.is_ascii_control()) {
        return text.to_string();
    }
    text.chars().map(|c| if c.is_ascii_control() { '?' } else { c }).collect()
}

/// The TLS library's log mask: `smtp_tls_loglevel` (or posttls-finger's `-L`) as
/// `tls_log_mask()` parses it (`tls_log_table` in tls_misc.c, the same from 2.11 to 3.11 but
/// for the 3.6+ `dane` keyword).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsLogMask(pub u32);

impl TlsLogMask {
    /// `TLS_LOG_NONE`.
    pub const NONE: u32 = 1 << 0;
    /// `TLS_LOG_SUMMARY`: the "… TLS connection established …" line.
    pub const SUMMARY: u32 = 1 << 1;
    /// `TLS_LOG_UNTRUSTED`: chain verification failures (added at levels that need them).
    pub const UNTRUSTED: u32 = 1 << 2;
    /// `TLS_LOG_PEERCERT`: the `subject_CN=…` line.
    pub const PEERCERT: u32 = 1 << 3;
    /// `TLS_LOG_CERTMATCH`: name and digest matching (≤3.5: also how names are checked).
    pub const CERTMATCH: u32 = 1 << 4;
    /// `TLS_LOG_VERBOSE`: the Postfix TLS library's verbose logging.
    pub const VERBOSE: u32 = 1 << 5;
    /// `TLS_LOG_CACHE`.
    pub const CACHE: u32 = 1 << 6;
    /// `TLS_LOG_DEBUG`: OpenSSL's state and alert callbacks.
    pub const DEBUG: u32 = 1 << 7;
    /// `TLS_LOG_TLSPKTS`.
    pub const TLSPKTS: u32 = 1 << 8;
    /// `TLS_LOG_ALLPKTS`.
    pub const ALLPKTS: u32 = 1 << 9;
    /// `TLS_LOG_DANE` (3.6+).
    pub const DANE: u32 = 1 << 10;

    /// `TLS_LOG_1`: only the summary (`routine` is the same).
    pub const LEVEL_1: u32 = Self::SUMMARY;
    /// `TLS_LOG_2` (`debug`): adds verbose, cache and OpenSSL debug logging, not certmatch.
    pub const LEVEL_2: u32 = Self::LEVEL_1 | Self::VERBOSE | Self::CACHE | Self::DEBUG;
    /// `TLS_LOG_3` (`ssl-expert`).
    pub const LEVEL_3: u32 = Self::LEVEL_2 | Self::TLSPKTS;
    /// `TLS_LOG_4` (`ssl-developer`, and 5 to 9).
    pub const LEVEL_4: u32 = Self::LEVEL_3 | Self::ALLPKTS;

    /// Parses a loglevel as `name_mask_opt(…, NAME_MASK_ANY_CASE | NAME_MASK_RETURN)` does:
    /// names separated by commas or white space, case-insensitive; one unknown name makes
    /// the whole mask 0 (Postfix logs `unknown … value` and logs nothing more). `dane` is a
    /// name from 3.6 on.
    pub fn parse(value: &str, dane_keyword: bool) -> TlsLogMask {
        let mut mask = 0;
        for word in value.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
            let bits = match word.to_ascii_lowercase().as_str() {
                "0" | "none" => Self::NONE,
                "1" | "routine" => Self::LEVEL_1,
                "2" | "debug" => Self::LEVEL_2,
                "3" | "ssl-expert" => Self::LEVEL_3,
                "4" | "ssl-developer" | "5" | "6" | "7" | "8" | "9" => Self::LEVEL_4,
                "summary" => Self::SUMMARY,
                "untrusted" => Self::UNTRUSTED,
                "peercert" => Self::PEERCERT,
                "certmatch" => Self::CERTMATCH,
                "verbose" => Self::VERBOSE,
                "cache" => Self::CACHE,
                "dane" if dane_keyword => Self::DANE,
                "ssl-debug" => Self::DEBUG,
                "ssl-handshake-packet-dump" => Self::TLSPKTS,
                "ssl-session-packet-dump" => Self::TLSPKTS | Self::ALLPKTS,
                _ => return TlsLogMask(0),
            };
            mask |= bits;
        }
        TlsLogMask(mask)
    }

    /// Whether `word` is a keyword (or level number) of the mask.
    pub fn knows(word: &str, dane_keyword: bool) -> bool {
        TlsLogMask::parse(word, dane_keyword) != TlsLogMask(0) || matches!(word.to_ascii_lowercase().as_str(), "0" | "none")
    }

    /// posttls-finger's default `-L routine,certmatch`.
    pub fn finger_default() -> TlsLogMask {
        TlsLogMask(Self::SUMMARY | Self::CERTMATCH)
    }

    /// Whether any of `bits` is set.
    pub fn any(self, bits: u32) -> bool {
        self.0 & bits != 0
    }

    /// The same mask with `bits` added.
    pub fn with(self, bits: u32) -> TlsLogMask {
        TlsLogMask(self.0 | bits)
    }

    /// Whether lines of `verbosity` are logged with this mask (smtp(8) without `-v`).
    pub fn shows(self, verbosity: Verbosity) -> bool {
        match verbosity {
            Verbosity::Always => true,
            Verbosity::Summary => self.any(Self::SUMMARY),
            Verbosity::Certmatch => self.any(Self::CERTMATCH | Self::VERBOSE | Self::PEERCERT),
            Verbosity::Verbose => false,
        }
    }
}

/// Whether `smtp_tls_loglevel` (a number or a keyword list) shows lines of `verbosity`.
///
/// [`Verbosity::Certmatch`] lines are the peer-certificate lines every version gates on
/// `certmatch`, `peercert` or `verbose` (`subject_CN=…`, `matched peername`, `Matched DANE`);
/// the ≤3.5 name lines that `peercert` alone does not show are never predicted for such a
/// setting, so this test holds for them too.
pub fn shown_at(loglevel: &str, verbosity: Verbosity) -> bool {
    TlsLogMask::parse(loglevel, true).shows(verbosity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_question_marks() {
        assert_eq!(printable("secure \t match"), "secure ? match");
        assert_eq!(printable("bücher"), "bücher");
    }

    #[test]
    fn loglevels_show_what_postfix_logs() {
        assert!(!shown_at("0", Verbosity::Summary));
        assert!(shown_at("1", Verbosity::Summary));
        assert!(!shown_at("1", Verbosity::Certmatch));
        assert!(shown_at("routine,certmatch", Verbosity::Certmatch));
        assert!(shown_at("2", Verbosity::Certmatch));
        assert!(shown_at("0", Verbosity::Always));
        assert!(shown_at("verbose", Verbosity::Certmatch));
        assert!(shown_at("peercert", Verbosity::Certmatch));
        // certmatch alone has no summary bit: no "TLS connection established" line.
        assert!(!shown_at("certmatch", Verbosity::Summary));
        // One unknown word and Postfix logs nothing at all.
        assert!(!shown_at("routine, bogus", Verbosity::Summary));
    }

    #[test]
    fn numeric_levels_are_postfix_bit_sets() {
        assert_eq!(TlsLogMask::parse("1", false).0, TlsLogMask::SUMMARY);
        assert_eq!(TlsLogMask::parse("routine", false), TlsLogMask::parse("1", false));
        let two = TlsLogMask::parse("2", false);
        assert!(two.any(TlsLogMask::VERBOSE) && !two.any(TlsLogMask::CERTMATCH) && !two.any(TlsLogMask::UNTRUSTED));
        assert_eq!(TlsLogMask::parse("Routine, CERTMATCH", false), TlsLogMask::finger_default());
        assert_eq!(TlsLogMask::parse("dane", false).0, 0);
        assert_eq!(TlsLogMask::parse("dane", true).0, TlsLogMask::DANE);
        assert_eq!(TlsLogMask::parse("7", false).0, TlsLogMask::LEVEL_4);
    }
}

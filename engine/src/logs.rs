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
    text.chars().map(|c| if c.is_ascii_control() { '?' } else { c }).collect()
}

/// Whether `smtp_tls_loglevel` (a number or a keyword list) shows lines of `verbosity`.
pub fn shown_at(loglevel: &str, verbosity: Verbosity) -> bool {
    let words: Vec<String> = loglevel.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()).map(|w| w.to_ascii_lowercase()).collect();
    let number = words.iter().filter_map(|w| w.parse::<u32>().ok()).max().unwrap_or(0);
    let has = |k: &str| words.iter().any(|w| w == k);
    match verbosity {
        Verbosity::Always => true,
        Verbosity::Summary => number >= 1 || has("routine") || has("summary") || has("debug") || has("certmatch"),
        Verbosity::Certmatch => number >= 2 || has("certmatch") || has("debug") || has("peercert"),
        Verbosity::Verbose => false,
    }
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
    }
}

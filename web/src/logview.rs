//! What the page shows of a pasted Postfix log (`peername_engine::logread`): how many lines were
//! read, every line that was not (never silently dropped), the era its wording points to and why,
//! the stage that failed, what the log cannot tell, and, when the other panes complete the
//! scenario, whether the engine agrees with the log. Built in the worker, sent as bytes.

use peername_engine::logread::{CrossCheck, LogReading};

/// One line the log reader could not read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnreadView {
    /// 1-based line number.
    pub line: usize,
    /// Why, as a stable code (`not-a-log-line`, `unknown-message`, `truncated`, `binary`).
    pub reason: String,
    /// Why, in the engine's English (with the program when known).
    pub why: String,
    /// The start of the line.
    pub excerpt: String,
}

/// Most unread lines listed one by one (the original question has 241; a list of tens of
/// thousands would take the browser seconds to lay out).
pub const UNREAD_SHOWN: usize = 500;

/// A pasted log, as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// Lines in the paste.
    pub lines: usize,
    /// Lines read as facts.
    pub read: usize,
    /// Lines ignored with a reason (housekeeping, other programs).
    pub ignored: usize,
    /// Lines not read, each with its reason: the first [`UNREAD_SHOWN`] of them.
    pub unread: Vec<UnreadView>,
    /// How many lines were not read (a pasted syslog can have tens of thousands; the page lists
    /// the first [`UNREAD_SHOWN`] and says how many more there are).
    pub unread_total: usize,
    /// The versions whose wording the log shows (`≤3.5`, `3.6–3.10.3`, …).
    pub era: String,
    /// The clues: (line, what it shows, the versions it points to).
    pub clues: Vec<(usize, String, String)>,
    /// The Postfix version the scenario gets, and why.
    pub suggested_version: (String, String),
    /// The stage that failed (code: `name-match`, `chain-trust`, … or `none`), and why.
    pub stage: (String, String),
    /// What the log cannot tell: (what, why).
    pub missing: Vec<(String, String)>,
    /// With the other panes: (the log agrees with the engine, the engine's headline, the differences).
    pub check: Option<(bool, String, Vec<String>)>,
}

impl LogSummary {
    /// The summary of `reading`, and of its cross-check when the scenario could be explained.
    pub fn of(reading: &LogReading, check: Option<&CrossCheck>) -> LogSummary {
        let ignored = reading.ignored.iter().map(|g| g.count).sum();
        LogSummary {
            lines: reading.lines,
            read: reading.read,
            ignored,
            unread_total: reading.unread.len(),
            unread: reading
                .unread
                .iter()
                .take(UNREAD_SHOWN)
                .map(|u| UnreadView {
                    line: u.line,
                    reason: serde_json::to_value(u.reason).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                    why: u.why.clone(),
                    excerpt: u.excerpt.clone(),
                })
                .collect(),
            era: reading.era.range.label.clone(),
            clues: reading.era.clues.iter().map(|c| (c.line, c.why.clone(), c.range.label.clone())).collect(),
            suggested_version: (reading.era.suggested_version.clone(), reading.era.why_suggested.clone()),
            stage: (reading.stage.stage.clone(), reading.stage.why.clone()),
            missing: reading.missing.iter().map(|m| (m.what.clone(), m.why.clone())).collect(),
            check: check.map(|c| {
                let differences = c.differences.iter().map(|d| format!("{}: {} ≠ {} — {}", d.aspect, d.log, d.predicted, d.implication)).collect();
                (c.agrees, c.headline.clone(), differences)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peername_engine::logread::read_log;

    #[test]
    fn the_seed_log_is_summarised_line_by_line() {
        let log = "Feb 25 21:57:22 mail postfix/smtp[25291]: Trusted TLS connection established to in1-smtp.messagingengine.com[66.111.4.74]:25: TLSv1.2 with cipher X (256/256 bits)\n\
                   Feb 25 21:57:22 mail postfix/smtp[25291]: D33A02504112: to=<user@fastmail.fm>, relay=in1-smtp.messagingengine.com[66.111.4.74]:25, delay=8.4, delays=0.02/0/8.4/0, dsn=4.7.5, status=deferred (Server certificate not verified)\n\
                   this is not a log line\n";
        let s = LogSummary::of(&read_log(log), None);
        assert_eq!((s.lines, s.read), (3, 2));
        assert_eq!(s.unread.len(), 1);
        assert_eq!(s.unread_total, 1);
        assert_eq!((s.unread[0].line, s.unread[0].reason.as_str()), (3, "not-a-log-line"));
        assert_eq!(s.stage.0, "name-match");
        assert_eq!(s.era, "≤3.5");
        assert!(!s.clues.is_empty());
        assert!(s.check.is_none());
    }

    #[test]
    fn a_syslog_lists_its_first_unread_lines_and_counts_them_all() {
        let log = "kernel: something else\n".repeat(UNREAD_SHOWN + 7);
        let s = LogSummary::of(&read_log(&log), None);
        assert_eq!(s.lines, UNREAD_SHOWN + 7);
        assert_eq!(s.unread.len(), UNREAD_SHOWN);
        assert_eq!(s.unread_total, UNREAD_SHOWN + 7);
        assert_eq!(s.unread.last().map(|u| u.line), Some(UNREAD_SHOWN));
    }
}

//! What a caller that explains one scenario after another (the page's engine worker, once per
//! keystroke) may keep between explanations: the last policy table read and the table built
//! from it, and the certificate inputs read lately. A keystroke in any other pane then neither
//! reads a 10,000-line table again nor rebuilds its key index, and no pasted certificate is
//! decoded, parsed and digested again. The engine keeps no state of its own; the caller owns
//! the memo, and a memo never changes a report (engine/tests/memo.rs compares).
//!
//! One explanation also keeps certificates for its own fix search (each fix is verified by
//! explaining the edited scenario again, with the same certificates): [`CertificateMemo`].

use crate::cert::pem::{parse_certificates, CertificateInput};
use crate::diag::{Diagnostic, Source};
use crate::policy::lookup::{MapKind, PolicyTable};
use std::rc::Rc;

/// What reading a policy table gave: its findings and the table (see `explain::prepare`).
pub(crate) type PolicyRead = (Vec<Diagnostic>, Option<Rc<PolicyTable>>);

/// Results kept between explanations (see the module documentation).
#[derive(Debug, Default)]
pub struct Memo {
    /// The last policy table text, the map it was read as, and what that gave.
    pub(crate) tables: TableMemo,
    /// Certificate inputs read lately.
    pub(crate) certificates: CertificateMemo,
}

impl Memo {
    /// An empty memo.
    pub fn new() -> Self {
        Memo::default()
    }
}

/// The last policy table read (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct TableMemo {
    last: Option<(String, Option<(MapKind, String, String)>, PolicyRead)>,
}

impl TableMemo {
    /// What `read` gives for this table text and map, read again only when either changed.
    pub(crate) fn policy_table(&mut self, text: &str, spec: Option<&(MapKind, String, String)>, read: impl FnOnce() -> PolicyRead) -> PolicyRead {
        if let Some((kept_text, kept_spec, kept)) = &self.last {
            if kept_text == text && kept_spec.as_ref() == spec {
                return kept.clone();
            }
        }
        let fresh = read();
        self.last = Some((text.to_string(), spec.cloned(), fresh.clone()));
        fresh
    }
}

/// Certificate inputs read lately: the text, the source its findings point into, and what the
/// parser gave (at most [`CertificateMemo::KEEP`], the oldest dropped first).
#[derive(Debug, Default)]
pub(crate) struct CertificateMemo {
    kept: Vec<(String, Source, CertificateInput)>,
}

impl CertificateMemo {
    /// More than a scenario's certificate inputs, CA bundle and a few trust anchor files.
    const KEEP: usize = 16;

    /// What [`parse_certificates`] gives for `text` tagged with `source`, parsed again only
    /// when this text and source were not read lately.
    pub(crate) fn parse(&mut self, text: &str, source: Source) -> CertificateInput {
        if let Some((_, _, parsed)) = self.kept.iter().find(|(t, s, _)| *s == source && t == text) {
            return parsed.clone();
        }
        let parsed = parse_certificates(text.as_bytes(), source);
        if self.kept.len() >= Self::KEEP {
            self.kept.remove(0);
        }
        self.kept.push((text.to_string(), source, parsed.clone()));
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_and_map_are_read_once() {
        let mut memo = TableMemo::default();
        let spec = (MapKind::Postmap, "hash:/etc/postfix/tls_policy".to_string(), "/etc/postfix/tls_policy".to_string());
        let reads = std::cell::Cell::new(0);
        let read = |memo: &mut TableMemo, text: &str, spec: Option<&(MapKind, String, String)>| {
            memo.policy_table(text, spec, || {
                reads.set(reads.get() + 1);
                (Vec::new(), None)
            })
        };
        read(&mut memo, "a secure\n", Some(&spec));
        read(&mut memo, "a secure\n", Some(&spec));
        assert_eq!(reads.get(), 1);
        read(&mut memo, "a verify\n", Some(&spec));
        read(&mut memo, "a verify\n", None);
        assert_eq!(reads.get(), 3, "a new text or another map is read again");
    }

    #[test]
    fn a_certificate_input_is_parsed_once_per_text_and_source() {
        let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed/fastmail-replica.pem")).unwrap();
        let mut memo = CertificateMemo::default();
        let first = memo.parse(&pem, Source::Certificates(0));
        assert!(!first.certificates.is_empty());
        let again = memo.parse(&pem, Source::Certificates(0));
        assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&parse_certificates(pem.as_bytes(), Source::Certificates(0))).unwrap());
        assert_eq!(memo.kept.len(), 1, "read once");
        memo.parse(&pem, Source::Certificates(1));
        memo.parse("not a certificate", Source::Certificates(0));
        assert_eq!(memo.kept.len(), 3, "another source or text is read again");
        for i in 0..40 {
            memo.parse(&format!("junk {i}"), Source::CaBundle);
        }
        assert_eq!(memo.kept.len(), CertificateMemo::KEEP, "bounded");
    }
}

//! What a caller that explains one scenario after another (the page's engine worker, once per
//! keystroke) may keep between explanations: the last policy table read and the table built
//! from it. A keystroke in any other pane then neither reads a 10,000-line table again nor
//! rebuilds its key index. The engine keeps no state of its own; the caller owns the memo, and
//! a memo never changes a report (engine/tests/memo.rs compares).

use crate::diag::Diagnostic;
use crate::policy::lookup::{MapKind, PolicyTable};
use std::rc::Rc;

/// What reading a policy table gave: its findings and the table (see `explain::prepare`).
pub(crate) type PolicyRead = (Vec<Diagnostic>, Option<Rc<PolicyTable>>);

/// Results kept between explanations (see the module documentation).
#[derive(Debug, Default)]
pub struct Memo {
    /// The last policy table text, the map it was read as, and what that gave.
    policy_table: Option<(String, Option<(MapKind, String, String)>, PolicyRead)>,
}

impl Memo {
    /// An empty memo.
    pub fn new() -> Self {
        Memo::default()
    }

    /// What `read` gives for this table text and map, read again only when either changed.
    pub(crate) fn policy_table(&mut self, text: &str, spec: Option<&(MapKind, String, String)>, read: impl FnOnce() -> PolicyRead) -> PolicyRead {
        if let Some((kept_text, kept_spec, kept)) = &self.policy_table {
            if kept_text == text && kept_spec.as_ref() == spec {
                return kept.clone();
            }
        }
        let fresh = read();
        self.policy_table = Some((text.to_string(), spec.cloned(), fresh.clone()));
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_and_map_are_read_once() {
        let mut memo = Memo::new();
        let spec = (MapKind::Postmap, "hash:/etc/postfix/tls_policy".to_string(), "/etc/postfix/tls_policy".to_string());
        let reads = std::cell::Cell::new(0);
        let read = |memo: &mut Memo, text: &str, spec: Option<&(MapKind, String, String)>| {
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
}

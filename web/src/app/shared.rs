//! A shared value compared by identity: props holding a whole report stay cheap to compare.

use std::ops::Deref;
use std::rc::Rc;

/// `Rc<T>` whose equality is pointer identity (a report is replaced, never edited in place).
#[derive(Debug)]
pub struct Shared<T: ?Sized>(pub Rc<T>);

impl<T> Shared<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T: ?Sized> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: ?Sized> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `items`, each replaced by the value at the same place in `kept` where `alike` says the two
/// are the same: a list from a new report keeps the identity of what did not change, so
/// components given those values by identity do not render again. `kept` becomes the new list.
pub fn share_unchanged<T: Clone>(kept: &mut Vec<T>, items: &[T], alike: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let shared: Vec<T> = items
        .iter()
        .enumerate()
        .map(|(i, item)| match kept.get(i) {
            Some(old) if alike(old, item) => old.clone(),
            _ => item.clone(),
        })
        .collect();
    kept.clone_from(&shared);
    shared
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{ReportView, SharedStep};
    use crate::wire::{decode, encode};
    use peername_engine::scenario::Scenario;

    #[test]
    fn alike_items_keep_their_identity() {
        let mut kept = Vec::new();
        let list = |items: &[&'static str]| items.iter().map(|&s| Rc::new(s)).collect::<Vec<_>>();
        let alike = |a: &Rc<&str>, b: &Rc<&str>| a == b;
        let first = share_unchanged(&mut kept, &list(&["a", "b", "c"]), alike);
        let next = share_unchanged(&mut kept, &list(&["a", "x", "c", "d"]), alike);
        assert_eq!(next.iter().map(|s| **s).collect::<Vec<_>>(), ["a", "x", "c", "d"]);
        assert!(Rc::ptr_eq(&next[0], &first[0]) && Rc::ptr_eq(&next[2], &first[2]));
        assert!(!Rc::ptr_eq(&next[1], &first[1]));
        assert_eq!(kept.len(), 4);
        assert!(share_unchanged(&mut kept, &list(&[]), alike).is_empty() && kept.is_empty());
    }

    /// The trace as the page gets it: through the worker's bytes.
    fn trace(mx: &str) -> Vec<SharedStep> {
        let scenario = Scenario {
            policy_table: "example.com secure match=.example.com\n".into(),
            destination: "user@example.com".into(),
            mx: mx.into(),
            ..Scenario::default()
        };
        let report = ReportView::of(&peername_engine::explain(&scenario));
        decode::<ReportView>(&encode(&report)).expect("reads back").trace
    }

    #[test]
    fn an_edit_renews_exactly_the_steps_it_changed() {
        let mut kept = Vec::new();
        let before = share_unchanged(&mut kept, &trace("mx.example.com\n"), SharedStep::read_alike);
        let edited = trace("mx2.example.com\n");
        let after = share_unchanged(&mut kept, &edited, SharedStep::read_alike);
        let renewed: Vec<bool> = after.iter().zip(&before).map(|(a, b)| !Rc::ptr_eq(&a.step, &b.step)).collect();
        let differing: Vec<bool> = edited.iter().zip(&before).map(|(a, b)| a.step != b.step).collect();
        assert_eq!(renewed, differing, "read alike exactly when equal");
        let count = renewed.iter().filter(|r| **r).count();
        assert!(count > 0 && count < edited.len(), "{count} of {}", edited.len());
        assert!(after.iter().zip(&edited).all(|(a, b)| a == b), "the new trace, step for step");
    }

    #[test]
    fn steps_built_here_are_never_read_alike() {
        let step = trace("mx.example.com\n")[0].step.as_ref().clone();
        assert!(!SharedStep::new(step.clone()).read_alike(&SharedStep::new(step)));
    }
}

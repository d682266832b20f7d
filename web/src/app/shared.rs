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

/// `items` as shared values, each the one in `kept` at the same place where that is equal: a
/// list from a new report keeps the identity of what did not change, so components given
/// those items by identity do not render again. `kept` becomes the new list.
pub fn share_unchanged<T: PartialEq>(kept: &mut Vec<Shared<T>>, items: &[Rc<T>]) -> Vec<Shared<T>> {
    let shared: Vec<Shared<T>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| match kept.get(i) {
            Some(old) if **old == **item => old.clone(),
            _ => Shared(Rc::clone(item)),
        })
        .collect();
    kept.clone_from(&shared);
    shared
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{ReportView, StepView};
    use peername_engine::scenario::Scenario;

    #[test]
    fn equal_items_keep_their_identity() {
        let mut kept = Vec::new();
        let list = |items: &[&'static str]| items.iter().map(|&s| Rc::new(s)).collect::<Vec<_>>();
        let first = share_unchanged(&mut kept, &list(&["a", "b", "c"]));
        let next = share_unchanged(&mut kept, &list(&["a", "x", "c", "d"]));
        assert_eq!(next.iter().map(|s| **s).collect::<Vec<_>>(), ["a", "x", "c", "d"]);
        assert!(next[0] == first[0] && next[2] == first[2]);
        assert!(next[1] != first[1]);
        assert_eq!(kept.len(), 4);
        assert!(share_unchanged(&mut kept, &list(&[])).is_empty() && kept.is_empty());
    }

    fn trace(mx: &str) -> Vec<Rc<StepView>> {
        let scenario = Scenario {
            policy_table: "example.com secure match=.example.com\n".into(),
            destination: "user@example.com".into(),
            mx: mx.into(),
            ..Scenario::default()
        };
        ReportView::of(&peername_engine::explain(&scenario)).trace
    }

    #[test]
    fn an_edit_renews_only_the_steps_it_changed() {
        let mut kept = Vec::new();
        let before = share_unchanged(&mut kept, &trace("mx.example.com\n"));
        let edited = trace("mx2.example.com\n");
        let after = share_unchanged(&mut kept, &edited);
        let renewed = after.iter().zip(&before).filter(|(a, b)| a != b).count();
        let differing = edited.iter().zip(&before).filter(|(a, b)| ***a != ***b).count();
        assert_eq!(renewed, differing);
        assert!(renewed > 0 && renewed < edited.len(), "{renewed} of {}", edited.len());
    }
}

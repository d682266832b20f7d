//! An index from folded table keys to rows, as Postfix's fixed-key tables compare keys
//! (lower case, see [`fold_key`]), without allocating per key.
//!
//! Keys are hashed while folding (64-bit FNV-1a); a row index is stored per hash and the keys
//! are compared on every hit, so the index is exact: the rare key whose hash another key
//! already took goes to a small exact map instead.

use super::table::fold_key;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// 64-bit FNV-1a, fed byte by byte: fast for the short strings tables hold.
pub(crate) struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u8(b);
        }
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
}

/// For maps whose keys are already hashes: uses them as they are.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by [`folded_hash`] values.
pub(crate) type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// FNV-1a of the folded key; ASCII keys (nearly all) are folded byte by byte in place.
pub(crate) fn folded_hash(key: &str) -> u64 {
    let mut h = Fnv64::default();
    if key.is_ascii() {
        key.bytes().for_each(|b| h.write_u8(b.to_ascii_lowercase()));
    } else {
        h.write(fold_key(key).as_bytes());
    }
    h.finish()
}

/// True when `a` and `b` fold to the same key.
pub(crate) fn folded_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        fold_key(a) == fold_key(b)
    }
}

/// Folded key → index of the first row with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyIndex {
    first: HashKeyed<usize>,
    collided: HashMap<String, usize>,
}

impl KeyIndex {
    /// An empty index with room for `n` keys.
    pub fn with_capacity(n: usize) -> Self {
        KeyIndex { first: HashKeyed::with_capacity_and_hasher(n, BuildHasherDefault::default()), collided: HashMap::new() }
    }

    /// True when no key was inserted.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Records that row `row` has `key`; returns the first row with an equal key when there
    /// is one (the index then keeps pointing at that first row). `key_of` gives a row's key.
    pub fn insert<'k>(&mut self, key: &str, row: usize, key_of: impl Fn(usize) -> &'k str) -> Option<usize> {
        match self.first.entry(folded_hash(key)) {
            Entry::Vacant(slot) => {
                slot.insert(row);
                None
            }
            Entry::Occupied(slot) if folded_eq(key_of(*slot.get()), key) => Some(*slot.get()),
            Entry::Occupied(_) => match self.collided.entry(fold_key(key)) {
                Entry::Occupied(first) => Some(*first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(row);
                    None
                }
            },
        }
    }

    /// The first row whose key folds to `key` folded.
    pub fn get<'k>(&self, key: &str, key_of: impl Fn(usize) -> &'k str) -> Option<usize> {
        let row = *self.first.get(&folded_hash(key))?;
        if folded_eq(key_of(row), key) {
            Some(row)
        } else {
            self.collided.get(&fold_key(key)).copied()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn build(keys: &[&str]) -> (KeyIndex, Vec<Option<usize>>) {
        let mut index = KeyIndex::default();
        let dups = keys.iter().enumerate().map(|(i, k)| index.insert(k, i, |r| keys[r])).collect();
        (index, dups)
    }

    #[test]
    fn folds_case_and_reports_the_first_row() {
        let keys = ["Example.COM", "b.example", "example.com", "EXAMPLE.com", "Straße.example", "STRASSE.example", "straße.EXAMPLE"];
        let (index, dups) = build(&keys);
        assert_eq!(dups, vec![None, None, Some(0), Some(0), None, None, Some(4)]);
        assert_eq!(index.get("eXample.com", |r| keys[r]), Some(0));
        assert_eq!(index.get("strasse.example", |r| keys[r]), Some(5));
        assert_eq!(index.get("missing", |r| keys[r]), None);
    }

    #[test]
    fn a_hash_collision_stays_exact() {
        // Force a collision by pretending every key hashes alike: insert under one hash.
        let keys = ["a", "b", "B"];
        let mut index = KeyIndex::default();
        index.first.insert(folded_hash("b"), 0);
        assert_eq!(index.insert("b", 1, |r| keys[r]), None, "\"a\" holds the slot but is not \"b\"");
        assert_eq!(index.insert("B", 2, |r| keys[r]), Some(1));
        assert_eq!(index.get("b", |r| keys[r]), Some(1));
    }

    proptest! {
        #[test]
        fn agrees_with_a_map_of_folded_strings(keys in proptest::collection::vec("[a-cA-C.ßẞ]{0,4}", 0..40)) {
            let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            let (index, dups) = build(&refs);
            let mut model: HashMap<String, usize> = HashMap::new();
            for (i, k) in keys.iter().enumerate() {
                let expected = model.get(&fold_key(k)).copied();
                prop_assert_eq!(dups[i], expected);
                model.entry(fold_key(k)).or_insert(i);
            }
            for k in &keys {
                prop_assert_eq!(index.get(k, |r| refs[r]), model.get(&fold_key(k)).copied());
            }
        }
    }
}

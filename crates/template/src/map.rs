//! [`Map`]: the string-keyed map behind a Go `map[string]interface{}`, iterating in key order.
//!
//! Almost every map a chart handles is small (a container's `resources`, a label set, one item
//! of a list), and a `BTreeMap`'s smallest node has room for eleven entries whatever it holds:
//! ~640 bytes for a two-entry map, so a rendered release read for lint or diff cost ~32 bytes
//! of memory per byte of YAML. A map of up to [`SMALL_MAX`] entries is therefore a sorted
//! `Vec` (binary search, no per-node overhead); a larger one becomes a `BTreeMap`, so inserting
//! into a large map stays logarithmic. Either way the keys iterate in sorted (byte) order, which
//! is what Go's `range`, `fmt` and both encoders use, and a later insert of an equal key
//! replaces the value, as `BTreeMap::insert` does.

use std::borrow::Borrow;
use std::collections::{btree_map, BTreeMap};
use std::fmt;

use crate::value::Value;

/// The most entries a map keeps in its sorted `Vec`.
const SMALL_MAX: usize = 24;

/// A map from `String` to [`Value`] in sorted key order (see the module comment).
#[derive(Clone, Default)]
pub struct Map {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    /// Sorted by key, keys distinct, at most `SMALL_MAX` entries.
    Small(Vec<(String, Value)>),
    Large(BTreeMap<String, Value>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Small(Vec::new())
    }
}

/// `Ok(index)` of `key` in a sorted entry list, or `Err(insertion point)`.
fn search<Q>(entries: &[(String, Value)], key: &Q) -> Result<usize, usize>
where
    String: Borrow<Q>,
    Q: Ord + ?Sized,
{
    entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
}

/// Makes room for one more entry in a small map: one at a time up to eight entries, then by
/// half. `Vec`'s own doubling starts at four, so most maps (one to three entries) would carry
/// unused slots of 56 bytes each.
fn grow_small(v: &mut Vec<(String, Value)>) {
    if v.len() == v.capacity() {
        let more = if v.len() < 8 { 1 } else { v.len() / 2 };
        v.reserve_exact(more.min(SMALL_MAX - v.len()).max(1));
    }
}

impl Map {
    pub const fn new() -> Map {
        Map {
            repr: Repr::Small(Vec::new()),
        }
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Small(v) => v.len(),
            Repr::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn clear(&mut self) {
        self.repr = Repr::Small(Vec::new());
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.repr {
            Repr::Small(v) => search(v, key).ok().map(|i| &v[i].1),
            Repr::Large(m) => m.get(key),
        }
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&String, &Value)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.repr {
            Repr::Small(v) => search(v, key).ok().map(|i| (&v[i].0, &v[i].1)),
            Repr::Large(m) => m.get_key_value(key),
        }
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.repr {
            Repr::Small(v) => match search(v, key) {
                Ok(i) => Some(&mut v[i].1),
                Err(_) => None,
            },
            Repr::Large(m) => m.get_mut(key),
        }
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Inserts or replaces; the old value of an equal key comes back.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match &mut self.repr {
            Repr::Small(v) => match search(v, key.as_str()) {
                Ok(i) => Some(std::mem::replace(&mut v[i].1, value)),
                Err(i) if v.len() < SMALL_MAX => {
                    grow_small(v);
                    v.insert(i, (key, value));
                    None
                }
                Err(_) => {
                    let mut m: BTreeMap<String, Value> = std::mem::take(v).into_iter().collect();
                    m.insert(key, value);
                    self.repr = Repr::Large(m);
                    None
                }
            },
            Repr::Large(m) => m.insert(key, value),
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<Value>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(String, Value)>
    where
        String: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.repr {
            Repr::Small(v) => search(v, key).ok().map(|i| v.remove(i)),
            Repr::Large(m) => m.remove_entry(key),
        }
    }

    /// Keeps the entries for which `keep` returns true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        match &mut self.repr {
            Repr::Small(v) => v.retain_mut(|(k, val)| keep(k, val)),
            Repr::Large(m) => m.retain(|k, val| keep(k, val)),
        }
    }

    /// The entry for `key`, to read, insert or change in place.
    pub fn entry(&mut self, key: String) -> Entry<'_> {
        Entry { map: self, key }
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(match &self.repr {
            Repr::Small(v) => IterRepr::Small(v.iter()),
            Repr::Large(m) => IterRepr::Large(m.iter()),
        })
    }

    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(match &mut self.repr {
            Repr::Small(v) => IterMutRepr::Small(v.iter_mut()),
            Repr::Large(m) => IterMutRepr::Large(m.iter_mut()),
        })
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator + '_ {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + '_ {
        self.iter().map(|(_, v)| v)
    }

    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator + '_ {
        self.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = String> + ExactSizeIterator {
        self.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.into_iter().map(|(_, v)| v)
    }

    /// The entry with the smallest key.
    pub fn first_key_value(&self) -> Option<(&String, &Value)> {
        self.iter().next()
    }

    /// The entry with the largest key.
    pub fn last_key_value(&self) -> Option<(&String, &Value)> {
        self.iter().next_back()
    }
}

/// A key of a [`Map`] with the map it may be inserted into (`BTreeMap::entry`'s subset).
pub struct Entry<'a> {
    map: &'a mut Map,
    key: String,
}

impl<'a> Entry<'a> {
    pub fn key(&self) -> &String {
        &self.key
    }

    pub fn or_insert_with(self, make: impl FnOnce() -> Value) -> &'a mut Value {
        let Entry { map, key } = self;
        if let Repr::Small(v) = &mut map.repr {
            if v.len() >= SMALL_MAX && search(v, key.as_str()).is_err() {
                map.repr = Repr::Large(std::mem::take(v).into_iter().collect());
            }
        }
        match &mut map.repr {
            Repr::Small(v) => {
                let i = match search(v, key.as_str()) {
                    Ok(i) => i,
                    Err(i) => {
                        grow_small(v);
                        v.insert(i, (key, make()));
                        i
                    }
                };
                &mut v[i].1
            }
            Repr::Large(m) => m.entry(key).or_insert_with(make),
        }
    }

    pub fn or_insert(self, value: Value) -> &'a mut Value {
        self.or_insert_with(|| value)
    }

    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(|| Value::Nil)
    }

    pub fn and_modify(self, change: impl FnOnce(&mut Value)) -> Self {
        let Entry { map, key } = self;
        if let Some(v) = map.get_mut(key.as_str()) {
            change(v);
        }
        Entry { map, key }
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(items: I) -> Map {
        let mut entries: Vec<(String, Value)> = items.into_iter().collect();
        if entries.len() > SMALL_MAX {
            return Map {
                repr: Repr::Large(entries.into_iter().collect()),
            };
        }
        // Stable sort, then keep the last of equal keys: a later entry wins, as with inserts.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            match kept.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => kept.push((k, v)),
            }
        }
        Map {
            repr: Repr::Small(kept),
        }
    }
}

impl<const N: usize> From<[(String, Value); N]> for Map {
    fn from(entries: [(String, Value); N]) -> Map {
        entries.into_iter().collect()
    }
}

impl From<BTreeMap<String, Value>> for Map {
    fn from(m: BTreeMap<String, Value>) -> Map {
        m.into_iter().collect()
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, items: I) {
        for (k, v) in items {
            self.insert(k, v);
        }
    }
}

/// The entries of a [`Map`] by reference, in key order.
pub struct Iter<'a>(IterRepr<'a>);

enum IterRepr<'a> {
    Small(std::slice::Iter<'a, (String, Value)>),
    Large(btree_map::Iter<'a, String, Value>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(it) => it.next().map(|(k, v)| (k, v)),
            IterRepr::Large(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Small(it) => it.size_hint(),
            IterRepr::Large(it) => it.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(it) => it.next_back().map(|(k, v)| (k, v)),
            IterRepr::Large(it) => it.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// The entries of a [`Map`] with their values mutable, in key order.
pub struct IterMut<'a>(IterMutRepr<'a>);

enum IterMutRepr<'a> {
    Small(std::slice::IterMut<'a, (String, Value)>),
    Large(btree_map::IterMut<'a, String, Value>),
}

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a String, &'a mut Value);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(it) => it.next().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterMutRepr::Small(it) => it.size_hint(),
            IterMutRepr::Large(it) => it.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(it) => it.next_back().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(it) => it.next_back(),
        }
    }
}

impl ExactSizeIterator for IterMut<'_> {}

/// The entries of a [`Map`] by value, in key order.
pub struct IntoIter(IntoIterRepr);

enum IntoIterRepr {
    Small(std::vec::IntoIter<(String, Value)>),
    Large(btree_map::IntoIter<String, Value>),
}

impl Iterator for IntoIter {
    type Item = (String, Value);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(it) => it.next(),
            IntoIterRepr::Large(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IntoIterRepr::Small(it) => it.size_hint(),
            IntoIterRepr::Large(it) => it.size_hint(),
        }
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(it) => it.next_back(),
            IntoIterRepr::Large(it) => it.next_back(),
        }
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        IntoIter(match self.repr {
            Repr::Small(v) => IntoIterRepr::Small(v.into_iter()),
            Repr::Large(m) => IntoIterRepr::Large(m.into_iter()),
        })
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    /// `Value` has no `PartialEq` (Go's `==` is `eq`'s business): compare printed forms.
    fn same<T: fmt::Debug>(a: T, b: T) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    /// Both representations against a BTreeMap, through inserts, replacements and removals
    /// that cross the small/large boundary.
    #[test]
    fn behaves_as_a_btreemap_across_sizes() {
        let mut ours = Map::new();
        let mut theirs: BTreeMap<String, Value> = BTreeMap::new();
        // A fixed pseudo-random order of keys, some repeated.
        let mut x: u32 = 12345;
        for step in 0..400 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let key = format!("k{}", (x >> 8) % 60);
            if step % 5 == 4 {
                assert!(same(ours.remove(key.as_str()), theirs.remove(key.as_str())));
            } else {
                let v = s(&format!("v{step}"));
                assert!(same(
                    ours.insert(key.clone(), v.clone()),
                    theirs.insert(key, v)
                ));
            }
            assert_eq!(ours.len(), theirs.len());
            assert!(same(
                ours.iter().collect::<Vec<_>>(),
                theirs.iter().collect()
            ));
            assert!(same(
                ours.iter().rev().collect::<Vec<_>>(),
                theirs.iter().rev().collect()
            ));
        }
        for (k, v) in &theirs {
            assert!(same(ours.get(k.as_str()), Some(v)));
        }
        assert!(ours.get("absent").is_none());
        let collected: Map = theirs.clone().into_iter().collect();
        assert!(same(&collected, &ours));
        assert!(same(
            ours.into_iter().collect::<Vec<_>>(),
            theirs.into_iter().collect()
        ));
    }

    #[test]
    fn from_iter_keeps_the_last_of_equal_keys() {
        let m: Map = [
            ("b".to_string(), s("1")),
            ("a".to_string(), s("2")),
            ("b".to_string(), s("3")),
        ]
        .into_iter()
        .collect();
        assert_eq!(m.len(), 2);
        assert!(same(m.get("b"), Some(&s("3"))));
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), ["a", "b"]);
        let big: Map = (0..100)
            .map(|i| (format!("k{}", i % 50), s(&i.to_string())))
            .collect();
        assert_eq!(big.len(), 50);
        assert!(same(big.get("k7"), Some(&s("57"))));
    }

    #[test]
    fn entry_inserts_once_and_changes_in_place() {
        let mut m = Map::new();
        *m.entry("a".into()).or_insert(s("x")) = s("y");
        m.entry("a".into()).or_insert_with(|| s("z"));
        assert!(same(m.get("a"), Some(&s("y"))));
        m.retain(|k, _| k != "a");
        assert!(m.is_empty());
    }
}

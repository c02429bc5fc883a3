//! Small helpers every layer may use; they know nothing of a negotiation: "did you mean"
//! suggestions, id syntax, a display through a closure, the FxHash hasher, a map from dense
//! ids.

use std::collections::HashMap;
use std::fmt;

/// `" (did you mean `x`?)"` for a suggestion, else nothing.
pub(crate) fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// The candidate nearest to `key` by edit distance, within a third of its length (at least 1,
/// but fewer edits than `key` has characters); the first on a tie.
pub(crate) fn nearest<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key: Vec<char> = key.chars().collect();
    let mut best: Option<(usize, &str)> = None;
    let mut row = Vec::new();
    for candidate in candidates {
        // Not every character: a one-letter id is near every other one.
        let limit = best.map_or(
            (key.len() / 3).max(1).min(key.len().saturating_sub(1)),
            |(d, _)| d - 1,
        );
        let len = candidate.chars().count();
        if len.abs_diff(key.len()) > limit {
            continue;
        }
        // Levenshtein distance, one row at a time.
        row.clear();
        row.extend(0..=key.len());
        for (i, c) in candidate.chars().enumerate() {
            let mut diagonal = row[0];
            row[0] = i + 1;
            for (j, &k) in key.iter().enumerate() {
                let substitution = diagonal + usize::from(c != k);
                diagonal = row[j + 1];
                row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
            }
        }
        let distance = row[key.len()];
        if distance <= limit {
            best = Some((distance, candidate));
            if distance <= 1 {
                break;
            }
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Why `id` cannot be an id, if it cannot: ids are not empty and hold no whitespace or
/// control characters (they stand in files, reports and composed ids like `deal.signed.a`).
pub(crate) fn bad_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("an id is not empty")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("an id holds no whitespace or control characters")
    } else if id.starts_with('.') || id.ends_with('.') || id.contains("..") {
        Some("an id has no empty `.`-separated part")
    } else {
        None
    }
}

/// Displays through a closure: the crate's text renderings borrow their data and the
/// negotiation that names it.
pub(crate) struct Rendered<F>(pub(crate) F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Rendered<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// FxHash (Firefox's, rustc's): a fast non-cryptographic hash for the explanation's index of
/// node handles, which are small integers chosen by this crate, not by an adversary.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type BuildFx = std::hash::BuildHasherDefault<Fx>;

/// A map from dense ids (`0..universe`) to dense values (goals, entries): hashed while it
/// holds a small part of the universe, an array indexed by id (no hashing, no probing) once it
/// holds a large part. The switch copies what it holds when that is a sixteenth of the
/// universe, so it costs no more than the insertions before it.
pub(crate) enum IdMap {
    /// The map, and the size of the universe.
    Sparse(HashMap<usize, usize, BuildFx>, usize),
    /// The value of each id, `usize::MAX` for none.
    Dense(Vec<usize>),
}

impl IdMap {
    /// An empty map over ids `0..universe`.
    pub(crate) fn new(universe: usize) -> Self {
        IdMap::Sparse(HashMap::default(), universe)
    }

    /// The value of `id`, if any.
    pub(crate) fn get(&self, id: usize) -> Option<usize> {
        match self {
            IdMap::Sparse(map, _) => map.get(&id).copied(),
            IdMap::Dense(slots) => slots.get(id).copied().filter(|&v| v != usize::MAX),
        }
    }

    /// Maps `id` to `value` (replacing any value it had), turning dense when the map reaches
    /// a sixteenth of the universe.
    pub(crate) fn insert(&mut self, id: usize, value: usize) {
        match self {
            IdMap::Sparse(map, universe) => {
                map.insert(id, value);
                if map.len().saturating_mul(16) >= *universe {
                    let len = map.keys().map(|&i| i + 1).fold(*universe, usize::max);
                    let mut slots = vec![usize::MAX; len];
                    for (&i, &v) in map.iter() {
                        slots[i] = v;
                    }
                    *self = IdMap::Dense(slots);
                }
            }
            IdMap::Dense(slots) => {
                if id >= slots.len() {
                    slots.resize(id + 1, usize::MAX);
                }
                slots[id] = value;
            }
        }
    }
}

/// Values grouped by a key in `0..n`, each key's values a run of one flat array (no vector per
/// key), in the order they were listed: a stable counting sort.
#[derive(Default)]
pub(crate) struct Runs<T> {
    start: Vec<usize>,
    values: Vec<T>,
}

impl<T: Copy> Runs<T> {
    /// From the `(key, value)` pairs `pairs()` lists, each key below `n` (called twice:
    /// counted, then placed, so they need not be stored).
    pub(crate) fn new<I: Iterator<Item = (usize, T)>>(n: usize, pairs: impl Fn() -> I) -> Self {
        let mut start = vec![0usize; n + 1];
        for (key, _) in pairs() {
            start[key + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        // Every slot is overwritten below; the first value only fills them until then.
        let mut values = match pairs().next() {
            Some((_, first)) => vec![first; start[n]],
            None => Vec::new(),
        };
        for (key, value) in pairs() {
            values[next[key]] = value;
            next[key] += 1;
        }
        Runs { start, values }
    }

    /// Where the values of `key` lie in [`into_values`](Self::into_values).
    pub(crate) fn range(&self, key: usize) -> std::ops::Range<usize> {
        self.start[key]..self.start[key + 1]
    }

    /// The values of `key`.
    pub(crate) fn of(&self, key: usize) -> &[T] {
        &self.values[self.range(key)]
    }

    /// The values of `key`, to reorder in place.
    pub(crate) fn of_mut(&mut self, key: usize) -> &mut [T] {
        let range = self.range(key);
        &mut self.values[range]
    }

    /// Every value, key after key.
    pub(crate) fn into_values(self) -> Vec<T> {
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::IdMap;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Values come out grouped by key, each group in the order listed; no pairs, no values.
    #[test]
    fn runs_group_stably() {
        let pairs = [(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        let runs = super::Runs::new(4, || pairs.iter().copied());
        assert_eq!(runs.of(0), ['b', 'd']);
        assert_eq!(runs.range(2), 3..5);
        assert!(runs.of(3).is_empty());
        assert_eq!(runs.into_values(), ['b', 'd', 'e', 'a', 'c']);
        let none = super::Runs::<char>::new(3, std::iter::empty);
        assert!(none.of(1).is_empty());
    }

    proptest! {
        /// The map answers as a hash map does, before and after it turns dense (ids past the
        /// universe included).
        #[test]
        fn id_map_agrees_with_a_hash_map(
            universe in 1usize..200,
            inserts in prop::collection::vec((0usize..220, 0usize..1000), 0..120),
        ) {
            let mut map = IdMap::new(universe);
            let mut oracle: HashMap<usize, usize> = HashMap::new();
            for (id, goal) in inserts {
                map.insert(id, goal);
                oracle.insert(id, goal);
                for probe in 0..230 {
                    prop_assert_eq!(map.get(probe), oracle.get(&probe).copied());
                }
            }
        }
    }
}

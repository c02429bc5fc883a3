//! The index from node keys to node indices, which stores no key of its own.
//!
//! A `HashMap<String, NodeId>` keeps a second copy of every key (an allocation per node) in
//! 32-byte entries. This table keeps, per slot, the node's index and 32 bits of its key's
//! hash in one `u64`, and compares a probed key with the key its node holds: each key is
//! stored once, in the node, and a slot costs 8 bytes. Open addressing with linear probing,
//! at most three quarters full; removal shifts the entries after it back (no tombstones).

/// Node keys → node indices. The caller passes the keys (`key_of(index)`) to every lookup;
/// the table holds only indices and hashes.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyIndex {
    /// Per slot: 0 when empty, else the key's hash in the high 32 bits and the node index
    /// plus one in the low 32 bits. The length is 0 or a power of two.
    slots: Vec<u64>,
    len: usize,
}

/// The table size from which [`KeyIndex::warm`] reads ahead.
const WARM_FROM: usize = 1 << 19;

/// The 32-bit hash of a key: FxHash over 8-byte words, then a final mix so that every byte
/// reaches the low bits that choose the slot.
fn hash(key: &str) -> u32 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = key.len() as u64;
    let mut chunks = key.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 32;
    h as u32
}

fn slot_hash(slot: u64) -> u32 {
    (slot >> 32) as u32
}

fn slot_index(slot: u64) -> usize {
    ((slot & u64::from(u32::MAX)) - 1) as usize
}

impl KeyIndex {
    /// How many keys it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// The index of the node whose key is `key`.
    pub(crate) fn get<'a>(&self, key: &str, key_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.find(hash(key), |n| key_of(n) == key)
            .map(|i| slot_index(self.slots[i]))
    }

    /// Reads what looking up `keys` will read: each key's home slot, then the key of the node
    /// it names; first for all of the keys, then the next step for all. The reads of
    /// different keys do not wait for one another, so when the table and the keys are out
    /// of cache their misses overlap, where lookups one after another take them one at a
    /// time; the lookups that follow then find them cached. Changes nothing.
    pub(crate) fn warm<'k, 'a>(
        &self,
        keys: impl IntoIterator<Item = &'k str>,
        key_of: impl Fn(usize) -> &'a str,
    ) {
        const BATCH: usize = 32;
        // Below 2^19 slots (4 MiB, about 400,000 keys) the table, and mostly the nodes it
        // names, stay in a last-level cache: warming would only hash every key twice.
        if self.slots.len() < WARM_FROM {
            return;
        }
        let mask = self.mask();
        let mut keys = keys.into_iter();
        loop {
            // The hashing first, so that the loop of reads is short enough for the processor
            // to have all of them in flight.
            let mut homes = [0usize; BATCH];
            let mut n = 0;
            for (home, key) in homes.iter_mut().zip(keys.by_ref()) {
                *home = hash(key) as usize & mask;
                n += 1;
            }
            let mut slots = [0u64; BATCH];
            for (slot, &home) in slots.iter_mut().zip(&homes[..n]) {
                *slot = self.slots[home];
            }
            let mut found = [""; BATCH];
            for (f, &slot) in found.iter_mut().zip(&slots[..n]) {
                if slot != 0 {
                    *f = key_of(slot_index(slot));
                }
            }
            let first_bytes = found.iter().fold(0u8, |sum, k| {
                sum.wrapping_add(k.as_bytes().first().copied().unwrap_or(0))
            });
            // Keeps the reads, whose values are not needed.
            std::hint::black_box(first_bytes);
            if n < BATCH {
                return;
            }
        }
    }

    /// The slot of the entry with hash `h` whose node `matches`, probing from its home slot.
    fn find(&self, h: u32, matches: impl Fn(usize) -> bool) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot_hash(slot) == h && matches(slot_index(slot)) {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Makes room for `additional` more keys without growing.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let needed = self.len.saturating_add(additional);
        // At most three quarters full.
        let cap = needed
            .saturating_add(needed / 3)
            .saturating_add(1)
            .next_power_of_two()
            .max(8);
        if cap > self.slots.len() {
            self.rehash(cap);
        }
    }

    #[expect(
        clippy::slow_vector_initialization,
        reason = "the pages are written now on purpose, see below"
    )]
    fn rehash(&mut self, cap: usize) {
        // Zeroed by writing (not `vec![0; cap]`, which maps zero pages lazily): a lookup
        // before the insert that follows would read a fresh page in, and the insert write it
        // again, two page faults where one does.
        let mut slots = Vec::with_capacity(cap);
        slots.resize(cap, 0);
        let old = std::mem::replace(&mut self.slots, slots);
        let mask = self.mask();
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = slot_hash(slot) as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Records that node `index` has key `key`, which no node has yet (the caller checked with
    /// [`get`](Self::get)). `index` is below `u32::MAX`.
    pub(crate) fn insert(&mut self, key: &str, index: usize) {
        self.reserve(1);
        let h = hash(key);
        let mask = self.mask();
        let mut i = h as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (u64::from(h) << 32) | (index as u64 + 1);
        self.len += 1;
    }

    /// Forgets node `index`, whose key is `key`; nothing if it is not there.
    pub(crate) fn remove(&mut self, key: &str, index: usize) {
        let Some(i) = self.find(hash(key), |n| n == index) else {
            return;
        };
        let mask = self.mask();
        self.len -= 1;
        // Backward shift: move back every later entry of the run whose home slot is not in
        // the cyclic range (hole, its position].
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let slot = self.slots[j];
            if slot == 0 {
                break;
            }
            let home = slot_hash(slot) as usize & mask;
            let stays = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !stays {
                self.slots[hole] = slot;
                hole = j;
            }
        }
        self.slots[hole] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::KeyIndex;

    /// Checks the table against the list of keys it should hold.
    fn check(index: &KeyIndex, keys: &[String], absent: &[String]) {
        assert_eq!(index.len(), keys.len());
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.get(k, |j| keys[j].as_str()), Some(i), "{k}");
        }
        for k in absent {
            assert_eq!(index.get(k, |j| keys[j].as_str()), None, "{k}");
        }
    }

    #[test]
    fn inserts_finds_and_removes_newest_first() {
        let mut index = KeyIndex::default();
        let mut keys: Vec<String> = Vec::new();
        assert_eq!(index.get("a", |_| ""), None);
        for i in 0..5_000 {
            let k = format!("t{}.c{i}", i % 7);
            index.insert(&k, keys.len());
            keys.push(k);
        }
        let absent: Vec<String> = (5_000..5_100).map(|i| format!("t0.c{i}")).collect();
        check(&index, &keys, &absent);
        // Warming reads (in batches, in a table large enough for it to) and changes nothing.
        let mut large = KeyIndex::default();
        large.reserve(super::WARM_FROM / 2);
        for (i, k) in keys.iter().enumerate() {
            large.insert(k, i);
        }
        let warmed = std::cell::Cell::new(0);
        large.warm(keys.iter().chain(&absent).map(String::as_str), |j| {
            warmed.set(warmed.get() + 1);
            keys[j].as_str()
        });
        assert!(warmed.get() >= keys.len(), "every key present was read");
        check(&large, &keys, &absent);
        KeyIndex::default().warm(["a"], |_| "");
        // Removing newest first (the undo of added nodes) leaves exactly the older keys.
        for _ in 0..2_500 {
            let k = keys.pop().expect("a key");
            index.remove(&k, keys.len());
            assert_eq!(index.get(&k, |j| keys[j].as_str()), None);
        }
        check(&index, &keys, &absent);
        // And the slots freed are reused.
        for i in 0..100 {
            let k = format!("again{i}");
            index.insert(&k, keys.len());
            keys.push(k);
        }
        check(&index, &keys, &absent);
    }

    #[test]
    fn removal_in_any_order_keeps_the_rest_findable() {
        // A small table, so that runs wrap around its end.
        let mut index = KeyIndex::default();
        let keys: Vec<String> = (0..6).map(|i| format!("k{i}")).collect();
        for (i, k) in keys.iter().enumerate() {
            index.insert(k, i);
        }
        let mut live: Vec<usize> = (0..6).collect();
        for gone in [3, 0, 5, 1] {
            index.remove(&keys[gone], gone);
            live.retain(|&i| i != gone);
            for &i in &live {
                assert_eq!(index.get(&keys[i], |j| keys[j].as_str()), Some(i));
            }
            assert_eq!(index.get(&keys[gone], |j| keys[j].as_str()), None);
        }
        assert_eq!(index.len(), 2);
    }

    #[test]
    fn agrees_with_a_hash_map_under_random_inserts_and_removals() {
        // Few distinct keys in small tables: long runs, wrap-arounds and shifted entries.
        let keys: Vec<String> = (0..40).map(|i| format!("n{i}")).collect();
        let mut state = 7u64;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        for _ in 0..50 {
            let mut index = KeyIndex::default();
            let mut live = std::collections::HashSet::new();
            for _ in 0..200 {
                let k = next(keys.len());
                if live.contains(&k) {
                    index.remove(&keys[k], k);
                    live.remove(&k);
                } else {
                    index.insert(&keys[k], k);
                    live.insert(k);
                }
                for (i, key) in keys.iter().enumerate() {
                    let expected = live.contains(&i).then_some(i);
                    assert_eq!(index.get(key, |j| keys[j].as_str()), expected, "{key}");
                }
            }
            assert_eq!(index.len(), live.len());
        }
    }
}

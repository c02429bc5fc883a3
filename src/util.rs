//! Small helpers every layer may use; they know nothing of a negotiation: "did you mean"
//! suggestions, id syntax, a display through a closure, the FxHash hasher.

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

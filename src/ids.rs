//! Newtype handles for the things a negotiation holds.
//!
//! Users name things with strings (`"armenia"`, `"peace.signed"`); inside a [`Negotiation`]
//! every party, track, topic and node gets a small copyable handle. Handles are only
//! meaningful for the negotiation that issued them (and for copies of it), and each handle
//! carries the stamp of that negotiation: a negotiation given a handle it did not issue says
//! so (`None`, or [`TargetError::ForeignHandle`](crate::TargetError::ForeignHandle)) rather
//! than answer about whatever node has the same index.
//!
//! [`Negotiation`]: crate::Negotiation

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};

/// The stamp of the negotiation that issued a handle. A negotiation takes a fresh one when it
/// is built (by the builder, or by loading a file); its copies ([`Clone`], `what_if`) and the
/// states rebuilt from its history (`state_at`, `replay`, `timeline`) keep it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Owner(NonZeroU32);

/// The next stamp to hand out. Stamps wrap after 2³² − 2 negotiations.
static NEXT_OWNER: AtomicU32 = AtomicU32::new(1);

impl Owner {
    /// The stamp of handles read from JSON answers: they name no negotiation, and any
    /// negotiation accepts them whose range they are in (as before stamps existed).
    pub(crate) const UNOWNED: Owner = Owner(NonZeroU32::MAX);

    /// A stamp no live negotiation is likely to hold (they repeat only after 2³² − 2 builds).
    pub(crate) fn fresh() -> Owner {
        loop {
            let s = NEXT_OWNER.fetch_add(1, Ordering::Relaxed);
            if let Some(s) = NonZeroU32::new(s) {
                if s != NonZeroU32::MAX {
                    return Owner(s);
                }
            }
        }
    }

    /// The stamp as a number: never 0.
    pub(crate) fn get(self) -> u32 {
        self.0.get()
    }

    /// Whether a handle stamped `handle` may be used with the negotiation stamped `self`.
    pub(crate) fn accepts(self, handle: Owner) -> bool {
        self == handle || handle == Owner::UNOWNED
    }
}

impl Default for Owner {
    fn default() -> Self {
        Owner::fresh()
    }
}

/// A handle stamped with the negotiation that issued it.
macro_rules! owned_handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// A handle carries its index and the stamp of the negotiation that issued it.
        /// Equality, order and hashing compare the index only, so answers compare equal across
        /// copies of a negotiation, states rebuilt from its history, and JSON round trips;
        /// whether a handle belongs to a negotiation is checked when it is given to one.
        ///
        /// `Debug` prints the type and the index (`NodeId(3)` for a node, as before stamps),
        /// `Display` the index after `#` (`#3`): for people, the string keys are
        /// better names. In JSON answers (feature `serde`) a handle is its index, a plain
        /// number; a handle read back from JSON names no negotiation, and every negotiation
        /// accepts it if the index is in its range.
        #[derive(Clone, Copy)]
        pub struct $name {
            index: u32,
            owner: crate::ids::Owner,
        }

        impl $name {
            /// The handle as a dense index (`0..count`), for side tables kept by callers.
            pub fn index(self) -> usize {
                self.index as usize
            }

            /// The handle of index `index` issued by `owner`.
            #[allow(dead_code)] // not every handle is made from an index
            pub(crate) fn new(index: usize, owner: crate::ids::Owner) -> Self {
                // Counts are bounded by the builder and by `Negotiation::apply` to `u32::MAX`.
                Self {
                    index: index as u32,
                    owner,
                }
            }

            /// The stamp of the negotiation that issued it.
            #[allow(dead_code)]
            pub(crate) fn owner(self) -> crate::ids::Owner {
                self.owner
            }

            /// Whether it is the same handle as `other`, issued by the same negotiation (or
            /// read from JSON).
            #[allow(dead_code)]
            pub(crate) fn same(self, other: Self) -> bool {
                self.index == other.index
                    && (self.owner == other.owner
                        || self.owner == crate::ids::Owner::UNOWNED
                        || other.owner == crate::ids::Owner::UNOWNED)
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.index == other.index
            }
        }
        impl Eq for $name {}
        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.index.cmp(&other.index)
            }
        }
        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.index.hash(state);
            }
        }
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.index).finish()
            }
        }
        /// `#` and the index (`#3`). Name it with its key for people.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "#{}", self.index)
            }
        }
        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u32(self.index)
            }
        }
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let index = <u32 as serde::Deserialize>::deserialize(d)?;
                Ok(Self {
                    index,
                    owner: crate::ids::Owner::UNOWNED,
                })
            }
        }
    };
}

owned_handle!(
    /// A party of a negotiation (a state, a mediator, an institution).
    PartyId
);
owned_handle!(
    /// A track: one document or negotiating channel.
    TrackId
);
owned_handle!(
    /// A topic on the table, which articles may address.
    TopicId
);
owned_handle!(
    /// A node of the requirement graph: an article, condition, concession, stage, act or any-of group.
    NodeId
);

/// How a question names the node it is about: by its key (`"peace.signed"`) or by its
/// handle. Every function that asks about one node takes `impl Into<Target>`, so both work:
/// `neg.blockers("peace.signed").unwrap()` and `neg.blockers(signed).unwrap()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target<'a> {
    /// A node handle, which must come from the negotiation asked (or a copy of it).
    Node(NodeId),
    /// A node's key: an article, condition or concession id, a stage (`"peace.signed"`) or
    /// an act (`"peace.signed.azerbaijan"`).
    Key(&'a str),
}

impl From<NodeId> for Target<'_> {
    fn from(n: NodeId) -> Self {
        Target::Node(n)
    }
}

impl<'a> From<&'a str> for Target<'a> {
    fn from(key: &'a str) -> Self {
        Target::Key(key)
    }
}

impl<'a> From<&'a String> for Target<'a> {
    fn from(key: &'a String) -> Self {
        Target::Key(key)
    }
}

impl<'a> From<&'a NodeId> for Target<'a> {
    fn from(n: &'a NodeId) -> Self {
        Target::Node(*n)
    }
}

/// A [`Target`] the negotiation asked does not have.
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// No node has this key.
    #[error("unknown node `{key}`{}", .did_you_mean.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownKey {
        /// The key asked for.
        key: String,
        /// The nearest key, if one is near ([`Negotiation::nearest_node_id`](crate::Negotiation::nearest_node_id)).
        did_you_mean: Option<String>,
    },
    /// The handle was issued by another negotiation (not this one, nor a copy of it, nor one
    /// of its earlier states).
    #[error("node handle #{index} belongs to another negotiation")]
    ForeignHandle {
        /// The handle's index.
        index: usize,
    },
    /// The handle names a node this negotiation does not (yet) have: a node added by a later
    /// move, asked of an earlier state, or a handle read from JSON that is out of range.
    #[error("node handle #{index} is out of range: this negotiation has {count} nodes")]
    OutOfRange {
        /// The handle's index.
        index: usize,
        /// How many nodes the negotiation has.
        count: usize,
    },
}

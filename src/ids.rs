//! Newtype handles for the things a negotiation holds.
//!
//! Users name things with strings (`"armenia"`, `"peace.signed"`); inside a [`Negotiation`]
//! every party, track, topic and node gets a small copyable handle. Handles are only
//! meaningful for the negotiation that issued them (and for copies of it).
//!
//! [`Negotiation`]: crate::Negotiation

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// In JSON answers (feature `serde`) a handle is its index, a plain number.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The handle as a dense index (`0..count`), for side tables kept by callers.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            #[allow(dead_code)] // not every handle is made from an index
            pub(crate) fn from_index(index: usize) -> Self {
                // Counts are bounded by the builder and by `Negotiation::apply` to `u32::MAX`.
                Self(index as u32)
            }
        }
    };
}

pub(crate) use handle;

handle!(
    /// A party of a negotiation (a state, a mediator, an institution).
    PartyId
);
handle!(
    /// A track: one document or negotiating channel.
    TrackId
);
handle!(
    /// A topic on the table, which articles may address.
    TopicId
);
handle!(
    /// A node of the requirement graph: an article, condition, concession, stage, act or any-of group.
    NodeId
);

//! Which negotiation a result belongs to. Results hold handles; rendered with a negotiation
//! that did not make them (nor a copy or state of the one that did), they would name
//! whatever nodes it has at the same indices. Each result type lists its handles ([`Owned`],
//! implemented beside the type with [`owned!`]), and the renderers check them first and print
//! one line instead ([`foreign`]). Low in the layers: it knows handles and the model; a
//! negotiation answers it through [`Handles`], implemented in `state.rs`.

use std::fmt;

use crate::ids::{NodeId, PartyId, TopicId, TrackId};
use crate::model::{Basis, Requirement};

/// What a negotiation says about handles: whether each is one of its own (issued by it, a
/// copy or a state of it, or read from JSON, and in its range).
pub(crate) trait Handles {
    fn has_node(&self, n: NodeId) -> bool;
    fn has_party(&self, p: PartyId) -> bool;
    fn has_track(&self, t: TrackId) -> bool;
    fn has_topic(&self, t: TopicId) -> bool;
}

/// A value whose handles may or may not belong to a negotiation.
pub(crate) trait Owned {
    /// Whether every handle it holds belongs to `neg`: issued by it (or a copy, a state of
    /// it, or read from JSON) and in its range.
    fn belongs_to(&self, neg: &dyn Handles) -> bool;
}

/// What a result rendered with a negotiation that did not make it shows: one line, instead of
/// the names of whatever nodes the other negotiation has at the same indices.
pub(crate) fn foreign(f: &mut fmt::Formatter<'_>, what: &str) -> fmt::Result {
    writeln!(f, "{}", foreign_note(what))
}

/// The note [`foreign`] writes, without the line's end.
pub(crate) fn foreign_note(what: &str) -> String {
    format!(
        "(this {what} belongs to another negotiation: render it with the negotiation that made it)"
    )
}

impl Owned for NodeId {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        neg.has_node(*self)
    }
}
impl Owned for PartyId {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        neg.has_party(*self)
    }
}
impl Owned for TrackId {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        neg.has_track(*self)
    }
}
impl Owned for TopicId {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        neg.has_topic(*self)
    }
}
impl<T: Owned> Owned for [T] {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        self.iter().all(|x| x.belongs_to(neg))
    }
}
impl<T: Owned> Owned for Vec<T> {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        self.as_slice().belongs_to(neg)
    }
}
impl<T: Owned> Owned for Option<T> {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        self.as_ref().is_none_or(|x| x.belongs_to(neg))
    }
}
impl<A: Owned, B: Owned> Owned for (A, B) {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        self.0.belongs_to(neg) && self.1.belongs_to(neg)
    }
}
impl<A: Owned, B: Owned, C> Owned for (A, B, C) {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        self.0.belongs_to(neg) && self.1.belongs_to(neg)
    }
}
impl Owned for u64 {
    fn belongs_to(&self, _: &dyn Handles) -> bool {
        true
    }
}

/// `Owned` for a struct: every listed field belongs.
#[allow(unused_macros)]
macro_rules! owned {
    ($($ty:ty { $($field:ident),* })*) => {
        $(impl crate::foreign::Owned for $ty {
            fn belongs_to(&self, neg: &dyn crate::foreign::Handles) -> bool {
                true $(&& crate::foreign::Owned::belongs_to(&self.$field, neg))*
            }
        })*
    };
}

pub(crate) use owned;

owned! {
    Requirement { target, by }
}

impl Owned for Basis {
    fn belongs_to(&self, neg: &dyn Handles) -> bool {
        match self {
            Basis::Precondition(p) => p.belongs_to(neg),
            Basis::Procedure | Basis::Structure => true,
        }
    }
}

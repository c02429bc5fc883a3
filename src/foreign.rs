//! Which negotiation a result belongs to. Results hold handles; rendered with a negotiation
//! that did not make them (nor a copy or state of the one that did), they would name
//! whatever nodes it has at the same indices. Each result type lists its handles here, and
//! the renderers check them first and print one line instead ([`foreign`]).

use std::fmt;

use crate::analysis::{
    CycleEdge, Deadlock, Landmarks, Leverage, Obstacle, PartyLeverage, Plan, PlannedMove,
    Unblocking, UnblockingSet,
};
use crate::history::{Goalpost, PartyTimeline, Timeline, TimelineEntry};
use crate::ids::{NodeId, PartyId, TopicId, TrackId};
use crate::model::{Basis, Requirement};
use crate::moves::{ConcessionKind, PartDone, PositionChange, StatusChange, Transition};
use crate::schedule::{Deadlines, DueItem, Earliest, LongStopStatus, NotRunning, PathStep};
use crate::state::Negotiation;

/// A value whose handles may or may not belong to a negotiation.
pub(crate) trait Owned {
    /// Whether every handle it holds belongs to `neg`: issued by it (or a copy, a state of
    /// it, or read from JSON) and in its range.
    fn belongs_to(&self, neg: &Negotiation) -> bool;
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
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        neg.has_node(*self)
    }
}
impl Owned for PartyId {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        neg.has_party(*self)
    }
}
impl Owned for TrackId {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        neg.has_track(*self)
    }
}
impl Owned for TopicId {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        neg.has_topic(*self)
    }
}
impl<T: Owned> Owned for [T] {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        self.iter().all(|x| x.belongs_to(neg))
    }
}
impl<T: Owned> Owned for Vec<T> {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        self.as_slice().belongs_to(neg)
    }
}
impl<T: Owned> Owned for Option<T> {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        self.as_ref().is_none_or(|x| x.belongs_to(neg))
    }
}
impl<A: Owned, B: Owned> Owned for (A, B) {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        self.0.belongs_to(neg) && self.1.belongs_to(neg)
    }
}
impl<A: Owned, B: Owned, C> Owned for (A, B, C) {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        self.0.belongs_to(neg) && self.1.belongs_to(neg)
    }
}
impl Owned for u64 {
    fn belongs_to(&self, _: &Negotiation) -> bool {
        true
    }
}

/// `Owned` for a struct: every listed field belongs.
macro_rules! owned {
    ($($ty:ty { $($field:ident),* })*) => {
        $(impl Owned for $ty {
            fn belongs_to(&self, neg: &Negotiation) -> bool {
                true $(&& self.$field.belongs_to(neg))*
            }
        })*
    };
}

owned! {
    Deadlock { nodes, parties, edges }
    CycleEdge { from, to, basis, droppable_by }
    PlannedMove { node, actor }
    Plan { target, moves }
    UnblockingSet { moves, burden }
    Unblocking { target, sets }
    Landmarks { target, nodes, parties }
    PartyLeverage { party, holds_up, preconditions, waits_on }
    Leverage { parties, pairs }
    Timeline { parties }
    PartyTimeline { party, concessions, demands }
    TimelineEntry { node, stage, attached_to, concession, goalpost }
    Requirement { target, by }
    StatusChange { node }
    PartDone { condition, party }
    PositionChange { article, party }
    Transition { status_changes, position_changes, parts_done, added, requirements_added,
        requirements_removed, newly_blocked, newly_unblocked, reached, reopened, concession,
        deadlocks }
    Earliest { target, critical_path, deadlocks, nobody_can_satisfy, open_ended }
    PathStep { node }
    Deadlines { overdue, coming_due, not_running, met_late, long_stops }
    DueItem { node, must_act }
    NotRunning { node, after }
    LongStopStatus { track, earliest }
}

impl Owned for Basis {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        match self {
            Basis::Precondition(p) => p.belongs_to(neg),
            Basis::Procedure | Basis::Structure => true,
        }
    }
}

impl Owned for Obstacle {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        match self {
            Obstacle::Deadlock(d) => d.belongs_to(neg),
            Obstacle::NoOneCanSatisfy { node } => node.belongs_to(neg),
        }
    }
}

impl Owned for Goalpost {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        match self {
            Goalpost::AfterFinalized { finalized } => finalized.belongs_to(neg),
            Goalpost::AfterReadiness { party } => party.belongs_to(neg),
        }
    }
}

impl Owned for ConcessionKind {
    fn belongs_to(&self, neg: &Negotiation) -> bool {
        crate::history::concession_subject(*self).belongs_to(neg)
    }
}

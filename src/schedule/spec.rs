//! What a schedule is made of: due dates, durations and long-stop dates as declared
//! (`ScheduleSpec`, `DueSpec`, `Takes`, `LongStopSpec`) and as resolved (`Due`, `LongStop`, the
//! per-node `Timing`).

use std::collections::HashMap;
use std::fmt;

use crate::ids::NodeId;
use crate::model::StageKind;
use crate::time::{Date, Span};
use crate::util::BuildFx;

/// When a node is due, as declared ([`ScheduleSpec::due`]).
///
/// In files: a date (`"2026-12-01"`, due by the end of that day, month or year) or
/// `{"within": "10 days", "after": "spa.signed"}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DueSpec {
    /// Due by the end of this date.
    By(Date),
    /// Due within `span` after `after` becomes satisfied.
    Within {
        /// How long after.
        span: Span,
        /// The node (an id) whose satisfaction starts the clock.
        after: String,
    },
}

/// How long a condition or an act takes once it can start (its requirements are met): at least
/// `min`, and at most `max` if known. In files `{"min": "2 months", "max": "3 months"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct Takes {
    /// The shortest time it takes.
    pub min: Span,
    /// The longest time it takes, if known.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub max: Option<Span>,
}

impl Takes {
    /// Takes at least `min`, with no known maximum.
    pub fn at_least(min: Span) -> Takes {
        Takes { min, max: None }
    }

    /// Takes between `min` and `max`.
    pub fn between(min: Span, max: Span) -> Takes {
        Takes {
            min,
            max: Some(max),
        }
    }
}

impl fmt::Display for Takes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) => write!(f, "takes {} to {max}", self.min),
            None => write!(f, "takes at least {}", self.min),
        }
    }
}

/// A node's timing, declared in the model's `schedule`: a due date, a duration, or both.
/// Due dates go on conditions, acts and stages; durations on conditions and acts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct ScheduleSpec {
    /// The node's id.
    pub node: String,
    /// When it is due.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub due: Option<DueSpec>,
    /// How long it takes.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub takes: Option<Takes>,
}

impl ScheduleSpec {
    /// No timing yet for `node` (an id); add it with [`due`](Self::due) and
    /// [`takes`](Self::takes).
    pub fn new(node: impl Into<String>) -> ScheduleSpec {
        ScheduleSpec {
            node: node.into(),
            due: None,
            takes: None,
        }
    }

    /// When the node is due.
    pub fn due(mut self, due: DueSpec) -> ScheduleSpec {
        self.due = Some(due);
        self
    }

    /// How long the node takes.
    pub fn takes(mut self, takes: Takes) -> ScheduleSpec {
        self.takes = Some(takes);
        self
    }
}

/// A track's long-stop date: the stage must be reached by then. By default a missed long-stop
/// is reported, not enforced; with `lapses`, the track lapses once the dates recorded have
/// certainly passed it with the stage unreached: its acts of that stage or a later one are
/// blocked ([`Reason::Lapsed`](crate::Reason::Lapsed)) and no move may perform them, dated or
/// not, until the long-stop is extended ([`Move::extend`](crate::Move::extend)). In files `{"stage": "closing", "date":
/// "2026-12-31", "lapses": true}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct LongStopSpec {
    /// The stage of the track to reach.
    pub stage: StageKind,
    /// By when.
    pub date: Date,
    /// Whether the track lapses when the date passes with the stage unreached.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub lapses: bool,
}

impl LongStopSpec {
    /// `stage` must be reached by `date`; with `lapses`, the track lapses if it is not.
    pub fn new(stage: StageKind, date: Date, lapses: bool) -> LongStopSpec {
        LongStopSpec {
            stage,
            date,
            lapses,
        }
    }
}

/// When a node is due, resolved; see [`Negotiation::due`](crate::Negotiation::due).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Due {
    /// By the end of this date.
    By(Date),
    /// Within `span` after `after` becomes satisfied.
    Within {
        /// How long after.
        span: Span,
        /// The node whose satisfaction starts the clock.
        after: NodeId,
    },
}

/// A node's declared timing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Timing {
    pub(crate) due: Option<Due>,
    pub(crate) takes: Option<Takes>,
}

/// The schedule of a negotiation: per node, its timing. Hashed for the lookups of the
/// earliest-date passes; [`Negotiation::deadlines`] sorts what it lists.
pub(crate) type Schedule = HashMap<NodeId, Timing, BuildFx>;

//! Time on the requirement graph: due dates, durations and long-stop dates, and the questions
//! they answer — what is overdue or coming due on a date, which deadlines are not yet running,
//! and the earliest (and latest) date a node can be satisfied, with its critical path.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt::{self, Write as _};

use crate::analysis::Deadlock;
use crate::build::BuildError;
use crate::explain::{actors_of, party_list, BuildFx, Rendered};
use crate::foreign::{foreign, Owned};
use crate::ids::{NodeId, PartyId, Target, TargetError, TrackId};
use crate::model::{NodeData, StageKind};
use crate::state::Negotiation;
use crate::time::{Date, Span};

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

/// When a node is due, resolved; see [`Negotiation::due`].
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

/// A track's long-stop date, resolved; see [`Track::long_stop`](crate::Track::long_stop).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LongStop {
    /// The stage to reach.
    pub stage: NodeId,
    /// By when.
    pub date: Date,
    /// Whether the track lapses when the date passes with the stage unreached.
    pub lapses: bool,
}

/// A node's declared timing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Timing {
    pub(crate) due: Option<Due>,
    pub(crate) takes: Option<Takes>,
}

// ----- declaration ---------------------------------------------------------------------------

impl Negotiation {
    /// Checks one schedule entry against the negotiation and records it.
    pub(crate) fn declare_schedule(
        &mut self,
        at: &str,
        s: &ScheduleSpec,
    ) -> Result<(), BuildError> {
        let node = self
            .node_id(&s.node)
            .ok_or_else(|| self.dangling(format!("{at}.node"), "node", &s.node))?;
        let refuse = |field: &str, reason: String| BuildError::Schedule {
            path: format!("{at}.{field}"),
            node: s.node.clone(),
            reason,
        };
        let data = &self.nodes[node.index()].data;
        let kind = data.kind();
        let timing = self.schedule.entry(node).or_default();
        if let Some(due) = &s.due {
            if !matches!(
                data,
                NodeData::Condition(_) | NodeData::Act(_) | NodeData::Stage(_)
            ) {
                return Err(refuse(
                    "due",
                    format!(
                        "it is {}; due dates go on conditions, acts and stages",
                        kind.with_article()
                    ),
                ));
            }
            if timing.due.is_some() {
                return Err(refuse("due", "it already has a due date".to_owned()));
            }
            timing.due = Some(match due {
                DueSpec::By(date) => Due::By(*date),
                DueSpec::Within { span, after } => {
                    // `timing` holds the schedule: the suggestion reads the nodes alone.
                    let anchor = self.node_index.get(after).copied().ok_or_else(|| {
                        BuildError::DanglingReference {
                            path: format!("{at}.due.after"),
                            expected: "node",
                            id: after.clone(),
                            suggestion: crate::state::nearest(
                                after,
                                self.nodes.iter().map(|n| n.key.as_str()),
                            )
                            .map(str::to_owned),
                        }
                    })?;
                    if anchor == node {
                        return Err(refuse(
                            "due.after",
                            "a deadline cannot run from the node's own satisfaction".to_owned(),
                        ));
                    }
                    Due::Within {
                        span: *span,
                        after: anchor,
                    }
                }
            });
        }
        if let Some(takes) = s.takes {
            if !matches!(data, NodeData::Condition(_) | NodeData::Act(_)) {
                return Err(refuse(
                    "takes",
                    format!(
                        "it is {}; durations go on conditions and acts",
                        kind.with_article()
                    ),
                ));
            }
            if timing.takes.is_some() {
                return Err(refuse("takes", "it already has a duration".to_owned()));
            }
            if let Some(max) = takes.max {
                if let Some(start) = max.shorter_than(takes.min) {
                    return Err(refuse(
                        "takes.max",
                        format!(
                            "its maximum ({max}) is shorter than its minimum ({}) from {start}",
                            takes.min
                        ),
                    ));
                }
            }
            timing.takes = Some(takes);
        }
        Ok(())
    }

    /// Resolves a track's long-stop against its declared stages.
    pub(crate) fn resolve_long_stop(
        &self,
        at: &str,
        track: TrackId,
        spec: &LongStopSpec,
    ) -> Result<LongStop, BuildError> {
        let stage =
            self.stage(track, &spec.stage)
                .ok_or_else(|| BuildError::DanglingReference {
                    path: format!("{at}.long_stop.stage"),
                    expected: "stage of the track",
                    id: spec.stage.to_string(),
                    suggestion: None,
                })?;
        Ok(LongStop {
            stage,
            date: spec.date,
            lapses: spec.lapses,
        })
    }

    /// When `node` is due, if declared (`None` for a handle of another negotiation).
    pub fn due(&self, node: NodeId) -> Option<Due> {
        if !self.has_node(node) {
            return None;
        }
        self.schedule.get(&node).and_then(|t| t.due)
    }

    /// How long `node` takes, if declared (`None` for a handle of another negotiation).
    pub fn takes(&self, node: NodeId) -> Option<Takes> {
        if !self.has_node(node) {
            return None;
        }
        self.schedule.get(&node).and_then(|t| t.takes)
    }

    /// The date a deadline falls on, if it is running: an absolute date, or the span after the
    /// date its anchor was satisfied (counted from the end of that date's period).
    pub fn due_date(&self, due: Due) -> DueDate {
        match due {
            Due::By(date) => DueDate::On(date),
            Due::Within { after, .. } if !self.satisfied(after) => DueDate::NotRunning,
            Due::Within { span, after } => match self.satisfied_since(after) {
                None => DueDate::Undated,
                Some(anchor) => match anchor.end_plus(span) {
                    Ok(date) => DueDate::On(date),
                    Err(_) => DueDate::Undated,
                },
            },
        }
    }
}

/// The date a deadline falls on; see [`Negotiation::due_date`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DueDate {
    /// It falls on this date.
    On(Date),
    /// Its anchor is not satisfied: the clock has not started.
    NotRunning,
    /// Its anchor was satisfied by an undated move (or the date falls past 9999): unknown.
    Undated,
}

// ----- deadlines on a date -------------------------------------------------------------------

/// What is due around a date; see [`Negotiation::deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Deadlines {
    /// The date asked about.
    pub on: Date,
    /// How far ahead "coming due" looks.
    pub window: Span,
    /// Unsatisfied nodes whose due date has passed, oldest first.
    pub overdue: Vec<DueItem>,
    /// Unsatisfied nodes due on the date or within the window after it, soonest first.
    pub coming_due: Vec<DueItem>,
    /// Relative deadlines whose anchor is not satisfied, or was satisfied on no recorded date.
    pub not_running: Vec<NotRunning>,
    /// Satisfied nodes that were met after their due date (`days`: how late), oldest due
    /// first.
    pub met_late: Vec<DueItem>,
    /// Every track's long-stop date and where it stands.
    pub long_stops: Vec<LongStopStatus>,
}

/// An unsatisfied node with a due date; see [`Deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DueItem {
    /// The node.
    pub node: NodeId,
    /// The date it is due.
    pub due: Date,
    /// The declared deadline.
    pub rule: Due,
    /// Overdue: whole days since the due date; coming due: whole days left.
    pub days: i32,
    /// Who must act on it (its obligors, the performer of an act, a stage's pending
    /// performers).
    pub must_act: Vec<PartyId>,
    /// Whether it is blocked: something it requires must happen first
    /// ([`Negotiation::blockers`] says what).
    pub blocked: bool,
}

/// A relative deadline not yet running; see [`Deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NotRunning {
    /// The node.
    pub node: NodeId,
    /// How long after its anchor it is due.
    pub span: Span,
    /// The anchor.
    pub after: NodeId,
    /// The anchor is satisfied, but on no recorded date (an undated move, or satisfied as
    /// declared; or the due date falls past 9999): the due date is unknown.
    pub undated: bool,
}

/// A long-stop date and where the track stands against it; see [`Deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LongStopStatus {
    /// The track.
    pub track: TrackId,
    /// Its long-stop.
    pub long_stop: LongStop,
    /// Where it stands on the date asked about.
    pub outlook: Outlook,
    /// For a stage not reached and a date not passed: when it can be reached at the earliest.
    pub earliest: Option<Earliest>,
}

/// Where a track stands against its long-stop date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Outlook {
    /// The stage is reached: on a date (`in_time` says whether by the long-stop) or undated.
    Reached {
        /// When, if the move was dated.
        on: Option<Date>,
    },
    /// The date has passed with the stage unreached (the track has lapsed if it `lapses`).
    Passed {
        /// Whole days since the long-stop date.
        days: i32,
    },
    /// Even at the latest (every duration at its maximum), the stage is reached in time.
    Clear,
    /// It can be reached in time, but not surely: the latest date is after the long-stop, or
    /// unknown (a duration on the way has no maximum).
    AtRisk,
    /// Even at the earliest, the stage is reached after the long-stop.
    Late,
    /// The stage can never be reached as things stand (a deadlock, or a node nobody can
    /// satisfy).
    Never,
}

impl Negotiation {
    /// What is due around `on`: unsatisfied nodes overdue (with how long, who must act, and
    /// whether they are blocked), those coming due within `window`, relative deadlines not
    /// yet running, nodes met after their due date, and each long-stop date with the earliest
    /// date its stage can be reached.
    /// A deadline never blocks anything by itself: this is information.
    ///
    /// Read on the negotiation as it is; for the state on a past date, ask
    /// [`state_on`](Self::state_on) first.
    ///
    /// # Complexity
    ///
    /// Linear in the number of scheduled nodes, plus an [`earliest`](Self::earliest) per
    /// long-stop date not yet reached.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, DueSpec, Move, Negotiation, Role, ScheduleSpec, Span};
    ///
    /// let d = |s: &str| s.parse::<negotiation::Date>().unwrap();
    /// let mut neg = Negotiation::builder()
    ///     .party("buyer", "Buyer", Role::Principal)
    ///     .condition(ConditionSpec::new("filing", "Merger filed").owed_by(["buyer"]))
    ///     .condition(ConditionSpec::new("clearance", "Merger cleared").owed_by(["buyer"]))
    ///     .due("filing", DueSpec::By(d("2026-03-01")))
    ///     .due("clearance", DueSpec::Within { span: Span::days(90), after: "filing".into() })
    ///     .build()?;
    /// let on = neg.deadlines(d("2026-03-10"), Span::days(30));
    /// assert_eq!(neg.key(on.overdue[0].node).unwrap(), "filing");
    /// assert_eq!(on.overdue[0].days, 9);
    /// assert_eq!(neg.key(on.not_running[0].node).unwrap(), "clearance");
    ///
    /// neg.apply(&Move::fulfil("buyer", "filing").on(d("2026-03-12")))?;
    /// let on = neg.deadlines(d("2026-05-20"), Span::days(30));
    /// assert_eq!(on.coming_due[0].due, d("2026-06-10"));
    /// assert_eq!(on.coming_due[0].days, 21);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadlines(&self, on: Date, window: Span) -> Deadlines {
        let horizon = on.last_day().checked_add(window).ok();
        let mut out = Deadlines {
            on,
            window,
            overdue: Vec::new(),
            coming_due: Vec::new(),
            not_running: Vec::new(),
            met_late: Vec::new(),
            long_stops: Vec::new(),
        };
        let mut scheduled: Vec<(NodeId, Due)> = self
            .schedule
            .iter()
            .filter_map(|(&n, t)| Some((n, t.due?)))
            .collect();
        scheduled.sort_unstable_by_key(|&(n, _)| n);
        for (node, rule) in scheduled {
            let item = |due: Date, days: i32| DueItem {
                node,
                due,
                rule,
                days,
                must_act: self.must_act(node),
                blocked: self.blocked(node),
            };
            if self.satisfied(node) {
                if let (DueDate::On(due), Some(met)) =
                    (self.due_date(rule), self.satisfied_since(node))
                {
                    if due.is_before(met) {
                        out.met_late.push(item(due, met.days_after(due)));
                    }
                }
                continue;
            }
            match (self.due_date(rule), rule) {
                (DueDate::On(due), _) if due.is_before(on) => {
                    out.overdue.push(item(due, on.days_after(due)));
                }
                (DueDate::On(due), _) => {
                    if horizon.is_none_or(|h| due.last_day() <= h) {
                        let left = due.last_day().days_after(on.first_day());
                        out.coming_due.push(item(due, left));
                    }
                }
                (state, Due::Within { span, after }) => out.not_running.push(NotRunning {
                    node,
                    span,
                    after,
                    undated: state == DueDate::Undated,
                }),
                (_, Due::By(_)) => {}
            }
        }
        out.overdue.sort_by_key(|i| (i.due.last_day(), i.node));
        out.coming_due.sort_by_key(|i| (i.due.last_day(), i.node));
        out.met_late.sort_by_key(|i| (i.due.last_day(), i.node));
        for (t, track) in self.tracks.iter().enumerate() {
            let Some(long_stop) = track.long_stop else {
                continue;
            };
            out.long_stops
                .push(self.long_stop_status(self.track_handle(t), long_stop, on));
        }
        out
    }

    fn long_stop_status(&self, track: TrackId, long_stop: LongStop, on: Date) -> LongStopStatus {
        let mut status = LongStopStatus {
            track,
            long_stop,
            outlook: Outlook::Clear,
            earliest: None,
        };
        if self.satisfied(long_stop.stage) {
            status.outlook = Outlook::Reached {
                on: self.satisfied_since(long_stop.stage),
            };
            return status;
        }
        if long_stop.date.is_before(on) {
            status.outlook = Outlook::Passed {
                days: on.days_after(long_stop.date),
            };
            return status;
        }
        let earliest = self.earliest_of(long_stop.stage, on);
        let end = long_stop.date.last_day();
        status.outlook = match (earliest.earliest, earliest.latest) {
            (None, _) => Outlook::Never,
            (Some(e), _) if e.first_day() > end => Outlook::Late,
            (Some(_), Some(l)) if l.last_day() <= end => Outlook::Clear,
            _ => Outlook::AtRisk,
        };
        status.earliest = Some(earliest);
        status
    }

    /// Who must act on an unsatisfied node: its obligors, an act's performer, a concession's
    /// party, an article's principals who have not accepted it, a stage's pending performers.
    fn must_act(&self, node: NodeId) -> Vec<PartyId> {
        match &self.nodes[node.index()].data {
            NodeData::Stage(s) => s
                .acts
                .iter()
                .filter(|&&(_, a)| !self.satisfied(a))
                .map(|&(p, _)| p)
                .collect(),
            _ => actors_of(self, node),
        }
    }
}

// ----- earliest date -------------------------------------------------------------------------

/// The earliest (and latest) date a node can be satisfied, with its critical path; see
/// [`Negotiation::earliest`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Earliest {
    /// The node asked about.
    pub target: NodeId,
    /// The date counted from.
    pub from: Date,
    /// The earliest date; `None`: never, as things stand (see `deadlocks` and
    /// `nobody_can_satisfy`). For a satisfied target, the date it was satisfied (`None` if
    /// undated).
    pub earliest: Option<Date>,
    /// The latest date if every duration on the way takes its maximum; `None` if a duration
    /// that matters has no maximum, or never.
    pub latest: Option<Date>,
    /// The chain of requirements that sets the earliest date, from the target down: each step
    /// is the requirement that is met last.
    pub critical_path: Vec<PathStep>,
    /// When never: the deadlocks below the target.
    pub deadlocks: Vec<Deadlock>,
    /// When never: the nodes below the target that no party can satisfy (a condition owed
    /// by nobody, an act of a lapsed track), sorted.
    pub nobody_can_satisfy: Vec<NodeId>,
    /// When the latest date is unknown: the nodes it waits on whose duration has no maximum,
    /// sorted.
    pub open_ended: Vec<NodeId>,
}

/// One step of a critical path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PathStep {
    /// The node.
    pub node: NodeId,
    /// Its earliest date (for a satisfied node, the date it was satisfied).
    pub date: Date,
    /// Whether it is already satisfied (the anchor the path starts from).
    pub satisfied: bool,
    /// Its declared duration.
    pub takes: Option<Takes>,
}

/// A requirement of a region's slot: its node, weight, and slot (`NONE` for a satisfied
/// requirement, outside the region).
#[derive(Clone, Copy)]
struct Req {
    node: NodeId,
    weight: u32,
    slot: u32,
}

const NONE: u32 = u32::MAX;

/// An entry of the date-ordered queue: (date, node, slot to notify or `NONE`, weight or slot).
type Pending = (Option<Date>, NodeId, u32, u32);

/// Which bound a dating pass computes. Dates are days: a coarse date counts from its first
/// day for the earliest bound and from its last day for the latest (`2025-03` + 10 days is
/// 2025-03-11 at the earliest and 2025-04-10 at the latest).
#[derive(Clone, Copy)]
enum Pass {
    /// Minimum durations, first days.
    Earliest,
    /// Maximum durations (a node without one is never dated), last days.
    Latest,
}

impl Pass {
    fn day(self, d: Date) -> Date {
        match self {
            Pass::Earliest => d.first_day(),
            Pass::Latest => d.last_day(),
        }
    }

    fn span(self, t: Takes) -> Option<Span> {
        match self {
            Pass::Earliest => Some(t.min),
            Pass::Latest => t.max,
        }
    }
}

/// A node's place in the earliest-date computation.
struct Slot {
    node: NodeId,
    /// Whether it is a requirement group (its alternatives count by weight).
    group: bool,
    /// Its declared duration.
    takes: Option<Takes>,
    /// An act whose track lapses before the date it could be performed on.
    lapses: bool,
    /// What it needs: all its requirements (their count), or a group's threshold.
    need: u32,
    /// Its requirements: `reqs[start..start + len]` of the region.
    start: u32,
    len: u32,
    got: u32,
    /// The latest date among the requirements met so far (pops come in date order).
    ready: Option<Date>,
    /// The requirement whose date completed what it needs.
    via: Option<NodeId>,
    date: Option<Date>,
    done: bool,
}

impl Negotiation {
    /// The earliest date `target` can be satisfied, counting from `from` (today), if every
    /// party acts as soon as it can, and the latest if every declared duration takes its
    /// maximum; with the critical path that sets it.
    ///
    /// A node can be satisfied once its requirements are: all of them, the first of an any-of
    /// group's alternatives, the k-th for a threshold (the smallest set of alternatives
    /// reaching a weight). A node then takes its declared duration ([`Takes`]), counted from the
    /// date its last requirement was met — a date known from the history when that was a dated
    /// move, otherwise `from` — and never ends before `from`. Nodes without a duration take no
    /// time. A deadlock (or a condition owed by nobody) below the target means never: the
    /// answer names them. Deadlines do not enter: they are information, not constraints.
    ///
    /// # Complexity
    ///
    /// Linear in the unsatisfied part of the graph below the target (its nodes and their
    /// requirements), times the logarithm of its size for the date-ordered queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, Negotiation, Role, Span, StageKind, Takes, TrackSpec};
    ///
    /// let d = |s: &str| s.parse::<negotiation::Date>().unwrap();
    /// let mut neg = Negotiation::builder()
    ///     .party("gov", "Government", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["gov"]).stage(StageKind::Ratified))
    ///     .condition(ConditionSpec::new("call", "Referendum called").owed_by(["gov"]))
    ///     .condition(ConditionSpec::new("referendum", "Referendum held").owed_by(["gov"]))
    ///     .requires("referendum", "call")
    ///     .takes("referendum", Takes::between(Span::months(2), Span::months(3)))
    ///     .precondition("gov", "deal.ratified", "referendum")
    ///     .build()?;
    /// neg.apply(&Move::fulfil("gov", "call").on(d("2026-03-01")))?;
    /// let ratified = neg.node_id("deal.ratified").unwrap();
    /// let e = neg.earliest(ratified, d("2026-03-15")).unwrap();
    /// assert_eq!(e.earliest, Some(d("2026-05-01")));
    /// assert_eq!(e.latest, Some(d("2026-06-01")));
    /// let path: Vec<&str> = e.critical_path.iter().map(|s| neg.key(s.node).unwrap()).collect();
    /// assert_eq!(path, ["deal.ratified", "deal.ratified.gov", "referendum", "call"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn earliest<'a>(
        &self,
        target: impl Into<Target<'a>>,
        from: Date,
    ) -> Result<Earliest, TargetError> {
        Ok(self.earliest_of(self.resolve_target(target)?, from))
    }

    /// [`earliest`](Self::earliest) of a node of this negotiation.
    pub(crate) fn earliest_of(&self, target: NodeId, from: Date) -> Earliest {
        let mut out = Earliest {
            target,
            from,
            earliest: None,
            latest: None,
            critical_path: Vec::new(),
            deadlocks: Vec::new(),
            nobody_can_satisfy: Vec::new(),
            open_ended: Vec::new(),
        };
        if target.index() >= self.nodes.len() {
            return out;
        }
        if self.satisfied(target) {
            out.earliest = self.satisfied_since(target);
            out.latest = out.earliest;
            return out;
        }
        let (mut slots, index, reqs) = self.region(target);
        // Without a cycle, one topological order serves both passes; with one, dates are
        // settled in date order.
        let order = Self::topological(&slots, &reqs);
        let settle = |slots: &mut [Slot], pass| match &order {
            Some(order) => self.date_in_order(slots, &reqs, order, from, pass),
            None => self.settle_dates(slots, &reqs, from, pass),
        };
        settle(&mut slots, Pass::Earliest);
        let t = 0; // the target's slot
        if slots[t].done {
            out.earliest = slots[t].date;
            out.critical_path = self.critical_path(&slots, &index, t);
            settle(&mut slots, Pass::Latest);
            out.latest = slots[t].date.filter(|_| slots[t].done);
            if out.latest.is_none() {
                out.open_ended = self.open_ended(&slots, &index, t);
            }
        } else {
            out.deadlocks = self.explain(target).deadlocks().to_vec();
            out.nobody_can_satisfy = slots
                .iter()
                .filter(|s| s.lapses || self.nobody_can(s.node))
                .map(|s| s.node)
                .collect();
            out.nobody_can_satisfy.sort_unstable();
        }
        out
    }

    /// After the latest-date pass: the nodes with no maximum duration that slot `t` waits on
    /// (ready, but undated for want of a maximum), found through the undated slots below it.
    fn open_ended(
        &self,
        slots: &[Slot],
        index: &HashMap<NodeId, usize, BuildFx>,
        t: usize,
    ) -> Vec<NodeId> {
        let mut seen = vec![false; slots.len()];
        let mut stack = vec![t];
        seen[t] = true;
        let mut out = Vec::new();
        while let Some(i) = stack.pop() {
            let s = &slots[i];
            if s.got >= s.need {
                // Ready but undated: its own duration has no maximum (or nobody can satisfy
                // it, or its date falls past 9999: not open-ended, left out).
                if s.takes.is_some_and(|t| t.max.is_none()) && !self.nobody_can(s.node) {
                    out.push(s.node);
                }
                continue;
            }
            for r in self.graph.requirements(s.node) {
                if let Some(&j) = index.get(&r.target) {
                    if !slots[j].done && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether no party can satisfy `node` by its own move: a condition owed by nobody, an act
    /// of a lapsed track.
    fn nobody_can(&self, node: NodeId) -> bool {
        match &self.nodes[node.index()].data {
            NodeData::Condition(c) => c.owed_by.is_empty(),
            NodeData::Act(_) => self.lapsed(node).is_some(),
            _ => false,
        }
    }

    /// The unsatisfied nodes below `target`, reached through unsatisfied requirements, each
    /// with what it needs and its requirements resolved to slots once (the passes then read
    /// arrays, not the hash index). Breadth first, the slots themselves as the queue.
    fn region(&self, target: NodeId) -> (Vec<Slot>, HashMap<NodeId, usize, BuildFx>, Vec<Req>) {
        let slot = |node: NodeId| Slot {
            node,
            group: matches!(self.nodes[node.index()].data, NodeData::Group(_)),
            takes: self.takes(node),
            lapses: false,
            // A group needs its threshold; any other node all its requirements (set below).
            need: match &self.nodes[node.index()].data {
                NodeData::Group(g) => g.needed(),
                _ => 0,
            },
            start: 0,
            len: 0,
            got: 0,
            ready: None,
            via: None,
            date: None,
            done: false,
        };
        let mut slots = vec![slot(target)];
        let mut index: HashMap<NodeId, usize, BuildFx> = HashMap::default();
        index.insert(target, 0);
        let mut reqs = Vec::new();
        let mut i = 0;
        while i < slots.len() {
            let start = reqs.len();
            for r in self.graph.requirements(slots[i].node) {
                let slot_of = if self.satisfied(r.target) {
                    NONE
                } else {
                    *index.entry(r.target).or_insert_with(|| {
                        slots.push(slot(r.target));
                        slots.len() - 1
                    }) as u32
                };
                reqs.push(Req {
                    node: r.target,
                    weight: r.weight,
                    slot: slot_of,
                });
            }
            let s = &mut slots[i];
            (s.start, s.len) = (start as u32, (reqs.len() - start) as u32);
            if !s.group {
                s.need = s.len;
            }
            i += 1;
        }
        (slots, index, reqs)
    }

    /// Each slot's dependents inside the region, with the requirement's weight, flat: slot
    /// `j`'s are `parents[first[j]..first[j + 1]]`.
    fn parent_lists(slots: &[Slot], reqs: &[Req]) -> (Vec<usize>, Vec<(usize, u32)>) {
        let inside = |s: &Slot| {
            reqs[s.start as usize..(s.start + s.len) as usize]
                .iter()
                .filter(|r| r.slot != NONE)
        };
        let mut first = vec![0usize; slots.len() + 1];
        for s in slots {
            for r in inside(s) {
                first[r.slot as usize + 1] += 1;
            }
        }
        for j in 0..slots.len() {
            first[j + 1] += first[j];
        }
        let mut fill = first.clone();
        let mut parents = vec![(0usize, 0u32); first[slots.len()]];
        for (i, s) in slots.iter().enumerate() {
            for r in inside(s) {
                parents[fill[r.slot as usize]] = (i, r.weight);
                fill[r.slot as usize] += 1;
            }
        }
        (first, parents)
    }

    /// The region's slots in an order where each comes after the slots it requires (Kahn's
    /// algorithm on the requirements inside the region), or `None` if the region has a cycle.
    fn topological(slots: &[Slot], reqs: &[Req]) -> Option<Vec<usize>> {
        let (first, parents) = Self::parent_lists(slots, reqs);
        let mut pending = vec![0u32; slots.len()];
        for &(p, _) in &parents {
            pending[p] += 1;
        }
        let mut order: Vec<usize> = (0..slots.len()).filter(|&i| pending[i] == 0).collect();
        let mut k = 0;
        while k < order.len() {
            let j = order[k];
            for &(p, _) in &parents[first[j]..first[j + 1]] {
                pending[p] -= 1;
                if pending[p] == 0 {
                    order.push(p);
                }
            }
            k += 1;
        }
        (order.len() == slots.len()).then_some(order)
    }

    /// Dates the slots of an acyclic region in topological `order`, with the same result as
    /// [`settle_dates`](Self::settle_dates): each slot takes, among its requirements that have
    /// a date (a satisfied one, or a dated slot), the smallest set in date order that meets
    /// what it needs; the last of them starts its duration.
    fn date_in_order(
        &self,
        slots: &mut [Slot],
        reqs: &[Req],
        order: &[usize],
        from: Date,
        pass: Pass,
    ) {
        let from = pass.day(from);
        // (date, node, weight) of a group's dated alternatives.
        let mut dated: Vec<(Option<Date>, NodeId, u32)> = Vec::new();
        for &i in order {
            let (group, need) = (slots[i].group, slots[i].need);
            (slots[i].got, slots[i].ready, slots[i].via) = (0, None, None);
            (slots[i].date, slots[i].done, slots[i].lapses) = (None, false, false);
            dated.clear();
            let mut last: Option<(Option<Date>, NodeId)> = None;
            let mut got = 0u32;
            let (start, len) = (slots[i].start as usize, slots[i].len as usize);
            for r in &reqs[start..start + len] {
                let date = match r.slot {
                    NONE => self.satisfied_since(r.node).map(|d| pass.day(d)),
                    j if slots[j as usize].done => slots[j as usize].date,
                    _ => continue,
                };
                if group {
                    dated.push((date, r.node, r.weight));
                } else {
                    got += 1;
                    last = last.max(Some((date, r.node)));
                }
            }
            if group {
                dated.sort_unstable();
                for &(date, n, w) in &dated {
                    got = got.saturating_add(w);
                    last = Some((date, n));
                    if got >= need {
                        break;
                    }
                }
            }
            let s = &mut slots[i];
            s.got = got.min(need);
            if let Some((date, n)) = last {
                (s.ready, s.via) = (date, Some(n));
            }
            if got >= need {
                self.date_slot(s, from, pass);
            }
        }
    }

    /// Dates every slot it can, in date order (a generalized Dijkstra: a node's date is final
    /// once what it needs is met, and pops come earliest first). `pass` picks the duration
    /// (minimum or maximum; a node whose maximum is unknown is never dated) and the day of a
    /// coarse date.
    fn settle_dates(&self, slots: &mut [Slot], reqs: &[Req], from: Date, pass: Pass) {
        for s in slots.iter_mut() {
            (s.got, s.ready, s.via, s.date, s.done) = (0, None, None, None, false);
            s.lapses = false;
        }
        let from = pass.day(from);
        let (first, parents) = Self::parent_lists(slots, reqs);
        // Entries: (date, node, slot to notify, weight): a satisfied requirement notifies the
        // one slot that has it (`None` dates sort first: satisfied on no recorded date); a
        // dated slot (`NONE`) notifies its dependents in the region.
        let mut queue: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
        for (i, s) in slots.iter().enumerate() {
            for r in &reqs[s.start as usize..(s.start + s.len) as usize] {
                if r.slot == NONE {
                    let since = self.satisfied_since(r.node).map(|d| pass.day(d));
                    queue.push(Reverse((since, r.node, i as u32, r.weight)));
                }
            }
        }
        for (i, s) in slots.iter_mut().enumerate() {
            if s.need == 0 {
                if let Some(date) = self.date_slot(s, from, pass) {
                    queue.push(Reverse((Some(date), s.node, NONE, i as u32)));
                }
            }
        }
        while let Some(Reverse((date, n, to, w))) = queue.pop() {
            let one = [(to as usize, w)];
            let targets = match to {
                NONE => &parents[first[w as usize]..first[w as usize + 1]],
                _ => &one[..],
            };
            for &(i, weight) in targets {
                let s = &mut slots[i];
                if s.done || s.got >= s.need {
                    continue;
                }
                s.got = s.got.saturating_add(if s.group { weight } else { 1 });
                s.ready = date.max(s.ready);
                s.via = Some(n);
                if s.got >= s.need {
                    if let Some(date) = self.date_slot(s, from, pass) {
                        queue.push(Reverse((Some(date), s.node, NONE, i as u32)));
                    }
                }
            }
        }
    }

    /// Dates a slot whose requirements are met: the last of them (or `from`) plus its
    /// duration, never before `from`. `None` if it cannot be dated (nobody can satisfy it,
    /// its maximum is unknown, or the date falls past 9999).
    fn date_slot(&self, s: &mut Slot, from: Date, pass: Pass) -> Option<Date> {
        s.got = s.need;
        if self.nobody_can(s.node) {
            return None;
        }
        let start = s.ready.unwrap_or(from);
        let end = match s.takes {
            None => start,
            Some(t) => start.checked_add(pass.span(t)?).ok()?,
        };
        let date = end.max(from);
        // An act whose track lapses before it can be performed cannot be.
        if self.lapsed_on(s.node, date).is_some() {
            s.lapses = true;
            return None;
        }
        (s.date, s.done) = (Some(date), true);
        Some(date)
    }

    /// The chain of last-met requirements from slot `t` down.
    fn critical_path(
        &self,
        slots: &[Slot],
        index: &HashMap<NodeId, usize, BuildFx>,
        t: usize,
    ) -> Vec<PathStep> {
        let mut path = Vec::new();
        let mut at = Some(t);
        while let Some(i) = at {
            let s = &slots[i];
            let Some(date) = s.date else { break };
            path.push(PathStep {
                node: s.node,
                date,
                satisfied: false,
                takes: self.takes(s.node),
            });
            at = s.via.and_then(|v| index.get(&v).copied());
            // A requirement outside the region is satisfied: the anchor, if dated.
            if let Some(v) = s.via.filter(|v| !index.contains_key(v)) {
                if let Some(date) = self.satisfied_since(v) {
                    path.push(PathStep {
                        node: v,
                        date,
                        satisfied: true,
                        takes: self.takes(v),
                    });
                }
            }
        }
        path
    }
}

// ----- text ----------------------------------------------------------------------------------

impl Earliest {
    /// The answer as text: the dates, the critical path, or why never.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "answer");
            }
            let neg = negotiation;
            let key = |n: NodeId| neg.key_of(n);
            let Some(earliest) = self.earliest else {
                if neg.satisfied(self.target) {
                    return writeln!(f, "{} is already satisfied (undated)", key(self.target));
                }
                writeln!(
                    f,
                    "{} can never be satisfied as things stand",
                    key(self.target)
                )?;
                for d in &self.deadlocks {
                    let nodes: Vec<&str> = d.nodes.iter().map(|&n| key(n)).collect();
                    writeln!(f, "- unless the deadlock {} is broken", nodes.join(" -> "))?;
                }
                for &n in &self.nobody_can_satisfy {
                    let why = match neg.get(n) {
                        Some(crate::NodeRef::Act(_)) => "its track lapses before it can act",
                        _ => "it is owed by nobody",
                    };
                    writeln!(f, "- nobody can satisfy {}: {why}", key(n))?;
                }
                return Ok(());
            };
            write!(f, "{}: earliest {earliest}", key(self.target))?;
            match self.latest {
                Some(l) if l != earliest => write!(f, ", latest {l}")?,
                Some(_) => {}
                None => write!(f, ", latest unknown (a duration on the way has no maximum)")?,
            }
            writeln!(f, " (from {})", self.from)?;
            // Without a duration or a dated anchor, every path ties: none is critical.
            if self
                .critical_path
                .iter()
                .all(|s| s.takes.is_none() && !s.satisfied)
            {
                return writeln!(
                    f,
                    "no duration is declared on the way: as soon as the parties act"
                );
            }
            writeln!(f, "critical path:")?;
            for s in &self.critical_path {
                let mut line = format!("- {}", key(s.node));
                if s.satisfied {
                    let _ = write!(line, ": satisfied on {}", s.date);
                } else {
                    let _ = write!(line, ": {}", s.date);
                }
                if let Some(t) = s.takes {
                    let _ = write!(line, " ({t})");
                }
                writeln!(f, "{line}")?;
            }
            Ok(())
        })
    }
}

impl Deadlines {
    /// The answer as text: *Overdue*, *Coming due*, *Not yet running* and *Long-stop dates*
    /// (sections with nothing to say are left out).
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "answer");
            }
            let neg = negotiation;
            let key = |n: NodeId| neg.key_of(n);
            let due = |i: &DueItem, what: String| {
                let mut line = format!("- {}: due {}, {what}", key(i.node), i.due);
                if let Due::Within { span, after } = i.rule {
                    let _ = write!(line, " ({span} after {})", key(after));
                }
                line
            };
            let item = |i: &DueItem, what: String| {
                let mut line = due(i, what);
                let _ = write!(line, "; must act: {}", party_list(neg, &i.must_act));
                if i.blocked {
                    line.push_str(" (blocked: something it requires must happen first)");
                }
                line
            };
            if !self.overdue.is_empty() {
                writeln!(f, "Overdue on {}:", self.on)?;
                for i in &self.overdue {
                    writeln!(f, "{}", item(i, format!("{} overdue", days(i.days))))?;
                }
            }
            if !self.coming_due.is_empty() {
                writeln!(f, "Coming due within {} of {}:", self.window, self.on)?;
                for i in &self.coming_due {
                    writeln!(f, "{}", item(i, format!("in {}", days(i.days))))?;
                }
            }
            if !self.not_running.is_empty() {
                writeln!(f, "Deadlines not yet running:")?;
                for w in &self.not_running {
                    let why = if w.undated {
                        "met, but on no recorded date: due date unknown"
                    } else {
                        "not yet met"
                    };
                    writeln!(
                        f,
                        "- {}: due within {} after {} ({why})",
                        key(w.node),
                        w.span,
                        key(w.after)
                    )?;
                }
            }
            if !self.met_late.is_empty() {
                writeln!(f, "Met late:")?;
                for i in &self.met_late {
                    let met = neg.satisfied_since(i.node).map(|d| d.to_string());
                    let what = format!("met on {}, {} late", met.unwrap_or_default(), days(i.days));
                    writeln!(f, "{}", due(i, what))?;
                }
            }
            if !self.long_stops.is_empty() {
                writeln!(f, "Long-stop dates:")?;
            }
            for s in &self.long_stops {
                let ls = s.long_stop;
                let lapse = if ls.lapses { "; the track lapses" } else { "" };
                let verdict = match s.outlook {
                    Outlook::Reached { on: Some(d) } if ls.date.is_before(d) => {
                        format!("reached on {d}, after the long-stop")
                    }
                    Outlook::Reached { on: Some(d) } => format!("reached on {d}"),
                    Outlook::Reached { on: None } => "reached".to_owned(),
                    Outlook::Passed { days: n } => {
                        format!("passed {} ago, not reached{lapse}", days(n))
                    }
                    Outlook::Clear => "clear: reached in time even at the latest".to_owned(),
                    Outlook::AtRisk => {
                        let e = s.earliest.as_ref();
                        let at = e.and_then(|e| e.earliest).map(|d| format!(" ({d})"));
                        let why = match e {
                            Some(e) if !e.open_ended.is_empty() => {
                                let items: Vec<String> = e
                                    .open_ended
                                    .iter()
                                    .map(|&n| match neg.takes(n) {
                                        Some(t) => format!("{} ({t}, no maximum)", key(n)),
                                        None => key(n).to_owned(),
                                    })
                                    .collect();
                                format!("it waits on {}", items.join(", "))
                            }
                            Some(Earliest {
                                latest: Some(l), ..
                            }) => format!("at the latest {l}"),
                            _ => "its latest date is unknown".to_owned(),
                        };
                        format!(
                            "at risk: in time at the earliest{}, but not surely: {why}",
                            at.unwrap_or_default()
                        )
                    }
                    Outlook::Late => {
                        let at = s
                            .earliest
                            .as_ref()
                            .and_then(|e| e.earliest)
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default();
                        format!("not clear: too late even at the earliest{at}{lapse}; the critical path decides it")
                    }
                    Outlook::Never => format!("not clear: never reached as things stand{lapse}"),
                };
                writeln!(f, "- {} by {}: {verdict}", key(ls.stage), ls.date)?;
                if let Some(e) = &s.earliest {
                    for line in e.display(neg).to_string().lines() {
                        writeln!(f, "  {line}")?;
                    }
                }
            }
            Ok(())
        })
    }
}

/// `1 day`, `12 days`.
fn days(n: i32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// The schedule of a negotiation: per node, its timing. Hashed for the lookups of the
/// earliest-date passes; [`Negotiation::deadlines`] sorts what it lists.
pub(crate) type Schedule = HashMap<NodeId, Timing, BuildFx>;

#[cfg(all(test, feature = "generate"))]
mod tests {
    use super::*;
    use crate::generate::{model, valid_moves, with_durations, Shape};

    /// The topological pass and the date-ordered pass date every slot alike (date, the
    /// requirement that completed it, whether its requirements are met), for both bounds,
    /// on every generated shape, partly played, from every node.
    #[test]
    fn both_dating_passes_agree() {
        let from: Date = "2001-06".parse().unwrap();
        for shape in Shape::ALL {
            for seed in 0..3 {
                let mut neg = with_durations(model(shape, 300, seed), 40, seed)
                    .build()
                    .unwrap();
                for mv in valid_moves(&neg.clone(), 60, seed) {
                    let _ = neg.apply(&mv);
                }
                let mut acyclic = 0;
                for target in neg.node_ids().filter(|&n| !neg.satisfied(n)) {
                    let (mut a, index, reqs) = neg.region(target);
                    let (mut b, _, _) = neg.region(target);
                    let Some(order) = Negotiation::topological(&a, &reqs) else {
                        continue;
                    };
                    acyclic += 1;
                    for pass in [Pass::Earliest, Pass::Latest] {
                        neg.date_in_order(&mut a, &reqs, &order, from, pass);
                        neg.settle_dates(&mut b, &reqs, from, pass);
                        for (x, y) in a.iter().zip(&b) {
                            let key = neg.key_of(x.node);
                            assert_eq!(x.date, y.date, "{shape:?} {seed} {key}");
                            assert_eq!(x.done, y.done, "{shape:?} {seed} {key}");
                            assert_eq!(x.got >= x.need, y.got >= y.need, "{shape:?} {key}");
                            if x.done {
                                // Ties may complete a node through different requirements;
                                // the date they give is the same.
                                let via_date = |slots: &[Slot], v: Option<NodeId>| {
                                    v.map(|v| match index.get(&v) {
                                        Some(&j) => slots[j].date,
                                        None => neg.satisfied_since(v).map(|d| pass.day(d)),
                                    })
                                };
                                assert_eq!(
                                    via_date(&a, x.via),
                                    via_date(&b, y.via),
                                    "{shape:?} {seed} {key}"
                                );
                            }
                        }
                    }
                }
                assert!(acyclic > 0, "{shape:?}: no acyclic region to compare");
            }
        }
    }
}

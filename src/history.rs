//! The move history: replay, earlier states, and the per-party timeline with its "moving
//! goalposts".

use std::fmt::{self, Write as _};

use crate::foreign::{foreign, Owned};
use crate::ids::{NodeId, PartyId};
use crate::lookup::party_name;
use crate::model::{NodeData, NodeRef, StageKind};
use crate::moves::{ConcessionKind, Move, MoveError, MoveKind, Transition};
use crate::scenario::{rebuild, ScenarioError};
use crate::state::Negotiation;
use crate::time::Date;
use crate::util::Rendered;

/// Why an earlier state could not be produced.
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The step is past the end of the history.
    #[error("step {step} is past the end of the history ({len} moves)")]
    StepOutOfRange {
        /// The requested step.
        step: usize,
        /// How many moves the history holds.
        len: usize,
    },
    /// Replaying the history failed (it cannot for a history this crate recorded).
    #[error("replay: {0}")]
    Replay(#[source] ScenarioError),
}

/// Why a demand counts as moving the goalposts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Goalpost {
    /// It was attached to a stage after the track's text was finalized.
    AfterFinalized {
        /// The reached `finalized` stage.
        finalized: NodeId,
    },
    /// It was attached to a stage after another performer of that stage declared itself
    /// ready for it or performed its act.
    AfterReadiness {
        /// The ready counterpart.
        party: PartyId,
    },
}

/// One entry of a party's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TimelineEntry {
    /// The move's index in the history.
    pub step: usize,
    /// The move's date, if recorded.
    pub date: Option<Date>,
    /// The node the move is about (the condition demanded, the article accepted, …).
    pub node: NodeId,
    /// For a demand: the stage whose act it conditions, if any.
    pub stage: Option<NodeId>,
    /// For a precondition attached to something other than an act (a condition the party
    /// owes, a concession it makes): that node.
    pub attached_to: Option<NodeId>,
    /// For a concession: why the move counts as one.
    pub concession: Option<ConcessionKind>,
    /// For a demand attached to a stage: whether, and why, it moved the goalposts.
    pub goalpost: Option<Goalpost>,
}

/// An event a party recorded (a lost vote, a statement), which changed no status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct EventEntry {
    /// The move's index in the history.
    pub step: usize,
    /// The move's date, if recorded.
    pub date: Option<Date>,
    /// What happened.
    pub event: String,
    /// The node or track id it concerns, if any.
    pub about: Option<String>,
}

/// What one party did over the history.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PartyTimeline {
    /// The party.
    pub party: PartyId,
    /// The moves by which it conceded, in order.
    pub concessions: Vec<TimelineEntry>,
    /// The demands and preconditions it added (new demands, links of demands to its acts,
    /// and preconditions it attached by `require`), in order. Procedures are not demands.
    pub demands: Vec<TimelineEntry>,
    /// The events it recorded, in order.
    pub events: Vec<EventEntry>,
}

/// Per party, the concessions made and the demands added, with dates; see
/// [`Negotiation::timeline`]. Entries are in the order of the history, which is date order: a
/// move dated certainly before a recorded one is refused, so a coarse date (`2025-03`) may only
/// follow finer dates it could contain (`2025-03-13`). Dates print with their precision.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Timeline {
    /// One entry per party, in declaration order.
    pub parties: Vec<PartyTimeline>,
}

impl Timeline {
    /// The demands that moved the goalposts, in history order.
    #[must_use]
    pub fn moving_goalposts(&self) -> Vec<(PartyId, &TimelineEntry)> {
        let mut all: Vec<(PartyId, &TimelineEntry)> = self
            .parties
            .iter()
            .flat_map(|p| p.demands.iter().map(move |e| (p.party, e)))
            .filter(|(_, e)| e.goalpost.is_some())
            .collect();
        all.sort_by_key(|(_, e)| e.step);
        all
    }

    /// A text rendering: per party, its concessions and demands.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "timeline");
            }
            self.write(f, negotiation)
        })
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, neg: &Negotiation) -> fmt::Result {
        for p in &self.parties {
            if p.concessions.is_empty() && p.demands.is_empty() && p.events.is_empty() {
                continue;
            }
            writeln!(f, "{}:", party_name(neg, p.party))?;
            for e in &p.concessions {
                // A timeline rendered with another negotiation may name a step it lacks.
                match neg.history().get(e.step) {
                    Some(mv) => writeln!(f, "  {}  conceded: {mv}", date_label(e.date))?,
                    None => writeln!(
                        f,
                        "  {}  conceded: ? (move {})",
                        date_label(e.date),
                        e.step + 1
                    )?,
                }
            }
            for e in &p.events {
                let about = e
                    .about
                    .as_ref()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default();
                writeln!(f, "  {}  event: {}{about}", date_label(e.date), e.event)?;
            }
            for e in &p.demands {
                let mut line =
                    format!("  {}  demanded: {}", date_label(e.date), neg.key_of(e.node));
                if let Some(stage) = e.stage {
                    let _ = write!(line, " (precondition of {})", neg.key_of(stage));
                } else if let Some(node) = e.attached_to {
                    let _ = write!(line, " (precondition of {})", neg.key_of(node));
                } else {
                    line.push_str(" (separate)");
                }
                if let Some(g) = e.goalpost {
                    let _ = write!(line, " -- moving goalposts: {}", goalpost_text(neg, g));
                }
                writeln!(f, "{line}")?;
            }
        }
        Ok(())
    }
}

/// `"2025-03-13"`, `"2025-03"`, or `"undated"`.
pub(crate) fn date_label(date: Option<Date>) -> String {
    date.map_or_else(|| "undated".to_owned(), |d| d.to_string())
}

/// One line about a goalpost.
pub(crate) fn goalpost_text(neg: &Negotiation, goalpost: Goalpost) -> String {
    match goalpost {
        Goalpost::AfterFinalized { finalized } => {
            format!("added after {} was reached", neg.key_of(finalized))
        }
        Goalpost::AfterReadiness { party } => format!(
            "added after {} declared itself ready",
            party_name(neg, party)
        ),
    }
}

impl Negotiation {
    /// Every move applied since the negotiation was built, with its metadata, in order: a
    /// view that rebuilds each [`Move`] from the negotiation's compact record of it (see
    /// [`History`]).
    #[must_use]
    pub fn history(&self) -> History<'_> {
        History { neg: self }
    }

    /// The negotiation as it was after the first `step` moves of its history (`0`: as built).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let mut neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
    ///     .build()?;
    /// neg.apply(&Move::fulfil("a", "vote"))?;
    /// let vote = neg.node_id("vote").unwrap();
    /// assert!(neg.is_satisfied(vote).unwrap());
    /// // Before the first move, the vote was outstanding.
    /// assert!(!neg.state_at(0)?.is_satisfied(vote).unwrap());
    /// assert_eq!(neg.state_at(1)?, neg);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`HistoryError::StepOutOfRange`] past the end of the history.
    ///
    /// # Complexity
    ///
    /// Rebuilds the model and replays `step` moves.
    pub fn state_at(&self, step: usize) -> Result<Negotiation, HistoryError> {
        if step > self.history.len() {
            return Err(HistoryError::StepOutOfRange {
                step,
                len: self.history.len(),
            });
        }
        // The same stamp: the rebuilt state accepts this negotiation's handles.
        rebuild(
            &self.initial,
            self.owner(),
            self.history().iter().take(step),
        )
        .map_err(HistoryError::Replay)
    }

    /// The negotiation as it was on `date`: after the last move of the history dated on or
    /// before it, that is, whose period ends by the end of `date`'s (a move dated `2025-03`
    /// counts on `2025-03-31` and on `2025`, not yet on `2025-03-20`). Undated moves before that
    /// move are included, those after it are not; with no such move, the negotiation as built.
    ///
    /// # Errors
    ///
    /// As [`state_at`](Self::state_at).
    ///
    /// # Complexity
    ///
    /// A scan of the history, then as [`state_at`](Self::state_at).
    pub fn state_on(&self, date: Date) -> Result<Negotiation, HistoryError> {
        self.state_at(self.steps_on(date))
    }

    /// The latest date recorded in the history: the date of the dated move whose period
    /// starts last. O(1).
    #[must_use]
    pub fn latest_date(&self) -> Option<Date> {
        self.latest_date
    }

    /// How many moves of the history [`state_on`](Self::state_on) replays for `date`.
    #[must_use]
    pub fn steps_on(&self, date: Date) -> usize {
        let end = date.last_day();
        (0..self.history.len())
            .rev()
            .find(|&i| self.history.date(i).is_some_and(|d| d.last_day() <= end))
            .map_or(0, |i| i + 1)
    }

    /// Replays the history from the initial model, calling `visit(step, before, move,
    /// transition)` for each move.
    ///
    /// # Errors
    ///
    /// [`HistoryError::Replay`] if the history does not replay (it always does for a
    /// negotiation this crate built: replay is deterministic, [invariant I4](crate#guarantees)).
    ///
    /// # Complexity
    ///
    /// One rebuild of the model, then each move twice on that one negotiation (once as a
    /// hypothesis, for its transition and the state before it; once for good): the cost of
    /// the moves, not of a copy of the model per move.
    pub fn replay(
        &self,
        mut visit: impl FnMut(usize, &Negotiation, &Move, &Transition),
    ) -> Result<(), HistoryError> {
        let mut neg = self.state_at(0)?;
        let failed = |step: usize, source: MoveError| {
            HistoryError::Replay(ScenarioError::Move {
                index: step,
                source,
            })
        };
        for (step, mv) in self.history().iter().enumerate() {
            // One move: its transition, or why it failed.
            let transitions =
                neg.hypothetically(std::slice::from_ref(&mv), |_, transitions, failure| {
                    match failure {
                        Some((_, e)) => Err(e.clone()),
                        None => Ok(transitions.to_vec()),
                    }
                })
                .map_err(|e| failed(step, e))?;
            for transition in &transitions {
                visit(step, &neg, &mv, transition);
            }
            neg.apply_quietly(&mv).map_err(|e| failed(step, e))?;
        }
        Ok(())
    }

    /// Per party, the concessions it made and the demands and preconditions it added, each
    /// with its date; a demand attached to a stage after the track's text was finalized, or
    /// after a counterpart declared itself ready for that stage, is flagged as moving the
    /// goalposts.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Move, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let mut neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .build()?;
    /// // b makes its signature depend on a new fee owed by a.
    /// neg.apply(&Move::precondition("b", "fee", "A fee", ["a"], "deal.signed").on("2025-03-13".parse()?))?;
    /// let timeline = neg.timeline()?;
    /// let b = neg.party_id("b").unwrap();
    /// let demands = &timeline.parties[b.index()].demands;
    /// assert_eq!(demands.len(), 1);
    /// assert_eq!(neg.key(demands[0].node).unwrap(), "fee");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`replay`](Self::replay).
    ///
    /// # Complexity
    ///
    /// A replay of the history on one negotiation: the model's build, then each move applied
    /// (what it changes, twice: once to read the state before it), with no copy per move.
    pub fn timeline(&self) -> Result<Timeline, HistoryError> {
        let mut timeline = Timeline {
            parties: (0..self.parties.len())
                .map(|i| PartyTimeline {
                    party: self.party_handle(i),
                    concessions: Vec::new(),
                    demands: Vec::new(),
                    events: Vec::new(),
                })
                .collect(),
        };
        self.replay(|step, before, mv, t| {
            let Some(actor) = before.party_id(&mv.actor) else {
                return;
            };
            let entry = |node: NodeId| TimelineEntry {
                step,
                date: mv.meta.date,
                node,
                stage: None,
                attached_to: None,
                concession: t.concession,
                goalpost: None,
            };
            let lane = &mut timeline.parties[actor.index()];
            if let Some(kind) = t.concession {
                lane.concessions.push(entry(concession_subject(kind)));
            }
            let mut attached_to = None;
            let (node, stage) = match &mv.kind {
                MoveKind::Demand {
                    condition,
                    precondition_of,
                    ..
                } => (
                    before.node_id(condition),
                    precondition_of.as_ref().and_then(|s| before.node_id(s)),
                ),
                MoveKind::Link { condition, stage } => {
                    (before.node_id(condition), before.node_id(stage))
                }
                MoveKind::Require { .. } => {
                    // Only the actor's own preconditions are demands.
                    let Some(&(from, r)) = t
                        .requirements_added
                        .iter()
                        .find(|(_, r)| r.by == Some(actor))
                    else {
                        return;
                    };
                    let stage = match before.get(from) {
                        Some(NodeRef::Act(a)) => Some(a.stage()),
                        _ => {
                            attached_to = Some(from);
                            None
                        }
                    };
                    (Some(r.target), stage)
                }
                MoveKind::Record { event, about } => {
                    lane.events.push(EventEntry {
                        step,
                        date: mv.meta.date,
                        event: event.clone(),
                        about: about.clone(),
                    });
                    return;
                }
                _ => return,
            };
            // The condition exists after the move; for a new demand its id is the next one.
            let node = node.or_else(|| t.added.first().copied());
            if let Some(node) = node {
                lane.demands.push(TimelineEntry {
                    stage,
                    attached_to,
                    goalpost: stage.and_then(|s| before.goalpost(s, actor)),
                    concession: None,
                    ..entry(node)
                });
            }
        })?;
        Ok(timeline)
    }

    /// Whether attaching a demand of `demander` to `stage` now moves the goalposts.
    fn goalpost(&self, stage: NodeId, demander: PartyId) -> Option<Goalpost> {
        let NodeData::Stage(s) = &self.nodes[stage.index()].data else {
            return None;
        };
        let finalized = self
            .stage(s.track, &StageKind::Finalized)
            .filter(|&f| self.satisfied(f));
        if let Some(finalized) = finalized {
            return Some(Goalpost::AfterFinalized { finalized });
        }
        s.acts
            .iter()
            .find_map(|&(p, act)| match &self.nodes[act.index()].data {
                NodeData::Act(a) if p != demander && (a.ready || a.performed) => {
                    Some(Goalpost::AfterReadiness { party: p })
                }
                _ => None,
            })
    }
}

/// The node a concession is about.
pub(crate) fn concession_subject(kind: ConcessionKind) -> NodeId {
    match kind {
        ConcessionKind::Made(n)
        | ConcessionKind::AcceptedRejected(n)
        | ConcessionKind::WaivedOwnDemand(n)
        | ConcessionKind::DroppedOwnPrecondition(n)
        | ConcessionKind::FulfilledContested(n) => n,
    }
}

crate::foreign::owned! {
    Timeline { parties }
    PartyTimeline { party, concessions, demands }
    TimelineEntry { node, stage, attached_to, concession, goalpost }
}

impl Owned for Goalpost {
    fn belongs_to(&self, neg: &dyn crate::foreign::Handles) -> bool {
        match self {
            Goalpost::AfterFinalized { finalized } => finalized.belongs_to(neg),
            Goalpost::AfterReadiness { party } => party.belongs_to(neg),
        }
    }
}

// ----- the recorded moves --------------------------------------------------------------------

/// The moves a negotiation has recorded, oldest first: what [`Negotiation::history`] returns.
///
/// A negotiation does not keep its moves as [`Move`] values. Each recorded move is a small
/// fixed-size record whose ids are the negotiation's own handles (indices into its tables; a
/// move that creates a node is recorded after the node exists), with its free text (titles,
/// descriptions, events, sources, notes) in one buffer shared by the whole history; the moves
/// of a scenario it was loaded from are shared with that [`Scenario`](crate::Scenario). This
/// view rebuilds each move on access: [`get`](Self::get) and [`iter`](Self::iter) yield owned
/// moves, equal to the ones that were applied.
///
/// # Examples
///
/// ```
/// use negotiation::{ConditionSpec, Move, Negotiation, Role, StageKind, TrackSpec};
///
/// let mut neg = Negotiation::builder()
///     .party("a", "A", Role::Principal)
///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
///     .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
///     .build()?;
/// let fulfil = Move::fulfil("a", "vote").on("2025-03-13".parse()?);
/// neg.apply(&fulfil)?;
/// assert_eq!(neg.history().len(), 1);
/// assert_eq!(neg.history().get(0), Some(fulfil.clone()));
/// assert_eq!(neg.history().iter().collect::<Vec<_>>(), [fulfil]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct History<'a> {
    neg: &'a Negotiation,
}

impl<'a> History<'a> {
    /// How many moves the history holds. O(1).
    #[must_use]
    pub fn len(&self) -> usize {
        self.neg.history.len()
    }

    /// Whether no move was applied since the negotiation was built. O(1).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.neg.history.is_empty()
    }

    /// The move of `step` (`0`: the first move applied), rebuilt from its record; `None` past
    /// the end. O(the move's ids and text).
    #[must_use]
    pub fn get(&self, step: usize) -> Option<Move> {
        self.neg.history.get(&self.neg.tables(), step)
    }

    /// The last move applied, if any.
    #[must_use]
    pub fn last(&self) -> Option<Move> {
        self.len().checked_sub(1).and_then(|step| self.get(step))
    }

    /// The moves, oldest first, each rebuilt as it is reached.
    pub fn iter(&self) -> HistoryIter<'a> {
        HistoryIter {
            neg: self.neg,
            steps: 0..self.len(),
        }
    }

    /// Every move, oldest first, as a vector.
    #[must_use]
    pub fn to_vec(&self) -> Vec<Move> {
        self.iter().collect()
    }
}

impl fmt::Debug for History<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Two histories are equal when they hold equal moves in the same order (of whichever
/// negotiations).
impl PartialEq for History<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for History<'_> {}

impl<'a> IntoIterator for History<'a> {
    type Item = Move;
    type IntoIter = HistoryIter<'a>;
    fn into_iter(self) -> HistoryIter<'a> {
        self.iter()
    }
}

/// The moves of a [`History`], oldest first, each rebuilt from its record.
#[derive(Clone)]
#[must_use]
pub struct HistoryIter<'a> {
    neg: &'a Negotiation,
    steps: std::ops::Range<usize>,
}

/// The steps still to come (not the whole negotiation).
impl fmt::Debug for HistoryIter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HistoryIter")
            .field("steps", &self.steps)
            .finish_non_exhaustive()
    }
}

impl Iterator for HistoryIter<'_> {
    type Item = Move;
    fn next(&mut self) -> Option<Move> {
        let neg = self.neg;
        self.steps
            .find_map(|step| neg.history.get(&neg.tables(), step))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.steps.len()))
    }
}

impl DoubleEndedIterator for HistoryIter<'_> {
    fn next_back(&mut self) -> Option<Move> {
        let neg = self.neg;
        self.steps
            .by_ref()
            .rev()
            .find_map(|step| neg.history.get(&neg.tables(), step))
    }
}

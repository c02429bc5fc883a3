//! The move history: replay, earlier states, and the per-party timeline with its "moving
//! goalposts".

use std::fmt::{self, Write as _};

use crate::foreign::{foreign, Owned};
use crate::ids::{NodeId, PartyId};
use crate::lookup::party_name;
use crate::model::Position;
use crate::model::{NodeData, NodeRef, StageKind};
use crate::moves::{ConcessionKind, Move, MoveError, MoveKind, MoveMeta, Transition};
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
    /// Records `mv`, just applied, in the history.
    pub(crate) fn record(&mut self, mv: &Move) {
        let start = self.history.text.len();
        let mut text = std::mem::take(&mut self.history.text);
        let compact = compact(self, mv, &mut text);
        self.history.text = text;
        self.history.push(compact, start, mv);
    }

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
/// of a scenario it was loaded from are shared with that [`Scenario`]. This view rebuilds each
/// move on access: [`get`](Self::get) and [`iter`](Self::iter) yield owned moves, equal to the
/// ones that were applied.
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
        self.neg.history.get(self.neg, step)
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
        self.steps.find_map(|step| neg.history.get(neg, step))
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
            .find_map(|step| neg.history.get(neg, step))
    }
}

/// What a [`Record`] is. Moves that declare structure (demand, require, open a track,
/// reschedule, extend), and any move whose ids are not the negotiation's keys, are kept whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    SetPosition,
    ProposeArticle,
    AmendArticle,
    MoveArticle,
    ExcludeArticle,
    Link,
    Unlink,
    Waive,
    Contest,
    Fulfil,
    Offer,
    Make,
    Retract,
    Perform,
    DeclareReady,
    Unrequire,
    Record,
    /// `a` is the move's index in [`MoveLog::whole`].
    Whole,
}

/// `flags`: the position of a `SetPosition` (two bits), then which optional texts follow the
/// record's main text in the arena.
const POSITION: u8 = 0b11;
const HAS_ABOUT: u8 = 1 << 2;
const HAS_SOURCE: u8 = 1 << 3;
const HAS_NOTE: u8 = 1 << 4;

/// One recorded move, 24 bytes: the actor and up to two subjects as indices into the
/// negotiation's tables (a node, a track or a party, by the tag), the date, and where the
/// move's text ends in [`MoveLog::text`] (it starts where the previous record's ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Record {
    actor: u32,
    /// The subject: the article, condition, concession, stage or node the move is about.
    a: u32,
    /// The second subject: a track (propose, move an article), a stage (link, unlink), the
    /// required node (unrequire); unused otherwise.
    b: u32,
    text_end: u32,
    date: Option<Date>,
    tag: Tag,
    flags: u8,
}

/// A negotiation's history as it is stored: see [`History`] for the view.
///
/// **Architecture Invariant:** every record's handles are valid in the negotiation that holds
/// the log, and its keys are exactly the strings of the move that was applied (a move is
/// recorded compactly only when each of its ids looks up to a handle); nodes, parties and
/// tracks are never removed or renamed except by rolling back the move that added them,
/// which pops its record first.
#[derive(Clone, Debug, Default)]
pub(crate) struct MoveLog {
    /// The first moves, shared with the scenario the negotiation was loaded from (empty
    /// otherwise); copied only if a rollback ever reached into them.
    shared: std::sync::Arc<Vec<Move>>,
    /// The moves after those, one record each.
    records: Vec<Record>,
    /// The records' text: each string as its length (4 bytes, little-endian) and its UTF-8.
    text: Vec<u8>,
    /// The moves kept whole, in order ([`Tag::Whole`]).
    whole: Vec<Move>,
}

impl MoveLog {
    /// A history of `moves`, shared with their owner.
    pub(crate) fn shared(moves: std::sync::Arc<Vec<Move>>) -> MoveLog {
        MoveLog {
            shared: moves,
            ..MoveLog::default()
        }
    }

    /// The moves as one shared vector: the shared part itself when nothing was recorded after
    /// it, else a new vector of every move.
    pub(crate) fn to_shared(&self, neg: &Negotiation) -> std::sync::Arc<Vec<Move>> {
        if self.records.is_empty() {
            self.shared.clone()
        } else {
            std::sync::Arc::new(neg.history().to_vec())
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.shared.len() + self.records.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the two logs are stored identically: for negotiations whose tables are equal,
    /// that means equal moves (the fast path of [`Negotiation`]'s equality).
    pub(crate) fn same_as(&self, other: &MoveLog) -> bool {
        (std::sync::Arc::ptr_eq(&self.shared, &other.shared) || self.shared == other.shared)
            && self.records == other.records
            && self.text == other.text
            && self.whole == other.whole
    }

    /// The date of the move of `step`, without rebuilding it.
    pub(crate) fn date(&self, step: usize) -> Option<Date> {
        match step.checked_sub(self.shared.len()) {
            None => self.shared.get(step).and_then(|m| m.meta.date),
            Some(r) => {
                let record = self.records.get(r)?;
                match record.tag {
                    Tag::Whole => self.whole.get(record.a as usize)?.meta.date,
                    _ => record.date,
                }
            }
        }
    }

    /// Where record `r`'s text starts.
    fn text_start(&self, r: usize) -> usize {
        r.checked_sub(1)
            .and_then(|p| self.records.get(p))
            .map_or(0, |p| p.text_end as usize)
    }

    /// Appends the record of a move: `compact`, or `mv` kept whole when it is `None` (its
    /// text, written from `start`, dropped).
    fn push(&mut self, compact: Option<Record>, start: usize, mv: &Move) {
        let compact = compact.filter(|_| u32::try_from(self.text.len()).is_ok());
        let record = match (compact, u32::try_from(self.whole.len())) {
            (Some(record), _) => record,
            (None, Ok(index)) => {
                self.text.truncate(start);
                self.whole.push(mv.clone());
                Record {
                    actor: NONE,
                    a: index,
                    b: NONE,
                    text_end: 0,
                    date: None,
                    tag: Tag::Whole,
                    flags: 0,
                }
            }
            // Four billion declarations: nothing left to record them with.
            (None, Err(_)) => return,
        };
        self.records.push(Record {
            text_end: self.text.len() as u32,
            ..record
        });
    }

    /// Forgets the last move (rolling back a hypothetical one).
    pub(crate) fn pop(&mut self) {
        match self.records.pop() {
            Some(record) => {
                if record.tag == Tag::Whole {
                    self.whole.pop();
                }
                let start = self.text_start(self.records.len());
                self.text.truncate(start);
            }
            None => {
                std::sync::Arc::make_mut(&mut self.shared).pop();
            }
        }
    }

    /// The move of `step`, rebuilt with `neg`'s keys.
    pub(crate) fn get(&self, neg: &Negotiation, step: usize) -> Option<Move> {
        let Some(r) = step.checked_sub(self.shared.len()) else {
            return self.shared.get(step).cloned();
        };
        let record = *self.records.get(r)?;
        if record.tag == Tag::Whole {
            return self.whole.get(record.a as usize).cloned();
        }
        let mut text = Text(
            self.text
                .get(self.text_start(r)..record.text_end as usize)?,
        );
        let node = |i: u32| neg.key(neg.node_handle(i as usize)).map(str::to_owned);
        let track = |i: u32| neg.tracks.get(i as usize).map(|t| t.key.clone());
        let (a, b) = (record.a, record.b);
        let kind = match record.tag {
            Tag::SetPosition => MoveKind::SetPosition {
                article: node(a)?,
                position: match record.flags & POSITION {
                    0 => Position::NotStated,
                    1 => Position::Accepts,
                    _ => Position::Rejects,
                },
            },
            Tag::ProposeArticle => MoveKind::ProposeArticle {
                article: node(a)?,
                track: track(b)?,
                title: text.next()?,
            },
            Tag::AmendArticle => MoveKind::AmendArticle {
                article: node(a)?,
                title: text.next()?,
            },
            Tag::MoveArticle => MoveKind::MoveArticle {
                article: node(a)?,
                to_track: track(b)?,
            },
            Tag::ExcludeArticle => MoveKind::ExcludeArticle { article: node(a)? },
            Tag::Link => MoveKind::Link {
                condition: node(a)?,
                stage: node(b)?,
            },
            Tag::Unlink => MoveKind::Unlink {
                condition: node(a)?,
                stage: node(b)?,
            },
            Tag::Waive => MoveKind::Waive {
                condition: node(a)?,
            },
            Tag::Contest => MoveKind::Contest {
                condition: node(a)?,
            },
            Tag::Fulfil => MoveKind::Fulfil {
                condition: node(a)?,
            },
            Tag::Offer => MoveKind::Offer {
                concession: node(a)?,
            },
            Tag::Make => MoveKind::Make {
                concession: node(a)?,
            },
            Tag::Retract => MoveKind::Retract {
                concession: node(a)?,
            },
            Tag::Perform => MoveKind::Perform { stage: node(a)? },
            Tag::DeclareReady => MoveKind::DeclareReady { stage: node(a)? },
            Tag::Unrequire => MoveKind::Unrequire {
                node: node(a)?,
                required: node(b)?,
            },
            Tag::Record => MoveKind::Record {
                event: text.next()?,
                about: text.optional(record.flags & HAS_ABOUT)?,
            },
            Tag::Whole => return None,
        };
        let meta = MoveMeta {
            date: record.date,
            source: text.optional(record.flags & HAS_SOURCE)?,
            note: text.optional(record.flags & HAS_NOTE)?,
        };
        Some(Move {
            actor: neg.parties.get(record.actor as usize)?.key.clone(),
            kind,
            meta,
        })
    }
}

/// An index no table reaches: an unused subject.
const NONE: u32 = u32::MAX;

/// The strings of one record, read in order.
struct Text<'a>(&'a [u8]);

impl Text<'_> {
    fn next(&mut self) -> Option<String> {
        let (len, rest) = self.0.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let (s, rest) = rest.split_at_checked(len)?;
        self.0 = rest;
        String::from_utf8(s.to_vec()).ok()
    }

    /// The next string if `present` (a flag bit), `Some(None)` if not.
    fn optional(&mut self, present: u8) -> Option<Option<String>> {
        if present == 0 {
            return Some(None);
        }
        self.next().map(Some)
    }
}

/// Appends `s` to a record's text.
fn put(text: &mut Vec<u8>, s: &str) -> Option<()> {
    text.extend_from_slice(&u32::try_from(s.len()).ok()?.to_le_bytes());
    text.extend_from_slice(s.as_bytes());
    Some(())
}

/// The record of `mv` (its `text_end` still to be set), its text appended to `text`; `None`
/// if the move is kept whole: a declaration, or an id that is not exactly a key of `neg`
/// (the caller then truncates `text`).
fn compact(neg: &Negotiation, mv: &Move, text: &mut Vec<u8>) -> Option<Record> {
    let index = |i: usize| u32::try_from(i).ok().filter(|&i| i != NONE);
    let node = |key: &str| neg.node_id(key).and_then(|n| index(n.index()));
    let track = |key: &str| neg.track_id(key).and_then(|t| index(t.index()));
    let actor = neg.party_id(&mv.actor).and_then(|p| index(p.index()))?;
    let mut flags = 0;
    let one = |tag: Tag, a: &str| Some((tag, node(a)?, NONE));
    let (tag, a, b) = match &mv.kind {
        MoveKind::SetPosition { article, position } => {
            flags |= match position {
                Position::NotStated => 0,
                Position::Accepts => 1,
                Position::Rejects => 2,
            };
            one(Tag::SetPosition, article)?
        }
        MoveKind::ProposeArticle {
            article,
            track: t,
            title,
        } => {
            let record = (Tag::ProposeArticle, node(article)?, track(t)?);
            put(text, title)?;
            record
        }
        MoveKind::AmendArticle { article, title } => {
            let record = one(Tag::AmendArticle, article)?;
            put(text, title)?;
            record
        }
        MoveKind::MoveArticle { article, to_track } => {
            (Tag::MoveArticle, node(article)?, track(to_track)?)
        }
        MoveKind::ExcludeArticle { article } => one(Tag::ExcludeArticle, article)?,
        MoveKind::Link { condition, stage } => (Tag::Link, node(condition)?, node(stage)?),
        MoveKind::Unlink { condition, stage } => (Tag::Unlink, node(condition)?, node(stage)?),
        MoveKind::Waive { condition } => one(Tag::Waive, condition)?,
        MoveKind::Contest { condition } => one(Tag::Contest, condition)?,
        MoveKind::Fulfil { condition } => one(Tag::Fulfil, condition)?,
        MoveKind::Offer { concession } => one(Tag::Offer, concession)?,
        MoveKind::Make { concession } => one(Tag::Make, concession)?,
        MoveKind::Retract { concession } => one(Tag::Retract, concession)?,
        MoveKind::Perform { stage } => one(Tag::Perform, stage)?,
        MoveKind::DeclareReady { stage } => one(Tag::DeclareReady, stage)?,
        MoveKind::Unrequire { node: n, required } => (Tag::Unrequire, node(n)?, node(required)?),
        MoveKind::Record { event, about } => {
            put(text, event)?;
            if let Some(about) = about {
                flags |= HAS_ABOUT;
                put(text, about)?;
            }
            (Tag::Record, NONE, NONE)
        }
        MoveKind::Demand { .. }
        | MoveKind::Require { .. }
        | MoveKind::OpenTrack { .. }
        | MoveKind::Reschedule { .. }
        | MoveKind::Extend { .. } => return None,
    };
    if let Some(source) = &mv.meta.source {
        flags |= HAS_SOURCE;
        put(text, source)?;
    }
    if let Some(note) = &mv.meta.note {
        flags |= HAS_NOTE;
        put(text, note)?;
    }
    Some(Record {
        actor,
        a,
        b,
        text_end: 0,
        date: mv.meta.date,
        tag,
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::Record;

    /// The size the history's memory figures rest on (`BENCHMARKS.md`, *Memory*).
    #[test]
    fn a_record_is_24_bytes() {
        assert_eq!(std::mem::size_of::<Record>(), 24);
    }
}

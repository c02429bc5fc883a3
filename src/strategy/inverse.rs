//! Inverse GMCR: the fewest preference changes under which a chosen state is an equilibrium.
//!
//! The forward analysis takes preferences and finds the stable states; the inverse takes a
//! state and a concept and finds how the decision makers' preferences would have to change for
//! that state to be stable for every one of them. A change moves one state in one decision
//! maker's ranking: below or level with the desired state (so that it no longer tempts), or
//! just above or below another state (so that a move between the two becomes an improvement
//! for its mover, and an answer to someone else's move). The desired state itself never
//! moves. Answers are minimal in the number of changes, found by a branch and bound search
//! that branches only on the changes that can remove one undeterred improvement, and each
//! answer is verified by running [`Conflict::analyse`] on the conflict with the new
//! preferences.

use std::collections::BTreeSet;
use std::fmt;

use super::conflict::{foreign_note, Conflict, DmId, MoverId, Preferences, Stamp, StateId};
use super::stability::Concept;

/// The gap between two adjacent tiers in the search's numeric levels, leaving room to place a
/// state just above or below another.
const SPACING: i64 = 1 << 20;

/// How [`Conflict::inverse`] searches.
///
/// # Examples
///
/// ```
/// use negotiation::strategy::{ConflictBuilder, InverseOptions};
///
/// # let mut b = ConflictBuilder::new();
/// # b = b.option("sign").decision_maker("Armenia", ["sign"]).rank("Armenia", [["Y"], ["N"]]);
/// # let conflict = b.build()?;
/// // At most 50,000 search nodes, at most 3 changes, Armenia's preferences kept as they
/// // are, and up to 4 answers of the least cost.
/// let armenia = conflict.dm_id("Armenia").ok_or("no Armenia")?;
/// let options = InverseOptions::new()
///     .budget(50_000)
///     .max_changes(3)
///     .keep(armenia)
///     .answers(4);
/// # let _ = options;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct InverseOptions {
    budget: usize,
    max_changes: Option<usize>,
    keep: Vec<DmId>,
    answers: usize,
}

impl Default for InverseOptions {
    fn default() -> Self {
        InverseOptions {
            budget: 10_000,
            max_changes: None,
            keep: Vec::new(),
            answers: 1,
        }
    }
}

impl InverseOptions {
    /// The defaults: a budget of 10,000 search nodes, no bound on the number of changes, every
    /// decision maker's preferences open to change, one answer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The most search nodes explored (each is one candidate set of changes, checked against
    /// the concept). SIM and SEQ+SIM checks also count the others' joint improvements they
    /// enumerate: at most 1,024 per node of the budget over the whole search. When the budget
    /// runs out the best answer found so far is returned, marked not exact.
    pub fn budget(mut self, nodes: usize) -> Self {
        self.budget = nodes;
        self
    }

    /// Answers with more than `changes` changes are not sought.
    pub fn max_changes(mut self, changes: usize) -> Self {
        self.max_changes = Some(changes);
        self
    }

    /// Keeps this decision maker's preferences as given: the answers change only the others'.
    pub fn keep(mut self, dm: DmId) -> Self {
        if !self.keep.contains(&dm) {
            self.keep.push(dm);
        }
        self
    }

    /// Returns up to `answers` different answers of the least cost (at least one).
    pub fn answers(mut self, answers: usize) -> Self {
        self.answers = answers.max(1);
        self
    }
}

/// Where a [`Change`] puts a state in a decision maker's ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Placement {
    /// In the tier of this state (the desired one): the decision maker no longer prefers the
    /// moved state to it.
    TiedWith(StateId),
    /// Just above this state: the decision maker now prefers the moved state to it.
    Above(StateId),
    /// Just below this state: the decision maker now prefers it to the moved state.
    Below(StateId),
}

/// Why a [`Change`] is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// The moved state was a move of the decision maker's own from the desired state, which it
    /// preferred: it must no longer prefer it.
    Improvement,
    /// The change lets the others deter `mover`'s move from the desired state to
    /// `improvement`: it makes a state they can bring about one `mover` does not prefer, or a
    /// move of theirs an improvement they would make, or one of `mover`'s escapes from a
    /// sanction (SMR) no longer tempting.
    Deters {
        /// The decision maker whose move is deterred.
        mover: DmId,
        /// Where that move goes.
        improvement: StateId,
    },
}

/// One change of one decision maker's preferences: a state moved in its ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Change {
    /// Whose ranking changes.
    pub dm: DmId,
    /// The state moved.
    pub state: StateId,
    /// Where it goes.
    pub placement: Placement,
    /// What the change is for.
    pub reason: Reason,
}

/// One set of changes that makes the state an equilibrium, with the resulting rankings.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[must_use]
pub struct Answer {
    /// The changes, by decision maker, then state.
    pub changes: Vec<Change>,
    /// The new ranking (tiers of tied states, most preferred first) of every decision maker
    /// whose preferences change, by decision maker. The others keep theirs.
    pub rankings: Vec<(DmId, Vec<Vec<StateId>>)>,
    /// The conflict the answer was found for.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
}

impl Answer {
    /// An answer of one's own: these rankings (tiers of tied states, most preferred first)
    /// for these decision makers, to [`apply`](Self::apply) to a conflict, for instance to
    /// try preferences by hand. It lists no changes, and belongs to no conflict: `apply`
    /// checks its ids and their shape, as for an answer read from elsewhere.
    pub fn from_rankings(rankings: Vec<(DmId, Vec<Vec<StateId>>)>) -> Answer {
        Answer {
            changes: Vec::new(),
            rankings,
            stamp: Stamp::default(),
        }
    }

    /// The number of changes.
    #[must_use]
    pub fn cost(&self) -> usize {
        self.changes.len()
    }

    /// The changes of one decision maker's preferences, by state.
    pub fn changes_of(&self, dm: DmId) -> impl Iterator<Item = &Change> + '_ {
        self.changes.iter().filter(move |c| c.dm == dm)
    }

    /// The decision makers whose preferences change, in order.
    #[must_use]
    pub fn changed(&self) -> Vec<DmId> {
        self.rankings.iter().map(|(d, _)| *d).collect()
    }

    /// A decision maker's new preferences, as a ranking; `None` when they do not change.
    #[must_use]
    pub fn preferences(&self, dm: DmId) -> Option<Preferences> {
        self.rankings
            .iter()
            .find(|(d, _)| *d == dm)
            .map(|(_, tiers)| Preferences::Ranking(tiers.clone()))
    }

    /// The conflict with these preferences, on which the answer was verified. `conflict`
    /// must be the conflict the answer was found for, or a clone of it.
    ///
    /// # Errors
    ///
    /// [`InverseError::AnswerOfAnotherConflict`] for an answer found for another conflict
    /// (even one built alike). When `conflict` does not have the answer's shape, an error
    /// naming the offending id:
    /// [`InverseError::AnswerDecisionMaker`] (a ranked decision maker it does not have),
    /// [`InverseError::AnswerState`] (a ranked state it does not have),
    /// [`InverseError::AnswerRepeatedState`] or [`InverseError::AnswerMissingState`] (a
    /// ranking that does not cover its states exactly once).
    pub fn apply(&self, conflict: &Conflict) -> Result<Conflict, InverseError> {
        let stamp = conflict.stamp;
        let foreign = self.rankings.iter().any(|(d, tiers)| {
            d.foreign_to(stamp) || tiers.iter().flatten().any(|s| s.foreign_to(stamp))
        });
        if foreign || !self.stamp.admits(conflict) {
            return Err(InverseError::AnswerOfAnotherConflict);
        }
        let mut out = conflict.clone();
        let n = conflict.state_count();
        let count = conflict.decision_makers().len();
        for (d, tiers) in &self.rankings {
            if d.index() >= count {
                return Err(InverseError::AnswerDecisionMaker {
                    index: d.index(),
                    count,
                });
            }
            let mut seen = vec![false; n];
            for s in tiers.iter().flatten() {
                match seen.get_mut(s.index()) {
                    Some(x) if !*x => *x = true,
                    Some(_) => {
                        return Err(InverseError::AnswerRepeatedState {
                            dm: d.index(),
                            index: s.index(),
                        })
                    }
                    None => {
                        return Err(InverseError::AnswerState {
                            dm: d.index(),
                            index: s.index(),
                            states: n,
                        })
                    }
                }
            }
            if let Some(missing) = seen.iter().position(|x| !x) {
                return Err(InverseError::AnswerMissingState {
                    dm: d.index(),
                    index: missing,
                });
            }
            out.set_preferences(*d, Preferences::Ranking(tiers.clone()), Vec::new());
        }
        Ok(out)
    }
}

/// Why no answer was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum NoAnswer {
    /// `mover`'s move to `improvement` cannot be deterred by any allowed change: the mover's
    /// preferences are kept ([`InverseOptions::keep`]) and so are those of everyone whose
    /// answer could deter it (or nobody can answer it). No answer exists. Under SEQ+SIM it
    /// names a move that neither SEQ nor SIM can deter; when the moves left undeterred differ
    /// between the two, no single move is to blame and the search reports
    /// [`Exhausted`](Self::Exhausted) instead.
    Undeterrable {
        /// The decision maker whose move cannot be deterred.
        mover: DmId,
        /// Where the move goes.
        improvement: StateId,
    },
    /// Every answer needs more changes than [`InverseOptions::max_changes`] allows.
    TooManyChanges {
        /// The bound.
        max: usize,
    },
    /// The budget ran out before any answer was found.
    Budget,
    /// The search finished without an answer: every set of changes it tried ends at a move
    /// that no further allowed change deters (kept decision makers stand in the way). For
    /// Nash, GMR, SMR and SIM no answer exists; for SEQ and SEQ+SIM none built from the
    /// search's placements (see [`Conflict::inverse`]).
    Exhausted,
}

/// What [`Conflict::inverse`] found: the least preference changes under which a state is an
/// equilibrium, per decision maker.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct Inverse {
    /// The desired state.
    pub state: StateId,
    /// The concept.
    pub concept: Concept,
    /// The decision makers for which the state is unstable under the given preferences; empty
    /// when it is an equilibrium already (then the one answer has no change).
    pub unstable_for: Vec<DmId>,
    /// Answers, all of the least cost found, best first; empty when none was found (see
    /// `obstacle`).
    pub answers: Vec<Answer>,
    /// Whether the search finished. For Nash, GMR, SMR and SIM no answer with fewer changes
    /// exists; for SEQ and SEQ+SIM none with fewer among the changes the search considers (a
    /// state moved once, level with the desired state or just above or below another: see
    /// [`Conflict::inverse`]). When `false` the budget stopped it and the answers are an
    /// upper bound.
    pub exact: bool,
    /// Search nodes explored (candidate sets of changes checked).
    pub explored: usize,
    /// The budget the search had.
    pub budget: usize,
    /// A lower bound on the number of changes any answer needs. While the search runs it is
    /// the bound proved from the desired state's violations before branching (at least 1
    /// unless the state is stable already); when the search finishes with an answer
    /// (`exact`) it is raised to that answer's cost, since no cheaper one exists (for SEQ and
    /// SEQ+SIM: among the changes the search considers). When the budget runs out it stays
    /// the bound proved before searching.
    pub lower_bound: usize,
    /// Why there is no answer, when `answers` is empty.
    pub obstacle: Option<NoAnswer>,
    /// The conflict searched.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
}

impl Inverse {
    /// Whether the state is an equilibrium under the given preferences.
    #[must_use]
    pub fn is_already_stable(&self) -> bool {
        self.unstable_for.is_empty()
    }

    /// The first answer, if any.
    #[must_use]
    pub fn best(&self) -> Option<&Answer> {
        self.answers.first()
    }

    /// The result as text: per answer, per decision maker, what it must come to prefer.
    /// `conflict` names the states; it must be the conflict the result is for.
    #[must_use]
    pub fn display<'a>(&'a self, conflict: &'a Conflict) -> impl fmt::Display + 'a {
        Shown {
            inverse: self,
            conflict,
        }
    }
}

struct Shown<'a> {
    inverse: &'a Inverse,
    conflict: &'a Conflict,
}

/// A state as `number (pattern)`, with the options that differ from `from`.
fn named(c: &Conflict, from: StateId, s: StateId) -> String {
    if s == from {
        return s.display(c).to_string();
    }
    let changed = c
        .changes_raw(from, s)
        .into_iter()
        .map(|o| {
            let now = if c.is_taken_raw(s, o) { "Y" } else { "N" };
            format!("{}→{now}", c.qualified_name_raw(o))
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("{} ({}: {changed})", s.number(), c.pattern_raw(s))
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, c) = (self.inverse, self.conflict);
        if !x.stamp.admits(c) {
            return writeln!(f, "{}", foreign_note("inverse result"));
        }
        let s = x.state;
        let dm = |d: DmId| c.dm_name_raw(d).to_string();
        writeln!(f, "{} for {}:", x.concept, s.display(c))?;
        if x.is_already_stable() {
            return writeln!(
                f,
                "  already an equilibrium under the given preferences: no change needed."
            );
        }
        let names: Vec<String> = x.unstable_for.iter().map(|&d| dm(d)).collect();
        writeln!(
            f,
            "  not an equilibrium under the given preferences: unstable for {}.",
            names.join(", ")
        )?;
        let Some(best) = x.best() else {
            let why = match x.obstacle {
                Some(NoAnswer::Undeterrable { mover, improvement }) => format!(
                    "no allowed change deters {}'s move to {}",
                    dm(mover),
                    named(c, s, improvement)
                ),
                Some(NoAnswer::TooManyChanges { max }) => {
                    format!("every answer needs more than {max} changes")
                }
                Some(NoAnswer::Exhausted) => {
                    "every way tried ends at a move no allowed change deters".into()
                }
                _ => format!("the budget of {} search nodes ran out first", x.budget),
            };
            return writeln!(f, "  no answer: {why}.");
        };
        let n = best.cost();
        let plural = if n == 1 { "" } else { "s" };
        if x.exact {
            let among = match x.concept {
                Concept::Seq | Concept::SeqSim => " among the changes this search considers",
                _ => "",
            };
            writeln!(
                f,
                "  {n} change{plural} suffice, and no fewer{among} do (search finished: {} \
                 nodes explored).",
                x.explored
            )?;
        } else {
            writeln!(
                f,
                "  {n} change{plural} suffice; fewer may too: the budget of {} search nodes ran \
                 out (at least {} needed).",
                x.budget, x.lower_bound
            )?;
        }
        let many = x.answers.len() > 1;
        let pad = if many { "    " } else { "  " };
        for (k, a) in x.answers.iter().enumerate() {
            if many {
                writeln!(f, "  answer {}:", k + 1)?;
            }
            let mut last = None;
            for ch in &a.changes {
                if last != Some(ch.dm) {
                    writeln!(f, "{pad}- {}:", dm(ch.dm))?;
                    last = Some(ch.dm);
                }
                let t = named(c, s, ch.state);
                let what = match ch.placement {
                    Placement::TiedWith(u) => format!(
                        "must come to prefer {} at least as much as {t}",
                        u.display(c)
                    ),
                    Placement::Above(u) => {
                        format!("must come to prefer {t} to {}", named(c, s, u))
                    }
                    Placement::Below(u) => {
                        format!("must come to prefer {} to {t}", named(c, s, u))
                    }
                };
                let why = match ch.reason {
                    Reason::Improvement => {
                        format!("a move of its own from {s}, which it preferred")
                    }
                    Reason::Deters { mover, improvement } => format!(
                        "so that {}'s move from {s} to {improvement} is deterred",
                        dm(mover),
                    ),
                };
                writeln!(f, "{pad}  - {what}; {why}")?;
            }
        }
        Ok(())
    }
}

/// Why [`Conflict::inverse`] or [`Answer::apply`] failed.
///
/// Marked `#[non_exhaustive]`: new variants are not breaking changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InverseError {
    /// An answer was applied to a conflict other than the one it was found for (or a clone
    /// of it); its states and decision makers would mean something else there.
    #[error(
        "the answer was found for another conflict: apply it to that conflict or a clone of it"
    )]
    AnswerOfAnotherConflict,
    /// The desired state is not a state of the conflict (out of range, or another
    /// conflict's).
    #[error("state id {index} (number {}): the conflict has {states} feasible states", index + 1)]
    UnknownState {
        /// The id's index.
        index: usize,
        /// The conflict's feasible states.
        states: usize,
    },
    /// A decision maker to keep is not one of the conflict's (out of range, or another
    /// conflict's).
    #[error("decision maker id {index} (to keep): the conflict has {count} decision makers")]
    UnknownDecisionMaker {
        /// The id's index.
        index: usize,
        /// The conflict's decision makers.
        count: usize,
    },
    /// An answer ranks a decision maker the conflict it is applied to does not have.
    #[error(
        "the answer ranks decision maker id {index}: this conflict has {count} decision makers"
    )]
    AnswerDecisionMaker {
        /// The decision maker id's index.
        index: usize,
        /// The conflict's decision makers.
        count: usize,
    },
    /// An answer's ranking names a state the conflict it is applied to does not have.
    #[error(
        "the answer's ranking for decision maker id {dm} has state id {index} (number {}): \
         this conflict has {states} feasible states",
        index + 1
    )]
    AnswerState {
        /// The index of the decision maker whose ranking it is.
        dm: usize,
        /// The state id's index.
        index: usize,
        /// The conflict's feasible states.
        states: usize,
    },
    /// An answer's ranking names a state twice in the conflict it is applied to.
    #[error(
        "the answer's ranking for decision maker id {dm} has state id {index} (number {}) \
         twice",
        index + 1
    )]
    AnswerRepeatedState {
        /// The index of the decision maker whose ranking it is.
        dm: usize,
        /// The state id's index.
        index: usize,
    },
    /// An answer's ranking leaves out a state of the conflict it is applied to.
    #[error(
        "the answer's ranking for decision maker id {dm} leaves out state id {index} \
         (number {})",
        index + 1
    )]
    AnswerMissingState {
        /// The index of the decision maker whose ranking it is.
        dm: usize,
        /// The first state id's index left out.
        index: usize,
    },
}

impl Conflict {
    /// Inverse GMCR: the fewest changes to the decision makers' preferences under which state
    /// `state` is an equilibrium under `concept` (stable for every decision maker), and the
    /// resulting rankings.
    ///
    /// A change moves one state in one decision maker's ranking ([`Placement`]); the desired
    /// state keeps its place. Stability under Nash, GMR, SMR and SIM depends only on which
    /// states each decision maker prefers to the desired one, so for them the answer is
    /// minimal over *every* preference profile in the number of (decision maker, state)
    /// comparisons with the desired state that must flip. Nash needs each decision maker to
    /// stop preferring its own moves; GMR, SMR and SIM may instead make a state the others can
    /// bring about (or, for SIM, bring about by improvements) no better than the desired
    /// state. SEQ (and SEQ+SIM) also depends on which moves the others count as improvements:
    /// there a change may also place a state just above or below another so that a move
    /// between them becomes an improvement for its mover, and the answer is minimal among
    /// answers built from these placements. Every answer returned is verified by
    /// [`Conflict::analyse`] on the conflict with the new preferences ([`Answer::apply`]).
    /// Each decision maker moves alone, as in [`Conflict::analyse`]; coalitions are not
    /// considered.
    ///
    /// When the state is an equilibrium already, the one answer is empty. Unless
    /// [`InverseOptions::keep`] protects some decision makers, an answer always exists and is
    /// returned even when the budget runs out (unless [`InverseOptions::max_changes`] is
    /// smaller than it): placing every move a decision maker
    /// prefers from the state level with it makes the state Nash-stable, hence stable under
    /// every concept. When there is no answer, [`Inverse::obstacle`] says why: a move of a kept
    /// decision maker nobody may be changed to deter, the bound on changes, or the budget.
    ///
    /// # Errors
    ///
    /// [`InverseError::UnknownState`] or [`InverseError::UnknownDecisionMaker`] for ids that
    /// are not the conflict's.
    ///
    /// # Complexity
    ///
    /// A depth-first branch and bound with an explicit stack (no recursion), exploring at most
    /// B = [`InverseOptions::budget`] nodes, each a candidate set of changes. It starts from
    /// the answer that makes everyone Nash-stable (one change per improvement from the state,
    /// an upper bound for every concept) and prunes with a lower bound: the number of
    /// undeterred improvements whose possible repairs share no (decision maker, state) pair.
    /// Each node checks, for every decision maker and each of its m improvements from the
    /// state, the states the others reach from it: O(D × m × S × M) time with S states, D
    /// decision makers and M moves per state of all decision makers together; SIM instead
    /// enumerates the others' simultaneous improvements from the state (their product), at
    /// most 1,024 × B combinations over the whole search (then it stops, not exact). Each
    /// candidate answer is verified by a full [`Conflict::analyse`]. Memory: O(S) for a check,
    /// the path from the root (depth × repairs per node), and O(B × depth) for the sets
    /// already explored. Measured (release build, `negotiation::generate::conflict(options,
    /// decision makers, 0, 7)`, default budget, first and last state, every concept): 256
    /// states and 3 decision makers at most 2.9 s; 1,024 and 4 at most 8.2 s; 4,096 and 4 at
    /// most 12 s; the slowest are SEQ, SIM and SEQ+SIM spending the budget, the others take
    /// milliseconds; 6.3 MB peak memory for the whole run.
    ///
    /// # Examples
    ///
    /// In the Prisoner's Dilemma, mutual cooperation is Nash-stable only if neither prisoner
    /// prefers defecting alone:
    ///
    /// ```
    /// use negotiation::strategy::{Concept, ConflictBuilder, InverseOptions, StateRef};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("p1 cooperates").option("p2 cooperates");
    /// b = b.decision_maker("P1", ["p1 cooperates"]).decision_maker("P2", ["p2 cooperates"]);
    /// b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    /// b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    /// let pd = b.build()?;
    /// let both = pd.state(&StateRef::from("YY"))?;
    /// let inverse = pd.inverse(both, Concept::Nash, &InverseOptions::new())?;
    /// assert!(inverse.exact);
    /// let answer = inverse.best().expect("an answer");
    /// let moved: Vec<String> = answer.changes.iter().filter_map(|c| pd.pattern(c.state)).collect();
    /// assert_eq!(moved, ["NY", "YN"]); // P1 stops preferring NY, P2 stops preferring YN
    /// let changed = answer.apply(&pd)?;
    /// assert!(changed.analyse().equilibria(Concept::Nash).contains(&both));
    /// println!("{}", inverse.display(&pd));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use = "the inverse is returned, not applied"]
    pub fn inverse(
        &self,
        state: StateId,
        concept: Concept,
        options: &InverseOptions,
    ) -> Result<Inverse, InverseError> {
        if self.st(state).is_none() {
            return Err(InverseError::UnknownState {
                index: state.index(),
                states: self.state_count(),
            });
        }
        let count = self.decision_makers().len();
        if let Some(d) = options.keep.iter().find(|&&d| self.dmi(d).is_none()) {
            return Err(InverseError::UnknownDecisionMaker {
                index: d.index(),
                count,
            });
        }
        Ok(Search::new(self, state, concept, options).run())
    }
}

/// The one call into the stability engine: whether `s` is stable for each decision maker
/// under `concept`. Everything the search accepts passes through here.
fn engine_stable(conflict: &Conflict, concept: Concept, s: StateId) -> Vec<bool> {
    let a = conflict.analyse();
    (0..conflict.decision_makers().len())
        .map(|d| a.is_stable_raw(concept, MoverId::from_index(d), s))
        .collect()
}

/// A state moved in a decision maker's ranking: its new numeric level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Mod {
    dm: u32,
    state: u32,
    level: i64,
    placement: Placement,
    reason: Reason,
}

impl Mod {
    fn key(&self) -> (u32, u32) {
        (self.dm, self.state)
    }

    /// What the change requires, whichever state it moves: (decision maker, the state it must
    /// prefer, the other one, strictly or at least as much).
    fn requirement(&self) -> (u32, u32, u32, bool) {
        match self.placement {
            Placement::TiedWith(u) => (self.dm, u.index, self.state, false),
            Placement::Above(u) => (self.dm, self.state, u.index, true),
            Placement::Below(u) => (self.dm, u.index, self.state, true),
        }
    }
}

/// The requirements of a set of changes, sorted: two answers with the same are one answer.
fn requirements(mods: &[Mod]) -> Vec<(u32, u32, u32, bool)> {
    let mut r: Vec<_> = mods.iter().map(Mod::requirement).collect();
    r.sort_unstable();
    r
}

/// An undeterred improvement and the changes that could each remove it.
/// A requirement on every answer: it makes one of `options`. `improvement` is the move of
/// `dm` that stays undeterred otherwise, when one move does (under SEQ+SIM a requirement
/// joins a SEQ and a SIM violation, and names a move only if it is the same one).
struct Violation {
    dm: u32,
    improvement: Option<u32>,
    options: Vec<Mod>,
}

struct Search<'c> {
    conflict: &'c Conflict,
    s: u32,
    concept: Concept,
    budget: usize,
    max_changes: Option<usize>,
    keep: Vec<bool>,
    want: usize,
    /// Stamps for breadth-first searches, one per state.
    seen: Vec<u32>,
    stamp: u32,
    /// SIM: the others' joint improvements enumerated so far, in the whole search, and
    /// whether that ran past [`SIM_COMBINATIONS_PER_NODE`] × budget (then a check may have
    /// missed a sanction and the search stops, not exact).
    combinations: usize,
    combinations_out: bool,
}

/// SIM checks enumerate the others' joint improvements from the desired state; the whole
/// search enumerates at most this many per node of the budget.
const SIM_COMBINATIONS_PER_NODE: usize = 1024;

impl<'c> Search<'c> {
    fn new(conflict: &'c Conflict, s: StateId, concept: Concept, o: &InverseOptions) -> Self {
        let d = conflict.decision_makers().len();
        let mut keep = vec![false; d];
        for k in &o.keep {
            if let Some(x) = keep.get_mut(k.index()) {
                *x = true;
            }
        }
        Search {
            conflict,
            s: s.index,
            concept,
            budget: o.budget,
            max_changes: o.max_changes,
            keep,
            want: o.answers.max(1),
            seen: vec![0; conflict.state_count()],
            stamp: 0,
            combinations: 0,
            combinations_out: false,
        }
    }

    fn level(&self, mods: &[Mod], d: u32, t: u32) -> i64 {
        match mods.binary_search_by_key(&(d, t), Mod::key) {
            Ok(k) => mods[k].level,
            Err(_) => i64::from(self.conflict.payoff_raw(DmId(d), StateId(t))) * SPACING,
        }
    }

    fn improves(&self, mods: &[Mod], d: u32, from: u32, to: u32) -> bool {
        self.level(mods, d, to) > self.level(mods, d, from)
    }

    fn moves(&self, d: u32, from: u32) -> impl Iterator<Item = u32> + 'c {
        self.conflict
            .moves_raw(DmId(d), StateId(from))
            .map(|t| t.index)
    }

    fn dms(&self) -> u32 {
        self.conflict.decision_makers().len() as u32
    }

    /// The states the decision makers other than `i` reach from `start` by sequences of
    /// moves (improvements only when `improving`), `start` first. A mover may move twice in
    /// a row here; the engine shows this reaches the same states as legal sequences, except
    /// possibly `start`, which never sanctions.
    fn reach(&mut self, mods: &[Mod], i: u32, start: u32, improving: bool) -> Vec<u32> {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.iter_mut().for_each(|x| *x = 0);
            self.stamp = 1;
        }
        let mut out = vec![start];
        self.seen[start as usize] = self.stamp;
        let mut next = 0;
        while let Some(&x) = out.get(next) {
            next += 1;
            for j in (0..self.dms()).filter(|&j| j != i) {
                for y in self.moves(j, x) {
                    if self.seen[y as usize] == self.stamp
                        || (improving && !self.improves(mods, j, x, y))
                    {
                        continue;
                    }
                    self.seen[y as usize] = self.stamp;
                    out.push(y);
                }
            }
        }
        out
    }

    /// A change placing `t` in `d`'s ranking, or `None` when it may not be made: `d` is kept,
    /// `t` is the desired state, or `t` was already moved for `d`.
    fn option(&self, mods: &[Mod], d: u32, t: u32, p: Placement, reason: Reason) -> Option<Mod> {
        if t == self.s
            || self.keep.get(d as usize).copied().unwrap_or(true)
            || mods.binary_search_by_key(&(d, t), Mod::key).is_ok()
        {
            return None;
        }
        let level = match p {
            Placement::TiedWith(u) => self.level(mods, d, u.index),
            Placement::Above(u) => self.level(mods, d, u.index) + 1,
            Placement::Below(u) => self.level(mods, d, u.index) - 1,
        };
        Some(Mod {
            dm: d,
            state: t,
            level,
            placement: p,
            reason,
        })
    }

    /// Every undeterred improvement of every decision maker at the desired state under the
    /// concept, each with the changes that could remove it. Empty when the state is stable
    /// for everyone.
    fn violations(&mut self, mods: &[Mod]) -> Vec<Violation> {
        let mut out = Vec::new();
        for i in 0..self.dms() {
            let mut per_part: Vec<Vec<Violation>> = Vec::new();
            for &part in self.concept.parts() {
                per_part.push(self.undeterred(mods, i, part));
            }
            match per_part.as_mut_slice() {
                [one] => out.append(one),
                // SEQ+SIM: i is stable when it is SEQ-stable or SIM-stable, so an answer
                // removes every SEQ violation or every SIM one. For any SEQ violation `a` and
                // SIM violation `b`, an answer therefore makes one of `a`'s repairs or one of
                // `b`'s: a valid requirement whichever way i ends up stable. Pairing the
                // fewest-repair ones first gives the branching its narrowest choice; unpaired
                // leftovers only weaken the lower bound, and the node's children are checked
                // again, so the search stops only where one side has no violation left. Each
                // repair keeps the reason of the side that found it.
                [seq, sim] if !seq.is_empty() && !sim.is_empty() => {
                    seq.sort_by_key(|v| v.options.len());
                    sim.sort_by_key(|v| v.options.len());
                    // A move neither side can deter, if there is one.
                    let seq_stuck: BTreeSet<Option<u32>> = seq
                        .iter()
                        .filter(|v| v.options.is_empty())
                        .map(|v| v.improvement)
                        .collect();
                    let stuck = sim
                        .iter()
                        .filter(|v| v.options.is_empty())
                        .map(|v| v.improvement)
                        .find(|m| seq_stuck.contains(m))
                        .flatten();
                    for (a, b) in seq.iter_mut().zip(sim.iter_mut()) {
                        let mut options = std::mem::take(&mut a.options);
                        options.append(&mut b.options);
                        options.sort();
                        options.dedup();
                        // With no repair on either side, name a move only if it is the same
                        // one: a SEQ-undeterred move may be SIM-deterred already.
                        let improvement = if options.is_empty() { stuck } else { None };
                        out.push(Violation {
                            dm: i,
                            improvement,
                            options,
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The improvements of `i` from the desired state that `part` does not deter.
    fn undeterred(&mut self, mods: &[Mod], i: u32, part: Concept) -> Vec<Violation> {
        let s = self.s;
        let at_s = self.level(mods, i, s);
        let improvements: Vec<u32> = self
            .moves(i, s)
            .filter(|&t| self.level(mods, i, t) > at_s)
            .collect();
        let mut out = Vec::new();
        for s1 in improvements {
            let deters = Reason::Deters {
                mover: DmId(i),
                improvement: StateId(s1),
            };
            let tie = Placement::TiedWith(StateId(s));
            let mut options: Vec<Mod> = self
                .option(mods, i, s1, tie, Reason::Improvement)
                .into_iter()
                .collect();
            let sanctioned = match part {
                Concept::Nash => false,
                Concept::Gmr | Concept::Seq => {
                    let reached = self.reach(mods, i, s1, part == Concept::Seq);
                    let found = reached[1..]
                        .iter()
                        .any(|&s2| self.level(mods, i, s2) <= at_s);
                    if !found {
                        for &s2 in &reached[1..] {
                            options.extend(self.option(mods, i, s2, tie, deters));
                        }
                        if part == Concept::Seq {
                            self.answers_made_improving(mods, i, &reached, deters, &mut options);
                        }
                    }
                    found
                }
                Concept::Smr => {
                    let reached = self.reach(mods, i, s1, false);
                    let mut found = false;
                    let mut repairs = Vec::new();
                    for &s2 in &reached[1..] {
                        if self.level(mods, i, s2) > at_s {
                            repairs.extend(self.option(mods, i, s2, tie, deters));
                            continue;
                        }
                        let escapes: Vec<u32> = self
                            .moves(i, s2)
                            .filter(|&t| self.level(mods, i, t) > at_s)
                            .collect();
                        if escapes.is_empty() {
                            found = true;
                            break;
                        }
                        for t in escapes {
                            repairs.extend(self.option(mods, i, t, tie, deters));
                        }
                    }
                    if !found {
                        options.append(&mut repairs);
                    }
                    found
                }
                Concept::Sim | Concept::SeqSim => self.sim(mods, i, s1, deters, &mut options),
            };
            if !sanctioned {
                options.sort();
                options.dedup();
                out.push(Violation {
                    dm: i,
                    improvement: Some(s1),
                    options,
                });
            }
        }
        out
    }

    /// SEQ repairs: for every state `x` the others reach by improvements and every move of
    /// theirs from it that is not an improvement, place its end just above `x` or `x` just
    /// below its end, so that it becomes one.
    fn answers_made_improving(
        &self,
        mods: &[Mod],
        i: u32,
        reached: &[u32],
        deters: Reason,
        options: &mut Vec<Mod>,
    ) {
        for &x in reached {
            for j in (0..self.dms()).filter(|&j| j != i) {
                for y in self.moves(j, x) {
                    if self.improves(mods, j, x, y) {
                        continue;
                    }
                    let above = Placement::Above(StateId(x));
                    options.extend(self.option(mods, j, y, above, deters));
                    let below = Placement::Below(StateId(y));
                    options.extend(self.option(mods, j, x, below, deters));
                }
            }
        }
    }

    /// SIM for the improvement `s → s1` of `i`: whether the others' simultaneous improvements
    /// from `s` can meet it with a feasible state `i` does not prefer to `s`; if not, the
    /// repairs (make such a state no better for `i`, or make a move of another an improvement
    /// from `s`).
    fn sim(
        &mut self,
        mods: &[Mod],
        i: u32,
        s1: u32,
        deters: Reason,
        options: &mut Vec<Mod>,
    ) -> bool {
        let c = self.conflict;
        let s = self.s;
        let at_s = self.level(mods, i, s);
        let code_s = c.code_raw(StateId(s));
        let mut groups: Vec<Vec<u64>> = Vec::new();
        for j in (0..self.dms()).filter(|&j| j != i) {
            let mut deltas = vec![0u64]; // staying
            for t in self.moves(j, s) {
                if self.improves(mods, j, s, t) {
                    deltas.push(c.code_raw(StateId(t)) ^ code_s);
                } else {
                    let above = Placement::Above(StateId(s));
                    options.extend(self.option(mods, j, t, above, deters));
                }
            }
            groups.push(deltas);
        }
        // An odometer over each other's choice; all zeros (nobody answers) is skipped.
        let mut digit = vec![0usize; groups.len()];
        let base = c.code_raw(StateId(s1));
        let mut combined = Vec::new();
        loop {
            let mut k = 0;
            while k < groups.len() {
                digit[k] += 1;
                if digit[k] < groups[k].len() {
                    break;
                }
                digit[k] = 0;
                k += 1;
            }
            if k == groups.len() {
                break;
            }
            // Each combination counts against the budget; past it the check is cut short
            // (a sanction may be missed) and the search stops, not exact.
            let cap = SIM_COMBINATIONS_PER_NODE.saturating_mul(self.budget);
            if self.combinations >= cap {
                self.combinations_out = true;
                break;
            }
            self.combinations += 1;
            let code = digit
                .iter()
                .zip(&groups)
                .fold(base, |code, (&d, g)| code ^ g[d]);
            if let Some(t) = c.state_of_code(code) {
                if self.level(mods, i, t.index) <= at_s {
                    return true;
                }
                combined.push(t.index);
            }
        }
        combined.sort_unstable();
        combined.dedup();
        for t in combined {
            let tie = Placement::TiedWith(StateId(s));
            options.extend(self.option(mods, i, t, tie, deters));
        }
        false
    }

    /// A lower bound on the changes still needed: violations whose repairs touch pairwise
    /// different (decision maker, state) pairs each need one of their own.
    fn lower_bound(violations: &[Violation]) -> usize {
        let mut order: Vec<&Violation> = violations.iter().collect();
        order.sort_by_key(|v| v.options.len());
        let mut used: BTreeSet<(u32, u32)> = BTreeSet::new();
        let mut bound = 0;
        for v in order {
            let keys: BTreeSet<(u32, u32)> = v.options.iter().map(Mod::key).collect();
            if keys.is_disjoint(&used) {
                bound += 1;
                used.extend(keys);
            }
        }
        bound
    }

    /// The rankings of the decision makers `mods` moves states for.
    fn rankings(&self, mods: &[Mod]) -> Vec<(DmId, Vec<Vec<StateId>>)> {
        let mut dms: Vec<u32> = mods.iter().map(|m| m.dm).collect();
        dms.dedup();
        dms.into_iter()
            .map(|d| {
                let mut by_level: Vec<(i64, u32)> = self
                    .conflict
                    .states()
                    .map(|t| (self.level(mods, d, t.index), t.index))
                    .collect();
                by_level.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let mut tiers: Vec<Vec<StateId>> = Vec::new();
                let mut last = None;
                for (level, t) in by_level {
                    match tiers.last_mut() {
                        Some(tier) if last == Some(level) => tier.push(StateId(t)),
                        _ => tiers.push(vec![StateId(t)]),
                    }
                    last = Some(level);
                }
                (DmId(d), tiers)
            })
            .collect()
    }

    fn answer(&self, mods: &[Mod]) -> Answer {
        Answer {
            changes: mods
                .iter()
                .map(|m| Change {
                    dm: DmId(m.dm),
                    state: StateId(m.state),
                    placement: m.placement,
                    reason: m.reason,
                })
                .collect(),
            rankings: self.rankings(mods),
            stamp: self.conflict.stamp,
        }
    }

    /// Whether the engine confirms the answer.
    fn verified(&self, answer: &Answer) -> bool {
        match answer.apply(self.conflict) {
            Ok(changed) => engine_stable(&changed, self.concept, StateId(self.s))
                .into_iter()
                .all(|b| b),
            Err(_) => false,
        }
    }

    /// The answer that makes every decision maker Nash-stable: each of its moves from the
    /// desired state that it prefers is placed level with it. `None` when a kept decision
    /// maker has such a move. An answer under every concept, and the search's first bound.
    fn nash_everywhere(&self) -> Option<Vec<Mod>> {
        let mut mods = Vec::new();
        for i in 0..self.dms() {
            let at_s = self.level(&[], i, self.s);
            for t in self.moves(i, self.s) {
                if self.level(&[], i, t) > at_s {
                    let tie = Placement::TiedWith(StateId(self.s));
                    mods.push(self.option(&[], i, t, tie, Reason::Improvement)?);
                }
            }
        }
        mods.sort();
        Some(mods)
    }

    /// The repairs of the violation to branch on (the one with the fewest), those that also
    /// appear among other violations' repairs first.
    fn branches(violations: &[Violation]) -> Vec<Mod> {
        let Some(v) = violations.iter().min_by_key(|v| v.options.len()) else {
            return Vec::new();
        };
        let mut count: std::collections::BTreeMap<(u32, u32), usize> = Default::default();
        for m in violations.iter().flat_map(|v| &v.options) {
            *count.entry(m.key()).or_default() += 1;
        }
        let mut options = v.options.clone();
        options.sort_by_key(|m| std::cmp::Reverse(count.get(&m.key()).copied().unwrap_or(0)));
        options
    }

    fn run(mut self) -> Inverse {
        let s = StateId(self.s);
        let unstable_for: Vec<DmId> = engine_stable(self.conflict, self.concept, s)
            .into_iter()
            .enumerate()
            .filter(|(_, stable)| !stable)
            .map(|(d, _)| DmId::from_index(d))
            .collect();
        let mut result = Inverse {
            state: s,
            concept: self.concept,
            unstable_for,
            answers: Vec::new(),
            exact: true,
            explored: 0,
            budget: self.budget,
            lower_bound: 0,
            obstacle: None,
            stamp: self.conflict.stamp,
        };
        if result.unstable_for.is_empty() {
            result.answers.push(Answer {
                changes: Vec::new(),
                rankings: Vec::new(),
                stamp: self.conflict.stamp,
            });
            return result;
        }
        result.lower_bound = 1;
        let bound = self.max_changes.unwrap_or(usize::MAX);
        // The cheapest cost found, and the answers of that cost with their changes.
        let mut best: Option<usize> = None;
        let mut found: Vec<(Vec<Mod>, Answer)> = Vec::new();
        if let Some(mods) = self.nash_everywhere().filter(|m| m.len() <= bound) {
            let answer = self.answer(&mods);
            if self.verified(&answer) {
                best = Some(mods.len());
                found.push((mods, answer));
            }
        }
        let mut first_obstacle: Option<NoAnswer> = None;
        let mut cut_by_bound = false;
        let mut visited: BTreeSet<Vec<(u32, u32, i64)>> = BTreeSet::new();
        /// A node whose children are being tried: its changes, its lower bound, the changes
        /// to branch on and the next one to try.
        struct Frame {
            mods: Vec<Mod>,
            need: usize,
            options: Vec<Mod>,
            next: usize,
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut pending: Option<Vec<Mod>> = Some(Vec::new());
        loop {
            // The next node to check: the root, then the next child of the top frame.
            let mods = match pending.take() {
                Some(mods) => mods,
                None => {
                    let Some(top) = stack.last_mut() else { break };
                    let dominated = best.is_some_and(|b| {
                        top.need > b || (top.need == b && found.len() >= self.want)
                    });
                    let Some(m) = top.options.get(top.next).copied().filter(|_| !dominated) else {
                        stack.pop();
                        continue;
                    };
                    top.next += 1;
                    let mut child = top.mods.clone();
                    let at = child
                        .binary_search_by_key(&m.key(), Mod::key)
                        .unwrap_or_else(|e| e);
                    child.insert(at, m);
                    child
                }
            };
            let key: Vec<(u32, u32, i64)> = mods.iter().map(|m| (m.dm, m.state, m.level)).collect();
            if !visited.insert(key) {
                continue;
            }
            if result.explored >= self.budget {
                result.exact = false;
                break;
            }
            result.explored += 1;
            let cost = mods.len();
            let violations = self.violations(&mods);
            if self.combinations_out {
                // A SIM check ran out of budget: its violations may be spurious or miss
                // repairs, so nothing more is concluded from this node on.
                result.exact = false;
                break;
            }
            if mods.is_empty() {
                result.lower_bound = Self::lower_bound(&violations).max(1);
            }
            if violations.is_empty() {
                let answer = self.answer(&mods);
                let agreed = self.verified(&answer);
                debug_assert!(agreed, "inverse: search check and full analysis disagree");
                if !agreed {
                    // The search's own check and the full analysis disagree: unexpected (never
                    // seen in tests). Not an answer, and the search may have missed one, so
                    // its result is no longer exact.
                    result.exact = false;
                    continue;
                }
                match best {
                    Some(b) if cost > b => {}
                    Some(b) if cost == b => {
                        let same = requirements(&mods);
                        if found.len() < self.want
                            && !found.iter().any(|(m, _)| requirements(m) == same)
                        {
                            found.push((mods, answer));
                        }
                    }
                    _ => {
                        best = Some(cost);
                        found.clear();
                        found.push((mods, answer));
                    }
                }
                continue;
            }
            if let Some(v) = violations.iter().find(|v| v.options.is_empty()) {
                // A requirement nothing can meet: no answer below this node. At the root,
                // name the move when one move is to blame.
                if let (true, Some(improvement)) = (mods.is_empty(), v.improvement) {
                    first_obstacle = Some(NoAnswer::Undeterrable {
                        mover: DmId(v.dm),
                        improvement: StateId(improvement),
                    });
                }
                continue;
            }
            let need = cost + Self::lower_bound(&violations);
            if need > bound {
                cut_by_bound = true;
                continue;
            }
            if best.is_some_and(|b| need > b || (need == b && found.len() >= self.want)) {
                continue;
            }
            // Every answer makes one of the repairs of the violation branched on.
            stack.push(Frame {
                options: Self::branches(&violations),
                mods,
                need,
                next: 0,
            });
        }
        if result.exact {
            if let Some(b) = best {
                result.lower_bound = b;
            }
        }
        result.answers = found.into_iter().map(|(_, a)| a).collect();
        if result.answers.is_empty() {
            result.obstacle = Some(match first_obstacle {
                Some(o) => o,
                None if !result.exact => NoAnswer::Budget,
                None if cut_by_bound => NoAnswer::TooManyChanges { max: bound },
                None => NoAnswer::Exhausted,
            });
        }
        result
    }
}

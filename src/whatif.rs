//! What-if: hypothetical moves on a copy, and structured diffs of two negotiations.

use std::fmt::{self, Write as _};

use crate::ids::{Target, TargetError};
use crate::model::{NodeData, Position, Status};
use crate::moves::{Move, MoveError, Transition};
use crate::state::Negotiation;

/// The result of applying hypothetical moves to a copy of a negotiation.
///
/// With the feature `serde` it serializes (the copy as its scenario, the failure as a message)
/// but does not read back: a [`MoveError`] is not data to restore.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct WhatIf {
    /// The copy after the moves that succeeded.
    pub after: Negotiation,
    /// The transition of each move that succeeded, in order.
    pub transitions: Vec<Transition>,
    /// The first move that failed, with its index and why; the moves after it were not tried.
    /// In JSON: `{"step": index, "error": message}`.
    #[cfg_attr(feature = "serde", serde(serialize_with = "failure"))]
    pub failure: Option<(usize, MoveError)>,
}

/// A what-if's failure as JSON: the move's index and the error's message.
#[cfg(feature = "serde")]
fn failure<S: serde::Serializer>(
    failure: &Option<(usize, MoveError)>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(serde::Serialize)]
    struct Failure {
        step: usize,
        error: String,
    }
    serde::Serialize::serialize(
        &failure.as_ref().map(|(step, e)| Failure {
            step: *step,
            error: e.to_string(),
        }),
        serializer,
    )
}

impl Negotiation {
    /// Applies `moves` to a copy, stopping at the first that fails. The negotiation itself is
    /// untouched.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let branch = neg.what_if(&[Move::fulfil("a", "vote"), Move::perform("a", "deal.signed")]);
    /// assert!(branch.failure.is_none());
    /// let diff = neg.diff_below(&branch.after, "deal.signed").unwrap();
    /// assert_eq!(diff.newly_unblocked, ["deal.signed", "deal.signed.a"]);
    /// assert!(neg.is_blocked(neg.node_id("deal.signed").unwrap()).unwrap()); // untouched
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// A copy of the negotiation (linear in its size), then what the moves change. For a
    /// look without a copy, see [`hypothetically`](Self::hypothetically).
    pub fn what_if(&self, moves: &[Move]) -> WhatIf {
        let mut after = self.clone();
        let (transitions, failure) = after.apply_until_failure(moves);
        WhatIf {
            after,
            transitions,
            failure,
        }
    }

    /// Applies `moves` (stopping at the first that fails), calls `f` with the hypothetical
    /// state, the transitions and the failure if any, then undoes the moves: afterwards the
    /// negotiation is exactly as it was. Unlike [`what_if`](Self::what_if) nothing is copied,
    /// so a hypothesis costs what its moves change, not the size of the model. If `f` panics
    /// and the panic is caught, the moves are undone all the same.
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
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let before = neg.clone();
    /// let signed = neg.node_id("deal.signed").unwrap();
    /// let unblocked = neg.hypothetically(&[Move::fulfil("a", "vote")], |after, _, failure| {
    ///     failure.is_none() && !after.is_blocked(signed).unwrap()
    /// });
    /// assert!(unblocked);
    /// assert_eq!(neg, before);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// What the moves change: each journal entry is written once and undone once; nothing is
    /// copied.
    pub fn hypothetically<R>(
        &mut self,
        moves: &[Move],
        f: impl FnOnce(&Negotiation, &[Transition], Option<&(usize, MoveError)>) -> R,
    ) -> R {
        /// Undoes the hypothesis when dropped, also when `f` panics and the panic is caught.
        struct Undo<'a> {
            neg: &'a mut Negotiation,
            mark: usize,
        }
        impl Drop for Undo<'_> {
            fn drop(&mut self) {
                self.neg.hypothetical -= 1;
                self.neg.rollback(self.mark);
            }
        }
        let mark = self.journal.len();
        self.hypothetical += 1;
        let guard = Undo { neg: self, mark };
        let (transitions, failure) = guard.neg.apply_until_failure(moves);
        f(guard.neg, &transitions, failure.as_ref())
    }

    /// Applies `moves` in order, stopping at the first that fails.
    fn apply_until_failure(
        &mut self,
        moves: &[Move],
    ) -> (Vec<Transition>, Option<(usize, MoveError)>) {
        let mut transitions = Vec::with_capacity(moves.len());
        for (i, mv) in moves.iter().enumerate() {
            match self.apply(mv) {
                Ok(t) => transitions.push(t),
                Err(e) => return (transitions, Some((i, e))),
            }
        }
        (transitions, None)
    }

    /// A structured diff from `self` to `other`, matching nodes by id: status, position and
    /// blocked changes, and nodes only one side has. [`diff_below`](Self::diff_below) adds
    /// the blockers of a target on each side.
    ///
    /// # Complexity
    ///
    /// Linear in both negotiations' nodes (matched through the id index).
    pub fn diff(&self, other: &Negotiation) -> Diff {
        let mut d = Diff::default();
        for (i, node) in self.nodes.iter().enumerate() {
            let a = self.node_handle(i);
            let Some(b) = other.node_id(&node.key) else {
                d.removed.push(node.key.to_string());
                continue;
            };
            let (from, to) = (self.status_of(a), other.status_of(b));
            if from != to {
                d.status_changes.push(KeyedStatusChange {
                    node: node.key.to_string(),
                    from,
                    to,
                });
            }
            match (self.blocked(a), other.blocked(b)) {
                (false, true) => d.newly_blocked.push(node.key.to_string()),
                (true, false) => d.newly_unblocked.push(node.key.to_string()),
                _ => {}
            }
            if let (NodeData::Article(x), NodeData::Article(y)) =
                (&node.data, &other.nodes[b.index()].data)
            {
                for party in &self.parties {
                    let p = other.party_id(&party.key);
                    let before = self
                        .party_id(&party.key)
                        .map_or(Position::NotStated, |p| x.position(p));
                    let after = p.map_or(Position::NotStated, |p| y.position(p));
                    if before != after {
                        d.position_changes.push(KeyedPositionChange {
                            article: node.key.to_string(),
                            party: party.key.clone(),
                            from: before,
                            to: after,
                        });
                    }
                }
            }
        }
        for node in &other.nodes {
            if self.node_id(&node.key).is_none() {
                d.added.push(node.key.to_string());
                let b = other.node_id(&node.key);
                if b.is_some_and(|b| other.blocked(b)) {
                    d.newly_blocked.push(node.key.to_string());
                }
            }
        }
        d
    }

    /// [`diff`](Self::diff), and the blockers of `target` on each side ([`Diff::target`]).
    /// The target is matched by its key: it may be a node of `self`, or of `other` only (a
    /// node a move added); on a side without it, the side is empty.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if neither negotiation has the target (the error `self` gives).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let after = neg.what_if(&[Move::fulfil("a", "vote")]).after;
    /// let diff = neg.diff_below(&after, "deal.signed")?;
    /// let target = diff.target.unwrap();
    /// assert!(target.before.blocked && !target.after.blocked);
    /// assert!(neg.diff_below(&after, "deal.sigend").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// As [`diff`](Self::diff), plus one blocker explanation on each side.
    pub fn diff_below<'a>(
        &self,
        other: &Negotiation,
        target: impl Into<Target<'a>>,
    ) -> Result<Diff, TargetError> {
        let target = target.into();
        let key = match self.resolve_target(target) {
            Ok(n) => self.key_of(n).to_owned(),
            Err(e) => match other.resolve_target(target) {
                Ok(n) => other.key_of(n).to_owned(),
                Err(_) => return Err(e),
            },
        };
        let mut d = self.diff(other);
        d.target = Some({
            let key = key.as_str();
            let side = |neg: &Negotiation| {
                neg.node_id(key).map_or_else(BlockersSide::default, |n| {
                    let why = neg.explain(n);
                    let keys = |ids: Vec<crate::ids::NodeId>| {
                        ids.into_iter().map(|n| neg.key_of(n).to_owned()).collect()
                    };
                    BlockersSide {
                        blocked: neg.blocked(n),
                        satisfied: neg.satisfied(n),
                        frontier: keys(why.frontier()),
                        unsatisfied: keys(why.unsatisfied_nodes(neg)),
                    }
                })
            };
            TargetDiff {
                node: key.to_owned(),
                before: side(self),
                after: side(other),
            }
        });
        Ok(d)
    }
}

/// A status change between two negotiations, by node id.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KeyedStatusChange {
    /// The node's id.
    pub node: String,
    /// Its status in the first negotiation.
    pub from: Status,
    /// Its status in the second.
    pub to: Status,
}

/// A position change between two negotiations, by id.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KeyedPositionChange {
    /// The article's id.
    pub article: String,
    /// The principal's id.
    pub party: String,
    /// Before.
    pub from: Position,
    /// After.
    pub to: Position,
}

/// The blockers of the target on one side of a diff.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BlockersSide {
    /// Whether the target is blocked.
    pub blocked: bool,
    /// Whether the target is satisfied.
    pub satisfied: bool,
    /// The frontier's ids, sorted by node.
    pub frontier: Vec<String>,
    /// Every unsatisfied node between the target and the frontier, sorted by node.
    pub unsatisfied: Vec<String>,
}

/// The target's blockers before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TargetDiff {
    /// The target's id.
    pub node: String,
    /// Its blockers in the first negotiation.
    pub before: BlockersSide,
    /// Its blockers in the second.
    pub after: BlockersSide,
}

/// A structured diff of two negotiations; see [`Negotiation::diff`]. Lists follow the first
/// negotiation's node order, then the second's for nodes only it has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Diff {
    /// Nodes whose status differs.
    pub status_changes: Vec<KeyedStatusChange>,
    /// Positions that differ.
    pub position_changes: Vec<KeyedPositionChange>,
    /// Nodes only the second negotiation has.
    pub added: Vec<String>,
    /// Nodes only the first negotiation has.
    pub removed: Vec<String>,
    /// Nodes blocked in the second and not in the first (new nodes included).
    pub newly_blocked: Vec<String>,
    /// Nodes blocked in the first and not in the second.
    pub newly_unblocked: Vec<String>,
    /// The target's blockers on both sides ([`Negotiation::diff_below`]).
    pub target: Option<TargetDiff>,
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for c in &self.status_changes {
            let _ = writeln!(out, "  {}: {} -> {}", c.node, c.from, c.to);
        }
        for c in &self.position_changes {
            let _ = writeln!(
                out,
                "  {} on {}: {} -> {}",
                c.party, c.article, c.from, c.to
            );
        }
        for (label, list) in [
            ("added", &self.added),
            ("removed", &self.removed),
            ("newly blocked", &self.newly_blocked),
            ("newly unblocked", &self.newly_unblocked),
        ] {
            if !list.is_empty() {
                let _ = writeln!(out, "  {label}: {}", list.join(", "));
            }
        }
        if let Some(t) = &self.target {
            let side = |s: &BlockersSide| {
                if s.satisfied {
                    "satisfied".to_owned()
                } else if !s.blocked {
                    "not blocked".to_owned()
                } else if s.frontier.is_empty() {
                    "blocked by a requirement cycle".to_owned()
                } else {
                    format!("blocked; frontier: {}", s.frontier.join(", "))
                }
            };
            let _ = writeln!(out, "  {} before: {}", t.node, side(&t.before));
            let _ = writeln!(out, "  {} after:  {}", t.node, side(&t.after));
        }
        if out.is_empty() {
            out.push_str("  no change\n");
        }
        f.write_str(&out)
    }
}

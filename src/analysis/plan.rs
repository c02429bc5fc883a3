//! Plans: the shortest (then cheapest) sequence of moves that reaches a target.

use std::collections::HashSet;
use std::fmt;

use crate::ids::{NodeId, Target, TargetError};
use crate::model::NodeKind;
use crate::moves::MoveError;
use crate::state::Negotiation;
use crate::util::{BuildFx, Rendered};

use super::options::{Effort, Options};
use super::region::{greedy, total_cost, Obstacle, PlannedMove, Region};

/// An ordered sequence of moves that reaches a target; see [`Negotiation::plan`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Plan {
    /// The target.
    pub target: NodeId,
    /// The moves, in an order in which each can be applied.
    pub moves: Vec<PlannedMove>,
    /// The sum of the moves' costs.
    pub cost: u64,
    /// Whether the search proved no plan has fewer moves (or as few, at a lower cost).
    pub exact: bool,
    /// What finding it took.
    #[cfg_attr(feature = "serde", serde(default))]
    pub effort: Effort,
}

/// Why there is no plan.
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The target is not a node of the negotiation: an unknown key (`unknown node `x``), a
    /// handle of another negotiation.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// No sequence of moves reaches the target; the obstacles say why.
    #[error("`{target}` cannot be reached: {} obstacle(s)", .obstacles.len())]
    Unreachable {
        /// The target's id.
        target: String,
        /// Why, as data.
        obstacles: Vec<Obstacle>,
    },
    /// The plan found failed when replayed (a concession's effects interfered). Not expected;
    /// only debug builds replay plans.
    #[error("the plan for `{target}` failed at move {step}: {source}")]
    Replay {
        /// The target's id.
        target: String,
        /// The failing move's index.
        step: usize,
        /// Why.
        #[source]
        source: Box<MoveError>,
    },
}

impl Negotiation {
    /// An ordered sequence of moves, each by a party allowed to make it, that satisfies
    /// `target` (a stage, a condition, any node) from the current state. Among plans, the
    /// fewest moves, then the lowest cost. Moves are compliance moves (fulfil, perform,
    /// accept, make a concession) unless [`Options::allow_waivers`].
    ///
    /// Applying its moves in order reaches the target (property tests and fuzzing check it;
    /// debug builds also replay each plan on a copy before returning it).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Negotiation, Options, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
    ///     .precondition("b", "vote", "deal.signed")
    ///     .build()?;
    /// let plan = neg.plan("deal.signed", &Options::default())?;
    /// // a holds its vote first; then each principal signs.
    /// let steps: Vec<String> = plan.moves.iter().map(|m| m.mv.to_string()).collect();
    /// assert_eq!(steps.len(), 3);
    /// assert!(steps[0].contains("vote"));
    /// assert!(plan.exact);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PlanError::Unreachable`] with the obstacles as data (deadlocks, nodes nobody can
    /// satisfy); [`PlanError::Target`] if the negotiation has no such node.
    ///
    /// # Complexity
    ///
    /// Linear in the unsatisfied part of the graph below the target when it has no any-of
    /// choices; otherwise an exact branch-and-bound over the choices, stopped after
    /// [`Options::budget`] steps with the best plan found (`exact: false`).
    pub fn plan<'a>(
        &self,
        target: impl Into<Target<'a>>,
        options: &Options,
    ) -> Result<Plan, PlanError> {
        self.solve(self.resolve_target(target)?, options)
            .map(|solved| solved.plan)
    }

    /// The plan, with the region it was found in.
    pub(super) fn solve<'s>(
        &'s self,
        t: NodeId,
        options: &'s Options,
    ) -> Result<Solved<'s>, PlanError> {
        if self.satisfied(t) {
            let plan = Plan {
                target: t,
                moves: Vec::new(),
                cost: 0,
                exact: true,
                effort: Effort::default(),
            };
            return Ok(Solved { plan, found: None });
        }
        let (mut region, roots) = Region::new(self, options, &[t]);
        region.compute_order();
        let root = roots[0];
        if !region.achievable(root) {
            return Err(PlanError::Unreachable {
                target: self.key_of(t).to_owned(),
                obstacles: region.obstacles(),
            });
        }
        let (solutions, exact, steps) = region.search(&[root], 1, false);
        let all = match solutions.into_iter().next() {
            Some(solution) => solution.all,
            None => greedy(&region, root),
        };
        let goals = region.ordered_goals(&[root], &all);
        let moves = region.moves_of(&goals);
        // Replaying the plan copies the whole negotiation, which would make every plan cost
        // the size of the model, so only debug builds (tests) pay for it; property tests and
        // the `moves` fuzz target check that plans replay to their target.
        #[cfg(debug_assertions)]
        if let Some((step, source)) = self
            .what_if(&moves.iter().map(|m| m.mv.clone()).collect::<Vec<_>>())
            .failure
        {
            return Err(PlanError::Replay {
                target: self.key_of(t).to_owned(),
                step,
                source: Box::new(source),
            });
        }
        let plan = Plan {
            target: t,
            cost: total_cost(&moves),
            moves,
            exact,
            effort: Effort {
                region: region.goals.len(),
                steps,
            },
        };
        Ok(Solved {
            plan,
            found: Some(Found {
                region,
                root,
                goals,
            }),
        })
    }
}

/// A plan and, unless the target was already satisfied, where it was found.
pub(super) struct Solved<'a> {
    pub(super) plan: Plan,
    pub(super) found: Option<Found<'a>>,
}

/// The region a plan was found in, the target's goal, and the plan's goals in order.
pub(super) struct Found<'a> {
    pub(super) region: Region<'a>,
    pub(super) root: usize,
    goals: Vec<usize>,
}

impl Found<'_> {
    /// The real nodes the plan satisfies (stages included), in order.
    pub(super) fn nodes(&self) -> Vec<NodeId> {
        let neg = self.region.neg;
        let mut nodes: Vec<NodeId> = Vec::new();
        let mut seen: HashSet<NodeId, BuildFx> = HashSet::default();
        for &g in &self.goals {
            let n = self.region.goals[g].node;
            if neg.kind(n) != Some(NodeKind::Group) && seen.insert(n) {
                nodes.push(n);
            }
        }
        nodes
    }
}

impl Plan {
    /// A numbered list of the moves.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "plan");
            }
            writeln!(
                f,
                "Plan to {} ({} moves, cost {}{}):",
                negotiation.key_of(self.target),
                self.moves.len(),
                self.cost,
                if self.exact { "" } else { ", best found" }
            )?;
            if !self.exact {
                writeln!(f, "  ({})", self.effort.spent())?;
            }
            for (i, m) in self.moves.iter().enumerate() {
                writeln!(f, "  {:>2}. {} (cost {})", i + 1, m.mv, m.cost)?;
            }
            Ok(())
        })
    }
}

crate::foreign::owned! {
    Plan { target, moves }
}

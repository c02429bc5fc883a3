//! Cheapest unblocking sets: the k cheapest minimal sets of moves that unblock a target.

use std::fmt;

use crate::ids::{NodeId, PartyId, Target};
use crate::model::NodeKind;
use crate::state::Negotiation;
use crate::util::Rendered;

use super::name;
use super::options::{Effort, Options};
use super::plan::PlanError;
use super::region::{burden, total_cost, PlannedMove};
use super::region::{Gate, Goal, Region};

/// A set of moves that would unblock a target, minimal (no move can be left out).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnblockingSet {
    /// The moves, in an order in which each can be applied.
    pub moves: Vec<PlannedMove>,
    /// Their total cost.
    pub cost: u64,
    /// The cost borne by each party, sorted by party.
    pub burden: Vec<(PartyId, u64)>,
}

/// The cheapest minimal unblocking sets of a target; see [`Negotiation::cheapest_unblocking`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Unblocking {
    /// The target.
    pub target: NodeId,
    /// The sets, cheapest first (ties: fewer moves, then by node).
    pub sets: Vec<UnblockingSet>,
    /// Whether the search finished within its budget, so these are the k cheapest.
    pub exact: bool,
    /// What finding them took.
    #[cfg_attr(feature = "serde", serde(default))]
    pub effort: Effort,
}

impl Negotiation {
    /// The `k` cheapest minimal sets of moves that would unblock `target` (make the move
    /// that satisfies it possible; for a stage, every pending act), each with its cost and
    /// the burden per party. With [`Options::allow_waivers`], demanders waiving conditions
    /// and unlinking preconditions count as moves too.
    ///
    /// # Examples
    ///
    /// b signs once either a vote (owed by a) or a ruling (owed by a court) is in:
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Negotiation, Options, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .party("court", "Court", Role::Institution)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
    ///     .condition(ConditionSpec::new("ruling", "A ruling").owed_by(["court"]))
    ///     .requires_any_of("deal.signed.b", ["vote", "ruling"])
    ///     .build()?;
    /// let unblocking = neg.cheapest_unblocking("deal.signed", 3, &Options::default())?;
    /// // Two ways, one move each: either alternative suffices.
    /// assert_eq!(unblocking.sets.len(), 2);
    /// assert!(unblocking.sets.iter().all(|set| set.moves.len() == 1));
    /// assert!(unblocking.exact);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`plan`](Self::plan).
    ///
    /// # Complexity
    ///
    /// Exponential in the number of any-of choices in the worst case: an exact
    /// branch-and-bound stopped after [`Options::budget`] steps, with `exact: false` if it
    /// did not finish.
    pub fn cheapest_unblocking<'a>(
        &self,
        target: impl Into<Target<'a>>,
        k: usize,
        options: &Options,
    ) -> Result<Unblocking, PlanError> {
        let t = self.resolve_target(target)?;
        if !self.blocked(t) {
            return Ok(Unblocking {
                target: t,
                sets: Vec::new(),
                exact: true,
                effort: Effort::default(),
            });
        }
        // What must become possible: the target's own move, or each blocked act of a stage.
        let movers: Vec<NodeId> = if self.kind(t) == Some(NodeKind::Stage) {
            self.sorted_requirements(t)
                .into_iter()
                .map(|r| r.target)
                .filter(|&a| self.blocked(a))
                .collect()
        } else {
            vec![t]
        };
        let (mut region, goals) = Region::new(self, options, &movers);
        // One root per mover: its requirements (with their unlink alternatives). The movers
        // themselves stay unsatisfied, so nothing below may rely on them.
        let mut roots = Vec::with_capacity(movers.len());
        for (m, &g) in movers.iter().zip(&goals) {
            let mut g = g;
            if region.goals[g].gate == Gate::Or && self.kind(*m) == Some(NodeKind::Condition) {
                // A condition's goal offers fulfilling or waiving; unblocking is the former.
                g = region.children(g)[0];
            }
            // A requirement group keeps its gate: enough of its alternatives, not all.
            roots.push(region.goals[g]);
        }
        region.forbid(&movers);
        let roots: Vec<usize> = roots
            .into_iter()
            .zip(&movers)
            .map(|(goal, &node)| {
                let gate = if self.kind(node) == Some(NodeKind::Group) {
                    goal.gate
                } else {
                    Gate::And
                };
                // The same children (and weights), without the mover's own moves.
                region.push(Goal {
                    gate,
                    satisfies: false,
                    children: goal.children,
                    weights: goal.weights,
                    need: goal.need,
                    ..Goal::new(node, gate)
                })
            })
            .collect();
        region.compute_order();
        if roots.iter().any(|&r| !region.achievable(r)) {
            return Err(PlanError::Unreachable {
                target: self.key_of(t).to_owned(),
                obstacles: region.obstacles(),
            });
        }
        let (solutions, exact, steps) = region.search(&roots, k.max(1), true);
        let sets = solutions
            .into_iter()
            .map(|solution| {
                let moves = region.ordered_moves(&roots, &solution.all);
                UnblockingSet {
                    cost: total_cost(&moves),
                    burden: burden(&moves),
                    moves,
                }
            })
            .collect();
        Ok(Unblocking {
            target: t,
            sets,
            exact,
            effort: Effort {
                region: region.goals.len(),
                steps,
            },
        })
    }
}

impl Unblocking {
    /// Each set with its cost and burden per party.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "answer");
            }
            writeln!(
                f,
                "Cheapest ways to unblock {}{}:",
                negotiation.key_of(self.target),
                if self.exact { "" } else { " (best found)" }
            )?;
            match (self.sets.is_empty(), self.exact) {
                (true, true) => writeln!(f, "  it is not blocked")?,
                (true, false) => writeln!(f, "  no set found before the budget ran out")?,
                (false, _) => {}
            }
            if !self.exact {
                writeln!(f, "  ({})", self.effort.spent())?;
            }
            for (i, s) in self.sets.iter().enumerate() {
                let burden: Vec<String> = s
                    .burden
                    .iter()
                    .map(|&(p, c)| format!("{} {c}", name(negotiation, p)))
                    .collect();
                writeln!(
                    f,
                    "  {}. cost {} (borne by {}):",
                    i + 1,
                    s.cost,
                    burden.join(", ")
                )?;
                for m in &s.moves {
                    writeln!(f, "     - {} (cost {})", m.mv, m.cost)?;
                }
            }
            Ok(())
        })
    }
}

crate::foreign::owned! {
    UnblockingSet { moves, burden }
    Unblocking { target, sets }
}

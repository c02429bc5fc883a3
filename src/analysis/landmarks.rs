//! Landmarks: the nodes every plan to a target must satisfy.

use std::collections::HashSet;
use std::fmt;

use crate::ids::{NodeId, PartyId, Target};
use crate::state::Negotiation;
use crate::util::{BuildFx, Rendered};

use super::name;
use super::options::{Effort, Options};
use super::plan::PlanError;
use super::region::{Gate, Region};

/// The nodes every plan to a target must satisfy; see [`Negotiation::landmarks`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Landmarks {
    /// The target.
    pub target: NodeId,
    /// The landmark nodes (the target included when unsatisfied), in an order a plan can
    /// satisfy them.
    pub nodes: Vec<NodeId>,
    /// The parties that must act on them, sorted.
    pub parties: Vec<PartyId>,
    /// Whether every node of the plan was decided within the budget; when false, `nodes`
    /// holds the proven landmarks and some nodes left out may be landmarks too.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub exact: bool,
    /// What deciding them took: the plan's region and search, then one achievability check
    /// (a region's size in steps) per node a choice left unproven.
    #[cfg_attr(feature = "serde", serde(default))]
    pub effort: Effort,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

impl Negotiation {
    /// The nodes every plan to `target` must satisfy (the target included when
    /// unsatisfied), in an order a plan can satisfy them, and the parties that act on them.
    ///
    /// # Errors
    ///
    /// As [`plan`](Self::plan).
    ///
    /// # Complexity
    ///
    /// A plan, then one pass over the unsatisfied part of the graph below the target that
    /// proves the landmarks no choice stands between (all of them when it has no any-of
    /// choice). A node of the plan a choice leaves unproven takes an achievability check
    /// without it, linear in that part, charged to [`Options::budget`]; when the budget runs
    /// out, the nodes not checked are left out and [`Landmarks::exact`] is false.
    pub fn landmarks<'a>(
        &self,
        target: impl Into<Target<'a>>,
        options: &Options,
    ) -> Result<Landmarks, PlanError> {
        let solved = self.solve(self.resolve_target(target)?, options)?;
        let t = solved.plan.target;
        let mut effort = solved.plan.effort;
        let (nodes, exact) = match solved.found {
            None => (Vec::new(), true),
            Some(found) => {
                let candidates = found.nodes();
                let (nodes, exact, steps) = found.region.landmarks_among(found.root, candidates);
                effort.steps = effort.steps.saturating_add(steps);
                (nodes, exact)
            }
        };
        let mut parties: Vec<PartyId> = nodes
            .iter()
            .flat_map(|&n| crate::lookup::actors_of(self, n))
            .collect();
        parties.sort_unstable();
        parties.dedup();
        Ok(Landmarks {
            target: t,
            nodes,
            parties,
            exact,
            effort,
        })
    }
}

impl Region<'_> {
    /// Marks real nodes `nodes` as impossible to satisfy (every goal standing for one). One
    /// pass over the region, however many nodes.
    pub(super) fn forbid(&mut self, nodes: &[NodeId]) {
        let mut nodes = nodes.to_vec();
        nodes.sort_unstable();
        for goal in &mut self.goals {
            if goal.satisfies && nodes.binary_search(&goal.node).is_ok() {
                goal.possible = false;
            }
        }
    }

    /// Whether goal `root` is achievable when real node `forbidden` may not be satisfied.
    /// Linear in the region (nothing is copied).
    fn achievable_without(&self, root: usize, forbidden: NodeId) -> bool {
        self.order_without(Some(forbidden))
            .get(root)
            .is_some_and(Option::is_some)
    }

    /// The goals every derivation of achievable goal `root` includes, found without search:
    /// the root; every child of such an AND goal; the achievable children of such an OR goal
    /// that it cannot do without (the only one of a choice; for a threshold, one whose weight
    /// the others cannot make up). Sound; complete when no OR goal below has a real choice.
    /// Linear in the region.
    fn necessary(&self, root: usize) -> Vec<bool> {
        let mut necessary = vec![false; self.goals.len()];
        let mut stack = vec![root];
        while let Some(g) = stack.pop() {
            if std::mem::replace(&mut necessary[g], true) {
                continue;
            }
            let goal = &self.goals[g];
            match goal.gate {
                Gate::And => stack.extend_from_slice(self.children(g)),
                Gate::Or => {
                    let children = self.children(g);
                    let achievable: Vec<(usize, u64)> = (0..children.len())
                        .filter(|&i| self.achievable(children[i]))
                        .map(|i| (children[i], self.child_weight(g, i)))
                        .collect();
                    let total = achievable
                        .iter()
                        .fold(0u64, |sum, &(_, w)| sum.saturating_add(w));
                    stack.extend(
                        achievable
                            .iter()
                            .filter(|&&(_, w)| total - w < goal.need)
                            .map(|&(c, _)| c),
                    );
                }
            }
        }
        necessary
    }

    /// Which of `candidates` (the real nodes of a plan to achievable goal `root`, in order)
    /// every plan must satisfy: those the necessary goals satisfy, then, where choices leave
    /// a candidate unproven, an achievability check without it, each costing the region's
    /// size in work units against the budget. Returns the landmarks, whether every
    /// candidate was decided within the budget, and the work units spent.
    fn landmarks_among(&self, root: usize, candidates: Vec<NodeId>) -> (Vec<NodeId>, bool, usize) {
        let necessary = self.necessary(root);
        let proven: HashSet<NodeId, BuildFx> = self
            .goals
            .iter()
            .enumerate()
            .filter(|&(g, goal)| necessary[g] && goal.satisfies)
            .map(|(_, goal)| goal.node)
            .collect();
        let mut left = self.options.budget;
        let mut exact = true;
        let nodes = candidates
            .into_iter()
            .filter(|c| {
                if proven.contains(c) {
                    return true;
                }
                if !exact || left < self.goals.len() {
                    exact = false;
                    return false;
                }
                left -= self.goals.len();
                !self.achievable_without(root, *c)
            })
            .collect();
        (nodes, exact, self.options.budget - left)
    }
}

impl Landmarks {
    /// The landmarks and the parties on them.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "answer");
            }
            let nodes: Vec<&str> = self.nodes.iter().map(|&n| negotiation.key_of(n)).collect();
            let parties: Vec<&str> = self.parties.iter().map(|&p| name(negotiation, p)).collect();
            writeln!(
                f,
                "Every plan to {} passes through: {}",
                negotiation.key_of(self.target),
                nodes.join(", ")
            )?;
            writeln!(f, "  parties on the critical path: {}", parties.join(", "))?;
            if !self.exact {
                writeln!(
                    f,
                    "  (other nodes of the plan may be landmarks too: {})",
                    self.effort.spent()
                )?;
            }
            Ok(())
        })
    }
}

crate::foreign::owned! {
    Landmarks { target, nodes, parties }
}

//! Analysis: plans to a target, cheapest unblocking sets, deadlocks, landmarks and leverage.
//!
//! The questions are asked of an AND-OR graph derived from the requirement graph: each
//! unsatisfied node is satisfied by its own moves (a fulfilment, an act, acceptances, making
//! a concession) once all its unsatisfied requirements are; an any-of group once one of its
//! alternatives is; and, when concessions by demanders are allowed, a demanded condition can
//! instead be waived and a precondition unlinked.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::{self, Write as _};

use crate::explain::{BuildFx, Rendered};
use crate::foreign::{foreign, Owned};
use crate::ids::{NodeId, PartyId, Target, TargetError};
use crate::model::{
    Basis, ConcessionStatus, Effect, NodeData, NodeKind, Obligation, Position, RequirementEdge,
    RequirementKind,
};
use crate::moves::{Move, MoveError, MoveKind};
use crate::state::Negotiation;

/// Costs an analyst assigns to moves. A move's cost is, in order of precedence, the one given
/// for its actor and node (`party_nodes`), for its node (the condition fulfilled or waived,
/// the act performed, the article accepted, the concession made: `nodes`), for its actor
/// (`parties`), else `default`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Costs {
    /// The cost of a move nothing else prices.
    #[cfg_attr(feature = "serde", serde(default = "one"))]
    pub default: u64,
    /// Cost per node id.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::scenario::unique_map::deserialize"
        )
    )]
    pub nodes: BTreeMap<String, u64>,
    /// Cost per acting party id.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::scenario::unique_map::deserialize"
        )
    )]
    pub parties: BTreeMap<String, u64>,
    /// Cost per acting party id, then node id.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::scenario::unique_map::nested"
        )
    )]
    pub party_nodes: BTreeMap<String, BTreeMap<String, u64>>,
    /// Why these costs (for reports).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub note: Option<String>,
}

#[cfg(feature = "serde")]
fn one() -> u64 {
    1
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            default: 1,
            nodes: BTreeMap::new(),
            parties: BTreeMap::new(),
            party_nodes: BTreeMap::new(),
            note: None,
        }
    }
}

impl Costs {
    /// The cost of `party`'s move on `node` in `neg`. `None` if `node` or `party` is not
    /// `neg`'s.
    pub fn of(&self, neg: &Negotiation, node: NodeId, party: PartyId) -> Option<u64> {
        (neg.has_node(node) && neg.has_party(party)).then(|| self.cost_of(neg, node, party))
    }

    /// [`of`](Self::of) a node and party of `neg`.
    pub(crate) fn cost_of(&self, neg: &Negotiation, node: NodeId, party: PartyId) -> u64 {
        let (node, party) = (neg.key_of(node), neg.party(party).map_or("", |p| p.key()));
        self.party_nodes
            .get(party)
            .and_then(|m| m.get(node))
            .or_else(|| self.nodes.get(node))
            .or_else(|| self.parties.get(party))
            .copied()
            .unwrap_or(self.default)
    }
}

/// Options of the analyses.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Options {
    /// Move costs.
    pub costs: Costs,
    /// Whether demanders may give way: waive a demanded condition, unlink a precondition from
    /// their own act. Off by default: a plan then only uses moves that comply (fulfil,
    /// perform, accept, make a concession), and a precondition cycle is a deadlock.
    pub allow_waivers: bool,
    /// How much work an exact search may do before it returns its best result marked as not
    /// exact: one unit per goal visited, per goal copied at a choice, and per goal of each
    /// solution checked. It bounds the search, not the region the search runs on (the
    /// unsatisfied part of the graph below the target, which every answer needs and which is
    /// built in full, in time linear in its size): each result reports both as [`Effort`].
    pub budget: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            costs: Costs::default(),
            allow_waivers: false,
            budget: 100_000,
        }
    }
}

/// What an analysis did, in [`Options::budget`]'s units: the region it built in full and the
/// search steps the budget bounds. A call costs time linear in `region` plus `steps`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Effort {
    /// Goals of the AND-OR region built below the target: about one per unsatisfied node
    /// there, and one per alternative that waivers add.
    pub region: usize,
    /// Search steps spent: at most the budget, plus the check of a solution reached just
    /// before it ran out (a solution's size at most).
    pub steps: usize,
}

impl Effort {
    /// "the budget ran out after N search steps over a region of M goals".
    fn spent(&self) -> String {
        format!(
            "the budget ran out after {} search steps over a region of {} goals",
            self.steps, self.region
        )
    }
}

/// One move of a plan or unblocking set, with the node it satisfies and its cost.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PlannedMove {
    /// The node the move satisfies (or, for an unlink, the condition detached).
    pub node: NodeId,
    /// The acting party.
    pub actor: PartyId,
    /// The move, ready for [`Negotiation::apply`].
    pub mv: Move,
    /// Its cost.
    pub cost: u64,
}

/// An ordered sequence of moves that reaches a target; see [`Negotiation::plan`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// A set of moves that would unblock a target, minimal (no move can be left out).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// One requirement of a deadlock cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CycleEdge {
    /// The requiring node.
    pub from: NodeId,
    /// The required node.
    pub to: NodeId,
    /// How it is required.
    pub kind: RequirementKind,
    /// Why it exists: a party's precondition, a procedure, or structure.
    pub basis: crate::model::Basis,
    /// The party that can drop it by a move (a precondition on its own act, of a demand it
    /// makes), if any.
    pub droppable_by: Option<PartyId>,
}

/// A cycle of requirements among unsatisfied nodes: none can be satisfied before the others.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Deadlock {
    /// The cycle's nodes, in order: each requires the next, the last requires the first.
    pub nodes: Vec<NodeId>,
    /// The parties involved, in the order they first appear along the cycle.
    pub parties: Vec<PartyId>,
    /// The cycle's requirements; dropping any one breaks this cycle.
    pub edges: Vec<CycleEdge>,
}

/// Why a target cannot be reached.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Obstacle {
    /// Requirements wait on each other.
    Deadlock(Deadlock),
    /// A node no party can satisfy: a condition owed by nobody modelled, a concession whose
    /// effects its party cannot carry out, an act of a track that has lapsed.
    NoOneCanSatisfy {
        /// The node.
        node: NodeId,
    },
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

/// The nodes every plan to a target must satisfy; see [`Negotiation::landmarks`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// What one party holds up and what it waits on; see [`Negotiation::leverage`]. Only acts in
/// play count: those whose track's previous stage is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PartyLeverage {
    /// The party.
    pub party: PartyId,
    /// Per other party: the unsatisfied nodes this party must act on that block that
    /// party's acts (frontier blockers).
    pub holds_up: Vec<(PartyId, Vec<NodeId>)>,
    /// Its unsatisfied preconditions on its own acts.
    pub preconditions: Vec<NodeId>,
    /// Per other party: the frontier blockers of this party's acts that that party must
    /// act on.
    pub waits_on: Vec<(PartyId, Vec<NodeId>)>,
}

/// Who holds up whom.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Leverage {
    /// One entry per party, in declaration order.
    pub parties: Vec<PartyLeverage>,
    /// `(waiter, holder, count)`: the waiter's acts are blocked by `count` frontier nodes
    /// the holder must act on. Sorted.
    pub pairs: Vec<(PartyId, PartyId, usize)>,
}

// ----- the AND-OR region ---------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    And,
    Or,
}

/// A node of the AND-OR graph: a real node's own-move goal, or a virtual choice.
#[derive(Clone, Debug)]
struct Goal {
    /// The real node it stands for.
    node: NodeId,
    gate: Gate,
    children: Vec<usize>,
    /// The moves that satisfy it once its children are; `None` if nobody can.
    moves: Option<Vec<PlannedMove>>,
    /// `(number of moves, cost)`.
    weight: (u64, u64),
    /// Whether achieving the goal satisfies `node` (false for dropping a requirement on it).
    satisfies: bool,
    /// For an OR goal: the weight of children it needs (1 for a choice; a threshold group's
    /// remaining count or weight).
    need: u64,
    /// For an OR goal of a threshold: each child's weight; empty when every child weighs 1.
    weights: Vec<u64>,
}

impl Goal {
    /// The weight child number `i` contributes to an OR goal.
    fn child_weight(&self, i: usize) -> u64 {
        self.weights.get(i).copied().unwrap_or(1)
    }

    /// Whether the goal is a threshold (needs more than one child, or weighs them).
    fn is_threshold(&self) -> bool {
        self.gate == Gate::Or && (self.need > 1 || !self.weights.is_empty())
    }
}

/// The part of the requirement graph below some goals, as an AND-OR graph.
struct Region<'a> {
    neg: &'a Negotiation,
    options: &'a Options,
    goals: Vec<Goal>,
    /// Real node → its goal (the OR wrapper when waivers give it alternatives).
    index: HashMap<NodeId, usize, BuildFx>,
    /// Achievable goals in the order they became achievable; `None` for the others.
    order: Vec<Option<usize>>,
}

impl<'a> Region<'a> {
    /// Builds the region below `roots` (unsatisfied nodes). Iterative.
    fn new(neg: &'a Negotiation, options: &'a Options, roots: &[NodeId]) -> Self {
        let mut region = Region {
            neg,
            options,
            goals: Vec::new(),
            index: HashMap::default(),
            order: Vec::new(),
        };
        let mut queue: VecDeque<NodeId> = VecDeque::new();
        for &r in roots {
            region.goal_of(r, &mut queue);
        }
        while let Some(x) = queue.pop_front() {
            region.expand(x, &mut queue);
        }
        region.compute_order();
        region
    }

    fn push(&mut self, goal: Goal) -> usize {
        self.goals.push(goal);
        self.goals.len() - 1
    }

    /// The goal of real node `n`, creating it (to be expanded) if new.
    fn goal_of(&mut self, n: NodeId, queue: &mut VecDeque<NodeId>) -> usize {
        if let Some(&g) = self.index.get(&n) {
            return g;
        }
        let gate = match self.neg.nodes[n.index()].data {
            NodeData::Group(_) => Gate::Or,
            _ => Gate::And,
        };
        let g = self.push(Goal {
            node: n,
            gate,
            children: Vec::new(),
            moves: Some(Vec::new()),
            weight: (0, 0),
            satisfies: true,
            need: 1,
            weights: Vec::new(),
        });
        self.index.insert(n, g);
        queue.push_back(n);
        g
    }

    fn planned(&self, node: NodeId, actor: PartyId, kind: MoveKind) -> PlannedMove {
        PlannedMove {
            node,
            actor,
            mv: Move::new(self.neg.parties[actor.index()].key.clone(), kind),
            cost: self.options.costs.cost_of(self.neg, node, actor),
        }
    }

    /// Fills in the goal of `n`: its moves and children.
    fn expand(&mut self, n: NodeId, queue: &mut VecDeque<NodeId>) {
        let neg = self.neg;
        let g = self.index[&n];
        let key = neg.key_of(n).to_owned();
        // Requirements still to satisfy.
        let reqs: Vec<(NodeId, RequirementKind, u32)> = neg
            .sorted_requirements(n)
            .into_iter()
            .filter(|r| !neg.satisfied(r.target))
            .map(|r| (r.target, r.kind, r.weight))
            .collect();
        // A threshold group needs what it lacks, from its unsatisfied alternatives.
        if let Some(progress) = neg.group_progress(n) {
            let goal = &mut self.goals[g];
            goal.need = u64::from(progress.more_needed);
            if progress.threshold != crate::model::Threshold::Count(1) {
                goal.weights = reqs.iter().map(|&(_, _, w)| u64::from(w)).collect();
            }
        }
        let mut extra: Vec<NodeId> = Vec::new();
        let moves: Option<Vec<PlannedMove>> = match &neg.nodes[n.index()].data {
            NodeData::Stage(_) | NodeData::Group(_) => Some(Vec::new()),
            // An act of a lapsed track can no longer be performed.
            NodeData::Act(_) if neg.lapsed(n).is_some() => None,
            NodeData::Act(a) => {
                let stage = neg.key_of(a.stage).to_owned();
                Some(vec![self.planned(n, a.party, MoveKind::Perform { stage })])
            }
            NodeData::Article(a) => Some(
                neg.tracks[a.track.index()]
                    .principals
                    .iter()
                    .filter(|&&p| a.position(p) != Position::Accepts)
                    .map(|&p| {
                        self.planned(
                            n,
                            p,
                            MoveKind::SetPosition {
                                article: key.clone(),
                                position: Position::Accepts,
                            },
                        )
                    })
                    .collect(),
            ),
            NodeData::Condition(c) => {
                let fulfils = c.still_owed_by().into_iter().map(|p| {
                    self.planned(
                        n,
                        p,
                        MoveKind::Fulfil {
                            condition: key.clone(),
                        },
                    )
                });
                match c.obligation {
                    // Each obligor that has not done its part must.
                    Obligation::Joint => {
                        Some(fulfils.collect::<Vec<_>>()).filter(|m| !m.is_empty())
                    }
                    Obligation::Any => fulfils.min_by_key(|m| (m.cost, m.actor)).map(|m| vec![m]),
                }
            }
            NodeData::Concession(c) => self.concession_moves(n, c, &mut extra),
        };
        // The requirements, some wrapped in a choice when the demander may give way.
        let mut children = Vec::with_capacity(reqs.len() + extra.len());
        for (target, kind, _) in reqs {
            let child = self.goal_of(target, queue);
            let unlink = match (&neg.nodes[n.index()].data, &neg.nodes[target.index()].data) {
                (NodeData::Act(a), NodeData::Condition(c))
                    if self.options.allow_waivers
                        && kind == RequirementKind::Precondition
                        && c.demanded_by == Some(a.party) =>
                {
                    let stage = neg.key_of(a.stage).to_owned();
                    Some(self.planned(
                        target,
                        a.party,
                        MoveKind::Unlink {
                            condition: neg.key_of(target).to_owned(),
                            stage,
                        },
                    ))
                }
                _ => None,
            };
            children.push(match unlink {
                Some(m) => {
                    let leaf = self.leaf(target, m, false);
                    self.push(Goal {
                        node: target,
                        gate: Gate::Or,
                        children: vec![child, leaf],
                        moves: Some(Vec::new()),
                        weight: (0, 0),
                        satisfies: false,
                        need: 1,
                        weights: Vec::new(),
                    })
                }
                None => child,
            });
        }
        for target in extra {
            children.push(self.goal_of(target, queue));
        }
        let weight = moves
            .as_ref()
            .map_or((0, 0), |ms| (ms.len() as u64, total_cost(ms)));
        let waiver = match &neg.nodes[n.index()].data {
            NodeData::Condition(c) if self.options.allow_waivers => c.demanded_by.map(|d| {
                self.planned(
                    n,
                    d,
                    MoveKind::Waive {
                        condition: key.clone(),
                    },
                )
            }),
            _ => None,
        };
        match waiver {
            // The node's goal becomes a choice: fulfil it (after its requirements) or waive it.
            Some(w) => {
                let fulfil = self.push(Goal {
                    node: n,
                    gate: Gate::And,
                    children,
                    moves,
                    weight,
                    satisfies: true,
                    need: 1,
                    weights: Vec::new(),
                });
                let leaf = self.leaf(n, w, true);
                let goal = &mut self.goals[g];
                goal.gate = Gate::Or;
                goal.children = vec![fulfil, leaf];
            }
            None => {
                let goal = &mut self.goals[g];
                goal.children = children;
                goal.moves = moves;
                goal.weight = weight;
            }
        }
    }

    fn leaf(&mut self, node: NodeId, m: PlannedMove, satisfies: bool) -> usize {
        let weight = (1, m.cost);
        self.push(Goal {
            node,
            gate: Gate::And,
            children: Vec::new(),
            moves: Some(vec![m]),
            weight,
            satisfies,
            need: 1,
            weights: Vec::new(),
        })
    }

    /// The moves that make a concession, and the nodes its effects need satisfied first
    /// (pushed to `extra`). `None` if its party cannot carry out an effect.
    fn concession_moves(
        &self,
        n: NodeId,
        c: &crate::model::Concession,
        extra: &mut Vec<NodeId>,
    ) -> Option<Vec<PlannedMove>> {
        let neg = self.neg;
        let key = neg.key_of(n).to_owned();
        for effect in &c.effects {
            match effect {
                Effect::Accept { article } => {
                    let a = neg.node_id(article)?;
                    let NodeData::Article(art) = &neg.nodes[a.index()].data else {
                        return None;
                    };
                    if art.excluded || !neg.tracks[art.track.index()].principals.contains(&c.by) {
                        return None;
                    }
                    extra.extend(
                        neg.graph
                            .requirements(a)
                            .map(|r| r.target)
                            .filter(|&t| !neg.satisfied(t)),
                    );
                }
                Effect::Fulfil { condition } => {
                    let x = neg.node_id(condition)?;
                    let NodeData::Condition(cond) = &neg.nodes[x.index()].data else {
                        return None;
                    };
                    if !neg.satisfied(x) {
                        if !cond.owed_by.contains(&c.by) {
                            return None;
                        }
                        extra.extend(
                            neg.graph
                                .requirements(x)
                                .map(|r| r.target)
                                .filter(|&t| !neg.satisfied(t)),
                        );
                    }
                }
                Effect::Waive { condition } | Effect::Unlink { condition, .. } => {
                    let x = neg.node_id(condition)?;
                    match &neg.nodes[x.index()].data {
                        NodeData::Condition(cond) if cond.demanded_by == Some(c.by) => {}
                        NodeData::Condition(_) if neg.satisfied(x) => {}
                        _ => return None,
                    }
                }
                // Moving an article can add requirements elsewhere: not planned.
                Effect::MoveArticle { .. } => return None,
            }
        }
        extra.sort_unstable();
        extra.dedup();
        let mut moves = Vec::new();
        if c.status == ConcessionStatus::Retracted {
            moves.push(self.planned(
                n,
                c.by,
                MoveKind::Offer {
                    concession: key.clone(),
                },
            ));
        }
        if c.status == ConcessionStatus::Made {
            return Some(moves);
        }
        moves.push(self.planned(n, c.by, MoveKind::Make { concession: key }));
        Some(moves)
    }

    /// Which goals are achievable, and in what order: a goal becomes achievable when it has
    /// moves and all its children are (AND), or one child is (OR). Worklist with counters.
    fn compute_order(&mut self) {
        self.order = self.order_without(None);
    }

    /// The achievable order of [`compute_order`](Self::compute_order), with real node
    /// `forbidden` (if any) impossible to satisfy. Linear in the region.
    fn order_without(&self, forbidden: Option<NodeId>) -> Vec<Option<usize>> {
        let n = self.goals.len();
        let mut parents: Vec<Vec<(usize, u64)>> = vec![Vec::new(); n];
        let mut missing: Vec<u64> = vec![0; n];
        for (g, goal) in self.goals.iter().enumerate() {
            for (i, &c) in goal.children.iter().enumerate() {
                let w = match goal.gate {
                    Gate::And => 1,
                    Gate::Or => goal.child_weight(i),
                };
                parents[c].push((g, w));
            }
            missing[g] = match goal.gate {
                Gate::And => goal.children.len() as u64,
                Gate::Or => goal.need,
            };
        }
        let possible = |g: usize| {
            let goal = &self.goals[g];
            goal.moves.is_some() && !(goal.satisfies && forbidden == Some(goal.node))
        };
        let mut order = vec![None; n];
        let mut next = 0;
        let mut queue: VecDeque<usize> =
            (0..n).filter(|&g| missing[g] == 0 && possible(g)).collect();
        while let Some(g) = queue.pop_front() {
            if order[g].is_some() {
                continue;
            }
            order[g] = Some(next);
            next += 1;
            for &(p, w) in &parents[g] {
                if missing[p] > 0 {
                    missing[p] = missing[p].saturating_sub(w);
                    if missing[p] == 0 && possible(p) {
                        queue.push_back(p);
                    }
                }
            }
        }
        order
    }

    /// Whether the goals' children form a cycle (Kahn's algorithm leaves some goal over).
    fn has_cycle(&self) -> bool {
        let n = self.goals.len();
        let mut indegree = vec![0usize; n];
        for goal in &self.goals {
            for &c in &goal.children {
                indegree[c] += 1;
            }
        }
        let mut queue: Vec<usize> = (0..n).filter(|&g| indegree[g] == 0).collect();
        let mut seen = 0;
        while let Some(g) = queue.pop() {
            seen += 1;
            for &c in &self.goals[g].children {
                indegree[c] -= 1;
                if indegree[c] == 0 {
                    queue.push(c);
                }
            }
        }
        seen < n
    }

    fn achievable(&self, g: usize) -> bool {
        self.order[g].is_some()
    }

    /// A cheap estimate of each achievable goal's weight (sharing ignored), to order the
    /// alternatives tried first and to build a first solution.
    fn estimates(&self) -> Vec<(u64, u64)> {
        let mut by_order: Vec<usize> = (0..self.goals.len())
            .filter(|&g| self.achievable(g))
            .collect();
        by_order.sort_by_key(|&g| self.order[g]);
        let mut h = vec![(u64::MAX, u64::MAX); self.goals.len()];
        // In achievable order every AND goal's children come first; an OR goal takes its
        // best child achieved so far, refined by later passes.
        for _ in 0..2 {
            for &g in &by_order {
                let goal = &self.goals[g];
                let add = add_weights;
                h[g] = match goal.gate {
                    Gate::And => goal
                        .children
                        .iter()
                        .fold(goal.weight, |acc, &c| add(acc, h[c])),
                    Gate::Or => {
                        // The cheapest children until the goal's need is met.
                        let mut options: Vec<((u64, u64), u64)> = goal
                            .children
                            .iter()
                            .enumerate()
                            .filter(|&(_, &c)| self.achievable(c))
                            .map(|(i, &c)| (h[c], goal.child_weight(i)))
                            .collect();
                        options.sort_unstable();
                        let mut got = 0;
                        let mut sum = (0, 0);
                        for (w, weight) in options {
                            if got >= goal.need {
                                break;
                            }
                            got += weight;
                            sum = add(sum, w);
                        }
                        if got >= goal.need {
                            sum
                        } else {
                            (u64::MAX, u64::MAX)
                        }
                    }
                };
            }
        }
        h
    }

    /// The `k` best minimal solutions for satisfying all `roots` (goal indices), by
    /// `(moves, cost)` or `(cost, moves)`. Iterative depth-first branch and bound over the
    /// choices of OR goals. Returns the solutions (as goal sets), whether the search
    /// finished within the budget, and the steps it took.
    fn search(&self, roots: &[usize], k: usize, by_cost: bool) -> (Vec<Solution>, bool, usize) {
        if let Some(only) = self.forced(roots) {
            return (vec![only], true, 0);
        }
        let key = |w: (u64, u64)| if by_cost { (w.1, w.0) } else { w };
        let h = self.estimates();
        let cyclic = self.has_cycle();
        let mut included = vec![false; self.goals.len()];
        let mut trail: Vec<usize> = Vec::new();
        // Goals to include; `(g, Some((from, got)))` revisits threshold goal `g`, which has
        // chosen children of weight `got` and still chooses among its alternatives from
        // position `from` (so each subset is tried once).
        let mut pending: Vec<Pending> = roots.iter().map(|&r| (r, None)).collect();
        let mut weight = (0u64, 0u64);
        let mut best: Vec<Solution> = Vec::new();
        let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
        struct Choice {
            trail_len: usize,
            pending: Vec<Pending>,
            weight: (u64, u64),
            /// Each alternative: the child, and the revisit of its threshold goal, if any.
            alternatives: Vec<Alternative>,
            next: usize,
        }
        let mut choices: Vec<Choice> = Vec::new();
        let mut steps = 0usize;
        let mut exact = true;
        // Set when a large solution was kept without proving it minimal.
        let mut unverified = false;
        'search: loop {
            // Go forward until a solution, a dead end, or the bound.
            let mut dead = false;
            while let Some((g, revisit)) = pending.pop() {
                steps += 1;
                if steps > self.options.budget {
                    exact = false;
                    break 'search;
                }
                let goal = &self.goals[g];
                if revisit.is_none() {
                    if included[g] {
                        continue;
                    }
                    included[g] = true;
                    trail.push(g);
                    weight = add_weights(weight, goal.weight);
                    // Bound: with k solutions in hand, one that is no better is not worth
                    // finishing.
                    if best.len() >= k && best.last().is_some_and(|b| key(weight) >= key(b.weight))
                    {
                        dead = true;
                        break;
                    }
                }
                match goal.gate {
                    Gate::And => pending.extend(goal.children.iter().map(|&c| (c, None))),
                    Gate::Or if !goal.is_threshold() => {
                        // A child already in the solution satisfies the OR goal for free. Without
                        // cycles that choice dominates; with them, the child may be an ancestor
                        // still waiting on this goal, so the other alternatives are tried too.
                        if !cyclic && goal.children.iter().any(|&c| included[c]) {
                            continue;
                        }
                        let mut alternatives: Vec<usize> = goal
                            .children
                            .iter()
                            .copied()
                            .filter(|&c| self.achievable(c))
                            .collect();
                        alternatives.sort_by_key(|&c| (!included[c], key(h[c]), c));
                        let Some(&first) = alternatives.first() else {
                            dead = true;
                            break;
                        };
                        // The budget counts work: copying the pending goals is part of it.
                        steps += pending.len();
                        choices.push(Choice {
                            trail_len: trail.len(),
                            pending: pending.clone(),
                            weight,
                            alternatives: alternatives.into_iter().map(|c| (c, None)).collect(),
                            next: 1,
                        });
                        pending.push((first, None));
                    }
                    Gate::Or => {
                        // A threshold: choose one more child at a time, in a fixed order, until
                        // the need is met. Without cycles, children already in the solution
                        // count for free; with them, such a child may be an ancestor waiting on
                        // this goal, so only the children chosen for it count, and children
                        // already in the solution are alternatives like the others.
                        let (from, got) = revisit.unwrap_or((0, 0));
                        let have: u64 = if cyclic {
                            got
                        } else {
                            (0..goal.children.len())
                                .filter(|&i| included[goal.children[i]])
                                .map(|i| goal.child_weight(i))
                                .sum()
                        };
                        if have >= goal.need {
                            continue;
                        }
                        let mut order: Vec<usize> = (0..goal.children.len())
                            .filter(|&i| self.achievable(goal.children[i]))
                            .collect();
                        order.sort_by_key(|&i| (key(h[goal.children[i]]), goal.children[i]));
                        let alternatives: Vec<Alternative> = order
                            .iter()
                            .enumerate()
                            .skip(from)
                            .filter(|&(_, &i)| cyclic || !included[goal.children[i]])
                            .map(|(pos, &i)| {
                                let chosen = got + goal.child_weight(i);
                                (goal.children[i], Some((g, pos + 1, chosen)))
                            })
                            .collect();
                        let Some(&(first, again)) = alternatives.first() else {
                            dead = true;
                            break;
                        };
                        steps += pending.len();
                        choices.push(Choice {
                            trail_len: trail.len(),
                            pending: pending.clone(),
                            weight,
                            alternatives,
                            next: 1,
                        });
                        if let Some((g, from, got)) = again {
                            pending.push((g, Some((from, got))));
                        }
                        pending.push((first, None));
                    }
                }
            }
            if !dead {
                // A solution. Keep what a well-founded derivation of the roots uses (dropping
                // goals included on the way but not needed), if new and minimal. Checking it
                // is work too.
                steps += trail.len();
                if let Some(chosen) = self.derivation(roots, &trail, None) {
                    let used = self.ordered(roots, &chosen);
                    let mut set: Vec<usize> = used
                        .iter()
                        .copied()
                        .filter(|&g| self.goals[g].weight.0 > 0)
                        .collect();
                    set.sort_unstable();
                    let weight = set
                        .iter()
                        .fold((0, 0), |w, &g| add_weights(w, self.goals[g].weight));
                    let left = self.options.budget.saturating_sub(steps);
                    let minimal = match self.is_minimal(roots, &used, set.len(), left, &mut steps) {
                        Some(minimal) => minimal,
                        None => {
                            unverified = true;
                            true
                        }
                    };
                    if minimal && seen.insert(set.clone()) {
                        best.push(Solution {
                            moves: set,
                            all: used.into_iter().collect(),
                            weight,
                        });
                        best.sort_by(|a, b| {
                            key(a.weight)
                                .cmp(&key(b.weight))
                                .then_with(|| a.moves.cmp(&b.moves))
                        });
                        best.truncate(k);
                    }
                }
            }
            // Backtrack to the latest choice with an alternative left.
            loop {
                let Some(choice) = choices.last_mut() else {
                    break 'search;
                };
                steps += trail.len() - choice.trail_len;
                for &g in &trail[choice.trail_len..] {
                    included[g] = false;
                }
                trail.truncate(choice.trail_len);
                if choice.next < choice.alternatives.len() {
                    steps += choice.pending.len();
                    pending.clone_from(&choice.pending);
                    let (child, again) = choice.alternatives[choice.next];
                    if let Some((g, from, got)) = again {
                        pending.push((g, Some((from, got))));
                    }
                    pending.push((child, None));
                    weight = choice.weight;
                    choice.next += 1;
                    break;
                }
                choices.pop();
            }
        }
        (best, exact && !unverified, steps)
    }

    /// The one solution of achievable `roots` when no OR goal is reachable from them: every
    /// goal below, all needed. `None` when there is a choice to search. Linear in the goals
    /// below the roots.
    fn forced(&self, roots: &[usize]) -> Option<Solution> {
        let mut all = BTreeSet::new();
        let mut stack: Vec<usize> = roots.to_vec();
        while let Some(g) = stack.pop() {
            let goal = &self.goals[g];
            if goal.gate == Gate::Or || !self.achievable(g) {
                return None;
            }
            if all.insert(g) {
                stack.extend(goal.children.iter().copied());
            }
        }
        let moves: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&g| self.goals[g].weight.0 > 0)
            .collect();
        let weight = moves
            .iter()
            .fold((0, 0), |w, &g| add_weights(w, self.goals[g].weight));
        Some(Solution { moves, all, weight })
    }

    /// Whether no move-bearing goal of a derivation's goals `used` can be left out. Cheap
    /// when no OR goal of it has two children in it (then every goal is needed); otherwise
    /// checked by removing each goal in turn, which costs `moves × used` work units, charged
    /// to `steps`: `None` (not checked) when that is more than the budget `left`.
    fn is_minimal(
        &self,
        roots: &[usize],
        used: &[usize],
        moves: usize,
        left: usize,
        steps: &mut usize,
    ) -> Option<bool> {
        let members: BTreeSet<usize> = used.iter().copied().collect();
        let simple = used.iter().all(|&g| {
            self.goals[g].gate == Gate::And
                || !self.goals[g].is_threshold()
                    && self.goals[g]
                        .children
                        .iter()
                        .filter(|c| members.contains(c))
                        .count()
                        <= 1
        });
        if simple {
            return Some(true);
        }
        let work = moves.saturating_mul(used.len());
        if work > left {
            return None;
        }
        *steps += work;
        Some(
            used.iter()
                .filter(|&&g| self.goals[g].weight.0 > 0)
                .all(|&removed| !self.satisfiable_with(roots, used, Some(removed))),
        )
    }

    /// Whether `roots` are satisfied using only the goals of `set` (except `removed`).
    fn satisfiable_with(&self, roots: &[usize], set: &[usize], removed: Option<usize>) -> bool {
        self.derivation(roots, set, removed).is_some()
    }

    /// A well-founded derivation of `roots` from the goals of `set` (except `removed`), not
    /// one that leans on itself around a cycle: for each OR goal, the child it is satisfied
    /// through. `None` if the roots cannot be derived. Worklist with counters, linear in the
    /// set's edges, in a deterministic order.
    fn derivation(
        &self,
        roots: &[usize],
        set: &[usize],
        removed: Option<usize>,
    ) -> Option<HashMap<usize, Vec<usize>>> {
        let mut members: Vec<usize> = set
            .iter()
            .copied()
            .filter(|&g| Some(g) != removed)
            .collect();
        members.sort_unstable();
        members.dedup();
        let local: HashMap<usize, usize> =
            members.iter().enumerate().map(|(i, &g)| (g, i)).collect();
        let mut parents: Vec<Vec<(usize, u64)>> = vec![Vec::new(); members.len()];
        let mut missing: Vec<u64> = vec![0; members.len()];
        let mut queue = VecDeque::new();
        for (i, &g) in members.iter().enumerate() {
            let goal = &self.goals[g];
            let children: Vec<(usize, u64)> = goal
                .children
                .iter()
                .enumerate()
                .filter_map(|(k, c)| local.get(c).map(|&l| (l, goal.child_weight(k))))
                .collect();
            let available: u64 = children.iter().map(|&(_, w)| w).sum();
            missing[i] = match goal.gate {
                Gate::And if children.len() < goal.children.len() => u64::MAX,
                Gate::And => children.len() as u64,
                Gate::Or if available < goal.need => u64::MAX,
                Gate::Or => goal.need,
            };
            for (c, w) in children {
                let w = if goal.gate == Gate::And { 1 } else { w };
                parents[c].push((i, w));
            }
            if missing[i] == 0 {
                queue.push_back(i);
            }
        }
        let mut done = vec![false; members.len()];
        let mut chosen: HashMap<usize, Vec<usize>> = HashMap::new();
        while let Some(i) = queue.pop_front() {
            if std::mem::replace(&mut done[i], true) {
                continue;
            }
            for &(p, w) in &parents[i] {
                if missing[p] != u64::MAX && missing[p] > 0 {
                    missing[p] = missing[p].saturating_sub(w);
                    if self.goals[members[p]].gate == Gate::Or {
                        chosen.entry(members[p]).or_default().push(members[i]);
                    }
                    if missing[p] == 0 {
                        queue.push_back(p);
                    }
                }
            }
        }
        roots
            .iter()
            .all(|r| local.get(r).is_some_and(|&i| done[i]))
            .then_some(chosen)
    }

    /// The goals a derivation uses, ordered so that each comes after the children it is
    /// satisfied through. Iterative post-order.
    fn ordered(&self, roots: &[usize], chosen: &HashMap<usize, Vec<usize>>) -> Vec<usize> {
        let mut visited = vec![false; self.goals.len()];
        let mut out = Vec::new();
        let mut stack: Vec<(usize, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((g, children_done)) = stack.pop() {
            if children_done {
                out.push(g);
                continue;
            }
            if std::mem::replace(&mut visited[g], true) {
                continue;
            }
            stack.push((g, true));
            let children = self.used_children(g, chosen);
            for &c in children.iter().rev() {
                if !visited[c] {
                    stack.push((c, false));
                }
            }
        }
        out
    }

    /// The children a derivation satisfies `g` through: all of an AND goal's, the chosen
    /// children of an OR goal (one for a choice; enough for a threshold).
    fn used_children(&self, g: usize, chosen: &HashMap<usize, Vec<usize>>) -> Vec<usize> {
        let goal = &self.goals[g];
        match goal.gate {
            Gate::And => goal.children.clone(),
            Gate::Or => chosen.get(&g).cloned().unwrap_or_default(),
        }
    }

    /// The goals of a solution in an order in which their moves can be applied: the goals
    /// farthest from the roots first (so preconditions come before the acts they condition).
    fn ordered_goals(&self, roots: &[usize], all: &BTreeSet<usize>) -> Vec<usize> {
        let set: Vec<usize> = all.iter().copied().collect();
        let chosen = self.derivation(roots, &set, None).unwrap_or_default();
        let post = self.ordered(roots, &chosen);
        // Dense, by goal: the sort below reads it per comparison.
        let mut depth = vec![0usize; self.goals.len()];
        // Reverse post-order is topological for the edges the post-order followed, so each
        // goal's depth is final before it is passed on.
        for &g in post.iter().rev() {
            let d = depth[g];
            for c in self.used_children(g, &chosen) {
                depth[c] = depth[c].max(d + 1);
            }
        }
        let mut order: Vec<(usize, usize)> =
            post.iter().enumerate().map(|(i, &g)| (i, g)).collect();
        order.sort_by_key(|&(i, g)| (std::cmp::Reverse(depth[g]), i));
        order.into_iter().map(|(_, g)| g).collect()
    }

    /// The moves of a solution, in an order in which each can be applied.
    fn ordered_moves(&self, roots: &[usize], all: &BTreeSet<usize>) -> Vec<PlannedMove> {
        self.moves_of(&self.ordered_goals(roots, all))
    }

    /// The moves of `goals`, in that order.
    fn moves_of(&self, goals: &[usize]) -> Vec<PlannedMove> {
        goals
            .iter()
            .filter_map(|&g| self.goals[g].moves.as_ref())
            .flatten()
            .cloned()
            .collect()
    }

    /// Obstacles below unachievable `roots`: nodes nobody can satisfy, and cycles.
    fn obstacles(&self) -> Vec<Obstacle> {
        let mut out = Vec::new();
        let mut impossible: BTreeSet<NodeId> = BTreeSet::new();
        for goal in &self.goals {
            if goal.moves.is_none() {
                impossible.insert(goal.node);
            }
        }
        out.extend(
            impossible
                .into_iter()
                .map(|node| Obstacle::NoOneCanSatisfy { node }),
        );
        let nodes: BTreeSet<NodeId> = self
            .goals
            .iter()
            .enumerate()
            .filter(|(g, _)| !self.achievable(*g))
            .map(|(_, goal)| goal.node)
            .collect();
        out.extend(
            self.neg
                .deadlocks_among(&nodes)
                .into_iter()
                .map(Obstacle::Deadlock),
        );
        out
    }
}

/// The cost of moves: their sum, saturating at `u64::MAX` (costs are the analyst's, and may be
/// huge).
fn total_cost(moves: &[PlannedMove]) -> u64 {
    moves
        .iter()
        .fold(0, |sum: u64, m| sum.saturating_add(m.cost))
}

/// `(moves, cost)` weights added, saturating.
fn add_weights(a: (u64, u64), b: (u64, u64)) -> (u64, u64) {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}

fn burden(moves: &[PlannedMove]) -> Vec<(PartyId, u64)> {
    let mut by: BTreeMap<PartyId, u64> = BTreeMap::new();
    for m in moves {
        let c = by.entry(m.actor).or_default();
        *c = c.saturating_add(m.cost);
    }
    by.into_iter().collect()
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
    ///     .precondition("b", "deal.signed", "vote")
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
            .map(|(plan, _)| plan)
    }

    /// The plan, and the real nodes it satisfies (stages included) in order.
    fn solve(&self, t: NodeId, options: &Options) -> Result<(Plan, Vec<NodeId>), PlanError> {
        if self.satisfied(t) {
            let plan = Plan {
                target: t,
                moves: Vec::new(),
                cost: 0,
                exact: true,
                effort: Effort::default(),
            };
            return Ok((plan, Vec::new()));
        }
        let region = Region::new(self, options, &[t]);
        let root = region.index[&t];
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
        let mut nodes: Vec<NodeId> = Vec::new();
        let mut seen: HashSet<NodeId, BuildFx> = HashSet::default();
        for g in goals {
            let n = region.goals[g].node;
            if self.kind(n) != Some(NodeKind::Group) && seen.insert(n) {
                nodes.push(n);
            }
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
        Ok((plan, nodes))
    }

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
        let mut region = Region::new(self, options, &movers);
        // One root per mover: its requirements (with their unlink alternatives). The movers
        // themselves stay unsatisfied, so nothing below may rely on them.
        let mut roots = Vec::with_capacity(movers.len());
        for m in &movers {
            let mut g = region.index[m];
            if region.goals[g].gate == Gate::Or && self.kind(*m) == Some(NodeKind::Condition) {
                // A condition's goal offers fulfilling or waiving; unblocking is the former.
                g = region.goals[g].children[0];
            }
            // A requirement group keeps its gate: enough of its alternatives, not all.
            let goal = &region.goals[g];
            roots.push((
                goal.gate,
                goal.children.clone(),
                goal.need,
                goal.weights.clone(),
            ));
        }
        for &m in &movers {
            region.forbid(m);
        }
        let roots: Vec<usize> = roots
            .into_iter()
            .zip(&movers)
            .map(|((gate, children, need, weights), &node)| {
                let gate = if self.kind(node) == Some(NodeKind::Group) {
                    gate
                } else {
                    Gate::And
                };
                region.push(Goal {
                    node,
                    gate,
                    children,
                    moves: Some(Vec::new()),
                    weight: (0, 0),
                    satisfies: false,
                    need,
                    weights,
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

    /// The cycles of requirements among unsatisfied nodes: no node on one can be satisfied
    /// before the others. One cycle per strongly connected component, through its lowest
    /// node, sorted.
    ///
    /// # Complexity
    ///
    /// Linear in the graph (iterative strongly connected components).
    pub fn deadlocks(&self) -> Vec<Deadlock> {
        let members: Vec<NodeId> = self.node_ids().filter(|&n| !self.satisfied(n)).collect();
        let mut slots = vec![u32::MAX; self.node_count()];
        for (i, &n) in members.iter().enumerate() {
            slots[n.index()] = i as u32;
        }
        let slot = |n: NodeId| {
            slots
                .get(n.index())
                .filter(|&&s| s != u32::MAX)
                .map(|&s| s as usize)
        };
        self.cycles_among(&members, &slot)
    }

    /// Deadlocks among `nodes` (unsatisfied ones), following unsatisfied requirements.
    pub(crate) fn deadlocks_among(&self, nodes: &BTreeSet<NodeId>) -> Vec<Deadlock> {
        let members: Vec<NodeId> = nodes
            .iter()
            .copied()
            .filter(|&n| !self.satisfied(n))
            .collect();
        let slots: HashMap<NodeId, usize, BuildFx> =
            members.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        self.cycles_among(&members, &|n| slots.get(&n).copied())
    }

    /// One deadlock per strongly connected component of `members` (sorted, unsatisfied)
    /// with a cycle: its shortest cycle through the component's first node. `slot` numbers
    /// the members densely (`None` outside them).
    fn cycles_among(
        &self,
        members: &[NodeId],
        slot: &dyn Fn(NodeId) -> Option<usize>,
    ) -> Vec<Deadlock> {
        let succ = |n: NodeId| -> Vec<NodeId> {
            let mut s: Vec<NodeId> = self
                .graph
                .requirements(n)
                .map(|r| r.target)
                .filter(|&t| slot(t).is_some())
                .collect();
            s.sort_unstable();
            s
        };
        let mut out = Vec::new();
        for component in strongly_connected(members, slot, &succ) {
            let start = component[0];
            let self_loop = succ(start).contains(&start);
            if component.len() < 2 && !self_loop {
                continue;
            }
            let in_component: HashSet<NodeId, BuildFx> = component.iter().copied().collect();
            // Shortest cycle through `start`, breadth-first within the component.
            let mut parent: HashMap<NodeId, NodeId, BuildFx> = HashMap::default();
            let mut queue = VecDeque::from([start]);
            let mut found = self_loop.then_some(start);
            while found.is_none() {
                let Some(x) = queue.pop_front() else { break };
                for y in succ(x) {
                    if y == start {
                        found = Some(x);
                        break;
                    }
                    if in_component.contains(&y) && !parent.contains_key(&y) {
                        parent.insert(y, x);
                        queue.push_back(y);
                    }
                }
            }
            let Some(mut last) = found else { continue };
            let mut cycle = vec![last];
            while last != start {
                let Some(&p) = parent.get(&last) else { break };
                last = p;
                cycle.push(last);
            }
            cycle.reverse();
            out.push(self.deadlock_of(cycle));
        }
        out.sort_by(|a, b| a.nodes.cmp(&b.nodes));
        out
    }

    /// The deadlock a new requirement `from → to` closes, if `to` leads back to `from`
    /// through unsatisfied requirements. Breadth-first over the unsatisfied part below `to`.
    pub(crate) fn deadlock_through(&self, from: NodeId, to: NodeId) -> Option<Deadlock> {
        if self.satisfied(from) || self.satisfied(to) {
            return None;
        }
        let mut parent: HashMap<NodeId, NodeId> = HashMap::new();
        let mut queue = VecDeque::from([to]);
        while let Some(x) = queue.pop_front() {
            if x == from {
                let mut cycle = vec![from];
                let mut y = from;
                while y != to {
                    y = parent[&y];
                    cycle.push(y);
                }
                // cycle is from <- ... <- to; the edge from -> to closes it.
                cycle.reverse();
                cycle.rotate_right(1);
                return Some(self.deadlock_of(cycle));
            }
            for t in self.unsatisfied_targets(x) {
                if t != to && !parent.contains_key(&t) {
                    parent.insert(t, x);
                    queue.push_back(t);
                }
            }
        }
        None
    }

    fn deadlock_of(&self, nodes: Vec<NodeId>) -> Deadlock {
        let mut parties: Vec<PartyId> = Vec::new();
        let mut edges = Vec::with_capacity(nodes.len());
        for (i, &from) in nodes.iter().enumerate() {
            let to = nodes[(i + 1) % nodes.len()];
            for p in crate::explain::actors_of(self, from) {
                if !parties.contains(&p) {
                    parties.push(p);
                }
            }
            let edge = self
                .graph
                .edge(from, to)
                .unwrap_or(RequirementEdge::of(RequirementKind::Procedure));
            let kind = edge.kind;
            // A party's precondition can be dropped by that party (`unrequire`, or `unlink`
            // for a demand on its act).
            let droppable_by = edge.by.filter(|_| kind == RequirementKind::Precondition);
            edges.push(CycleEdge {
                from,
                to,
                kind,
                basis: edge.basis(),
                droppable_by,
            });
        }
        Deadlock {
            nodes,
            parties,
            edges,
        }
    }

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
        let (plan, candidates) = self.solve(self.resolve_target(target)?, options)?;
        let t = plan.target;
        let mut effort = plan.effort;
        let (nodes, exact) = if self.satisfied(t) {
            (candidates, true)
        } else {
            let region = Region::new(self, options, &[t]);
            match region.index.get(&t) {
                Some(&root) => {
                    let (nodes, exact, steps) = region.landmarks_among(root, candidates);
                    effort.steps = effort.steps.saturating_add(steps);
                    (nodes, exact)
                }
                None => (candidates, true),
            }
        };
        let mut parties: Vec<PartyId> = nodes
            .iter()
            .flat_map(|&n| crate::explain::actors_of(self, n))
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

    /// Per party, what it holds up for others and what it waits on; per pair, who waits on
    /// whom. Computed from the frontier blockers of every pending blocked act.
    ///
    /// # Complexity
    ///
    /// One pass over the nodes, and one blocker explanation per pending, blocked act in play:
    /// the sum of their explained regions (a region shared by several acts is walked once per
    /// act). No budget: the explanations are exact.
    pub fn leverage(&self) -> Leverage {
        let n = self.parties.len();
        let mut waits: Vec<BTreeMap<PartyId, BTreeSet<NodeId>>> = vec![BTreeMap::new(); n];
        let mut holds: Vec<BTreeMap<PartyId, BTreeSet<NodeId>>> = vec![BTreeMap::new(); n];
        let mut preconditions: Vec<BTreeSet<NodeId>> = vec![BTreeSet::new(); n];
        for act in self.node_ids() {
            let NodeData::Act(a) = &self.nodes[act.index()].data else {
                continue;
            };
            if a.performed {
                continue;
            }
            for r in self.graph.requirements(act) {
                if r.by == Some(a.party) && !self.satisfied(r.target) {
                    preconditions[a.party.index()].insert(r.target);
                }
            }
            // An act still waiting for its track's previous stage is not in play yet.
            let in_play = self
                .graph
                .requirements(act)
                .all(|r| r.kind != RequirementKind::PreviousStage || self.satisfied(r.target));
            if !self.blocked(act) || !in_play {
                continue;
            }
            for (holder, nodes) in self.explain(act).group_by_actor(self) {
                let Some(holder) = holder else { continue };
                if holder == a.party {
                    continue;
                }
                waits[a.party.index()]
                    .entry(holder)
                    .or_default()
                    .extend(nodes.iter().copied());
                holds[holder.index()]
                    .entry(a.party)
                    .or_default()
                    .extend(nodes);
            }
        }
        let flatten = |m: &BTreeMap<PartyId, BTreeSet<NodeId>>| -> Vec<(PartyId, Vec<NodeId>)> {
            m.iter()
                .map(|(&p, s)| (p, s.iter().copied().collect()))
                .collect()
        };
        let mut pairs = Vec::new();
        for (waiter, m) in waits.iter().enumerate() {
            for (&holder, s) in m {
                pairs.push((self.party_handle(waiter), holder, s.len()));
            }
        }
        Leverage {
            parties: (0..n)
                .map(|i| PartyLeverage {
                    party: self.party_handle(i),
                    holds_up: flatten(&holds[i]),
                    preconditions: preconditions[i].iter().copied().collect(),
                    waits_on: flatten(&waits[i]),
                })
                .collect(),
            pairs,
        }
    }
}

impl Region<'_> {
    /// Marks real node `node` as impossible to satisfy (every goal standing for it).
    fn forbid(&mut self, node: NodeId) {
        for goal in &mut self.goals {
            if goal.node == node && goal.satisfies {
                goal.moves = None;
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
                Gate::And => stack.extend(goal.children.iter().copied()),
                Gate::Or => {
                    let achievable: Vec<(usize, u64)> = (0..goal.children.len())
                        .filter(|&i| self.achievable(goal.children[i]))
                        .map(|i| (goal.children[i], goal.child_weight(i)))
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

/// A goal the search is to include, or a threshold goal to revisit with the position of its
/// next alternative and the weight of the children chosen for it so far.
type Pending = (usize, Option<(usize, u64)>);

/// An alternative of a choice: the child to include, and for a threshold goal, the goal to
/// revisit with the position of its next alternative and the weight chosen for it with this
/// child.
type Alternative = (usize, Option<(usize, usize, u64)>);

/// A solution found by the search: its move-bearing goals, every goal it includes, and its
/// `(moves, cost)`.
struct Solution {
    moves: Vec<usize>,
    all: BTreeSet<usize>,
    weight: (u64, u64),
}

/// A first solution without search: follow, for each OR goal, the child that became
/// achievable first (so the solution is well-founded even around cycles).
fn greedy(region: &Region<'_>, root: usize) -> BTreeSet<usize> {
    let mut set = BTreeSet::new();
    let mut seen = vec![false; region.goals.len()];
    let mut stack = vec![root];
    while let Some(g) = stack.pop() {
        if std::mem::replace(&mut seen[g], true) {
            continue;
        }
        let goal = &region.goals[g];
        set.insert(g);
        match goal.gate {
            Gate::And => stack.extend(goal.children.iter().copied()),
            Gate::Or => {
                // The children that became achievable first, until the need is met.
                let mut order: Vec<usize> = (0..goal.children.len())
                    .filter(|&i| region.achievable(goal.children[i]))
                    .collect();
                order.sort_by_key(|&i| region.order[goal.children[i]]);
                let mut got = 0;
                for i in order {
                    if got >= goal.need {
                        break;
                    }
                    got += goal.child_weight(i);
                    stack.push(goal.children[i]);
                }
            }
        }
    }
    set
}

/// Strongly connected components of the graph on `nodes` given by `succ`, each sorted, the
/// list sorted by first node. Iterative Tarjan.
/// The strongly connected components of the graph `succ` restricted to `members` (which
/// `slot` numbers densely), each sorted, sorted. Tarjan's algorithm with an explicit call
/// stack; its bookkeeping is arrays indexed by slot, so the whole graph costs linear time.
fn strongly_connected(
    members: &[NodeId],
    slot: &dyn Fn(NodeId) -> Option<usize>,
    succ: &dyn Fn(NodeId) -> Vec<NodeId>,
) -> Vec<Vec<NodeId>> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; members.len()];
    let mut low = vec![UNSEEN; members.len()];
    let mut on_stack = vec![false; members.len()];
    let mut stack: Vec<NodeId> = Vec::new();
    let mut out = Vec::new();
    let mut counter: u32 = 0;
    let mut call: Vec<(NodeId, usize, Vec<NodeId>, usize)> = Vec::new();
    for &start in members {
        let Some(s) = slot(start) else { continue };
        if index[s] != UNSEEN {
            continue;
        }
        index[s] = counter;
        low[s] = counter;
        counter += 1;
        stack.push(start);
        on_stack[s] = true;
        call.push((start, s, succ(start), 0));
        while let Some((v, vs, children, i)) = call.last_mut() {
            let (v, vs) = (*v, *vs);
            if *i < children.len() {
                let w = children[*i];
                *i += 1;
                let Some(ws) = slot(w) else { continue };
                if index[ws] == UNSEEN {
                    index[ws] = counter;
                    low[ws] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[ws] = true;
                    call.push((w, ws, succ(w), 0));
                } else if on_stack[ws] {
                    low[vs] = low[vs].min(index[ws]);
                }
            } else {
                call.pop();
                if let Some(&(_, ps, _, _)) = call.last() {
                    low[ps] = low[ps].min(low[vs]);
                }
                if index[vs] == low[vs] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        if let Some(ws) = slot(w) {
                            on_stack[ws] = false;
                        }
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    component.sort_unstable();
                    out.push(component);
                }
            }
        }
    }
    out.sort();
    out
}

// ----- text renderings -----------------------------------------------------------------

fn name(neg: &Negotiation, p: PartyId) -> &str {
    crate::explain::party_name(neg, p)
}

impl Plan {
    /// A numbered list of the moves.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "plan");
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

impl Unblocking {
    /// Each set with its cost and burden per party.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "answer");
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

impl Obstacle {
    /// The obstacle as text: a deadlock as [`Deadlock::display`] writes it, a node nobody can
    /// satisfy as one line.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "obstacle");
            }
            match self {
                Obstacle::Deadlock(d) => write!(f, "{}", d.display(negotiation)),
                Obstacle::NoOneCanSatisfy { node } => {
                    writeln!(f, "- nobody can satisfy {}", negotiation.key_of(*node))
                }
            }
        })
    }
}

impl Deadlock {
    /// The cycle, its parties, and the requirements whose dropping breaks it.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "deadlock");
            }
            let parties: Vec<&str> = self.parties.iter().map(|&p| name(negotiation, p)).collect();
            let mut cycle: Vec<&str> = self.nodes.iter().map(|&n| negotiation.key_of(n)).collect();
            if let Some(&first) = cycle.first() {
                cycle.push(first);
            }
            writeln!(
                f,
                "Deadlock between {}: {}",
                parties.join(", "),
                cycle.join(" -> ")
            )?;
            writeln!(f, "  dropping any one of these requirements breaks it:")?;
            for e in &self.edges {
                let how = match (e.basis, e.droppable_by) {
                    (_, Some(p)) => format!(
                        "{}'s precondition; {} can drop it",
                        name(negotiation, p),
                        name(negotiation, p)
                    ),
                    (Basis::Precondition(p), None) => {
                        format!("{}'s precondition", name(negotiation, p))
                    }
                    (Basis::Procedure, None) => {
                        crate::explain::basis_text(negotiation, e.basis, e.from, e.to)
                    }
                    (Basis::Structure, None) => {
                        "a structural requirement (stage order, acts, articles)".to_owned()
                    }
                };
                writeln!(
                    f,
                    "  - {} requires {} ({how})",
                    negotiation.key_of(e.from),
                    negotiation.key_of(e.to)
                )?;
            }
            Ok(())
        })
    }
}

impl Landmarks {
    /// The landmarks and the parties on them.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "answer");
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

impl Leverage {
    /// A table: per party, who it holds up and who it waits on (parties with nothing to
    /// show are left out).
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return foreign(f, "answer");
            }
            let list = |v: &[(PartyId, Vec<NodeId>)]| -> String {
                if v.is_empty() {
                    return "-".to_owned();
                }
                v.iter()
                    .map(|(p, ns)| {
                        let keys: Vec<&str> = ns.iter().map(|&n| negotiation.key_of(n)).collect();
                        format!("{} ({})", name(negotiation, *p), keys.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            // Parties that hold up nobody, wait on nobody and have no precondition are left out.
            for p in self.parties.iter().filter(|p| {
                !(p.holds_up.is_empty() && p.waits_on.is_empty() && p.preconditions.is_empty())
            }) {
                let pre: Vec<&str> = p
                    .preconditions
                    .iter()
                    .map(|&n| negotiation.key_of(n))
                    .collect();
                let mut line = String::new();
                let _ = write!(
                    line,
                    "{}: holds up {}",
                    name(negotiation, p.party),
                    list(&p.holds_up)
                );
                let _ = write!(line, " | waits on {}", list(&p.waits_on));
                if !pre.is_empty() {
                    let _ = write!(line, " | own preconditions: {}", pre.join(", "));
                }
                writeln!(f, "{line}")?;
            }
            Ok(())
        })
    }
}

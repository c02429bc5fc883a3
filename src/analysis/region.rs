//! The AND-OR region below a target, and the branch-and-bound search over its choices that
//! plans, unblocking sets and landmarks share.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::fmt;

use crate::deadlock::Deadlock;
use crate::ids::{NodeId, PartyId};
use crate::model::{
    ConcessionStatus, Effect, NodeData, Obligation, Position, Requirement, RequirementKind,
};
use crate::moves::{Move, MoveKind};
use crate::state::{Negotiation, READ_AHEAD};
use crate::util::{BuildFx, IdMap, Rendered, Runs};

use super::options::Options;

/// One move of a plan or unblocking set, with the node it satisfies and its cost.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
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

/// Why a target cannot be reached.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
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

/// The cost of moves: their sum, saturating at `u64::MAX` (costs are the analyst's, and may be
/// huge).
pub(super) fn total_cost(moves: &[PlannedMove]) -> u64 {
    moves
        .iter()
        .fold(0, |sum: u64, m| sum.saturating_add(m.cost))
}

pub(super) fn burden(moves: &[PlannedMove]) -> Vec<(PartyId, u64)> {
    let mut by: BTreeMap<PartyId, u64> = BTreeMap::new();
    for m in moves {
        let c = by.entry(m.actor).or_default();
        *c = c.saturating_add(m.cost);
    }
    by.into_iter().collect()
}

impl Obstacle {
    /// The obstacle as text: a deadlock as [`Deadlock::display`] writes it, a node nobody can
    /// satisfy as one line.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "obstacle");
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Gate {
    And,
    Or,
}

/// A run of a region's flat array (children, child weights, moves) owned by one goal.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Span {
    start: usize,
    len: usize,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start..self.start + self.len
    }
}

/// A move of the region before it is a [`Move`]: the strings of a move are built only for the
/// moves of an answer ([`Planned::to_move`]), not for every move of the region.
#[derive(Clone, Copy, Debug)]
pub(super) struct Planned {
    /// The node it satisfies (for an unlink, the condition detached).
    node: NodeId,
    actor: PartyId,
    kind: Kind,
    cost: u64,
}

/// What a [`Planned`] move does to its node.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Perform the act, an act of `stage`.
    Perform { stage: NodeId },
    /// Accept the article.
    Accept,
    /// Fulfil the condition.
    Fulfil,
    /// Detach the condition from the actor's act of `stage`.
    Unlink { stage: NodeId },
    /// Waive the condition.
    Waive,
    /// Offer the concession.
    Offer,
    /// Make the concession.
    Make,
}

impl Planned {
    fn new(neg: &Negotiation, options: &Options, node: NodeId, actor: PartyId, kind: Kind) -> Self {
        Planned {
            node,
            actor,
            kind,
            cost: options.costs.cost_of(neg, node, actor),
        }
    }

    /// The move, with its strings.
    pub(super) fn to_move(self, neg: &Negotiation) -> PlannedMove {
        let key = |n: NodeId| neg.key_of(n).to_owned();
        let kind = match self.kind {
            Kind::Perform { stage } => MoveKind::Perform { stage: key(stage) },
            Kind::Accept => MoveKind::SetPosition {
                article: key(self.node),
                position: Position::Accepts,
            },
            Kind::Fulfil => MoveKind::Fulfil {
                condition: key(self.node),
            },
            Kind::Unlink { stage } => MoveKind::Unlink {
                condition: key(self.node),
                stage: key(stage),
            },
            Kind::Waive => MoveKind::Waive {
                condition: key(self.node),
            },
            Kind::Offer => MoveKind::Offer {
                concession: key(self.node),
            },
            Kind::Make => MoveKind::Make {
                concession: key(self.node),
            },
        };
        PlannedMove {
            node: self.node,
            actor: self.actor,
            mv: Move::new(neg.parties[self.actor.index()].key.clone(), kind),
            cost: self.cost,
        }
    }
}

/// A node of the AND-OR graph: a real node's own-move goal, or a virtual choice. Plain data:
/// its children, their weights and its moves are runs of the region's flat arrays, so the
/// region holds a few large blocks rather than several small ones per goal, and a pass that
/// visits a goal reads one record.
#[derive(Clone, Copy, Debug)]
pub(super) struct Goal {
    /// The real node it stands for.
    pub(super) node: NodeId,
    pub(super) gate: Gate,
    /// Whether some party can achieve it once its children are (false: nobody can).
    pub(super) possible: bool,
    /// Whether achieving the goal satisfies `node` (false for dropping a requirement on it).
    pub(super) satisfies: bool,
    /// Its children, in [`Region::children`].
    pub(super) children: Span,
    /// For an OR goal of a threshold: each child's weight, in [`Region::child_weight`]; empty
    /// when every child weighs 1.
    pub(super) weights: Span,
    /// The moves that satisfy it once its children are.
    pub(super) moves: Span,
    /// `(number of moves, cost)`.
    pub(super) weight: (u64, u64),
    /// For an OR goal: the weight of children it needs (1 for a choice; a threshold group's
    /// remaining count or weight).
    pub(super) need: u64,
}

impl Goal {
    /// A goal for `node` with no children and no moves, possible, satisfying `node`.
    pub(super) fn new(node: NodeId, gate: Gate) -> Self {
        Goal {
            node,
            gate,
            possible: true,
            satisfies: true,
            children: Span::default(),
            weights: Span::default(),
            moves: Span::default(),
            weight: (0, 0),
            need: 1,
        }
    }

    /// Whether the goal is a threshold (needs more than one child, or weighs them).
    pub(super) fn is_threshold(&self) -> bool {
        self.gate == Gate::Or && (self.need > 1 || self.weights.len > 0)
    }
}

/// From how many goals (about one move each) an answer's keys are read ahead: below it, the
/// model it reads mostly stays in cache and reading ahead only reads twice.
const WARM_FROM: usize = 1 << 17;

/// The part of the requirement graph below some goals, as an AND-OR graph.
pub(super) struct Region<'a> {
    pub(super) neg: &'a Negotiation,
    pub(super) options: &'a Options,
    pub(super) goals: Vec<Goal>,
    /// Every goal's children, one run per goal ([`Goal::children`]).
    children: Vec<usize>,
    /// The child weights of the thresholds that weigh their children ([`Goal::weights`]).
    weights: Vec<u64>,
    /// Every goal's moves, one run per goal.
    moves: Vec<Planned>,
    /// Real node (by index) → its goal (the OR wrapper when waivers give it alternatives).
    index: IdMap,
    /// Achievable goals in the order they became achievable; `None` for the others.
    pub(super) order: Vec<Option<usize>>,
    /// Scratch for [`expand`](Self::expand): the requirements of the node expanded.
    requirements: Vec<Requirement>,
}

impl<'a> Region<'a> {
    /// Builds the region below `roots` (unsatisfied nodes), and returns it with the roots'
    /// goals; which goals are achievable is left to [`compute_order`](Self::compute_order),
    /// once the caller has added what it needs (a pass over the region). Iterative.
    pub(super) fn new(
        neg: &'a Negotiation,
        options: &'a Options,
        roots: &[NodeId],
    ) -> (Self, Vec<usize>) {
        let mut region = Region {
            neg,
            options,
            goals: Vec::new(),
            children: Vec::new(),
            weights: Vec::new(),
            moves: Vec::new(),
            index: IdMap::new(neg.nodes.len()),
            order: Vec::new(),
            requirements: Vec::new(),
        };
        let mut queue: VecDeque<NodeId> = VecDeque::new();
        let goals = roots
            .iter()
            .map(|&r| region.goal_of(r, &mut queue))
            .collect();
        let mut scratch = Vec::new();
        let warm = neg.reads_ahead();
        let mut expanded = 0usize;
        while let Some(x) = queue.pop_front() {
            if warm && expanded.is_multiple_of(READ_AHEAD) {
                neg.read_ahead(std::iter::once(x).chain(queue.iter().copied()));
            }
            expanded += 1;
            region.expand(x, &mut queue, &mut scratch);
        }
        (region, goals)
    }

    pub(super) fn push(&mut self, goal: Goal) -> usize {
        self.goals.push(goal);
        self.goals.len() - 1
    }

    /// Appends a goal's children to the flat array.
    fn add_children(&mut self, children: &[usize]) -> Span {
        let start = self.children.len();
        self.children.extend_from_slice(children);
        Span {
            start,
            len: children.len(),
        }
    }

    /// The children of goal `g`.
    pub(super) fn children(&self, g: usize) -> &[usize] {
        &self.children[self.goals[g].children.range()]
    }

    /// The weight child number `i` contributes to OR goal `g`.
    pub(super) fn child_weight(&self, g: usize, i: usize) -> u64 {
        let weights = self.goals[g].weights;
        if i < weights.len {
            self.weights[weights.start + i]
        } else {
            1
        }
    }

    /// The moves of goal `g`.
    fn planned_moves(&self, g: usize) -> &[Planned] {
        &self.moves[self.goals[g].moves.range()]
    }

    /// The goal of real node `n`, if it is in the region.
    fn goal_at(&self, n: NodeId) -> Option<usize> {
        self.index.get(n.index())
    }

    /// The goal of real node `n`, creating it (to be expanded) if new.
    pub(super) fn goal_of(&mut self, n: NodeId, queue: &mut VecDeque<NodeId>) -> usize {
        if let Some(g) = self.goal_at(n) {
            return g;
        }
        let gate = match self.neg.nodes[n.index()].data {
            NodeData::Group(_) => Gate::Or,
            _ => Gate::And,
        };
        let g = self.push(Goal::new(n, gate));
        self.index.insert(n.index(), g);
        queue.push_back(n);
        g
    }

    /// Fills in the goal of `n`: its moves and children. `children` is scratch space.
    pub(super) fn expand(
        &mut self,
        n: NodeId,
        queue: &mut VecDeque<NodeId>,
        children: &mut Vec<usize>,
    ) {
        let (neg, options) = (self.neg, self.options);
        let Some(g) = self.goal_at(n) else {
            return;
        };
        let planned = |node, actor, kind| Planned::new(neg, options, node, actor, kind);
        // Requirements still to satisfy.
        let mut reqs = std::mem::take(&mut self.requirements);
        neg.sorted_requirements_into(n, &mut reqs);
        reqs.retain(|r| !neg.satisfied(r.target));
        // A threshold group needs what it lacks, from its unsatisfied alternatives.
        if let Some((threshold, _, more_needed)) = neg.group_counts(n) {
            self.goals[g].need = u64::from(more_needed);
            if threshold != crate::model::Threshold::Count(1) {
                let start = self.weights.len();
                self.weights
                    .extend(reqs.iter().map(|r| u64::from(r.weight)));
                self.goals[g].weights = Span {
                    start,
                    len: reqs.len(),
                };
            }
        }
        let mut extra: Vec<NodeId> = Vec::new();
        let first_move = self.moves.len();
        let possible = match &neg.nodes[n.index()].data {
            NodeData::Stage(_) | NodeData::Group(_) => true,
            // An act of a lapsed track can no longer be performed.
            NodeData::Act(_) if neg.lapsed(n).is_some() => false,
            NodeData::Act(a) => {
                let stage = a.stage;
                self.moves
                    .push(planned(n, a.party, Kind::Perform { stage }));
                true
            }
            NodeData::Article(a) => {
                self.moves.extend(
                    neg.tracks[a.track.index()]
                        .principals
                        .iter()
                        .filter(|&&p| a.position(p) != Position::Accepts)
                        .map(|&p| planned(n, p, Kind::Accept)),
                );
                true
            }
            NodeData::Condition(c) => {
                let fulfils = c.owed_now().map(|p| planned(n, p, Kind::Fulfil));
                match c.obligation {
                    // Each obligor that has not done its part must.
                    Obligation::Joint => {
                        self.moves.extend(fulfils);
                        self.moves.len() > first_move
                    }
                    Obligation::Any => match fulfils.min_by_key(|m| (m.cost, m.actor)) {
                        Some(m) => {
                            self.moves.push(m);
                            true
                        }
                        None => false,
                    },
                }
            }
            NodeData::Concession(c) => self.concession_moves(n, c, &mut extra),
        };
        let moves = Span {
            start: first_move,
            len: self.moves.len() - first_move,
        };
        let weight = if possible {
            let cost = self.moves[moves.range()]
                .iter()
                .fold(0, |sum: u64, m| sum.saturating_add(m.cost));
            (moves.len as u64, cost)
        } else {
            (0, 0)
        };
        // The requirements, some wrapped in a choice when the demander may give way.
        children.clear();
        for &Requirement { target, kind, .. } in &reqs {
            let child = self.goal_of(target, queue);
            let unlink = match (&neg.nodes[n.index()].data, &neg.nodes[target.index()].data) {
                (NodeData::Act(a), NodeData::Condition(c))
                    if options.allow_waivers
                        && kind == RequirementKind::Precondition
                        && c.demanded_by == Some(a.party) =>
                {
                    Some(planned(target, a.party, Kind::Unlink { stage: a.stage }))
                }
                _ => None,
            };
            children.push(match unlink {
                Some(m) => {
                    let leaf = self.leaf(target, m, false);
                    let either = self.add_children(&[child, leaf]);
                    self.push(Goal {
                        gate: Gate::Or,
                        satisfies: false,
                        children: either,
                        ..Goal::new(target, Gate::Or)
                    })
                }
                None => child,
            });
        }
        self.requirements = reqs;
        for target in extra {
            children.push(self.goal_of(target, queue));
        }
        let children = self.add_children(children);
        let waiver = match &neg.nodes[n.index()].data {
            NodeData::Condition(c) if options.allow_waivers => {
                c.demanded_by.map(|d| planned(n, d, Kind::Waive))
            }
            _ => None,
        };
        let own = Goal {
            possible,
            children,
            moves,
            weight,
            ..self.goals[g]
        };
        match waiver {
            // The node's goal becomes a choice: fulfil it (after its requirements) or waive it.
            Some(w) => {
                let fulfil = self.push(Goal {
                    gate: Gate::And,
                    need: 1,
                    weights: Span::default(),
                    ..own
                });
                let leaf = self.leaf(n, w, true);
                let either = self.add_children(&[fulfil, leaf]);
                let goal = &mut self.goals[g];
                goal.gate = Gate::Or;
                goal.children = either;
            }
            None => self.goals[g] = own,
        }
    }

    /// A goal achieved by move `m` alone.
    pub(super) fn leaf(&mut self, node: NodeId, m: Planned, satisfies: bool) -> usize {
        let weight = (1, m.cost);
        let moves = Span {
            start: self.moves.len(),
            len: 1,
        };
        self.moves.push(m);
        self.push(Goal {
            satisfies,
            moves,
            weight,
            ..Goal::new(node, Gate::And)
        })
    }

    /// Pushes the moves that make a concession, and the nodes its effects need satisfied
    /// first to `extra`. False (and no move pushed) if its party cannot carry out an effect;
    /// the nodes of the effects before that one stay in `extra`.
    pub(super) fn concession_moves(
        &mut self,
        n: NodeId,
        c: &crate::model::Concession,
        extra: &mut Vec<NodeId>,
    ) -> bool {
        let neg = self.neg;
        let possible = c.effects.iter().all(|effect| match effect {
            Effect::Accept { article } => {
                let Some(a) = neg.node_id(article) else {
                    return false;
                };
                let NodeData::Article(art) = &neg.nodes[a.index()].data else {
                    return false;
                };
                if art.excluded || !neg.tracks[art.track.index()].principals.contains(&c.by) {
                    return false;
                }
                extra.extend(neg.unsatisfied_requirements(a));
                true
            }
            Effect::Fulfil { condition } => {
                let Some(x) = neg.node_id(condition) else {
                    return false;
                };
                let NodeData::Condition(cond) = &neg.nodes[x.index()].data else {
                    return false;
                };
                if !neg.satisfied(x) {
                    if !cond.owed_by.contains(&c.by) {
                        return false;
                    }
                    extra.extend(neg.unsatisfied_requirements(x));
                }
                true
            }
            Effect::Waive { condition } | Effect::Unlink { condition, .. } => {
                let Some(x) = neg.node_id(condition) else {
                    return false;
                };
                match &neg.nodes[x.index()].data {
                    NodeData::Condition(cond) if cond.demanded_by == Some(c.by) => true,
                    NodeData::Condition(_) => neg.satisfied(x),
                    _ => false,
                }
            }
            // Moving an article can add requirements elsewhere: not planned.
            Effect::MoveArticle { .. } => false,
        });
        if !possible {
            return false;
        }
        extra.sort_unstable();
        extra.dedup();
        if c.status == ConcessionStatus::Retracted {
            self.moves
                .push(Planned::new(neg, self.options, n, c.by, Kind::Offer));
        }
        if c.status != ConcessionStatus::Made {
            self.moves
                .push(Planned::new(neg, self.options, n, c.by, Kind::Make));
        }
        true
    }

    /// Which goals are achievable, and in what order: a goal becomes achievable when it has
    /// moves and all its children are (AND), or one child is (OR). Worklist with counters.
    pub(super) fn compute_order(&mut self) {
        self.order = self.order_without(None);
    }

    /// The achievable order of [`compute_order`](Self::compute_order), with real node
    /// `forbidden` (if any) impossible to satisfy. Linear in the region.
    pub(super) fn order_without(&self, forbidden: Option<NodeId>) -> Vec<Option<usize>> {
        let n = self.goals.len();
        let mut missing: Vec<u64> = self
            .goals
            .iter()
            .map(|goal| match goal.gate {
                Gate::And => goal.children.len as u64,
                Gate::Or => goal.need,
            })
            .collect();
        // Read in goal order here, at random below.
        let possible: Vec<bool> = self
            .goals
            .iter()
            .map(|goal| goal.possible && !(goal.satisfies && forbidden == Some(goal.node)))
            .collect();
        let parents = Runs::new(n, || {
            (0..n).flat_map(move |g| {
                let gate = self.goals[g].gate;
                self.children(g).iter().enumerate().map(move |(i, &c)| {
                    let w = match gate {
                        Gate::And => 1,
                        Gate::Or => self.child_weight(g, i),
                    };
                    (c, (g, w))
                })
            })
        });
        let mut order = vec![None; n];
        let mut next = 0;
        let mut queue: VecDeque<usize> =
            (0..n).filter(|&g| missing[g] == 0 && possible[g]).collect();
        while let Some(g) = queue.pop_front() {
            if order[g].is_some() {
                continue;
            }
            order[g] = Some(next);
            next += 1;
            for &(p, w) in parents.of(g) {
                if missing[p] > 0 {
                    missing[p] = missing[p].saturating_sub(w);
                    if missing[p] == 0 && possible[p] {
                        queue.push_back(p);
                    }
                }
            }
        }
        order
    }

    /// Whether the goals' children form a cycle (Kahn's algorithm leaves some goal over).
    pub(super) fn has_cycle(&self) -> bool {
        let n = self.goals.len();
        let mut indegree = vec![0usize; n];
        for g in 0..n {
            for &c in self.children(g) {
                indegree[c] += 1;
            }
        }
        let mut queue: Vec<usize> = (0..n).filter(|&g| indegree[g] == 0).collect();
        let mut seen = 0;
        while let Some(g) = queue.pop() {
            seen += 1;
            for &c in self.children(g) {
                indegree[c] -= 1;
                if indegree[c] == 0 {
                    queue.push(c);
                }
            }
        }
        seen < n
    }

    pub(super) fn achievable(&self, g: usize) -> bool {
        self.order[g].is_some()
    }

    /// A cheap estimate of each achievable goal's weight (sharing ignored), to order the
    /// alternatives tried first and to build a first solution.
    pub(super) fn estimates(&self) -> Vec<(u64, u64)> {
        // The achievable goals by rank: the ranks are 0, 1, 2, … so no sort is needed.
        let mut by_order: Vec<usize> = vec![0; self.order.iter().flatten().count()];
        for (g, rank) in self.order.iter().enumerate() {
            if let Some(r) = rank {
                by_order[*r] = g;
            }
        }
        let mut h = vec![(u64::MAX, u64::MAX); self.goals.len()];
        // In achievable order every AND goal's children come first; an OR goal takes its
        // best child achieved so far, refined by later passes.
        for _ in 0..2 {
            for &g in &by_order {
                let goal = &self.goals[g];
                let children = self.children(g);
                let add = add_weights;
                h[g] = match goal.gate {
                    Gate::And => children.iter().fold(goal.weight, |acc, &c| add(acc, h[c])),
                    Gate::Or => {
                        // The cheapest children until the goal's need is met.
                        let mut options: Vec<((u64, u64), u64)> = children
                            .iter()
                            .enumerate()
                            .filter(|&(_, &c)| self.achievable(c))
                            .map(|(i, &c)| (h[c], self.child_weight(g, i)))
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
    pub(super) fn search(
        &self,
        roots: &[usize],
        k: usize,
        by_cost: bool,
    ) -> (Vec<Solution>, bool, usize) {
        match self.before_search(roots) {
            BeforeSearch::Forced(only) => return (vec![only], true, 0),
            BeforeSearch::BeyondBudget(checked) => return (Vec::new(), false, checked),
            BeforeSearch::Search => {}
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
                let children = self.children(g);
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
                    Gate::And => pending.extend(children.iter().map(|&c| (c, None))),
                    Gate::Or if !goal.is_threshold() => {
                        // A child already in the solution satisfies the OR goal for free. Without
                        // cycles that choice dominates; with them, the child may be an ancestor
                        // still waiting on this goal, so the other alternatives are tried too.
                        if !cyclic && children.iter().any(|&c| included[c]) {
                            continue;
                        }
                        let mut alternatives: Vec<usize> = children
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
                            (0..children.len())
                                .filter(|&i| included[children[i]])
                                .map(|i| self.child_weight(g, i))
                                .sum()
                        };
                        if have >= goal.need {
                            continue;
                        }
                        let mut order: Vec<usize> = (0..children.len())
                            .filter(|&i| self.achievable(children[i]))
                            .collect();
                        order.sort_by_key(|&i| (key(h[children[i]]), children[i]));
                        let alternatives: Vec<Alternative> = order
                            .iter()
                            .enumerate()
                            .skip(from)
                            .filter(|&(_, &i)| cyclic || !included[children[i]])
                            .map(|(pos, &i)| {
                                let chosen = got + self.child_weight(g, i);
                                (children[i], Some((g, pos + 1, chosen)))
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
                if let Some(derivation) = self.derivation(roots, &trail, None) {
                    let used = self.ordered(&derivation);
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
                        let mut all = used;
                        all.sort_unstable();
                        best.push(Solution {
                            moves: set,
                            all,
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

    /// What the goals every solution of `roots` includes (the roots, and what their AND goals
    /// need) decide before any search, in one walk of them:
    /// - with no OR goal among them (all achievable), they are the one solution, all needed;
    /// - with a choice among them and more of them than the budget, the search takes a step
    ///   per goal it includes, so it could not complete a solution: the walk stops just past
    ///   the budget, and the steps it reports are the budget plus one.
    ///
    /// Linear in the goals walked.
    fn before_search(&self, roots: &[usize]) -> BeforeSearch {
        let budget = self.options.budget;
        let mut all = Vec::new();
        let mut seen = vec![false; self.goals.len()];
        let mut stack: Vec<usize> = roots.to_vec();
        // Whether an OR goal, or a goal nobody can achieve, is among them.
        let mut choice = false;
        while let Some(g) = stack.pop() {
            if std::mem::replace(&mut seen[g], true) {
                continue;
            }
            all.push(g);
            let goal = &self.goals[g];
            choice |= goal.gate == Gate::Or || !self.achievable(g);
            if choice && all.len() > budget {
                return BeforeSearch::BeyondBudget(budget.saturating_add(1));
            }
            if goal.gate == Gate::And {
                stack.extend_from_slice(self.children(g));
            }
        }
        if choice {
            return BeforeSearch::Search;
        }
        all.sort_unstable();
        let moves: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&g| self.goals[g].weight.0 > 0)
            .collect();
        let weight = moves
            .iter()
            .fold((0, 0), |w, &g| add_weights(w, self.goals[g].weight));
        BeforeSearch::Forced(Solution { moves, all, weight })
    }

    /// Whether no move-bearing goal of a derivation's goals `used` can be left out. Cheap
    /// when no OR goal of it has two children in it (then every goal is needed); otherwise
    /// checked by removing each goal in turn, which costs `moves × used` work units, charged
    /// to `steps`: `None` (not checked) when that is more than the budget `left`.
    pub(super) fn is_minimal(
        &self,
        roots: &[usize],
        used: &[usize],
        moves: usize,
        left: usize,
        steps: &mut usize,
    ) -> Option<bool> {
        let members: HashSet<usize, BuildFx> = used.iter().copied().collect();
        let simple = used.iter().all(|&g| {
            self.goals[g].gate == Gate::And
                || !self.goals[g].is_threshold()
                    && self
                        .children(g)
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
    pub(super) fn satisfiable_with(
        &self,
        roots: &[usize],
        set: &[usize],
        removed: Option<usize>,
    ) -> bool {
        self.derivation(roots, set, removed).is_some()
    }

    /// A well-founded derivation of `roots` from the goals of `set` (except `removed`), not
    /// one that leans on itself around a cycle: for each OR goal, the children it is satisfied
    /// through. `None` if the roots cannot be derived. Worklist with counters, linear in the
    /// set's edges, in a deterministic order.
    pub(super) fn derivation(
        &self,
        roots: &[usize],
        set: &[usize],
        removed: Option<usize>,
    ) -> Option<Derivation> {
        let mut members: Vec<usize> = set
            .iter()
            .copied()
            .filter(|&g| Some(g) != removed)
            .collect();
        members.sort_unstable();
        members.dedup();
        let n = members.len();
        let mut local = IdMap::new(self.goals.len());
        for (i, &g) in members.iter().enumerate() {
            local.insert(g, i);
        }
        // Each member's children among the members, with the weight each contributes, as
        // runs in member order; everything after this loop reads these compact arrays, not
        // the goals.
        let mut kids_start: Vec<usize> = Vec::with_capacity(n + 1);
        let mut kids: Vec<usize> = Vec::new();
        let mut weights: Vec<u64> = Vec::new();
        let mut missing: Vec<u64> = Vec::with_capacity(n);
        let mut is_or: Vec<bool> = Vec::with_capacity(n);
        let mut queue = VecDeque::new();
        for (i, &g) in members.iter().enumerate() {
            let goal = &self.goals[g];
            is_or.push(goal.gate == Gate::Or);
            kids_start.push(kids.len());
            let mut available = 0u64;
            for (k, &c) in self.children(g).iter().enumerate() {
                if let Some(l) = local.get(c) {
                    let w = match goal.gate {
                        Gate::And => 1,
                        Gate::Or => self.child_weight(g, k),
                    };
                    kids.push(l);
                    weights.push(w);
                    available = available.saturating_add(w);
                }
            }
            let present = kids.len() - kids_start[i];
            let need = match goal.gate {
                Gate::And if present < goal.children.len => u64::MAX,
                Gate::And => present as u64,
                Gate::Or if available < goal.need => u64::MAX,
                Gate::Or => goal.need,
            };
            missing.push(need);
            if need == 0 {
                queue.push_back(i);
            }
        }
        kids_start.push(kids.len());
        let parents = {
            let (kids_start, kids, weights) = (&kids_start, &kids, &weights);
            Runs::new(n, || {
                (0..n).flat_map(move |i| {
                    (kids_start[i]..kids_start[i + 1]).map(move |k| (kids[k], (i, weights[k])))
                })
            })
        };
        drop(weights);
        let mut done = vec![false; n];
        // `(OR member, child member)` for each child an OR member is satisfied through, in
        // the order they are chosen.
        let mut picks: Vec<(usize, usize)> = Vec::new();
        while let Some(i) = queue.pop_front() {
            if std::mem::replace(&mut done[i], true) {
                continue;
            }
            for &(p, w) in parents.of(i) {
                if missing[p] != u64::MAX && missing[p] > 0 {
                    missing[p] = missing[p].saturating_sub(w);
                    if is_or[p] {
                        picks.push((p, i));
                    }
                    if missing[p] == 0 {
                        queue.push_back(p);
                    }
                }
            }
        }
        let roots = roots
            .iter()
            .map(|&r| local.get(r).filter(|&i| done[i]))
            .collect::<Option<Vec<usize>>>()?;
        // Grouped by member, each member's picks in the order they were made.
        let picks = Runs::new(n, || picks.iter().copied());
        Some(Derivation {
            members,
            roots,
            is_or,
            kids_start,
            kids,
            picks,
        })
    }

    /// The goals a derivation uses, ordered so that each comes after the children it is
    /// satisfied through.
    pub(super) fn ordered(&self, derivation: &Derivation) -> Vec<usize> {
        derivation
            .post_order()
            .into_iter()
            .map(|i| derivation.members[i])
            .collect()
    }

    /// The goals of a solution in an order in which their moves can be applied: the goals
    /// farthest from the roots first (so preconditions come before the acts they condition).
    pub(super) fn ordered_goals(&self, roots: &[usize], all: &[usize]) -> Vec<usize> {
        let derivation = self.derivation(roots, all, None);
        // Solutions and the greedy set are derivable by construction.
        debug_assert!(derivation.is_some(), "a solution without a derivation");
        let derivation = derivation.unwrap_or_default();
        let post = derivation.post_order();
        // Dense, by member: the sort below reads it per comparison.
        let mut depth = vec![0usize; derivation.members.len()];
        // Reverse post-order is topological for the edges the post-order followed, so each
        // member's depth is final before it is passed on.
        for &i in post.iter().rev() {
            let d = depth[i];
            for &c in derivation.used(i) {
                depth[c] = depth[c].max(d + 1);
            }
        }
        // Deepest first, in post-order within a depth: a counting sort (stable, linear).
        let deepest = post.iter().map(|&i| depth[i]).max().unwrap_or(0);
        Runs::new(deepest + 1, || {
            post.iter()
                .map(|&i| (deepest - depth[i], derivation.members[i]))
        })
        .into_values()
    }

    /// The moves of a solution, in an order in which each can be applied.
    pub(super) fn ordered_moves(&self, roots: &[usize], all: &[usize]) -> Vec<PlannedMove> {
        self.moves_of(&self.ordered_goals(roots, all))
    }

    /// The moves of `goals`, in that order.
    pub(super) fn moves_of(&self, goals: &[usize]) -> Vec<PlannedMove> {
        // Most goals have one move or none: reading every goal to count them exactly would
        // cost a pass of cache misses.
        let mut moves = Vec::with_capacity(goals.len());
        for batch in goals.chunks(READ_AHEAD) {
            if goals.len() >= WARM_FROM {
                self.warm_keys(batch);
            }
            for &g in batch {
                moves.extend(self.planned_moves(g).iter().map(|m| m.to_move(self.neg)));
            }
        }
        moves
    }

    /// Reads the keys the moves of `goals` will copy, in two passes over the batch (the node
    /// records, then the bytes they point to), so that their cache misses overlap rather than
    /// come one after another when the moves are built. Changes nothing.
    fn warm_keys(&self, goals: &[usize]) {
        let mut keys = [""; READ_AHEAD];
        for (key, &g) in keys.iter_mut().zip(goals) {
            if let Some(m) = self.planned_moves(g).first() {
                *key = self.neg.key_of(m.node);
            }
        }
        let first_bytes = keys.iter().fold(0u8, |sum, k| {
            sum.wrapping_add(k.as_bytes().first().copied().unwrap_or(0))
        });
        // Keeps the reads, whose values are not needed.
        std::hint::black_box(first_bytes);
    }

    /// Obstacles below unachievable `roots`: nodes nobody can satisfy, and cycles.
    pub(super) fn obstacles(&self) -> Vec<Obstacle> {
        let mut out = Vec::new();
        let mut impossible: BTreeSet<NodeId> = BTreeSet::new();
        for goal in &self.goals {
            if !goal.possible {
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

/// A derivation found by [`Region::derivation`]: its members (goals, in increasing order),
/// and what each member is satisfied through, in member indices: all of an AND member's
/// children, the chosen children of an OR member (one for a choice; enough for a threshold).
#[derive(Default)]
pub(super) struct Derivation {
    members: Vec<usize>,
    /// The roots, as members.
    roots: Vec<usize>,
    is_or: Vec<bool>,
    /// Each member's children among the members, as runs in member order.
    kids_start: Vec<usize>,
    kids: Vec<usize>,
    /// Each OR member's chosen children, in the order they were chosen.
    picks: Runs<usize>,
}

impl Derivation {
    /// What member `i` is satisfied through.
    fn used(&self, i: usize) -> &[usize] {
        if self.is_or[i] {
            self.picks.of(i)
        } else {
            &self.kids[self.kids_start[i]..self.kids_start[i + 1]]
        }
    }

    /// The members the roots are derived through, each after what it is satisfied through.
    /// Iterative post-order.
    fn post_order(&self) -> Vec<usize> {
        let mut visited = vec![false; self.members.len()];
        let mut out = Vec::new();
        let mut stack: Vec<(usize, bool)> = self.roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((i, children_done)) = stack.pop() {
            if children_done {
                out.push(i);
                continue;
            }
            if std::mem::replace(&mut visited[i], true) {
                continue;
            }
            stack.push((i, true));
            for &c in self.used(i).iter().rev() {
                if !visited[c] {
                    stack.push((c, false));
                }
            }
        }
        out
    }
}

/// `(moves, cost)` weights added, saturating.
pub(super) fn add_weights(a: (u64, u64), b: (u64, u64)) -> (u64, u64) {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}

/// A goal the search is to include, or a threshold goal to revisit with the position of its
/// next alternative and the weight of the children chosen for it so far.
pub(super) type Pending = (usize, Option<(usize, u64)>);

/// An alternative of a choice: the child to include, and for a threshold goal, the goal to
/// revisit with the position of its next alternative and the weight chosen for it with this
/// child.
pub(super) type Alternative = (usize, Option<(usize, usize, u64)>);

/// A solution found by the search: its move-bearing goals, every goal it includes, and its
/// `(moves, cost)`.
pub(super) struct Solution {
    pub(super) moves: Vec<usize>,
    /// Every goal it includes, in increasing order.
    pub(super) all: Vec<usize>,
    pub(super) weight: (u64, u64),
}

/// What [`Region::before_search`] decides.
enum BeforeSearch {
    /// No choice: the one solution.
    Forced(Solution),
    /// No solution fits the budget: the steps spent finding out.
    BeyondBudget(usize),
    /// There are choices to search.
    Search,
}

/// A first solution without search: follow, for each OR goal, the child that became
/// achievable first (so the solution is well-founded even around cycles).
pub(super) fn greedy(region: &Region<'_>, root: usize) -> Vec<usize> {
    let mut set = Vec::new();
    let mut seen = vec![false; region.goals.len()];
    let mut stack = vec![root];
    while let Some(g) = stack.pop() {
        if std::mem::replace(&mut seen[g], true) {
            continue;
        }
        let goal = &region.goals[g];
        let children = region.children(g);
        set.push(g);
        match goal.gate {
            Gate::And => stack.extend_from_slice(children),
            // A choice: the child that became achievable first.
            Gate::Or if goal.need == 1 && goal.weights.len == 0 => {
                let first = children
                    .iter()
                    .filter_map(|&c| region.order[c].map(|rank| (rank, c)))
                    .min();
                stack.extend(first.map(|(_, c)| c));
            }
            Gate::Or => {
                // The children that became achievable first, until the need is met.
                let mut order: Vec<usize> = (0..children.len())
                    .filter(|&i| region.achievable(children[i]))
                    .collect();
                order.sort_by_key(|&i| region.order[children[i]]);
                let mut got = 0;
                for i in order {
                    if got >= goal.need {
                        break;
                    }
                    got += region.child_weight(g, i);
                    stack.push(children[i]);
                }
            }
        }
    }
    set.sort_unstable();
    set
}

crate::foreign::owned! {
    PlannedMove { node, actor }
}

impl crate::foreign::Owned for Obstacle {
    fn belongs_to(&self, neg: &dyn crate::foreign::Handles) -> bool {
        match self {
            Obstacle::Deadlock(d) => d.belongs_to(neg),
            Obstacle::NoOneCanSatisfy { node } => node.belongs_to(neg),
        }
    }
}

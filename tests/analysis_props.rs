//! Property tests of the analysis layer: plans replay to their target; `plan` agrees with an
//! exhaustive search over move sequences; `cheapest_unblocking` agrees with brute force.

use std::collections::{BTreeSet, HashSet, VecDeque};

use negotiation::{
    ConcessionStatus, ConditionStatus, Move, Negotiation, NodeId, NodeKind, NodeRef, Options,
    PlanError, Position, RequirementKind,
};
use proptest::prelude::*;

use crate::generate::{build, model, move_seeds, small_model, tiny_model, to_move, MoveSeed};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        max_global_rejects: 8192,
        ..ProptestConfig::default()
    }
}

/// The model after the random moves that succeed. Tracks opened by moves are left out: each
/// multiplies the states the exhaustive oracles walk.
fn state(builder: &negotiation::NegotiationBuilder, seeds: &[MoveSeed]) -> Option<Negotiation> {
    let mut neg = build(builder)?;
    for &seed in seeds {
        let mv = to_move(&neg, seed);
        if !matches!(mv.kind, negotiation::MoveKind::OpenTrack { .. }) {
            let _ = neg.apply(&mv);
        }
    }
    Some(neg)
}

fn party(neg: &Negotiation, p: negotiation::PartyId) -> String {
    neg.party(p).unwrap().key().to_owned()
}

/// Every compliance move that satisfies some unsatisfied node: perform, fulfil (by each
/// obligor), accept (by each principal not accepting), offer and make a concession.
fn compliance_moves(neg: &Negotiation) -> Vec<Move> {
    let mut moves = Vec::new();
    for n in neg.node_ids() {
        if neg.is_satisfied(n).unwrap() {
            continue;
        }
        let key = neg.key(n).unwrap().to_owned();
        match neg.get(n).unwrap() {
            NodeRef::Act(a) => moves.push(Move::perform(
                party(neg, a.party()),
                neg.key(a.stage()).unwrap(),
            )),
            NodeRef::Condition(c) => {
                for &p in c.owed_by() {
                    moves.push(Move::fulfil(party(neg, p), key.clone()));
                }
            }
            NodeRef::Article(a) if !a.is_excluded() => {
                for &p in neg.track(a.track()).unwrap().principals() {
                    if a.position(p) != Position::Accepts {
                        moves.push(Move::accept(party(neg, p), key.clone()));
                    }
                }
            }
            NodeRef::Concession(c) => {
                let by = party(neg, c.by());
                match c.status() {
                    ConcessionStatus::Retracted => moves.push(Move::offer(by, key)),
                    ConcessionStatus::Possible | ConcessionStatus::Offered => {
                        moves.push(Move::make(by, key))
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    moves
}

/// The state's value for deduplication: every status and position.
fn fingerprint(neg: &Negotiation) -> Vec<String> {
    neg.node_ids()
        .map(|n| match neg.get(n).unwrap() {
            NodeRef::Article(a) => format!("{}{:?}", neg.status(n).unwrap(), a.positions()),
            // The parts of a joint obligation done so far are state too.
            NodeRef::Condition(c) => format!("{}{:?}", neg.status(n).unwrap(), c.done_by()),
            _ => neg.status(n).unwrap().to_string(),
        })
        .collect()
}

/// Exhaustive breadth-first search over sequences of compliance moves: whether some sequence
/// satisfies `target`. `None` if the state space is larger than the cap.
fn reachable(neg: &Negotiation, target: NodeId, cap: usize) -> Option<bool> {
    let mut seen: HashSet<Vec<String>> = HashSet::from([fingerprint(neg)]);
    let mut queue = VecDeque::from([neg.clone()]);
    while let Some(state) = queue.pop_front() {
        if state.is_satisfied(target).unwrap() {
            return Some(true);
        }
        for mv in compliance_moves(&state) {
            let mut next = state.clone();
            if next.apply(&mv).is_ok() && seen.insert(fingerprint(&next)) {
                if seen.len() > cap {
                    return None;
                }
                queue.push_back(next);
            }
        }
    }
    Some(false)
}

proptest! {
    #![proptest_config(config(256))]

    /// A plan, replayed with `apply`, reaches its target; no plan comes with obstacles.
    #[test]
    fn plans_replay_to_their_target(builder in model(), seeds in move_seeds(30)) {
        let Some(neg) = state(&builder, &seeds) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        for target in neg.node_ids().filter(|&n| matches!(neg.kind(n), Some(NodeKind::Stage | NodeKind::Condition))) {
            for allow_waivers in [false, true] {
                let options = Options::new().allow_waivers(allow_waivers);
                match neg.plan(neg.key(target).unwrap(), &options) {
                    Ok(plan) => {
                        let mut copy = neg.clone();
                        for m in &plan.moves {
                            copy.apply(&m.mv).map_err(|e| TestCaseError::fail(format!("{}: {e}", m.mv)))?;
                        }
                        prop_assert!(copy.is_satisfied(target).unwrap(), "{} not reached", neg.key(target).unwrap());
                    }
                    Err(PlanError::Unreachable { obstacles, .. }) => prop_assert!(!obstacles.is_empty()),
                    Err(e) => {
                        let scenario = serde_json::to_string(&neg).unwrap_or_default();
                        return Err(TestCaseError::fail(format!("{e} (waivers {allow_waivers}); negotiation: {scenario}")));
                    }
                }
            }
        }
    }

}

proptest! {
    #![proptest_config(config(96))]

    /// Oracle: exhaustive search over move sequences decides whether each stage can be
    /// reached; `plan` finds a plan exactly when one exists. (Fewer cases: since models may
    /// declare cycles and thresholds, the oracle walks up to thousands of cloned states per
    /// stage.)
    #[test]
    fn plan_agrees_with_exhaustive_search(builder in small_model(), seeds in move_seeds(30)) {
        let Some(neg) = state(&builder, &seeds) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        for target in neg.stages().map(|s| s.id()) {
            let Some(exists) = reachable(&neg, target, 5_000) else {
                return Err(TestCaseError::reject("state space too large"));
            };
            let plan = neg.plan(neg.key(target).unwrap(), &Options::default());
            prop_assert!(!matches!(plan, Err(PlanError::Replay { .. })), "{:?}", plan);
            prop_assert_eq!(plan.is_ok(), exists, "target {}: plan {:?}", neg.key(target).unwrap(), plan.map(|p| p.moves.len()));
        }
    }
}

/// The planner's moves for unblocking `target`, as brute force sees them: per unsatisfied
/// node below the target (the target and a target stage's acts excluded), its own moves (the
/// first obligor fulfils), a demander's waiver, and unlinks of droppable preconditions.
fn candidate_moves(neg: &Negotiation, target: NodeId) -> Vec<Move> {
    let excluded: BTreeSet<NodeId> = std::iter::once(target)
        .chain(if neg.kind(target) == Some(NodeKind::Stage) {
            neg.requirements(target)
                .unwrap()
                .iter()
                .map(|r| r.target)
                .collect()
        } else {
            vec![]
        })
        .collect();
    let mut region = BTreeSet::new();
    let mut stack: Vec<NodeId> = excluded.iter().copied().collect();
    let mut seen = excluded.clone();
    while let Some(x) = stack.pop() {
        for r in neg.requirements(x).unwrap() {
            if !neg.is_satisfied(r.target).unwrap() && seen.insert(r.target) {
                region.insert(r.target);
                stack.push(r.target);
            }
        }
    }
    let mut moves = Vec::new();
    for &n in seen.iter() {
        // Unlinks of droppable preconditions, on any act reached (the target's too).
        if let Some(NodeRef::Act(a)) = neg.get(n) {
            for r in neg.requirements(n).unwrap() {
                if r.kind == RequirementKind::Precondition && !neg.is_satisfied(r.target).unwrap() {
                    if let Some(NodeRef::Condition(c)) = neg.get(r.target) {
                        if c.demanded_by() == Some(a.party()) {
                            moves.push(Move::unlink(
                                party(neg, a.party()),
                                neg.key(r.target).unwrap(),
                                neg.key(a.stage()).unwrap(),
                            ));
                        }
                    }
                }
            }
        }
        if !region.contains(&n) {
            continue;
        }
        let key = neg.key(n).unwrap().to_owned();
        match neg.get(n).unwrap() {
            NodeRef::Act(a) => moves.push(Move::perform(
                party(neg, a.party()),
                neg.key(a.stage()).unwrap(),
            )),
            NodeRef::Condition(c) => {
                // Any one obligor's fulfilment, or each part of a joint obligation.
                let obligors = match c.obligation() {
                    negotiation::Obligation::Joint => c.still_owed_by(),
                    _ => c.owed_by().iter().take(1).copied().collect(),
                };
                for p in obligors {
                    moves.push(Move::fulfil(party(neg, p), key.clone()));
                }
                if let Some(d) = c.demanded_by() {
                    if c.status() != ConditionStatus::Waived {
                        moves.push(Move::waive(party(neg, d), key));
                    }
                }
            }
            NodeRef::Article(a) if !a.is_excluded() => {
                for &p in neg.track(a.track()).unwrap().principals() {
                    if a.position(p) != Position::Accepts {
                        moves.push(Move::accept(party(neg, p), key.clone()));
                    }
                }
            }
            _ => {}
        }
    }
    moves
}

/// Whether applying `moves` in some order (repeatedly, any that succeeds) unblocks `target`.
fn unblocks(neg: &Negotiation, target: NodeId, moves: &[&Move]) -> bool {
    let mut copy = neg.clone();
    let mut left: Vec<&Move> = moves.to_vec();
    loop {
        let before = left.len();
        left.retain(|m| copy.apply(m).is_err());
        if left.len() == before {
            break;
        }
    }
    !copy.is_blocked(target).unwrap()
}

proptest! {
    #![proptest_config(config(256))]

    /// Differential: the k cheapest minimal unblocking sets equal brute force over every
    /// subset of the candidate moves (unit costs, waivers allowed).
    #[test]
    fn cheapest_unblocking_agrees_with_brute_force(builder in tiny_model(), seeds in move_seeds(30)) {
        let Some(neg) = state(&builder, &seeds) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        let options = Options::new().allow_waivers(true);
        for target in neg.node_ids().filter(|&n| neg.is_blocked(n).unwrap() && matches!(neg.kind(n), Some(NodeKind::Stage | NodeKind::Act | NodeKind::Condition))) {
            let candidates = candidate_moves(&neg, target);
            if candidates.len() > 11 {
                continue;
            }
            let n = candidates.len();
            let mut works = vec![false; 1 << n];
            let mut minimal: Vec<usize> = Vec::new();
            for mask in 0..(1usize << n) {
                let smaller_works = (0..n).any(|b| mask & (1 << b) != 0 && works[mask ^ (1 << b)]);
                works[mask] = smaller_works || {
                    let chosen: Vec<&Move> = (0..n).filter(|b| mask & (1 << b) != 0).map(|b| &candidates[b]).collect();
                    unblocks(&neg, target, &chosen)
                };
                if works[mask] && !smaller_works {
                    minimal.push(mask);
                }
            }
            let mut brute: Vec<u64> = minimal.iter().map(|m| u64::from(m.count_ones())).collect();
            brute.sort_unstable();
            brute.truncate(3);
            let ours = match neg.cheapest_unblocking(neg.key(target).unwrap(), 3, &options) {
                Ok(u) => u,
                Err(PlanError::Unreachable { .. }) => {
                    prop_assert!(brute.is_empty(), "unreachable but brute force unblocks {} with {:?}", neg.key(target).unwrap(), brute);
                    continue;
                }
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            prop_assert!(ours.exact);
            let costs: Vec<u64> = ours.sets.iter().map(|s| s.cost).collect();
            prop_assert_eq!(&costs, &brute, "target {}: {} candidates {:?}", neg.key(target).unwrap(), ours.display(&neg), candidates.iter().map(|m| m.to_string()).collect::<Vec<_>>());
            for set in &ours.sets {
                let moves: Vec<&Move> = set.moves.iter().map(|m| &m.mv).collect();
                prop_assert!(unblocks(&neg, target, &moves), "a set does not unblock {}", neg.key(target).unwrap());
                for skip in 0..moves.len() {
                    let fewer: Vec<&Move> = moves.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, m)| *m).collect();
                    prop_assert!(!unblocks(&neg, target, &fewer), "a set is not minimal for {}", neg.key(target).unwrap());
                }
            }
        }
    }
}

/// `leverage`'s definition, act by act: for each pending, blocked act in play (its track's
/// previous stage reached), what `blockers` of the act groups by actor, as `(waiter, holder)`
/// → nodes, the act's own party left out as holder.
fn leverage_by_explanations(
    neg: &Negotiation,
) -> std::collections::BTreeMap<(negotiation::PartyId, negotiation::PartyId), BTreeSet<NodeId>> {
    let mut expected = std::collections::BTreeMap::new();
    for act in neg.acts() {
        let in_play = neg.requirements(act.id()).unwrap().iter().all(|r| {
            r.kind != RequirementKind::PreviousStage || neg.is_satisfied(r.target).unwrap()
        });
        if act.is_performed() || !act.is_blocked() || !in_play {
            continue;
        }
        let grouping = neg.blockers(act.id()).unwrap().by_actor(neg).unwrap();
        for (holder, nodes) in grouping {
            let Some(holder) = holder.filter(|&h| h != act.party()) else {
                continue;
            };
            expected
                .entry((act.party(), holder))
                .or_insert_with(BTreeSet::new)
                .extend(nodes);
        }
    }
    expected
}

/// Whether `leverage` gives what [`leverage_by_explanations`] gives: each party's lists, in
/// order, and the pairs; what differs, if not.
pub(crate) fn leverage_as_explained(neg: &Negotiation) -> Result<(), String> {
    let expected = leverage_by_explanations(neg);
    let leverage = neg.leverage();
    let list = |pairs: Vec<(negotiation::PartyId, &BTreeSet<NodeId>)>| -> Vec<(negotiation::PartyId, Vec<NodeId>)> {
        pairs.into_iter().map(|(p, s)| (p, s.iter().copied().collect())).collect()
    };
    for p in &leverage.parties {
        let waits = list(
            expected
                .iter()
                .filter(|((w, _), _)| *w == p.party)
                .map(|(&(_, h), s)| (h, s))
                .collect(),
        );
        let holds = list(
            expected
                .iter()
                .filter(|((_, h), _)| *h == p.party)
                .map(|(&(w, _), s)| (w, s))
                .collect(),
        );
        if p.waits_on != waits || p.holds_up != holds {
            return Err(format!(
                "party {:?}: waits on {:?}, holds up {:?}; by explanations {waits:?}, {holds:?}",
                p.party, p.waits_on, p.holds_up
            ));
        }
    }
    let pairs: Vec<_> = expected
        .iter()
        .map(|(&(w, h), s)| (w, h, s.len()))
        .collect();
    if leverage.pairs != pairs {
        return Err(format!(
            "pairs {:?}; by explanations {pairs:?}",
            leverage.pairs
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    /// Differential: `leverage`'s walks give what one explanation per blocked act gives, for
    /// both sides of every pair.
    #[test]
    fn leverage_agrees_with_one_explanation_per_act(builder in model(), seeds in move_seeds(30)) {
        let Some(neg) = state(&builder, &seeds) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        leverage_as_explained(&neg).map_err(TestCaseError::fail)?;
    }
}

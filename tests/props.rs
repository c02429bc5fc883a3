//! Property tests of DESIGN.md's invariants on generated models and random move sequences
//! (invalid moves included), and a differential test of the incremental engine and of
//! `blockers` against a naive recomputation from scratch.

use std::collections::BTreeSet;

use negotiation::{
    ConditionStatus, MoveKind, Negotiation, NodeId, NodeKind, NodeRef, Position, RequirementKind,
    Status, Transition,
};
use proptest::prelude::*;

use crate::generate::{build, model, move_seeds, to_move, MoveSeed};

const CASES: u32 = 1024;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        max_global_rejects: 4096,
        ..ProptestConfig::default()
    }
}

/// Satisfaction and blocked flags recomputed from scratch, by iterating to a fixpoint over
/// statuses alone (no counters).
struct Naive {
    sat: Vec<bool>,
    blocked: Vec<bool>,
}

fn own_satisfaction(neg: &Negotiation, n: NodeId) -> Option<bool> {
    match neg.get(n)? {
        NodeRef::Article(a) => Some(
            a.is_excluded()
                || neg
                    .track(a.track())
                    .unwrap()
                    .principals()
                    .iter()
                    .all(|&p| a.position(p) == Position::Accepts),
        ),
        NodeRef::Condition(c) => Some(matches!(
            c.status(),
            ConditionStatus::Met | ConditionStatus::Waived
        )),
        NodeRef::Concession(c) => Some(c.status() == negotiation::ConcessionStatus::Made),
        NodeRef::Act(a) => Some(a.is_performed()),
        _ => None,
    }
}

fn naive(neg: &Negotiation) -> Naive {
    let n = neg.node_count();
    let mut sat: Vec<bool> = neg
        .node_ids()
        .map(|x| own_satisfaction(neg, x).unwrap_or(false))
        .collect();
    loop {
        let mut changed = false;
        for x in neg.node_ids() {
            let derived = match neg.kind(x) {
                Some(NodeKind::Stage) => neg
                    .requirements(x)
                    .unwrap()
                    .iter()
                    .all(|r| sat[r.target.index()]),
                Some(NodeKind::Group) => {
                    let Some(NodeRef::Group(g)) = neg.get(x) else {
                        continue;
                    };
                    let reached: u32 = neg
                        .requirements(x)
                        .unwrap()
                        .iter()
                        .filter(|r| sat[r.target.index()])
                        .map(|r| r.weight)
                        .sum();
                    reached >= g.needed()
                }
                _ => continue,
            };
            if derived != sat[x.index()] {
                sat[x.index()] = derived;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut blocked = vec![false; n];
    for x in neg.node_ids() {
        let unsat_req = neg
            .requirements(x)
            .unwrap()
            .iter()
            .any(|r| !sat[r.target.index()]);
        blocked[x.index()] = !sat[x.index()]
            && !matches!(neg.kind(x), Some(NodeKind::Stage))
            && (unsat_req || lapsed(neg, &sat, x));
    }
    for x in neg.node_ids() {
        if neg.kind(x) == Some(NodeKind::Stage) {
            blocked[x.index()] = !sat[x.index()]
                && neg
                    .requirements(x)
                    .unwrap()
                    .iter()
                    .any(|r| blocked[r.target.index()]);
        }
    }
    Naive { sat, blocked }
}

/// Whether act `x` is cut off by its track's long-stop, from the definition: the long-stop
/// lapses, its date is certainly before the latest date recorded, its stage is not reached
/// (by the naive satisfaction `sat`), the act is not performed, and its stage is the
/// long-stop's stage or a later one.
fn lapsed(neg: &Negotiation, sat: &[bool], x: NodeId) -> bool {
    let (Some(NodeRef::Act(act)), Some(now)) = (neg.get(x), neg.latest_date()) else {
        return false;
    };
    let Some(NodeRef::Stage(stage)) = neg.get(act.stage()) else {
        return false;
    };
    let Some(ls) = neg.track(stage.track()).and_then(|t| t.long_stop()) else {
        return false;
    };
    let Some(NodeRef::Stage(long_stop_stage)) = neg.get(ls.stage) else {
        return false;
    };
    ls.lapses
        && ls.date.is_before(now)
        && !sat[ls.stage.index()]
        && !act.is_performed()
        && stage.rank() >= long_stop_stage.rank()
}

/// The naive blockers of `target`: every unsatisfied node reachable through unsatisfied
/// requirements (a stage target through its blocked acts only), and the frontier among them
/// (those whose requirements are all met, but not an act its track's long-stop cut off: that
/// one is explained as lapsed, nobody can act on it).
fn naive_blockers(
    neg: &Negotiation,
    oracle: &Naive,
    target: NodeId,
) -> (BTreeSet<NodeId>, BTreeSet<NodeId>) {
    let mut all = BTreeSet::new();
    if !oracle.blocked[target.index()] {
        return (all, BTreeSet::new());
    }
    let mut stack = vec![target];
    let mut seen = BTreeSet::from([target]);
    while let Some(x) = stack.pop() {
        for r in neg.requirements(x).unwrap() {
            let y = r.target;
            if oracle.sat[y.index()]
                || (x == target && r.kind == RequirementKind::Act && !oracle.blocked[y.index()])
            {
                continue;
            }
            if seen.insert(y) {
                all.insert(y);
                stack.push(y);
            }
        }
    }
    let frontier = all
        .iter()
        .copied()
        .filter(|&y| {
            neg.requirements(y)
                .unwrap()
                .iter()
                .all(|r| oracle.sat[r.target.index()])
                && !lapsed(neg, &oracle.sat, y)
        })
        .collect();
    all.retain(|&y| neg.kind(y) != Some(NodeKind::Group));
    (all, frontier)
}

/// I1: no satisfied node has an unsatisfied requirement, except waived conditions, excluded
/// articles and any-of groups, which need none or one.
fn check_consistency(neg: &Negotiation) -> Result<(), TestCaseError> {
    for x in neg.node_ids() {
        if !neg.is_satisfied(x).unwrap() {
            continue;
        }
        let exempt = match neg.get(x).unwrap() {
            NodeRef::Condition(c) => c.status() == ConditionStatus::Waived,
            NodeRef::Article(a) => a.is_excluded(),
            NodeRef::Group(_) => true,
            _ => false,
        };
        if exempt {
            continue;
        }
        for r in neg.requirements(x).unwrap() {
            prop_assert!(
                neg.is_satisfied(r.target).unwrap(),
                "{} is {} but requires {} ({})",
                neg.key(x).unwrap(),
                neg.status(x).unwrap(),
                neg.key(r.target).unwrap(),
                neg.status(r.target).unwrap()
            );
        }
    }
    Ok(())
}

/// The incremental flags equal the naive ones, and `blockers` equals the naive walk.
fn check_against_naive(neg: &Negotiation) -> Result<(), TestCaseError> {
    let oracle = naive(neg);
    for x in neg.node_ids() {
        prop_assert_eq!(
            neg.is_satisfied(x).unwrap(),
            oracle.sat[x.index()],
            "satisfied({})",
            neg.key(x).unwrap()
        );
        prop_assert_eq!(
            neg.is_blocked(x).unwrap(),
            oracle.blocked[x.index()],
            "blocked({})",
            neg.key(x).unwrap()
        );
        let why = neg.blockers(x).unwrap();
        let (all, frontier) = naive_blockers(neg, &oracle, x);
        prop_assert_eq!(why.is_empty(), !oracle.blocked[x.index()]);
        prop_assert_eq!(
            why.unsatisfied(neg)
                .unwrap()
                .into_iter()
                .collect::<BTreeSet<_>>(),
            all,
            "unsatisfied of {}",
            neg.key(x).unwrap()
        );
        prop_assert_eq!(
            why.frontier().into_iter().collect::<BTreeSet<_>>(),
            frontier,
            "frontier of {}",
            neg.key(x).unwrap()
        );
        // Every node appears in one entry only.
        let nodes: BTreeSet<NodeId> = why.entries().iter().map(|e| e.node).collect();
        prop_assert_eq!(nodes.len(), why.entries().len());
    }
    Ok(())
}

/// The shape of every explanation: a node is blocked exactly when its explanation has an
/// outstanding requirement; each outstanding requirement's chain reaches a frontier node or a
/// deadlock; and each entry's demanders are exactly the parties from whose demanded entries
/// it can be reached (a naive walk per party).
fn check_explanations(neg: &Negotiation) -> Result<(), TestCaseError> {
    for x in neg.node_ids() {
        let why = neg.blockers(x).unwrap();
        prop_assert_eq!(
            neg.is_blocked(x).unwrap(),
            !why.outstanding().is_empty(),
            "outstanding of {}",
            neg.key(x).unwrap()
        );
        if why.is_empty() {
            continue;
        }
        let deadlocked: BTreeSet<NodeId> = why
            .deadlocks()
            .iter()
            .flat_map(|d| d.nodes.iter().copied())
            .collect();
        for d in why.deadlocks() {
            for (i, &n) in d.nodes.iter().enumerate() {
                let next = d.nodes[(i + 1) % d.nodes.len()];
                prop_assert!(!neg.is_satisfied(n).unwrap());
                prop_assert!(neg
                    .requirements(n)
                    .unwrap()
                    .iter()
                    .any(|r| r.target == next));
            }
        }
        for o in why.outstanding() {
            let mut seen = BTreeSet::from([o.entry]);
            let mut stack = vec![o.entry];
            let mut ends = false;
            while let Some(i) = stack.pop() {
                let e = why.entries()[i];
                if e.reason == negotiation::Reason::Frontier || deadlocked.contains(&e.node) {
                    ends = true;
                    break;
                }
                for c in why.causes(i) {
                    if seen.insert(c.entry) {
                        stack.push(c.entry);
                    }
                }
            }
            prop_assert!(
                ends,
                "the chain of {} under {} ends nowhere",
                neg.key(o.node).unwrap(),
                neg.key(x).unwrap()
            );
        }
        // Naive demanders: seeds, then reachability along causes.
        let n = why.entries().len();
        let mut naive: Vec<BTreeSet<negotiation::PartyId>> = vec![BTreeSet::new(); n];
        let mut seeds: Vec<(usize, negotiation::PartyId)> = Vec::new();
        for (i, e) in why.entries().iter().enumerate() {
            match neg.get(e.node) {
                Some(NodeRef::Condition(c)) => seeds.extend(c.demanded_by().map(|p| (i, p))),
                Some(NodeRef::Article(a)) => {
                    let track = &neg.track(a.track()).unwrap();
                    seeds.extend(
                        track
                            .principals()
                            .iter()
                            .filter(|&&p| a.position(p) == Position::Accepts)
                            .map(|&p| (i, p)),
                    );
                }
                _ => {}
            }
            for c in why.causes(i) {
                if let negotiation::Step::Precondition { party } = c.step {
                    seeds.push((c.entry, party));
                }
            }
        }
        for (start, p) in seeds {
            let mut stack = vec![start];
            while let Some(i) = stack.pop() {
                if naive[i].insert(p) {
                    stack.extend(why.causes(i).iter().map(|c| c.entry));
                }
            }
        }
        for (i, expected) in naive.iter().enumerate() {
            let got: BTreeSet<_> = why.demands(i).iter().map(|d| d.party).collect();
            prop_assert_eq!(
                &got,
                expected,
                "demanders of {} under {}",
                neg.key(why.entries()[i].node).unwrap(),
                neg.key(x).unwrap()
            );
        }
    }
    Ok(())
}

/// The transition lists exactly the blocked/unblocked and reached/reopened differences.
fn check_transition(
    before: &Negotiation,
    after: &Negotiation,
    t: &Transition,
) -> Result<(), TestCaseError> {
    let (mut blocked, mut unblocked, mut reached, mut reopened) = (vec![], vec![], vec![], vec![]);
    for x in before.node_ids() {
        match (before.is_blocked(x).unwrap(), after.is_blocked(x).unwrap()) {
            (false, true) => blocked.push(x),
            (true, false) => unblocked.push(x),
            _ => {}
        }
        match (before.status(x).unwrap(), after.status(x).unwrap()) {
            (Status::Reached, Status::NotReached) => reopened.push(x),
            (Status::NotReached, Status::Reached) => reached.push(x),
            _ => {}
        }
    }
    for x in after.node_ids().skip(before.node_count()) {
        prop_assert!(t.added.contains(&x));
        if after.is_blocked(x).unwrap() {
            blocked.push(x);
        }
    }
    blocked.sort();
    prop_assert_eq!(&t.newly_blocked, &blocked);
    prop_assert_eq!(&t.newly_unblocked, &unblocked);
    prop_assert_eq!(&t.reached, &reached);
    prop_assert_eq!(&t.reopened, &reopened);
    for change in &t.status_changes {
        prop_assert_eq!(before.status(change.node).unwrap(), change.from);
        prop_assert_eq!(after.status(change.node).unwrap(), change.to);
    }
    Ok(())
}

/// Applies the seeds, calling `check` with the state before, the move, and its result.
fn run(
    builder: &negotiation::NegotiationBuilder,
    seeds: &[MoveSeed],
    mut check: impl FnMut(
        &Negotiation,
        &Negotiation,
        &negotiation::Move,
        &Result<Transition, negotiation::MoveError>,
    ) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let Some(mut neg) = build(builder) else {
        return Err(TestCaseError::reject("model has a cycle"));
    };
    for &seed in seeds {
        let before = neg.clone();
        let mv = to_move(&neg, seed);
        let result = neg.apply(&mv);
        check(&before, &neg, &mv, &result)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// I1 consistency, with the transitions checked against a before/after diff.
    #[test]
    fn i1_consistency(builder in model(), seeds in move_seeds(40)) {
        if let Some(neg) = build(&builder) {
            check_consistency(&neg)?;
        }
        run(&builder, &seeds, |before, after, _, result| {
            if let Ok(t) = result {
                check_consistency(after)?;
                check_transition(before, after, t)?;
            }
            Ok(())
        })?;
    }

    /// Every explanation has an outstanding requirement exactly when its node is blocked,
    /// ends at a frontier node or a deadlock, and credits exactly the demanders a naive
    /// walk finds (the faithful-answers issue, item 3).
    #[test]
    fn explanations_are_complete(builder in model(), seeds in move_seeds(30)) {
        if let Some(neg) = build(&builder) {
            check_explanations(&neg)?;
        }
        run(&builder, &seeds, |_, after, _, result| {
            if result.is_ok() {
                check_explanations(after)?;
            }
            Ok(())
        })?;
    }

    /// Declared cycles build (only a stage requiring a later stage of its own track is an
    /// error, and the generator declares none), and every node on a cycle of unsatisfied
    /// requirements is in the strongly connected component of a reported deadlock.
    #[test]
    fn declared_cycles_are_deadlocks(builder in model()) {
        let neg = builder.clone().build();
        prop_assert!(neg.is_ok(), "{:?}", neg.err());
        let neg = neg.unwrap();
        let reach = |from: NodeId| -> BTreeSet<NodeId> {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from];
            while let Some(x) = stack.pop() {
                for r in neg.requirements(x).unwrap() {
                    if !neg.is_satisfied(r.target).unwrap() && seen.insert(r.target) {
                        stack.push(r.target);
                    }
                }
            }
            seen
        };
        let deadlocks = neg.deadlocks();
        for x in neg.node_ids().filter(|&x| !neg.is_satisfied(x).unwrap()) {
            let from_x = reach(x);
            if !from_x.contains(&x) {
                continue;
            }
            prop_assert!(neg.is_blocked(x).unwrap());
            prop_assert!(
                deadlocks.iter().any(|d| d.nodes.iter().any(|&y| from_x.contains(&y) && reach(y).contains(&x))),
                "{} is on a cycle but in no deadlock", neg.key(x).unwrap()
            );
        }
    }

    /// Differential: counters and `blockers` against a naive recomputation from scratch.
    #[test]
    fn blockers_match_naive_recomputation(builder in model(), seeds in move_seeds(40)) {
        if let Some(neg) = build(&builder) {
            check_against_naive(&neg)?;
        }
        run(&builder, &seeds, |_, after, _, result| {
            if result.is_ok() {
                check_against_naive(after)?;
            }
            Ok(())
        })?;
    }

    /// I2: `blockers(x)` is empty exactly when the move that satisfies x succeeds — for acts
    /// (perform), stages (each pending act performed), conditions (fulfil by an obligor) and
    /// concessions (make, as far as the concession's own requirements go).
    #[test]
    fn i2_blockers_iff_move_succeeds(builder in model(), seeds in move_seeds(40)) {
        run(&builder, &seeds, |_, neg, _, _| {
            for x in neg.node_ids() {
                if neg.is_satisfied(x).unwrap() {
                    prop_assert!(neg.blockers(x).unwrap().is_empty());
                    continue;
                }
                let empty = neg.blockers(x).unwrap().is_empty();
                let performs = |act: NodeId| {
                    let NodeRef::Act(a) = neg.get(act).unwrap() else { unreachable!() };
                    let party = neg.party(a.party()).unwrap().key().to_owned();
                    let stage = neg.key(a.stage()).unwrap().to_owned();
                    neg.clone().apply(&negotiation::Move::perform(party, stage)).is_ok()
                };
                match neg.get(x).unwrap() {
                    NodeRef::Act(_) => prop_assert_eq!(empty, performs(x), "act {}", neg.key(x).unwrap()),
                    NodeRef::Stage(s) => {
                        let all = s.acts().iter().filter(|&&(_, a)| !neg.is_satisfied(a).unwrap()).all(|&(_, a)| performs(a));
                        prop_assert_eq!(empty, all, "stage {}", neg.key(x).unwrap());
                    }
                    NodeRef::Condition(c) if c.status() != ConditionStatus::Waived && !c.owed_by().is_empty() => {
                        // For a joint obligation, an obligor that has not done its part yet.
                        let obligor = neg.party(c.still_owed_by()[0]).unwrap().key().to_owned();
                        let ok = neg.clone().apply(&negotiation::Move::fulfil(obligor, neg.key(x).unwrap())).is_ok();
                        prop_assert_eq!(empty, ok, "condition {}", neg.key(x).unwrap());
                    }
                    NodeRef::Concession(c) if matches!(c.status(), negotiation::ConcessionStatus::Possible | negotiation::ConcessionStatus::Offered) => {
                        let by = neg.party(c.by()).unwrap().key().to_owned();
                        let result = neg.clone().apply(&negotiation::Move::make(by, neg.key(x).unwrap()));
                        let blocked_itself = matches!(&result, Err(negotiation::MoveError::Blocked { node, .. }) if node == neg.key(x).unwrap());
                        prop_assert_eq!(!empty, blocked_itself, "concession {}", neg.key(x).unwrap());
                    }
                    _ => {}
                }
            }
            Ok(())
        })?;
    }

    /// I3: a failed move leaves the negotiation equal to what it was.
    #[test]
    fn i3_failed_moves_change_nothing(builder in model(), seeds in move_seeds(60)) {
        run(&builder, &seeds, |before, after, mv, result| {
            if let Err(e) = result {
                prop_assert_eq!(before, after, "{} failed with {} but changed the negotiation", mv, e);
                prop_assert!(!e.to_string().is_empty());
            }
            Ok(())
        })?;
    }

    /// I6: a move that only satisfies nodes never adds a blocker to any target.
    #[test]
    fn i6_satisfying_moves_add_no_blocker(builder in model(), seeds in move_seeds(40)) {
        run(&builder, &seeds, |before, after, mv, result| {
            let satisfying = matches!(
                mv.kind,
                MoveKind::Fulfil { .. } | MoveKind::Waive { .. } | MoveKind::Perform { .. }
                    | MoveKind::SetPosition { position: Position::Accepts, .. }
            );
            if !satisfying || result.is_err() {
                return Ok(());
            }
            for x in before.node_ids() {
                let old: BTreeSet<NodeId> = before.blockers(x).unwrap().unsatisfied(before).unwrap().into_iter().collect();
                let new: BTreeSet<NodeId> = after.blockers(x).unwrap().unsatisfied(after).unwrap().into_iter().collect();
                prop_assert!(new.is_subset(&old), "{} added blockers to {}: {:?}", mv, before.key(x).unwrap(), new.difference(&old).collect::<Vec<_>>());
                prop_assert!(!after.is_blocked(x).unwrap() || before.is_blocked(x).unwrap(), "{} blocked {}", mv, before.key(x).unwrap());
            }
            Ok(())
        })?;
    }

    /// I7: the same model and moves give the same transitions, explanations and renderings,
    /// in the same order, on independently built negotiations (whose hash maps are seeded
    /// differently).
    #[test]
    fn i7_determinism(builder in model(), seeds in move_seeds(40)) {
        let (Some(mut a), Some(mut b)) = (build(&builder), build(&builder)) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        for &seed in &seeds {
            let mv = to_move(&a, seed);
            prop_assert_eq!(format!("{:?}", a.apply(&mv)), format!("{:?}", b.apply(&mv)));
        }
        // Keys name the nodes in both (a handle belongs to the negotiation that issued it).
        for x in a.node_ids().map(|x| a.key(x).unwrap()) {
            prop_assert_eq!(a.blockers(x).unwrap(), b.blockers(x).unwrap());
            prop_assert_eq!(a.blockers(x).unwrap().display(&a).to_string(), b.blockers(x).unwrap().display(&b).to_string());
            prop_assert_eq!(a.blockers(x).unwrap().by_actor(&a).unwrap(), b.blockers(x).unwrap().by_actor(&b).unwrap());
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// I4: replaying the recorded history from the initial model yields an equal negotiation,
    /// and every earlier state is the replay of a prefix.
    #[test]
    fn i4_replay(builder in model(), seeds in move_seeds(40)) {
        let Some(mut neg) = build(&builder) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        let mut states = vec![neg.clone()];
        for &seed in &seeds {
            let mv = to_move(&neg, seed);
            if neg.apply(&mv).is_ok() {
                states.push(neg.clone());
            }
        }
        prop_assert_eq!(neg.history().len(), states.len() - 1);
        prop_assert_eq!(&negotiation::Scenario::of(&neg).negotiation().unwrap(), &neg);
        for (k, state) in states.iter().enumerate() {
            prop_assert_eq!(&neg.state_at(k).unwrap(), state);
        }
    }

    /// I5: serialize, deserialize: an equal model, negotiation (state and history) and scenario.
    #[test]
    fn i5_round_trip(builder in model(), seeds in move_seeds(40)) {
        let json = serde_json::to_string(&builder).unwrap();
        prop_assert_eq!(&serde_json::from_str::<negotiation::NegotiationBuilder>(&json).unwrap(), &builder);
        let Some(mut neg) = build(&builder) else {
            return Err(TestCaseError::reject("model has a cycle"));
        };
        for &seed in &seeds {
            let mv = to_move(&neg, seed);
            let _ = neg.apply(&mv);
        }
        let json = serde_json::to_string(&neg).unwrap();
        let back: Negotiation = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &neg);
        let text = negotiation::Scenario::of(&neg).to_json();
        let (scenario, loaded) = negotiation::Scenario::from_json(&text).unwrap();
        prop_assert_eq!(&loaded, &neg);
        prop_assert_eq!(scenario, negotiation::Scenario::of(&neg));
    }
}

/// The explanation's causes are typed by the requirement they follow.
#[test]
fn explanation_steps_follow_requirement_kinds() {
    let (neg, _) = crate::seed::state();
    let why = neg
        .blockers(neg.node_id("peace.ratified").unwrap())
        .unwrap();
    for (i, entry) in why.entries().iter().enumerate() {
        let causes = why.causes(i);
        for cause in causes {
            let target = why.entries()[cause.entry].node;
            let req = neg
                .requirements(entry.node)
                .unwrap()
                .into_iter()
                .find(|r| r.target == target)
                .unwrap();
            let expected = match req.kind {
                RequirementKind::Act => "Act",
                RequirementKind::PreviousStage => "PreviousStage",
                RequirementKind::Precondition => "Precondition",
                _ => "other",
            };
            assert!(
                format!("{:?}", cause.step).starts_with(expected),
                "{:?} vs {:?}",
                cause.step,
                req.kind
            );
        }
    }
}

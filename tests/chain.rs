//! I8: a 1,000,000-long chain of requirements is built, validated and queried without stack
//! overflow (every traversal is iterative).

use negotiation::{ConditionSpec, Move, Negotiation, Role, StageKind, TrackSpec};

const N: usize = 1_000_000;

#[test]
fn a_million_node_chain() {
    let mut b = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed));
    b.conditions.reserve(N);
    b.requirements.reserve(N);
    for i in 0..N {
        b.conditions
            .push(ConditionSpec::new(format!("c{i}"), "link").owed_by(["a"]));
    }
    for i in 0..N - 1 {
        b = b.requires(format!("c{i}"), format!("c{}", i + 1));
    }
    b = b.precondition("a", "c0", "t.signed");
    let mut neg = b.build().expect("a chain is a valid model");

    let signed = neg.node_id("t.signed").unwrap();
    assert!(neg.is_blocked(signed).unwrap());
    let why = neg.blockers(signed).unwrap();
    let last = neg.node_id(&format!("c{}", N - 1)).unwrap();
    assert_eq!(why.frontier(), vec![last]);
    assert_eq!(why.unsatisfied(&neg).unwrap().len(), N + 1); // the conditions and the act
    let text = why.display(&neg).to_string();
    assert_eq!(text.lines().count(), 1 + (N + 1) + 3 + 2);
    drop(why);
    // Leverage walks the whole chain too: A waits only on itself, its precondition stands.
    let leverage = neg.leverage();
    assert!(leverage.pairs.is_empty());
    assert_eq!(
        leverage.parties[0].preconditions,
        vec![neg.node_id("c0").unwrap()]
    );

    // A move at the far end costs what it changes.
    let t = neg
        .apply(&Move::fulfil("a", format!("c{}", N - 1)))
        .unwrap();
    assert_eq!(
        t.newly_unblocked,
        vec![neg.node_id(&format!("c{}", N - 2)).unwrap()]
    );

    // Fulfilling the whole chain, from the end, unblocks the signature.
    for i in (0..N - 1).rev() {
        neg.apply(&Move::fulfil("a", format!("c{i}"))).unwrap();
    }
    assert!(!neg.is_blocked(signed).unwrap());
    neg.apply(&Move::perform("a", "t.signed")).unwrap();
    assert!(neg.is_satisfied(signed).unwrap());
}

#[test]
fn a_cycle_created_by_moves_is_explained_finitely() {
    // Moves may create cycles (real negotiations do); explanations stay finite.
    let neg = crate::analysis::mutual();
    let signed = neg.node_id("t.signed").unwrap();
    let why = neg.blockers(signed).unwrap();
    assert!(why.frontier().is_empty(), "a deadlock has no frontier");
    assert_eq!(why.unsatisfied(&neg).unwrap().len(), 4);
    let text = why.display(&neg).to_string();
    assert!(text.contains("b_first (see 1.)"), "{text}");
    assert!(text.contains("Frontier: none"), "{text}");
    // The deadlock is a blocker of its own, with the requirements that break it.
    assert_eq!(why.deadlocks().len(), 1);
    assert_eq!(why.deadlocks()[0].nodes.len(), 4);
    assert!(text.contains("Deadlock between A, B"), "{text}");
}

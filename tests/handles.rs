//! Foreign handles: every public function that takes a handle or a target, given a handle
//! another negotiation issued, says so (`None`, a [`TargetError`], a one-line note in a
//! rendering) and never panics nor answers about whatever node has the same index.

use negotiation::generate::{model, valid_moves, with_durations, Shape};
use negotiation::{
    Costs, DefaultReporter, Negotiation, NodeId, Options, PlanError, Position, Reporter, Span,
    TargetError,
};
use proptest::prelude::*;

/// A generated negotiation with durations, part-way through its moves.
fn negotiation(shape: Shape, nodes: usize, seed: u64) -> Negotiation {
    let mut neg = with_durations(model(shape, nodes, seed), 30, seed)
        .build()
        .expect("generated models are valid");
    for mv in valid_moves(&neg, nodes / 4, seed) {
        neg.apply(&mv).expect("generated moves are valid");
    }
    neg
}

fn shape() -> impl Strategy<Value = Shape> {
    prop::sample::select(Shape::ALL.to_vec())
}

/// A few of the negotiation's nodes: the first, the last, and some between.
fn some_nodes(neg: &Negotiation) -> Vec<NodeId> {
    let n = neg.node_count();
    let step = (n / 12).max(1);
    neg.node_ids()
        .enumerate()
        .filter(|&(i, _)| i % step == 0 || i + 1 == n)
        .map(|(_, x)| x)
        .collect()
}

fn is_foreign<T: std::fmt::Debug>(
    r: Result<T, TargetError>,
    n: NodeId,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        r.map(|_| ()),
        Err(TargetError::ForeignHandle { index: n.index() })
    );
    Ok(())
}

fn says_foreign(text: &str) -> Result<(), TestCaseError> {
    prop_assert!(text.contains("belongs to another negotiation"), "{}", text);
    prop_assert_eq!(text.lines().count(), 1, "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn handles_of_another_negotiation_are_refused(
        (shape_a, shape_b) in (shape(), shape()),
        (size_a, size_b) in (20usize..160, 20usize..160),
        (seed_a, seed_b) in (any::<u64>(), any::<u64>()),
    ) {
        let a = negotiation(shape_a, size_a, seed_a);
        let b = negotiation(shape_b, size_b, seed_b);
        let on: negotiation::Date = "2030-01-01".parse().unwrap();
        let options = Options::new().budget(2_000);

        // Node handles of `a`, asked of `b`.
        for n in some_nodes(&a) {
            prop_assert_eq!(b.key(n), None);
            prop_assert!(b.get(n).is_none());
            prop_assert_eq!(b.kind(n), None);
            prop_assert_eq!(b.satisfied_since(n), None);
            prop_assert_eq!(b.group_progress(n), None);
            prop_assert_eq!(b.due(n), None);
            prop_assert_eq!(b.takes(n), None);
            prop_assert_eq!(b.citation(n, n), None);
            is_foreign(b.resolve_target(n), n)?;
            is_foreign(b.status(n), n)?;
            is_foreign(b.is_satisfied(n), n)?;
            is_foreign(b.is_blocked(n), n)?;
            is_foreign(b.unsatisfied_count(n), n)?;
            is_foreign(b.requirements(n), n)?;
            is_foreign(b.dependents(n), n)?;
            is_foreign(b.blockers(n), n)?;
            is_foreign(b.earliest(n, on), n)?;
            is_foreign(b.diff_below(&b.clone(), n), n)?;
            let refused = |r: Result<(), PlanError>| {
                matches!(r, Err(PlanError::Target(TargetError::ForeignHandle { index })) if index == n.index())
            };
            prop_assert!(refused(b.plan(n, &options).map(drop)));
            prop_assert!(refused(b.cheapest_unblocking(n, 2, &options).map(drop)));
            prop_assert!(refused(b.landmarks(n, &options).map(drop)));
            let label = DefaultReporter::label(&b, n);
            prop_assert!(label.contains("another negotiation"), "{}", label);
            for p in b.parties() {
                prop_assert_eq!(Costs::default().of(&b, n, p.id()), None);
            }

            // The negotiation that issued it, a copy and its first state accept it.
            prop_assert_eq!(a.resolve_target(n), Ok(n));
            let copy = a.clone();
            prop_assert_eq!(copy.key(n), a.key(n));
            let first = a.state_at(0).unwrap();
            if n.index() < first.node_count() {
                prop_assert_eq!(first.key(n), a.key(n));
            } else {
                prop_assert_eq!(
                    first.resolve_target(n),
                    Err(TargetError::OutOfRange { index: n.index(), count: first.node_count() })
                );
            }

            // Results about `a`'s nodes, rendered with `b`.
            let why = a.blockers(n).unwrap();
            if !why.is_empty() {
                says_foreign(&why.display(&b).to_string())?;
                prop_assert!(why.by_actor(&b).is_err());
                prop_assert!(why.unsatisfied(&b).is_err());
                prop_assert!(why.to_dot(&b).contains("another negotiation"));
                prop_assert!(why.to_mermaid(&b).contains("another negotiation"));
            }
            says_foreign(&a.earliest(n, on).unwrap().display(&b).to_string())?;
            if let Ok(plan) = a.plan(n, &options) {
                says_foreign(&plan.display(&b).to_string())?;
            }
            if let Ok(u) = a.cheapest_unblocking(n, 2, &options) {
                says_foreign(&u.display(&b).to_string())?;
            }
            if let Ok(l) = a.landmarks(n, &options) {
                says_foreign(&l.display(&b).to_string())?;
            }
            if !why.is_empty() {
                says_foreign(&DefaultReporter.report(&why, &b))?;
            }
        }

        // Party, track and topic handles of `a`, asked of `b`.
        for p in a.parties() {
            prop_assert!(b.party(p.id()).is_none());
            for t in b.tracks() {
                prop_assert_eq!(b.role_on(p.id(), t.id()), None);
            }
            for s in b.stages() {
                prop_assert_eq!(s.act_of(p.id()), None);
            }
            for article in b.articles() {
                prop_assert_eq!(article.position(p.id()), Position::NotStated);
            }
            for n in some_nodes(&b) {
                prop_assert_eq!(Costs::default().of(&b, n, p.id()), None);
            }
        }
        for t in a.tracks() {
            prop_assert!(b.track(t.id()).is_none());
            for s in a.stages() {
                prop_assert_eq!(b.stage(t.id(), s.kind()), None);
            }
            for p in b.parties() {
                prop_assert_eq!(b.role_on(p.id(), t.id()), None);
            }
        }
        for t in a.topics() {
            prop_assert!(b.topic(t.id()).is_none());
        }

        // Results about `a` as a whole, rendered with `b`.
        let leverage = a.leverage();
        if leverage.parties.iter().any(|p| !p.holds_up.is_empty() || !p.waits_on.is_empty()) {
            says_foreign(&leverage.display(&b).to_string())?;
        }
        for d in a.deadlocks() {
            says_foreign(&d.display(&b).to_string())?;
        }
        let deadlines = a.deadlines(on, Span::days(30));
        if !deadlines.long_stops.is_empty() || !deadlines.overdue.is_empty() {
            says_foreign(&deadlines.display(&b).to_string())?;
        }
        let timeline = a.timeline().unwrap();
        if timeline.parties.iter().any(|p| !p.concessions.is_empty() || !p.demands.is_empty()) {
            says_foreign(&timeline.display(&b).to_string())?;
        }
        let mut played = a.clone();
        if let Some(mv) = valid_moves(&played, 1, seed_a).first() {
            let t = played.apply(mv).unwrap();
            let line = t.display(&b).to_string();
            prop_assert!(line.contains("another negotiation"), "{}", line);
            prop_assert_eq!(t.display(&a).to_string(), t.display(&played).to_string());
        }
    }
}

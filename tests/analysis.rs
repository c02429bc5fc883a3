//! Plans, cheapest unblocking sets, deadlocks, landmarks and leverage.

use negotiation::{
    ConditionSpec, Costs, Move, Needs, Negotiation, Obstacle, Options, PlanError, RequirementSpec,
    Role, StageKind, TrackSpec,
};

fn keys(neg: &Negotiation, ids: &[negotiation::NodeId]) -> Vec<String> {
    ids.iter()
        .map(|&n| neg.key(n).unwrap().to_owned())
        .collect()
}

#[test]
fn the_seed_plan_to_signature() {
    let (neg, _) = crate::seed::state();
    let plan = neg.plan("peace.signed", &Options::default()).unwrap();
    println!("{}", plan.display(&neg));
    let moves: Vec<String> = plan.moves.iter().map(|m| m.mv.to_string()).collect();
    assert_eq!(
        moves,
        [
            "armenia fulfils amend_constitution",
            "osce fulfils dissolve_minsk_group",
            "armenia performs peace.signed",
            "azerbaijan performs peace.signed",
        ]
    );
    assert!(plan.exact);
    let after = neg.what_if(&plan.moves.iter().map(|m| m.mv.clone()).collect::<Vec<_>>());
    assert!(after
        .after
        .is_satisfied(after.after.node_id("peace.signed").unwrap())
        .unwrap());
}

#[test]
fn the_seed_landmarks_and_leverage() {
    let (neg, _) = crate::seed::state();
    let landmarks = neg.landmarks("peace.signed", &Options::default()).unwrap();
    println!("{}", landmarks.display(&neg));
    let nodes = keys(&neg, &landmarks.nodes);
    for key in [
        "amend_constitution",
        "dissolve_minsk_group",
        "peace.signed.azerbaijan",
        "peace.signed.armenia",
        "peace.signed",
    ] {
        assert!(nodes.contains(&key.to_owned()), "{key} in {nodes:?}");
    }
    let leverage = neg.leverage();
    println!("{}", leverage.display(&neg));
    crate::analysis_props::leverage_as_explained(&neg).unwrap();
    let (armenia, azerbaijan, osce) = (
        neg.party_id("armenia").unwrap(),
        neg.party_id("azerbaijan").unwrap(),
        neg.party_id("osce").unwrap(),
    );
    let waits = &leverage.parties[azerbaijan.index()].waits_on;
    assert!(
        waits.contains(&(
            armenia,
            vec![
                neg.node_id("transport_links").unwrap(),
                neg.node_id("amend_constitution").unwrap()
            ]
        )),
        "{waits:?}"
    );
    assert!(waits.contains(&(osce, vec![neg.node_id("dissolve_minsk_group").unwrap()])));
    assert!(leverage.pairs.contains(&(azerbaijan, osce, 1)));
    assert_eq!(leverage.parties[azerbaijan.index()].preconditions.len(), 2);
    // Armenia waits on Azerbaijan only for the open transport text.
    assert_eq!(
        leverage.parties[armenia.index()].waits_on,
        vec![(azerbaijan, vec![neg.node_id("transport_links").unwrap()])]
    );
}

#[test]
fn the_seed_cheapest_unblocking_sets() {
    let (neg, _) = crate::seed::state();
    let mut options = Options::new().allow_waivers(true);
    options.costs.party_nodes.insert(
        "armenia".into(),
        [("amend_constitution".to_owned(), 10)].into(),
    );
    options.costs.parties.insert("azerbaijan".into(), 3);
    let sets = neg
        .cheapest_unblocking("peace.signed", 4, &options)
        .unwrap();
    println!("{}", sets.display(&neg));
    assert!(sets.exact);
    let costs: Vec<u64> = sets.sets.iter().map(|s| s.cost).collect();
    assert_eq!(costs, [4, 4, 6, 6]);
    // Cheapest: the OSCE dissolves the group (1) and Azerbaijan drops the amendment (3), by
    // unlinking it from its signature or by waiving it.
    let first: Vec<String> = sets.sets[0]
        .moves
        .iter()
        .map(|m| m.mv.to_string())
        .collect();
    assert_eq!(first.len(), 2);
    assert!(
        first.contains(&"osce fulfils dissolve_minsk_group".to_owned()),
        "{first:?}"
    );
}

/// "I sign after you have signed", on both sides: the second link closes a deadlock.
pub(crate) fn mutual() -> Negotiation {
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a", "b"]).stage(StageKind::Signed))
        .condition(
            ConditionSpec::new("b_first", "B signs first")
                .owed_by(["b"])
                .demanded_by("a"),
        )
        .condition(
            ConditionSpec::new("a_first", "A signs first")
                .owed_by(["a"])
                .demanded_by("b"),
        )
        .requires("b_first", "t.signed.b")
        .requires("a_first", "t.signed.a")
        .build()
        .unwrap();
    neg.apply(&Move::link("a", "b_first", "t.signed")).unwrap();
    let t = neg.apply(&Move::link("b", "a_first", "t.signed")).unwrap();
    assert_eq!(t.newly_blocked, vec![neg.node_id("t.signed.b").unwrap()]);
    assert_eq!(
        t.deadlocks.len(),
        1,
        "the transition says a deadlock was created"
    );
    neg
}

#[test]
fn deadlocks_are_reported_with_parties_and_droppable_edges() {
    let neg = mutual();
    // Leverage below a cycle of preconditions is what the explanations say.
    crate::analysis_props::leverage_as_explained(&neg).unwrap();
    let deadlocks = neg.deadlocks();
    assert_eq!(deadlocks.len(), 1);
    let d = &deadlocks[0];
    println!("{}", d.display(&neg));
    assert_eq!(
        keys(&neg, &d.nodes),
        ["t.signed.a", "b_first", "t.signed.b", "a_first"]
    );
    assert_eq!(
        d.parties,
        [neg.party_id("a").unwrap(), neg.party_id("b").unwrap()]
    );
    let droppable: Vec<_> = d.edges.iter().filter_map(|e| e.droppable_by).collect();
    assert_eq!(
        droppable,
        [neg.party_id("a").unwrap(), neg.party_id("b").unwrap()]
    );
    // No plan: the deadlock is the obstacle.
    let err = neg.plan("t.signed", &Options::default()).unwrap_err();
    let PlanError::Unreachable { obstacles, .. } = err else {
        panic!("{err}")
    };
    assert_eq!(obstacles, vec![Obstacle::Deadlock(d.clone())]);
    // With waivers, dropping either precondition resolves it.
    let options = Options::new().allow_waivers(true);
    let plan = neg.plan("t.signed", &options).unwrap();
    // A unlinks its precondition and signs, fulfils "A signs first", and B signs.
    assert_eq!(plan.moves.len(), 4, "{}", plan.display(&neg));
    let sets = neg.cheapest_unblocking("t.signed", 5, &options).unwrap();
    println!("{}", sets.display(&neg));
    assert!(sets.sets.iter().all(|s| s
        .moves
        .iter()
        .any(|m| m.mv.to_string().contains("unlinks") || m.mv.to_string().contains("waives"))));
}

#[test]
fn a_condition_owed_by_nobody_is_an_obstacle() {
    let mut neg = mutual();
    neg.apply(&Move::unlink("a", "b_first", "t.signed"))
        .unwrap();
    assert!(
        neg.deadlocks().is_empty(),
        "unlinking one precondition breaks the cycle"
    );
    let neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("nobody", "Something nobody owes"))
        .requires("t.signed.a", "nobody")
        .build()
        .unwrap();
    let err = neg.plan("t.signed", &Options::default()).unwrap_err();
    let PlanError::Unreachable { obstacles, .. } = err else {
        panic!("{err}")
    };
    assert_eq!(
        obstacles,
        vec![Obstacle::NoOneCanSatisfy {
            node: neg.node_id("nobody").unwrap()
        }]
    );
    assert!(matches!(
        neg.plan("ghost", &Options::default()),
        Err(PlanError::Target(_))
    ));
}

/// A signature that needs a loan (one move by the bank) or bonds (two moves by the signer).
fn financing() -> Negotiation {
    Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("bank", "Bank", Role::Institution)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("loan", "Loan").owed_by(["bank"]))
        .condition(ConditionSpec::new("bonds", "Bonds").owed_by(["a"]))
        .condition(ConditionSpec::new("rating", "Rating").owed_by(["a"]))
        .requires("bonds", "rating")
        .requires_any_of("t.signed.a", ["loan", "bonds"])
        .build()
        .unwrap()
}

#[test]
fn plans_prefer_fewer_moves_then_lower_cost() {
    let neg = financing();
    let plan = neg.plan("t.signed", &Options::default()).unwrap();
    assert_eq!(plan.moves.len(), 2);
    assert_eq!(plan.moves[0].mv.to_string(), "bank fulfils loan");
    // Fewest moves wins over cost.
    let options = Options::new().costs(Costs::default().node("loan", 50));
    let plan = neg.plan("t.signed", &options).unwrap();
    assert_eq!(plan.moves.len(), 2);
    assert_eq!(plan.cost, 51);
    // But the cheapest unblocking set follows cost.
    let sets = neg.cheapest_unblocking("t.signed", 2, &options).unwrap();
    assert_eq!(
        sets.sets.iter().map(|s| s.cost).collect::<Vec<_>>(),
        [2, 50]
    );
    let landmarks = neg.landmarks("t.signed", &Options::default()).unwrap();
    assert_eq!(keys(&neg, &landmarks.nodes), ["t.signed.a", "t.signed"]);
}

/// Reliability issue, item 4: huge analyst costs saturate instead of overflowing (a panic with
/// overflow checks, a wrap to "cost 0" and a first rank without).
#[test]
fn overflowing_costs_saturate() {
    let neg = financing();
    let options = Options::new().costs(Costs::with_default(1 << 63).node("loan", 5));
    let plan = neg.plan("t.signed", &options).unwrap();
    assert_eq!(plan.cost, (1 << 63) + 5, "the loan and the signature");
    let sets = neg.cheapest_unblocking("t.signed", 2, &options).unwrap();
    // Two moves of 2^63 each do not wrap to 0 and rank first.
    assert_eq!(
        sets.sets.iter().map(|s| s.cost).collect::<Vec<_>>(),
        [5, u64::MAX]
    );
    assert!(sets
        .display(&neg)
        .to_string()
        .contains("cost 18446744073709551615"));
}

/// Issue 12: a budget bounds the search, not the region built below the target; the result
/// says what each cost.
#[cfg(feature = "generate")]
#[test]
fn a_budget_bounds_the_search_and_the_result_says_what_the_region_cost() {
    use negotiation::generate::{part_way, Shape};
    let neg = part_way(Shape::Checklist, 20_000, 42);
    let target = Shape::Checklist.target();
    let small = Options::new().allow_waivers(true).budget(1_000);
    let u = neg.cheapest_unblocking(target, 3, &small).unwrap();
    assert!(!u.exact);
    assert!(u.effort.region > 10 * small.budget, "{:?}", u.effort);
    // Steps stay within the budget, plus the check of a solution reached just before it ran
    // out (here none: see below).
    assert!(
        u.effort.steps <= small.budget + u.effort.region,
        "{:?}",
        u.effort
    );
    let text = u.display(&neg).to_string();
    assert!(
        text.contains(&format!(
            "the budget ran out after {} search steps over a region of {} goals",
            u.effort.steps, u.effort.region
        )),
        "{text}"
    );
    let large = small.clone().budget(100_000);
    let v = neg.cheapest_unblocking(target, 3, &large).unwrap();
    assert_eq!(v.effort.region, u.effort.region);
    assert!(v.effort.steps > u.effort.steps, "{:?}", v.effort);
    assert!(
        v.effort.steps <= large.budget + v.effort.region,
        "{:?}",
        v.effort
    );
    let plan = neg.plan(target, &small).unwrap();
    assert!(plan.effort.region > 0, "{:?}", plan.effort);
    assert!(plan.effort.steps <= small.budget + plan.effort.region);
    // Every plan includes the checklist's thousands of items, more goals than the budget: the
    // search is not started, counting past the budget is all it spent, and the plan is the
    // first one found without search, which still reaches the target.
    assert_eq!(plan.effort.steps, small.budget + 1, "{:?}", plan.effort);
    assert_eq!(u.effort.steps, small.budget + 1, "{:?}", u.effort);
    assert!(!plan.exact);
    let moves: Vec<_> = plan.moves.iter().map(|m| m.mv.clone()).collect();
    let after = neg.what_if(&moves);
    assert!(after.failure.is_none(), "{:?}", after.failure);
    assert!(after.after.is_satisfied(target).unwrap());
}

/// `leverage` with more parties than one machine word of bits: 130 parties, each waiting on
/// conditions owed by others (its neighbour's, one far away, and, for every tenth party, a
/// shared one that needs ten more). Every pair is what one explanation per act gives.
#[test]
fn leverage_with_more_than_64_parties() {
    const N: usize = 130;
    let mut b = Negotiation::builder();
    for i in 0..N {
        b = b
            .party(format!("p{i}"), format!("P{i}"), Role::Principal)
            .condition(ConditionSpec::new(format!("c{i}"), "owed").owed_by([format!("p{i}")]))
            .track(
                TrackSpec::new(format!("t{i}"), "text", [format!("p{i}")]).stage(StageKind::Signed),
            );
    }
    b = b.condition(ConditionSpec::new("shared", "shared").owed_by(["p0", "p129"]));
    for k in 0..10 {
        b = b.requirement(RequirementSpec::new(
            "shared",
            Needs::Node(format!("c{}", 60 + k)),
        ));
    }
    for i in 0..N {
        let act = format!("t{i}.signed.p{i}");
        let mut needs = vec![(i + 1) % N, (i * 7 + 3) % N];
        needs.dedup();
        for j in needs {
            b = b.requirement(RequirementSpec::new(
                act.clone(),
                Needs::Node(format!("c{j}")),
            ));
        }
        if i % 10 == 0 {
            b = b.requirement(RequirementSpec::new(act, Needs::Node("shared".into())));
        }
    }
    let neg = b.build().unwrap();
    crate::analysis_props::leverage_as_explained(&neg).unwrap();
    let leverage = neg.leverage();
    // The last party, a bit of the third word, waits on p0 for its condition `c0`.
    let last = neg.party_id("p129").unwrap();
    let c0 = neg.node_id("c0").unwrap();
    assert!(leverage.parties[last.index()]
        .waits_on
        .iter()
        .any(|(h, nodes)| *h == neg.party_id("p0").unwrap() && nodes.contains(&c0)));
    assert!(leverage.pairs.len() > 200, "{}", leverage.pairs.len());
}

//! Reliability (issue 11): one reproducer per finding of its *Why* list, each named after it.
//! Growth findings are shown by size or structure, never by timing; the full-size runs are
//! `#[ignore]`d.

use negotiation::{
    report, stage_summary, ConditionSpec, Costs, Move, Negotiation, Options, Role, Scenario,
    StageKind, TrackSpec,
};

/// Two parties; `t.signed` needs `vote` and `ruling` (any of) through a's precondition.
fn choice() -> Negotiation {
    Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a", "b"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
        .condition(ConditionSpec::new("ruling", "A ruling").owed_by(["b"]))
        .requires_any_of("t.signed.a", ["vote", "ruling"])
        .build()
        .unwrap()
}

/// One act with `n` preconditions: a frontier of `n` nodes.
fn wide(n: usize) -> Negotiation {
    let mut b = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed));
    for i in 0..n {
        b = b
            .condition(ConditionSpec::new(format!("c{i}"), "link").owed_by(["a"]))
            .precondition("a", "t.signed", format!("c{i}"));
    }
    b.build().unwrap()
}

// ----- 1. hangs --------------------------------------------------------------------------------

/// The fast twin of the frontier hang: one act with 200,000 preconditions (40,000 took
/// 1.9 s when the summary scanned the frontier per node, so this would take about 50 s).
#[test]
fn stage_summary_of_a_wide_frontier_is_linear() {
    const N: usize = 200_000;
    let neg = wide(N);
    let summary = stage_summary(&neg);
    assert_eq!(summary.tracks[0].stages[0].frontier.len(), N);
}

// ----- 3. hypothetically -----------------------------------------------------------------

#[test]
fn hypothetically_undoes_its_moves_when_the_closure_panics() {
    let mut neg = choice();
    let before = neg.clone();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        neg.hypothetically(&[Move::fulfil("a", "vote")], |after, _, _| {
            assert!(after.is_satisfied(after.node_id("vote").unwrap()));
            panic!("the closure fails");
        })
    }));
    assert!(caught.is_err());
    assert_eq!(neg, before);
    // And the negotiation still works: a move after it keeps no journal.
    neg.apply(&Move::fulfil("a", "vote")).unwrap();
    assert_eq!(neg.history().len(), 1);
}

#[test]
fn a_clone_made_inside_hypothetically_is_not_a_hypothesis() {
    let mut neg = choice();
    let before = neg.clone();
    let mut copy = neg.hypothetically(&[Move::fulfil("a", "vote")], |after, _, _| after.clone());
    assert_eq!(neg, before);
    // The copy's moves are its own and can be undone by nobody: it must not keep a journal,
    // which shows as a copy equal to one made from scratch with the same moves.
    copy.apply(&Move::fulfil("b", "ruling")).unwrap();
    let mut fresh = choice();
    fresh.apply(&Move::fulfil("a", "vote")).unwrap();
    fresh.apply(&Move::fulfil("b", "ruling")).unwrap();
    assert_eq!(copy, fresh);
}

// ----- 4. overflow -------------------------------------------------------------------------

const SMALL: &str = r#"{"version": 3,
  "model": {
    "parties": [{"id": "a", "name": "A", "role": "principal"},
                {"id": "b", "name": "B", "role": "principal"}],
    "tracks": [{"id": "t", "title": "T", "principals": ["a", "b"], "stages": [{"kind": "signed"}]}],
    "conditions": [{"id": "c", "description": "C", "owed_by": ["b"]},
                   {"id": "d", "description": "D", "owed_by": ["a"]}],
    "requirements": [{"node": "t.signed.a", "requires": "c"},
                     {"node": "t.signed.b", "requires": "d"}]
  },
  "focus": "t.signed"EXTRA
}"#;

fn small(extra: &str) -> String {
    SMALL.replace("EXTRA", extra)
}

#[test]
fn a_cost_sum_past_u64_saturates_and_ranks_last() {
    let json = small(r#", "costs": {"default": 18446744073709551615}"#);
    let (scenario, neg) = Scenario::from_json(&json).unwrap();
    let text = report(&scenario, &neg);
    assert!(text.contains("cost 18446744073709551615"), "{text}");
    let options = Options {
        costs: Costs {
            default: 1 << 63,
            nodes: [("c".to_owned(), 5)].into(),
            ..Costs::default()
        },
        ..Options::default()
    };
    let plan = neg.plan("t.signed", &options).unwrap();
    assert_eq!(plan.cost, u64::MAX, "four moves, three of 2^63, saturate");
    let sets = neg.cheapest_unblocking("t.signed.a", 2, &options).unwrap();
    assert_eq!(sets.sets[0].cost, 5);
}

// ----- 6. wrong results ----------------------------------------------------------------------

#[test]
fn cheapest_unblocking_of_an_any_of_group_takes_one_alternative() {
    let neg = choice();
    let group = neg
        .node_ids()
        .find(|&n| neg.kind(n) == Some(negotiation::NodeKind::Group))
        .unwrap();
    for target in ["t.signed", "t.signed.a", neg.key(group)] {
        let u = neg
            .cheapest_unblocking(target, 3, &Options::default())
            .unwrap();
        let sets: Vec<Vec<String>> = u
            .sets
            .iter()
            .map(|s| s.moves.iter().map(|m| m.mv.to_string()).collect())
            .collect();
        assert_eq!(
            sets,
            [vec!["a fulfils vote"], vec!["b fulfils ruling"]],
            "{target}"
        );
        assert!(u.exact);
    }
}

#[test]
fn a_requirement_declared_on_an_any_of_group_is_refused() {
    let e = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("vote", "A vote").owed_by(["a"]))
        .condition(ConditionSpec::new("ruling", "A ruling").owed_by(["a"]))
        .condition(ConditionSpec::new("audit", "An audit").owed_by(["a"]))
        .requirement(
            negotiation::RequirementSpec::new(
                "t.signed.a",
                negotiation::Needs::AnyOf(vec!["vote".into(), "ruling".into()]),
            )
            .group("g"),
        )
        .requires("g", "audit")
        .build()
        .unwrap_err();
    assert_eq!(e.path(), "requirements[1].node");
    assert!(e.to_string().contains("`g` is a requirement group"), "{e}");
}

#[test]
fn moving_an_article_onto_a_track_whose_act_requires_it_adds_no_parallel_edge() {
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
        .track(TrackSpec::new("u", "U", ["a"]).stage(StageKind::Signed))
        .article(negotiation::ArticleSpec::new("x", "t", "X"))
        .precondition("a", "u.signed", "x")
        .build()
        .unwrap();
    let act = neg.node_id("u.signed.a").unwrap();
    let x = neg.node_id("x").unwrap();
    assert_eq!(neg.unsatisfied_count(act), 1);
    neg.apply(&Move::move_article("a", "x", "u")).unwrap();
    let to_x = neg
        .requirements(act)
        .into_iter()
        .filter(|r| r.target == x)
        .count();
    assert_eq!(to_x, 1);
    assert_eq!(neg.unsatisfied_count(act), 1);
    let why = neg.blockers(neg.node_id("u.signed").unwrap());
    assert_eq!(why.frontier(), vec![x]);
}

// ----- 7. silent loss --------------------------------------------------------------------------

#[test]
fn a_custom_stage_named_like_a_built_in_one_round_trips() {
    let json = small("").replace(
        r#""stages": [{"kind": "signed"}]"#,
        r#""stages": [{"kind": "signed"}, {"kind": {"custom": "ratified"}}]"#,
    );
    let (_, neg) = Scenario::from_json(&json).unwrap();
    let text = serde_json::to_string(&neg).unwrap();
    let back: Negotiation = serde_json::from_str(&text).unwrap();
    assert_eq!(back, neg);
}

// ----- 8. unclear errors -----------------------------------------------------------------------

#[test]
fn every_build_error_carries_its_path() {
    let base = || {
        Negotiation::builder()
            .party("a", "A", Role::Principal)
            .party("o", "O", Role::Observer)
    };
    let cases: Vec<(negotiation::NegotiationBuilder, &str)> = vec![
        (
            base().track(
                TrackSpec::new("t", "T", ["a"])
                    .stage(negotiation::StageSpec::new(StageKind::Signed).performers(["o"])),
            ),
            "tracks[0].stages[0].performers[0]",
        ),
        (
            base().track(
                TrackSpec::new("t", "T", ["a"])
                    .role("a", Role::Mediator)
                    .stage(StageKind::Signed),
            ),
            "tracks[0].roles.a",
        ),
        (
            base().track(
                TrackSpec::new("t", "T", ["a"])
                    .stage(StageKind::Signed)
                    .stage(StageKind::Finalized),
            ),
            "tracks[0].stages[1].kind",
        ),
        (
            base()
                .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
                .article(
                    negotiation::ArticleSpec::new("x", "t", "X")
                        .position("o", negotiation::Position::Accepts),
                ),
            "articles[0].positions.o",
        ),
        (
            base()
                .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
                .condition(
                    ConditionSpec::new("c", "C")
                        .owed_by(["a"])
                        .status(negotiation::ConditionStatus::Met),
                )
                .condition(ConditionSpec::new("d", "D").owed_by(["a"]))
                .requires("c", "d"),
            "conditions[0].status",
        ),
        (
            base()
                .track(
                    TrackSpec::new("t", "T", ["a"])
                        .stage(StageKind::Signed)
                        .stage(StageKind::Ratified),
                )
                .requires("t.signed", "t.ratified"),
            "requirements[0]",
        ),
        (
            base().track(TrackSpec::new("t", "T", Vec::<String>::new()).stage(StageKind::Signed)),
            "tracks[0].stages[0]",
        ),
    ];
    for (builder, path) in cases {
        let e = builder.build().unwrap_err();
        assert!(e.path().starts_with(path), "{path}: {e:?}");
        assert!(e.to_string().starts_with(e.path()), "{e}");
    }
}

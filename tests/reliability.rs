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

/// A chain `t.signed.a -> c0 -> c1 -> ... -> c{n-1}`, all owed by `a`.
fn chain(n: usize) -> Negotiation {
    let mut b = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed));
    for i in 0..n {
        b = b.condition(ConditionSpec::new(format!("c{i}"), "link").owed_by(["a"]));
    }
    for i in 0..n - 1 {
        b = b.requires(format!("c{i}"), format!("c{}", i + 1));
    }
    b.precondition("a", "c0", "t.signed").build().unwrap()
}

/// One act with `n` preconditions: a frontier of `n` nodes.
fn wide(n: usize) -> Negotiation {
    let mut b = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed));
    for i in 0..n {
        b = b
            .condition(ConditionSpec::new(format!("c{i}"), "link").owed_by(["a"]))
            .precondition("a", format!("c{i}"), "t.signed");
    }
    b.build().unwrap()
}

/// `c_i requires_any_of [c_{i+1}, d_i]`; `d_i` owed by nobody unless `owed`.
fn any_of_ladder(n: usize, owed: bool) -> Negotiation {
    let mut b = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed));
    for i in 0..n {
        b = b.condition(ConditionSpec::new(format!("c{i}"), "link").owed_by(["a"]));
        let d = ConditionSpec::new(format!("d{i}"), "side");
        b = b.condition(if owed { d.owed_by(["a"]) } else { d });
    }
    for i in 0..n - 1 {
        b = b.requires_any_of(format!("c{i}"), [format!("c{}", i + 1), format!("d{i}")]);
    }
    b.precondition("a", "c0", "t.signed").build().unwrap()
}

/// A chain whose every move is recorded: `m` events after the model of [`chain`]`(n)`.
fn with_history(n: usize, m: usize) -> (Scenario, Negotiation) {
    let mut neg = chain(n);
    for i in 0..m {
        neg.apply(&Move::record("a", format!("event {i}"), None))
            .unwrap();
    }
    (Scenario::of(&neg), neg)
}

// ----- 1. hangs --------------------------------------------------------------------------------

/// The fast twin of the hang: with no choice below the target, `plan` and `landmarks` need
/// no search, so a chain twice the search budget is planned exactly (the search used
/// to run out of budget, then fall back, quadratic in the chain).
#[test]
fn plan_and_landmarks_of_a_long_chain_need_no_search() {
    const N: usize = 200_000;
    let neg = chain(N);
    let options = Options::default();
    assert!(N >= 2 * options.budget);
    let plan = neg.plan("t.signed", &options).unwrap();
    assert!(plan.exact);
    assert_eq!(plan.moves.len(), N + 1);
    let landmarks = neg.landmarks("t.signed", &options).unwrap();
    assert!(landmarks.exact);
    assert_eq!(landmarks.nodes.len(), N + 2);
}

/// The hang as reported: a 1,000,000-condition chain (`plan` took 702 s; `landmarks` did
/// not finish in 15 minutes).
#[test]
#[ignore = "long: a 10^6 chain"]
fn plan_and_landmarks_of_a_million_node_chain() {
    const N: usize = 1_000_000;
    let neg = chain(N);
    let plan = neg.plan("t.signed", &Options::default()).unwrap();
    assert_eq!(plan.moves.len(), N + 1);
    let landmarks = neg.landmarks("t.signed", &Options::default()).unwrap();
    assert_eq!(landmarks.nodes.len(), N + 2);
}

/// The fast twin of the any-of hang: `c_i requires_any_of [c_{i+1}, d_i]` with `d_i` owed by
/// nobody leaves no real choice, so every landmark is proven in one pass, with no check per
/// plan node (each used to copy the whole region: 8k nodes took 170 s, so 20k would take
/// about 18 minutes).
#[test]
fn landmarks_with_any_of_choices_are_proven_without_a_copy_per_plan_node() {
    const N: usize = 20_000;
    let neg = any_of_ladder(N, false);
    let landmarks = neg.landmarks("t.signed", &Options::default()).unwrap();
    assert!(landmarks.exact);
    // Every c_i, the act and the stage.
    assert_eq!(landmarks.nodes.len(), N + 2);
}

#[test]
#[ignore = "long: 10^5 any-of choices"]
fn landmarks_with_a_hundred_thousand_any_of_choices() {
    const N: usize = 100_000;
    let neg = any_of_ladder(N, false);
    let landmarks = neg.landmarks("t.signed", &Options::default()).unwrap();
    assert_eq!(landmarks.nodes.len(), N + 2);
}

/// Where the choices are real, each unproven plan node is checked against the budget: a
/// small budget stops the checks and says so; a sufficient one finds what a check of every
/// node finds.
#[test]
fn landmarks_respect_their_budget() {
    // c_i requires any of c_{i+1}, d_i; both owed: only c0, the act and the stage are
    // landmarks.
    let neg = any_of_ladder(50, true);
    let full = neg.landmarks("t.signed", &Options::default()).unwrap();
    assert!(full.exact);
    let keys: Vec<&str> = full.nodes.iter().map(|&n| neg.key(n).unwrap()).collect();
    assert_eq!(keys, ["c0", "t.signed.a", "t.signed"]);
    let tight = Options::new().budget(10);
    let cut = neg.landmarks("t.signed", &tight).unwrap();
    assert!(!cut.exact);
    assert!(cut.nodes.iter().all(|n| full.nodes.contains(n)));
    assert!(cut.display(&neg).to_string().contains("budget"));
}

/// The fast twin of the history hang: `report` and `timeline` replay 2,000 moves on a
/// 20,000-node model (they copied the model per move: 88 s; now the moves alone).
#[test]
fn report_and_timeline_replay_without_a_copy_per_move() {
    let (scenario, neg) = with_history(20_000, 2_000);
    let timeline = neg.timeline().unwrap();
    assert_eq!(timeline.parties[0].events.len(), 2_000);
    let text = report(&scenario, &neg);
    assert!(text.contains("event 1999"));
    let mut steps = 0;
    neg.replay(|step, before, _, _| {
        assert_eq!(before.history().len(), step);
        steps += 1;
    })
    .unwrap();
    assert_eq!(steps, 2_000);
}

#[test]
#[ignore = "long: 10^5 nodes, 10^4 moves"]
fn report_of_a_long_history_on_a_large_model() {
    let (scenario, neg) = with_history(100_000, 10_000);
    assert!(report(&scenario, &neg).contains("event 9999"));
}

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
            assert!(after.is_satisfied(after.node_id("vote").unwrap()).unwrap());
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

fn load_error(json: &str) -> String {
    match Scenario::from_json(json) {
        Ok(_) => panic!("loaded: {json}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_cost_sum_past_u64_saturates_and_ranks_last() {
    let json = small(r#", "costs": {"default": 18446744073709551615}"#);
    let (scenario, neg) = Scenario::from_json(&json).unwrap();
    let text = report(&scenario, &neg);
    assert!(text.contains("cost 18446744073709551615"), "{text}");
    let options = Options::new().costs(Costs::with_default(1 << 63).node("c", 5));
    let plan = neg.plan("t.signed", &options).unwrap();
    assert_eq!(plan.cost, u64::MAX, "four moves, three of 2^63, saturate");
    let sets = neg.cheapest_unblocking("t.signed.a", 2, &options).unwrap();
    assert_eq!(sets.sets[0].cost, 5);
}

// ----- 5. rendering with another negotiation -----------------------------------------------

/// Renders every result of `big` with `small`, and of `small` with `big`: nothing panics, and
/// each rendering is the one line saying the result belongs to another negotiation.
#[test]
fn rendering_a_result_with_another_negotiation_says_so() {
    let little = choice();
    let big = chain(50);
    let date: negotiation::Date = "2025-01-01".parse().unwrap();
    let foreign = |text: String| {
        assert!(
            text.starts_with("(this ") && text.contains("belongs to another negotiation"),
            "{text}"
        );
    };
    for (of, with) in [(&big, &little), (&little, &big)] {
        let why = of.blockers("t.signed").unwrap();
        foreign(why.display(with).to_string());
        assert!(why.by_actor(with).is_err());
        assert!(why.unsatisfied(with).is_err());
        assert!(why.to_dot(with).contains("belongs to another negotiation"));
        let options = Options::default();
        if let Ok(plan) = of.plan("t.signed", &options) {
            foreign(plan.display(with).to_string());
        }
        if let Ok(u) = of.cheapest_unblocking("t.signed", 2, &options) {
            foreign(u.display(with).to_string());
        }
        if let Ok(l) = of.landmarks("t.signed", &options) {
            foreign(l.display(with).to_string());
        }
        foreign(of.leverage().display(with).to_string());
        for d in of.deadlocks() {
            foreign(d.display(with).to_string());
        }
        foreign(
            of.earliest("t.signed", date)
                .unwrap()
                .display(with)
                .to_string(),
        );
        let span = negotiation::Span::days(30);
        let _ = of.deadlines(date, span).display(with).to_string();
        let mut played = of.clone();
        let actor = if played.party_id("b").is_some() {
            "b"
        } else {
            "a"
        };
        let _ = played.apply(&Move::record(actor, "said something", None));
        let t = played
            .apply(&Move::demand(actor, "extra", "Extra", ["a"]))
            .unwrap();
        assert!(t
            .display(with)
            .to_string()
            .contains("belongs to another negotiation"));
        foreign(played.timeline().unwrap().display(with).to_string());
    }
}

#[test]
fn rendering_a_deadlock_and_a_timeline_with_a_smaller_negotiation_says_so() {
    let mut big = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .party("c", "C", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a", "b", "c"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("x", "X").owed_by(["c"]))
        .condition(ConditionSpec::new("y", "Y").owed_by(["c"]))
        .requires("x", "y")
        .requires("y", "x")
        .precondition("c", "x", "t.signed")
        .build()
        .unwrap();
    big.apply(&Move::record("c", "a statement", None)).unwrap();
    let tiny = Negotiation::builder()
        .party("z", "Z", Role::Principal)
        .track(TrackSpec::new("u", "U", ["z"]).stage(StageKind::Signed))
        .build()
        .unwrap();
    let deadlock = &big.deadlocks()[0];
    let text = deadlock.display(&tiny).to_string();
    assert_eq!(
        text,
        "(this deadlock belongs to another negotiation: render it with the negotiation that made it)\n"
    );
    // A copy and an earlier state of the negotiation render it.
    assert!(deadlock
        .display(&big.clone())
        .to_string()
        .starts_with("Deadlock between"));
    assert!(deadlock
        .display(&big.state_at(0).unwrap())
        .to_string()
        .starts_with("Deadlock between"));
    let text = big.timeline().unwrap().display(&tiny).to_string();
    assert!(text.contains("belongs to another negotiation"), "{text}");
}

// ----- 6. wrong results ----------------------------------------------------------------------

#[test]
fn cheapest_unblocking_of_an_any_of_group_takes_one_alternative() {
    let neg = choice();
    let group = neg
        .node_ids()
        .find(|&n| neg.kind(n) == Some(negotiation::NodeKind::Group))
        .unwrap();
    for target in ["t.signed", "t.signed.a", neg.key(group).unwrap()] {
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
fn cheapest_unblocking_of_a_long_choice_free_chain_needs_no_search() {
    const N: usize = 120_000;
    let neg = chain(N);
    let u = neg
        .cheapest_unblocking("t.signed", 1, &Options::default())
        .unwrap();
    assert!(u.exact);
    assert_eq!(u.sets.len(), 1);
    assert_eq!(u.sets[0].moves.len(), N);
    let text = u.display(&neg).to_string();
    assert!(!text.contains("not blocked"));
}

#[test]
fn an_unblocking_search_out_of_budget_does_not_say_not_blocked() {
    // Choices everywhere: c_i requires any of c_{i+1}, d_i; a tiny budget.
    let neg = any_of_ladder(200, true);
    let options = Options::new().budget(10);
    let u = neg.cheapest_unblocking("t.signed", 1, &options).unwrap();
    let text = u.display(&neg).to_string();
    assert!(!text.contains("it is not blocked"), "{text}");
    // A search that found nothing within its budget says so.
    let mut nothing = u;
    nothing.sets.clear();
    nothing.exact = false;
    let text = nothing.display(&neg).to_string();
    assert!(!text.contains("it is not blocked"), "{text}");
    assert!(
        text.contains("no set found before the budget ran out"),
        "{text}"
    );
}

#[test]
fn moving_an_article_onto_a_track_whose_act_requires_it_adds_no_parallel_edge() {
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed))
        .track(TrackSpec::new("u", "U", ["a"]).stage(StageKind::Signed))
        .article(negotiation::ArticleSpec::new("x", "t", "X"))
        .precondition("a", "x", "u.signed")
        .build()
        .unwrap();
    let act = neg.node_id("u.signed.a").unwrap();
    let x = neg.node_id("x").unwrap();
    assert_eq!(neg.unsatisfied_count(act).unwrap(), 1);
    neg.apply(&Move::move_article("a", "x", "u")).unwrap();
    let to_x = neg
        .requirements(act)
        .unwrap()
        .into_iter()
        .filter(|r| r.target == x)
        .count();
    assert_eq!(to_x, 1);
    assert_eq!(neg.unsatisfied_count(act).unwrap(), 1);
    let why = neg.blockers(neg.node_id("u.signed").unwrap()).unwrap();
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

#[test]
fn a_u64_out_of_range_says_so() {
    let e = load_error(&small(r#", "costs": {"default": 18446744073709551616}"#));
    assert!(e.starts_with("costs.default"), "{e}");
    assert!(e.contains("out of range for u64"), "{e}");
    assert!(!e.contains("floating point"), "{e}");
}

#[test]
fn a_scenario_wrapped_in_an_array_says_it_is_an_array() {
    let e = load_error(&format!("[{}]", small("")));
    assert!(e.contains("array"), "{e}");
    assert!(e.contains("object"), "{e}");
    assert!(!e.contains("schema version"), "{e}");
}

#[test]
fn unknown_ids_in_moves_suggest_the_nearest_id() {
    let mut neg = choice();
    let before = neg.clone();
    let e = neg.apply(&Move::fulfil("a", "vpte")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "condition: unknown condition `vpte` (did you mean `vote`?)"
    );
    let e = neg.apply(&Move::fulfil("aa", "vote")).unwrap_err();
    assert!(e.to_string().ends_with("(did you mean `a`?)"), "{e}");
    let e = neg.apply(&Move::move_article("a", "x", "tt")).unwrap_err();
    assert!(!e.to_string().contains("did you mean"), "{e}");
    assert_eq!(neg, before);
}

#[test]
fn unknown_ids_in_scenario_references_suggest_the_nearest_id() {
    let json = small("").replace(r#""requires": "c""#, r#""requires": "cc""#);
    let e = load_error(&json);
    assert!(e.starts_with("model.requirements[0].requires"), "{e}");
    assert!(e.contains("(did you mean `c`?)"), "{e}");
}

/// Every object of `value` below the top, one at a time, replaced by the array of its values
/// (the positional form serde would otherwise accept for a struct): `(path, document)`.
fn positional_variants(value: &serde_json::Value) -> Vec<(String, String)> {
    use serde_json::Value;
    let mut out = Vec::new();
    // Paths to every object, found iteratively.
    let mut stack: Vec<Vec<serde_json::Value>> = Vec::new();
    let mut paths: Vec<Vec<Value>> = Vec::new();
    stack.push(Vec::new());
    while let Some(path) = stack.pop() {
        let mut at = value;
        for step in &path {
            at = match step {
                Value::String(k) => &at[k.as_str()],
                Value::Number(i) => &at[i.as_u64().unwrap() as usize],
                _ => unreachable!(),
            };
        }
        match at {
            Value::Object(map) => {
                if !path.is_empty() {
                    paths.push(path.clone());
                }
                for k in map.keys() {
                    let mut p = path.clone();
                    p.push(Value::String(k.clone()));
                    stack.push(p);
                }
            }
            Value::Array(items) => {
                for i in 0..items.len() {
                    let mut p = path.clone();
                    p.push(Value::from(i));
                    stack.push(p);
                }
            }
            _ => {}
        }
    }
    for path in paths {
        let mut doc = value.clone();
        let mut at = &mut doc;
        for step in &path {
            at = match step {
                Value::String(k) => &mut at[k.as_str()],
                Value::Number(i) => &mut at[i.as_u64().unwrap() as usize],
                _ => unreachable!(),
            };
        }
        let values: Vec<Value> = at.as_object().unwrap().values().cloned().collect();
        *at = Value::Array(values);
        let name: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        out.push((name.join("."), doc.to_string()));
    }
    out
}

#[test]
fn json_arrays_are_refused_in_place_of_objects_at_any_depth() {
    for file in [
        "acquisition_closing.json",
        "armenia_azerbaijan_2025.json",
        "trade_ratification.json",
    ] {
        let text = std::fs::read_to_string(format!("examples/scenarios/{file}")).unwrap();
        Scenario::from_json(&text).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let variants = positional_variants(&value);
        assert!(variants.len() > 20, "{file}: {} objects", variants.len());
        for (path, doc) in variants {
            match Scenario::from_json(&doc) {
                Ok(_) => panic!("{file}: an array in place of the object at {path} loaded"),
                Err(e) => {
                    let e = e.to_string();
                    // serde_json's own word for an array where an enum belongs is "expected value".
                    let said = ["sequence", "array", "expected value"];
                    assert!(said.iter().any(|w| e.contains(w)), "{path}: {e}");
                }
            }
        }
    }
    for file in [
        "armenia_azerbaijan.gmcr",
        "chicken.gmcr",
        "prisoners_dilemma.gmcr",
        "shared_names.gmcr",
        "syria_iraq.gmcr",
    ] {
        let text = std::fs::read_to_string(format!("examples/gmcr/{file}")).unwrap();
        negotiation::strategy::Conflict::from_gmcr(&text).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        for (path, doc) in positional_variants(&value) {
            assert!(
                negotiation::strategy::Conflict::from_gmcr(&doc).is_err(),
                "{file}: an array in place of the object at {path} loaded"
            );
        }
    }
}

//! Faithful answers on shapes real negotiations have: who demands through the chain, procedure
//! versus precondition, deadlocks as blockers, roles per track, thresholds, joint obligations,
//! moves that grow the structure, events, and exact round trips. The first tests are the
//! reproducers of the faithful-answers issue.

use negotiation::{
    stage_summary, Basis, BuildError, ConditionSpec, ConditionStatus, Move, MoveError, Needs,
    Negotiation, NegotiationBuilder, NodeId, RequirementSpec, Role, Scenario, StageKind, StageSpec,
    TrackSpec,
};

fn id(neg: &Negotiation, key: &str) -> NodeId {
    neg.node_id(key)
        .unwrap_or_else(|| panic!("no node `{key}`"))
}

/// Reproducer 1: `reform` (owed by b, demanded by a, contested) requires `vote` (owed by b);
/// a's signature requires `reform`.
fn reform() -> Negotiation {
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
        .condition(
            ConditionSpec::new("reform", "B reforms its law")
                .owed_by(["b"])
                .demanded_by("a"),
        )
        .condition(ConditionSpec::new("vote", "B's parliament votes the reform").owed_by(["b"]))
        .precondition("a", "reform", "deal.signed")
        .requires("reform", "vote")
        .build()
        .unwrap();
    neg.apply(&Move::contest("b", "reform")).unwrap();
    neg
}

#[test]
fn who_demands_is_carried_down_the_chain() {
    let neg = reform();
    let signed = id(&neg, "deal.signed");
    let why = neg.blockers(signed).unwrap();
    let (a, vote, reform) = (neg.party_id("a"), id(&neg, "vote"), id(&neg, "reform"));
    assert_eq!(why.frontier(), vec![vote]);
    assert_eq!(why.by_demander(&neg)[&a], vec![vote]);
    let entry = why.entries().iter().position(|e| e.node == vote).unwrap();
    let demands = why.demands(entry);
    assert_eq!(demands.len(), 1);
    assert_eq!((Some(demands[0].party), demands[0].through), (a, reform));
    // The contested demand itself is the outstanding requirement, with its basis.
    let outstanding = why.outstanding();
    assert_eq!(outstanding.len(), 1);
    assert_eq!(outstanding[0].node, reform);
    assert_eq!(
        outstanding[0].required_by,
        vec![(id(&neg, "deal.signed.a"), Basis::Precondition(a.unwrap()))]
    );
    let text = why.display(&neg).to_string();
    assert!(
        text.contains("(contested; owed by B; demanded by A)"),
        "{text}"
    );
    assert!(text.contains("demanded by A (through reform)"), "{text}");
    assert!(text.contains("A: vote"), "{text}");
    assert!(!text.contains("nobody"), "{text}");

    let json = serde_json::to_value(stage_summary(&neg)).unwrap();
    assert_eq!(json["version"], negotiation::SUMMARY_VERSION);
    let stage = &json["tracks"][0]["stages"][0];
    assert_eq!(stage["outstanding"][0]["id"], "reform");
    assert_eq!(stage["outstanding"][0]["status"], "contested");
    assert_eq!(
        stage["outstanding"][0]["required_by"][0],
        serde_json::json!({"node": "deal.signed.a", "basis": "precondition", "party": "a"})
    );
    assert_eq!(stage["chain"][0]["id"], "vote");
    assert_eq!(
        stage["chain"][0]["demanded_by"],
        serde_json::json!([{"party": "a", "through": "reform"}])
    );
    assert_eq!(stage["frontier"], serde_json::json!(["vote"]));
}

/// Reproducer 2: a mutual precondition ("I sign after the Group is dissolved" / "the Group is
/// dissolved after you sign"), declared in the model, beside a branch with a frontier node.
fn mutual_with_branch() -> Negotiation {
    Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .party("osce", "OSCE", Role::Institution)
        .track(TrackSpec::new("peace", "Peace", ["a", "b"]).stage(StageKind::Signed))
        .condition(
            ConditionSpec::new("dissolve", "The Group is dissolved")
                .owed_by(["osce"])
                .demanded_by("a"),
        )
        .condition(
            ConditionSpec::new("amend", "B amends its constitution")
                .owed_by(["b"])
                .demanded_by("a"),
        )
        .precondition("a", "dissolve", "peace.signed")
        .requires("dissolve", "peace.signed.a")
        .build()
        .unwrap()
}

#[test]
fn a_deadlock_is_a_blocker_of_its_own() {
    let neg = mutual_with_branch();
    let signed = id(&neg, "peace.signed");
    assert!(neg.is_blocked(signed).unwrap());
    let why = neg.blockers(signed).unwrap();
    assert!(why.frontier().is_empty());
    assert_eq!(why.outstanding().len(), 1);
    assert_eq!(why.deadlocks().len(), 1);
    let summary = serde_json::to_value(stage_summary(&neg)).unwrap();
    let stage = &summary["tracks"][0]["stages"][0];
    assert_eq!(stage["blocked"], true);
    assert_eq!(stage["outstanding"][0]["id"], "dissolve");
    assert_eq!(
        stage["deadlocks"][0]["parties"],
        serde_json::json!(["a", "osce"])
    );
    assert_eq!(
        stage["deadlocks"][0]["breaking"][0],
        serde_json::json!({"from": "peace.signed.a", "to": "dissolve", "basis": "precondition", "droppable_by": "a"})
    );
    let err = neg
        .clone()
        .apply(&Move::perform("a", "peace.signed"))
        .unwrap_err();
    assert!(err.to_string().contains("a deadlock among"), "{err}");

    // With another branch that can be acted on, the deadlock does not vanish.
    let mut neg = neg;
    neg.apply(&Move::require(
        "a",
        RequirementSpec::new("peace.signed.a", Needs::Node("amend".into())),
    ))
    .unwrap();
    let why = neg.blockers(signed).unwrap();
    assert_eq!(why.frontier(), vec![id(&neg, "amend")]);
    assert_eq!(why.outstanding().len(), 2);
    assert_eq!(why.deadlocks().len(), 1);
    let text = why.display(&neg).to_string();
    assert!(text.contains("Deadlocks on the way (1)"), "{text}");
}

#[test]
fn procedure_is_nobodys_demand() {
    let neg = Negotiation::builder()
        .party("eu", "EU", Role::Principal)
        .party("br", "Brazil", Role::Principal)
        .party("ep", "Parliament", Role::Institution)
        .track(TrackSpec::new("ita", "Trade agreement", ["eu", "br"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("consent", "Parliament consents").owed_by(["ep"]))
        .condition(
            ConditionSpec::new("safeguard", "A safeguard clause")
                .owed_by(["eu"])
                .demanded_by("br"),
        )
        .procedure("ita.signed", "consent", Some("Art. 218(6) TFEU"))
        .precondition("br", "safeguard", "ita.signed")
        .build()
        .unwrap();
    let why = neg.blockers(id(&neg, "ita.signed")).unwrap();
    let consent = why
        .outstanding()
        .iter()
        .find(|o| o.node == id(&neg, "consent"))
        .unwrap();
    assert!(consent
        .required_by
        .iter()
        .all(|&(_, b)| b == Basis::Procedure));
    assert_eq!(consent.required_by.len(), 2, "one per act of the stage");
    let by_demander = why.by_demander(&neg);
    assert_eq!(by_demander[&None], vec![id(&neg, "consent")]);
    assert_eq!(
        by_demander[&neg.party_id("br")],
        vec![id(&neg, "safeguard")]
    );
    let text = why.display(&neg).to_string();
    assert!(
        text.contains("required by procedure (Art. 218(6) TFEU) on ita.signed.br"),
        "{text}"
    );
    assert!(
        !text.contains("Brazil's precondition on ita.signed.br; required"),
        "{text}"
    );
    // Leverage counts only a party's own preconditions.
    let leverage = neg.leverage();
    let br = neg.party_id("br").unwrap();
    assert_eq!(
        leverage.parties[br.index()].preconditions,
        vec![id(&neg, "safeguard")]
    );
    let eu = neg.party_id("eu").unwrap();
    assert!(leverage.parties[eu.index()].preconditions.is_empty());
}

fn council() -> NegotiationBuilder {
    let states = [("de", 834), ("fr", 684), ("it", 590), ("nl", 179)];
    let mut b = Negotiation::builder()
        .party("eu", "EU", Role::Principal)
        .party("partner", "Partner", Role::Principal)
        .track(TrackSpec::new("ita", "Agreement", ["eu", "partner"]).stage(StageKind::Signed));
    for (s, _) in states {
        b = b.party(s, s.to_uppercase(), Role::Observer).condition(
            ConditionSpec::new(format!("vote_{s}"), format!("{s} votes for")).owed_by([s]),
        );
    }
    b.requirement(
        RequirementSpec::new(
            "ita.signed.eu",
            Needs::Weight {
                at_least: 1500,
                of: states
                    .iter()
                    .map(|&(s, w)| (format!("vote_{s}"), w))
                    .collect(),
            },
        )
        .group("qmv"),
    )
    .requires_at_least(
        "ita.signed.eu",
        3,
        states.iter().map(|&(s, _)| format!("vote_{s}")),
    )
}

#[test]
fn a_double_majority_is_two_thresholds() {
    let mut neg = council().build().unwrap();
    let act = id(&neg, "ita.signed.eu");
    let why = neg.blockers(act).unwrap();
    assert_eq!(why.outstanding().len(), 2);
    let weight = why.outstanding()[0].node;
    assert_eq!(
        weight,
        id(&neg, "qmv"),
        "the group has the name it was given"
    );
    let progress = neg.group_progress(weight).unwrap();
    assert_eq!((progress.reached, progress.more_needed), (0, 1500));
    assert_eq!(progress.remaining.len(), 4);
    for s in ["de", "fr"] {
        neg.apply(&Move::fulfil(s, format!("vote_{s}"))).unwrap();
    }
    // 1518 of weight reached, but only 2 of 3 states.
    assert!(neg.is_satisfied(weight).unwrap());
    assert!(neg.is_blocked(act).unwrap());
    let why = neg.blockers(act).unwrap();
    assert_eq!(why.outstanding().len(), 1);
    let count = neg.group_progress(why.outstanding()[0].node).unwrap();
    assert_eq!((count.reached, count.more_needed), (2, 1));
    let text = why.display(&neg).to_string();
    assert!(
        text.contains("at least 3 of these (2 reached, 1 more needed)"),
        "{text}"
    );
    let t = neg.apply(&Move::fulfil("nl", "vote_nl")).unwrap();
    assert!(t.newly_unblocked.contains(&act));
    neg.apply(&Move::perform("eu", "ita.signed")).unwrap();
}

#[test]
fn a_joint_obligation_needs_every_part() {
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("deal", "Deal", ["a", "b"]).stage(StageKind::Signed))
        .condition(
            ConditionSpec::new("exchange", "Both exchange instruments")
                .owed_by(["a", "b"])
                .jointly(),
        )
        .requires("deal.signed", "exchange")
        .build()
        .unwrap();
    let exchange = id(&neg, "exchange");
    let t = neg.apply(&Move::fulfil("a", "exchange")).unwrap();
    let parts: Vec<_> = t
        .parts_done
        .iter()
        .map(|p| (p.condition, p.party, p.done, p.of))
        .collect();
    assert_eq!(parts, [(exchange, neg.party_id("a").unwrap(), 1, 2)]);
    assert!(t
        .display(&neg)
        .to_string()
        .contains("exchange: A did its part (1 of 2 obligors)"));
    assert!(!neg.is_satisfied(exchange).unwrap());
    let why = neg.blockers(id(&neg, "deal.signed")).unwrap();
    assert_eq!(
        why.by_actor(&neg).unwrap()[&neg.party_id("b")],
        vec![exchange]
    );
    assert_eq!(why.by_actor(&neg).unwrap().len(), 1, "a has done its part");
    let summary = serde_json::to_value(stage_summary(&neg)).unwrap();
    let outstanding = &summary["tracks"][0]["stages"][0]["outstanding"][0];
    assert_eq!(outstanding["done_by"], serde_json::json!(["a"]));
    assert_eq!(outstanding["must_act"], serde_json::json!(["b"]));
    assert!(matches!(
        neg.clone().apply(&Move::fulfil("a", "exchange")),
        Err(MoveError::NoChange { .. })
    ));
    neg.apply(&Move::fulfil("b", "exchange")).unwrap();
    assert_eq!(neg.status(exchange).unwrap(), negotiation::Status::Met);
}

#[test]
fn roles_are_per_track_in_moves_too() {
    let mut neg = Negotiation::builder()
        .party("usa", "USA", Role::Mediator)
        .party("a", "A", Role::Principal)
        .party("iaea", "IAEA", Role::Institution)
        .track(TrackSpec::new("deal", "Deal", ["a", "usa"]).stage(StageKind::Finalized))
        .track(
            TrackSpec::new("roadmap", "Roadmap", ["a"])
                .role("iaea", Role::Signatory)
                .stage(StageSpec::new(StageKind::Signed).performers(["a", "iaea"])),
        )
        .build()
        .unwrap();
    // usa is a principal of `deal`: it proposes and accepts there as one.
    neg.apply(&Move::new(
        "usa",
        negotiation::MoveKind::ProposeArticle {
            article: "sanctions".into(),
            track: "deal".into(),
            title: "Sanctions relief".into(),
        },
    ))
    .unwrap();
    let article = neg.get(id(&neg, "sanctions")).unwrap();
    let negotiation::NodeRef::Article(article) = article else {
        panic!()
    };
    assert_eq!(
        article.position(neg.party_id("usa").unwrap()),
        negotiation::Position::Accepts
    );
    let t = neg.apply(&Move::perform("iaea", "roadmap.signed")).unwrap();
    assert!(
        t.display(&neg)
            .to_string()
            .contains("performed roadmap.signed.iaea"),
        "{}",
        t.display(&neg)
    );
}

#[test]
fn moves_grow_the_structure_atomically() {
    let mut neg = reform();
    // A condition created by a move gets a prerequisite by a later move.
    neg.apply(&Move::demand("a", "audit", "An audit", ["b"]))
        .unwrap();
    neg.apply(&Move::require(
        "b",
        RequirementSpec::new("audit", Needs::Node("vote".into()))
            .procedure(Some("Audit Act, s. 4".into())),
    ))
    .unwrap();
    assert_eq!(
        neg.citation(id(&neg, "audit"), id(&neg, "vote")),
        Some("Audit Act, s. 4")
    );
    // Only b may attach a precondition to its own act.
    let before = neg.clone();
    let err = neg
        .apply(&Move::require(
            "a",
            RequirementSpec::new("deal.signed.b", Needs::Node("audit".into())),
        ))
        .unwrap_err();
    assert!(matches!(err, MoveError::WrongActor { .. }), "{err}");
    assert_eq!(neg, before);
    let err = neg
        .apply(&Move::require(
            "a",
            RequirementSpec::new(
                "deal.signed.a",
                Needs::AnyOf(vec!["audit".into(), "nope".into()]),
            ),
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "requirement.requires_any_of[1]: unknown node `nope`"
    );
    assert_eq!(neg, before);
    // A joint declaration opened midway, then an event.
    let t = neg
        .apply(&Move::open_track(
            "a",
            TrackSpec::new("declaration", "Joint declaration", ["a", "b"])
                .role("c", Role::Witness)
                .stage(StageKind::Signed),
        ))
        .unwrap_err();
    assert_eq!(t.to_string(), "track.roles.c: unknown party `c`");
    assert_eq!(neg, before);
    let t = neg
        .apply(&Move::open_track(
            "a",
            TrackSpec::new("declaration", "Joint declaration", ["a", "b"])
                .stage(StageKind::Finalized)
                .stage(StageKind::Signed),
        ))
        .unwrap();
    assert_eq!(t.added.len(), 6);
    assert!(t.newly_blocked.contains(&id(&neg, "declaration.signed")));
    neg.apply(
        &Move::record(
            "b",
            "The reform bill fails in parliament, 48-52",
            Some("vote"),
        )
        .on(crate::date("2025-06-01")),
    )
    .unwrap();
    assert!(neg
        .apply(&Move::record("b", "A statement", Some("nothing")))
        .is_err());
    // b's own precondition on a condition it owes is a demand attached to that condition.
    neg.apply(&Move::require(
        "b",
        RequirementSpec::new("vote", Needs::Node("audit".into())).precondition_of("b"),
    ))
    .unwrap();
    let timeline = neg.timeline().unwrap();
    let b = neg.party_id("b").unwrap();
    assert_eq!(timeline.parties[b.index()].events.len(), 1);
    let demands = &timeline.parties[b.index()].demands;
    assert_eq!(
        demands.len(),
        1,
        "a procedure is no demand; the precondition is"
    );
    assert_eq!(demands[0].attached_to, Some(id(&neg, "vote")));
    assert!(timeline
        .display(&neg)
        .to_string()
        .contains("demanded: audit (precondition of vote)"));
    assert!(timeline
        .display(&neg)
        .to_string()
        .contains("event: The reform bill fails"));
    // Everything replays and round-trips.
    let json = Scenario::of(&neg).to_json();
    let (_, back) = Scenario::from_json(&json).unwrap();
    assert_eq!(back, neg);
}

/// Reproducer 10: round trips of what the builder accepts.
#[test]
fn custom_stages_round_trip_whatever_their_name() {
    let neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("court", "Court", Role::Institution)
        .track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageKind::Finalized)
                .stage(
                    StageSpec::new(StageKind::Custom("signed".into())).performers(["a", "court"]),
                ),
        )
        .track(
            TrackSpec::new("r", "Ruling", ["a"])
                .stage(StageSpec::new(StageKind::Custom("ruling".into())).performers(["court"])),
        )
        .build()
        .unwrap();
    let json = serde_json::to_string(&neg).unwrap();
    assert!(json.contains(r#"{"custom":"signed"}"#), "{json}");
    let back: Negotiation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, neg);
    let mut after = back;
    // Custom stages are reversible; the court performs both.
    after.apply(&Move::perform("a", "t.finalized")).unwrap();
    after.apply(&Move::perform("court", "t.signed")).unwrap();
    after.apply(&Move::perform("court", "r.ruling")).unwrap();
    let again: Negotiation = serde_json::from_str(&serde_json::to_string(&after).unwrap()).unwrap();
    assert_eq!(again, after);
}

#[test]
fn version_1_files_still_load() {
    let json = r#"{"version": 1, "model": {
        "parties": [{"id": "a", "name": "A", "role": "principal"}],
        "tracks": [{"id": "t", "title": "T", "principals": ["a"], "stages": [{"kind": "signed"}]}],
        "conditions": [{"id": "x", "description": "X", "owed_by": ["a"]}],
        "requirements": [{"node": "t.signed.a", "requires": "x"}]}}"#;
    let (scenario, neg) = Scenario::from_json(json).unwrap();
    assert_eq!(scenario.version, negotiation::SCHEMA_VERSION);
    assert!(neg.is_blocked(id(&neg, "t.signed")).unwrap());
}

#[test]
fn build_errors_in_files_give_their_path() {
    let json = r#"{"version": 2, "model": {
        "parties": [{"id": "a", "name": "A", "role": "principal"}, {"id": "c", "name": "C", "role": "institution"}],
        "tracks": [{"id": "t", "title": "T", "principals": ["a"], "stages": [{"kind": "signed", "performers": ["a", "c"]}]}]}}"#;
    let err = Scenario::from_json(json).unwrap_err();
    assert_eq!(
        err.to_string(),
        "model.tracks[0].stages[0].performers[1]: `c` (institution on this track) cannot perform `t.signed`"
    );
    let err = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .condition(ConditionSpec::new("x", "X").status(ConditionStatus::Met))
        .condition(ConditionSpec::new("y", "Y"))
        .condition(ConditionSpec::new("z", "Z"))
        .requires("y", "z")
        .requires("z", "y")
        .requires("x", "y")
        .build()
        .unwrap_err();
    // A met condition cannot require a deadlocked one.
    assert!(matches!(err, BuildError::Inconsistent { .. }), "{err}");
    assert_eq!(err.path(), "conditions[0].status");
}

#[test]
fn a_party_can_drop_its_own_precondition_and_break_a_deadlock() {
    // "I vote only after you ratify" / "I ratify only after you vote": preconditions on
    // conditions each party owes.
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("deal", "Deal", ["a", "b"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("vote", "A votes").owed_by(["a"]))
        .condition(ConditionSpec::new("ratify", "B ratifies").owed_by(["b"]))
        .requirement(
            RequirementSpec::new("vote", Needs::Node("ratify".into())).precondition_of("a"),
        )
        .requirement(
            RequirementSpec::new("ratify", Needs::Node("vote".into())).precondition_of("b"),
        )
        .requires("deal.signed", "vote")
        .build()
        .unwrap();
    let deadlock = &neg.deadlocks()[0];
    let droppable: Vec<_> = deadlock.edges.iter().map(|e| e.droppable_by).collect();
    assert_eq!(droppable, vec![neg.party_id("a"), neg.party_id("b")]);
    assert!(deadlock
        .display(&neg)
        .to_string()
        .contains("A's precondition; A can drop it"));
    let before = neg.clone();
    let err = neg
        .apply(&Move::unrequire("b", "vote", "ratify"))
        .unwrap_err();
    assert!(
        err.to_string().contains("it is `a`'s precondition"),
        "{err}"
    );
    assert_eq!(neg, before);
    let t = neg.apply(&Move::unrequire("a", "vote", "ratify")).unwrap();
    assert!(t.is_concession());
    assert!(neg.deadlocks().is_empty());
    assert_eq!(
        neg.blockers(id(&neg, "deal.signed")).unwrap().frontier(),
        vec![id(&neg, "vote")]
    );
    let json = Scenario::of(&neg).to_json();
    assert!(json.contains(r#""move": "unrequire""#), "{json}");
    assert_eq!(Scenario::from_json(&json).unwrap().1, neg);
}

/// Review findings: an explanation rendered with a negotiation that lacks its nodes does not
/// panic; moving an article onto a track whose act already requires it adds no second edge;
/// the cheapest ways to satisfy a group need only its threshold; move errors give file paths.
#[test]
fn review_regressions() {
    let mut neg = reform();
    let signed = id(&neg, "deal.signed");
    let why = neg.hypothetically(
        &[
            Move::demand("b", "c2", "Another demand", ["a"]),
            Move::require(
                "a",
                RequirementSpec::new("deal.signed", Needs::Node("c2".into())).procedure(None),
            ),
        ],
        |after, _, _| after.blockers(signed).unwrap(),
    );
    let _ = why.display(&neg).to_string();

    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t1", "T1", ["a"]).stage(StageKind::Finalized))
        .track(TrackSpec::new("t2", "T2", ["a"]).stage(StageKind::Finalized))
        .article(negotiation::ArticleSpec::new("x", "t1", "X"))
        .condition(ConditionSpec::new("p", "P").owed_by(["a"]))
        .condition(ConditionSpec::new("q", "Q").owed_by(["a"]))
        .condition(ConditionSpec::new("r", "R").owed_by(["a"]))
        .precondition("a", "x", "t2.finalized")
        .requirement(
            RequirementSpec::new(
                "t1.finalized.a",
                Needs::AnyOf(vec!["p".into(), "q".into(), "r".into()]),
            )
            .group("g"),
        )
        .build()
        .unwrap();
    neg.apply(&Move::move_article("a", "x", "t2")).unwrap();
    let act = id(&neg, "t2.finalized.a");
    assert_eq!(
        neg.requirements(act).unwrap().len(),
        1,
        "one edge, the precondition"
    );
    neg.apply(&Move::unrequire("a", "t2.finalized.a", "x"))
        .unwrap();
    let sets = neg
        .cheapest_unblocking("g", 3, &negotiation::Options::default())
        .unwrap();
    assert_eq!(
        sets.sets.iter().map(|s| s.moves.len()).collect::<Vec<_>>(),
        [1, 1, 1],
        "any one alternative satisfies the group"
    );

    let json = r#"{"version": 2, "model": {
        "parties": [{"id": "a", "name": "A", "role": "principal"}],
        "tracks": [{"id": "t", "title": "T", "principals": ["a"], "stages": [{"kind": "signed"}]}],
        "conditions": [{"id": "x", "description": "X", "owed_by": ["a"]}]},
        "moves": [{"actor": "a", "move": "require", "node": "t.signed.a", "requires_any_of": ["x", "nope"]}]}"#;
    let err = Scenario::from_json(json).unwrap_err();
    assert_eq!(
        err.to_string(),
        "moves[0].requires_any_of[1]: unknown node `nope`"
    );
    let json = r#"{"version": 2, "model": {
        "parties": [{"id": "a", "name": "A", "role": "principal"}],
        "tracks": [{"id": "t", "title": "T", "principals": ["a"], "stages": [{"kind": "signed"}]}],
        "conditions": [{"id": "x", "description": "X", "owed_by": ["a"]}],
        "requirements": [{"node": "t.signed.a", "requires_weight": {"at_least": 1, "of": {"x": 1, "nope": 2}}}]}}"#;
    let err = Scenario::from_json(json).unwrap_err();
    assert_eq!(
        err.to_string(),
        "model.requirements[0].requires_weight.of.nope: unknown node `nope`"
    );
}

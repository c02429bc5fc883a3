//! The builder refuses bad models, each with its own error naming the ids involved.

use negotiation::{
    ArticleSpec, BuildError, ConcessionSpec, ConcessionStatus, ConditionSpec, ConditionStatus,
    Effect, Negotiation, NegotiationBuilder, Role, StageKind, StageSpec, TrackSpec,
};

fn base() -> NegotiationBuilder {
    Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .party("court", "Court", Role::Institution)
        .track(
            TrackSpec::new("deal", "The deal", ["a", "b"])
                .stage(StageKind::Finalized)
                .stage(StageKind::Signed),
        )
}

fn check(builder: NegotiationBuilder, expected: BuildError, message: &str) {
    let err = builder.build().unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(err.to_string(), message);
}

#[test]
fn duplicate_ids() {
    check(
        base().party("a", "Again", Role::Observer),
        BuildError::DuplicateId {
            path: "parties[3].id".into(),
            kind: "party",
            id: "a".into(),
        },
        "parties[3].id: duplicate party id `a`",
    );
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .concession(ConcessionSpec::new("x", "a", "X")),
        BuildError::DuplicateId {
            path: "concessions[0].id".into(),
            kind: "concession",
            id: "x".into(),
        },
        "concessions[0].id: duplicate concession id `x`",
    );
    check(
        base().condition(ConditionSpec::new("deal.signed", "clash with a stage id")),
        BuildError::DuplicateId {
            path: "conditions[0].id".into(),
            kind: "condition",
            id: "deal.signed".into(),
        },
        "conditions[0].id: duplicate condition id `deal.signed`",
    );
}

#[test]
fn dangling_references() {
    check(
        base().condition(ConditionSpec::new("x", "X").owed_by(["nobody"])),
        BuildError::DanglingReference {
            path: "conditions[0].owed_by[0]".into(),
            expected: "party",
            id: "nobody".into(),
            suggestion: None,
        },
        "conditions[0].owed_by[0]: unknown party `nobody`",
    );
    check(
        base().article(ArticleSpec::new("art", "nowhere", "T")),
        BuildError::DanglingReference {
            path: "articles[0].track".into(),
            expected: "track",
            id: "nowhere".into(),
            suggestion: None,
        },
        "articles[0].track: unknown track `nowhere`",
    );
    check(
        base().requires("deal.signed.a", "ghost"),
        BuildError::DanglingReference {
            path: "requirements[0].requires".into(),
            expected: "node",
            id: "ghost".into(),
            suggestion: None,
        },
        "requirements[0].requires: unknown node `ghost`",
    );
    check(
        base().concession(ConcessionSpec::new("c", "a", "C").effect(Effect::Fulfil {
            condition: "ghost".into(),
        })),
        BuildError::DanglingReference {
            path: "concessions[0].effects[0].condition".into(),
            expected: "condition",
            id: "ghost".into(),
            suggestion: None,
        },
        "concessions[0].effects[0].condition: unknown condition `ghost`",
    );
}

#[test]
fn declared_cycles_are_deadlocks_not_errors() {
    // Mutual preconditions exist from the start of real negotiations (DESIGN.md).
    let neg = base()
        .condition(ConditionSpec::new("x", "X"))
        .condition(ConditionSpec::new("y", "Y"))
        .condition(ConditionSpec::new("z", "Z"))
        .requires("x", "y")
        .requires("y", "z")
        .requires("z", "x")
        .build()
        .unwrap();
    let deadlocks = neg.deadlocks();
    assert_eq!(deadlocks.len(), 1);
    let nodes: Vec<&str> = deadlocks[0]
        .nodes
        .iter()
        .map(|&n| neg.key(n).unwrap())
        .collect();
    assert_eq!(nodes, ["x", "y", "z"]);
    for key in ["x", "y", "z"] {
        let n = neg.node_id(key).unwrap();
        assert!(
            !neg.is_satisfied(n).unwrap() && neg.is_blocked(n).unwrap(),
            "{key}"
        );
    }
    // Through structure: a's finalization requires x, which requires the text signed.
    let neg = base()
        .condition(ConditionSpec::new("x", "X"))
        .requires("deal.finalized.a", "x")
        .requires("x", "deal.signed")
        .build()
        .unwrap();
    let nodes: Vec<&str> = neg.deadlocks()[0]
        .nodes
        .iter()
        .map(|&n| neg.key(n).unwrap())
        .collect();
    assert!(
        nodes.contains(&"x") && nodes.contains(&"deal.signed"),
        "{nodes:?}"
    );
}

#[test]
fn a_stage_cannot_require_a_later_stage_of_its_track() {
    check(
        base().requires("deal.finalized.a", "deal.signed"),
        BuildError::BackwardStage {
            path: "requirements[0]".into(),
            node: "deal.finalized.a".into(),
            required: "deal.signed".into(),
            track: "deal".into(),
        },
        "requirements[0]: `deal.finalized.a` requires `deal.signed`, a later stage of its own track `deal`",
    );
}

#[test]
fn stages_keep_their_order() {
    check(
        Negotiation::builder()
            .party("a", "A", Role::Principal)
            .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed).stage(StageKind::Finalized)),
        BuildError::StageOutOfOrder { path: "tracks[0].stages[1].kind".into(), stage: "finalized".into(), previous: "signed".into() },
        "tracks[0].stages[1].kind: stage `finalized` comes after `signed`; built-in stages go finalized, initialed, signed, ratified, in_force",
    );
}

#[test]
fn an_institution_cannot_sign() {
    check(
        base().track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageSpec::new(StageKind::Signed).performers(["a", "court"])),
        ),
        BuildError::RoleCannotPerform {
            path: "tracks[1].stages[0].performers[1]".into(),
            party: "court".into(),
            role: Role::Institution,
            stage: "t.signed".into(),
        },
        "tracks[1].stages[0].performers[1]: `court` (institution on this track) cannot perform `t.signed`",
    );
    // A custom stage is fine, and so is signing as a declared signatory of the track.
    base()
        .track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageSpec::new(StageKind::Custom("ruling".into())).performers(["court"])),
        )
        .track(
            TrackSpec::new("roadmap", "Roadmap", ["a"])
                .role("court", Role::Signatory)
                .stage(StageSpec::new(StageKind::Signed).performers(["a", "court"])),
        )
        .build()
        .unwrap();
}

#[test]
fn roles_are_per_track() {
    // A mediator of one track is a principal of another by being listed as one.
    let neg = base()
        .party("usa", "USA", Role::Mediator)
        .track(TrackSpec::new("t", "T", ["a", "usa"]).stage(StageKind::Signed))
        .build()
        .unwrap();
    let usa = neg.party_id("usa").unwrap();
    let (deal, t) = (neg.track_id("deal").unwrap(), neg.track_id("t").unwrap());
    assert_eq!(neg.role_on(usa, deal), Some(Role::Mediator));
    assert_eq!(neg.role_on(usa, t), Some(Role::Principal));
    check(
        base().track(TrackSpec::new("t", "T", ["a"]).role("a", Role::Witness)),
        BuildError::ConflictingRole {
            path: "tracks[1].roles.a".into(),
            party: "a".into(),
            track: "t".into(),
        },
        "tracks[1].roles.a: `a` already has a role on track `t`",
    );
    // The principal role is given by listing the party among the principals, not by `roles`.
    check(
        base().track(TrackSpec::new("t", "T", ["a"]).role("b", Role::Principal)),
        BuildError::ConflictingRole {
            path: "tracks[1].roles.b".into(),
            party: "b".into(),
            track: "t".into(),
        },
        "tracks[1].roles.b: `b` already has a role on track `t`",
    );
}

#[test]
fn principals_and_positions() {
    check(
        base().article(ArticleSpec::new("art", "deal", "T").accepted_by(["court"])),
        BuildError::PositionOfNonPrincipal {
            path: "articles[0].positions.court".into(),
            article: "art".into(),
            party: "court".into(),
            track: "deal".into(),
        },
        "articles[0].positions.court: `court` holds a position on `art` but is not a principal of track `deal`",
    );
}

#[test]
fn initial_state_must_be_consistent() {
    check(
        base()
            .condition(ConditionSpec::new("x", "X").status(ConditionStatus::Met))
            .condition(ConditionSpec::new("y", "Y"))
            .requires("x", "y"),
        BuildError::Inconsistent {
            path: "conditions[0].status".into(),
            node: "x".into(),
            status: negotiation::Status::Met,
            required: "y".into(),
            required_status: negotiation::Status::Unmet,
        },
        "conditions[0].status: `x` is met but requires `y`, which is unmet",
    );
    check(
        base().track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageKind::Finalized)
                .stage(StageSpec::new(StageKind::Signed).performed_by(["a"])),
        ),
        BuildError::Inconsistent {
            path: "tracks[1].stages[1].performed_by[0]".into(),
            node: "t.signed.a".into(),
            status: negotiation::Status::Performed,
            required: "t.finalized".into(),
            required_status: negotiation::Status::NotReached,
        },
        "tracks[1].stages[1].performed_by[0]: `t.signed.a` is performed but requires `t.finalized`, which is not reached",
    );
    check(
        base().concession(ConcessionSpec::new("c", "a", "C").status(ConcessionStatus::Made)),
        BuildError::MadeConcession {
            path: "concessions[0].status".into(),
            concession: "c".into(),
        },
        "concessions[0].status: concession `c` is declared as made: declare its effects in the initial state instead",
    );
}

#[test]
fn other_shapes() {
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .requires("x", "x"),
        BuildError::SelfRequirement {
            path: "requirements[0]".into(),
            node: "x".into(),
        },
        "requirements[0]: `x` requires itself",
    );
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .requires("deal.signed.a", "x")
            .requires("deal.signed.a", "x"),
        BuildError::DuplicateRequirement {
            path: "requirements[1]".into(),
            node: "deal.signed.a".into(),
            required: "x".into(),
        },
        "requirements[1]: `deal.signed.a` requires `x` twice",
    );
    check(
        base().requires_any_of("deal.signed.a", Vec::<String>::new()),
        BuildError::BadGroup {
            path: "requirements[0].requires_any_of".into(),
            node: "deal.signed.a".into(),
            problem: "it lists no alternatives".into(),
        },
        "requirements[0].requires_any_of: requirement group of `deal.signed.a`: it lists no alternatives",
    );
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .condition(ConditionSpec::new("y", "Y"))
            .requires_at_least("deal.signed.a", 3, ["x", "y"]),
        BuildError::BadGroup {
            path: "requirements[0].requires_at_least.count".into(),
            node: "deal.signed.a".into(),
            problem: "it needs 3 but its alternatives add up to 2".into(),
        },
        "requirements[0].requires_at_least.count: requirement group of `deal.signed.a`: it needs 3 but its alternatives add up to 2",
    );
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .requires_any_of("deal.signed.a", ["x"])
            .requires("deal.signed.a.any_of(x)", "x"),
        BuildError::RequirementOnGroup {
            path: "requirements[1].node".into(),
            node: "deal.signed.a.any_of(x)".into(),
        },
        "requirements[1].node: `deal.signed.a.any_of(x)` is a requirement group; declare the requirement on the node that needs the group",
    );
    check(
        base()
            .condition(ConditionSpec::new("x", "X").owed_by(["b"]))
            .condition(ConditionSpec::new("y", "Y"))
            .requirement(
                negotiation::RequirementSpec::new("x", negotiation::Needs::Node("y".into()))
                    .precondition_of("a"),
            ),
        BuildError::NotOwnPrecondition {
            path: "requirements[0].by".into(),
            party: "a".into(),
            node: "x".into(),
        },
        "requirements[0].by: `a` cannot attach a precondition to `x`, which it does not act on",
    );
    check(
        base().track(TrackSpec::new("t", "T", Vec::<String>::new()).stage(StageKind::Signed)),
        BuildError::NoPerformers {
            path: "tracks[1].stages[0].performers".into(),
            stage: "t.signed".into(),
        },
        "tracks[1].stages[0].performers: stage `t.signed` has no performers",
    );
    check(
        base().track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageSpec::new(StageKind::Signed).performed_by(["b"])),
        ),
        BuildError::NotAPerformer {
            path: "tracks[1].stages[0].performed_by[0]".into(),
            stage: "t.signed".into(),
            party: "b".into(),
        },
        "tracks[1].stages[0].performed_by[0]: `b` is marked as performed on `t.signed` but is not a performer",
    );
}

#[test]
fn a_requirement_on_a_stage_applies_to_each_act() {
    let neg = base()
        .condition(ConditionSpec::new("x", "X"))
        .requires("deal.signed", "x")
        .build()
        .unwrap();
    let x = neg.node_id("x").unwrap();
    let dependents: Vec<&str> = neg
        .dependents(x)
        .unwrap()
        .iter()
        .map(|&(n, _)| neg.key(n).unwrap())
        .collect();
    assert_eq!(dependents, ["deal.signed.a", "deal.signed.b"]);
    // A rule on the whole stage is a procedure, nobody's precondition.
    for (_, edge) in neg.dependents(x).unwrap() {
        assert_eq!(edge.basis(), negotiation::Basis::Procedure);
    }
}

#[test]
fn a_precondition_in_the_old_argument_order_is_refused_by_name() {
    let ok = base()
        .condition(ConditionSpec::new("vote", "A vote").owed_by(["b"]))
        .precondition("a", "vote", "deal.signed")
        .build();
    assert!(ok.is_ok(), "{ok:?}");
    // The stage where the required node belongs: `vote.a` is no act, and the error says so.
    let err = base()
        .condition(ConditionSpec::new("vote", "A vote").owed_by(["b"]))
        .precondition("a", "deal.signed", "vote")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("vote.a"), "{err}");
}

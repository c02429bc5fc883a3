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
        },
        "conditions[0].owed_by[0]: unknown party `nobody`",
    );
    check(
        base().article(ArticleSpec::new("art", "nowhere", "T")),
        BuildError::DanglingReference {
            path: "articles[0].track".into(),
            expected: "track",
            id: "nowhere".into(),
        },
        "articles[0].track: unknown track `nowhere`",
    );
    check(
        base().requires("deal.signed.a", "ghost"),
        BuildError::DanglingReference {
            path: "requirements[0].requires".into(),
            expected: "node",
            id: "ghost".into(),
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
        },
        "concessions[0].effects[0].condition: unknown condition `ghost`",
    );
}

#[test]
fn requirement_cycles_list_their_nodes_in_order() {
    let err = base()
        .condition(ConditionSpec::new("x", "X"))
        .condition(ConditionSpec::new("y", "Y"))
        .condition(ConditionSpec::new("z", "Z"))
        .requires("x", "y")
        .requires("y", "z")
        .requires("z", "x")
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        BuildError::Cycle {
            nodes: vec!["x".into(), "y".into(), "z".into()]
        }
    );
    assert_eq!(err.to_string(), "requirement cycle: x -> y -> z");
    // Through structure: a's signature requires x, which requires the text to be... signed.
    let err = base()
        .condition(ConditionSpec::new("x", "X"))
        .requires("deal.finalized.a", "x")
        .requires("x", "deal.signed")
        .build()
        .unwrap_err();
    let BuildError::Cycle { nodes } = err else {
        panic!("{err:?}")
    };
    assert!(
        nodes.contains(&"x".to_owned()) && nodes.contains(&"deal.signed".to_owned()),
        "{nodes:?}"
    );
}

#[test]
fn a_stage_cannot_require_a_later_stage_of_its_track() {
    check(
        base().requires("deal.finalized.a", "deal.signed"),
        BuildError::BackwardStage {
            node: "deal.finalized.a".into(),
            required: "deal.signed".into(),
            track: "deal".into(),
        },
        "`deal.finalized.a` requires `deal.signed`, a later stage of its own track `deal`",
    );
}

#[test]
fn stages_keep_their_order() {
    check(
        Negotiation::builder()
            .party("a", "A", Role::Principal)
            .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Signed).stage(StageKind::Finalized)),
        BuildError::StageOutOfOrder { track: "t".into(), stage: "finalized".into(), previous: "signed".into() },
        "track `t`: stage `finalized` comes after `signed`; built-in stages go finalized, initialed, signed, ratified, in_force",
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
            party: "court".into(),
            role: Role::Institution,
            stage: "t.signed".into(),
        },
        "`court` (institution) cannot perform `t.signed`",
    );
    // A custom stage is fine.
    base()
        .track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageSpec::new(StageKind::Custom("ruling".into())).performers(["court"])),
        )
        .build()
        .unwrap();
}

#[test]
fn principals_and_positions() {
    check(
        base().track(TrackSpec::new("t", "T", ["court"])),
        BuildError::NotAPrincipal {
            track: "t".into(),
            party: "court".into(),
            role: Role::Institution,
        },
        "track `t`: `court` is listed as a principal but its role is institution",
    );
    check(
        base().article(ArticleSpec::new("art", "deal", "T").accepted_by(["court"])),
        BuildError::PositionOfNonPrincipal {
            article: "art".into(),
            party: "court".into(),
            track: "deal".into(),
        },
        "article `art`: `court` holds a position but is not a principal of track `deal`",
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
            node: "x".into(),
            status: negotiation::Status::Met,
            required: "y".into(),
            required_status: negotiation::Status::Unmet,
        },
        "`x` is met but requires `y`, which is unmet",
    );
    check(
        base().track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageKind::Finalized)
                .stage(StageSpec::new(StageKind::Signed).performed_by(["a"])),
        ),
        BuildError::Inconsistent {
            node: "t.signed.a".into(),
            status: negotiation::Status::Performed,
            required: "t.finalized".into(),
            required_status: negotiation::Status::NotReached,
        },
        "`t.signed.a` is performed but requires `t.finalized`, which is not reached",
    );
    check(
        base().concession(ConcessionSpec::new("c", "a", "C").status(ConcessionStatus::Made)),
        BuildError::MadeConcession {
            concession: "c".into(),
        },
        "concession `c` is declared as made: declare its effects in the initial state instead",
    );
}

#[test]
fn other_shapes() {
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .requires("x", "x"),
        BuildError::SelfRequirement { node: "x".into() },
        "`x` requires itself",
    );
    check(
        base()
            .condition(ConditionSpec::new("x", "X"))
            .requires("deal.signed.a", "x")
            .requires("deal.signed.a", "x"),
        BuildError::DuplicateRequirement {
            node: "deal.signed.a".into(),
            required: "x".into(),
        },
        "`deal.signed.a` requires `x` twice",
    );
    check(
        base().requires_any_of("deal.signed.a", Vec::<String>::new()),
        BuildError::EmptyAnyOf {
            node: "deal.signed.a".into(),
        },
        "any-of requirement of `deal.signed.a` lists no alternatives",
    );
    check(
        base().track(TrackSpec::new("t", "T", Vec::<String>::new()).stage(StageKind::Signed)),
        BuildError::NoPerformers {
            stage: "t.signed".into(),
        },
        "stage `t.signed` has no performers",
    );
    check(
        base().track(
            TrackSpec::new("t", "T", ["a"])
                .stage(StageSpec::new(StageKind::Signed).performed_by(["b"])),
        ),
        BuildError::NotAPerformer {
            stage: "t.signed".into(),
            party: "b".into(),
        },
        "stage `t.signed`: `b` is marked as performed but is not a performer",
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
    let dependents: Vec<&str> = neg.dependents(x).iter().map(|&(n, _)| neg.key(n)).collect();
    assert_eq!(dependents, ["deal.signed.a", "deal.signed.b"]);
}

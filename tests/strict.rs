//! Strict input (the reliability issue's "silent loss" findings): what a loader used to drop or
//! take silently is refused with a path.

use negotiation::{
    BuildError, ConditionSpec, Move, MoveError, Negotiation, Role, Scenario, StageKind, TrackSpec,
};

const SMALL: &str = r#"{"version": 3,
  "model": {
    "parties": [{"id": "a", "name": "A", "role": "principal"},
                {"id": "b", "name": "B", "role": "principal"}],
    "tracks": [{"id": "t", "title": "T", "principals": ["a", "b"], "stages": [{"kind": "signed"}]}],
    "articles": [{"id": "x", "track": "t", "title": "X", "positions": {"a": "accepts"}}],
    "conditions": [{"id": "c", "description": "C", "owed_by": ["b"]}]
  }COSTS_AND_FOCUS
}"#;

fn small(extra: &str) -> String {
    SMALL.replace("COSTS_AND_FOCUS", extra)
}

fn error(json: &str) -> String {
    match Scenario::from_json(json) {
        Ok(_) => panic!("loaded: {json}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn trailing_content_after_the_document_is_refused() {
    assert!(Scenario::from_json(&small("")).is_ok());
    let second = format!("{}\n{}", small(""), small(""));
    let e = error(&second);
    assert!(
        e.starts_with(".: content after the scenario document"),
        "{e}"
    );
}

#[test]
fn duplicate_keys_in_positions_and_costs_are_refused() {
    let json = small("").replace(
        r#""positions": {"a": "accepts"}"#,
        r#""positions": {"a": "accepts", "a": "rejects"}"#,
    );
    let e = error(&json);
    assert!(
        e.starts_with("model.articles[0].positions: duplicate key `a`"),
        "{e}"
    );
    let e = error(&small(r#", "costs": {"nodes": {"c": 2, "c": 3}}"#));
    assert!(e.starts_with("costs.nodes: duplicate key `c`"), "{e}");
    let e = error(&small(
        r#", "costs": {"party_nodes": {"b": {"c": 2, "c": 3}}}"#,
    ));
    assert!(e.starts_with("costs.party_nodes"), "{e}");
    assert!(e.contains("duplicate key `c`"), "{e}");
}

#[test]
fn a_typo_in_focus_or_costs_is_refused() {
    assert_eq!(
        error(&small(r#", "focus": "t.singed""#)),
        "focus: unknown node `t.singed` (did you mean `t.signed`?)"
    );
    assert_eq!(
        error(&small(r#", "costs": {"nodes": {"cc": 2}}"#)),
        "costs.nodes.cc: unknown node `cc` (did you mean `c`?)"
    );
    assert_eq!(
        error(&small(r#", "costs": {"parties": {"z": 2}}"#)),
        "costs.parties.z: unknown party `z`"
    );
    assert!(Scenario::from_json(&small(
        r#", "focus": "t.signed", "costs": {"nodes": {"c": 2}, "party_nodes": {"b": {"c": 1}}}"#
    ))
    .is_ok());
}

#[test]
fn empty_and_whitespace_ids_are_refused() {
    let built = |id: &str| {
        Negotiation::builder()
            .party("a", "A", Role::Principal)
            .condition(ConditionSpec::new(id, "C").owed_by(["a"]))
            .build()
    };
    for bad in ["", " ", "two words", "tab\there", "nul\0"] {
        assert!(
            matches!(built(bad), Err(BuildError::BadId { .. })),
            "{bad:?}"
        );
    }
    assert!(built("ok_id").is_ok());
    let e = error(&small("").replace(r#""id": "b""#, r#""id": "b ""#));
    assert_eq!(
        e,
        r#"model.parties[1].id: party id "b ": an id holds no whitespace or control characters"#
    );
    let err = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .track(TrackSpec::new("t", "T", ["a"]).stage(StageKind::Custom("first vote".into())))
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::BadId { .. }), "{err}");
    // A move that creates a node checks its id too, and changes nothing when it refuses.
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .build()
        .unwrap();
    let before = neg.clone();
    let err = neg
        .apply(&Move::demand("a", "", "An empty demand", ["b"]))
        .unwrap_err();
    assert!(matches!(err, MoveError::InvalidField { .. }), "{err}");
    assert_eq!(neg, before);
}

#[test]
fn trailing_content_after_a_gmcr_file_is_refused() {
    let file = include_str!("../examples/gmcr/prisoners_dilemma.gmcr");
    assert!(negotiation::strategy::Conflict::from_gmcr(file).is_ok());
    let twice = format!("{file}\n{file}");
    let e = negotiation::strategy::Conflict::from_gmcr(&twice)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(".: content after the GMCR+ document"), "{e}");
}

#[test]
fn dotted_party_and_track_ids_and_empty_dotted_parts_are_refused() {
    let built = |party: &str, track: &str, condition: &str| {
        Negotiation::builder()
            .party(party, "A", Role::Principal)
            .track(TrackSpec::new(track, "T", [party]).stage(StageKind::Signed))
            .condition(ConditionSpec::new(condition, "C").owed_by([party]))
            .build()
    };
    // Dots inside node ids are fine (`art.5`); empty parts are not.
    assert!(built("a", "t", "art.5").is_ok());
    for (party, track, condition) in [
        ("a.b", "t", "c"),
        ("a", "t.x", "c"),
        ("a", "t", ".signed."),
        ("a", "t", "a..b"),
        ("a", "t", "trailing."),
    ] {
        assert!(
            matches!(
                built(party, track, condition),
                Err(BuildError::BadId { .. })
            ),
            "{party} {track} {condition}"
        );
    }
    // With a path: `t.x` with stage `signed` would compose `t.x.signed`, which a track `t`
    // with a stage `x.signed` composes too.
    let e = error(&small("").replace(r#""id": "t""#, r#""id": "t.x""#));
    assert_eq!(
        e,
        "model.tracks[0].id: track id \"t.x\": a party's or track's id holds no `.` (stage and act ids are composed as track.stage.party)"
    );
    // A condition named like a stage is a duplicate id.
    let err = built("a", "t", "t.signed").unwrap_err();
    assert!(matches!(err, BuildError::DuplicateId { .. }), "{err}");
}

//! Scenario files, history, timeline and what-if.

use negotiation::{Goalpost, Move, Negotiation, Scenario, ScenarioError};

const FLAGSHIP: &str = include_str!("../examples/scenarios/armenia_azerbaijan_2025.json");
const ACQUISITION: &str = include_str!("../examples/scenarios/acquisition_closing.json");

fn load(json: &str) -> Result<(Scenario, Negotiation), String> {
    Scenario::from_json(json).map_err(|e| e.to_string())
}

/// The flagship file with one string replaced.
fn flagship_with(from: &str, to: &str) -> String {
    assert!(FLAGSHIP.contains(from), "{from}");
    FLAGSHIP.replacen(from, to, 1)
}

#[test]
fn the_flagship_file_reproduces_the_seed() {
    let (scenario, neg) = load(FLAGSHIP).unwrap();
    let (seed, _) = crate::seed::state();
    let signed = neg.node_id("peace.signed").unwrap();
    let frontier: Vec<&str> = neg
        .blockers(signed)
        .unwrap()
        .frontier()
        .into_iter()
        .map(|n| neg.key(n).unwrap())
        .collect();
    assert_eq!(frontier, ["amend_constitution", "dissolve_minsk_group"]);
    let seed_frontier: Vec<&str> = seed
        .blockers(seed.node_id("peace.signed").unwrap())
        .unwrap()
        .frontier()
        .into_iter()
        .map(|n| seed.key(n).unwrap())
        .collect();
    assert_eq!(frontier, seed_frontier);
    assert_eq!(scenario.what_if.len(), 5);
    let report = negotiation::report(&scenario, &neg);
    for section in [
        "## What happened",
        "## What blocks peace.signed",
        "## Separate demands",
        "## Moving goalposts",
        "## What comes next",
    ] {
        assert!(report.contains(section), "{section}");
    }
    load(ACQUISITION).unwrap();
}

#[test]
fn errors_give_the_path_to_the_offending_entry() {
    let cases = [
        (
            flagship_with(r#"{ "actor": "armenia", "move": "perform", "stage": "border.finalized""#, r#"{ "actor": "armenija", "move": "perform", "stage": "border.finalized""#),
            "moves[2].actor: unknown party `armenija` (did you mean `armenia`?)",
        ),
        (
            flagship_with(r#""move": "perform", "stage": "peace.finalized""#, r#""move": "perform", "stage": "peace.finalised""#),
            "moves[10].stage: unknown stage `peace.finalised` (did you mean `peace.finalized`?)",
        ),
        (flagship_with(r#""focus": "peace.signed","#, r#""focus": "peace.signed", "colour": "red","#), "colour: unknown field `colour`, expected one of `version`, `title`, `description`, `focus`, `model`, `moves`, `what_if`, `costs`, `as_of`, `window`"),
        (flagship_with(r#""owed_by": ["osce"], "precondition_of""#, r#""owed_by": ["osce"], "precondition""#), "moves[15].precondition: unknown field `precondition`, expected one of `actor`, `move`, `article`, `position`, `track`, `to_track`, `title`, `condition`, `description`, `owed_by`, `precondition_of`, `concession`, `stage`, `node`, `requires`, `requires_any_of`, `requires_at_least`, `requires_weight`, `basis`, `by`, `citation`, `group`, `principals`, `roles`, `stages`, `long_stop`, `due`, `takes`, `until`, `event`, `about`, `date`, `source`, `note`"),
        (flagship_with(r#""id": "peace",
        "title": "Agreement"#, r#""id": "peace",
        "colour": "blue",
        "title": "Agreement"#), "model.tracks[0].colour: unknown field `colour`, expected one of `id`, `title`, `principals`, `roles`, `stages`, `long_stop`"),
        (flagship_with(r#""positions": { "armenia": "rejects", "azerbaijan": "accepts" },
        "topics": ["legal_cases"]"#, r#""positions": { "armenia": "rejects", "azerbaijan": "accepts" },
        "topics": ["legal_case"]"#), "model.articles[2].topics[0]: unknown topic `legal_case` (did you mean `legal_cases`?)"),
        (flagship_with(r#""version": 3"#, r#""version": 7"#), "version: unsupported schema version 7 (this build reads versions 1 to 3)"),
        (flagship_with(r#""version": 3,"#, ""), "version: missing: a scenario file states its schema version"),
        (
            flagship_with(r#"{ "actor": "osce", "move": "fulfil", "condition": "dissolve_minsk_group" }]"#, r#"{ "actor": "osce", "move": "fulfil", "condition": "dissolve_minks_group" }]"#),
            "what_if[0].moves[0].condition: unknown condition `dissolve_minks_group` (did you mean `dissolve_minsk_group`?)",
        ),
        (
            flagship_with(r#""move": "contest", "condition": "amend_constitution""#, r#""move": "waive", "condition": "amend_constitution""#),
            "moves[14]: `armenia` cannot waive `amend_constitution`: only its demander (`azerbaijan`) may",
        ),
    ];
    for (json, expected) in cases {
        match load(&json) {
            Ok(_) => panic!("accepted: {expected}"),
            Err(e) => assert_eq!(e.split(" at line").next().unwrap(), expected),
        }
    }
}

#[test]
fn a_move_missing_a_field_or_with_a_stray_one_is_refused() {
    let json = r#"{"version": 1, "model": {"parties": [{"id": "a", "name": "A", "role": "principal"}]},
        "moves": [{"actor": "a", "move": "perform"}]}"#;
    assert_eq!(
        load(json).unwrap_err().split(" at line").next().unwrap(),
        "moves[0]: `perform` needs `stage`"
    );
    let json = r#"{"version": 1, "model": {"parties": [{"id": "a", "name": "A", "role": "principal"}]},
        "moves": [{"actor": "a", "move": "perform", "stage": "t.signed", "article": "x"}]}"#;
    assert_eq!(
        load(json).unwrap_err().split(" at line").next().unwrap(),
        "moves[0]: `article` is not a field of `perform`"
    );
    let json = r#"{"version": 1, "model": {"parties": [{"id": "a", "name": "A", "role": "principal"}]}, "moves": [}"#;
    let err = Scenario::from_json(json).unwrap_err();
    assert!(matches!(err, ScenarioError::Syntax { .. }));
    // The parser's error stays reachable, with its position.
    let source = std::error::Error::source(&err).expect("a syntax error keeps the parser's error");
    let parser = source
        .downcast_ref::<negotiation::JsonError>()
        .and_then(|e| e.as_serde_json())
        .expect("the source is serde_json's error");
    assert_eq!((parser.line(), parser.is_syntax()), (1, true));
    // A problem the crate finds itself has no parser error behind it.
    let err = Scenario::from_json("[]").unwrap_err();
    assert!(matches!(err, ScenarioError::Syntax { source: None, .. }));
}

#[test]
fn saving_then_loading_gives_an_equal_negotiation() {
    let (scenario, neg) = load(FLAGSHIP).unwrap();
    let json = Scenario::of(&neg).to_json();
    let (_, again) = load(&json).unwrap();
    assert_eq!(again, neg);
    // The whole scenario too, questions included.
    let (reloaded, _) = load(&scenario.to_json()).unwrap();
    assert_eq!(reloaded, scenario);
    // And a negotiation serializes directly.
    let back: Negotiation = serde_json::from_str(&serde_json::to_string(&neg).unwrap()).unwrap();
    assert_eq!(back, neg);
}

#[test]
fn replay_and_earlier_states() {
    let (_, neg) = load(FLAGSHIP).unwrap();
    assert_eq!(neg.history().len(), 19);
    assert_eq!(neg.state_at(neg.history().len()).unwrap(), neg);
    let before_finalization = neg.state_at(10).unwrap();
    assert!(!before_finalization
        .is_satisfied(before_finalization.node_id("peace.finalized").unwrap())
        .unwrap());
    assert_eq!(
        before_finalization.history().to_vec(),
        &neg.history().to_vec()[..10]
    );
    assert!(neg.state_at(20).is_err());
    let mut steps = 0;
    neg.replay(|step, before, mv, _| {
        assert_eq!(step, steps);
        assert_eq!(before.history().len(), step);
        assert_eq!(Some(mv), neg.history().get(step).as_ref());
        steps += 1;
    })
    .unwrap();
    assert_eq!(steps, 19);
}

#[test]
fn the_timeline_flags_preconditions_set_after_finalization() {
    let (_, neg) = load(FLAGSHIP).unwrap();
    let timeline = neg.timeline().unwrap();
    let goalposts: Vec<(&str, &str)> = timeline
        .moving_goalposts()
        .into_iter()
        .map(|(p, e)| (neg.party(p).unwrap().key(), neg.key(e.node).unwrap()))
        .collect();
    assert_eq!(
        goalposts,
        [
            ("azerbaijan", "amend_constitution"),
            ("azerbaijan", "dissolve_minsk_group")
        ]
    );
    let finalized = neg.node_id("peace.finalized").unwrap();
    assert!(timeline
        .moving_goalposts()
        .iter()
        .all(|(_, e)| e.goalpost == Some(Goalpost::AfterFinalized { finalized })));
    let armenia = &timeline.parties[neg.party_id("armenia").unwrap().index()];
    assert_eq!(armenia.concessions.len(), 2);
    assert_eq!(armenia.concessions[0].date, Some(crate::date("2025-03-13")));
    let azerbaijan = &timeline.parties[neg.party_id("azerbaijan").unwrap().index()];
    assert_eq!(azerbaijan.demands.len(), 7);
    assert!(azerbaijan.concessions.is_empty());
}

#[test]
fn readiness_before_finalization_is_a_goalpost_too() {
    let mut neg = Negotiation::builder()
        .party("a", "A", negotiation::Role::Principal)
        .party("b", "B", negotiation::Role::Principal)
        .track(
            negotiation::TrackSpec::new("t", "T", ["a", "b"]).stage(negotiation::StageKind::Signed),
        )
        .build()
        .unwrap();
    neg.apply(&Move::declare_ready("a", "t.signed").on(crate::date("2025-01-01")))
        .unwrap();
    neg.apply(&Move::precondition("b", "x", "X", ["a"], "t.signed").on(crate::date("2025-01-02")))
        .unwrap();
    let timeline = neg.timeline().unwrap();
    let goalposts = timeline.moving_goalposts();
    assert_eq!(goalposts.len(), 1);
    assert_eq!(
        goalposts[0].1.goalpost,
        Some(Goalpost::AfterReadiness {
            party: neg.party_id("a").unwrap()
        })
    );
    assert!(neg.apply(&Move::declare_ready("a", "t.signed")).is_err());
}

#[test]
fn what_if_leaves_the_original_untouched_and_diffs() {
    let (_, neg) = load(FLAGSHIP).unwrap();
    let before = neg.clone();
    let both = neg.what_if(&[
        Move::fulfil("osce", "dissolve_minsk_group"),
        Move::fulfil("armenia", "amend_constitution"),
    ]);
    assert!(both.failure.is_none());
    assert_eq!(neg, before);
    let diff = neg.diff_below(&both.after, "peace.signed").unwrap();
    assert_eq!(
        diff.newly_unblocked,
        ["peace.signed", "peace.signed.azerbaijan"]
    );
    let target = diff.target.as_ref().unwrap();
    assert_eq!(
        target.before.frontier,
        ["amend_constitution", "dissolve_minsk_group"]
    );
    assert!(!target.after.blocked);
    assert!(
        diff.to_string()
            .contains("peace.signed after:  not blocked"),
        "{diff}"
    );
    let refused = neg.what_if(&[
        Move::perform("azerbaijan", "peace.signed"),
        Move::fulfil("osce", "dissolve_minsk_group"),
    ]);
    assert_eq!(refused.failure.as_ref().map(|(i, _)| *i), Some(0));
    assert!(refused.transitions.is_empty());
    assert_eq!(refused.after, neg);
}

#[test]
fn checking_a_file_lists_every_problem_in_file_order() {
    let json = flagship_with(
        r#"{ "actor": "armenia", "move": "perform", "stage": "border.finalized""#,
        r#"{ "actor": "armenija", "move": "perform", "stage": "border.finalized""#,
    )
    .replacen(
        r#""move": "perform", "stage": "peace.finalized""#,
        r#""move": "perform", "stage": "peace.finalised""#,
        1,
    )
    .replacen(
        r#""focus": "peace.signed""#,
        r#""focus": "peace.sigend""#,
        1,
    )
    .replacen(
        r#"{ "actor": "osce", "move": "fulfil", "condition": "dissolve_minsk_group" }]"#,
        r#"{ "actor": "osce", "move": "fulfil", "condition": "dissolve_minks_group" }]"#,
        1,
    );
    // `from_json` stops at the first; the check goes on after each.
    assert_eq!(
        load(&json).unwrap_err(),
        "moves[2].actor: unknown party `armenija` (did you mean `armenia`?)"
    );
    let problems: Vec<String> = Scenario::check_json(&json)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "moves[2].actor: unknown party `armenija` (did you mean `armenia`?)",
            // Armenia's part of border.finalized was refused, so the track's later acts fail too.
            "moves[4]: `armenia` cannot perform `border.signed.armenia`: blocked by border.finalized.armenia",
            "moves[5]: `azerbaijan` cannot perform `border.signed.azerbaijan`: blocked by border.finalized.armenia",
            "moves[10].stage: unknown stage `peace.finalised` (did you mean `peace.finalized`?)",
            "focus: unknown node `peace.sigend` (did you mean `peace.signed`?)",
            "what_if[0].moves[0].condition: unknown condition `dissolve_minks_group` (did you mean `dissolve_minsk_group`?)",
        ]
    );
    assert!(Scenario::check_json(FLAGSHIP).is_empty());
    // A syntax error or an invalid model is the only problem: nothing after it can be checked.
    assert_eq!(Scenario::check_json("{").len(), 1);
}

#[test]
fn an_unknown_id_has_its_nearest_neighbour() {
    let (_, neg) = load(FLAGSHIP).unwrap();
    assert_eq!(neg.nearest_node_id("peace.sigend"), Some("peace.signed"));
    assert_eq!(neg.nearest_node_id("peace.singed"), Some("peace.signed"));
    assert_eq!(
        neg.nearest_node_id("dissolve_minks_group"),
        Some("dissolve_minsk_group")
    );
    assert_eq!(neg.nearest_node_id("peace.signed"), None, "an id itself");
    assert_eq!(neg.nearest_node_id("x"), None, "too short to guess");
    assert_eq!(neg.nearest_node_id("withdrawal"), None);
}

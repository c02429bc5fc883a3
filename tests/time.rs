//! Dates on moves: order, satisfaction dates, the state on a date, and dates in files.

use negotiation::{
    ArticleSpec, ConditionSpec, Move, MoveError, Negotiation, Role, Scenario, ScenarioError,
    StageKind, TrackSpec,
};

use crate::date;

fn deal() -> Negotiation {
    Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
        .condition(ConditionSpec::new("vote", "B's parliament approves").owed_by(["b"]))
        .condition(ConditionSpec::new("permit", "A's regulator permits").owed_by(["a"]))
        .precondition("a", "deal.signed", "vote")
        .build()
        .unwrap()
}

#[test]
fn a_move_certainly_before_a_recorded_one_is_refused_and_changes_nothing() {
    let mut neg = deal();
    neg.apply(&Move::fulfil("a", "permit").on(date("2025-03-13")))
        .unwrap();
    let before = neg.clone();
    let err = neg
        .apply(&Move::fulfil("b", "vote").on(date("2025-03-12")))
        .unwrap_err();
    assert_eq!(
        err,
        MoveError::OutOfOrder {
            date: date("2025-03-12"),
            previous: date("2025-03-13")
        }
    );
    assert_eq!(
        err.to_string(),
        "date: 2025-03-12 is before 2025-03-13, the date of a move already recorded; moves are recorded in date order"
    );
    assert_eq!(neg, before);
    // A coarser date that may fall on or after it is accepted, and so is an undated move.
    neg.apply(&Move::perform("b", "deal.signed").on(date("2025-03")))
        .unwrap();
    neg.apply(&Move::fulfil("b", "vote")).unwrap();
    // The latest start is still 2025-03-13.
    assert!(matches!(
        neg.apply(&Move::perform("a", "deal.signed").on(date("2025-02"))),
        Err(MoveError::OutOfOrder { .. })
    ));
}

#[test]
fn each_node_is_satisfied_since_the_date_of_the_move_that_satisfied_it() {
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
        .track(TrackSpec::new("side", "A side letter", ["b"]))
        .article(ArticleSpec::new("annex", "side", "An annex"))
        .condition(ConditionSpec::new("vote", "B's parliament approves").owed_by(["b"]))
        .precondition("a", "deal.signed", "vote")
        .build()
        .unwrap();
    let (vote, signed) = (
        neg.node_id("vote").unwrap(),
        neg.node_id("deal.signed").unwrap(),
    );
    neg.apply(&Move::fulfil("b", "vote").on(date("2025-06")))
        .unwrap();
    assert_eq!(neg.satisfied_since(vote), Some(date("2025-06")));
    neg.apply(&Move::perform("a", "deal.signed").on(date("2025-07-01")))
        .unwrap();
    // A hypothesis leaves the dates as they were.
    neg.hypothetically(
        &[Move::perform("b", "deal.signed").on(date("2025-07-02"))],
        |after, _, failure| {
            assert!(failure.is_none());
            assert_eq!(after.satisfied_since(signed), Some(date("2025-07-02")));
        },
    );
    assert_eq!(neg.satisfied_since(signed), None);
    // An undated move satisfies with no date; an article rejected again loses its date.
    neg.apply(&Move::perform("b", "deal.signed")).unwrap();
    assert!(neg.is_satisfied(signed));
    assert_eq!(neg.satisfied_since(signed), None);
    let annex = neg.node_id("annex").unwrap();
    neg.apply(&Move::accept("b", "annex").on(date("2025-08-01")))
        .unwrap();
    assert_eq!(neg.satisfied_since(annex), Some(date("2025-08-01")));
    neg.apply(&Move::reject("b", "annex").on(date("2025-08-02")))
        .unwrap();
    assert_eq!(neg.satisfied_since(annex), None);
    // Replay reproduces the dates.
    let replayed = neg.state_at(neg.history().len()).unwrap();
    assert_eq!(replayed.satisfied_since(vote), Some(date("2025-06")));
}

#[test]
fn the_state_on_a_date_replays_the_moves_dated_by_its_end() {
    let mut neg = deal();
    neg.apply(&Move::fulfil("a", "permit").on(date("2025-03-13")))
        .unwrap();
    neg.apply(&Move::fulfil("b", "vote")).unwrap();
    neg.apply(&Move::perform("a", "deal.signed").on(date("2025-03")))
        .unwrap();
    neg.apply(&Move::perform("b", "deal.signed").on(date("2025-04-02")))
        .unwrap();
    assert_eq!(neg.steps_on(date("2025-03-12")), 0);
    assert_eq!(neg.steps_on(date("2025-03-20")), 1);
    assert_eq!(neg.steps_on(date("2025-03")), 3);
    assert_eq!(neg.steps_on(date("2025")), 4);
    assert_eq!(
        neg.state_on(date("2025-03-31")).unwrap(),
        neg.state_at(3).unwrap()
    );
    assert_eq!(
        neg.state_on(date("2024")).unwrap(),
        neg.state_at(0).unwrap()
    );
}

fn load(moves: &str) -> Result<(Scenario, Negotiation), ScenarioError> {
    let json = format!(
        r#"{{"version": 2, "model": {{
            "parties": [{{"id": "a", "name": "A", "role": "principal"}}],
            "conditions": [{{"id": "x", "description": "X", "owed_by": ["a"]}},
                           {{"id": "y", "description": "Y", "owed_by": ["a"]}}]
        }}, "moves": [{moves}]}}"#
    );
    Scenario::from_json(&json)
}

#[test]
fn dates_in_files_are_checked_with_their_path() {
    let err = load(r#"{"actor": "a", "move": "fulfil", "condition": "x", "date": "13/03/2025"}"#)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("moves[0].date: `13/03/2025` is not a date"),
        "{err}"
    );
    let err = load(
        r#"{"actor": "a", "move": "fulfil", "condition": "x", "date": "2025-03-13"},
           {"actor": "a", "move": "fulfil", "condition": "y", "date": "2025-02"}"#,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "moves[1].date: 2025-02 is before 2025-03-13, the date of a move already recorded; moves are recorded in date order"
    );
    let (scenario, _) = load(
        r#"{"actor": "a", "move": "fulfil", "condition": "x", "date": "2025"},
           {"actor": "a", "move": "fulfil", "condition": "y", "date": "2025-03"}"#,
    )
    .unwrap();
    assert_eq!(scenario.moves[1].meta.date, Some(date("2025-03")));
    let json = scenario.to_json();
    assert!(json.contains(r#""date": "2025""#), "{json}");
}

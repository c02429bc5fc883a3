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

mod schedule {
    use negotiation::{
        BuildError, ConditionSpec, DueSpec, Move, MoveError, Negotiation, NegotiationBuilder,
        Outlook, Role, ScheduleSpec, Span, StageKind, Takes, TrackSpec,
    };

    use crate::date;

    fn base() -> NegotiationBuilder {
        Negotiation::builder()
            .party("a", "A", Role::Principal)
            .party("b", "B", Role::Principal)
            .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
            .condition(ConditionSpec::new("x", "X").owed_by(["a"]))
            .condition(ConditionSpec::new("y", "Y").owed_by(["b"]))
            .condition(ConditionSpec::new("z", "Z").owed_by(["b"]))
    }

    fn schedule_error(b: NegotiationBuilder) -> String {
        match b.build() {
            Err(e @ BuildError::Schedule { .. })
            | Err(e @ BuildError::DanglingReference { .. }) => e.to_string(),
            other => panic!("expected a schedule error, got {other:?}"),
        }
    }

    #[test]
    fn schedule_entries_that_do_not_fit_their_node_are_refused_with_their_path() {
        let by = DueSpec::By(date("2026-01-01"));
        assert_eq!(
            schedule_error(base().takes("deal.signed", Takes::at_least(Span::days(3)))),
            "schedule[0].takes: cannot schedule `deal.signed`: it is a stage; durations go on conditions and acts"
        );
        assert_eq!(
            schedule_error(base().due("x", by.clone()).due("x", by.clone())),
            "schedule[1].due: cannot schedule `x`: it already has a due date"
        );
        assert_eq!(
            schedule_error(base().due(
                "x",
                DueSpec::Within {
                    span: Span::days(3),
                    after: "nowhere".into()
                }
            )),
            "schedule[0].due.after: unknown node `nowhere`"
        );
        assert_eq!(
            schedule_error(base().due("x", DueSpec::Within { span: Span::days(3), after: "x".into() })),
            "schedule[0].due.after: cannot schedule `x`: a deadline cannot run from the node's own satisfaction"
        );
        assert_eq!(
            schedule_error(base().takes("x", Takes::between(Span::days(40), Span::months(1)))),
            "schedule[0].takes.max: cannot schedule `x`: its maximum (1 month) is shorter than its minimum (40 days)"
        );
        assert_eq!(
            schedule_error(base().schedule(ScheduleSpec {
                node: "w".into(),
                due: None,
                takes: None
            })),
            "schedule[0].node: unknown node `w`"
        );
        let err = Negotiation::builder()
            .party("a", "A", Role::Principal)
            .track(
                TrackSpec::new("deal", "The deal", ["a"])
                    .stage(StageKind::Signed)
                    .long_stop(StageKind::Ratified, date("2026"), false),
            )
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "tracks[0].long_stop.stage: unknown stage of the track `ratified`"
        );
    }

    #[test]
    fn the_earliest_date_takes_the_best_alternative_and_the_kth_of_a_threshold() {
        let neg = base()
            .condition(ConditionSpec::new("w", "W").owed_by(["b"]))
            .requires_any_of("x", ["y", "z"])
            .requires_at_least("deal.signed.a", 2, ["x", "y", "z", "w"])
            .takes("y", Takes::between(Span::days(30), Span::days(40)))
            .takes("z", Takes::at_least(Span::days(10)))
            .takes("w", Takes::between(Span::days(20), Span::days(25)))
            .build()
            .unwrap();
        let x = neg.node_id("x").unwrap();
        let e = neg.earliest(x, date("2026-01-01"));
        // Any of y (30 days) or z (10 days): z, and x itself takes no time.
        assert_eq!(e.earliest, Some(date("2026-01-11")));
        // At the latest: y by day 40 (z has no maximum).
        assert_eq!(e.latest, Some(date("2026-02-10")));
        let path: Vec<&str> = e.critical_path.iter().map(|s| neg.key(s.node)).collect();
        assert_eq!(path[0], "x");
        assert_eq!(path.last(), Some(&"z"));
        // Two of x (day 10), y (30), z (10), w (20): the second is day 10.
        let act = neg.node_id("deal.signed.a").unwrap();
        assert_eq!(
            neg.earliest(act, date("2026-01-01")).earliest,
            Some(date("2026-01-11"))
        );
        // The stage waits for b's act too, which takes no time.
        let signed = neg.node_id("deal.signed").unwrap();
        assert_eq!(
            neg.earliest(signed, date("2026-01-01")).earliest,
            Some(date("2026-01-11"))
        );
    }

    #[test]
    fn a_deadlock_below_the_target_means_never_and_is_named() {
        let neg = base()
            .precondition("a", "deal.signed", "x")
            .requires("x", "y")
            .requires("y", "x")
            .condition(ConditionSpec::new("orphan", "Nobody owes this"))
            .requires("deal.signed.b", "orphan")
            .build()
            .unwrap();
        let signed = neg.node_id("deal.signed").unwrap();
        let e = neg.earliest(signed, date("2026-01-01"));
        assert_eq!(e.earliest, None);
        assert_eq!(e.deadlocks.len(), 1);
        assert_eq!(e.nobody_can_satisfy, vec![neg.node_id("orphan").unwrap()]);
        let text = e.display(&neg).to_string();
        assert!(text.contains("can never be satisfied"), "{text}");
        assert!(text.contains("deadlock"), "{text}");
        assert!(text.contains("orphan"), "{text}");
    }

    #[test]
    fn a_lapsing_track_refuses_acts_of_its_stage_once_its_long_stop_has_passed() {
        let mut neg = Negotiation::builder()
            .party("a", "A", Role::Principal)
            .party("b", "B", Role::Principal)
            .track(
                TrackSpec::new("deal", "The deal", ["a", "b"])
                    .stage(StageKind::Signed)
                    .long_stop(StageKind::Signed, date("2026-06-30"), true),
            )
            .build()
            .unwrap();
        neg.apply(&Move::perform("a", "deal.signed").on(date("2026-06")))
            .unwrap();
        let before = neg.clone();
        let err = neg
            .apply(&Move::perform("b", "deal.signed").on(date("2026-07-01")))
            .unwrap_err();
        assert!(matches!(err, MoveError::Lapsed { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "track `deal` lapsed: `deal.signed` was not reached by its long-stop date 2026-06-30 (the history is at 2026-07-01)"
        );
        assert_eq!(neg, before);
        let on = neg.deadlines(date("2026-07-01"), Span::days(30));
        assert_eq!(on.long_stops[0].outlook, Outlook::Passed { days: 1 });
        // Without `lapses`, the same move goes through: the lapse is only reported.
        let mut lenient = Negotiation::builder()
            .party("a", "A", Role::Principal)
            .track(
                TrackSpec::new("deal", "The deal", ["a"])
                    .stage(StageKind::Signed)
                    .long_stop(StageKind::Signed, date("2026-06-30"), false),
            )
            .build()
            .unwrap();
        lenient
            .apply(&Move::perform("a", "deal.signed").on(date("2026-07-01")))
            .unwrap();
    }
}

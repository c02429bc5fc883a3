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
        .precondition("a", "vote", "deal.signed")
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
        .precondition("a", "vote", "deal.signed")
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
    assert!(neg.is_satisfied(signed).unwrap());
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
        BuildError, ConditionSpec, DueSpec, Move, MoveError, Needs, Negotiation,
        NegotiationBuilder, Outlook, RequirementSpec, Role, ScheduleSpec, Span, StageKind, Takes,
        TrackSpec,
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
            "schedule[0].takes.max: cannot schedule `x`: its maximum (1 month) is shorter than its minimum (40 days) from 2000-01-01"
        );
        assert_eq!(
            schedule_error(base().schedule(ScheduleSpec::new("w"))),
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
        let e = neg.earliest(x, date("2026-01-01")).unwrap();
        // Any of y (30 days) or z (10 days): z, and x itself takes no time.
        assert_eq!(e.earliest, Some(date("2026-01-11")));
        // At the latest: y by day 40 (z has no maximum).
        assert_eq!(e.latest, Some(date("2026-02-10")));
        let path: Vec<&str> = e
            .critical_path
            .iter()
            .map(|s| neg.key(s.node).unwrap())
            .collect();
        assert_eq!(path[0], "x");
        assert_eq!(path.last(), Some(&"z"));
        // Two of x (day 10), y (30), z (10), w (20): the second is day 10.
        let act = neg.node_id("deal.signed.a").unwrap();
        assert_eq!(
            neg.earliest(act, date("2026-01-01")).unwrap().earliest,
            Some(date("2026-01-11"))
        );
        // The stage waits for b's act too, which takes no time.
        let signed = neg.node_id("deal.signed").unwrap();
        assert_eq!(
            neg.earliest(signed, date("2026-01-01")).unwrap().earliest,
            Some(date("2026-01-11"))
        );
    }

    #[test]
    fn an_act_its_track_lapses_before_has_no_earliest_date() {
        let neg = Negotiation::builder()
            .party("a", "A", Role::Principal)
            .track(
                TrackSpec::new("deal", "The deal", ["a"])
                    .stage(StageKind::Signed)
                    .long_stop(StageKind::Signed, date("2026-06-30"), true),
            )
            .condition(ConditionSpec::new("vote", "Vote").owed_by(["a"]))
            .takes("vote", Takes::at_least(Span::months(6)))
            .precondition("a", "vote", "deal.signed")
            .build()
            .unwrap();
        let signed = neg.node_id("deal.signed").unwrap();
        let e = neg.earliest(signed, date("2026-03-01")).unwrap();
        assert_eq!(e.earliest, None);
        assert_eq!(
            e.nobody_can_satisfy,
            vec![neg.node_id("deal.signed.a").unwrap()]
        );
        let text = e.display(&neg).to_string();
        assert!(
            text.contains("its track lapses before it can act"),
            "{text}"
        );
        let on = neg.deadlines(date("2026-03-01"), Span::days(30));
        assert_eq!(on.long_stops[0].outlook, Outlook::Never);
        // The vote itself can be had; it is the signature that would come too late.
        let quick = neg
            .earliest(neg.node_id("vote").unwrap(), date("2026-03-01"))
            .unwrap();
        assert_eq!(quick.earliest, Some(date("2026-09-01")));
    }

    #[test]
    fn only_durations_without_a_maximum_are_open_ended() {
        use negotiation::{Needs, RequirementSpec};
        let neg = base()
            .condition(ConditionSpec::new("nobody", "Owed by nobody"))
            .requirement(RequirementSpec::new(
                "x",
                Needs::AnyOf(vec!["nobody".into(), "y".into()]),
            ))
            .takes("y", Takes::at_least(Span::days(30)))
            .build()
            .unwrap();
        let e = neg
            .earliest(neg.node_id("x").unwrap(), date("2026-01-01"))
            .unwrap();
        assert_eq!(e.earliest, Some(date("2026-01-31")));
        assert_eq!(e.latest, None);
        assert_eq!(e.open_ended, vec![neg.node_id("y").unwrap()]);
    }

    #[test]
    fn a_deadlock_below_the_target_means_never_and_is_named() {
        let neg = base()
            .precondition("a", "x", "deal.signed")
            .requires("x", "y")
            .requires("y", "x")
            .condition(ConditionSpec::new("orphan", "Nobody owes this"))
            .requires("deal.signed.b", "orphan")
            .build()
            .unwrap();
        let signed = neg.node_id("deal.signed").unwrap();
        let e = neg.earliest(signed, date("2026-01-01")).unwrap();
        assert_eq!(e.earliest, None);
        assert_eq!(e.deadlocks.len(), 1);
        assert_eq!(e.nobody_can_satisfy, vec![neg.node_id("orphan").unwrap()]);
        let text = e.display(&neg).to_string();
        assert!(text.contains("can never be satisfied"), "{text}");
        assert!(text.contains("deadlock"), "{text}");
        assert!(
            text.contains("nobody can satisfy orphan: it is owed by nobody"),
            "{text}"
        );
    }

    /// A and B's `deal`, whose signature lapses after 2026-06-30.
    fn lapsing_deal() -> NegotiationBuilder {
        Negotiation::builder()
            .party("a", "A", Role::Principal)
            .party("b", "B", Role::Principal)
            .track(
                TrackSpec::new("deal", "The deal", ["a", "b"])
                    .stage(StageKind::Signed)
                    .long_stop(StageKind::Signed, date("2026-06-30"), true),
            )
    }

    #[test]
    fn a_lapsing_track_refuses_acts_of_its_stage_once_its_long_stop_has_passed() {
        let mut neg = lapsing_deal().build().unwrap();
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
        // Once the dates recorded pass the long-stop, the stage is out of reach: no plan, and
        // no earliest date.
        neg.apply(&Move::record("a", "The long-stop passes", Some("deal")).on(date("2026-07-01")))
            .unwrap();
        let signed = neg.node_id("deal.signed").unwrap();
        let e = neg.earliest(signed, date("2026-07-01")).unwrap();
        assert_eq!(e.earliest, None);
        assert_eq!(
            e.nobody_can_satisfy,
            vec![neg.node_id("deal.signed.b").unwrap()]
        );
        assert!(neg
            .plan("deal.signed", &negotiation::Options::default())
            .is_err());
        // I2: what the move that would satisfy it cannot do, the blockers say.
        let act = neg.node_id("deal.signed.b").unwrap();
        assert!(neg.is_blocked(act).unwrap() && neg.is_blocked(signed).unwrap());
        let why = neg.blockers(signed).unwrap();
        assert!(!why.is_empty());
        assert!(why
            .entries()
            .iter()
            .any(|e| e.node == act && e.reason == negotiation::Reason::Lapsed));
        assert!(why.frontier().is_empty());
        let text = why.display(&neg).to_string();
        assert!(
            text.contains("Lapsed: act deal.signed.b (pending; by B) -- track `deal` lapsed"),
            "{text}"
        );
        // Extending the long-stop revives the track.
        neg.apply(&Move::extend("a", "deal", date("2026-12-31")).on(date("2026-07-02")))
            .unwrap();
        assert!(!neg.is_blocked(act).unwrap());
        neg.apply(&Move::perform("b", "deal.signed").on(date("2026-07-03")))
            .unwrap();
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

    /// An act of a lapsed track is blocked for good and nobody can perform it: A's blockers do
    /// not list it at their frontier, so `leverage` does not have B holding A up by it.
    #[test]
    fn leverage_holds_no_one_to_an_act_of_a_lapsed_track() {
        let mut neg = lapsing_deal()
            .track(TrackSpec::new("main", "The main text", ["a"]).stage(StageKind::Signed))
            .requirement(
                RequirementSpec::new("main.signed.a", Needs::Node("deal.signed.b".into()))
                    .precondition_of("a"),
            )
            .build()
            .unwrap();
        let (a, b) = (neg.party_id("a").unwrap(), neg.party_id("b").unwrap());
        let act = neg.node_id("deal.signed.b").unwrap();
        assert_eq!(neg.leverage().pairs, vec![(a, b, 1)]);
        assert_eq!(
            neg.leverage().parties[a.index()].waits_on,
            vec![(b, vec![act])]
        );
        neg.apply(&Move::record("a", "The long-stop passes", Some("deal")).on(date("2026-07-01")))
            .unwrap();
        let leverage = neg.leverage();
        assert!(leverage.pairs.is_empty(), "{:?}", leverage.pairs);
        assert!(leverage.parties[b.index()].holds_up.is_empty());
        // Its own precondition still stands.
        assert_eq!(leverage.parties[a.index()].preconditions, vec![act]);
    }
}

/// The JCPOA's calendar from its public record: finalized 2015-07-14, sent to Congress on
/// 2015-07-19 (INARA: within 5 days; a 60-day review), endorsed by UNSC Resolution 2231 on
/// 2015-07-20, Adoption Day 90 days later (2015-10-18), Implementation Day on the IAEA's
/// verification (2016-01-16), Transition Day 8 years after Adoption Day (2023-10-18).
mod jcpoa {
    use negotiation::{
        ConditionSpec, DueSpec, Move, Negotiation, Role, Span, StageKind, StageSpec, Takes,
        TrackSpec, Unit,
    };

    use crate::date;

    fn model() -> Negotiation {
        let exactly = |span: Span| Takes::between(span, span);
        Negotiation::builder()
            .party("iran", "Iran", Role::Principal)
            .party("p5plus1", "E3/EU+3", Role::Principal)
            .party("usa", "United States", Role::Institution)
            .party("congress", "US Congress", Role::Institution)
            .party("unsc", "UN Security Council", Role::Institution)
            .party("iaea", "IAEA", Role::Institution)
            .track(
                TrackSpec::new(
                    "jcpoa",
                    "Joint Comprehensive Plan of Action",
                    ["iran", "p5plus1"],
                )
                .stage(StageKind::Finalized)
                .stage(StageSpec::new(StageKind::Custom("implementation".into()))),
            )
            .condition(
                ConditionSpec::new("transmittal", "Agreement sent to Congress").owed_by(["usa"]),
            )
            .condition(
                ConditionSpec::new("review", "Congressional review period over")
                    .owed_by(["congress"]),
            )
            .condition(
                ConditionSpec::new("endorsement", "UNSC endorses the JCPOA").owed_by(["unsc"]),
            )
            .condition(ConditionSpec::new("adoption_day", "Adoption Day").owed_by(["p5plus1"]))
            .condition(
                ConditionSpec::new("iran_steps", "Iran completes its nuclear steps")
                    .owed_by(["iran"]),
            )
            .condition(
                ConditionSpec::new("verification", "IAEA verifies Iran's steps").owed_by(["iaea"]),
            )
            .condition(ConditionSpec::new("transition_day", "Transition Day").owed_by(["p5plus1"]))
            .requires("transmittal", "jcpoa.finalized")
            .requires("review", "transmittal")
            .requires("endorsement", "jcpoa.finalized")
            .requires("adoption_day", "endorsement")
            .requires("iran_steps", "adoption_day")
            .requires("verification", "iran_steps")
            .requires("transition_day", "adoption_day")
            .procedure(
                "jcpoa.implementation.iran",
                "verification",
                Some("JCPOA ¶ 34(iii)"),
            )
            .procedure(
                "jcpoa.implementation.p5plus1",
                "verification",
                Some("JCPOA ¶ 34(iii)"),
            )
            .procedure("jcpoa.implementation.p5plus1", "review", Some("INARA"))
            .due(
                "transmittal",
                DueSpec::Within {
                    span: Span::days(5),
                    after: "jcpoa.finalized".into(),
                },
            )
            .takes("review", exactly(Span::days(60)))
            .takes("adoption_day", exactly(Span::days(90)))
            .takes("iran_steps", Takes::at_least(Span::months(2)))
            .takes("transition_day", exactly(Span::new(8, Unit::Year)))
            .build()
            .unwrap()
    }

    fn record() -> Vec<Move> {
        vec![
            Move::perform("iran", "jcpoa.finalized").on(date("2015-07-14")),
            Move::perform("p5plus1", "jcpoa.finalized").on(date("2015-07-14")),
            Move::fulfil("usa", "transmittal").on(date("2015-07-19")),
            Move::fulfil("unsc", "endorsement").on(date("2015-07-20")),
            Move::fulfil("congress", "review").on(date("2015-09-17")),
            Move::fulfil("p5plus1", "adoption_day").on(date("2015-10-18")),
            Move::fulfil("iran", "iran_steps").on(date("2016-01")),
            Move::fulfil("iaea", "verification").on(date("2016-01-16")),
            Move::perform("iran", "jcpoa.implementation").on(date("2016-01-16")),
            Move::perform("p5plus1", "jcpoa.implementation").on(date("2016-01-16")),
        ]
    }

    #[test]
    fn the_calendar_an_analyst_reads_off_the_record() {
        let mut neg = model();
        let record = record();
        for mv in &record[..2] {
            neg.apply(mv).unwrap();
        }
        // Three days after Vienna, the transmittal to Congress comes due in two days.
        let on = neg.deadlines(date("2015-07-17"), Span::days(30));
        let due: Vec<(&str, String, i32)> = on
            .coming_due
            .iter()
            .map(|i| (neg.key(i.node).unwrap(), i.due.to_string(), i.days))
            .collect();
        assert_eq!(due, [("transmittal", "2015-07-19".to_owned(), 2)]);
        for mv in &record[2..4] {
            neg.apply(mv).unwrap();
        }
        assert!(neg
            .deadlines(date("2015-07-21"), Span::days(30))
            .coming_due
            .is_empty());

        // The day after Resolution 2231: Adoption Day and the end of the review are fixed.
        let ids = neg.clone();
        let id = |k: &str| ids.node_id(k).unwrap();
        let from = date("2015-07-21");
        let adoption = neg.earliest(id("adoption_day"), from).unwrap();
        assert_eq!(
            (adoption.earliest, adoption.latest),
            (Some(date("2015-10-18")), Some(date("2015-10-18")))
        );
        let review = neg.earliest(id("review"), from).unwrap();
        assert_eq!(review.earliest, Some(date("2015-09-17")));
        // Implementation waits on Iran's steps, at least two months after Adoption Day, with
        // no maximum: its latest date is open.
        let implementation = neg.earliest(id("jcpoa.implementation"), from).unwrap();
        assert_eq!(implementation.earliest, Some(date("2015-12-18")));
        assert_eq!(implementation.latest, None);
        assert_eq!(implementation.open_ended, vec![id("iran_steps")]);
        let path: Vec<&str> = implementation
            .critical_path
            .iter()
            .map(|s| neg.key(s.node).unwrap())
            .collect();
        assert_eq!(path.last(), Some(&"endorsement"));
        assert!(
            path.contains(&"adoption_day") && path.contains(&"iran_steps"),
            "{path:?}"
        );

        for mv in &record[4..] {
            neg.apply(mv).unwrap();
        }
        // Implementation Day came after its earliest date, as it must.
        let implemented = neg.satisfied_since(id("jcpoa.implementation")).unwrap();
        assert!(!implemented.is_before(date("2015-12-18")));
        assert_eq!(implemented, date("2016-01-16"));
        // Transition Day: eight years after Adoption Day.
        let transition = neg
            .earliest(id("transition_day"), date("2016-01-16"))
            .unwrap();
        assert_eq!(transition.earliest, Some(date("2023-10-18")));
        // The state on a date: the review was over in September, Adoption Day in October.
        let september = neg.state_on(date("2015-09")).unwrap();
        assert!(
            september.is_satisfied(id("review")).unwrap()
                && !september.is_satisfied(id("adoption_day")).unwrap()
        );
        let october = neg.state_on(date("2015-10-18")).unwrap();
        assert!(october.is_satisfied(id("adoption_day")).unwrap());
        // "2016-01" (Iran's steps, day unknown) counts only once January is over.
        assert!(!neg
            .state_on(date("2016-01-15"))
            .unwrap()
            .is_satisfied(id("iran_steps"))
            .unwrap());
        assert!(neg
            .state_on(date("2016-01"))
            .unwrap()
            .is_satisfied(id("iran_steps"))
            .unwrap());
    }
}

#[test]
fn a_node_met_after_its_due_date_is_listed_as_met_late() {
    use negotiation::{DueSpec, Span};
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .condition(ConditionSpec::new("x", "X").owed_by(["a"]))
        .condition(ConditionSpec::new("y", "Y").owed_by(["a"]))
        .due("x", DueSpec::By(date("2026-03")))
        .due("y", DueSpec::By(date("2026-05-01")))
        .build()
        .unwrap();
    neg.apply(&Move::fulfil("a", "x").on(date("2026-04-02")))
        .unwrap();
    neg.apply(&Move::fulfil("a", "y").on(date("2026-04-03")))
        .unwrap();
    let on = neg.deadlines(date("2026-06-01"), Span::days(30));
    let late: Vec<(&str, i32)> = on
        .met_late
        .iter()
        .map(|i| (neg.key(i.node).unwrap(), i.days))
        .collect();
    assert_eq!(late, [("x", 2)]);
    assert!(on.overdue.is_empty() && on.coming_due.is_empty());
    let text = on.display(&neg).to_string();
    assert!(
        text.contains("- x: due 2026-03, met on 2026-04-02, 2 days late"),
        "{text}"
    );
}

/// The Brexit withdrawal agreement against the Article 50 deadline, from the public record:
/// notified 2017-03-29, exit due two years later (2019-03-29), extended to 2019-04-12 (decided
/// 2019-03-22), to 2019-10-31 (2019-04-11) and to 2020-01-31 (2019-10-28); the Withdrawal
/// Agreement Act received royal assent on 2020-01-23, the agreement was signed on 2020-01-24,
/// the European Parliament consented on 2020-01-29, the Council concluded it on 2020-01-30.
mod brexit {
    use negotiation::{
        ConditionSpec, Move, MoveError, Negotiation, Outlook, Role, Span, StageKind, Takes,
        TrackSpec,
    };

    use crate::date;

    fn model() -> Negotiation {
        Negotiation::builder()
            .party("uk", "United Kingdom", Role::Principal)
            .party("eu", "European Union", Role::Principal)
            .party("parliament", "UK Parliament", Role::Institution)
            .party("ep", "European Parliament", Role::Institution)
            .track(
                TrackSpec::new("wa", "Withdrawal Agreement", ["uk", "eu"])
                    .stage(StageKind::Finalized)
                    .stage(StageKind::Signed)
                    .stage(StageKind::Ratified)
                    .long_stop(StageKind::Ratified, date("2019-03-29"), false),
            )
            .condition(
                ConditionSpec::new("uk_act", "Withdrawal Agreement Act passed")
                    .owed_by(["parliament"]),
            )
            .condition(
                ConditionSpec::new("ep_consent", "European Parliament consents").owed_by(["ep"]),
            )
            .procedure(
                "wa.ratified.uk",
                "uk_act",
                Some("EU (Withdrawal Agreement) Act 2020"),
            )
            .procedure("wa.ratified.eu", "ep_consent", Some("Art. 50(2) TEU"))
            .requires("ep_consent", "uk_act")
            // An Act of Parliament takes weeks; how many, nobody can say.
            .takes("uk_act", Takes::at_least(Span::days(14)))
            .build()
            .unwrap()
    }

    fn outlook(neg: &Negotiation, on: &str) -> Outlook {
        neg.deadlines(date(on), Span::days(30)).long_stops[0].outlook
    }

    #[test]
    fn each_extension_and_where_the_exit_date_stood() {
        let mut neg = model();
        neg.apply(&Move::perform("uk", "wa.finalized").on(date("2018-11-14")))
            .unwrap();
        neg.apply(&Move::perform("eu", "wa.finalized").on(date("2018-11-25")))
            .unwrap();
        neg.apply(
            &Move::record(
                "parliament",
                "Meaningful vote lost, 202-432",
                Some("uk_act"),
            )
            .on(date("2019-01-15")),
        )
        .unwrap();
        // A week before exit day, ratification could not be had in time.
        assert_eq!(outlook(&neg, "2019-03-20"), Outlook::Late);
        // Only a principal moves the date, and only a track that has one.
        assert!(matches!(
            neg.apply(&Move::extend("parliament", "wa", date("2019-04-12"))),
            Err(MoveError::WrongActor { .. })
        ));
        neg.apply(&Move::extend("eu", "wa", date("2019-04-12")).on(date("2019-03-22")))
            .unwrap();
        assert_eq!(outlook(&neg, "2019-04-01"), Outlook::Late);
        neg.apply(&Move::extend("eu", "wa", date("2019-10-31")).on(date("2019-04-11")))
            .unwrap();
        // Six months: in time at the earliest, not surely (the Act has no maximum).
        assert_eq!(outlook(&neg, "2019-04-11"), Outlook::AtRisk);
        neg.apply(&Move::extend("eu", "wa", date("2020-01-31")).on(date("2019-10-28")))
            .unwrap();
        let hypothesis = neg.clone();
        neg.apply(&Move::fulfil("parliament", "uk_act").on(date("2020-01-23")))
            .unwrap();
        neg.apply(&Move::perform("uk", "wa.signed").on(date("2020-01-24")))
            .unwrap();
        neg.apply(&Move::perform("eu", "wa.signed").on(date("2020-01-24")))
            .unwrap();
        neg.apply(&Move::fulfil("ep", "ep_consent").on(date("2020-01-29")))
            .unwrap();
        neg.apply(&Move::perform("uk", "wa.ratified").on(date("2020-01-29")))
            .unwrap();
        neg.apply(&Move::perform("eu", "wa.ratified").on(date("2020-01-30")))
            .unwrap();
        assert_eq!(
            outlook(&neg, "2020-02-01"),
            Outlook::Reached {
                on: Some(date("2020-01-30"))
            }
        );
        // The long-stop history replays, and the state before the extensions has the original
        // exit day.
        let ratified = neg.track(neg.track_id("wa").unwrap()).unwrap();
        assert_eq!(ratified.long_stop().unwrap().date, date("2020-01-31"));
        let before = neg.state_on(date("2019-03-21")).unwrap();
        let wa = before.track(before.track_id("wa").unwrap()).unwrap();
        assert_eq!(wa.long_stop().unwrap().date, date("2019-03-29"));
        assert_eq!(neg.state_at(neg.history().len()).unwrap(), neg);
        // Without the third extension the deal would have been late on 2019-10-31.
        let mut no_third = hypothesis.state_on(date("2019-10-27")).unwrap();
        no_third
            .apply(&Move::record("uk", "General election called", None).on(date("2019-10-29")))
            .unwrap();
        assert_eq!(outlook(&no_third, "2019-10-29"), Outlook::Late);
    }

    #[test]
    fn a_reschedule_replaces_a_due_date_and_is_undone_with_a_failed_move() {
        use negotiation::{DueSpec, ScheduleSpec};
        let mut neg = model();
        let act = neg.node_id("uk_act").unwrap();
        let entry = |due: DueSpec| ScheduleSpec::new("uk_act").due(due);
        neg.apply(&Move::reschedule(
            "uk",
            entry(DueSpec::By(date("2019-03-29"))),
        ))
        .unwrap();
        assert_eq!(neg.due(act), Some(negotiation::Due::By(date("2019-03-29"))));
        // The duration declared in the model stays.
        assert!(neg.takes(act).is_some());
        let before = neg.clone();
        let err = neg
            .apply(&Move::reschedule(
                "uk",
                entry(DueSpec::Within {
                    span: Span::days(3),
                    after: "nowhere".into(),
                }),
            ))
            .unwrap_err();
        assert_eq!(err.to_string(), "entry.due.after: unknown node `nowhere`");
        assert_eq!(neg, before);
        assert!(matches!(
            neg.apply(&Move::reschedule("ep", entry(DueSpec::By(date("2019-04"))))),
            Err(MoveError::WrongActor { .. })
        ));
        // In a file, the paths are the move's.
        let json = negotiation::Scenario::of(&neg).to_json();
        let broken = json.replace(
            r#""due": "2019-03-29""#,
            r#""due": {"within": "3 days", "after": "nowhere"}"#,
        );
        let err = negotiation::Scenario::from_json(&broken).unwrap_err();
        assert_eq!(
            err.to_string(),
            "moves[0].due.after: unknown node `nowhere`"
        );
    }
}

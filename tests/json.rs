//! JSON answers: every result type serializes, reads back equal to the in-memory result, and
//! has the shape the crate documentation describes (ids as numbers, enums as snake_case names).

use std::fmt::Debug;

use negotiation::{
    Move, Negotiation, Obstacle, Options, PlanError, Scenario, Transition, ANSWER_VERSION,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const ARMENIA_AZERBAIJAN: &str = include_str!("../examples/scenarios/armenia_azerbaijan_2025.json");

/// The flagship scenario: the negotiation after its history.
fn flagship() -> Negotiation {
    Scenario::from_json(ARMENIA_AZERBAIJAN).unwrap().1
}

/// Serializes `value`, reads the JSON back, checks it equals `value`, and returns the JSON as a
/// value for shape checks.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> Value {
    let text = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{} does not read back: {e}\n{text}",
            std::any::type_name::<T>()
        )
    });
    assert_eq!(&back, value, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The node a JSON number names.
fn key_of<'n>(neg: &'n Negotiation, id: &Value) -> &'n str {
    let index = id
        .as_u64()
        .unwrap_or_else(|| panic!("{id} is not a number"));
    let node = neg
        .node_ids()
        .find(|n| n.index() as u64 == index)
        .unwrap_or_else(|| panic!("no node {index}"));
    neg.key(node).unwrap()
}

#[test]
fn the_answer_version_is_one() {
    assert_eq!(ANSWER_VERSION, 1);
}

#[test]
fn ids_are_plain_numbers() {
    let neg = flagship();
    let signed = neg.node_id("peace.signed").unwrap();
    let v = round_trip(&signed);
    assert_eq!(v, json!(signed.index()));
    assert_eq!(key_of(&neg, &v), "peace.signed");
    let armenia = neg.party_id("armenia").unwrap();
    assert_eq!(round_trip(&armenia), json!(armenia.index()));
    let track = neg.track_id("peace").unwrap();
    assert_eq!(round_trip(&track), json!(track.index()));
}

#[test]
fn a_transition_reads_back() {
    let mut neg = flagship();
    let t: Transition = neg
        .apply(&Move::fulfil("osce", "dissolve_minsk_group"))
        .unwrap();
    let v = round_trip(&t);
    let change = &v["status_changes"][0];
    assert_eq!(key_of(&neg, &change["node"]), "dissolve_minsk_group");
    assert_eq!(change["from"], "unmet");
    assert_eq!(change["to"], "met");
    // Every transition of the history reads back too.
    let (_, transitions) = crate::seed::state();
    for t in &transitions {
        round_trip(t);
    }
    assert!(transitions.iter().any(|t| t.concession.is_some()));
    assert!(transitions.iter().any(|t| !t.requirements_added.is_empty()));
}

#[test]
fn a_transition_that_closes_a_deadlock_reads_back() {
    let mut neg = crate::analysis::mutual();
    neg.apply(&Move::unlink("b", "a_first", "t.signed"))
        .unwrap();
    let t = neg.apply(&Move::link("b", "a_first", "t.signed")).unwrap();
    assert_eq!(t.deadlocks.len(), 1);
    let v = round_trip(&t);
    assert_eq!(v["concession"], Value::Null);
    let edges = v["deadlocks"][0]["edges"].as_array().unwrap();
    assert!(edges
        .iter()
        .any(|e| e["kind"] == "precondition" && e["basis"]["precondition"].is_u64()));
}

#[test]
fn plans_unblocking_sets_landmarks_and_leverage_read_back() {
    let neg = flagship();
    let options = Options::default();
    round_trip(&options);
    let plan = neg.plan("peace.signed", &options).unwrap();
    let v = round_trip(&plan);
    assert_eq!(key_of(&neg, &v["target"]), "peace.signed");
    // A planned move is written as in scenario files.
    assert_eq!(v["moves"][0]["mv"]["actor"], "armenia");
    assert_eq!(v["moves"][0]["mv"]["move"], "fulfil");
    assert_eq!(v["moves"][0]["mv"]["condition"], "amend_constitution");

    let sets = neg
        .cheapest_unblocking("peace.signed", 3, &options)
        .unwrap();
    assert!(!sets.sets.is_empty());
    let v = round_trip(&sets);
    assert!(
        v["sets"][0]["burden"][0][0].is_u64(),
        "burden: [party, cost] pairs"
    );

    let landmarks = neg.landmarks("peace.signed", &options).unwrap();
    round_trip(&landmarks);
    let leverage = neg.leverage();
    let v = round_trip(&leverage);
    assert!(!v["pairs"].as_array().unwrap().is_empty());
}

#[test]
fn deadlocks_and_obstacles_read_back() {
    let neg = crate::analysis::mutual();
    let deadlocks = neg.deadlocks();
    assert_eq!(deadlocks.len(), 1);
    let v = round_trip(&deadlocks);
    assert_eq!(key_of(&neg, &v[0]["nodes"][0]), "t.signed.a");
    let PlanError::Unreachable { obstacles, .. } =
        neg.plan("t.signed", &Options::default()).unwrap_err()
    else {
        panic!("no obstacles")
    };
    let v = round_trip(&obstacles);
    assert!(v[0]["deadlock"].is_object());
    let nobody = Obstacle::NoOneCanSatisfy {
        node: neg.node_id("a_first").unwrap(),
    };
    let v = round_trip(&nobody);
    assert_eq!(key_of(&neg, &v["no_one_can_satisfy"]["node"]), "a_first");
    // With waivers, the plan unlinks a precondition.
    let options = Options::new().allow_waivers(true);
    round_trip(&neg.plan("t.signed", &options).unwrap());
    round_trip(&neg.cheapest_unblocking("t.signed", 5, &options).unwrap());
}

const ACQUISITION: &str = include_str!("../examples/scenarios/acquisition_closing.json");
const TRADE: &str = include_str!("../examples/scenarios/trade_ratification.json");

/// Every example scenario with its negotiation after the history.
fn scenarios() -> Vec<(Scenario, Negotiation)> {
    [ARMENIA_AZERBAIJAN, ACQUISITION, TRADE]
        .into_iter()
        .map(|json| Scenario::from_json(json).unwrap())
        .collect()
}

#[test]
fn explanations_read_back() {
    let neg = flagship();
    let signed = neg.node_id("peace.signed").unwrap();
    let why = neg.blockers(signed).unwrap();
    let v = round_trip(&why);
    assert_eq!(key_of(&neg, &v["entries"][0]["node"]), "peace.signed");
    let frontier: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "frontier")
        .map(|e| key_of(&neg, &e["node"]))
        .collect();
    assert!(frontier.contains(&"amend_constitution"), "{frontier:?}");
    let cause = &v["entries"][0]["causes"][0];
    assert!(
        cause["entry"].is_u64() && cause["step"]["act"]["party"].is_u64(),
        "{cause}"
    );
    // The parts of an explanation read back alone too.
    round_trip(&why.entries().to_vec());
    round_trip(&why.causes(0).to_vec());
    round_trip(&why.outstanding().to_vec());
    // Every node of every example, blocked or not, deadlocked or not.
    for (_, neg) in scenarios().into_iter().chain([(
        Scenario::of(&crate::analysis::mutual()),
        crate::analysis::mutual(),
    )]) {
        for n in neg.node_ids() {
            let why = neg.blockers(n).unwrap();
            round_trip(&why);
            for i in 0..why.entries().len() {
                round_trip(&why.demands(i).to_vec());
            }
        }
    }
}

#[test]
fn an_explanation_with_an_entry_out_of_range_is_refused() {
    let neg = flagship();
    let why = neg.blockers(neg.node_id("peace.signed").unwrap()).unwrap();
    let mut v = serde_json::to_value(&why).unwrap();
    v["entries"][0]["causes"][0]["entry"] = json!(1000);
    let err = serde_json::from_value::<negotiation::Explanation>(v).unwrap_err();
    assert!(err.to_string().contains("not an entry"), "{err}");
    let mut v = serde_json::to_value(&why).unwrap();
    v["outstanding"][0]["entry"] = json!(1000);
    assert!(serde_json::from_value::<negotiation::Explanation>(v).is_err());
}

#[test]
fn group_progress_reads_back() {
    let (_, neg) = Scenario::from_json(TRADE).unwrap();
    let mut seen = 0;
    for key in [
        "ita.qmv_population",
        "ita.qmv_states",
        "empa.three_ratifications",
    ] {
        let progress = neg.group_progress(neg.node_id(key).unwrap()).unwrap();
        let v = round_trip(&progress);
        assert!(v["threshold"]["weight"].is_u64() || v["threshold"]["count"].is_u64());
        seen += 1;
    }
    assert_eq!(seen, 3);
}

#[test]
fn timelines_read_back() {
    for (_, neg) in scenarios() {
        let timeline = neg.timeline().unwrap();
        round_trip(&timeline);
    }
    let neg = flagship();
    let timeline = neg.timeline().unwrap();
    let v = round_trip(&timeline);
    let azerbaijan = neg.party_id("azerbaijan").unwrap().index();
    let demands = v["parties"][azerbaijan]["demands"].as_array().unwrap();
    assert!(!demands.is_empty());
    assert!(demands
        .iter()
        .any(|d| d["goalpost"]["after_finalized"].is_object()));
    let armenia = neg.party_id("armenia").unwrap().index();
    let concessions = v["parties"][armenia]["concessions"].as_array().unwrap();
    assert!(concessions[0]["concession"]["accepted_rejected"].is_u64());
    assert!(concessions[0]["date"].is_string());
}

#[test]
fn what_if_and_diffs() {
    let (scenario, neg) = Scenario::from_json(ARMENIA_AZERBAIJAN).unwrap();
    let branch = &scenario.what_if[0];
    let hypothesis = neg.what_if(&branch.moves);
    assert!(hypothesis.failure.is_none());
    // A what-if serializes; its parts read back.
    let v = serde_json::to_value(&hypothesis).unwrap();
    let after: Negotiation = serde_json::from_value(v["after"].clone()).unwrap();
    assert_eq!(after, hypothesis.after);
    let transitions: Vec<Transition> = serde_json::from_value(v["transitions"].clone()).unwrap();
    assert_eq!(transitions, hypothesis.transitions);
    assert_eq!(v["failure"], Value::Null);
    let failed = neg.what_if(&[
        Move::fulfil("osce", "dissolve_minsk_group"),
        Move::fulfil("osce", "no_such_condition"),
    ]);
    let (step, error) = failed.failure.as_ref().unwrap();
    let v = serde_json::to_value(&failed).unwrap();
    assert_eq!(
        v["failure"],
        json!({"step": step, "error": error.to_string()})
    );

    let diff = neg.diff_below(&hypothesis.after, "peace.signed").unwrap();
    let v = round_trip(&diff);
    assert_eq!(v["status_changes"][0]["node"], "dissolve_minsk_group");
    assert_eq!(v["target"]["node"], "peace.signed");
    assert_eq!(v["target"]["before"]["blocked"], true);
    for b in &scenario.what_if {
        let h = neg.what_if(&b.moves);
        round_trip(&neg.diff(&h.after));
        round_trip(&neg.diff_below(&h.after, "peace.signed").unwrap());
    }
}

#[test]
fn deadlines_and_earliest_dates_read_back() {
    let mut long_stops = 0;
    for (scenario, neg) in scenarios() {
        let on = scenario.as_of.unwrap_or_else(|| crate::date("2025-03-20"));
        for window in [negotiation::Span::days(30), negotiation::Span::months(24)] {
            let deadlines = neg.deadlines(on, window);
            let v = round_trip(&deadlines);
            long_stops += deadlines.long_stops.len();
            assert_eq!(v["on"], on.to_string());
            for s in v["long_stops"].as_array().unwrap() {
                assert!(s["outlook"].is_string() || s["outlook"].is_object(), "{s}");
            }
        }
        for n in neg.node_ids() {
            round_trip(&neg.earliest(n, on).unwrap());
            if let Some(due) = neg.due(n) {
                round_trip(&due);
                round_trip(&neg.due_date(due));
            }
        }
    }
    assert!(long_stops > 0);
    // The acquisition's closing: an earliest date with a critical path.
    let (_, neg) = Scenario::from_json(ACQUISITION).unwrap();
    let closing = neg.node_id("spa.closing").unwrap();
    let e = neg.earliest(closing, crate::date("2026-06-15")).unwrap();
    assert!(e.earliest.is_some() && !e.critical_path.is_empty());
    let v = round_trip(&e);
    assert_eq!(key_of(&neg, &v["target"]), "spa.closing");
    assert!(v["critical_path"][0]["date"].is_string());
    // Never: the deadlock is named.
    let neg = crate::analysis::mutual();
    let e = neg
        .earliest(neg.node_id("t.signed").unwrap(), crate::date("2026-01-01"))
        .unwrap();
    assert!(e.earliest.is_none() && !e.deadlocks.is_empty());
    let v = round_trip(&e);
    assert_eq!(v["earliest"], Value::Null);
}

#[test]
fn time_vocabulary_is_snake_case() {
    use negotiation::{Outlook, Precision, Unit};
    assert_eq!(round_trip(&Precision::Month), json!("month"));
    assert_eq!(round_trip(&Unit::Week), json!("week"));
    assert_eq!(round_trip(&Outlook::AtRisk), json!("at_risk"));
    assert_eq!(
        round_trip(&Outlook::Passed { days: 3 }),
        json!({"passed": {"days": 3}})
    );
    assert_eq!(round_trip(&negotiation::Reason::AnyOf), json!("any_of"));
    assert_eq!(
        round_trip(&negotiation::Step::PreviousStage),
        json!("previous_stage")
    );
}

mod strategy {
    use negotiation::strategy::{Concept, Conflict, Direction, Literal, Preferences, Response};
    use serde_json::json;

    use super::round_trip;

    /// The GMCR+ examples.
    fn conflicts() -> Vec<Conflict> {
        [
            include_str!("../examples/gmcr/armenia_azerbaijan.gmcr"),
            include_str!("../examples/gmcr/chicken.gmcr"),
            include_str!("../examples/gmcr/prisoners_dilemma.gmcr"),
            include_str!("../examples/gmcr/syria_iraq.gmcr"),
        ]
        .into_iter()
        .map(|text| Conflict::from_gmcr(text).unwrap())
        .collect()
    }

    #[test]
    fn analyses_explanations_sanctions_and_status_quo_read_back() {
        let (mut unstable, mut deterred, mut any_preferred) = (0, 0, false);
        for conflict in conflicts() {
            let analysis = conflict.analyse();
            let summary = analysis.summary();
            let v = round_trip(&summary);
            assert_eq!(
                v["states"].as_array().unwrap().len(),
                conflict.state_count()
            );
            assert_eq!(v["concepts"][5]["concept"], "seq_sim");
            for (c, concept) in Concept::ALL.into_iter().enumerate() {
                // An equilibrium is a number indexing `states`.
                for (k, s) in analysis.equilibria(concept).into_iter().enumerate() {
                    let n = v["concepts"][c]["equilibria"][k].as_u64().unwrap() as usize;
                    assert_eq!(v["states"][n], conflict.pattern(s).unwrap());
                }
                for m in analysis.mover_ids() {
                    for s in conflict.states() {
                        if let Some(why) = analysis.explain(concept, m, s) {
                            let v = round_trip(&why);
                            unstable += 1;
                            any_preferred |= why
                                .reasons
                                .iter()
                                .any(|r| matches!(r.response, Response::AllPreferred { .. }));
                            assert!(v["reasons"][0]["improvement"].is_u64());
                        }
                        if let Some(deterrence) = analysis.deterrence(concept, m, s) {
                            round_trip(&deterrence);
                            deterred += deterrence.sanctions.len();
                        }
                    }
                }
                let start = conflict
                    .status_quo()
                    .unwrap_or_else(|| conflict.states().next().unwrap());
                let sq = analysis.status_quo(start, concept);
                let v = round_trip(&sq);
                assert_eq!(v["concept"], serde_json::to_value(concept).unwrap());
            }
            round_trip(&analysis.movers().to_vec());
            // The model's vocabulary that results refer to.
            for d in conflict.decision_makers() {
                if let Preferences::Prioritized(statements) = d.preferences() {
                    for s in statements {
                        let v = round_trip(s);
                        assert!(v.is_array());
                    }
                }
            }
            for s in conflict.infeasible() {
                round_trip(s);
            }
            for d in conflict.decision_makers() {
                for &o in d.options() {
                    let v = round_trip(&o);
                    assert_eq!(v, json!(o.index()));
                    round_trip(&conflict.direction(o));
                }
            }
        }
        assert!(unstable > 0 && deterred > 0 && any_preferred);
        assert_eq!(round_trip(&Direction::Forward), json!("forward"));
        assert_eq!(round_trip(&Concept::Gmr), json!("gmr"));
    }

    #[test]
    fn coalition_analyses_read_back() {
        let conflict =
            Conflict::from_gmcr(include_str!("../examples/gmcr/prisoners_dilemma.gmcr")).unwrap();
        let names: Vec<String> = conflict
            .decision_makers()
            .iter()
            .map(|d| d.name().to_owned())
            .collect();
        let analysis = conflict.analyse_coalitions([names.clone()]).unwrap();
        let v = round_trip(&analysis.summary());
        assert_eq!(v["movers"].as_array().unwrap().len(), 1);
        assert_eq!(
            v["movers"][0]["members"].as_array().unwrap().len(),
            names.len()
        );
    }

    #[test]
    fn statements_are_lists_of_conjunctions() {
        let conflict = Conflict::from_gmcr(include_str!("../examples/gmcr/chicken.gmcr")).unwrap();
        let o = conflict.decision_makers()[0].options()[0];
        let literal = Literal::yes(o);
        let v = round_trip(&literal);
        assert_eq!(v, json!({"option": o.index(), "taken": true}));
        let s = negotiation::strategy::Statement::all_of([literal]);
        assert_eq!(
            round_trip(&s),
            json!([[{"option": o.index(), "taken": true}]])
        );
        assert_eq!(
            round_trip(&negotiation::strategy::Statement::always()),
            json!([[]])
        );
        assert_eq!(
            round_trip(&negotiation::strategy::Statement::never()),
            json!([])
        );
        // An option past what a state's code holds: taken is never, not taken always.
        let far: negotiation::strategy::Statement =
            serde_json::from_value(json!([[{"option": 100, "taken": true}]])).unwrap();
        assert_eq!(far, negotiation::strategy::Statement::never());
        let far: negotiation::strategy::Statement =
            serde_json::from_value(json!([[{"option": 100, "taken": false}]])).unwrap();
        assert_eq!(far, negotiation::strategy::Statement::always());
    }
}

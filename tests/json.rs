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
    neg.key(node)
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
    let options = Options {
        allow_waivers: true,
        ..Options::default()
    };
    round_trip(&neg.plan("t.signed", &options).unwrap());
    round_trip(&neg.cheapest_unblocking("t.signed", 5, &options).unwrap());
}

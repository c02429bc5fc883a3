//! The compact history: every kind of move comes back as it was applied, hypotheses leave it
//! as it was, and a loaded scenario shares its model and moves with its negotiation.

use std::sync::Arc;

use negotiation::{Move, MoveKind, Negotiation, Position, Scenario};

const FLAGSHIP: &str = include_str!("../examples/scenarios/armenia_azerbaijan_2025.json");

/// The flagship scenario loaded, then moves of the kinds its file lacks (with text, sources
/// and notes), each applied; returns the scenario, the negotiation and every move in order.
fn flagship_and_more() -> (Scenario, Negotiation, Vec<Move>) {
    let (scenario, mut neg) = Scenario::from_json(FLAGSHIP).unwrap();
    let date = |d: &str| d.parse().unwrap();
    let more = [
        Move::new(
            "armenia",
            MoveKind::ProposeArticle {
                article: "prisoners".into(),
                track: "transport".into(),
                title: "Release of the prisoners — all of them".into(),
            },
        )
        .on(date("2025-04"))
        .source("A statement")
        .note("ünïcödé"),
        Move::new(
            "azerbaijan",
            MoveKind::AmendArticle {
                article: "prisoners".into(),
                title: String::new(),
            },
        ),
        Move::reject("armenia", "prisoners").note("no"),
        Move::new(
            "armenia",
            MoveKind::SetPosition {
                article: "prisoners".into(),
                position: Position::NotStated,
            },
        ),
        Move::exclude("armenia", "prisoners").source(""),
        Move::link("azerbaijan", "zangezur_corridor", "transport.signed"),
        Move::unlink("azerbaijan", "zangezur_corridor", "transport.signed"),
        Move::record("osce", "The co-chairs met", Some("dissolve_minsk_group"))
            .on(date("2025-05-02")),
        Move::record("armenia", "A vote was lost", None).note("by two votes"),
        Move::unrequire("azerbaijan", "peace.signed", "amend_constitution"),
        Move::waive("azerbaijan", "return_enclaves").source("Later statements"),
    ];
    for mv in &more {
        neg.apply(mv).unwrap_or_else(|e| panic!("{mv}: {e}"));
    }
    let mut all = scenario.moves.to_vec();
    all.extend(more);
    (scenario, neg, all)
}

#[test]
fn every_move_comes_back_as_it_was_applied() {
    let (_, neg, all) = flagship_and_more();
    assert_eq!(neg.history().len(), all.len());
    assert_eq!(neg.history().to_vec(), all);
    assert_eq!(neg.history().iter().rev().collect::<Vec<_>>(), {
        let mut rev = all.clone();
        rev.reverse();
        rev
    });
    assert_eq!(neg.history().last().as_ref(), all.last());
    assert_eq!(neg.history().get(all.len()), None);
    // Loaded without a scenario to share with: every move recorded compactly.
    let json = Scenario::of(&neg).to_json();
    let compact: Negotiation = serde_json::from_str(&json).unwrap();
    assert_eq!(compact.history().to_vec(), all);
    assert_eq!(compact, neg);
    assert_eq!(Scenario::of(&compact).to_json(), json);
    assert_eq!(compact.state_at(all.len()).unwrap(), neg);
    assert_eq!(compact.state_at(3).unwrap().history().to_vec(), &all[..3]);
}

#[test]
fn a_hypothesis_leaves_the_history_as_it_was() {
    let (_, mut neg, all) = flagship_and_more();
    let before = neg.clone();
    let noted = [
        Move::record("osce", "A long statement", Some("peace")).note("a note"),
        Move::record("armenia", "Short", None),
    ];
    neg.hypothetically(&noted, |after, _, failure| {
        assert!(failure.is_none());
        assert_eq!(after.history().to_vec()[all.len()..], noted);
    });
    assert_eq!(neg, before);
    assert_eq!(neg.history().to_vec(), all);
    // The text the hypothesis wrote is gone: the next move's text reads back whole.
    let next = Move::record("azerbaijan", "Another statement", None).source("s");
    neg.apply(&next).unwrap();
    assert_eq!(neg.history().last(), Some(next));
}

#[test]
fn a_loaded_scenario_shares_its_model_and_moves_with_its_negotiation() {
    let (mut scenario, mut neg) = Scenario::from_json(FLAGSHIP).unwrap();
    let saved = Scenario::of(&neg);
    assert!(Arc::ptr_eq(&saved.model, &scenario.model));
    assert!(Arc::ptr_eq(&saved.moves, &scenario.moves));
    // The negotiation moves on: it records its own move, the scenario keeps its moves.
    let n = scenario.moves.len();
    neg.apply(&Move::record("osce", "A statement", None))
        .unwrap();
    assert_eq!(scenario.moves.len(), n);
    assert_eq!(Scenario::of(&neg).moves.len(), n + 1);
    // The scenario changes its moves: copy on write, the negotiation keeps its history.
    Arc::make_mut(&mut scenario.moves).truncate(1);
    assert_eq!(neg.history().len(), n + 1);
    assert_eq!(neg.state_at(n + 1).unwrap(), neg);
}

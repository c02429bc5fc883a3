//! The 2025 Armenia–Azerbaijan draft peace agreement, as of 2025-03-13, built with the public
//! API by applying the moves the seed analysis reports (APRI Armenia, "Armenia and Azerbaijan
//! Agreed on a Draft Peace Agreement: What Comes Next?", updated 2025-03-20).

use negotiation::{
    ArticleSpec, ConcessionKind, Move, Negotiation, Position, Role, StageKind, Step, TrackSpec,
};

pub(crate) const SEPARATE_DEMANDS: [&str; 5] = [
    "cancel_arms_contracts",
    "western_azerbaijanis",
    "zangezur_corridor",
    "return_enclaves",
    "recognize_khojaly",
];

/// The model before the moves: the draft text with its two outstanding articles.
pub(crate) fn initial() -> Negotiation {
    let both = ["armenia", "azerbaijan"];
    Negotiation::builder()
        .party("armenia", "Armenia", Role::Principal)
        .party("azerbaijan", "Azerbaijan", Role::Principal)
        .party("osce", "OSCE", Role::Institution)
        .track(
            TrackSpec::new("peace", "Peace agreement", both)
                .stage(StageKind::Finalized)
                .stage(StageKind::Signed)
                .stage(StageKind::Ratified),
        )
        .track(
            TrackSpec::new("border", "Border delimitation regulation", both)
                .stage(StageKind::Finalized)
                .stage(StageKind::Signed),
        )
        .track(
            TrackSpec::new("transport", "Transport and communication links", both)
                .stage(StageKind::Finalized)
                .stage(StageKind::Signed),
        )
        .topic(
            "prisoners_of_war",
            "Armenian prisoners of war held in Azerbaijan",
        )
        .topic("legal_cases", "Interstate cases at the ICJ and the ECHR")
        .topic(
            "foreign_forces",
            "Third-party forces along the border (the EU mission)",
        )
        .topic("transport", "Transport and communication links")
        .topic("border", "Delimitation and demarcation of the border")
        .article(
            ArticleSpec::new(
                "recognition",
                "peace",
                "Mutual recognition of sovereignty and territorial integrity",
            )
            .accepted_by(both),
        )
        .article(
            ArticleSpec::new(
                "diplomatic_relations",
                "peace",
                "Establishment of diplomatic relations",
            )
            .accepted_by(both),
        )
        .article(
            ArticleSpec::new(
                "withdraw_interstate_claims",
                "peace",
                "Withdrawal of interstate claims from international courts",
            )
            .position("armenia", Position::Rejects)
            .position("azerbaijan", Position::Accepts)
            .addresses("legal_cases"),
        )
        .article(
            ArticleSpec::new(
                "no_third_party_forces",
                "peace",
                "No deployment of third-party forces along the border",
            )
            .position("armenia", Position::Rejects)
            .position("azerbaijan", Position::Accepts)
            .addresses("foreign_forces"),
        )
        .article(
            ArticleSpec::new(
                "transport_links",
                "peace",
                "Unblocking of transport and communication links",
            )
            .addresses("transport"),
        )
        .article(
            ArticleSpec::new(
                "border_commissions",
                "peace",
                "Joint activity of the border delimitation commissions",
            )
            .accepted_by(both)
            .addresses("border"),
        )
        .build()
        .expect("the seed model is valid")
}

/// The moves the seed reports, in order.
pub(crate) fn moves() -> Vec<Move> {
    let mut moves = vec![
        Move::move_article("armenia", "transport_links", "transport")
            .on(crate::date("2024"))
            .note("both agreed to discuss transport links separately"),
        Move::move_article("armenia", "border_commissions", "border").on(crate::date("2024")),
        Move::perform("armenia", "border.finalized").on(crate::date("2024-08-30")),
        Move::perform("azerbaijan", "border.finalized").on(crate::date("2024-08-30")),
        Move::perform("armenia", "border.signed").on(crate::date("2024-08-30")),
        Move::perform("azerbaijan", "border.signed").on(crate::date("2024-08-30")),
        Move::accept("armenia", "withdraw_interstate_claims").on(crate::date("2025-03-13")),
        Move::accept("armenia", "no_third_party_forces").on(crate::date("2025-03-13")),
        Move::perform("azerbaijan", "peace.finalized").on(crate::date("2025-03-13")),
        Move::perform("armenia", "peace.finalized").on(crate::date("2025-03-13")),
        Move::precondition(
            "azerbaijan",
            "amend_constitution",
            "Armenia amends its Constitution",
            ["armenia"],
            "peace.signed",
        )
        .on(crate::date("2025-03-13")),
        Move::contest("armenia", "amend_constitution").on(crate::date("2025-03-13")),
        Move::precondition(
            "azerbaijan",
            "dissolve_minsk_group",
            "The OSCE Minsk Group is formally dissolved",
            ["osce"],
            "peace.signed",
        )
        .on(crate::date("2025-03-13")),
    ];
    let descriptions = [
        "Armenia cancels its arms purchase contracts and returns delivered weapons",
        "Return and minority rights of \"Western Azerbaijanis\" in Armenia",
        "An unhindered \"Zangezur corridor\" through Armenia",
        "Return of \"Azerbaijani enclaves\"",
        "Recognition of the \"Khojaly massacre\" as genocide",
    ];
    for (id, description) in SEPARATE_DEMANDS.iter().zip(descriptions) {
        moves.push(
            Move::demand("azerbaijan", *id, description, ["armenia"]).on(crate::date("2025-03")),
        );
    }
    moves
}

/// The negotiation on 2025-03-13, with the transition of every move.
pub(crate) fn state() -> (Negotiation, Vec<negotiation::Transition>) {
    let mut neg = initial();
    let transitions = moves()
        .iter()
        .map(|m| neg.apply(m).unwrap_or_else(|e| panic!("{m}: {e}")))
        .collect();
    (neg, transitions)
}

fn id(neg: &Negotiation, key: &str) -> negotiation::NodeId {
    neg.node_id(key).unwrap_or_else(|| panic!("no node {key}"))
}

#[test]
fn text_is_finalized() {
    let (neg, _) = state();
    assert!(neg.is_satisfied(id(&neg, "peace.finalized")).unwrap());
    assert!(neg.is_satisfied(id(&neg, "border.signed")).unwrap());
}

#[test]
fn signature_is_blocked_only_through_azerbaijans_act() {
    let (neg, _) = state();
    let signed = id(&neg, "peace.signed");
    assert!(neg.is_blocked(signed).unwrap());
    assert!(!neg.is_blocked(id(&neg, "peace.signed.armenia")).unwrap());
    assert!(neg.is_blocked(id(&neg, "peace.signed.azerbaijan")).unwrap());
    let why = neg.blockers(signed).unwrap();
    let root = &why.entries()[0];
    assert_eq!(root.reason, negotiation::Reason::AllOf);
    let causes = why.causes(0);
    let azerbaijan = neg.party_id("azerbaijan").unwrap();
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0].step, Step::Act { party: azerbaijan });
    assert_eq!(
        why.entries()[causes[0].entry].node,
        id(&neg, "peace.signed.azerbaijan")
    );
}

#[test]
fn frontier_is_the_amendment_and_the_minsk_group() {
    let (neg, _) = state();
    let why = neg.blockers(id(&neg, "peace.signed")).unwrap();
    let amend = id(&neg, "amend_constitution");
    let minsk = id(&neg, "dissolve_minsk_group");
    assert_eq!(why.frontier(), vec![amend, minsk]);
    assert_eq!(neg.status(amend).unwrap(), negotiation::Status::Contested);
    let by_actor = why.by_actor(&neg).unwrap();
    assert_eq!(by_actor[&neg.party_id("armenia")], vec![amend]);
    assert_eq!(by_actor[&neg.party_id("osce")], vec![minsk]);
    assert_eq!(by_actor.len(), 2);
    let by_demander = why.by_demander(&neg);
    assert_eq!(by_demander[&neg.party_id("azerbaijan")], vec![amend, minsk]);
    assert_eq!(by_demander.len(), 1);
    // Both preconditions are Azerbaijan's, on its own act.
    for cause in (0..why.entries().len()).flat_map(|i| why.causes(i).to_vec()) {
        if matches!(why.entries()[cause.entry].node, n if n == amend || n == minsk) {
            assert_eq!(
                cause.step,
                Step::Precondition {
                    party: neg.party_id("azerbaijan").unwrap()
                }
            );
        }
    }
}

#[test]
fn separate_demands_block_nothing() {
    let (neg, _) = state();
    for key in SEPARATE_DEMANDS {
        let demand = id(&neg, key);
        assert!(
            neg.dependents(demand).unwrap().is_empty(),
            "{key} is required by something"
        );
        for target in neg.node_ids() {
            assert!(
                !neg.blockers(target)
                    .unwrap()
                    .unsatisfied(&neg)
                    .unwrap()
                    .contains(&demand),
                "{key} blocks {}",
                neg.key(target).unwrap()
            );
        }
    }
}

#[test]
fn prisoners_of_war_are_addressed_by_no_article() {
    let (neg, _) = state();
    let unaddressed: Vec<&str> = neg
        .unaddressed_topics()
        .iter()
        .map(|&t| neg.topic(t).unwrap().key())
        .collect();
    assert_eq!(unaddressed, ["prisoners_of_war"]);
    let article = neg
        .articles()
        .find(|a| a.key() == "transport_links")
        .unwrap();
    assert_eq!(article.id(), id(&neg, "transport_links"));
    assert_eq!(neg.track(article.track()).unwrap().key(), "transport");
    // The tracks in id order, with their handles.
    let tracks: Vec<(usize, &str)> = neg.tracks().map(|t| (t.id().index(), t.key())).collect();
    assert_eq!(tracks[0].0, 0);
    assert!(tracks.iter().any(|&(_, k)| k == "transport"));
}

#[test]
fn signature_follows_once_both_conditions_are_fulfilled() {
    let (mut neg, _) = state();
    let t = neg
        .apply(&Move::fulfil("armenia", "amend_constitution"))
        .unwrap();
    assert_eq!(
        t.concession,
        Some(ConcessionKind::FulfilledContested(id(
            &neg,
            "amend_constitution"
        )))
    );
    assert!(t.newly_unblocked.is_empty(), "the Minsk Group still blocks");
    let t = neg
        .apply(&Move::fulfil("osce", "dissolve_minsk_group"))
        .unwrap();
    let signed = id(&neg, "peace.signed");
    assert_eq!(
        t.newly_unblocked,
        vec![signed, id(&neg, "peace.signed.azerbaijan")]
    );
    assert!(!neg.is_blocked(signed).unwrap());
    assert!(neg.blockers(signed).unwrap().is_empty());
    neg.apply(&Move::perform("azerbaijan", "peace.signed"))
        .unwrap();
    let t = neg
        .apply(&Move::perform("armenia", "peace.signed"))
        .unwrap();
    assert_eq!(t.reached, vec![signed]);
}

#[test]
fn linking_a_separate_demand_blocks_the_signature_again() {
    let (mut neg, _) = state();
    neg.apply(&Move::fulfil("armenia", "amend_constitution"))
        .unwrap();
    neg.apply(&Move::fulfil("osce", "dissolve_minsk_group"))
        .unwrap();
    let signed = id(&neg, "peace.signed");
    let t = neg
        .apply(&Move::link(
            "azerbaijan",
            "zangezur_corridor",
            "peace.signed",
        ))
        .unwrap();
    assert_eq!(
        t.newly_blocked,
        vec![signed, id(&neg, "peace.signed.azerbaijan")]
    );
    assert_eq!(
        neg.blockers(signed).unwrap().frontier(),
        vec![id(&neg, "zangezur_corridor")]
    );
    let err = neg
        .apply(&Move::perform("azerbaijan", "peace.signed"))
        .unwrap_err();
    assert!(
        matches!(err, negotiation::MoveError::Blocked { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("zangezur_corridor"), "{err}");
}

#[test]
fn armenias_concessions_are_recorded_as_concessions() {
    let (neg, transitions) = state();
    let concessions: Vec<(String, Option<ConcessionKind>)> = moves()
        .iter()
        .zip(&transitions)
        .filter(|(_, t)| t.is_concession())
        .map(|(m, t)| (m.to_string(), t.concession))
        .collect();
    assert_eq!(
        concessions,
        vec![
            (
                "armenia accepts withdraw_interstate_claims".to_owned(),
                Some(ConcessionKind::AcceptedRejected(id(
                    &neg,
                    "withdraw_interstate_claims"
                )))
            ),
            (
                "armenia accepts no_third_party_forces".to_owned(),
                Some(ConcessionKind::AcceptedRejected(id(
                    &neg,
                    "no_third_party_forces"
                )))
            ),
        ]
    );
}

#[test]
fn rendering_of_the_blockers_of_signature() {
    let (neg, _) = state();
    let text = neg
        .blockers(id(&neg, "peace.signed"))
        .unwrap()
        .display(&neg)
        .to_string();
    println!("{text}");
    assert!(text.contains("amend_constitution"));
    assert!(text.contains("owed by OSCE"));
    assert!(text.contains("Azerbaijan's precondition"));
}

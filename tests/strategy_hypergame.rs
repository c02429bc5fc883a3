//! Hypergames: the conflict as each decision maker perceives it.

use negotiation::strategy::{
    Concept, Conflict, ConflictBuilder, ConflictError, HypergameError, StateId,
};
use proptest::prelude::*;

fn patterns(c: &Conflict, states: Vec<StateId>) -> Vec<String> {
    states.into_iter().map(|s| c.pattern(s).unwrap()).collect()
}

/// The Fall of France (1940) as a first-level hypergame, after Bennett's and Fraser & Hipel's
/// treatments, reduced by hand to three options: the Allies may advance into Belgium
/// (`advance`); Germany may attack through Belgium (`north`) or through the Ardennes
/// (`ardennes`), not both. The Allies do not know the Ardennes attack is an option.
///
/// Patterns are advance, north, ardennes; states by code: 1 NNN, 2 YNN, 3 NYN, 4 YYN, 5 NNY,
/// 6 YNY. Allies, best first: NNN, YYN (meet the attack), YNN, NYN, NNY, YNY (trapped in
/// Belgium). Germany: YNY, NYN, NNY, NNN, YNN, YYN.
///
/// By hand, SEQ:
/// - The Allies' view has NNN, YNN, NYN, YYN; Germany there can only attack north.
///   NNN: the Allies have no improvement; Germany's NNN→NYN is answered by the Allies'
///   improvement NYN→YYN, Germany's worst: stable for both. YNN: the Allies' YNN→NNN is
///   answered by Germany's improvement NNN→NYN, which the Allies rank below YNN; Germany's
///   only move (to YYN) is no improvement: stable for both. NYN: the Allies improve to YYN,
///   and Germany's only improvement from there, YYN→YNN, is better for the Allies than NYN:
///   unstable. YYN: Germany improves to YNN and the Allies' answer YNN→NNN is better for
///   Germany than YYN: unstable. The Allies' view has equilibria NNN and YNN.
/// - Germany perceives everything: its view is the conflict. At NNN its move to NNY draws no
///   improving answer (the Allies' only move from NNY, to YNY, is their worst): unstable for
///   Germany. Germany is stable at NYN (no improvement), NNY (its improvement to NYN is
///   answered by the Allies' YYN) and YNY (its best); unstable at YNN and YYN (to YNY, whose
///   answer NNY Germany prefers). At NYN the Allies' move to YYN is answered by Germany's
///   improvement to YNY, the Allies' worst: stable for the Allies, and NYN is an equilibrium;
///   so is NNY (the Allies' only move, to YNY, is worse); YNY is not (the Allies improve to
///   NNY and Germany's answer NYN is better for the Allies than YNY).
/// - Hypergame equilibria, among states 1–4 (perceived by both): Germany is stable in its own
///   view only at NYN, where the Allies, not seeing the Ardennes, would advance: none.
///   Common equilibria: {NNN, YNN} ∩ {NYN, NNY}: none.
fn fall_of_france() -> Conflict {
    let mut b = france();
    b = b.unaware("Allies", "ardennes");
    b.build().unwrap()
}

/// The Fall of France as Germany sees it: the conflict without the Allies' misperception.
fn france() -> ConflictBuilder {
    let mut b = ConflictBuilder::new();
    b = b.option("advance").option("north").option("ardennes");
    b = b.decision_maker("Allies", ["advance"]);
    b = b.decision_maker("Germany", ["north", "ardennes"]);
    b = b.mutually_exclusive(["north", "ardennes"]);
    b = b.rank(
        "Allies",
        [["NNN"], ["YYN"], ["YNN"], ["NYN"], ["NNY"], ["YNY"]],
    );
    b = b.rank(
        "Germany",
        [["YNY"], ["NYN"], ["NNY"], ["NNN"], ["YNN"], ["YYN"]],
    );
    b
}

#[test]
fn fall_of_france_hypergame() {
    let c = fall_of_france();
    let h = c.hypergame().unwrap();
    let allies = c.dm_id("Allies").unwrap();
    let germany = c.dm_id("Germany").unwrap();
    let s = |p: &str| c.state(&p.into()).unwrap();
    let seq = Concept::Seq;
    assert_eq!(h.view(allies).unwrap().state_count(), 4);
    // Germany's view is the conflict without misperceptions.
    assert_eq!(h.view(germany).unwrap(), &france().build().unwrap());
    assert_eq!(
        patterns(&c, h.perceived_states(allies).unwrap()),
        ["NNN", "YNN", "NYN", "YYN"]
    );
    assert!(!h.perceives(allies, s("NNY")).unwrap());
    assert_eq!(h.to_view(allies, s("YYN")).map(|v| v.number()), Some(4));
    assert_eq!(
        patterns(&c, h.view_equilibria(seq, allies).unwrap()),
        ["NNN", "YNN"]
    );
    assert!(h.stable_in_view(seq, allies, s("NNN")).unwrap());
    assert!(!h.stable_in_view(seq, germany, s("NNN")).unwrap());
    assert!(!h.stable_in_view(seq, allies, s("NYN")).unwrap());
    let full = c.analyse();
    assert_eq!(
        patterns(&c, h.view_equilibria(seq, germany).unwrap()),
        ["NYN", "NNY"]
    );
    assert_eq!(
        h.view_equilibria(seq, germany).unwrap(),
        full.equilibria(seq)
    );
    // In the full game the Allies hold at NYN (the Ardennes trap deters the advance); in
    // their own view they do not.
    assert!(full
        .is_stable(seq, full.mover("Allies").unwrap(), s("NYN"))
        .unwrap());
    assert!(h.equilibria(seq).is_empty());
    assert!(h.common_equilibria(seq).is_empty());
    let text = h.display(&c).to_string();
    assert!(text.starts_with("Allies does not perceive: 5 6\nGermany does not perceive: none\n"));
    assert!(text.contains("SEQ: hypergame equilibria: none; common equilibria: none\n"));
    assert!(text.contains("  in the view of Allies: stable for Allies: 1 2 4; equilibria: 1 2\n"));
}

#[test]
fn a_decision_maker_that_perceives_nothing_is_an_error() {
    let mut b = ConflictBuilder::new();
    b = b.option("a").option("b");
    b = b.decision_maker("A", ["a"]).decision_maker("B", ["b"]);
    b = b.prioritize("A", ["a"]).prioritize("B", ["b"]);
    b = b.misperceive("B", "a | !a");
    let c = b.build().unwrap();
    let e = c.hypergame().unwrap_err();
    assert_eq!(e, HypergameError::NothingPerceived("B".into()));
    assert!(e.to_string().contains("`B`"));
}

/// The GMCR+ sample with misperceptions: Syria does not perceive the states where it releases
/// water without escalating, Iraq those where Syria does neither.
#[cfg(feature = "serde")]
#[test]
fn gmcr_file_misperceptions_form_views() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/gmcr/syria_iraq.gmcr"),
    )
    .unwrap();
    let c = Conflict::from_gmcr(&text).unwrap();
    let h = c.hypergame().unwrap();
    for d in c.dm_ids() {
        let view = h.view(d).unwrap();
        assert_eq!(view.state_count(), c.state_count() - 2);
        // A view's own analysis agrees with the hypergame's record of it.
        let a = view.analyse();
        for concept in Concept::ALL {
            let mapped: Vec<StateId> = h
                .view_equilibria(concept, d)
                .unwrap()
                .into_iter()
                .map(|s| h.to_view(d, s).unwrap())
                .collect();
            assert_eq!(mapped, a.equilibria(concept));
        }
    }
    // Hypergame equilibria recomputed from the views' own analyses: perceived by everyone
    // and stable for each decision maker in its view.
    let analyses: Vec<_> = c.dm_ids().map(|d| h.view(d).unwrap().analyse()).collect();
    for concept in Concept::ALL {
        let want: Vec<StateId> = c
            .states()
            .filter(|&s| {
                c.dm_ids().zip(&analyses).all(|(d, a)| {
                    h.to_view(d, s).is_some_and(|v| {
                        a.is_stable(concept, a.mover_ids().nth(d.index()).unwrap(), v)
                            .unwrap()
                    })
                })
            })
            .collect();
        assert_eq!(h.equilibria(concept), want, "{concept:?}");
    }
    assert!(Concept::ALL
        .into_iter()
        .any(|k| !h.equilibria(k).is_empty()));
}

/// Random conflicts with prioritized preferences and misperceptions given as statements.
fn conflicts(misperceive: bool) -> impl Strategy<Value = (ConflictBuilder, Conflict, Extra)> {
    (1usize..=5)
        .prop_flat_map(|n| (Just(n), 1usize..=n.min(3)))
        .prop_flat_map(move |(n, dms)| {
            let owners = proptest::collection::vec(0..dms, n);
            let literal = (0..n, any::<bool>());
            let conj = proptest::collection::vec(literal, 1..=2);
            let infeasible = proptest::collection::vec(conj.clone(), 0..=1);
            let statement = proptest::collection::vec(conj.clone(), 1..=2);
            let prefs = proptest::collection::vec(proptest::collection::vec(statement, 1..=4), dms);
            let misp = proptest::collection::vec(
                proptest::collection::vec(conj, 0..=if misperceive { 2 } else { 0 }),
                dms,
            );
            let levels = proptest::collection::vec(0u32..4, 1 << n);
            (Just(n), Just(dms), owners, infeasible, prefs, misp, levels)
        })
        .prop_filter_map(
            "needs a feasible state",
            move |(n, dms, mut owners, inf, prefs, misp, levels)| {
                use crate::strategy::{conjunction, statements};
                let mut b = crate::strategy::declare(n, dms, &mut owners, None);
                for c in &inf {
                    b = b.infeasible(conjunction(c));
                }
                for (d, st) in prefs.iter().enumerate() {
                    b = b.prioritize(&format!("D{d}"), statements(st));
                }
                for (d, m) in misp.iter().enumerate() {
                    for c in m {
                        b = b.misperceive(&format!("D{d}"), conjunction(c));
                    }
                }
                // D0 ranks the states by `levels` instead; with misperceptions, D1 believes
                // D0's preferences are the prioritized ones generated for it.
                let d0: Vec<String> = statements(&prefs[0]);
                let c0 = b.clone().build().ok()?;
                b = b.rank("D0", ranking(&c0, &levels));
                if misperceive && dms >= 2 {
                    b = b.perceive_prioritized("D1", "D0", d0.clone());
                }
                let c = b.clone().build().ok()?;
                Some((b, c, Extra { levels, d0 }))
            },
        )
}

/// What the oracle needs beside the builder: D0's levels by code and its prioritized
/// statements (D1's belief, with misperceptions).
#[derive(Clone, Debug)]
struct Extra {
    levels: Vec<u32>,
    d0: Vec<String>,
}

/// Tiers of `c`'s states by `levels[code]`, highest first.
fn ranking(c: &Conflict, levels: &[u32]) -> Vec<Vec<String>> {
    let mut distinct: Vec<u32> = c
        .states()
        .map(|s| levels[c.code(s).unwrap() as usize])
        .collect();
    distinct.sort_unstable_by(|a, b| b.cmp(a));
    distinct.dedup();
    distinct
        .into_iter()
        .map(|l| {
            c.states()
                .filter(|&s| levels[c.code(s).unwrap() as usize] == l)
                .map(|s| c.pattern(s).unwrap())
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Without misperceptions, hypergame and common equilibria are `analyse`'s.
    #[test]
    fn no_misperceptions_means_the_plain_equilibria((_, c, _) in conflicts(false)) {
        let h = c.hypergame().unwrap();
        let a = c.analyse();
        for concept in Concept::ALL {
            prop_assert_eq!(h.equilibria(concept), a.equilibria(concept));
            prop_assert_eq!(h.common_equilibria(concept), a.equilibria(concept));
            for (d, m) in c.dm_ids().zip(a.mover_ids()) {
                prop_assert_eq!(h.view(d).unwrap(), &c);
                for s in c.states() {
                    prop_assert_eq!(h.stable_in_view(concept, d, s).unwrap(), a.is_stable(concept, m, s).unwrap());
                }
            }
        }
    }

    /// Each view is the conflict built with the viewer's misperceptions as infeasibilities
    /// (prioritized preferences carry over unchanged, D0's ranking is restricted to the view's
    /// states, and D1 sees D0 with the preferences it believes); stability in it, hypergame and common
    /// equilibria follow from those conflicts' analyses.
    #[test]
    fn views_are_the_conflicts_each_perceives((b, c, x) in conflicts(true)) {
        let Ok(h) = c.hypergame() else {
            // Someone perceives nothing: then its misperceptions cover every state.
            let blind = c.decision_makers().iter().any(|dm| {
                c.states().all(|s| dm.misperceptions().iter().any(|m| m.holds(c.code(s).unwrap())))
            });
            prop_assert!(blind);
            return Ok(());
        };
        let mut views = Vec::new();
        for (i, dm) in c.decision_makers().iter().enumerate() {
            let mut vb = b.clone();
            for m in dm.misperceptions() {
                vb = vb.infeasible(m.clone());
            }
            // D0's ranking restricted to the view's states; D1 sees D0 as it believes.
            let probe = vb.clone().prioritize("D0", x.d0.clone());
            let states = probe.build().unwrap();
            if i == 1 {
                vb = vb.prioritize("D0", x.d0.clone());
            } else {
                vb = vb.rank("D0", ranking(&states, &x.levels));
            }
            let view = vb.build().unwrap();
            let d = c.dm_ids().nth(i).unwrap();
            let got = h.view(d).unwrap();
            prop_assert_eq!(got.state_count(), view.state_count());
            let (ga, va) = (got.analyse(), view.analyse());
            for concept in Concept::ALL {
                let ge: Vec<u64> = ga.equilibria(concept).into_iter().map(|s| got.code(s).unwrap()).collect();
                let ve: Vec<u64> = va.equilibria(concept).into_iter().map(|s| view.code(s).unwrap()).collect();
                prop_assert_eq!(ge, ve.clone());
                let he: Vec<u64> = h.view_equilibria(concept, d).unwrap().into_iter().map(|s| c.code(s).unwrap()).collect();
                prop_assert_eq!(he, ve);
            }
            views.push(view);
        }
        for concept in Concept::ALL {
            let analyses: Vec<_> = views.iter().map(|v| v.analyse()).collect();
            let want: Vec<StateId> = c
                .states()
                .filter(|&s| {
                    views.iter().zip(&analyses).enumerate().all(|(i, (v, a))| {
                        v.state_of_code(c.code(s).unwrap()).is_some_and(|vs| {
                            a.is_stable(concept, a.mover_ids().nth(i).unwrap(), vs).unwrap()
                        })
                    })
                })
                .collect();
            prop_assert_eq!(h.equilibria(concept), want);
            let common: Vec<StateId> = c
                .states()
                .filter(|&s| {
                    views.iter().zip(&analyses).all(|(v, a)| {
                        v.state_of_code(c.code(s).unwrap())
                            .is_some_and(|vs| a.equilibria(concept).contains(&vs))
                    })
                })
                .collect();
            prop_assert_eq!(h.common_equilibria(concept), common);
        }
    }
}

/// A misperceived preference, on the Prisoner's Dilemma (options: each prisoner cooperates;
/// P1 ranks NY > YY > NN > YN, P2 YN > YY > NN > NY). P1 believes P2 would never defect
/// first: YY > NY > YN > NN for P2.
///
/// By hand, SEQ. In P1's view: at YY, P1's defection to NY draws no improving answer (P2's
/// only move, NY→NN, is worse for P2 as P1 sees it): unstable for P1. P1 is stable at NN and
/// NY (no improvement) and unstable at YN (its defection to NN is answered only by P2's move
/// to NY, better for P1). P2, as P1 sees it, is stable at NY (no improvement) and unstable at
/// NN (its move to NY draws no improvement of P1's); so P1's view has one equilibrium, NY.
/// P2's view is the conflict: equilibria NN and YY; P2 is stable at NN, YN and YY.
/// Hypergame equilibria: P1-stable {NN, NY} ∩ P2-stable {NN, YN, YY} = {NN}: believing it can
/// exploit P2, P1 does not hold at mutual cooperation. Common equilibria: {NY} ∩ {NN, YY} = ∅.
#[test]
fn misperceived_preferences() {
    let mut b = ConflictBuilder::new();
    b = b.option("c1").option("c2");
    b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    b = b.perceive_rank("P1", "P2", [["YY"], ["NY"], ["YN"], ["NN"]]);
    let c = b.clone().build().unwrap();
    let (p1, p2) = (c.dm_id("P1").unwrap(), c.dm_id("P2").unwrap());
    assert_eq!(c.decision_makers()[p1.index()].beliefs().len(), 1);
    let s = |p: &str| c.state(&p.into()).unwrap();
    let seq = Concept::Seq;
    assert_eq!(
        patterns(&c, c.analyse().equilibria(seq)),
        ["NN", "YY"],
        "the beliefs do not change the plain analysis"
    );
    let h = c.hypergame().unwrap();
    let view = h.view(p1).unwrap();
    // The view is a conflict of its own: its handles, not the conflict's.
    let (v2, vyy) = (view.dm_id("P2").unwrap(), h.to_view(p1, s("YY")).unwrap());
    assert_eq!(view.payoff(v2, vyy).unwrap(), 3);
    assert!(view.decision_makers()[p1.index()].beliefs().is_empty());
    assert!(!h.stable_in_view(seq, p1, s("YY")).unwrap());
    assert_eq!(patterns(&c, h.view_equilibria(seq, p1).unwrap()), ["NY"]);
    assert_eq!(
        patterns(&c, h.view_equilibria(seq, p2).unwrap()),
        ["NN", "YY"]
    );
    assert_eq!(patterns(&c, h.equilibria(seq)), ["NN"]);
    assert!(h.common_equilibria(seq).is_empty());

    // Bad beliefs are named.
    let bad = b.clone().perceive_prioritized("P1", "P1", ["c1"]);
    let e = bad.build().unwrap_err();
    assert!(
        matches!(&e, ConflictError::Belief { viewer, at, .. } if viewer == "P1" && at == "beliefs[1]")
    );
    let bad = b.clone().perceive_prioritized("P2", "Nobody", ["c1"]);
    assert_eq!(
        bad.build().unwrap_err().to_string(),
        "decision maker `P2`, beliefs[1]: unknown decision maker `Nobody`"
    );
    let bad = b.clone().perceive_rank("P2", "P1", [["YY"], ["NY"]]);
    assert!(bad.build().unwrap_err().to_string().contains("omits"));
    let bad = b.perceive_prioritized("P2", "P1", ["nope"]);
    assert!(matches!(
        bad.build().unwrap_err(),
        ConflictError::UnknownOption { .. }
    ));
}

/// The results serialize for JSON answers (without the views, which are conflicts).
#[cfg(feature = "serde")]
#[test]
fn results_serialize() {
    let c = fall_of_france();
    let json = serde_json::to_value(c.hypergame().unwrap()).unwrap();
    assert!(json.get("views").is_none());
    // The Allies (decision maker 0) do not perceive states 5 and 6 (ids 4 and 5).
    assert_eq!(
        json["perceived"][0],
        serde_json::json!([0, 1, 2, 3, null, null])
    );
}

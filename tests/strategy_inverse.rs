//! Inverse GMCR: textbook games stated exactly, answers verified by the forward analysis on
//! random conflicts, and minimality against a brute-force oracle on tiny ones.

use negotiation::strategy::{
    Answer, Concept, Conflict, ConflictBuilder, DmId, Inverse, InverseError, InverseOptions,
    NoAnswer, Placement, Reason, StateId, StateRef,
};
use proptest::prelude::*;

fn two_by_two(names: [&str; 2], first: [&str; 4], second: [&str; 4]) -> Conflict {
    let mut b = ConflictBuilder::new();
    b = b
        .option(format!("{} acts", names[0]))
        .option(format!("{} acts", names[1]));
    b = b.decision_maker(names[0], [format!("{} acts", names[0])]);
    b = b.decision_maker(names[1], [format!("{} acts", names[1])]);
    b = b.rank(names[0], first.map(|p| [p]));
    b = b.rank(names[1], second.map(|p| [p]));
    b.build().unwrap()
}

/// The Prisoner's Dilemma (Fang, Hipel & Kilgour 1993): each prisoner's option is to
/// cooperate; P1 ranks NY > YY > NN > YN, P2 YN > YY > NN > NY.
fn prisoners_dilemma() -> Conflict {
    two_by_two(
        ["P1", "P2"],
        ["NY", "YY", "NN", "YN"],
        ["YN", "YY", "NN", "NY"],
    )
}

/// Chicken: the option is to swerve; each driver prefers the other to swerve alone, then
/// both, then swerving alone, and a crash least.
fn chicken() -> Conflict {
    two_by_two(
        ["D1", "D2"],
        ["NY", "YY", "YN", "NN"],
        ["YN", "YY", "NY", "NN"],
    )
}

fn state(c: &Conflict, pattern: &str) -> StateId {
    c.state(&StateRef::from(pattern)).unwrap()
}

fn dm(c: &Conflict, name: &str) -> DmId {
    c.dm_id(name).unwrap()
}

/// Runs the inverse and checks what every answer must satisfy: the new preferences make the
/// state an equilibrium (by the forward analysis), an equilibrium needs no change, and answers
/// of one result cost the same.
fn check(c: &Conflict, s: StateId, concept: Concept, options: &InverseOptions) -> Inverse {
    let inverse = c.inverse(s, concept, options).unwrap();
    let stable = c.analyse().equilibria(concept).contains(&s);
    assert_eq!(inverse.is_already_stable(), stable);
    if stable {
        assert_eq!(inverse.answers.len(), 1);
        assert!(inverse.answers[0].changes.is_empty());
        assert!(inverse.exact);
    }
    for a in &inverse.answers {
        let changed = a.apply(c).unwrap();
        assert!(
            changed.analyse().equilibria(concept).contains(&s),
            "{concept}: {a:?} does not make {} an equilibrium",
            s.display(c)
        );
        assert_eq!(a.cost(), inverse.answers[0].cost());
        assert_eq!(a.changed().len(), a.rankings.len());
    }
    if inverse.answers.is_empty() {
        assert!(inverse.obstacle.is_some());
    }
    inverse
}

fn moved(c: &Conflict, a: &Answer) -> Vec<(String, String)> {
    a.changes
        .iter()
        .map(|ch| {
            (
                c.dm_name(ch.dm).unwrap().to_string(),
                c.pattern(ch.state).unwrap(),
            )
        })
        .collect()
}

#[test]
fn prisoners_dilemma_cooperation_needs_each_to_stop_preferring_defection() {
    let pd = prisoners_dilemma();
    let yy = state(&pd, "YY");
    let x = check(&pd, yy, Concept::Nash, &InverseOptions::new().answers(5));
    assert!(x.exact);
    assert_eq!(x.lower_bound, 2);
    assert_eq!(x.unstable_for, [dm(&pd, "P1"), dm(&pd, "P2")]);
    // Exactly one answer: P1 no longer prefers defecting alone (NY) to mutual cooperation,
    // P2 no longer prefers YN to it.
    assert_eq!(x.answers.len(), 1);
    let a = &x.answers[0];
    assert_eq!(
        moved(&pd, a),
        [("P1".into(), "NY".into()), ("P2".into(), "YN".into())]
    );
    for ch in &a.changes {
        assert_eq!(ch.placement, Placement::TiedWith(yy));
        assert_eq!(ch.reason, Reason::Improvement);
    }
    assert_eq!(a.changes_of(dm(&pd, "P1")).count(), 1);
    assert_eq!(a.changed(), [dm(&pd, "P1"), dm(&pd, "P2")]);
    // P1's new ranking: NY is tied with YY at the top, the rest as before.
    let p1 = a
        .rankings
        .iter()
        .find(|(d, _)| *d == dm(&pd, "P1"))
        .unwrap();
    let tiers: Vec<Vec<String>> =
        p1.1.iter()
            .map(|t| t.iter().map(|&s| pd.pattern(s).unwrap()).collect())
            .collect();
    assert_eq!(tiers, [vec!["NY", "YY"], vec!["NN"], vec!["YN"]]);
    let text = x.display(&pd).to_string();
    assert!(text.contains("- P1:\n    - must come to prefer"), "{text}");
    assert!(
        text.contains("must come to prefer 4 (YY) at least as much as 3 (NY: P1 acts→N)"),
        "{text}"
    );
    // Mutual cooperation is GMR-stable already: each defection is answered by the other's.
    let gmr = check(&pd, yy, Concept::Gmr, &InverseOptions::new());
    assert!(gmr.is_already_stable());
    assert!(gmr.display(&pd).to_string().contains("no change needed"));
}

#[test]
fn chicken_both_swerving() {
    let c = chicken();
    let yy = state(&c, "YY");
    // Nash: each driver must stop preferring to go straight while the other swerves.
    let nash = check(&c, yy, Concept::Nash, &InverseOptions::new());
    assert!(nash.exact);
    assert_eq!(
        moved(&c, &nash.answers[0]),
        [("D1".into(), "NY".into()), ("D2".into(), "YN".into())]
    );
    // GMR: stable already (going straight can be answered by a crash).
    assert!(check(&c, yy, Concept::Gmr, &InverseOptions::new()).is_already_stable());
    // SEQ: the crash is no improvement for the one who would cause it. One change per driver:
    // either it stops preferring to go straight, or the other comes to prefer the crash to
    // being the one who swerves (so that it answers).
    let seq = check(&c, yy, Concept::Seq, &InverseOptions::new().answers(10));
    assert!(seq.exact);
    assert_eq!(seq.answers[0].cost(), 2);
    assert!(seq.answers.len() >= 2, "{seq:?}");
    let answered = seq.answers.iter().any(|a| {
        a.changes.iter().any(|ch| {
            ch.dm == dm(&c, "D2")
                && matches!(ch.reason, Reason::Deters { mover, .. } if mover == dm(&c, "D1"))
        })
    });
    assert!(answered, "{seq:?}");
}

#[test]
fn kept_preferences_can_make_it_impossible() {
    let pd = prisoners_dilemma();
    let yy = state(&pd, "YY");
    let p1 = dm(&pd, "P1");
    let x = check(&pd, yy, Concept::Nash, &InverseOptions::new().keep(p1));
    assert!(x.answers.is_empty());
    assert_eq!(
        x.obstacle,
        Some(NoAnswer::Undeterrable {
            mover: p1,
            improvement: state(&pd, "NY")
        })
    );
    assert!(x
        .display(&pd)
        .to_string()
        .contains("no allowed change deters P1"));
    // Mutual defection is an equilibrium already: keeping P1 changes nothing there.
    let nn = state(&pd, "NN");
    assert!(check(&pd, nn, Concept::Gmr, &InverseOptions::new().keep(p1)).is_already_stable());
}

#[test]
fn too_few_changes_allowed() {
    let pd = prisoners_dilemma();
    let yy = state(&pd, "YY");
    let x = check(
        &pd,
        yy,
        Concept::Nash,
        &InverseOptions::new().max_changes(1),
    );
    assert!(x.answers.is_empty());
    assert_eq!(x.obstacle, Some(NoAnswer::TooManyChanges { max: 1 }));
}

#[test]
fn a_spent_budget_says_so() {
    let pd = prisoners_dilemma();
    let yy = state(&pd, "YY");
    // With no node explored, the answer that makes everyone Nash-stable is still returned,
    // verified, and marked as an upper bound.
    let x = check(&pd, yy, Concept::Nash, &InverseOptions::new().budget(0));
    assert!(!x.exact);
    assert_eq!(x.explored, 0);
    assert_eq!(x.best().map(Answer::cost), Some(2));
    assert!(x.display(&pd).to_string().contains("fewer may too"));
    // In Chicken with driver 1's preferences kept there is no such answer: out of budget,
    // nothing found; with the budget, driver 2 must come to answer by going straight.
    let c = chicken();
    let (yy, d1) = (state(&c, "YY"), dm(&c, "D1"));
    let x = check(
        &c,
        yy,
        Concept::Seq,
        &InverseOptions::new().budget(1).keep(d1),
    );
    assert!(!x.exact);
    assert!(x.answers.is_empty());
    assert_eq!(x.obstacle, Some(NoAnswer::Budget));
    assert!(x
        .display(&c)
        .to_string()
        .contains("budget of 1 search nodes ran out"));
    let x = check(&c, yy, Concept::Seq, &InverseOptions::new().keep(d1));
    assert!(x.exact);
    assert_eq!(x.best().map(Answer::cost), Some(2));
    // A larger conflict: a budget too small for an exact answer still gives verified answers
    // or says that none was found.
    let c = tangle();
    let mut cut = 0;
    for (s, concept) in c.states().flat_map(|s| Concept::ALL.map(|k| (s, k))) {
        for budget in [1, 3] {
            let x = check(&c, s, concept, &InverseOptions::new().budget(budget));
            assert!(x.exact || x.explored == budget);
            if !x.exact {
                cut += 1;
                assert!(x.lower_bound <= x.best().map_or(usize::MAX, Answer::cost));
            }
        }
    }
    assert!(cut > 0);
}

/// Three decision makers with two options each, whose preferences depend on the others'
/// options: 64 states.
fn tangle() -> Conflict {
    let mut b = ConflictBuilder::new();
    for d in 0..3 {
        b = b.option(format!("a{d}")).option(format!("b{d}"));
        b = b.decision_maker(format!("D{d}"), [format!("a{d}"), format!("b{d}")]);
    }
    for d in 0..3 {
        let (n, p) = ((d + 1) % 3, (d + 2) % 3);
        b = b.prioritize(
            &format!("D{d}"),
            [
                format!("a{n} | !b{d}"),
                format!("a{d} iff b{p}"),
                format!("!a{p}"),
                format!("b{n} & !b{d}"),
            ],
        );
    }
    b.build().unwrap()
}

/// Four decision makers, one option each, every one preferring not to act: the state where all
/// act is unstable for all.
fn ladder(n: usize) -> Conflict {
    let mut b = ConflictBuilder::new();
    for k in 0..n {
        b = b.option(format!("o{k}"));
        b = b.decision_maker(format!("D{k}"), [format!("o{k}")]);
    }
    for k in 0..n {
        b = b.prioritize(
            &format!("D{k}"),
            [format!("!o{k}"), format!("o{}", (k + 1) % n)],
        );
    }
    b.build().unwrap()
}

#[test]
fn bad_ids_are_refused() {
    let pd = prisoners_dilemma();
    let yy = state(&pd, "YY");
    let other = ladder(3);
    let far = other.states().last().unwrap(); // state 8: PD has 4
    assert_eq!(
        pd.inverse(far, Concept::Nash, &InverseOptions::new()),
        Err(InverseError::UnknownState {
            index: 7,
            states: 4
        })
    );
    let d3 = other.dm_id("D2").unwrap();
    let e = pd
        .inverse(yy, Concept::Nash, &InverseOptions::new().keep(d3))
        .unwrap_err();
    assert_eq!(e, InverseError::UnknownDecisionMaker { index: 2, count: 2 });
    assert!(e.to_string().contains("decision maker id 2"));
    // An answer does not apply to another conflict, nor to one built alike.
    let x = pd
        .inverse(yy, Concept::Nash, &InverseOptions::new())
        .unwrap();
    for elsewhere in [other.clone(), prisoners_dilemma()] {
        let e = x.answers[0].apply(&elsewhere).unwrap_err();
        assert_eq!(e, InverseError::AnswerOfAnotherConflict);
    }
    // Rankings of one's own are checked by shape, each error naming the id.
    let p1 = pd.dm_id("P1").unwrap();
    let states: Vec<StateId> = pd.states().collect();
    let own = |tiers: Vec<Vec<StateId>>| Answer::from_rankings(vec![(p1, tiers)]).apply(&pd);
    let e = own(vec![states[..3].to_vec()]).unwrap_err();
    assert_eq!(e, InverseError::AnswerMissingState { dm: 0, index: 3 });
    assert!(e.to_string().contains("decision maker id 0"), "{e}");
    assert!(e.to_string().contains("state id 3"), "{e}");
    let e = own(vec![states.clone(), vec![states[1]]]).unwrap_err();
    assert_eq!(e, InverseError::AnswerRepeatedState { dm: 0, index: 1 });
    // Ids read from JSON belong to no conflict: checked by range.
    let unbound_state: StateId = serde_json::from_str("7").unwrap();
    let e = own(vec![states.clone(), vec![unbound_state]]).unwrap_err();
    assert_eq!(
        e,
        InverseError::AnswerState {
            dm: 0,
            index: 7,
            states: 4
        }
    );
    let unbound_dm: DmId = serde_json::from_str("2").unwrap();
    let e = Answer::from_rankings(vec![(unbound_dm, vec![states.clone()])])
        .apply(&pd)
        .unwrap_err();
    assert_eq!(e, InverseError::AnswerDecisionMaker { index: 2, count: 2 });
    // Another conflict's ids in rankings of one's own are refused as such.
    let e = Answer::from_rankings(vec![(other.dm_ids().next().unwrap(), vec![states])])
        .apply(&pd)
        .unwrap_err();
    assert_eq!(e, InverseError::AnswerOfAnotherConflict);
}

#[test]
fn deterministic() {
    let c = ladder(3);
    let top = c.states().last().unwrap();
    for concept in Concept::ALL {
        let o = InverseOptions::new().answers(3);
        let a = c.inverse(top, concept, &o).unwrap();
        let b = c.inverse(top, concept, &o).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.display(&c).to_string(), b.display(&c).to_string());
    }
}

#[cfg(feature = "serde")]
#[test]
fn serializes() {
    let pd = prisoners_dilemma();
    let x = pd
        .inverse(state(&pd, "YY"), Concept::Nash, &InverseOptions::new())
        .unwrap();
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(json["concept"], "nash");
    assert_eq!(json["state"], 3);
    assert_eq!(
        json["answers"][0]["changes"][0]["placement"]["tied_with"],
        3
    );
    assert_eq!(json["answers"][0]["changes"][0]["reason"], "improvement");
}

/// A random conflict: 2 or 3 decision makers, 2 to 5 options, random directions, and a random
/// ranking (with ties) per decision maker.
fn conflicts(max_options: usize) -> impl Strategy<Value = Conflict> {
    (2usize..=3, 2usize..=max_options)
        .prop_filter("an option per decision maker", |(d, n)| n >= d)
        .prop_flat_map(|(dms, n)| {
            let owners = proptest::collection::vec(0..dms, n);
            let dirs = proptest::collection::vec(0u8..4, n);
            let levels = proptest::collection::vec(proptest::collection::vec(0u8..4, 1 << n), dms);
            (Just(dms), Just(n), owners, dirs, levels)
        })
        .prop_map(|(dms, n, mut owners, dirs, levels)| {
            let mut b = crate::strategy::declare(n, dms, &mut owners, Some(&dirs));
            for (d, level) in levels.iter().enumerate() {
                b = b.rank(&format!("D{d}"), tiers(level));
            }
            b.build().unwrap()
        })
}

/// Tiers of state numbers from a level per state (higher preferred), empty tiers dropped.
fn tiers(level: &[u8]) -> Vec<Vec<StateRef>> {
    let top = level.iter().copied().max().unwrap_or(0);
    (0..=top)
        .rev()
        .map(|l| {
            (0..level.len())
                .filter(|&s| level[s] == l)
                .map(|s| StateRef::Number(s + 1))
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The oracle for concepts that only compare states with the desired one (Nash, GMR, SMR,
/// SIM): the fewest (decision maker, state) comparisons with `s` to flip, trying every set of
/// flips of each size up to `max` in turn, each on the conflict with rankings of two tiers
/// (the states preferred to `s`, then `s` with the rest).
fn oracle(c: &Conflict, s: StateId, concept: Concept, max: usize) -> Option<usize> {
    use itertools::Itertools;
    let dms: Vec<DmId> = c.dm_ids().collect();
    let pairs: Vec<(DmId, StateId)> = dms
        .iter()
        .flat_map(|&d| c.states().filter(move |&t| t != s).map(move |t| (d, t)))
        .collect();
    for k in 0..=max {
        for flips in pairs.iter().combinations(k) {
            let rankings = dms
                .iter()
                .map(|&d| {
                    let (above, rest): (Vec<StateId>, Vec<StateId>) = c.states().partition(|&t| {
                        t != s
                            && ((c.payoff(d, t).unwrap() > c.payoff(d, s).unwrap())
                                != flips.contains(&&(d, t)))
                    });
                    let tiers = [above, rest]
                        .into_iter()
                        .filter(|t| !t.is_empty())
                        .collect();
                    (d, tiers)
                })
                .collect();
            let profile = Answer::from_rankings(rankings);
            let changed = profile.apply(c).unwrap();
            if changed.analyse().equilibria(concept).contains(&s) {
                return Some(k);
            }
        }
    }
    None
}

fn pick(c: &Conflict, index: &prop::sample::Index) -> StateId {
    c.states().nth(index.index(c.state_count())).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The returned preferences make the state an equilibrium (checked by the analysis); an
    /// equilibrium needs no change; without kept decision makers an answer is always found
    /// unless the budget ran out.
    #[test]
    fn answers_hold(c in conflicts(5), at in any::<prop::sample::Index>(), k in 0usize..6) {
        let s = pick(&c, &at);
        let concept = Concept::ALL[k];
        let x = check(&c, s, concept, &InverseOptions::new().budget(3_000).answers(3));
        prop_assert!(!x.answers.is_empty() || (!x.exact && x.obstacle == Some(NoAnswer::Budget)));
        prop_assert!(x.explored <= 3_000);
        if x.exact {
            if let Some(best) = x.best() {
                prop_assert_eq!(x.lower_bound, best.cost());
            }
        }
    }

    /// Kept decision makers keep their preferences in every answer.
    #[test]
    fn kept_stay(c in conflicts(4), at in any::<prop::sample::Index>(), k in 0usize..6) {
        let s = pick(&c, &at);
        let keep = c.dm_ids().next().unwrap();
        let x = check(&c, s, Concept::ALL[k], &InverseOptions::new().budget(2_000).keep(keep));
        for a in &x.answers {
            prop_assert!(a.changes.iter().all(|ch| ch.dm != keep));
            prop_assert!(a.preferences(keep).is_none());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Minimal: no profile with fewer flipped comparisons makes the state an equilibrium
    /// (Nash, GMR, SMR and SIM), by brute force on conflicts of at most 8 states.
    #[test]
    fn minimal_against_brute_force(c in conflicts(3), at in any::<prop::sample::Index>(), k in 0usize..4) {
        let s = pick(&c, &at);
        let concept = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Sim][k];
        let x = check(&c, s, concept, &InverseOptions::new().budget(1_000_000));
        prop_assert!(x.exact);
        let cost = x.best().map(Answer::cost).unwrap();
        prop_assert_eq!(oracle(&c, s, concept, cost), Some(cost));
    }
}

/// SIM enumerates the others' joint improvements; that enumeration counts against the
/// budget (1,024 combinations per node), so a tiny budget on eleven decision makers (1,023
/// joint answers per move) stops the search, not exact, with the Nash-everywhere answer.
#[test]
fn sim_combinations_count_against_the_budget() {
    let n = 11;
    let mut b = ConflictBuilder::new();
    for k in 0..n {
        b = b.option(format!("o{k}"));
        b = b.decision_maker(format!("D{k}"), [format!("o{k}")]);
    }
    for k in 0..n {
        b = b.prioritize(&format!("D{k}"), [format!("o{k}")]);
    }
    let c = b.build().unwrap();
    let none = c.states().next().unwrap();
    let tight = c
        .inverse(none, Concept::Sim, &InverseOptions::new().budget(1))
        .unwrap();
    assert!(!tight.exact);
    assert_eq!(tight.best().map(Answer::cost), Some(n));
    let roomy = c
        .inverse(none, Concept::Sim, &InverseOptions::new().budget(100))
        .unwrap();
    assert_eq!(roomy.best().map(Answer::cost), Some(n));
}

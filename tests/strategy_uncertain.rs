//! Preference uncertainty: certain / possible / impossible stability, checked against
//! `analyse` on fully known preferences and against an oracle that enumerates every
//! completion of the preferences on tiny conflicts.

use std::collections::BTreeSet;

use negotiation::strategy::{
    Certainty, Concept, Conflict, ConflictBuilder, ConflictError, StateId,
};
use proptest::prelude::*;

fn pattern(options: usize, code: u64) -> String {
    (0..options)
        .map(|k| if code >> k & 1 == 1 { 'Y' } else { 'N' })
        .collect()
}

/// A tiny conflict: decision maker `Dd` controls option `od` alone; when `exclusive`, at most
/// one option is taken (so 3 decision makers still have 4 states); each decision maker ranks
/// the states by `levels` (higher preferred, ties allowed) and does not know the order of the
/// pairs in `unknown`.
#[derive(Clone, Debug)]
struct Tiny {
    dms: usize,
    /// Options per decision maker: `Dd` controls options `d · per .. (d + 1) · per`.
    per: usize,
    exclusive: bool,
    /// Per decision maker, per feasible state (by ascending code): its level.
    levels: Vec<Vec<u32>>,
    /// (decision maker, state, state) as indices of feasible states.
    unknown: Vec<(usize, usize, usize)>,
}

impl Tiny {
    fn codes(&self) -> Vec<u64> {
        (0..1u64 << (self.dms * self.per))
            .filter(|c| !self.exclusive || c.count_ones() <= 1)
            .collect()
    }

    /// The conflict with these levels as rankings (`levels` overrides `self.levels`), with
    /// or without the unknown pairs.
    fn build(&self, levels: &[Vec<u32>], with_unknown: bool) -> Conflict {
        self.builder(levels, with_unknown).build().unwrap()
    }

    /// The builder [`build`](Self::build) builds.
    fn builder(&self, levels: &[Vec<u32>], with_unknown: bool) -> ConflictBuilder {
        let codes = self.codes();
        let mut b = ConflictBuilder::new();
        for k in 0..self.dms * self.per {
            b = b.option(format!("o{k}"));
        }
        for d in 0..self.dms {
            b = b.decision_maker(
                format!("D{d}"),
                (d * self.per..(d + 1) * self.per).map(|k| format!("o{k}")),
            );
        }
        if self.exclusive {
            b = b.mutually_exclusive((0..self.dms).map(|d| format!("o{d}")));
        }
        for (d, lv) in levels.iter().enumerate() {
            let mut distinct: Vec<u32> = lv.clone();
            distinct.sort_unstable_by(|a, b| b.cmp(a));
            distinct.dedup();
            let tiers: Vec<Vec<String>> = distinct
                .iter()
                .map(|&l| {
                    (0..codes.len())
                        .filter(|&s| lv[s] == l)
                        .map(|s| pattern(self.dms * self.per, codes[s]))
                        .collect()
                })
                .collect();
            b = b.rank(&format!("D{d}"), tiers);
        }
        if with_unknown {
            for &(d, x, y) in &self.unknown {
                b = b.uncertain(
                    &format!("D{d}"),
                    pattern(self.dms * self.per, codes[x]),
                    pattern(self.dms * self.per, codes[y]),
                );
            }
        }
        b
    }
}

fn tiny() -> impl Strategy<Value = Tiny> {
    (2usize..=3)
        .prop_flat_map(|dms| {
            let exclusive = if dms == 3 {
                Just(true).boxed()
            } else {
                any::<bool>().boxed()
            };
            (Just(dms), exclusive)
        })
        .prop_flat_map(|(dms, exclusive)| {
            let n = if exclusive { dms + 1 } else { 1 << dms };
            let levels = proptest::collection::vec(proptest::collection::vec(0u32..4, n), dms);
            let unknown = proptest::collection::vec((0..dms, 0..n, 0..n), 0..=3);
            (Just(dms), Just(exclusive), levels, unknown)
        })
        .prop_map(|(dms, exclusive, levels, unknown)| Tiny {
            dms,
            per: 1,
            exclusive,
            levels,
            unknown: unknown.into_iter().filter(|&(_, x, y)| x != y).collect(),
        })
}

/// Every total preorder on `n` states, as dense levels.
fn weak_orders(n: usize) -> Vec<Vec<u32>> {
    let mut out = BTreeSet::new();
    let total = (n as u32).pow(n as u32);
    for mut k in 0..total {
        let mut lv = Vec::with_capacity(n);
        for _ in 0..n {
            lv.push(k % n as u32);
            k /= n as u32;
        }
        let mut distinct = lv.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let dense: Vec<u32> = lv
            .iter()
            .map(|l| distinct.binary_search(l).unwrap() as u32)
            .collect();
        out.insert(dense);
    }
    out.into_iter().collect()
}

/// The oracle: every joint completion analysed; per concept, the certainty per (decision
/// maker, state) and per state as an equilibrium.
#[allow(clippy::type_complexity)]
fn oracle(t: &Tiny) -> (Vec<Vec<Certainty>>, Vec<Vec<Certainty>>) {
    let n = t.codes().len();
    let orders = weak_orders(n);
    let sign = |a: u32, b: u32| a.cmp(&b);
    let per_dm: Vec<Vec<Vec<u32>>> = (0..t.dms)
        .map(|d| {
            let known = |x: usize, y: usize| {
                !t.unknown
                    .iter()
                    .any(|&(e, a, b)| e == d && ((a, b) == (x, y) || (a, b) == (y, x)))
            };
            orders
                .iter()
                .filter(|lv| {
                    (0..n).all(|x| {
                        (0..n).all(|y| {
                            !known(x, y)
                                || sign(lv[x], lv[y]) == sign(t.levels[d][x], t.levels[d][y])
                        })
                    })
                })
                .cloned()
                .collect()
        })
        .collect();
    judge(t, &per_dm)
}

/// Every completion by brute force on the unknown pairs: each pair greater, tied or less,
/// kept when the whole relation is transitive (every triple checked); a completion's level
/// for a state is the number of states strictly below it.
#[allow(clippy::type_complexity)]
fn pair_oracle(t: &Tiny) -> (Vec<Vec<Certainty>>, Vec<Vec<Certainty>>) {
    let n = t.codes().len();
    let per_dm: Vec<Vec<Vec<u32>>> = (0..t.dms)
        .map(|d| {
            let mut pairs: Vec<(usize, usize)> = t
                .unknown
                .iter()
                .filter(|u| u.0 == d)
                .map(|&(_, x, y)| (x.min(y), x.max(y)))
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            let mut out = Vec::new();
            for mut k in 0..3usize.pow(pairs.len() as u32) {
                let mut r: Vec<Vec<i8>> = (0..n)
                    .map(|x| {
                        (0..n)
                            .map(|y| t.levels[d][x].cmp(&t.levels[d][y]) as i8)
                            .collect()
                    })
                    .collect();
                for &(x, y) in &pairs {
                    let v = (k % 3) as i8 - 1;
                    k /= 3;
                    r[x][y] = v;
                    r[y][x] = -v;
                }
                let transitive = (0..n).all(|x| {
                    (0..n).all(|y| (0..n).all(|z| !(r[x][y] >= 0 && r[y][z] >= 0) || r[x][z] >= 0))
                });
                if transitive {
                    out.push(
                        (0..n)
                            .map(|x| (0..n).filter(|&y| r[x][y] > 0).count() as u32)
                            .collect(),
                    );
                }
            }
            out
        })
        .collect();
    judge(t, &per_dm)
}

/// Analyses every joint completion (one level vector per decision maker, from `per_dm`) and
/// returns the certainties per (decision maker, state) and per state as an equilibrium.
#[allow(clippy::type_complexity)]
fn judge(t: &Tiny, per_dm: &[Vec<Vec<u32>>]) -> (Vec<Vec<Certainty>>, Vec<Vec<Certainty>>) {
    let n = t.codes().len();
    let k = Concept::ALL.len();
    let mut stable = vec![vec![(false, false); t.dms * n]; k];
    let mut eq = vec![vec![(false, false); n]; k];
    let mut digit = vec![0usize; t.dms];
    'all: loop {
        let levels: Vec<Vec<u32>> = (0..t.dms).map(|d| per_dm[d][digit[d]].clone()).collect();
        let c = t.build(&levels, false);
        let a = c.analyse();
        for (ci, concept) in Concept::ALL.into_iter().enumerate() {
            for s in 0..n {
                let mut all = true;
                for d in 0..t.dms {
                    let st = a
                        .is_stable(
                            concept,
                            a.mover_ids().nth(d).unwrap(),
                            c.states().nth(s).unwrap(),
                        )
                        .unwrap();
                    let slot = &mut stable[ci][d * n + s];
                    if st {
                        slot.0 = true
                    } else {
                        slot.1 = true;
                        all = false
                    }
                }
                if all {
                    eq[ci][s].0 = true
                } else {
                    eq[ci][s].1 = true
                }
            }
        }
        let mut d = 0;
        loop {
            if d == t.dms {
                break 'all;
            }
            digit[d] += 1;
            if digit[d] < per_dm[d].len() {
                break;
            }
            digit[d] = 0;
            d += 1;
        }
    }
    let certainty = |(yes, no): (bool, bool)| match (yes, no) {
        (true, false) => Certainty::Certain,
        (true, true) => Certainty::Possible,
        _ => Certainty::Impossible,
    };
    (
        stable
            .into_iter()
            .map(|v| v.into_iter().map(certainty).collect())
            .collect(),
        eq.into_iter()
            .map(|v| v.into_iter().map(certainty).collect())
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Against every completion: exact certain / possible / impossible, per decision maker and
    /// for equilibria; with a tiny budget, bounds that contain the exact answer.
    #[test]
    fn matches_the_completions_oracle(t in tiny()) {
        let c = t.build(&t.levels, true);
        let (stable, eq) = oracle(&t);
        let n = c.state_count();
        let u = c.analyse_uncertain();
        prop_assert!(u.is_exact());
        let small = c.analyse_uncertain_within(2);
        for (ci, concept) in Concept::ALL.into_iter().enumerate() {
            for s in 0..n {
                let sid = c.states().nth(s).unwrap();
                for d in 0..t.dms {
                    let did = c.dm_ids().nth(d).unwrap();
                    let want = stable[ci][d * n + s];
                    prop_assert_eq!(u.certainty(concept, did, sid), Some(want),
                        "{} for D{} at {}", concept, d, sid.display(&c));
                    let b = small.status(concept, did, sid).unwrap();
                    prop_assert!(b.at_least() <= want && want <= b.at_most(),
                        "bounds {} for {} D{} at {}, exact {}", b, concept, d, sid.display(&c), want);
                }
                prop_assert_eq!(u.equilibrium(concept, sid).unwrap().exact(), Some(eq[ci][s]),
                    "{} equilibrium at {}", concept, sid.display(&c));
                let b = small.equilibrium(concept, sid).unwrap();
                prop_assert!(b.at_least() <= eq[ci][s] && eq[ci][s] <= b.at_most());
            }
            for level in [Certainty::Possible, Certainty::Certain] {
                let want: Vec<StateId> = (0..n)
                    .filter(|&s| eq[ci][s] >= level)
                    .map(|s| c.states().nth(s).unwrap())
                    .collect();
                prop_assert_eq!(u.equilibria(concept, level), want.clone());
                // Bounds never list a state that is not one.
                for s in small.equilibria(concept, level) {
                    prop_assert!(want.contains(&s));
                }
            }
        }
    }

    /// The documented guarantee over the budget: Nash, GMR and SMR stability of a decision
    /// maker whose own completions fit the budget stay exact (the completions oracle's), and
    /// so do those equilibria when everyone's fit.
    #[test]
    fn own_concepts_stay_exact_over_budget(t in tiny(), budget in 1usize..=4) {
        let c = t.build(&t.levels, true);
        let (stable, eq) = oracle(&t);
        let n = c.state_count();
        let u = c.analyse_uncertain_within(budget);
        let fits: Vec<bool> = c
            .dm_ids()
            .map(|d| {
                let (found, complete) = u.completions(d).unwrap();
                complete && found <= budget
            })
            .collect();
        for (ci, concept) in Concept::ALL.into_iter().enumerate() {
            if !matches!(concept, Concept::Nash | Concept::Gmr | Concept::Smr) {
                continue;
            }
            for s in 0..n {
                let sid = c.states().nth(s).unwrap();
                for d in (0..t.dms).filter(|&d| fits[d]) {
                    let did = c.dm_ids().nth(d).unwrap();
                    prop_assert_eq!(u.certainty(concept, did, sid), Some(stable[ci][d * n + s]),
                        "{} for D{} at {} with budget {}", concept, d, sid.display(&c), budget);
                }
                if fits.iter().all(|&f| f) {
                    prop_assert_eq!(u.equilibrium(concept, sid).unwrap().exact(), Some(eq[ci][s]),
                        "{} equilibrium at {} with budget {}", concept, sid.display(&c), budget);
                }
            }
        }
    }

    /// `rank_interval` against the completions oracle: D0's rank for state `x` known only to
    /// lie in tiers `lo..=hi` (around its stated tier) answers as the unknown pairs of `x`
    /// with every other state whose stated tier lies there.
    #[test]
    fn rank_interval_matches_the_completions_oracle(
        t in tiny(), x in 0usize..8, below in 0usize..3, above in 0usize..3,
    ) {
        let n = t.codes().len();
        let x = x % n;
        let lv = &t.levels[0];
        let tier = |s: usize| {
            let mut higher: Vec<u32> = lv.iter().copied().filter(|&l| l > lv[s]).collect();
            higher.sort_unstable();
            higher.dedup();
            higher.len() + 1
        };
        let tiers = {
            let mut all = lv.clone();
            all.sort_unstable();
            all.dedup();
            all.len()
        };
        let (lo, hi) = (tier(x).saturating_sub(above).max(1), (tier(x) + below).min(tiers));
        let mut plain = t.clone();
        plain.unknown.clear();
        let mut b = plain.builder(&t.levels, false);
        b = b.rank_interval("D0", pattern(t.dms * t.per, t.codes()[x]).as_str(), lo..=hi);
        let c = b.build().unwrap();
        let mut pairs = plain.clone();
        pairs.unknown = (0..n)
            .filter(|&y| y != x && (lo..=hi).contains(&tier(y)))
            .map(|y| (0, x, y))
            .collect();
        let (stable, eq) = oracle(&pairs);
        let u = c.analyse_uncertain();
        prop_assert!(u.is_exact());
        for (ci, concept) in Concept::ALL.into_iter().enumerate() {
            for s in 0..n {
                let sid = c.states().nth(s).unwrap();
                for d in 0..t.dms {
                    let did = c.dm_ids().nth(d).unwrap();
                    prop_assert_eq!(u.certainty(concept, did, sid), Some(stable[ci][d * n + s]),
                        "{} for D{} at {}, tiers {}..={}", concept, d, sid.display(&c), lo, hi);
                }
                prop_assert_eq!(u.equilibrium(concept, sid).unwrap().exact(), Some(eq[ci][s]));
            }
        }
    }

    /// Two decision makers with two options each (16 states): exact answers against the
    /// brute-force pair oracle.
    #[test]
    fn matches_the_pair_oracle_on_sixteen_states(t in sixteen()) {
        let c = t.build(&t.levels, true);
        let (stable, eq) = pair_oracle(&t);
        let n = c.state_count();
        let u = c.analyse_uncertain();
        prop_assert!(u.is_exact());
        for (ci, concept) in Concept::ALL.into_iter().enumerate() {
            for s in 0..n {
                let sid = c.states().nth(s).unwrap();
                for d in 0..t.dms {
                    let did = c.dm_ids().nth(d).unwrap();
                    prop_assert_eq!(u.certainty(concept, did, sid), Some(stable[ci][d * n + s]),
                        "{} for D{} at {}", concept, d, sid.display(&c));
                }
                prop_assert_eq!(u.equilibrium(concept, sid).unwrap().exact(), Some(eq[ci][s]),
                    "{} equilibrium at {}", concept, sid.display(&c));
            }
        }
    }

    /// With fully known preferences: certain exactly where `analyse` says stable, impossible
    /// exactly where it says unstable, on random conflicts of up to 6 options.
    #[test]
    fn known_preferences_match_analyse(c in crate::strategy::conflicts()) {
        let a = c.analyse();
        let u = c.analyse_uncertain();
        prop_assert!(u.is_exact());
        prop_assert_eq!(u.analyses(), 1);
        for concept in Concept::ALL {
            for (d, m) in c.dm_ids().zip(a.mover_ids()) {
                for s in c.states() {
                    let want = if a.is_stable(concept, m, s).unwrap() {
                        Certainty::Certain
                    } else {
                        Certainty::Impossible
                    };
                    prop_assert_eq!(u.certainty(concept, d, s), Some(want));
                }
            }
            prop_assert_eq!(u.equilibria(concept, Certainty::Certain), a.equilibria(concept));
            prop_assert_eq!(u.equilibria(concept, Certainty::Possible), a.equilibria(concept));
        }
    }
}

/// Two decision makers with two options each, levels 0–5, up to three unknown pairs per
/// decision maker.
fn sixteen() -> impl Strategy<Value = Tiny> {
    let levels = proptest::collection::vec(proptest::collection::vec(0u32..6, 16), 2);
    let unknown = proptest::collection::vec((0..2usize, 0..16usize, 0..16usize), 0..=3);
    (levels, unknown).prop_map(|(levels, unknown)| Tiny {
        dms: 2,
        per: 2,
        exclusive: false,
        levels,
        unknown: unknown.into_iter().filter(|&(_, x, y)| x != y).collect(),
    })
}

/// The Prisoner's Dilemma (Fang, Hipel & Kilgour 1993) with P1 unsure how it ranks mutual
/// cooperation (YY) against mutual defection (NN): three completions (YY above, tied, below).
/// Nash: NN stays certain (nobody's unilateral move from NN improves, whatever P1 thinks of
/// YY). GMR at YY for P1: its defection to NY is answered by P2 defecting too, to NN, which
/// sanctions only if P1 does not prefer NN to YY: possible. For P2, YY stays certain (P1
/// answers P2's defection to YN by moving to NN, which P2 ranks below YY).
#[test]
fn prisoners_dilemma_with_an_unknown_pair() {
    let mut b = ConflictBuilder::new();
    b = b.option("c1").option("c2");
    b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    b = b.uncertain("P1", "YY", "NN");
    b = b.uncertain("P1", "NN", "YY"); // the same pair again: no change
    let c = b.build().unwrap();
    let (p1, p2) = (c.dm_id("P1").unwrap(), c.dm_id("P2").unwrap());
    assert_eq!(c.decision_makers()[p1.index()].uncertain_pairs().len(), 1);
    let s = |p: &str| c.state(&p.into()).unwrap();
    let u = c.analyse_uncertain();
    assert_eq!(u.completions(p1).unwrap(), (3, true));
    assert_eq!(u.completions(p2).unwrap(), (1, true));
    assert_eq!(u.analyses(), 3);
    assert_eq!(
        u.certainty(Concept::Nash, p1, s("NN")),
        Some(Certainty::Certain)
    );
    assert_eq!(
        u.certainty(Concept::Gmr, p1, s("YY")),
        Some(Certainty::Possible)
    );
    assert_eq!(
        u.certainty(Concept::Gmr, p2, s("YY")),
        Some(Certainty::Certain)
    );
    assert_eq!(
        u.certainty(Concept::Nash, p1, s("YY")),
        Some(Certainty::Impossible)
    );
    assert_eq!(u.equilibria(Concept::Gmr, Certainty::Certain), [s("NN")]);
    assert_eq!(
        u.equilibria(Concept::Gmr, Certainty::Possible),
        [s("NN"), s("YY")]
    );
    let text = u.display(&c).to_string();
    assert!(text.starts_with("Preference uncertainty: 3 analyses of completed preferences (exact)"));
    assert!(text.contains("GMR equilibria: certain 1; possible 4\n"));
    assert!(text.contains("  P1: certain 1 3; possible 4\n"), "{text}");
}

/// A rank interval: P1's YY may rank anywhere from 2nd to 3rd of its four tiers, so its order
/// against NN (3rd) is unknown, and against NY (1st) and YN (4th) known.
#[test]
fn rank_interval_unknowns_the_pairs_within() {
    let mut b = ConflictBuilder::new();
    b = b.option("c1").option("c2");
    b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    b = b.rank_interval("P1", "YY", 2..=3);
    let c = b.clone().build().unwrap();
    let p1 = c.dm_id("P1").unwrap();
    let s = |p: &str| c.state(&p.into()).unwrap();
    let (yy, nn) = (s("YY"), s("NN"));
    assert_eq!(
        c.decision_makers()[p1.index()].uncertain_pairs(),
        [(nn.min(yy), nn.max(yy))]
    );
    // The same answers as the unknown pair above.
    let u = c.analyse_uncertain();
    assert_eq!(u.certainty(Concept::Gmr, p1, yy), Some(Certainty::Possible));
    // The whole range: YY against every other state; completions put YY anywhere, but the
    // three others keep their order.
    let b2 = b.clone().rank_interval("P1", "YY", 1..=4);
    let c2 = b2.build().unwrap();
    assert_eq!(c2.decision_makers()[p1.index()].uncertain_pairs().len(), 3);
    // Above NY, tied with it, between NY and NN, tied with NN, between NN and YN, tied with
    // YN, below YN: 7 places.
    let p1 = c2.dm_id("P1").unwrap();
    assert_eq!(c2.analyse_uncertain().completions(p1).unwrap(), (7, true));
}

#[test]
fn unknown_preference_errors_name_the_offender() {
    let base = || {
        let mut b = ConflictBuilder::new();
        b = b.option("a").option("b");
        b = b.decision_maker("A", ["a"]).decision_maker("B", ["b"]);
        b = b.rank("A", [["YN"], ["YY"], ["NN"], ["NY"]]);
        b = b.rank("B", [["NY"], ["YY"], ["NN"], ["YN"]]);
        b
    };
    let err = |f: &dyn Fn(ConflictBuilder) -> ConflictBuilder| f(base()).build().unwrap_err();
    let e = err(&|b| b.uncertain("Nobody", "YY", "NN"));
    assert!(
        matches!(&e, ConflictError::Uncertainty { dm, at, .. } if dm == "Nobody" && at == "uncertain[0]")
    );
    assert_eq!(
        e.to_string(),
        "decision maker `Nobody`, uncertain[0]: unknown decision maker"
    );
    let e = err(&|b| b.uncertain("A", "YY", "YY"));
    assert_eq!(
        e.to_string(),
        "decision maker `A`, uncertain[0]: state 4 (YY) is paired with itself"
    );
    let e = err(&|b| b.uncertain("A", "YY", "QQ"));
    assert!(e.to_string().contains("`QQ`"), "{e}");
    let e = err(&|b| b.rank_interval("A", "YY", 3..=4));
    assert_eq!(
        e.to_string(),
        "decision maker `A`, rank_interval[0]: state 4 (YY) is stated in tier 2, outside 3..=4"
    );
    let e = err(&|b| b.rank_interval("A", "YY", 0..=2));
    assert!(e.to_string().contains("need 1 <= lo <= hi <= 4"), "{e}");
    #[allow(clippy::reversed_empty_ranges)]
    let e = err(&|b| b.rank_interval("A", "YY", 3..=2));
    assert!(matches!(e, ConflictError::Uncertainty { .. }));
}

/// Over the budget, answers are sound bounds, marked in the text; a budget of 0 counts as 1.
#[test]
fn over_the_budget_answers_are_bounds() {
    let mut b = ConflictBuilder::new();
    b = b.option("c1").option("c2");
    b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    b = b.rank_interval("P1", "YY", 1..=4);
    b = b.rank_interval("P2", "YY", 1..=4);
    let c = b.build().unwrap();
    let exact = c.analyse_uncertain();
    assert!(exact.is_exact());
    assert_eq!(exact.analyses(), 49);
    let u = c.analyse_uncertain_within(0);
    assert_eq!(u.budget(), 1);
    assert!(!u.is_exact());
    assert_eq!(u.analyses(), 1);
    for concept in Concept::ALL {
        for d in c.dm_ids() {
            for s in c.states() {
                let (b, e) = (
                    u.status(concept, d, s).unwrap(),
                    exact.certainty(concept, d, s).unwrap(),
                );
                assert!(b.at_least() <= e && e <= b.at_most());
            }
        }
    }
    assert!(u.display(&c).to_string().contains("`a to b` marks bounds"));
    // Nash where the known pairs decide it: P1's only move from NN, to YN, is known worse;
    // from YN, to NN, known better.
    let p1 = c.dm_id("P1").unwrap();
    let s = |p: &str| c.state(&p.into()).unwrap();
    assert_eq!(
        u.certainty(Concept::Nash, p1, s("NN")),
        Some(Certainty::Certain)
    );
    assert_eq!(
        u.certainty(Concept::Nash, p1, s("YN")),
        Some(Certainty::Impossible)
    );
    // From NY and YY, P1's move crosses the unknown pairs of YY: bounds.
    assert!(!u.status(Concept::Nash, p1, s("NY")).unwrap().is_exact());
}

/// A state whose rank is unknown across all 1,024 states' tiers: the enumeration's work is
/// bounded by the budget (the review measured 34 s before it was), and the answers are
/// sound bounds.
#[test]
fn all_tiers_interval_on_1024_states_is_bounded_by_the_budget() {
    let options = 10;
    let mut b = ConflictBuilder::new();
    for k in 0..options {
        b = b.option(format!("o{k}"));
    }
    b = b.decision_maker("A", (0..5).map(|k| format!("o{k}")));
    b = b.decision_maker("B", (5..options).map(|k| format!("o{k}")));
    let all: Vec<String> = (0..1u64 << options).map(|c| pattern(options, c)).collect();
    b = b.rank("A", all.iter().map(|p| [p.as_str()]));
    b = b.rank("B", all.iter().rev().map(|p| [p.as_str()]));
    b = b.rank_interval("A", all[1].as_str(), 1..=all.len());
    let c = b.build().unwrap();
    let a = c.dm_id("A").unwrap();
    let u_pairs = c.decision_makers()[a.index()].uncertain_pairs().len() as u64;
    assert_eq!(u_pairs, 1023);
    let budget = 4u64;
    let u = c.analyse_uncertain_within(budget as usize);
    assert!(!u.is_exact());
    // The cap, plus at most the one step that crosses it (S + 2u units).
    let cap = 256 * budget * (u_pairs + 1);
    assert!(u.enumeration_work() > 0);
    assert!(
        u.enumeration_work() <= cap + 1024 + 2 * u_pairs,
        "{} > {cap}",
        u.enumeration_work()
    );
    // Sound bounds everywhere.
    for concept in Concept::ALL {
        for s in c.states().take(64) {
            let b = u.status(concept, a, s).unwrap();
            assert!(b.at_least() <= b.at_most());
        }
    }
}

/// The results serialize for JSON answers; a status is its two bounds.
#[cfg(feature = "serde")]
#[test]
fn results_serialize() {
    let mut b = ConflictBuilder::new();
    b = b.option("c1").option("c2");
    b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    b = b.uncertain("P1", "YY", "NN");
    let c = b.build().unwrap();
    let json = serde_json::to_value(c.analyse_uncertain()).unwrap();
    assert_eq!(json["analyses"], 3);
    // GMR (concept 1), state 4 (YY): possibly an equilibrium.
    assert_eq!(
        json["equilibria"][1][3],
        serde_json::json!({"at_least": "possible", "at_most": "possible"})
    );
}

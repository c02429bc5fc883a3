//! The strategy layer: textbook conflicts, typed errors, GMCR+ files, and a differential test
//! against a deliberately simple implementation.

use std::collections::{HashSet, VecDeque};

use negotiation::strategy::{
    Analysis, Concept, Conflict, ConflictBuilder, ConflictError, Direction, DmId, OptionId,
    Response, Sanction, StateId, StateRef,
};
use proptest::prelude::*;

fn patterns(conflict: &Conflict, states: Vec<StateId>) -> Vec<String> {
    states
        .into_iter()
        .map(|s| conflict.pattern(s).unwrap())
        .collect()
}

/// The Prisoner's Dilemma as Fang, Hipel & Kilgour (1993) state it: each prisoner's option is
/// to cooperate; P1 ranks NY > YY > NN > YN, P2 YN > YY > NN > NY.
fn prisoners_dilemma() -> Conflict {
    let mut b = ConflictBuilder::new();
    b = b.option("P1 cooperates").option("P2 cooperates");
    b = b.decision_maker("P1", ["P1 cooperates"]);
    b = b.decision_maker("P2", ["P2 cooperates"]);
    b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    b.build().unwrap()
}

#[test]
fn prisoners_dilemma_equilibria() {
    let pd = prisoners_dilemma();
    let a = pd.analyse();
    let eq = |c| patterns(&pd, a.equilibria(c));
    assert_eq!(eq(Concept::Nash), ["NN"]);
    assert_eq!(eq(Concept::Gmr), ["NN", "YY"]);
    assert_eq!(eq(Concept::Smr), ["NN", "YY"]);
    // From NY, P2 answers P1's defection by defecting too, which P2 prefers: credible.
    assert_eq!(eq(Concept::Seq), ["NN", "YY"]);
    assert_eq!(eq(Concept::Sim), ["NN", "YY"]);
    assert_eq!(eq(Concept::SeqSim), ["NN", "YY"]);
    // Per decision maker: NY is P2's worst state and P1's best.
    let p1 = a.mover("P1").unwrap();
    assert_eq!(
        patterns(&pd, a.stable_states(Concept::Nash, p1).unwrap()),
        ["NN", "NY"]
    );
}

/// Chicken: each driver may swerve; each prefers the other to swerve alone, then both, then
/// swerving alone, and a crash least.
fn chicken() -> Conflict {
    let mut b = ConflictBuilder::new();
    b = b.option("1 swerves").option("2 swerves");
    b = b.decision_maker("Driver 1", ["1 swerves"]);
    b = b.decision_maker("Driver 2", ["2 swerves"]);
    b = b.rank("Driver 1", [["NY"], ["YY"], ["YN"], ["NN"]]);
    b = b.rank("Driver 2", [["YN"], ["YY"], ["NY"], ["NN"]]);
    b.build().unwrap()
}

#[test]
fn chicken_equilibria() {
    let c = chicken();
    let a = c.analyse();
    let eq = |k| patterns(&c, a.equilibria(k));
    assert_eq!(eq(Concept::Nash), ["YN", "NY"]);
    assert_eq!(eq(Concept::Gmr), ["YN", "NY", "YY"]);
    assert_eq!(eq(Concept::Smr), ["YN", "NY", "YY"]);
    // Answering a swerve-back by driving on is not an improvement: no credible sanction.
    assert_eq!(eq(Concept::Seq), ["YN", "NY"]);
    // Both swerving holds if both may drive on at once: they would crash.
    assert_eq!(eq(Concept::Sim), ["YN", "NY", "YY"]);
    assert_eq!(eq(Concept::SeqSim), ["YN", "NY", "YY"]);
}

#[test]
fn explanations_and_status_quo() {
    let pd = prisoners_dilemma();
    let a = pd.analyse();
    let p1 = a.mover("P1").unwrap();
    let state = |p: &str| pd.state(&StateRef::from(p)).unwrap();
    // YN: P1 cooperates alone and defects at once.
    let why = a.explain(Concept::Nash, p1, state("YN")).unwrap();
    assert_eq!(why.reasons[0].improvement, state("NN"));
    assert_eq!(why.reasons[0].response, Response::NotConsidered);
    // YY is Nash-unstable for P1 but GMR-stable: nothing to explain under GMR.
    assert!(a.explain(Concept::Nash, p1, state("YY")).is_some());
    assert!(a.explain(Concept::Gmr, p1, state("YY")).is_none());
    // YN under GMR: P1's defection to NN leaves P2 only NY, which P1 prefers to YN.
    let why = a.explain(Concept::Gmr, p1, state("YN")).unwrap();
    assert_eq!(
        why.reasons[0].response,
        Response::AllPreferred {
            count: 1,
            least_preferred: state("NY")
        }
    );
    let text = why.display(&pd).to_string();
    assert_eq!(
        text,
        "2 (YN) is not GMR-stable for P1: P1 can move to 1 (NN) (P1 cooperates→N), which it \
         prefers, and the one state the others' moves can bring about, 3 (NY), is also better \
         for P1 than 2.\n"
    );

    // YY holds under GMR: P2 answers P1's defection by defecting too.
    let yy = state("YY");
    let deterred = a.deterrence(Concept::Gmr, p1, yy).unwrap();
    assert_eq!(
        deterred.display(&pd).to_string(),
        "4 (YY) is GMR-stable for P1: its move to 3 (NY) would be answered by P2 → 1 (NN); P1 \
         does not prefer 1 to 4.\n"
    );
    let deterred = a.deterrence(Concept::Sim, p1, yy).unwrap();
    assert_eq!(
        deterred.display(&pd).to_string(),
        "4 (YY) is SIM-stable for P1: its move to 3 (NY) would be answered by P2 → 2 (YN) at \
         the same time, giving 1 (NN); P1 does not prefer 1 to 4.\n"
    );
    assert!(a.deterrence(Concept::Nash, p1, yy).is_none());
    let none = a.deterrence(Concept::Nash, p1, state("NN")).unwrap();
    assert!(none.sanctions.is_empty());
    assert_eq!(
        none.display(&pd).to_string(),
        "1 (NN) is Nash-stable for P1: no move of its own improves on it.\n"
    );

    // From mutual cooperation, unilateral improvements lead to mutual defection in two moves.
    let sq = a.status_quo(state("YY"), Concept::Nash).unwrap();
    let (eq, path) = &sq.paths[0];
    assert_eq!(*eq, state("NN"));
    let path = path.as_ref().unwrap();
    assert_eq!(path.steps.len(), 2);
    assert_eq!(
        path.display(&pd).to_string(),
        "4 (YY) -P1→ 3 (NY) -P2→ 1 (NN)"
    );
    assert_eq!(sq.reachable.len(), 4);
}

#[test]
fn builder_errors_name_the_offender() {
    let base = || {
        let mut b = ConflictBuilder::new();
        b = b.option("a").option("b");
        b = b.decision_maker("A", ["a"]).decision_maker("B", ["b"]);
        b = b.prioritize("A", ["a"]).prioritize("B", ["b"]);
        b
    };
    assert!(base().build().is_ok());
    let err = |b: &ConflictBuilder| b.clone().build().unwrap_err();

    let mut b = base();
    b = b.prioritize("A", ["a & zz"]);
    assert_eq!(
        err(&b).to_string(),
        "decision maker `A`, preferences[0]: unknown option `zz`"
    );
    let mut b = base();
    b = b.decision_maker("C", ["q"]);
    assert!(matches!(err(&b), ConflictError::UnknownOption { option, .. } if option == "q"));
    let mut b = base();
    b = b.decision_maker("C", Vec::<String>::new());
    assert_eq!(err(&b), ConflictError::NoOptions("C".into()));
    let mut b = base();
    b = b.prioritize("Nobody", ["a"]);
    assert_eq!(err(&b), ConflictError::NoOptions("Nobody".into()));
    let mut b = base();
    b = b.decision_maker("A", ["a"]);
    assert_eq!(
        err(&b).to_string(),
        "decision maker `A` lists option `a` twice"
    );
    let mut b = base();
    b = b.option("c");
    assert_eq!(err(&b), ConflictError::OptionUncontrolled("c".into()));
    let mut b = base();
    b = b.decision_maker("B", ["a"]);
    assert!(
        matches!(err(&b), ConflictError::OptionControlledTwice { option, .. } if option == "a")
    );
    let mut b = base();
    b = b.requires("a", "b").status_quo("YN");
    assert_eq!(err(&b).to_string(), "status quo `YN`: an infeasible state");
    let mut b = base();
    b = b.status_quo("YNN");
    assert!(matches!(err(&b), ConflictError::StatusQuo { .. }));
    let mut b = base();
    b = b.rank("A", [vec!["NN", "YN"], vec!["NY"]]);
    assert_eq!(
        err(&b).to_string(),
        "decision maker `A`, ranking: 4 (YY): a feasible state the ranking omits"
    );
    let mut b = base();
    b = b.rank("A", [vec!["NN", "YN"], vec!["NY", "YY", "NN"]]);
    assert_eq!(
        err(&b).to_string(),
        "decision maker `A`, ranking[1][2]: 1 (NN): ranked twice"
    );
    let mut b = base();
    b = b
        .infeasible("a & b")
        .rank("A", [vec!["NN", "YN"], vec!["NY", "YY"]]);
    assert_eq!(
        err(&b).to_string(),
        "decision maker `A`, ranking[1][1]: `YY`: an infeasible state"
    );
    let mut b = base();
    b = b.prioritize("B", ["a &"]);
    assert!(matches!(err(&b), ConflictError::Statement { .. }));
    let mut b = base();
    b = b.at_least_one_of(["a", "b"]).mutually_exclusive(["a", "b"]);
    let c = b.build().unwrap();
    assert_eq!(patterns(&c, c.states().collect()), ["YN", "NY"]);
    let mut b = base();
    b = b.infeasible("a | !a");
    assert_eq!(err(&b), ConflictError::NoFeasibleState);
    let c = base().build().unwrap();
    assert!(matches!(
        c.analyse_coalitions([vec!["A"], vec!["A", "B"]]),
        Err(ConflictError::Partition(m)) if m.contains("`A` is in two coalitions")
    ));
    assert!(matches!(
        c.analyse_coalitions([vec!["A"]]),
        Err(ConflictError::Partition(m)) if m.contains("`B` is in no coalition")
    ));
}

#[test]
fn irreversible_options_move_one_way() {
    let build = |attack, lifted| {
        let mut b = ConflictBuilder::new();
        b = b
            .option_with("attack", attack)
            .option_with("sanctions lifted", lifted);
        b = b
            .decision_maker("A", ["attack"])
            .decision_maker("B", ["sanctions lifted"]);
        // Each wants the other value of its option than it may be stuck with.
        b = b
            .prioritize("A", ["!attack"])
            .prioritize("B", ["\"sanctions lifted\""]);
        b.build().unwrap()
    };
    let c = build(Direction::Both, Direction::Both);
    assert_eq!(patterns(&c, c.analyse().equilibria(Concept::Nash)), ["NY"]);
    // An attack cannot be undone; lifted sanctions can be reimposed but not lifted again.
    let c = build(Direction::Forward, Direction::Backward);
    assert_eq!(
        patterns(&c, c.analyse().equilibria(Concept::Nash)),
        ["NN", "YN", "NY", "YY"]
    );
}

// ---------------------------------------------------------------------------------------------
// Differential test against a deliberately simple implementation.
// ---------------------------------------------------------------------------------------------

/// The oracle: every set is enumerated explicitly, legal sequences by breadth-first search over
/// (state, last mover) pairs, straight from the definitions.
struct Oracle<'c> {
    c: &'c Conflict,
    movers: Vec<Vec<DmId>>,
}

impl Oracle<'_> {
    fn options_of(&self, k: usize) -> Vec<OptionId> {
        self.movers[k]
            .iter()
            .flat_map(|&d| self.c.decision_makers()[d.index()].options().to_vec())
            .collect()
    }

    /// R_k(s): feasible states differing from s in a non-empty subset of k's options, each
    /// changed in a permitted direction.
    fn moves(&self, k: usize, s: StateId) -> Vec<StateId> {
        let own = self.options_of(k);
        self.c
            .states()
            .filter(|&t| {
                let diff = self.c.code(s).unwrap() ^ self.c.code(t).unwrap();
                diff != 0
                    && self.c.option_ids().all(|o| {
                        if diff >> o.index() & 1 == 0 {
                            return true;
                        }
                        let was = self.c.is_taken(s, o).unwrap();
                        own.contains(&o)
                            && match self.c.direction(o).unwrap() {
                                Direction::Both => true,
                                Direction::Forward => !was,
                                Direction::Backward => was,
                            }
                    })
            })
            .collect()
    }

    fn better(&self, k: usize, a: StateId, b: StateId) -> bool {
        self.movers[k]
            .iter()
            .all(|&d| self.c.payoff(d, a).unwrap() > self.c.payoff(d, b).unwrap())
    }

    fn improvements(&self, k: usize, s: StateId) -> Vec<StateId> {
        self.moves(k, s)
            .into_iter()
            .filter(|&t| self.better(k, t, s))
            .collect()
    }

    /// R_H(s1) or R_H⁺(s1) for H = everyone but i.
    fn reach(&self, i: usize, s1: StateId, improving: bool) -> HashSet<StateId> {
        let mut seen = HashSet::new();
        let mut out = HashSet::new();
        let mut queue = VecDeque::from([(s1, usize::MAX)]);
        while let Some((s, last)) = queue.pop_front() {
            for k in (0..self.movers.len()).filter(|&k| k != i && k != last) {
                let next = if improving {
                    self.improvements(k, s)
                } else {
                    self.moves(k, s)
                };
                for t in next {
                    out.insert(t);
                    if seen.insert((t, k)) {
                        queue.push_back((t, k));
                    }
                }
            }
        }
        out
    }

    /// A sanction deters: its answer is a legal sequence of the others' moves (improvements
    /// for SEQ; for SIM, simultaneous improvements from `s`) ending at a state `i` does not
    /// prefer to `s` (and, for SMR, from which `i` cannot escape to one it prefers).
    fn check_sanction(&self, i: usize, s: StateId, x: &Sanction) -> Result<(), TestCaseError> {
        prop_assert!(self.improvements(i, s).contains(&x.improvement));
        prop_assert!(!self.better(i, x.outcome, s));
        prop_assert!(!x.answer.is_empty());
        if x.concept == Concept::Sim {
            let mut code = self.c.code(x.improvement).unwrap();
            for step in &x.answer {
                prop_assert_eq!(step.from, s);
                prop_assert!(self.improvements(step.mover.index(), s).contains(&step.to));
                code ^= self.c.code(s).unwrap() ^ self.c.code(step.to).unwrap();
            }
            prop_assert_eq!(self.c.state_of_code(code), Some(x.outcome));
            return Ok(());
        }
        let mut at = x.improvement;
        let mut last = usize::MAX;
        for step in &x.answer {
            let k = step.mover.index();
            prop_assert!(k != i && k != last, "not a legal sequence");
            prop_assert_eq!(step.from, at);
            let allowed = if x.concept == Concept::Seq {
                self.improvements(k, at)
            } else {
                self.moves(k, at)
            };
            prop_assert!(allowed.contains(&step.to));
            (at, last) = (step.to, k);
        }
        prop_assert_eq!(at, x.outcome);
        if x.concept == Concept::Smr {
            prop_assert!(self.moves(i, at).into_iter().all(|t| !self.better(i, t, s)));
        }
        Ok(())
    }

    fn stable(&self, concept: Concept, i: usize, s: StateId) -> bool {
        let ok = |s2: StateId| !self.better(i, s2, s);
        let imps = self.improvements(i, s);
        match concept {
            Concept::Nash => imps.is_empty(),
            Concept::Gmr => imps
                .iter()
                .all(|&s1| self.reach(i, s1, false).into_iter().any(ok)),
            Concept::Smr => imps.iter().all(|&s1| {
                self.reach(i, s1, false)
                    .into_iter()
                    .any(|s2| ok(s2) && self.moves(i, s2).into_iter().all(ok))
            }),
            Concept::Seq => imps
                .iter()
                .all(|&s1| self.reach(i, s1, true).into_iter().any(ok)),
            Concept::Sim => imps.iter().all(|&s1| {
                // Every combination of the others staying or making one improvement from s.
                let mut combos = vec![self.c.code(s1).unwrap()];
                for k in (0..self.movers.len()).filter(|&k| k != i) {
                    let deltas: Vec<u64> = self
                        .improvements(k, s)
                        .into_iter()
                        .map(|t| self.c.code(t).unwrap() ^ self.c.code(s).unwrap())
                        .collect();
                    combos = combos
                        .iter()
                        .flat_map(|&c| std::iter::once(c).chain(deltas.iter().map(move |d| c ^ d)))
                        .collect();
                }
                combos
                    .into_iter()
                    .filter_map(|code| self.c.state_of_code(code))
                    .any(ok)
            }),
            Concept::SeqSim => self.stable(Concept::Seq, i, s) || self.stable(Concept::Sim, i, s),
            other => unreachable!("the oracle knows no {other}"),
        }
    }
}

/// Options `o0`…`o{n-1}` (with `dirs`, per option: 0 forward, 1 backward, otherwise both; all
/// both without) and decision makers `D0`…`D{dms-1}` owning them as `owners` says, `Dd`
/// always owning `od` so that each has one: the skeleton of the random conflicts.
pub(crate) fn declare(
    n: usize,
    dms: usize,
    owners: &mut [usize],
    dirs: Option<&[u8]>,
) -> ConflictBuilder {
    for (d, owner) in owners.iter_mut().enumerate().take(dms) {
        *owner = d;
    }
    let mut b = ConflictBuilder::new();
    for k in 0..n {
        let dir = match dirs.map(|d| d[k]) {
            Some(0) => Direction::Forward,
            Some(1) => Direction::Backward,
            _ => Direction::Both,
        };
        b = b.option_with(format!("o{k}"), dir);
    }
    for d in 0..dms {
        let own: Vec<String> = (0..n)
            .filter(|&k| owners[k] == d)
            .map(|k| format!("o{k}"))
            .collect();
        b = b.decision_maker(format!("D{d}"), own);
    }
    b
}

/// A conjunction of literals `(option, taken)` as statement text: `o1 & !o3`.
pub(crate) fn conjunction(conj: &[(usize, bool)]) -> String {
    conj.iter()
        .map(|&(k, y)| format!("{}o{k}", if y { "" } else { "!" }))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Statements of disjunctions of conjunctions as text, one per statement.
pub(crate) fn statements(statements: &[Vec<Vec<(usize, bool)>>]) -> Vec<String> {
    statements
        .iter()
        .map(|st| {
            st.iter()
                .map(|c| conjunction(c))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

/// A random conflict: 1–3 decision makers sharing 1–6 options, random directions, random
/// infeasibilities, and random prioritized statements (which make ties).
pub(crate) fn conflicts() -> impl Strategy<Value = Conflict> {
    conflicts_with(1..=6, 3)
}

/// As [`conflicts`], with `options` options and at most `max_dms` decision makers.
fn conflicts_with(
    options: std::ops::RangeInclusive<usize>,
    max_dms: usize,
) -> impl Strategy<Value = Conflict> {
    options
        .prop_flat_map(move |n| {
            let dms = 1usize..=n.min(max_dms);
            (Just(n), dms)
        })
        .prop_flat_map(|(n, dms)| {
            let owners = proptest::collection::vec(0..dms, n);
            let directions = proptest::collection::vec(0u8..4, n);
            let literal = (0..n, any::<bool>());
            let conj = proptest::collection::vec(literal, 1..=2);
            let infeasible = proptest::collection::vec(conj.clone(), 0..=2);
            let statement = proptest::collection::vec(conj, 1..=2);
            let prefs = proptest::collection::vec(proptest::collection::vec(statement, 1..=4), dms);
            (Just(n), Just(dms), owners, directions, infeasible, prefs)
        })
        .prop_filter_map(
            "needs a feasible state",
            |(n, dms, mut owners, dirs, inf, prefs)| {
                let mut b = declare(n, dms, &mut owners, Some(&dirs));
                for c in &inf {
                    b = b.infeasible(conjunction(c));
                }
                for (d, st) in prefs.iter().enumerate() {
                    b = b.prioritize(&format!("D{d}"), statements(st));
                }
                b.build().ok()
            },
        )
}

fn check_against_oracle(a: &Analysis<'_>, movers: Vec<Vec<DmId>>) -> Result<(), TestCaseError> {
    let c = a.conflict();
    let oracle = Oracle { c, movers };
    for concept in Concept::ALL {
        for i in 0..oracle.movers.len() {
            let m = a.mover_ids().nth(i).unwrap();
            for s in c.states() {
                let expected = oracle.stable(concept, i, s);
                prop_assert_eq!(
                    a.is_stable(concept, m, s).unwrap(),
                    expected,
                    "{} for mover {} at state {}",
                    concept,
                    i,
                    s.display(c)
                );
                // An explanation exactly when unstable, a deterrence exactly when stable.
                prop_assert_eq!(a.explain(concept, m, s).is_none(), expected);
                if let Some(deterred) = a.deterrence(concept, m, s) {
                    prop_assert!(expected);
                    prop_assert_eq!(deterred.sanctions.len(), oracle.improvements(i, s).len());
                    for x in deterred.sanctions {
                        oracle.check_sanction(i, s, &x)?;
                    }
                } else {
                    prop_assert!(!expected);
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The fast paths of the engine (maxima over one move taken by a per-option sweep, the
    /// coalition SMR bound and its search) on decision makers with more options each, half
    /// of them irreversible.
    #[test]
    fn many_option_movers_match_the_simple_implementation(
        c in conflicts_with(5..=7, 3),
        together in any::<bool>(),
    ) {
        let names: Vec<&str> = c.decision_makers().iter().map(|d| d.name()).collect();
        // Optionally the first two decision makers (or the only one) move as a coalition.
        let cut = if together { names.len().min(2) } else { 1 };
        let groups: Vec<Vec<&str>> = std::iter::once(names[..cut].to_vec())
            .chain(names[cut..].iter().map(|n| vec![*n]))
            .collect();
        let a = c.analyse_coalitions(groups.clone()).unwrap();
        let ids = groups.iter().map(|g| g.iter().map(|n| c.dm_id(n).unwrap()).collect()).collect();
        check_against_oracle(&a, ids)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn stability_matches_the_simple_implementation(c in conflicts()) {
        let a = c.analyse();
        let movers = c.dm_ids().map(|d| vec![d]).collect();
        check_against_oracle(&a, movers)?;
    }

    #[test]
    fn coalition_stability_matches_the_simple_implementation(c in conflicts(), split in 0usize..3) {
        let names: Vec<&str> = c.decision_makers().iter().map(|d| d.name()).collect();
        prop_assume!(names.len() >= 2);
        // The first `split + 1` decision makers (at most all but one) form a coalition.
        let cut = (split + 2).min(names.len());
        let groups = vec![names[..cut].to_vec()]
            .into_iter()
            .chain(names[cut..].iter().map(|n| vec![*n]))
            .collect::<Vec<_>>();
        let a = c.analyse_coalitions(groups.clone()).unwrap();
        let ids = groups.iter().map(|g| g.iter().map(|n| c.dm_id(n).unwrap()).collect()).collect();
        check_against_oracle(&a, ids)?;
    }

    /// Same conflict, same answers, whatever the hash seeds of the searches' lookup sets.
    #[test]
    fn answers_are_deterministic(c in conflicts()) {
        let (a, b) = (c.analyse(), c.analyse());
        // Mover handles are each analysis' own.
        for (m, n) in a.mover_ids().zip(b.mover_ids()) {
            for s in c.states() {
                for k in Concept::ALL {
                    prop_assert_eq!(a.explain(k, m, s), b.explain(k, n, s));
                    prop_assert_eq!(a.deterrence(k, m, s), b.deterrence(k, n, s));
                }
                prop_assert_eq!(a.status_quo(s, Concept::Seq).unwrap(), b.status_quo(s, Concept::Seq).unwrap());
            }
        }
    }

    #[test]
    fn concepts_nest(c in conflicts()) {
        let a = c.analyse();
        for m in a.mover_ids() {
            for s in c.states() {
                let st = |k| a.is_stable(k, m, s).unwrap();
                prop_assert!(!st(Concept::Nash) || st(Concept::Seq));
                prop_assert!(!st(Concept::Seq) || st(Concept::Gmr));
                prop_assert!(!st(Concept::Nash) || st(Concept::Smr));
                prop_assert!(!st(Concept::Smr) || st(Concept::Gmr));
                prop_assert!(!st(Concept::Nash) || st(Concept::Sim));
                prop_assert_eq!(st(Concept::SeqSim), st(Concept::Seq) || st(Concept::Sim));
            }
        }
    }

    #[test]
    fn gmcr_files_round_trip(c in conflicts()) {
        // Options come back grouped by decision maker, as GMCR+ groups them; states are
        // matched by the options they take.
        let text = c.to_gmcr();
        let back = Conflict::from_gmcr(&text).unwrap();
        let again = back.to_gmcr();
        prop_assert_eq!(&Conflict::from_gmcr(&again).unwrap(), &back);
        prop_assert_eq!(Conflict::from_gmcr(&again).unwrap().to_gmcr(), again);
        let same = |s: StateId| {
            let taken: Vec<String> = c
                .option_ids()
                .filter(|&o| c.is_taken(s, o).unwrap())
                .map(|o| c.option_name(o).unwrap().to_string())
                .collect();
            back.state(&StateRef::Taken(taken)).unwrap()
        };
        let (a, b) = (c.analyse(), back.analyse());
        for s in c.states() {
            for (d, e) in c.dm_ids().zip(back.dm_ids()) {
                prop_assert_eq!(c.payoff(d, s).unwrap(), back.payoff(e, same(s)).unwrap());
            }
        }
        for k in Concept::ALL {
            let mut mapped: Vec<StateId> = a.equilibria(k).into_iter().map(same).collect();
            mapped.sort_unstable();
            prop_assert_eq!(mapped, b.equilibria(k));
        }
    }
}

/// GMCR+ computes each decision maker's payoffs from prioritized statements and writes them
/// to the file (dense ranks from 1). Ours agree on the Syria–Iraq conflict of its examples.
#[test]
fn gmcr_files_are_read_as_gmcr_plus_reads_them() {
    let text = std::fs::read_to_string("examples/gmcr/syria_iraq.gmcr").unwrap();
    let c = Conflict::from_gmcr(&text).unwrap();
    assert_eq!(c.state_count(), 6);
    let payoffs = |name: &str| -> Vec<u32> {
        let d = c.dm_id(name).unwrap();
        c.states().map(|s| c.payoff(d, s).unwrap() + 1).collect()
    };
    assert_eq!(payoffs("Syria"), [6, 3, 5, 2, 1, 4]);
    assert_eq!(payoffs("Iraq"), [3, 6, 1, 5, 2, 4]);
    // Misperceptions are kept and written back.
    assert_eq!(c.decision_makers()[0].misperceptions().len(), 1);
    assert!(c.to_gmcr().contains("misperceptions"));

    let pd = std::fs::read_to_string("examples/gmcr/prisoners_dilemma.gmcr").unwrap();
    let pd = Conflict::from_gmcr(&pd).unwrap();
    let a = pd.analyse();
    let numbers = |k| {
        a.equilibria(k)
            .iter()
            .map(|s| s.number())
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(Concept::Nash), [1]);
    assert_eq!(numbers(Concept::Gmr), [1, 4]);
}

#[test]
fn malformed_gmcr_files_are_refused_with_a_path() {
    let err = |text: &str| Conflict::from_gmcr(text).unwrap_err().to_string();
    let file = |dm: &str| {
        format!(
            r#"{{"options": [{{"name": "a", "permittedDirection": "both"}}, {{"name": "b"}}],
                "decisionMakers": [{dm}, {{"name": "B", "options": [1], "preferences": [[[1, "Y"]]]}}],
                "infeasibles": [], "useManualPreferenceRanking": false, "unknownKey": 1}}"#
        )
    };
    assert!(Conflict::from_gmcr(&file(
        r#"{"name": "A", "options": [0], "preferences": [[[0, "Y"]]]}"#
    ))
    .is_ok());
    assert_eq!(
        err(&file(
            r#"{"name": "A", "options": [0], "preferences": [[[0, "Y"], [7, "N"]]]}"#
        )),
        "decisionMakers[0].preferences[0][1]: option 7 does not exist (2 options)"
    );
    assert_eq!(
        err(&file(
            r#"{"name": "A", "options": [0], "preferences": [[[0, "maybe"]]]}"#
        )),
        "decisionMakers[0].preferences[0][0]: `maybe`: expected \"Y\" or \"N\""
    );
    assert_eq!(
        err(&file(r#"{"name": "A", "options": [5], "preferences": []}"#)),
        "decisionMakers[0].options[0]: option 5 does not exist (2 options)"
    );
    assert!(err(&file(r#"{"name": "A", "options": "zero"}"#))
        .starts_with("decisionMakers[0].options: "));
    assert!(err("{").starts_with(".: "));
    // GMCR+ loads a decision maker without options (and the option nobody then controls).
    assert!(
        Conflict::from_gmcr(&file(r#"{"name": "A", "options": [], "preferences": []}"#)).is_ok()
    );
    let twice = file(r#"{"name": "B", "options": [0], "preferences": []}"#);
    assert_eq!(
        err(&twice),
        "decisionMakers[1].name: `B` names two decision makers"
    );
    let many: Vec<String> = (0..30).map(|k| format!(r#"{{"name": "o{k}"}}"#)).collect();
    let many = format!(
        r#"{{"options": [{}], "decisionMakers": []}}"#,
        many.join(", ")
    );
    assert_eq!(err(&many), "30 options: at most 24 are supported");
    let manual = file(r#"{"name": "A", "options": [0], "preferenceRanking": [1, 2, 3, 4]}"#)
        .replace(
            r#""useManualPreferenceRanking": false"#,
            r#""useManualPreferenceRanking": true"#,
        );
    assert_eq!(
        err(&manual),
        "decisionMakers[1].preferenceRanking: missing, although useManualPreferenceRanking is true"
    );
}

/// The seed's recommendation, as the strategy example models it (exported to
/// `examples/gmcr/armenia_azerbaijan.gmcr`): once partners answer an attack with costs Baku
/// weighs above its demands, today's state holds and no attack is an equilibrium, while the
/// signed peace is one.
#[test]
fn seed_raising_the_cost_of_aggression_deters_the_attack() {
    let text = std::fs::read_to_string("examples/gmcr/armenia_azerbaijan.gmcr").unwrap();
    let c = Conflict::from_gmcr(&text).unwrap();
    let a = c.analyse();
    let state = |taken: &[&str]| {
        c.state(&StateRef::Taken(
            taken.iter().map(|s| s.to_string()).collect(),
        ))
        .unwrap()
    };
    let seq = a.equilibria(Concept::Seq);
    assert!(seq.contains(&state(&[])));
    assert!(!seq.contains(&state(&["attack"])));
    assert!(seq.contains(&state(&["amend_constitution", "peace.signed.azerbaijan"])));
    // Baku's attack from today is deterred by the partners' costs.
    let az = a.mover("azerbaijan").unwrap();
    let deterred = a.deterrence(Concept::Seq, az, state(&[])).unwrap();
    assert_eq!(deterred.sanctions[0].improvement, state(&["attack"]));
    assert_eq!(
        deterred.sanctions[0].outcome,
        state(&["attack", "impose_costs"])
    );
    // Signing without the amendment is infeasible: the requirement graph says so.
    assert!(c
        .state(&StateRef::Taken(vec!["peace.signed.azerbaijan".into()]))
        .is_err());
}

/// The bridge: options from a negotiation, feasibility from its requirement graph.
#[test]
fn bridge_takes_feasibility_from_the_requirement_graph() {
    use negotiation::strategy::{Bridge, BridgeError};
    use negotiation::{ConditionSpec, Move, Negotiation, Role, StageKind, TrackSpec};

    // b signs only once a's reform or x's guarantee is in place.
    let mut neg = Negotiation::builder()
        .party("a", "A", Role::Principal)
        .party("b", "B", Role::Principal)
        .party("x", "X", Role::Institution)
        .track(TrackSpec::new("deal", "Deal", ["a", "b"]).stage(StageKind::Signed))
        .condition(
            ConditionSpec::new("reform", "A reforms")
                .owed_by(["a"])
                .demanded_by("b"),
        )
        .condition(ConditionSpec::new("guarantee", "X guarantees").owed_by(["x"]))
        .condition(ConditionSpec::new("joint", "A and B agree").owed_by(["a", "b"]))
        .requires_any_of("deal.signed.b", ["reform", "guarantee"])
        .build()
        .unwrap();
    neg.apply(&Move::fulfil("x", "guarantee")).unwrap();

    let bridge = Bridge::new(&neg)
        .option("reform")
        .option("guarantee")
        .option("deal.signed.b");
    // A refused node is reported by `builder`, the first one only.
    let refused = |key: &str| bridge.clone().option(key).builder().unwrap_err();
    assert_eq!(refused("reform"), BridgeError::Duplicate("reform".into()));
    assert_eq!(refused("zz"), BridgeError::UnknownNode("zz".into()));
    assert!(matches!(
        refused("deal.signed"),
        BridgeError::NotAnOption { kind: "stage", .. }
    ));
    assert_eq!(refused("joint"), BridgeError::NoController("joint".into()));
    let err = bridge
        .clone()
        .option_for("joint", "nobody")
        .option("zz")
        .builder()
        .unwrap_err();
    assert_eq!(
        err,
        BridgeError::UnknownParty {
            key: "joint".into(),
            party: "nobody".into()
        }
    );
    assert_eq!(err.to_string(), "`joint`: unknown party `nobody`");
    let b = bridge
        .builder()
        .unwrap()
        .prioritize("a", ["deal.signed.b"])
        .prioritize("x", ["!guarantee"])
        .prioritize("b", ["deal.signed.b"]);
    let c = b.build().unwrap();
    // Options in order: reform (a), guarantee (x), deal.signed.b (b). Signing with neither
    // alternative is the one infeasible state.
    assert_eq!(c.state_count(), 7);
    assert!(c.state(&StateRef::from("NNY")).is_err());
    assert_eq!(
        c.direction(c.option_id("reform").unwrap()).unwrap(),
        Direction::Forward
    );
    // Today the guarantee is given.
    assert_eq!(c.pattern(c.status_quo().unwrap()).unwrap(), "NYN");
    let names: Vec<&str> = c.decision_makers().iter().map(|d| d.name()).collect();
    assert_eq!(names, ["a", "b", "x"]);
    // x would withdraw its guarantee but cannot (a condition met stays met): from today b
    // signs. With nothing given, b cannot sign, and a alone gains nothing by reforming.
    let a = c.analyse();
    assert_eq!(
        patterns(&c, a.equilibria(Concept::Nash)),
        ["NNN", "YNY", "NYY", "YYY"]
    );
    let sq = a
        .status_quo(c.status_quo().unwrap(), Concept::Nash)
        .unwrap();
    let reached: Vec<String> = sq
        .reachable
        .iter()
        .map(|&(s, _)| c.pattern(s).unwrap())
        .collect();
    assert_eq!(reached, ["NYN", "NYY"]);
}

/// Export writes rankings when any decision maker is ranked directly (GMCR+ has one mode per
/// file), statements otherwise, and the declared coalitions; import reads back the same
/// preferences, directions and coalitions.
#[test]
fn gmcr_export_round_trips_rankings_and_coalitions() {
    let mut b = ConflictBuilder::new();
    b = b
        .option("a")
        .option_with("b", Direction::Forward)
        .option("c");
    b = b
        .decision_maker("A", ["a"])
        .decision_maker("B", ["b"])
        .decision_maker("C", ["c"]);
    b = b.rank(
        "A",
        [
            vec!["NNN", "YNN"],
            vec!["NYN", "YYN", "NNY", "YNY"],
            vec!["NYY", "YYY"],
        ],
    );
    b = b
        .prioritize("B", ["b if a", "!c"])
        .prioritize("C", ["c iff b"]);
    b = b.coalitions([vec!["A"], vec!["B", "C"]]);
    let c = b.build().unwrap();
    let text = c.to_gmcr();
    assert!(text.contains("\"useManualPreferenceRanking\": true"));
    let back = Conflict::from_gmcr(&text).unwrap();
    for (d, e) in c.dm_ids().zip(back.dm_ids()) {
        for (s, t) in c.states().zip(back.states()) {
            assert_eq!(c.payoff(d, s).unwrap(), back.payoff(e, t).unwrap());
        }
    }
    assert_eq!(back.coalitions(), c.coalitions());
    assert_eq!(
        back.direction(back.option_id("b").unwrap()).unwrap(),
        Direction::Forward
    );
    // Mixed preferences come back ranked (GMCR+ has one mode per file); from then on the
    // file is a fixed point.
    let again = back.to_gmcr();
    assert_eq!(Conflict::from_gmcr(&again).unwrap().to_gmcr(), again);
    let joint = |c: &Conflict| {
        let a = c.analyse_coalitions([vec!["A"], vec!["B", "C"]]).unwrap();
        Concept::ALL.map(|k| a.equilibria(k))
    };
    assert_eq!(joint(&c), joint(&back));
}

#[test]
fn progress_is_reported_per_mover_and_the_analysis_is_the_same() {
    let pd = prisoners_dilemma();
    let mut seen = Vec::new();
    let a = pd
        .analyse_with_progress::<&str>(None, &mut |done, total| seen.push((done, total)))
        .unwrap();
    assert_eq!(seen, [(0, 2), (1, 2), (2, 2)]);
    let plain = pd.analyse();
    for c in Concept::ALL {
        assert_eq!(a.equilibria(c), plain.equilibria(c));
    }
    seen.clear();
    let grouped = pd
        .analyse_with_progress(Some(&[vec!["P1", "P2"]]), &mut |d, t| seen.push((d, t)))
        .unwrap();
    assert_eq!(seen, [(0, 1), (1, 1)]);
    assert_eq!(grouped.movers().len(), 1);
    let err = pd
        .analyse_with_progress(Some(&[vec!["P1"]]), &mut |_, _| ())
        .unwrap_err();
    assert!(err.to_string().contains("P2"), "{err}");
}

#[test]
fn the_text_report_lists_equilibria_then_explains_at_most_the_limit() {
    let pd = prisoners_dilemma();
    let options = negotiation::strategy::ReportOptions::new()
        .concepts([Concept::Nash])
        .explained(Some(1));
    let text = pd.analyse().report(&options);
    assert!(
        text.starts_with("Nash: 1\n\n## Stable states per mover\n"),
        "{text}"
    );
    // Three states are unstable under Nash: one explained, two counted.
    assert!(text.contains("... and 2 more\n"), "{text}");
    assert!(!text.contains("GMR"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Handles of one conflict used on another (half the time a clone-free rebuild of the same
    /// conflict, so every index is in range): every function taking a handle answers `None`
    /// or an error, never an answer or a panic; its own handles still answer.
    #[test]
    fn handles_of_another_conflict_are_refused(c in conflicts(), other in conflicts(), same in any::<bool>()) {
        use negotiation::strategy::{Concept, InverseOptions};
        let d = if same { Conflict::from_gmcr(&c.to_gmcr()).unwrap() } else { other };
        let (ca, da) = (c.analyse(), d.analyse());
        let (cu, du) = (c.analyse_uncertain(), d.analyse_uncertain());
        let (ch, dh) = (c.hypergame().ok(), d.hypergame().ok());
        // The clone of a conflict shares its handles.
        let clone = c.clone();
        let s0 = c.states().next().unwrap();
        prop_assert!(clone.pattern(s0).is_some());
        for s in c.states() {
            prop_assert!(c.code(s).is_some());
            prop_assert_eq!(d.code(s), None);
            prop_assert_eq!(d.pattern(s), None);
            prop_assert!(d.changes(s, s).is_none());
            prop_assert!(d.inverse(s, Concept::Nash, &InverseOptions::new()).is_err());
            prop_assert_eq!(du.equilibrium(Concept::Nash, s), None);
            prop_assert_eq!(s.display(&d).to_string(), format!("{} (?)", s.number()));
            for t in d.states() {
                prop_assert!(d.changes(t, s).is_none());
            }
            for m in ca.mover_ids() {
                prop_assert!(ca.is_stable(Concept::Nash, m, s).is_some());
                prop_assert_eq!(da.is_stable(Concept::Nash, m, s), None);
                prop_assert!(da.explain(Concept::Nash, m, s).is_none());
                prop_assert!(da.deterrence(Concept::Nash, m, s).is_none());
                prop_assert!(da.stable_states(Concept::Nash, m).is_none());
            }
            for m in da.mover_ids() {
                prop_assert_eq!(da.is_stable(Concept::Nash, m, s), None);
            }
            prop_assert!(da.status_quo(s, Concept::Nash).is_none());
            prop_assert!(da.report_state(s, &Concept::ALL).is_none());
            for dm in c.dm_ids() {
                prop_assert_eq!(d.payoff(dm, s), None);
                prop_assert!(d.moves(dm, s).is_none());
                prop_assert!(d.improvements(dm, s).is_none());
                prop_assert_eq!(du.status(Concept::Nash, dm, s), None);
                prop_assert_eq!(du.certainty(Concept::Nash, dm, s), None);
                if let Some(dh) = &dh {
                    prop_assert_eq!(dh.perceives(dm, s), None);
                    prop_assert_eq!(dh.to_view(dm, s), None);
                    prop_assert_eq!(dh.stable_in_view(Concept::Nash, dm, s), None);
                }
            }
            for dm in d.dm_ids() {
                prop_assert_eq!(d.payoff(dm, s), None);
                prop_assert!(d.moves(dm, s).is_none());
                prop_assert_eq!(du.status(Concept::Nash, dm, s), None);
            }
            for o in c.option_ids() {
                prop_assert_eq!(d.is_taken(s, o), None);
            }
        }
        for o in c.option_ids() {
            prop_assert_eq!(d.option_name(o), None);
            prop_assert_eq!(d.qualified_name(o), None);
            prop_assert_eq!(d.direction(o), None);
            prop_assert_eq!(d.controller(o), None);
        }
        for dm in c.dm_ids() {
            prop_assert_eq!(d.dm_name(dm), None);
            prop_assert_eq!(du.stable_states(Concept::Nash, dm, negotiation::strategy::Certainty::Possible), None);
            prop_assert_eq!(du.completions(dm), None);
            prop_assert!(cu.completions(dm).is_some());
            let keep = InverseOptions::new().keep(dm);
            let t = d.states().next().unwrap();
            prop_assert!(d.inverse(t, Concept::Nash, &keep).is_err());
            if let Some(dh) = &dh {
                prop_assert!(dh.view(dm).is_none());
                prop_assert!(dh.perceived_states(dm).is_none());
                prop_assert!(dh.view_equilibria(Concept::Nash, dm).is_none());
            }
            if let Some(ch) = &ch {
                prop_assert!(ch.view(dm).is_some());
            }
        }
    }
}

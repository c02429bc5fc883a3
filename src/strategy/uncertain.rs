//! Stability under preference uncertainty: which states are stable under every, some or no
//! admissible completion of partly unknown preferences.

use std::collections::HashMap;
use std::fmt;

use super::conflict::{foreign_note, Conflict, DmId, MoverId, Stamp, StateId};
use super::stability::Concept;

/// The completions [`Conflict::analyse_uncertain`] enumerates at most, per decision maker and
/// jointly, before it falls back to bounds.
pub const DEFAULT_COMPLETION_BUDGET: usize = 1024;

/// How surely a state is stable (or an equilibrium) when preferences are partly unknown.
///
/// Ordered: `Impossible < Possible < Certain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Certainty {
    /// Unstable under every admissible completion of the preferences.
    Impossible,
    /// Stable under at least one admissible completion and unstable under another.
    Possible,
    /// Stable under every admissible completion.
    Certain,
}

impl Certainty {
    /// `certain`, `possible` or `impossible`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Impossible => "impossible",
            Certainty::Possible => "possible",
            Certainty::Certain => "certain",
        }
    }
}

impl fmt::Display for Certainty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an [`UncertainAnalysis`] knows about one state: its [`Certainty`] lies between
/// [`at_least`](Self::at_least) and [`at_most`](Self::at_most). The two are equal (the answer
/// is exact) unless the completions exceeded the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Bounds {
    at_least: Certainty,
    at_most: Certainty,
}

impl Bounds {
    fn exact_at(c: Certainty) -> Bounds {
        Bounds {
            at_least: c,
            at_most: c,
        }
    }

    /// A lower bound on the certainty (sound: the true certainty is never below it).
    #[must_use]
    pub fn at_least(self) -> Certainty {
        self.at_least
    }

    /// An upper bound on the certainty (sound: the true certainty is never above it).
    #[must_use]
    pub fn at_most(self) -> Certainty {
        self.at_most
    }

    /// The certainty when it is known exactly.
    #[must_use]
    pub fn exact(self) -> Option<Certainty> {
        (self.at_least == self.at_most).then_some(self.at_least)
    }

    /// Whether the certainty is known exactly.
    #[must_use]
    pub fn is_exact(self) -> bool {
        self.at_least == self.at_most
    }

    /// From the completions seen: whether some made the state stable, some unstable, and
    /// whether every completion was seen.
    fn seen(stable: bool, unstable: bool, exact: bool) -> Bounds {
        use Certainty::*;
        match (stable, unstable, exact) {
            (true, true, _) => Bounds::exact_at(Possible),
            (true, false, true) => Bounds::exact_at(Certain),
            (false, _, true) => Bounds::exact_at(Impossible),
            (true, false, false) => Bounds {
                at_least: Possible,
                at_most: Certain,
            },
            (false, _, false) => Bounds {
                at_least: Impossible,
                at_most: Possible,
            },
        }
    }
}

impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exact() {
            Some(c) => write!(f, "{c}"),
            None => write!(f, "{} to {}", self.at_least, self.at_most),
        }
    }
}

/// Stability when some preferences are unknown, from [`Conflict::analyse_uncertain`].
///
/// # Semantics
///
/// Each decision maker's stated preferences (a total preorder: its payoffs) are known except
/// on the pairs of states it declares of unknown order ([`ConflictBuilder::uncertain`],
/// [`ConflictBuilder::rank_interval`]). An **admissible completion** of its preferences is a
/// total preorder on the feasible states (a ranking with ties) that orders every other pair as
/// the stated preferences do; a pair of unknown order may end either way or tied. The stated
/// preferences are one completion. A completion of the conflict picks one for every decision
/// maker. Then, for a concept, a decision maker and a state:
///
/// - **certain**: the state is stable for the decision maker under every completion;
/// - **possible**: stable under at least one completion and unstable under another;
/// - **impossible**: stable under none.
///
/// An equilibrium's certainty is the same over "stable for every decision maker". Under SEQ
/// and SIM a decision maker's stability depends on the others' preferences too (through
/// their improvements), so a state possibly stable for each decision maker need not be a
/// possible equilibrium: the completions that make it stable for one may make it unstable for
/// another. Equilibria are decided on joint completions, not from the per-decision-maker
/// answers.
///
/// This is the exact reading "under every / some completion". Li, Hipel, Kilgour & Fang
/// (2004, *Preference uncertainty in the graph model for conflict resolution*) define
/// extended concepts instead, by rules for moves to states of uncertain preference; those are
/// not computed here.
///
/// # Exactness
///
/// The answers are exact when every decision maker's completions number at most the
/// budget and so does their product: every completion is analysed. Otherwise each decision
/// maker's completions (at most the budget of them) are analysed with the others' stated
/// preferences. Nash, GMR and SMR stability for a decision maker depend on its own
/// preferences only, so those stay exact whenever its own completions fit the budget, and so
/// do their equilibria (certain when certain for everyone, possible when possible for
/// everyone). Everything else is then a pair of sound bounds ([`Bounds`]): a completion seen
/// stable makes "possible" a lower bound, one seen unstable makes "possible" an upper bound;
/// and Nash stability is still exact where the known pairs decide it (a move to a state
/// known to be better: impossible; every move to a state known to be no better: certain).
/// [`is_exact`](Self::is_exact) says whether every answer is exact.
///
/// # Examples
///
/// ```
/// use negotiation::strategy::{Certainty, Concept, ConflictBuilder};
///
/// // The Prisoner's Dilemma (each prisoner may cooperate), but whether P1 prefers mutual
/// // cooperation (YY) to mutual defection (NN) is not known.
/// let mut b = ConflictBuilder::new();
/// b = b.option("c1").option("c2");
/// b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
/// b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
/// b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
/// b = b.uncertain("P1", "YY", "NN");
/// let conflict = b.build()?;
/// let u = conflict.analyse_uncertain();
/// assert!(u.is_exact());
/// let yy = conflict.state(&"YY".into())?;
/// let nn = conflict.state(&"NN".into())?;
/// // Mutual defection is a Nash equilibrium whatever P1 thinks of YY.
/// assert_eq!(u.equilibrium(Concept::Nash, nn).and_then(|b| b.exact()), Some(Certainty::Certain));
/// // Mutual cooperation is a GMR equilibrium only if P1 does not prefer NN to YY.
/// assert_eq!(u.equilibrium(Concept::Gmr, yy).and_then(|b| b.exact()), Some(Certainty::Possible));
/// assert_eq!(u.equilibria(Concept::Gmr, Certainty::Certain), [nn]);
/// assert_eq!(u.equilibria(Concept::Gmr, Certainty::Possible), [nn, yy]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`ConflictBuilder::uncertain`]: super::ConflictBuilder::uncertain
/// [`ConflictBuilder::rank_interval`]: super::ConflictBuilder::rank_interval
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[must_use]
pub struct UncertainAnalysis {
    /// The conflict's, for its handles.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
    states: usize,
    decision_makers: usize,
    budget: usize,
    /// Per decision maker: the admissible completions found (at most the budget).
    completions: Vec<usize>,
    /// Per decision maker: whether all its completions were found.
    complete: Vec<bool>,
    /// How many analyses ran.
    analyses: usize,
    /// Work units spent enumerating completions, all decision makers together.
    enumeration_work: u64,
    /// Whether every joint completion was analysed.
    joint: bool,
    /// `[concept][decision maker · states + state]`, concepts as in [`Concept::ALL`].
    stability: Vec<Vec<Bounds>>,
    /// `[concept][state]`.
    equilibria: Vec<Vec<Bounds>>,
}

/// Comparison values: the first state of a pair is preferred (1), tied (0) or less
/// preferred (−1) than the second.
type Rel = i8;
const UNSET: Rel = 2;

/// Whether three pairwise comparisons `a ? b`, `a ? c`, `b ? c` can hold together in a total
/// preorder: some values for a, b, c realize them.
fn triple_ok(ab: Rel, ac: Rel, bc: Rel) -> bool {
    let sign = |x: i8, y: i8| (x - y).signum();
    (0..27).any(|k| {
        let (va, vb, vc) = ((k % 3) as i8, (k / 3 % 3) as i8, (k / 9) as i8);
        sign(va, vb) == ab && sign(va, vc) == ac && sign(vb, vc) == bc
    })
}

/// One decision maker's admissible completions, as relations on its unknown pairs.
struct Completions {
    pairs: Vec<(u32, u32)>,
    lookup: HashMap<(u32, u32), usize>,
    /// Each completion: one relation per pair.
    found: Vec<Vec<Rel>>,
    complete: bool,
}

impl Completions {
    /// Enumerates the admissible completions of `pay` with `pairs` unknown, the stated order
    /// first, by backtracking over the pairs (no recursion) and checking each triple of states
    /// once its last unknown pair is set. Stops after `cap` completions or `work_cap` units of
    /// work: each backtracking step costs one unit per state it scans plus one per unknown
    /// pair it reads. Returns the completions and the work done.
    fn enumerate(
        pay: &[u32],
        pairs: &[(StateId, StateId)],
        cap: usize,
        work_cap: u64,
    ) -> (Self, u64) {
        let pairs: Vec<(u32, u32)> = pairs
            .iter()
            .map(|&(a, b)| (a.index() as u32, b.index() as u32))
            .collect();
        let lookup: HashMap<(u32, u32), usize> =
            pairs.iter().enumerate().map(|(k, &p)| (p, k)).collect();
        let m = pairs.len();
        let stated =
            |a: u32, b: u32| (pay[a as usize] as i64 - pay[b as usize] as i64).signum() as Rel;
        if m == 0 {
            let none = Completions {
                pairs,
                lookup,
                found: vec![Vec::new()],
                complete: true,
            };
            return (none, 0);
        }
        let mut ok = [false; 27];
        for (k, slot) in ok.iter_mut().enumerate() {
            let (ab, ac, bc) = ((k % 3) as i8 - 1, (k / 3 % 3) as i8 - 1, (k / 9) as i8 - 1);
            *slot = triple_ok(ab, ac, bc);
        }
        let options: Vec<[Rel; 3]> = pairs
            .iter()
            .map(|&(a, b)| {
                let s = stated(a, b);
                let mut o = [s, 0, 0];
                let mut k = 1;
                for r in [1, 0, -1] {
                    if r != s {
                        o[k] = r;
                        k += 1;
                    }
                }
                o
            })
            .collect();
        let n = pay.len() as u32;
        // Per state, the unknown pairs it is in: (other state, pair index).
        let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); pay.len()];
        for (j, &(a, b)) in pairs.iter().enumerate() {
            if let Some(x) = adj.get_mut(a as usize) {
                x.push((b, j as u32));
            }
            if let Some(x) = adj.get_mut(b as usize) {
                x.push((a, j as u32));
            }
        }
        // Dense scratch: for the pair being set (a, b), the unknown pair index of (a, c) and
        // of (b, c) for each state c, or NONE (then the stated relation holds).
        const NONE: u32 = u32::MAX;
        let mut via_a = vec![NONE; pay.len()];
        let mut via_b = vec![NONE; pay.len()];
        let mut val = vec![UNSET; m];
        let mut choice = vec![0usize; m];
        let mut found = Vec::new();
        let mut work = 0u64;
        let mut k = 0usize;
        // The relation of `x` to `c` as far as known: set (pair `j`), stated, or UNSET.
        let rel = |val: &[Rel], j: u32, x: u32, c: u32| -> Rel {
            if j == NONE {
                return stated(x, c);
            }
            let r = val.get(j as usize).copied().unwrap_or(UNSET);
            match pairs.get(j as usize) {
                Some(&(p, _)) if p == x || r == UNSET => r,
                _ => -r,
            }
        };
        let complete = loop {
            if choice[k] == 3 {
                val[k] = UNSET;
                choice[k] = 0;
                if k == 0 {
                    break true;
                }
                k -= 1;
                choice[k] += 1;
                continue;
            }
            let (a, b) = pairs[k];
            let (adj_a, adj_b) = (&adj[a as usize], &adj[b as usize]);
            work = work.saturating_add(u64::from(n) + (adj_a.len() + adj_b.len()) as u64);
            if work > work_cap {
                break false;
            }
            val[k] = options[k][choice[k]];
            let ab = val[k];
            for &(c, j) in adj_a {
                via_a[c as usize] = j;
            }
            for &(c, j) in adj_b {
                via_b[c as usize] = j;
            }
            let consistent = (0..n).filter(|&c| c != a && c != b).all(|c| {
                let ac = rel(&val, via_a[c as usize], a, c);
                let bc = rel(&val, via_b[c as usize], b, c);
                ac == UNSET
                    || bc == UNSET
                    || ok[(ab + 1) as usize + 3 * (ac + 1) as usize + 9 * (bc + 1) as usize]
            });
            for &(c, _) in adj_a {
                via_a[c as usize] = NONE;
            }
            for &(c, _) in adj_b {
                via_b[c as usize] = NONE;
            }
            if !consistent {
                choice[k] += 1;
            } else if k + 1 == m {
                if found.len() == cap {
                    break false;
                }
                found.push(val.clone());
                choice[k] += 1;
            } else {
                k += 1;
                choice[k] = 0;
            }
        };
        let done = Completions {
            pairs,
            lookup,
            found,
            complete,
        };
        (done, work)
    }

    /// The payoffs (dense ranks, higher preferred) of completion `j` of stated payoffs `pay`.
    fn payoffs(&self, pay: &[u32], j: usize) -> Vec<u32> {
        let val = &self.found[j];
        let cmp = |x: u32, y: u32| -> std::cmp::Ordering {
            let (lo, hi, flip) = if x < y { (x, y, false) } else { (y, x, true) };
            let r = match self.lookup.get(&(lo, hi)) {
                Some(&k) => val[k],
                None => (pay[lo as usize] as i64 - pay[hi as usize] as i64).signum() as Rel,
            };
            let r = if flip { -r } else { r };
            r.cmp(&0)
        };
        let mut order: Vec<u32> = (0..pay.len() as u32).collect();
        // A total preorder by construction (every triple was checked), so the sort is sound.
        order.sort_by(|&x, &y| cmp(x, y));
        let mut out = vec![0u32; pay.len()];
        let mut rank = 0u32;
        for w in 0..order.len() {
            if w > 0 && cmp(order[w - 1], order[w]).is_lt() {
                rank += 1;
            }
            out[order[w] as usize] = rank;
        }
        out
    }
}

/// What the analyses saw, per concept: per (decision maker, state) whether some analysis
/// found it stable / unstable; per state whether some found it an equilibrium / not.
struct Seen {
    n: usize,
    stable: Vec<Vec<(bool, bool)>>,
    eq: Vec<Vec<(bool, bool)>>,
}

impl Seen {
    fn record(&mut self, conflict: &Conflict) {
        let analysis = conflict.analyse();
        let d = conflict.decision_makers().len();
        for (c, concept) in Concept::ALL.into_iter().enumerate() {
            for s in 0..self.n {
                let mut all = true;
                for m in 0..d {
                    let st = analysis.is_stable_raw(
                        concept,
                        MoverId::from_index(m),
                        StateId::from_index(s),
                    );
                    let slot = &mut self.stable[c][m * self.n + s];
                    if st {
                        slot.0 = true;
                    } else {
                        slot.1 = true;
                        all = false;
                    }
                }
                let slot = &mut self.eq[c][s];
                if all {
                    slot.0 = true;
                } else {
                    slot.1 = true;
                }
            }
        }
    }
}

/// Whether stability for a decision maker under `concept` depends on its own preferences only
/// (Nash, GMR, SMR: the others' moves count, not their preferences).
fn own_only(concept: Concept) -> bool {
    matches!(concept, Concept::Nash | Concept::Gmr | Concept::Smr)
}

impl Conflict {
    /// [`analyse_uncertain_within`](Self::analyse_uncertain_within) with
    /// [`DEFAULT_COMPLETION_BUDGET`].
    ///
    /// # Examples
    ///
    /// Chicken, with driver 1 unsure whether it prefers both swerving (YY) to swerving alone
    /// (YN):
    ///
    /// ```
    /// use negotiation::strategy::{Certainty, Concept, ConflictBuilder};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("swerve1").option("swerve2");
    /// b = b.decision_maker("Driver 1", ["swerve1"]).decision_maker("Driver 2", ["swerve2"]);
    /// b = b.rank("Driver 1", [["NY"], ["YY"], ["YN"], ["NN"]]);
    /// b = b.rank("Driver 2", [["YN"], ["YY"], ["NY"], ["NN"]]);
    /// b = b.uncertain("Driver 1", "YY", "YN");
    /// let conflict = b.build()?;
    /// let u = conflict.analyse_uncertain();
    /// let names = |states: Vec<_>| -> Vec<String> {
    ///     states.into_iter().filter_map(|s| conflict.pattern(s)).collect()
    /// };
    /// // The two "one swerves" outcomes stay Nash equilibria whatever driver 1 thinks.
    /// assert_eq!(names(u.equilibria(Concept::Nash, Certainty::Certain)), ["YN", "NY"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn analyse_uncertain(&self) -> UncertainAnalysis {
        self.analyse_uncertain_within(DEFAULT_COMPLETION_BUDGET)
    }

    /// Decides, for every concept, decision maker and state, whether the state is stable
    /// under every, some or no admissible completion of the preferences (see
    /// [`UncertainAnalysis`] for the semantics and when the answers are bounds). With fully
    /// known preferences there is one completion, and the answers are exactly
    /// [`analyse`](Self::analyse)'s: certain where it says stable, impossible elsewhere.
    ///
    /// `budget` (at least 1) bounds the completions enumerated per decision maker and the
    /// joint completions analysed.
    ///
    /// # Complexity
    ///
    /// With S states, D decision makers, u_i unknown pairs of decision maker i, C_i ≤ budget
    /// its completions, u the largest u_i and B the budget: enumerating C_i does at most
    /// W = 256 · B · (u + 1) units of work (plus one step's worth: the step that crosses it),
    /// where a backtracking step costs S + (the unknown pairs of the two states it compares)
    /// units, with dense arrays only; past W it stops and the answers become bounds
    /// ([`UncertainAnalysis::is_exact`] is `false`; [`UncertainAnalysis::enumeration_work`]
    /// reports the work done). So enumeration takes O(D · (W + S + u)) time, plus O(S + u_i)
    /// to set up, and O(C_i · u_i + S + u_i) memory. Then one
    /// [`analyse`](Self::analyse) of the whole conflict per analysed completion, plus
    /// O(S log S) to rank it and O(D · S) to record it: Π C_i analyses when that is at most B
    /// (exact), else Σ C_i ≤ D · B. One copy of the conflict is kept; the results take
    /// O(D · S) memory.
    pub fn analyse_uncertain_within(&self, budget: usize) -> UncertainAnalysis {
        let budget = budget.max(1);
        let n = self.state_count();
        let d = self.decision_makers().len();
        let work_cap = 256u64.saturating_mul(budget as u64).saturating_mul(
            1 + self
                .decision_makers()
                .iter()
                .map(|m| m.uncertain_pairs().len())
                .max()
                .unwrap_or(0) as u64,
        );
        let mut enumeration_work = 0u64;
        let comps: Vec<Completions> = self
            .decision_makers()
            .iter()
            .enumerate()
            .map(|(i, dm)| {
                let (c, w) = Completions::enumerate(
                    &self.payoffs[i],
                    dm.uncertain_pairs(),
                    budget,
                    work_cap,
                );
                enumeration_work = enumeration_work.saturating_add(w);
                c
            })
            .collect();
        let product = comps
            .iter()
            .fold(1usize, |p, c| p.saturating_mul(c.found.len().max(1)));
        let joint = comps.iter().all(|c| c.complete) && product <= budget;
        let mut seen = Seen {
            n,
            stable: vec![vec![(false, false); d * n]; Concept::ALL.len()],
            eq: vec![vec![(false, false); n]; Concept::ALL.len()],
        };
        let mut work = self.clone();
        let mut analyses = 0usize;
        let base: Vec<Vec<u32>> = self.payoffs.clone();
        if joint {
            // An odometer over every decision maker's completion.
            let mut digit = vec![0usize; d];
            loop {
                for i in 0..d {
                    if comps[i].pairs.is_empty() {
                        continue;
                    }
                    work.set_payoffs(DmId::from_index(i), comps[i].payoffs(&base[i], digit[i]));
                }
                seen.record(&work);
                analyses += 1;
                let mut i = 0;
                loop {
                    if i == d {
                        break;
                    }
                    digit[i] += 1;
                    if digit[i] < comps[i].found.len() {
                        break;
                    }
                    digit[i] = 0;
                    i += 1;
                }
                if i == d {
                    break;
                }
            }
        } else {
            // One decision maker's completions at a time, the others as stated.
            for i in 0..d {
                if comps[i].found.len() < 2 {
                    continue;
                }
                for j in 0..comps[i].found.len() {
                    work.set_payoffs(DmId::from_index(i), comps[i].payoffs(&base[i], j));
                    seen.record(&work);
                    analyses += 1;
                }
                work.set_payoffs(DmId::from_index(i), base[i].clone());
            }
            if analyses == 0 {
                seen.record(&work);
                analyses += 1;
            }
        }
        let mut stability = Vec::with_capacity(Concept::ALL.len());
        let mut equilibria = Vec::with_capacity(Concept::ALL.len());
        for (c, concept) in Concept::ALL.into_iter().enumerate() {
            let exact_for = |i: usize| joint || (own_only(concept) && comps[i].complete);
            let st: Vec<Bounds> = (0..d * n)
                .map(|k| {
                    let (yes, no) = seen.stable[c][k];
                    let (i, s) = (k / n.max(1), k % n.max(1));
                    let found = Bounds::seen(yes, no, exact_for(i));
                    if concept == Concept::Nash && !found.is_exact() {
                        self.nash_from_known_pairs(i, s, &comps[i]).unwrap_or(found)
                    } else {
                        found
                    }
                })
                .collect();
            let eq: Vec<Bounds> = (0..n)
                .map(|s| {
                    let (yes, no) = seen.eq[c][s];
                    let from_seen = Bounds::seen(yes, no, joint);
                    if joint {
                        return from_seen;
                    }
                    let movers = (0..d).map(|i| st[i * n + s]);
                    let hi = movers
                        .clone()
                        .map(Bounds::at_most)
                        .fold(from_seen.at_most, Ord::min);
                    let lo = if own_only(concept) {
                        movers
                            .map(Bounds::at_least)
                            .fold(Certainty::Certain, Ord::min)
                    } else if movers.clone().all(|m| m.at_least == Certainty::Certain) {
                        Certainty::Certain
                    } else {
                        Certainty::Impossible
                    };
                    Bounds {
                        at_least: lo.max(from_seen.at_least).min(hi),
                        at_most: hi,
                    }
                })
                .collect();
            stability.push(st);
            equilibria.push(eq);
        }
        UncertainAnalysis {
            stamp: self.stamp,
            states: n,
            decision_makers: d,
            budget,
            completions: comps.iter().map(|c| c.found.len()).collect(),
            complete: comps.iter().map(|c| c.complete).collect(),
            analyses,
            enumeration_work,
            joint,
            stability,
            equilibria,
        }
    }
}

impl Conflict {
    /// Nash stability of state `s` for decision maker `i` decided from its known pairs alone,
    /// when they decide it: impossible when a move leads to a state known to be better,
    /// certain when every move leads to a state known to be no better.
    fn nash_from_known_pairs(&self, i: usize, s: usize, comps: &Completions) -> Option<Bounds> {
        let pay = &self.payoffs[i];
        let from = StateId::from_index(s);
        let mut all_known_no_better = true;
        for t in self.moves_raw(DmId::from_index(i), from) {
            let key = (
                from.index().min(t.index()) as u32,
                from.index().max(t.index()) as u32,
            );
            if comps.lookup.contains_key(&key) {
                all_known_no_better = false;
            } else if pay[t.index()] > pay[s] {
                return Some(Bounds::exact_at(Certainty::Impossible));
            }
        }
        all_known_no_better.then_some(Bounds::exact_at(Certainty::Certain))
    }
}

impl UncertainAnalysis {
    /// What is known of state `s`'s stability for decision maker `d` under `concept`. Unknown
    /// ids are exactly impossible.
    #[must_use]
    pub fn status(&self, concept: Concept, d: DmId, s: StateId) -> Option<Bounds> {
        let d = d.fits(self.stamp, self.decision_makers)?;
        let s = s.fits(self.stamp, self.states)?;
        Some(self.stability[concept as usize][d * self.states + s])
    }

    /// The certainty of state `s`'s stability for `d` under `concept`, when exact.
    #[must_use]
    pub fn certainty(&self, concept: Concept, d: DmId, s: StateId) -> Option<Certainty> {
        self.status(concept, d, s)?.exact()
    }

    /// What is known of state `s` being an equilibrium (stable for every decision maker at
    /// once) under `concept`. Unknown ids are exactly impossible.
    #[must_use]
    pub fn equilibrium(&self, concept: Concept, s: StateId) -> Option<Bounds> {
        let s = s.fits(self.stamp, self.states)?;
        Some(self.equilibria[concept as usize][s])
    }

    /// The states known to be equilibria under `concept` with at least certainty `level`,
    /// ascending: `Certain` gives the certain equilibria, `Possible` the possible ones
    /// (certain ones included). A state whose answer is a bound is listed only when its lower
    /// bound reaches `level`, so the list is never too long.
    #[must_use]
    pub fn equilibria(&self, concept: Concept, level: Certainty) -> Vec<StateId> {
        (0..self.states)
            .map(StateId::from_index)
            .filter(|&s| self.equilibria[concept as usize][s.index()].at_least >= level)
            .collect()
    }

    /// The states known to be stable for `d` under `concept` with at least certainty
    /// `level`, ascending (as [`equilibria`](Self::equilibria)).
    #[must_use]
    pub fn stable_states(
        &self,
        concept: Concept,
        d: DmId,
        level: Certainty,
    ) -> Option<Vec<StateId>> {
        let d = d.fits(self.stamp, self.decision_makers)?;
        let row = &self.stability[concept as usize][d * self.states..(d + 1) * self.states];
        Some(
            (0..self.states)
                .filter(|&s| row[s].at_least >= level)
                .map(StateId::from_index)
                .collect(),
        )
    }

    /// Whether every answer is exact (no bound).
    #[must_use]
    pub fn is_exact(&self) -> bool {
        self.stability
            .iter()
            .chain(&self.equilibria)
            .flatten()
            .all(|s| s.is_exact())
    }

    /// How many analyses of completed preferences ran.
    #[must_use]
    pub fn analyses(&self) -> usize {
        self.analyses
    }

    /// The budget the analysis ran with.
    #[must_use]
    pub fn budget(&self) -> usize {
        self.budget
    }

    /// The work spent enumerating the completions, all decision makers together: one unit per
    /// state scanned and per unknown pair read by each backtracking step. Per decision maker
    /// it stops past 256 · budget · (u + 1), with u the most unknown pairs of any decision
    /// maker (see [`Conflict::analyse_uncertain_within`](super::Conflict::analyse_uncertain_within)).
    #[must_use]
    pub fn enumeration_work(&self) -> u64 {
        self.enumeration_work
    }

    /// Decision maker `d`'s admissible completions found, and whether that is all of them
    /// (`false` when they exceed the budget). `(0, false)` for an unknown id.
    #[must_use]
    pub fn completions(&self, d: DmId) -> Option<(usize, bool)> {
        let d = d.fits(self.stamp, self.decision_makers)?;
        match (self.completions.get(d), self.complete.get(d)) {
            (Some(&n), Some(&c)) => Some((n, c)),
            _ => None,
        }
    }

    /// The results as text, with `conflict`'s names (the conflict analysed): a header with
    /// the analyses run, then per concept the equilibria by certainty and each decision
    /// maker's states by certainty, 1-based state numbers, bounds written `a to b`.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::ConflictBuilder;
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("c1").option("c2");
    /// b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    /// b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    /// b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    /// b = b.uncertain("P1", "YY", "NN");
    /// let conflict = b.build()?;
    /// let text = conflict.analyse_uncertain().display(&conflict).to_string();
    /// assert!(text.contains("GMR equilibria: certain 1; possible 4"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn display<'a>(&'a self, conflict: &'a Conflict) -> impl fmt::Display + 'a {
        DisplayUncertain {
            analysis: self,
            conflict,
        }
    }
}

struct DisplayUncertain<'a> {
    analysis: &'a UncertainAnalysis,
    conflict: &'a Conflict,
}

/// `certain 1 3; possible 2; possible to certain 4` (empty classes left out; `none`).
fn classes(statuses: impl Iterator<Item = Bounds>) -> String {
    let mut groups: Vec<(Bounds, Vec<usize>)> = Vec::new();
    for (s, st) in statuses.enumerate() {
        if st.exact() == Some(Certainty::Impossible) {
            continue;
        }
        match groups.iter_mut().find(|(g, _)| *g == st) {
            Some((_, v)) => v.push(s + 1),
            None => groups.push((st, vec![s + 1])),
        }
    }
    // Most certain first; exact before bounds.
    groups.sort_by_key(|(st, _)| {
        (
            std::cmp::Reverse(st.at_least),
            std::cmp::Reverse(st.at_most),
        )
    });
    if groups.is_empty() {
        return "none".into();
    }
    groups
        .iter()
        .map(|(st, v)| {
            let nums: Vec<String> = v.iter().map(|k| k.to_string()).collect();
            format!("{st} {}", nums.join(" "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for DisplayUncertain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.analysis;
        if !a.stamp.admits(self.conflict) {
            return writeln!(f, "{}", foreign_note("analysis"));
        }
        writeln!(
            f,
            "Preference uncertainty: {} analyses of completed preferences ({}); states by \
             number, impossible ones left out",
            a.analyses,
            if a.is_exact() {
                "exact"
            } else {
                "over the budget: `a to b` marks bounds"
            }
        )?;
        for (c, concept) in Concept::ALL.into_iter().enumerate() {
            writeln!(
                f,
                "{concept} equilibria: {}",
                classes(a.equilibria[c].iter().copied())
            )?;
            for i in 0..a.decision_makers {
                let name = self.conflict.dm_name_raw(DmId::from_index(i));
                let row = &a.stability[c][i * a.states..(i + 1) * a.states];
                writeln!(f, "  {name}: {}", classes(row.iter().copied()))?;
            }
        }
        Ok(())
    }
}

//! Why a state is unstable for a mover (the undeterred improvement), why it is stable (the
//! sanctions), and where the status quo can go.

use std::fmt;

use super::conflict::{foreign_note, from_fn, Conflict, MoverId, Stamp, StateId};
use super::stability::{Analysis, Concept, Mover, Space};

/// How the other movers fail to deter one improvement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Response {
    /// Nash stability does not consider responses.
    NotConsidered,
    /// The others cannot move at all from the improved state (for SEQ and SIM: they have no
    /// improvement of their own).
    None,
    /// Every state the others can bring about is one the mover prefers to the start.
    AllPreferred {
        /// How many states (for SIM: feasible combined states) they can bring about.
        count: usize,
        /// The one the mover likes least (for a coalition: with the lowest sum of its members'
        /// ranks).
        least_preferred: StateId,
    },
    /// SMR: each sanction can be escaped. The worst sanction for the mover, and its escape: a
    /// move of its own from there to a state it prefers to the start.
    Escaped {
        /// The sanction.
        sanction: StateId,
        /// The mover's escape from it.
        escape: StateId,
    },
}

/// One improvement the others cannot deter.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Unsanctioned {
    /// The concept whose sanction is missing (SEQ or SIM for SEQ+SIM).
    pub concept: Concept,
    /// The state the mover improves to.
    pub improvement: StateId,
    /// What the others can do about it.
    pub response: Response,
}

/// Why a state is unstable for a mover under a concept: an improvement the others cannot deter
/// (under SEQ+SIM, one for SEQ and one for SIM). Made by [`Analysis::explain`]; as text by
/// [`display`](Self::display).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Instability {
    /// The concept.
    pub concept: Concept,
    /// The mover.
    pub mover: MoverId,
    /// The unstable state.
    pub state: StateId,
    /// The undeterred improvements.
    pub reasons: Vec<Unsanctioned>,
    /// The analysis' movers, for their names.
    movers: Vec<Mover>,
    /// The conflict analysed.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
}

/// Why a state is stable for a mover under a concept: each of its improvements with the
/// sanction that deters it. Made by [`Analysis::deterrence`]; as text by
/// [`display`](Self::display).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Deterrence {
    /// The concept.
    pub concept: Concept,
    /// The mover.
    pub mover: MoverId,
    /// The stable state.
    pub state: StateId,
    /// Per improvement, its sanction; empty when the mover has no improvement.
    pub sanctions: Vec<Sanction>,
    /// The analysis' movers, for their names.
    movers: Vec<Mover>,
    /// The conflict analysed.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
}

/// A path of moves from a state ([`StatusQuo::paths`]); as text by
/// [`display`](Self::display): `1 (NN) -P1→ 3 (YN) -P2→ 4 (YY)`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Path {
    /// Where it starts.
    pub from: StateId,
    /// The moves, in order; empty for the start itself.
    pub steps: Vec<Step>,
    /// The analysis' movers, for their names.
    movers: Vec<Mover>,
    /// The conflict analysed.
    #[cfg_attr(feature = "serde", serde(skip))]
    stamp: Stamp,
}

/// How the other movers deter one improvement: their answer and where it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Sanction {
    /// The concept whose sanction this is.
    pub concept: Concept,
    /// The improvement deterred.
    pub improvement: StateId,
    /// The others' answer: a legal sequence of moves from the improvement (for SIM, their
    /// simultaneous moves, each from the original state).
    pub answer: Vec<Step>,
    /// Where the answer ends: a state the mover does not prefer to the original one.
    pub outcome: StateId,
}

/// One move of a path: who moved, from where, to where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Step {
    /// The mover.
    pub mover: MoverId,
    /// The state before.
    pub from: StateId,
    /// The state after.
    pub to: StateId,
}

/// Where a status quo can go by unilateral improvements, no mover moving twice in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct StatusQuo {
    /// The starting state.
    pub from: StateId,
    /// The concept whose equilibria are sought.
    pub concept: Concept,
    /// Every state reachable (the start included, at distance 0) with the fewest moves to it,
    /// ascending by state.
    pub reachable: Vec<(StateId, usize)>,
    /// For each equilibrium, a shortest path to it (empty for the start itself), or `None` when
    /// it cannot be reached.
    pub paths: Vec<(StateId, Option<Path>)>,
}

impl Analysis<'_> {
    /// Why state `s` is unstable for mover `m` under `concept`; `None` when it is stable (or
    /// the mover is another analysis' or the state another conflict's).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::{Concept, ConflictBuilder};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("c1").option("c2");
    /// b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    /// b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    /// b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    /// let conflict = b.build()?;
    /// let analysis = conflict.analyse();
    /// let (yy, ny) = (conflict.state(&"YY".into())?, conflict.state(&"NY".into())?);
    /// let p1 = analysis.mover("P1").unwrap();
    /// // Under Nash nothing deters P1 from defecting to NY.
    /// let why = analysis.explain(Concept::Nash, p1, yy).expect("unstable");
    /// assert_eq!(why.reasons[0].improvement, ny);
    /// // Under GMR, P2's defection deters it: no explanation.
    /// assert!(analysis.explain(Concept::Gmr, p1, yy).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// Searches the others' legal sequences from each improvement in turn: at most
    /// O(states × movers × moves) per improvement.
    #[must_use]
    pub fn explain(&self, concept: Concept, m: MoverId, s: StateId) -> Option<Instability> {
        if self.conflict.st(s).is_none()
            || self.mv(m).is_none()
            || self.is_stable_raw(concept, m, s)
        {
            return None;
        }
        let space = self.space();
        let i = m.index();
        let others: Vec<usize> = (0..self.movers.len()).filter(|&k| k != i).collect();
        let improvements: Vec<u32> = space.improvements(i, s.index).collect();
        let reasons = concept
            .parts()
            .iter()
            .map(|&c| {
                improvements.iter().find_map(|&s1| {
                    judge(&space, c, i, &others, s.index, s1)
                        .err()
                        .map(|response| Unsanctioned {
                            concept: c,
                            improvement: StateId(s1),
                            response,
                        })
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Instability {
            concept,
            mover: m,
            state: s,
            reasons,
            movers: self.movers.clone(),
            stamp: self.conflict.stamp,
        })
    }

    /// Why state `s` is stable for mover `m` under `concept`: each of its improvements with
    /// the sanction that deters it (a shortest one, for GMR, SMR and SEQ). Empty when it has no
    /// improvement; `None` when the state is unstable (or the mover is another analysis' or the
    /// state another conflict's). Under SEQ+SIM,
    /// the SEQ sanctions when the state is SEQ-stable, else the SIM ones.
    #[must_use]
    pub fn deterrence(&self, concept: Concept, m: MoverId, s: StateId) -> Option<Deterrence> {
        if self.conflict.st(s).is_none()
            || self.mv(m).is_none()
            || !self.is_stable_raw(concept, m, s)
        {
            return None;
        }
        let base = match concept {
            Concept::SeqSim if self.is_stable_raw(Concept::Seq, m, s) => Concept::Seq,
            Concept::SeqSim => Concept::Sim,
            c => c,
        };
        let space = self.space();
        let i = m.index();
        let others: Vec<usize> = (0..self.movers.len()).filter(|&k| k != i).collect();
        let sanctions = space
            .improvements(i, s.index)
            .map(|s1| judge(&space, base, i, &others, s.index, s1).ok())
            .collect::<Option<Vec<_>>>()?;
        Some(Deterrence {
            concept,
            mover: m,
            state: s,
            sanctions,
            movers: self.movers.clone(),
            stamp: self.conflict.stamp,
        })
    }

    /// The states reachable from `from` by unilateral improvements, no mover moving twice in a
    /// row, and a shortest path to each equilibrium of `concept`.
    ///
    /// # Complexity
    ///
    /// Breadth-first over (state, last mover) pairs: O(states × movers × moves).
    ///
    /// `None` for a state of another conflict.
    #[must_use]
    pub fn status_quo(&self, from: StateId, concept: Concept) -> Option<StatusQuo> {
        self.conflict.st(from)?;
        let mut reachable = Vec::new();
        let mut paths = Vec::new();
        {
            let space = self.space();
            let all: Vec<usize> = (0..self.movers.len()).collect();
            let search = space.search(from.index, &all, true);
            let mut first = vec![usize::MAX; self.conflict.state_count()];
            let mut depth = vec![0usize; search.nodes.len()];
            for (k, n) in search.nodes.iter().enumerate() {
                if k > 0 {
                    depth[k] = depth[n.parent] + 1;
                }
                let f = &mut first[n.state as usize];
                if *f == usize::MAX {
                    *f = k;
                    reachable.push((StateId(n.state), depth[k]));
                }
            }
            reachable.sort_unstable();
            for e in self.equilibria(concept) {
                let path = (first[e.index()] != usize::MAX).then(|| Path {
                    from,
                    steps: search
                        .path(first[e.index()])
                        .into_iter()
                        .map(|(m, a, b)| Step {
                            mover: MoverId(m as u32),
                            from: StateId(a),
                            to: StateId(b),
                        })
                        .collect(),
                    movers: self.movers.clone(),
                    stamp: self.conflict.stamp,
                });
                paths.push((e, path));
            }
        }
        Some(StatusQuo {
            from,
            concept,
            reachable,
            paths,
        })
    }
}

/// A mover's name among `movers`; empty for an unknown id.
fn name(movers: &[Mover], m: MoverId) -> &str {
    movers.get(m.index()).map_or("", |m| m.name())
}

impl Instability {
    /// The explanation as text, a sentence per undeterred improvement. `conflict` names the
    /// states and options; it must be the conflict analysed.
    #[must_use]
    pub fn display<'a>(&'a self, conflict: &'a Conflict) -> impl fmt::Display + 'a {
        from_fn(move |f| self.write(conflict, f))
    }

    fn write(&self, c: &Conflict, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.stamp.admits(c) {
            return writeln!(out, "{}", foreign_note("explanation"));
        }
        let mover = name(&self.movers, self.mover);
        for r in &self.reasons {
            let changes = c
                .changes_raw(self.state, r.improvement)
                .into_iter()
                .map(|o| {
                    let now = if c.is_taken_raw(r.improvement, o) {
                        "Y"
                    } else {
                        "N"
                    };
                    format!("{}→{now}", c.qualified_name_raw(o))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let prefers = match self.movers.get(self.mover.index()) {
                Some(m) if m.members().len() > 1 => "each of its members prefers",
                _ => "it prefers",
            };
            write!(
                out,
                "{} is not {}-stable for {mover}: {mover} can move to {} ({changes}), which \
                 {prefers}",
                self.state.display(c),
                r.concept,
                r.improvement.display(c),
            )?;
            let others = match r.concept {
                Concept::Seq => "the others' improving sequences",
                Concept::Sim => "the others' simultaneous improvements",
                _ => "the others' moves",
            };
            match &r.response {
                Response::NotConsidered => write!(out, ".")?,
                Response::None => write!(out, ", and {others} cannot answer it.")?,
                Response::AllPreferred {
                    count,
                    least_preferred,
                } if *count == 1 => write!(
                    out,
                    ", and the one state {others} can bring about, {}, is also better for \
                     {mover} than {}.",
                    least_preferred.display(c),
                    self.state,
                )?,
                Response::AllPreferred {
                    count,
                    least_preferred,
                } => write!(
                    out,
                    ", and all {count} states {others} can bring about are better for {mover} \
                     than {} (the least good: {}).",
                    self.state,
                    least_preferred.display(c),
                )?,
                Response::Escaped { sanction, escape } => write!(
                    out,
                    "; the others can answer with {}, but from there {mover} escapes to {}, \
                     which it prefers to {}.",
                    sanction.display(c),
                    escape.display(c),
                    self.state,
                )?,
            };
            writeln!(out)?;
        }
        Ok(())
    }
}

impl Deterrence {
    /// The deterrence as text, a sentence per improvement. `conflict` names the states; it
    /// must be the conflict analysed.
    #[must_use]
    pub fn display<'a>(&'a self, conflict: &'a Conflict) -> impl fmt::Display + 'a {
        from_fn(move |f| self.write(conflict, f))
    }

    fn write(&self, c: &Conflict, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.stamp.admits(c) {
            return writeln!(out, "{}", foreign_note("deterrence"));
        }
        let (concept, s) = (self.concept, self.state);
        let mover = name(&self.movers, self.mover);
        if self.sanctions.is_empty() {
            return writeln!(
                out,
                "{} is {concept}-stable for {mover}: no move of its own improves on it.",
                s.display(c)
            );
        }
        for x in &self.sanctions {
            let answer = x
                .answer
                .iter()
                .map(|step| {
                    format!(
                        "{} → {}",
                        name(&self.movers, step.mover),
                        step.to.display(c)
                    )
                })
                .collect::<Vec<_>>();
            let how = if x.concept == Concept::Sim {
                format!(
                    "{} at the same time, giving {}",
                    answer.join(" and "),
                    x.outcome.display(c)
                )
            } else {
                answer.join(", then ")
            };
            writeln!(
                out,
                "{} is {}-stable for {mover}: its move to {} would be answered by {how}; \
                 {mover} does not prefer {} to {}.",
                s.display(c),
                x.concept,
                x.improvement.display(c),
                x.outcome,
                s,
            )?;
        }
        Ok(())
    }
}

impl Path {
    /// The path as text: `1 (NN) -P1→ 3 (YN) -P2→ 4 (YY)`. `conflict` names the states; it
    /// must be the conflict analysed.
    #[must_use]
    pub fn display<'a>(&'a self, conflict: &'a Conflict) -> impl fmt::Display + 'a {
        from_fn(move |f| {
            if !self.stamp.admits(conflict) {
                return f.write_str(&foreign_note("path"));
            }
            write!(f, "{}", self.from.display(conflict))?;
            for step in &self.steps {
                let who = name(&self.movers, step.mover);
                write!(f, " -{who}→ {}", step.to.display(conflict))?;
            }
            Ok(())
        })
    }
}

/// How one improvement `s → s1` of mover `i` fares under a base concept (not SEQ+SIM): `Ok`
/// with its sanction, or `Err` with what the others can do instead.
fn judge(
    space: &Space<'_>,
    concept: Concept,
    i: usize,
    others: &[usize],
    s: u32,
    s1: u32,
) -> Result<Sanction, Response> {
    let least = |states: &[u32]| -> Option<StateId> {
        let members = space.movers[i].members();
        states
            .iter()
            .copied()
            .min_by_key(|&t| {
                let sum: u64 = members
                    .iter()
                    .map(|&m| u64::from(space.conflict.payoff_raw(m, StateId(t))))
                    .sum();
                (sum, t)
            })
            .map(StateId)
    };
    let all_preferred = |states: Vec<u32>| match least(&states) {
        Some(least_preferred) => Response::AllPreferred {
            count: states.len(),
            least_preferred,
        },
        None => Response::None,
    };
    let step = |(m, a, b): (usize, u32, u32)| Step {
        mover: MoverId(m as u32),
        from: StateId(a),
        to: StateId(b),
    };
    let sanction = |answer: Vec<Step>, outcome: u32| Sanction {
        concept,
        improvement: StateId(s1),
        answer,
        outcome: StateId(outcome),
    };
    match concept {
        Concept::Nash => Err(Response::NotConsidered),
        Concept::Gmr | Concept::Seq | Concept::Smr => {
            let search = space.search(s1, others, concept == Concept::Seq);
            let escape = |s2: u32| space.moves(i, s2).find(|&t| !space.not_better(i, s, t));
            // The first node in breadth-first order: a shortest answer.
            let found = search.nodes.iter().enumerate().skip(1).find(|(_, n)| {
                space.not_better(i, s, n.state)
                    && (concept != Concept::Smr || escape(n.state).is_none())
            });
            if let Some((at, n)) = found {
                let answer = search.path(at).into_iter().map(step).collect();
                return Ok(sanction(answer, n.state));
            }
            let reached: Vec<u32> = search.reached().collect();
            let sanctions: Vec<u32> = reached
                .iter()
                .copied()
                .filter(|&t| space.not_better(i, s, t))
                .collect();
            match least(&sanctions) {
                // SMR: every sanction has an escape.
                Some(sanction) => {
                    Err(
                        escape(sanction.index).map_or(Response::None, |e| Response::Escaped {
                            sanction,
                            escape: StateId(e),
                        }),
                    )
                }
                None => Err(all_preferred(reached)),
            }
        }
        Concept::Sim | Concept::SeqSim => match space.sim_judge(i, others, s, s1) {
            Ok((outcome, moves)) => {
                let answer = moves.into_iter().map(|(k, t)| step((k, s, t))).collect();
                Ok(sanction(answer, outcome))
            }
            Err(outcomes) => Err(all_preferred(outcomes)),
        },
    }
}

//! Leverage: what each party holds up and what it waits on.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use crate::ids::{NodeId, PartyId};
use crate::lookup::actors_of;
use crate::model::{NodeData, RequirementKind};
use crate::state::Negotiation;
use crate::util::Rendered;

use super::name;

/// What one party holds up and what it waits on; see [`Negotiation::leverage`]. Only acts in
/// play count: those whose track's previous stage is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PartyLeverage {
    /// The party.
    pub party: PartyId,
    /// Per other party: the unsatisfied nodes this party must act on that block that
    /// party's acts (frontier blockers).
    pub holds_up: Vec<(PartyId, Vec<NodeId>)>,
    /// Its unsatisfied preconditions on its own acts.
    pub preconditions: Vec<NodeId>,
    /// Per other party: the frontier blockers of this party's acts that that party must
    /// act on.
    pub waits_on: Vec<(PartyId, Vec<NodeId>)>,
}

/// Who holds up whom.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Leverage {
    /// One entry per party, in declaration order.
    pub parties: Vec<PartyLeverage>,
    /// `(waiter, holder, count)`: the waiter's acts are blocked by `count` frontier nodes
    /// the holder must act on. Sorted.
    pub pairs: Vec<(PartyId, PartyId, usize)>,
}

impl Negotiation {
    /// Per party, what it holds up for others and what it waits on; per pair, who waits on
    /// whom. Computed from the frontier blockers of every pending blocked act: what
    /// [`blockers`](Self::blockers) of each such act would group by actor.
    ///
    /// # Complexity
    ///
    /// One pass over the nodes, and one walk of the unsatisfied nodes below the blocked acts in
    /// play, which carries to each node the set of parties whose acts it blocks (a bit per
    /// party). A node is walked again only when it gains parties, so at most once per party,
    /// and in practice once: linear in the blocked region for up to 64 parties, where one
    /// explanation per act was the sum of their regions. No budget: the answer is exact.
    pub fn leverage(&self) -> Leverage {
        let n = self.parties.len();
        // Per party, per other party, nodes in ascending order (each pushed once).
        let mut waits: Vec<BTreeMap<PartyId, Vec<NodeId>>> = vec![BTreeMap::new(); n];
        let mut holds: Vec<BTreeMap<PartyId, Vec<NodeId>>> = vec![BTreeMap::new(); n];
        let mut preconditions: Vec<BTreeSet<NodeId>> = vec![BTreeSet::new(); n];
        let mut waiting = Waiting::new(self.nodes.len(), n);
        // One party's bit, for the acts' requirements.
        let mut one = vec![0u64; waiting.words];
        for act in self.node_ids() {
            let NodeData::Act(a) = &self.nodes[act.index()].data else {
                continue;
            };
            if a.performed {
                continue;
            }
            for r in self.graph.requirements(act) {
                if r.by == Some(a.party) && !self.satisfied(r.target) {
                    preconditions[a.party.index()].insert(r.target);
                }
            }
            // An act still waiting for its track's previous stage is not in play yet.
            let in_play = self
                .graph
                .requirements(act)
                .all(|r| r.kind != RequirementKind::PreviousStage || self.satisfied(r.target));
            if !self.blocked(act) || !in_play {
                continue;
            }
            // What the act's explanation starts from: its unsatisfied requirements (an act is
            // never required through an act-of-a-stage edge, so the explanation's rule for a
            // stage target does not arise).
            let word = a.party.index() / 64;
            one[word] = 1 << (a.party.index() % 64);
            for r in self.graph.requirements(act) {
                if !self.satisfied(r.target) {
                    waiting.pass(r.target.index(), &one);
                }
            }
            one[word] = 0;
        }
        // Below them, every unsatisfied requirement of a node passes its parties on.
        let mut delta = vec![0u64; waiting.words];
        while let Some(x) = waiting.next(&mut delta) {
            for r in self.graph.requirements(self.node_handle(x)) {
                if !self.satisfied(r.target) {
                    waiting.pass(r.target.index(), &delta);
                }
            }
        }
        // The frontier of the walk: reached nodes with nothing unsatisfied below them, not
        // lapsed; in order, so that each list is built sorted.
        waiting.nodes.sort_unstable();
        for &i in &waiting.nodes {
            let y = self.node_handle(i);
            if self.lapsed_at(y).is_some()
                || self
                    .graph
                    .requirements(y)
                    .any(|r| !self.satisfied(r.target))
            {
                continue;
            }
            let mut holders = actors_of(self, y);
            holders.sort_unstable();
            holders.dedup();
            for waiter in waiting.of(i).map(|p| self.party_handle(p)) {
                for &holder in holders.iter().filter(|&&h| h != waiter) {
                    waits[waiter.index()].entry(holder).or_default().push(y);
                    holds[holder.index()].entry(waiter).or_default().push(y);
                }
            }
        }
        let mut pairs = Vec::new();
        for (waiter, m) in waits.iter().enumerate() {
            for (&holder, s) in m {
                pairs.push((self.party_handle(waiter), holder, s.len()));
            }
        }
        Leverage {
            parties: holds
                .into_iter()
                .zip(waits)
                .zip(preconditions)
                .enumerate()
                .map(|(i, ((holds, waits), preconditions))| PartyLeverage {
                    party: self.party_handle(i),
                    holds_up: holds.into_iter().collect(),
                    preconditions: preconditions.into_iter().collect(),
                    waits_on: waits.into_iter().collect(),
                })
                .collect(),
            pairs,
        }
    }
}

impl Leverage {
    /// A table: per party, who it holds up and who it waits on (parties with nothing to
    /// show are left out).
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "answer");
            }
            let list = |v: &[(PartyId, Vec<NodeId>)]| -> String {
                if v.is_empty() {
                    return "-".to_owned();
                }
                v.iter()
                    .map(|(p, ns)| {
                        let keys: Vec<&str> = ns.iter().map(|&n| negotiation.key_of(n)).collect();
                        format!("{} ({})", name(negotiation, *p), keys.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            // Parties that hold up nobody, wait on nobody and have no precondition are left out.
            for p in self.parties.iter().filter(|p| {
                !(p.holds_up.is_empty() && p.waits_on.is_empty() && p.preconditions.is_empty())
            }) {
                let pre: Vec<&str> = p
                    .preconditions
                    .iter()
                    .map(|&n| negotiation.key_of(n))
                    .collect();
                let mut line = String::new();
                let _ = write!(
                    line,
                    "{}: holds up {}",
                    name(negotiation, p.party),
                    list(&p.holds_up)
                );
                let _ = write!(line, " | waits on {}", list(&p.waits_on));
                if !pre.is_empty() {
                    let _ = write!(line, " | own preconditions: {}", pre.join(", "));
                }
                writeln!(f, "{line}")?;
            }
            Ok(())
        })
    }
}

/// For [`Negotiation::leverage`]'s walk: per node, the parties whose blocked acts it lies
/// below (`reached`) and those not yet passed on to its requirements (`pending`), a bit per
/// party; the nodes with pending parties, to walk; every node reached, once.
struct Waiting {
    words: usize,
    reached: Vec<u64>,
    pending: Vec<u64>,
    stack: Vec<usize>,
    nodes: Vec<usize>,
}

impl Waiting {
    fn new(nodes: usize, parties: usize) -> Self {
        let words = parties.div_ceil(64).max(1);
        Waiting {
            words,
            reached: vec![0; nodes * words],
            pending: vec![0; nodes * words],
            stack: Vec::new(),
            nodes: Vec::new(),
        }
    }

    /// Node `node`'s words.
    fn bits(&self, node: usize) -> std::ops::Range<usize> {
        node * self.words..(node + 1) * self.words
    }

    /// The parties of `parties` (a bit each) lie above `node`: those it did not have are
    /// pending there.
    fn pass(&mut self, node: usize, parties: &[u64]) {
        let bits = self.bits(node);
        let was_pending = self.pending[bits.clone()].iter().any(|&w| w != 0);
        if self.reached[bits.clone()].iter().all(|&w| w == 0) {
            self.nodes.push(node);
        }
        let mut gained = false;
        for ((reached, pending), &p) in self.reached[bits.clone()]
            .iter_mut()
            .zip(&mut self.pending[bits])
            .zip(parties)
        {
            let new = p & !*reached;
            *reached |= new;
            *pending |= new;
            gained |= new != 0;
        }
        if gained && !was_pending {
            self.stack.push(node);
        }
    }

    /// A node with pending parties, which are moved to `delta`.
    fn next(&mut self, delta: &mut [u64]) -> Option<usize> {
        let node = self.stack.pop()?;
        let bits = self.bits(node);
        delta.copy_from_slice(&self.pending[bits.clone()]);
        self.pending[bits].fill(0);
        Some(node)
    }

    /// The indices of the parties above `node`, in order.
    fn of(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.reached[self.bits(node)]
            .iter()
            .enumerate()
            .flat_map(|(w, &word)| {
                (0..64)
                    .filter(move |b| word >> b & 1 == 1)
                    .map(move |b| w * 64 + b)
            })
    }
}

crate::foreign::owned! {
    PartyLeverage { party, holds_up, preconditions, waits_on }
    Leverage { parties, pairs }
}

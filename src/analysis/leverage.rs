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
    /// One pass over the nodes, then walks of the unsatisfied nodes below the blocked acts in
    /// play (their region) instead of one explanation per act: the region is found once, with
    /// its requirements; then each of its nodes gets the set of parties whose acts it lies
    /// below (a bit per party) from its requirers, once all of them have theirs. That is
    /// linear in the region times a word per 64 parties. Nodes on or below a cycle of
    /// unsatisfied requirements are settled after, each walked again whenever it gains a party
    /// (at most once per party). Memory: 4 bytes per model node, and per node of the region
    /// its requirements and a word per 64 parties. No budget: the answer is exact.
    pub fn leverage(&self) -> Leverage {
        let n = self.parties.len();
        // Per party, per other party, nodes in ascending order (each pushed once).
        let mut waits: Vec<BTreeMap<PartyId, Vec<NodeId>>> = vec![BTreeMap::new(); n];
        let mut holds: Vec<BTreeMap<PartyId, Vec<NodeId>>> = vec![BTreeMap::new(); n];
        let mut preconditions: Vec<BTreeSet<NodeId>> = vec![BTreeSet::new(); n];
        let mut waiting = Waiting::new(self.nodes.len(), n);
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
            // What the act's explanation starts from: its unsatisfied requirements. (An act
            // requires nothing through an act-of-a-stage edge, so the explanation's rule for
            // those edges of a stage target does not arise.)
            for r in self.graph.requirements(act) {
                if !self.satisfied(r.target) {
                    waiting.add(r.target.index(), a.party.index());
                }
            }
        }
        waiting.find_region(self);
        waiting.settle();
        // The frontier: nodes of the region with nothing unsatisfied below them, not lapsed; in
        // node order, so that each list is built sorted.
        let mut order: Vec<usize> = (0..waiting.nodes.len()).collect();
        order.sort_unstable_by_key(|&i| waiting.nodes[i]);
        for i in order {
            let y = self.node_handle(waiting.nodes[i]);
            if !waiting.below(i).is_empty() || self.lapsed_at(y).is_some() {
                continue;
            }
            let mut holders = actors_of(self, y);
            holders.sort_unstable();
            holders.dedup();
            for waiter in waiting.indices(i).map(|p| self.party_handle(p)) {
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

/// For [`Negotiation::leverage`]: the region below the blocked acts in play (the unsatisfied
/// nodes their unsatisfied requirements lead to) and, per node of it, the parties whose
/// blocked acts it lies below, a bit per party. Nodes of the region are numbered in the order
/// found (their position).
struct Waiting {
    /// Words of bits per node.
    words: usize,
    /// Per model node, its position in the region; [`OUTSIDE`] if it is not in it.
    position: Vec<u32>,
    /// Per position, the node.
    nodes: Vec<usize>,
    /// Per position, its parties' words.
    parties: Vec<u64>,
    /// Per position, the positions of the nodes it requires (its unsatisfied requirements),
    /// as runs of `below`: `below[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    below: Vec<u32>,
}

/// Not in the region (a model has fewer nodes).
const OUTSIDE: u32 = u32::MAX;

impl Waiting {
    fn new(nodes: usize, parties: usize) -> Self {
        Waiting {
            words: parties.div_ceil(64).max(1),
            position: vec![OUTSIDE; nodes],
            nodes: Vec::new(),
            parties: Vec::new(),
            start: Vec::new(),
            below: Vec::new(),
        }
    }

    /// Node `node`'s position, putting it in the region if it is not.
    fn find(&mut self, node: usize) -> usize {
        if self.position[node] == OUTSIDE {
            // Fewer than `u32::MAX` nodes in a model (`BuildError::TooLarge`).
            self.position[node] = self.nodes.len() as u32;
            self.nodes.push(node);
            self.parties.resize(self.parties.len() + self.words, 0);
        }
        self.position[node] as usize
    }

    /// Party `party`'s blocked act requires `node`.
    fn add(&mut self, node: usize, party: usize) {
        let i = self.find(node);
        self.parties[i * self.words + party / 64] |= 1 << (party % 64);
    }

    /// Finds the rest of the region: what the nodes found so far require, and so on.
    fn find_region(&mut self, neg: &Negotiation) {
        let mut i = 0;
        while let Some(&x) = self.nodes.get(i) {
            self.start.push(self.below.len());
            for r in neg.graph.requirements(neg.node_handle(x)) {
                if !neg.satisfied(r.target) {
                    let j = self.find(r.target.index());
                    self.below.push(j as u32);
                }
            }
            i += 1;
        }
        self.start.push(self.below.len());
    }

    /// The positions position `i` requires.
    fn below(&self, i: usize) -> &[u32] {
        &self.below[self.start[i]..self.start[i + 1]]
    }

    /// Passes each node's parties on to what it requires, once all its requirers have passed
    /// theirs; then, on and below cycles, again each time a node gains parties, until none
    /// does.
    fn settle(&mut self) {
        let (n, w) = (self.nodes.len(), self.words);
        let mut requirers = vec![0u32; n];
        for &j in &self.below {
            requirers[j as usize] += 1;
        }
        let mut ready: Vec<usize> = (0..n).filter(|&i| requirers[i] == 0).collect();
        let mut carried = vec![0u64; w];
        while let Some(i) = ready.pop() {
            carried.copy_from_slice(&self.parties[i * w..(i + 1) * w]);
            for k in self.start[i]..self.start[i + 1] {
                let j = self.below[k] as usize;
                for (to, from) in self.parties[j * w..(j + 1) * w].iter_mut().zip(&carried) {
                    *to |= from;
                }
                requirers[j] -= 1;
                if requirers[j] == 0 {
                    ready.push(j);
                }
            }
        }
        // What is left lies on or below a cycle and has passed nothing on: all its parties
        // are pending.
        let mut stack: Vec<usize> = (0..n).filter(|&i| requirers[i] > 0).collect();
        let mut pending: Vec<u64> = vec![0; n * w];
        for &i in &stack {
            pending[i * w..(i + 1) * w].copy_from_slice(&self.parties[i * w..(i + 1) * w]);
        }
        while let Some(i) = stack.pop() {
            carried.copy_from_slice(&pending[i * w..(i + 1) * w]);
            pending[i * w..(i + 1) * w].fill(0);
            for k in self.start[i]..self.start[i + 1] {
                let j = self.below[k] as usize;
                let was_pending = pending[j * w..(j + 1) * w].iter().any(|&p| p != 0);
                let mut gained = false;
                for ((to, pend), from) in self.parties[j * w..(j + 1) * w]
                    .iter_mut()
                    .zip(&mut pending[j * w..(j + 1) * w])
                    .zip(&carried)
                {
                    let new = from & !*to;
                    *to |= new;
                    *pend |= new;
                    gained |= new != 0;
                }
                if gained && !was_pending {
                    stack.push(j);
                }
            }
        }
    }

    /// The indices of the parties above position `i`, in order.
    fn indices(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let words = &self.parties[i * self.words..(i + 1) * self.words];
        words.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + b
                })
            })
        })
    }
}

crate::foreign::owned! {
    PartyLeverage { party, holds_up, preconditions, waits_on }
    Leverage { parties, pairs }
}

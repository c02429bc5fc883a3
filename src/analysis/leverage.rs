//! Leverage: what each party holds up and what it waits on.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use crate::ids::{NodeId, PartyId};
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
    /// whom. Computed from the frontier blockers of every pending blocked act.
    ///
    /// # Complexity
    ///
    /// One pass over the nodes, and one blocker explanation per pending, blocked act in play:
    /// the sum of their explained regions (a region shared by several acts is walked once per
    /// act). No budget: the explanations are exact.
    pub fn leverage(&self) -> Leverage {
        let n = self.parties.len();
        let mut waits: Vec<BTreeMap<PartyId, BTreeSet<NodeId>>> = vec![BTreeMap::new(); n];
        let mut holds: Vec<BTreeMap<PartyId, BTreeSet<NodeId>>> = vec![BTreeMap::new(); n];
        let mut preconditions: Vec<BTreeSet<NodeId>> = vec![BTreeSet::new(); n];
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
            for (holder, nodes) in self.explain(act).group_by_actor(self) {
                let Some(holder) = holder else { continue };
                if holder == a.party {
                    continue;
                }
                waits[a.party.index()]
                    .entry(holder)
                    .or_default()
                    .extend(nodes.iter().copied());
                holds[holder.index()]
                    .entry(a.party)
                    .or_default()
                    .extend(nodes);
            }
        }
        let flatten = |m: &BTreeMap<PartyId, BTreeSet<NodeId>>| -> Vec<(PartyId, Vec<NodeId>)> {
            m.iter()
                .map(|(&p, s)| (p, s.iter().copied().collect()))
                .collect()
        };
        let mut pairs = Vec::new();
        for (waiter, m) in waits.iter().enumerate() {
            for (&holder, s) in m {
                pairs.push((self.party_handle(waiter), holder, s.len()));
            }
        }
        Leverage {
            parties: (0..n)
                .map(|i| PartyLeverage {
                    party: self.party_handle(i),
                    holds_up: flatten(&holds[i]),
                    preconditions: preconditions[i].iter().copied().collect(),
                    waits_on: flatten(&waits[i]),
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

crate::foreign::owned! {
    PartyLeverage { party, holds_up, preconditions, waits_on }
    Leverage { parties, pairs }
}

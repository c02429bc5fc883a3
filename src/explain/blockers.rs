//! `Negotiation::blockers`: why a node is blocked, found by a worklist over (entry, party);
//! `group_progress`; and the groupings of an explanation by who must act and who demands.

use std::collections::{BTreeMap, BTreeSet};

use crate::ids::{NodeId, PartyId, Target, TargetError};
use crate::lookup::actors_of;
use crate::model::{Basis, NodeData, NodeKind, Position, RequirementKind, Threshold};
use crate::state::Negotiation;
use crate::util::{IdMap, Runs};

use super::types::{
    Cause, Demand, Entry, Explanation, GroupProgress, Grouping, Outstanding, Reason, Step,
};

impl Explanation {
    /// Every unsatisfied node standing between the target and the frontier (the target and
    /// requirement groups excluded), sorted by node.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] naming the first node `negotiation` does not have, if the
    /// explanation is another negotiation's.
    pub fn unsatisfied(&self, negotiation: &Negotiation) -> Result<Vec<NodeId>, TargetError> {
        negotiation.check_nodes(self.entries.iter().map(|e| e.node))?;
        Ok(self.unsatisfied_nodes(negotiation))
    }

    /// [`unsatisfied`](Self::unsatisfied) of an explanation of `negotiation`.
    pub(crate) fn unsatisfied_nodes(&self, negotiation: &Negotiation) -> Vec<NodeId> {
        let mut all: Vec<NodeId> = self
            .entries
            .iter()
            .skip(1)
            .map(|e| e.node)
            .filter(|&n| negotiation.kind(n) != Some(NodeKind::Group))
            .collect();
        all.sort_unstable();
        all
    }

    /// The frontier grouped by the party that must act: a condition's obligors (those that
    /// have not done their part, for a joint obligation), an act's performer, the principals
    /// who have not accepted an article, a concession's party.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] naming the first node `negotiation` does not have, if the
    /// explanation is another negotiation's.
    pub fn by_actor(&self, negotiation: &Negotiation) -> Result<Grouping, TargetError> {
        negotiation.check_nodes(self.entries.iter().map(|e| e.node))?;
        Ok(self.group_by_actor(negotiation))
    }

    /// [`by_actor`](Self::by_actor) of an explanation of `negotiation`.
    pub(crate) fn group_by_actor(&self, negotiation: &Negotiation) -> Grouping {
        let mut groups = Grouping::new();
        for n in self.frontier() {
            let actors = actors_of(negotiation, n);
            if actors.is_empty() {
                groups.entry(None).or_default().push(n);
            }
            for p in actors {
                groups.entry(Some(p)).or_default().push(n);
            }
        }
        groups
    }

    /// The frontier grouped by the party that demands it, through the chain (see
    /// [`demands`](Self::demands)). Procedures and structure demand nothing: a frontier node
    /// only they lead to is under `None`. Read from the explanation alone: the negotiation is
    /// not consulted.
    #[must_use]
    pub fn by_demander(&self, _negotiation: &Negotiation) -> Grouping {
        let mut groups = Grouping::new();
        for (i, e) in self.entries.iter().enumerate().skip(1) {
            if e.reason != Reason::Frontier {
                continue;
            }
            let demands = self.demands(i);
            if demands.is_empty() {
                groups.entry(None).or_default().push(e.node);
            }
            for d in demands {
                groups.entry(Some(d.party)).or_default().push(e.node);
            }
        }
        for nodes in groups.values_mut() {
            nodes.sort_unstable();
        }
        groups
    }
}

/// The parties that demand a node by its own data: a condition's demander, the principals who
/// accept an article the others have not. Allocates nothing.
pub(super) fn demanders_of(neg: &Negotiation, n: NodeId) -> impl Iterator<Item = PartyId> + '_ {
    let (demander, article) = match neg.nodes.get(n.index()).map(|node| &node.data) {
        Some(NodeData::Condition(c)) => (c.demanded_by, None),
        Some(NodeData::Article(a)) => (None, Some(a)),
        _ => (None, None),
    };
    let accepting = article.into_iter().flat_map(move |a| {
        neg.tracks
            .get(a.track.index())
            .into_iter()
            .flat_map(|t| t.principals.iter().copied())
            .filter(move |&p| a.position(p) == Position::Accepts)
    });
    demander.into_iter().chain(accepting)
}

impl Negotiation {
    /// Why `target` is blocked, as data. Empty when it is not blocked (satisfied, or its move
    /// can be made now).
    ///
    /// # Complexity
    ///
    /// Linear in the part of the graph it explains — the unsatisfied nodes reachable from the
    /// target through unsatisfied requirements, and their edges — times the number of
    /// demanding parties, plus a sort of that part for its deadlocks. Iterative.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("reform", "B reforms").owed_by(["b"]).demanded_by("a"))
    ///     .condition(ConditionSpec::new("vote", "B's parliament votes").owed_by(["b"]))
    ///     .precondition("a", "reform", "deal.signed")
    ///     .requires("reform", "vote")
    ///     .build()?;
    /// let why = neg.blockers(neg.node_id("deal.signed").unwrap()).unwrap();
    /// let vote = neg.node_id("vote").unwrap();
    /// assert_eq!(why.frontier(), vec![vote]);
    /// // The outstanding requirement is the demand itself; the vote serves it.
    /// assert_eq!(why.outstanding()[0].node, neg.node_id("reform").unwrap());
    /// let a = neg.party_id("a");
    /// assert_eq!(why.by_demander(&neg)[&a], vec![vote]);
    /// println!("{}", why.display(&neg));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node (an unknown key, with the
    /// nearest one; a handle of another negotiation).
    pub fn blockers<'a>(&self, target: impl Into<Target<'a>>) -> Result<Explanation, TargetError> {
        Ok(self.explain(self.resolve_target(target)?))
    }

    /// [`blockers`](Self::blockers) of a node of this negotiation.
    pub(crate) fn explain(&self, target: NodeId) -> Explanation {
        if !self.blocked(target) {
            return Explanation::default();
        }
        let frontier = |node| Entry {
            node,
            reason: Reason::Frontier,
            start: 0,
            len: 0,
            dstart: 0,
            dlen: 0,
        };
        let mut entries = vec![frontier(target)];
        let mut causes: Vec<Cause> = Vec::new();
        // Node → its entry: hashed while the explanation is a small part of the model.
        let mut index = IdMap::new(self.nodes.len());
        index.insert(target.index(), 0);
        let mut needed = Vec::new();
        // `(entry, party)` for each party demanding an entry's node, in entry order: read here,
        // where the node's record is read anyway.
        let mut demanders: Vec<(usize, PartyId)> = Vec::new();
        // Entries are explained in order, so each one's causes are appended contiguously.
        let mut i = 0;
        let warm = self.reads_ahead();
        while i < entries.len() {
            if warm && i.is_multiple_of(crate::state::READ_AHEAD) {
                self.read_ahead(entries[i..].iter().map(|e| e.node));
            }
            let node = entries[i].node;
            self.needed(node, i == 0, &mut needed);
            let start = causes.len();
            for &(step, y) in &needed {
                let entry = match index.get(y.index()) {
                    Some(entry) => entry,
                    None => {
                        entries.push(frontier(y));
                        index.insert(y.index(), entries.len() - 1);
                        entries.len() - 1
                    }
                };
                causes.push(Cause { step, entry });
            }
            let e = &mut entries[i];
            e.start = start as u32;
            e.len = (causes.len() - start) as u32;
            e.reason = match &self.nodes[node.index()].data {
                _ if self.lapsed_at(node).is_some() => Reason::Lapsed,
                _ if e.len == 0 => Reason::Frontier,
                NodeData::Group(_) => Reason::AnyOf,
                _ => Reason::AllOf,
            };
            demanders.extend(demanders_of(self, node).map(|party| (i, party)));
            i += 1;
        }
        let mut why = Explanation {
            entries,
            causes,
            ..Explanation::default()
        };
        why.demands = self.carry_demands(&mut why.entries, &why.causes, &demanders);
        why.outstanding = outstanding(self, &why);
        why.deadlocks = match on_cycles(&why) {
            Some(members) => self.deadlocks_among(&members),
            None => Vec::new(),
        };
        why
    }

    /// Each entry's demands: seeded where a party demands a node (the target of its
    /// precondition; a condition it demands, listed in `demanders` as `(entry, party)` in entry
    /// order), then carried down every cause to what the demanded node needs. A worklist over
    /// (entry, party): each pair is added once (a bit per party and entry says which are), so
    /// the walk is linear in the explanation times the demanding parties.
    fn carry_demands(
        &self,
        entries: &mut [Entry],
        causes: &[Cause],
        demanders: &[(usize, PartyId)],
    ) -> Vec<Demand> {
        let cause_range = |e: &Entry| &causes[e.start as usize..(e.start + e.len) as usize];
        let words = self.parties.len().div_ceil(64).max(1);
        let mut has = vec![0u64; entries.len() * words];
        // Every (entry, demand) pair in the order added, which is also the worklist's order.
        let mut pairs: Vec<(usize, Demand)> = Vec::new();
        let mut add = |i: usize, d: Demand, pairs: &mut Vec<(usize, Demand)>| {
            let bit = d.party.index();
            let word = &mut has[i * words + bit / 64];
            let mask = 1u64 << (bit % 64);
            if *word & mask == 0 {
                *word |= mask;
                pairs.push((i, d));
            }
        };
        let mut demanders = demanders.iter().peekable();
        for (i, e) in entries.iter().enumerate() {
            while let Some(&(_, party)) = demanders.next_if(|&&(j, _)| j == i) {
                let d = Demand {
                    party,
                    through: e.node,
                };
                add(i, d, &mut pairs);
            }
            for c in cause_range(e) {
                if let Step::Precondition { party } = c.step {
                    let d = Demand {
                        party,
                        through: entries[c.entry].node,
                    };
                    add(c.entry, d, &mut pairs);
                }
            }
        }
        let mut next = 0;
        while let Some(&(i, d)) = pairs.get(next) {
            next += 1;
            for c in cause_range(&entries[i]) {
                add(c.entry, d, &mut pairs);
            }
        }
        // Grouped by entry (a counting sort), each entry's demands sorted by party.
        let mut grouped = Runs::new(entries.len(), || pairs.iter().copied());
        for (i, e) in entries.iter_mut().enumerate() {
            let range = grouped.range(i);
            e.dstart = range.start as u32;
            e.dlen = range.len() as u32;
            grouped.of_mut(i).sort_unstable();
        }
        grouped.into_values()
    }

    /// The unsatisfied nodes `node` needs, with the step, sorted by node, into `out`. For a
    /// stage as the target, only its blocked acts.
    fn needed(&self, node: NodeId, is_target: bool, out: &mut Vec<(Step, NodeId)>) {
        out.clear();
        for r in self.graph.requirements(node) {
            if self.satisfied(r.target)
                || (is_target && r.kind == RequirementKind::Act && !self.blocked(r.target))
            {
                continue;
            }
            let step = match r.kind {
                RequirementKind::Act => match &self.nodes[r.target.index()].data {
                    NodeData::Act(a) => Step::Act { party: a.party },
                    _ => Step::Procedure,
                },
                RequirementKind::PreviousStage => Step::PreviousStage,
                RequirementKind::Article => Step::Article,
                RequirementKind::Procedure => Step::Procedure,
                RequirementKind::Precondition => match r.by {
                    Some(party) => Step::Precondition { party },
                    None => Step::Procedure,
                },
                RequirementKind::Alternative => Step::Alternative,
            };
            out.push((step, r.target));
        }
        out.sort_unstable_by_key(|&(_, n)| n);
    }

    /// How far requirement group `group` is from its threshold: what it needs, how much of
    /// it is reached, how much more is needed, and which alternatives remain. `None` if the
    /// node is not a requirement group, or is not a node of this negotiation.
    #[must_use]
    pub fn group_progress(&self, group: NodeId) -> Option<GroupProgress> {
        if !self.has_node(group) {
            return None;
        }
        let (threshold, reached, more_needed) = self.group_counts(group)?;
        Some(GroupProgress {
            threshold,
            reached,
            more_needed,
            remaining: self.unsatisfied_targets(group),
        })
    }

    /// A group's threshold, the count or weight of its alternatives reached, and how much
    /// more it needs: [`group_progress`](Self::group_progress) without listing the
    /// alternatives. `None` if `group` is not a group.
    pub(crate) fn group_counts(&self, group: NodeId) -> Option<(Threshold, u32, u32)> {
        let NodeData::Group(g) = &self.nodes.get(group.index())?.data else {
            return None;
        };
        let reached = g.total - self.unsat[group.index()].min(g.total);
        Some((g.threshold, reached, g.needed().saturating_sub(reached)))
    }
}

/// The entries left over by Kahn's algorithm on the explanation's causes (the cycles and what
/// they need), or `None` when the causes form no cycle. Linear, on dense entry indices.
fn on_cycles(why: &Explanation) -> Option<BTreeSet<NodeId>> {
    let n = why.entries.len();
    let mut indegree = vec![0u32; n];
    for c in &why.causes {
        indegree[c.entry] += 1;
    }
    let mut queue: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut removed = 0;
    while let Some(i) = queue.pop() {
        removed += 1;
        for c in why.causes(i) {
            indegree[c.entry] -= 1;
            if indegree[c.entry] == 0 {
                queue.push(c.entry);
            }
        }
    }
    (removed < n).then(|| {
        (0..n)
            .filter(|&i| indegree[i] > 0)
            .map(|i| why.entries[i].node)
            .collect()
    })
}

/// The outstanding requirements of an explanation: the causes of the target, or for a stage,
/// the causes of its blocked acts, merged by node.
fn outstanding(neg: &Negotiation, why: &Explanation) -> Vec<Outstanding> {
    let is_stage = why
        .target()
        .is_some_and(|t| neg.kind(t) == Some(NodeKind::Stage));
    let mut tops: Vec<(usize, NodeId, Basis)> = Vec::new();
    for c in why.causes(0) {
        let requirer = why.entries[0].node;
        match c.step {
            Step::Act { .. } if is_stage => {
                let act = why.entries[c.entry].node;
                tops.extend(
                    why.causes(c.entry)
                        .iter()
                        .map(|d| (d.entry, act, d.step.basis())),
                );
            }
            step => tops.push((c.entry, requirer, step.basis())),
        }
    }
    let mut merged: BTreeMap<NodeId, Outstanding> = BTreeMap::new();
    for (entry, requirer, basis) in tops {
        let node = why.entries[entry].node;
        merged
            .entry(node)
            .or_insert_with(|| Outstanding {
                node,
                entry,
                required_by: Vec::new(),
            })
            .required_by
            .push((requirer, basis));
    }
    let mut out: Vec<Outstanding> = merged.into_values().collect();
    for o in &mut out {
        o.required_by.sort_unstable();
    }
    out
}

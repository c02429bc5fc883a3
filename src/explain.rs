//! Blocker explanations as data, and a default text reporter.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::{self, Write as _};

use crate::analysis::Deadlock;
use crate::foreign::{foreign_note, Owned};
use crate::ids::{NodeId, PartyId, Target, TargetError};
use crate::model::{Basis, NodeData, NodeKind, Position, RequirementKind, Threshold};
use crate::state::Negotiation;

/// How an entry of an explanation needs another: one typed step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Step {
    /// A stage needs this party's act.
    Act {
        /// The performer.
        party: PartyId,
    },
    /// An act needs the previous stage of its track.
    PreviousStage,
    /// An act of a track's first stage needs an article of the track agreed.
    Article,
    /// A rule of law or of the process requires it; nobody demands it.
    Procedure,
    /// A party's precondition on its own act (or on a condition it owes).
    Precondition {
        /// The party that attached it.
        party: PartyId,
    },
    /// One alternative of a requirement group (any-of or threshold).
    Alternative,
}

impl Step {
    /// The basis of the requirement this step follows.
    pub fn basis(self) -> Basis {
        match self {
            Step::Precondition { party } => Basis::Precondition(party),
            Step::Procedure => Basis::Procedure,
            _ => Basis::Structure,
        }
    }
}

/// A reference from one entry to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Cause {
    /// How the entry needs it.
    pub step: Step,
    /// The index of the needed entry in [`Explanation::entries`].
    pub entry: usize,
}

/// Why an entry is unsatisfied; its causes are [`Explanation::causes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// Nothing it requires is unsatisfied: it can be acted on now.
    Frontier,
    /// It needs every one of its causes.
    AllOf,
    /// It is a requirement group: it needs enough of its causes (one, k, or a weight).
    AnyOf,
    /// It is an act (or a stage) of a track that has lapsed: its long-stop date passed, by the
    /// dates recorded, with the stage unreached, and the track was declared to lapse. Nothing
    /// can satisfy it unless the long-stop is extended.
    Lapsed,
}

/// A party whose demand an entry serves: `party` demands `through` (by a precondition, or as
/// the condition's demander), and the entry is `through` itself or something `through`
/// needs ("demanded by a, through `reform`").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Demand {
    /// The demanding party.
    pub party: PartyId,
    /// The node it demands, which the entry serves.
    pub through: NodeId,
}

/// One unsatisfied node of an explanation and why it is unsatisfied.
///
/// Alone, in JSON (feature `serde`), it also shows where its causes and demands start in its
/// explanation's flat lists (`start`, `len`, `dstart`, `dlen`); within an explanation's JSON
/// the causes and demands are listed in the entry instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Entry {
    /// The node.
    pub node: NodeId,
    /// Why.
    pub reason: Reason,
    /// Its causes: `causes[start..start + len]` of the explanation.
    start: u32,
    len: u32,
    /// Its demands: `demands[dstart..dstart + dlen]` of the explanation.
    dstart: u32,
    dlen: u32,
}

/// One outstanding requirement of the target: an unsatisfied direct requirement of the
/// target (for a stage, of its blocked acts).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Outstanding {
    /// The required node.
    pub node: NodeId,
    /// Its entry in [`Explanation::entries`]; its chain to the frontier starts there.
    pub entry: usize,
    /// The nodes that require it (the target, or the stage's acts) and on what basis.
    pub required_by: Vec<(NodeId, Basis)>,
}

/// Why a node is blocked: a graph of typed steps from the target down to the frontier, stored
/// flat. Entry 0 is the target; every node appears in one entry only, and entries that share
/// a sub-cause refer to the same entry (so an explanation stays linear in size on DAGs, and
/// finite with cycles). Empty when the target is not blocked.
///
/// Beside the graph: the [outstanding requirements](Self::outstanding) at the top, each
/// entry's [demands](Self::demands) carried down from the demanded nodes, and every
/// [deadlock](Self::deadlocks) among the entries. A blocked node's explanation always has at
/// least one outstanding requirement, and reaches a frontier node or a deadlock.
///
/// For a stage, the target entry lists only its *blocked* pending acts: pending acts that
/// could be performed now are the move itself, not blockers. Deeper down, a stage needs all
/// of its pending acts.
///
/// In JSON (feature `serde`) each entry carries its causes and demands:
/// `{"entries": [{"node", "reason", "causes": [{"step", "entry"}], "demands": [{"party",
/// "through"}]}], "outstanding", "deadlocks"}`; reading one back checks that every `entry`
/// index is in range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "wire::Explanation", into = "wire::Explanation")
)]
#[must_use]
pub struct Explanation {
    entries: Vec<Entry>,
    /// Every entry's causes, one after the other, in entry order.
    causes: Vec<Cause>,
    /// Every entry's demands, one after the other, in entry order, each sorted by party.
    demands: Vec<Demand>,
    outstanding: Vec<Outstanding>,
    deadlocks: Vec<Deadlock>,
}

/// The JSON form of an explanation: each entry with its causes and demands.
#[cfg(feature = "serde")]
mod wire {
    use super::{Cause, Deadlock, Demand, Entry, Outstanding, Reason};
    use crate::ids::NodeId;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Explanation {
        entries: Vec<EntryWire>,
        outstanding: Vec<Outstanding>,
        deadlocks: Vec<Deadlock>,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct EntryWire {
        node: NodeId,
        reason: Reason,
        causes: Vec<Cause>,
        demands: Vec<Demand>,
    }

    impl From<super::Explanation> for Explanation {
        fn from(why: super::Explanation) -> Explanation {
            Explanation {
                entries: (0..why.entries.len())
                    .map(|i| EntryWire {
                        node: why.entries[i].node,
                        reason: why.entries[i].reason,
                        causes: why.causes(i).to_vec(),
                        demands: why.demands(i).to_vec(),
                    })
                    .collect(),
                outstanding: why.outstanding,
                deadlocks: why.deadlocks,
            }
        }
    }

    impl TryFrom<Explanation> for super::Explanation {
        type Error = String;

        fn try_from(wire: Explanation) -> Result<super::Explanation, String> {
            let n = wire.entries.len();
            let mut why = super::Explanation::default();
            let offset = |len: usize| {
                u32::try_from(len).map_err(|_| "too many causes or demands".to_owned())
            };
            for (i, e) in wire.entries.into_iter().enumerate() {
                if let Some(c) = e.causes.iter().find(|c| c.entry >= n) {
                    return Err(format!(
                        "entries[{i}]: cause {} is not an entry ({n} entries)",
                        c.entry
                    ));
                }
                let (start, dstart) = (offset(why.causes.len())?, offset(why.demands.len())?);
                why.causes.extend(e.causes);
                why.demands.extend(e.demands);
                why.entries.push(Entry {
                    node: e.node,
                    reason: e.reason,
                    start,
                    len: offset(why.causes.len())? - start,
                    dstart,
                    dlen: offset(why.demands.len())? - dstart,
                });
            }
            if let Some(o) = wire.outstanding.iter().find(|o| o.entry >= n) {
                return Err(format!(
                    "outstanding: entry {} is not an entry ({n} entries)",
                    o.entry
                ));
            }
            why.outstanding = wire.outstanding;
            why.deadlocks = wire.deadlocks;
            Ok(why)
        }
    }
}

/// Nodes grouped by a party; `None` collects nodes no party is named for.
pub type Grouping = BTreeMap<Option<PartyId>, Vec<NodeId>>;

/// How far a requirement group is from its threshold; see [`Negotiation::group_progress`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct GroupProgress {
    /// What the group needs.
    pub threshold: Threshold,
    /// The count (or weight) of its satisfied alternatives.
    pub reached: u32,
    /// How much more it needs (0 when satisfied).
    pub more_needed: u32,
    /// Its unsatisfied alternatives, sorted.
    pub remaining: Vec<NodeId>,
}

impl Explanation {
    /// Whether there is nothing blocking the target.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The target, unless the explanation is empty.
    pub fn target(&self) -> Option<NodeId> {
        self.entries.first().map(|e| e.node)
    }

    /// Every entry, the target first, in breadth-first order from the target.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The causes of entry `i` (an index into [`entries`](Self::entries)): empty for a
    /// frontier entry or an index out of range.
    pub fn causes(&self, i: usize) -> &[Cause] {
        self.entries.get(i).map_or(&[], |e| {
            let start = e.start as usize;
            self.causes
                .get(start..start + e.len as usize)
                .unwrap_or(&[])
        })
    }

    /// The demands entry `i` serves, sorted by party: the parties whose preconditions (or
    /// whose demanded conditions) lead to it, each with the demanded node it serves. A
    /// prerequisite of a demanded condition is credited to that condition's demander.
    pub fn demands(&self, i: usize) -> &[Demand] {
        self.entries.get(i).map_or(&[], |e| {
            let start = e.dstart as usize;
            self.demands
                .get(start..start + e.dlen as usize)
                .unwrap_or(&[])
        })
    }

    /// The outstanding requirements: every unsatisfied direct requirement of the target (of
    /// its blocked acts, for a stage), sorted by node. Non-empty exactly when the target is
    /// blocked.
    pub fn outstanding(&self) -> &[Outstanding] {
        &self.outstanding
    }

    /// The deadlocks among the entries: cycles of requirements none of whose nodes can be
    /// satisfied before the others, with the parties in them and the requirements whose
    /// dropping breaks them. Sorted.
    pub fn deadlocks(&self) -> &[Deadlock] {
        &self.deadlocks
    }

    /// The frontier: unsatisfied nodes whose own requirements are all satisfied — what can be
    /// acted on now — sorted by node.
    pub fn frontier(&self) -> Vec<NodeId> {
        let mut f: Vec<NodeId> = self
            .entries
            .iter()
            .skip(1)
            .filter(|e| e.reason == Reason::Frontier)
            .map(|e| e.node)
            .collect();
        f.sort_unstable();
        f
    }

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

    /// Renders the explanation with the [`DefaultReporter`]. Rendered with a negotiation that
    /// did not make it (nor a copy or state of the one that did), it is one line saying so.
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            f.write_str(&DefaultReporter.report(self, negotiation))
        })
    }
}

impl Owned for Explanation {
    fn belongs_to(&self, negotiation: &Negotiation) -> bool {
        self.entries.iter().all(|e| e.node.belongs_to(negotiation))
            && self.outstanding.iter().all(|o| {
                o.node.belongs_to(negotiation)
                    && o.required_by
                        .iter()
                        .all(|(n, b)| n.belongs_to(negotiation) && b.belongs_to(negotiation))
            })
            && self
                .demands
                .iter()
                .all(|d| d.party.belongs_to(negotiation) && d.through.belongs_to(negotiation))
            && self.deadlocks.belongs_to(negotiation)
    }
}

/// Displays through a closure: the crate's text renderings borrow their data and the
/// negotiation that names it.
pub(crate) struct Rendered<F>(pub(crate) F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Rendered<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

/// The parties that must act on an unsatisfied node.
pub(crate) fn actors_of(neg: &Negotiation, n: NodeId) -> Vec<PartyId> {
    let Some(node) = neg.nodes.get(n.index()) else {
        return Vec::new();
    };
    match &node.data {
        NodeData::Condition(c) => c.still_owed_by(),
        NodeData::Act(a) => vec![a.party],
        NodeData::Concession(c) => vec![c.by],
        NodeData::Article(a) => neg.tracks[a.track.index()]
            .principals
            .iter()
            .copied()
            .filter(|&p| a.position(p) != Position::Accepts)
            .collect(),
        NodeData::Stage(_) | NodeData::Group(_) => Vec::new(),
    }
}

/// The parties that demand a node by its own data: a condition's demander, the principals who
/// accept an article the others have not. Allocates nothing.
fn demanders_of(neg: &Negotiation, n: NodeId) -> impl Iterator<Item = PartyId> + '_ {
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
    ///     .precondition("a", "deal.signed", "reform")
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
        let mut index: HashMap<NodeId, usize, BuildFx> = HashMap::default();
        index.insert(target, 0);
        let mut needed = Vec::new();
        // Entries are explained in order, so each one's causes are appended contiguously.
        let mut i = 0;
        while i < entries.len() {
            let node = entries[i].node;
            self.needed(node, i == 0, &mut needed);
            let start = causes.len();
            for &(step, y) in &needed {
                let entry = *index.entry(y).or_insert_with(|| {
                    entries.push(frontier(y));
                    entries.len() - 1
                });
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
            i += 1;
        }
        let mut why = Explanation {
            entries,
            causes,
            ..Explanation::default()
        };
        why.demands = self.carry_demands(&mut why.entries, &why.causes);
        why.outstanding = outstanding(self, &why);
        why.deadlocks = match on_cycles(&why) {
            Some(members) => self.deadlocks_among(&members),
            None => Vec::new(),
        };
        why
    }

    /// Each entry's demands: seeded where a party demands a node (the target of its
    /// precondition, a condition it demands), then carried down every cause to what the
    /// demanded node needs. A worklist over (entry, party): each pair is added once, so the
    /// walk is linear in the explanation times the demanding parties.
    fn carry_demands(&self, entries: &mut [Entry], causes: &[Cause]) -> Vec<Demand> {
        const NONE: u32 = u32::MAX;
        let cause_range = |e: &Entry| &causes[e.start as usize..(e.start + e.len) as usize];
        // Each entry's demands as a linked list in one arena: no allocation per entry.
        let mut head: Vec<u32> = vec![NONE; entries.len()];
        let mut arena: Vec<(Demand, u32)> = Vec::new();
        let mut queue: VecDeque<(usize, Demand)> = VecDeque::new();
        let mut add = |i: usize, d: Demand, queue: &mut VecDeque<(usize, Demand)>| {
            let mut k = head[i];
            while k != NONE {
                if arena[k as usize].0.party == d.party {
                    return;
                }
                k = arena[k as usize].1;
            }
            arena.push((d, head[i]));
            head[i] = (arena.len() - 1) as u32;
            queue.push_back((i, d));
        };
        for (i, e) in entries.iter().enumerate() {
            for party in demanders_of(self, e.node) {
                let d = Demand {
                    party,
                    through: e.node,
                };
                add(i, d, &mut queue);
            }
            for c in cause_range(e) {
                if let Step::Precondition { party } = c.step {
                    let d = Demand {
                        party,
                        through: entries[c.entry].node,
                    };
                    add(c.entry, d, &mut queue);
                }
            }
        }
        while let Some((i, d)) = queue.pop_front() {
            for c in cause_range(&entries[i]) {
                add(c.entry, d, &mut queue);
            }
        }
        let mut flat = Vec::with_capacity(arena.len());
        for (i, e) in entries.iter_mut().enumerate() {
            let start = flat.len();
            let mut k = head[i];
            while k != NONE {
                flat.push(arena[k as usize].0);
                k = arena[k as usize].1;
            }
            flat[start..].sort_unstable();
            e.dstart = start as u32;
            e.dlen = (flat.len() - start) as u32;
        }
        flat
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
    pub fn group_progress(&self, group: NodeId) -> Option<GroupProgress> {
        if !self.has_node(group) {
            return None;
        }
        let NodeData::Group(g) = &self.nodes[group.index()].data else {
            return None;
        };
        let reached = g.total - self.unsat[group.index()].min(g.total);
        let remaining = self.unsatisfied_targets(group);
        Some(GroupProgress {
            threshold: g.threshold,
            reached,
            more_needed: g.needed().saturating_sub(reached),
            remaining,
        })
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

/// FxHash (Firefox's, rustc's): a fast non-cryptographic hash for the explanation's index of
/// node handles, which are small integers chosen by this crate, not by an adversary.
#[derive(Clone, Copy, Default)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type BuildFx = std::hash::BuildHasherDefault<Fx>;

/// Turns an explanation into some output. Implement it for your own formats; the data is
/// easy to walk: [`Explanation::outstanding`], [`Explanation::entries`] with typed
/// [`Cause`]s and [`Demand`]s, and [`Explanation::deadlocks`].
pub trait Reporter {
    /// What the reporter produces.
    type Output;
    /// Renders `explanation`, looking names and statuses up in `negotiation` (which must be
    /// the negotiation that made it, a copy or a state of it: check with the explanation's
    /// handles, e.g. [`Negotiation::resolve_target`] of its [`target`](Explanation::target)).
    fn report(&self, explanation: &Explanation, negotiation: &Negotiation) -> Self::Output;
}

/// The default text reporter: the outstanding requirements, each with its basis and
/// demanders and an indented tree down to the frontier (a sub-cause shared by several
/// entries is written out once, numbered, and referred to by number), the deadlocks on the
/// way, then the frontier grouped by who must act and by who demands.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultReporter;

/// Deeper than this, lines are no longer indented further; the depth is printed instead.
const MAX_INDENT: usize = 24;

/// A party's display name; `?` for a handle from another negotiation.
pub(crate) fn party_name(neg: &Negotiation, p: PartyId) -> &str {
    neg.party(p).map_or("?", |p| p.name())
}

/// Display names joined by commas, or `nobody`.
pub(crate) fn party_list(neg: &Negotiation, ps: &[PartyId]) -> String {
    if ps.is_empty() {
        return "nobody".to_owned();
    }
    ps.iter()
        .map(|&p| party_name(neg, p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a basis reads in a report: `Azerbaijan's precondition`, `required by procedure
/// (Art. 218(6) TFEU)`, `structure`.
pub(crate) fn basis_text(neg: &Negotiation, basis: Basis, from: NodeId, to: NodeId) -> String {
    match basis {
        Basis::Precondition(p) => format!("{}'s precondition", party_name(neg, p)),
        Basis::Procedure => match neg.citation(from, to) {
            Some(c) => format!("required by procedure ({c})"),
            None => "required by procedure".to_owned(),
        },
        Basis::Structure => "structure".to_owned(),
    }
}

impl DefaultReporter {
    /// One line about node `n`: kind, id, description, status, who acts and who demands.
    pub fn label(neg: &Negotiation, n: NodeId) -> String {
        if !neg.has_node(n) {
            return format!("node {n} of another negotiation");
        }
        let node = &neg.nodes[n.index()];
        let key = node.key.as_str();
        let status = neg.status_of(n);
        match &node.data {
            NodeData::Article(a) => format!(
                "article {key} \"{}\" ({status}; not yet accepted by {})",
                a.title,
                party_list(neg, &actors_of(neg, n))
            ),
            NodeData::Condition(c) => {
                let mut s = format!(
                    "condition {key} \"{}\" ({status}; owed by {}",
                    c.description,
                    party_list(neg, &c.owed_by)
                );
                if c.obligation == crate::model::Obligation::Joint {
                    let _ = write!(
                        s,
                        " jointly, done by {}, still owed by {}",
                        party_list(neg, &c.done),
                        party_list(neg, &c.still_owed_by())
                    );
                }
                if let Some(d) = c.demanded_by {
                    let _ = write!(s, "; demanded by {}", party_name(neg, d));
                }
                s.push(')');
                s
            }
            NodeData::Concession(c) => format!(
                "concession {key} \"{}\" ({status}; by {})",
                c.description,
                party_name(neg, c.by)
            ),
            NodeData::Stage(s) => format!(
                "stage {key} ({status}; {} of {})",
                s.kind,
                neg.tracks[s.track.index()].title
            ),
            NodeData::Act(a) => format!("act {key} ({status}; by {})", party_name(neg, a.party)),
            NodeData::Group(_) => {
                let Some(p) = neg.group_progress(n) else {
                    return String::new();
                };
                match p.threshold {
                    Threshold::Count(1) => "any one of".to_owned(),
                    Threshold::Count(k) => format!(
                        "{key}: at least {k} of these ({} reached, {} more needed)",
                        p.reached, p.more_needed
                    ),
                    Threshold::Weight(w) => format!(
                        "{key}: a weight of at least {w} ({} reached, {} more needed)",
                        p.reached, p.more_needed
                    ),
                }
            }
        }
    }

    fn step(neg: &Negotiation, step: Step) -> String {
        match step {
            Step::Act { party } => format!("needs {}'s act: ", party_name(neg, party)),
            Step::PreviousStage => "needs the previous stage: ".to_owned(),
            Step::Article => "needs the article agreed: ".to_owned(),
            Step::Procedure => "requires by procedure: ".to_owned(),
            Step::Precondition { party } => format!("{}'s precondition: ", party_name(neg, party)),
            Step::Alternative => "alternative: ".to_owned(),
        }
    }

    /// `demanded by A (through reform), B`: the demands an entry serves.
    fn demand_text(neg: &Negotiation, why: &Explanation, i: usize) -> Option<String> {
        let node = why.entries.get(i)?.node;
        let demands = why.demands(i);
        if demands.is_empty() {
            return None;
        }
        let parts: Vec<String> = demands
            .iter()
            .map(|d| {
                if d.through == node {
                    party_name(neg, d.party).to_owned()
                } else {
                    format!(
                        "{} (through {})",
                        party_name(neg, d.party),
                        neg.key_of(d.through)
                    )
                }
            })
            .collect();
        Some(format!("demanded by {}", parts.join(", ")))
    }
}

impl Reporter for DefaultReporter {
    type Output = String;

    /// The report; for an explanation of another negotiation, one line saying so.
    fn report(&self, explanation: &Explanation, neg: &Negotiation) -> String {
        let mut out = String::new();
        if !explanation.belongs_to(neg) {
            out.push_str(&foreign_note("explanation"));
            out.push('\n');
            return out;
        }
        let Some(target) = explanation.target() else {
            return out;
        };
        let entries = explanation.entries();
        let mut refs = vec![0u32; entries.len()];
        for i in 0..entries.len() {
            for c in explanation.causes(i) {
                refs[c.entry] += 1;
            }
        }
        // How a written entry is referred to: `1.` for the first outstanding requirement,
        // `[2]` for the second shared sub-cause, `above` for the target.
        let mut reference: Vec<Option<String>> = vec![None; entries.len()];
        let mut next_number = 1;
        reference[0] = Some("above".to_owned());
        let outstanding = explanation.outstanding();
        let _ = writeln!(
            out,
            "{} is blocked by {} outstanding requirement{}:",
            Self::label(neg, target),
            outstanding.len(),
            if outstanding.len() == 1 { "" } else { "s" }
        );
        for (k, o) in outstanding.iter().enumerate() {
            let bases: Vec<String> = o
                .required_by
                .iter()
                .map(|&(from, basis)| {
                    let of = if from == target {
                        String::new()
                    } else {
                        format!(" on {}", neg.key_of(from))
                    };
                    format!("{}{of}", basis_text(neg, basis, from, o.node))
                })
                .collect();
            let _ = writeln!(out, "{}. {}", k + 1, Self::label(neg, o.node));
            let _ = write!(out, "   why: {}", bases.join("; "));
            // Demands the line has not already stated (a precondition's party, the
            // condition's own demander).
            let stated = |d: &Demand| {
                d.through == o.node
                    && (o
                        .required_by
                        .iter()
                        .any(|&(_, b)| b == Basis::Precondition(d.party))
                        || demanders_of(neg, o.node).any(|p| p == d.party))
            };
            if explanation.demands(o.entry).iter().any(|d| !stated(d)) {
                if let Some(d) = Self::demand_text(neg, explanation, o.entry) {
                    let _ = write!(out, "; {d}");
                }
            }
            match entries[o.entry].reason {
                Reason::Frontier => out.push_str(" <- can act now"),
                Reason::Lapsed => out.push_str(" <- its track has lapsed"),
                _ => {}
            }
            out.push('\n');
            if reference[o.entry].is_some() {
                continue;
            }
            reference[o.entry] = Some(format!("{}.", k + 1));
            // Depth-first, iterative: (entry, depth, step that led here).
            let mut stack: Vec<(usize, usize, Step, usize)> = explanation
                .causes(o.entry)
                .iter()
                .rev()
                .map(|c| (c.entry, 1, c.step, o.entry))
                .collect();
            while let Some((i, depth, step, parent)) = stack.pop() {
                let indent = depth.min(MAX_INDENT) + 1;
                let _ = write!(out, "{:width$}- ", "", width = 2 * indent);
                if depth > MAX_INDENT {
                    let _ = write!(out, "[depth {depth}] ");
                }
                out.push_str(&Self::step(neg, step));
                // An alternative of a weighted threshold shows its weight.
                let (from, to) = (entries[parent].node, entries[i].node);
                let weighted = neg.nodes.get(from.index()).is_some_and(|n| {
                    matches!(&n.data, NodeData::Group(g) if matches!(g.threshold, Threshold::Weight(_)))
                });
                if step == Step::Alternative && weighted {
                    // Through the alternative's few dependents, not the group's many edges.
                    let w = neg
                        .graph
                        .dependents(to)
                        .find(|&(p, _)| p == from)
                        .map_or(0, |(_, e)| e.weight);
                    let _ = write!(out, "(weight {w}) ");
                }
                if let Some(r) = &reference[i] {
                    let _ = writeln!(out, "{} (see {r})", neg.key_of(entries[i].node));
                    continue;
                }
                if refs[i] > 1 {
                    let r = format!("[{next_number}]");
                    next_number += 1;
                    let _ = write!(out, "{r} ");
                    reference[i] = Some(r);
                } else {
                    reference[i] = Some("above".to_owned());
                }
                out.push_str(&Self::label(neg, entries[i].node));
                let inherited = explanation
                    .demands(i)
                    .iter()
                    .any(|d| d.through != entries[i].node);
                if inherited {
                    if let Some(d) = Self::demand_text(neg, explanation, i) {
                        let _ = write!(out, "; {d}");
                    }
                }
                match entries[i].reason {
                    Reason::Frontier => out.push_str(" <- can act now"),
                    Reason::Lapsed => out.push_str(" <- its track has lapsed"),
                    _ => {}
                }
                out.push('\n');
                for c in explanation.causes(i).iter().rev() {
                    stack.push((c.entry, depth + 1, c.step, i));
                }
            }
        }
        let deadlocks = explanation.deadlocks();
        if !deadlocks.is_empty() {
            let _ = writeln!(
                out,
                "Deadlocks on the way ({}): none of their nodes can be satisfied before the others",
                deadlocks.len()
            );
            for d in deadlocks {
                for line in d.display(neg).to_string().lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        // A stage lapses through its acts: the acts say it.
        let lapsed: Vec<NodeId> = entries
            .iter()
            .filter(|e| e.reason == Reason::Lapsed && neg.kind(e.node) == Some(NodeKind::Act))
            .map(|e| e.node)
            .collect();
        for &n in &lapsed {
            if let Some((track, ls, now)) = neg.lapsed_at(n) {
                let _ = writeln!(
                    out,
                    "Lapsed: {} -- track `{}` lapsed: {} was not reached by its long-stop date {} (the history is at {now}); only an extension revives it",
                    Self::label(neg, n),
                    neg.tracks[track.index()].key,
                    neg.key_of(ls.stage),
                    ls.date
                );
            }
        }
        let frontier = explanation.frontier();
        if frontier.is_empty() {
            out.push_str(if lapsed.is_empty() {
                "Frontier: none (every blocker waits on another: only a deadlock stands in the way)\n"
            } else {
                "Frontier: none (the track has lapsed)\n"
            });
            return out;
        }
        let _ = writeln!(
            out,
            "Frontier ({} node{}, can act now):",
            frontier.len(),
            if frontier.len() == 1 { "" } else { "s" }
        );
        for (title, groups) in [
            ("who must act", explanation.group_by_actor(neg)),
            ("who demands", explanation.by_demander(neg)),
        ] {
            let _ = writeln!(out, "  by {title}:");
            for (party, nodes) in groups {
                let name = party.map_or("(nobody: procedure or structure)", |p| party_name(neg, p));
                let keys: Vec<&str> = nodes.iter().map(|&n| neg.key_of(n)).collect();
                let _ = writeln!(out, "    {name}: {}", keys.join(", "));
            }
        }
        out
    }
}

//! What a successful move changed (`Transition` and its parts), read off the journal.

use std::collections::{BTreeMap, BTreeSet};

use crate::ids::{NodeId, PartyId};
use crate::model::{NodeData, Position, Requirement, RequirementEdge, RequirementKind, Status};
use crate::state::{Negotiation, Undo};

/// Why a move counts as a concession (a move by which a party yields on a point it
/// held).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ConcessionKind {
    /// A declared concession was made.
    Made(NodeId),
    /// The party accepted an article it had rejected.
    AcceptedRejected(NodeId),
    /// The party waived its own demand.
    WaivedOwnDemand(NodeId),
    /// The party dropped its own precondition (from its act, or from a condition it owes).
    DroppedOwnPrecondition(NodeId),
    /// The party fulfilled a condition it had contested.
    FulfilledContested(NodeId),
}

/// A node's status before and after a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StatusChange {
    /// The node.
    pub node: NodeId,
    /// Its status before.
    pub from: Status,
    /// Its status after.
    pub to: Status,
}

/// One obligor's part of a jointly owed condition, done by a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PartDone {
    /// The condition.
    pub condition: NodeId,
    /// The obligor that did its part.
    pub party: PartyId,
    /// How many obligors have done their part after the move.
    pub done: usize,
    /// How many obligors owe it.
    pub of: usize,
}

/// A principal's position before and after a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PositionChange {
    /// The article.
    pub article: NodeId,
    /// The principal.
    pub party: PartyId,
    /// Before.
    pub from: Position,
    /// After.
    pub to: Position,
}

/// What a successful move changed. Every list is sorted by node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Transition {
    /// Every node whose status changed (stages and any-of groups included).
    pub status_changes: Vec<StatusChange>,
    /// Every position that changed.
    pub position_changes: Vec<PositionChange>,
    /// Parts of joint obligations done by the move (the condition is met when the last
    /// obligor does its part).
    pub parts_done: Vec<PartDone>,
    /// Nodes the move created (a new demand, a proposed article).
    pub added: Vec<NodeId>,
    /// Requirements the move created, as `(requiring node, requirement)`.
    pub requirements_added: Vec<(NodeId, Requirement)>,
    /// Requirements the move removed.
    pub requirements_removed: Vec<(NodeId, Requirement)>,
    /// Nodes that were not blocked before and are now.
    pub newly_blocked: Vec<NodeId>,
    /// Nodes that were blocked before and are not now.
    pub newly_unblocked: Vec<NodeId>,
    /// Stages reached by the move.
    pub reached: Vec<NodeId>,
    /// Stages that were reached and are not any more (a reversible stage reopened).
    pub reopened: Vec<NodeId>,
    /// Whether, and why, the move counts as a concession.
    pub concession: Option<ConcessionKind>,
    /// Requirement cycles among unsatisfied nodes that the move closed (it is allowed: real
    /// negotiations deadlock), one per new requirement that closed one.
    pub deadlocks: Vec<crate::deadlock::Deadlock>,
}

impl Transition {
    /// Whether the move counts as a concession.
    #[must_use]
    pub fn is_concession(&self) -> bool {
        self.concession.is_some()
    }
}

impl Negotiation {
    /// Builds the transition report from the journal entries after `mark`.
    pub(super) fn transition_since(
        &self,
        mark: usize,
        concession: Option<ConcessionKind>,
    ) -> Transition {
        let entries = &self.journal[mark..];
        let mut before: BTreeMap<NodeId, (Status, bool)> = BTreeMap::new();
        let mut old_positions: BTreeMap<NodeId, Vec<(PartyId, Position)>> = BTreeMap::new();
        let mut old_parts: BTreeMap<NodeId, Vec<PartyId>> = BTreeMap::new();
        let mut added = BTreeSet::new();
        let mut edges: BTreeMap<(NodeId, NodeId), (RequirementEdge, i32)> = BTreeMap::new();
        for entry in entries {
            match entry {
                Undo::Touch {
                    node,
                    status,
                    blocked,
                } => {
                    before.entry(*node).or_insert((*status, *blocked));
                }
                Undo::Data {
                    node,
                    old: NodeData::Article(a),
                } => {
                    old_positions
                        .entry(*node)
                        .or_insert_with(|| a.positions.clone());
                }
                Undo::Data {
                    node,
                    old: NodeData::Condition(c),
                } => {
                    old_parts.entry(*node).or_insert_with(|| c.done.clone());
                }
                Undo::NodeAdded { node } => {
                    added.insert(*node);
                }
                Undo::EdgeAdded { from, to } => {
                    let edge = self
                        .graph
                        .edge(*from, *to)
                        .unwrap_or(RequirementEdge::of(RequirementKind::Procedure));
                    edges.entry((*from, *to)).or_insert((edge, 0)).1 += 1;
                }
                Undo::EdgeRemoved { from, to, edge } => {
                    edges.entry((*from, *to)).or_insert((*edge, 0)).1 -= 1;
                }
                _ => {}
            }
        }
        let mut t = Transition {
            added: added.iter().copied().collect(),
            concession,
            ..Transition::default()
        };
        for &n in &added {
            if self.blocked(n) {
                t.newly_blocked.push(n);
            }
        }
        for (&node, &(status, blocked)) in before.iter().filter(|(n, _)| !added.contains(*n)) {
            let now = self.status_of(node);
            if now != status {
                t.status_changes.push(StatusChange {
                    node,
                    from: status,
                    to: now,
                });
                match (status, now) {
                    (_, Status::Reached) => t.reached.push(node),
                    (Status::Reached, _) => t.reopened.push(node),
                    _ => {}
                }
            }
            match (blocked, self.blocked(node)) {
                (false, true) => t.newly_blocked.push(node),
                (true, false) => t.newly_unblocked.push(node),
                _ => {}
            }
        }
        t.newly_blocked.sort_unstable();
        for (article, old) in old_positions
            .into_iter()
            .filter(|(n, _)| !added.contains(n))
        {
            let new = &self.article_data(article).positions;
            let parties: BTreeSet<PartyId> =
                old.iter().chain(new.iter()).map(|&(p, _)| p).collect();
            let lookup = |list: &[(PartyId, Position)], p: PartyId| {
                list.iter()
                    .find(|(q, _)| *q == p)
                    .map_or(Position::NotStated, |&(_, pos)| pos)
            };
            for party in parties {
                let (from, to) = (lookup(&old, party), lookup(new, party));
                if from != to {
                    t.position_changes.push(PositionChange {
                        article,
                        party,
                        from,
                        to,
                    });
                }
            }
        }
        for (c, old) in old_parts {
            if let NodeData::Condition(cond) = &self.nodes[c.index()].data {
                t.parts_done
                    .extend(
                        cond.done
                            .iter()
                            .filter(|p| !old.contains(p))
                            .map(|&p| PartDone {
                                condition: c,
                                party: p,
                                done: cond.done.len(),
                                of: cond.owed_by.len(),
                            }),
                    );
            }
        }
        for ((from, to), (edge, net)) in edges {
            let req = (from, Requirement::new(to, edge));
            match net {
                n if n > 0 => {
                    t.deadlocks.extend(self.deadlock_through(from, to));
                    t.requirements_added.push(req);
                }
                n if n < 0 => t.requirements_removed.push(req),
                _ => {}
            }
        }
        t
    }
}

crate::foreign::owned! {
    StatusChange { node }
    PartDone { condition, party }
    PositionChange { article, party }
    Transition { status_changes, position_changes, parts_done, added, requirements_added,
        requirements_removed, newly_blocked, newly_unblocked, reached, reopened, concession,
        deadlocks }
}

impl crate::foreign::Owned for ConcessionKind {
    fn belongs_to(&self, neg: &dyn crate::foreign::Handles) -> bool {
        let (ConcessionKind::Made(n)
        | ConcessionKind::AcceptedRejected(n)
        | ConcessionKind::WaivedOwnDemand(n)
        | ConcessionKind::DroppedOwnPrecondition(n)
        | ConcessionKind::FulfilledContested(n)) = *self;
        neg.has_node(n)
    }
}

//! Deadlocks: cycles of requirements among unsatisfied nodes (iterative Tarjan), shared by
//! explanations, transitions, schedules and analyses.

mod find;

use crate::ids::{NodeId, PartyId};
use crate::model::RequirementKind;

/// One requirement of a deadlock cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CycleEdge {
    /// The requiring node.
    pub from: NodeId,
    /// The required node.
    pub to: NodeId,
    /// How it is required.
    pub kind: RequirementKind,
    /// Why it exists: a party's precondition, a procedure, or structure.
    pub basis: crate::model::Basis,
    /// The party that can drop it by a move (a precondition on its own act, of a demand it
    /// makes), if any.
    pub droppable_by: Option<PartyId>,
}

/// A cycle of requirements among unsatisfied nodes: none can be satisfied before the others.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Deadlock {
    /// The cycle's nodes, in order: each requires the next, the last requires the first.
    pub nodes: Vec<NodeId>,
    /// The parties involved, in the order they first appear along the cycle.
    pub parties: Vec<PartyId>,
    /// The cycle's requirements; dropping any one breaks this cycle.
    pub edges: Vec<CycleEdge>,
}

crate::foreign::owned! {
    Deadlock { nodes, parties, edges }
    CycleEdge { from, to, basis, droppable_by }
}

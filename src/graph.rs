//! The requirement graph: petgraph behind the crate's own types.
//!
//! An edge `x → y` means "x requires y". Node `i` of the petgraph graph is always
//! `NodeId(i)`: nodes are only appended, and removed only when a failed or reverted move is
//! undone, newest first, so the slot is the one the next node takes again.

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use petgraph::Direction;

use crate::ids::{NodeId, Owner};
use crate::model::{Requirement, RequirementEdge};

/// The graph also holds the negotiation's stamp, which the handles it hands out carry.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReqGraph {
    g: StableDiGraph<(), RequirementEdge, u32>,
    owner: Owner,
}

fn ix(n: NodeId) -> NodeIndex<u32> {
    NodeIndex::new(n.index())
}

impl ReqGraph {
    pub(crate) fn with_capacity(owner: Owner, nodes: usize, edges: usize) -> Self {
        ReqGraph {
            g: StableDiGraph::with_capacity(nodes, edges),
            owner,
        }
    }

    /// The stamp of the negotiation the graph belongs to.
    pub(crate) fn owner(&self) -> Owner {
        self.owner
    }

    fn id(&self, n: NodeIndex<u32>) -> NodeId {
        NodeId::new(n.index(), self.owner)
    }

    /// Releases capacity beyond what the nodes and edges use.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.g.shrink_to_fit();
    }

    /// Appends a node; returns `None` when the index space is exhausted.
    pub(crate) fn add_node(&mut self) -> Option<NodeId> {
        self.g.try_add_node(()).ok().map(|n| self.id(n))
    }

    /// Removes the newest node (undo of `add_node`).
    pub(crate) fn remove_node(&mut self, n: NodeId) {
        self.g.remove_node(ix(n));
    }

    pub(crate) fn add_edge(&mut self, from: NodeId, to: NodeId, edge: RequirementEdge) {
        // The index space was checked when the nodes were added; edges are bounded likewise
        // by the callers (one per declared requirement or structural link).
        let _ = self.g.try_add_edge(ix(from), ix(to), edge);
    }

    /// Removes the edge `from → to`, returning its data.
    pub(crate) fn remove_edge(&mut self, from: NodeId, to: NodeId) -> Option<RequirementEdge> {
        let e = self.find(from, to)?;
        self.g.remove_edge(e)
    }

    pub(crate) fn edge(&self, from: NodeId, to: NodeId) -> Option<RequirementEdge> {
        let e = self.find(from, to)?;
        self.g.edge_weight(e).copied()
    }

    /// The edge `from → to`, found by walking `to`'s dependents and `from`'s requirements in
    /// step: whichever list ends first without it proves it absent, so the cost is the smaller
    /// degree (petgraph's `find_edge` walks `from`'s list alone, quadratic when one node gets
    /// many requirements). `to`'s list comes first: a node that nothing requires yet (each
    /// new requirement of a model being built, mostly) is settled without touching `from`'s
    /// list, one cache miss fewer.
    fn find(&self, from: NodeId, to: NodeId) -> Option<EdgeIndex<u32>> {
        let mut inc = self.g.edges_directed(ix(to), Direction::Incoming);
        match inc.next() {
            Some(e) if e.source() == ix(from) => return Some(e.id()),
            Some(_) => {}
            None => return None,
        }
        let mut out = self.g.edges_directed(ix(from), Direction::Outgoing);
        loop {
            match out.next() {
                Some(e) if e.target() == ix(to) => return Some(e.id()),
                Some(_) => {}
                None => return None,
            }
            match inc.next() {
                Some(e) if e.source() == ix(from) => return Some(e.id()),
                Some(_) => {}
                None => return None,
            }
        }
    }

    /// What `n` requires, in no particular order.
    pub(crate) fn requirements(&self, n: NodeId) -> impl Iterator<Item = Requirement> + '_ {
        self.g
            .edges_directed(ix(n), Direction::Outgoing)
            .map(|e| Requirement::new(self.id(e.target()), *e.weight()))
    }

    /// The nodes that require `n`, with how, in no particular order.
    pub(crate) fn dependents(
        &self,
        n: NodeId,
    ) -> impl Iterator<Item = (NodeId, RequirementEdge)> + '_ {
        self.g
            .edges_directed(ix(n), Direction::Incoming)
            .map(|e| (self.id(e.source()), *e.weight()))
    }

    /// Every edge as `(from, to, kind)`, sorted: the graph's value, independent of insertion order.
    pub(crate) fn sorted_edges(&self) -> Vec<(NodeId, NodeId, RequirementEdge)> {
        let mut edges: Vec<_> = self
            .g
            .edge_references()
            .map(|e| (self.id(e.source()), self.id(e.target()), *e.weight()))
            .collect();
        edges.sort_unstable();
        edges
    }

    /// A read-only view of the underlying petgraph graph, for interop.
    #[cfg(feature = "petgraph")]
    pub(crate) fn petgraph(&self) -> &StableDiGraph<(), RequirementEdge, u32> {
        &self.g
    }
}

//! The requirement graph: petgraph behind the crate's own types.
//!
//! An edge `x → y` means "x requires y". Node `i` of the petgraph graph is always
//! `NodeId(i)`: nodes are only appended, and removed only when a failed or reverted move is
//! undone, newest first, so the slot is the one the next node takes again.

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use petgraph::Direction;

use crate::ids::NodeId;
use crate::model::{Requirement, RequirementKind};

#[derive(Clone, Debug, Default)]
pub(crate) struct ReqGraph {
    g: StableDiGraph<(), RequirementKind, u32>,
}

fn ix(n: NodeId) -> NodeIndex<u32> {
    NodeIndex::new(n.index())
}

fn id(n: NodeIndex<u32>) -> NodeId {
    NodeId::from_index(n.index())
}

impl ReqGraph {
    pub(crate) fn with_capacity(nodes: usize, edges: usize) -> Self {
        ReqGraph {
            g: StableDiGraph::with_capacity(nodes, edges),
        }
    }

    /// Releases capacity beyond what the nodes and edges use.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.g.shrink_to_fit();
    }

    /// Appends a node; returns `None` when the index space is exhausted.
    pub(crate) fn add_node(&mut self) -> Option<NodeId> {
        self.g.try_add_node(()).ok().map(id)
    }

    /// Removes the newest node (undo of `add_node`).
    pub(crate) fn remove_node(&mut self, n: NodeId) {
        self.g.remove_node(ix(n));
    }

    pub(crate) fn add_edge(&mut self, from: NodeId, to: NodeId, kind: RequirementKind) {
        // The index space was checked when the nodes were added; edges are bounded likewise
        // by the callers (one per declared requirement or structural link).
        let _ = self.g.try_add_edge(ix(from), ix(to), kind);
    }

    /// Removes the edge `from → to`, returning its kind.
    pub(crate) fn remove_edge(&mut self, from: NodeId, to: NodeId) -> Option<RequirementKind> {
        let e = self.g.find_edge(ix(from), ix(to))?;
        self.g.remove_edge(e)
    }

    pub(crate) fn edge(&self, from: NodeId, to: NodeId) -> Option<RequirementKind> {
        let e = self.g.find_edge(ix(from), ix(to))?;
        self.g.edge_weight(e).copied()
    }

    /// What `n` requires, in no particular order.
    pub(crate) fn requirements(&self, n: NodeId) -> impl Iterator<Item = Requirement> + '_ {
        self.g
            .edges_directed(ix(n), Direction::Outgoing)
            .map(|e| Requirement {
                target: id(e.target()),
                kind: *e.weight(),
            })
    }

    /// The nodes that require `n`, with how, in no particular order.
    pub(crate) fn dependents(
        &self,
        n: NodeId,
    ) -> impl Iterator<Item = (NodeId, RequirementKind)> + '_ {
        self.g
            .edges_directed(ix(n), Direction::Incoming)
            .map(|e| (id(e.source()), *e.weight()))
    }

    /// Every edge as `(from, to, kind)`, sorted: the graph's value, independent of insertion order.
    pub(crate) fn sorted_edges(&self) -> Vec<(NodeId, NodeId, RequirementKind)> {
        let mut edges: Vec<_> = self
            .g
            .edge_references()
            .map(|e| (id(e.source()), id(e.target()), *e.weight()))
            .collect();
        edges.sort_unstable();
        edges
    }

    /// A read-only view of the underlying petgraph graph, for interop.
    pub(crate) fn petgraph(&self) -> &StableDiGraph<(), RequirementKind, u32> {
        &self.g
    }

    /// Every node in an order where each comes after everything it requires (a depth-first
    /// post-order), or, if requirements form a cycle, the cycle's nodes in order (each requires
    /// the next, the last requires the first). Iterative depth-first search.
    pub(crate) fn topological_order(&self, node_count: usize) -> Result<Vec<NodeId>, Vec<NodeId>> {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let mut colour = vec![WHITE; node_count];
        let mut order = Vec::with_capacity(node_count);
        // Stack of (node, targets still to visit); the grey path is the stack itself.
        let mut stack: Vec<(NodeId, Vec<NodeId>)> = Vec::new();
        for start in 0..node_count {
            if colour[start] != WHITE {
                continue;
            }
            let start = NodeId::from_index(start);
            colour[start.index()] = GREY;
            stack.push((start, self.sorted_targets(start)));
            while let Some((node, pending)) = stack.last_mut() {
                let node = *node;
                match pending.pop() {
                    Some(next) => match colour[next.index()] {
                        WHITE => {
                            colour[next.index()] = GREY;
                            let targets = self.sorted_targets(next);
                            stack.push((next, targets));
                        }
                        GREY => {
                            let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                            return Err(stack[from..].iter().map(|(n, _)| *n).collect());
                        }
                        _ => {}
                    },
                    None => {
                        colour[node.index()] = BLACK;
                        order.push(node);
                        stack.pop();
                    }
                }
            }
        }
        Ok(order)
    }

    /// Targets of `n`, arranged so that popping yields them in ascending order.
    fn sorted_targets(&self, n: NodeId) -> Vec<NodeId> {
        let mut t: Vec<NodeId> = self.requirements(n).map(|r| r.target).collect();
        t.sort_unstable_by(|a, b| b.cmp(a));
        t
    }
}

//! Finding deadlocks (an iterative Tarjan over the unsatisfied nodes), and their text.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use crate::ids::{NodeId, PartyId};
use crate::lookup::party_name as name;
use crate::model::{Basis, RequirementEdge, RequirementKind};
use crate::state::Negotiation;
use crate::util::{BuildFx, Rendered};

use super::{CycleEdge, Deadlock};

impl Negotiation {
    /// The cycles of requirements among unsatisfied nodes: no node on one can be satisfied
    /// before the others. One cycle per strongly connected component, through its lowest
    /// node, sorted.
    ///
    /// # Complexity
    ///
    /// Linear in the graph (iterative strongly connected components).
    #[must_use]
    pub fn deadlocks(&self) -> Vec<Deadlock> {
        let members: Vec<NodeId> = self.node_ids().filter(|&n| !self.satisfied(n)).collect();
        let mut slots = vec![u32::MAX; self.node_count()];
        for (i, &n) in members.iter().enumerate() {
            slots[n.index()] = i as u32;
        }
        let slot = |n: NodeId| {
            slots
                .get(n.index())
                .filter(|&&s| s != u32::MAX)
                .map(|&s| s as usize)
        };
        self.cycles_among(&members, &slot)
    }

    /// Deadlocks among `nodes` (unsatisfied ones), following unsatisfied requirements.
    pub(crate) fn deadlocks_among(&self, nodes: &BTreeSet<NodeId>) -> Vec<Deadlock> {
        let members: Vec<NodeId> = nodes
            .iter()
            .copied()
            .filter(|&n| !self.satisfied(n))
            .collect();
        let slots: HashMap<NodeId, usize, BuildFx> =
            members.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        self.cycles_among(&members, &|n| slots.get(&n).copied())
    }

    /// One deadlock per strongly connected component of `members` (sorted, unsatisfied)
    /// with a cycle: its shortest cycle through the component's first node. `slot` numbers
    /// the members densely (`None` outside them).
    fn cycles_among(
        &self,
        members: &[NodeId],
        slot: &dyn Fn(NodeId) -> Option<usize>,
    ) -> Vec<Deadlock> {
        // Appends `n`'s successors among the members, sorted, to `out`.
        let succ_into = |n: NodeId, out: &mut Vec<NodeId>| {
            let from = out.len();
            out.extend(
                self.graph
                    .requirements(n)
                    .map(|r| r.target)
                    .filter(|&t| slot(t).is_some()),
            );
            out[from..].sort_unstable();
        };
        let succ = |n: NodeId| -> Vec<NodeId> {
            let mut s = Vec::new();
            succ_into(n, &mut s);
            s
        };
        let mut out = Vec::new();
        for component in strongly_connected(members, slot, &succ_into) {
            let start = component[0];
            let self_loop = succ(start).contains(&start);
            let in_component: HashSet<NodeId, BuildFx> = component.iter().copied().collect();
            // Shortest cycle through `start`, breadth-first within the component.
            let mut parent: HashMap<NodeId, NodeId, BuildFx> = HashMap::default();
            let mut queue = VecDeque::from([start]);
            let mut found = self_loop.then_some(start);
            while found.is_none() {
                let Some(x) = queue.pop_front() else { break };
                for y in succ(x) {
                    if y == start {
                        found = Some(x);
                        break;
                    }
                    if in_component.contains(&y) && !parent.contains_key(&y) {
                        parent.insert(y, x);
                        queue.push_back(y);
                    }
                }
            }
            let Some(mut last) = found else { continue };
            let mut cycle = vec![last];
            while last != start {
                let Some(&p) = parent.get(&last) else { break };
                last = p;
                cycle.push(last);
            }
            cycle.reverse();
            out.push(self.deadlock_of(cycle));
        }
        out.sort_by(|a, b| a.nodes.cmp(&b.nodes));
        out
    }

    /// The deadlock a new requirement `from → to` closes, if `to` leads back to `from`
    /// through unsatisfied requirements. Breadth-first over the unsatisfied part below `to`.
    pub(crate) fn deadlock_through(&self, from: NodeId, to: NodeId) -> Option<Deadlock> {
        if self.satisfied(from) || self.satisfied(to) {
            return None;
        }
        let mut parent: HashMap<NodeId, NodeId> = HashMap::new();
        let mut queue = VecDeque::from([to]);
        while let Some(x) = queue.pop_front() {
            if x == from {
                let mut cycle = vec![from];
                let mut y = from;
                while y != to {
                    y = parent[&y];
                    cycle.push(y);
                }
                // cycle is from <- ... <- to; the edge from -> to closes it.
                cycle.reverse();
                cycle.rotate_right(1);
                return Some(self.deadlock_of(cycle));
            }
            for t in self.unsatisfied_targets(x) {
                if t != to && !parent.contains_key(&t) {
                    parent.insert(t, x);
                    queue.push_back(t);
                }
            }
        }
        None
    }

    fn deadlock_of(&self, nodes: Vec<NodeId>) -> Deadlock {
        let mut parties: Vec<PartyId> = Vec::new();
        let mut edges = Vec::with_capacity(nodes.len());
        for (i, &from) in nodes.iter().enumerate() {
            let to = nodes[(i + 1) % nodes.len()];
            for p in crate::lookup::actors_of(self, from) {
                if !parties.contains(&p) {
                    parties.push(p);
                }
            }
            let edge = self
                .graph
                .edge(from, to)
                .unwrap_or(RequirementEdge::of(RequirementKind::Procedure));
            let kind = edge.kind;
            // A party's precondition can be dropped by that party (`unrequire`, or `unlink`
            // for a demand on its act).
            let droppable_by = edge.by.filter(|_| kind == RequirementKind::Precondition);
            edges.push(CycleEdge {
                from,
                to,
                kind,
                basis: edge.basis(),
                droppable_by,
            });
        }
        Deadlock {
            nodes,
            parties,
            edges,
        }
    }
}

/// The strongly connected components with a cycle (two nodes or more, or one that requires
/// itself) of the graph `succ_into` restricted to `members` (which `slot` numbers densely),
/// each sorted, sorted. Tarjan's algorithm with an explicit call stack; its bookkeeping is
/// arrays indexed by slot, and the successors of the nodes on the call stack share one
/// array, so the whole graph costs linear time and no allocation per node.
///
/// Not petgraph's `tarjan_scc`/`TarjanScc`: they size their bookkeeping by the whole
/// graph's node bound (`NodeIndexable`), also through a `NodeFiltered` view, so asking
/// about the region below one target would cost the size of the whole negotiation.
fn strongly_connected(
    members: &[NodeId],
    slot: &dyn Fn(NodeId) -> Option<usize>,
    succ_into: &dyn Fn(NodeId, &mut Vec<NodeId>),
) -> Vec<Vec<NodeId>> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; members.len()];
    let mut low = vec![UNSEEN; members.len()];
    let mut on_stack = vec![false; members.len()];
    let mut stack: Vec<NodeId> = Vec::new();
    let mut out = Vec::new();
    let mut counter: u32 = 0;
    // The successors of the nodes on the call stack, one run per frame, the top frame's last.
    let mut kids: Vec<NodeId> = Vec::new();
    // (node, its slot, where its successors start in `kids`, the next one to visit)
    let mut call: Vec<(NodeId, usize, usize, usize)> = Vec::new();
    for &start in members {
        let Some(s) = slot(start) else { continue };
        if index[s] != UNSEEN {
            continue;
        }
        index[s] = counter;
        low[s] = counter;
        counter += 1;
        stack.push(start);
        on_stack[s] = true;
        call.push((start, s, kids.len(), kids.len()));
        succ_into(start, &mut kids);
        while let Some(top) = call.last_mut() {
            let (v, vs, from, i) = *top;
            if i < kids.len() {
                top.3 += 1;
                let w = kids[i];
                let Some(ws) = slot(w) else { continue };
                if index[ws] == UNSEEN {
                    index[ws] = counter;
                    low[ws] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[ws] = true;
                    call.push((w, ws, kids.len(), kids.len()));
                    succ_into(w, &mut kids);
                } else if on_stack[ws] {
                    low[vs] = low[vs].min(index[ws]);
                }
                continue;
            }
            let requires_itself = kids[from..].contains(&v);
            kids.truncate(from);
            call.pop();
            if let Some(&(_, ps, _, _)) = call.last() {
                low[ps] = low[ps].min(low[vs]);
            }
            if index[vs] != low[vs] {
                continue;
            }
            if stack.last() == Some(&v) {
                // A component of one node: a cycle only if it requires itself.
                stack.pop();
                on_stack[vs] = false;
                if requires_itself {
                    out.push(vec![v]);
                }
                continue;
            }
            let mut component = Vec::new();
            while let Some(w) = stack.pop() {
                if let Some(ws) = slot(w) {
                    on_stack[ws] = false;
                }
                component.push(w);
                if w == v {
                    break;
                }
            }
            component.sort_unstable();
            out.push(component);
        }
    }
    out.sort();
    out
}

impl Deadlock {
    /// The cycle, its parties, and the requirements whose dropping breaks it.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "deadlock");
            }
            let parties: Vec<&str> = self.parties.iter().map(|&p| name(negotiation, p)).collect();
            let mut cycle: Vec<&str> = self.nodes.iter().map(|&n| negotiation.key_of(n)).collect();
            if let Some(&first) = cycle.first() {
                cycle.push(first);
            }
            writeln!(
                f,
                "Deadlock between {}: {}",
                parties.join(", "),
                cycle.join(" -> ")
            )?;
            writeln!(f, "  dropping any one of these requirements breaks it:")?;
            for e in &self.edges {
                let how = match (e.basis, e.droppable_by) {
                    (_, Some(p)) => format!(
                        "{}'s precondition; {} can drop it",
                        name(negotiation, p),
                        name(negotiation, p)
                    ),
                    (Basis::Precondition(p), None) => {
                        format!("{}'s precondition", name(negotiation, p))
                    }
                    (Basis::Procedure, None) => {
                        crate::lookup::basis_text(negotiation, e.basis, e.from, e.to)
                    }
                    (Basis::Structure, None) => {
                        "a structural requirement (stage order, acts, articles)".to_owned()
                    }
                };
                writeln!(
                    f,
                    "  - {} requires {} ({how})",
                    negotiation.key_of(e.from),
                    negotiation.key_of(e.to)
                )?;
            }
            Ok(())
        })
    }
}

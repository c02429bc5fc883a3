//! `earliest`: the earliest (and latest) date a node can be satisfied, by a generalized
//! Dijkstra over the unsatisfied region below it, with the critical path.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::{self, Write as _};

use crate::deadlock::Deadlock;
use crate::ids::{NodeId, Target, TargetError};
use crate::model::NodeData;
use crate::state::Negotiation;
use crate::time::{Date, Span};
use crate::util::{IdMap, Rendered};

use super::spec::Takes;

/// The earliest (and latest) date a node can be satisfied, with its critical path; see
/// [`Negotiation::earliest`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Earliest {
    /// The node asked about.
    pub target: NodeId,
    /// The date counted from.
    pub from: Date,
    /// The earliest date; `None`: never, as things stand (see `deadlocks` and
    /// `nobody_can_satisfy`). For a satisfied target, the date it was satisfied (`None` if
    /// undated).
    pub earliest: Option<Date>,
    /// The latest date if every duration on the way takes its maximum; `None` if a duration
    /// that matters has no maximum, or never.
    pub latest: Option<Date>,
    /// The chain of requirements that sets the earliest date, from the target down: each step
    /// is the requirement that is met last.
    pub critical_path: Vec<PathStep>,
    /// When never: the deadlocks below the target.
    pub deadlocks: Vec<Deadlock>,
    /// When never: the nodes below the target that no party can satisfy (a condition owed
    /// by nobody, an act of a lapsed track), sorted.
    pub nobody_can_satisfy: Vec<NodeId>,
    /// When the latest date is unknown: the nodes it waits on whose duration has no maximum,
    /// sorted.
    pub open_ended: Vec<NodeId>,
}

/// One step of a critical path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PathStep {
    /// The node.
    pub node: NodeId,
    /// Its earliest date (for a satisfied node, the date it was satisfied).
    pub date: Date,
    /// Whether it is already satisfied (the anchor the path starts from).
    pub satisfied: bool,
    /// Its declared duration.
    pub takes: Option<Takes>,
}

/// A requirement of a region's slot: its node, weight, and slot (`NONE` for a satisfied
/// requirement, outside the region).
#[derive(Clone, Copy)]
struct Req {
    node: NodeId,
    weight: u32,
    slot: u32,
}

const NONE: u32 = u32::MAX;

/// An entry of the date-ordered queue: (date, node, slot to notify or `NONE`, weight or slot).
type Pending = (Option<Date>, NodeId, u32, u32);

/// Which bound a dating pass computes. Dates are days: a coarse date counts from its first
/// day for the earliest bound and from its last day for the latest (`2025-03` + 10 days is
/// 2025-03-11 at the earliest and 2025-04-10 at the latest).
#[derive(Clone, Copy)]
enum Pass {
    /// Minimum durations, first days.
    Earliest,
    /// Maximum durations (a node without one is never dated), last days.
    Latest,
}

impl Pass {
    fn day(self, d: Date) -> Date {
        match self {
            Pass::Earliest => d.first_day(),
            Pass::Latest => d.last_day(),
        }
    }

    fn span(self, t: Takes) -> Option<Span> {
        match self {
            Pass::Earliest => Some(t.min),
            Pass::Latest => t.max,
        }
    }
}

/// A node's place in the earliest-date computation.
struct Slot {
    node: NodeId,
    /// Whether it is a requirement group (its alternatives count by weight).
    group: bool,
    /// Its declared duration.
    takes: Option<Takes>,
    /// An act whose track lapses before the date it could be performed on.
    lapses: bool,
    /// What it needs: all its requirements (their count), or a group's threshold.
    need: u32,
    /// Its requirements: `reqs[start..start + len]` of the region.
    start: u32,
    len: u32,
    got: u32,
    /// The latest date among the requirements met so far (pops come in date order).
    ready: Option<Date>,
    /// The requirement whose date completed what it needs.
    via: Option<NodeId>,
    date: Option<Date>,
    done: bool,
}

impl Negotiation {
    /// The earliest date `target` can be satisfied, counting from `from` (today), if every
    /// party acts as soon as it can, and the latest if every declared duration takes its
    /// maximum; with the critical path that sets it.
    ///
    /// A node can be satisfied once its requirements are: all of them, the first of an any-of
    /// group's alternatives, the k-th for a threshold (the smallest set of alternatives
    /// reaching a weight). A node then takes its declared duration ([`Takes`]), counted from the
    /// date its last requirement was met — a date known from the history when that was a dated
    /// move, otherwise `from` — and never ends before `from`. Nodes without a duration take no
    /// time. A deadlock (or a condition owed by nobody) below the target means never: the
    /// answer names them. Deadlines do not enter: they are information, not constraints.
    ///
    /// # Complexity
    ///
    /// Linear in the unsatisfied part of the graph below the target (its nodes and their
    /// requirements), times the logarithm of its size for the date-ordered queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, Negotiation, Role, Span, StageKind, Takes, TrackSpec};
    ///
    /// let d = |s: &str| s.parse::<negotiation::Date>().unwrap();
    /// let mut neg = Negotiation::builder()
    ///     .party("gov", "Government", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["gov"]).stage(StageKind::Ratified))
    ///     .condition(ConditionSpec::new("call", "Referendum called").owed_by(["gov"]))
    ///     .condition(ConditionSpec::new("referendum", "Referendum held").owed_by(["gov"]))
    ///     .requires("referendum", "call")
    ///     .takes("referendum", Takes::between(Span::months(2), Span::months(3)))
    ///     .precondition("gov", "referendum", "deal.ratified")
    ///     .build()?;
    /// neg.apply(&Move::fulfil("gov", "call").on(d("2026-03-01")))?;
    /// let ratified = neg.node_id("deal.ratified").unwrap();
    /// let e = neg.earliest(ratified, d("2026-03-15")).unwrap();
    /// assert_eq!(e.earliest, Some(d("2026-05-01")));
    /// assert_eq!(e.latest, Some(d("2026-06-01")));
    /// let path: Vec<&str> = e.critical_path.iter().map(|s| neg.key(s.node).unwrap()).collect();
    /// assert_eq!(path, ["deal.ratified", "deal.ratified.gov", "referendum", "call"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node.
    pub fn earliest<'a>(
        &self,
        target: impl Into<Target<'a>>,
        from: Date,
    ) -> Result<Earliest, TargetError> {
        Ok(self.earliest_of(self.resolve_target(target)?, from))
    }

    /// [`earliest`](Self::earliest) of a node of this negotiation.
    pub(crate) fn earliest_of(&self, target: NodeId, from: Date) -> Earliest {
        let mut out = Earliest {
            target,
            from,
            earliest: None,
            latest: None,
            critical_path: Vec::new(),
            deadlocks: Vec::new(),
            nobody_can_satisfy: Vec::new(),
            open_ended: Vec::new(),
        };
        if target.index() >= self.nodes.len() {
            return out;
        }
        if self.satisfied(target) {
            out.earliest = self.satisfied_since(target);
            out.latest = out.earliest;
            return out;
        }
        let (mut slots, index, reqs) = self.region(target);
        // Without a cycle, one topological order serves both passes; with one, dates are
        // settled in date order.
        let order = Self::topological(&slots, &reqs);
        let settle = |slots: &mut [Slot], pass| match &order {
            Some(order) => self.date_in_order(slots, &reqs, order, from, pass),
            None => self.settle_dates(slots, &reqs, from, pass),
        };
        settle(&mut slots, Pass::Earliest);
        let t = 0; // the target's slot
        if slots[t].done {
            out.earliest = slots[t].date;
            out.critical_path = self.critical_path(&slots, &index, t);
            settle(&mut slots, Pass::Latest);
            out.latest = slots[t].date.filter(|_| slots[t].done);
            if out.latest.is_none() {
                out.open_ended = self.open_ended(&slots, &index, t);
            }
        } else {
            out.deadlocks = self.explain(target).deadlocks().to_vec();
            out.nobody_can_satisfy = slots
                .iter()
                .filter(|s| s.lapses || self.nobody_can(s.node))
                .map(|s| s.node)
                .collect();
            out.nobody_can_satisfy.sort_unstable();
        }
        out
    }

    /// After the latest-date pass: the nodes with no maximum duration that slot `t` waits on
    /// (ready, but undated for want of a maximum), found through the undated slots below it.
    fn open_ended(&self, slots: &[Slot], index: &IdMap, t: usize) -> Vec<NodeId> {
        let mut seen = vec![false; slots.len()];
        let mut stack = vec![t];
        seen[t] = true;
        let mut out = Vec::new();
        while let Some(i) = stack.pop() {
            let s = &slots[i];
            if s.got >= s.need {
                // Ready but undated: its own duration has no maximum (or nobody can satisfy
                // it, or its date falls past 9999: not open-ended, left out).
                if s.takes.is_some_and(|t| t.max.is_none()) && !self.nobody_can(s.node) {
                    out.push(s.node);
                }
                continue;
            }
            for r in self.graph.requirements(s.node) {
                if let Some(j) = index.get(r.target.index()) {
                    if !slots[j].done && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether no party can satisfy `node` by its own move: a condition owed by nobody, an act
    /// of a lapsed track.
    fn nobody_can(&self, node: NodeId) -> bool {
        match &self.nodes[node.index()].data {
            NodeData::Condition(c) => c.owed_by.is_empty(),
            NodeData::Act(_) => self.lapsed(node).is_some(),
            _ => false,
        }
    }

    /// The unsatisfied nodes below `target`, reached through unsatisfied requirements, each
    /// with what it needs and its requirements resolved to slots once (the passes then read
    /// arrays, not the hash index). Breadth first, the slots themselves as the queue.
    fn region(&self, target: NodeId) -> (Vec<Slot>, IdMap, Vec<Req>) {
        let slot = |node: NodeId| Slot {
            node,
            group: matches!(self.nodes[node.index()].data, NodeData::Group(_)),
            takes: self.takes(node),
            lapses: false,
            // A group needs its threshold; any other node all its requirements (set below).
            need: match &self.nodes[node.index()].data {
                NodeData::Group(g) => g.needed(),
                _ => 0,
            },
            start: 0,
            len: 0,
            got: 0,
            ready: None,
            via: None,
            date: None,
            done: false,
        };
        let mut slots = vec![slot(target)];
        // Node → its slot: hashed while the region is a small part of the model.
        let mut index = IdMap::new(self.nodes.len());
        index.insert(target.index(), 0);
        let mut reqs = Vec::new();
        let mut i = 0;
        let warm = self.reads_ahead();
        while i < slots.len() {
            if warm && i.is_multiple_of(crate::state::READ_AHEAD) {
                self.read_ahead(slots[i..].iter().map(|s| s.node));
            }
            let start = reqs.len();
            for r in self.graph.requirements(slots[i].node) {
                let slot_of = if self.satisfied(r.target) {
                    NONE
                } else {
                    match index.get(r.target.index()) {
                        Some(j) => j as u32,
                        None => {
                            slots.push(slot(r.target));
                            index.insert(r.target.index(), slots.len() - 1);
                            (slots.len() - 1) as u32
                        }
                    }
                };
                reqs.push(Req {
                    node: r.target,
                    weight: r.weight,
                    slot: slot_of,
                });
            }
            let s = &mut slots[i];
            (s.start, s.len) = (start as u32, (reqs.len() - start) as u32);
            if !s.group {
                s.need = s.len;
            }
            i += 1;
        }
        (slots, index, reqs)
    }

    /// Each slot's dependents inside the region, with the requirement's weight, flat: slot
    /// `j`'s are `parents[first[j]..first[j + 1]]`.
    fn parent_lists(slots: &[Slot], reqs: &[Req]) -> (Vec<usize>, Vec<(usize, u32)>) {
        let inside = |s: &Slot| {
            reqs[s.start as usize..(s.start + s.len) as usize]
                .iter()
                .filter(|r| r.slot != NONE)
        };
        let mut first = vec![0usize; slots.len() + 1];
        for s in slots {
            for r in inside(s) {
                first[r.slot as usize + 1] += 1;
            }
        }
        for j in 0..slots.len() {
            first[j + 1] += first[j];
        }
        let mut fill = first.clone();
        let mut parents = vec![(0usize, 0u32); first[slots.len()]];
        for (i, s) in slots.iter().enumerate() {
            for r in inside(s) {
                parents[fill[r.slot as usize]] = (i, r.weight);
                fill[r.slot as usize] += 1;
            }
        }
        (first, parents)
    }

    /// The region's slots in an order where each comes after the slots it requires (Kahn's
    /// algorithm on the requirements inside the region), or `None` if the region has a cycle.
    fn topological(slots: &[Slot], reqs: &[Req]) -> Option<Vec<usize>> {
        let (first, parents) = Self::parent_lists(slots, reqs);
        let mut pending = vec![0u32; slots.len()];
        for &(p, _) in &parents {
            pending[p] += 1;
        }
        let mut order: Vec<usize> = (0..slots.len()).filter(|&i| pending[i] == 0).collect();
        let mut k = 0;
        while k < order.len() {
            let j = order[k];
            for &(p, _) in &parents[first[j]..first[j + 1]] {
                pending[p] -= 1;
                if pending[p] == 0 {
                    order.push(p);
                }
            }
            k += 1;
        }
        (order.len() == slots.len()).then_some(order)
    }

    /// Dates the slots of an acyclic region in topological `order`, with the same result as
    /// [`settle_dates`](Self::settle_dates): each slot takes, among its requirements that have
    /// a date (a satisfied one, or a dated slot), the smallest set in date order that meets
    /// what it needs; the last of them starts its duration.
    fn date_in_order(
        &self,
        slots: &mut [Slot],
        reqs: &[Req],
        order: &[usize],
        from: Date,
        pass: Pass,
    ) {
        let from = pass.day(from);
        // (date, node, weight) of a group's dated alternatives.
        let mut dated: Vec<(Option<Date>, NodeId, u32)> = Vec::new();
        for &i in order {
            let (group, need) = (slots[i].group, slots[i].need);
            (slots[i].got, slots[i].ready, slots[i].via) = (0, None, None);
            (slots[i].date, slots[i].done, slots[i].lapses) = (None, false, false);
            dated.clear();
            let mut last: Option<(Option<Date>, NodeId)> = None;
            let mut got = 0u32;
            let (start, len) = (slots[i].start as usize, slots[i].len as usize);
            for r in &reqs[start..start + len] {
                let date = match r.slot {
                    NONE => self.satisfied_since(r.node).map(|d| pass.day(d)),
                    j if slots[j as usize].done => slots[j as usize].date,
                    _ => continue,
                };
                if group {
                    dated.push((date, r.node, r.weight));
                } else {
                    got += 1;
                    last = last.max(Some((date, r.node)));
                }
            }
            if group {
                dated.sort_unstable();
                for &(date, n, w) in &dated {
                    got = got.saturating_add(w);
                    last = Some((date, n));
                    if got >= need {
                        break;
                    }
                }
            }
            let s = &mut slots[i];
            s.got = got.min(need);
            if let Some((date, n)) = last {
                (s.ready, s.via) = (date, Some(n));
            }
            if got >= need {
                self.date_slot(s, from, pass);
            }
        }
    }

    /// Dates every slot it can, in date order (a generalized Dijkstra: a node's date is final
    /// once what it needs is met, and pops come earliest first). `pass` picks the duration
    /// (minimum or maximum; a node whose maximum is unknown is never dated) and the day of a
    /// coarse date.
    fn settle_dates(&self, slots: &mut [Slot], reqs: &[Req], from: Date, pass: Pass) {
        for s in slots.iter_mut() {
            (s.got, s.ready, s.via, s.date, s.done) = (0, None, None, None, false);
            s.lapses = false;
        }
        let from = pass.day(from);
        let (first, parents) = Self::parent_lists(slots, reqs);
        // Entries: (date, node, slot to notify, weight): a satisfied requirement notifies the
        // one slot that has it (`None` dates sort first: satisfied on no recorded date); a
        // dated slot (`NONE`) notifies its dependents in the region.
        let mut queue: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
        for (i, s) in slots.iter().enumerate() {
            for r in &reqs[s.start as usize..(s.start + s.len) as usize] {
                if r.slot == NONE {
                    let since = self.satisfied_since(r.node).map(|d| pass.day(d));
                    queue.push(Reverse((since, r.node, i as u32, r.weight)));
                }
            }
        }
        for (i, s) in slots.iter_mut().enumerate() {
            if s.need == 0 {
                if let Some(date) = self.date_slot(s, from, pass) {
                    queue.push(Reverse((Some(date), s.node, NONE, i as u32)));
                }
            }
        }
        while let Some(Reverse((date, n, to, w))) = queue.pop() {
            let one = [(to as usize, w)];
            let targets = match to {
                NONE => &parents[first[w as usize]..first[w as usize + 1]],
                _ => &one[..],
            };
            for &(i, weight) in targets {
                let s = &mut slots[i];
                if s.done || s.got >= s.need {
                    continue;
                }
                s.got = s.got.saturating_add(if s.group { weight } else { 1 });
                s.ready = date.max(s.ready);
                s.via = Some(n);
                if s.got >= s.need {
                    if let Some(date) = self.date_slot(s, from, pass) {
                        queue.push(Reverse((Some(date), s.node, NONE, i as u32)));
                    }
                }
            }
        }
    }

    /// Dates a slot whose requirements are met: the last of them (or `from`) plus its
    /// duration, never before `from`. `None` if it cannot be dated (nobody can satisfy it,
    /// its maximum is unknown, or the date falls past 9999).
    fn date_slot(&self, s: &mut Slot, from: Date, pass: Pass) -> Option<Date> {
        s.got = s.need;
        if self.nobody_can(s.node) {
            return None;
        }
        let start = s.ready.unwrap_or(from);
        let end = match s.takes {
            None => start,
            Some(t) => start.checked_add(pass.span(t)?).ok()?,
        };
        let date = end.max(from);
        // An act whose track lapses before it can be performed cannot be.
        if self.lapsed_on(s.node, date).is_some() {
            s.lapses = true;
            return None;
        }
        (s.date, s.done) = (Some(date), true);
        Some(date)
    }

    /// The chain of last-met requirements from slot `t` down.
    fn critical_path(&self, slots: &[Slot], index: &IdMap, t: usize) -> Vec<PathStep> {
        let mut path = Vec::new();
        let mut at = Some(t);
        while let Some(i) = at {
            let s = &slots[i];
            let Some(date) = s.date else { break };
            path.push(PathStep {
                node: s.node,
                date,
                satisfied: false,
                takes: self.takes(s.node),
            });
            at = s.via.and_then(|v| index.get(v.index()));
            // A requirement outside the region is satisfied: the anchor, if dated.
            if let Some(v) = s.via.filter(|v| index.get(v.index()).is_none()) {
                if let Some(date) = self.satisfied_since(v) {
                    path.push(PathStep {
                        node: v,
                        date,
                        satisfied: true,
                        takes: self.takes(v),
                    });
                }
            }
        }
        path
    }
}

impl Earliest {
    /// The answer as text: the dates, the critical path, or why never.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "answer");
            }
            let neg = negotiation;
            let key = |n: NodeId| neg.key_of(n);
            let Some(earliest) = self.earliest else {
                if neg.satisfied(self.target) {
                    return writeln!(f, "{} is already satisfied (undated)", key(self.target));
                }
                writeln!(
                    f,
                    "{} can never be satisfied as things stand",
                    key(self.target)
                )?;
                for d in &self.deadlocks {
                    let nodes: Vec<&str> = d.nodes.iter().map(|&n| key(n)).collect();
                    writeln!(f, "- unless the deadlock {} is broken", nodes.join(" -> "))?;
                }
                for &n in &self.nobody_can_satisfy {
                    let why = match neg.get(n) {
                        Some(crate::NodeRef::Act(_)) => "its track lapses before it can act",
                        _ => "it is owed by nobody",
                    };
                    writeln!(f, "- nobody can satisfy {}: {why}", key(n))?;
                }
                return Ok(());
            };
            write!(f, "{}: earliest {earliest}", key(self.target))?;
            match self.latest {
                Some(l) if l != earliest => write!(f, ", latest {l}")?,
                Some(_) => {}
                None => write!(f, ", latest unknown (a duration on the way has no maximum)")?,
            }
            writeln!(f, " (from {})", self.from)?;
            // Without a duration or a dated anchor, every path ties: none is critical.
            if self
                .critical_path
                .iter()
                .all(|s| s.takes.is_none() && !s.satisfied)
            {
                return writeln!(
                    f,
                    "no duration is declared on the way: as soon as the parties act"
                );
            }
            writeln!(f, "critical path:")?;
            for s in &self.critical_path {
                let mut line = format!("- {}", key(s.node));
                if s.satisfied {
                    let _ = write!(line, ": satisfied on {}", s.date);
                } else {
                    let _ = write!(line, ": {}", s.date);
                }
                if let Some(t) = s.takes {
                    let _ = write!(line, " ({t})");
                }
                writeln!(f, "{line}")?;
            }
            Ok(())
        })
    }
}

#[cfg(all(test, feature = "generate"))]
mod tests {
    use super::*;
    use crate::generate::{model, valid_moves, with_durations, Shape};

    /// The topological pass and the date-ordered pass date every slot alike (date, the
    /// requirement that completed it, whether its requirements are met), for both bounds,
    /// on every generated shape, partly played, from every node.
    #[test]
    fn both_dating_passes_agree() {
        let from: Date = "2001-06".parse().unwrap();
        for shape in Shape::ALL {
            for seed in 0..3 {
                let mut neg = with_durations(model(shape, 300, seed), 40, seed)
                    .build()
                    .unwrap();
                for mv in valid_moves(&neg.clone(), 60, seed) {
                    let _ = neg.apply(&mv);
                }
                let mut acyclic = 0;
                for target in neg.node_ids().filter(|&n| !neg.satisfied(n)) {
                    let (mut a, index, reqs) = neg.region(target);
                    let (mut b, _, _) = neg.region(target);
                    let Some(order) = Negotiation::topological(&a, &reqs) else {
                        continue;
                    };
                    acyclic += 1;
                    for pass in [Pass::Earliest, Pass::Latest] {
                        neg.date_in_order(&mut a, &reqs, &order, from, pass);
                        neg.settle_dates(&mut b, &reqs, from, pass);
                        for (x, y) in a.iter().zip(&b) {
                            let key = neg.key_of(x.node);
                            assert_eq!(x.date, y.date, "{shape:?} {seed} {key}");
                            assert_eq!(x.done, y.done, "{shape:?} {seed} {key}");
                            assert_eq!(x.got >= x.need, y.got >= y.need, "{shape:?} {key}");
                            if x.done {
                                // Ties may complete a node through different requirements;
                                // the date they give is the same.
                                let via_date = |slots: &[Slot], v: Option<NodeId>| {
                                    v.map(|v| match index.get(v.index()) {
                                        Some(j) => slots[j].date,
                                        None => neg.satisfied_since(v).map(|d| pass.day(d)),
                                    })
                                };
                                assert_eq!(
                                    via_date(&a, x.via),
                                    via_date(&b, y.via),
                                    "{shape:?} {seed} {key}"
                                );
                            }
                        }
                    }
                }
                assert!(acyclic > 0, "{shape:?}: no acyclic region to compare");
            }
        }
    }
}

crate::foreign::owned! {
    Earliest { target, critical_path, deadlocks, nobody_can_satisfy, open_ended }
    PathStep { node }
}

//! The stability engine: unilateral moves, reachable minima over legal sequences, and the six
//! solution concepts for every mover and state.

use std::collections::HashSet;
use std::fmt;

use super::conflict::{Conflict, ConflictError, DmId, MoverId, Stamp, StateId};

/// A solution concept of the graph model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Concept {
    /// Nash stability: the mover has no unilateral improvement.
    Nash,
    /// General metarationality: every improvement can be answered by the others (any legal
    /// sequence of their moves) with a state the mover does not prefer to the start.
    Gmr,
    /// Symmetric metarationality: as GMR, and the mover cannot escape the sanction by a move of
    /// its own to a state it prefers to the start.
    Smr,
    /// Sequential stability: as GMR, with the others' sequences made of improvements only.
    Seq,
    /// Simultaneous stability: every improvement can be met by the others' simultaneous
    /// improvements (each staying or making one) so that the combined state is feasible and not
    /// preferred by the mover to the start.
    Sim,
    /// Stable by SEQ or by SIM.
    SeqSim,
}

impl Concept {
    /// Every concept, in the order reports print them.
    pub const ALL: [Concept; 6] = [
        Concept::Nash,
        Concept::Gmr,
        Concept::Smr,
        Concept::Seq,
        Concept::Sim,
        Concept::SeqSim,
    ];

    /// The base concepts whose verdicts make up this one's: SEQ and SIM for SEQ+SIM (stable by
    /// either), the concept itself otherwise.
    pub(crate) fn parts(self) -> &'static [Concept] {
        match self {
            Concept::SeqSim => &[Concept::Seq, Concept::Sim],
            Concept::Nash => &[Concept::Nash],
            Concept::Gmr => &[Concept::Gmr],
            Concept::Smr => &[Concept::Smr],
            Concept::Seq => &[Concept::Seq],
            Concept::Sim => &[Concept::Sim],
        }
    }

    /// The usual abbreviation: `Nash`, `GMR`, `SMR`, `SEQ`, `SIM`, `SEQ+SIM`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Concept::Nash => "Nash",
            Concept::Gmr => "GMR",
            Concept::Smr => "SMR",
            Concept::Seq => "SEQ",
            Concept::Sim => "SIM",
            Concept::SeqSim => "SEQ+SIM",
        }
    }
}

impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who moves in an analysis: one decision maker, or a coalition moving with the union of its
/// members' options, whose improvements must be strictly better for every member.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mover {
    name: String,
    members: Vec<DmId>,
    mask: u64,
}

impl Mover {
    /// The decision maker's name, or the members' names joined by ", ".
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The decision makers moving together, in declaration order.
    #[must_use]
    pub fn members(&self) -> &[DmId] {
        &self.members
    }
}

/// The unilateral moves of one mover from one state: every feasible state reached by changing
/// a non-empty subset of the options it may change there. Enumerates submasks, no allocation.
#[derive(Clone)]
pub(crate) struct Moves<'c> {
    conflict: &'c Conflict,
    code: u64,
    allowed: u64,
    sub: u64,
}

impl Iterator for Moves<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        while self.sub != 0 {
            let target = self.code ^ self.sub;
            self.sub = (self.sub - 1) & self.allowed;
            let s = self.conflict.index_of(target);
            if s != u32::MAX {
                return Some(s);
            }
        }
        None
    }
}

/// A conflict seen through a list of movers.
pub(crate) struct Space<'c> {
    pub(crate) conflict: &'c Conflict,
    pub(crate) movers: Vec<Mover>,
    /// Per mover and state, when filled ([`Space::fill_gains`]): whether some move of the
    /// mover may improve for every member (each member gains by some move). `false` is
    /// certain: no improvement. Empty: unknown.
    gains: Vec<Vec<bool>>,
    /// Per mover, when filled ([`Space::fill_gains`]) for a coalition: its improvements
    /// from every state, in the order [`Space::improvements`] gives them. A coalition's
    /// improvements are read several times (its own pass, the others' SEQ minima and SIM
    /// answers), each time 2^(its options) − 1 moves per state when enumerated.
    lists: Vec<Option<Lists>>,
}

/// Improvements per state: those from state `s` are `to[start[s]..start[s + 1]]`.
struct Lists {
    start: Vec<u32>,
    to: Vec<u32>,
}

const INF: u32 = u32::MAX;

/// Listed coalition improvements, at most this many per state in all (4 bytes each).
const LIST_BUDGET: usize = 64;

impl<'c> Space<'c> {
    /// Movers for a partition already checked by [`Conflict::partition`].
    pub(crate) fn new(conflict: &'c Conflict, groups: Vec<Vec<DmId>>) -> Space<'c> {
        let movers = groups
            .into_iter()
            .map(|members| Mover {
                name: members
                    .iter()
                    .map(|&m| conflict.dm_name_raw(m))
                    .collect::<Vec<_>>()
                    .join(", "),
                mask: members
                    .iter()
                    .fold(0, |m, d| m | conflict.dms[d.index()].mask),
                members,
            })
            .collect();
        Space {
            conflict,
            movers,
            gains: Vec::new(),
            lists: Vec::new(),
        }
    }

    pub(crate) fn moves(&self, k: usize, s: u32) -> Moves<'c> {
        Moves::new(self.conflict, self.movers[k].mask, s)
    }

    fn pay(&self, m: DmId) -> &[u32] {
        &self.conflict.payoffs[m.index()]
    }

    /// Whether `to` is strictly better than `from` for every member of mover `k`.
    #[inline]
    pub(crate) fn improves(&self, k: usize, from: u32, to: u32) -> bool {
        match self.movers[k].members.as_slice() {
            // The common case, without the iterator.
            [m] => {
                let pay = self.pay(*m);
                pay[to as usize] > pay[from as usize]
            }
            members => members
                .iter()
                .all(|&m| self.pay(m)[to as usize] > self.pay(m)[from as usize]),
        }
    }

    /// `s ≿_k t` for mover `k`: `t` is not an improvement on `s` for it.
    pub(crate) fn not_better(&self, k: usize, s: u32, t: u32) -> bool {
        !self.improves(k, s, t)
    }

    pub(crate) fn improvements(&self, k: usize, s: u32) -> impl Iterator<Item = u32> + '_ {
        self.moves(k, s).filter(move |&t| self.improves(k, s, t))
    }

    /// Mover `k`'s improvements from `s`, when listed ([`lists`](Space::lists)).
    #[inline]
    fn listed(&self, k: usize, s: u32) -> Option<&[u32]> {
        let l = self.lists.get(k)?.as_ref()?;
        let s = s as usize;
        Some(&l.to[l.start[s] as usize..l.start[s + 1] as usize])
    }

    /// Appends mover `k`'s improvements from `s` to `out`, from its list when it has one.
    fn extend_improvements(&self, k: usize, s: u32, out: &mut Vec<u32>) {
        match self.listed(k, s) {
            Some(l) => out.extend_from_slice(l),
            None => out.extend(self.improvements(k, s)),
        }
    }

    /// Lists the improvements of every coalition (see [`lists`](Space::lists)), within a
    /// budget of [`LIST_BUDGET`] entries per state in all; a coalition over it is enumerated
    /// each time instead. A single decision maker's improvements are never listed: its
    /// passes take maxima by sweeps and do not enumerate them.
    fn fill_lists(&mut self) {
        let n = self.conflict.codes.len();
        let mut budget = n.saturating_mul(LIST_BUDGET);
        let mut lists = Vec::with_capacity(self.movers.len());
        for k in 0..self.movers.len() {
            if self.movers[k].members.len() < 2 {
                lists.push(None);
                continue;
            }
            let mut start = Vec::with_capacity(n + 1);
            let mut to = Vec::new();
            start.push(0u32);
            let mut fits = true;
            let pays: Vec<&[u32]> = self.movers[k]
                .members
                .iter()
                .map(|&m| self.pay(m))
                .collect();
            for s in 0..n as u32 {
                if self.may_gain(k, s) {
                    // As `improvements`, with the members' payoffs at s read once.
                    let moves = self.moves(k, s);
                    if let [a, b] = pays.as_slice() {
                        let (x, y) = (a[s as usize], b[s as usize]);
                        to.extend(moves.filter(|&t| a[t as usize] > x && b[t as usize] > y));
                    } else {
                        let at: Vec<u32> = pays.iter().map(|p| p[s as usize]).collect();
                        to.extend(
                            moves
                                .filter(|&t| pays.iter().zip(&at).all(|(p, &x)| p[t as usize] > x)),
                        );
                    }
                }
                if to.len() > budget || to.len() > u32::MAX as usize {
                    fits = false;
                    break;
                }
                start.push(to.len() as u32);
            }
            if fits {
                budget -= to.len();
                lists.push(Some(Lists { start, to }));
            } else {
                lists.push(None);
            }
        }
        self.lists = lists;
    }

    /// Fills [`gains`](Space::gains): per mover, one sweep per member
    /// ([`reach_max`](Self::reach_max)); O(2^options × options) in all.
    fn fill_gains(&mut self) {
        let mut table = Vec::new();
        let gains = (0..self.movers.len())
            .map(|k| {
                let mut can = vec![true; self.conflict.codes.len()];
                for &m in &self.movers[k].members {
                    let pay = self.pay(m);
                    let best = self.reach_max(k, pay, &mut table);
                    for ((c, b), p) in can.iter_mut().zip(best).zip(pay) {
                        *c &= b > *p;
                    }
                }
                can
            })
            .collect();
        self.gains = gains;
    }

    /// Whether mover `k` may have an improvement from `s` (see [`gains`](Space::gains)).
    fn may_gain(&self, k: usize, s: u32) -> bool {
        self.gains
            .get(k)
            .and_then(|g| g.get(s as usize))
            .copied()
            .unwrap_or(true)
    }

    fn others(&self, i: usize) -> Vec<usize> {
        (0..self.movers.len()).filter(|&k| k != i).collect()
    }

    /// Per state `s1` and channel `c`: the minimum of `values[c]` over `s1` and every state
    /// the movers `others` reach from it by sequences of moves (improvements only when
    /// `improving`).
    ///
    /// The sequences here may repeat a mover; the definitions allow only legal sequences, in
    /// which nobody moves twice in a row. The two reach the same states except, possibly,
    /// `s1` itself. Two moves in a row by mover k, x → y → z, are one move x → z of k
    /// when z ≠ x: z is feasible; an option changed in only one of the two steps changes
    /// from its value at x in a permitted direction; one changed in both is back where it
    /// was; and when both steps improve for every member of k, so does x → z. When z = x
    /// both steps drop out. Repeating this makes any sequence legal without changing where
    /// it ends, and only a sequence that ends where it began can vanish. Counting `s1`
    /// in the minimum never makes a sanction: the callers compare against a state s from
    /// which `s1` is an improvement for the mover, so every member prefers `s1` to s,
    /// and (for SMR) its best escape from `s1` is at least as good as `s1`. The explicit
    /// legal-sequence oracle in the tests checks this equivalence.
    ///
    /// Iterative Tarjan over the implicit graph, one node per state: the states of a strongly
    /// connected component share one minimum, fixed when the component is popped (every
    /// component it reaches is done by then). Time linear in the edges, states × moves of
    /// `others`; memory a few words per state.
    fn reach_minima<'s>(
        &'s self,
        others: &[usize],
        improving: bool,
        values: &[&[u32]],
    ) -> Vec<u32> {
        let h = others.len();
        let ch = values.len();
        let n = self.conflict.codes.len();
        const UNSEEN: u32 = u32::MAX;
        let mut order = vec![UNSEEN; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut acc = vec![INF; n * ch];
        for (c, v) in values.iter().enumerate() {
            for (s, &x) in v.iter().enumerate() {
                acc[s * ch + c] = x;
            }
        }
        if h == 0 {
            return acc;
        }
        if h == 1 && !improving {
            // One mover: two moves in a row are one (or none), so its reach from s1 is
            // R(s1) ∪ {s1}, whose minimum a sweep takes without enumerating moves.
            let mut table = Vec::new();
            for (c, v) in values.iter().enumerate() {
                for (s, m) in self
                    .reach_min(others[0], v, &mut table)
                    .into_iter()
                    .enumerate()
                {
                    acc[s * ch + c] = m;
                }
            }
            return acc;
        }
        // Hubs, for the reach without improvement: a mover with many moves reaches, in one
        // move, every feasible state of its context whose irreversible options have gone
        // only their permitted way, its reversible options set at will. One node per
        // (context, values of its irreversible options) stands for that: a state leads to
        // its node, a node to the states it stands for and to the nodes one irreversible
        // option further. The reach from every state is unchanged, with about 2 + (its
        // irreversible options) edges per state instead of 2^(its options) − 1.
        struct Hub {
            free: u64,
            dir: u64,
            base: usize,
        }
        let mut hubs: Vec<Option<Hub>> = Vec::with_capacity(h);
        let mut total = n;
        let directed = self.conflict.fwd | self.conflict.back;
        for &q in others {
            let mask = self.movers[q].mask;
            let (free, dir) = (mask & !directed, mask & directed);
            let size = 1usize << (self.conflict.options.len() - free.count_ones() as usize);
            if improving || mask.count_ones() < 3 || free == 0 || size > n {
                hubs.push(None);
                continue;
            }
            hubs.push(Some(Hub {
                free,
                dir,
                base: total,
            }));
            total += size;
        }
        if total > n {
            order.resize(total, UNSEEN);
            low.resize(total, 0);
            on_stack.resize(total, false);
            acc.resize(total * ch, INF);
        }
        // A hub's node for a code: the code without the hub's free bits, then offset.
        let remove = |code: u64, free: u64| {
            let mut c = code;
            let mut f = free;
            while f != 0 {
                let b = 63 - f.leading_zeros();
                f &= !(1 << b);
                c = (c & ((1 << b) - 1)) | ((c >> (b + 1)) << b);
            }
            c as usize
        };
        let insert = |index: usize, free: u64| {
            let mut c = index as u64;
            let mut f = free;
            while f != 0 {
                let b = f.trailing_zeros();
                f &= f - 1;
                c = (c & ((1 << b) - 1)) | ((c >> b) << (b + 1));
            }
            c
        };
        let empty = Moves {
            conflict: self.conflict,
            code: 0,
            allowed: 0,
            sub: 0,
        };
        let mut stack: Vec<u32> = Vec::new();
        // The successors of state `node` through the mover at position `q` without a hub:
        // its listed improvements, or its moves to enumerate (to filter when `improving`).
        let edges = |q: usize, node: u32| -> (Moves<'s>, &'s [u32]) {
            if improving {
                if let Some(list) = self.listed(others[q], node) {
                    return (empty.clone(), list);
                }
                if !self.may_gain(others[q], node) {
                    return (empty.clone(), &[]);
                }
            }
            (self.moves(others[q], node), &[])
        };
        struct Frame<'s> {
            node: u32,
            /// A state's: the position of the mover whose moves are enumerated, its moves
            /// (or its listed improvements), and whether its hub was visited.
            q: usize,
            moves: Moves<'s>,
            list: &'s [u32],
            sent: bool,
            /// A hub node's: which hub, its code, the free bits left to enumerate (`None`
            /// when done), the irreversible options left.
            hub: usize,
            key: u64,
            sub: Option<u64>,
            dirs: u64,
        }
        let frame_of = |node: u32| -> Frame<'s> {
            let v = node as usize;
            if v < n {
                let (moves, list) = match hubs[0] {
                    None => edges(0, node),
                    Some(_) => (empty.clone(), &[][..]),
                };
                return Frame {
                    node,
                    q: 0,
                    moves,
                    list,
                    sent: false,
                    hub: 0,
                    key: 0,
                    sub: None,
                    dirs: 0,
                };
            }
            let found = hubs
                .iter()
                .enumerate()
                .filter_map(|(k, x)| x.as_ref().map(|x| (k, x)))
                .rfind(|(_, x)| x.base <= v);
            let Some((k, hub)) = found else {
                // Cannot happen: every node past the states belongs to a hub.
                return Frame {
                    node,
                    q: h,
                    moves: empty.clone(),
                    list: &[],
                    sent: true,
                    hub: h,
                    key: 0,
                    sub: None,
                    dirs: 0,
                };
            };
            Frame {
                node,
                q: h,
                moves: empty.clone(),
                list: &[],
                sent: true,
                hub: k,
                key: insert(v - hub.base, hub.free),
                sub: Some(hub.free),
                dirs: hub.dir,
            }
        };
        let mut frames: Vec<Frame<'s>> = Vec::new();
        let mut counter = 0u32;
        for root in 0..n as u32 {
            if order[root as usize] != UNSEEN {
                continue;
            }
            order[root as usize] = counter;
            low[root as usize] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root as usize] = true;
            frames.push(frame_of(root));
            while let Some(frame) = frames.last_mut() {
                let v = frame.node as usize;
                // The next successor of v, if any.
                let mut next = None;
                if v < n {
                    while frame.q < h {
                        if let Some(hub) = &hubs[frame.q] {
                            if !frame.sent {
                                frame.sent = true;
                                let code = self.conflict.codes[v];
                                next = Some(hub.base + remove(code, hub.free));
                                break;
                            }
                        } else if let Some((&t, rest)) = frame.list.split_first() {
                            frame.list = rest;
                            next = Some(t as usize);
                            break;
                        } else if let Some(t) = frame.moves.next() {
                            if improving && !self.improves(others[frame.q], frame.node, t) {
                                continue;
                            }
                            next = Some(t as usize);
                            break;
                        }
                        frame.q += 1;
                        frame.sent = false;
                        if frame.q < h && hubs[frame.q].is_none() {
                            (frame.moves, frame.list) = edges(frame.q, frame.node);
                        }
                    }
                } else if let Some(Some(hub)) = hubs.get(frame.hub) {
                    while let Some(f) = frame.sub {
                        frame.sub = (f != 0).then(|| (f - 1) & hub.free);
                        let t = self.conflict.index_of(frame.key | f);
                        if t != u32::MAX {
                            next = Some(t as usize);
                            break;
                        }
                    }
                    while next.is_none() && frame.dirs != 0 {
                        let bit = frame.dirs & frame.dirs.wrapping_neg();
                        frame.dirs &= !bit;
                        let taken = frame.key & bit != 0;
                        let forward = self.conflict.fwd & bit != 0;
                        if forward != taken {
                            next = Some(hub.base + remove(frame.key ^ bit, hub.free));
                        }
                    }
                }
                match next {
                    Some(w) if order[w] == UNSEEN => {
                        order[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        stack.push(w as u32);
                        on_stack[w] = true;
                        frames.push(frame_of(w as u32));
                    }
                    Some(w) if on_stack[w] => low[v] = low[v].min(order[w]),
                    Some(w) => {
                        for k in 0..ch {
                            acc[v * ch + k] = acc[v * ch + k].min(acc[w * ch + k]);
                        }
                    }
                    None => {
                        frames.pop();
                        if low[v] == order[v] {
                            while let Some(u) = stack.pop() {
                                let u = u as usize;
                                on_stack[u] = false;
                                for k in 0..ch {
                                    acc[u * ch + k] = acc[v * ch + k];
                                }
                                if u == v {
                                    break;
                                }
                            }
                        }
                        if let Some(parent) = frames.last() {
                            let p = parent.node as usize;
                            low[p] = low[p].min(low[v]);
                            for k in 0..ch {
                                acc[p * ch + k] = acc[p * ch + k].min(acc[v * ch + k]);
                            }
                        }
                    }
                }
            }
        }
        acc.truncate(n * ch);
        acc
    }

    /// For every state s, the maximum of `values` over s and R_k(s), the states mover `k`
    /// reaches from s in one move. No move is enumerated.
    ///
    /// R_k(s) ∪ {s} is the set of feasible codes in a product: every option outside k's
    /// keeps its value at s; each option of k takes either value (a reversible option) or
    /// its value at s and the one its direction allows from there. A maximum over a product
    /// is taken one coordinate at a time, as in a "sum over subsets" (zeta) transform: over a
    /// table indexed by code, in which infeasible codes hold nothing, one sweep per option of
    /// k replaces each entry by the best of the values that option may take from it. Time
    /// O(2^options × options of k), whatever the number of moves (2^(options of k) per state
    /// when enumerated); memory the reused `table`, 4 × 2^options bytes.
    pub(crate) fn reach_max(&self, k: usize, values: &[u32], table: &mut Vec<u32>) -> Vec<u32> {
        // Shifted by one: 0 is "no feasible state here".
        self.sweep(
            k,
            values,
            table,
            |v| v.saturating_add(1),
            |e| e.saturating_sub(1),
        )
    }

    /// As [`reach_max`](Self::reach_max), the minimum.
    fn reach_min(&self, k: usize, values: &[u32], table: &mut Vec<u32>) -> Vec<u32> {
        // Reversed: u32::MAX − v, with 0 for "no feasible state here" (values are ranks,
        // below u32::MAX).
        self.sweep(
            k,
            values,
            table,
            |v| u32::MAX - v.min(u32::MAX - 1),
            |e| u32::MAX - e,
        )
    }

    /// The sweep of [`reach_max`](Self::reach_max) on values encoded so that 0 is below
    /// every value (`encode`), decoded back per state.
    fn sweep(
        &self,
        k: usize,
        values: &[u32],
        table: &mut Vec<u32>,
        encode: impl Fn(u32) -> u32,
        decode: impl Fn(u32) -> u32,
    ) -> Vec<u32> {
        let conflict = self.conflict;
        let size = 1usize << conflict.options.len();
        table.clear();
        table.resize(size, 0);
        for (&code, &v) in conflict.codes.iter().zip(values) {
            table[code as usize] = encode(v);
        }
        let mut mask = self.movers[k].mask;
        while mask != 0 {
            let b = mask.trailing_zeros();
            mask &= mask - 1;
            let bit = 1usize << b;
            let (fwd, back) = (conflict.fwd >> b & 1 == 1, conflict.back >> b & 1 == 1);
            for block in table.chunks_exact_mut(2 * bit) {
                // `lo`: the option not taken; `hi`: taken.
                let (lo, hi) = block.split_at_mut(bit);
                if fwd {
                    for (x, y) in lo.iter_mut().zip(hi.iter()) {
                        *x = (*x).max(*y);
                    }
                } else if back {
                    for (x, y) in lo.iter().zip(hi.iter_mut()) {
                        *y = (*y).max(*x);
                    }
                } else {
                    for (x, y) in lo.iter_mut().zip(hi.iter_mut()) {
                        let m = (*x).max(*y);
                        *x = m;
                        *y = m;
                    }
                }
            }
        }
        conflict
            .codes
            .iter()
            .map(|&code| decode(table[code as usize]))
            .collect()
    }

    /// Stability of every state for mover `i` under every concept, indexed like
    /// [`Concept::ALL`].
    ///
    /// For one decision maker every concept but SIM is a maximum over R_i(s) (see
    /// [`reach_max`](Self::reach_max)) compared with i's payoff at s: an improvement s1 is
    /// undeterred exactly when the minimum the others can force from it (which counts s1
    /// itself, so is at most i's payoff at s1) is still above i's payoff at s. No improvement
    /// is enumerated except for SIM, and only from states that have one.
    pub(crate) fn stability(&self, i: usize) -> [Vec<bool>; 6] {
        let n = self.conflict.codes.len();
        let others = self.others(i);
        let members = &self.movers[i].members;
        let pays: Vec<&[u32]> = members.iter().map(|&m| self.pay(m)).collect();
        let mut table = Vec::new();
        // Per member, the best it can reach from each state by staying or by one move of
        // mover i: what an SMR escape can give it.
        let best: Vec<Vec<u32>> = pays
            .iter()
            .map(|p| self.reach_max(i, p, &mut table))
            .collect();
        let mut channels = pays.clone();
        channels.extend(best.iter().map(Vec::as_slice));
        let any = self.reach_minima(&others, false, &channels);
        let seq = self.reach_minima(&others, true, &pays);
        let (ca, cs, width) = (channels.len(), pays.len(), pays.len());
        let mut out: [Vec<bool>; 6] = Default::default();
        for v in out.iter_mut() {
            v.reserve_exact(n);
        }
        let mut imps = Vec::new();
        let mut sim = SimScratch::default();
        if let [pay] = pays.as_slice() {
            let column = |mins: &[u32], w: usize, c: usize| -> Vec<u32> {
                (0..n).map(|s| mins[s * w + c]).collect()
            };
            let nash_max = &best[0];
            let gmr_max = self.reach_max(i, &column(&any, ca, 0), &mut table);
            let seq_max = self.reach_max(i, &column(&seq, cs, 0), &mut table);
            // SMR: an improvement s1 is deterred when the others can force a state from which
            // i's best escape is no better than s; `min` with i's payoff at s1 keeps only
            // improvements.
            let smr_value: Vec<u32> = (0..n).map(|s| pay[s].min(any[s * ca + 1])).collect();
            let smr_max = self.reach_max(i, &smr_value, &mut table);
            // SIM reads i's payoff by state code: one memory access per combined state.
            let by_code: Option<Vec<u32>> = (!others.is_empty()).then(|| {
                let mut p = std::mem::take(&mut table);
                p.clear();
                p.resize(1 << self.conflict.options.len(), INF);
                for (s, &code) in self.conflict.codes.iter().enumerate() {
                    p[code as usize] = pay[s];
                }
                p
            });
            for s in 0..n {
                let p = pay[s];
                let nash = nash_max[s] <= p;
                let simultaneous = nash
                    || match &by_code {
                        // Nobody can answer: SIM is Nash.
                        None => false,
                        Some(by_code) => {
                            imps.clear();
                            imps.extend(self.improvements(i, s as u32));
                            sim.fill(self, &others, s as u32);
                            self.sim_stable(i, s as u32, &imps, &sim, std::slice::from_ref(by_code))
                        }
                    };
                let seq = seq_max[s] <= p;
                let verdicts = [
                    nash,
                    gmr_max[s] <= p,
                    smr_max[s] <= p,
                    seq,
                    simultaneous,
                    seq || simultaneous,
                ];
                for (v, b) in out.iter_mut().zip(verdicts) {
                    v.push(b);
                }
            }
            return out;
        }
        // A coalition: an improvement must be better for every member, which no single
        // maximum captures; its moves are enumerated.
        let sanctioned = |mins: &[u32], w: usize, s: u32, s1: u32| {
            pays.iter()
                .enumerate()
                .any(|(c, p)| mins[s1 as usize * w + c] <= p[s as usize])
        };
        // SIM reads each member's payoff by state code, `INF` for an infeasible code.
        let by_code: Vec<Vec<u32>> = if others.is_empty() {
            Vec::new()
        } else {
            pays.iter()
                .map(|pay| {
                    let mut p = vec![INF; 1 << self.conflict.options.len()];
                    for (s, &code) in self.conflict.codes.iter().enumerate() {
                        p[code as usize] = pay[s];
                    }
                    p
                })
                .collect()
        };
        let mut smr = SmrScratch {
            mark: vec![0; n],
            token: 0,
            queue: Vec::new(),
            fronts: if others.is_empty() {
                None
            } else {
                Fronts::new(self, i, n.saturating_mul(FRONT_BUDGET))
            },
        };
        for s in 0..n as u32 {
            imps.clear();
            // No improvement when some member can gain nothing by any move of the coalition.
            if best
                .iter()
                .zip(&pays)
                .all(|(b, p)| b[s as usize] > p[s as usize])
            {
                self.extend_improvements(i, s, &mut imps);
            }
            let nash = imps.is_empty();
            let gmr = imps.iter().all(|&s1| sanctioned(&any, ca, s, s1));
            // SMR: a member whose best escape from some state the others can force is no
            // better than s deters the improvement outright; only the others need a search.
            let smr = gmr && {
                let escaped = |s1: u32| {
                    !pays
                        .iter()
                        .enumerate()
                        .any(|(c, p)| any[s1 as usize * ca + width + c] <= p[s as usize])
                };
                let pending: Vec<u32> = imps.iter().copied().filter(|&s1| escaped(s1)).collect();
                pending.is_empty() || self.smr_searched(i, &others, s, &pending, &mut smr)
            };
            let seq = imps.iter().all(|&s1| sanctioned(&seq, cs, s, s1));
            let simultaneous = nash || {
                sim.fill(self, &others, s);
                self.sim_stable(i, s, &imps, &sim, &by_code)
            };
            for (v, b) in
                out.iter_mut()
                    .zip([nash, gmr, smr, seq, simultaneous, seq || simultaneous])
            {
                v.push(b);
            }
        }
        out
    }

    /// Coalition SMR for the improvements `starts` of mover `i` from `s`: whether the others
    /// can answer each with a state s2 that is not better than `s` for `i` and from which
    /// `i` has no move to a state better than `s`.
    ///
    /// A search over the others' moves from each start (moves in a row by one mover allowed:
    /// they reach the same states, see [`reach_minima`](Self::reach_minima)). The states on
    /// the path to a sanction found lead to a sanction, so a later start's search stops when it
    /// meets one of them; the first start without a sanction ends the test.
    fn smr_searched(
        &self,
        i: usize,
        others: &[usize],
        s: u32,
        starts: &[u32],
        scratch: &mut SmrScratch,
    ) -> bool {
        let members = &self.movers[i].members;
        let above: Vec<u32> = members.iter().map(|&m| self.pay(m)[s as usize]).collect();
        // A sanction: not better than s, and no move of i from it to a state better than s
        // (the fronts count s2 itself, which is not better than s here).
        let fronts = scratch.fronts.as_ref();
        let is_sanction = |s2: u32| {
            self.not_better(i, s, s2)
                && match fronts {
                    Some(f) => !f.escapes(self, s2, &above),
                    None => self.moves(i, s2).all(|t| self.not_better(i, s, t)),
                }
        };
        // Marks: `good` leads to a sanction for this `s`; `visited` is seen by this search.
        scratch.token = scratch.token.wrapping_add(2);
        if scratch.token < 2 {
            scratch.mark.fill(0);
            scratch.token = 2;
        }
        let good = scratch.token;
        for &s1 in starts {
            if scratch.mark[s1 as usize] == good {
                continue;
            }
            let visited = good + 1;
            scratch.queue.clear();
            // (state, position of its parent in the queue)
            scratch.queue.push((s1, usize::MAX));
            scratch.mark[s1 as usize] = visited;
            let mut head = 0;
            let mut found = None;
            'search: while head < scratch.queue.len() {
                let x = scratch.queue[head].0;
                for &q in others {
                    for t in self.moves(q, x) {
                        let m = scratch.mark[t as usize];
                        if m == visited {
                            continue;
                        }
                        if m == good || is_sanction(t) {
                            found = Some(head);
                            break 'search;
                        }
                        scratch.mark[t as usize] = visited;
                        scratch.queue.push((t, head));
                    }
                }
                head += 1;
            }
            let Some(mut at) = found else {
                return false;
            };
            // The path back to the start leads to the sanction; the rest of this search's
            // states are forgotten.
            for &(x, _) in &scratch.queue {
                scratch.mark[x as usize] = 0;
            }
            while at != usize::MAX {
                let (x, parent) = scratch.queue[at];
                scratch.mark[x as usize] = good;
                at = parent;
            }
        }
        true
    }

    /// SIM at `s` for mover `i` with improvements `imps`: every improvement can be met.
    /// `by_code` holds each member's payoff per state code (`INF` for an infeasible code),
    /// in the order of the members: a combined state sanctions when some member does not
    /// prefer it to `s`, a memory access per member and no state lookup.
    fn sim_stable(
        &self,
        i: usize,
        s: u32,
        imps: &[u32],
        scratch: &SimScratch,
        by_code: &[Vec<u32>],
    ) -> bool {
        let members = &self.movers[i].members;
        let at = |k: usize| self.pay(members[k])[s as usize];
        match by_code {
            [pay] => {
                let at_s = at(0);
                imps.iter()
                    .all(|&s1| self.combinations(s1, scratch, |code, _| pay[code as usize] <= at_s))
            }
            [a, b] => {
                let (x, y) = (at(0), at(1));
                imps.iter().all(|&s1| {
                    self.combinations(s1, scratch, |code, _| {
                        a[code as usize] <= x || b[code as usize] <= y
                    })
                })
            }
            tables => {
                let at_s: Vec<u32> = (0..tables.len()).map(at).collect();
                imps.iter().all(|&s1| {
                    self.combinations(s1, scratch, |code, _| {
                        tables
                            .iter()
                            .zip(&at_s)
                            .any(|(pay, &x)| pay[code as usize] <= x)
                    })
                })
            }
        }
    }

    /// SIM for one improvement `s → s1` of mover `i`: `Ok` with a sanction, the combined
    /// state and each other mover's simultaneous move from `s` that makes it, or `Err` with
    /// every feasible combined state, each of which `i` prefers to `s`.
    pub(crate) fn sim_judge(
        &self,
        i: usize,
        others: &[usize],
        s: u32,
        s1: u32,
    ) -> Result<SimSanction, Vec<u32>> {
        let mut scratch = SimScratch::default();
        scratch.fill(self, others, s);
        let mut outcomes = Vec::new();
        let mut sanction = None;
        self.combinations(s1, &scratch, |code, digits| {
            let t = self.conflict.index_of(code);
            if t == u32::MAX {
                return false;
            }
            if self.not_better(i, s, t) {
                let s_code = self.conflict.codes[s as usize];
                let moves = scratch
                    .groups
                    .iter()
                    .zip(digits)
                    .filter(|(_, &d)| d > 0)
                    .map(|(&(k, at, _), &d)| {
                        (
                            k,
                            self.conflict.index_of(s_code ^ scratch.deltas[at + d - 1]),
                        )
                    })
                    .collect();
                sanction = Some((t, moves));
                return true;
            }
            outcomes.push(t);
            false
        });
        match sanction {
            Some(found) => Ok(found),
            None => {
                outcomes.sort_unstable();
                outcomes.dedup();
                Err(outcomes)
            }
        }
    }

    /// Visits the code of every state combining `s → s1` with each other mover staying or
    /// taking one of its improvements from `s` (in `scratch`), at least one of them moving,
    /// until `visit` returns true; returns whether it did.
    fn combinations(
        &self,
        s1: u32,
        scratch: &SimScratch,
        mut visit: impl FnMut(u64, &[usize]) -> bool,
    ) -> bool {
        let mut code = self.conflict.codes[s1 as usize];
        let groups = &scratch.groups;
        let delta = |k: usize, d: usize| {
            if d == 0 {
                0
            } else {
                scratch.deltas[groups[k].1 + d - 1]
            }
        };
        // An odometer over each other mover's choice: 0 stays, j ≥ 1 takes its j-th
        // improvement. It starts past "everyone stays"; `code` follows the digits.
        let mut digits = [0usize; 64];
        let Some(digit) = digits.get_mut(..groups.len()) else {
            return false; // more groups than options: cannot happen
        };
        loop {
            let mut k = 0;
            loop {
                if k == groups.len() {
                    return false;
                }
                let old = delta(k, digit[k]);
                digit[k] += 1;
                if digit[k] <= groups[k].2 {
                    code ^= old ^ delta(k, digit[k]);
                    break;
                }
                code ^= old;
                digit[k] = 0;
                k += 1;
            }
            if visit(code, digit) {
                return true;
            }
        }
    }

    /// Breadth-first search over (state, last mover) from `start`, nobody having moved yet.
    pub(crate) fn search(&self, start: u32, movers: &[usize], improving: bool) -> Search {
        let h = movers.len();
        let mut nodes = vec![SearchNode {
            state: start,
            last: usize::MAX,
            parent: usize::MAX,
        }];
        let mut seen: HashSet<(u32, usize)> = HashSet::new();
        let mut next = 0;
        while next < nodes.len() {
            let SearchNode { state, last, .. } = nodes[next];
            for q in (0..h).filter(|&q| q != last) {
                for t in self.moves(movers[q], state) {
                    if improving && !self.improves(movers[q], state, t) {
                        continue;
                    }
                    if seen.insert((t, q)) {
                        nodes.push(SearchNode {
                            state: t,
                            last: q,
                            parent: next,
                        });
                    }
                }
            }
            next += 1;
        }
        Search {
            nodes,
            movers: movers.to_vec(),
        }
    }
}

impl<'c> Moves<'c> {
    /// The moves changing options within `mask` from state `s`.
    pub(crate) fn new(conflict: &'c Conflict, mask: u64, s: u32) -> Moves<'c> {
        let code = conflict.codes[s as usize];
        let allowed = mask & !(conflict.fwd & code) & !(conflict.back & !code);
        Moves {
            conflict,
            code,
            allowed,
            sub: allowed,
        }
    }
}

/// A SIM sanction: the combined state, and each other mover's move (mover, state) from the
/// original state that makes it.
pub(crate) type SimSanction = (u32, Vec<(usize, u32)>);

/// Reused by [`Space::smr_searched`]: a mark per state, the current token, the queue, and
/// the coalition's fronts when within their budget.
struct SmrScratch {
    mark: Vec<u32>,
    token: u32,
    queue: Vec<(u32, usize)>,
    fronts: Option<Fronts>,
}

/// Per state s2: the Pareto front of a coalition's members' payoffs over R_i(s2) ∪ {s2},
/// the points no other point is at least as good as for every member. Some state of that
/// set is strictly better than given thresholds for every member exactly when some point of
/// the front is, so an SMR escape test reads a few points instead of enumerating the
/// coalition's 2^(its options) − 1 moves, for each pair (s, s2) met.
///
/// Filled as [`Space::reach_max`] takes its maxima, over the product R_i(s2) ∪ {s2}: a
/// table indexed by code, a front per code (empty for an infeasible one), one sweep per
/// option of the coalition merging each front with the one that option may move to.
struct Fronts {
    /// Per code: the front's values are `points[start[code]..start[code + 1]]`.
    start: Vec<u32>,
    /// The members' payoffs of each point, in the order of the members; for two members,
    /// sorted as [`merge_pairs`] keeps them.
    points: Vec<u32>,
}

/// Fronts, at most this many values (4 bytes each) per state in all, at every step of the
/// sweep; past it the escapes are enumerated.
const FRONT_BUDGET: usize = 64;

impl Fronts {
    /// The fronts of coalition `i`, or `None` past `budget` values.
    fn new(space: &Space<'_>, i: usize, budget: usize) -> Option<Fronts> {
        let conflict = space.conflict;
        let members = &space.movers[i].members;
        let k = members.len();
        let size = 1usize << conflict.options.len();
        let budget = budget.min(u32::MAX as usize);
        let mut start = Vec::with_capacity(size + 1);
        let mut points = Vec::new();
        start.push(0);
        for code in 0..size as u64 {
            let s = conflict.index_of(code);
            if s != u32::MAX {
                points.extend(members.iter().map(|&m| space.pay(m)[s as usize]));
            }
            if points.len() > budget {
                return None;
            }
            start.push(points.len() as u32);
        }
        let (mut next_start, mut next) = (Vec::with_capacity(size + 1), Vec::new());
        let mut mask = space.movers[i].mask;
        while mask != 0 {
            let b = mask.trailing_zeros();
            mask &= mask - 1;
            let bit = 1usize << b;
            let (fwd, back) = (conflict.fwd >> b & 1 == 1, conflict.back >> b & 1 == 1);
            next_start.clear();
            next_start.push(0);
            next.clear();
            for code in 0..size {
                let at = next.len();
                let front = |c: usize| &points[start[c] as usize..start[c + 1] as usize];
                // Whether this option may move from `code` (as in `sweep`).
                let taken = code & bit != 0;
                if (fwd && taken) || (back && !taken) {
                    next.extend_from_slice(front(code));
                } else if k == 2 {
                    merge_pairs(&mut next, front(code), front(code ^ bit));
                } else {
                    next.extend_from_slice(front(code));
                    for p in front(code ^ bit).chunks_exact(k.max(1)) {
                        add_to_front(&mut next, at, p);
                    }
                }
                if next.len() > budget {
                    return None;
                }
                next_start.push(next.len() as u32);
            }
            std::mem::swap(&mut start, &mut next_start);
            std::mem::swap(&mut points, &mut next);
        }
        Some(Fronts { start, points })
    }

    /// Whether some state of R_i(s2) ∪ {s2} is strictly better than `above` (one payoff
    /// per member, in their order) for every member.
    fn escapes(&self, space: &Space<'_>, s2: u32, above: &[u32]) -> bool {
        let code = space.conflict.codes[s2 as usize] as usize;
        self.points[self.start[code] as usize..self.start[code + 1] as usize]
            .chunks_exact(above.len().max(1))
            .any(|p| p.iter().zip(above).all(|(&v, &x)| v > x))
    }
}

/// Appends the Pareto front of two fronts of pairs to `out`. A front of pairs is kept
/// sorted, the first value descending (the second then ascends), so the merge is linear: in
/// that order, with ties by the second value descending, a pair is covered exactly when
/// some pair before it has a second value at least as high.
fn merge_pairs(out: &mut Vec<u32>, x: &[u32], y: &[u32]) {
    // Both lengths are even: fronts of pairs.
    let (mut i, mut j) = (0, 0);
    let mut top = None;
    while i + 1 < x.len() || j + 1 < y.len() {
        let from_x = j + 1 >= y.len() || (i + 1 < x.len() && (x[i], x[i + 1]) >= (y[j], y[j + 1]));
        let (a, b) = if from_x {
            i += 2;
            (x[i - 2], x[i - 1])
        } else {
            j += 2;
            (y[j - 2], y[j - 1])
        };
        if top.is_none_or(|t| b > t) {
            top = Some(b);
            out.extend_from_slice(&[a, b]);
        }
    }
}

/// Adds `point` to the Pareto front `values[at..]` (points of `point.len()` values): not
/// when a point there is at least as good for every member; otherwise the points it is at
/// least as good as leave.
fn add_to_front(values: &mut Vec<u32>, at: usize, point: &[u32]) {
    let k = point.len().max(1);
    let covers = |q: &[u32], p: &[u32]| q.iter().zip(p).all(|(a, b)| a >= b);
    if values[at..].chunks_exact(k).any(|q| covers(q, point)) {
        return;
    }
    let mut kept = at;
    for j in (at..values.len()).step_by(k) {
        if !covers(point, &values[j..j + k]) {
            values.copy_within(j..j + k, kept);
            kept += k;
        }
    }
    values.truncate(kept);
    values.extend_from_slice(point);
}

/// The other movers' improvements from one state, as code deltas grouped by mover.
#[derive(Default)]
struct SimScratch {
    deltas: Vec<u64>,
    /// Per other mover with an improvement, in order: (mover, offset into `deltas`, count).
    /// At most 64 (movers have disjoint options, and a code has 64 bits).
    groups: Vec<(usize, usize, usize)>,
}

impl SimScratch {
    fn fill(&mut self, space: &Space<'_>, others: &[usize], s: u32) {
        self.deltas.clear();
        self.groups.clear();
        let code = space.conflict.codes[s as usize];
        for &k in others {
            let start = self.deltas.len();
            let delta = |t: u32| space.conflict.codes[t as usize] ^ code;
            match space.listed(k, s) {
                Some(l) => self.deltas.extend(l.iter().map(|&t| delta(t))),
                None => {
                    for t in space.moves(k, s) {
                        if space.improves(k, s, t) {
                            self.deltas.push(delta(t));
                        }
                    }
                }
            }
            if self.deltas.len() > start {
                self.groups.push((k, start, self.deltas.len() - start));
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct SearchNode {
    pub(crate) state: u32,
    /// Position of the last mover in the search's mover list; `usize::MAX` at the start.
    pub(crate) last: usize,
    pub(crate) parent: usize,
}

/// The result of [`Space::search`]: nodes in breadth-first order, the start first.
pub(crate) struct Search {
    pub(crate) nodes: Vec<SearchNode>,
    movers: Vec<usize>,
}

impl Search {
    /// The distinct states reached by one or more moves, in breadth-first order.
    pub(crate) fn reached(&self) -> impl Iterator<Item = u32> + '_ {
        let mut seen = HashSet::new();
        self.nodes[1..]
            .iter()
            .map(|n| n.state)
            .filter(move |&s| seen.insert(s))
    }

    /// The moves leading to node `at`: (mover, from, to), first move first.
    pub(crate) fn path(&self, mut at: usize) -> Vec<(usize, u32, u32)> {
        let mut out = Vec::new();
        while at != 0 && at < self.nodes.len() {
            let n = self.nodes[at];
            out.push((self.movers[n.last], self.nodes[n.parent].state, n.state));
            at = n.parent;
        }
        out.reverse();
        out
    }
}

/// Stability of every state for every mover under every concept.
///
/// Built by [`Conflict::analyse`] (each decision maker moves alone) or
/// [`Conflict::analyse_coalitions`].
#[derive(Debug)]
#[must_use]
pub struct Analysis<'c> {
    pub(crate) conflict: &'c Conflict,
    pub(crate) movers: Vec<Mover>,
    /// Which analysis this is, for its movers' handles.
    stamp: Stamp,
    /// `[concept][mover · states + state]`.
    stable: [Vec<bool>; 6],
}

/// An [`Analysis`] as owned data ([`Analysis::summary`]): what it decided, without the
/// conflict it borrows, for JSON output.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct AnalysisSummary {
    /// Each feasible state's pattern (`"YNY"`, one letter per option in declaration order),
    /// indexed by [`StateId`].
    pub states: Vec<String>,
    /// The movers, indexed by [`MoverId`].
    pub movers: Vec<Mover>,
    /// One entry per concept, in the order of [`Concept::ALL`].
    pub concepts: Vec<ConceptSummary>,
}

/// What an analysis decided under one concept; see [`AnalysisSummary`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ConceptSummary {
    /// The concept.
    pub concept: Concept,
    /// The states stable for every mover, ascending.
    pub equilibria: Vec<StateId>,
    /// Per mover (indexed by [`MoverId`]), the states stable for it, ascending.
    pub stable: Vec<Vec<StateId>>,
}

impl Conflict {
    /// R_d(s): the states decision maker `d` reaches from `s` in one move, changing a
    /// non-empty subset of its options in their permitted directions. Not sorted: in order of
    /// the changed options' bit patterns, descending. `None` for a decision maker or state
    /// of another conflict.
    #[must_use]
    pub fn moves(&self, d: DmId, s: StateId) -> Option<impl Iterator<Item = StateId> + '_> {
        self.dmi(d)?;
        self.st(s)?;
        Some(self.moves_raw(d, s))
    }

    /// R_d⁺(s): the moves of `d` from `s` to states it prefers. `None` for a decision maker
    /// or state of another conflict.
    #[must_use]
    pub fn improvements(&self, d: DmId, s: StateId) -> Option<impl Iterator<Item = StateId> + '_> {
        self.dmi(d)?;
        self.st(s)?;
        Some(
            self.moves_raw(d, s)
                .filter(move |&t| self.payoff_raw(d, t) > self.payoff_raw(d, s)),
        )
    }

    /// [`moves`](Self::moves) without the check: empty for unknown ids.
    pub(crate) fn moves_raw(&self, d: DmId, s: StateId) -> impl Iterator<Item = StateId> + '_ {
        let mask = match self.dms.get(d.index()) {
            Some(d) if s.index() < self.codes.len() => d.mask,
            _ => 0,
        };
        let stamp = self.stamp;
        Moves::new(self, mask, s.index.min(self.codes.len() as u32 - 1))
            .map(move |t| StateId::bound(t, stamp))
    }

    /// Analyses the conflict with every decision maker moving alone.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::{Concept, ConflictBuilder};
    ///
    /// // The Prisoner's Dilemma: each prisoner may cooperate.
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("c1").option("c2");
    /// b = b.decision_maker("P1", ["c1"]).decision_maker("P2", ["c2"]);
    /// b = b.rank("P1", [["NY"], ["YY"], ["NN"], ["YN"]]);
    /// b = b.rank("P2", [["YN"], ["YY"], ["NN"], ["NY"]]);
    /// let conflict = b.build()?;
    /// let analysis = conflict.analyse();
    /// let both_cooperate = conflict.state(&"YY".into())?;
    /// let p1 = analysis.mover("P1").unwrap();
    /// // Defecting pays for P1 at once, but P2 can answer by defecting too.
    /// assert_eq!(analysis.is_stable(Concept::Nash, p1, both_cooperate), Some(false));
    /// assert_eq!(analysis.is_stable(Concept::Gmr, p1, both_cooperate), Some(true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// Per decision maker i, with o options: a few sweeps over the 2^o codes, O(2^o × i's
    /// options) each, give Nash and, from the others' minima, GMR, SMR and SEQ; the minima take
    /// two passes over the states, linear in the others' moves (a mover with three or more
    /// options counts about 2 + its irreversible options when improvement is not required);
    /// SIM enumerates the others' simultaneous improvements from states where i has one, until
    /// one sanctions. No |S|×|S| table is built. See the module docs, "How it is computed".
    pub fn analyse(&self) -> Analysis<'_> {
        Analysis::run(Space::new(self, self.singletons()), &mut |_, _| ())
    }

    /// [`analyse`](Self::analyse) (with `coalitions` `None`) or
    /// [`analyse_coalitions`](Self::analyse_coalitions), calling `progress(done, total)`
    /// before the first mover's pass and after each (`total` is the number of movers), for a
    /// progress bar over long analyses.
    ///
    /// # Errors
    ///
    /// As [`analyse_coalitions`](Self::analyse_coalitions).
    pub fn analyse_with_progress<S: AsRef<str>>(
        &self,
        coalitions: Option<&[Vec<S>]>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Analysis<'_>, ConflictError> {
        let groups = match coalitions {
            Some(coalitions) => self.partition(coalitions)?,
            None => self.singletons(),
        };
        Ok(Analysis::run(Space::new(self, groups), progress))
    }

    fn singletons(&self) -> Vec<Vec<DmId>> {
        (0..self.dms.len() as u32).map(|d| vec![DmId(d)]).collect()
    }

    /// Analyses the conflict with the decision makers grouped into coalitions, each moving as
    /// one with the union of its members' options; a coalition's improvement must be strictly
    /// better for every member, and a sanction is a state not strictly better for every
    /// member. Every decision maker must be in exactly one coalition.
    ///
    /// # Errors
    ///
    /// [`ConflictError::Partition`] names an unknown, repeated or missing decision maker.
    pub fn analyse_coalitions<I, C, S>(&self, coalitions: I) -> Result<Analysis<'_>, ConflictError>
    where
        I: IntoIterator<Item = C>,
        C: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Ok(Analysis::run(
            Space::new(self, self.partition(coalitions)?),
            &mut |_, _| (),
        ))
    }
}

impl<'c> Analysis<'c> {
    fn run(mut space: Space<'c>, progress: &mut dyn FnMut(usize, usize)) -> Analysis<'c> {
        space.fill_gains();
        space.fill_lists();
        let mut stable: [Vec<bool>; 6] = Default::default();
        let total = space.movers.len();
        progress(0, total);
        for i in 0..total {
            for (all, mine) in stable.iter_mut().zip(space.stability(i)) {
                all.extend(mine);
            }
            progress(i + 1, total);
        }
        Analysis {
            conflict: space.conflict,
            movers: space.movers,
            stamp: Stamp::fresh(),
            stable,
        }
    }

    pub(crate) fn space(&self) -> Space<'c> {
        Space {
            conflict: self.conflict,
            movers: self.movers.clone(),
            gains: Vec::new(),
            lists: Vec::new(),
        }
    }

    /// The conflict analysed.
    #[must_use]
    pub fn conflict(&self) -> &'c Conflict {
        self.conflict
    }

    /// The movers, in order ([`MoverId`] `i` is entry `i`).
    #[must_use]
    pub fn movers(&self) -> &[Mover] {
        &self.movers
    }

    /// The movers' ids, in order.
    #[must_use]
    pub fn mover_ids(&self) -> impl ExactSizeIterator<Item = MoverId> {
        let stamp = self.stamp;
        (0..self.movers.len() as u32).map(move |m| MoverId::bound(m, stamp))
    }

    /// The mover with this name (a coalition's is its members' names joined by ", ").
    #[must_use]
    pub fn mover(&self, name: &str) -> Option<MoverId> {
        self.movers
            .iter()
            .position(|m| m.name == name)
            .map(|i| MoverId::bound(i as u32, self.stamp))
    }

    /// The index of a mover of this analysis (or an unbound one in range).
    pub(crate) fn mv(&self, m: MoverId) -> Option<usize> {
        m.fits(self.stamp, self.movers.len())
    }

    /// Whether state `s` is stable for mover `m` under `concept`; `None` for a mover of
    /// another analysis or a state of another conflict.
    #[must_use]
    pub fn is_stable(&self, concept: Concept, m: MoverId, s: StateId) -> Option<bool> {
        self.mv(m)?;
        self.conflict.st(s)?;
        Some(self.is_stable_raw(concept, m, s))
    }

    /// [`is_stable`](Self::is_stable) without the check: `false` for unknown ids.
    pub(crate) fn is_stable_raw(&self, concept: Concept, m: MoverId, s: StateId) -> bool {
        let n = self.conflict.state_count();
        if s.index() >= n {
            return false;
        }
        self.stable[concept as usize]
            .get(m.index() * n + s.index())
            .copied()
            .unwrap_or(false)
    }

    /// The states stable for mover `m` under `concept`, ascending; `None` for a mover of
    /// another analysis.
    #[must_use]
    pub fn stable_states(&self, concept: Concept, m: MoverId) -> Option<Vec<StateId>> {
        self.mv(m)?;
        Some(
            self.conflict
                .states()
                .filter(|&s| self.is_stable_raw(concept, m, s))
                .collect(),
        )
    }

    /// The analysis as owned data, for JSON output: the states' patterns, the movers, and per
    /// concept the equilibria and each mover's stable states.
    pub fn summary(&self) -> AnalysisSummary {
        AnalysisSummary {
            states: self
                .conflict
                .states()
                .map(|s| self.conflict.pattern_raw(s))
                .collect(),
            movers: self.movers.clone(),
            concepts: Concept::ALL
                .into_iter()
                .map(|concept| ConceptSummary {
                    concept,
                    equilibria: self.equilibria(concept),
                    stable: self
                        .mover_ids()
                        .map(|m| self.stable_states(concept, m).unwrap_or_default())
                        .collect(),
                })
                .collect(),
        }
    }

    /// The equilibria under `concept`: states stable for every mover, ascending.
    #[must_use]
    pub fn equilibria(&self, concept: Concept) -> Vec<StateId> {
        self.conflict
            .states()
            .filter(|&s| {
                (0..self.movers.len() as u32).all(|m| self.is_stable_raw(concept, MoverId(m), s))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A coalition's fronts answer the escape test as enumerating R_i(s2) ∪ {s2} does, for
    /// every state s2 and the thresholds of every state s (infeasible codes, irreversible
    /// options, coalitions of two and three); past their budget there are none.
    #[test]
    fn fronts_answer_as_enumerating_the_moves() {
        for (options, dms, seed) in [(8, 3, 1), (9, 2, 2), (8, 4, 3), (10, 4, 4)] {
            let c = crate::generate::conflict(options, dms, 3, seed)
                .build()
                .unwrap();
            let ids: Vec<DmId> = c.dm_ids().collect();
            let cut = (dms - 1).max(2);
            let groups = std::iter::once(ids[..cut].to_vec())
                .chain(ids[cut..].iter().map(|&d| vec![d]))
                .collect();
            let space = Space::new(&c, groups);
            let members = &space.movers[0].members;
            let n = c.codes.len();
            assert!(Fronts::new(&space, 0, n).is_none());
            let fronts = Fronts::new(&space, 0, n * FRONT_BUDGET).unwrap();
            let mut outcomes = [0usize; 2];
            for s in 0..n {
                let above: Vec<u32> = members.iter().map(|&m| space.pay(m)[s]).collect();
                for s2 in 0..n as u32 {
                    let expected = std::iter::once(s2).chain(space.moves(0, s2)).any(|t| {
                        members
                            .iter()
                            .zip(&above)
                            .all(|(&m, &x)| space.pay(m)[t as usize] > x)
                    });
                    assert_eq!(fronts.escapes(&space, s2, &above), expected);
                    outcomes[usize::from(expected)] += 1;
                }
            }
            // Both answers occur.
            assert!(outcomes.iter().all(|&o| o > 0), "{outcomes:?}");
        }
    }
}

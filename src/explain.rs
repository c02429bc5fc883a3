//! Blocker explanations as data, and a default text reporter.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};

use crate::ids::{NodeId, PartyId};
use crate::model::{NodeData, NodeKind, Position, RequirementKind};
use crate::state::Negotiation;

/// How an entry of an explanation needs another: one typed step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// An explicit requirement.
    Requirement,
    /// The party's precondition on its own act.
    Precondition {
        /// The party that attached it (the act's performer).
        party: PartyId,
    },
    /// One alternative of an any-of group.
    Alternative,
}

/// A reference from one entry to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cause {
    /// How the entry needs it.
    pub step: Step,
    /// The index of the needed entry in [`Explanation::entries`].
    pub entry: usize,
}

/// Why an entry is unsatisfied; its causes are [`Explanation::causes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Nothing it requires is unsatisfied: it can be acted on now.
    Frontier,
    /// It needs every one of its causes.
    AllOf,
    /// It needs any one of its causes.
    AnyOf,
}

/// One unsatisfied node of an explanation and why it is unsatisfied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The node.
    pub node: NodeId,
    /// Why.
    pub reason: Reason,
    /// Its causes: `causes[start..start + len]` of the explanation.
    start: u32,
    len: u32,
}

/// Why a node is blocked: a graph of typed steps from the target down to the frontier, stored
/// flat. Entry 0 is the target; every node appears in one entry only, and entries that share
/// a sub-cause refer to the same entry (so an explanation stays linear in size on DAGs, and
/// finite with cycles). Empty when the target is not blocked.
///
/// For a stage, the target entry lists only its *blocked* pending acts: pending acts that
/// could be performed now are the move itself, not blockers. Deeper down, a stage needs all
/// of its pending acts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Explanation {
    entries: Vec<Entry>,
    /// Every entry's causes, one after the other, in entry order.
    causes: Vec<Cause>,
}

/// Nodes grouped by a party; `None` collects nodes no party is named for.
pub type Grouping = BTreeMap<Option<PartyId>, Vec<NodeId>>;

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
            &self.causes[e.start as usize..(e.start + e.len) as usize]
        })
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
    /// any-of groups excluded), sorted by node.
    pub fn unsatisfied(&self, negotiation: &Negotiation) -> Vec<NodeId> {
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

    /// The frontier grouped by the party that must act: a condition's obligors, an act's
    /// performer, the principals who have not accepted an article, a concession's party.
    pub fn by_actor(&self, negotiation: &Negotiation) -> Grouping {
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

    /// The frontier grouped by the party that demands it: a condition's demander, the parties
    /// whose preconditions in this explanation lead to it, the principals who accept an
    /// article the others have not.
    pub fn by_demander(&self, negotiation: &Negotiation) -> Grouping {
        let mut precondition_of: HashMap<usize, BTreeSet<PartyId>> = HashMap::new();
        for c in &self.causes {
            if let Step::Precondition { party } = c.step {
                precondition_of.entry(c.entry).or_default().insert(party);
            }
        }
        let mut groups = Grouping::new();
        for (i, e) in self.entries.iter().enumerate().skip(1) {
            if e.reason != Reason::Frontier {
                continue;
            }
            let mut demanders = precondition_of.remove(&i).unwrap_or_default();
            demanders.extend(demanders_of(negotiation, e.node));
            if demanders.is_empty() {
                groups.entry(None).or_default().push(e.node);
            }
            for p in demanders {
                groups.entry(Some(p)).or_default().push(e.node);
            }
        }
        for nodes in groups.values_mut() {
            nodes.sort_unstable();
        }
        groups
    }

    /// Renders the explanation with the [`DefaultReporter`].
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            f.write_str(&DefaultReporter.report(self, negotiation))
        })
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
    match &neg.nodes[n.index()].data {
        NodeData::Condition(c) => c.owed_by.clone(),
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

/// The parties that demand a node by its own data.
fn demanders_of(neg: &Negotiation, n: NodeId) -> Vec<PartyId> {
    match &neg.nodes[n.index()].data {
        NodeData::Condition(c) => c.demanded_by.into_iter().collect(),
        NodeData::Article(a) => neg.tracks[a.track.index()]
            .principals
            .iter()
            .copied()
            .filter(|&p| a.position(p) == Position::Accepts)
            .collect(),
        _ => Vec::new(),
    }
}

impl Negotiation {
    /// Why `target` is blocked, as data. Empty when it is not blocked (satisfied, or its move
    /// can be made now).
    ///
    /// # Complexity
    ///
    /// Linear in the part of the graph it explains: the unsatisfied nodes reachable from the
    /// target through unsatisfied requirements, and their edges. Iterative (breadth-first).
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
    ///     .condition(ConditionSpec::new("vote", "B's parliament approves").owed_by(["b"]).demanded_by("a"))
    ///     .precondition("a", "deal.signed", "vote")
    ///     .build()?;
    /// let why = neg.blockers(neg.node_id("deal.signed").unwrap());
    /// assert_eq!(why.frontier(), vec![neg.node_id("vote").unwrap()]);
    /// println!("{}", why.display(&neg));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn blockers(&self, target: NodeId) -> Explanation {
        if !self.is_blocked(target) {
            return Explanation::default();
        }
        let frontier = |node| Entry {
            node,
            reason: Reason::Frontier,
            start: 0,
            len: 0,
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
                _ if e.len == 0 => Reason::Frontier,
                NodeData::Group(_) => Reason::AnyOf,
                _ => Reason::AllOf,
            };
            i += 1;
        }
        Explanation { entries, causes }
    }

    /// The unsatisfied nodes `node` needs, with the step, sorted by node, into `out`. For a
    /// stage as the target, only its blocked acts.
    fn needed(&self, node: NodeId, is_target: bool, out: &mut Vec<(Step, NodeId)>) {
        out.clear();
        let data = &self.nodes[node.index()].data;
        for r in self.graph.requirements(node) {
            if self.is_satisfied(r.target)
                || (is_target && r.kind == RequirementKind::Act && !self.is_blocked(r.target))
            {
                continue;
            }
            let step = match r.kind {
                RequirementKind::Act => match &self.nodes[r.target.index()].data {
                    NodeData::Act(a) => Step::Act { party: a.party },
                    _ => Step::Requirement,
                },
                RequirementKind::PreviousStage => Step::PreviousStage,
                RequirementKind::Article => Step::Article,
                RequirementKind::Procedure => Step::Requirement,
                RequirementKind::Precondition => match data {
                    NodeData::Act(a) => Step::Precondition { party: a.party },
                    _ => Step::Requirement,
                },
                RequirementKind::Alternative => Step::Alternative,
            };
            out.push((step, r.target));
        }
        out.sort_unstable_by_key(|&(_, n)| n);
    }
}

/// FxHash (Firefox's, rustc's): a fast non-cryptographic hash for the explanation's index of
/// node handles, which are small integers chosen by this crate, not by an adversary.
#[derive(Clone, Copy, Default)]
struct Fx(u64);

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

type BuildFx = std::hash::BuildHasherDefault<Fx>;

/// Turns an explanation into some output. Implement it for your own formats; the data is
/// easy to walk: [`Explanation::entries`] with typed [`Cause`]s.
pub trait Reporter {
    /// What the reporter produces.
    type Output;
    /// Renders `explanation`, looking names and statuses up in `negotiation`.
    fn report(&self, explanation: &Explanation, negotiation: &Negotiation) -> Self::Output;
}

/// The default text reporter: an indented tree from the target to the frontier (a sub-cause
/// shared by several entries is written out once, numbered, and referred to by number), then
/// the frontier grouped by who must act and by who demands.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultReporter;

/// Deeper than this, lines are no longer indented further; the depth is printed instead.
const MAX_INDENT: usize = 24;

impl DefaultReporter {
    fn label(neg: &Negotiation, n: NodeId) -> String {
        let party = |p: PartyId| neg.parties[p.index()].name.clone();
        let parties = |ps: &[PartyId]| {
            if ps.is_empty() {
                "nobody".to_owned()
            } else {
                ps.iter().map(|&p| party(p)).collect::<Vec<_>>().join(", ")
            }
        };
        let key = neg.key(n);
        let status = neg.status(n);
        match &neg.nodes[n.index()].data {
            NodeData::Article(a) => format!(
                "article {key} \"{}\" ({status}; not yet accepted by {})",
                a.title,
                parties(&actors_of(neg, n))
            ),
            NodeData::Condition(c) => {
                let mut s = format!(
                    "condition {key} \"{}\" ({status}; owed by {}",
                    c.description,
                    parties(&c.owed_by)
                );
                if let Some(d) = c.demanded_by {
                    let _ = write!(s, "; demanded by {}", party(d));
                }
                s.push(')');
                s
            }
            NodeData::Concession(c) => format!(
                "concession {key} \"{}\" ({status}; by {})",
                c.description,
                party(c.by)
            ),
            NodeData::Stage(s) => format!(
                "stage {key} ({status}; {} of {})",
                s.kind,
                neg.tracks[s.track.index()].title
            ),
            NodeData::Act(a) => format!("act {key} ({status}; by {})", party(a.party)),
            NodeData::Group(_) => "any one of".to_owned(),
        }
    }

    fn step(neg: &Negotiation, step: Step) -> String {
        let name = |p: PartyId| neg.parties[p.index()].name.clone();
        match step {
            Step::Act { party } => format!("needs {}'s act: ", name(party)),
            Step::PreviousStage => "needs the previous stage: ".to_owned(),
            Step::Article => "needs the article agreed: ".to_owned(),
            Step::Requirement => "requires ".to_owned(),
            Step::Precondition { party } => format!("{}'s precondition: ", name(party)),
            Step::Alternative => "alternative: ".to_owned(),
        }
    }
}

impl Reporter for DefaultReporter {
    type Output = String;

    fn report(&self, explanation: &Explanation, neg: &Negotiation) -> String {
        let mut out = String::new();
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
        let mut number = vec![0usize; entries.len()];
        let mut next_number = 1;
        let mut written = vec![false; entries.len()];
        let _ = writeln!(out, "{} is blocked:", Self::label(neg, target));
        written[0] = true;
        // Depth-first, iterative: (entry, depth, step that led here).
        let mut stack: Vec<(usize, usize, Step)> = Vec::new();
        let push_children = |stack: &mut Vec<(usize, usize, Step)>, i: usize, depth: usize| {
            for c in explanation.causes(i).iter().rev() {
                stack.push((c.entry, depth + 1, c.step));
            }
        };
        push_children(&mut stack, 0, 0);
        while let Some((i, depth, step)) = stack.pop() {
            let indent = depth.min(MAX_INDENT);
            let _ = write!(out, "{:width$}- ", "", width = 2 * indent);
            if depth > MAX_INDENT {
                let _ = write!(out, "[depth {depth}] ");
            }
            out.push_str(&Self::step(neg, step));
            if written[i] {
                if number[i] == 0 {
                    // A cycle back to the target or an ancestor.
                    let _ = writeln!(out, "{} (see above)", neg.key(entries[i].node));
                } else {
                    let _ = writeln!(out, "{} (see [{}])", neg.key(entries[i].node), number[i]);
                }
                continue;
            }
            written[i] = true;
            if refs[i] > 1 {
                number[i] = next_number;
                next_number += 1;
                let _ = write!(out, "[{}] ", number[i]);
            }
            out.push_str(&Self::label(neg, entries[i].node));
            if entries[i].reason == Reason::Frontier {
                out.push_str(" <- can act now");
            }
            out.push('\n');
            push_children(&mut stack, i, depth);
        }
        let frontier = explanation.frontier();
        if frontier.is_empty() {
            out.push_str(
                "Frontier: none (every blocker waits on another: the requirements form a cycle)\n",
            );
            return out;
        }
        let _ = writeln!(
            out,
            "Frontier ({} node{}):",
            frontier.len(),
            if frontier.len() == 1 { "" } else { "s" }
        );
        for (title, groups) in [
            ("who must act", explanation.by_actor(neg)),
            ("who demands", explanation.by_demander(neg)),
        ] {
            let _ = writeln!(out, "  by {title}:");
            for (party, nodes) in groups {
                let name = party.map_or("(nobody named)".to_owned(), |p| {
                    neg.parties[p.index()].name.clone()
                });
                let keys: Vec<&str> = nodes.iter().map(|&n| neg.key(n)).collect();
                let _ = writeln!(out, "    {name}: {}", keys.join(", "));
            }
        }
        out
    }
}

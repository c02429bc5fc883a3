//! Pictures: DOT (Graphviz) and Mermaid text of the requirement graph, of one explanation,
//! and of a conflict's state graph; with the `svg` feature, SVG drawn by `layout-rs`.
//!
//! Each picture is first built as a small description (nodes with a label, a fill and a
//! border, optionally in a cluster; edges with a label and a colour), then written out by
//! one of the back ends. Node ids are `n<index>` in both text formats, so no key ever
//! becomes an id; keys and names appear only inside escaped labels. Everything is
//! iterative and linear in the picture, and written in node index order.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::explain::{Explanation, Step};
use crate::foreign::Owned;
use crate::ids::NodeId;
use crate::lookup::party_name;
use crate::model::{NodeData, NodeKind, RequirementKind, Status, Threshold};
use crate::state::Negotiation;
use crate::strategy::{Analysis, Concept, StateId};

/// The most states [`Analysis::to_dot`] and [`Analysis::to_mermaid`] draw. Beyond it the
/// picture keeps every equilibrium under the concept, the status quo, then the lowest-numbered
/// states up to the limit, and says in a note how many states it left out (and so how many
/// improvements it cannot show).
pub const MAX_PICTURE_STATES: usize = 256;

// ----- the description ---------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Box,
    Ellipse,
    Note,
}

#[derive(Clone, Debug)]
struct PNode {
    /// Written `n<id>`: the node's index, or the state's; [`NOTE`] is written `note`.
    id: usize,
    label: String,
    /// A Mermaid class name (and the legend's name for the fill).
    class: &'static str,
    fill: &'static str,
    border: &'static str,
    /// Border width: 1 normal, 3 highlighted.
    width: u8,
    /// A double border (the target, an equilibrium).
    double: bool,
    dashed: bool,
    shape: Shape,
    cluster: Option<usize>,
}

/// The id of a note node.
const NOTE: usize = usize::MAX;

/// An edge between two nodes, by position in [`Picture::nodes`].
#[derive(Clone, Debug)]
struct PEdge {
    from: usize,
    to: usize,
    label: String,
    color: &'static str,
    width: u8,
    dashed: bool,
}

#[derive(Clone, Debug)]
struct Picture {
    name: &'static str,
    /// A caption under the graph (DOT) or a comment (Mermaid).
    legend: String,
    /// Cluster labels; a node's `cluster` indexes this. Empty clusters are not drawn.
    clusters: Vec<String>,
    nodes: Vec<PNode>,
    edges: Vec<PEdge>,
    /// Mermaid class definitions: (name, style).
    classes: &'static [(&'static str, &'static str)],
}

// Fills by status.
const MET: &str = "#c8e6c9";
const UNMET: &str = "#fff59d";
const BLOCKED: &str = "#ef9a9a";
const CONTESTED: &str = "#ffcc80";
const WAIVED: &str = "#b3e5fc";
const EXCLUDED: &str = "#e0e0e0";
const BORDER: &str = "#424242";
const RED: &str = "#d32f2f";

const STATUS_CLASSES: &[(&str, &str)] = &[
    ("met", "fill:#c8e6c9,stroke:#424242"),
    ("unmet", "fill:#fff59d,stroke:#424242"),
    ("blocked", "fill:#ef9a9a,stroke:#424242"),
    ("contested", "fill:#ffcc80,stroke:#424242"),
    ("waived", "fill:#b3e5fc,stroke:#424242"),
    ("excluded", "fill:#e0e0e0,stroke:#424242"),
];

const STATUS_LEGEND: &str = "fill: green met or satisfied, yellow unmet (can be acted on), \
red blocked, orange contested, blue waived, grey excluded";

// Edge colours by basis.
const PRECONDITION: &str = "#1565c0";
const PROCEDURE: &str = "#6a1b9a";
const STRUCTURE: &str = "#757575";

/// Colours of the movers' improvements, in mover order (repeating).
const MOVER_COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
];

const STATE_CLASSES: &[(&str, &str)] = &[
    ("state", "fill:#ffffff,stroke:#424242"),
    ("equilibrium", "fill:#c8e6c9,stroke:#1b5e20"),
    ("note", "fill:#eeeeee,stroke:#9e9e9e"),
];

// ----- the requirement graph ---------------------------------------------------------------

/// How a node is filled: its class and colour.
fn status_fill(neg: &Negotiation, n: NodeId) -> (&'static str, &'static str) {
    match neg.status_of(n) {
        Status::Contested => ("contested", CONTESTED),
        Status::Waived => ("waived", WAIVED),
        Status::Excluded => ("excluded", EXCLUDED),
        _ if neg.satisfied(n) => ("met", MET),
        _ if neg.blocked(n) => ("blocked", BLOCKED),
        _ => ("unmet", UNMET),
    }
}

/// A node's label: its key, then its kind and status.
fn node_label(neg: &Negotiation, n: NodeId) -> String {
    let kind = match neg.nodes.get(n.index()).map(|node| &node.data) {
        Some(NodeData::Group(g)) => match g.threshold {
            Threshold::Count(1) => "any one of".to_owned(),
            Threshold::Count(k) => format!("at least {k} of"),
            Threshold::Weight(w) => format!("a weight of at least {w}"),
        },
        Some(data) => data.kind().as_str().to_owned(),
        None => "unknown".to_owned(),
    };
    let mut label = format!("{}\n{kind}, {}", neg.key_of(n), neg.status_of(n));
    if !neg.satisfied(n) && neg.blocked(n) && neg.kind(n) != Some(NodeKind::Group) {
        label.push_str(", blocked");
    }
    if neg.lapsed_at(n).is_some() {
        label.push_str(" (track lapsed)");
    }
    label
}

/// The track whose cluster holds the node: a stage's, an act's stage's, an article's.
fn track_of(neg: &Negotiation, n: NodeId) -> Option<usize> {
    match &neg.nodes.get(n.index())?.data {
        NodeData::Stage(s) => Some(s.track.index()),
        NodeData::Article(a) => Some(a.track.index()),
        NodeData::Act(a) => match &neg.nodes.get(a.stage.index())?.data {
            NodeData::Stage(s) => Some(s.track.index()),
            _ => None,
        },
        _ => None,
    }
}

fn track_clusters(neg: &Negotiation) -> Vec<String> {
    neg.tracks
        .iter()
        .map(|t| format!("track {}: {}", t.key, t.title))
        .collect()
}

fn status_node(neg: &Negotiation, n: NodeId) -> PNode {
    let (class, fill) = status_fill(neg, n);
    PNode {
        id: n.index(),
        label: node_label(neg, n),
        class,
        fill,
        border: BORDER,
        width: 1,
        double: false,
        dashed: false,
        shape: if neg.kind(n) == Some(NodeKind::Group) {
            Shape::Ellipse
        } else {
            Shape::Box
        },
        cluster: track_of(neg, n),
    }
}

/// The weight of alternative `to` of group `from`, if the group is a weighted threshold.
fn alternative_weight(neg: &Negotiation, from: NodeId, to: NodeId) -> Option<u32> {
    let weighted = neg.nodes.get(from.index()).is_some_and(
        |n| matches!(&n.data, NodeData::Group(g) if matches!(g.threshold, Threshold::Weight(_))),
    );
    if !weighted {
        return None;
    }
    // Through the alternative's few dependents, not the group's many edges.
    neg.graph
        .dependents(to)
        .find(|&(p, _)| p == from)
        .map(|(_, e)| e.weight)
}

/// An edge's label (kind and basis) and colour.
fn requirement_edge(
    neg: &Negotiation,
    from: NodeId,
    to: NodeId,
    kind: RequirementKind,
    by: Option<crate::ids::PartyId>,
) -> (String, &'static str, bool) {
    match kind {
        RequirementKind::Act => {
            let label = match neg.nodes.get(to.index()).map(|n| &n.data) {
                Some(NodeData::Act(a)) => format!("act: {}", party_name(neg, a.party)),
                _ => "act".to_owned(),
            };
            (label, STRUCTURE, false)
        }
        RequirementKind::PreviousStage => ("previous stage".to_owned(), STRUCTURE, false),
        RequirementKind::Article => ("article".to_owned(), STRUCTURE, false),
        RequirementKind::Alternative => match alternative_weight(neg, from, to) {
            Some(w) => (format!("alternative, weight {w}"), STRUCTURE, true),
            None => ("alternative".to_owned(), STRUCTURE, true),
        },
        RequirementKind::Precondition if by.is_some() => {
            let party = by.map_or("?", |p| party_name(neg, p));
            (format!("precondition: {party}"), PRECONDITION, false)
        }
        RequirementKind::Procedure | RequirementKind::Precondition => {
            match neg.citation(from, to) {
                Some(c) => (format!("procedure: {c}"), PROCEDURE, false),
                None => ("procedure".to_owned(), PROCEDURE, false),
            }
        }
    }
}

fn step_kind(step: Step) -> (RequirementKind, Option<crate::ids::PartyId>) {
    match step {
        Step::Act { .. } => (RequirementKind::Act, None),
        Step::PreviousStage => (RequirementKind::PreviousStage, None),
        Step::Article => (RequirementKind::Article, None),
        Step::Procedure => (RequirementKind::Procedure, None),
        Step::Precondition { party } => (RequirementKind::Precondition, Some(party)),
        Step::Alternative => (RequirementKind::Alternative, None),
    }
}

impl Negotiation {
    fn picture(&self) -> Picture {
        let nodes = self.node_ids().map(|n| status_node(self, n)).collect();
        let mut edges = Vec::new();
        for n in self.node_ids() {
            for r in self.sorted_requirements(n) {
                let (label, color, dashed) = requirement_edge(self, n, r.target, r.kind, r.by);
                edges.push(PEdge {
                    from: n.index(),
                    to: r.target.index(),
                    label,
                    color,
                    width: 1,
                    dashed,
                });
            }
        }
        Picture {
            name: "negotiation",
            legend: format!(
                "{STATUS_LEGEND}\nedges: blue a party's precondition, purple procedure, \
                 grey structure (dashed: an alternative of a group)"
            ),
            clusters: track_clusters(self),
            nodes,
            edges,
            classes: STATUS_CLASSES,
        }
    }

    /// The whole requirement graph in Graphviz DOT: one node per article, condition,
    /// concession, stage, act and requirement group, labelled with its key, kind and status
    /// and filled by status (green met, yellow unmet, red blocked, orange contested, blue
    /// waived, grey excluded); one cluster (`subgraph "cluster_<track>"`) per track holding
    /// its stages, acts and articles; one edge per requirement (`x -> y`: x requires y),
    /// labelled by kind and basis (`precondition: Azerbaijan`, `procedure: <citation>`,
    /// `act: Armenia`, `previous stage`, …) and coloured by basis.
    ///
    /// Node ids are `n<index>` ([`NodeId::index`]); keys appear only in escaped labels, so
    /// any key gives valid DOT. The text is the same for the same negotiation, and linear in
    /// its size. Render it with `dot -Tsvg`.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A's parliament votes").owed_by(["a"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let dot = neg.to_dot();
    /// assert!(dot.starts_with("digraph"));
    /// assert!(dot.contains("subgraph \"cluster_deal\""));
    /// assert!(dot.contains("precondition: A"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_dot(&self) -> String {
        to_dot(&self.picture(), |i| {
            format!("cluster_{}", self.tracks[i].key)
        })
    }

    /// The whole requirement graph as a Mermaid flowchart: the same nodes, clusters
    /// (`subgraph`), labels and colours as [`to_dot`](Self::to_dot). Node ids are
    /// `n<index>`, clusters `t<index>`; labels are escaped with Mermaid's entity codes
    /// (`#quot;` for `"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The \"deal\"", ["a"]).stage(StageKind::Signed))
    ///     .build()?;
    /// let mermaid = neg.to_mermaid();
    /// assert!(mermaid.starts_with("flowchart TB"));
    /// assert!(mermaid.contains("#quot;deal#quot;"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_mermaid(&self) -> String {
        to_mermaid(&self.picture())
    }
}

// ----- an explanation ----------------------------------------------------------------------

impl Explanation {
    fn picture(&self, neg: &Negotiation) -> Picture {
        if !self.belongs_to(neg) {
            return Picture {
                name: "blockers",
                legend: "this explanation belongs to another negotiation: draw it with the \
                         negotiation that made it"
                    .to_owned(),
                clusters: Vec::new(),
                nodes: Vec::new(),
                edges: Vec::new(),
                classes: STATUS_CLASSES,
            };
        }
        let frontier: BTreeSet<NodeId> = self.frontier().into_iter().collect();
        let mut cycle_edges: BTreeSet<(NodeId, NodeId)> = BTreeSet::new();
        for d in self.deadlocks() {
            cycle_edges.extend(d.edges.iter().map(|e| (e.from, e.to)));
        }
        let entries = self.entries();
        let nodes = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut node = status_node(neg, e.node);
                if i == 0 {
                    node.double = true;
                    node.width = 2;
                    node.label.insert_str(0, "target: ");
                }
                if frontier.contains(&e.node) {
                    node.width = 3;
                    node.border = "#000000";
                    let actors: Vec<&str> = crate::lookup::actors_of(neg, e.node)
                        .into_iter()
                        .filter_map(|p| neg.party(p).map(|p| p.name()))
                        .collect();
                    if !actors.is_empty() {
                        node.label.push_str("\nto act: ");
                        node.label.push_str(&actors.join(", "));
                    }
                }
                node
            })
            .collect();
        let mut edges = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for c in self.causes(i) {
                let to = entries[c.entry].node;
                let (kind, by) = step_kind(c.step);
                let (label, mut color, dashed) = requirement_edge(neg, e.node, to, kind, by);
                let mut width = 1;
                if cycle_edges.contains(&(e.node, to)) {
                    color = RED;
                    width = 3;
                }
                edges.push(PEdge {
                    from: i,
                    to: c.entry,
                    label,
                    color,
                    width,
                    dashed,
                });
            }
        }
        let legend = match self.target() {
            Some(t) => format!(
                "why {} is blocked: {} outstanding requirement(s), {} frontier node(s), {} \
                 deadlock(s)\ndouble border: the target; thick black border: the frontier \
                 (can be acted on now); thick red edges: a deadlock\n{STATUS_LEGEND}",
                neg.key_of(t),
                self.outstanding().len(),
                frontier.len(),
                self.deadlocks().len()
            ),
            None => "nothing is blocked".to_owned(),
        };
        Picture {
            name: "blockers",
            legend,
            clusters: track_clusters(neg),
            nodes,
            edges,
            classes: STATUS_CLASSES,
        }
    }

    /// The explanation as a Graphviz DOT picture: only the outstanding part below the target
    /// — its entries (the target, every unsatisfied node between it and the frontier) and
    /// their causes — with the same labels, status colours and track clusters as
    /// [`Negotiation::to_dot`]. The target has a double border, the
    /// [frontier](Self::frontier) a thick black one (`penwidth=3`), and the requirements of
    /// every [deadlock](Self::deadlocks) are thick red edges (`color="#d32f2f"`). An empty
    /// explanation gives an empty graph that says nothing is blocked.
    ///
    /// Node ids are `n<index>` of the node ([`NodeId::index`]), as in
    /// [`Negotiation::to_dot`]. `negotiation` must be the one the explanation was made from
    /// (or a copy or state of it): drawn with another, the graph is empty and says so.
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
    ///     .condition(ConditionSpec::new("unrelated", "Not in the way").owed_by(["b"]))
    ///     .precondition("a", "reform", "deal.signed")
    ///     .build()?;
    /// let why = neg.blockers(neg.node_id("deal.signed").unwrap()).unwrap();
    /// let dot = why.to_dot(&neg);
    /// assert!(dot.contains("reform"));
    /// assert!(!dot.contains("unrelated"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_dot(&self, negotiation: &Negotiation) -> String {
        to_dot(&self.picture(negotiation), |i| {
            format!("cluster_{}", negotiation.tracks[i].key)
        })
    }

    /// The explanation as a Mermaid flowchart: the same nodes, edges and highlights as
    /// [`to_dot`](Self::to_dot) (the frontier's and the target's borders by `style`, the
    /// deadlock edges by `linkStyle`).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A's parliament votes").owed_by(["a"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let why = neg.blockers(neg.node_id("deal.signed").unwrap()).unwrap();
    /// let mermaid = why.to_mermaid(&neg);
    /// assert!(mermaid.starts_with("flowchart TB"));
    /// assert!(mermaid.contains("vote"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_mermaid(&self, negotiation: &Negotiation) -> String {
        to_mermaid(&self.picture(negotiation))
    }
}

// ----- a conflict's state graph ------------------------------------------------------------

impl Analysis<'_> {
    /// The states drawn: all of them up to [`MAX_PICTURE_STATES`]; beyond, the equilibria,
    /// the status quo, then the lowest-numbered states. Ascending.
    fn drawn_states(&self, equilibria: &[StateId]) -> Vec<StateId> {
        let c = self.conflict();
        if c.state_count() <= MAX_PICTURE_STATES {
            return c.states().collect();
        }
        let mut keep: BTreeSet<StateId> = equilibria
            .iter()
            .copied()
            .take(MAX_PICTURE_STATES)
            .collect();
        if let Some(sq) = c.status_quo() {
            if keep.len() < MAX_PICTURE_STATES {
                keep.insert(sq);
            }
        }
        for s in c.states() {
            if keep.len() >= MAX_PICTURE_STATES {
                break;
            }
            keep.insert(s);
        }
        keep.into_iter().collect()
    }

    fn picture(&self, concept: Concept) -> Picture {
        let c = self.conflict();
        let equilibria = self.equilibria(concept);
        let drawn = self.drawn_states(&equilibria);
        // State index → position in the picture, for the drawn states.
        let mut position = vec![u32::MAX; c.state_count()];
        for (i, s) in drawn.iter().enumerate() {
            position[s.index()] = i as u32;
        }
        let mut nodes: Vec<PNode> = drawn
            .iter()
            .map(|&s| {
                let eq = equilibria.binary_search(&s).is_ok();
                let mut label = format!("{}\n{}", s.number(), c.pattern_raw(s));
                if c.status_quo() == Some(s) {
                    label.push_str("\nstatus quo");
                }
                PNode {
                    id: s.index(),
                    label,
                    class: if eq { "equilibrium" } else { "state" },
                    fill: if eq { MET } else { "#ffffff" },
                    border: BORDER,
                    width: if eq { 2 } else { 1 },
                    double: eq,
                    dashed: false,
                    shape: Shape::Ellipse,
                    cluster: None,
                }
            })
            .collect();
        let space = self.space();
        let mut edges = Vec::new();
        let mut targets = Vec::new();
        for (i, &s) in drawn.iter().enumerate() {
            for (k, mover) in self.movers().iter().enumerate() {
                targets.clear();
                targets.extend(
                    space
                        .improvements(k, s.index)
                        .map(|t| position[t as usize])
                        .filter(|&p| p != u32::MAX),
                );
                targets.sort_unstable();
                for &t in &targets {
                    edges.push(PEdge {
                        from: i,
                        to: t as usize,
                        label: mover.name().to_owned(),
                        color: MOVER_COLORS[k % MOVER_COLORS.len()],
                        width: 1,
                        dashed: false,
                    });
                }
            }
        }
        let omitted = c.state_count() - drawn.len();
        if omitted > 0 {
            nodes.push(PNode {
                id: NOTE,
                label: format!(
                    "{omitted} more states not drawn (at most {MAX_PICTURE_STATES}); \
                     improvements to or from them are not shown"
                ),
                class: "note",
                fill: "#eeeeee",
                border: "#9e9e9e",
                width: 1,
                double: false,
                dashed: true,
                shape: Shape::Note,
                cluster: None,
            });
        }
        let options: Vec<&str> = c.option_ids().map(|o| c.option_name_raw(o)).collect();
        let movers: Vec<&str> = self.movers().iter().map(|m| m.name()).collect();
        let legend = format!(
            "states: number, then Y/N for {}\nedges: unilateral improvements, by {}\ndouble \
             border, green: {} equilibria ({})",
            options.join(", "),
            movers.join(", "),
            concept,
            equilibria.len()
        );
        Picture {
            name: "conflict",
            legend,
            clusters: Vec::new(),
            nodes,
            edges,
            classes: STATE_CLASSES,
        }
    }

    /// The conflict's state graph in Graphviz DOT: one node per feasible state, labelled with
    /// its number and its Y/N pattern (as [`Conflict::pattern`](crate::strategy::Conflict::pattern));
    /// one edge per unilateral improvement of each mover (a decision maker, or a coalition in
    /// a coalition analysis), labelled with the mover's name and coloured by mover; the
    /// equilibria under `concept` with a double border and a green fill. The status quo, if
    /// declared, says so in its label. Node ids are `n<index>` ([`StateId::index`]: the
    /// state's number less one).
    ///
    /// At most [`MAX_PICTURE_STATES`] states are drawn: beyond, the equilibria, the status
    /// quo and the lowest-numbered states are kept, and a note node says how many were left
    /// out.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::{Concept, ConflictBuilder};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("swerve1").option("swerve2");
    /// b = b.decision_maker("Driver 1", ["swerve1"]);
    /// b = b.decision_maker("Driver 2", ["swerve2"]);
    /// b = b.prioritize("Driver 1", ["swerve1 | swerve2", "!swerve1", "swerve2"]);
    /// b = b.prioritize("Driver 2", ["swerve1 | swerve2", "!swerve2", "swerve1"]);
    /// let conflict = b.build()?;
    /// let dot = conflict.analyse().to_dot(Concept::Nash);
    /// assert_eq!(dot.matches("peripheries=2").count(), 2); // YN and NY
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_dot(&self, concept: Concept) -> String {
        to_dot(&self.picture(concept), |_| String::new())
    }

    /// The conflict's state graph as a Mermaid flowchart: as [`to_dot`](Self::to_dot), with
    /// equilibria drawn as double circles (`((("…")))`) and improvements coloured by
    /// `linkStyle`.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::{Concept, ConflictBuilder};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("swerve1").option("swerve2");
    /// b = b.decision_maker("Driver 1", ["swerve1"]);
    /// b = b.decision_maker("Driver 2", ["swerve2"]);
    /// b = b.prioritize("Driver 1", ["swerve1 | swerve2", "!swerve1", "swerve2"]);
    /// b = b.prioritize("Driver 2", ["swerve1 | swerve2", "!swerve2", "swerve1"]);
    /// let conflict = b.build()?;
    /// let mermaid = conflict.analyse().to_mermaid(Concept::Nash);
    /// assert_eq!(mermaid.matches("(((").count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn to_mermaid(&self, concept: Concept) -> String {
        to_mermaid(&self.picture(concept))
    }
}

// ----- DOT ---------------------------------------------------------------------------------

/// Writes `s` escaped for a DOT quoted string: `"` and `\` escaped, a newline as `\n` (a
/// centred line break), other control characters as spaces.
fn dot_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

fn dot_quoted(out: &mut String, s: &str) {
    out.push('"');
    dot_escape(out, s);
    out.push('"');
}

/// Writes a node's id: `n<id>`, or `note`.
fn write_id(out: &mut String, n: &PNode) {
    if n.id == NOTE {
        out.push_str("note");
    } else {
        let _ = write!(out, "n{}", n.id);
    }
}

fn dot_node(out: &mut String, indent: &str, n: &PNode) {
    out.push_str(indent);
    write_id(out, n);
    out.push_str(" [label=");
    dot_quoted(out, &n.label);
    let shape = match n.shape {
        Shape::Box => "box",
        Shape::Ellipse => "ellipse",
        Shape::Note => "note",
    };
    let style = match (n.shape, n.dashed) {
        (Shape::Box, false) => "rounded,filled",
        (Shape::Box, true) => "rounded,filled,dashed",
        (_, false) => "filled",
        (_, true) => "filled,dashed",
    };
    let _ = write!(
        out,
        ", shape={shape}, style=\"{style}\", fillcolor=\"{}\", color=\"{}\", penwidth={}",
        n.fill, n.border, n.width
    );
    if n.double {
        out.push_str(", peripheries=2");
    }
    out.push_str("];\n");
}

/// Writes a picture as DOT; `cluster_id(i)` names cluster `i` (escaped here).
fn to_dot(p: &Picture, cluster_id: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(64 + 96 * (p.nodes.len() + p.edges.len()));
    let _ = writeln!(out, "digraph {} {{", p.name);
    out.push_str("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=10, labelloc=b, label=");
    dot_quoted(&mut out, &p.legend);
    out.push_str("];\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    // Each cluster's members, in node order: one pass.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); p.clusters.len()];
    for (i, n) in p.nodes.iter().enumerate() {
        if let Some(c) = n.cluster.filter(|&c| c < members.len()) {
            members[c].push(i);
        }
    }
    for (c, list) in members.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        out.push_str("  subgraph ");
        dot_quoted(&mut out, &cluster_id(c));
        out.push_str(" {\n    label=");
        dot_quoted(&mut out, &p.clusters[c]);
        out.push_str(";\n    labelloc=t;\n    style=\"rounded\";\n    color=\"#9e9e9e\";\n");
        for &i in list {
            dot_node(&mut out, "    ", &p.nodes[i]);
        }
        out.push_str("  }\n");
    }
    for n in &p.nodes {
        if n.cluster.is_none_or(|c| c >= members.len()) {
            dot_node(&mut out, "  ", n);
        }
    }
    for e in &p.edges {
        out.push_str("  ");
        write_id(&mut out, &p.nodes[e.from]);
        out.push_str(" -> ");
        write_id(&mut out, &p.nodes[e.to]);
        out.push_str(" [label=");
        dot_quoted(&mut out, &e.label);
        let _ = write!(
            out,
            ", color=\"{}\", fontcolor=\"{}\", penwidth={}",
            e.color, e.color, e.width
        );
        if e.dashed {
            out.push_str(", style=\"dashed\"");
        }
        out.push_str("];\n");
    }
    out.push_str("}\n");
    out
}

// ----- Mermaid -----------------------------------------------------------------------------

/// Writes `s` escaped for a quoted Mermaid label: characters Mermaid or its HTML labels would
/// read (`"`, `#`, `<`, `>`, `&`, `` ` ``, `|`, `;`) as entity codes, a newline as `<br/>`,
/// other control characters as spaces.
fn mermaid_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            ';' => out.push_str("#59;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

fn mermaid_node(out: &mut String, indent: &str, n: &PNode) {
    let (open, close) = match (n.shape, n.double) {
        (Shape::Box, true) => ("[[\"", "\"]]"),
        (_, true) => ("(((\"", "\")))"),
        (Shape::Box, false) => ("(\"", "\")"),
        (Shape::Ellipse, false) => ("([\"", "\"])"),
        (Shape::Note, false) => ("[\"", "\"]"),
    };
    out.push_str(indent);
    write_id(out, n);
    out.push_str(open);
    mermaid_escape(out, &n.label);
    let _ = writeln!(out, "{close}:::{}", n.class);
}

fn to_mermaid(p: &Picture) -> String {
    let mut out = String::with_capacity(64 + 80 * (p.nodes.len() + p.edges.len()));
    out.push_str("flowchart TB\n");
    // The legend as a comment: a comment runs to the end of its line.
    out.push_str("  %% ");
    // Braces in a comment can confuse Mermaid's parser.
    for c in p.legend.chars() {
        match c {
            '{' => out.push('('),
            '}' => out.push(')'),
            '\n' => out.push_str("; "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('\n');
    for (name, style) in p.classes {
        let _ = writeln!(out, "  classDef {name} {style}");
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); p.clusters.len()];
    for (i, n) in p.nodes.iter().enumerate() {
        if let Some(c) = n.cluster.filter(|&c| c < members.len()) {
            members[c].push(i);
        }
    }
    for (c, list) in members.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let _ = write!(out, "  subgraph t{c}[\"");
        mermaid_escape(&mut out, &p.clusters[c]);
        out.push_str("\"]\n");
        for &i in list {
            mermaid_node(&mut out, "    ", &p.nodes[i]);
        }
        out.push_str("  end\n");
    }
    for n in &p.nodes {
        if n.cluster.is_none_or(|c| c >= members.len()) {
            mermaid_node(&mut out, "  ", n);
        }
    }
    for n in &p.nodes {
        if n.width > 1 || n.dashed {
            out.push_str("  style ");
            write_id(&mut out, n);
            let _ = write!(out, " stroke:{},stroke-width:{}px", n.border, n.width);
            if n.dashed {
                out.push_str(",stroke-dasharray:4 3");
            }
            out.push('\n');
        }
    }
    for e in &p.edges {
        let arrow = if e.dashed { " -.->|\"" } else { " -->|\"" };
        out.push_str("  ");
        write_id(&mut out, &p.nodes[e.from]);
        out.push_str(arrow);
        mermaid_escape(&mut out, &e.label);
        out.push_str("\"| ");
        write_id(&mut out, &p.nodes[e.to]);
        out.push('\n');
    }
    // Edge colours: one `linkStyle` per distinct (colour, width), listing its edges.
    let mut styles: Vec<(&str, u8, Vec<usize>)> = Vec::new();
    for (k, e) in p.edges.iter().enumerate() {
        match styles
            .iter_mut()
            .find(|(c, w, _)| *c == e.color && *w == e.width)
        {
            Some((_, _, list)) => list.push(k),
            None => styles.push((e.color, e.width, vec![k])),
        }
    }
    for (color, width, list) in styles {
        let ids: Vec<String> = list.iter().map(|k| k.to_string()).collect();
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{color},stroke-width:{width}px,color:{color}",
            ids.join(",")
        );
    }
    out
}

// ----- SVG ---------------------------------------------------------------------------------

/// The most nodes plus edges [`Negotiation::to_svg`], [`Explanation::to_svg`] and
/// [`Analysis::to_svg`] lay out. `layout-rs` is at least quadratic in the graph (and
/// recursive in its reachability checks), so bigger pictures are refused with
/// [`PictureError::TooLarge`]: write DOT and render it with Graphviz instead.
#[cfg(feature = "svg")]
pub const MAX_SVG_ELEMENTS: usize = 1_000;

/// Why a picture could not be drawn as SVG.
///
/// New variants may be added in minor releases.
#[cfg(feature = "svg")]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PictureError {
    /// The picture has more nodes and edges than [`MAX_SVG_ELEMENTS`].
    #[error(
        "{what} has {count} nodes and edges: SVG is drawn for at most {max}; write DOT and \
         render it with Graphviz (`dot -Tsvg`)"
    )]
    TooLarge {
        /// The picture: `the requirement graph`, `the blockers of `peace.signed``, …
        what: String,
        /// Its nodes plus edges.
        count: usize,
        /// [`MAX_SVG_ELEMENTS`].
        max: usize,
    },
    /// The layout library failed: it panicked, and the panic was caught (the process's panic
    /// hook still runs, so by default its message is printed to standard error).
    #[error("the layout of {what} failed: {message}")]
    Layout {
        /// The picture.
        what: String,
        /// The layout library's message.
        message: String,
    },
}

/// Escapes text for SVG character data and attribute values.
#[cfg(feature = "svg")]
fn xml_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// The order in which edges are handed to the layout: by a topological order of their
/// sources (Kahn's algorithm in node order; nodes left on cycles last, in node order), so
/// that `layout-rs`'s check for back edges, a search from each new edge's head, finds the
/// head without successors yet. Linear, plus a sort of the edges.
#[cfg(feature = "svg")]
fn edge_order(p: &Picture) -> Vec<usize> {
    let n = p.nodes.len();
    let mut indegree = vec![0u32; n];
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, e) in p.edges.iter().enumerate() {
        indegree[e.to] += 1;
        out_edges[e.from].push(k);
    }
    let mut rank = vec![usize::MAX; n];
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut next = 0;
    while let Some(i) = queue.pop_front() {
        rank[i] = next;
        next += 1;
        for &k in &out_edges[i] {
            let to = p.edges[k].to;
            indegree[to] -= 1;
            if indegree[to] == 0 {
                queue.push_back(to);
            }
        }
    }
    for r in rank.iter_mut().filter(|r| **r == usize::MAX) {
        *r = next;
        next += 1;
    }
    let mut order: Vec<usize> = (0..p.edges.len()).collect();
    order.sort_by_key(|&k| (rank[p.edges[k].from], k));
    order
}

/// A small SVG that only says `text`, for a picture without nodes.
#[cfg(feature = "svg")]
fn text_svg(text: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<svg width=\"400\" \
         height=\"40\" viewBox=\"0 0 400 40\" xmlns=\"http://www.w3.org/2000/svg\">\n<text \
         x=\"10\" y=\"25\" font-family=\"Helvetica, sans-serif\" font-size=\"14\">",
    );
    xml_escape(&mut out, text);
    out.push_str("</text>\n</svg>\n");
    out
}

/// The SVG with its height cut to what is drawn: layout-rs reserves room below the picture
/// for text it over-measures. The lowest point is the largest `y` of a box's bottom, a
/// text's last line, an ellipse's or a path's point (the elements the writer emits).
#[cfg(feature = "svg")]
fn fit_height(svg: String) -> String {
    const LINE: f64 = 12.0;
    const MARGIN: f64 = 10.0;
    fn attr(tag: &str, name: &str) -> Option<f64> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[start..].find('"')?;
        tag[start..start + len].trim().parse().ok()
    }
    let mut bottom: f64 = 0.0;
    for (i, _) in svg.match_indices('<') {
        let tag = &svg[i..svg[i..].find('>').map_or(svg.len(), |e| i + e)];
        if tag.starts_with("<rect") {
            bottom = bottom.max(attr(tag, "y").unwrap_or(0.0) + attr(tag, "height").unwrap_or(0.0));
        } else if tag.starts_with("<ellipse") {
            bottom = bottom.max(attr(tag, "cy").unwrap_or(0.0) + attr(tag, "ry").unwrap_or(0.0));
        } else if tag.starts_with("<text") {
            let lines = svg[i..]
                .split("</text>")
                .next()
                .map_or(1, |t| t.matches("<tspan").count());
            bottom = bottom.max(attr(tag, "y").unwrap_or(0.0) + LINE * (lines as f64 + 0.5));
        } else if tag.starts_with("<path") {
            let Some(d) = tag.find(" d=\"").map(|s| &tag[s + 4..]) else {
                continue;
            };
            let d = d.split('"').next().unwrap_or("");
            let numbers: Vec<f64> = d
                .split(|c: char| c.is_ascii_alphabetic() || c == ',' || c.is_whitespace())
                .filter_map(|n| n.parse().ok())
                .collect();
            for y in numbers.chunks(2).filter_map(|pair| pair.get(1)) {
                bottom = bottom.max(*y);
            }
        }
    }
    let Some(header_end) = svg.find("xmlns=") else {
        return svg;
    };
    let header = &svg[..header_end];
    let (Some(height), Some(view)) = (attr(header, "height"), header.find("viewBox=\"")) else {
        return svg;
    };
    let fitted = (bottom + MARGIN).ceil();
    if bottom <= 0.0 || fitted >= height {
        return svg;
    }
    let view_box = &header[view..];
    let view_box = &view_box[..view_box[9..].find('"').map_or(view_box.len(), |e| e + 10)];
    let new_view_box = match view_box.rsplit_once(' ') {
        Some((head, _)) => format!("{head} {fitted}\""),
        None => return svg,
    };
    let new_header = header
        .replacen(
            &format!("height=\"{height}\""),
            &format!("height=\"{fitted}\""),
            1,
        )
        .replacen(view_box, &new_view_box, 1);
    format!("{new_header}{}", &svg[header_end..])
}

/// Lays a picture out with `layout-rs` and writes it as SVG. Clusters are not drawn (the
/// library has none); the legend is not written (the DOT caption is).
#[cfg(feature = "svg")]
fn to_svg(p: &Picture, what: impl FnOnce() -> String) -> Result<String, PictureError> {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::render::get_shape_size;
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    const NODE_FONT: usize = 12;
    const EDGE_FONT: usize = NODE_FONT; // one size: layout-rs writes its font classes in hash order
    let count = p.nodes.len() + p.edges.len();
    if count > MAX_SVG_ELEMENTS {
        return Err(PictureError::TooLarge {
            what: what(),
            count,
            max: MAX_SVG_ELEMENTS,
        });
    }
    if p.nodes.is_empty() {
        // The layout refuses an empty graph.
        return Ok(text_svg(p.legend.lines().next().unwrap_or("")));
    }
    let order = edge_order(p);
    let draw = || {
        let dir = Orientation::TopToBottom;
        let mut vg = VisualGraph::new(dir);
        let handles: Vec<_> = p
            .nodes
            .iter()
            .map(|n| {
                // layout-rs draws an ellipse as a circle as wide as its label: a long label
                // (a group's key) gets a pill-shaped box instead.
                let round = n.shape == Shape::Ellipse
                    && n.label
                        .lines()
                        .map(|l| l.chars().count())
                        .max()
                        .unwrap_or(0)
                        <= 12;
                let (shape, square) = match (round, n.double) {
                    (true, true) => (ShapeKind::new_double_circle(&n.label), true),
                    (true, false) => (ShapeKind::new_circle(&n.label), true),
                    _ => (ShapeKind::new_box(&n.label), false),
                };
                let width = if n.double {
                    usize::from(n.width) + 2
                } else {
                    usize::from(n.width)
                };
                let look = StyleAttr::new(
                    Color::fast(n.border),
                    width,
                    Some(Color::fast(n.fill)),
                    match (n.shape, round) {
                        (Shape::Box, _) => 8,
                        (Shape::Ellipse, false) => 17,
                        (Shape::Ellipse, true) | (Shape::Note, _) => 0,
                    },
                    NODE_FONT,
                );
                // As layout-rs's own DOT builder does: shapes are sized across the flow.
                let size = get_shape_size(dir.flip(), &shape, NODE_FONT, square);
                vg.add_node(Element::create(shape, look, dir.flip(), size))
            })
            .collect();
        for &k in &order {
            let e = &p.edges[k];
            let look = StyleAttr::new(
                Color::fast(e.color),
                usize::from(e.width),
                None,
                0,
                EDGE_FONT,
            );
            let style = if e.dashed {
                LineStyleKind::Dashed
            } else {
                LineStyleKind::Normal
            };
            let arrow = Arrow::new(
                LineEndKind::None,
                LineEndKind::Arrow,
                style,
                &e.label,
                &look,
                &None,
                &None,
            );
            vg.add_edge(arrow, handles[e.from], handles[e.to]);
        }
        // The check after every edge that the graph is acyclic is quadratic; our edges are
        // made acyclic by the layout itself.
        vg.dag.set_validate(false);
        let mut svg = SVGWriter::new();
        vg.do_it(false, false, false, &mut svg);
        fit_height(svg.finalize())
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(draw)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        PictureError::Layout {
            what: what(),
            message,
        }
    })
}

#[cfg(feature = "svg")]
impl Negotiation {
    /// The whole requirement graph ([`to_dot`](Self::to_dot)) as an SVG document, laid out in
    /// pure Rust by `layout-rs` (feature `svg`): the same labels, fills, borders and edge
    /// colours, without the track clusters and the caption, which `layout-rs` cannot draw.
    ///
    /// # Errors
    ///
    /// [`PictureError::TooLarge`] beyond [`MAX_SVG_ELEMENTS`] nodes and edges;
    /// [`PictureError::Layout`] if the layout library fails.
    pub fn to_svg(&self) -> Result<String, PictureError> {
        to_svg(&self.picture(), || "the requirement graph".to_owned())
    }
}

#[cfg(feature = "svg")]
impl Explanation {
    /// The explanation ([`to_dot`](Self::to_dot)) as an SVG document, laid out in pure Rust by
    /// `layout-rs` (feature `svg`): the target (labelled `target:`, thickest border), the
    /// frontier (thick black borders), the deadlocks (thick red edges) and the status fills;
    /// without the track clusters and the caption. An empty explanation gives a one-line SVG
    /// that says nothing is blocked.
    ///
    /// # Errors
    ///
    /// [`PictureError::TooLarge`] beyond [`MAX_SVG_ELEMENTS`] nodes and edges;
    /// [`PictureError::Layout`] if the layout library fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "A's parliament votes").owed_by(["a"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let svg = neg.blockers(neg.node_id("deal.signed").unwrap()).unwrap().to_svg(&neg)?;
    /// assert!(svg.contains("<svg") && svg.contains("vote"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_svg(&self, negotiation: &Negotiation) -> Result<String, PictureError> {
        to_svg(&self.picture(negotiation), || match self.target() {
            Some(t) if self.belongs_to(negotiation) => {
                format!("the blockers of `{}`", negotiation.key_of(t))
            }
            Some(_) => "an explanation of another negotiation".to_owned(),
            None => "an empty explanation".to_owned(),
        })
    }
}

#[cfg(feature = "svg")]
impl Analysis<'_> {
    /// The conflict's state graph ([`to_dot`](Self::to_dot)) as an SVG document, laid out in
    /// pure Rust by `layout-rs` (feature `svg`); equilibria are double circles.
    ///
    /// # Errors
    ///
    /// [`PictureError::TooLarge`] beyond [`MAX_SVG_ELEMENTS`] nodes and edges (the states are
    /// first cut to [`MAX_PICTURE_STATES`]); [`PictureError::Layout`] if the layout library
    /// fails.
    pub fn to_svg(&self, concept: Concept) -> Result<String, PictureError> {
        to_svg(&self.picture(concept), || {
            format!("the state graph under {concept}")
        })
    }
}

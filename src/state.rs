//! The negotiation: structure, statuses, and the incremental engine that keeps per-node
//! counters of unsatisfied requirements up to date, with an undo journal.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::build::NegotiationBuilder;
use crate::graph::ReqGraph;
use crate::ids::{NodeId, Owner, PartyId, Target, TargetError, TopicId, TrackId};
use crate::key_index::KeyIndex;
use crate::model::LongStop;
use crate::model::{
    ConcessionStatus, ConditionStatus, Node, NodeData, NodeKind, NodeRef, Party, Position,
    Requirement, RequirementEdge, Role, StageKind, Status, Topic, Track,
};
use crate::moves::log::{MoveLog, Names};
use crate::moves::{Move, MoveError};
use crate::schedule::{Schedule, Timing};
use crate::time::Date;
use crate::util::nearest;

/// How many nodes [`Negotiation::read_ahead`] reads ahead at once.
pub(crate) const READ_AHEAD: usize = 32;

/// A negotiation: its parties, tracks, requirement graph and the current state of every node.
///
/// Build one with [`Negotiation::builder`], change it with [`apply`](Negotiation::apply), and
/// ask it what blocks a node with [`blockers`](Negotiation::blockers).
///
/// Two negotiations are equal when they were built from the same declaration, went through
/// the same moves, and hold the same parties, tracks, topics, nodes, requirements and
/// statuses (handles included).
#[derive(Debug, Default)]
pub struct Negotiation {
    pub(crate) parties: Vec<Party>,
    pub(crate) party_index: HashMap<String, PartyId>,
    pub(crate) tracks: Vec<Track>,
    pub(crate) track_index: HashMap<String, TrackId>,
    pub(crate) topics: Vec<Topic>,
    pub(crate) topic_index: HashMap<String, TopicId>,
    pub(crate) nodes: Vec<Node>,
    /// Node keys → node indices (the keys themselves are the nodes').
    pub(crate) node_index: KeyIndex,
    pub(crate) graph: ReqGraph,
    /// Due dates and durations, by node.
    pub(crate) schedule: Schedule,
    /// The citations of procedural requirements (`(from, to)` → "Art. 218(6) TFEU").
    pub(crate) citations: BTreeMap<(NodeId, NodeId), String>,
    /// Per node: how many of its requirements are unsatisfied; for a requirement group, the
    /// count or weight of its unsatisfied alternatives.
    pub(crate) unsat: Vec<u32>,
    /// Per stage: how many of its pending acts are blocked (0 for other nodes).
    pub(crate) blocked_acts: Vec<u32>,
    /// Per node: cached satisfaction.
    pub(crate) sat: Vec<bool>,
    /// Per node: cached blocked flag.
    pub(crate) blk: Vec<bool>,
    /// Per node: the date of the move that satisfied it, if the node is satisfied and that
    /// move was dated.
    pub(crate) since: Vec<Option<Date>>,
    /// The date of the recorded move whose period starts last; a dated move certainly
    /// before it is refused.
    pub(crate) latest_date: Option<Date>,
    /// Undo entries of the move being applied; empty between moves.
    pub(crate) journal: Vec<Undo>,
    /// The declaration the negotiation was built from.
    pub(crate) initial: Arc<NegotiationBuilder>,
    /// Every move applied since, in order, compactly ([`MoveLog`]).
    pub(crate) history: MoveLog,
    /// How many [`Negotiation::hypothetically`] calls are under way: their moves keep their
    /// journal entries until they are undone.
    pub(crate) hypothetical: usize,
}

/// A copy is a negotiation of its own: the undo journal and the count of hypotheses under way
/// belong to the original (a copy made inside [`Negotiation::hypothetically`] is not itself a
/// hypothesis, and its moves keep no journal).
impl Clone for Negotiation {
    fn clone(&self) -> Self {
        Negotiation {
            parties: self.parties.clone(),
            party_index: self.party_index.clone(),
            tracks: self.tracks.clone(),
            track_index: self.track_index.clone(),
            topics: self.topics.clone(),
            topic_index: self.topic_index.clone(),
            nodes: self.nodes.clone(),
            node_index: self.node_index.clone(),
            graph: self.graph.clone(),
            citations: self.citations.clone(),
            schedule: self.schedule.clone(),
            unsat: self.unsat.clone(),
            blocked_acts: self.blocked_acts.clone(),
            sat: self.sat.clone(),
            blk: self.blk.clone(),
            since: self.since.clone(),
            latest_date: self.latest_date,
            journal: Vec::new(),
            initial: self.initial.clone(),
            history: self.history.clone(),
            hypothetical: 0,
        }
    }
}

impl PartialEq for Negotiation {
    fn eq(&self, other: &Self) -> bool {
        self.parties == other.parties
            && self.tracks == other.tracks
            && self.topics == other.topics
            && self.nodes == other.nodes
            && self.unsat == other.unsat
            && self.blocked_acts == other.blocked_acts
            && self.sat == other.sat
            && self.blk == other.blk
            && self.graph.sorted_edges() == other.graph.sorted_edges()
            && self.citations == other.citations
            && self.schedule == other.schedule
            && self.since == other.since
            && self.latest_date == other.latest_date
            // The tables being equal, logs stored alike hold equal moves.
            && self.history.same_moves(&self.tables(), &other.history, &other.tables())
            && self.initial == other.initial
    }
}

impl Eq for Negotiation {}

/// One undo entry. `Touch` records a node's state before the move first changed it, for the
/// transition report; undoing it does nothing.
#[derive(Clone, Debug)]
pub(crate) enum Undo {
    Touch {
        node: NodeId,
        status: Status,
        blocked: bool,
    },
    Data {
        node: NodeId,
        old: NodeData,
    },
    Unsat {
        node: NodeId,
        old: u32,
    },
    BlockedActs {
        node: NodeId,
        old: u32,
    },
    Sat {
        node: NodeId,
        old: bool,
    },
    Blk {
        node: NodeId,
        old: bool,
    },
    EdgeAdded {
        from: NodeId,
        to: NodeId,
    },
    EdgeRemoved {
        from: NodeId,
        to: NodeId,
        edge: RequirementEdge,
    },
    Citation {
        from: NodeId,
        to: NodeId,
        old: Option<String>,
    },
    NodeAdded {
        node: NodeId,
    },
    Since {
        node: NodeId,
        old: Option<Date>,
    },
    LatestDate {
        old: Option<Date>,
    },
    /// A node's timing before a reschedule (`None`: it had none).
    Schedule {
        node: NodeId,
        old: Option<Timing>,
    },
    LongStop {
        track: TrackId,
        old: Option<LongStop>,
    },
    TrackAdded,
    /// A move was recorded in the history (kept only inside a hypothesis).
    History,
}

impl Negotiation {
    // ----- lookups -------------------------------------------------------------------------

    /// The party with this handle. `None` for a handle of another negotiation.
    #[must_use]
    pub fn party(&self, id: PartyId) -> Option<&Party> {
        self.has_party(id).then(|| &self.parties[id.index()])
    }
    /// The party with this id.
    #[must_use]
    pub fn party_id(&self, key: &str) -> Option<PartyId> {
        self.party_index.get(key).copied()
    }
    /// The track with this handle. `None` for a handle of another negotiation.
    #[must_use]
    pub fn track(&self, id: TrackId) -> Option<&Track> {
        self.has_track(id).then(|| &self.tracks[id.index()])
    }
    /// The track with this id.
    #[must_use]
    pub fn track_id(&self, key: &str) -> Option<TrackId> {
        self.track_index.get(key).copied()
    }
    /// `party`'s role on `track`: principal if it is one of the track's principals, else the
    /// role the track declares for it, else its default role. `None` for a foreign handle.
    #[must_use]
    pub fn role_on(&self, party: PartyId, track: TrackId) -> Option<Role> {
        let default = self.party(party)?.role;
        let t = self.track(track)?;
        if t.principals.contains(&party) {
            return Some(Role::Principal);
        }
        Some(
            t.roles
                .binary_search_by_key(&party, |&(p, _)| p)
                .map_or(default, |i| t.roles[i].1),
        )
    }
    /// The citation of the procedural requirement `from → to` ("Art. 218(6) TFEU"), if one
    /// was given. `None` for handles of another negotiation.
    pub fn citation(&self, from: NodeId, to: NodeId) -> Option<&str> {
        if !self.has_node(from) || !self.has_node(to) {
            return None;
        }
        self.citations.get(&(from, to)).map(String::as_str)
    }
    /// The topic with this handle. `None` for a handle of another negotiation.
    #[must_use]
    pub fn topic(&self, id: TopicId) -> Option<&Topic> {
        self.has_topic(id).then(|| &self.topics[id.index()])
    }
    /// The topic with this id.
    #[must_use]
    pub fn topic_id(&self, key: &str) -> Option<TopicId> {
        self.topic_index.get(key).copied()
    }
    /// The topics no active article addresses (the prisoners of war in the seed), in
    /// declaration order.
    #[must_use]
    pub fn unaddressed_topics(&self) -> Vec<TopicId> {
        let mut addressed = vec![false; self.topics.len()];
        for node in &self.nodes {
            if let NodeData::Article(a) = &node.data {
                if !a.excluded {
                    for t in &a.topics {
                        addressed[t.index()] = true;
                    }
                }
            }
        }
        (0..self.topics.len())
            .filter(|&i| !addressed[i])
            .map(|i| self.topic_handle(i))
            .collect()
    }
    /// How many nodes the requirement graph has.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// All node handles, in creation order.
    #[must_use]
    pub fn node_ids(&self) -> impl ExactSizeIterator<Item = NodeId> {
        let owner = self.owner();
        (0..self.nodes.len()).map(move |i| NodeId::new(i, owner))
    }
    /// The node with this id: an article, condition or concession id, a stage
    /// (`"peace.signed"`) or an act (`"peace.signed.azerbaijan"`).
    #[must_use]
    pub fn node_id(&self, key: &str) -> Option<NodeId> {
        self.node_index
            .get(key, |i| self.nodes[i].key.as_ref())
            .map(|i| self.node_handle(i))
    }
    /// The node id nearest to `key`, for "did you mean" in messages: the id with the fewest
    /// single-character edits from it (at most a third of its length, and at least one, but
    /// fewer than its length),
    /// the first in creation order on a tie. `None` when `key` is an id or nothing is near.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("peace", "Peace", ["a"]).stage(StageKind::Signed))
    ///     .build()?;
    /// assert_eq!(neg.nearest_node_id("peace.sigend"), Some("peace.signed"));
    /// assert_eq!(neg.nearest_node_id("trade.ratified"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    ///
    /// Linear in the number of nodes, times the square of the key's length for the ids whose
    /// length is within the allowed distance.
    #[must_use]
    pub fn nearest_node_id(&self, key: &str) -> Option<&str> {
        if self.node_id(key).is_some() {
            return None;
        }
        nearest(key, self.nodes.iter().map(|n| n.key.as_ref()))
    }

    /// The id nearest to `key` among the ids of its kind (`"party"`, `"track"`, `"topic"`,
    /// else nodes), for "did you mean" in messages; see [`nearest_node_id`](Self::nearest_node_id).
    pub(crate) fn nearest_id(&self, expected: &str, key: &str) -> Option<String> {
        let near = match expected {
            "party" => nearest(key, self.parties.iter().map(|p| p.key.as_str())),
            "track" => nearest(key, self.tracks.iter().map(|t| t.key.as_str())),
            "topic" => nearest(key, self.topics.iter().map(|t| t.key.as_str())),
            _ => self.nearest_node_id(key),
        };
        near.filter(|&n| n != key).map(str::to_owned)
    }

    /// The node's id (its key: `"peace.signed"`). `None` for a handle of another
    /// negotiation ([`resolve_target`](Self::resolve_target) says which way it is foreign).
    #[must_use]
    pub fn key(&self, n: NodeId) -> Option<&str> {
        self.has_node(n).then(|| self.nodes[n.index()].key.as_ref())
    }
    /// The node's key, for handles this negotiation issued (`"?"` for any other): for
    /// renderers of results already checked to belong to it.
    pub(crate) fn key_of(&self, n: NodeId) -> &str {
        self.nodes
            .get(n.index())
            .map_or("?", |node| node.key.as_ref())
    }
    /// The node's kind and data. `None` for a handle of another negotiation.
    #[must_use]
    pub fn get(&self, n: NodeId) -> Option<NodeRef<'_>> {
        self.has_node(n)
            .then(|| self.nodes[n.index()].data.as_ref())
    }
    /// The node's kind. `None` for a handle of another negotiation.
    #[must_use]
    pub fn kind(&self, n: NodeId) -> Option<NodeKind> {
        self.has_node(n).then(|| self.nodes[n.index()].data.kind())
    }
    /// The stage `kind` of `track`, if the track has it (`None` for a track handle of another
    /// negotiation).
    #[must_use]
    pub fn stage(&self, track: TrackId, kind: &StageKind) -> Option<NodeId> {
        let t = self.track(track)?;
        t.stages
            .iter()
            .copied()
            .find(|&s| match &self.nodes[s.index()].data {
                NodeData::Stage(st) => &st.kind == kind,
                _ => false,
            })
    }

    /// The node's status.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node.
    ///
    /// # Complexity
    ///
    /// O(1), except for articles: O(number of the track's principals).
    pub fn status<'a>(&self, target: impl Into<Target<'a>>) -> Result<Status, TargetError> {
        Ok(self.status_of(self.resolve_target(target)?))
    }

    /// The status of a node of this negotiation (`Unsatisfied` for any other handle).
    pub(crate) fn status_of(&self, n: NodeId) -> Status {
        let Some(node) = self.nodes.get(n.index()) else {
            return Status::Unsatisfied;
        };
        match &node.data {
            NodeData::Article(a) if a.excluded => Status::Excluded,
            NodeData::Article(_) if self.sat[n.index()] => Status::Agreed,
            NodeData::Article(_) => Status::Open,
            NodeData::Condition(c) => c.status.into(),
            NodeData::Concession(c) => c.status.into(),
            NodeData::Act(a) if a.performed => Status::Performed,
            NodeData::Act(_) => Status::Pending,
            NodeData::Stage(_) if self.sat[n.index()] => Status::Reached,
            NodeData::Stage(_) => Status::NotReached,
            NodeData::Group(_) if self.sat[n.index()] => Status::Satisfied,
            NodeData::Group(_) => Status::Unsatisfied,
        }
    }

    /// Whether the node is satisfied: an article agreed (or excluded), a condition met or
    /// waived, a concession made, an act performed, a stage reached, a requirement group whose
    /// threshold is reached (any-of: one alternative). O(1).
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node.
    pub fn is_satisfied<'a>(&self, target: impl Into<Target<'a>>) -> Result<bool, TargetError> {
        Ok(self.satisfied(self.resolve_target(target)?))
    }

    /// Whether a walk of the requirement graph should read ahead ([`read_ahead`](Self::read_ahead)):
    /// from 2^18 nodes. Below, the model mostly stays in cache and reading ahead only reads
    /// twice.
    pub(crate) fn reads_ahead(&self) -> bool {
        self.nodes.len() >= 1 << 18
    }

    /// Reads what a walk visiting `nodes` next reads first (each node's record, its first
    /// requirement, that requirement's record and satisfaction), so that their cache misses
    /// overlap rather than come one after another. Changes nothing; takes at most
    /// [`READ_AHEAD`] nodes.
    pub(crate) fn read_ahead(&self, nodes: impl Iterator<Item = NodeId>) {
        let tag = |n: NodeId| {
            self.nodes.get(n.index()).map_or(0, |node| {
                usize::from(matches!(node.data, crate::model::NodeData::Group(_)))
            })
        };
        let mut first = [None; READ_AHEAD];
        let mut sum = 0usize;
        for (slot, n) in first.iter_mut().zip(nodes) {
            sum = sum.wrapping_add(tag(n));
            *slot = self.graph.requirements(n).next().map(|r| r.target);
        }
        for &t in first.iter().flatten() {
            sum = sum.wrapping_add(tag(t)) ^ usize::from(self.satisfied(t));
        }
        // Keeps the reads, whose values are not needed.
        std::hint::black_box(sum);
    }

    /// Whether a node of this negotiation is satisfied (false for any other handle).
    pub(crate) fn satisfied(&self, n: NodeId) -> bool {
        self.sat.get(n.index()).copied().unwrap_or(false)
    }

    /// Whether the node is blocked: unsatisfied, and the move that would satisfy it cannot be
    /// made now because a requirement is unsatisfied. For a stage: some pending act of it is
    /// blocked. A requirement group is blocked while unsatisfied. An act or stage of a track
    /// that has lapsed is blocked too ([`Reason::Lapsed`](crate::Reason::Lapsed)). O(1): read
    /// from counters kept up to date by every move; no graph walk.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node (an unknown key, a handle of
    /// another negotiation).
    pub fn is_blocked<'a>(&self, target: impl Into<Target<'a>>) -> Result<bool, TargetError> {
        Ok(self.blocked(self.resolve_target(target)?))
    }

    /// Whether a node of this negotiation is blocked (false for any other handle).
    pub(crate) fn blocked(&self, n: NodeId) -> bool {
        self.blk.get(n.index()).copied().unwrap_or(false) || self.lapsed_at(n).is_some()
    }

    /// How many requirements of the node are unsatisfied; for a requirement group, the count
    /// (or, for a weighted threshold, the weight) of its unsatisfied alternatives. O(1).
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node.
    pub fn unsatisfied_count<'a>(&self, target: impl Into<Target<'a>>) -> Result<u32, TargetError> {
        Ok(self.unsat[self.resolve_target(target)?.index()])
    }

    /// The date of the move that satisfied the node, if it is satisfied and that move was
    /// dated. `None` for a node satisfied as declared or by an undated move, and for a handle
    /// of another negotiation. O(1).
    #[must_use]
    pub fn satisfied_since(&self, n: NodeId) -> Option<Date> {
        if !self.has_node(n) {
            return None;
        }
        self.since[n.index()]
    }

    /// What the node requires, sorted by target.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node.
    pub fn requirements<'a>(
        &self,
        target: impl Into<Target<'a>>,
    ) -> Result<Vec<Requirement>, TargetError> {
        Ok(self.sorted_requirements(self.resolve_target(target)?))
    }

    /// The nodes that require this one, with how, sorted.
    ///
    /// # Errors
    ///
    /// A [`TargetError`] if the negotiation has no such node.
    pub fn dependents<'a>(
        &self,
        target: impl Into<Target<'a>>,
    ) -> Result<Vec<(NodeId, RequirementEdge)>, TargetError> {
        let n = self.resolve_target(target)?;
        let mut d: Vec<_> = self.graph.dependents(n).collect();
        d.sort_unstable();
        Ok(d)
    }

    /// A read-only view of the requirement graph as a petgraph graph, for interop with
    /// petgraph's algorithms. Node index `i` is the node with [`NodeId::index`] `i`; an edge
    /// `x → y` means x requires y.
    ///
    /// petgraph is a 0.x crate: this function's signature follows its major version, so it is
    /// the one place of this crate's API that a petgraph upgrade may change, and it is
    /// compiled only with the feature `petgraph`.
    #[cfg(feature = "petgraph")]
    #[must_use]
    pub fn as_petgraph(&self) -> &petgraph::stable_graph::StableDiGraph<(), RequirementEdge, u32> {
        self.graph.petgraph()
    }

    // ----- handles -------------------------------------------------------------------------

    /// The node a [`Target`] names: a key this negotiation has, or a handle it issued (or a
    /// copy of it, or one of its earlier states, did).
    ///
    /// # Errors
    ///
    /// [`TargetError::UnknownKey`] (with the nearest key, if one is near),
    /// [`TargetError::ForeignHandle`], [`TargetError::OutOfRange`].
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Negotiation, Role, StageKind, TargetError, TrackSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .build()?;
    /// let signed = neg.resolve_target("deal.signed")?;
    /// assert_eq!(neg.resolve_target(signed)?, signed);
    /// assert!(matches!(neg.resolve_target("deal.sigend"),
    ///     Err(TargetError::UnknownKey { did_you_mean: Some(near), .. }) if near == "deal.signed"));
    /// // A handle of another negotiation is refused, even where the index exists.
    /// let other = neg.clone().state_at(0)?; // a state of the same negotiation: accepted
    /// assert_eq!(other.resolve_target(signed)?, signed);
    /// let copy = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a"]).stage(StageKind::Signed))
    ///     .build()?;
    /// assert!(matches!(copy.resolve_target(signed), Err(TargetError::ForeignHandle { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_target<'a>(&self, target: impl Into<Target<'a>>) -> Result<NodeId, TargetError> {
        match target.into() {
            Target::Key(key) => self.node_id(key).ok_or_else(|| TargetError::UnknownKey {
                key: key.to_owned(),
                did_you_mean: self.nearest_node_id(key).map(str::to_owned),
            }),
            Target::Node(n) if !self.owner().accepts(n.owner()) => {
                Err(TargetError::ForeignHandle { index: n.index() })
            }
            Target::Node(n) if n.index() >= self.nodes.len() => Err(TargetError::OutOfRange {
                index: n.index(),
                count: self.nodes.len(),
            }),
            Target::Node(n) => Ok(n),
        }
    }

    /// The stamp of this negotiation, which its handles carry.
    pub(crate) fn owner(&self) -> Owner {
        self.graph.owner()
    }
    /// The tables the history's records point into, for reading the history.
    pub(crate) fn tables(&self) -> Tables<'_> {
        Tables {
            parties: &self.parties,
            party_index: &self.party_index,
            tracks: &self.tracks,
            track_index: &self.track_index,
            nodes: &self.nodes,
            node_index: &self.node_index,
        }
    }

    /// Records `mv`, just applied, in the history. (The tables are borrowed field by field,
    /// apart from the history.)
    pub(crate) fn record(&mut self, mv: &Move) {
        let tables = Tables {
            parties: &self.parties,
            party_index: &self.party_index,
            tracks: &self.tracks,
            track_index: &self.track_index,
            nodes: &self.nodes,
            node_index: &self.node_index,
        };
        self.history.record(&tables, mv);
    }

    /// The node handle of index `i`.
    pub(crate) fn node_handle(&self, i: usize) -> NodeId {
        NodeId::new(i, self.owner())
    }
    /// The party handle of index `i`.
    pub(crate) fn party_handle(&self, i: usize) -> PartyId {
        PartyId::new(i, self.owner())
    }
    /// The track handle of index `i`.
    pub(crate) fn track_handle(&self, i: usize) -> TrackId {
        TrackId::new(i, self.owner())
    }
    /// The topic handle of index `i`.
    pub(crate) fn topic_handle(&self, i: usize) -> TopicId {
        TopicId::new(i, self.owner())
    }
    /// Whether `n` is a node of this negotiation: issued by it (or a copy, or read from JSON)
    /// and in range.
    pub(crate) fn has_node(&self, n: NodeId) -> bool {
        self.owner().accepts(n.owner()) && n.index() < self.nodes.len()
    }
    /// The first of `nodes` this negotiation does not have, as the error naming it.
    pub(crate) fn check_nodes(
        &self,
        nodes: impl IntoIterator<Item = NodeId>,
    ) -> Result<(), TargetError> {
        nodes
            .into_iter()
            .try_for_each(|n| self.resolve_target(n).map(drop))
    }
    /// Whether `p` is a party of this negotiation.
    pub(crate) fn has_party(&self, p: PartyId) -> bool {
        self.owner().accepts(p.owner()) && p.index() < self.parties.len()
    }
    /// Whether `t` is a track of this negotiation.
    pub(crate) fn has_track(&self, t: TrackId) -> bool {
        self.owner().accepts(t.owner()) && t.index() < self.tracks.len()
    }
    /// Whether `t` is a topic of this negotiation.
    pub(crate) fn has_topic(&self, t: TopicId) -> bool {
        self.owner().accepts(t.owner()) && t.index() < self.topics.len()
    }

    // ----- engine --------------------------------------------------------------------------

    /// The unsatisfied nodes `n` requires, sorted.
    pub(crate) fn unsatisfied_targets(&self, n: NodeId) -> Vec<NodeId> {
        let mut t: Vec<NodeId> = self.unsatisfied_requirements(n).collect();
        t.sort_unstable();
        t
    }

    /// The unsatisfied nodes `n` requires, in the graph's order (unsorted, not collected).
    pub(crate) fn unsatisfied_requirements(&self, n: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.graph
            .requirements(n)
            .map(|r| r.target)
            .filter(|&t| !self.satisfied(t))
    }

    pub(crate) fn sorted_requirements(&self, n: NodeId) -> Vec<Requirement> {
        let mut r = Vec::new();
        self.sorted_requirements_into(n, &mut r);
        r
    }

    /// [`sorted_requirements`](Self::sorted_requirements) into `out` (cleared first), for a
    /// caller that reuses one buffer across nodes.
    pub(crate) fn sorted_requirements_into(&self, n: NodeId, out: &mut Vec<Requirement>) {
        out.clear();
        out.extend(self.graph.requirements(n));
        out.sort_unstable();
    }

    /// The acts of `track`'s first stage: they require the track's active articles.
    pub(crate) fn first_stage_acts(&self, track: TrackId) -> Vec<NodeId> {
        let Some(&first) = self.tracks[track.index()].stages.first() else {
            return Vec::new();
        };
        match &self.nodes[first.index()].data {
            NodeData::Stage(s) => s.acts.iter().map(|&(_, a)| a).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether a satisfied `n` must have all its requirements satisfied ([invariant I1](crate#guarantees)).
    /// Waived conditions and excluded articles no longer need theirs; a requirement group
    /// needs only its threshold.
    pub(crate) fn needs_requirements(&self, n: NodeId) -> bool {
        match &self.nodes[n.index()].data {
            NodeData::Condition(c) => c.status != ConditionStatus::Waived,
            NodeData::Article(a) => !a.excluded,
            NodeData::Group(_) => false,
            _ => true,
        }
    }

    pub(crate) fn compute_sat(&self, n: NodeId) -> bool {
        let i = n.index();
        match &self.nodes[i].data {
            NodeData::Article(a) => {
                a.excluded
                    || self.tracks[a.track.index()]
                        .principals
                        .iter()
                        .all(|&p| a.position(p) == Position::Accepts)
            }
            NodeData::Condition(c) => {
                matches!(c.status, ConditionStatus::Met | ConditionStatus::Waived)
            }
            NodeData::Concession(c) => c.status == ConcessionStatus::Made,
            NodeData::Act(a) => a.performed,
            NodeData::Stage(_) => self.unsat[i] == 0,
            NodeData::Group(g) => g.holds(self.unsat[i]),
        }
    }

    fn compute_blk(&self, n: NodeId) -> bool {
        let i = n.index();
        if self.sat[i] {
            return false;
        }
        match &self.nodes[i].data {
            NodeData::Stage(_) => self.blocked_acts[i] > 0,
            NodeData::Group(_) => true,
            _ => self.unsat[i] > 0,
        }
    }

    /// Computes counters and flags from scratch. Satisfaction is a least fixpoint: every
    /// requirement starts unsatisfied, and satisfaction spreads from the nodes satisfied by
    /// their own data (a condition met, an act performed) to the stages and groups it
    /// completes, so nodes on a requirement cycle stay unsatisfied. Linear; no order needed,
    /// so declared cycles are fine.
    pub(crate) fn init_state(&mut self) {
        let n = self.nodes.len();
        self.unsat = (0..n)
            .map(|i| {
                self.graph
                    .requirements(self.node_handle(i))
                    .fold(0u32, |sum, r| sum.saturating_add(r.weight))
            })
            .collect();
        self.blocked_acts = vec![0; n];
        self.sat = vec![false; n];
        self.blk = vec![false; n];
        self.since = vec![None; n];
        let mut work: Vec<NodeId> = (0..n)
            .map(|i| self.node_handle(i))
            .filter(|&x| self.compute_sat(x))
            .collect();
        for &x in &work {
            self.sat[x.index()] = true;
        }
        let mut dependents = Vec::new();
        while let Some(x) = work.pop() {
            dependents.clear();
            dependents.extend(self.graph.dependents(x));
            for &(p, e) in &dependents {
                let i = p.index();
                self.unsat[i] = self.unsat[i].saturating_sub(e.weight);
                if !self.sat[i] && self.compute_sat(p) {
                    self.sat[i] = true;
                    work.push(p);
                }
            }
        }
        for i in 0..n {
            let x = self.node_handle(i);
            if !matches!(self.nodes[i].data, NodeData::Stage(_)) {
                self.blk[i] = self.compute_blk(x);
            }
        }
        for i in 0..n {
            if let NodeData::Stage(s) = &self.nodes[i].data {
                self.blocked_acts[i] =
                    s.acts.iter().filter(|&&(_, a)| self.blk[a.index()]).count() as u32;
                self.blk[i] = self.compute_blk(self.node_handle(i));
            }
        }
    }

    /// Records `n`'s state before this move first changes it.
    pub(crate) fn touch(&mut self, n: NodeId) {
        let entry = Undo::Touch {
            node: n,
            status: self.status_of(n),
            blocked: self.blk[n.index()],
        };
        self.journal.push(entry);
    }

    fn set_unsat(&mut self, n: NodeId, value: u32) {
        self.touch(n);
        let old = std::mem::replace(&mut self.unsat[n.index()], value);
        self.journal.push(Undo::Unsat { node: n, old });
    }

    /// Replaces a node's data (journaled), then settles what that changes.
    pub(crate) fn update_node(
        &mut self,
        n: NodeId,
        f: impl FnOnce(&mut NodeData),
    ) -> Result<(), MoveError> {
        self.touch(n);
        let old = self.nodes[n.index()].data.clone();
        f(&mut self.nodes[n.index()].data);
        self.journal.push(Undo::Data { node: n, old });
        self.settle(n)
    }

    /// Adds a node with no requirements (journaled).
    pub(crate) fn add_node(&mut self, key: String, data: NodeData) -> Result<NodeId, MoveError> {
        if let Some(reason) = crate::util::bad_id(&key) {
            return Err(MoveError::InvalidField {
                field: data.kind().as_str(),
                reason: format!("id {key:?}: {reason}"),
            });
        }
        if self.node_id(&key).is_some() {
            return Err(MoveError::DuplicateId { id: key });
        }
        if self.nodes.len() >= (u32::MAX - 1) as usize {
            return Err(MoveError::TooLarge);
        }
        let Some(id) = self.graph.add_node() else {
            return Err(MoveError::TooLarge);
        };
        debug_assert_eq!(id.index(), self.nodes.len(), "graph slots follow node ids");
        self.node_index.insert(&key, id.index());
        self.nodes.push(Node {
            key: key.into_boxed_str(),
            data,
        });
        self.unsat.push(0);
        self.blocked_acts.push(0);
        self.sat.push(false);
        self.blk.push(false);
        self.since.push(None);
        self.journal.push(Undo::NodeAdded { node: id });
        self.sat[id.index()] = self.compute_sat(id);
        self.blk[id.index()] = self.compute_blk(id);
        Ok(id)
    }

    /// Adds the requirement `from → to` (journaled), then settles.
    pub(crate) fn add_edge(
        &mut self,
        from: NodeId,
        to: NodeId,
        edge: RequirementEdge,
    ) -> Result<(), MoveError> {
        self.graph.add_edge(from, to, edge);
        self.journal.push(Undo::EdgeAdded { from, to });
        if !self.sat[to.index()] {
            self.set_unsat(from, self.unsat[from.index()].saturating_add(edge.weight));
            self.requirement_lost(from, to)?;
        }
        self.settle(from)
    }

    /// Removes the requirement `from → to` if present (journaled), with its citation, then
    /// settles.
    pub(crate) fn remove_edge(&mut self, from: NodeId, to: NodeId) -> Result<(), MoveError> {
        let Some(edge) = self.graph.remove_edge(from, to) else {
            return Ok(());
        };
        self.journal.push(Undo::EdgeRemoved { from, to, edge });
        self.set_citation(from, to, None);
        if !self.sat[to.index()] {
            self.set_unsat(from, self.unsat[from.index()] - edge.weight);
        }
        self.settle(from)
    }

    /// Sets or clears the citation of `from → to` (journaled).
    pub(crate) fn set_citation(&mut self, from: NodeId, to: NodeId, citation: Option<String>) {
        let old = match citation {
            Some(c) => self.citations.insert((from, to), c),
            None => self.citations.remove(&(from, to)),
        };
        // Clearing a citation that was never there changes nothing to undo.
        if old.is_some() || self.citations.contains_key(&(from, to)) {
            self.journal.push(Undo::Citation { from, to, old });
        }
    }

    /// `p` has just gained the unsatisfied requirement `y`. A satisfied `p` that needs its
    /// requirements is undone if it is an act of a reversible stage (the stage reopens);
    /// anything else satisfied is final, and the move is refused.
    fn requirement_lost(&mut self, p: NodeId, y: NodeId) -> Result<(), MoveError> {
        if !self.sat[p.index()] || !self.needs_requirements(p) {
            return Ok(());
        }
        match &self.nodes[p.index()].data {
            NodeData::Stage(_) | NodeData::Group(_) => Ok(()),
            NodeData::Act(a) if !a.performed => Ok(()),
            NodeData::Act(a) if !self.stage_kind(a.stage).is_irreversible() => {
                self.touch(p);
                let old = self.nodes[p.index()].data.clone();
                if let NodeData::Act(a) = &mut self.nodes[p.index()].data {
                    a.performed = false;
                }
                self.journal.push(Undo::Data { node: p, old });
                Ok(())
            }
            _ => Err(MoveError::WouldUndo {
                node: self.key_of(p).to_owned(),
                status: self.status_of(p),
                requirement: self.key_of(y).to_owned(),
            }),
        }
    }

    fn stage_kind(&self, stage: NodeId) -> &StageKind {
        match &self.nodes[stage.index()].data {
            NodeData::Stage(s) => &s.kind,
            _ => &StageKind::Finalized,
        }
    }

    /// Brings cached flags and counters up to date after `start` changed, following only the
    /// nodes whose satisfaction or blocked flag actually changed. Iterative.
    fn settle(&mut self, start: NodeId) -> Result<(), MoveError> {
        let mut work = vec![start];
        while let Some(x) = work.pop() {
            let i = x.index();
            let new_sat = self.compute_sat(x);
            if new_sat != self.sat[i] {
                self.touch(x);
                self.journal.push(Undo::Sat {
                    node: x,
                    old: self.sat[i],
                });
                self.sat[i] = new_sat;
                let dependents: Vec<(NodeId, RequirementEdge)> = self.graph.dependents(x).collect();
                for (p, e) in dependents {
                    let count = self.unsat[p.index()];
                    if new_sat {
                        self.set_unsat(p, count - e.weight);
                    } else {
                        self.set_unsat(p, count.saturating_add(e.weight));
                        self.requirement_lost(p, x)?;
                    }
                    work.push(p);
                }
            }
            let new_blk = self.compute_blk(x);
            if new_blk != self.blk[i] {
                self.touch(x);
                self.journal.push(Undo::Blk {
                    node: x,
                    old: self.blk[i],
                });
                self.blk[i] = new_blk;
                if let NodeData::Act(a) = &self.nodes[i].data {
                    let stage = a.stage;
                    self.touch(stage);
                    let old = self.blocked_acts[stage.index()];
                    self.blocked_acts[stage.index()] = if new_blk { old + 1 } else { old - 1 };
                    self.journal.push(Undo::BlockedActs { node: stage, old });
                    work.push(stage);
                }
            }
        }
        Ok(())
    }

    /// Undoes every journal entry after `mark`, newest first.
    pub(crate) fn rollback(&mut self, mark: usize) {
        while self.journal.len() > mark {
            let Some(entry) = self.journal.pop() else {
                break;
            };
            match entry {
                Undo::Touch { .. } => {}
                Undo::Data { node, old } => self.nodes[node.index()].data = old,
                Undo::Unsat { node, old } => self.unsat[node.index()] = old,
                Undo::BlockedActs { node, old } => self.blocked_acts[node.index()] = old,
                Undo::Sat { node, old } => self.sat[node.index()] = old,
                Undo::Blk { node, old } => self.blk[node.index()] = old,
                Undo::EdgeAdded { from, to } => {
                    self.graph.remove_edge(from, to);
                }
                Undo::EdgeRemoved { from, to, edge } => self.graph.add_edge(from, to, edge),
                Undo::Citation { from, to, old } => match old {
                    Some(c) => {
                        self.citations.insert((from, to), c);
                    }
                    None => {
                        self.citations.remove(&(from, to));
                    }
                },

                Undo::TrackAdded => {
                    if let Some(t) = self.tracks.pop() {
                        self.track_index.remove(&t.key);
                    }
                }
                Undo::Since { node, old } => self.since[node.index()] = old,
                Undo::LatestDate { old } => self.latest_date = old,
                Undo::Schedule { node, old } => match old {
                    Some(t) => {
                        self.schedule.insert(node, t);
                    }
                    None => {
                        self.schedule.remove(&node);
                    }
                },
                Undo::LongStop { track, old } => self.tracks[track.index()].long_stop = old,
                Undo::History => {
                    self.history.pop();
                }
                Undo::NodeAdded { node } => {
                    if let Some(removed) = self.nodes.pop() {
                        self.node_index.remove(&removed.key, self.nodes.len());
                    }
                    self.graph.remove_node(node);
                    self.unsat.pop();
                    self.blocked_acts.pop();
                    self.sat.pop();
                    self.blk.pop();
                    self.since.pop();
                }
            }
        }
    }
}

impl Negotiation {
    /// [`lapsed`](Self::lapsed) for an act, or for a stage through its pending acts. O(1) for
    /// an act; a stage asks its acts.
    pub(crate) fn lapsed_at(&self, node: NodeId) -> Option<(TrackId, LongStop, Date)> {
        match self.nodes.get(node.index()).map(|n| &n.data) {
            Some(NodeData::Act(_)) => self.lapsed(node),
            Some(NodeData::Stage(s)) if !self.satisfied(node) => {
                s.acts.iter().find_map(|&(_, a)| self.lapsed(a))
            }
            _ => None,
        }
    }

    /// Whether `act` (or, for a stage, its acts) belongs to a lapsed track: its long-stop
    /// `lapses`, the recorded dates have certainly passed the long-stop date, its stage is not
    /// reached, and the act's stage is that one or a later one. Gives the track, its long-stop
    /// and the latest date recorded.
    pub(crate) fn lapsed(&self, act: NodeId) -> Option<(TrackId, LongStop, Date)> {
        let now = self.latest_date?;
        self.lapsed_on(act, now).map(|(track, ls)| (track, ls, now))
    }

    /// Whether `act` would belong to a lapsed track on `now` (see [`lapsed`](Self::lapsed)).
    pub(crate) fn lapsed_on(&self, act: NodeId, now: Date) -> Option<(TrackId, LongStop)> {
        let NodeData::Act(a) = &self.nodes[act.index()].data else {
            return None;
        };
        if a.performed {
            return None;
        }
        let NodeData::Stage(stage) = &self.nodes[a.stage.index()].data else {
            return None;
        };
        let ls = self.tracks[stage.track.index()].long_stop?;
        let rank = match &self.nodes[ls.stage.index()].data {
            NodeData::Stage(s) => s.rank,
            _ => 0,
        };
        (ls.lapses && ls.date.is_before(now) && !self.satisfied(ls.stage) && stage.rank >= rank)
            .then_some((stage.track, ls))
    }
}

impl crate::foreign::Handles for Negotiation {
    fn has_node(&self, n: NodeId) -> bool {
        Negotiation::has_node(self, n)
    }
    fn has_party(&self, p: PartyId) -> bool {
        Negotiation::has_party(self, p)
    }
    fn has_track(&self, t: TrackId) -> bool {
        Negotiation::has_track(self, t)
    }
    fn has_topic(&self, t: TopicId) -> bool {
        Negotiation::has_topic(self, t)
    }
}

/// The tables the history's records point into, borrowed apart from the history itself so
/// that a move can be recorded while they are read.
pub(crate) struct Tables<'a> {
    parties: &'a [Party],
    party_index: &'a HashMap<String, PartyId>,
    tracks: &'a [Track],
    track_index: &'a HashMap<String, TrackId>,
    nodes: &'a [Node],
    node_index: &'a KeyIndex,
}

impl Names for Tables<'_> {
    fn party_key(&self, i: u32) -> Option<&str> {
        self.parties.get(i as usize).map(|p| p.key.as_str())
    }
    fn track_key(&self, i: u32) -> Option<&str> {
        self.tracks.get(i as usize).map(|t| t.key.as_str())
    }
    fn node_key(&self, i: u32) -> Option<&str> {
        self.nodes.get(i as usize).map(|n| n.key.as_ref())
    }
    fn party_index(&self, key: &str) -> Option<u32> {
        self.party_index.get(key).map(|p| p.index() as u32)
    }
    fn track_index(&self, key: &str) -> Option<u32> {
        self.track_index.get(key).map(|t| t.index() as u32)
    }
    fn node_index(&self, key: &str) -> Option<u32> {
        let nodes = self.nodes;
        self.node_index
            .get(key, |i| nodes[i].key.as_ref())
            .and_then(|i| u32::try_from(i).ok())
    }
}

//! Validation of a declaration into a `Negotiation` (`NegotiationBuilder::build`), and the
//! checks of a requirement or a track that the builder and the `require` / `open_track` moves
//! share.

use std::sync::Arc;

use crate::graph::ReqGraph;
use crate::ids::{NodeId, Owner, PartyId, TrackId};
use crate::model::{
    Act, Article, Concession, ConcessionStatus, Condition, Effect, Group, Node, NodeData, NodeKind,
    Party, RequirementEdge, RequirementKind, Role, Stage, StageKind, Threshold, Topic, Track,
};
use crate::state::Negotiation;
use crate::util::bad_id;

use super::builder::NegotiationBuilder;
use super::error::BuildError;
use super::spec::{
    ArticleSpec, BasisSpec, ConcessionSpec, ConditionSpec, Needs, RequirementSpec, TrackSpec,
};

impl NegotiationBuilder {
    /// Validates the declaration into a negotiation in its initial state.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] naming the ids involved: duplicate ids, dangling references,
    /// requirement cycles, stages out of order or requiring a later stage of their own track,
    /// parties acting outside their role, and initial states where a satisfied node has an
    /// unsatisfied requirement.
    ///
    /// # Complexity
    ///
    /// Linear in the size of the declaration (plus sorting of small per-node lists).
    pub fn build(self) -> Result<Negotiation, BuildError> {
        self.build_as(Owner::fresh())
    }

    /// [`build`](Self::build), the negotiation's handles stamped `owner`: a state rebuilt
    /// from a negotiation's history keeps its stamp, so its handles stay valid there.
    pub(crate) fn build_as(mut self, owner: Owner) -> Result<Negotiation, BuildError> {
        self.shrink_to_fit();
        Self::build_shared(Arc::new(self), owner)
    }

    /// [`build_as`](Self::build_as) of a declaration held elsewhere too (a scenario's): the
    /// negotiation keeps `spec` itself as its declaration, so nothing is copied.
    pub(crate) fn build_shared(
        spec: Arc<NegotiationBuilder>,
        owner: Owner,
    ) -> Result<Negotiation, BuildError> {
        Validator::default().run(spec, owner)
    }
}

/// An entry of a declaration's list (`requirements[3]`), written out only when an error
/// names it: the build formats no path for an entry that is valid.
#[derive(Clone, Copy)]
struct Entry(&'static str, usize);

impl std::fmt::Display for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// How many entries of a declaration have their ids looked up together ([`Validator::warm`]).
const WARM_BATCH: usize = 16;

#[derive(Default)]
struct Validator {
    neg: Negotiation,
}

/// [`check_id`] for the ids stage and act ids are composed of (`track.stage.party`): a party's
/// or a track's id holds no `.`, so a composed id names one stage or act only.
fn check_part_id(
    path: impl FnOnce() -> String,
    kind: &'static str,
    id: &str,
) -> Result<(), BuildError> {
    let path = std::cell::Cell::new(Some(path));
    let at = || path.take().map(|p| p()).unwrap_or_default();
    check_id(at, kind, id)?;
    if id.contains('.') {
        return Err(BuildError::BadId {
            path: at(),
            kind,
            id: id.to_owned(),
            reason: "a party's or track's id holds no `.` (stage and act ids are composed as track.stage.party)",
        });
    }
    Ok(())
}

fn check_id(path: impl FnOnce() -> String, kind: &'static str, id: &str) -> Result<(), BuildError> {
    match bad_id(id) {
        Some(reason) => Err(BuildError::BadId {
            path: path(),
            kind,
            id: id.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

impl Validator {
    fn run(
        mut self,
        spec: Arc<NegotiationBuilder>,
        owner: Owner,
    ) -> Result<Negotiation, BuildError> {
        let b = &*spec;
        // Exact sizes where they are known; whatever grows past them is trimmed at the end.
        let stage_nodes: usize = b
            .tracks
            .iter()
            .flat_map(|t| &t.stages)
            .map(|s| 1 + s.performers.len().max(2))
            .sum();
        // A requirement group is a node of its own, with an edge to each alternative.
        let (groups, alternatives) = b
            .requirements
            .iter()
            .filter_map(|r| match &r.needs {
                Needs::Node(_) => None,
                Needs::AnyOf(of) => Some(of.len()),
                Needs::AtLeast { of, .. } => Some(of.len()),
                Needs::Weight { of, .. } => Some(of.len()),
            })
            .fold((0, 0), |(g, a), len| (g + 1, a + len));
        let nodes =
            b.articles.len() + b.conditions.len() + b.concessions.len() + stage_nodes + groups;
        let edges = b.requirements.len() + alternatives + stage_nodes;
        self.neg.graph = ReqGraph::with_capacity(owner, nodes, edges);
        self.neg.nodes.reserve(nodes);
        self.neg.node_index.reserve(nodes);

        for (i, p) in b.parties.iter().enumerate() {
            check_part_id(|| format!("parties[{i}].id"), "party", &p.id)?;
            if self.neg.party_index.contains_key(&p.id) {
                return Err(BuildError::DuplicateId {
                    path: format!("parties[{i}].id"),
                    kind: "party",
                    id: p.id.clone(),
                });
            }
            self.neg
                .party_index
                .insert(p.id.clone(), self.neg.party_handle(self.neg.parties.len()));
            self.neg.parties.push(Party {
                key: p.id.clone(),
                name: p.name.clone(),
                role: p.role,
            });
        }
        for (i, t) in b.topics.iter().enumerate() {
            check_id(|| format!("topics[{i}].id"), "topic", &t.id)?;
            if self.neg.topic_index.contains_key(&t.id) {
                return Err(BuildError::DuplicateId {
                    path: format!("topics[{i}].id"),
                    kind: "topic",
                    id: t.id.clone(),
                });
            }
            self.neg
                .topic_index
                .insert(t.id.clone(), self.neg.topic_handle(self.neg.topics.len()));
            self.neg.topics.push(Topic {
                key: t.id.clone(),
                title: t.title.clone(),
            });
        }
        let mut performed: Vec<NodeId> = Vec::new();
        for (i, t) in b.tracks.iter().enumerate() {
            self.neg
                .declare_track(&format!("tracks[{i}]"), t, &mut performed)?;
        }
        for (i, a) in b.articles.iter().enumerate() {
            self.article(i, a)?;
        }
        // The ids of each batch of entries are looked up together first (`warm`), so that
        // their cache misses overlap.
        for (k, batch) in b.conditions.chunks(WARM_BATCH).enumerate() {
            self.warm(batch.iter().map(|c| c.id.as_str()));
            for (j, c) in batch.iter().enumerate() {
                self.condition(k * WARM_BATCH + j, c)?;
            }
        }
        for (i, c) in b.concessions.iter().enumerate() {
            self.concession(i, c)?;
        }
        for (k, batch) in b.requirements.chunks(WARM_BATCH).enumerate() {
            self.warm(batch.iter().flat_map(|r| {
                let required = match &r.needs {
                    Needs::Node(t) => Some(t.as_str()),
                    _ => None,
                };
                std::iter::once(r.node.as_str()).chain(required)
            }));
            for (j, r) in batch.iter().enumerate() {
                self.requirement(k * WARM_BATCH + j, r)?;
            }
        }
        for (i, s) in b.schedule.iter().enumerate() {
            self.neg.declare_schedule(&format!("schedule[{i}]"), s)?;
        }
        for act in performed {
            if let NodeData::Act(a) = &mut self.neg.nodes[act.index()].data {
                a.performed = true;
            }
        }
        self.neg.init_state();
        self.check_consistency(b)?;
        self.neg.nodes.shrink_to_fit();
        self.neg.graph.shrink_to_fit();
        self.neg.initial = spec;
        Ok(self.neg)
    }

    /// Reads the cache lines that looking up `keys` will read ([`KeyIndex::warm`]).
    ///
    /// [`KeyIndex::warm`]: crate::key_index::KeyIndex::warm
    fn warm<'k>(&self, keys: impl IntoIterator<Item = &'k str>) {
        let nodes = &self.neg.nodes;
        self.neg.node_index.warm(keys, |i| nodes[i].key.as_ref());
    }

    fn article(&mut self, i: usize, a: &ArticleSpec) -> Result<(), BuildError> {
        let path = Entry("articles", i);
        let track = *self.neg.track_index.get(&a.track).ok_or_else(|| {
            self.neg
                .dangling(format!("{path}.track"), "track", &a.track)
        })?;
        let mut article = Article {
            track,
            title: a.title.as_str().into(),
            positions: Vec::with_capacity(a.positions.len()),
            excluded: a.excluded,
            topics: Box::default(),
        };
        for (p, pos) in &a.positions {
            let pid = self.neg.party_at(|| format!("{path}.positions.{p}"), p)?;
            if !self.neg.tracks[track.index()].principals.contains(&pid) {
                return Err(BuildError::PositionOfNonPrincipal {
                    path: format!("{path}.positions.{p}"),
                    article: a.id.clone(),
                    party: p.clone(),
                    track: a.track.clone(),
                });
            }
            article.set_position(pid, *pos);
        }
        let mut topics = Vec::with_capacity(a.topics.len());
        for (j, t) in a.topics.iter().enumerate() {
            let tid = *self
                .neg
                .topic_index
                .get(t)
                .ok_or_else(|| self.neg.dangling(format!("{path}.topics[{j}]"), "topic", t))?;
            topics.push(tid);
        }
        topics.sort_unstable();
        topics.dedup();
        article.topics = topics.into_boxed_slice();
        let excluded = article.excluded;
        let id = self.neg.declare_node(
            || format!("{path}.id"),
            "article",
            a.id.clone(),
            NodeData::Article(article),
        )?;
        if !excluded {
            for act in self.neg.first_stage_acts(track) {
                self.neg
                    .graph
                    .add_edge(act, id, RequirementEdge::of(RequirementKind::Article));
            }
        }
        Ok(())
    }

    fn condition(&mut self, i: usize, c: &ConditionSpec) -> Result<(), BuildError> {
        let path = Entry("conditions", i);
        let owed_by = self
            .neg
            .parties_at(format_args!("{path}.owed_by"), &c.owed_by)?;
        let demanded_by = match &c.demanded_by {
            Some(p) => Some(self.neg.party_at(|| format!("{path}.demanded_by"), p)?),
            None => None,
        };
        self.neg.declare_node(
            || format!("{path}.id"),
            "condition",
            c.id.clone(),
            NodeData::Condition(Condition {
                description: c.description.as_str().into(),
                owed_by: owed_by.into(),
                demanded_by,
                status: c.status,
                obligation: c.obligation,
                done: Vec::new(),
            }),
        )?;
        Ok(())
    }

    fn concession(&mut self, i: usize, c: &ConcessionSpec) -> Result<(), BuildError> {
        let path = Entry("concessions", i);
        if c.status == ConcessionStatus::Made {
            return Err(BuildError::MadeConcession {
                path: format!("{path}.status"),
                concession: c.id.clone(),
            });
        }
        let by = self.neg.party_at(|| format!("{path}.by"), &c.by)?;
        for (j, e) in c.effects.iter().enumerate() {
            let at = |field: &str| format!("{path}.effects[{j}].{field}");
            let (field, id, expected) = match e {
                Effect::Accept { article } | Effect::MoveArticle { article, .. } => {
                    ("article", article, NodeKind::Article)
                }
                Effect::Fulfil { condition }
                | Effect::Waive { condition }
                | Effect::Unlink { condition, .. } => ("condition", condition, NodeKind::Condition),
            };
            if self.neg.node_id(id).and_then(|n| self.neg.kind(n)) != Some(expected) {
                return Err(self.neg.dangling(at(field), expected.as_str(), id));
            }
            match e {
                Effect::Unlink { stage, .. }
                    if self.neg.node_id(stage).and_then(|n| self.neg.kind(n))
                        != Some(NodeKind::Stage) =>
                {
                    return Err(self.neg.dangling(at("stage"), "stage", stage));
                }
                Effect::MoveArticle { to_track, .. }
                    if !self.neg.track_index.contains_key(to_track) =>
                {
                    return Err(self.neg.dangling(at("to_track"), "track", to_track));
                }
                _ => {}
            }
        }
        self.neg.declare_node(
            || format!("{path}.id"),
            "concession",
            c.id.clone(),
            NodeData::Concession(Concession {
                by,
                description: c.description.clone(),
                effects: c.effects.clone(),
                status: c.status,
            }),
        )?;
        Ok(())
    }

    fn requirement(&mut self, i: usize, r: &RequirementSpec) -> Result<(), BuildError> {
        let path = Entry("requirements", i);
        let resolved = self.neg.resolve_requirement(path, r)?;
        let target = match resolved.target {
            ReqTarget::Node(t) => t,
            ReqTarget::Group {
                key,
                group,
                alternatives,
            } => {
                let at = if r.group.is_some() { "group" } else { "node" };
                let g = self.neg.declare_node(
                    || format!("{path}.{at}"),
                    "requirement group",
                    key,
                    NodeData::Group(group),
                )?;
                for (t, weight) in alternatives {
                    let edge = RequirementEdge {
                        weight,
                        ..RequirementEdge::of(RequirementKind::Alternative)
                    };
                    self.neg.graph.add_edge(g, t, edge);
                }
                g
            }
        };
        for &from in resolved.requirers.as_slice() {
            self.neg.graph.add_edge(from, target, resolved.edge);
            if let Some(c) = &resolved.citation {
                self.neg.citations.insert((from, target), c.clone());
            }
        }
        Ok(())
    }

    fn check_consistency(&self, b: &NegotiationBuilder) -> Result<(), BuildError> {
        let neg = &self.neg;
        for (i, node) in neg.nodes.iter().enumerate() {
            let n = neg.node_handle(i);
            if !neg.sat[i] || !neg.needs_requirements(n) {
                continue;
            }
            if let Some(r) = neg
                .sorted_requirements(n)
                .into_iter()
                .find(|r| !neg.sat[r.target.index()])
            {
                return Err(BuildError::Inconsistent {
                    path: declared_satisfied(b, &node.key),
                    node: node.key.to_string(),
                    status: neg.status_of(n),
                    required: neg.key_of(r.target).to_owned(),
                    required_status: neg.status_of(r.target),
                });
            }
        }
        Ok(())
    }
}

/// The entry of the declaration that makes `key` satisfied: a condition's status, an
/// article's positions or exclusion, a stage's `performed_by`.
fn declared_satisfied(b: &NegotiationBuilder, key: &str) -> String {
    if let Some(i) = b.conditions.iter().position(|c| c.id == key) {
        return format!("conditions[{i}].status");
    }
    if let Some(i) = b.articles.iter().position(|a| a.id == key) {
        return format!("articles[{i}].positions");
    }
    for (i, t) in b.tracks.iter().enumerate() {
        for (j, s) in t.stages.iter().enumerate() {
            let stage = format!("{}.{}", t.id, s.kind);
            if let Some(k) = s
                .performed_by
                .iter()
                .position(|p| format!("{stage}.{p}") == key)
            {
                return format!("tracks[{i}].stages[{j}].performed_by[{k}]");
            }
        }
    }
    key.to_owned()
}

/// A declared requirement checked against a negotiation: the nodes that will require, the
/// edge they get, and what they require (an existing node or a new group).
pub(crate) struct ResolvedRequirement {
    pub(crate) requirers: Requirers,
    pub(crate) edge: RequirementEdge,
    pub(crate) citation: Option<String>,
    pub(crate) target: ReqTarget,
}

/// The nodes a declared requirement gives its edge: one node (the node named, or the
/// party's act of a stage for a precondition), held without allocating, or every act of a
/// stage.
pub(crate) enum Requirers {
    One(NodeId),
    Acts(Vec<NodeId>),
}

impl Requirers {
    fn acts(stage: &Stage) -> Self {
        Requirers::Acts(stage.acts.iter().map(|&(_, a)| a).collect())
    }

    pub(crate) fn as_slice(&self) -> &[NodeId] {
        match self {
            Requirers::One(n) => std::slice::from_ref(n),
            Requirers::Acts(acts) => acts,
        }
    }
}

/// What a resolved requirement requires.
pub(crate) enum ReqTarget {
    Node(NodeId),
    Group {
        key: String,
        group: Group,
        alternatives: Vec<(NodeId, u32)>,
    },
}

impl Negotiation {
    pub(crate) fn party_at(
        &self,
        path: impl FnOnce() -> String,
        id: &str,
    ) -> Result<PartyId, BuildError> {
        self.party_index
            .get(id)
            .copied()
            .ok_or_else(|| self.dangling(path(), "party", id))
    }

    pub(crate) fn parties_at(
        &self,
        path: impl std::fmt::Display,
        ids: &[String],
    ) -> Result<Vec<PartyId>, BuildError> {
        let mut parties = Vec::with_capacity(ids.len());
        for (j, p) in ids.iter().enumerate() {
            parties.push(self.party_at(|| format!("{path}[{j}]"), p)?);
        }
        parties.sort_unstable();
        parties.dedup();
        Ok(parties)
    }

    pub(crate) fn declare_node(
        &mut self,
        path: impl FnOnce() -> String,
        kind: &'static str,
        key: String,
        data: NodeData,
    ) -> Result<NodeId, BuildError> {
        let path = std::cell::Cell::new(Some(path));
        let at = || path.take().map(|p| p()).unwrap_or_default();
        check_id(at, kind, &key)?;
        if self.node_id(&key).is_some() {
            return Err(BuildError::DuplicateId {
                path: at(),
                kind,
                id: key,
            });
        }
        let id = self.graph.add_node().ok_or(BuildError::TooLarge)?;
        self.node_index.insert(&key, id.index());
        self.nodes.push(Node {
            key: key.into_boxed_str(),
            data,
        });
        Ok(id)
    }

    /// Declares track `t` (its stages and acts), its declaration standing at `at`
    /// (`tracks[2]`). Used by the builder and by the `open_track` move, which journals what
    /// it adds.
    pub(crate) fn declare_track(
        &mut self,
        at: &str,
        t: &TrackSpec,
        performed: &mut Vec<NodeId>,
    ) -> Result<(), BuildError> {
        check_part_id(|| format!("{at}.id"), "track", &t.id)?;
        if self.track_index.contains_key(&t.id) {
            return Err(BuildError::DuplicateId {
                path: format!("{at}.id"),
                kind: "track",
                id: t.id.clone(),
            });
        }
        let track_id = self.track_handle(self.tracks.len());
        let principals = self.parties_at(format_args!("{at}.principals"), &t.principals)?;
        let mut roles: Vec<(PartyId, Role)> = Vec::with_capacity(t.roles.len());
        for (p, role) in &t.roles {
            let path = || format!("{at}.roles.{p}");
            let pid = self.party_at(path, p)?;
            // A principal is listed in `principals` (its positions decide the articles).
            if *role == Role::Principal
                || principals.contains(&pid)
                || roles.iter().any(|&(q, _)| q == pid)
            {
                return Err(BuildError::ConflictingRole {
                    path: path(),
                    party: p.clone(),
                    track: t.id.clone(),
                });
            }
            roles.push((pid, *role));
        }
        roles.sort_unstable();
        self.track_index.insert(t.id.clone(), track_id);
        self.tracks.push(Track {
            key: t.id.clone(),
            title: t.title.clone(),
            principals: principals.clone(),
            roles,
            stages: Vec::new(),
            long_stop: None,
        });
        let mut last_builtin: Option<&StageKind> = None;
        let mut previous_stage: Option<NodeId> = None;
        for (rank, s) in t.stages.iter().enumerate() {
            let path = format!("{at}.stages[{rank}]");
            let stage_key = format!("{}.{}", t.id, s.kind);
            if let (Some(prev), Some(r)) = (last_builtin, s.kind.rank()) {
                if prev.rank() >= Some(r) {
                    return Err(BuildError::StageOutOfOrder {
                        path: format!("{path}.kind"),
                        stage: s.kind.to_string(),
                        previous: prev.to_string(),
                    });
                }
            }
            if s.kind.rank().is_some() {
                last_builtin = Some(&s.kind);
            }
            let performers = if s.performers.is_empty() {
                principals.clone()
            } else {
                self.parties_at(format_args!("{path}.performers"), &s.performers)?
            };
            if performers.is_empty() {
                return Err(BuildError::NoPerformers {
                    path: format!("{path}.performers"),
                    stage: stage_key,
                });
            }
            for &p in &performers {
                let role = self.role_on(p, track_id).unwrap_or(Role::Observer);
                if !role.can_perform(&s.kind) {
                    let key = &self.parties[p.index()].key;
                    let at = match s.performers.iter().position(|q| q == key) {
                        Some(j) => format!("{path}.performers[{j}]"),
                        None => format!("{at}.principals"),
                    };
                    return Err(BuildError::RoleCannotPerform {
                        path: at,
                        party: key.clone(),
                        role,
                        stage: stage_key,
                    });
                }
            }
            let stage = self.declare_node(
                || format!("{path}.kind"),
                "stage",
                stage_key.clone(),
                NodeData::Stage(Stage {
                    track: track_id,
                    kind: s.kind.clone(),
                    rank,
                    acts: Vec::new(),
                }),
            )?;
            let mut acts = Vec::with_capacity(performers.len());
            for &p in &performers {
                let act_key = format!("{stage_key}.{}", self.parties[p.index()].key);
                let act = self.declare_node(
                    || format!("{path}.performers"),
                    "act",
                    act_key,
                    NodeData::Act(Act {
                        stage,
                        party: p,
                        performed: false,
                        ready: false,
                    }),
                )?;
                self.graph
                    .add_edge(stage, act, RequirementEdge::of(RequirementKind::Act));
                if let Some(prev) = previous_stage {
                    self.graph.add_edge(
                        act,
                        prev,
                        RequirementEdge::of(RequirementKind::PreviousStage),
                    );
                }
                acts.push((p, act));
            }
            for (j, p) in s.performed_by.iter().enumerate() {
                let pid = self.party_at(|| format!("{path}.performed_by[{j}]"), p)?;
                match acts.iter().find(|(q, _)| *q == pid) {
                    Some(&(_, act)) => performed.push(act),
                    None => {
                        return Err(BuildError::NotAPerformer {
                            path: format!("{path}.performed_by[{j}]"),
                            stage: stage_key,
                            party: p.clone(),
                        })
                    }
                }
            }
            if let NodeData::Stage(st) = &mut self.nodes[stage.index()].data {
                st.acts = acts;
            }
            self.tracks[track_id.index()].stages.push(stage);
            previous_stage = Some(stage);
        }
        if let Some(spec) = &t.long_stop {
            let long_stop = self.resolve_long_stop(at, track_id, spec)?;
            self.tracks[track_id.index()].long_stop = Some(long_stop);
        }
        Ok(())
    }

    fn node_at(&self, path: impl FnOnce() -> String, id: &str) -> Result<NodeId, BuildError> {
        self.node_id(id)
            .ok_or_else(|| self.dangling(path(), "node", id))
    }

    /// Checks a requirement declaration (in a model, or in a `require` move) against this
    /// negotiation: every id known, the basis's party acting on the node, the group well
    /// formed, no self-requirement, duplicate, or requirement of a later stage of the
    /// node's own track. Adds nothing.
    pub(crate) fn resolve_requirement(
        &self,
        path: impl std::fmt::Display + Copy,
        r: &RequirementSpec,
    ) -> Result<ResolvedRequirement, BuildError> {
        let node = self.node_at(|| format!("{path}.node"), &r.node)?;
        let data = &self.nodes[node.index()].data;
        if matches!(data, NodeData::Group(_)) {
            return Err(BuildError::RequirementOnGroup {
                path: format!("{path}.node"),
                node: r.node.clone(),
            });
        }
        // Who requires, and on what basis.
        let (requirers, edge, citation) = match &r.basis {
            BasisSpec::Precondition(party) => {
                let p = self
                    .party_id(party)
                    .ok_or_else(|| self.dangling(format!("{path}.by"), "party", party))?;
                let own = match data {
                    NodeData::Stage(s) => s.act_of(p),
                    NodeData::Act(a) if a.party == p => Some(node),
                    NodeData::Condition(c) if c.owed_by.contains(&p) => Some(node),
                    NodeData::Concession(c) if c.by == p => Some(node),
                    _ => None,
                };
                let Some(own) = own else {
                    return Err(BuildError::NotOwnPrecondition {
                        path: format!("{path}.by"),
                        party: party.clone(),
                        node: r.node.clone(),
                    });
                };
                (Requirers::One(own), RequirementEdge::precondition(p), None)
            }
            BasisSpec::Procedure(citation) => {
                let requirers = match data {
                    NodeData::Stage(s) => Requirers::acts(s),
                    _ => Requirers::One(node),
                };
                (
                    requirers,
                    RequirementEdge::of(RequirementKind::Procedure),
                    citation.clone(),
                )
            }
            BasisSpec::Default => match data {
                NodeData::Stage(s) => (
                    Requirers::acts(s),
                    RequirementEdge::of(RequirementKind::Procedure),
                    None,
                ),
                NodeData::Act(a) => (
                    Requirers::One(node),
                    RequirementEdge::precondition(a.party),
                    None,
                ),
                _ => (
                    Requirers::One(node),
                    RequirementEdge::of(RequirementKind::Procedure),
                    None,
                ),
            },
        };
        let (at, alternatives, threshold): (&str, Vec<(&String, u32)>, Option<Threshold>) = match &r
            .needs
        {
            Needs::Node(t) => {
                if r.group.is_some() {
                    return Err(BuildError::BadGroup {
                        path: format!("{path}.group"),
                        node: r.node.clone(),
                        problem: "a requirement of one node creates no group to name".to_owned(),
                    });
                }
                let target = self.node_at(|| format!("{path}.requires"), t)?;
                for &from in requirers.as_slice() {
                    self.check_new_edge(path, from, target)?;
                }
                return Ok(ResolvedRequirement {
                    requirers,
                    edge,
                    citation,
                    target: ReqTarget::Node(target),
                });
            }
            Needs::AnyOf(alts) => (
                "requires_any_of",
                alts.iter().map(|a| (a, 1)).collect(),
                Some(Threshold::Count(1)),
            ),
            Needs::AtLeast { count, of } => (
                "requires_at_least.of",
                of.iter().map(|a| (a, 1)).collect(),
                Some(Threshold::Count(*count)),
            ),
            Needs::Weight { at_least, of } => (
                "requires_weight.of",
                of.iter().map(|(a, w)| (a, *w)).collect(),
                Some(Threshold::Weight(*at_least)),
            ),
        };
        let threshold = threshold.unwrap_or(Threshold::Count(1));
        let bad = |problem: String| BuildError::BadGroup {
            path: format!("{path}.{at}"),
            node: r.node.clone(),
            problem,
        };
        if alternatives.is_empty() {
            return Err(bad("it lists no alternatives".to_owned()));
        }
        let mut targets: Vec<(NodeId, u32)> = Vec::with_capacity(alternatives.len());
        let mut total: u64 = 0;
        let weighted = matches!(r.needs, Needs::Weight { .. });
        for (j, &(a, w)) in alternatives.iter().enumerate() {
            // Weights are an object keyed by id in files; the other lists are arrays.
            let entry = || {
                if weighted {
                    format!("{path}.{at}.{a}")
                } else {
                    format!("{path}.{at}[{j}]")
                }
            };
            let t = self.node_at(entry, a)?;
            if w == 0 {
                return Err(bad(format!("alternative `{a}` has weight 0")));
            }
            total += u64::from(w);
            targets.push((t, w));
        }
        let total = u32::try_from(total).map_err(|_| {
            bad(format!(
                "the weights add up to {total}, more than {}",
                u32::MAX
            ))
        })?;
        targets.sort_unstable();
        if let Some(w) = targets.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(bad(format!("`{}` is listed twice", self.key_of(w[0].0))));
        }
        let group = Group { threshold, total };
        if group.needed() == 0 || group.needed() > total {
            let field = match threshold {
                Threshold::Weight(_) => "requires_weight.at_least",
                Threshold::Count(_) => "requires_at_least.count",
            };
            return Err(BuildError::BadGroup {
                path: format!("{path}.{field}"),
                node: r.node.clone(),
                problem: format!(
                    "it needs {} but its alternatives add up to {total}",
                    group.needed()
                ),
            });
        }
        for &from in requirers.as_slice() {
            for &(t, _) in &targets {
                if from == t {
                    return Err(BuildError::SelfRequirement {
                        path: path.to_string(),
                        node: self.key_of(from).to_owned(),
                    });
                }
                self.check_stage_order(path, from, t)?;
            }
        }
        let names: Vec<&str> = alternatives.iter().map(|(a, _)| a.as_str()).collect();
        let key = match (&r.group, threshold) {
            (Some(id), _) => id.clone(),
            (None, threshold) => match threshold {
                Threshold::Count(1) => format!("{}.any_of({})", r.node, names.join("|")),
                Threshold::Count(k) => format!("{}.at_least_{k}_of({})", r.node, names.join("|")),
                Threshold::Weight(w) => format!("{}.weight_{w}_of({})", r.node, names.join("|")),
            },
        };
        Ok(ResolvedRequirement {
            requirers,
            edge,
            citation,
            target: ReqTarget::Group {
                key,
                group,
                alternatives: targets,
            },
        })
    }

    /// Refuses `from → to` if it is a self-requirement, a duplicate, or a stage's requirement
    /// of a later stage of its own track.
    fn check_new_edge(
        &self,
        path: impl std::fmt::Display + Copy,
        from: NodeId,
        to: NodeId,
    ) -> Result<(), BuildError> {
        if from == to {
            return Err(BuildError::SelfRequirement {
                path: path.to_string(),
                node: self.key_of(from).to_owned(),
            });
        }
        self.check_stage_order(path, from, to)?;
        if self.graph.edge(from, to).is_some() {
            return Err(BuildError::DuplicateRequirement {
                path: path.to_string(),
                node: self.key_of(from).to_owned(),
                required: self.key_of(to).to_owned(),
            });
        }
        Ok(())
    }

    /// Refuses a stage or act requiring a later stage (or act of one) of its own track.
    fn check_stage_order(
        &self,
        path: impl std::fmt::Display,
        from: NodeId,
        to: NodeId,
    ) -> Result<(), BuildError> {
        let place = |n: NodeId| -> Option<(TrackId, usize)> {
            let stage = match &self.nodes[n.index()].data {
                NodeData::Stage(_) => n,
                NodeData::Act(a) => a.stage,
                _ => return None,
            };
            match &self.nodes[stage.index()].data {
                NodeData::Stage(s) => Some((s.track, s.rank)),
                _ => None,
            }
        };
        if let (Some((t1, r1)), Some((t2, r2))) = (place(from), place(to)) {
            let to_is_stage = matches!(self.nodes[to.index()].data, NodeData::Stage(_));
            if t1 == t2 && (r2 > r1 || (r2 == r1 && to_is_stage)) {
                return Err(BuildError::BackwardStage {
                    path: path.to_string(),
                    node: self.key_of(from).to_owned(),
                    required: self.key_of(to).to_owned(),
                    track: self.tracks[t1.index()].key.clone(),
                });
            }
        }
        Ok(())
    }
}

impl Negotiation {
    /// Starts declaring a negotiation.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{Negotiation, Role, StageKind, TrackSpec, ConditionSpec};
    ///
    /// let neg = Negotiation::builder()
    ///     .party("a", "Party A", Role::Principal)
    ///     .party("b", "Party B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "B's parliament approves").owed_by(["b"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let signed = neg.node_id("deal.signed").unwrap();
    /// assert!(neg.is_blocked(signed).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder() -> NegotiationBuilder {
        NegotiationBuilder::new()
    }
}

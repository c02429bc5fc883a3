//! The builder: specifications of parties, tracks, articles, conditions and concessions, and
//! their validation into a [`Negotiation`].

use std::sync::Arc;

use crate::graph::ReqGraph;
use crate::ids::{NodeId, PartyId, TopicId, TrackId};
use crate::model::{
    Act, Article, Concession, ConcessionStatus, Condition, ConditionStatus, Effect, Node, NodeData,
    NodeKind, Party, Position, RequirementKind, Role, Stage, StageKind, Status, Topic, Track,
};
use crate::state::Negotiation;

/// A party to declare.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PartySpec {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// A stage of a track to declare.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct StageSpec {
    /// The kind of stage.
    pub kind: StageKind,
    /// Who performs it; empty means the track's principals.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub performers: Vec<String>,
    /// The performers whose act is already performed in the initial state.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub performed_by: Vec<String>,
}

impl StageSpec {
    /// A stage performed by the track's principals, not yet performed by anyone.
    pub fn new(kind: StageKind) -> Self {
        StageSpec {
            kind,
            performers: Vec::new(),
            performed_by: Vec::new(),
        }
    }
    /// Sets who performs the stage.
    pub fn performers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, parties: I) -> Self {
        self.performers = parties.into_iter().map(Into::into).collect();
        self
    }
    /// Sets whose acts are already performed.
    pub fn performed_by<I: IntoIterator<Item = S>, S: Into<String>>(mut self, parties: I) -> Self {
        self.performed_by = parties.into_iter().map(Into::into).collect();
        self
    }
}

impl From<StageKind> for StageSpec {
    fn from(kind: StageKind) -> Self {
        StageSpec::new(kind)
    }
}

/// A track to declare. Its stages get the ids `"{track}.{stage}"` (`"peace.signed"`) and
/// their acts `"{track}.{stage}.{party}"` (`"peace.signed.azerbaijan"`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TrackSpec {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The principals whose positions decide agreement on its articles.
    pub principals: Vec<String>,
    /// Its stages, in order.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub stages: Vec<StageSpec>,
}

impl TrackSpec {
    /// A track with the given principals and no stages.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(
        id: impl Into<String>,
        title: impl Into<String>,
        principals: I,
    ) -> Self {
        TrackSpec {
            id: id.into(),
            title: title.into(),
            principals: principals.into_iter().map(Into::into).collect(),
            stages: Vec::new(),
        }
    }
    /// Appends a stage.
    pub fn stage(mut self, stage: impl Into<StageSpec>) -> Self {
        self.stages.push(stage.into());
        self
    }
}

/// An article to declare.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ArticleSpec {
    /// Its id.
    pub id: String,
    /// The track whose text it belongs to.
    pub track: String,
    /// Its title or text.
    pub title: String,
    /// Stated positions of the track's principals; the others have not said.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            with = "crate::scenario::positions",
            skip_serializing_if = "Vec::is_empty"
        )
    )]
    pub positions: Vec<(String, Position)>,
    /// Topics it addresses.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub topics: Vec<String>,
    /// Whether it is already excluded from every text.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub excluded: bool,
}

impl ArticleSpec {
    /// An article with no stated positions.
    pub fn new(id: impl Into<String>, track: impl Into<String>, title: impl Into<String>) -> Self {
        ArticleSpec {
            id: id.into(),
            track: track.into(),
            title: title.into(),
            positions: Vec::new(),
            topics: Vec::new(),
            excluded: false,
        }
    }
    /// Records a principal's position.
    pub fn position(mut self, party: impl Into<String>, position: Position) -> Self {
        self.positions.push((party.into(), position));
        self
    }
    /// Records that the listed principals accept it.
    pub fn accepted_by<I: IntoIterator<Item = S>, S: Into<String>>(mut self, parties: I) -> Self {
        for p in parties {
            self.positions.push((p.into(), Position::Accepts));
        }
        self
    }
    /// Records a topic it addresses.
    pub fn addresses(mut self, topic: impl Into<String>) -> Self {
        self.topics.push(topic.into());
        self
    }
}

/// A condition to declare.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ConditionSpec {
    /// Its id.
    pub id: String,
    /// What must become true.
    pub description: String,
    /// The parties whose act makes it true.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub owed_by: Vec<String>,
    /// The party demanding it, if it is a demand.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub demanded_by: Option<String>,
    /// Its initial status.
    #[cfg_attr(feature = "serde", serde(default))]
    pub status: ConditionStatus,
}

impl ConditionSpec {
    /// An unmet condition owed by nobody yet.
    pub fn new(id: impl Into<String>, description: impl Into<String>) -> Self {
        ConditionSpec {
            id: id.into(),
            description: description.into(),
            owed_by: Vec::new(),
            demanded_by: None,
            status: ConditionStatus::Unmet,
        }
    }
    /// Sets who owes it.
    pub fn owed_by<I: IntoIterator<Item = S>, S: Into<String>>(mut self, parties: I) -> Self {
        self.owed_by = parties.into_iter().map(Into::into).collect();
        self
    }
    /// Sets who demands it.
    pub fn demanded_by(mut self, party: impl Into<String>) -> Self {
        self.demanded_by = Some(party.into());
        self
    }
    /// Sets its initial status.
    pub fn status(mut self, status: ConditionStatus) -> Self {
        self.status = status;
        self
    }
}

/// A concession to declare.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ConcessionSpec {
    /// Its id.
    pub id: String,
    /// The conceding party.
    pub by: String,
    /// What it is.
    pub description: String,
    /// Its effects, applied in order when it is made.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub effects: Vec<Effect>,
    /// Its initial status (`Made` is refused: declare its effects as the initial state instead).
    #[cfg_attr(feature = "serde", serde(default))]
    pub status: ConcessionStatus,
}

impl ConcessionSpec {
    /// A possible concession with no effects yet.
    pub fn new(
        id: impl Into<String>,
        by: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        ConcessionSpec {
            id: id.into(),
            by: by.into(),
            description: description.into(),
            effects: Vec::new(),
            status: ConcessionStatus::Possible,
        }
    }
    /// Appends an effect.
    pub fn effect(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }
    /// Sets its initial status.
    pub fn status(mut self, status: ConcessionStatus) -> Self {
        self.status = status;
        self
    }
}

/// What a declared requirement needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Needs {
    /// One node.
    Node(String),
    /// Any one of these nodes.
    AnyOf(Vec<String>),
}

/// A requirement to declare: `node` requires `needs`. A requirement on an act
/// (`"peace.signed.azerbaijan"`) is that party's precondition on its own act; a requirement
/// on a stage (`"peace.signed"`) applies to every act of the stage.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "crate::scenario::RequirementWire",
        into = "crate::scenario::RequirementWire"
    )
)]
pub struct RequirementSpec {
    /// The requiring node's id.
    pub node: String,
    /// What it needs.
    pub needs: Needs,
}

/// A topic to declare.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TopicSpec {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Why a model was refused. Each variant names the ids involved.
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Two things of the same namespace share an id. Parties, tracks and topics each have a
    /// namespace; articles, conditions, concessions, stages and acts share one.
    #[error("{path}: duplicate {kind} id `{id}`")]
    DuplicateId {
        /// Where the second declaration stands (`conditions[3].id`); for stages and acts, the
        /// track's entry.
        path: String,
        /// What kind of thing.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A reference to something that was not declared.
    #[error("{path}: unknown {expected} `{id}`")]
    DanglingReference {
        /// Where the reference stands, as a path into the builder's fields
        /// (`conditions[3].owed_by[0]`).
        path: String,
        /// What kind of thing was expected.
        expected: &'static str,
        /// The unknown id.
        id: String,
    },
    /// Requirements form a cycle; the nodes are listed in order, each requiring the next and
    /// the last requiring the first.
    #[error("requirement cycle: {}", .nodes.join(" -> "))]
    Cycle {
        /// The cycle's nodes, in order.
        nodes: Vec<String>,
    },
    /// A stage (or one of its acts) requires a later stage of its own track.
    #[error("`{node}` requires `{required}`, a later stage of its own track `{track}`")]
    BackwardStage {
        /// The requiring stage or act.
        node: String,
        /// The required later stage or act.
        required: String,
        /// The track.
        track: String,
    },
    /// A built-in stage stands before one that comes earlier in the canonical order.
    #[error("track `{track}`: stage `{stage}` comes after `{previous}`; built-in stages go finalized, initialed, signed, ratified, in_force")]
    StageOutOfOrder {
        /// The track.
        track: String,
        /// The misplaced stage.
        stage: String,
        /// The stage it follows.
        previous: String,
    },
    /// A party performs a stage its role does not allow (an institution signing).
    #[error("`{party}` ({role}) cannot perform `{stage}`")]
    RoleCannotPerform {
        /// The party.
        party: String,
        /// Its role.
        role: Role,
        /// The stage.
        stage: String,
    },
    /// A party listed as a principal of a track does not have the principal role.
    #[error("track `{track}`: `{party}` is listed as a principal but its role is {role}")]
    NotAPrincipal {
        /// The track.
        track: String,
        /// The party.
        party: String,
        /// Its role.
        role: Role,
    },
    /// A position held by a party that is not a principal of the article's track.
    #[error(
        "article `{article}`: `{party}` holds a position but is not a principal of track `{track}`"
    )]
    PositionOfNonPrincipal {
        /// The article.
        article: String,
        /// The party.
        party: String,
        /// The article's track.
        track: String,
    },
    /// A stage with nobody to perform it.
    #[error("stage `{stage}` has no performers")]
    NoPerformers {
        /// The stage.
        stage: String,
    },
    /// An act marked performed for a party that does not perform the stage.
    #[error("stage `{stage}`: `{party}` is marked as performed but is not a performer")]
    NotAPerformer {
        /// The stage.
        stage: String,
        /// The party.
        party: String,
    },
    /// A node requires itself.
    #[error("`{node}` requires itself")]
    SelfRequirement {
        /// The node.
        node: String,
    },
    /// The same requirement is declared twice.
    #[error("`{node}` requires `{required}` twice")]
    DuplicateRequirement {
        /// The requiring node.
        node: String,
        /// The required node.
        required: String,
    },
    /// An any-of requirement with fewer than one alternative.
    #[error("any-of requirement of `{node}` lists no alternatives")]
    EmptyAnyOf {
        /// The requiring node.
        node: String,
    },
    /// A concession declared as already made.
    #[error("concession `{concession}` is declared as made: declare its effects in the initial state instead")]
    MadeConcession {
        /// The concession.
        concession: String,
    },
    /// The initial state breaks invariant I1: a satisfied node with an unsatisfied requirement.
    #[error("`{node}` is {status} but requires `{required}`, which is {required_status}")]
    Inconsistent {
        /// The satisfied node.
        node: String,
        /// Its status.
        status: Status,
        /// The unsatisfied requirement.
        required: String,
        /// Its status.
        required_status: Status,
    },
    /// More nodes than the index space holds (2³² − 1).
    #[error("the model has more than {max} nodes", max = u32::MAX - 1)]
    TooLarge,
}

/// Collects the declaration of a negotiation and validates it into a [`Negotiation`].
///
/// Methods append declarations; nothing is checked until [`build`](Self::build).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct NegotiationBuilder {
    /// Declared parties.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub parties: Vec<PartySpec>,
    /// Declared tracks.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub tracks: Vec<TrackSpec>,
    /// Declared topics.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub topics: Vec<TopicSpec>,
    /// Declared articles.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub articles: Vec<ArticleSpec>,
    /// Declared conditions.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub conditions: Vec<ConditionSpec>,
    /// Declared concessions.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub concessions: Vec<ConcessionSpec>,
    /// Declared requirements.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub requirements: Vec<RequirementSpec>,
}

impl NegotiationBuilder {
    /// An empty declaration.
    pub fn new() -> Self {
        Self::default()
    }
    /// Declares a party.
    pub fn party(mut self, id: impl Into<String>, name: impl Into<String>, role: Role) -> Self {
        self.parties.push(PartySpec {
            id: id.into(),
            name: name.into(),
            role,
        });
        self
    }
    /// Declares a track.
    pub fn track(mut self, track: TrackSpec) -> Self {
        self.tracks.push(track);
        self
    }
    /// Declares a topic.
    pub fn topic(mut self, id: impl Into<String>, title: impl Into<String>) -> Self {
        self.topics.push(TopicSpec {
            id: id.into(),
            title: title.into(),
        });
        self
    }
    /// Declares an article.
    pub fn article(mut self, article: ArticleSpec) -> Self {
        self.articles.push(article);
        self
    }
    /// Declares a condition.
    pub fn condition(mut self, condition: ConditionSpec) -> Self {
        self.conditions.push(condition);
        self
    }
    /// Declares a concession.
    pub fn concession(mut self, concession: ConcessionSpec) -> Self {
        self.concessions.push(concession);
        self
    }
    /// Declares that `node` requires `required`.
    pub fn requires(mut self, node: impl Into<String>, required: impl Into<String>) -> Self {
        self.requirements.push(RequirementSpec {
            node: node.into(),
            needs: Needs::Node(required.into()),
        });
        self
    }
    /// Declares that `node` requires any one of `alternatives`.
    pub fn requires_any_of<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        node: impl Into<String>,
        alternatives: I,
    ) -> Self {
        self.requirements.push(RequirementSpec {
            node: node.into(),
            needs: Needs::AnyOf(alternatives.into_iter().map(Into::into).collect()),
        });
        self
    }
    /// Declares `party`'s precondition on its own act of `stage` (`"peace.signed"`).
    pub fn precondition(
        self,
        party: impl AsRef<str>,
        stage: impl AsRef<str>,
        required: impl Into<String>,
    ) -> Self {
        let act = format!("{}.{}", stage.as_ref(), party.as_ref());
        self.requires(act, required)
    }

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
        Validator::default().run(self)
    }
}

#[derive(Default)]
struct Validator {
    neg: Negotiation,
}

fn dangling(path: String, expected: &'static str, id: &str) -> BuildError {
    BuildError::DanglingReference {
        path,
        expected,
        id: id.to_owned(),
    }
}

impl Validator {
    fn party(&self, path: impl FnOnce() -> String, id: &str) -> Result<PartyId, BuildError> {
        self.neg
            .party_index
            .get(id)
            .copied()
            .ok_or_else(|| dangling(path(), "party", id))
    }

    fn parties(&self, path: &str, ids: &[String]) -> Result<Vec<PartyId>, BuildError> {
        let mut parties = Vec::with_capacity(ids.len());
        for (j, p) in ids.iter().enumerate() {
            parties.push(self.party(|| format!("{path}[{j}]"), p)?);
        }
        parties.sort_unstable();
        parties.dedup();
        Ok(parties)
    }

    fn add_node(
        &mut self,
        path: impl FnOnce() -> String,
        kind: &'static str,
        key: String,
        data: NodeData,
    ) -> Result<NodeId, BuildError> {
        if self.neg.node_index.contains_key(&key) {
            return Err(BuildError::DuplicateId {
                path: path(),
                kind,
                id: key,
            });
        }
        let id = self.neg.graph.add_node().ok_or(BuildError::TooLarge)?;
        self.neg.node_index.insert(key.clone(), id);
        self.neg.nodes.push(Node { key, data });
        Ok(id)
    }

    fn run(mut self, b: NegotiationBuilder) -> Result<Negotiation, BuildError> {
        let spec = Arc::new(b);
        let b = &*spec;
        // Exact sizes where they are known; whatever grows past them is trimmed at the end.
        let stage_nodes: usize = b
            .tracks
            .iter()
            .flat_map(|t| &t.stages)
            .map(|s| 1 + s.performers.len().max(2))
            .sum();
        let nodes = b.articles.len() + b.conditions.len() + b.concessions.len() + stage_nodes;
        self.neg.graph = ReqGraph::with_capacity(nodes, b.requirements.len() + stage_nodes);
        self.neg.nodes.reserve(nodes);
        self.neg.node_index.reserve(nodes);

        for (i, p) in b.parties.iter().enumerate() {
            if self.neg.party_index.contains_key(&p.id) {
                return Err(BuildError::DuplicateId {
                    path: format!("parties[{i}].id"),
                    kind: "party",
                    id: p.id.clone(),
                });
            }
            self.neg
                .party_index
                .insert(p.id.clone(), PartyId::from_index(self.neg.parties.len()));
            self.neg.parties.push(Party {
                key: p.id.clone(),
                name: p.name.clone(),
                role: p.role,
            });
        }
        for (i, t) in b.topics.iter().enumerate() {
            if self.neg.topic_index.contains_key(&t.id) {
                return Err(BuildError::DuplicateId {
                    path: format!("topics[{i}].id"),
                    kind: "topic",
                    id: t.id.clone(),
                });
            }
            self.neg
                .topic_index
                .insert(t.id.clone(), TopicId::from_index(self.neg.topics.len()));
            self.neg.topics.push(Topic {
                key: t.id.clone(),
                title: t.title.clone(),
            });
        }
        let mut performed: Vec<NodeId> = Vec::new();
        for (i, t) in b.tracks.iter().enumerate() {
            self.track(i, t, &mut performed)?;
        }
        for (i, a) in b.articles.iter().enumerate() {
            self.article(i, a)?;
        }
        for (i, c) in b.conditions.iter().enumerate() {
            self.condition(i, c)?;
        }
        for (i, c) in b.concessions.iter().enumerate() {
            self.concession(i, c)?;
        }
        for (i, r) in b.requirements.iter().enumerate() {
            self.requirement(i, r)?;
        }
        for act in performed {
            if let NodeData::Act(a) = &mut self.neg.nodes[act.index()].data {
                a.performed = true;
            }
        }
        let order = match self.neg.graph.topological_order(self.neg.nodes.len()) {
            Ok(order) => order,
            Err(cycle) => {
                return Err(BuildError::Cycle {
                    nodes: cycle
                        .into_iter()
                        .map(|n| self.neg.key(n).to_owned())
                        .collect(),
                })
            }
        };
        self.neg.init_state(&order);
        self.check_consistency()?;
        self.neg.nodes.shrink_to_fit();
        self.neg.graph.shrink_to_fit();
        self.neg.initial = spec;
        Ok(self.neg)
    }

    fn track(
        &mut self,
        i: usize,
        t: &TrackSpec,
        performed: &mut Vec<NodeId>,
    ) -> Result<(), BuildError> {
        if self.neg.track_index.contains_key(&t.id) {
            return Err(BuildError::DuplicateId {
                path: format!("tracks[{i}].id"),
                kind: "track",
                id: t.id.clone(),
            });
        }
        let track_id = TrackId::from_index(self.neg.tracks.len());
        let principals = self.parties(&format!("tracks[{i}].principals"), &t.principals)?;
        for &p in &principals {
            let party = &self.neg.parties[p.index()];
            if party.role != Role::Principal {
                return Err(BuildError::NotAPrincipal {
                    track: t.id.clone(),
                    party: party.key.clone(),
                    role: party.role,
                });
            }
        }
        self.neg.track_index.insert(t.id.clone(), track_id);
        self.neg.tracks.push(Track {
            key: t.id.clone(),
            title: t.title.clone(),
            principals: principals.clone(),
            stages: Vec::new(),
        });
        let mut last_builtin: Option<&StageKind> = None;
        let mut previous_stage: Option<NodeId> = None;
        for (rank, s) in t.stages.iter().enumerate() {
            let path = format!("tracks[{i}].stages[{rank}]");
            let stage_key = format!("{}.{}", t.id, s.kind);
            if let (Some(prev), Some(r)) = (last_builtin, s.kind.rank()) {
                if prev.rank() >= Some(r) {
                    return Err(BuildError::StageOutOfOrder {
                        track: t.id.clone(),
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
                self.parties(&format!("{path}.performers"), &s.performers)?
            };
            if performers.is_empty() {
                return Err(BuildError::NoPerformers { stage: stage_key });
            }
            for &p in &performers {
                let party = &self.neg.parties[p.index()];
                if !party.role.can_perform(&s.kind) {
                    return Err(BuildError::RoleCannotPerform {
                        party: party.key.clone(),
                        role: party.role,
                        stage: stage_key,
                    });
                }
            }
            let stage = self.add_node(
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
                let act_key = format!("{stage_key}.{}", self.neg.parties[p.index()].key);
                let act = self.add_node(
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
                self.neg.graph.add_edge(stage, act, RequirementKind::Act);
                if let Some(prev) = previous_stage {
                    self.neg
                        .graph
                        .add_edge(act, prev, RequirementKind::PreviousStage);
                }
                acts.push((p, act));
            }
            for (j, p) in s.performed_by.iter().enumerate() {
                let pid = self.party(|| format!("{path}.performed_by[{j}]"), p)?;
                match acts.iter().find(|(q, _)| *q == pid) {
                    Some(&(_, act)) => performed.push(act),
                    None => {
                        return Err(BuildError::NotAPerformer {
                            stage: stage_key,
                            party: p.clone(),
                        })
                    }
                }
            }
            if let NodeData::Stage(st) = &mut self.neg.nodes[stage.index()].data {
                st.acts = acts;
            }
            self.neg.tracks[track_id.index()].stages.push(stage);
            previous_stage = Some(stage);
        }
        Ok(())
    }

    fn article(&mut self, i: usize, a: &ArticleSpec) -> Result<(), BuildError> {
        let path = format!("articles[{i}]");
        let track = *self
            .neg
            .track_index
            .get(&a.track)
            .ok_or_else(|| dangling(format!("{path}.track"), "track", &a.track))?;
        let mut article = Article {
            track,
            title: a.title.clone(),
            positions: Vec::new(),
            excluded: a.excluded,
            topics: Vec::new(),
        };
        for (p, pos) in &a.positions {
            let pid = self.party(|| format!("{path}.positions.{p}"), p)?;
            if !self.neg.tracks[track.index()].principals.contains(&pid) {
                return Err(BuildError::PositionOfNonPrincipal {
                    article: a.id.clone(),
                    party: p.clone(),
                    track: a.track.clone(),
                });
            }
            article.set_position(pid, *pos);
        }
        for (j, t) in a.topics.iter().enumerate() {
            let tid = *self
                .neg
                .topic_index
                .get(t)
                .ok_or_else(|| dangling(format!("{path}.topics[{j}]"), "topic", t))?;
            article.topics.push(tid);
        }
        article.topics.sort_unstable();
        article.topics.dedup();
        let excluded = article.excluded;
        let id = self.add_node(
            || format!("{path}.id"),
            "article",
            a.id.clone(),
            NodeData::Article(article),
        )?;
        if !excluded {
            for act in self.neg.first_stage_acts(track) {
                self.neg.graph.add_edge(act, id, RequirementKind::Article);
            }
        }
        Ok(())
    }

    fn condition(&mut self, i: usize, c: &ConditionSpec) -> Result<(), BuildError> {
        let path = format!("conditions[{i}]");
        let owed_by = self.parties(&format!("{path}.owed_by"), &c.owed_by)?;
        let demanded_by = match &c.demanded_by {
            Some(p) => Some(self.party(|| format!("{path}.demanded_by"), p)?),
            None => None,
        };
        self.add_node(
            || format!("{path}.id"),
            "condition",
            c.id.clone(),
            NodeData::Condition(Condition {
                description: c.description.clone(),
                owed_by,
                demanded_by,
                status: c.status,
            }),
        )?;
        Ok(())
    }

    fn concession(&mut self, i: usize, c: &ConcessionSpec) -> Result<(), BuildError> {
        let path = format!("concessions[{i}]");
        if c.status == ConcessionStatus::Made {
            return Err(BuildError::MadeConcession {
                concession: c.id.clone(),
            });
        }
        let by = self.party(|| format!("{path}.by"), &c.by)?;
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
            if self.neg.node_index.get(id).and_then(|&n| self.neg.kind(n)) != Some(expected) {
                return Err(dangling(at(field), expected.as_str(), id));
            }
            match e {
                Effect::Unlink { stage, .. }
                    if self
                        .neg
                        .node_index
                        .get(stage)
                        .and_then(|&n| self.neg.kind(n))
                        != Some(NodeKind::Stage) =>
                {
                    return Err(dangling(at("stage"), "stage", stage));
                }
                Effect::MoveArticle { to_track, .. }
                    if !self.neg.track_index.contains_key(to_track) =>
                {
                    return Err(dangling(at("to_track"), "track", to_track));
                }
                _ => {}
            }
        }
        self.add_node(
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

    fn node(&self, path: impl FnOnce() -> String, id: &str) -> Result<NodeId, BuildError> {
        self.neg
            .node_index
            .get(id)
            .copied()
            .ok_or_else(|| dangling(path(), "node", id))
    }

    fn requirement(&mut self, i: usize, r: &RequirementSpec) -> Result<(), BuildError> {
        let path = format!("requirements[{i}]");
        let node = self.node(|| format!("{path}.node"), &r.node)?;
        // A requirement on a stage applies to each of its acts.
        let requirers: Vec<NodeId> = match &self.neg.nodes[node.index()].data {
            NodeData::Stage(s) => s.acts.iter().map(|&(_, a)| a).collect(),
            _ => vec![node],
        };
        let target = match &r.needs {
            Needs::Node(t) => self.node(|| format!("{path}.requires"), t)?,
            Needs::AnyOf(alts) => {
                if alts.is_empty() {
                    return Err(BuildError::EmptyAnyOf {
                        node: r.node.clone(),
                    });
                }
                let mut targets = Vec::with_capacity(alts.len());
                for (j, a) in alts.iter().enumerate() {
                    targets.push(self.node(|| format!("{path}.requires_any_of[{j}]"), a)?);
                }
                targets.sort_unstable();
                targets.dedup();
                let key = format!("{}.any_of({})", r.node, alts.join("|"));
                let group = self.add_node(
                    || format!("{path}.requires_any_of"),
                    "any-of group",
                    key,
                    NodeData::AnyOf {
                        alternatives: targets.len() as u32,
                    },
                )?;
                for t in targets {
                    self.check_stage_order(node, t)?;
                    self.neg
                        .graph
                        .add_edge(group, t, RequirementKind::Alternative);
                }
                group
            }
        };
        for from in requirers {
            if from == target {
                return Err(BuildError::SelfRequirement {
                    node: r.node.clone(),
                });
            }
            self.check_stage_order(from, target)?;
            if self.neg.graph.edge(from, target).is_some() {
                return Err(BuildError::DuplicateRequirement {
                    node: self.neg.key(from).to_owned(),
                    required: self.neg.key(target).to_owned(),
                });
            }
            let kind = match self.neg.nodes[from.index()].data {
                NodeData::Act(_) => RequirementKind::Precondition,
                _ => RequirementKind::Requires,
            };
            self.neg.graph.add_edge(from, target, kind);
        }
        Ok(())
    }

    /// Refuses a stage or act requiring a later stage (or act of one) of its own track.
    fn check_stage_order(&self, from: NodeId, to: NodeId) -> Result<(), BuildError> {
        let place = |n: NodeId| -> Option<(TrackId, usize)> {
            let stage = match &self.neg.nodes[n.index()].data {
                NodeData::Stage(_) => n,
                NodeData::Act(a) => a.stage,
                _ => return None,
            };
            match &self.neg.nodes[stage.index()].data {
                NodeData::Stage(s) => Some((s.track, s.rank)),
                _ => None,
            }
        };
        if let (Some((t1, r1)), Some((t2, r2))) = (place(from), place(to)) {
            let to_is_stage = matches!(self.neg.nodes[to.index()].data, NodeData::Stage(_));
            if t1 == t2 && (r2 > r1 || (r2 == r1 && to_is_stage)) {
                return Err(BuildError::BackwardStage {
                    node: self.neg.key(from).to_owned(),
                    required: self.neg.key(to).to_owned(),
                    track: self.neg.tracks[t1.index()].key.clone(),
                });
            }
        }
        Ok(())
    }

    fn check_consistency(&self) -> Result<(), BuildError> {
        let neg = &self.neg;
        for (i, node) in neg.nodes.iter().enumerate() {
            let n = NodeId::from_index(i);
            if !neg.sat[i] || !neg.needs_requirements(n) {
                continue;
            }
            if let Some(r) = neg
                .sorted_requirements(n)
                .into_iter()
                .find(|r| !neg.sat[r.target.index()])
            {
                return Err(BuildError::Inconsistent {
                    node: node.key.clone(),
                    status: neg.status(n),
                    required: neg.key(r.target).to_owned(),
                    required_status: neg.status(r.target),
                });
            }
        }
        Ok(())
    }
}

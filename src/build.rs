//! The builder: specifications of parties, tracks, articles, conditions and concessions, and
//! their validation into a [`Negotiation`].

use std::sync::Arc;

use crate::graph::ReqGraph;
use crate::ids::{NodeId, Owner, PartyId, TrackId};
use crate::model::{
    Act, Article, Concession, ConcessionStatus, Condition, ConditionStatus, Effect, Group, Node,
    NodeData, NodeKind, Obligation, Party, Position, RequirementEdge, RequirementKind, Role, Stage,
    StageKind, Status, Threshold, Topic, Track,
};
use crate::schedule::{DueSpec, LongStopSpec, ScheduleSpec, Takes};
use crate::state::Negotiation;
use crate::time::Date;

/// A party to declare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct PartySpec {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// A stage of a track to declare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct TrackSpec {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The principals whose positions decide agreement on its articles. Listing a party here
    /// makes it a principal of this track, whatever its default role.
    pub principals: Vec<String>,
    /// Roles on this track other than principal (`{"usa": "mediator", "iaea": "signatory"}`),
    /// for parties whose role here differs from their default role. What a party may
    /// perform on the track follows its role there.
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            with = "crate::scenario::pairs",
            skip_serializing_if = "Vec::is_empty"
        )
    )]
    pub roles: Vec<(String, Role)>,
    /// Its stages, in order.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub stages: Vec<StageSpec>,
    /// Its long-stop date: a stage of it to reach by a date.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub long_stop: Option<LongStopSpec>,
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
            roles: Vec::new(),
            stages: Vec::new(),
            long_stop: None,
        }
    }
    /// Gives `party` a role on this track other than its default one (a principal is listed
    /// in `principals` instead).
    pub fn role(mut self, party: impl Into<String>, role: Role) -> Self {
        self.roles.push((party.into(), role));
        self
    }
    /// Appends a stage.
    pub fn stage(mut self, stage: impl Into<StageSpec>) -> Self {
        self.stages.push(stage.into());
        self
    }
    /// Sets the track's long-stop date: `stage` (one of its stages) must be reached by
    /// `date`. A missed long-stop is reported; with `lapses`, the track lapses (see
    /// [`LongStopSpec`]).
    pub fn long_stop(mut self, stage: StageKind, date: Date, lapses: bool) -> Self {
        self.long_stop = Some(LongStopSpec::new(stage, date, lapses));
        self
    }
}

/// An article to declare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
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
            with = "crate::scenario::pairs",
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
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
    /// Whether any one obligor meets it (`any`, the default) or each must do its part
    /// (`joint`).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_default"))]
    pub obligation: Obligation,
}

#[cfg(feature = "serde")]
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
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
            obligation: Obligation::Any,
        }
    }
    /// Makes it a joint obligation: each obligor must do its part.
    pub fn jointly(mut self) -> Self {
        self.obligation = Obligation::Joint;
        self
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Needs {
    /// One node.
    Node(String),
    /// Any one of these nodes.
    AnyOf(Vec<String>),
    /// At least `count` of these nodes ("ratification by 3 of the 4 partner states").
    AtLeast {
        /// How many.
        count: u32,
        /// The alternatives.
        of: Vec<String>,
    },
    /// Nodes whose weights add up to at least `weight` (a qualified majority; a double
    /// majority is two such requirements).
    Weight {
        /// The weight needed.
        at_least: u32,
        /// The alternatives with their weights.
        of: Vec<(String, u32)>,
    },
}

/// Why a declared requirement exists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BasisSpec {
    /// A requirement on an act is its performer's precondition; anywhere else (a stage, a
    /// condition, a concession) it is a procedure.
    #[default]
    Default,
    /// This party's precondition: the party must act on the node (perform the act, owe the
    /// condition, make the concession). On a stage, it applies to the party's act.
    Precondition(String),
    /// A rule of law or of the process, with an optional citation ("Art. 218(6) TFEU").
    Procedure(Option<String>),
}

/// A requirement to declare: `node` requires `needs`. A requirement on an act
/// (`"peace.signed.azerbaijan"`) is by default that party's precondition on its own act; a
/// requirement on a stage (`"peace.signed"`) applies to every act of the stage and is by
/// default a procedure, as is a requirement between conditions; `basis` says otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "crate::scenario::RequirementWire",
        into = "crate::scenario::RequirementWire"
    )
)]
#[non_exhaustive]
#[must_use]
pub struct RequirementSpec {
    /// The requiring node's id.
    pub node: String,
    /// What it needs.
    pub needs: Needs,
    /// Why it exists.
    pub basis: BasisSpec,
    /// For a requirement group (any-of or threshold), the id its node gets
    /// (`"council_qmv"`); by default one made of the requiring node and the alternatives
    /// (`"deal.signed.a.any_of(loan|bonds)"`).
    pub group: Option<String>,
}

impl RequirementSpec {
    /// `node` requires `needs`, on the default basis.
    pub fn new(node: impl Into<String>, needs: Needs) -> Self {
        RequirementSpec {
            node: node.into(),
            needs,
            basis: BasisSpec::Default,
            group: None,
        }
    }
    /// Names the requirement group this requirement creates.
    pub fn group(mut self, id: impl Into<String>) -> Self {
        self.group = Some(id.into());
        self
    }
    /// Makes it `party`'s precondition.
    pub fn precondition_of(mut self, party: impl Into<String>) -> Self {
        self.basis = BasisSpec::Precondition(party.into());
        self
    }
    /// Makes it a procedure, with an optional citation.
    pub fn procedure(mut self, citation: Option<String>) -> Self {
        self.basis = BasisSpec::Procedure(citation);
        self
    }
}

/// A topic to declare.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
pub struct TopicSpec {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Why a model was refused. Each variant starts with the path to the offending entry of the
/// declaration (`requirements[3].requires_any_of[1]`, `tracks[0].stages[2].performers[1]`) and
/// names the ids involved.
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// Two things of the same namespace share an id. Parties, tracks and topics each have a
    /// namespace; articles, conditions, concessions, stages, acts and requirement groups share
    /// one.
    #[error("{path}: duplicate {kind} id `{id}`")]
    DuplicateId {
        /// Where the second declaration stands (`conditions[3].id`).
        path: String,
        /// What kind of thing.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A reference to something that was not declared.
    #[error("{path}: unknown {expected} `{id}`{}", crate::state::did_you_mean(.suggestion))]
    DanglingReference {
        /// Where the reference stands (`conditions[3].owed_by[0]`).
        path: String,
        /// What kind of thing was expected.
        expected: &'static str,
        /// The unknown id.
        id: String,
        /// The nearest declared id of that kind, if one is near.
        suggestion: Option<String>,
    },
    /// A stage (or one of its acts) requires a later stage of its own track: a cycle no move
    /// could ever break.
    #[error("{path}: `{node}` requires `{required}`, a later stage of its own track `{track}`")]
    BackwardStage {
        /// The requirement's entry.
        path: String,
        /// The requiring stage or act.
        node: String,
        /// The required later stage or act.
        required: String,
        /// The track.
        track: String,
    },
    /// A built-in stage stands before one that comes earlier in the canonical order.
    #[error("{path}: stage `{stage}` comes after `{previous}`; built-in stages go finalized, initialed, signed, ratified, in_force")]
    StageOutOfOrder {
        /// The stage's entry (`tracks[0].stages[1].kind`).
        path: String,
        /// The misplaced stage.
        stage: String,
        /// The stage it follows.
        previous: String,
    },
    /// A party performs a stage its role on the track does not allow (an institution
    /// signing without being declared a signatory of the track).
    #[error("{path}: `{party}` ({role} on this track) cannot perform `{stage}`")]
    RoleCannotPerform {
        /// The performer's entry.
        path: String,
        /// The party.
        party: String,
        /// Its role on the track.
        role: Role,
        /// The stage.
        stage: String,
    },
    /// A party is given two roles on one track (listed as a principal and given another
    /// role, or given a role twice), or the principal role through `roles` (principals are
    /// listed in `principals`).
    #[error("{path}: `{party}` already has a role on track `{track}`")]
    ConflictingRole {
        /// The role's entry (`tracks[0].roles.usa`).
        path: String,
        /// The party.
        party: String,
        /// The track.
        track: String,
    },
    /// A position held by a party that is not a principal of the article's track.
    #[error("{path}: `{party}` holds a position on `{article}` but is not a principal of track `{track}`")]
    PositionOfNonPrincipal {
        /// The position's entry.
        path: String,
        /// The article.
        article: String,
        /// The party.
        party: String,
        /// The article's track.
        track: String,
    },
    /// A stage with nobody to perform it.
    #[error("{path}: stage `{stage}` has no performers")]
    NoPerformers {
        /// The stage's entry.
        path: String,
        /// The stage.
        stage: String,
    },
    /// An act marked performed for a party that does not perform the stage.
    #[error("{path}: `{party}` is marked as performed on `{stage}` but is not a performer")]
    NotAPerformer {
        /// The entry.
        path: String,
        /// The stage.
        stage: String,
        /// The party.
        party: String,
    },
    /// A node requires itself.
    #[error("{path}: `{node}` requires itself")]
    SelfRequirement {
        /// The requirement's entry.
        path: String,
        /// The node.
        node: String,
    },
    /// The same requirement is declared twice.
    #[error("{path}: `{node}` requires `{required}` twice")]
    DuplicateRequirement {
        /// The second requirement's entry.
        path: String,
        /// The requiring node.
        node: String,
        /// The required node.
        required: String,
    },
    /// A requirement group with no alternatives, the same alternative twice, a weight of 0,
    /// or a threshold that its alternatives cannot reach.
    #[error("{path}: requirement group of `{node}`: {problem}")]
    BadGroup {
        /// The group's entry.
        path: String,
        /// The requiring node.
        node: String,
        /// What is wrong.
        problem: String,
    },
    /// A requirement declared on a requirement group (its requirements are its alternatives).
    #[error("{path}: `{node}` is a requirement group; declare the requirement on the node that needs the group")]
    RequirementOnGroup {
        /// The requirement's entry.
        path: String,
        /// The group.
        node: String,
    },
    /// A precondition attributed to a party that does not act on the node (a precondition is
    /// a party's condition on its own act, or on a condition or concession of its own).
    #[error(
        "{path}: `{party}` cannot attach a precondition to `{node}`, which it does not act on"
    )]
    NotOwnPrecondition {
        /// The entry naming the party.
        path: String,
        /// The party.
        party: String,
        /// The node.
        node: String,
    },
    /// A concession declared as already made.
    #[error("{path}: concession `{concession}` is declared as made: declare its effects in the initial state instead")]
    MadeConcession {
        /// The concession's entry.
        path: String,
        /// The concession.
        concession: String,
    },
    /// The initial state breaks [invariant I1](crate#guarantees): a satisfied node with an unsatisfied requirement.
    #[error("{path}: `{node}` is {status} but requires `{required}`, which is {required_status}")]
    Inconsistent {
        /// The entry that declares the node satisfied (its status, or the stage's
        /// `performed_by`).
        path: String,
        /// The satisfied node.
        node: String,
        /// Its status.
        status: Status,
        /// The unsatisfied requirement.
        required: String,
        /// Its status.
        required_status: Status,
    },
    /// A schedule entry that does not fit its node: a due date on something other than a
    /// condition, act or stage, a duration on something other than a condition or act, a
    /// second due date or duration, a deadline anchored on its own node, a maximum shorter
    /// than the minimum.
    #[error("{path}: cannot schedule `{node}`: {reason}")]
    Schedule {
        /// The entry's field (`schedule[2].takes`).
        path: String,
        /// The node.
        node: String,
        /// Why.
        reason: String,
    },
    /// An id that cannot be one: empty, or holding whitespace or control characters.
    #[error("{path}: {kind} id {id:?}: {reason}")]
    BadId {
        /// Where it stands (`conditions[3].id`).
        path: String,
        /// What kind of thing.
        kind: &'static str,
        /// The id.
        id: String,
        /// Why.
        reason: &'static str,
    },
    /// More nodes than the index space holds (2³² − 1).
    #[error("the model has more than {max} nodes", max = u32::MAX - 1)]
    TooLarge,
}

impl BuildError {
    /// The path to the offending entry of the declaration (`""` for [`TooLarge`](Self::TooLarge)).
    pub fn path(&self) -> &str {
        match self {
            BuildError::DuplicateId { path, .. }
            | BuildError::DanglingReference { path, .. }
            | BuildError::BackwardStage { path, .. }
            | BuildError::StageOutOfOrder { path, .. }
            | BuildError::RoleCannotPerform { path, .. }
            | BuildError::ConflictingRole { path, .. }
            | BuildError::PositionOfNonPrincipal { path, .. }
            | BuildError::NoPerformers { path, .. }
            | BuildError::NotAPerformer { path, .. }
            | BuildError::SelfRequirement { path, .. }
            | BuildError::DuplicateRequirement { path, .. }
            | BuildError::BadGroup { path, .. }
            | BuildError::RequirementOnGroup { path, .. }
            | BuildError::NotOwnPrecondition { path, .. }
            | BuildError::MadeConcession { path, .. }
            | BuildError::Inconsistent { path, .. }
            | BuildError::Schedule { path, .. }
            | BuildError::BadId { path, .. } => path,
            BuildError::TooLarge => "",
        }
    }
}

/// Collects the declaration of a negotiation and validates it into a [`Negotiation`].
///
/// Methods append declarations; nothing is checked until [`build`](Self::build).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
#[must_use]
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
    /// Declared due dates and durations.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub schedule: Vec<ScheduleSpec>,
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
    /// Declares a requirement.
    pub fn requirement(mut self, requirement: RequirementSpec) -> Self {
        self.requirements.push(requirement);
        self
    }
    /// Declares that `node` requires `required`, on the default basis (see [`BasisSpec`]).
    pub fn requires(self, node: impl Into<String>, required: impl Into<String>) -> Self {
        self.requirement(RequirementSpec::new(node, Needs::Node(required.into())))
    }
    /// Declares that `node` requires `required` by a procedure, with an optional citation.
    pub fn procedure(
        self,
        node: impl Into<String>,
        required: impl Into<String>,
        citation: Option<&str>,
    ) -> Self {
        self.requirement(
            RequirementSpec::new(node, Needs::Node(required.into()))
                .procedure(citation.map(str::to_owned)),
        )
    }
    /// Declares that `node` requires any one of `alternatives`.
    pub fn requires_any_of<I: IntoIterator<Item = S>, S: Into<String>>(
        self,
        node: impl Into<String>,
        alternatives: I,
    ) -> Self {
        self.requirement(RequirementSpec::new(
            node,
            Needs::AnyOf(alternatives.into_iter().map(Into::into).collect()),
        ))
    }
    /// Declares that `node` requires at least `count` of `alternatives`.
    pub fn requires_at_least<I: IntoIterator<Item = S>, S: Into<String>>(
        self,
        node: impl Into<String>,
        count: u32,
        alternatives: I,
    ) -> Self {
        self.requirement(RequirementSpec::new(
            node,
            Needs::AtLeast {
                count,
                of: alternatives.into_iter().map(Into::into).collect(),
            },
        ))
    }
    /// Declares that `node` requires alternatives whose weights add up to at least
    /// `at_least`.
    pub fn requires_weight<I: IntoIterator<Item = (S, u32)>, S: Into<String>>(
        self,
        node: impl Into<String>,
        at_least: u32,
        alternatives: I,
    ) -> Self {
        self.requirement(RequirementSpec::new(
            node,
            Needs::Weight {
                at_least,
                of: alternatives
                    .into_iter()
                    .map(|(n, w)| (n.into(), w))
                    .collect(),
            },
        ))
    }
    /// Declares a schedule entry (a due date, a duration, or both).
    pub fn schedule(mut self, entry: ScheduleSpec) -> Self {
        self.schedule.push(entry);
        self
    }
    /// Declares when `node` (a condition, an act or a stage) is due.
    pub fn due(self, node: impl Into<String>, due: DueSpec) -> Self {
        self.schedule(ScheduleSpec {
            node: node.into(),
            due: Some(due),
            takes: None,
        })
    }
    /// Declares how long `node` (a condition or an act) takes once its requirements are met.
    pub fn takes(self, node: impl Into<String>, takes: Takes) -> Self {
        self.schedule(ScheduleSpec {
            node: node.into(),
            due: None,
            takes: Some(takes),
        })
    }
    /// Declares `party`'s precondition on its own act of `stage` (`"peace.signed"`).
    pub fn precondition(
        self,
        party: impl AsRef<str>,
        stage: impl AsRef<str>,
        required: impl Into<String>,
    ) -> Self {
        let act = format!("{}.{}", stage.as_ref(), party.as_ref());
        self.requirement(
            RequirementSpec::new(act, Needs::Node(required.into())).precondition_of(party.as_ref()),
        )
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
        self.build_as(Owner::fresh())
    }

    /// [`build`](Self::build), the negotiation's handles stamped `owner`: a state rebuilt
    /// from a negotiation's history keeps its stamp, so its handles stay valid there.
    pub(crate) fn build_as(self, owner: Owner) -> Result<Negotiation, BuildError> {
        Validator::default().run(self, owner)
    }
}

#[derive(Default)]
struct Validator {
    neg: Negotiation,
}

/// Why `id` cannot be an id, if it cannot: ids are not empty and hold no whitespace or
/// control characters (they stand in files, reports and composed ids like `deal.signed.a`).
pub(crate) fn bad_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("an id is not empty")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("an id holds no whitespace or control characters")
    } else if id.starts_with('.') || id.ends_with('.') || id.contains("..") {
        Some("an id has no empty `.`-separated part")
    } else {
        None
    }
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
    fn run(mut self, b: NegotiationBuilder, owner: Owner) -> Result<Negotiation, BuildError> {
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
        self.neg.graph = ReqGraph::with_capacity(owner, nodes, b.requirements.len() + stage_nodes);
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
        for (i, c) in b.conditions.iter().enumerate() {
            self.condition(i, c)?;
        }
        for (i, c) in b.concessions.iter().enumerate() {
            self.concession(i, c)?;
        }
        for (i, r) in b.requirements.iter().enumerate() {
            self.requirement(i, r)?;
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

    fn article(&mut self, i: usize, a: &ArticleSpec) -> Result<(), BuildError> {
        let path = format!("articles[{i}]");
        let track = *self.neg.track_index.get(&a.track).ok_or_else(|| {
            self.neg
                .dangling(format!("{path}.track"), "track", &a.track)
        })?;
        let mut article = Article {
            track,
            title: a.title.clone(),
            positions: Vec::new(),
            excluded: a.excluded,
            topics: Vec::new(),
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
        for (j, t) in a.topics.iter().enumerate() {
            let tid = *self
                .neg
                .topic_index
                .get(t)
                .ok_or_else(|| self.neg.dangling(format!("{path}.topics[{j}]"), "topic", t))?;
            article.topics.push(tid);
        }
        article.topics.sort_unstable();
        article.topics.dedup();
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
        let path = format!("conditions[{i}]");
        let owed_by = self
            .neg
            .parties_at(&format!("{path}.owed_by"), &c.owed_by)?;
        let demanded_by = match &c.demanded_by {
            Some(p) => Some(self.neg.party_at(|| format!("{path}.demanded_by"), p)?),
            None => None,
        };
        self.neg.declare_node(
            || format!("{path}.id"),
            "condition",
            c.id.clone(),
            NodeData::Condition(Condition {
                description: c.description.clone(),
                owed_by,
                demanded_by,
                status: c.status,
                obligation: c.obligation,
                done: Vec::new(),
            }),
        )?;
        Ok(())
    }

    fn concession(&mut self, i: usize, c: &ConcessionSpec) -> Result<(), BuildError> {
        let path = format!("concessions[{i}]");
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
            if self.neg.node_index.get(id).and_then(|&n| self.neg.kind(n)) != Some(expected) {
                return Err(self.neg.dangling(at(field), expected.as_str(), id));
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
        let path = format!("requirements[{i}]");
        let resolved = self.neg.resolve_requirement(&path, r)?;
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
        for from in resolved.requirers {
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
                    node: node.key.clone(),
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
    pub(crate) requirers: Vec<NodeId>,
    pub(crate) edge: RequirementEdge,
    pub(crate) citation: Option<String>,
    pub(crate) target: ReqTarget,
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
        path: &str,
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
        if self.node_index.contains_key(&key) {
            return Err(BuildError::DuplicateId {
                path: at(),
                kind,
                id: key,
            });
        }
        let id = self.graph.add_node().ok_or(BuildError::TooLarge)?;
        self.node_index.insert(key.clone(), id);
        self.nodes.push(Node { key, data });
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
        let principals = self.parties_at(&format!("{at}.principals"), &t.principals)?;
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
                self.parties_at(&format!("{path}.performers"), &s.performers)?
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
        self.node_index
            .get(id)
            .copied()
            .ok_or_else(|| self.dangling(path(), "node", id))
    }

    /// Checks a requirement declaration (in a model, or in a `require` move) against this
    /// negotiation: every id known, the basis's party acting on the node, the group well
    /// formed, no self-requirement, duplicate, or requirement of a later stage of the
    /// node's own track. Adds nothing.
    pub(crate) fn resolve_requirement(
        &self,
        path: &str,
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
                (vec![own], RequirementEdge::precondition(p), None)
            }
            BasisSpec::Procedure(citation) => {
                let requirers = match data {
                    NodeData::Stage(s) => s.acts.iter().map(|&(_, a)| a).collect(),
                    _ => vec![node],
                };
                (
                    requirers,
                    RequirementEdge::of(RequirementKind::Procedure),
                    citation.clone(),
                )
            }
            BasisSpec::Default => match data {
                NodeData::Stage(s) => (
                    s.acts.iter().map(|&(_, a)| a).collect(),
                    RequirementEdge::of(RequirementKind::Procedure),
                    None,
                ),
                NodeData::Act(a) => (vec![node], RequirementEdge::precondition(a.party), None),
                _ => (
                    vec![node],
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
                for &from in &requirers {
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
        for &from in &requirers {
            for &(t, _) in &targets {
                if from == t {
                    return Err(BuildError::SelfRequirement {
                        path: path.to_owned(),
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
    fn check_new_edge(&self, path: &str, from: NodeId, to: NodeId) -> Result<(), BuildError> {
        if from == to {
            return Err(BuildError::SelfRequirement {
                path: path.to_owned(),
                node: self.key_of(from).to_owned(),
            });
        }
        self.check_stage_order(path, from, to)?;
        if self.graph.edge(from, to).is_some() {
            return Err(BuildError::DuplicateRequirement {
                path: path.to_owned(),
                node: self.key_of(from).to_owned(),
                required: self.key_of(to).to_owned(),
            });
        }
        Ok(())
    }

    /// Refuses a stage or act requiring a later stage (or act of one) of its own track.
    fn check_stage_order(&self, path: &str, from: NodeId, to: NodeId) -> Result<(), BuildError> {
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
                    path: path.to_owned(),
                    node: self.key_of(from).to_owned(),
                    required: self.key_of(to).to_owned(),
                    track: self.tracks[t1.index()].key.clone(),
                });
            }
        }
        Ok(())
    }
}

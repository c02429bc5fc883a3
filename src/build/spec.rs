//! What a declaration is made of: the specifications of parties, tracks and stages, topics,
//! articles, conditions, concessions and requirements.

use crate::model::{
    ConcessionStatus, ConditionStatus, Effect, Obligation, Position, Role, StageKind,
};
use crate::schedule::LongStopSpec;
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
            with = "crate::serde_maps::pairs",
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
            with = "crate::serde_maps::pairs",
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

//! `NegotiationBuilder`: a declaration, collected call by call.

use crate::model::Role;
use crate::schedule::{DueSpec, ScheduleSpec, Takes};

use super::spec::{
    ArticleSpec, ConcessionSpec, ConditionSpec, Needs, PartySpec, RequirementSpec, TopicSpec,
    TrackSpec,
};

/// Collects the declaration of a negotiation and validates it into a [`Negotiation`](crate::Negotiation).
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
    /// Releases the capacity of its lists beyond their length: a negotiation keeps its
    /// declaration for replay, and a list grown by doubling can be twice its length.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.parties.shrink_to_fit();
        self.tracks.shrink_to_fit();
        self.topics.shrink_to_fit();
        self.articles.shrink_to_fit();
        self.conditions.shrink_to_fit();
        self.concessions.shrink_to_fit();
        self.requirements.shrink_to_fit();
        self.schedule.shrink_to_fit();
    }

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
    /// Declares that `node` requires `required`, on the default basis (see [`BasisSpec`](crate::BasisSpec)).
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
        self.schedule(ScheduleSpec::new(node).due(due))
    }
    /// Declares how long `node` (a condition or an act) takes once its requirements are met.
    pub fn takes(self, node: impl Into<String>, takes: Takes) -> Self {
        self.schedule(ScheduleSpec::new(node).takes(takes))
    }
    /// Declares `party`'s precondition `required` on its own act of `stage`
    /// (`"peace.signed"`): the party, the node it requires, then where the requirement
    /// attaches, in the order of [`Move::link`](crate::Move::link).
    pub fn precondition(
        self,
        party: impl AsRef<str>,
        required: impl Into<String>,
        stage: impl AsRef<str>,
    ) -> Self {
        let act = format!("{}.{}", stage.as_ref(), party.as_ref());
        self.requirement(
            RequirementSpec::new(act, Needs::Node(required.into())).precondition_of(party.as_ref()),
        )
    }
}

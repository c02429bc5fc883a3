//! The vocabulary of a negotiation: roles, stages, positions, statuses, and the node data a
//! [`Negotiation`](crate::Negotiation) holds.

use std::fmt;

use crate::ids::{NodeId, PartyId, TopicId, TrackId};
use crate::time::Date;

/// What a party is in the negotiation. The role decides which stages it may perform
/// (see [`Role::can_perform`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Role {
    /// Negotiates, holds positions on articles, and signs.
    Principal,
    /// Brokers the talks; may initial or sign as a witness.
    Mediator,
    /// Follows the talks; performs only custom stages.
    Observer,
    /// Guarantees the outcome; may initial or sign as a witness.
    Guarantor,
    /// A court, an international organisation: acts (fulfils conditions) but does not sign.
    Institution,
    /// Witnesses a signature: may initial or sign as a witness, like a mediator, without
    /// brokering the talks.
    Witness,
    /// Signs a track's text without holding positions on its articles: an institution that
    /// is a party to a roadmap it did not negotiate as a principal.
    Signatory,
}

impl Role {
    /// Whether a party with this role may perform `stage`.
    ///
    /// | stage | principal | signatory | mediator, guarantor, witness | observer, institution |
    /// |---|---|---|---|---|
    /// | finalized | yes | no | no | no |
    /// | initialed, signed | yes | yes | yes (as witness) | no |
    /// | ratified, in force | yes | yes | no | no |
    /// | custom | yes | yes | yes | yes |
    ///
    /// A party's role can differ per track ([`TrackSpec::roles`](crate::TrackSpec::roles));
    /// what it may perform on a track follows its role there
    /// ([`Negotiation::role_on`](crate::Negotiation::role_on)).
    #[must_use]
    pub fn can_perform(self, stage: &StageKind) -> bool {
        match stage {
            StageKind::Custom(_) => true,
            StageKind::Initialed | StageKind::Signed => matches!(
                self,
                Role::Principal
                    | Role::Signatory
                    | Role::Mediator
                    | Role::Guarantor
                    | Role::Witness
            ),
            StageKind::Ratified | StageKind::InForce => {
                matches!(self, Role::Principal | Role::Signatory)
            }
            StageKind::Finalized => self == Role::Principal,
        }
    }

    /// The role's name in lower case, as used in messages.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Principal => "principal",
            Role::Mediator => "mediator",
            Role::Observer => "observer",
            Role::Guarantor => "guarantor",
            Role::Institution => "institution",
            Role::Witness => "witness",
            Role::Signatory => "signatory",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step of a track. Built-in kinds must appear in this order within a track; custom stages
/// may stand anywhere.
///
/// In files a stage is its name (`"signed"`, `"referendum"`); a custom stage whose name is a
/// built-in one is written `{"custom": "signed"}`, so that it reads back as custom.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "StageKindWire", into = "StageKindWire")
)]
#[non_exhaustive]
pub enum StageKind {
    /// The text is agreed: every active article of the track is agreed by every principal.
    Finalized,
    /// The text is initialed.
    Initialed,
    /// The text is signed. Irreversible.
    Signed,
    /// The text is ratified. Irreversible.
    Ratified,
    /// The agreement is in force. Irreversible.
    InForce,
    /// A stage of the user's own (reversible).
    Custom(String),
}

/// Parses a stage name; anything that is not a built-in name is a custom stage, so parsing
/// never fails:
///
/// ```
/// use negotiation::StageKind;
/// assert_eq!("in_force".parse(), Ok(StageKind::InForce));
/// assert_eq!("referendum".parse(), Ok(StageKind::Custom("referendum".into())));
/// ```
impl std::str::FromStr for StageKind {
    type Err = std::convert::Infallible;

    fn from_str(name: &str) -> Result<StageKind, Self::Err> {
        Ok(match name {
            "finalized" => StageKind::Finalized,
            "initialed" => StageKind::Initialed,
            "signed" => StageKind::Signed,
            "ratified" => StageKind::Ratified,
            "in_force" => StageKind::InForce,
            other => StageKind::Custom(other.to_owned()),
        })
    }
}

impl StageKind {
    /// Parses a stage name (infallible; see [`FromStr`](std::str::FromStr)).
    fn named(name: &str) -> StageKind {
        match name.parse() {
            Ok(kind) => kind,
            Err(never) => match never {},
        }
    }

    /// The stage's name as used in node keys: `finalized`, `initialed`, `signed`, `ratified`,
    /// `in_force`, or the custom name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            StageKind::Finalized => "finalized",
            StageKind::Initialed => "initialed",
            StageKind::Signed => "signed",
            StageKind::Ratified => "ratified",
            StageKind::InForce => "in_force",
            StageKind::Custom(name) => name,
        }
    }

    /// Whether an act of this stage, once performed, stays performed (`signed` and later).
    /// A move that would undo a requirement of such an act is refused.
    #[must_use]
    pub fn is_irreversible(&self) -> bool {
        matches!(
            self,
            StageKind::Signed | StageKind::Ratified | StageKind::InForce
        )
    }

    /// The rank of a built-in kind in the canonical order; `None` for custom stages.
    pub(crate) fn rank(&self) -> Option<u8> {
        match self {
            StageKind::Finalized => Some(0),
            StageKind::Initialed => Some(1),
            StageKind::Signed => Some(2),
            StageKind::Ratified => Some(3),
            StageKind::InForce => Some(4),
            StageKind::Custom(_) => None,
        }
    }
}

/// A stage kind in a file: a name, or `{"custom": name}`.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged, deny_unknown_fields)]
enum StageKindWire {
    Name(String),
    Custom { custom: String },
}

#[cfg(feature = "serde")]
impl From<StageKindWire> for StageKind {
    fn from(w: StageKindWire) -> StageKind {
        match w {
            StageKindWire::Name(name) => StageKind::named(&name),
            StageKindWire::Custom { custom } => StageKind::Custom(custom),
        }
    }
}

#[cfg(feature = "serde")]
impl From<StageKind> for StageKindWire {
    fn from(kind: StageKind) -> StageKindWire {
        match kind {
            StageKind::Custom(name)
                if StageKind::named(&name) != StageKind::Custom(name.clone()) =>
            {
                StageKindWire::Custom { custom: name }
            }
            other => StageKindWire::Name(other.as_str().to_owned()),
        }
    }
}

impl From<String> for StageKind {
    fn from(name: String) -> StageKind {
        StageKind::named(&name)
    }
}

impl From<StageKind> for String {
    fn from(kind: StageKind) -> String {
        kind.as_str().to_owned()
    }
}

impl fmt::Display for StageKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A principal's position on an article.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Position {
    /// The principal has not said.
    #[default]
    NotStated,
    /// The principal accepts the article's current text.
    Accepts,
    /// The principal rejects the article's current text.
    Rejects,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Position::NotStated => "not stated",
            Position::Accepts => "accepts",
            Position::Rejects => "rejects",
        })
    }
}

/// The status of a condition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ConditionStatus {
    /// Not yet true.
    #[default]
    Unmet,
    /// Made true by an obligor.
    Met,
    /// Given up by its demander. A waived condition no longer needs its own requirements.
    Waived,
    /// An obligor disputes that it is owed. Still unmet.
    Contested,
}

/// The status of a concession.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ConcessionStatus {
    /// Declared (a party could make it) but not on the table.
    #[default]
    Possible,
    /// On the table.
    Offered,
    /// Made: its effects were applied. Final.
    Made,
    /// Taken off the table; it can be offered again.
    Retracted,
}

/// The status of any node, flattened for reports and transitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Status {
    /// An article some principal of its track has not accepted.
    Open,
    /// An article every principal of its track accepts.
    Agreed,
    /// An article dropped from every text.
    Excluded,
    /// A condition not yet true.
    Unmet,
    /// A condition made true.
    Met,
    /// A condition given up by its demander.
    Waived,
    /// A condition whose obligor disputes it (still unmet).
    Contested,
    /// A concession declared but not on the table.
    Possible,
    /// A concession on the table.
    Offered,
    /// A concession made.
    Made,
    /// A concession taken off the table.
    Retracted,
    /// An act not yet performed.
    Pending,
    /// An act performed.
    Performed,
    /// A stage some act of which is pending.
    NotReached,
    /// A stage every act of which is performed.
    Reached,
    /// A requirement group whose threshold is not reached.
    Unsatisfied,
    /// A requirement group whose threshold is reached.
    Satisfied,
}

impl Status {
    /// The status in lower case, as printed in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Agreed => "agreed",
            Status::Excluded => "excluded",
            Status::Unmet => "unmet",
            Status::Met => "met",
            Status::Waived => "waived",
            Status::Contested => "contested",
            Status::Possible => "possible",
            Status::Offered => "offered",
            Status::Made => "made",
            Status::Retracted => "retracted",
            Status::Pending => "pending",
            Status::Performed => "performed",
            Status::NotReached => "not reached",
            Status::Reached => "reached",
            Status::Unsatisfied => "unsatisfied",
            Status::Satisfied => "satisfied",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ConditionStatus> for Status {
    fn from(s: ConditionStatus) -> Status {
        match s {
            ConditionStatus::Unmet => Status::Unmet,
            ConditionStatus::Met => Status::Met,
            ConditionStatus::Waived => Status::Waived,
            ConditionStatus::Contested => Status::Contested,
        }
    }
}

impl From<ConcessionStatus> for Status {
    fn from(s: ConcessionStatus) -> Status {
        match s {
            ConcessionStatus::Possible => Status::Possible,
            ConcessionStatus::Offered => Status::Offered,
            ConcessionStatus::Made => Status::Made,
            ConcessionStatus::Retracted => Status::Retracted,
        }
    }
}

/// The kind of a node, without its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum NodeKind {
    /// See [`Article`].
    Article,
    /// See [`Condition`].
    Condition,
    /// See [`Concession`].
    Concession,
    /// See [`Stage`].
    Stage,
    /// See [`Act`].
    Act,
    /// A requirement group: an any-of group (satisfied when one of its alternatives is) or
    /// a threshold (at least k of n alternatives, or a weight of at least W).
    Group,
}

impl NodeKind {
    /// `an article`, `a stage`, as messages say it.
    pub(crate) fn with_article(self) -> String {
        let name = self.as_str();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// The kind in lower case, as printed in reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Article => "article",
            NodeKind::Condition => "condition",
            NodeKind::Concession => "concession",
            NodeKind::Stage => "stage",
            NodeKind::Act => "act",
            NodeKind::Group => "requirement group",
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a node requires another: the type of one step of an explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RequirementKind {
    /// A stage requires the act of one of its performers.
    Act,
    /// An act requires the previous stage of its track.
    PreviousStage,
    /// An act of a track's first stage requires an active article of the track.
    Article,
    /// A rule of law or of the process ("the amendment requires a referendum", "consent of
    /// Parliament, Art. 218(6) TFEU"). Nobody demands it; it may carry a citation
    /// ([`Negotiation::citation`](crate::Negotiation::citation)).
    Procedure,
    /// A requirement a party attached to its own act, or to a condition it owes ("I will not
    /// sign until C"): that party demands it.
    Precondition,
    /// A requirement group (any-of or threshold) requires one of its alternatives.
    Alternative,
}

/// Why a requirement exists: whose demand it is, if anyone's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Basis {
    /// A party's precondition on its own act (or on a condition it owes): that party demands it.
    Precondition(PartyId),
    /// A rule of law or of the process; nobody demands it.
    Procedure,
    /// The model's structure: stage order, a stage's acts, a track's articles, a group's
    /// alternatives.
    Structure,
}

/// The data of one edge of the requirement graph (the edge weight of
/// `Negotiation::as_petgraph`, feature `petgraph`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RequirementEdge {
    /// How it is required.
    pub kind: RequirementKind,
    /// For a precondition: the party whose precondition it is.
    pub by: Option<PartyId>,
    /// For an alternative of a weighted threshold: its weight; 1 otherwise.
    pub weight: u32,
}

impl RequirementEdge {
    /// A structural or procedural edge of weight 1.
    pub(crate) fn of(kind: RequirementKind) -> Self {
        RequirementEdge {
            kind,
            by: None,
            weight: 1,
        }
    }

    /// A party's precondition.
    pub(crate) fn precondition(party: PartyId) -> Self {
        RequirementEdge {
            kind: RequirementKind::Precondition,
            by: Some(party),
            weight: 1,
        }
    }

    /// The requirement's basis.
    #[must_use]
    pub fn basis(&self) -> Basis {
        match (self.kind, self.by) {
            (RequirementKind::Precondition, Some(p)) => Basis::Precondition(p),
            (RequirementKind::Procedure | RequirementKind::Precondition, _) => Basis::Procedure,
            _ => Basis::Structure,
        }
    }
}

/// One outgoing requirement of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Requirement {
    /// The required node.
    pub target: NodeId,
    /// How it is required.
    pub kind: RequirementKind,
    /// For a precondition: the party whose precondition it is.
    pub by: Option<PartyId>,
    /// For an alternative of a weighted threshold: its weight; 1 otherwise.
    pub weight: u32,
}

impl Requirement {
    pub(crate) fn new(target: NodeId, edge: RequirementEdge) -> Self {
        Requirement {
            target,
            kind: edge.kind,
            by: edge.by,
            weight: edge.weight,
        }
    }

    /// The edge data without the target.
    #[must_use]
    pub fn edge(&self) -> RequirementEdge {
        RequirementEdge {
            kind: self.kind,
            by: self.by,
            weight: self.weight,
        }
    }

    /// The requirement's basis: a party's precondition, a procedure, or structure.
    #[must_use]
    pub fn basis(&self) -> Basis {
        self.edge().basis()
    }
}

/// How many of a requirement group's alternatives must be satisfied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Threshold {
    /// At least this many alternatives (1: any one of them).
    Count(u32),
    /// Alternatives whose weights add up to at least this much (a qualified majority).
    Weight(u32),
}

/// A requirement group: an any-of requirement (at least one alternative) or a threshold (at
/// least k of n, or a weight of at least W).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Group {
    pub(crate) threshold: Threshold,
    /// The number of alternatives, or for a weighted threshold the sum of their weights.
    pub(crate) total: u32,
}

impl Group {
    /// How many alternatives (or how much weight) it needs.
    #[must_use]
    pub fn threshold(&self) -> Threshold {
        self.threshold
    }
    /// The number of alternatives, or for a weighted threshold the sum of their weights.
    #[must_use]
    pub fn total(&self) -> u32 {
        self.total
    }
    /// The count or weight it needs.
    #[must_use]
    pub fn needed(&self) -> u32 {
        match self.threshold {
            Threshold::Count(k) | Threshold::Weight(k) => k,
        }
    }
    /// Whether it is a plain any-of requirement (one alternative suffices).
    #[must_use]
    pub fn is_any_of(&self) -> bool {
        self.threshold == Threshold::Count(1)
    }
    /// Whether it is satisfied when `unsatisfied` (count or weight) of its alternatives are not.
    pub(crate) fn holds(&self, unsatisfied: u32) -> bool {
        self.total.saturating_sub(unsatisfied) >= self.needed()
    }
}

/// A party to the negotiation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) role: Role,
}

impl Party {
    /// The party's id (`"armenia"`).
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The party's display name (`"Armenia"`).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The party's role.
    #[must_use]
    pub fn role(&self) -> Role {
        self.role
    }
}

/// A track: one document or negotiating channel, with its principals and ordered stages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    pub(crate) key: String,
    pub(crate) title: String,
    pub(crate) principals: Vec<PartyId>,
    /// Roles on this track that differ from the parties' default roles, sorted by party
    /// (principals are in `principals`).
    pub(crate) roles: Vec<(PartyId, Role)>,
    pub(crate) stages: Vec<NodeId>,
    pub(crate) long_stop: Option<LongStop>,
}

impl Track {
    /// The track's id (`"peace"`).
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The track's title.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }
    /// The principals whose positions decide whether an article of the track is agreed.
    #[must_use]
    pub fn principals(&self) -> &[PartyId] {
        &self.principals
    }
    /// The track's stages, in order.
    #[must_use]
    pub fn stages(&self) -> &[NodeId] {
        &self.stages
    }
    /// The track's long-stop date, if declared ([`TrackSpec::long_stop`](crate::TrackSpec::long_stop)).
    #[must_use]
    pub fn long_stop(&self) -> Option<LongStop> {
        self.long_stop
    }
    /// The roles declared for this track other than principal, sorted by party. Parties not
    /// listed here nor as principals keep their default role on the track.
    #[must_use]
    pub fn roles(&self) -> &[(PartyId, Role)] {
        &self.roles
    }
}

/// A topic on the table ("prisoners of war"), which articles may address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub(crate) key: String,
    pub(crate) title: String,
}

impl Topic {
    /// The topic's id.
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The topic's title.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }
}

/// A provision of a track's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub(crate) track: TrackId,
    pub(crate) title: Box<str>,
    /// Sorted by party; parties absent have not stated a position.
    pub(crate) positions: Vec<(PartyId, Position)>,
    pub(crate) excluded: bool,
    pub(crate) topics: Box<[TopicId]>,
}

impl Article {
    /// The track the article currently belongs to.
    #[must_use]
    pub fn track(&self) -> TrackId {
        self.track
    }
    /// The article's title or text.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }
    /// `party`'s position on the article (`NotStated` for a party of another negotiation).
    #[must_use]
    pub fn position(&self, party: PartyId) -> Position {
        match self.positions.binary_search_by_key(&party, |&(p, _)| p) {
            Ok(i) if self.positions[i].0.same(party) => self.positions[i].1,
            Ok(_) => Position::NotStated,
            Err(_) => Position::NotStated,
        }
    }
    /// The stated positions, sorted by party.
    #[must_use]
    pub fn positions(&self) -> &[(PartyId, Position)] {
        &self.positions
    }
    /// Whether the article was dropped from every text.
    #[must_use]
    pub fn is_excluded(&self) -> bool {
        self.excluded
    }
    /// The topics the article addresses.
    #[must_use]
    pub fn topics(&self) -> &[TopicId] {
        &self.topics
    }
    pub(crate) fn set_position(&mut self, party: PartyId, position: Position) {
        match self.positions.binary_search_by_key(&party, |&(p, _)| p) {
            Ok(i) if position == Position::NotStated => {
                self.positions.remove(i);
            }
            Ok(i) => self.positions[i].1 = position,
            Err(_) if position == Position::NotStated => {}
            Err(i) => self.positions.insert(i, (party, position)),
        }
    }
}

/// How a condition owed by several parties is owed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Obligation {
    /// Any one obligor's fulfilment meets it (the default).
    #[default]
    Any,
    /// Each obligor must do its part; it is met when the last one does.
    Joint,
}

/// A list of parties stored in the record that holds it when it has one party (most
/// conditions have one obligor), so reading it is not a second cache miss.
#[derive(Clone)]
pub(crate) enum Parties {
    One(PartyId),
    Many(Box<[PartyId]>),
}

impl From<Vec<PartyId>> for Parties {
    fn from(parties: Vec<PartyId>) -> Self {
        match parties[..] {
            [one] => Parties::One(one),
            _ => Parties::Many(parties.into_boxed_slice()),
        }
    }
}

impl std::ops::Deref for Parties {
    type Target = [PartyId];
    fn deref(&self) -> &[PartyId] {
        match self {
            Parties::One(one) => std::slice::from_ref(one),
            Parties::Many(many) => many,
        }
    }
}

impl PartialEq for Parties {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl Eq for Parties {}

impl fmt::Debug for Parties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self[..].fmt(f)
    }
}

/// Something that must become true, owed by some parties and perhaps demanded by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub(crate) description: Box<str>,
    pub(crate) owed_by: Parties,
    pub(crate) demanded_by: Option<PartyId>,
    pub(crate) status: ConditionStatus,
    pub(crate) obligation: Obligation,
    /// For a joint obligation: the obligors that have done their part (sorted).
    pub(crate) done: Vec<PartyId>,
}

impl Condition {
    /// What must become true.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The parties whose act makes it true (sorted).
    #[must_use]
    pub fn owed_by(&self) -> &[PartyId] {
        &self.owed_by
    }
    /// The party that demands it, if it is a demand.
    #[must_use]
    pub fn demanded_by(&self) -> Option<PartyId> {
        self.demanded_by
    }
    /// Its status.
    #[must_use]
    pub fn status(&self) -> ConditionStatus {
        self.status
    }
    /// Whether any one obligor meets it, or each must do its part.
    #[must_use]
    pub fn obligation(&self) -> Obligation {
        self.obligation
    }
    /// For a joint obligation, the obligors that have done their part (sorted); empty
    /// otherwise.
    #[must_use]
    pub fn done_by(&self) -> &[PartyId] {
        &self.done
    }
    /// The obligors that still have to act: for a joint obligation those that have not done
    /// their part, otherwise every obligor (any one of them may). Empty once it is met or
    /// waived.
    #[must_use]
    pub fn still_owed_by(&self) -> Vec<PartyId> {
        self.owed_now().collect()
    }

    /// [`still_owed_by`](Self::still_owed_by), without collecting.
    pub(crate) fn owed_now(&self) -> impl Iterator<Item = PartyId> + '_ {
        let open = !matches!(self.status, ConditionStatus::Met | ConditionStatus::Waived);
        self.owed_by
            .iter()
            .copied()
            .filter(move |p| open && (self.obligation == Obligation::Any || !self.done.contains(p)))
    }
}

/// One effect of a concession, applied when the concession is made, as a move by the
/// conceding party.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Effect {
    /// Accept an article.
    Accept {
        /// The article's id.
        article: String,
    },
    /// Fulfil a condition the party owes.
    Fulfil {
        /// The condition's id.
        condition: String,
    },
    /// Waive (withdraw) a condition the party demands.
    Waive {
        /// The condition's id.
        condition: String,
    },
    /// Detach one of the party's own preconditions from its act (the demand stays, separate).
    Unlink {
        /// The condition's id.
        condition: String,
        /// The stage whose act it was attached to (`"peace.signed"`).
        stage: String,
    },
    /// Move an article to another track.
    MoveArticle {
        /// The article's id.
        article: String,
        /// The track's id.
        to_track: String,
    },
}

/// A declared package of effects that one party can make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concession {
    pub(crate) by: PartyId,
    pub(crate) description: String,
    pub(crate) effects: Vec<Effect>,
    pub(crate) status: ConcessionStatus,
}

impl Concession {
    /// The conceding party.
    #[must_use]
    pub fn by(&self) -> PartyId {
        self.by
    }
    /// What the concession is.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }
    /// Its effects, applied in order when it is made.
    #[must_use]
    pub fn effects(&self) -> &[Effect] {
        &self.effects
    }
    /// Its status.
    #[must_use]
    pub fn status(&self) -> ConcessionStatus {
        self.status
    }
}

/// A step of a track, reached when every performer's act is performed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub(crate) track: TrackId,
    pub(crate) kind: StageKind,
    /// Position of the stage in its track.
    pub(crate) rank: usize,
    /// Sorted by party.
    pub(crate) acts: Vec<(PartyId, NodeId)>,
}

impl Stage {
    /// The stage's track.
    #[must_use]
    pub fn track(&self) -> TrackId {
        self.track
    }
    /// The stage's kind.
    #[must_use]
    pub fn kind(&self) -> &StageKind {
        &self.kind
    }
    /// Its position in the track's order (0 for the first stage).
    #[must_use]
    pub fn rank(&self) -> usize {
        self.rank
    }
    /// The performers and their acts, sorted by party.
    #[must_use]
    pub fn acts(&self) -> &[(PartyId, NodeId)] {
        &self.acts
    }
    /// `party`'s act of this stage, if it is a performer (`None` for a party of another
    /// negotiation).
    #[must_use]
    pub fn act_of(&self, party: PartyId) -> Option<NodeId> {
        self.acts
            .binary_search_by_key(&party, |&(p, _)| p)
            .ok()
            .filter(|&i| self.acts[i].0.same(party))
            .map(|i| self.acts[i].1)
    }
}

/// One party's part of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub(crate) stage: NodeId,
    pub(crate) party: PartyId,
    pub(crate) performed: bool,
    pub(crate) ready: bool,
}

impl Act {
    /// The stage it is part of.
    #[must_use]
    pub fn stage(&self) -> NodeId {
        self.stage
    }
    /// The acting party.
    #[must_use]
    pub fn party(&self) -> PartyId {
        self.party
    }
    /// Whether it is performed.
    #[must_use]
    pub fn is_performed(&self) -> bool {
        self.performed
    }
    /// Whether the party has declared itself ready to perform it (see
    /// [`MoveKind::DeclareReady`](crate::MoveKind::DeclareReady)).
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.ready
    }
}

/// The data of a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum NodeData {
    Article(Article),
    Condition(Condition),
    Concession(Concession),
    Stage(Stage),
    Act(Act),
    Group(Group),
}

/// A node with its id and data, borrowed from a negotiation.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum NodeRef<'a> {
    /// An article.
    Article(&'a Article),
    /// A condition.
    Condition(&'a Condition),
    /// A concession.
    Concession(&'a Concession),
    /// A stage.
    Stage(&'a Stage),
    /// An act.
    Act(&'a Act),
    /// A requirement group (any-of or threshold).
    Group(&'a Group),
}

impl NodeData {
    pub(crate) fn as_ref(&self) -> NodeRef<'_> {
        match self {
            NodeData::Article(a) => NodeRef::Article(a),
            NodeData::Condition(c) => NodeRef::Condition(c),
            NodeData::Concession(c) => NodeRef::Concession(c),
            NodeData::Stage(s) => NodeRef::Stage(s),
            NodeData::Act(a) => NodeRef::Act(a),
            NodeData::Group(g) => NodeRef::Group(g),
        }
    }

    pub(crate) fn kind(&self) -> NodeKind {
        match self {
            NodeData::Article(_) => NodeKind::Article,
            NodeData::Condition(_) => NodeKind::Condition,
            NodeData::Concession(_) => NodeKind::Concession,
            NodeData::Stage(_) => NodeKind::Stage,
            NodeData::Act(_) => NodeKind::Act,
            NodeData::Group(_) => NodeKind::Group,
        }
    }
}

/// A node: its key and data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) key: Box<str>,
    pub(crate) data: NodeData,
}

/// A track's long-stop date, resolved; see [`Track::long_stop`](crate::Track::long_stop).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LongStop {
    /// The stage to reach.
    pub stage: NodeId,
    /// By when.
    pub date: Date,
    /// Whether the track lapses when the date passes with the stage unreached.
    pub lapses: bool,
}

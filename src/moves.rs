//! Moves, their atomic application, and transition reports.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use itertools::Itertools;

use crate::build::{BasisSpec, BuildError, Needs, ReqTarget, RequirementSpec, TrackSpec};
use crate::explain::Explanation;
use crate::ids::{NodeId, PartyId, TrackId};
use crate::model::{
    Article, Concession, ConcessionStatus, Condition, ConditionStatus, Effect, NodeData, NodeKind,
    Obligation, Position, Requirement, RequirementEdge, RequirementKind, Role, Status,
};
use crate::schedule::{DueSpec, LongStop, ScheduleSpec, Timing};
use crate::state::{did_you_mean, Negotiation, Undo};
use crate::time::Date;

/// Optional metadata of a move: when, according to whom, and a note.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct MoveMeta {
    /// The date, with its precision (`2025`, `2025-03`, `2025-03-13`).
    pub date: Option<Date>,
    /// Where the move is reported (a statement, an article).
    pub source: Option<String>,
    /// A free note.
    pub note: Option<String>,
}

/// One party's action.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(
        try_from = "crate::scenario::MoveWire",
        into = "crate::scenario::MoveWire"
    )
)]
pub struct Move {
    /// The acting party's id.
    pub actor: String,
    /// What it does.
    pub kind: MoveKind,
    /// When and according to whom.
    pub meta: MoveMeta,
}

/// What a move does. Ids are the user's strings; stages are named `"{track}.{stage}"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MoveKind {
    /// Take a position on an article of a track the actor is a principal of.
    SetPosition {
        /// The article.
        article: String,
        /// The new position.
        position: Position,
    },
    /// Propose a new article (a principal of the track, or a mediator). The proposer, if a
    /// principal, accepts it.
    ProposeArticle {
        /// The new article's id.
        article: String,
        /// Its track.
        track: String,
        /// Its title or text.
        title: String,
    },
    /// Amend an article's text: every position is reset, the amending principal accepts.
    AmendArticle {
        /// The article.
        article: String,
        /// The new title or text.
        title: String,
    },
    /// Move an article to another track (a principal of its current track).
    MoveArticle {
        /// The article.
        article: String,
        /// The destination track.
        to_track: String,
    },
    /// Drop an article from every text (a principal of its track).
    ExcludeArticle {
        /// The article.
        article: String,
    },
    /// Demand a new condition, optionally as a precondition of the actor's own act of a stage.
    Demand {
        /// The new condition's id.
        condition: String,
        /// What must become true.
        description: String,
        /// Who owes it.
        owed_by: Vec<String>,
        /// The stage (`"peace.signed"`) whose act by the actor it conditions, if any.
        precondition_of: Option<String>,
    },
    /// Attach one of the actor's own demands to its act of a stage.
    Link {
        /// The condition.
        condition: String,
        /// The stage.
        stage: String,
    },
    /// Detach one of the actor's own demands from its act of a stage.
    Unlink {
        /// The condition.
        condition: String,
        /// The stage.
        stage: String,
    },
    /// Give up one of the actor's own demands.
    Waive {
        /// The condition.
        condition: String,
    },
    /// Dispute that a condition is owed (an obligor).
    Contest {
        /// The condition.
        condition: String,
    },
    /// Make a condition true (an obligor).
    Fulfil {
        /// The condition.
        condition: String,
    },
    /// Put a concession on the table.
    Offer {
        /// The concession.
        concession: String,
    },
    /// Make a concession: apply its effects, all at once.
    Make {
        /// The concession.
        concession: String,
    },
    /// Take an offered concession off the table.
    Retract {
        /// The concession.
        concession: String,
    },
    /// Perform the actor's act of a stage (finalize, initial, sign, ratify, …).
    Perform {
        /// The stage.
        stage: String,
    },
    /// Declare the actor ready to perform its act of a stage ("ready to discuss the timing and
    /// venue of the signing"). Changes no requirement; the timeline uses it to flag demands
    /// added afterwards (moving goalposts).
    DeclareReady {
        /// The stage.
        stage: String,
    },
    /// Add a requirement between existing nodes (conditions created by earlier moves
    /// included): the actor's own precondition on a node it acts on, or a procedure (a rule
    /// of law or of the process) that the actor reports. A requirement on an act of another
    /// party must say it is a procedure.
    Require {
        /// The requirement, as in a model.
        requirement: RequirementSpec,
    },
    /// Drop one of the actor's own preconditions: `node` no longer requires `required`
    /// (wherever the actor attached it: its act, a condition it owes). A concession.
    Unrequire {
        /// The requiring node (an act, a stage for the actor's act of it, a condition).
        node: String,
        /// The required node.
        required: String,
    },
    /// Open a new track (a document or channel that appears midway: a joint declaration),
    /// with its stages, principals and roles. The actor must be a principal of it or have a
    /// role on it; nothing of it is performed yet.
    OpenTrack {
        /// The track, as in a model.
        track: TrackSpec,
    },
    /// Record a dated event that changes no status (a lost vote, a failed referendum, a
    /// statement): it stands in the history, the timeline and the report.
    Record {
        /// What happened.
        event: String,
        /// The node or track it concerns, if any.
        about: Option<String>,
    },
    /// Change a node's due date or duration (an extension agreed, a regulator's new timetable):
    /// the entry's `due` and `takes`, where given, replace the node's. For an act or a stage, a
    /// principal of its track may; for a condition, a principal of any track or the party
    /// that demands it.
    Reschedule {
        /// The node and its new timing.
        entry: ScheduleSpec,
    },
    /// Move a track's long-stop date to `until` (an extension, or an earlier date), by a
    /// principal of the track.
    Extend {
        /// The track.
        track: String,
        /// The new long-stop date.
        until: Date,
    },
}

impl MoveKind {
    /// The move's verb, as used in messages (`"perform"`, `"fulfil"`).
    pub fn verb(&self) -> &'static str {
        match self {
            MoveKind::SetPosition { .. } => "take a position on",
            MoveKind::ProposeArticle { .. } => "propose",
            MoveKind::AmendArticle { .. } => "amend",
            MoveKind::MoveArticle { .. } => "move",
            MoveKind::ExcludeArticle { .. } => "exclude",
            MoveKind::Demand { .. } => "demand",
            MoveKind::Link { .. } => "link",
            MoveKind::Unlink { .. } => "unlink",
            MoveKind::Waive { .. } => "waive",
            MoveKind::Contest { .. } => "contest",
            MoveKind::Fulfil { .. } => "fulfil",
            MoveKind::Offer { .. } => "offer",
            MoveKind::Make { .. } => "make",
            MoveKind::Retract { .. } => "retract",
            MoveKind::Perform { .. } => "perform",
            MoveKind::DeclareReady { .. } => "declare itself ready for",
            MoveKind::Require { .. } => "add a requirement to",
            MoveKind::Unrequire { .. } => "drop a precondition of",
            MoveKind::OpenTrack { .. } => "open",
            MoveKind::Record { .. } => "record an event about",
            MoveKind::Reschedule { .. } => "reschedule",
            MoveKind::Extend { .. } => "extend the long-stop date of",
        }
    }

    /// The id the move is about (article, condition, concession or stage).
    pub fn subject(&self) -> &str {
        match self {
            MoveKind::SetPosition { article, .. }
            | MoveKind::ProposeArticle { article, .. }
            | MoveKind::AmendArticle { article, .. }
            | MoveKind::MoveArticle { article, .. }
            | MoveKind::ExcludeArticle { article } => article,
            MoveKind::Demand { condition, .. }
            | MoveKind::Link { condition, .. }
            | MoveKind::Unlink { condition, .. }
            | MoveKind::Waive { condition }
            | MoveKind::Contest { condition }
            | MoveKind::Fulfil { condition } => condition,
            MoveKind::Offer { concession }
            | MoveKind::Make { concession }
            | MoveKind::Retract { concession } => concession,
            MoveKind::Perform { stage } | MoveKind::DeclareReady { stage } => stage,
            MoveKind::Require { requirement } => &requirement.node,
            MoveKind::Unrequire { node, .. } => node,
            MoveKind::OpenTrack { track } => &track.id,
            MoveKind::Record { about, .. } => about.as_deref().unwrap_or(""),
            MoveKind::Reschedule { entry } => &entry.node,
            MoveKind::Extend { track, .. } => track,
        }
    }
}

impl fmt::Display for Move {
    /// A sentence: `armenia accepts withdraw_interstate_claims`,
    /// `azerbaijan demands amend_constitution as a precondition of peace.signed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.actor;
        match &self.kind {
            MoveKind::SetPosition { article, position } => match position {
                Position::Accepts => write!(f, "{a} accepts {article}"),
                Position::Rejects => write!(f, "{a} rejects {article}"),
                Position::NotStated => write!(f, "{a} withdraws its position on {article}"),
            },
            MoveKind::ProposeArticle { article, track, .. } => {
                write!(f, "{a} proposes article {article} on {track}")
            }
            MoveKind::AmendArticle { article, .. } => write!(f, "{a} amends {article}"),
            MoveKind::MoveArticle { article, to_track } => {
                write!(f, "{a} moves {article} to {to_track}")
            }
            MoveKind::ExcludeArticle { article } => write!(f, "{a} excludes {article}"),
            MoveKind::Demand {
                condition,
                precondition_of,
                ..
            } => match precondition_of {
                Some(stage) => write!(f, "{a} demands {condition} as a precondition of {stage}"),
                None => write!(f, "{a} demands {condition}"),
            },
            MoveKind::Link { condition, stage } => {
                write!(f, "{a} links {condition} to its act of {stage}")
            }
            MoveKind::Unlink { condition, stage } => {
                write!(f, "{a} unlinks {condition} from its act of {stage}")
            }
            MoveKind::Waive { condition } => write!(f, "{a} waives {condition}"),
            MoveKind::Contest { condition } => write!(f, "{a} contests {condition}"),
            MoveKind::Fulfil { condition } => write!(f, "{a} fulfils {condition}"),
            MoveKind::Offer { concession } => write!(f, "{a} offers {concession}"),
            MoveKind::Make { concession } => write!(f, "{a} makes {concession}"),
            MoveKind::Retract { concession } => write!(f, "{a} retracts {concession}"),
            MoveKind::Perform { stage } => write!(f, "{a} performs {stage}"),
            MoveKind::DeclareReady { stage } => write!(f, "{a} declares itself ready for {stage}"),
            MoveKind::Require { requirement: r } => {
                let needs = match &r.needs {
                    Needs::Node(n) => n.clone(),
                    Needs::AnyOf(alts) => format!("any of {}", alts.join(", ")),
                    Needs::AtLeast { count, of } => {
                        format!("at least {count} of {}", of.join(", "))
                    }
                    Needs::Weight { at_least, of } => format!(
                        "a weight of {at_least} among {}",
                        of.iter().map(|(n, w)| format!("{n} ({w})")).join(", ")
                    ),
                };
                let basis = match &r.basis {
                    BasisSpec::Default => String::new(),
                    BasisSpec::Precondition(p) => format!(" as a precondition of {p}"),
                    BasisSpec::Procedure(None) => " by procedure".to_owned(),
                    BasisSpec::Procedure(Some(c)) => format!(" by procedure ({c})"),
                };
                write!(f, "{a}: {} now requires {needs}{basis}", r.node)
            }
            MoveKind::Unrequire { node, required } => {
                write!(
                    f,
                    "{a} drops its precondition: {node} no longer requires {required}"
                )
            }
            MoveKind::OpenTrack { track } => write!(f, "{a} opens track {}", track.id),
            MoveKind::Record { event, about } => match about {
                Some(x) => write!(f, "{a} records about {x}: {event}"),
                None => write!(f, "{a} records: {event}"),
            },
            MoveKind::Reschedule { entry } => {
                write!(f, "{a} reschedules {}", entry.node)?;
                match &entry.due {
                    Some(DueSpec::By(d)) => write!(f, ": due by {d}")?,
                    Some(DueSpec::Within { span, after }) => {
                        write!(f, ": due within {span} after {after}")?
                    }
                    None => {}
                }
                match entry.takes {
                    Some(t) => write!(f, "; {t}"),
                    None => Ok(()),
                }
            }
            MoveKind::Extend { track, until } => {
                write!(f, "{a} moves the long-stop date of {track} to {until}")
            }
        }
    }
}

macro_rules! constructors {
    ($($(#[$doc:meta])* $fn:ident => $variant:ident { $field:ident });* $(;)?) => {
        $(
            $(#[$doc])*
            pub fn $fn(actor: impl Into<String>, $field: impl Into<String>) -> Move {
                Move::new(actor, MoveKind::$variant { $field: $field.into() })
            }
        )*
    };
}

impl Move {
    /// A move without metadata.
    pub fn new(actor: impl Into<String>, kind: MoveKind) -> Move {
        Move {
            actor: actor.into(),
            kind,
            meta: MoveMeta::default(),
        }
    }

    /// The same move, dated. A dated move may not be certainly before a dated move already in
    /// the history ([`MoveError::OutOfOrder`]); undated moves go anywhere.
    pub fn on(mut self, date: Date) -> Move {
        self.meta.date = Some(date);
        self
    }

    /// The same move, with a source.
    pub fn source(mut self, source: impl Into<String>) -> Move {
        self.meta.source = Some(source.into());
        self
    }

    /// The same move, with a note.
    pub fn note(mut self, note: impl Into<String>) -> Move {
        self.meta.note = Some(note.into());
        self
    }

    /// `actor` accepts `article`.
    pub fn accept(actor: impl Into<String>, article: impl Into<String>) -> Move {
        Move::new(
            actor,
            MoveKind::SetPosition {
                article: article.into(),
                position: Position::Accepts,
            },
        )
    }

    /// `actor` rejects `article`.
    pub fn reject(actor: impl Into<String>, article: impl Into<String>) -> Move {
        Move::new(
            actor,
            MoveKind::SetPosition {
                article: article.into(),
                position: Position::Rejects,
            },
        )
    }

    /// `actor` demands a new condition owed by `owed_by`, attached to no act (a separate demand).
    pub fn demand<I: IntoIterator<Item = S>, S: Into<String>>(
        actor: impl Into<String>,
        condition: impl Into<String>,
        description: impl Into<String>,
        owed_by: I,
    ) -> Move {
        Move::new(
            actor,
            MoveKind::Demand {
                condition: condition.into(),
                description: description.into(),
                owed_by: owed_by.into_iter().map(Into::into).collect(),
                precondition_of: None,
            },
        )
    }

    /// `actor` demands a new condition owed by `owed_by` as a precondition of its own act of
    /// `stage`.
    pub fn precondition<I: IntoIterator<Item = S>, S: Into<String>>(
        actor: impl Into<String>,
        stage: impl Into<String>,
        condition: impl Into<String>,
        description: impl Into<String>,
        owed_by: I,
    ) -> Move {
        Move::new(
            actor,
            MoveKind::Demand {
                condition: condition.into(),
                description: description.into(),
                owed_by: owed_by.into_iter().map(Into::into).collect(),
                precondition_of: Some(stage.into()),
            },
        )
    }

    /// `actor` attaches its demand `condition` to its act of `stage`.
    pub fn link(
        actor: impl Into<String>,
        condition: impl Into<String>,
        stage: impl Into<String>,
    ) -> Move {
        Move::new(
            actor,
            MoveKind::Link {
                condition: condition.into(),
                stage: stage.into(),
            },
        )
    }

    /// `actor` detaches its demand `condition` from its act of `stage`.
    pub fn unlink(
        actor: impl Into<String>,
        condition: impl Into<String>,
        stage: impl Into<String>,
    ) -> Move {
        Move::new(
            actor,
            MoveKind::Unlink {
                condition: condition.into(),
                stage: stage.into(),
            },
        )
    }

    /// `actor` adds a requirement between existing nodes (see [`MoveKind::Require`]).
    pub fn require(actor: impl Into<String>, requirement: RequirementSpec) -> Move {
        Move::new(actor, MoveKind::Require { requirement })
    }

    /// `actor` drops its own precondition: `node` no longer requires `required`.
    pub fn unrequire(
        actor: impl Into<String>,
        node: impl Into<String>,
        required: impl Into<String>,
    ) -> Move {
        Move::new(
            actor,
            MoveKind::Unrequire {
                node: node.into(),
                required: required.into(),
            },
        )
    }

    /// `actor` opens a new track (see [`MoveKind::OpenTrack`]).
    pub fn open_track(actor: impl Into<String>, track: TrackSpec) -> Move {
        Move::new(actor, MoveKind::OpenTrack { track })
    }

    /// `actor` records an event that changes no status, about a node or track if `about`
    /// names one.
    pub fn record(actor: impl Into<String>, event: impl Into<String>, about: Option<&str>) -> Move {
        Move::new(
            actor,
            MoveKind::Record {
                event: event.into(),
                about: about.map(str::to_owned),
            },
        )
    }

    /// `actor` changes `entry.node`'s due date or duration (see [`MoveKind::Reschedule`]).
    pub fn reschedule(actor: impl Into<String>, entry: ScheduleSpec) -> Move {
        Move::new(actor, MoveKind::Reschedule { entry })
    }

    /// `actor` moves `track`'s long-stop date to `until` (see [`MoveKind::Extend`]).
    pub fn extend(actor: impl Into<String>, track: impl Into<String>, until: Date) -> Move {
        Move::new(
            actor,
            MoveKind::Extend {
                track: track.into(),
                until,
            },
        )
    }

    /// `actor` moves `article` to `to_track`.
    pub fn move_article(
        actor: impl Into<String>,
        article: impl Into<String>,
        to_track: impl Into<String>,
    ) -> Move {
        Move::new(
            actor,
            MoveKind::MoveArticle {
                article: article.into(),
                to_track: to_track.into(),
            },
        )
    }

    constructors! {
        /// `actor` performs its act of `stage` (`"peace.signed"`).
        perform => Perform { stage };
        /// `actor` fulfils `condition`.
        fulfil => Fulfil { condition };
        /// `actor` waives its demand `condition`.
        waive => Waive { condition };
        /// `actor` contests `condition`.
        contest => Contest { condition };
        /// `actor` offers `concession`.
        offer => Offer { concession };
        /// `actor` makes `concession`.
        make => Make { concession };
        /// `actor` retracts `concession`.
        retract => Retract { concession };
        /// `actor` excludes `article`.
        exclude => ExcludeArticle { article };
        /// `actor` declares itself ready to perform its act of `stage`.
        declare_ready => DeclareReady { stage };
    }
}

/// Why a move counts as a concession (a move by which a party yields on a point it
/// held).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ConcessionKind {
    /// A declared concession was made.
    Made(NodeId),
    /// The party accepted an article it had rejected.
    AcceptedRejected(NodeId),
    /// The party waived its own demand.
    WaivedOwnDemand(NodeId),
    /// The party dropped its own precondition (from its act, or from a condition it owes).
    DroppedOwnPrecondition(NodeId),
    /// The party fulfilled a condition it had contested.
    FulfilledContested(NodeId),
}

/// A node's status before and after a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StatusChange {
    /// The node.
    pub node: NodeId,
    /// Its status before.
    pub from: Status,
    /// Its status after.
    pub to: Status,
}

/// One obligor's part of a jointly owed condition, done by a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PartDone {
    /// The condition.
    pub condition: NodeId,
    /// The obligor that did its part.
    pub party: PartyId,
    /// How many obligors have done their part after the move.
    pub done: usize,
    /// How many obligors owe it.
    pub of: usize,
}

/// A principal's position before and after a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PositionChange {
    /// The article.
    pub article: NodeId,
    /// The principal.
    pub party: PartyId,
    /// Before.
    pub from: Position,
    /// After.
    pub to: Position,
}

/// What a successful move changed. Every list is sorted by node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Transition {
    /// Every node whose status changed (stages and any-of groups included).
    pub status_changes: Vec<StatusChange>,
    /// Every position that changed.
    pub position_changes: Vec<PositionChange>,
    /// Parts of joint obligations done by the move (the condition is met when the last
    /// obligor does its part).
    pub parts_done: Vec<PartDone>,
    /// Nodes the move created (a new demand, a proposed article).
    pub added: Vec<NodeId>,
    /// Requirements the move created, as `(requiring node, requirement)`.
    pub requirements_added: Vec<(NodeId, Requirement)>,
    /// Requirements the move removed.
    pub requirements_removed: Vec<(NodeId, Requirement)>,
    /// Nodes that were not blocked before and are now.
    pub newly_blocked: Vec<NodeId>,
    /// Nodes that were blocked before and are not now.
    pub newly_unblocked: Vec<NodeId>,
    /// Stages reached by the move.
    pub reached: Vec<NodeId>,
    /// Stages that were reached and are not any more (a reversible stage reopened).
    pub reopened: Vec<NodeId>,
    /// Whether, and why, the move counts as a concession.
    pub concession: Option<ConcessionKind>,
    /// Requirement cycles among unsatisfied nodes that the move closed (it is allowed: real
    /// negotiations deadlock), one per new requirement that closed one.
    pub deadlocks: Vec<crate::analysis::Deadlock>,
}

impl Transition {
    /// Whether the move counts as a concession.
    pub fn is_concession(&self) -> bool {
        self.concession.is_some()
    }
}

/// Why a move was refused. The negotiation is unchanged.
///
/// New variants may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoveError {
    /// A party id that the negotiation does not know.
    #[error("{field}: unknown party `{id}`{}", did_you_mean(.suggestion))]
    UnknownParty {
        /// The move's field holding it.
        field: &'static str,
        /// The id.
        id: String,
        /// The nearest party id, if one is near.
        suggestion: Option<String>,
    },
    /// A track id that the negotiation does not know.
    #[error("{field}: unknown track `{id}`{}", did_you_mean(.suggestion))]
    UnknownTrack {
        /// The move's field holding it.
        field: &'static str,
        /// The id.
        id: String,
        /// The nearest track id, if one is near.
        suggestion: Option<String>,
    },
    /// A node id that the negotiation does not know.
    #[error("{field}: unknown {expected} `{id}`{}", did_you_mean(.suggestion))]
    UnknownNode {
        /// The move's field holding it.
        field: &'static str,
        /// What kind of node was expected.
        expected: NodeKind,
        /// The id.
        id: String,
        /// The nearest node id, if one is near.
        suggestion: Option<String>,
    },
    /// The id names a node of another kind (`condition: `t.signed` is a stage, not a
    /// condition`).
    #[error("{field}: `{id}` is {}, not {}", .found.with_article(), .expected.with_article())]
    WrongKind {
        /// The move's field holding it.
        field: &'static str,
        /// What kind of node was expected.
        expected: NodeKind,
        /// What it is.
        found: NodeKind,
        /// The id.
        id: String,
    },
    /// The id of a node to create is taken.
    #[error("id `{id}` is already in use")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// The actor is not allowed to make this move on this node.
    #[error("`{actor}` cannot {verb} `{node}`: {reason}")]
    WrongActor {
        /// The actor.
        actor: String,
        /// The move's verb.
        verb: &'static str,
        /// The node.
        node: String,
        /// Who may, or why not.
        reason: String,
    },
    /// The node's status does not allow the move.
    #[error("cannot {verb} `{node}`: it is {status}")]
    InvalidStatus {
        /// The move's verb.
        verb: &'static str,
        /// The node.
        node: String,
        /// Its status.
        status: Status,
    },
    /// The move would change nothing.
    #[error("`{actor}` cannot {verb} `{node}`: {reason}")]
    NoChange {
        /// The actor.
        actor: String,
        /// The move's verb.
        verb: &'static str,
        /// The node.
        node: String,
        /// What already holds.
        reason: String,
    },
    /// The move would satisfy a node whose requirements are not satisfied. Carries the
    /// explanation as data.
    #[error("`{actor}` cannot {verb} `{node}`: blocked by {}", blocked_by(.frontier, .deadlocked))]
    Blocked {
        /// The actor.
        actor: String,
        /// The move's verb.
        verb: &'static str,
        /// The blocked node.
        node: String,
        /// The frontier blockers' ids.
        frontier: Box<[String]>,
        /// The ids of the nodes in deadlocks on the way, sorted.
        deadlocked: Box<[String]>,
        /// The full explanation.
        explanation: Box<Explanation>,
    },
    /// The move would leave a final node (a signature, a met condition, a made concession)
    /// with an unsatisfied requirement.
    #[error("`{node}` is {status} and cannot be undone, but the move would leave its requirement `{requirement}` unsatisfied")]
    WouldUndo {
        /// The final node.
        node: String,
        /// Its status.
        status: Status,
        /// The requirement that would become unsatisfied.
        requirement: String,
    },
    /// An effect of a concession failed; the concession was not made.
    #[error("concession `{concession}`, effect {effect}: {source}")]
    Effect {
        /// The concession.
        concession: String,
        /// The failing effect's index.
        effect: usize,
        /// Why it failed.
        #[source]
        source: Box<MoveError>,
    },
    /// A requirement or track the move declares does not validate; the error's path starts
    /// with the move's field (`requirement.requires: unknown node `x``).
    #[error("{source}")]
    Declaration {
        /// Why.
        #[source]
        source: Box<BuildError>,
    },
    /// A field of the move holds a value the move cannot take.
    #[error("{field}: {reason}")]
    InvalidField {
        /// The move's field.
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// The negotiation has as many nodes as handles allow.
    #[error("the negotiation has reached the maximum number of nodes")]
    TooLarge,
    /// The track lapsed: its long-stop date passed (by the dates recorded) with the stage
    /// unreached, and the track was declared to lapse
    /// ([`LongStopSpec::lapses`](crate::LongStopSpec::lapses)).
    #[error("track `{track}` lapsed: `{stage}` was not reached by its long-stop date {long_stop} (the history is at {date})")]
    Lapsed {
        /// The track.
        track: String,
        /// The long-stop stage.
        stage: String,
        /// The long-stop date.
        long_stop: Date,
        /// The latest date recorded, this move's included.
        date: Date,
    },
    /// The move is dated certainly before a move already recorded: the history is kept in
    /// date order (a coarse date that may fall on or after the previous one is accepted).
    #[error("date: {date} is before {previous}, the date of a move already recorded; moves are recorded in date order")]
    OutOfOrder {
        /// The move's date.
        date: Date,
        /// The latest date recorded.
        previous: Date,
    },
}

/// `x, y and a deadlock among p, q`: what a blocked move waits on.
fn blocked_by(frontier: &[String], deadlocked: &[String]) -> String {
    let mut parts = frontier.to_vec();
    if !deadlocked.is_empty() {
        parts.push(format!("a deadlock among {}", deadlocked.join(", ")));
    }
    parts.join(", ")
}

impl Negotiation {
    /// Applies a move atomically.
    ///
    /// # Errors
    ///
    /// A [`MoveError`] saying why the move is refused — unknown id, wrong actor, not allowed
    /// in the current status, blocked (with the explanation), or undoing something final. The
    /// negotiation is then exactly as it was ([invariant I3](crate#guarantees)).
    ///
    /// # Complexity
    ///
    /// Proportional to what the move changes: the nodes whose satisfaction or blocked flag
    /// changes and their direct dependents. No walk of the whole graph.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, MoveError, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let mut neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "B's parliament approves").owed_by(["b"]))
    ///     .precondition("a", "deal.signed", "vote")
    ///     .build()?;
    /// let before = neg.clone();
    /// let err = neg.apply(&Move::perform("a", "deal.signed")).unwrap_err();
    /// assert!(matches!(err, MoveError::Blocked { .. }));
    /// assert_eq!(neg, before);
    ///
    /// let t = neg.apply(&Move::fulfil("b", "vote"))?;
    /// let (stage, act) = (neg.node_id("deal.signed").unwrap(), neg.node_id("deal.signed.a").unwrap());
    /// assert_eq!(t.newly_unblocked, vec![stage, act]);
    /// neg.apply(&Move::perform("a", "deal.signed"))?;
    /// let t = neg.apply(&Move::perform("b", "deal.signed"))?;
    /// assert_eq!(t.reached, vec![neg.node_id("deal.signed").unwrap()]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, mv: &Move) -> Result<Transition, MoveError> {
        self.apply_reporting(mv, true)
            .map(Option::unwrap_or_default)
    }

    /// [`apply`](Self::apply) without building the transition report, for replays that
    /// would throw it away.
    pub(crate) fn apply_quietly(&mut self, mv: &Move) -> Result<(), MoveError> {
        self.apply_reporting(mv, false).map(drop)
    }

    fn apply_reporting(
        &mut self,
        mv: &Move,
        report: bool,
    ) -> Result<Option<Transition>, MoveError> {
        let mark = self.journal.len();
        match self.check_date(mv).and_then(|()| self.apply_kind(mv)) {
            Ok(concession) => {
                let transition = report.then(|| self.transition_since(mark, concession));
                self.date_satisfactions(mark, mv.meta.date);
                self.history.push(mv.clone());
                if self.hypothetical == 0 {
                    self.journal.truncate(mark);
                } else {
                    self.journal.push(Undo::History);
                }
                Ok(transition)
            }
            Err(e) => {
                self.rollback(mark);
                Err(e)
            }
        }
    }

    /// Refuses a dated move certainly before a dated move already recorded, and otherwise
    /// keeps the latest date (journaled).
    fn check_date(&mut self, mv: &Move) -> Result<(), MoveError> {
        let Some(date) = mv.meta.date else {
            return Ok(());
        };
        match self.latest_date {
            Some(previous) if date.is_before(previous) => {
                Err(MoveError::OutOfOrder { date, previous })
            }
            Some(previous) if date <= previous => Ok(()),
            old => {
                self.journal.push(Undo::LatestDate { old });
                self.latest_date = Some(date);
                Ok(())
            }
        }
    }

    /// Checks a reschedule against the node and the actor, then replaces the node's timing
    /// (journaled).
    fn reschedule(&mut self, actor: PartyId, entry: &ScheduleSpec) -> Result<(), MoveError> {
        let declaration = |source| MoveError::Declaration {
            source: Box::new(source),
        };
        let node = self.node_id(&entry.node).ok_or_else(|| {
            declaration(self.dangling("entry.node".to_owned(), "node", &entry.node))
        })?;
        let principal_of = |t: TrackId| self.tracks[t.index()].principals.contains(&actor);
        let allowed = match &self.nodes[node.index()].data {
            NodeData::Act(a) => match &self.nodes[a.stage.index()].data {
                NodeData::Stage(s) => principal_of(s.track),
                _ => false,
            },
            NodeData::Stage(s) => principal_of(s.track),
            NodeData::Condition(c) => {
                c.demanded_by == Some(actor)
                    || (0..self.tracks.len()).any(|t| principal_of(self.track_handle(t)))
            }
            _ => true, // the schedule check below refuses other kinds
        };
        if !allowed {
            return Err(MoveError::WrongActor {
                actor: self.parties[actor.index()].key.clone(),
                verb: "reschedule",
                node: entry.node.clone(),
                reason: "only a principal of its track, or for a condition the party that demands it, may"
                    .to_owned(),
            });
        }
        if entry.due.is_none() && entry.takes.is_none() {
            return Err(MoveError::InvalidField {
                field: "due",
                reason: "a reschedule gives a new `due` or `takes`".to_owned(),
            });
        }
        let old = self.schedule.remove(&node);
        let mut cleared = old.unwrap_or_default();
        if entry.due.is_some() {
            cleared.due = None;
        }
        if entry.takes.is_some() {
            cleared.takes = None;
        }
        if cleared != Timing::default() {
            self.schedule.insert(node, cleared);
        }
        self.journal.push(Undo::Schedule { node, old });
        self.declare_schedule("entry", entry).map_err(declaration)
    }

    /// Refuses an act of a track that has lapsed ([`Negotiation::lapsed`]).
    fn check_lapse(&self, act: NodeId) -> Result<(), MoveError> {
        match self.lapsed(act) {
            Some((track, ls, now)) => Err(MoveError::Lapsed {
                track: self.tracks[track.index()].key.clone(),
                stage: self.key_of(ls.stage).to_owned(),
                long_stop: ls.date,
                date: now,
            }),
            None => Ok(()),
        }
    }

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

    /// After a successful move: each node the move satisfied is satisfied since its date, and
    /// each node it unsatisfied is not (journaled).
    fn date_satisfactions(&mut self, mark: usize, date: Option<Date>) {
        // Each changed node with its satisfaction before the move (its first entry).
        let mut changed: Vec<(NodeId, bool)> = self.journal[mark..]
            .iter()
            .filter_map(|u| match *u {
                Undo::Sat { node, old } => Some((node, old)),
                Undo::NodeAdded { node } => Some((node, false)),
                _ => None,
            })
            .collect();
        // A stable sort keeps each node's entries in journal order.
        changed.sort_by_key(|&(n, _)| n);
        changed.dedup_by_key(|&mut (n, _)| n);
        for (n, was) in changed {
            let new = match (was, self.sat[n.index()]) {
                (false, true) => date,
                (_, false) => None,
                (true, true) => continue,
            };
            let old = std::mem::replace(&mut self.since[n.index()], new);
            if old != new {
                self.journal.push(Undo::Since { node: n, old });
            }
        }
    }

    fn resolve_party(&self, field: &'static str, id: &str) -> Result<PartyId, MoveError> {
        self.party_id(id).ok_or_else(|| MoveError::UnknownParty {
            field,
            id: id.to_owned(),
            suggestion: self.nearest_id("party", id),
        })
    }

    fn resolve_track(&self, field: &'static str, id: &str) -> Result<TrackId, MoveError> {
        self.track_id(id).ok_or_else(|| MoveError::UnknownTrack {
            field,
            id: id.to_owned(),
            suggestion: self.nearest_id("track", id),
        })
    }

    fn resolve(
        &self,
        field: &'static str,
        id: &str,
        expected: NodeKind,
    ) -> Result<NodeId, MoveError> {
        match self.node_id(id).map(|n| (n, self.kind(n))) {
            Some((n, Some(kind))) if kind == expected => Ok(n),
            Some((_, Some(found))) => Err(MoveError::WrongKind {
                field,
                expected,
                found,
                id: id.to_owned(),
            }),
            _ => Err(MoveError::UnknownNode {
                field,
                expected,
                id: id.to_owned(),
                suggestion: self.nearest_node_id(id).map(str::to_owned),
            }),
        }
    }

    fn article_data(&self, n: NodeId) -> &Article {
        match &self.nodes[n.index()].data {
            NodeData::Article(a) => a,
            _ => unreachable!("resolved as an article"),
        }
    }

    fn condition_data(&self, n: NodeId) -> &Condition {
        match &self.nodes[n.index()].data {
            NodeData::Condition(c) => c,
            _ => unreachable!("resolved as a condition"),
        }
    }

    fn concession_data(&self, n: NodeId) -> &Concession {
        match &self.nodes[n.index()].data {
            NodeData::Concession(c) => c,
            _ => unreachable!("resolved as a concession"),
        }
    }

    fn party_keys(&self, parties: &[PartyId]) -> String {
        if parties.is_empty() {
            return "nobody".to_owned();
        }
        parties
            .iter()
            .map(|p| format!("`{}`", self.parties[p.index()].key))
            .join(", ")
    }

    fn blocked_error(&self, actor: &str, verb: &'static str, n: NodeId) -> MoveError {
        let explanation = self.explain(n);
        MoveError::Blocked {
            actor: actor.to_owned(),
            verb,
            node: self.key_of(n).to_owned(),
            frontier: explanation
                .frontier()
                .into_iter()
                .map(|f| self.key_of(f).to_owned())
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            deadlocked: explanation
                .deadlocks()
                .iter()
                .flat_map(|d| &d.nodes)
                .map(|&n| self.key_of(n).to_owned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            explanation: Box::new(explanation),
        }
    }

    /// The actor's act of `stage`, or a `WrongActor` error naming the performers.
    fn own_act(
        &self,
        actor: PartyId,
        verb: &'static str,
        stage_key: &str,
    ) -> Result<NodeId, MoveError> {
        let stage = self.resolve("stage", stage_key, NodeKind::Stage)?;
        let NodeData::Stage(s) = &self.nodes[stage.index()].data else {
            unreachable!("resolved as a stage")
        };
        s.act_of(actor).ok_or_else(|| MoveError::WrongActor {
            actor: self.parties[actor.index()].key.clone(),
            verb,
            node: stage_key.to_owned(),
            reason: format!(
                "only {} perform it",
                self.party_keys(&s.acts.iter().map(|&(p, _)| p).collect::<Vec<_>>())
            ),
        })
    }

    fn require_principal(
        &self,
        actor: PartyId,
        verb: &'static str,
        article: NodeId,
        mediator_ok: bool,
    ) -> Result<(), MoveError> {
        let track_id = self.article_data(article).track;
        let track = &self.tracks[track_id.index()];
        let is_mediator = mediator_ok && self.role_on(actor, track_id) == Some(Role::Mediator);
        if track.principals.contains(&actor) || is_mediator {
            return Ok(());
        }
        Err(MoveError::WrongActor {
            actor: self.parties[actor.index()].key.clone(),
            verb,
            node: self.key_of(article).to_owned(),
            reason: format!(
                "only the principals of track `{}` ({}) may",
                track.key,
                self.party_keys(&track.principals)
            ),
        })
    }

    fn require_active(&self, verb: &'static str, article: NodeId) -> Result<(), MoveError> {
        if self.article_data(article).excluded {
            return Err(MoveError::InvalidStatus {
                verb,
                node: self.key_of(article).to_owned(),
                status: Status::Excluded,
            });
        }
        Ok(())
    }

    fn set_article_requirements(
        &mut self,
        article: NodeId,
        track: TrackId,
        present: bool,
    ) -> Result<(), MoveError> {
        for act in self.first_stage_acts(track) {
            // An act may already require the article otherwise (a precondition): that edge
            // stays, and no second one is added.
            let existing = self.graph.edge(act, article).map(|e| e.kind);
            match (present, existing) {
                (true, None) => {
                    self.add_edge(act, article, RequirementEdge::of(RequirementKind::Article))?
                }
                (false, Some(RequirementKind::Article)) => self.remove_edge(act, article)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Declares a new track and journals what it adds, so that a failure rolls it back.
    fn open_track(
        &mut self,
        actor: PartyId,
        actor_key: &str,
        track: &TrackSpec,
    ) -> Result<(), MoveError> {
        if self.track_index.contains_key(&track.id) {
            return Err(MoveError::DuplicateId {
                id: track.id.clone(),
            });
        }
        if let Some(i) = track.stages.iter().position(|s| !s.performed_by.is_empty()) {
            return Err(MoveError::InvalidField {
                field: "stages",
                reason: format!(
                    "stages[{i}].performed_by: a track opens with nothing performed; perform its stages by moves"
                ),
            });
        }
        let (tracks_before, nodes_before) = (self.tracks.len(), self.nodes.len());
        let mut performed = Vec::new();
        let declared = self.declare_track("track", track, &mut performed);
        if self.tracks.len() > tracks_before {
            self.journal.push(Undo::TrackAdded);
        }
        let added = nodes_before..self.nodes.len();
        for i in added.clone() {
            // New nodes start unsatisfied: acts are pending, and stages have pending acts.
            let n = self.node_handle(i);
            self.unsat.push(self.graph.requirements(n).count() as u32);
            self.blocked_acts.push(0);
            self.sat.push(false);
            self.blk.push(false);
            self.since.push(None);
            self.journal.push(Undo::NodeAdded { node: n });
        }
        declared.map_err(|source| MoveError::Declaration {
            source: Box::new(source),
        })?;
        let t = self.track_handle(tracks_before);
        let involved = self.tracks[t.index()].principals.contains(&actor)
            || self.tracks[t.index()]
                .roles
                .iter()
                .any(|&(p, _)| p == actor);
        if !involved {
            return Err(MoveError::WrongActor {
                actor: actor_key.to_owned(),
                verb: "open",
                node: track.id.clone(),
                reason: "only a principal of the track, or a party with a role on it, may"
                    .to_owned(),
            });
        }
        for i in added.clone() {
            if !matches!(self.nodes[i].data, NodeData::Stage(_)) {
                self.blk[i] = self.unsat[i] > 0;
            }
        }
        for i in added {
            if let NodeData::Stage(s) = &self.nodes[i].data {
                let blocked = s.acts.iter().filter(|&&(_, a)| self.blk[a.index()]).count();
                self.blocked_acts[i] = blocked as u32;
                self.blk[i] = blocked > 0;
            }
        }
        Ok(())
    }

    fn apply_kind(&mut self, mv: &Move) -> Result<Option<ConcessionKind>, MoveError> {
        let actor = self.resolve_party("actor", &mv.actor)?;
        self.apply_as(actor, &mv.kind)
    }

    fn apply_as(
        &mut self,
        actor: PartyId,
        kind: &MoveKind,
    ) -> Result<Option<ConcessionKind>, MoveError> {
        let verb = kind.verb();
        let actor_key = self.parties[actor.index()].key.clone();
        let wrong_actor = |neg: &Negotiation, node: NodeId, reason: String| MoveError::WrongActor {
            actor: actor_key.clone(),
            verb,
            node: neg.key_of(node).to_owned(),
            reason,
        };
        match kind {
            MoveKind::SetPosition { article, position } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                self.require_principal(actor, verb, a, false)?;
                self.require_active(verb, a)?;
                let old = self.article_data(a).position(actor);
                if old == *position {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: article.clone(),
                        reason: format!("its position is already `{position}`"),
                    });
                }
                let track = self.article_data(a).track;
                let would_agree = *position == Position::Accepts
                    && self.tracks[track.index()].principals.iter().all(|&p| {
                        p == actor || self.article_data(a).position(p) == Position::Accepts
                    });
                if would_agree && self.blocked(a) {
                    return Err(self.blocked_error(&actor_key, verb, a));
                }
                let new = *position;
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.set_position(actor, new);
                    }
                })?;
                Ok((old == Position::Rejects && new == Position::Accepts)
                    .then_some(ConcessionKind::AcceptedRejected(a)))
            }
            MoveKind::ProposeArticle {
                article,
                track,
                title,
            } => {
                let t = self.resolve_track("track", track)?;
                let principal = self.tracks[t.index()].principals.contains(&actor);
                if !principal && self.role_on(actor, t) != Some(Role::Mediator) {
                    return Err(MoveError::WrongActor {
                        actor: actor_key,
                        verb,
                        node: article.clone(),
                        reason: format!("only the principals of track `{track}` or a mediator may"),
                    });
                }
                let positions = if principal {
                    vec![(actor, Position::Accepts)]
                } else {
                    Vec::new()
                };
                let a = self.add_node(
                    article.clone(),
                    NodeData::Article(Article {
                        track: t,
                        title: title.clone(),
                        positions,
                        excluded: false,
                        topics: Vec::new(),
                    }),
                )?;
                self.set_article_requirements(a, t, true)?;
                Ok(None)
            }
            MoveKind::AmendArticle { article, title } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                self.require_principal(actor, verb, a, true)?;
                self.require_active(verb, a)?;
                let principal = self.tracks[self.article_data(a).track.index()]
                    .principals
                    .contains(&actor);
                let title = title.clone();
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.title = title;
                        art.positions.clear();
                        if principal {
                            art.set_position(actor, Position::Accepts);
                        }
                    }
                })?;
                Ok(None)
            }
            MoveKind::MoveArticle { article, to_track } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                let to = self.resolve_track("to_track", to_track)?;
                self.require_principal(actor, verb, a, false)?;
                self.require_active(verb, a)?;
                let from = self.article_data(a).track;
                if from == to {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: article.clone(),
                        reason: format!("it is already on track `{to_track}`"),
                    });
                }
                self.set_article_requirements(a, from, false)?;
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.track = to;
                    }
                })?;
                self.set_article_requirements(a, to, true)?;
                Ok(None)
            }
            MoveKind::ExcludeArticle { article } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                self.require_principal(actor, verb, a, false)?;
                self.require_active(verb, a)?;
                let track = self.article_data(a).track;
                self.set_article_requirements(a, track, false)?;
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.excluded = true;
                    }
                })?;
                Ok(None)
            }
            MoveKind::Demand {
                condition,
                description,
                owed_by,
                precondition_of,
            } => {
                let mut obligors = Vec::with_capacity(owed_by.len());
                for p in owed_by {
                    obligors.push(self.resolve_party("owed_by", p)?);
                }
                obligors.sort_unstable();
                obligors.dedup();
                let act = match precondition_of {
                    Some(stage) => Some(self.own_act(actor, verb, stage)?),
                    None => None,
                };
                let c = self.add_node(
                    condition.clone(),
                    NodeData::Condition(Condition {
                        description: description.clone(),
                        owed_by: obligors,
                        demanded_by: Some(actor),
                        status: ConditionStatus::Unmet,
                        obligation: Obligation::Any,
                        done: Vec::new(),
                    }),
                )?;
                if let Some(act) = act {
                    self.add_edge(act, c, RequirementEdge::precondition(actor))?;
                }
                Ok(None)
            }
            MoveKind::Link { condition, stage } | MoveKind::Unlink { condition, stage } => {
                let c = self.resolve("condition", condition, NodeKind::Condition)?;
                if self.condition_data(c).demanded_by != Some(actor) {
                    let demander = self
                        .condition_data(c)
                        .demanded_by
                        .map(|p| vec![p])
                        .unwrap_or_default();
                    return Err(wrong_actor(
                        self,
                        c,
                        format!("only its demander ({}) may", self.party_keys(&demander)),
                    ));
                }
                let act = self.own_act(actor, verb, stage)?;
                let linked = self.graph.edge(act, c).is_some_and(|e| e.by == Some(actor));
                let link = matches!(kind, MoveKind::Link { .. });
                if linked == link {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: condition.clone(),
                        reason: format!(
                            "it is {} `{}`",
                            if linked {
                                "already linked to"
                            } else {
                                "not linked to"
                            },
                            self.key_of(act)
                        ),
                    });
                }
                if link {
                    if self.graph.edge(act, c).is_some() {
                        return Err(MoveError::NoChange {
                            actor: actor_key,
                            verb,
                            node: condition.clone(),
                            reason: format!("`{}` already requires it", self.key_of(act)),
                        });
                    }
                    self.add_edge(act, c, RequirementEdge::precondition(actor))?;
                    Ok(None)
                } else {
                    self.remove_edge(act, c)?;
                    Ok(Some(ConcessionKind::DroppedOwnPrecondition(c)))
                }
            }
            MoveKind::Waive { condition }
            | MoveKind::Contest { condition }
            | MoveKind::Fulfil { condition } => {
                let c = self.resolve("condition", condition, NodeKind::Condition)?;
                let data = self.condition_data(c);
                let status = data.status;
                let (allowed, who) = match kind {
                    MoveKind::Waive { .. } => (
                        data.demanded_by == Some(actor),
                        (
                            "its demander",
                            data.demanded_by.into_iter().collect::<Vec<_>>(),
                        ),
                    ),
                    _ => (
                        data.owed_by.contains(&actor),
                        ("its obligors", data.owed_by.clone()),
                    ),
                };
                if !allowed {
                    let reason = format!("only {} ({}) may", who.0, self.party_keys(&who.1));
                    return Err(wrong_actor(self, c, reason));
                }
                let (ok_from, to): (&[ConditionStatus], ConditionStatus) = match kind {
                    MoveKind::Waive { .. } => (
                        &[ConditionStatus::Unmet, ConditionStatus::Contested],
                        ConditionStatus::Waived,
                    ),
                    MoveKind::Contest { .. } => {
                        (&[ConditionStatus::Unmet], ConditionStatus::Contested)
                    }
                    _ => (
                        &[ConditionStatus::Unmet, ConditionStatus::Contested],
                        ConditionStatus::Met,
                    ),
                };
                if !ok_from.contains(&status) {
                    return Err(MoveError::InvalidStatus {
                        verb,
                        node: condition.clone(),
                        status: status.into(),
                    });
                }
                if to == ConditionStatus::Met && self.blocked(c) {
                    return Err(self.blocked_error(&actor_key, verb, c));
                }
                // A joint obligation is met when the last obligor does its part.
                let joint = data.obligation == Obligation::Joint && to == ConditionStatus::Met;
                if joint && data.done.contains(&actor) {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: condition.clone(),
                        reason: "it has already done its part".to_owned(),
                    });
                }
                let last_part = !joint || data.done.len() + 1 == data.owed_by.len();
                self.update_node(c, |d| {
                    if let NodeData::Condition(cond) = d {
                        if joint {
                            if let Err(i) = cond.done.binary_search(&actor) {
                                cond.done.insert(i, actor);
                            }
                        }
                        if last_part {
                            cond.status = to;
                        }
                    }
                })?;
                if !last_part {
                    return Ok(None);
                }
                Ok(match to {
                    ConditionStatus::Waived => Some(ConcessionKind::WaivedOwnDemand(c)),
                    ConditionStatus::Met if status == ConditionStatus::Contested => {
                        Some(ConcessionKind::FulfilledContested(c))
                    }
                    _ => None,
                })
            }
            MoveKind::Offer { concession }
            | MoveKind::Make { concession }
            | MoveKind::Retract { concession } => {
                let c = self.resolve("concession", concession, NodeKind::Concession)?;
                let by = self.concession_data(c).by;
                if by != actor {
                    return Err(wrong_actor(
                        self,
                        c,
                        format!("only {} may", self.party_keys(&[by])),
                    ));
                }
                let status = self.concession_data(c).status;
                let (ok_from, to): (&[ConcessionStatus], ConcessionStatus) = match kind {
                    MoveKind::Offer { .. } => (
                        &[ConcessionStatus::Possible, ConcessionStatus::Retracted],
                        ConcessionStatus::Offered,
                    ),
                    MoveKind::Retract { .. } => {
                        (&[ConcessionStatus::Offered], ConcessionStatus::Retracted)
                    }
                    _ => (
                        &[ConcessionStatus::Possible, ConcessionStatus::Offered],
                        ConcessionStatus::Made,
                    ),
                };
                if !ok_from.contains(&status) {
                    return Err(MoveError::InvalidStatus {
                        verb,
                        node: concession.clone(),
                        status: status.into(),
                    });
                }
                if to == ConcessionStatus::Made {
                    if self.blocked(c) {
                        return Err(self.blocked_error(&actor_key, verb, c));
                    }
                    let effects = self.concession_data(c).effects.clone();
                    for (i, effect) in effects.iter().enumerate() {
                        if self.effect_holds(actor, effect) {
                            continue;
                        }
                        self.apply_as(actor, &effect_move(effect)).map_err(|e| {
                            MoveError::Effect {
                                concession: concession.clone(),
                                effect: i,
                                source: Box::new(e),
                            }
                        })?;
                    }
                }
                self.update_node(c, |d| {
                    if let NodeData::Concession(con) = d {
                        con.status = to;
                    }
                })?;
                Ok((to == ConcessionStatus::Made).then_some(ConcessionKind::Made(c)))
            }
            MoveKind::DeclareReady { stage } => {
                let act = self.own_act(actor, verb, stage)?;
                let NodeData::Act(a) = &self.nodes[act.index()].data else {
                    unreachable!("own_act returns an act")
                };
                if a.performed || a.ready {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: stage.clone(),
                        reason: format!(
                            "its act is already {}",
                            if a.performed {
                                "performed"
                            } else {
                                "declared ready"
                            }
                        ),
                    });
                }
                self.update_node(act, |d| {
                    if let NodeData::Act(a) = d {
                        a.ready = true;
                    }
                })?;
                Ok(None)
            }
            MoveKind::Require { requirement } => {
                let declaration = |source| MoveError::Declaration {
                    source: Box::new(source),
                };
                let resolved = self
                    .resolve_requirement("requirement", requirement)
                    .map_err(declaration)?;
                if let Some(p) = resolved.edge.by.filter(|&p| p != actor) {
                    return Err(MoveError::WrongActor {
                        actor: actor_key,
                        verb,
                        node: requirement.node.clone(),
                        reason: format!(
                            "only {} may attach a precondition there; a rule of law or of the process is a procedure",
                            self.party_keys(&[p])
                        ),
                    });
                }
                let target = match resolved.target {
                    ReqTarget::Node(t) => t,
                    ReqTarget::Group {
                        key,
                        group,
                        alternatives,
                    } => {
                        let g = self.add_node(key, NodeData::Group(group))?;
                        for (t, weight) in alternatives {
                            let edge = RequirementEdge {
                                weight,
                                ..RequirementEdge::of(RequirementKind::Alternative)
                            };
                            self.add_edge(g, t, edge)?;
                        }
                        g
                    }
                };
                for from in resolved.requirers {
                    self.add_edge(from, target, resolved.edge)?;
                    if let Some(c) = &resolved.citation {
                        self.set_citation(from, target, Some(c.clone()));
                    }
                }
                Ok(None)
            }
            MoveKind::Unrequire { node, required } => {
                let unknown = |field, id: &str| MoveError::InvalidField {
                    field,
                    reason: format!("unknown node `{id}`"),
                };
                let n = self.node_id(node).ok_or_else(|| unknown("node", node))?;
                let to = self
                    .node_id(required)
                    .ok_or_else(|| unknown("required", required))?;
                // On a stage, the actor's own act of it.
                let from = match &self.nodes[n.index()].data {
                    NodeData::Stage(st) => st.act_of(actor).unwrap_or(n),
                    _ => n,
                };
                match self.graph.edge(from, to) {
                    Some(e) if e.by == Some(actor) => {}
                    Some(e) => {
                        let whose = match e.by {
                            Some(p) => format!("it is {}'s precondition", self.party_keys(&[p])),
                            None => "it is not a precondition: a procedure or structure stays"
                                .to_owned(),
                        };
                        return Err(MoveError::WrongActor {
                            actor: actor_key,
                            verb,
                            node: node.clone(),
                            reason: whose,
                        });
                    }
                    None => {
                        return Err(MoveError::NoChange {
                            actor: actor_key,
                            verb,
                            node: node.clone(),
                            reason: format!(
                                "`{}` does not require `{required}`",
                                self.key_of(from)
                            ),
                        })
                    }
                }
                self.remove_edge(from, to)?;
                Ok(Some(ConcessionKind::DroppedOwnPrecondition(to)))
            }
            MoveKind::OpenTrack { track } => {
                self.open_track(actor, &actor_key, track)?;
                Ok(None)
            }
            MoveKind::Record { event, about } => {
                if event.trim().is_empty() {
                    return Err(MoveError::InvalidField {
                        field: "event",
                        reason: "an event says what happened".to_owned(),
                    });
                }
                if let Some(x) = about {
                    if self.node_id(x).is_none() && self.track_id(x).is_none() {
                        return Err(MoveError::InvalidField {
                            field: "about",
                            reason: format!("unknown node or track `{x}`"),
                        });
                    }
                }
                Ok(None)
            }
            MoveKind::Reschedule { entry } => {
                self.reschedule(actor, entry)?;
                Ok(None)
            }
            MoveKind::Extend { track, until } => {
                let t = self.resolve_track("track", track)?;
                let tr = &self.tracks[t.index()];
                if !tr.principals.contains(&actor) {
                    return Err(MoveError::WrongActor {
                        actor: self.parties[actor.index()].key.clone(),
                        verb,
                        node: track.clone(),
                        reason: format!(
                            "only the principals of track `{track}` ({}) may",
                            self.party_keys(&tr.principals)
                        ),
                    });
                }
                let Some(old) = tr.long_stop else {
                    return Err(MoveError::InvalidField {
                        field: "track",
                        reason: format!("track `{track}` has no long-stop date"),
                    });
                };
                if old.date == *until {
                    return Err(MoveError::NoChange {
                        actor: self.parties[actor.index()].key.clone(),
                        verb,
                        node: track.clone(),
                        reason: format!("its long-stop date is already {until}"),
                    });
                }
                self.journal.push(Undo::LongStop {
                    track: t,
                    old: Some(old),
                });
                self.tracks[t.index()].long_stop = Some(LongStop {
                    date: *until,
                    ..old
                });
                Ok(None)
            }
            MoveKind::Perform { stage } => {
                let act = self.own_act(actor, verb, stage)?;
                self.check_lapse(act)?;
                if self.satisfied(act) {
                    return Err(MoveError::InvalidStatus {
                        verb,
                        node: self.key_of(act).to_owned(),
                        status: Status::Performed,
                    });
                }
                if self.blocked(act) {
                    return Err(self.blocked_error(&actor_key, verb, act));
                }
                self.update_node(act, |d| {
                    if let NodeData::Act(a) = d {
                        a.performed = true;
                    }
                })?;
                Ok(None)
            }
        }
    }

    /// Whether an effect's result already holds, so making the concession skips it.
    fn effect_holds(&self, actor: PartyId, effect: &Effect) -> bool {
        let node = |id: &str| self.node_id(id);
        match effect {
            Effect::Accept { article } => {
                node(article).is_some_and(|a| match &self.nodes[a.index()].data {
                    NodeData::Article(art) => art.position(actor) == Position::Accepts,
                    _ => false,
                })
            }
            Effect::Fulfil { condition } | Effect::Waive { condition } => node(condition)
                .is_some_and(|c| match &self.nodes[c.index()].data {
                    NodeData::Condition(cond) => {
                        matches!(cond.status, ConditionStatus::Met | ConditionStatus::Waived)
                            || (matches!(effect, Effect::Fulfil { .. })
                                && cond.done.contains(&actor))
                    }
                    _ => false,
                }),
            Effect::Unlink { condition, stage } => {
                let act = node(stage).and_then(|s| match &self.nodes[s.index()].data {
                    NodeData::Stage(st) => st.act_of(actor),
                    _ => None,
                });
                match (act, node(condition)) {
                    (Some(act), Some(c)) => self.graph.edge(act, c).is_none(),
                    _ => false,
                }
            }
            Effect::MoveArticle { article, to_track } => node(article).is_some_and(|a| {
                match (&self.nodes[a.index()].data, self.track_id(to_track)) {
                    (NodeData::Article(art), Some(t)) => art.track == t,
                    _ => false,
                }
            }),
        }
    }

    /// Builds the transition report from the journal entries after `mark`.
    fn transition_since(&self, mark: usize, concession: Option<ConcessionKind>) -> Transition {
        let entries = &self.journal[mark..];
        let mut before: BTreeMap<NodeId, (Status, bool)> = BTreeMap::new();
        let mut old_positions: BTreeMap<NodeId, Vec<(PartyId, Position)>> = BTreeMap::new();
        let mut old_parts: BTreeMap<NodeId, Vec<PartyId>> = BTreeMap::new();
        let mut added = BTreeSet::new();
        let mut edges: BTreeMap<(NodeId, NodeId), (RequirementEdge, i32)> = BTreeMap::new();
        for entry in entries {
            match entry {
                Undo::Touch {
                    node,
                    status,
                    blocked,
                } => {
                    before.entry(*node).or_insert((*status, *blocked));
                }
                Undo::Data {
                    node,
                    old: NodeData::Article(a),
                } => {
                    old_positions
                        .entry(*node)
                        .or_insert_with(|| a.positions.clone());
                }
                Undo::Data {
                    node,
                    old: NodeData::Condition(c),
                } => {
                    old_parts.entry(*node).or_insert_with(|| c.done.clone());
                }
                Undo::NodeAdded { node } => {
                    added.insert(*node);
                }
                Undo::EdgeAdded { from, to } => {
                    let edge = self
                        .graph
                        .edge(*from, *to)
                        .unwrap_or(RequirementEdge::of(RequirementKind::Procedure));
                    edges.entry((*from, *to)).or_insert((edge, 0)).1 += 1;
                }
                Undo::EdgeRemoved { from, to, edge } => {
                    edges.entry((*from, *to)).or_insert((*edge, 0)).1 -= 1;
                }
                _ => {}
            }
        }
        let mut t = Transition {
            added: added.iter().copied().collect(),
            concession,
            ..Transition::default()
        };
        for &n in &added {
            if self.blocked(n) {
                t.newly_blocked.push(n);
            }
        }
        for (&node, &(status, blocked)) in before.iter().filter(|(n, _)| !added.contains(*n)) {
            let now = self.status_of(node);
            if now != status {
                t.status_changes.push(StatusChange {
                    node,
                    from: status,
                    to: now,
                });
                match (status, now) {
                    (_, Status::Reached) => t.reached.push(node),
                    (Status::Reached, _) => t.reopened.push(node),
                    _ => {}
                }
            }
            match (blocked, self.blocked(node)) {
                (false, true) => t.newly_blocked.push(node),
                (true, false) => t.newly_unblocked.push(node),
                _ => {}
            }
        }
        t.newly_blocked.sort_unstable();
        for (article, old) in old_positions
            .into_iter()
            .filter(|(n, _)| !added.contains(n))
        {
            let new = &self.article_data(article).positions;
            let parties: BTreeSet<PartyId> =
                old.iter().chain(new.iter()).map(|&(p, _)| p).collect();
            let lookup = |list: &[(PartyId, Position)], p: PartyId| {
                list.iter()
                    .find(|(q, _)| *q == p)
                    .map_or(Position::NotStated, |&(_, pos)| pos)
            };
            for party in parties {
                let (from, to) = (lookup(&old, party), lookup(new, party));
                if from != to {
                    t.position_changes.push(PositionChange {
                        article,
                        party,
                        from,
                        to,
                    });
                }
            }
        }
        for (c, old) in old_parts {
            if let NodeData::Condition(cond) = &self.nodes[c.index()].data {
                t.parts_done
                    .extend(
                        cond.done
                            .iter()
                            .filter(|p| !old.contains(p))
                            .map(|&p| PartDone {
                                condition: c,
                                party: p,
                                done: cond.done.len(),
                                of: cond.owed_by.len(),
                            }),
                    );
            }
        }
        for ((from, to), (edge, net)) in edges {
            let req = (from, Requirement::new(to, edge));
            match net {
                n if n > 0 => {
                    t.deadlocks.extend(self.deadlock_through(from, to));
                    t.requirements_added.push(req);
                }
                n if n < 0 => t.requirements_removed.push(req),
                _ => {}
            }
        }
        t
    }
}

/// The move that carries out a concession's effect.
fn effect_move(effect: &Effect) -> MoveKind {
    match effect.clone() {
        Effect::Accept { article } => MoveKind::SetPosition {
            article,
            position: Position::Accepts,
        },
        Effect::Fulfil { condition } => MoveKind::Fulfil { condition },
        Effect::Waive { condition } => MoveKind::Waive { condition },
        Effect::Unlink { condition, stage } => MoveKind::Unlink { condition, stage },
        Effect::MoveArticle { article, to_track } => MoveKind::MoveArticle { article, to_track },
    }
}

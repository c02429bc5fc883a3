//! What a move is: `Move`, its `MoveKind` and `MoveMeta`, their verbs and text.

use std::fmt;

use crate::build::{BasisSpec, Needs, RequirementSpec, TrackSpec};
use crate::model::Position;
use crate::schedule::{DueSpec, ScheduleSpec};
use crate::time::Date;

/// Optional metadata of a move: when, according to whom, and a note.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
#[non_exhaustive]
#[must_use]
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
#[non_exhaustive]
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
    #[must_use]
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
    #[must_use]
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
                        of.iter()
                            .map(|(n, w)| format!("{n} ({w})"))
                            .collect::<Vec<_>>()
                            .join(", ")
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

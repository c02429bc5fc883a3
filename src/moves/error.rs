//! Why a move was refused (`MoveError`).

use crate::build::BuildError;
use crate::explain::Explanation;
use crate::model::{NodeKind, Status};
use crate::time::Date;
use crate::util::did_you_mean;

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

//! Why a declaration does not build (`BuildError`, with the path into it).

use crate::model::{Role, Status};

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
    #[error("{path}: unknown {expected} `{id}`{}", crate::util::did_you_mean(.suggestion))]
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
    #[must_use]
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

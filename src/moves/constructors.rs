//! The constructors of moves (`Move::perform`, `Move::demand`, …) and their metadata setters.

use crate::build::{RequirementSpec, TrackSpec};
use crate::model::Position;
use crate::schedule::ScheduleSpec;
use crate::time::Date;

use super::kind::{Move, MoveKind, MoveMeta};

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
    /// the history ([`MoveError::OutOfOrder`](crate::MoveError::OutOfOrder)); undated moves go anywhere.
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
    /// `stage`: [`demand`](Self::demand)'s arguments, then where the demand attaches (the
    /// order of every move: the actor, the subject, then where it attaches, as in
    /// [`link`](Self::link)).
    pub fn precondition<I: IntoIterator<Item = S>, S: Into<String>>(
        actor: impl Into<String>,
        condition: impl Into<String>,
        description: impl Into<String>,
        owed_by: I,
        stage: impl Into<String>,
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

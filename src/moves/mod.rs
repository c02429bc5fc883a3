//! Moves, their atomic application, and transition reports.

mod apply;
mod checks;
mod constructors;
mod declare;
mod error;
mod kind;
pub(crate) mod log;
mod transition;

pub use error::MoveError;
pub use kind::{Move, MoveKind, MoveMeta};
pub use transition::{ConcessionKind, PartDone, PositionChange, StatusChange, Transition};

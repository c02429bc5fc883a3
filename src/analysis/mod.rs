//! Analysis: plans to a target, cheapest unblocking sets, deadlocks, landmarks and leverage.
//!
//! The questions are asked of an AND-OR graph derived from the requirement graph: each
//! unsatisfied node is satisfied by its own moves (a fulfilment, an act, acceptances, making
//! a concession) once all its unsatisfied requirements are; an any-of group once one of its
//! alternatives is; and, when concessions by demanders are allowed, a demanded condition can
//! instead be waived and a precondition unlinked.

mod landmarks;
mod leverage;
mod options;
mod plan;
mod region;
mod unblock;

use crate::ids::PartyId;
use crate::state::Negotiation;

pub use landmarks::Landmarks;
pub use leverage::{Leverage, PartyLeverage};
pub use options::{Costs, Effort, Options};
pub use plan::{Plan, PlanError};
pub use region::{Obstacle, PlannedMove};
pub use unblock::{Unblocking, UnblockingSet};

/// A party's name, for the text renderings.
fn name(neg: &Negotiation, p: PartyId) -> &str {
    crate::lookup::party_name(neg, p)
}

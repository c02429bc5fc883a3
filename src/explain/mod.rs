//! Blocker explanations as data, and a default text reporter.

mod blockers;
mod report;
mod types;

pub use report::{DefaultReporter, Reporter};
pub use types::{
    Cause, Demand, Entry, Explanation, GroupProgress, Grouping, Outstanding, Reason, Step,
};

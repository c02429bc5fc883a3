//! Time on the requirement graph: due dates, durations and long-stop dates, and the questions
//! they answer — what is overdue or coming due on a date, which deadlines are not yet running,
//! and the earliest (and latest) date a node can be satisfied, with its critical path.

mod deadlines;
mod declare;
mod earliest;
mod spec;

pub use deadlines::{Deadlines, DueItem, LongStopStatus, NotRunning, Outlook};
pub use declare::DueDate;
pub use earliest::{Earliest, PathStep};
pub use spec::{Due, DueSpec, LongStopSpec, ScheduleSpec, Takes};
pub(crate) use spec::{Schedule, Timing};

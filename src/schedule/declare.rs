//! Declaring a schedule on a negotiation (by the builder and the `reschedule` move), and
//! reading a node's due date and duration back.

use crate::build::BuildError;
use crate::ids::{NodeId, TrackId};
use crate::model::NodeData;
use crate::state::Negotiation;
use crate::time::Date;

use super::spec::{Due, DueSpec, LongStopSpec, ScheduleSpec, Takes};
use crate::model::LongStop;

impl Negotiation {
    /// Checks one schedule entry against the negotiation and records it.
    pub(crate) fn declare_schedule(
        &mut self,
        at: &str,
        s: &ScheduleSpec,
    ) -> Result<(), BuildError> {
        let node = self
            .node_id(&s.node)
            .ok_or_else(|| self.dangling(format!("{at}.node"), "node", &s.node))?;
        let refuse = |field: &str, reason: String| BuildError::Schedule {
            path: format!("{at}.{field}"),
            node: s.node.clone(),
            reason,
        };
        let data = &self.nodes[node.index()].data;
        let kind = data.kind();
        let timing = self.schedule.entry(node).or_default();
        if let Some(due) = &s.due {
            if !matches!(
                data,
                NodeData::Condition(_) | NodeData::Act(_) | NodeData::Stage(_)
            ) {
                return Err(refuse(
                    "due",
                    format!(
                        "it is {}; due dates go on conditions, acts and stages",
                        kind.with_article()
                    ),
                ));
            }
            if timing.due.is_some() {
                return Err(refuse("due", "it already has a due date".to_owned()));
            }
            timing.due = Some(match due {
                DueSpec::By(date) => Due::By(*date),
                DueSpec::Within { span, after } => {
                    // `timing` holds the schedule: the suggestion reads the nodes alone.
                    let anchor = self
                        .node_index
                        .get(after, |i| self.nodes[i].key.as_ref())
                        .map(|i| crate::ids::NodeId::new(i, self.graph.owner()))
                        .ok_or_else(|| BuildError::DanglingReference {
                            path: format!("{at}.due.after"),
                            expected: "node",
                            id: after.clone(),
                            suggestion: crate::util::nearest(
                                after,
                                self.nodes.iter().map(|n| n.key.as_ref()),
                            )
                            .map(str::to_owned),
                        })?;
                    if anchor == node {
                        return Err(refuse(
                            "due.after",
                            "a deadline cannot run from the node's own satisfaction".to_owned(),
                        ));
                    }
                    Due::Within {
                        span: *span,
                        after: anchor,
                    }
                }
            });
        }
        if let Some(takes) = s.takes {
            if !matches!(data, NodeData::Condition(_) | NodeData::Act(_)) {
                return Err(refuse(
                    "takes",
                    format!(
                        "it is {}; durations go on conditions and acts",
                        kind.with_article()
                    ),
                ));
            }
            if timing.takes.is_some() {
                return Err(refuse("takes", "it already has a duration".to_owned()));
            }
            if let Some(max) = takes.max {
                if let Some(start) = max.shorter_than(takes.min) {
                    return Err(refuse(
                        "takes.max",
                        format!(
                            "its maximum ({max}) is shorter than its minimum ({}) from {start}",
                            takes.min
                        ),
                    ));
                }
            }
            timing.takes = Some(takes);
        }
        Ok(())
    }

    /// Resolves a track's long-stop against its declared stages.
    pub(crate) fn resolve_long_stop(
        &self,
        at: &str,
        track: TrackId,
        spec: &LongStopSpec,
    ) -> Result<LongStop, BuildError> {
        let stage =
            self.stage(track, &spec.stage)
                .ok_or_else(|| BuildError::DanglingReference {
                    path: format!("{at}.long_stop.stage"),
                    expected: "stage of the track",
                    id: spec.stage.to_string(),
                    suggestion: None,
                })?;
        Ok(LongStop {
            stage,
            date: spec.date,
            lapses: spec.lapses,
        })
    }

    /// When `node` is due, if declared (`None` for a handle of another negotiation).
    #[must_use]
    pub fn due(&self, node: NodeId) -> Option<Due> {
        if !self.has_node(node) {
            return None;
        }
        self.schedule.get(&node).and_then(|t| t.due)
    }

    /// How long `node` takes, if declared (`None` for a handle of another negotiation).
    #[must_use]
    pub fn takes(&self, node: NodeId) -> Option<Takes> {
        if !self.has_node(node) {
            return None;
        }
        self.schedule.get(&node).and_then(|t| t.takes)
    }

    /// The date a deadline falls on, if it is running: an absolute date, or the span after the
    /// date its anchor was satisfied (counted from the end of that date's period).
    #[must_use]
    pub fn due_date(&self, due: Due) -> DueDate {
        match due {
            Due::By(date) => DueDate::On(date),
            Due::Within { after, .. } if !self.satisfied(after) => DueDate::NotRunning,
            Due::Within { span, after } => match self.satisfied_since(after) {
                None => DueDate::Undated,
                Some(anchor) => match anchor.end_plus(span) {
                    Ok(date) => DueDate::On(date),
                    Err(_) => DueDate::Undated,
                },
            },
        }
    }
}

/// The date a deadline falls on; see [`Negotiation::due_date`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DueDate {
    /// It falls on this date.
    On(Date),
    /// Its anchor is not satisfied: the clock has not started.
    NotRunning,
    /// Its anchor was satisfied by an undated move (or the date falls past 9999): unknown.
    Undated,
}

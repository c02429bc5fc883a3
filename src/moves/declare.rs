//! Moves that declare structure: requirements on an article, a new track, a schedule entry.

use crate::build::TrackSpec;
use crate::ids::{NodeId, PartyId, TrackId};
use crate::model::{NodeData, RequirementEdge, RequirementKind};
use crate::schedule::{ScheduleSpec, Timing};
use crate::state::{Negotiation, Undo};

use super::error::MoveError;

impl Negotiation {
    /// Checks a reschedule against the node and the actor, then replaces the node's timing
    /// (journaled).
    pub(super) fn reschedule(
        &mut self,
        actor: PartyId,
        entry: &ScheduleSpec,
    ) -> Result<(), MoveError> {
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

    pub(super) fn set_article_requirements(
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
    pub(super) fn open_track(
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
}

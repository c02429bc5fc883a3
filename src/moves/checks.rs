//! What a move checks before it changes anything: ids resolved, actor, status, blockers,
//! lapse.

use std::collections::BTreeSet;

use crate::ids::{NodeId, PartyId, TrackId};
use crate::model::{Article, Concession, Condition, NodeData, NodeKind, Role, Status};
use crate::state::Negotiation;

use super::error::MoveError;

impl Negotiation {
    /// Refuses an act of a track that has lapsed ([`Negotiation::lapsed`]).
    pub(super) fn check_lapse(&self, act: NodeId) -> Result<(), MoveError> {
        match self.lapsed(act) {
            Some((track, ls, now)) => Err(MoveError::Lapsed {
                track: self.tracks[track.index()].key.clone(),
                stage: self.key_of(ls.stage).to_owned(),
                long_stop: ls.date,
                date: now,
            }),
            None => Ok(()),
        }
    }

    pub(super) fn resolve_party(
        &self,
        field: &'static str,
        id: &str,
    ) -> Result<PartyId, MoveError> {
        self.party_id(id).ok_or_else(|| MoveError::UnknownParty {
            field,
            id: id.to_owned(),
            suggestion: self.nearest_id("party", id),
        })
    }

    pub(super) fn resolve_track(
        &self,
        field: &'static str,
        id: &str,
    ) -> Result<TrackId, MoveError> {
        self.track_id(id).ok_or_else(|| MoveError::UnknownTrack {
            field,
            id: id.to_owned(),
            suggestion: self.nearest_id("track", id),
        })
    }

    pub(super) fn resolve(
        &self,
        field: &'static str,
        id: &str,
        expected: NodeKind,
    ) -> Result<NodeId, MoveError> {
        match self.node_id(id).map(|n| (n, self.kind(n))) {
            Some((n, Some(kind))) if kind == expected => Ok(n),
            Some((_, Some(found))) => Err(MoveError::WrongKind {
                field,
                expected,
                found,
                id: id.to_owned(),
            }),
            _ => Err(MoveError::UnknownNode {
                field,
                expected,
                id: id.to_owned(),
                suggestion: self.nearest_node_id(id).map(str::to_owned),
            }),
        }
    }

    pub(super) fn article_data(&self, n: NodeId) -> &Article {
        match &self.nodes[n.index()].data {
            NodeData::Article(a) => a,
            _ => unreachable!("resolved as an article"),
        }
    }

    pub(super) fn condition_data(&self, n: NodeId) -> &Condition {
        match &self.nodes[n.index()].data {
            NodeData::Condition(c) => c,
            _ => unreachable!("resolved as a condition"),
        }
    }

    pub(super) fn concession_data(&self, n: NodeId) -> &Concession {
        match &self.nodes[n.index()].data {
            NodeData::Concession(c) => c,
            _ => unreachable!("resolved as a concession"),
        }
    }

    pub(super) fn party_keys(&self, parties: &[PartyId]) -> String {
        if parties.is_empty() {
            return "nobody".to_owned();
        }
        parties
            .iter()
            .map(|p| format!("`{}`", self.parties[p.index()].key))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(super) fn blocked_error(&self, actor: &str, verb: &'static str, n: NodeId) -> MoveError {
        let explanation = self.explain(n);
        MoveError::Blocked {
            actor: actor.to_owned(),
            verb,
            node: self.key_of(n).to_owned(),
            frontier: explanation
                .frontier()
                .into_iter()
                .map(|f| self.key_of(f).to_owned())
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            deadlocked: explanation
                .deadlocks()
                .iter()
                .flat_map(|d| &d.nodes)
                .map(|&n| self.key_of(n).to_owned())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .into_boxed_slice(),
            explanation: Box::new(explanation),
        }
    }

    /// The actor's act of `stage`, or a `WrongActor` error naming the performers.
    pub(super) fn own_act(
        &self,
        actor: PartyId,
        verb: &'static str,
        stage_key: &str,
    ) -> Result<NodeId, MoveError> {
        let stage = self.resolve("stage", stage_key, NodeKind::Stage)?;
        let NodeData::Stage(s) = &self.nodes[stage.index()].data else {
            unreachable!("resolved as a stage")
        };
        s.act_of(actor).ok_or_else(|| MoveError::WrongActor {
            actor: self.parties[actor.index()].key.clone(),
            verb,
            node: stage_key.to_owned(),
            reason: format!(
                "only {} perform it",
                self.party_keys(&s.acts.iter().map(|&(p, _)| p).collect::<Vec<_>>())
            ),
        })
    }

    pub(super) fn require_principal(
        &self,
        actor: PartyId,
        verb: &'static str,
        article: NodeId,
        mediator_ok: bool,
    ) -> Result<(), MoveError> {
        let track_id = self.article_data(article).track;
        let track = &self.tracks[track_id.index()];
        let is_mediator = mediator_ok && self.role_on(actor, track_id) == Some(Role::Mediator);
        if track.principals.contains(&actor) || is_mediator {
            return Ok(());
        }
        Err(MoveError::WrongActor {
            actor: self.parties[actor.index()].key.clone(),
            verb,
            node: self.key_of(article).to_owned(),
            reason: format!(
                "only the principals of track `{}` ({}) may",
                track.key,
                self.party_keys(&track.principals)
            ),
        })
    }

    pub(super) fn require_active(
        &self,
        verb: &'static str,
        article: NodeId,
    ) -> Result<(), MoveError> {
        if self.article_data(article).excluded {
            return Err(MoveError::InvalidStatus {
                verb,
                node: self.key_of(article).to_owned(),
                status: Status::Excluded,
            });
        }
        Ok(())
    }
}

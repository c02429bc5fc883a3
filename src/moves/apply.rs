//! Applying a move atomically: dispatch on its kind, concession detection, dating, rollback.

use crate::build::ReqTarget;
use crate::ids::{NodeId, PartyId};
use crate::model::LongStop;
use crate::model::{
    Article, ConcessionStatus, Condition, ConditionStatus, Effect, NodeData, NodeKind, Obligation,
    Position, RequirementEdge, RequirementKind, Role, Status,
};
use crate::state::{Negotiation, Undo};
use crate::time::Date;

use super::error::MoveError;
use super::kind::{Move, MoveKind};
use super::transition::{ConcessionKind, Transition};

impl Negotiation {
    /// Applies a move atomically.
    ///
    /// # Errors
    ///
    /// A [`MoveError`] saying why the move is refused — unknown id, wrong actor, not allowed
    /// in the current status, blocked (with the explanation), or undoing something final. The
    /// negotiation is then exactly as it was ([invariant I3](crate#guarantees)).
    ///
    /// # Complexity
    ///
    /// Proportional to what the move changes: the nodes whose satisfaction or blocked flag
    /// changes and their direct dependents. No walk of the whole graph.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, Move, MoveError, Negotiation, Role, StageKind, TrackSpec};
    ///
    /// let mut neg = Negotiation::builder()
    ///     .party("a", "A", Role::Principal)
    ///     .party("b", "B", Role::Principal)
    ///     .track(TrackSpec::new("deal", "The deal", ["a", "b"]).stage(StageKind::Signed))
    ///     .condition(ConditionSpec::new("vote", "B's parliament approves").owed_by(["b"]))
    ///     .precondition("a", "vote", "deal.signed")
    ///     .build()?;
    /// let before = neg.clone();
    /// let err = neg.apply(&Move::perform("a", "deal.signed")).unwrap_err();
    /// assert!(matches!(err, MoveError::Blocked { .. }));
    /// assert_eq!(neg, before);
    ///
    /// let t = neg.apply(&Move::fulfil("b", "vote"))?;
    /// let (stage, act) = (neg.node_id("deal.signed").unwrap(), neg.node_id("deal.signed.a").unwrap());
    /// assert_eq!(t.newly_unblocked, vec![stage, act]);
    /// neg.apply(&Move::perform("a", "deal.signed"))?;
    /// let t = neg.apply(&Move::perform("b", "deal.signed"))?;
    /// assert_eq!(t.reached, vec![neg.node_id("deal.signed").unwrap()]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&mut self, mv: &Move) -> Result<Transition, MoveError> {
        self.apply_reporting(mv, true, true)
            .map(Option::unwrap_or_default)
    }

    /// [`apply`](Self::apply) without building the transition report, for replays that
    /// would throw it away.
    pub(crate) fn apply_quietly(&mut self, mv: &Move) -> Result<(), MoveError> {
        self.apply_reporting(mv, false, true).map(drop)
    }

    /// [`apply_quietly`](Self::apply_quietly) without recording the move in the history, for
    /// a replay that installs the moves as the history afterwards. Not for hypotheticals.
    pub(crate) fn apply_unrecorded(&mut self, mv: &Move) -> Result<(), MoveError> {
        self.apply_reporting(mv, false, false).map(drop)
    }

    /// Applies `mv`; with `report`, the transition; with `record`, the move joins the history.
    pub(super) fn apply_reporting(
        &mut self,
        mv: &Move,
        report: bool,
        record: bool,
    ) -> Result<Option<Transition>, MoveError> {
        let mark = self.journal.len();
        match self.check_date(mv).and_then(|()| self.apply_kind(mv)) {
            Ok(concession) => {
                let transition = report.then(|| self.transition_since(mark, concession));
                self.date_satisfactions(mark, mv.meta.date);
                if record {
                    self.record(mv);
                }
                if self.hypothetical == 0 {
                    self.journal.truncate(mark);
                } else {
                    self.journal.push(Undo::History);
                }
                Ok(transition)
            }
            Err(e) => {
                self.rollback(mark);
                Err(e)
            }
        }
    }

    /// Refuses a dated move certainly before a dated move already recorded, and otherwise
    /// keeps the latest date (journaled).
    pub(super) fn check_date(&mut self, mv: &Move) -> Result<(), MoveError> {
        let Some(date) = mv.meta.date else {
            return Ok(());
        };
        match self.latest_date {
            Some(previous) if date.is_before(previous) => {
                Err(MoveError::OutOfOrder { date, previous })
            }
            Some(previous) if date <= previous => Ok(()),
            old => {
                self.journal.push(Undo::LatestDate { old });
                self.latest_date = Some(date);
                Ok(())
            }
        }
    }

    /// After a successful move: each node the move satisfied is satisfied since its date, and
    /// each node it unsatisfied is not (journaled).
    pub(super) fn date_satisfactions(&mut self, mark: usize, date: Option<Date>) {
        // Each changed node with its satisfaction before the move (its first entry).
        let mut changed: Vec<(NodeId, bool)> = self.journal[mark..]
            .iter()
            .filter_map(|u| match *u {
                Undo::Sat { node, old } => Some((node, old)),
                Undo::NodeAdded { node } => Some((node, false)),
                _ => None,
            })
            .collect();
        // A stable sort keeps each node's entries in journal order.
        changed.sort_by_key(|&(n, _)| n);
        changed.dedup_by_key(|&mut (n, _)| n);
        for (n, was) in changed {
            let new = match (was, self.sat[n.index()]) {
                (false, true) => date,
                (_, false) => None,
                (true, true) => continue,
            };
            let old = std::mem::replace(&mut self.since[n.index()], new);
            if old != new {
                self.journal.push(Undo::Since { node: n, old });
            }
        }
    }

    pub(super) fn apply_kind(&mut self, mv: &Move) -> Result<Option<ConcessionKind>, MoveError> {
        let actor = self.resolve_party("actor", &mv.actor)?;
        self.apply_as(actor, &mv.kind)
    }

    pub(super) fn apply_as(
        &mut self,
        actor: PartyId,
        kind: &MoveKind,
    ) -> Result<Option<ConcessionKind>, MoveError> {
        let verb = kind.verb();
        let actor_key = self.parties[actor.index()].key.clone();
        let wrong_actor = |neg: &Negotiation, node: NodeId, reason: String| MoveError::WrongActor {
            actor: actor_key.clone(),
            verb,
            node: neg.key_of(node).to_owned(),
            reason,
        };
        match kind {
            MoveKind::SetPosition { article, position } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                self.require_principal(actor, verb, a, false)?;
                self.require_active(verb, a)?;
                let old = self.article_data(a).position(actor);
                if old == *position {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: article.clone(),
                        reason: format!("its position is already `{position}`"),
                    });
                }
                let track = self.article_data(a).track;
                let would_agree = *position == Position::Accepts
                    && self.tracks[track.index()].principals.iter().all(|&p| {
                        p == actor || self.article_data(a).position(p) == Position::Accepts
                    });
                if would_agree && self.blocked(a) {
                    return Err(self.blocked_error(&actor_key, verb, a));
                }
                let new = *position;
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.set_position(actor, new);
                    }
                })?;
                Ok((old == Position::Rejects && new == Position::Accepts)
                    .then_some(ConcessionKind::AcceptedRejected(a)))
            }
            MoveKind::ProposeArticle {
                article,
                track,
                title,
            } => {
                let t = self.resolve_track("track", track)?;
                let principal = self.tracks[t.index()].principals.contains(&actor);
                if !principal && self.role_on(actor, t) != Some(Role::Mediator) {
                    return Err(MoveError::WrongActor {
                        actor: actor_key,
                        verb,
                        node: article.clone(),
                        reason: format!("only the principals of track `{track}` or a mediator may"),
                    });
                }
                let positions = if principal {
                    vec![(actor, Position::Accepts)]
                } else {
                    Vec::new()
                };
                let a = self.add_node(
                    article.clone(),
                    NodeData::Article(Article {
                        track: t,
                        title: title.as_str().into(),
                        positions,
                        excluded: false,
                        topics: Box::default(),
                    }),
                )?;
                self.set_article_requirements(a, t, true)?;
                Ok(None)
            }
            MoveKind::AmendArticle { article, title } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                self.require_principal(actor, verb, a, true)?;
                self.require_active(verb, a)?;
                let principal = self.tracks[self.article_data(a).track.index()]
                    .principals
                    .contains(&actor);
                let title: Box<str> = title.as_str().into();
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.title = title;
                        art.positions.clear();
                        if principal {
                            art.set_position(actor, Position::Accepts);
                        }
                    }
                })?;
                Ok(None)
            }
            MoveKind::MoveArticle { article, to_track } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                let to = self.resolve_track("to_track", to_track)?;
                self.require_principal(actor, verb, a, false)?;
                self.require_active(verb, a)?;
                let from = self.article_data(a).track;
                if from == to {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: article.clone(),
                        reason: format!("it is already on track `{to_track}`"),
                    });
                }
                self.set_article_requirements(a, from, false)?;
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.track = to;
                    }
                })?;
                self.set_article_requirements(a, to, true)?;
                Ok(None)
            }
            MoveKind::ExcludeArticle { article } => {
                let a = self.resolve("article", article, NodeKind::Article)?;
                self.require_principal(actor, verb, a, false)?;
                self.require_active(verb, a)?;
                let track = self.article_data(a).track;
                self.set_article_requirements(a, track, false)?;
                self.update_node(a, |d| {
                    if let NodeData::Article(art) = d {
                        art.excluded = true;
                    }
                })?;
                Ok(None)
            }
            MoveKind::Demand {
                condition,
                description,
                owed_by,
                precondition_of,
            } => {
                let mut obligors = Vec::with_capacity(owed_by.len());
                for p in owed_by {
                    obligors.push(self.resolve_party("owed_by", p)?);
                }
                obligors.sort_unstable();
                obligors.dedup();
                let act = match precondition_of {
                    Some(stage) => Some(self.own_act(actor, verb, stage)?),
                    None => None,
                };
                let c = self.add_node(
                    condition.clone(),
                    NodeData::Condition(Condition {
                        description: description.as_str().into(),
                        owed_by: obligors.into(),
                        demanded_by: Some(actor),
                        status: ConditionStatus::Unmet,
                        obligation: Obligation::Any,
                        done: Vec::new(),
                    }),
                )?;
                if let Some(act) = act {
                    self.add_edge(act, c, RequirementEdge::precondition(actor))?;
                }
                Ok(None)
            }
            MoveKind::Link { condition, stage } | MoveKind::Unlink { condition, stage } => {
                let c = self.resolve("condition", condition, NodeKind::Condition)?;
                if self.condition_data(c).demanded_by != Some(actor) {
                    let demander = self
                        .condition_data(c)
                        .demanded_by
                        .map(|p| vec![p])
                        .unwrap_or_default();
                    return Err(wrong_actor(
                        self,
                        c,
                        format!("only its demander ({}) may", self.party_keys(&demander)),
                    ));
                }
                let act = self.own_act(actor, verb, stage)?;
                let linked = self.graph.edge(act, c).is_some_and(|e| e.by == Some(actor));
                let link = matches!(kind, MoveKind::Link { .. });
                if linked == link {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: condition.clone(),
                        reason: format!(
                            "it is {} `{}`",
                            if linked {
                                "already linked to"
                            } else {
                                "not linked to"
                            },
                            self.key_of(act)
                        ),
                    });
                }
                if link {
                    if self.graph.edge(act, c).is_some() {
                        return Err(MoveError::NoChange {
                            actor: actor_key,
                            verb,
                            node: condition.clone(),
                            reason: format!("`{}` already requires it", self.key_of(act)),
                        });
                    }
                    self.add_edge(act, c, RequirementEdge::precondition(actor))?;
                    Ok(None)
                } else {
                    self.remove_edge(act, c)?;
                    Ok(Some(ConcessionKind::DroppedOwnPrecondition(c)))
                }
            }
            MoveKind::Waive { condition }
            | MoveKind::Contest { condition }
            | MoveKind::Fulfil { condition } => {
                let c = self.resolve("condition", condition, NodeKind::Condition)?;
                let data = self.condition_data(c);
                let status = data.status;
                let (allowed, who) = match kind {
                    MoveKind::Waive { .. } => (
                        data.demanded_by == Some(actor),
                        (
                            "its demander",
                            data.demanded_by.into_iter().collect::<Vec<_>>(),
                        ),
                    ),
                    _ => (
                        data.owed_by.contains(&actor),
                        ("its obligors", data.owed_by.to_vec()),
                    ),
                };
                if !allowed {
                    let reason = format!("only {} ({}) may", who.0, self.party_keys(&who.1));
                    return Err(wrong_actor(self, c, reason));
                }
                let (ok_from, to): (&[ConditionStatus], ConditionStatus) = match kind {
                    MoveKind::Waive { .. } => (
                        &[ConditionStatus::Unmet, ConditionStatus::Contested],
                        ConditionStatus::Waived,
                    ),
                    MoveKind::Contest { .. } => {
                        (&[ConditionStatus::Unmet], ConditionStatus::Contested)
                    }
                    _ => (
                        &[ConditionStatus::Unmet, ConditionStatus::Contested],
                        ConditionStatus::Met,
                    ),
                };
                if !ok_from.contains(&status) {
                    return Err(MoveError::InvalidStatus {
                        verb,
                        node: condition.clone(),
                        status: status.into(),
                    });
                }
                if to == ConditionStatus::Met && self.blocked(c) {
                    return Err(self.blocked_error(&actor_key, verb, c));
                }
                // A joint obligation is met when the last obligor does its part.
                let joint = data.obligation == Obligation::Joint && to == ConditionStatus::Met;
                if joint && data.done.contains(&actor) {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: condition.clone(),
                        reason: "it has already done its part".to_owned(),
                    });
                }
                let last_part = !joint || data.done.len() + 1 == data.owed_by.len();
                self.update_node(c, |d| {
                    if let NodeData::Condition(cond) = d {
                        if joint {
                            if let Err(i) = cond.done.binary_search(&actor) {
                                cond.done.insert(i, actor);
                            }
                        }
                        if last_part {
                            cond.status = to;
                        }
                    }
                })?;
                if !last_part {
                    return Ok(None);
                }
                Ok(match to {
                    ConditionStatus::Waived => Some(ConcessionKind::WaivedOwnDemand(c)),
                    ConditionStatus::Met if status == ConditionStatus::Contested => {
                        Some(ConcessionKind::FulfilledContested(c))
                    }
                    _ => None,
                })
            }
            MoveKind::Offer { concession }
            | MoveKind::Make { concession }
            | MoveKind::Retract { concession } => {
                let c = self.resolve("concession", concession, NodeKind::Concession)?;
                let by = self.concession_data(c).by;
                if by != actor {
                    return Err(wrong_actor(
                        self,
                        c,
                        format!("only {} may", self.party_keys(&[by])),
                    ));
                }
                let status = self.concession_data(c).status;
                let (ok_from, to): (&[ConcessionStatus], ConcessionStatus) = match kind {
                    MoveKind::Offer { .. } => (
                        &[ConcessionStatus::Possible, ConcessionStatus::Retracted],
                        ConcessionStatus::Offered,
                    ),
                    MoveKind::Retract { .. } => {
                        (&[ConcessionStatus::Offered], ConcessionStatus::Retracted)
                    }
                    _ => (
                        &[ConcessionStatus::Possible, ConcessionStatus::Offered],
                        ConcessionStatus::Made,
                    ),
                };
                if !ok_from.contains(&status) {
                    return Err(MoveError::InvalidStatus {
                        verb,
                        node: concession.clone(),
                        status: status.into(),
                    });
                }
                if to == ConcessionStatus::Made {
                    if self.blocked(c) {
                        return Err(self.blocked_error(&actor_key, verb, c));
                    }
                    let effects = self.concession_data(c).effects.clone();
                    for (i, effect) in effects.iter().enumerate() {
                        if self.effect_holds(actor, effect) {
                            continue;
                        }
                        self.apply_as(actor, &effect_move(effect)).map_err(|e| {
                            MoveError::Effect {
                                concession: concession.clone(),
                                effect: i,
                                source: Box::new(e),
                            }
                        })?;
                    }
                }
                self.update_node(c, |d| {
                    if let NodeData::Concession(con) = d {
                        con.status = to;
                    }
                })?;
                Ok((to == ConcessionStatus::Made).then_some(ConcessionKind::Made(c)))
            }
            MoveKind::DeclareReady { stage } => {
                let act = self.own_act(actor, verb, stage)?;
                let NodeData::Act(a) = &self.nodes[act.index()].data else {
                    unreachable!("own_act returns an act")
                };
                if a.performed || a.ready {
                    return Err(MoveError::NoChange {
                        actor: actor_key,
                        verb,
                        node: stage.clone(),
                        reason: format!(
                            "its act is already {}",
                            if a.performed {
                                "performed"
                            } else {
                                "declared ready"
                            }
                        ),
                    });
                }
                self.update_node(act, |d| {
                    if let NodeData::Act(a) = d {
                        a.ready = true;
                    }
                })?;
                Ok(None)
            }
            MoveKind::Require { requirement } => {
                let declaration = |source| MoveError::Declaration {
                    source: Box::new(source),
                };
                let resolved = self
                    .resolve_requirement("requirement", requirement)
                    .map_err(declaration)?;
                if let Some(p) = resolved.edge.by.filter(|&p| p != actor) {
                    return Err(MoveError::WrongActor {
                        actor: actor_key,
                        verb,
                        node: requirement.node.clone(),
                        reason: format!(
                            "only {} may attach a precondition there; a rule of law or of the process is a procedure",
                            self.party_keys(&[p])
                        ),
                    });
                }
                let target = match resolved.target {
                    ReqTarget::Node(t) => t,
                    ReqTarget::Group {
                        key,
                        group,
                        alternatives,
                    } => {
                        let g = self.add_node(key, NodeData::Group(group))?;
                        for (t, weight) in alternatives {
                            let edge = RequirementEdge {
                                weight,
                                ..RequirementEdge::of(RequirementKind::Alternative)
                            };
                            self.add_edge(g, t, edge)?;
                        }
                        g
                    }
                };
                for &from in resolved.requirers.as_slice() {
                    self.add_edge(from, target, resolved.edge)?;
                    if let Some(c) = &resolved.citation {
                        self.set_citation(from, target, Some(c.clone()));
                    }
                }
                Ok(None)
            }
            MoveKind::Unrequire { node, required } => {
                let unknown = |field, id: &str| MoveError::InvalidField {
                    field,
                    reason: format!("unknown node `{id}`"),
                };
                let n = self.node_id(node).ok_or_else(|| unknown("node", node))?;
                let to = self
                    .node_id(required)
                    .ok_or_else(|| unknown("required", required))?;
                // On a stage, the actor's own act of it.
                let from = match &self.nodes[n.index()].data {
                    NodeData::Stage(st) => st.act_of(actor).unwrap_or(n),
                    _ => n,
                };
                match self.graph.edge(from, to) {
                    Some(e) if e.by == Some(actor) => {}
                    Some(e) => {
                        let whose = match e.by {
                            Some(p) => format!("it is {}'s precondition", self.party_keys(&[p])),
                            None => "it is not a precondition: a procedure or structure stays"
                                .to_owned(),
                        };
                        return Err(MoveError::WrongActor {
                            actor: actor_key,
                            verb,
                            node: node.clone(),
                            reason: whose,
                        });
                    }
                    None => {
                        return Err(MoveError::NoChange {
                            actor: actor_key,
                            verb,
                            node: node.clone(),
                            reason: format!(
                                "`{}` does not require `{required}`",
                                self.key_of(from)
                            ),
                        })
                    }
                }
                self.remove_edge(from, to)?;
                Ok(Some(ConcessionKind::DroppedOwnPrecondition(to)))
            }
            MoveKind::OpenTrack { track } => {
                self.open_track(actor, &actor_key, track)?;
                Ok(None)
            }
            MoveKind::Record { event, about } => {
                if event.trim().is_empty() {
                    return Err(MoveError::InvalidField {
                        field: "event",
                        reason: "an event says what happened".to_owned(),
                    });
                }
                if let Some(x) = about {
                    if self.node_id(x).is_none() && self.track_id(x).is_none() {
                        return Err(MoveError::InvalidField {
                            field: "about",
                            reason: format!("unknown node or track `{x}`"),
                        });
                    }
                }
                Ok(None)
            }
            MoveKind::Reschedule { entry } => {
                self.reschedule(actor, entry)?;
                Ok(None)
            }
            MoveKind::Extend { track, until } => {
                let t = self.resolve_track("track", track)?;
                let tr = &self.tracks[t.index()];
                if !tr.principals.contains(&actor) {
                    return Err(MoveError::WrongActor {
                        actor: self.parties[actor.index()].key.clone(),
                        verb,
                        node: track.clone(),
                        reason: format!(
                            "only the principals of track `{track}` ({}) may",
                            self.party_keys(&tr.principals)
                        ),
                    });
                }
                let Some(old) = tr.long_stop else {
                    return Err(MoveError::InvalidField {
                        field: "track",
                        reason: format!("track `{track}` has no long-stop date"),
                    });
                };
                if old.date == *until {
                    return Err(MoveError::NoChange {
                        actor: self.parties[actor.index()].key.clone(),
                        verb,
                        node: track.clone(),
                        reason: format!("its long-stop date is already {until}"),
                    });
                }
                self.journal.push(Undo::LongStop {
                    track: t,
                    old: Some(old),
                });
                self.tracks[t.index()].long_stop = Some(LongStop {
                    date: *until,
                    ..old
                });
                Ok(None)
            }
            MoveKind::Perform { stage } => {
                let act = self.own_act(actor, verb, stage)?;
                self.check_lapse(act)?;
                if self.satisfied(act) {
                    return Err(MoveError::InvalidStatus {
                        verb,
                        node: self.key_of(act).to_owned(),
                        status: Status::Performed,
                    });
                }
                if self.blocked(act) {
                    return Err(self.blocked_error(&actor_key, verb, act));
                }
                self.update_node(act, |d| {
                    if let NodeData::Act(a) = d {
                        a.performed = true;
                    }
                })?;
                Ok(None)
            }
        }
    }

    /// Whether an effect's result already holds, so making the concession skips it.
    pub(super) fn effect_holds(&self, actor: PartyId, effect: &Effect) -> bool {
        let node = |id: &str| self.node_id(id);
        match effect {
            Effect::Accept { article } => {
                node(article).is_some_and(|a| match &self.nodes[a.index()].data {
                    NodeData::Article(art) => art.position(actor) == Position::Accepts,
                    _ => false,
                })
            }
            Effect::Fulfil { condition } | Effect::Waive { condition } => node(condition)
                .is_some_and(|c| match &self.nodes[c.index()].data {
                    NodeData::Condition(cond) => {
                        matches!(cond.status, ConditionStatus::Met | ConditionStatus::Waived)
                            || (matches!(effect, Effect::Fulfil { .. })
                                && cond.done.contains(&actor))
                    }
                    _ => false,
                }),
            Effect::Unlink { condition, stage } => {
                let act = node(stage).and_then(|s| match &self.nodes[s.index()].data {
                    NodeData::Stage(st) => st.act_of(actor),
                    _ => None,
                });
                match (act, node(condition)) {
                    (Some(act), Some(c)) => self.graph.edge(act, c).is_none(),
                    _ => false,
                }
            }
            Effect::MoveArticle { article, to_track } => node(article).is_some_and(|a| {
                match (&self.nodes[a.index()].data, self.track_id(to_track)) {
                    (NodeData::Article(art), Some(t)) => art.track == t,
                    _ => false,
                }
            }),
        }
    }
}

/// The move that carries out a concession's effect.
pub(super) fn effect_move(effect: &Effect) -> MoveKind {
    match effect.clone() {
        Effect::Accept { article } => MoveKind::SetPosition {
            article,
            position: Position::Accepts,
        },
        Effect::Fulfil { condition } => MoveKind::Fulfil { condition },
        Effect::Waive { condition } => MoveKind::Waive { condition },
        Effect::Unlink { condition, stage } => MoveKind::Unlink { condition, stage },
        Effect::MoveArticle { article, to_track } => MoveKind::MoveArticle { article, to_track },
    }
}

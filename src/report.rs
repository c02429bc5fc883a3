//! The analyst's report on a scenario: what happened, what blocks the focus, the moving
//! goalposts, and what comes next — as text, and a per-stage summary as data.

use std::fmt::{self, Write as _};

use crate::analysis::{Options, PlanError};
use crate::explain::{Explanation, Step};
use crate::foreign::{foreign_note, Owned};
use crate::history::{date_label, goalpost_text};
use crate::ids::{NodeId, PartyId};
use crate::lookup::{actors_of, party_name};
use crate::model::{Basis, NodeData, NodeKind, NodeRef, Status, Threshold};
use crate::moves::Transition;
use crate::scenario::Scenario;
use crate::schedule::{Due, DueItem, Earliest, Outlook, Takes};
use crate::state::Negotiation;
use crate::time::{Date, Span};
use crate::util::Rendered;

/// How far ahead "coming due" looks unless the scenario says otherwise.
const DEFAULT_WINDOW: Span = Span::days_const(30);

impl Transition {
    /// One line saying what the move changed, for reports: `reached peace.signed; now
    /// unblocked: peace.ratified`. Rendered with a negotiation that did not make it (nor a
    /// copy or state of the one that did), the line says so.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !self.belongs_to(negotiation) {
                return f.write_str(&foreign_note("transition"));
            }
            f.write_str(&self.line(negotiation))
        })
    }

    fn line(&self, negotiation: &Negotiation) -> String {
        let keys = |ids: &[NodeId]| {
            ids.iter()
                .filter(|&&n| negotiation.kind(n) != Some(NodeKind::Group))
                .map(|&n| negotiation.key_of(n))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::new();
        if !self.reached.is_empty() {
            parts.push(format!("reached {}", keys(&self.reached)));
        }
        if !self.reopened.is_empty() {
            parts.push(format!("reopened {}", keys(&self.reopened)));
        }
        let acts = |to: Status| -> Vec<NodeId> {
            self.status_changes
                .iter()
                .filter(|c| negotiation.kind(c.node) == Some(NodeKind::Act) && c.to == to)
                .map(|c| c.node)
                .collect()
        };
        for (verb, list) in [
            ("performed", acts(Status::Performed)),
            ("undone", acts(Status::Pending)),
        ] {
            if !list.is_empty() {
                parts.push(format!("{verb} {}", keys(&list)));
            }
        }
        for part in &self.parts_done {
            parts.push(format!(
                "{}: {} did its part ({} of {} obligors)",
                negotiation.key_of(part.condition),
                negotiation.party(part.party).map_or("?", |p| p.name()),
                part.done,
                part.of
            ));
        }
        for c in &self.status_changes {
            let kind = negotiation.kind(c.node);
            if matches!(
                kind,
                Some(NodeKind::Stage | NodeKind::Group | NodeKind::Act)
            ) {
                continue;
            }
            parts.push(format!(
                "{} {} -> {}",
                negotiation.key_of(c.node),
                c.from,
                c.to
            ));
        }
        if !self.added.is_empty() {
            parts.push(format!("new {}", keys(&self.added)));
        }
        let linked: Vec<NodeId> = self
            .requirements_added
            .iter()
            .filter(|(_, r)| r.kind == crate::RequirementKind::Precondition)
            .map(|(_, r)| r.target)
            .filter(|n| !self.added.contains(n))
            .collect();
        if !linked.is_empty() {
            parts.push(format!("linked {}", keys(&linked)));
        }
        for (from, r) in &self.requirements_added {
            if r.kind == crate::RequirementKind::Procedure {
                let cite = negotiation
                    .citation(*from, r.target)
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default();
                parts.push(format!(
                    "{} now requires {} (procedure{cite})",
                    negotiation.key_of(*from),
                    negotiation.key_of(r.target)
                ));
            }
        }
        if !self.newly_blocked.is_empty() {
            parts.push(format!("now blocked: {}", keys(&self.newly_blocked)));
        }
        if !self.newly_unblocked.is_empty() {
            parts.push(format!("now unblocked: {}", keys(&self.newly_unblocked)));
        }
        if self.is_concession() {
            parts.push("a concession".to_owned());
        }
        if parts.is_empty() {
            "no status change".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// The stages a report centres on: the scenario's focus, or each track's first unreached stage.
pub(crate) fn focus(scenario: &Scenario, neg: &Negotiation) -> Vec<NodeId> {
    if let Some(f) = scenario.focus.as_deref().and_then(|f| neg.node_id(f)) {
        return vec![f];
    }
    neg.tracks
        .iter()
        .filter_map(|t| t.stages.iter().copied().find(|&s| !neg.satisfied(s)))
        .collect()
}

fn party_names(neg: &Negotiation, parties: &[PartyId]) -> String {
    if parties.is_empty() {
        return "nobody".to_owned();
    }
    parties
        .iter()
        .map(|&p| party_name(neg, p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The demands attached to no act and required by nothing: they block nothing.
pub(crate) fn separate_demands(neg: &Negotiation) -> Vec<NodeId> {
    neg.node_ids()
        .filter(|&n| match &neg.nodes[n.index()].data {
            NodeData::Condition(c) => {
                c.demanded_by.is_some()
                    && !neg.satisfied(n)
                    && neg.graph.dependents(n).next().is_none()
            }
            _ => false,
        })
        .collect()
}

fn stage_line(neg: &Negotiation, stage: NodeId) -> String {
    let NodeData::Stage(s) = &neg.nodes[stage.index()].data else {
        return String::new();
    };
    let status = if neg.satisfied(stage) {
        "reached".to_owned()
    } else if neg.blocked(stage) {
        "blocked".to_owned()
    } else {
        let waiting: Vec<PartyId> = s
            .acts
            .iter()
            .filter(|&&(_, a)| !neg.satisfied(a))
            .map(|&(p, _)| p)
            .collect();
        format!("open, waiting on {}", party_names(neg, &waiting))
    };
    format!("{} {status}", s.kind)
}

/// Renders the analyst's report on a scenario and its replayed negotiation.
///
/// Sections: *What happened* (each move, dated, with what it changed), *What blocks* each
/// focus stage (the explanation, grouped by who must act and who demands; the separate
/// demands, which block nothing; the other tracks; topics no article addresses), *Moving
/// goalposts*, *Timeline*, and *What comes next*: the plan to each focus stage, its cheapest
/// unblocking sets (with the scenario's costs, demanders allowed to give way), its
/// landmarks, the leverage table, any deadlock, and each what-if branch with the blockers
/// after it.
///
/// # Complexity
///
/// A replay of the history (see [`Negotiation::timeline`]); per focus stage a blocker
/// explanation, a plan, its cheapest unblocking sets and its landmarks (the searches each
/// bounded by the default [`Options::budget`](crate::Options)); the leverage table (see
/// [`Negotiation::leverage`]) and the deadlocks (linear in the graph); each what-if branch on a
/// copy of the negotiation (linear in its size) with the blockers after it.
#[must_use]
pub fn report(scenario: &Scenario, neg: &Negotiation) -> String {
    let mut out = String::new();
    let title = scenario.title.as_deref().unwrap_or("Negotiation report");
    let _ = writeln!(out, "# {title}\n");
    if let Some(d) = &scenario.description {
        let _ = writeln!(out, "{d}\n");
    }

    let _ = writeln!(out, "## What happened\n");
    if neg.history.is_empty() {
        let _ = writeln!(out, "No moves recorded.");
    }
    let replayed = neg.replay(|step, _, mv, t| {
        let _ = writeln!(
            out,
            "{:>3}. {}  {mv}\n       {}",
            step + 1,
            date_label(mv.meta.date),
            // Named in the final state, which has every node the move mentions.
            t.display(neg)
        );
        if let Some(note) = &mv.meta.note {
            let _ = writeln!(out, "       note: {note}");
        }
        if let Some(source) = &mv.meta.source {
            let _ = writeln!(out, "       source: {source}");
        }
    });
    if let Err(e) = replayed {
        let _ = writeln!(out, "(the history does not replay: {e})");
    }
    out.push('\n');

    for target in focus(scenario, neg) {
        let _ = writeln!(out, "## What blocks {}\n", neg.key_of(target));
        if neg.satisfied(target) {
            let _ = writeln!(out, "Nothing: {} is reached.", neg.key_of(target));
        } else if !neg.blocked(target) {
            let _ = writeln!(
                out,
                "Nothing blocks it: {}.",
                stage_line(neg, target).replacen(' ', " is ", 1)
            );
        } else {
            out.push_str(&neg.explain(target).display(neg).to_string());
        }
        out.push('\n');
    }

    time_section(&mut out, scenario, neg);

    let separate = separate_demands(neg);
    let _ = writeln!(out, "## Separate demands (block nothing)\n");
    if separate.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for n in &separate {
        if let NodeData::Condition(c) = &neg.nodes[n.index()].data {
            let _ = writeln!(
                out,
                "- {} \"{}\" ({}; demanded by {}, owed by {})",
                neg.key_of(*n),
                c.description,
                neg.status_of(*n),
                party_names(neg, &c.demanded_by.into_iter().collect::<Vec<_>>()),
                party_names(neg, &c.owed_by)
            );
        }
    }
    out.push('\n');

    let _ = writeln!(out, "## Tracks\n");
    for t in &neg.tracks {
        let stages: Vec<String> = t.stages.iter().map(|&s| stage_line(neg, s)).collect();
        let _ = writeln!(out, "- {} ({}): {}", t.title, t.key, stages.join("; "));
    }
    out.push('\n');

    let unaddressed = neg.unaddressed_topics();
    if !neg.topics.is_empty() {
        let _ = writeln!(out, "## Topics no article addresses\n");
        if unaddressed.is_empty() {
            let _ = writeln!(out, "None.");
        }
        for t in unaddressed {
            let topic = &neg.topics[t.index()];
            let _ = writeln!(out, "- {} ({})", topic.title, topic.key);
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Moving goalposts\n");
    match neg.timeline() {
        Ok(timeline) => {
            let goalposts = timeline.moving_goalposts();
            if goalposts.is_empty() {
                let _ = writeln!(out, "None.");
            }
            for (party, e) in goalposts {
                let stage = e.stage.map_or("", |s| neg.key_of(s));
                let _ = writeln!(
                    out,
                    "- {}  {} conditioned {} on {}: {}",
                    date_label(e.date),
                    party_name(neg, party),
                    stage,
                    neg.key_of(e.node),
                    e.goalpost
                        .map(|g| goalpost_text(neg, g))
                        .unwrap_or_default()
                );
            }
            let _ = writeln!(out, "\n## Timeline\n\n{}", timeline.display(neg));
        }
        Err(e) => {
            let _ = writeln!(out, "(the history does not replay: {e})");
        }
    }

    let _ = writeln!(out, "## What comes next\n");
    let targets = focus(scenario, neg);
    analysis_sections(&mut out, scenario, neg, &targets);
    for branch in &scenario.what_if {
        let _ = writeln!(out, "#### {}\n", branch.name);
        if let Some(d) = &branch.description {
            let _ = writeln!(out, "{d}\n");
        }
        let result = neg.what_if(&branch.moves);
        for (i, mv) in branch.moves.iter().enumerate() {
            let outcome = match (&result.failure, result.transitions.get(i)) {
                (_, Some(t)) => t.display(&result.after).to_string(),
                (Some((j, e)), None) if *j == i => format!("REFUSED: {e}"),
                _ => "not tried".to_owned(),
            };
            let _ = writeln!(out, "- {mv}: {outcome}");
        }
        for &target in &targets {
            let key = neg.key_of(target);
            let after = result.after.node_id(key).unwrap_or(target);
            let line = if result.after.satisfied(after) {
                "reached".to_owned()
            } else if !result.after.blocked(after) {
                format!("not blocked ({})", stage_line(&result.after, after))
            } else {
                let why = result.after.explain(after);
                let frontier = why.frontier();
                let deadlocked: Vec<&str> = why
                    .deadlocks()
                    .iter()
                    .flat_map(|d| &d.nodes)
                    .map(|&n| result.after.key_of(n))
                    .collect();
                let deadlock = if deadlocked.is_empty() {
                    String::new()
                } else {
                    format!("a deadlock among {}", deadlocked.join(", "))
                };
                if frontier.is_empty() {
                    format!("blocked by {deadlock}")
                } else {
                    let items: Vec<String> = frontier
                        .iter()
                        .map(|&n| {
                            format!(
                                "{} (must act: {})",
                                result.after.key_of(n),
                                party_names(&result.after, &actors_of(&result.after, n))
                            )
                        })
                        .collect();
                    let mut line = format!("blocked by {}", items.join(", "));
                    if !deadlock.is_empty() {
                        line.push_str(&format!("; and by {deadlock}"));
                    }
                    line
                }
            };
            let _ = writeln!(out, "=> {key}: {line}");
        }
        out.push('\n');
    }
    out
}

/// *Time as of D*: what is overdue, coming due and not yet running, each long-stop date, and
/// the earliest date of each focus stage with its critical path.
fn time_section(out: &mut String, scenario: &Scenario, neg: &Negotiation) {
    let Some(as_of) = scenario.as_of.or(neg.latest_date()) else {
        return;
    };
    // As of a date before the latest move: the state on that date.
    let earlier;
    let neg = match neg.latest_date() {
        Some(latest) if as_of.is_before(latest) => match neg.state_on(as_of) {
            Ok(state) => {
                earlier = state;
                &earlier
            }
            Err(_) => neg,
        },
        _ => neg,
    };
    let _ = writeln!(out, "## Time as of {as_of}\n");
    let window = scenario.window.unwrap_or(DEFAULT_WINDOW);
    let deadlines = neg.deadlines(as_of, window);
    let text = deadlines.display(neg).to_string();
    if text.is_empty() {
        let _ = writeln!(out, "Nothing overdue or coming due within {window}.");
    }
    out.push_str(&text);
    for target in focus(scenario, neg) {
        // A long-stop stage's earliest date is already under its long-stop.
        if deadlines
            .long_stops
            .iter()
            .any(|s| s.long_stop.stage == target && s.earliest.is_some())
            || neg.satisfied(target)
        {
            continue;
        }
        let _ = writeln!(out, "\nEarliest date:");
        out.push_str(&neg.earliest_of(target, as_of).display(neg).to_string());
    }
    out.push('\n');
}

/// Plans, cheapest unblocking sets, landmarks, leverage and deadlocks for the report.
fn analysis_sections(out: &mut String, scenario: &Scenario, neg: &Negotiation, targets: &[NodeId]) {
    let costs = scenario.costs.clone().unwrap_or_default();
    let comply = Options {
        costs: costs.clone(),
        ..Options::default()
    };
    let give_way = Options {
        allow_waivers: true,
        ..comply.clone()
    };
    for &target in targets {
        let key = neg.key_of(target);
        let _ = writeln!(out, "### How {key} can still be reached\n");
        match neg.plan(key, &comply) {
            Ok(plan) => {
                let _ = writeln!(out, "{}", plan.display(neg));
            }
            Err(e) => {
                let _ = writeln!(out, "No plan by compliance alone: {e}.");
                if let PlanError::Unreachable { obstacles, .. } = &e {
                    for o in obstacles {
                        let _ = write!(out, "{}", o.display(neg));
                    }
                }
                if let Ok(plan) = neg.plan(key, &give_way) {
                    let _ = writeln!(out, "\nWith demanders giving way:\n{}", plan.display(neg));
                }
            }
        }
        if let Some(note) = &costs.note {
            let _ = writeln!(out, "Costs: {note}\n");
        }
        if neg.blocked(target) {
            match neg.cheapest_unblocking(key, 3, &give_way) {
                Ok(sets) => {
                    let _ = writeln!(out, "{}", sets.display(neg));
                }
                Err(e) => {
                    let _ = writeln!(out, "Cannot be unblocked: {e}\n");
                }
            }
        }
        if let Ok(landmarks) = neg.landmarks(key, &comply) {
            let _ = writeln!(out, "{}", landmarks.display(neg));
        }
    }
    let _ = writeln!(out, "### Leverage: who holds up whom\n");
    let _ = writeln!(out, "{}", neg.leverage().display(neg));
    let deadlocks = neg.deadlocks();
    if !deadlocks.is_empty() {
        let _ = writeln!(out, "### Deadlocks\n");
        for d in &deadlocks {
            let _ = writeln!(out, "{}", d.display(neg));
        }
    }
    if !scenario.what_if.is_empty() {
        let _ = writeln!(out, "### What-if branches\n");
    }
}

/// The version of the JSON summary's structure ([`Summary`]).
pub const SUMMARY_VERSION: u32 = 3;

/// The version of the JSON structure of the answers: the result types and ids with serde
/// derives ([`Explanation`](crate::Explanation), [`Transition`](crate::Transition),
/// [`Plan`](crate::Plan), [`Deadlines`](crate::Deadlines), the strategy results, …). It is bumped
/// when a field is renamed or removed, or a representation changes; adding a field or a variant
/// does not bump it. See the crate documentation's *JSON answers* section.
pub const ANSWER_VERSION: u32 = 1;

/// A party's demand that a node serves, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct DemandSummary {
    /// The demanding party's id.
    pub party: String,
    /// The node it demands, which this node serves (the node itself for a direct demand).
    pub through: String,
}

/// How far a requirement group is from its threshold, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ThresholdSummary {
    /// `count` or `weight`.
    pub kind: &'static str,
    /// The count or weight needed.
    pub needed: u32,
    /// The count or weight reached.
    pub reached: u32,
    /// How much more is needed.
    pub more_needed: u32,
    /// The unsatisfied alternatives' ids.
    pub remaining: Vec<String>,
}

/// One unsatisfied node of a stage's explanation, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct NodeSummary {
    /// The node's id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its status.
    pub status: Status,
    /// For a condition, its obligors (party ids).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub owed_by: Vec<String>,
    /// For a jointly owed condition, the obligors that have done their part.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub done_by: Vec<String>,
    /// Who must act on it (party ids).
    pub must_act: Vec<String>,
    /// The demands it serves, through the chain.
    pub demanded_by: Vec<DemandSummary>,
    /// For a requirement group, how far it is from its threshold.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub threshold: Option<ThresholdSummary>,
    /// The unsatisfied nodes it needs (ids): its chain goes on through them. Empty for a
    /// frontier node.
    pub needs: Vec<String>,
}

/// Why an outstanding requirement is required, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct BasisSummary {
    /// The requiring node (the stage's act, or the target).
    pub node: String,
    /// `precondition`, `procedure` or `structure`.
    pub basis: &'static str,
    /// For a precondition, the party whose precondition it is.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub party: Option<String>,
    /// For a procedure, its citation if one was given.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub citation: Option<String>,
}

/// One outstanding requirement of a stage, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct OutstandingSummary {
    /// The required node.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub node: NodeSummary,
    /// What requires it, and on what basis.
    pub required_by: Vec<BasisSummary>,
}

/// A requirement whose dropping breaks a deadlock, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct EdgeSummary {
    /// The requiring node.
    pub from: String,
    /// The required node.
    pub to: String,
    /// `precondition`, `procedure` or `structure`.
    pub basis: &'static str,
    /// The party that can drop it by a move, if any.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub droppable_by: Option<String>,
}

/// A deadlock on the way to a stage, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct DeadlockSummary {
    /// The cycle's nodes, in order: each requires the next, the last the first.
    pub nodes: Vec<String>,
    /// The parties in it.
    pub parties: Vec<String>,
    /// The requirements any one of which, dropped, breaks it.
    pub breaking: Vec<EdgeSummary>,
}

/// One stage, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct StageSummary {
    /// The stage's id (`"peace.signed"`).
    pub stage: String,
    /// Whether it is reached.
    pub reached: bool,
    /// Whether it is blocked.
    pub blocked: bool,
    /// The parties whose act of it is still pending.
    pub pending: Vec<String>,
    /// Every outstanding requirement (empty when not blocked).
    pub outstanding: Vec<OutstandingSummary>,
    /// The other unsatisfied nodes on the way, each with what it needs.
    pub chain: Vec<NodeSummary>,
    /// The ids of the nodes that can be acted on now.
    pub frontier: Vec<String>,
    /// The deadlocks on the way.
    pub deadlocks: Vec<DeadlockSummary>,
    /// When a date is known and the stage is not reached: its earliest date from then.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub earliest: Option<EarliestSummary>,
}

/// An unsatisfied node with a due date, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct DueSummary {
    /// The node's id.
    pub id: String,
    /// The date it is due.
    pub due: Date,
    /// The declared deadline: `by 2026-12-01`, `within 10 days after spa.signed`.
    pub rule: String,
    /// Overdue: days since the due date; coming due: days left.
    pub days: i32,
    /// Who must act on it.
    pub must_act: Vec<String>,
    /// Whether something it requires must happen first.
    pub blocked: bool,
}

/// A relative deadline not yet running, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct NotRunningSummary {
    /// The node's id.
    pub id: String,
    /// How long after its anchor it is due.
    pub within: Span,
    /// The anchor's id.
    pub after: String,
    /// The anchor was met by an undated move: the due date is unknown.
    pub undated: bool,
}

/// One step of a critical path, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct PathSummary {
    /// The node's id.
    pub id: String,
    /// Its earliest date, or the date it was satisfied.
    pub date: Date,
    /// Whether it is already satisfied.
    pub satisfied: bool,
    /// Its declared duration.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub takes: Option<Takes>,
}

/// The earliest date of a stage, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct EarliestSummary {
    /// The earliest date; `null`: never as things stand.
    pub earliest: Option<Date>,
    /// The latest date; `null`: unknown (a duration with no maximum) or never.
    pub latest: Option<Date>,
    /// The critical path from the stage down.
    pub critical_path: Vec<PathSummary>,
    /// When never: the deadlocks below (each its nodes in order).
    pub deadlocks: Vec<Vec<String>>,
    /// When never: the nodes below nobody can satisfy.
    pub nobody_can_satisfy: Vec<String>,
    /// When the latest date is unknown: the durations without a maximum it waits on.
    pub open_ended: Vec<String>,
}

/// A long-stop date, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct LongStopSummary {
    /// The track's id.
    pub track: String,
    /// The stage's id.
    pub stage: String,
    /// The long-stop date.
    pub date: Date,
    /// Whether the track lapses when it passes.
    pub lapses: bool,
    /// `reached`, `passed`, `clear`, `at_risk`, `late` or `never` (see [`Outlook`]).
    pub outlook: &'static str,
    /// When reached: the date, if the move was dated.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub reached_on: Option<Date>,
    /// When passed: days since the long-stop date.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub days_over: Option<i32>,
    /// When neither: the stage's earliest date.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub earliest: Option<EarliestSummary>,
}

/// One track, for the JSON summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct TrackSummary {
    /// The track's id.
    pub track: String,
    /// Its title.
    pub title: String,
    /// Its stages, in order.
    pub stages: Vec<StageSummary>,
}

/// What blocks every stage of a negotiation, as data; see [`stage_summary`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
#[must_use]
pub struct Summary {
    /// The structure's version ([`SUMMARY_VERSION`]).
    pub version: u32,
    /// The date the summary is as of, if any (then the lists below and each stage's
    /// `earliest` are filled in).
    pub as_of: Option<Date>,
    /// How far ahead `coming_due` looks.
    pub window: Span,
    /// Unsatisfied nodes past their due date, oldest first.
    pub overdue: Vec<DueSummary>,
    /// Unsatisfied nodes due within the window, soonest first.
    pub coming_due: Vec<DueSummary>,
    /// Relative deadlines not yet running.
    pub not_running: Vec<NotRunningSummary>,
    /// Satisfied nodes met after their due date (`days`: how late).
    pub met_late: Vec<DueSummary>,
    /// Every long-stop date.
    pub long_stops: Vec<LongStopSummary>,
    /// Every track.
    pub tracks: Vec<TrackSummary>,
}

fn basis_fields(basis: Basis) -> (&'static str, Option<PartyId>) {
    match basis {
        Basis::Precondition(p) => ("precondition", Some(p)),
        Basis::Procedure => ("procedure", None),
        Basis::Structure => ("structure", None),
    }
}

/// For every stage of every track: whether it is reached, and if not, who still has to act,
/// every outstanding requirement with its basis and demanders, the chain below them, the
/// frontier and the deadlocks on the way; and, as of the latest date recorded (if any), what
/// is overdue, coming due within 30 days, not yet running or met late, each long-stop date,
/// and each unreached stage's earliest date.
///
/// With the `serde` feature this serializes to the document `cargo run --example report --
/// FILE --json` prints (version [`SUMMARY_VERSION`]); for an undated history:
///
/// ```json
/// {"version": 3, "as_of": null, "window": "30 days", "overdue": [], "coming_due": [],
///  "not_running": [], "met_late": [], "long_stops": [],
///  "tracks": [{"track": "deal", "title": "The deal", "stages": [
///   {"stage": "deal.signed", "reached": false, "blocked": true, "pending": ["a", "b"],
///    "outstanding": [{"id": "reform", "kind": "condition", "status": "contested",
///                     "owed_by": ["b"], "must_act": ["b"],
///                     "demanded_by": [{"party": "a", "through": "reform"}],
///                     "needs": ["vote"],
///                     "required_by": [{"node": "deal.signed.a", "basis": "precondition", "party": "a"}]}],
///    "chain": [{"id": "vote", "kind": "condition", "status": "unmet", "owed_by": ["b"],
///               "must_act": ["b"], "demanded_by": [{"party": "a", "through": "reform"}],
///               "needs": []}],
///    "frontier": ["vote"],
///    "deadlocks": []}]}]}
/// ```
///
/// A requirement group carries `"threshold": {"kind": "count" | "weight", "needed",
/// "reached", "more_needed", "remaining": [ids]}`; a joint obligation carries `"done_by"`;
/// a deadlock is `{"nodes", "parties", "breaking": [{"from", "to", "basis", "droppable_by"}]}`.
/// With a date, an overdue or coming-due item is `{"id", "due", "rule", "days", "must_act",
/// "blocked"}`, a long-stop `{"track", "stage", "date", "lapses", "outlook", "reached_on",
/// "days_over", "earliest"}`, and a stage's `"earliest"` is `{"earliest", "latest",
/// "critical_path": [{"id", "date", "satisfied", "takes"}], "deadlocks",
/// "nobody_can_satisfy", "open_ended"}`.
///
/// # Complexity
///
/// One blocker explanation per unreached stage: the sum of their explained regions. Without a
/// date, no calendar work.
pub fn stage_summary(neg: &Negotiation) -> Summary {
    summary(neg, neg.latest_date(), DEFAULT_WINDOW)
}

/// [`stage_summary`] as of `as_of` (instead of the latest date recorded), with what comes
/// due within `window`. For the state on a past date, pass [`Negotiation::state_on`]'s.
pub fn stage_summary_on(neg: &Negotiation, as_of: Date, window: Span) -> Summary {
    summary(neg, Some(as_of), window)
}

fn summary(neg: &Negotiation, as_of: Option<Date>, window: Span) -> Summary {
    let key_of = |p: PartyId| neg.party(p).map_or(String::new(), |p| p.key().to_owned());
    let keys = |ps: &[PartyId]| -> Vec<String> { ps.iter().map(|&p| key_of(p)).collect() };
    let node_summary = |why: &Explanation, i: usize| -> NodeSummary {
        let n = why.entries()[i].node;
        let (owed_by, done_by) = match neg.get(n) {
            Some(NodeRef::Condition(c)) => (keys(c.owed_by()), keys(c.done_by())),
            _ => (Vec::new(), Vec::new()),
        };
        NodeSummary {
            id: neg.key_of(n).to_owned(),
            kind: neg.kind(n).unwrap_or(NodeKind::Condition),
            status: neg.status_of(n),
            owed_by,
            done_by,
            must_act: keys(&actors_of(neg, n)),
            demanded_by: why
                .demands(i)
                .iter()
                .map(|d| DemandSummary {
                    party: key_of(d.party),
                    through: neg.key_of(d.through).to_owned(),
                })
                .collect(),
            threshold: neg.group_progress(n).map(|p| ThresholdSummary {
                kind: match p.threshold {
                    Threshold::Count(_) => "count",
                    Threshold::Weight(_) => "weight",
                },
                needed: match p.threshold {
                    Threshold::Count(k) | Threshold::Weight(k) => k,
                },
                reached: p.reached,
                more_needed: p.more_needed,
                remaining: p
                    .remaining
                    .iter()
                    .map(|&r| neg.key_of(r).to_owned())
                    .collect(),
            }),
            needs: why
                .causes(i)
                .iter()
                .map(|c| neg.key_of(why.entries()[c.entry].node).to_owned())
                .collect(),
        }
    };
    let earliest = |e: &Earliest| EarliestSummary {
        earliest: e.earliest,
        latest: e.latest,
        critical_path: e
            .critical_path
            .iter()
            .map(|s| PathSummary {
                id: neg.key_of(s.node).to_owned(),
                date: s.date,
                satisfied: s.satisfied,
                takes: s.takes,
            })
            .collect(),
        deadlocks: e
            .deadlocks
            .iter()
            .map(|d| d.nodes.iter().map(|&n| neg.key_of(n).to_owned()).collect())
            .collect(),
        nobody_can_satisfy: e
            .nobody_can_satisfy
            .iter()
            .map(|&n| neg.key_of(n).to_owned())
            .collect(),
        open_ended: e
            .open_ended
            .iter()
            .map(|&n| neg.key_of(n).to_owned())
            .collect(),
    };
    let stage = |s: NodeId| -> StageSummary {
        let why = neg.explain(s);
        let pending = match neg.get(s) {
            Some(NodeRef::Stage(st)) => st
                .acts()
                .iter()
                .filter(|&&(_, a)| !neg.satisfied(a))
                .map(|&(p, _)| p)
                .collect(),
            _ => Vec::new(),
        };
        let mut top = vec![false; why.entries().len()];
        let outstanding = why
            .outstanding()
            .iter()
            .map(|o| {
                top[o.entry] = true;
                OutstandingSummary {
                    node: node_summary(&why, o.entry),
                    required_by: o
                        .required_by
                        .iter()
                        .map(|&(from, basis)| {
                            let (name, party) = basis_fields(basis);
                            BasisSummary {
                                node: neg.key_of(from).to_owned(),
                                basis: name,
                                party: party.map(key_of),
                                citation: neg.citation(from, o.node).map(str::to_owned),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        // The target and, for a stage, its blocked acts are the question, not the chain.
        for c in why.causes(0) {
            if matches!(c.step, Step::Act { .. }) {
                top[c.entry] = true;
            }
        }
        let chain = (1..why.entries().len())
            .filter(|&i| !top[i])
            .map(|i| node_summary(&why, i))
            .collect();
        StageSummary {
            stage: neg.key_of(s).to_owned(),
            reached: neg.satisfied(s),
            blocked: neg.blocked(s),
            pending: keys(&pending),
            outstanding,
            chain,
            frontier: why
                .frontier()
                .into_iter()
                .map(|n| neg.key_of(n).to_owned())
                .collect(),
            deadlocks: why
                .deadlocks()
                .iter()
                .map(|d| DeadlockSummary {
                    nodes: d.nodes.iter().map(|&n| neg.key_of(n).to_owned()).collect(),
                    parties: keys(&d.parties),
                    breaking: d
                        .edges
                        .iter()
                        .map(|e| EdgeSummary {
                            from: neg.key_of(e.from).to_owned(),
                            to: neg.key_of(e.to).to_owned(),
                            basis: basis_fields(e.basis).0,
                            droppable_by: e.droppable_by.map(key_of),
                        })
                        .collect(),
                })
                .collect(),
            earliest: as_of
                .filter(|_| !neg.satisfied(s))
                .map(|on| earliest(&neg.earliest_of(s, on))),
        }
    };
    let due = |i: &DueItem| DueSummary {
        id: neg.key_of(i.node).to_owned(),
        due: i.due,
        rule: match i.rule {
            Due::By(d) => format!("by {d}"),
            Due::Within { span, after } => format!("within {span} after {}", neg.key_of(after)),
        },
        days: i.days,
        must_act: keys(&i.must_act),
        blocked: i.blocked,
    };
    let mut out = Summary {
        version: SUMMARY_VERSION,
        as_of,
        window,
        overdue: Vec::new(),
        coming_due: Vec::new(),
        not_running: Vec::new(),
        met_late: Vec::new(),
        long_stops: Vec::new(),
        tracks: Vec::new(),
    };
    if let Some(on) = as_of {
        let d = neg.deadlines(on, window);
        out.overdue = d.overdue.iter().map(due).collect();
        out.coming_due = d.coming_due.iter().map(due).collect();
        out.met_late = d.met_late.iter().map(due).collect();
        out.not_running = d
            .not_running
            .iter()
            .map(|w| NotRunningSummary {
                id: neg.key_of(w.node).to_owned(),
                within: w.span,
                after: neg.key_of(w.after).to_owned(),
                undated: w.undated,
            })
            .collect();
        out.long_stops = d
            .long_stops
            .iter()
            .map(|s| {
                let (outlook, reached_on, days_over) = match s.outlook {
                    Outlook::Reached { on } => ("reached", on, None),
                    Outlook::Passed { days } => ("passed", None, Some(days)),
                    Outlook::Clear => ("clear", None, None),
                    Outlook::AtRisk => ("at_risk", None, None),
                    Outlook::Late => ("late", None, None),
                    Outlook::Never => ("never", None, None),
                };
                LongStopSummary {
                    track: neg.tracks[s.track.index()].key.clone(),
                    stage: neg.key_of(s.long_stop.stage).to_owned(),
                    date: s.long_stop.date,
                    lapses: s.long_stop.lapses,
                    outlook,
                    reached_on,
                    days_over,
                    earliest: s.earliest.as_ref().map(earliest),
                }
            })
            .collect();
    }
    Summary {
        tracks: neg
            .tracks
            .iter()
            .map(|t| TrackSummary {
                track: t.key.clone(),
                title: t.title.clone(),
                stages: t.stages.iter().map(|&s| stage(s)).collect(),
            })
            .collect(),
        ..out
    }
}

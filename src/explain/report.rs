//! Text: the `Reporter` trait and the `DefaultReporter`.

use std::fmt::{self, Write as _};

use crate::foreign::foreign_note;
use crate::ids::NodeId;
use crate::lookup::{actors_of, basis_text, party_list, party_name};
use crate::model::{Basis, NodeData, NodeKind, Threshold};
use crate::state::Negotiation;
use crate::util::Rendered;

use super::blockers::demanders_of;
use super::types::{Demand, Explanation, Reason, Step};

impl Explanation {
    /// Renders the explanation with the [`DefaultReporter`]. Rendered with a negotiation that
    /// did not make it (nor a copy or state of the one that did), it is one line saying so.
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            f.write_str(&DefaultReporter.report(self, negotiation))
        })
    }
}

/// Turns an explanation into some output. Implement it for your own formats; the data is
/// easy to walk: [`Explanation::outstanding`], [`Explanation::entries`] with typed
/// [`Cause`](crate::Cause)s and [`Demand`](crate::Demand)s, and [`Explanation::deadlocks`].
pub trait Reporter {
    /// What the reporter produces.
    type Output;
    /// Renders `explanation`, looking names and statuses up in `negotiation` (which must be
    /// the negotiation that made it, a copy or a state of it: check with the explanation's
    /// handles, e.g. [`Negotiation::resolve_target`] of its [`target`](Explanation::target)).
    fn report(&self, explanation: &Explanation, negotiation: &Negotiation) -> Self::Output;
}

/// The default text reporter: the outstanding requirements, each with its basis and
/// demanders and an indented tree down to the frontier (a sub-cause shared by several
/// entries is written out once, numbered, and referred to by number), the deadlocks on the
/// way, then the frontier grouped by who must act and by who demands.
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultReporter;

/// Deeper than this, lines are no longer indented further; the depth is printed instead.
const MAX_INDENT: usize = 24;

impl DefaultReporter {
    /// One line about node `n`: kind, id, description, status, who acts and who demands.
    #[must_use]
    pub fn label(neg: &Negotiation, n: NodeId) -> String {
        if !neg.has_node(n) {
            return format!("node {n} of another negotiation");
        }
        let node = &neg.nodes[n.index()];
        let key: &str = &node.key;
        let status = neg.status_of(n);
        match &node.data {
            NodeData::Article(a) => format!(
                "article {key} \"{}\" ({status}; not yet accepted by {})",
                a.title,
                party_list(neg, &actors_of(neg, n))
            ),
            NodeData::Condition(c) => {
                let mut s = format!(
                    "condition {key} \"{}\" ({status}; owed by {}",
                    c.description,
                    party_list(neg, &c.owed_by)
                );
                if c.obligation == crate::model::Obligation::Joint {
                    let _ = write!(
                        s,
                        " jointly, done by {}, still owed by {}",
                        party_list(neg, &c.done),
                        party_list(neg, &c.still_owed_by())
                    );
                }
                if let Some(d) = c.demanded_by {
                    let _ = write!(s, "; demanded by {}", party_name(neg, d));
                }
                s.push(')');
                s
            }
            NodeData::Concession(c) => format!(
                "concession {key} \"{}\" ({status}; by {})",
                c.description,
                party_name(neg, c.by)
            ),
            NodeData::Stage(s) => format!(
                "stage {key} ({status}; {} of {})",
                s.kind,
                neg.tracks[s.track.index()].title
            ),
            NodeData::Act(a) => format!("act {key} ({status}; by {})", party_name(neg, a.party)),
            NodeData::Group(_) => {
                let Some(p) = neg.group_progress(n) else {
                    return String::new();
                };
                match p.threshold {
                    Threshold::Count(1) => "any one of".to_owned(),
                    Threshold::Count(k) => format!(
                        "{key}: at least {k} of these ({} reached, {} more needed)",
                        p.reached, p.more_needed
                    ),
                    Threshold::Weight(w) => format!(
                        "{key}: a weight of at least {w} ({} reached, {} more needed)",
                        p.reached, p.more_needed
                    ),
                }
            }
        }
    }

    fn step(neg: &Negotiation, step: Step) -> String {
        match step {
            Step::Act { party } => format!("needs {}'s act: ", party_name(neg, party)),
            Step::PreviousStage => "needs the previous stage: ".to_owned(),
            Step::Article => "needs the article agreed: ".to_owned(),
            Step::Procedure => "requires by procedure: ".to_owned(),
            Step::Precondition { party } => format!("{}'s precondition: ", party_name(neg, party)),
            Step::Alternative => "alternative: ".to_owned(),
        }
    }

    /// `demanded by A (through reform), B`: the demands an entry serves.
    fn demand_text(neg: &Negotiation, why: &Explanation, i: usize) -> Option<String> {
        let node = why.entries.get(i)?.node;
        let demands = why.demands(i);
        if demands.is_empty() {
            return None;
        }
        let parts: Vec<String> = demands
            .iter()
            .map(|d| {
                if d.through == node {
                    party_name(neg, d.party).to_owned()
                } else {
                    format!(
                        "{} (through {})",
                        party_name(neg, d.party),
                        neg.key_of(d.through)
                    )
                }
            })
            .collect();
        Some(format!("demanded by {}", parts.join(", ")))
    }
}

impl Reporter for DefaultReporter {
    type Output = String;

    /// The report; for an explanation of another negotiation, one line saying so.
    fn report(&self, explanation: &Explanation, neg: &Negotiation) -> String {
        let mut out = String::new();
        if !crate::foreign::Owned::belongs_to(explanation, neg) {
            out.push_str(&foreign_note("explanation"));
            out.push('\n');
            return out;
        }
        let Some(target) = explanation.target() else {
            return out;
        };
        let entries = explanation.entries();
        let mut refs = vec![0u32; entries.len()];
        for i in 0..entries.len() {
            for c in explanation.causes(i) {
                refs[c.entry] += 1;
            }
        }
        // How a written entry is referred to: `1.` for the first outstanding requirement,
        // `[2]` for the second shared sub-cause, `above` for the target.
        let mut reference: Vec<Option<String>> = vec![None; entries.len()];
        let mut next_number = 1;
        reference[0] = Some("above".to_owned());
        let outstanding = explanation.outstanding();
        let _ = writeln!(
            out,
            "{} is blocked by {} outstanding requirement{}:",
            Self::label(neg, target),
            outstanding.len(),
            if outstanding.len() == 1 { "" } else { "s" }
        );
        for (k, o) in outstanding.iter().enumerate() {
            let bases: Vec<String> = o
                .required_by
                .iter()
                .map(|&(from, basis)| {
                    let of = if from == target {
                        String::new()
                    } else {
                        format!(" on {}", neg.key_of(from))
                    };
                    format!("{}{of}", basis_text(neg, basis, from, o.node))
                })
                .collect();
            let _ = writeln!(out, "{}. {}", k + 1, Self::label(neg, o.node));
            let _ = write!(out, "   why: {}", bases.join("; "));
            // Demands the line has not already stated (a precondition's party, the
            // condition's own demander).
            let stated = |d: &Demand| {
                d.through == o.node
                    && (o
                        .required_by
                        .iter()
                        .any(|&(_, b)| b == Basis::Precondition(d.party))
                        || demanders_of(neg, o.node).any(|p| p == d.party))
            };
            if explanation.demands(o.entry).iter().any(|d| !stated(d)) {
                if let Some(d) = Self::demand_text(neg, explanation, o.entry) {
                    let _ = write!(out, "; {d}");
                }
            }
            match entries[o.entry].reason {
                Reason::Frontier => out.push_str(" <- can act now"),
                Reason::Lapsed => out.push_str(" <- its track has lapsed"),
                _ => {}
            }
            out.push('\n');
            if reference[o.entry].is_some() {
                continue;
            }
            reference[o.entry] = Some(format!("{}.", k + 1));
            // Depth-first, iterative: (entry, depth, step that led here).
            let mut stack: Vec<(usize, usize, Step, usize)> = explanation
                .causes(o.entry)
                .iter()
                .rev()
                .map(|c| (c.entry, 1, c.step, o.entry))
                .collect();
            while let Some((i, depth, step, parent)) = stack.pop() {
                let indent = depth.min(MAX_INDENT) + 1;
                let _ = write!(out, "{:width$}- ", "", width = 2 * indent);
                if depth > MAX_INDENT {
                    let _ = write!(out, "[depth {depth}] ");
                }
                out.push_str(&Self::step(neg, step));
                // An alternative of a weighted threshold shows its weight.
                let (from, to) = (entries[parent].node, entries[i].node);
                let weighted = neg.nodes.get(from.index()).is_some_and(|n| {
                    matches!(&n.data, NodeData::Group(g) if matches!(g.threshold, Threshold::Weight(_)))
                });
                if step == Step::Alternative && weighted {
                    // Through the alternative's few dependents, not the group's many edges.
                    let w = neg
                        .graph
                        .dependents(to)
                        .find(|&(p, _)| p == from)
                        .map_or(0, |(_, e)| e.weight);
                    let _ = write!(out, "(weight {w}) ");
                }
                if let Some(r) = &reference[i] {
                    let _ = writeln!(out, "{} (see {r})", neg.key_of(entries[i].node));
                    continue;
                }
                if refs[i] > 1 {
                    let r = format!("[{next_number}]");
                    next_number += 1;
                    let _ = write!(out, "{r} ");
                    reference[i] = Some(r);
                } else {
                    reference[i] = Some("above".to_owned());
                }
                out.push_str(&Self::label(neg, entries[i].node));
                let inherited = explanation
                    .demands(i)
                    .iter()
                    .any(|d| d.through != entries[i].node);
                if inherited {
                    if let Some(d) = Self::demand_text(neg, explanation, i) {
                        let _ = write!(out, "; {d}");
                    }
                }
                match entries[i].reason {
                    Reason::Frontier => out.push_str(" <- can act now"),
                    Reason::Lapsed => out.push_str(" <- its track has lapsed"),
                    _ => {}
                }
                out.push('\n');
                for c in explanation.causes(i).iter().rev() {
                    stack.push((c.entry, depth + 1, c.step, i));
                }
            }
        }
        let deadlocks = explanation.deadlocks();
        if !deadlocks.is_empty() {
            let _ = writeln!(
                out,
                "Deadlocks on the way ({}): none of their nodes can be satisfied before the others",
                deadlocks.len()
            );
            for d in deadlocks {
                for line in d.display(neg).to_string().lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
        // A stage lapses through its acts: the acts say it.
        let lapsed: Vec<NodeId> = entries
            .iter()
            .filter(|e| e.reason == Reason::Lapsed && neg.kind(e.node) == Some(NodeKind::Act))
            .map(|e| e.node)
            .collect();
        for &n in &lapsed {
            if let Some((track, ls, now)) = neg.lapsed_at(n) {
                let _ = writeln!(
                    out,
                    "Lapsed: {} -- track `{}` lapsed: {} was not reached by its long-stop date {} (the history is at {now}); only an extension revives it",
                    Self::label(neg, n),
                    neg.tracks[track.index()].key,
                    neg.key_of(ls.stage),
                    ls.date
                );
            }
        }
        let frontier = explanation.frontier();
        if frontier.is_empty() {
            out.push_str(if lapsed.is_empty() {
                "Frontier: none (every blocker waits on another: only a deadlock stands in the way)\n"
            } else {
                "Frontier: none (the track has lapsed)\n"
            });
            return out;
        }
        let _ = writeln!(
            out,
            "Frontier ({} node{}, can act now):",
            frontier.len(),
            if frontier.len() == 1 { "" } else { "s" }
        );
        for (title, groups) in [
            ("who must act", explanation.group_by_actor(neg)),
            ("who demands", explanation.by_demander(neg)),
        ] {
            let _ = writeln!(out, "  by {title}:");
            for (party, nodes) in groups {
                let name = party.map_or("(nobody: procedure or structure)", |p| party_name(neg, p));
                let keys: Vec<&str> = nodes.iter().map(|&n| neg.key_of(n)).collect();
                let _ = writeln!(out, "    {name}: {}", keys.join(", "));
            }
        }
        out
    }
}

//! `deadlines`: what is overdue or coming due on a date, which deadlines are not running yet,
//! and each long-stop's outlook.

use std::fmt::{self, Write as _};

use crate::ids::{NodeId, PartyId, TrackId};
use crate::lookup::{actors_of, party_list};
use crate::model::NodeData;
use crate::state::Negotiation;
use crate::time::{Date, Span};
use crate::util::Rendered;

use super::declare::DueDate;
use super::earliest::Earliest;
use super::spec::Due;
use crate::model::LongStop;

/// What is due around a date; see [`Negotiation::deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[must_use]
pub struct Deadlines {
    /// The date asked about.
    pub on: Date,
    /// How far ahead "coming due" looks.
    pub window: Span,
    /// Unsatisfied nodes whose due date has passed, oldest first.
    pub overdue: Vec<DueItem>,
    /// Unsatisfied nodes due on the date or within the window after it, soonest first.
    pub coming_due: Vec<DueItem>,
    /// Relative deadlines whose anchor is not satisfied, or was satisfied on no recorded date.
    pub not_running: Vec<NotRunning>,
    /// Satisfied nodes that were met after their due date (`days`: how late), oldest due
    /// first.
    pub met_late: Vec<DueItem>,
    /// Every track's long-stop date and where it stands.
    pub long_stops: Vec<LongStopStatus>,
}

/// An unsatisfied node with a due date; see [`Deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DueItem {
    /// The node.
    pub node: NodeId,
    /// The date it is due.
    pub due: Date,
    /// The declared deadline.
    pub rule: Due,
    /// Overdue: whole days since the due date; coming due: whole days left.
    pub days: i32,
    /// Who must act on it (its obligors, the performer of an act, a stage's pending
    /// performers).
    pub must_act: Vec<PartyId>,
    /// Whether it is blocked: something it requires must happen first
    /// ([`Negotiation::blockers`] says what).
    pub blocked: bool,
}

/// A relative deadline not yet running; see [`Deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NotRunning {
    /// The node.
    pub node: NodeId,
    /// How long after its anchor it is due.
    pub span: Span,
    /// The anchor.
    pub after: NodeId,
    /// The anchor is satisfied, but on no recorded date (an undated move, or satisfied as
    /// declared; or the due date falls past 9999): the due date is unknown.
    pub undated: bool,
}

/// A long-stop date and where the track stands against it; see [`Deadlines`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LongStopStatus {
    /// The track.
    pub track: TrackId,
    /// Its long-stop.
    pub long_stop: LongStop,
    /// Where it stands on the date asked about.
    pub outlook: Outlook,
    /// For a stage not reached and a date not passed: when it can be reached at the earliest.
    pub earliest: Option<Earliest>,
}

/// Where a track stands against its long-stop date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Outlook {
    /// The stage is reached: on a date (`in_time` says whether by the long-stop) or undated.
    Reached {
        /// When, if the move was dated.
        on: Option<Date>,
    },
    /// The date has passed with the stage unreached (the track has lapsed if it `lapses`).
    Passed {
        /// Whole days since the long-stop date.
        days: i32,
    },
    /// Even at the latest (every duration at its maximum), the stage is reached in time.
    Clear,
    /// It can be reached in time, but not surely: the latest date is after the long-stop, or
    /// unknown (a duration on the way has no maximum).
    AtRisk,
    /// Even at the earliest, the stage is reached after the long-stop.
    Late,
    /// The stage can never be reached as things stand (a deadlock, or a node nobody can
    /// satisfy).
    Never,
}

impl Negotiation {
    /// What is due around `on`: unsatisfied nodes overdue (with how long, who must act, and
    /// whether they are blocked), those coming due within `window`, relative deadlines not
    /// yet running, nodes met after their due date, and each long-stop date with the earliest
    /// date its stage can be reached.
    /// A deadline never blocks anything by itself: this is information.
    ///
    /// Read on the negotiation as it is; for the state on a past date, ask
    /// [`state_on`](Self::state_on) first.
    ///
    /// # Complexity
    ///
    /// Linear in the number of scheduled nodes, plus an [`earliest`](Self::earliest) per
    /// long-stop date not yet reached.
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::{ConditionSpec, DueSpec, Move, Negotiation, Role, ScheduleSpec, Span};
    ///
    /// let d = |s: &str| s.parse::<negotiation::Date>().unwrap();
    /// let mut neg = Negotiation::builder()
    ///     .party("buyer", "Buyer", Role::Principal)
    ///     .condition(ConditionSpec::new("filing", "Merger filed").owed_by(["buyer"]))
    ///     .condition(ConditionSpec::new("clearance", "Merger cleared").owed_by(["buyer"]))
    ///     .due("filing", DueSpec::By(d("2026-03-01")))
    ///     .due("clearance", DueSpec::Within { span: Span::days(90), after: "filing".into() })
    ///     .build()?;
    /// let on = neg.deadlines(d("2026-03-10"), Span::days(30));
    /// assert_eq!(neg.key(on.overdue[0].node).unwrap(), "filing");
    /// assert_eq!(on.overdue[0].days, 9);
    /// assert_eq!(neg.key(on.not_running[0].node).unwrap(), "clearance");
    ///
    /// neg.apply(&Move::fulfil("buyer", "filing").on(d("2026-03-12")))?;
    /// let on = neg.deadlines(d("2026-05-20"), Span::days(30));
    /// assert_eq!(on.coming_due[0].due, d("2026-06-10"));
    /// assert_eq!(on.coming_due[0].days, 21);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadlines(&self, on: Date, window: Span) -> Deadlines {
        let horizon = on.last_day().checked_add(window).ok();
        let mut out = Deadlines {
            on,
            window,
            overdue: Vec::new(),
            coming_due: Vec::new(),
            not_running: Vec::new(),
            met_late: Vec::new(),
            long_stops: Vec::new(),
        };
        let mut scheduled: Vec<(NodeId, Due)> = self
            .schedule
            .iter()
            .filter_map(|(&n, t)| Some((n, t.due?)))
            .collect();
        scheduled.sort_unstable_by_key(|&(n, _)| n);
        for (node, rule) in scheduled {
            let item = |due: Date, days: i32| DueItem {
                node,
                due,
                rule,
                days,
                must_act: self.must_act(node),
                blocked: self.blocked(node),
            };
            if self.satisfied(node) {
                if let (DueDate::On(due), Some(met)) =
                    (self.due_date(rule), self.satisfied_since(node))
                {
                    if due.is_before(met) {
                        out.met_late.push(item(due, met.days_after(due)));
                    }
                }
                continue;
            }
            match (self.due_date(rule), rule) {
                (DueDate::On(due), _) if due.is_before(on) => {
                    out.overdue.push(item(due, on.days_after(due)));
                }
                (DueDate::On(due), _) => {
                    if horizon.is_none_or(|h| due.last_day() <= h) {
                        let left = due.last_day().days_after(on.first_day());
                        out.coming_due.push(item(due, left));
                    }
                }
                (state, Due::Within { span, after }) => out.not_running.push(NotRunning {
                    node,
                    span,
                    after,
                    undated: state == DueDate::Undated,
                }),
                (_, Due::By(_)) => {}
            }
        }
        out.overdue.sort_by_key(|i| (i.due.last_day(), i.node));
        out.coming_due.sort_by_key(|i| (i.due.last_day(), i.node));
        out.met_late.sort_by_key(|i| (i.due.last_day(), i.node));
        for (t, track) in self.tracks.iter().enumerate() {
            let Some(long_stop) = track.long_stop else {
                continue;
            };
            out.long_stops
                .push(self.long_stop_status(self.track_handle(t), long_stop, on));
        }
        out
    }

    fn long_stop_status(&self, track: TrackId, long_stop: LongStop, on: Date) -> LongStopStatus {
        let mut status = LongStopStatus {
            track,
            long_stop,
            outlook: Outlook::Clear,
            earliest: None,
        };
        if self.satisfied(long_stop.stage) {
            status.outlook = Outlook::Reached {
                on: self.satisfied_since(long_stop.stage),
            };
            return status;
        }
        if long_stop.date.is_before(on) {
            status.outlook = Outlook::Passed {
                days: on.days_after(long_stop.date),
            };
            return status;
        }
        let earliest = self.earliest_of(long_stop.stage, on);
        let end = long_stop.date.last_day();
        status.outlook = match (earliest.earliest, earliest.latest) {
            (None, _) => Outlook::Never,
            (Some(e), _) if e.first_day() > end => Outlook::Late,
            (Some(_), Some(l)) if l.last_day() <= end => Outlook::Clear,
            _ => Outlook::AtRisk,
        };
        status.earliest = Some(earliest);
        status
    }

    /// Who must act on an unsatisfied node: its obligors, an act's performer, a concession's
    /// party, an article's principals who have not accepted it, a stage's pending performers.
    fn must_act(&self, node: NodeId) -> Vec<PartyId> {
        match &self.nodes[node.index()].data {
            NodeData::Stage(s) => s
                .acts
                .iter()
                .filter(|&&(_, a)| !self.satisfied(a))
                .map(|&(p, _)| p)
                .collect(),
            _ => actors_of(self, node),
        }
    }
}

impl Deadlines {
    /// The answer as text: *Overdue*, *Coming due*, *Not yet running* and *Long-stop dates*
    /// (sections with nothing to say are left out).
    #[must_use]
    pub fn display<'a>(&'a self, negotiation: &'a Negotiation) -> impl fmt::Display + 'a {
        Rendered(move |f: &mut fmt::Formatter<'_>| {
            if !crate::foreign::Owned::belongs_to(self, negotiation) {
                return crate::foreign::foreign(f, "answer");
            }
            let neg = negotiation;
            let key = |n: NodeId| neg.key_of(n);
            let due = |i: &DueItem, what: String| {
                let mut line = format!("- {}: due {}, {what}", key(i.node), i.due);
                if let Due::Within { span, after } = i.rule {
                    let _ = write!(line, " ({span} after {})", key(after));
                }
                line
            };
            let item = |i: &DueItem, what: String| {
                let mut line = due(i, what);
                let _ = write!(line, "; must act: {}", party_list(neg, &i.must_act));
                if i.blocked {
                    line.push_str(" (blocked: something it requires must happen first)");
                }
                line
            };
            if !self.overdue.is_empty() {
                writeln!(f, "Overdue on {}:", self.on)?;
                for i in &self.overdue {
                    writeln!(f, "{}", item(i, format!("{} overdue", days(i.days))))?;
                }
            }
            if !self.coming_due.is_empty() {
                writeln!(f, "Coming due within {} of {}:", self.window, self.on)?;
                for i in &self.coming_due {
                    writeln!(f, "{}", item(i, format!("in {}", days(i.days))))?;
                }
            }
            if !self.not_running.is_empty() {
                writeln!(f, "Deadlines not yet running:")?;
                for w in &self.not_running {
                    let why = if w.undated {
                        "met, but on no recorded date: due date unknown"
                    } else {
                        "not yet met"
                    };
                    writeln!(
                        f,
                        "- {}: due within {} after {} ({why})",
                        key(w.node),
                        w.span,
                        key(w.after)
                    )?;
                }
            }
            if !self.met_late.is_empty() {
                writeln!(f, "Met late:")?;
                for i in &self.met_late {
                    let met = neg.satisfied_since(i.node).map(|d| d.to_string());
                    let what = format!("met on {}, {} late", met.unwrap_or_default(), days(i.days));
                    writeln!(f, "{}", due(i, what))?;
                }
            }
            if !self.long_stops.is_empty() {
                writeln!(f, "Long-stop dates:")?;
            }
            for s in &self.long_stops {
                let ls = s.long_stop;
                let lapse = if ls.lapses { "; the track lapses" } else { "" };
                let verdict = match s.outlook {
                    Outlook::Reached { on: Some(d) } if ls.date.is_before(d) => {
                        format!("reached on {d}, after the long-stop")
                    }
                    Outlook::Reached { on: Some(d) } => format!("reached on {d}"),
                    Outlook::Reached { on: None } => "reached".to_owned(),
                    Outlook::Passed { days: n } => {
                        format!("passed {} ago, not reached{lapse}", days(n))
                    }
                    Outlook::Clear => "clear: reached in time even at the latest".to_owned(),
                    Outlook::AtRisk => {
                        let e = s.earliest.as_ref();
                        let at = e.and_then(|e| e.earliest).map(|d| format!(" ({d})"));
                        let why = match e {
                            Some(e) if !e.open_ended.is_empty() => {
                                let items: Vec<String> = e
                                    .open_ended
                                    .iter()
                                    .map(|&n| match neg.takes(n) {
                                        Some(t) => format!("{} ({t}, no maximum)", key(n)),
                                        None => key(n).to_owned(),
                                    })
                                    .collect();
                                format!("it waits on {}", items.join(", "))
                            }
                            Some(Earliest {
                                latest: Some(l), ..
                            }) => format!("at the latest {l}"),
                            _ => "its latest date is unknown".to_owned(),
                        };
                        format!(
                            "at risk: in time at the earliest{}, but not surely: {why}",
                            at.unwrap_or_default()
                        )
                    }
                    Outlook::Late => {
                        let at = s
                            .earliest
                            .as_ref()
                            .and_then(|e| e.earliest)
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default();
                        format!("not clear: too late even at the earliest{at}{lapse}; the critical path decides it")
                    }
                    Outlook::Never => format!("not clear: never reached as things stand{lapse}"),
                };
                writeln!(f, "- {} by {}: {verdict}", key(ls.stage), ls.date)?;
                if let Some(e) = &s.earliest {
                    for line in e.display(neg).to_string().lines() {
                        writeln!(f, "  {line}")?;
                    }
                }
            }
            Ok(())
        })
    }
}

/// `1 day`, `12 days`.
pub(super) fn days(n: i32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

crate::foreign::owned! {
    Deadlines { overdue, coming_due, not_running, met_late, long_stops }
    DueItem { node, must_act }
    NotRunning { node, after }
    LongStopStatus { track, earliest }
}

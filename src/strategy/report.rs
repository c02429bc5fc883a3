//! The text report of a conflict's stability analysis, shared by the `gmcr` example and the
//! command-line tool.

use std::fmt::Write as _;

use super::conflict::{Conflict, StateId};
use super::stability::{Analysis, Concept};

/// What [`Analysis::report`] shows.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[must_use]
pub struct ReportOptions {
    /// The concepts reported, in this order. Default: [`Concept::ALL`].
    pub concepts: Vec<Concept>,
    /// How many unstable states are explained per concept; `None` explains every one, and
    /// `Some(0)` leaves the section out ([`Analysis::report_state`] explains one state).
    /// Default: 20.
    pub explained: Option<usize>,
}

impl ReportOptions {
    /// The defaults: every concept, 20 unstable states explained per concept.
    pub fn new() -> Self {
        Self::default()
    }

    /// The concepts reported, in this order.
    pub fn concepts(mut self, concepts: impl IntoIterator<Item = Concept>) -> Self {
        self.concepts = concepts.into_iter().collect();
        self
    }

    /// How many unstable states are explained per concept; `None` explains every one.
    pub fn explained(mut self, explained: Option<usize>) -> Self {
        self.explained = explained;
        self
    }
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            concepts: Concept::ALL.to_vec(),
            explained: Some(20),
        }
    }
}

/// How states are numbered, for the text reports.
pub(crate) const NUMBERING: &str = "States are numbered as GMCR+ numbers them: from 1, by \
    ascending code (the sum of 2^k over the options taken, k the option's position in pattern \
    order; a `.gmcr` file's options are put in that order grouped by decision maker).\n";

fn numbers(states: impl IntoIterator<Item = StateId>) -> String {
    states
        .into_iter()
        .map(|s| format!(" {}", s.number()))
        .collect()
}

impl Analysis<'_> {
    /// The analysis as text: one line per concept with the equilibria as 1-based state
    /// numbers (feasible states by ascending code, as GMCR+ numbers them), then the states
    /// stable for each mover under each concept, and why the other states are unstable (the
    /// first undeterred improvement of the first mover for which each is unstable).
    ///
    /// # Examples
    ///
    /// ```
    /// use negotiation::strategy::{ConflictBuilder, ReportOptions};
    ///
    /// let mut b = ConflictBuilder::new();
    /// b = b.option("swerve1").option("swerve2");
    /// b = b.decision_maker("Driver 1", ["swerve1"]);
    /// b = b.decision_maker("Driver 2", ["swerve2"]);
    /// b = b.prioritize("Driver 1", ["swerve1 | swerve2", "!swerve1", "swerve2"]);
    /// b = b.prioritize("Driver 2", ["swerve1 | swerve2", "!swerve2", "swerve1"]);
    /// let conflict = b.build()?;
    /// let text = conflict.analyse().report(&ReportOptions::default());
    /// assert!(text.starts_with("Nash: 2 3\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn report(&self, options: &ReportOptions) -> String {
        let c = self.conflict();
        let mut out = String::new();
        for &concept in &options.concepts {
            let _ = writeln!(out, "{concept}:{}", numbers(self.equilibria(concept)));
        }
        let _ = writeln!(out, "\n## Stable states per mover");
        for m in self.mover_ids() {
            let name = self.movers().get(m.index()).map_or("", |m| m.name());
            let _ = writeln!(out, "\n{name}:");
            for &concept in &options.concepts {
                let _ = writeln!(
                    out,
                    "  {concept}:{}",
                    numbers(self.stable_states(concept, m).unwrap_or_default())
                );
            }
        }
        if options.explained == Some(0) {
            return out;
        }
        let _ = writeln!(out, "\n## Why the other states are unstable");
        for &concept in &options.concepts {
            let _ = writeln!(out, "\n### {concept}\n");
            let mut unstable = c
                .states()
                .filter(|&s| self.mover_ids().any(|m| !self.is_stable_raw(concept, m, s)));
            let limit = options.explained.unwrap_or(usize::MAX);
            let mut shown = 0;
            for s in unstable.by_ref().take(limit) {
                if let Some(why) = self.mover_ids().find_map(|m| self.explain(concept, m, s)) {
                    let _ = write!(out, "{}", why.display(c));
                }
                shown += 1;
            }
            let more = unstable.count();
            if more > 0 {
                let _ = writeln!(out, "... and {more} more");
            }
            if shown == 0 {
                let _ = writeln!(out, "Every state is an equilibrium.");
            }
        }
        out
    }
}

impl Analysis<'_> {
    /// One state explained for every mover under each of `concepts`: why it is unstable
    /// ([`explain`](Self::explain)) or why it is stable ([`deterrence`](Self::deterrence)).
    /// `None` for a state of another conflict.
    ///
    /// # Complexity
    ///
    /// A search of the others' moves per improvement of each mover from `s`: at most
    /// O(states × movers × moves) per improvement, and nothing for the other states.
    #[must_use]
    pub fn report_state(&self, s: StateId, concepts: &[Concept]) -> Option<String> {
        let c = self.conflict();
        c.st(s)?;
        let mut out = String::new();
        let _ = writeln!(out, "## State {}\n", s.display(c));
        for &concept in concepts {
            let _ = writeln!(out, "### {concept}\n");
            for m in self.mover_ids() {
                if let Some(why) = self.explain(concept, m, s) {
                    let _ = write!(out, "{}", why.display(c));
                } else if let Some(deterred) = self.deterrence(concept, m, s) {
                    let _ = write!(out, "{}", deterred.display(c));
                }
            }
            out.push('\n');
        }
        Some(out)
    }
}

impl Conflict {
    /// The states as text: the options in pattern order (by
    /// [`qualified_name`](Self::qualified_name)), how states are numbered, then one line per
    /// feasible state ([`StateId::display`]).
    #[must_use]
    pub fn states_report(&self) -> String {
        let names: Vec<String> = self
            .option_ids()
            .map(|o| self.qualified_name_raw(o))
            .collect();
        let mut out = format!("Options, in pattern order: {}\n", names.join(", "));
        out.push_str(NUMBERING);
        for s in self.states() {
            let _ = writeln!(out, "  {}", s.display(self));
        }
        out
    }
}

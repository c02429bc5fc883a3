//! Stability analysis of any GMCR+ `.gmcr` file.
//!
//! ```sh
//! cargo run --release --example gmcr -- examples/gmcr/prisoners_dilemma.gmcr
//! cargo run --release --example gmcr -- FILE.gmcr --all
//! ```
//!
//! Prints first one line per concept with the equilibria as 1-based state numbers in the
//! file's numbering (feasible states by ascending Σ 2^k over the options taken):
//!
//! ```text
//! Nash: 1
//! GMR: 1 4
//! SMR: 1 4
//! SEQ: 1 4
//! SIM: 1 4
//! SEQ+SIM: 1 4
//! ```
//!
//! then the states, the states stable for each decision maker under each concept, and why the
//! other states are unstable (the first 20 per concept; `--all` prints every one). When the
//! file groups decision makers into coalitions, the coalition analysis follows. A malformed
//! file prints the error, with the path to the offending entry, and exits with 1.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use negotiation::strategy::{Analysis, Concept, Conflict, StateId};

const SHOWN: usize = 20;

fn numbers(states: impl IntoIterator<Item = StateId>) -> String {
    states
        .into_iter()
        .map(|s| format!(" {}", s.number()))
        .collect()
}

fn section(out: &mut String, a: &Analysis<'_>, all: bool) {
    let c = a.conflict();
    for concept in Concept::ALL {
        let _ = writeln!(out, "{concept}:{}", numbers(a.equilibria(concept)));
    }
    let _ = writeln!(out, "\n## Stable states per mover");
    for m in a.mover_ids() {
        let _ = writeln!(out, "\n{}:", a.movers()[m.index()].name());
        for concept in Concept::ALL {
            let _ = writeln!(out, "  {concept}:{}", numbers(a.stable_states(concept, m)));
        }
    }
    let _ = writeln!(out, "\n## Why the other states are unstable");
    for concept in Concept::ALL {
        let _ = writeln!(out, "\n### {concept}\n");
        let unstable: Vec<StateId> = c
            .states()
            .filter(|&s| a.mover_ids().any(|m| !a.is_stable(concept, m, s)))
            .collect();
        let limit = if all { unstable.len() } else { SHOWN };
        for &s in unstable.iter().take(limit) {
            // The first mover for which the state is unstable.
            if let Some(why) = a.mover_ids().find_map(|m| a.explain(concept, m, s)) {
                out.push_str(&a.render(&why));
            }
        }
        if unstable.len() > limit {
            let _ = writeln!(
                out,
                "... and {} more (--all prints every one)",
                unstable.len() - limit
            );
        }
        if unstable.is_empty() {
            let _ = writeln!(out, "Every state is an equilibrium.");
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let files: Vec<&String> = args.iter().filter(|a| *a != "--all").collect();
    let [file] = files.as_slice() else {
        eprintln!("usage: gmcr FILE.gmcr [--all]");
        return ExitCode::from(2);
    };
    let conflict = match std::fs::read_to_string(file)
        .map_err(|e| e.to_string())
        .and_then(|text| Conflict::from_gmcr(&text).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = String::new();
    section(&mut out, &conflict.analyse(), all);

    let _ = writeln!(out, "\n## States\n");
    let names: Vec<&str> = conflict
        .option_ids()
        .map(|o| conflict.option_name(o))
        .collect();
    let _ = writeln!(out, "Options, in pattern order: {}", names.join(", "));
    for s in conflict.states() {
        let _ = writeln!(out, "  {}", conflict.describe(s));
    }

    if let Some(groups) = conflict
        .coalitions()
        .filter(|g| g.iter().any(|g| g.len() > 1))
    {
        let names: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|&d| conflict.dm_name(d)).collect())
            .collect();
        let shown: Vec<String> = names.iter().map(|g| g.join(", ")).collect();
        let _ = writeln!(out, "\n# Coalitions: {}\n", shown.join(" | "));
        match conflict.analyse_coalitions(names) {
            Ok(a) => section(&mut out, &a, all),
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

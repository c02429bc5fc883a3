//! Stability analysis of any GMCR+ `.gmcr` file.
//!
//! ```sh
//! cargo run --release --example gmcr -- examples/gmcr/prisoners_dilemma.gmcr
//! cargo run --release --example gmcr -- FILE.gmcr --explain 4 --explain YNYN
//! cargo run --release --example gmcr -- FILE.gmcr --all
//! ```
//!
//! Prints first one line per concept with the equilibria as 1-based state numbers, numbered as
//! GMCR+ numbers them (options grouped by decision maker, which for files GMCR+ wrote is the
//! file's order; feasible states by ascending Σ 2^k over the options taken):
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
//! then the states stable for each decision maker under each concept, and the states (past
//! 4,096 states: how many are stable for each, and how states are numbered). `--explain STATE` (a number or a
//! `Y`/`N` pattern, repeatable) says for every decision maker and concept why that state is
//! stable or not; `--all` lists every state and explains every unstable one (slow and long on
//! big conflicts: a search per improvement). When the file groups decision makers into
//! coalitions, the coalition analysis follows. A malformed file or an unknown state prints the
//! error and exits with 1.

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::strategy::{Analysis, Concept, Conflict, ReportOptions, StateRef};

/// States listed in full without `--all`.
const LISTED: usize = 4096;

/// The equilibria, then how many states are stable for each mover: a big conflict's lists
/// would run to hundreds of megabytes.
fn summary(a: &Analysis<'_>) -> String {
    let mut out = String::new();
    for concept in Concept::ALL {
        let numbers: Vec<String> = a
            .equilibria(concept)
            .iter()
            .map(|s| s.number().to_string())
            .collect();
        out.push_str(&format!("{concept}: {}\n", numbers.join(" ")));
    }
    out.push_str("\n## Stable states per mover (counts; `--all` lists them)\n");
    for (m, mover) in a.mover_ids().zip(a.movers()) {
        out.push_str(&format!("\n{}:\n", mover.name()));
        for concept in Concept::ALL {
            let count = a
                .stable_states(concept, m)
                .expect("a handle of this conflict")
                .len();
            out.push_str(&format!("  {concept}: {count} states\n"));
        }
    }
    out
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut all, mut explain, mut files) = (false, Vec::new(), Vec::new());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--all" => all = true,
            "--explain" => match args.next() {
                Some(s) => explain.push(s),
                None => {
                    eprintln!("--explain needs a state: a number or a Y/N pattern");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(a),
        }
    }
    let [file] = files.as_slice() else {
        eprintln!("usage: gmcr FILE.gmcr [--explain STATE]... [--all]");
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
    let mut states = Vec::new();
    for s in &explain {
        let r = match s.parse() {
            Ok(n) => StateRef::Number(n),
            Err(_) => StateRef::Pattern(s.clone()),
        };
        match conflict.state(&r) {
            Ok(id) => states.push(id),
            Err(e) => {
                eprintln!("{file}: --explain {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let options = ReportOptions::new().explained(if all { None } else { Some(0) });
    let big = !all && conflict.state_count() > LISTED;
    let report = |a: &Analysis<'_>| {
        let mut out = if big { summary(a) } else { a.report(&options) };
        for &s in &states {
            out.push('\n');
            out.push_str(
                &a.report_state(s, &Concept::ALL)
                    .expect("a handle of this conflict"),
            );
        }
        out
    };
    let mut out = report(&conflict.analyse());
    out.push_str("\n## States\n\n");
    if all || conflict.state_count() <= LISTED {
        out.push_str(&conflict.states_report());
    } else {
        out.push_str(&format!(
            "{} feasible states, not listed (`--all` lists them). States are numbered as \
             GMCR+ numbers them: from 1, by ascending Σ 2^k over the options taken, the \
             options grouped by decision maker.\n",
            conflict.state_count()
        ));
    }
    if let Some(groups) = conflict
        .coalitions()
        .filter(|g| g.iter().any(|g| g.len() > 1))
    {
        let names: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|&d| conflict.dm_name(d).expect("a handle of this conflict"))
                    .collect()
            })
            .collect();
        let shown: Vec<String> = names.iter().map(|g| g.join(", ")).collect();
        out.push_str(&format!("\n# Coalitions: {}\n\n", shown.join(" | ")));
        match conflict.analyse_coalitions(names) {
            Ok(a) => out.push_str(&report(&a)),
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

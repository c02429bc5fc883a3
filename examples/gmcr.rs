//! Stability analysis of any GMCR+ `.gmcr` file.
//!
//! ```sh
//! cargo run --release --example gmcr -- examples/gmcr/prisoners_dilemma.gmcr
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
//! then the states, the states stable for each decision maker under each concept, and why the
//! other states are unstable (the first 20 per concept, then how many more; `--all` explains every one). When the
//! file groups decision makers into coalitions, the coalition analysis follows. A malformed
//! file prints the error, with the path to the offending entry, and exits with 1.

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::strategy::{Conflict, ReportOptions};

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
    let options = ReportOptions {
        explained: if all { None } else { Some(20) },
        ..ReportOptions::default()
    };
    let mut out = conflict.analyse().report(&options);
    out.push_str("\n## States\n\n");
    out.push_str(&conflict.states_report());
    if let Some(groups) = conflict
        .coalitions()
        .filter(|g| g.iter().any(|g| g.len() > 1))
    {
        let names: Vec<Vec<&str>> = groups
            .iter()
            .map(|g| g.iter().map(|&d| conflict.dm_name(d)).collect())
            .collect();
        let shown: Vec<String> = names.iter().map(|g| g.join(", ")).collect();
        out.push_str(&format!("\n# Coalitions: {}\n\n", shown.join(" | ")));
        match conflict.analyse_coalitions(names) {
            Ok(a) => out.push_str(&a.report(&options)),
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

//! The analyst's report for any scenario file.
//!
//! ```sh
//! cargo run --example report -- examples/scenarios/acquisition_closing.json
//! cargo run --example report -- examples/scenarios/acquisition_closing.json --json
//! cargo run --example report -- examples/scenarios/acquisition_closing.json --as-of 2026-09-30
//! ```
//!
//! With `--as-of DATE`, the report is written on the state on that date (the moves dated by
//! then) and its *Time* section counts from it; by default it counts from the scenario's
//! `as_of`, or the latest date in its moves.
//!
//! With `--json`, prints instead the per-stage summary (`negotiation::stage_summary`, its
//! structure versioned by `SUMMARY_VERSION`): for every stage of every track, whether it is
//! reached and, if not, its outstanding requirements, chain, frontier, deadlocks and earliest
//! date; and what is overdue, coming due and not yet running, and each long-stop date.
//!
//! An invalid file prints the error, with the path to the offending entry, and exits with 1;
//! a bad command line prints the usage and exits with 2.

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::{report, stage_summary, stage_summary_on, Date, Scenario, Span};

const USAGE: &str = "usage: report FILE [--json] [--as-of YYYY[-MM[-DD]]]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut file, mut json_output, mut as_of) = (None, false, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json_output = true,
            "--as-of" => match args.next().map(|d| d.parse::<Date>()) {
                Some(Ok(date)) => as_of = Some(date),
                Some(Err(e)) => {
                    eprintln!("--as-of: {e}\n{USAGE}");
                    return ExitCode::from(2);
                }
                None => {
                    eprintln!("--as-of needs a date\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ if file.is_none() && !arg.starts_with("--") => file = Some(arg),
            _ => {
                eprintln!("unexpected argument `{arg}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut scenario, mut negotiation) = match Scenario::from_json(&text) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(date) = as_of {
        negotiation = match negotiation.state_on(date) {
            Ok(state) => state,
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        };
        std::sync::Arc::make_mut(&mut scenario.moves).truncate(negotiation.history().len());
        scenario.as_of = Some(date);
    }
    let output = if json_output {
        let summary = match scenario.as_of {
            Some(date) => stage_summary_on(
                &negotiation,
                date,
                scenario.window.unwrap_or(Span::days(30)),
            ),
            None => stage_summary(&negotiation),
        };
        match serde_json::to_string_pretty(&summary) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        report(&scenario, &negotiation)
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(output.as_bytes());
    ExitCode::SUCCESS
}

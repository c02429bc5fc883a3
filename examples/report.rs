//! The analyst's report for any scenario file.
//!
//! ```sh
//! cargo run --example report -- examples/scenarios/acquisition_closing.json
//! cargo run --example report -- examples/scenarios/acquisition_closing.json --json
//! ```
//!
//! With `--json`, prints instead, for every stage of every track, whether it is reached and,
//! if not, who still has to act and its frontier blockers:
//!
//! ```json
//! [{"track": "spa", "title": "...", "stages": [
//!   {"stage": "spa.closing", "reached": false, "blocked": true, "pending": ["buyer", "seller"],
//!    "blockers": [{"id": "us_clearance", "kind": "condition", "status": "unmet",
//!                  "must_act": ["ftc"], "demanded_by": ["buyer"]}]}]}]
//! ```
//!
//! An invalid file prints the error, with the path to the offending entry, and exits with 1.

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::{report, stage_summary, Scenario};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json_output = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    let [file] = files.as_slice() else {
        eprintln!("usage: report FILE [--json]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (scenario, negotiation) = match Scenario::from_json(&text) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let output = if json_output {
        match serde_json::to_string_pretty(&stage_summary(&negotiation)) {
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

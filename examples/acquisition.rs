//! A second, different negotiation: an acquisition closing with conditions precedent
//! (regulatory approval in two jurisdictions, either of two financing sources, a shareholder
//! vote, a third-party consent the buyer waived), read from its scenario file, with the same
//! report.
//!
//! ```sh
//! cargo run --example acquisition
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::{report, Scenario};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/scenarios/acquisition_closing.json"
);

fn main() -> ExitCode {
    let loaded = std::fs::read_to_string(SCENARIO)
        .map_err(|e| e.to_string())
        .and_then(|json| Scenario::from_json(&json).map_err(|e| e.to_string()));
    match loaded {
        Ok((scenario, negotiation)) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = std::io::stdout()
                .lock()
                .write_all(report(&scenario, &negotiation).as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{SCENARIO}: {e}");
            ExitCode::FAILURE
        }
    }
}

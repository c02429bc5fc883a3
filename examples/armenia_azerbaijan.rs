//! The flagship example: the 2025 Armenia–Azerbaijan draft peace agreement, read from its
//! scenario file, with the report an analyst would write.
//!
//! ```sh
//! cargo run --example armenia_azerbaijan
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::{report, Scenario};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/scenarios/armenia_azerbaijan_2025.json"
);

fn main() -> ExitCode {
    let json = match std::fs::read_to_string(SCENARIO) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("{SCENARIO}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match Scenario::from_json(&json) {
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

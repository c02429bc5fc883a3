//! Pictures of a scenario or a conflict, as Graphviz DOT or Mermaid text.
//!
//! ```sh
//! # why the scenario's focus (or NODE) is blocked, as DOT; render it with `dot -Tsvg`
//! cargo run --example picture -- examples/scenarios/armenia_azerbaijan_2025.json > blockers.dot
//! cargo run --example picture -- FILE.json --node peace.signed --format mermaid
//! # the whole requirement graph
//! cargo run --example picture -- FILE.json --all
//! # a conflict's state graph, equilibria under a concept (Nash by default) marked
//! cargo run --example picture -- examples/gmcr/chicken.gmcr --concept SEQ
//! ```
//!
//! `--format` is `dot` (the default), `mermaid`, or `svg` (with `--features svg`: laid out in
//! pure Rust by `layout-rs`; without it, pipe the DOT to Graphviz: `| dot -Tsvg > out.svg`).

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::strategy::{Concept, Conflict};
use negotiation::Scenario;

fn run(args: &[String]) -> Result<String, String> {
    let usage = "usage: picture FILE.json|FILE.gmcr [--all] [--node KEY] [--concept NAME] \
                 [--format dot|mermaid|svg]";
    let file = args.first().ok_or(usage)?;
    let (mut all, mut node, mut concept, mut format) = (false, None, Concept::Nash, "dot");
    let mut rest = args[1..].iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--all" => all = true,
            "--node" => node = Some(rest.next().ok_or(usage)?.clone()),
            "--concept" => {
                let name = rest.next().ok_or(usage)?;
                concept = Concept::ALL
                    .into_iter()
                    .find(|c| c.as_str().eq_ignore_ascii_case(name))
                    .ok_or_else(|| format!("unknown concept `{name}`"))?;
            }
            "--format" => {
                format = match rest.next().ok_or(usage)?.as_str() {
                    "dot" => "dot",
                    "mermaid" => "mermaid",
                    "svg" if cfg!(feature = "svg") => "svg",
                    "svg" => {
                        return Err("SVG needs `--features svg`; or pipe the DOT to \
                                    `dot -Tsvg` (Graphviz)"
                            .to_owned())
                    }
                    other => return Err(format!("unknown format `{other}`: dot, mermaid or svg")),
                }
            }
            _ => return Err(usage.to_owned()),
        }
    }
    let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
    if file.ends_with(".gmcr") {
        let conflict = Conflict::from_gmcr(&text).map_err(|e| format!("{file}: {e}"))?;
        let analysis = conflict.analyse();
        return match format {
            "mermaid" => Ok(analysis.to_mermaid(concept)),
            #[cfg(feature = "svg")]
            "svg" => analysis.to_svg(concept).map_err(|e| e.to_string()),
            _ => Ok(analysis.to_dot(concept)),
        };
    }
    let (scenario, neg) = Scenario::from_json(&text).map_err(|e| format!("{file}: {e}"))?;
    if all {
        return match format {
            "mermaid" => Ok(neg.to_mermaid()),
            #[cfg(feature = "svg")]
            "svg" => neg.to_svg().map_err(|e| e.to_string()),
            _ => Ok(neg.to_dot()),
        };
    }
    let key = node
        .or(scenario.focus.clone())
        .ok_or("the scenario has no focus: name a node with --node")?;
    // An unknown key is an error naming it, with the nearest key.
    let why = neg.blockers(&key).map_err(|e| e.to_string())?;
    match format {
        "mermaid" => Ok(why.to_mermaid(&neg)),
        #[cfg(feature = "svg")]
        "svg" => why.to_svg(&neg).map_err(|e| e.to_string()),
        _ => Ok(why.to_dot(&neg)),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(text) => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

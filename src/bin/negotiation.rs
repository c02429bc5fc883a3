//! `negotiation`: the analyst's command-line tool. Every answer the library gives, on scenario
//! files and GMCR+ files, as text or JSON; pictures of the requirement graph.
//!
//! Exit codes: 0 answered, 1 bad input (the message names the file and the path to the
//! offending entry), 2 bad command line.

use std::fmt::Display;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use negotiation::strategy::{Concept, Conflict, ReportOptions, StateRef};
use negotiation::{
    report, stage_summary, stage_summary_on, Costs, Date, Move, Negotiation, NodeId, Options,
    PlanError, Scenario, Span, ANSWER_VERSION,
};
use serde::Serialize;

const EXAMPLES: &str = "\
Examples:
  negotiation deadlines examples/scenarios/acquisition_closing.json --as-of 2026-09-30
  negotiation check examples/scenarios/armenia_azerbaijan_2025.json
  negotiation blockers examples/scenarios/armenia_azerbaijan_2025.json peace.signed
  negotiation report examples/scenarios/acquisition_closing.json --format html > report.html
  negotiation graph examples/scenarios/armenia_azerbaijan_2025.json --focus peace.signed --format svg
  negotiation gmcr examples/gmcr/prisoners_dilemma.gmcr --concept nash --concept gmr";

/// Analyses of negotiations modelled as requirement graphs: what blocks a stage, who must act,
/// what a move would change, who is deadlocked; and the stability of GMCR+ conflicts.
#[derive(Debug, Parser)]
#[command(name = "negotiation", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a scenario (or `.gmcr`) file: every error with the path to its entry.
    #[command(
        after_help = "Example:\n  negotiation check examples/scenarios/trade_ratification.json"
    )]
    Check {
        /// The file.
        file: PathBuf,
    },
    /// The analyst's report: what happened, what blocks each stage, who must act, time.
    #[command(
        after_help = "Examples:\n  negotiation report examples/scenarios/armenia_azerbaijan_2025.json\n  \
        negotiation report examples/scenarios/acquisition_closing.json --as-of 2026-09-30 --format json"
    )]
    Report {
        /// The scenario file.
        file: PathBuf,
        /// The stage the report leads with (default: the file's `focus`).
        #[arg(long)]
        focus: Option<String>,
        /// Report on the state on this date (the moves dated by then): YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// `text` and `markdown` are the same Markdown report; `json` the per-stage summary;
        /// `html` one self-contained page with the blocker picture.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// What blocks a target now, and who must act on each blocker.
    #[command(
        after_help = "Example:\n  negotiation blockers examples/scenarios/armenia_azerbaijan_2025.json peace.signed"
    )]
    Blockers {
        /// The scenario file.
        file: PathBuf,
        /// The stage, act or other node (`peace.signed`).
        target: String,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The fewest (then cheapest) moves that reach a target.
    #[command(
        after_help = "Example:\n  negotiation plan examples/scenarios/trade_ratification.json \
        eu_mercosur_interim.in_force --costs costs.json"
    )]
    Plan {
        /// The scenario file.
        file: PathBuf,
        /// The node to reach.
        target: String,
        #[command(flatten)]
        options: AnalysisArgs,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The cheapest minimal sets of moves that would unblock a target.
    #[command(
        after_help = "Example:\n  negotiation unblock examples/scenarios/armenia_azerbaijan_2025.json \
        peace.signed -k 3 --waivers"
    )]
    Unblock {
        /// The scenario file.
        file: PathBuf,
        /// The blocked node.
        target: String,
        /// How many sets.
        #[arg(short, default_value_t = 3)]
        k: usize,
        #[command(flatten)]
        options: AnalysisArgs,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The nodes every plan to a target must satisfy, in an order a plan can follow.
    #[command(
        after_help = "Example:\n  negotiation landmarks examples/scenarios/acquisition_closing.json spa.closing"
    )]
    Landmarks {
        /// The scenario file.
        file: PathBuf,
        /// The node to reach.
        target: String,
        #[command(flatten)]
        options: AnalysisArgs,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Who holds up whom: per party, the nodes it must act on that block others' acts.
    #[command(
        after_help = "Example:\n  negotiation leverage examples/scenarios/trade_ratification.json"
    )]
    Leverage {
        /// The scenario file.
        file: PathBuf,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What is overdue, what comes due, which deadlines are not yet running, and each
    /// long-stop date's outlook.
    #[command(
        after_help = "Example:\n  negotiation deadlines examples/scenarios/acquisition_closing.json --as-of 2026-09-30"
    )]
    Deadlines {
        /// The scenario file.
        file: PathBuf,
        /// The day to count from (default: the file's `as_of`, else the latest date of its moves).
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// What counts as coming due (default: the file's `window`, else 30 days).
        #[arg(long, value_name = "SPAN")]
        window: Option<Span>,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The earliest and latest date a target can be reached, with its critical path.
    #[command(
        after_help = "Example:\n  negotiation earliest examples/scenarios/acquisition_closing.json spa.closing"
    )]
    Earliest {
        /// The scenario file.
        file: PathBuf,
        /// The node to reach.
        target: String,
        /// The day to count from (default: the file's `as_of`, else the latest date of its moves).
        #[arg(long, value_name = "DATE")]
        from: Option<Date>,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Requirement cycles nobody can break by complying, and the ways out.
    #[command(
        after_help = "Example:\n  negotiation deadlocks examples/scenarios/trade_ratification.json"
    )]
    Deadlocks {
        /// The scenario file.
        file: PathBuf,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Per party, its concessions and demands in order, with moving goalposts.
    #[command(
        after_help = "Example:\n  negotiation timeline examples/scenarios/armenia_azerbaijan_2025.json"
    )]
    Timeline {
        /// The scenario file.
        file: PathBuf,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What moves would change: a what-if branch of the file, or moves given as JSON.
    #[command(
        after_help = "Examples:\n  negotiation whatif examples/scenarios/armenia_azerbaijan_2025.json \
        --branch 'Armenia amends its Constitution'\n  \
        negotiation whatif FILE --move '{\"actor\": \"osce\", \"fulfil\": \"dissolve_minsk_group\"}'"
    )]
    Whatif {
        /// The scenario file.
        file: PathBuf,
        /// A branch of the file's `what_if`, by name.
        #[arg(long, conflicts_with = "moves", required_unless_present = "moves")]
        branch: Option<String>,
        /// A move in the scenario file's format; repeat for several, applied in order.
        #[arg(long = "move", value_name = "JSON")]
        moves: Vec<String>,
        /// Whose blockers to compare (default: the file's `focus`).
        #[arg(long)]
        target: Option<String>,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What differs between two scenario files' states.
    #[command(
        after_help = "Example:\n  negotiation diff before.json after.json --target peace.signed"
    )]
    Diff {
        /// The first scenario file.
        file_a: PathBuf,
        /// The second scenario file.
        file_b: PathBuf,
        /// Whose blockers to compare.
        #[arg(long)]
        target: Option<String>,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// A picture of the requirement graph, or of what blocks one node.
    #[command(
        after_help = "Examples:\n  negotiation graph examples/scenarios/armenia_azerbaijan_2025.json | dot -Tsvg > graph.svg\n  \
        negotiation graph examples/scenarios/armenia_azerbaijan_2025.json --focus peace.signed --format svg > blockers.svg"
    )]
    Graph {
        /// The scenario file.
        file: PathBuf,
        /// Draw only what blocks this node (its outstanding requirements, the frontier, deadlocks).
        #[arg(long)]
        focus: Option<String>,
        /// `dot` (Graphviz), `mermaid`, or `svg` (laid out here, no Graphviz needed).
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// GMCR stability analysis of a GMCR+ `.gmcr` file.
    #[command(
        after_help = "Examples:\n  negotiation gmcr examples/gmcr/chicken.gmcr\n  \
        negotiation gmcr examples/gmcr/syria_iraq.gmcr --concept seq --coalitions 'Syria,Iraq|Turkey'"
    )]
    Gmcr {
        /// The `.gmcr` file.
        file: PathBuf,
        /// The concepts to report (default: all six); repeat for several.
        #[arg(long, value_enum)]
        concept: Vec<ConceptArg>,
        /// Coalitions of decision makers, as `A,B|C` (default: the file's, if any).
        #[arg(long, value_name = "GROUPS")]
        coalitions: Option<String>,
        /// Explain every unstable state (default: the first 20 per concept) and list every
        /// state (default: up to 4,096).
        #[arg(long)]
        all: bool,
        /// Explain this state (a 1-based number or a `Y`/`N` pattern) for every mover and
        /// concept: why it is stable or not. Repeat for several.
        #[arg(long, value_name = "STATE")]
        explain: Vec<String>,
        /// `json`: `{"question", "version", "ids", "answer"}`, `answer` the library's result.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// Options of `plan` and `unblock`.
#[derive(Debug, clap::Args)]
struct AnalysisArgs {
    /// Move costs as JSON (`{"default": 1, "nodes": {...}, "parties": {...}}`); default: the
    /// file's `costs`.
    #[arg(long, value_name = "COSTS.json")]
    costs: Option<PathBuf>,
    /// Let demanders give way: waive a condition, unlink a precondition.
    #[arg(long)]
    waivers: bool,
    /// The search's step budget; past it the best result found is returned, marked not exact.
    #[arg(long)]
    budget: Option<usize>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Markdown,
    Json,
    Html,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ConceptArg {
    Nash,
    Gmr,
    Smr,
    Seq,
    Sim,
    #[value(name = "seq+sim", alias = "seqsim")]
    SeqSim,
}

impl From<ConceptArg> for Concept {
    fn from(c: ConceptArg) -> Concept {
        match c {
            ConceptArg::Nash => Concept::Nash,
            ConceptArg::Gmr => Concept::Gmr,
            ConceptArg::Smr => Concept::Smr,
            ConceptArg::Seq => Concept::Seq,
            ConceptArg::Sim => Concept::Sim,
            ConceptArg::SeqSim => Concept::SeqSim,
        }
    }
}

/// Bad input: the message already names the file and the entry.
struct Failure(String);

impl<E: Display> From<(&Path, E)> for Failure {
    fn from((file, e): (&Path, E)) -> Failure {
        Failure(format!("{}: {e}", file.display()))
    }
}

type Answer = Result<String, Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(out) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Answer {
    match command {
        Command::Check { file } => check(&file),
        Command::Report {
            file,
            focus,
            as_of,
            format,
        } => report_command(&file, focus, as_of, format),
        Command::Blockers {
            file,
            target,
            format,
        } => {
            let (_, neg) = load(&file)?;
            let why = neg.blockers(&target).map_err(|e| (file.as_path(), e))?;
            answer(format, "blockers", Some(&neg), &why, || {
                why.display(&neg).to_string()
            })
        }
        Command::Plan {
            file,
            target,
            options,
            format,
        } => analysis(
            &file,
            &target,
            &options,
            format,
            "plan",
            |neg, o| neg.plan(&target, o),
            |plan, neg| plan.display(neg).to_string(),
        ),
        Command::Unblock {
            file,
            target,
            k,
            options,
            format,
        } => analysis(
            &file,
            &target,
            &options,
            format,
            "unblock",
            |neg, o| neg.cheapest_unblocking(&target, k, o),
            |sets, neg| sets.display(neg).to_string(),
        ),
        Command::Landmarks {
            file,
            target,
            options,
            format,
        } => analysis(
            &file,
            &target,
            &options,
            format,
            "landmarks",
            |neg, o| neg.landmarks(&target, o),
            |landmarks, neg| landmarks.display(neg).to_string(),
        ),
        Command::Leverage { file, format } => {
            let (_, neg) = load(&file)?;
            let leverage = neg.leverage();
            answer(format, "leverage", Some(&neg), &leverage, || {
                leverage.display(&neg).to_string()
            })
        }
        Command::Deadlines {
            file,
            as_of,
            window,
            format,
        } => {
            let (scenario, neg) = load(&file)?;
            let on = as_of_date(&file, &scenario, &neg, as_of)?;
            let window = window.or(scenario.window).unwrap_or(Span::days(30));
            let deadlines = neg.deadlines(on, window);
            answer(format, "deadlines", Some(&neg), &deadlines, || {
                deadlines.display(&neg).to_string()
            })
        }
        Command::Earliest {
            file,
            target,
            from,
            format,
        } => {
            let (scenario, neg) = load(&file)?;
            let t = node(&file, &neg, &target)?;
            let from = as_of_date(&file, &scenario, &neg, from)?;
            let earliest = neg.earliest(t, from).map_err(|e| (file.as_path(), e))?;
            answer(format, "earliest", Some(&neg), &earliest, || {
                earliest.display(&neg).to_string()
            })
        }
        Command::Deadlocks { file, format } => {
            let (_, neg) = load(&file)?;
            let deadlocks = neg.deadlocks();
            answer(format, "deadlocks", Some(&neg), &deadlocks, || {
                if deadlocks.is_empty() {
                    return "No deadlock.\n".to_owned();
                }
                deadlocks
                    .iter()
                    .map(|d| d.display(&neg).to_string())
                    .collect()
            })
        }
        Command::Timeline { file, format } => {
            let (_, neg) = load(&file)?;
            let timeline = neg.timeline().map_err(|e| (file.as_path(), e))?;
            answer(format, "timeline", Some(&neg), &timeline, || {
                timeline.display(&neg).to_string()
            })
        }
        Command::Whatif {
            file,
            branch,
            moves,
            target,
            format,
        } => whatif(&file, branch, &moves, target, format),
        Command::Diff {
            file_a,
            file_b,
            target,
            format,
        } => {
            let (_, a) = load(&file_a)?;
            let (_, b) = load(&file_b)?;
            let diff = match &target {
                Some(t) => a.diff_below(&b, t).map_err(|e| (file_a.as_path(), e))?,
                None => a.diff(&b),
            };
            answer(format, "diff", None, &diff, || diff.to_string())
        }
        Command::Graph {
            file,
            focus,
            format,
        } => {
            let (_, neg) = load(&file)?;
            let why = match &focus {
                Some(key) => Some(neg.blockers(key).map_err(|e| (file.as_path(), e))?),
                None => None,
            };
            let picture = match (format, &why) {
                (GraphFormat::Dot, Some(why)) => why.to_dot(&neg),
                (GraphFormat::Dot, None) => neg.to_dot(),
                (GraphFormat::Mermaid, Some(why)) => why.to_mermaid(&neg),
                (GraphFormat::Mermaid, None) => neg.to_mermaid(),
                (GraphFormat::Svg, Some(why)) => {
                    why.to_svg(&neg).map_err(|e| (file.as_path(), e))?
                }
                (GraphFormat::Svg, None) => neg.to_svg().map_err(|e| (file.as_path(), e))?,
            };
            Ok(picture)
        }
        Command::Gmcr {
            file,
            concept,
            coalitions,
            all,
            explain,
            format,
        } => gmcr(
            &file,
            &concept,
            coalitions.as_deref(),
            all,
            &explain,
            format,
        ),
    }
}

/// Reads and loads a scenario file.
fn load(file: &Path) -> Result<(Scenario, Negotiation), Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| (file, e))?;
    Ok(Scenario::from_json(&text).map_err(|e| (file, e))?)
}

/// An analysis of one target under options: the file loaded, the target checked (with the
/// nearest id on a typo), the options resolved, then `run`; `text` renders the result.
fn analysis<T: Serialize>(
    file: &Path,
    target: &str,
    args: &AnalysisArgs,
    format: Format,
    question: &str,
    run: impl FnOnce(&Negotiation, &Options) -> Result<T, PlanError>,
    text: impl FnOnce(&T, &Negotiation) -> String,
) -> Answer {
    let (scenario, neg) = load(file)?;
    node(file, &neg, target)?;
    let options = args.resolve(&scenario, &neg)?;
    match run(&neg, &options) {
        Ok(value) => answer(format, question, Some(&neg), &value, || text(&value, &neg)),
        // No way to the target is an answer too: why, as data.
        Err(PlanError::Unreachable { target, obstacles }) => {
            let value = Unreachable { target, obstacles };
            answer(format, question, Some(&neg), &value, || {
                let mut out = format!("`{}` cannot be reached:\n", value.target);
                for o in &value.obstacles {
                    out.push_str(&o.display(&neg).to_string());
                }
                out
            })
        }
        Err(e) => Err(Failure(format!("{}: {e}", file.display()))),
    }
}

/// The answer of an analysis whose target no sequence of moves reaches.
#[derive(Serialize)]
struct Unreachable {
    /// The target's id.
    target: String,
    /// Why: deadlocks, and nodes nobody can satisfy.
    obstacles: Vec<negotiation::Obstacle>,
}

/// The day time questions count from: the one given, else the file's `as_of`, else the
/// latest date of its moves.
fn as_of_date(
    file: &Path,
    scenario: &Scenario,
    neg: &Negotiation,
    given: Option<Date>,
) -> Result<Date, Failure> {
    given
        .or(scenario.as_of)
        .or(neg.latest_date())
        .ok_or_else(|| {
            Failure(format!(
                "{}: no date to count from: the file has no `as_of` and no dated move; give one",
                file.display()
            ))
        })
}

/// The node `key`, or an error that suggests the nearest id.
fn node(file: &Path, neg: &Negotiation, key: &str) -> Result<NodeId, Failure> {
    Ok(neg.resolve_target(key).map_err(|e| (file, e))?)
}

impl AnalysisArgs {
    fn resolve(&self, scenario: &Scenario, neg: &Negotiation) -> Result<Options, Failure> {
        let mut options = Options::default();
        if let Some(costs) = &scenario.costs {
            options.costs = costs.clone();
        }
        if let Some(path) = &self.costs {
            let text = std::fs::read_to_string(path).map_err(|e| (path.as_path(), e))?;
            let costs: Costs = serde_json::from_str(&text).map_err(|e| (path.as_path(), e))?;
            // The same checks as a scenario's own costs.
            let mut with_costs = Scenario::of(neg);
            with_costs.costs = Some(costs);
            with_costs.focus = None;
            if let Some(e) = with_costs.reference_problems(neg).into_iter().next() {
                return Err(Failure(format!("{}: {e}", path.display())));
            }
            options.costs = with_costs.costs.unwrap_or_default();
        }
        options.allow_waivers = self.waivers;
        if let Some(budget) = self.budget {
            options.budget = budget;
        }
        Ok(options)
    }
}

/// The JSON envelope of every answer: its question, the structure's version, the ids of the
/// negotiation the numbers in it index (node `i` is `ids.nodes[i]`), and the answer.
#[derive(Serialize)]
struct Envelope<'a, T> {
    question: &'a str,
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    ids: Option<Ids<'a>>,
    answer: &'a T,
}

#[derive(Serialize)]
struct Ids<'a> {
    nodes: Vec<&'a str>,
    parties: Vec<&'a str>,
    tracks: Vec<&'a str>,
}

fn json<T: Serialize>(question: &str, neg: Option<&Negotiation>, answer: &T) -> Answer {
    let ids = neg.map(|neg| Ids {
        nodes: neg.node_ids().filter_map(|n| neg.key(n)).collect(),
        parties: neg.parties().map(|p| p.key()).collect(),
        tracks: neg.tracks().map(|t| t.key()).collect(),
    });
    let envelope = Envelope {
        question,
        version: ANSWER_VERSION,
        ids,
        answer,
    };
    serde_json::to_string_pretty(&envelope)
        .map(|s| s + "\n")
        .map_err(|e| Failure(format!("{question}: {e}")))
}

fn answer<T: Serialize>(
    format: Format,
    question: &str,
    neg: Option<&Negotiation>,
    value: &T,
    text: impl FnOnce() -> String,
) -> Answer {
    match format {
        Format::Text => Ok(text()),
        Format::Json => json(question, neg, value),
    }
}

fn check(file: &Path) -> Answer {
    let text = std::fs::read_to_string(file).map_err(|e| (file, e))?;
    if file.extension().is_some_and(|e| e == "gmcr") {
        let conflict = Conflict::from_gmcr(&text).map_err(|e| (file, e))?;
        return Ok(format!(
            "{}: ok: {} decision makers, {} options, {} feasible states\n",
            file.display(),
            conflict.decision_makers().len(),
            conflict.option_count(),
            conflict.state_count()
        ));
    }
    // A file that loads is read once; only a failing one is read again for every problem.
    let (scenario, neg) = match Scenario::from_json(&text) {
        Ok(loaded) => loaded,
        Err(first) => {
            let mut problems = Scenario::check_json(&text);
            if problems.is_empty() {
                problems.push(first);
            }
            let lines: Vec<String> = problems
                .iter()
                .map(|e| format!("{}: {e}", file.display()))
                .collect();
            return Err(Failure(format!(
                "{} problem(s)\n{}",
                problems.len(),
                lines.join("\n")
            )));
        }
    };
    Ok(format!(
        "{}: ok: {} parties, {} tracks, {} nodes, {} moves, {} what-if branches\n",
        file.display(),
        neg.parties().len(),
        neg.tracks().len(),
        neg.node_count(),
        scenario.moves.len(),
        scenario.what_if.len()
    ))
}

fn report_command(
    file: &Path,
    focus: Option<String>,
    as_of: Option<Date>,
    format: ReportFormat,
) -> Answer {
    let (mut scenario, mut neg) = load(file)?;
    if let Some(date) = as_of {
        neg = neg.state_on(date).map_err(|e| (file, e))?;
        std::sync::Arc::make_mut(&mut scenario.moves).truncate(neg.history().len());
        scenario.as_of = Some(date);
    }
    if let Some(focus) = focus {
        node(file, &neg, &focus)?;
        scenario.focus = Some(focus);
    }
    match format {
        ReportFormat::Text | ReportFormat::Markdown => Ok(report(&scenario, &neg)),
        ReportFormat::Json => {
            let summary = match scenario.as_of {
                Some(date) => {
                    stage_summary_on(&neg, date, scenario.window.unwrap_or(Span::days(30)))
                }
                None => stage_summary(&neg),
            };
            json("report", None, &summary)
        }
        ReportFormat::Html => Ok(negotiation::report_html(&scenario, &neg)),
    }
}

/// A what-if answer: each move's transition, the first failure, and the difference it makes.
#[derive(Serialize)]
struct WhatIfAnswer<'a> {
    moves: &'a [Move],
    transitions: &'a [negotiation::Transition],
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<MoveFailure>,
    diff: negotiation::Diff,
}

#[derive(Serialize)]
struct MoveFailure {
    index: usize,
    error: String,
}

fn whatif(
    file: &Path,
    branch: Option<String>,
    moves: &[String],
    target: Option<String>,
    format: Format,
) -> Answer {
    let (scenario, neg) = load(file)?;
    let moves: Vec<Move> = match branch {
        Some(name) => match scenario.what_if.iter().find(|b| b.name == name) {
            Some(b) => b.moves.clone(),
            None => {
                let names: Vec<String> = scenario
                    .what_if
                    .iter()
                    .map(|b| format!("`{}`", b.name))
                    .collect();
                return Err(Failure(format!(
                    "{}: no what-if branch `{name}` (the file has: {})",
                    file.display(),
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                )));
            }
        },
        None => moves
            .iter()
            .enumerate()
            .map(|(i, text)| {
                serde_json::from_str::<Move>(text)
                    .map_err(|e| Failure(format!("--move #{}: {e}", i + 1)))
            })
            .collect::<Result<_, _>>()?,
    };
    let target = target.or(scenario.focus.clone());
    let branch = neg.what_if(&moves);
    let diff = match &target {
        Some(t) => neg.diff_below(&branch.after, t).map_err(|e| (file, e))?,
        None => neg.diff(&branch.after),
    };
    let value = WhatIfAnswer {
        moves: &moves,
        transitions: &branch.transitions,
        failure: branch.failure.as_ref().map(|(index, e)| MoveFailure {
            index: *index,
            error: e.to_string(),
        }),
        diff,
    };
    answer(format, "whatif", Some(&branch.after), &value, || {
        let mut out = String::new();
        for (i, (mv, t)) in moves.iter().zip(&branch.transitions).enumerate() {
            out.push_str(&format!(
                "{:>3}. {mv}\n     {}\n",
                i + 1,
                t.display(&branch.after)
            ));
        }
        if let Some((index, e)) = &branch.failure {
            let mv = moves
                .get(*index)
                .map(ToString::to_string)
                .unwrap_or_default();
            out.push_str(&format!(
                "{:>3}. {mv}\n     refused: {e}\n     (the moves after it were not tried)\n",
                index + 1
            ));
        }
        out.push_str("\nCompared with the file's state:\n");
        out.push_str(&value.diff.to_string());
        out
    })
}

/// States the `gmcr` text report lists without `--all`.
const GMCR_LISTED: usize = 4096;

fn gmcr(
    file: &Path,
    concepts: &[ConceptArg],
    coalitions: Option<&str>,
    all: bool,
    explain: &[String],
    format: Format,
) -> Answer {
    let text = std::fs::read_to_string(file).map_err(|e| (file, e))?;
    let conflict = Conflict::from_gmcr(&text).map_err(|e| (file, e))?;
    let explained = explain
        .iter()
        .map(|s| {
            let r = match s.parse() {
                Ok(n) => StateRef::Number(n),
                Err(_) => StateRef::Pattern(s.clone()),
            };
            conflict
                .state(&r)
                .map_err(|e| Failure(format!("--explain {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let groups: Option<Vec<Vec<String>>> = match coalitions {
        Some(spec) => Some(
            spec.split('|')
                .map(|g| g.split(',').map(|d| d.trim().to_owned()).collect())
                .collect(),
        ),
        None => conflict
            .coalitions()
            .filter(|g| g.iter().any(|g| g.len() > 1))
            .map(|g| {
                g.iter()
                    .map(|g| {
                        g.iter()
                            .map(|&d| conflict.dm_name(d).unwrap_or_default().to_owned())
                            .collect()
                    })
                    .collect()
            }),
    };
    let options = ReportOptions::new()
        .concepts(if concepts.is_empty() {
            Concept::ALL.to_vec()
        } else {
            concepts.iter().map(|&c| c.into()).collect()
        })
        .explained(if all { None } else { Some(20) });
    let analyse = |coalitions: Option<&[Vec<String>]>| {
        let bar = progress_bar();
        let analysis = conflict.analyse_with_progress(coalitions, &mut |done, total| {
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        });
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        analysis.map_err(|e| Failure(format!("--coalitions: {e}")))
    };
    let single = analyse(None)?;
    let grouped = match &groups {
        Some(g) => Some(analyse(Some(g))?),
        None => None,
    };
    match format {
        Format::Json => {
            let value = GmcrAnswer {
                analysis: single.summary(),
                coalitions: grouped.as_ref().map(|a| a.summary()),
            };
            json("gmcr", None, &value)
        }
        Format::Text => {
            let report = |a: &negotiation::strategy::Analysis<'_>| {
                let mut out = a.report(&options);
                for &s in &explained {
                    out.push('\n');
                    out.push_str(&a.report_state(s, &options.concepts).unwrap_or_default());
                }
                out
            };
            let mut out = report(&single);
            out.push_str("\n## States\n\n");
            if all || conflict.state_count() <= GMCR_LISTED {
                out.push_str(&conflict.states_report());
            } else {
                out.push_str(&format!(
                    "{} feasible states, not listed (`--all` lists them). States are numbered \
                     as GMCR+ numbers them: from 1, by ascending Σ 2^k over the options taken, \
                     the options grouped by decision maker.\n",
                    conflict.state_count()
                ));
            }
            if let (Some(a), Some(g)) = (&grouped, &groups) {
                let shown: Vec<String> = g.iter().map(|g| g.join(", ")).collect();
                out.push_str(&format!("\n# Coalitions: {}\n\n", shown.join(" | ")));
                out.push_str(&report(a));
            }
            Ok(out)
        }
    }
}

#[derive(Serialize)]
struct GmcrAnswer {
    analysis: negotiation::strategy::AnalysisSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    coalitions: Option<negotiation::strategy::AnalysisSummary>,
}

/// A progress bar on a terminal's standard error; none when it is not a terminal.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("analysing: {bar:30} {pos}/{len} movers")
    {
        bar.set_style(style);
    }
    Some(bar)
}

//! The `negotiation` binary, driven as a user drives it: each subcommand on the example files,
//! bad files, bad ids, bad command lines, and JSON answers read back against the library's.

use std::process::{Command, Output};

use negotiation::strategy::{AnalysisSummary, Conflict};
use negotiation::{
    Date, Deadlines, Deadlock, Diff, Earliest, Explanation, Landmarks, Leverage, Move, Negotiation,
    Options, Plan, Scenario, Span, Timeline, Transition, Unblocking, ANSWER_VERSION,
};
use serde_json::Value;

const FLAGSHIP: &str = "examples/scenarios/armenia_azerbaijan_2025.json";
const ACQUISITION: &str = "examples/scenarios/acquisition_closing.json";
const TRADE: &str = "examples/scenarios/trade_ratification.json";
const SCENARIOS: [&str; 3] = [FLAGSHIP, ACQUISITION, TRADE];
const GMCR: [&str; 4] = [
    "examples/gmcr/armenia_azerbaijan.gmcr",
    "examples/gmcr/chicken.gmcr",
    "examples/gmcr/prisoners_dilemma.gmcr",
    "examples/gmcr/syria_iraq.gmcr",
];

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_negotiation"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Standard output of a run that must answer (exit 0).
fn answered(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Standard error of a run that must fail with `code`.
fn failed(args: &[&str], code: i32) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(code), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?} printed an answer");
    String::from_utf8(out.stderr).expect("UTF-8")
}

/// A JSON answer: the envelope checked, its answer returned with the node ids it indexes.
fn json_answer(args: &[&str], question: &str) -> (Value, Vec<String>) {
    let text = answered(args);
    let v: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["question"], question);
    assert_eq!(v["version"], ANSWER_VERSION);
    let ids = v["ids"]["nodes"]
        .as_array()
        .map(|a| a.iter().map(|k| k.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    (v["answer"].clone(), ids)
}

fn load(file: &str) -> (Scenario, Negotiation) {
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("the answer reads back")
}

#[test]
fn help_lists_every_subcommand_each_with_an_example() {
    let help = answered(&["--help"]);
    let subcommands = [
        "check",
        "report",
        "blockers",
        "plan",
        "unblock",
        "deadlocks",
        "timeline",
        "whatif",
        "diff",
        "graph",
        "gmcr",
    ];
    for s in subcommands {
        assert!(
            help.contains(&format!("  {s} ")),
            "{s} missing from\n{help}"
        );
        let sub = answered(&[s, "--help"]);
        assert!(
            sub.contains(&format!("  negotiation {s} ")),
            "{s} --help has no example:\n{sub}"
        );
    }
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [
        &[][..],
        &["blockers", FLAGSHIP][..],
        &["report", FLAGSHIP, "--format", "pdf"][..],
        &["frobnicate"][..],
        &["whatif", FLAGSHIP][..],
    ] {
        let err = failed(args, 2);
        // An error, or (no arguments) the usage.
        assert!(
            err.contains("error:") || err.contains("Usage:"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn check_accepts_the_examples_and_lists_every_problem_of_a_bad_file() {
    for f in SCENARIOS.iter().chain(&GMCR) {
        assert!(answered(&["check", f]).contains(": ok: "), "{f}");
    }
    let dir = std::env::temp_dir().join(format!("negotiation-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    let text = std::fs::read_to_string(FLAGSHIP)
        .unwrap()
        .replacen(
            r#""focus": "peace.signed""#,
            r#""focus": "peace.sigend""#,
            1,
        )
        .replacen(
            r#""move": "perform", "stage": "peace.finalized""#,
            r#""move": "perform", "stage": "peace.finalised""#,
            1,
        );
    std::fs::write(&bad, text).unwrap();
    let err = failed(&["check", bad.to_str().unwrap()], 1);
    assert!(err.contains("2 problem(s)"), "{err}");
    assert!(
        err.contains("bad.json: moves[10].stage: unknown stage `peace.finalised`"),
        "{err}"
    );
    assert!(
        err.contains("bad.json: focus: unknown node `peace.sigend`"),
        "{err}"
    );
    // Every subcommand refuses the bad file with the path to the entry.
    let err = failed(&["blockers", bad.to_str().unwrap(), "peace.signed"], 1);
    assert!(err.contains("moves[10].stage"), "{err}");
    let missing = failed(&["report", "no/such/file.json"], 1);
    assert!(missing.contains("no/such/file.json"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_id_is_refused_with_the_nearest_one() {
    for args in [
        &["blockers", FLAGSHIP, "peace.sigend"][..],
        &["plan", FLAGSHIP, "peace.sigend"][..],
        &["unblock", FLAGSHIP, "peace.sigend"][..],
        &["report", FLAGSHIP, "--focus", "peace.sigend"][..],
        &["graph", FLAGSHIP, "--focus", "peace.sigend"][..],
    ] {
        let err = failed(args, 1);
        assert!(
            err.contains("unknown node `peace.sigend` (did you mean `peace.signed`?)"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn blockers_print_the_librarys_explanation_and_its_json_reads_back() {
    let (_, neg) = load(FLAGSHIP);
    let signed = neg.node_id("peace.signed").unwrap();
    let why = neg.blockers(signed).unwrap();
    assert_eq!(
        answered(&["blockers", FLAGSHIP, "peace.signed"]),
        why.display(&neg).to_string()
    );
    let (answer, ids) = json_answer(
        &["blockers", FLAGSHIP, "peace.signed", "--format", "json"],
        "blockers",
    );
    assert_eq!(answer["entries"][0]["node"], signed.index());
    assert_eq!(ids[signed.index()], "peace.signed");
    assert_eq!(from::<Explanation>(answer), why);
}

#[test]
fn analyses_print_text_and_json_equal_to_the_librarys() {
    let (scenario, neg) = load(FLAGSHIP);
    let options = Options::new()
        .costs(scenario.costs.clone().unwrap_or_default())
        .allow_waivers(true);
    let unblocking = neg
        .cheapest_unblocking("peace.signed", 2, &options)
        .unwrap();
    let args = ["unblock", FLAGSHIP, "peace.signed", "-k", "2", "--waivers"];
    assert_eq!(answered(&args), unblocking.display(&neg).to_string());
    let (answer, _) = json_answer(&[&args[..], &["--format", "json"]].concat(), "unblock");
    assert_eq!(from::<Unblocking>(answer), unblocking);

    let (scenario, neg) = load(ACQUISITION);
    let options = Options::new().costs(scenario.costs.clone().unwrap_or_default());
    let plan = neg.plan("spa.closing", &options).unwrap();
    assert_eq!(
        answered(&["plan", ACQUISITION, "spa.closing"]),
        plan.display(&neg).to_string()
    );
    let (answer, _) = json_answer(
        &["plan", ACQUISITION, "spa.closing", "--format", "json"],
        "plan",
    );
    assert_eq!(from::<Plan>(answer), plan);

    for f in SCENARIOS {
        let (_, neg) = load(f);
        let deadlocks = neg.deadlocks();
        let (answer, _) = json_answer(&["deadlocks", f, "--format", "json"], "deadlocks");
        assert_eq!(from::<Vec<Deadlock>>(answer), deadlocks);
        let timeline = neg.timeline().unwrap();
        assert_eq!(
            answered(&["timeline", f]),
            timeline.display(&neg).to_string()
        );
        let (answer, _) = json_answer(&["timeline", f, "--format", "json"], "timeline");
        assert_eq!(from::<Timeline>(answer), timeline);
    }
}

#[test]
fn plan_takes_costs_from_a_file_and_checks_them() {
    let dir = std::env::temp_dir().join(format!("negotiation-costs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let costs = dir.join("costs.json");
    std::fs::write(&costs, r#"{"default": 1, "parties": {"armenija": 5}}"#).unwrap();
    let err = failed(
        &[
            "plan",
            FLAGSHIP,
            "peace.signed",
            "--costs",
            costs.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        err.contains("costs.json: costs.parties.armenija: unknown party `armenija`"),
        "{err}"
    );
    std::fs::write(
        &costs,
        r#"{"default": 1, "nodes": {"amend_constitution": 9}}"#,
    )
    .unwrap();
    let text = answered(&[
        "plan",
        FLAGSHIP,
        "peace.signed",
        "--costs",
        costs.to_str().unwrap(),
    ]);
    assert!(text.contains("amend_constitution"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn whatif_applies_a_branch_or_moves_and_diffs() {
    let (scenario, neg) = load(FLAGSHIP);
    let branch = &scenario.what_if[2];
    let after = neg.what_if(&branch.moves);
    let diff = neg.diff_below(&after.after, "peace.signed").unwrap();
    let text = answered(&["whatif", FLAGSHIP, "--branch", &branch.name]);
    assert!(text.ends_with(&diff.to_string()), "{text}");
    let (answer, _) = json_answer(
        &[
            "whatif",
            FLAGSHIP,
            "--branch",
            &branch.name,
            "--format",
            "json",
        ],
        "whatif",
    );
    assert_eq!(from::<Diff>(answer["diff"].clone()), diff);
    assert_eq!(
        from::<Vec<Transition>>(answer["transitions"].clone()),
        after.transitions
    );
    assert_eq!(from::<Vec<Move>>(answer["moves"].clone()), branch.moves);

    // Moves on the command line, one refused: its error, and the ones before it applied.
    let text = answered(&[
        "whatif",
        FLAGSHIP,
        "--move",
        r#"{"actor": "osce", "move": "fulfil", "condition": "dissolve_minsk_group"}"#,
        "--move",
        r#"{"actor": "armenia", "move": "waive", "condition": "amend_constitution"}"#,
    ]);
    assert!(text.contains("refused: `armenia` cannot waive"), "{text}");
    assert!(
        text.contains("dissolve_minsk_group: unmet -> met"),
        "{text}"
    );
    let err = failed(&["whatif", FLAGSHIP, "--move", "{\"actor\": 1}"], 1);
    assert!(err.contains("--move #1"), "{err}");
    let err = failed(&["whatif", FLAGSHIP, "--branch", "nope"], 1);
    assert!(err.contains("no what-if branch `nope`"), "{err}");
}

#[test]
fn diff_of_two_files() {
    assert_eq!(answered(&["diff", FLAGSHIP, FLAGSHIP]), "  no change\n");
    let (_, a) = load(FLAGSHIP);
    let (_, b) = load(TRADE);
    let (answer, _) = json_answer(&["diff", FLAGSHIP, TRADE, "--format", "json"], "diff");
    assert_eq!(from::<Diff>(answer), a.diff(&b));
}

#[test]
fn report_in_every_format() {
    for f in SCENARIOS {
        let (scenario, neg) = load(f);
        let text = answered(&["report", f]);
        assert_eq!(text, negotiation::report(&scenario, &neg));
        assert_eq!(answered(&["report", f, "--format", "markdown"]), text);
        let (answer, _) = json_answer(&["report", f, "--format", "json"], "report");
        // The summary is written, not read: compared as JSON.
        let summary = match scenario.as_of {
            Some(date) => negotiation::stage_summary_on(
                &neg,
                date,
                scenario.window.unwrap_or(negotiation::Span::days(30)),
            ),
            None => negotiation::stage_summary(&neg),
        };
        assert_eq!(answer, serde_json::to_value(&summary).unwrap());
        let html = answered(&["report", f, "--format", "html"]);
        assert!(html.starts_with("<!DOCTYPE html>"), "{f}");
        assert!(html.contains("<svg"), "{f}: no picture");
        // Self-contained: nothing to run, nothing fetched.
        for fetch in [
            "<script",
            "src=\"http",
            "href=\"http",
            "@import",
            "url(http",
        ] {
            assert!(!html.contains(fetch), "{f}: {fetch}");
        }
    }
    let focused = answered(&["report", FLAGSHIP, "--focus", "border.signed"]);
    assert!(
        focused.contains("## What blocks border.signed"),
        "{focused}"
    );
    let earlier = answered(&["report", ACQUISITION, "--as-of", "2026-01"]);
    assert!(earlier.contains("## Time as of 2026-01"), "{earlier}");
    let err = failed(&["report", ACQUISITION, "--as-of", "2026-13"], 2);
    assert!(err.contains("2026-13"), "{err}");
}

#[test]
fn graph_as_dot_mermaid_and_svg() {
    let dot = answered(&["graph", FLAGSHIP]);
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(dot.contains("peace.signed"));
    let focused = answered(&["graph", FLAGSHIP, "--focus", "peace.signed"]);
    assert!(focused.contains("amend_constitution"));
    assert!(
        !focused.contains("border.signed"),
        "only what blocks the focus"
    );
    let mermaid = answered(&["graph", FLAGSHIP, "--format", "mermaid"]);
    assert!(mermaid.starts_with("flowchart"), "{mermaid}");
    let svg = answered(&[
        "graph",
        FLAGSHIP,
        "--focus",
        "peace.signed",
        "--format",
        "svg",
    ]);
    assert!(svg.contains("<svg"), "{svg}");
    assert!(svg.contains("amend_constitution"));
}

#[test]
fn gmcr_text_and_json() {
    let text = answered(&["gmcr", "examples/gmcr/prisoners_dilemma.gmcr"]);
    assert!(
        text.starts_with("Nash: 1\nGMR: 1 4\nSMR: 1 4\nSEQ: 1 4\nSIM: 1 4\nSEQ+SIM: 1 4\n"),
        "{text}"
    );
    let only = answered(&[
        "gmcr",
        "examples/gmcr/prisoners_dilemma.gmcr",
        "--concept",
        "nash",
        "--concept",
        "seq+sim",
    ]);
    assert!(only.starts_with("Nash: 1\nSEQ+SIM: 1 4\n\n"), "{only}");
    assert!(
        text.contains("States are numbered as GMCR+ numbers them"),
        "{text}"
    );
    // One state explained on request, by number or by pattern: why it is stable or not, for
    // every mover.
    for state in ["4", "YY"] {
        let why = answered(&[
            "gmcr",
            "examples/gmcr/prisoners_dilemma.gmcr",
            "--concept",
            "nash",
            "--explain",
            state,
        ]);
        assert!(why.contains("## State 4 (YY)\n"), "{why}");
        assert!(why.contains("4 (YY) is not Nash-stable for"), "{why}");
    }
    let err = failed(
        &[
            "gmcr",
            "examples/gmcr/prisoners_dilemma.gmcr",
            "--explain",
            "9",
        ],
        1,
    );
    assert!(err.contains("--explain state 9"), "{err}");
    for f in GMCR {
        let conflict = Conflict::from_gmcr(&std::fs::read_to_string(f).unwrap()).unwrap();
        let (answer, _) = json_answer(&["gmcr", f, "--format", "json"], "gmcr");
        assert_eq!(
            from::<AnalysisSummary>(answer["analysis"].clone()),
            conflict.analyse().summary(),
            "{f}"
        );
    }
    let err = failed(
        &[
            "gmcr",
            "examples/gmcr/chicken.gmcr",
            "--coalitions",
            "Nobody",
        ],
        1,
    );
    assert!(err.contains("--coalitions"), "{err}");
    let err = failed(&["gmcr", FLAGSHIP], 1);
    assert!(err.contains(FLAGSHIP), "{err}");
}

#[test]
fn answers_are_deterministic() {
    for args in [
        &["report", FLAGSHIP, "--format", "json"][..],
        &["graph", FLAGSHIP, "--format", "dot"][..],
        &["gmcr", "examples/gmcr/syria_iraq.gmcr", "--format", "json"][..],
    ] {
        assert_eq!(answered(args), answered(args), "{args:?}");
    }
}

#[test]
fn landmarks_leverage_deadlines_and_earliest_dates() {
    let (_, neg) = load(ACQUISITION);
    let landmarks = neg.landmarks("spa.closing", &Options::default()).unwrap();
    let args = ["landmarks", ACQUISITION, "spa.closing"];
    assert_eq!(answered(&args), landmarks.display(&neg).to_string());
    let (answer, _) = json_answer(&[&args[..], &["--format", "json"]].concat(), "landmarks");
    assert_eq!(from::<Landmarks>(answer), landmarks);

    // Counted from the file's as_of, or a date given, with the file's window or one given.
    let on: Date = "2026-09-30".parse().unwrap();
    let deadlines = neg.deadlines(on, Span::days(10));
    let args = [
        "deadlines",
        ACQUISITION,
        "--as-of",
        "2026-09-30",
        "--window",
        "10 days",
    ];
    assert_eq!(answered(&args), deadlines.display(&neg).to_string());
    let (answer, _) = json_answer(&[&args[..], &["--format", "json"]].concat(), "deadlines");
    assert_eq!(from::<Deadlines>(answer), deadlines);
    let closing = neg.node_id("spa.closing").unwrap();
    let earliest = neg.earliest(closing, on).unwrap();
    let args = [
        "earliest",
        ACQUISITION,
        "spa.closing",
        "--from",
        "2026-09-30",
    ];
    assert_eq!(answered(&args), earliest.display(&neg).to_string());
    let (answer, _) = json_answer(&[&args[..], &["--format", "json"]].concat(), "earliest");
    assert_eq!(from::<Earliest>(answer), earliest);
    assert!(answered(&["deadlines", ACQUISITION]).contains("2026-06-15"));

    let (_, neg) = load(TRADE);
    let leverage = neg.leverage();
    assert_eq!(
        answered(&["leverage", TRADE]),
        leverage.display(&neg).to_string()
    );
    let (answer, _) = json_answer(&["leverage", TRADE, "--format", "json"], "leverage");
    assert_eq!(from::<Leverage>(answer), leverage);
}

#[test]
fn an_unreachable_target_is_answered_with_its_obstacles() {
    let neg = crate::picture::sequencing_deadlock();
    let dir = std::env::temp_dir().join(format!("negotiation-deadlock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("deadlock.json");
    std::fs::write(&file, Scenario::of(&neg).to_json()).unwrap();
    let file = file.to_str().unwrap();
    let Err(negotiation::PlanError::Unreachable { obstacles, .. }) =
        neg.plan("accord.signed", &Options::default())
    else {
        panic!("the sequencing deadlock has no plan by compliance");
    };
    let text = answered(&["plan", file, "accord.signed"]);
    assert!(
        text.starts_with("`accord.signed` cannot be reached:\n"),
        "{text}"
    );
    for o in &obstacles {
        assert!(text.contains(&o.display(&neg).to_string()), "{text}");
    }
    let (answer, _) = json_answer(
        &["landmarks", file, "accord.signed", "--format", "json"],
        "landmarks",
    );
    assert_eq!(answer["target"], "accord.signed");
    assert_eq!(
        from::<Vec<negotiation::Obstacle>>(answer["obstacles"].clone()),
        obstacles
    );
    // Demanders giving way open a plan.
    assert!(answered(&["plan", file, "accord.signed", "--waivers"]).starts_with("Plan to"));
    std::fs::remove_dir_all(&dir).unwrap();
}

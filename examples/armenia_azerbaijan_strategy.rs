//! The seed's strategic question, by the Graph Model for Conflict Resolution: will Armenia
//! amend its Constitution, will Azerbaijan sign or attack, and what changes when the partners
//! raise the cost of aggression, as the seed recommends?
//!
//! ```sh
//! cargo run --example armenia_azerbaijan_strategy
//! cargo run --example armenia_azerbaijan_strategy -- --export examples/gmcr/armenia_azerbaijan.gmcr
//! ```
//!
//! The conflict is built from the flagship scenario's negotiation: Armenia's condition
//! `amend_constitution` and Azerbaijan's act `peace.signed.azerbaijan` become options, and the
//! requirement graph decides that Azerbaijan can sign only once the Constitution is amended
//! (the example first lets the OSCE dissolve the Minsk Group, the other precondition, as in
//! the scenario's first what-if branch; nobody in this conflict controls it). Two options
//! the negotiation does not hold are added by the analyst: Azerbaijan's `attack` (a new
//! military operation, irreversible) and the partners' `impose_costs` (economic and political
//! consequences for Baku, which they can lift again). Each preference statement carries the
//! passage of the seed it rests on.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use negotiation::strategy::{
    Analysis, Bridge, Concept, Conflict, ConflictBuilder, Direction, StateId, StateRef,
};
use negotiation::{Move, Scenario};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/scenarios/armenia_azerbaijan_2025.json"
);

const SIGN: &str = "peace.signed.azerbaijan";
const AMEND: &str = "amend_constitution";

/// A decision maker's prioritized statements, most important first, each with its reason.
type Priorities = &'static [(&'static str, &'static str)];

const ARMENIA: Priorities = &[
    (
        "!attack",
        "Security first: accepting Baku's proposals on the last two articles 'appears to be an \
         attempt to deprive Baku of any pretext for invasion'.",
    ),
    (
        SIGN,
        "'Armenia remains committed to peace - even at the cost of additional painful \
         concessions.'",
    ),
    (
        "!amend_constitution",
        "Amending takes a referendum, and the government holds that the Constitution contains \
         no territorial claims.",
    ),
    (
        "impose_costs if attack",
        "Armenia wants aggression to carry 'negative consequences, including economic ones'.",
    ),
];

const AZERBAIJAN: Priorities = &[
    (
        AMEND,
        "The amendment is a precondition Baku calls nonnegotiable.",
    ),
    (
        "!impose_costs",
        "Consequences, 'including economic ones', are what the partners can make Baku bear.",
    ),
    (
        "!peace.signed.azerbaijan",
        "Baku 'appears intent on undermining the positive environment created by Armenia's \
         concessions': 'without significant international pressure on Baku, signing a peace \
         agreement in the foreseeable future remains unlikely'.",
    ),
    (
        "attack if !amend_constitution",
        "Its Defense Ministry's statements 'appear to seek a pretext for justifying a new \
         Azerbaijani attack' while the Constitution stands.",
    ),
];

const PARTNERS_TODAY: Priorities = &[
    (
        "!attack",
        "Partners are 'interested in peace and security in the region'.",
    ),
    (SIGN, "They call 'for the finalization of the peace deal'."),
    (
        "!impose_costs",
        "Today they only 'make clear' that an attack is unacceptable: costs on Baku cost them \
         too, and no consequences are established.",
    ),
];

/// The seed's recommendation: "serious consequences for the use or threat of force should be
/// established".
const PARTNERS_DETER: Priorities = &[
    (
        "impose_costs iff attack",
        "The seed's recommendation: 'serious consequences for the use or threat of force \
         should be established': costs exactly when Baku attacks.",
    ),
    ("!attack", "Peace and security in the region."),
    (SIGN, "The peace deal."),
];

/// The seed's second recommendation: partners "should also emphasize the necessity of signing
/// the peace agreement without delays".
const PARTNERS_DETER_AND_PRESS: Priorities = &[
    (
        "impose_costs iff attack | amend_constitution & !peace.signed.azerbaijan",
        "Both recommendations: consequences for the use of force, and 'the necessity of \
         signing the peace agreement without delays': costs when Baku attacks, or withholds \
         its signature once its precondition is met.",
    ),
    ("!attack", "Peace and security in the region."),
    (SIGN, "The peace deal."),
];

/// With raised costs, Baku weighs the consequences above its own demands: "a key way to deter
/// Baku from escalating is to increase the cost of aggression".
const AZERBAIJAN_RAISED: Priorities = &[
    (
        "!impose_costs",
        "Raised costs outweigh the rest: 'a key way to deter Baku from escalating is to \
         increase the cost of aggression'.",
    ),
    (AZERBAIJAN[0].0, AZERBAIJAN[0].1),
    (AZERBAIJAN[2].0, AZERBAIJAN[2].1),
    (AZERBAIJAN[3].0, AZERBAIJAN[3].1),
];

/// One set of assumptions: Armenia's preferences stay; Azerbaijan's and the partners' change.
struct Case {
    title: &'static str,
    azerbaijan: Priorities,
    partners: Priorities,
}

const CASES: [Case; 3] = [
    Case {
        title: "Today: partners only make clear that an attack is unacceptable",
        azerbaijan: AZERBAIJAN,
        partners: PARTNERS_TODAY,
    },
    Case {
        title: "The partners raise the cost of aggression",
        azerbaijan: AZERBAIJAN_RAISED,
        partners: PARTNERS_DETER,
    },
    Case {
        title: "The partners raise the cost of aggression and press for the signature",
        azerbaijan: AZERBAIJAN_RAISED,
        partners: PARTNERS_DETER_AND_PRESS,
    },
];

fn conflict(
    base: &ConflictBuilder,
    azerbaijan: Priorities,
    partners: Priorities,
) -> Result<Conflict, String> {
    let statements = |p: Priorities| p.iter().map(|(s, _)| *s).collect::<Vec<_>>();
    base.clone()
        .prioritize("armenia", statements(ARMENIA))
        .prioritize("azerbaijan", statements(azerbaijan))
        .prioritize("partners", statements(partners))
        .build()
        .map_err(|e| e.to_string())
}

/// A state as the options taken: `amend_constitution + attack`, or `nothing`.
fn taken(c: &Conflict, s: StateId) -> String {
    let names: Vec<&str> = c
        .option_ids()
        .filter(|&o| c.is_taken(s, o).expect("a handle of this conflict"))
        .map(|o| c.option_name(o).expect("a handle of this conflict"))
        .collect();
    if names.is_empty() {
        format!("{} nothing", s.number())
    } else {
        format!("{} {}", s.number(), names.join(" + "))
    }
}

fn equilibria(out: &mut String, a: &Analysis<'_>) {
    let c = a.conflict();
    for concept in Concept::ALL {
        let states: Vec<String> = a.equilibria(concept).iter().map(|&s| taken(c, s)).collect();
        let _ = writeln!(out, "- {concept}: {}", states.join("; "));
    }
}

/// Where unilateral improvements lead from `from`, with a shortest path to each SEQ
/// equilibrium.
fn paths(out: &mut String, a: &Analysis<'_>, from: StateId) {
    let c = a.conflict();
    let result = a
        .status_quo(from, Concept::Seq)
        .expect("a handle of this conflict");
    let n = result.reachable.len();
    let _ = writeln!(
        out,
        "From {}, unilateral improvements reach {n} state{}; to the SEQ equilibria:",
        taken(c, from),
        if n == 1 { "" } else { "s" }
    );
    for (e, path) in &result.paths {
        let _ = match path {
            Some(path) => writeln!(out, "  - {}: {}", taken(c, *e), path.display(c)),
            None => writeln!(out, "  - {}: not reachable by improvements", taken(c, *e)),
        };
    }
}

/// Whether the state holds for each party under SEQ, and why.
fn holds(out: &mut String, a: &Analysis<'_>, s: StateId) {
    for m in a.mover_ids() {
        let text = match a.explain(Concept::Seq, m, s) {
            Some(why) => why.display(a.conflict()).to_string(),
            None => a
                .deterrence(Concept::Seq, m, s)
                .map(|d| d.display(a.conflict()).to_string())
                .unwrap_or_default(),
        };
        let _ = write!(out, "  - {text}");
    }
}

fn priorities(out: &mut String, who: &str, p: Priorities) {
    let _ = writeln!(out, "{who}, most important first:");
    for (k, (statement, why)) in p.iter().enumerate() {
        let _ = writeln!(out, "  {}. `{statement}`: {why}", k + 1);
    }
}

fn run(export: Option<&str>) -> Result<String, String> {
    let json = std::fs::read_to_string(SCENARIO).map_err(|e| format!("{SCENARIO}: {e}"))?;
    let (_, mut negotiation) =
        Scenario::from_json(&json).map_err(|e| format!("{SCENARIO}: {e}"))?;
    negotiation
        .apply(&Move::fulfil("osce", "dissolve_minsk_group"))
        .map_err(|e| e.to_string())?;

    let base = Bridge::new(&negotiation)
        .option(AMEND)
        .option(SIGN)
        .builder()
        .map_err(|e| e.to_string())?
        .option_with("attack", Direction::Forward)
        .option("impose_costs")
        .decision_maker("azerbaijan", ["attack"])
        .decision_maker("partners", ["impose_costs"])
        // A signed peace and a new military operation exclude each other.
        .mutually_exclusive([SIGN, "attack"]);

    let conflicts = CASES
        .iter()
        .map(|case| conflict(&base, case.azerbaijan, case.partners))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(path) = export {
        std::fs::write(path, conflicts[2].to_gmcr()).map_err(|e| format!("{path}: {e}"))?;
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Armenia–Azerbaijan: what the parties will want to do\n"
    );
    let first = &conflicts[0];
    let names: Vec<&str> = first
        .option_ids()
        .map(|o| first.option_name(o).expect("a handle of this conflict"))
        .collect();
    let _ = writeln!(
        out,
        "Options: {}. Azerbaijan's signature needs the amendment (from the requirement \
         graph, once the Minsk Group is dissolved) and excludes an attack; an attack cannot \
         be undone. {} feasible states, numbered as GMCR+ numbers them.\n",
        names.join(", "),
        first.state_count()
    );
    priorities(&mut out, "Armenia (in every case)", ARMENIA);
    let _ = writeln!(
        out,
        "\nHow to read: a state is stable for a party when no move of its own improves on it \
         (Nash), or when every such move would be answered by the others with a state it likes \
         no better (GMR; SEQ when the answers are improvements for those who make them). \
         Status-quo paths follow improvements one move at a time, without looking ahead: \
         they show where short-sighted play drifts, stability shows what foresight holds."
    );

    let mut analyses = Vec::new();
    for (case, c) in CASES.iter().zip(&conflicts) {
        // Each case is a conflict of its own, with its own handles.
        let today = c.status_quo().ok_or("the bridge sets the status quo")?;
        let amended = c
            .state(&StateRef::Taken(vec![AMEND.to_string()]))
            .map_err(|e| e.to_string())?;
        let _ = writeln!(out, "\n## {}\n", case.title);
        priorities(&mut out, "Azerbaijan", case.azerbaijan);
        priorities(&mut out, "Partners", case.partners);
        let a = c.analyse();
        let _ = writeln!(out, "\nEquilibria:");
        equilibria(&mut out, &a);
        let _ = writeln!(out, "\nDoes today's state hold (SEQ)?");
        holds(&mut out, &a, today);
        let _ = writeln!(out);
        paths(&mut out, &a, today);
        paths(&mut out, &a, amended);
        analyses.push(a);
    }

    // The last case stalls at "amended, costs imposed, not signed": signing alone does not
    // lift the costs. Can Baku and the partners exchange the signature for the costs?
    let last = &conflicts[2];
    let stalled = last
        .state(&StateRef::Taken(vec![AMEND.into(), "impose_costs".into()]))
        .map_err(|e| e.to_string())?;
    let joint = last
        .analyse_coalitions([vec!["armenia"], vec!["azerbaijan", "partners"]])
        .map_err(|e| e.to_string())?;
    let _ = writeln!(
        out,
        "\n### If Baku and the partners move together (Baku signs as the costs are lifted)\n"
    );
    if let Some(why) = joint
        .mover("azerbaijan, partners")
        .and_then(|m| joint.explain(Concept::Seq, m, stalled))
    {
        let _ = write!(out, "{}", why.display(last));
    }
    let signed = last
        .state(&StateRef::Taken(vec![AMEND.into(), SIGN.into()]))
        .map_err(|e| e.to_string())?;
    let from_stall = joint
        .status_quo(stalled, Concept::Seq)
        .expect("a handle of this conflict");
    if let Some((_, Some(path))) = from_stall.paths.iter().find(|(e, _)| *e == signed) {
        let _ = writeln!(out, "Path: {}", path.display(last));
    }
    let attack = last
        .state(&StateRef::Taken(vec!["attack".into()]))
        .map_err(|e| e.to_string())?;
    if joint.equilibria(Concept::Seq).contains(&attack) {
        let _ = writeln!(
            out,
            "But as one mover they also make {} a SEQ equilibrium again: partners moving \
             with Baku no longer answer an attack with costs. The exchange must stay limited \
             to the signature.",
            taken(last, attack)
        );
    }
    let _ = writeln!(out, "\n## What changed (SEQ equilibria)\n");
    for (k, pair) in analyses.windows(2).enumerate() {
        let (before, after) = (
            pair[0].equilibria(Concept::Seq),
            pair[1].equilibria(Concept::Seq),
        );
        // States are numbered alike in every case: `gone` are the first's, `new` the second's.
        let list = |c: &Conflict, v: Vec<StateId>| -> String {
            let names: Vec<String> = v.into_iter().map(|s| taken(c, s)).collect();
            if names.is_empty() {
                "-".into()
            } else {
                names.join("; ")
            }
        };
        let gone = before
            .iter()
            .copied()
            .filter(|s| !after.contains(s))
            .collect();
        let new = after
            .iter()
            .copied()
            .filter(|s| !before.contains(s))
            .collect();
        let _ = writeln!(
            out,
            "- {} -> {}: no longer {}; new {}",
            CASES[k].title,
            CASES[k + 1].title,
            list(pair[0].conflict(), gone),
            list(pair[1].conflict(), new)
        );
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let export = match args.as_slice() {
        [] => None,
        [flag, path] if flag == "--export" => Some(path.as_str()),
        _ => {
            eprintln!("usage: armenia_azerbaijan_strategy [--export FILE.gmcr]");
            return ExitCode::from(2);
        }
    };
    match run(export) {
        Ok(out) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

//! Inverse GMCR on the Armenia–Azerbaijan conflict: which preference changes, by whom, would
//! make the signed peace ("both sign": the Constitution amended, Azerbaijan's signature given)
//! stable?
//!
//! ```sh
//! cargo run --example gmcr_inverse
//! ```
//!
//! The conflict is the one `armenia_azerbaijan_strategy` exports to
//! `examples/gmcr/armenia_azerbaijan.gmcr` (the partners raise the cost of aggression and press
//! for the signature). In it a signature cannot be undone, so the signed state holds whatever
//! anyone prefers. The question that matters before ratification: if Azerbaijan could
//! withdraw its signature, what would have to change, and who must change it? Asked with the
//! partners' preferences of the exported file, then with the partners as they are today.

use std::process::ExitCode;

use negotiation::strategy::{Concept, Conflict, InverseOptions, StateId, StateRef};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/gmcr/armenia_azerbaijan.gmcr"
);
const SIGN: &str = "peace.signed.azerbaijan";
const CONCEPTS: [Concept; 4] = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq];

/// The same conflict, with Azerbaijan's signature reversible (withdrawn before ratification)
/// and, when `partners` is given, the partners' prioritized statements replaced (GMCR+ form).
fn variant(json: &str, partners: Option<serde_json::Value>) -> Result<Conflict, String> {
    let mut file: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let option = file["options"]
        .as_array_mut()
        .and_then(|o| o.iter_mut().find(|o| o["name"] == SIGN))
        .ok_or("no signature option")?;
    option["permittedDirection"] = "both".into();
    if let Some(statements) = partners {
        let dm = file["decisionMakers"]
            .as_array_mut()
            .and_then(|d| d.iter_mut().find(|d| d["name"] == "partners"))
            .ok_or("no partners")?;
        dm["preferences"] = statements;
    }
    Conflict::from_gmcr(&file.to_string()).map_err(|e| e.to_string())
}

/// The signed state: the Constitution amended and Azerbaijan's signature given.
fn signed_state(c: &Conflict) -> Result<StateId, String> {
    c.state(&StateRef::Taken(vec![
        "amend_constitution".into(),
        SIGN.into(),
    ]))
    .map_err(|e| e.to_string())
}

fn ask(out: &mut String, c: &Conflict, options: &InverseOptions) -> Result<(), String> {
    let signed = signed_state(c)?;
    for concept in CONCEPTS {
        let inverse = c
            .inverse(signed, concept, options)
            .map_err(|e| e.to_string())?;
        // Every answer is verified already; show that it holds.
        for answer in &inverse.answers {
            let changed = answer.apply(c).map_err(|e| e.to_string())?;
            if !changed.analyse().equilibria(concept).contains(&signed) {
                return Err(format!("{concept}: an answer that does not hold"));
            }
        }
        out.push_str(&inverse.display(c).to_string());
    }
    Ok(())
}

fn run() -> Result<String, String> {
    let json = std::fs::read_to_string(FILE).map_err(|e| format!("{FILE}: {e}"))?;
    let exported = Conflict::from_gmcr(&json).map_err(|e| format!("{FILE}: {e}"))?;
    let mut out = String::from("# Armenia–Azerbaijan: what would make the signed peace stable\n\n");
    let names: Vec<String> = exported
        .option_ids()
        .map(|o| {
            exported
                .qualified_name(o)
                .expect("a handle of this conflict")
        })
        .collect();
    out.push_str(&format!(
        "Options (one letter each in state patterns): {}.\n\n",
        names.join(", ")
    ));
    out.push_str(&format!(
        "How to read: each change moves one state in one party's ranking; the fewest changes \
         are shown (up to three equally short answers), each verified by the forward \
         analysis on the changed preferences. Other states are named with the options that \
         differ from the signed state, {}.\n\n",
        signed_state(&exported)?.number()
    ));
    out.push_str("## The exported conflict (signatures cannot be undone)\n\n");
    let all = InverseOptions::new().answers(3);
    ask(&mut out, &exported, &all)?;

    let open = variant(&json, None)?;
    out.push_str("\n## If Azerbaijan could withdraw its signature\n\n");
    ask(&mut out, &open, &all)?;

    // The partners as they are today (the first case of `armenia_azerbaijan_strategy`):
    // `!attack`, then `peace.signed.azerbaijan`, then `!impose_costs`.
    let today = serde_json::json!([[[2, "N"]], [[1, "Y"]], [[3, "N"]]]);
    let today = variant(&json, Some(today))?;
    out.push_str(
        "\n## The same, with the partners as today (they do not press for the signature)\n\n",
    );
    ask(&mut out, &today, &all)?;
    let azerbaijan = today.dm_id("azerbaijan").ok_or("no azerbaijan")?;
    out.push_str("\n### Taking Azerbaijan's preferences as given\n\n");
    ask(&mut out, &today, &all.clone().keep(azerbaijan))?;
    Ok(out)
}

fn main() -> ExitCode {
    match run() {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

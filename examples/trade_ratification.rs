//! The EU–Mercosur trade agreement's ratification as of mid-December 2025, read from its
//! scenario file: the analyst's report, the Council decision's blockers as JSON, and a few
//! facts checked through the API (the example fails if one does not hold).
//!
//! The Commission proposed on 2025-09-03 to split the agreement in two: the Partnership
//! Agreement (EMPA), a mixed association agreement, and an interim Trade Agreement (iTA),
//! which needs a Council decision by qualified majority and the European Parliament's
//! consent (Art. 218(6)(a) TFEU) but no national ratifications. The model shows:
//!
//! - the Council decision as a double majority: a weighted threshold (65% of the population)
//!   and a head count (15 of 27 states) over the member states' votes;
//! - Italy as the pivot: its vote carries its own precondition, the safeguard regulation for
//!   agricultural products, which Parliament and Council owe jointly;
//! - Parliament's consent as a procedure that nobody demands;
//! - the EMPA, whose Council decision needs unanimity and whose entry into force needs 3 of
//!   the 4 Mercosur ratifications, two of which wait on each other (a declared deadlock);
//! - the French National Assembly's vote of 2024-11-26 as a recorded event, the safeguard
//!   regulation as a track opened midway, and requirements added by moves.
//!
//! Simplifications: (a) member-state votes are modelled as conditions owed by each state,
//! with the positions reported in mid-December 2025, and one vote per state stands for its
//! vote on both texts; (b) population weights are approximate 2024 figures in units of
//! 100,000; (c) the EMPA's "3 of 4 Mercosur ratifications" entry-into-force rule and the
//! declared deadlock are illustrative assumptions, not treaty text. Italy's guarantees for
//! farmers are modelled as the formal adoption of the safeguard regulation.
//!
//! ```sh
//! cargo run --example trade_ratification
//! ```

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::ExitCode;

use negotiation::{
    report, stage_summary, Basis, Negotiation, NodeId, NodeRef, PartyId, Scenario, Step, Threshold,
};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/scenarios/trade_ratification.json"
);

/// The stage the example centres on, and its track.
const COUNCIL: &str = "ita.council_decision";
const TRACK: &str = "ita";

fn main() -> ExitCode {
    let loaded = std::fs::read_to_string(SCENARIO)
        .map_err(|e| e.to_string())
        .and_then(|json| Scenario::from_json(&json).map_err(|e| e.to_string()));
    let (scenario, neg) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("{SCENARIO}: {e}");
            return ExitCode::FAILURE;
        }
    };

    // The summary of every stage, restricted to the Council decision of the iTA.
    let mut summary = stage_summary(&neg);
    summary.tracks.retain(|t| t.track == TRACK);
    for t in &mut summary.tracks {
        t.stages.retain(|s| s.stage == COUNCIL);
    }
    let json = match serde_json::to_string_pretty(&summary) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("{SCENARIO}: the summary does not serialize: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut out = report(&scenario, &neg);
    out.push_str(&format!("## {COUNCIL} as data\n\n```json\n{json}\n```\n\n"));
    let checked = check(&scenario, &neg);
    if let Ok(findings) = &checked {
        out.push_str(&format!(
            "## Checked through the API\n\n{}\n",
            findings
                .iter()
                .map(|f| format!("- {f}\n"))
                .collect::<String>()
        ));
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    match checked {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{SCENARIO}: check failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Fails with `message` unless `holds`.
fn ensure(holds: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(message())
    }
}

fn node(neg: &Negotiation, key: &str) -> Result<NodeId, String> {
    neg.node_id(key).ok_or_else(|| format!("no node `{key}`"))
}

fn party(neg: &Negotiation, key: &str) -> Result<PartyId, String> {
    neg.party_id(key).ok_or_else(|| format!("no party `{key}`"))
}

fn keys(neg: &Negotiation, nodes: &[NodeId]) -> String {
    nodes
        .iter()
        .filter_map(|&n| neg.key(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn party_names(neg: &Negotiation, parties: &[PartyId]) -> String {
    parties
        .iter()
        .filter_map(|&p| neg.party(p).map(|p| p.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn percent(part: u32, whole: u32) -> f64 {
    f64::from(part) * 100.0 / f64::from(whole)
}

/// Checks the facts the scenario is meant to show, and says each one as a finding.
fn check(scenario: &Scenario, neg: &Negotiation) -> Result<Vec<String>, String> {
    let mut findings = Vec::new();
    let italy = party(neg, "it")?;
    let stage = node(neg, COUNCIL)?;
    let council_act = node(neg, "ita.council_decision.council")?;
    let vote_it = node(neg, "vote_it")?;
    let safeguard = node(neg, "safeguard_regulation")?;

    // 1. The Council decision is blocked, by one outstanding requirement: the population
    //    threshold, required by procedure.
    ensure(neg.is_blocked(stage).map_err(|e| e.to_string())?, || {
        format!("{COUNCIL} is not blocked")
    })?;
    let why = neg.blockers(stage).map_err(|e| e.to_string())?;
    let [top] = why.outstanding() else {
        return Err(format!(
            "{COUNCIL} has {} outstanding requirements, expected one",
            why.outstanding().len()
        ));
    };
    let weight = neg.group_progress(top.node).ok_or_else(|| {
        format!(
            "{} is not a requirement group",
            neg.key(top.node).unwrap_or("?")
        )
    })?;
    let Threshold::Weight(needed) = weight.threshold else {
        return Err(format!(
            "the outstanding requirement of {COUNCIL} is not a weighted threshold: {:?}",
            weight.threshold
        ));
    };
    ensure(top.required_by == [(council_act, Basis::Procedure)], || {
        format!(
            "the threshold is not required by procedure on the Council's act: {:?}",
            top.required_by
        )
    })?;
    let citation = neg.citation(council_act, top.node).unwrap_or("none");
    ensure(citation == "Art. 16(4) TEU; Art. 238(3) TFEU", || {
        format!("the threshold's citation is `{citation}`")
    })?;
    findings.push(format!(
        "{COUNCIL} is blocked by one outstanding requirement, the population threshold \
         (procedure, {citation}): {} of {needed} reached, {} more needed.",
        weight.reached, weight.more_needed
    ));

    // 2. The other half of the double majority, the head count, is reached.
    let count = neg
        .requirements(council_act)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|r| neg.group_progress(r.target))
        .find(|p| p.threshold == Threshold::Count(15))
        .ok_or("the Council's act has no head count of 15")?;
    ensure(count.more_needed == 0, || {
        format!("the head count is not reached: {} of 15", count.reached)
    })?;
    findings.push(format!(
        "The head count is reached: {} of the 27 states are in favour, 15 are needed.",
        count.reached
    ));

    // 3. Italy is pivotal: its weight alone closes the gap.
    let weights: Vec<(NodeId, u32)> = neg
        .requirements(top.node)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| (r.target, r.weight))
        .collect();
    let total: u32 = weights.iter().map(|&(_, w)| w).sum();
    let weight_of = |n: NodeId| weights.iter().find(|&&(m, _)| m == n).map(|&(_, w)| w);
    let italy_weight = weight_of(vote_it).ok_or("Italy's vote is not in the threshold")?;
    ensure(weight.remaining.contains(&vote_it), || {
        "Italy's vote is not outstanding".to_owned()
    })?;
    ensure(italy_weight >= weight.more_needed, || {
        format!(
            "Italy's weight ({italy_weight}) does not close the gap ({})",
            weight.more_needed
        )
    })?;
    // The other states whose vote alone would close the gap, by name.
    let also: Vec<String> = weight
        .remaining
        .iter()
        .filter(|&&n| n != vote_it)
        .filter_map(|&n| Some((n, weight_of(n)?)))
        .filter(|&(_, w)| w >= weight.more_needed)
        .map(|(n, w)| match neg.get(n) {
            Some(NodeRef::Condition(c)) => format!("{}'s {w}", party_names(neg, c.owed_by())),
            _ => format!("{} ({w})", neg.key(n).unwrap_or("?")),
        })
        .collect();
    findings.push(format!(
        "Italy is pivotal: the states in favour hold {:.1}% of the population without it and \
         {:.1}% with it (65% needed); its {italy_weight} close the gap of {}, as would only {} \
         among the states not in favour.",
        percent(weight.reached, total),
        percent(weight.reached + italy_weight, total),
        weight.more_needed,
        if also.is_empty() {
            "nobody".to_owned()
        } else {
            also.join(", ")
        }
    ));

    // 4. The only precondition on the way is Italy's: it demands the safeguard regulation,
    //    which Parliament and Council must each adopt.
    let preconditions: BTreeSet<PartyId> = (0..why.entries().len())
        .flat_map(|i| why.causes(i))
        .filter_map(|c| match c.step {
            Step::Precondition { party } => Some(party),
            _ => None,
        })
        .collect();
    ensure(preconditions == BTreeSet::from([italy]), || {
        format!("the preconditions on the way are {preconditions:?}, not Italy's alone")
    })?;
    let entry = why
        .entries()
        .iter()
        .position(|e| e.node == safeguard)
        .ok_or("safeguard_regulation is not in the explanation")?;
    let demands: Vec<_> = why
        .demands(entry)
        .iter()
        .map(|d| (d.party, d.through))
        .collect();
    ensure(demands == [(italy, safeguard)], || {
        format!("safeguard_regulation serves {:?}", why.demands(entry))
    })?;
    ensure(
        why.by_demander(neg).get(&Some(italy)) == Some(&vec![safeguard]),
        || "Italy does not demand exactly safeguard_regulation on the frontier".to_owned(),
    )?;
    let by_actor = why.by_actor(neg).map_err(|e| e.to_string())?;
    for obligor in ["european_parliament", "council"] {
        let p = party(neg, obligor)?;
        ensure(
            by_actor
                .get(&Some(p))
                .is_some_and(|n| n.contains(&safeguard)),
            || format!("{obligor} does not have to act on safeguard_regulation"),
        )?;
    }
    ensure(why.deadlocks().is_empty(), || {
        format!("{COUNCIL} is deadlocked")
    })?;
    findings.push(format!(
        "The only precondition on the way is Italy's, through safeguard_regulation, which \
         Parliament and Council must each adopt; the frontier is {}.",
        keys(neg, &why.frontier())
    ));

    // 5. Parliament's consent is a procedure nobody demands.
    let concluded = node(neg, "ita.concluded")?;
    let concluded_act = node(neg, "ita.concluded.council")?;
    let consent = node(neg, "ep_consent")?;
    let why_concluded = neg.blockers(concluded).map_err(|e| e.to_string())?;
    let o = why_concluded
        .outstanding()
        .iter()
        .find(|o| o.node == consent)
        .ok_or("ep_consent is not outstanding for ita.concluded")?;
    ensure(o.required_by == [(concluded_act, Basis::Procedure)], || {
        format!("ep_consent is required as {:?}", o.required_by)
    })?;
    ensure(why_concluded.demands(o.entry).is_empty(), || {
        format!(
            "ep_consent is demanded: {:?}",
            why_concluded.demands(o.entry)
        )
    })?;
    let citation = neg.citation(concluded_act, consent).unwrap_or("none");
    ensure(citation == "Art. 218(6)(a) TFEU", || {
        format!("ep_consent's citation is `{citation}`")
    })?;
    findings.push(format!(
        "Parliament's consent (ep_consent) is required by procedure ({citation}) for \
         ita.concluded, and nobody demands it."
    ));

    // 6. The EMPA's Council decision needs unanimity: Italy alone does not unblock it.
    let empa_act = node(neg, "empa.council_decision.council")?;
    let unanimity = neg
        .requirements(empa_act)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|r| neg.group_progress(r.target))
        .find(|p| p.threshold == Threshold::Count(27))
        .ok_or("empa.council_decision has no unanimity threshold")?;
    ensure(unanimity.remaining.contains(&vote_it), || {
        "Italy's vote is not outstanding for the EMPA".to_owned()
    })?;
    findings.push(format!(
        "The EMPA's Council decision needs unanimity: {} of 27 states are in favour, so even \
         with Italy {} more would be needed.",
        unanimity.reached,
        unanimity.more_needed - 1
    ));

    // 7. The EMPA's entry into force (3 of 4 ratifications, illustrative) meets a deadlock.
    let in_force = node(neg, "empa.in_force")?;
    let ratifications = [node(neg, "ratification_ar")?, node(neg, "ratification_br")?];
    let why_empa = neg.blockers(in_force).map_err(|e| e.to_string())?;
    let deadlock = why_empa
        .deadlocks()
        .iter()
        .find(|d| ratifications.iter().all(|r| d.nodes.contains(r)))
        .ok_or("no deadlock between ratification_ar and ratification_br")?;
    let names: Vec<&str> = deadlock
        .parties
        .iter()
        .filter_map(|&p| neg.party(p).map(|p| p.name()))
        .collect();
    let ratifying = neg
        .requirements(node(neg, "empa.in_force.eu")?)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|r| neg.group_progress(r.target))
        .find(|p| p.threshold == Threshold::Count(3))
        .ok_or("empa.in_force has no 3-of-4 threshold")?;
    findings.push(format!(
        "The EMPA's entry into force needs 3 of the 4 Mercosur ratifications ({} more needed, \
         illustrative), and two of them wait on each other: a deadlock between {}.",
        ratifying.more_needed,
        names.join(" and ")
    ));

    // 8. The what-if branches: with the safeguard met, the Council decision is unblocked;
    //    without it, Italy cannot vote in favour.
    let branch = |name: &str| {
        scenario
            .what_if
            .iter()
            .find(|b| b.name == name)
            .ok_or_else(|| format!("no what-if branch `{name}`"))
    };
    let met = neg.what_if(&branch("Italy's safeguard met")?.moves);
    ensure(met.failure.is_none(), || {
        format!("a move of `Italy's safeguard met` fails: {:?}", met.failure)
    })?;
    let after = met
        .after
        .node_id(COUNCIL)
        .ok_or("the council stage is gone")?;
    ensure(
        !met.after.is_blocked(after).map_err(|e| e.to_string())?,
        || format!("{COUNCIL} is still blocked with Italy's safeguard met"),
    )?;
    let empa_after = met
        .after
        .node_id("empa.council_decision")
        .ok_or("the EMPA's council stage is gone")?;
    ensure(
        met.after
            .is_blocked(empa_after)
            .map_err(|e| e.to_string())?,
        || "empa.council_decision is unblocked with Italy's safeguard met".to_owned(),
    )?;
    let early =
        neg.what_if(&branch("Italy votes in favour before the regulation is adopted")?.moves);
    ensure(matches!(early.failure, Some((0, _))), || {
        "Italy could vote in favour before the regulation is adopted".to_owned()
    })?;
    findings.push(format!(
        "With Italy's safeguard met, {COUNCIL} is no longer blocked (empa.council_decision \
         still is); before it, Italy's vote in favour is refused."
    ));
    Ok(findings)
}

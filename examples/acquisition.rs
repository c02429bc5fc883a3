//! A second, different negotiation: an acquisition closing with conditions precedent
//! (regulatory approval in two jurisdictions, either of two financing sources, a shareholder
//! vote, an updated disclosure letter, a third-party consent the buyer waived), read from its
//! scenario file, with the same report, and the question a deal team asks every week: **are
//! we clear to close by the long-stop date, and if not, which item on the critical path
//! decides it?** The answers are checked through the API (the example fails if one does not
//! hold).
//!
//! The file carries the calendar: filings due within 10 and 30 days of signing, the updated
//! disclosure letter due by 2026-06-05, compliance with the FTC's second request due by
//! 2026-06-30 and taking 2 to 6 weeks, then a 30-day waiting period with no maximum (the FTC
//! may sue), financing taking days to weeks, closing due within 10 days of US clearance, and
//! the long-stop date of 2026-12-31. The report is written as of 2026-06-15.
//!
//! ```sh
//! cargo run --example acquisition
//! ```

use std::io::Write as _;
use std::process::ExitCode;

use negotiation::{report, Date, Negotiation, Outlook, Scenario, Span, Takes};

const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/scenarios/acquisition_closing.json"
);

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
    let mut out = report(&scenario, &neg);
    match long_stop_answer(&scenario, &neg) {
        Ok(answer) => out.push_str(&answer),
        Err(e) => {
            eprintln!("{SCENARIO}: {e}");
            return ExitCode::FAILURE;
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    ExitCode::SUCCESS
}

/// The long-stop question, answered through the API and checked against the public facts of
/// the scenario.
fn long_stop_answer(scenario: &Scenario, neg: &Negotiation) -> Result<String, String> {
    let check = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("check failed: {what}"))
        }
    };
    let date = |s: &str| s.parse::<Date>().map_err(|e| e.to_string());
    let id = |key: &str| neg.node_id(key).ok_or(format!("no node `{key}`"));
    let as_of = scenario.as_of.ok_or("the scenario sets no as_of date")?;
    let on = neg.deadlines(as_of, Span::days(30));

    let overdue: Vec<(&str, i32)> = on
        .overdue
        .iter()
        .filter_map(|i| Some((neg.key(i.node)?, i.days)))
        .collect();
    check(
        overdue == [("disclosure_update", 10)],
        "the disclosure letter is 10 days overdue",
    )?;
    let coming: Vec<&str> = on
        .coming_due
        .iter()
        .filter_map(|i| neg.key(i.node))
        .collect();
    check(coming == ["second_request"], "the second request comes due")?;
    let waiting: Vec<&str> = on
        .not_running
        .iter()
        .filter_map(|w| neg.key(w.node))
        .collect();
    check(
        waiting == ["spa.closing"],
        "closing's 10-day clock waits on US clearance",
    )?;

    let [status] = on.long_stops.as_slice() else {
        return Err("expected one long-stop date".to_owned());
    };
    check(
        status.outlook == Outlook::AtRisk,
        "the long-stop is at risk",
    )?;
    let earliest = status.earliest.as_ref().ok_or("no earliest date")?;
    check(
        earliest.earliest == Some(date("2026-07-29")?),
        "earliest closing 2026-07-29",
    )?;
    check(
        earliest.open_ended == [id("us_clearance")?],
        "US clearance decides it",
    )?;
    let path: Vec<&str> = earliest
        .critical_path
        .iter()
        .filter_map(|s| neg.key(s.node))
        .collect();
    check(
        path == [
            "spa.closing",
            "spa.closing.buyer",
            "us_clearance",
            "second_request",
        ],
        "the critical path runs through the second request",
    )?;

    // If the FTC committed to decide within 90 days of compliance (a timing agreement), the
    // same closing would be clear: the analyst changes one duration and asks again (the
    // model is shared with `neg`: `make_mut` gives the copy its own).
    let mut agreed = scenario.clone();
    for entry in &mut std::sync::Arc::make_mut(&mut agreed.model).schedule {
        if entry.node == "us_clearance" {
            entry.takes = Some(Takes::between(Span::days(30), Span::days(90)));
        }
    }
    // Another negotiation: the closing is named by its key (a handle of `neg` is refused).
    let with_timing_agreement = agreed.negotiation().map_err(|e| e.to_string())?;
    let e = with_timing_agreement
        .earliest("spa.closing", as_of)
        .map_err(|e| e.to_string())?;
    check(
        e.latest == Some(date("2026-10-25")?),
        "latest closing 2026-10-25 with a timing agreement",
    )?;
    let agreed_on = with_timing_agreement.deadlines(as_of, Span::days(30));
    check(
        agreed_on
            .long_stops
            .iter()
            .map(|s| s.outlook)
            .eq([Outlook::Clear]),
        "clear with a timing agreement",
    )?;

    let open_ended: Vec<&str> = earliest
        .open_ended
        .iter()
        .filter_map(|&n| neg.key(n))
        .collect();
    Ok(format!(
        "## Are we clear to close by the long-stop date?\n\n\
         Not surely. As of {as_of}, closing can happen on {} at the earliest, well before the \
         long-stop date of {}, but its latest date is unknown: it waits on {}, the waiting \
         period after the second request, which has no maximum. The critical path (each \
         step waits on the next): {}. With a timing agreement capping the FTC's review at 90 days after compliance, \
         closing would come by {} at the latest, and the long-stop date would be clear.\n",
        earliest.earliest.map_or("?".to_owned(), |d| d.to_string()),
        status.long_stop.date,
        open_ended.join(", "),
        path.join(" -> "),
        e.latest.map_or("?".to_owned(), |d| d.to_string()),
    ))
}

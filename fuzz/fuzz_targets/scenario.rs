//! Scenario files: whatever loads is reported on, explained, planned, dated, and round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use negotiation::{report, stage_summary, Options, Scenario, Span, TargetError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((scenario, neg)) = Scenario::from_json(text) else {
        return;
    };
    // Bounded work: the corpus is small models; big ones only check the load.
    if neg.node_count() > 2_000 {
        return;
    }
    let _ = report(&scenario, &neg);
    let _ = stage_summary(&neg);
    let options = Options::new().budget(2_000);
    let from = neg
        .latest_date()
        .unwrap_or_else(|| "2026-01-01".parse().expect("a date"));
    for n in neg.node_ids() {
        let why = neg.blockers(n).unwrap();
        // I2's data side: a blocked node has something in its explanation.
        assert_eq!(why.is_empty(), !neg.is_blocked(n).unwrap(), "{}", neg.key(n).unwrap());
        let _ = why.display(&neg).to_string();
        let e = neg.earliest(n, from).unwrap();
        if let (Some(a), Some(b)) = (e.earliest, e.latest) {
            assert!(b >= a, "{}: latest {b} before earliest {a}", neg.key(n).unwrap());
        }
        let _ = neg.plan(neg.key(n).unwrap(), &options);
    }
    let _ = neg
        .deadlines(from, Span::days(30))
        .display(&neg)
        .to_string();
    // I5: the negotiation round-trips through its scenario.
    let json = Scenario::of(&neg).to_json();
    let (_, again) = Scenario::from_json(&json).expect("a saved scenario loads");
    assert!(again == neg, "round trip changed the negotiation");
    // The loaded copy is another negotiation: it refuses this one's handles, and renders
    // this one's explanations as one line saying so.
    for n in neg.node_ids().take(64) {
        assert_eq!(
            again.blockers(n).map(|_| ()),
            Err(TargetError::ForeignHandle { index: n.index() })
        );
        assert_eq!(again.key(n), None);
        let why = neg.blockers(n).unwrap();
        if !why.is_empty() {
            assert!(why.display(&again).to_string().contains("another negotiation"));
        }
    }
});

//! GMCR+ files: whatever loads exports to a file that loads again as an equal conflict; when
//! small, it is analysed and the concepts keep their textbook inclusions (Nash ⊆ SMR ⊆ GMR,
//! Nash ⊆ SEQ ⊆ GMR, Nash ⊆ SIM, SEQ+SIM = SEQ ∪ SIM), every equilibrium is stable for every
//! decision maker, and each unstable state has an explanation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use negotiation::strategy::{Concept, Conflict};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(conflict) = Conflict::from_gmcr(text) else {
        return;
    };
    let exported = conflict.to_gmcr();
    let again = Conflict::from_gmcr(&exported).expect("an exported conflict loads");
    assert_eq!(
        again.state_count(),
        conflict.state_count(),
        "states after a round trip"
    );
    if conflict.state_count() > 4_096 {
        return;
    }
    let analysis = conflict.analyse();
    for m in analysis.mover_ids() {
        for s in conflict.states() {
            let st = |c| analysis.is_stable(c, m, s) == Some(true);
            let name = || format!("{} at state {s}", analysis.movers()[m.index()].name());
            if st(Concept::Nash) {
                for c in [Concept::Gmr, Concept::Smr, Concept::Seq, Concept::Sim] {
                    assert!(st(c), "Nash but not {c}: {}", name());
                }
            }
            if st(Concept::Smr) || st(Concept::Seq) {
                assert!(st(Concept::Gmr), "SMR or SEQ but not GMR: {}", name());
            }
            assert_eq!(
                st(Concept::SeqSim),
                st(Concept::Seq) || st(Concept::Sim),
                "SEQ+SIM is not SEQ or SIM: {}",
                name()
            );
            for c in Concept::ALL {
                assert_eq!(
                    analysis.explain(c, m, s).is_some(),
                    !st(c),
                    "{c}: an explanation exactly when unstable: {}",
                    name()
                );
            }
        }
    }
    for c in Concept::ALL {
        for s in analysis.equilibria(c) {
            for m in analysis.mover_ids() {
                assert!(
                    analysis.is_stable(c, m, s) == Some(true),
                    "{c} equilibrium {s} unstable for a mover"
                );
            }
        }
    }
});

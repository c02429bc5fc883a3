//! GMCR+ files: whatever loads is analysed when small, and exports to a file that loads again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use negotiation::strategy::Conflict;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(conflict) = Conflict::from_gmcr(text) else {
        return;
    };
    if conflict.state_count() > 4_096 {
        return;
    }
    let _ = conflict.analyse();
    let exported = conflict.to_gmcr();
    Conflict::from_gmcr(&exported).expect("an exported conflict loads");
});

//! The full path: a scenario from the fuzz bytes (layout in `peername_fuzz::scenario`),
//! explained with fixes, and the report serialised as the page and CLI would.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scenario = peername_fuzz::scenario(data);
    let report = peername_engine::explain(&scenario);
    for d in &report.diagnostics {
        assert!(!d.code.is_empty());
    }
    let json = serde_json::to_string(&report);
    assert!(json.is_ok(), "report does not serialise: {json:?}");
});

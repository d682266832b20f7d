//! Address records (A/AAAA lines, `host`/`dig` output).
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::input::addresses::parse_addresses;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let list = parse_addresses(&text);
    for r in &list.records {
        assert!(text.get(r.span.start..r.span.end).is_some(), "record span off the text");
    }
    // A record's own host finds it (names still ending in a dot, like `a..`, are invalid).
    if let Some(first) = list.records.iter().find(|r| !r.host.ends_with('.')) {
        assert!(!list.for_host(&first.host).is_empty(), "{:?} does not find its own address", first.host);
    }
});

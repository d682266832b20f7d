//! MX input: plain lists, `host -t MX`, `dig` and `nslookup` output.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::input::mx::parse_mx;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let list = parse_mx(&text);
    for r in &list.records {
        assert!(text.get(r.exchange_span.start..r.exchange_span.end).is_some(), "exchange span off the text");
    }
    let sorted = list.sorted();
    assert_eq!(sorted.len(), list.records.len());
    if let Some(first) = sorted.first() {
        let _ = list.addresses_for(&first.exchange);
    }
});

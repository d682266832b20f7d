//! Pasted TLSA records, and each record's data read as a TLSA record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::dane::record::TlsaRecord;
use peername_engine::input::tlsa::parse_tlsa;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let list = parse_tlsa(&text);
    for r in &list.records {
        assert!(text.get(r.span.start..r.span.end).is_some(), "record span off the text");
        if let Ok(record) = TlsaRecord::parse(&r.rdata) {
            let _ = record.usable_by_openssl();
            let _ = record.display();
        }
    }
});

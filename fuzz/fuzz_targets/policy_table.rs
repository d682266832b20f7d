//! The policy table: `parse_table` on the text, and the streaming `TableReader` on the bytes
//! (read through a tiny buffer), which must agree with it on valid UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::diag::Source;
use peername_engine::input::table::{parse_table, TableEvent};
use peername_engine::input::table_reader::TableReader;
use std::io::BufReader;

fuzz_target!(|data: &[u8]| {
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    for event in TableReader::new(BufReader::with_capacity(7, data), Source::PolicyTable) {
        match event {
            TableEvent::Entry(e) => entries.push(e),
            TableEvent::Diagnostic(d) => diagnostics.push(d),
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let whole = parse_table(text, Source::PolicyTable);
        for e in &whole.entries {
            assert!(text.get(e.key_span.start..e.key_span.end).is_some(), "key span off a character boundary");
        }
        // The reader does not look for duplicates and keeps every finding.
        if whole.diagnostics.iter().all(|d| !d.code.ends_with("too-many-diagnostics")) {
            let whole_diags: Vec<_> = whole.diagnostics.into_iter().filter(|d| d.code != "table.duplicate-key").collect();
            assert_eq!(diagnostics, whole_diags);
        }
        assert_eq!(entries, whole.entries);
    }
});

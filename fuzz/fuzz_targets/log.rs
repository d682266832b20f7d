//! Pasted Postfix log excerpts: reading, and the scenario they tell. The text is first cut
//! to `limits::LOG_MAX`, as callers must.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::diag::Source;
use peername_engine::limits::{cut_text, Cut, LOG_MAX};
use peername_engine::logread::read_log;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (text, _) = cut_text(&text, LOG_MAX, Cut::Lines, "log", "The log", Source::Log);
    let reading = read_log(text);
    let scenario = reading.scenario();
    assert!(scenario.destination.len() <= text.len() + 64, "destination longer than the log");
    assert!(reading.read <= reading.lines, "more entries read than lines");
});

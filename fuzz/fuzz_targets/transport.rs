//! The transport table and routing: first line destination, second line relayhost, the rest
//! the transport table (read like the policy table, as `Source::TransportTable`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::diag::Source;
use peername_engine::input::table::parse_table;
use peername_engine::nexthop::{parse_destination, route, split_nexthops, DestinationInput};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let destination = parts.next().unwrap_or("");
    let relayhost = parts.next().unwrap_or("");
    let table = parse_table(parts.next().unwrap_or(""), Source::TransportTable);
    if let Some(input) = DestinationInput::parse(destination) {
        let r = route(&input, &table.entries, relayhost);
        for hop in split_nexthops(&r.nexthop) {
            for smtputf8 in [false, true] {
                let _ = parse_destination(&hop, smtputf8);
            }
        }
    }
});

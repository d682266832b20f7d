//! main.cf / `postconf` / master.cf text: parsing, then settings resolution per era.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::config::Settings;
use peername_engine::input::maincf::parse_main_cf;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let main_cf = parse_main_cf(&text);
    for p in &main_cf.params {
        assert!(text.get(p.name_span.start..p.name_span.end).is_some(), "name span off the text");
    }
    let overrides = BTreeMap::new();
    for version in peername_fuzz::versions().iter().step_by(3) {
        let settings = Settings::resolve(&main_cf, &overrides, version);
        let _ = settings.get("smtp_tls_policy_maps");
        let _ = settings.flag("smtputf8_enable");
    }
});

//! Inputs on which a fuzz target (fuzz/fuzz_targets) once failed, replayed with the same checks
//! the target makes, so a fix can never quietly come undone. The files are the crashing inputs
//! libFuzzer saved, unchanged (tests/fixtures/fuzz/, named after the target and the artifact).

use peername_engine::config::Settings;
use peername_engine::dane::record::TlsaRecord;
use peername_engine::input::addresses::parse_addresses;
use peername_engine::input::maincf::parse_main_cf;
use peername_engine::version::PostfixVersion;
use peername_engine::input::tlsa::parse_tlsa;
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// fuzz_targets/tlsa.rs on an ECDSA public key given as a full-key TLSA record (3 1 0).
#[test]
fn tlsa_3d5f8b11_a_full_public_key_record() {
    let data = fixture("tlsa-3d5f8b11.txt");
    let text = String::from_utf8_lossy(&data);
    let list = parse_tlsa(&text);
    assert_eq!(list.records.len(), 1);
    for r in &list.records {
        assert!(text.get(r.span.start..r.span.end).is_some(), "record span off the text");
        let record = TlsaRecord::parse(&r.rdata).expect("a well-formed 3 1 0 record");
        let _ = record.usable_by_openssl();
        let _ = record.display();
    }
}

/// fuzz_targets/addresses.rs on `dig` output cut by invalid UTF-8 in the middle of a name.
#[test]
fn addresses_79fcfac0_dig_output_with_invalid_bytes() {
    let data = fixture("addresses-79fcfac0.bin");
    let text = String::from_utf8_lossy(&data);
    let list = parse_addresses(&text);
    for r in &list.records {
        assert!(text.get(r.span.start..r.span.end).is_some(), "record span off the text");
    }
    if let Some(first) = list.records.iter().find(|r| !r.host.ends_with('.')) {
        assert!(!list.for_host(&first.host).is_empty(), "{:?} does not find its own address", first.host);
    }
}

/// fuzz_targets/main_cf.rs on values that name themselves (`mail = $mail.name $mail_version …`):
/// each `$name` fans out twice down to depth 10, and with a 16 Mi budget one resolve wrote 2 MB
/// of values (libFuzzer's 10 s timeout with debug assertions). The budget, not a clock, bounds
/// the work, so the test checks what was written, against 1 MiB written out (a check against
/// the constant would pass again if the budget grew back).
#[test]
fn main_cf_4486be7c_self_referencing_values_stay_within_the_budget() {
    let data = fixture("main_cf-4486be7c.bin");
    let text = String::from_utf8_lossy(&data);
    let main_cf = parse_main_cf(&text);
    for p in &main_cf.params {
        assert!(text.get(p.name_span.start..p.name_span.end).is_some(), "name span off the text");
    }
    for version in ["2.11.0", "3.5.27", "3.7.11", "3.11.6"] {
        let version = PostfixVersion::parse(version).expect("a version");
        let settings = Settings::resolve(&main_cf, &Default::default(), &version);
        let written: usize = settings.values.values().map(|s| s.value.len()).sum();
        assert!(written <= (1 << 20) + text.len(), "{written} bytes of values");
        assert!(settings.get("mail_version").starts_with("2.o_v = "), "{:.40}", settings.get("mail_version"));
    }
}

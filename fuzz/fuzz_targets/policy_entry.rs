//! One policy value (`secure match=… tafile=…`, `{ … }` groups from 3.10), in every era.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::policy::entry::{parse_entry, tokenize, EntryContext, TrustAnchorSource};

/// Files whose name starts with `ok` hold one anchor; others do not exist.
struct Anchors;

impl TrustAnchorSource for Anchors {
    fn load(&self, path: &str) -> Result<usize, String> {
        if path.starts_with("ok") {
            Ok(1)
        } else {
            Err(format!("error opening trust anchor file: {path}: No such file or directory"))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    for braces in [false, true] {
        let _ = tokenize(&value, braces);
    }
    for version in peername_fuzz::versions() {
        for enforce_sts_mx_patterns in [true, false] {
            let ctx = EntryContext { version: &version, enforce_sts_mx_patterns };
            let entry = parse_entry(&value, &ctx, &Anchors);
            if !entry.valid {
                assert!(entry.level.is_none() || !entry.warnings.is_empty(), "invalid without a warning: {value:?}");
            }
        }
    }
});

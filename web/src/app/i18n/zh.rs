//! Simplified Chinese texts (issue 9). Empty until they are written: every key falls back to English.
//! Add `(key, text)` pairs from `en.rs`, keeping the list sorted by key and every `{placeholder}`
//! of the English text; `cargo test -p peername-web` lists the keys still missing.

/// `(key, text)`, sorted by key.
pub const STRINGS: &[(&str, &str)] = &[];

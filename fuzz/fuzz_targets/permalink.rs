//! Permalink fragments (`#embed&lang=…&s=…`) and payloads: the fragment grammar, base64url
//! unframing (which must round-trip), and the payload JSON (decompression happens in the
//! browser, so the bytes are also read as JSON directly), then key stripping.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::cert::pem::contains_private_key;
use peername_engine::permalink::{accept, encode_base64, json_len_ok, parse_fragment, unframe, write_fragment, Alphabet, Payload};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fragment = parse_fragment(&text);
    assert_eq!(parse_fragment(&write_fragment(&fragment)), fragment, "fragment does not round-trip");
    if let Some(value) = &fragment.scenario {
        if let Ok(bytes) = unframe(value) {
            let again = unframe(&encode_base64(&bytes, Alphabet::Url));
            assert_eq!(again.as_deref().ok(), Some(bytes.as_slice()), "base64url does not round-trip");
        }
    }
    if json_len_ok(data.len()) {
        if let Ok(payload) = serde_json::from_slice::<Payload>(data) {
            if let Ok(prepared) = accept(payload) {
                let s = &prepared.payload.scenario;
                let texts = s.certificates.iter().map(|c| c.pem.as_str()).chain([s.ca_bundle.as_str()]).chain(s.trust_anchor_files.values().map(String::as_str));
                for t in texts {
                    assert!(!contains_private_key(t), "a private key survived accept()");
                }
            }
        }
    }
});

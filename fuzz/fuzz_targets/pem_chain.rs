//! PEM / DER / base64 certificate input, then OpenSSL-style chain building on what it found:
//! served as given, and with all but the first certificate as the trust store.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peername_engine::cert::chain::{build_chain, TrustStore, VerifyOptions};
use peername_engine::cert::pem::parse_certificates;
use peername_engine::diag::Source;

fuzz_target!(|data: &[u8]| {
    let input = parse_certificates(data, Source::Certificates(0));
    assert_eq!(input.certificates.len(), input.spans.len());
    for span in &input.spans {
        assert!(span.start <= span.end && span.end <= data.len(), "span off the input");
    }
    let certs = &input.certificates;
    // 2026-11-23, when the oracle fixtures were recorded.
    let opts = VerifyOptions::new(1_795_392_000);
    let _ = build_chain(certs, &TrustStore::default(), &opts);
    if let Some((leaf, rest)) = certs.split_first() {
        let built = build_chain(std::slice::from_ref(leaf), &TrustStore::new(rest.to_vec()), &opts);
        let _ = built.is_clean();
        let all = build_chain(certs, &TrustStore::new(certs.clone()), &VerifyOptions { max_depth: 2, ..opts });
        let _ = all.first_event();
    }
});

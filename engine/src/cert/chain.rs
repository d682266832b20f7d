//! Chain building and verification with OpenSSL 3.0's semantics, without signatures.
//!
//! Postfix hands the server's certificate list to OpenSSL and logs the errors OpenSSL reports
//! to its verify callback. To explain a verdict peername must produce the same errors, at the
//! same depths, in the same order. This module emulates `X509_verify_cert` as Postfix's SMTP
//! client runs it (purpose "SSL server", `X509_V_FLAG_TRUSTED_FIRST`, no partial chains,
//! security level 0, a callback that always continues):
//!
//! 1. `build_chain`: from the leaf, each step looks for the issuer first in the trust store
//!    (CAfile), then among the certificates the server sent (in any order, each used once);
//!    once a store certificate is in the chain only the store is searched; it stops at a
//!    self-signed certificate. The chain is trusted when it ends in a self-signed store
//!    certificate. Otherwise exactly one error is reported at the top of the chain.
//! 2. `check_extensions`: CA-ness of issuers, the SSL-server purpose (EKU, keyUsage,
//!    Netscape cert type), path lengths, unsupported critical extensions.
//! 3. (`check_id`, i.e. host name and IP checks, runs here in OpenSSL; other modules do it.)
//! 4. `internal_verify`: from the top of the chain down to the leaf, validity dates
//!    (including the trust anchor if it is self-issued), issuers' keyCertSign usage.
//!
//! **Signatures are never verified.** A chain whose names and key identifiers line up but
//! whose signatures are forged is treated as OpenSSL would treat it if the signatures were
//! good. Also not modelled: CRLs/OCSP, name constraints, policies, auxiliary trust settings
//! of `TRUSTED CERTIFICATE` blocks, DANE (handled elsewhere).

use super::certificate::Certificate;
use super::chain_checks;
use super::issuance::likely_issued;
pub use super::verify_error::X509Error;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The certificates the client trusts (the CAfile contents).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TrustStore {
    /// Every certificate of the CAfile, in file order (root or not).
    pub anchors: Vec<Certificate>,
}

impl TrustStore {
    /// A store holding `anchors`.
    pub fn new(anchors: Vec<Certificate>) -> Self {
        TrustStore { anchors }
    }
}

/// Verification parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyOptions {
    /// The moment of verification, Unix seconds (the connection time being explained).
    pub at: i64,
    /// `smtp_tls_scert_verifydepth` (default 9). Postfix gives OpenSSL a verify depth of
    /// this + 1, so OpenSSL builds chains of up to this + 3 certificates and itself reports
    /// "certificate chain too long" above this + 2 for untrusted chains; Postfix's callback
    /// additionally flags every certificate deeper than this (see [`BuiltChain::depth_events`]).
    pub max_depth: usize,
}

impl VerifyOptions {
    /// Postfix's default depth (9) at time `at`.
    pub fn new(at: i64) -> Self {
        VerifyOptions { at, max_depth: 9 }
    }
}

/// Where a chain certificate came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum LinkOrigin {
    /// Sent by the server: index in the served list.
    Served(usize),
    /// Found in the trust store: index in [`TrustStore::anchors`].
    TrustStore(usize),
}

/// One certificate of the built chain.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChainLink {
    /// The certificate.
    pub cert: Certificate,
    /// Where it came from.
    pub origin: LinkOrigin,
}

/// An error OpenSSL reports to the verify callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyEvent {
    /// Chain depth (0 = leaf).
    pub depth: usize,
    /// The error.
    pub error: X509Error,
    /// Index into [`BuiltChain::links`] of the certificate the error is about
    /// (OpenSSL's "current certificate"; Postfix prints its issuer for "untrusted issuer").
    pub cert_index: usize,
}

/// Which verification step made a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// `build_chain`.
    Build,
    /// `check_extensions`.
    Extensions,
    /// `internal_verify` (dates, issuer key usage, and the per-depth "ok" calls).
    Internal,
}

/// One call of the verify callback, errors and successes alike, in OpenSSL's order.
/// Host name checks (`check_id`) would come between the `Extensions` and `Internal` calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyCallback {
    /// The step that called.
    pub stage: Stage,
    /// Error depth.
    pub depth: usize,
    /// Index into [`BuiltChain::links`] of the current certificate.
    pub cert_index: usize,
    /// The error, or `None` for an "ok" call (`verify_cb(1, ctx)`).
    pub error: Option<X509Error>,
}

/// The result of emulating OpenSSL's verification of one served chain.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BuiltChain {
    /// The chain, depth 0 (leaf) first.
    pub links: Vec<ChainLink>,
    /// The chain ends in a self-signed trust-store certificate.
    pub trusted: bool,
    /// How many links (from the leaf up) came from the server rather than the store.
    pub num_untrusted: usize,
    /// Errors from `build_chain`, in callback order (one, or "chain too long" plus one).
    pub build_events: Vec<VerifyEvent>,
    /// Errors from `check_extensions`, in callback order.
    pub extension_events: Vec<VerifyEvent>,
    /// Errors from `internal_verify`, in callback order: validity from the top of the chain
    /// down to the leaf (including a self-issued trust anchor), issuer keyCertSign checks,
    /// and "unable to verify the first certificate" for a lone untrusted leaf.
    pub time_events: Vec<VerifyEvent>,
    /// Postfix's own depth limit (`tls_verify_certificate_callback`): each depth deeper than
    /// `max_depth` that the callback sees becomes "certificate chain too long", once per
    /// depth, in callback order.
    pub depth_events: Vec<VerifyEvent>,
    /// Every callback, errors and "ok" calls, in order.
    pub callbacks: Vec<VerifyCallback>,
}

impl BuiltChain {
    /// Every error event, in callback order (build, extensions, internal).
    pub fn events(&self) -> impl Iterator<Item = &VerifyEvent> {
        self.build_events.iter().chain(&self.extension_events).chain(&self.time_events)
    }

    /// The first error OpenSSL reports, if any.
    pub fn first_event(&self) -> Option<&VerifyEvent> {
        self.events().next()
    }

    /// The certificate an event is about.
    pub fn cert_of(&self, event: &VerifyEvent) -> Option<&Certificate> {
        self.links.get(event.cert_index).map(|l| &l.cert)
    }

    /// No error at all: OpenSSL's verify result would be X509_V_OK (before host checks).
    pub fn is_clean(&self) -> bool {
        self.events().next().is_none()
    }
}

/// A bound on chain length, far above any real chain, so that cycles among trust-store
/// certificates with a huge configured depth stay cheap. (OpenSSL would go to 2^30.)
const DEPTH_CAP: usize = 4096;

struct Builder<'a> {
    served: &'a [Certificate],
    store: &'a TrustStore,
    at: i64,
    links: Vec<ChainLink>,
    num_untrusted: usize,
    /// Indices into `served` not yet used (OpenSSL's copy of the untrusted stack).
    pool: Vec<usize>,
    /// SHA-256 fingerprints of the chain so far (OpenSSL's `sk_X509_contains`, in O(1)).
    in_chain: HashSet<String>,
}

impl Builder<'_> {
    fn top(&self) -> &Certificate {
        // `links` always holds the leaf.
        &self.links[self.links.len() - 1].cert
    }

    fn time_ok(&self, c: &Certificate) -> bool {
        c.time_ok_at(self.at)
    }

    /// OpenSSL's issuer choice among candidates: the first likely issuer that is currently
    /// valid, else the likely issuer with the latest notAfter (first one on ties).
    fn pick<'c, K: Copy>(
        &self,
        subject: &Certificate,
        candidates: impl Iterator<Item = (K, &'c Certificate)>,
    ) -> Option<K> {
        let mut best: Option<(K, i64)> = None;
        for (key, cand) in candidates {
            if !likely_issued(cand, subject) {
                continue;
            }
            if self.time_ok(cand) {
                return Some(key);
            }
            if best.is_none_or(|(_, not_after)| cand.not_after > not_after) {
                best = Some((key, cand.not_after));
            }
        }
        best.map(|(key, _)| key)
    }

    /// `get1_trusted_issuer`: an issuer of `subject` in the store (duplicates allowed).
    fn store_issuer(&self, subject: &Certificate) -> Option<usize> {
        self.pick(subject, self.store.anchors.iter().enumerate())
    }

    /// `find_issuer` over the unused served certificates; returns a position in `pool`.
    fn served_issuer(&self, subject: &Certificate) -> Option<usize> {
        let allow_in_chain = subject.self_issued && self.links.len() == 1;
        let candidates = self.pool.iter().enumerate().filter_map(|(pos, &si)| {
            let cand = &self.served[si];
            let in_chain = self.in_chain.contains(&cand.fingerprints.cert.sha256);
            (allow_in_chain || !in_chain).then_some((pos, cand))
        });
        self.pick(subject, candidates)
    }

    /// `check_trust` without auxiliary trust: trusted iff a store certificate at or above
    /// `from` is self-signed.
    fn trusted_from(&self, from: usize) -> bool {
        self.links.iter().skip(from).any(|l| l.cert.self_signed)
    }

    /// Runs the search loop; returns whether the chain is trusted.
    fn build(&mut self, max_build: usize) -> bool {
        const UNTRUSTED: u8 = 1;
        const TRUSTED: u8 = 2;
        let mut search = UNTRUSTED | TRUSTED;
        while search != 0 {
            let num = self.links.len();
            if search & TRUSTED != 0 {
                let found = if num > max_build { None } else { self.store_issuer(self.top()) };
                if let Some(ai) = found {
                    let anchor = &self.store.anchors[ai];
                    let curr_self_signed = self.top().self_signed;
                    let mut ok = true;
                    let mut top_self_signed = curr_self_signed;
                    let mut check_from = num;
                    if !curr_self_signed {
                        self.in_chain.insert(anchor.fingerprints.cert.sha256.clone());
                        self.links.push(ChainLink { cert: anchor.clone(), origin: LinkOrigin::TrustStore(ai) });
                        top_self_signed = anchor.self_signed;
                    } else if !self.top().same_as(anchor) {
                        // A self-signed look-alike of a trust anchor: not trusted.
                        ok = false;
                    } else {
                        // The server sent the anchor itself: use the store's copy.
                        self.links[num - 1] = ChainLink { cert: anchor.clone(), origin: LinkOrigin::TrustStore(ai) };
                        self.num_untrusted = num - 1;
                        check_from = num - 1;
                    }
                    if ok {
                        search &= !UNTRUSTED;
                        if self.trusted_from(check_from) {
                            return true;
                        }
                        if !top_self_signed {
                            continue;
                        }
                    }
                }
                if search & UNTRUSTED == 0 {
                    break;
                }
            }
            if search & UNTRUSTED != 0 {
                let num = self.links.len();
                let issuer =
                    if self.top().self_signed || num > max_build { None } else { self.served_issuer(self.top()) };
                match issuer {
                    None => {
                        search &= !UNTRUSTED;
                        search |= TRUSTED;
                    }
                    Some(pos) => {
                        let si = self.pool.remove(pos);
                        self.in_chain.insert(self.served[si].fingerprints.cert.sha256.clone());
                        self.links.push(ChainLink { cert: self.served[si].clone(), origin: LinkOrigin::Served(si) });
                        self.num_untrusted += 1;
                    }
                }
            }
        }
        false
    }
}

/// Emulates OpenSSL 3.0's verification of the certificates a server sent (`served[0]` is the
/// leaf) against `store`, as Postfix's SMTP client runs it. Returns an empty chain (and no
/// events) when `served` is empty.
pub fn build_chain(served: &[Certificate], store: &TrustStore, opts: &VerifyOptions) -> BuiltChain {
    let mut result = BuiltChain {
        links: Vec::new(),
        trusted: false,
        num_untrusted: 0,
        build_events: Vec::new(),
        extension_events: Vec::new(),
        time_events: Vec::new(),
        depth_events: Vec::new(),
        callbacks: Vec::new(),
    };
    let Some(leaf) = served.first() else {
        return result;
    };
    result.links.push(ChainLink { cert: leaf.clone(), origin: LinkOrigin::Served(0) });
    result.num_untrusted = 1;

    let max_depth = opts.max_depth.min(DEPTH_CAP);
    // OpenSSL's param depth is max_depth + 1 (Postfix); build_chain allows one more.
    let max_build = max_depth + 2;
    let mut builder = Builder {
        served,
        store,
        at: opts.at,
        links: std::mem::take(&mut result.links),
        num_untrusted: 1,
        pool: (0..served.len()).collect(),
        in_chain: HashSet::from([leaf.fingerprints.cert.sha256.clone()]),
    };
    let trusted = builder.build(max_build);
    result.links = builder.links;
    result.num_untrusted = builder.num_untrusted;
    result.trusted = trusted;

    if !trusted {
        // OpenSSL 3.0.19 reports "chain too long" and then still classifies the top of the
        // chain (tested: depth 0 with three untrusted certificates gives 22 then 20).
        let num = result.links.len();
        let top = num - 1;
        if num > max_build {
            result.build_events.push(VerifyEvent { depth: top, error: X509Error::CertChainTooLong, cert_index: top });
        }
        let error = if result.links[top].cert.self_signed {
            if num == 1 {
                X509Error::DepthZeroSelfSignedCert
            } else {
                X509Error::SelfSignedCertInChain
            }
        } else if result.num_untrusted < num {
            X509Error::UnableToGetIssuerCert
        } else {
            X509Error::UnableToGetIssuerCertLocally
        };
        result.build_events.push(VerifyEvent { depth: top, error, cert_index: top });
    }
    for e in &result.build_events {
        result.callbacks.push(VerifyCallback { stage: Stage::Build, depth: e.depth, cert_index: e.cert_index, error: Some(e.error) });
    }

    result.extension_events = chain_checks::check_extensions(&result.links);
    for e in &result.extension_events {
        result.callbacks.push(VerifyCallback {
            stage: Stage::Extensions,
            depth: e.depth,
            cert_index: e.cert_index,
            error: Some(e.error),
        });
    }

    let internal = chain_checks::internal_verify(&result.links, opts.at);
    for cb in internal {
        if let Some(error) = cb.error {
            result.time_events.push(VerifyEvent { depth: cb.depth, error, cert_index: cb.cert_index });
        }
        result.callbacks.push(cb);
    }

    for cb in &result.callbacks {
        if cb.depth > opts.max_depth && !result.depth_events.iter().any(|e| e.depth == cb.depth) {
            result.depth_events.push(VerifyEvent {
                depth: cb.depth,
                error: X509Error::CertChainTooLong,
                cert_index: cb.cert_index,
            });
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::fingerprint::{digest, DigestAlg};
    use crate::cert::pem::parse_certificates;
    use crate::diag::Source;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Fixture {
        scenarios: Vec<Scenario>,
    }

    #[derive(Deserialize)]
    struct Scenario {
        name: String,
        served: Vec<String>,
        store: Vec<String>,
        at: i64,
        verify_depth: usize,
        openssl: Expected,
    }

    #[derive(Deserialize)]
    struct Expected {
        error: i32,
        callbacks: Vec<Callback>,
        chain: Vec<String>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Callback {
        ok: i32,
        depth: usize,
        error: i32,
        cert: Option<String>,
    }

    fn hex_sha256(der: &[u8]) -> String {
        crate::cert::lower_hex(&digest(DigestAlg::Sha256, der))
    }

    fn certs(pems: &[String]) -> Vec<Certificate> {
        pems.iter()
            .flat_map(|p| {
                let r = parse_certificates(p.as_bytes(), Source::CaBundle);
                assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
                r.certificates
            })
            .collect()
    }

    /// Every scenario was run through OpenSSL 3.0.19's X509_verify_cert (purpose ssl_server,
    /// param depth = verify_depth + 1, a callback that always continues); the emulation must
    /// reproduce the chain and every callback, "ok" calls included.
    #[test]
    fn matches_openssl_3_0_19_callback_for_callback() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/certs/openssl_chains.json");
        let text = std::fs::read_to_string(path).expect("fixture present");
        let fixture: Fixture = serde_json::from_str(&text).expect("fixture parses");
        assert!(fixture.scenarios.len() > 50);
        let mut failures = Vec::new();
        for s in &fixture.scenarios {
            let served = certs(&s.served);
            let store = TrustStore::new(certs(&s.store));
            let chain = build_chain(&served, &store, &VerifyOptions { at: s.at, max_depth: s.verify_depth });
            let links: Vec<String> = chain.links.iter().map(|l| hex_sha256(&l.cert.der)).collect();
            if links != s.openssl.chain {
                failures.push(format!("{}: chain {} links, OpenSSL {}", s.name, links.len(), s.openssl.chain.len()));
                continue;
            }
            let ours: Vec<Callback> = chain
                .callbacks
                .iter()
                .map(|c| Callback {
                    ok: i32::from(c.error.is_none()),
                    depth: c.depth,
                    error: c.error.map(X509Error::code).unwrap_or(0),
                    cert: Some(links[c.cert_index].clone()),
                })
                .collect();
            if ours != s.openssl.callbacks {
                let brief = |v: &[Callback]| {
                    v.iter().map(|c| format!("{}@{}:{}", c.ok, c.depth, c.error)).collect::<Vec<_>>().join(" ")
                };
                failures.push(format!(
                    "{}: callbacks [{}], OpenSSL [{}]",
                    s.name,
                    brief(&ours),
                    brief(&s.openssl.callbacks)
                ));
            }
            let last_error = chain.events().last().map(|e| e.error.code()).unwrap_or(0);
            let last_cb_error = chain.callbacks.iter().rev().find_map(|c| c.error).map(X509Error::code).unwrap_or(0);
            if last_cb_error != s.openssl.error {
                failures.push(format!("{}: final error {last_cb_error} ({last_error}), OpenSSL {}", s.name, s.openssl.error));
            }
        }
        assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn empty_served_list_gives_empty_chain() {
        let c = build_chain(&[], &TrustStore::default(), &VerifyOptions::new(0));
        assert!(c.links.is_empty() && c.is_clean() && !c.trusted);
    }

    #[test]
    fn huge_served_lists_stay_fast() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/certs/openssl_chains.json");
        let fixture: Fixture = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("parses");
        let s = fixture.scenarios.iter().find(|s| s.name == "duplicates").expect("scenario");
        let one = certs(&s.served);
        let served: Vec<Certificate> = one.iter().cycle().take(2000).cloned().collect();
        let start = std::time::Instant::now();
        let chain = build_chain(&served, &TrustStore::new(certs(&s.store)), &VerifyOptions { at: s.at, max_depth: usize::MAX });
        assert!(chain.trusted && chain.is_clean());
        assert!(start.elapsed().as_secs() < 10);
    }

    /// 2000 served certificates forming one long chain (names rewritten in memory: no
    /// signatures are checked) with an absurd configured depth: the build stays polynomial
    /// and small, and OpenSSL's "unable to get local issuer" ends it.
    #[test]
    fn long_synthetic_chain_is_bounded() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/certs/openssl_chains.json");
        let fixture: Fixture = serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("parses");
        let s = fixture.scenarios.iter().find(|s| s.name == "served-ok").expect("scenario");
        let template = certs(&s.served).remove(1);
        let served: Vec<Certificate> = (0..2000u32)
            .map(|i| {
                let mut c = template.clone();
                c.subject_canon = i.to_be_bytes().to_vec();
                c.issuer_canon = (i + 1).to_be_bytes().to_vec();
                c.authority_key_id = None;
                c.der.extend_from_slice(&i.to_be_bytes());
                c.fingerprints.cert.sha256 = format!("{i}");
                c
            })
            .collect();
        let start = std::time::Instant::now();
        let chain = build_chain(&served, &TrustStore::default(), &VerifyOptions { at: s.at, max_depth: 100_000 });
        assert_eq!(chain.links.len(), 2000);
        assert_eq!(chain.first_event().map(|e| e.error), Some(X509Error::UnableToGetIssuerCertLocally));
        assert_eq!(chain.depth_events.len(), 0);
        let short = build_chain(&served, &TrustStore::default(), &VerifyOptions { at: s.at, max_depth: 9 });
        assert_eq!(short.links.len(), 12);
        assert_eq!(short.build_events[0].error, X509Error::CertChainTooLong);
        assert_eq!(short.depth_events.first().map(|e| e.depth), Some(11));
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}


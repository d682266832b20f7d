//! Certificate verification for one connection, the way OpenSSL 3.0 reports it to Postfix's
//! verify callback, and which error Postfix keeps (`update_error_state()`, spec §2.3).
//!
//! OpenSSL's order of checks is: build the chain (missing or untrusted issuers), check
//! extensions (CA flags, purpose), check the reference identifiers (`check_id`: host names,
//! then the IP address; 3.6+ only), then validity dates from the top of the chain down.
//! Postfix keeps the first error at the lowest depth (≤3.10.3), or, from 3.10.4, any error
//! beats a hostname mismatch. DANE-style matching (the `fingerprint` level, `tafile`) replaces
//! parts of this: a matching end-entity digest skips the chain entirely.

use super::fingerprint::{self, FingerprintOutcome};
use crate::cert::chain::{build_chain, BuiltChain, LinkOrigin, TrustStore, VerifyEvent, VerifyOptions, X509Error};
use crate::cert::fingerprint::DigestAlg;
use crate::cert::Certificate;
use crate::names::cert_names::CertNames;
use crate::names::legacy::{self, LegacyCheck};
use crate::names::openssl::{self, NameCheck};
use crate::names::reference::{none_loaded, ReferenceId, ReferenceKind};
use crate::policy::level::SecurityLevel;
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

/// What the client trusts.
#[derive(Clone, Debug)]
pub enum TrustBasis {
    /// The CAfile/CApath contents.
    Store(TrustStore),
    /// The user says their CA store trusts the chain (its issuer is assumed present).
    AssumeTrusted,
    /// The user says their CA store does not trust the chain.
    AssumeUntrusted,
    /// Neither smtp_tls_CAfile nor smtp_tls_CApath is set: OpenSSL trusts nothing.
    Nothing,
}

/// Which step of OpenSSL's verification raised an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// `build_chain()`: issuer missing or untrusted.
    Chain,
    /// `check_extensions()`: CA flag, purpose.
    Extensions,
    /// `check_id()`: host name or IP address mismatch.
    Names,
    /// `internal_verify()`: validity dates.
    Dates,
    /// DANE / fingerprint matching.
    Dane,
    /// Postfix forced a failure (`must_fail`): no usable names, digests or anchors, or an
    /// external (MTA-STS) policy failure.
    Forced,
}

/// One error callback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Chain depth (0 = the server's certificate).
    pub depth: usize,
    /// The OpenSSL error.
    pub error: X509Error,
    /// The step that raised it.
    pub phase: Phase,
    /// Subject of the certificate at that depth (`X509_NAME_oneline`).
    pub subject: String,
    /// Issuer of the certificate at that depth (logged for "untrusted issuer").
    pub issuer: String,
}

/// Where one link of the chain came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Sent by the server (index in what it sent).
    Served,
    /// Found in the CAfile.
    CaFile,
    /// A trust anchor from `tafile` / `smtp_tls_trust_anchor_file`.
    TrustAnchor,
}

/// One certificate of the built chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainStep {
    /// Depth.
    pub depth: usize,
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Where it came from.
    pub origin: Origin,
    /// Validity window, RFC 3339.
    pub not_before: String,
    /// Validity window end, RFC 3339.
    pub not_after: String,
}

/// Why Postfix forced verification to fail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ForcedFailure {
    /// No reference identifier could be loaded ("could not configure peer name checks").
    NoNameChecks,
    /// Every fingerprint was the wrong length for the digest ("all fingerprints unusable").
    AllFingerprintsUnusable,
    /// An MTA-STS plugin reported `policy_failure=TYPE` (3.10+).
    ExternalPolicy {
        /// The failure type.
        failure: String,
    },
    /// dane-only with every TLSA record unusable ("all TLSA records unusable").
    NoUsableTlsa,
}

impl Verification {
    /// Forces failure after the fact (Postfix's `must_fail`, set when records fail to load).
    pub fn force_failure(&mut self, why: ForcedFailure, version: &PostfixVersion) {
        let _ = version;
        let (subject, issuer) = self.reported.as_ref().map(|e| (e.subject.clone(), e.issuer.clone())).unwrap_or_default();
        let forced = Event { depth: 0, error: X509Error::Unspecified, phase: Phase::Forced, subject, issuer };
        self.events.push(forced.clone());
        self.reported = Some(forced);
        self.verify_ok = false;
        self.forced = Some(why);
    }
}

/// Everything verification found for one connection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The chain as built, leaf first.
    pub chain: Vec<ChainStep>,
    /// Whether the chain reached something trusted (a CA, an anchor, or an assumed CA).
    pub anchored: bool,
    /// The trust anchor was assumed from the user's answer rather than a CA file.
    pub anchor_assumed: bool,
    /// Every error callback, in OpenSSL's order.
    pub events: Vec<Event>,
    /// The error Postfix kept and logs.
    pub reported: Option<Event>,
    /// `SSL_get_verify_result() == X509_V_OK`.
    pub verify_ok: bool,
    /// 3.6+: OpenSSL's name checks, when names were configured.
    pub names: Option<NameCheck>,
    /// ≤3.5: Postfix's own name checks (made after the handshake, certmatch logging on).
    pub legacy_names: Option<LegacyCheck>,
    /// Fingerprint matching, at the fingerprint level.
    pub fingerprint: Option<FingerprintOutcome>,
    /// A DANE-EE style match of the leaf against a trust anchor (tafile) or fingerprint.
    pub ee_matched: bool,
    /// The DANE match Postfix logs (`EE certificate at depth 0: 3 1 1 …`), when DANE matched.
    pub matched_dane: Option<String>,
    /// ≤3.5 digest-match detail lines (`depth=N matched … digest …`), in log order, with the
    /// digest each one names.
    pub legacy_matches: Vec<(String, String)>,
    /// Postfix forced a failure.
    pub forced: Option<ForcedFailure>,
    /// A trust anchor the server itself sent: its depth and SHA-512 certificate digest
    /// (≤3.5 logs `depth=N matched trust anchor certificate sha512 digest …`).
    pub served_anchor: Option<(usize, String)>,
    /// ≤3.5's lines when it grafts a trust anchor onto the chain (`set_trust()`,
    /// `ta_signed()`): `depth=N trust-anchor certificate` or `depth=N chain is trust-anchor
    /// signed`, N being the depth of the certificate the anchor issued.
    #[serde(default)]
    pub legacy_anchor_lines: Vec<String>,
    /// Connection-time warnings (without the `NAMADDR: ` prefix).
    pub warnings: Vec<String>,
}

/// Everything verification needs to know.
pub struct Request<'a> {
    /// Postfix version (era and error-priority rules).
    pub version: &'a PostfixVersion,
    /// Effective security level.
    pub level: SecurityLevel,
    /// What the server sent, leaf first.
    pub served: &'a [Certificate],
    /// What the client trusts.
    pub trust: &'a TrustBasis,
    /// Evaluation time (Unix seconds); `None` skips date checks.
    pub at: Option<i64>,
    /// `smtp_tls_scert_verifydepth`.
    pub max_depth: usize,
    /// Reference identifiers, for verify/secure (empty otherwise).
    pub refs: &'a [ReferenceId],
    /// `tls_wildcard_matches_multiple_labels` (≤3.5).
    pub multi_label: bool,
    /// Fingerprint values and digest, at the fingerprint level.
    pub fingerprints: Option<(&'a [String], DigestAlg)>,
    /// Trust anchors from `tafile` or `smtp_tls_trust_anchor_file` (verify/secure).
    pub trust_anchors: Option<&'a [Certificate]>,
    /// `policy_failure` from an MTA-STS plugin.
    pub external_failure: Option<&'a str>,
    /// DNSSEC TLSA records usable by OpenSSL, at the DANE levels.
    pub dane: Option<&'a [crate::dane::record::TlsaRecord]>,
    /// ≤3.5: the TLSA RRset as Postfix's own DANE code keeps it.
    pub legacy_dane: Option<&'a crate::dane::legacy::LegacyDane>,
    /// `dane` fell back to unauthenticated TLS (no usable TLSA record): `SSL_dane_enable()` has
    /// already set the DANE host names, so OpenSSL still checks them (`refs`) with the chain
    /// (recorded from Postfix 3.7.11: a name mismatch or an expired certificate is logged).
    pub dane_fallback: bool,
}

/// Applies `update_error_state()` of the version to a sequence of events.
pub fn keep_reported(events: &[Event], version: &PostfixVersion) -> Option<Event> {
    let mut kept: Option<Event> = None;
    for e in events {
        let replace = match &kept {
            None => true,
            Some(k) if version.era() == Era::OpenSsl => {
                !((k.depth <= e.depth && k.error != X509Error::HostnameMismatch) || e.error == X509Error::HostnameMismatch)
            }
            Some(k) => k.depth > e.depth,
        };
        if replace {
            kept = Some(e.clone());
        }
    }
    kept
}

fn event_for(chain: &BuiltChain, e: &VerifyEvent, phase: Phase) -> Event {
    let link = chain.links.get(e.cert_index).or_else(|| chain.links.last());
    Event {
        depth: e.depth,
        error: e.error,
        phase,
        subject: link.map(|l| l.cert.subject.clone()).unwrap_or_default(),
        issuer: link.map(|l| l.cert.issuer.clone()).unwrap_or_default(),
    }
}

fn chain_steps(chain: &BuiltChain, anchors_are_ta: bool) -> Vec<ChainStep> {
    chain
        .links
        .iter()
        .enumerate()
        .map(|(depth, l)| ChainStep {
            depth,
            subject: l.cert.subject.clone(),
            issuer: l.cert.issuer.clone(),
            origin: match l.origin {
                LinkOrigin::Served(_) => Origin::Served,
                LinkOrigin::TrustStore(_) if anchors_are_ta => Origin::TrustAnchor,
                LinkOrigin::TrustStore(_) => Origin::CaFile,
            },
            not_before: l.cert.not_before_text.clone(),
            not_after: l.cert.not_after_text.clone(),
        })
        .collect()
}

/// Whether a build error only says "the issuer is not available".
fn is_missing_issuer(e: X509Error) -> bool {
    matches!(
        e,
        X509Error::UnableToGetIssuerCertLocally
            | X509Error::UnableToGetIssuerCert
            | X509Error::SelfSignedCertInChain
            | X509Error::DepthZeroSelfSignedCert
            | X509Error::UnableToVerifyLeafSignature
    )
}

/// Builds the chain and collects chain, extension and date events.
fn chain_events(req: &Request<'_>, out: &mut Verification) -> (Vec<Event>, Vec<Event>) {
    let empty = TrustStore { anchors: Vec::new() };
    let (store, anchors_are_ta) = match (req.trust_anchors, req.trust) {
        (Some(ta), _) => (TrustStore { anchors: ta.to_vec() }, true),
        (None, TrustBasis::Store(s)) => (s.clone(), false),
        (None, _) => (empty, false),
    };
    let opts = VerifyOptions { at: req.at.unwrap_or(0), max_depth: req.max_depth };
    let chain = build_chain(req.served, &store, &opts);
    out.chain = chain_steps(&chain, anchors_are_ta);
    out.anchored = chain.trusted;
    if anchors_are_ta {
        // DANE-TA semantics: any certificate of the chain that is a trust anchor ends it,
        // whether or not it is self-signed; errors about its issuers do not count.
        let ta = req.trust_anchors.unwrap_or(&[]);
        let at = chain.links.iter().position(|l| {
            matches!(l.origin, LinkOrigin::TrustStore(_)) || ta.iter().any(|a| a.der == l.cert.der || a.spki_der == l.cert.spki_der)
        });
        if let Some(top) = at {
            out.anchored = true;
            if top > 0 && req.version.era() == Era::Legacy {
                out.legacy_anchor_lines.push(format!("depth={} trust-anchor certificate", top - 1));
            }
            let anchor = &chain.links[top].cert;
            if top > 0 && req.served.iter().skip(1).any(|c| c.der == anchor.der) {
                out.served_anchor = Some((top, crate::cert::colon_hex(&crate::cert::digest(DigestAlg::Sha512, &anchor.der))));
            }
            out.chain.truncate(top + 1);
            if let Some(step) = out.chain.last_mut() {
                step.origin = Origin::TrustAnchor;
            }
            let early = chain.extension_events.iter().filter(|e| e.depth <= top).map(|e| event_for(&chain, e, Phase::Extensions)).collect();
            let late = if req.at.is_some() {
                chain.time_events.iter().filter(|e| e.depth <= top && e.error != X509Error::UnableToVerifyLeafSignature).map(|e| event_for(&chain, e, Phase::Dates)).collect()
            } else {
                Vec::new()
            };
            return (early, late);
        }
    }
    let assume = matches!(req.trust, TrustBasis::AssumeTrusted) && req.trust_anchors.is_none();
    let mut early: Vec<Event> = Vec::new();
    for e in &chain.build_events {
        if assume && is_missing_issuer(e.error) {
            out.anchor_assumed = true;
            continue;
        }
        let mut ev = event_for(&chain, e, Phase::Chain);
        if anchors_are_ta && is_missing_issuer(e.error) && req.version.era() != Era::Legacy {
            // No trust anchor reached under DANE-style trust: "no matching DANE TLSA records".
            // (≤3.5 verifies against its own trust-anchor list instead of OpenSSL's DANE: the
            // issuer is just missing, "untrusted issuer", recorded from Postfix 3.5.27.)
            ev.error = X509Error::DaneNoMatch;
            ev.phase = Phase::Dane;
        }
        early.push(ev);
    }
    if assume {
        out.anchored = true;
    }
    early.extend(chain.extension_events.iter().map(|e| event_for(&chain, e, Phase::Extensions)));
    let mut late = Vec::new();
    if req.at.is_some() {
        for e in &chain.time_events {
            if assume && e.error == X509Error::UnableToVerifyLeafSignature {
                continue;
            }
            late.push(event_for(&chain, e, Phase::Dates));
        }
    }
    if req.version.era() == Era::Legacy {
        // ≤3.5's verify callback fails every depth past smtp_tls_scert_verifydepth, the trusted
        // root included (recorded from Postfix 3.5.27: verifydepth 1 with leaf, intermediate and
        // root is "Untrusted"; 3.6+ leaves the depth to OpenSSL and the same chain is trusted).
        // It does so in the callback itself, so when the first call too deep comes before the
        // first error (or is it, replacing it), "chain longer than limit" is the error logged
        // (recorded from 3.5.27: an expired intermediate, and an untrusted top, under the limit).
        let depth = chain.depth_events.iter().map(|e| event_for(&chain, e, Phase::Chain));
        let too_deep = chain.callbacks.iter().position(|cb| cb.depth > req.max_depth);
        let first_error = chain.callbacks.iter().position(|cb| cb.error.is_some_and(|e| !(assume && is_missing_issuer(e))));
        match (too_deep, first_error) {
            (Some(d), f) if f.is_none_or(|f| d <= f) => early.splice(0..0, depth).for_each(drop),
            _ => late.extend(depth),
        }
    }
    (early, late)
}

/// Name-check events (62, then 64) for the leaf, 3.6+.
fn name_events(check: &NameCheck, leaf: &Certificate) -> Vec<Event> {
    let mut events = Vec::new();
    let mk = |error| Event { depth: 0, error, phase: Phase::Names, subject: leaf.subject.clone(), issuer: leaf.issuer.clone() };
    if check.has_host_refs && !check.host_ok {
        events.push(mk(X509Error::HostnameMismatch));
    }
    if check.has_ip_ref && !check.ip_ok {
        events.push(mk(X509Error::IpAddressMismatch));
    }
    events
}

/// Runs verification for one connection.
pub fn verify(req: &Request<'_>) -> Verification {
    let mut out = Verification::default();
    let Some(leaf) = req.served.first() else {
        return out;
    };
    let openssl_era = req.version.era() != Era::Legacy;
    let names = CertNames::of(leaf);
    let name_level = req.level.must_pkix() || (req.dane_fallback && openssl_era);

    // Reference identifiers that Postfix could not load, and the must_fail they cause (3.6+).
    if openssl_era && name_level {
        for r in req.refs {
            if let ReferenceKind::Skipped { warning } = &r.kind {
                out.warnings.push(warning.clone());
            }
        }
        if none_loaded(req.refs) {
            out.warnings.push("could not configure peer name checks".into());
            out.forced = Some(ForcedFailure::NoNameChecks);
        }
    }

    // The fingerprint level.
    if let (SecurityLevel::Fingerprint, Some((values, alg))) = (req.level, req.fingerprints) {
        if openssl_era {
            let (decoded, _) = fingerprint::decode_values(values);
            let fp = fingerprint::match_openssl(&decoded, alg, leaf);
            out.warnings.extend(fp.warnings());
            let dane_enabled = fp.records.len() > fp.unusable.len();
            if fp.none_usable() {
                out.forced = Some(ForcedFailure::AllFingerprintsUnusable);
            }
            let matched = fp.matched.is_some();
            out.fingerprint = Some(fp);
            if dane_enabled {
                out.ee_matched = matched;
                if !matched {
                    out.events.push(Event { depth: 0, error: X509Error::DaneNoMatch, phase: Phase::Dane, subject: leaf.subject.clone(), issuer: leaf.issuer.clone() });
                }
                return finish(req, out);
            }
        } else {
            let fp = fingerprint::match_legacy(values, alg, leaf);
            out.ee_matched = fp.matched.is_some();
            out.fingerprint = Some(fp);
        }
    }

    if let Some(records) = req.dane {
        if openssl_era {
            dane_verify(req, records, leaf, &names, &mut out);
            return finish(req, out);
        }
    }

    if let (Some(dane), false) = (req.legacy_dane, openssl_era) {
        legacy_dane_verify(req, dane, &mut out);
        out.legacy_names = Some(legacy::check(req.refs, &names, req.multi_label));
        return finish(req, out);
    }

    if let Some(failure) = req.external_failure {
        out.forced = Some(ForcedFailure::ExternalPolicy { failure: failure.to_string() });
    }

    // tafile: a leaf that is itself an anchor matches like DANE-EE (names still checked).
    if let Some(anchors) = req.trust_anchors {
        if anchors.iter().any(|a| a.der == leaf.der || a.spki_der == leaf.spki_der) {
            out.ee_matched = true;
            out.anchored = true;
            out.chain = vec![ChainStep {
                depth: 0,
                subject: leaf.subject.clone(),
                issuer: leaf.issuer.clone(),
                origin: Origin::TrustAnchor,
                not_before: leaf.not_before_text.clone(),
                not_after: leaf.not_after_text.clone(),
            }];
            if openssl_era && name_level {
                let check = openssl::check(req.refs, &names);
                out.events.extend(name_events(&check, leaf));
                out.names = Some(check);
            } else if name_level {
                out.legacy_names = Some(legacy::check(req.refs, &names, req.multi_label));
            }
            return finish(req, out);
        }
    }

    let (early, late) = chain_events(req, &mut out);
    out.events.extend(early);
    if openssl_era && name_level {
        // OpenSSL checks the names even when Postfix has already decided to fail the
        // connection (an MTA-STS policy failure): the check sets the peername Postfix logs.
        let check = openssl::check(req.refs, &names);
        if out.forced.is_none() {
            out.events.extend(name_events(&check, leaf));
        }
        out.names = Some(check);
    }
    out.events.extend(late);
    if !openssl_era {
        // ≤3.5 checks (and, with certmatch logging, logs) names after the handshake at every
        // level, against the names it was given: smtp(8) gives none below verify, posttls-finger
        // the list of the level it was asked for (a DANE host may have fallen back to may).
        out.legacy_names = Some(legacy::check(req.refs, &names, req.multi_label));
    }
    finish(req, out)
}

/// OpenSSL's `dane_verify()` (3.6+): a DANE-EE match ends verification (no name or date
/// checks); otherwise the chain must reach a DANE-TA certificate (names and dates checked);
/// with no trust anchor reached the error is "no matching DANE TLSA records".
fn dane_verify(req: &Request<'_>, records: &[crate::dane::record::TlsaRecord], leaf: &Certificate, names: &CertNames, out: &mut Verification) {
    // SSL_dane_tlsa_add() keeps the records sorted: usage, then selector, then matching type
    // (SHA2-512 before SHA2-256 before full data), each descending; the first match is the one
    // logged (recorded from Postfix 3.7.11: "3 1 2" is reported before an equally matching
    // "3 0 2" listed first).
    let mut records: Vec<&crate::dane::record::TlsaRecord> = records.iter().collect();
    records.sort_by_key(|r| std::cmp::Reverse((r.usage, r.selector, r.mtype)));
    if let Some(r) = records.iter().find(|r| r.usage == 3 && r.matches(leaf)) {
        out.ee_matched = true;
        out.anchored = true;
        out.matched_dane = Some(format!("EE certificate at depth 0: {}", r.display()));
        return;
    }
    let ta: Vec<&crate::dane::record::TlsaRecord> = records.iter().copied().filter(|r| r.usage == 2).collect();
    let mk = |depth: usize, error: X509Error, phase: Phase, cert: &Certificate| Event { depth, error, phase, subject: cert.subject.clone(), issuer: cert.issuer.clone() };
    if ta.is_empty() {
        out.events.push(mk(0, X509Error::DaneNoMatch, Phase::Dane, leaf));
        return;
    }
    // "2 0 0" records carry the trust-anchor certificate itself: OpenSSL may add it to the chain.
    let anchors: Vec<Certificate> =
        ta.iter().filter(|r| r.selector == 0 && r.mtype == 0).filter_map(|r| Certificate::from_der(&r.data).ok()).collect();
    let opts = VerifyOptions { at: req.at.unwrap_or(0), max_depth: req.max_depth };
    let chain = build_chain(req.served, &TrustStore { anchors }, &opts);
    out.chain = chain_steps(&chain, true);
    let mut top = chain.links.iter().enumerate().skip(1).find(|(_, l)| ta.iter().any(|r| r.matches(&l.cert))).map(|(i, _)| i);
    let mut matched = top.and_then(|t| ta.iter().find(|r| r.matches(&chain.links[t].cert)).map(|r| format!("TA certificate at depth {t}: {}", r.display())));
    // check_dane_pkeys(): a chain of served certificates only, whose top certificate a
    // "2 1 0" record's public key signed, is anchored by that key (recorded from Postfix
    // 3.7.11: an expired leaf signed by it then fails its date check, not DANE matching).
    if top.is_none() && chain.links.iter().all(|l| matches!(l.origin, LinkOrigin::Served(_))) {
        if let Some(last) = chain.links.len().checked_sub(1) {
            if let Some(r) = ta.iter().find(|r| r.selector == 1 && r.mtype == 0 && signed_by_key(&chain.links[last].cert, &r.data)) {
                top = Some(last);
                matched = Some(format!("TA public key verified certificate at depth {last}: {}", r.display()));
            }
        }
    }
    let Some(top) = top else {
        let depth = chain.links.len().saturating_sub(1);
        let cert = chain.links.last().map(|l| &l.cert).unwrap_or(leaf);
        out.events.push(mk(depth, X509Error::DaneNoMatch, Phase::Dane, cert));
        let check = openssl::check(req.refs, names);
        out.events.extend(name_events(&check, leaf));
        out.names = Some(check);
        return;
    };
    out.anchored = true;
    out.chain.truncate(top + 1);
    if let Some(step) = out.chain.last_mut() {
        step.origin = Origin::TrustAnchor;
    }
    out.matched_dane = matched;
    out.events.extend(chain.extension_events.iter().filter(|e| e.depth <= top).map(|e| event_for(&chain, e, Phase::Extensions)));
    let check = openssl::check(req.refs, names);
    out.events.extend(name_events(&check, leaf));
    out.names = Some(check);
    if req.at.is_some() {
        out.events.extend(
            chain.time_events.iter().filter(|e| e.depth <= top && e.error != X509Error::UnableToVerifyLeafSignature).map(|e| event_for(&chain, e, Phase::Dates)),
        );
    }
}

/// Whether `cert` was signed by the public key `spki` (DER SubjectPublicKeyInfo). Signatures
/// are not verified (see `cert::chain`): a certificate counts as signed by the key when its
/// authority key identifier is the key's SHA-1 identifier (RFC 5280 method 1, what CAs and
/// OpenSSL write), or when it is self-issued and carries that very key.
fn signed_by_key(cert: &Certificate, spki: &[u8]) -> bool {
    use x509_parser::prelude::FromDer;
    if cert.subject_canon == cert.issuer_canon && cert.spki_der == spki {
        return true;
    }
    let Ok((_, key)) = x509_parser::x509::SubjectPublicKeyInfo::from_der(spki) else { return false };
    let key_id = crate::cert::fingerprint::digest(DigestAlg::Sha1, &key.subject_public_key.data);
    cert.authority_key_id.as_deref() == Some(key_id.as_slice())
}

/// ≤3.5 DANE (`dane_cb()`, `set_trust()`, `verify_extract_print()`): with trust-anchor records
/// the CAfile is not used; the chain is trusted up to a served certificate matching a TA
/// certificate digest (a public-key match fails under OpenSSL 3); end-entity digests match
/// the leaf after the handshake.
fn legacy_dane_verify(req: &Request<'_>, dane: &crate::dane::legacy::LegacyDane, out: &mut Verification) {
    use crate::dane::legacy::{match_cert, LegacyMatch};
    let Some(leaf) = req.served.first() else { return };
    if dane.has_ta() {
        let opts = VerifyOptions { at: req.at.unwrap_or(0), max_depth: req.max_depth };
        let empty = TrustStore { anchors: Vec::new() };
        let chain = build_chain(req.served, &empty, &opts);
        out.chain = chain_steps(&chain, true);
        let dated = |e: &&VerifyEvent| req.at.is_some() && e.error != X509Error::UnableToVerifyLeafSignature;
        let mut anchored_at = None;
        for (i, link) in chain.links.iter().enumerate().skip(1) {
            if let Some((kind, line, hex)) = match_cert(dane, 2, &link.cert, i) {
                out.legacy_matches.push((line, hex));
                match kind {
                    LegacyMatch::Certificate => {
                        out.legacy_anchor_lines.push(format!("depth={} trust-anchor certificate", i - 1));
                        anchored_at = Some(i);
                    }
                    LegacyMatch::PublicKey => {
                        out.legacy_anchor_lines.push(format!("depth={} chain is trust-anchor signed", i - 1));
                        let below = &chain.links[i - 1].cert;
                        out.events.push(Event {
                            depth: i - 1,
                            error: X509Error::UnableToGetIssuerCertLocally,
                            phase: Phase::Chain,
                            subject: below.subject.clone(),
                            issuer: below.issuer.clone(),
                        });
                        return legacy_ee(dane, leaf, out, match_cert);
                    }
                }
                break;
            }
        }
        // dane_cb(): a self-signed leaf is the degenerate case, never checked by ta_signed();
        // OpenSSL 3 reports it as self-signed even when a "2 0 0" record names it (recorded
        // from Postfix 3.5.27).
        let self_signed_leaf = chain.links.len() == 1 && leaf.subject_canon == leaf.issuer_canon && leaf.akid_matches(leaf);
        if anchored_at.is_none() && !self_signed_leaf {
            // ta_signed(): the top certificate issued by a full trust-anchor certificate.
            let top = chain.links.last().map(|l| &l.cert).unwrap_or(leaf);
            let signed = dane.ta_certs.iter().filter_map(|d| Certificate::from_der(d).ok()).any(|ta| ta.subject_canon == top.issuer_canon && top.akid_matches(&ta));
            if signed {
                let top = chain.links.len().saturating_sub(1);
                out.legacy_anchor_lines.push(format!("depth={top} trust-anchor certificate"));
                anchored_at = Some(top);
            }
        }
        match anchored_at {
            Some(top) => {
                out.anchored = true;
                out.chain.truncate(top + 1);
                out.events.extend(chain.extension_events.iter().filter(|e| e.depth <= top).map(|e| event_for(&chain, e, Phase::Extensions)));
                out.events.extend(chain.time_events.iter().filter(|e| e.depth <= top).filter(dated).map(|e| event_for(&chain, e, Phase::Dates)));
            }
            None => {
                out.events.extend(chain.build_events.iter().map(|e| event_for(&chain, e, Phase::Chain)));
                out.events.extend(chain.extension_events.iter().map(|e| event_for(&chain, e, Phase::Extensions)));
                out.events.extend(chain.time_events.iter().filter(dated).map(|e| event_for(&chain, e, Phase::Dates)));
            }
        }
    } else {
        let (early, late) = chain_events(req, out);
        out.events.extend(early);
        out.events.extend(late);
    }
    legacy_ee(dane, leaf, out, match_cert)
}

/// The end-entity digest match made after the handshake (≤3.5).
fn legacy_ee(
    dane: &crate::dane::legacy::LegacyDane,
    leaf: &Certificate,
    out: &mut Verification,
    match_cert: fn(&crate::dane::legacy::LegacyDane, u8, &Certificate, usize) -> Option<(crate::dane::legacy::LegacyMatch, String, String)>,
) {
    if dane.has_ee() {
        if let Some((_, line, hex)) = match_cert(dane, 3, leaf, 0) {
            out.ee_matched = true;
            out.legacy_matches.push((line, hex));
        }
    }
}

/// Applies `must_fail` and the version's error priority, and sets `verify_ok`.
fn finish(req: &Request<'_>, mut out: Verification) -> Verification {
    if out.forced.is_some() {
        let leaf = req.served.first();
        let forced = Event {
            depth: 0,
            error: X509Error::Unspecified,
            phase: Phase::Forced,
            subject: leaf.map(|l| l.subject.clone()).unwrap_or_default(),
            issuer: leaf.map(|l| l.issuer.clone()).unwrap_or_default(),
        };
        out.events.push(forced.clone());
        out.reported = Some(forced);
        out.verify_ok = false;
        return out;
    }
    out.reported = keep_reported(&out.events, req.version);
    out.verify_ok = out.events.is_empty();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(depth: usize, error: X509Error) -> Event {
        Event { depth, error, phase: Phase::Chain, subject: String::new(), issuer: String::new() }
    }

    #[test]
    fn first_error_at_lowest_depth_wins_before_3_10_4() {
        let v = PostfixVersion::new(3, 7, 11);
        let events = [ev(0, X509Error::HostnameMismatch), ev(1, X509Error::CertHasExpired), ev(0, X509Error::CertHasExpired)];
        assert_eq!(keep_reported(&events, &v).unwrap().error, X509Error::HostnameMismatch);
        let deeper_first = [ev(1, X509Error::CertHasExpired), ev(0, X509Error::HostnameMismatch)];
        assert_eq!(keep_reported(&deeper_first, &v).unwrap().error, X509Error::HostnameMismatch);
    }

    #[test]
    fn hostname_mismatch_always_loses_from_3_10_4() {
        let v = PostfixVersion::new(3, 11, 6);
        let events = [ev(0, X509Error::HostnameMismatch), ev(1, X509Error::CertHasExpired)];
        let kept = keep_reported(&events, &v).unwrap();
        assert_eq!((kept.depth, kept.error), (1, X509Error::CertHasExpired));
        let ip = [ev(0, X509Error::HostnameMismatch), ev(0, X509Error::IpAddressMismatch)];
        assert_eq!(keep_reported(&ip, &v).unwrap().error, X509Error::IpAddressMismatch);
        let untrusted_first = [ev(0, X509Error::UnableToGetIssuerCertLocally), ev(0, X509Error::HostnameMismatch)];
        assert_eq!(keep_reported(&untrusted_first, &v).unwrap().error, X509Error::UnableToGetIssuerCertLocally);
    }
}

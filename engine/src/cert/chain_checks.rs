//! The two verification passes that run over a built chain: OpenSSL 3.0's
//! `check_extensions` and `internal_verify` (without signature checks).
//!
//! Kept apart from chain building because they only read the finished chain; their event
//! order (leaf upwards for extensions, top downwards for dates) is what decides which error
//! Postfix ends up logging when there are several.

use super::chain::{ChainLink, Stage, VerifyCallback, VerifyEvent};
use super::issuance::{check_ca, likely_issued, signing_allowed, ssl_server_purpose};
use super::verify_error::X509Error;

/// `check_extensions` for the SSL-server purpose, non-strict, no proxy certificates.
pub fn check_extensions(links: &[ChainLink]) -> Vec<VerifyEvent> {
    let mut events = Vec::new();
    let num = links.len();
    let mut plen: u64 = 0;
    for (i, link) in links.iter().enumerate() {
        let x = &link.cert;
        let mut ev = |error| events.push(VerifyEvent { depth: i, error, cert_index: i });
        if !x.unhandled_critical.is_empty() {
            ev(X509Error::UnhandledCriticalExtension);
        }
        let must_be_ca = i > 0;
        if must_be_ca {
            let ret = check_ca(x);
            if ret == 0 || (i + 1 < num && ret != 1) {
                ev(X509Error::InvalidCa);
            }
        }
        if num > 1 && x.ec_explicit_params {
            ev(X509Error::EcKeyExplicitParams);
        }
        // Auxiliary trust could override the purpose for store certificates; peername does
        // not read auxiliary trust, so the plain purpose check applies to all.
        if ssl_server_purpose(x, must_be_ca) == 0 {
            ev(X509Error::InvalidPurpose);
        }
        if i > 1 {
            if let Some(limit) = x.path_len {
                if plen > u64::from(limit) {
                    ev(X509Error::PathLengthExceeded);
                }
            }
        }
        if i > 0 && !x.self_issued {
            plen += 1;
        }
    }
    events
}

/// `internal_verify`: walks from the top of the chain down to the leaf, reporting issuer
/// keyCertSign problems and validity-date errors, and an "ok" call per depth.
pub fn internal_verify(links: &[ChainLink], at: i64) -> Vec<VerifyCallback> {
    let mut calls = Vec::new();
    let Some(top_index) = links.len().checked_sub(1) else {
        return calls;
    };
    let mut call = |depth: usize, cert_index: usize, error: Option<X509Error>| {
        calls.push(VerifyCallback { stage: Stage::Internal, depth, cert_index, error });
    };
    let top = &links[top_index].cert;
    let mut xi = top_index;
    let mut n;
    let mut skip_issuer_check = false;
    if likely_issued(top, top) {
        n = top_index;
    } else if top_index == 0 {
        call(0, 0, Some(X509Error::UnableToVerifyLeafSignature));
        n = 0;
        skip_issuer_check = true;
    } else {
        n = top_index - 1;
    }
    loop {
        let xs = n;
        if xs != xi && !skip_issuer_check && !signing_allowed(&links[xi].cert) {
            call(xi, xi, Some(X509Error::KeyUsageNoCertSign));
        }
        // (The signature of xs would be verified here; peername assumes it is good.)
        let cert = &links[xs].cert;
        if !cert.not_before_well_formed {
            call(n, xs, Some(X509Error::ErrorInCertNotBeforeField));
        } else if cert.not_before > at {
            call(n, xs, Some(X509Error::CertNotYetValid));
        }
        if !cert.not_after_well_formed {
            call(n, xs, Some(X509Error::ErrorInCertNotAfterField));
        } else if cert.not_after <= at {
            call(n, xs, Some(X509Error::CertHasExpired));
        }
        call(n, xs, None);
        if n == 0 {
            break;
        }
        n -= 1;
        xi = xs;
        skip_issuer_check = false;
    }
    calls
}

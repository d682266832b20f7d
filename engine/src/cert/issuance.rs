//! "Could this certificate have issued that one?" and "is this a CA?", as OpenSSL 3.0 asks.
//!
//! Chain building never verifies signatures to pick issuers: OpenSSL's `check_issued` uses
//! `ossl_x509_likely_issued` (names equal by `X509_NAME_cmp`, both certificates' extensions
//! decodable, the subject's authorityKeyIdentifier consistent with the issuer, and the
//! subject's signature algorithm usable with the issuer's key type). peername does the same
//! and also never verifies signatures afterwards (see `chain`).

use super::certificate::{key_usage, ns_cert_type, Certificate};
use super::oid;

/// OpenSSL's `ossl_x509_likely_issued(issuer, subject) == X509_V_OK`.
pub fn likely_issued(issuer: &Certificate, subject: &Certificate) -> bool {
    issuer.subject_canon == subject.issuer_canon
        && !issuer.extensions_invalid
        && !subject.extensions_invalid
        && subject.akid_matches(issuer)
        && oid::signature_matches_key(subject.signature_key_kind, issuer.public_key_kind)
}

/// OpenSSL's `X509_check_ca`: 0 not a CA; 1 basicConstraints cA; 3 self-signed X.509v1
/// root; 4 keyUsage with keyCertSign but no basicConstraints; 5 Netscape CA cert type.
pub fn check_ca(cert: &Certificate) -> u8 {
    if cert.extensions_invalid || cert.key_usage_rejects(key_usage::KEY_CERT_SIGN) {
        return 0;
    }
    if cert.has_basic_constraints {
        return u8::from(cert.is_ca);
    }
    if cert.version == 1 && cert.self_signed {
        3
    } else if cert.key_usage.is_some() {
        4
    } else if cert.ns_cert_type.is_some_and(|t| t & ns_cert_type::ANY_CA != 0) {
        5
    } else {
        0
    }
}

/// OpenSSL's `X509_check_purpose(cert, X509_PURPOSE_SSL_SERVER, require_ca)`: 1 (or the
/// `check_ca` value for CAs) when acceptable, 0 when not, -1 when the certificate's
/// extensions cannot be decoded (which non-strict verification lets pass).
pub fn ssl_server_purpose(cert: &Certificate, require_ca: bool) -> i32 {
    if cert.extensions_invalid {
        return -1;
    }
    if cert.eku_allows_ssl_server == Some(false) {
        return 0;
    }
    if require_ca {
        let ca = check_ca(cert);
        if ca == 0 {
            return 0;
        }
        if ca != 5 || cert.ns_cert_type.is_some_and(|t| t & ns_cert_type::SSL_CA != 0) {
            return i32::from(ca);
        }
        return 0;
    }
    if cert.ns_cert_type.is_some_and(|t| t & ns_cert_type::SSL_SERVER == 0) {
        return 0;
    }
    let tls = key_usage::DIGITAL_SIGNATURE | key_usage::KEY_ENCIPHERMENT | key_usage::KEY_AGREEMENT;
    if cert.key_usage_rejects(tls) {
        return 0;
    }
    1
}

/// OpenSSL's `ossl_x509_signing_allowed(issuer, subject)` for non-proxy subjects: the
/// issuer's keyUsage, if present, must include keyCertSign.
pub fn signing_allowed(issuer: &Certificate) -> bool {
    !issuer.key_usage_rejects(key_usage::KEY_CERT_SIGN)
}

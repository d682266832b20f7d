//! OpenSSL 3.0 certificate verification error codes and their texts.
//!
//! Postfix logs many of these verbatim (`num=62:hostname mismatch`, `num=79:invalid CA
//! certificate`), so the numbers and strings must be OpenSSL 3.0's exactly. They were read
//! from OpenSSL 3.0.19 (`X509_verify_cert_error_string`). Note two differences from OpenSSL
//! 1.1.1 that matter in logs: X509_V_ERR_INVALID_CA is 79 (24 is now "issuer certificate
//! doesn't have a public key") and error 26 reads "unsuitable certificate purpose".

use serde::{Deserialize, Serialize};

/// An OpenSSL `X509_V_ERR_*` value that peername can produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum X509Error {
    /// 1: X509_V_ERR_UNSPECIFIED.
    Unspecified,
    /// 2: X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT (issuer missing above a trust-store certificate).
    UnableToGetIssuerCert,
    /// 9: X509_V_ERR_CERT_NOT_YET_VALID.
    CertNotYetValid,
    /// 10: X509_V_ERR_CERT_HAS_EXPIRED.
    CertHasExpired,
    /// 13: X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD (notBefore not in strict RFC 5280 form;
    /// Postfix logs it like "not yet valid").
    ErrorInCertNotBeforeField,
    /// 14: X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD (Postfix logs it like "has expired").
    ErrorInCertNotAfterField,
    /// 18: X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT.
    DepthZeroSelfSignedCert,
    /// 19: X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN.
    SelfSignedCertInChain,
    /// 20: X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY.
    UnableToGetIssuerCertLocally,
    /// 21: X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE.
    UnableToVerifyLeafSignature,
    /// 22: X509_V_ERR_CERT_CHAIN_TOO_LONG.
    CertChainTooLong,
    /// 25: X509_V_ERR_PATH_LENGTH_EXCEEDED.
    PathLengthExceeded,
    /// 26: X509_V_ERR_INVALID_PURPOSE.
    InvalidPurpose,
    /// 27: X509_V_ERR_CERT_UNTRUSTED.
    CertUntrusted,
    /// 32: X509_V_ERR_KEYUSAGE_NO_CERTSIGN.
    KeyUsageNoCertSign,
    /// 34: X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION.
    UnhandledCriticalExtension,
    /// 62: X509_V_ERR_HOSTNAME_MISMATCH.
    HostnameMismatch,
    /// 64: X509_V_ERR_IP_ADDRESS_MISMATCH.
    IpAddressMismatch,
    /// 65: X509_V_ERR_DANE_NO_MATCH.
    DaneNoMatch,
    /// 79: X509_V_ERR_INVALID_CA (24 in OpenSSL 1.1.1).
    InvalidCa,
    /// 94: X509_V_ERR_EC_KEY_EXPLICIT_PARAMS.
    EcKeyExplicitParams,
}

impl X509Error {
    /// Every value, for tables and tests.
    pub const ALL: [X509Error; 21] = [
        X509Error::Unspecified,
        X509Error::UnableToGetIssuerCert,
        X509Error::CertNotYetValid,
        X509Error::CertHasExpired,
        X509Error::ErrorInCertNotBeforeField,
        X509Error::ErrorInCertNotAfterField,
        X509Error::DepthZeroSelfSignedCert,
        X509Error::SelfSignedCertInChain,
        X509Error::UnableToGetIssuerCertLocally,
        X509Error::UnableToVerifyLeafSignature,
        X509Error::CertChainTooLong,
        X509Error::PathLengthExceeded,
        X509Error::InvalidPurpose,
        X509Error::CertUntrusted,
        X509Error::KeyUsageNoCertSign,
        X509Error::UnhandledCriticalExtension,
        X509Error::HostnameMismatch,
        X509Error::IpAddressMismatch,
        X509Error::DaneNoMatch,
        X509Error::InvalidCa,
        X509Error::EcKeyExplicitParams,
    ];

    /// The OpenSSL 3.0 error number (what Postfix prints after `num=`).
    pub fn code(self) -> i32 {
        match self {
            X509Error::Unspecified => 1,
            X509Error::UnableToGetIssuerCert => 2,
            X509Error::CertNotYetValid => 9,
            X509Error::CertHasExpired => 10,
            X509Error::ErrorInCertNotBeforeField => 13,
            X509Error::ErrorInCertNotAfterField => 14,
            X509Error::DepthZeroSelfSignedCert => 18,
            X509Error::SelfSignedCertInChain => 19,
            X509Error::UnableToGetIssuerCertLocally => 20,
            X509Error::UnableToVerifyLeafSignature => 21,
            X509Error::CertChainTooLong => 22,
            X509Error::PathLengthExceeded => 25,
            X509Error::InvalidPurpose => 26,
            X509Error::CertUntrusted => 27,
            X509Error::KeyUsageNoCertSign => 32,
            X509Error::UnhandledCriticalExtension => 34,
            X509Error::HostnameMismatch => 62,
            X509Error::IpAddressMismatch => 64,
            X509Error::DaneNoMatch => 65,
            X509Error::InvalidCa => 79,
            X509Error::EcKeyExplicitParams => 94,
        }
    }

    /// The value for an OpenSSL 3.0 error number, if peername models it.
    pub fn from_code(code: i32) -> Option<Self> {
        X509Error::ALL.into_iter().find(|e| e.code() == code)
    }

    /// `X509_verify_cert_error_string()` of OpenSSL 3.0 (what Postfix prints after `num=N:`).
    pub fn openssl_text(self) -> &'static str {
        match self {
            X509Error::Unspecified => "unspecified certificate verification error",
            X509Error::UnableToGetIssuerCert => "unable to get issuer certificate",
            X509Error::CertNotYetValid => "certificate is not yet valid",
            X509Error::CertHasExpired => "certificate has expired",
            X509Error::ErrorInCertNotBeforeField => "format error in certificate's notBefore field",
            X509Error::ErrorInCertNotAfterField => "format error in certificate's notAfter field",
            X509Error::DepthZeroSelfSignedCert => "self-signed certificate",
            X509Error::SelfSignedCertInChain => "self-signed certificate in certificate chain",
            X509Error::UnableToGetIssuerCertLocally => "unable to get local issuer certificate",
            X509Error::UnableToVerifyLeafSignature => "unable to verify the first certificate",
            X509Error::CertChainTooLong => "certificate chain too long",
            X509Error::PathLengthExceeded => "path length constraint exceeded",
            X509Error::InvalidPurpose => "unsuitable certificate purpose",
            X509Error::CertUntrusted => "certificate not trusted",
            X509Error::KeyUsageNoCertSign => "key usage does not include certificate signing",
            X509Error::UnhandledCriticalExtension => "unhandled critical extension",
            X509Error::HostnameMismatch => "hostname mismatch",
            X509Error::IpAddressMismatch => "IP address mismatch",
            X509Error::DaneNoMatch => "no matching DANE TLSA records",
            X509Error::InvalidCa => "invalid CA certificate",
            X509Error::EcKeyExplicitParams => "Certificate public key has explicit ECC parameters",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for e in X509Error::ALL {
            assert_eq!(X509Error::from_code(e.code()), Some(e));
        }
        assert_eq!(X509Error::from_code(24), None);
    }

    #[test]
    fn texts_match_openssl_3() {
        assert_eq!(X509Error::DepthZeroSelfSignedCert.openssl_text(), "self-signed certificate");
        assert_eq!(X509Error::HostnameMismatch.code(), 62);
        assert_eq!(X509Error::InvalidCa.code(), 79);
        assert_eq!(X509Error::InvalidPurpose.openssl_text(), "unsuitable certificate purpose");
    }
}

//! Certificates: PEM/DER input, the facts Postfix and OpenSSL look at, fingerprints, and chain
//! building with OpenSSL's verification-error semantics.
//!
//! Map: [`pem`] reads pasted text or uploaded bytes into [`Certificate`]s ([`armor`],
//! [`base64`] and [`private_key`] help it); [`certificate`] extracts the facts, with
//! [`dn`] (names as Postfix logs them), [`name_cmp`] (names as OpenSSL compares them),
//! [`asn1_string`], [`oid`], [`der`] and [`time`]; [`fingerprint`] computes Postfix-style
//! digests; [`chain`] emulates OpenSSL 3.0's `X509_verify_cert` (with [`issuance`],
//! [`chain_checks`] and [`verify_error`]).

pub mod armor;
pub mod asn1_string;
pub mod base64;
pub mod certificate;
pub mod chain;
pub mod chain_checks;
pub mod der;
pub mod dn;
pub mod fingerprint;
pub mod issuance;
pub mod name_cmp;
pub mod oid;
pub mod pem;
pub mod private_key;
pub mod time;
pub mod verify_error;

#[cfg(test)]
mod oracle_tests;

pub use certificate::{CertError, Certificate, DnsSan, IpSan, Validity};
pub use chain::{
    build_chain, BuiltChain, ChainLink, LinkOrigin, Stage, TrustStore, VerifyCallback, VerifyEvent, VerifyOptions,
};
pub use fingerprint::{colon_hex, digest, lower_hex, upper_hex, DigestAlg, DigestSet, Fingerprints};
pub use pem::{contains_private_key, parse_certificates, strip_private_keys, CertificateInput};
pub use verify_error::X509Error;

//! Certificates: PEM/DER input, the facts Postfix and OpenSSL look at, fingerprints, and chain
//! building with OpenSSL's verification-error semantics.

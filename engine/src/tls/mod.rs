//! The TLS part of one connection: verification as OpenSSL and Postfix do it, and the
//! connection-level consequences (summary word, failure line, deferral).

pub mod fingerprint;
pub mod session;
pub mod verify;

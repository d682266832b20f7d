//! Reference names and certificate names: how Postfix turns a match list into reference
//! identifiers, and how each era compares them with the names in a certificate.

pub mod cert_names;
pub mod hostname;
pub mod idna;
pub mod legacy;
pub mod openssl;
pub mod reference;

//! DANE (spec §7): TLSA records, the policy-time set-up with its fallbacks, and the records an
//! operator should publish. Verification itself lives with the other checks in `tls::verify`.

pub mod legacy;
pub mod record;
pub mod setup;

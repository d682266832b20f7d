//! The TLS policy: security levels, the policy-table walk, entry syntax, and the effective
//! policy with the source of every setting.

pub mod effective;
pub mod entry;
pub mod level;
pub mod lookup;

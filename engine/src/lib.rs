//! peername's decision engine: given a scenario (Postfix version, main.cf, policy table,
//! destination, MX hosts, certificates), decide exactly what Postfix decides about the server
//! certificate, and record every step of that decision in a trace.
//!
//! The engine has no browser dependency: the web page, the CLI and the JS API are views of the
//! [`Report`](report::Report) it returns. See ARCHITECTURE.md for the map.

pub mod cert;
pub mod diag;
pub mod input;
pub mod version;

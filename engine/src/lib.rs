//! peername's decision engine: given a scenario (Postfix version, main.cf, policy table,
//! destination, MX hosts, certificates), decide exactly what Postfix decides about the server
//! certificate, and record every step of that decision in a trace.
//!
//! The engine has no browser dependency: the web page, the CLI and the JS API are views of the
//! [`Report`](report::Report) it returns. See ARCHITECTURE.md for the map.

pub mod cert;
pub mod config;
pub mod dane;
pub mod delivery;
pub mod diag;
pub mod dns;
pub mod explain;
pub mod finger;
pub mod fixes;
pub mod input;
pub mod limits;
pub mod lint;
pub mod logread;
pub mod logs;
pub mod memo;
pub mod names;
pub mod nexthop;
pub mod permalink;
pub mod policy;
pub mod replay;
pub mod report;
pub mod scenario;
pub mod tls;
pub mod trace;
pub mod version;

pub use explain::explain;
pub use report::Report;
pub use scenario::Scenario;

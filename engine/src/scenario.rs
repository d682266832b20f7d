//! The input of an explanation: everything a person pastes, as one serde value.
//!
//! Every field has a default, so a scenario can be given partially (e.g. as JSON with only
//! `policy_table`, `destination` and `certificates`). Texts are kept verbatim; parsing happens
//! in the engine and reports diagnostics against these texts.

use crate::dns::Dns;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether the client's CA store trusts the server's chain.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaTrust {
    /// "My CAfile/CApath trusts this chain": the chain's issuer is assumed to be there.
    Trusted,
    /// "It does not": nothing above the pasted certificates is trusted.
    Untrusted,
    /// Not known: evaluated as trusted, and the report says it was an assumption.
    #[default]
    Unknown,
    /// Use `ca_bundle` as the CAfile contents.
    Bundle,
}

/// Certificates one server (or every server) presents.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServedChain {
    /// Host name or address this chain belongs to; empty = every server without its own.
    pub host: String,
    /// PEM text (leaf first, then intermediates as the server sends them).
    pub pem: String,
}

/// How one server behaves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerSetting {
    /// Host name or address; empty = every server.
    pub host: String,
    /// Offers STARTTLS.
    pub starttls: bool,
    /// Presents a certificate (false: anonymous ciphers only).
    pub certificate: bool,
    /// The newest TLS version it speaks (`1.2`, `TLSv1.2`, `0x0303`); absent: TLS 1.3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_max: Option<String>,
}

impl Default for ServerSetting {
    fn default() -> Self {
        ServerSetting { host: String::new(), starttls: true, certificate: true, tls_max: None }
    }
}

/// What to simulate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Probe {
    /// A real delivery by smtp(8) with the policy table.
    #[default]
    Smtp,
    /// `posttls-finger -l LEVEL [ARGS] DESTINATION [MATCH…]` (no policy table).
    Finger {
        /// `-l` level.
        level: String,
        /// Trailing match arguments.
        #[serde(default)]
        matches: Vec<String>,
        /// Extra options such as `-d sha1`.
        #[serde(default)]
        args: Vec<String>,
    },
}

/// A complete scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// Postfix version, e.g. `3.7.11` (2.3 – 3.12).
    pub postfix_version: String,
    /// Evaluation time (RFC 3339, UTC) for certificate validity; supplied by the caller
    /// (the engine never reads the clock). Absent: dates are not checked.
    pub evaluated_at: Option<String>,
    /// main.cf text or `postconf -n` output.
    pub main_cf: String,
    /// The tls_policy table text.
    pub policy_table: String,
    /// The transport table text (optional).
    pub transport_table: String,
    /// Recipient address or domain, or an explicit next-hop (`[host]:port`).
    pub destination: String,
    /// MX records: plain names, `host -t MX` or `dig` output.
    pub mx: String,
    /// Address records per host (optional).
    pub addresses: String,
    /// TLSA records: `dig TLSA` output or `usage selector mtype hex` lines (for DANE).
    pub tlsa: String,
    /// Whether the DNS answers (MX, addresses, TLSA) were DNSSEC-validated, unless listed in
    /// `insecure_names`.
    pub dnssec_validated: bool,
    /// Names whose answers were not DNSSEC-validated (e.g. an MX domain in an unsigned zone).
    pub insecure_names: Vec<String>,
    /// Certificates the servers present.
    pub certificates: Vec<ServedChain>,
    /// Whether the CA store trusts the chain.
    pub ca_trust: CaTrust,
    /// The CAfile contents, with `ca_trust = bundle`.
    pub ca_bundle: String,
    /// Files named by `tafile=` / `smtp_tls_trust_anchor_file`: path → PEM.
    pub trust_anchor_files: BTreeMap<String, String>,
    /// Server behaviour (STARTTLS offered, certificate presented).
    pub servers: Vec<ServerSetting>,
    /// The server's reply to the message (the status line's reason when delivered).
    pub server_reply: String,
    /// smtp(8) delivery or posttls-finger.
    pub probe: Probe,
    /// Structured DNS (replaces `mx` and `addresses` when given).
    pub dns: Option<Dns>,
    /// The file name Postfix prints for the policy table in table errors.
    pub policy_file: String,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            postfix_version: crate::version::DEFAULT_VERSION.to_string(),
            evaluated_at: None,
            main_cf: String::new(),
            policy_table: String::new(),
            transport_table: String::new(),
            destination: String::new(),
            mx: String::new(),
            addresses: String::new(),
            tlsa: String::new(),
            dnssec_validated: true,
            insecure_names: Vec::new(),
            certificates: Vec::new(),
            ca_trust: CaTrust::Unknown,
            ca_bundle: String::new(),
            trust_anchor_files: BTreeMap::new(),
            servers: Vec::new(),
            server_reply: "250 2.0.0 Ok: queued as QUEUEID".to_string(),
            probe: Probe::Smtp,
            dns: None,
            policy_file: String::new(),
        }
    }
}

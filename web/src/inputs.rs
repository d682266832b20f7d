//! What the page edits: the text inputs of a [`Scenario`], and the rest of the scenario carried
//! through untouched.
//!
//! The page keeps `Inputs` (plain data, sent to the worker with `crate::wire`) instead of the engine's
//! `Scenario`, whose `probe` and `dns` fields need a self-describing format. The fields the page
//! has no pane for (trust-anchor files, server behaviour, posttls-finger, structured DNS, the
//! server reply, the policy file name) travel in `rest` as JSON the page never reads; only the
//! worker converts between the two.

use peername_engine::scenario::{CaTrust, Probe, Scenario, ServedChain, ServerSetting};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The scenario as the page edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inputs {
    /// Postfix version.
    pub postfix_version: String,
    /// Evaluation time (RFC 3339), or none: dates are not checked.
    pub evaluated_at: Option<String>,
    /// main.cf or `postconf -n`.
    pub main_cf: String,
    /// The tls_policy table.
    pub policy_table: String,
    /// The transport table.
    pub transport_table: String,
    /// Recipient or next-hop.
    pub destination: String,
    /// MX records.
    pub mx: String,
    /// Address records.
    pub addresses: String,
    /// TLSA records.
    pub tlsa: String,
    /// DNS answers were DNSSEC-validated.
    pub dnssec_validated: bool,
    /// Names whose answers were not validated.
    pub insecure_names: Vec<String>,
    /// Certificates per server.
    pub certificates: Vec<ServedChain>,
    /// Whether the CA store trusts the chain.
    pub ca_trust: CaTrust,
    /// CA bundle text.
    pub ca_bundle: String,
    /// The other scenario fields as JSON (empty: their defaults).
    pub rest: String,
}

impl Default for Inputs {
    fn default() -> Self {
        let s = Scenario::default();
        Inputs {
            postfix_version: s.postfix_version,
            evaluated_at: s.evaluated_at,
            main_cf: s.main_cf,
            policy_table: s.policy_table,
            transport_table: s.transport_table,
            destination: s.destination,
            mx: s.mx,
            addresses: s.addresses,
            tlsa: s.tlsa,
            dnssec_validated: s.dnssec_validated,
            insecure_names: s.insecure_names,
            certificates: s.certificates,
            ca_trust: s.ca_trust,
            ca_bundle: s.ca_bundle,
            rest: String::new(),
        }
    }
}

/// The scenario fields the page has no pane for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Rest {
    trust_anchor_files: BTreeMap<String, String>,
    servers: Vec<ServerSetting>,
    server_reply: String,
    probe: Probe,
    dns: Option<peername_engine::dns::Dns>,
    policy_file: String,
}

impl Default for Rest {
    fn default() -> Self {
        let s = Scenario::default();
        Rest { trust_anchor_files: s.trust_anchor_files, servers: s.servers, server_reply: s.server_reply, probe: s.probe, dns: s.dns, policy_file: s.policy_file }
    }
}

impl Inputs {
    /// The page's copy of `s`.
    pub fn from_scenario(s: &Scenario) -> Inputs {
        let rest = Rest {
            trust_anchor_files: s.trust_anchor_files.clone(),
            servers: s.servers.clone(),
            server_reply: s.server_reply.clone(),
            probe: s.probe.clone(),
            dns: s.dns.clone(),
            policy_file: s.policy_file.clone(),
        };
        let rest = if rest == Rest::default() { String::new() } else { serde_json::to_string(&rest).unwrap_or_default() };
        Inputs {
            postfix_version: s.postfix_version.clone(),
            evaluated_at: s.evaluated_at.clone(),
            main_cf: s.main_cf.clone(),
            policy_table: s.policy_table.clone(),
            transport_table: s.transport_table.clone(),
            destination: s.destination.clone(),
            mx: s.mx.clone(),
            addresses: s.addresses.clone(),
            tlsa: s.tlsa.clone(),
            dnssec_validated: s.dnssec_validated,
            insecure_names: s.insecure_names.clone(),
            certificates: s.certificates.clone(),
            ca_trust: s.ca_trust,
            ca_bundle: s.ca_bundle.clone(),
            rest,
        }
    }

    /// The engine's scenario (an unreadable `rest` counts as empty).
    pub fn to_scenario(&self) -> Scenario {
        let rest: Rest = if self.rest.is_empty() { Rest::default() } else { serde_json::from_str(&self.rest).unwrap_or_default() };
        Scenario {
            postfix_version: self.postfix_version.clone(),
            evaluated_at: self.evaluated_at.clone(),
            main_cf: self.main_cf.clone(),
            policy_table: self.policy_table.clone(),
            transport_table: self.transport_table.clone(),
            destination: self.destination.clone(),
            mx: self.mx.clone(),
            addresses: self.addresses.clone(),
            tlsa: self.tlsa.clone(),
            dnssec_validated: self.dnssec_validated,
            insecure_names: self.insecure_names.clone(),
            certificates: self.certificates.clone(),
            ca_trust: self.ca_trust,
            ca_bundle: self.ca_bundle.clone(),
            trust_anchor_files: rest.trust_anchor_files,
            servers: rest.servers,
            server_reply: rest.server_reply,
            probe: rest.probe,
            dns: rest.dns,
            policy_file: rest.policy_file,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_round_trip_through_inputs_and_bytes() {
        let mut s: Scenario = serde_json::from_str(crate::examples::json("fastmail").unwrap()).unwrap();
        let inputs = Inputs::from_scenario(&s);
        assert!(inputs.rest.is_empty(), "defaults travel as nothing");
        let back: Inputs = crate::wire::decode(&crate::wire::encode(&inputs)).unwrap();
        assert_eq!(back.to_scenario(), s);

        s.probe = Probe::Finger { level: "secure".into(), matches: vec!["nexthop".into()], args: vec![] };
        s.trust_anchor_files.insert("/etc/postfix/ta.pem".into(), "PEM".into());
        s.server_reply = "250 2.0.0 Ok".into();
        let inputs = Inputs::from_scenario(&s);
        assert!(!inputs.rest.is_empty());
        let back: Inputs = crate::wire::decode(&crate::wire::encode(&inputs)).unwrap();
        assert_eq!(back.to_scenario(), s);
    }

    #[test]
    fn an_unreadable_rest_falls_back_to_the_defaults() {
        let inputs = Inputs { rest: "{not json".into(), ..Inputs::default() };
        assert_eq!(inputs.to_scenario(), Scenario::default());
    }
}

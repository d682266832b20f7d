//! The DNS answers the scenario provides. The page cannot query DNS, so MX and address records
//! come from what the user pasted; the oracle replay gives the complete zone.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One MX record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxEntry {
    /// Preference (lower is tried first).
    pub pref: u16,
    /// Exchange host name, without a trailing dot.
    pub host: String,
}

/// The DNS data of a scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dns {
    /// MX records by owner domain (lower case).
    pub mx: BTreeMap<String, Vec<MxEntry>>,
    /// MX records pasted without an owner name: they answer the first MX lookup.
    pub unowned_mx: Vec<MxEntry>,
    /// Address records by host (lower case).
    pub addresses: BTreeMap<String, Vec<String>>,
    /// When true, names not listed do not exist (NXDOMAIN); when false they are assumed to
    /// exist with unknown addresses.
    pub complete: bool,
    /// TLSA RRsets by owner name (`_25._tcp.mx.example.com`), presentation form
    /// (`usage selector mtype hex`).
    #[serde(default)]
    pub tlsa: BTreeMap<String, Vec<String>>,
    /// What the validating resolver said per `NAME TYPE` (e.g. `example.com MX`): the AD bit
    /// and the rcode. Names not listed are `default_secure`.
    #[serde(default)]
    pub dnssec: BTreeMap<String, DnssecStatus>,
    /// Whether answers not listed in `dnssec` are DNSSEC-validated.
    #[serde(default)]
    pub default_secure: bool,
    /// TLSA records pasted without an owner name: they answer for every host.
    #[serde(default)]
    pub unowned_tlsa: Vec<String>,
}

/// One resolver answer's DNSSEC status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnssecStatus {
    /// The AD bit: validated.
    pub ad: bool,
    /// `NOERROR`, `NXDOMAIN`, `SERVFAIL` (bogus data gives SERVFAIL).
    pub rcode: String,
}

/// The answer to a TLSA query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TlsaAnswer {
    /// Validated records (presentation form).
    Records {
        /// The records.
        records: Vec<String>,
    },
    /// No records, or not DNSSEC-validated (Postfix ignores insecure TLSA).
    NotFound,
    /// The lookup failed (SERVFAIL: bogus or unreachable).
    Error,
}

/// The answer to an MX query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MxAnswer {
    /// MX records, in preference order (stable for equal preferences).
    Records {
        /// The records.
        records: Vec<MxEntry>,
        /// Whether they were pasted without an owner name.
        unowned: bool,
    },
    /// No MX records: the domain itself is the mail host (implicit MX).
    NoRecords,
    /// The domain does not exist.
    NxDomain,
}

/// The answer to an address query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AddressAnswer {
    /// Known addresses.
    Addresses {
        /// The addresses.
        addresses: Vec<String>,
    },
    /// Not given by the user: assumed to resolve to an unknown address.
    Unknown,
    /// The host does not exist.
    NxDomain,
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_lowercase()
}

/// The records of an RRset as a resolver answers them: each record once (an RRset is a set; a
/// name server drops a record written twice), in the order first written. Records compare by
/// their fields and data, whatever the case and spacing of the hex.
fn distinct_records(records: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    records
        .iter()
        .filter(|r| {
            let mut fields = r.split_ascii_whitespace();
            let head: Vec<&str> = fields.by_ref().take(3).collect();
            let data: String = fields.collect::<String>().to_ascii_uppercase();
            seen.insert((head.join(" "), data))
        })
        .cloned()
        .collect()
}

impl Dns {
    /// Records the resolver's answer status for `name` of `rtype` (e.g. `MX`, `A`, `TLSA`).
    pub fn set_dnssec(&mut self, name: &str, rtype: &str, status: DnssecStatus) {
        self.dnssec.insert(format!("{} {}", key(name), rtype.to_ascii_uppercase()), status);
    }

    /// Whether the answer for `name` of `rtype` was DNSSEC-validated.
    pub fn secure(&self, name: &str, rtype: &str) -> bool {
        self.dnssec.get(&format!("{} {rtype}", key(name))).map(|s| s.ad).unwrap_or(self.default_secure)
    }

    /// TLSA lookup at `_PORT._tcp.HOST`.
    pub fn tlsa_lookup(&self, host: &str, port: u16) -> TlsaAnswer {
        let owner = format!("_{port}._tcp.{}", key(host));
        let status = self.dnssec.get(&format!("{owner} TLSA"));
        if status.is_some_and(|s| s.rcode.eq_ignore_ascii_case("SERVFAIL")) {
            return TlsaAnswer::Error;
        }
        let secure = status.map(|s| s.ad).unwrap_or(self.default_secure);
        let records = self.tlsa.get(&owner).filter(|r| !r.is_empty()).or((!self.unowned_tlsa.is_empty()).then_some(&self.unowned_tlsa));
        match records {
            Some(records) if secure => TlsaAnswer::Records { records: distinct_records(records) },
            _ => TlsaAnswer::NotFound,
        }
    }

    /// MX lookup for `domain`.
    pub fn mx_lookup(&self, domain: &str) -> MxAnswer {
        let sorted = |v: &[MxEntry]| {
            let mut r = v.to_vec();
            r.sort_by_key(|e| e.pref);
            r
        };
        if let Some(records) = self.mx.get(&key(domain)) {
            return MxAnswer::Records { records: sorted(records), unowned: false };
        }
        if !self.unowned_mx.is_empty() {
            return MxAnswer::Records { records: sorted(&self.unowned_mx), unowned: true };
        }
        if self.complete && !self.addresses.contains_key(&key(domain)) {
            return MxAnswer::NxDomain;
        }
        MxAnswer::NoRecords
    }

    /// Address lookup for `host`.
    pub fn address_lookup(&self, host: &str) -> AddressAnswer {
        if let Ok(ip) = host.parse::<std::net::IpAddr>() {
            return AddressAnswer::Addresses { addresses: vec![ip.to_string()] };
        }
        match self.addresses.get(&key(host)) {
            Some(a) if !a.is_empty() => AddressAnswer::Addresses { addresses: a.clone() },
            _ if self.complete => AddressAnswer::NxDomain,
            _ => AddressAnswer::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_sort_by_preference_and_respect_completeness() {
        let mut dns = Dns::default();
        dns.mx.insert("example.org".into(), vec![MxEntry { pref: 30, host: "c".into() }, MxEntry { pref: 10, host: "a".into() }]);
        match dns.mx_lookup("Example.ORG.") {
            MxAnswer::Records { records, .. } => assert_eq!(records[0].host, "a"),
            other => panic!("{other:?}"),
        }
        assert_eq!(dns.mx_lookup("other.example"), MxAnswer::NoRecords);
        assert_eq!(dns.address_lookup("a"), AddressAnswer::Unknown);
        dns.complete = true;
        assert_eq!(dns.mx_lookup("other.example"), MxAnswer::NxDomain);
        assert_eq!(dns.address_lookup("a"), AddressAnswer::NxDomain);
        assert_eq!(dns.address_lookup("127.0.0.2"), AddressAnswer::Addresses { addresses: vec!["127.0.0.2".into()] });
    }

    #[test]
    fn a_tlsa_record_written_twice_is_answered_once() {
        // Recorded from 3.5.27, 3.7.11 and 3.11.6 (oracle-dane-extra2, rdf50-12): one warning
        // for a record that the zone held twice.
        let mut dns = Dns { default_secure: true, ..Dns::default() };
        dns.tlsa.insert("_25._tcp.mx.example.com".into(), vec!["3 1 1 abcd".into(), "3 1 1 AB CD".into(), "2 1 1 ABCD".into()]);
        assert_eq!(dns.tlsa_lookup("mx.example.com", 25), TlsaAnswer::Records { records: vec!["3 1 1 abcd".into(), "2 1 1 ABCD".into()] });
    }
}

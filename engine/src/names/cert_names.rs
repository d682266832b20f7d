//! The names in a certificate that name matching looks at, independent of how the
//! certificate was parsed (so matchers can be tested on names alone).

use serde::{Deserialize, Serialize};

/// One dNSName subjectAltName.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsName {
    /// The name as text (lossy for invalid UTF-8).
    pub text: String,
    /// The raw IA5String bytes.
    pub bytes: Vec<u8>,
}

impl DnsName {
    /// A name from text (tests, hand-typed names).
    pub fn new(text: &str) -> Self {
        DnsName { text: text.to_string(), bytes: text.as_bytes().to_vec() }
    }

    /// Whether the bytes contain a NUL (such a name never matches).
    pub fn has_nul(&self) -> bool {
        self.bytes.contains(&0)
    }
}

/// Where a certificate name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    /// subjectAltName dNSName.
    DnsSan,
    /// subjectAltName iPAddress.
    IpSan,
    /// Subject commonName.
    CommonName,
}

/// The names of one (leaf) certificate, in certificate order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertNames {
    /// dNSName SANs in order.
    pub dns: Vec<DnsName>,
    /// iPAddress SANs as raw bytes (4 or 16), in order.
    pub ips: Vec<Vec<u8>>,
    /// iPAddress SANs as text, parallel to `ips`.
    pub ip_texts: Vec<String>,
    /// Every subject CN in DN order.
    pub cns: Vec<String>,
}

impl CertNames {
    /// Whether any dNSName SAN is present (then the CN is ignored).
    pub fn has_dns_san(&self) -> bool {
        !self.dns.is_empty()
    }

    /// Names from text, for tests and hand-typed scenarios.
    pub fn from_texts(dns: &[&str], ips: &[&str], cns: &[&str]) -> Self {
        let parsed: Vec<std::net::IpAddr> = ips.iter().filter_map(|t| t.parse().ok()).collect();
        CertNames {
            dns: dns.iter().map(|d| DnsName::new(d)).collect(),
            ips: parsed.iter().map(super::hostname::ip_bytes).collect(),
            ip_texts: parsed.iter().map(|ip| ip.to_string()).collect(),
            cns: cns.iter().map(|c| c.to_string()).collect(),
        }
    }

    /// The names of a parsed certificate.
    pub fn of(cert: &crate::cert::Certificate) -> Self {
        CertNames {
            dns: cert.dns_sans.iter().map(|s| DnsName { text: s.name.clone(), bytes: s.raw.clone() }).collect(),
            ips: cert.ip_sans.iter().map(|s| s.bytes.clone()).collect(),
            ip_texts: cert.ip_sans.iter().map(|s| s.text.clone()).collect(),
            cns: cert.subject_cns.clone(),
        }
    }
}

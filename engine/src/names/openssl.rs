//! Name matching as OpenSSL's `X509_check_host()` / `X509_check_ip()` do it for Postfix 3.6+
//! (`SSL_set_hostflags(NO_PARTIAL_WILDCARDS)`, spec §5.1).
//!
//! - dNSName SANs are compared in certificate order; only when there is no dNSName SAN is the
//!   subject CN used, and then every CN.
//! - A certificate name is a wildcard only when `*` is its whole leftmost, non-IDNA label and
//!   the name has at least two dots; `*` then stands for exactly one LDH label.
//! - A reference that starts with `.` disables wildcards: the certificate name's leading
//!   characters are dropped until the lengths agree, then the rest is compared.
//! - An IP reference is compared with iPAddress SANs only.

use super::cert_names::{CertNames, NameSource};
use super::reference::{ReferenceId, ReferenceKind};
use serde::{Deserialize, Serialize};

/// Why one comparison came out the way it did (stable codes for renderers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Same name, ignoring ASCII case.
    ExactMatch,
    /// Different names.
    ExactMismatch,
    /// Differ only by a trailing dot, which is never ignored.
    TrailingDotMismatch,
    /// `*` covered exactly one label.
    WildcardOneLabel,
    /// `*` would have to cover zero or several labels, or characters outside `[A-Za-z0-9-]`.
    WildcardLabelMismatch,
    /// The suffix after `*.` differs.
    WildcardSuffixMismatch,
    /// `*` is not a valid wildcard here (partial label, fewer than two dots, IDNA label…):
    /// the name is compared literally.
    WildcardInvalidLiteral,
    /// `*` covered one or more labels (≤3.5 multi-label wildcards).
    WildcardMultiLabel,
    /// A `.domain` reference matched the name's equal-length suffix.
    SuffixMatch,
    /// A `.domain` reference: the name is not longer than the reference, so it cannot be a
    /// subdomain (a bare `domain` never matches `.domain`).
    SuffixTooShort,
    /// A `.domain` reference: the suffix differs.
    SuffixMismatch,
    /// The certificate name holds a NUL byte: never matches.
    NulInName,
    /// Not ASCII: never matches (≤3.5 checks this; OpenSSL compares bytes).
    NonAscii,
    /// The CN is not consulted because the certificate has a dNSName SAN.
    CnIgnoredDnsSanPresent,
    /// Only the first CN is consulted (≤3.5).
    CnIgnoredNotFirst,
    /// An IP reference is never compared with DNS names or CNs.
    IpReferenceSkipsDnsNames,
    /// A DNS reference is never compared with iPAddress SANs.
    DnsReferenceSkipsIpSans,
    /// Same IP address.
    IpMatch,
    /// Different IP address.
    IpMismatch,
    /// The name was rejected before matching (≤3.5 `tls_dns_name()`: non-printable, bad type).
    RejectedName,
}

impl Rule {
    /// The rule in a few English words (renderers translate by the serialized code).
    pub fn describe(self) -> &'static str {
        match self {
            Rule::ExactMatch => "same name (case ignored)",
            Rule::ExactMismatch => "different name",
            Rule::TrailingDotMismatch => "differs only by a trailing dot, which is never ignored",
            Rule::WildcardOneLabel => "* covers exactly one label",
            Rule::WildcardLabelMismatch => "* must cover exactly one label (not zero, not several, only letters, digits and -)",
            Rule::WildcardSuffixMismatch => "the part after *. differs",
            Rule::WildcardInvalidLiteral => "not a valid wildcard here, compared literally",
            Rule::WildcardMultiLabel => "* covers several labels (≤3.5 default)",
            Rule::SuffixMatch => ".domain reference: name ends in .domain",
            Rule::SuffixTooShort => ".domain reference needs at least one label in front",
            Rule::SuffixMismatch => ".domain reference: different suffix",
            Rule::NulInName => "name contains a NUL byte",
            Rule::NonAscii => "non-ASCII certificate name never matches (≤3.5)",
            Rule::CnIgnoredDnsSanPresent => "CN ignored: the certificate has DNS names",
            Rule::CnIgnoredNotFirst => "only the first CN is used (≤3.5)",
            Rule::IpReferenceSkipsDnsNames => "an IP reference is compared with IP addresses only",
            Rule::DnsReferenceSkipsIpSans => "a DNS reference is not compared with IP addresses",
            Rule::IpMatch => "same IP address",
            Rule::IpMismatch => "different IP address",
            Rule::RejectedName => "name rejected before matching (not printable ASCII)",
        }
    }

    /// Whether the rule means "matched".
    pub fn matched(self) -> bool {
        matches!(self, Rule::ExactMatch | Rule::WildcardOneLabel | Rule::WildcardMultiLabel | Rule::SuffixMatch | Rule::IpMatch)
    }
}

/// One cell of the reference × certificate-name grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// Index of the reference identifier.
    pub reference: usize,
    /// The certificate name as text.
    pub cert_name: String,
    /// Where the certificate name comes from.
    pub source: NameSource,
    /// The rule that decided it.
    pub rule: Rule,
    /// Whether this comparison was actually made by the matcher (false: shown for
    /// completeness, e.g. names after the first match, or CNs that were ignored).
    pub evaluated: bool,
}

impl Comparison {
    /// Whether it matched.
    pub fn matched(&self) -> bool {
        self.rule.matched()
    }
}

/// The outcome of name checks on one certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameCheck {
    /// Every comparison, reference by reference, name by name.
    pub comparisons: Vec<Comparison>,
    /// Whether the DNS references (if any) matched.
    pub host_ok: bool,
    /// Whether the IP reference (if any) matched.
    pub ip_ok: bool,
    /// Whether there was a DNS reference.
    pub has_host_refs: bool,
    /// Whether there was an IP reference.
    pub has_ip_ref: bool,
    /// The certificate name OpenSSL reports as the peername (first match).
    pub peername: Option<String>,
}

impl NameCheck {
    /// Overall: both the host check and the IP check pass (OpenSSL ANDs them).
    pub fn matched(&self) -> bool {
        self.host_ok && self.ip_ok
    }
}

fn eq_nocase(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x != &0 && x.eq_ignore_ascii_case(y))
}

fn is_ldh(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// `valid_star()` with NO_PARTIAL_WILDCARDS: the offset of a usable `*`, if any.
pub fn valid_star(pattern: &[u8]) -> Option<usize> {
    let mut star = None;
    let mut label_start = true;
    let mut hyphen = false;
    let mut idna = false;
    let mut dots = 0;
    for (i, &c) in pattern.iter().enumerate() {
        if c == b'*' {
            let at_end = i + 1 == pattern.len() || pattern[i + 1] == b'.';
            if star.is_some() || idna || dots > 0 || !label_start || !at_end {
                return None;
            }
            star = Some(i);
            label_start = false;
        } else if c.is_ascii_alphanumeric() {
            if label_start && pattern.len() - i >= 4 && pattern[i..i + 4].eq_ignore_ascii_case(b"xn--") {
                idna = true;
            }
            label_start = false;
            hyphen = false;
        } else if c == b'.' {
            if hyphen || label_start {
                return None;
            }
            label_start = true;
            dots += 1;
        } else if c == b'-' {
            if label_start {
                return None;
            }
            hyphen = true;
        } else {
            return None;
        }
    }
    if label_start || hyphen || dots < 2 {
        return None;
    }
    star
}

/// Compares one certificate name (`pattern`) with one DNS reference (`subject`).
pub fn compare_dns(cert_name: &[u8], reference: &str) -> Rule {
    let subject = reference.as_bytes();
    if cert_name.contains(&0) {
        return Rule::NulInName;
    }
    if subject.len() > 1 && subject[0] == b'.' {
        // Sub-domain pattern: skip_prefix() then an equal-length comparison.
        if cert_name.len() < subject.len() {
            return Rule::SuffixTooShort;
        }
        let tail = &cert_name[cert_name.len() - subject.len()..];
        return if eq_nocase(tail, subject) {
            if cert_name.len() == subject.len() {
                Rule::ExactMatch
            } else {
                Rule::SuffixMatch
            }
        } else if cert_name.len() == subject.len() {
            Rule::ExactMismatch
        } else {
            Rule::SuffixMismatch
        };
    }
    let Some(star) = valid_star(cert_name) else {
        if eq_nocase(cert_name, subject) {
            return Rule::ExactMatch;
        }
        if cert_name.contains(&b'*') {
            return Rule::WildcardInvalidLiteral;
        }
        return trailing_dot_or_mismatch(cert_name, subject);
    };
    let suffix = &cert_name[star + 1..];
    if subject.len() < suffix.len() + 1 {
        return if subject.len() == suffix.len().saturating_sub(1) && eq_nocase(&suffix[1..], subject) {
            Rule::WildcardLabelMismatch
        } else {
            Rule::WildcardSuffixMismatch
        };
    }
    let wild_end = subject.len() - suffix.len();
    if !eq_nocase(&subject[wild_end..], suffix) {
        return Rule::WildcardSuffixMismatch;
    }
    let covered = &subject[..wild_end];
    if covered == b"*" || covered.iter().all(|&c| is_ldh(c)) {
        Rule::WildcardOneLabel
    } else {
        Rule::WildcardLabelMismatch
    }
}

/// Names that differ only by a trailing dot get their own rule (it is a common surprise).
fn trailing_dot_or_mismatch(a: &[u8], b: &[u8]) -> Rule {
    let strip = |s: &[u8]| s.strip_suffix(b".").map(<[u8]>::to_vec).unwrap_or_else(|| s.to_vec());
    if a.ends_with(b".") != b.ends_with(b".") && eq_nocase(&strip(a), &strip(b)) {
        Rule::TrailingDotMismatch
    } else {
        Rule::ExactMismatch
    }
}

/// Runs `check_hosts()` then `X509_check_ip()` over all references, recording every cell.
pub fn check(refs: &[ReferenceId], names: &CertNames) -> NameCheck {
    let mut out = NameCheck::default();
    let dns_refs: Vec<usize> = refs.iter().enumerate().filter(|(_, r)| r.kind == ReferenceKind::Dns).map(|(i, _)| i).collect();
    let ip_ref = refs.iter().position(|r| matches!(r.kind, ReferenceKind::Ip { .. }));
    out.has_host_refs = !dns_refs.is_empty();
    out.has_ip_ref = ip_ref.is_some();
    out.host_ok = dns_refs.is_empty();
    out.ip_ok = ip_ref.is_none();

    for &ri in &dns_refs {
        let reference = &refs[ri].name;
        let use_cn = !names.has_dns_san();
        for dns in &names.dns {
            let rule = compare_dns(&dns.bytes, reference);
            let evaluated = !out.host_ok;
            if evaluated && rule.matched() {
                out.host_ok = true;
                out.peername = Some(dns.text.clone());
            }
            out.comparisons.push(Comparison { reference: ri, cert_name: dns.text.clone(), source: NameSource::DnsSan, rule, evaluated });
        }
        for cn in &names.cns {
            let (rule, evaluated) = if use_cn {
                (compare_dns(cn.as_bytes(), reference), !out.host_ok)
            } else {
                (Rule::CnIgnoredDnsSanPresent, false)
            };
            if evaluated && rule.matched() {
                out.host_ok = true;
                out.peername = Some(cn.clone());
            }
            out.comparisons.push(Comparison { reference: ri, cert_name: cn.clone(), source: NameSource::CommonName, rule, evaluated });
        }
        for ip in &names.ip_texts {
            out.comparisons.push(Comparison { reference: ri, cert_name: ip.clone(), source: NameSource::IpSan, rule: Rule::DnsReferenceSkipsIpSans, evaluated: false });
        }
    }
    if let Some(ri) = ip_ref {
        if let ReferenceKind::Ip { bytes } = &refs[ri].kind {
            for (ip, text) in names.ips.iter().zip(&names.ip_texts) {
                let rule = if ip == bytes { Rule::IpMatch } else { Rule::IpMismatch };
                let evaluated = !out.ip_ok;
                if evaluated && rule.matched() {
                    out.ip_ok = true;
                }
                out.comparisons.push(Comparison { reference: ri, cert_name: text.clone(), source: NameSource::IpSan, rule, evaluated });
            }
            for dns in &names.dns {
                out.comparisons.push(Comparison { reference: ri, cert_name: dns.text.clone(), source: NameSource::DnsSan, rule: Rule::IpReferenceSkipsDnsNames, evaluated: false });
            }
            for cn in &names.cns {
                out.comparisons.push(Comparison { reference: ri, cert_name: cn.clone(), source: NameSource::CommonName, rule: Rule::IpReferenceSkipsDnsNames, evaluated: false });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::reference::{expand, ExpansionContext};
    use super::*;

    fn matches(cert: &str, reference: &str) -> bool {
        compare_dns(cert.as_bytes(), reference).matched()
    }

    #[test]
    fn spec_matrix_openssl_column() {
        assert!(matches("*.messagingengine.com", "in1-smtp.messagingengine.com"));
        assert!(matches("*.messagingengine.com", ".messagingengine.com"));
        assert!(matches("messagingengine.com", "MESSAGINGENGINE.COM"));
        assert!(!matches("*.messagingengine.com", "a.b.messagingengine.com"));
        assert!(!matches("*.messagingengine.com", "fastmail.fm"));
        assert!(!matches("*.messagingengine.com", ".fastmail.fm"));
        assert!(!matches("messagingengine.com", "messagingengine.com."));
        assert!(!matches("*.example.com", "example.com"));
        assert!(!matches("*.example.com", "a_b.example.com"));
        assert!(!matches("*.com", "example.com"));
        assert!(matches("*.com", "*.com"));
        assert!(!matches("f*.example.com", "foo.example.com"));
        assert!(!matches("example.com", ".example.com"));
        assert!(!matches("mail.example.com.", "mail.example.com"));
        assert!(matches("MAIL.Example.COM", "mail.example.com"));
        assert!(matches("*.xn--bcher-kva.example", "a.xn--bcher-kva.example"));
        assert!(!matches("xn--*.example.com", "xn--a.example.com"));
    }

    #[test]
    fn rules_explain_the_failures() {
        assert_eq!(compare_dns(b"*.example.com", "a.b.example.com"), Rule::WildcardLabelMismatch);
        assert_eq!(compare_dns(b"*.example.com", "example.com"), Rule::WildcardLabelMismatch);
        assert_eq!(compare_dns(b"example.com", ".example.com"), Rule::SuffixTooShort);
        assert_eq!(compare_dns(b"example.com.", "example.com"), Rule::TrailingDotMismatch);
        assert_eq!(compare_dns(b"f*.example.com", "foo.example.com"), Rule::WildcardInvalidLiteral);
        assert_eq!(compare_dns(b"a\0b.example.com", "a"), Rule::NulInName);
    }

    #[test]
    fn cn_only_when_no_dns_san_and_every_cn() {
        let refs = expand(&["mail.example.com".to_string()], &ExpansionContext { nexthop: "x", hostname: "y", openssl: true });
        let two_cns = CertNames::from_texts(&[], &[], &["foo.example.com", "mail.example.com"]);
        let r = check(&refs, &two_cns);
        assert!(r.matched());
        assert_eq!(r.peername.as_deref(), Some("mail.example.com"));
        let masked = CertNames::from_texts(&["other.example.com"], &[], &["mail.example.com"]);
        assert!(!check(&refs, &masked).matched());
        let ip_only = CertNames::from_texts(&[], &["192.0.2.1"], &["mail.example.com"]);
        assert!(check(&refs, &ip_only).matched());
    }

    #[test]
    fn ip_and_dns_references_are_anded() {
        let ctx = ExpansionContext { nexthop: "192.0.2.1", hostname: "192.0.2.1", openssl: true };
        let cert = CertNames::from_texts(&["mail.example.com"], &["192.0.2.1"], &[]);
        let only_ip = expand(&["hostname".to_string()], &ctx);
        assert!(check(&only_ip, &cert).matched());
        let secure_default = expand(&["nexthop".to_string(), "dot-nexthop".to_string()], &ctx);
        let r = check(&secure_default, &cert);
        assert!(r.ip_ok && !r.host_ok);
        let wrong_ip = expand(&["192.0.2.2".to_string(), "mail.example.com".to_string()], &ctx);
        let r = check(&wrong_ip, &cert);
        assert!(r.host_ok && !r.ip_ok);
    }

    #[test]
    fn first_reference_in_order_names_the_peer() {
        let ctx = ExpansionContext { nexthop: "fastmail.fm", hostname: "in1-smtp.messagingengine.com", openssl: true };
        let refs = expand(&["nexthop".to_string(), ".messagingengine.com".to_string()], &ctx);
        let cert = CertNames::from_texts(&["*.messagingengine.com", "messagingengine.com", "mail.messagingengine.com"], &[], &["*.messagingengine.com"]);
        let r = check(&refs, &cert);
        assert!(r.matched());
        assert_eq!(r.peername.as_deref(), Some("*.messagingengine.com"));
    }
}

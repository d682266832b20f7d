//! Name matching as Postfix ≤3.5 does it itself (`verify_extract_name()` and
//! `match_servername()` in `tls_client.c`, spec §5.2).
//!
//! - Every dNSName SAN is tried, in order; the CN (the **first** CN only) is used only when the
//!   certificate has no dNSName SAN at all.
//! - `*.` at the start of a certificate name matches one or more labels when
//!   `tls_wildcard_matches_multiple_labels = yes` (the default), and `*.com` is accepted.
//! - A `.domain` reference matches any certificate name that ends in `.domain` with at least
//!   one character in front — including the literal `*.domain`.
//! - Non-ASCII certificate names never match; IP references are compared as text.

use super::cert_names::{CertNames, NameSource};
use super::openssl::{Comparison, NameCheck, Rule};
use super::reference::ReferenceId;
use serde::{Deserialize, Serialize};

/// One `[Matched ]subjectAltName: NAME` / `[Matched ]CommonName NAME` line (3.5 certmatch logging).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertMatchLine {
    /// `host[addr]:port` as logged on this line (filled by the connection).
    #[serde(default)]
    pub peer: String,
    /// `subjectAltName` or `CommonName`.
    pub source: String,
    /// The name as logged.
    pub name: String,
    /// Whether the line says `Matched`.
    pub matched: bool,
}

/// The outcome of the legacy matcher, with what it logs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyCheck {
    /// The grid and the overall result (IP fields unused: ≤3.5 has no IP references).
    pub check: NameCheck,
    /// certmatch log lines, in order.
    pub lines: Vec<CertMatchLine>,
    /// `tls_dns_name:` warnings, without the `NAMADDR: ` part (Postfix inserts it).
    pub warnings: Vec<LegacyWarning>,
    /// The name ≤3.5 keeps as the peer's name and logs as `subject_CN=`: the first DNS SAN
    /// that matched, else the first usable DNS SAN ("" when all are unusable), and only
    /// without DNS SANs the first CommonName (`verify_extract_name()` with certmatch
    /// logging; a connection replaces it with what its own [`Scan`] keeps).
    #[serde(default)]
    pub peer_cn: String,
    /// Every dNSName SAN as `verify_extract_name()` meets it, in certificate order: what any
    /// [`Scan`] of the names logs is derived from these.
    #[serde(default)]
    pub sans: Vec<SanStep>,
    /// The first CommonName (`tls_peer_CN()`; "" without one).
    #[serde(default)]
    pub first_cn: String,
}

/// One dNSName SAN as the ≤3.5 name check meets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SanStep {
    /// `tls_dns_name()` refused it: the warning (without `tls_dns_name: NAMADDR: `).
    pub warning: Option<String>,
    /// The usable, non-empty name.
    pub name: Option<String>,
    /// Whether it matched a reference identifier.
    pub matched: bool,
}

/// How far `verify_extract_name()` goes, which depends on the TLS log mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scan {
    /// `certmatch` logging: every name is checked (and, when logged, listed).
    All,
    /// Without `certmatch`, a trusted chain at a must-trust level not already matched by a
    /// digest: the SANs are checked up to the first match.
    UntilMatch,
    /// Otherwise the names are not looked at: the peer name is the CommonName.
    Nothing,
}

impl Scan {
    /// The scan for a connection: `verify_peername` (trusted, not yet matched, must-trust
    /// level) and whether the `certmatch` bit is in the log mask.
    pub fn of(verify_peername: bool, log_certmatch: bool) -> Scan {
        if log_certmatch {
            Scan::All
        } else if verify_peername {
            Scan::UntilMatch
        } else {
            Scan::Nothing
        }
    }
}

/// One line the name check logs, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NameLogEntry {
    /// `warning: tls_dns_name: NAMADDR: …` (always logged when the check reaches the name).
    Warning(LegacyWarning),
    /// `[Matched ]subjectAltName: …` / `[Matched ]CommonName …` (logged when verbose).
    Line(CertMatchLine),
}

/// What one scan of the names logs and keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameView {
    /// Warnings and lines, interleaved as logged.
    pub entries: Vec<NameLogEntry>,
    /// The peer name logged as `subject_CN=`.
    pub peer_cn: String,
}

impl NameView {
    /// The `[Matched ]…` lines.
    pub fn lines(&self) -> Vec<CertMatchLine> {
        self.entries.iter().filter_map(|e| if let NameLogEntry::Line(l) = e { Some(l.clone()) } else { None }).collect()
    }

    /// The number of warnings.
    pub fn warning_count(&self) -> usize {
        self.entries.iter().filter(|e| matches!(e, NameLogEntry::Warning(_))).count()
    }
}

impl LegacyCheck {
    /// What `verify_extract_name()` logs and keeps for `scan`.
    pub fn view(&self, scan: Scan) -> NameView {
        let mut v = NameView::default();
        if scan == Scan::Nothing {
            v.peer_cn = self.first_cn.clone();
            return v;
        }
        if self.sans.is_empty() {
            let matched = !self.first_cn.is_empty() && self.check.host_ok;
            v.entries.push(NameLogEntry::Line(CertMatchLine { peer: String::new(), source: "CommonName".into(), name: self.first_cn.clone(), matched }));
            v.peer_cn = self.first_cn.clone();
            return v;
        }
        // Postfix replaces its choice when it has none yet, when it is empty, or on the first
        // match; later matches keep the first one.
        let mut peer_cn: Option<String> = None;
        let mut matches = 0;
        for san in &self.sans {
            if let Some(w) = &san.warning {
                v.entries.push(NameLogEntry::Warning(LegacyWarning { text: w.clone() }));
            }
            if let Some(name) = &san.name {
                if san.matched {
                    matches += 1;
                }
                if peer_cn.as_deref().is_some_and(|p| (san.matched && matches == 1) || p.is_empty()) {
                    peer_cn = None;
                }
                v.entries.push(NameLogEntry::Line(CertMatchLine { peer: String::new(), source: "subjectAltName".into(), name: name.clone(), matched: san.matched }));
            }
            if peer_cn.is_none() {
                peer_cn = Some(san.name.clone().unwrap_or_default());
            }
            if matches > 0 && scan == Scan::UntilMatch {
                break;
            }
        }
        // The CommonName a SAN superseded is still logged.
        v.entries.push(NameLogEntry::Line(CertMatchLine { peer: String::new(), source: "CommonName".into(), name: self.first_cn.clone(), matched: false }));
        v.peer_cn = peer_cn.unwrap_or_default();
        v
    }
}

/// A `tls_dns_name()` warning about a rejected SAN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyWarning {
    /// The text after `tls_dns_name: NAMADDR: `.
    pub text: String,
}

/// `match_servername()` for one certificate name against one reference.
pub fn compare(cert_name: &str, reference: &ReferenceId, multi_label: bool) -> Rule {
    if !cert_name.is_ascii() {
        return Rule::NonAscii;
    }
    let id = cert_name.as_bytes();
    if reference.subdomain {
        // Subdomain references are stored as ".domain".
        let domain = reference.name.as_bytes().get(1..).unwrap_or_default();
        if id.len() <= domain.len() + 1 {
            return Rule::SuffixTooShort;
        }
        let cut = id.len() - domain.len();
        return if id[cut - 1] == b'.' && id[cut..].eq_ignore_ascii_case(domain) { Rule::SuffixMatch } else { Rule::SuffixMismatch };
    }
    let domain = reference.name.as_bytes();
    if id.eq_ignore_ascii_case(domain) {
        return Rule::ExactMatch;
    }
    if id.len() > 2 && id.starts_with(b"*.") {
        let Some(dot) = domain.iter().position(|&c| c == b'.') else {
            return Rule::WildcardLabelMismatch;
        };
        let parent = &domain[dot..];
        let tail = &id[1..];
        if tail.len() > parent.len() {
            return Rule::WildcardSuffixMismatch;
        }
        return if multi_label {
            if parent[parent.len() - tail.len()..].eq_ignore_ascii_case(tail) {
                if parent.len() == tail.len() {
                    Rule::WildcardOneLabel
                } else {
                    Rule::WildcardMultiLabel
                }
            } else {
                Rule::WildcardSuffixMismatch
            }
        } else if parent.eq_ignore_ascii_case(tail) {
            Rule::WildcardOneLabel
        } else if parent[parent.len() - tail.len()..].eq_ignore_ascii_case(tail) {
            Rule::WildcardLabelMismatch
        } else {
            Rule::WildcardSuffixMismatch
        };
    }
    let strip = |s: &[u8]| s.strip_suffix(b".").map(<[u8]>::to_vec).unwrap_or_else(|| s.to_vec());
    if id.ends_with(b".") != domain.ends_with(b".") && strip(id).eq_ignore_ascii_case(&strip(domain)) {
        Rule::TrailingDotMismatch
    } else {
        Rule::ExactMismatch
    }
}

/// Whether `name` passes `tls_dns_name()`; otherwise the warning text.
fn dns_name_problem(bytes: &[u8], text: &str) -> Option<String> {
    if bytes.contains(&0) {
        return Some("internal NUL in subjectAltName".to_string());
    }
    if !bytes.is_empty() && !bytes.iter().all(|&c| (0x20..0x7f).contains(&c)) {
        // printable() keeps valid UTF-8 (smtputf8) and replaces control characters.
        let printable: String = text.chars().take(100).map(|c| if c.is_control() { '?' } else { c }).collect();
        return Some(format!("non-printable characters in subjectAltName: {printable}"));
    }
    None
}

/// Runs the ≤3.5 matcher over all certificate names. `lines`, `warnings` and `peer_cn` are
/// what certmatch logging shows ([`Scan::All`], as the oracle recorded); [`LegacyCheck::view`]
/// gives the other scans.
pub fn check(refs: &[ReferenceId], names: &CertNames, multi_label: bool) -> LegacyCheck {
    let mut out = LegacyCheck::default();
    out.check.ip_ok = true;
    out.check.has_host_refs = !refs.is_empty();
    out.first_cn = names.cns.first().cloned().unwrap_or_default();
    let match_one = |out: &mut LegacyCheck, name: &str, source: NameSource| -> bool {
        let mut any = false;
        for (ri, r) in refs.iter().enumerate() {
            let rule = compare(name, r, multi_label);
            let evaluated = !any;
            any |= rule.matched();
            out.check.comparisons.push(Comparison { reference: ri, cert_name: name.to_string(), source, rule, evaluated });
        }
        any
    };
    if names.has_dns_san() {
        for dns in &names.dns {
            if let Some(problem) = dns_name_problem(&dns.bytes, &dns.text) {
                out.sans.push(SanStep { warning: Some(problem), name: None, matched: false });
                for ri in 0..refs.len() {
                    out.check.comparisons.push(Comparison { reference: ri, cert_name: dns.text.clone(), source: NameSource::DnsSan, rule: Rule::RejectedName, evaluated: false });
                }
                continue;
            }
            if dns.text.is_empty() {
                out.sans.push(SanStep { warning: None, name: None, matched: false });
                continue;
            }
            let matched = match_one(&mut out, &dns.text, NameSource::DnsSan);
            if matched && out.check.peername.is_none() {
                out.check.peername = Some(dns.text.clone());
            }
            out.check.host_ok |= matched;
            out.sans.push(SanStep { warning: None, name: Some(dns.text.clone()), matched });
        }
        for cn in &names.cns {
            for ri in 0..refs.len() {
                out.check.comparisons.push(Comparison { reference: ri, cert_name: cn.clone(), source: NameSource::CommonName, rule: Rule::CnIgnoredDnsSanPresent, evaluated: false });
            }
        }
    } else {
        let first_cn = out.first_cn.clone();
        let matched = !first_cn.is_empty() && match_one(&mut out, &first_cn, NameSource::CommonName);
        for cn in names.cns.iter().skip(1) {
            for ri in 0..refs.len() {
                out.check.comparisons.push(Comparison { reference: ri, cert_name: cn.clone(), source: NameSource::CommonName, rule: Rule::CnIgnoredNotFirst, evaluated: false });
            }
        }
        if matched {
            out.check.peername = Some(first_cn);
        }
        out.check.host_ok = matched;
    }
    for ip in &names.ip_texts {
        for ri in 0..refs.len() {
            out.check.comparisons.push(Comparison { reference: ri, cert_name: ip.clone(), source: NameSource::IpSan, rule: Rule::DnsReferenceSkipsIpSans, evaluated: false });
        }
    }
    let all = out.view(Scan::All);
    out.lines = all.lines();
    out.warnings = all.entries.iter().filter_map(|e| if let NameLogEntry::Warning(w) = e { Some(w.clone()) } else { None }).collect();
    out.peer_cn = all.peer_cn;
    out
}

#[cfg(test)]
mod tests {
    use super::super::reference::{expand, ExpansionContext};
    use super::*;

    fn refs(m: &[&str]) -> Vec<ReferenceId> {
        let m: Vec<String> = m.iter().map(|s| s.to_string()).collect();
        expand(&m, &ExpansionContext { nexthop: "fastmail.fm", hostname: "in1-smtp.messagingengine.com", openssl: false })
    }

    fn matches(cert: &str, reference: &str) -> bool {
        compare(cert, &refs(&[reference])[0], true).matched()
    }

    #[test]
    fn spec_matrix_legacy_column() {
        assert!(!matches("*.messagingengine.com", "fastmail.fm"));
        assert!(matches("*.messagingengine.com", "hostname"));
        assert!(matches("*.messagingengine.com", ".messagingengine.com"));
        assert!(matches("*.messagingengine.com", "a.b.messagingengine.com"));
        assert!(!matches("messagingengine.com", "messagingengine.com."));
        assert!(!matches("*.example.com", "example.com"));
        assert!(matches("*.example.com", "a_b.example.com"));
        assert!(matches("*.com", "example.com"));
        assert!(!matches("f*.example.com", "foo.example.com"));
        assert!(!matches("example.com", ".example.com"));
        assert!(!matches("bücher.example", "bücher.example"));
    }

    #[test]
    fn one_label_only_when_multi_label_is_off() {
        let r = &refs(&["a.b.example.com"])[0];
        assert!(!compare("*.example.com", r, false).matched());
        assert!(compare("*.b.example.com", r, false).matched());
    }

    #[test]
    fn first_cn_only() {
        let names = CertNames::from_texts(&[], &[], &["foo.example.com", "mail.example.com"]);
        let r = check(&refs(&["mail.example.com"]), &names, true);
        assert!(!r.check.matched());
        assert_eq!(r.lines, vec![CertMatchLine { peer: String::new(), source: "CommonName".into(), name: "foo.example.com".into(), matched: false }]);
    }

    #[test]
    fn without_certmatch_the_scan_stops_at_the_first_match() {
        let mut names = CertNames::from_texts(&["a.example.net", "mail.example.com", "b.example.net"], &[], &["cn.example.org"]);
        names.dns.insert(0, super::super::cert_names::DnsName { text: "bad\u{1}".into(), bytes: b"bad\x01".to_vec() });
        names.dns.push(super::super::cert_names::DnsName { text: "late\u{1}".into(), bytes: b"late\x01".to_vec() });
        let r = check(&refs(&["mail.example.com"]), &names, true);
        // certmatch: every name, both warnings, the superseded CN.
        let all = r.view(Scan::All);
        assert_eq!(all.warning_count(), 2);
        assert_eq!(all.lines().len(), 4);
        assert_eq!(all.peer_cn, "mail.example.com");
        assert_eq!(all.lines(), r.lines);
        // Verification without certmatch: up to the match (the later bad name is never
        // reached, so never warned about), then the superseded CN.
        let until = r.view(Scan::UntilMatch);
        let names_seen: Vec<String> = until.lines().iter().map(|l| l.name.clone()).collect();
        assert_eq!(names_seen, ["a.example.net", "mail.example.com", "cn.example.org"]);
        assert_eq!(until.warning_count(), 1);
        assert!(matches!(&until.entries[0], NameLogEntry::Warning(w) if w.text.contains("bad?")));
        assert_eq!(until.peer_cn, "mail.example.com");
        // No verification and no certmatch: the names are not looked at.
        let nothing = r.view(Scan::Nothing);
        assert!(nothing.entries.is_empty());
        assert_eq!(nothing.peer_cn, "cn.example.org");
        assert_eq!(Scan::of(true, false), Scan::UntilMatch);
        assert_eq!(Scan::of(false, true), Scan::All);
        assert_eq!(Scan::of(false, false), Scan::Nothing);
    }

    #[test]
    fn without_a_match_the_short_scan_sees_every_name() {
        let names = CertNames::from_texts(&["a.example.net", "b.example.net"], &[], &["c.example.net"]);
        let r = check(&refs(&["mail.example.com"]), &names, true);
        assert_eq!(r.view(Scan::UntilMatch), r.view(Scan::All));
        assert_eq!(r.view(Scan::All).peer_cn, "a.example.net");
    }

    #[test]
    fn every_san_is_logged_then_the_cn() {
        let names = CertNames::from_texts(&["*.messagingengine.com", "messagingengine.com"], &[], &["*.messagingengine.com"]);
        let r = check(&refs(&["nexthop", "dot-nexthop"]), &names, true);
        assert!(!r.check.matched());
        assert_eq!(r.lines.len(), 3);
        assert_eq!(r.lines[2].source, "CommonName");
    }
}

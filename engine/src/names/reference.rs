//! From a match list (`nexthop`, `dot-nexthop`, `hostname`, names, `.domain` patterns) to the
//! reference identifiers a certificate is compared with (`add_namechecks()` from 3.6,
//! `match_servername()` before).

use super::{hostname, idna};
use serde::{Deserialize, Serialize};

/// What a match-list element means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// `nexthop`: the next-hop domain, exactly.
    Nexthop,
    /// `dot-nexthop`: any subdomain of the next-hop domain.
    DotNexthop,
    /// `hostname`: the MX host name (from unauthenticated DNS), exactly.
    Hostname,
    /// An explicit name, exactly (certificate wildcards honoured).
    Name,
    /// An explicit `.domain`: any name with one or more labels in front of it.
    DotDomain,
}

/// What kind of identifier the reference became.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReferenceKind {
    /// A DNS name (or `.suffix` pattern) checked against dNSName SANs (or CNs).
    Dns,
    /// An IP address: OpenSSL 3.x checks it against iPAddress SANs only, ANDed with the DNS
    /// references (3.6+).
    Ip {
        /// The address bytes.
        bytes: Vec<u8>,
    },
    /// Not loaded: Postfix warned and skipped it.
    Skipped {
        /// Postfix's warning text, without the `NAMADDR: ` prefix.
        warning: String,
    },
}

/// One reference identifier derived from one match-list element.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceId {
    /// The element as written in the match list.
    pub element: String,
    /// Its meaning.
    pub strategy: Strategy,
    /// The name compared with certificate names; a subdomain pattern starts with `.`.
    pub name: String,
    /// Whether `name` is a subdomain pattern.
    pub subdomain: bool,
    /// The Unicode form it was converted from, when IDNA conversion applied.
    pub converted_from: Option<String>,
    /// DNS name, IP address, or skipped.
    pub kind: ReferenceKind,
}

/// The inputs strategies expand from.
#[derive(Clone, Copy, Debug)]
pub struct ExpansionContext<'a> {
    /// The next-hop domain (brackets and port removed).
    pub nexthop: &'a str,
    /// The server host name (MX name, or the next-hop for `[host]`).
    pub hostname: &'a str,
    /// OpenSSL era (3.6+): IP detection and one-IP limit; otherwise legacy string compares.
    pub openssl: bool,
}

/// Classifies one element the way both eras read keywords (case-insensitively).
fn classify(element: &str) -> Strategy {
    if element.eq_ignore_ascii_case("nexthop") {
        Strategy::Nexthop
    } else if element.eq_ignore_ascii_case("dot-nexthop") {
        Strategy::DotNexthop
    } else if element.eq_ignore_ascii_case("hostname") {
        Strategy::Hostname
    } else if element.starts_with('.') || idna::IDEOGRAPHIC_FULL_STOPS.iter().any(|&c| element.starts_with(c)) {
        Strategy::DotDomain
    } else {
        Strategy::Name
    }
}

/// Expands every element of `matches` in order into reference identifiers.
pub fn expand(matches: &[String], ctx: &ExpansionContext<'_>) -> Vec<ReferenceId> {
    let mut refs = Vec::new();
    let mut have_ip = false;
    for element in matches {
        let strategy = classify(element);
        let (base, subdomain, convert) = match strategy {
            Strategy::Nexthop => (ctx.nexthop.to_string(), false, true),
            Strategy::DotNexthop => (ctx.nexthop.to_string(), true, true),
            // Legacy matching never converts the hostname; 3.6+ converts every name.
            Strategy::Hostname => (ctx.hostname.to_string(), false, ctx.openssl),
            Strategy::Name => (element.clone(), false, true),
            Strategy::DotDomain => {
                let rest = strip_leading_full_stop(element);
                if rest.is_empty() {
                    let kind = if ctx.openssl {
                        ReferenceKind::Skipped { warning: "ignoring invalid match name: \".\"".into() }
                    } else {
                        // ≤3.5: a lone "." is compared as an exact name (and never matches).
                        ReferenceKind::Dns
                    };
                    let name = element.clone();
                    refs.push(ReferenceId { element: element.clone(), strategy, name, subdomain: false, converted_from: None, kind });
                    continue;
                }
                (rest.to_string(), true, true)
            }
        };
        let (ascii, converted_from) = if convert && !base.is_ascii() {
            match idna::to_ascii(&base) {
                Some(a) => (a, Some(base.clone())),
                None => (base.clone(), None),
            }
        } else {
            (base.clone(), None)
        };
        let name = if subdomain { format!(".{ascii}") } else { ascii };
        let kind = if !ctx.openssl {
            ReferenceKind::Dns
        } else if let Some(ip) = (!subdomain).then(|| hostname::parse_ip_reference(&name)).flatten() {
            if have_ip {
                ReferenceKind::Skipped { warning: format!("error loading match name: \"{name}\"") }
            } else {
                have_ip = true;
                ReferenceKind::Ip { bytes: hostname::ip_bytes(&ip) }
            }
        } else {
            ReferenceKind::Dns
        };
        refs.push(ReferenceId { element: element.clone(), strategy, name, subdomain, converted_from, kind });
    }
    refs
}

/// Drops one leading `.` (or IDNA full stop) from an explicit `.domain` element.
fn strip_leading_full_stop(element: &str) -> &str {
    if let Some(rest) = element.strip_prefix('.') {
        return rest;
    }
    for c in idna::IDEOGRAPHIC_FULL_STOPS {
        if let Some(rest) = element.strip_prefix(c) {
            return rest;
        }
    }
    element
}

/// Whether no reference could be loaded (Postfix: "could not configure peer name checks",
/// verification is then forced to fail).
pub fn none_loaded(refs: &[ReferenceId]) -> bool {
    refs.iter().all(|r| matches!(r.kind, ReferenceKind::Skipped { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(matches: &[&str], nexthop: &str, host: &str, openssl: bool) -> Vec<ReferenceId> {
        let m: Vec<String> = matches.iter().map(|s| s.to_string()).collect();
        expand(&m, &ExpansionContext { nexthop, hostname: host, openssl })
    }

    #[test]
    fn secure_defaults_for_the_seed() {
        let r = names(&["nexthop", "dot-nexthop"], "fastmail.fm", "in1-smtp.messagingengine.com", true);
        assert_eq!(r[0].name, "fastmail.fm");
        assert_eq!(r[1].name, ".fastmail.fm");
        assert!(r[1].subdomain);
    }

    #[test]
    fn keywords_are_case_insensitive_and_names_keep_one_dot() {
        let r = names(&["HostName", ".messagingengine.com", "..x.example"], "a", "mx.example", true);
        assert_eq!(r[0].strategy, Strategy::Hostname);
        assert_eq!(r[0].name, "mx.example");
        assert_eq!(r[1].name, ".messagingengine.com");
        assert_eq!(r[2].name, "..x.example");
    }

    #[test]
    fn lone_dot_is_skipped_in_openssl_era() {
        let r = names(&["."], "a", "b", true);
        assert!(matches!(r[0].kind, ReferenceKind::Skipped { .. }));
        assert!(none_loaded(&r));
    }

    #[test]
    fn only_one_ip_reference_loads() {
        let r = names(&["hostname", "nexthop", "dot-nexthop"], "127.0.0.2", "127.0.0.2", true);
        assert!(matches!(r[0].kind, ReferenceKind::Ip { .. }));
        assert_eq!(r[1].kind, ReferenceKind::Skipped { warning: "error loading match name: \"127.0.0.2\"".into() });
        assert_eq!(r[2].name, ".127.0.0.2");
        assert_eq!(r[2].kind, ReferenceKind::Dns);
        let legacy = names(&["nexthop"], "127.0.0.2", "127.0.0.2", false);
        assert_eq!(legacy[0].kind, ReferenceKind::Dns);
    }

    #[test]
    fn unicode_names_are_converted() {
        let r = names(&["nexthop", "\u{3002}bücher.example"], "bücher.example", "mx", true);
        assert_eq!(r[0].name, "xn--bcher-kva.example");
        assert_eq!(r[0].converted_from.as_deref(), Some("bücher.example"));
        assert_eq!(r[1].name, ".xn--bcher-kva.example");
    }
}

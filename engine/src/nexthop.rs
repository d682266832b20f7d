//! Where the mail goes: the next-hop destination(s) the SMTP client works on (spec §1.1, §4,
//! §8 "Transport next-hops").
//!
//! The policy-table key is the next-hop string exactly as written (`[host]:port` included); the
//! `nexthop` name used by `match=nexthop` is that string without brackets, port and `ipv6:`.
//! MX lookups are suppressed by brackets, and the recipient domain is never looked up when a
//! transport or relay next-hop is in effect.

use crate::input::table::TableEntry;
use crate::names::hostname::valid_utf8_hostname;
use serde::{Deserialize, Serialize};

/// How the user gave the destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DestinationInput {
    /// A recipient address `user@domain`.
    Recipient {
        /// The address.
        address: String,
        /// Its domain.
        domain: String,
    },
    /// A bare domain (treated as the recipient domain).
    Domain {
        /// The domain.
        domain: String,
    },
    /// An explicit next-hop (`[host]`, `host:port`, `[host]:port`), as relayhost or a
    /// transport next-hop would give it.
    Nexthop {
        /// The next-hop string.
        nexthop: String,
    },
}

impl DestinationInput {
    /// Reads the destination field: `@` makes it an address; `[` or `:` an explicit next-hop.
    pub fn parse(text: &str) -> Option<DestinationInput> {
        let t = text.trim().trim_start_matches('<').trim_end_matches('>').trim();
        if t.is_empty() {
            return None;
        }
        if let Some((_, domain)) = t.rsplit_once('@') {
            return Some(DestinationInput::Recipient { address: t.to_string(), domain: domain.to_string() });
        }
        let t = t.strip_prefix("smtp:").or_else(|| t.strip_prefix("relay:")).unwrap_or(t);
        if t.starts_with('[') || t.contains(':') {
            return Some(DestinationInput::Nexthop { nexthop: t.to_string() });
        }
        Some(DestinationInput::Domain { domain: t.to_string() })
    }

    /// The recipient address Postfix would log (`user@domain`; a placeholder for next-hops).
    pub fn recipient(&self) -> String {
        match self {
            DestinationInput::Recipient { address, .. } => address.clone(),
            DestinationInput::Domain { domain } => format!("user@{domain}"),
            DestinationInput::Nexthop { .. } => "user@example.invalid".to_string(),
        }
    }
}

/// One next-hop destination the client iterates over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    /// The destination string, verbatim: the policy-table key.
    pub key: String,
    /// The host part: brackets, port and `ipv6:` removed (the `nexthop` strategy's name).
    pub host: String,
    /// The port or service, when one was written.
    pub port: Option<String>,
    /// `[host]`: no MX lookup.
    pub bracketed: bool,
    /// Whether an MX lookup happens for `host`.
    pub mx_lookup: bool,
}

impl Destination {
    /// The TCP port number (25 unless written).
    pub fn port_number(&self) -> u16 {
        match self.port.as_deref() {
            None | Some("smtp") => 25,
            Some("submission") => 587,
            Some("smtps") | Some("submissions") => 465,
            Some(p) => p.parse().unwrap_or(25),
        }
    }
}

/// `host_port()` + `smtp_parse_destination()`: splits a destination, or returns Postfix's fatal
/// error text (`… in server description: DEST`).
pub fn parse_destination(dest: &str, smtputf8_enable: bool) -> Result<Destination, String> {
    let fatal = |err: &str| Err(format!("{err} in server description: {dest}"));
    let (host, port, bracketed) = if let Some(rest) = dest.strip_prefix('[') {
        let rest = rest.strip_prefix("ipv6:").or_else(|| rest.strip_prefix("IPv6:")).unwrap_or(rest);
        let Some((host, after)) = rest.split_once(']') else {
            return fatal("missing \"]\"");
        };
        let port = match after {
            "" => None,
            a => match a.strip_prefix(':') {
                Some("") => None,
                Some(p) => Some(p.to_string()),
                None => return fatal("garbage after \"]\""),
            },
        };
        (host.to_string(), port, true)
    } else if let Some((host, port)) = dest.rsplit_once(':') {
        (host.to_string(), (!port.is_empty()).then(|| port.to_string()), false)
    } else {
        (dest.to_string(), None, false)
    };
    if host.is_empty() {
        return fatal("missing host information");
    }
    let is_addr = host.parse::<std::net::IpAddr>().is_ok();
    if !valid_utf8_hostname(&host, smtputf8_enable) && !is_addr {
        return fatal("valid hostname or network address required");
    }
    if let Some(p) = &port {
        if p.starts_with(|c: char| c.is_ascii_digit()) && !p.bytes().all(|b| b.is_ascii_digit()) {
            return fatal("garbage after numerical service");
        }
    }
    Ok(Destination { key: dest.to_string(), mx_lookup: !bracketed && !is_addr, host, port, bracketed })
}

/// How the next-hop was chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RouteSource {
    /// The recipient domain (default routing).
    RecipientDomain,
    /// A transport_maps entry.
    Transport {
        /// The key that matched.
        key: String,
        /// 1-based line in the transport table.
        line: usize,
        /// The transport (e.g. `smtp`, `relay`).
        transport: String,
    },
    /// main.cf `relayhost`.
    Relayhost,
    /// Given directly as a next-hop.
    Explicit,
    /// main.cf `default_transport` with a next-hop (`smtp:[relay.example.com]:587`): for mail
    /// to other domains it overrides relayhost and the recipient domain (trivial-rewrite's
    /// `resolve_addr()`).
    DefaultTransport {
        /// The transport (e.g. `smtp`, a master.cf service).
        transport: String,
    },
}

/// The next-hop string the SMTP client receives, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The recipient address, as smtp(8) logs it in `to=<…>` (after trivial-rewrite).
    pub recipient: String,
    /// The address as given, when trivial-rewrite changed it (a trailing dot on the domain is
    /// removed): smtp(8) logs it as `orig_to=<…>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_recipient: Option<String>,
    /// The next-hop string (may list several destinations separated by commas/space).
    pub nexthop: String,
    /// Where it came from.
    pub source: RouteSource,
    /// Transport keys tried, in order, with whether they were found.
    pub transport_lookups: Vec<(String, bool)>,
    /// A non-SMTP transport took the mail (e.g. `error:`, `local:`): no TLS decision.
    pub non_smtp_transport: Option<String>,
}

/// `transport_maps` lookup order for `user@domain`: the address, the domain, then `.parent`
/// keys (transport_maps is not in `parent_domain_matches_subdomains`), then `*`.
fn transport_keys(recipient: &str, domain: &str) -> Vec<String> {
    let mut keys = vec![recipient.to_string(), domain.to_string()];
    let mut rest = domain;
    while let Some(pos) = rest.get(1..).and_then(|r| r.find('.')) {
        rest = &rest[pos + 1..];
        keys.push(rest.to_string());
    }
    keys.push("*".to_string());
    keys
}

/// The transport and next-hop parts of a main.cf transport setting (`default_transport`):
/// `smtp`, `smtp:[relay.example.com]:587`, `error:mail is not sent`. An empty name is taken as
/// `smtp` (Postfix refuses a null transport with a warning).
pub fn split_transport(value: &str) -> (&str, &str) {
    let value = value.trim();
    let (name, next) = value.split_once(':').unwrap_or((value, ""));
    (if name.trim().is_empty() { "smtp" } else { name.trim() }, next.trim())
}

/// Whether mail handed to transport `name` goes to smtp(8) in Postfix's own master.cf.
fn is_smtp_transport(name: &str) -> bool {
    matches!(name, "smtp" | "relay")
}

/// Derives the next-hop from the destination input, the transport table, relayhost and
/// `default_transport` (trivial-rewrite's `resolve_addr()` for mail to another domain: the
/// transport table wins, then a next-hop in `default_transport`, then relayhost, then the
/// recipient domain).
pub fn route(input: &DestinationInput, transport: &[TableEntry], relayhost: &str, default_transport: &str) -> Route {
    let (default_name, default_next) = split_transport(default_transport);
    let given = input.recipient();
    let (recipient, original_recipient) = match input {
        // trivial-rewrite strips a trailing dot from the recipient domain.
        DestinationInput::Recipient { domain, .. } if domain.ends_with('.') => {
            (given.strip_suffix('.').unwrap_or(&given).to_string(), Some(given.clone()))
        }
        _ => (given, None),
    };
    let domain = match input {
        DestinationInput::Nexthop { nexthop } => {
            return Route { recipient, original_recipient: original_recipient.clone(), nexthop: nexthop.clone(), source: RouteSource::Explicit, transport_lookups: vec![], non_smtp_transport: None };
        }
        DestinationInput::Recipient { domain, .. } | DestinationInput::Domain { domain } => {
            // trivial-rewrite strips a trailing dot from the recipient domain.
            domain.strip_suffix('.').unwrap_or(domain).to_string()
        }
    };
    let mut lookups = Vec::new();
    if !transport.is_empty() {
        // Folded key → first entry: one pass over the table, not one per key tried.
        let mut first: std::collections::HashMap<String, &TableEntry> = std::collections::HashMap::with_capacity(transport.len());
        for e in transport {
            first.entry(e.key.to_lowercase()).or_insert(e);
        }
        for key in transport_keys(&recipient, &domain) {
            let found = first.get(&key.to_lowercase()).copied();
            lookups.push((key.clone(), found.is_some()));
            if let Some(entry) = found {
                let (service, next) = entry.value.split_once(':').unwrap_or((entry.value.as_str(), ""));
                // An entry without a transport (`:[relay]`) keeps the one resolved before it.
                let service = if service.is_empty() { default_name } else { service };
                let source = RouteSource::Transport { key: entry.key.clone(), line: entry.line, transport: service.to_string() };
                let non_smtp = (!is_smtp_transport(service)).then(|| service.to_string());
                let nexthop = if next.trim().is_empty() { domain.clone() } else { next.trim().to_string() };
                return Route { recipient, original_recipient: original_recipient.clone(), nexthop, source, transport_lookups: lookups, non_smtp_transport: non_smtp };
            }
        }
    }
    let non_smtp_transport = (!is_smtp_transport(default_name)).then(|| default_name.to_string());
    if !default_next.is_empty() {
        let source = RouteSource::DefaultTransport { transport: default_name.to_string() };
        return Route { recipient, original_recipient, nexthop: default_next.to_string(), source, transport_lookups: lookups, non_smtp_transport };
    }
    if !relayhost.trim().is_empty() {
        return Route { recipient, original_recipient, nexthop: relayhost.trim().to_string(), source: RouteSource::Relayhost, transport_lookups: lookups, non_smtp_transport };
    }
    Route { recipient, original_recipient, nexthop: domain, source: RouteSource::RecipientDomain, transport_lookups: lookups, non_smtp_transport }
}

impl Route {
    /// The transport that takes the mail: the transport table's, else `default_transport`'s
    /// (its name; also for a relayhost or the recipient domain). Its master.cf service is the
    /// process that delivers.
    pub fn transport<'a>(&'a self, default_transport: &'a str) -> &'a str {
        match &self.source {
            RouteSource::Transport { transport, .. } | RouteSource::DefaultTransport { transport } => transport,
            _ => split_transport(default_transport).0,
        }
    }
}

/// Splits a next-hop list on commas and whitespace (`smtp_connect_inet()`).
pub fn split_nexthops(nexthop: &str) -> Vec<String> {
    nexthop.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_forms() {
        let d = parse_destination("[relay.example.net]:2525", true).unwrap();
        assert_eq!((d.host.as_str(), d.port.as_deref(), d.bracketed, d.mx_lookup), ("relay.example.net", Some("2525"), true, false));
        let d = parse_destination("relay.example.net:2525", true).unwrap();
        assert!(d.mx_lookup && !d.bracketed);
        let d = parse_destination("[ipv6:2001:db8::1]", true).unwrap();
        assert_eq!(d.host, "2001:db8::1");
        assert_eq!(d.port_number(), 25);
        let d = parse_destination("[127.0.0.2]", true).unwrap();
        assert_eq!(d.host, "127.0.0.2");
    }

    #[test]
    fn bad_destinations_are_fatal_with_postfix_text() {
        assert_eq!(
            parse_destination("example.com.", true).unwrap_err(),
            "valid hostname or network address required in server description: example.com."
        );
        assert_eq!(
            parse_destination("[mx.example.net.]", true).unwrap_err(),
            "valid hostname or network address required in server description: [mx.example.net.]"
        );
        assert!(parse_destination("[x", true).unwrap_err().starts_with("missing \"]\""));
        assert!(parse_destination("host:25x", true).unwrap_err().starts_with("garbage after numerical service"));
    }

    #[test]
    fn destination_input_kinds() {
        assert!(matches!(DestinationInput::parse("<user@fastmail.fm>"), Some(DestinationInput::Recipient { .. })));
        assert!(matches!(DestinationInput::parse("fastmail.fm"), Some(DestinationInput::Domain { .. })));
        assert!(matches!(DestinationInput::parse("[relay]:587"), Some(DestinationInput::Nexthop { .. })));
        assert!(matches!(DestinationInput::parse("smtp:relay.example.net"), Some(DestinationInput::Domain { .. })));
        assert_eq!(DestinationInput::parse("  "), None);
    }

    #[test]
    fn relayhost_replaces_the_recipient_domain() {
        let input = DestinationInput::parse("user@example.com").unwrap();
        let r = route(&input, &[], "[relay.example.net]:587", "smtp");
        assert_eq!(r.nexthop, "[relay.example.net]:587");
        assert_eq!(r.source, RouteSource::Relayhost);
        assert_eq!(route(&input, &[], "", "smtp").nexthop, "example.com");
    }

    #[test]
    fn transport_lookups_do_not_scan_the_table_per_key() {
        let mut text: String = (0..100_000).map(|i| format!("t{i}.example smtp:[r{i}.example]\n")).collect();
        text.push_str(".Example.ORG relay:[first.example]\n.example.org relay:[second.example]\n");
        let table = crate::input::table::parse_table(&text, crate::diag::Source::TransportTable);
        let input = DestinationInput::parse(&format!("user@{}example.org", "a.".repeat(400))).unwrap();
        let start = std::time::Instant::now();
        let r = route(&input, &table.entries, "", "smtp");
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
        assert_eq!(r.nexthop, "[first.example]");
        assert_eq!(r.transport_lookups.last(), Some(&(".example.org".to_string(), true)));
    }

    #[test]
    fn a_default_transport_next_hop_overrides_relayhost_and_the_recipient_domain() {
        let input = DestinationInput::parse("user@example.com").unwrap();
        let r = route(&input, &[], "[relay.example.net]:587", "smtp:[isp.example.net]:587");
        assert_eq!((r.nexthop.as_str(), &r.source), ("[isp.example.net]:587", &RouteSource::DefaultTransport { transport: "smtp".into() }));
        assert_eq!(r.non_smtp_transport, None);
        // Without a next-hop it names the transport only: relayhost, else the domain, as before.
        let r = route(&input, &[], "[relay.example.net]", "smtp-tls");
        assert_eq!((r.nexthop.as_str(), &r.source, r.non_smtp_transport.as_deref()), ("[relay.example.net]", &RouteSource::Relayhost, Some("smtp-tls")));
        let r = route(&input, &[], "", "error:outbound mail is disabled");
        assert_eq!((r.nexthop.as_str(), r.non_smtp_transport.as_deref()), ("outbound mail is disabled", Some("error")));
        assert_eq!(route(&input, &[], "", " ").source, RouteSource::RecipientDomain, "an empty setting is smtp");
        // The transport table still wins, and an entry without a transport keeps the default one.
        let table = crate::input::table::parse_table("example.com :[mx.example.org]\n", crate::diag::Source::TransportTable);
        let r = route(&input, &table.entries, "", "relay:[isp.example.net]");
        assert_eq!((r.nexthop.as_str(), &r.source), ("[mx.example.org]", &RouteSource::Transport { key: "example.com".into(), line: 1, transport: "relay".into() }));
    }

    #[test]
    fn nexthop_lists_split_on_commas_and_space() {
        assert_eq!(split_nexthops("[a.example], [b.example] c"), ["[a.example]", "[b.example]", "c"]);
    }
}

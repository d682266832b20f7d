//! Lines about the policy and the route rather than one certificate: policy-table lookups
//! (`smtp -v`), TLS levels, the next-hop, session cache keys, DANE fallbacks, and the warnings
//! and errors Postfix logs about its configuration (spec §1, §2.2, §3, §7).

use super::kind::{LevelScope, LineKind, SessionKey, WarningTopic};
use super::peer::parse_peer;

/// `maps_find: TABLE: TITLE(FLAGS): KEY = VALUE` / `maps_find: TABLE: KEY: not found|search aborted`.
pub fn maps_find(msg: &str) -> Option<LineKind> {
    let rest = msg.strip_prefix("maps_find: ")?;
    let (table, rest) = rest.split_once(": ")?;
    for (suffix, aborted) in [(": not found", false), (": search aborted", true)] {
        if let Some(key) = rest.strip_suffix(suffix) {
            return Some(LineKind::MapsFind { table: table.into(), key: key.into(), result: None, aborted });
        }
    }
    let (lhs, value) = rest.split_once(" = ")?;
    // The table title carries flags in parentheses; the key follows the last `): ` or `: `.
    let key = match lhs.rfind("): ") {
        Some(i) => &lhs[i + 3..],
        None => lhs.rsplit(": ").next().unwrap_or(lhs),
    };
    Some(LineKind::MapsFind { table: table.into(), key: key.into(), result: Some(value.into()), aborted: false })
}

/// `global TLS level: X` / `effective TLS level: X`.
pub fn tls_level(msg: &str) -> Option<LineKind> {
    let (scope, level) = if let Some(l) = msg.strip_prefix("global TLS level: ") {
        (LevelScope::Global, l)
    } else {
        (LevelScope::Effective, msg.strip_prefix("effective TLS level: ")?)
    };
    Some(LineKind::TlsLevel { scope, level: level.trim().into() })
}

/// `dns_query: NAME (TYPE): RESULT` and `smtp_addr_one: host NAME`.
pub fn dns(msg: &str) -> Option<LineKind> {
    if let Some(rest) = msg.strip_prefix("dns_query: ") {
        let (name, rest) = rest.split_once(" (")?;
        let (rtype, result) = rest.split_once("): ")?;
        return Some(LineKind::DnsQuery { name: name.into(), rtype: rtype.into(), result: result.into() });
    }
    let host = msg.strip_prefix("smtp_addr_one: host ")?;
    Some(LineKind::ServerCandidate { host: host.trim().into() })
}

/// Session cache traffic: `looking for session KEY in smtp cache`, `save session KEY to smtp
/// cache`, tlsmgr's `lookup smtp session id=KEY`, `put smtp session id=KEY [data N bytes]`,
/// `write smtp TLS cache entry KEY: time=…`.
pub fn session_cache(msg: &str) -> Option<LineKind> {
    if !(msg.contains("session") || msg.contains("cache")) {
        return None;
    }
    let action = msg.split(' ').next().unwrap_or("").to_string();
    let token = msg.split(' ').find(|t| t.contains('&'))?;
    let token = token.strip_prefix("id=").unwrap_or(token).trim_end_matches(':');
    let key = SessionKey::parse(token)?;
    Some(LineKind::SessionCache { action, key })
}

/// Informational lines that name a server or the DANE outcome without a `NAMADDR:` prefix.
pub fn tls_notes(msg: &str) -> Option<LineKind> {
    if let Some(rest) = msg.strip_prefix("setting up TLS connection to ") {
        let (peer, _) = parse_peer(rest.trim())?;
        return Some(LineKind::SettingUp { peer });
    }
    if let Some(rest) = msg.strip_prefix("SSL_connect error to ") {
        return Some(LineKind::HandshakeError { peer: parse_peer(rest).map(|(p, _)| p), text: msg.into() });
    }
    if msg.starts_with("Failed to establish session to ") || msg.starts_with("TLS library problem: ") {
        return Some(LineKind::HandshakeError { peer: None, text: msg.into() });
    }
    if let Some(rest) = msg.strip_prefix("connect to ") {
        let (peer, n) = parse_peer(rest)?;
        let reason = rest.get(n..).unwrap_or("").trim_start_matches(':').trim();
        return Some(LineKind::ConnectFailed { peer, reason: reason.into() });
    }
    if let Some(host) = msg.strip_prefix("Host offered STARTTLS: ") {
        return Some(LineKind::StartTlsOffered { host: host.trim_matches(|c| c == '[' || c == ']' || c == ' ').into() });
    }
    if msg == "Server is anonymous" {
        return Some(LineKind::ServerAnonymous);
    }
    let dane = |event: &str| Some(LineKind::Dane { peer: None, event: event.into(), text: msg.into() });
    if msg.starts_with("using DANE RR: ") {
        return dane("tlsa-record");
    }
    if msg.contains(", resorting to \"") {
        return dane("fallback");
    }
    if msg.starts_with("MX RRset insecure") || msg.starts_with("MX RRset is insecure") {
        return dane("insecure-mx");
    }
    None
}

/// `daemon started -- version X, configuration …` / `reload -- version X, …` (master).
pub fn version_banner(msg: &str) -> Option<LineKind> {
    let rest = msg.split_once("-- version ")?.1;
    let version = rest.split([',', ' ']).next()?.trim();
    (!version.is_empty()).then(|| LineKind::VersionBanner { version: version.into() })
}

/// A `warning:` (text after the prefix) as a fact.
pub fn warning(text: &str) -> LineKind {
    if let Some((param, rest)) = text.split_once(", next-hop destination \"") {
        if param.ends_with("_tls_policy_maps") {
            if let Some((destination, problem)) = rest.split_once("\": ") {
                return LineKind::PolicyWarning { destination: destination.into(), problem: problem.into() };
            }
        }
    }
    if let Some(rest) = text.strip_prefix("TLS policy lookup for ") {
        if let Some((what, reason)) = rest.split_once(": ") {
            let (destination, host) = what.rsplit_once('/').unwrap_or((what, ""));
            return LineKind::PolicyLookupFailed { destination: destination.into(), host: host.into(), reason: reason.into() };
        }
    }
    if text.starts_with("TLS library problem: ") {
        return LineKind::HandshakeError { peer: None, text: text.into() };
    }
    if let Some(rest) = text.strip_prefix("tls_dns_name: ") {
        return LineKind::Warning { topic: WarningTopic::Names, peer: parse_peer(rest).map(|(p, _)| p), text: text.into() };
    }
    let (topic, peer) = match parse_peer(text) {
        Some((p, _)) if text.contains("TLSA") => (WarningTopic::Dane, Some(p)),
        Some((p, _)) => (WarningTopic::Matching, Some(p)),
        None => (warning_topic(text), None),
    };
    LineKind::Warning { topic, peer, text: text.into() }
}

fn warning_topic(text: &str) -> WarningTopic {
    if text.contains("STS MX pattern") {
        WarningTopic::Sts
    } else if text.contains("TLSA") || text.contains("dnssec") || text.contains("DANE") {
        WarningTopic::Dane
    } else if text.contains(" is unavailable") || text.contains(" lookup error for ") || text.contains(", line ") {
        WarningTopic::Table
    } else if text.contains("security level") || text.contains("trust anchor") || text.contains("TLS level") {
        WarningTopic::Policy
    } else if text.starts_with("process ") || text.contains("bad command startup") {
        WarningTopic::Process
    } else {
        WarningTopic::Other
    }
}

/// An `error:`/`fatal:`/`panic:` line; `text` keeps the prefix.
pub fn error(text: &str) -> LineKind {
    let topic = if text.contains("Invalid TLS level") || text.contains("server description") {
        WarningTopic::Policy
    } else if text.contains(", line ") || text.contains("duplicate entry") {
        WarningTopic::Table
    } else {
        warning_topic(text)
    };
    LineKind::Error { topic, text: text.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_found_missing_and_aborted() {
        assert_eq!(
            maps_find("maps_find: smtp_tls_policy_maps: texthash:<policy_file>(0,lock|fold_fix|utf8_request): hearst.com = secure match=gslb.pphosted.com ciphers=high"),
            Some(LineKind::MapsFind { table: "smtp_tls_policy_maps".into(), key: "hearst.com".into(), result: Some("secure match=gslb.pphosted.com ciphers=high".into()), aborted: false })
        );
        assert_eq!(
            maps_find("maps_find: smtp_tls_policy_maps: sub.example.com: not found"),
            Some(LineKind::MapsFind { table: "smtp_tls_policy_maps".into(), key: "sub.example.com".into(), result: None, aborted: false })
        );
        assert!(matches!(maps_find("maps_find: smtp_tls_policy_maps: example.com: search aborted"), Some(LineKind::MapsFind { aborted: true, .. })));
        assert!(matches!(maps_find("maps_find: smtp_tls_policy_maps: hash:/etc/postfix/tls_policy: [mx]:25 = verify"), Some(LineKind::MapsFind { ref key, .. }) if key == "[mx]:25"));
        assert_eq!(maps_find("maps_find: x"), None);
    }

    #[test]
    fn levels_dns_and_cache_keys() {
        assert_eq!(tls_level("effective TLS level: secure"), Some(LineKind::TlsLevel { scope: LevelScope::Effective, level: "secure".into() }));
        assert!(matches!(dns("dns_query: fastmail.fm (MX): OK"), Some(LineKind::DnsQuery { ref rtype, .. }) if rtype == "MX"));
        assert_eq!(dns("smtp_addr_one: host mx.example.net"), Some(LineKind::ServerCandidate { host: "mx.example.net".into() }));
        let Some(LineKind::SessionCache { action, key }) = session_cache("put smtp session id=smtp&fastmail.fm&in1-smtp.messagingengine.com&66.111.4.74&&FC83 [data 1788 bytes]") else { panic!() };
        assert_eq!((action.as_str(), key.nexthop.as_str()), ("put", "fastmail.fm"));
        let Some(LineKind::SessionCache { key, .. }) = session_cache("write smtp TLS cache entry smtp&fastmail.fm&in1-smtp.messagingengine.com&66.111.4.74&&FC83: time=1456433842 [data 1788 bytes]") else { panic!() };
        assert_eq!(key.address, "66.111.4.74");
        assert!(session_cache("looking for session smtp&fastmail.fm&in1-smtp.messagingengine.com& in smtp cache").is_some());
        assert_eq!(session_cache("no key here"), None);
    }

    #[test]
    fn warnings_by_topic() {
        assert_eq!(
            warning("smtp_tls_policy_maps, next-hop destination \"example.com\": invalid attribute name: \"policy_type\""),
            LineKind::PolicyWarning { destination: "example.com".into(), problem: "invalid attribute name: \"policy_type\"".into() }
        );
        assert_eq!(
            warning("TLS policy lookup for [mx.example.com]:25/mx.example.com: client TLS configuration problem"),
            LineKind::PolicyLookupFailed { destination: "[mx.example.com]:25".into(), host: "mx.example.com".into(), reason: "client TLS configuration problem".into() }
        );
        assert!(matches!(warning("mx.example.net[127.0.0.1]:25: invalid cipher grade: \"bogus\""), LineKind::Warning { topic: WarningTopic::Matching, peer: Some(_), .. }));
        assert!(matches!(warning("mx.example.com[127.0.0.1]:25: unusable TLSA RR: 3 1 255 EC"), LineKind::Warning { topic: WarningTopic::Dane, .. }));
        assert!(matches!(warning("MX name 'mx.other.example.org' does not match STS MX pattern for 'example.com'"), LineKind::Warning { topic: WarningTopic::Sts, .. }));
        assert!(matches!(warning("texthash:<policy_file> lookup error for \"example.com\""), LineKind::Warning { topic: WarningTopic::Table, .. }));
        assert!(matches!(warning("tls_dns_name: mx[1.2.3.4]:25: non-printable characters in subject"), LineKind::Warning { topic: WarningTopic::Names, peer: Some(_), .. }));
        assert!(matches!(error("fatal: Invalid TLS level \"secur\""), LineKind::Error { topic: WarningTopic::Policy, .. }));
        assert!(matches!(error("error: <policy_file>, line 2: duplicate entry: \"example.com\""), LineKind::Error { topic: WarningTopic::Table, .. }));
    }

    #[test]
    fn notes_and_banners() {
        assert!(matches!(tls_notes("setting up TLS connection to in1-smtp.messagingengine.com[66.111.4.74]:25"), Some(LineKind::SettingUp { .. })));
        assert!(matches!(tls_notes("SSL_connect error to mx.example.com[127.0.0.1]:25: lost connection"), Some(LineKind::HandshakeError { peer: Some(_), .. })));
        assert!(matches!(tls_notes("connect to mx[1.2.3.4]:25: Connection refused"), Some(LineKind::ConnectFailed { ref reason, .. }) if reason == "Connection refused"));
        assert_eq!(tls_notes("Host offered STARTTLS: [mx.example.com]"), Some(LineKind::StartTlsOffered { host: "mx.example.com".into() }));
        assert!(matches!(tls_notes("no TLSA records found, resorting to \"secure\""), Some(LineKind::Dane { ref event, .. }) if event == "fallback"));
        assert_eq!(tls_notes("Server is anonymous"), Some(LineKind::ServerAnonymous));
        assert_eq!(version_banner("daemon started -- version 3.7.11, configuration /etc/postfix"), Some(LineKind::VersionBanner { version: "3.7.11".into() }));
        assert_eq!(version_banner("reload -- version 3.12-20260821, configuration /etc/postfix"), Some(LineKind::VersionBanner { version: "3.12-20260821".into() }));
        assert_eq!(version_banner("terminating on signal 15"), None);
    }
}

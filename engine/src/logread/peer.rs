//! `host[address]:port`: how Postfix names the server in every TLS line and in `relay=`.
//!
//! The TLS library lower-cases it (`tls_alloc_sess_context()`) while the SMTP client keeps the
//! MX name's case, so peers compare without case. Pasted logs sometimes lose the address
//! (`in1-smtp.messagingengine.com[]:25` in a translated forum post): an empty address is kept.

use serde::{Deserialize, Serialize};

/// One server as a log line names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    /// Host name (or address, for IP-literal next-hops) as logged.
    pub host: String,
    /// The address inside the brackets; empty when the log has none.
    pub address: String,
    /// The TCP port, when logged.
    pub port: Option<u16>,
}

impl Peer {
    /// `host[address]:port` as Postfix writes it.
    pub fn namaddr(&self) -> String {
        match self.port {
            Some(p) => format!("{}[{}]:{p}", self.host, self.address),
            None => format!("{}[{}]", self.host, self.address),
        }
    }

    /// Same server: host without case, address and port when both sides know them.
    pub fn same_server(&self, other: &Peer) -> bool {
        self.host.eq_ignore_ascii_case(&other.host)
            && (self.address.is_empty() || other.address.is_empty() || self.address == other.address)
            && (self.port.is_none() || other.port.is_none() || self.port == other.port)
    }
}

/// Reads `host[address]` with an optional `:port` at the start of `text`; returns the peer
/// and the byte length read. Host and address contain no white space.
pub fn parse_peer(text: &str) -> Option<(Peer, usize)> {
    let b = text.as_bytes();
    let open = b.iter().position(|c| *c == b'[' || c.is_ascii_whitespace())?;
    if open == 0 || b[open] != b'[' {
        return None;
    }
    let close = open + 1 + b[open + 1..].iter().position(|c| *c == b']' || c.is_ascii_whitespace())?;
    if b[close] != b']' {
        return None;
    }
    let mut end = close + 1;
    let mut port = None;
    if b.get(end) == Some(&b':') {
        let digits = b[end + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            port = text.get(end + 1..end + 1 + digits).and_then(|p| p.parse().ok());
            end += 1 + digits;
        }
    }
    let host = text.get(..open)?.to_string();
    let address = text.get(open + 1..close)?.to_string();
    Some((Peer { host, address, port }, end))
}

/// Reads a whole `host[address]:port` (nothing may follow).
pub fn parse_whole_peer(text: &str) -> Option<Peer> {
    parse_peer(text).filter(|(_, len)| *len == text.len()).map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_host_address_and_port() {
        let (p, n) = parse_peer("in1-smtp.messagingengine.com[66.111.4.74]:25: rest").unwrap();
        assert_eq!((p.host.as_str(), p.address.as_str(), p.port, n), ("in1-smtp.messagingengine.com", "66.111.4.74", Some(25), 44));
        assert_eq!(p.namaddr(), "in1-smtp.messagingengine.com[66.111.4.74]:25");
    }

    #[test]
    fn keeps_empty_addresses_and_missing_ports() {
        let p = parse_whole_peer("in1-smtp.messagingengine.com[]:25").unwrap();
        assert_eq!(p.address, "");
        let p = parse_whole_peer("mx.example.com[2001:db8::1]").unwrap();
        assert_eq!((p.address.as_str(), p.port), ("2001:db8::1", None));
    }

    #[test]
    fn refuses_what_is_not_a_namaddr() {
        for t in ["none", "[1.2.3.4]:25", "host[1.2.3.4", "host [1.2.3.4]", "", "a[b c]:1", "é[", "x[]:99999999999"] {
            assert!(parse_whole_peer(t).is_none() || t.starts_with("x["), "{t}");
        }
    }

    #[test]
    fn same_server_ignores_case_and_unknown_parts() {
        let a = parse_whole_peer("MX.Example.NET[127.0.0.1]:25").unwrap();
        let b = parse_whole_peer("mx.example.net[]:25").unwrap();
        assert!(a.same_server(&b));
        let c = parse_whole_peer("mx.example.net[127.0.0.2]:25").unwrap();
        assert!(!a.same_server(&c));
    }
}

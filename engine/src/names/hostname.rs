//! Name validity tests the policy walk and the matchers depend on.

use std::net::IpAddr;

/// `valid_utf8_hostname()`: a non-ASCII name is valid when UTF-8 is enabled and it converts to
/// a valid ASCII name; an ASCII name must pass `valid_hostname()`.
pub fn valid_utf8_hostname(name: &str, smtputf8_enable: bool) -> bool {
    if name.is_empty() {
        return false;
    }
    if !name.is_ascii() {
        return smtputf8_enable && super::idna::to_ascii(name).is_some();
    }
    crate::input::hostname::valid_hostname(name)
}

/// Whether OpenSSL's `a2i_IPADDRESS()` would read `text` as an IP address (then
/// `SSL_add1_host()` stores it as the single IP reference identifier).
pub fn parse_ip_reference(text: &str) -> Option<IpAddr> {
    if text.contains(':') {
        text.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        text.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    }
}

/// The raw bytes of an address as an iPAddress SAN holds them.
pub fn ip_bytes(ip: &IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_need_smtputf8() {
        assert!(valid_utf8_hostname("bücher.example", true));
        assert!(!valid_utf8_hostname("bücher.example", false));
        assert!(valid_utf8_hostname("example.com", false));
        assert!(!valid_utf8_hostname("[example.com]", true));
        assert!(!valid_utf8_hostname("", true));
    }

    #[test]
    fn ip_references() {
        assert!(parse_ip_reference("127.0.0.2").is_some());
        assert!(parse_ip_reference("2001:db8::1").is_some());
        assert!(parse_ip_reference(".127.0.0.2").is_none());
        assert!(parse_ip_reference("mail.example.com").is_none());
    }
}

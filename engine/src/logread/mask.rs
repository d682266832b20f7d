//! Masking before sharing: a permalink carries the pasted log, and logs carry people's
//! addresses. Local parts of e-mail addresses become `…` everywhere (`to=<…@example.com>`);
//! IP addresses optionally become documentation addresses, the same address always the same
//! replacement, so connections stay distinguishable. Domains and host names stay: the
//! explanation needs them.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};

/// What to mask besides local parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MaskOptions {
    /// Replace IPv4 and IPv6 addresses by 192.0.2.N / 2001:db8::N.
    pub ip_addresses: bool,
}

/// Masks every e-mail local part in `text`.
pub fn mask(text: &str) -> String {
    mask_with(text, MaskOptions::default())
}

/// Masks local parts, and IP addresses when asked.
pub fn mask_with(text: &str, options: MaskOptions) -> String {
    let masked = mask_local_parts(text);
    if options.ip_addresses {
        mask_ips(&masked)
    } else {
        masked
    }
}

/// RFC 5322 `atext` plus `.`, and any non-ASCII character (SMTPUTF8 local parts).
fn local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c) || !c.is_ascii()
}

fn domain_start(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '[' || !c.is_ascii()
}

fn mask_local_parts(text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        if c != '@' || !chars.get(i + 1).is_some_and(|(_, d)| domain_start(*d)) {
            continue;
        }
        let mut start = i;
        if i > 0 && chars[i - 1].1 == '"' {
            // A quoted local part: back to the opening quote.
            if let Some(open) = (0..i - 1).rev().find(|j| chars[*j].1 == '"') {
                start = open;
            }
        } else {
            while start > 0 && local_char(chars[start - 1].1) {
                start -= 1;
            }
        }
        let from = chars[start].0;
        let to = chars[i].0;
        if from < to && !(to - from == "…".len() && &text[from..to] == "…") {
            cut.push((from, to));
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (from, to) in cut {
        if from < pos {
            continue;
        }
        out.push_str(&text[pos..from]);
        out.push('…');
        pos = to;
    }
    out.push_str(&text[pos..]);
    out
}

fn ip_char(c: char) -> bool {
    c.is_ascii_hexdigit() || c == '.' || c == ':'
}

fn mask_ips(text: &str) -> String {
    let mut map: HashMap<IpAddr, String> = HashMap::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(ip_char) {
        let run = rest[start..].find(|c| !ip_char(c)).map(|n| start + n).unwrap_or(rest.len());
        let before_ok = !rest[..start].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let after_ok = !rest[run..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let token = &rest[start..run];
        // Trailing `:` / `.` belong to the text (`[1.2.3.4]:25`, end of a sentence).
        let trimmed = token.trim_end_matches(['.', ':']);
        let found = if before_ok && (after_ok || trimmed.len() < token.len()) { find_ip(trimmed) } else { None };
        out.push_str(&rest[..start]);
        match found {
            Some((ip, len)) => {
                let next = map.len() + 1;
                let replacement = map.entry(ip).or_insert_with(|| replacement(ip, next));
                out.push_str(replacement);
                out.push_str(&token[len..]);
            }
            None => out.push_str(token),
        }
        rest = &rest[run..];
    }
    out.push_str(rest);
    out
}

/// The address a token starts with and its length: the whole token, or an IPv4 address
/// before `:PORT`.
fn find_ip(token: &str) -> Option<(IpAddr, usize)> {
    if let Some(ip) = parse_ip(token) {
        return Some((ip, token.len()));
    }
    let (host, port) = token.split_once(':')?;
    (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && !host.contains(':')).then(|| parse_ip(host).map(|ip| (ip, host.len()))).flatten()
}

/// An IPv4 dotted quad or an IPv6 address (not a fingerprint or a clock time).
fn parse_ip(token: &str) -> Option<IpAddr> {
    if token.contains(':') {
        if token.matches(':').count() < 2 {
            return None;
        }
        return token.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 4 || parts.iter().any(|p| p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    token.parse().ok()
}

fn replacement(ip: IpAddr, n: usize) -> String {
    match ip {
        IpAddr::V4(_) => {
            let nets = ["192.0.2", "198.51.100", "203.0.113"];
            let (net, host) = (nets.get((n - 1) / 254).copied().unwrap_or("192.0.2"), (n - 1) % 254 + 1);
            format!("{net}.{host}")
        }
        IpAddr::V6(_) => format!("2001:db8::{n:x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_local_parts_are_masked() {
        let line = "postfix/smtp[1]: D33A: to=<john.doe+tag@fastmail.fm>, orig_to=<\"j d\"@Example.COM>, relay=x[66.111.4.74]:25, status=sent";
        let m = mask(line);
        assert_eq!(m, "postfix/smtp[1]: D33A: to=<…@fastmail.fm>, orig_to=<…@Example.COM>, relay=x[66.111.4.74]:25, status=sent");
        assert_eq!(mask(&m), m, "masking is idempotent");
    }

    #[test]
    fn already_masked_and_non_addresses_stay() {
        for t in ["to=<[email protected]>", "user@ alone", "@example.com", "a@", "fingerprint=D8:F5:7E"] {
            assert_eq!(mask(t), t);
        }
        assert_eq!(mask("[[email protected] openssl]#"), "[[email protected] openssl]#");
        assert_eq!(mask("root@mail:/etc/postfix#"), "…@mail:/etc/postfix#");
        assert_eq!(mask("bücher@bücher.example"), "…@bücher.example");
    }

    #[test]
    fn ips_are_replaced_consistently() {
        let t = "a[66.111.4.74]:25 b[66.111.4.75]:25 again 66.111.4.74. v6 [2001:db8:1::5]:25 smtp&fastmail.fm&in1&66.111.4.74&&FC 66.111.4.75:587";
        let m = mask_with(t, MaskOptions { ip_addresses: true });
        assert_eq!(m, "a[192.0.2.1]:25 b[192.0.2.2]:25 again 192.0.2.1. v6 [2001:db8::3]:25 smtp&fastmail.fm&in1&192.0.2.1&&FC 192.0.2.2:587");
    }

    #[test]
    fn versions_clocks_and_digests_are_not_addresses() {
        let t = "version 3.7.11 at 21:57:22 fingerprint=D8:F5:7E:43:A8:DA:29:22:6B:7E:90:A6:31:86:C8:CD delays=0.02/0/8.4/0 TLSv1.2 1.2.3.4.5 999.1.1.1";
        assert_eq!(mask_with(t, MaskOptions { ip_addresses: true }), t);
    }
}

//! Postfix's hostname and address syntax checks (`src/util/valid_hostname.c`).
//!
//! Postfix applies these to policy keys (a key that passes gets the parent-domain walk, spec
//! §1.2), to `servername=` (§3.2) and to names in DNS replies: an MX record whose exchange
//! fails the check is dropped by `dns_lookup.c` (`valid_rr_name()`), while a numeric exchange
//! is accepted with a warning.
//!
//! The rules, as the C code applies them byte by byte:
//! * letters, digits, `-` **and `_`** are label characters (the source says "grr.." about the
//!   underscore, but accepts it); every other byte, including any non-ASCII byte, is invalid;
//! * a label is at most 63 characters and the whole name at most 255;
//! * no leading, trailing or adjacent dots (so a trailing root dot is invalid);
//! * a hyphen may not start a label, end a label or end the name;
//! * the name may not consist of digits and dots only (`1.2.3.4`, `123`); a purely numeric
//!   *last* label is fine when any other label has a letter (`example.123` passes).

/// Longest valid hostname (`VALID_HOSTNAME_LEN`, RFC 1035).
pub const HOSTNAME_MAX: usize = 255;
/// Longest valid label (`VALID_LABEL_LEN`, RFC 1035).
pub const LABEL_MAX: usize = 63;

/// Why [`valid_hostname`] refuses a name, in the order the C code finds out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostnameProblem {
    /// The name is empty.
    Empty,
    /// A label is longer than 63 characters.
    LabelTooLong,
    /// A dot at the start, at the end, or next to another dot.
    MisplacedDot,
    /// A hyphen at the start or end of a label.
    MisplacedHyphen,
    /// A `*` anywhere but as the whole first label (only names from DNS may have it).
    MisplacedWildcard,
    /// A character other than letters, digits, `-`, `_` and `.`; carries it.
    BadCharacter(char),
    /// Only digits and dots.
    Numeric,
    /// Longer than 255 characters.
    TooLong,
}

impl HostnameProblem {
    /// A keyword for the problem, for catalogue texts: diagnostics carry it as
    /// `reason_code = hostname-<keyword>` (see [`crate::diag::Diagnostic::words`]), with
    /// [`HostnameProblem::params`].
    pub fn code(self) -> &'static str {
        match self {
            HostnameProblem::Empty => "empty",
            HostnameProblem::LabelTooLong => "label-too-long",
            HostnameProblem::MisplacedDot => "misplaced-dot",
            HostnameProblem::MisplacedHyphen => "misplaced-hyphen",
            HostnameProblem::MisplacedWildcard => "misplaced-wildcard",
            HostnameProblem::BadCharacter(_) => "bad-character",
            HostnameProblem::Numeric => "numeric",
            HostnameProblem::TooLong => "too-long",
        }
    }

    /// Adds `reason_code` and the values [`HostnameProblem::describe`] mentions (`shown`,
    /// `character` for a bad character) to `d`.
    pub fn params(self, d: crate::diag::Diagnostic) -> crate::diag::Diagnostic {
        let d = d.param("reason_code", format!("hostname-{}", self.code()));
        match self {
            HostnameProblem::BadCharacter(c) => d.param("shown", format!("{c:?}")).param("character", super::chars::code_point(c)),
            _ => d,
        }
    }

    /// English explanation for diagnostics.
    pub fn describe(self) -> String {
        match self {
            HostnameProblem::Empty => "the name is empty".to_string(),
            HostnameProblem::LabelTooLong => "a label is longer than 63 characters".to_string(),
            HostnameProblem::MisplacedDot => "a dot is at the start or end, or two dots are adjacent".to_string(),
            HostnameProblem::MisplacedHyphen => "a label starts or ends with a hyphen".to_string(),
            HostnameProblem::MisplacedWildcard => "'*' can be the first label only".to_string(),
            HostnameProblem::BadCharacter(c) => {
                format!("it contains the character {:?} ({})", c, super::chars::code_point(c))
            }
            HostnameProblem::Numeric => "it is numeric (digits and dots only)".to_string(),
            HostnameProblem::TooLong => "it is longer than 255 characters".to_string(),
        }
    }
}

/// Postfix's `valid_hostname(name, DONT_GRIPE)`: true when `name` is a syntactically valid
/// hostname (see the module documentation for the exact rules).
pub fn valid_hostname(name: &str) -> bool {
    hostname_problem(name, false).is_none()
}

/// `valid_hostname(name, DO_WILDCARD)`, which `dns_lookup.c` applies to names in DNS
/// replies: like [`valid_hostname`], but `*.` may start the name.
pub fn valid_dns_name(name: &str) -> bool {
    hostname_problem(name, true).is_none()
}

/// The first problem `valid_hostname()` finds in `name`, or `None` when it passes.
///
/// With `wildcard`, a leading `*` label is allowed when a dot follows it (Postfix 3.12's rule;
/// 3.7 also let a lone `*` through).
pub fn hostname_problem(name: &str, wildcard: bool) -> Option<HostnameProblem> {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return Some(HostnameProblem::Empty);
    }
    let mut label_length = 0usize;
    let mut label_count = 0usize;
    let mut non_numeric = false;
    for (i, &ch) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        if ch.is_ascii_alphanumeric() || ch == b'_' {
            if label_length == 0 {
                label_count += 1;
            }
            label_length += 1;
            if label_length > LABEL_MAX {
                return Some(HostnameProblem::LabelTooLong);
            }
            if !ch.is_ascii_digit() {
                non_numeric = true;
            }
        } else if wildcard && ch == b'*' {
            if label_length > 0 || label_count > 0 || next != Some(b'.') {
                return Some(HostnameProblem::MisplacedWildcard);
            }
            label_count += 1;
            label_length += 1;
            non_numeric = true;
        } else if ch == b'.' {
            if label_length == 0 || next.is_none() {
                return Some(HostnameProblem::MisplacedDot);
            }
            label_length = 0;
        } else if ch == b'-' {
            non_numeric = true;
            label_length += 1;
            if label_length == 1 || next.is_none() || next == Some(b'.') {
                return Some(HostnameProblem::MisplacedHyphen);
            }
        } else {
            let c = name.get(i..).and_then(|s| s.chars().next()).unwrap_or('\u{fffd}');
            return Some(HostnameProblem::BadCharacter(c));
        }
    }
    if !non_numeric {
        return Some(HostnameProblem::Numeric);
    }
    if bytes.len() > HOSTNAME_MAX {
        return Some(HostnameProblem::TooLong);
    }
    None
}

/// Postfix's `valid_hostaddr()`: an IPv6 address when the text has a `:`, otherwise an IPv4
/// dotted quad. No brackets and no `IPv6:` prefix.
pub fn valid_hostaddr(addr: &str) -> bool {
    if addr.contains(':') {
        valid_ipv6_hostaddr(addr)
    } else {
        valid_ipv4_hostaddr(addr)
    }
}

/// Postfix's `valid_ipv4_hostaddr()`: four decimal octets ≤ 255 (leading zeros allowed), and
/// a first octet of 0 only in `0.0.0.0`.
pub fn valid_ipv4_hostaddr(addr: &str) -> bool {
    let bytes = addr.as_bytes();
    let mut in_byte = false;
    let mut byte_count = 0usize;
    let mut byte_val = 0u32;
    for (i, &ch) in bytes.iter().enumerate() {
        if ch.is_ascii_digit() {
            if !in_byte {
                in_byte = true;
                byte_val = 0;
                byte_count += 1;
            }
            byte_val = byte_val * 10 + u32::from(ch - b'0');
            if byte_val > 255 {
                return false;
            }
        } else if ch == b'.' {
            if !in_byte || i + 1 == bytes.len() {
                return false;
            }
            // 0.0.0.0 is allowed, 0.1.2.3 is not.
            if byte_count == 1 && byte_val == 0 && !bytes.iter().all(|&b| b == b'0' || b == b'.') {
                return false;
            }
            in_byte = false;
        } else {
            return false;
        }
    }
    byte_count == 4
}

/// Postfix's `valid_ipv6_hostaddr()`: up to eight 16-bit hex fields separated by `:`, at
/// most one `::`, optionally ending in a dotted quad.
pub fn valid_ipv6_hostaddr(addr: &str) -> bool {
    let bytes = addr.as_bytes();
    let mut null_field = 0usize;
    let mut field = 0usize;
    let mut len = 0usize;
    let mut i = 0usize;
    loop {
        match bytes.get(i).copied() {
            None => {
                return field >= 2 && !(len == 0 && null_field + 1 != field);
            }
            Some(b'.') => {
                if !(2..=6).contains(&field) {
                    return false;
                }
                return addr.get(i - len..).is_some_and(valid_ipv4_hostaddr);
            }
            Some(b':') => {
                let next = bytes.get(i + 1).copied();
                if field == 0 && len == 0 && next.is_some_and(|b| b.is_ascii_alphanumeric()) {
                    return false;
                }
                field += 1;
                if field > 7 {
                    return false;
                }
                i += 1;
                len = 0;
                if next == Some(b':') {
                    if null_field > 0 {
                        return false;
                    }
                    null_field = field;
                }
            }
            Some(_) => {
                len = bytes.get(i..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_hexdigit()).count());
                if len == 0 || len > 4 {
                    return false;
                }
                i += len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in [
            "in1-smtp.messagingengine.com",
            "localhost",
            "a",
            "x_y.example", // underscore is accepted ("grr..")
            "example.123", // numeric last label, non-numeric earlier label
            "123.example",
            "a-b.c-d",
            "0a",
            "ALL-CAPS.EXAMPLE",
        ] {
            assert!(valid_hostname(name), "{name}");
        }
    }

    #[test]
    fn refuses_what_postfix_refuses() {
        let cases: &[(&str, HostnameProblem)] = &[
            ("", HostnameProblem::Empty),
            ("example.com.", HostnameProblem::MisplacedDot),
            (".example.com", HostnameProblem::MisplacedDot),
            ("a..b", HostnameProblem::MisplacedDot),
            (".", HostnameProblem::MisplacedDot),
            ("-a.b", HostnameProblem::MisplacedHyphen),
            ("a-.b", HostnameProblem::MisplacedHyphen),
            ("a.b-", HostnameProblem::MisplacedHyphen),
            ("1.2.3.4", HostnameProblem::Numeric),
            ("123", HostnameProblem::Numeric),
            ("[mx.example.com]", HostnameProblem::BadCharacter('[')),
            ("mx.example.com:25", HostnameProblem::BadCharacter(':')),
            ("bücher.de", HostnameProblem::BadCharacter('ü')),
            ("a b", HostnameProblem::BadCharacter(' ')),
            ("*.example.com", HostnameProblem::BadCharacter('*')),
        ];
        for &(name, problem) in cases {
            assert_eq!(hostname_problem(name, false), Some(problem), "{name:?}");
            assert!(!valid_hostname(name));
        }
    }

    #[test]
    fn length_limits() {
        let label63 = "a".repeat(63);
        assert!(valid_hostname(&label63));
        assert_eq!(hostname_problem(&"a".repeat(64), false), Some(HostnameProblem::LabelTooLong));
        // 4 labels of 63 + 3 dots = 255: fine; one more character is too long.
        let name255 = [label63.as_str(); 4].join(".");
        assert_eq!(name255.len(), 255);
        assert!(valid_hostname(&name255));
        let name257 = format!("{name255}.b");
        assert_eq!(hostname_problem(&name257, false), Some(HostnameProblem::TooLong));
    }

    #[test]
    fn wildcard_only_in_dns_names() {
        assert!(valid_dns_name("*.example.com"));
        assert!(!valid_dns_name("a.*.example.com"));
        assert!(!valid_dns_name("*x.example.com"));
        assert!(!valid_dns_name("*"));
        assert!(valid_dns_name("mx.example.com"));
    }

    #[test]
    fn ipv4_addresses() {
        assert!(valid_ipv4_hostaddr("66.111.4.74"));
        assert!(valid_ipv4_hostaddr("0.0.0.0"));
        assert!(valid_ipv4_hostaddr("010.1.1.1"));
        assert!(!valid_ipv4_hostaddr("0.1.2.3"));
        assert!(!valid_ipv4_hostaddr("256.1.1.1"));
        assert!(!valid_ipv4_hostaddr("1.2.3"));
        assert!(!valid_ipv4_hostaddr("1.2.3.4.5"));
        assert!(!valid_ipv4_hostaddr("1.2.3."));
        assert!(!valid_ipv4_hostaddr(".1.2.3"));
        assert!(!valid_ipv4_hostaddr("1..2.3"));
        assert!(!valid_ipv4_hostaddr(""));
    }

    #[test]
    fn ipv6_addresses() {
        for ok in ["::1", "2001:db8::1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "fe80::", "::"] {
            assert!(valid_ipv6_hostaddr(ok), "{ok}");
            assert!(valid_hostaddr(ok), "{ok}");
        }
        for bad in [":1:2", "1:2", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "g::1", "1:2:3:4:5:6:7:", ""] {
            assert!(!valid_ipv6_hostaddr(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = valid_hostname(&s);
            let _ = valid_dns_name(&s);
            let _ = valid_hostaddr(&s);
        }

        #[test]
        fn never_panics_on_address_like_text(s in "[0-9a-f:.]{0,50}") {
            let _ = valid_hostaddr(&s);
            let _ = valid_hostname(&s);
        }

        #[test]
        fn generated_names_pass(labels in proptest::collection::vec("[a-z][a-z0-9-]{0,20}[a-z0-9]", 1..5)) {
            let name = labels.join(".");
            prop_assert!(valid_hostname(&name));
        }
    }
}

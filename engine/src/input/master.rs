//! master.cf text pasted among main.cf lines: service lines and their `-o name=value`
//! overrides.
//!
//! A master.cf service line has eight fields (`service type private unpriv chroot wakeup
//! maxproc command`) followed by command arguments, and continues on lines that start with
//! whitespace. `-o name=value` among the arguments sets a main.cf parameter for that service's
//! processes only (spec §8: "Parameters are per smtp(8) process"). Since Postfix 3.0 an
//! argument may be grouped with braces, `-o { name = value with spaces }`. Everything after
//! `argv=` belongs to the external command of a pipe(8) service.

use super::chars::{is_space, trim_space};

/// Service types master.cf accepts in its second field.
const SERVICE_TYPES: &[&str] = &["inet", "unix", "unix-dgram", "fifo", "pass"];

/// The fields of a recognised service line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceLine {
    /// `name/type`, Postfix's own notation (`postconf -P`), e.g. `smtp/unix`: the name alone is
    /// ambiguous (`smtp inet` is the server, `smtp unix` the client).
    pub service: String,
    /// Byte range of the service name.
    pub name_range: (usize, usize),
    /// The command (eighth field), e.g. `smtp`, `smtpd`, `pipe`.
    pub command: String,
    /// Byte offset just after the command field, where arguments start.
    pub args_start: usize,
}

/// One `-o name=value` override, with byte ranges into the scanned text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// Parameter name.
    pub name: String,
    /// Parameter value (may be empty: `-o content_filter=`).
    pub value: String,
    /// Byte range of the name.
    pub name_range: (usize, usize),
    /// Byte range of the value.
    pub value_range: (usize, usize),
}

/// A `-o` argument that is not `name=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadOverride {
    /// The argument as written.
    pub text: String,
    /// Its byte range.
    pub range: (usize, usize),
}

/// True for master.cf `type` names.
pub fn is_service_type(word: &str) -> bool {
    SERVICE_TYPES.contains(&word)
}

/// The service line fields, if `text` is one: a type in field 2, `-`/`y`/`n` in fields 3–5,
/// a wakeup time (`-`, digits, optional `?`) and a process limit (`-` or digits).
pub fn service_line(text: &str) -> Option<ServiceLine> {
    let fields: Vec<(usize, usize)> = tokens(text, 0).take(8).collect();
    let field = |i: usize| fields.get(i).and_then(|&(s, e)| text.get(s..e));
    let yes_no = |w: Option<&str>| matches!(w, Some("-" | "y" | "n"));
    let number = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let ok = fields.len() == 8
        && field(1).is_some_and(is_service_type)
        && (2..5).all(|i| yes_no(field(i)))
        && field(5).is_some_and(|w| w == "-" || number(w.strip_suffix('?').unwrap_or(w)))
        && field(6).is_some_and(|w| w == "-" || number(w));
    if !ok {
        return None;
    }
    let &(name_start, name_end) = fields.first()?;
    let &(_, command_end) = fields.get(7)?;
    Some(ServiceLine {
        service: format!("{}/{}", field(0)?, field(1)?),
        name_range: (name_start, name_end),
        command: field(7)?.to_string(),
        args_start: command_end,
    })
}

/// The `-o` overrides in `text` from byte `from` on (`-o name=value`, `-oname=value`,
/// `-o { name = value }`), stopping at `argv=`.
pub fn overrides(text: &str, from: usize) -> (Vec<Override>, Vec<BadOverride>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let mut toks = tokens(text, from);
    while let Some((s, e)) = toks.next() {
        let word = text.get(s..e).unwrap_or("");
        if word.starts_with("argv=") {
            break;
        }
        let arg = if word == "-o" {
            match toks.next() {
                Some(range) => range,
                None => {
                    bad.push(BadOverride { text: word.to_string(), range: (s, e) });
                    break;
                }
            }
        } else if word.len() > 2 && word.starts_with("-o") {
            (s + 2, e)
        } else {
            continue;
        };
        match name_value(text, arg) {
            Some(o) => good.push(o),
            None => bad.push(BadOverride { text: text.get(arg.0..arg.1).unwrap_or("").to_string(), range: arg }),
        }
    }
    (good, bad)
}

/// True when `text` (a line or the rest of one) starts with a `-o` argument.
pub fn starts_with_override(text: &str) -> bool {
    let t = trim_space(text);
    t == "-o"
        || t.strip_prefix("-o").is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '{')
                || rest.starts_with(|c: char| c.is_ascii() && is_space(c as u8))
        })
}

/// Splits one `-o` argument into name and value (`split_nameval()`, after unwrapping braces).
fn name_value(text: &str, (s, e): (usize, usize)) -> Option<Override> {
    let (mut s, mut e) = (s, e);
    let arg = text.get(s..e)?;
    if arg.starts_with('{') {
        if !arg.ends_with('}') || arg.len() < 2 {
            return None;
        }
        s += 1;
        e -= 1;
    }
    let inner = text.get(s..e)?;
    let lead = inner.len() - inner.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8)).len();
    let eq = inner.find('=')?;
    let name_part = inner.get(lead..eq)?;
    let name = name_part.trim_end_matches(|c: char| c.is_ascii() && is_space(c as u8));
    if name.is_empty() || name.bytes().any(is_space) {
        return None;
    }
    let value_part = inner.get(eq + 1..)?;
    let value_lead =
        value_part.len() - value_part.trim_start_matches(|c: char| c.is_ascii() && is_space(c as u8)).len();
    let value = trim_space(value_part);
    let name_start = s + lead;
    let value_start = s + eq + 1 + value_lead;
    Some(Override {
        name: name.to_string(),
        value: value.to_string(),
        name_range: (name_start, name_start + name.len()),
        value_range: (value_start, value_start + value.len()),
    })
}

/// Whitespace-separated tokens of `text` from `from`, with `{…}` groups (nested) kept whole.
fn tokens(text: &str, from: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = from.min(bytes.len());
    std::iter::from_fn(move || {
        while bytes.get(i).is_some_and(|&b| is_space(b)) {
            i += 1;
        }
        let start = i;
        if bytes.get(i) == Some(&b'{') {
            let mut depth = 0usize;
            while let Some(&b) = bytes.get(i) {
                i += 1;
                if b == b'{' {
                    depth += 1;
                } else if b == b'}' {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
        } else {
            while bytes.get(i).is_some_and(|&b| !is_space(b)) {
                i += 1;
            }
        }
        (i > start).then_some((start, i))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_service_lines() {
        let l = service_line("smtp      unix  -       -       -       -       -       smtp").map(|s| s.service);
        assert_eq!(l.as_deref(), Some("smtp/unix"));
        let l = service_line("tlsmgr    unix  -       -       -       1000?   1       tlsmgr");
        assert_eq!(l.map(|s| s.command).as_deref(), Some("tlsmgr"));
        let l = service_line("127.0.0.1:10025 inet    n       -       -       -       -       smtpd");
        assert_eq!(l.map(|s| s.service).as_deref(), Some("127.0.0.1:10025/inet"));
        assert_eq!(service_line("smtp_tls_security_level = may"), None);
        assert_eq!(service_line("smtp unix - - - - - "), None);
        assert_eq!(service_line("a b c d e f g h"), None);
    }

    #[test]
    fn extracts_overrides() {
        let text = "smtp-amavis unix - - - - 2 smtp -o smtp_data_done_timeout=1200 -o content_filter= -odisable_dns_lookups=yes -o { smtp_tls_policy_maps = hash:/x y } -o junk";
        let line = service_line(text);
        let from = line.as_ref().map_or(0, |l| l.args_start);
        let (good, bad) = overrides(text, from);
        let pairs: Vec<_> = good.iter().map(|o| (o.name.as_str(), o.value.as_str())).collect();
        assert_eq!(
            pairs,
            vec![
                ("smtp_data_done_timeout", "1200"),
                ("content_filter", ""),
                ("disable_dns_lookups", "yes"),
                ("smtp_tls_policy_maps", "hash:/x y"),
            ]
        );
        for o in &good {
            assert_eq!(text.get(o.name_range.0..o.name_range.1), Some(o.name.as_str()));
            assert_eq!(text.get(o.value_range.0..o.value_range.1), Some(o.value.as_str()));
        }
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].text, "junk");
    }

    #[test]
    fn stops_at_argv() {
        let text = "x unix - n n - - pipe flags=F user=u argv=/bin/cmd -o not=this";
        let from = service_line(text).map_or(0, |l| l.args_start);
        assert_eq!(overrides(text, from), (vec![], vec![]));
    }

    #[test]
    fn override_prefix() {
        assert!(starts_with_override("  -o smtp_tls_security_level=may"));
        assert!(starts_with_override("-osmtp_x=1"));
        assert!(starts_with_override("-o {a = b}"));
        assert!(starts_with_override("  -o"));
        assert!(!starts_with_override("  --option"));
        assert!(!starts_with_override("-output"[..1].as_ref()));
        assert!(!starts_with_override("-o.x"));
    }

    #[test]
    fn unbalanced_braces_do_not_panic() {
        let (good, bad) = overrides("-o {a = b", 0);
        assert!(good.is_empty());
        assert_eq!(bad.len(), 1);
        let _ = overrides("-o }}{{", 0);
        let _ = overrides("-o {}", 0);
    }
}

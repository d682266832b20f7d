//! Domain names in Unicode form to their ASCII (A-label) form, as `midna_domain_to_ascii()`
//! does with ICU's UTS #46 processing: map (lower-case), split on the four IDNA full stops,
//! Punycode-encode non-ASCII labels with the `xn--` prefix, then require a valid hostname.
//!
//! This is a compact implementation of the parts that matter for mail domains; it does not
//! apply Unicode normalisation (NFC) or the full UTS #46 mapping table, so exotic inputs may
//! convert where ICU would refuse. Such inputs are reported as approximations by the caller.

/// The IDNA2003 label separators Postfix also accepts: U+3002, U+FF0E, U+FF61.
pub const IDEOGRAPHIC_FULL_STOPS: [char; 3] = ['\u{3002}', '\u{FF0E}', '\u{FF61}'];

/// Converts `name` to its ASCII form, or `None` when it cannot be converted (Postfix then
/// keeps the UTF-8 string, which can never match a certificate name).
pub fn to_ascii(name: &str) -> Option<String> {
    if name.is_ascii() {
        return Some(name.to_string());
    }
    let unified: String = name.chars().map(|c| if IDEOGRAPHIC_FULL_STOPS.contains(&c) { '.' } else { c }).collect();
    let mut labels = Vec::new();
    for label in unified.split('.') {
        let mapped: String = label.chars().flat_map(char::to_lowercase).collect();
        if mapped.is_ascii() {
            labels.push(mapped);
        } else {
            if mapped.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return None;
            }
            labels.push(format!("xn--{}", punycode_encode(&mapped)?));
        }
    }
    let ascii = labels.join(".");
    crate::input::hostname::valid_hostname(&ascii).then_some(ascii)
}

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

fn adapt(mut delta: u32, num_points: u32, first_time: bool) -> u32 {
    delta /= if first_time { DAMP } else { 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (((BASE - T_MIN + 1) * delta) / (delta + SKEW))
}

fn digit(d: u32) -> char {
    // 0..25 → a..z, 26..35 → 0..9 (RFC 3492 §5)
    let byte = if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 };
    byte as char
}

/// RFC 3492 Punycode encoding of one label; `None` on arithmetic overflow.
pub fn punycode_encode(label: &str) -> Option<String> {
    let code_points: Vec<u32> = label.chars().map(|c| c as u32).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let mut n = INITIAL_N;
    let mut delta: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let total = code_points.len() as u32;
    while handled < total {
        let m = code_points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &code_points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias { T_MIN } else if k >= bias + T_MAX { T_MAX } else { k - bias };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3492_and_common_vectors() {
        assert_eq!(punycode_encode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode_encode("münchen").as_deref(), Some("mnchen-3ya"));
        assert_eq!(punycode_encode("例え").as_deref(), Some("r8jz45g"));
        assert_eq!(to_ascii("Bücher.Example").as_deref(), Some("xn--bcher-kva.example"));
        assert_eq!(to_ascii("例え。テスト").as_deref(), Some("xn--r8jz45g.xn--zckzah"));
        assert_eq!(to_ascii("plain.example").as_deref(), Some("plain.example"));
    }

    #[test]
    fn garbage_does_not_convert() {
        assert_eq!(to_ascii("bad label\u{7}.ü"), None);
        assert_eq!(to_ascii("ü..example"), None);
    }
}

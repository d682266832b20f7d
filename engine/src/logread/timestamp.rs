//! Log timestamps to the scenario's evaluation time: certificate dates should be checked at the
//! moment Postfix decided, not when the log is pasted. Only a timestamp with a date and a zone
//! says when that was; classic syslog stamps have neither year nor zone.

use crate::cert::time::{days_from_civil, rfc3339};

/// `2026-02-25T21:57:22.123+01:00` (or `Z`, `+0100`, ` UTC`) as RFC 3339 UTC; `None` for stamps
/// without a date or zone.
pub fn utc_rfc3339(stamp: &str) -> Option<String> {
    let t = stamp.trim();
    // journalctl -o short-full: `Thu 2026-02-25 21:57:22 UTC`.
    let t = match t.get(..4) {
        Some(w) if w.ends_with(' ') && w[..3].bytes().all(|c| c.is_ascii_alphabetic()) => &t[4..],
        _ => t,
    };
    let num = |s: &str| s.parse::<i64>().ok();
    let (y, mo, d) = (num(t.get(0..4)?)?, num(t.get(5..7)?)?, num(t.get(8..10)?)?);
    if t.get(4..5)? != "-" || t.get(7..8)? != "-" || !matches!(t.get(10..11)?, "T" | " ") {
        return None;
    }
    let (h, mi, s) = (num(t.get(11..13)?)?, num(t.get(14..16)?)?, num(t.get(17..19)?)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = t.get(19..)?;
    if let Some(frac) = rest.strip_prefix(['.', ',']) {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset_minutes = match rest.trim() {
        "Z" | "UTC" | "GMT" | "+00:00" | "+0000" => 0,
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() >= 3 => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 2 && digits.len() != 4 {
                return None;
            }
            let hh = num(digits.get(0..2)?)?;
            let mm = if digits.len() == 4 { num(digits.get(2..4)?)? } else { 0 };
            sign * (hh * 60 + mm)
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
    Some(rfc3339(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_applied() {
        assert_eq!(utc_rfc3339("2026-02-25T21:57:22Z").as_deref(), Some("2026-02-25T21:57:22Z"));
        assert_eq!(utc_rfc3339("2026-02-25T21:57:22.123456+01:00").as_deref(), Some("2026-02-25T20:57:22Z"));
        assert_eq!(utc_rfc3339("2026-02-25T00:30:00-0130").as_deref(), Some("2026-02-25T02:00:00Z"));
        assert_eq!(utc_rfc3339("Thu 2026-02-25 21:57:22 UTC").as_deref(), Some("2026-02-25T21:57:22Z"));
    }

    #[test]
    fn stamps_without_date_or_zone_say_nothing() {
        for t in ["Feb 25 21:57:22", "2026-02-25T21:57:22", "Thu 2026-02-25 21:57:22 CET", "[ 12.5]", "", "2026-02-25T21:57:22+1", "2026-13-25T21:57:22Z", "ééééééééééééééééééééé"] {
            assert_eq!(utc_rfc3339(t), None, "{t}");
        }
    }
}

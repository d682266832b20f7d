//! Permalinks: a whole scenario in the page's URL fragment (`#s=…`), which browsers never send
//! to a server.
//!
//! The page compresses the JSON with `CompressionStream("deflate-raw")`; everything around that
//! is here, so it is tested natively: the fragment grammar (`embed`, `lang=`, `s=`), base64url,
//! the size limits, the payload's version field, and the rule that a link never carries a
//! private key. Payload JSON is `{"peername": 1, "scenario": {…}}`; the scenario's fields are the
//! ones of [`Scenario`] (missing fields take their defaults, unknown ones are ignored).
//!
//! Limits: a fragment value of at most [`MAX_FRAGMENT_CHARS`] characters (48 KiB compressed —
//! links travel through chat and mail, which truncate longer ones), and at most [`MAX_JSON_BYTES`]
//! of JSON once decompressed (so a small link cannot inflate into gigabytes).

use crate::cert::pem::{contains_private_key, strip_private_keys};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The payload version written into every link; links with another version are refused.
pub const PERMALINK_VERSION: u32 = 1;
/// The longest `s=` value accepted or produced, in characters (base64url of 48 KiB).
pub const MAX_FRAGMENT_CHARS: usize = 64 * 1024;
/// The most compressed bytes a link can carry (what [`MAX_FRAGMENT_CHARS`] encodes).
pub const MAX_COMPRESSED_BYTES: usize = MAX_FRAGMENT_CHARS / 4 * 3;
/// The most JSON a link may decompress to.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// What a link carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// [`PERMALINK_VERSION`].
    pub peername: u32,
    /// The scenario.
    pub scenario: Scenario,
}

/// Why a link cannot be made or read. [`PermalinkError::code`] is stable (for translations);
/// [`PermalinkError::message`] is the English text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermalinkError {
    /// The scenario does not fit in a link (compressed size, in bytes).
    TooLong {
        /// Compressed size.
        bytes: usize,
    },
    /// The fragment is longer than any link peername makes.
    FragmentTooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// A character that is not base64url.
    BadCharacter {
        /// Offset in the `s=` value.
        offset: usize,
    },
    /// The decompressed data is larger than [`MAX_JSON_BYTES`] or could not be decompressed.
    BadCompression,
    /// The JSON is not a peername payload (message from the JSON reader).
    Malformed {
        /// What the reader said.
        detail: String,
    },
    /// A payload version this page does not read.
    UnknownVersion {
        /// The version found.
        found: u32,
    },
}

impl PermalinkError {
    /// Stable code, e.g. `permalink.too-long`.
    pub fn code(&self) -> &'static str {
        match self {
            PermalinkError::TooLong { .. } => "permalink.too-long",
            PermalinkError::FragmentTooLong { .. } => "permalink.fragment-too-long",
            PermalinkError::BadCharacter { .. } => "permalink.bad-character",
            PermalinkError::BadCompression => "permalink.bad-compression",
            PermalinkError::Malformed { .. } => "permalink.malformed",
            PermalinkError::UnknownVersion { .. } => "permalink.unknown-version",
        }
    }

    /// The English message.
    pub fn message(&self) -> String {
        match self {
            PermalinkError::TooLong { bytes } => format!(
                "This scenario is too large for a link ({} KiB compressed; links hold at most {} KiB). Shorten the pasted inputs (e.g. keep only the relevant policy lines).",
                bytes.div_ceil(1024),
                MAX_COMPRESSED_BYTES / 1024
            ),
            PermalinkError::FragmentTooLong { chars } => {
                format!("The link is {chars} characters long; peername links are at most {MAX_FRAGMENT_CHARS}. It was not read.")
            }
            PermalinkError::BadCharacter { offset } => {
                format!("The link is damaged (character {} is not part of a peername link). It was not read.", offset + 1)
            }
            PermalinkError::BadCompression => "The link is damaged or truncated (its data does not decompress). It was not read.".to_string(),
            PermalinkError::Malformed { detail } => format!("The link does not hold a peername scenario ({detail}). It was not read."),
            PermalinkError::UnknownVersion { found } => {
                format!("The link was made by another version of peername (format {found}; this page reads format {PERMALINK_VERSION}). It was not read.")
            }
        }
    }
}

/// The parts of a page fragment (`#embed&lang=ja&s=…`), in any order; unknown parts are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    /// `embed`: minimal chrome for iframes.
    pub embed: bool,
    /// `lang=xx`.
    pub lang: Option<String>,
    /// The `s=` value (base64url), if any.
    pub scenario: Option<String>,
}

/// Reads a fragment, with or without its leading `#`.
pub fn parse_fragment(fragment: &str) -> Fragment {
    let mut f = Fragment::default();
    for part in fragment.trim_start_matches('#').split('&') {
        match part.split_once('=') {
            None if part == "embed" => f.embed = true,
            Some(("lang", v)) if !v.is_empty() && v.len() <= 16 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
                f.lang = Some(v.to_string())
            }
            Some(("s", v)) if !v.is_empty() => f.scenario = Some(v.to_string()),
            _ => {}
        }
    }
    f
}

/// Writes a fragment (without `#`) in a fixed order: `embed`, `lang=`, `s=`.
pub fn write_fragment(f: &Fragment) -> String {
    let mut parts = Vec::new();
    if f.embed {
        parts.push("embed".to_string());
    }
    if let Some(lang) = &f.lang {
        parts.push(format!("lang={lang}"));
    }
    if let Some(s) = &f.scenario {
        parts.push(format!("s={s}"));
    }
    parts.join("&")
}

/// A scenario ready for a link, and whether private keys had to be removed from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// What to serialize (as JSON) and compress.
    pub payload: Payload,
    /// At least one private key block was removed.
    pub stripped_private_keys: bool,
}

/// Removes every private key block from every text that can hold PEM.
fn strip_keys(scenario: &mut Scenario) -> bool {
    let mut stripped = false;
    let mut strip = |text: &mut String| {
        if contains_private_key(text) {
            *text = strip_private_keys(text);
            stripped = true;
        }
    };
    for chain in &mut scenario.certificates {
        strip(&mut chain.pem);
    }
    strip(&mut scenario.ca_bundle);
    for pem in scenario.trust_anchor_files.values_mut() {
        strip(pem);
    }
    stripped
}

/// The payload for `scenario`, without private keys: a link never carries one.
pub fn prepare(scenario: &Scenario) -> Prepared {
    let mut scenario = scenario.clone();
    let stripped_private_keys = strip_keys(&mut scenario);
    Prepared { payload: Payload { peername: PERMALINK_VERSION, scenario }, stripped_private_keys }
}

/// Checks a payload read from a link: its version, and no private key (a hand-made link could
/// carry one; it is removed, and the flag says so).
pub fn accept(payload: Payload) -> Result<Prepared, PermalinkError> {
    if payload.peername != PERMALINK_VERSION {
        return Err(PermalinkError::UnknownVersion { found: payload.peername });
    }
    let mut scenario = payload.scenario;
    let stripped_private_keys = strip_keys(&mut scenario);
    Ok(Prepared { payload: Payload { peername: PERMALINK_VERSION, scenario }, stripped_private_keys })
}

/// The `s=` value for compressed payload bytes, or why they do not fit in a link.
pub fn frame(compressed: &[u8]) -> Result<String, PermalinkError> {
    if compressed.len() > MAX_COMPRESSED_BYTES {
        return Err(PermalinkError::TooLong { bytes: compressed.len() });
    }
    Ok(encode_base64(compressed, Alphabet::Url))
}

/// The compressed bytes of an `s=` value.
pub fn unframe(value: &str) -> Result<Vec<u8>, PermalinkError> {
    let chars = value.chars().count();
    if chars > MAX_FRAGMENT_CHARS {
        return Err(PermalinkError::FragmentTooLong { chars });
    }
    decode_base64url(value)
}

/// Whether decompressed JSON of `len` bytes may still be read (checked while decompressing).
pub fn json_len_ok(len: usize) -> bool {
    len <= MAX_JSON_BYTES
}

/// Base64 alphabets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alphabet {
    /// RFC 4648 §4 with `=` padding (PEM bodies).
    Standard,
    /// RFC 4648 §5 without padding (URLs).
    Url,
}

/// Encodes `bytes` in base64.
pub fn encode_base64(bytes: &[u8], alphabet: Alphabet) -> String {
    let table: &[u8; 64] = match alphabet {
        Alphabet::Standard => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        Alphabet::Url => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = [(n >> 18) & 63, (n >> 12) & 63, (n >> 6) & 63, n & 63];
        for (i, s) in sextets.iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(table[*s as usize]));
            } else if alphabet == Alphabet::Standard {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes unpadded base64url (trailing `=` tolerated: some chat clients add it).
fn decode_base64url(text: &str) -> Result<Vec<u8>, PermalinkError> {
    let body = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (offset, b) in body.bytes().enumerate() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(PermalinkError::BadCharacter { offset }),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        // One lone character carries no whole byte: the value was cut.
        return Err(PermalinkError::BadCompression);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ServedChain;

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
    const KEY: &str = "-----BEGIN PRIVATE KEY-----\nU0VDUkVU\n-----END PRIVATE KEY-----\n";

    #[test]
    fn base64_round_trips_every_length_in_both_alphabets() {
        for len in 0..70usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            let url = encode_base64(&bytes, Alphabet::Url);
            assert!(!url.contains(['=', '+', '/']), "{url}");
            assert_eq!(decode_base64url(&url).unwrap(), bytes);
            let std = encode_base64(&bytes, Alphabet::Standard);
            assert_eq!(std.len() % 4, 0);
            assert_eq!(crate::cert::base64::decode(std.as_bytes()).unwrap(), bytes);
        }
        assert_eq!(encode_base64(b"\xfb\xff", Alphabet::Url), "-_8");
        assert_eq!(encode_base64(b"\xfb\xff", Alphabet::Standard), "+/8=");
    }

    #[test]
    fn damaged_values_are_refused_with_the_offset() {
        assert_eq!(unframe("AAAA*AAA"), Err(PermalinkError::BadCharacter { offset: 4 }));
        assert_eq!(unframe("AAAAA"), Err(PermalinkError::BadCompression));
        assert_eq!(unframe("AAE="), Ok(vec![0, 1]));
        let e = unframe("A+A").unwrap_err();
        assert_eq!(e.code(), "permalink.bad-character");
        assert!(e.message().contains("character 2"), "{}", e.message());
    }

    #[test]
    fn oversize_links_are_refused_both_ways() {
        let big = vec![0u8; MAX_COMPRESSED_BYTES + 1];
        let e = frame(&big).unwrap_err();
        assert_eq!(e, PermalinkError::TooLong { bytes: MAX_COMPRESSED_BYTES + 1 });
        assert!(e.message().contains("48 KiB"), "{}", e.message());
        let fits = frame(&vec![7u8; MAX_COMPRESSED_BYTES]).unwrap();
        assert_eq!(fits.len(), MAX_FRAGMENT_CHARS);
        assert_eq!(unframe(&fits).unwrap().len(), MAX_COMPRESSED_BYTES);
        let long = "A".repeat(MAX_FRAGMENT_CHARS + 1);
        assert_eq!(unframe(&long), Err(PermalinkError::FragmentTooLong { chars: MAX_FRAGMENT_CHARS + 1 }));
        assert!(json_len_ok(MAX_JSON_BYTES) && !json_len_ok(MAX_JSON_BYTES + 1));
    }

    #[test]
    fn fragments_parse_in_any_order_and_write_in_one() {
        let f = parse_fragment("#s=abc&lang=ja&embed&utm=x");
        assert_eq!(f, Fragment { embed: true, lang: Some("ja".into()), scenario: Some("abc".into()) });
        assert_eq!(write_fragment(&f), "embed&lang=ja&s=abc");
        assert_eq!(parse_fragment(""), Fragment::default());
        assert_eq!(parse_fragment("#lang=<script>").lang, None);
        assert_eq!(write_fragment(&Fragment { scenario: Some("x".into()), ..Fragment::default() }), "s=x");
    }

    #[test]
    fn links_never_carry_private_keys() {
        let mut s = Scenario::default();
        s.certificates = vec![ServedChain { host: String::new(), pem: format!("{CERT}{KEY}") }];
        s.ca_bundle = KEY.to_string();
        s.trust_anchor_files.insert("/etc/ta.pem".into(), format!("{KEY}{CERT}"));
        let p = prepare(&s);
        assert!(p.stripped_private_keys);
        assert_eq!(p.payload.peername, PERMALINK_VERSION);
        assert_eq!(p.payload.scenario.certificates[0].pem, CERT);
        assert_eq!(p.payload.scenario.ca_bundle, "");
        assert_eq!(p.payload.scenario.trust_anchor_files["/etc/ta.pem"], CERT);
        let clean = prepare(&p.payload.scenario);
        assert!(!clean.stripped_private_keys);
        assert_eq!(clean.payload.scenario, p.payload.scenario);
    }

    #[test]
    fn read_payloads_are_versioned_and_cleaned() {
        let mut s = Scenario::default();
        s.certificates = vec![ServedChain { host: "mx".into(), pem: KEY.to_string() }];
        let e = accept(Payload { peername: 2, scenario: s.clone() }).unwrap_err();
        assert_eq!(e.code(), "permalink.unknown-version");
        let ok = accept(Payload { peername: 1, scenario: s }).unwrap();
        assert!(ok.stripped_private_keys);
        assert_eq!(ok.payload.scenario.certificates[0].pem, "");
    }

    #[test]
    fn payload_json_shape_is_checked_by_its_type() {
        let json = r#"{"peername":1,"scenario":{"destination":"user@fastmail.fm","future_field":true}}"#;
        let p: Payload = serde_json::from_str(json).unwrap();
        assert_eq!(p.scenario.destination, "user@fastmail.fm");
        assert_eq!(p.scenario.postfix_version, crate::version::DEFAULT_VERSION);
        for bad in [r#"{"scenario":{}}"#, r#"{"peername":1,"scenario":{"destination":7}}"#, "[]"] {
            let e = serde_json::from_str::<Payload>(bad).map_err(|e| PermalinkError::Malformed { detail: e.to_string() }).unwrap_err();
            assert_eq!(e.code(), "permalink.malformed", "{bad}");
        }
    }
}

//! Distinguished names as OpenSSL's `X509_NAME_oneline` prints them.
//!
//! Postfix logs issuers in this format (`untrusted issuer /O=Postfix Oracle/CN=…`), so the
//! page must reproduce it byte for byte: `/SN=value` per attribute, `+` instead of `/` between
//! attributes of one multi-valued RDN, OpenSSL short names (dotted OIDs for unknown types),
//! `\/` and `\+` for slashes and plus signs in values, and `\xHH` (uppercase hex) for every
//! byte outside printable ASCII — bytes, not characters, so UTF-8 and BMPString values show
//! their encoding. Postfix passes a 256-byte buffer, which drops whole trailing attributes
//! that do not fit; [`oneline_truncated`] models that.

use super::asn1_string;
use super::certificate::CertError;
use super::der;
use super::oid;
use x509_parser::asn1_rs::Class;
use x509_parser::x509::X509Name;

/// One attribute of a name, in the form OpenSSL keeps it (`X509_NAME_ENTRY`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameEntry {
    /// The attribute type as dotted decimal, e.g. `2.5.4.3`.
    pub oid: String,
    /// OpenSSL's short name (`CN`, `O`, `emailAddress`…) or the dotted OID.
    pub short_name: String,
    /// Universal tag number of the value (12 UTF8String, 19 PrintableString…); `None` for
    /// values of another class.
    pub tag: Option<u32>,
    /// The bytes OpenSSL stores for the value: content octets, or the whole encoding for
    /// constructed values.
    pub value: Vec<u8>,
    /// Index of the RDN (SET) the attribute belongs to; equal indexes print as `+`.
    pub set: usize,
}

impl NameEntry {
    /// The value as UTF-8 text (`ASN1_STRING_to_UTF8`), or `None` when OpenSSL could not
    /// convert it.
    pub fn text(&self) -> Option<String> {
        asn1_string::to_utf8(self.tag?, &self.value).ok()
    }
}

const TAG_BIT_STRING: u32 = 3;

/// Universal types OpenSSL 3.0 accepts as attribute values (`ASN1_PRINTABLE`'s mask through
/// `tag2bit`): BIT STRING, the "unknown" types 7–9, 11, 13–15, 29, SEQUENCE, NumericString,
/// PrintableString, T61String, IA5String, UniversalString, UTF8String and BMPString.
/// VisibleString, GeneralString, GraphicString, VideotexString, times, OCTET STRING, INTEGER
/// and non-universal tags make `d2i_X509` fail (tested with OpenSSL 3.0.19).
const ACCEPTED_TAGS: &[u32] = &[3, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 28, 29, 30];

/// Fails, with an explanation, when OpenSSL 3.0 could not decode a name holding `entries`
/// because of an attribute value type it does not accept. (Invalid encodings of the
/// accepted types are caught by `name_cmp::canonical_key`.)
/// `which` is `subject` or `issuer`; the error's code is `<which>-type` (a named string type,
/// param `type`), `<which>-tag` (param `tag`) or `<which>-not-universal`, with `attribute`.
pub fn check_openssl_accepts(entries: &[NameEntry], which: &str) -> Result<(), CertError> {
    for e in entries {
        let ok = e.tag.is_some_and(|t| ACCEPTED_TAGS.contains(&t));
        if !ok {
            let named = match e.tag {
                Some(21) => Some("VideotexString"),
                Some(23) => Some("UTCTime"),
                Some(24) => Some("GeneralizedTime"),
                Some(25) => Some("GraphicString"),
                Some(26) => Some("VisibleString"),
                Some(27) => Some("GeneralString"),
                _ => None,
            };
            let issuer = which == "issuer";
            let mut params = vec![("attribute", e.short_name.clone())];
            let (code, kind) = match (named, e.tag) {
                (Some(name), _) => {
                    params.push(("type", name.to_string()));
                    (if issuer { "issuer-type" } else { "subject-type" }, format!("a {name}"))
                }
                (None, Some(t)) => {
                    params.push(("tag", t.to_string()));
                    (if issuer { "issuer-tag" } else { "subject-tag" }, format!("of ASN.1 type {t}"))
                }
                (None, None) => (if issuer { "issuer-not-universal" } else { "subject-not-universal" }, "not a universal ASN.1 type".to_string()),
            };
            let text = format!(
                "OpenSSL cannot read this certificate: the {} attribute of the {which} name is {kind}, \
                 which OpenSSL does not accept in names",
                e.short_name
            );
            return Err(CertError::new(code, text, params));
        }
    }
    Ok(())
}

/// Upper bound OpenSSL puts on a printed name (`NAME_ONELINE_MAX`).
const NAME_ONELINE_MAX: usize = 1024 * 1024;

/// The buffer size Postfix gives `X509_NAME_oneline` (`CCERT_BUFSIZ`).
pub const POSTFIX_BUFSIZ: usize = 256;

/// Reads the attributes of a parsed name, in encoding order.
pub fn entries_of(name: &X509Name<'_>) -> Vec<NameEntry> {
    let mut out = Vec::new();
    for (set, rdn) in name.iter_rdn().enumerate() {
        for atv in rdn.iter() {
            let oid_bytes = atv.attr_type().as_bytes();
            let dotted = der::oid_to_dotted(oid_bytes).unwrap_or_else(|| atv.attr_type().to_id_string());
            let any = atv.attr_value();
            let universal = any.class() == Class::Universal;
            let tag_number = any.tag().0;
            let value = if any.header.is_constructed() {
                reencode(any.class(), true, tag_number, any.data)
            } else if universal && tag_number == TAG_BIT_STRING {
                // OpenSSL keeps a BIT STRING's bits without the unused-bits octet.
                any.data.get(1..).unwrap_or(&[]).to_vec()
            } else {
                any.data.to_vec()
            };
            out.push(NameEntry {
                short_name: oid::attribute_short_name(&dotted).to_string(),
                oid: dotted,
                tag: universal.then_some(tag_number),
                value,
                set,
            });
        }
    }
    out
}

/// Rebuilds a TLV for a constructed value (OpenSSL keeps the whole encoding of those).
fn reencode(class: Class, constructed: bool, tag: u32, content: &[u8]) -> Vec<u8> {
    let class_bits: u8 = match class {
        Class::Universal => 0x00,
        Class::Application => 0x40,
        Class::ContextSpecific => 0x80,
        Class::Private => 0xc0,
    };
    let mut out = Vec::with_capacity(content.len() + 6);
    let low = if tag < 31 { tag as u8 } else { 0x1f };
    out.push(class_bits | if constructed { 0x20 } else { 0 } | low);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Which value bytes `X509_NAME_oneline` prints: all of them, except for a GeneralString
/// whose length is a multiple of 4 and whose non-zero bytes all sit at positions 3 mod 4
/// (a UCS-4 text stored in the wrong type): then only every fourth byte.
fn printed_bytes(entry: &NameEntry) -> Vec<u8> {
    let v = &entry.value;
    if entry.tag == Some(asn1_string::tag::GENERAL) && v.len() % 4 == 0 {
        let mut nonzero = [false; 4];
        for (j, &b) in v.iter().enumerate() {
            if b != 0 {
                nonzero[j & 3] = true;
            }
        }
        if !(nonzero[0] || nonzero[1] || nonzero[2]) {
            return v.iter().skip(3).step_by(4).copied().collect();
        }
    }
    v.clone()
}

/// Formats one attribute as `X509_NAME_oneline` does, including its leading separator.
fn format_entry(entry: &NameEntry, separator: char) -> String {
    let mut s = String::with_capacity(entry.short_name.len() + entry.value.len() + 2);
    s.push(separator);
    s.push_str(&entry.short_name);
    s.push('=');
    for b in printed_bytes(entry) {
        if !(b' '..=b'~').contains(&b) {
            s.push_str(&format!("\\x{b:02X}"));
        } else if b == b'/' || b == b'+' {
            s.push('\\');
            s.push(char::from(b));
        } else {
            s.push(char::from(b));
        }
    }
    s
}

fn oneline_impl(entries: &[NameEntry], limit: usize) -> String {
    let mut out = String::new();
    let mut prev_set: Option<usize> = None;
    for entry in entries {
        let sep = if prev_set == Some(entry.set) { '+' } else { '/' };
        let piece = format_entry(entry, sep);
        if out.len() + piece.len() > limit {
            break;
        }
        out.push_str(&piece);
        prev_set = Some(entry.set);
    }
    out
}

/// The whole name as `X509_NAME_oneline(name, NULL, 0)` prints it ("" for an empty name).
pub fn oneline(entries: &[NameEntry]) -> String {
    oneline_impl(entries, NAME_ONELINE_MAX)
}

/// The name as `X509_NAME_oneline(name, buf, buf_size)` leaves it in a caller's buffer:
/// attributes that would not fit in `buf_size - 1` bytes are dropped, from the first one that
/// does not fit onwards. Postfix uses [`POSTFIX_BUFSIZ`].
pub fn oneline_truncated(entries: &[NameEntry], buf_size: usize) -> String {
    oneline_impl(entries, buf_size.saturating_sub(1).min(NAME_ONELINE_MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(short: &str, tag: u32, value: &[u8], set: usize) -> NameEntry {
        NameEntry { oid: String::new(), short_name: short.into(), tag: Some(tag), value: value.to_vec(), set }
    }

    #[test]
    fn plain_names() {
        let n = [e("O", 12, b"Postfix Oracle", 0), e("CN", 12, b"Oracle Intermediate int1", 1)];
        assert_eq!(oneline(&n), "/O=Postfix Oracle/CN=Oracle Intermediate int1");
        assert_eq!(oneline(&[]), "");
    }

    #[test]
    fn escapes_like_openssl_3() {
        let n = [
            e("OU", 12, b"x", 0),
            e("O", 12, b"A/B+C", 0),
            e("CN", 12, "café\u{1}".as_bytes(), 1),
        ];
        assert_eq!(oneline(&n), "/OU=x+O=A\\/B\\+C/CN=caf\\xC3\\xA9\\x01");
        let bmp = [e("CN", 30, &[0, b'A'], 0)];
        assert_eq!(oneline(&bmp), "/CN=\\x00A");
    }

    #[test]
    fn general_string_ucs4_hack() {
        let n = [e("CN", 27, &[0, 0, 0, b'a', 0, 0, 0, b'b'], 0)];
        assert_eq!(oneline(&n), "/CN=ab");
        let n = [e("CN", 27, &[0, 0, 1, b'a'], 0)];
        assert_eq!(oneline(&n), "/CN=\\x00\\x00\\x01a");
    }

    #[test]
    fn truncation_drops_whole_entries() {
        let long = vec![b'a'; 250];
        let n = [e("O", 12, b"short", 0), e("CN", 12, &long, 1), e("C", 19, b"DE", 2)];
        assert_eq!(oneline_truncated(&n, POSTFIX_BUFSIZ), "/O=short");
        let n = [e("O", 12, b"x", 0)];
        assert_eq!(oneline_truncated(&n, 5), "/O=x");
        assert_eq!(oneline_truncated(&n, 4), "");
    }
}

//! Distinguished-name equality the way OpenSSL decides it (`X509_NAME_cmp`).
//!
//! Chain building asks "is this certificate's issuer that certificate's subject?". OpenSSL
//! answers by comparing a canonical encoding computed when the name is decoded
//! (`x509_name_canon`): string values of the common types are converted to UTF-8, leading and
//! trailing whitespace dropped, inner whitespace runs collapsed to one space and ASCII
//! lower-cased; the attributes of each RDN are compared as a set. So `CN=Example  CA` issued
//! by `cn=example ca` is accepted, while PrintableString `a` and NumericString `a` stay
//! different. A value OpenSSL cannot convert makes it reject the whole certificate, which is
//! why [`canonical_key`] can fail.

use super::asn1_string;
use super::certificate::CertError;
use super::dn::NameEntry;

/// OpenSSL's `ossl_isspace`: space, \t, \n, \v, \f, \r.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The canonical form of one value (`asn1_string_canon`), tagged with the type it compares as.
fn canonical_value(entry: &NameEntry) -> Result<(u32, Vec<u8>), CertError> {
    let tag = match entry.tag {
        Some(t) if asn1_string::is_canonicalised(t) => t,
        // Other types are compared as they are, type included.
        Some(t) => return Ok((t, entry.value.clone())),
        None => return Ok((u32::MAX, entry.value.clone())),
    };
    let text = asn1_string::to_utf8(tag, &entry.value).map_err(|_| {
        let text = format!(
            "the {} attribute of a name is not a valid {} (OpenSSL rejects such certificates)",
            entry.short_name,
            type_name(tag)
        );
        CertError::new("name-encoding", text, vec![("attribute", entry.short_name.clone()), ("type", type_name(tag).to_string())])
    })?;
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|&b| !is_space(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| !is_space(b)).map(|p| p + 1).unwrap_or(start);
    let trimmed = bytes.get(start..end).unwrap_or(&[]);
    let mut out = Vec::with_capacity(trimmed.len());
    let mut i = 0;
    while i < trimmed.len() {
        let b = trimmed[i];
        if !b.is_ascii() {
            out.push(b);
            i += 1;
        } else if is_space(b) {
            out.push(b' ');
            while i < trimmed.len() && is_space(trimmed[i]) {
                i += 1;
            }
        } else {
            out.push(b.to_ascii_lowercase());
            i += 1;
        }
    }
    Ok((asn1_string::tag::UTF8, out))
}

fn type_name(tag: u32) -> &'static str {
    match tag {
        asn1_string::tag::UTF8 => "UTF8String",
        asn1_string::tag::BMP => "BMPString",
        asn1_string::tag::UNIVERSAL => "UniversalString",
        _ => "string",
    }
}

/// A byte string that is equal for two names exactly when OpenSSL's `X509_NAME_cmp` says they
/// are equal. Fails when OpenSSL could not have decoded the name at all.
pub fn canonical_key(entries: &[NameEntry]) -> Result<Vec<u8>, CertError> {
    let mut key = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let set = entries[i].set;
        let mut members: Vec<Vec<u8>> = Vec::new();
        while i < entries.len() && entries[i].set == set {
            let e = &entries[i];
            let (tag, value) = canonical_value(e)?;
            let mut m = Vec::with_capacity(e.oid.len() + value.len() + 16);
            push_field(&mut m, e.oid.as_bytes());
            push_field(&mut m, &tag.to_be_bytes());
            push_field(&mut m, &value);
            members.push(m);
            i += 1;
        }
        // Attributes of one RDN form a SET: their order does not matter.
        members.sort();
        key.push(b'{');
        for m in &members {
            push_field(&mut key, m);
        }
        key.push(b'}');
    }
    Ok(key)
}

/// Appends a length-prefixed field, so the key is unambiguous.
fn push_field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(oid: &str, tag: u32, value: &[u8], set: usize) -> NameEntry {
        NameEntry { oid: oid.into(), short_name: "X".into(), tag: Some(tag), value: value.to_vec(), set }
    }

    #[test]
    fn case_and_whitespace_are_folded() {
        let a = [e("2.5.4.3", 19, b"  Example \t CA ", 0)];
        let b = [e("2.5.4.3", 12, b"example ca", 0)];
        assert_eq!(canonical_key(&a).unwrap(), canonical_key(&b).unwrap());
        let c = [e("2.5.4.3", 12, b"example-ca", 0)];
        assert_ne!(canonical_key(&a).unwrap(), canonical_key(&c).unwrap());
    }

    #[test]
    fn bmp_equals_utf8_and_non_ascii_is_kept() {
        let a = [e("2.5.4.3", 30, &[0, b'C', 0, 0xc9], 0)];
        let b = [e("2.5.4.3", 12, "c\u{c9}".as_bytes(), 0)];
        assert_eq!(canonical_key(&a).unwrap(), canonical_key(&b).unwrap());
    }

    #[test]
    fn numeric_strings_are_not_canonicalised() {
        let a = [e("2.5.4.5", 18, b"12", 0)];
        let b = [e("2.5.4.5", 19, b"12", 0)];
        assert_ne!(canonical_key(&a).unwrap(), canonical_key(&b).unwrap());
    }

    #[test]
    fn rdn_sets_are_unordered_but_rdn_sequence_is_ordered() {
        let a = [e("2.5.4.10", 12, b"o", 0), e("2.5.4.11", 12, b"u", 0)];
        let b = [e("2.5.4.11", 12, b"u", 0), e("2.5.4.10", 12, b"o", 0)];
        assert_eq!(canonical_key(&a).unwrap(), canonical_key(&b).unwrap());
        let c = [e("2.5.4.11", 12, b"u", 0), e("2.5.4.10", 12, b"o", 1)];
        let d = [e("2.5.4.10", 12, b"o", 0), e("2.5.4.11", 12, b"u", 1)];
        assert_ne!(canonical_key(&c).unwrap(), canonical_key(&d).unwrap());
    }

    #[test]
    fn invalid_values_fail() {
        assert!(canonical_key(&[e("2.5.4.3", 12, &[0xff], 0)]).is_err());
        assert!(canonical_key(&[e("2.5.4.3", 30, &[0x00], 0)]).is_err());
        assert_eq!(canonical_key(&[]).unwrap(), Vec::<u8>::new());
    }
}

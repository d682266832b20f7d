//! A minimal, bounds-checked DER tag-length-value reader.
//!
//! x509-parser does the real certificate parsing; this reader exists for the few places where
//! peername must look at raw bytes itself: telling binary DER input from text, measuring the
//! exact extent of a certificate inside a larger buffer, and reading small extension values
//! (Netscape cert type, EC parameters) in the layout OpenSSL uses. It never panics and never
//! allocates.

/// One decoded TLV element, borrowing from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet (class, constructed bit and low tag number; high tag numbers are
    /// reported as the raw first octet `0x1f`-masked form and are rare in certificates).
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// Header plus content length: how many input bytes the element occupies.
    pub total_len: usize,
}

/// Universal SEQUENCE (constructed).
pub const TAG_SEQUENCE: u8 = 0x30;
/// Universal OBJECT IDENTIFIER.
pub const TAG_OID: u8 = 0x06;
/// Universal BIT STRING.
pub const TAG_BIT_STRING: u8 = 0x03;

/// Reads the element at the start of `input`; `None` if the header is malformed, uses the
/// indefinite form, a high tag number, or claims more bytes than `input` has.
pub fn read_tlv(input: &[u8]) -> Option<Tlv<'_>> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first_len, rest) = rest.split_first()?;
    let (len, header_len) = if first_len < 0x80 {
        (first_len as usize, 2usize)
    } else {
        let n = (first_len & 0x7f) as usize;
        // 0x80 is the indefinite form (BER only); more than 4 length octets cannot describe a
        // certificate we would accept anyway.
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let mut len = 0usize;
        for &b in &rest[..n] {
            len = (len << 8) | b as usize;
        }
        (len, 2 + n)
    };
    let total_len = header_len.checked_add(len)?;
    let value = input.get(header_len..total_len)?;
    Some(Tlv { tag, value, total_len })
}

/// Splits the content of a constructed element into its child elements; stops (returning what
/// was read so far plus `false`) at the first malformed child.
pub fn children(mut content: &[u8]) -> (Vec<Tlv<'_>>, bool) {
    let mut out = Vec::new();
    while !content.is_empty() {
        match read_tlv(content) {
            Some(t) => {
                content = content.get(t.total_len..).unwrap_or(&[]);
                out.push(t);
            }
            None => return (out, false),
        }
    }
    (out, true)
}

/// Formats DER OBJECT IDENTIFIER content octets as dotted decimal (`2.5.4.3`); `None` when the
/// encoding is malformed (truncated arc, or an arc too large for u128).
pub fn oid_to_dotted(content: &[u8]) -> Option<String> {
    if content.is_empty() {
        return None;
    }
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    let mut in_arc = false;
    for &b in content {
        if acc > (u128::MAX >> 7) {
            return None;
        }
        acc = (acc << 7) | u128::from(b & 0x7f);
        in_arc = true;
        if b & 0x80 == 0 {
            arcs.push(acc);
            acc = 0;
            in_arc = false;
        }
    }
    if in_arc {
        return None;
    }
    let mut text = String::new();
    for (i, arc) in arcs.iter().enumerate() {
        if i == 0 {
            let (a, b) = if *arc < 40 {
                (0, *arc)
            } else if *arc < 80 {
                (1, arc - 40)
            } else {
                (2, arc - 80)
            };
            text.push_str(&format!("{a}.{b}"));
        } else {
            text.push_str(&format!(".{arc}"));
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let t = read_tlv(&[0x04, 0x02, 0xaa, 0xbb, 0xcc]).unwrap();
        assert_eq!((t.tag, t.value, t.total_len), (0x04, &[0xaa, 0xbb][..], 4));
        let mut long = vec![0x30, 0x81, 0x80];
        long.extend(std::iter::repeat_n(0u8, 0x80));
        assert_eq!(read_tlv(&long).unwrap().total_len, 0x83);
    }

    #[test]
    fn rejects_truncated_indefinite_and_huge() {
        assert!(read_tlv(&[]).is_none());
        assert!(read_tlv(&[0x30]).is_none());
        assert!(read_tlv(&[0x30, 0x05, 0x00]).is_none());
        assert!(read_tlv(&[0x30, 0x80, 0x00, 0x00]).is_none());
        assert!(read_tlv(&[0x30, 0x85, 1, 2, 3, 4, 5]).is_none());
        assert!(read_tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(read_tlv(&[0x1f, 0x01, 0x00]).is_none());
    }

    #[test]
    fn splits_children_and_reports_garbage() {
        let (kids, ok) = children(&[0x02, 0x01, 0x05, 0x05, 0x00]);
        assert!(ok);
        assert_eq!(kids.len(), 2);
        let (kids, ok) = children(&[0x02, 0x01, 0x05, 0x05]);
        assert!(!ok);
        assert_eq!(kids.len(), 1);
    }

    #[test]
    fn formats_oids() {
        assert_eq!(oid_to_dotted(&[0x55, 0x04, 0x03]).as_deref(), Some("2.5.4.3"));
        assert_eq!(
            oid_to_dotted(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]).as_deref(),
            Some("1.2.840.113549.1.9.1")
        );
        assert_eq!(oid_to_dotted(&[0x2a, 0x86]), None);
        assert_eq!(oid_to_dotted(&[]), None);
    }
}

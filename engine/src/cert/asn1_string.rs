//! ASN.1 character strings converted to UTF-8 the way OpenSSL's `ASN1_STRING_to_UTF8` does.
//!
//! Postfix reads certificate names through that function (`tls_text_name`), and OpenSSL uses
//! it both for name matching and for comparing distinguished names. Its rules are not the
//! obvious ones: PrintableString, IA5String, T61String and friends are taken as Latin-1 (one
//! byte, one character, nothing rejected), BMPString as UCS-2 and UniversalString as UCS-4
//! (surrogates and values beyond U+10FFFF are errors), UTF8String must be valid UTF-8, and
//! every other type cannot be converted at all.

/// Universal tag numbers of the string types that occur in names.
pub mod tag {
    /// UTF8String.
    pub const UTF8: u32 = 12;
    /// NumericString.
    pub const NUMERIC: u32 = 18;
    /// PrintableString.
    pub const PRINTABLE: u32 = 19;
    /// T61String / TeletexString.
    pub const T61: u32 = 20;
    /// IA5String.
    pub const IA5: u32 = 22;
    /// UTCTime.
    pub const UTC_TIME: u32 = 23;
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: u32 = 24;
    /// VisibleString (OpenSSL's ISO64String).
    pub const VISIBLE: u32 = 26;
    /// GeneralString.
    pub const GENERAL: u32 = 27;
    /// UniversalString (UCS-4).
    pub const UNIVERSAL: u32 = 28;
    /// BMPString (UCS-2).
    pub const BMP: u32 = 30;
}

/// Why a string could not be converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConvertError {
    /// OpenSSL has no conversion for this type (tag2nbyte is -1).
    UnsupportedType,
    /// The bytes are not a valid encoding for the type (odd BMP length, bad UTF-8, surrogate…).
    InvalidEncoding,
}

/// Converts the content octets of a universal string type `tag` to UTF-8, as
/// `ASN1_STRING_to_UTF8` would. The result may contain NUL and control characters.
pub fn to_utf8(tag: u32, bytes: &[u8]) -> Result<String, ConvertError> {
    match tag {
        tag::UTF8 => std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| ConvertError::InvalidEncoding),
        tag::NUMERIC
        | tag::PRINTABLE
        | tag::T61
        | tag::IA5
        | tag::UTC_TIME
        | tag::GENERALIZED_TIME
        | tag::VISIBLE => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        tag::BMP => {
            if bytes.len() % 2 != 0 {
                return Err(ConvertError::InvalidEncoding);
            }
            bytes
                .chunks_exact(2)
                .map(|c| {
                    char::from_u32(u32::from(c[0]) << 8 | u32::from(c[1]))
                        .ok_or(ConvertError::InvalidEncoding)
                })
                .collect()
        }
        tag::UNIVERSAL => {
            if bytes.len() % 4 != 0 {
                return Err(ConvertError::InvalidEncoding);
            }
            bytes
                .chunks_exact(4)
                .map(|c| {
                    let v = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                    char::from_u32(v).ok_or(ConvertError::InvalidEncoding)
                })
                .collect()
        }
        _ => Err(ConvertError::UnsupportedType),
    }
}

/// Whether OpenSSL canonicalises this type before comparing names (`ASN1_MASK_CANON`):
/// UTF8String, BMPString, UniversalString, PrintableString, T61String, IA5String, VisibleString.
pub fn is_canonicalised(tag: u32) -> bool {
    matches!(
        tag,
        tag::UTF8 | tag::BMP | tag::UNIVERSAL | tag::PRINTABLE | tag::T61 | tag::IA5 | tag::VISIBLE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_byte_types_are_latin1() {
        assert_eq!(to_utf8(tag::PRINTABLE, b"abc").unwrap(), "abc");
        assert_eq!(to_utf8(tag::IA5, &[0x63, 0xe9]).unwrap(), "c\u{e9}");
        assert_eq!(to_utf8(tag::T61, &[0x00, 0xff]).unwrap(), "\u{0}\u{ff}");
    }

    #[test]
    fn utf8_must_be_valid() {
        assert_eq!(to_utf8(tag::UTF8, "café".as_bytes()).unwrap(), "café");
        assert_eq!(to_utf8(tag::UTF8, &[0xc3]), Err(ConvertError::InvalidEncoding));
        // Encoded surrogate U+D800.
        assert_eq!(to_utf8(tag::UTF8, &[0xed, 0xa0, 0x80]), Err(ConvertError::InvalidEncoding));
    }

    #[test]
    fn wide_types_decode_and_reject_bad_lengths() {
        assert_eq!(to_utf8(tag::BMP, &[0x00, 0x41, 0x00, 0xe9]).unwrap(), "A\u{e9}");
        assert_eq!(to_utf8(tag::BMP, &[0x00]), Err(ConvertError::InvalidEncoding));
        assert_eq!(to_utf8(tag::BMP, &[0xd8, 0x00]), Err(ConvertError::InvalidEncoding));
        assert_eq!(to_utf8(tag::UNIVERSAL, &[0, 1, 0xf6, 0x00]).unwrap(), "\u{1f600}");
        assert_eq!(to_utf8(tag::UNIVERSAL, &[0, 0x11, 0, 0]), Err(ConvertError::InvalidEncoding));
        assert_eq!(to_utf8(tag::GENERAL, b"x"), Err(ConvertError::UnsupportedType));
    }
}

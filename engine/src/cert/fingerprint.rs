//! Certificate and public-key fingerprints, spelled exactly as Postfix logs and compares them.
//!
//! Postfix's fingerprint level and its `subject_CN=…, fingerprint=…, pkey_fingerprint=…` log
//! line use the digest (`smtp_tls_fingerprint_digest`: md5 up to 3.5, sha256 from 3.6 with
//! compatibility_level ≥ 3.6) of the DER certificate and of the DER SubjectPublicKeyInfo,
//! written as uppercase hex byte pairs joined by `:`. All four digests Postfix accepts are
//! computed up front so the page can show whichever the scenario uses.

use md5::Md5;
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512, Sha512_224, Sha512_256};

/// A digest Postfix accepts for `smtp_tls_fingerprint_digest` (and posttls-finger `-d`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestAlg {
    /// MD5, the default up to Postfix 3.5.
    Md5,
    /// SHA-1, posttls-finger's default up to 3.5.
    Sha1,
    /// SHA-256, the default from 3.6 with compatibility_level ≥ 3.6.
    Sha256,
    /// SHA-512.
    Sha512,
    /// SHA-224.
    Sha224,
    /// SHA-384.
    Sha384,
    /// SHA-512/224.
    #[serde(rename = "sha512-224")]
    Sha512_224,
    /// SHA-512/256.
    #[serde(rename = "sha512-256")]
    Sha512_256,
}

impl DigestAlg {
    /// The digests every certificate's fingerprints are computed with, in the order the page
    /// lists them (the others are computed when a scenario uses them).
    pub const ALL: [DigestAlg; 4] = [DigestAlg::Md5, DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512];

    /// Parses a main.cf value (`md5`, `SHA256`, OpenSSL's aliases such as `sha-256`),
    /// case-insensitively; `None` for digests peername does not model (see
    /// [`DigestAlg::known_to_openssl`] for the ones Postfix accepts).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "md5" | "ssl3-md5" | "rsa-md5" | "md5withrsaencryption" | "1.2.840.113549.2.5" => Some(DigestAlg::Md5),
            "sha1" | "sha-1" | "ssl3-sha1" | "rsa-sha1" | "rsa-sha1-2" | "sha1withrsaencryption" | "1.3.14.3.2.26" => Some(DigestAlg::Sha1),
            "sha256" | "sha-256" | "sha2-256" | "rsa-sha256" | "sha256withrsaencryption" | "2.16.840.1.101.3.4.2.1" => {
                Some(DigestAlg::Sha256)
            }
            "sha512" | "sha-512" | "sha2-512" | "rsa-sha512" | "sha512withrsaencryption" | "2.16.840.1.101.3.4.2.3" => {
                Some(DigestAlg::Sha512)
            }
            "sha224" | "sha-224" | "sha2-224" | "rsa-sha224" | "sha224withrsaencryption" | "2.16.840.1.101.3.4.2.4" => {
                Some(DigestAlg::Sha224)
            }
            "sha384" | "sha-384" | "sha2-384" | "rsa-sha384" | "sha384withrsaencryption" | "2.16.840.1.101.3.4.2.2" => {
                Some(DigestAlg::Sha384)
            }
            "sha512-224" | "sha-512/224" | "sha2-512/224" | "rsa-sha512/224" | "sha512-224withrsaencryption" | "2.16.840.1.101.3.4.2.5" => {
                Some(DigestAlg::Sha512_224)
            }
            "sha512-256" | "sha-512/256" | "sha2-512/256" | "rsa-sha512/256" | "sha512-256withrsaencryption" | "2.16.840.1.101.3.4.2.6" => {
                Some(DigestAlg::Sha512_256)
            }
            _ => None,
        }
    }

    /// Whether OpenSSL 3.0 knows `text` as a digest name (`EVP_get_digestbyname()`, case
    /// ignored). Postfix checks `smtp_tls_fingerprint_digest` (posttls-finger: `-d`) this way
    /// when its TLS engine starts; an unknown name (a list such as `sha1, sha256` included:
    /// recorded from Postfix 3.7.11) logs `Digest algorithm "…" not found` and disables TLS.
    /// Known names peername does not compute (`sha384`…) still start TLS.
    pub fn known_to_openssl(text: &str) -> bool {
        // Every name `EVP_get_digestbyname()` of OpenSSL 3.0.19 accepts (from `openssl list
        // -digest-algorithms`, each checked by a call), lower case.
        const NAMES: &[&str] = &[
            "1.2.156.10197.1.401", "1.2.840.113549.2.5", "1.3.14.3.2.26", "1.3.36.3.2.1",
            "1.3.6.1.4.1.1722.12.2.1.16", "1.3.6.1.4.1.1722.12.2.2.8", "2.16.840.1.101.3.4.2.1",
            "2.16.840.1.101.3.4.2.10", "2.16.840.1.101.3.4.2.11", "2.16.840.1.101.3.4.2.12",
            "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.4",
            "2.16.840.1.101.3.4.2.5", "2.16.840.1.101.3.4.2.6", "2.16.840.1.101.3.4.2.7",
            "2.16.840.1.101.3.4.2.8", "2.16.840.1.101.3.4.2.9", "blake2b-512", "blake2b512", "blake2s-256",
            "blake2s256", "id-rsassa-pkcs1-v1_5-with-sha3-224", "id-rsassa-pkcs1-v1_5-with-sha3-256",
            "id-rsassa-pkcs1-v1_5-with-sha3-384", "id-rsassa-pkcs1-v1_5-with-sha3-512", "md4",
            "md4withrsaencryption", "md5", "md5-sha1", "md5withrsaencryption", "ripemd", "ripemd-160",
            "ripemd160", "ripemd160withrsa", "rmd160", "rsa-md4", "rsa-md5", "rsa-ripemd160", "rsa-sha1",
            "rsa-sha1-2", "rsa-sha224", "rsa-sha256", "rsa-sha3-224", "rsa-sha3-256", "rsa-sha3-384",
            "rsa-sha3-512", "rsa-sha384", "rsa-sha512", "rsa-sha512/224", "rsa-sha512/256", "rsa-sm3",
            "sha-1", "sha-224", "sha-256", "sha-384", "sha-512", "sha-512/224", "sha-512/256", "sha1",
            "sha1withrsaencryption", "sha2-224", "sha2-256", "sha2-384", "sha2-512", "sha2-512/224",
            "sha2-512/256", "sha224", "sha224withrsaencryption", "sha256", "sha256withrsaencryption",
            "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha384", "sha384withrsaencryption", "sha512",
            "sha512-224", "sha512-224withrsaencryption", "sha512-256", "sha512-256withrsaencryption",
            "sha512withrsaencryption", "shake-128", "shake-256", "shake128", "shake256", "sm3",
            "sm3withrsaencryption", "ssl3-md5", "ssl3-sha1", "whirlpool",
        ];
        let name = text.to_ascii_lowercase();
        NAMES.contains(&name.as_str())
    }

    /// The main.cf spelling.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlg::Md5 => "md5",
            DigestAlg::Sha1 => "sha1",
            DigestAlg::Sha256 => "sha256",
            DigestAlg::Sha512 => "sha512",
            DigestAlg::Sha224 => "sha224",
            DigestAlg::Sha384 => "sha384",
            DigestAlg::Sha512_224 => "sha512-224",
            DigestAlg::Sha512_256 => "sha512-256",
        }
    }

    /// Digest length in bytes (a fingerprint of another length can never match).
    pub fn output_len(self) -> usize {
        match self {
            DigestAlg::Md5 => 16,
            DigestAlg::Sha1 => 20,
            DigestAlg::Sha256 => 32,
            DigestAlg::Sha512 => 64,
            DigestAlg::Sha224 | DigestAlg::Sha512_224 => 28,
            DigestAlg::Sha384 => 48,
            DigestAlg::Sha512_256 => 32,
        }
    }
}

/// Hashes `bytes` with `alg`.
pub fn digest(alg: DigestAlg, bytes: &[u8]) -> Vec<u8> {
    match alg {
        DigestAlg::Md5 => Md5::digest(bytes).to_vec(),
        DigestAlg::Sha1 => Sha1::digest(bytes).to_vec(),
        DigestAlg::Sha256 => Sha256::digest(bytes).to_vec(),
        DigestAlg::Sha512 => Sha512::digest(bytes).to_vec(),
        DigestAlg::Sha224 => Sha224::digest(bytes).to_vec(),
        DigestAlg::Sha384 => Sha384::digest(bytes).to_vec(),
        DigestAlg::Sha512_224 => Sha512_224::digest(bytes).to_vec(),
        DigestAlg::Sha512_256 => Sha512_256::digest(bytes).to_vec(),
    }
}

/// Hex pairs of `bytes` with the given digits, `separator` between pairs (one table lookup per
/// digit: formatting each byte with `format!` allocated once per byte, on every explanation).
fn hex_with(bytes: &[u8], digits: &[u8; 16], separator: Option<char>) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if let (Some(sep), true) = (separator, i > 0) {
            s.push(sep);
        }
        s.push(char::from(digits[usize::from(b >> 4)]));
        s.push(char::from(digits[usize::from(b & 0x0f)]));
    }
    s
}

const UPPER_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

/// Postfix's fingerprint spelling: uppercase hex pairs joined by `:` (`D8:F5:7E:…`).
pub fn colon_hex(bytes: &[u8]) -> String {
    hex_with(bytes, UPPER_DIGITS, Some(':'))
}

/// Uppercase hex pairs without separators (`D8F57E`), as Postfix logs TLSA data and serials.
pub fn upper_hex(bytes: &[u8]) -> String {
    hex_with(bytes, UPPER_DIGITS, None)
}

/// Lowercase hex pairs without separators (`d8f57e`), as TLSA records are usually written.
pub fn lower_hex(bytes: &[u8]) -> String {
    hex_with(bytes, b"0123456789abcdef", None)
}

/// One object's fingerprint under every digest, in Postfix's spelling.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSet {
    /// MD5 fingerprint.
    pub md5: String,
    /// SHA-1 fingerprint.
    pub sha1: String,
    /// SHA-256 fingerprint.
    pub sha256: String,
    /// SHA-512 fingerprint.
    pub sha512: String,
}

impl DigestSet {
    /// Fingerprints of `bytes` under all four digests.
    pub fn of(bytes: &[u8]) -> Self {
        DigestSet {
            md5: colon_hex(&digest(DigestAlg::Md5, bytes)),
            sha1: colon_hex(&digest(DigestAlg::Sha1, bytes)),
            sha256: colon_hex(&digest(DigestAlg::Sha256, bytes)),
            sha512: colon_hex(&digest(DigestAlg::Sha512, bytes)),
        }
    }

    /// The fingerprint under `alg`, for the digests of [`DigestAlg::ALL`] (empty for the others:
    /// see [`Fingerprints::spelled`]).
    pub fn get(&self, alg: DigestAlg) -> &str {
        match alg {
            DigestAlg::Md5 => &self.md5,
            DigestAlg::Sha1 => &self.sha1,
            DigestAlg::Sha256 => &self.sha256,
            DigestAlg::Sha512 => &self.sha512,
            DigestAlg::Sha224 | DigestAlg::Sha384 | DigestAlg::Sha512_224 | DigestAlg::Sha512_256 => "",
        }
    }
}

/// The two things Postfix fingerprints: the whole certificate and its public key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprints {
    /// Digests of the DER certificate (`fingerprint=` in the log).
    pub cert: DigestSet,
    /// Digests of the DER SubjectPublicKeyInfo (`pkey_fingerprint=`).
    pub pkey: DigestSet,
}

impl Fingerprints {
    /// Computes both sets from the certificate DER and the SPKI DER.
    pub fn compute(cert_der: &[u8], spki_der: &[u8]) -> Self {
        Fingerprints { cert: DigestSet::of(cert_der), pkey: DigestSet::of(spki_der) }
    }
}

/// `bytes`' fingerprint under `alg` in Postfix's spelling: the precomputed one from `set` when
/// there is one, else computed now (SHA-224, SHA-384 and the SHA-512/t digests).
pub fn spelled(set: &DigestSet, alg: DigestAlg, bytes: &[u8]) -> String {
    match set.get(alg) {
        "" => colon_hex(&digest(alg, bytes)),
        known => known.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sha2_digests_beyond_the_four_precomputed_are_computed_when_used() {
        // posttls-finger -d sha384 (recorded from 3.7.11 and 3.11.6, oracle-extra2 fo46-89):
        // a SHA-256 value is then unusable, not matched as SHA-256.
        for (name, alg, len) in [("SHA384", DigestAlg::Sha384, 48), ("sha-224", DigestAlg::Sha224, 28), ("sha512-256", DigestAlg::Sha512_256, 32), ("SHA2-512/224", DigestAlg::Sha512_224, 28)] {
            assert_eq!(DigestAlg::parse(name), Some(alg), "{name}");
            assert!(DigestAlg::known_to_openssl(name), "{name}");
            assert_eq!(digest(alg, b"abc").len(), len, "{name}");
            assert_eq!(DigestAlg::parse(alg.name()), Some(alg));
        }
        let set = DigestSet::of(b"abc");
        assert_eq!(spelled(&set, DigestAlg::Sha256, b"abc"), set.sha256);
        assert!(spelled(&set, DigestAlg::Sha384, b"abc").starts_with("CB:00:75:3F"), "SHA-384 of abc");
    }

    #[test]
    fn parse_and_name_round_trip() {
        for alg in DigestAlg::ALL {
            assert_eq!(DigestAlg::parse(alg.name()), Some(alg));
            assert_eq!(digest(alg, b"").len(), alg.output_len());
        }
        assert_eq!(DigestAlg::parse(" SHA256 "), Some(DigestAlg::Sha256));
        assert_eq!(DigestAlg::parse("sha3-256"), None, "SHA-3 is not modelled");
        assert_eq!(DigestAlg::parse("SHA-256"), Some(DigestAlg::Sha256));
    }

    #[test]
    fn openssl_knows_single_digest_names_only() {
        for known in ["sha256", "SHA256", "sha384", "md5", "SHA3-256", "sha-256", "RSA-SHA1"] {
            assert!(DigestAlg::known_to_openssl(known), "{known}");
        }
        for unknown in ["sha1, sha256", "sha1,sha256", "bogus", "", "md2", "keccak-256"] {
            assert!(!DigestAlg::known_to_openssl(unknown), "{unknown}");
        }
    }

    #[test]
    fn known_digests_of_abc() {
        assert_eq!(colon_hex(&digest(DigestAlg::Md5, b"abc")), "90:01:50:98:3C:D2:4F:B0:D6:96:3F:7D:28:E1:7F:72");
        assert_eq!(
            colon_hex(&digest(DigestAlg::Sha1, b"abc")),
            "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"
        );
        assert!(colon_hex(&digest(DigestAlg::Sha256, b"abc")).starts_with("BA:78:16:BF:8F:01:CF:EA"));
        assert!(colon_hex(&digest(DigestAlg::Sha512, b"abc")).starts_with("DD:AF:35:A1:93:61:7A:BA"));
    }

    #[test]
    fn colon_hex_format() {
        assert_eq!(colon_hex(&[]), "");
        assert_eq!(colon_hex(&[0x0a]), "0A");
        assert_eq!(colon_hex(&[0xd8, 0xf5, 0x7e]), "D8:F5:7E");
        assert_eq!(upper_hex(&[0xd8, 0x05, 0x7e]), "D8057E");
        assert_eq!(lower_hex(&[0xd8, 0x05, 0x7e]), "d8057e");
        assert_eq!(lower_hex(&[]), "");
    }

    #[test]
    fn serde_uses_lowercase_names() {
        assert_eq!(serde_json::to_string(&DigestAlg::Sha256).unwrap(), "\"sha256\"");
        let set = DigestSet::of(b"x");
        assert_eq!(set.get(DigestAlg::Md5), set.md5);
    }

    /// The oracle's test CA, against `openssl x509 -fingerprint -{md5,sha1,sha256,sha512}` and
    /// `openssl pkey -pubin -outform DER | openssl dgst` output recorded in the fixtures.
    #[test]
    fn matches_openssl_cli_vectors() {
        let pem = include_str!("../../tests/fixtures/certs/oracle_chain.pem");
        let r = crate::cert::pem::parse_certificates(pem.as_bytes(), crate::diag::Source::CaBundle);
        let ca = &r.certificates[2];
        let fixture: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/certs/openssl_names.json")).expect("fixture");
        let rec = fixture["fingerprints"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["file"] == "ca.pem")
            .expect("ca.pem vectors");
        for alg in DigestAlg::ALL {
            assert_eq!(ca.fingerprints.cert.get(alg), rec[format!("cert_{}", alg.name())].as_str().unwrap_or(""));
            assert_eq!(ca.fingerprints.pkey.get(alg), rec[format!("pkey_{}", alg.name())].as_str().unwrap_or(""));
        }
        // `openssl x509 -fingerprint -sha256` of the leaf, as printed by the CLI.
        assert_eq!(
            r.certificates[0].fingerprints.cert.get(DigestAlg::Sha256),
            "4E:D1:D2:BB:C1:CF:58:93:31:C4:CA:34:BB:CC:DA:10:78:9A:87:BB:8D:41:45:44:BA:20:45:CD:29:E5:BE:3C"
        );
    }
}


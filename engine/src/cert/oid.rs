//! Object identifiers peername must name or recognise the way OpenSSL 3.0 does.
//!
//! Postfix logs names through OpenSSL (`X509_NAME_oneline`), so attribute types must be shown
//! with OpenSSL's short names; chain building needs to know which key type a signature
//! algorithm implies (OpenSSL's `check_sig_alg_match`); the purpose checks need the EKU and
//! extension OIDs. The tables were taken from OpenSSL 3.0.19's object database
//! (`OBJ_nid2sn`/`OBJ_nid2ln`). Only OIDs that can plausibly occur in certificates are listed;
//! anything else is shown as dotted decimal, as OpenSSL does for OIDs it does not know.

/// Key families, as far as OpenSSL's signature-algorithm/key-type match cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// rsaEncryption keys.
    Rsa,
    /// RSASSA-PSS keys (id-RSASSA-PSS in the SubjectPublicKeyInfo).
    RsaPss,
    /// id-ecPublicKey keys (ECDSA).
    Ec,
    /// Ed25519 keys.
    Ed25519,
    /// Ed448 keys.
    Ed448,
    /// DSA keys.
    Dsa,
    /// Anything OpenSSL would not pair with a known signature algorithm here.
    #[default]
    Unknown,
}

/// OpenSSL short names of distinguished-name attribute types, by dotted OID.
const ATTRIBUTE_SHORT_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.4", "SN"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.9", "street"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "title"),
    ("2.5.4.13", "description"),
    ("2.5.4.14", "searchGuide"),
    ("2.5.4.15", "businessCategory"),
    ("2.5.4.16", "postalAddress"),
    ("2.5.4.17", "postalCode"),
    ("2.5.4.18", "postOfficeBox"),
    ("2.5.4.19", "physicalDeliveryOfficeName"),
    ("2.5.4.20", "telephoneNumber"),
    ("2.5.4.21", "telexNumber"),
    ("2.5.4.22", "teletexTerminalIdentifier"),
    ("2.5.4.23", "facsimileTelephoneNumber"),
    ("2.5.4.24", "x121Address"),
    ("2.5.4.25", "internationaliSDNNumber"),
    ("2.5.4.26", "registeredAddress"),
    ("2.5.4.27", "destinationIndicator"),
    ("2.5.4.28", "preferredDeliveryMethod"),
    ("2.5.4.29", "presentationAddress"),
    ("2.5.4.30", "supportedApplicationContext"),
    ("2.5.4.31", "member"),
    ("2.5.4.32", "owner"),
    ("2.5.4.33", "roleOccupant"),
    ("2.5.4.34", "seeAlso"),
    ("2.5.4.35", "userPassword"),
    ("2.5.4.36", "userCertificate"),
    ("2.5.4.37", "cACertificate"),
    ("2.5.4.38", "authorityRevocationList"),
    ("2.5.4.39", "certificateRevocationList"),
    ("2.5.4.40", "crossCertificatePair"),
    ("2.5.4.41", "name"),
    ("2.5.4.42", "GN"),
    ("2.5.4.43", "initials"),
    ("2.5.4.44", "generationQualifier"),
    ("2.5.4.45", "x500UniqueIdentifier"),
    ("2.5.4.46", "dnQualifier"),
    ("2.5.4.47", "enhancedSearchGuide"),
    ("2.5.4.48", "protocolInformation"),
    ("2.5.4.49", "distinguishedName"),
    ("2.5.4.50", "uniqueMember"),
    ("2.5.4.51", "houseIdentifier"),
    ("2.5.4.52", "supportedAlgorithms"),
    ("2.5.4.53", "deltaRevocationList"),
    ("2.5.4.54", "dmdName"),
    ("2.5.4.65", "pseudonym"),
    ("2.5.4.72", "role"),
    ("2.5.4.97", "organizationIdentifier"),
    ("2.5.4.98", "c3"),
    ("2.5.4.99", "n3"),
    ("2.5.4.100", "dnsName"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("1.2.840.113549.1.9.2", "unstructuredName"),
    ("1.2.840.113549.1.9.3", "contentType"),
    ("1.2.840.113549.1.9.7", "challengePassword"),
    ("1.2.840.113549.1.9.8", "unstructuredAddress"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("0.9.2342.19200300.100.1.2", "textEncodedORAddress"),
    ("0.9.2342.19200300.100.1.3", "mail"),
    ("0.9.2342.19200300.100.1.4", "info"),
    ("0.9.2342.19200300.100.1.5", "favouriteDrink"),
    ("0.9.2342.19200300.100.1.6", "roomNumber"),
    ("0.9.2342.19200300.100.1.7", "photo"),
    ("0.9.2342.19200300.100.1.8", "userClass"),
    ("0.9.2342.19200300.100.1.9", "host"),
    ("0.9.2342.19200300.100.1.10", "manager"),
    ("0.9.2342.19200300.100.1.11", "documentIdentifier"),
    ("0.9.2342.19200300.100.1.12", "documentTitle"),
    ("0.9.2342.19200300.100.1.13", "documentVersion"),
    ("0.9.2342.19200300.100.1.14", "documentAuthor"),
    ("0.9.2342.19200300.100.1.15", "documentLocation"),
    ("0.9.2342.19200300.100.1.20", "homeTelephoneNumber"),
    ("0.9.2342.19200300.100.1.21", "secretary"),
    ("0.9.2342.19200300.100.1.22", "otherMailbox"),
    ("0.9.2342.19200300.100.1.23", "lastModifiedTime"),
    ("0.9.2342.19200300.100.1.24", "lastModifiedBy"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.26", "aRecord"),
    ("0.9.2342.19200300.100.1.27", "pilotAttributeType27"),
    ("0.9.2342.19200300.100.1.28", "mXRecord"),
    ("0.9.2342.19200300.100.1.29", "nSRecord"),
    ("0.9.2342.19200300.100.1.30", "sOARecord"),
    ("0.9.2342.19200300.100.1.31", "cNAMERecord"),
    ("0.9.2342.19200300.100.1.37", "associatedDomain"),
    ("0.9.2342.19200300.100.1.38", "associatedName"),
    ("0.9.2342.19200300.100.1.39", "homePostalAddress"),
    ("0.9.2342.19200300.100.1.40", "personalTitle"),
    ("0.9.2342.19200300.100.1.41", "mobileTelephoneNumber"),
    ("0.9.2342.19200300.100.1.42", "pagerTelephoneNumber"),
    ("0.9.2342.19200300.100.1.43", "friendlyCountryName"),
    ("0.9.2342.19200300.100.1.44", "uid"),
    ("0.9.2342.19200300.100.1.45", "organizationalStatus"),
    ("0.9.2342.19200300.100.1.46", "janetMailbox"),
    ("0.9.2342.19200300.100.1.47", "mailPreferenceOption"),
    ("0.9.2342.19200300.100.1.48", "buildingName"),
    ("0.9.2342.19200300.100.1.49", "dSAQuality"),
    ("0.9.2342.19200300.100.1.50", "singleLevelQuality"),
    ("0.9.2342.19200300.100.1.51", "subtreeMinimumQuality"),
    ("0.9.2342.19200300.100.1.52", "subtreeMaximumQuality"),
    ("0.9.2342.19200300.100.1.53", "personalSignature"),
    ("0.9.2342.19200300.100.1.54", "dITRedirect"),
    ("0.9.2342.19200300.100.1.55", "audio"),
    ("0.9.2342.19200300.100.1.56", "documentPublisher"),
    ("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"),
    ("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
];

/// Signature algorithms: dotted OID, OpenSSL long name (as `openssl x509 -text` prints it),
/// and the key type OpenSSL's `check_sig_alg_match` requires of the issuer.
const SIGNATURE_ALGORITHMS: &[(&str, &str, KeyKind)] = &[
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.3", "md4WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.10", "rsassaPss", KeyKind::RsaPss),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.15", "sha512-224WithRSAEncryption", KeyKind::Rsa),
    ("1.2.840.113549.1.1.16", "sha512-256WithRSAEncryption", KeyKind::Rsa),
    ("1.3.14.3.2.29", "sha1WithRSA", KeyKind::Rsa),
    ("1.3.36.3.3.1.2", "ripemd160WithRSA", KeyKind::Rsa),
    ("2.16.840.1.101.3.4.3.13", "RSA-SHA3-224", KeyKind::Rsa),
    ("2.16.840.1.101.3.4.3.14", "RSA-SHA3-256", KeyKind::Rsa),
    ("2.16.840.1.101.3.4.3.15", "RSA-SHA3-384", KeyKind::Rsa),
    ("2.16.840.1.101.3.4.3.16", "RSA-SHA3-512", KeyKind::Rsa),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1", KeyKind::Ec),
    ("1.2.840.10045.4.3.1", "ecdsa-with-SHA224", KeyKind::Ec),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", KeyKind::Ec),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", KeyKind::Ec),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", KeyKind::Ec),
    ("2.16.840.1.101.3.4.3.9", "ecdsa_with_SHA3-224", KeyKind::Ec),
    ("2.16.840.1.101.3.4.3.10", "ecdsa_with_SHA3-256", KeyKind::Ec),
    ("2.16.840.1.101.3.4.3.11", "ecdsa_with_SHA3-384", KeyKind::Ec),
    ("2.16.840.1.101.3.4.3.12", "ecdsa_with_SHA3-512", KeyKind::Ec),
    ("1.3.101.112", "ED25519", KeyKind::Ed25519),
    ("1.3.101.113", "ED448", KeyKind::Ed448),
    ("1.2.840.10040.4.3", "dsaWithSHA1", KeyKind::Dsa),
    ("2.16.840.1.101.3.4.3.1", "dsa_with_SHA224", KeyKind::Dsa),
    ("2.16.840.1.101.3.4.3.2", "dsa_with_SHA256", KeyKind::Dsa),
    ("2.16.840.1.101.3.4.3.3", "dsa_with_SHA384", KeyKind::Dsa),
    ("2.16.840.1.101.3.4.3.4", "dsa_with_SHA512", KeyKind::Dsa),
];

/// Public key algorithms of the SubjectPublicKeyInfo.
const KEY_ALGORITHMS: &[(&str, KeyKind)] = &[
    ("1.2.840.113549.1.1.1", KeyKind::Rsa),
    ("1.2.840.113549.1.1.10", KeyKind::RsaPss),
    ("1.2.840.10045.2.1", KeyKind::Ec),
    ("1.3.101.112", KeyKind::Ed25519),
    ("1.3.101.113", KeyKind::Ed448),
    ("1.2.840.10040.4.1", KeyKind::Dsa),
];

/// Named curves, with the names people know them by.
const CURVES: &[(&str, &str)] = &[
    ("1.2.840.10045.3.1.7", "P-256"),
    ("1.3.132.0.34", "P-384"),
    ("1.3.132.0.35", "P-521"),
    ("1.3.132.0.33", "P-224"),
    ("1.2.840.10045.3.1.1", "P-192"),
    ("1.3.132.0.10", "secp256k1"),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"),
    ("1.2.156.10197.1.301", "SM2"),
];

/// id-kp-serverAuth.
pub const EKU_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
/// anyExtendedKeyUsage.
pub const EKU_ANY: &str = "2.5.29.37.0";
/// Netscape Server Gated Crypto (OpenSSL counts it as XKU_SGC, accepted for SSL servers).
pub const EKU_NS_SGC: &str = "2.16.840.1.113730.4.1";
/// Microsoft Server Gated Crypto (likewise XKU_SGC).
pub const EKU_MS_SGC: &str = "1.3.6.1.4.1.311.10.3.3";

/// Extension OIDs whose decoding OpenSSL 3.0 caches in `ossl_x509v3_cache_extensions`: if one
/// of them is present twice or cannot be decoded, the certificate is marked EXFLAG_INVALID.
pub const CACHED_EXTENSIONS: &[&str] = &[
    "2.5.29.19",               // basicConstraints
    "2.5.29.15",               // keyUsage
    "2.5.29.37",               // extendedKeyUsage
    "2.16.840.1.113730.1.1",   // nsCertType
    "2.5.29.14",               // subjectKeyIdentifier
    "2.5.29.35",               // authorityKeyIdentifier
    "2.5.29.17",               // subjectAltName
    "2.5.29.30",               // nameConstraints
    "2.5.29.31",               // cRLDistributionPoints
    "1.3.6.1.5.5.7.1.14",      // proxyCertInfo
    "1.3.6.1.5.5.7.1.7",       // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",       // sbgp-autonomousSysNum
];

/// Extensions OpenSSL 3.0 knows how to process when marked critical
/// (`X509_supported_extension`); a critical extension not listed here makes verification
/// report "unhandled critical extension".
pub const SUPPORTED_CRITICAL_EXTENSIONS: &[&str] = &[
    "2.16.840.1.113730.1.1", // nsCertType
    "2.5.29.15",             // keyUsage
    "2.5.29.17",             // subjectAltName
    "2.5.29.19",             // basicConstraints
    "2.5.29.32",             // certificatePolicies
    "2.5.29.31",             // cRLDistributionPoints
    "2.5.29.37",             // extendedKeyUsage
    "1.3.6.1.5.5.7.1.7",     // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",     // sbgp-autonomousSysNum
    "1.3.6.1.5.5.7.48.1.5",  // id-pkix-OCSP-noCheck
    "2.5.29.36",             // policyConstraints
    "1.3.6.1.5.5.7.1.14",    // proxyCertInfo
    "2.5.29.30",             // nameConstraints
    "2.5.29.33",             // policyMappings
    "2.5.29.54",             // inhibitAnyPolicy
];

/// The OpenSSL short name of a DN attribute type, or the dotted OID when OpenSSL has none.
pub fn attribute_short_name(dotted: &str) -> &str {
    ATTRIBUTE_SHORT_NAMES
        .iter()
        .find(|(oid, _)| *oid == dotted)
        .map(|(_, name)| *name)
        .unwrap_or(dotted)
}

/// OpenSSL's long name of a signature algorithm, or the dotted OID.
pub fn signature_algorithm_name(dotted: &str) -> String {
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|(oid, _, _)| *oid == dotted)
        .map(|(_, name, _)| (*name).to_string())
        .unwrap_or_else(|| dotted.to_string())
}

/// The key type a signature algorithm requires of the signer (Unknown for unknown algorithms,
/// which OpenSSL treats as a mismatch).
pub fn signature_key_kind(dotted: &str) -> KeyKind {
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|(oid, _, _)| *oid == dotted)
        .map(|(_, _, kind)| *kind)
        .unwrap_or(KeyKind::Unknown)
}

/// The key type of a SubjectPublicKeyInfo algorithm OID.
pub fn key_kind(dotted: &str) -> KeyKind {
    KEY_ALGORITHMS
        .iter()
        .find(|(oid, _)| *oid == dotted)
        .map(|(_, kind)| *kind)
        .unwrap_or(KeyKind::Unknown)
}

/// A familiar name for a named EC curve, or the dotted OID.
pub fn curve_name(dotted: &str) -> String {
    CURVES
        .iter()
        .find(|(oid, _)| *oid == dotted)
        .map(|(_, name)| (*name).to_string())
        .unwrap_or_else(|| dotted.to_string())
}

/// Whether a key of kind `key` may have made a signature of kind `sig`
/// (OpenSSL's `check_sig_alg_match`: equal types, or an rsaEncryption key making a PSS signature).
pub fn signature_matches_key(sig: KeyKind, key: KeyKind) -> bool {
    if sig == KeyKind::Unknown || key == KeyKind::Unknown {
        return false;
    }
    sig == key || (key == KeyKind::Rsa && sig == KeyKind::RsaPss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_follow_openssl() {
        assert_eq!(attribute_short_name("2.5.4.3"), "CN");
        assert_eq!(attribute_short_name("1.2.840.113549.1.9.1"), "emailAddress");
        assert_eq!(attribute_short_name("0.9.2342.19200300.100.1.25"), "DC");
        assert_eq!(attribute_short_name("1.2.3.4"), "1.2.3.4");
    }

    #[test]
    fn signature_algorithms_name_and_key() {
        assert_eq!(signature_algorithm_name("1.2.840.10045.4.3.2"), "ecdsa-with-SHA256");
        assert_eq!(signature_key_kind("1.2.840.113549.1.1.11"), KeyKind::Rsa);
        assert_eq!(signature_algorithm_name("1.9.9"), "1.9.9");
        assert!(signature_matches_key(KeyKind::RsaPss, KeyKind::Rsa));
        assert!(!signature_matches_key(KeyKind::Rsa, KeyKind::RsaPss));
        assert!(!signature_matches_key(KeyKind::Ec, KeyKind::Rsa));
        assert!(!signature_matches_key(KeyKind::Unknown, KeyKind::Unknown));
    }

    #[test]
    fn keys_and_curves() {
        assert_eq!(key_kind("1.2.840.10045.2.1"), KeyKind::Ec);
        assert_eq!(curve_name("1.2.840.10045.3.1.7"), "P-256");
        assert_eq!(curve_name("1.2.3"), "1.2.3");
    }
}

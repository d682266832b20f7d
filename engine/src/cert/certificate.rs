//! One X.509 certificate, reduced to the facts Postfix and OpenSSL 3.0 look at.
//!
//! Everything the engine later decides (names, trust, fingerprints, dates, purposes) comes
//! from these fields, so they are computed once, with OpenSSL's reading of each field rather
//! than a generic one: names as `X509_NAME_oneline` prints them and as `X509_NAME_cmp`
//! compares them, extensions as `ossl_x509v3_cache_extensions` caches them (including its
//! notion of an invalid certificate), and validity in Unix seconds.

use super::asn1_string;
use super::der;
use super::dn::{self, NameEntry};
use super::fingerprint::Fingerprints;
use super::name_cmp;
use super::oid::{self, KeyKind};
use super::time;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::FromDer;

/// Key usage bits as stored in [`Certificate::key_usage`] (bit 0 = digitalSignature, in the
/// order of RFC 5280 §4.2.1.3; this is not OpenSSL's internal `KU_*` layout).
pub mod key_usage {
    /// digitalSignature.
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment.
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment.
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment.
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement.
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign.
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign.
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly.
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly.
    pub const DECIPHER_ONLY: u16 = 1 << 8;
}

/// Netscape certificate type bits, in OpenSSL's `NS_*` layout (first byte of the BIT STRING).
pub mod ns_cert_type {
    /// SSL client.
    pub const SSL_CLIENT: u8 = 0x80;
    /// SSL server.
    pub const SSL_SERVER: u8 = 0x40;
    /// SSL CA.
    pub const SSL_CA: u8 = 0x04;
    /// Any CA type (SSL, S/MIME, object signing).
    pub const ANY_CA: u8 = 0x07;
}

/// A dNSName subjectAltName entry, kept byte-exact because Postfix and OpenSSL reject names
/// with NULs or non-printable bytes, and such names are exactly what needs explaining.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsSan {
    /// The bytes as text (invalid UTF-8 replaced lossily, NULs kept).
    pub name: String,
    /// The exact bytes of the IA5String.
    #[serde(skip)]
    pub raw: Vec<u8>,
    /// The name contains a NUL byte (never matches in OpenSSL; Postfix ≤3.5 rejects it).
    pub has_nul: bool,
    /// Every byte is printable ASCII (0x20–0x7E), as Postfix ≤3.5 requires.
    pub printable_ascii: bool,
}

/// An iPAddress subjectAltName entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpSan {
    /// `127.0.0.1`, or an IPv6 address in compressed form; other lengths as colon hex.
    pub text: String,
    /// The raw address bytes (4 or 16 when well formed).
    pub bytes: Vec<u8>,
}

/// Where a point in time falls relative to a certificate's validity period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// notBefore ≤ t < notAfter.
    Valid,
    /// t < notBefore.
    NotYetValid,
    /// t ≥ notAfter (OpenSSL counts the notAfter second itself as expired).
    Expired,
}

/// A parsed certificate with every fact the engine uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// The exact DER encoding (what fingerprints and identity comparisons use).
    #[serde(skip)]
    pub der: Vec<u8>,
    /// The DER SubjectPublicKeyInfo (what public-key fingerprints use).
    #[serde(skip)]
    pub spki_der: Vec<u8>,
    /// X.509 version number (1, 2 or 3).
    pub version: u32,
    /// Subject in `X509_NAME_oneline` format, e.g. `/O=Postfix Oracle/CN=Oracle Intermediate int1`.
    pub subject: String,
    /// Issuer in `X509_NAME_oneline` format.
    pub issuer: String,
    /// Subject attributes as OpenSSL keeps them.
    #[serde(skip)]
    pub subject_entries: Vec<NameEntry>,
    /// Issuer attributes as OpenSSL keeps them.
    #[serde(skip)]
    pub issuer_entries: Vec<NameEntry>,
    /// The subject Name's DER.
    #[serde(skip)]
    pub subject_der: Vec<u8>,
    /// The issuer Name's DER.
    #[serde(skip)]
    pub issuer_der: Vec<u8>,
    /// Canonical subject for `X509_NAME_cmp`-equality (see `name_cmp`).
    #[serde(skip)]
    pub subject_canon: Vec<u8>,
    /// Canonical issuer for `X509_NAME_cmp`-equality.
    #[serde(skip)]
    pub issuer_canon: Vec<u8>,
    /// Every subject CN in DN order, as UTF-8 (`ASN1_STRING_to_UTF8`; lossy where OpenSSL
    /// could not convert: see [`Certificate::subject_cn_entries`] for the exact values).
    pub subject_cns: Vec<String>,
    /// The first issuer CN (Postfix's `issuer_CN`).
    pub issuer_cn: Option<String>,
    /// The first issuer O (Postfix logs it when the issuer has no CN).
    pub issuer_org: Option<String>,
    /// dNSName SANs in certificate order.
    pub dns_sans: Vec<DnsSan>,
    /// iPAddress SANs in certificate order.
    pub ip_sans: Vec<IpSan>,
    /// A dNSName SAN is present (even a malformed one): OpenSSL then ignores the subject CN.
    pub has_dns_san: bool,
    /// notBefore, Unix seconds UTC.
    pub not_before: i64,
    /// notAfter, Unix seconds UTC.
    pub not_after: i64,
    /// notBefore as RFC 3339.
    pub not_before_text: String,
    /// notAfter as RFC 3339.
    pub not_after_text: String,
    /// notBefore is encoded exactly as RFC 5280 wants (`YYMMDDHHMMSSZ` UTCTime or
    /// `YYYYMMDDHHMMSSZ` GeneralizedTime); OpenSSL 3.0 reports error 13 otherwise.
    pub not_before_well_formed: bool,
    /// Likewise for notAfter (error 14).
    pub not_after_well_formed: bool,
    /// Serial number in uppercase hex (`-` prefix if negative), as `openssl x509 -serial`.
    pub serial_hex: String,
    /// The raw serial INTEGER content octets (for authorityKeyIdentifier serial checks).
    #[serde(skip)]
    pub serial_raw: Vec<u8>,
    /// A basicConstraints extension is present and usable.
    pub has_basic_constraints: bool,
    /// basicConstraints cA is true.
    pub is_ca: bool,
    /// basicConstraints pathLenConstraint (kept even without cA, as OpenSSL does).
    pub path_len: Option<u32>,
    /// keyUsage bits (see [`key_usage`]); `None` without the extension.
    pub key_usage: Option<u16>,
    /// `None` without an EKU extension; `Some(true)` if it lists serverAuth or
    /// anyExtendedKeyUsage.
    pub eku_server_auth: Option<bool>,
    /// `None` without an EKU extension; `Some(true)` if OpenSSL 3.0 accepts it for an SSL
    /// server: serverAuth or Netscape/Microsoft Server Gated Crypto. anyExtendedKeyUsage alone
    /// is **not** enough for OpenSSL (tested with 3.0.19: "unsuitable certificate purpose").
    pub eku_allows_ssl_server: Option<bool>,
    /// The EKU OIDs, dotted, in certificate order.
    pub eku_oids: Vec<String>,
    /// Netscape cert type (OpenSSL `NS_*` bits, see [`ns_cert_type`]).
    pub ns_cert_type: Option<u8>,
    /// subjectKeyIdentifier.
    #[serde(skip)]
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier.
    #[serde(skip)]
    pub authority_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier authorityCertSerialNumber (raw INTEGER content).
    #[serde(skip)]
    pub authority_cert_serial: Option<Vec<u8>>,
    /// Canonical form of the first directoryName in authorityKeyIdentifier authorityCertIssuer.
    #[serde(skip)]
    pub authority_cert_issuer_canon: Option<Vec<u8>>,
    /// Subject equals issuer (by `X509_NAME_cmp`, so also after case/space folding).
    pub self_issued: bool,
    /// OpenSSL's "self-signed" (`EXFLAG_SS` on a valid certificate): self-issued, its own
    /// authorityKeyIdentifier (key id, serial, issuer name where present) matches itself, and
    /// its signature algorithm fits its own key type. **No signature is verified**, exactly
    /// like OpenSSL when it classifies certificates during chain building.
    pub self_signed: bool,
    /// Public key description, e.g. `EC P-256`, `RSA 2048`.
    pub public_key_algorithm: String,
    /// The public key family.
    pub public_key_kind: KeyKind,
    /// The public key is EC with explicit (not named) curve parameters (OpenSSL 3.0 refuses
    /// those in chains longer than one).
    pub ec_explicit_params: bool,
    /// Signature algorithm, OpenSSL long name, e.g. `ecdsa-with-SHA256`.
    pub signature_algorithm: String,
    /// The key family the (TBS) signature algorithm requires of the issuer.
    pub signature_key_kind: KeyKind,
    /// OpenSSL would mark the certificate EXFLAG_INVALID: a cached extension is duplicated or
    /// undecodable (then it is never an issuer, never issued, never self-signed).
    pub extensions_invalid: bool,
    /// Critical extensions OpenSSL 3.0 does not support (dotted OIDs).
    pub unhandled_critical: Vec<String>,
    /// Certificate and public key fingerprints in every digest.
    pub fingerprints: Fingerprints,
}

/// Uppercase hex of an INTEGER's value as OpenSSL prints serials.
fn serial_to_hex(raw: &[u8]) -> String {
    let hex = super::fingerprint::upper_hex;
    if raw.is_empty() {
        return "00".to_string();
    }
    if raw[0] & 0x80 != 0 {
        // Negative: two's complement magnitude.
        let mut mag: Vec<u8> = raw.iter().map(|b| !b).collect();
        for b in mag.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        let start = mag.iter().position(|&b| b != 0).unwrap_or(mag.len().saturating_sub(1));
        return format!("-{}", hex(&mag[start..]));
    }
    let start = raw.iter().position(|&b| b != 0).unwrap_or(raw.len() - 1);
    hex(&raw[start..])
}

/// An INTEGER's content with redundant leading zero octets removed (for equality).
fn integer_value(raw: &[u8]) -> &[u8] {
    let mut r = raw;
    while r.len() > 1 && r[0] == 0 && r[1] & 0x80 == 0 {
        r = &r[1..];
    }
    r
}

/// Number of significant bits of a big-endian unsigned integer.
fn bit_length(bytes: &[u8]) -> u32 {
    match bytes.iter().position(|&b| b != 0) {
        None => 0,
        Some(i) => (bytes.len() - i - 1) as u32 * 8 + (8 - bytes[i].leading_zeros()),
    }
}

fn ip_text(bytes: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        Ipv4Addr::from(v4).to_string()
    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
        Ipv6Addr::from(v6).to_string()
    } else {
        super::fingerprint::colon_hex(bytes)
    }
}

fn dns_san(raw: &[u8]) -> DnsSan {
    DnsSan {
        name: String::from_utf8_lossy(raw).into_owned(),
        raw: raw.to_vec(),
        has_nul: raw.contains(&0),
        printable_ascii: raw.iter().all(|b| (0x20..=0x7e).contains(b)),
    }
}

fn first_text(entries: &[NameEntry], oid: &str) -> Option<String> {
    entries.iter().find(|e| e.oid == oid).map(entry_text)
}

fn entry_text(e: &NameEntry) -> String {
    e.text().unwrap_or_else(|| String::from_utf8_lossy(&e.value).into_owned())
}

/// Describes the public key (`EC P-256`, `RSA 2048`…) and whether EC parameters are explicit.
fn describe_key(x: &X509Certificate<'_>, kind: KeyKind, alg_dotted: &str) -> (String, bool) {
    let spki = x.public_key();
    match kind {
        KeyKind::Rsa | KeyKind::RsaPss => {
            let label = if kind == KeyKind::Rsa { "RSA" } else { "RSA-PSS" };
            match spki.parsed() {
                Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => {
                    (format!("{label} {}", bit_length(rsa.modulus)), false)
                }
                _ => (label.to_string(), false),
            }
        }
        KeyKind::Ec => match spki.algorithm.parameters.as_ref() {
            Some(p) if p.tag() == x509_parser::asn1_rs::Tag::Oid => {
                let curve = der::oid_to_dotted(p.data).unwrap_or_default();
                (format!("EC {}", oid::curve_name(&curve)), false)
            }
            Some(p) if p.tag() == x509_parser::asn1_rs::Tag::Sequence => {
                ("EC (explicit curve parameters)".to_string(), true)
            }
            _ => ("EC".to_string(), false),
        },
        KeyKind::Ed25519 => ("Ed25519".to_string(), false),
        KeyKind::Ed448 => ("Ed448".to_string(), false),
        KeyKind::Dsa => ("DSA".to_string(), false),
        KeyKind::Unknown => (alg_dotted.to_string(), false),
    }
}

/// Whether a Time is in the only forms OpenSSL 3.0's `X509_cmp_time` accepts: UTCTime
/// `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ` (no fractions, no offsets).
fn strict_time(t: &der::Tlv<'_>) -> bool {
    let len = match t.tag {
        0x17 => 13,
        0x18 => 15,
        _ => return false,
    };
    t.value.len() == len
        && t.value[..len - 1].iter().all(u8::is_ascii_digit)
        && t.value.last() == Some(&b'Z')
}

/// (notBefore, notAfter) well-formedness, read from the raw TBSCertificate.
fn validity_formats(cert_der: &[u8]) -> Option<(bool, bool)> {
    let cert = der::read_tlv(cert_der)?;
    let tbs = der::read_tlv(cert.value)?;
    let (fields, _) = der::children(tbs.value);
    let skip = usize::from(fields.first()?.tag == 0xa0);
    let validity = fields.get(skip + 3)?;
    let (times, _) = der::children(validity.value);
    Some((strict_time(times.first()?), strict_time(times.get(1)?)))
}

/// Reads the nsCertType BIT STRING the way OpenSSL does (first content byte, any length).
fn parse_ns_cert_type(value: &[u8]) -> Option<u8> {
    let t = der::read_tlv(value)?;
    if t.tag != der::TAG_BIT_STRING || t.value.is_empty() {
        return None;
    }
    Some(t.value.get(1).copied().unwrap_or(0))
}

/// Why bytes are not a certificate that OpenSSL (and so peername) can read: the English text
/// ([`std::fmt::Display`]) and, for translated words, a keyword with the values the text names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertError {
    /// A keyword (`not-der`, `not-sequence`, `x509`, `subject-type`, `issuer-tag`,
    /// `name-encoding`, …): the catalogue's words are `diag.error.<code>`.
    pub code: &'static str,
    /// The values the text names (`detail`, `attribute`, `type`, `tag`).
    pub params: Vec<(&'static str, String)>,
    /// The English text.
    pub text: String,
}

impl CertError {
    /// An error with keyword `code`, English `text` and `params`.
    pub fn new(code: &'static str, text: String, params: Vec<(&'static str, String)>) -> Self {
        CertError { code, params, text }
    }
}

impl std::fmt::Display for CertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Certificate {
    /// Parses one DER certificate (trailing bytes after it are ignored, as `d2i_X509` does).
    /// The error is meant for a diagnostic.
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertError> {
        let tlv = der::read_tlv(der).ok_or_else(|| {
            CertError::new("not-der", "the bytes are not DER: no complete ASN.1 element at the start".to_string(), Vec::new())
        })?;
        if tlv.tag != der::TAG_SEQUENCE {
            return Err(CertError::new("not-sequence", "the DER data does not start with a SEQUENCE, so it is not a certificate".to_string(), Vec::new()));
        }
        let exact = der.get(..tlv.total_len).unwrap_or(der);
        let (_, x) = X509Certificate::from_der(exact)
            .map_err(|e| CertError::new("x509", format!("not a valid X.509 certificate ({e})"), vec![("detail", e.to_string())]))?;
        Self::from_parsed(exact, &x)
    }

    fn from_parsed(exact: &[u8], x: &X509Certificate<'_>) -> Result<Certificate, CertError> {
        let tbs = &x.tbs_certificate;
        let subject_entries = dn::entries_of(tbs.subject());
        let issuer_entries = dn::entries_of(tbs.issuer());
        dn::check_openssl_accepts(&subject_entries, "subject")?;
        dn::check_openssl_accepts(&issuer_entries, "issuer")?;
        let subject_canon = name_cmp::canonical_key(&subject_entries)?;
        let issuer_canon = name_cmp::canonical_key(&issuer_entries)?;

        let mut c = Certificate {
            der: exact.to_vec(),
            spki_der: tbs.subject_pki.raw.to_vec(),
            version: tbs.version.0.saturating_add(1),
            subject: dn::oneline(&subject_entries),
            issuer: dn::oneline(&issuer_entries),
            subject_cns: subject_entries.iter().filter(|e| e.oid == "2.5.4.3").map(entry_text).collect(),
            issuer_cn: first_text(&issuer_entries, "2.5.4.3"),
            issuer_org: first_text(&issuer_entries, "2.5.4.10"),
            subject_der: tbs.subject().as_raw().to_vec(),
            issuer_der: tbs.issuer().as_raw().to_vec(),
            self_issued: subject_canon == issuer_canon,
            subject_canon,
            issuer_canon,
            subject_entries,
            issuer_entries,
            dns_sans: Vec::new(),
            ip_sans: Vec::new(),
            has_dns_san: false,
            not_before: tbs.validity().not_before.timestamp(),
            not_after: tbs.validity().not_after.timestamp(),
            not_before_text: String::new(),
            not_after_text: String::new(),
            not_before_well_formed: true,
            not_after_well_formed: true,
            serial_hex: serial_to_hex(tbs.raw_serial()),
            serial_raw: tbs.raw_serial().to_vec(),
            has_basic_constraints: false,
            is_ca: false,
            path_len: None,
            key_usage: None,
            eku_server_auth: None,
            eku_allows_ssl_server: None,
            eku_oids: Vec::new(),
            ns_cert_type: None,
            subject_key_id: None,
            authority_key_id: None,
            authority_cert_serial: None,
            authority_cert_issuer_canon: None,
            self_signed: false,
            public_key_algorithm: String::new(),
            public_key_kind: KeyKind::Unknown,
            ec_explicit_params: false,
            signature_algorithm: String::new(),
            signature_key_kind: KeyKind::Unknown,
            extensions_invalid: false,
            unhandled_critical: Vec::new(),
            fingerprints: Fingerprints::compute(exact, tbs.subject_pki.raw),
        };
        c.not_before_text = time::rfc3339(c.not_before);
        c.not_after_text = time::rfc3339(c.not_after);
        if let Some((nb, na)) = validity_formats(exact) {
            c.not_before_well_formed = nb;
            c.not_after_well_formed = na;
        }

        let key_alg = der::oid_to_dotted(tbs.subject_pki.algorithm.algorithm.as_bytes()).unwrap_or_default();
        c.public_key_kind = oid::key_kind(&key_alg);
        let (desc, explicit) = describe_key(x, c.public_key_kind, &key_alg);
        c.public_key_algorithm = desc;
        c.ec_explicit_params = explicit;
        let outer_sig = der::oid_to_dotted(x.signature_algorithm.algorithm.as_bytes()).unwrap_or_default();
        c.signature_algorithm = oid::signature_algorithm_name(&outer_sig);
        let tbs_sig = der::oid_to_dotted(tbs.signature.algorithm.as_bytes()).unwrap_or_default();
        c.signature_key_kind = oid::signature_key_kind(&tbs_sig);

        c.read_extensions(x);

        // OpenSSL's EXFLAG_SS: self-issued, own AKID consistent with itself, own signature
        // algorithm fits own key. X509_self_signed() also answers "no" for invalid certificates.
        c.self_signed = c.self_issued
            && !c.extensions_invalid
            && c.akid_matches(&c)
            && oid::signature_matches_key(c.signature_key_kind, c.public_key_kind);
        Ok(c)
    }

    fn read_extensions(&mut self, x: &X509Certificate<'_>) {
        let exts = x.tbs_certificate.extensions();
        // Count the extensions OpenSSL caches: a duplicate makes X509_get_ext_d2i fail.
        let dotted: Vec<String> =
            exts.iter().map(|e| der::oid_to_dotted(e.oid.as_bytes()).unwrap_or_default()).collect();
        let count = |oid: &str| dotted.iter().filter(|d| d.as_str() == oid).count();
        for (ext, oid_text) in exts.iter().zip(&dotted) {
            if ext.critical && !oid::SUPPORTED_CRITICAL_EXTENSIONS.contains(&oid_text.as_str()) {
                self.unhandled_critical.push(oid_text.clone());
            }
            if !oid::CACHED_EXTENSIONS.contains(&oid_text.as_str()) {
                continue;
            }
            if count(oid_text) > 1 {
                self.extensions_invalid = true;
                continue;
            }
            if oid_text == "2.16.840.1.113730.1.1" {
                match parse_ns_cert_type(ext.value) {
                    Some(bits) => self.ns_cert_type = Some(bits),
                    None => self.extensions_invalid = true,
                }
                continue;
            }
            match ext.parsed_extension() {
                ParsedExtension::ParseError { .. } => self.extensions_invalid = true,
                ParsedExtension::BasicConstraints(bc) => {
                    // A negative path length fails to parse (invalid, as in OpenSSL); a path
                    // length without cA is kept and enforced, as OpenSSL 3.0.19 does.
                    self.has_basic_constraints = true;
                    self.is_ca = bc.ca;
                    self.path_len = bc.path_len_constraint;
                }
                ParsedExtension::KeyUsage(ku) => self.key_usage = Some(ku.flags),
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    let mut oids: Vec<String> = Vec::new();
                    if eku.server_auth {
                        oids.push(oid::EKU_SERVER_AUTH.to_string());
                    }
                    if eku.any {
                        oids.push(oid::EKU_ANY.to_string());
                    }
                    let flag = |present: bool, o: &str, oids: &mut Vec<String>| {
                        if present {
                            oids.push(o.to_string());
                        }
                    };
                    flag(eku.client_auth, "1.3.6.1.5.5.7.3.2", &mut oids);
                    flag(eku.code_signing, "1.3.6.1.5.5.7.3.3", &mut oids);
                    flag(eku.email_protection, "1.3.6.1.5.5.7.3.4", &mut oids);
                    flag(eku.time_stamping, "1.3.6.1.5.5.7.3.8", &mut oids);
                    flag(eku.ocsp_signing, "1.3.6.1.5.5.7.3.9", &mut oids);
                    for o in &eku.other {
                        oids.push(der::oid_to_dotted(o.as_bytes()).unwrap_or_default());
                    }
                    let sgc = oids.iter().any(|o| o == oid::EKU_NS_SGC || o == oid::EKU_MS_SGC);
                    self.eku_server_auth = Some(eku.server_auth || eku.any);
                    self.eku_allows_ssl_server = Some(eku.server_auth || sgc);
                    self.eku_oids = oids;
                }
                ParsedExtension::SubjectKeyIdentifier(kid) => self.subject_key_id = Some(kid.0.to_vec()),
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    self.authority_key_id = aki.key_identifier.as_ref().map(|k| k.0.to_vec());
                    self.authority_cert_serial = aki.authority_cert_serial.map(<[u8]>::to_vec);
                    let dir_name = aki.authority_cert_issuer.iter().flatten().find_map(|gn| match gn {
                        GeneralName::DirectoryName(name) => Some(name),
                        _ => None,
                    });
                    if let Some(name) = dir_name {
                        // OpenSSL decodes extensions lazily: a bad name here only makes the
                        // extension (hence the certificate's EXFLAG) invalid.
                        let entries = dn::entries_of(name);
                        match dn::check_openssl_accepts(&entries, "authority key identifier")
                            .and_then(|()| name_cmp::canonical_key(&entries))
                        {
                            Ok(key) => self.authority_cert_issuer_canon = Some(key),
                            Err(_) => self.extensions_invalid = true,
                        }
                    }
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    for gn in &san.general_names {
                        match gn {
                            GeneralName::DNSName(s) => {
                                self.has_dns_san = true;
                                self.dns_sans.push(dns_san(s.as_bytes()));
                            }
                            GeneralName::Invalid(tag, data) if tag.0 == 2 => {
                                self.has_dns_san = true;
                                self.dns_sans.push(dns_san(data));
                            }
                            GeneralName::IPAddress(bytes) => {
                                self.ip_sans.push(IpSan { text: ip_text(bytes), bytes: bytes.to_vec() });
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// OpenSSL's `X509_check_akid(issuer, self.akid)`: does `issuer` fit this certificate's
    /// authorityKeyIdentifier (key id when both sides have one; serial; first directoryName)?
    pub fn akid_matches(&self, issuer: &Certificate) -> bool {
        if let (Some(kid), Some(skid)) = (&self.authority_key_id, &issuer.subject_key_id) {
            if kid != skid {
                return false;
            }
        }
        if let Some(serial) = &self.authority_cert_serial {
            if integer_value(serial) != integer_value(&issuer.serial_raw) {
                return false;
            }
            if let Some(name) = &self.authority_cert_issuer_canon {
                if *name != issuer.issuer_canon {
                    return false;
                }
            }
        }
        true
    }

    /// Where `unix_seconds` falls in the validity period, with OpenSSL's comparisons
    /// (`X509_cmp_time`: notBefore ≤ t is started, notAfter ≤ t is expired).
    pub fn is_valid_at(&self, unix_seconds: i64) -> Validity {
        if self.not_before > unix_seconds {
            Validity::NotYetValid
        } else if self.not_after <= unix_seconds {
            Validity::Expired
        } else {
            Validity::Valid
        }
    }

    /// The subject CN attributes exactly as stored (type and bytes), for callers that must
    /// distinguish values OpenSSL cannot convert to UTF-8.
    pub fn subject_cn_entries(&self) -> impl Iterator<Item = &NameEntry> {
        self.subject_entries.iter().filter(|e| e.oid == "2.5.4.3")
    }

    /// The first subject CN (what Postfix logs as `subject_CN`), if any.
    pub fn first_cn(&self) -> Option<&str> {
        self.subject_cns.first().map(String::as_str)
    }

    /// The issuer as Postfix prints it in "untrusted issuer …" lines (256-byte buffer).
    pub fn issuer_for_postfix_log(&self) -> String {
        dn::oneline_truncated(&self.issuer_entries, dn::POSTFIX_BUFSIZ)
    }

    /// Valid at `unix_seconds` in OpenSSL's eyes: dates well formed and notBefore ≤ t < notAfter
    /// (what `ossl_x509_check_cert_time` accepts when choosing among issuers).
    pub fn time_ok_at(&self, unix_seconds: i64) -> bool {
        self.not_before_well_formed && self.not_after_well_formed && self.is_valid_at(unix_seconds) == Validity::Valid
    }

    /// Same certificate, byte for byte (OpenSSL's `X509_cmp`).
    pub fn same_as(&self, other: &Certificate) -> bool {
        self.der == other.der
    }

    /// Whether the keyUsage extension, if present, lacks all of `bits`
    /// (OpenSSL's `ku_reject`; false when there is no keyUsage extension).
    pub fn key_usage_rejects(&self, bits: u16) -> bool {
        matches!(self.key_usage, Some(ku) if ku & bits == 0)
    }

    /// Whether a subject CN value is something OpenSSL can read as text.
    pub fn cn_is_text(entry: &NameEntry) -> bool {
        entry.tag.is_some_and(|t| asn1_string::to_utf8(t, &entry.value).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_print_like_openssl() {
        assert_eq!(serial_to_hex(&[0x00, 0xbf, 0x66]), "BF66");
        assert_eq!(serial_to_hex(&[0x01]), "01");
        assert_eq!(serial_to_hex(&[0x00]), "00");
        assert_eq!(serial_to_hex(&[]), "00");
        assert_eq!(serial_to_hex(&[0xff]), "-01");
        assert_eq!(serial_to_hex(&[0x80]), "-80");
    }

    #[test]
    fn integer_values_compare_without_padding() {
        assert_eq!(integer_value(&[0x00, 0x00, 0x05]), &[0x05]);
        assert_eq!(integer_value(&[0x00, 0x85]), &[0x00, 0x85]);
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
    }

    #[test]
    fn ip_texts() {
        assert_eq!(ip_text(&[127, 0, 0, 1]), "127.0.0.1");
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6), "::1");
        assert_eq!(ip_text(&[1, 2, 3]), "01:02:03");
    }

    #[test]
    fn dns_san_flags() {
        let s = dns_san(b"a\0b");
        assert!(s.has_nul && !s.printable_ascii);
        let s = dns_san(&[0xff]);
        assert_eq!(s.name, "\u{fffd}");
        assert!(dns_san(b"mx.example.com").printable_ascii);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(Certificate::from_der(&[]).is_err());
        assert!(Certificate::from_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
        assert!(Certificate::from_der(&[0x04, 0x00]).is_err());
        assert!(Certificate::from_der(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
    }

    fn hex_bytes(h: &str) -> Vec<u8> {
        (0..h.len() / 2).filter_map(|i| u8::from_str_radix(h.get(2 * i..2 * i + 2)?, 16).ok()).collect()
    }

    /// Names, SANs and string types recorded from OpenSSL 3.0.19 (`X509_NAME_oneline` with and
    /// without Postfix's 256-byte buffer, and whether `d2i_X509` accepts the certificate).
    #[test]
    fn names_match_openssl_fixtures() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/certs/openssl_names.json");
        let text = std::fs::read_to_string(path).expect("fixture present");
        let fixture: serde_json::Value = serde_json::from_str(&text).expect("fixture parses");
        let names = fixture["names"].as_array().expect("names");
        assert!(names.len() > 40);
        for n in names {
            let name = n["name"].as_str().unwrap_or("?");
            let der = hex_bytes(n["der_hex"].as_str().unwrap_or(""));
            let parsed = Certificate::from_der(&der);
            if n["openssl_rejects"].as_bool() == Some(true) {
                assert!(parsed.is_err(), "{name}: OpenSSL rejects it, we parsed it");
                continue;
            }
            let c = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
            if let Some(expected) = n["oneline"].as_str() {
                assert_eq!(c.subject, expected, "{name}");
            }
            if let Some(expected) = n["oneline_256"].as_str() {
                assert_eq!(dn::oneline_truncated(&c.subject_entries, dn::POSTFIX_BUFSIZ), expected, "{name}");
            }
            if let Some(expected) = n["issuer_oneline"].as_str() {
                assert_eq!(c.issuer, expected, "{name}");
                assert!(c.self_issued, "{name}");
            }
        }
    }

    fn fixture_cert(name: &str) -> Certificate {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/certs/openssl_names.json");
        let fixture: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture present")).expect("parses");
        let n = fixture["names"].as_array().into_iter().flatten().find(|n| n["name"] == name).expect("case present");
        Certificate::from_der(&hex_bytes(n["der_hex"].as_str().unwrap_or(""))).expect("parses")
    }

    #[test]
    fn sans_keep_raw_bytes() {
        let c = fixture_cert("san-nul");
        assert!(c.has_dns_san);
        assert_eq!(c.dns_sans.len(), 2);
        assert_eq!(c.dns_sans[0].raw, b"a\0b.com");
        assert!(c.dns_sans[0].has_nul && !c.dns_sans[0].printable_ascii);
        assert_eq!(c.dns_sans[1].name, "ok.com");
        let c = fixture_cert("san-high-byte");
        assert_eq!(c.dns_sans[0].name, "caf\u{e9}x");
        assert!(!c.dns_sans[0].printable_ascii);
        let c = fixture_cert("san-latin1");
        assert_eq!(c.dns_sans[0].raw, b"caf\xe9x");
        assert_eq!(c.dns_sans[0].name, "caf\u{fffd}x");
        let c = fixture_cert("san-ip");
        assert!(!c.has_dns_san);
        let ips: Vec<&str> = c.ip_sans.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(ips, ["127.0.0.1", "::1"]);
    }

    #[test]
    fn cns_and_issuer_fields() {
        let c = fixture_cert("two-cns");
        assert_eq!(c.subject_cns, ["first.example.com", "second.example.com"]);
        assert_eq!(c.first_cn(), Some("first.example.com"));
        let c = fixture_cert("bmp");
        assert_eq!(c.subject_cns, ["Bmp \u{3a9}mega"]);
        let c = fixture_cert("plain");
        assert_eq!(c.issuer_cn.as_deref(), Some("Oracle Intermediate int1"));
        assert_eq!(c.issuer_org.as_deref(), Some("Postfix Oracle"));
        assert_eq!(c.public_key_algorithm, "EC P-256");
        assert_eq!(c.signature_algorithm, "ecdsa-with-SHA256");
        assert_eq!(c.not_before_text, "2026-01-01T00:00:00Z");
        assert_eq!(c.serial_hex, "07");
        assert_eq!(c.is_valid_at(c.not_after), Validity::Expired);
        assert_eq!(c.is_valid_at(c.not_after - 1), Validity::Valid);
        assert_eq!(c.is_valid_at(c.not_before - 1), Validity::NotYetValid);
        assert_eq!(c.is_valid_at(c.not_before), Validity::Valid);
    }
}


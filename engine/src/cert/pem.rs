//! Reading certificates from whatever people paste or upload.
//!
//! Accepted: any number of PEM certificate blocks (`CERTIFICATE`, `X509 CERTIFICATE`,
//! `TRUSTED CERTIFICATE`) amid other text such as `openssl s_client -showcerts` output, with
//! CRLF, a BOM, indentation or re-wrapped lines; binary DER (one or more certificates back to
//! back); and bare base64 of a DER certificate. Private key blocks are skipped unread and
//! reported. Nothing here fails: what cannot be read becomes a [`Diagnostic`] with a span.

use super::armor::{self, Marker, MarkerKind};
use super::base64;
use super::certificate::Certificate;
use super::der;
use super::private_key::key_block_extent;
use crate::diag::{Diagnostic, Source, Span};
use serde::{Deserialize, Serialize};

pub use super::private_key::{contains_private_key, strip_private_keys};

/// The most certificates read from one input; more are ignored (real chains have < 10).
pub const MAX_CERTIFICATES: usize = 2000;

/// What [`parse_certificates`] found.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CertificateInput {
    /// The certificates, in input order.
    pub certificates: Vec<Certificate>,
    /// Where each certificate came from in the input (parallel to `certificates`).
    pub spans: Vec<Span>,
    /// Everything that could not be read, and refused private keys.
    pub diagnostics: Vec<Diagnostic>,
    /// A private key block was present (and skipped without decoding).
    pub private_key_refused: bool,
}

/// The most diagnostics reported for one input; further ones are only counted, so hostile
/// input (say, 300,000 unterminated BEGIN lines) cannot flood memory.
pub const MAX_DIAGNOSTICS: usize = 100;

struct Parser<'a> {
    input: &'a [u8],
    source: Source,
    out: CertificateInput,
    too_many_reported: bool,
    suppressed: usize,
}

impl<'a> Parser<'a> {
    fn diag(&mut self, d: Diagnostic) {
        if self.out.diagnostics.len() < MAX_DIAGNOSTICS {
            self.out.diagnostics.push(d);
        } else {
            self.suppressed += 1;
        }
    }

    fn error(&mut self, code: &str, span: Span, message: String, hint: &str) {
        self.error_with(code, span, message, hint, &[]);
    }

    /// [`Parser::error`] with params (a `variant` among them when the code has several shapes).
    fn error_with(&mut self, code: &str, span: Span, message: String, hint: &str, params: &[(&str, String)]) {
        let mut d = Diagnostic::error(code, self.source, message).at(span).hint(hint);
        for (name, value) in params {
            d = d.param(name, value.clone());
        }
        self.diag(d);
    }

    /// Reports (once) that the certificate limit was reached.
    fn report_too_many(&mut self, span: Span) {
        if !self.too_many_reported {
            self.too_many_reported = true;
            self.error_with(
                "cert.too-many",
                span,
                format!("more than {MAX_CERTIFICATES} certificates; only the first {MAX_CERTIFICATES} are used"),
                "Paste only the server's chain (leaf first), not a whole CA bundle.",
                &[("limit", MAX_CERTIFICATES.to_string())],
            );
        }
    }

    /// Adds a certificate unless the limit is reached; returns false when it was not added.
    fn push(&mut self, cert: Certificate, span: Span) -> bool {
        if self.out.certificates.len() >= MAX_CERTIFICATES {
            self.report_too_many(span);
            return false;
        }
        self.out.certificates.push(cert);
        self.out.spans.push(span);
        true
    }

    fn has_errors(&self) -> bool {
        self.out.diagnostics.iter().any(|d| d.severity == crate::diag::Severity::Error)
    }

    fn run(mut self) -> CertificateInput {
        let input = self.input;
        if input.iter().all(|&b| base64::is_space(b)) || input == b"\xef\xbb\xbf" {
            return self.out;
        }
        let was_der = input.first() == Some(&der::TAG_SEQUENCE)
            && looks_binary(input)
            && der::read_tlv(input).is_some()
            && self.try_der();
        if !was_der {
            let markers = armor::scan(input);
            if markers.is_empty() {
                self.bare_text();
            } else {
                self.pem(&markers);
            }
        }
        if self.suppressed > 0 {
            let d = Diagnostic::warning(
                "cert.too-many-problems",
                self.source,
                format!("{} more problems in this input were not listed", self.suppressed),
            )
            .hint("Fix the problems listed first, or paste only the certificates.")
            .param("count", self.suppressed.to_string());
            self.out.diagnostics.push(d);
        }
        if self.out.certificates.is_empty() && !self.has_errors() {
            self.error(
                "cert.no-certificate-found",
                Span::new(0, input.len()),
                "no certificate found in the input".to_string(),
                "Paste PEM text (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----), \
                 for example from `openssl s_client -showcerts`, or upload a DER file.",
            );
        }
        self.out
    }

    /// Binary DER: one or more certificates back to back. Returns false (having changed
    /// nothing) when the input is really text that happens to start with `0`.
    fn try_der(&mut self) -> bool {
        let input = self.input;
        let mut offset = 0;
        let mut parsed: Vec<(Certificate, Span)> = Vec::new();
        // Where decoding stopped, the English message, and the params of the diagnostic.
        type Failure = (Span, String, Vec<(&'static str, String)>);
        let mut failure: Option<Failure> = None;
        while offset < input.len() {
            let rest = &input[offset..];
            if rest.iter().all(|&b| b == 0 || base64::is_space(b)) {
                break;
            }
            let Some(tlv) = der::read_tlv(rest).filter(|t| t.tag == der::TAG_SEQUENCE) else {
                let bytes = input.len() - offset;
                failure = Some((
                    Span::new(offset, input.len()),
                    format!("{bytes} bytes after the last certificate are not a DER certificate"),
                    vec![("variant", "trailing".to_string()), ("bytes", bytes.to_string())],
                ));
                break;
            };
            let span = Span::new(offset, offset + tlv.total_len);
            if looks_like_der_private_key(rest) {
                self.refuse_binary_key(span);
                offset += tlv.total_len;
                continue;
            }
            match Certificate::from_der(rest) {
                Ok(c) => parsed.push((c, span)),
                Err(e) => {
                    failure = Some((span, format!("DER data is not a certificate: {e}"), bad_der_params("der", &e)));
                    break;
                }
            }
            offset += tlv.total_len;
        }
        if parsed.is_empty() && !self.out.private_key_refused && input.windows(11).any(|w| w == b"-----BEGIN ") {
            return false;
        }
        for (c, span) in parsed {
            if !self.push(c, span) {
                break;
            }
        }
        if let Some((span, message, params)) = failure {
            self.error_with(
                "cert.bad-der",
                span,
                message,
                "Upload the certificate as PEM or DER exactly as exported (e.g. `openssl x509 -outform DER`).",
                &params,
            );
        }
        true
    }

    /// Text without any armour: bare base64 of a DER certificate, or something else.
    fn bare_text(&mut self) {
        let input = self.input;
        let start = if input.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
        let body = &input[start..];
        let looks_base64 = body.iter().all(|&b| base64::is_base64_or_space(b))
            && body.iter().filter(|&&b| !base64::is_space(b)).count() >= 64;
        if looks_base64 {
            let span = Span::new(start, input.len());
            match base64::decode(body) {
                Ok(bytes) if looks_like_der_private_key(&bytes) => self.refuse_binary_key(span),
                Ok(bytes) => match Certificate::from_der(&bytes) {
                    Ok(c) => {
                        self.push(c, span);
                    }
                    Err(e) => self.error_with(
                        "cert.bad-der",
                        span,
                        format!("the base64 text does not decode to a certificate: {e}"),
                        "Check that the whole certificate was copied, or paste it with its BEGIN/END lines.",
                        &bad_der_params("base64", &e),
                    ),
                },
                Err(bad) => self.bad_base64(start, bad),
            }
        } else if body.contains(&0) || std::str::from_utf8(body).is_err() {
            self.error_with(
                "cert.bad-der",
                Span::new(0, input.len()),
                "binary data that is not a DER certificate".to_string(),
                "Upload a certificate in DER or PEM form; key stores such as PKCS#12 are not read.",
                &[("variant", "binary".to_string())],
            );
        }
    }

    /// A private key (or key store) without PEM armour: refused, not decoded further.
    fn refuse_binary_key(&mut self, span: Span) {
        self.out.private_key_refused = true;
        let d = Diagnostic::warning(
            "cert.private-key-refused",
            self.source,
            "these bytes look like a private key or key store; they were skipped without reading them",
        )
        .at(span)
        .hint("peername never needs a private key: upload only the certificate, and treat a key that was shared as compromised.")
        .param("variant", "binary");
        self.diag(d);
    }

    fn bad_base64(&mut self, base: usize, bad: base64::BadByte) {
        let at = base + bad.offset;
        let (ls, le) = line_around(self.input, at);
        let printable = (0x21..=0x7e).contains(&bad.byte);
        let shown = if printable { format!("'{}'", char::from(bad.byte)) } else { format!("byte 0x{:02X}", bad.byte) };
        let d = Diagnostic::error(
            "cert.bad-base64",
            self.source,
            format!("{shown} is not valid in base64 certificate data"),
        )
        .at(Span::new(ls, le))
        .hint("Copy the certificate again exactly; quoting characters such as '>' or stray text inside the block break it.")
        .param("character", shown)
        .param("byte", format!("0x{:02X}", bad.byte))
        .param("variant", if printable { "character" } else { "byte" });
        self.diag(d);
    }

    fn pem(&mut self, markers: &[Marker]) {
        let input = self.input;
        let mut i = 0;
        while i < markers.len() {
            let m = &markers[i];
            if m.kind == MarkerKind::End {
                i += 1;
                continue;
            }
            let begin_line = Span::new(m.line_start, m.line_end);
            if m.is_private_key() {
                self.out.private_key_refused = true;
                let (_, _, end) = key_block_extent(markers, i, input.len());
                let d = Diagnostic::warning(
                    "cert.private-key-refused",
                    self.source,
                    format!("a {} block was skipped without reading it", m.label),
                )
                .at(begin_line)
                .hint(if end.is_some() {
                    "peername never needs a private key: remove it from what you paste, and treat a key that was shared as compromised."
                } else {
                    "This private key block has no END line, so everything after it was ignored too. peername never needs a private key."
                })
                .param("label", m.label.clone())
                .param("variant", if end.is_some() { "block" } else { "unterminated" });
                self.diag(d);
                match end {
                    Some(j) => {
                        i = j + 1;
                        continue;
                    }
                    None => return,
                }
            }
            let next = markers.get(i + 1);
            let matched = next.filter(|n| n.kind == MarkerKind::End && n.label == m.label);
            let Some(end) = matched else {
                if m.is_certificate() {
                    self.error_with(
                        "cert.truncated-pem",
                        begin_line,
                        format!("-----BEGIN {}----- has no matching END line", m.label),
                        "The certificate was cut off: copy it again including the -----END CERTIFICATE----- line.",
                        &[("label", m.label.clone())],
                    );
                } else {
                    self.not_a_certificate(m, begin_line);
                }
                i += 1;
                continue;
            };
            let block = Span::new(m.line_start, end.line_end);
            if !m.is_certificate() {
                self.not_a_certificate(m, begin_line);
                i += 2;
                continue;
            }
            if self.out.certificates.len() >= MAX_CERTIFICATES {
                // Keep scanning (for private keys), but decode nothing more.
                self.report_too_many(block);
                i += 2;
                continue;
            }
            let body_start = m.next_line.min(end.line_start).max(m.end);
            let body_end = end.start.max(body_start);
            self.decode_block(body_start, body_end, block);
            i += 2;
        }
    }

    fn not_a_certificate(&mut self, m: &Marker, span: Span) {
        let d = Diagnostic::error(
            "cert.not-a-certificate",
            self.source,
            format!("a {} block is not a certificate and was skipped", m.label),
        )
        .at(span)
        .hint("Paste the server certificate (and its chain) as -----BEGIN CERTIFICATE----- blocks.")
        .param("label", m.label.clone());
        self.diag(d);
    }

    fn decode_block(&mut self, body_start: usize, body_end: usize, block: Span) {
        let body = &self.input[body_start..body_end];
        // RFC 1421 style headers ("Proc-Type: …") come before the data; skip such lines.
        let mut data_start = 0;
        for line in body.split_inclusive(|&b| b == b'\n') {
            if !line.contains(&b':') {
                break;
            }
            data_start += line.len();
        }
        match base64::decode(&body[data_start..]) {
            Err(bad) => self.bad_base64(body_start + data_start, bad),
            Ok(bytes) if bytes.is_empty() => self.error_with(
                "cert.bad-der",
                block,
                "the certificate block is empty".to_string(),
                "Copy the base64 lines between the BEGIN and END lines too.",
                &[("variant", "empty".to_string())],
            ),
            Ok(bytes) => match Certificate::from_der(&bytes) {
                Ok(c) => {
                    self.push(c, block);
                }
                Err(e) => self.error_with(
                    "cert.bad-der",
                    block,
                    format!("the block decodes, but not to a certificate: {e}"),
                    "The certificate may have been truncated or edited; copy it again from the source.",
                    &bad_der_params("block", &e),
                ),
            },
        }
    }
}

/// The params of a `cert.bad-der` whose certificate did not parse: the `variant`, the English
/// `error`, and its keyword (`error_code`, for `diag.error.*`) with the values it names.
fn bad_der_params(variant: &str, e: &crate::cert::CertError) -> Vec<(&'static str, String)> {
    let mut params = vec![("variant", variant.to_string()), ("error", e.to_string()), ("error_code", e.code.to_string())];
    params.extend(e.params.iter().cloned());
    params
}

/// Whether the input is binary rather than text: not UTF-8, or holding control bytes other
/// than whitespace. (A DER certificate's length octets alone make it invalid UTF-8.)
fn looks_binary(input: &[u8]) -> bool {
    std::str::from_utf8(input).is_err()
        || input.iter().any(|&b| (b < 0x20 && !base64::is_space(b)) || b == 0x7f)
}

/// Whether DER bytes look like a private key or key store rather than a certificate: a
/// certificate's outer SEQUENCE starts with another SEQUENCE, while PKCS#1, PKCS#8, SEC 1 EC
/// keys and PKCS#12 bundles start with a small INTEGER version (0 to 3). (A PKCS#1 public
/// key starts with its large modulus instead.) Only the first two headers are read.
fn looks_like_der_private_key(der: &[u8]) -> bool {
    der::read_tlv(der)
        .filter(|t| t.tag == der::TAG_SEQUENCE)
        .and_then(|t| der::read_tlv(t.value))
        .is_some_and(|first| first.tag == 0x02 && matches!(first.value, [0..=3]))
}

/// The line (without its line break) holding byte `at`.
fn line_around(input: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(input.len());
    let start = input[..at].iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    let mut end = input[at..].iter().position(|&b| b == b'\n').map(|p| at + p).unwrap_or(input.len());
    if end > start && input[end - 1] == b'\r' {
        end -= 1;
    }
    (start, end.max(start))
}

/// Reads every certificate in `input` (PEM text, DER bytes or bare base64). Never fails:
/// problems are diagnostics pointing into `input`, tagged with `source`.
pub fn parse_certificates(input: &[u8], source: Source) -> CertificateInput {
    Parser { input, source, out: CertificateInput::default(), too_many_reported: false, suppressed: 0 }.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_input_is_silent() {
        for t in [&b""[..], b"  \r\n", b"\xef\xbb\xbf"] {
            let r = parse_certificates(t, Source::Certificates(0));
            assert!(r.certificates.is_empty() && r.diagnostics.is_empty());
        }
    }

    #[test]
    fn plain_text_says_no_certificate() {
        let r = parse_certificates(b"0 s:CN = hello world", Source::Certificates(0));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "cert.no-certificate-found");
        let r = parse_certificates(b"hello world", Source::Certificates(0));
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "cert.no-certificate-found");
        assert!(r.diagnostics[0].hint.is_some());
    }

    #[test]
    fn truncated_and_foreign_blocks() {
        let t = b"-----BEGIN CERTIFICATE-----\nMIIB\n";
        let r = parse_certificates(t, Source::Certificates(0));
        assert_eq!(r.diagnostics[0].code, "cert.truncated-pem");
        assert_eq!(r.diagnostics[0].span, Some(Span::new(0, 27)));
        let t = b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
        let r = parse_certificates(t, Source::Certificates(0));
        assert_eq!(r.diagnostics[0].code, "cert.not-a-certificate");
    }

    #[test]
    fn bad_base64_points_at_the_line() {
        let t = b"-----BEGIN CERTIFICATE-----\nMIIB\n> MIIB\n-----END CERTIFICATE-----\n";
        let r = parse_certificates(t, Source::Certificates(0));
        let d = &r.diagnostics[0];
        assert_eq!(d.code, "cert.bad-base64");
        assert_eq!(d.span, Some(Span::new(33, 39)));
    }

    #[test]
    fn garbage_der_block() {
        let t = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let r = parse_certificates(t, Source::Certificates(0));
        assert_eq!(r.diagnostics[0].code, "cert.bad-der");
        let r = parse_certificates(&[0x00, 0xff, 0x13], Source::Certificates(0));
        assert_eq!(r.diagnostics[0].code, "cert.bad-der");
        let r = parse_certificates(&[0x30, 0x03, 0x04, 0x01, 0x01], Source::Certificates(0));
        assert_eq!(r.diagnostics[0].code, "cert.bad-der");
        // A PKCS#1 public key (large modulus first) is not taken for a private key.
        let r = parse_certificates(&[0x30, 0x08, 0x02, 0x03, 0x00, 0xc1, 0x01, 0x02, 0x01, 0x03], Source::Certificates(0));
        assert!(!r.private_key_refused);
        assert_eq!(r.diagnostics[0].code, "cert.bad-der");
    }

    #[test]
    fn private_keys_are_refused_without_decoding() {
        let t = b"-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n-----END PRIVATE KEY-----\n";
        let r = parse_certificates(t, Source::Certificates(0));
        assert!(r.private_key_refused);
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["cert.private-key-refused", "cert.no-certificate-found"]);
        assert_eq!(r.diagnostics[0].span, Some(Span::new(0, 27)));
        assert_eq!(r.diagnostics[0].severity, crate::diag::Severity::Warning);
    }

    #[test]
    fn line_around_handles_edges() {
        assert_eq!(line_around(b"ab\r\ncd", 4), (4, 6));
        assert_eq!(line_around(b"ab\r\ncd", 0), (0, 2));
        assert_eq!(line_around(b"", 5), (0, 0));
    }

    const CHAIN: &str = include_str!("../../tests/fixtures/certs/oracle_chain.pem");

    fn blocks() -> Vec<&'static str> {
        CHAIN.split_inclusive("-----END CERTIFICATE-----\n").collect()
    }

    fn der_of(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::decode(body.as_bytes()).expect("fixture base64")
    }

    fn ok(input: &[u8]) -> CertificateInput {
        let r = parse_certificates(input, Source::Certificates(1));
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        r
    }

    #[test]
    fn s_client_output_with_noise() {
        let b = blocks();
        let text = format!(
            "CONNECTED(00000003)\ndepth=1 O = Postfix Oracle\n---\nCertificate chain\n 0 s:\n   i:O = Postfix Oracle\n{}---\n 1 s:O = x\n{}\n\nServer certificate\nsubject=\n---\n{}Verification: OK\n",
            b[0], b[1], b[2]
        );
        let r = ok(text.as_bytes());
        assert_eq!(r.certificates.len(), 3);
        assert_eq!(r.certificates[0].issuer, "/O=Postfix Oracle/CN=Oracle Intermediate int1");
        assert_eq!(r.certificates[2].subject, "/CN=Postfix Oracle Test CA");
        assert_eq!(r.spans.len(), 3);
        let first = r.spans[0].slice(&text);
        assert!(first.starts_with("-----BEGIN CERTIFICATE-----") && first.ends_with("-----END CERTIFICATE-----"));
        assert_eq!(
            r.certificates[0].fingerprints.cert.sha256,
            "4E:D1:D2:BB:C1:CF:58:93:31:C4:CA:34:BB:CC:DA:10:78:9A:87:BB:8D:41:45:44:BA:20:45:CD:29:E5:BE:3C"
        );
    }

    #[test]
    fn crlf_bom_indentation_and_rewrapping() {
        let body: String = blocks()[0].lines().filter(|l| !l.starts_with("-----")).collect();
        let rewrapped: Vec<String> = body.as_bytes().chunks(50).map(|c| format!("\t  {}", String::from_utf8_lossy(c))).collect();
        let text = format!(
            "\u{feff}  -----BEGIN CERTIFICATE-----\r\n{}\r\n    -----END CERTIFICATE-----\r\n",
            rewrapped.join("\r\n")
        );
        let r = ok(text.as_bytes());
        assert_eq!(r.certificates.len(), 1);
        assert_eq!(r.certificates[0].der, der_of(blocks()[0]));
    }

    #[test]
    fn one_line_pem_and_other_labels() {
        let body: String = blocks()[1].lines().filter(|l| !l.starts_with("-----")).collect();
        for label in ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"] {
            let text = format!("-----BEGIN {label}----- {body} -----END {label}-----");
            assert_eq!(ok(text.as_bytes()).certificates.len(), 1, "{label}");
        }
    }

    #[test]
    fn der_single_multiple_and_trailing_garbage() {
        let ders: Vec<Vec<u8>> = blocks().iter().map(|b| der_of(b)).collect();
        let r = ok(&ders[0]);
        assert_eq!(r.certificates.len(), 1);
        assert_eq!(r.spans[0], Span::new(0, ders[0].len()));
        let all: Vec<u8> = ders.concat();
        assert_eq!(ok(&all).certificates.len(), 3);
        let mut junk = ders[0].clone();
        junk.extend_from_slice(b"\x01\x02garbage");
        let r = parse_certificates(&junk, Source::Certificates(0));
        assert_eq!(r.certificates.len(), 1);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "cert.bad-der");
        assert_eq!(r.diagnostics[0].span, Some(Span::new(ders[0].len(), junk.len())));
    }

    #[test]
    fn bare_base64() {
        let body: String = blocks()[2].lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().join("\n");
        let r = ok(body.as_bytes());
        assert_eq!(r.certificates[0].subject, "/CN=Postfix Oracle Test CA");
    }

    #[test]
    fn keys_between_certificates_are_skipped() {
        let b = blocks();
        let key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n";
        let text = format!("{}{key}{}", b[0], b[1]);
        let r = parse_certificates(text.as_bytes(), Source::Certificates(0));
        assert_eq!(r.certificates.len(), 2);
        assert!(r.private_key_refused);
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!(d.code, "cert.private-key-refused");
        assert_eq!(d.span.map(|s| s.slice(&text)), Some("-----BEGIN EC PRIVATE KEY-----"));
        // Unterminated: nothing after the key is read.
        let text = format!("{}-----BEGIN PRIVATE KEY-----\nMIIE\n{}", b[0], b[1]);
        let r = parse_certificates(text.as_bytes(), Source::Certificates(0));
        assert_eq!(r.certificates.len(), 1);
        assert!(r.private_key_refused);
        assert!(contains_private_key(&text));
        assert_eq!(strip_private_keys(&text), b[0]);
    }

    #[test]
    fn truncated_last_block_keeps_earlier_ones() {
        let b = blocks();
        let cut = &b[1][..b[1].len() / 2];
        let text = format!("{}{cut}", b[0]);
        let r = parse_certificates(text.as_bytes(), Source::Certificates(0));
        assert_eq!(r.certificates.len(), 1);
        assert_eq!(r.diagnostics[0].code, "cert.truncated-pem");
        assert!(r.diagnostics[0].hint.is_some());
    }

    #[test]
    fn too_many_certificates() {
        let text = blocks()[0].repeat(MAX_CERTIFICATES + 3);
        let r = parse_certificates(text.as_bytes(), Source::Certificates(0));
        assert_eq!(r.certificates.len(), MAX_CERTIFICATES);
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["cert.too-many"]);
    }

    #[test]
    fn hostile_inputs_are_bounded() {
        let start = std::time::Instant::now();
        let unterminated = "-----BEGIN CERTIFICATE-----\n".repeat(350_000);
        let r = parse_certificates(unterminated.as_bytes(), Source::Certificates(0));
        assert!(r.certificates.is_empty());
        assert_eq!(r.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(r.diagnostics.last().map(|d| d.code.as_str()), Some("cert.too-many-problems"));
        let noise = "A".repeat(10 << 20);
        let r = parse_certificates(noise.as_bytes(), Source::Certificates(0));
        assert_eq!(r.diagnostics[0].code, "cert.bad-der");
        let mut binary = vec![0x30u8, 0x84, 0x00, 0x9f, 0xff, 0xf0];
        binary.resize(10 << 20, 0x30);
        let r = parse_certificates(&binary, Source::Certificates(0));
        assert!(r.certificates.is_empty() && !r.diagnostics.is_empty());
        let many = blocks()[0].repeat(15_000);
        assert!(many.len() > 10_000_000);
        let r = parse_certificates(many.as_bytes(), Source::Certificates(0));
        assert_eq!(r.certificates.len(), MAX_CERTIFICATES);
        // Generous: unoptimised test builds; release builds are far faster.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn der_and_base64_keys_are_refused() {
        // SEQUENCE { INTEGER 0, SEQUENCE {...}, OCTET STRING {...} }: a PKCS#8 shape.
        let key = [0x30, 0x0a, 0x02, 0x01, 0x00, 0x30, 0x00, 0x04, 0x03, 0x01, 0x02, 0x03];
        let r = parse_certificates(&key, Source::Certificates(0));
        assert!(r.private_key_refused);
        assert_eq!(r.diagnostics[0].code, "cert.private-key-refused");
        let mut long: Vec<u8> = vec![0x30, 0x81, 0x90, 0x02, 0x01, 0x00];
        long.resize(0x93, 0x41);
        let text: String = {
            // Bare base64 of the same shape, long enough to be taken for base64 input.
            const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            long.chunks(3)
                .flat_map(|c| {
                    let n = (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
                    (0..4).map(move |i| char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]))
                })
                .collect()
        };
        let r = parse_certificates(text.as_bytes(), Source::Certificates(0));
        assert!(r.private_key_refused, "{:?}", r.diagnostics);
    }

    mod fuzz {
        use super::*;
        use crate::cert::chain::{build_chain, TrustStore, VerifyOptions};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            /// Arbitrary bytes never panic and every span lies inside the input.
            #[test]
            fn arbitrary_bytes(input in proptest::collection::vec(any::<u8>(), 0..3000)) {
                let r = parse_certificates(&input, Source::Certificates(0));
                for d in &r.diagnostics {
                    if let Some(span) = d.span {
                        prop_assert!(span.start <= span.end && span.end <= input.len());
                    }
                }
            }

            /// Corrupted certificates (DER and PEM) never panic, nor does verifying whatever
            /// still parses.
            #[test]
            fn corrupted_certificates(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
                let chain_pem = CHAIN;
                let mut der = der_of(blocks()[0]);
                for (at, byte) in &edits {
                    let i = at.index(der.len());
                    der[i] = *byte;
                }
                let r = parse_certificates(&der, Source::Certificates(0));
                let mut text = chain_pem.as_bytes().to_vec();
                for (at, byte) in &edits {
                    let i = at.index(text.len());
                    text[i] = *byte;
                }
                let r2 = parse_certificates(&text, Source::Certificates(0));
                let mut served = r.certificates;
                served.extend(r2.certificates);
                let store = TrustStore::new(served.clone());
                let _ = build_chain(&served, &store, &VerifyOptions::new(1_800_000_000));
            }
        }
    }
}


//! Lines about one TLS connection: the summary word, verification failures, certificate names
//! and digests, chain depth lines, DANE matches (spec §2.1, §2.3, §5.3, §6, §7).

use super::kind::{CertLineForm, LineKind, VerifyFailure};
use super::peer::{parse_peer, Peer};
use crate::tls::session::TrustWord;

/// What a `NAMADDR…` line turned out to be (short-lived, like `Classified`).
#[derive(Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum PeerLine {
    /// A TLS fact.
    Fact(LineKind),
    /// `NAMADDR: TLS cipher list "…"`: understood, not part of the certificate decision.
    CipherList,
    /// It names a server but the rest is not a wording peername knows.
    Unknown,
}

/// The summary word, as Postfix 2.x–3.x spell it.
fn trust_word(word: &str) -> Option<TrustWord> {
    match word {
        "Anonymous" => Some(TrustWord::Anonymous),
        "Untrusted" => Some(TrustWord::Untrusted),
        "Trusted" => Some(TrustWord::Trusted),
        "Verified" => Some(TrustWord::Verified),
        _ => None,
    }
}

/// `WORD TLS connection established|reused to NAMADDR: DETAILS`. `Some(None)` means the line
/// has the wording but is cut before a complete server name.
pub fn summary(msg: &str) -> Option<Option<LineKind>> {
    let (word, rest) = msg.split_once(' ')?;
    let trust = trust_word(word)?;
    let (reused, rest) = if let Some(r) = rest.strip_prefix("TLS connection established to ") {
        (false, r)
    } else if let Some(r) = rest.strip_prefix("TLS connection reused to ") {
        (true, r)
    } else {
        return None;
    };
    let Some((peer, n)) = parse_peer(rest) else { return Some(None) };
    let details = rest.get(n..).unwrap_or("").trim_start_matches(':').trim().to_string();
    Some(Some(LineKind::TlsSummary { peer, trust, reused, details }))
}

/// `[server |CA ]certificate verification failed for NAMADDR: WHY`.
pub fn verify_failed(msg: &str) -> Option<Option<LineKind>> {
    let (purpose, rest) = match msg.split_once("certificate verification failed for ") {
        Some(("", r)) => ("", r),
        Some(("server ", r)) => ("server", r),
        Some(("CA ", r)) => ("CA", r),
        _ => return None,
    };
    let Some((peer, n)) = parse_peer(rest) else { return Some(None) };
    let Some(reason) = rest.get(n..).and_then(|r| r.strip_prefix(": ")) else { return Some(None) };
    let reason = reason.trim().to_string();
    Some(Some(LineKind::VerifyFailed { peer, purpose: purpose.to_string(), failure: VerifyFailure::parse(&reason), reason }))
}

/// A line that starts with `NAMADDR`.
pub fn about_peer(msg: &str) -> Option<PeerLine> {
    let (peer, n) = parse_peer(msg)?;
    let rest = msg.get(n..).unwrap_or("");
    if let Some(cn) = rest.strip_prefix(" Matched CommonName").or_else(|| rest.strip_prefix(" CommonName")) {
        let matched = rest.starts_with(" Matched");
        let name = cn.strip_prefix(' ').unwrap_or(cn).to_string();
        return Some(PeerLine::Fact(LineKind::CertName { peer, source: "CommonName".into(), name, matched }));
    }
    let Some(body) = rest.strip_prefix(": ") else { return Some(PeerLine::Unknown) };
    Some(after_peer(peer, body))
}

fn after_peer(peer: Peer, body: &str) -> PeerLine {
    let fact = |k: LineKind| PeerLine::Fact(k);
    if let Some(name) = body.strip_prefix("Matched subjectAltName: ") {
        return fact(LineKind::CertName { peer, source: "subjectAltName".into(), name: name.into(), matched: true });
    }
    if let Some(name) = body.strip_prefix("subjectAltName: ") {
        return fact(LineKind::CertName { peer, source: "subjectAltName".into(), name: name.into(), matched: false });
    }
    if let Some(name) = body.strip_prefix("matched peername: ") {
        return fact(LineKind::MatchedPeername { peer, name: name.into() });
    }
    if let Some(fp) = body.strip_prefix("Matched fingerprint: ") {
        return fact(LineKind::MatchedFingerprint { peer, fingerprint: fp.trim().into(), legacy: false });
    }
    if body.starts_with("subject_CN=") || body.starts_with("issuer") || body.starts_with("cert fingerprint=") {
        return peer_certificate(peer, body).map_or(PeerLine::Unknown, fact);
    }
    if let Some(fp) = body.strip_prefix("raw public key fingerprint=") {
        return fact(LineKind::RawPublicKey { peer, fingerprint: fp.trim().into() });
    }
    if let Some(rest) = body.strip_prefix("depth=") {
        return depth_line(peer, rest, body).map_or(PeerLine::Unknown, fact);
    }
    if body.starts_with("Matched DANE ") || body.starts_with("Matched trust anchor") {
        let event = if body.starts_with("Matched DANE EE") {
            "matched-ee"
        } else if body.starts_with("Matched DANE raw public key") {
            "matched-raw-public-key"
        } else if body.starts_with("Matched DANE") {
            "matched-ta"
        } else {
            "matched-trust-anchor"
        };
        return fact(LineKind::Dane { peer: Some(peer), event: event.into(), text: body.into() });
    }
    if let Some(rest) = body.strip_prefix("re-using session with untrusted ") {
        let wording = if rest.starts_with("peer credential") { "peer credential" } else { "certificate" };
        return fact(LineKind::ReuseHint { peer, wording: wording.into() });
    }
    if body.starts_with("TLS cipher list ") {
        return PeerLine::CipherList;
    }
    PeerLine::Unknown
}

/// `depth=N verify=V subject=S`, `depth=N matched end entity|trust anchor KIND ALG digest[= ]HEX`,
/// `depth=N trust-anchor certificate`, `depth=N chain is trust-anchor signed`.
fn depth_line(peer: Peer, rest: &str, body: &str) -> Option<LineKind> {
    let (depth, tail) = rest.split_once(' ')?;
    let depth: u32 = depth.parse().ok()?;
    if let Some(v) = tail.strip_prefix("verify=") {
        let (verify, subject) = v.split_once(' ').unwrap_or((v, ""));
        let subject = subject.strip_prefix("subject=").unwrap_or(subject).to_string();
        return Some(LineKind::ChainCertificate { peer, depth, verify: verify.parse().ok(), subject });
    }
    if let Some(m) = tail.strip_prefix("matched end entity ") {
        let fp = m.rsplit([' ', '=']).next().unwrap_or("").to_string();
        return (m.contains(" digest")).then_some(LineKind::MatchedFingerprint { peer, fingerprint: fp, legacy: true });
    }
    if let Some(m) = tail.strip_prefix("matched trust anchor ") {
        // ≤3.5 logs the digest of a trust anchor (tafile, DANE TA) it matched like a fingerprint.
        let fp = m.rsplit([' ', '=']).next().unwrap_or("").to_string();
        return (m.contains(" digest")).then_some(LineKind::MatchedFingerprint { peer, fingerprint: fp, legacy: true });
    }
    if tail == "trust-anchor certificate" || tail == "chain is trust-anchor signed" {
        return Some(LineKind::Dane { peer: Some(peer), event: "trust-anchor-signed".into(), text: body.into() });
    }
    None
}

/// The keys of the peer-certificate line, in the order Postfix writes them (empty parts are
/// omitted in 3.9+).
const CERT_KEYS: [&str; 7] = ["subject_CN=", "issuer_CN=", "issuer=", "fingerprint=", "cert fingerprint=", "pkey_fingerprint=", "pkey fingerprint="];

/// `subject_CN=…, issuer_CN=…, fingerprint=…, pkey_fingerprint=…` (≤3.8) or
/// `subject_CN=…, issuer=…, cert fingerprint=…, pkey fingerprint=…` (3.9+). A CN may contain
/// `, `, so parts are split only before a known key.
fn peer_certificate(peer: Peer, body: &str) -> Option<LineKind> {
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for key in CERT_KEYS {
        let mut from = 0;
        while let Some(i) = body.get(from..).and_then(|s| s.find(key)) {
            let at = from + i;
            // A key counts only at the start or after `, ` (so `fingerprint=` inside
            // `cert fingerprint=` is not one).
            if at == 0 || body.get(..at).is_some_and(|s| s.ends_with(", ")) {
                starts.push((at, key));
            }
            from = at + key.len();
        }
    }
    starts.sort();
    starts.dedup_by_key(|s| s.0);
    if starts.first().map(|s| s.0) != Some(0) {
        return None;
    }
    let value = |k: &str| -> Option<String> {
        let idx = starts.iter().position(|(_, key)| *key == k)?;
        let (at, key) = starts[idx];
        let end = starts.get(idx + 1).map(|(next, _)| next.saturating_sub(2)).unwrap_or(body.len());
        body.get(at + key.len()..end.max(at + key.len())).map(|v| v.trim().to_string())
    };
    let form = if starts.iter().any(|(_, k)| *k == "issuer=" || *k == "cert fingerprint=" || *k == "pkey fingerprint=") {
        CertLineForm::Issuer
    } else {
        CertLineForm::IssuerCn
    };
    Some(LineKind::PeerCertificate {
        peer,
        subject_cn: value("subject_CN="),
        issuer: value("issuer_CN=").or_else(|| value("issuer=")),
        cert_fingerprint: value("fingerprint=").or_else(|| value("cert fingerprint=")),
        pkey_fingerprint: value("pkey_fingerprint=").or_else(|| value("pkey fingerprint=")),
        form,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer_fact(msg: &str) -> LineKind {
        match about_peer(msg) {
            Some(PeerLine::Fact(k)) => k,
            other => panic!("{msg}: {other:?}"),
        }
    }

    #[test]
    fn summary_words_and_reuse() {
        let Some(Some(LineKind::TlsSummary { trust, reused, peer, details })) =
            summary("Trusted TLS connection established to in1-smtp.messagingengine.com[66.111.4.74]:25: TLSv1.2 with cipher X (256/256 bits)")
        else {
            panic!()
        };
        assert_eq!((trust, reused, peer.host.as_str(), details.as_str()), (TrustWord::Trusted, false, "in1-smtp.messagingengine.com", "TLSv1.2 with cipher X (256/256 bits)"));
        assert!(matches!(summary("Verified TLS connection reused to a[1.2.3.4]:25: x"), Some(Some(LineKind::TlsSummary { reused: true, .. }))));
        assert_eq!(summary("Untrusted TLS connection established to in1-smtp.mess"), Some(None));
        assert_eq!(summary("Bogus TLS connection established to a[b]:1"), None);
    }

    #[test]
    fn verification_failures_with_purpose() {
        let Some(Some(LineKind::VerifyFailed { purpose, failure, .. })) = verify_failed("server certificate verification failed for mx.example.net[127.0.0.1]:25: num=62:hostname mismatch") else { panic!() };
        assert_eq!((purpose.as_str(), failure), ("server", VerifyFailure::HostnameMismatch));
        let Some(Some(LineKind::VerifyFailed { purpose, failure, .. })) = verify_failed("CA certificate verification failed for h[1.2.3.4]:25: certificate has expired") else { panic!() };
        assert_eq!((purpose.as_str(), failure), ("CA", VerifyFailure::Expired));
        assert!(matches!(verify_failed("certificate verification failed for h[1.2.3.4]:25: untrusted issuer /CN=X"), Some(Some(LineKind::VerifyFailed { .. }))));
        assert_eq!(verify_failed("certificate verification failed for h[1.2"), Some(None));
        assert_eq!(verify_failed("other text"), None);
    }

    #[test]
    fn legacy_name_lines_keep_empty_common_names() {
        assert_eq!(
            peer_fact("in1[1.2.3.4]:25: subjectAltName: *.messagingengine.com"),
            LineKind::CertName { peer: parse_peer("in1[1.2.3.4]:25").unwrap().0, source: "subjectAltName".into(), name: "*.messagingengine.com".into(), matched: false }
        );
        assert!(matches!(peer_fact("h[1.2.3.4]:25: Matched subjectAltName: example.com"), LineKind::CertName { matched: true, .. }));
        assert!(matches!(peer_fact("h[1.2.3.4]:25 CommonName *.messagingengine.com"), LineKind::CertName { matched: false, ref name, .. } if name == "*.messagingengine.com"));
        assert!(matches!(peer_fact("h[1.2.3.4]:25 Matched CommonName x"), LineKind::CertName { matched: true, .. }));
        assert!(matches!(peer_fact("h[1.2.3.4]:25 CommonName"), LineKind::CertName { ref name, .. } if name.is_empty()));
    }

    #[test]
    fn peer_certificate_both_forms() {
        let LineKind::PeerCertificate { subject_cn, issuer, cert_fingerprint, pkey_fingerprint, form, .. } =
            peer_fact("h[1.2.3.4]:25: subject_CN=*.messagingengine.com, issuer_CN=DigiCert SHA2 High Assurance Server CA, fingerprint=D8:F5, pkey_fingerprint=49:07")
        else {
            panic!()
        };
        assert_eq!(subject_cn.as_deref(), Some("*.messagingengine.com"));
        assert_eq!(issuer.as_deref(), Some("DigiCert SHA2 High Assurance Server CA"));
        assert_eq!((cert_fingerprint.as_deref(), pkey_fingerprint.as_deref(), form), (Some("D8:F5"), Some("49:07"), CertLineForm::IssuerCn));
        let LineKind::PeerCertificate { subject_cn, issuer, cert_fingerprint, pkey_fingerprint, form, .. } =
            peer_fact("h[1.2.3.4]:25: subject_CN=a, b, issuer=Postfix Oracle Test CA, cert fingerprint=1C:51, pkey fingerprint=DF:A4")
        else {
            panic!()
        };
        assert_eq!((subject_cn.as_deref(), issuer.as_deref()), (Some("a, b"), Some("Postfix Oracle Test CA")));
        assert_eq!((cert_fingerprint.as_deref(), pkey_fingerprint.as_deref(), form), (Some("1C:51"), Some("DF:A4"), CertLineForm::Issuer));
        let LineKind::PeerCertificate { subject_cn, issuer, .. } = peer_fact("h[1.2.3.4]:25: subject_CN=, issuer_CN=, fingerprint=AA, pkey_fingerprint=BB") else { panic!() };
        assert_eq!((subject_cn.as_deref(), issuer.as_deref()), (Some(""), Some("")));
    }

    #[test]
    fn digests_chain_and_dane() {
        assert!(matches!(peer_fact("h[1.2.3.4]:25: Matched fingerprint: 4E70AB"), LineKind::MatchedFingerprint { legacy: false, .. }));
        let LineKind::MatchedFingerprint { fingerprint, legacy, .. } = peer_fact("h[1.2.3.4]:25: depth=0 matched end entity public-key sha256 digest=AB:CD") else { panic!() };
        assert_eq!((fingerprint.as_str(), legacy), ("AB:CD", true));
        let LineKind::MatchedFingerprint { fingerprint, .. } = peer_fact("h[1.2.3.4]:25: depth=0 matched end entity certificate sha1 digest EC:13") else { panic!() };
        assert_eq!(fingerprint, "EC:13");
        let LineKind::ChainCertificate { depth, verify, subject, .. } = peer_fact("h[1.2.3.4]:25: depth=2 verify=1 subject=/C=US/O=DigiCert Inc/CN=X") else { panic!() };
        assert_eq!((depth, verify, subject.as_str()), (2, Some(1), "/C=US/O=DigiCert Inc/CN=X"));
        assert!(matches!(peer_fact("h[1.2.3.4]:25: Matched DANE EE certificate at depth 0: 3 1 1 AB"), LineKind::Dane { ref event, .. } if event == "matched-ee"));
        assert!(matches!(peer_fact("h[1.2.3.4]:25: Matched DANE TA certificate at depth 1: 2 1 1 AB"), LineKind::Dane { ref event, .. } if event == "matched-ta"));
        assert!(matches!(peer_fact("h[1.2.3.4]:25: depth=1 trust-anchor certificate"), LineKind::Dane { .. }));
        assert!(matches!(peer_fact("h[1.2.3.4]:25: depth=1 matched trust anchor public-key sha256 digest=AB"), LineKind::MatchedFingerprint { legacy: true, .. }));
        assert!(matches!(peer_fact("h[1.2.3.4]:25: re-using session with untrusted peer credential, look for details earlier in the log"), LineKind::ReuseHint { ref wording, .. } if wording == "peer credential"));
        assert_eq!(about_peer("h[1.2.3.4]:25: TLS cipher list \"x\""), Some(PeerLine::CipherList));
        assert_eq!(about_peer("h[1.2.3.4]:25: something new"), Some(PeerLine::Unknown));
        assert_eq!(about_peer("h[1.2.3.4]:25: depth=x"), Some(PeerLine::Unknown));
        assert_eq!(about_peer("no peer here"), None);
    }
}

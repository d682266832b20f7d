//! One TLS connection to one server address: STARTTLS, the handshake, verification, the peer
//! status flags Postfix derives from it, the summary word, and what the client then does.

use super::verify::{self, Event, ForcedFailure, TrustBasis, Verification};
use crate::cert::chain::X509Error;
use crate::cert::fingerprint::DigestAlg;
use crate::cert::Certificate;
use crate::logs::{LogLevel, LogLine, TlsLogMask, Verbosity};
use crate::names::legacy::{CertMatchLine, NameLogEntry, Scan};
use crate::names::reference::ReferenceId;
use crate::policy::level::SecurityLevel;
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

/// What the server does, as far as TLS is concerned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerBehaviour {
    /// Offers STARTTLS in its EHLO reply.
    pub starttls: bool,
    /// Presents a certificate; `false` models an anonymous-cipher-only server.
    pub certificate: bool,
    /// The newest TLS version it speaks, as on the wire (`0x0304` for TLS 1.3).
    pub tls_max: u16,
}

impl Default for ServerBehaviour {
    fn default() -> Self {
        ServerBehaviour { starttls: true, certificate: true, tls_max: TLS_1_3 }
    }
}

/// TLS 1.3 on the wire.
pub const TLS_1_3: u16 = 0x0304;

/// A TLS version as written (`1.2`, `TLSv1.2`, `0x0303`), on the wire; `None` when unknown.
pub fn tls_version(text: &str) -> Option<u16> {
    let t = text.trim();
    let named = [("1", 0x0301), ("1.0", 0x0301), ("1.1", 0x0302), ("1.2", 0x0303), ("1.3", TLS_1_3)];
    let bare = t.strip_prefix("TLSv").or_else(|| t.strip_prefix("tlsv")).unwrap_or(t);
    named.iter().find(|(n, _)| *n == bare).map(|(_, v)| *v).or_else(|| {
        let digits = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"))?;
        u16::from_str_radix(digits, 16).ok()
    })
}

/// The word in "… TLS connection established …".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrustWord {
    /// No certificate at all (3.0+).
    Anonymous,
    /// Certificate not trusted (or, 3.6–3.10.3, trusted but mismatched).
    Untrusted,
    /// Chain trusted, certificate not matched (or matched at half-dane).
    Trusted,
    /// Trusted and matched.
    Verified,
}

impl TrustWord {
    /// The word as logged.
    pub fn as_str(self) -> &'static str {
        match self {
            TrustWord::Anonymous => "Anonymous",
            TrustWord::Untrusted => "Untrusted",
            TrustWord::Trusted => "Trusted",
            TrustWord::Verified => "Verified",
        }
    }
}

/// Postfix's peer status bits (`TLS_CERT_FLAG_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerFlags {
    /// The server presented a certificate.
    pub present: bool,
    /// The chain verified (or a fingerprint / DANE-EE match).
    pub trusted: bool,
    /// The certificate matched the policy (names, digests, TLSA).
    pub matched: bool,
    /// Trusted and matched and not half-dane: logged "Verified".
    pub secured: bool,
}

/// How the TLS part of the connection went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Handshake {
    /// TLS was not attempted (level none).
    NotAttempted,
    /// The server did not offer STARTTLS.
    NotOffered,
    /// The client disabled its TLS support when it started (an unknown fingerprint digest):
    /// STARTTLS is never sent.
    Disabled,
    /// The handshake or its set-up failed.
    Failed {
        /// Why, in words.
        why: String,
    },
    /// A TLS session exists.
    Established,
}

/// What the SMTP client does after the TLS step on this connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectionOutcome {
    /// Continues and delivers over this connection (encrypted or not).
    Deliver {
        /// Whether the delivery is over TLS.
        tls: bool,
    },
    /// Gives up on this server (`smtp_site_fail`/`smtp_misc_fail`): try the next, or defer.
    Fail {
        /// Enhanced status code.
        dsn: String,
        /// Reason text.
        reason: String,
    },
}

/// Everything that happened on one connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    /// The server host name (MX name or next-hop).
    pub host: String,
    /// The address connected to.
    pub address: String,
    /// The TCP port.
    pub port: u16,
    /// `host[address]:port` lower-cased, as the TLS library logs it (summary, failures).
    pub namaddr: String,
    /// `host[address]:port` as the SMTP client writes it (relay=, certificate detail lines).
    pub server_namaddr: String,
    /// The security level in force for this connection.
    pub level: SecurityLevel,
    /// STARTTLS and handshake.
    pub handshake: Handshake,
    /// Verification details, when a certificate was presented.
    pub verification: Option<Verification>,
    /// Peer status bits.
    pub flags: PeerFlags,
    /// The summary word, when a TLS session exists.
    pub trust: Option<TrustWord>,
    /// `… certificate verification failed for …` line, when Postfix logs one.
    pub failure_line: Option<String>,
    /// `matched peername:` (3.6+), when logged.
    pub matched_peername: Option<String>,
    /// The fingerprint that matched, as Postfix logs it (the last one logged).
    pub matched_fingerprint: Option<String>,
    /// Every digest-match line's digest, in log order (≤3.5 can log a trust anchor and an
    /// end-entity match on one connection).
    pub matched_fingerprints: Vec<String>,
    /// The DANE record that matched, as Postfix logs it after `Matched DANE `.
    pub matched_dane: Option<String>,
    /// ≤3.5 certmatch lines.
    pub certmatch: Vec<CertMatchLine>,
    /// Warnings logged on this connection (complete texts).
    pub warnings: Vec<String>,
    /// Errors logged on this connection (complete texts, e.g. `SSL_connect error …`).
    pub errors: Vec<String>,
    /// What the client does next.
    pub outcome: ConnectionOutcome,
    /// Log lines in order.
    pub log: Vec<LogLine>,
}

/// Inputs for one connection.
pub struct ConnectionRequest<'a> {
    /// Postfix version.
    pub version: &'a PostfixVersion,
    /// `smtp` or `posttls-finger`.
    pub program: &'a str,
    /// Effective level.
    pub level: SecurityLevel,
    /// Server host name.
    pub host: &'a str,
    /// Address.
    pub address: &'a str,
    /// Port.
    pub port: u16,
    /// What the server does.
    pub server: &'a ServerBehaviour,
    /// What the server sends, leaf first.
    pub served: &'a [Certificate],
    /// What the client trusts.
    pub trust: &'a TrustBasis,
    /// Evaluation time.
    pub at: Option<i64>,
    /// `smtp_tls_scert_verifydepth`.
    pub max_depth: usize,
    /// Reference identifiers (verify/secure).
    pub refs: &'a [ReferenceId],
    /// `tls_wildcard_matches_multiple_labels`.
    pub multi_label: bool,
    /// Fingerprint values (fingerprint level).
    pub fingerprints: Option<&'a [String]>,
    /// The digest used for fingerprint matching.
    pub match_digest: DigestAlg,
    /// The digest used for the logged `fingerprint=` values.
    pub log_digest: DigestAlg,
    /// Trust anchors (tafile).
    pub trust_anchors: Option<&'a [Certificate]>,
    /// Cipher grade in force (validated at connection time).
    pub cipher_grade: &'a str,
    /// Cipher exclusions in force, as Postfix joins them (see
    /// [`crate::policy::effective::EffectivePolicy::cipher_exclusions`]).
    pub cipher_exclusions: &'a str,
    /// TLS protocol list in force (validated at connection time, before the cipher grade).
    pub protocols: &'a str,
    /// `policy_failure` from MTA-STS.
    pub external_failure: Option<&'a str>,
    /// DANE set-up (dane, dane-only, halfdane).
    pub dane: Option<&'a crate::dane::setup::DaneSetup>,
    /// The TLS log mask (`smtp_tls_loglevel`, posttls-finger's `-L`): which lines are logged
    /// and, ≤3.5, how far the name check runs.
    pub log_mask: TlsLogMask,
    /// The client disabled its TLS support when it started (an unknown fingerprint digest,
    /// [`tls_disabled_at_start`]): STARTTLS is never sent.
    pub tls_disabled: bool,
    /// With TLS connection reuse on (`connection_reuse=yes`, `smtp_tls_connection_reuse`),
    /// smtp(8) hands the handshake to tlsproxy(8): that service's name when the pasted
    /// master.cf defines no such service, so the handshake cannot start.
    pub missing_tlsproxy: Option<&'a str>,
    /// `smtp_tls_wrappermode`: TLS starts as the connection opens (SMTPS), without STARTTLS.
    pub wrappermode: bool,
}

/// The warnings a client logs when it starts and cannot use `digest` (the value of
/// `smtp_tls_fingerprint_digest`, or posttls-finger's `-d`): OpenSSL does not know it, so
/// Postfix disables TLS support (recorded from Postfix 3.7.11: a level that needs TLS then
/// defers with "TLS is required, but our TLS engine is unavailable"; `may` sends in plain
/// text). `None` when TLS starts.
pub fn tls_disabled_at_start(digest: &str) -> Option<[String; 2]> {
    (!DigestAlg::known_to_openssl(digest))
        .then(|| [format!("Digest algorithm \"{}\" not found", crate::logs::printable(digest)), "disabling TLS support".to_string()])
}

/// The `NAMADDR: ` error text of a kept verification error (`tls_log_verify_error()`).
pub fn failure_text(event: &Event, namaddr: &str, forced: Option<&ForcedFailure>) -> String {
    if let Some(ForcedFailure::ExternalPolicy { failure }) = forced {
        return format!("certificate verification failed for {namaddr}: external policy failure ({failure})");
    }
    let purpose = if event.depth > 0 { "CA" } else { "server" };
    match event.error {
        X509Error::CertUntrusted => format!("certificate verification failed for {namaddr}: not trusted by local or TLSA policy"),
        X509Error::DepthZeroSelfSignedCert => format!("certificate verification failed for {namaddr}: self-signed certificate"),
        X509Error::UnableToGetIssuerCertLocally | X509Error::SelfSignedCertInChain => {
            format!("certificate verification failed for {namaddr}: untrusted issuer {}", crate::logs::printable(&event.issuer))
        }
        X509Error::CertNotYetValid | X509Error::ErrorInCertNotBeforeField => {
            format!("{purpose} certificate verification failed for {namaddr}: certificate not yet valid")
        }
        X509Error::CertHasExpired | X509Error::ErrorInCertNotAfterField => {
            format!("{purpose} certificate verification failed for {namaddr}: certificate has expired")
        }
        X509Error::InvalidPurpose => {
            format!("certificate verification failed for {namaddr}: not designated for use as a {purpose} certificate")
        }
        X509Error::CertChainTooLong => format!(
            "certificate verification failed for {namaddr}: certificate chain longer than limit({})",
            event.depth.saturating_sub(1)
        ),
        other => format!("{purpose} certificate verification failed for {namaddr}: num={}:{}", other.code(), other.openssl_text()),
    }
}

/// `tls_proto_mask_lims()` (3.6+) or `tls_protocol_mask()` (≤3.5): every token of the list
/// (separated by commas, white space or colons) is a protocol name, optionally after `!`, and
/// from 3.6 also `>=VERSION` or `<=VERSION` (a version name or a hexadecimal number); names
/// are matched ignoring case. Recorded from Postfix 3.5.27: `>=TLSv1.3` is an invalid list.
pub fn valid_protocol_list(version: &PostfixVersion, list: &str) -> bool {
    let hex = |tok: &str| {
        let digits = tok.strip_prefix("0x").or_else(|| tok.strip_prefix("0X")).unwrap_or(tok);
        digits.chars().all(|c| c.is_ascii_hexdigit()) && u32::from_str_radix(if digits.is_empty() { "0" } else { digits }, 16).is_ok_and(|v| v <= i32::MAX as u32)
    };
    protocol_tokens(list).all(|tok| {
        if version.knows_protocol_bounds() {
            if let Some(bound) = tok.strip_prefix(">=").or_else(|| tok.strip_prefix("<=")) {
                return bound.eq_ignore_ascii_case("None") || bound_protocol(bound).is_some() || hex(bound);
            }
        }
        protocol(tok.strip_prefix('!').unwrap_or(tok)).is_some()
    })
}

/// The protocol names of Postfix's protocol lists, with their versions on the wire.
const PROTOCOLS: [(&str, u16); 6] = [("SSLv2", 0x0002), ("SSLv3", 0x0300), ("TLSv1", 0x0301), ("TLSv1.1", 0x0302), ("TLSv1.2", 0x0303), ("TLSv1.3", TLS_1_3)];

/// A protocol name of a list (ignoring case), on the wire.
fn protocol(name: &str) -> Option<u16> {
    PROTOCOLS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
}

/// A protocol name a `>=`/`<=` bound may use (SSLv3 and later), on the wire.
fn bound_protocol(name: &str) -> Option<u16> {
    protocol(name).filter(|v| *v >= 0x0300)
}

/// The tokens of a protocol list: separated by commas, colons and white space.
fn protocol_tokens(list: &str) -> impl Iterator<Item = &str> {
    list.split(|c: char| c == ',' || c == ':' || c.is_ascii_whitespace()).filter(|t| !t.is_empty())
}

/// The TLS versions (on the wire, 1.0 to 1.3) a (valid) protocol list enables: the ones it
/// names when it names protocols to use, less the `!` exclusions, within `>=` and `<=` bounds.
pub fn enabled_versions(list: &str) -> Vec<u16> {
    let bound = |tok: &str| -> Option<u16> {
        bound_protocol(tok).or_else(|| {
            let digits = tok.strip_prefix("0x").or_else(|| tok.strip_prefix("0X")).unwrap_or(tok);
            u16::from_str_radix(digits, 16).ok().filter(|v| *v > 0)
        })
    };
    let (mut named, mut excluded, mut min, mut max) = (Vec::new(), Vec::new(), None, None);
    for tok in protocol_tokens(list) {
        if let Some(b) = tok.strip_prefix("<=") {
            max = bound(b);
        } else if let Some(b) = tok.strip_prefix(">=") {
            min = bound(b);
        } else if let Some(name) = tok.strip_prefix('!') {
            excluded.extend(protocol(name));
        } else {
            named.extend(protocol(tok));
        }
    }
    PROTOCOLS
        .iter()
        .map(|(_, v)| *v)
        .filter(|v| *v >= 0x0301 && (named.is_empty() || named.contains(v)) && !excluded.contains(v) && min.is_none_or(|m| *v >= m) && max.is_none_or(|m| *v <= m))
        .collect()
}

/// Valid cipher grade names (`tls_cipher_grade_table`).
fn valid_grade(grade: &str) -> bool {
    ["high", "medium", "low", "export", "null"].iter().any(|g| g.eq_ignore_ascii_case(grade))
}

/// Simulates the connection.
pub fn connect(req: &ConnectionRequest<'_>) -> Connection {
    let server_namaddr = format!("{}[{}]:{}", req.host, req.address, req.port);
    // tls_alloc_sess_context() lower-cases the name it logs with.
    let namaddr = server_namaddr.to_lowercase();
    let mut c = Connection {
        host: req.host.to_string(),
        address: req.address.to_string(),
        port: req.port,
        namaddr: namaddr.clone(),
        server_namaddr: server_namaddr.clone(),
        level: req.level,
        handshake: Handshake::NotAttempted,
        verification: None,
        flags: PeerFlags::default(),
        trust: None,
        failure_line: None,
        matched_peername: None,
        matched_fingerprint: None,
        matched_fingerprints: Vec::new(),
        matched_dane: None,
        certmatch: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
        outcome: ConnectionOutcome::Deliver { tls: false },
        log: Vec::new(),
    };
    let p = req.program;
    if req.level == SecurityLevel::None {
        return c;
    }
    if !req.server.starttls && !req.wrappermode {
        c.handshake = Handshake::NotOffered;
        if req.level.requires_tls() {
            let host = format!("{}[{}]", req.host, req.address);
            c.outcome = ConnectionOutcome::Fail { dsn: "4.7.4".into(), reason: format!("TLS is required, but was not offered by host {host}") };
        }
        return c;
    }
    if req.tls_disabled {
        // smtp_helo(): the server offers STARTTLS but there is no TLS engine to use it.
        c.handshake = Handshake::Disabled;
        if req.level.requires_tls() {
            c.outcome = ConnectionOutcome::Fail { dsn: "4.7.5".into(), reason: "TLS is required, but our TLS engine is unavailable".into() };
        }
        return c;
    }
    if let Some(service) = req.missing_tlsproxy {
        // smtp_start_tls() with connection reuse: tls_proxy_open() cannot reach the private
        // socket, and smtp(8) never falls back to its own TLS (recorded from 3.7.11 and 3.11.6).
        let w = format!("connect to private/{service} service: No such file or directory");
        return aborted(c, p, w, TLSPROXY_MISSING);
    }
    // tls_client_start(): the protocol list, then the cipher grade; either aborts the session.
    if !valid_protocol_list(req.version, req.protocols) {
        let w = format!("{namaddr}: Invalid TLS protocol list \"{}\": aborting TLS session", req.protocols);
        return aborted(c, p, w, INVALID_PROTOCOLS);
    }
    if !valid_grade(req.cipher_grade) {
        let w = format!("{namaddr}: invalid cipher grade: \"{}\"", req.cipher_grade);
        return aborted(c, p, w, INVALID_CIPHER_GRADE);
    }
    // tls_set_ciphers(): each exclusion is appended as `:!name`; one that starts with a
    // modifier cannot be.
    let exclusions: Vec<&str> = req.cipher_exclusions.split(|c: char| matches!(c, ',' | ' ' | '\t' | '\r' | '\n' | ':')).filter(|t| !t.is_empty()).collect();
    if let Some(bad) = exclusions.iter().find(|t| t.starts_with(['!', '+', '-', '@'])) {
        let w = format!("{namaddr}: invalid unary '!+-@' in cipher exclusion: {bad}");
        return aborted(c, p, w, INVALID_EXCLUSION);
    }
    if req.cipher_grade.eq_ignore_ascii_case("null") && exclusions.iter().any(|t| matches!(*t, "eNULL" | "NULL")) {
        // The "null" grade's list (tls_null_cipherlist, "eNULL:!aNULL") with eNULL excluded
        // (encrypt; posttls-finger at may and encrypt) leaves no TLS 1.2 cipher, so
        // SSL_set_cipher_list() fails and its error is printed (recorded from 3.7.11 and 3.11.6
        // with OpenSSL 3.0.19; at verify and secure the session is made).
        let w = format!("{namaddr}: error setting cipher grade: \"{}\"", req.cipher_grade);
        c.warnings.push(w.clone());
        c.log.push(LogLine::new(p, LogLevel::Warning, Verbosity::Always, w));
        return aborted(c, p, NO_CIPHER_MATCH.to_string(), NULL_CIPHERS);
    }
    // SSL_connect(): what stops the handshake once the session is set up, in the order it
    // strikes; the protocol list is read once.
    let null_grade = req.cipher_grade.eq_ignore_ascii_case("null");
    let versions = enabled_versions(req.protocols);
    let common = versions.iter().copied().filter(|v| *v <= req.server.tls_max).max();
    let failure = if null_grade && !versions.contains(&TLS_1_3) {
        // The list set, OpenSSL still offers no eNULL cipher at its default security level, and
        // TLS 1.3's suites are off: SSL_connect() has nothing to send (recorded from 3.7.11 and
        // 3.11.6: -g null -p <=TLSv1.2).
        Some(ConnectFailure::NoCiphersAvailable)
    } else if req.wrappermode && req.port != SMTPS_PORT {
        // The server of a STARTTLS port greets in plaintext, which is no TLS record (recorded
        // from 3.5.27, 3.7.11 and 3.11.6 with OpenSSL 3.0.19 against port 25). On port 465
        // the server is taken to speak SMTPS.
        Some(ConnectFailure::PlaintextGreeting)
    } else if !req.server.certificate && req.level.must_match() {
        // Must-match levels exclude anonymous ciphers: no common cipher, the server hangs up.
        Some(ConnectFailure::Lost(ANONYMOUS_ONLY))
    } else if common.is_none() {
        // No version both speak (recorded from 3.7.11 and 3.11.6: -p >=TLSv1.3 against a TLS 1.2
        // server): the server hangs up.
        Some(ConnectFailure::Lost(NO_COMMON_VERSION))
    } else if null_grade && common.is_some_and(|v| v < TLS_1_3) {
        // Below TLS 1.3 the null grade's only ciphers are eNULL ones OpenSSL does not offer.
        Some(ConnectFailure::Lost(NULL_CIPHERS_BELOW_TLS13))
    } else {
        None
    };
    if let Some(failure) = failure {
        // tls_dane_enable() hands the fingerprints to OpenSSL before SSL_connect(), so their
        // warnings come before the handshake fails (recorded from 3.7.11 and 3.11.6).
        fingerprint_warnings(&mut c, req);
        return match failure {
            ConnectFailure::NoCiphersAvailable => {
                let e = format!("SSL_connect error to {server_namaddr}: -1");
                c.errors.push(e.clone());
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Always, e));
                aborted(c, p, NO_CIPHERS_AVAILABLE.to_string(), NULL_CIPHERS_BELOW_TLS13)
            }
            ConnectFailure::PlaintextGreeting => {
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Always, format!("SSL_connect error to {server_namaddr}: -1")));
                aborted(c, p, WRONG_VERSION_NUMBER.to_string(), PLAINTEXT_GREETING)
            }
            ConnectFailure::Lost(why) => {
                let e = format!("SSL_connect error to {server_namaddr}: lost connection");
                c.errors.push(e.clone());
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Always, e));
                handshake_failed(c, why)
            }
        };
    }
    c.handshake = Handshake::Established;

    // tls_dane_enable(): OpenSSL refuses some records only now (bad digest length, unknown
    // matching type); with none left dane falls back to encrypt, dane-only must fail.
    let mut level = req.level;
    let mut dane_records: Option<Vec<crate::dane::record::TlsaRecord>> = None;
    let mut forced_fail = false;
    let mut dane_fallback = false;
    if let (Some(setup), true) = (req.dane, level.dane_based() && req.version.era() != Era::Legacy) {
        let mut usable = Vec::new();
        for r in &setup.records {
            if r.usable_by_openssl() {
                usable.push(r.clone());
            } else {
                let w = format!("{namaddr}: unusable TLSA RR: {}", r.display());
                c.warnings.push(w.clone());
                c.log.push(LogLine::new(p, LogLevel::Warning, Verbosity::Always, w));
            }
        }
        if usable.is_empty() {
            let w = if level == SecurityLevel::DaneOnly {
                forced_fail = true;
                format!("{namaddr}: all TLSA records unusable")
            } else {
                level = SecurityLevel::Encrypt;
                dane_fallback = true;
                format!("{namaddr}: all TLSA records unusable, fallback to unauthenticated TLS")
            };
            c.warnings.push(w.clone());
            c.log.push(LogLine::new(p, LogLevel::Warning, Verbosity::Always, w));
        } else {
            dane_records = Some(usable);
        }
    }
    c.level = level;

    if req.server.certificate && !req.served.is_empty() {
        let vreq = verify::Request {
            version: req.version,
            level,
            served: req.served,
            trust: req.trust,
            at: req.at,
            max_depth: req.max_depth,
            refs: req.refs,
            multi_label: req.multi_label,
            fingerprints: req.fingerprints.map(|f| (f, req.match_digest)),
            trust_anchors: req.trust_anchors,
            external_failure: req.external_failure,
            dane: dane_records.as_deref(),
            legacy_dane: req.dane.and_then(|d| d.legacy.as_ref()).filter(|_| level.dane_based()),
            dane_fallback,
        };
        let mut v = verify::verify(&vreq);
        if forced_fail {
            v.force_failure(verify::ForcedFailure::NoUsableTlsa, req.version);
            // Without usable records DANE is never enabled, but the host names are still
            // set: OpenSSL checks them (and sets the logged peername) before the forced failure.
            if v.names.is_none() {
                if let Some(leaf) = req.served.first() {
                    v.names = Some(crate::names::openssl::check(req.refs, &crate::names::cert_names::CertNames::of(leaf)));
                }
            }
        }
        apply_verification(&mut c, req, level, v);
    }
    c.trust = Some(trust_word(&c.flags, req.version));
    if let Some(word) = c.trust {
        c.log.push(LogLine::new(
            p,
            LogLevel::Info,
            Verbosity::Summary,
            // The cipher is the server's choice, not predicted: a typical one is shown (an
            // anonymous server can only be reached with a TLS 1.2 aNULL cipher).
            if c.flags.present {
                format!("{} TLS connection established to {namaddr}: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)", word.as_str())
            } else {
                format!("{} TLS connection established to {namaddr}: TLSv1.2 with cipher AECDH-AES256-SHA (256/256 bits)", word.as_str())
            },
        ));
    }
    let must_trust_reason = req.version.has_not_trusted_reason() && level.must_trust() && !c.flags.trusted;
    if must_trust_reason {
        c.outcome = ConnectionOutcome::Fail { dsn: "4.7.5".into(), reason: "Server certificate not trusted".into() };
    } else if level.must_match() && !c.flags.matched {
        c.outcome = ConnectionOutcome::Fail { dsn: "4.7.5".into(), reason: "Server certificate not verified".into() };
    } else {
        c.outcome = ConnectionOutcome::Deliver { tls: true };
    }
    c
}

/// The `why` of a handshake that fails for an invalid cipher grade.
const INVALID_CIPHER_GRADE: &str = "invalid cipher grade";
/// The `why` of a handshake that fails for an invalid protocol list.
const INVALID_PROTOCOLS: &str = "invalid protocol list";
/// The `why` of a handshake with an anonymous-only server at a level that needs a certificate.
const ANONYMOUS_ONLY: &str = "anonymous-only server at a level that needs a certificate";
/// The `why` of a handshake that fails because the "null" grade, less its exclusions, leaves no cipher.
const NULL_CIPHERS: &str = "the null cipher grade, with eNULL excluded, leaves no cipher";
/// The `why` of a handshake that fails for a cipher exclusion that starts with a modifier.
const INVALID_EXCLUSION: &str = "invalid cipher exclusion";
/// The `why` of a handshake that needs tlsproxy(8) (connection reuse) when there is none.
const TLSPROXY_MISSING: &str = "connection reuse needs the tlsproxy service, which master.cf does not define";
/// The `why` of a handshake with a server that speaks none of the enabled TLS versions.
const NO_COMMON_VERSION: &str = "the server speaks none of the TLS versions the protocol list enables";

/// How `SSL_connect()` fails, once the session is set up.
enum ConnectFailure {
    /// The client has no cipher to offer: `-1` and OpenSSL's "no ciphers available".
    NoCiphersAvailable,
    /// Wrapper mode against a server that greets in plaintext: "wrong version number".
    PlaintextGreeting,
    /// The server hangs up ("lost connection"), for this `why`.
    Lost(&'static str),
}

/// The fingerprint level's records as `tls_dane_enable()` hands them to OpenSSL (3.6+): the
/// warnings for values of the wrong length, and "all fingerprints unusable".
fn fingerprint_warnings(c: &mut Connection, req: &ConnectionRequest<'_>) {
    let (SecurityLevel::Fingerprint, Some(values), Some(leaf), false) = (req.level, req.fingerprints, req.served.first(), req.version.era() == Era::Legacy) else {
        return;
    };
    let (decoded, _) = crate::tls::fingerprint::decode_values(values);
    let fp = crate::tls::fingerprint::match_openssl(&decoded, req.match_digest, leaf);
    for w in fp.warnings() {
        let text = format!("{}: {w}", c.namaddr);
        c.warnings.push(text.clone());
        c.log.push(LogLine::new(req.program, LogLevel::Warning, Verbosity::Always, text));
    }
}

/// The `why` of a handshake with the "null" grade and TLS 1.3 disabled.
const NULL_CIPHERS_BELOW_TLS13: &str = "the null cipher grade has no cipher OpenSSL will offer below TLS 1.3, and TLS 1.3 is disabled";
/// What OpenSSL 3.0.19 reports when no cipher can be offered, as Postfix prints it.
const NO_CIPHERS_AVAILABLE: &str = "TLS library problem: error:0A0000B5:SSL routines::no ciphers available:../ssl/statem/statem_clnt.c:3752:No ciphers enabled for max supported SSL/TLS version:";
/// The `why` of a handshake in wrapper mode with a server that greets in plaintext.
const PLAINTEXT_GREETING: &str = "smtp_tls_wrappermode starts TLS at once, but the server greeted in plaintext (not an SMTPS port)";
/// The SMTPS port: a server there is taken to speak TLS at once.
const SMTPS_PORT: u16 = 465;
/// What OpenSSL 3.0.19 reports when a TLS client reads a plaintext greeting, as Postfix prints it.
const WRONG_VERSION_NUMBER: &str = "TLS library problem: error:0A00010B:SSL routines::wrong version number:../ssl/record/ssl3_record.c:350:";
/// What OpenSSL 3.0.19 reports when a cipher list matches nothing, as Postfix prints it.
const NO_CIPHER_MATCH: &str = "TLS library problem: error:0A0000B9:SSL routines::no cipher match:../ssl/ssl_lib.c:2759:";

/// Every `why` of [`Handshake::Failed`] the engine writes (for tests of their words).
pub const HANDSHAKE_FAILURES: &[&str] = &[INVALID_CIPHER_GRADE, INVALID_PROTOCOLS, ANONYMOUS_ONLY, NULL_CIPHERS, INVALID_EXCLUSION, TLSPROXY_MISSING, PLAINTEXT_GREETING, NULL_CIPHERS_BELOW_TLS13, NO_COMMON_VERSION];

/// A keyword for the `why` of [`Handshake::Failed`] (`invalid-cipher-grade`, `anonymous-only`),
/// for translated words.
pub fn handshake_failure_code(why: &str) -> Option<&'static str> {
    match why {
        INVALID_CIPHER_GRADE => Some("invalid-cipher-grade"),
        INVALID_PROTOCOLS => Some("invalid-protocols"),
        ANONYMOUS_ONLY => Some("anonymous-only"),
        NULL_CIPHERS => Some("null-ciphers"),
        INVALID_EXCLUSION => Some("invalid-cipher-exclusion"),
        TLSPROXY_MISSING => Some("tlsproxy-missing"),
        PLAINTEXT_GREETING => Some("plaintext-greeting"),
        NULL_CIPHERS_BELOW_TLS13 => Some("null-ciphers-below-tls13"),
        NO_COMMON_VERSION => Some("no-common-version"),
        _ => None,
    }
}

/// `tls_client_start()` gave up before the handshake: its warning, then a failed handshake.
fn aborted(mut c: Connection, program: &str, warning: String, why: &str) -> Connection {
    c.warnings.push(warning.clone());
    c.log.push(LogLine::new(program, LogLevel::Warning, Verbosity::Always, warning));
    handshake_failed(c, why)
}

fn handshake_failed(mut c: Connection, why: &str) -> Connection {
    c.handshake = Handshake::Failed { why: why.to_string() };
    c.outcome = ConnectionOutcome::Fail { dsn: "4.7.5".into(), reason: "Cannot start TLS: handshake failure".into() };
    c
}

/// Derives flags, log lines and failure text from verification (`verify_x509()` 3.6+,
/// `verify_extract_print()` + `verify_extract_name()` ≤3.5).
fn apply_verification(c: &mut Connection, req: &ConnectionRequest<'_>, level: SecurityLevel, mut v: Verification) {
    let p = req.program;
    let namaddr = c.namaddr.clone();
    let leaf = &req.served[0];
    c.flags.present = true;
    let era = req.version.era();
    for w in &v.warnings {
        let text = format!("{namaddr}: {w}");
        c.warnings.push(text.clone());
        c.log.push(LogLine::new(p, LogLevel::Warning, Verbosity::Always, text));
    }
    if era == Era::Legacy {
        if v.ee_matched {
            c.flags.trusted = true;
            c.flags.matched = true;
        }
        if v.verify_ok {
            c.flags.trusted = true;
        }
        let mut digest_lines: Vec<(String, String)> = v.legacy_matches.clone();
        if let Some((depth, digest)) = &v.served_anchor {
            digest_lines.push((format!("depth={depth} matched trust anchor certificate sha512 digest {digest}"), digest.clone()));
        }
        if let Some(fp) = &v.fingerprint {
            if let (Some(line), Some(m)) = (&fp.legacy_line, &fp.matched) {
                digest_lines.push((line.clone(), m.clone()));
            }
        }
        // ≤3.5's match details are logged with certmatch or verbose TLS logging
        // (`smtp_tls_loglevel` 2). When none of the peer-certificate bits is set, the lines a
        // certmatch setting would add are still predicted, as hints the setting hides.
        let mask = req.log_mask;
        let names_logged = mask.any(TlsLogMask::CERTMATCH | TlsLogMask::VERBOSE);
        let hint = !mask.any(TlsLogMask::CERTMATCH | TlsLogMask::VERBOSE | TlsLogMask::PEERCERT);
        for (line, digest) in digest_lines {
            if names_logged || hint {
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, format!("{namaddr}: {line}")));
            }
            c.matched_fingerprints.push(digest.clone());
            c.matched_fingerprint = Some(digest);
        }
        if names_logged || hint {
            for line in &v.legacy_anchor_lines {
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, format!("{namaddr}: {line}")));
            }
        }
        if let Some(names) = v.legacy_names.as_mut() {
            // verify_extract_name(): the names are looked at only to verify a trusted chain
            // not yet matched at a must-trust level, or because certmatch logging asks for it;
            // without certmatch the SANs are checked up to the first match.
            let verify_peername = !c.flags.matched && c.flags.trusted && level.must_trust();
            let scan = Scan::of(verify_peername, mask.any(TlsLogMask::CERTMATCH));
            let actual = names.view(scan);
            let full = names.view(Scan::All);
            let shown = if hint { &full } else { &actual };
            let always_warnings = actual.warning_count();
            let superseded_cn = !names.sans.is_empty();
            let mut warnings_seen = 0;
            for entry in &shown.entries {
                match entry {
                    NameLogEntry::Warning(w) => {
                        let text = format!("tls_dns_name: {namaddr}: {}", w.text);
                        // Warnings of names the check reached are always logged; those only a
                        // certmatch scan reaches are hints.
                        let verbosity = if warnings_seen < always_warnings { Verbosity::Always } else { Verbosity::Certmatch };
                        warnings_seen += 1;
                        if verbosity == Verbosity::Always {
                            c.warnings.push(text.clone());
                        }
                        c.log.push(LogLine::new(p, LogLevel::Warning, verbosity, text));
                    }
                    NameLogEntry::Line(_) if !(names_logged || hint) => {}
                    NameLogEntry::Line(line) => {
                        // SAN lines and the no-SAN CN line use the client's name; the
                        // superseded-CN line uses the TLS library's lower-cased one.
                        let peer = if line.source == "CommonName" && superseded_cn { namaddr.clone() } else { c.server_namaddr.clone() };
                        let text = if line.source == "CommonName" {
                            format!("{peer} {}CommonName {}", if line.matched { "Matched " } else { "" }, line.name)
                        } else {
                            format!("{peer}: {}subjectAltName: {}", if line.matched { "Matched " } else { "" }, line.name)
                        };
                        c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, text));
                        if names_logged {
                            c.certmatch.push(CertMatchLine { peer, ..line.clone() });
                        }
                    }
                }
            }
            if verify_peername && names.check.matched() {
                c.flags.matched = true;
            }
            // subject_CN= shows the name this scan kept (a hint shows certmatch's).
            names.peer_cn = if hint { full.peer_cn } else { actual.peer_cn };
        }
        c.flags.secured = c.flags.present && c.flags.trusted && c.flags.matched && level != SecurityLevel::HalfDane;
        let has_ta = req.dane.and_then(|d| d.legacy.as_ref()).map(|l| l.has_ta()).unwrap_or(true);
        let logs_untrusted = (level.must_trust() && (!level.dane_based() || has_ta)) || mask.any(TlsLogMask::UNTRUSTED);
        if !c.flags.trusted && logs_untrusted {
            if let Some(ev) = &v.reported {
                let line = failure_text(ev, &namaddr, v.forced.as_ref());
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Always, line.clone()));
                c.failure_line = Some(line);
            }
        }
    } else {
        let reported = v.reported.as_ref().map(|e| e.error);
        if v.verify_ok {
            c.flags.trusted = true;
            if level.must_match() {
                c.flags.matched = true;
                c.flags.secured = level != SecurityLevel::HalfDane;
                if let Some(peer) = v.names.as_ref().and_then(|n| n.peername.clone()) {
                    c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, format!("{namaddr}: matched peername: {peer}")));
                    c.matched_peername = Some(peer);
                }
                if let Some(m) = &v.matched_dane {
                    c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, format!("{namaddr}: Matched DANE {m}")));
                    c.matched_dane = Some(m.clone());
                }
                if let Some(fp) = v.fingerprint.as_ref().and_then(|f| f.matched.clone()) {
                    c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, format!("{namaddr}: Matched fingerprint: {fp}")));
                    c.matched_fingerprints.push(fp.clone());
                    c.matched_fingerprint = Some(fp);
                }
            }
        } else if era == Era::OpenSsl && level.must_match() && reported == Some(X509Error::HostnameMismatch) {
            c.flags.trusted = true;
        }
        // tls_client_start() adds the untrusted bit at must-match levels: the level asked for,
        // also when dane then fell back to unauthenticated TLS.
        if !c.flags.matched && (req.level.must_match() || req.log_mask.any(TlsLogMask::UNTRUSTED)) {
            if let Some(ev) = &v.reported {
                let line = failure_text(ev, &namaddr, v.forced.as_ref());
                c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Always, line.clone()));
                c.failure_line = Some(line);
            }
        }
    }
    c.log.push(LogLine::new(p, LogLevel::Info, Verbosity::Certmatch, peer_cert_line(c, req, leaf, &v)));
    c.verification = Some(v);
}

/// `NAMADDR: subject_CN=…, issuer_CN=…, fingerprint=…, pkey_fingerprint=…` (3.9+:
/// `issuer=…, cert fingerprint=…, pkey fingerprint=…`).
///
/// `subject_CN` is ≤3.5's chosen peer name (a DNS SAN when there is one, see
/// [`crate::names::legacy::LegacyCheck::peer_cn`]); from 3.6 the first CommonName, or without
/// one the name OpenSSL's host check matched (`SSL_get0_peername()`, set even when the chain
/// is not trusted).
fn peer_cert_line(c: &Connection, req: &ConnectionRequest<'_>, leaf: &Certificate, v: &Verification) -> String {
    let subject_cn = match &v.legacy_names {
        Some(legacy) => legacy.peer_cn.clone(),
        None => leaf.subject_cns.first().cloned().or_else(|| v.names.as_ref().and_then(|n| n.peername.clone())).unwrap_or_default(),
    };
    let issuer = leaf.issuer_cn.clone().or_else(|| leaf.issuer_org.clone()).unwrap_or_default();
    let cert_fp = crate::cert::fingerprint::spelled(&leaf.fingerprints.cert, req.log_digest, &leaf.der);
    let pkey_fp = crate::cert::fingerprint::spelled(&leaf.fingerprints.pkey, req.log_digest, &leaf.spki_der);
    if req.version.logs_issuer_and_cert_fingerprint() {
        // 3.9 moved the line to the TLS library, which names the peer in lower case.
        format!("{}: subject_CN={subject_cn}, issuer={issuer}, cert fingerprint={cert_fp}, pkey fingerprint={pkey_fp}", c.namaddr)
    } else {
        format!("{}: subject_CN={subject_cn}, issuer_CN={issuer}, fingerprint={cert_fp}, pkey_fingerprint={pkey_fp}", c.server_namaddr)
    }
}

/// The summary word (`tls_log_summary()`; 2.x: MATCHED/TRUSTED, no "Anonymous").
pub fn trust_word(flags: &PeerFlags, version: &PostfixVersion) -> TrustWord {
    if !flags.present && version.logs_anonymous() {
        TrustWord::Anonymous
    } else if flags.secured || (!version.logs_anonymous() && flags.matched) {
        TrustWord::Verified
    } else if flags.trusted {
        TrustWord::Trusted
    } else {
        TrustWord::Untrusted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls13_stays_on_unless_the_list_turns_it_off() {
        for on in ["", "!SSLv2, !SSLv3", ">=TLSv1.2", "TLSv1.2 TLSv1.3", "<=TLSv1.3", "<=0x0304", "<=None"] {
            assert!(enabled_versions(on).contains(&TLS_1_3), "{on}");
        }
        for off in ["!TLSv1.3", "<=TLSv1.2", "TLSv1.2", "!SSLv2:!tlsv1.3", "<=0x0303"] {
            assert!(!enabled_versions(off).contains(&TLS_1_3), "{off}");
        }
    }

    #[test]
    fn protocol_lists_follow_the_version_s_grammar() {
        let v37 = PostfixVersion::parse("3.7.11").unwrap();
        let v35 = PostfixVersion::parse("3.5.27").unwrap();
        for ok in ["", "!SSLv2, !SSLv3", "!sslv2:!SSLV3", "TLSv1.2 TLSv1.3", ">=TLSv1.2", "<=TLSv1.3,>=tlsv1", ">=0x0303", ">="] {
            assert!(valid_protocol_list(&v37, ok), "3.7: {ok}");
        }
        for bad in ["bogus", "!TLSv1.4", ">=TLSv1.4", ">=0xfffffffff", "TLSv1.2;"] {
            assert!(!valid_protocol_list(&v37, bad), "3.7: {bad}");
        }
        assert!(valid_protocol_list(&v35, "!SSLv2, !SSLv3"));
        assert!(!valid_protocol_list(&v35, ">=TLSv1.3"), "bounds came with 3.6");
    }
}

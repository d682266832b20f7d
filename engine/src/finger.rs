//! `posttls-finger` (spec §9): one connection to the first MX host (or the bracketed host),
//! at the `-l` level, with match arguments or compiled-in defaults, no policy table, and
//! trust only in what `-F` / `-P` names.

use crate::cert::fingerprint::DigestAlg;
use crate::cert::Certificate;
use crate::config::Settings;
use crate::dane::setup::{parse_rrset, DaneSetup};
use crate::dns::{AddressAnswer, Dns, MxAnswer, TlsaAnswer};
use crate::names::reference::{expand, ExpansionContext, ReferenceId};
use crate::nexthop::parse_destination;
use crate::policy::level::SecurityLevel;
use crate::tls::session::{connect, Connection, ConnectionRequest, ServerBehaviour, TrustWord};
use crate::tls::verify::TrustBasis;
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

/// What posttls-finger printed and what smtp(8) would have done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerRun {
    /// The level asked for.
    pub level: Option<SecurityLevel>,
    /// Match arguments in force.
    pub matches: Vec<String>,
    /// Whether they are posttls-finger's compiled-in defaults.
    pub default_matches: bool,
    /// Digest in force.
    pub digest: DigestAlg,
    /// Reference identifiers.
    pub references: Vec<ReferenceId>,
    /// The connection, if one was made.
    pub connection: Option<Connection>,
    /// Warnings (complete texts).
    pub warnings: Vec<String>,
    /// Errors and fatal lines, as printed (`fatal: …`, `SSL_connect error …`).
    pub errors: Vec<String>,
    /// The documented mapping to smtp(8)'s decision (not applicable at the DANE levels).
    pub smtp_client_equivalent: String,
    /// The generic mapping, also at the DANE levels.
    pub generic_equivalent: String,
}

/// posttls-finger's `-d`: the digest option among `args`.
fn digest_arg(args: &[String]) -> Option<DigestAlg> {
    args.windows(2).find(|w| w[0] == "-d").and_then(|w| DigestAlg::parse(&w[1]))
}

/// The documented mapping from a posttls-finger verdict to what smtp(8) would do.
pub fn smtp_client_equivalent(level: &str, matches: &[String], trust: Option<TrustWord>, errors: &[String]) -> String {
    if errors.iter().any(|e| e.starts_with("fatal:") || e.starts_with("panic:")) {
        return "n/a: posttls-finger failed before any TLS verdict".into();
    }
    if level == "fingerprint" && matches.is_empty() {
        return "n/a: without digests posttls-finger checks only the CA chain; smtp(8) would use smtp_tls_fingerprint_cert_match (empty: invalid policy)".into();
    }
    let Some(trust) = trust else {
        return if level == "none" || level == "may" {
            "deliver (plaintext)".into()
        } else {
            format!("defer: no TLS session but level {level} requires TLS")
        };
    };
    let must_match = ["fingerprint", "verify", "secure", "dane", "dane-only"].contains(&level);
    if must_match && trust != TrustWord::Verified {
        "defer: Server certificate not verified".into()
    } else {
        "deliver".into()
    }
}

/// Runs posttls-finger.
#[allow(clippy::too_many_arguments)]
pub fn run(
    version: &PostfixVersion,
    settings: &Settings,
    destination: &str,
    level_arg: &str,
    match_args: &[String],
    args: &[String],
    dns: &Dns,
    trust: &TrustBasis,
    chain_for: &dyn Fn(&str, &str) -> Vec<Certificate>,
    behaviour_for: &dyn Fn(&str) -> ServerBehaviour,
    at: Option<i64>,
) -> FingerRun {
    let level = SecurityLevel::lookup(level_arg);
    let digest = digest_arg(args).unwrap_or_else(|| {
        if version.era() == Era::Legacy {
            DigestAlg::Sha1
        } else {
            DigestAlg::parse(settings.get("smtp_tls_fingerprint_digest")).unwrap_or(DigestAlg::Sha256)
        }
    });
    let mut out = FingerRun {
        level,
        matches: match_args.to_vec(),
        default_matches: false,
        digest,
        references: Vec::new(),
        connection: None,
        warnings: Vec::new(),
        errors: Vec::new(),
        smtp_client_equivalent: String::new(),
        generic_equivalent: String::new(),
    };
    let Some(level) = level else {
        out.errors.push(format!("fatal: Invalid TLS level \"{level_arg}\""));
        conclude(&mut out, level_arg, match_args, None);
        return out;
    };
    let dest = match parse_destination(destination, settings.flag("smtputf8_enable")) {
        Ok(d) => d,
        Err(fatal) => {
            out.errors.push(format!("fatal: {fatal}"));
            conclude(&mut out, level_arg, match_args, None);
            return out;
        }
    };
    if match_args.is_empty() {
        out.default_matches = true;
        out.matches = match level {
            SecurityLevel::Secure | SecurityLevel::Dane | SecurityLevel::DaneOnly => vec!["nexthop".into(), "dot-nexthop".into()],
            SecurityLevel::Verify => vec!["hostname".into()],
            _ => Vec::new(),
        };
    }
    let host = if dest.mx_lookup {
        match dns.mx_lookup(&dest.host) {
            MxAnswer::Records { records, .. } => records.first().map(|r| r.host.clone()),
            MxAnswer::NoRecords => Some(dest.host.clone()),
            MxAnswer::NxDomain => None,
        }
    } else {
        Some(dest.host.clone())
    };
    let Some(host) = host else {
        conclude(&mut out, level_arg, match_args, None);
        return out;
    };
    let address = match dns.address_lookup(&host) {
        AddressAnswer::Addresses { addresses } => addresses.first().cloned().unwrap_or_else(|| "?".into()),
        AddressAnswer::Unknown => "?".into(),
        AddressAnswer::NxDomain => {
            conclude(&mut out, level_arg, match_args, None);
            return out;
        }
    };
    let openssl = version.era() != Era::Legacy;
    let mx_rrset = dest.mx_lookup && matches!(dns.mx_lookup(&dest.host), MxAnswer::Records { .. });
    let mx = mx_rrset.then(|| (dest.host.as_str(), dns.secure(&dest.host, "MX")));
    let (level, dane) = match dane_host_level(version, level, args, destination, &host, dest.port_number(), mx, dns, &mut out) {
        Some(decided) => decided,
        None => {
            conclude(&mut out, level_arg, match_args, None);
            return out;
        }
    };
    let names: &[String] = match &dane {
        Some(setup) => &setup.match_names,
        None => &out.matches,
    };
    if level.must_pkix() || dane.is_some() {
        out.references = expand(names, &ExpansionContext { nexthop: &dest.host, hostname: &host, openssl });
    }
    let served = chain_for(&host, &address);
    let behaviour = behaviour_for(&host);
    let fingerprints = (level == SecurityLevel::Fingerprint && !out.matches.is_empty()).then_some(out.matches.as_slice());
    let conn = connect(&ConnectionRequest {
        version,
        program: "posttls-finger",
        level,
        host: &host,
        address: &address,
        port: dest.port_number(),
        server: &behaviour,
        served: &served,
        trust,
        at,
        max_depth: settings.get("smtp_tls_scert_verifydepth").parse().unwrap_or(9),
        refs: &out.references,
        multi_label: settings.flag("tls_wildcard_matches_multiple_labels"),
        fingerprints,
        match_digest: digest,
        log_digest: digest,
        trust_anchors: None,
        cipher_grade: "medium",
        external_failure: None,
        dane: dane.as_ref(),
    });
    out.warnings.extend(conn.warnings.iter().map(|w| format!("warning: {w}")));
    out.errors.extend(conn.errors.iter().cloned());
    conclude(&mut out, level_arg, match_args, conn.trust);
    out.connection = Some(conn);
    out
}

/// Fills both mappings from the run's errors and trust word.
fn conclude(out: &mut FingerRun, level_arg: &str, match_args: &[String], trust: Option<TrustWord>) {
    out.generic_equivalent = smtp_client_equivalent(level_arg, match_args, trust, &out.errors);
    out.smtp_client_equivalent = dane_equivalent(level_arg, out.generic_equivalent.clone());
}

/// At dane/dane-only the generic mapping does not hold (posttls-finger falls back to secure);
/// the oracle labels it as not applicable.
fn dane_equivalent(level: &str, generic: String) -> String {
    if level == "dane" || level == "dane-only" {
        "n/a: at dane/dane-only posttls-finger falls back to 'secure' when there are no usable secure TLSA records and logs half-dane (insecure MX) matches as Trusted, while smtp(8) falls back to may/encrypt or defers; the policy twin is the smtp(8) verdict".into()
    } else {
        generic
    }
}

/// posttls-finger's `dane_host_level()`: the level for this host, and the DANE set-up when
/// TLSA records apply. `None` when the TLSA lookup failed (no connection is made).
#[allow(clippy::too_many_arguments)]
fn dane_host_level(
    version: &PostfixVersion,
    level: SecurityLevel,
    args: &[String],
    destination: &str,
    host: &str,
    port: u16,
    mx: Option<(&str, bool)>,
    dns: &Dns,
    out: &mut FingerRun,
) -> Option<(SecurityLevel, Option<DaneSetup>)> {
    if !level.dane_based() {
        return Some((level, None));
    }
    let mx_policy = args.windows(2).find(|w| w[0] == "-M").and_then(|w| SecurityLevel::lookup(&w[1])).unwrap_or(SecurityLevel::Dane);
    let mx_insecure = mx.is_some_and(|(_, secure)| !secure);
    if mx_insecure && mx_policy <= SecurityLevel::May {
        return Some((SecurityLevel::May, None));
    }
    let answer = if dns.secure(host, "A") { dns.tlsa_lookup(host, port) } else { TlsaAnswer::NotFound };
    let owner = format!("_{port}._tcp.{host}");
    let records = match answer {
        TlsaAnswer::Error => {
            let problem = format!("DANE TLSA lookup problem: Host or domain name not found. Name service error for name={owner} type=TLSA: Host not found, try again");
            out.warnings.push(format!("warning: {problem}"));
            out.warnings.push(format!("warning: {problem}"));
            out.errors.push(version.finger_failure_line(destination, host, port, &format!("TLSA lookup error for {host}:{port}")));
            return None;
        }
        TlsaAnswer::NotFound => return Some((SecurityLevel::Secure, None)),
        TlsaAnswer::Records { records } => records,
    };
    let legacy_era = version.era() == Era::Legacy;
    let (kept, legacy) = if legacy_era {
        let parsed = crate::dane::legacy::parse_rrset(&owner, &records);
        out.warnings.extend(parsed.warnings.iter().map(|w| format!("warning: {w}")));
        (Vec::new(), Some(parsed))
    } else {
        let (kept, warnings) = parse_rrset(&owner, &records);
        out.warnings.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
        (kept, None)
    };
    if legacy.as_ref().map(|l| l.is_empty()).unwrap_or(kept.is_empty()) {
        return Some((SecurityLevel::Secure, None));
    }
    if mx_insecure && mx_policy == SecurityLevel::Encrypt {
        return Some((SecurityLevel::Encrypt, None));
    }
    let mut match_names = vec![host.to_string()];
    if let Some((qname, _)) = mx {
        match_names.push(qname.to_string());
    }
    let effective = if mx_insecure { SecurityLevel::HalfDane } else { level };
    let setup = DaneSetup {
        requested: level,
        level: effective,
        invalid: None,
        reason: None,
        warnings: Vec::new(),
        records: kept,
        base_domain: host.to_string(),
        match_names,
        legacy,
    };
    Some((effective, Some(setup)))
}

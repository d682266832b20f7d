//! `posttls-finger` (spec §9): one connection to the first MX host (or the bracketed host),
//! at the `-l` level, with match arguments or compiled-in defaults, no policy table, and
//! trust only in what `-F` / `-P` names.

use crate::cert::fingerprint::DigestAlg;
use crate::cert::Certificate;
use crate::config::Settings;
use crate::dns::{AddressAnswer, Dns, MxAnswer};
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
    /// The documented mapping to smtp(8)'s decision.
    pub smtp_client_equivalent: String,
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
    };
    let Some(level) = level else {
        out.errors.push(format!("fatal: Invalid TLS level \"{level_arg}\""));
        out.smtp_client_equivalent = smtp_client_equivalent(level_arg, match_args, None, &out.errors);
        return out;
    };
    let dest = match parse_destination(destination, settings.flag("smtputf8_enable")) {
        Ok(d) => d,
        Err(fatal) => {
            out.errors.push(format!("fatal: {fatal}"));
            out.smtp_client_equivalent = smtp_client_equivalent(level_arg, match_args, None, &out.errors);
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
        out.smtp_client_equivalent = smtp_client_equivalent(level_arg, match_args, None, &out.errors);
        return out;
    };
    let address = match dns.address_lookup(&host) {
        AddressAnswer::Addresses { addresses } => addresses.first().cloned().unwrap_or_else(|| "?".into()),
        AddressAnswer::Unknown => "?".into(),
        AddressAnswer::NxDomain => {
            out.smtp_client_equivalent = smtp_client_equivalent(level_arg, match_args, None, &out.errors);
            return out;
        }
    };
    let openssl = version.era() != Era::Legacy;
    if level.must_pkix() {
        out.references = expand(&out.matches, &ExpansionContext { nexthop: &dest.host, hostname: &host, openssl });
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
    });
    out.warnings = conn.warnings.iter().map(|w| format!("warning: {w}")).collect();
    out.errors.extend(conn.errors.iter().cloned());
    out.smtp_client_equivalent = smtp_client_equivalent(level_arg, match_args, conn.trust, &out.errors);
    out.connection = Some(conn);
    out
}

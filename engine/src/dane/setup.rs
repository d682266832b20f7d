//! DANE at policy time (`dane_init()` and `dane_incompat()` in smtp_tls_policy.c, spec §7):
//! prerequisites, the insecure-MX policy, the TLSA lookup, records dropped at lookup, and
//! the fallbacks (`dane` → may or encrypt; `dane-only` defers).

use super::record::TlsaRecord;
use crate::config::Settings;
use crate::dns::{Dns, TlsaAnswer};
use crate::policy::level::SecurityLevel;
use serde::{Deserialize, Serialize};

/// What DANE set-up decided for one destination and host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaneSetup {
    /// The level asked for (dane or dane-only).
    pub requested: SecurityLevel,
    /// The level that results (dane, dane-only, halfdane, or the fallback may/encrypt).
    pub level: SecurityLevel,
    /// Postfix marked the policy invalid: the DSN and reason of the deferral.
    pub invalid: Option<(String, String)>,
    /// Why DANE did not apply, in Postfix's words, when it did not.
    pub reason: Option<String>,
    /// Warnings logged (complete texts).
    pub warnings: Vec<String>,
    /// TLSA records kept at lookup (usages 2 and 3), in the order Postfix hands them to
    /// OpenSSL (it prepends: last record first).
    pub records: Vec<TlsaRecord>,
    /// The TLSA base domain (the MX host name): SNI and the first reference name.
    pub base_domain: String,
    /// Reference names for DANE-TA: the base domain and the MX query name.
    pub match_names: Vec<String>,
    /// ≤3.5: the RRset as Postfix's own DANE code keeps it.
    pub legacy: Option<super::legacy::LegacyDane>,
}

/// Inputs of DANE set-up.
pub struct DaneInput<'a> {
    /// dane or dane-only.
    pub level: SecurityLevel,
    /// The next-hop destination string (for messages).
    pub dest: &'a str,
    /// The MX host (TLSA base domain).
    pub host: &'a str,
    /// The port.
    pub port: u16,
    /// The MX query name and whether the MX RRset was validated, when MX lookup was used.
    pub mx: Option<(&'a str, bool)>,
    /// Settings.
    pub settings: &'a Settings,
    /// DNS data.
    pub dns: &'a Dns,
    /// ≤3.5 parses and matches TLSA records itself.
    pub legacy: bool,
}

/// The insecure-MX policy in force (`smtp_tls_dane_insecure_mx_policy`).
pub fn insecure_mx_policy(settings: &Settings) -> SecurityLevel {
    SecurityLevel::lookup(settings.get("smtp_tls_dane_insecure_mx_policy").trim()).unwrap_or(SecurityLevel::May)
}

/// Kinds of incompatibility (`NONDANE_CONFIG`, `NONDANE_DEST`, `DANE_CANTAUTH`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Incompat {
    Config,
    Destination,
    CannotAuthenticate,
}

fn incompat(setup: &mut DaneSetup, kind: Incompat, text: String) {
    if setup.requested == SecurityLevel::Dane {
        setup.level = if kind == Incompat::CannotAuthenticate { SecurityLevel::Encrypt } else { SecurityLevel::May };
        if kind == Incompat::Config {
            setup.warnings.push(text.clone());
        }
    } else if kind == Incompat::Config {
        setup.warnings.push(text.clone());
        setup.invalid = Some(("4.7.5".into(), "client TLS configuration problem".into()));
    } else {
        setup.invalid = Some(("4.7.5".into(), text.clone()));
    }
    setup.reason = Some(text);
}

/// Parses a TLSA RRset as `parse_tlsa_rr()` does: usages 0/1 and matching type 255 are
/// dropped with a warning; records kept are prepended.
pub fn parse_rrset(owner: &str, rrset: &[String]) -> (Vec<TlsaRecord>, Vec<String>) {
    let mut kept = Vec::new();
    let mut warnings = Vec::new();
    for text in rrset {
        let Ok(r) = TlsaRecord::parse(text) else { continue };
        if r.usage != 2 && r.usage != 3 {
            warnings.push(format!("{owner} unsupported TLSA certificate usage: {}", r.display()));
        } else if r.mtype == 255 {
            warnings.push(format!("{owner} reserved private-use matching type: {}", r.display()));
        } else {
            kept.insert(0, r);
        }
    }
    (kept, warnings)
}

/// `dane_init()`.
pub fn dane_init(input: &DaneInput<'_>) -> DaneSetup {
    let mut s = DaneSetup {
        requested: input.level,
        level: input.level,
        invalid: None,
        reason: None,
        warnings: Vec::new(),
        records: Vec::new(),
        base_domain: input.host.to_string(),
        match_names: Vec::new(),
        legacy: None,
    };
    let name = input.level.name();
    if input.settings.get("smtp_dns_support_level").trim() != "dnssec" {
        incompat(&mut s, Incompat::Config, format!("{}: {name} configured with dnssec lookups disabled", input.dest));
        return s;
    }
    let mx_policy = insecure_mx_policy(input.settings);
    let mx_insecure = input.mx.is_some_and(|(_, secure)| !secure);
    if mx_insecure && (input.level == SecurityLevel::DaneOnly || mx_policy <= SecurityLevel::May) {
        incompat(&mut s, Incompat::Destination, "non DNSSEC destination".into());
        return s;
    }
    let host_secure = input.dns.secure(input.host, "A");
    let answer = if host_secure { input.dns.tlsa_lookup(input.host, input.port) } else { TlsaAnswer::NotFound };
    let owner = format!("_{}._tcp.{}", input.port, input.host);
    let records = match answer {
        TlsaAnswer::Error => {
            let problem = format!(
                "DANE TLSA lookup problem: Host or domain name not found. Name service error for name={owner} type=TLSA: Host not found, try again"
            );
            // The failed answer is not cached: the lookup (and its warning) happens twice.
            s.warnings.push(problem.clone());
            s.warnings.push(problem);
            s.level = input.level;
            s.invalid = Some(("4.7.5".into(), format!("TLSA lookup error for {}:{}", input.host, input.port)));
            s.reason = Some(format!("TLSA lookup error for {}:{}", input.host, input.port));
            return s;
        }
        TlsaAnswer::NotFound => {
            incompat(&mut s, Incompat::Destination, "no TLSA records found".into());
            return s;
        }
        TlsaAnswer::Records { records } => records,
    };
    let (kept, legacy) = if input.legacy {
        let parsed = super::legacy::parse_rrset(&owner, &records);
        s.warnings.extend(parsed.warnings.iter().cloned());
        (Vec::new(), Some(parsed))
    } else {
        let (kept, warnings) = parse_rrset(&owner, &records);
        s.warnings.extend(warnings);
        (kept, None)
    };
    let empty = legacy.as_ref().map(|l| l.is_empty()).unwrap_or(kept.is_empty());
    if empty {
        incompat(&mut s, Incompat::CannotAuthenticate, "TLSA records unusable".into());
        return s;
    }
    if mx_insecure {
        if mx_policy == SecurityLevel::Encrypt {
            incompat(&mut s, Incompat::CannotAuthenticate, "Verification not possible, MX RRset is insecure".into());
            return s;
        }
        s.level = SecurityLevel::HalfDane;
    }
    s.records = kept;
    // ≤3.5 configures the DANE names only when there are trust-anchor records (end-entity
    // matches need no names); 3.6+ always does.
    let names = legacy.as_ref().map(|l| l.has_ta()).unwrap_or(true);
    if names {
        s.match_names = vec![input.host.to_string()];
        if let Some((qname, _)) = input.mx {
            s.match_names.push(qname.to_string());
        }
    }
    s.legacy = legacy;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usages_0_and_1_are_dropped_with_postfix_warnings() {
        let rrset = vec!["0 0 1 8f5d".to_string(), "3 1 1 ab".to_string(), "2 0 255 cd".to_string()];
        let (kept, warnings) = parse_rrset("_25._tcp.mx.example.com", &rrset);
        assert_eq!(kept.len(), 1);
        assert_eq!(warnings[0], "_25._tcp.mx.example.com unsupported TLSA certificate usage: 0 0 1 8F5D");
        assert!(warnings[1].contains("reserved private-use matching type"));
    }
}

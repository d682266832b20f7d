//! The policy in force for one destination and server (`policy_create()`, spec §1.4, §4, §6):
//! the global level, the table lookup, the entry's attributes, and the main.cf defaults that
//! fill what the entry leaves out — each with its source.

use super::entry::{parse_entry, EntryContext, PolicyEntry, StsAttributes, TrustAnchorSource};
use super::level::SecurityLevel;
use super::lookup::{lookup, LookupWalk, PolicyTable, ProbeResult};
use crate::cert::fingerprint::DigestAlg;
use crate::cert::Certificate;
use crate::config::Settings;
use crate::tls::fingerprint;
use crate::version::PostfixVersion;
use serde::{Deserialize, Serialize};

/// Where the level came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LevelSource {
    /// The policy-table entry found under `key`.
    PolicyEntry {
        /// The key that matched.
        key: String,
        /// 1-based line of the entry.
        line: usize,
    },
    /// `smtp_tls_security_level` (set or defaulted).
    GlobalLevel,
    /// The legacy `smtp_use_tls` / `smtp_enforce_tls` / `smtp_tls_enforce_peername` trio.
    LegacyParameters,
}

/// Where the match list came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchSource {
    /// The entry's `match=` attribute(s).
    PolicyAttribute,
    /// A main.cf parameter (explicitly set).
    MainCf {
        /// The parameter.
        parameter: String,
    },
    /// The parameter's built-in default.
    BuiltInDefault {
        /// The parameter.
        parameter: String,
    },
    /// MTA-STS MX-pattern enforcement replaced the list with `hostname` (3.10.5+).
    StsEnforcement,
    /// posttls-finger arguments, or its compiled-in defaults.
    Finger {
        /// Whether the list is posttls-finger's compiled-in default.
        default: bool,
    },
    /// The level does not match names.
    NotApplicable,
}

/// The global level, as `global_tls_level()` computes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalLevel {
    /// The level, or `None` when `smtp_tls_security_level` is invalid (smtp(8) dies).
    pub level: Option<SecurityLevel>,
    /// How it was derived.
    pub source: LevelSource,
    /// The invalid value, when invalid.
    pub invalid_value: Option<String>,
}

/// `global_tls_level()`.
pub fn global_level(settings: &Settings) -> GlobalLevel {
    let raw = settings.get("smtp_tls_security_level").trim();
    if !raw.is_empty() {
        return match SecurityLevel::lookup(raw) {
            Some(level) => GlobalLevel { level: Some(level), source: LevelSource::GlobalLevel, invalid_value: None },
            None => GlobalLevel { level: None, source: LevelSource::GlobalLevel, invalid_value: Some(raw.to_string()) },
        };
    }
    let level = if settings.flag("smtp_enforce_tls") {
        if settings.flag("smtp_tls_enforce_peername") {
            SecurityLevel::Verify
        } else {
            SecurityLevel::Encrypt
        }
    } else if settings.flag("smtp_use_tls") {
        SecurityLevel::May
    } else {
        SecurityLevel::None
    };
    GlobalLevel { level: Some(level), source: LevelSource::LegacyParameters, invalid_value: None }
}

/// The policy for one destination/server pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectivePolicy {
    /// The walk through the table.
    pub walk: LookupWalk,
    /// The entry found, parsed.
    pub entry: Option<PolicyEntry>,
    /// The level in force.
    pub level: SecurityLevel,
    /// Where the level came from.
    pub level_source: LevelSource,
    /// Postfix marked the policy invalid: the delivery defers with `why`.
    pub invalid: bool,
    /// DSN and reason when invalid (4.7.5 "client TLS configuration problem" unless DANE
    /// says otherwise).
    pub why: (String, String),
    /// DANE set-up, at the dane and dane-only levels.
    pub dane: Option<crate::dane::setup::DaneSetup>,
    /// Warnings Postfix logs while building the policy, complete texts, in order.
    pub warnings: Vec<String>,
    /// The match list (names/strategies for verify/secure, digests for fingerprint).
    pub matches: Vec<String>,
    /// Where the match list came from.
    pub match_source: MatchSource,
    /// Digest for fingerprint matching.
    pub digest: DigestAlg,
    /// Trust anchors from `tafile` or `smtp_tls_trust_anchor_file`.
    pub trust_anchors: Option<Vec<Certificate>>,
    /// Cipher grade in force.
    pub cipher_grade: String,
    /// Cipher exclusions in force, space-separated as `set_cipher_grade()` joins them: the
    /// entry's `exclude`, else `smtp_tls_exclude_ciphers` (and at mandatory levels
    /// `smtp_tls_mandatory_exclude_ciphers`), then `eNULL` at encrypt or `aNULL` at the levels
    /// that match names.
    pub cipher_exclusions: String,
    /// Protocols in force.
    pub protocols: String,
    /// SNI setting (`servername`), if any.
    pub servername: Option<String>,
    /// MTA-STS attributes of the entry.
    pub sts: StsAttributes,
    /// Whether smtp(8) logs "effective TLS level" (it differs from the global level).
    pub effective_logged: bool,
}

/// Trust-anchor files the user supplied (path → certificates).
pub struct AnchorFiles<'a> {
    /// Supplied files.
    pub files: &'a std::collections::BTreeMap<String, Vec<Certificate>>,
}

impl TrustAnchorSource for AnchorFiles<'_> {
    fn load(&self, path: &str) -> Result<usize, String> {
        match self.files.get(path) {
            Some(certs) if !certs.is_empty() => Ok(certs.len()),
            Some(_) => Err(String::new()),
            None => Err(format!("error opening trust anchor file: {path}: No such file or directory")),
        }
    }
}

/// The server the policy is built for (DANE needs the host, its DNSSEC status and the MX).
pub struct ServerContext<'a> {
    /// MX host name.
    pub host: &'a str,
    /// TCP port.
    pub port: u16,
    /// The MX query name and whether the MX RRset was validated, when MX lookup was used.
    pub mx: Option<(&'a str, bool)>,
    /// DNS data.
    pub dns: &'a crate::dns::Dns,
}

/// The table title Postfix prints (`smtp_tls_policy_maps`).
pub const POLICY_TITLE: &str = "smtp_tls_policy_maps";

/// `policy_create()` for destination key `dest` (the next-hop string).
pub fn effective_policy(
    dest: &str,
    server: &ServerContext<'_>,
    global: &GlobalLevel,
    settings: &Settings,
    table: Option<&PolicyTable>,
    version: &PostfixVersion,
    anchors: &AnchorFiles<'_>,
) -> EffectivePolicy {
    let global_level = global.level.unwrap_or(SecurityLevel::None);
    let smtputf8 = settings.flag("smtputf8_enable");
    let walk = lookup(dest, table, smtputf8);
    let mut p = EffectivePolicy {
        walk,
        entry: None,
        level: global_level,
        level_source: global.source.clone(),
        invalid: false,
        why: ("4.7.5".to_string(), "client TLS configuration problem".to_string()),
        dane: None,
        warnings: Vec::new(),
        matches: Vec::new(),
        match_source: MatchSource::NotApplicable,
        digest: DigestAlg::parse(settings.get("smtp_tls_fingerprint_digest")).unwrap_or(DigestAlg::Md5),
        trust_anchors: None,
        cipher_grade: String::new(),
        cipher_exclusions: String::new(),
        protocols: String::new(),
        servername: None,
        sts: StsAttributes::default(),
        effective_logged: false,
    };
    let where_ = |key: &str| format!("{POLICY_TITLE}, next-hop destination \"{key}\"");

    if p.walk.errored() {
        p.warnings.push(format!("{}: policy table lookup error", where_(dest)));
        p.invalid = true;
        return p;
    }
    if let Some(probe) = p.walk.found().cloned() {
        if let ProbeResult::Found { row, value } = &probe.result {
            let ctx = EntryContext { version, enforce_sts_mx_patterns: settings.flag("smtp_tls_enforce_sts_mx_patterns") };
            let entry = parse_entry(value, &ctx, anchors);
            let mut fingerprint_warnings = match (&entry.matches, entry.level) {
                (Some(m), Some(SecurityLevel::Fingerprint)) if version.decodes_fingerprints_while_parsing() => {
                    fingerprint::decode_values(&m.iter().map(|x| x.text.clone()).collect::<Vec<_>>()).1
                }
                _ => Vec::new(),
            };
            for w in &entry.warnings {
                if w.text.is_empty() {
                    continue;
                }
                if w.invalidates {
                    // The fingerprints read before the attribute that stops the parse.
                    p.warnings.append(&mut fingerprint_warnings);
                }
                p.warnings.push(if w.prefixed { format!("{}: {}", where_(&probe.key), w.text) } else { w.text.clone() });
            }
            p.warnings.append(&mut fingerprint_warnings);
            let line = table.and_then(|t| t.rows.get(*row)).map(|r| r.line).unwrap_or(0);
            p.level_source = LevelSource::PolicyEntry { key: probe.key.clone(), line };
            if !entry.valid {
                p.invalid = true;
                p.entry = Some(entry);
                return p;
            }
            if let Some(level) = entry.level {
                p.level = level;
            }
            p.sts = entry.sts.clone();
            p.servername = entry.servername.clone();
            p.entry = Some(entry);
        }
    }

    if p.level.dane_based() {
        let setup = crate::dane::setup::dane_init(&crate::dane::setup::DaneInput {
            level: p.level,
            dest,
            host: server.host,
            port: server.port,
            mx: server.mx,
            settings,
            dns: server.dns,
            legacy: version.era() == crate::version::Era::Legacy,
        });
        p.warnings.extend(setup.warnings.iter().cloned());
        p.level = setup.level;
        if let Some(why) = setup.invalid.clone() {
            p.invalid = true;
            p.why = why;
            p.dane = Some(setup);
            return p;
        }
        p.dane = Some(setup);
    }

    let entry = p.entry.clone();
    let level = p.level;
    if level > SecurityLevel::None {
        let mandatory = level != SecurityLevel::May;
        let (grade_param, proto_param) =
            if mandatory { ("smtp_tls_mandatory_ciphers", "smtp_tls_mandatory_protocols") } else { ("smtp_tls_ciphers", "smtp_tls_protocols") };
        p.cipher_grade = entry.as_ref().and_then(|e| e.ciphers.clone()).unwrap_or_else(|| settings.get(grade_param).to_string());
        p.protocols = entry.as_ref().and_then(|e| e.protocols.clone()).unwrap_or_else(|| settings.get(proto_param).to_string());
        let (mandatory_exclude, also_exclude) = match level {
            SecurityLevel::May => ("", ""),
            SecurityLevel::Encrypt => (settings.get("smtp_tls_mandatory_exclude_ciphers"), "eNULL"),
            _ => (settings.get("smtp_tls_mandatory_exclude_ciphers"), "aNULL"),
        };
        let listed: Vec<&str> = match entry.as_ref().and_then(|e| e.exclude.as_deref()) {
            Some(exclude) => vec![exclude, also_exclude],
            None => vec![settings.get("smtp_tls_exclude_ciphers"), mandatory_exclude, also_exclude],
        };
        p.cipher_exclusions = listed.into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(" ");
        let sni = settings.get("smtp_tls_servername");
        if p.servername.is_none() && !sni.is_empty() && version.knows_servername() {
            // policy_create(): an invalid main.cf name makes the policy invalid, as an invalid
            // servername= attribute does.
            if !crate::input::hostname::valid_hostname(sni) {
                p.warnings.push(format!("\"smtp_tls_servername = {sni}\" specifies an invalid hostname"));
                p.invalid = true;
                return p;
            }
            p.servername = Some(sni.to_string());
        }
    }
    let entry_matches: Option<Vec<String>> = entry.as_ref().and_then(|e| e.matches.as_ref()).map(|m| m.iter().map(|x| x.text.clone()).collect());
    let forced = entry.as_ref().is_some_and(|e| e.sts_forced_hostname);
    match level {
        SecurityLevel::Fingerprint => {
            let (values, source) = match entry_matches {
                Some(m) => (m, MatchSource::PolicyAttribute),
                None => {
                    let raw = settings.get("smtp_tls_fingerprint_cert_match");
                    let values = raw.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect();
                    (values, param_source(settings, "smtp_tls_fingerprint_cert_match"))
                }
            };
            let usable = if version.fingerprint_colons_optional() {
                let (decoded, warnings) = fingerprint::decode_values(&values);
                // Warned about as the entry was read (above), or now.
                if source != MatchSource::PolicyAttribute || !version.decodes_fingerprints_while_parsing() {
                    p.warnings.extend(warnings);
                }
                !decoded.is_empty()
            } else {
                !values.is_empty()
            };
            p.matches = values;
            p.match_source = source;
            if !usable {
                p.warnings.push(format!(
                    "nexthop domain {dest}: configured at fingerprint security level, but with no fingerprints to match."
                ));
                p.invalid = true;
                return p;
            }
        }
        SecurityLevel::Verify | SecurityLevel::Secure => {
            let param = if level == SecurityLevel::Verify { "smtp_tls_verify_cert_match" } else { "smtp_tls_secure_cert_match" };
            match entry_matches {
                Some(m) => {
                    p.matches = m;
                    p.match_source = if forced { MatchSource::StsEnforcement } else { MatchSource::PolicyAttribute };
                }
                None => {
                    p.matches = settings
                        .get(param)
                        .split(|c: char| c == ',' || c == ':' || c.is_ascii_whitespace())
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    p.match_source = param_source(settings, param);
                }
            }
            let tafiles: Vec<String> = entry.as_ref().map(|e| e.tafiles.iter().map(|t| t.path.clone()).collect()).unwrap_or_default();
            let ta_paths = if tafiles.is_empty() {
                let main = settings.get("smtp_tls_trust_anchor_file");
                main.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
            } else {
                tafiles.clone()
            };
            if !ta_paths.is_empty() {
                let mut certs = Vec::new();
                for path in &ta_paths {
                    match anchors.files.get(path) {
                        Some(c) => certs.extend(c.iter().cloned()),
                        None if tafiles.is_empty() => {
                            p.warnings.push(format!("error opening trust anchor file: {path}: No such file or directory"));
                            p.invalid = true;
                            return p;
                        }
                        None => {}
                    }
                }
                p.trust_anchors = Some(certs);
            }
        }
        _ => {}
    }
    p.effective_logged = global.level != Some(p.level);
    p
}

fn param_source(settings: &Settings, param: &str) -> MatchSource {
    if settings.is_explicit(param) {
        MatchSource::MainCf { parameter: param.to_string() }
    } else {
        MatchSource::BuiltInDefault { parameter: param.to_string() }
    }
}

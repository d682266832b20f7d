//! The main.cf parameters that decide outbound TLS, with Postfix's per-version defaults and
//! where each value came from (spec §8).

use crate::diag::Span;
use crate::input::maincf::{MainCf, MasterService};
use crate::version::{CompatLevel, PostfixVersion};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a setting's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SettingSource {
    /// Written in main.cf (or `postconf -n` output) at this line.
    MainCf {
        /// 1-based line.
        line: usize,
        /// Span of the value.
        span: Span,
    },
    /// A `-o name=value` override (posttls-finger).
    Override,
    /// A master.cf `-o name=value` of the service that delivers the mail.
    MasterCf {
        /// The service, `name/type`.
        service: String,
        /// 1-based line.
        line: usize,
        /// Span of the value.
        span: Span,
    },
    /// Postfix's built-in default for this version.
    Default {
        /// Why this default applies (e.g. "compatibility_level 3.6 ≥ 3.6").
        note: String,
    },
}

/// One parameter value with its source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// Parameter name.
    pub name: String,
    /// Value after `$name` expansion.
    pub value: String,
    /// Where it came from.
    pub source: SettingSource,
}

/// Parameters the engine consults, by name.
pub const TLS_PARAMETERS: &[&str] = &[
    "compatibility_level",
    "smtp_tls_security_level",
    "smtp_use_tls",
    "smtp_enforce_tls",
    "smtp_tls_enforce_peername",
    "smtp_tls_per_site",
    "smtp_tls_policy_maps",
    "smtp_tls_verify_cert_match",
    "smtp_tls_secure_cert_match",
    "smtp_tls_fingerprint_cert_match",
    "smtp_tls_fingerprint_digest",
    "smtp_tls_CAfile",
    "smtp_tls_CApath",
    "tls_append_default_CA",
    "smtp_tls_servername",
    "smtp_tls_trust_anchor_file",
    "smtp_tls_enforce_sts_mx_patterns",
    "smtputf8_enable",
    "tls_wildcard_matches_multiple_labels",
    "smtp_tls_loglevel",
    "smtp_tls_scert_verifydepth",
    "smtp_tls_mandatory_ciphers",
    "smtp_tls_ciphers",
    "smtp_tls_exclude_ciphers",
    "smtp_tls_mandatory_exclude_ciphers",
    "smtp_dns_support_level",
    "smtp_tls_dane_insecure_mx_policy",
    "relayhost",
    "default_transport",
    "transport_maps",
    "smtp_fallback_relay",
    "smtp_mx_address_limit",
    "smtp_tls_wrappermode",
    "smtp_tls_connection_reuse",
    "tlsproxy_service_name",
    "daemon_directory",
    "myhostname",
];

/// Output bytes plus work all `$name` expansions of one [`Settings::resolve`] may take: eight
/// times the largest main.cf accepted ([`crate::limits::MAIN_CF_MAX`]), so every value of a real main.cf
/// expands in full, while a self-referencing one cannot make a resolve take more than a few
/// milliseconds (fuzzing found one that took 38 ms with 16 Mi).
pub const RESOLVE_EXPAND_BUDGET: usize = 1 << 20;

/// Whether the engine reads parameter `name` (it is expanded first).
fn is_read(name: &str) -> bool {
    TLS_PARAMETERS.contains(&name) || matches!(name, "smtp_tls_protocols" | "smtp_tls_mandatory_protocols")
}

/// The effective values of every TLS-relevant parameter for one Postfix version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Every consulted parameter, by name.
    pub values: BTreeMap<String, Setting>,
    /// The master.cf services pasted with main.cf, see [`Settings::master_cf_lacks`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<MasterService>,
}

impl Settings {
    /// Resolves every parameter from `main_cf`, then `overrides` (`-o`), then defaults.
    pub fn resolve(main_cf: &MainCf, overrides: &BTreeMap<String, String>, version: &PostfixVersion) -> Settings {
        Settings::resolve_as(main_cf, None, overrides, version)
    }

    /// As [`Settings::resolve`], for a process of master.cf service `service` (`name/type`,
    /// e.g. `relay/unix`): its pasted `-o name=value` overrides win over main.cf (spec §8:
    /// parameters are per process), and `$name` in any value sees them.
    pub fn resolve_as(main_cf: &MainCf, service: Option<&str>, overrides: &BTreeMap<String, String>, version: &PostfixVersion) -> Settings {
        let mut values = BTreeMap::new();
        for (name, value) in overrides {
            values.insert(name.clone(), Setting { name: name.clone(), value: value.clone(), source: SettingSource::Override });
        }
        // Only main.cf settings: pasted master.cf `-o` lines apply to one service, not to all.
        let from_main_cf = || main_cf.params.iter().filter(|p| p.origin == crate::input::maincf::ParamOrigin::MainCf);
        // One name table for every value, and one expansion budget for all of them, spent on
        // the parameters the engine reads first: hostile `$` chains cannot starve them, and
        // thousands of parameters referring to one huge value cannot fill memory.
        let expansion = main_cf.expansion(service);
        let mut budget = RESOLVE_EXPAND_BUDGET;
        let read = from_main_cf().filter(|p| is_read(&p.name));
        for p in read.chain(from_main_cf().filter(|p| !is_read(&p.name))) {
            if !overrides.contains_key(&p.name) {
                let value = expansion.expand_within(&p.value, &mut budget);
                values.insert(
                    p.name.clone(),
                    Setting { name: p.name.clone(), value, source: SettingSource::MainCf { line: p.line, span: p.value_span } },
                );
            }
        }
        for p in service.into_iter().flat_map(|service| main_cf.overrides_for(service)) {
            if !overrides.contains_key(&p.name) {
                let value = expansion.expand_within(&p.value, &mut budget);
                let source = SettingSource::MasterCf { service: p.service.clone().unwrap_or_default(), line: p.line, span: p.value_span };
                values.insert(p.name.clone(), Setting { name: p.name.clone(), value, source });
            }
        }
        let mut settings = Settings { values, services: main_cf.services.clone() };
        for name in TLS_PARAMETERS {
            if !settings.values.contains_key(*name) {
                let (value, note) = settings.default_for(name, version);
                settings.values.insert(
                    name.to_string(),
                    Setting { name: name.to_string(), value, source: SettingSource::Default { note } },
                );
            }
        }
        settings
    }

    /// The built-in default of `name` for `version`, given the settings resolved so far.
    fn default_for(&self, name: &str, version: &PostfixVersion) -> (String, String) {
        let compat = self.compat_level();
        let v = |s: &str| s.to_string();
        match name {
            "compatibility_level" => (v("0"), v("built-in default")),
            "smtp_tls_security_level" => {
                if version.has_may_default_security_level() && compat.at_least(3, 11) {
                    (v("may"), v("3.11+ with compatibility_level ≥ 3.11"))
                } else {
                    (v(""), v("empty: the legacy smtp_use_tls / smtp_enforce_tls settings decide"))
                }
            }
            "smtp_use_tls" | "smtp_enforce_tls" => (v("no"), v("built-in default")),
            "smtp_tls_enforce_peername" => (v("yes"), v("built-in default")),
            "smtp_tls_verify_cert_match" => (v("hostname"), v("built-in default")),
            "smtp_tls_secure_cert_match" => (v("nexthop, dot-nexthop"), v("built-in default")),
            "smtp_tls_fingerprint_digest" => {
                if version.has_dotted_compatibility_levels() && compat.at_least(3, 6) {
                    (v("sha256"), v("3.6+ with compatibility_level ≥ 3.6"))
                } else if version.has_dotted_compatibility_levels() {
                    (v("md5"), v("backwards-compatible default: compatibility_level < 3.6"))
                } else {
                    (v("md5"), v("built-in default before 3.6"))
                }
            }
            "smtp_tls_enforce_sts_mx_patterns" => (v("yes"), v("built-in default (3.10.5+)")),
            "smtputf8_enable" => {
                if compat.at_least(1, 0) {
                    (v("yes"), v("compatibility_level ≥ 1"))
                } else {
                    (v("no"), v("compatibility_level < 1"))
                }
            }
            "tls_wildcard_matches_multiple_labels" => (v("yes"), v("built-in default (used by ≤3.5 only)")),
            "smtp_tls_loglevel" => (v("0"), v("built-in default")),
            "smtp_tls_scert_verifydepth" => (v("9"), v("built-in default")),
            "smtp_mx_address_limit" => (v("5"), v("built-in default")),
            "smtp_tls_mandatory_ciphers" | "smtp_tls_ciphers" => (v("medium"), v("built-in default")),
            "smtp_dns_support_level" => (v(""), v("built-in default")),
            "smtp_tls_dane_insecure_mx_policy" => {
                if version.insecure_mx_policy_defaults_to_dane() {
                    (v("dane"), v("3.6.17/3.7.13/3.8.8/3.9.2/3.10.0 and later"))
                } else {
                    let global = self.get("smtp_tls_security_level");
                    let d = if global.eq_ignore_ascii_case("dane") { "dane" } else { "may" };
                    (v(d), v("older default: dane when smtp_tls_security_level = dane, else may"))
                }
            }
            "tls_append_default_CA" | "smtp_tls_wrappermode" | "smtp_tls_connection_reuse" => (v("no"), v("built-in default")),
            "tlsproxy_service_name" => (v("tlsproxy"), v("built-in default")),
            "default_transport" => (v("smtp"), v("built-in default")),
            "daemon_directory" => (v("/usr/libexec/postfix"), v("built-in default")),
            "myhostname" => (v("localhost.localdomain"), v("placeholder: the host's name")),
            _ => (v(""), v("built-in default")),
        }
    }

    /// Whether a whole master.cf was pasted (one has the pickup, cleanup and qmgr services that
    /// every Postfix needs) and it defines no unix service `name`: a part of master.cf pasted to
    /// show one service's `-o` overrides says nothing about the others.
    pub fn master_cf_lacks(&self, name: &str) -> bool {
        let has = |service: &str| self.services.iter().any(|s| s.service == service);
        ["pickup/unix", "cleanup/unix", "qmgr/unix"].iter().all(|s| has(s)) && !has(&format!("{name}/unix"))
    }

    /// Whether the pasted master.cf runs the SMTP client for transport `name` (a
    /// `name unix … smtp` line): mail routed to `name:` is then delivered with TLS decisions
    /// like `smtp:`.
    pub fn runs_smtp_client(&self, name: &str) -> bool {
        self.service_command(name) == Some("smtp")
    }

    /// Whether transport `name` runs the LMTP client: a pasted `name unix … lmtp` line, or
    /// `lmtp` itself when no pasted line says otherwise (Postfix's own master.cf has
    /// `lmtp unix … lmtp`). The LMTP client decides TLS with the `lmtp_tls_*` parameters.
    pub fn runs_lmtp_client(&self, name: &str) -> bool {
        match self.service_command(name) {
            Some(command) => command == "lmtp",
            None => name == "lmtp",
        }
    }

    /// The command of the pasted master.cf's unix service `name`, if one was pasted.
    fn service_command(&self, name: &str) -> Option<&str> {
        let service = format!("{name}/unix");
        self.services.iter().rev().find(|s| s.service == service).map(|s| s.command.as_str())
    }

    /// The value of `name`, or "" when unknown.
    pub fn get(&self, name: &str) -> &str {
        self.values.get(name).map(|s| s.value.as_str()).unwrap_or("")
    }

    /// The setting for `name`.
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.values.get(name)
    }

    /// A yes/no parameter (Postfix accepts yes/no, true/false, case-insensitively).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name).trim().to_ascii_lowercase().as_str(), "yes" | "true" | "1")
    }

    /// Whether `name` was set explicitly (main.cf or an override) rather than defaulted.
    pub fn is_explicit(&self, name: &str) -> bool {
        !matches!(self.values.get(name).map(|s| &s.source), None | Some(SettingSource::Default { .. }))
    }

    /// `compatibility_level` as a number (unparseable values count as 0).
    pub fn compat_level(&self) -> CompatLevel {
        CompatLevel::parse(self.get("compatibility_level")).unwrap_or(CompatLevel { major: 0, minor: 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::maincf::parse_main_cf;

    fn settings(text: &str, version: &str) -> Settings {
        Settings::resolve(&parse_main_cf(text), &BTreeMap::new(), &PostfixVersion::parse(version).unwrap())
    }

    #[test]
    fn fingerprint_digest_default_follows_version_and_compat() {
        assert_eq!(settings("compatibility_level = 3.6", "3.7.11").get("smtp_tls_fingerprint_digest"), "sha256");
        assert_eq!(settings("compatibility_level = 2", "3.7.11").get("smtp_tls_fingerprint_digest"), "md5");
        assert_eq!(settings("compatibility_level = 2", "3.5.27").get("smtp_tls_fingerprint_digest"), "md5");
    }

    #[test]
    fn security_level_default_is_may_only_from_3_11_with_compat() {
        assert_eq!(settings("compatibility_level = 3.11", "3.11.6").get("smtp_tls_security_level"), "may");
        assert_eq!(settings("compatibility_level = 3.6", "3.11.6").get("smtp_tls_security_level"), "");
        assert_eq!(settings("", "3.7.11").get("smtp_tls_security_level"), "");
    }

    #[test]
    fn many_parameters_expand_in_linear_time_within_one_budget() {
        // 20,000 parameters, each naming a 50 KB value: 1 GB if each were expanded in full.
        let mut text = format!("big = {}\n", "x".repeat(50_000));
        text.extend((0..20_000).map(|i| format!("p{i} = $big\n")));
        text.push_str("smtp_tls_policy_maps = hash:$config_directory/$big_dir\nconfig_directory = /etc/postfix\nbig_dir = tls_policy\n");
        let start = std::time::Instant::now();
        let s = settings(&text, "3.11.6");
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
        assert_eq!(s.get("smtp_tls_policy_maps"), "hash:/etc/postfix/tls_policy");
        let total: usize = s.values.values().map(|v| v.value.len()).sum();
        assert!(total <= 2 * RESOLVE_EXPAND_BUDGET + text.len(), "{total}");
        assert_eq!(s.get("p0").len(), 50_000);
    }

    #[test]
    fn master_cf_overrides_do_not_change_main_cf_settings() {
        let s = settings("smtp_tls_security_level = may\n  -o smtp_tls_security_level=encrypt\n", "3.7.11");
        assert_eq!(s.get("smtp_tls_security_level"), "may");
    }

    #[test]
    fn main_cf_values_carry_their_line() {
        let s = settings("# x\nsmtp_tls_security_level = verify\n", "3.7.11");
        let setting = s.setting("smtp_tls_security_level").unwrap();
        assert_eq!(setting.value, "verify");
        assert!(matches!(setting.source, SettingSource::MainCf { line: 2, .. }));
        assert!(!s.is_explicit("smtp_tls_secure_cert_match"));
    }
}

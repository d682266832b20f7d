//! `explain(scenario) -> report`: parse every input, run smtp(8) or posttls-finger, build the
//! trace, and look for fixes. The only public entry point renderers need.

use crate::cert::chain::TrustStore;
use crate::cert::Certificate;
use crate::config::Settings;
use crate::delivery::{deliver, DeliveryRequest, ServerSide, Status};
use crate::diag::{Diagnostic, Source};
use crate::dns::{Dns, MxEntry};
use crate::input::addresses::parse_addresses;
use crate::input::maincf::parse_main_cf;
use crate::input::mx::parse_mx;
use crate::input::table::parse_table;
use crate::nexthop::{route, DestinationInput};
use crate::policy::effective::{global_level, AnchorFiles};
use crate::memo::{CertificateMemo, Memo, TableMemo};
use std::rc::Rc;
use crate::policy::lookup::{MapKind, PolicyTable, TableRow};
use crate::report::{CertificateView, Report, Verdict, REPORT_SCHEMA};
use crate::scenario::{CaTrust, Probe, Scenario};
use crate::tls::session::ServerBehaviour;
use crate::tls::verify::TrustBasis;
use crate::version::PostfixVersion;
use std::collections::BTreeMap;

/// Everything parsed from a scenario, before any decision.
pub struct Prepared {
    /// Version.
    pub version: PostfixVersion,
    /// Evaluation time.
    pub at: Option<i64>,
    /// Settings.
    pub settings: Settings,
    /// The policy table as Postfix would use it.
    pub table: Option<Rc<PolicyTable>>,
    /// Transport entries.
    pub transport: Vec<crate::input::table::TableEntry>,
    /// DNS.
    pub dns: Dns,
    /// Chains per host ("" = default).
    pub chains: Vec<(String, Vec<Certificate>)>,
    /// Trust.
    pub trust: TrustBasis,
    /// tafile contents.
    pub anchor_files: BTreeMap<String, Vec<Certificate>>,
    /// Diagnostics so far.
    pub diagnostics: Vec<Diagnostic>,
}

/// The verdict status of mail that a transport other than smtp(8) takes.
pub const NOT_SMTP: &str = "not-smtp";

/// The verdict status of mail that the LMTP client takes: it makes its own TLS decision,
/// with the `lmtp_tls_*` parameters, which the engine does not model.
pub const LMTP: &str = "lmtp";

/// Map kind and file of `smtp_tls_policy_maps` (the first map listed).
fn map_spec(value: &str) -> Option<(MapKind, String, String)> {
    let first = value.split(|c: char| c == ',' || c.is_whitespace()).find(|s| !s.is_empty())?;
    let (kind, file) = first.split_once(':').unwrap_or(("hash", first));
    let k = match kind.to_ascii_lowercase().as_str() {
        "texthash" => MapKind::TextHash,
        "inline" => MapKind::Inline,
        _ => MapKind::Postmap,
    };
    Some((k, first.to_string(), file.to_string()))
}

fn parse_chains(scenario: &Scenario, certs: &mut CertificateMemo, diagnostics: &mut Vec<Diagnostic>) -> Vec<(String, Vec<Certificate>)> {
    let mut chains = Vec::new();
    for (i, served) in scenario.certificates.iter().enumerate() {
        let parsed = certs.parse(&served.pem, Source::Certificates(i));
        diagnostics.extend(parsed.diagnostics);
        chains.push((served.host.trim().to_lowercase(), parsed.certificates));
    }
    chains
}

fn dns_from_text(scenario: &Scenario, diagnostics: &mut Vec<Diagnostic>) -> Dns {
    let mut dns = Dns::default();
    let mx = parse_mx(&scenario.mx);
    diagnostics.extend(mx.diagnostics.clone());
    for r in &mx.records {
        let entry = MxEntry { pref: r.preference, host: r.exchange.clone() };
        match &r.owner {
            Some(owner) => dns.mx.entry(owner.trim_end_matches('.').to_lowercase()).or_default().push(entry),
            None => dns.unowned_mx.push(entry),
        }
    }
    let addresses = parse_addresses(&scenario.addresses);
    diagnostics.extend(addresses.diagnostics.clone());
    for a in mx.addresses.iter().chain(addresses.records.iter()) {
        dns.addresses.entry(a.host.trim_end_matches('.').to_lowercase()).or_default().push(a.address.to_string());
    }
    let tlsa = crate::input::tlsa::parse_tlsa(&scenario.tlsa);
    diagnostics.extend(tlsa.diagnostics.clone());
    for r in tlsa.records {
        match r.owner {
            Some(owner) => dns.tlsa.entry(owner).or_default().push(r.rdata),
            None => dns.unowned_tlsa.push(r.rdata),
        }
    }
    dns.default_secure = tlsa.dnssec_ad.unwrap_or(scenario.dnssec_validated);
    for name in &scenario.insecure_names {
        for rtype in ["MX", "A", "AAAA", "TLSA"] {
            dns.set_dnssec(name, rtype, crate::dns::DnssecStatus { ad: false, rcode: "NOERROR".into() });
        }
    }
    dns
}

/// Reads the policy table text: its findings, and the table smtp(8) would use when
/// `smtp_tls_policy_maps` names one (`spec`: map kind, `type:name`, file name).
fn read_policy_table(text: &str, spec: Option<&(MapKind, String, String)>) -> (Vec<Diagnostic>, Option<Rc<PolicyTable>>) {
    let mut policy_file = parse_table(text, Source::PolicyTable);
    let table = spec.map(|(kind, title, file)| {
        let rows = std::mem::take(&mut policy_file.entries)
            .into_iter()
            .map(|e| TableRow { key: e.key, value: e.value, line: e.line, key_span: e.key_span, value_span: e.value_span })
            .collect();
        let mut table = PolicyTable::new(*kind, title, file, rows);
        if *kind == MapKind::TextHash {
            table.load_warnings = policy_file
                .diagnostics
                .iter()
                .filter(|d| d.code != "table.duplicate-key")
                .filter_map(|d| d.params.get("postfix_warning"))
                .map(|w| w.replace("FILE", file))
                .collect();
        }
        Rc::new(table)
    });
    (policy_file.diagnostics, table)
}

/// Parses and resolves every input of `scenario`.
pub fn prepare(scenario: &Scenario) -> Prepared {
    let (bounded, cuts) = crate::limits::enforce(scenario);
    prepare_bounded(&bounded, cuts, None, &mut CertificateMemo::default())
}

/// [`prepare`] for a scenario already passed through [`crate::limits::enforce`], whose
/// diagnostics are `cuts`; `tables` and `certs` keep what was read for the next explanation.
fn prepare_bounded(scenario: &Scenario, cuts: Vec<Diagnostic>, tables: Option<&mut TableMemo>, certs: &mut CertificateMemo) -> Prepared {
    let mut diagnostics = cuts;
    let version = match PostfixVersion::parse(&scenario.postfix_version) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error("scenario.bad-version", Source::Scenario, e)
                .hint(format!("Using {} instead.", crate::version::DEFAULT_VERSION))
                .param("version", scenario.postfix_version.trim())
                .param("default", crate::version::DEFAULT_VERSION);
            if PostfixVersion::is_outside_range(&scenario.postfix_version) {
                let (oldest, newest) = (crate::version::OLDEST, crate::version::NEWEST);
                d = d
                    .param("variant", "unsupported")
                    .param("oldest", format!("{}.{}", oldest.0, oldest.1))
                    .param("newest", format!("{}.{}", newest.0, newest.1));
            }
            diagnostics.push(d);
            PostfixVersion::parse(crate::version::DEFAULT_VERSION).unwrap_or_else(|_| PostfixVersion::new(3, 11, 6))
        }
    };
    let at = scenario.evaluated_at.as_deref().and_then(|t| {
        let parsed = crate::cert::time::parse_rfc3339(t);
        if parsed.is_none() {
            diagnostics.push(
                Diagnostic::error("scenario.bad-time", Source::Scenario, format!("\"{t}\" is not an RFC 3339 time"))
                    .hint("Use e.g. 2026-11-23T04:07:48Z.")
                    .param("time", t),
            );
        }
        parsed
    });

    let main_cf = parse_main_cf(&scenario.main_cf);
    diagnostics.extend(main_cf.diagnostics.clone());
    let overrides = BTreeMap::new();
    let settings = Settings::resolve(&main_cf, &overrides, &version);
    diagnostics.extend(unknown_digest(&main_cf));
    diagnostics.extend(unmodelled_digest(scenario, &main_cf));
    let transport_file = parse_table(&scenario.transport_table, Source::TransportTable);
    diagnostics.extend(transport_file.diagnostics.clone());
    let transport = transport_file.entries;
    // The smtp(8) process that delivers uses its master.cf service's `-o` overrides.
    let settings = match delivering_service(scenario, &transport, &settings) {
        Some(service) if main_cf.overrides_for(&service).next().is_some() => Settings::resolve_as(&main_cf, Some(&service), &overrides, &version),
        _ => settings,
    };

    let maps_value = settings.get("smtp_tls_policy_maps").to_string();
    let spec = if maps_value.trim().is_empty() && scenario.main_cf.trim().is_empty() && !scenario.policy_table.trim().is_empty() {
        Some((MapKind::Postmap, "hash:/etc/postfix/tls_policy".to_string(), "/etc/postfix/tls_policy".to_string()))
    } else {
        map_spec(&maps_value)
    };
    let spec = spec.map(|(kind, title, file)| (kind, title, if scenario.policy_file.is_empty() { file } else { scenario.policy_file.clone() }));
    let (policy_diagnostics, table) = match tables {
        Some(memo) => memo.policy_table(&scenario.policy_table, spec.as_ref(), || read_policy_table(&scenario.policy_table, spec.as_ref())),
        None => read_policy_table(&scenario.policy_table, spec.as_ref()),
    };
    diagnostics.extend(policy_diagnostics);
    if spec.is_none() && !scenario.policy_table.trim().is_empty() {
        diagnostics.push(
            Diagnostic::warning("maincf.no-policy-maps", Source::MainCf, "main.cf does not set smtp_tls_policy_maps: Postfix never reads this policy table")
                .hint("Add e.g. smtp_tls_policy_maps = hash:/etc/postfix/tls_policy (and run postmap)."),
        );
    }
    diagnostics.extend(policy_maps_notes(&main_cf));
    diagnostics.extend(unmodelled_per_site(scenario, &settings));


    let dns = match &scenario.dns {
        Some(dns) => dns.clone(),
        None => dns_from_text(scenario, &mut diagnostics),
    };
    let chains = parse_chains(scenario, certs, &mut diagnostics);

    // tls_set_ca_certificate_info(): tls_append_default_CA appends the system's CAs only
    // when a CAfile or CApath is loaded; alone it trusts nothing.
    let ca_configured = !settings.get("smtp_tls_CAfile").trim().is_empty() || !settings.get("smtp_tls_CApath").trim().is_empty();
    let main_cf_given = !scenario.main_cf.trim().is_empty();
    let trust = if let Probe::Finger { args, .. } = &scenario.probe {
        // posttls-finger reads no CAfile or CApath from main.cf: only -F and -P (default none).
        let named = |flag: &str| args.windows(2).any(|w| w[0] == flag && !w[1].trim().is_empty());
        if named("-F") || named("-P") {
            None
        } else {
            diagnostics.push(
                Diagnostic::warning("scenario.finger-no-ca", Source::Scenario, "posttls-finger is given neither -F CAfile nor -P CApath: it trusts no CA at all")
                    .hint("Add -F /etc/ssl/certs/ca-certificates.crt (or -P /etc/ssl/certs) to its options, as you would on the command line."),
            );
            Some(TrustBasis::Nothing)
        }
    } else if main_cf_given && !ca_configured {
        diagnostics.push(
            Diagnostic::warning("maincf.no-ca", Source::MainCf, "Neither smtp_tls_CAfile nor smtp_tls_CApath is set: Postfix trusts no CA at all")
                .hint("If your main.cf sets smtp_tls_CApath (e.g. /etc/ssl/certs), paste that line too."),
        );
        Some(TrustBasis::Nothing)
    } else {
        None
    };
    let trust = if let Some(trust) = trust {
        trust
    } else {
        match scenario.ca_trust {
            CaTrust::Trusted | CaTrust::Unknown => TrustBasis::AssumeTrusted,
            CaTrust::Untrusted => TrustBasis::AssumeUntrusted,
            CaTrust::Bundle => {
                let parsed = certs.parse(&scenario.ca_bundle, Source::CaBundle);
                diagnostics.extend(parsed.diagnostics);
                TrustBasis::Store(TrustStore { anchors: parsed.certificates })
            }
        }
    };
    let mut anchor_files = BTreeMap::new();
    for (path, pem) in &scenario.trust_anchor_files {
        let parsed = certs.parse(pem, Source::CaBundle);
        anchor_files.insert(path.clone(), parsed.certificates);
    }
    Prepared { version, at, settings, table, transport, dns, chains, trust, anchor_files, diagnostics }
}

/// The master.cf service (`name/unix`) of the smtp(8) process that delivers the scenario's
/// mail: the transport table's transport, else `default_transport`'s (also for a relayhost);
/// none for a posttls-finger probe or without a destination.
fn delivering_service(scenario: &Scenario, transport: &[crate::input::table::TableEntry], settings: &Settings) -> Option<String> {
    if !matches!(scenario.probe, Probe::Smtp) {
        return None;
    }
    let input = DestinationInput::parse(&scenario.destination)?;
    let default_transport = settings.get("default_transport");
    let route = route(&input, transport, settings.get("relayhost"), default_transport);
    Some(format!("{}/unix", route.transport(default_transport)))
}

/// Lookup tables whose keys are patterns, not names: a pasted table of theirs is not read as
/// Postfix reads it.
const PATTERN_MAP_TYPES: &[&str] = &["regexp", "pcre", "cidr"];

/// What the engine cannot read as Postfix does in `smtp_tls_policy_maps` (its last main.cf
/// setting): several tables (Postfix asks each of them for every lookup key, in order; the
/// pasted table is taken as the first), and a first table of a pattern type.
fn policy_maps_notes(main_cf: &crate::input::maincf::MainCf) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    let Some(p) = main_cf.get("smtp_tls_policy_maps") else { return notes };
    let tables: Vec<&str> = p.value.split(|c: char| c == ',' || c.is_whitespace()).filter(|t| !t.is_empty()).collect();
    let Some(first) = tables.first() else { return notes };
    if tables.len() > 1 {
        notes.push(
            Diagnostic::info(
                "maincf.several-policy-maps",
                Source::MainCf,
                format!("smtp_tls_policy_maps lists {} tables: for each lookup key Postfix asks them in order and the first that has the key wins; the pasted table is read as {first}", tables.len()),
            )
            .at(p.value_span)
            .hint("To see them together, paste the first table's lines, then the others' in order: a key's first line wins, as the first table that has it does.")
            .param("count", tables.len().to_string())
            .param("first", first.to_string()),
        );
    }
    let kind = first.strip_prefix("proxy:").unwrap_or(first).split(':').next().unwrap_or_default().to_ascii_lowercase();
    if PATTERN_MAP_TYPES.contains(&kind.as_str()) {
        notes.push(
            Diagnostic::warning(
                "maincf.pattern-policy-map",
                Source::MainCf,
                format!("{first} matches each lookup key against patterns, which peername does not evaluate: it reads the pasted lines as exact keys"),
            )
            .at(p.value_span)
            .hint("Paste the entries as name value lines (the keys Postfix looks up: the next-hop, then .parent domains) to see the decision.")
            .param("table", first.to_string()),
        );
    }
    notes
}

/// `smtp_tls_per_site` in force: Postfix reads the legacy per-site table only when
/// `smtp_tls_policy_maps` is empty (`smtp_tls_list_init()`), and the engine does not read it,
/// so the explanation is right only when neither the next-hop nor a server hostname is listed.
/// With a policy table the setting is ignored, and smtp(8) says so (`delivery`).
fn unmodelled_per_site(scenario: &Scenario, settings: &Settings) -> Option<Diagnostic> {
    if !matches!(scenario.probe, Probe::Smtp) || !settings.get("smtp_tls_policy_maps").trim().is_empty() {
        return None;
    }
    let table = settings.get("smtp_tls_per_site").trim();
    if table.is_empty() {
        return None;
    }
    let mut d = Diagnostic::warning(
        "maincf.per-site-not-modelled",
        Source::MainCf,
        format!("peername does not read the legacy smtp_tls_per_site table {table}: Postfix looks up the next-hop and each server hostname in it (NONE, MAY, MUST_NOPEERMATCH, MUST); this explanation assumes neither is listed"),
    )
    .hint("Move its entries to smtp_tls_policy_maps (NONE → none, MAY → may, MUST_NOPEERMATCH → encrypt, MUST → verify) and paste that table: Postfix has preferred it since 2.3.")
    .param("table", table.to_string());
    if let Some(crate::config::Setting { source: crate::config::SettingSource::MainCf { span, .. } | crate::config::SettingSource::MasterCf { span, .. }, .. }) =
        settings.setting("smtp_tls_per_site")
    {
        d = d.at(*span);
    }
    Some(d)
}

/// A digest OpenSSL knows but the engine does not compute (SHA-3, BLAKE2, SM3…), from
/// posttls-finger's `-d` or main.cf's `smtp_tls_fingerprint_digest`: fingerprints are then
/// compared as SHA-256, which Postfix would not do.
fn unmodelled_digest(scenario: &Scenario, main_cf: &crate::input::maincf::MainCf) -> Option<Diagnostic> {
    use crate::cert::fingerprint::DigestAlg;
    let from_args = match &scenario.probe {
        Probe::Finger { args, .. } => args.windows(2).rev().find(|w| w[0] == "-d").map(|w| (w[1].clone(), None)),
        Probe::Smtp => None,
    };
    let (value, span) = from_args.or_else(|| main_cf.get("smtp_tls_fingerprint_digest").map(|p| (p.value.clone(), Some(p.value_span))))?;
    if DigestAlg::parse(&value).is_some() || !DigestAlg::known_to_openssl(value.trim()) {
        return None;
    }
    let source = if span.is_some() { Source::MainCf } else { Source::Scenario };
    let mut d = Diagnostic::warning("scenario.digest-not-modelled", source, format!("peername does not compute {value} digests: fingerprints are compared as SHA-256 here, which Postfix would not do"))
        .hint("Use md5, sha1, sha224, sha256, sha384 or sha512 (and their SHA-512/t forms) to see Postfix's fingerprint matching.")
        .param("digest", value.clone());
    if let Some(span) = span {
        d = d.at(span);
    }
    Some(d)
}

/// A main.cf `smtp_tls_fingerprint_digest` (its last setting) that OpenSSL does not know:
/// Postfix then disables TLS when smtp(8) starts.
fn unknown_digest(main_cf: &crate::input::maincf::MainCf) -> Option<Diagnostic> {
    let p = main_cf
        .params
        .iter()
        .filter(|p| p.origin == crate::input::maincf::ParamOrigin::MainCf && p.name == "smtp_tls_fingerprint_digest")
        .last()?;
    crate::tls::session::tls_disabled_at_start(&p.value)?;
    Some(
        Diagnostic::error(
            "maincf.unknown-digest",
            Source::MainCf,
            format!("OpenSSL knows no digest \"{}\": smtp(8) logs \"Digest algorithm not found\", disables TLS, and defers every delivery that needs TLS", p.value),
        )
        .at(p.value_span)
        .hint("Name one digest, e.g. smtp_tls_fingerprint_digest = sha256.")
        .param("value", p.value.clone())
        .param("postfix_warning", format!("Digest algorithm \"{}\" not found", p.value)),
    )
}

/// The chain `host` (or `address`) presents.
pub fn chain_for(chains: &[(String, Vec<Certificate>)], host: &str, address: &str) -> Vec<Certificate> {
    let host = host.to_lowercase();
    chains
        .iter()
        .find(|(h, _)| !h.is_empty() && (*h == host || h == address))
        .or_else(|| chains.iter().find(|(h, _)| h.is_empty()))
        .map(|(_, c)| c.clone())
        .unwrap_or_default()
}

fn behaviour_for(scenario: &Scenario, host: &str) -> ServerBehaviour {
    let host = host.to_lowercase();
    scenario
        .servers
        .iter()
        .find(|s| s.host.to_lowercase() == host)
        .or_else(|| scenario.servers.iter().find(|s| s.host.is_empty()))
        .map(|s| ServerBehaviour {
            starttls: s.starttls,
            certificate: s.certificate,
            tls_max: s.tls_max.as_deref().and_then(crate::tls::session::tls_version).unwrap_or(crate::tls::session::TLS_1_3),
        })
        .unwrap_or_default()
}

/// Explains `scenario`: the whole decision, with its trace, log lines and fixes.
pub fn explain(scenario: &Scenario) -> Report {
    explain_with(scenario, None)
}

/// [`explain`], keeping what can be kept for the next explanation in `memo` (a caller that
/// explains one edit after another; the report is the same as [`explain`]'s).
pub fn explain_with_memo(scenario: &Scenario, memo: &mut Memo) -> Report {
    explain_with(scenario, Some(memo))
}

fn explain_with(scenario: &Scenario, memo: Option<&mut Memo>) -> Report {
    let mut own = CertificateMemo::default();
    let (tables, certs) = match memo {
        Some(memo) => (Some(&mut memo.tables), &mut memo.certificates),
        None => (None, &mut own),
    };
    let (mut report, table) = explain_keeping_table(scenario, tables, certs);
    if !report.verdict.delivered && matches!(scenario.probe, Probe::Smtp) && report.delivery.is_some() {
        // The fix search finds the looked-up entries in the table already parsed here, and
        // its re-runs the certificates read here.
        report.fixes = crate::fixes::suggest_reusing(scenario, &report, table.as_deref(), certs);
    }
    report
}

/// [`explain`] without the fix search (which itself re-runs this function).
pub fn explain_without_fixes(scenario: &Scenario) -> Report {
    explain_again(scenario, &mut CertificateMemo::default())
}

/// [`explain_without_fixes`] reading certificates through `certs` (the fix search's re-runs).
pub(crate) fn explain_again(scenario: &Scenario, certs: &mut CertificateMemo) -> Report {
    explain_keeping_table(scenario, None, certs).0
}

/// [`explain_without_fixes`], also giving back the policy table it parsed.
fn explain_keeping_table(scenario: &Scenario, tables: Option<&mut TableMemo>, certs: &mut CertificateMemo) -> (Report, Option<Rc<PolicyTable>>) {
    // Every field is bounded before anything reads it, including the ones `prepare` does not
    // parse (destination, server settings, posttls-finger words, server reply); the report
    // lists the cuts.
    let (bounded, cuts) = crate::limits::enforce(scenario);
    let scenario = &bounded;
    let prepared = prepare_bounded(scenario, cuts, tables, certs);
    let Prepared { version, at, settings, table, transport, dns, chains, trust, anchor_files, mut diagnostics } = prepared;
    let mut certificates = Vec::new();
    for (input, (host, chain)) in chains.iter().enumerate() {
        certificates.extend(chain.iter().enumerate().map(|(i, c)| CertificateView::of(c, host, input, i)));
    }
    let anchors = AnchorFiles { files: &anchor_files };
    let chain_fn = |h: &str, a: &str| chain_for(&chains, h, a);
    let behaviour_fn = |h: &str| behaviour_for(scenario, h);
    let global = global_level(&settings);
    let settings_list: Vec<_> = crate::config::TLS_PARAMETERS.iter().filter_map(|p| settings.setting(p).cloned()).collect();

    let mut report = Report {
        schema: REPORT_SCHEMA,
        postfix_version: version.to_string(),
        era: version.era(),
        evaluated_at: scenario.evaluated_at.clone(),
        verdict: Verdict { status: String::new(), delivered: false, headline: String::new(), deciding_step: None, stage: "none".into() },
        trace: Vec::new(),
        diagnostics: Vec::new(),
        certificates,
        settings: settings_list,
        delivery: None,
        finger: None,
        outcome: None,
        log: Vec::new(),
        fixes: Vec::new(),
        tlsa: tlsa_advice(&chains, &dns),
    };

    match &scenario.probe {
        Probe::Smtp => {
            let Some(input) = DestinationInput::parse(&scenario.destination) else {
                diagnostics.push(
                    Diagnostic::error("destination.empty", Source::Destination, "No destination: enter a recipient address, a domain or a next-hop")
                        .hint("e.g. user@fastmail.fm, fastmail.fm or [relay.example.com]:587"),
                );
                report.diagnostics = diagnostics;
                report.verdict.headline = "Enter a destination to see Postfix's decision.".into();
                report.verdict.status = "incomplete".into();
                return (report, table);
            };
            let mut route = route(&input, &transport, settings.get("relayhost"), settings.get("default_transport"));
            // A transport of another name is an SMTP client when the pasted master.cf says so.
            if route.non_smtp_transport.as_deref().is_some_and(|t| settings.runs_smtp_client(t)) {
                route.non_smtp_transport = None;
            }
            if let Some(transport) = route.non_smtp_transport.clone() {
                // error:, local:, discard:, … take the mail: smtp(8) never sees it, so there is
                // no TLS policy, no connection and no verdict on a certificate. The LMTP client
                // does decide TLS, with settings of its own: said, not guessed.
                report.trace = crate::trace::handoff_trace(&version, &route);
                let by = if matches!(route.source, crate::nexthop::RouteSource::Transport { .. }) { "transport_maps" } else { "default_transport" };
                let (status, taker, stage) = if settings.runs_lmtp_client(&transport) {
                    (LMTP, "the LMTP client, which decides TLS with its own lmtp_tls_* settings; peername models only smtp(8)", "none")
                } else {
                    (NOT_SMTP, "not to smtp(8): no TLS decision is made", "config")
                };
                report.verdict = Verdict {
                    status: status.into(),
                    delivered: false,
                    headline: format!("{by} hands this mail to {transport}:, {taker}"),
                    deciding_step: Some(report.trace.len().saturating_sub(1)),
                    stage: stage.into(),
                };
            } else {
                let servers = ServerSide { chain_for: &chain_fn, behaviour_for: &behaviour_fn, accept_reply: &scenario.server_reply };
                let table_file = table.as_ref().map(|t| t.file.clone()).unwrap_or_default();
                let d = deliver(&DeliveryRequest {
                    version: &version,
                    settings: &settings,
                    global: &global,
                    route,
                    table: table.as_deref(),
                    dns: &dns,
                    trust: &trust,
                    anchors: &anchors,
                    servers: &servers,
                    at,
                    table_file: &table_file,
                });
                let title = table.as_ref().map(|t| t.title.clone()).unwrap_or_default();
                report.trace = crate::trace::delivery_trace(&version, &global, settings.setting("smtp_tls_security_level").cloned(), &d, &title);
                report.verdict = verdict_of(&d, &report.trace);
                report.log = d.log.clone();
                report.outcome = Some(d.outcome.clone());
                report.delivery = Some(d);
            }
        }
        Probe::Finger { level, matches, args } => {
            let run = crate::finger::run(&version, &settings, scenario.destination.trim(), level, matches, args, &dns, &trust, &chain_fn, &behaviour_fn, at);
            report.trace = crate::trace::finger_trace(&version, &run);
            let delivered = run.smtp_client_equivalent.starts_with("deliver");
            report.verdict = Verdict {
                status: run.smtp_client_equivalent.clone(),
                delivered,
                headline: format!("posttls-finger: {}", run.smtp_client_equivalent),
                deciding_step: Some(report.trace.len().saturating_sub(1)),
                stage: if delivered { "none".into() } else { "name-match".into() },
            };
            report.log = run.log.clone();
            report.finger = Some(run);
        }
    }
    for d in &mut diagnostics {
        let text = match d.source {
            Source::MainCf => Some(scenario.main_cf.as_str()),
            Source::PolicyTable => Some(scenario.policy_table.as_str()),
            Source::TransportTable => Some(scenario.transport_table.as_str()),
            Source::Mx => Some(scenario.mx.as_str()),
            Source::Addresses => Some(scenario.addresses.as_str()),
            Source::Certificates(i) => scenario.certificates.get(i).map(|c| c.pem.as_str()),
            Source::CaBundle => Some(scenario.ca_bundle.as_str()),
            Source::Tlsa => Some(scenario.tlsa.as_str()),
            _ => None,
        };
        if let (Some(text), Some(span), None) = (text, d.span, d.position) {
            d.position = Some(crate::diag::LineIndex::new(text).position(span.start));
        }
    }
    report.diagnostics = diagnostics;
    (report, table)
}

/// The short answer and the stage that failed.
fn verdict_of(d: &crate::delivery::Delivery, trace: &[crate::trace::Step]) -> Verdict {
    use crate::trace::Mark;
    let o = &d.outcome;
    let delivered = o.status == Status::Sent;
    let deciding = if delivered { trace.iter().rposition(|s| s.mark == Mark::Pass) } else { trace.iter().position(|s| s.mark == Mark::Fail) };
    let stage = if delivered { "none".to_string() } else { failing_stage(d) };
    let headline = match o.status {
        Status::Sent => format!("Delivered to {}", o.relay.clone().unwrap_or_default()),
        Status::Timeout => "smtp(8) stops with a fatal configuration error: no delivery attempt".to_string(),
        _ => format!("{} {} ({})", o.status.as_str(), o.dsn.clone().unwrap_or_default(), o.reason.clone().unwrap_or_default()),
    };
    Verdict { status: o.status.as_str().to_string(), delivered, headline, deciding_step: deciding, stage }
}

fn failing_stage(d: &crate::delivery::Delivery) -> String {
    use crate::cert::chain::X509Error;
    use crate::tls::session::Handshake;
    if d.outcome.status == Status::Timeout {
        return "config".into();
    }
    let last = d.destinations.iter().flat_map(|r| r.hosts.iter()).last();
    let Some(attempt) = last else { return "dns".into() };
    if attempt.policy.invalid {
        return "policy-syntax".into();
    }
    if attempt.skipped.is_some() {
        return "policy".into();
    }
    let Some(c) = &attempt.connection else { return "dns".into() };
    match &c.handshake {
        Handshake::NotOffered => return "no-starttls".into(),
        Handshake::Failed { .. } => return "handshake".into(),
        Handshake::Disabled => return "config".into(),
        _ => {}
    }
    let reported = c.verification.as_ref().and_then(|v| v.reported.as_ref()).map(|e| e.error);
    match reported {
        Some(X509Error::HostnameMismatch) | Some(X509Error::IpAddressMismatch) => "name-match".into(),
        Some(X509Error::DaneNoMatch) if c.level == crate::policy::level::SecurityLevel::Fingerprint => "fingerprint".into(),
        Some(X509Error::DaneNoMatch) => "dane".into(),
        Some(X509Error::Unspecified) => "config".into(),
        Some(_) => "chain-trust".into(),
        None => {
            if c.flags.trusted {
                "name-match".into()
            } else {
                "chain-trust".into()
            }
        }
    }
}

/// DANE help for the page: records to publish for each pasted chain, and what each pasted
/// record matches.
fn tlsa_advice(chains: &[(String, Vec<Certificate>)], dns: &Dns) -> crate::report::TlsaAdvice {
    use crate::dane::record::{suggested_records, TlsaRecord};
    use crate::report::{PastedRecord, SuggestedRecord, TlsaAdvice};
    let mut advice = TlsaAdvice::default();
    for (host, chain) in chains {
        for (depth, r) in suggested_records(chain) {
            let hex = crate::cert::lower_hex(&r.data);
            advice.suggested.push(SuggestedRecord { host: host.clone(), depth, record: format!("{} {} {} {hex}", r.usage, r.selector, r.mtype) });
        }
    }
    let pasted = dns.tlsa.iter().flat_map(|(o, rs)| rs.iter().map(move |r| (Some(o.clone()), r.clone()))).chain(dns.unowned_tlsa.iter().map(|r| (None, r.clone())));
    for (owner, text) in pasted {
        let Ok(r) = TlsaRecord::parse(&text) else { continue };
        let problem = if r.usage < 2 {
            Some("usages 0 and 1 (PKIX) are not used by Postfix".to_string())
        } else if r.mtype == 255 {
            Some("matching type 255 is reserved for Postfix's fingerprint level".to_string())
        } else if !r.usable_by_openssl() {
            Some("OpenSSL refuses it (wrong digest length or unknown selector/matching type)".to_string())
        } else {
            None
        };
        let matches = chains.iter().flat_map(|(h, chain)| chain.iter().enumerate().filter(|(_, c)| r.matches(c)).map(move |(d, _)| (h.clone(), d))).collect();
        advice.pasted.push(PastedRecord { owner, record: text, matches, problem });
    }
    advice
}

//! The SMTP client's delivery attempt (`smtp_connect_inet()`, spec §2.2, §3.3): every
//! next-hop destination, every MX host and address in order, the policy for each, the TLS
//! connection, and the final status line.

use crate::cert::Certificate;
use crate::config::Settings;
use crate::dns::{AddressAnswer, Dns, MxAnswer};
use crate::logs::{LogLevel, LogLine, TlsLogMask, Verbosity};
use crate::nexthop::{parse_destination, split_nexthops, Destination, Route};
use crate::names::reference::{expand, ExpansionContext, ReferenceId};
use crate::policy::effective::{effective_policy, AnchorFiles, EffectivePolicy, GlobalLevel, ServerContext, POLICY_TITLE};
use crate::policy::level::SecurityLevel;
use crate::policy::lookup::{PolicyTable, ProbeResult};
use crate::tls::session::{connect, Connection, ConnectionOutcome, ConnectionRequest, Handshake, ServerBehaviour};
use crate::tls::verify::TrustBasis;
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

/// Why a host was not connected to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Skip {
    /// The policy was invalid ("client TLS configuration problem").
    InvalidPolicy,
    /// `smtp_tls_wrappermode` at a level below encrypt.
    Wrappermode,
    /// MTA-STS: the MX name fits no `mx_host_pattern` (3.10.5+).
    StsPattern,
    /// The host has no address.
    NoAddress,
}

/// One server address the client considered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostAttempt {
    /// Host name.
    pub host: String,
    /// MX preference (absent for `[host]` and implicit MX).
    pub pref: Option<u16>,
    /// Address (or `?` when unknown).
    pub address: String,
    /// The policy in force for this destination and host.
    pub policy: EffectivePolicy,
    /// Reference identifiers for this host.
    pub references: Vec<ReferenceId>,
    /// Why it was skipped, if it was.
    pub skipped: Option<Skip>,
    /// The connection, if one was made.
    pub connection: Option<Connection>,
    /// The handshake failed at `may`: this first attempt defers, and a later one, once the
    /// message has waited `minimal_backoff_time` in the queue, retries in plaintext.
    pub plaintext_retry: bool,
}

/// One next-hop destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationRun {
    /// The destination string.
    pub key: String,
    /// Parsed form (absent when Postfix rejected it).
    pub destination: Option<Destination>,
    /// The MX answer, when an MX lookup happened.
    pub mx: Option<MxAnswer>,
    /// Hosts considered, in order.
    pub hosts: Vec<HostAttempt>,
    /// Addresses found but never tried: past `smtp_mx_address_limit`.
    #[serde(default)]
    pub untried: usize,
}

/// Delivery status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Delivered to a server.
    Sent,
    /// Temporary failure: stays in the queue.
    Deferred,
    /// Permanent failure: returned to the sender.
    Bounced,
    /// smtp(8) died before logging a status (a fatal configuration error).
    Timeout,
}

impl Status {
    /// The word Postfix logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sent => "sent",
            Status::Deferred => "deferred",
            Status::Bounced => "bounced",
            Status::Timeout => "timeout",
        }
    }
}

/// The status line's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// sent / deferred / bounced / timeout.
    pub status: Status,
    /// Enhanced status code.
    pub dsn: Option<String>,
    /// The reason in parentheses.
    pub reason: Option<String>,
    /// `relay=` value.
    pub relay: Option<String>,
    /// `tls=` field (3.11+).
    pub status_tls: Option<String>,
}

/// One logged policy-table query (`maps_find`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedLookup {
    /// Key queried.
    pub key: String,
    /// Value found (as logged: printable, truncated at 100 characters).
    pub result: Option<String>,
    /// The table could not be searched.
    pub search_aborted: bool,
}

/// The whole delivery attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The next-hop and how it was chosen.
    pub route: Route,
    /// Destinations in order.
    pub destinations: Vec<DestinationRun>,
    /// The final status.
    pub outcome: Outcome,
    /// Policy-table queries in the order smtp(8) logs them (`smtp -v`).
    pub lookups: Vec<LoggedLookup>,
    /// `global TLS level` as logged: when the first policy is built, after the first host's
    /// address lookup (absent when smtp(8) died first or no host had an address).
    pub global_level: Option<SecurityLevel>,
    /// The last `effective TLS level` line logged (one per policy built that differs from the
    /// global level).
    pub effective_level: Option<SecurityLevel>,
    /// All warnings, in order (texts after `warning: `).
    pub warnings: Vec<String>,
    /// All errors (`PROGRAM: error|fatal: TEXT`).
    pub errors: Vec<String>,
    /// Every predicted log line.
    pub log: Vec<LogLine>,
}

/// Certificates, server behaviour and trust per host.
pub struct ServerSide<'a> {
    /// The chain served by `host` (or by an address), or the default one.
    pub chain_for: &'a dyn Fn(&str, &str) -> Vec<Certificate>,
    /// Behaviour of `host`.
    pub behaviour_for: &'a dyn Fn(&str) -> ServerBehaviour,
    /// The reply to the end of DATA (for the status line of a delivered message).
    pub accept_reply: &'a str,
}

/// Inputs of a delivery.
pub struct DeliveryRequest<'a> {
    /// Version.
    pub version: &'a PostfixVersion,
    /// Settings.
    pub settings: &'a Settings,
    /// Global level.
    pub global: &'a GlobalLevel,
    /// The route.
    pub route: Route,
    /// Policy table.
    pub table: Option<&'a PolicyTable>,
    /// DNS data.
    pub dns: &'a Dns,
    /// Trust.
    pub trust: &'a TrustBasis,
    /// Trust-anchor files.
    pub anchors: &'a AnchorFiles<'a>,
    /// Servers.
    pub servers: &'a ServerSide<'a>,
    /// Evaluation time.
    pub at: Option<i64>,
    /// Table file name as Postfix prints it in table errors.
    pub table_file: &'a str,
}

/// `Printable(value)` truncated like the `maps_find` log line (100 characters + `...`).
fn logged_value(value: &str) -> String {
    let p = crate::logs::printable(value);
    if p.chars().count() > 100 {
        let head: String = p.chars().take(100).collect();
        format!("{head}...")
    } else {
        p
    }
}

/// `match_sts_mx_host_pattern()`: exact (case-insensitive) or `*.` plus exactly the rest
/// after the host's first label.
pub fn sts_pattern_matches(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(rest) = pattern.strip_prefix("*.") else { return false };
    if rest.is_empty() {
        return false;
    }
    match host.find('.') {
        Some(dot) if dot > 0 => host[dot + 1..].eq_ignore_ascii_case(rest),
        _ => false,
    }
}

/// Whether smtp(8) hands the TLS handshake to tlsproxy(8) (3.4+): the entry's
/// `connection_reuse`, else `smtp_tls_connection_reuse`.
fn connection_reuse(req: &DeliveryRequest<'_>, policy: &EffectivePolicy) -> bool {
    req.version.knows_servername()
        && policy.entry.as_ref().and_then(|e| e.connection_reuse).unwrap_or_else(|| req.settings.flag("smtp_tls_connection_reuse"))
}

/// Runs the delivery.
pub fn deliver(req: &DeliveryRequest<'_>) -> Delivery {
    let mut d = Delivery {
        route: req.route.clone(),
        destinations: Vec::new(),
        outcome: Outcome { status: Status::Deferred, dsn: None, reason: None, relay: None, status_tls: None },
        lookups: Vec::new(),
        global_level: None,
        effective_level: None,
        warnings: Vec::new(),
        errors: Vec::new(),
        log: Vec::new(),
    };
    let daemon = format!("{}/smtp", req.settings.get("daemon_directory").trim_end_matches('/'));
    let log_mask = TlsLogMask::parse(req.settings.get("smtp_tls_loglevel"), req.version.knows_dane_log_keyword());
    // smtp(8) dies with a fatal error: at start-up (a bad global level), or once it holds the
    // delivery request (a bad server description). Then qmgr(8) reads no answer: up to 3.4 it
    // defers the message itself; from 3.5 the message waits in the queue for the transport's
    // throttle, as after a start-up death (recorded from 3.4.29, 3.5.27, 3.7.11, 3.11.6).
    let die = |d: &mut Delivery, fatal: String, holding_request: bool| {
        d.errors.push(format!("smtp: fatal: {fatal}"));
        d.log.push(LogLine::new("smtp", LogLevel::Fatal, Verbosity::Always, fatal));
        let defers = holding_request && req.version.qmgr_defers_when_smtp_dies_delivering();
        if holding_request {
            let transport = req.route.transport(req.settings.get("default_transport"));
            let mut qmgr = vec![format!("private/{transport} socket: malformed response")];
            if defers {
                qmgr.push(format!("transport {transport} failure -- see a previous warning/fatal/panic logfile record for the problem description"));
            }
            for w in qmgr {
                d.warnings.push(w.clone());
                d.log.push(LogLine::new("qmgr", LogLevel::Warning, Verbosity::Always, w));
            }
        }
        for w in [format!("process {daemon} pid <pid> exit status 1"), format!("{daemon}: bad command startup -- throttling")] {
            d.warnings.push(w.clone());
            d.log.push(LogLine::new("master", LogLevel::Warning, Verbosity::Always, w));
        }
        d.outcome = if defers {
            Outcome { status: Status::Deferred, dsn: Some("4.3.0".into()), reason: Some("unknown mail transport error".into()), relay: Some("none".into()), status_tls: None }
        } else {
            Outcome { status: Status::Timeout, dsn: None, reason: None, relay: None, status_tls: None }
        };
    };
    let Some(global) = req.global.level else {
        let value = req.global.invalid_value.clone().unwrap_or_default();
        die(&mut d, format!("Invalid TLS level \"{value}\""), false);
        return d;
    };
    // pre_init(): the TLS engine starts when any TLS may be used, and checks the digest first.
    let tls_disabled = (global != SecurityLevel::None || req.table.is_some())
        && match crate::tls::session::tls_disabled_at_start(req.settings.get("smtp_tls_fingerprint_digest")) {
            Some(warnings) => {
                for w in warnings {
                    smtp_warning(&mut d, w);
                }
                true
            }
            None => false,
        };
    if let Some(table) = req.table {
        for w in &table.load_warnings {
            smtp_warning(&mut d, w.clone());
        }
        if let Some(err) = &table.unusable {
            let text = err.text.clone();
            d.errors.push(format!("smtp: error: {text}"));
            d.log.push(LogLine::new("smtp", LogLevel::Error, Verbosity::Always, text));
        }
    }
    // smtp_tls_list_init(), once the policy table is opened: the legacy per-site table is not.
    if !req.settings.get("smtp_tls_policy_maps").trim().is_empty() && !req.settings.get("smtp_tls_per_site").trim().is_empty() {
        smtp_warning(&mut d, "smtp_tls_per_site ignored when smtp_tls_policy_maps is not empty.".to_string());
    }

    let wrappermode = req.version.knows_wrappermode() && req.settings.flag("smtp_tls_wrappermode");
    let md5_by_compatibility = req.version.fingerprint_colons_optional()
        && !req.settings.compat_level().at_least(3, 6)
        && matches!(req.settings.setting("smtp_tls_fingerprint_digest").map(|s| &s.source), Some(crate::config::SettingSource::Default { .. }));
    let smtputf8 = req.settings.flag("smtputf8_enable");
    // A next-hop list is 3.5's; before, the whole next-hop is one server description.
    let mut nexthops = if req.version.splits_nexthop_lists() { split_nexthops(&req.route.nexthop) } else { vec![req.route.nexthop.clone()] };
    let non_fallback_sites = nexthops.len();
    nexthops.extend(split_nexthops(req.settings.get("smtp_fallback_relay")));
    let mut last_site = 0;
    let limit: usize = req.settings.get("smtp_mx_address_limit").trim().parse().unwrap_or(5);
    let mut why: Option<(String, String)> = None;
    let mut relay: Option<String> = None;
    let mut stats: Option<String> = None;
    let tls_field = req.version.status_line_has_tls_field();
    let openssl = req.version.era() != Era::Legacy;

    let mut built_policies: std::collections::HashSet<(String, String, u16)> = std::collections::HashSet::new();
    'destinations: for (site, key) in nexthops.iter().enumerate() {
        last_site = site;
        let dest = match parse_destination(key, smtputf8) {
            Ok(dest) => dest,
            Err(fatal) => {
                die(&mut d, fatal, true);
                return d;
            }
        };
        let mut run = DestinationRun { key: key.clone(), destination: Some(dest.clone()), mx: None, hosts: Vec::new(), untried: 0 };
        if req.version.knows_wrappermode() && !wrappermode && dest.port_number() == 465 && !matches!(req.settings.get("helpful_warnings").trim(), "no" | "false" | "0") {
            // smtp_connect_remote(): a hint, not a warning; the server on 465 speaks TLS at once
            // and smtp(8) would wait for its greeting.
            d.log.push(LogLine::new(
                "smtp",
                LogLevel::Info,
                Verbosity::Always,
                "SMTPS wrappermode (TCP port 465) requires setting \"smtp_tls_wrappermode = yes\", and \"smtp_tls_security_level = encrypt\" (or stronger)".to_string(),
            ));
        }
        // Each next-hop's lookup failure replaces the previous one's (the fallback relay's
        // error is the one reported, recorded from Postfix 3.7.11), and without a session the
        // status line names no relay (recorded from 3.5.27, after earlier hosts' connections).
        let mut lookup_failure = None;
        let hosts = resolve_hosts(req.dns, &dest, &mut run, &mut lookup_failure);
        if lookup_failure.is_some() {
            why = lookup_failure;
            relay = None;
        }
        // smtp_connect_inet(): at most smtp_mx_address_limit addresses per next-hop (0: no
        // limit), skipped ones included (recorded from Postfix 3.7.11: a sixth MX host is never
        // tried).
        let tried = if limit == 0 { hosts.len() } else { hosts.len().min(limit) };
        run.untried = hosts.len() - tried;
        for (host, pref, address) in hosts.into_iter().take(tried) {
            let mx = match &run.mx {
                Some(MxAnswer::Records { .. }) => Some((dest.host.as_str(), req.dns.secure(&dest.host, "MX"))),
                _ => None,
            };
            let server = ServerContext { host: &host, port: dest.port_number(), mx, dns: req.dns };
            let policy = effective_policy(&dest.key, &server, req.global, req.settings, req.table, req.version, req.anchors);
            // smtp(8) builds a policy once per next-hop, host name and port and caches it
            // (smtp_tls_policy_cache_query): the build's log lines come once, not per address.
            let first_build = built_policies.insert((dest.key.clone(), host.to_ascii_lowercase(), dest.port_number()));
            if d.global_level.is_none() {
                d.global_level = Some(global);
                d.log.push(LogLine::new("smtp", LogLevel::Info, Verbosity::Verbose, format!("global TLS level: {}", global.name())));
            }
            if first_build {
                log_lookups(&mut d, &policy, req.table, &dest.key);
                for w in &policy.warnings {
                    smtp_warning(&mut d, w.clone());
                }
            }
            let ctx = ExpansionContext { nexthop: &dest.host, hostname: &host, openssl };
            let references = match &policy.dane {
                Some(setup) if policy.level.dane_based() => expand(&setup.match_names, &ctx),
                _ if policy.level.must_pkix() => expand(&policy.matches, &ctx),
                _ => Vec::new(),
            };
            let mut attempt = HostAttempt {
                host: host.clone(),
                pref,
                address: address.clone(),
                policy: policy.clone(),
                references,
                skipped: None,
                connection: None,
                plaintext_retry: false,
            };
            if first_build && policy.level == SecurityLevel::Fingerprint && md5_by_compatibility {
                // tls_dane_add_fpt_digests(): 3.6+ says when the digest is md5 only because of an
                // old compatibility_level.
                d.log.push(LogLine::new(
                    "smtp",
                    LogLevel::Info,
                    Verbosity::Always,
                    "using backwards-compatible default setting smtp_tls_fingerprint_digest=md5 to compute certificate fingerprints".to_string(),
                ));
            }
            if policy.invalid {
                let w = format!("TLS policy lookup for {}/{host}: {}", dest.key, policy.why.1);
                smtp_warning(&mut d, w);
                why = Some(policy.why.clone());
                // No session: the status line names no relay, even after an earlier host's
                // connection (recorded from Postfix 3.7.11, DANE "TLSA records unusable").
                relay = None;
                stats = Some("unknown?".into());
                attempt.skipped = Some(Skip::InvalidPolicy);
                run.hosts.push(attempt);
                continue;
            }
            if first_build && policy.effective_logged {
                d.effective_level = Some(policy.level);
                d.log.push(LogLine::new("smtp", LogLevel::Info, Verbosity::Verbose, format!("effective TLS level: {}", policy.level.name())));
            }
            if wrappermode && policy.level < SecurityLevel::Encrypt {
                // smtp_connect_inet(): SMTPS needs encryption; the host is skipped (recorded from
                // 3.5.27, 3.7.11 and 3.11.6: "server unavailable", no relay).
                smtp_warning(&mut d, "smtp_tls_wrappermode requires \"smtp_tls_security_level = encrypt\" (or stronger)".to_string());
                stats = Some(format!("{}?", policy.level.name()));
                relay = None;
                attempt.skipped = Some(Skip::Wrappermode);
                run.hosts.push(attempt);
                continue;
            }
            if req.version.has_sts_mx_pattern_enforcement()
                && req.settings.flag("smtp_tls_enforce_sts_mx_patterns")
                && policy.sts.is_sts()
                && !policy.sts.mx_host_patterns.is_empty()
                // SAFE_FOR_SMTP_TLS_ENF_STS_MX_PAT: a match list in force, from match= or the
                // level's default (recorded from Postfix 3.11.6: verify without match= enforces).
                && !policy.matches.is_empty()
            {
                let ascii = crate::names::idna::to_ascii(&host).unwrap_or_else(|| host.clone());
                if !policy.sts.mx_host_patterns.iter().any(|p| sts_pattern_matches(p, &ascii)) {
                    let domain = policy.sts.policy_domain.clone().unwrap_or_default();
                    let w = format!("MX name '{ascii}' does not match STS MX pattern for '{domain}'");
                    smtp_warning(&mut d, w);
                    stats = Some(format!("{}?", policy.level.name()));
                    // No session: the status line names no relay (recorded from 3.11.6).
                    relay = None;
                    attempt.skipped = Some(Skip::StsPattern);
                    run.hosts.push(attempt);
                    continue;
                }
            }
            let served = (req.servers.chain_for)(&host, &address);
            let behaviour = (req.servers.behaviour_for)(&host);
            let fingerprints = (policy.level == SecurityLevel::Fingerprint).then_some(policy.matches.as_slice());
            let tlsproxy = req.settings.get("tlsproxy_service_name");
            let missing_tlsproxy = (connection_reuse(req, &policy) && req.settings.master_cf_lacks(tlsproxy)).then_some(tlsproxy);
            let conn = connect(&ConnectionRequest {
                version: req.version,
                program: "smtp",
                level: policy.level,
                host: &host,
                address: &address,
                port: dest.port_number(),
                server: &behaviour,
                served: &served,
                trust: req.trust,
                at: req.at,
                max_depth: req.settings.get("smtp_tls_scert_verifydepth").parse().unwrap_or(9),
                refs: &attempt.references,
                multi_label: req.settings.flag("tls_wildcard_matches_multiple_labels"),
                fingerprints,
                match_digest: policy.digest,
                log_digest: policy.digest,
                trust_anchors: policy.trust_anchors.as_deref(),
                cipher_grade: &policy.cipher_grade,
                cipher_exclusions: &policy.cipher_exclusions,
                protocols: &policy.protocols,
                external_failure: policy.sts.policy_failure.as_deref(),
                dane: policy.dane.as_ref(),
                log_mask,
                tls_disabled,
                missing_tlsproxy,
                wrappermode,
            });
            relay = Some(conn.server_namaddr.clone());
            d.warnings.extend(conn.warnings.iter().cloned());
            d.log.extend(conn.log.iter().cloned());
            let level = policy.level.name();
            let final_level = conn.level.name();
            match &conn.outcome {
                ConnectionOutcome::Deliver { tls } => {
                    stats = Some(match (tls, &conn.handshake) {
                        (true, _) if final_level != level => format!("{level}:{final_level}"),
                        (true, _) => level.to_string(),
                        (false, Handshake::NotAttempted) => "none".to_string(),
                        (false, _) => format!("{level}:none"),
                    });
                    let reply = req.servers.accept_reply.to_string();
                    d.outcome = Outcome {
                        status: Status::Sent,
                        dsn: Some(dsn_of(&reply).unwrap_or_else(|| "2.0.0".into())),
                        reason: Some(reply),
                        relay: relay.clone(),
                        status_tls: stats.clone().filter(|_| tls_field),
                    };
                    attempt.connection = Some(conn);
                    run.hosts.push(attempt);
                    d.destinations.push(run);
                    finish_log(&mut d, &req.route);
                    return d;
                }
                ConnectionOutcome::Fail { dsn, reason } => {
                    // PLAINTEXT_FALLBACK_OK_AFTER_STARTTLS_FAILURE: at may, a failed handshake
                    // is retried in plaintext only once the message has waited
                    // minimal_backoff_time in the queue. This is its first attempt: it defers
                    // (recorded from Postfix 3.7.11), and a later attempt sends in plaintext.
                    attempt.plaintext_retry = policy.level == SecurityLevel::May && matches!(conn.handshake, Handshake::Failed { .. });
                    stats = Some(match conn.handshake {
                        // Recorded from Postfix 3.11.6: "secure?" also when TLS support is off.
                        Handshake::Failed { .. } | Handshake::Disabled => format!("{level}?"),
                        _ => format!("!{level}"),
                    });
                    why = Some((dsn.clone(), reason.clone()));
                    d.log.push(LogLine::new("smtp", LogLevel::Info, Verbosity::Always, format!("QUEUEID: {reason}")));
                    attempt.connection = Some(conn);
                }
            }
            run.hosts.push(attempt);
        }
        d.destinations.push(run);
        if d.destinations.len() > 64 {
            break 'destinations;
        }
    }
    let (mut dsn, reason) = why.unwrap_or_else(|| ("4.3.0".into(), "server unavailable or unable to receive mail".into()));
    // smtp_connect(): a hard failure of the fallback relay or of the relayhost is taken for a
    // configuration problem and deferred (recorded from Postfix 3.7.11).
    if dsn.starts_with('5') {
        let problem = if last_site >= non_fallback_sites {
            Some("smtp_fallback_relay")
        } else if nexthops.first().is_some_and(|first| first == req.settings.get("relayhost")) {
            Some("relayhost")
        } else {
            None
        };
        if let Some(parameter) = problem {
            let w = format!("{parameter} configuration problem");
            smtp_warning(&mut d, w);
            dsn = "4.3.5".into();
        }
    }
    let status = if dsn.starts_with('5') { Status::Bounced } else { Status::Deferred };
    d.outcome = Outcome { status, dsn: Some(dsn), reason: Some(reason), relay: Some(relay.unwrap_or_else(|| "none".into())), status_tls: stats.filter(|_| tls_field) };
    if let Some(last) = d.log.iter().rposition(|l| l.text.starts_with("QUEUEID: ")) {
        // The last server's failure is reported in the status line, not as a separate line.
        d.log.remove(last);
    }
    finish_log(&mut d, &req.route);
    d
}

/// The enhanced status code at the start of an SMTP reply text (`250 2.0.0 Ok` → `2.0.0`).
fn dsn_of(reply: &str) -> Option<String> {
    reply.split_whitespace().nth(1).filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.contains('.')).map(str::to_string)
}

/// A `warning:` line of smtp(8): in the warnings and the log.
fn smtp_warning(d: &mut Delivery, text: String) {
    d.warnings.push(text.clone());
    d.log.push(LogLine::new("smtp", LogLevel::Warning, Verbosity::Always, text));
}

/// Appends the status line.
fn finish_log(d: &mut Delivery, route: &Route) {
    let recipient = &route.recipient;
    let orig = route.original_recipient.as_ref().map(|o| format!(", orig_to=<{o}>")).unwrap_or_default();
    let o = &d.outcome;
    if o.status == Status::Timeout {
        return;
    }
    let tls = o.status_tls.as_ref().map(|t| format!(", tls={t}")).unwrap_or_default();
    let line = format!(
        "QUEUEID: to=<{recipient}>{orig}, relay={}, delay=0.1, delays=0/0/0.1/0{tls}, dsn={}, status={} ({})",
        o.relay.clone().unwrap_or_else(|| "none".into()),
        o.dsn.clone().unwrap_or_default(),
        o.status.as_str(),
        o.reason.clone().unwrap_or_default()
    );
    d.log.push(LogLine::new("smtp", LogLevel::Info, Verbosity::Always, line));
}

/// Records the `maps_find` lines of one policy build.
fn log_lookups(d: &mut Delivery, policy: &EffectivePolicy, table: Option<&PolicyTable>, dest: &str) {
    let Some(table) = table else { return };
    for probe in &policy.walk.probes {
        let (result, aborted) = match &probe.result {
            ProbeResult::NotFound => (None, false),
            ProbeResult::Found { value, .. } => (Some(logged_value(value)), false),
            ProbeResult::Error => (None, true),
        };
        if aborted {
            if let Some(err) = &table.unusable {
                for w in [format!("{} is unavailable. {}", table.title, err.text), format!("{} lookup error for \"{}\"", table.title, probe.key)] {
                    smtp_warning(d, w);
                }
            }
        }
        let text = match (&result, aborted) {
            (Some(v), _) => format!("maps_find: {POLICY_TITLE}: {}: {} = {v}", table.title, probe.key),
            (None, true) => format!("maps_find: {POLICY_TITLE}: {}: search aborted", probe.key),
            (None, false) => format!("maps_find: {POLICY_TITLE}: {}: not found", probe.key),
        };
        d.log.push(LogLine::new("smtp", LogLevel::Info, Verbosity::Verbose, text));
        d.lookups.push(LoggedLookup { key: probe.key.clone(), result, search_aborted: aborted });
    }
    let _ = dest;
}

/// The hosts and addresses to try for one destination, in order.
fn resolve_hosts(dns: &Dns, dest: &Destination, run: &mut DestinationRun, why: &mut Option<(String, String)>) -> Vec<(String, Option<u16>, String)> {
    let mut names: Vec<(String, Option<u16>)> = Vec::new();
    if dest.mx_lookup {
        let answer = dns.mx_lookup(&dest.host);
        match &answer {
            MxAnswer::Records { records, .. } => names.extend(records.iter().map(|r| (r.host.clone(), Some(r.pref)))),
            // smtp_domain_addr(): "not found" (no MX records, or no such name) falls back to
            // the name's own address; a missing name is then reported for type=A (recorded
            // from Postfix 3.7.11).
            MxAnswer::NoRecords | MxAnswer::NxDomain => names.push((dest.host.clone(), None)),
        }
        run.mx = Some(answer);
    } else {
        names.push((dest.host.clone(), None));
    }
    let mut out = Vec::new();
    for (name, pref) in names {
        match dns.address_lookup(&name) {
            AddressAnswer::Addresses { addresses } => out.extend(addresses.into_iter().map(|a| (name.clone(), pref, a))),
            AddressAnswer::Unknown => out.push((name.clone(), pref, "?".to_string())),
            AddressAnswer::NxDomain => {
                if why.is_none() {
                    *why = Some(("5.4.4".into(), format!("Host or domain name not found. Name service error for name={name} type=A: Host not found")));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_patterns_cover_exactly_one_label() {
        assert!(sts_pattern_matches("*.mx.example.com", "a.mx.example.com"));
        assert!(!sts_pattern_matches("*.mx.example.com", "a.b.mx.example.com"));
        assert!(!sts_pattern_matches("*.mx.example.com", "mx.example.com"));
        assert!(sts_pattern_matches("MX1.example.net", "mx1.EXAMPLE.net"));
        assert!(!sts_pattern_matches("*.", "a."));
    }

    #[test]
    fn logged_values_are_truncated_at_100() {
        let long = "x".repeat(150);
        assert_eq!(logged_value(&long).len(), 103);
        assert_eq!(logged_value("secure\tmatch"), "secure?match");
    }
}

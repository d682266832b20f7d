//! From a reading to a scenario: what the log tells goes in (with the lines that tell it), what
//! it cannot tell stays empty and is listed, so the page can say "complete these".
//!
//! A log never holds the policy table's text (only `smtp -v` shows the entry found), the
//! certificates (no PEM) or the CA store; it does hold the destination, the servers, the
//! version's wording, and often whether the chain was trusted.

use super::reading::{DeliveryAttempt, LogEntry, LogReading, PeerConnection};
use super::stage::delivery_connections;
use super::status::{recipient_domain, recipient_masked};
use super::timestamp::utc_rfc3339;
use crate::scenario::{CaTrust, Probe, Scenario, ServedChain, ServerSetting};
use crate::tls::session::TrustWord;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// A scenario field the log filled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filled {
    /// The scenario field (`postfix_version`, `destination`, `mx`, …).
    pub field: String,
    /// The value, as text.
    pub value: String,
    /// The lines it comes from.
    pub lines: Vec<usize>,
    /// Why this value, in English.
    pub why: String,
}

/// A scenario field the log cannot fill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// The scenario field (`policy_table`, `certificates`, `ca_bundle`, `main_cf`, …).
    pub field: String,
    /// What to provide, in English.
    pub what: String,
    /// Why the log cannot tell.
    pub why: String,
}

struct Builder {
    scenario: Scenario,
    filled: Vec<Filled>,
    missing: Vec<Missing>,
}

impl Builder {
    fn fill(&mut self, field: &str, value: impl Into<String>, lines: Vec<usize>, why: impl Into<String>) {
        self.filled.push(Filled { field: field.into(), value: value.into(), lines, why: why.into() });
    }
    fn miss(&mut self, field: &str, what: impl Into<String>, why: impl Into<String>) {
        self.missing.push(Missing { field: field.into(), what: what.into(), why: why.into() });
    }
}

/// Builds the scenario with what was filled and what is missing.
pub fn build(r: &LogReading) -> (Scenario, Vec<Filled>, Vec<Missing>) {
    let mut b = Builder { scenario: Scenario { evaluated_at: None, ..Scenario::default() }, filled: Vec::new(), missing: Vec::new() };
    version(&mut b, r);
    let focus = r.focus.and_then(|i| r.deliveries.get(i));
    let conns: Vec<&PeerConnection> = match focus {
        Some(d) => delivery_connections(d, &r.connections),
        None => r.connections.last().into_iter().collect(),
    };
    let finger = focus.is_none() && !r.connections.is_empty() && r.connections.iter().all(|c| c.process.starts_with("posttls-finger"));
    if finger {
        finger_probe(&mut b, r);
    } else {
        destination(&mut b, r, focus);
    }
    servers(&mut b, r, focus, &conns);
    policy(&mut b, r, focus);
    certificates(&mut b, r, &conns);
    trust(&mut b, &conns);
    behaviour(&mut b, focus, &conns);
    when(&mut b, r, focus);
    b.miss(
        "main_cf",
        "main.cf (or `postconf -n`): smtp_tls_security_level, smtp_tls_CAfile / smtp_tls_CApath, smtp_tls_policy_maps and any *_cert_match settings",
        match r.levels.iter().find(|l| l.value.scope == super::kind::LevelScope::Global) {
            Some(l) => format!("the log shows only the global level \"{}\" (line {})", l.value.level, l.line),
            None => "the log does not show main.cf settings".to_string(),
        },
    );
    (b.scenario, b.filled, b.missing)
}

fn version(b: &mut Builder, r: &LogReading) {
    b.scenario.postfix_version = r.era.suggested_version.clone();
    let lines: Vec<usize> = r.era.clues.iter().filter(|c| !c.conflicting).map(|c| c.line).take(8).collect();
    b.fill("postfix_version", &r.era.suggested_version, lines, &r.era.why_suggested);
}

fn finger_probe(b: &mut Builder, r: &LogReading) {
    let fallback = r.entries.iter().find(|e| matches!(&e.kind, super::kind::LineKind::Dane { event, .. } if event == "fallback"));
    let level = match fallback {
        Some(e) => {
            b.fill("probe", "posttls-finger -l dane", vec![e.line], "posttls-finger fell back from DANE (its default level) to \"secure\"");
            "dane".to_string()
        }
        None => {
            b.miss("probe", "the posttls-finger command line: -l LEVEL and the match arguments", "posttls-finger does not print its own options");
            String::new()
        }
    };
    b.scenario.probe = Probe::Finger { level, matches: Vec::new(), args: Vec::new() };
    b.miss("destination", "the destination given to posttls-finger (domain or [host]:port)", "posttls-finger prints only the server it reached");
}

/// Recipient (when its domain is readable) or the next-hop the log names.
fn destination(b: &mut Builder, r: &LogReading, focus: Option<&DeliveryAttempt>) {
    if lmtp_delivery(b, focus) {
        return;
    }
    let window_nexthop = focus.and_then(|d| {
        d.entries.iter().filter_map(|i| r.entries.get(*i)).find_map(|e| match &e.kind {
            super::kind::LineKind::Nexthop { value } => Some((value.clone(), e.line)),
            super::kind::LineKind::SessionCache { key, .. } => Some((key.nexthop.clone(), e.line)),
            _ => None,
        })
    });
    let nexthop = window_nexthop.or_else(|| r.nexthops.first().map(|n| (n.value.clone(), n.line)));
    let recipient = focus.map(|d| (d.status.recipient.clone(), d.line));
    let rcpt_domain = recipient.as_ref().and_then(|(rc, l)| recipient_domain(rc).map(|d| (d.to_string(), *l)));
    match (&recipient, &rcpt_domain, &nexthop) {
        (_, Some((dom, _)), Some((nh, nl))) if !nh.eq_ignore_ascii_case(dom) => {
            b.scenario.destination = nh.clone();
            b.fill("destination", nh, vec![*nl], format!("the next-hop Postfix used; the recipient domain is {dom}"));
            b.miss("transport_table", format!("the transport table or relayhost that sends {dom} to {nh}"), "the log shows the next-hop, not the rule that chose it");
        }
        (Some((rc, l)), Some(_), _) if !recipient_masked(rc) => {
            b.scenario.destination = rc.clone();
            b.fill("destination", rc, vec![*l], "the recipient of the status line");
        }
        (_, Some((dom, l)), _) => {
            b.scenario.destination = dom.clone();
            b.fill("destination", dom, vec![*l], "the recipient's domain (its local part is masked; routing needs only the domain)");
        }
        (_, None, Some((nh, nl))) => {
            b.scenario.destination = nh.clone();
            let why = if recipient.is_some() { "the recipient is masked; the next-hop names the destination" } else { "the next-hop the log names" };
            b.fill("destination", nh, vec![*nl], why);
        }
        _ => b.miss("destination", "the recipient address or domain", "the log names no recipient and no next-hop"),
    }
}

/// A delivery by the LMTP client (`postfix/lmtp`): the recipient, and a transport table line
/// that hands its domain to `lmtp:` as the status line's relay names it, so the explanation
/// says what it is (the LMTP client, whose `lmtp_tls_*` decision peername does not model)
/// instead of explaining an smtp(8) delivery that never happened.
fn lmtp_delivery(b: &mut Builder, focus: Option<&DeliveryAttempt>) -> bool {
    let Some(d) = focus.filter(|d| d.program == "lmtp") else { return false };
    let Some(domain) = recipient_domain(&d.status.recipient) else { return false };
    let target = match d.status.relay.peer.as_ref() {
        Some(super::peer::Peer { host, port: Some(port), .. }) => format!("inet:{host}:{port}"),
        Some(peer) => format!("inet:{}", peer.host),
        None => String::new(),
    };
    let recipient = if recipient_masked(&d.status.recipient) { domain.to_string() } else { d.status.recipient.clone() };
    b.scenario.destination = recipient.clone();
    b.fill("destination", &recipient, vec![d.line], "the recipient of the status line");
    let line = format!("{domain} lmtp:{target}");
    b.scenario.transport_table = format!("{line}\n");
    b.fill("transport_table", line, vec![d.line], "postfix/lmtp delivered it: the LMTP client, which decides TLS with its own lmtp_tls_* settings (peername models only smtp(8))");
    true
}

/// MX hosts and their addresses, in the order Postfix tried them.
fn servers(b: &mut Builder, r: &LogReading, focus: Option<&DeliveryAttempt>, conns: &[&PeerConnection]) {
    let mut hosts: Vec<(String, Vec<String>, usize)> = Vec::new();
    let mut add = |host: &str, addr: &str, line: usize| {
        let host = host.trim_end_matches('.');
        if host.is_empty() || host.parse::<IpAddr>().is_ok() {
            return;
        }
        match hosts.iter_mut().find(|(h, _, _)| h.eq_ignore_ascii_case(host)) {
            Some((_, addrs, _)) => {
                if !addr.is_empty() && !addrs.iter().any(|a| a == addr) {
                    addrs.push(addr.to_string());
                }
            }
            None => hosts.push((host.to_string(), if addr.is_empty() { Vec::new() } else { vec![addr.to_string()] }, line)),
        }
    };
    if let Some(d) = focus {
        for e in d.entries.iter().filter_map(|i| r.entries.get(*i)) {
            if let super::kind::LineKind::ServerCandidate { host } = &e.kind {
                add(host, "", e.line);
            }
        }
    }
    for c in conns {
        add(&c.peer.host, &c.peer.address, c.lines.first().copied().unwrap_or(0));
    }
    if let Some(p) = focus.and_then(|d| d.status.relay.peer.as_ref()) {
        add(&p.host, &p.address, focus.map(|d| d.line).unwrap_or(0));
    }
    if focus.is_none() && conns.is_empty() {
        for s in &r.servers {
            for a in s.addresses.iter().map(String::as_str).chain(s.addresses.is_empty().then_some("")) {
                add(&s.host, a, s.line);
            }
        }
    }
    // Addresses the log shows elsewhere (session cache keys, other lines) for the same hosts.
    for s in &r.servers {
        for a in &s.addresses {
            if let Some((_, addrs, _)) = hosts.iter_mut().find(|(h, _, _)| h.eq_ignore_ascii_case(&s.host)) {
                if !addrs.contains(a) {
                    addrs.push(a.clone());
                }
            }
        }
    }
    if hosts.is_empty() {
        b.miss("mx", "the MX hosts of the destination (`host -t MX DOMAIN`)", "the log names no server");
        return;
    }
    let dest = b.scenario.destination.trim().to_string();
    let dest_domain = recipient_domain(&dest).map(str::to_string).unwrap_or_else(|| dest.clone());
    let explicit = dest.starts_with('[');
    let implicit = hosts.len() == 1 && hosts[0].0.eq_ignore_ascii_case(&dest_domain);
    let lines: Vec<usize> = hosts.iter().map(|h| h.2).collect();
    if !explicit && !implicit && !matches!(b.scenario.probe, Probe::Finger { .. }) {
        b.scenario.mx = hosts.iter().map(|h| h.0.clone()).collect::<Vec<_>>().join("\n");
        b.fill(
            "mx",
            b.scenario.mx.replace('\n', ", "),
            lines.clone(),
            "the servers Postfix connected to, in order (preferences are not logged: 10, 20, … by position)",
        );
    }
    let records: Vec<String> = hosts
        .iter()
        .flat_map(|(h, addrs, _)| {
            addrs.iter().filter_map(move |a| a.parse::<IpAddr>().ok().map(|ip| format!("{h} {} {ip}", if ip.is_ipv4() { "A" } else { "AAAA" })))
        })
        .collect();
    if !records.is_empty() {
        b.scenario.addresses = records.join("\n");
        b.fill("addresses", records.join(", "), lines, "the addresses in the log's host[address] names");
    }
}

/// Policy entries the `maps_find` lines show (`smtp -v` only).
fn policy(b: &mut Builder, r: &LogReading, focus: Option<&DeliveryAttempt>) {
    let in_window = |line: usize| focus.is_none_or(|d| d.entries.iter().filter_map(|i| r.entries.get(*i)).any(|e: &LogEntry| e.line == line));
    let mut rows: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    let mut cut = Vec::new();
    for l in r.lookups.iter().filter(|l| in_window(l.line)) {
        let Some(value) = &l.value.result else { continue };
        if value.ends_with("...") && value.chars().count() >= 103 {
            cut.push(l.value.key.clone());
            continue;
        }
        let row = format!("{} {value}", l.value.key);
        if !rows.contains(&row) {
            rows.push(row);
            lines.push(l.line);
        }
    }
    if !rows.is_empty() {
        b.scenario.policy_table = rows.join("\n");
        b.fill("policy_table", rows.join("\n"), lines, "the entries Postfix found (smtp -v `maps_find` lines)");
    }
    for key in cut {
        b.miss("policy_table", format!("the full policy line for {key}"), "Postfix logs only the first 100 characters of a policy entry");
    }
    if rows.is_empty() {
        let dest = if b.scenario.destination.is_empty() { "the destination".to_string() } else { b.scenario.destination.clone() };
        b.miss(
            "policy_table",
            format!("the tls_policy line(s) for {dest}"),
            "the log shows the policy only in `smtp -v` maps_find lines (and warnings when an entry is invalid)",
        );
    }
}

/// PEM blocks pasted with the log (posttls-finger -C), else ask for them.
fn certificates(b: &mut Builder, r: &LogReading, conns: &[&PeerConnection]) {
    if r.certificates.is_empty() {
        b.miss(
            "certificates",
            "the certificate chain the server sends (PEM): `posttls-finger -c -C -l secure DOMAIN` or `openssl s_client -starttls smtp -showcerts -connect HOST:25`",
            "a log has certificate names and digests, never the certificates",
        );
        return;
    }
    let pem: String = r.certificates.iter().map(|c| c.pem.as_str()).collect::<Vec<_>>().join("\n");
    let mut hosts: Vec<&str> = conns.iter().map(|c| c.peer.host.as_str()).collect();
    hosts.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let host = if hosts.len() == 1 { hosts[0].to_string() } else { String::new() };
    b.scenario.certificates = vec![ServedChain { host, pem }];
    b.fill("certificates", format!("{} PEM certificate(s)", r.certificates.len()), r.certificates.iter().map(|c| c.first_line).collect(), "PEM blocks pasted with the log");
}

/// Whether the CA store trusted the chain, when the summary word or a failure line says so.
fn trust(b: &mut Builder, conns: &[&PeerConnection]) {
    let trusted = conns.iter().find_map(|c| c.trust.as_ref().filter(|t| matches!(t.value, TrustWord::Trusted | TrustWord::Verified) && c.dane.is_empty() && c.matched_fingerprint.is_none()));
    let untrusted = conns.iter().flat_map(|c| c.failures.iter()).find(|f| {
        matches!(f.value.failure, super::kind::VerifyFailure::UntrustedIssuer { .. } | super::kind::VerifyFailure::SelfSigned | super::kind::VerifyFailure::NotTrustedByPolicy)
    });
    match (trusted, untrusted) {
        (Some(t), None) => {
            b.scenario.ca_trust = CaTrust::Trusted;
            b.fill("ca_trust", "trusted", vec![t.line], format!("Postfix logged \"{}\": its CA store trusted the chain", t.value.as_str()));
        }
        (None, Some(f)) => {
            b.scenario.ca_trust = CaTrust::Untrusted;
            b.fill("ca_trust", "untrusted", vec![f.line], format!("Postfix could not build a trusted chain: \"{}\"", f.value.reason));
        }
        _ => b.miss("ca_bundle", "the CA store Postfix uses (smtp_tls_CAfile contents), or whether it trusts the chain", "the log does not show whether the chain was trusted"),
    }
}

/// STARTTLS not offered, anonymous servers, the accept reply.
fn behaviour(b: &mut Builder, focus: Option<&DeliveryAttempt>, conns: &[&PeerConnection]) {
    if let Some(d) = focus {
        for (text, line) in d.notes.iter().map(|n| (n.value.as_str(), n.line)).chain(std::iter::once((d.status.reason.as_str(), d.line))) {
            if let Some(rest) = text.split_once("was not offered by host ").map(|x| x.1) {
                let host = rest.split('[').next().unwrap_or(rest).trim().to_string();
                b.fill("servers", format!("{host}: no STARTTLS"), vec![line], "the server did not offer STARTTLS");
                b.scenario.servers.push(ServerSetting { host, starttls: false, ..ServerSetting::default() });
            }
        }
        if d.status.status == "sent" && !d.status.reason.is_empty() {
            b.scenario.server_reply = d.status.reason.clone();
        }
    }
    for c in conns.iter().filter(|c| c.anonymous || c.trust.as_ref().is_some_and(|t| t.value == TrustWord::Anonymous)) {
        if !b.scenario.servers.iter().any(|s| s.host.eq_ignore_ascii_case(&c.peer.host)) {
            b.scenario.servers.push(ServerSetting { host: c.peer.host.clone(), certificate: false, ..ServerSetting::default() });
            b.fill("servers", format!("{}: no certificate", c.peer.host), c.lines.clone(), "the server used an anonymous cipher");
        }
    }
}

/// The decision's time, when the log's timestamp has a date and a zone.
fn when(b: &mut Builder, r: &LogReading, focus: Option<&DeliveryAttempt>) {
    let line = focus.map(|d| d.line).or_else(|| r.entries.last().map(|e| e.line));
    let stamp = line.and_then(|l| r.entries.iter().find(|e| e.line == l)).and_then(|e| e.timestamp.as_deref()).and_then(|t| utc_rfc3339(t).map(|u| (u, t)));
    match (stamp, line) {
        (Some((utc, _)), Some(l)) => {
            b.scenario.evaluated_at = Some(utc.clone());
            b.fill("evaluated_at", utc, vec![l], "certificate dates are checked at the time of the logged decision");
        }
        _ => b.miss(
            "evaluated_at",
            "when Postfix made the decision (RFC 3339), if certificate dates matter",
            "the log's timestamps have no year or no time zone; without it, dates are checked against now",
        ),
    }
}

//! Groups read lines into connections and deliveries, and collects the route facts.
//!
//! One smtp(8) process handles one delivery at a time and logs its lines in order: for each
//! server, the TLS lines end with the summary ("… TLS connection established …"), and the
//! delivery ends with the status line. So lines are grouped per process: a new connection
//! starts when another server is named or after a summary; a status line closes the window.

use super::kind::{LevelScope, LineKind};
use super::peer::Peer;
use super::reading::{
    CertNameFact, ChainFact, DeliveryAttempt, Fact, FailureFact, LevelFact, LogEntry, LookupFact, NextHopFact, PeerCertificateFact, PeerConnection, ServerFact,
    WarningFact,
};
use std::collections::{HashMap, HashSet};

/// The grouped facts.
#[derive(Default)]
pub struct Assembled {
    /// Connections in order.
    pub connections: Vec<PeerConnection>,
    /// Deliveries in order.
    pub deliveries: Vec<DeliveryAttempt>,
    /// Next-hops named.
    pub nexthops: Vec<NextHopFact>,
    /// Servers named.
    pub servers: Vec<ServerFact>,
    /// Policy-table queries.
    pub lookups: Vec<Fact<LookupFact>>,
    /// TLS levels.
    pub levels: Vec<Fact<LevelFact>>,
    /// Warnings.
    pub warnings: Vec<Fact<WarningFact>>,
    /// Errors.
    pub errors: Vec<Fact<WarningFact>>,
    /// Lower-cased host → index in `servers`, lower-cased next-hops, and (server, address)
    /// pairs already listed: a 4 MB log names thousands of each, and lists must not be
    /// searched once per line.
    seen_servers: HashMap<String, usize>,
    seen_nexthops: HashSet<String>,
    seen_addresses: HashSet<(usize, String)>,
}

/// Per-process state while walking the entries.
#[derive(Default)]
struct Process {
    open: Option<usize>,
    summary_seen: bool,
    connections: Vec<usize>,
    entries: Vec<usize>,
}

/// Groups `entries` (in line order).
pub fn assemble(entries: &[LogEntry]) -> Assembled {
    let mut out = Assembled::default();
    let mut processes: HashMap<String, Process> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let key = e.process();
        let proc = processes.entry(key.clone()).or_default();
        proc.entries.push(i);
        route_facts(&mut out, e);
        match &e.kind {
            LineKind::Status(status) => {
                let notes = proc
                    .entries
                    .iter()
                    .filter_map(|j| entries.get(*j))
                    .filter_map(|n| match &n.kind {
                        LineKind::DeliveryNote { queue_id, text } if *queue_id == status.queue_id => Some(Fact::new(n.line, text.clone())),
                        _ => None,
                    })
                    .collect();
                out.deliveries.push(DeliveryAttempt {
                    line: e.line,
                    process: key,
                    program: e.program.clone(),
                    status: status.clone(),
                    notes,
                    connections: std::mem::take(&mut proc.connections),
                    entries: std::mem::take(&mut proc.entries),
                });
                proc.open = None;
                proc.summary_seen = false;
            }
            LineKind::ServerAnonymous => {
                if let Some(c) = proc.open.and_then(|c| out.connections.get_mut(c)) {
                    c.anonymous = true;
                    c.lines.push(e.line);
                }
            }
            kind => {
                let Some(peer) = connection_peer(kind) else { continue };
                let reuse = proc.open.filter(|c| {
                    let Some(conn) = out.connections.get(*c) else { return false };
                    let restart = matches!(kind, LineKind::SettingUp { .. }) && conn.has_tls_lines();
                    conn.peer.same_server(peer) && !proc.summary_seen && !restart
                });
                let index = match reuse {
                    Some(c) => c,
                    None => {
                        out.connections.push(PeerConnection::new(key.clone(), peer.clone()));
                        let c = out.connections.len() - 1;
                        proc.open = Some(c);
                        proc.summary_seen = false;
                        proc.connections.push(c);
                        c
                    }
                };
                if let Some(conn) = out.connections.get_mut(index) {
                    apply(conn, e);
                }
                if matches!(kind, LineKind::TlsSummary { .. }) {
                    proc.summary_seen = true;
                }
            }
        }
    }
    out
}

/// The server a line adds to a connection record (route-only lines do not).
fn connection_peer(kind: &LineKind) -> Option<&Peer> {
    match kind {
        LineKind::Warning { .. } | LineKind::Dane { .. } | LineKind::HandshakeError { .. } => kind.peer(),
        LineKind::DnsQuery { .. } | LineKind::ServerCandidate { .. } | LineKind::SessionCache { .. } => None,
        _ => kind.peer(),
    }
}

fn apply(c: &mut PeerConnection, e: &LogEntry) {
    c.lines.push(e.line);
    if c.peer.address.is_empty() {
        if let Some(p) = e.kind.peer().filter(|p| !p.address.is_empty()) {
            c.peer.address = p.address.clone();
        }
    }
    match &e.kind {
        LineKind::TlsSummary { peer, trust, reused, details } => {
            // The TLS library's (lower-cased) name, as in the failure lines.
            c.peer = peer.clone();
            c.trust = Some(Fact::new(e.line, *trust));
            c.reused = *reused;
            c.cipher = Some(details.clone());
        }
        LineKind::VerifyFailed { purpose, failure, reason, .. } => {
            c.failures.push(Fact::new(e.line, FailureFact { purpose: purpose.clone(), failure: failure.clone(), reason: reason.clone() }))
        }
        LineKind::CertName { source, name, matched, .. } => {
            c.names.push(Fact::new(e.line, CertNameFact { source: source.clone(), name: name.clone(), matched: *matched }))
        }
        LineKind::MatchedPeername { name, .. } => c.matched_peername = Some(Fact::new(e.line, name.clone())),
        LineKind::MatchedFingerprint { fingerprint, .. } => c.matched_fingerprint = Some(Fact::new(e.line, fingerprint.clone())),
        LineKind::PeerCertificate { subject_cn, issuer, cert_fingerprint, pkey_fingerprint, form, .. } => {
            c.certificate = Some(Fact::new(
                e.line,
                PeerCertificateFact {
                    subject_cn: subject_cn.clone(),
                    issuer: issuer.clone(),
                    cert_fingerprint: cert_fingerprint.clone(),
                    pkey_fingerprint: pkey_fingerprint.clone(),
                    form: *form,
                },
            ))
        }
        LineKind::RawPublicKey { fingerprint, .. } => c.dane.push(Fact::new(e.line, format!("raw public key fingerprint={fingerprint}"))),
        LineKind::ChainCertificate { depth, verify, subject, .. } => c.chain.push(Fact::new(e.line, ChainFact { depth: *depth, verify: *verify, subject: subject.clone() })),
        LineKind::Dane { text, .. } => c.dane.push(Fact::new(e.line, text.clone())),
        LineKind::HandshakeError { text, .. } => c.handshake_error = Some(Fact::new(e.line, text.clone())),
        LineKind::ConnectFailed { reason, .. } => c.connect_error = Some(Fact::new(e.line, reason.clone())),
        LineKind::Warning { text, .. } => c.warnings.push(Fact::new(e.line, text.clone())),
        LineKind::ReuseHint { wording, .. } => c.reuse_hint = Some(Fact::new(e.line, wording.clone())),
        _ => {}
    }
}

fn add_nexthop(out: &mut Assembled, value: &str, source: &str, line: usize) {
    let value = value.trim();
    if value.is_empty() || !out.seen_nexthops.insert(value.to_ascii_lowercase()) {
        return;
    }
    out.nexthops.push(NextHopFact { value: value.to_string(), source: source.to_string(), line });
}

fn add_server(out: &mut Assembled, host: &str, address: &str, port: Option<u16>, line: usize) {
    let host = host.trim().trim_end_matches('.');
    if host.is_empty() {
        return;
    }
    let address = address.trim();
    let index = *out.seen_servers.entry(host.to_ascii_lowercase()).or_insert(out.servers.len());
    if index == out.servers.len() {
        out.servers.push(ServerFact { host: host.to_string(), addresses: Vec::new(), port, line });
    }
    let Some(s) = out.servers.get_mut(index) else { return };
    if !address.is_empty() && out.seen_addresses.insert((index, address.to_string())) {
        s.addresses.push(address.to_string());
    }
    if s.port.is_none() {
        s.port = port;
    }
}

fn route_facts(out: &mut Assembled, e: &LogEntry) {
    let line = e.line;
    match &e.kind {
        LineKind::SessionCache { key, .. } => {
            add_nexthop(out, &key.nexthop, "session-cache-key", line);
            add_server(out, &key.host, &key.address, None, line);
        }
        LineKind::Nexthop { value } => add_nexthop(out, value, "nexthop", line),
        LineKind::PolicyWarning { destination, problem } => {
            add_nexthop(out, destination, "policy-warning", line);
            let text = format!("smtp_tls_policy_maps, next-hop destination \"{destination}\": {problem}");
            out.warnings.push(Fact::new(line, WarningFact { topic: super::kind::WarningTopic::Policy, text }));
        }
        LineKind::PolicyLookupFailed { destination, host, reason } => {
            add_nexthop(out, destination, "policy-lookup", line);
            add_server(out, host, "", None, line);
            let text = format!("TLS policy lookup for {destination}/{host}: {reason}");
            out.warnings.push(Fact::new(line, WarningFact { topic: super::kind::WarningTopic::Policy, text }));
        }
        LineKind::MapsFind { table, key, result, aborted } => {
            if table.ends_with("_tls_policy_maps") {
                out.lookups.push(Fact::new(line, LookupFact { table: table.clone(), key: key.clone(), result: result.clone(), aborted: *aborted }));
            }
        }
        LineKind::TlsLevel { scope, level } => out.levels.push(Fact::new(line, LevelFact { scope: *scope, level: level.clone() })),
        LineKind::ServerCandidate { host } => add_server(out, host, "", None, line),
        LineKind::Status(s) => {
            if let Some(p) = &s.relay.peer {
                add_server(out, &p.host, &p.address, p.port, line);
            }
        }
        LineKind::Warning { topic, text, .. } => out.warnings.push(Fact::new(line, WarningFact { topic: *topic, text: text.clone() })),
        LineKind::Error { topic, text } => out.errors.push(Fact::new(line, WarningFact { topic: *topic, text: text.clone() })),
        kind => {
            if let Some(p) = kind.peer() {
                add_server(out, &p.host, &p.address, p.port, line);
            }
        }
    }
}

/// The TLS levels logged in a delivery's window, for the stage decision.
pub fn effective_level(entries: &[LogEntry], window: &[usize]) -> Option<String> {
    let mut level = None;
    for e in window.iter().filter_map(|i| entries.get(*i)) {
        match &e.kind {
            LineKind::TlsLevel { scope: LevelScope::Effective, level: l } => level = Some(l.clone()),
            LineKind::TlsLevel { scope: LevelScope::Global, level: l } if level.is_none() => level = Some(l.clone()),
            LineKind::MapsFind { result: Some(r), table, .. } if table.ends_with("_tls_policy_maps") => {
                level = r.split_whitespace().next().map(str::to_string);
            }
            _ => {}
        }
    }
    level
}

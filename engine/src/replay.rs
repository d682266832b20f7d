//! Oracle replay: turns one recorded expectation line (schema in `shared/oracle/README.md`)
//! into a scenario built from its **inputs only**, explains it, and renders the prediction with
//! exactly the field names and shapes of the recorded outputs, so the two can be compared
//! field by field.
//!
//! The harness's base main.cf (compatibility level, CA file, loglevel, texthash tables, the
//! daemon directory of the installation that recorded the case) is part of the documented
//! inputs and is reproduced here.

use crate::dns::{Dns, MxEntry};
use crate::report::Report;
use crate::scenario::{CaTrust, Probe, Scenario, ServedChain, ServerSetting};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The master.cf both harnesses write for their private Postfix (`MASTER_CF` in
/// `shared/oracle/run.py` and `shared/oracle-dane/oracle_run.py`): it has no tlsproxy(8), which
/// decides every smtp(8) case with TLS connection reuse.
const HARNESS_MASTER_CF: &str = "\
pickup    unix  n       -       n       60      1       pickup\n\
cleanup   unix  n       -       n       -       0       cleanup\n\
qmgr      unix  n       -       n       300     1       qmgr\n\
tlsmgr    unix  -       -       n       1000?   1       tlsmgr\n\
rewrite   unix  -       -       n       -       -       trivial-rewrite\n\
bounce    unix  -       -       n       -       0       bounce\n\
defer     unix  -       -       n       -       0       bounce\n\
trace     unix  -       -       n       -       0       bounce\n\
verify    unix  -       -       n       -       1       verify\n\
flush     unix  n       -       n       1000?   0       flush\n\
proxymap  unix  -       -       n       -       -       proxymap\n\
smtp      unix  -       -       n       -       -       smtp -v\n\
relay     unix  -       -       n       -       -       smtp -v\n\
showq     unix  n       -       n       -       -       showq\n\
error     unix  -       -       n       -       -       error\n\
retry     unix  -       -       n       -       -       error\n\
discard   unix  -       -       n       -       -       discard\n\
anvil     unix  -       -       n       -       1       anvil\n\
scache    unix  -       -       n       -       1       scache\n\
postlog   unix-dgram n  -       n       -       1       postlogd\n\
";

/// The CA files the `ca` input names, read from the oracle's `results/` folder.
#[derive(Clone, Debug, Default)]
pub struct CaFiles {
    /// `ca.pem` contents.
    pub ca: String,
    /// `untrusted-ca.pem` contents.
    pub untrusted: String,
}

fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// The daemon directory of the installation that recorded `version` (Debian's package for
/// 3.7.11, private `--postfix-prefix` builds otherwise; oracle README "Other Postfix versions").
fn daemon_directory(version: &str) -> &'static str {
    if version == "3.7.11" {
        "/usr/lib/postfix/sbin"
    } else {
        "<postfix_prefix>/usr/libexec/postfix"
    }
}

/// An MX host as the harness's DNS server answers it: dnsmasq serves `--mx-host` targets in
/// lower case (checked with dnsmasq 2.90: `MX.Example.NET` is answered as `mx.example.net`),
/// so Postfix logs `relay=mx.example.net[...]`. A real DNS server answers the case it stores,
/// which is why the engine keeps the case it is given and only the replay lowers it. A name
/// in an answer has no trailing dot (the MX pane drops it too: `input/mx.rs`).
fn served_mx_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Builds the scenario of one expectation line.
pub fn scenario_of(case: &Value, cas: &CaFiles) -> Scenario {
    let version = s(case, "postfix_version");
    let input = case.get("input").cloned().unwrap_or(Value::Null);
    let finger = s(case, "mode") == "finger";
    let legacy = crate::version::PostfixVersion::parse(&version).map(|v| !v.has_dotted_compatibility_levels()).unwrap_or(false);
    let ca_name = input.get("ca").and_then(Value::as_str).map(str::to_string);

    let mut main_cf: BTreeMap<String, String> = BTreeMap::new();
    main_cf.insert("compatibility_level".into(), if legacy { "2".into() } else { "3.6".into() });
    main_cf.insert("smtp_tls_security_level".into(), "may".into());
    main_cf.insert("smtp_tls_loglevel".into(), "routine,certmatch".into());
    main_cf.insert("smtp_tls_policy_maps".into(), "texthash:<policy_file>".into());
    main_cf.insert("daemon_directory".into(), daemon_directory(&version).into());
    main_cf.insert("smtp_tls_CAfile".into(), if ca_name.is_some() { "<ca.pem>".into() } else { String::new() });
    if let Some(over) = input.get("main_cf").and_then(Value::as_object) {
        for (k, v) in over {
            main_cf.insert(k.clone(), v.as_str().unwrap_or_default().to_string());
        }
    }
    let dane_corpus = recorded_by_dane_harness(case);
    if dane_corpus {
        // The DANE harness adds these to its base main.cf (oracle-dane README, "How it works").
        main_cf.insert("smtp_dns_support_level".into(), "dnssec".into());
        main_cf.insert("smtp_host_lookup".into(), "dns".into());
    }
    let mut main_cf_text: String = main_cf.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    main_cf_text.push_str(HARNESS_MASTER_CF);

    let mut ca_bundle = match ca_name.as_deref() {
        Some("untrusted-ca.pem") => cas.untrusted.clone(),
        Some(_) => cas.ca.clone(),
        None => String::new(),
    };
    for extra in strings(input.get("ca_extra_pem")) {
        ca_bundle.push_str(&extra);
    }

    let mut dns = Dns { complete: true, ..Dns::default() };
    if let Some(mx) = input.get("mx").and_then(Value::as_object) {
        for (domain, records) in mx {
            let list: Vec<MxEntry> = records
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|r| MxEntry { pref: r.get("pref").and_then(Value::as_u64).unwrap_or(10) as u16, host: served_mx_host(&s(r, "host")) })
                        .collect()
                })
                .unwrap_or_default();
            // The harness serves no records at all for an empty list: the name does not exist.
            if !list.is_empty() {
                dns.mx.insert(domain.to_lowercase(), list);
            }
        }
    }
    if dane_corpus {
        dns.default_secure = true;
        if let Some(t) = input.get("tlsa").and_then(Value::as_object) {
            for (owner, rrset) in t {
                dns.tlsa.insert(owner.to_lowercase(), strings(Some(rrset)));
            }
        }
        if let Some(d) = input.get("dnssec").and_then(Value::as_object) {
            for (name, st) in d {
                let status = crate::dns::DnssecStatus {
                    ad: st.get("ad").and_then(Value::as_bool).unwrap_or(false),
                    rcode: s(st, "rcode"),
                };
                let (owner, rtype) = name.rsplit_once(' ').unwrap_or((name.as_str(), "A"));
                dns.set_dnssec(owner, rtype, status);
            }
        }
    }
    if let Some(a) = input.get("a").and_then(Value::as_object) {
        // dnsmasq serves names case-insensitively: two spellings of one name are one name
        // with both addresses.
        for (host, ip) in a {
            let ip = ip.as_str().unwrap_or_default().to_string();
            let list = dns.addresses.entry(host.to_lowercase()).or_default();
            if !list.contains(&ip) {
                list.push(ip);
            }
        }
    }

    let default_chain = input.get("chain_pem").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| s(&input, "cert_pem"));
    let mut certificates = vec![ServedChain { host: String::new(), pem: default_chain }];
    if let Some(hc) = input.get("host_certs").and_then(Value::as_object) {
        for (host, c) in hc {
            let pem = c.get("chain_pem").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| s(c, "cert_pem"));
            certificates.push(ServedChain { host: host.clone(), pem: pem.clone() });
            let ip = s(c, "ip");
            if !ip.is_empty() {
                certificates.push(ServedChain { host: ip, pem });
            }
        }
    }
    let mut files = BTreeMap::new();
    files.insert("<ca.pem>".to_string(), cas.ca.clone());
    files.insert("<untrusted-ca.pem>".to_string(), cas.untrusted.clone());
    if let Some(ints) = input.get("intermediates_pem").and_then(Value::as_object) {
        for (name, pem) in ints {
            files.insert(format!("<{name}.pem>"), pem.as_str().unwrap_or_default().to_string());
        }
    }
    let mut servers = Vec::new();
    if let Some(server) = input.get("server") {
        let starttls = server.get("starttls").and_then(Value::as_bool).unwrap_or(true);
        let anonymous = server.get("ciphers").and_then(Value::as_str).is_some_and(|c| c.contains("aNULL"));
        let tls_max = server.get("tls_max").and_then(Value::as_str).map(str::to_string);
        servers.push(ServerSetting { host: String::new(), starttls, certificate: !anonymous, tls_max });
    }
    let probe = if finger {
        // The harness gives posttls-finger the case's CA file with -F (its only trust).
        let mut args: Vec<String> = ca_name.iter().flat_map(|ca| ["-F".to_string(), format!("<{ca}>")]).collect();
        args.extend(strings(input.get("args")));
        Probe::Finger { level: s(&input, "level"), matches: strings(input.get("match")), args }
    } else {
        Probe::Smtp
    };
    Scenario {
        postfix_version: version,
        evaluated_at: case.get("observed_at").and_then(Value::as_str).map(str::to_string),
        main_cf: main_cf_text,
        policy_table: s(&input, "policy_table"),
        transport_table: s(&input, "transport_table"),
        destination: if finger { s(&input, "destination") } else { s(&input, "recipient") },
        mx: String::new(),
        addresses: String::new(),
        certificates,
        ca_trust: CaTrust::Bundle,
        ca_bundle,
        trust_anchor_files: files,
        servers,
        server_reply: "250 2.0.0 Ok: queued as ORACLE".into(),
        probe,
        dns: Some(dns),
        policy_file: "<policy_file>".into(),
        ..Scenario::default()
    }
}

/// Renders a report with the field names and shapes of the expectations' `output`.
pub fn predicted(report: &Report) -> Value {
    let mut out = Map::new();
    if let Some(run) = &report.finger {
        // The harness reads what posttls-finger printed: without `summary` in -L there is no
        // "TLS connection established" line (so, for it, no TLS session), without `certmatch`
        // no match lines.
        let summary = run.log_mask.shows(crate::logs::Verbosity::Summary);
        // ≤3.5 prints its match lines with certmatch or verbose only, not with peercert alone.
        let legacy = report.era == crate::version::Era::Legacy;
        let matches = if legacy {
            run.log_mask.any(crate::logs::TlsLogMask::CERTMATCH | crate::logs::TlsLogMask::VERBOSE)
        } else {
            run.log_mask.shows(crate::logs::Verbosity::Certmatch)
        };
        let conn = run.connection.as_ref();
        let tls: Vec<Value> = conn.filter(|_| summary).and_then(|c| c.trust.map(|t| json!({"trust": t.as_str(), "peer": c.namaddr}))).into_iter().collect();
        out.insert("tls".into(), Value::Array(tls));
        let shown = conn.filter(|_| matches);
        out.insert("matched_peername".into(), json!(shown.and_then(|c| c.matched_peername.clone()).into_iter().collect::<Vec<_>>()));
        out.insert("matched_fingerprint".into(), json!(shown.and_then(|c| c.matched_fingerprint.clone()).into_iter().collect::<Vec<_>>()));
        out.insert("verify_failures".into(), json!(conn.and_then(|c| c.failure_line.clone()).into_iter().collect::<Vec<_>>()));
        out.insert("certmatch".into(), certmatch(shown.into_iter()));
        let (equivalent, generic) = if summary || conn.and_then(|c| c.trust).is_none() {
            (run.smtp_client_equivalent.clone(), run.generic_equivalent.clone())
        } else {
            let level = run.level.map(|l| l.name()).unwrap_or_default();
            let args: &[String] = if run.default_matches { &[] } else { &run.matches };
            crate::finger::equivalents(level, args, None, &run.errors)
        };
        out.insert("smtp_client_equivalent".into(), json!(equivalent));
        out.insert("smtp_client_equivalent_generic".into(), json!(generic));
        out.insert("matched_dane".into(), json!(shown.and_then(|c| c.matched_dane.clone()).into_iter().collect::<Vec<_>>()));
        out.insert("warnings".into(), json!(run.warnings));
        out.insert("errors".into(), json!(run.errors));
        return Value::Object(out);
    }
    let Some(d) = &report.delivery else { return Value::Object(out) };
    let conns: Vec<&crate::tls::session::Connection> = d.destinations.iter().flat_map(|r| r.hosts.iter()).filter_map(|h| h.connection.as_ref()).collect();
    let tls: Vec<Value> = conns.iter().filter_map(|c| c.trust.map(|t| json!({"trust": t.as_str(), "peer": c.namaddr}))).collect();
    out.insert("tls".into(), Value::Array(tls));
    out.insert("matched_peername".into(), json!(conns.iter().filter_map(|c| c.matched_peername.clone()).collect::<Vec<_>>()));
    out.insert("matched_fingerprint".into(), json!(conns.iter().flat_map(|c| c.matched_fingerprints.iter().cloned()).collect::<Vec<_>>()));
    out.insert("verify_failures".into(), json!(conns.iter().filter_map(|c| c.failure_line.clone()).collect::<Vec<_>>()));
    out.insert("certmatch".into(), certmatch(conns.iter().copied()));
    let o = &d.outcome;
    out.insert("status".into(), json!(o.status.as_str()));
    out.insert("dsn".into(), json!(o.dsn));
    out.insert("reason".into(), json!(o.reason));
    out.insert("status_tls".into(), json!(o.status_tls));
    out.insert("relay".into(), json!(o.relay));
    // smtp(8) logs its next-hop unless it died at start-up: the one start-up fatal modelled is
    // an invalid global level (a fatal with the delivery request in hand, a bad server
    // description, leaves no status line either from 3.5, but the next-hop was logged).
    let died_at_start = d.errors.iter().any(|e| e.starts_with("smtp: fatal: Invalid TLS level"));
    let started = o.status != crate::delivery::Status::Timeout || !died_at_start;
    out.insert("nexthop".into(), if started { json!(d.route.nexthop) } else { Value::Null });
    let lookups: Vec<Value> = d
        .lookups
        .iter()
        .map(|l| if l.search_aborted { json!({"key": l.key, "result": Value::Null, "search_aborted": true}) } else { json!({"key": l.key, "result": l.result}) })
        .collect();
    out.insert("policy_lookups".into(), Value::Array(lookups));
    out.insert("global_level".into(), json!(d.global_level.map(|l| l.name())));
    out.insert("effective_level".into(), json!(d.effective_level.map(|l| l.name())));
    out.insert("matched_dane".into(), json!(conns.iter().filter_map(|c| c.matched_dane.clone()).collect::<Vec<_>>()));
    out.insert("warnings".into(), json!(d.warnings));
    out.insert("tls_policy_warnings".into(), json!(d.warnings.iter().filter(|w| !w.starts_with("process ") && !w.contains("bad command startup")).collect::<Vec<_>>()));
    out.insert("errors".into(), json!(d.errors));
    Value::Object(out)
}

fn certmatch<'a>(conns: impl Iterator<Item = &'a crate::tls::session::Connection>) -> Value {
    let mut lines = Vec::new();
    for c in conns {
        for l in &c.certmatch {
            lines.push(json!({"peer": l.peer, "source": l.source, "name": l.name, "matched": l.matched}));
        }
    }
    Value::Array(lines)
}

/// Normalises values that differ between runs of the same Postfix (process ids).
fn normalise(v: &Value) -> Value {
    match v {
        Value::String(s) => {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(i) = rest.find(" pid ") {
                out.push_str(&rest[..i + 5]);
                rest = &rest[i + 5..];
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                if digits > 0 || rest.starts_with("<pid>") {
                    out.push_str("<pid>");
                    rest = &rest[if digits > 0 { digits } else { 5 }..];
                }
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), normalise(v))).collect()),
        other => other.clone(),
    }
}

/// One field that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// Output field name.
    pub field: String,
    /// Recorded value.
    pub observed: Value,
    /// Predicted value.
    pub predicted: Value,
}

/// Recorded fields that are reading aids rather than verdicts: `dane_log` is a keyword-filtered
/// copy of Postfix's debug log (DNS query traces), not a parsed result (oracle-dane README).
pub const NOT_COMPARED: &[&str] = &["dane_log"];

/// Compares a prediction with the recorded output, field by field (every recorded field but
/// [`NOT_COMPARED`]).
pub fn compare(observed: &Value, predicted: &Value) -> Vec<Difference> {
    let mut diffs = Vec::new();
    let Some(obs) = observed.as_object() else { return diffs };
    for (field, value) in obs.iter().filter(|(f, _)| !NOT_COMPARED.contains(&f.as_str())) {
        let want = normalise(value);
        let got = normalise(predicted.get(field).unwrap_or(&Value::Null));
        if want != got {
            diffs.push(Difference { field: field.clone(), observed: want, predicted: got });
        }
    }
    diffs
}

/// Whether the line was recorded by the DANE harness (`shared/oracle-dane`): its inputs always
/// carry the case's TLSA records (possibly none).
fn recorded_by_dane_harness(case: &Value) -> bool {
    case.get("input").and_then(|i| i.get("tlsa")).is_some()
}

/// [`predicted`] for one expectation line, with the harness's own derived fields: the plain
/// harness (`shared/oracle/run.py`) maps a posttls-finger run at `dane`/`dane-only` to smtp(8)
/// with its generic rule, where the DANE harness labels it not applicable (the engine's
/// `smtp_client_equivalent`, since posttls-finger's level in force is not the one asked for).
pub fn predicted_for(case: &Value, report: &Report) -> Value {
    let mut prediction = predicted(report);
    if !recorded_by_dane_harness(case) {
        if let Some(generic) = prediction.get("smtp_client_equivalent_generic").cloned().filter(|_| report.finger.is_some()) {
            prediction["smtp_client_equivalent"] = generic;
        }
    }
    prediction
}

/// Replays one expectation line: the prediction and the differences from what was recorded.
pub fn replay(case: &Value, cas: &CaFiles) -> (Value, Vec<Difference>) {
    let scenario = scenario_of(case, cas);
    let report = crate::explain::explain_without_fixes(&scenario);
    let prediction = predicted_for(case, &report);
    let diffs = case.get("output").map(|o| compare(o, &prediction)).unwrap_or_default();
    (prediction, diffs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_are_normalised() {
        let a = json!(["process /x/smtp pid 28589 exit status 1"]);
        let b = json!(["process /x/smtp pid <pid> exit status 1"]);
        assert_eq!(normalise(&a), normalise(&b));
    }

    #[test]
    fn mx_hosts_are_replayed_as_the_harness_dns_serves_them() {
        let case = json!({"mode": "policy", "postfix_version": "3.7.11",
                          "input": {"recipient_domain": "example.org", "mx": {"example.org": [{"pref": 10, "host": "MX.Example.NET"}, {"pref": 20, "host": "mx2.example.net."}]}}});
        let scenario = scenario_of(&case, &CaFiles::default());
        let hosts: Vec<&str> = scenario.dns.as_ref().expect("dns").mx.values().flatten().map(|e| e.host.as_str()).collect();
        assert_eq!(hosts, ["mx.example.net", "mx2.example.net"]);
    }
}

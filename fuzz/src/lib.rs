//! Helpers shared by the fuzz targets: versions to try, and a [`Scenario`] read from raw
//! bytes for the full explain path.
//!
//! Scenario layout (what `seed-corpora.sh` writes): fields separated by U+001E (RS):
//! control, main.cf, policy table, transport table, destination, MX, addresses, TLSA,
//! CA bundle, certificate panes, trust anchor files, insecure names, servers, server reply,
//! policy file name. Panes and files are separated by U+001D (GS); the first line of each is
//! its host or path. Control words: version, `trusted|untrusted|unknown|bundle`,
//! `finger=LEVEL`, `m=MATCH`, `a=ARG`, `at=TIME`, `insecure`.

use peername_engine::scenario::{CaTrust, Probe, Scenario, ServedChain, ServerSetting};
use peername_engine::version::PostfixVersion;

/// One version of each era and rule change the parsers care about.
pub const VERSIONS: [&str; 7] = ["2.11.0", "3.5.27", "3.6.0", "3.9.0", "3.10.3", "3.10.5", "3.11.6"];

/// The parsed [`VERSIONS`].
pub fn versions() -> Vec<PostfixVersion> {
    VERSIONS.iter().filter_map(|v| PostfixVersion::parse(v).ok()).collect()
}

/// `first line`, `rest` of a text.
fn head(text: &str) -> (&str, &str) {
    text.split_once('\n').unwrap_or((text, ""))
}

/// Builds a scenario from fuzz bytes (see the module documentation for the layout).
pub fn scenario(data: &[u8]) -> Scenario {
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\u{1e}');
    let mut next = || fields.next().unwrap_or("").to_string();
    let control = next();
    let mut s = Scenario::default();
    let mut finger: Option<(String, Vec<String>, Vec<String>)> = None;
    for (i, word) in control.split_whitespace().enumerate() {
        match word {
            _ if i == 0 => s.postfix_version = word.to_string(),
            "trusted" => s.ca_trust = CaTrust::Trusted,
            "untrusted" => s.ca_trust = CaTrust::Untrusted,
            "unknown" => s.ca_trust = CaTrust::Unknown,
            "bundle" => s.ca_trust = CaTrust::Bundle,
            "insecure" => s.dnssec_validated = false,
            _ => {
                if let Some(level) = word.strip_prefix("finger=") {
                    finger = Some((level.to_string(), Vec::new(), Vec::new()));
                } else if let (Some(m), Some(f)) = (word.strip_prefix("m="), finger.as_mut()) {
                    f.1.push(m.to_string());
                } else if let (Some(a), Some(f)) = (word.strip_prefix("a="), finger.as_mut()) {
                    f.2.push(a.to_string());
                } else if let Some(at) = word.strip_prefix("at=") {
                    s.evaluated_at = Some(at.to_string());
                }
            }
        }
    }
    if let Some((level, matches, args)) = finger {
        s.probe = Probe::Finger { level, matches, args };
    }
    s.main_cf = next();
    s.policy_table = next();
    s.transport_table = next();
    s.destination = next();
    s.mx = next();
    s.addresses = next();
    s.tlsa = next();
    s.ca_bundle = next();
    let panes = next();
    s.certificates = panes
        .split('\u{1d}')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (host, pem) = head(p);
            ServedChain { host: host.to_string(), pem: pem.to_string() }
        })
        .collect();
    let files = next();
    for f in files.split('\u{1d}').filter(|f| !f.is_empty()) {
        let (path, pem) = head(f);
        s.trust_anchor_files.insert(path.to_string(), pem.to_string());
    }
    s.insecure_names = next().lines().map(str::to_string).collect();
    s.servers = next()
        .lines()
        .map(|l| {
            let mut words = l.split_whitespace();
            let host = words.next().unwrap_or("").trim_start_matches('*').to_string();
            let flags: Vec<&str> = words.collect();
            ServerSetting { host, starttls: !flags.contains(&"nostarttls"), certificate: !flags.contains(&"nocert"), tls_max: flags.contains(&"tls12").then(|| "1.2".into()) }
        })
        .collect();
    let reply = next();
    if !reply.is_empty() {
        s.server_reply = reply;
    }
    s.policy_file = next();
    s
}

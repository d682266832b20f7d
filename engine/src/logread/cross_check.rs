//! Log against prediction: the engine's predicted lines for the completed scenario are read
//! with the same reader as the pasted log, and the two readings are compared aspect by aspect.
//! Only what the pasted log shows is compared (its logging level may hide lines); addresses,
//! ciphers, PIDs, queue ids and timestamps never are. Each difference says what it implies:
//! another era, another CA store, another policy, another certificate.

use super::kind::VerifyFailure;
use super::read::read_log;
use super::reading::{DeliveryAttempt, FailureFact, Fact, LogReading, PeerConnection};
use super::stage::delivery_connections;
use crate::cert::fingerprint::DigestAlg;
use crate::report::Report;
use crate::tls::session::TrustWord;
use crate::version::PostfixVersion;
use serde::{Deserialize, Serialize};

/// One way the log and the prediction differ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// `version`, `server`, `trust-word`, `verify-failure`, `matched-peername`, `names`,
    /// `certificate`, `status`, `tls-field`, `relay`, `policy-lookup`, `tls-level`, `policy-warnings`.
    pub aspect: String,
    /// The log line that shows it.
    pub line: Option<usize>,
    /// What the log says.
    pub log: String,
    /// What the engine predicts.
    pub predicted: String,
    /// What it implies, in English.
    pub implication: String,
}

/// The comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossCheck {
    /// The version the scenario ran.
    pub version: String,
    /// `agrees`, `differs` or `nothing-compared`.
    pub verdict: String,
    /// Every compared aspect agrees (and at least one was compared).
    pub agrees: bool,
    /// One sentence.
    pub headline: String,
    /// Aspects compared.
    pub compared: Vec<String>,
    /// Aspects not compared, and why.
    pub skipped: Vec<String>,
    /// The differences.
    pub differences: Vec<Difference>,
    /// The predicted lines (as syslog shows them), for side-by-side display.
    pub predicted_log: Vec<String>,
}

struct Check<'a> {
    log: &'a LogReading,
    report: &'a Report,
    version: String,
    compared: Vec<String>,
    skipped: Vec<String>,
    differences: Vec<Difference>,
}

impl Check<'_> {
    fn compared(&mut self, aspect: &str) {
        if !self.compared.iter().any(|a| a == aspect) {
            self.compared.push(aspect.to_string());
        }
    }
    fn skip(&mut self, why: impl Into<String>) {
        let why = why.into();
        if !self.skipped.contains(&why) {
            self.skipped.push(why);
        }
    }
    fn differ(&mut self, aspect: &str, line: Option<usize>, log: impl Into<String>, predicted: impl Into<String>, implication: impl Into<String>) {
        self.differences.push(Difference { aspect: aspect.into(), line, log: log.into(), predicted: predicted.into(), implication: implication.into() });
    }
}

/// The delivery and connections a reading is about.
fn scope(r: &LogReading) -> (Option<&DeliveryAttempt>, Vec<&PeerConnection>) {
    match r.focus.and_then(|i| r.deliveries.get(i)) {
        Some(d) => (Some(d), delivery_connections(d, &r.connections)),
        None => (None, r.connections.last().into_iter().collect()),
    }
}

/// Compares `log` with what the engine predicts in `report`.
pub fn cross_check(log: &LogReading, report: &Report) -> CrossCheck {
    let predicted_log: Vec<String> = report.log.iter().map(|l| l.render()).collect();
    let predicted = read_log(&predicted_log.join("\n"));
    let mut c = Check { log, report, version: report.postfix_version.clone(), compared: Vec::new(), skipped: Vec::new(), differences: Vec::new() };
    version(&mut c);
    let (log_d, log_conns) = scope(log);
    let (pred_d, pred_conns) = scope(&predicted);
    connections(&mut c, &log_conns, &pred_conns);
    match (log_d, pred_d) {
        (Some(l), Some(p)) => delivery(&mut c, l, p, &predicted),
        (Some(_), None) => c.skip("delivery: the scenario makes no delivery (posttls-finger, or incomplete)"),
        (None, _) => c.skip("delivery: the log has no status line"),
    }
    let agrees = c.differences.is_empty() && !c.compared.is_empty();
    let verdict = if !c.differences.is_empty() {
        "differs"
    } else if agrees {
        "agrees"
    } else {
        "nothing-compared"
    };
    let headline = match verdict {
        "agrees" => format!("your log agrees with what Postfix {} would do (compared: {})", c.version, c.compared.join(", ")),
        "differs" => format!("{} difference(s) between your log and what Postfix {} would do", c.differences.len(), c.version),
        _ => "nothing in the log could be compared with the prediction".to_string(),
    };
    CrossCheck { version: c.version, verdict: verdict.into(), agrees, headline, compared: c.compared, skipped: c.skipped, differences: c.differences, predicted_log }
}

/// The scenario's version against the era the log's wording shows.
fn version(c: &mut Check<'_>) {
    let era = &c.log.era;
    if era.clues.is_empty() {
        c.skip("version: the log's wording does not show the Postfix version");
        return;
    }
    c.compared("version");
    let Ok(v) = PostfixVersion::parse(&c.version) else { return };
    let at = |s: &Option<String>| s.as_deref().and_then(|t| PostfixVersion::parse(t).ok());
    let inside = at(&era.range.from).is_none_or(|f| v >= f) && at(&era.range.before).is_none_or(|b| v < b);
    if !inside {
        let clue = era.clues.iter().find(|k| !k.conflicting && !k.range.label.is_empty());
        let (line, why) = clue.map(|k| (Some(k.line), k.why.clone())).unwrap_or((None, String::new()));
        let implication = format!(
            "your log was written by Postfix {} ({why}); the scenario runs {}: select a version in that range, e.g. {}",
            era.range.label, c.version, era.suggested_version
        );
        c.differ("version", line, era.range.label.clone(), c.version.clone(), implication);
    }
}

fn word(t: &Option<Fact<TrustWord>>) -> String {
    t.as_ref().map(|t| t.value.as_str().to_string()).unwrap_or_else(|| "no TLS session".into())
}

fn connections(c: &mut Check<'_>, log: &[&PeerConnection], pred: &[&PeerConnection]) {
    let log: Vec<&&PeerConnection> = log.iter().filter(|l| l.has_tls_lines()).collect();
    if log.is_empty() {
        c.skip("connections: the log has no TLS line for this delivery (smtp_tls_loglevel 0?)");
        return;
    }
    let mut next = 0;
    for l in log {
        let found = pred.iter().enumerate().skip(next).find(|(_, p)| p.peer.host.eq_ignore_ascii_case(&l.peer.host));
        let Some((i, p)) = found else {
            c.compared("servers");
            let tried: Vec<String> = pred.iter().map(|p| p.peer.host.clone()).collect();
            let tried = if tried.is_empty() { "no server".to_string() } else { tried.join(", ") };
            c.differ(
                "server",
                l.lines.first().copied(),
                l.peer.namaddr(),
                tried.clone(),
                format!("Postfix connected to {}, the scenario to {tried}: the destination, MX list or transport differ", l.peer.host),
            );
            continue;
        };
        next = i + 1;
        connection(c, l, p);
    }
}

fn connection(c: &mut Check<'_>, l: &PeerConnection, p: &PeerConnection) {
    if let Some(t) = &l.trust {
        c.compared("trust word");
        if l.trust.as_ref().map(|x| x.value) != p.trust.as_ref().map(|x| x.value) {
            let implication = trust_implication(c, l, p);
            c.differ("trust-word", Some(t.line), t.value.as_str(), word(&p.trust), implication);
        }
    }
    if l.trust.is_some() || !l.failures.is_empty() {
        c.compared("verification failures");
        let lf: Vec<&str> = l.failures.iter().map(|f| f.value.reason.as_str()).collect();
        let pf: Vec<&str> = p.failures.iter().map(|f| f.value.reason.as_str()).collect();
        if lf != pf {
            let line = l.failures.first().map(|f| f.line).or(l.trust.as_ref().map(|t| t.line));
            let implication = failure_implication(l.failures.first().map(|f| &f.value), p.failures.first().map(|f| &f.value));
            c.differ("verify-failure", line, none_if_empty(&lf.join("; ")), none_if_empty(&pf.join("; ")), implication);
        }
    }
    let certmatch = l.certificate.is_some() || l.matched_peername.is_some() || !l.names.is_empty();
    if !certmatch {
        c.skip("certificate names and digests: the log has no certmatch lines (smtp_tls_loglevel 2 or certmatch shows them)");
        return;
    }
    c.compared("certificate names");
    let lm = l.matched_peername.as_ref().map(|m| m.value.to_lowercase());
    let pm = p.matched_peername.as_ref().map(|m| m.value.to_lowercase());
    if lm != pm && l.names.is_empty() {
        c.differ(
            "matched-peername",
            l.matched_peername.as_ref().map(|m| m.line),
            lm.clone().unwrap_or_else(|| "no name matched".into()),
            pm.clone().unwrap_or_else(|| "no name matched".into()),
            match (&lm, &pm) {
                (Some(n), None) => format!("Postfix matched the certificate name {n}; the scenario matches none: its match list (or next-hop) differs from the one Postfix used"),
                (None, Some(n)) => format!("the scenario matches {n}, Postfix matched nothing: the policy Postfix used asks for other names"),
                _ => "a different name matched: the match list or the certificate differs".into(),
            },
        );
    }
    if !l.names.is_empty() {
        let show = |c: &PeerConnection| c.names.iter().map(|n| format!("{}{} {}", if n.value.matched { "Matched " } else { "" }, n.value.source, n.value.name)).collect::<Vec<_>>();
        let (ln, pn) = (show(l), show(p));
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        if lower(&ln) != lower(&pn) {
            let same_names = l.names.len() == p.names.len() && l.names.iter().zip(&p.names).all(|(a, b)| a.value.name.eq_ignore_ascii_case(&b.value.name));
            let implication = if same_names {
                "the same names, matched differently: the policy's match list (or smtp_tls_*_cert_match, or the next-hop) differs from the one Postfix used"
            } else {
                "the certificate names differ: the scenario's certificate is not the one the server presented"
            };
            c.differ("names", l.names.first().map(|n| n.line), ln.join(", "), pn.join(", "), implication);
        }
    }
    certificate(c, l);
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "none".into()
    } else {
        s.into()
    }
}

/// The peer-certificate line against the scenario's certificate: a different digest means a
/// different certificate. (`subject_CN=` is not compared: for an unverified certificate
/// without a CN, Postfix logs a name the engine does not predict.)
fn certificate(c: &mut Check<'_>, l: &PeerConnection) {
    let Some(lc) = &l.certificate else { return };
    let host = l.peer.host.to_lowercase();
    let leaf = c.report.certificates.iter().filter(|v| v.index == 0).find(|v| v.host == host).or_else(|| c.report.certificates.iter().find(|v| v.index == 0 && v.host.is_empty()));
    let norm = |s: &str| s.replace(':', "").to_ascii_uppercase();
    if let (Some(view), Some(fp)) = (leaf, lc.value.cert_fingerprint.as_deref().filter(|f| !f.is_empty())) {
        let hex = norm(fp);
        let alg = DigestAlg::ALL.into_iter().find(|a| a.output_len() * 2 == hex.len());
        if let Some(alg) = alg {
            c.compared("certificate");
            let ours = norm(view.cert_fingerprints.get(alg));
            if ours != hex {
                c.differ(
                    "certificate",
                    Some(lc.line),
                    format!("{} fingerprint {fp}", alg.name()),
                    view.cert_fingerprints.get(alg).to_string(),
                    "the server presented another certificate than the scenario's: paste the chain the server sends now (it may have been renewed)",
                );
            }
        }
    }
}

fn trust_implication(c: &Check<'_>, l: &PeerConnection, p: &PeerConnection) -> String {
    use TrustWord::*;
    let v = &c.version;
    let mismatch = |x: &PeerConnection| x.failures.iter().any(|f| f.value.failure == VerifyFailure::HostnameMismatch);
    let chain_fail = |x: &PeerConnection| x.failures.iter().find(|f| f.value.failure.is_chain_problem()).map(|f| f.value.reason.clone());
    let lw = l.trust.as_ref().map(|t| t.value);
    let pw = p.trust.as_ref().map(|t| t.value);
    match (lw, pw) {
        (Some(Untrusted), Some(Trusted)) if mismatch(l) && mismatch(p) => format!(
            "Postfix 3.6–3.10.3 logs a trusted certificate whose name does not match as \"Untrusted\" (fixed in 3.10.4); the scenario runs {v}: your Postfix is 3.6–3.10.3, select e.g. 3.7.11"
        ),
        (Some(Trusted), Some(Untrusted)) if mismatch(l) && mismatch(p) => {
            format!("your Postfix logs a name mismatch as \"Trusted\": it is 3.10.4 or later, not {v} (3.6–3.10.3 logs \"Untrusted\"); select e.g. 3.11.6")
        }
        (Some(Trusted), Some(Untrusted)) if mismatch(p) && l.failures.is_empty() => {
            format!("Postfix logged \"Trusted\" without a num=62 line: that is Postfix ≤3.5 (its own name matcher logs no failure); the scenario runs {v}")
        }
        (Some(Untrusted), Some(Trusted) | Some(Verified)) => match chain_fail(l) {
            Some(r) => format!("Postfix did not trust the chain ({r}) but the scenario does: Postfix's CA store (smtp_tls_CAfile / smtp_tls_CApath) differs from the scenario's, or the server sent another chain"),
            None => "Postfix did not trust this certificate but the scenario does: a different CA store, or another certificate".into(),
        },
        (Some(Trusted) | Some(Verified), Some(Untrusted)) => match chain_fail(p) {
            Some(r) => format!("Postfix trusted the chain; the scenario does not ({r}): give the scenario the CA store Postfix uses (or say the CA is trusted), and the intermediates the server sends"),
            None => "Postfix trusted the certificate; the scenario does not: the CA store or the certificate differs".into(),
        },
        (Some(Verified), _) => {
            let n = l.matched_peername.as_ref().map(|m| format!(" ({})", m.value)).unwrap_or_default();
            format!("Postfix matched the certificate{n}; the scenario does not: the policy's level or match list, the next-hop, or the certificate differs from what Postfix used")
        }
        (_, Some(Verified)) => "the scenario matches the certificate but Postfix did not: the policy Postfix used is stricter (level or match list), or the server's certificate differs".into(),
        (Some(Anonymous), _) => "the server used an anonymous cipher (no certificate) with Postfix; the scenario's server presents a certificate".into(),
        (_, Some(Anonymous)) => "the scenario's server presents no certificate; Postfix saw one".into(),
        (_, None) => "the scenario has no TLS session with this server (STARTTLS, handshake or policy differs)".into(),
        _ => "the summary word differs".into(),
    }
}

fn failure_implication(l: Option<&FailureFact>, p: Option<&FailureFact>) -> String {
    let dated = |f: &VerifyFailure| matches!(f, VerifyFailure::Expired | VerifyFailure::NotYetValid);
    match (l, p) {
        (Some(l), None) if dated(&l.failure) => format!("\"{}\" when Postfix checked, but not at the scenario's time: set the evaluation time to the log's date (or the server has renewed its certificate since)", l.reason),
        (Some(l), None) if l.failure.is_chain_problem() => format!("Postfix could not verify the chain ({}); the scenario can: the CA store or the served chain differs", l.reason),
        (Some(l), None) if l.failure.is_name_mismatch() => "no name matched for Postfix; the scenario matches (or checks no names): the policy's level or match list differs from the one Postfix used".into(),
        (Some(l), None) => format!("Postfix logged \"{}\"; the scenario does not", l.reason),
        (None, Some(p)) if dated(&p.failure) => format!("the scenario finds \"{}\" at its evaluation time, Postfix did not: set the evaluation time to the log's date", p.reason),
        (None, Some(p)) if p.failure.is_chain_problem() => format!("the scenario cannot verify the chain ({}), Postfix could: give the scenario Postfix's CA store and the intermediates", p.reason),
        (None, Some(p)) if p.failure.is_name_mismatch() => "the scenario finds no matching name, Postfix did (or checked none): its policy or match list differs from the one Postfix used".into(),
        (None, Some(p)) => format!("the scenario logs \"{}\", Postfix did not", p.reason),
        (Some(l), Some(p)) if l.failure.is_name_mismatch() != p.failure.is_name_mismatch() => {
            "one side reports the name mismatch, the other a chain error: Postfix 3.6–3.10.3 reports the first error at the lowest depth, 3.10.4+ lets a name mismatch lose to any other error: the version differs (or the certificate)".into()
        }
        (Some(l), Some(p)) => format!("Postfix failed with \"{}\", the scenario with \"{}\": the certificate, chain or CA store differ", l.reason, p.reason),
        (None, None) => "the verification lines differ".into(),
    }
}

/// Normalises a reason for comparison: addresses in brackets are not compared.
fn normal_reason(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0;
    for ch in text.chars() {
        match ch {
            '[' => {
                depth += 1;
                out.push('[');
            }
            ']' => {
                depth = 0;
                out.push(']');
            }
            _ if depth > 0 => {}
            _ => out.push(ch),
        }
    }
    out.to_lowercase()
}

fn delivery(c: &mut Check<'_>, l: &DeliveryAttempt, p: &DeliveryAttempt, predicted: &LogReading) {
    let (ls, ps) = (&l.status, &p.status);
    c.compared("delivery status");
    if ls.status != ps.status || ls.dsn != ps.dsn || normal_reason(&ls.reason) != normal_reason(&ps.reason) {
        let implication = match (ls.status.as_str(), ps.status.as_str()) {
            ("sent", _) => "Postfix delivered, the scenario does not: the scenario's policy is stricter than the one Postfix used, or its certificate or CA store differs".to_string(),
            (_, "sent") => "Postfix did not deliver, the scenario does: the policy entry Postfix used, or the certificate or CA store, differs from the scenario's".to_string(),
            _ if ls.reason.contains("not trusted") != ps.reason.contains("not trusted") => {
                "only Postfix ≤3.5 says \"Server certificate not trusted\" (3.6+ says \"not verified\"): the version differs".to_string()
            }
            _ => "Postfix gave another reason: see the differences above, or the policy and certificates differ".to_string(),
        };
        let text = |s: &super::kind::StatusLine| format!("{} {} ({})", s.status, s.dsn, s.reason);
        c.differ("status", Some(l.line), text(ls), text(ps), implication);
    }
    match (&ls.tls, &ps.tls) {
        (Some(lt), Some(pt)) => {
            c.compared("tls= field");
            if lt != pt {
                c.differ("tls-field", Some(l.line), format!("tls={lt}"), format!("tls={pt}"), "the TLS policy compliance differs: the policy level Postfix used is not the scenario's");
            }
        }
        (Some(lt), None) if matches!(l.program.as_str(), "smtp" | "lmtp") => {
            c.differ("tls-field", Some(l.line), format!("tls={lt}"), "no tls= field", format!("your Postfix logs \"tls=\" (3.11 or later); the scenario runs {}", c.version))
        }
        (None, Some(pt)) if matches!(l.program.as_str(), "smtp" | "lmtp") => {
            c.differ("tls-field", Some(l.line), "no tls= field", format!("tls={pt}"), format!("your Postfix does not log \"tls=\" (older than 3.11); the scenario runs {}", c.version))
        }
        _ => {}
    }
    let host = |d: &DeliveryAttempt| d.status.relay.peer.as_ref().map(|p| p.host.to_lowercase()).unwrap_or_else(|| d.status.relay.text.to_lowercase());
    c.compared("relay");
    if host(l) != host(p) {
        c.differ("relay", Some(l.line), l.status.relay.text.clone(), p.status.relay.text.clone(), "the last server tried differs: the MX list, next-hop or transport differ");
    }
    lookups(c, l, p, predicted);
}

/// `smtp -v` policy lines: lookups, levels, policy warnings.
fn lookups(c: &mut Check<'_>, l: &DeliveryAttempt, p: &DeliveryAttempt, predicted: &LogReading) {
    use super::kind::{LevelScope, LineKind};
    let window = |r: &LogReading, d: &DeliveryAttempt| d.entries.iter().filter_map(|i| r.entries.get(*i)).cloned().collect::<Vec<_>>();
    let (lw, pw) = (window(c.log, l), window(predicted, p));
    let maps = |w: &[super::reading::LogEntry]| {
        w.iter()
            .filter_map(|e| match &e.kind {
                LineKind::MapsFind { key, result, aborted, table } if table.ends_with("_tls_policy_maps") => {
                    Some((e.line, format!("{key} → {}", result.clone().unwrap_or_else(|| if *aborted { "search aborted".into() } else { "not found".into() }))))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let (lm, pm) = (maps(&lw), maps(&pw));
    if lm.is_empty() {
        c.skip("policy lookups: the log has no smtp -v maps_find lines");
    } else {
        c.compared("policy lookups");
        let (lt, pt): (Vec<&str>, Vec<&str>) = (lm.iter().map(|x| x.1.as_str()).collect(), pm.iter().map(|x| x.1.as_str()).collect());
        if lt != pt {
            c.differ(
                "policy-lookup",
                lm.first().map(|x| x.0),
                lt.join("; "),
                none_if_empty(&pt.join("; ")),
                "Postfix's policy table answered differently: the table (or the next-hop it was asked for) is not the scenario's",
            );
        }
    }
    for scope in [LevelScope::Global, LevelScope::Effective] {
        let level = |w: &[super::reading::LogEntry]| {
            w.iter().find_map(|e| match &e.kind {
                LineKind::TlsLevel { scope: s, level } if *s == scope => Some((e.line, level.clone())),
                _ => None,
            })
        };
        if let Some((line, ll)) = level(&lw) {
            c.compared("TLS levels");
            let pl = level(&pw).map(|x| x.1);
            if pl.as_deref() != Some(ll.as_str()) {
                let name = if scope == LevelScope::Global { "global" } else { "effective" };
                let implication = if scope == LevelScope::Global {
                    "main.cf's smtp_tls_security_level differs from the scenario's"
                } else {
                    "the policy entry Postfix applied has another level than the scenario's"
                };
                c.differ("tls-level", Some(line), format!("{name} TLS level: {ll}"), pl.map(|p| format!("{name} TLS level: {p}")).unwrap_or_else(|| "not logged".into()), implication);
            }
        }
    }
    let warns = |w: &[super::reading::LogEntry]| {
        w.iter()
            .filter_map(|e| match &e.kind {
                LineKind::PolicyWarning { problem, .. } => Some((e.line, problem.clone())),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let (lwn, pwn) = (warns(&lw), warns(&pw));
    // Warnings are always logged; an excerpt of the status line alone says nothing about them.
    if !lwn.is_empty() || (!pwn.is_empty() && lw.len() > 1) {
        c.compared("policy warnings");
        let (a, b): (Vec<&str>, Vec<&str>) = (lwn.iter().map(|x| x.1.as_str()).collect(), pwn.iter().map(|x| x.1.as_str()).collect());
        if a != b {
            c.differ(
                "policy-warnings",
                lwn.first().map(|x| x.0),
                none_if_empty(&a.join("; ")),
                none_if_empty(&b.join("; ")),
                "Postfix complained about another policy entry than the scenario's (or the version's attribute set differs)",
            );
        }
    }
}

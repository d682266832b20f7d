//! What changed between two reports of the same scenario (the era switch): the trust word per
//! server, the verdict, step marks, failure lines and log lines. Both reports come from the
//! engine; this only lines their data up.

use crate::view::ReportView;
use peername_engine::trace::Mark;
use peername_engine::version::Era;

/// One difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The Postfix version (and maybe the era).
    Version {
        /// Before.
        from: String,
        /// After.
        to: String,
        /// Era before.
        era_from: Era,
        /// Era after.
        era_to: Era,
    },
    /// The verdict (`status dsn`).
    Verdict {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// The word of "… TLS connection established …" for one server.
    Trust {
        /// Server.
        host: String,
        /// Before (`None`: no TLS session).
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// The "certificate verification failed" line for one server.
    FailureLine {
        /// Server.
        host: String,
        /// Before.
        from: Option<String>,
        /// After.
        to: Option<String>,
    },
    /// A step's outcome.
    StepMark {
        /// Step number in the new report.
        number: usize,
        /// Its title (English; the page shows its own title for the step).
        title: String,
        /// Before.
        from: Mark,
        /// After.
        to: Mark,
    },
    /// Log lines that appear or disappear.
    Log {
        /// Lines only in the new report.
        added: Vec<String>,
        /// Lines only in the old report.
        removed: Vec<String>,
    },
}

fn verdict(r: &ReportView) -> String {
    match &r.outcome {
        Some(o) => format!("{} {}", o.status.as_str(), o.dsn.clone().unwrap_or_default()).trim().to_string(),
        None => r.verdict.status.clone(),
    }
}

/// `(host, trust word, failure line)` for every connection, in order.
fn connections(r: &ReportView) -> Vec<(String, Option<String>, Option<String>)> {
    r.connections.iter().map(|c| (c.host.clone(), c.trust.map(|t| t.as_str().to_string()), c.failure_line.clone())).collect()
}

/// The differences from `old` to `new`, most important first.
pub fn compare(old: &ReportView, new: &ReportView) -> Vec<Change> {
    let mut out = Vec::new();
    if old.postfix_version != new.postfix_version {
        out.push(Change::Version { from: old.postfix_version.clone(), to: new.postfix_version.clone(), era_from: old.era, era_to: new.era });
    }
    let (v_old, v_new) = (verdict(old), verdict(new));
    if v_old != v_new {
        out.push(Change::Verdict { from: v_old, to: v_new });
    }
    let (c_old, c_new) = (connections(old), connections(new));
    for (i, (host, trust, failure)) in c_new.iter().enumerate() {
        let before = c_old.get(i).filter(|(h, _, _)| h == host);
        let (t_old, f_old) = before.map(|(_, t, f)| (t.clone(), f.clone())).unwrap_or((None, None));
        if before.is_some() && t_old != *trust {
            out.push(Change::Trust { host: host.clone(), from: t_old, to: trust.clone() });
        }
        if before.is_some() && f_old != *failure {
            out.push(Change::FailureLine { host: host.clone(), from: f_old, to: failure.clone() });
        }
    }
    let mut used = vec![false; old.trace.len()];
    for step in &new.trace {
        let twin = old.trace.iter().enumerate().find(|(i, s)| !used[*i] && s.title == step.title);
        if let Some((i, before)) = twin {
            used[i] = true;
            if before.mark != step.mark {
                out.push(Change::StepMark { number: step.number, title: step.title.clone(), from: before.mark, to: step.mark });
            }
        }
    }
    let render = |r: &ReportView| r.log.iter().map(|l| l.render()).collect::<Vec<_>>();
    let (l_old, l_new) = (render(old), render(new));
    let added: Vec<String> = l_new.iter().filter(|l| !l_old.contains(l)).cloned().collect();
    let removed: Vec<String> = l_old.iter().filter(|l| !l_new.contains(l)).cloned().collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::Log { added, removed });
    }
    out
}

/// The step numbers (of the new report) whose outcome changed.
pub fn changed_steps(changes: &[Change]) -> Vec<usize> {
    changes.iter().filter_map(|c| if let Change::StepMark { number, .. } = c { Some(*number) } else { None }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use peername_engine::scenario::{CaTrust, Scenario, ServedChain};

    fn fastmail(version: &str) -> ReportView {
        let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/fixtures/seed/fastmail-replica.pem")).unwrap();
        let report = peername_engine::explain(&Scenario {
            postfix_version: version.into(),
            evaluated_at: Some("2026-11-23T04:07:48Z".into()),
            main_cf: "smtp_tls_policy_maps = hash:/etc/postfix/tls_policy\nsmtp_tls_CApath = /etc/ssl/certs\n".into(),
            policy_table: "fastmail.fm secure ciphers=high\n".into(),
            destination: "user@fastmail.fm".into(),
            mx: "fastmail.fm mail is handled by 10 in1-smtp.messagingengine.com.\n".into(),
            certificates: vec![ServedChain { host: String::new(), pem }],
            ca_trust: CaTrust::Trusted,
            ..Scenario::default()
        });
        ReportView::of(&report)
    }

    #[test]
    fn the_era_switch_shows_untrusted_becoming_trusted() {
        let changes = compare(&fastmail("3.7.11"), &fastmail("3.11.6"));
        assert!(matches!(&changes[0], Change::Version { era_from: Era::OpenSslUntrustedBug, era_to: Era::OpenSsl, .. }), "{changes:?}");
        assert!(changes.contains(&Change::Trust { host: "in1-smtp.messagingengine.com".into(), from: Some("Untrusted".into()), to: Some("Trusted".into()) }), "{changes:?}");
        assert!(!changes.iter().any(|c| matches!(c, Change::Verdict { .. })), "deferred in both");
        assert!(matches!(changes.last(), Some(Change::Log { added, .. }) if added.iter().any(|l| l.contains("Trusted TLS connection"))));
    }

    #[test]
    fn identical_reports_have_no_changes() {
        let r = fastmail("3.7.11");
        assert!(compare(&r, &r).is_empty());
        assert!(changed_steps(&[]).is_empty());
    }
}

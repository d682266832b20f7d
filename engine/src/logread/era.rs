//! Which Postfix wrote the log: every wording that changed between versions is a clue with a
//! version range (spec §0, §2.1–2.3, §5.3). Clues are intersected, strongest first; a clue
//! that contradicts the stronger ones is reported as a conflict, never dropped.

use super::kind::{CertLineForm, LineKind, VerifyFailure};
use super::reading::{DeliveryAttempt, LogEntry, PeerConnection};
use crate::tls::session::TrustWord;
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

type V = (u32, u32, u32);

/// A half-open range of Postfix versions `[from, before)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRange {
    /// First version in the range (inclusive), e.g. `3.6.0`.
    pub from: Option<String>,
    /// First version after the range (exclusive), e.g. `3.10.4`.
    pub before: Option<String>,
    /// For people: `≤3.5`, `3.6–3.10.3`, `≥3.10.4`, `3.7.11`, `any`.
    pub label: String,
}

/// How much a clue weighs when clues disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// master(8) printed the version.
    Exact,
    /// A wording only some versions have.
    Strong,
    /// Usually right (e.g. a field that only some setups log).
    Weak,
}

/// One clue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraClue {
    /// Stable code, e.g. `per-san-lines`.
    pub code: String,
    /// First line showing it.
    pub line: usize,
    /// How many lines show it.
    pub count: usize,
    /// Why it points where it points, in English.
    pub why: String,
    /// The versions it allows.
    pub range: VersionRange,
    /// Its weight.
    pub strength: Strength,
    /// It contradicts stronger clues.
    pub conflicting: bool,
}

/// A clue that contradicts the range the stronger clues left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraConflict {
    /// The contradicting clue's code.
    pub code: String,
    /// Its line.
    pub line: usize,
    /// Lines of the clues it contradicts.
    pub against: Vec<usize>,
    /// In English.
    pub why: String,
    /// The versions the contradicting clue says (e.g. `≥3.6`), for translated texts.
    #[serde(skip)]
    pub says: String,
    /// The versions the clues it contradicts say, for translated texts.
    #[serde(skip)]
    pub against_range: String,
}

/// The era reading.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EraReading {
    /// Every clue, strongest first.
    pub clues: Vec<EraClue>,
    /// The versions consistent with the non-conflicting clues.
    pub range: VersionRange,
    /// The era, when the range lies within one.
    pub era: Option<Era>,
    /// A concrete version for the engine (within the range).
    pub suggested_version: String,
    /// Why that version.
    pub why_suggested: String,
    /// Contradictions.
    pub conflicts: Vec<EraConflict>,
}

/// Versions the oracle recorded (real Postfix output exists for them), preferred as
/// suggestions; 2.11.0 is the seed question's version.
const REPRESENTATIVES: [V; 4] = [(3, 11, 6), (3, 7, 11), (3, 5, 27), (2, 11, 0)];

fn text(v: V) -> String {
    format!("{}.{}.{}", v.0, v.1, v.2)
}

fn label(from: Option<V>, before: Option<V>) -> String {
    let upto = |b: V| {
        if b.2 > 0 {
            format!("{}.{}.{}", b.0, b.1, b.2 - 1)
        } else if b.1 > 0 {
            format!("{}.{}", b.0, b.1 - 1)
        } else {
            format!("<{}.0", b.0)
        }
    };
    let short = |f: V| if f.2 == 0 { format!("{}.{}", f.0, f.1) } else { text(f) };
    match (from, before) {
        (None, None) => "any".into(),
        (Some(f), None) => format!("≥{}", short(f)),
        (None, Some(b)) => format!("≤{}", upto(b)),
        (Some(f), Some(b)) if (f.0, f.1, f.2.saturating_add(1)) == b => text(f),
        (Some(f), Some(b)) => format!("{}–{}", short(f), upto(b)),
    }
}

fn range(from: Option<V>, before: Option<V>) -> VersionRange {
    VersionRange { from: from.map(text), before: before.map(text), label: label(from, before) }
}

fn parse(v: &Option<String>) -> Option<V> {
    v.as_deref().and_then(|t| PostfixVersion::parse(t).ok()).map(|p| (p.major, p.minor, p.patch))
}

/// Collects clues while walking the facts.
struct Clues(Vec<EraClue>);

impl Clues {
    fn add(&mut self, code: &str, line: usize, strength: Strength, from: Option<V>, before: Option<V>, why: &str) {
        if let Some(c) = self.0.iter_mut().find(|c| c.code == code) {
            c.count += 1;
            return;
        }
        self.0.push(EraClue { code: code.into(), line, count: 1, why: why.into(), range: range(from, before), strength, conflicting: false });
    }
}

const V3_0: V = (3, 0, 0);
const V3_4: V = (3, 4, 0);
const V3_6: V = (3, 6, 0);
const V3_9: V = (3, 9, 0);
const V3_10: V = (3, 10, 0);
const V3_10_4: V = (3, 10, 4);
const V3_10_5: V = (3, 10, 5);
const V3_11: V = (3, 11, 0);

/// Policy attributes and the release that introduced them: an "invalid attribute name" for
/// one of them means an older Postfix.
const ATTRIBUTES: [(&str, V); 10] = [
    ("policy_type", V3_10),
    ("policy_domain", V3_10),
    ("policy_ttl", V3_10),
    ("policy_string", V3_10),
    ("mx_host_pattern", V3_10),
    ("policy_failure", V3_10),
    ("enable_rpk", V3_9),
    ("servername", V3_4),
    ("connection_reuse", V3_4),
    ("tafile", (2, 11, 0)),
];

fn entry_clues(clues: &mut Clues, e: &LogEntry) {
    let l = e.line;
    match &e.kind {
        LineKind::VersionBanner { version } => {
            if let Ok(v) = PostfixVersion::parse(version) {
                let at = (v.major, v.minor, v.patch);
                clues.add("version-banner", l, Strength::Exact, Some(at), Some((at.0, at.1, at.2.saturating_add(1))), "the version Postfix reports (master(8) start-up line, or `postconf mail_version`)");
            }
        }
        LineKind::CertName { .. } => clues.add(
            "per-name-lines",
            l,
            Strength::Strong,
            None,
            Some(V3_6),
            "per-name \"subjectAltName:\" / \"CommonName\" lines come from Postfix's own name matcher (≤3.5); 3.6+ logs \"matched peername:\" instead",
        ),
        LineKind::MatchedPeername { .. } => clues.add("matched-peername", l, Strength::Strong, Some(V3_6), None, "\"matched peername:\" is logged since 3.6 (OpenSSL name checks)"),
        LineKind::MatchedFingerprint { legacy: false, .. } => clues.add("matched-fingerprint", l, Strength::Strong, Some(V3_6), None, "\"Matched fingerprint:\" is the 3.6+ wording (fingerprints as synthetic DANE)"),
        LineKind::MatchedFingerprint { legacy: true, .. } => {
            clues.add("legacy-digest-match", l, Strength::Strong, None, Some(V3_6), "\"depth=0 matched end entity … digest\" is the ≤3.5 wording of a fingerprint match")
        }
        LineKind::Dane { event, .. } if event.starts_with("matched-") && event != "matched-trust-anchor" => {
            clues.add("dane-matched", l, Strength::Strong, Some(V3_6), None, "\"Matched DANE …\" lines are the 3.6+ (OpenSSL DANE) wording")
        }
        LineKind::Dane { event, .. } if event == "tlsa-record" => {
            clues.add("using-dane-rr", l, Strength::Weak, None, Some(V3_6), "posttls-finger ≤3.5 prints each \"using DANE RR\" by default (3.6+ does not)")
        }
        LineKind::Dane { event, .. } if event == "trust-anchor-signed" => {
            clues.add("legacy-dane-lines", l, Strength::Strong, None, Some(V3_6), "\"depth=N trust-anchor …\" lines are Postfix's own DANE code (≤3.5)")
        }
        LineKind::PeerCertificate { form: CertLineForm::Issuer, .. } => {
            clues.add("issuer-cert-fingerprint", l, Strength::Strong, Some(V3_9), None, "\"issuer=… cert fingerprint=…\" is the 3.9+ form of the peer certificate line")
        }
        LineKind::PeerCertificate { form: CertLineForm::IssuerCn, .. } => {
            clues.add("issuer-cn-fingerprint", l, Strength::Strong, None, Some(V3_9), "\"issuer_CN=… fingerprint=…\" is the ≤3.8 form of the peer certificate line")
        }
        LineKind::RawPublicKey { .. } => clues.add("raw-public-key", l, Strength::Strong, Some(V3_9), None, "raw public keys are logged since 3.9"),
        LineKind::TlsSummary { trust: TrustWord::Anonymous, .. } => clues.add("anonymous", l, Strength::Strong, Some(V3_0), None, "the word \"Anonymous\" exists since 3.0"),
        LineKind::TlsSummary { details, .. } if details.contains(" key-exchange ") => {
            clues.add("key-exchange", l, Strength::Weak, Some(V3_4), None, "\"key-exchange … server-signature …\" in the summary is logged since 3.4")
        }
        LineKind::ReuseHint { wording, .. } if wording == "peer credential" => {
            clues.add("reuse-peer-credential", l, Strength::Strong, Some(V3_9), None, "\"re-using session with untrusted peer credential\" is the 3.9+ wording")
        }
        LineKind::ReuseHint { .. } => clues.add("reuse-certificate", l, Strength::Strong, None, Some(V3_9), "\"re-using session with untrusted certificate\" is the ≤3.8 wording"),
        LineKind::VerifyFailed { failure: VerifyFailure::ExternalPolicy { .. }, .. } => {
            clues.add("external-policy-failure", l, Strength::Strong, Some(V3_10), None, "external (MTA-STS) policy failures exist since 3.10")
        }
        LineKind::VerifyFailed { failure: f, .. } if f.is_name_mismatch() => {
            clues.add("num-62-64", l, Strength::Strong, Some(V3_6), None, "a name mismatch is logged as a verification failure (num=62/64) only since 3.6 (OpenSSL name checks)")
        }
        LineKind::Warning { text, .. } if text.contains("does not match STS MX pattern") => {
            clues.add("sts-mx-pattern", l, Strength::Strong, Some(V3_10_5), None, "MTA-STS MX patterns are enforced since 3.10.5")
        }
        LineKind::PolicyWarning { problem, .. } => {
            if let Some(name) = problem.strip_prefix("invalid attribute name: \"").and_then(|r| r.strip_suffix('"')) {
                if let Some((_, since)) = ATTRIBUTES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)) {
                    let why = format!("\"{name}\" is an unknown policy attribute before {}", text(*since));
                    clues.add(&format!("unknown-attribute-{name}"), l, Strength::Strong, None, Some(*since), &why);
                }
            }
        }
        LineKind::Status(s) if matches!(e.program.as_str(), "smtp" | "lmtp") => {
            if s.tls.is_some() {
                clues.add("tls-field", l, Strength::Strong, Some(V3_11), None, "the status line's \"tls=\" field is logged since 3.11");
            } else {
                clues.add("no-tls-field", l, Strength::Weak, None, Some(V3_11), "smtp(8) status lines of 3.11+ carry a \"tls=\" field; this one has none");
            }
            if s.reason.starts_with("Server certificate not trusted") {
                clues.add("not-trusted-reason", l, Strength::Strong, None, Some(V3_6), "the deferral \"Server certificate not trusted\" exists only up to 3.5");
            }
        }
        LineKind::DeliveryNote { text, .. } if text.starts_with("Server certificate not trusted") => {
            clues.add("not-trusted-reason", l, Strength::Strong, None, Some(V3_6), "the deferral \"Server certificate not trusted\" exists only up to 3.5")
        }
        _ => {}
    }
}

/// Clues that need a whole connection: the trust word next to a `num=62` line, or a trusted
/// connection refused without any failure line.
fn connection_clues(clues: &mut Clues, c: &PeerConnection, refused_unverified: bool) {
    let Some(trust) = &c.trust else { return };
    let mismatch = c.failures.iter().any(|f| f.value.failure == VerifyFailure::HostnameMismatch);
    match (trust.value, mismatch) {
        (TrustWord::Untrusted, true) if c.failures.len() == 1 => clues.add(
            "num-62-untrusted",
            trust.line,
            Strength::Strong,
            Some(V3_6),
            Some(V3_10_4),
            "a hostname mismatch (num=62) logged with \"Untrusted\": the 3.6–3.10.3 logging bug (fixed in 3.10.4)",
        ),
        (TrustWord::Trusted, true) => clues.add(
            "num-62-trusted",
            trust.line,
            Strength::Strong,
            Some(V3_10_4),
            None,
            "a hostname mismatch (num=62) logged with \"Trusted\": 3.10.4 and later (3.6–3.10.3 say \"Untrusted\")",
        ),
        (TrustWord::Trusted, false) if refused_unverified && c.failures.is_empty() && c.dane.is_empty() => clues.add(
            "trusted-unverified-without-failure",
            trust.line,
            Strength::Strong,
            None,
            Some(V3_6),
            "\"Trusted\" and then \"Server certificate not verified\" with no verification-failure line: only ≤3.5 checks names without logging a failure",
        ),
        _ => {}
    }
}

/// Infers the era from the read lines, connections and deliveries.
pub fn infer(entries: &[LogEntry], connections: &[PeerConnection], deliveries: &[DeliveryAttempt]) -> EraReading {
    let mut clues = Clues(Vec::new());
    for e in entries {
        entry_clues(&mut clues, e);
    }
    // Connections whose delivery was refused with "Server certificate not verified".
    let mut refused = vec![false; connections.len()];
    for d in deliveries {
        let unverified = |t: &str| t.starts_with("Server certificate not verified");
        if unverified(&d.status.reason) || d.notes.iter().any(|n| unverified(&n.value)) {
            for i in &d.connections {
                if let Some(r) = refused.get_mut(*i) {
                    *r = true;
                }
            }
        }
    }
    for (c, refused) in connections.iter().zip(refused) {
        connection_clues(&mut clues, c, refused);
    }
    let mut clues = clues.0;
    clues.sort_by_key(|c| (c.strength, c.line));
    resolve(clues)
}

fn resolve(mut clues: Vec<EraClue>) -> EraReading {
    let mut from: Option<(V, usize)> = None;
    let mut before: Option<(V, usize)> = None;
    let mut conflicts = Vec::new();
    for c in clues.iter_mut() {
        let (cf, cb) = (parse(&c.range.from), parse(&c.range.before));
        let new_from = match (from, cf) {
            (Some((f, _)), Some(x)) if f >= x => from,
            (_, Some(x)) => Some((x, c.line)),
            (f, None) => f,
        };
        let new_before = match (before, cb) {
            (Some((b, _)), Some(x)) if b <= x => before,
            (_, Some(x)) => Some((x, c.line)),
            (b, None) => b,
        };
        if let (Some((f, _)), Some((b, _))) = (new_from, new_before) {
            if f >= b {
                c.conflicting = true;
                let mut against: Vec<usize> = [from.map(|x| x.1), before.map(|x| x.1)].into_iter().flatten().collect();
                against.dedup();
                let lines: Vec<String> = against.iter().map(usize::to_string).collect();
                let against_range = label(from.map(|x| x.0), before.map(|x| x.0));
                conflicts.push(EraConflict {
                    code: c.code.clone(),
                    line: c.line,
                    why: format!(
                        "line {} says {}, but line {} says {}: the log may mix two Postfix versions (or was edited)",
                        c.line,
                        c.range.label,
                        lines.join(", "),
                        against_range
                    ),
                    against,
                    says: c.range.label.clone(),
                    against_range,
                });
                continue;
            }
        }
        from = new_from;
        before = new_before;
    }
    let (f, b) = (from.map(|x| x.0), before.map(|x| x.0));
    let (suggested, why) = suggest(f, b, &clues);
    let era = era_of(f, b);
    EraReading { clues, range: range(f, b), era, suggested_version: suggested, why_suggested: why, conflicts }
}

fn within(v: V, from: Option<V>, before: Option<V>) -> bool {
    from.is_none_or(|f| v >= f) && before.is_none_or(|b| v < b)
}

fn era_of(from: Option<V>, before: Option<V>) -> Option<Era> {
    let lo = from.unwrap_or((2, 0, 0));
    let Some(hi) = before else {
        return (lo >= V3_10_4).then_some(Era::OpenSsl);
    };
    let last = (hi.0, hi.1, hi.2.saturating_sub(1));
    let e = |v: V| PostfixVersion::new(v.0, v.1, v.2).era();
    if hi.2 == 0 {
        // `before x.y.0`: the last version in range is some x.(y-1).N, whose era is that of x.(y-1).99.
        let prev = if hi.1 > 0 { (hi.0, hi.1 - 1, 99) } else { (hi.0.saturating_sub(1), 99, 99) };
        return (e(lo) == e(prev)).then(|| e(lo));
    }
    (e(lo) == e(last)).then(|| e(lo))
}

fn suggest(from: Option<V>, before: Option<V>, clues: &[EraClue]) -> (String, String) {
    if let Some(c) = clues.iter().find(|c| c.strength == Strength::Exact && !c.conflicting) {
        if let Some(v) = &c.range.from {
            return (v.clone(), format!("Postfix reports version {v} (line {})", c.line));
        }
    }
    if from.is_none() && before.is_none() {
        return (crate::version::DEFAULT_VERSION.to_string(), "no wording in the log points to a version: the current stable release".into());
    }
    let lbl = label(from, before);
    if let Some(v) = REPRESENTATIVES.iter().find(|v| within(**v, from, before)) {
        return (text(*v), format!("the log's wording fits Postfix {lbl}; {} is a release of that range whose behaviour real Postfix output confirms", text(*v)));
    }
    let v = from.or_else(|| before.map(|b| (b.0, b.1.saturating_sub(1), 0))).unwrap_or((3, 11, 6));
    (text(v), format!("the log's wording fits Postfix {lbl}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_release_notes() {
        assert_eq!(label(None, Some(V3_6)), "≤3.5");
        assert_eq!(label(Some(V3_6), Some(V3_10_4)), "3.6–3.10.3");
        assert_eq!(label(Some(V3_10_4), None), "≥3.10.4");
        assert_eq!(label(Some((3, 7, 11)), Some((3, 7, 12))), "3.7.11");
        assert_eq!(label(None, None), "any");
        assert_eq!(label(Some(V3_9), Some(V3_10)), "3.9–3.9");
    }

    #[test]
    fn eras_of_ranges() {
        assert_eq!(era_of(None, Some(V3_6)), Some(Era::Legacy));
        assert_eq!(era_of(Some(V3_6), Some(V3_10_4)), Some(Era::OpenSslUntrustedBug));
        assert_eq!(era_of(Some(V3_10_4), None), Some(Era::OpenSsl));
        assert_eq!(era_of(Some(V3_6), None), None);
        assert_eq!(era_of(None, None), None);
        assert_eq!(era_of(Some(V3_9), Some(V3_10)), Some(Era::OpenSslUntrustedBug));
    }

    fn clue(code: &str, line: usize, strength: Strength, from: Option<V>, before: Option<V>) -> EraClue {
        EraClue { code: code.into(), line, count: 1, why: String::new(), range: range(from, before), strength, conflicting: false }
    }

    #[test]
    fn suggestions_stay_inside_the_range() {
        let r = resolve(vec![clue("a", 1, Strength::Strong, None, Some(V3_6))]);
        assert_eq!(r.suggested_version, "3.5.27");
        let r = resolve(vec![clue("a", 1, Strength::Strong, Some(V3_6), Some(V3_10_4))]);
        assert_eq!(r.suggested_version, "3.7.11");
        let r = resolve(vec![clue("a", 1, Strength::Strong, Some(V3_10_4), None)]);
        assert_eq!(r.suggested_version, "3.11.6");
        let r = resolve(vec![clue("a", 1, Strength::Strong, None, Some(V3_0))]);
        assert_eq!(r.suggested_version, "2.11.0");
        let r = resolve(vec![clue("a", 1, Strength::Strong, Some(V3_9), None), clue("b", 2, Strength::Strong, None, Some(V3_10))]);
        assert_eq!(r.suggested_version, "3.9.0");
        let r = resolve(Vec::new());
        assert_eq!(r.suggested_version, crate::version::DEFAULT_VERSION);
    }

    #[test]
    fn absurd_patch_levels_do_not_overflow() {
        let r = crate::logread::read_log("postfix/master[1]: daemon started -- version 3.7.4294967295, configuration /etc/postfix");
        assert!(r.era.clues.iter().any(|c| c.code == "version-banner"));
    }

    #[test]
    fn conflicts_are_reported_and_the_stronger_clue_wins() {
        let r = resolve(vec![
            clue("banner", 1, Strength::Exact, Some((3, 7, 11)), Some((3, 7, 12))),
            clue("san", 5, Strength::Strong, None, Some(V3_6)),
            clue("tls", 9, Strength::Strong, Some(V3_6), None),
        ]);
        assert_eq!(r.suggested_version, "3.7.11");
        assert_eq!(r.conflicts.len(), 1);
        assert_eq!(r.conflicts[0].line, 5);
        assert!(r.clues.iter().any(|c| c.code == "san" && c.conflicting));
        assert_eq!(r.range.label, "3.7.11");
    }
}

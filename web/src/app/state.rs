//! The app state and every change to it: one `enum Action` and one `reduce`, no DOM.
//!
//! The scenario being edited is kept as [`Inputs`] (its text fields, plus the rest untouched).
//! Text panes are uncontrolled
//! (the browser keeps what is typed; a huge pasted table is never written back into the DOM);
//! when the state replaces a pane's text (an example, a permalink, a fix, a removed private key)
//! it bumps that pane's generation and the pane copies the new text in once.

use super::changes::{compare, Change};
use super::diagview::snippet_of;
use super::i18n::Lang;
use super::shared::Shared;
use peername_engine::cert::pem::{contains_private_key, strip_private_keys};
use peername_engine::diag::Source;
use crate::inputs::Inputs;
use crate::view::ReportView;
use peername_engine::fixes::apply;
use peername_engine::scenario::{CaTrust, ServedChain};
use std::rc::Rc;

/// A text pane of the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// main.cf or `postconf -n`.
    MainCf,
    /// The tls_policy table.
    PolicyTable,
    /// The transport table.
    TransportTable,
    /// Recipient or next-hop.
    Destination,
    /// MX records.
    Mx,
    /// Address records.
    Addresses,
    /// TLSA records.
    Tlsa,
    /// The CA bundle.
    CaBundle,
    /// Names whose DNS answers were not DNSSEC-validated (one per line).
    InsecureNames,
}

impl Field {
    /// Every field (for generations).
    pub const ALL: [Field; 9] = [
        Field::MainCf,
        Field::PolicyTable,
        Field::TransportTable,
        Field::Destination,
        Field::Mx,
        Field::Addresses,
        Field::Tlsa,
        Field::CaBundle,
        Field::InsecureNames,
    ];

    fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }

    /// The most the pane takes from one paste: what the engine reads of it
    /// (`peername_engine::limits`). Anything longer would only be ignored, and a browser laying
    /// out megabytes in a text field stalls the page.
    pub fn paste_limit(self) -> usize {
        use peername_engine::limits::*;
        match self {
            Field::MainCf => MAIN_CF_MAX,
            Field::PolicyTable => POLICY_TABLE_MAX,
            Field::TransportTable => TRANSPORT_TABLE_MAX,
            Field::Destination => DESTINATION_MAX,
            Field::Mx => MX_MAX,
            Field::Addresses => ADDRESSES_MAX,
            Field::Tlsa => TLSA_MAX,
            Field::CaBundle => CA_BUNDLE_MAX,
            Field::InsecureNames => 64 * 1024,
        }
    }

    /// The field's text in `s`.
    pub fn text(self, s: &Inputs) -> String {
        self.text_in(s).into_owned()
    }

    /// The field's text in `s`, borrowed when it is kept as one text (a policy table can be
    /// 2 MiB: no copy to compare it).
    pub fn text_in(self, s: &Inputs) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow::Borrowed;
        match self {
            Field::MainCf => Borrowed(&s.main_cf),
            Field::PolicyTable => Borrowed(&s.policy_table),
            Field::TransportTable => Borrowed(&s.transport_table),
            Field::Destination => Borrowed(&s.destination),
            Field::Mx => Borrowed(&s.mx),
            Field::Addresses => Borrowed(&s.addresses),
            Field::Tlsa => Borrowed(&s.tlsa),
            Field::CaBundle => Borrowed(&s.ca_bundle),
            Field::InsecureNames => std::borrow::Cow::Owned(s.insecure_names.join("\n")),
        }
    }

    fn set(self, s: &mut Inputs, text: String) {
        match self {
            Field::MainCf => s.main_cf = text,
            Field::PolicyTable => s.policy_table = text,
            Field::TransportTable => s.transport_table = text,
            Field::Destination => s.destination = text,
            Field::Mx => s.mx = text,
            Field::Addresses => s.addresses = text,
            Field::Tlsa => s.tlsa = text,
            Field::CaBundle => s.ca_bundle = text,
            Field::InsecureNames => s.insecure_names = text.split_whitespace().map(str::to_string).collect(),
        }
    }
}

/// Something the page tells the user outside the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A private key was removed from a pane (`None`: the CA bundle; `Some(key)`: a certificate pane).
    PrivateKeyRemoved {
        /// The certificate pane, by its key; `None` for the CA bundle.
        cert: Option<u64>,
    },
    /// A permalink could not be read or made (stable code and English message from the engine).
    Permalink {
        /// `permalink.*` code.
        code: String,
        /// English text.
        message: String,
    },
    /// The link left private keys out.
    LinkWithoutKeys,
    /// The link was copied (or selected for copying).
    LinkCopied {
        /// Whether the clipboard took it (else the text was selected).
        clipboard: bool,
    },
    /// A paste was longer than the pane's limit: only its first lines went in.
    PasteCut {
        /// Catalogue key of the pane's label.
        pane: &'static str,
        /// Bytes pasted.
        size: usize,
        /// The pane's limit in bytes.
        limit: usize,
        /// Bytes kept (whole lines).
        kept: usize,
    },
    /// A language's words could not be loaded (the page stays in English).
    Words {
        /// The language's own name.
        language: String,
        /// What went wrong (browser text).
        detail: String,
    },
    /// A file could not be read.
    File {
        /// File name.
        name: String,
        /// What went wrong (browser or engine text).
        detail: String,
    },
}

/// Where the scenario on screen came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Typed or pasted.
    Typed,
    /// A gallery example, by its file stem.
    Example(String),
    /// A permalink.
    Permalink,
    /// A pasted log.
    Log,
}

/// One certificate pane: a stable key for lists, and its generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertPane {
    /// Stable identity (list key, labels, notices).
    pub key: u64,
    /// Bumped when the state replaces this pane's text.
    pub generation: u64,
}

/// Diagnostics beyond this many are listed without their line (the page shows few anyway).
const MAX_SNIPPETS: usize = 500;

/// The text a diagnostic's span points into.
pub fn source_text(s: &Inputs, source: Source) -> Option<&str> {
    match source {
        Source::MainCf => Some(&s.main_cf),
        Source::PolicyTable => Some(&s.policy_table),
        Source::TransportTable => Some(&s.transport_table),
        Source::Destination => Some(&s.destination),
        Source::Mx => Some(&s.mx),
        Source::Addresses => Some(&s.addresses),
        Source::Certificates(i) => s.certificates.get(i).map(|c| c.pem.as_str()),
        Source::CaBundle => Some(&s.ca_bundle),
        Source::Tlsa => Some(&s.tlsa),
        Source::Log | Source::Scenario => None,
    }
}

/// The state handle as a prop, equal to another when both were made from the same state value
/// (its [`AppState::stamp`]). Every change makes a new value with a new stamp, so this never
/// hides one, and a re-render no longer compares every pane's text (a 10,000-line table is
/// 200 KB) to find out. (A handle itself always reads the newest state: only the stamp taken
/// when it was made tells two apart.)
#[cfg(target_arch = "wasm32")]
#[derive(Clone)]
pub struct StateHandle {
    handle: yew::functional::UseReducerHandle<AppState>,
    stamp: u64,
}

#[cfg(target_arch = "wasm32")]
impl StateHandle {
    /// The handle and the stamp of the state it reads now.
    pub fn new(handle: yew::functional::UseReducerHandle<AppState>) -> Self {
        let stamp = handle.stamp;
        StateHandle { handle, stamp }
    }
}

#[cfg(target_arch = "wasm32")]
impl PartialEq for StateHandle {
    fn eq(&self, other: &Self) -> bool {
        self.stamp == other.stamp
    }
}

#[cfg(target_arch = "wasm32")]
impl std::ops::Deref for StateHandle {
    type Target = yew::functional::UseReducerHandle<AppState>;
    fn deref(&self) -> &Self::Target {
        &self.handle
    }
}

/// Everything the page knows.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// Counts the state values the reducer made: a new value, a new stamp ([`StateHandle`]).
    pub stamp: u64,
    /// The scenario being edited.
    pub scenario: Inputs,
    /// Bumped on every change of the scenario.
    pub revision: u64,
    /// Per-field generations (see the module comment).
    generations: [u64; 9],
    /// Certificate panes, parallel to `scenario.certificates`.
    pub cert_panes: Vec<CertPane>,
    next_key: u64,
    /// The latest report and the revision it explains.
    pub report: Option<(u64, Shared<ReportView>)>,
    /// For each of the report's diagnostics, the line it points into and its caret line (made
    /// when the report arrived, from the text it explains).
    pub snippets: Shared<Vec<Option<(String, String)>>>,
    /// Time the engine took for it, in ms.
    pub engine_ms: Option<f64>,
    /// The report shown before the last Postfix-version change (for "what changed").
    baseline: Option<Shared<ReportView>>,
    /// What changed since `baseline`, once the new report is in.
    pub changes: Vec<Change>,
    /// The page's language.
    pub lang: Lang,
    /// Minimal chrome for iframes.
    pub embed: bool,
    /// Messages outside the walk.
    pub notices: Vec<Notice>,
    /// Where the scenario came from.
    pub origin: Origin,
}

/// Every change to the state.
#[derive(Clone, Debug)]
pub enum Action {
    /// A text pane changed.
    Edit(Field, String),
    /// The Postfix version changed.
    SetVersion(String),
    /// The evaluation time changed (`None`: dates are not checked).
    SetEvaluatedAt(Option<String>),
    /// "My CA store trusts this chain".
    SetCaTrust(CaTrust),
    /// "DNS answers were DNSSEC-validated".
    SetDnssec(bool),
    /// A certificate pane's host changed.
    SetCertHost(u64, String),
    /// A certificate pane's text changed (typed, pasted, or read from a file).
    SetCertPem(u64, String),
    /// A certificate pane's text replaced by the page (files were chosen): the pane shows it.
    ReplaceCertPem(u64, String),
    /// Certificates read from a file, added to a pane's text: the pane shows it.
    AppendCertPem(u64, String),
    /// A new, empty certificate pane.
    AddCert,
    /// Removes a certificate pane.
    RemoveCert(u64),
    /// Replaces the whole scenario.
    Load(Box<Inputs>, Origin),
    /// Empties every input (`now`: the evaluation time to use).
    Clear(String),
    /// The engine answered for `revision`.
    ReportReady(u64, Box<ReportView>, f64),
    /// Applies the report's fix number `n` to the policy table (and main.cf when the fix needs it).
    ApplyFix(usize),
    /// Switches language.
    SetLang(Lang),
    /// A language's words arrived (re-render in it).
    WordsInstalled(Lang),
    /// Shows a notice.
    Notify(Notice),
    /// Hides notice number `n`.
    Dismiss(usize),
}

impl AppState {
    /// The initial state: an empty scenario evaluated at `now`.
    pub fn new(lang: Lang, embed: bool, now: String) -> Self {
        let scenario = Inputs { evaluated_at: Some(now), ..Inputs::default() };
        AppState {
            stamp: 0,
            scenario,
            revision: 0,
            generations: [0; 9],
            cert_panes: Vec::new(),
            next_key: 1,
            report: None,
            snippets: Shared::new(Vec::new()),
            engine_ms: None,
            baseline: None,
            changes: Vec::new(),
            lang,
            embed,
            notices: Vec::new(),
            origin: Origin::Typed,
        }
        .with_one_cert_pane()
    }

    fn with_one_cert_pane(mut self) -> Self {
        if self.scenario.certificates.is_empty() {
            self.scenario.certificates.push(ServedChain::default());
        }
        self.cert_panes = self.scenario.certificates.iter().map(|_| CertPane { key: 0, generation: 0 }).collect();
        for pane in &mut self.cert_panes {
            pane.key = self.next_key;
            self.next_key += 1;
        }
        self
    }

    /// The generation of a text pane.
    pub fn generation(&self, field: Field) -> u64 {
        self.generations[field.index()]
    }

    /// Whether nothing has been entered (the page then shows the gallery).
    pub fn is_empty(&self) -> bool {
        let s = &self.scenario;
        s.destination.trim().is_empty()
            && s.policy_table.trim().is_empty()
            && s.main_cf.trim().is_empty()
            && s.mx.trim().is_empty()
            && s.certificates.iter().all(|c| c.pem.trim().is_empty())
    }

    /// The report, if it explains the scenario as it is now.
    pub fn current_report(&self) -> Option<&Shared<ReportView>> {
        self.report.as_ref().filter(|(rev, _)| *rev == self.revision).map(|(_, r)| r)
    }

    /// Whether the engine has yet to answer for the scenario as it is now.
    pub fn pending(&self) -> bool {
        !self.is_empty() && self.current_report().is_none()
    }

    fn bump_all(&mut self) {
        for g in &mut self.generations {
            *g += 1;
        }
        for pane in &mut self.cert_panes {
            pane.generation += 1;
        }
    }

    fn cert_index(&self, key: u64) -> Option<usize> {
        self.cert_panes.iter().position(|p| p.key == key)
    }

    fn notify(&mut self, n: Notice) {
        if !self.notices.contains(&n) {
            self.notices.retain(|old| !matches!((old, &n), (Notice::LinkCopied { .. }, Notice::LinkCopied { .. })));
            self.notices.push(n);
        }
    }

    /// Sets a certificate pane's text without any private key; `rewrite`: the pane must show
    /// the new text. Returns whether the scenario changed.
    fn set_cert_pem(&mut self, key: u64, pem: String, rewrite: bool) -> bool {
        let Some(i) = self.cert_index(key) else { return false };
        let pem = if contains_private_key(&pem) {
            self.notify(Notice::PrivateKeyRemoved { cert: Some(key) });
            self.cert_panes[i].generation += 1;
            strip_private_keys(&pem)
        } else {
            if rewrite {
                self.cert_panes[i].generation += 1;
            }
            pem
        };
        if self.scenario.certificates[i].pem == pem {
            return false;
        }
        self.scenario.certificates[i].pem = pem;
        true
    }

    /// Applies one action (the body of `Reducible::reduce`).
    pub fn apply(mut self, action: Action) -> Self {
        let mut changed = true;
        let mut keep_baseline = false;
        let mut keep_origin = false;
        match action {
            Action::Edit(field, text) => {
                let text = if field == Field::CaBundle && contains_private_key(&text) {
                    self.notify(Notice::PrivateKeyRemoved { cert: None });
                    self.generations[field.index()] += 1;
                    strip_private_keys(&text)
                } else {
                    text
                };
                if field.text_in(&self.scenario) == text.as_str() {
                    changed = false;
                } else {
                    field.set(&mut self.scenario, text);
                }
            }
            Action::SetVersion(v) => {
                if self.scenario.postfix_version != v {
                    self.baseline = self.current_report().cloned().or_else(|| self.baseline.take());
                    keep_baseline = true;
                    keep_origin = true;
                    self.scenario.postfix_version = v;
                } else {
                    changed = false;
                }
            }
            Action::SetEvaluatedAt(at) => self.scenario.evaluated_at = at,
            Action::SetCaTrust(t) => self.scenario.ca_trust = t,
            Action::SetDnssec(on) => self.scenario.dnssec_validated = on,
            Action::SetCertHost(key, host) => match self.cert_index(key) {
                Some(i) => self.scenario.certificates[i].host = host,
                None => changed = false,
            },
            Action::SetCertPem(key, pem) => changed = self.set_cert_pem(key, pem, false),
            Action::ReplaceCertPem(key, pem) => changed = self.set_cert_pem(key, pem, true),
            Action::AppendCertPem(key, pem) => {
                let old = self.cert_index(key).map(|i| self.scenario.certificates[i].pem.clone()).unwrap_or_default();
                let joined = if old.is_empty() || old.ends_with('\n') { format!("{old}{pem}") } else { format!("{old}\n{pem}") };
                changed = self.set_cert_pem(key, joined, true);
            }
            Action::AddCert => {
                self.scenario.certificates.push(ServedChain::default());
                self.cert_panes.push(CertPane { key: self.next_key, generation: 0 });
                self.next_key += 1;
            }
            Action::RemoveCert(key) => match self.cert_index(key) {
                Some(i) => {
                    self.scenario.certificates.remove(i);
                    self.cert_panes.remove(i);
                    self.notices.retain(|n| *n != Notice::PrivateKeyRemoved { cert: Some(key) });
                    if self.cert_panes.is_empty() {
                        self = self.with_one_cert_pane();
                    }
                }
                None => changed = false,
            },
            Action::Load(scenario, origin) => {
                let lang = self.lang;
                let embed = self.embed;
                let revision = self.revision;
                let generations = self.generations;
                let next_key = self.next_key;
                let cert_generation = self.cert_panes.iter().map(|p| p.generation).max().unwrap_or(0);
                let notices: Vec<Notice> = self.notices.into_iter().filter(|n| matches!(n, Notice::LinkWithoutKeys | Notice::Permalink { .. })).collect();
                self = AppState { scenario: *scenario, next_key, generations, revision, ..AppState::new(lang, embed, String::new()) };
                self.notices = notices;
                self.origin = origin;
                keep_origin = true;
                self = self.with_one_cert_pane();
                for pane in &mut self.cert_panes {
                    pane.generation = cert_generation;
                }
                self.bump_all();
            }
            Action::Clear(now) => {
                let (lang, embed, revision, generations, next_key) = (self.lang, self.embed, self.revision, self.generations, self.next_key);
                let cert_generation = self.cert_panes.iter().map(|p| p.generation).max().unwrap_or(0);
                self = AppState { next_key, generations, revision, ..AppState::new(lang, embed, now) };
                self = self.with_one_cert_pane();
                for pane in &mut self.cert_panes {
                    pane.generation = cert_generation;
                }
                self.bump_all();
            }
            Action::ReportReady(revision, report, ms) => {
                changed = false;
                keep_baseline = true;
                if self.report.as_ref().is_none_or(|(r, _)| *r <= revision) {
                    let report = Shared(Rc::new(*report));
                    if revision == self.revision {
                        if let Some(base) = self.baseline.take() {
                            self.changes = compare(&base, &report);
                        }
                        let snippets = report
                            .diagnostics
                            .iter()
                            .enumerate()
                            .map(|(i, d)| if i < MAX_SNIPPETS { source_text(&self.scenario, d.source).and_then(|text| snippet_of(d, text)) } else { None })
                            .collect();
                        self.snippets = Shared::new(snippets);
                    } else {
                        self.snippets = Shared::new(Vec::new());
                    }
                    self.report = Some((revision, report));
                    self.engine_ms = Some(ms);
                }
            }
            Action::ApplyFix(n) => {
                let fix = self.current_report().and_then(|r| r.fixes.get(n).cloned());
                match fix {
                    Some(fix) => {
                        self.scenario.policy_table = apply(&self.scenario.policy_table, fix.replaces, &fix.line);
                        self.generations[Field::PolicyTable.index()] += 1;
                        if let Some(line) = &fix.main_cf_line {
                            let mut main_cf = self.scenario.main_cf.trim_end().to_string();
                            if !main_cf.is_empty() {
                                main_cf.push('\n');
                            }
                            main_cf.push_str(line);
                            main_cf.push('\n');
                            self.scenario.main_cf = main_cf;
                            self.generations[Field::MainCf.index()] += 1;
                        }
                    }
                    None => changed = false,
                }
            }
            Action::SetLang(lang) => {
                self.lang = lang;
                changed = false;
                keep_baseline = true;
            }
            Action::WordsInstalled(_) => {
                changed = false;
                keep_baseline = true;
            }
            Action::Notify(n) => {
                self.notify(n);
                changed = false;
                keep_baseline = true;
            }
            Action::Dismiss(i) => {
                if i < self.notices.len() {
                    self.notices.remove(i);
                }
                changed = false;
                keep_baseline = true;
            }
        }
        if changed {
            self.revision += 1;
            if !keep_origin {
                self.origin = Origin::Typed;
            }
            self.notices.retain(|n| !matches!(n, Notice::LinkCopied { .. }));
        }
        if changed && !keep_baseline {
            self.baseline = None;
            self.changes.clear();
        }
        self
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let stamp = self.stamp + 1;
        Rc::new(AppState { stamp, ..Rc::unwrap_or_clone(self).apply(action) })
    }
}

/// The longest start of `text` of at most `max` bytes that ends a line (or, without a line end
/// in reach, at a character boundary): what a pane keeps of a paste longer than its limit.
pub fn whole_lines(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match text[..end].rfind('\n') {
        Some(nl) => &text[..=nl],
        None => &text[..end],
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_paste_keeps_whole_lines_within_the_limit() {
        assert_eq!(whole_lines("a\nb\n", 10), "a\nb\n");
        assert_eq!(whole_lines("aa\nbb\ncc\n", 7), "aa\nbb\n");
        assert_eq!(whole_lines("abcdef", 4), "abcd", "no line end: cut at the limit");
        assert_eq!(whole_lines("ééé", 3), "é", "never inside a character");
        assert_eq!(Field::PolicyTable.paste_limit(), peername_engine::limits::POLICY_TABLE_MAX);
        for field in Field::ALL {
            assert!(field.paste_limit() >= 1024);
        }
    }
    use super::*;
    use peername_engine::fixes::{Fix, FixKind};
    use peername_engine::scenario::Scenario;

    const KEY: &str = "-----BEGIN PRIVATE KEY-----\nU0VDUkVU\n-----END PRIVATE KEY-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";

    fn state() -> AppState {
        AppState::new(Lang::En, false, "2026-11-23T04:07:48Z".into())
    }

    fn explain(inputs: &Inputs) -> ReportView {
        ReportView::of(&peername_engine::explain(&inputs.to_scenario()))
    }

    fn report_with_fix(line: &str, replaces: Option<[usize; 2]>) -> ReportView {
        let mut r = ReportView::of(&peername_engine::explain(&Scenario::default()));
        r.fixes = vec![Fix { kind: FixKind::MatchCertificateDomain, line: line.into(), cost: String::new(), delivers: true, trust: None, replaces, main_cf_line: None }];
        r
    }

    #[test]
    fn a_new_page_is_empty_with_one_certificate_pane_and_now_as_the_time() {
        let s = state();
        assert!(s.is_empty());
        assert_eq!(s.cert_panes.len(), 1);
        assert_eq!(s.scenario.evaluated_at.as_deref(), Some("2026-11-23T04:07:48Z"));
        assert!(!s.pending(), "nothing to evaluate yet");
    }

    #[test]
    fn edits_bump_the_revision_only_when_the_text_changes() {
        let s = state().apply(Action::Edit(Field::Destination, "user@fastmail.fm".into()));
        assert_eq!(s.revision, 1);
        assert!(s.pending());
        let s = s.apply(Action::Edit(Field::Destination, "user@fastmail.fm".into()));
        assert_eq!(s.revision, 1);
        assert_eq!(s.generation(Field::Destination), 0, "typing never rewrites the pane");
    }

    #[test]
    fn private_keys_are_removed_from_what_is_kept_and_the_pane_is_rewritten() {
        let s = state();
        let key = s.cert_panes[0].key;
        let s = s.apply(Action::SetCertPem(key, format!("{CERT}{KEY}")));
        assert_eq!(s.scenario.certificates[0].pem, CERT);
        assert_eq!(s.cert_panes[0].generation, 1);
        assert!(s.notices.contains(&Notice::PrivateKeyRemoved { cert: Some(key) }));
        let s = s.apply(Action::Edit(Field::CaBundle, KEY.into()));
        assert_eq!(s.scenario.ca_bundle, "");
        assert!(s.notices.contains(&Notice::PrivateKeyRemoved { cert: None }));
    }

    #[test]
    fn reports_for_older_revisions_do_not_count_as_current() {
        let s = state().apply(Action::Edit(Field::Destination, "a@b.example".into()));
        let s = s.apply(Action::ReportReady(1, Box::new(report_with_fix("x y", None)), 2.0));
        assert!(s.current_report().is_some());
        let s = s.apply(Action::Edit(Field::Destination, "a@c.example".into()));
        assert!(s.current_report().is_none() && s.report.is_some(), "the old report stays on screen while the new one is computed");
        let stale = s.clone().apply(Action::ReportReady(1, Box::new(report_with_fix("x y", None)), 2.0));
        assert!(stale.current_report().is_none());
    }

    #[test]
    fn a_fix_replaces_exactly_the_lines_it_names() {
        let s = state().apply(Action::Edit(Field::PolicyTable, "a.example may\nfastmail.fm secure ciphers=high\n  match=nexthop\n".into()));
        let rev = s.revision;
        let s = s.apply(Action::ReportReady(rev, Box::new(report_with_fix("fastmail.fm secure match=.messagingengine.com ciphers=high", Some([2, 3]))), 1.0));
        let s = s.apply(Action::ApplyFix(0));
        assert_eq!(s.scenario.policy_table, "a.example may\nfastmail.fm secure match=.messagingengine.com ciphers=high\n");
        assert_eq!(s.generation(Field::PolicyTable), 1);
        assert_eq!(s.revision, rev + 1);
    }

    #[test]
    fn a_version_change_keeps_the_old_report_to_compare_with() {
        let s = state().apply(Action::Edit(Field::Destination, "user@example.com".into()));
        let old = explain(&s.scenario);
        let s = s.apply(Action::ReportReady(1, Box::new(old), 1.0));
        let s = s.apply(Action::SetVersion("3.7.11".into()));
        assert!(s.baseline.is_some());
        let new = explain(&s.scenario);
        let s = s.apply(Action::ReportReady(2, Box::new(new), 1.0));
        assert!(s.baseline.is_none(), "compared once, then dropped");
        assert!(s.changes.iter().any(|c| matches!(c, Change::Version { .. })), "{:?}", s.changes);
        let s = s.apply(Action::Edit(Field::Destination, "user@example.org".into()));
        assert!(s.changes.is_empty(), "other edits clear the comparison");
    }

    #[test]
    fn loading_replaces_everything_but_language_and_rewrites_every_pane() {
        let s = state().apply(Action::SetLang(Lang::Ja));
        let scenario = Inputs { destination: "x@y.example".into(), certificates: vec![ServedChain::default(), ServedChain::default()], ..Inputs::default() };
        let s = s.apply(Action::Load(Box::new(scenario), Origin::Example("fastmail".into())));
        assert_eq!(s.lang, Lang::Ja);
        assert_eq!(s.cert_panes.len(), 2);
        assert_ne!(s.cert_panes[0].key, s.cert_panes[1].key);
        assert!(s.generation(Field::PolicyTable) > 0);
        assert_eq!(s.origin, Origin::Example("fastmail".into()));
        let s = s.apply(Action::Edit(Field::Destination, "z@y.example".into()));
        assert_eq!(s.origin, Origin::Typed);
        let s = s.apply(Action::Clear("2026-01-01T00:00:00Z".into()));
        assert!(s.is_empty());
    }
}

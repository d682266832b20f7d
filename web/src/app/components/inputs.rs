//! The inputs column: every pane, with the diagnostics the engine reported for it.

use super::cert_pane::CertPane;
use super::diagnostics::{DiagItem, Findings, SHOWN};
use super::log_pane::LogPane;
use super::text_pane::TextPane;
use super::trust_pane::TrustPane;
use super::use_ctx;
use super::version_pane::VersionPane;
use crate::app::i18n::t;
use crate::app::state::{Action, AppState, Field, StateHandle};
use peername_engine::diag::Source;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct InputsProps {
    /// The state.
    pub state: StateHandle,
}

/// The diagnostics of the latest report that point into `source`, with their snippets (the
/// first few; see [`Findings`]).
pub fn diagnostics_for(state: &AppState, source: Source) -> Findings {
    let Some((_, report)) = &state.report else { return Findings::default() };
    let mut matching = report.diagnostics.iter().enumerate().filter(|(_, d)| d.source == source);
    let items = matching.by_ref().take(SHOWN).map(|(i, d)| DiagItem { diagnostic: d.clone(), snippet: state.snippets.get(i).cloned().flatten() }).collect();
    Findings { items, more: matching.count() + report.diagnostics_more(source) }
}

/// One text pane: field, the source its diagnostics have, label and hint keys, rows, monospace.
type PaneDef = (Field, Option<Source>, &'static str, &'static str, u32, bool);

const DESTINATION: PaneDef = (Field::Destination, Some(Source::Destination), "pane.destination", "pane.destination.hint", 1, false);
const MAIN: [PaneDef; 3] = [
    (Field::PolicyTable, Some(Source::PolicyTable), "pane.policy", "pane.policy.hint", 6, true),
    (Field::MainCf, Some(Source::MainCf), "pane.main-cf", "pane.main-cf.hint", 6, true),
    (Field::Mx, Some(Source::Mx), "pane.mx", "pane.mx.hint", 3, true),
];
const TLSA: PaneDef = (Field::Tlsa, Some(Source::Tlsa), "pane.tlsa", "pane.tlsa.hint", 3, true);
const INSECURE: PaneDef = (Field::InsecureNames, None, "pane.insecure-names", "pane.insecure-names.hint", 2, true);
const MORE: [PaneDef; 2] = [
    (Field::TransportTable, Some(Source::TransportTable), "pane.transport", "pane.transport.hint", 3, true),
    (Field::Addresses, Some(Source::Addresses), "pane.addresses", "pane.addresses.hint", 3, true),
];

fn pane(state: &AppState, &(field, source, label, hint, rows, mono): &PaneDef) -> Html {
    html! {
        <TextPane field={field} label={label} hint={hint} rows={rows} mono={mono}
            generation={state.generation(field)} text={AttrValue::from(field.text_in(&state.scenario).as_ref())}
            diagnostics={source.map(|s| diagnostics_for(state, s)).unwrap_or_default()} />
    }
}

/// The inputs column.
#[function_component(Inputs)]
pub fn inputs(props: &InputsProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let state = &*props.state;
    let on_dnssec = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| dispatch.dispatch(Action::SetDnssec(e.target_unchecked_into::<HtmlInputElement>().checked())))
    };
    let on_add_cert = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::AddCert))
    };
    let many = state.cert_panes.len() > 1;
    let report = state.report.as_ref().map(|(_, r)| r.clone());
    html! {
        <section class="inputs-column" aria-labelledby="inputs-heading">
            <h2 id="inputs-heading">{ t(lang, "inputs.heading") }</h2>
            <p class="column-note">{ t(lang, "inputs.note") }</p>
            <LogPane state={props.state.clone()} />
            { pane(state, &DESTINATION) }
            <VersionPane version={state.scenario.postfix_version.clone()} evaluated_at={state.scenario.evaluated_at.clone()}
                diagnostics={diagnostics_for(state, Source::Scenario)} />
            { for MAIN.iter().map(|p| pane(state, p)) }
            <fieldset class="pane-group">
                <legend>{ t(lang, "pane.certificates") }</legend>
                <p class="hint">{ t(lang, "pane.certificates.hint") }</p>
                { for state.cert_panes.iter().enumerate().map(|(i, p)| {
                    let chain = &state.scenario.certificates[i];
                    html! {
                        <CertPane key={p.key} pane={p.key} index={i} generation={p.generation} removable={many}
                            host={chain.host.clone()} pem={AttrValue::from(chain.pem.clone())}
                            diagnostics={diagnostics_for(state, Source::Certificates(i))} report={report.clone()} />
                    }
                }) }
                <button type="button" class="button button-quiet" onclick={on_add_cert}>{ t(lang, "pane.certificates.add") }</button>
            </fieldset>
            <TrustPane ca_trust={state.scenario.ca_trust} generation={state.generation(Field::CaBundle)}
                bundle={AttrValue::from(state.scenario.ca_bundle.clone())} diagnostics={diagnostics_for(state, Source::CaBundle)} />
            <details class="pane-group" open={!state.scenario.tlsa.is_empty()}>
                <summary>{ t(lang, "pane.dane") }</summary>
                { pane(state, &TLSA) }
                <label class="check">
                    <input type="checkbox" checked={state.scenario.dnssec_validated} onchange={on_dnssec} />
                    { t(lang, "pane.dnssec") }
                </label>
                { pane(state, &INSECURE) }
                if let Some(r) = report.as_ref().filter(|r| !r.tlsa.suggested.is_empty()) {
                    <details class="tlsa-advice">
                        <summary>{ t(lang, "tlsa.suggested") }</summary>
                        <p class="hint">{ t(lang, "tlsa.suggested.hint") }</p>
                        <pre tabindex="0">{ for r.tlsa.suggested.iter().map(|s| format!("{}  ; {}\n", s.record, if s.depth == 0 { "DANE-EE" } else { "DANE-TA" })) }</pre>
                    </details>
                }
            </details>
            <details class="pane-group" open={!state.scenario.transport_table.is_empty() || !state.scenario.addresses.is_empty()}>
                <summary>{ t(lang, "pane.more") }</summary>
                { for MORE.iter().map(|p| pane(state, p)) }
            </details>
        </section>
    }
}

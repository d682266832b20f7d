//! "My CA store trusts this chain": yes, no, not known, or this CA bundle.

use super::diagnostics::Findings;
use super::text_pane::TextPane;
use super::use_ctx;
use crate::app::i18n::t;
use crate::app::state::{Action, Field};
use peername_engine::scenario::CaTrust;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct TrustPaneProps {
    /// The answer.
    pub ca_trust: CaTrust,
    /// The CA bundle pane's generation.
    pub generation: u64,
    /// The CA bundle text.
    pub bundle: AttrValue,
    /// Findings about the bundle.
    pub diagnostics: Findings,
}

/// The trust pane.
#[function_component(TrustPane)]
pub fn trust_pane(props: &TrustPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let choices = [
        (CaTrust::Trusted, "trust-yes", "pane.trust.yes"),
        (CaTrust::Untrusted, "trust-no", "pane.trust.no"),
        (CaTrust::Unknown, "trust-unknown", "pane.trust.unknown"),
        (CaTrust::Bundle, "trust-bundle", "pane.trust.bundle"),
    ];
    html! {
        <fieldset class="pane-group">
            <legend>{ t(lang, "pane.trust") }</legend>
            <p class="hint">{ t(lang, "pane.trust.hint") }</p>
            <div class="radios">
                { for choices.iter().map(|(value, id, label)| {
                    let dispatch = ctx.dispatch.clone();
                    let value = *value;
                    let onchange = Callback::from(move |_: Event| dispatch.dispatch(Action::SetCaTrust(value)));
                    html! {
                        <label class="check" for={*id}>
                            <input type="radio" id={*id} name="ca-trust" checked={props.ca_trust == value} {onchange} />
                            { t(lang, label) }
                        </label>
                    }
                }) }
            </div>
            if props.ca_trust == CaTrust::Bundle {
                <TextPane field={Field::CaBundle} label="pane.ca-bundle" hint="pane.ca-bundle.hint" rows={4} mono={true}
                    generation={props.generation} text={props.bundle.clone()} diagnostics={props.diagnostics.clone()} />
            }
        </fieldset>
    }
}

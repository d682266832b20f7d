//! Each match-list element and the reference name it became for this server.

use super::{use_ctx, StepRef};
use crate::app::i18n::t;
use crate::app::text::{reference_kind, strategy};
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct ReferencesProps {
    /// The server step.
    pub at: StepRef,
}

/// The reference table.
#[function_component(References)]
pub fn references(props: &ReferencesProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let Some((references, _)) = props.at.server() else { return html! {} };
    html! {
        <div class="references">
            <h4>{ t(lang, "refs.heading") }</h4>
            <div class="table-scroll" tabindex="0" role="region" aria-label={t(lang, "refs.heading")}>
            <table class="refs-table">
                <caption class="visually-hidden">{ t(lang, "refs.heading") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ t(lang, "refs.element") }</th>
                        <th scope="col">{ t(lang, "refs.meaning") }</th>
                        <th scope="col">{ t(lang, "refs.name") }</th>
                        <th scope="col">{ t(lang, "refs.kind") }</th>
                    </tr>
                </thead>
                <tbody>
                    { for references.iter().map(|r| html! {
                        <tr>
                            <td><code>{ r.element.clone() }</code></td>
                            <td>{ strategy(lang, r.strategy) }</td>
                            <td><code>{ r.name.clone() }</code>
                                if let Some(from) = &r.converted_from { <span class="note">{ " ← " }<code>{ from.clone() }</code></span> }</td>
                            <td>{ reference_kind(lang, &r.kind) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            </div>
        </div>
    }
}

//! The grid: reference names down, certificate names across; every cell says matched, not
//! matched or not compared, and why (the engine's rule for that comparison).

use super::{class_list, use_ctx, StepRef};
use crate::app::i18n::t;
use crate::app::text::{match_rule, match_rule_code, name_source};
use peername_engine::names::cert_names::NameSource;
use peername_engine::names::openssl::Comparison;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct NameGridProps {
    /// The server step.
    pub at: StepRef,
}

/// Certificate names in the order the comparisons first mention them.
fn columns(comparisons: &[Comparison]) -> Vec<(String, NameSource)> {
    let mut cols: Vec<(String, NameSource)> = Vec::new();
    for c in comparisons {
        if !cols.iter().any(|(n, s)| *n == c.cert_name && *s == c.source) {
            cols.push((c.cert_name.clone(), c.source));
        }
    }
    cols
}

/// The grid.
#[function_component(NameGrid)]
pub fn name_grid(props: &NameGridProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let Some((references, Some(connection))) = props.at.server() else { return html! {} };
    let Some(names) = connection.verification.as_ref().and_then(|v| v.names.as_ref()) else { return html! {} };
    let cols = columns(&names.comparisons);
    if cols.is_empty() {
        return html! {};
    }
    let mut rows: Vec<usize> = Vec::new();
    for c in &names.comparisons {
        if !rows.contains(&c.reference) {
            rows.push(c.reference);
        }
    }
    let cell = |reference: usize, name: &str, source: NameSource| -> Html {
        let Some(c) = names.comparisons.iter().find(|c| c.reference == reference && c.cert_name == name && c.source == source) else {
            return html! { <td class="cell none"><span class="mark-icon" aria-hidden="true">{ "·" }</span>{ t(lang, "grid.none") }</td> };
        };
        let (class, icon, word) = if !c.evaluated {
            ("skip", "–", t(lang, "grid.not-compared"))
        } else if c.matched() {
            ("pass", "✓", t(lang, "grid.matched"))
        } else {
            ("fail", "✗", t(lang, "grid.not-matched"))
        };
        html! {
            <td class={class_list(&["cell", class])} data-rule={match_rule_code(c.rule)} data-outcome={class}>
                <span class="cell-head"><span class="mark-icon" aria-hidden="true">{ icon }</span><strong>{ word }</strong></span>
                <span class="cell-why">{ match_rule(lang, c.rule) }</span>
            </td>
        }
    };
    let overall = if names.matched() { ("pass", "✓", t(lang, "grid.overall-matched")) } else { ("fail", "✗", t(lang, "grid.overall-not-matched")) };
    html! {
        <div class="name-grid">
            <h4>{ t(lang, "grid.heading") }</h4>
            <div class="table-scroll" tabindex="0" role="region" aria-label={t(lang, "grid.heading")}>
                <table class="grid">
                    <caption class="visually-hidden">{ t(lang, "grid.caption") }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="corner">{ t(lang, "grid.corner") }</th>
                            { for cols.iter().map(|(name, source)| html! {
                                <th scope="col"><code>{ name.clone() }</code><span class="name-source">{ name_source(lang, *source) }</span></th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().map(|&r| {
                            let reference = references.get(r);
                            html! {
                                <tr>
                                    <th scope="row"><code>{ reference.map(|x| x.name.clone()).unwrap_or_default() }</code>
                                        if let Some(x) = reference { <span class="name-source">{ x.element.clone() }</span> }</th>
                                    { for cols.iter().map(|(name, source)| cell(r, name, *source)) }
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            <p class={class_list(&["grid-overall", overall.0])}><span class="mark-icon" aria-hidden="true">{ overall.1 }</span>{ overall.2 }
                if let Some(p) = &names.peername { { " " }<code>{ p.clone() }</code> }</p>
        </div>
    }
}

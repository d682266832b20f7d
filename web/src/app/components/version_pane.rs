//! The Postfix version (a menu of the releases peername was checked against, or any other) and
//! the evaluation time for certificate dates (the page supplies "now"; the engine never reads
//! the clock).

use super::diagnostics::{Diagnostics, Findings};
use super::use_ctx;
use crate::app::hooks::use_debounce;
use crate::app::i18n::t;
use crate::app::js;
use crate::app::state::Action;
use peername_engine::version::DEFAULT_VERSION;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The versions in the menu: the oracle's three, both sides of the 3.10.4 change, and the
/// seed question's 2.11.
pub const VERSIONS: [&str; 6] = ["3.11.6", "3.10.4", "3.10.3", "3.7.11", "3.5.27", "2.11.0"];

const OTHER: &str = "other";

/// Props.
#[derive(Properties, PartialEq)]
pub struct VersionPaneProps {
    /// The scenario's version.
    pub version: String,
    /// The scenario's evaluation time (RFC 3339), if dates are checked.
    pub evaluated_at: Option<String>,
    /// Findings about them (`scenario.bad-version`, `scenario.bad-time`).
    pub diagnostics: Findings,
}

/// `2026-11-23T04:07:48Z` → `2026-11-23T04:07:48` (the form `datetime-local` shows).
fn to_local_input(rfc3339: &str) -> String {
    rfc3339.trim_end_matches('Z').chars().take(19).collect()
}

/// `2026-11-23T04:07` or `…:48` → `2026-11-23T04:07:00Z` (the time is read as UTC).
fn from_local_input(value: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let seconds = if value.len() == 16 { ":00" } else { "" };
    Some(format!("{value}{seconds}Z"))
}

/// The version and time pane.
#[function_component(VersionPane)]
pub fn version_pane(props: &VersionPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let known = VERSIONS.contains(&props.version.as_str());
    let other_open = use_state(|| !known);
    let other_node = use_node_ref();
    let show_other = *other_open || !known;

    let on_select = {
        let dispatch = ctx.dispatch.clone();
        let other_open = other_open.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if value == OTHER {
                other_open.set(true);
            } else {
                other_open.set(false);
                dispatch.dispatch(Action::SetVersion(value));
            }
        })
    };
    let send_other = {
        let dispatch = ctx.dispatch.clone();
        let node = other_node.clone();
        Callback::from(move |()| {
            if let Some(input) = node.cast::<HtmlInputElement>() {
                dispatch.dispatch(Action::SetVersion(input.value().trim().to_string()));
            }
        })
    };
    let on_other = use_debounce(super::text_pane::DEBOUNCE_MS, send_other).reform(|_: InputEvent| ());
    let on_time = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| dispatch.dispatch(Action::SetEvaluatedAt(from_local_input(&e.target_unchecked_into::<HtmlInputElement>().value()))))
    };
    let on_now = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetEvaluatedAt(Some(js::now_rfc3339()))))
    };
    let on_check_dates = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            dispatch.dispatch(Action::SetEvaluatedAt(on.then(js::now_rfc3339)));
        })
    };
    let selected = if show_other { OTHER.to_string() } else { props.version.clone() };
    let time_value = props.evaluated_at.as_deref().map(to_local_input).unwrap_or_default();
    html! {
        <div class="pane pane-row">
            <div class="subpane">
                <label for="pane-version" class="pane-label">{ t(lang, "pane.version") }</label>
                <p class="hint" id="pane-version-hint">{ t(lang, "pane.version.hint") }</p>
                <select id="pane-version" onchange={on_select} aria-describedby="pane-version-hint">
                    { for VERSIONS.iter().map(|v| {
                        let label = if *v == DEFAULT_VERSION { format!("{v} — {}", t(lang, "pane.version.current")) } else { v.to_string() };
                        html! { <option value={*v} selected={selected == *v}>{ label }</option> }
                    }) }
                    <option value={OTHER} selected={show_other}>{ t(lang, "pane.version.other") }</option>
                </select>
                if show_other {
                    <label class="visually-hidden" for="pane-version-other">{ t(lang, "pane.version.other-label") }</label>
                    <input id="pane-version-other" ref={other_node} type="text" class="field mono short" value={props.version.clone()}
                        oninput={on_other} placeholder="3.8.6" spellcheck="false" autocomplete="off" />
                }
            </div>
            <div class="subpane">
                <label for="pane-time" class="pane-label">{ t(lang, "pane.time") }</label>
                <p class="hint" id="pane-time-hint">{ t(lang, "pane.time.hint") }</p>
                <div class="inline">
                    <input id="pane-time" type="datetime-local" step="1" class="field short" value={time_value}
                        disabled={props.evaluated_at.is_none()} onchange={on_time} aria-describedby="pane-time-hint" />
                    <button type="button" class="button button-quiet button-small" onclick={on_now} disabled={props.evaluated_at.is_none()}>{ t(lang, "pane.time.now") }</button>
                </div>
                <label class="check">
                    <input type="checkbox" checked={props.evaluated_at.is_some()} onchange={on_check_dates} />
                    { t(lang, "pane.time.check") }
                </label>
            </div>
            <Diagnostics items={props.diagnostics.clone()} />
        </div>
    }
}

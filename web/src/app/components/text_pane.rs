//! One text input (textarea, or a single line), uncontrolled: the browser keeps what is typed,
//! each input event sends it to the state at once, and the state's text is copied in only when the
//! pane's generation changes (an example, a permalink, a fix).

use super::diagnostics::{Diagnostics, Findings};
use super::use_ctx;
use crate::app::hooks::use_debounce;
use crate::app::i18n::t;
use crate::app::state::{Action, Field, Notice};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Milliseconds of quiet before typed text is evaluated: none. Reading even a 10,000-line pane
/// takes a few milliseconds, and the engine worker coalesces (one explanation in flight, only
/// the newest inputs wait), so every keystroke can be evaluated as it comes.
pub const DEBOUNCE_MS: u32 = 0;

/// Props.
#[derive(Properties, PartialEq)]
pub struct TextPaneProps {
    /// Which scenario field.
    pub field: Field,
    /// Catalogue key of the label.
    pub label: &'static str,
    /// Catalogue key of the hint under the label.
    pub hint: &'static str,
    /// Rows (1: a single-line input).
    pub rows: u32,
    /// Monospace (pasted configuration and records).
    pub mono: bool,
    /// Bumped when the state replaces the text.
    pub generation: u64,
    /// The state's text (copied in when `generation` changes).
    pub text: AttrValue,
    /// What the engine said about this input.
    pub diagnostics: Findings,
}

/// The pane's element id.
pub fn pane_id(field: Field) -> &'static str {
    match field {
        Field::MainCf => "pane-main-cf",
        Field::PolicyTable => "pane-policy",
        Field::TransportTable => "pane-transport",
        Field::Destination => "pane-destination",
        Field::Mx => "pane-mx",
        Field::Addresses => "pane-addresses",
        Field::Tlsa => "pane-tlsa",
        Field::CaBundle => "pane-ca-bundle",
        Field::InsecureNames => "pane-insecure-names",
    }
}

/// Reads the current value of a textarea or input.
pub fn value_of(node: &NodeRef) -> Option<String> {
    let element = node.get()?;
    if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        return Some(area.value());
    }
    element.dyn_ref::<HtmlInputElement>().map(HtmlInputElement::value)
}

/// Writes a value into a textarea or input.
pub fn set_value_of(node: &NodeRef, text: &str) {
    let Some(element) = node.get() else { return };
    if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        if area.value() != text {
            area.set_value(text);
        }
    } else if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        if input.value() != text {
            input.set_value(text);
        }
    }
}

/// When a paste is longer than `limit` bytes: inserts its first whole lines instead (at the
/// selection, as a paste would) and gives (bytes pasted, bytes kept). Shorter pastes are left
/// to the browser (`None`).
fn paste_within_limit(node: &NodeRef, e: &Event, limit: usize) -> Option<(usize, usize)> {
    let text = e.dyn_ref::<web_sys::ClipboardEvent>()?.clipboard_data()?.get_data("text").ok()?;
    if text.len() <= limit {
        return None;
    }
    let kept = crate::app::state::whole_lines(&text, limit);
    let element = node.get()?;
    // The selection, in the UTF-16 units the element counts in.
    let (start, end) = if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        (area.selection_start().ok().flatten(), area.selection_end().ok().flatten())
    } else {
        let input = element.dyn_ref::<HtmlInputElement>()?;
        (input.selection_start().ok().flatten(), input.selection_end().ok().flatten())
    };
    // Replaced as one new value (setRangeText on megabytes closed headless Chromium's page).
    let value: js_sys::JsString = js_sys::Reflect::get(&element, &"value".into()).ok()?.dyn_into().ok()?;
    let len = value.length();
    let (start, end) = (start.unwrap_or(len).min(len), end.unwrap_or(len).min(len));
    let new_value = value.slice(0, start).concat(&kept.into()).concat(&value.slice(end, len).into());
    js_sys::Reflect::set(&element, &"value".into(), &new_value).ok()?;
    e.prevent_default();
    Some((text.len(), kept.len()))
}

/// A text pane.
#[function_component(TextPane)]
pub fn text_pane(props: &TextPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let node = use_node_ref();
    {
        let node = node.clone();
        let text = props.text.clone();
        use_effect_with(props.generation, move |_| set_value_of(&node, &text));
    }
    let send = {
        let node = node.clone();
        let dispatch = ctx.dispatch.clone();
        let field = props.field;
        Callback::from(move |()| {
            if let Some(text) = value_of(&node) {
                dispatch.dispatch(Action::Edit(field, text));
            }
        })
    };
    let debounced = use_debounce(DEBOUNCE_MS, send);
    let onpaste = {
        let (node, dispatch, field, label, debounced) = (node.clone(), ctx.dispatch.clone(), props.field, props.label, debounced.clone());
        Callback::from(move |e: Event| {
            if let Some(cut) = paste_within_limit(&node, &e, field.paste_limit()) {
                dispatch.dispatch(Action::Notify(Notice::PasteCut { pane: label, size: cut.0, limit: field.paste_limit(), kept: cut.1 }));
                debounced.emit(());
            }
        })
    };
    let oninput = debounced.reform(|_: InputEvent| ());
    let id = pane_id(props.field);
    let hint_id = format!("{id}-hint");
    let class = if props.mono { "field mono" } else { "field" };
    let control = if props.rows <= 1 {
        html! { <input ref={node} id={id} type="text" class={class} {oninput} {onpaste} spellcheck="false" autocomplete="off" aria-describedby={hint_id.clone()} /> }
    } else {
        html! { <textarea ref={node} id={id} class={class} rows={props.rows.to_string()} {oninput} {onpaste} spellcheck="false" autocomplete="off" wrap="off" aria-describedby={hint_id.clone()} /> }
    };
    html! {
        <div class="pane" data-pane={id}>
            <label for={id} class="pane-label">{ t(lang, props.label) }</label>
            <p class="hint" id={hint_id}>{ t(lang, props.hint) }</p>
            { control }
            <Diagnostics items={props.diagnostics.clone()} />
        </div>
    }
}

//! One text input (textarea, or a single line), uncontrolled: the browser keeps what is typed,
//! each input event sends it to the state at once, and the state's text is copied in only when the
//! pane's generation changes (an example, a permalink, a fix).

use super::diagnostics::{Diagnostics, Findings};
use super::held_text::HeldText;
use super::use_ctx;
use crate::app::hooks::use_debounce;
use crate::app::i18n::t;
use crate::app::paste::{take_over_paste, EDITABLE_MAX};
use crate::app::state::{Action, Field, Notice};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Milliseconds of quiet before typed text is evaluated: none. Reading even a 10,000-line pane
/// takes a few milliseconds, and the engine worker coalesces (one explanation in flight, only
/// the newest inputs wait), so every keystroke can be evaluated as it comes.
pub const DEBOUNCE_MS: u32 = 0;

/// Props.
#[derive(Properties)]
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

/// Props are equal without comparing the texts, which can be 200 KB: what the pane renders from
/// its text is whether it is held (its length) and, when held, the text itself; the text field's
/// content is set only when `generation` changes.
impl PartialEq for TextPaneProps {
    fn eq(&self, other: &Self) -> bool {
        let same_text = self.text.len() == other.text.len() && (self.text.len() <= EDITABLE_MAX || self.text == other.text);
        self.field == other.field
            && self.label == other.label
            && self.hint == other.hint
            && self.rows == other.rows
            && self.mono == other.mono
            && self.generation == other.generation
            && same_text
            && self.diagnostics == other.diagnostics
    }
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

/// A text pane.
#[function_component(TextPane)]
pub fn text_pane(props: &TextPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let node = use_node_ref();
    // Held (not in a text field) while too long for one, unless the person asked to edit it here.
    let edit_anyway = use_state_eq(|| false);
    let held = props.text.len() > EDITABLE_MAX && !*edit_anyway;
    {
        let node = node.clone();
        let text = props.text.clone();
        // Also when the text field comes back: it starts empty.
        use_effect_with((props.generation, held), move |_| set_value_of(&node, &text));
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
        let (node, dispatch, field, label, debounced, edit_anyway) = (node.clone(), ctx.dispatch.clone(), props.field, props.label, debounced.clone(), edit_anyway.clone());
        Callback::from(move |e: Event| {
            let Some(pasted) = take_over_paste(&node, &e, field.paste_limit()) else { return };
            if pasted.kept < pasted.size {
                dispatch.dispatch(Action::Notify(Notice::PasteCut { pane: label, size: pasted.size, limit: field.paste_limit(), kept: pasted.kept }));
            }
            match pasted.held {
                Some(text) => {
                    // Held again, as in the log pane: the paste never reached the text field, so
                    // a field kept by "Edit here anyway" would show the old text.
                    edit_anyway.set(false);
                    crate::app::js::note_input();
                    dispatch.dispatch(Action::Edit(field, text));
                }
                None => debounced.emit(()),
            }
        })
    };
    let oninput = debounced.reform(|_: InputEvent| ());
    let id = pane_id(props.field);
    let hint_id = format!("{id}-hint");
    let class = if props.mono { "field mono" } else { "field" };
    let control = if held {
        let edit = {
            let edit_anyway = edit_anyway.clone();
            Callback::from(move |()| edit_anyway.set(true))
        };
        let clear = {
            let (dispatch, field) = (ctx.dispatch.clone(), props.field);
            Callback::from(move |()| dispatch.dispatch(Action::Edit(field, String::new())))
        };
        html! { <HeldText id={id} text={props.text.clone()} label_id={format!("{id}-label")} hint_id={hint_id.clone()} {clear} {edit} /> }
    } else if props.rows <= 1 {
        html! { <input ref={node} id={id} type="text" class={class} {oninput} {onpaste} spellcheck="false" autocomplete="off" aria-describedby={hint_id.clone()} /> }
    } else {
        html! { <textarea ref={node} id={id} class={class} rows={props.rows.to_string()} {oninput} {onpaste} spellcheck="false" autocomplete="off" wrap="off" aria-describedby={hint_id.clone()} /> }
    };
    html! {
        <div class="pane" data-pane={id}>
            <label for={(!held).then_some(id)} id={format!("{id}-label")} class="pane-label">{ t(lang, props.label) }</label>
            <p class="hint" id={hint_id}>{ t(lang, props.hint) }</p>
            { control }
            <Diagnostics items={props.diagnostics.clone()} />
        </div>
    }
}

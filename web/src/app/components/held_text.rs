//! A text too long for a text field (see [`EDITABLE_MAX`]): its size, its first lines, and
//! buttons to clear it or to edit it in a text field after all.
//!
//! [`EDITABLE_MAX`]: crate::app::paste::EDITABLE_MAX

use super::use_ctx;
use crate::app::i18n::{t, tf};
use crate::app::paste::grouped;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct HeldTextProps {
    /// The element id (the pane's, so links and tests find the pane whatever it shows).
    pub id: AttrValue,
    /// The text.
    pub text: AttrValue,
    /// Id of the pane's label.
    pub label_id: AttrValue,
    /// Id of the pane's hint.
    pub hint_id: AttrValue,
    /// Empty the pane.
    pub clear: Callback<()>,
    /// Show the text in a text field after all.
    pub edit: Callback<()>,
}

/// The held text.
#[function_component(HeldText)]
pub fn held_text(props: &HeldTextProps) -> Html {
    let lang = use_ctx().lang;
    let text = props.text.as_str();
    let lines = text.lines().count();
    let first: Vec<&str> = text
        .lines()
        .take(5)
        .map(|l| l.get(..200).unwrap_or(l))
        .collect();
    html! {
        <div class="held-text" id={props.id.clone()} role="group" aria-labelledby={props.label_id.clone()} aria-describedby={props.hint_id.clone()} data-bytes={text.len().to_string()}>
            <p class="held-summary">{ tf(lang, "pane.large.summary", &[("bytes", &grouped(text.len())), ("lines", &grouped(lines))]) }</p>
            <p class="held-first">{ t(lang, "pane.large.first-lines") }</p>
            <pre class="held-preview">{ first.join("\n") }</pre>
            <div class="held-actions">
                <button type="button" class="button button-small" data-held="clear" onclick={props.clear.reform(|_: MouseEvent| ())}>{ t(lang, "pane.large.clear") }</button>
                <button type="button" class="button button-small" data-held="edit" onclick={props.edit.reform(|_: MouseEvent| ())}>{ t(lang, "pane.large.edit") }</button>
            </div>
        </div>
    }
}

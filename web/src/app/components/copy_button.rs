//! A copy button: the clipboard when the browser allows it, otherwise the text is selected so
//! Ctrl+C / ⌘C copies it.

use super::{class_list, use_ctx};
use crate::app::i18n::t;
use crate::app::js;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// What to copy.
    pub text: AttrValue,
    /// The element showing it (selected when the clipboard refuses).
    pub target: NodeRef,
    /// Accessible label (what is copied).
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

/// Outcome of the last click.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Not,
    Yes,
    Selected,
}

/// The button.
#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let copied = use_state(|| Copied::Not);
    let onclick = {
        let text = props.text.clone();
        let target = props.target.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let text = text.clone();
            let target = target.clone();
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if js::copy_text(&text).await {
                    copied.set(Copied::Yes);
                } else {
                    if let Some(element) = target.cast::<web_sys::Element>() {
                        js::select_contents(&element);
                    }
                    copied.set(Copied::Selected);
                }
            });
        })
    };
    let (word, class) = match *copied {
        Copied::Not => (t(lang, "copy.copy"), ""),
        Copied::Yes => (t(lang, "copy.copied"), "done"),
        Copied::Selected => (t(lang, "copy.selected"), "done"),
    };
    html! {
        <button type="button" class={class_list(&["button", "button-small", class])} {onclick} aria-label={props.label.clone()}>
            { word }
        </button>
    }
}

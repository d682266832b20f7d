//! The title, the language menu, "copy link" and "start over" (in embed mode: the title and a
//! link to the full page).

use super::use_ctx;
use crate::app::hooks::copy_link;
use crate::app::i18n::{t, Lang};
use crate::app::js;
use crate::app::state::{Action, StateHandle};
use peername_engine::permalink::{parse_fragment, write_fragment};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The whole state (the link needs the scenario).
    pub state: StateHandle,
}

/// The page header.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let fallback = use_node_ref();
    if props.state.embed {
        let mut fragment = parse_fragment(&js::fragment());
        fragment.embed = false;
        let full = format!("{}#{}", js::page_url(), write_fragment(&fragment));
        return html! {
            <header class="header header-embed">
                <h1 class="title">{ "peername" }</h1>
                <a class="open-full" href={full} target="_blank" rel="noopener">{ t(lang, "header.open-full") }</a>
            </header>
        };
    }
    let on_lang = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(lang) = Lang::from_code(&value) {
                dispatch.dispatch(Action::SetLang(lang));
            }
        })
    };
    let on_copy = {
        let state = props.state.clone();
        let dispatch = ctx.dispatch.clone();
        let engine = ctx.engine.clone();
        let fallback = fallback.clone();
        Callback::from(move |_: MouseEvent| copy_link(&engine, &state.scenario, state.lang, dispatch.clone(), fallback.cast::<web_sys::Element>()))
    };
    let on_clear = {
        let dispatch = ctx.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            js::replace_fragment("");
            dispatch.dispatch(Action::Clear(js::now_rfc3339()));
        })
    };
    let empty = props.state.is_empty();
    html! {
        <header class="header">
            <div class="brand">
                <h1 class="title">{ "peername" }</h1>
                <p class="tagline">{ t(lang, "app.tagline") }</p>
            </div>
            <div class="header-tools">
                <label class="lang-menu">
                    <span class="visually-hidden">{ t(lang, "header.language") }</span>
                    <select onchange={on_lang} aria-label={t(lang, "header.language")}>
                        { for Lang::ALL.iter().map(|l| html! {
                            <option value={l.code()} selected={*l == lang} lang={l.code()}>{ l.native_name() }</option>
                        }) }
                    </select>
                </label>
                <button type="button" class="button" onclick={on_copy} disabled={empty}>
                    { t(lang, "header.copy-link") }
                </button>
                <button type="button" class="button button-quiet" onclick={on_clear} disabled={empty}>{ t(lang, "header.start-over") }</button>
            </div>
            <output ref={fallback} class="link-fallback" aria-live="polite"></output>
        </header>
    }
}

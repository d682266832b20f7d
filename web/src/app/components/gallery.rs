//! The empty page: what peername does, and examples one click away.

use super::use_ctx;
use crate::app::i18n::{t, tf_opt};
use crate::examples::IDS;
use yew::prelude::*;

/// The gallery.
#[function_component(Gallery)]
pub fn gallery() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    html! {
        <div class="gallery">
            <div class="intro">
                <h2>{ t(lang, "gallery.heading") }</h2>
                <p>{ t(lang, "gallery.intro") }</p>
                <p>{ t(lang, "gallery.how") }</p>
            </div>
            <h3>{ t(lang, "gallery.examples") }</h3>
            <ul class="cards" role="list">
                { for IDS.iter().map(|id| {
                    let engine = ctx.engine.clone();
                    let name = id.to_string();
                    let onclick = Callback::from(move |_: MouseEvent| engine.example(&name));
                    let title = tf_opt(lang, &format!("example.{id}.title"), &[]).unwrap_or_else(|| id.to_string());
                    let desc = tf_opt(lang, &format!("example.{id}.description"), &[]).unwrap_or_default();
                    html! {
                        <li class="card">
                            <h4 class="card-title">{ title.clone() }</h4>
                            <p class="card-text">{ desc }</p>
                            <button type="button" class="button" data-example={*id} {onclick}
                                aria-label={format!("{} {title}", t(lang, "gallery.load"))}>{ t(lang, "gallery.load") }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

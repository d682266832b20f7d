//! Placeholder page: proves the Trunk/Yew/engine plumbing until the real UI replaces this module.

use peername_engine::version::DEFAULT_VERSION;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <main id="app">
            <h1>{ "peername" }</h1>
            <p>{ format!("Explains how Postfix {DEFAULT_VERSION} matches a server certificate against your TLS policy.") }</p>
        </main>
    }
}

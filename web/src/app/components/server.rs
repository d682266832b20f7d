//! One connection: the reference names, the grid of names compared, the chain and its trust,
//! and what Postfix concluded (the peer flags and the word it logs).

use super::chain::Chain;
use super::name_grid::NameGrid;
use super::references::References;
use super::{use_ctx, StepRef};
use crate::app::i18n::t;
use crate::view::NextView;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct ServerProps {
    /// The server (or posttls-finger) step.
    pub at: StepRef,
}

fn flag(lang: crate::app::i18n::Lang, on: bool, key: &'static str) -> Html {
    let (icon, class) = if on { ("✓", "pass") } else { ("✗", "fail") };
    html! {
        <li class={class}><span class="mark-icon" aria-hidden="true">{ icon }</span>
            { t(lang, key) }{ ": " }<strong>{ if on { t(lang, "word.yes") } else { t(lang, "word.no") } }</strong></li>
    }
}

/// The server's details.
#[function_component(ServerDetail)]
pub fn server_detail(props: &ServerProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let Some((references, connection)) = props.at.server() else { return html! {} };
    let verification = connection.and_then(|c| c.verification.as_ref());
    html! {
        <div class="server">
            if !references.is_empty() {
                <References at={props.at.clone()} />
            }
            if verification.is_some_and(|v| v.names.is_some()) {
                <NameGrid at={props.at.clone()} />
            }
            if verification.is_some() {
                <Chain at={props.at.clone()} />
            }
            if let Some(c) = connection {
                <div class="conclusion">
                    <h4>{ t(lang, "server.conclusion") }</h4>
                    <ul class="flags" role="list">
                        { flag(lang, c.flags.present, "flags.present") }
                        { flag(lang, c.flags.trusted, "flags.trusted") }
                        { flag(lang, c.flags.matched, "flags.matched") }
                        { flag(lang, c.flags.secured, "flags.secured") }
                    </ul>
                    <dl class="facts">
                        if let Some(word) = c.trust { <dt>{ t(lang, "server.word") }</dt><dd><strong class="trust-word" data-word={word.as_str()}>{ word.as_str() }</strong></dd> }
                        if let Some(p) = &c.matched_peername { <dt>{ t(lang, "server.peername") }</dt><dd><code>{ p.clone() }</code></dd> }
                        if let Some(f) = &c.matched_fingerprint { <dt>{ t(lang, "server.fingerprint") }</dt><dd><code class="fingerprint">{ f.clone() }</code></dd> }
                        if let Some(d) = &c.matched_dane { <dt>{ t(lang, "server.dane") }</dt><dd><code>{ d.clone() }</code></dd> }
                        if let Some(line) = &c.failure_line { <dt>{ t(lang, "server.failure-line") }</dt><dd><code class="failure-line">{ line.clone() }</code></dd> }
                        <dt>{ t(lang, "server.then") }</dt>
                        <dd>{ match &c.next {
                            NextView::Deliver(true) => html! { t(lang, "server.deliver-tls") },
                            NextView::Deliver(false) => html! { t(lang, "server.deliver-plain") },
                            NextView::Fail(dsn, reason) => html! { <code>{ format!("{dsn} {reason}") }</code> },
                        } }</dd>
                    </dl>
                    if !c.messages.is_empty() {
                        <ul class="postfix-lines" role="list">
                            { for c.messages.iter().map(|w| html! { <li><code>{ w.clone() }</code></li> }) }
                        </ul>
                    }
                </div>
            }
        </div>
    }
}

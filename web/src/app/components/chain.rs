//! The chain OpenSSL built, where each link came from, every error its verify callback saw
//! (in order), and the one Postfix kept and logs.

use super::{class_list, use_ctx, StepRef};
use crate::app::i18n::{t, tf};
use crate::app::text::{origin, phase, x509_literal, x509_meaning};
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct ChainProps {
    /// The server step.
    pub at: StepRef,
}

/// The chain and trust.
#[function_component(Chain)]
pub fn chain(props: &ChainProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let Some((_, Some(connection))) = props.at.server() else { return html! {} };
    let Some(v) = connection.verification.as_ref() else { return html! {} };
    let (anchor_class, anchor_icon, anchor_words) = if v.anchored && v.anchor_assumed {
        ("warn", "⚠", t(lang, "chain.anchored-assumed"))
    } else if v.anchored {
        ("pass", "✓", t(lang, "chain.anchored"))
    } else {
        ("fail", "✗", t(lang, "chain.not-anchored"))
    };
    html! {
        <div class="chain">
            <h4>{ t(lang, "chain.heading") }</h4>
            if !v.chain.is_empty() {
                <ol class="chain-links" role="list">
                    { for v.chain.iter().map(|link| html! {
                        <li class="chain-link">
                            <span class="depth">{ tf(lang, "chain.depth", &[("n", &link.depth.to_string())]) }</span>
                            <code>{ link.subject.clone() }</code>
                            <span class="note">{ " " }{ tf(lang, "chain.issued-by", &[("issuer", &link.issuer)]) }</span>
                            <span class="badge">{ origin(lang, link.origin) }</span>
                        </li>
                    }) }
                </ol>
            }
            <p class={class_list(&["anchor", anchor_class])}><span class="mark-icon" aria-hidden="true">{ anchor_icon }</span>{ anchor_words }</p>
            if v.events.is_empty() {
                <p class="pass"><span class="mark-icon" aria-hidden="true">{ "✓" }</span>{ t(lang, "chain.no-errors") }</p>
            } else {
                <ol class="events" role="list">
                    { for v.events.iter().map(|e| {
                        let kept = v.reported.as_ref() == Some(e);
                        html! {
                            <li class={class_list(&["event", if kept { "kept" } else { "" }])}>
                                <span class="depth">{ tf(lang, "chain.depth", &[("n", &e.depth.to_string())]) }</span>
                                <code>{ x509_literal(e.error) }</code>
                                <span class="badge">{ phase(lang, e.phase) }</span>
                                if kept { <strong class="badge badge-kept">{ t(lang, "chain.kept") }</strong> }
                                if let Some(meaning) = x509_meaning(lang, e.error) { <span class="event-meaning">{ meaning }</span> }
                            </li>
                        }
                    }) }
                </ol>
                <p class="note">{ t(lang, "chain.kept-rule") }</p>
            }
            if let Some(fp) = &v.fingerprint {
                <p class={if fp.is_some() { "pass" } else { "fail" }}>
                    <span class="mark-icon" aria-hidden="true">{ if fp.is_some() { "✓" } else { "✗" } }</span>
                    { match fp {
                        Some(m) => html! { <>{ t(lang, "chain.fingerprint-matched") }{ " " }<code class="fingerprint">{ m.clone() }</code></> },
                        None => html! { t(lang, "chain.fingerprint-no-match") },
                    } }
                </p>
            }
        </div>
    }
}

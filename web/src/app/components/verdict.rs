//! The answer first: delivered or not, Postfix's status, why, and the word it logs per server.

use super::{class_list, use_ctx};
use crate::app::i18n::{t, tf};
use crate::app::shared::Shared;
use crate::app::text::{era_label, stage, step_title, verdict_headline};
use crate::view::ReportView;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct VerdictProps {
    /// The report.
    pub report: Shared<ReportView>,
    /// The inputs changed a while ago and the newer report is still on its way: shown dimmed.
    pub stale: bool,
    /// The report is for the inputs on the page (`data-current`, read by tests and scripts).
    pub current: bool,
    /// Engine time for it.
    pub engine_ms: Option<f64>,
}


/// The verdict banner.
#[function_component(VerdictBanner)]
pub fn verdict_banner(props: &VerdictProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let r = &*props.report;
    let delivered = r.verdict.delivered;
    let incomplete = r.verdict.status == "incomplete";
    let (class, icon, word) = if incomplete {
        ("info", "ℹ", t(lang, "verdict.word.incomplete"))
    } else if r.verdict.status == peername_engine::explain::LMTP {
        ("info", "ℹ", t(lang, "verdict.word.not-modelled"))
    } else if delivered {
        ("pass", "✓", t(lang, "verdict.word.delivered"))
    } else {
        ("fail", "✗", t(lang, "verdict.word.not-delivered"))
    };
    let why = stage(lang, &r.verdict.stage);
    let words: Vec<(String, Option<String>)> = r.connections.iter().map(|c| (c.host.clone(), c.trust.map(|w| w.as_str().to_string()))).collect();
    html! {
        <section class={class_list(&["verdict", class, if props.stale { "stale" } else { "" }])} aria-labelledby="verdict-heading"
            data-status={r.verdict.status.clone()} data-delivered={delivered.to_string()} data-current={props.current.to_string()}>
            <h2 id="verdict-heading" class="verdict-head">
                <span class="verdict-icon" aria-hidden="true">{ icon }</span>
                <span class="verdict-word">{ word }</span>
            </h2>
            <p class="verdict-headline">{ verdict_headline(lang, r) }</p>
            if let Some(why) = why { <p class="verdict-why">{ why }</p> }
            if let Some(step) = r.verdict.deciding_step.and_then(|i| r.trace.get(i)) {
                <p class="verdict-jump"><a href={format!("#step-{}", step.number)}>
                    { tf(lang, "verdict.jump", &[("n", &step.number.to_string()), ("title", &step_title(lang, step))]) }
                </a></p>
            }
            if !words.is_empty() {
                <ul class="trust-words" role="list">
                    { for words.iter().map(|(host, word)| html! {
                        <li data-host={host.clone()}>
                            <code>{ host.clone() }</code>{ ": " }
                            <strong class="trust-word" data-word={word.clone().unwrap_or_default()}>
                                { word.clone().unwrap_or_else(|| t(lang, "verdict.no-tls").to_string()) }
                            </strong>
                        </li>
                    }) }
                </ul>
            }
            <p class="verdict-meta">
                { tf(lang, "verdict.meta", &[("version", &r.postfix_version), ("era", era_label(lang, r.era))]) }
                if let Some(at) = &r.evaluated_at { { " · " }{ tf(lang, "verdict.at", &[("time", at)]) } }
                if let Some(ms) = props.engine_ms { { " · " }{ tf(lang, "verdict.ms", &[("ms", &(ms.max(0.0).round() as u64).to_string())]) } }
                if props.stale { <span class="verdict-stale" role="status">{ " · " }{ t(lang, "verdict.updating") }</span> }
            </p>
        </section>
    }
}

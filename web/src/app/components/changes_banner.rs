//! After a Postfix-version switch: what the new version decides or logs differently.

use super::use_ctx;
use crate::app::changes::Change;
use crate::app::i18n::{t, tf};
use crate::app::text::{era_label, mark_word};
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct ChangesProps {
    /// The changes (empty: nothing shown).
    pub changes: Vec<Change>,
}

fn or_none(lang: crate::app::i18n::Lang, v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| t(lang, "change.none").to_string())
}

/// The banner.
#[function_component(ChangesBanner)]
pub fn changes_banner(props: &ChangesProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let Some(Change::Version { from, to, era_from, era_to }) = props.changes.first() else {
        return html! {};
    };
    let rest = &props.changes[1..];
    let pair = |before: String, after: String| {
        html! { <><del class="before">{ before }</del>{ " → " }<ins class="after">{ after }</ins></> }
    };
    html! {
        <section class="changes" aria-labelledby="changes-heading">
            <h2 id="changes-heading"><span aria-hidden="true">{ "↻ " }</span>{ tf(lang, "change.heading", &[("from", from), ("to", to)]) }</h2>
            <ul role="list">
                if era_from != era_to {
                    <li data-change="era">{ t(lang, "change.era") }{ " " }{ pair(era_label(lang, *era_from).into(), era_label(lang, *era_to).into()) }</li>
                }
                { for rest.iter().map(|c| match c {
                    Change::Verdict { from, to } => html! { <li data-change="verdict">{ t(lang, "change.verdict") }{ " " }{ pair(from.clone(), to.clone()) }</li> },
                    Change::Trust { host, from, to } => html! {
                        <li data-change="trust">{ tf(lang, "change.trust", &[("host", host)]) }{ " " }{ pair(or_none(lang, from), or_none(lang, to)) }</li>
                    },
                    Change::FailureLine { host, from, to } => html! {
                        <li data-change="failure">{ tf(lang, "change.failure", &[("host", host)]) }
                            <div class="log-pair"><code class="before">{ or_none(lang, from) }</code><code class="after">{ or_none(lang, to) }</code></div>
                        </li>
                    },
                    Change::StepMark { number, from, to, .. } => html! {
                        <li data-change="step"><a href={format!("#step-{number}")}>{ tf(lang, "change.step", &[("n", &number.to_string())]) }</a>{ " " }
                            { pair(mark_word(lang, *from).into(), mark_word(lang, *to).into()) }</li>
                    },
                    Change::Log { added, removed } => html! {
                        <li data-change="log">{ tf(lang, "change.log", &[("added", &added.len().to_string()), ("removed", &removed.len().to_string())]) }</li>
                    },
                    Change::Version { .. } => html! {},
                }) }
                if rest.is_empty() { <li>{ t(lang, "change.nothing") }</li> }
            </ul>
        </section>
    }
}

//! The policy-table walk as a ladder: each key tried, one rung per key, hit or miss.

use super::{class_list, use_ctx, StepRef};

const DEPTHS: [&str; 7] = ["depth-0", "depth-1", "depth-2", "depth-3", "depth-4", "depth-5", "depth-6"];
use crate::app::i18n::t;
use crate::view::DetailView;
use peername_engine::policy::lookup::WalkShape;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct LadderProps {
    /// The policy-lookup step.
    pub at: StepRef,
}

/// The ladder.
#[function_component(Ladder)]
pub fn ladder(props: &LadderProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let DetailView::PolicyLookup { table, shape, probes } = &props.at.step.detail else { return html! {} };
    let shape = match shape {
        WalkShape::ParentWalk => t(lang, "ladder.parent-walk"),
        WalkShape::SingleLookup => t(lang, "ladder.single-lookup"),
        WalkShape::NoTable => t(lang, "ladder.no-table"),
    };
    html! {
        <div class="ladder-box">
            <p class="note">
                if !table.is_empty() { <code>{ table.clone() }</code>{ " · " } }
                { shape }
            </p>
            if !probes.is_empty() {
                <ol class="ladder" role="list">
                    { for probes.iter().enumerate().map(|(i, p)| {
                        let (class, icon, word, value) = match (&p.found, p.error) {
                            (_, true) => ("error", "⚠", t(lang, "ladder.error"), None),
                            (Some(value), _) => ("hit", "✓", t(lang, "ladder.found"), Some(value.clone())),
                            (None, _) => ("miss", "✗", t(lang, "ladder.not-found"), None),
                        };
                        html! {
                            <li class={class_list(&["rung", class, DEPTHS[i.min(6)]])} data-key={p.key.clone()} data-result={class}>
                                <span class="rung-index" aria-hidden="true">{ i + 1 }</span>
                                <code class="rung-key">{ p.key.clone() }</code>
                                <span class="rung-result"><span class="mark-icon" aria-hidden="true">{ icon }</span>{ word }</span>
                                if let Some(v) = value { <span class="rung-value">{ t(lang, "ladder.value") }{ " " }<code>{ v }</code></span> }
                            </li>
                        }
                    }) }
                </ol>
            }
        </div>
    }
}

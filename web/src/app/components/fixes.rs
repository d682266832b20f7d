//! What to change: policy lines the engine verified by re-running the scenario with them, each
//! with its security cost; copy one, or apply it here and watch the walk again.

use super::copy_button::CopyButton;
use super::use_ctx;
use crate::app::i18n::{t, tf};
use crate::app::shared::Shared;
use crate::app::state::Action;
use crate::app::text::{fix_cost, fix_title};
use peername_engine::fixes::Fix;
use crate::view::ReportView;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct FixesProps {
    /// The report.
    pub report: Shared<ReportView>,
    /// The inputs changed since the report (applying would edit text the fix was not made for).
    pub stale: bool,
}

#[derive(Properties, PartialEq)]
struct FixItemProps {
    fix: Fix,
    index: usize,
    stale: bool,
}

#[function_component(FixItem)]
fn fix_item(props: &FixItemProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let target = use_node_ref();
    let fix = &props.fix;
    let apply = {
        let dispatch = ctx.dispatch.clone();
        let index = props.index;
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ApplyFix(index)))
    };
    let result = match &fix.trust {
        Some(word) => tf(lang, "fixes.result", &[("word", word)]),
        None => t(lang, "fixes.result-plain").to_string(),
    };
    html! {
        <li class="fix">
            <h3 class="fix-title">{ fix_title(lang, fix.kind) }</h3>
            <pre class="fix-line" ref={target.clone()}><code>{ fix.line.clone() }</code></pre>
            if let Some(line) = &fix.main_cf_line {
                <p class="note">{ t(lang, "fixes.also-main-cf") }{ " " }<code>{ line.clone() }</code></p>
            }
            <p class="fix-result"><span class="mark-icon" aria-hidden="true">{ "✓" }</span>{ result }</p>
            <p class="fix-cost"><span class="cost-label">{ t(lang, "fixes.cost") }</span>{ " " }{ fix_cost(lang, fix) }</p>
            <div class="fix-actions">
                <CopyButton text={AttrValue::from(fix.line.clone())} target={target} label={AttrValue::from(tf(lang, "fixes.copy", &[("line", &fix.line)]))} />
                <button type="button" class="button button-small" onclick={apply} disabled={props.stale} data-apply={fix.line.clone()}>
                    { t(lang, "fixes.apply") }
                </button>
            </div>
        </li>
    }
}

/// The fixes.
#[function_component(Fixes)]
pub fn fixes(props: &FixesProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let r = &*props.report;
    if r.fixes.is_empty() {
        return html! {};
    }
    html! {
        <section class="fixes" aria-labelledby="fixes-heading">
            <h2 id="fixes-heading">{ t(lang, "fixes.heading") }</h2>
            <p class="note">{ t(lang, "fixes.intro") }</p>
            <ol class="fix-list" role="list">
                { for r.fixes.iter().enumerate().map(|(i, fix)| html! { <FixItem fix={fix.clone()} index={i} stale={props.stale} /> }) }
            </ol>
        </section>
    }
}

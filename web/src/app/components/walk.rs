//! The walk: the engine's trace as numbered steps, top to bottom.

use super::step::StepView;
use super::use_ctx;
use crate::app::changes::{Change, changed_steps};
use crate::app::i18n::t;
use crate::app::shared::{share_unchanged, Shared};
use peername_engine::trace::Mark;
use crate::view::{ReportView, SharedStep};
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct WalkProps {
    /// The report.
    pub report: Shared<ReportView>,
    /// Changes since the previous version (steps whose outcome changed are marked).
    pub changes: Vec<Change>,
}

/// The steps.
#[function_component(Walk)]
pub fn walk(props: &WalkProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let changed = changed_steps(&props.changes);
    let was = |number: usize| -> Option<Mark> {
        props.changes.iter().find_map(|c| match c {
            Change::StepMark { number: n, from, .. } if *n == number && changed.contains(n) => Some(*from),
            _ => None,
        })
    };
    let deciding = props.report.verdict.deciding_step;
    let kept = use_mut_ref(Vec::new);
    // Steps compare by identity: an equal step keeps the previous report's, so only the steps
    // an edit changed render again (an edit usually changes a few steps of a dozen).
    let steps = share_unchanged(&mut kept.borrow_mut(), &props.report.trace, SharedStep::read_alike);
    html! {
        <section class="walk" aria-labelledby="steps-heading">
            <h2 id="steps-heading">{ t(lang, "walk.steps") }</h2>
            <ol class="steps">
                { for steps.into_iter().enumerate().map(|(i, shared)| {
                    let number = shared.number;
                    html! { <StepView key={number} was={was(number)} deciding={deciding == Some(i)} step={Shared(shared.step)} /> }
                }) }
            </ol>
        </section>
    }
}

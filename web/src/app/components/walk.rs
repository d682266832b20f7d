//! The walk: the engine's trace as numbered steps, top to bottom.

use super::step::StepView;
use super::use_ctx;
use crate::app::changes::{Change, changed_steps};
use crate::app::i18n::t;
use crate::app::shared::Shared;
use peername_engine::trace::Mark;
use crate::view::ReportView;
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
    html! {
        <section class="walk" aria-labelledby="steps-heading">
            <h2 id="steps-heading">{ t(lang, "walk.steps") }</h2>
            <ol class="steps">
                { for props.report.trace.iter().enumerate().map(|(i, step)| html! {
                    <StepView key={step.number} report={props.report.clone()} index={i} was={was(step.number)} deciding={deciding == Some(i)} />
                }) }
            </ol>
        </section>
    }
}

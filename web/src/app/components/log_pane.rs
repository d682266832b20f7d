//! "Paste a log": a Postfix log excerpt becomes a scenario. The worker reads it
//! (`peername_engine::logread`); the pane lists what it read, every line it could not read and
//! why, the era the wording points to, the failing stage, what the log cannot tell, and, when
//! the other panes complete the scenario, whether the engine agrees with the log. "Walk through
//! this" loads the scenario; "Mask addresses" hides local parts and IP addresses in the pasted
//! text before it is copied anywhere.

use super::text_pane::{set_value_of, value_of};
use super::use_ctx;
use crate::app::i18n::{t, tf, tf_opt};
use crate::app::state::{Action, AppState, Origin};
use crate::app::text::stage;
use crate::inputs::Inputs;
use crate::logview::LogSummary;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct LogPaneProps {
    /// The state (its inputs complete what the log cannot tell).
    pub state: UseReducerHandle<AppState>,
}

/// The log pane.
#[function_component(LogPane)]
pub fn log_pane(props: &LogPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let node = use_node_ref();
    let read: UseStateHandle<Option<(Box<LogSummary>, Box<Inputs>)>> = use_state(|| None);
    let on_read = {
        let (node, engine, state, read) = (node.clone(), ctx.engine.clone(), props.state.clone(), read.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = value_of(&node).filter(|t| !t.trim().is_empty()) else { return };
            let read = read.clone();
            engine.read_log(text, &state.scenario, move |summary, inputs| read.set(Some((summary, inputs))));
        })
    };
    let on_mask = {
        let (node, engine) = (node.clone(), ctx.engine.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = value_of(&node).filter(|t| !t.trim().is_empty()) else { return };
            let node = node.clone();
            engine.mask_log(text, move |masked| set_value_of(&node, &masked));
        })
    };
    let result = read.as_ref().map(|(summary, inputs)| {
        let on_walk = {
            let (dispatch, inputs) = (ctx.dispatch.clone(), inputs.clone());
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Load(inputs.clone(), Origin::Log)))
        };
        summary_view(lang, summary, on_walk)
    });
    html! {
        <details class="pane-group log-pane" open={read.is_some()}>
            <summary>{ t(lang, "logpane.heading") }</summary>
            <p class="hint" id="pane-log-hint">{ t(lang, "logpane.hint") }</p>
            <textarea ref={node} id="pane-log" class="field mono" rows="6" spellcheck="false" autocomplete="off" wrap="off"
                aria-label={t(lang, "logpane.heading")} aria-describedby="pane-log-hint" />
            <p>
                <button type="button" class="button" onclick={on_read}>{ t(lang, "logpane.read") }</button>
                { " " }
                <button type="button" class="button button-quiet" onclick={on_mask}>{ t(lang, "logpane.mask") }</button>
            </p>
            { for result }
        </details>
    }
}

fn summary_view(lang: crate::app::i18n::Lang, s: &LogSummary, on_walk: Callback<MouseEvent>) -> Html {
    let n = |v: usize| v.to_string();
    if s.read == 0 {
        return html! { <p class="log-reading" role="status">{ tf(lang, "logpane.nothing", &[("lines", &n(s.lines))]) }</p> };
    }
    let (version, why_version) = &s.suggested_version;
    let (stage_code, why_stage) = &s.stage;
    let stage_words = stage(lang, stage_code).unwrap_or_else(|| stage_code.clone());
    html! {
        <div class="log-reading" role="status">
            <p class="log-counts">{ tf(lang, "logpane.counts", &[("lines", &n(s.lines)), ("read", &n(s.read)), ("ignored", &n(s.ignored)), ("unread", &n(s.unread.len()))]) }</p>
            <p>{ tf(lang, "logpane.era", &[("era", &s.era)]) }</p>
            if !s.clues.is_empty() {
                <ul class="log-clues">{ for s.clues.iter().map(|(line, why, range)| html! {
                    <li>{ tf(lang, "logpane.clue", &[("line", &n(*line)), ("why", why), ("range", range)]) }</li>
                }) }</ul>
            }
            <p>{ tf(lang, "logpane.version", &[("version", version), ("why", why_version)]) }</p>
            <p class="log-stage" data-stage={stage_code.clone()}>{ tf(lang, "logpane.stage", &[("stage", &stage_words), ("why", why_stage)]) }</p>
            if !s.unread.is_empty() {
                <p class="log-unread-heading">{ t(lang, "logpane.unread") }</p>
                <ul class="log-unread">{ for s.unread.iter().map(|u| {
                    let reason = tf_opt(lang, &format!("logpane.reason.{}", u.reason), &[]).unwrap_or_else(|| u.why.clone());
                    html! { <li data-line={n(u.line)}>{ tf(lang, "logpane.unread.line", &[("line", &n(u.line)), ("reason", &reason)]) }{ " " }<code>{ u.excerpt.clone() }</code></li> }
                }) }</ul>
            }
            if !s.missing.is_empty() {
                <p>{ t(lang, "logpane.missing") }</p>
                <ul class="log-missing">{ for s.missing.iter().map(|(what, why)| html! { <li>{ what.clone() }{ " — " }{ why.clone() }</li> }) }</ul>
            }
            if let Some((agrees, headline, differences)) = &s.check {
                if *agrees {
                    <p class="log-check agrees">{ tf(lang, "logpane.agrees", &[("headline", headline)]) }</p>
                } else {
                    <p class="log-check differs">{ tf(lang, "logpane.differs", &[("headline", headline)]) }</p>
                    <ul class="log-differences">{ for differences.iter().map(|d| html! { <li>{ d.clone() }</li> }) }</ul>
                }
            }
            <p><button type="button" class="button" onclick={on_walk}>{ t(lang, "logpane.walk") }</button></p>
        </div>
    }
}

//! "Paste a log": a Postfix log excerpt becomes a scenario. The worker reads it
//! (`peername_engine::logread`); the pane lists what it read, every line it could not read and
//! why, the era the wording points to, the failing stage, what the log cannot tell, and, when
//! the other panes complete the scenario, whether the engine agrees with the log. "Walk through
//! this" loads the scenario; "Mask addresses" hides local parts and IP addresses in the pasted
//! text before it is copied anywhere.

use super::held_text::HeldText;
use super::text_pane::{set_value_of, value_of};
use super::use_ctx;
use crate::app::i18n::{t, tf, tf_opt};
use crate::app::paste::{take_over_paste, EDITABLE_MAX};
use crate::app::state::{Action, Notice, Origin, StateHandle};
use crate::app::text::stage;
use crate::inputs::Inputs;
use crate::logview::LogSummary;
use peername_engine::limits::LOG_MAX;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct LogPaneProps {
    /// The state (its inputs complete what the log cannot tell).
    pub state: StateHandle,
}

/// The log pane.
#[function_component(LogPane)]
pub fn log_pane(props: &LogPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let node = use_node_ref();
    let read: UseStateHandle<Option<(Box<LogSummary>, Box<Inputs>)>> = use_state(|| None);
    // A log too long for the text field (a whole syslog) is held here instead, unless the person
    // asked to edit it in the field after all.
    let held: UseStateHandle<Option<AttrValue>> = use_state(|| None);
    let edit_anyway = use_state_eq(|| false);
    let shows_held = held.is_some() && !*edit_anyway;
    {
        let (node, held) = (node.clone(), held.clone());
        use_effect_with(shows_held, move |&shows_held| {
            if !shows_held {
                if let Some(text) = held.as_ref() {
                    set_value_of(&node, text);
                }
            }
        });
    }
    // The log: the held text while it is shown, else the text field's.
    let log_text = {
        let (node, held) = (node.clone(), held.clone());
        move || {
            if shows_held {
                held.as_ref().map(|t| t.to_string())
            } else {
                value_of(&node)
            }
        }
    };
    let on_read = {
        let (log_text, engine, state, read) = (log_text.clone(), ctx.engine.clone(), props.state.clone(), read.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = log_text().filter(|t| !t.trim().is_empty()) else { return };
            let read = read.clone();
            engine.read_log(text, &state.scenario, move |summary, inputs| read.set(Some((summary, inputs))));
        })
    };
    let on_mask = {
        let (node, held, edit_anyway, engine) = (node.clone(), held.clone(), edit_anyway.clone(), ctx.engine.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(text) = log_text().filter(|t| !t.trim().is_empty()) else { return };
            let (node, held, edit_anyway) = (node.clone(), held.clone(), edit_anyway.clone());
            engine.mask_log(text, move |masked| {
                if masked.len() > EDITABLE_MAX && !*edit_anyway {
                    held.set(Some(masked.into()));
                } else {
                    set_value_of(&node, &masked);
                }
            });
        })
    };
    let onpaste = {
        let (node, held, edit_anyway, dispatch) = (node.clone(), held.clone(), edit_anyway.clone(), ctx.dispatch.clone());
        Callback::from(move |e: Event| {
            let Some(pasted) = take_over_paste(&node, &e, LOG_MAX) else { return };
            if pasted.kept < pasted.size {
                dispatch.dispatch(Action::Notify(Notice::PasteCut { pane: "logpane.heading", size: pasted.size, limit: LOG_MAX, kept: pasted.kept }));
            }
            if let Some(text) = pasted.held {
                edit_anyway.set(false);
                held.set(Some(text.into()));
            }
        })
    };
    let control = if shows_held {
        let text = held.as_ref().cloned().unwrap_or_default();
        let clear = {
            let held = held.clone();
            Callback::from(move |()| held.set(None))
        };
        let edit = {
            let edit_anyway = edit_anyway.clone();
            Callback::from(move |()| edit_anyway.set(true))
        };
        html! { <HeldText id="pane-log" {text} label_id="pane-log-label" hint_id="pane-log-hint" {clear} {edit} /> }
    } else {
        html! {
            <textarea ref={node} id="pane-log" class="field mono" rows="6" spellcheck="false" autocomplete="off" wrap="off"
                aria-labelledby="pane-log-label" aria-describedby="pane-log-hint" {onpaste} />
        }
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
            <summary id="pane-log-label">{ t(lang, "logpane.heading") }</summary>
            <p class="hint" id="pane-log-hint">{ t(lang, "logpane.hint") }</p>
            { control }
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
            <p class="log-counts">{ tf(lang, "logpane.counts", &[("lines", &n(s.lines)), ("read", &n(s.read)), ("ignored", &n(s.ignored)), ("unread", &n(s.unread_total))]) }</p>
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
                if s.unread_total > s.unread.len() {
                    <p class="log-unread-more">{ tf(lang, "logpane.unread.more", &[("count", &n(s.unread_total - s.unread.len()))]) }</p>
                }
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

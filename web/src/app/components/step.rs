//! One step of the walk: number, outcome (icon and word), title, summary, the data the step
//! decided on, and the Postfix rule it applies (with the versions it holds for and a link to the
//! parameter in postconf(5)).

use super::ladder::Ladder;
use super::server::ServerDetail;
use super::{class_list, use_ctx, StepRef};
use crate::app::i18n::{t, tf, Lang};
use crate::app::shared::Shared;
use crate::app::text::{finger_equivalent, level_source, mark_class, mark_icon, mark_word, match_source, postconf_url, rule_text, rule_versions, step_summary, step_title};
use crate::view::{DetailView, MxView, RouteSourceView, StepView as Step};
use peername_engine::trace::Mark;
use peername_engine::version::Era;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct StepProps {
    /// The step (shared: an unchanged step keeps its identity from one report to the next).
    pub step: Shared<Step>,
    /// Its outcome under the previous Postfix version, when that differed.
    pub was: Option<Mark>,
    /// This step decided the verdict.
    pub deciding: bool,
}

/// A `key: value` row of a step's data.
fn row(label: &str, value: Html) -> Html {
    html! { <><dt>{ label.to_string() }</dt><dd>{ value }</dd></> }
}

fn yes_no(lang: Lang, on: bool) -> &'static str {
    if on {
        t(lang, "word.yes")
    } else {
        t(lang, "word.no")
    }
}

fn code(text: &str) -> Html {
    html! { <code>{ text.to_string() }</code> }
}

fn version_rule_key(era: Era) -> &'static str {
    match era {
        Era::Legacy => "rule.version.era.legacy",
        Era::OpenSslUntrustedBug => "rule.version.era.openssl-untrusted-bug",
        Era::OpenSsl => "rule.version.era.openssl",
    }
}

fn chips(items: &[String]) -> Html {
    html! { <ul class="chips" role="list">{ for items.iter().map(|m| html! { <li><code>{ m.clone() }</code></li> }) }</ul> }
}

/// The data of a step, by kind.
fn detail(lang: Lang, step: &Step, at: &StepRef) -> Html {
    match &step.detail {
        DetailView::Version(..) | DetailView::Outcome(_) => html! {},
        DetailView::Finger { matches, equivalent, .. } => html! {
            <>
                <dl class="facts">
                    { row(t(lang, "finger.matches"), chips(matches)) }
                    { row(t(lang, "finger.equivalent"), html! { { finger_equivalent(lang, equivalent) } }) }
                </dl>
                <ServerDetail at={at.clone()} />
            </>
        },
        DetailView::Route { recipient, nexthop, source, transport_lookups, non_smtp_transport } => {
            let source = match source {
                RouteSourceView::RecipientDomain => t(lang, "route.recipient-domain"),
                RouteSourceView::Transport(..) => t(lang, "route.transport"),
                RouteSourceView::Relayhost => t(lang, "route.relayhost"),
                RouteSourceView::Explicit => t(lang, "route.explicit"),
                RouteSourceView::DefaultTransport(_) => t(lang, "route.default-transport"),
            };
            html! {
                <dl class="facts">
                    { row(t(lang, "route.recipient"), code(recipient)) }
                    { row(t(lang, "route.nexthop"), code(nexthop)) }
                    { row(t(lang, "route.source"), html! { source }) }
                    if !transport_lookups.is_empty() {
                        { row(t(lang, "route.transport-keys"), html! {
                            <ol class="keys">{ for transport_lookups.iter().map(|(k, found)| html! {
                                <li class={if *found { "hit" } else { "miss" }}><code>{ k.clone() }</code>{ " " }
                                    { if *found { t(lang, "ladder.found") } else { t(lang, "ladder.not-found") } }</li>
                            }) }</ol>
                        }) }
                    }
                    if let Some(other) = non_smtp_transport { { row(t(lang, "route.non-smtp"), code(other)) } }
                </dl>
            }
        }
        DetailView::Destination(d) => html! {
            <dl class="facts">
                { row(t(lang, "destination.key"), code(&d.key)) }
                { row(t(lang, "destination.host"), code(&d.host)) }
                if let Some(port) = &d.port { { row(t(lang, "destination.port"), code(port)) } }
                { row(t(lang, "destination.mx-lookup"), html! { yes_no(lang, d.mx_lookup) }) }
            </dl>
        },
        DetailView::GlobalLevel(_, _, _, setting) => match setting {
            Some(value) => html! { <dl class="facts">{ row("smtp_tls_security_level", code(value)) }</dl> },
            None => html! {},
        },
        DetailView::PolicyLookup { .. } => html! { <Ladder at={at.clone()} /> },
        DetailView::PolicyEntry { key, line, value, level, attributes, warnings, .. } => html! {
            <>
                <dl class="facts">
                    { row(t(lang, "entry.line"), html! { <>{ tf(lang, "entry.line-n", &[("n", &line.to_string())]) }{ " " }<code>{ format!("{key} {value}") }</code></> }) }
                    if let Some(level) = level { { row(t(lang, "entry.level"), code(level.name())) } }
                    { for attributes.iter().map(|(name, value)| row(name, code(value))) }
                </dl>
                if !warnings.is_empty() {
                    <ul class="postfix-lines" role="list">{ for warnings.iter().map(|w| html! { <li><code>{ w.clone() }</code></li> }) }</ul>
                }
            </>
        },
        DetailView::Level(level, source, global) => html! {
            <dl class="facts">
                { row(t(lang, "level.level"), code(level.name())) }
                { row(t(lang, "level.source"), html! { level_source(lang, source) }) }
                if let Some(g) = global { { row(t(lang, "level.global"), code(g.name())) } }
            </dl>
        },
        DetailView::MatchList(matches, source) => html! {
            <dl class="facts">
                { row(t(lang, "match-list.elements"), chips(matches)) }
                { row(t(lang, "match-list.source"), html! { match_source(lang, source) }) }
            </dl>
        },
        DetailView::Dns(mx, hosts) => html! {
            <>
                if let Some(MxView::Records(records, _)) = mx {
                    <table class="mx-table">
                        <caption class="visually-hidden">{ t(lang, "dns.caption") }</caption>
                        <thead><tr><th scope="col">{ t(lang, "dns.preference") }</th><th scope="col">{ t(lang, "dns.host") }</th></tr></thead>
                        <tbody>{ for records.iter().map(|r| html! { <tr><td>{ r.pref }</td><td><code>{ r.host.clone() }</code></td></tr> }) }</tbody>
                    </table>
                }
                if hosts.iter().any(|h| h.2 == "?") { <p class="note">{ t(lang, "dns.no-addresses") }</p> }
            </>
        },
        DetailView::Server(server) => html! {
            <>
                <dl class="facts">
                    { row(t(lang, "server.address"), code(&server.address)) }
                    if let Some(pref) = server.pref { { row(t(lang, "dns.preference"), html! { pref }) } }
                    { row(t(lang, "level.level"), code(server.level.name())) }
                    if server.plaintext_retry { { row(t(lang, "server.retry"), html! { t(lang, "server.retry-plaintext") }) } }
                </dl>
                <ServerDetail at={at.clone()} />
            </>
        },
    }
}

/// A step.
#[function_component(StepView)]
pub fn step_view(props: &StepProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let step = &*props.step;
    let class = mark_class(step.mark);
    let rule = match &step.detail {
        DetailView::Version(_, era) => t(lang, version_rule_key(*era)).to_string(),
        _ => rule_text(lang, &step.rule),
    };
    let kind = kind_name(&step.detail);
    html! {
        <li id={format!("step-{}", step.number)} class={class_list(&["step", class, if props.was.is_some() { "changed" } else { "" }, if props.deciding { "deciding" } else { "" }])}
            data-kind={kind} data-mark={class}>
            <div class="step-head">
                <span class="step-number" aria-hidden="true">{ step.number }</span>
                <span class={class_list(&["mark", class])}>
                    <span class="mark-icon" aria-hidden="true">{ mark_icon(step.mark) }</span>
                    <span class="mark-word">{ mark_word(lang, step.mark) }</span>
                </span>
                <h3 class="step-title"><span class="visually-hidden">{ tf(lang, "walk.step-n", &[("n", &step.number.to_string())]) }</span>{ step_title(lang, step) }</h3>
                if props.deciding { <span class="badge badge-deciding">{ t(lang, "walk.deciding") }</span> }
            </div>
            <p class="step-summary">{ step_summary(lang, step) }</p>
            if let Some(was) = props.was {
                <p class="step-changed"><span aria-hidden="true">{ "↻ " }</span>{ tf(lang, "walk.was", &[("mark", mark_word(lang, was))]) }</p>
            }
            { detail(lang, step, &StepRef { step: props.step.clone() }) }
            <p class="rule">
                <span class="rule-label">{ t(lang, "walk.rule") }</span>{ " " }<span class="rule-versions">{ rule_versions(lang, &step.rule) }</span>{ ":" }
                { " " }{ rule }
                if let Some(p) = &step.rule.parameter {
                    { " " }<a class="postconf" href={postconf_url(p)} rel="noopener" target="_blank">{ tf(lang, "walk.postconf", &[("parameter", p)]) }</a>
                }
            </p>
        </li>
    }
}

/// The step kind as the engine names it (`policy_lookup`, `server`…), for tests and styles.
fn kind_name(detail: &DetailView) -> &'static str {
    match detail {
        DetailView::Version(..) => "version",
        DetailView::Route { .. } => "route",
        DetailView::Destination(_) => "destination",
        DetailView::GlobalLevel(..) => "global_level",
        DetailView::PolicyLookup { .. } => "policy_lookup",
        DetailView::PolicyEntry { .. } => "policy_entry",
        DetailView::Level(..) => "level",
        DetailView::MatchList(..) => "match_list",
        DetailView::Dns(..) => "dns",
        DetailView::Server(_) => "server",
        DetailView::Finger { .. } => "finger",
        DetailView::Outcome(_) => "outcome",
    }
}

//! The log lines Postfix would write, verbatim; lines the scenario's `smtp_tls_loglevel` would
//! not show are dimmed and say what they need.

use super::copy_button::CopyButton;
use super::{class_list, use_ctx};
use crate::app::i18n::{t, tf};
use crate::app::shared::Shared;
use peername_engine::logs::{shown_at, LogLevel, Verbosity};
use crate::view::ReportView;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct LogLinesProps {
    /// The report.
    pub report: Shared<ReportView>,
}

/// The log.
#[function_component(LogLines)]
pub fn log_lines(props: &LogLinesProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let target = use_node_ref();
    let r = &*props.report;
    if r.log.is_empty() {
        return html! {};
    }
    let loglevel = r.loglevel.clone();
    let all: String = r.log.iter().map(|l| l.render()).collect::<Vec<_>>().join("\n");
    let needs = |v: Verbosity| match v {
        Verbosity::Always => "",
        Verbosity::Summary => "smtp_tls_loglevel ≥ 1",
        Verbosity::Certmatch => "smtp_tls_loglevel ≥ 2",
        Verbosity::Verbose => "smtp -v",
    };
    let hidden = r.log.iter().filter(|l| !shown_at(&loglevel, l.verbosity)).count();
    html! {
        <section class="log" aria-labelledby="log-heading">
            <div class="section-head">
                <h2 id="log-heading">{ t(lang, "log.heading") }</h2>
                <CopyButton text={AttrValue::from(all)} target={target.clone()} label={AttrValue::from(t(lang, "log.copy"))} />
            </div>
            <p class="note">{ tf(lang, "log.loglevel", &[("loglevel", &loglevel)]) }
                if hidden > 0 { { " " }{ tf(lang, "log.dimmed", &[("n", &hidden.to_string())]) } }</p>
            <pre class="log-lines" ref={target} tabindex="0" aria-label={t(lang, "log.heading")}>
                { for r.log.iter().map(|l| {
                    let shown = shown_at(&loglevel, l.verbosity);
                    let level = match l.level {
                        LogLevel::Info => "info",
                        LogLevel::Warning => "warning",
                        LogLevel::Error => "error",
                        LogLevel::Fatal => "fatal",
                    };
                    html! {
                        <span class={class_list(&["log-line", level, if shown { "" } else { "dim" }])} data-shown={shown.to_string()}>
                            { l.render() }
                            if !shown { <span class="log-needs">{ "  ⟵ " }{ tf(lang, "log.needs", &[("setting", needs(l.verbosity))]) }</span> }
                            { "\n" }
                        </span>
                    }
                }) }
            </pre>
        </section>
    }
}

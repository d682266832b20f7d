//! The engine's findings about one input, under that input: `line:column`, the message, the
//! line with a caret under the exact span, and the hint.

use super::{class_list, use_ctx};
use crate::app::diagview::view;
use crate::app::i18n::{t, tf};
use crate::app::text::severity;
use peername_engine::diag::{Diagnostic, Severity};
use yew::prelude::*;

/// Findings listed per input before "and N more".
pub const SHOWN: usize = crate::view::DIAGNOSTICS_PER_SOURCE;

/// One finding and the line it points into (see `diagview::snippet_of`).
#[derive(Clone, Debug, PartialEq)]
pub struct DiagItem {
    /// The finding.
    pub diagnostic: Diagnostic,
    /// The line and caret line, when it points somewhere.
    pub snippet: Option<(String, String)>,
}

/// What a pane shows of its findings: the first [`SHOWN`] and how many more there are. Only
/// those are copied into props and compared on each render (a table can have 10,000 findings).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Findings {
    /// The findings shown.
    pub items: Vec<DiagItem>,
    /// How many more there are.
    pub more: usize,
}

/// Props.
#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    /// The findings.
    pub items: Findings,
}

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

fn class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "fail",
        Severity::Warning => "warn",
        Severity::Info => "info",
    }
}

/// The findings.
#[function_component(Diagnostics)]
pub fn diagnostics(props: &DiagnosticsProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    if props.items.items.is_empty() {
        return html! {};
    }
    let more = props.items.more;
    html! {
        <ul class="diagnostics" role="list">
            { for props.items.items.iter().map(|item| {
                let v = view(lang, &item.diagnostic, item.snippet.as_ref());
                let at = v.position.map(|(l, c)| tf(lang, "diag.position", &[("line", &l.to_string()), ("column", &c.to_string())]));
                html! {
                    <li class={class_list(&["diagnostic", class(v.severity)])} data-code={v.code.clone()}>
                        <p class="diagnostic-head">
                            <span class="mark-icon" aria-hidden="true">{ icon(v.severity) }</span>
                            <span class="mark-word">{ severity(lang, v.severity) }</span>
                            if let Some(at) = at { <span class="position">{ at }</span> }
                            <span class="diagnostic-message">{ v.message }</span>
                            <code class="code">{ v.code }</code>
                        </p>
                        if let (Some(line), Some(caret)) = (v.line, v.caret) {
                            <pre class="snippet" aria-hidden="true"><span class="snippet-line">{ line }</span>{ "\n" }<span class="caret">{ caret }</span></pre>
                        }
                        if let Some(hint) = v.hint { <p class="diagnostic-hint">{ t(lang, "diag.hint-prefix") }{ " " }{ hint }</p> }
                    </li>
                }
            }) }
            if more > 0 {
                <li class="diagnostic more">{ tf(lang, "diag.more", &[("n", &more.to_string())]) }</li>
            }
        </ul>
    }
}

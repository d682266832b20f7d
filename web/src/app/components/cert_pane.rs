//! One server's certificates: which server presents them (empty = every server), the PEM text,
//! and files (.pem, .crt, .cer, .der) chosen or dropped. Files are read by the engine worker,
//! which turns binary DER into PEM before it reaches the scenario and never reads a private key.

use super::certificates::CertificateList;
use super::diagnostics::{Diagnostics, Findings};
use super::text_pane::{set_value_of, value_of, DEBOUNCE_MS};
use super::{class_list, use_ctx};
use crate::app::hooks::{use_debounce, EngineHandle};
use crate::app::i18n::{t, tf};
use crate::app::shared::Shared;
use crate::app::state::{Action, Notice};
use crate::view::ReportView;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct CertPaneProps {
    /// The pane's stable key.
    pub pane: u64,
    /// Its position (certificate input N of the scenario).
    pub index: usize,
    /// Bumped when the state replaces the text.
    pub generation: u64,
    /// Whether it can be removed (there is another pane).
    pub removable: bool,
    /// The server it belongs to ("" = every server).
    pub host: String,
    /// The state's PEM text.
    pub pem: AttrValue,
    /// What the engine said about it.
    pub diagnostics: Findings,
    /// The latest report (for the certificates read).
    pub report: Option<Shared<ReportView>>,
}

/// Reads `files` in order and has the engine worker turn each into PEM for `pane`.
async fn read_files(files: web_sys::FileList, pane: u64, engine: EngineHandle, dispatch: UseReducerDispatcher<crate::app::state::AppState>) {
    dispatch.dispatch(Action::ReplaceCertPem(pane, String::new()));
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let name = file.name();
        match JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => engine.file(pane, name, js_sys::Uint8Array::new(&buffer).to_vec()),
            Err(e) => dispatch.dispatch(Action::Notify(Notice::File { name, detail: e.as_string().unwrap_or_else(|| "unreadable".into()) })),
        }
    }
}

/// A certificate pane.
#[function_component(CertPane)]
pub fn cert_pane(props: &CertPaneProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let node = use_node_ref();
    let dragging = use_state(|| false);
    {
        let node = node.clone();
        let pem = props.pem.clone();
        use_effect_with(props.generation, move |_| set_value_of(&node, &pem));
    }
    let send = {
        let node = node.clone();
        let dispatch = ctx.dispatch.clone();
        let pane = props.pane;
        Callback::from(move |()| {
            if let Some(text) = value_of(&node) {
                dispatch.dispatch(Action::SetCertPem(pane, text));
            }
        })
    };
    let oninput = use_debounce(DEBOUNCE_MS, send).reform(|_: InputEvent| ());
    let on_host = {
        let dispatch = ctx.dispatch.clone();
        let pane = props.pane;
        Callback::from(move |e: Event| dispatch.dispatch(Action::SetCertHost(pane, e.target_unchecked_into::<HtmlInputElement>().value().trim().to_string())))
    };
    let on_files = {
        let engine = ctx.engine.clone();
        let dispatch = ctx.dispatch.clone();
        let pane = props.pane;
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            if let Some(files) = input.files() {
                wasm_bindgen_futures::spawn_local(read_files(files, pane, engine.clone(), dispatch.clone()));
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let engine = ctx.engine.clone();
        let dispatch = ctx.dispatch.clone();
        let dragging = dragging.clone();
        let pane = props.pane;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                if files.length() > 0 {
                    wasm_bindgen_futures::spawn_local(read_files(files, pane, engine.clone(), dispatch.clone()));
                }
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let file_node = use_node_ref();
    let on_choose = {
        let file_node = file_node.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_node.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_remove = {
        let dispatch = ctx.dispatch.clone();
        let pane = props.pane;
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::RemoveCert(pane)))
    };
    let n = (props.index + 1).to_string();
    let id = format!("pane-cert-{}", props.pane);
    let host_id = format!("{id}-host");
    let file_id = format!("{id}-file");
    // What the engine read from this pane (matched by input number, never by re-folding the host
    // name here: Unicode case folding would add its tables to the page's download).
    let read: Vec<_> = props.report.as_ref().map(|r| r.certificates.iter().filter(|c| c.input == props.index).cloned().collect()).unwrap_or_default();
    html! {
        <div class={class_list(&["pane", "cert-pane", if *dragging { "dragging" } else { "" }])} data-pane="certificate"
            ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop}>
            <div class="pane-head">
                <label for={id.clone()} class="pane-label">{ tf(lang, "pane.certificates.n", &[("n", &n)]) }</label>
                if props.removable {
                    <button type="button" class="button button-quiet button-small" onclick={on_remove}
                        aria-label={tf(lang, "pane.certificates.remove", &[("n", &n)])}>{ "×" }</button>
                }
            </div>
            <div class="inline">
                <label for={host_id.clone()} class="small-label">{ t(lang, "pane.certificates.host") }</label>
                <input id={host_id} type="text" class="field mono short" value={props.host.clone()} onchange={on_host}
                    placeholder={t(lang, "pane.certificates.every-server")} spellcheck="false" autocomplete="off" />
            </div>
            <textarea ref={node} id={id} class="field mono" rows="5" {oninput} spellcheck="false" autocomplete="off" wrap="off"
                placeholder="-----BEGIN CERTIFICATE-----" />
            <div class="inline file-row">
                <button type="button" class="button button-quiet button-small" onclick={on_choose}>{ t(lang, "pane.certificates.choose") }</button>
                <input ref={file_node} id={file_id} hidden=true type="file" accept=".pem,.crt,.cer,.der,.txt" multiple=true onchange={on_files} />
                <span class="hint">{ t(lang, "pane.certificates.drop") }</span>
            </div>
            <Diagnostics items={props.diagnostics.clone()} />
            <CertificateList certificates={read} />
        </div>
    }
}

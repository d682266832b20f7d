//! The document around the app: `<html lang>` follows the page's language (screen readers and
//! fonts use it), and each new report's render time is recorded with the Performance API.

use crate::app::i18n::Lang;
use super::EngineHandle;
use crate::app::js;
use yew::prelude::*;

/// Keeps `<html lang>` equal to the language the page shows (English while the chosen
/// language's words are still on their way).
#[hook]
pub fn use_document_lang(lang: Lang) {
    let shown = if lang.is_ready() { lang } else { Lang::En };
    use_effect_with(shown, |shown| {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", shown.code());
        }
    });
}

/// Records, each time the report changes, `pn:render` (from the worker's message arriving,
/// before it is read, to after the DOM shows the new report) and, once the newest input is
/// shown, `pn:update` (from the first keystroke or paste not yet shown to now: reading the
/// pane, evaluating in the worker and re-rendering). The browser tests and the bench read them.
#[hook]
pub fn use_render_timing(report_revision: Option<u64>, engine: &EngineHandle) {
    let engine = engine.clone();
    use_effect_with(report_revision, move |revision| {
        if revision.is_some() {
            js::measure("pn:render", engine.received_at());
            if engine.idle() {
                if let Some(input_at) = js::take_input_time() {
                    js::measure("pn:update", input_at);
                }
            }
        }
    });
}

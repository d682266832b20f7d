//! Permalinks: the scenario as compressed JSON in the URL fragment (`#s=…`), which browsers
//! never send to a server. Framing, limits and the no-private-key rule are the engine's
//! (`peername_engine::permalink`, tested natively); the worker writes and reads the JSON; this is
//! the browser half: compression, the address bar and the clipboard.

use super::EngineHandle;
use crate::app::i18n::Lang;
use crate::app::js;
use crate::app::state::{Action, AppState, Notice};
use crate::inputs::Inputs;
use peername_engine::permalink::{self, Fragment, PermalinkError};
use yew::prelude::*;

fn notice(e: &PermalinkError) -> Notice {
    Notice::Permalink { code: e.code().to_string(), message: e.message() }
}

/// Puts the scenario in the address bar and on the clipboard (or selects `fallback` for copying
/// by hand), and says so.
pub fn copy_link(engine: &EngineHandle, inputs: &Inputs, lang: Lang, dispatch: UseReducerDispatcher<AppState>, fallback: Option<web_sys::Element>) {
    let then = Box::new(move |answer: Result<(String, bool), (String, String)>| {
        let (json, stripped) = match answer {
            Ok(ok) => ok,
            Err((code, message)) => return dispatch.dispatch(Action::Notify(Notice::Permalink { code, message })),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let framed = match crate::compress::deflate_raw(json.as_bytes()).await {
                Ok(compressed) => permalink::frame(&compressed),
                Err(_) => Err(PermalinkError::BadCompression),
            };
            let value = match framed {
                Ok(value) => value,
                Err(e) => return dispatch.dispatch(Action::Notify(notice(&e))),
            };
            let lang = (lang != Lang::En).then(|| lang.code().to_string());
            let fragment = permalink::write_fragment(&Fragment { embed: false, lang, scenario: Some(value) });
            js::replace_fragment(&fragment);
            let link = format!("{}#{fragment}", js::page_url());
            if stripped {
                dispatch.dispatch(Action::Notify(Notice::LinkWithoutKeys));
            }
            let copied = js::copy_text(&link).await;
            if !copied {
                if let Some(element) = fallback {
                    element.set_text_content(Some(&link));
                    js::select_contents(&element);
                }
            }
            dispatch.dispatch(Action::Notify(Notice::LinkCopied { clipboard: copied }));
        });
    });
    engine.link_json(inputs, then);
}

/// Loads the scenario of a fragment's `s=` value, if it has one: the worker decompresses and
/// checks it (a bad link comes back as a `permalink.*` notice), so the page's main thread,
/// busy with its first render, does not delay it.
pub fn read_fragment_on_load(fragment: Fragment, engine: &EngineHandle) {
    if let Some(value) = fragment.scenario {
        engine.read_link(value);
    }
}

//! The page's words in the reader's language. English is compiled into the page; Japanese and
//! Chinese are static files beside it (`ja.txt`, `zh.txt`, copied from `i18n/catalogue/` by
//! Trunk), fetched the first time the language is chosen, so a reader of one language never
//! downloads the others. Until the file arrives (or if it cannot be read) the page shows English.

use crate::app::i18n::{install, Lang};
use crate::app::js;
use crate::app::state::{Action, AppState, Notice};
use yew::prelude::*;

/// Fetches and installs `lang`'s catalogue when it is not available yet, then re-renders.
#[hook]
pub fn use_words(lang: Lang, dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with(lang, move |lang| {
        let lang = *lang;
        if !lang.is_ready() {
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match js::fetch_text(lang.file_name()).await {
                    Ok(text) => install(lang, text).map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                match outcome {
                    Ok(()) => dispatch.dispatch(Action::WordsInstalled(lang)),
                    Err(detail) => dispatch.dispatch(Action::Notify(Notice::Words { language: lang.native_name().to_string(), detail })),
                }
            });
        }
    });
}

//! The page: header, inputs on one side, the walk on the other (stacked on narrow screens).

use super::changes_banner::ChangesBanner;
use super::deferred::Deferred;
use super::fixes::Fixes;
use super::gallery::Gallery;
use super::header::Header;
use super::inputs::Inputs;
use super::log_lines::LogLines;
use super::notices::Notices;
use super::verdict::VerdictBanner;
use super::walk::Walk;
use super::{class_list, Ctx};
use crate::app::hooks::{read_fragment_on_load, use_document_lang, use_engine, use_explain_on_change, use_lingering, use_render_timing, use_words};
use crate::app::i18n::{t, Lang};
use crate::app::js;
use crate::app::state::{AppState, Notice, StateHandle};
use gloo::events::EventListener;
use peername_engine::permalink::parse_fragment;
use yew::prelude::*;

/// How long an answer may take before the verdict is shown as out of date.
const STALE_SHOWN_AFTER_MS: u32 = 250;

fn initial_state() -> AppState {
    let fragment = parse_fragment(&js::fragment());
    let preferred = js::preferred_languages();
    let lang = fragment.lang.as_deref().and_then(Lang::from_code).unwrap_or_else(|| Lang::from_preferences(preferred.iter().map(String::as_str)));
    AppState::new(lang, fragment.embed, js::now_rfc3339())
}

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let engine = use_engine(state.dispatcher());
    use_explain_on_change(&state, &engine);
    use_words(state.lang, state.dispatcher());
    use_document_lang(state.lang);
    use_render_timing(state.report.as_ref().map(|(rev, _)| *rev), &engine);

    {
        // A permalink in the address bar: load it now, and again when the fragment changes.
        let engine = engine.clone();
        use_effect_with((), move |()| {
            let load = move || read_fragment_on_load(parse_fragment(&js::fragment()), &engine);
            load();
            let listener = web_sys::window().map(|w| EventListener::new(&w, "hashchange", move |_| load()));
            move || drop(listener)
        });
    }

    let ctx = Ctx { lang: state.lang, words_ready: state.lang.is_ready(), dispatch: state.dispatcher(), engine: engine.clone() };
    let lang = state.lang;
    let warm_up = {
        let engine = engine.clone();
        Callback::from(move |_: Event| engine.start())
    };
    let report = state.report.as_ref().map(|(_, r)| r.clone());
    // The truth (for tests and scripts: `.verdict[data-current]`) and what is shown: dimmed and
    // "updating…" only when the answer takes longer than STALE_SHOWN_AFTER_MS.
    let pending = state.pending();
    let stale = use_lingering(pending, STALE_SHOWN_AFTER_MS);
    // Opened with a permalink, until its first report is shown (or the link turns out unreadable,
    // or the reader starts over): "working it out" until its inputs come, instead of rendering
    // and laying out the gallery only to replace it; and the verdict first: the inputs column
    // (most of the page's elements: a first render and layout of about 100 ms on the bench
    // machine) is not rendered, so the main thread is free when the worker's answer comes; it
    // follows one painted frame after the verdict (PERFORMANCE.md). Once over, this stays over:
    // a later example or edit renders as on any page.
    let opened_with_link = *use_memo((), |()| parse_fragment(&js::fragment()).scenario.is_some());
    let link_phase = use_mut_ref(|| opened_with_link);
    let link_failed = state.notices.iter().any(|n| matches!(n, Notice::Permalink { .. }));
    // Revision 0: nothing loaded or edited yet (the link's inputs are the first change).
    let link_unanswered = state.report.is_none() && !link_failed && (state.revision == 0 || state.pending());
    if *link_phase.borrow() && !link_unanswered {
        *link_phase.borrow_mut() = false;
    }
    let link_first = *link_phase.borrow();
    let awaiting_link = link_first && state.revision == 0;
    let walk = if awaiting_link {
        html! { <p class="working" role="status">{ t(lang, "walk.working") }</p> }
    } else if state.is_empty() {
        html! { <Gallery /> }
    } else {
        match &report {
            Some(report) => html! {
                <>
                    <VerdictBanner report={report.clone()} stale={stale} current={!pending} engine_ms={state.engine_ms} />
                    <ChangesBanner changes={state.changes.clone()} />
                    <Deferred>
                        <Walk report={report.clone()} changes={state.changes.clone()} />
                        <LogLines report={report.clone()} />
                        <Fixes report={report.clone()} stale={stale} />
                    </Deferred>
                </>
            },
            None => html! { <p class="working" role="status">{ t(lang, "walk.working") }</p> },
        }
    };
    let page_class = class_list(&["page", if state.embed { "embed" } else { "" }]);
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <div class={page_class} onfocusin={warm_up.reform(|e: FocusEvent| e.into())} onpointerover={warm_up.reform(|e: PointerEvent| e.into())}>
                <a class="skip-link" href="#walk">{ t(lang, "app.skip-to-walk") }</a>
                <Header state={StateHandle::new(state.clone())} />
                <Notices notices={state.notices.clone()} />
                <main id="app" class="layout">
                    if !state.embed {
                        if link_first {
                            // The column's place, so the verdict does not move when it comes.
                            <section class="inputs-column" aria-labelledby="inputs-heading" aria-busy="true">
                                <h2 id="inputs-heading">{ t(lang, "inputs.heading") }</h2>
                            </section>
                        } else if opened_with_link {
                            <Deferred><Inputs state={StateHandle::new(state.clone())} /></Deferred>
                        } else {
                            <Inputs state={StateHandle::new(state.clone())} />
                        }
                    }
                    <section id="walk" class="walk-column" aria-labelledby="walk-heading" aria-busy={stale.to_string()}>
                        <h2 id="walk-heading" class="visually-hidden">{ t(lang, "walk.heading") }</h2>
                        { walk }
                    </section>
                </main>
                if !state.embed {
                    <footer class="footer">
                        <p>{ t(lang, "footer.privacy") }</p>
                        <p>{ t(lang, "footer.truth") }</p>
                    </footer>
                }
            </div>
        </ContextProvider<Ctx>>
    }
}

//! Browser APIs the page needs that web-sys only offers behind `--cfg=web_sys_unstable_apis`
//! (the async clipboard), declared here directly so the build needs no global RUSTFLAGS, plus
//! small helpers around `window`. Compression streams are in `crate::compress`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `navigator.clipboard.writeText(text)`.
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn clipboard_write_text(text: &str) -> Result<js_sys::Promise, JsValue>;

    /// `performance.now()`.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    /// `performance.measure(name, {start, end})`.
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(name: &str, options: &JsValue) -> Result<JsValue, JsValue>;

    /// `navigator.languages`.
    #[wasm_bindgen(js_namespace = navigator, js_name = languages, thread_local_v2)]
    static LANGUAGES: JsValue;
}

/// The text of a file beside the page (`url` relative to it), or the browser's reason.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let reason = |e: JsValue| e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| "fetch failed".into());
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.map_err(reason)?.unchecked_into();
    if !response.ok() {
        return Err(format!("HTTP {} for {url}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(reason)?).await.map_err(reason)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

/// Writes `text` to the clipboard; `false` when the browser refused.
pub async fn copy_text(text: &str) -> bool {
    match clipboard_write_text(text) {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// Selects the contents of `element` so the user can copy it by hand.
pub fn select_contents(element: &web_sys::Element) {
    let Some(window) = web_sys::window() else { return };
    let (Some(document), Ok(Some(selection))) = (window.document(), window.get_selection()) else { return };
    if let Ok(range) = document.create_range() {
        if range.select_node_contents(element).is_ok() {
            let _ = selection.remove_all_ranges();
            let _ = selection.add_range(&range);
        }
    }
}

/// The browser's preferred languages, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    LANGUAGES.with(|langs| js_sys::Array::from(langs).iter().filter_map(|v| v.as_string()).collect())
}

/// The current time as RFC 3339 UTC, to the second (the engine never reads the clock).
pub fn now_rfc3339() -> String {
    let iso = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    // 2026-11-23T04:07:48.123Z → 2026-11-23T04:07:48Z
    match iso.split_once('.') {
        Some((head, _)) => format!("{head}Z"),
        None => iso,
    }
}

/// The page's fragment without `#`.
pub fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default().trim_start_matches('#').to_string()
}

/// Replaces the fragment without adding a history entry or reloading.
pub fn replace_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else { return };
    let url = if fragment.is_empty() { window.location().pathname().unwrap_or_default() + &window.location().search().unwrap_or_default() } else { format!("#{fragment}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The page's address without its fragment.
pub fn page_url() -> String {
    let Some(window) = web_sys::window() else { return String::new() };
    let href = window.location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// `performance.now()`.
pub fn now_ms() -> f64 {
    performance_now()
}

/// Records a Performance API measure named `name` from `start` (a [`now_ms`] value) to now.
pub fn measure(name: &str, start: f64) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &performance_now().into());
    let _ = performance_measure(name, &options);
}

thread_local! {
    /// When the oldest input not yet shown in a report happened (`performance.now()`).
    static PENDING_INPUT_AT: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Notes that the person just typed or pasted (the first such moment since the last report is
/// kept: `pn:update` measures from it).
pub fn note_input() {
    PENDING_INPUT_AT.with(|at| {
        if at.get().is_none() {
            at.set(Some(performance_now()));
        }
    });
}

/// The moment noted by [`note_input`], if any (kept).
pub fn input_time() -> Option<f64> {
    PENDING_INPUT_AT.with(std::cell::Cell::get)
}

/// The moment noted by [`note_input`], cleared.
pub fn take_input_time() -> Option<f64> {
    PENDING_INPUT_AT.with(std::cell::Cell::take)
}

/// The worker web/early-worker.js started for a permalink, the messages it sent before the page
/// listened, and the fragment it was started with (it reads that link itself); taken once (the
/// global is removed).
pub fn take_early_worker() -> Option<(web_sys::Worker, Vec<JsValue>, String)> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("__peernameEarlyWorker");
    let started = js_sys::Reflect::get(&window, &key).ok().filter(|v| v.is_object())?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let worker: web_sys::Worker = js_sys::Reflect::get(&started, &"worker".into()).ok()?.dyn_into().ok()?;
    let early: js_sys::Array = js_sys::Reflect::get(&started, &"early".into()).ok()?.dyn_into().ok()?;
    let link = js_sys::Reflect::get(&started, &"link".into()).ok()?.as_string()?;
    Some((worker, early.iter().collect(), link.trim_start_matches('#').to_string()))
}

/// Runs `then` once the browser has painted the next frame (an animation frame, then a task),
/// or at once when there is no window.
pub fn after_next_paint(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else { return then() };
    let frame = Closure::once_into_js(move || {
        // The animation frame runs before the paint; a task queued from it runs after.
        gloo::timers::callback::Timeout::new(0, then).forget();
    });
    if window.request_animation_frame(frame.unchecked_ref()).is_err() {
        web_sys::console::warn_1(&"requestAnimationFrame failed".into());
    }
}

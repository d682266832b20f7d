//! Browser APIs the page needs that web-sys only offers behind `--cfg=web_sys_unstable_apis`
//! (compression streams, the async clipboard), declared here directly so the build needs no
//! global RUSTFLAGS, plus small helpers around `window`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `CompressionStream` (a `{readable, writable}` pair).
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;

    /// `DecompressionStream`.
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    /// A `ReadableStream`, for `pipeThrough` (web-sys has it only as an unstable API).
    #[wasm_bindgen(js_name = ReadableStream)]
    type Piped;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &Piped, pair: &JsValue) -> web_sys::ReadableStream;

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

fn blob_of(bytes: &[u8]) -> Result<web_sys::Blob, JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts)
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

/// Compresses `bytes` with raw DEFLATE.
pub async fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let pair = CompressionStream::new("deflate-raw")?;
    let stream = blob_of(bytes)?.stream().unchecked_into::<Piped>().pipe_through(&pair);
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&stream))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Decompresses raw DEFLATE, giving up (`Ok(None)`) once more than `limit` bytes come out.
pub async fn inflate_raw(bytes: &[u8], limit: usize) -> Result<Option<Vec<u8>>, JsValue> {
    let pair = DecompressionStream::new("deflate-raw")?;
    let stream = blob_of(bytes)?.stream().unchecked_into::<Piped>().pipe_through(&pair);
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())?.as_bool().unwrap_or(true);
        if done {
            return Ok(Some(out));
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())?.unchecked_into();
        if out.len() + value.length() as usize > limit {
            let _ = reader.cancel();
            return Ok(None);
        }
        out.extend(value.to_vec());
    }
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

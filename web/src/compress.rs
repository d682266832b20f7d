//! Raw DEFLATE through the browser's own `CompressionStream` and `DecompressionStream` (web-sys
//! offers them only behind `--cfg=web_sys_unstable_apis`, so they are declared here). The page
//! compresses a permalink; the engine worker decompresses one, off the page's main thread.

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
}

fn blob_of(bytes: &[u8]) -> Result<web_sys::Blob, JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts)
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

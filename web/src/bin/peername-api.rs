//! `peername-api`: the engine as a WebAssembly module.
//!
//! - In the page it runs in a Web Worker (Trunk's `peername-api_loader.js`): `main` sees a
//!   worker scope, answers `protocol::Request`s and says `Ready`.
//! - On a documentation site it is the JS API: `import init, { explain, examples } from
//!   "./peername-api.js"; await init(); explain(scenario)` (see README, "The JS API"); `main`
//!   sees a window and does nothing.

#[cfg(target_arch = "wasm32")]
mod api {
    use peername_engine::cert::pem::parse_certificates;
    use peername_engine::diag::{Severity, Source};
    use peername_engine::permalink::{self, encode_base64, Alphabet, Payload, PermalinkError};
    use peername_engine::scenario::Scenario;
    use peername_web::examples;
    use peername_engine::limits::{cut_text, Cut, LOG_MAX};
    use peername_engine::logread::{mask_with, MaskOptions};
    use peername_web::inputs::Inputs;
    use peername_web::logview::LogSummary;
    use peername_web::protocol::{Loaded, Request, Response};
    use peername_web::wire::{decode, encode};
    use peername_web::view::ReportView;
    use serde::Serialize;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// What the worker keeps between explanations (`peername_engine::memo`).
        static MEMO: std::cell::RefCell<peername_engine::memo::Memo> = std::cell::RefCell::new(peername_engine::memo::Memo::new());
        /// The permalink this worker was started for (web/early-worker.js), explained before the
        /// page asked: its inputs and report, given once to the page's first `Explain` of them.
        static PRELOADED: std::cell::RefCell<Option<(Inputs, ReportView, f64)>> = const { std::cell::RefCell::new(None) };
    }

    fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
        value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| js_sys::TypeError::new(&e.to_string()).into())
    }

    /// Explains a scenario (a plain object with `Scenario`'s fields; missing ones take their
    /// defaults) and returns the report as a plain object.
    #[wasm_bindgen]
    pub fn explain(scenario: JsValue) -> Result<JsValue, JsValue> {
        let scenario: Scenario = serde_wasm_bindgen::from_value(scenario).map_err(|e| js_sys::TypeError::new(&format!("not a peername scenario: {e}")))?;
        to_js(&peername_engine::explain(&scenario))
    }

    /// The gallery's examples: `[{ name, scenario }]`.
    #[wasm_bindgen]
    pub fn examples() -> Result<JsValue, JsValue> {
        let list = js_sys::Array::new();
        for name in examples::IDS {
            let scenario = example(name).ok_or_else(|| js_sys::Error::new(&format!("example {name} is unreadable")))?;
            let item = js_sys::Object::new();
            js_sys::Reflect::set(&item, &"name".into(), &name.into())?;
            js_sys::Reflect::set(&item, &"scenario".into(), &to_js(&scenario)?)?;
            list.push(&item);
        }
        Ok(list.into())
    }

    /// The Postfix version a scenario gets when it names none.
    #[wasm_bindgen(js_name = defaultVersion)]
    pub fn default_version() -> String {
        peername_engine::version::DEFAULT_VERSION.to_string()
    }

    /// The example the worker explains once at start (see `warm_up`): one that walks the name
    /// checks, the chain and the fix search.
    const WARM_UP_EXAMPLE: &str = "wildcard-depth";

    fn example(name: &str) -> Option<Scenario> {
        serde_json::from_str(examples::json(name)?).ok()
    }

    /// PEM text of the certificates in `bytes` (PEM, DER or base64), read by the engine's parser
    /// (which never decodes a private key).
    fn to_pem(id: u32, bytes: &[u8]) -> Response {
        let parsed = parse_certificates(bytes, Source::Certificates(0));
        let mut pem = String::new();
        for cert in &parsed.certificates {
            pem.push_str("-----BEGIN CERTIFICATE-----\n");
            let body = encode_base64(&cert.der, Alphabet::Standard);
            for line in body.as_bytes().chunks(64) {
                pem.push_str(std::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END CERTIFICATE-----\n");
        }
        let problem = if parsed.certificates.is_empty() { parsed.diagnostics.iter().find(|d| d.severity == Severity::Error).map(|d| d.message.clone()) } else { None };
        Response::Pem { id, pem, private_key_refused: parsed.private_key_refused, problem }
    }

    /// Reads a pasted log (cut at `LOG_MAX`, as every reader of logs does): the scenario it
    /// tells, completed from the page's panes where the log cannot tell (policy table, main.cf,
    /// transport table, certificates, CA trust, TLSA), and the cross-check when that scenario
    /// has a policy table to explain with.
    fn read_log(id: u32, text: &str, current: &Scenario) -> Response {
        let (text, _) = cut_text(text, LOG_MAX, Cut::Lines, "log", "The log", Source::Log);
        let reading = peername_engine::logread::read_log(text);
        let mut s = reading.scenario();
        let empty = |t: &str| t.trim().is_empty();
        if empty(&s.policy_table) {
            s.policy_table = current.policy_table.clone();
        }
        if empty(&s.main_cf) {
            s.main_cf = current.main_cf.clone();
        }
        if empty(&s.transport_table) {
            s.transport_table = current.transport_table.clone();
        }
        if s.certificates.iter().all(|c| empty(&c.pem)) {
            s.certificates = current.certificates.clone();
        }
        if empty(&s.tlsa) {
            s.tlsa = current.tlsa.clone();
        }
        s.ca_trust = current.ca_trust;
        s.ca_bundle = current.ca_bundle.clone();
        let check = (!empty(&s.policy_table) && !empty(&s.destination)).then(|| reading.cross_check(&peername_engine::explain(&s)));
        Response::LogRead { id, summary: Box::new(LogSummary::of(&reading, check.as_ref())), inputs: Box::new(Inputs::from_scenario(&s)) }
    }

    fn failed(id: u32, e: &PermalinkError) -> Response {
        Response::Failed { id, code: e.code().to_string(), message: e.message() }
    }

    /// An answer now, or one that needs the browser first (decompressing a permalink).
    enum Answer {
        Now(Response),
        Later(std::pin::Pin<Box<dyn std::future::Future<Output = Response>>>),
    }

    fn answer(request: Request) -> Answer {
        Answer::Now(match request {
            Request::Explain { id, inputs } => {
                // Given to the first Explain only, and only when its inputs are the link's: a page
                // that changed something first gets a fresh explanation (and the copy is freed).
                let preloaded = PRELOADED.with(|p| p.borrow_mut().take()).filter(|(i, _, _)| *i == *inputs);
                if let Some((_, view, ms)) = preloaded {
                    return Answer::Now(Response::Report { id, report: Box::new(view), ms });
                }
                let start = js_sys::Date::now();
                // One explanation per keystroke: the memo keeps the policy table read while
                // another pane is edited.
                let report = MEMO.with(|memo| peername_engine::explain::explain_with_memo(&inputs.to_scenario(), &mut memo.borrow_mut()));
                let view = ReportView::of(&report);
                Response::Report { id, report: Box::new(view), ms: js_sys::Date::now() - start }
            }
            Request::Example { id, name } => match example(&name) {
                Some(s) => Response::Inputs { id, from: Loaded::Example(name), inputs: Box::new(Inputs::from_scenario(&s)), stripped_private_keys: false },
                None => Response::Failed { id, code: "example.unknown".into(), message: format!("no example named {name}") },
            },
            Request::Der { id, bytes } => to_pem(id, &bytes),
            Request::MakeLink { id, inputs } => {
                let prepared = permalink::prepare(&inputs.to_scenario());
                match serde_json::to_string(&prepared.payload) {
                    Ok(json) => Response::LinkJson { id, json, stripped_private_keys: prepared.stripped_private_keys },
                    Err(e) => failed(id, &PermalinkError::Malformed { detail: e.to_string() }),
                }
            }
            Request::ReadLog { id, text, inputs } => read_log(id, &text, &inputs.to_scenario()),
            Request::MaskLog { id, text } => Response::MaskedLog { id, text: mask_with(&text, MaskOptions { ip_addresses: true }) },
            Request::ReadLink { id, value } => return Answer::Later(Box::pin(read_link(id, value))),
        })
    }

    /// A permalink's `s=` value: unframed and size-checked by the engine, decompressed by the
    /// browser (at most `MAX_JSON_BYTES`), then read as a scenario without private keys.
    async fn read_link(id: u32, value: String) -> Response {
        let compressed = match permalink::unframe(&value) {
            Ok(compressed) => compressed,
            Err(e) => return failed(id, &e),
        };
        let json = match peername_web::compress::inflate_raw(&compressed, permalink::MAX_JSON_BYTES).await {
            Ok(Some(bytes)) => String::from_utf8(bytes).map_err(|_| PermalinkError::BadCompression),
            _ => Err(PermalinkError::BadCompression),
        };
        let read = json.and_then(|json| serde_json::from_str::<Payload>(&json).map_err(|e| PermalinkError::Malformed { detail: e.to_string() })).and_then(permalink::accept);
        match read {
            Ok(p) => Response::Inputs { id, from: Loaded::Permalink, inputs: Box::new(Inputs::from_scenario(&p.payload.scenario)), stripped_private_keys: p.stripped_private_keys },
            Err(e) => failed(id, &e),
        }
    }

    fn reply(scope: &web_sys::DedicatedWorkerGlobalScope, response: &Response) {
        let array = js_sys::Uint8Array::from(encode(response).as_slice());
        let transfer = js_sys::Array::of1(&array.buffer());
        let _ = scope.post_message_with_transfer(&array, &transfer);
    }

    /// In a worker: answer the page's requests.
    pub fn serve() {
        let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else { return };
        let reply_to = scope.clone();
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&e.data()).to_vec();
            match decode::<Request>(&bytes).map(answer) {
                Some(Answer::Now(response)) => reply(&reply_to, &response),
                Some(Answer::Later(response)) => {
                    let reply_to = reply_to.clone();
                    wasm_bindgen_futures::spawn_local(async move { reply(&reply_to, &response.await) });
                }
                None => reply(&reply_to, &Response::Failed { id: 0, code: "protocol.unreadable".into(), message: "unreadable request".into() }),
            }
        });
        scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        reply(&scope, &Response::Ready);
        match started_for_permalink() {
            Some(value) => wasm_bindgen_futures::spawn_local(preload(scope, value)),
            None => warm_up(),
        }
    }

    /// The `s=` value of the permalink the page was opened with, when web/early-worker.js
    /// started this worker with the page's fragment in its own URL.
    fn started_for_permalink() -> Option<String> {
        let location = js_sys::Reflect::get(&js_sys::global(), &"location".into()).ok()?;
        let hash = js_sys::Reflect::get(&location, &"hash".into()).ok()?.as_string()?;
        permalink::parse_fragment(hash.trim_start_matches('#')).scenario
    }

    /// Reads the permalink while the page is still loading and sends its inputs unasked (the
    /// page does not ask: it adopted this worker), then explains them; the report waits for the
    /// page's `Explain` of the same inputs. This is also the worker's warm-up.
    async fn preload(scope: web_sys::DedicatedWorkerGlobalScope, value: String) {
        let response = read_link(0, value).await;
        // The inputs first: the page shows them while the engine explains.
        reply(&scope, &response);
        if let Response::Inputs { inputs, .. } = &response {
            let start = js_sys::Date::now();
            let report = MEMO.with(|memo| peername_engine::explain::explain_with_memo(&inputs.to_scenario(), &mut memo.borrow_mut()));
            let view = ReportView::of(&report);
            let ms = js_sys::Date::now() - start;
            PRELOADED.with(|p| *p.borrow_mut() = Some(((**inputs).clone(), view, ms)));
        }
    }

    /// Explains one gallery example once, right after start: V8 compiles WebAssembly functions
    /// when they are first called, and the first explanation took about 70 ms instead of 3 ms.
    /// Requests that arrive meanwhile wait in the worker's queue; the page is usually still
    /// loading its own module then (a permalink starts the worker first, web/early-worker.js).
    /// No memo: the real requests get nothing from this but compiled code.
    fn warm_up() {
        if let Some(scenario) = example(WARM_UP_EXAMPLE) {
            let report = peername_engine::explain(&scenario);
            let _ = encode(&Response::Report { id: 0, report: Box::new(ReportView::of(&report)), ms: 0.0 });
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    api::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("peername-api is the engine as a WebAssembly module (Web Worker and JS API): build it with `trunk build --release` in web/.");
}

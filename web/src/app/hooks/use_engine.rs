//! The engine runs in a Web Worker (`peername-api`), never on the page's main thread: a
//! 10,000-line policy table or a huge CA bundle cannot freeze the tab, and the page's own
//! WebAssembly stays small. The worker starts on first need (a permalink, an example, the first
//! pointer or focus on the page).
//!
//! Messages are bytes (`crate::wire`) in a transferred `Uint8Array`. At most one
//! explanation is in flight; while it runs only the newest inputs wait (older ones are dropped),
//! so fast typing never builds a backlog.

use crate::app::js;
use crate::app::state::{Action, AppState, Notice, Origin};
use crate::inputs::Inputs;
use crate::logview::LogSummary;
use crate::protocol::{Loaded, Request, Response};
use crate::wire::{decode, encode};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The worker script Trunk writes next to index.html (`data-loader-shim`).
const WORKER_URL: &str = "./peername-api_loader.js";

/// What to do with the JSON a `MakeLink` request returns: `(json, stripped_private_keys)`.
type LinkCallback = Box<dyn FnOnce(Result<(String, bool), (String, String)>)>;

/// What to do with the answer to a log request (`ReadLog`, `MaskLog`).
type ReplyCallback = Box<dyn FnOnce(Response)>;

#[derive(Default)]
struct Engine {
    worker: Option<web_sys::Worker>,
    ready: bool,
    /// Requests made before the worker said it was ready.
    queue: Vec<Vec<u8>>,
    /// The revision being explained.
    in_flight: Option<u32>,
    /// The newest inputs waiting for the worker.
    waiting: Option<(u32, Box<Inputs>)>,
    /// Certificate files: (request id, pane, file name).
    files: Vec<(u32, u64, String)>,
    /// Link requests: (request id, what to do with the JSON).
    links: Vec<(u32, LinkCallback)>,
    /// Log requests: (request id, what to do with the answer).
    replies: Vec<(u32, ReplyCallback)>,
    next_id: u32,
    /// When the last report arrived (`performance.now()`), for the render measure.
    received_at: f64,
    /// The fragment whose permalink the worker reads by itself (web/early-worker.js started it
    /// with that fragment): the page does not ask for it again.
    link_read_by_worker: Option<String>,
    /// The message handler (kept alive as long as the worker).
    _onmessage: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

/// Talks to the engine worker. Cloning shares the one worker.
#[derive(Clone)]
pub struct EngineHandle {
    engine: Rc<RefCell<Engine>>,
    dispatch: UseReducerDispatcher<AppState>,
}

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.engine, &other.engine)
    }
}

/// Removes and returns the first pending entry `is` accepts.
fn take<T>(pending: &mut Vec<T>, is: impl Fn(&T) -> bool) -> Option<T> {
    let at = pending.iter().position(is)?;
    Some(pending.remove(at))
}

fn send(worker: &web_sys::Worker, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let transfer = js_sys::Array::of1(&array.buffer());
    let _ = worker.post_message_with_transfer(&array, &transfer);
}

impl EngineHandle {
    /// Starts the worker if it is not running yet.
    pub fn start(&self) {
        if self.engine.borrow().worker.is_some() {
            return;
        }
        // A permalink's worker, started by web/early-worker.js before this page loaded.
        let (worker, early, link) = match js::take_early_worker() {
            Some((worker, early, link)) => (worker, early, Some(link)),
            None => {
                let options = web_sys::WorkerOptions::new();
                options.set_type(web_sys::WorkerType::Module);
                let Ok(worker) = web_sys::Worker::new_with_options(WORKER_URL, &options) else { return };
                (worker, Vec::new(), None)
            }
        };
        let this = self.clone();
        let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| this.receive(e.data()));
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        {
            let mut engine = self.engine.borrow_mut();
            engine.worker = Some(worker);
            engine._onmessage = Some(onmessage);
            engine.link_read_by_worker = link;
        }
        for message in early {
            self.receive(message);
        }
    }

    fn post(&self, request: &Request) {
        self.start();
        let bytes = encode(request);
        let mut engine = self.engine.borrow_mut();
        if !engine.ready {
            engine.queue.push(bytes);
        } else if let Some(worker) = &engine.worker {
            send(worker, &bytes);
        }
    }

    fn next_id(&self) -> u32 {
        let mut engine = self.engine.borrow_mut();
        engine.next_id += 1;
        engine.next_id
    }

    /// Explains `inputs` (their `revision` comes back with the report).
    pub fn explain(&self, revision: u32, inputs: &Inputs) {
        if self.engine.borrow().in_flight.is_some() {
            self.engine.borrow_mut().waiting = Some((revision, Box::new(inputs.clone())));
            return;
        }
        self.engine.borrow_mut().in_flight = Some(revision);
        self.post(&Request::Explain { id: revision, inputs: Box::new(inputs.clone()) });
        // `pn:post`: from the input to the request leaving for the worker (the bench's breakdown).
        if let Some(at) = js::input_time() {
            js::measure("pn:post", at);
        }
    }

    /// Loads gallery example `name`.
    pub fn example(&self, name: &str) {
        let id = self.next_id();
        self.post(&Request::Example { id, name: name.to_string() });
    }

    /// Has the worker read a certificate file for certificate pane `pane`.
    pub fn file(&self, pane: u64, file_name: String, bytes: Vec<u8>) {
        let id = self.next_id();
        self.engine.borrow_mut().files.push((id, pane, file_name));
        self.post(&Request::Der { id, bytes });
    }

    /// Asks for the JSON of a permalink to `inputs`.
    pub fn link_json(&self, inputs: &Inputs, then: LinkCallback) {
        let id = self.next_id();
        self.engine.borrow_mut().links.push((id, then));
        self.post(&Request::MakeLink { id, inputs: Box::new(inputs.clone()) });
    }

    /// Reads a pasted log, completed by `inputs` where the log cannot tell; `then` gets the
    /// summary and the inputs the log gives.
    pub fn read_log(&self, text: String, inputs: &Inputs, then: impl FnOnce(Box<LogSummary>, Box<Inputs>) + 'static) {
        let id = self.next_id();
        let reply: ReplyCallback = Box::new(move |r| {
            if let Response::LogRead { summary, inputs, .. } = r {
                then(summary, inputs);
            }
        });
        self.engine.borrow_mut().replies.push((id, reply));
        self.post(&Request::ReadLog { id, text, inputs: Box::new(inputs.clone()) });
    }

    /// Masks e-mail local parts and IP addresses in a log; `then` gets the masked text.
    pub fn mask_log(&self, text: String, then: impl FnOnce(String) + 'static) {
        let id = self.next_id();
        let reply: ReplyCallback = Box::new(move |r| {
            if let Response::MaskedLog { text, .. } = r {
                then(text);
            }
        });
        self.engine.borrow_mut().replies.push((id, reply));
        self.post(&Request::MaskLog { id, text });
    }

    /// Loads the scenario of a permalink's `s=` value.
    pub fn read_link(&self, value: String) {
        self.start();
        let fragment = js::fragment();
        if self.engine.borrow_mut().link_read_by_worker.take().is_some_and(|link| link == fragment) {
            return;
        }
        let id = self.next_id();
        self.post(&Request::ReadLink { id, value });
    }

    /// True when no explanation runs and none waits: the report shown is the newest.
    pub fn idle(&self) -> bool {
        let engine = self.engine.borrow();
        engine.in_flight.is_none() && engine.waiting.is_none()
    }

    /// When the last report arrived (`performance.now()`, before it was read).
    pub fn received_at(&self) -> f64 {
        self.engine.borrow().received_at
    }

    fn receive(&self, data: JsValue) {
        let arrived = js::now_ms();
        let bytes = js_sys::Uint8Array::new(&data).to_vec();
        let Some(response) = decode::<Response>(&bytes) else {
            web_sys::console::warn_1(&"peername: unreadable worker message".into());
            return;
        };
        if let Response::LogRead { id, .. } | Response::MaskedLog { id, .. } = &response {
            let id = *id;
            let then = take(&mut self.engine.borrow_mut().replies, |r| r.0 == id);
            if let Some((_, then)) = then {
                then(response);
            }
            return;
        }
        match response {
            Response::Ready => {
                let (queue, worker) = {
                    let mut engine = self.engine.borrow_mut();
                    engine.ready = true;
                    (std::mem::take(&mut engine.queue), engine.worker.clone())
                };
                if let Some(worker) = worker {
                    for bytes in queue {
                        send(&worker, &bytes);
                    }
                }
            }
            Response::Report { id, report, ms } => {
                let waiting = {
                    let mut engine = self.engine.borrow_mut();
                    engine.in_flight = None;
                    engine.received_at = arrived;
                    engine.waiting.take()
                };
                if let Some((revision, inputs)) = waiting {
                    self.explain(revision, &inputs);
                }
                self.dispatch.dispatch(Action::ReportReady(u64::from(id), report, ms));
            }
            Response::Inputs { from, inputs, stripped_private_keys, .. } => {
                if stripped_private_keys {
                    self.dispatch.dispatch(Action::Notify(Notice::LinkWithoutKeys));
                }
                let origin = match from {
                    Loaded::Example(name) => Origin::Example(name),
                    Loaded::Permalink => Origin::Permalink,
                    Loaded::Log => Origin::Log,
                };
                self.dispatch.dispatch(Action::Load(inputs, origin));
            }
            Response::Pem { id, pem, private_key_refused, problem } => {
                let target = take(&mut self.engine.borrow_mut().files, |f| f.0 == id);
                let Some((_, pane, name)) = target else { return };
                if private_key_refused {
                    self.dispatch.dispatch(Action::Notify(Notice::PrivateKeyRemoved { cert: Some(pane) }));
                }
                if !pem.is_empty() {
                    self.dispatch.dispatch(Action::AppendCertPem(pane, pem));
                } else if let Some(detail) = problem {
                    self.dispatch.dispatch(Action::Notify(Notice::File { name, detail }));
                }
            }
            Response::LinkJson { id, json, stripped_private_keys } => {
                let then = take(&mut self.engine.borrow_mut().links, |l| l.0 == id);
                if let Some((_, then)) = then {
                    then(Ok((json, stripped_private_keys)));
                }
            }
            // Answered before the match (their callbacks take the whole response).
            Response::LogRead { .. } | Response::MaskedLog { .. } => {}
            Response::Failed { id, code, message } => {
                let then = take(&mut self.engine.borrow_mut().links, |l| l.0 == id);
                match then {
                    Some((_, then)) => then(Err((code, message))),
                    None => self.dispatch.dispatch(Action::Notify(Notice::Permalink { code, message })),
                }
            }
        }
    }
}

/// The engine handle of the page (one worker for the page's lifetime).
#[hook]
pub fn use_engine(dispatch: UseReducerDispatcher<AppState>) -> EngineHandle {
    let engine = use_mut_ref(Engine::default);
    EngineHandle { engine, dispatch }
}

/// Sends the inputs to the engine whenever they change (the panes debounce typing).
#[hook]
pub fn use_explain_on_change(state: &UseReducerHandle<AppState>, engine: &EngineHandle) {
    let revision = state.revision;
    let empty = state.is_empty();
    let engine = engine.clone();
    let state = state.clone();
    use_effect_with((revision, empty), move |(revision, empty)| {
        if !*empty {
            engine.explain(*revision as u32, &state.scenario);
        }
    });
}

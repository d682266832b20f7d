//! peername in the browser. Two WebAssembly modules are built from this crate:
//!
//! - `peername-web` (`src/main.rs`): the Yew page ([`app`]). It renders [`Report`]s and never runs
//!   the engine, so it stays small and its main thread stays free. It receives a projection of
//!   each report ([`view`]) and edits [`inputs`].
//! - `peername-api` (`src/bin/peername-api.rs`): the engine. The page runs it in a Web Worker
//!   ([`protocol`] is what they say to each other); documentation sites import the same module as
//!   the JS API (`explain(scenario)`, `examples()`).
//!
//! The pure parts (catalogue, state, words for the report, changes between reports) compile
//! natively too, so `cargo test --workspace` tests them.
//!
//! [`Report`]: peername_engine::Report

pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod compress;
pub mod examples;
pub mod inputs;
pub mod logview;
pub mod protocol;
pub mod view;
pub mod wire;

//! The page: one Yew function component per file under `components/`, custom hooks under
//! `hooks/`, the app state in one `Reducible` (`state`), and the words for the engine's data in
//! `text` (through the `i18n` catalogue). Components render the [`Report`]; they never decide
//! what Postfix does.
//!
//! [`Report`]: peername_engine::Report

pub mod changes;
pub mod diagview;
pub mod i18n;
pub mod shared;
pub mod state;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod paste;

//! Custom hooks: the engine worker, debounced input, permalinks, the clipboard, the document's
//! language and render timings.

mod use_debounce;
mod use_engine;
mod use_permalink;
mod use_document;

pub use use_debounce::use_debounce;
pub use use_document::{use_document_lang, use_render_timing};
pub use use_engine::{use_engine, use_explain_on_change, EngineHandle};
pub use use_permalink::{copy_link, read_fragment_on_load};

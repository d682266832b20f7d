//! Custom hooks: the engine worker, debounced input, a lingering flag, permalinks, the clipboard,
//! the document's language, its words and render timings.

mod use_debounce;
mod use_engine;
mod use_lingering;
mod use_permalink;
mod use_document;
mod use_words;

pub use use_debounce::use_debounce;
pub use use_document::{use_document_lang, use_render_timing};
pub use use_engine::{use_engine, use_explain_on_change, EngineHandle};
pub use use_lingering::use_lingering;
pub use use_permalink::{copy_link, read_fragment_on_load};
pub use use_words::use_words;

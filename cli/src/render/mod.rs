//! Text renderings of engine results.

pub mod columns;
pub mod diagnostic;
pub mod report;
pub mod words;

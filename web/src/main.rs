//! The page (placeholder until the Yew app lands).

fn main() {}

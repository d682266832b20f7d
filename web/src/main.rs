//! The page (`peername-web`). Built for `wasm32-unknown-unknown` by Trunk (`scripts/run`,
//! `trunk build --release`); the native build only exists so `cargo test --workspace` covers the
//! whole workspace. The engine runs in the `peername-api` worker (see `src/lib.rs`).

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<peername_web::app::components::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("peername-web is a WebAssembly page: build it with `trunk build --release` in web/ (see README.md).");
}

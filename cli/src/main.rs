//! The `peername` command: a thin shell over the engine.

fn main() {
    println!("peername {}", env!("CARGO_PKG_VERSION"));
}

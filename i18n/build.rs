//! Writes `page-en.txt` into OUT_DIR: the English catalogue as the page compiles it in, without
//! the CLI's own words (`cli.*`) and without the English of the engine's diagnostics
//! (`diag.*`), which the engine already gives in English (`Diagnostic::message`/`hint`). Other
//! languages keep every key. The keys the page names literally stay (`PAGE_DIAG_KEYS`).

use std::path::PathBuf;

/// `diag.*` keys the page's own components use (not engine diagnostics).
const PAGE_DIAG_KEYS: &[&str] = &["diag.hint-prefix", "diag.more", "diag.position"];

fn main() {
    let source = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo")).join("catalogue/en.txt");
    println!("cargo:rerun-if-changed={}", source.display());
    let english = std::fs::read_to_string(&source).expect("catalogue/en.txt is readable");
    let page: String = english
        .lines()
        .filter(|line| {
            let key = line.split(" = ").next().unwrap_or("");
            !(key.starts_with("cli.") || (key.starts_with("diag.") && !PAGE_DIAG_KEYS.contains(&key)))
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("page-en.txt");
    std::fs::write(out, page).expect("OUT_DIR is writable");
}

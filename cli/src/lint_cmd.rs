//! `peername lint`: exit 0 clean, 1 findings, 2 unreadable input. Streams each file.

use crate::args::{Format, LintArgs};
use crate::render::diagnostic;
use crate::style::Style;
use peername_engine::diag::Severity;
use peername_engine::lint::{lint, LintOptions};
use peername_engine::version::{PostfixVersion, DEFAULT_VERSION};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};

/// Runs the command.
pub fn run(a: LintArgs) -> Result<u8, Vec<String>> {
    let version_text = a.postfix.clone().unwrap_or_else(|| DEFAULT_VERSION.to_string());
    let version = PostfixVersion::parse(&version_text).map_err(|e| vec![format!("--postfix {version_text}: {e}")])?;
    let opts = LintOptions { version, texthash: a.texthash };
    let style = Style::new(a.color);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut findings = 0usize;
    let mut unreadable = Vec::new();
    for path in &a.files {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                unreadable.push(format!("{}: {}", path.display(), e));
                continue;
            }
        };
        let name = path.display().to_string();
        // Keep the text of lines that have findings only: re-read them at the end (bounded memory).
        let mut wanted: BTreeMap<usize, String> = BTreeMap::new();
        let mut pending = Vec::new();
        let summary = lint(BufReader::with_capacity(1 << 16, file), &opts, |d| {
            if let Some(p) = d.position {
                wanted.insert(p.line, String::new());
            }
            pending.push(d);
        });
        if !wanted.is_empty() && a.format == Format::Text {
            if let Ok(f) = std::fs::File::open(path) {
                for (i, line) in BufReader::new(f).split(b'\n').enumerate() {
                    if let (Some(slot), Ok(bytes)) = (wanted.get_mut(&(i + 1)), line) {
                        *slot = String::from_utf8_lossy(&bytes).trim_end_matches('\r').to_string();
                    }
                    if i + 1 >= *wanted.keys().last().unwrap_or(&0) {
                        break;
                    }
                }
            }
        }
        for d in &pending {
            if d.severity != Severity::Info {
                findings += 1;
            }
            let written = match a.format {
                Format::Json => {
                    let mut v = serde_json::to_value(d).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("file".into(), serde_json::Value::String(name.clone()));
                    }
                    writeln!(out, "{v}")
                }
                Format::Text => {
                    let line = d.position.and_then(|p| wanted.get(&p.line)).map(String::as_str);
                    writeln!(out, "{}", diagnostic::render(d, &name, line, &style))
                }
            };
            if written.is_err() {
                return Err(vec!["cannot write to standard output".into()]);
            }
        }
        if a.format == Format::Text {
            let _ = writeln!(out, "{name}: {} entries, {} errors, {} warnings", summary.entries, summary.errors, summary.warnings);
        }
    }
    let _ = out.flush();
    if !unreadable.is_empty() {
        return Err(unreadable);
    }
    Ok(if findings > 0 { 1 } else { 0 })
}

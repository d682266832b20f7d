//! `peername lint`: exit 0 clean, 1 findings, 2 unreadable input. Streams each file.

use crate::args::{Format, LintArgs};
use crate::render::diagnostic;
use crate::style::Style;
use peername_engine::diag::{Diagnostic, Position, Severity, Source, Span};
use peername_engine::lint::{lint, LintOptions};
use peername_engine::version::{PostfixVersion, DEFAULT_VERSION};
use peername_i18n::tf;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

/// Runs the command.
pub fn run(a: LintArgs) -> Result<u8, Vec<String>> {
    let version_text = a.postfix.clone().unwrap_or_else(|| DEFAULT_VERSION.to_string());
    let version = PostfixVersion::parse(&version_text).map_err(|e| vec![format!("--postfix {version_text}: {e}")])?;
    let opts = LintOptions { version, texthash: a.texthash };
    let style = Style::new(a.color);
    let lang = crate::lang::current();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut findings = 0usize;
    let mut unreadable = Vec::new();
    for path in &a.files {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                unreadable.push(format!("{}: {}", path.display(), crate::inputs::io_text(&e)));
                continue;
            }
        };
        let mut file = BufReader::with_capacity(1 << 16, file);
        // A table is text: NUL bytes at the start mean a binary file (a .db, a UTF-16 export).
        if file.fill_buf().is_ok_and(|head| head.contains(&0)) {
            unreadable.push(tf(lang, "cli.error.binary-table", &[("file", &path.display().to_string())]));
            continue;
        }
        let name = path.display().to_string();
        // Findings are written as they come (bounded memory); the text of a finding's line is
        // read from a second handle that walks forward through the file.
        let mut lines = SourceLines::new(path);
        let summary = lint(file, &opts, |d| {
            if d.severity != Severity::Info {
                findings += 1;
            }
            let written = match a.format {
                Format::Json => {
                    let mut d = d;
                    if let Some(w) = d.params.get_mut("postfix_warning") {
                        *w = diagnostic::postfix_text(w, &name);
                    }
                    serde_json::to_writer(&mut out, &JsonFinding::new(&d, &name))
                        .map_err(std::io::Error::from)
                        .and_then(|()| out.write_all(b"\n"))
                }
                Format::Text => {
                    let line = d.position.and_then(|p| lines.line(p.line));
                    writeln!(out, "{}", diagnostic::render(&d, &name, line.as_deref(), lang, &style))
                }
            };
            if let Err(e) = written {
                crate::output::gone(&e);
            }
        });
        if a.format == Format::Text {
            let counts = [summary.entries, summary.errors, summary.warnings].map(|n| n.to_string());
            let line = tf(lang, "cli.lint.summary", &[("file", &name), ("entries", &counts[0]), ("errors", &counts[1]), ("warnings", &counts[2])]);
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = out.flush();
    if !unreadable.is_empty() {
        return Err(unreadable);
    }
    Ok(if findings > 0 { 1 } else { 0 })
}

/// One line of `--format json`: a finding's fields and the file it is in, keys in alphabetical
/// order. Written straight to the output: building a `serde_json::Value` first and formatting
/// it took a quarter of a million-line lint.
#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    file: &'a str,
    hint: Option<&'a str>,
    message: &'a str,
    params: &'a BTreeMap<String, String>,
    position: Option<Position>,
    severity: Severity,
    source: Source,
    span: Option<Span>,
}

impl<'a> JsonFinding<'a> {
    fn new(d: &'a Diagnostic, file: &'a str) -> Self {
        JsonFinding {
            code: &d.code,
            file,
            hint: d.hint.as_deref(),
            message: &d.message,
            params: &d.params,
            position: d.position,
            severity: d.severity,
            source: d.source,
            span: d.span,
        }
    }
}

/// Reads the lines findings point at, walking forward through the file; a finding for an
/// earlier line (the `.domain` findings come after the rest) starts the walk again.
struct SourceLines<'p> {
    path: &'p Path,
    reader: Option<std::io::Split<BufReader<File>>>,
    next: usize,
}

impl<'p> SourceLines<'p> {
    fn new(path: &'p Path) -> Self {
        SourceLines { path, reader: None, next: 1 }
    }

    /// The text of 1-based line `number`, without its line end; `None` when unreadable.
    fn line(&mut self, number: usize) -> Option<String> {
        if self.reader.is_none() || number < self.next {
            self.reader = File::open(self.path).ok().map(|f| BufReader::new(f).split(b'\n'));
            self.next = 1;
        }
        let reader = self.reader.as_mut()?;
        while self.next < number {
            reader.next()?.ok()?;
            self.next += 1;
        }
        let bytes = reader.next()?.ok()?;
        self.next += 1;
        Some(String::from_utf8_lossy(&bytes).trim_end_matches('\r').to_string())
    }
}

//! Reading input files into a scenario, with one clear line per problem.

use crate::args::ExplainArgs;
use peername_engine::cert::pem::parse_certificates;
use peername_engine::diag::{Severity, Source};
use peername_engine::scenario::{CaTrust, Scenario, ServedChain};
use peername_i18n::{t, tf};
use std::path::Path;

/// The largest input file accepted (the page applies the same bound per pane).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file as bytes, refusing huge files.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let lang = crate::lang::current();
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), io_text(&e)))?;
    if meta.is_dir() {
        return Err(tf(lang, "cli.error.is-directory", &[("file", &file)]));
    }
    if meta.len() > MAX_FILE_BYTES {
        let (bytes, mib) = (meta.len().to_string(), (MAX_FILE_BYTES / 1024 / 1024).to_string());
        return Err(tf(lang, "cli.error.too-large", &[("file", &file), ("bytes", &bytes), ("mib", &mib)]));
    }
    std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), io_text(&e)))
}

/// Reads a text file; binary content (NULs, invalid UTF-8) is refused with a clear message.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    if bytes.contains(&0) {
        return Err(tf(crate::lang::current(), "cli.error.binary", &[("file", &path.display().to_string())]));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to().to_string();
        tf(crate::lang::current(), "cli.error.not-utf8", &[("file", &path.display().to_string()), ("offset", &offset)])
    })
}

/// An I/O error as one short phrase ("no such file", "permission denied").
pub fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => t(crate::lang::current(), "cli.error.no-such-file").into(),
        std::io::ErrorKind::PermissionDenied => t(crate::lang::current(), "cli.error.permission-denied").into(),
        _ => e.to_string(),
    }
}

/// Builds the scenario from `--scenario` and the individual options.
pub fn scenario(a: &ExplainArgs, now: &str) -> Result<Scenario, Vec<String>> {
    let mut problems = Vec::new();
    let mut s = match &a.scenario {
        Some(src) => {
            let text = if src == "-" {
                let mut buf = String::new();
                match std::io::Read::read_to_string(&mut std::io::stdin(), &mut buf) {
                    Ok(_) => Ok(buf),
                    Err(e) => Err(tf(crate::lang::current(), "cli.error.stdin", &[("error", &e.to_string())])),
                }
            } else {
                read_text(Path::new(src))
            };
            match text.and_then(|t| serde_json::from_str::<Scenario>(&t).map_err(|e| tf(crate::lang::current(), "cli.error.not-a-scenario", &[("file", src), ("error", &e.to_string())]))) {
                Ok(s) => s,
                Err(e) => return Err(vec![e]),
            }
        }
        None => Scenario::default(),
    };
    let mut text_of = |p: &Option<std::path::PathBuf>, into: &mut String| {
        if let Some(p) = p {
            match read_text(p) {
                Ok(t) => *into = t,
                Err(e) => problems.push(e),
            }
        }
    };
    text_of(&a.policy, &mut s.policy_table);
    text_of(&a.main_cf, &mut s.main_cf);
    text_of(&a.transport, &mut s.transport_table);
    text_of(&a.mx_file, &mut s.mx);
    text_of(&a.addresses, &mut s.addresses);
    text_of(&a.tlsa, &mut s.tlsa);
    if let Some(mx) = &a.mx {
        s.mx = mx.split_whitespace().collect::<Vec<_>>().join("\n");
    }
    if let Some(to) = a.to.as_ref().or(a.nexthop.as_ref()) {
        s.destination = to.clone();
    }
    for c in &a.certs {
        let (host, file) = match c.split_once('=') {
            Some((h, f)) if !h.is_empty() && !Path::new(c).exists() => (h.to_string(), f.to_string()),
            _ => (String::new(), c.clone()),
        };
        match read_bytes(Path::new(&file)) {
            Ok(bytes) => match certificate_problem(&file, &bytes) {
                Some(problem) => problems.push(problem),
                None => {
                    // PEM text is passed as is; a DER file is wrapped as PEM for the engine.
                    let pem = match String::from_utf8(bytes.clone()) {
                        Ok(t) if !t.contains('\0') => t,
                        _ => der_to_pem(&bytes),
                    };
                    s.certificates.push(ServedChain { host, pem });
                }
            },
            Err(e) => problems.push(e),
        }
    }
    for t in &a.tafiles {
        match t.split_once('=') {
            Some((path, file)) => match read_text(Path::new(file)) {
                Ok(text) => {
                    s.trust_anchor_files.insert(path.to_string(), text);
                }
                Err(e) => problems.push(e),
            },
            None => problems.push(tf(crate::lang::current(), "cli.error.tafile", &[("value", t)])),
        }
    }
    if let Some(ca) = &a.ca_file {
        match read_text(ca).and_then(|t| match certificate_problem(&ca.display().to_string(), t.as_bytes()) {
            Some(problem) => Err(problem),
            None => Ok(t),
        }) {
            Ok(t) => {
                s.ca_bundle = t;
                s.ca_trust = CaTrust::Bundle;
            }
            Err(e) => problems.push(e),
        }
    } else if let Some(v) = &a.ca_trusted {
        match yes_no(v) {
            Some(true) => s.ca_trust = CaTrust::Trusted,
            Some(false) => s.ca_trust = CaTrust::Untrusted,
            None => problems.push(tf(crate::lang::current(), "cli.error.yes-no", &[("option", "--ca-trusted"), ("value", v)])),
        }
    }
    if let Some(v) = &a.dnssec {
        match yes_no(v) {
            Some(flag) => s.dnssec_validated = flag,
            None => problems.push(tf(crate::lang::current(), "cli.error.yes-no", &[("option", "--dnssec"), ("value", v)])),
        }
    }
    s.insecure_names.extend(a.insecure.iter().map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase()));
    if let Some(v) = &a.postfix {
        if let Err(e) = peername_engine::version::PostfixVersion::parse(v) {
            problems.push(format!("--postfix {v}: {e}"));
        }
        s.postfix_version = v.clone();
    }
    if let Some(t) = &a.at {
        if peername_engine::cert::time::parse_rfc3339(t).is_none() {
            problems.push(tf(crate::lang::current(), "cli.error.at", &[("value", t)]));
        }
        s.evaluated_at = Some(t.clone());
    } else if s.evaluated_at.is_none() {
        s.evaluated_at = Some(now.to_string());
    }
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(problems)
    }
}

/// `yes`/`no` (and `y`, `true`, `n`, `false`), any case.
fn yes_no(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" => Some(false),
        _ => None,
    }
}

/// Why a certificate file cannot be used, as the engine's parser reads it: a private key
/// (refused, never read further) or no certificate at all (garbage, a CSR, an empty file).
fn certificate_problem(file: &str, bytes: &[u8]) -> Option<String> {
    let parsed = parse_certificates(bytes, Source::Certificates(0));
    if parsed.diagnostics.iter().any(|d| d.code == "cert.private-key-refused") {
        return Some(tf(crate::lang::current(), "cli.error.private-key", &[("file", file)]));
    }
    if parsed.certificates.is_empty() {
        let lang = crate::lang::current();
        let why = parsed
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(|d| crate::render::words::diagnostic_message(lang, d))
            .unwrap_or_else(|| t(lang, "cli.error.no-certificate-found").into());
        return Some(tf(lang, "cli.error.no-certificate", &[("file", file), ("why", &why)]));
    }
    None
}

/// Wraps DER bytes as PEM text for the engine.
fn der_to_pem(der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

/// The current time in RFC 3339 (the CLI supplies "now"; the engine never reads the clock).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    peername_engine::cert::time::rfc3339(secs)
}

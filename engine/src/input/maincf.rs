//! main.cf text, or `postconf -n` / `postconf -d` output, possibly with master.cf lines
//! pasted among it.
//!
//! Postfix reads main.cf with `readllines()` ([`super::lines`]) and splits each logical line
//! with `split_nameval()`: the name ends at whitespace or `=`, blanks around `=` are optional,
//! the value's outer whitespace is trimmed. A continuation line is appended with its leading
//! whitespace (`postconf` prints the value with whitespace squeezed to single spaces; the
//! daemons see it as joined). A later definition of a name replaces an earlier one. A line
//! without `=` stops every Postfix program with a fatal error.
//!
//! master.cf `-o name=value` overrides are kept as parameters of their service (spec §8);
//! [`MainCf::get`] ignores them and [`MainCf::get_for_service`] applies them.

use super::chars::{code_point, find_suspicious, inline_comment, is_space};
use super::command::shell_command;
use super::diagnostics::Sink;
use super::lines::{physical_lines, LineJoiner, LogicalLine};
use super::master::{self, Override};
use crate::diag::{Diagnostic, Source, Span};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where a parameter setting comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamOrigin {
    /// A main.cf line (or `postconf` output): applies to every Postfix program.
    MainCf,
    /// A master.cf `-o name=value`: applies only to that service's processes.
    MasterCfOverride,
}

/// One `name = value` setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MainCfParam {
    /// Parameter name as written.
    pub name: String,
    /// The value, continuation lines joined, outer whitespace trimmed, `$name` not expanded.
    pub value: String,
    /// Where the name is.
    pub name_span: Span,
    /// From the value's first byte to its last (empty, after the `=`, for an empty value).
    pub value_span: Span,
    /// 1-based line of the name.
    pub line: usize,
    /// main.cf or a master.cf override.
    pub origin: ParamOrigin,
    /// For overrides: the master.cf service as `name/type` (e.g. `relay/unix`), when the
    /// service line was pasted too.
    pub service: Option<String>,
}

/// A parsed main.cf: every setting in input order, and the findings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MainCf {
    /// Settings in input order, including overridden ones and master.cf overrides.
    pub params: Vec<MainCfParam>,
    /// Findings, with positions filled.
    pub diagnostics: Vec<Diagnostic>,
    /// The master.cf services whose lines were pasted among the main.cf lines, in input order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<MasterService>,
}

/// A master.cf service line pasted with main.cf.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasterService {
    /// `name/type`, e.g. `tlsproxy/unix`.
    pub service: String,
    /// The program it runs, e.g. `smtp`.
    pub command: String,
}

impl MainCf {
    /// The main.cf setting of `name` that Postfix uses: the last definition (master.cf
    /// overrides are not included; see [`MainCf::get_for_service`]).
    pub fn get(&self, name: &str) -> Option<&MainCfParam> {
        self.params.iter().rev().find(|p| p.origin == ParamOrigin::MainCf && p.name == name)
    }

    /// The value of [`MainCf::get`].
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(|p| p.value.as_str())
    }

    /// The setting a process of master.cf service `service` (`name/type`, e.g. `smtp/unix`)
    /// uses: its last `-o` override of `name`, else the main.cf setting.
    pub fn get_for_service(&self, service: &str, name: &str) -> Option<&MainCfParam> {
        self.params
            .iter()
            .rev()
            .find(|p| {
                p.origin == ParamOrigin::MasterCfOverride && p.service.as_deref() == Some(service) && p.name == name
            })
            .or_else(|| self.get(name))
    }

    /// The value of [`MainCf::get_for_service`].
    pub fn value_for_service(&self, service: &str, name: &str) -> Option<&str> {
        self.get_for_service(service, name).map(|p| p.value.as_str())
    }

    /// The `-o` overrides of master.cf service `service` (`name/type`), in input order.
    pub fn overrides_for<'a>(&'a self, service: &'a str) -> impl Iterator<Item = &'a MainCfParam> + 'a {
        self.params.iter().filter(move |p| p.origin == ParamOrigin::MasterCfOverride && p.service.as_deref() == Some(service))
    }
}

/// Reads main.cf text. Never fails; see the module documentation for the rules.
pub fn parse_main_cf(text: &str) -> MainCf {
    let mut reader = Reader { sink: Sink::new("maincf", Source::MainCf), params: Vec::new(), services: Vec::new(), latest: HashMap::new() };
    let mut joiner = LineJoiner::default();
    let mut lines = physical_lines(text.as_bytes());
    if let Some((first, offset, number)) = lines.next() {
        let (first, offset, skipped) = match first.strip_prefix(b"\xef\xbb\xbf") {
            Some(rest) => {
                reader.bom();
                (rest, offset + 3, 1)
            }
            None => (first, offset, 0),
        };
        if let Some(l) = joiner.push_at(first, offset, number, skipped) {
            reader.logical(&l);
        }
    }
    for (line, offset, number) in lines {
        if let Some(l) = joiner.push(line, offset, number) {
            reader.logical(&l);
            joiner.recycle(l);
        }
    }
    if let Some(l) = joiner.finish() {
        reader.logical(&l);
    }
    MainCf { params: reader.params, diagnostics: reader.sink.finish(text), services: reader.services }
}

/// Parse state: the settings so far and where each name was last set.
struct Reader {
    sink: Sink,
    params: Vec<MainCfParam>,
    services: Vec<MasterService>,
    latest: HashMap<(ParamOrigin, Option<String>, String), usize>,
}

impl Reader {
    fn bom(&mut self) {
        self.sink.push_with(|| {
            Diagnostic::warning(
                "maincf.bom",
                Source::MainCf,
                "The text starts with a UTF-8 byte order mark. peername skips it, but Postfix \
                 reads it as part of the first parameter name.",
            )
            .at(Span::new(0, 3))
            .hint("Save main.cf as UTF-8 without a byte order mark (BOM).")
        });
    }

    fn logical(&mut self, l: &LogicalLine) {
        let Ok(text) = std::str::from_utf8(&l.bytes) else {
            return;
        };
        let text = match text.find('\0') {
            Some(at) => {
                self.sink.push_with(|| {
                    Diagnostic::warning(
                        "maincf.nul-byte",
                        Source::MainCf,
                        "This line contains a NUL byte; Postfix reads the line only up to it.",
                    )
                    .at(l.text_span(at, at + 1))
                    .param("line", l.first_line().to_string())
                });
                text.get(..at).unwrap_or("")
            }
            None => text,
        };
        if master::starts_with_override(text) {
            self.overrides(l, text, 0, None);
            return;
        }
        if l.orphan {
            self.orphan(l, text);
            return;
        }
        if let Some(service) = master::service_line(text) {
            self.service_line(l, text, &service);
            return;
        }
        // `-o` lines indented under a main.cf line were pasted from master.cf: they are not
        // part of the previous value.
        let split = l
            .pieces
            .iter()
            .skip(1)
            .find(|p| master::starts_with_override(text.get(p.joined..).unwrap_or("")))
            .map(|p| p.joined);
        let head = text.get(..split.unwrap_or(text.len())).unwrap_or("");
        self.head(l, head);
        if let Some(at) = split {
            self.overrides(l, text, at, None);
        }
    }

    fn orphan(&mut self, l: &LogicalLine, text: &str) {
        let shown: String = text.chars().take(30).collect();
        let more = if shown.len() < text.len() { "..." } else { "" };
        self.sink.push_with(|| {
            Diagnostic::warning(
                "maincf.orphan-continuation",
                Source::MainCf,
                "This line starts with whitespace, which makes it a continuation, but there is \
                 no parameter before it. Postfix warns and ignores it.",
            )
            .at(l.text_span(0, text.len()))
            .hint("Remove the leading whitespace if this is meant to be a parameter.")
            .param("line", l.first_line().to_string())
            .param("postfix_warning", format!("FILE: logical line must not start with whitespace: \"{shown}{more}\""))
        });
    }

    fn service_line(&mut self, l: &LogicalLine, text: &str, service: &master::ServiceLine) {
        self.services.push(MasterService { service: service.service.clone(), command: service.command.clone() });
        let before = self.params.len();
        self.overrides(l, text, service.args_start, Some(&service.service));
        if self.params.len() == before {
            self.sink.push_with(|| {
                Diagnostic::info(
                    "maincf.master-line-ignored",
                    Source::MainCf,
                    format!("This is a master.cf service line ({}), not a main.cf parameter.", service.service),
                )
                .at(l.text_span(service.name_range.0, service.name_range.1))
                .param("service", service.service.clone())
                .param("command", service.command.clone())
            });
        }
    }

    fn overrides(&mut self, l: &LogicalLine, text: &str, from: usize, service: Option<&str>) {
        let (good, bad) = master::overrides(text, from);
        for o in good {
            self.master_override(l, o, service);
        }
        for b in bad {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    "maincf.master-bad-override",
                    Source::MainCf,
                    format!("\"-o {}\" is not name=value; Postfix cannot use it.", b.text),
                )
                .at(l.text_span(b.range.0, b.range.1))
                .hint("Write -o name=value without spaces, or -o { name = value } (Postfix 3.0+).")
                .param("text", b.text)
                .param("braced", "{ name = value }")
            });
        }
    }

    fn master_override(&mut self, l: &LogicalLine, o: Override, service: Option<&str>) {
        let name_span = l.text_span(o.name_range.0, o.name_range.1);
        let which =
            service.map_or("the master.cf service it belongs to".to_string(), |s| format!("the master.cf service {s}"));
        let mut d = Diagnostic::info(
            "maincf.master-override",
            Source::MainCf,
            format!("{}={} applies only to {}; other services use the main.cf value.", o.name, o.value, which),
        )
        .at(name_span)
        .param("name", o.name.clone())
        .param("value", o.value.clone());
        match service {
            Some(s) => d = d.param("service", s),
            None => d = d.param("variant", "no-service"),
        }
        self.sink.push(d);
        let param = MainCfParam {
            name: o.name,
            value: o.value,
            name_span,
            value_span: l.text_span(o.value_range.0, o.value_range.1),
            line: l.position(o.name_range.0).line,
            origin: ParamOrigin::MasterCfOverride,
            service: service.map(str::to_string),
        };
        self.check_name(&param);
        self.add(param);
    }

    /// A logical line that is neither master.cf text nor an orphan.
    fn head(&mut self, l: &LogicalLine, head: &str) {
        if let Some(cmd) = shell_command(head) {
            self.sink.push_with(|| {
                Diagnostic::info(
                    "maincf.shell-command",
                    Source::MainCf,
                    format!("This line is a shell command ({}), not a parameter.", cmd.command),
                )
                .at(l.text_span(cmd.start, cmd.start + cmd.text.len()))
                .param("program", cmd.command)
                .param("command", cmd.text)
            });
            return;
        }
        if head.starts_with("postconf: ") || head.starts_with("postfix: ") || head.starts_with("postfix/") {
            self.sink.push_with(|| {
                Diagnostic::info(
                    "maincf.postfix-message",
                    Source::MainCf,
                    "This line is a message from a Postfix program, not a parameter.",
                )
                .at(l.text_span(0, head.len()))
                .param("text", head.trim_end())
            });
            return;
        }
        let line = l.first_line();
        match split_nameval(head) {
            Err(NameValueError::MissingName) => self.sink.push_with(|| {
                Diagnostic::error(
                    "maincf.missing-name",
                    Source::MainCf,
                    "This line has '=' but no parameter name before it. Postfix stops with a \
                     fatal error.",
                )
                .at(l.text_span(0, head.len()))
                .hint("Put the parameter name before '=', or remove the line.")
                .param("line", line.to_string())
                .param("postfix_fatal", format!("FILE, line {line}: missing attribute name: \"{}\"", head.trim_end()))
            }),
            Err(NameValueError::MissingEquals) => self.sink.push_with(|| {
                Diagnostic::error(
                    "maincf.missing-equals",
                    Source::MainCf,
                    "This line has no '=' after the parameter name. Postfix stops with a fatal \
                     error.",
                )
                .at(l.text_span(0, head.len()))
                .hint("Write \"name = value\", or start the line with '#' to make it a comment.")
                .param("line", line.to_string())
                .param(
                    "postfix_fatal",
                    format!("FILE, line {line}: missing '=' after attribute name: \"{}\"", head.trim_end()),
                )
            }),
            Ok(nv) => self.setting(l, head, nv),
        }
    }

    fn setting(&mut self, l: &LogicalLine, head: &str, nv: NameValue) {
        let name = head.get(nv.name.0..nv.name.1).unwrap_or("");
        let value = head.get(nv.value.0..nv.value.1).unwrap_or("");
        let name_span = l.text_span(nv.name.0, nv.name.1);
        let value_span = l.text_span(nv.value.0, nv.value.1);
        // `postconf -P` prints service overrides as `service/type/name = value`.
        let per_service = name
            .rsplit_once('/')
            .and_then(|(svc, n)| svc.split_once('/').filter(|(_, t)| master::is_service_type(t)).map(|_| (svc, n)));
        let (name, origin, service) = match per_service {
            Some((svc, n)) if !svc.is_empty() && !n.is_empty() => {
                (n, ParamOrigin::MasterCfOverride, Some(svc.to_string()))
            }
            _ => (name, ParamOrigin::MainCf, None),
        };
        if let Some((at, c)) = find_suspicious(value) {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    "maincf.suspicious-character",
                    Source::MainCf,
                    format!(
                        "The value of {name} contains the invisible or control character {}; \
                         Postfix treats it as part of a word, not as whitespace.",
                        code_point(c)
                    ),
                )
                .at(l.text_span(nv.value.0 + at, nv.value.0 + at + c.len_utf8()))
                .hint("Retype the value; pasting from web pages adds such characters.")
                .param("name", name)
                .param("character", code_point(c))
            });
        }
        if let Some(at) = inline_comment(value) {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    "maincf.inline-comment",
                    Source::MainCf,
                    format!(
                        "Postfix has no end-of-line comments: the '#' and the text after it are part \
                         of the value of {name}."
                    ),
                )
                .at(l.text_span(nv.value.0 + at, nv.value.1))
                .hint("Move the comment to a line of its own that starts with '#'.")
                .param("name", name)
                .param("comment", value.get(at..).unwrap_or(""))
            });
        }
        let param = MainCfParam {
            name: name.to_string(),
            value: value.to_string(),
            name_span: if service.is_some() { Span::new(name_span.end - name.len(), name_span.end) } else { name_span },
            value_span,
            line: l.first_line(),
            origin,
            service,
        };
        self.check_name(&param);
        self.add(param);
    }

    /// `maincf.bad-name`: Postfix accepts any name, but only letters, digits, `_` (and `-`,
    /// which per-transport names like `smtp-amavis_destination_concurrency_limit` contain)
    /// can be a parameter it knows.
    fn check_name(&mut self, p: &MainCfParam) {
        let bad = p.name.char_indices().find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        if let Some((at, c)) = bad {
            self.sink.push_with(|| {
                Diagnostic::warning(
                    "maincf.bad-name",
                    Source::MainCf,
                    format!(
                        "The parameter name \"{}\" contains {:?} ({}); Postfix has no such \
                         parameter, so the setting has no effect.",
                        p.name,
                        c,
                        code_point(c)
                    ),
                )
                .at(Span::new(p.name_span.start + at, p.name_span.start + at + c.len_utf8()))
                .hint("Parameter names use only letters, digits and '_'.")
                .param("name", p.name.clone())
                .param("character", code_point(c))
                .param("shown", format!("{c:?}"))
            });
        }
    }

    /// Records `p`, noting when it replaces an earlier setting of the same name and scope.
    fn add(&mut self, p: MainCfParam) {
        let key = (p.origin, p.service.clone(), p.name.clone());
        if let Some(earlier) = self.latest.get(&key).and_then(|&i| self.params.get(i)) {
            let mut d = Diagnostic::info(
                "maincf.overridden",
                Source::MainCf,
                format!(
                    "{} is set again on line {}; this earlier setting (\"{}\") is not used.",
                    p.name, p.line, earlier.value
                ),
            )
            .at(earlier.name_span)
            .param("name", p.name.clone())
            .param("first_line", earlier.line.to_string())
            .param("line", p.line.to_string())
            .param("earlier_value", earlier.value.clone())
            .param("value", p.value.clone());
            if earlier.value != p.value && p.origin == ParamOrigin::MainCf {
                d = d.param(
                    "postfix_warning",
                    format!("FILE, line {}: overriding earlier entry: {}={}", p.line, p.name, earlier.value),
                );
            }
            self.sink.push(d);
        }
        self.latest.insert(key, self.params.len());
        self.params.push(p);
    }
}

/// Byte ranges of a `name = value` split.
struct NameValue {
    name: (usize, usize),
    value: (usize, usize),
}

enum NameValueError {
    MissingName,
    MissingEquals,
}

/// Postfix's `split_nameval()`, returning byte ranges.
fn split_nameval(text: &str) -> Result<NameValue, NameValueError> {
    let b = text.as_bytes();
    let skip = |mut i: usize, cond: &dyn Fn(u8) -> bool| {
        while b.get(i).is_some_and(|&c| cond(c)) {
            i += 1;
        }
        i
    };
    let name_start = skip(0, &|c| is_space(c));
    if matches!(b.get(name_start), None | Some(b'=')) {
        return Err(NameValueError::MissingName);
    }
    let name_end = skip(name_start, &|c| !is_space(c) && c != b'=');
    let eq = skip(name_end, &|c| is_space(c));
    if b.get(eq) != Some(&b'=') {
        return Err(NameValueError::MissingEquals);
    }
    let value_start = skip(eq + 1, &|c| is_space(c));
    let mut value_end = b.len();
    while value_end > value_start && b.get(value_end - 1).is_some_and(|&c| is_space(c)) {
        value_end -= 1;
    }
    Ok(NameValue { name: (name_start, name_end), value: (value_start, value_end) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use proptest::prelude::*;

    const SEED_MAIN: &str = include_str!("../../tests/fixtures/inputs/main.cf");
    const SEED_MASTER: &str = include_str!("../../tests/fixtures/inputs/master.cf");
    const SEED_POSTCONF: &str = include_str!("../../tests/fixtures/inputs/postconf-d-grep.txt");

    fn codes(m: &MainCf) -> Vec<&str> {
        m.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn seed_main_cf() {
        let m = parse_main_cf(SEED_MAIN);
        assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics);
        assert_eq!(m.value("smtp_tls_policy_maps"), Some("hash:/etc/postfix/tls_policy"));
        assert_eq!(m.value("smtp_tls_security_level"), Some("may"));
        assert_eq!(m.value("smtp_tls_CApath"), Some("/etc/postfix/rootcas/"));
        assert_eq!(m.value("relayhost"), Some(""));
        assert_eq!(m.value("smtp_tls_loglevel"), Some("2"));
        assert_eq!(m.value("virtual_mailbox_base"), Some("/var/mail/vhosts"));
        let p = m.get("smtp_tls_mandatory_protocols").cloned();
        let p = p.unwrap_or_else(|| panic!("missing"));
        assert_eq!(p.name_span.slice(SEED_MAIN), "smtp_tls_mandatory_protocols");
        assert_eq!(p.value_span.slice(SEED_MAIN), "!SSLv2, !SSLv3");
        let relay = m.get("relayhost").map(|p| p.value_span);
        assert_eq!(relay.map(|s| s.start == s.end), Some(true));
        assert_eq!(m.expand("$mail_name at ${myhostname}"), "$mail_name at mail.EXAMPLE.com");
    }

    #[test]
    fn seed_master_cf() {
        let m = parse_main_cf(SEED_MASTER);
        assert!(m.diagnostics.iter().all(|d| d.severity == Severity::Info), "{:?}", m.diagnostics);
        assert!(m.params.iter().all(|p| p.origin == ParamOrigin::MasterCfOverride));
        assert_eq!(m.value_for_service("smtp-amavis/unix", "disable_dns_lookups"), Some("yes"));
        assert_eq!(m.value_for_service("pickup/unix", "content_filter"), Some(""));
        assert_eq!(m.value_for_service("submission/inet", "smtpd_tls_security_level"), Some("may"));
        assert_eq!(m.value("content_filter"), None);
        let ignored = codes(&m).iter().filter(|c| **c == "maincf.master-line-ignored").count();
        assert!(ignored > 20, "{ignored}");
        for p in &m.params {
            assert_eq!(p.name_span.slice(SEED_MASTER), p.name);
            assert_eq!(p.value_span.slice(SEED_MASTER), p.value);
        }
    }

    #[test]
    fn main_and_master_pasted_together() {
        let text = format!("{SEED_MAIN}\n{SEED_MASTER}");
        let m = parse_main_cf(&text);
        assert_eq!(m.value("content_filter"), Some("smtp-amavis:[127.0.0.1]:10024"));
        assert_eq!(m.value_for_service("pickup/unix", "content_filter"), Some(""));
        assert_eq!(m.value_for_service("relay/unix", "content_filter"), Some("smtp-amavis:[127.0.0.1]:10024"));
    }

    #[test]
    fn postconf_output_with_prompt() {
        let m = parse_main_cf(SEED_POSTCONF);
        assert_eq!(codes(&m), vec!["maincf.shell-command"]);
        assert_eq!(m.value("mail_version"), Some("2.11.0"));
        assert_eq!(m.expand("$milter_macro_v"), "$mail_name 2.11.0");
    }

    #[test]
    fn continuation_and_errors() {
        let text = "  orphan\nmydestination = a,\n  b\n\n# c\n\tc\nno equals here\n= v\nbad.name = x\n";
        let m = parse_main_cf(text);
        assert_eq!(m.value("mydestination"), Some("a,  b\tc"));
        let d = m.get("mydestination").map(|p| p.value_span.slice(text));
        assert_eq!(d, Some("a,\n  b\n\n# c\n\tc"));
        assert_eq!(
            codes(&m),
            vec!["maincf.orphan-continuation", "maincf.missing-equals", "maincf.missing-name", "maincf.bad-name"]
        );
        let fatal = m.diagnostics[1].params.get("postfix_fatal").cloned();
        assert_eq!(fatal.as_deref(), Some("FILE, line 7: missing '=' after attribute name: \"no equals here\""));
    }

    #[test]
    fn end_of_line_comment_is_part_of_the_value() {
        let m = parse_main_cf("smtp_tls_security_level = may # encrypt later\n");
        assert_eq!(m.value("smtp_tls_security_level"), Some("may # encrypt later"));
        assert_eq!(codes(&m), vec!["maincf.inline-comment"]);
    }

    #[test]
    fn override_is_reported_at_the_earlier_line() {
        let m = parse_main_cf("a = 1\nb=2\na=3\n");
        assert_eq!(m.value("a"), Some("3"));
        assert_eq!(m.params.len(), 3);
        let d = &m.diagnostics[0];
        assert_eq!(d.code, "maincf.overridden");
        assert_eq!(d.severity, Severity::Info);
        assert_eq!(d.span, Some(Span::new(0, 1)));
        assert_eq!(d.params.get("line").map(String::as_str), Some("3"));
    }

    #[test]
    fn indented_dash_o_after_a_parameter_is_master_text() {
        let text = "relayhost = [smtp.example]\n  -o smtp_tls_security_level=encrypt\n";
        let m = parse_main_cf(text);
        assert_eq!(m.value("relayhost"), Some("[smtp.example]"));
        let o = m.params.iter().find(|p| p.origin == ParamOrigin::MasterCfOverride);
        assert_eq!(
            o.map(|p| (p.name.as_str(), p.value.as_str(), p.line)),
            Some(("smtp_tls_security_level", "encrypt", 2))
        );
        assert_eq!(codes(&m), vec!["maincf.master-override"]);
    }

    #[test]
    fn postconf_p_style() {
        let m = parse_main_cf("relay/unix/smtp_tls_security_level = secure\n");
        assert_eq!(m.value_for_service("relay/unix", "smtp_tls_security_level"), Some("secure"));
        assert_eq!(m.params[0].name_span, Span::new(11, 34));
    }

    #[test]
    fn crlf_bom_nul() {
        let m = parse_main_cf("\u{feff}a = 1\r\nb = x\0y\r\n");
        assert_eq!(m.value("a"), Some("1"));
        assert_eq!(m.value("b"), Some("x"));
        assert_eq!(codes(&m), vec!["maincf.bom", "maincf.nul-byte"]);
        assert_eq!(m.params[0].name_span, Span::new(3, 4));
    }

    #[test]
    fn hostile() {
        let big = "x = ".to_string() + &"$x ".repeat(1_000_000);
        let m = parse_main_cf(&big);
        assert!(m.expand("$x").len() <= 2 * super::super::maincf_expand::EXPAND_LIMIT);
        let binary: String = (0u8..=255).map(char::from).cycle().take(100_000).collect();
        let _ = parse_main_cf(&binary);
        let _ = parse_main_cf(&"=\n".repeat(50_000));
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_fit(text in "(\\PC|[ \t\r\n#=$\\-o{}/\0]){0,200}") {
            let m = parse_main_cf(&text);
            for p in &m.params {
                prop_assert!(p.name_span.end <= text.len() && p.value_span.end <= text.len());
                prop_assert!(text.is_char_boundary(p.name_span.start) && text.is_char_boundary(p.name_span.end));
                prop_assert!(text.is_char_boundary(p.value_span.start) && text.is_char_boundary(p.value_span.end));
                let _ = m.expand(&p.value);
            }
            for d in &m.diagnostics {
                let s = d.span.unwrap_or_default();
                prop_assert!(s.start <= s.end && s.end <= text.len());
                prop_assert!(d.position.is_some() || d.span.is_none());
            }
        }
    }
}

//! One policy-table value, parsed exactly as `tls_policy_lookup_one()` does (spec §3).
//!
//! The value is split into tokens on commas and whitespace (from 3.10 with `{ … }` grouping),
//! the first token is the level, every other token is `name=value`. The first error makes the
//! whole entry invalid: Postfix then defers with "4.7.5 client TLS configuration problem" rather
//! than falling back to a weaker policy. Warning texts are Postfix's own, without the
//! `smtp_tls_policy_maps, next-hop destination "KEY": ` prefix (added by the caller, who knows the key).

use super::level::SecurityLevel;
use crate::diag::Span;
use crate::input::chars::{is_space, trim_space, trim_space_start};
use crate::version::PostfixVersion;
use std::borrow::Cow;
use serde::{Deserialize, Serialize};

/// A token of the value with its byte span relative to the start of the value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The token text (for `{ … }` tokens: the text inside the braces, stripped and with
    /// whitespace normalised, as `extpar()` leaves it).
    pub text: String,
    /// The token as written, including braces.
    pub raw: String,
    /// Where the token is in the value.
    pub span: Span,
}

/// An attribute Postfix knows (for the version at hand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeName {
    /// `ciphers=grade`
    Ciphers,
    /// `protocols=list`
    Protocols,
    /// `servername=name` (3.4)
    Servername,
    /// `match=…` (fingerprint, verify, secure)
    Match,
    /// `exclude=ciphers` (2.6)
    Exclude,
    /// `tafile=path` (2.11; verify and secure only)
    Tafile,
    /// `connection_reuse=yes|no` (3.4)
    ConnectionReuse,
    /// `enable_rpk=yes|no` (3.9)
    EnableRpk,
    /// `policy_ttl=seconds` (3.10, MTA-STS plugins)
    PolicyTtl,
    /// `policy_type=sts|no-policy-found` (3.10)
    PolicyType,
    /// `policy_domain=domain` (3.10)
    PolicyDomain,
    /// `policy_string=text` (3.10, repeatable)
    PolicyString,
    /// `mx_host_pattern=host|*.domain` (3.10, repeatable)
    MxHostPattern,
    /// `policy_failure=type` (3.10)
    PolicyFailure,
}

impl AttributeName {
    /// Case-insensitive lookup of an attribute name, limited to what `version` knows.
    pub fn lookup(name: &str, version: &PostfixVersion) -> Option<AttributeName> {
        use AttributeName::*;
        let attr = AttributeName::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(name))?;
        let known = match attr {
            Ciphers | Protocols | Match => true,
            Exclude => version.knows_exclude(),
            Tafile => version.knows_dane(),
            Servername | ConnectionReuse => version.knows_servername(),
            EnableRpk => version.knows_enable_rpk(),
            PolicyTtl | PolicyType | PolicyDomain | PolicyString | MxHostPattern | PolicyFailure => version.knows_sts_attributes(),
        };
        known.then_some(attr)
    }

    /// The attribute's name as Postfix documents it.
    pub fn name(self) -> &'static str {
        use AttributeName::*;
        match self {
            Ciphers => "ciphers",
            Protocols => "protocols",
            Servername => "servername",
            Match => "match",
            Exclude => "exclude",
            Tafile => "tafile",
            ConnectionReuse => "connection_reuse",
            EnableRpk => "enable_rpk",
            PolicyTtl => "policy_ttl",
            PolicyType => "policy_type",
            PolicyDomain => "policy_domain",
            PolicyString => "policy_string",
            MxHostPattern => "mx_host_pattern",
            PolicyFailure => "policy_failure",
        }
    }

    /// The first Postfix version that knows the attribute.
    pub fn since(self) -> &'static str {
        use AttributeName::*;
        match self {
            Ciphers | Protocols | Match => "2.3",
            Exclude => "2.6",
            Tafile => "2.11",
            Servername | ConnectionReuse => "3.4",
            EnableRpk => "3.9",
            PolicyTtl | PolicyType | PolicyDomain | PolicyString | MxHostPattern | PolicyFailure => "3.10",
        }
    }

    /// Every attribute name, for "did you mean" hints and linting.
    pub const ALL: [AttributeName; 14] = {
        use AttributeName::*;
        [
            Ciphers,
            Protocols,
            Servername,
            Match,
            Exclude,
            Tafile,
            ConnectionReuse,
            EnableRpk,
            PolicyTtl,
            PolicyType,
            PolicyDomain,
            PolicyString,
            MxHostPattern,
            PolicyFailure,
        ]
    };
}

/// One accepted `name=value` attribute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Which attribute.
    pub name: AttributeName,
    /// The name as written (case preserved).
    pub written_name: String,
    /// The value (after `=`, blanks trimmed).
    pub value: String,
    /// The whole token's span within the policy value.
    pub span: Span,
}

/// A `match` element with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchElement {
    /// The element text (a strategy keyword, a name, a `.domain` pattern or a digest).
    pub text: String,
    /// Its span within the policy value, when it came from the table.
    pub span: Option<Span>,
}

/// Why an entry was rejected, or what Postfix warned about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryWarning {
    /// Stable code for renderers (e.g. `policy.invalid-attribute-name`).
    pub code: String,
    /// Postfix's warning text after `smtp_tls_policy_maps, next-hop destination "KEY": `
    /// (or the complete text when `prefixed` is false).
    pub text: String,
    /// Whether Postfix prefixes the text with the table title and key (`WHERE`).
    pub prefixed: bool,
    /// The token it is about, within the value.
    pub span: Option<Span>,
    /// Whether it made the entry invalid (deferral) rather than being a mere warning.
    pub invalidates: bool,
    /// The values `text` mentions (attribute name, value, level, path…), for translated texts
    /// of a diagnostic made from this warning (`peername lint`); not serialized.
    #[serde(skip)]
    pub params: Vec<(String, String)>,
}

/// The MTA-STS / TLSRPT plugin attributes (3.10+).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StsAttributes {
    /// `policy_type`.
    pub policy_type: Option<String>,
    /// `policy_domain`.
    pub policy_domain: Option<String>,
    /// `policy_ttl`.
    pub policy_ttl: Option<String>,
    /// `policy_string` values.
    pub policy_strings: Vec<String>,
    /// `mx_host_pattern` values.
    pub mx_host_patterns: Vec<String>,
    /// `policy_failure`.
    pub policy_failure: Option<String>,
}

impl StsAttributes {
    /// Whether any attribute other than `policy_type` is set (they need `policy_type`).
    fn any_besides_type(&self) -> bool {
        self.policy_domain.is_some()
            || self.policy_ttl.is_some()
            || !self.policy_strings.is_empty()
            || !self.mx_host_patterns.is_empty()
            || self.policy_failure.is_some()
    }

    /// `policy_type=sts` (case-insensitive).
    pub fn is_sts(&self) -> bool {
        self.policy_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("sts"))
    }
}

/// A trust-anchor file named by `tafile=`, as the resolver loaded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustAnchorFile {
    /// The path as written.
    pub path: String,
    /// Number of PEM blocks (certificates or public keys) it holds.
    pub anchors: usize,
}

/// The parsed policy value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyEntry {
    /// Every token, in order.
    pub tokens: Vec<Token>,
    /// The level, when the first token names one.
    pub level: Option<SecurityLevel>,
    /// The accepted attributes, in order (parsing stops at the first invalid one).
    pub attributes: Vec<Attribute>,
    /// `ciphers`.
    pub ciphers: Option<String>,
    /// `protocols`.
    pub protocols: Option<String>,
    /// `servername`.
    pub servername: Option<String>,
    /// `exclude`.
    pub exclude: Option<String>,
    /// `match` elements split per level (`:` at verify/secure, `|` at fingerprint), or `None`.
    pub matches: Option<Vec<MatchElement>>,
    /// `tafile` files that loaded.
    pub tafiles: Vec<TrustAnchorFile>,
    /// `connection_reuse`.
    pub connection_reuse: Option<bool>,
    /// `enable_rpk`.
    pub enable_rpk: Option<bool>,
    /// MTA-STS attributes.
    pub sts: StsAttributes,
    /// The match list was replaced by `hostname` by STS MX-pattern enforcement (3.10.5+).
    pub sts_forced_hostname: bool,
    /// Postfix's warnings, in the order it logs them.
    pub warnings: Vec<EntryWarning>,
    /// False when Postfix marks the entry invalid (4.7.5 "client TLS configuration problem").
    pub valid: bool,
}

/// How `tafile=` paths are resolved: the caller knows which files the user supplied.
pub trait TrustAnchorSource {
    /// Loads `path`; `Err` carries Postfix's complete warning text (e.g.
    /// `error opening trust anchor file: PATH: No such file or directory`).
    fn load(&self, path: &str) -> Result<usize, String>;
}

/// Settings of main.cf that change how an entry is read.
#[derive(Clone, Copy, Debug)]
pub struct EntryContext<'a> {
    /// The Postfix version.
    pub version: &'a PostfixVersion,
    /// `smtp_tls_enforce_sts_mx_patterns` (3.10.5+, default yes).
    pub enforce_sts_mx_patterns: bool,
}

/// Whether `b` is one of Postfix's `CHARS_COMMA_SP` separators.
fn is_separator(b: u8) -> bool {
    matches!(b, b',' | b' ' | b'\t' | b'\r' | b'\n')
}

/// The spans of the tokens of `value`, split like `mystrtok` (≤3.9) or `mystrtokq` with `{}`
/// (3.10+).
pub fn token_spans(value: &str, braces: bool) -> Vec<Span> {
    token_span_iter(value, braces).collect()
}

/// [`token_spans`] one token at a time, without allocating.
fn token_span_iter(value: &str, braces: bool) -> impl Iterator<Item = Span> + '_ {
    let bytes = value.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && is_separator(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        let mut depth = 0usize;
        while i < bytes.len() {
            let c = bytes[i];
            if braces && c == b'{' {
                depth += 1;
            } else if braces && depth > 0 && c == b'}' {
                depth -= 1;
            } else if depth == 0 && is_separator(c) {
                break;
            }
            i += 1;
        }
        Some(Span::new(start, i))
    })
}

/// Splits `value` into [`Token`]s (see [`token_spans`]).
pub fn tokenize(value: &str, braces: bool) -> Vec<Token> {
    token_spans(value, braces)
        .into_iter()
        .map(|span| {
            let raw = span.slice(value).to_string();
            Token { text: raw.clone(), raw, span }
        })
        .collect()
}

/// `extpar(&tok, "{}", STRIP | NORMAL_WS)`: unwraps `{ … }`; returns the inner text and an
/// error message when the braces do not balance or text follows the closing brace.
fn extpar(token: &str) -> (String, Option<String>) {
    let bytes = token.as_bytes();
    let mut depth = 0usize;
    let mut close = None;
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'{' {
            depth += 1;
        } else if c == b'}' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                close = Some(i);
                break;
            }
        }
    }
    let (inner, err) = match close {
        None => (&token[1..], Some(format!("missing '}}' in \"{token}\""))),
        Some(end) => {
            let err = (end + 1 < token.len()).then(|| format!("syntax error after '}}' in \"{token}\""));
            (&token[1..end], err)
        }
    };
    // STRIP trims ISSPACE only (not Unicode spaces); NORMAL_WS turns \t \n \v \f \r into spaces.
    let normalised: String =
        trim_space(inner).chars().map(|c| if "\t\n\x0b\x0c\r".contains(c) { ' ' } else { c }).collect();
    (normalised, err)
}

/// `split_nameval()`: `name = value` with optional blanks (`ISSPACE`) around `=`.
fn split_nameval(text: &str) -> Result<(&str, &str), &'static str> {
    let t = trim_space_start(text);
    if t.is_empty() || t.starts_with('=') {
        return Err("missing attribute name");
    }
    let name_end = t.bytes().position(|b| is_space(b) || b == b'=').unwrap_or(t.len());
    let (name, rest) = t.split_at(name_end);
    let Some(value) = trim_space_start(rest).strip_prefix('=') else {
        return Err("missing '=' after attribute name");
    };
    Ok((name, trim_space(value)))
}

/// Where `part` starts in `whole`, when `part` is a slice of `whole`.
fn subslice_offset(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

/// `valid_hostname()` as used for `servername` and `policy_domain`.
fn valid_hostname(name: &str) -> bool {
    crate::input::hostname::valid_hostname(name)
}

/// Parses one policy value for `ctx.version`.
pub fn parse_entry(value: &str, ctx: &EntryContext<'_>, anchors: &dyn TrustAnchorSource) -> PolicyEntry {
    let entry = parse_value(value, ctx, anchors, true);
    PolicyEntry { tokens: tokenize(value, ctx.version.has_brace_grouping()), ..entry }
}

/// [`parse_entry`] without recording the token and attribute lists (for the linter's
/// million-line tables: level, typed attributes, match list, warnings and validity are kept).
pub fn parse_entry_lean(value: &str, ctx: &EntryContext<'_>, anchors: &dyn TrustAnchorSource) -> PolicyEntry {
    parse_value(value, ctx, anchors, false)
}

/// The body of [`parse_entry`]; `record` keeps the list of accepted attributes.
fn parse_value(value: &str, ctx: &EntryContext<'_>, anchors: &dyn TrustAnchorSource, record: bool) -> PolicyEntry {
    let entry = PolicyEntry { valid: true, ..PolicyEntry::default() };
    let mut tokens = token_span_iter(value, ctx.version.has_brace_grouping()).map(|span| (span.slice(value), span));
    parse_tokens(entry, &mut tokens, ctx, anchors, record)
}

/// The body of [`parse_entry`] over already split tokens.
fn parse_tokens<'t>(
    mut entry: PolicyEntry,
    tokens: &mut impl Iterator<Item = (&'t str, Span)>,
    ctx: &EntryContext<'_>,
    anchors: &dyn TrustAnchorSource,
    record: bool,
) -> PolicyEntry {
    let Some((first, first_span)) = tokens.next() else {
        invalid(&mut entry, "policy.empty", "invalid empty policy".to_string(), None, &[]);
        return entry;
    };
    let Some(level) = SecurityLevel::lookup(first) else {
        let text = format!("invalid security level \"{first}\"");
        invalid(&mut entry, "policy.invalid-level", text, Some(first_span), &[("level", first)]);
        return entry;
    };
    entry.level = Some(level);

    if level < SecurityLevel::May {
        for (raw, span) in tokens.by_ref() {
            entry.warnings.push(EntryWarning {
                code: "policy.ignored-with-tls-disabled".into(),
                text: format!("ignoring attribute \"{raw}\" with TLS disabled"),
                prefixed: true,
                span: Some(span),
                invalidates: false,
                params: vec![("attribute".into(), raw.to_string()), ("level".into(), level.name().to_string())],
            });
        }
        return entry;
    }

    for (raw, span) in tokens.by_ref() {
        if !parse_attribute(&mut entry, level, raw, span, ctx, anchors, record) {
            return entry;
        }
    }

    if entry.sts.policy_type.is_none() && entry.sts.any_besides_type() {
        invalid(
            &mut entry,
            "policy.sts-attribute-without-type",
            "built-in policy has unexpected attribute policy_ttl, policy_domain, policy_string, mx_host_pattern or policy_failure"
                .to_string(),
            None,
            &[],
        );
        return entry;
    }
    if ctx.version.has_sts_mx_pattern_enforcement()
        && ctx.enforce_sts_mx_patterns
        && entry.sts.is_sts()
        && entry.matches.is_some()
        && !entry.sts.mx_host_patterns.is_empty()
    {
        entry.matches = Some(vec![MatchElement { text: "hostname".into(), span: None }]);
        entry.sts_forced_hostname = true;
    }
    entry
}

/// Records an invalidating warning; `params` are the values `text` mentions.
fn invalid(entry: &mut PolicyEntry, code: &str, text: String, span: Option<Span>, params: &[(&str, &str)]) {
    let params = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    entry.warnings.push(EntryWarning { code: code.into(), text, prefixed: true, span, invalidates: true, params });
    entry.valid = false;
}

/// Handles one attribute token; returns false when the entry became invalid (parsing stops).
fn parse_attribute(
    entry: &mut PolicyEntry,
    level: SecurityLevel,
    raw: &str,
    tok_span: Span,
    ctx: &EntryContext<'_>,
    anchors: &dyn TrustAnchorSource,
    record: bool,
) -> bool {
    let span = Some(tok_span);
    let (text, brace_error) = if ctx.version.has_brace_grouping() && raw.starts_with('{') {
        let (inner, err) = extpar(raw);
        (Cow::Owned(inner), err)
    } else {
        (Cow::Borrowed(raw), None)
    };
    let split = match brace_error {
        Some(err) => Err(err),
        None => split_nameval(&text).map_err(str::to_string),
    };
    let (name, val) = match split {
        Ok(nv) => nv,
        Err(err) => {
            let msg = format!("malformed attribute/value pair \"{text}\": {err}");
            invalid(entry, "policy.malformed-attribute", msg, span, &[("text", &text), ("error", &err)]);
            return false;
        }
    };
    let Some(attr) = AttributeName::lookup(name, ctx.version) else {
        invalid(entry, "policy.invalid-attribute-name", format!("invalid attribute name: \"{name}\""), span, &[("name", name)]);
        return false;
    };
    let fail = |entry: &mut PolicyEntry, code: &str, msg: String| {
        invalid(entry, code, msg, span, &[("name", name), ("value", val), ("level", level.name())]);
        false
    };
    let multiple = |entry: &mut PolicyEntry| {
        fail(entry, "policy.attribute-repeated", format!("attribute \"{name}\" is specified multiple times"))
    };
    let empty = |entry: &mut PolicyEntry| fail(entry, "policy.attribute-empty", format!("attribute \"{name}\" has empty value"));
    let bad_level = |entry: &mut PolicyEntry| {
        fail(
            entry,
            "policy.attribute-invalid-at-level",
            format!("attribute \"{name}\" invalid at security level \"{}\"", level.name()),
        )
    };
    let unexpected = |entry: &mut PolicyEntry| {
        fail(entry, "policy.attribute-unexpected-value", format!("attribute \"{name}\" has an unexpected value: \"{val}\""))
    };
    let malformed = |entry: &mut PolicyEntry| {
        fail(entry, "policy.attribute-malformed-value", format!("attribute \"{name}\" has a malformed value: \"{val}\""))
    };
    let yes_no = |v: &str| -> Option<bool> {
        if v.eq_ignore_ascii_case("yes") {
            Some(true)
        } else if v.eq_ignore_ascii_case("no") {
            Some(false)
        } else {
            None
        }
    };

    use AttributeName::*;
    match attr {
        Ciphers => {
            if val.is_empty() {
                return empty(entry);
            }
            if entry.ciphers.is_some() {
                return multiple(entry);
            }
            entry.ciphers = Some(val.to_string());
        }
        Protocols => {
            if entry.protocols.is_some() {
                return multiple(entry);
            }
            entry.protocols = Some(val.to_string());
        }
        Servername => {
            if entry.servername.is_some() {
                return multiple(entry);
            }
            if !valid_hostname(&val) {
                return fail(entry, "policy.servername-invalid", format!("\"{name}={val}\" specifies an invalid hostname"));
            }
            entry.servername = Some(val.to_string());
        }
        Match => {
            if val.is_empty() {
                return empty(entry);
            }
            let sep = match level {
                SecurityLevel::Fingerprint => '|',
                SecurityLevel::Verify | SecurityLevel::Secure => ':',
                _ => return bad_level(entry),
            };
            // Where the value starts in the token: `val` is a slice of `raw` unless braces were
            // unwrapped (searching for its text instead could find it inside the name:
            // `match=a` has an "a" in "match").
            let value_offset = subslice_offset(raw, val).or_else(|| raw.find(val)).map(|o| tok_span.start + o);
            let list = entry.matches.get_or_insert_with(Vec::new);
            let mut offset = 0;
            for piece in val.split(sep) {
                if !piece.is_empty() {
                    let span = value_offset.map(|s| Span::new(s + offset, s + offset + piece.len()));
                    list.push(MatchElement { text: piece.to_string(), span });
                }
                offset += piece.len() + 1;
            }
        }
        Exclude => {
            if entry.exclude.is_some() {
                return multiple(entry);
            }
            entry.exclude = Some(val.to_string());
        }
        Tafile => {
            if !level.must_pkix() {
                return bad_level(entry);
            }
            if val.is_empty() {
                return empty(entry);
            }
            match anchors.load(&val) {
                Ok(count) => entry.tafiles.push(TrustAnchorFile { path: val.to_string(), anchors: count }),
                Err(text) => {
                    let prefix = format!("error opening trust anchor file: {val}: ");
                    let error = text.strip_prefix(&prefix).unwrap_or(&text).to_string();
                    entry.warnings.push(EntryWarning {
                        code: "policy.tafile-unreadable".into(),
                        text,
                        prefixed: false,
                        span,
                        invalidates: true,
                        params: vec![("path".into(), val.to_string()), ("error".into(), error)],
                    });
                    entry.valid = false;
                    return false;
                }
            }
        }
        ConnectionReuse | EnableRpk => {
            let Some(flag) = yes_no(&val) else {
                return fail(entry, "policy.attribute-bad-value", format!("attribute \"{name}\" has bad value: \"{val}\""));
            };
            if attr == ConnectionReuse {
                entry.connection_reuse = Some(flag);
            } else {
                entry.enable_rpk = Some(flag);
            }
        }
        PolicyTtl => {
            if entry.sts.policy_ttl.is_some() {
                return multiple(entry);
            }
            if val.is_empty() || !val.bytes().all(|b| b.is_ascii_digit()) || val.parse::<i64>().is_err() {
                return malformed(entry);
            }
            entry.sts.policy_ttl = Some(val.to_string());
        }
        PolicyType => {
            if entry.sts.policy_type.is_some() {
                return multiple(entry);
            }
            if !["sts", "no-policy-found"].iter().any(|t| t.eq_ignore_ascii_case(&val)) {
                return unexpected(entry);
            }
            entry.sts.policy_type = Some(val.to_string());
        }
        PolicyDomain => {
            if entry.sts.policy_domain.is_some() {
                return multiple(entry);
            }
            if !valid_hostname(&val) {
                return malformed(entry);
            }
            entry.sts.policy_domain = Some(val.to_string());
        }
        PolicyString => entry.sts.policy_strings.push(val.to_string()),
        MxHostPattern => entry.sts.mx_host_patterns.push(val.to_string()),
        PolicyFailure => {
            if entry.sts.policy_failure.is_some() {
                return multiple(entry);
            }
            let known = ["sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid", "validation-failure"];
            if !known.iter().any(|t| t.eq_ignore_ascii_case(&val)) {
                return unexpected(entry);
            }
            entry.sts.policy_failure = Some(val.to_string());
        }
    }
    if record {
        entry.attributes.push(Attribute { name: attr, written_name: name.to_string(), value: val.to_string(), span: tok_span });
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFiles;
    impl TrustAnchorSource for NoFiles {
        fn load(&self, path: &str) -> Result<usize, String> {
            Err(format!("error opening trust anchor file: {path}: No such file or directory"))
        }
    }

    fn parse(value: &str, version: &str) -> PolicyEntry {
        let v = PostfixVersion::parse(version).unwrap();
        parse_entry(value, &EntryContext { version: &v, enforce_sts_mx_patterns: true }, &NoFiles)
    }

    fn first_warning(e: &PolicyEntry) -> &str {
        e.warnings.first().map(|w| w.text.as_str()).unwrap_or("")
    }

    #[test]
    fn match_elements_point_at_their_own_text() {
        // The value "at" also occurs in the attribute's name: the span must cover the value's own.
        for (value, starts) in [("secure match=at", vec![13]), ("secure match=at:t:.example.com", vec![13, 16, 18])] {
            let e = parse(value, "3.11.6");
            let found: Vec<usize> = e.matches.iter().flatten().map(|m| m.span.unwrap().start).collect();
            assert_eq!(found, starts, "{value}");
        }
        // Inside braces (3.7+) the value is found in the token's text.
        let braced = "secure { match = a:b }";
        let e = parse(braced, "3.11.6");
        let spans: Vec<&str> = e.matches.iter().flatten().map(|m| m.span.unwrap().slice(braced)).collect();
        assert_eq!(spans.len(), 2);
    }

    #[test]
    fn seed_entry_is_secure_with_high_ciphers() {
        let e = parse("secure ciphers=high", "2.11");
        assert!(e.valid);
        assert_eq!(e.level, Some(SecurityLevel::Secure));
        assert_eq!(e.ciphers.as_deref(), Some("high"));
        assert!(e.matches.is_none());
    }

    #[test]
    fn match_splits_on_colon_and_appends() {
        let e = parse("secure match=fastmail.fm:.messagingengine.com,match=nexthop", "3.7.11");
        let m: Vec<_> = e.matches.unwrap().into_iter().map(|m| m.text).collect();
        assert_eq!(m, ["fastmail.fm", ".messagingengine.com", "nexthop"]);
    }

    #[test]
    fn match_spans_point_at_each_element() {
        let value = "secure match=a.example::.b.example";
        let e = parse(value, "3.7.11");
        let m = e.matches.unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].span.unwrap().slice(value), ".b.example");
    }

    #[test]
    fn fingerprint_match_splits_on_bar() {
        let e = parse("fingerprint match=AA:BB|CC:DD", "3.7.11");
        assert_eq!(e.matches.unwrap().len(), 2);
    }

    #[test]
    fn match_at_may_is_invalid() {
        let e = parse("may match=hostname", "3.7.11");
        assert!(!e.valid);
        assert_eq!(first_warning(&e), "attribute \"match\" invalid at security level \"may\"");
    }

    #[test]
    fn unknown_level_and_empty_policy() {
        assert_eq!(first_warning(&parse("secur", "3.7.11")), "invalid security level \"secur\"");
        assert_eq!(first_warning(&parse("  ,  ", "3.7.11")), "invalid empty policy");
        assert_eq!(first_warning(&parse("halfdane", "3.7.11")), "invalid security level \"halfdane\"");
    }

    #[test]
    fn spaces_around_equals_split_tokens_before_3_10() {
        let e = parse("secure match = hostname", "3.7.11");
        assert_eq!(first_warning(&e), "malformed attribute/value pair \"match\": missing '=' after attribute name");
    }

    #[test]
    fn braces_group_from_3_10_only() {
        let e = parse("secure { match = hostname }", "3.11.6");
        assert!(e.valid, "{:?}", e.warnings);
        assert_eq!(e.matches.unwrap()[0].text, "hostname");
        let old = parse("secure { match = hostname }", "3.7.11");
        assert!(!old.valid);
        assert_eq!(first_warning(&old), "malformed attribute/value pair \"{\": missing '=' after attribute name");
        let unbalanced = parse("secure {match=x", "3.11.6");
        assert_eq!(first_warning(&unbalanced), "malformed attribute/value pair \"match=x\": missing '}' in \"{match=x\"");
    }

    #[test]
    fn none_ignores_everything_with_warnings() {
        let e = parse("none match=x garbage", "3.7.11");
        assert!(e.valid);
        assert_eq!(e.warnings.len(), 2);
        assert_eq!(e.warnings[1].text, "ignoring attribute \"garbage\" with TLS disabled");
    }

    #[test]
    fn repeated_and_empty_attributes() {
        assert_eq!(first_warning(&parse("encrypt ciphers=high ciphers=medium", "3.7.11")), "attribute \"ciphers\" is specified multiple times");
        assert_eq!(first_warning(&parse("encrypt ciphers=", "3.7.11")), "attribute \"ciphers\" has empty value");
        assert!(parse("encrypt protocols=", "3.7.11").valid);
    }

    #[test]
    fn attributes_unknown_to_the_version() {
        assert_eq!(first_warning(&parse("secure servername=hostname", "3.3.0")), "invalid attribute name: \"servername\"");
        assert!(parse("secure servername=hostname", "3.4.0").valid);
        assert_eq!(first_warning(&parse("may policy_type=sts", "3.7.11")), "invalid attribute name: \"policy_type\"");
    }

    #[test]
    fn sts_attributes_need_policy_type() {
        let e = parse("may policy_domain=example.com", "3.11.6");
        assert!(e.warnings[0].text.starts_with("built-in policy has unexpected attribute"));
        let bad = parse("may policy_type=testing", "3.11.6");
        assert_eq!(first_warning(&bad), "attribute \"policy_type\" has an unexpected value: \"testing\"");
    }

    #[test]
    fn sts_enforcement_replaces_match_with_hostname() {
        let line = "secure match=.mx.example.com policy_type=sts mx_host_pattern=*.mx.example.com";
        let e = parse(line, "3.11.6");
        assert!(e.sts_forced_hostname);
        assert_eq!(e.matches.unwrap()[0].text, "hostname");
        let v = PostfixVersion::parse("3.11.6").unwrap();
        let off = parse_entry(line, &EntryContext { version: &v, enforce_sts_mx_patterns: false }, &NoFiles);
        assert!(!off.sts_forced_hostname);
    }

    #[test]
    fn tafile_only_at_verify_and_secure_and_must_load() {
        assert_eq!(first_warning(&parse("encrypt tafile=/x.pem", "3.7.11")), "attribute \"tafile\" invalid at security level \"encrypt\"");
        let e = parse("secure tafile=/nonexistent/ta.pem", "3.7.11");
        assert!(!e.valid);
        assert!(!e.warnings[0].prefixed);
    }

    #[test]
    fn tokenizer_keeps_brace_groups_together() {
        let toks: Vec<_> = tokenize("a {b c} d{e f}g,h", true).into_iter().map(|t| t.raw).collect();
        assert_eq!(toks, ["a", "{b c}", "d{e f}g", "h"]);
        let plain: Vec<_> = tokenize("a {b c}", false).into_iter().map(|t| t.raw).collect();
        assert_eq!(plain, ["a", "{b", "c}"]);
    }
}

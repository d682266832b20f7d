//! `posttls-finger` (spec §9): one connection to the first MX host (or the bracketed host),
//! at the `-l` level, with match arguments or compiled-in defaults, no policy table, and
//! trust only in what `-F` / `-P` names.

use crate::cert::fingerprint::DigestAlg;
use crate::cert::Certificate;
use crate::config::Settings;
use crate::dane::legacy::LookupLine;
use crate::dane::setup::{parse_rrset, DaneSetup};
use crate::dns::{AddressAnswer, Dns, MxAnswer, TlsaAnswer};
use crate::logs::{LogLevel, LogLine, TlsLogMask, Verbosity};
use crate::names::reference::{expand, ExpansionContext, ReferenceId};
use crate::nexthop::parse_destination;
use crate::policy::level::SecurityLevel;
use crate::tls::session::{connect, Connection, ConnectionRequest, Handshake, ServerBehaviour, TrustWord};
use crate::tls::verify::TrustBasis;
use crate::version::{Era, PostfixVersion};
use serde::{Deserialize, Serialize};

/// What posttls-finger printed and what smtp(8) would have done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerRun {
    /// The level asked for.
    pub level: Option<SecurityLevel>,
    /// Match arguments in force.
    pub matches: Vec<String>,
    /// Whether they are posttls-finger's compiled-in defaults.
    pub default_matches: bool,
    /// Digest in force.
    pub digest: DigestAlg,
    /// Reference identifiers.
    pub references: Vec<ReferenceId>,
    /// The connection, if one was made.
    pub connection: Option<Connection>,
    /// Warnings (complete texts).
    pub warnings: Vec<String>,
    /// Errors and fatal lines, as printed (`fatal: …`, `SSL_connect error …`).
    pub errors: Vec<String>,
    /// The documented mapping to smtp(8)'s decision (not applicable at the DANE levels).
    pub smtp_client_equivalent: String,
    /// The generic mapping, also at the DANE levels.
    pub generic_equivalent: String,
    /// Everything posttls-finger prints, in order (with `-c`: no SMTP chat).
    #[serde(default)]
    pub log: Vec<LogLine>,
    /// The TLS log mask of `-L`: which of the lines in `log` posttls-finger really prints
    /// (without `summary` no "TLS connection established" line, without `certmatch` no
    /// match lines).
    #[serde(default = "TlsLogMask::finger_default")]
    pub log_mask: TlsLogMask,
}

/// The value of option `flag` (e.g. `-d`) among `args`, as written: getopt() reads them in
/// order, so the last one given wins.
fn option_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.windows(2).rev().find(|w| w[0] == flag).map(|w| w[1].as_str())
}

/// posttls-finger's `-d`: the digest option among `args`, as written.
fn digest_arg(args: &[String]) -> Option<&str> {
    option_value(args, "-d")
}

/// What smtp(8) would do with a posttls-finger verdict: the values of
/// [`FingerRun::smtp_client_equivalent`] (whose English text is the oracle's field, so it stays
/// as it is), with a keyword for translated words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Equivalent {
    /// `deliver`.
    Deliver,
    /// `deliver (plaintext)`.
    DeliverPlaintext,
    /// `defer: no TLS session but level LEVEL requires TLS`.
    DeferNoTls(String),
    /// `defer: Server certificate not verified`.
    DeferNotVerified,
    /// posttls-finger failed before any TLS verdict.
    NaFailed,
    /// Level fingerprint without digests.
    NaNoDigests,
    /// Levels dane and dane-only, where the two programs differ.
    NaDane,
}

impl Equivalent {
    /// One of every kind (`DeferNoTls` at `secure`): for tests that cover them all.
    pub fn one_of_each() -> Vec<Equivalent> {
        vec![
            Equivalent::Deliver,
            Equivalent::DeliverPlaintext,
            Equivalent::DeferNoTls("secure".into()),
            Equivalent::DeferNotVerified,
            Equivalent::NaFailed,
            Equivalent::NaNoDigests,
            Equivalent::NaDane,
        ]
    }

    /// The English text (the oracle's `smtp_client_equivalent`).
    pub fn text(&self) -> String {
        match self {
            Equivalent::Deliver => "deliver".into(),
            Equivalent::DeliverPlaintext => "deliver (plaintext)".into(),
            Equivalent::DeferNoTls(level) => format!("defer: no TLS session but level {level} requires TLS"),
            Equivalent::DeferNotVerified => "defer: Server certificate not verified".into(),
            Equivalent::NaFailed => "n/a: posttls-finger failed before any TLS verdict".into(),
            Equivalent::NaNoDigests => "n/a: without digests posttls-finger checks only the CA chain; smtp(8) would use smtp_tls_fingerprint_cert_match (empty: invalid policy)".into(),
            Equivalent::NaDane => "n/a: at dane/dane-only posttls-finger falls back to 'secure' when there are no usable secure TLSA records and logs half-dane (insecure MX) matches as Trusted, while smtp(8) falls back to may/encrypt or defers; the policy twin is the smtp(8) verdict".into(),
        }
    }

    /// A keyword for catalogue texts (`deliver`, `deliver-plaintext`, `defer-no-tls`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Equivalent::Deliver => "deliver",
            Equivalent::DeliverPlaintext => "deliver-plaintext",
            Equivalent::DeferNoTls(_) => "defer-no-tls",
            Equivalent::DeferNotVerified => "defer-not-verified",
            Equivalent::NaFailed => "na-failed",
            Equivalent::NaNoDigests => "na-no-digests",
            Equivalent::NaDane => "na-dane",
        }
    }

    /// The level a `defer-no-tls` names ("" for the others).
    pub fn level(&self) -> &str {
        match self {
            Equivalent::DeferNoTls(level) => level,
            _ => "",
        }
    }

    /// The value whose [`Equivalent::text`] is `text`, if any.
    pub fn of(text: &str) -> Option<Equivalent> {
        if let Some(level) = text.strip_prefix("defer: no TLS session but level ").and_then(|t| t.strip_suffix(" requires TLS")) {
            return Some(Equivalent::DeferNoTls(level.to_string()));
        }
        [
            Equivalent::Deliver,
            Equivalent::DeliverPlaintext,
            Equivalent::DeferNotVerified,
            Equivalent::NaFailed,
            Equivalent::NaNoDigests,
            Equivalent::NaDane,
        ]
        .into_iter()
        .find(|e| e.text() == text)
    }
}

/// The documented mapping from a posttls-finger verdict to what smtp(8) would do.
pub fn smtp_client_equivalent(level: &str, matches: &[String], trust: Option<TrustWord>, errors: &[String]) -> String {
    equivalent(level, matches, trust, errors).text()
}

fn equivalent(level: &str, matches: &[String], trust: Option<TrustWord>, errors: &[String]) -> Equivalent {
    if errors.iter().any(|e| e.starts_with("fatal:") || e.starts_with("panic:")) {
        return Equivalent::NaFailed;
    }
    if level == "fingerprint" && matches.is_empty() {
        return Equivalent::NaNoDigests;
    }
    let Some(trust) = trust else {
        return if level == "none" || level == "may" { Equivalent::DeliverPlaintext } else { Equivalent::DeferNoTls(level.to_string()) };
    };
    let must_match = ["fingerprint", "verify", "secure", "dane", "dane-only"].contains(&level);
    if must_match && trust != TrustWord::Verified {
        Equivalent::DeferNotVerified
    } else {
        Equivalent::Deliver
    }
}

/// posttls-finger's `-L` (default `routine,certmatch`), as the TLS library parses it.
fn log_mask_arg(version: &PostfixVersion, args: &[String]) -> TlsLogMask {
    option_value(args, "-L").map(|v| TlsLogMask::parse(v, version.knows_dane_log_keyword())).unwrap_or_else(TlsLogMask::finger_default)
}

/// posttls-finger's program name, as every line it prints starts.
const PROGRAM: &str = "posttls-finger";

impl FingerRun {
    fn info(&mut self, verbosity: Verbosity, text: String) {
        self.log.push(LogLine::new(PROGRAM, LogLevel::Info, verbosity, text));
    }

    fn warn(&mut self, text: String) {
        self.log.push(LogLine::new(PROGRAM, LogLevel::Warning, Verbosity::Always, text.clone()));
        self.warnings.push(format!("warning: {text}"));
    }

    fn fatal(&mut self, text: String) {
        self.log.push(LogLine::new(PROGRAM, LogLevel::Fatal, Verbosity::Always, text.clone()));
        self.errors.push(format!("fatal: {text}"));
    }
}

/// `domain_addr()` / `host_addr()`: a non-ASCII name is looked up by its A-label form, and
/// posttls-finger says so.
fn asciify(out: &mut FingerRun, name: &str) {
    if !name.is_ascii() {
        if let Some(ascii) = crate::names::idna::to_ascii(name) {
            out.info(Verbosity::Always, format!("{name} asciified to {ascii}"));
        }
    }
}

/// The addresses posttls-finger tries, in order: every address of every MX host (by
/// preference), or of the host itself. `None` when the lookup failed.
fn candidates(dest_host: &str, mx_lookup: bool, dns: &Dns, out: &mut FingerRun) -> Option<Vec<(String, String)>> {
    let addresses_of = |host: &str| -> Vec<(String, String)> {
        match dns.address_lookup(host) {
            AddressAnswer::Addresses { addresses } => addresses.into_iter().map(|a| (host.to_string(), a)).collect(),
            AddressAnswer::Unknown => vec![(host.to_string(), "?".into())],
            AddressAnswer::NxDomain => Vec::new(),
        }
    };
    asciify(out, dest_host);
    let list: Vec<(String, String)> = if mx_lookup {
        match dns.mx_lookup(dest_host) {
            MxAnswer::Records { records, .. } => records.iter().flat_map(|r| addresses_of(&r.host)).collect(),
            MxAnswer::NoRecords => {
                // No MX: host_addr() on the domain itself (which asciifies it once more).
                asciify(out, dest_host);
                addresses_of(dest_host)
            }
            MxAnswer::NxDomain => Vec::new(),
        }
    } else {
        addresses_of(dest_host)
    };
    (!list.is_empty()).then_some(list)
}

/// Runs posttls-finger.
#[allow(clippy::too_many_arguments)]
pub fn run(
    version: &PostfixVersion,
    settings: &Settings,
    destination: &str,
    level_arg: &str,
    match_args: &[String],
    args: &[String],
    dns: &Dns,
    trust: &TrustBasis,
    chain_for: &dyn Fn(&str, &str) -> Vec<Certificate>,
    behaviour_for: &dyn Fn(&str) -> ServerBehaviour,
    at: Option<i64>,
) -> FingerRun {
    let level = SecurityLevel::lookup(level_arg);
    let digest_name = digest_arg(args).unwrap_or_else(|| {
        if version.era() == Era::Legacy {
            "sha1"
        } else {
            settings.get("smtp_tls_fingerprint_digest")
        }
    });
    let digest = DigestAlg::parse(digest_name).unwrap_or(DigestAlg::Sha256);
    let log_mask = log_mask_arg(version, args);
    let mut out = FingerRun {
        level,
        matches: match_args.to_vec(),
        default_matches: false,
        digest,
        references: Vec::new(),
        connection: None,
        warnings: Vec::new(),
        errors: Vec::new(),
        smtp_client_equivalent: String::new(),
        generic_equivalent: String::new(),
        log: Vec::new(),
        log_mask,
    };
    // tls_log_mask() on -L ignores what it does not know, with a warning each time the value
    // is read: three times from 3.6, twice up to 3.5 (recorded from Postfix 3.7.11, 3.11.6 and
    // 3.5.27).
    if let Some(value) = option_value(args, "-L") {
        let unknown: Vec<&str> = value.split(|c: char| c == ',' || c.is_ascii_whitespace()).filter(|t| !t.is_empty() && !TlsLogMask::knows(t, version.knows_dane_log_keyword())).collect();
        let reads = if version.era() == Era::Legacy { 2 } else { 3 };
        for _ in 0..reads {
            for word in &unknown {
                out.warn(format!("unknown -L option value \"{word}\" in \"{value}\""));
            }
        }
    }
    // parse_options(): -M is checked as it is read, the level after all options.
    if let Some(w) = args.windows(2).find(|w| w[0] == "-M") {
        if !matches!(SecurityLevel::lookup(&w[1]), Some(SecurityLevel::May | SecurityLevel::Encrypt | SecurityLevel::Dane)) {
            out.fatal(format!("bad '-M' option value: {}", w[1]));
            conclude(&mut out, level_arg, match_args, None);
            return out;
        }
    }
    let Some(level) = level else {
        out.fatal(format!("Invalid TLS level \"{level_arg}\""));
        conclude(&mut out, level_arg, match_args, None);
        return out;
    };
    // parse_match(): only the name-checking levels take match arguments (and say so since 3.5).
    let takes_matches = level.dane_based() || level.must_pkix() || level == SecurityLevel::Fingerprint;
    if !takes_matches && !match_args.is_empty() && version.finger_parses_dane_match_args() {
        out.warn(format!("TLS level '{}' does not implement certificate matching", level.name()));
    }
    // tls_init(): the TLS engine checks the digest first.
    let tls_disabled = level != SecurityLevel::None
        && match crate::tls::session::tls_disabled_at_start(digest_name) {
            Some(warnings) => {
                warnings.into_iter().for_each(|w| out.warn(w));
                true
            }
            None => false,
        };
    // connect_remote() → parse_destination().
    let dest = match parse_destination(destination, settings.flag("smtputf8_enable")) {
        Ok(d) => d,
        Err(fatal) => {
            out.fatal(fatal);
            conclude(&mut out, level_arg, match_args, None);
            return out;
        }
    };
    if level.dane_based() && !version.finger_parses_dane_match_args() {
        // Before 3.5 the DANE levels' fallback to "secure" matched these two, whatever was asked.
        out.default_matches = true;
        out.matches = vec!["nexthop".into(), "hostname".into()];
    } else if match_args.is_empty() {
        out.default_matches = true;
        out.matches = match level {
            SecurityLevel::Secure | SecurityLevel::Dane | SecurityLevel::DaneOnly => vec!["nexthop".into(), "dot-nexthop".into()],
            SecurityLevel::Verify => vec!["hostname".into()],
            _ => Vec::new(),
        };
    }
    let Some(candidates) = candidates(&dest.host, dest.mx_lookup, dns, &mut out) else {
        conclude(&mut out, level_arg, match_args, None);
        return out;
    };
    let openssl = version.era() != Era::Legacy;
    // parse_match() made a list of names for these requested levels; ≤3.5 checks (and logs)
    // them after any handshake, also at the level a DANE host fell back to.
    let requested_names = level.must_pkix() || level.dane_based();
    let mx_rrset = dest.mx_lookup && matches!(dns.mx_lookup(&dest.host), MxAnswer::Records { .. });
    let mx = mx_rrset.then(|| (dest.host.as_str(), dns.secure(&dest.host, "MX")));
    // The address loop: a TLSA lookup failure moves on to the next address.
    let mut lookups: Vec<String> = Vec::new();
    let mut chosen = None;
    for (host, address) in candidates {
        let first_lookup = !lookups.contains(&host);
        match dane_host_level(version, level, args, log_mask, &host, dest.port_number(), mx, dns, first_lookup, &mut out) {
            Some(decided) => {
                chosen = Some((host, address, decided));
                break;
            }
            None => {
                let line = version.finger_failure_line(destination, &host, dest.port_number(), &format!("TLSA lookup error for {host}:{}", dest.port_number()));
                out.info(Verbosity::Always, line.clone());
                out.errors.push(line);
                lookups.push(host);
            }
        }
    }
    let Some((host, address, (level, dane))) = chosen else {
        conclude(&mut out, level_arg, match_args, None);
        return out;
    };
    let names: &[String] = match &dane {
        Some(setup) => &setup.match_names,
        None => &out.matches,
    };
    if level.must_pkix() || dane.is_some() || (!openssl && requested_names) {
        out.references = expand(names, &ExpansionContext { nexthop: &dest.host, hostname: &host, openssl });
    }
    let served = chain_for(&host, &address);
    let behaviour = behaviour_for(&host);
    let fingerprints = (level == SecurityLevel::Fingerprint && !out.matches.is_empty()).then_some(out.matches.as_slice());
    let conn = connect(&ConnectionRequest {
        version,
        program: PROGRAM,
        level,
        host: &host,
        address: &address,
        port: dest.port_number(),
        server: &behaviour,
        served: &served,
        trust,
        at,
        max_depth: settings.get("smtp_tls_scert_verifydepth").parse().unwrap_or(9),
        refs: &out.references,
        multi_label: settings.flag("tls_wildcard_matches_multiple_labels"),
        fingerprints,
        match_digest: digest,
        log_digest: digest,
        trust_anchors: None,
        cipher_grade: option_value(args, "-g").unwrap_or("medium"),
        // posttls-finger excludes aNULL where names are matched, else eNULL.
        cipher_exclusions: if level.must_match() { "aNULL" } else { "eNULL" },
        protocols: finger_protocols(version, args),
        external_failure: None,
        dane: dane.as_ref(),
        log_mask,
        tls_disabled,
        // posttls-finger does its own handshake; only smtp(8) uses tlsproxy(8).
        missing_tlsproxy: None,
        // posttls-finger's -w (SMTPS) is not modelled.
        wrappermode: false,
    });
    out.warnings.extend(conn.warnings.iter().map(|w| format!("warning: {w}")));
    out.errors.extend(conn.errors.iter().cloned());
    out.log.extend(conn.log.iter().cloned());
    // starttls(), first pass: after the handshake (and its summary line) and the EHLO.
    if conn.handshake == Handshake::Established && !conn.flags.present {
        out.info(Verbosity::Always, "Server is anonymous".into());
    }
    conclude(&mut out, level_arg, match_args, conn.trust);
    out.connection = Some(conn);
    out
}

/// posttls-finger's `-p` protocol list (default `>=TLSv1`, ≤3.5 `!SSLv2`).
fn finger_protocols<'a>(version: &PostfixVersion, args: &'a [String]) -> &'a str {
    option_value(args, "-p").unwrap_or(if version.knows_protocol_bounds() { ">=TLSv1" } else { "!SSLv2" })
}

/// Fills both mappings from the run's errors and trust word.
fn conclude(out: &mut FingerRun, level_arg: &str, match_args: &[String], trust: Option<TrustWord>) {
    (out.smtp_client_equivalent, out.generic_equivalent) = equivalents(level_arg, match_args, trust, &out.errors);
}

/// Both mappings of a run to smtp(8): [`FingerRun::smtp_client_equivalent`] and
/// [`FingerRun::generic_equivalent`].
pub fn equivalents(level_arg: &str, match_args: &[String], trust: Option<TrustWord>, errors: &[String]) -> (String, String) {
    let generic = smtp_client_equivalent(level_arg, match_args, trust, errors);
    (dane_equivalent(level_arg, generic.clone()), generic)
}

/// At dane/dane-only the generic mapping does not hold (posttls-finger falls back to secure);
/// the oracle labels it as not applicable.
fn dane_equivalent(level: &str, generic: String) -> String {
    if level == "dane" || level == "dane-only" {
        Equivalent::NaDane.text()
    } else {
        generic
    }
}

/// posttls-finger's `dane_host_level()`: the level for this host, and the DANE set-up when
/// TLSA records apply, with the lines it logs. `None` when the TLSA lookup failed (the
/// caller logs "Failed to establish session" and tries the next address).
/// `first_lookup`: the TLSA RRset of this host was not looked up before (a failed lookup is
/// cached expired, so the first call looks it up twice and warns twice, later calls once).
#[allow(clippy::too_many_arguments)]
fn dane_host_level(
    version: &PostfixVersion,
    level: SecurityLevel,
    args: &[String],
    log_mask: TlsLogMask,
    host: &str,
    port: u16,
    mx: Option<(&str, bool)>,
    dns: &Dns,
    first_lookup: bool,
    out: &mut FingerRun,
) -> Option<(SecurityLevel, Option<DaneSetup>)> {
    if !level.dane_based() {
        return Some((level, None));
    }
    let mx_policy = args.windows(2).find(|w| w[0] == "-M").and_then(|w| SecurityLevel::lookup(&w[1])).unwrap_or(SecurityLevel::Dane);
    let mx_insecure = mx.is_some_and(|(_, secure)| !secure);
    if mx_insecure && mx_policy <= SecurityLevel::May {
        out.info(Verbosity::Always, "MX RRset is insecure: try to encrypt".into());
        return Some((SecurityLevel::May, None));
    }
    let answer = if dns.secure(host, "A") { dns.tlsa_lookup(host, port) } else { TlsaAnswer::NotFound };
    let owner = format!("_{port}._tcp.{host}");
    // "no TLSA records found" is logged only with -v or at dane-only.
    let resorting = |out: &mut FingerRun, usable: &str| {
        if level == SecurityLevel::DaneOnly {
            out.info(Verbosity::Always, format!("no {usable}TLSA records found, resorting to \"secure\""));
        }
        Some((SecurityLevel::Secure, None))
    };
    let records = match answer {
        TlsaAnswer::Error => {
            let problem = format!("DANE TLSA lookup problem: Host or domain name not found. Name service error for name={owner} type=TLSA: Host not found, try again");
            for _ in 0..if first_lookup { 2 } else { 1 } {
                out.warn(problem.clone());
            }
            return None;
        }
        TlsaAnswer::NotFound => return resorting(out, ""),
        TlsaAnswer::Records { records } => records,
    };
    let legacy_era = version.era() == Era::Legacy;
    let (kept, legacy) = if legacy_era {
        let parsed = crate::dane::legacy::parse_rrset(&owner, &records);
        // tls_dane_verbose(): posttls-finger ≤3.5 logs each record it uses with certmatch
        // or verbose TLS logging.
        let verbose = log_mask.any(TlsLogMask::CERTMATCH | TlsLogMask::VERBOSE);
        for line in &parsed.lookup_lines {
            match line {
                LookupLine::Warning(w) => out.warn(w.clone()),
                LookupLine::Using(u) if verbose => out.info(Verbosity::Certmatch, u.clone()),
                LookupLine::Using(_) => {}
            }
        }
        (Vec::new(), Some(parsed))
    } else {
        let (kept, warnings) = parse_rrset(&owner, &records);
        for w in warnings {
            out.warn(w);
        }
        (kept, None)
    };
    if legacy.as_ref().map(|l| l.is_empty()).unwrap_or(kept.is_empty()) {
        return resorting(out, "usable ");
    }
    if mx_insecure && mx_policy == SecurityLevel::Encrypt {
        out.info(Verbosity::Always, "TLSA RRs found, MX RRset insecure: just encrypt".into());
        return Some((SecurityLevel::Encrypt, None));
    }
    let mut match_names = vec![host.to_string()];
    if let Some((qname, _)) = mx {
        match_names.push(qname.to_string());
    }
    if mx_insecure {
        out.info(Verbosity::Always, "MX RRset insecure: log verified as trusted".into());
    }
    let effective = if mx_insecure { SecurityLevel::HalfDane } else { level };
    let setup = DaneSetup {
        requested: level,
        level: effective,
        invalid: None,
        reason: None,
        warnings: Vec::new(),
        records: kept,
        base_domain: host.to_string(),
        match_names,
        legacy,
    };
    Some((effective, Some(setup)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_equivalent_reads_back_from_its_text() {
        for e in Equivalent::one_of_each() {
            assert_eq!(Equivalent::of(&e.text()), Some(e.clone()), "{}", e.code());
        }
        assert_eq!(Equivalent::of("something else"), None);
    }
    use crate::dns::{DnssecStatus, MxEntry};
    use crate::input::maincf::parse_main_cf;
    use std::collections::BTreeMap;

    fn finger(version: &str, destination: &str, level: &str, matches: &[&str], args: &[&str], dns: &Dns) -> FingerRun {
        let version = PostfixVersion::parse(version).unwrap();
        let settings = Settings::resolve(&parse_main_cf(""), &BTreeMap::new(), &version);
        let matches: Vec<String> = matches.iter().map(|s| s.to_string()).collect();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&version, &settings, destination, level, &matches, &args, dns, &TrustBasis::AssumeTrusted, &|_, _| Vec::new(), &|_| ServerBehaviour::default(), None)
    }

    fn lines(run: &FingerRun) -> Vec<String> {
        run.log.iter().map(LogLine::render).collect()
    }

    fn two_mx() -> Dns {
        let mut dns = Dns { complete: true, default_secure: true, ..Dns::default() };
        dns.mx.insert("example.com".into(), vec![MxEntry { pref: 10, host: "a.mx.example.com".into() }, MxEntry { pref: 20, host: "b.mx.example.com".into() }]);
        dns.addresses.insert("a.mx.example.com".into(), vec!["192.0.2.1".into()]);
        dns.addresses.insert("b.mx.example.com".into(), vec!["192.0.2.2".into()]);
        dns
    }

    #[test]
    fn a_failed_tlsa_lookup_moves_on_to_the_next_mx_host() {
        let mut dns = two_mx();
        dns.set_dnssec("_25._tcp.a.mx.example.com", "TLSA", DnssecStatus { ad: false, rcode: "SERVFAIL".into() });
        let run = finger("3.7.11", "example.com", "dane", &[], &[], &dns);
        let log = lines(&run);
        assert!(log.len() > 3, "{log:#?}");
        assert!(log[0].starts_with("posttls-finger: warning: DANE TLSA lookup problem: ") && log[0] == log[1]);
        assert_eq!(log[2], "posttls-finger: Failed to establish session to example.com via a.mx.example.com: TLSA lookup error for a.mx.example.com:25");
        let conn = run.connection.expect("the second MX host is tried");
        assert_eq!(conn.host, "b.mx.example.com");
        // No TLSA records there: the level falls back to secure (silently, at dane).
        assert_eq!(conn.level, SecurityLevel::Secure);
    }

    #[test]
    fn resorting_to_secure_is_said_at_dane_only() {
        let dns = two_mx();
        let quiet = finger("3.11.6", "example.com", "dane", &[], &[], &dns);
        assert!(!lines(&quiet).iter().any(|l| l.contains("resorting")));
        let said = finger("3.11.6", "example.com", "dane-only", &[], &[], &dns);
        assert_eq!(lines(&said)[0], "posttls-finger: no TLSA records found, resorting to \"secure\"");
    }

    #[test]
    fn option_errors_are_fatal_in_option_order() {
        let dns = two_mx();
        let bad_m = finger("3.7.11", "example.com", "bogus", &[], &["-M", "secure"], &dns);
        assert_eq!(lines(&bad_m), vec!["posttls-finger: fatal: bad '-M' option value: secure"]);
        let bad_level = finger("3.7.11", "example.com", "bogus", &[], &[], &dns);
        assert_eq!(lines(&bad_level), vec!["posttls-finger: fatal: Invalid TLS level \"bogus\""]);
        assert_eq!(bad_level.errors, vec!["fatal: Invalid TLS level \"bogus\"".to_string()]);
    }

    #[test]
    fn match_arguments_at_may_are_ignored_with_a_warning() {
        let run = finger("3.7.11", "example.com", "may", &["hostname"], &[], &two_mx());
        assert_eq!(lines(&run)[0], "posttls-finger: warning: TLS level 'may' does not implement certificate matching");
        assert_eq!(run.warnings[0], "warning: TLS level 'may' does not implement certificate matching");
    }

    #[test]
    fn before_3_5_the_dane_levels_match_nexthop_and_hostname_whatever_was_asked() {
        let dns = two_mx();
        let old = finger("3.4.29", "example.com", "dane", &["dot-nexthop"], &[], &dns);
        assert_eq!(old.matches, vec!["nexthop".to_string(), "hostname".to_string()]);
        let names: Vec<&str> = old.references.iter().map(|r| r.name.as_str()).collect();
        assert!(names.contains(&"a.mx.example.com"), "{names:?}");
        let new = finger("3.5.27", "example.com", "dane", &["dot-nexthop"], &[], &dns);
        assert_eq!(new.matches, vec!["dot-nexthop".to_string()]);
        // And a level that checks no names takes -m arguments silently.
        let quiet = finger("3.4.29", "example.com", "may", &["hostname"], &[], &dns);
        assert!(quiet.warnings.is_empty(), "{:?}", quiet.warnings);
    }

    #[test]
    fn legacy_dane_records_are_listed_only_with_certmatch_or_verbose_logging() {
        let mut dns = two_mx();
        dns.tlsa.insert("_25._tcp.a.mx.example.com".into(), vec![format!("3 1 1 {}", "ab".repeat(32)), format!("1 1 1 {}", "cd".repeat(32))]);
        let default = lines(&finger("3.5.27", "example.com", "dane", &[], &[], &dns));
        // Sorted by usage: the PKIX-EE record's warning comes first.
        assert_eq!(default[0], "posttls-finger: warning: unsupported certificate usage 1 in RR: _25._tcp.a.mx.example.com IN TLSA 1 ...");
        assert!(default[1].starts_with("posttls-finger: using DANE RR: _25._tcp.a.mx.example.com IN TLSA 3 1 1 AB:AB:"));
        let routine = lines(&finger("3.5.27", "example.com", "dane", &[], &["-L", "routine"], &dns));
        assert!(!routine.iter().any(|l| l.contains("using DANE RR")));
        assert!(routine[0].contains("unsupported certificate usage 1"));
    }
}

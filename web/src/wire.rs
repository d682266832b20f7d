//! The page ↔ worker byte format: a small hand-written binary codec (LEB128 integers,
//! length-prefixed strings and lists, one tag byte per enum variant).
//!
//! Why not serde: a serde deserializer for the report view cost the page about 27 KB of gzipped
//! WebAssembly — more than the whole walk's components. This codec is a few dozen bytes per type.
//! The macros destructure every struct without `..` and match every enum, so a field or variant
//! added to a type without a matching line here is a compile error, not a silent loss.
//!
//! Reading never returns early: a bad or missing byte marks the reader failed, empties it and
//! gives a placeholder (zero, empty, the first variant), and `decode` refuses the whole message.
//! Early returns made the compiler drop every field read so far at each read, and that code was
//! about 4.9 KB of the page's gzipped download (issue 7).

use crate::inputs::Inputs;
use crate::logview::{LogSummary, UnreadView};
use crate::protocol::{Loaded, Request, Response};
use crate::view::*;
use peername_engine::cert::chain::X509Error;
use peername_engine::cert::fingerprint::DigestSet;
use peername_engine::delivery::{Outcome, Status};
use peername_engine::diag::{Diagnostic, Position, Severity, Source, Span};
use peername_engine::dns::MxEntry;
use peername_engine::fixes::{Fix, FixKind};
use peername_engine::logs::{LogLevel, LogLine, Verbosity};
use peername_engine::names::cert_names::NameSource;
use peername_engine::names::openssl::{Comparison, NameCheck, Rule};
use peername_engine::names::reference::Strategy;
use peername_engine::nexthop::Destination;
use peername_engine::policy::level::SecurityLevel;
use peername_engine::policy::lookup::WalkShape;
use peername_engine::report::{CertificateView, PastedRecord, SuggestedRecord, TlsaAdvice, Verdict};
use peername_engine::scenario::{CaTrust, ServedChain};
use peername_engine::tls::session::{PeerFlags, TrustWord};
use peername_engine::tls::verify::{ChainStep, Event, Origin, Phase};
use peername_engine::trace::{Mark, RuleRef};
use peername_engine::version::Era;
use std::collections::BTreeMap;

/// Reads values from bytes. Every read is checked: past the end or on a wrong byte the reader is
/// marked failed and emptied, and reads give placeholders from then on.
pub struct Reader<'a> {
    bytes: &'a [u8],
    failed: bool,
}

impl<'a> Reader<'a> {
    /// Marks the message unreadable and gives a placeholder.
    fn fail<T: Default>(&mut self) -> T {
        self.failed = true;
        self.bytes = &[];
        T::default()
    }

    /// One byte (0 when there is none: the reader is then failed).
    fn byte(&mut self) -> u8 {
        match self.bytes.split_first() {
            Some((&b, rest)) => {
                self.bytes = rest;
                b
            }
            None => self.fail(),
        }
    }

    /// `n` bytes (none when there are fewer: the reader is then failed).
    fn take(&mut self, n: usize) -> &'a [u8] {
        if n > self.bytes.len() {
            return self.fail::<&[u8]>();
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        head
    }

    fn varint(&mut self) -> u64 {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return value;
            }
        }
        self.fail()
    }
}

/// A value with a byte form.
pub trait Wire: Sized {
    /// Appends the value's bytes.
    fn put(&self, w: &mut Vec<u8>);
    /// Reads a value; on bad bytes the reader is failed and a placeholder comes back.
    fn get(r: &mut Reader<'_>) -> Self;
}

/// The bytes of `value`.
pub fn encode<T: Wire>(value: &T) -> Vec<u8> {
    let mut w = Vec::new();
    value.put(&mut w);
    w
}

/// The value in `bytes` (all of them), or `None` when they are not one.
pub fn decode<T: Wire>(bytes: &[u8]) -> Option<T> {
    let mut r = Reader { bytes, failed: false };
    let value = T::get(&mut r);
    (!r.failed && r.bytes.is_empty()).then_some(value)
}

fn put_varint(mut v: u64, w: &mut Vec<u8>) {
    while v >= 0x80 {
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    w.push(v as u8);
}

/// An enum's tag, below `variants` (0 and the reader failed otherwise).
fn tag(r: &mut Reader<'_>, variants: u8) -> u8 {
    let t = r.byte();
    if t < variants {
        t
    } else {
        r.fail()
    }
}

impl Wire for u64 {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(*self, w);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        r.varint()
    }
}

macro_rules! wire_uint {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn put(&self, w: &mut Vec<u8>) {
                put_varint(*self as u64, w);
            }
            fn get(r: &mut Reader<'_>) -> Self {
                let v = r.varint();
                match <$t>::try_from(v) {
                    Ok(v) => v,
                    Err(_) => r.fail(),
                }
            }
        }
    )*};
}
wire_uint!(u8, u16, u32, usize);

impl Wire for bool {
    fn put(&self, w: &mut Vec<u8>) {
        w.push(u8::from(*self));
    }
    fn get(r: &mut Reader<'_>) -> Self {
        tag(r, 2) == 1
    }
}

impl Wire for f64 {
    fn put(&self, w: &mut Vec<u8>) {
        w.extend_from_slice(&self.to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match r.take(8).try_into() {
            Ok(b) => f64::from_le_bytes(b),
            Err(_) => r.fail(),
        }
    }
}

impl Wire for String {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(self.len() as u64, w);
        w.extend_from_slice(self.as_bytes());
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let n = usize::get(r);
        match std::str::from_utf8(r.take(n)) {
            Ok(s) => s.to_string(),
            Err(_) => r.fail(),
        }
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            None => w.push(0),
            Some(v) => {
                w.push(1);
                v.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 2) {
            0 => None,
            _ => Some(T::get(r)),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(self.len() as u64, w);
        for v in self {
            v.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let n = usize::get(r);
        // Every element takes at least one byte: a bogus length cannot reserve much, and the
        // loop stops at the first failed read.
        let mut out = Vec::with_capacity(n.min(r.bytes.len()));
        for _ in 0..n {
            let v = T::get(r);
            if r.failed {
                break;
            }
            out.push(v);
        }
        out
    }
}

/// A step, and the bytes it was read from (so the page can tell an unchanged step cheaply).
impl Wire for SharedStep {
    fn put(&self, w: &mut Vec<u8>) {
        self.step.put(w);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let before = r.bytes;
        let step = StepView::get(r);
        let used = before.len() - r.bytes.len();
        let wire = if r.failed { &[][..] } else { &before[..used] };
        SharedStep { step: std::rc::Rc::new(step), wire: std::rc::Rc::from(wire) }
    }
}

impl<T: Wire> Wire for Box<T> {
    fn put(&self, w: &mut Vec<u8>) {
        (**self).put(w);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        Box::new(T::get(r))
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, w: &mut Vec<u8>) {
        self.0.put(w);
        self.1.put(w);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        (A::get(r), B::get(r))
    }
}

impl<A: Wire, B: Wire, C: Wire> Wire for (A, B, C) {
    fn put(&self, w: &mut Vec<u8>) {
        self.0.put(w);
        self.1.put(w);
        self.2.put(w);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        (A::get(r), B::get(r), C::get(r))
    }
}

impl Wire for [usize; 2] {
    fn put(&self, w: &mut Vec<u8>) {
        self[0].put(w);
        self[1].put(w);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        [usize::get(r), usize::get(r)]
    }
}

impl Wire for BTreeMap<String, String> {
    fn put(&self, w: &mut Vec<u8>) {
        put_varint(self.len() as u64, w);
        for (k, v) in self {
            k.put(w);
            v.put(w);
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let n = usize::get(r);
        let mut out = BTreeMap::new();
        for _ in 0..n {
            let (k, v) = (String::get(r), String::get(r));
            if r.failed {
                break;
            }
            out.insert(k, v);
        }
        out
    }
}

/// A struct: every field in declaration order (the destructuring has no `..`).
macro_rules! wire_struct {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Wire for $t {
            fn put(&self, w: &mut Vec<u8>) {
                let $t { $($f),* } = self;
                $( $f.put(w); )*
            }
            fn get(r: &mut Reader<'_>) -> Self {
                $t { $( $f: Wire::get(r) ),* }
            }
        }
    };
}

/// A fieldless enum: the variant's position in the list (the match makes the list complete).
macro_rules! wire_unit_enum {
    ($t:ident { $($v:ident),* $(,)? }) => {
        impl Wire for $t {
            fn put(&self, w: &mut Vec<u8>) {
                const ALL: &[$t] = &[$($t::$v),*];
                match self { $($t::$v)|* => {} }
                w.push(ALL.iter().position(|x| x == self).unwrap_or(0) as u8);
            }
            fn get(r: &mut Reader<'_>) -> Self {
                const ALL: &[$t] = &[$($t::$v),*];
                ALL[usize::from(tag(r, ALL.len() as u8))]
            }
        }
    };
}

wire_unit_enum!(Mark { Pass, Fail, Info, Warn, Skip });
wire_unit_enum!(Era { Legacy, OpenSslUntrustedBug, OpenSsl });
wire_unit_enum!(SecurityLevel { None, May, Encrypt, Fingerprint, HalfDane, Dane, DaneOnly, Verify, Secure });
wire_unit_enum!(Strategy { Nexthop, DotNexthop, Hostname, Name, DotDomain });
wire_unit_enum!(WalkShape { ParentWalk, SingleLookup, NoTable });
wire_unit_enum!(NameSource { DnsSan, IpSan, CommonName });
wire_unit_enum!(Origin { Served, CaFile, TrustAnchor });
wire_unit_enum!(Phase { Chain, Extensions, Names, Dates, Dane, Forced });
wire_unit_enum!(Severity { Error, Warning, Info });
wire_unit_enum!(FixKind { MatchCertificateDomain, KeepDefaultsAddDomain, MatchExactName, MatchHostname, LevelVerify, PinPublicKey, LevelEncrypt });
wire_unit_enum!(TrustWord { Anonymous, Untrusted, Trusted, Verified });
wire_unit_enum!(Status { Sent, Deferred, Bounced, Timeout });
wire_unit_enum!(Verbosity { Always, Summary, Certmatch, Verbose });
wire_unit_enum!(LogLevel { Info, Warning, Error, Fatal });
wire_unit_enum!(CaTrust { Trusted, Untrusted, Unknown, Bundle });
wire_unit_enum!(SkipView { InvalidPolicy, StsPattern, NoAddress, Wrappermode });
wire_unit_enum!(Rule {
    ExactMatch,
    ExactMismatch,
    TrailingDotMismatch,
    WildcardOneLabel,
    WildcardLabelMismatch,
    WildcardSuffixMismatch,
    WildcardInvalidLiteral,
    WildcardMultiLabel,
    SuffixMatch,
    SuffixTooShort,
    SuffixMismatch,
    NulInName,
    NonAscii,
    CnIgnoredDnsSanPresent,
    CnIgnoredNotFirst,
    IpReferenceSkipsDnsNames,
    DnsReferenceSkipsIpSans,
    IpMatch,
    IpMismatch,
    RejectedName,
});
wire_unit_enum!(X509Error {
    Unspecified,
    UnableToGetIssuerCert,
    CertNotYetValid,
    CertHasExpired,
    ErrorInCertNotBeforeField,
    ErrorInCertNotAfterField,
    DepthZeroSelfSignedCert,
    SelfSignedCertInChain,
    UnableToGetIssuerCertLocally,
    UnableToVerifyLeafSignature,
    CertChainTooLong,
    PathLengthExceeded,
    InvalidPurpose,
    CertUntrusted,
    KeyUsageNoCertSign,
    UnhandledCriticalExtension,
    HostnameMismatch,
    IpAddressMismatch,
    DaneNoMatch,
    InvalidCa,
    EcKeyExplicitParams,
});

wire_struct!(Span { start, end });
wire_struct!(UnreadView { line, reason, why, excerpt });
wire_struct!(LogSummary { lines, read, ignored, unread, unread_total, era, clues, suggested_version, stage, missing, check });
wire_struct!(Position { line, column });
wire_struct!(Diagnostic { code, severity, source, span, position, message, hint, params });
wire_struct!(Verdict { status, delivered, headline, deciding_step, stage });
wire_struct!(DigestSet { md5, sha1, sha256, sha512 });
wire_struct!(CertificateView { host, input, index, subject, issuer, dns_names, ip_addresses, common_names, not_before, not_after, self_signed, is_ca, cert_fingerprints, pkey_fingerprints });
wire_struct!(Outcome { status, dsn, reason, relay, status_tls });
wire_struct!(LogLine { program, level, text, verbosity });
wire_struct!(Fix { kind, line, cost, delivers, trust, replaces, main_cf_line });
wire_struct!(SuggestedRecord { host, depth, record });
wire_struct!(PastedRecord { owner, record, matches, problem });
wire_struct!(TlsaAdvice { suggested, pasted });
wire_struct!(RuleRef { code, text, versions, parameter });
wire_struct!(Destination { key, host, port, bracketed, mx_lookup });
wire_struct!(MxEntry { pref, host });
wire_struct!(PeerFlags { present, trusted, matched, secured });
wire_struct!(ChainStep { depth, subject, issuer, origin, not_before, not_after });
wire_struct!(Event { depth, error, phase, subject, issuer });
wire_struct!(Comparison { reference, cert_name, source, rule, evaluated });
wire_struct!(NameCheck { comparisons, host_ok, ip_ok, has_host_refs, has_ip_ref, peername });
wire_struct!(ServedChain { host, pem });
wire_struct!(Inputs { postfix_version, evaluated_at, main_cf, policy_table, transport_table, destination, mx, addresses, tlsa, dnssec_validated, insecure_names, certificates, ca_trust, ca_bundle, rest });
wire_struct!(ReportView { postfix_version, era, evaluated_at, verdict, trace, diagnostics, diagnostics_more, certificates, loglevel, outcome, connections, log, fixes, tlsa });
wire_struct!(ConnectionWord { host, trust, failure_line });
wire_struct!(StepView { number, mark, title, summary, rule, detail });
wire_struct!(ProbeView { key, found, error });
wire_struct!(RefView { element, strategy, name, converted_from, kind });
wire_struct!(VerificationView { chain, anchored, anchor_assumed, events, reported, names, fingerprint });
wire_struct!(ConnectionView { handshake, verification, flags, trust, failure_line, matched_peername, matched_fingerprint, matched_dane, messages, next });
wire_struct!(ServerView { host, pref, address, level, references, skipped, connection, plaintext_retry });

impl Wire for Source {
    fn put(&self, w: &mut Vec<u8>) {
        let t: u8 = match self {
            Source::MainCf => 0,
            Source::PolicyTable => 1,
            Source::TransportTable => 2,
            Source::Destination => 3,
            Source::Mx => 4,
            Source::Addresses => 5,
            Source::Certificates(i) => {
                w.push(6);
                return i.put(w);
            }
            Source::CaBundle => 7,
            Source::Tlsa => 8,
            Source::Log => 9,
            Source::Scenario => 10,
        };
        w.push(t);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 11) {
            0 => Source::MainCf,
            1 => Source::PolicyTable,
            2 => Source::TransportTable,
            3 => Source::Destination,
            4 => Source::Mx,
            5 => Source::Addresses,
            6 => Source::Certificates(usize::get(r)),
            7 => Source::CaBundle,
            8 => Source::Tlsa,
            9 => Source::Log,
            _ => Source::Scenario,
        }
    }
}

impl Wire for RouteSourceView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            RouteSourceView::RecipientDomain => w.push(0),
            RouteSourceView::Transport(key, line, transport) => {
                w.push(1);
                key.put(w);
                line.put(w);
                transport.put(w);
            }
            RouteSourceView::Relayhost => w.push(2),
            RouteSourceView::Explicit => w.push(3),
            RouteSourceView::DefaultTransport(transport) => {
                w.push(4);
                transport.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 5) {
            0 => RouteSourceView::RecipientDomain,
            1 => RouteSourceView::Transport(Wire::get(r), Wire::get(r), Wire::get(r)),
            2 => RouteSourceView::Relayhost,
            3 => RouteSourceView::Explicit,
            _ => RouteSourceView::DefaultTransport(Wire::get(r)),
        }
    }
}

impl Wire for LevelSourceView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            LevelSourceView::PolicyEntry(key, line) => {
                w.push(0);
                key.put(w);
                line.put(w);
            }
            LevelSourceView::GlobalLevel => w.push(1),
            LevelSourceView::LegacyParameters => w.push(2),
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 3) {
            0 => LevelSourceView::PolicyEntry(Wire::get(r), Wire::get(r)),
            1 => LevelSourceView::GlobalLevel,
            _ => LevelSourceView::LegacyParameters,
        }
    }
}

impl Wire for MatchSourceView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            MatchSourceView::PolicyAttribute => w.push(0),
            MatchSourceView::MainCf(p) => {
                w.push(1);
                p.put(w);
            }
            MatchSourceView::BuiltInDefault(p) => {
                w.push(2);
                p.put(w);
            }
            MatchSourceView::StsEnforcement => w.push(3),
            MatchSourceView::Finger(default) => {
                w.push(4);
                default.put(w);
            }
            MatchSourceView::NotApplicable => w.push(5),
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 6) {
            0 => MatchSourceView::PolicyAttribute,
            1 => MatchSourceView::MainCf(Wire::get(r)),
            2 => MatchSourceView::BuiltInDefault(Wire::get(r)),
            3 => MatchSourceView::StsEnforcement,
            4 => MatchSourceView::Finger(Wire::get(r)),
            _ => MatchSourceView::NotApplicable,
        }
    }
}

impl Wire for MxView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            MxView::Records(records, unowned) => {
                w.push(0);
                records.put(w);
                unowned.put(w);
            }
            MxView::NoRecords => w.push(1),
            MxView::NxDomain => w.push(2),
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 3) {
            0 => MxView::Records(Wire::get(r), Wire::get(r)),
            1 => MxView::NoRecords,
            _ => MxView::NxDomain,
        }
    }
}

impl Wire for RefKindView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            RefKindView::Dns => w.push(0),
            RefKindView::Ip => w.push(1),
            RefKindView::Skipped(warning) => {
                w.push(2);
                warning.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 3) {
            0 => RefKindView::Dns,
            1 => RefKindView::Ip,
            _ => RefKindView::Skipped(Wire::get(r)),
        }
    }
}

impl Wire for HandshakeView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            HandshakeView::NotAttempted => w.push(0),
            HandshakeView::NotOffered => w.push(1),
            HandshakeView::Failed(why) => {
                w.push(2);
                why.put(w);
            }
            HandshakeView::Established => w.push(3),
            HandshakeView::Disabled => w.push(4),
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 5) {
            0 => HandshakeView::NotAttempted,
            1 => HandshakeView::NotOffered,
            2 => HandshakeView::Failed(Wire::get(r)),
            3 => HandshakeView::Established,
            _ => HandshakeView::Disabled,
        }
    }
}

impl Wire for NextView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            NextView::Deliver(tls) => {
                w.push(0);
                tls.put(w);
            }
            NextView::Fail(dsn, reason) => {
                w.push(1);
                dsn.put(w);
                reason.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 2) {
            0 => NextView::Deliver(Wire::get(r)),
            _ => NextView::Fail(Wire::get(r), Wire::get(r)),
        }
    }
}

impl Wire for DetailView {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            DetailView::Version(version, era) => {
                w.push(0);
                version.put(w);
                era.put(w);
            }
            DetailView::Route { recipient, nexthop, source, transport_lookups, non_smtp_transport } => {
                w.push(1);
                recipient.put(w);
                nexthop.put(w);
                source.put(w);
                transport_lookups.put(w);
                non_smtp_transport.put(w);
            }
            DetailView::Destination(d) => {
                w.push(2);
                d.put(w);
            }
            DetailView::GlobalLevel(level, source, invalid, setting) => {
                w.push(3);
                level.put(w);
                source.put(w);
                invalid.put(w);
                setting.put(w);
            }
            DetailView::PolicyLookup { table, shape, probes } => {
                w.push(4);
                table.put(w);
                shape.put(w);
                probes.put(w);
            }
            DetailView::PolicyEntry { key, line, value, level, attributes, valid, warnings } => {
                w.push(5);
                key.put(w);
                line.put(w);
                value.put(w);
                level.put(w);
                attributes.put(w);
                valid.put(w);
                warnings.put(w);
            }
            DetailView::Level(level, source, global) => {
                w.push(6);
                level.put(w);
                source.put(w);
                global.put(w);
            }
            DetailView::MatchList(matches, source) => {
                w.push(7);
                matches.put(w);
                source.put(w);
            }
            DetailView::Dns(mx, hosts) => {
                w.push(8);
                mx.put(w);
                hosts.put(w);
            }
            DetailView::Server(server) => {
                w.push(9);
                server.put(w);
            }
            DetailView::Finger { matches, equivalent, references, connection } => {
                w.push(10);
                matches.put(w);
                equivalent.put(w);
                references.put(w);
                connection.put(w);
            }
            DetailView::Outcome(outcome) => {
                w.push(11);
                outcome.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 12) {
            0 => DetailView::Version(Wire::get(r), Wire::get(r)),
            1 => DetailView::Route {
                recipient: Wire::get(r),
                nexthop: Wire::get(r),
                source: Wire::get(r),
                transport_lookups: Wire::get(r),
                non_smtp_transport: Wire::get(r),
            },
            2 => DetailView::Destination(Wire::get(r)),
            3 => DetailView::GlobalLevel(Wire::get(r), Wire::get(r), Wire::get(r), Wire::get(r)),
            4 => DetailView::PolicyLookup { table: Wire::get(r), shape: Wire::get(r), probes: Wire::get(r) },
            5 => DetailView::PolicyEntry {
                key: Wire::get(r),
                line: Wire::get(r),
                value: Wire::get(r),
                level: Wire::get(r),
                attributes: Wire::get(r),
                valid: Wire::get(r),
                warnings: Wire::get(r),
            },
            6 => DetailView::Level(Wire::get(r), Wire::get(r), Wire::get(r)),
            7 => DetailView::MatchList(Wire::get(r), Wire::get(r)),
            8 => DetailView::Dns(Wire::get(r), Wire::get(r)),
            9 => DetailView::Server(Wire::get(r)),
            10 => DetailView::Finger { matches: Wire::get(r), equivalent: Wire::get(r), references: Wire::get(r), connection: Wire::get(r) },
            _ => DetailView::Outcome(Wire::get(r)),
        }
    }
}

impl Wire for Loaded {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Loaded::Example(name) => {
                w.push(0);
                name.put(w);
            }
            Loaded::Permalink => w.push(1),
            Loaded::Log => w.push(2),
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 3) {
            0 => Loaded::Example(Wire::get(r)),
            1 => Loaded::Permalink,
            _ => Loaded::Log,
        }
    }
}

impl Wire for Request {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Request::Explain { id, inputs } => {
                w.push(0);
                id.put(w);
                inputs.put(w);
            }
            Request::Example { id, name } => {
                w.push(1);
                id.put(w);
                name.put(w);
            }
            Request::Der { id, bytes } => {
                w.push(2);
                id.put(w);
                put_varint(bytes.len() as u64, w);
                w.extend_from_slice(bytes);
            }
            Request::MakeLink { id, inputs } => {
                w.push(3);
                id.put(w);
                inputs.put(w);
            }
            Request::ReadLink { id, value } => {
                w.push(4);
                id.put(w);
                value.put(w);
            }
            Request::ReadLog { id, text, inputs } => {
                w.push(5);
                id.put(w);
                text.put(w);
                inputs.put(w);
            }
            Request::MaskLog { id, text } => {
                w.push(6);
                id.put(w);
                text.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 7) {
            0 => Request::Explain { id: Wire::get(r), inputs: Wire::get(r) },
            1 => Request::Example { id: Wire::get(r), name: Wire::get(r) },
            2 => {
                let id = Wire::get(r);
                let n = usize::get(r);
                Request::Der { id, bytes: r.take(n).to_vec() }
            }
            3 => Request::MakeLink { id: Wire::get(r), inputs: Wire::get(r) },
            4 => Request::ReadLink { id: Wire::get(r), value: Wire::get(r) },
            5 => Request::ReadLog { id: Wire::get(r), text: Wire::get(r), inputs: Wire::get(r) },
            _ => Request::MaskLog { id: Wire::get(r), text: Wire::get(r) },
        }
    }
}

impl Wire for Response {
    fn put(&self, w: &mut Vec<u8>) {
        match self {
            Response::Ready => w.push(0),
            Response::Report { id, report, ms } => {
                w.push(1);
                id.put(w);
                report.put(w);
                ms.put(w);
            }
            Response::Inputs { id, from, inputs, stripped_private_keys } => {
                w.push(2);
                id.put(w);
                from.put(w);
                inputs.put(w);
                stripped_private_keys.put(w);
            }
            Response::Pem { id, pem, private_key_refused, problem } => {
                w.push(3);
                id.put(w);
                pem.put(w);
                private_key_refused.put(w);
                problem.put(w);
            }
            Response::LinkJson { id, json, stripped_private_keys } => {
                w.push(4);
                id.put(w);
                json.put(w);
                stripped_private_keys.put(w);
            }
            Response::Failed { id, code, message } => {
                w.push(5);
                id.put(w);
                code.put(w);
                message.put(w);
            }
            Response::LogRead { id, summary, inputs } => {
                w.push(6);
                id.put(w);
                summary.put(w);
                inputs.put(w);
            }
            Response::MaskedLog { id, text } => {
                w.push(7);
                id.put(w);
                text.put(w);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match tag(r, 8) {
            0 => Response::Ready,
            1 => Response::Report { id: Wire::get(r), report: Wire::get(r), ms: Wire::get(r) },
            2 => Response::Inputs { id: Wire::get(r), from: Wire::get(r), inputs: Wire::get(r), stripped_private_keys: Wire::get(r) },
            3 => Response::Pem { id: Wire::get(r), pem: Wire::get(r), private_key_refused: Wire::get(r), problem: Wire::get(r) },
            4 => Response::LinkJson { id: Wire::get(r), json: Wire::get(r), stripped_private_keys: Wire::get(r) },
            5 => Response::Failed { id: Wire::get(r), code: Wire::get(r), message: Wire::get(r) },
            6 => Response::LogRead { id: Wire::get(r), summary: Wire::get(r), inputs: Wire::get(r) },
            _ => Response::MaskedLog { id: Wire::get(r), text: Wire::get(r) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use peername_engine::scenario::Scenario;

    fn round_trip<T: Wire + PartialEq + std::fmt::Debug>(value: &T) {
        let bytes = encode(value);
        assert_eq!(decode::<T>(&bytes).as_ref(), Some(value));
        if !bytes.is_empty() {
            assert_eq!(decode::<T>(&bytes[..bytes.len() - 1]), None, "a cut message is refused");
        }
    }

    #[test]
    fn wrong_bytes_are_refused_whole() {
        // An unknown tag, of an enum with data and of a fieldless one.
        assert_eq!(decode::<Response>(&[8]), None);
        assert_eq!(decode::<Mark>(&[5]), None);
        assert_eq!(decode::<Option<u8>>(&[2]), None);
        assert_eq!(decode::<bool>(&[2]), None);
        // A string that is not UTF-8, and a number too large for its type.
        assert_eq!(decode::<String>(&[2, 0xff, 0xfe]), None);
        assert_eq!(decode::<u8>(&[0x80, 0x02]), None);
        // A list that claims 2^62 elements: refused at once, without reading or reserving them.
        assert_eq!(decode::<Vec<String>>(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]), None);
        assert_eq!(decode::<BTreeMap<String, String>>(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 1, b'k']), None);
        // Bytes left over after a whole value.
        assert_eq!(decode::<u8>(&[1, 1]), None);
        // And a good value still reads after all that.
        assert_eq!(decode::<Vec<String>>(&[1, 2, b'o', b'k']), Some(vec!["ok".to_string()]));
    }

    #[test]
    fn log_requests_and_summaries_round_trip() {
        let log = "Feb 25 21:57:22 mail postfix/smtp[1]: D33A02504112: to=<user@fastmail.fm>, relay=in1-smtp.messagingengine.com[66.111.4.74]:25, delay=8.4, delays=0.02/0/8.4/0, dsn=4.7.5, status=deferred (Server certificate not verified)\nnot a log line\n";
        let reading = peername_engine::logread::read_log(log);
        let inputs = Box::new(Inputs::from_scenario(&reading.scenario()));
        round_trip(&Request::ReadLog { id: 3, text: log.into(), inputs: inputs.clone() });
        round_trip(&Request::MaskLog { id: 4, text: log.into() });
        let mut summary = LogSummary::of(&reading, None);
        round_trip(&Response::LogRead { id: 3, summary: Box::new(summary.clone()), inputs: inputs.clone() });
        summary.check = Some((false, "deferred".into(), vec!["trust: Trusted ≠ Untrusted — another CA store".into()]));
        round_trip(&Response::LogRead { id: 3, summary: Box::new(summary), inputs });
        round_trip(&Response::MaskedLog { id: 4, text: "to=<…@fastmail.fm>".into() });
        round_trip(&Response::Inputs { id: 5, from: Loaded::Log, inputs: Box::new(Inputs::default()), stripped_private_keys: false });
    }

    #[test]
    fn every_example_report_and_its_inputs_round_trip() {
        for id in crate::examples::IDS {
            let scenario: Scenario = serde_json::from_str(crate::examples::json(id).unwrap()).unwrap();
            let view = ReportView::of(&peername_engine::explain(&scenario));
            round_trip(&Response::Report { id: 7, report: Box::new(view.clone()), ms: 12.5 });
            round_trip(&Request::Explain { id: 7, inputs: Box::new(Inputs::from_scenario(&scenario)) });
            assert!(encode(&view).len() < 40_000, "{id}: {} bytes", encode(&view).len());
        }
    }

    #[test]
    fn every_message_shape_round_trips() {
        round_trip(&Response::Ready);
        round_trip(&Response::Inputs { id: 1, from: Loaded::Example("dane".into()), inputs: Box::default(), stripped_private_keys: true });
        round_trip(&Response::Inputs { id: 1, from: Loaded::Permalink, inputs: Box::default(), stripped_private_keys: false });
        round_trip(&Response::Pem { id: 2, pem: "PEM".into(), private_key_refused: false, problem: Some("x".into()) });
        round_trip(&Response::LinkJson { id: 3, json: "{}".into(), stripped_private_keys: false });
        round_trip(&Response::Failed { id: 4, code: "permalink.malformed".into(), message: "m".into() });
        round_trip(&Request::Example { id: 5, name: "fastmail".into() });
        round_trip(&Request::Der { id: 6, bytes: vec![0, 1, 255] });
        round_trip(&Request::MakeLink { id: 7, inputs: Box::default() });
        round_trip(&Request::ReadLink { id: 8, value: "eJyrVipILUpLzcnMS1WyMjI0qAUAOKgF4Q".into() });
        for source in [Source::MainCf, Source::Certificates(3), Source::Scenario] {
            round_trip(&source);
        }
        round_trip(&u64::MAX);
        round_trip(&String::from("bücher ✓"));
    }

    #[test]
    fn every_unit_variant_round_trips() {
        for e in X509Error::ALL {
            round_trip(&e);
        }
        for m in [Mark::Pass, Mark::Fail, Mark::Info, Mark::Warn, Mark::Skip] {
            round_trip(&m);
        }
        for h in [HandshakeView::NotAttempted, HandshakeView::NotOffered, HandshakeView::Disabled, HandshakeView::Failed("why".into()), HandshakeView::Established] {
            round_trip(&h);
        }
        for source in [
            RouteSourceView::RecipientDomain,
            RouteSourceView::Transport("example.com".into(), 3, "relay".into()),
            RouteSourceView::Relayhost,
            RouteSourceView::Explicit,
            RouteSourceView::DefaultTransport("smtp".into()),
        ] {
            round_trip(&source);
        }
        assert_eq!(decode::<Mark>(&[9]), None, "unknown variants are refused");
        assert_eq!(decode::<bool>(&[2]), None);
        assert_eq!(decode::<String>(&[5, b'a']), None, "a length past the end is refused");
        assert_eq!(decode::<Vec<u8>>(&[0xff, 0xff, 0xff, 0xff, 0x0f]), None, "a huge length does not allocate");
    }
}

//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Explains why Postfix accepts or refuses a server certificate, offline.
#[derive(Parser, Debug)]
#[command(name = "peername", version, about, long_about = None)]
pub struct Cli {
    /// Language of the words: en, ja or zh (default: from LC_ALL, LC_MESSAGES or LANG, e.g.
    /// ja_JP.UTF-8; else English). Literal Postfix text (log lines, policy lines, parameter names,
    /// DSN texts) and JSON output are never translated.
    #[arg(long, global = true, value_name = "LANG", value_parser = clap::builder::PossibleValuesParser::new(crate::lang::ACCEPTED), ignore_case = true)]
    pub lang: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Walk through Postfix's decision for one destination.
    Explain(Box<ExplainArgs>),
    /// Check every line of policy tables for one Postfix version.
    Lint(LintArgs),
    /// Replay oracle expectation lines and print predictions.
    Replay(ReplayArgs),
}

/// Output colour.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour when writing to a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `peername explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A whole scenario as JSON (a file, or - for standard input); other options refine it.
    #[arg(long, value_name = "FILE|-")]
    pub scenario: Option<String>,
    /// The tls_policy table.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// main.cf or `postconf -n` output.
    #[arg(long = "main-cf", value_name = "FILE")]
    pub main_cf: Option<PathBuf>,
    /// The transport table.
    #[arg(long, value_name = "FILE")]
    pub transport: Option<PathBuf>,
    /// Recipient address or domain.
    #[arg(long, value_name = "ADDRESS|DOMAIN", conflicts_with = "nexthop")]
    pub to: Option<String>,
    /// Explicit next-hop, e.g. [relay.example.com]:587.
    #[arg(long, value_name = "DEST")]
    pub nexthop: Option<String>,
    /// MX hosts: 'name[,pref] …'.
    #[arg(long, value_name = "'name[,pref] …'", conflicts_with = "mx_file")]
    pub mx: Option<String>,
    /// MX list file: plain names, `host -t MX` or `dig` output.
    #[arg(long = "mx-file", value_name = "FILE")]
    pub mx_file: Option<PathBuf>,
    /// Address records file (host A address, `host` or `dig` output).
    #[arg(long = "addresses", value_name = "FILE")]
    pub addresses: Option<PathBuf>,
    /// Certificate chain file (PEM or DER); HOST=FILE for one MX host. Repeatable.
    #[arg(long = "cert", value_name = "[HOST=]FILE")]
    pub certs: Vec<String>,
    /// The CAfile the client trusts (replaces --ca-trusted).
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Whether your CAfile/CApath trusts the chain.
    #[arg(long = "ca-trusted", value_name = "yes|no")]
    pub ca_trusted: Option<String>,
    /// Postfix version (default: the current stable release).
    #[arg(long = "postfix", value_name = "VERSION")]
    pub postfix: Option<String>,
    /// Evaluation time, RFC 3339 (default: now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// A file named by tafile= (PATH=FILE: the path as written in the table). Repeatable.
    #[arg(long = "tafile", value_name = "PATH=FILE")]
    pub tafiles: Vec<String>,
    /// TLSA records for DANE: `dig TLSA _25._tcp.HOST` output (its `ad` flag is read) or
    /// `usage selector mtype hex` lines.
    #[arg(long, value_name = "FILE")]
    pub tlsa: Option<PathBuf>,
    /// Whether the DNS answers were DNSSEC-validated (default: yes, unless a pasted dig answer
    /// lacks the `ad` flag).
    #[arg(long, value_name = "yes|no")]
    pub dnssec: Option<String>,
    /// A name whose answers were not DNSSEC-validated (e.g. an MX domain in an unsigned zone).
    /// Repeatable.
    #[arg(long = "insecure", value_name = "NAME")]
    pub insecure: Vec<String>,
    /// A Postfix log excerpt (maillog, journalctl, posttls-finger output; - for standard input):
    /// prints what it shows, the Postfix era and the failing stage; with other inputs
    /// (--policy, --cert, …) also explains the scenario built from it and cross-checks the two.
    #[arg(long, value_name = "FILE|-")]
    pub log: Option<String>,
    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Output format of lint.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// rustc-style diagnostics.
    Text,
    /// One JSON object per finding.
    Json,
}

/// `peername lint`.
#[derive(Args, Debug)]
pub struct LintArgs {
    /// Policy table files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Postfix version whose rules apply.
    #[arg(long = "postfix", value_name = "VERSION")]
    pub postfix: Option<String>,
    /// The table is used as texthash: (duplicates make it unusable).
    #[arg(long)]
    pub texthash: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `peername replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// An expectations.jsonl file.
    #[arg(value_name = "FILE.jsonl")]
    pub file: PathBuf,
    /// Where ca.pem and untrusted-ca.pem are (default: the file's folder, then its parent).
    #[arg(long = "ca-dir", value_name = "DIR")]
    pub ca_dir: Option<PathBuf>,
    /// Compare with the recorded outputs and print agreement per case and a summary.
    #[arg(long)]
    pub compare: bool,
}

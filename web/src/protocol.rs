//! What the page and the engine worker say to each other, as bytes (`crate::wire`) in a
//! `Uint8Array` whose buffer is transferred, not copied. Every request carries an id; the answer
//! repeats it.

use crate::inputs::Inputs;
use crate::logview::LogSummary;
use crate::view::ReportView;

/// Page → worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Explain the inputs (`id`: their revision).
    Explain {
        /// Request id.
        id: u32,
        /// The inputs.
        inputs: Box<Inputs>,
    },
    /// Send the inputs of a gallery example.
    Example {
        /// Request id.
        id: u32,
        /// File stem.
        name: String,
    },
    /// Turn a certificate file (PEM, DER or base64) into PEM text.
    Der {
        /// Request id.
        id: u32,
        /// The file's bytes.
        bytes: Vec<u8>,
    },
    /// Make the JSON a permalink carries (without private keys).
    MakeLink {
        /// Request id.
        id: u32,
        /// The inputs.
        inputs: Box<Inputs>,
    },
    /// Read a permalink: the value of its `s=` (deflate-raw, base64url), decompressed in the
    /// worker, off the page's main thread.
    ReadLink {
        /// Request id.
        id: u32,
        /// The `s=` value as the fragment carries it.
        value: String,
    },
    /// Read a pasted Postfix log; the current inputs complete what the log cannot tell.
    ReadLog {
        /// Request id.
        id: u32,
        /// The log text.
        text: String,
        /// The inputs on the page.
        inputs: Box<Inputs>,
    },
    /// Mask e-mail local parts and IP addresses in a log before it is shared.
    MaskLog {
        /// Request id.
        id: u32,
        /// The log text.
        text: String,
    },
}

/// Where loaded inputs came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// A gallery example (file stem).
    Example(String),
    /// A permalink.
    Permalink,
    /// A pasted log.
    Log,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// The worker is listening.
    Ready,
    /// The report for `Explain`.
    Report {
        /// Request id.
        id: u32,
        /// The report, as shown.
        report: Box<ReportView>,
        /// Time the engine took, in ms.
        ms: f64,
    },
    /// Inputs for `Example` or `ReadLink`.
    Inputs {
        /// Request id.
        id: u32,
        /// Where from.
        from: Loaded,
        /// The inputs.
        inputs: Box<Inputs>,
        /// Private keys were removed from a link's scenario.
        stripped_private_keys: bool,
    },
    /// The PEM text for `Der`.
    Pem {
        /// Request id.
        id: u32,
        /// One PEM block per certificate found (empty when none was).
        pem: String,
        /// The bytes held a private key, which was not read.
        private_key_refused: bool,
        /// Why nothing was found (the engine's English diagnostic).
        problem: Option<String>,
    },
    /// The JSON for `MakeLink`.
    LinkJson {
        /// Request id.
        id: u32,
        /// `{"peername":1,"scenario":{…}}`.
        json: String,
        /// Private keys were left out.
        stripped_private_keys: bool,
    },
    /// What a pasted log says (`ReadLog`), and the inputs it gives.
    LogRead {
        /// Request id.
        id: u32,
        /// The summary shown under the log pane.
        summary: Box<LogSummary>,
        /// The scenario from the log, completed by the page's inputs.
        inputs: Box<Inputs>,
    },
    /// The masked log (`MaskLog`).
    MaskedLog {
        /// Request id.
        id: u32,
        /// The log with local parts and addresses masked.
        text: String,
    },
    /// A request failed (`code`: stable, e.g. `permalink.malformed`; `message`: English).
    Failed {
        /// Request id.
        id: u32,
        /// Stable code.
        code: String,
        /// English text.
        message: String,
    },
}

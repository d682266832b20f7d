//! Reading Postfix logs: from a pasted excerpt to the facts it shows, the era its wording
//! betrays, a scenario, the stage that failed, and a cross-check against the engine.
//!
//! Admins arrive with a log, not a scenario. [`read_log`] accepts any mix of smtp(8),
//! posttls-finger, tlsmgr, qmgr and master lines, with or without syslog/journal prefixes,
//! and accounts for every line: read as a fact, ignored with a reason, or unread with a
//! reason. The [`LogReading`] is plain serde data for the page, the CLI and the JS API.
//!
//! ```
//! use peername_engine::logread::read_log;
//! let log = "Feb 25 21:57:22 mail postfix/smtp[25291]: Trusted TLS connection established to in1-smtp.messagingengine.com[66.111.4.74]:25: TLSv1.2 with cipher X (256/256 bits)\n\
//!            Feb 25 21:57:22 mail postfix/smtp[25291]: D33A02504112: to=<user@fastmail.fm>, relay=in1-smtp.messagingengine.com[66.111.4.74]:25, delay=8.4, delays=0.02/0/8.4/0, dsn=4.7.5, status=deferred (Server certificate not verified)";
//! let reading = read_log(log);
//! assert_eq!(reading.era.range.label, "≤3.5");
//! assert_eq!(reading.stage.stage, "name-match");
//! assert_eq!(reading.scenario().destination, "user@fastmail.fm");
//! ```

mod assemble;
mod classify;
pub mod cross_check;
pub mod era;
pub mod fill;
pub mod kind;
mod lines;
pub mod mask;
pub mod peer;
mod policy_lines;
pub mod prefix;
mod read;
pub mod reading;
pub mod stage;
mod status;
mod timestamp;
mod tls_lines;

pub use classify::{IgnoreReason, UnreadReason};
pub use cross_check::{CrossCheck, Difference};
pub use era::{EraClue, EraConflict, EraReading, VersionRange};
pub use fill::{Filled, Missing};
pub use mask::{mask, mask_with, MaskOptions};
pub use read::read_log;
pub use reading::{DeliveryAttempt, Fact, LogEntry, LogReading, PeerConnection};
pub use stage::StageReading;

use crate::report::Report;
use crate::scenario::Scenario;

impl LogReading {
    /// The scenario the log tells (what it cannot tell is empty and listed in `missing`).
    pub fn scenario(&self) -> Scenario {
        fill::build(self).0
    }

    /// Compares the log with the engine's prediction for a completed scenario.
    pub fn cross_check(&self, report: &Report) -> CrossCheck {
        cross_check::cross_check(self, report)
    }
}

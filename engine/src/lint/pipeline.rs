//! Linting on two threads: one reads the table and checks each entry on its own, the other
//! (the caller's) keeps the table-wide state and hands findings on, in file order. They pass
//! batches of what was found through a bounded channel, so memory stays bounded however long
//! the table; where the platform has no threads (WebAssembly) or one core, both halves take
//! turns on the caller's thread. The findings are the same either way.

use super::{CleanValues, EntryChecks, Found, LintOptions};
use crate::diag::{Diagnostic, Source};
use crate::input::table::{EntryView, TableSink};
use crate::input::table_reader::TableReader;
use std::collections::HashSet;
use std::io::BufRead;
use std::sync::mpsc::sync_channel;

/// Entries and findings per batch: large enough that passing one costs nothing next to
/// checking it, small enough that a few in flight take little memory.
pub(super) const BATCH: usize = 4096;

/// Batches waiting between the two threads at most.
const IN_FLIGHT: usize = 4;

/// Whether a run may use a second thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Threads {
    /// Where there is more than one core.
    Available,
    /// Never (for tests that compare the two ways).
    #[cfg(test)]
    One,
}

/// What the per-entry checks found in a stretch of the table: the entries' keys are kept in
/// one string, so a batch costs a few allocations however many entries it holds.
#[derive(Default)]
pub(super) struct Batch {
    /// The keys of the batch's entries, one after the other.
    pub keys: String,
    /// Entries and findings, in file order.
    pub found: Vec<Found>,
}

/// The reading side's sink: checks each entry and fills batches.
struct Reading<'o, D: FnMut(Batch)> {
    checks: EntryChecks<'o>,
    batch: Batch,
    size: usize,
    deliver: D,
}

impl<D: FnMut(Batch)> Reading<'_, D> {
    fn flush_if_full(&mut self) {
        if self.batch.found.len() >= self.size {
            (self.deliver)(std::mem::take(&mut self.batch));
        }
    }
}

impl<D: FnMut(Batch)> TableSink for Reading<'_, D> {
    fn entry(&mut self, entry: &EntryView<'_>) {
        self.checks.check(entry, &mut self.batch.keys, &mut self.batch.found);
        self.flush_if_full();
    }

    fn diagnostic(&mut self, d: Diagnostic) {
        self.batch.found.push(Found::Finding(d));
        self.flush_if_full();
    }
}

/// Reads `reader` to its end, checking each entry, and delivers what was found in batches of
/// about `size` items (the last one possibly shorter).
fn read<R: BufRead>(reader: R, opts: &LintOptions, size: usize, deliver: impl FnMut(Batch)) {
    let checks = EntryChecks { opts, clean: CleanValues { set: HashSet::default(), bytes: 0 } };
    let mut reading = Reading { checks, batch: Batch::default(), size, deliver };
    TableReader::new(reader, Source::PolicyTable).scan(&mut reading);
    let last = std::mem::take(&mut reading.batch);
    (reading.deliver)(last);
}

/// Runs the reading side and hands each batch to `take` on the caller's thread, in order.
pub(super) fn run<R: BufRead + Send>(reader: R, opts: &LintOptions, threads: Threads, size: usize, mut take: impl FnMut(Batch)) {
    let two = threads == Threads::Available && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    if !two {
        read(reader, opts, size, take);
        return;
    }
    std::thread::scope(|scope| {
        let (send, receive) = sync_channel::<Batch>(IN_FLIGHT);
        scope.spawn(move || {
            // The receiving side drains every batch, so a send fails only if it panicked.
            read(reader, opts, size, |batch| drop(send.send(batch)));
        });
        for batch in receive {
            take(batch);
        }
    });
}

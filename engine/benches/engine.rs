//! Native engine benchmarks (criterion): the seed explanation, the same explanation with a
//! 10,000-line policy table (the page's keystroke budget, minus rendering), and linting.
//!
//! `cargo bench -p peername-engine` runs them; `scripts/bench` reads the medians.

use criterion::{criterion_group, criterion_main, Criterion};
use peername_engine::lint::{lint, LintOptions};
use peername_engine::scenario::Scenario;
use peername_engine::version::PostfixVersion;
use peername_engine::explain::{explain, explain_with_memo, explain_without_fixes};
use peername_engine::memo::Memo;
use std::hint::black_box;

/// A scenario file from the repository's examples/ (the page's gallery).
fn example(name: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `lines` policy entries for other domains, as MTA-STS and DANE daemons generate them.
fn generated_table(lines: usize) -> String {
    (0..lines)
        .map(|i| match i % 4 {
            0 => format!("d{i}.example.net secure match=mx1.d{i}.example.net:mx2.d{i}.example.net servername=hostname\n"),
            1 => format!("d{i}.example.org dane-only\n"),
            2 => format!("[mx.d{i}.example.com]:25 encrypt protocols=>=TLSv1.2 ciphers=high\n"),
            _ => format!(".d{i}.example.info verify match=.d{i}.example.info\n"),
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let seed = example("fastmail.json");
    c.bench_function("explain/seed (fastmail.fm, with verified fixes)", |b| b.iter(|| explain(black_box(&seed))));
    c.bench_function("explain/seed without fixes", |b| b.iter(|| explain_without_fixes(black_box(&seed))));

    let mut big = seed.clone();
    big.policy_table = format!("{}{}", generated_table(10_000), seed.policy_table);
    c.bench_function("explain/seed + 10,000-line policy table, without fixes", |b| b.iter(|| explain_without_fixes(black_box(&big))));
    c.bench_function("explain/seed + 10,000-line policy table, with verified fixes", |b| b.iter(|| explain(black_box(&big))));
    // The page's worker: a keystroke in the destination, the table unchanged (memo kept).
    let edited = Scenario { destination: format!("{}.", big.destination.trim()), ..big.clone() };
    let mut memo = Memo::new();
    let mut flip = false;
    c.bench_function("explain/10,000-line table, another pane edited (memo), with fixes", |b| {
        b.iter(|| {
            flip = !flip;
            explain_with_memo(black_box(if flip { &big } else { &edited }), &mut memo)
        })
    });

    let table = generated_table(100_000);
    let opts = LintOptions { version: PostfixVersion::parse("3.11.6").expect("version"), texthash: false };
    c.bench_function("lint/100,000 lines", |b| b.iter(|| lint(black_box(table.as_bytes()), &opts, |d| drop(black_box(d)))));
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(engine);

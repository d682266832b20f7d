// Issue 7's first-load budget, checked on every build: the files a visit without a permalink
// fetches (index.html and what it names: the loader, the page's glue and wasm, the stylesheet,
// the icon), gzip -9, at most 180 KB. `scripts/bench` measures the same in Chromium (what the
// browser really fetched); this test reads web/dist, so a change that outgrows the budget fails
// the test suite, not only the benchmark.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = join(new URL('../..', import.meta.url).pathname, 'web', 'dist');
const BUDGET_KB = 180;

test(`the page's first load is at most ${BUDGET_KB} KB gzip -9`, () => {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const named = [...html.matchAll(/(?:src|href)=["']?\.\/([^"'\s>]+)/g)].map((m) => m[1]);
  const files = ['index.html', ...new Set(named)];
  // The loader imports the page's glue, which fetches its wasm: name them from the listing.
  const glue = readdirSync(dist).find((f) => /^peername-web-[0-9a-f]+\.js$/.test(f));
  assert.ok(glue, 'the page\'s glue is in web/dist');
  for (const f of [glue, glue.replace(/\.js$/, '_bg.wasm')]) if (!files.includes(f)) files.push(f);
  assert.ok(!files.some((f) => f.startsWith('peername-api')), 'a visit without a permalink does not load the engine');
  const sizes = files.map((f) => [f, gzipSync(readFileSync(join(dist, f)), { level: 9 }).length / 1024]);
  const total = sizes.reduce((n, [, kb]) => n + kb, 0);
  console.log(`first load ${total.toFixed(1)} KB: ${sizes.map(([f, kb]) => `${f} ${kb.toFixed(1)}`).join(', ')}`);
  for (const kind of ['.wasm', '.css', 'inline-']) assert.ok(files.some((f) => f.includes(kind)), `the first load includes a ${kind} file`);
  assert.ok(total <= BUDGET_KB, `first load ${total.toFixed(1)} KB is over the ${BUDGET_KB} KB budget`);
});

// Where the fastmail.fm permalink's time to verdict goes (PERFORMANCE.md, "What is still over
// budget"): opens the permalink of the built page (web/dist) in headless Chromium, fresh context
// each round, and prints when the early worker was created, when the page's own module started,
// when each worker message arrived and when the verdict was in the DOM; the last round is traced
// and the engine worker thread's busiest trace events are listed.
//
//   node bench/trace-permalink.mjs [rounds]      (default 4; the trace goes to a temporary file)

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, repoRoot, serveDist } from '../tests/browser/harness.mjs';
import { permalink } from './page.mjs';

const rounds = Number(process.argv[2] ?? 4);
const seed = JSON.parse(readFileSync(join(repoRoot, 'examples', 'fastmail.json'), 'utf8'));

/** Page-side clock: the early worker's creation and messages, the app's start, the verdict. */
const WATCH = `(() => {
  window.__msgs = [];
  let early;
  Object.defineProperty(window, '__peernameEarlyWorker', { configurable: true, get() { return early; }, set(v) {
    early = v;
    window.__workerAt = performance.now();
    v.worker.addEventListener('message', () => window.__msgs.push(performance.now()));
  } });
  addEventListener('TrunkApplicationStarted', () => { window.__appAt = performance.now(); });
  const check = () => {
    const el = document.querySelector('.verdict-word');
    if (window.__verdictAt === undefined && el && el.textContent.trim() !== '') window.__verdictAt = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

const dir = mkdtempSync(join(tmpdir(), 'peername-trace-'));
const tracePath = join(dir, 'trace.json');
const app = await serveDist('/');
const browser = await launchBrowser();
const ms = (v) => (typeof v === 'number' ? `${Math.round(v)}` : '-');
try {
  const url = `${app.url}#${permalink(seed)}`;
  for (let round = 0; round < rounds; round += 1) {
    const traced = round === rounds - 1;
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    if (traced) await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile'] });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => typeof window.__verdictAt === 'number', null, { timeout: 30_000 });
    const r = await page.evaluate(() => ({ worker: window.__workerAt, app: window.__appAt, msgs: window.__msgs, verdict: window.__verdictAt, html: performance.getEntriesByType('navigation')[0].responseEnd }));
    if (traced) await browser.stopTracing();
    console.log(`round ${round + 1}${traced ? ' (traced)' : ''}: html ${ms(r.html)} ms, worker created ${ms(r.worker)}, page module started ${ms(r.app)}, worker messages ${r.msgs.map(ms).join(' ')}, verdict in the DOM ${ms(r.verdict)}`);
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
}

// The engine worker's thread in the trace: total time per event name.
const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
const events = Array.isArray(trace) ? trace : trace.traceEvents;
const threads = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
const totals = new Map();
for (const e of events) {
  if (e.ph !== 'X' || threads.get(`${e.pid}:${e.tid}`) !== 'DedicatedWorker thread') continue;
  totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
}
console.log('\nengine worker thread, traced round (ms, nested events overlap):');
for (const [name, total] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${total.toFixed(1).padStart(7)}  ${name}`);
const lazy = events.filter((e) => e.ph === 'X' && e.name === 'wasm.CompileLazy' && threads.get(`${e.pid}:${e.tid}`) === 'DedicatedWorker thread');
const sum = (key) => lazy.reduce((n, e) => n + (e[key] ?? 0), 0) / 1000;
console.log(`  ${lazy.length} functions compiled on first call: ${sum('dur').toFixed(1)} ms wall, ${sum('tdur').toFixed(1)} ms on the thread's own clock (the rest it waited for a core)`);
if (process.env.KEEP_TRACE) console.log(`trace kept: ${tracePath}`); else rmSync(dir, { recursive: true, force: true });

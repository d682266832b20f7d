// The performance budget of issue 7, measured side by side in one run and printed as a table
// with the targets beside the figures. Exit status 1 when a target is missed.
//
// Run it through `scripts/bench`, which installs and builds what it needs first. Figures are
// medians of alternating runs (this machine is shared and noisy: ratios measured in the same
// run are what the targets are about).
//
//   node bench/run.mjs [--runs N] [--only size,lint,page,engine] [--criterion FILE]

import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, openPage, repoRoot, distDir, serveDist, waitForApp } from '../tests/browser/harness.mjs';
import { measurePage, median, permalink } from './page.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const RUNS = Number(opt('runs', '5'));
const ONLY = new Set((opt('only', 'size,lint,page,engine')).split(','));
const CRITERION = opt('criterion', null);


/** Rows of the final table: what, figure, target, pass (null: reported, no target). */
const rows = [];
const row = (metric, figure, target, pass) => rows.push({ metric, figure, target, pass });

// ---------- first-load transfer ----------
/**
 * gzip -9 of every file the browser fetches from dist/ when it opens `fragment` (until the
 * network is idle), largest first.
 */
async function fetchedSize(browser, base, fragment) {
  const { context, page, record } = await openPage(browser, `${base}${fragment}`);
  try {
    await waitForApp(page, record);
    if (fragment) await page.waitForSelector('.verdict[data-current="true"]', { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const files = [...new Set(record.requests.map((u) => decodeURIComponent(new URL(u).pathname.replace(/^\//, '')) || 'index.html'))];
    const parts = files
      .filter((f) => existsSync(join(distDir, f)) && statSync(join(distDir, f)).isFile())
      .map((f) => ({ f, gz: gzipSync(readFileSync(join(distDir, f)), { level: 9 }).length }))
      .sort((a, b) => b.gz - a.gz);
    return { total: parts.reduce((n, p) => n + p.gz, 0) / 1024, parts };
  } finally {
    await context.close();
  }
}

async function firstLoadSize() {
  const app = await serveDist('/');
  const browser = await launchBrowser();
  try {
    const list = ({ parts }) => parts.map(({ f, gz }) => `${f.replace(/-[0-9a-f]{16}/, '')} ${(gz / 1024).toFixed(1)}`).join(', ');
    const bare = await fetchedSize(browser, app.url, '');
    row('First load: the page, gzip -9 of every file fetched', `${bare.total.toFixed(1)} KB (${list(bare)})`, '≤ 180 KB', bare.total <= 180);
    const seed = JSON.parse(readFileSync(join(repoRoot, 'examples', 'fastmail.json'), 'utf8'));
    const link = await fetchedSize(browser, app.url, `#${permalink(seed)}`);
    row('First load of a permalink (adds the engine worker)', `${link.total.toFixed(1)} KB (${list(link)})`, 'reported', null);
  } finally {
    await browser.close();
    await app.close();
  }
}

// ---------- lint vs postmap ----------
/** A 1,000,000-line table as MTA-STS and DANE daemons write them: distinct values per line. */
function writeTable(path, lines) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(path);
    let i = 0;
    const pump = () => {
      let ok = true;
      while (ok && i < lines) {
        const d = `d${i}.example${i % 977}.net`;
        let line;
        switch (i % 10) {
          case 0: case 1: case 2: case 3:
            line = `${d} secure match=mx1.${d}:mx2.${d} servername=hostname\n`; break;
          case 4: case 5: case 6:
            line = `${d} dane-only\n`; break;
          case 7:
            line = `[mx.${d}]:25 encrypt protocols=>=TLSv1.2 ciphers=high\n`; break;
          case 8:
            line = `${d} verify match=.${d}\n`; break;
          default:
            line = `.${d} verify match=.${d}\n`;
        }
        i += 1;
        ok = out.write(line);
      }
      if (i < lines) out.once('drain', pump);
      else out.end(resolve);
    };
    out.on('error', reject);
    pump();
  });
}

/** Wall seconds and peak RSS (KB) of a command, from GNU time. */
function timed(cmd, argv, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [secs, kb] = last.split(' ').map(Number);
  if (!Number.isFinite(secs)) throw new Error(`${cmd} ${argv.join(' ')}: ${r.stderr}`);
  return { secs, kb, status: r.status };
}

async function lintVsPostmap() {
  const postmap = ['/usr/sbin/postmap', '/usr/bin/postmap'].find(existsSync);
  if (!postmap) throw new Error('postmap is missing: scripts/bench installs Debian\'s postfix');
  const peername = join(repoRoot, 'target', 'release', 'peername');
  const dir = mkdtempSync(join(tmpdir(), 'peername-bench-'));
  try {
    writeFileSync(join(dir, 'main.cf'), '');
    const table = join(dir, 'tls_policy');
    await writeTable(table, 1_000_000);
    const size = statSync(table).size;
    const lint = [];
    const pm = [];
    let lintKb = 0;
    let pmKb = 0;
    for (let run = 0; run < RUNS; run += 1) {
      rmSync(`${table}.db`, { force: true });
      const p = timed(postmap, ['-c', dir, `hash:${table}`]);
      if (p.status !== 0) throw new Error('postmap failed');
      pm.push(p.secs);
      pmKb = Math.max(pmKb, p.kb);
      const l = timed(peername, ['lint', '--format', 'json', table]);
      if (l.status !== 0 && l.status !== 1) throw new Error(`peername lint exited ${l.status}`);
      lint.push(l.secs);
      lintKb = Math.max(lintKb, l.kb);
    }
    const ratio = median(lint) / median(pm);
    row('peername lint, 1,000,000 lines', `${median(lint).toFixed(2)} s median, peak ${(lintKb / 1024).toFixed(0)} MB (${(size / 1e6).toFixed(0)} MB file)`, 'reported', null);
    row('postmap hash: of the same file', `${median(pm).toFixed(2)} s median, peak ${(pmKb / 1024).toFixed(0)} MB`, 'reported', null);
    row('lint ÷ postmap', ratio.toFixed(3), '≤ 0.25', ratio <= 0.25);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------- native engine (criterion) ----------
function engineFigures() {
  if (!CRITERION || !existsSync(CRITERION)) {
    row('Native explain (criterion)', 'not run', 'reported', null);
    return;
  }
  // cargo bench -- --output-format bencher: "test NAME ... bench:   123,456 ns/iter (+/- 789)"
  for (const line of readFileSync(CRITERION, 'utf8').split('\n')) {
    const m = line.match(/^test (.+?) \.\.\. bench:\s+([\d,]+) ns\/iter \(\+\/- ([\d,]+)\)/);
    if (m) {
      const ns = Number(m[2].replaceAll(',', ''));
      const pretty = ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
      row(`Native ${m[1]}`, `${pretty}/op (${ns.toLocaleString('en')} ns, ± ${m[3]})`, 'reported', null);
    }
  }
}

// ---------- run ----------
const errors = [];
const step = async (name, f) => {
  if (!ONLY.has(name)) return;
  try {
    await f();
  } catch (e) {
    errors.push(`${name}: ${e.message}`);
    row(name, `error: ${e.message}`, 'must run', false);
  }
};
await step('size', firstLoadSize);
await step('page', () => measurePage({ runs: Math.max(RUNS, 7), row }));
await step('lint', lintVsPostmap);
await step('engine', engineFigures);

const w1 = Math.max(...rows.map((r) => r.metric.length));
const w2 = Math.max(...rows.map((r) => r.figure.length));
console.log(`\n${'metric'.padEnd(w1)}  ${'figure'.padEnd(w2)}  target      result`);
for (const r of rows) {
  const verdict = r.pass === null ? '' : r.pass ? 'ok' : 'MISSED';
  console.log(`${r.metric.padEnd(w1)}  ${r.figure.padEnd(w2)}  ${r.target.padEnd(10)}  ${verdict}`);
}
const missed = rows.filter((r) => r.pass === false).length;
console.log(`\nbench: ${rows.filter((r) => r.pass === true).length} targets met, ${missed} missed (${new Date().toISOString()}, ${process.env.BENCH_MACHINE ?? 'this machine'})`);
process.exit(missed ? 1 : 0);

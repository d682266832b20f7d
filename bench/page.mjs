// Browser half of the bench: the fastmail.fm permalink against a plain static page, and the
// re-evaluation after one keystroke with a 10,000-line policy table and a 3-certificate chain.
// Debian's Chromium through playwright-core, the page served by tests/browser/static-server.mjs.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { launchBrowser, openPage, repoRoot, distDir, serveDist } from '../tests/browser/harness.mjs';
import { loadExample, longTasks, watchLongTasks } from '../tests/browser/page.mjs';
import { startStaticServer } from '../tests/browser/static-server.mjs';

const VERDICT = '.verdict-word';

/** The median of a list of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Serves each build folder (for the side-by-side scripts): `[{ name, server, times: [] }]`. */
export async function serveBuilds(dirs) {
  return Promise.all(dirs.map(async (dir) => ({ name: dir, server: await startStaticServer({ root: resolve(dir), prefix: '/' }), times: [] })));
}

/** `#s=…` for a scenario, as the page writes it (deflate-raw, base64url; engine/src/permalink.rs). */
export function permalink(scenario) {
  const json = JSON.stringify({ peername: 1, scenario });
  return `s=${deflateRawSync(Buffer.from(json)).toString('base64url')}`;
}

/**
 * Records, from the very start of the document, when the verdict is first in the DOM with text
 * (then one animation frame later, so both pages are measured at a painted frame).
 */
const WATCH_VERDICT = `(() => {
  const found = () => { const el = document.querySelector(${JSON.stringify(VERDICT)}); return el && el.textContent.trim() !== ''; };
  const done = () => requestAnimationFrame(() => { window.__verdictAt = performance.now(); });
  const check = () => { if (window.__seen) return; if (found()) { window.__seen = true; done(); } };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener('DOMContentLoaded', check);
})();`;

/** A plain static page of about the same weight as the app's shell, with the verdict in it. */
function staticReference(dir) {
  copyFileSync(join(distDir, 'index.html'), join(dir, 'app-index.html'));
  const css = readFileSync(join(repoRoot, 'web', 'style.css'), 'utf8');
  writeFileSync(join(dir, 'style.css'), css);
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>peername — static reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="style.css"></head>
<body><main><section class="verdict"><h2 class="verdict-head"><span class="verdict-word">Deferred</span></h2>
<p class="verdict-headline">deferred 4.7.5 (Server certificate not verified)</p></section>
${'<p>Postfix looked up fastmail.fm in the policy table and compared each reference name with each certificate name.</p>\n'.repeat(20)}
</main></body></html>`,
  );
}

/**
 * The floors under any page that computes the verdict after navigation, each served like the
 * static page and with its stylesheet:
 * - `module.html`: a module script that writes the verdict word, and nothing else (the least a
 *   page whose verdict comes from a script takes);
 * - `compiled.html`: the engine's JS API fetched and its WebAssembly compiled and instantiated,
 *   then the verdict word written without an explanation (the least a page that runs the engine
 *   takes);
 * - `engine-alone.html`: the engine alone on the main thread (no page, no worker): fetch and
 *   compile it, decompress the link, explain, write the verdict into one element.
 */
function floorReferences(dir) {
  for (const f of ['peername-api.js', 'peername-api_bg.wasm']) copyFileSync(join(distDir, f), join(dir, f));
  const page = (name, head) => writeFileSync(
    join(dir, `${name}.html`),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>peername — ${name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="style.css">
${head}<script type="module" src="${name}.js"></script></head>
<body><main><section class="verdict"><h2 class="verdict-head"><span class="verdict-word"></span></h2></section></main></body></html>`,
  );
  const preloads = '<link rel="modulepreload" href="peername-api.js"><link rel="preload" href="peername-api_bg.wasm" as="fetch" type="application/wasm" crossorigin>\n';
  page('module', '');
  writeFileSync(join(dir, 'module.js'), "document.querySelector('.verdict-word').textContent = 'Deferred';\n");
  page('compiled', preloads);
  writeFileSync(
    join(dir, 'compiled.js'),
    `import init from './peername-api.js';
await init();
document.querySelector('.verdict-word').textContent = 'Deferred';
`,
  );
  page('engine-alone', preloads);
  writeFileSync(
    join(dir, 'engine-alone.js'),
    `import init, { explain } from './peername-api.js';
const value = new URLSearchParams(location.hash.slice(1)).get('s');
const bytes = Uint8Array.from(atob(value.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
const [json] = await Promise.all([new Response(inflated).text(), init()]);
document.querySelector('.verdict-word').textContent = explain(JSON.parse(json).scenario).verdict.status;
`,
  );
}

/** Navigation → the verdict in the DOM and a frame painted, in ms, for `url` in a fresh context. */
export async function timeToVerdict(browser, url) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(WATCH_VERDICT);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => typeof window.__verdictAt === 'number', null, { timeout: 30_000 });
  const at = await page.evaluate(() => window.__verdictAt);
  await context.close();
  return at;
}

/**
 * Navigation → verdict for each of `urls` on second visits: one context (its HTTP cache and V8's
 * code cache kept), `runs` alternating rounds after one round that fills the caches; medians.
 */
export async function timeToVerdictRevisited(browser, urls, runs) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.addInitScript(WATCH_VERDICT);
  const page = await context.newPage();
  const times = urls.map(() => []);
  try {
    for (let round = 0; round <= runs; round += 1) {
      for (const [i, url] of urls.entries()) {
        // A new document each time (a fragment change alone would not navigate).
        await page.goto('about:blank');
        await page.goto(url, { waitUntil: 'commit' });
        await page.waitForFunction(() => typeof window.__verdictAt === 'number', null, { timeout: 30_000 });
        if (round > 0) times[i].push(await page.evaluate(() => window.__verdictAt));
      }
    }
  } finally {
    await context.close();
  }
  return times.map(median);
}

/**
 * Loads the fastmail example, pastes a 10,000-line table and a 3-certificate chain, then types
 * into the destination. Each keystroke changes the destination (`user@fastmail.fm` ↔
 * `user@fastmail.fm.`), so each is a new explanation. `pn:update` is the page's own measure from
 * the input event to the DOM showing the report for it (web/src/app/hooks/use_document.rs).
 */
export async function keystrokeTimes(browser, url, scenario, presses) {
  const { context, page, record } = await openPage(browser, url, { contextOptions: { viewport: { width: 1400, height: 1000 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await page.locator('.cert-pane textarea').fill(scenario.chain);
    await page.evaluate((text) => {
      const area = document.getElementById('pane-policy');
      area.value = text;
      area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, scenario.policy_table);
    await page.waitForFunction(() => document.querySelector('#step-6')?.textContent.includes('line 10001')
      && !!document.querySelector('.verdict[data-current="true"]'), null, { timeout: 60_000 });
    await watchLongTasks(page);
    const destination = page.locator('#pane-destination');
    await destination.click();
    await page.keyboard.press('End');
    const times = [];
    for (let i = 0; i < presses; i += 1) {
      const before = await page.evaluate(() => performance.getEntriesByName('pn:update').length);
      await page.keyboard.press(i % 2 ? 'Backspace' : '.');
      await page.waitForFunction((n) => performance.getEntriesByName('pn:update').length > n, before, { timeout: 30_000 });
      times.push(await page.evaluate(() => performance.getEntriesByName('pn:update').at(-1).duration));
      // A person's next keystroke comes later than the browser could send it.
      await page.waitForTimeout(100);
    }
    const tasks = await longTasks(page);
    return { times, longTasks: tasks.filter((ms) => ms > 50).length };
  } finally {
    await context.close();
  }
}

/** A 10,000-line table, then the seed's entry (line 10,001), and a 3-certificate chain. */
export function bigScenario() {
  const lines = [];
  for (let i = 0; i < 10_000; i += 1) lines.push(`h${i}.e${i % 97}.org verify`);
  lines.push('fastmail.fm     secure ciphers=high');
  const chain = readFileSync(join(repoRoot, 'bench', 'fixtures', 'three-chain.pem'), 'utf8');
  return { policy_table: `${lines.join('\n')}\n`, chain };
}

export async function measurePage({ runs, row }) {
  const seed = JSON.parse(readFileSync(join(repoRoot, 'examples', 'fastmail.json'), 'utf8'));
  const app = await serveDist('/');
  const dir = mkdtempSync(join(tmpdir(), 'peername-static-'));
  staticReference(dir);
  floorReferences(dir);
  const plain = await startStaticServer({ root: dir, prefix: '/' });
  const browser = await launchBrowser();
  try {
    const link = `${app.url}#${permalink(seed)}`;
    const alone = `${plain.url}engine-alone.html#${permalink(seed)}`;
    const floors = [
      ['a module script that writes the verdict (no WebAssembly) ÷ static page', `${plain.url}module.html`],
      ['the engine fetched and compiled, no explanation ÷ static page', `${plain.url}compiled.html`],
      ['the engine alone (JS API, main thread, no page) ÷ static page', alone],
    ];
    const urls = [plain.url, link, ...floors.map(([, url]) => url)];
    // Warm up each (disk cache; Chromium's compile cache is per context and not kept).
    for (const url of urls) await timeToVerdict(browser, url);
    const loads = urls.map(() => []);
    for (let i = 0; i < runs; i += 1) {
      for (const [k, url] of urls.entries()) loads[k].push(await timeToVerdict(browser, url));
    }
    const [plainTime, appTime, ...floorTimes] = loads.map(median);
    const ratio = appTime / plainTime;
    row('fastmail.fm permalink → verdict', `${appTime.toFixed(1)} ms median (static page ${plainTime.toFixed(1)} ms)`, 'reported', null);
    row('permalink ÷ static page', ratio.toFixed(2), '≤ 1.5', ratio <= 1.5);
    for (const [k, [what]] of floors.entries()) {
      row(what, `${(floorTimes[k] / plainTime).toFixed(2)} (${floorTimes[k].toFixed(1)} ms)`, 'reported', null);
    }
    const [plainAgain, appAgain, aloneAgain] = await timeToVerdictRevisited(browser, [plain.url, link, alone], runs);
    row('second visit (caches kept): permalink ÷ static page', `${(appAgain / plainAgain).toFixed(2)} (${appAgain.toFixed(1)} ms vs ${plainAgain.toFixed(1)} ms)`, 'reported', null);
    row('second visit: the engine alone ÷ static page', `${(aloneAgain / plainAgain).toFixed(2)} (${aloneAgain.toFixed(1)} ms)`, 'reported', null);

    const { times, longTasks } = await keystrokeTimes(browser, app.url, bigScenario(), Math.max(runs * 6, 42));
    const m = median(times);
    row('keystroke → re-render, 10,000 lines + 3 certs', `${m.toFixed(1)} ms median (max ${Math.max(...times).toFixed(1)} ms, ${longTasks} long tasks)`, '≤ 16 ms', m <= 16);
  } finally {
    await browser.close();
    await app.close();
    await plain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

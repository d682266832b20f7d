// Permalinks (the scenario in the #fragment, compressed), private keys (refused, never in a link),
// embed mode (#embed&…) and the JS API used from a page script.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, repoRoot, screenshot, serveAndLaunch, waitForApp } from './harness.mjs';
import { assertAxeClean, assertClean, linkPayload, loadExample, paneValue, waitForStatus } from './page.mjs';

let server;
let browser;
const clipboard = { viewport: { width: 1400, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'] };
const PANES = ['pane-destination', 'pane-policy', 'pane-main-cf', 'pane-mx', 'pane-version'];

serveAndLaunch('/', (s, b) => {
  server = s;
  browser = b;
});

async function copyLink(page) {
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.waitForSelector('[data-notice="link-copied"]');
  return page.url();
}

test('a permalink restores the exact scenario', async () => {
  const first = await openPage(browser, server.url, { contextOptions: clipboard });
  let link;
  const before = {};
  try {
    await loadExample(first.page, first.record, 'wildcard-depth');
    await first.page.selectOption('#pane-version', '3.5.27');
    await waitForStatus(first.page, 'sent');
    link = await copyLink(first.page);
    assert.match(link, /#s=[A-Za-z0-9_-]+$/);
    assert.equal(await first.page.evaluate(() => navigator.clipboard.readText()), link, 'the link is on the clipboard');
    for (const id of PANES) before[id] = await paneValue(first.page, id);
    before.cert = await first.page.locator('.cert-pane textarea').inputValue();
    const payload = linkPayload(link);
    assert.equal(payload.peername, 1);
    assert.equal(payload.scenario.postfix_version, '3.5.27');
    await assertClean(first.record);
  } finally {
    await first.context.close();
  }

  // While the link is read, the page says it is working; it never shows the gallery meanwhile.
  // The verdict comes first, the inputs column after it. The early worker start, inline in
  // index.html, runs under the CSP (allowed by its hash) and the page adopts its worker.
  const watch = `(() => {
    let early;
    Object.defineProperty(window, '__peernameEarlyWorker', { configurable: true,
      get() { return early; }, set(v) { early = v; window.__earlyStarted = true; } });
    new MutationObserver(() => {
      if (document.querySelector('.gallery')) window.__galleryShown = true;
      const verdict = !!document.querySelector('.verdict-word');
      const inputs = !!document.querySelector('#pane-destination');
      if ((verdict || inputs) && !window.__firstShown) window.__firstShown = verdict && inputs ? 'both' : verdict ? 'verdict' : 'inputs';
    }).observe(document, { childList: true, subtree: true });
  })();`;
  const second = await openPage(browser, link, { contextOptions: clipboard, initScript: watch });
  try {
    await waitForApp(second.page, second.record);
    await waitForStatus(second.page, 'sent');
    assert.equal(await second.page.evaluate(() => window.__galleryShown ?? false), false, 'no gallery while the link was read');
    assert.equal(await second.page.evaluate(() => window.__firstShown), 'verdict', 'the verdict is shown before the inputs column');
    assert.equal(await second.page.evaluate(() => window.__earlyStarted === true), true, 'the inline script started the worker');
    assert.equal(await second.page.evaluate(() => '__peernameEarlyWorker' in window), false, 'the page adopted that worker');
    assert.equal(await second.page.locator('#inputs-heading').count(), 1, 'one inputs heading');
    for (const id of PANES) assert.equal(await paneValue(second.page, id), before[id], id);
    assert.equal(await second.page.locator('.cert-pane textarea').inputValue(), before.cert);
    assert.deepEqual(await second.page.locator('.verdict .trust-word').allInnerTexts(), ['Verified'], '3.5.27 accepts the multi-label wildcard');
    // Starting over after a permalink: the gallery and empty panes, as on a plain visit.
    await second.page.getByRole('button', { name: 'Start over' }).click();
    await second.page.waitForSelector('.gallery');
    assert.equal(await paneValue(second.page, 'pane-destination'), '', 'the panes are there, empty');
    assert.equal(await second.page.locator('.working').count(), 0, 'not "working it out"');
    await assertClean(second.record);
  } finally {
    await second.context.close();
  }
});

test('a pasted private key is refused visibly and never put in a link', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: clipboard });
  try {
    await loadExample(page, record, 'fastmail');
    const cert = page.locator('.cert-pane textarea');
    const pem = await cert.inputValue();
    const key = '-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n-----END PRIVATE KEY-----\n';
    await cert.fill(pem + key);
    const notice = page.locator('[data-notice="private-key-removed"]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /private key was removed/);
    await page.waitForFunction(() => !document.querySelector('.cert-pane textarea').value.includes('PRIVATE KEY'));
    assert.equal(await cert.inputValue(), pem, 'the pane keeps the certificate only');
    await waitForStatus(page, 'deferred');
    const link = await copyLink(page);
    const json = JSON.stringify(linkPayload(link));
    assert.ok(!json.includes('PRIVATE KEY') && !json.includes('TUlJRXZR'), 'the link carries no key material');
    assert.ok(json.includes('BEGIN CERTIFICATE'), 'the link carries the certificate');
    await screenshot(page, 'private-key-refused');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('embed mode shows the walk with minimal chrome', async () => {
  const first = await openPage(browser, server.url, { contextOptions: clipboard });
  let link;
  try {
    await loadExample(first.page, first.record, 'fastmail');
    link = await copyLink(first.page);
  } finally {
    await first.context.close();
  }
  const embedded = link.replace('#s=', '#embed&s=');
  const { context, page, record } = await openPage(browser, embedded, { contextOptions: { viewport: { width: 800, height: 900 } } });
  try {
    await waitForApp(page, record);
    await waitForStatus(page, 'deferred');
    assert.equal(await page.locator('.inputs-column').count(), 0, 'no inputs in embed mode');
    assert.equal(await page.locator('.footer').count(), 0, 'no footer in embed mode');
    const full = await page.getByRole('link', { name: /Open in peername/ }).getAttribute('href');
    assert.ok(full.includes('#s=') && !full.includes('embed'), `the full-page link drops embed: ${full}`);
    assert.ok(await page.locator('#step-10 .grid').count() === 1, 'the walk is all there');
    await assertAxeClean(page, 'embed mode');
    await screenshot(page, 'embed');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('a link that carries a private key opens without it, and says so', async () => {
  // Written by hand, not by the page (which never puts a key in a link): the worker opens it
  // while the page loads and sends the inputs with their report in one message.
  const seed = JSON.parse(readFileSync(join(repoRoot, 'examples', 'fastmail.json'), 'utf8'));
  const key = '-----BEGIN PRIVATE KEY-----\nTUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lCQVFD\n-----END PRIVATE KEY-----\n';
  seed.certificates[0].pem += key;
  const value = deflateRawSync(Buffer.from(JSON.stringify({ peername: 1, scenario: seed }))).toString('base64url');
  const { context, page, record } = await openPage(browser, `${server.url}#s=${value}`, { contextOptions: clipboard });
  try {
    await waitForStatus(page, 'deferred');
    await page.locator('[data-notice="link-without-keys"]').waitFor();
    const pem = await page.locator('.cert-pane textarea').first().inputValue();
    assert.ok(pem.includes('BEGIN CERTIFICATE') && !pem.includes('PRIVATE KEY'), 'the pane has the certificate, not the key');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('a damaged link is refused with a clear message', async () => {
  const { context, page, record } = await openPage(browser, `${server.url}#s=AAAA*broken`, { contextOptions: clipboard });
  try {
    await waitForApp(page, record);
    const notice = page.locator('[data-notice="permalink"]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /damaged/);
    assert.equal(await page.locator('.gallery').count(), 1, 'the page still works');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('the JS API works from a page script', async () => {
  const { context, page, record } = await openPage(browser, new URL('api-example.html', server.url).href);
  try {
    await page.waitForFunction(() => !document.getElementById('custom').textContent.includes('working'), null, { timeout: 30_000 });
    assert.match(await page.locator('#fastmail').innerText(), /^deferred 4\.7\.5: deferred 4\.7\.5 \(Server certificate not verified\)/);
    assert.match(await page.locator('#custom').innerText(), /^sent: 1\. Postfix version \(info\)/);
    assert.match(await page.locator('#log').innerText(), /Verified TLS connection established/);
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('the README documents the JS API with the example page\'s code', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const example = readFileSync(join(repoRoot, 'web', 'api-example.js'), 'utf8');
  assert.match(readme, /## The JS API/);
  assert.ok(readme.includes("import init, { examples, explain } from './peername-api.js';"));
  assert.ok(example.includes("import init, { examples, explain } from './peername-api.js';"));
});

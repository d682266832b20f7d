// Smoke test of the built page (web/dist): it loads, the Yew app renders, nothing leaves the
// origin, the console stays clean, the CSP is never violated, and axe finds nothing serious.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, runAxe, screenshot, serveAndLaunch, waitForApp } from './harness.mjs';

let server;
let browser;

serveAndLaunch('/', (s, b) => {
  server = s;
  browser = b;
});

test('the page loads under its CSP, stays on its origin and passes axe', async () => {
  const { context, page, record } = await openPage(browser, server.url);
  try {
    await waitForApp(page, record);
    assert.equal(await page.locator('main#app').count(), 1, 'the app renders <main id="app">');
    assert.match(await page.locator('#pane-version').inputValue(), /^\d+\.\d+\.\d+$/,
      'the version menu starts at the engine\'s default Postfix version');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    const violations = await runAxe(page);
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], 'axe: no serious or critical violations');

    await screenshot(page, 'smoke');
    await record.collectCsp();

    assert.ok(record.requests.some((u) => u.endsWith('.wasm')), 'the page fetched its wasm');
    assert.deepEqual(record.foreignRequests, [], 'no request left the page\'s origin');
    assert.deepEqual(record.failedResponses, [], 'every request succeeded');
    assert.deepEqual(record.failedRequests, [], 'no request failed');
    assert.deepEqual(record.cspViolations, [], 'no Content-Security-Policy violation');
    assert.deepEqual(record.consoleErrors, [], 'no console error');
    assert.deepEqual(record.pageErrors, [], 'no uncaught exception');
  } finally {
    await context.close();
  }
});

test('the CSP is really in force: an inline script is refused', async () => {
  const { context, page, record } = await openPage(browser, server.url);
  try {
    await waitForApp(page, record);
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true;';
      document.body.append(s);
      return window.__inlineRan === true;
    });
    assert.equal(ran, false, 'an inline script must not run');
    const csp = await record.collectCsp();
    assert.ok(csp.some((v) => /script-src/.test(v)), `the refusal is reported: ${csp.join(' | ')}`);
  } finally {
    await context.close();
  }
});

// Helpers for the page's browser tests (the harness itself is harness.mjs): load an example, wait
// for the walk, check that nothing left the origin and nothing broke, run axe.

import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { runAxe, waitForApp } from './harness.mjs';

/** Waits for the app, clicks the gallery's example `name`, waits for its verdict. */
export async function loadExample(page, record, name) {
  await waitForApp(page, record);
  await page.click(`button[data-example="${name}"]`);
  await waitForVerdict(page);
}

/** Waits until a verdict for the current inputs is on screen (not a stale one). */
export async function waitForVerdict(page, timeout = 30_000) {
  await page.waitForSelector('.verdict[data-current="true"]', { timeout });
}

/** Waits until the verdict says `status` (e.g. "deferred", "sent"). */
export async function waitForStatus(page, status, timeout = 30_000) {
  await page.waitForSelector(`.verdict[data-current="true"][data-status="${status}"]`, { timeout });
}

/** The text of the pane `id` (textarea or input). */
export function paneValue(page, id) {
  return page.locator(`#${id}`).inputValue();
}

/** Fails on any serious or critical axe finding (`state` names the page state in the message). */
export async function assertAxeClean(page, state) {
  const violations = await runAxe(page);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `axe (${state}): no serious or critical violations`);
}

/** Nothing left the origin, nothing failed, no CSP violation, no console error or exception. */
export async function assertClean(record) {
  await record.collectCsp();
  assert.deepEqual(record.foreignRequests, [], 'no request left the page\'s origin');
  assert.deepEqual(record.failedResponses, [], 'every request succeeded');
  assert.deepEqual(record.cspViolations, [], 'no Content-Security-Policy violation');
  assert.deepEqual(record.consoleErrors, [], 'no console error');
  assert.deepEqual(record.pageErrors, [], 'no uncaught exception');
}

/** The JSON a permalink carries (decoded here, independently of the page). */
export function linkPayload(url) {
  const fragment = new URL(url).hash.slice(1);
  const value = fragment.split('&').find((p) => p.startsWith('s='))?.slice(2);
  assert.ok(value, `the link has an s= part: ${url}`);
  return JSON.parse(inflateRawSync(Buffer.from(value, 'base64url')).toString('utf8'));
}

/** Starts collecting long tasks (PerformanceObserver 'longtask'). */
export async function watchLongTasks(page) {
  // Called again, it starts a new list (one observer per page).
  await page.evaluate(() => {
    window.__longTasks = [];
    if (window.__longTaskObserver) return;
    window.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    });
    window.__longTaskObserver.observe({ type: 'longtask' });
  });
}

/**
 * Fails when a long task seen since `watchLongTasks` took over `limitMs`; logs them, `during`
 * saying when (e.g. "around the 10 MB paste").
 */
export async function assertNoLongTask(page, limitMs, during) {
  const tasks = await longTasks(page);
  console.log(`long tasks ${during} (ms): ${tasks.join(', ') || 'none'}`);
  assert.ok(tasks.every((ms) => ms <= limitMs), `no long task over ${limitMs} ms ${during}: ${tasks.join(', ')}`);
}

/** The long tasks seen since `watchLongTasks`, in ms. */
export function longTasks(page) {
  return page.evaluate(() => window.__longTasks ?? []);
}

/** Durations (ms) of the page's `pn:render` measures (worker message → DOM updated). */
export function renderTimes(page) {
  return page.evaluate(() => performance.getEntriesByName('pn:render').map((e) => e.duration));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

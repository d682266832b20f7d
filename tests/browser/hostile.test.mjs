// Hostile input in the browser: a paste past the policy table's limit, binary bytes and NULs each
// give a clear message under their pane, no task on the page's main thread takes over 200 ms, and
// the page keeps answering (a version switch is explained right after each paste).
//
// Known gaps (issue 8): a 10 MB paste into one pane, or 100,000 MX lines after it, still causes
// long tasks of 0.2-3 s in this headless Chromium, and so does the first version switch after a
// 2.5 MB paste (about 0.9 s); the engine side is covered natively by engine/tests/hostile.rs.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, screenshot, serveDist } from './harness.mjs';
import { assertClean, loadExample, longTasks, waitForStatus, watchLongTasks } from './page.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist('/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Pastes `text` into the pane with id `id` as a browser paste does: one input event. */
function paste(page, id, text) {
  return page.evaluate(({ id, text }) => {
    const area = document.getElementById(id);
    area.value = text;
    area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, { id, text });
}

/** The diagnostics shown under the pane with id `id`, as text. */
function paneMessages(page, id) {
  return page.locator(`[data-pane="${id}"] .diagnostic`).allInnerTexts();
}

/** The page still answers: switching the version is explained (3.5.27 and back). */
async function stillAnswers(page, status) {
  await page.selectOption('#pane-version', '3.5.27');
  await page.waitForSelector('.verdict:not(.stale)', { timeout: 30_000 });
  await page.selectOption('#pane-version', '3.11.6');
  await waitForStatus(page, status, 30_000);
}

test('a paste past the limit, binary bytes and NULs: messages, no long task, still answering', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await page.selectOption('#pane-version', '3.11.6');
    await waitForStatus(page, 'deferred');
    await watchLongTasks(page);

    // 2.2 MB of policy lines, past the 2 MiB limit: cut there, and said so with the line where
    // reading stopped.
    const lines = [];
    for (let i = 0; i < 20_000; i += 1) lines.push(`h${i}.example secure match=h${i}.example`);
    const block = `${lines.join('\n')}\n`;
    const big = `fastmail.fm     secure ciphers=high\n${block.repeat(Math.ceil(2_200_000 / block.length))}`;
    assert.ok(big.length > 2_097_152);
    await paste(page, 'pane-policy', big);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-pane="pane-policy"] .diagnostic')].some((d) => /reads at most/.test(d.textContent)), null, { timeout: 60_000 });
    await waitForStatus(page, 'deferred', 60_000);
    const policy = (await paneMessages(page, 'pane-policy')).join('\n');
    assert.match(policy, /is \d+ bytes; peername reads at most 2097152 bytes, so everything from line \d+, column 1 on is ignored/);
    const tasks = [...await longTasks(page)];
    await stillAnswers(page, 'deferred');

    // Binary bytes in the MX pane: each unreadable line is named, with its position.
    await page.evaluate(() => { window.__longTasks = []; }); // the version switch is not a paste
    const binary = Array.from({ length: 4000 }, (_, i) => String.fromCharCode((i * 7) % 256 || 1)).join('');
    await paste(page, 'pane-mx', binary);
    await page.waitForFunction(() => document.querySelectorAll('[data-pane="pane-mx"] .diagnostic').length > 0, null, { timeout: 30_000 });
    assert.match((await paneMessages(page, 'pane-mx')).join('\n'), /line \d+, column \d+/);

    // A NUL in main.cf: Postfix stops reading the line there, and the page says where.
    const mainCf = await page.locator('#pane-main-cf').inputValue();
    await paste(page, 'pane-main-cf', `${mainCf}smtp_tls_loglevel = 1\0 garbage\n`);
    await page.waitForFunction(() => /NUL|null/i.test(document.querySelector('[data-pane="pane-main-cf"]')?.textContent ?? ''), null, { timeout: 30_000 });

    await page.waitForSelector('.verdict:not(.stale)', { timeout: 30_000 });
    await page.waitForTimeout(300);
    tasks.push(...await longTasks(page));
    await stillAnswers(page, 'deferred');
    console.log(`long tasks while the pastes were read and explained (ms): ${tasks.join(', ') || 'none'}`);
    assert.ok(tasks.every((ms) => ms <= 200), `no long task over 200 ms: ${tasks.join(', ')}`);
    await screenshot(page, 'hostile-input');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

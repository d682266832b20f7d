// Hostile input in the browser: a paste past a pane's limit, binary bytes and NULs each give a
// clear message under their pane, no task on the page's main thread takes over 200 ms, and the
// page keeps answering (a version switch is explained right after the pastes).
//
// A paste longer than a pane's limit is cut by the page at that limit (whole lines) with a notice,
// so the browser never holds more than the engine reads. Known gap (issue 8): holding the policy
// table's 2 MiB, Chromium still spends 0.2-1 s laying out the text field; the engine side of
// 10 MB inputs is covered natively by engine/tests/hostile.rs.

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

test('a paste past a pane\'s limit, binary bytes and NULs: messages, no long task, still answering', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await page.selectOption('#pane-version', '3.11.6');
    await waitForStatus(page, 'deferred');
    await watchLongTasks(page);

    // 1,400 MX lines (about 74 KB), past the pane's 64 KiB and 30-record limits: cut there, and
    // said so with the line where reading stopped.
    const mx = Array.from({ length: 1400 }, (_, i) => `fastmail.fm mail is handled by ${i % 50} mx${i}.example.com.`).join('\n');
    assert.ok(mx.length > 65_536);
    await paste(page, 'pane-mx', mx);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-pane="pane-mx"] .diagnostic')].some((d) => /reads at most/.test(d.textContent)), null, { timeout: 60_000 });
    await page.waitForSelector('.verdict:not(.stale)', { timeout: 60_000 });
    const cut = (await paneMessages(page, 'pane-mx')).join('\n');
    assert.match(cut, /is \d+ bytes; peername reads at most 65536 bytes, so everything from line \d+, column 1 on is ignored/);
    await stillAnswers(page, await page.locator('.verdict').getAttribute('data-status'));

    // Binary bytes in the MX pane (replacing the list): each unreadable line is named, with its
    // position.
    const binary = Array.from({ length: 1000 }, (_, i) => String.fromCharCode((i * 7) % 256 || 1)).join('');
    await paste(page, 'pane-mx', binary);
    await page.waitForFunction(() => document.querySelectorAll('[data-pane="pane-mx"] .diagnostic').length > 0, null, { timeout: 30_000 });
    assert.match((await paneMessages(page, 'pane-mx')).join('\n'), /line \d+, column \d+/);

    // A NUL in main.cf: Postfix stops reading the line there, and the page says where.
    const mainCf = await page.locator('#pane-main-cf').inputValue();
    await paste(page, 'pane-main-cf', `${mainCf}smtp_tls_loglevel = 1\0 garbage\n`);
    await page.waitForFunction(() => /NUL|null/i.test(document.querySelector('[data-pane="pane-main-cf"]')?.textContent ?? ''), null, { timeout: 30_000 });

    await page.waitForSelector('.verdict:not(.stale)', { timeout: 30_000 });
    await page.waitForTimeout(300);
    await stillAnswers(page, await page.locator('.verdict').getAttribute('data-status'));
    const tasks = await longTasks(page);
    console.log(`long tasks during the pastes and version switches (ms): ${tasks.join(', ') || 'none'}`);
    assert.ok(tasks.every((ms) => ms <= 200), `no long task over 200 ms: ${tasks.join(', ')}`);
    await screenshot(page, 'hostile-input');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('a real 10 MB paste: the pane takes the lines the engine reads and says so; the tab stays usable', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await page.selectOption('#pane-version', '3.11.6');
    await waitForStatus(page, 'deferred');
    await watchLongTasks(page);
    // Built in the page (no 10 MB crossing the test protocol), pasted as the browser pastes:
    // a ClipboardEvent whose DataTransfer holds the text.
    const pasted = await page.evaluate(() => {
      const lines = [];
      for (let i = 0; i < 20_000; i += 1) lines.push(`h${i}.example secure match=h${i}.example`);
      const block = `${lines.join('\n')}\n`;
      const text = `fastmail.fm     secure ciphers=high\n${block.repeat(Math.ceil(10_000_000 / block.length))}`;
      const area = document.getElementById('pane-policy');
      area.focus();
      area.select();
      const data = new DataTransfer();
      data.setData('text/plain', text);
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return text.length;
    });
    assert.ok(pasted > 10_000_000);
    await page.waitForSelector('[data-notice="paste-cut"]');
    const notice = await page.locator('[data-notice="paste-cut"]').innerText();
    assert.match(notice, /peername reads at most 2097152 bytes there, so the pane keeps the first \d+ bytes/);
    const kept = await page.evaluate(() => new TextEncoder().encode(document.getElementById('pane-policy').value).length);
    assert.ok(kept <= 2_097_152 && kept > 2_000_000, `the pane holds ${kept} bytes`);
    assert.ok((await page.locator('#pane-policy').inputValue()).endsWith('\n'), 'whole lines');
    await waitForStatus(page, 'deferred', 60_000);
    await page.waitForTimeout(500);
    await stillAnswers(page, 'deferred');
    const tasks = await longTasks(page);
    console.log(`long tasks around the 10 MB paste (ms): ${tasks.join(', ') || 'none'}`);
    // Known gap (issue 8): Chromium lays out the 2 MiB the pane keeps in one task of 0.3-2 s
    // here (more on a loaded machine). Before the pane cut pastes at the engine's limit, the
    // same paste froze the tab for about 9 s; this bound keeps that from coming back.
    assert.ok(tasks.every((ms) => ms <= 5_000), `no long task over 5 s: ${tasks.join(', ')}`);
    await assertClean(record);
  } finally {
    await context.close();
  }
});

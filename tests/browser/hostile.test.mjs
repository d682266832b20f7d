// Hostile input in the browser: a paste past a pane's limit, binary bytes and NULs each give a
// clear message under their pane, no task on the page's main thread takes over 200 ms, and the
// page keeps answering (a version switch is explained right after the pastes).
//
// A paste longer than a pane's limit is cut by the page at that limit (whole lines) with a notice,
// so the browser never holds more than the engine reads; a text too long for a text field
// (over 256 KiB: Chromium would take 0.3-2 s to lay it out) is held by the page and shown as its
// size and first lines. The engine side of 10 MB inputs is covered natively by
// engine/tests/hostile.rs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, repoRoot, screenshot, serveAndLaunch } from './harness.mjs';
import { assertClean, assertNoLongTask, loadExample, waitForStatus, watchLongTasks } from './page.mjs';

let server;
let browser;

serveAndLaunch('/', (s, b) => {
  server = s;
  browser = b;
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
  await page.waitForSelector('.verdict[data-current="true"]', { timeout: 30_000 });
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
    await page.waitForSelector('.verdict[data-current="true"]', { timeout: 60_000 });
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

    await page.waitForSelector('.verdict[data-current="true"]', { timeout: 30_000 });
    await page.waitForTimeout(300);
    await stillAnswers(page, await page.locator('.verdict').getAttribute('data-status'));
    await assertNoLongTask(page, 200, 'during the pastes and version switches');
    await screenshot(page, 'hostile-input');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

/**
 * Puts a text on the page's "clipboard" (`window.__clipboard`, for pasteText): `build(arg)` runs in
 * the page and sets it, in a task of its own, as the clipboard's text is the browser's, and so no
 * megabytes cross the test protocol. Then lets the page settle and starts a new list of long tasks.
 */
async function stageClipboard(page, build, arg) {
  await page.evaluate(build, arg);
  await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
  await watchLongTasks(page);
}

/**
 * Pastes a text of about `bytes` bytes (`first`, then 20,000 distinct policy lines, repeated)
 * into the element with id `id` as the browser pastes (see pasteText). Gives its length.
 */
async function pasteBig(page, id, bytes, first) {
  await stageClipboard(page, ({ bytes, first }) => {
    const lines = [];
    for (let i = 0; i < 20_000; i += 1) lines.push(`h${i}.example secure match=h${i}.example`);
    const block = `${lines.join('\n')}\n`;
    window.__clipboard = `${first}\n${block.repeat(Math.ceil(bytes / block.length))}`;
  }, { bytes, first });
  return pasteText(page, id, null);
}

test('a real 10 MB paste: the pane holds the lines the engine reads, says so, and the tab never stalls', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await page.selectOption('#pane-version', '3.11.6');
    await waitForStatus(page, 'deferred');
    await watchLongTasks(page);
    const pasted = await pasteBig(page, 'pane-policy', 10_000_000, 'fastmail.fm     secure ciphers=high');
    assert.ok(pasted > 10_000_000);
    await page.waitForSelector('[data-notice="paste-cut"]');
    const notice = await page.locator('[data-notice="paste-cut"]').innerText();
    assert.match(notice, /peername reads at most 2097152 bytes there, so the pane keeps the first \d+ bytes/);
    // Too long for a text field: the page holds it and shows its size and first lines.
    const held = page.locator('#pane-policy.held-text');
    await held.waitFor();
    const kept = Number(await held.getAttribute('data-bytes'));
    assert.ok(kept <= 2_097_152 && kept > 2_000_000, `the pane holds ${kept} bytes`);
    assert.match(await held.locator('.held-summary').innerText(), /^2,0\d\d,\d\d\d bytes in 5\d,\d\d\d lines: too much for a text field/);
    assert.match(await held.locator('.held-preview').innerText(), /^fastmail\.fm {5}secure ciphers=high\nh0\.example secure match=h0\.example\n/);
    // All of it is read: the walk finds the entry on line 1 and the engine lists no cut.
    await waitForStatus(page, 'deferred', 60_000);
    assert.equal(await page.locator('#step-5 .rung.hit').getAttribute('data-key'), 'fastmail.fm');
    await page.waitForTimeout(500);
    await stillAnswers(page, 'deferred');
    await screenshot(page, 'hostile-held-policy-table');
    await assertNoLongTask(page, 200, 'around the 10 MB paste');

    // Clear gives the empty text field back; a short paste then goes into it as usual.
    await held.locator('[data-held="clear"]').click();
    await page.waitForSelector('textarea#pane-policy');
    assert.equal(await page.locator('#pane-policy').inputValue(), '');
    await paste(page, 'pane-policy', 'fastmail.fm secure match=.fastmail.com\n');
    await waitForStatus(page, 'deferred', 30_000);
    await assertNoLongTask(page, 200, 'from the 10 MB paste through Clear and a short paste');

    // "Edit here anyway" puts the held text into a text field after all (slow, as it says).
    await pasteBig(page, 'pane-policy', 3_000_000, 'fastmail.fm     secure ciphers=high');
    await held.waitFor();
    const again = Number(await held.getAttribute('data-bytes'));
    await held.locator('[data-held="edit"]').click();
    await page.waitForSelector('textarea#pane-policy');
    const inField = await page.evaluate(() => new TextEncoder().encode(document.getElementById('pane-policy').value).length);
    assert.equal(inField, again, 'the text field holds the whole held text');
    // Another big paste there is held again (the text field would keep showing the old text).
    await pasteBig(page, 'pane-policy', 2_500_000, 'other.example secure');
    await held.waitFor();
    assert.match(await held.locator('.held-preview').innerText(), /^other\.example secure\n/);
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('a whole syslog pasted into the log pane: held, cut at the log limit, read without a stall', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await waitForStatus(page, 'deferred');
    await page.locator('.log-pane > summary').click();
    await watchLongTasks(page);
    const first = 'Nov 23 10:00:00 mx postfix/smtp[123]: Trusted TLS connection established to in1-smtp.messagingengine.com[66.111.4.72]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)';
    await pasteBig(page, 'pane-log', 10_000_000, first);
    await page.waitForSelector('[data-notice="paste-cut"]');
    assert.match(await page.locator('[data-notice="paste-cut"]').innerText(), /peername reads at most 1048576 bytes there/);
    const held = page.locator('#pane-log.held-text');
    await held.waitFor();
    const kept = Number(await held.getAttribute('data-bytes'));
    assert.ok(kept <= 1_048_576 && kept > 1_000_000, `the log pane holds ${kept} bytes`);
    await page.getByRole('button', { name: 'Read the log' }).click();
    await page.waitForSelector('.log-pane .log-reading', { timeout: 60_000 });
    await assertNoLongTask(page, 200, 'around the 10 MB log paste');
    await stillAnswers(page, 'deferred');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('100,000 MX lines, a 1,000-certificate CA bundle, CRLF with a BOM, invisible characters: said, no stall', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await loadExample(page, record, 'fastmail');
    await waitForStatus(page, 'deferred');

    // 100,000 MX lines pasted as the browser pastes: cut at the pane's 64 KiB, with a notice.
    await stageClipboard(page, () => {
      window.__clipboard = Array.from({ length: 100_000 }, (_, i) => `fastmail.fm mail is handled by ${i % 50} mx${i}.example.com.`).join('\n');
    });
    await pasteText(page, 'pane-mx', null);
    await page.waitForSelector('[data-notice="paste-cut"]');
    assert.match(await page.locator('[data-notice="paste-cut"]').innerText(), /peername reads at most 65536 bytes there/);
    const mxBytes = await page.evaluate(() => new TextEncoder().encode(document.getElementById('pane-mx').value).length);
    assert.ok(mxBytes <= 65_536 && mxBytes > 60_000, `the MX pane holds ${mxBytes} bytes`);
    await page.waitForSelector('.verdict[data-current="true"]', { timeout: 60_000 });
    await assertNoLongTask(page, 200, 'around 100,000 MX lines');

    // A 1,000-certificate CA bundle (1.3 MB): cut at the bundle's 384 KiB, with a notice.
    await page.locator('#trust-bundle').check();
    const leaf = readFileSync(join(repoRoot, 'bench', 'fixtures', 'three-chain.pem'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/)[0];
    await stageClipboard(page, (pem) => {
      window.__clipboard = pem.repeat(1000);
    }, leaf);
    await pasteText(page, 'pane-ca-bundle', null);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-notice="paste-cut"]')].some((n) => /reads at most 393216 bytes there/.test(n.textContent)), null, { timeout: 60_000 });
    await page.waitForSelector('.verdict[data-current="true"]', { timeout: 60_000 });
    await assertNoLongTask(page, 200, 'around 1,000 certificates');

    // CRLF line ends and a byte order mark read like plain lines: the policy entry is still found.
    await paste(page, 'pane-policy', '\uFEFFfastmail.fm secure ciphers=high\r\n');
    await page.waitForSelector('.verdict[data-current="true"]', { timeout: 30_000 });
    assert.equal(await page.locator('#step-5 .rung.hit').getAttribute('data-key'), 'fastmail.fm');

    // A zero-width space and a right-to-left mark in the destination are named, not matched.
    await paste(page, 'pane-destination', 'user@fast\u200Bmail.fm\u200F');
    await page.waitForFunction(() => /invisible or control character/.test(document.querySelector('[data-pane="pane-destination"]')?.textContent ?? ''), null, { timeout: 30_000 });
    await stillAnswers(page, await page.locator('.verdict').getAttribute('data-status'));
    await assertClean(record);
  } finally {
    await context.close();
  }
});

/**
 * Pastes `text` (or, when null, the text stageClipboard left in the page) into the element with id `id`
 * through a ClipboardEvent, as the browser does. Gives the text's length.
 */
function pasteText(page, id, text) {
  return page.evaluate(({ id, text }) => {
    const pasted = text ?? window.__clipboard;
    delete window.__clipboard;
    const area = document.getElementById(id);
    area.focus();
    area.select();
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return pasted.length;
  }, { id, text });
}

// "Paste a log": the original question (its Japanese translation, prose, policy lines and the
// Postfix log together) pasted as it is: the lines that are not log lines are listed with their
// reason, the wording points to Postfix ≤3.5 and the version the question names, the failing
// stage is the name match, and "Walk through this" starts the walk from the log. "Mask
// addresses" hides local parts and IP addresses in the pasted text.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, repoRoot, screenshot, serveAndLaunch, waitForApp } from './harness.mjs';
import { assertAxeClean, assertClean, paneValue, waitForVerdict } from './page.mjs';

let server;
let browser;

serveAndLaunch('/', (s, b) => {
  server = s;
  browser = b;
});

const SEED = readFileSync(join(repoRoot, 'engine/tests/fixtures/logs/seeds/000_30dac022df0447e0.txt'), 'utf8');

async function pasteLog(page, text) {
  await page.locator('.log-pane > summary').click();
  await page.evaluate((text) => {
    const area = document.getElementById('pane-log');
    area.value = text;
    area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
}

test('the seed question pasted whole: unread lines listed, era, failing stage, then the walk', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await waitForApp(page, record);
    await pasteLog(page, SEED);
    await page.getByRole('button', { name: 'Read the log' }).click();
    const reading = page.locator('.log-reading');
    await reading.waitFor();
    const counts = await page.locator('.log-counts').innerText();
    const [, lines, read, , unread] = counts.match(/(\d+) lines: (\d+) read, (\d+) ignored, (\d+) not read/).map(Number);
    assert.equal(lines, SEED.split('\n').length - (SEED.endsWith('\n') ? 1 : 0), counts);
    assert.ok(read >= 10, `the log lines are read: ${counts}`);
    assert.ok(unread > 0, 'the question\'s prose is not a log');
    // Every line not read is listed with its line number and reason: nothing is dropped silently.
    assert.equal(await page.locator('.log-unread li').count(), unread);
    assert.match(await page.locator('.log-unread li').first().innerText(), /^line \d+: not a Postfix log line:/);
    // The banner line (mail_version = 2.11.0) narrows the ≤3.5 wording to one version.
    assert.match(await reading.innerText(), /The wording is that of Postfix 2\.11\.0\./);
    assert.match(await page.locator(".log-clues").innerText(), /→ ≤3\.5/);
    assert.match(await reading.innerText(), /Postfix version for the walk: 2\.11\.0/);
    assert.equal(await page.locator('.log-stage').getAttribute('data-stage'), 'name-match');
    await assertAxeClean(page, 'log read');
    await screenshot(page, 'log-pane');

    await page.getByRole('button', { name: 'Walk through this' }).click();
    await waitForVerdict(page, 60_000);
    assert.equal(await page.locator('#pane-version').inputValue(), '2.11.0');
    assert.match(await paneValue(page, 'pane-destination'), /fastmail\.fm/);
    assert.ok((await page.locator('.step').count()) > 3, 'the walk is shown');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('an LMTP log walks to the LMTP client, named as outside the model', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { viewport: { width: 1280, height: 900 } } });
  try {
    await waitForApp(page, record);
    await pasteLog(page, [
      'Nov 24 09:00:01 mx postfix/lmtp[123]: Untrusted TLS connection established to mail.example.com[192.0.2.10]:24: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)',
      'Nov 24 09:00:01 mx postfix/lmtp[123]: ABCDEF123: to=<user@example.com>, relay=mail.example.com[192.0.2.10]:24, delay=0.1, delays=0/0/0.05/0.05, dsn=2.0.0, status=sent (250 2.0.0 <user@example.com> Saved)',
      '',
    ].join('\n'));
    await page.getByRole('button', { name: 'Read the log' }).click();
    await page.locator('.log-reading').waitFor();
    await page.getByRole('button', { name: 'Walk through this' }).click();
    await page.waitForSelector('.verdict[data-current="true"][data-status="lmtp"]', { timeout: 60_000 });
    assert.equal(await paneValue(page, 'pane-transport'), 'example.com lmtp:inet:mail.example.com:24\n');
    assert.match(await page.locator('.verdict-headline').innerText(), /the LMTP client/);
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('mask addresses hides local parts and IP addresses in the pasted log', async () => {
  const { context, page, record } = await openPage(browser, server.url);
  try {
    await waitForApp(page, record);
    const log = 'Feb 25 21:57:22 mail postfix/smtp[25291]: D33A02504112: to=<alice@fastmail.fm>, relay=in1-smtp.messagingengine.com[66.111.4.74]:25, delay=8.4, delays=0.02/0/8.4/0, dsn=4.7.5, status=deferred (Server certificate not verified)\n';
    await pasteLog(page, log);
    await page.getByRole('button', { name: 'Mask addresses' }).click();
    await page.waitForFunction(() => !document.getElementById('pane-log').value.includes('alice'));
    const masked = await paneValue(page, 'pane-log');
    assert.ok(!masked.includes('66.111.4.74'), masked);
    assert.match(masked, /to=<…@fastmail\.fm>/);
    assert.match(masked, /relay=in1-smtp\.messagingengine\.com\[/, 'host names stay: the explanation needs them');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

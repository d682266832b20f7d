// The walk as a mail admin sees it: the gallery, the fastmail.fm question (verdict, failing grid
// cells, fixes), applying a fix, typing into the policy pane, and switching Postfix versions.
// Every test records the page's requests (none may leave its origin) and runs axe on its states;
// screenshots of the main states go to tests/browser/artifacts/.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, serveAndLaunch, waitForApp } from './harness.mjs';
import { assertAxeClean, assertClean, assertNoLongTask, loadExample, waitForStatus, watchLongTasks } from './page.mjs';

let server;
let browser;
const desktop = { viewport: { width: 1400, height: 1000 } };

serveAndLaunch('/', (s, b) => {
  server = s;
  browser = b;
});

test('the empty page shows the examples gallery', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await waitForApp(page, record);
    assert.ok(!record.requests.some((u) => u.includes('peername-api')), 'the engine is not loaded before it is needed');
    assert.equal(await page.locator('.gallery .card').count(), 10, 'ten examples');
    await page.getByRole('heading', { name: 'Why did Postfix defer this mail?' }).waitFor();
    assert.equal(await page.locator('#pane-version').inputValue(), '3.11.6', 'the default version is the engine\'s');
    await assertAxeClean(page, 'empty page');
    await screenshot(page, 'empty-gallery');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('fastmail.fm: deferred 4.7.5, the failing name grid, and verified fixes', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    const verdict = page.locator('.verdict');
    assert.equal(await verdict.getAttribute('data-status'), 'deferred');
    assert.match(await verdict.innerText(), /Not delivered/);
    assert.match(await verdict.innerText(), /Deferred: 4\.7\.5 Server certificate not verified/);
    assert.match(await verdict.innerText(), /no name in the certificate matches/);
    assert.deepEqual(await verdict.locator('.trust-word').allInnerTexts(), ['Untrusted', 'Untrusted']);

    // Step 10 is the first server: every expected name against every certificate name.
    const server1 = page.locator('#step-10');
    assert.match(await server1.locator('.step-title').innerText(), /Server in1-smtp\.messagingengine\.com/);
    const failing = server1.locator('td.cell[data-outcome="fail"]');
    assert.equal(await failing.count(), 6, 'two reference names × three DNS SANs, all failing');
    const rules = await failing.evaluateAll((cells) => cells.map((c) => c.dataset.rule));
    assert.deepEqual(rules, ['wildcard-suffix-mismatch', 'exact-mismatch', 'exact-mismatch', 'suffix-mismatch', 'suffix-mismatch', 'suffix-mismatch']);
    const cn = server1.locator('td.cell[data-outcome="skip"]');
    assert.equal(await cn.count(), 2, 'the CN is shown but not compared');
    assert.match(await cn.first().innerText(), /CN ignored: the certificate has DNS names/);
    assert.match(await server1.locator('.failure-line').innerText(), /num=62:hostname mismatch/);

    // The policy walk's ladder and the match list's source.
    assert.equal(await page.locator('#step-5 .rung.hit').getAttribute('data-key'), 'fastmail.fm');
    assert.match(await page.locator('#step-8').innerText(), /built-in default of smtp_tls_secure_cert_match/);
    assert.equal(await page.locator('#step-8 a.postconf').getAttribute('href'), 'https://www.postfix.org/postconf.5.html#smtp_tls_secure_cert_match');

    // Log lines: the summary line is shown at smtp_tls_loglevel = 1, the verbose ones are dimmed.
    assert.ok(await page.locator('.log-line[data-shown="true"]', { hasText: 'Untrusted TLS connection established' }).count() >= 1);
    assert.ok(await page.locator('.log-line.dim', { hasText: 'maps_find' }).count() >= 1);

    // Fixes, each with its cost.
    const fixes = await page.locator('.fix .fix-line').allInnerTexts();
    assert.equal(fixes[0], 'fastmail.fm secure match=.messagingengine.com ciphers=high');
    assert.ok(fixes.includes('fastmail.fm secure match=hostname ciphers=high'));
    assert.ok(fixes.includes('fastmail.fm verify ciphers=high'));
    assert.equal(await page.locator('.fix .fix-cost').count(), fixes.length);

    await assertAxeClean(page, 'fastmail walk');
    await screenshot(page, 'fastmail-walk');
    await page.screenshot({ path: new URL('./artifacts/fastmail-walk-viewport.png', import.meta.url).pathname });
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('applying match=.messagingengine.com turns it Verified and delivered', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    await page.click('button[data-apply="fastmail.fm secure match=.messagingengine.com ciphers=high"]');
    await waitForStatus(page, 'sent');
    const verdict = page.locator('.verdict');
    assert.equal(await verdict.getAttribute('data-delivered'), 'true');
    assert.match(await verdict.innerText(), /Delivered/);
    assert.deepEqual(await verdict.locator('.trust-word').allInnerTexts(), ['Verified']);
    assert.match(await page.locator('#pane-policy').inputValue(), /^fastmail\.fm secure match=\.messagingengine\.com ciphers=high$/m);
    const matched = page.locator('#step-10 td.cell[data-outcome="pass"]');
    assert.ok(await matched.count() >= 1, 'a grid cell matches');
    assert.equal(await matched.first().getAttribute('data-rule'), 'suffix-match');
    assert.equal(await page.locator('.fixes').count(), 0, 'nothing left to fix');
    await assertAxeClean(page, 'fixed walk');
    await screenshot(page, 'fixed-walk');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('typing into the policy pane updates the walk, without long tasks', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    await watchLongTasks(page);
    const policy = page.locator('#pane-policy');
    await policy.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nfastmail.fm     verify', { delay: 30 });
    // The first entry for a key wins in hash: tables (postmap keeps the first): the walk still shows line 4.
    await page.waitForTimeout(400);
    await waitForStatus(page, 'deferred');
    await policy.fill('fastmail.fm encrypt\n');
    await waitForStatus(page, 'sent');
    assert.match(await page.locator('#step-7').innerText(), /encrypt/, 'the security level step follows the table');
    await page.locator('#pane-destination').click();
    await page.keyboard.press('End');
    await page.keyboard.type('x', { delay: 40 });
    await page.keyboard.press('Backspace');
    await waitForStatus(page, 'sent');
    await assertNoLongTask(page, 50, 'while typing');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('an LMTP transport is named as outside the model, not run as smtp(8)', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    await page.locator('details.pane-group:has(#pane-transport) > summary').click();
    await page.locator('#pane-transport').fill('fastmail.fm lmtp:inet:mail.example.com:24\n');
    await waitForStatus(page, 'lmtp');
    const verdict = page.locator('.verdict');
    assert.match(await verdict.getAttribute('class'), /\binfo\b/, 'neither delivered nor refused');
    assert.equal((await page.locator('.verdict-word').innerText()).trim(), 'Not modelled here');
    assert.match(await page.locator('.verdict-headline').innerText(), /lmtp:, the LMTP client, which decides TLS with its own lmtp_tls_\* settings/);
    assert.equal(await page.locator('.step').count(), 2, 'the version and the route, no smtp(8) steps');
    await assertAxeClean(page, 'LMTP transport');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('a default_transport next-hop is the route the walk shows, in Japanese too', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    const mainCf = page.locator('#pane-main-cf');
    await mainCf.fill(`${await mainCf.inputValue()}\ndefault_transport = smtp:[relay.example.net]:587\n`);
    await page.waitForFunction(() => document.querySelector('#step-2')?.textContent.includes('[relay.example.net]:587')
      && !!document.querySelector('.verdict[data-current="true"]'));
    const route = await page.locator('#step-2').innerText();
    assert.match(route, /default_transport = smtp:\[relay\.example\.net\]:587: relayhost and the recipient domain are not used/);
    assert.match(route, /a next-hop in default_transport/);
    await page.selectOption('.lang-menu select', 'ja');
    await page.waitForFunction(() => document.querySelector('#step-2')?.textContent.includes('relayhost と受信者ドメインは使われません'));
    assert.match(await page.locator('#step-2').innerText(), /default_transport のネクストホップ/);
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('switching 3.7.11 → 3.11.6 shows Untrusted → Trusted', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    assert.equal(await page.locator('#pane-version').inputValue(), '3.7.11');
    await page.selectOption('#pane-version', '3.11.6');
    await page.waitForSelector('.changes');
    const changes = page.locator('.changes');
    assert.match(await changes.innerText(), /What changed from 3\.7\.11 to 3\.11\.6/);
    const trust = changes.locator('[data-change="trust"]').first();
    assert.equal(await trust.locator('del').innerText(), 'Untrusted');
    assert.equal(await trust.locator('ins').innerText(), 'Trusted');
    assert.ok(await changes.locator('[data-change="era"]').count() === 1);
    assert.deepEqual(await page.locator('.verdict .trust-word').allInnerTexts(), ['Trusted', 'Trusted']);
    assert.equal(await page.locator('.verdict').getAttribute('data-status'), 'deferred', 'still deferred: only the word changes');
    await assertAxeClean(page, 'era switch');
    await screenshot(page, 'era-switch');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('dark mode and a phone-sized screen', async () => {
  for (const [name, options] of [
    ['dark-mode', { ...desktop, colorScheme: 'dark' }],
    ['mobile', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
  ]) {
    const { context, page, record } = await openPage(browser, server.url, { contextOptions: options });
    try {
      await loadExample(page, record, 'fastmail');
      if (name === 'dark-mode') {
        const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        assert.equal(bg, 'rgb(13, 17, 23)', 'dark background');
      } else {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 390);
        assert.ok(overflow <= 1, `no horizontal scrolling on a phone (${overflow}px too wide)`);
      }
      await assertAxeClean(page, name);
      await screenshot(page, name);
      await assertClean(record);
    } finally {
      await context.close();
    }
  }
});

test('keyboard only: tab to an example, load it, reach the fixes', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await waitForApp(page, record);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await page.locator('button[data-example="fastmail"]').focus();
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'deferred');
    const apply = page.locator('button[data-apply]').first();
    await apply.focus();
    const outline = await apply.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused button shows a focus ring');
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'sent');
    await assertClean(record);
  } finally {
    await context.close();
  }
});

test('each certificate pane lists what was read from it, whatever its host', async () => {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: desktop });
  try {
    await loadExample(page, record, 'fastmail');
    const panes = page.locator('.cert-pane');
    const readIn = (i) => panes.nth(i).locator('.cert-list summary');
    const firstRead = await readIn(0).innerText();
    assert.equal(firstRead, '1 certificate(s) read', 'the example pastes one certificate');
    const leaf = (await panes.nth(0).locator('textarea').inputValue()).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/)[0];

    // A second pane for every server too (the same empty host, the same certificate): each pane
    // shows what was read from it, not every certificate for its host (that would be 2 in each).
    await page.getByRole('button', { name: 'Another server\'s certificates' }).click();
    await panes.nth(1).locator('textarea').fill(leaf);
    await page.waitForFunction(() => document.querySelectorAll('.cert-pane')[1]?.querySelector('.cert-list summary')?.textContent === '1 certificate(s) read');
    await page.waitForSelector('.verdict[data-current="true"]');
    assert.equal(await readIn(0).innerText(), firstRead, 'the first pane still lists only its own certificate');

    // A host name in capitals: the engine folds it; the pane still lists what it read.
    const host = panes.nth(1).locator('input[type="text"]');
    await host.fill('IN2-SMTP.MessagingEngine.COM');
    await host.press('Enter');
    await page.waitForSelector('.verdict[data-current="true"]');
    await page.waitForFunction(() => document.querySelectorAll('.cert-pane')[1]?.querySelector('.cert-list summary')?.textContent === '1 certificate(s) read');
    assert.equal(await readIn(0).innerText(), firstRead);
    await assertClean(record);
  } finally {
    await context.close();
  }
});

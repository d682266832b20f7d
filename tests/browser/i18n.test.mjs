// The page in Japanese and Simplified Chinese: the language comes from the browser's preferences,
// only that language's words are downloaded, the seed example reaches the same verdict with
// translated step titles while Postfix's own log lines stay verbatim, the menu switches language,
// and a copied link keeps it. One screenshot per language.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPage, repoRoot, screenshot, serveAndLaunch, waitForApp } from './harness.mjs';
import { assertAxeClean, assertClean, loadExample } from './page.mjs';

let server;
let browser;

serveAndLaunch('/', (s, b) => {
  server = s;
  browser = b;
});

/** `key = text` entries of a catalogue file. */
function catalogue(file) {
  const entries = new Map();
  for (const line of readFileSync(join(repoRoot, 'i18n', 'catalogue', file), 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf(' = ');
    if (at > 0) entries.set(line.slice(0, at), line.slice(at + 3));
  }
  return entries;
}

const EN = catalogue('en.txt');

/** What a reader of each language sees of the seed example (fastmail.fm, Postfix 3.7.11). */
async function seedAsSeen(locale) {
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { locale, viewport: { width: 1280, height: 900 } } });
  try {
    await waitForApp(page, record);
    await loadExample(page, record, 'fastmail');
    const seen = {
      htmlLang: await page.getAttribute('html', 'lang'),
      status: await page.locator('.verdict[data-current="true"]').getAttribute('data-status'),
      titles: await page.locator('.step-title').allInnerTexts(),
      // Postfix's lines without the page's (translated) note of the setting that shows them.
      log: (await page.locator('.log-lines .log-line').allInnerTexts()).map((line) => line.split('  ⟵ ')[0].trim()),
      fetchedCatalogues: record.requests.filter((u) => /\/(en|ja|zh)\.txt$/.test(new URL(u).pathname)).map((u) => new URL(u).pathname.split('/').pop()),
    };
    return { context, page, record, seen };
  } catch (e) {
    await context.close();
    throw e;
  }
}

for (const { locale, file, code, name } of [
  { locale: 'ja-JP', file: 'ja.txt', code: 'ja', name: 'Japanese' },
  { locale: 'zh-CN', file: 'zh.txt', code: 'zh-Hans', name: 'Chinese' },
]) {
  test(`${name}: chosen from the browser, same verdict, translated steps, verbatim log lines`, async () => {
    const words = catalogue(file);
    const english = await seedAsSeen('en-US');
    await english.context.close();
    const { context, page, record, seen } = await seedAsSeen(locale);
    try {
      assert.equal(seen.htmlLang, code, '<html lang> follows the language shown');
      assert.deepEqual(seen.fetchedCatalogues, [file], `only ${file} was downloaded`);
      assert.equal(seen.status, english.seen.status, 'the same verdict in every language');
      assert.equal(seen.titles.length, english.seen.titles.length, 'the same steps');
      // Every step title is the catalogue's translation, and none is left in English.
      for (const key of ['step.version', 'step.destination', 'step.policy-lookup', 'step.policy-entry', 'step.level']) {
        assert.ok(words.has(key), `${file} translates ${key}`);
        assert.notEqual(words.get(key), EN.get(key), `${key} is really translated`);
        assert.ok(seen.titles.some((title) => title.includes(words.get(key))), `step title ${words.get(key)} is shown`);
        assert.ok(!seen.titles.some((title) => title.includes(EN.get(key))), `no English ${EN.get(key)}`);
      }
      // Literal Postfix text stays as Postfix writes it: users search for it.
      assert.deepEqual(seen.log, english.seen.log, 'the log lines are identical to English');
      assert.ok(seen.log.some((line) => line.includes('Server certificate not verified')), 'the DSN text is verbatim');
      await assertAxeClean(page, `${name} seed`);
      await screenshot(page, `i18n-${code}`);
      await assertClean(record);
    } finally {
      await context.close();
    }
  });
}

test('the language menu switches the page, and a copied link keeps the language', async () => {
  const clipboard = { permissions: ['clipboard-read', 'clipboard-write'] };
  const { context, page, record } = await openPage(browser, server.url, { contextOptions: { locale: 'en-US', ...clipboard } });
  let link;
  try {
    await loadExample(page, record, 'fastmail');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(!record.requests.some((u) => /\/(ja|zh)\.txt$/.test(u)), 'an English reader downloads no other language');
    await page.selectOption('.lang-menu select', 'zh-Hans');
    const zh = catalogue('zh.txt');
    await page.waitForFunction((title) => [...document.querySelectorAll('.step-title')].some((h) => h.textContent.includes(title)), zh.get('step.policy-lookup'));
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    await page.getByRole('button', { name: zh.get('header.copy-link') }).click();
    await page.waitForSelector('[data-notice="link-copied"]');
    link = page.url();
    assert.match(link, /#lang=zh-Hans&s=[A-Za-z0-9_-]+$/, 'the link names the language');
    await assertClean(record);
  } finally {
    await context.close();
  }
  // Opened by an English reader, the link still shows Chinese.
  const second = await openPage(browser, link, { contextOptions: { locale: 'en-US' } });
  try {
    await waitForApp(second.page, second.record);
    await second.page.waitForSelector('.verdict[data-current="true"][data-status="deferred"]');
    const zh = catalogue('zh.txt');
    await second.page.waitForFunction((title) => [...document.querySelectorAll('.step-title')].some((h) => h.textContent.includes(title)), zh.get('step.policy-lookup'));
    assert.equal(await second.page.getAttribute('html', 'lang'), 'zh-Hans');
    await assertClean(second.record);
  } finally {
    await second.context.close();
  }
});

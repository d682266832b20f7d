// Shared browser-test harness: Debian's Chromium driven by playwright-core (which never downloads
// a browser), the page served by static-server.mjs, and a recorder that notes every request, every
// console error, every uncaught exception and every Content-Security-Policy violation.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from './static-server.mjs';
import { after, before } from 'node:test';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
export const distDir = process.env.PEERNAME_DIST ?? join(repoRoot, 'web', 'dist');
export const artifactsDir = join(here, 'artifacts');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium phones home at start; this machine's closed
// network refuses those connections, and they are no business of a test anyway.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch Chromium. Playwright gives every launch a new, empty temporary user-data-dir. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/setup (it installs Debian's chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** Serve the built page (web/dist) under `prefix`; fails early when there is no build. */
export async function serveDist(prefix = '/') {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir}/index.html is missing: run \`trunk build --release\` in web/ first`);
  }
  return startStaticServer({ root: distDir, prefix });
}

/**
 * Open `url` in a new context and record what the page does. Requests are routed through the
 * recorder: those to the page's own origin go ahead, any other is recorded and aborted, so a test
 * can fail on it without anything leaving the machine. `initScript` runs in the page before any
 * of its own scripts.
 */
export async function openPage(browser, url, { contextOptions = {}, initScript } = {}) {
  const origin = new URL(url).origin;
  const context = await browser.newContext({ serviceWorkers: 'block', ...contextOptions });
  if (initScript) await context.addInitScript(initScript);
  const record = {
    requests: [],
    foreignRequests: [],
    failedResponses: [],
    failedRequests: [],
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
  };

  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) return route.continue();
    return route.abort('blockedbyclient'); // recorded by the 'request' listener below
  });
  context.on('request', (request) => {
    const target = request.url();
    record.requests.push(target);
    // data: and blob: URLs never touch the network; anything else must stay on the page's origin.
    const scheme = new URL(target).protocol;
    if (scheme !== 'data:' && scheme !== 'blob:' && new URL(target).origin !== origin) {
      record.foreignRequests.push(target);
    }
  });
  context.on('requestfailed', (request) => {
    record.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) record.failedResponses.push(`${response.status()} ${response.url()}`);
  });

  // Runs before any page script (injected over the DevTools protocol, so the page's CSP does not
  // apply to it) and keeps every violation report the document raises.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} ` +
        `at ${e.sourceFile || '?'}:${e.lineNumber}`);
    });
  });

  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/Content Security Policy/i.test(text)) record.cspViolations.push(text);
    else record.consoleErrors.push(text);
  });
  page.on('pageerror', (error) => record.pageErrors.push(String(error)));

  await page.goto(url, { waitUntil: 'load' });

  /** Collects the violations the page itself saw (console reports are collected already). */
  record.collectCsp = async () => {
    const seen = await page.evaluate(() => window.__cspViolations ?? []);
    for (const v of seen) if (!record.cspViolations.includes(v)) record.cspViolations.push(v);
    return record.cspViolations;
  };

  return { context, page, record };
}

/**
 * Wait until the Yew app has rendered its top-level heading. When it does not, the error says what
 * the page reported meanwhile (CSP refusals, console errors, failed requests).
 */
export async function waitForApp(page, record, timeout = 20_000) {
  const heading = page.getByRole('heading', { level: 1, name: 'peername' });
  try {
    await heading.waitFor({ state: 'visible', timeout });
  } catch (error) {
    await record?.collectCsp().catch(() => {});
    const seen = record ? JSON.stringify({
      cspViolations: record.cspViolations,
      consoleErrors: record.consoleErrors,
      pageErrors: record.pageErrors,
      failedResponses: record.failedResponses,
      failedRequests: record.failedRequests,
    }, null, 2) : '(not recorded)';
    throw new Error(`the app's <h1>peername</h1> did not appear within ${timeout} ms; the page reported: ${seen}`,
      { cause: error });
  }
  return heading;
}

/**
 * Run axe-core on the page as it is, CSP included. `page.addScriptTag({ content })` would insert an
 * inline <script>, which the page's `script-src 'self'` refuses; `page.evaluate` runs the source
 * over the DevTools protocol instead, which CSP does not govern, and axe itself needs no eval.
 */
export async function runAxe(page) {
  const source = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** Save a full-page screenshot to tests/browser/artifacts/<name>.png and return its path. */
export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * For a test file: serves dist/ at `prefix` and launches Chromium before its tests (handing both
 * to `use`), and closes them after.
 */
export function serveAndLaunch(prefix, use) {
  let server;
  let browser;
  before(async () => {
    server = await serveDist(prefix);
    browser = await launchBrowser();
    use(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

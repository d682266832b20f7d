// dist/ must work from any sub-path of a static host (GitHub Pages serves project sites under
// /<repo>/): every URL in the build is relative.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, serveAndLaunch, waitForApp } from './harness.mjs';

const PREFIX = '/some/sub/path/';
let server;
let browser;

serveAndLaunch(PREFIX, (s, b) => {
  server = s;
  browser = b;
});

test(`the page loads from ${PREFIX}`, async () => {
  const { context, page, record } = await openPage(browser, server.url);
  try {
    await waitForApp(page, record);
    await record.collectCsp();
    const outside = record.requests.filter((u) => !new URL(u).pathname.startsWith(PREFIX));
    assert.deepEqual(outside, [], `every request stays under ${PREFIX}`);
    assert.deepEqual(record.foreignRequests, []);
    assert.deepEqual(record.failedResponses, []);
    assert.deepEqual(record.cspViolations, []);
    assert.deepEqual(record.consoleErrors, []);
    assert.deepEqual(record.pageErrors, []);
  } finally {
    await context.close();
  }
});

test(`${PREFIX.slice(0, -1)} without its trailing slash redirects and loads`, async () => {
  const { context, page, record } = await openPage(browser, server.url.slice(0, -1));
  try {
    await waitForApp(page, record);
    assert.equal(new URL(page.url()).pathname, PREFIX);
  } finally {
    await context.close();
  }
});

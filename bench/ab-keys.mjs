// A/B of two builds of the page: the keystroke with a 10,000-line policy table and a
// 3-certificate chain, measured as `scripts/bench` measures it (the page's own `pn:update`),
// in blocks of keystrokes alternating between the two builds in one Chromium (the order swapped
// every round), so the shared machine's noise falls on both alike.
//
//   node bench/ab-keys.mjs A_DIST B_DIST [rounds]   (default 4 rounds of 12 keystrokes per build)
//
// Prints each build's median and how many keystrokes it is of. PERFORMANCE.md's side-by-side
// keystroke figures were taken with it.

import { resolve } from 'node:path';
import { launchBrowser } from '../tests/browser/harness.mjs';
import { startStaticServer } from '../tests/browser/static-server.mjs';
import { bigScenario, keystrokeTimes } from './page.mjs';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/ab-keys.mjs A_DIST B_DIST [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 4);
const scenario = bigScenario();
const builds = [
  { name: a, server: await startStaticServer({ root: resolve(a), prefix: '/' }), times: [] },
  { name: b, server: await startStaticServer({ root: resolve(b), prefix: '/' }), times: [] },
];
const browser = await launchBrowser();
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
try {
  for (let i = 0; i < rounds; i += 1) {
    for (const build of i % 2 ? [...builds].reverse() : builds) {
      build.times.push(...(await keystrokeTimes(browser, build.server.url, scenario, 12)).times);
    }
  }
  for (const build of builds) console.log(`${build.name}: ${median(build.times).toFixed(1)} ms median of ${build.times.length} keystrokes`);
} finally {
  await browser.close();
  for (const build of builds) await build.server.close();
}

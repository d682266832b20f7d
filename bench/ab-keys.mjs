// A/B of two builds of the page: the keystroke with a 10,000-line policy table and a
// 3-certificate chain, measured as `scripts/bench` measures it (the page's own `pn:update`),
// in blocks of keystrokes alternating between the two builds in one Chromium (the order swapped
// every round), so the shared machine's noise falls on both alike.
//
//   node bench/ab-keys.mjs A_DIST B_DIST [rounds]   (default 4 rounds of 12 keystrokes per build)
//
// Prints each build's median and how many keystrokes it is of. PERFORMANCE.md's side-by-side
// keystroke figures were taken with it.

import { launchBrowser } from '../tests/browser/harness.mjs';
import { bigScenario, keystrokeTimes, median, serveBuilds } from './page.mjs';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/ab-keys.mjs A_DIST B_DIST [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 4);
const scenario = bigScenario();
const builds = await serveBuilds([a, b]);
const browser = await launchBrowser();
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

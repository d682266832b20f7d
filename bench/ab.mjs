// A/B of two builds of the page: the fastmail.fm permalink's time to verdict, measured as
// `scripts/bench` measures it, alternating between the two builds in one Chromium (fresh context
// each time, the order swapped every round), so the shared machine's noise falls on both alike.
//
//   node bench/ab.mjs A_DIST B_DIST [rounds]     (e.g. web/dist and a build of another commit,
//                                                  `build_release_page --dist /tmp/other` from scripts/lib.sh)
//
// Prints each build's median and every time in ms. This is how PERFORMANCE.md's "measured side by
// side" figures for single changes were taken.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, repoRoot } from '../tests/browser/harness.mjs';
import { median, permalink, serveBuilds, timeToVerdict } from './page.mjs';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/ab.mjs A_DIST B_DIST [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 15);
const seed = JSON.parse(readFileSync(join(repoRoot, 'examples', 'fastmail.json'), 'utf8'));
const builds = await serveBuilds([a, b]);
const browser = await launchBrowser();
try {
  // One warm-up each (disk cache), then alternating rounds.
  for (const build of builds) await timeToVerdict(browser, `${build.server.url}#${permalink(seed)}`);
  for (let i = 0; i < rounds; i += 1) {
    for (const build of i % 2 ? [...builds].reverse() : builds) {
      build.times.push(await timeToVerdict(browser, `${build.server.url}#${permalink(seed)}`));
    }
  }
  for (const build of builds) {
    console.log(`${build.name}: ${median(build.times).toFixed(1)} ms median (${build.times.map(Math.round).join(' ')})`);
  }
} finally {
  await browser.close();
  for (const build of builds) await build.server.close();
}

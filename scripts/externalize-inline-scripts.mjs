#!/usr/bin/env node
// Trunk post_build hook (web/Trunk.toml): moves every inline <script> of the staged index.html
// into a file of its own, so the page runs under `script-src 'self' 'wasm-unsafe-eval'` with no
// 'unsafe-inline', no hash and no nonce (a static host cannot stamp per-request nonces).
//
// Trunk 0.21 writes its loader as `<script type="module">import init from './x.js'; ...</script>`.
// Relative imports inside an external module resolve against the module's URL, which sits in the
// same folder as index.html, so the moved loader behaves exactly like the inline one, from any
// sub-path. Files are named by a hash of their content: a new build never reuses a stale name.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('externalize-inline-scripts: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const publicUrl = process.env.TRUNK_PUBLIC_URL || './';
const htmlPath = join(staging, process.env.TRUNK_HTML_OUTPUT || 'index.html');

const html = readFileSync(htmlPath, 'utf8');
let moved = 0;
const out = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (whole, attrs, body) => {
  if (/\bsrc\s*=/i.test(attrs) || body.trim() === '') return whole;
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `inline-${digest}.js`;
  writeFileSync(join(staging, name), body.trim() + '\n');
  moved += 1;
  return `<script${attrs} src="${publicUrl}${name}"></script>`;
});

writeFileSync(htmlPath, out);
console.log(`externalize-inline-scripts: moved ${moved} inline script(s) out of ${htmlPath}`);

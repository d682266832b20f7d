#!/usr/bin/env node
// Trunk post_build hook (web/Trunk.toml): moves every inline <script> of the staged index.html
// into a file of its own, so the page runs under `script-src 'self' 'wasm-unsafe-eval'` with no
// 'unsafe-inline' and no nonce (a static host cannot stamp per-request nonces).
//
// The one exception goes the other way: `<script data-inline src="f.js">` (web/early-worker.js,
// which starts a permalink's engine worker) is replaced by f.js's text, minified, so the browser
// runs it while parsing <head> without a request; the CSP allows exactly that text by its
// SHA-256 ('sha256-…' in script-src), and any other inline script stays refused.
//
// Trunk 0.21 writes its loader as `<script type="module">import init from './x.js'; ...</script>`.
// Relative imports inside an external module resolve against the module's URL, which sits in the
// same folder as index.html, so the moved loader behaves exactly like the inline one, from any
// sub-path. Files are named by a hash of their content: a new build never reuses a stale name.

import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('externalize-inline-scripts: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const publicUrl = process.env.TRUNK_PUBLIC_URL || './';
const htmlPath = join(staging, process.env.TRUNK_HTML_OUTPUT || 'index.html');

let html = readFileSync(htmlPath, 'utf8');

// Inline the data-inline scripts first (their text then has no src and must not be moved out).
const hashes = [];
const inlined = [];
const inlinedCode = new Set();
const INLINE = /<script\b([^>]*\bdata-inline\b[^>]*)><\/script\s*>/gi;
const matches = [...html.matchAll(INLINE)];
for (const [whole, attrs] of matches) {
  const src = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
  const file = src && (src[1] ?? src[2] ?? src[3]);
  if (!file) {
    console.error(`externalize-inline-scripts: ${whole} has data-inline but no src`);
    process.exit(1);
  }
  const path = join(staging, file.replace(/^\.\//, ''));
  const out = await minify(readFileSync(path, 'utf8'), { ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (typeof out.code !== 'string' || out.code.length === 0) {
    console.error(`externalize-inline-scripts: terser gave nothing for ${file}`);
    process.exit(1);
  }
  // `</script` inside the text would end the element early.
  if (/<\/script/i.test(out.code)) {
    console.error(`externalize-inline-scripts: ${file} contains </script and cannot be inlined`);
    process.exit(1);
  }
  hashes.push(`'sha256-${createHash('sha256').update(out.code).digest('base64')}'`);
  // A function, so `$` in the code is not read as a replacement pattern.
  html = html.replace(whole, () => `<script>${out.code}</script>`);
  inlinedCode.add(out.code);
  rmSync(path);
  inlined.push(file);
}
if (hashes.length > 0) {
  const before = html;
  html = html.replace(/(script-src\s[^;"]*)/, (directive) => `${directive} ${hashes.join(' ')}`);
  if (html === before) {
    console.error('externalize-inline-scripts: no script-src in the CSP to allow the inlined scripts in');
    process.exit(1);
  }
}

let moved = 0;
const out = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (whole, attrs, body) => {
  if (/\bsrc\s*=/i.test(attrs) || body.trim() === '' || inlinedCode.has(body)) return whole;
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `inline-${digest}.js`;
  writeFileSync(join(staging, name), body.trim() + '\n');
  moved += 1;
  return `<script${attrs} src="${publicUrl}${name}"></script>`;
});

writeFileSync(htmlPath, out);
console.log(`externalize-inline-scripts: moved ${moved} inline script(s) out of ${htmlPath}; inlined ${inlined.join(', ') || 'none'}`);

#!/usr/bin/env node
// Trunk post_build hook (web/Trunk.toml): minifies the JavaScript wasm-bindgen writes (the page's
// glue and the engine worker's module) with terser (pinned in package.json), which Trunk 0.21
// leaves as it is. The page's glue is part of the first load (issue 7's budget): about 7.9 KB
// gzip before, 6.0 KB after. Exported names stay (the worker module is also the JS API), and
// every `integrity` attribute in index.html that named the old content is updated.
//
// First, the names wasm-bindgen gives the imports and internal exports shared by each glue file
// and its module are shortened in both (scripts/wasm-names.mjs: about 4.2 KB of the page's
// gzipped first load).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { glueModuleOf, shortenNames } from './wasm-names.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)');
  process.exit(1);
}
const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;
const htmlPath = join(staging, process.env.TRUNK_HTML_OUTPUT || 'index.html');
let html = readFileSync(htmlPath, 'utf8');

// wasm-bindgen's modules: peername-web-<hash>.js and peername-api.js (not the loaders).
const glue = readdirSync(staging).filter((f) => /^peername-(web-[0-9a-f]+|api)\.js$/.test(f));
for (const name of glue) {
  const path = join(staging, name);
  const original = readFileSync(path, 'utf8');
  const wasmPath = join(staging, name.replace(/\.js$/, '_bg.wasm'));
  const wasmBefore = readFileSync(wasmPath);
  const short = shortenNames(original, wasmBefore, glueModuleOf(wasmBefore));
  writeFileSync(wasmPath, short.wasm);
  html = html.split(sri(wasmBefore)).join(sri(short.wasm));
  console.log(`minify-glue: ${short.count} names shortened in ${name} and its module (${wasmBefore.length} → ${short.wasm.length} bytes)`);
  const before = short.js;
  const out = await minify(before, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (typeof out.code !== 'string' || out.code.length === 0) {
    console.error(`minify-glue: terser gave nothing for ${name}`);
    process.exit(1);
  }
  writeFileSync(path, out.code);
  html = html.split(sri(original)).join(sri(out.code));
  console.log(`minify-glue: ${name} ${before.length} → ${out.code.length} bytes`);
}
writeFileSync(htmlPath, html);

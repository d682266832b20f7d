// scripts/wasm-names.mjs: the import and internal export names shared by a wasm module and its
// wasm-bindgen glue get the same short names on both sides, and the built page uses them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { glueModuleOf, lebBytes, nameBytes, sections, shortenNames } from '../../scripts/wasm-names.mjs';

const repoRoot = new URL('../..', import.meta.url).pathname;
const sec = (id, body) => [id, ...lebBytes(body.length), ...body];

/** One function import from the glue, one memory import from elsewhere, a public and an internal export. */
function tinyModule() {
  const imports = [2, ...nameBytes('./m_bg.js'), ...nameBytes('__wbg_log_0123456789abcdef'), 0x00, 0x00,
    ...nameBytes('env'), ...nameBytes('mem'), 0x02, 0x01, 0x01, 0x02];
  const exports = [2, ...nameBytes('explain'), 0x00, 0x01, ...nameBytes('__wbindgen_malloc'), 0x00, 0x01];
  return Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sec(1, [1, 0x60, 0, 0]), ...sec(2, imports), ...sec(3, [1, 0]),
    ...sec(7, exports), ...sec(10, [1, 2, 0, 0x0b]));
}

const text = (wasm, id) => new TextDecoder().decode(wasm.subarray(...(({ start, end }) => [start, end])(sections(wasm).find((s) => s.id === id))));

test('both sides get the same short names; public names and other modules stay', async () => {
  const js = 'const i={"./m_bg.js":{__wbg_log_0123456789abcdef:function(a){console.log(a)}}};w.__wbindgen_malloc(1);export function explain(){}';
  const module = tinyModule();
  assert.equal(glueModuleOf(module), './m_bg.js');
  const r = shortenNames(js, module, './m_bg.js');
  assert.equal(r.count, 2);
  assert.equal(r.js, 'const i={"./m_bg.js":{$0:function(a){console.log(a)}}};w.$1(1);export function explain(){}');
  assert.match(text(r.wasm, 2), /\$0/);
  assert.match(text(r.wasm, 2), /env.*mem/s);
  assert.doesNotMatch(text(r.wasm, 2), /__wbg_log/);
  assert.match(text(r.wasm, 7), /explain/);
  assert.match(text(r.wasm, 7), /\$1/);
  assert.ok(WebAssembly.validate(r.wasm));
  const { instance } = await WebAssembly.instantiate(r.wasm, { './m_bg.js': { $0: () => {} }, env: { mem: new WebAssembly.Memory({ initial: 1, maximum: 2 }) } });
  assert.equal(typeof instance.exports.$1, 'function');
  assert.equal(typeof instance.exports.explain, 'function');
});

test('a short name already used in the glue is skipped', () => {
  const js = 'const $0=1;const i={"./m_bg.js":{__wbg_log_0123456789abcdef:function(){}}};w.__wbindgen_malloc($0)';
  const r = shortenNames(js, tinyModule(), './m_bg.js');
  assert.match(r.js, /\{\$1:function/);
  assert.match(r.js, /w\.\$2\(\$0\)/);
});

test('a name the glue lacks is an error, not a page that cannot link', () => {
  assert.throws(() => shortenNames('nothing here', tinyModule(), './m_bg.js'), /not in the glue/);
});

test('the built page and worker use the short names (web/dist, built by scripts/test first)', () => {
  const dist = join(repoRoot, 'web', 'dist');
  const glue = readdirSync(dist).filter((f) => /^peername-(web-[0-9a-f]+|api)\.js$/.test(f));
  assert.equal(glue.length, 2, `two glue files in ${dist}`);
  for (const f of glue) {
    const js = readFileSync(join(dist, f), 'utf8');
    assert.doesNotMatch(js, /__wbg_\w+_[0-9a-f]{16}/, `${f} still has wasm-bindgen's long import names`);
    const wasm = readFileSync(join(dist, f.replace(/\.js$/, '_bg.wasm')));
    assert.doesNotMatch(text(wasm, 2), /__wbg_/, `${f}'s module still imports long names`);
  }
});

// Shortens the names wasm-bindgen gives the imports and internal exports that join a
// WebAssembly module and its JavaScript glue (issue 7, first-load budget).
//
// wasm-bindgen names each import after the Rust binding plus a 16-digit hash
// (`__wbg_addEventListener_f2d27251d333a631`) and its internal exports `__wbindgen_…` /
// `__wasm_bindgen_func_elem_…`. Each name is written twice, in the module's import or export
// section and in the glue, and the hashes do not compress: about 4.2 KB of the page's gzipped
// first load. Both sides get the same short name (`$0`, `$1`, …); nothing else in either file
// changes, and public exports (the JS API's functions, `memory`) keep their names.
//
// Used by scripts/minify-glue.mjs; tested by tests/scripts/wasm-names.test.mjs.

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error('wasm-names: the module ends inside a number');
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** Unsigned LEB128 bytes of `value`. */
export function lebBytes(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** A length-prefixed name at `at`: [string, next offset]. */
function name(bytes, at) {
  const [len, start] = leb(bytes, at);
  return [utf8.decode(bytes.subarray(start, start + len)), start + len];
}

export function nameBytes(text) {
  const b = encoder.encode(text);
  return [...lebBytes(b.length), ...b];
}

/** Offset just past a `limits` (tables and memories). */
function skipLimits(bytes, at) {
  const flags = bytes[at++];
  [, at] = leb(bytes, at);
  if (flags & 1) [, at] = leb(bytes, at);
  return at;
}

/** Offset just past an import's description of kind `kind`. */
function skipImportDesc(bytes, kind, at) {
  switch (kind) {
    case 0x00: return leb(bytes, at)[1]; // function: type index
    case 0x01: return skipLimits(bytes, at + 1); // table: reference type, limits
    case 0x02: return skipLimits(bytes, at); // memory: limits
    case 0x03: return at + 2; // global: value type, mutability
    case 0x04: return leb(bytes, at + 1)[1]; // tag: attribute, type index
    default: throw new Error(`wasm-names: unknown import kind 0x${kind.toString(16)}`);
  }
}

/**
 * The import entry at `at`: its module and field names, where its kind byte and description
 * start (`descStart`) and where the entry ends.
 */
function importAt(wasm, at) {
  const [module, afterModule] = name(wasm, at);
  const [field, descStart] = name(wasm, afterModule);
  const kind = wasm[descStart];
  if (field === '' && (kind === 0x7e || kind === 0x7f)) throw new Error('wasm-names: compact import encoding is not supported');
  return { module, field, descStart, end: skipImportDesc(wasm, kind, descStart + 1) };
}

/** The module's sections: [{ id, start, end }] (start/end of the contents). */
export function sections(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('wasm-names: not a WebAssembly module');
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    out.push({ id, headerStart: at, start, end: start + size });
    at = start + size;
  }
  if (at !== bytes.length) throw new Error('wasm-names: a section runs past the end of the module');
  return out;
}

/** Names are renamed when they are wasm-bindgen's own (imports: all of the glue module's). */
const INTERNAL_EXPORT = /^__(wbg|wbindgen|wasm_bindgen)/;

/**
 * Rewrites the import and export sections of `wasm` with `rename(old) → new` applied to every
 * import of module `glueModule` and to every internal export. Returns the new bytes and the map.
 */
function renameInModule(wasm, glueModule, shortName) {
  const map = new Map();
  const renamed = (old) => {
    if (!map.has(old)) map.set(old, shortName(map.size));
    return map.get(old);
  };
  const parts = [wasm.subarray(0, 8)];
  for (const s of sections(wasm)) {
    if (s.id !== 2 && s.id !== 7) {
      parts.push(wasm.subarray(s.headerStart, s.end));
      continue;
    }
    const body = [];
    let [count, at] = leb(wasm, s.start);
    body.push(...lebBytes(count));
    for (let i = 0; i < count; i += 1) {
      if (s.id === 2) {
        const { module, field, descStart, end } = importAt(wasm, at);
        body.push(...nameBytes(module), ...nameBytes(module === glueModule ? renamed(field) : field), ...wasm.subarray(descStart, end));
        at = end;
      } else {
        const [field, afterField] = name(wasm, at);
        const [, end] = leb(wasm, afterField + 1);
        body.push(...nameBytes(INTERNAL_EXPORT.test(field) ? renamed(field) : field), ...wasm.subarray(afterField, end));
        at = end;
      }
    }
    if (at !== s.end) throw new Error(`wasm-names: section ${s.id} has bytes after its last entry`);
    parts.push(Uint8Array.of(s.id, ...lebBytes(body.length), ...body));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { wasm: out, map };
}

/** The import module wasm-bindgen's glue provides (`./<crate>_bg.js`); throws unless exactly one. */
export function glueModuleOf(wasm) {
  const modules = new Set();
  for (const s of sections(wasm)) {
    if (s.id !== 2) continue;
    let [count, at] = leb(wasm, s.start);
    for (let i = 0; i < count; i += 1) {
      const { module, end } = importAt(wasm, at);
      at = end;
      if (/^\.\/.*_bg\.js$/.test(module)) modules.add(module);
    }
  }
  if (modules.size !== 1) throw new Error(`wasm-names: expected one glue module, found ${[...modules].join(', ') || 'none'}`);
  return [...modules][0];
}

const escape = (s) => s.replace(/[$]/g, '\\$');
const token = (s) => new RegExp(`(?<![\\w$])${escape(s)}(?![\\w$])`, 'g');

/**
 * Gives the imports and internal exports shared by `js` (wasm-bindgen's glue) and `wasm` short
 * names in both. `glueModule` is the import module name the glue provides
 * (e.g. `./peername-web_bg.js`). Throws when a renamed name is missing from the glue or a short
 * name is already in it, so a wasm-bindgen change cannot produce a page that fails to link.
 */
export function shortenNames(js, wasm, glueModule) {
  let i = 0;
  const taken = (candidate) => token(candidate).test(js);
  const shortName = () => {
    for (;;) {
      const candidate = `$${(i++).toString(36)}`;
      if (!taken(candidate)) return candidate;
    }
  };
  const { wasm: out, map } = renameInModule(wasm, glueModule, shortName);
  // Longest first: no name is replaced inside a longer one (the token pattern also prevents it).
  let text = js;
  for (const [old, short] of [...map].sort((a, b) => b[0].length - a[0].length)) {
    const pattern = token(old);
    if (!pattern.test(text)) throw new Error(`wasm-names: ${old} is in the module but not in the glue`);
    text = text.replace(token(old), short);
  }
  return { js: text, wasm: out, count: map.size };
}

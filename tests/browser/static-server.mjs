// A tiny static file server for the browser tests: serves one folder (web/dist by default) on
// 127.0.0.1, optionally under a sub-path, with the MIME types a static host would send. No
// dependencies. Run it by hand to look at a build: `node tests/browser/static-server.mjs [dir] [port] [prefix]`.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Serve `root` on 127.0.0.1 at a free port, under `prefix` ("/" or "/some/sub/path/").
 * Resolves to { origin, url, close() }, where url is the page's address.
 */
export async function startStaticServer({ root, prefix = '/', port = 0 } = {}) {
  const base = resolve(root);
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
    throw new Error(`prefix must start and end with "/": ${prefix}`);
  }
  const server = createServer(async (req, res) => {
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    // Like a static host, a folder without its trailing slash redirects to it.
    if (path + '/' === prefix) return send(301, 'moved\n', { location: prefix });
    if (!path.startsWith(prefix)) return send(404, 'not found\n');
    let file = resolve(base, '.' + sep + path.slice(prefix.length));
    if (file !== base && !file.startsWith(base + sep)) return send(404, 'not found\n');
    try {
      if ((await stat(file)).isDirectory()) {
        if (!path.endsWith('/')) return send(301, 'moved\n', { location: path + '/' });
        file = join(file, 'index.html');
      }
      const body = await readFile(file);
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      send(404, 'not found\n');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + prefix,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const [root = join(here, '..', '..', 'web', 'dist'), port = '8081', prefix = '/'] = process.argv.slice(2);
  const { url } = await startStaticServer({ root, port: Number(port), prefix });
  console.log(`serving ${resolve(root)} at ${url} (Ctrl-C stops)`);
}

// A tiny static file server (no dependencies) for tests and for trying a build the way a
// static host serves it: files of ROOT under a path prefix, nothing else — no SPA fallback,
// no server code. Every request is recorded (`requests`) so tests can check what was asked.
//
//   node scripts/serve-static.mjs [ROOT=dist] [--base /tools/seqscope/] [--port 8080] [--next-free N] [--name NAME] [--cors]
//
//   import { serveStatic } from './scripts/serve-static.mjs';
//   const s = await serveStatic({ root: 'dist', base: '/tools/seqscope/', port: 0, cors: false });
//   s.url → 'http://127.0.0.1:PORT/tools/seqscope/';  s.requests; await s.close();
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.pcap': 'application/vnd.tcpdump.pcap',
  '.cap': 'application/vnd.tcpdump.pcap',
  '.pcapng': 'application/octet-stream',
  '.gz': 'application/gzip',
};

/**
 * @param {{ root: string, base?: string, port?: number, host?: string, cors?: boolean }} opts
 */
export function serveStatic({ root, base = '/', port = 0, host = '127.0.0.1', cors = false }) {
  const dir = resolve(root);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  /** @type {{ method: string, path: string, status: number }[]} */
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status, headers = {}, body = '') => {
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
      res.writeHead(status, { 'Cache-Control': 'no-cache', ...(cors ? { 'Access-Control-Allow-Origin': '*' } : {}), ...headers });
      return body;
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return res.end(send(405, { Allow: 'GET, HEAD' }, 'method not allowed\n'));
    if (url.pathname === prefix.slice(0, -1)) return res.end(send(301, { Location: prefix + url.search }));
    if (!url.pathname.startsWith(prefix)) return res.end(send(404, { 'Content-Type': 'text/plain' }, 'not found\n'));
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return res.end(send(400, {}, 'bad path\n'));
    }
    let file = resolve(dir, rel);
    if (file !== dir && !file.startsWith(dir + sep)) return res.end(send(403, {}, 'forbidden\n'));
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) {
        file = join(file, 'index.html');
        st = statSync(file);
      }
    } catch {
      return res.end(send(404, { 'Content-Type': 'text/plain' }, 'not found\n'));
    }
    send(200, { 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': String(st.size) });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      ok({
        port: p,
        origin: `http://${host}:${p}`,
        url: `http://${host}:${p}${prefix}`,
        requests,
        close: () => new Promise((r) => server.close(() => r(undefined))),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : dflt;
  };
  const base = opt('--base', '/');
  const port = Number(opt('--port', '8080'));
  // --next-free N: when the port is taken, try the N ports after it (npm start).
  const spare = Number(opt('--next-free', '0'));
  // --name NAME: announce "NAME is being served at URL" (npm start).
  const name = opt('--name', undefined);
  const cors = args.includes('--cors');
  const root = args.filter((a) => a !== '--cors')[0] ?? 'dist';
  let s;
  for (let p = port; ; p++) {
    try {
      s = await serveStatic({ root, base, port: p, cors });
      break;
    } catch (e) {
      if (e.code !== 'EADDRINUSE') throw e;
      if (p < port + spare) {
        console.error(`port ${p} is in use; trying ${p + 1}`);
        continue;
      }
      const range = spare ? `ports ${port}–${p} are` : `port ${p} is`;
      console.error(`serve-static: ${range} in use (another program is listening). Stop it, or choose another port: PORT=8080 npm start`);
      process.exit(1);
    }
  }
  // Printed once the port is bound, so the address works when it appears.
  if (name) console.log(`\n${name} is being served at  ${s.url}   (Ctrl+C to stop)\n`);
  else console.log(`serving ${resolve(root)} at ${s.url}${cors ? ' (with Access-Control-Allow-Origin: *)' : ''}`);
}

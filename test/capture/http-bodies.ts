/**
 * Test support: HTTP responses (and a form POST) whose bodies go to tshark's media-type
 * dissectors — line-based text, JSON (valid, with text after it, not JSON at all), XML, form data,
 * PNG/JPEG/GIF (valid, too short, cut), media types without a dissector, octet-stream — in each
 * content coding tshark undoes (gzip, zlib and raw deflate, chunked, chunked + gzip) and broken
 * ones (a bad gzip stream, one cut short, chunks without their end), and responses cut by a snap
 * length. One connection each.
 */
import { gzipSync, zlibSync, deflateSync } from 'fflate';
import { Conn, concat, utf8, writePcap, type Record_ } from './build';

export interface BodyCase {
  ct?: string;
  body: string | Uint8Array;
  coding?: 'gzip' | 'deflate' | 'rawdeflate' | 'badgzip' | 'cutgzip';
  chunked?: boolean;
  /** Chunked without the last chunk: the message never ends. */
  noEnd?: boolean;
  /** A POST carrying the body instead of a response. */
  request?: boolean;
  /** The response's frame keeps only its first `snap` bytes (a snap length). */
  snap?: number;
}

const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
const HTML = '<html>\n<body>x</body>\n</html>\n';
const GIF = hex('47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b');

export const BODY_CASES: BodyCase[] = [
  { ct: 'text/html', body: HTML },
  { ct: 'text/plain', body: 'a\r\nb\r\n\r\nc' },
  { ct: 'text/html', body: 'a\rb\rc' },
  { ct: 'text/css', body: 'a{}\n' },
  { ct: 'application/x-javascript', body: 'var a;\n' },
  { ct: 'application/javascript', body: 'var a;\n' },
  { ct: 'Text/HTML; charset=UTF-8', body: 'x\n' },
  { ct: 'application/json', body: '{"a":[1.5e3,-2,"\\u00e9\\n",true,null,{}]}\n' },
  { ct: 'application/json', body: '{"a":1} {"b":2}' },
  { ct: 'application/json', body: '{"a":1}\n\nx\ny' },
  { ct: 'application/json', body: '{e:"unquoted",c:1}' },
  { ct: 'application/json', body: '{"a":01}' },
  { ct: 'application/problem+json', body: '{}' },
  { ct: 'application/vnd.api+json', body: '{}' },
  { ct: 'application/xml', body: '<a>x</a>' },
  { ct: 'application/xhtml+xml', body: '<a/>' },
  { ct: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
  { ct: 'application/x-www-form-urlencoded', body: 'user=a&pw=b', request: true },
  { ct: 'image/png', body: hex('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c489' + '0000000049454e44ae426082') },
  { ct: 'image/png', body: hex('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c63') },
  { ct: 'image/png', body: hex('89504e470d0a1a0a') },
  { ct: 'image/jpeg', body: hex('ffd8ffe000104a46494600010100000100010000ffd9') },
  { ct: 'image/jpeg', body: hex('ffd8ffe1001845786966000049492a00080000000000000000000000ffd9') },
  { ct: 'image/jpeg', body: hex('ffd8ffdb' + '00'.repeat(30)) },
  { ct: 'image/jpg', body: 'abc' },
  { ct: 'image/gif', body: GIF },
  { ct: 'image/gif', body: GIF.subarray(0, 19) },
  { ct: 'image/x-icon', body: 'abc' },
  { ct: 'application/octet-stream', body: 'abc' },
  { body: 'abc' },
  { ct: 'text/html', body: HTML, coding: 'gzip' },
  { ct: 'text/html', body: HTML, coding: 'deflate' },
  { ct: 'text/html', body: HTML, coding: 'rawdeflate' },
  { ct: 'text/html', body: HTML, coding: 'badgzip' },
  { ct: 'text/plain', body: 'line\n'.repeat(600), coding: 'cutgzip' },
  { ct: 'text/html', body: HTML, chunked: true },
  { ct: 'application/json', body: HTML + 'more\n', chunked: true, coding: 'gzip' },
  { ct: 'text/html', body: HTML, chunked: true, noEnd: true },
  { ct: 'text/html', body: HTML, snap: 80 },
  { ct: 'text/html', body: HTML, snap: 130 },
];

function encode(k: BodyCase): Uint8Array {
  const body = typeof k.body === 'string' ? utf8(k.body) : k.body;
  switch (k.coding) {
    case 'gzip':
      return gzipSync(body, { mtime: 0 });
    case 'deflate':
      return zlibSync(body);
    case 'rawdeflate':
      return deflateSync(body);
    case 'badgzip':
      return Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xfe, 1, 2, 3]);
    case 'cutgzip': {
      const g = gzipSync(body, { mtime: 0 });
      return g.subarray(0, g.length >> 1);
    }
    default:
      return body;
  }
}

export function httpBodies(cases: BodyCase[] = BODY_CASES): Uint8Array {
  const out: Record_[] = [];
  let t = 0;
  const at = () => (t += 0.001).toFixed(6);
  cases.forEach((k, i) => {
    const c = new Conn(out, { cport: 40000 + i, sport: 80 });
    c.c(at(), 'S', 0, 0, 64240).s(at(), 'SA', 0, 1, 64240).c(at(), 'A', 1, 1, 64240);
    const body = encode(k);
    let head = k.request ? 'POST /x HTTP/1.1\r\nHost: a\r\n' : 'HTTP/1.1 200 OK\r\n';
    if (k.ct) head += `Content-Type: ${k.ct}\r\n`;
    if (k.coding) head += `Content-Encoding: ${k.coding === 'deflate' || k.coding === 'rawdeflate' ? 'deflate' : 'gzip'}\r\n`;
    let payload = body;
    if (k.chunked) {
      head += 'Transfer-Encoding: chunked\r\n';
      const parts: Uint8Array[] = [];
      for (let o = 0; o < body.length; o += 20) {
        const p = body.subarray(o, o + 20);
        parts.push(utf8(`${p.length.toString(16)}\r\n`), p, utf8('\r\n'));
      }
      if (!k.noEnd) parts.push(utf8('0\r\n\r\n'));
      payload = concat(parts);
    } else head += `Content-Length: ${body.length}\r\n`;
    const msg = concat([utf8(`${head}\r\n`), payload]);
    if (k.request) {
      c.c(at(), 'PA', 1, 1, 64240, 0, { payload: msg });
      return;
    }
    const req = utf8('GET /x HTTP/1.1\r\nHost: a\r\n\r\n');
    c.c(at(), 'PA', 1, 1, 64240, 0, { payload: req });
    c.s(at(), 'PA', 1, 1 + req.length, 64240, 0, { payload: msg });
    const last = out[out.length - 1];
    if (k.snap) out[out.length - 1] = { ...last, origLen: last.data.length, data: last.data.subarray(0, k.snap) };
  });
  return writePcap(out);
}

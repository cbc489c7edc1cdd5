/**
 * HTTP/1.x over TCP (ports 80, 8080 and the others Wireshark registers; found by content on any
 * port). A message is its start line and headers up to the empty line, then a body of
 * Content-Length bytes, or chunks, or (a response with neither) everything up to the end of the
 * connection. Reassembled across segments as Wireshark does by default (headers and body).
 * Info: the start line and a space, then the body's media type as the body's dissector names it
 * ("HTTP/1.1 200 OK  (text/html)"). Bytes that start no message are declined, or held for their
 * first line, or taken as header lines without a column (notMessage).
 */
import type { DetailNode } from '../model/types';
import { TLS_PORTS } from './tls';
import type { AppDissector, AppFieldMeta, AppExpert, DirState, Pdu, Slice, TcpContext, TcpPduLength } from './types';
import { DECODED_CODINGS, decodeContent, dechunk, dissectBody, fileDataField } from './media';
import { connState, escapedText } from './lines';

/**
 * Per conversation: a request was seen in it, in either direction (then bytes that start no
 * message are "Continuation"; tshark -2 decides it on the whole capture, so it is read when a
 * frame is shown, not when it is fed).
 */
interface HttpConn extends DirState {
  request?: boolean;
}
const conn = (ctx: TcpContext) => connState<HttpConn>(ctx, 'httpConn');

const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE',
  'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'CHECKOUT', 'CHECKIN', 'MERGE', 'MKACTIVITY', 'MKWORKSPACE', 'VERSION-CONTROL',
  'BASELINE-CONTROL', 'UNCHECKOUT', 'LABEL', 'UPDATE', 'ORDERPATCH', 'ACL', 'BIND', 'UNBIND', 'REBIND', 'MKREDIRECTREF',
  'UPDATEREDIRECTREF', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE', 'M-SEARCH', 'POLL', 'BMOVE', 'BDELETE', 'BPROPFIND', 'BPROPPATCH', 'BCOPY',
  'X-MS-ENUMATTS', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'SSDP',
]);

/** The start line at `o` if the bytes start an HTTP message: 'req' / 'resp', else ''. */
export function startKind(b: Uint8Array, o: number, end: number): 'req' | 'resp' | '' {
  if (end - o >= 5 && b[o] === 0x48 && b[o + 1] === 0x54 && b[o + 2] === 0x54 && b[o + 3] === 0x50 && b[o + 4] === 0x2f) return 'resp';
  let i = o;
  const lim = Math.min(end, o + 20);
  while (i < lim && b[i] !== 0x20) {
    const ch = b[i];
    if (!((ch >= 0x41 && ch <= 0x5a) || ch === 0x2d || ch === 0x5f)) return '';
    i++;
  }
  if (i >= lim || i === o) return '';
  return METHODS.has(String.fromCharCode(...b.subarray(o, i))) ? 'req' : '';
}

/** End of the header block (just past the empty line) starting at `o`, or -1. */
function headerEnd(b: Uint8Array, o: number, end: number): number {
  for (let i = o; i < end; i++) {
    if (b[i] !== 0x0a) continue;
    if (i + 1 < end && b[i + 1] === 0x0a) return i + 2;
    if (i + 2 < end && b[i + 1] === 0x0d && b[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

interface Head {
  kind: 'req' | 'resp';
  line: string;
  headers: [string, string, number, number][]; // name, value, start, length (with the line end)
  end: number;
  contentLength: number; // -1 = none
  chunked: boolean;
  contentType: string;
  status: number;
  method: string;
}

function text(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
}

function parseHead(b: Uint8Array, o: number, hend: number, kind: 'req' | 'resp'): Head {
  const lines: [number, number, number][] = [];
  let s = o;
  for (let i = o; i < hend; i++) {
    if (b[i] === 0x0a) {
      const e = i > s && b[i - 1] === 0x0d ? i - 1 : i;
      lines.push([s, e, i + 1]);
      s = i + 1;
    }
  }
  const first = lines.length ? text(b, lines[0][0], lines[0][1]) : '';
  const h: Head = { kind, line: first, headers: [], end: hend, contentLength: -1, chunked: false, contentType: '', status: 0, method: '' };
  if (kind === 'resp') h.status = Number(first.split(' ')[1]) || 0;
  else h.method = first.split(' ')[0];
  for (let k = 1; k < lines.length; k++) {
    const [ls, le, next] = lines[k];
    if (le === ls) continue;
    const t = text(b, ls, le);
    const c = t.indexOf(':');
    const name = c >= 0 ? t.slice(0, c) : t;
    const value = c >= 0 ? t.slice(c + 1).trim() : '';
    h.headers.push([name, value, ls, next - ls]);
    const lname = name.toLowerCase();
    if (lname === 'content-length') {
      const v = Number(value);
      if (Number.isFinite(v) && v >= 0) h.contentLength = v;
    } else if (lname === 'transfer-encoding' && value.toLowerCase().includes('chunked')) h.chunked = true;
    else if (lname === 'content-type') h.contentType = value.split(';')[0].trim().toLowerCase();
  }
  return h;
}

/**
 * Length of a chunked body at `o` (through the trailer's empty line), or -1 when incomplete; then
 * `resume.at` is where the next call with more bytes may start (the start of a chunk-size line).
 */
function chunkedLength(b: Uint8Array, o: number, end: number, resume?: { at: number }): number {
  let p = resume && resume.at > o ? resume.at : o;
  for (;;) {
    if (resume) resume.at = p;
    let e = p;
    while (e < end && b[e] !== 0x0a) e++;
    if (e >= end) return -1;
    const size = parseInt(text(b, p, e).trim().split(';')[0], 16);
    p = e + 1;
    if (!(size >= 0)) return p - o; // bogus size: stop here
    if (size === 0) {
      // Trailer lines up to an empty line.
      for (;;) {
        let q = p;
        while (q < end && b[q] !== 0x0a) q++;
        if (q >= end) return -1;
        const empty = q === p || (q === p + 1 && b[p] === 0x0d);
        p = q + 1;
        if (empty) return p - o;
      }
    }
    p += size;
    if (p + 2 > end) return -1;
    if (b[p] === 0x0d) p++;
    if (b[p] === 0x0a) p++;
  }
}

interface HttpDir extends DirState {
  /** Requests waiting for their response (client side): method, frame, time. */
  queue?: { method: string; frame: number; time: number; pdu: Pdu }[];
  /** The bytes held had no empty line yet (so a search with more bytes starts near the new ones). */
  noHeaderEnd?: boolean;
  /**
   * A chunked body still incomplete: where its chunk walk stopped, relative to the message's
   * start, so that the walk with more bytes goes on from there (a body of many MB is walked once).
   */
  chunkAt?: number;
}

function bodyLength(h: Head, b: Uint8Array, o: number, end: number, peer: HttpDir, dir: HttpDir, again: boolean): number {
  if (h.chunked) {
    const resume = { at: again && dir.chunkAt !== undefined ? o + dir.chunkAt : h.end };
    const n = chunkedLength(b, h.end, end, resume);
    dir.chunkAt = n < 0 ? resume.at - o : undefined;
    return n < 0 ? -1 : n;
  }
  if (h.contentLength >= 0) return h.contentLength;
  if (h.kind === 'req') return 0;
  const req = peer.queue?.[0];
  if ((h.status >= 100 && h.status < 200) || h.status === 204 || h.status === 304 || req?.method === 'HEAD') return 0;
  return Infinity;
}

/** Where the line at `o` ends (its CR or LF: header lines end at either), or -1. */
function lineEnd(b: Uint8Array, o: number, end: number): number {
  for (let i = o; i < end; i++) if (b[i] === 0x0a || b[i] === 0x0d) return i;
  return -1;
}

/** Just past the line end at `e` (CR LF is one). */
function pastLineEnd(b: Uint8Array, e: number, end: number): number {
  return b[e] === 0x0d && e + 1 < end && b[e + 1] === 0x0a ? e + 2 : e + 1;
}

function hasColon(b: Uint8Array, o: number, e: number): boolean {
  for (let i = o; i < e; i++) if (b[i] === 0x3a) return true;
  return false;
}

/**
 * Bytes that start no HTTP message, as tshark 4.0.17 takes them (black-box, crafted segments on
 * port 80, either direction; ppa3 tcp_dupack, tcp_zerowindowdead): a first byte that is not
 * printable ASCII, or a first line (up to its CR or LF) without a colon, is declined (nothing
 * shown, not even data; the next segment starts afresh); a first line not ended yet waits for
 * more bytes; else every byte at hand is header lines (and a body after them), without a column.
 */
function notMessage(s: Slice): TcpPduLength {
  const c = s.b[s.off];
  if (c < 0x20 || c > 0x7e) return { none: true };
  const e = lineEnd(s.b, s.scan !== undefined ? Math.max(s.off, s.scan) : s.off, s.end);
  if (e < 0) return { more: 1 };
  return hasColon(s.b, s.off, e) ? { len: s.end - s.off } : { none: true };
}

function length(s: Slice, ctx: TcpContext): TcpPduLength {
  const kind = startKind(s.b, s.off, s.end);
  const dir = ctx.dir as HttpDir;
  if (!kind) {
    // Held bytes never have a line end (they would not have been held): no header end either.
    dir.noHeaderEnd = true;
    return notMessage(s);
  }
  // Asked again for the same bytes plus more: the empty line, if it was missing, can only be near the new ones.
  const again = s.scan !== undefined && s.scan > s.off;
  const from = dir.noHeaderEnd && again ? Math.max(s.off, s.scan! - 3) : s.off;
  const hend = headerEnd(s.b, from, s.end);
  dir.noHeaderEnd = hend < 0;
  if (hend < 0) return { more: 1 };
  const h = parseHead(s.b, s.off, hend, kind);
  const body = bodyLength(h, s.b, s.off, s.end, ctx.peer as HttpDir, dir, again);
  if (body < 0) return { more: 1 };
  if (body === Infinity) return { toEnd: true };
  return { len: hend - s.off + body };
}

/**
 * Bytes of a message kept while it is reassembled (only until it completes): a longer body is
 * dissected from its first BODY_KEEP bytes, with its whole length.
 */
export const BODY_KEEP = 32 * 1024 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Header names with a field of their own. */
const HEADER_FIELDS: Record<string, string> = {
  host: 'http.host', 'user-agent': 'http.user_agent', 'content-type': 'http.content_type', 'content-length': 'http.content_length_header',
  server: 'http.server', connection: 'http.connection', referer: 'http.referer', cookie: 'http.cookie', 'set-cookie': 'http.set_cookie',
  location: 'http.location', accept: 'http.accept', 'accept-encoding': 'http.accept_encoding', 'accept-language': 'http.accept_language',
  'content-encoding': 'http.content_encoding', 'transfer-encoding': 'http.transfer_encoding', 'cache-control': 'http.cache_control',
  date: 'http.date', 'last-modified': 'http.last_modified', authorization: 'http.authorization',
};

/**
 * Bytes that start no message but whose first line has a colon (notMessage): header lines up to
 * an empty line or a line without a colon, then the rest as the body (File Data and the media
 * type's dissector). Black-box, tshark 4.0.17: no column set (Info is TCP's, plus the body's
 * " (text/plain)"); a NUL in a header name gives "Trailing stray characters" (a tree-only item), a name that is no
 * token "Illegal characters found in header name"; a last line without its end is a header if
 * it has a colon, else Malformed Packet.
 */
function headerLines(s: Slice, c: HttpConn): Pdu {
  const b = s.b;
  const kids: DetailNode[] = [];
  const experts: AppExpert[] = [];
  const fields: [string, string][] = [['http', 'http']];
  let o = s.off;
  let body = s.end;
  let malformed = false;
  let contentType = '';
  while (o < s.end) {
    const e = lineEnd(b, o, s.end);
    if (e === o) {
      body = pastLineEnd(b, e, s.end);
      kids.push({ label: escapedText(b, o, body), start: o - s.off, length: body - o });
      break;
    }
    const stop = e < 0 ? s.end : e;
    let colon = o;
    while (colon < stop && b[colon] !== 0x3a) colon++;
    if (colon === stop) {
      if (e < 0) malformed = true;
      else body = o;
      break;
    }
    const next = e < 0 ? s.end : pastLineEnd(b, e, s.end);
    const node: DetailNode = { label: escapedText(b, o, next), start: o - s.off, length: next - o };
    const name = text(b, o, colon);
    const value = text(b, colon + 1, stop).trim();
    const lname = name.toLowerCase();
    const f = HEADER_FIELDS[lname];
    fields.push(f ? [f, value] : ['http.unknown_header', text(b, o, next)]);
    if (lname === 'content-type') contentType = value.split(';')[0].trim().toLowerCase();
    const warn: DetailNode[] = [];
    // Only in the tree: tshark -q -z expert does not count it.
    if (name.includes('\0')) warn.push({ label: '[Expert Info (Warning/Undecoded): Trailing stray characters]', severity: 'warn' });
    if (!TOKEN.test(name)) warn.push(warning(experts, 'Protocol', 'Illegal characters found in header name'));
    if (warn.length) node.children = warn;
    kids.push(node);
    o = next;
  }
  let info = '';
  let after: DetailNode[] | undefined;
  if (!malformed && body < s.end) {
    const entity = b.subarray(body, s.end);
    fields.push(fileDataField('http.file_data', entity));
    kids.push({ label: `File Data: ${entity.length} bytes`, field: 'http.file_data', start: body - s.off, length: entity.length });
    const media = dissectBody(contentType, entity, entity.length);
    info = media.info;
    kids.push(...media.inner);
    experts.push(...media.experts);
    if (media.after.length) after = media.after;
  }
  const out: Pdu = {
    proto: 'HTTP',
    // In a conversation with a request: "Continuation" (black-box, 4.0.17: the request before or after, either direction).
    get info() { return c.request ? 'Continuation' : info; },
    get silent() { return !c.request; },
    fields, tree: { label: 'Hypertext Transfer Protocol', start: 0, length: s.end - s.off, children: kids }, experts };
  if (after) out.after = after;
  if (malformed) out.malformed = true;
  return out;
}

function warning(experts: AppExpert[], group: 'Protocol', summary: string): DetailNode {
  experts.push({ severity: 'warn', group, protocol: 'HTTP', summary });
  return { label: `[Expert Info (Warning/${group}): ${summary}]`, severity: 'warn' };
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const b = s.b;
  const kind = startKind(b, s.off, s.end);
  const fields: [string, string][] = [['http', 'http']];
  if (!kind) return headerLines(s, conn(ctx));
  // A request line, even one the capture cut (captures/crafted_truncated_snaplen64: frames 6-8 are Continuation).
  if (kind === 'req') conn(ctx).request = true;
  const hend = headerEnd(b, s.off, s.end);
  // A message start without its whole header block (cut by the capture): "Continuation".
  if (hend < 0) {
    // A message start cut by the capture: tshark still lists its (partial) first line.
    const experts: AppExpert[] = [];
    if (kind) {
      let e = s.off;
      while (e < s.end && b[e] !== 0x0d && b[e] !== 0x0a) e++;
      // The line's end, when captured, is part of the summary (as in a whole message's).
      const eol = b[e] === 0x0d && b[e + 1] === 0x0a && e + 1 < s.end ? '\\r\\n' : b[e] === 0x0a && e < s.end ? '\\n' : '';
      experts.push({ severity: 'chat', group: 'Sequence', protocol: 'HTTP', summary: (text(b, s.off, e) + eol).slice(0, 239) });
      // A request line cut short still gives what it has (tshark: "GET / HTTP" → method GET, URI /, version HTTP).
      if (kind === 'req') {
        const parts = text(b, s.off, e).split(' ');
        fields.push(['http.request', '1'], ['http.request.method', parts[0]]);
        if (parts.length > 1) fields.push(['http.request.uri', parts[1]]);
        if (parts.length > 2) fields.push(['http.request.version', parts.slice(2).join(' ')]);
      }
    }
    return {
      experts, proto: 'HTTP', info: 'Continuation', fields, tree: { label: 'Hypertext Transfer Protocol', start: 0, length: s.end - s.off, children: [{ label: `File Data: ${s.end - s.off} bytes` }] } };
  }
  const h = parseHead(b, s.off, hend, kind);
  const kids: DetailNode[] = [];
  const experts: AppExpert[] = [];
  if (ctx.ports.some((x) => TLS_PORTS.includes(x)))
    experts.push({ severity: 'warn', group: 'Security', protocol: 'HTTP', summary: 'Unencrypted HTTP protocol detected over encrypted port, could indicate a dangerous misconfiguration.' });
  const rel = (o: number) => o - s.off;
  const firstLen = h.headers.length ? h.headers[0][2] - s.off : (hend < 0 ? s.end : hend) - s.off;
  const parts = h.line.split(' ');
  const firstKids: DetailNode[] = [];
  // tshark's expert summaries are cut to 239 characters (its item label length).
  experts.push({ severity: 'chat', group: 'Sequence', protocol: 'HTTP', summary: `${h.line}\\r\\n`.slice(0, 239) });
  firstKids.push({ label: `[Expert Info (Chat/Sequence): ${h.line}\\r\\n]`, severity: 'chat' });
  if (kind === 'req') {
    const uri = parts.slice(1, -1).join(' ') || (parts[1] ?? '');
    const version = parts.length > 2 ? parts[parts.length - 1] : '';
    fields.push(['http.request', '1'], ['http.request.method', parts[0]], ['http.request.uri', uri], ['http.request.version', version]);
    firstKids.push({ label: `Request Method: ${parts[0]}`, field: 'http.request.method' }, { label: `Request URI: ${uri}`, field: 'http.request.uri' }, { label: `Request Version: ${version}`, field: 'http.request.version' });
  } else {
    const code = parts[1] ?? '';
    const phrase = parts.slice(2).join(' ');
    fields.push(['http.response', '1'], ['http.response.version', parts[0]], ['http.response.code', code], ['http.response.phrase', phrase]);
    firstKids.push({ label: `Response Version: ${parts[0]}`, field: 'http.response.version' }, { label: `Status Code: ${code}`, field: 'http.response.code' }, { label: `Response Phrase: ${phrase}`, field: 'http.response.phrase' });
  }
  kids.push({ label: `${h.line}\\r\\n`, start: 0, length: firstLen, children: firstKids });
  for (const [name, value, at, len] of h.headers) {
    const f = HEADER_FIELDS[name.toLowerCase()];
    fields.push([kind === 'req' ? 'http.request.line' : 'http.response.line', `${name}: ${value}\r\n`]);
    if (f) fields.push([f, value]);
    if (name.toLowerCase() === 'content-length') fields.push(['http.content_length', value]);
    const node: DetailNode = { label: `${name}: ${value}\\r\\n`, field: f, start: rel(at), length: len };
    if (!TOKEN.test(name)) {
      experts.push({ severity: 'warn', group: 'Protocol', protocol: 'HTTP', summary: 'Illegal characters found in header name' });
      node.children = [{ label: '[Expert Info (Warning/Protocol): Illegal characters found in header name]', severity: 'warn' }];
    }
    kids.push(node);
  }
  if (hend >= 0) kids.push({ label: '\\r\\n', start: rel(hend - 2), length: 2 });
  const peer = ctx.peer as HttpDir;
  const dir = ctx.dir as HttpDir;
  let proto = 'HTTP';
  let info = `${h.line} `;
  const body = hend >= 0 ? [hend, s.end] : [s.end, s.end];
  if (kind === 'req') {
    const host = h.headers.find((x) => x[0].toLowerCase() === 'host')?.[1];
    const uri = parts.slice(1, -1).join(' ');
    if (host !== undefined) {
      const full = uri.startsWith('/') ? `http://${host}${uri}` : uri;
      fields.push(['http.request.full_uri', full]);
      kids.push({ label: `[Full request URI: ${full}]`, field: 'http.request.full_uri' });
    }
  } else {
    const req = peer.queue?.shift();
    if (req) {
      const dt = ctx.time - req.time;
      fields.push(['http.time', dt.toFixed(9)], ['http.request_in', String(req.frame)]);
      kids.push({ label: `[Time since request: ${dt.toFixed(9)} seconds]`, field: 'http.time' }, { label: `[Request in frame: ${req.frame}]`, field: 'http.request_in', link: req.frame });
      req.pdu.fields.push(['http.response_in', String(ctx.frame)]);
      req.pdu.tree.children?.push({ label: `[Response in frame: ${ctx.frame}]`, field: 'http.response_in', link: ctx.frame });
    }
  }
  // The entity: chunks joined, then the content coding undone; then the media type's dissector.
  const coding = h.headers.find((x) => x[0].toLowerCase() === 'content-encoding')?.[1].toLowerCase() ?? '';
  const raw = h.chunked ? dechunk(b, body[0], body[1]) : b.subarray(body[0], body[1]);
  let entity: Uint8Array | undefined = raw;
  if (raw.length && DECODED_CODINGS.has(coding)) {
    entity = decodeContent(coding, raw);
    const label = `Content-encoded entity body (${coding}): ${raw.length} bytes`;
    if (entity) kids.push({ label: `${label} -> ${entity.length} bytes` });
    else {
      const summary = 'Decompression failed';
      experts.push({ severity: 'warn', group: 'Undecoded', protocol: 'HTTP', summary });
      kids.push({ label, children: [{ label: `[Expert Info (Warning/Undecoded): ${summary}]`, severity: 'warn' }, { label: `Data (${raw.length} bytes)`, proto: 'data' }] });
    }
  }
  let after: DetailNode[] | undefined;
  let malformedBy: string | undefined;
  if (entity && entity.length) {
    // A plain body longer than the bytes kept of it (BODY_KEEP): its whole length.
    const plain = !h.chunked && entity === raw;
    const bodyLen = plain ? (s.total !== undefined ? s.off + s.total : s.end) - body[0] : entity.length;
    fields.push(fileDataField('http.file_data', entity));
    kids.push(plain ? { label: `File Data: ${bodyLen} bytes`, field: 'http.file_data', start: rel(body[0]), length: body[1] - body[0] } : { label: `File Data: ${bodyLen} bytes`, field: 'http.file_data' });
    const media = dissectBody(h.contentType, entity, plain ? bodyLen : entity.length);
    proto += media.proto;
    info += media.info;
    kids.push(...media.inner);
    experts.push(...media.experts);
    if (media.after.length) after = media.after;
    malformedBy = media.malformed;
  }
  const out: Pdu = { proto, info, fields, tree: { label: 'Hypertext Transfer Protocol', start: 0, length: s.end - s.off, children: kids }, experts };
  if (after) out.after = after;
  if (malformedBy) {
    out.malformed = true;
    out.malformedBy = malformedBy;
  }
  if (kind === 'req') (dir.queue ??= []).push({ method: h.method, frame: ctx.frame, time: ctx.time, pdu: out });
  return out;
}

/** The fields this dissector sets, as tshark -G fields lists them: name, type, bits, description. */
const FIELDS: AppFieldMeta[] = [
  ['http', 'protocol', 0, 'Hypertext Transfer Protocol'],
  ['http.accept', 'string', 0, 'Accept'],
  ['http.accept_encoding', 'string', 0, 'Accept Encoding'],
  ['http.accept_language', 'string', 0, 'Accept-Language'],
  ['http.authorization', 'string', 0, 'Authorization'],
  ['http.cache_control', 'string', 0, 'Cache-Control'],
  ['http.connection', 'string', 0, 'Connection'],
  ['http.content_encoding', 'string', 0, 'Content-Encoding'],
  ['http.content_length', 'uint', 64, 'Content length'],
  ['http.content_length_header', 'string', 0, 'Content-Length'],
  ['http.content_type', 'string', 0, 'Content-Type'],
  ['http.cookie', 'string', 0, 'Cookie'],
  ['http.date', 'string', 0, 'Date'],
  ['http.file_data', 'string', 0, 'File Data'],
  ['http.host', 'string', 0, 'Host'],
  ['http.last_modified', 'string', 0, 'Last-Modified'],
  ['http.location', 'string', 0, 'Location'],
  ['http.referer', 'string', 0, 'Referer'],
  ['http.request', 'boolean', 0, 'Request'],
  ['http.request.full_uri', 'string', 0, 'Full request URI'],
  ['http.request.line', 'string', 0, 'Request line'],
  ['http.request.method', 'string', 0, 'Request Method'],
  ['http.request.uri', 'string', 0, 'Request URI'],
  ['http.request.version', 'string', 0, 'Request Version'],
  ['http.request_in', 'framenum', 0, 'Request in frame'],
  ['http.response', 'boolean', 0, 'Response'],
  ['http.response.code', 'uint', 16, 'Status Code'],
  ['http.response.line', 'string', 0, 'Response line'],
  ['http.response.phrase', 'string', 0, 'Response Phrase'],
  ['http.response.version', 'string', 0, 'Response Version'],
  ['http.response_in', 'framenum', 0, 'Response in frame'],
  ['http.server', 'string', 0, 'Server'],
  ['http.set_cookie', 'string', 0, 'Set-Cookie'],
  ['http.time', 'reltime', 0, 'Time since request'],
  ['http.transfer_encoding', 'string', 0, 'Transfer-Encoding'],
  ['http.unknown_header', 'string', 0, 'Unknown header'],
  ['http.user_agent', 'string', 0, 'User-Agent'],
];

/**
 * Declined bytes (notMessage) in a conversation that carries a request: "Continuation", the bytes
 * as File Data (not when the first byte is not printable: only Data then, as tshark 4.0.17 shows).
 */
function declined(s: Slice, ctx: TcpContext): { pdu: Pdu; shown(): boolean } {
  const c = conn(ctx);
  const n = s.end - s.off;
  const first = s.b[s.off];
  const fileData = first >= 0x20 && first <= 0x7e;
  const fields: [string, string][] = [['http', 'http']];
  if (fileData) fields.push(fileDataField('http.file_data', s.b.subarray(s.off, s.end)));
  const kids: DetailNode[] = fileData ? [{ label: `File Data: ${n} bytes`, field: 'http.file_data', start: 0, length: n }] : [];
  return { pdu: { proto: 'HTTP', info: 'Continuation', fields, tree: { label: 'Hypertext Transfer Protocol', start: 0, length: n, children: kids } }, shown: () => c.request === true };
}

export const HTTP: AppDissector = {
  name: 'http',
  fields: FIELDS,
  tcpPorts: [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371],
  heuristicTcp: (s) => startKind(s.b, s.off, s.end) !== '' && headerLineEnds(s),
  tcpLength: length,
  tcpPdu: pdu,
  // Bodies are read whole (media types, http.file_data), as tshark reassembles them by default.
  tcpKeep: BODY_KEEP,
  declinedPdu: declined,
  partialInfo: (s) => {
    if (!startKind(s.b, s.off, s.end)) return undefined;
    let e = s.off;
    while (e < s.end && s.b[e] !== 0x0d && s.b[e] !== 0x0a) e++;
    return `${text(s.b, s.off, e)} `;
  },
};

/** The heuristic wants a whole first line ending in an HTTP version (request) or a status (response). */
function headerLineEnds(s: Slice): boolean {
  let e = s.off;
  while (e < s.end && b0(s.b[e])) e++;
  if (e >= s.end) return false;
  const line = text(s.b, s.off, e);
  return /^HTTP\/\d\.\d \d{3}/.test(line) || / HTTP\/\d\.\d\r?$/.test(line);
}

const b0 = (c: number) => c !== 0x0a;

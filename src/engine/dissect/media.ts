/**
 * What tshark 4.0 does with an HTTP entity body (the media-type dissectors it hands the body to,
 * derived from tshark's output on crafted bodies): the top-level line each prints after
 * "Hypertext Transfer Protocol" ("Line-based text data: text/html (3 lines)", "Portable Network
 * Graphics", "Media Type", …), the Protocol suffix and Info text it sets, and its expert items.
 * Also the body's transfer and content codings undone (chunks joined, gzip/deflate inflated with a
 * bound on the output, so a bomb cannot allocate much).
 */
import { Inflate, Unzlib } from 'fflate';
import type { DetailNode } from '../model/types';
import type { AppExpert } from './types';

/** Inflated bodies stop here (tshark has no such bound; a larger body is counted on its first 4 MiB). */
export const INFLATE_LIMIT = 4 << 20;

/** Raw deflate (`zlib` false) or zlib-wrapped data inflated; undefined when the stream is bad or ends early. */
function inflateBounded(data: Uint8Array, zlib: boolean): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  let total = 0;
  let done = false;
  const sink = (chunk: Uint8Array, final: boolean) => {
    if (total < INFLATE_LIMIT) {
      const take = chunk.subarray(0, INFLATE_LIMIT - total);
      parts.push(take.slice());
      total += take.length;
    }
    if (final) done = true;
    if (total >= INFLATE_LIMIT) throw FULL;
  };
  const inf = zlib ? new Unzlib(sink) : new Inflate(sink);
  try {
    // Not marked final until the end, so a cut stream still hands over what it inflated.
    for (let o = 0; o < data.length && !done; o += 4096) inf.push(data.subarray(o, o + 4096), false);
    if (!done) inf.push(new Uint8Array(0), true);
  } catch (e) {
    if (e === FULL) done = true;
    else if (total === 0) return undefined;
  }
  // A stream that ends early gives what it inflated so far (nothing at all: it failed).
  if (!done && total === 0) return undefined;
  return joined(parts, total);
}

function joined(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const FULL = new Error('inflate limit');

/** A gzip member's deflate data (after its header), or undefined when the header is bad. */
function gzipPayload(b: Uint8Array): Uint8Array | undefined {
  if (b.length < 10 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return undefined;
  const flg = b[3];
  let p = 10;
  if (flg & 4) p += 2 + (b[p] | (b[p + 1] << 8));
  for (const bit of [8, 16]) {
    if (!(flg & bit)) continue;
    while (p < b.length && b[p] !== 0) p++;
    p++;
  }
  if (flg & 2) p += 2;
  return p <= b.length ? b.subarray(p) : undefined;
}

/**
 * A body in content coding `coding` ('gzip', 'deflate', …) decoded; undefined when it cannot be
 * (a bad or cut stream gives what it inflated before the damage, and fails when that is nothing,
 * as in tshark).
 */
export function decodeContent(coding: string, b: Uint8Array): Uint8Array | undefined {
  if (coding === 'gzip' || coding === 'x-gzip') {
    const d = gzipPayload(b);
    return d && inflateBounded(d, false);
  }
  // "deflate": zlib-wrapped as the RFC says, or raw deflate as some servers send it.
  const zlibHeader = b.length >= 2 && (b[0] & 0x0f) === 8 && ((b[0] << 8) | b[1]) % 31 === 0;
  return inflateBounded(b, zlibHeader);
}

/** Whether tshark undoes this content coding. */
export const DECODED_CODINGS = new Set(['gzip', 'x-gzip', 'deflate']);

/** The data of a chunked body at [o, e) joined (chunks cut by the end of the data are kept as far as they go). */
export function dechunk(b: Uint8Array, o: number, e: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let p = o;
  let n = 0;
  for (;;) {
    let q = p;
    while (q < e && b[q] !== 0x0a) q++;
    if (q >= e) break;
    let line = '';
    for (let i = p; i < q && line.length < 40; i++) line += String.fromCharCode(b[i]);
    const size = parseInt(line.trim().split(';')[0], 16);
    p = q + 1;
    if (!(size > 0)) break;
    const part = b.subarray(p, Math.min(e, p + size));
    parts.push(part);
    n += part.length;
    p += size + 2;
    if (p >= e) break;
  }
  return joined(parts, n);
}

/** Lines as tshark's "Line-based text data" counts them: each ends at CR LF, LF or CR; a last unended line counts. */
export function countLines(b: Uint8Array): number {
  let n = 0;
  let i = 0;
  while (i < b.length) {
    let j = i;
    while (j < b.length && b[j] !== 0x0a && b[j] !== 0x0d) j++;
    n++;
    if (j < b.length && b[j] === 0x0d && b[j + 1] === 0x0a) j++;
    i = j + 1;
  }
  return n;
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * How far the JSON dissector gets: past every whole JSON value in a row (whitespace between and
 * after them skipped). 0 when the first value is not JSON. Iterative (no recursion on nesting).
 */
export function jsonExtent(b: Uint8Array): number {
  let p = 0;
  const skip = () => {
    while (p < b.length && isWs(b[p])) p++;
  };
  const lit = (w: string): boolean => {
    for (let k = 0; k < w.length; k++) if (b[p + k] !== w.charCodeAt(k)) return false;
    p += w.length;
    return true;
  };
  const str = (): boolean => {
    p++; // opening quote
    while (p < b.length) {
      const c = b[p];
      if (c === 0x22) {
        p++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const x = b[p + 1];
        if (x === 0x75) {
          for (let k = 2; k < 6; k++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(b[p + k] ?? 0))) return false;
          p += 6;
        } else if (x !== undefined && '"\\/bfnrt'.includes(String.fromCharCode(x))) p += 2;
        else return false;
      } else p++;
    }
    return false;
  };
  const digits = (): number => {
    const s = p;
    while (p < b.length && b[p] >= 0x30 && b[p] <= 0x39) p++;
    return p - s;
  };
  const num = (): boolean => {
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) p++;
    else if (!digits()) return false;
    if (b[p] === 0x2e) {
      p++;
      if (!digits()) return false;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (!digits()) return false;
    }
    return true;
  };
  // One value; containers keep a stack of what closes them.
  const value = (): boolean => {
    const stack: number[] = [];
    for (;;) {
      skip();
      const c = b[p];
      let scalar = true;
      if (c === 0x7b || c === 0x5b) {
        p++;
        skip();
        if (b[p] === c + 2) p++; // empty {} or []
        else {
          stack.push(c + 2);
          if (c === 0x7b) {
            if (b[p] !== 0x22 || !str()) return false;
            skip();
            if (b[p++] !== 0x3a) return false;
          }
          continue;
        }
      } else if (c === 0x22) scalar = str();
      else if (c === 0x74) scalar = lit('true');
      else if (c === 0x66) scalar = lit('false');
      else if (c === 0x6e) scalar = lit('null');
      else scalar = c !== undefined && (c === 0x2d || (c >= 0x30 && c <= 0x39)) && num();
      if (!scalar) return false;
      // After a value: a comma (next member) or the closer, repeatedly.
      for (;;) {
        if (!stack.length) return true;
        skip();
        const close = stack[stack.length - 1];
        if (b[p] === 0x2c) {
          p++;
          if (close === 0x7d) {
            skip();
            if (b[p] !== 0x22 || !str()) return false;
            skip();
            if (b[p++] !== 0x3a) return false;
          }
          break;
        }
        if (b[p] !== close) return false;
        p++;
        stack.pop();
      }
    }
  };
  let good = 0;
  while (p < b.length) {
    const at = p;
    if (!value()) {
      p = at;
      break;
    }
    skip();
    good = p;
  }
  return good;
}

const TEXT_LINES = new Set([
  'text/html', 'text/plain', 'text/css', 'text/javascript', 'text/richtext', 'text/vnd.sun.j2me.app-descriptor',
  'application/x-javascript', 'application/x-ns-proxy-autoconfig', 'application/vnd.drm.message',
]);
const JSON_TYPES = new Set([
  'application/json', 'application/json-rpc', 'application/jsonrequest', 'application/problem+json',
  'application/merge-patch+json', 'application/dds-web+json', 'application/vnd.oma.lwm2m+json',
]);
const isXml = (ct: string) => ct === 'text/xml' || ct === 'application/xml' || ct === 'text/vnd.wap.wml' || (ct.endsWith('+xml') && ct !== 'application/xhtml+xml');

export interface BodyDissection {
  /** Protocol column suffix ('/JSON', '/XML', ''). */
  proto: string;
  /** Info text after the start line (' (text/html)', ', JavaScript Object Notation (application/json)', ''). */
  info: string;
  /** Nodes inside the HTTP subtree after "File Data" (expert notes). */
  inner: DetailNode[];
  /** Top-level nodes after the HTTP subtree. */
  after: DetailNode[];
  experts: AppExpert[];
  /** The body's dissector threw (tshark's "[Malformed Packet: PNG]"): its protocol name. */
  malformed?: string;
}

const note = (summary: string): DetailNode => ({ label: `[Expert Info (Note/Malformed): ${summary}]`, severity: 'note' });
const ascii = (b: Uint8Array, s: number, e: number) => String.fromCharCode(...b.subarray(s, Math.min(e, b.length)));

/** A PNG's chunks run past its data (tshark's PNG dissector throws). */
function pngCut(b: Uint8Array): boolean {
  let p = 8;
  while (p < b.length) {
    if (p + 8 > b.length) return true;
    const len = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    if (p + 12 + len > b.length) return true;
    p += 12 + len;
  }
  return false;
}

/**
 * What the media-type dissector of `ct` (lower case, no parameters) shows for body `b` (non-empty).
 * `whole`: the body's length when only its first bytes are at hand (stream.ts keeps 64 KiB of a PDU).
 */
export function dissectBody(ct: string, b: Uint8Array, whole = b.length): BodyDissection {
  const out: BodyDissection = { proto: '', info: '', inner: [], after: [], experts: [] };
  if (!ct) return out; // no Content-Type: "Data" inside the HTTP subtree
  if (ct === 'application/octet-stream') {
    out.after.push({ label: `Data (${whole} byte${whole === 1 ? '' : 's'})`, proto: 'data' });
    return out;
  }
  const textLines = (from: number): DetailNode => ({ label: `Line-based text data: ${ct} (${countLines(b.subarray(from))} lines)`, proto: 'data-text-lines' });
  if (TEXT_LINES.has(ct)) {
    out.info = ` (${ct})`;
    out.after.push(textLines(0));
    return out;
  }
  if (JSON_TYPES.has(ct)) {
    out.proto = '/JSON';
    out.info = `, JavaScript Object Notation (${ct})`;
    out.after.push({ label: `JavaScript Object Notation: ${ct}`, proto: 'json' });
    // What the JSON grammar does not take goes on to "Line-based text data".
    const end = jsonExtent(b);
    if (end < b.length) out.after.push(textLines(end));
    return out;
  }
  if (isXml(ct)) {
    out.proto = '/XML';
    out.after.push({ label: 'eXtensible Markup Language', proto: 'xml' });
    return out;
  }
  if (ct === 'application/x-www-form-urlencoded') {
    out.info = ` (${ct})`;
    out.after.push({ label: `HTML Form URL Encoded: ${ct}`, proto: 'urlencoded-form' });
    return out;
  }
  // Image dissectors: each refuses data that is not its format (then "Media Type" takes it, with a note).
  let refused = false;
  if (ct === 'image/gif') {
    const sig = ascii(b, 0, 6);
    if (b.length >= 20 && (sig === 'GIF87a' || sig === 'GIF89a')) {
      out.info = ` (${sig})`;
      out.after.push({ label: `Compuserve GIF, Version: ${sig}`, proto: 'image-gif' });
      return out;
    }
    refused = true;
  } else if (ct === 'image/png') {
    if (b.length >= 20 && b[0] === 0x89 && ascii(b, 1, 8) === 'PNG\r\n\x1a\n') {
      out.info = ' (PNG)';
      out.after.push({ label: 'Portable Network Graphics', proto: 'png' });
      if (whole === b.length && pngCut(b)) out.malformed = 'PNG';
      return out;
    }
    refused = true;
  } else if (ct === 'image/jpeg' || ct === 'image/jpg') {
    if (b.length >= 20 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff && (b[3] & 0xf0) === 0xe0) {
      out.info = ' (JPEG JFIF image)';
      const jfif: DetailNode = { label: 'JPEG File Interchange Format', proto: 'image-jfif' };
      // An Exif APP1 first instead of the JFIF APP0 (ppa3 http_espn_fail frame 291).
      if (b[3] === 0xe1 && ascii(b, 6, 10) === 'Exif' && b[10] === 0) {
        const summary = 'Initial App0 segment with "JFIF" Identifier not found';
        out.experts.push({ severity: 'warn', group: 'Protocol', protocol: 'JFIF (JPEG) image', summary });
        jfif.children = [{ label: 'Identifier: Exif', children: [{ label: `[Expert Info (Warning/Protocol): ${summary}]`, severity: 'warn' }] }];
      }
      out.after.push(jfif);
      return out;
    }
    refused = true;
  } else if (ct === 'video/mp4') refused = true;
  if (refused) {
    const summary = 'HTTP body subdissector failed, trying heuristic subdissector';
    out.inner.push(note(summary));
    out.experts.push({ severity: 'note', group: 'Malformed', protocol: 'HTTP', summary });
  }
  out.info = ` (${ct})`;
  out.after.push({ label: 'Media Type', proto: 'media', children: [{ label: `Media type: ${ct} (${whole} bytes)` }] });
  return out;
}

/**
 * http.file_data's value: the body as ASCII up to its first NUL, each byte above 0x7f as U+FFFD
 * (-T fields then escapes control characters as tshark does).
 */
export function fileDataText(b: Uint8Array): string {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  // Pieces of 8 K code units joined once: a body of MB is no rope of one-character strings.
  const parts: string[] = [];
  const units = new Uint16Array(Math.min(end, 8192));
  for (let o = 0; o < end; o += units.length) {
    const n = Math.min(units.length, end - o);
    for (let i = 0; i < n; i++) {
      const c = b[o + i];
      units[i] = c >= 0x80 ? 0xfffd : c;
    }
    parts.push(String.fromCharCode.apply(null, n === units.length ? (units as unknown as number[]) : (units.subarray(0, n) as unknown as number[])));
  }
  return parts.join('');
}

/**
 * The [name, value] pair of http.file_data with its value made when read: a body of MB is kept as
 * its bytes up to the first NUL (all the value reads: 1 byte per byte, copied out of the
 * reassembly buffer, which is released), not as a string of up to twice that.
 */
export function fileDataField(name: string, b: Uint8Array): [string, string] {
  let end = b.indexOf(0);
  if (end < 0) end = b.length;
  const kept = b.slice(0, end);
  const pair: [string, string] = [name, ''];
  Object.defineProperty(pair, 1, { get: () => fileDataText(kept), enumerable: true });
  return pair;
}

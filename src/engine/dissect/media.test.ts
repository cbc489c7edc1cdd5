/**
 * HTTP entity bodies: the codings undone (chunks, gzip/deflate, bounded), the media-type
 * dissectors' top-level lines, Protocol/Info and expert items, and bad bodies (a broken or cut
 * gzip stream, chunks without their end, lengths past the data, a PNG cut short): no exception,
 * "[Malformed Packet: PNG]" where tshark shows it. The built capture (test/capture/http-bodies.ts)
 * is compared with tshark 4.0.17's own -O text and -z expert when tshark is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../test/tshark';
import { REPO, TSHARK } from '../../../test/corpora';
import { BODY_CASES, httpBodies } from '../../../test/capture/http-bodies';
import { CaptureSession, MemorySource, readDetail } from '../index';
import { treeText } from '../fields/tree/text';
import { tallyExperts } from '../fields/expert-tally';
import { formatExpertSummary } from '../fields/expert-summary';
import { countLines, dechunk, decodeContent, dissectBody, fileDataText, INFLATE_LIMIT, jsonExtent } from './media';
import { HTTP } from './http';
import type { TcpContext } from './types';

const enc = (s: string) => new TextEncoder().encode(s);

function ctx(): TcpContext {
  return { dir: {}, peer: {}, fromServer: true, ports: [80, 40000], frame: 1, time: 0, expect: () => {} };
}

describe('body codings', () => {
  it('lines end at CR LF, LF or CR; a last unended line counts', () => {
    expect(countLines(enc('a\r\nb\r\n\r\nc'))).toBe(4);
    expect(countLines(enc('a\rb\rc'))).toBe(3);
    expect(countLines(enc('\n'))).toBe(1);
    expect(countLines(enc(''))).toBe(0);
  });

  it('JSON: how far the values in a row go', () => {
    expect(jsonExtent(enc('{"a":[1.5e3,-2,"\\u00e9",true,null,{}]}\n'))).toBe(39);
    expect(jsonExtent(enc('{"a":1} {"b":2}'))).toBe(15);
    expect(jsonExtent(enc('{"a":1} x'))).toBe(8);
    expect(jsonExtent(enc('{e:1}'))).toBe(0);
    expect(jsonExtent(enc('{"a":01}'))).toBe(0);
    expect(jsonExtent(enc('['.repeat(100000)))).toBe(0); // deep nesting: no recursion, no exception
    expect(jsonExtent(enc('"unterminated'))).toBe(0);
  });

  it('gzip and deflate inflate; a bad stream does not, a cut one as far as it goes; the output is bounded', () => {
    const text = enc('hello\n'.repeat(100));
    const g = gzipSync(text);
    expect(decodeContent('gzip', g)).toEqual(text);
    expect(decodeContent('gzip', g.subarray(0, g.length - 8))).toEqual(text); // no trailer: still whole
    // Cut: what it inflated before the end (tshark counts those lines); nothing at all: failed.
    const cut = decodeContent('gzip', g.subarray(0, 15))!;
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(text.length);
    expect(cut).toEqual(text.subarray(0, cut.length));
    expect(decodeContent('gzip', g.subarray(0, 11))).toBeUndefined();
    expect(decodeContent('gzip', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xfe]))).toBeUndefined();
    expect(decodeContent('gzip', enc('not gzip'))).toBeUndefined();
    const bomb = gzipSync(new Uint8Array(INFLATE_LIMIT * 4));
    expect(decodeContent('gzip', bomb)!.length).toBe(INFLATE_LIMIT);
  });

  it('http.file_data: ASCII up to a NUL, bytes above 0x7f as U+FFFD', () => {
    expect(fileDataText(Uint8Array.from([0x61, 9, 0x62, 0x5c, 0x22, 1, 0x7f, 0xc3, 0xa9, 0x0d, 0x0a, 0, 0x7a]))).toBe('a\tb\\"\x01\x7f\ufffd\ufffd\r\n');
  });

  it('chunks without their end, or cut, are joined as far as they go', () => {
    const b = enc('4\r\nabcd\r\n10\r\nxy');
    expect(new TextDecoder().decode(dechunk(b, 0, b.length))).toBe('abcdxy');
    const bogus = enc('zz\r\nabcd\r\n');
    expect(dechunk(bogus, 0, bogus.length).length).toBe(0);
  });

  it('media types: the line tshark prints after HTTP', () => {
    expect(dissectBody('text/html', enc('a\nb')).after.map((n) => n.label)).toEqual(['Line-based text data: text/html (2 lines)']);
    expect(dissectBody('application/json', enc('{e:1}')).after.map((n) => n.label)).toEqual([
      'JavaScript Object Notation: application/json', 'Line-based text data: application/json (1 lines)']);
    expect(dissectBody('application/octet-stream', enc('abc'), 5000).after[0].label).toBe('Data (5000 bytes)');
    const gif = dissectBody('image/gif', enc('GIF89a'));
    expect(gif.after[0].label).toBe('Media Type');
    expect(gif.experts[0].summary).toBe('HTTP body subdissector failed, trying heuristic subdissector');
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 50, ...enc('IHDRxxxxxxxx')]);
    expect(dissectBody('image/png', png).malformed).toBe('PNG');
    expect(dissectBody('image/png', png, 100000).malformed).toBeUndefined(); // only its first bytes at hand
  });
});

describe('HTTP bodies in a PDU', () => {
  const pdu = (head: string, body: Uint8Array, total?: number) => {
    const b = new Uint8Array([...enc(head), ...body]);
    return HTTP.tcpPdu!({ b, off: 0, end: b.length, total }, ctx());
  };

  it('a gzip body: decoded for the media line and http.file_data', () => {
    const p = pdu('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: 99\r\n\r\n', gzipSync(enc('<p>\nok\n')));
    expect(p.after?.map((n) => n.label)).toEqual(['Line-based text data: text/html (2 lines)']);
    expect(p.fields.find(([k]) => k === 'http.file_data')?.[1]).toBe('<p>\nok\n');
    expect(p.info).toBe('HTTP/1.1 200 OK  (text/html)');
  });

  it('bad gzip: "Decompression failed", no media line, no exception', () => {
    const p = pdu('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\n', Uint8Array.from([0x1f, 0x8b, 8, 0, 9]));
    expect(p.after).toBeUndefined();
    expect(p.experts?.map((e) => e.summary)).toContain('Decompression failed');
    expect(p.fields.some(([k]) => k === 'http.file_data')).toBe(false);
    expect(p.info).toBe('HTTP/1.1 200 OK ');
  });

  it('a body cut short by the capture, and chunks without their end: no exception', () => {
    const cut = pdu('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 5000\r\n\r\n', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 50, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(cut.malformed).toBe(true);
    expect(cut.malformedBy).toBe('PNG');
    const chunks = pdu('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n', enc('5\r\nab\ncd\r\nff\r\nxyz'));
    expect(chunks.after?.map((n) => n.label)).toEqual(['Line-based text data: text/plain (2 lines)']); // "ab\ncd" + "xyz"
    const gz = gzipSync(enc('x\n'.repeat(50)));
    const bad = pdu('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n', new Uint8Array([...enc(`ffff\r\n`), ...gz.subarray(0, 9)]));
    expect(bad.experts?.map((e) => e.summary)).toContain('Decompression failed');
  });
});

describe.skipIf(!haveTshark())('HTTP bodies against tshark', () => {
  const bytes = httpBodies();
  const dir = join(REPO, '.test-out');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'http-bodies.pcap');
  writeFileSync(file, bytes);
  const LISTED = new Set(['eth', 'ip', 'ipv6', 'tcp', 'udp', 'arp', 'icmp', 'icmpv6']);

  it(`-O ${[...LISTED].join(',')}: every frame's text as tshark's (${BODY_CASES.length} bodies)`, async () => {
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    let got = '';
    for (let n = 1; n <= s.frameCount; n++) {
      const d = (await readDetail(s, n))!;
      got += treeText(d.tree, { expand: (p) => p !== undefined && LISTED.has(p), bytes: d.bytes }) + '\n';
    }
    const want = execFileSync(TSHARK, ['-2', '-n', '-r', file, '-O', [...LISTED].join(',')], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
    const split = (t: string) => t.split(/\n(?=Frame \d+: )/).map((x) => x.replace(/\n+$/, ''));
    const [w, g] = [split(want), split(got)];
    for (let i = 0; i < w.length; i++) expect(g[i], w[i].split('\n')[0]).toBe(w[i]);
    expect(g.length).toBe(w.length);
  });

  it('-z expert as tshark', async () => {
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const text = formatExpertSummary((await tallyExperts(s, { tree: false }))!);
    expect(text).toBe(execFileSync(TSHARK, ['-2', '-n', '-r', file, '-q', '-z', 'expert'], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] }));
  });
});

/**
 * HTTP on bytes that start no message (a capture that begins mid-stream, data after a message),
 * as tshark 4.0.17 takes them (black-box, crafted segments on port 80; ppa3 tcp_dupack and
 * tcp_zerowindowdead are real cases):
 * - a first byte that is not printable ASCII, or a first line (up to its CR or LF) without a
 *   colon: declined; nothing is shown for the bytes, not even data, and the next segment starts
 *   afresh (so the last of three segments can be dissected alone);
 * - no line end yet: held for more, "[TCP segment of a reassembled PDU]";
 * - else header lines (to an empty line or a line without a colon), then a body; no column set.
 * In a conversation that carries a request anywhere in the capture, both are "Continuation".
 * Each case is its own conversation of one built capture; compared with tshark when installed.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../test/tshark';
import { engineTreeText, tsharkTreeText } from '../../../test/tree-text';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../test/app-columns';
import { Conn, writePcap, type Record_ } from '../../../test/capture/build';
import { CaptureSession, MemorySource, readDetail } from '../index';
import { appExperts, prepareApp } from './app';
import { frameCtx } from '../fields/project';
import { Packet } from '../decode/packet';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** Bytes that are neither CR nor LF, not printable from the first one (as a compressed body's). */
const junk = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => 0x80 + ((i * 37 + seed) % 0x7f));

/** Each case: server (port 80) → client segments, or client → server with `fromClient`. */
const CASES: { name: string; segs: Uint8Array[]; fromClient?: boolean }[] = [
  // 1-3: tcp_dupack's pattern: two segments declined (first byte not printable), the third has
  // header-like lines (a colon in the first one) and a line without a colon: the body after it.
  {
    name: 'dupack',
    segs: [
      Uint8Array.from([...junk(40, 1), 0x3a, ...junk(20, 2), 0x0a, ...junk(30, 3)]),
      Uint8Array.from([...junk(40, 4), 0x0a, 0x3a]),
      Uint8Array.from([...bytes('E?x:y\r'), 0x0f, ...bytes(':z\nno colon here\n'), ...junk(25, 5)]),
    ],
  },
  { name: 'no colon', segs: [bytes('abcdefghij\nklmnop\n\nbody')] }, // 4
  { name: 'no line end', segs: [bytes('abc:def')] }, // 5
  { name: 'held, then no colon', segs: [bytes('abcdefghij'), bytes('xx\nyy'), bytes('zz\r\n\r\nbody')] }, // 6-8
  { name: 'held, then a line without its end', segs: [bytes('abcdefghij'), bytes('x:x\nyy')] }, // 9-10
  { name: 'media type', segs: [bytes('ab: x\r\nContent-Type: text/plain\r\n\r\nhello')] }, // 11
  { name: 'request side', segs: [bytes('a\x00b: c\r\nd:e\r\n\r\n'), bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), bytes('\x90declined\r\n')], fromClient: true }, // 12-14
];

function capture(): Uint8Array {
  const out: Record_[] = [];
  CASES.forEach((c, k) => {
    const conn = new Conn(out, { cport: 40000 + k, sport: 80 });
    let seq = 1;
    for (const [i, p] of c.segs.entries()) {
      const t = (k * 10 + i + 1).toFixed(3);
      if (c.fromClient) conn.c(t, 'PA', seq, 1, 1000, p.length, { payload: p });
      else conn.s(t, 'PA', seq, 1, 1000, p.length, { payload: p });
      seq += p.length;
    }
  });
  return writePcap(out);
}

describe('HTTP on bytes that start no message', () => {
  it('declined, held or header lines, with the columns and tree lines tshark shows', async () => {
    const b = capture();
    const cols = await engineColumns(b);
    const s = new CaptureSession(new MemorySource(b));
    await s.load();
    await prepareApp(s, s.frameCount);
    const tree = async (n: number) => {
      const d = (await readDetail(s, n))!;
      const tcp = d.tree.find((x) => x.proto === 'tcp')!;
      const after = d.tree.slice(d.tree.indexOf(tcp) + 1).map((x) => x.label);
      return { tcp: tcp.children!.slice(-1)[0].label, after };
    };
    const info = (n: number) => cols[n - 1][1];
    for (const n of [1, 2]) {
      expect(cols[n - 1][0]).toBe('TCP');
      expect(info(n)).not.toContain('reassembled');
      expect(await tree(n)).toEqual({ tcp: `TCP payload (${CASES[0].segs[n - 1].length} bytes)`, after: [] });
    }
    // Frame 3 alone: header lines, no column.
    expect(cols[2][0]).toBe('TCP');
    expect(info(3)).toMatch(/Len=\d+$/);
    expect((await tree(3)).after).toEqual(['Hypertext Transfer Protocol']);
    const d3 = (await readDetail(s, 3))!.tree.find((x) => x.label === 'Hypertext Transfer Protocol')!;
    expect(d3.children!.map((x) => x.label)).toEqual(['E?x:y\\r', '\\017:z\\n', 'File Data: 39 bytes']);
    expect(d3.children![1].children!.map((x) => x.label)).toEqual(['[Expert Info (Warning/Protocol): Illegal characters found in header name]']);
    expect((await tree(4)).after).toEqual([]);
    expect(info(5)).toMatch(/Len=7 \[TCP segment of a reassembled PDU\]$/);
    expect((await tree(5)).tcp).toBe('TCP segment data (7 bytes)');
    // Held, then the first line has no colon: the reassembly shows, nothing after it.
    expect(info(6)).toContain('[TCP segment of a reassembled PDU]');
    expect((await tree(7)).after).toEqual(['[2 Reassembled TCP Segments (15 bytes): #6(10), #7(5)]']);
    expect(info(7)).toMatch(/Len=5$/);
    expect((await tree(8)).after).toEqual([]);
    // A last line without its end and without a colon: Malformed, and no segment list.
    expect(info(10)).toMatch(/Len=6\[Malformed Packet\]$/);
    expect((await tree(10)).after).toEqual(['Hypertext Transfer Protocol', '[Malformed Packet: HTTP]']);
    // The body's media type still appends to TCP's Info.
    expect(info(11)).toMatch(/Len=40 \(text\/plain\)$/);
    expect((await tree(11)).after).toEqual(['Hypertext Transfer Protocol', 'Line-based text data: text/plain (1 lines)']);
    // A conversation that carries a request, before or after (tshark -2 sees the whole capture):
    // header lines and declined bytes are "Continuation".
    expect(cols[11]).toEqual(['HTTP', 'Continuation']);
    expect(cols[12]).toEqual(['HTTP', 'GET / HTTP/1.1 ']);
    expect(cols[13]).toEqual(['HTTP', 'Continuation']);
    expect((await tree(14)).after).toEqual(['Hypertext Transfer Protocol']);
  });

  it('expert items: "Illegal characters found in header name" counted, "Trailing stray characters" in the tree only', async () => {
    const b = capture();
    const s = new CaptureSession(new MemorySource(b));
    await s.load();
    await prepareApp(s, s.frameCount);
    const summaries = async (n: number) => {
      const d = (await readDetail(s, n))!;
      const p = new Packet();
      const { bytes: fb, offsets } = await s.readFrames(n, n);
      s.decoder.decode(p, fb, offsets[0], s.frames.capLen[n - 1], s.frames.origLen[n - 1], s.linkType(n), n);
      return { counted: appExperts(frameCtx(s, n, p, fb, offsets[0])).map((e) => e.summary), tree: d };
    };
    expect((await summaries(3)).counted).toEqual(['Illegal characters found in header name', 'Illegal characters found in header name']);
    const r = await summaries(12);
    expect(r.counted).toEqual(['Illegal characters found in header name']);
    const http = r.tree.tree.find((x) => x.label === 'Hypertext Transfer Protocol')!;
    expect(http.children![0].children!.map((x) => x.label)).toEqual([
      '[Expert Info (Warning/Undecoded): Trailing stray characters]',
      '[Expert Info (Warning/Protocol): Illegal characters found in header name]',
    ]);
  });

  it.skipIf(!haveTshark())('columns and tree as tshark -2 prints them', async () => {
    const b = capture();
    const path = writeTestCapture('http-midstream.pcap', b);
    expect((await engineColumns(b)).map((r) => r.join(' | '))).toEqual(tsharkColumns(path).map((r) => r.join(' | ')));
    expect(await engineTreeText(b)).toBe(tsharkTreeText(b, 'http-midstream.pcap'));
  });
});

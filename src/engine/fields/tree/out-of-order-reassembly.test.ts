/**
 * Out-of-order segments and TCP reassembly, as tshark 4.0.17 shows them (found black-box on crafted
 * captures; dissect/stream.ts `outOfOrder`): HTTP on port 80 whose bytes hold no line end, so each
 * segment asks for one more. A gap leaves the pending PDU behind; an out-of-order segment that
 * lands past its first byte joins it (and completes it when it brings bytes past its end), one on
 * its first byte is "Retransmitted TCP segment data", one outside every PDU shows nothing, one
 * with no new bytes in a PDU put together before is a reassembly error. Also a
 * FIN without data ending a PDU that runs to it ("#5(319), #7(0)", "[Frame: 7 (no data)]").
 * Expected lines are tshark's; with tshark installed the whole -O text is compared too.
 */
import { describe, expect, it } from 'vitest';
import { haveTshark } from '../../../../test/tshark';
import { engineTreeText, LISTED, tsharkTreeText } from '../../../../test/tree-text';
import { engineColumns, tsharkColumns, writeTestCapture } from '../../../../test/app-columns';
import { Conn, utf8, writePcap, type Record_ } from '../../../../test/capture/build';
import { CaptureSession, MemorySource, readDetail, readRows } from '../../index';
import { prepareApp } from '../../dissect/app';
import type { DetailNode } from '../../model/types';

/** Client segments [relative seq, length | payload] after a handshake, 1 ms apart (iRTT 2 ms: the late ones are out-of-order). */
type Seg = [number, number | string];

function conversations(list: Seg[][]): { bytes: Uint8Array; first: number[] } {
  const out: Record_[] = [];
  const first: number[] = [];
  list.forEach((segs, k) => {
    const c = new Conn(out, { cport: 40000 + k, sport: 80 });
    const t = (ms: number) => (k * 10 + ms / 1000).toFixed(3);
    c.c(t(0), 'S', 0, 0, 64240).s(t(1), 'SA', 0, 1, 64240).c(t(2), 'A', 1, 1, 64240);
    first.push(out.length + 1);
    segs.forEach(([seq, p], i) => {
      if (typeof p === 'number') c.c(t(3 + i), 'A', seq, 1, 64240, p);
      else c.c(t(3 + i), 'A', seq, 1, 64240, 0, { payload: utf8(p) });
    });
  });
  return { bytes: writePcap(out), first };
}

/** The lines tshark adds for the payload: the TCP subtree's last ones, the top-level nodes after TCP, and Info. */
async function payloadLines(s: CaptureSession, n: number): Promise<string[]> {
  const tree = (await readDetail(s, n))!.tree;
  const at = tree.findIndex((x) => x.proto === 'tcp');
  const kids = tree[at].children ?? [];
  const tail = kids.slice(kids.findIndex((x) => x.label.startsWith('TCP payload')) + 1).map((x) => x.label);
  const flat = (x: DetailNode, pad: string): string[] => [pad + x.label, ...(x.children ?? []).flatMap((k) => flat(k, pad + '  '))];
  const top = tree.slice(at + 1).flatMap((x) => flat(x, ''));
  const [row] = await readRows(s, n, n);
  return [...tail, ...top, `${row.protocol}: ${row.info.replace(/^.*Len=\d+/, '…')}`];
}

const CASES: Seg[][] = [
  // 0. A hole filled: frame 6 completes the PDU left behind by the gap; frame 7 extends the other one.
  [[1, 100], [201, 100], [101, 100], [301, 100]],
  // 1. Overlapping the PDU's bytes, with new ones past its end.
  [[1, 100], [201, 100], [51, 100]],
  // 2. On the first byte of the PDU left behind: a retransmission for the reassembly.
  [[1, 100], [201, 100], [1, 101]],
  // 3. Inside its bytes, nothing new: one more segment of it.
  [[1, 100], [201, 100], [51, 50]],
  // 4. No PDU of several segments there (the request was one segment): nothing at all.
  [[1, 'GET / HTTP/1.0\r\n\r\n'], [119, 100], [19, 100]],
  // 5. Inside a PDU left behind whose bytes were put together once (it asked for more after two segments): a reassembly error.
  [[1, 100], [101, 100], [301, 100], [51, 50]],
  // 6. Into the pending PDU, past its end: completes it too.
  [[1, 100], [101, 100], [151, 100]],
];

describe('out-of-order segments and TCP reassembly', () => {
  const { bytes, first } = conversations(CASES);

  it('join, complete, or stay out of the PDU a gap left behind, as tshark 4.0.17', async () => {
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    await prepareApp(s, s.frameCount);
    const lines = async (k: number, i: number) => payloadLines(s, first[k] + i);
    const f = (k: number, i: number) => first[k] + i;
    // 0
    expect(await lines(0, 0)).toEqual([`[Reassembled PDU in frame: ${f(0, 2)}]`, 'TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect(await lines(0, 1)).toEqual([`[Reassembled PDU in frame: ${f(0, 3)}]`, 'TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect(await lines(0, 2)).toEqual([
      'TCP segment data (100 bytes)',
      `[2 Reassembled TCP Segments (200 bytes): #${f(0, 0)}(100), #${f(0, 2)}(100)]`,
      `  [Frame: ${f(0, 0)}, payload: 0-99 (100 bytes)]`,
      `  [Frame: ${f(0, 2)}, payload: 100-199 (100 bytes)]`,
      '  [Segment count: 2]',
      '  [Reassembled TCP length: 200]',
      'TCP: …',
    ]);
    expect(await lines(0, 3)).toEqual(['TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    // 1
    expect(await lines(1, 2)).toEqual([
      'TCP segment data (100 bytes)',
      `[2 Reassembled TCP Segments (150 bytes): #${f(1, 0)}(100), #${f(1, 2)}(100)]`,
      `  [Frame: ${f(1, 0)}, payload: 0-99 (100 bytes)]`,
      `  [Frame: ${f(1, 2)}, payload: 50-149 (100 bytes)]`,
      '    [Segment overlap: True]',
      '  [Segment count: 2]',
      '  [Reassembled TCP length: 150]',
      'TCP: …',
    ]);
    // 2, 3, 4
    expect(await lines(2, 2)).toEqual(['Retransmitted TCP segment data (101 bytes)', 'TCP: …']);
    expect(await lines(2, 0)).toEqual(['TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect(await lines(3, 2)).toEqual(['TCP segment data (50 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect(await lines(3, 0)).toEqual(['TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect(await lines(4, 2)).toEqual(['TCP: …']);
    // 5, 6
    const overlap = '[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]';
    expect(await lines(5, 3)).toEqual([overlap, '  [Expert Info (Error/Malformed): New fragment overlaps old data (retransmission?)]', '    [New fragment overlaps old data (retransmission?)]', '    [Severity level: Error]', '    [Group: Malformed]', `TCP: …${overlap}`]);
    expect(await lines(6, 0)).toEqual([`[Reassembled PDU in frame: ${f(6, 2)}]`, 'TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect(await lines(6, 1)).toEqual([`[Reassembled PDU in frame: ${f(6, 2)}]`, 'TCP segment data (100 bytes)', 'TCP: … [TCP segment of a reassembled PDU]']);
    expect((await lines(6, 2)).slice(0, 2)).toEqual(['TCP segment data (100 bytes)', `[3 Reassembled TCP Segments (250 bytes): #${f(6, 0)}(100), #${f(6, 1)}(100), #${f(6, 2)}(100)]`]);
  });

  it.skipIf(!haveTshark())(`-O ${LISTED} as tshark prints it`, async () => {
    expect(await engineTreeText(bytes)).toBe(tsharkTreeText(bytes, 'out-of-order-reassembly.pcap'));
  });

  it.skipIf(!haveTshark())('the reassembly fields (-e) as tshark sets them', async () => {
    const fields = ['tcp.reassembled_in', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length'];
    const path = writeTestCapture('out-of-order-reassembly-fields.pcap', bytes);
    // Protocol and Info left out: asked for tcp.segment, tshark writes "[Illegal Segments]" in the Info of a frame whose pieces overlap.
    const only = (rows: string[][]) => rows.map((r) => r.slice(2).map((x) => x ?? ''));
    expect(only(await engineColumns(bytes, fields))).toEqual(only(tsharkColumns(path, fields)));
  });
});

describe('a FIN without data ends a PDU that runs to it', () => {
  function capture(): Uint8Array {
    const out: Record_[] = [];
    const c = new Conn(out, { sport: 80 });
    const get = utf8('GET /x HTTP/1.0\r\n\r\n');
    const resp = utf8('HTTP/1.0 200 OK\r\n\r\n' + 'z'.repeat(300));
    c.c('0.000', 'S', 0, 0, 64240).s('0.010', 'SA', 0, 1, 65160).c('0.020', 'A', 1, 1, 64256);
    c.c('0.0202', 'PA', 1, 1, 64256, 0, { payload: get });
    c.s('0.0402', 'PA', 1, 1 + get.length, 65152, 0, { payload: resp });
    c.c('0.0407', 'FA', 1 + get.length, 1 + resp.length, 64256);
    c.s('0.0607', 'FA', 1 + resp.length, 2 + get.length, 65152);
    c.c('0.0609', 'A', 2 + get.length, 2 + resp.length, 64256);
    return writePcap(out);
  }

  it('lists it as "#5(319), #7(0)" with no "TCP segment data" line', async () => {
    const s = new CaptureSession(new MemorySource(capture()));
    await s.load();
    await prepareApp(s, s.frameCount);
    const tree = (await readDetail(s, 7))!.tree;
    const tcp = tree.find((x) => x.proto === 'tcp')!;
    expect(tcp.children!.some((x) => x.label.includes('segment data'))).toBe(false);
    const list = tree.find((x) => x.label.startsWith('[2 Reassembled'))!;
    expect(list.label).toBe('[2 Reassembled TCP Segments (319 bytes): #5(319), #7(0)]');
    expect(list.children!.map((x) => x.label).slice(0, 2)).toEqual(['[Frame: 5, payload: 0-318 (319 bytes)]', '[Frame: 7 (no data)]']);
    const [row] = await readRows(s, 7, 7);
    expect(`${row.protocol} ${row.info}`).toBe('HTTP HTTP/1.0 200 OK ');
  });

  it.skipIf(!haveTshark())(`-O ${LISTED} as tshark prints it`, async () => {
    const bytes = capture();
    expect(await engineTreeText(bytes)).toBe(tsharkTreeText(bytes, 'fin-ends-pdu.pcap'));
  });
});

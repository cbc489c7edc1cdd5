import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { CaptureSession, MemorySource } from '../index';
import { Packet } from '../decode/packet';
import { decodeFrames } from '../fields/decode-again';
import { FIELDS as GET } from '../fields/project';
import { getField } from '../fields/registry';
import { analyse } from '../../../test/harness';
import { graphStream, GRAPH_SEG } from '../../../test/capture/graph-stream';
import { tcpGraphData, synOrFin, sortedOrder, TCP_FLAGS_SHIFT } from './tcp-graph';
import { throughput } from './throughput';
import { A_FAST_RETRANSMISSION, A_ZERO_WINDOW } from '../tcp/flags';

const FIELDS = ['frame.number', 'frame.time_epoch', 'tcp.seq', 'tcp.len', 'tcp.ack', 'tcp.window_size', 'tcp.analysis.ack_rtt', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.acks_frame', 'tcp.srcport'];

describe('tcpGraphData', () => {
  it('holds, per direction, the values the CLI prints for each frame', async () => {
    const bytes = graphStream();
    const { session, rows } = await analyse(bytes, FIELDS);
    const t0 = Number(rows[0]['frame.time_epoch']);
    for (const dir of [0, 1] as const) {
      const g = (await tcpGraphData(session, 0, dir))!;
      const sent = rows.filter((r) => (r['tcp.srcport'] === '40000') === (dir === 0));
      const back = rows.filter((r) => (r['tcp.srcport'] === '40000') !== (dir === 0));
      expect([...g.seg.frame]).toEqual(sent.map((r) => Number(r['frame.number'])));
      expect([...g.seg.seq]).toEqual(sent.map((r) => Number(r['tcp.seq'])));
      expect([...g.seg.len]).toEqual(sent.map((r) => Number(r['tcp.len'])));
      expect([...g.seg.bif]).toEqual(sent.map((r) => Number(r['tcp.analysis.bytes_in_flight'] || 0)));
      sent.forEach((r, i) => expect(g.seg.t[i]).toBeCloseTo(Number(r['frame.time_epoch']) - t0, 6));
      expect([...g.ack.frame]).toEqual(back.map((r) => Number(r['frame.number'])));
      expect([...g.ack.ack]).toEqual(back.map((r) => Number(r['tcp.ack'])));
      expect([...g.ack.win]).toEqual(back.map((r) => Number(r['tcp.window_size'])));
      back.forEach((r, i) => {
        const rtt = r['tcp.analysis.ack_rtt'];
        if (rtt === '') expect(g.ack.rtt[i]).toBeNaN();
        else expect(g.ack.rtt[i]).toBeCloseTo(Number(rtt), 9);
      });
      // The RTT graph's points: each ACK with an RTT at the tcp.seq of the frame it acknowledges,
      // in sequence-number order.
      const seqOf = new Map(rows.map((r) => [r['frame.number'], Number(r['tcp.seq'])]));
      const want = back
        .filter((r) => r['tcp.analysis.ack_rtt'])
        .map((r) => ({ frame: Number(r['frame.number']), seq: seqOf.get(r['tcp.analysis.acks_frame'])!, rtt: Number(r['tcp.analysis.ack_rtt']) }))
        .sort((a, b) => a.seq - b.seq || a.frame - b.frame);
      expect([...g.rtt.frame]).toEqual(want.map((w) => w.frame));
      expect([...g.rtt.seq]).toEqual(want.map((w) => w.seq));
      want.forEach((w, k) => expect(g.rtt.rtt[k]).toBeCloseTo(w.rtt, 9));
      if (dir === 0) expect(want.length).toBeGreaterThan(3);
    }
  });

  it('marks retransmissions, zero windows and SYN/FIN, and lists SACK blocks in the segments\' sequence space', async () => {
    const { session } = await analyse(graphStream(), FIELDS);
    const g = (await tcpGraphData(session, 0, 0))!;
    expect(g.title).toBe('10.1.0.1:40000 → 10.1.0.2:80');
    const re = [...g.seg.frame].filter((_, i) => g.seg.flags[i] & A_FAST_RETRANSMISSION);
    expect(re).toEqual([19]);
    expect(synOrFin(g.seg.flags[0])).toBe(true);
    expect(g.seg.flags[0] >>> TCP_FLAGS_SHIFT).toBe(0x002);
    const zw = [...g.ack.frame].filter((_, i) => g.ack.flags[i] & A_ZERO_WINDOW);
    expect(zw).toEqual([20]);
    const sacks: [number, number, number][] = [];
    for (let i = 0; i < g.ack.frame.length; i++)
      for (let k = g.ack.sackAt[i]; k < g.ack.sackAt[i + 1]; k++) sacks.push([g.ack.frame[i], g.ack.sackLeft[k], g.ack.sackRight[k]]);
    expect(sacks).toEqual([
      [16, 4001, 5001],
      [17, 4001, 6001],
      [18, 4001, 7001],
    ]);
    expect(await tcpGraphData(session, 5, 0)).toBeUndefined();
  });

  it('sortedOrder: stable ascending order, nearly sorted keys or not', () => {
    expect([...sortedOrder([1, 2, 2, 5, 3, 9])]).toEqual([0, 1, 2, 4, 3, 5]);
    const rev = Array.from({ length: 3000 }, (_, i) => 3000 - i);
    expect([...sortedOrder(rev)]).toEqual(rev.map((_, i) => 2999 - i));
    expect([...sortedOrder([])]).toEqual([]);
  });

  it('throughput: bytes of a moving window over its time span, goodput without retransmissions', async () => {
    const { session } = await analyse(graphStream(), FIELDS);
    const g = (await tcpGraphData(session, 0, 0))!;
    const { tput, goodput } = throughput(g.seg, { segments: 2 });
    // Frames 4 and 5 (0.021, 0.022): 1000 bytes over 1 ms.
    const i = g.seg.frame.indexOf(5);
    expect(tput[i]).toBeCloseTo((GRAPH_SEG * 8) / 0.001, 3);
    const r = g.seg.frame.indexOf(19);
    expect(goodput[r]).toBe(0);
    expect(tput[r]).toBeGreaterThan(0);
    const byTime = throughput(g.seg, { seconds: 0.0025 });
    expect(byTime.tput[g.seg.frame.indexOf(6)]).toBeCloseTo((2 * GRAPH_SEG * 8) / 0.002, 3);
  });
});

/**
 * The graph's arrays come from the frame table's columns (seqRaw, ackRaw, segLen, X_SACK …): on
 * every stream of the corpora, in both directions, they equal the values re-decoding each frame
 * and printing its fields gives (tcp.seq, tcp.ack, tcp.len and the SACK edges of the options).
 */
describe.skipIf(!HAS_SHARED)('tcpGraphData from the columns = the re-decoded fields, on every corpus stream', () => {
  for (const [corpus, dir] of [
    ['captures', CAPTURES],
    ['ppa3', join(CAPTURES, 'real/ppa3')],
  ] as const) {
    it(corpus, async () => {
      let checked = 0;
      for (const f of readdirSync(dir).filter((x) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(x))) {
        const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(join(dir, f))), f));
        await s.load();
        const convs = s.analyzer.conversations.length;
        // The decoded reference, per frame.
        const ref = new Map<number, { seq: number; ack: number; len: number; sack: number[] }>();
        const list: number[] = [];
        for (let n = 1; n <= s.frameCount; n++) if (s.frames.stream[n - 1] >= 0) list.push(n);
        const p = new Packet();
        await decodeFrames(s, p, list, (n, c) => {
          const sack = [...getField('tcp.options.sack_le')!.all(c), ...getField('tcp.options.sack_re')!.all(c)].map(Number);
          const num = (v: string) => (v === '' ? 0 : Number(v));
          ref.set(n, { seq: num(GET['tcp.seq'](c)), ack: num(GET['tcp.ack'](c)), len: num(GET['tcp.len'](c)), sack });
        });
        for (let st = 0; st < convs; st++)
          for (const d of [0, 1] as const) {
            const g = (await tcpGraphData(s, st, d))!;
            const m32 = (v: number) => v % 2 ** 32;
            // Times, window, RTT, acked frame, bytes in flight: the registry's column getters' values (absent = 0, RTT NaN).
            const col = (name: string, n: number, absent = 0) => {
              const v = getField(name)!.column!(s, n);
              return v === v ? v : absent;
            };
            g.seg.frame.forEach((n, i) => {
              const r = ref.get(n)!;
              expect([m32(g.seg.seq[i]), g.seg.len[i]], `${f} frame ${n}`).toEqual([r.seq, r.len]);
              expect([g.seg.t[i], g.seg.bif[i]], `${f} frame ${n} t/bif`).toEqual([col('frame.time_relative', n), col('tcp.analysis.bytes_in_flight', n)]);
            });
            g.ack.frame.forEach((n, i) => {
              const r = ref.get(n)!;
              expect(m32(g.ack.ack[i]), `${f} frame ${n} ack`).toBe(r.ack);
              expect([g.ack.t[i], g.ack.win[i], g.ack.rtt[i], g.ack.acked[i]], `${f} frame ${n} t/win/rtt/acked`).toEqual([
                col('frame.time_relative', n),
                col('tcp.window_size', n),
                col('tcp.analysis.ack_rtt', n, NaN),
                col('tcp.analysis.acks_frame', n),
              ]);
              const k = r.sack.length / 2;
              const got = [...g.ack.sackLeft.subarray(g.ack.sackAt[i], g.ack.sackAt[i + 1]), ...g.ack.sackRight.subarray(g.ack.sackAt[i], g.ack.sackAt[i + 1])].map(m32);
              expect(got, `${f} frame ${n} sack`).toEqual(r.sack.slice(0, k).concat(r.sack.slice(k)));
              checked++;
            });
          }
      }
      expect(checked).toBeGreaterThan(100);
    });
  }
});

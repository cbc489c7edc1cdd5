import { describe, expect, it } from 'vitest';
import { analyse } from '../../../test/harness';
import { graphStream } from '../../../test/capture/graph-stream';
import { ioGraphData, type IoLine } from './io-graph';

const FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'tcp.len', 'tcp.window_size', 'tcp.analysis.ack_rtt', 'tcp.analysis.retransmission', 'tcp.srcport'];

describe('ioGraphData', () => {
  it('bins each line as the per-frame values say, whether a line is answered from the columns or by decoding', async () => {
    const { session, rows } = await analyse(graphStream(), FIELDS);
    const lines: IoLine[] = [
      { name: 'all', filter: '', unit: 'frames' },
      { name: 'bytes from the server', filter: 'tcp.srcport == 80', unit: 'bytes' },
      { name: 'max window', filter: 'tcp.len == 0', unit: 'MAX', field: 'tcp.window_size' },
      { name: 'rtt', filter: 'tcp.analysis.ack_rtt', unit: 'AVG', field: 'tcp.analysis.ack_rtt' },
      { name: 'retrans', filter: 'tcp.analysis.retransmission', unit: 'COUNT', field: 'tcp.analysis.retransmission' },
      { name: 'payload', filter: 'tcp.payload', unit: 'bits' },
    ];
    const d = await ioGraphData(session, lines, 10_000);
    expect(d.intervalUs).toBe(10_000);
    const t0 = Number(rows[0]['frame.time_epoch']);
    const bin = (r: Record<string, string>) => Math.floor(Math.round((Number(r['frame.time_epoch']) - t0) * 1e6) / 10_000);
    const want = lines.map(() => new Map<number, number[]>());
    for (const r of rows) {
      const b = bin(r);
      const put = (j: number, v: number) => want[j].set(b, [...(want[j].get(b) ?? []), v]);
      put(0, 1);
      if (r['tcp.srcport'] === '80') put(1, Number(r['frame.len']));
      if (r['tcp.len'] === '0') put(2, Number(r['tcp.window_size']));
      if (r['tcp.analysis.ack_rtt']) put(3, Number(r['tcp.analysis.ack_rtt']));
      if (r['tcp.analysis.retransmission']) put(4, 1);
      if (Number(r['tcp.len']) > 0) put(5, Number(r['frame.len']) * 8);
    }
    const perSec = 1e6 / 10_000;
    for (let k = 0; k < d.t.length; k++) {
      const sum = (j: number) => (want[j].get(k) ?? []).reduce((a, v) => a + v, 0);
      expect(d.y[0][k], `frames ${k}`).toBe(sum(0) * perSec);
      expect(d.y[1][k], `bytes ${k}`).toBe(sum(1) * perSec);
      expect(d.y[2][k], `max ${k}`).toBe(want[2].has(k) ? Math.max(...want[2].get(k)!) : 0);
      const rtt = want[3].get(k);
      if (rtt) expect(d.y[3][k], `avg rtt ${k}`).toBeCloseTo(rtt.reduce((a, v) => a + v, 0) / rtt.length, 6);
      else expect(d.y[3][k]).toBe(0);
      expect(d.y[4][k], `count ${k}`).toBe(sum(4));
      expect(d.y[5][k], `bits ${k}`).toBe(sum(5) * perSec);
    }
    expect(d.y[4].reduce((a, v) => a + v, 0)).toBe(1);
    // Only one frame to decode (the retransmission's COUNT): the batched path, same bins.
    const few = await ioGraphData(session, [lines[0], lines[2], lines[4]], 10_000);
    expect(few.y.map((a) => [...a])).toEqual([d.y[0], d.y[2], d.y[4]].map((a) => [...a]));
    await expect(ioGraphData(session, lines, 0.5)).rejects.toThrow(/between 1 µs and 10 min/);
    await expect(ioGraphData(session, [{ name: 'x', filter: 'tcp.port ==', unit: 'frames' }], 1000)).rejects.toThrow(/invalid filter/);
  });
});

import { describe, expect, it } from 'vitest';
import { analyse } from '../../../../test/harness';
import { graphStream } from '../../../../test/capture/graph-stream';
// The worker's graph data as a fixture (a test, not UI code).
// eslint-disable-next-line no-restricted-imports
import { tcpGraphData } from '../../../engine/graphs/tcp-graph';
// eslint-disable-next-line no-restricted-imports
import { tcpChart } from '../../../engine/graphs/chart';
// eslint-disable-next-line no-restricted-imports
import { buildLevels } from '../../../engine/graphs/lod';
import { Prepared, ticks, compact, indexOfFrame, frameIndex } from './plot';
import { chartCsv, tcpChartOf } from './series';

describe('the plot\'s pyramid (built by the worker)', () => {
  it('keeps, per bucket of 2^k points, the lowest and highest value (bars: bottoms and tops), up to at most 512 buckets', () => {
    const n = 5000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    const y2 = y.map((v) => v + 10);
    y[17] = NaN;
    const levels = buildLevels(y, y2);
    const p = new Prepared({ id: 's', label: 's', color: '#000', kind: 'vbars', x, y, y2, levels });
    expect(levels.map((l) => l.shift)).toEqual([1, 2, 3, 4]);
    expect(levels.map((l) => l.lo.length)).toEqual([2500, 1250, 625, 313]);
    expect(p.level(9)).toBe(levels[3]);
    for (const l of levels) {
      const size = 1 << l.shift;
      for (const b of [0, 3, l.lo.length - 1]) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = b * size; i < Math.min(n, (b + 1) * size); i++)
          if (!Number.isNaN(y[i])) {
            lo = Math.min(lo, y[i]);
            hi = Math.max(hi, y2[i]);
          }
        expect([l.lo[b], l.hi[b]], `level ${l.shift} bucket ${b}`).toEqual([lo, hi]);
      }
    }
    expect(p.lowerBound(2500.5)).toBe(2501);
    expect(p.lowerBound(-1)).toBe(0);
    expect(p.lowerBound(1e9)).toBe(n);
    expect(p.extent()).toEqual([0, 1009]);
  });

  it('ticks and numbers', () => {
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(ticks(3, 3, 5)).toEqual([3]);
    expect(compact(1_234_567)).toBe('1.235M');
    expect(compact(0.0001)).toBe('100µ');
    expect(compact(42)).toBe('42');
    expect(indexOfFrame(Uint32Array.of(2, 5, 9), 5)).toBe(1);
    expect(indexOfFrame(Uint32Array.of(2, 5, 9), 6)).toBe(-1);
  });
});

describe('series of the TCP graphs', () => {
  it('tcptrace: segments end at seq + len (SYN/FIN one more), ACK and window lines only from ACKs, SACK blocks at their ACK', async () => {
    const { session } = await analyse(graphStream(), ['frame.number']);
    const g = (await tcpGraphData(session, 0, 0))!;
    const c = tcpChartOf(tcpChart(g, 'tcptrace'));
    const get = (id: string) => c.series.find((s) => s.id === id)!;
    const seg = get('seg');
    expect(seg.y2![0] - seg.y[0]).toBe(1); // SYN
    expect(seg.y2![seg.frames!.indexOf(4)] - seg.y[seg.frames!.indexOf(4)]).toBe(1000);
    // Frame 2 (SYN/ACK) has the ACK flag; every ACK-line point is a frame of the other direction.
    expect([...get('ack').frames!]).toEqual([...g.ack.frame]);
    expect([...get('sack').frames!]).toEqual([16, 17, 18]);
    expect([...get('retrans').frames!]).toEqual([19]);
    expect([...get('zero').frames!]).toEqual([20]);
    const csv = chartCsv(tcpChartOf(tcpChart(g, 'stevens')).series, 'time_s').split('\n');
    expect(csv[0]).toBe('series,frame,time_s,value,value2');
    expect(csv[1]).toMatch(/^Segments \(tcp\.seq\),1,0,0,$/);
    const rtt = tcpChartOf(tcpChart(g, 'rtt')).series[0];
    expect(rtt.y.every((v) => v > 0)).toBe(true);
    // Against the sequence number: x ascending, each frame found though frames are not ascending.
    expect(rtt.x.every((v, i) => i === 0 || v >= rtt.x[i - 1])).toBe(true);
    expect([...rtt.x]).toEqual([...g.rtt.seq]);
    rtt.frames!.forEach((f, i) => expect(frameIndex(rtt, f)).toBe(i));
  });
});

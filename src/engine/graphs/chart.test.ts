import { describe, expect, it } from 'vitest';
import { analyse } from '../../../test/harness';
import { graphStream } from '../../../test/capture/graph-stream';
import { chartBuffers, ioChart, tcpChart, type TcpChartKind } from './chart';
import { buildLevels } from './lod';
import { graphBuffers, tcpGraphData } from './tcp-graph';
import { throughput } from './throughput';

describe('draw-ready charts (built in the worker)', () => {
  it('every series of every kind has its x ascending and its pyramid; transferring never takes the data the worker keeps', async () => {
    const { session } = await analyse(graphStream(), ['frame.number']);
    const g = (await tcpGraphData(session, 0, 0))!;
    const kept = graphBuffers(g);
    const seqBefore = g.seg.seq.slice();
    for (const kind of ['stevens', 'tcptrace', 'throughput', 'rtt', 'wscale'] as TcpChartKind[]) {
      const c = tcpChart(g, kind, { segments: 3 });
      expect(c.title).toBe(g.title);
      for (const s of c.series) {
        expect(s.x.every((v, i) => i === 0 || v >= s.x[i - 1]), `${kind} ${s.id}`).toBe(true);
        expect(s.levels).toEqual(buildLevels(s.y, s.y2));
      }
      const bufs = chartBuffers(c.series, new Set(kept));
      expect(bufs.some((b) => kept.includes(b)), kind).toBe(false);
      for (const s of c.series) for (const a of [s.x, s.y, s.y2, s.frames, ...s.levels.flatMap((l) => [l.lo, l.hi])]) if (a) expect(bufs).toContain(a.buffer);
    }
    expect(g.seg.seq).toEqual(seqBefore);
    const tp = tcpChart(g, 'throughput', { segments: 3 });
    expect([...tp.series.find((s) => s.id === 'avg')!.y]).toEqual([...throughput(g.seg, { segments: 3 }).tput]);
    expect([...tp.series.find((s) => s.id === 'tput')!.y]).toEqual([...throughput(g.seg, { segments: 2 }).tput]);
    const io = ioChart({ intervalUs: 1000, t: Float64Array.of(0, 0.001, 0.002), y: [Float64Array.of(1, 2, 3), Float64Array.of(0, 5, 0)] });
    expect(io.series.map((s) => s.id)).toEqual(['io0', 'io1']);
    // The lines share their x: transferred once.
    expect(chartBuffers(io.series).filter((b) => b === io.series[0].x.buffer)).toHaveLength(1);
  });
});

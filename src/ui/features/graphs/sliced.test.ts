import { describe, expect, it } from 'vitest';
import { runSliced, runSync, type Steps } from './sliced';
import { Prepared, type Series } from './plot';
import { tcptrace, tcptraceSteps } from './series';
import { analyse } from '../../../../test/harness';
import { graphStream } from '../../../../test/capture/graph-stream';
// The worker's graph data as a fixture (a test, not UI code).
// eslint-disable-next-line no-restricted-imports
import { tcpGraphData } from '../../../engine/graphs/tcp-graph';

function* count(n: number, log: number[]): Steps<number> {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += i;
    log.push(i);
    yield;
  }
  return s;
}

describe('work in slices', () => {
  it('runSliced gives what runSync gives, in several tasks, and stops when aborted', async () => {
    const log: number[] = [];
    // A budget of 0 ms: one step per task, so other tasks run in between.
    const done = runSliced(count(50, log), { aborted: false }, 0);
    expect(log.length).toBeLessThan(50); // not all in the calling task
    expect(await done).toBe(runSync(count(50, [])));
    expect(log.length).toBe(50);
    const signal = { aborted: false };
    const stopped: number[] = [];
    void runSliced(count(1000, stopped), signal, 0);
    signal.aborted = true;
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped.length).toBeLessThan(5);
    await expect(runSliced((function* () { yield; throw new Error('bad'); })(), { aborted: false })).rejects.toThrow('bad');
  });

  it('the sliced tcptrace and levels equal the ones built at once', async () => {
    const { session } = await analyse(graphStream(), ['frame.number']);
    const g = (await tcpGraphData(session, 0, 0))!;
    const a = tcptrace(g);
    const b = await runSliced(tcptraceSteps(g), { aborted: false }, 0);
    expect(b.series.map((s) => [s.id, [...s.x], [...s.y], s.y2 && [...s.y2]])).toEqual(a.series.map((s) => [s.id, [...s.x], [...s.y], s.y2 && [...s.y2]]));
    const y = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i) * i);
    const s: Series = { id: 'x', label: 'x', color: '#000', kind: 'line', x: Float64Array.from(y, (_, i) => i), y };
    const sliced = Prepared.of(s);
    await runSliced(sliced.build(), { aborted: false }, 0);
    const once = new Prepared(s);
    expect(sliced.levels.map((l) => [...l.lo, ...l.hi])).toEqual(once.levels.map((l) => [...l.lo, ...l.hi]));
  });
});

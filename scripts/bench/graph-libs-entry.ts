// Page code of scripts/bench/graph-libs.mjs: the same million points drawn by uPlot and by the
// graphs' own canvas layer (src/ui/features/graphs/plot.ts), first draw and redraws on zoom/pan.
import uPlot from 'uplot';
import { Plot, type Series } from '../../src/ui/features/graphs/plot';

const W = 1200;
const H = 500;

/** A tcptrace-like stream: time ascending, sequence number climbing with noise and stalls. */
function data(n: number): { x: Float64Array; y: Float64Array; y2: Float64Array } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const y2 = new Float64Array(n);
  let t = 0;
  let seq = 0;
  let r = 12345;
  const rnd = () => ((r = (r * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    t += 0.00001 + (rnd() < 0.001 ? 0.05 : rnd() * 0.00002);
    seq += rnd() < 0.002 ? -20000 : 1448;
    x[i] = t;
    y[i] = seq;
    y2[i] = seq + 1448;
  }
  return { x, y, y2 };
}

const nextMicro = () => Promise.resolve();
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** Zoom in 10 steps to 1/1000 of the range around the middle, then pan 20 steps: per-step draw ms. */
function steps(x0: number, x1: number): [number, number][] {
  const out: [number, number][] = [];
  const mid = (x0 + x1) / 2;
  let w = x1 - x0;
  for (let k = 0; k < 10; k++) {
    w *= 0.5;
    out.push([mid - w / 2, mid + w / 2]);
  }
  for (let k = 0; k < 20; k++) out.push([mid - w / 2 + ((k + 1) * w) / 10, mid + w / 2 + ((k + 1) * w) / 10]);
  // And back out to the whole.
  out.push([x0, x1]);
  return out;
}

function host(): HTMLDivElement {
  document.body.innerHTML = '';
  const d = document.createElement('div');
  d.style.cssText = `width:${W}px;height:${H}px;position:relative`;
  document.body.append(d);
  return d;
}

async function uplotBench(n: number, points: boolean) {
  const { x, y } = data(n);
  const el = host();
  await nextFrame();
  const t0 = performance.now();
  const u = new uPlot(
    {
      width: W,
      height: H,
      scales: { x: { time: false } },
      series: [{}, points ? { stroke: 'blue', paths: () => null, points: { show: true, size: 3, fill: 'blue' } } : { stroke: 'blue', width: 1 }],
      legend: { show: false },
      cursor: { show: false },
    },
    [x as unknown as number[], y as unknown as number[]],
    el,
  );
  await nextMicro();
  const first = performance.now() - t0;
  const redraw: number[] = [];
  for (const [a, b] of steps(x[0], x[n - 1])) {
    await nextFrame();
    const t = performance.now();
    u.setScale('x', { min: a, max: b });
    await nextMicro();
    redraw.push(performance.now() - t);
  }
  u.destroy();
  return { first, redraw };
}

async function canvasBench(n: number, kind: 'line' | 'points' | 'vbars') {
  const { x, y, y2 } = data(n);
  const el = host();
  const c = document.createElement('canvas');
  const o = document.createElement('canvas');
  o.style.cssText = 'position:absolute;left:0;top:0';
  el.append(c, o);
  await nextFrame();
  const t0 = performance.now();
  const p = new Plot(c, o);
  p.resize(W, H, 1);
  const s: Series = { id: 's', label: 's', color: 'blue', kind, x, y, y2: kind === 'vbars' ? y2 : undefined };
  p.setData([s], { xLabel: 'Time (s)', yLabel: 'Sequence number' });
  p.draw();
  const first = performance.now() - t0;
  const redraw: number[] = [];
  for (const [a, b] of steps(x[0], x[n - 1])) {
    await nextFrame();
    const t = performance.now();
    p.view.x0 = a;
    p.view.x1 = b;
    p.draw();
    redraw.push(performance.now() - t);
  }
  return { first, redraw };
}

declare global {
  interface Window {
    graphBench: (lib: string, n: number) => Promise<{ first: number; redraw: number[] }>;
  }
}
window.graphBench = (lib, n) =>
  lib === 'uplot-line' ? uplotBench(n, false) : lib === 'uplot-points' ? uplotBench(n, true) : canvasBench(n, lib.replace('canvas-', '') as 'line' | 'points' | 'vbars');

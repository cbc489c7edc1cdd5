/**
 * The graphs' drawing layer: one canvas for the data and axes, one over it for the crosshair,
 * the selected frame and the zoom rectangle (so moving the mouse never redraws the data).
 *
 * Every series has its x values sorted (times), so the visible points are a binary search away,
 * and a series of a million points draws in time bounded by the plot's width, not by the
 * points: each series keeps a pyramid of levels (level k: buckets of 2^k consecutive points
 * with their lowest and highest y), and a redraw uses the finest level whose visible buckets
 * are at most a few per pixel column (the worker builds the pyramid with the series: no level
 * is built here). Lines, steps, points, vertical bars (tcptrace's segments
 * and SACK blocks) and marks (retransmissions, zero windows …) are the layer kinds.
 * No DOM outside the two canvases it is given; no React.
 */

import type { Level, SeriesData } from '../../engine-client';

export type SeriesKind = 'line' | 'step' | 'points' | 'vbars' | 'marks';
export type Marker = 'dot' | 'x' | 'square' | 'triangle' | 'diamond';

/** A series as the worker built it (points, frames, zoom pyramid: engine/graphs/chart.ts) and its look. */
export interface Series extends SeriesData {
  label: string;
  color: string;
  kind: SeriesKind;
  marker?: Marker;
  /** Line width / marker size in CSS px. */
  width?: number;
}

export interface View {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface PlotOptions {
  xLabel: string;
  yLabel: string;
  /** The crosshair's text of an x value (default: "t 1.234567 s"). */
  xReadout?: (v: number) => string;
  /** log10 y axis (values ≤ 0 are not drawn). */
  logY?: boolean;
  /** Text of an axis value (default: compact number). */
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
}

/** Buckets per pixel column at most before a coarser level is used. */
const PER_PX = 2;
const MARGIN = { left: 72, right: 14, top: 10, bottom: 34 };

/** A series and what the plot looks up in it. */
export class Prepared {
  constructor(readonly s: Series) {}

  /** The coarsest level (at most 512 buckets). */
  get maxShift(): number {
    return this.s.levels.length;
  }

  /** Level `shift` (≥ 1, at most maxShift): bucket b = points [b·2^shift, (b+1)·2^shift). */
  level(shift: number): Level {
    return this.s.levels[Math.min(shift, this.maxShift) - 1];
  }

  /** Index of the first point with x ≥ v. */
  lowerBound(v: number): number {
    const x = this.s.x;
    let a = 0;
    let b = x.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (x[m] < v) a = m + 1;
      else b = m;
    }
    return a;
  }

  /** y range over all points (vbars: bottoms and tops). */
  extent(logY = false): [number, number] {
    const { y, y2 } = this.s;
    if (!logY && y.length > 512) {
      // From the coarsest level.
      const l = this.level(this.maxShift);
      let a = Infinity;
      let z = -Infinity;
      for (let b = 0; b < l.lo.length; b++) {
        if (l.lo[b] < a) a = l.lo[b];
        if (l.hi[b] > z) z = l.hi[b];
      }
      return [a, z];
    }
    let a = Infinity;
    let z = -Infinity;
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      if (v === v && (!logY || v > 0)) {
        if (v < a) a = v;
        if (v > z) z = v;
      }
      if (y2) {
        const t = y2[i];
        if (t === t && t > z) z = t;
      }
    }
    return [a, z];
  }
}

/** Round tick steps: 1, 2, 5 × 10^k, about `count` of them over [a, b]. */
export function ticks(a: number, b: number, count: number): number[] {
  const span = b - a;
  if (!(span > 0) || !Number.isFinite(span)) return [a];
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** 1234567 → "1.23M", 0.00123 → "1.23m"; integers below 10 000 as they are. */
export function compact(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    const units: [number, string][] = [
      [1e12, 'T'],
      [1e9, 'G'],
      [1e6, 'M'],
      [1e3, 'k'],
      [1, ''],
      [1e-3, 'm'],
      [1e-6, 'µ'],
      [1e-9, 'n'],
    ];
    for (const [u, s] of units) if (a >= u) return `${+(v / u).toPrecision(4)}${s}`;
    return v.toExponential(2);
  }
  return String(+v.toPrecision(6));
}

export interface Pick {
  series: string;
  index: number;
  frame: number | undefined;
  x: number;
  y: number;
}

/**
 * The plot on two canvases. Call `setData`, then `draw()` (or `schedule()` to draw at the next
 * animation frame); `view` is the visible range in data units.
 */
export class Plot {
  private prepared: Prepared[] = [];
  private full: View = { x0: 0, x1: 1, y0: 0, y1: 1 };
  view: View = { x0: 0, x1: 1, y0: 0, y1: 1 };
  opts: PlotOptions = { xLabel: '', yLabel: '' };
  /** Hidden series ids. */
  hidden = new Set<string>();
  private cssW = 0;
  private cssH = 0;
  private dpr = 1;
  private pending = 0;
  /** Crosshair position (CSS px in the canvas), the zoom rectangle being dragged, the selected frame. */
  cross: { x: number; y: number } | undefined;
  rect: { x0: number; y0: number; x1: number; y1: number } | undefined;
  selectedFrame: number | undefined;
  /** The text colour, as of the last data draw. */
  private fg = '#222';
  /** Time of the last data draw, ms (for the benchmarks). */
  lastDrawMs = 0;
  onDraw: (() => void) | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly overlay: HTMLCanvasElement,
  ) {}

  get series(): readonly Series[] {
    return this.prepared.map((p) => p.s);
  }

  preparedOf(id: string): Prepared | undefined {
    return this.prepared.find((p) => p.s.id === id);
  }

  setData(series: Series[], opts: PlotOptions, view?: View): void {
    this.prepared = series.map((s) => new Prepared(s));
    this.opts = opts;
    this.full = this.fullView();
    this.view = view && view.x1 > view.x0 && view.y1 > view.y0 ? { ...view } : { ...this.full };
  }

  /** The whole data with 4 % room on each side. */
  fullView(): View {
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (const p of this.prepared) {
      const x = p.s.x;
      if (!x.length) continue;
      x0 = Math.min(x0, x[0]);
      x1 = Math.max(x1, x[x.length - 1]);
      const [a, z] = p.extent(this.opts.logY);
      y0 = Math.min(y0, a);
      y1 = Math.max(y1, z);
    }
    if (!Number.isFinite(x0)) return { x0: 0, x1: 1, y0: 0, y1: 1 };
    if (!Number.isFinite(y0)) [y0, y1] = this.opts.logY ? [1, 10] : [0, 1];
    if (this.opts.logY) {
      const [a, z] = [Math.log10(y0), Math.log10(y1)];
      const pad = Math.max(0.1, (z - a) * 0.04);
      return { x0: x0 - pad0(x0, x1), x1: x1 + pad0(x0, x1), y0: 10 ** (a - pad), y1: 10 ** (z + pad) };
    }
    if (y0 > 0 && y0 < (y1 - y0) * 0.5) y0 = 0;
    const py = y1 > y0 ? (y1 - y0) * 0.04 : Math.max(1, Math.abs(y0) * 0.1);
    return { x0: x0 - pad0(x0, x1), x1: x1 + pad0(x0, x1), y0: y0 - py, y1: y1 + py };
  }

  get fullRange(): View {
    return this.full;
  }

  resize(cssW: number, cssH: number, dpr = window.devicePixelRatio || 1): void {
    this.cssW = Math.max(1, Math.floor(cssW));
    this.cssH = Math.max(1, Math.floor(cssH));
    this.dpr = dpr;
    for (const c of [this.canvas, this.overlay]) {
      c.width = Math.round(this.cssW * dpr);
      c.height = Math.round(this.cssH * dpr);
      c.style.width = `${this.cssW}px`;
      c.style.height = `${this.cssH}px`;
    }
  }

  /** The plot area, CSS px. */
  get area(): { left: number; top: number; width: number; height: number } {
    return { left: MARGIN.left, top: MARGIN.top, width: Math.max(1, this.cssW - MARGIN.left - MARGIN.right), height: Math.max(1, this.cssH - MARGIN.top - MARGIN.bottom) };
  }

  private ty(v: number): number {
    return this.opts.logY ? Math.log10(v) : v;
  }

  /** Data → CSS px. */
  px(x: number): number {
    const a = this.area;
    return a.left + ((x - this.view.x0) / (this.view.x1 - this.view.x0)) * a.width;
  }
  py(y: number): number {
    const a = this.area;
    const b0 = this.ty(this.view.y0);
    const b1 = this.ty(this.view.y1);
    return a.top + a.height - ((this.ty(y) - b0) / (b1 - b0)) * a.height;
  }
  /** CSS px → data. */
  dataAt(px: number, py: number): { x: number; y: number } {
    const a = this.area;
    const x = this.view.x0 + ((px - a.left) / a.width) * (this.view.x1 - this.view.x0);
    const b0 = this.ty(this.view.y0);
    const b1 = this.ty(this.view.y1);
    const t = b0 + ((a.top + a.height - py) / a.height) * (b1 - b0);
    return { x, y: this.opts.logY ? 10 ** t : t };
  }

  schedule(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.draw();
    });
  }

  scheduleOverlay(): void {
    requestAnimationFrame(() => this.drawOverlay());
  }

  dispose(): void {
    if (this.pending) cancelAnimationFrame(this.pending);
    this.pending = 0;
  }

  /** Zoom by `f` (< 1 = in) around the data point (cx, cy), on the axes asked for. */
  zoom(f: number, cx: number, cy: number, xAxis = true, yAxis = true): void {
    const v = this.view;
    if (xAxis) {
      const x0 = cx - (cx - v.x0) * f;
      const x1 = cx + (v.x1 - cx) * f;
      if (x1 - x0 > 1e-12) Object.assign(v, { x0, x1 });
    }
    if (yAxis) {
      if (this.opts.logY) {
        const c = Math.log10(cy);
        const a = c - (c - Math.log10(v.y0)) * f;
        const b = c + (Math.log10(v.y1) - c) * f;
        if (b - a > 1e-9) Object.assign(v, { y0: 10 ** a, y1: 10 ** b });
      } else {
        const y0 = cy - (cy - v.y0) * f;
        const y1 = cy + (v.y1 - cy) * f;
        if (y1 - y0 > 1e-12) Object.assign(v, { y0, y1 });
      }
    }
  }

  /** Move the view by a fraction of its size (dx right, dy up). */
  pan(dx: number, dy: number): void {
    const v = this.view;
    const w = v.x1 - v.x0;
    v.x0 += dx * w;
    v.x1 += dx * w;
    if (this.opts.logY) {
      const a = Math.log10(v.y0);
      const b = Math.log10(v.y1);
      const d = dy * (b - a);
      v.y0 = 10 ** (a + d);
      v.y1 = 10 ** (b + d);
    } else {
      const h = v.y1 - v.y0;
      v.y0 += dy * h;
      v.y1 += dy * h;
    }
  }

  reset(): void {
    this.view = { ...this.full };
  }

  /** The point nearest to (px, py) CSS px within `radius` px, among the series with frames. */
  pick(px: number, py: number, radius = 8): Pick | undefined {
    let best: Pick | undefined;
    let bestD = radius * radius;
    const xa = this.dataAt(px - radius, 0).x;
    const xb = this.dataAt(px + radius, 0).x;
    for (const p of this.prepared) {
      const s = p.s;
      if (this.hidden.has(s.id)) continue;
      const i0 = p.lowerBound(xa);
      const i1 = Math.min(s.x.length, p.lowerBound(xb) + 1, i0 + 20000);
      for (let i = i0; i < i1; i++) {
        const y = s.y[i];
        if (y !== y) continue;
        const dx = this.px(s.x[i]) - px;
        let dy: number;
        if (s.kind === 'vbars' && s.y2) {
          const top = this.py(s.y2[i]);
          const bot = this.py(y);
          dy = py < top ? top - py : py > bot ? py - bot : 0;
        } else dy = this.py(y) - py;
        const d = dx * dx + dy * dy;
        if (d <= bestD) {
          bestD = d;
          best = { series: s.id, index: i, frame: s.frames?.[i], x: s.x[i], y };
        }
      }
    }
    return best;
  }

  /** Draw the data, the axes and the overlay. */
  draw(): void {
    const t0 = performance.now();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    // Read once per data draw (a style read can force a style recalculation); the overlay reuses it.
    const style = getComputedStyle(this.canvas);
    const fg = (this.fg = style.color || '#222');
    const faint = style.getPropertyValue('--border') || '#ccc';
    ctx.clearRect(0, 0, this.cssW, this.cssH);
    const a = this.area;
    this.drawGrid(ctx, fg, faint.trim() || '#ccc');
    ctx.save();
    ctx.beginPath();
    ctx.rect(a.left, a.top, a.width, a.height);
    ctx.clip();
    for (const p of this.prepared) if (!this.hidden.has(p.s.id)) this.drawSeries(ctx, p);
    ctx.restore();
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1;
    ctx.strokeRect(a.left + 0.5, a.top + 0.5, a.width, a.height);
    this.lastDrawMs = performance.now() - t0;
    this.drawOverlay();
    this.onDraw?.();
  }

  private drawGrid(ctx: CanvasRenderingContext2D, fg: string, faint: string): void {
    const a = this.area;
    const v = this.view;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = fg;
    ctx.strokeStyle = faint;
    ctx.lineWidth = 1;
    const xf = this.opts.xFormat ?? compact;
    const yf = this.opts.yFormat ?? compact;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.beginPath();
    for (const t of ticks(v.x0, v.x1, Math.max(2, Math.floor(a.width / 90)))) {
      const x = Math.round(this.px(t)) + 0.5;
      ctx.moveTo(x, a.top);
      ctx.lineTo(x, a.top + a.height);
      ctx.fillText(xf(t), x, a.top + a.height + 4);
    }
    const yt = this.opts.logY ? logTicks(v.y0, v.y1) : ticks(v.y0, v.y1, Math.max(2, Math.floor(a.height / 40)));
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of yt) {
      const y = Math.round(this.py(t)) + 0.5;
      ctx.moveTo(a.left, y);
      ctx.lineTo(a.left + a.width, y);
      ctx.fillText(yf(t), a.left - 5, y);
    }
    ctx.stroke();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(this.opts.xLabel, a.left + a.width / 2, this.cssH - 1);
    ctx.save();
    ctx.translate(11, a.top + a.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(this.opts.yLabel, 0, 0);
    ctx.restore();
  }

  /** The pyramid level for `count` visible points over `width` px (undefined = the points). */
  private levelFor(p: Prepared, count: number, width: number): Level | undefined {
    if (count <= width * PER_PX) return undefined;
    let k = 1;
    const max = p.maxShift;
    while (k < max && count >> k > width * PER_PX) k++;
    return p.level(k);
  }

  private drawSeries(ctx: CanvasRenderingContext2D, p: Prepared): void {
    const s = p.s;
    const n = s.x.length;
    if (!n) return;
    const a = this.area;
    const v = this.view;
    // One point beyond each edge, so lines leave the plot instead of stopping short.
    const i0 = Math.max(0, p.lowerBound(v.x0) - 1);
    const i1 = Math.min(n, p.lowerBound(v.x1) + 1);
    if (i1 <= i0) return;
    const lvl = this.levelFor(p, i1 - i0, a.width);
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    const w = s.width ?? (s.kind === 'marks' ? 7 : s.kind === 'points' ? 3 : 1.25);
    ctx.lineWidth = w;
    // Pixel values are clamped: canvases misbehave with coordinates far outside.
    const yMin = a.top - 10;
    const yMax = a.top + a.height + 10;
    const cy = (y: number) => (y < yMin ? yMin : y > yMax ? yMax : y);
    if (lvl) {
      // Buckets: a vertical stroke from lowest to highest value at the bucket's first x; lines
      // and steps join each bucket to the next.
      const b0 = i0 >> lvl.shift;
      const b1 = Math.min(lvl.lo.length, ((i1 - 1) >> lvl.shift) + 1);
      ctx.beginPath();
      let started = false;
      for (let b = b0; b < b1; b++) {
        const lo = lvl.lo[b];
        const hi = lvl.hi[b];
        if (!(lo <= hi)) {
          started = false;
          continue;
        }
        const x = this.px(s.x[b << lvl.shift]);
        if (this.opts.logY && hi <= 0) continue;
        const ylo = cy(this.py(this.opts.logY && lo <= 0 ? hi : lo));
        const yhi = cy(this.py(hi));
        if (s.kind === 'line' || s.kind === 'step') {
          if (started) ctx.lineTo(x, ylo);
          else ctx.moveTo(x, ylo);
          ctx.lineTo(x, yhi);
          started = true;
        } else {
          ctx.rect(x - (s.kind === 'vbars' ? 0.5 : w / 2), yhi - (s.kind === 'vbars' ? 0 : w / 2), s.kind === 'vbars' ? 1 : w, ylo - yhi + (s.kind === 'vbars' ? 1 : w));
        }
      }
      if (s.kind === 'line' || s.kind === 'step') {
        ctx.lineWidth = Math.max(1, w);
        ctx.stroke();
      } else ctx.fill();
      return;
    }
    const log = this.opts.logY;
    if (s.kind === 'line' || s.kind === 'step') {
      ctx.beginPath();
      let started = false;
      let prevY = 0;
      for (let i = i0; i < i1; i++) {
        const yv = s.y[i];
        if (yv !== yv || (log && yv <= 0)) {
          started = false;
          continue;
        }
        const x = this.px(s.x[i]);
        const y = cy(this.py(yv));
        if (!started) ctx.moveTo(x, y);
        else {
          if (s.kind === 'step') ctx.lineTo(x, prevY);
          ctx.lineTo(x, y);
        }
        prevY = y;
        started = true;
      }
      // A step holds its last value to the right edge.
      if (s.kind === 'step' && started && i1 === n) ctx.lineTo(a.left + a.width + 5, prevY);
      ctx.stroke();
      return;
    }
    if (s.kind === 'vbars' && s.y2) {
      ctx.beginPath();
      for (let i = i0; i < i1; i++) {
        const yv = s.y[i];
        if (yv !== yv) continue;
        const x = Math.round(this.px(s.x[i])) + 0.5;
        ctx.moveTo(x, cy(this.py(yv)));
        ctx.lineTo(x, cy(this.py(s.y2[i])));
        // tcptrace's ticks at both ends of a segment.
        if (i1 - i0 < a.width / 4) {
          const t = cy(this.py(s.y2[i]));
          const b = cy(this.py(yv));
          ctx.moveTo(x - 2, t);
          ctx.lineTo(x + 3, t);
          ctx.moveTo(x - 2, b);
          ctx.lineTo(x + 3, b);
        }
      }
      ctx.lineWidth = 1;
      ctx.stroke();
      return;
    }
    ctx.beginPath();
    const m = s.kind === 'marks' ? (s.marker ?? 'x') : (s.marker ?? 'dot');
    for (let i = i0; i < i1; i++) {
      const yv = s.y[i];
      if (yv !== yv || (log && yv <= 0)) continue;
      marker(ctx, m, this.px(s.x[i]), cy(this.py(yv)), w);
    }
    if (m === 'x') {
      ctx.lineWidth = 1.5;
      ctx.stroke();
    } else ctx.fill();
  }

  /** The selected frame if a shown series has a point for it (what the overlay rings). */
  markedFrame(): number | undefined {
    const f = this.selectedFrame;
    if (f === undefined) return undefined;
    return this.prepared.some((p) => p.s.frames && !this.hidden.has(p.s.id) && frameIndex(p.s, f) >= 0) ? f : undefined;
  }

  /** Crosshair, the selected frame and the zoom rectangle. */
  drawOverlay(): void {
    const ctx = this.overlay.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.cssW, this.cssH);
    const a = this.area;
    const fg = this.fg;
    if (this.selectedFrame !== undefined) {
      for (const p of this.prepared) {
        const s = p.s;
        if (!s.frames || this.hidden.has(s.id)) continue;
        const i = frameIndex(s, this.selectedFrame);
        if (i < 0 || s.y[i] !== s.y[i]) continue;
        const x = this.px(s.x[i]);
        const y = this.py(s.kind === 'vbars' && s.y2 ? s.y2[i] : s.y[i]);
        if (x < a.left || x > a.left + a.width || y < a.top || y > a.top + a.height) continue;
        ctx.strokeStyle = '#e8590c';
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x, y, 7, 0, 2 * Math.PI);
        ctx.stroke();
        break;
      }
    }
    const c = this.cross;
    if (c && c.x >= a.left && c.x <= a.left + a.width && c.y >= a.top && c.y <= a.top + a.height) {
      ctx.strokeStyle = fg;
      ctx.globalAlpha = 0.5;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(a.left, Math.round(c.y) + 0.5);
      ctx.lineTo(a.left + a.width, Math.round(c.y) + 0.5);
      ctx.moveTo(Math.round(c.x) + 0.5, a.top);
      ctx.lineTo(Math.round(c.x) + 0.5, a.top + a.height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    const r = this.rect;
    if (r) {
      ctx.fillStyle = 'rgba(42, 98, 184, 0.15)';
      ctx.strokeStyle = '#2a62b8';
      ctx.lineWidth = 1;
      const x = Math.min(r.x0, r.x1);
      const y = Math.min(r.y0, r.y1);
      ctx.fillRect(x, y, Math.abs(r.x1 - r.x0), Math.abs(r.y1 - r.y0));
      ctx.strokeRect(x + 0.5, y + 0.5, Math.abs(r.x1 - r.x0), Math.abs(r.y1 - r.y0));
    }
  }
}

function pad0(x0: number, x1: number): number {
  return x1 > x0 ? (x1 - x0) * 0.02 : 0.5;
}

/** Powers of ten over [a, b] (and 2×, 5× when there are few). */
function logTicks(a: number, b: number): number[] {
  const out: number[] = [];
  const lo = Math.floor(Math.log10(a));
  const hi = Math.ceil(Math.log10(b));
  const few = hi - lo <= 3;
  for (let k = lo; k <= hi; k++)
    for (const m of few ? [1, 2, 5] : [1]) {
      const v = m * 10 ** k;
      if (v >= a && v <= b) out.push(v);
    }
  return out;
}

/** Index of the point of `frame` in series `s`, or −1. */
export function frameIndex(s: Series, frame: number): number {
  if (!s.frames) return -1;
  const i = indexOfFrame(s.frames, frame);
  return i >= 0 || !s.framesUnordered ? i : s.frames.indexOf(frame);
}

/** Index of `frame` in ascending `frames`, or −1. */
export function indexOfFrame(frames: Uint32Array, frame: number): number {
  let a = 0;
  let b = frames.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (frames[m] < frame) a = m + 1;
    else b = m;
  }
  return a < frames.length && frames[a] === frame ? a : -1;
}

function marker(ctx: CanvasRenderingContext2D, m: Marker, x: number, y: number, w: number): void {
  const r = w / 2;
  switch (m) {
    case 'dot':
      ctx.rect(x - r, y - r, w, w);
      break;
    case 'square':
      ctx.rect(x - r, y - r, w, w);
      break;
    case 'x':
      ctx.moveTo(x - r, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.moveTo(x - r, y + r);
      ctx.lineTo(x + r, y - r);
      break;
    case 'triangle':
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y + r);
      ctx.lineTo(x - r, y + r);
      ctx.closePath();
      break;
    case 'diamond':
      ctx.moveTo(x, y - r);
      ctx.lineTo(x + r, y);
      ctx.lineTo(x, y + r);
      ctx.lineTo(x - r, y);
      ctx.closePath();
      break;
  }
}

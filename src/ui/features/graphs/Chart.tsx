/**
 * One chart on the canvas plot (plot.ts) with its interaction: drag to pan (Shift+drag or the
 * Zoom mode: zoom to a rectangle), wheel zoom (Shift: time axis only, Ctrl: value axis only),
 * keys (arrows pan, + − x X y Y zoom, 0 / Home reset), a crosshair with the values and the
 * nearest point, click a point to select its frame, the selected frame ringed, double-click to
 * reset. The zoom is reported (debounced) so it can go into the link.
 */
import { useEffect, useRef, useState } from 'react';
import { Plot, frameIndex, compact, type View } from './plot';
import type { Chart as ChartData } from './series';
import { setGraphProbe } from './probe';
import { formatCount } from '../../format';

export interface ChartProps {
  chart: ChartData;
  /** performance.now() when the data arrived (first-draw timing). */
  arrivedAt: number;
  zoom: View | undefined;
  onZoom(v: View | undefined): void;
  selected: number | undefined;
  onPick(frame: number): void;
  dragZoom: boolean;
  /** Keys the chart does not handle (d, 1–5, …). */
  onKey?(e: React.KeyboardEvent): boolean;
  probe: { kind: string; stream: number | undefined; dir: 0 | 1 };
  onPlot?(p: Plot | undefined): void;
}

const same = (a: View, b: View) => a.x0 === b.x0 && a.x1 === b.x1 && a.y0 === b.y0 && a.y1 === b.y1;

export function Chart({ chart, arrivedAt, zoom, onZoom, selected, onPick, dragZoom, onKey, probe, onPlot }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const base = useRef<HTMLCanvasElement>(null);
  const over = useRef<HTMLCanvasElement>(null);
  const readout = useRef<HTMLDivElement>(null);
  const plot = useRef<Plot | undefined>(undefined);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const zoomTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onZoomRef = useRef(onZoom);
  onZoomRef.current = onZoom;
  const draws = useRef(0);
  const first = useRef(0);

  const commitZoom = () => {
    clearTimeout(zoomTimer.current);
    zoomTimer.current = setTimeout(() => {
      const p = plot.current;
      if (!p) return;
      onZoomRef.current(same(p.view, p.fullRange) ? undefined : { ...p.view });
    }, 150);
  };

  // The plot lives as long as the canvases; resized with its box.
  useEffect(() => {
    const p = new Plot(base.current!, over.current!);
    p.onDraw = () => draws.current++;
    plot.current = p;
    onPlot?.(p);
    const el = box.current!;
    const ro = new ResizeObserver(() => {
      p.resize(el.clientWidth, el.clientHeight);
      p.draw();
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      p.dispose();
      plot.current = undefined;
      onPlot?.(undefined);
      setGraphProbe(undefined);
      clearTimeout(zoomTimer.current);
    };
  }, []);

  // New data: drawn in a task of its own, not in React's commit (the worker built the series and
  // their pyramids, so a draw is ~10–15 ms, the commit a few: on a loaded machine the two in one
  // task measured 53–84 ms of wall time, split they stay under 50).
  useEffect(() => {
    const id = setTimeout(() => show(), 0);
    return () => clearTimeout(id);
    // The zoom prop is read here only for the first view of new data; see the next effect.
  }, [chart]);

  const show = () => {
    const p = plot.current;
    const el = box.current;
    if (!p || !el) return;
    p.resize(el.clientWidth, el.clientHeight);
    p.setData(chart.series, chart.opts, zoom);
    p.hidden = hidden;
    p.selectedFrame = selected;
    p.draw();
    const drawnAt = performance.now();
    first.current = drawnAt - arrivedAt;
    setGraphProbe({
      ...probe,
      series: chart.series.map((s) => ({ id: s.id, label: s.label, points: s.x.length })),
      pointOf(id, frame) {
        const s = p.series.find((x) => x.id === id);
        const i = s ? frameIndex(s, frame) : -1;
        if (!s || i < 0) return undefined;
        return { x: s.x[i], y: s.y[i], y2: s.y2?.[i], px: p.px(s.x[i]), py: p.py(s.kind === 'vbars' && s.y2 ? s.y2[i] : s.y[i]) };
      },
      points(id) {
        const s = p.series.find((x) => x.id === id);
        if (!s) return undefined;
        return { x: [...s.x], y: [...s.y], y2: s.y2 ? [...s.y2] : undefined, frames: s.frames ? [...s.frames] : undefined };
      },
      view: () => ({ ...p.view }),
      lastDrawMs: () => p.lastDrawMs,
      firstDrawMs: first.current,
      arrivedAt,
      drawnAt,
      draws: () => draws.current,
      marked: () => p.markedFrame(),
    });
  };

  // A zoom from outside (a link, reset): apply it unless it is the plot's own.
  useEffect(() => {
    const p = plot.current!;
    const want = zoom ?? p.fullRange;
    if (!same(want, p.view)) {
      p.view = { ...want };
      p.schedule();
    }
  }, [zoom]);

  useEffect(() => {
    const p = plot.current!;
    p.selectedFrame = selected;
    p.drawOverlay();
  }, [selected]);

  useEffect(() => {
    const p = plot.current!;
    p.hidden = hidden;
    p.schedule();
  }, [hidden]);

  // Wheel zoom (a non-passive listener, to keep the page from scrolling).
  useEffect(() => {
    const el = over.current!;
    const onWheel = (e: WheelEvent) => {
      const p = plot.current;
      if (!p) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const at = p.dataAt(e.clientX - r.left, e.clientY - r.top);
      const f = Math.exp(Math.max(-1, Math.min(1, e.deltaY / 300)));
      p.zoom(f, at.x, at.y, !e.ctrlKey, !e.shiftKey);
      p.draw();
      commitZoom();
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const drag = useRef<{ x: number; y: number; view: View; rect: boolean; moved: boolean } | undefined>(undefined);
  const pos = (e: React.PointerEvent) => {
    const r = over.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const showReadout = (x: number, y: number) => {
    const p = plot.current;
    const el = readout.current;
    if (!p || !el) return;
    const d = p.dataAt(x, y);
    const hit = p.pick(x, y, 10);
    const yf = p.opts.yFormat ?? compact;
    const xf = p.opts.xReadout ?? ((v: number) => `t ${v.toFixed(6)} s`);
    let text = `${xf(d.x)} · ${yf(d.y)}`;
    if (hit) {
      const s = p.series.find((q) => q.id === hit.series)!;
      text += ` — ${s.label}: ${hit.frame !== undefined ? `frame ${hit.frame}, ` : ''}${xf(hit.x)}, ${+hit.y.toPrecision(10)}`;
      if (s.y2) text += `…${+s.y2[hit.index].toPrecision(10)}`;
    }
    el.textContent = text;
  };

  const onPointerDown = (e: React.PointerEvent) => {
    const p = plot.current;
    if (!p || e.button !== 0) return;
    over.current!.setPointerCapture(e.pointerId);
    const { x, y } = pos(e);
    drag.current = { x, y, view: { ...p.view }, rect: dragZoom !== e.shiftKey, moved: false };
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const p = plot.current;
    if (!p) return;
    const { x, y } = pos(e);
    const d = drag.current;
    if (d) {
      if (Math.abs(x - d.x) + Math.abs(y - d.y) > 3) d.moved = true;
      if (!d.moved) return;
      if (d.rect) {
        p.rect = { x0: d.x, y0: d.y, x1: x, y1: y };
        p.drawOverlay();
      } else {
        const a = p.area;
        p.view = { ...d.view };
        p.pan(-(x - d.x) / a.width, (y - d.y) / a.height);
        p.schedule();
      }
      return;
    }
    p.cross = { x, y };
    p.drawOverlay();
    showReadout(x, y);
  };

  const onPointerUp = (e: React.PointerEvent) => {
    const p = plot.current;
    const d = drag.current;
    drag.current = undefined;
    if (!p || !d) return;
    const { x, y } = pos(e);
    if (!d.moved) {
      const hit = p.pick(x, y, 8);
      if (hit?.frame !== undefined) onPick(hit.frame);
      return;
    }
    if (d.rect) {
      p.rect = undefined;
      if (Math.abs(x - d.x) > 4 && Math.abs(y - d.y) > 4) {
        const a = p.dataAt(Math.min(x, d.x), Math.max(y, d.y));
        const b = p.dataAt(Math.max(x, d.x), Math.min(y, d.y));
        p.view = { x0: a.x, x1: b.x, y0: a.y, y1: b.y };
        p.draw();
      } else p.drawOverlay();
    }
    commitZoom();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const p = plot.current;
    if (!p || e.ctrlKey || e.metaKey || e.altKey) return;
    const v = p.view;
    const cx = (v.x0 + v.x1) / 2;
    const cy = p.opts.logY ? Math.sqrt(v.y0 * v.y1) : (v.y0 + v.y1) / 2;
    const step = e.shiftKey ? 0.5 : 0.1;
    let done = true;
    switch (e.key) {
      case 'ArrowLeft':
        p.pan(-step, 0);
        break;
      case 'ArrowRight':
        p.pan(step, 0);
        break;
      case 'ArrowUp':
        p.pan(0, step);
        break;
      case 'ArrowDown':
        p.pan(0, -step);
        break;
      case '+':
      case '=':
        p.zoom(0.8, cx, cy);
        break;
      case '-':
      case '_':
        p.zoom(1.25, cx, cy);
        break;
      case 'x':
        p.zoom(0.8, cx, cy, true, false);
        break;
      case 'X':
        p.zoom(1.25, cx, cy, true, false);
        break;
      case 'y':
        p.zoom(0.8, cx, cy, false, true);
        break;
      case 'Y':
        p.zoom(1.25, cx, cy, false, true);
        break;
      case '0':
      case 'Home':
      case 'r':
        p.reset();
        break;
      default:
        done = false;
    }
    if (done) {
      e.preventDefault();
      e.stopPropagation();
      p.draw();
      commitZoom();
      return;
    }
    if (onKey?.(e)) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  return (
    <div className="graph-chart">
      <div
        className="graph-canvas-box"
        ref={box}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="graph-focus"
        aria-label="Graph: arrows pan, + and − zoom, 0 resets, click a point to select its frame"
      >
        <canvas ref={base} className="graph-canvas" />
        <canvas
          ref={over}
          className="graph-overlay"
          data-testid="graph-canvas"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={() => {
            const p = plot.current;
            if (!p || drag.current) return;
            p.cross = undefined;
            p.drawOverlay();
          }}
          onDoubleClick={() => {
            const p = plot.current;
            if (!p) return;
            p.reset();
            p.draw();
            commitZoom();
          }}
        />
      </div>
      <div className="graph-side">
        <ul className="graph-legend" data-testid="graph-legend">
          {chart.series.map((s) => (
            <li key={s.id}>
              <label title={`${formatCount(s.x.length)} points`}>
                <input
                  type="checkbox"
                  checked={!hidden.has(s.id)}
                  data-testid={`graph-series-${s.id}`}
                  onChange={(e) => {
                    const h = new Set(hidden);
                    if (e.target.checked) h.delete(s.id);
                    else h.add(s.id);
                    setHidden(h);
                  }}
                />
                <span className="graph-swatch" style={{ background: s.color }} />
                {s.label}
              </label>
            </li>
          ))}
        </ul>
        <div className="graph-readout" ref={readout} data-testid="graph-readout" />
      </div>
    </div>
  );
}

/**
 * The graphs panel's body (loaded lazily by GraphDock): the kind tabs, the stream picker and the
 * direction switch for the TCP stream graphs, the throughput's moving window, the I/O graph's
 * lines / interval / log scale, the drag mode, reset, PNG and CSV export, and the chart. The
 * chart comes from the worker draw-ready (engine-client tcpChart / ioChart: the series and their
 * zoom pyramids as typed arrays, transferred); this thread only draws.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { engine, type IoChart, type IoLine, type TcpChart } from '../../engine-client';
import { GRAPH_KINDS, TCP_KINDS, useGraphs, type GraphKind } from '../../state/graphs';
import { useViewer } from '../../state/viewer';
import { Chart } from './Chart';
import type { Plot } from './plot';
import { chartCsv, ioChartOf, KIND_NAMES, tcpChartOf } from './series';
import { openStreamGraph } from './GraphDock';

const INTERVALS: [number, string][] = [
  [1, '1 µs'],
  [10, '10 µs'],
  [100, '100 µs'],
  [1000, '1 ms'],
  [10_000, '10 ms'],
  [100_000, '100 ms'],
  [1_000_000, '1 s'],
  [10_000_000, '10 s'],
  [60_000_000, '1 min'],
  [600_000_000, '10 min'],
];
const UNITS: [IoLine['unit'], string][] = [
  ['frames', 'Packets/s'],
  ['bytes', 'Bytes/s'],
  ['bits', 'Bits/s'],
  ['COUNT', 'COUNT(field)'],
  ['SUM', 'SUM(field)'],
  ['MIN', 'MIN(field)'],
  ['MAX', 'MAX(field)'],
  ['AVG', 'AVG(field)'],
];
/** Wireshark's keys for the TCP graph kinds. */
const KIND_KEYS: Record<string, GraphKind> = { '1': 'rtt', '2': 'throughput', '3': 'stevens', '4': 'tcptrace', '5': 'wscale' };

type Loaded<T> = { key: string; data?: T; error?: string; at: number };

/** The current TCP graph (kind, stream, direction; the throughput's window), from the worker. */
function useTcpChart(): (Loaded<TcpChart> & { avgLabel: string }) | undefined {
  const loadId = useViewer((s) => s.loadId);
  const ready = useViewer((s) => s.loadState !== 'loading' && s.frames > 0);
  const kind = useGraphs((s) => s.kind);
  const stream = useGraphs((s) => s.stream);
  const dir = useGraphs((s) => s.dir);
  const win = useGraphs((s) => s.tputWindow);
  const secs = useGraphs((s) => s.tputSeconds);
  const [got, setGot] = useState<Loaded<TcpChart> & { avgLabel: string }>();
  const tput = kind === 'throughput' ? (secs ? `${win} s average` : `${win}-segment average`) : '';
  const want = kind !== 'io' && ready && stream !== undefined ? `${loadId}:${kind}:${stream}:${dir}:${tput}` : '';
  // Asked before the panel's first paint.
  useLayoutEffect(() => {
    if (!want || stream === undefined || kind === 'io') return;
    let live = true;
    const at = (data: TcpChart | undefined, error?: string) => live && setGot({ key: want, data, error, avgLabel: tput, at: performance.now() });
    engine()
      .tcpChart(loadId, stream, dir, kind, secs ? { seconds: win } : { segments: win })
      .then(
        (data) => at(data, data ? undefined : `There is no TCP stream ${stream}.`),
        (e: unknown) => at(undefined, String((e as Error)?.message ?? e)),
      );
    return () => {
      live = false;
    };
  }, [want, loadId, kind, stream, dir, win, secs, tput]);
  return got && got.key === want ? got : undefined;
}

function useIoChart(on: boolean): Loaded<IoChart> | undefined {
  const loadId = useViewer((s) => s.loadId);
  const ready = useViewer((s) => s.loadState !== 'loading' && s.frames > 0);
  const lines = useGraphs((s) => s.lines);
  const intervalUs = useGraphs((s) => s.intervalUs);
  const [got, setGot] = useState<Loaded<IoChart>>();
  const want = on && ready ? `${loadId}:${intervalUs}:${JSON.stringify(lines)}` : '';
  // Asked before the first paint, as useTcpChart.
  useLayoutEffect(() => {
    if (!want) return;
    let live = true;
    engine()
      .ioChart(loadId, lines, intervalUs)
      .then(
        (data) => {
          if (!live) return;
          const g = useGraphs.getState();
          const auto = data && g.intervalAuto ? autoInterval((data.series[0]?.x.length ?? 0) * intervalUs) : intervalUs;
          // Until an interval is chosen, about 100–1000 intervals over the capture (this answer
          // is drawn meanwhile).
          setGot({ key: want, data, at: performance.now() });
          if (auto !== intervalUs) g.setInterval(auto, true);
        },
        (e: unknown) => live && setGot({ key: want, error: String((e as Error)?.message ?? e), at: performance.now() }),
      );
    return () => {
      live = false;
    };
  }, [want, loadId, lines, intervalUs]);
  // The previous interval's (or lines') answer for this load stays on screen until the new one arrives.
  return got && want && got.key.startsWith(`${loadId}:`) ? got : undefined;
}

/** The listed interval giving at least 100 intervals over `durationUs` (1 µs at least). */
export function autoInterval(durationUs: number): number {
  let best = INTERVALS[0][0];
  for (const [us] of INTERVALS) if (durationUs / us >= 100) best = us;
  return best;
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function GraphPanel() {
  const kind = useGraphs((s) => s.kind);
  const stream = useGraphs((s) => s.stream);
  const dir = useGraphs((s) => s.dir);
  const zoom = useGraphs((s) => s.zoom);
  const logY = useGraphs((s) => s.logY);
  const lines = useGraphs((s) => s.lines);
  const intervalUs = useGraphs((s) => s.intervalUs);
  const tputWindow = useGraphs((s) => s.tputWindow);
  const tputSeconds = useGraphs((s) => s.tputSeconds);
  const loadId = useViewer((s) => s.loadId);
  const selected = useViewer((s) => s.selected);
  const [streams, setStreams] = useState(0);
  const [dragZoom, setDragZoom] = useState(false);
  const plot = useRef<Plot | undefined>(undefined);
  const g = useGraphs.getState;

  useEffect(() => {
    let live = true;
    if (loadId) void engine().streamCount(loadId).then((n) => live && setStreams(n), () => undefined);
    return () => {
      live = false;
    };
  }, [loadId]);

  const tcp = useTcpChart();
  const io = useIoChart(kind === 'io');
  // The worker's series, styled (no pass over the points: this thread only draws). The previous
  // I/O graph of this load stays on screen until the next arrives.
  const chart = useMemo(() => {
    if (kind === 'io') return io?.data && io.data.series.length === lines.length ? { chart: ioChartOf(io.data, lines, logY), at: io.at } : undefined;
    return tcp?.data ? { chart: tcpChartOf(tcp.data, tcp.avgLabel), at: tcp.at } : undefined;
  }, [kind, tcp, io, lines, logY]);

  const title = kind === 'io' ? 'I/O Graph — all frames' : tcp?.data ? `${KIND_NAMES[kind]} — tcp.stream ${stream}: ${tcp.data.title}` : KIND_NAMES[kind];
  const error = kind === 'io' ? io?.error : tcp?.error;
  const baseName = kind === 'io' ? 'io-graph' : `tcp-stream-${stream}-${dir ? 'b-to-a' : 'a-to-b'}-${kind}`;

  const exportPng = () => {
    const p = plot.current;
    if (!p) return;
    const c = document.createElement('canvas');
    c.width = p.canvas.width;
    c.height = p.canvas.height;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(p.canvas).backgroundColor || '#fff';
    if (ctx.fillStyle === 'rgba(0, 0, 0, 0)') ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(p.canvas, 0, 0);
    c.toBlob((b) => b && download(b, `${baseName}.png`), 'image/png');
  };
  const exportCsv = () => {
    const p = plot.current;
    if (!p) return;
    download(new Blob([chartCsv(p.series.filter((s) => !p.hidden.has(s.id)), kind === 'rtt' ? 'seq' : 'time_s')], { type: 'text/csv' }), `${baseName}.csv`);
  };

  const reset = () => {
    const p = plot.current;
    if (p) {
      p.reset();
      p.draw();
    }
    g().setZoom(undefined);
  };

  const onKey = (e: React.KeyboardEvent): boolean => {
    if (e.key === 'd' && kind !== 'io') {
      g().flipDir();
      return true;
    }
    if (e.key === 'z') {
      setDragZoom((z) => !z);
      return true;
    }
    const k = KIND_KEYS[e.key];
    if (k) {
      g().setKind(k);
      return true;
    }
    return false;
  };

  return (
    <div className="graph-panel">
      <header className="stats-head graph-head">
        <span className="graph-tabs" role="tablist">
          {GRAPH_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={kind === k}
              aria-pressed={kind === k}
              data-testid={`graph-kind-${k}`}
              onClick={() => (k === 'io' || kind !== 'io' || stream !== undefined ? g().setKind(k) : void openStreamGraph(k))}
            >
              {KIND_NAMES[k]}
            </button>
          ))}
        </span>
        {TCP_KINDS.includes(kind) && (
          <>
            <label>
              Stream{' '}
              <input
                type="number"
                min={0}
                max={Math.max(0, streams - 1)}
                value={stream ?? ''}
                data-testid="graph-stream"
                style={{ width: '6em' }}
                onChange={(e) => {
                  const n = Number(e.target.value);
                  if (e.target.value !== '' && Number.isInteger(n) && n >= 0 && (streams === 0 || n < streams)) g().setStream(n);
                }}
              />
              {streams > 0 && <span className="graph-faint"> of {streams}</span>}
            </label>
            <button type="button" data-testid="graph-from-selection" title="The stream of the selected frame" onClick={() => void openStreamGraph(kind)}>
              Selected frame's stream
            </button>
            <button type="button" data-testid="graph-dir" title="Switch direction (d)" onClick={() => g().flipDir()}>
              ⇄ {dir ? 'B→A' : 'A→B'}
            </button>
          </>
        )}
        {kind === 'throughput' && (
          <label>
            Average over{' '}
            <input
              type="number"
              min={tputSeconds ? 0.000001 : 1}
              step={tputSeconds ? 'any' : 1}
              value={tputWindow}
              data-testid="graph-tput-window"
              style={{ width: '5em' }}
              onChange={(e) => {
                const n = Number(e.target.value);
                if (n > 0) g().setTput(tputSeconds ? n : Math.max(1, Math.round(n)), tputSeconds);
              }}
            />{' '}
            <select value={tputSeconds ? 's' : 'n'} data-testid="graph-tput-unit" onChange={(e) => g().setTput(e.target.value === 's' ? 1 : 20, e.target.value === 's')}>
              <option value="n">segments</option>
              <option value="s">seconds</option>
            </select>
          </label>
        )}
        {kind === 'io' && (
          <>
            <label>
              Interval{' '}
              <select value={intervalUs} data-testid="graph-interval" onChange={(e) => g().setInterval(Number(e.target.value))}>
                {INTERVALS.map(([us, l]) => (
                  <option key={us} value={us}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={logY} data-testid="graph-log" onChange={(e) => g().setLogY(e.target.checked)} /> Log scale
            </label>
          </>
        )}
        <button type="button" aria-pressed={dragZoom} data-testid="graph-drag-zoom" title="Dragging zooms to a rectangle instead of panning (z)" onClick={() => setDragZoom(!dragZoom)}>
          Zoom
        </button>
        <button type="button" data-testid="graph-reset" title="Reset the zoom (0)" onClick={reset}>
          Reset
        </button>
        <button type="button" data-testid="graph-png" onClick={exportPng}>
          PNG
        </button>
        <button type="button" data-testid="graph-csv" onClick={exportCsv}>
          CSV
        </button>
        <button type="button" className="stats-close" aria-label="Close" data-testid="graph-close" onClick={() => g().close()}>
          ×
        </button>
      </header>
      <div className="graph-title" data-testid="graph-title">
        {title}
      </div>
      {kind === 'io' && <IoLines lines={lines} />}
      {error ? (
        <div className="graph-empty" role="alert" data-testid="graph-error">
          {error}
        </div>
      ) : TCP_KINDS.includes(kind) && stream === undefined ? (
        <div className="graph-empty">Select a TCP frame, or choose a stream.</div>
      ) : chart ? (
        <Chart
          chart={chart.chart}
          arrivedAt={chart.at}
          zoom={zoom}
          onZoom={(z) => g().setZoom(z)}
          selected={selected}
          onPick={(f) => useViewer.getState().jumpTo(f)}
          dragZoom={dragZoom}
          onKey={onKey}
          probe={{ kind, stream: kind === 'io' ? undefined : stream, dir }}
          onPlot={(p) => (plot.current = p)}
        />
      ) : (
        <div className="graph-empty">Reading…</div>
      )}
    </div>
  );
}

/** The I/O graph's lines: name, unit, field, display filter; edits apply on Enter or leaving the box. */
function IoLines({ lines }: { lines: IoLine[] }) {
  const [draft, setDraft] = useState(lines);
  useEffect(() => setDraft(lines), [lines]);
  const commit = (next = draft) => {
    if (JSON.stringify(next) !== JSON.stringify(lines)) useGraphs.getState().setLines(next);
  };
  const edit = (i: number, patch: Partial<IoLine>, now = false) => {
    const next = draft.map((l, j) => (j === i ? { ...l, ...patch } : l));
    setDraft(next);
    if (now) commit(next);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter') commit();
  };
  return (
    <div className="graph-lines" data-testid="graph-lines">
      {draft.map((l, i) => (
        <div key={i} className="graph-line" data-testid="graph-line">
          <input value={l.name} aria-label="Name" style={{ width: '9em' }} onChange={(e) => edit(i, { name: e.target.value })} onBlur={() => commit()} onKeyDown={onKey} />
          <select value={l.unit} aria-label="Unit" data-testid="graph-line-unit" onChange={(e) => edit(i, { unit: e.target.value as IoLine['unit'] }, true)}>
            {UNITS.map(([u, t]) => (
              <option key={u} value={u}>
                {t}
              </option>
            ))}
          </select>
          {!['frames', 'bytes', 'bits'].includes(l.unit) && (
            <input
              value={l.field ?? ''}
              placeholder="field, e.g. frame.len"
              aria-label="Field"
              data-testid="graph-line-field"
              style={{ width: '12em' }}
              onChange={(e) => edit(i, { field: e.target.value })}
              onBlur={() => commit()}
              onKeyDown={onKey}
            />
          )}
          <input
            value={l.filter}
            placeholder="display filter (empty: all frames)"
            aria-label="Display filter"
            data-testid="graph-line-filter"
            className="graph-line-filter"
            onChange={(e) => edit(i, { filter: e.target.value })}
            onBlur={() => commit()}
            onKeyDown={onKey}
          />
          <button type="button" aria-label="Remove line" onClick={() => commit(draft.filter((_, j) => j !== i))} disabled={draft.length <= 1}>
            −
          </button>
        </div>
      ))}
      <button type="button" data-testid="graph-line-add" onClick={() => commit([...draft, { name: `Line ${draft.length + 1}`, filter: '', unit: 'frames' }])}>
        + Line
      </button>
    </div>
  );
}

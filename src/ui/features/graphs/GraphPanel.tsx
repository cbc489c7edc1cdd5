/**
 * The graphs panel's body (loaded lazily by GraphDock): the kind tabs, the stream picker and the
 * direction switch for the TCP stream graphs, the throughput's moving window, the I/O graph's
 * lines / interval / log scale, the drag mode, reset, PNG and CSV export, and the chart. The
 * data comes from the worker (engine-client tcpGraph / tcpThroughput / ioGraph: typed arrays,
 * transferred); this thread only draws.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { engine, type IoGraphData, type IoLine, type TcpGraphData, type Throughput } from '../../engine-client';
import { GRAPH_KINDS, TCP_KINDS, useGraphs, type GraphKind } from '../../state/graphs';
import { useViewer } from '../../state/viewer';
import { Chart } from './Chart';
import type { Plot } from './plot';
import { chartCsv, ioChart, KIND_NAMES, rttChart, stevens, tcptraceSteps, throughputChart, wscaleChart, type Chart as ChartData } from './series';
import { Prepared } from './plot';
import { runSliced, runSync, type Steps } from './sliced';

/** Charts of at most this many points are built in one go (a few ms). */
const SMALL = 50_000;

// eslint-disable-next-line require-yield
function* plain(c: ChartData): Steps<ChartData> {
  return c;
}

/** The chart of `steps`, then every series' levels (Prepared.build), all in slices. */
function* withLevels(steps: Steps<ChartData>): Steps<ChartData> {
  const c = yield* steps;
  for (const s of c.series) yield* Prepared.of(s).build();
  return c;
}
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

function useTcpData(): Loaded<TcpGraphData> | undefined {
  const loadId = useViewer((s) => s.loadId);
  const ready = useViewer((s) => s.loadState !== 'loading' && s.frames > 0);
  const kind = useGraphs((s) => s.kind);
  const stream = useGraphs((s) => s.stream);
  const dir = useGraphs((s) => s.dir);
  const [got, setGot] = useState<Loaded<TcpGraphData>>();
  const want = kind !== 'io' && ready && stream !== undefined ? `${loadId}:${stream}:${dir}` : '';
  useLayoutEffect(() => {
    if (!want || stream === undefined) return;
    let live = true;
    engine()
      .tcpGraph(loadId, stream, dir)
      .then(
        (data) => live && setGot({ key: want, data, error: data ? undefined : `There is no TCP stream ${stream}.`, at: performance.now() }),
        (e: unknown) => live && setGot({ key: want, error: String((e as Error)?.message ?? e), at: performance.now() }),
      );
    return () => {
      live = false;
    };
  }, [want, loadId, stream, dir]);
  return got && got.key === want ? got : undefined;
}

function useThroughput(g: TcpGraphData | undefined, on: boolean): { per: Throughput; avg: Throughput; label: string } | undefined {
  const loadId = useViewer((s) => s.loadId);
  const win = useGraphs((s) => s.tputWindow);
  const secs = useGraphs((s) => s.tputSeconds);
  const [got, setGot] = useState<{ g: TcpGraphData; per: Throughput; avg: Throughput; label: string }>();
  useEffect(() => {
    if (!g || !on) return;
    let live = true;
    const opts = secs ? { seconds: win } : { segments: win };
    void Promise.all([engine().tcpThroughput(loadId, g.stream, g.dir, { segments: 2 }), engine().tcpThroughput(loadId, g.stream, g.dir, opts)]).then(
      ([per, avg]) => {
        if (live && per && avg) setGot({ g, per, avg, label: secs ? `${win} s average` : `${win}-segment average` });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [g, on, loadId, win, secs]);
  return got && got.g === g ? got : undefined;
}

function useIoData(on: boolean): Loaded<IoGraphData> | undefined {
  const loadId = useViewer((s) => s.loadId);
  const ready = useViewer((s) => s.loadState !== 'loading' && s.frames > 0);
  const lines = useGraphs((s) => s.lines);
  const intervalUs = useGraphs((s) => s.intervalUs);
  const [got, setGot] = useState<Loaded<IoGraphData> & { lines?: IoLine[] }>();
  const want = on && ready ? `${loadId}:${intervalUs}:${JSON.stringify(lines)}` : '';
  // Asked before the first paint, as useTcpData.
  useLayoutEffect(() => {
    if (!want) return;
    let live = true;
    engine()
      .ioGraph(loadId, lines, intervalUs)
      .then(
        (data) => {
          if (!live) return;
          const g = useGraphs.getState();
          const auto = data && g.intervalAuto ? autoInterval(data.t.length * intervalUs) : intervalUs;
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

  const tcp = useTcpData();
  const tput = useThroughput(tcp?.data, kind === 'throughput');
  const io = useIoData(kind === 'io');

  // The chart's series and the plot's levels are built in slices (sliced.ts: no task of more
  // than a few ms, however many points), then handed to the chart, which only draws.
  const source = useMemo(() => {
    if (kind === 'io') return io?.data ? { at: io.at, points: io.data.t.length * lines.length, steps: () => plain(ioChart(io.data!, lines, logY)) } : undefined;
    const d = tcp?.data;
    if (!d) return undefined;
    const at = tcp.at;
    const points = d.seg.frame.length + d.ack.frame.length;
    switch (kind) {
      case 'stevens':
        return { at, points, steps: () => plain(stevens(d)) };
      case 'tcptrace':
        return { at, points, steps: () => tcptraceSteps(d) };
      case 'rtt':
        return { at, points, steps: () => plain(rttChart(d)) };
      case 'wscale':
        return { at, points, steps: () => plain(wscaleChart(d)) };
      case 'throughput':
        return tput ? { at, points, steps: () => plain(throughputChart(d, tput.per, tput.avg, tput.label)) } : undefined;
    }
  }, [kind, tcp, tput, io, lines, logY]);
  // What the chart shows: a chart built for another slot is never shown under this one's name.
  const slot = `${loadId}:${kind}${kind === 'io' ? '' : `:${stream}:${dir}`}`;
  // A small chart (most streams, every I/O graph) is built at once, in the render that has its data.
  const small = useMemo(() => (source && source.points <= SMALL ? { slot, chart: runSync(withLevels(source.steps())), at: source.at } : undefined), [source]);
  const [built, setBuilt] = useState<{ slot: string; chart: ChartData; at: number }>();
  useEffect(() => {
    if (!source || source.points <= SMALL) return;
    const signal = { aborted: false };
    runSliced(withLevels(source.steps()), signal).then(
      (c) => setBuilt({ slot, chart: c, at: source.at }),
      () => undefined,
    );
    return () => {
      signal.aborted = true;
    };
    // slot is read with source: a defined source holds the data of the current slot.
  }, [source]);
  // While the next one is built (a few slices), the last chart of the same kind, stream and
  // direction stays on screen (the plot is not unmounted: an I/O graph's new interval or lines,
  // the throughput's new window replace the old one in place).
  const chart = small ?? (source && built && built.slot === slot ? built : undefined);

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

/**
 * Where the graphs open: a panel below the packet list (the list stays usable; the panel's top
 * edge drags to resize), its body loaded on first use (React.lazy: the first-load bundle does not
 * carry the plot). Also the ways in: the status bar's "Graphs" button, the row menu's "TCP Stream Graph" (openStreamGraph) and the keys `s` / `i`.
 */
import { lazy, Suspense, useEffect, useRef, useState, type ComponentType } from 'react';
import { engine } from '../../engine-client';
import { useGraphs, type GraphKind } from '../../state/graphs';
import { useViewer } from '../../state/viewer';
import './graphs.css';

type PanelType = typeof import('./GraphPanel').default;
/** The panel once its chunk is here: rendered directly (React.lazy would suspend once more, and React holds a revealed Suspense boundary back for up to 300 ms). */
let loadedPanel: PanelType | undefined;
const loadPanel = () =>
  import('./GraphPanel').then((m) => {
    loadedPanel = m.default;
    return m;
  });
const LazyPanel = lazy(loadPanel);

/** The panel, chosen when the dock opens (never swapped while mounted: that would reset it). */
function Panel() {
  const [P] = useState<ComponentType>(() => loadedPanel ?? LazyPanel);
  return <P />;
}

/** Keys listed by the help overlay. */
export const GRAPH_KEYS: [string, string][] = [
  ['s', "TCP stream graph of the selected frame's stream"],
  ['i', 'I/O graph of the whole capture'],
  ['Graph: drag / Shift+drag', 'Pan / zoom to a rectangle (the Zoom button swaps them)'],
  ['Graph: wheel, Shift+wheel, Ctrl+wheel', 'Zoom both axes / the time axis / the value axis'],
  ['Graph: ← → ↑ ↓, + / −, x / X, y / Y', 'Pan, zoom in / out (both, time, value axis)'],
  ['Graph: 0 or Home, d, 1–5', 'Reset the zoom, switch direction, RTT / throughput / Stevens / tcptrace / window scaling'],
  ['Graph: click a point', 'Select its frame in the packet list'],
];

const inTextField = (t: EventTarget | null) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable);

/** Open a TCP stream graph of the selected frame's stream (or the stream already shown). */
export async function openStreamGraph(kind?: GraphKind): Promise<void> {
  const { loadId, selected } = useViewer.getState();
  const g = useGraphs.getState();
  const k = kind ?? (g.kind === 'io' ? 'tcptrace' : g.kind);
  const at = loadId && selected ? await engine().streamOf(loadId, selected) : undefined;
  if (at) g.show({ kind: k, stream: at.stream, dir: at.dir });
  else g.show({ kind: k, stream: g.stream ?? 0 });
}

export function openIoGraph(): void {
  useGraphs.getState().show({ kind: 'io' });
}

export function GraphDock() {
  const open = useGraphs((s) => s.open);
  const height = useGraphs((s) => s.height);
  const hasFile = useViewer((s) => s.fileName !== '');
  const dock = useRef<HTMLElement>(null);

  // The panel's code is fetched once a capture is open and the page is idle, so the first graph
  // asked for waits for its data only (fetching and compiling the chunk on a busy machine took
  // ~300 ms of the first draw).
  useEffect(() => {
    if (!hasFile) return;
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 200));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const id = idle(() => void loadPanel().catch(() => undefined));
    return () => cancel(id);
  }, [hasFile]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (inTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (!useViewer.getState().fileName) return;
      if (e.key === 's') {
        e.preventDefault();
        void openStreamGraph();
      } else if (e.key === 'i') {
        e.preventDefault();
        openIoGraph();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!open || !hasFile) return null;
  const startResize = (e: React.PointerEvent) => {
    const panes = dock.current?.parentElement;
    if (!panes) return;
    e.preventDefault();
    const box = panes.getBoundingClientRect();
    const move = (ev: PointerEvent) => useGraphs.getState().setHeight(((box.bottom - ev.clientY) / box.height) * 100);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <section className="graph-dock" ref={dock} style={{ height: `${height}%` }} data-testid="graph-panel" aria-label="Graphs">
      <div className="graph-resize" onPointerDown={startResize} title="Drag to resize" />
      <Suspense fallback={<div className="graph-empty">Loading the graphs…</div>}>
        <Panel />
      </Suspense>
    </section>
  );
}

/** The status bar's Graphs button (Wireshark's Statistics → TCP Stream Graphs / I/O Graph): the
 * stream graph of the selected frame, or the I/O graph when it was the last one shown. */
export function GraphButtons() {
  const open = useGraphs((s) => s.open);
  const hasFile = useViewer((s) => s.fileName !== '');
  if (!hasFile) return null;
  return (
    <button
      type="button"
      className="stats-btn"
      data-testid="open-graphs"
      aria-pressed={open}
      title="TCP stream graphs of the selected frame's stream (s) and the I/O graph (i)"
      onClick={() => (open ? useGraphs.getState().close() : useGraphs.getState().kind === 'io' ? openIoGraph() : void openStreamGraph())}
    >
      Graphs
    </button>
  );
}

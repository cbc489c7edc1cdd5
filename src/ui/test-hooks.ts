/**
 * window.__viewer: the end-to-end tests' seam (Perfetto's idle hook, Zui's dropFiles). Installed
 * in dev/test builds, or in production only when the page URL carries `?test`.
 *   openFile(file)  — open a File as the file input would
 *   waitForIdle()   — resolves when the worker has no call in flight, no load is running, the
 *                     display filter / sort asked for is applied and finished, and React has
 *                     rendered what those calls returned
 *   crashWorker()   — kill the engine worker as a crash would (recovery tests)
 *   graph()         — the graph on screen (features/graphs/probe.ts), undefined without one
 *   showGraph(g)    — open the graphs panel on kind/stream/direction (as a link does)
 *   largestStream() — the TCP stream with the most frames and its busier direction (benchmarks)
 */
import { engine } from './engine-client';
import { openCapture } from './features/open-file/load';
import { useViewer } from './state/viewer';
import { useView, viewActive, type SortColumn } from './state/view';
import { graphProbe, type GraphProbe } from './features/graphs/probe';
import { useGraphs } from './state/graphs';
import type { GraphLink } from './app/url-state';

export interface ViewerHook {
  openFile(file: File): Promise<void>;
  waitForIdle(): Promise<void>;
  state(): { loadState: string; frames: number; selected: number | undefined; loadMs: number };
  memory(): Promise<{ frames: number; retainedBytes: number }>;
  /** Make the engine worker die as a crash would (the client reports and replaces it). */
  crashWorker(): void;
  /**
   * Apply a display filter and sort as the UI does and wait until the worker has finished it:
   * wall time (ms, main thread) and the worker's own time for the job, frames displayed.
   */
  view(filter: string, sort?: { column: SortColumn; desc: boolean }): Promise<{ ms: number; workerMs: number; displayed: number }>;
  /** The graph on screen, once drawn. */
  graph(): GraphProbe | undefined;
  showGraph(g: GraphLink): void;
  largestStream(): Promise<{ stream: number; dir: 0 | 1; frames: number } | undefined>;
}

declare global {
  interface Window {
    __viewer?: ViewerHook;
  }
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** The worker's view is the one the UI asked for, and its filter/sort job has finished. */
function viewSettled(): boolean {
  const v = useView.getState();
  if (!viewActive(v)) return true;
  const st = v.status;
  const loadId = useViewer.getState().loadId;
  return !!st && st.loadId === loadId && st.done && st.filter === v.applied && st.sort?.column === v.sort?.column && st.sort?.desc === v.sort?.desc;
}

async function waitForIdle(): Promise<void> {
  for (;;) {
    await engine().whenIdle();
    // Let React commit what the last answers changed; its effects may ask for more.
    await frame();
    await frame();
    if (!engine().busy && useViewer.getState().loadState !== 'loading' && viewSettled()) return;
  }
}

export function installTestHooks(): void {
  const enabled = import.meta.env.DEV || import.meta.env.MODE === 'test' || new URLSearchParams(location.search).has('test');
  if (!enabled) return;
  window.__viewer = {
    openFile: (file) => {
      void openCapture(file, file.name);
      return Promise.resolve();
    },
    waitForIdle,
    state: () => {
      const s = useViewer.getState();
      return { loadState: s.loadState, frames: s.frames, selected: s.selected, loadMs: s.loadMs };
    },
    memory: () => engine().memory(useViewer.getState().loadId),
    crashWorker: () => engine().crashForTest(),
    graph: graphProbe,
    showGraph: (g) => useGraphs.getState().show(g),
    largestStream: async () => {
      const t = await engine().tcpConversations(useViewer.getState().loadId);
      let best: { stream: number; dir: 0 | 1; frames: number } | undefined;
      for (const r of t?.rows ?? []) {
        const frames = r.framesAB + r.framesBA;
        if (!best || frames > best.frames) best = { stream: r.stream, dir: r.bytesAB >= r.bytesBA ? 0 : 1, frames };
      }
      return best;
    },
    view: async (filter, sort) => {
      const t0 = performance.now();
      useView.getState().apply(filter);
      useView.getState().setSort(sort ?? undefined);
      await waitForIdle();
      const st = useView.getState().status;
      return { ms: performance.now() - t0, workerMs: st?.elapsedMs ?? 0, displayed: st?.displayed ?? useViewer.getState().frames };
    },
  };
}

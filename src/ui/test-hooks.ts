/**
 * window.__viewer: the end-to-end tests' seam (Perfetto's idle hook, Zui's dropFiles). Installed
 * in dev/test builds, or in production only when the page URL carries `?test`.
 *   openFile(file)  — open a File as the file input would
 *   waitForIdle()   — resolves when the worker has no call in flight, no load is running and
 *                     React has rendered what those calls returned
 *   crashWorker()   — kill the engine worker as a crash would (recovery tests)
 */
import { engine } from './engine-client';
import { openCapture } from './features/open-file/load';
import { useViewer } from './state/viewer';

export interface ViewerHook {
  openFile(file: File): Promise<void>;
  waitForIdle(): Promise<void>;
  state(): { loadState: string; frames: number; selected: number | undefined; loadMs: number };
  memory(): Promise<{ frames: number; retainedBytes: number }>;
  /** Make the engine worker die as a crash would (the client reports and replaces it). */
  crashWorker(): void;
}

declare global {
  interface Window {
    __viewer?: ViewerHook;
  }
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

async function waitForIdle(): Promise<void> {
  for (;;) {
    await engine().whenIdle();
    // Let React commit what the last answers changed; its effects may ask for more.
    await frame();
    await frame();
    if (!engine().busy && useViewer.getState().loadState !== 'loading') return;
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
  };
}

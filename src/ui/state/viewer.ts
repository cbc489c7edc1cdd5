/**
 * The viewer's UI state (zustand). Plain data only: packet storage lives in the worker, rows
 * on screen live in the packet list's cache. Selection has its own setter so that another
 * module (e.g. URL-fragment sync) can drive it.
 */
import { create } from 'zustand';
import type { ExpertCounts, FrameRow } from '../../engine/model/types';

export type LoadState = 'idle' | 'loading' | 'done' | 'error';

export interface ViewerState {
  /** Load the worker is answering for (0 = none yet); rows of other ids are ignored. */
  loadId: number;
  /** Name of the open capture. */
  fileName: string;
  /** idle → loading → done | error (error: the load stopped on damage; rows read stay). */
  loadState: LoadState;
  /** Frames read so far (final count when done). */
  frames: number;
  bytesRead: number;
  totalBytes: number;
  percent: number;
  /** Bytes per second. */
  rate: number;
  /** Load time in ms (running while loading). */
  loadMs: number;
  /** The load was stopped by the user. */
  cancelled: boolean;
  /** The engine's LoadResult.error message, or a failure to start. */
  error: string | undefined;
  /** Capture format ("pcap", "pcapng", …). */
  format: string | undefined;
  /** The open capture as a view link names it (name, size, fingerprint), once its load has ended. */
  identity: { name: string; size: number; hash: string } | undefined;
  /** Expert items over all frames by severity (computed after the load). */
  experts: ExpertCounts | undefined;
  /** Bumped when rows already fetched may have changed (end of load): the list refetches. */
  rowsVersion: number;
  /** Rows the worker sent with the first progress of load `id` (the list puts them in its cache). */
  pushedRows: { id: number; rows: FrameRow[] } | undefined;
  /** Selected frame (1-based) or undefined. */
  selected: number | undefined;

  /** The detail tree's selected item: its field (filter name) and label, for the status bar. */
  selectedField: { field: string | undefined; label: string } | undefined;
  setSelectedField(f: { field: string | undefined; label: string } | undefined): void;
  /** Bumped by each jump (Go to packet, a followed frame link, a frame of the Expert/Diagnoses/Follow views, F8, Find): the list centres the target and the link sync pushes a history entry. */
  jumps: number;

  setSelected(n: number | undefined): void;
  /** Select frame n as a jump: the list puts it in its middle. */
  jumpTo(n: number): void;
  /** Reset for a new file and return its load id. */
  beginLoad(fileName: string, id: number): void;
  progress(p: { id: number; frames: number; bytesRead: number; totalBytes: number; percent: number; rate: number; elapsedMs: number; rows?: FrameRow[] }): void;
  finishLoad(r: { id: number; frames: number; elapsedMs: number; cancelled: boolean; error: string | undefined; format: string | undefined; identity?: { size: number; hash: string } }): void;
  failLoad(id: number, message: string): void;
  /** Close the error banner (the rows read stay). */
  dismissError(): void;
  /** Show a message in the error banner without touching the open capture. */
  showError(message: string): void;
  setExperts(id: number, e: ExpertCounts | undefined): void;
}

/** What a load starts from (the fields beginLoad resets). */
const FRESH_LOAD = {
  frames: 0,
  bytesRead: 0,
  totalBytes: 0,
  percent: 0,
  rate: 0,
  loadMs: 0,
  cancelled: false,
  error: undefined,
  format: undefined,
  identity: undefined,
  experts: undefined,
  selected: undefined,
  pushedRows: undefined,
} as const;

export const useViewer = create<ViewerState>()((set, get) => ({
  ...FRESH_LOAD,
  loadId: 0,
  fileName: '',
  loadState: 'idle',
  rowsVersion: 0,

  jumps: 0,
  selectedField: undefined,
  setSelectedField: (f) => set({ selectedField: f }),

  setSelected: (n) => set({ selected: n }),
  jumpTo: (n) => set((s) => ({ selected: n, jumps: s.jumps + 1 })),
  beginLoad: (fileName, id) =>
    set((s) => ({ ...FRESH_LOAD, loadId: id, fileName, loadState: 'loading', rowsVersion: s.rowsVersion + 1 })),
  progress: (p) => {
    if (p.id !== get().loadId || get().loadState !== 'loading') return;
    // Messages can cross (the first one waits for its rows): never go back in frames.
    const frames = Math.max(p.frames, get().frames);
    set({ frames, bytesRead: Math.max(p.bytesRead, get().bytesRead), totalBytes: p.totalBytes, percent: Math.max(p.percent, get().percent), rate: p.rate, loadMs: p.elapsedMs });
    if (p.rows) set({ pushedRows: { id: p.id, rows: p.rows } });
  },
  finishLoad: (r) => {
    if (r.id !== get().loadId) return;
    set((s) => ({
      loadState: r.error ? 'error' : 'done',
      frames: r.frames,
      loadMs: r.elapsedMs,
      cancelled: r.cancelled,
      error: r.error,
      format: r.format,
      identity: r.identity ? { name: s.fileName, size: r.identity.size, hash: r.identity.hash } : undefined,
      percent: r.cancelled ? s.percent : 100,
      rowsVersion: s.rowsVersion + 1,
    }));
  },
  failLoad: (id, message) => {
    if (id !== get().loadId) return;
    set({ loadState: 'error', error: message });
  },
  dismissError: () => set({ error: undefined }),
  showError: (message) => set({ error: message }),
  setExperts: (id, e) => {
    if (id === get().loadId) set({ experts: e });
  },
}));

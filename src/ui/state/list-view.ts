/**
 * How the packet list shows its rows (zustand), beyond the display filter and sort (view.ts):
 *
 *   timeFormat  View → Time Display Format (remembered in localStorage)
 *   refs        time-reference frames (Wireshark's Ctrl+T; here `t`), ascending
 *   marks       marked frames (Wireshark's Ctrl+M; here `m`), ascending
 *   columns     fields added with "Apply as column" (remembered in localStorage)
 *   convColors  Colorize Conversation: slot i (Color i+1) → the tcp.stream it colours
 *               (features/conversations/conv-colors.ts has the palette)
 *
 * Marks, references and conversation colours belong to the open capture: a new load forgets them; a link carries
 * them (app/url-state.ts `marks=`, `refs=`, `colors=`). The worker formats the cells (RowOpts).
 */
import { create } from 'zustand';
import { isTimeFormat, TIME_FORMATS, type TimeFormat } from '../../engine/fields/time-format';
import type { RowOpts } from '../../engine/fields/rows';
import { useViewer } from './viewer';

export { isTimeFormat, TIME_FORMATS, type TimeFormat };

const TIME_KEY = 'seqscope.timeFormat';
const COLUMNS_KEY = 'seqscope.columns';

function load<T>(key: string, ok: (v: unknown) => v is T, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return fallback;
    const v: unknown = JSON.parse(raw);
    return ok(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

function save(key: string, v: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(v));
  } catch {
    // private mode or full storage: the choice lasts for this page only
  }
}

const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0 && x.length < 200);

/** A sorted copy of `list` with n added or removed. */
function toggled(list: readonly number[], n: number): number[] {
  return list.includes(n) ? list.filter((x) => x !== n) : [...list, n].sort((a, b) => a - b);
}

export interface ListViewState {
  timeFormat: TimeFormat;
  refs: number[];
  marks: number[];
  columns: string[];
  convColors: (number | undefined)[];
  setTimeFormat(f: TimeFormat): void;
  toggleRef(n: number): void;
  toggleMark(n: number): void;
  /** Marks and references of a link (replace the current ones). */
  restore(marks: number[] | undefined, refs: number[] | undefined): void;
  addColumn(field: string): void;
  /**
   * Colour tcp.stream `stream` with Color `slot` (1..10), replacing that slot's conversation
   * (Wireshark's temporary rule N holds one filter). A conversation has one colour here: picking
   * another one moves it.
   */
  colorize(slot: number, stream: number): void;
  /** Remove a conversation's colour. */
  uncolorize(stream: number): void;
  /** "Reset coloring": no conversation coloured. */
  resetColors(): void;
  removeColumn(field: string): void;
}

export const useListView = create<ListViewState>()((set, get) => ({
  timeFormat: load(TIME_KEY, isTimeFormat, 'rel'),
  refs: [],
  marks: [],
  columns: load(COLUMNS_KEY, isNames, []),
  convColors: [],
  setTimeFormat: (timeFormat) => {
    save(TIME_KEY, timeFormat);
    set({ timeFormat });
  },
  toggleRef: (n) => set({ refs: toggled(get().refs, n) }),
  toggleMark: (n) => set({ marks: toggled(get().marks, n) }),
  restore: (marks, refs) => set({ marks: [...new Set(marks ?? [])].sort((a, b) => a - b), refs: [...new Set(refs ?? [])].sort((a, b) => a - b) }),
  colorize: (slot, stream) => {
    if (!Number.isInteger(slot) || slot < 1 || slot > 10 || !Number.isInteger(stream) || stream < 0) return;
    const convColors = get().convColors.map((x) => (x === stream ? undefined : x));
    convColors[slot - 1] = stream;
    set({ convColors });
  },
  uncolorize: (stream) => set({ convColors: get().convColors.map((x) => (x === stream ? undefined : x)) }),
  resetColors: () => set({ convColors: [] }),
  addColumn: (field) => {
    if (get().columns.includes(field)) return;
    const columns = [...get().columns, field];
    save(COLUMNS_KEY, columns);
    set({ columns });
  },
  removeColumn: (field) => {
    const columns = get().columns.filter((c) => c !== field);
    save(COLUMNS_KEY, columns);
    set({ columns });
  },
}));

// Another capture: its frames are not the ones marked.
let lastLoad = useViewer.getState().loadId;
useViewer.subscribe((s) => {
  if (s.loadId === lastLoad) return;
  lastLoad = s.loadId;
  const lv = useListView.getState();
  if (lv.marks.length || lv.refs.length || lv.convColors.length) useListView.setState({ marks: [], refs: [], convColors: [] });
});

/** The row options the worker formats rows with (a new object only when one of them changes). */
let cached: { key: string; opts: RowOpts } | undefined;
export function rowOpts(s: Pick<ListViewState, 'timeFormat' | 'refs' | 'columns'>): RowOpts {
  const key = JSON.stringify([s.timeFormat, s.refs, s.columns]);
  if (cached?.key !== key) cached = { key, opts: { time: { format: s.timeFormat, refs: s.refs }, columns: s.columns } };
  return cached.opts;
}

/**
 * The statistics views' UI state (zustand): which drawer is open (Conversations, Endpoints or
 * Follow TCP Stream), the table tab, the conversation data of the open load (computed once in
 * the worker), and the stream being followed with the filter to go back to.
 */
import { create } from 'zustand';
import type { AllConversations, TcpTables } from '../engine-client';
import type { ConvType } from '../../engine/stats/conversations';

export type StatsView = 'conversations' | 'endpoints' | 'follow' | 'expert';
export type ExpertSeverity = 'error' | 'warn' | 'note' | 'chat' | 'comment';

/** Where Expert Information shows: a drawer over the panes, a tab of the lower pane, or beside the list. */
export type ExpertDock = 'drawer' | 'lower' | 'side';
const DOCK_KEY = 'seqscope-expert-dock';
function savedDock(): ExpertDock {
  try {
    const v = localStorage.getItem(DOCK_KEY);
    return v === 'lower' || v === 'side' ? v : 'drawer';
  } catch {
    return 'drawer';
  }
}

export interface StatsState {
  view: StatsView | undefined;
  tab: ConvType;
  loadId: number;
  data: AllConversations | undefined;
  /** The TCP tab from the columns, while `data` is being counted. */
  fast: TcpTables | undefined;
  /** tcp.stream followed (Follow TCP Stream), if any. */
  stream: number | undefined;
  /** The display filter before "Filter out this stream" (restored by "Back"). */
  backFilter: string | undefined;

  /** Expert Information: the severity the panel opened at (its section is expanded and scrolled to). */
  severity: ExpertSeverity | undefined;
  /** Expert Information's place (remembered in localStorage) and, docked, whether it is open. */
  expertDock: ExpertDock;
  expertDocked: boolean;
  /** The lower pane's tab while Expert Information is docked there. */
  lowerTab: 'details' | 'expert';
  open(view: StatsView | undefined): void;
  dockExpert(dock: ExpertDock): void;
  closeExpert(): void;
  setLowerTab(tab: 'details' | 'expert'): void;
  openExpert(severity: ExpertSeverity | undefined): void;
  setTab(tab: ConvType): void;
  setData(loadId: number, data: AllConversations | undefined): void;
  setFast(loadId: number, fast: StatsState['fast']): void;
  follow(stream: number | undefined): void;
  setBackFilter(f: string | undefined): void;
}

export const useStats = create<StatsState>()((set) => ({
  view: undefined,
  tab: 'tcp',
  loadId: 0,
  data: undefined,
  stream: undefined,
  backFilter: undefined,
  severity: undefined,
  open: (view) => set({ view }),
  openExpert: (severity) =>
    set((s) => (s.expertDock === 'drawer' ? { view: 'expert', severity } : { expertDocked: true, lowerTab: 'expert', severity })),
  expertDock: savedDock(),
  expertDocked: false,
  lowerTab: 'details',
  dockExpert: (dock) => {
    try {
      localStorage.setItem(DOCK_KEY, dock);
    } catch {
      /* private mode: not remembered */
    }
    // The panel moves and stays open.
    set((s) => ({
      expertDock: dock,
      expertDocked: dock !== 'drawer',
      lowerTab: 'expert',
      view: dock === 'drawer' ? 'expert' : s.view === 'expert' ? undefined : s.view,
    }));
  },
  closeExpert: () => set((s) => (s.expertDock === 'drawer' ? { view: s.view === 'expert' ? undefined : s.view } : { expertDocked: false, lowerTab: 'details' })),
  setLowerTab: (lowerTab) => set({ lowerTab }),
  setTab: (tab) => set({ tab }),
  fast: undefined,
  setData: (loadId, data) => set((s) => (s.loadId === loadId ? { data } : { loadId, data, fast: undefined })),
  setFast: (loadId, fast) => set((s) => (s.loadId === loadId ? { fast } : { loadId, fast, data: undefined })),
  follow: (stream) => set(stream === undefined ? { stream, view: undefined } : { stream, view: 'follow' }),
  setBackFilter: (backFilter) => set({ backFilter }),
}));

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
  open(view: StatsView | undefined): void;
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
  openExpert: (severity) => set({ view: 'expert', severity }),
  setTab: (tab) => set({ tab }),
  fast: undefined,
  setData: (loadId, data) => set((s) => (s.loadId === loadId ? { data } : { loadId, data, fast: undefined })),
  setFast: (loadId, fast) => set((s) => (s.loadId === loadId ? { fast } : { loadId, fast, data: undefined })),
  follow: (stream) => set(stream === undefined ? { stream, view: undefined } : { stream, view: 'follow' }),
  setBackFilter: (backFilter) => set({ backFilter }),
}));

/**
 * The displayed view's UI state (zustand): the display filter (as typed and as applied), the
 * sort column, and the worker's last report on the view (how many frames are displayed, how
 * far the filter got). The view itself (frame numbers) lives in the worker (worker/view.ts).
 */
import { create } from 'zustand';
import type { FilterDiagnostic, SortColumn, ViewSort, ViewStatus } from '../../worker/engine-api';

export type { FilterDiagnostic, SortColumn, ViewSort, ViewStatus };

/** What the filter bar says about the text in it. */
export type FilterCheck = { state: 'empty' } | { state: 'valid'; warnings: FilterDiagnostic[] } | { state: 'invalid'; error: FilterDiagnostic } | { state: 'checking' };

export interface ViewStoreState {
  /** The text in the filter bar. */
  draft: string;
  /** The filter applied to the packet list ('' = none). */
  applied: string;
  sort: ViewSort | undefined;
  /** Validation of `draft`. */
  check: FilterCheck;
  /** The worker's last status for load `loadId` (undefined: none yet / identity view). */
  status: (ViewStatus & { loadId: number }) | undefined;
  /** A short message for the user about the view (e.g. a frame hidden by the filter). */
  notice: string | undefined;

  setDraft(text: string): void;
  setCheck(c: FilterCheck): void;
  /** Make `filter` the applied display filter (the controller sends it to the worker). */
  apply(filter: string): void;
  setSort(sort: ViewSort | undefined): void;
  setStatus(loadId: number, s: ViewStatus): void;
  setNotice(text: string | undefined): void;
}

export const useView = create<ViewStoreState>()((set) => ({
  draft: '',
  applied: '',
  sort: undefined,
  check: { state: 'empty' },
  status: undefined,
  notice: undefined,
  setDraft: (draft) => set({ draft }),
  setCheck: (check) => set({ check }),
  apply: (filter) => set({ applied: filter.trim() === '' ? '' : filter, draft: filter, notice: undefined }),
  setSort: (sort) => set({ sort }),
  setStatus: (loadId, status) =>
    set((s) => {
      // Messages may cross: never go back to an older generation of the same load.
      if (s.status && s.status.loadId === loadId && s.status.gen > status.gen) return {};
      // A sort stopped before it was applied is dropped by the worker: the header follows.
      if (status.stopped && status.sort === undefined && s.sort !== undefined) return { status: { ...status, loadId }, sort: undefined };
      return { status: { ...status, loadId } };
    }),
  setNotice: (notice) => set({ notice }),
}));

/** Whether the packet list shows something other than every frame in frame order. */
export function viewActive(s: Pick<ViewStoreState, 'applied' | 'sort'>): boolean {
  return s.applied !== '' || s.sort !== undefined;
}

/**
 * What the page's link says about the capture it is for (zustand): the capture it names (file
 * name, size, fingerprint of its first bytes — see app/url-state.ts) while that view waits to be
 * applied, and a mismatch when the capture opened is another one. features/links/ fills it,
 * features/links/LinkBanner.tsx shows it.
 */
import { create } from 'zustand';

/** A capture as a link names it. */
export interface CaptureRef {
  name: string;
  size: number;
  hash: string;
}

export interface LinkState {
  /** The capture the link's view is for, while that view is not applied yet. */
  wanted: CaptureRef | undefined;
  /** The capture opened is not the one the link names (its frame-specific view was not applied). */
  mismatch: { wanted: CaptureRef; got: CaptureRef } | undefined;
  setWanted(c: CaptureRef | undefined): void;
  setMismatch(m: { wanted: CaptureRef; got: CaptureRef } | undefined): void;
}

export const useLink = create<LinkState>()((set) => ({
  wanted: undefined,
  mismatch: undefined,
  setWanted: (wanted) => set({ wanted }),
  setMismatch: (mismatch) => set({ mismatch }),
}));

/** Same capture: same size and same fingerprint (a renamed copy is the same capture). */
export function sameCapture(a: CaptureRef, b: { size: number; hash: string }): boolean {
  return a.size === b.size && a.hash === b.hash;
}

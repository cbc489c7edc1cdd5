/**
 * The open capture's connection diagnoses (zustand): the items the worker computed after the
 * load, an index of their evidence frames, and the Diagnoses panel's state (open, selected
 * card = a connection's stream index). The panel's state is part of the link (features/links).
 */
import { create } from 'zustand';
import type { Diagnosis } from '../../engine/model/types';

export interface DiagnosesState {
  /** Load the items belong to (0 = none). */
  loadId: number;
  /** undefined until the worker answers for `loadId`. */
  items: Diagnosis[] | undefined;
  /** Evidence frame → indexes into `items`. */
  byFrame: Map<number, number[]>;
  /** The Diagnoses panel is open. */
  open: boolean;
  /** The selected card: a connection's stream index. */
  card: number | undefined;

  setItems(loadId: number, items: Diagnosis[] | undefined): void;
  setOpen(open: boolean): void;
  selectCard(stream: number | undefined): void;
}

function index(items: Diagnosis[] | undefined): Map<number, number[]> {
  const m = new Map<number, number[]>();
  items?.forEach((d, i) => {
    for (const f of d.frames) {
      const l = m.get(f);
      if (l) l.push(i);
      else m.set(f, [i]);
    }
  });
  return m;
}

export const useDiagnoses = create<DiagnosesState>()((set) => ({
  loadId: 0,
  items: undefined,
  byFrame: new Map(),
  open: false,
  card: undefined,
  setItems: (loadId, items) => set({ loadId, items, byFrame: index(items) }),
  setOpen: (open) => set(open ? { open } : { open, card: undefined }),
  selectCard: (card) => set(card === undefined ? { card } : { card, open: true }),
}));

/** The items of connection `stream`, in order. */
export function itemsOf(items: readonly Diagnosis[], stream: number): Diagnosis[] {
  return items.filter((d) => d.stream === stream);
}

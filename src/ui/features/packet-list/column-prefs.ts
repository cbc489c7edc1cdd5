/**
 * The packet list's column widths and which columns are shown, remembered in localStorage
 * (one key; a damaged or foreign value is ignored).
 */
import { useEffect, useState } from 'react';

export interface ColumnPrefs {
  /** Width in px by column id (only the columns the user resized). */
  sizing: Record<string, number>;
  /** false for a hidden column. */
  visibility: Record<string, boolean>;
}

const KEY = 'seqscope.columns';

export function loadColumnPrefs(): ColumnPrefs {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<ColumnPrefs>;
    const num = Object.entries(v.sizing ?? {}).filter(([, w]) => typeof w === 'number' && w >= 20 && w <= 5000);
    const vis = Object.entries(v.visibility ?? {}).filter(([, b]) => typeof b === 'boolean');
    return { sizing: Object.fromEntries(num), visibility: Object.fromEntries(vis) };
  } catch {
    return { sizing: {}, visibility: {} };
  }
}

/** The preferences as react-table state, saved whenever they change. */
export function useColumnPrefs() {
  const [prefs] = useState(loadColumnPrefs);
  const [sizing, setSizing] = useState<Record<string, number>>(prefs.sizing);
  const [visibility, setVisibility] = useState<Record<string, boolean>>(prefs.visibility);
  useEffect(() => {
    try {
      localStorage.setItem(KEY, JSON.stringify({ sizing, visibility }));
    } catch {
      // Storage full or disabled: the layout just is not remembered.
    }
  }, [sizing, visibility]);
  return { sizing, setSizing, visibility, setVisibility };
}

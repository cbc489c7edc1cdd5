/**
 * The packet list's column choices, in two places that share them: the ☰ button at the header's
 * right end (a checklist) and the header's context menu (HeaderMenu.tsx).
 */
import { useEffect, useRef, useState } from 'react';
import type { Table } from '@tanstack/react-table';

export interface ColumnChoice {
  id: string;
  label: string;
  visible: boolean;
  /** The last visible column cannot be hidden. */
  locked: boolean;
  setVisible(v: boolean): void;
}

/** Every column with its visibility, in order. */
export function columnChoices<T>(table: Table<T>): ColumnChoice[] {
  const cols = table.getAllLeafColumns();
  const shown = cols.filter((c) => c.getIsVisible()).length;
  return cols.map((c) => ({
    id: c.id,
    label: String(c.columnDef.header),
    visible: c.getIsVisible(),
    locked: c.getIsVisible() && shown === 1,
    setVisible: (v: boolean) => c.toggleVisibility(v),
  }));
}

/** Every column back to its default width. */
export const resetWidths = <T,>(table: Table<T>): void => table.resetColumnSizing(true);

export function ColumnMenu<T>({ table }: { table: Table<T> }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="pl-columns" ref={ref}>
      <button type="button" aria-label="Columns" aria-expanded={open} title="Show or hide columns" data-testid="columns-button" onClick={() => setOpen(!open)}>
        ☰
      </button>
      {open && (
        <div className="pl-columns-menu" role="menu" data-testid="columns-menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {columnChoices(table).map((c) => (
            <label key={c.id} role="menuitemcheckbox" aria-checked={c.visible}>
              <input type="checkbox" checked={c.visible} disabled={c.locked} data-column={c.id} onChange={(e) => c.setVisible(e.target.checked)} />{' '}
              {c.label}
            </label>
          ))}
          <button type="button" onClick={() => resetWidths(table)}>
            Reset widths
          </button>
        </div>
      )}
    </div>
  );
}

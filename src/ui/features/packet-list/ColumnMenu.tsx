/** The packet list's column chooser: a small button at the header's right end with a checklist. */
import { useEffect, useRef, useState } from 'react';
import type { Table } from '@tanstack/react-table';

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
  const cols = table.getAllLeafColumns();
  const shown = cols.filter((c) => c.getIsVisible()).length;
  return (
    <div className="pl-columns" ref={ref}>
      <button type="button" aria-label="Columns" aria-expanded={open} title="Show or hide columns" data-testid="columns-button" onClick={() => setOpen(!open)}>
        ☰
      </button>
      {open && (
        <div className="pl-columns-menu" role="menu" data-testid="columns-menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {cols.map((c) => (
            <label key={c.id} role="menuitemcheckbox" aria-checked={c.getIsVisible()}>
              <input
                type="checkbox"
                checked={c.getIsVisible()}
                disabled={c.getIsVisible() && shown === 1}
                data-column={c.id}
                onChange={(e) => c.toggleVisibility(e.target.checked)}
              />{' '}
              {String(c.columnDef.header)}
            </label>
          ))}
          <button type="button" onClick={() => table.resetColumnSizing(true)}>
            Reset widths
          </button>
        </div>
      )}
    </div>
  );
}

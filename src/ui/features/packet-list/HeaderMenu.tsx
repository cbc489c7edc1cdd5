/**
 * The packet list header's context menu (@radix-ui/react-context-menu, like the row menu):
 * Sort Ascending / Sort Descending / Remove sorting by the column right-clicked, Hide this
 * column, the Columns checklist (the same choices as the ☰ menu: ColumnMenu.tsx) and Reset
 * widths. Added columns ("Apply as column") are not sortable: their sort items are disabled.
 */
import { useRef, useState, type ReactNode } from 'react';
import * as ContextMenu from '@radix-ui/react-context-menu';
import type { Table } from '@tanstack/react-table';
import { useView } from '../../state/view';
import type { SortColumn } from '../../engine-client';
import { columnChoices, resetWidths } from './ColumnMenu';
import '../context-menu/row-menu.css';

/** Sort the list by `column` (No. ascending is the capture's own order: no sort at all). */
export function sortList(column: SortColumn, desc: boolean): void {
  useView.getState().setSort(column === 'no' && !desc ? undefined : { column, desc });
}

export function HeaderMenu<T>({ table, children }: { table: Table<T>; children: ReactNode }) {
  // The column under the pointer when the menu opened (its header carries data-column).
  const at = useRef<string | undefined>(undefined);
  const [col, setCol] = useState<string | undefined>(undefined);
  const sort = useView((s) => s.sort);
  const choices = columnChoices(table);
  const target = choices.find((c) => c.id === col);
  const sortable = col !== undefined && !col.startsWith('x');
  return (
    <ContextMenu.Root onOpenChange={(open) => open && setCol(at.current)}>
      <ContextMenu.Trigger
        asChild
        onContextMenu={(e) => {
          at.current = (e.target as HTMLElement).closest<HTMLElement>('[data-column]')?.dataset.column;
        }}
      >
        {children}
      </ContextMenu.Trigger>
      <ContextMenu.Portal>
        <ContextMenu.Content className="rm-menu" data-testid="header-menu">
          <ContextMenu.Item className="rm-item" data-testid="hm-sort-asc" disabled={!sortable} onSelect={() => sortList(col as SortColumn, false)}>
            Sort Ascending{target ? ` (${target.label})` : ''}
          </ContextMenu.Item>
          <ContextMenu.Item className="rm-item" data-testid="hm-sort-desc" disabled={!sortable} onSelect={() => sortList(col as SortColumn, true)}>
            Sort Descending{target ? ` (${target.label})` : ''}
          </ContextMenu.Item>
          <ContextMenu.Item className="rm-item" data-testid="hm-sort-none" disabled={!sort} onSelect={() => useView.getState().setSort(undefined)}>
            Remove Sorting
          </ContextMenu.Item>
          <ContextMenu.Separator className="rm-sep" />
          <ContextMenu.Item className="rm-item" data-testid="hm-hide" disabled={!target || target.locked} onSelect={() => target?.setVisible(false)}>
            Hide this column
          </ContextMenu.Item>
          <ContextMenu.Sub>
            <ContextMenu.SubTrigger className="rm-item rm-sub" data-testid="hm-columns">
              Columns ▸
            </ContextMenu.SubTrigger>
            <ContextMenu.Portal>
              <ContextMenu.SubContent className="rm-menu">
                {choices.map((c) => (
                  <ContextMenu.CheckboxItem
                    key={c.id}
                    className="rm-item"
                    data-testid={`hm-col-${c.id}`}
                    checked={c.visible}
                    disabled={c.locked}
                    onSelect={(e) => e.preventDefault()}
                    onCheckedChange={(v) => c.setVisible(v)}
                  >
                    {c.visible ? '✓ ' : '\u2003'}
                    {c.label}
                  </ContextMenu.CheckboxItem>
                ))}
              </ContextMenu.SubContent>
            </ContextMenu.Portal>
          </ContextMenu.Sub>
          <ContextMenu.Item className="rm-item" data-testid="hm-reset-widths" onSelect={() => resetWidths(table)}>
            Reset widths
          </ContextMenu.Item>
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}

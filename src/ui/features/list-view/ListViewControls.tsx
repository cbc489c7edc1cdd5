/**
 * View → Time Display Format as a toolbar control, and the keys that act on the selected frame:
 *
 *   m   mark / unmark it (Wireshark: Ctrl+M; marked rows are black with white text)
 *   t   set / unset it as a time reference (Wireshark: Ctrl+T, which browsers keep for a new tab)
 *
 * Plain letters do not clash with the browser's keys; they are ignored while typing in a field.
 * The cells are formatted by the worker (engine/fields/time-format.ts); the choices live in
 * ui/state/list-view.ts.
 */
import { useEffect } from 'react';
import { TIME_FORMATS, isTimeFormat, useListView } from '../../state/list-view';
import { useViewer } from '../../state/viewer';

const inTextField = (t: EventTarget | null) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable);

/** Keys for the help overlay (navigate/Navigate.tsx lists them). */
export const LIST_VIEW_KEYS: [string, string][] = [
  ['m', 'Mark / unmark the selected frame'],
  ['t', 'Set / unset the selected frame as a time reference (*REF*)'],
];

export function ListViewControls() {
  const format = useListView((s) => s.timeFormat);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (inTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const n = useViewer.getState().selected;
      if (n === undefined) return;
      if (e.key === 'm' || e.key === 'M') useListView.getState().toggleMark(n);
      else if (e.key === 't' || e.key === 'T') useListView.getState().toggleRef(n);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <label className="time-format" title="View → Time Display Format: what the Time column shows">
      Time{' '}
      <select
        data-testid="time-format"
        value={format}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (isTimeFormat(v)) useListView.getState().setTimeFormat(v);
        }}
      >
        {TIME_FORMATS.map((f) => (
          <option key={f.id} value={f.id}>
            {f.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Moving around the displayed frames with the keyboard:
 *   F8 / .         next frame with TCP analysis flags (in the displayed view's order)
 *   Shift+F8 / ,   previous one
 *   Ctrl+F         find packet: by display filter, hex bytes or string (Enter: next, Shift+Enter: previous)
 *   ?              this list of keys
 * Wireshark moves between a conversation's packets with Ctrl+. / Ctrl+,; plain `.`/`,` and F8
 * do not clash with the browser's own keys. The searching runs in the worker (find.ts, view.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { engine, type FindQuery } from '../../engine-client';
import { useViewer } from '../../state/viewer';
import { useView, viewActive } from '../../state/view';
import { LIST_VIEW_KEYS } from '../list-view/ListViewControls';
import { GRAPH_KEYS } from '../graphs/GraphDock';

/** Keys listed by the help overlay (the packet list's own keys included). */
export const KEYS: [string, string][] = [
  ['↑ / ↓, Page Up / Page Down, Home / End', 'Move the selection in the packet list'],
  ['Ctrl+G', 'Go to a frame by number (it is put in the middle of the list)'],
  ['Tab', 'Move between the packet list, the dividers and the detail tree'],
  ['↑ / ↓, Home / End (detail tree)', 'Move the selected item'],
  ['→ / ← (detail tree)', 'Open / close the item (or go to its first child / its parent)'],
  ['Enter (detail tree)', 'Follow a frame link ("This is an ACK to the segment in frame N")'],
  ['Ctrl+C (detail tree)', "Copy the selected item's value"],
  ['Click a byte (hex pane)', 'Select the innermost detail item covering it'],
  ['← / → on a focused divider', 'Move the divider (positions are remembered)'],
  ['F8 or .', 'Next frame with TCP analysis flags'],
  ['Shift+F8 or ,', 'Previous frame with TCP analysis flags'],
  ['Ctrl+F', 'Find packet (display filter, hex bytes or string)'],
  ['Ctrl+/ or /', 'Focus the display-filter bar'],
  ['Enter / Escape (filter bar)', 'Apply the filter / restore the applied one'],
  ['Tab, ↑ / ↓ (filter bar)', 'Complete a field name / choose a completion or a recent filter'],
  ['Click a column header', 'Sort by that column (again: reversed)'],
  ['Right-click a detail field', 'Apply or prepare it as a filter, or apply it as a column'],
  ...LIST_VIEW_KEYS,
  ...GRAPH_KEYS,
  ['?', 'Show this help'],
];

const inTextField = (t: EventTarget | null) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable);

/** Position of the selected frame in the view (0: none or hidden). */
async function selectedPosition(): Promise<number> {
  const { selected, loadId } = useViewer.getState();
  if (selected === undefined || !loadId) return 0;
  if (!viewActive(useView.getState())) return selected;
  return (await engine().viewPosition(loadId, selected)).position;
}

function say(text: string): void {
  useView.getState().setNotice(text);
}

export async function gotoFlagged(dir: 1 | -1): Promise<void> {
  const { loadId, frames } = useViewer.getState();
  if (!loadId || !frames) return;
  const from = await selectedPosition();
  const r = await engine().nextFlagged(loadId, from, dir);
  if (r) {
    useView.getState().setNotice(undefined);
    useViewer.getState().jumpTo(r.frame);
  } else say(dir > 0 ? 'No later frame with TCP analysis flags.' : 'No earlier frame with TCP analysis flags.');
}

export function Navigate() {
  const [help, setHelp] = useState(false);
  const [find, setFind] = useState(false);
  const notice = useView((s) => s.notice);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' || e.key === 'F') && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        setFind(true);
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid=find-input]')?.focus());
        return;
      }
      if (inTextField(e.target) || e.altKey) return;
      if (e.key === 'F8' || ((e.key === '.' || e.key === ',') && !e.ctrlKey && !e.metaKey)) {
        e.preventDefault();
        void gotoFlagged(e.key === ',' || (e.key === 'F8' && e.shiftKey) ? -1 : 1);
      } else if (e.key === '?' && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        setHelp((h) => !h);
      } else if (e.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => useView.getState().setNotice(undefined), 4000);
    return () => clearTimeout(t);
  }, [notice]);

  return (
    <>
      {find && <FindBar onClose={() => setFind(false)} />}
      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      {help && (
        <div className="help-overlay" role="dialog" aria-label="Keyboard shortcuts" data-testid="help-overlay" onClick={() => setHelp(false)}>
          <div className="help-box" onClick={(e) => e.stopPropagation()}>
            <h2>Keyboard shortcuts</h2>
            <table>
              <tbody>
                {KEYS.map(([k, what]) => (
                  <tr key={k}>
                    <th>{k}</th>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={() => setHelp(false)}>
              Close
            </button>
          </div>
        </div>
      )}
    </>
  );
}

function FindBar({ onClose }: { onClose: () => void }) {
  const [kind, setKind] = useState<FindQuery['kind']>('filter');
  const [text, setText] = useState('');
  const [fold, setFold] = useState(false);
  const [msg, setMsg] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const run = async (dir: 1 | -1) => {
    const { loadId } = useViewer.getState();
    if (!loadId || !text.trim()) return;
    setBusy(true);
    setMsg(undefined);
    try {
      const from = await selectedPosition();
      const r = await engine().find(loadId, { kind, text, caseInsensitive: fold }, from, dir);
      if (r.ok) useViewer.getState().jumpTo(r.frame);
      else if (r.message !== 'Cancelled.') setMsg(r.message);
    } catch (e) {
      setMsg(String((e as Error).message ?? e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="find-bar"
      data-testid="find-bar"
      onSubmit={(e) => {
        e.preventDefault();
        void run(1);
      }}
    >
      <label>
        Find by{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as FindQuery['kind'])} data-testid="find-kind">
          <option value="filter">Display filter</option>
          <option value="hex">Hex value</option>
          <option value="string">String</option>
        </select>
      </label>
      <input
        ref={input}
        className="find-input"
        data-testid="find-input"
        aria-label="Find"
        spellCheck={false}
        value={text}
        placeholder={kind === 'filter' ? 'tcp.analysis.retransmission' : kind === 'hex' ? 'de ad be ef' : 'GET /'}
        onChange={(e) => {
          setText(e.target.value);
          setMsg(undefined);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
            document.querySelector<HTMLElement>('[data-testid=packet-list]')?.focus();
          } else if (e.key === 'Enter' && e.shiftKey) {
            e.preventDefault();
            void run(-1);
          }
        }}
      />
      {kind === 'string' && (
        <label>
          <input type="checkbox" checked={fold} onChange={(e) => setFold(e.target.checked)} /> Case-insensitive
        </label>
      )}
      <button type="submit" data-testid="find-next" disabled={busy}>
        Find
      </button>
      <button type="button" onClick={() => void run(-1)} disabled={busy}>
        Previous
      </button>
      <button type="button" onClick={onClose} aria-label="Close find">
        ×
      </button>
      {busy && <span className="find-msg">Searching…</span>}
      {msg && (
        <span className="find-msg" role="alert" data-testid="find-message">
          {msg}
        </span>
      )}
    </form>
  );
}

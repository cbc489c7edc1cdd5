/**
 * The display-filter bar above the packet list, as in Wireshark: green when the text is a valid
 * filter, red with the error (and where) when it is not, yellow when valid but questionable.
 * Field names complete from the registry (through the worker) with their descriptions; Enter
 * applies, Escape restores the applied filter; history (localStorage) and a clear button.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { engine } from '../../engine-client';
import { useView } from '../../state/view';
import { useViewer } from '../../state/viewer';
import { formatCount } from '../../format';
import { accept, completions, wordAt, type FieldInfo } from './complete';
import { loadHistory, remember } from './history';

/** Apply the filter-bar text (if it compiles) and remember it. */
export async function applyDraft(text: string): Promise<boolean> {
  const st = useView.getState();
  if (text.trim() === '') {
    st.apply('');
    st.setCheck({ state: 'empty' });
    return true;
  }
  const r = await engine().checkFilter(text).catch(() => undefined);
  if (!r) return false;
  if (!r.ok) {
    useView.setState({ draft: text, check: { state: 'invalid', error: r.error } });
    return false;
  }
  useView.setState({ check: { state: 'valid', warnings: r.warnings } });
  st.apply(text);
  remember(text);
  return true;
}

let checkSeq = 0;
/** Check the text as it is typed (the bar's colour). */
async function checkDraft(text: string): Promise<void> {
  const my = ++checkSeq;
  if (text.trim() === '') {
    useView.getState().setCheck({ state: 'empty' });
    return;
  }
  const r = await engine().checkFilter(text).catch(() => undefined);
  if (my !== checkSeq || !r) return;
  useView.getState().setCheck(r.ok ? { state: 'valid', warnings: r.warnings } : { state: 'invalid', error: r.error });
}

export function FilterBar() {
  const draft = useView((s) => s.draft);
  const applied = useView((s) => s.applied);
  const check = useView((s) => s.check);
  const setDraft = useView((s) => s.setDraft);
  const input = useRef<HTMLInputElement>(null);
  const [fields, setFields] = useState<FieldInfo[]>([]);
  const [caret, setCaret] = useState(0);
  const [menu, setMenu] = useState<'none' | 'complete' | 'history'>('none');
  const [active, setActive] = useState(0);
  const [history, setHistory] = useState<string[]>(() => loadHistory());

  // A filter applied from elsewhere (a link, the detail tree): colour the bar for it.
  useEffect(() => {
    void checkDraft(useView.getState().draft);
  }, [applied]);

  useEffect(() => {
    void engine()
      .fields()
      .then(setFields, () => undefined);
  }, []);

  // Ctrl+/ (Wireshark) or "/" outside text fields focuses the bar.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const inText = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if ((e.key === '/' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !inText && !e.altKey)) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const word = wordAt(draft, caret);
  const options = menu === 'complete' ? completions(fields, word.word) : menu === 'history' ? history.map((h) => ({ name: h, type: '', desc: '' })) : [];
  const open = options.length > 0;

  const change = (text: string, at: number) => {
    setDraft(text);
    setCaret(at);
    setMenu('complete');
    setActive(0);
    void checkDraft(text);
  };

  const choose = (o: FieldInfo) => {
    if (menu === 'history') {
      setMenu('none');
      setDraft(o.name);
      void applyDraft(o.name).then(() => setHistory(loadHistory()));
      return;
    }
    const r = accept(draft, caret, o.name);
    change(r.text, r.caret);
    setMenu('none');
    requestAnimationFrame(() => input.current?.setSelectionRange(r.caret, r.caret));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
      return;
    }
    if (!open && e.key === 'ArrowDown') {
      e.preventDefault();
      setMenu('history');
      setActive(0);
      return;
    }
    if (open && (e.key === 'Tab' || (e.key === 'Enter' && menu === 'history')) && options[active]) {
      e.preventDefault();
      choose(options[active]);
      return;
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      setMenu('none');
      void applyDraft(draft).then(() => setHistory(loadHistory()));
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      if (open) {
        setMenu('none');
        return;
      }
      setDraft(applied);
      void checkDraft(applied);
    }
  };

  const state = check.state === 'valid' && check.warnings.length ? 'warning' : check.state;
  const diag = check.state === 'invalid' ? check.error : check.state === 'valid' && check.warnings.length ? check.warnings[0] : undefined;
  return (
    <div className="filter-bar" data-testid="filter-bar">
      <div className="filter-field">
        <input
          ref={input}
          className={`filter-input filter-${state}`}
          data-testid="filter-input"
          data-state={state}
          aria-label="Display filter"
          aria-invalid={check.state === 'invalid'}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls="filter-options"
          placeholder="Apply a display filter … <Ctrl-/>"
          spellCheck={false}
          autoComplete="off"
          value={draft}
          onChange={(e) => change(e.target.value, e.target.selectionStart ?? e.target.value.length)}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setMenu('none'), 150)}
        />
        {open && (
          <ul className="filter-options" id="filter-options" role="listbox" data-testid={menu === 'history' ? 'filter-history' : 'filter-completions'}>
            {options.map((o, i) => (
              <li
                key={o.name}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(o);
                }}
              >
                <span className="opt-name">{o.name}</span>
                {o.desc && <span className="opt-desc">{o.desc}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      {draft !== '' && (
        <button
          type="button"
          className="filter-clear"
          title="Clear the display filter"
          aria-label="Clear the display filter"
          data-testid="filter-clear"
          onClick={() => {
            void applyDraft('');
            input.current?.focus();
          }}
        >
          ×
        </button>
      )}
      <button type="button" title="Recent filters" aria-label="Recent filters" data-testid="filter-history-button" onClick={() => {
        setHistory(loadHistory());
        setMenu(menu === 'history' ? 'none' : 'history');
        setActive(0);
        input.current?.focus();
      }}>
        ▾
      </button>
      <button type="button" data-testid="filter-apply" onClick={() => void applyDraft(draft).then(() => setHistory(loadHistory()))}>
        Apply
      </button>
      {diag && (
        <span className={`filter-message filter-${state}`} data-testid="filter-message" title={diag.message} role={state === 'invalid' ? 'alert' : undefined}>
          {diag.message}
          {diag.end > diag.start || diag.start > 0 ? ` (at ${diag.start + 1}${diag.end > diag.start + 1 ? `–${diag.end}` : ''})` : ''}
        </span>
      )}
      <FilterProgress />
    </div>
  );
}

/** "Filtering… 40%" while the worker scans, with matches so far. */
function FilterProgress() {
  const status = useView((s) => s.status);
  const applied = useView((s) => s.applied);
  const loadId = useViewer((s) => s.loadId);
  if (!status || status.loadId !== loadId) return null;
  if (status.stopped) {
    return (
      <span className="filter-progress" data-testid="filter-progress">
        Stopped: {formatCount(status.displayed)} found in the first {formatCount(status.scanned)} frames
      </span>
    );
  }
  if (status.done) return null;
  const stop = (
    <button type="button" data-testid="filter-stop" onClick={() => void engine().stopView(loadId)}>
      Stop
    </button>
  );
  if (status.sorting) {
    return (
      <span className="filter-progress" data-testid="filter-progress">
        Sorting… {status.sorting.total ? Math.floor((status.sorting.done / status.sorting.total) * 100) : 100}% {stop}
      </span>
    );
  }
  if (!applied || status.scanned >= status.total) return null;
  return (
    <span className="filter-progress" data-testid="filter-progress">
      Filtering… {formatCount(status.displayed)} found in {formatCount(status.scanned)} of {formatCount(status.total)} {stop}
    </span>
  );
}

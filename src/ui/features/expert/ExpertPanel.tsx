/**
 * Analyze → Expert Information: the items by severity, then by group / protocol / summary with
 * `-z expert`'s counts (computed in the worker from the columns, ready as soon as the load is).
 * A group expands to its frames (click one to select it) and has "Filter" (its display filter);
 * "Limit to display filter" counts only the displayed frames. The status bar's severity counts
 * open the panel at that severity. Everything renders as text.
 */
import { useEffect, useState } from 'react';
import { engine, type ExpertGroupRow } from '../../engine-client';
import { useStats, type ExpertDock, type ExpertSeverity, type StatsState } from '../../state/stats';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import { formatCount } from '../../format';
import '../conversations/conversations.css';
import './expert.css';

const TITLES: [ExpertSeverity, string][] = [
  ['error', 'Errors'],
  ['warn', 'Warnings'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
  ['comment', 'Comments'],
];
/** Frames listed under an expanded group (the rest are reached with its filter). */
const MAX_FRAMES = 500;

function useGroups(limit: boolean): ExpertGroupRow[] | undefined {
  const loadId = useViewer((s) => s.loadId);
  const done = useViewer((s) => s.loadState === 'done');
  const open = useStats(expertShown);
  const applied = useView((s) => s.applied);
  const filtering = useView((s) => (s.status ? !s.status.done : false));
  const [groups, setGroups] = useState<{ key: string; rows: ExpertGroupRow[] | undefined }>({ key: '', rows: undefined });
  const key = `${loadId}|${limit ? applied : ''}|${filtering && limit}`;
  useEffect(() => {
    if (!open || !done || !loadId || (limit && filtering)) return;
    let live = true;
    void engine()
      .expertGroups(loadId, limit)
      .then(
        (rows) => live && setGroups({ key, rows }),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [open, done, loadId, limit, key, filtering]);
  return groups.key === key ? groups.rows : undefined;
}

/** Whether the panel is shown where it is docked. */
const expertShown = (s: StatsState) => (s.expertDock === 'drawer' ? s.view === 'expert' : s.expertDocked);

const DOCKS: [ExpertDock, string][] = [
  ['drawer', 'Drawer'],
  ['lower', 'Tab of the lower pane'],
  ['side', 'Beside the list'],
];

/**
 * The panel at `place`: App mounts the drawer one; the lower pane and the list's side mount
 * theirs (features/expert/Dock.tsx). Only the one where it is docked renders.
 */
export function ExpertPanel({ place = 'drawer' }: { place?: ExpertDock }) {
  const shown = useStats((s) => s.expertDock === place && expertShown(s));
  const severity = useStats((s) => s.severity);
  const dock = useStats((s) => s.expertDock);
  const [limit, setLimit] = useState(false);
  const groups = useGroups(limit);
  if (!shown) return null;
  return (
    <section className={place === 'drawer' ? 'stats-drawer' : 'expert-docked'} data-testid="expert-panel" data-dock={place} aria-label="Expert Information">
      <header className="stats-head">
        <strong>Expert Information</strong>
        <label>
          <input type="checkbox" checked={limit} data-testid="expert-limit" onChange={(e) => setLimit(e.target.checked)} /> Limit to display
          filter
        </label>
        <label>
          Dock{' '}
          <select value={dock} data-testid="expert-dock" onChange={(e) => useStats.getState().dockExpert(e.target.value as ExpertDock)}>
            {DOCKS.map(([d, label]) => (
              <option key={d} value={d}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="stats-close" aria-label="Close" onClick={() => useStats.getState().closeExpert()}>
          ×
        </button>
      </header>
      <div className="expert-body">
        {!groups ? (
          <p className="placeholder">Counting…</p>
        ) : groups.length === 0 ? (
          <p className="placeholder">No expert items.</p>
        ) : (
          TITLES.map(([sev, title]) => {
            const rows = groups.filter((g) => g.severity === sev);
            if (!rows.length) return null;
            const total = rows.reduce((a, g) => a + g.count, 0);
            return (
              <section key={sev} className="expert-sev" data-testid={`expert-severity-${sev}`} data-count={total}>
                <h3 ref={(el) => (sev === severity ? el?.scrollIntoView({ block: 'start' }) : undefined)}>
                  <span className={`sev-${sev}`}>{title}</span> ({formatCount(total)})
                </h3>
                {rows.map((g, i) => (
                  <Group key={i} g={g} />
                ))}
              </section>
            );
          })
        )}
      </div>
    </section>
  );
}

function Group({ g }: { g: ExpertGroupRow }) {
  const [open, setOpen] = useState(false);
  const selected = useViewer((s) => s.selected);
  return (
    <div className="expert-group" data-testid="expert-group" data-count={g.count} data-summary={g.summary}>
      <div className="expert-line">
        <button type="button" className="expert-toggle" aria-expanded={open} data-testid="expert-expand" onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        <span className="expert-count">{g.count}</span>
        <span className="expert-groupname">{g.group}</span>
        <span className="expert-proto">{g.protocol}</span>
        <span className="expert-summary">{g.summary}</span>
        <button
          type="button"
          className="expert-filter"
          title={g.filter}
          data-testid="expert-filter"
          onClick={() => useView.getState().apply(g.filter)}
        >
          Filter
        </button>
      </div>
      {open && (
        <div className="expert-frames" data-testid="expert-frames">
          {g.frames.slice(0, MAX_FRAMES).map((f, i) => (
            <a
              key={i}
              href={`#frame-${f}`}
              className={`frame-link${f === selected ? ' current' : ''}`}
              data-testid="expert-frame"
              data-frame={f}
              onClick={(e) => {
                e.preventDefault();
                useViewer.getState().jumpTo(f); // a history step (Back returns here)
              }}
            >
              {f}
            </a>
          ))}
          {g.frames.length > MAX_FRAMES && <span> …and {formatCount(g.frames.length - MAX_FRAMES)} more (use Filter)</span>}
        </div>
      )}
    </div>
  );
}

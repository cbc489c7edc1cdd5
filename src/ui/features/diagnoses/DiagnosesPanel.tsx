/**
 * The Diagnoses panel: one card per connection with problems (summary sentences, facts, evidence
 * frames as links). Clicking a card filters the packet list to that connection
 * (`tcp.stream eq N`); clicking an evidence frame selects it. Also the status-bar count that
 * opens the panel, the evidence badge of a packet-list row and the detail pane's box.
 * Everything renders as text.
 */
import { useMemo } from 'react';
import type { Diagnosis } from '../../../engine/model/types';
import { useDiagnoses } from '../../state/diagnoses';
import { useViewer } from '../../state/viewer';
import { useView } from '../../state/view';
import { formatCount } from '../../format';
import './diagnoses.css';

const SEVERITY_RANK: Record<Diagnosis['severity'], number> = { error: 0, warn: 1, note: 2, chat: 3 };
const SEVERITY_WORD: Record<Diagnosis['severity'], string> = { error: 'Error', warn: 'Warning', note: 'Note', chat: 'Chat' };

/** The items of the capture on screen (undefined while not known). */
function useCurrentItems(): Diagnosis[] | undefined {
  const loadId = useViewer((s) => s.loadId);
  const d = useDiagnoses((s) => (s.loadId === loadId ? s.items : undefined));
  return d;
}

interface Card {
  stream: number;
  endpoints: [string, string];
  severity: Diagnosis['severity'];
  items: Diagnosis[];
}

function cards(items: Diagnosis[]): Card[] {
  const by = new Map<number, Card>();
  for (const d of items) {
    const c = by.get(d.stream);
    if (c) {
      c.items.push(d);
      if (SEVERITY_RANK[d.severity] < SEVERITY_RANK[c.severity]) c.severity = d.severity;
    } else by.set(d.stream, { stream: d.stream, endpoints: d.endpoints, severity: d.severity, items: [d] });
  }
  return [...by.values()];
}

/** Filter the packet list to connection `stream` and mark its card selected. */
function chooseCard(stream: number): void {
  useDiagnoses.getState().selectCard(stream);
  useView.getState().apply(`tcp.stream eq ${stream}`);
}

export function DiagnosesPanel() {
  const open = useDiagnoses((s) => s.open);
  const card = useDiagnoses((s) => s.card);
  const items = useCurrentItems();
  const list = useMemo(() => (items ? cards(items) : []), [items]);
  if (!open) return null;
  return (
    <aside className="diagnoses-panel" data-testid="diagnoses-panel" aria-label="Diagnoses">
      <header className="diag-head">
        <strong>Diagnoses</strong>
        <span className="diag-sub">{items === undefined ? 'working…' : `${list.length} connection${list.length === 1 ? '' : 's'} with problems`}</span>
        <button type="button" className="diag-close" aria-label="Close the diagnoses" onClick={() => useDiagnoses.getState().setOpen(false)}>
          ×
        </button>
      </header>
      <div className="diag-cards">
        {items !== undefined && list.length === 0 && <p className="placeholder">No problems found: every connection opened, exchanged data and closed normally, or shows nothing this viewer can diagnose.</p>}
        {list.map((c) => (
          <DiagnosisCard key={c.stream} card={c} selected={card === c.stream} />
        ))}
      </div>
    </aside>
  );
}

function DiagnosisCard({ card, selected }: { card: Card; selected: boolean }) {
  return (
    <section
      className={`diag-card sev-border-${card.severity}${selected ? ' selected' : ''}`}
      data-testid="diagnosis-card"
      data-stream={card.stream}
      aria-current={selected ? 'true' : undefined}
      onClick={() => chooseCard(card.stream)}
    >
      <h3 className="diag-conn">
        <button type="button" className="diag-conn-btn" title={`Show only this connection (tcp.stream eq ${card.stream})`}>
          Connection {card.stream}: {card.endpoints[0]} → {card.endpoints[1]}
        </button>
      </h3>
      {card.items.map((d, i) => (
        <DiagnosisItem key={i} d={d} />
      ))}
    </section>
  );
}

function DiagnosisItem({ d, compact = false }: { d: Diagnosis; compact?: boolean }) {
  const jumpTo = useViewer((s) => s.jumpTo);
  const selected = useViewer((s) => s.selected);
  return (
    <div className="diag-item" data-testid="diagnosis" data-kind={d.kind}>
      <div className="diag-kind">
        <span className={`diag-sev sev-${d.severity}`}>{SEVERITY_WORD[d.severity]}</span> {d.kind}
      </div>
      <p className="diag-summary">{d.summary}</p>
      {!compact && d.facts.length > 0 && (
        <ul className="diag-facts">
          {d.facts.map((f) => (
            <li key={f.name}>{f.text}</li>
          ))}
        </ul>
      )}
      <div className="diag-frames">
        Frames:{' '}
        {d.frames.map((f) => (
          <a
            key={f}
            href={`#frame-${f}`}
            className={`frame-link${f === selected ? ' current' : ''}`}
            data-testid="evidence-link"
            data-frame={f}
            onClick={(e) => {
              e.preventDefault();
              e.stopPropagation();
              jumpTo(f); // a history step (Back returns here)
            }}
          >
            {f}
          </a>
        ))}
      </div>
    </div>
  );
}

/** Status bar: how many connections have problems; opens the panel. */
export function DiagnosesCount() {
  const items = useCurrentItems();
  const open = useDiagnoses((s) => s.open);
  const n = useMemo(() => (items ? new Set(items.map((d) => d.stream)).size : 0), [items]);
  if (items === undefined) return null;
  return (
    <button
      type="button"
      className={`diag-count${n > 0 ? ' has' : ''}`}
      data-testid="status-diagnoses"
      aria-pressed={open}
      title="Connection diagnoses: what went wrong, in plain words"
      onClick={() => useDiagnoses.getState().setOpen(!open)}
    >
      Diagnoses: {formatCount(n)}
    </button>
  );
}

/** A packet-list row's mark when its frame is evidence of a diagnosis. */
export function EvidenceBadge({ frame }: { frame: number }) {
  const loadId = useViewer((s) => s.loadId);
  const kinds = useDiagnoses((s) => (s.loadId === loadId ? s.byFrame.get(frame) : undefined));
  if (!kinds) return null;
  return (
    <span className="diag-badge" data-testid="evidence-badge" title="Evidence of a diagnosis (see the detail pane)">
      ◆
    </span>
  );
}

/** The detail pane's box: the diagnoses this frame is evidence of, above the tree. */
export function FrameDiagnoses({ frame }: { frame: number }) {
  const items = useCurrentItems();
  const idx = useDiagnoses((s) => s.byFrame.get(frame));
  if (!items || !idx) return null;
  return (
    <div className="frame-diagnoses" data-testid="frame-diagnoses">
      {idx.map((i) => items[i] && <DiagnosisItem key={i} d={items[i]} compact />)}
    </div>
  );
}

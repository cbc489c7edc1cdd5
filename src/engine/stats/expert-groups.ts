/**
 * Analyze → Expert Information: the capture's expert items grouped by severity, then by
 * (group, protocol, summary) in first-seen order with their counts — the same walk and the same
 * counts as `-z expert` (fields/expert-tally.ts) — and each group's frames, so a view can expand
 * a group, select a frame and filter on the group. Computed from the columns (no re-read).
 */
import type { CaptureSession } from '../session';
import { walkExperts } from '../fields/expert-tally';
import { FLAG_ORDER } from '../tcp/flags';
import type { SummarySeverity } from '../fields/expert-summary';

export interface ExpertGroupRow {
  severity: SummarySeverity;
  group: string;
  protocol: string;
  summary: string;
  count: number;
  /** Frames carrying the item, ascending (a frame appears once per occurrence). */
  frames: number[];
  /** The display filter that shows this group's frames. */
  filter: string;
}

/** The analysis field of an item by its message (a fast retransmission's second item is the retransmission's). */
const FIELD_OF_MESSAGE = new Map(FLAG_ORDER.map((f) => [f.message, f.field]));

/** A filter for the group: its analysis field when it has one, else its frames. */
function groupFilter(summary: string, frames: number[]): string {
  const dup = /^Duplicate ACK \(#(\d+)\)$/.exec(summary);
  if (dup) return `tcp.analysis.duplicate_ack_num == ${dup[1]}`;
  const field = FIELD_OF_MESSAGE.get(summary);
  if (field) return field;
  return `frame.number in {${[...new Set(frames)].join(' ')}}`;
}

/** The groups, severities in tshark's order (error, warn, note, chat, comment). `keep` limits to displayed frames. */
export function expertGroups(s: CaptureSession, keep?: (n: number) => boolean): ExpertGroupRow[] {
  const rows = new Map<string, ExpertGroupRow>();
  const at = (sev: SummarySeverity, group: string, protocol: string, summary: string) => {
    const k = `${sev}\u0000${group}\u0000${protocol}\u0000${summary}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { severity: sev, group, protocol, summary, count: 0, frames: [], filter: '' }));
    return r;
  };
  // As `tshark -q -z expert`: no protocol tree, so no tree-only items ("4 NOP in a row").
  walkExperts(
    s,
    true,
    false,
    (n, e) => {
      const r = at(e.severity, e.group, e.protocol, e.summary);
      r.count++;
      r.frames.push(n);
    },
    (n, text) => {
      const r = at('comment', 'Comment', 'Frame', text);
      r.count++;
      r.frames.push(n);
    },
    keep,
  );
  const order: SummarySeverity[] = ['error', 'warn', 'note', 'chat', 'comment'];
  return [...rows.values()]
    .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity))
    .map((r) => ({ ...r, filter: groupFilter(r.summary, r.frames) }));
}

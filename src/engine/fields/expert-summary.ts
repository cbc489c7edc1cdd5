/**
 * The expert-info summary (`tshark -q -z expert`): counts per severity, group, protocol and
 * summary. Layout, from black-box runs of tshark 4.0.17:
 *
 *   - sections in the order Errors, Warns, Notes, Chats, Comments; a section is printed only
 *     when it has items, and nothing at all is printed when there are none;
 *   - each section: a blank line, "<Title> (<total>)", 13 '=' (whatever the title's length),
 *     the column header, then one line per distinct (group, protocol, summary) as
 *     printf("%12u %10s %18s  %s") — wider values push the columns right, never truncated;
 *   - lines within a section keep the order in which tshark's expert tap first saw each
 *     item: file order of frames, and within a frame the order the items were added (tree
 *     order for TCP). Counts are per occurrence, so "Duplicate ACK (#1)" and "(#2)" are
 *     separate lines. Without -2 the tap sees the one-pass items.
 *   - pcapng packet comments are items of severity Comment, group "Comment", protocol "Frame".
 */
import type { ExpertItem } from './expert';
import type { Severity } from '../tcp/flags';

export type SummarySeverity = Severity | 'comment';

const SEVERITIES: [SummarySeverity, string][] = [
  ['error', 'Errors'],
  ['warn', 'Warns'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
  ['comment', 'Comments'],
];

export interface SummaryLine {
  group: string;
  protocol: string;
  summary: string;
  count: number;
}

export class ExpertTally {
  /** severity → (group, protocol, summary) → line, in first-seen order. */
  readonly bySeverity = new Map<SummarySeverity, Map<string, SummaryLine>>();

  private bump(sev: SummarySeverity, group: string, protocol: string, summary: string): void {
    let m = this.bySeverity.get(sev);
    if (!m) this.bySeverity.set(sev, (m = new Map()));
    const k = `${group}\u0000${protocol}\u0000${summary}`;
    const line = m.get(k);
    if (line) line.count++;
    else m.set(k, { group, protocol, summary, count: 1 });
  }

  add(e: ExpertItem): void {
    this.bump(e.severity, e.group, e.protocol, e.summary);
  }

  /** Lines by item object, for callers that reuse one object per distinct item (no key string per call). */
  private readonly byItem = new Map<ExpertItem, SummaryLine>();

  /** Count an item object the caller reuses for every occurrence of the same item. */
  addStable(e: ExpertItem): void {
    const line = this.byItem.get(e);
    if (line) {
      line.count++;
      return;
    }
    this.bump(e.severity, e.group, e.protocol, e.summary);
    const m = this.bySeverity.get(e.severity)!;
    this.byItem.set(e, m.get(`${e.group}\u0000${e.protocol}\u0000${e.summary}`)!);
  }

  addAll(items: ExpertItem[]): void {
    for (const e of items) this.add(e);
  }

  /** A frame's pcapng comments (tshark lists them as Comment items of the Frame protocol). */
  addComments(comments: readonly string[] | undefined): void {
    for (const text of comments ?? []) this.bump('comment', 'Comment', 'Frame', text);
  }

  count(s: SummarySeverity): number {
    let n = 0;
    for (const v of this.bySeverity.get(s)?.values() ?? []) n += v.count;
    return n;
  }
}

export function formatExpertSummary(t: ExpertTally): string {
  let s = '';
  for (const [sev, title] of SEVERITIES) {
    const m = t.bySeverity.get(sev);
    if (!m || m.size === 0) continue;
    s += `\n${title} (${t.count(sev)})\n${'='.repeat(13)}\n`;
    s += '   Frequency      Group           Protocol  Summary\n';
    for (const l of m.values()) s += `${String(l.count).padStart(12)} ${l.group.padStart(10)} ${l.protocol.padStart(18)}  ${l.summary}\n`;
  }
  return s;
}

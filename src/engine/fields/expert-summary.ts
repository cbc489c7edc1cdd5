/** The expert-info summary (`tshark -q -z expert`): counts per severity, group, protocol and summary. */
import type { ExpertItem } from './expert';
import type { Severity } from '../tcp/flags';

const SEVERITIES: [Severity, string][] = [
  ['error', 'Errors'],
  ['warn', 'Warns'],
  ['note', 'Notes'],
  ['chat', 'Chats'],
];

export class ExpertTally {
  /** severity → key "group\tprotocol\tsummary" → count, in first-seen order. */
  readonly bySeverity = new Map<Severity, Map<string, number>>();

  add(e: ExpertItem): void {
    let m = this.bySeverity.get(e.severity);
    if (!m) this.bySeverity.set(e.severity, (m = new Map()));
    const k = `${e.group}\t${e.protocol}\t${e.summary}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  addAll(items: ExpertItem[]): void {
    for (const e of items) this.add(e);
  }

  count(s: Severity): number {
    let n = 0;
    for (const v of this.bySeverity.get(s)?.values() ?? []) n += v;
    return n;
  }
}

export function formatExpertSummary(t: ExpertTally): string {
  let s = '';
  for (const [sev, title] of SEVERITIES) {
    const m = t.bySeverity.get(sev);
    if (!m || m.size === 0) continue;
    const total = t.count(sev);
    const head = `${title} (${total})`;
    s += `\n${head}\n${'='.repeat(13)}\n`;
    s += '   Frequency      Group           Protocol  Summary\n';
    for (const [k, n] of m) {
      const [group, proto, summary] = k.split('\t');
      s += `${String(n).padStart(12)} ${group.padStart(10)} ${proto.padStart(18)}  ${summary}\n`;
    }
  }
  return s;
}

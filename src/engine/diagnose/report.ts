/** The readable `--diagnose` report: connections with problems, each with its items, facts and evidence frames. */
import type { Diagnosis } from '../model/types';

const SEVERITY_WORD: Record<Diagnosis['severity'], string> = { error: 'Error', warn: 'Warning', note: 'Note', chat: 'Chat' };

export function formatDiagnoses(items: readonly Diagnosis[], streams: number): string {
  if (items.length === 0) return `No problems found in ${streams} TCP connection${streams === 1 ? '' : 's'}.\n`;
  const byStream = new Map<number, Diagnosis[]>();
  for (const d of items) {
    const l = byStream.get(d.stream);
    if (l) l.push(d);
    else byStream.set(d.stream, [d]);
  }
  let out = `${items.length} diagnos${items.length === 1 ? 'is' : 'es'} on ${byStream.size} of ${streams} TCP connection${streams === 1 ? '' : 's'}.\n`;
  for (const [s, l] of byStream) {
    out += `\nConnection ${s} (tcp.stream eq ${s}): ${l[0].endpoints[0]} → ${l[0].endpoints[1]}\n`;
    for (const d of l) {
      out += `  [${SEVERITY_WORD[d.severity]}] ${d.kind}\n`;
      out += wrap(d.summary, '    ');
      for (const f of d.facts) out += `    - ${f.text}\n`;
      out += `    frames: ${d.frames.join(', ')}\n`;
    }
  }
  return out;
}

/** Wrap at 100 columns with an indent. */
function wrap(text: string, indent: string): string {
  const words = text.split(' ');
  let line = indent;
  let out = '';
  for (const w of words) {
    if (line.length + w.length + 1 > 100 && line.trim() !== '') {
      out += line.trimEnd() + '\n';
      line = indent;
    }
    line += w + ' ';
  }
  return out + line.trimEnd() + '\n';
}

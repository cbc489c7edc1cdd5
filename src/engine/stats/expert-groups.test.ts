/**
 * The Expert Information panel's groups count what `tshark -q -z expert` counts: no tree is built
 * there, so the tree-only "4 NOP in a row" item (which `-T fields`/the detail pane show) is not
 * counted — checked against tshark 4.0.17 run live on a capture built here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conn, writePcap, type Record_ } from '../../../test/capture/build';
import { tshark } from '../../../test/run-cli';
import { CaptureSession, MemorySource } from '../index';
import { expertGroups } from './expert-groups';
import { expertCounts, tallyExperts } from '../fields/expert-tally';
import { formatExpertSummary } from '../fields/expert-summary';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqscope-expert-groups-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A SYN whose options start with four NOPs (the tree-only item), a zero window and a retransmission. */
function capture(): Uint8Array {
  const r: Record_[] = [];
  new Conn(r, { cport: 40000, sport: 80 })
    .c('0.000', 'S', 0, 0, 64240, 0, { options: [{ nop: true }, { nop: true }, { nop: true }, { nop: true }, { mss: 1460 }] })
    .s('0.001', 'SA', 0, 1, 65160, 0, { options: [{ mss: 1460 }] })
    .c('0.002', 'A', 1, 1, 502)
    .c('0.003', 'PA', 1, 1, 502, 100)
    .c('0.300', 'PA', 1, 1, 502, 100)
    .s('0.301', 'A', 1, 101, 0);
  return writePcap(r);
}

describe('expertGroups = -q -z expert', () => {
  it('same items and counts as tshark, without the tree-only 4-NOP item', async () => {
    const bytes = capture();
    const f = join(dir, 'nop.pcap');
    writeFileSync(f, bytes);
    const s = new CaptureSession(new MemorySource(bytes));
    await s.load();
    const groups = expertGroups(s);
    expect(groups.some((g) => g.summary.startsWith('4 NOP in a row'))).toBe(false);
    // The tally -z expert prints (no tree), and tshark's own text, have the same lines.
    const tally = (await tallyExperts(s, { twoPass: true, tree: false }))!;
    expect(formatExpertSummary(tally)).toBe(await tshark(['-2', '-n', '-r', f, '-q', '-z', 'expert']));
    const lines = [...tally.bySeverity].flatMap(([sev, m]) => [...m.values()].map((l) => `${sev} ${l.group} ${l.protocol} ${l.summary} ${l.count}`));
    expect(groups.map((g) => `${g.severity} ${g.group} ${g.protocol} ${g.summary} ${g.count}`).sort()).toEqual(lines.sort());
    expect(groups.length).toBeGreaterThan(1);
    // The status bar's counts are the panel's, severity by severity.
    const counts = (await expertCounts(s))!;
    for (const sev of ['error', 'warn', 'note', 'chat'] as const)
      expect(counts[sev], sev).toBe(groups.filter((g) => g.severity === sev).reduce((a, g) => a + g.count, 0));
    // With a tree (the detail pane, -T fields) the item is there: the capture does carry it.
    const withTree = (await tallyExperts(s, { twoPass: true, tree: true }))!;
    expect(formatExpertSummary(withTree)).toContain('4 NOP in a row');
  });
});

/**
 * The whole display-filter suite in process: every capture of ../shared/captures and
 * captures/real/ppa3 × every filter of conformance/filters.txt, against tshark 4.0.17's answers in
 * conformance/expected-filters/*.json (frames as ranges, null where tshark refuses the filter).
 * The CLI checker (filter-compare.mjs) runs on a sample in scripts/conformance.sh.
 *
 * The app-layer section needs dissectors not written yet: its score is printed, not required.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, CONFORMANCE, HAS_SHARED } from '../../../test/corpora';
import { CaptureSession, MemorySource } from '../index';
import { compileFilter, filterFrames } from './index';

interface Expected {
  filters: string[];
  refused: Record<string, string>;
  captures: Record<string, { frames: number; match: (string | null)[] }>;
}

function ranges(s: string): number[] {
  const out: number[] = [];
  if (s === '') return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let n = a; n <= (b ?? a); n++) out.push(n);
  }
  return out;
}

function sections(): Map<string, string> {
  const m = new Map<string, string>();
  let section = '';
  for (const raw of readFileSync(join(CONFORMANCE, 'filters.txt'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const s = /^#\s*\[([^\]]+)\]/.exec(line);
      if (s) section = s[1];
      continue;
    }
    m.set(line, section);
  }
  return m;
}

/**
 * Pairs known to disagree for a reason outside the filter engine, each with its reason. The test
 * fails when a pair not listed disagrees, and says when a listed one has started to agree.
 */
const KNOWN_GAPS: Record<string, string> = {};

/** Run one corpus; returns the disagreements (filter, capture, why) outside the app-layer section and the app-layer score. */
export async function runCorpus(expectedFile: string, dir: string) {
  const exp = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
  const sec = sections();
  const compiled = exp.filters.map((t) => compileFilter(t));
  const bad: string[] = [];
  let total = 0;
  let agree = 0;
  let appTotal = 0;
  let appAgree = 0;
  const stale: string[] = [];
  // Refusals do not depend on the capture.
  exp.filters.forEach((t, i) => {
    const refused = exp.refused[String(i)] !== undefined;
    const c = compiled[i];
    if (refused && c.ok) bad.push(`${t}: tshark refuses it (${exp.refused[String(i)]}), accepted`);
  });
  const files = readdirSync(dir).filter((f) => exp.captures[f]);
  for (const name of files) {
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(join(dir, name)))));
    await s.load();
    const want = exp.captures[name];
    for (let i = 0; i < exp.filters.length; i++) {
      const w = want.match[i];
      if (w === null || w === undefined) continue;
      const app = sec.get(exp.filters[i])?.startsWith('app-layer') ?? false;
      const c = compiled[i];
      let got: string;
      if (!c.ok) got = `refused: ${c.error.message}`;
      else got = Array.from(await filterFrames(s, c.filter, 1, s.frameCount)).join(',');
      const exact = got === ranges(w).join(',');
      const gap = KNOWN_GAPS[`${exp.filters[i]} on ${name}`] !== undefined;
      if (exact && gap) stale.push(`${exp.filters[i]} on ${name}`);
      const ok = exact || gap;
      if (app) {
        appTotal++;
        if (ok) appAgree++;
      } else {
        total++;
        if (ok) agree++;
        else bad.push(`${exp.filters[i]} on ${name}: want ${w}, got ${got.length > 200 ? got.slice(0, 200) + '…' : got}`);
      }
    }
  }
  return { bad, stale, total, agree, appTotal, appAgree };
}

describe.skipIf(!HAS_SHARED)('display filters: the suite against tshark 4.0.17 (in process)', () => {
  for (const [corpus, dir] of [
    ['captures', CAPTURES],
    ['ppa3', join(CAPTURES, 'real/ppa3')],
  ] as const) {
    it(`${corpus}: every (filter, capture) pair outside the app-layer section gives tshark's frames`, { timeout: 600_000 }, async () => {
      const r = await runCorpus(join(CONFORMANCE, 'expected-filters', `${corpus}.json`), dir);
      console.log(`filters ${corpus}: ${r.agree}/${r.total} pairs agree; app-layer (later) ${r.appAgree}/${r.appTotal}`);
      expect(r.bad.slice(0, 40)).toEqual([]);
      // A listed gap that agrees again should leave the list.
      expect(r.stale).toEqual([]);
    });
  }
});

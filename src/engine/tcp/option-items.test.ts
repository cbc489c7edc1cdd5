/**
 * The option items the analyzer lists while loading (FrameTable.optionItems, behind its cheap
 * X_OPTION_ITEMS walk) must be exactly what optionItems() lists for the re-decoded frame: the
 * walk may over-mark, never miss. Checked on every TCP frame of the shared corpora, tcpdump's
 * malformed captures included. (What the items say is checked against live tshark in
 * fields/expert-summary.test.ts, which crafts every kind.)
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURES as shared, HAS_SHARED } from '../../../test/corpora';
import { ownedFiles } from '../../../test/owned';
import { CaptureSession, MemorySource } from '../index';
import { Packet } from '../decode/packet';
import { decodeAgain } from '../fields/decode-again';
import { TF_QUOTED, TF_TCP } from './frames';
import { optionItems } from './option-items';

const dirs = HAS_SHARED ? [shared, join(shared, 'real/ppa3'), join(shared, 'real/tcpdump-tests')].filter((d) => existsSync(d)) : [];
const files = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f))
    .map((f) => join(d, f)),
);

/** Checks every TCP frame of the files; returns how many frames and how often each item was seen. */
async function compare(files: string[]): Promise<{ frames: number; seen: Map<string, number> }> {
  const seen = new Map<string, number>();
  let frames = 0;
  for (const f of files) {
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(f)), f));
    await s.load();
    if (s.frameCount === 0) continue;
    const { bytes, offsets } = await s.readFrames(1, s.frameCount);
    const p = new Packet();
    const t = s.frames;
    for (let n = 1; n <= s.frameCount; n++) {
      if (!(t.tflags[n - 1] & TF_TCP) || t.tflags[n - 1] & TF_QUOTED) continue;
      const c = decodeAgain(s, p, n, bytes, offsets[n - 1]);
      const want = optionItems(c.p);
      expect(t.optionItems.get(n) ?? [], `${f} frame ${n}`).toEqual(want);
      for (const o of want) seen.set(o.summary, (seen.get(o.summary) ?? 0) + 1);
      frames++;
    }
  }
  return { frames, seen };
}

describe('option items listed while loading', () => {
  it('equal the items of every re-decoded TCP frame of the captures the project owns', async () => {
    const { frames, seen } = await compare(ownedFiles());
    expect(frames).toBeGreaterThan(1500);
    expect(seen.size).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_SHARED)(
    'equal the items of every re-decoded TCP frame, over all corpora',
    async () => {
      const { frames, seen } = await compare(files);
      // Not vacuous: the corpora hold frames with each kind of item the walk must not miss.
      expect(frames).toBeGreaterThan(10_000);
      expect(seen.get('D-SACK Sequence')).toBeGreaterThan(0);
      expect(seen.get('4 NOP in a row - a router may have removed some options')).toBeGreaterThan(0);
      expect(seen.get('Non-zero header padding')).toBeGreaterThan(0);
    },
    120_000,
  );
});

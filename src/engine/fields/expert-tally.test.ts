/**
 * The column-based expert tally (expert-tally.ts, used by `-z expert` and the status bar)
 * must list exactly what frameExperts() (and frameNetExperts(), the other layers' items of the
 * detail tree) list frame by frame from re-decoded bytes, over
 * every capture the project owns and every capture of the corpora when present, in both tree modes.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CAPTURES as dir, HAS_SHARED } from '../../../test/corpora';
import { owned, ownedFiles } from '../../../test/owned';
import { CaptureSession, MemorySource } from '../index';
import { Packet } from '../decode/packet';
import { frameExperts } from './expert';
import { appExperts, prepareApp } from '../dissect/app';
import { ExpertTally, formatExpertSummary } from './expert-summary';
import { tallyExperts } from './expert-tally';
import { decodeAgain } from './decode-again';
import { frameNetExperts } from './expert-net';
import { treeSide } from './tree/side';

const corpora = HAS_SHARED
  ? readdirSync(dir)
      .filter((f) => /\.(pcap|pcapng|gz)$/.test(f))
      .sort()
      .map((f) => join(dir, f))
  : [];
const captures = [...ownedFiles(), ...corpora];

async function reference(s: CaptureSession, tree: boolean): Promise<string> {
  await prepareApp(s, s.frameCount);
  const side = await treeSide(s);
  const tally = new ExpertTally();
  const p = new Packet();
  const { bytes, offsets } = await s.readFrames(1, s.frameCount);
  for (let n = 1; n <= s.frameCount; n++) {
    tally.addComments(s.frames.comments.get(n));
    const c = decodeAgain(s, p, n, bytes, offsets[n - 1]);
    // The headers' items before TCP's, TCP's, the application PDUs', the Ethernet trailer's.
    const net = frameNetExperts(c, side);
    tally.addAll([...net.pre, ...frameExperts(c, { tree }), ...appExperts(c), ...net.post]);
  }
  return formatExpertSummary(tally);
}

describe('expert tally from columns equals the per-frame expert items', () => {
  it.each(captures.map((f) => [basename(f), f]))('%s', async (name, path) => {
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(path)), name));
    await s.load();
    for (const tree of [true, false]) {
      const fromColumns = await tallyExperts(s, { twoPass: true, tree });
      expect(formatExpertSummary(fromColumns!)).toBe(await reference(s, tree));
    }
  });

  it('lists something for a capture with flags (the comparison is not vacuous)', async () => {
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(owned('c_zero_window_probes.pcap')))));
    await s.load();
    const text = formatExpertSummary((await tallyExperts(s))!);
    expect(text).toContain('TCP Zero Window Probe');
    expect(text).toContain('Connection establish request (SYN): server port');
  });
});

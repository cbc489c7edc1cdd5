/**
 * Property: the column fast path equals the re-decode path. For every frame of every corpus
 * capture (../shared/captures and captures/real/ppa3), every field the filter reads from the frame
 * table (`column`, `columns`) gives the values that re-reading and re-decoding the frame gives.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { Packet } from '../decode/packet';
import { decodeAgain } from '../fields/decode-again';
import { listFields } from '../fields/registry';
import { CaptureSession, MemorySource } from '../index';
import { fieldVals } from './compile';

const captureFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
    .map((f) => join(dir, f));

describe.skipIf(!HAS_SHARED)('column fast path = re-decode path, on every corpus frame', () => {
  const fields = listFields().filter((f) => f.column || f.columns);
  it('covers the fields the issue names (stream, flags, lengths, times, RTT, ports, addresses)', () => {
    const names = fields.map((f) => f.name);
    for (const n of [
      'tcp.stream',
      'tcp.analysis.flags',
      'frame.len',
      'frame.time_relative',
      'tcp.flags.push',
      'tcp.analysis.ack_rtt',
      'tcp.analysis.bytes_in_flight',
      'tcp.port',
      'ip.addr',
    ])
      expect(names).toContain(n);
  });
  for (const [corpus, dir] of [
    ['captures', CAPTURES],
    ['ppa3', join(CAPTURES, 'real/ppa3')],
  ] as const) {
    it(corpus, { timeout: 300_000 }, async () => {
      const bad: string[] = [];
      let frames = 0;
      for (const file of captureFiles(dir)) {
        const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(file))));
        await s.load();
        if (s.frameCount === 0) continue;
        const { bytes, offsets } = await s.readFrames(1, s.frameCount);
        const p = new Packet();
        const buf: number[] = [];
        for (let n = 1; n <= s.frameCount; n++) {
          const c = decodeAgain(s, p, n, bytes, offsets[n - 1]);
          frames++;
          for (const f of fields) {
            const want = (fieldVals(f, c) as number[]).slice().sort((a, b) => a - b);
            let got: number[] | undefined;
            if (f.column) {
              const v = f.column(s, n);
              got = v === v ? [v] : [];
            } else {
              const k = f.columns!(s, n, buf);
              if (k >= 0) got = buf.slice(0, k).sort((a, b) => a - b);
            }
            // Labels (FT_NONE) are only ever tested for existence (tcp.analysis.duplicate_ack shows twice).
            const same = f.type === 'none' ? (got?.length ?? 0) > 0 === want.length > 0 : got?.join() === want.join();
            if (got !== undefined && !same && bad.length < 30)
              bad.push(`${file.split('/').pop()} #${n} ${f.name}: columns ${got.join()} vs decoded ${want.join()}`);
          }
        }
      }
      expect(frames).toBeGreaterThan(1000);
      expect(bad).toEqual([]);
    });
  }
});

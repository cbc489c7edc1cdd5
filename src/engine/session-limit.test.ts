// The memory guard of CaptureSession.load (frameLimit): a capture with more frames stops with a
// clear message and keeps the frames read; one with exactly that many frames loads normally.
// Also: ten million tiny frames stream through a lazily generated source (no file in memory).
import { describe, expect, it } from 'vitest';
import { CaptureSession, type ByteSource } from './index';
import { pcapHeader, pcapRecord } from '../../test/capture/build';

/** A pcap of `n` 14-byte Ethernet frames, generated on demand. */
function tinyFrames(n: number): ByteSource {
  const hdr = pcapHeader({ snapLen: 65535 });
  const rec = pcapRecord({ ts: 0n, data: new Uint8Array(14) });
  const REC = rec.length;
  const size = 24 + n * REC;
  return {
    name: 'tiny',
    size,
    read(off: number, len: number) {
      len = Math.max(0, Math.min(len, size - off));
      const out = new Uint8Array(len);
      for (let i = 0; i < len; ) {
        const p = off + i;
        if (p < 24) {
          out[i++] = hdr[p];
          continue;
        }
        const r = (p - 24) % REC;
        const k = Math.min(REC - r, len - i);
        out.set(rec.subarray(r, r + k), i);
        i += k;
      }
      return Promise.resolve(out);
    },
  };
}

describe('frame limit', () => {
  it('stops past the limit with a message naming it, keeping the frames read', async () => {
    const s = new CaptureSession(tinyFrames(5000));
    const r = await s.load({ frameLimit: 1000, chunkSize: 4096 });
    expect(r.frames).toBe(1000);
    expect(s.frameCount).toBe(1000);
    expect(r.error?.message).toMatch(/more than 1,000 frames: seqscope stopped after frame 1,000/);
    expect(r.error?.frame).toBe(1001);
    expect(r.error?.offset).toBe(24 + 1000 * 30);
  });

  it('a capture with exactly the limit loads without a message', async () => {
    const r = await new CaptureSession(tinyFrames(1000)).load({ frameLimit: 1000, chunkSize: 4096 });
    expect(r.frames).toBe(1000);
    expect(r.error).toBeUndefined();
  });

  it('ten million tiny frames stream through; only the frame table is kept', async () => {
    const s = new CaptureSession(tinyFrames(10_000_000));
    const r = await s.load();
    expect(r.frames).toBe(10_000_000);
    expect(r.error).toBeUndefined();
    expect(s.frames.retainedBytes() / r.frames).toBeLessThan(60);
  });
});

/** Re-decoding a frame already loaded (rows, details, expert items). */
import type { Packet } from '../decode/packet';
import type { CaptureSession } from '../session';
import { frameCtx, type FrameCtx } from './project';

/**
 * Decode frame `n` again from `buf[off, off+capLen)`. Uses the session's decoder with replay
 * switched on only for this synchronous call, so reassembled IP fragments (kept by that
 * decoder's defragmenter) are found and nothing is recorded; the load, which runs between
 * awaits, never sees the flag changed.
 */
export function decodeAgain(s: CaptureSession, p: Packet, n: number, buf: Uint8Array, off: number): FrameCtx {
  const t = s.frames;
  const dec = s.decoder;
  const before = dec.defrag.replay;
  dec.replay = true;
  try {
    dec.decode(p, buf, off, t.capLen[n - 1], t.origLen[n - 1], s.linkType(n), n);
  } finally {
    dec.replay = before;
  }
  return frameCtx(s, n, p, buf, off);
}


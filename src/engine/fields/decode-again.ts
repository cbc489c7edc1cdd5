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


/** Bytes read at most in one go, and the gap between two wanted frames that starts a new read. */
const SPAN = 4 * 1024 * 1024;
const GAP = 256 * 1024;

/**
 * Read frames `frames` (ascending, 1-based) again, in order: neighbouring frames are read with one
 * read (at most 4 MiB; a gap of more than 256 KiB of other frames starts a new read), so a stream
 * spread thinly over a big capture does not read the whole file. `each` gets the frame's bytes at
 * `buf[off, off + capLen)` (valid during the call only). Yields between reads.
 */
export async function readFramesBatched(s: CaptureSession, frames: ArrayLike<number>, each: (n: number, buf: Uint8Array, off: number) => void): Promise<void> {
  const t = s.frames;
  for (let k = 0; k < frames.length; ) {
    const first = frames[k];
    const lo = t.offsetOf(first - 1);
    let end = lo + t.capLen[first - 1];
    let j = k + 1;
    while (j < frames.length) {
      const o = t.offsetOf(frames[j] - 1);
      const e = o + t.capLen[frames[j] - 1];
      if (e - lo > SPAN || o - end > GAP) break;
      end = Math.max(end, e);
      j++;
    }
    const last = frames[j - 1];
    const { bytes, offsets } = await s.readFrames(first, last);
    for (let q = k; q < j; q++) {
      const n = frames[q];
      each(n, bytes, offsets[n - first]);
    }
    k = j;
  }
}

/**
 * Decode frames `frames` (ascending, 1-based) again, in order, read as readFramesBatched reads
 * them. `each` gets the frame's context (valid during the call only).
 */
export function decodeFrames(s: CaptureSession, p: Packet, frames: ArrayLike<number>, each: (n: number, c: FrameCtx) => void): Promise<void> {
  return readFramesBatched(s, frames, (n, bytes, off) => each(n, decodeAgain(s, p, n, bytes, off)));
}

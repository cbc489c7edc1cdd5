/**
 * Packet-list rows for a range of frames.
 *
 *   readRows(session, first, last)
 *     └─ CaptureSession.readFrames (one ranged read) ─▶ decodeAgain (replay) ─▶ frameCtx
 *          ─▶ addresses / info / flagWords / colourRule (fields/summary.ts) ─▶ FrameRow[]
 *
 * Rows may be asked for while the session is still loading (the worker interleaves calls
 * between 4 MiB chunks): only frames already in the FrameTable are returned, and the host
 * asks again once the load is done, because finalize() can still change -2 artefacts.
 */
import { Packet } from '../decode/packet';
import type { CaptureSession } from '../session';
import type { FrameRow } from '../model/types';
import type { FrameCtx } from './project';
import { decodeAgain } from './decode-again';
import { addresses, colourRule, flagWords, info } from './summary';

/** At most this many rows per call: a viewport plus overscan is far less. */
export const MAX_ROWS_PER_CALL = 2000;

/** Build the row of a decoded frame. */
export function rowOf(c: FrameCtx): FrameRow {
  const t = c.s.frames;
  const { source, destination } = addresses(c);
  const rule = colourRule(c);
  return {
    number: c.n,
    time: t.nsBetween(c.n, 1) / 1e9,
    source,
    destination,
    protocol: c.p.proto || 'Frame',
    length: t.origLen[c.n - 1],
    info: info(c),
    flags: flagWords(c),
    colorRule: rule ? rule.name : '',
    background: rule ? rule.background : '',
    foreground: rule ? rule.foreground : '',
    stream: t.stream[c.n - 1],
  };
}

/** Rows of frames first..last (1-based, inclusive), clipped to the frames read so far. */
export async function readRows(s: CaptureSession, first: number, last: number): Promise<FrameRow[]> {
  const lo = Math.max(1, Math.floor(first));
  const hi = Math.min(s.frames.count, Math.floor(last), lo + MAX_ROWS_PER_CALL - 1);
  if (!(hi >= lo)) return [];
  const { bytes, offsets } = await s.readFrames(lo, hi);
  const p = new Packet();
  const rows: FrameRow[] = [];
  for (let n = lo; n <= hi; n++) {
    const off = offsets[n - lo];
    // A short read (file changed or truncated under us) leaves the frame undecodable.
    if (off === undefined || off + s.frames.capLen[n - 1] > bytes.length) break;
    rows.push(rowOf(decodeAgain(s, p, n, bytes, off)));
  }
  return rows;
}

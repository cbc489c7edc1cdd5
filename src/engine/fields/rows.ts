/**
 * Packet-list rows for a range of frames, and the whole-capture expert tally.
 *
 *   readRows(session, first, last)
 *     └─ CaptureSession.readFrames (one ranged read) ─▶ decodeAgain (replay) ─▶ frameCtx
 *          ─▶ addresses / info / flagWords / colourRule (fields/summary.ts) ─▶ FrameRow[]
 *
 * Rows may be asked for while the session is still loading (the worker interleaves calls
 * between 4 MiB chunks): only frames already in the FrameTable are returned, and the host
 * asks again once the load is done, because finalize() can still change -2 artefacts.
 */
import { CaptureReader } from '../capture/reader';
import { Packet } from '../decode/packet';
import type { CaptureSession } from '../session';
import type { ExpertCounts, FrameRow } from '../model/types';
import { frameExperts } from './expert';
import { frameCtx, type FrameCtx } from './project';
import { addresses, colourRule, flagWords, info } from './summary';

/** At most this many rows per call: a viewport plus overscan is far less. */
export const MAX_ROWS_PER_CALL = 2000;

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

export interface TallyOptions {
  /** Polled between chunks; return true to stop. */
  isCancelled?: () => boolean;
  chunkSize?: number;
}

/**
 * Expert items of every frame, counted by severity (the status bar's figures). Re-reads the
 * source once like the CLI's printing pass; awaits between chunks so other calls interleave.
 * Call after load() has finished.
 */
export async function tallyExperts(s: CaptureSession, opts: TallyOptions = {}): Promise<ExpertCounts | undefined> {
  const counts: ExpertCounts = { error: 0, warn: 0, note: 0, chat: 0 };
  const total = s.frames.count;
  const p = new Packet();
  let n = 0;
  const reader = new CaptureReader({
    onFrame(buf: Uint8Array, off: number) {
      n++;
      if (n > total) return;
      for (const e of frameExperts(decodeAgain(s, p, n, buf, off))) counts[e.severity]++;
    },
  });
  const chunk = opts.chunkSize ?? 4 * 1024 * 1024;
  let pos = 0;
  while (n < total) {
    if (opts.isCancelled?.()) return undefined;
    const bytes = await s.source.read(pos, chunk);
    if (bytes.length === 0) break;
    pos += bytes.length;
    reader.push(bytes);
    if (reader.done) break;
  }
  return counts;
}

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
import { treeSide } from './tree/side';
import { addresses, colourRule, flagWords, info, protocolColumn } from './summary';
import { appProtocol, appStreams, prepareApp } from '../dissect/app';
import { TF_QUOTED, TF_TCP } from '../tcp/frames';
import { getField } from './registry';
import { DEFAULT_TIME_VIEW, timeCell, type TimeView } from './time-format';

/** How rows are shown: the Time column's format and references, and "Apply as column" fields. */
export interface RowOpts {
  time: TimeView;
  /** Field names of the added columns: each row gets their values in `extra`. */
  columns: readonly string[];
}

export const DEFAULT_ROW_OPTS: RowOpts = { time: DEFAULT_TIME_VIEW, columns: [] };

/** A field column's text: every occurrence, comma-separated (tshark -T fields' default). */
function fieldText(c: FrameCtx, name: string): string {
  const f = getField(name);
  if (!f) return '';
  try {
    return f.all(c).join(',');
  } catch {
    return '';
  }
}

/** At most this many rows per call: a viewport plus overscan is far less. */
export const MAX_ROWS_PER_CALL = 2000;

/**
 * Build the row of a decoded frame. `prevDisplayed`: the displayed frame before it in frame
 * order (0: none), for the "since previous displayed frame" time format.
 */
export function rowOf(c: FrameCtx, opts: RowOpts = DEFAULT_ROW_OPTS, prevDisplayed = c.n - 1): FrameRow {
  const t = c.s.frames;
  const { source, destination } = addresses(c);
  const rule = colourRule(c);
  return {
    number: c.n,
    time: t.nsBetween(c.n, 1) / 1e9,
    timeText: timeCell(t, c.n, opts.time, prevDisplayed),
    extra: opts.columns.length ? opts.columns.map((name) => fieldText(c, name)) : undefined,
    source,
    destination,
    protocol: protocolColumn(c),
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
export async function readRows(s: CaptureSession, first: number, last: number, opts?: RowOpts): Promise<FrameRow[]> {
  const lo = Math.max(1, Math.floor(first));
  const hi = Math.min(s.frames.count, Math.floor(last), lo + MAX_ROWS_PER_CALL - 1);
  if (!(hi >= lo)) return [];
  // Echo request/reply links in the Info column need the capture-wide pass (once, after the load).
  if (s.isLoaded) await treeSide(s);
  await prepareApp(s, hi);
  const { bytes, offsets } = await s.readFrames(lo, hi);
  const p = new Packet();
  const rows: FrameRow[] = [];
  for (let n = lo; n <= hi; n++) {
    const off = offsets[n - lo];
    // A short read (file changed or truncated under us) leaves the frame undecodable.
    if (off === undefined || off + s.frames.capLen[n - 1] > bytes.length) break;
    rows.push(rowOf(decodeAgain(s, p, n, bytes, off), opts));
  }
  return rows;
}

/**
 * Frames closer than this (in bytes of the capture) are read together by readRowsOf, up to
 * SPAN_BYTES a read: in the browser a read is a Blob slice with its own round trip (~1 ms), so
 * reading through a gap is cheaper than a second read. Sorting by Source decodes the first frame
 * of each conversation direction, spread over the file: 64 KiB gaps took 820 ms for the bench
 * capture's 580 k frames in bench:browser.
 */
const GAP_BYTES = 512 * 1024;
const SPAN_BYTES = 4 * 1024 * 1024;

/**
 * Decode the frames `order` (ascending, distinct frame numbers) and hand each to `visit`.
 * Neighbouring frames are read with one ranged read (gaps under GAP_BYTES are read through and
 * skipped), so a dense list costs about as much as readRows and a sparse one one read per frame.
 * A frame that cannot be read (the file changed under us) is skipped.
 */
async function decodeEach(s: CaptureSession, order: ArrayLike<number>, visit: (c: FrameCtx) => void): Promise<void> {
  const t = s.frames;
  const p = new Packet();
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    const start = t.offsetOf(order[i] - 1);
    let end = start + t.capLen[order[i] - 1];
    while (j < order.length && t.offsetOf(order[j] - 1) - end < GAP_BYTES && end - start < SPAN_BYTES) {
      end = Math.max(end, t.offsetOf(order[j] - 1) + t.capLen[order[j] - 1]);
      j++;
    }
    // One read spanning the group (gzip re-inflates through the session's window cache); the
    // frames between the wanted ones are not even looked at (a sparse list spans many).
    const bytes = await s.readRange(start, end - start);
    for (let k = i; k < j; k++) {
      const n = order[k];
      const off = t.offsetOf(n - 1) - start;
      if (off + t.capLen[n - 1] > bytes.length) continue;
      visit(decodeAgain(s, p, n, bytes, off));
    }
    i = j;
  }
}

/**
 * Rows of arbitrary frames (a filtered or sorted view), in the order given (read by decodeEach).
 */
export async function readRowsOf(
  s: CaptureSession,
  frames: ArrayLike<number>,
  opts?: RowOpts,
  prevDisplayed: (n: number) => number = (n) => n - 1,
): Promise<FrameRow[]> {
  const t = s.frames;
  const want = Array.from({ length: Math.min(frames.length, MAX_ROWS_PER_CALL) }, (_, i) => frames[i]).filter((n) => n >= 1 && n <= t.count);
  // Frame numbers follow the file's order: neighbours in number are neighbours in bytes.
  const order = [...new Set(want)].sort((a, b) => a - b);
  if (order.length) await prepareApp(s, order[order.length - 1]);
  const byFrame = new Map<number, FrameRow>();
  await decodeEach(s, order, (c) => byFrame.set(c.n, rowOf(c, opts, prevDisplayed(c.n))));
  const out: FrameRow[] = [];
  for (const n of want) {
    const r = byFrame.get(n);
    if (!r) break; // keep the answer a prefix of what was asked
    out.push(r);
  }
  return out;
}

/** The packet-list columns that only a decode gives, as text (sorting). */
export type TextColumn = 'source' | 'destination' | 'protocol' | 'info';

/**
 * Text columns of frames `frames` (ascending, distinct, all loaded), one array per column, ''
 * for a frame that cannot be read: the cells readRowsOf would give, without building the rest
 * of the rows, from one decode of each frame. The application layer's sweep (prepareApp) is
 * made only when a cell can depend on it: Info, or the Protocol of a frame of a TCP conversation
 * (the application layer is reached through the stream column); Source and Destination never need it.
 */
export async function readColumnsOf(s: CaptureSession, frames: ArrayLike<number>, cols: readonly TextColumn[]): Promise<string[][]> {
  const out = cols.map(() => new Array<string>(frames.length).fill(''));
  if (!frames.length) return out;
  const t = s.frames;
  let needApp = cols.includes('info');
  if (!needApp && cols.includes('protocol')) for (let i = 0; i < frames.length && !needApp; i++) needApp = t.stream[frames[i] - 1] >= 0;
  if (needApp) await prepareApp(s, frames[frames.length - 1]);
  const cells = cols.map((col): ((c: FrameCtx) => string) =>
    col === 'source' ? (c) => addresses(c).source : col === 'destination' ? (c) => addresses(c).destination : col === 'protocol' ? protocolColumn : info,
  );
  let i = 0;
  await decodeEach(s, frames, (c) => {
    while (frames[i] < c.n) i++;
    for (let k = 0; k < cells.length; k++) out[k][i] = cells[k](c);
    i++;
  });
  return out;
}

/**
 * The Protocol column of tracked TCP frames from the columns alone, once prepareApp has fed
 * them: the top application PDU's word, else "TCP" (what protocolColumn says of such a frame).
 * Undefined for the other frames (no TCP, TCP quoted in ICMP, untracked): decode those.
 * Checked against protocolColumn on every corpus frame (worker/view.test.ts).
 */
export function protocolFromColumns(s: CaptureSession): (n: number) => string | undefined {
  const t = s.frames;
  const streams = appStreams(s);
  return (n) => {
    const tf = t.tflags[n - 1];
    const st = t.stream[n - 1];
    if (!(tf & TF_TCP) || tf & TF_QUOTED || st < 0) return undefined;
    const a = streams[st]?.frames.get(n);
    return a && a.pdus.length ? appProtocol(a) : 'TCP';
  };
}

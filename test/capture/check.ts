/**
 * Test support: load one (mutated) capture through the engine the way hosts do and check the
 * bad-input rules. Returns the problems found (empty = all rules hold); never throws.
 *
 *  - load() resolves, whatever the bytes, and the same result comes out whatever the chunk size;
 *  - frames ≤ what the bytes can hold; frames before the damage are read unchanged;
 *  - the mutant's expectation (exact frame count, error or none, error frame/offset) holds;
 *  - an error names its frame number and byte offset in the message;
 *  - rows, details (and their -V text) and every tshark field of every frame project without throwing;
 *  - the connection diagnoses compute without throwing, each with its stream and frames in range;
 *  - the reader's buffer never grows from a declared length: only from bytes actually present.
 */
import { MemorySource } from '../../src/engine/bytes/source';
import { CaptureSession } from '../../src/engine/session';
import { CaptureReader } from '../../src/engine/capture/reader';
import { Packet } from '../../src/engine/decode/packet';
import { FIELDS, frameCtx } from '../../src/engine/fields/project';
import { appFieldDefs } from '../../src/engine/dissect/fields';

const APP_FIELDS = appFieldDefs();
import { summaryLine } from '../../src/engine/fields/summary';
import { frameExperts } from '../../src/engine/fields/expert';
import { readRows } from '../../src/engine/fields/rows';
import { detailTree, readDetail } from '../../src/engine/fields/detail';
import { treeText } from '../../src/engine/fields/tree/text';
import type { LoadResult } from '../../src/engine/model/types';
import type { Expect } from './mutate';

export interface FrameKey {
  offset: number;
  capLen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
}

export interface Checked {
  problems: string[];
  result: LoadResult | undefined;
  frames: number;
}

/** What an intact capture reads as (for the "frames before the damage are unchanged" rule). */
export async function readKeys(bytes: Uint8Array): Promise<FrameKey[]> {
  const s = new CaptureSession(new MemorySource(bytes));
  await s.load();
  return keysOf(s);
}

function keysOf(s: CaptureSession): FrameKey[] {
  const t = s.frames;
  const out: FrameKey[] = [];
  for (let i = 0; i < t.count; i++) out.push({ offset: t.offsetOf(i), capLen: t.capLen[i], origLen: t.origLen[i], tsSec: t.secOf(i), tsNsec: t.tsNsec[i] });
  return out;
}

const same = (a: FrameKey, b: FrameKey) => a.offset === b.offset && a.capLen === b.capLen && a.origLen === b.origLen && a.tsSec === b.tsSec && a.tsNsec === b.tsNsec;

export interface CheckOptions {
  expect?: Expect;
  /** Frames of the unmutated capture, and the first changed byte: frames ending before it must match. */
  original?: FrameKey[];
  /** End offset of each original frame's whole record (block), in order. */
  frameEnds?: number[];
  at?: number;
  /** Bytes per read of the second load (the first uses the default 4 MiB). */
  smallChunk?: number;
  /** Project at most this many frames (all fields, row, detail). */
  projectLimit?: number;
}

export async function checkCapture(bytes: Uint8Array, o: CheckOptions = {}): Promise<Checked> {
  const problems: string[] = [];
  const say = (m: string) => problems.push(m);
  let result: LoadResult | undefined;
  let s: CaptureSession | undefined;
  try {
    s = new CaptureSession(new MemorySource(bytes));
    result = await s.load();
  } catch (e) {
    say(`load() threw: ${(e as Error).stack ?? String(e)}`);
    return { problems, result, frames: 0 };
  }
  const n = result.frames;
  const err = result.error;

  // Chunking must not change anything.
  if (o.smallChunk) {
    try {
      const s2 = new CaptureSession(new MemorySource(bytes));
      const r2 = await s2.load({ chunkSize: o.smallChunk });
      // A damaged deflate stream loses the output of the slice that fails, so where it stops depends on chunking.
      const gzipBroken = /gzip-compressed data is broken/.test(err?.message ?? '') || /gzip-compressed data is broken/.test(r2.error?.message ?? '');
      if (gzipBroken) {
        if ((r2.error === undefined) !== (err === undefined)) say(`chunk size ${o.smallChunk} gives ${r2.error?.message ?? 'no error'}, 4 MiB chunks give ${err?.message ?? 'no error'}`);
      } else if (r2.frames !== n || r2.error?.message !== err?.message) say(`chunk size ${o.smallChunk} gives ${r2.frames} frames / ${r2.error?.message ?? 'no error'}, 4 MiB chunks give ${n} / ${err?.message ?? 'no error'}`);
      else {
        const a = keysOf(s);
        const b2 = keysOf(s2);
        const k = a.findIndex((x, i) => !same(x, b2[i]));
        if (k >= 0) say(`chunk size ${o.smallChunk} reads frame ${k + 1} differently`);
      }
    } catch (e) {
      say(`load({chunkSize: ${o.smallChunk}}) threw: ${(e as Error).message}`);
    }
  }

  // Bounds on what was read.
  if (n > Math.floor(bytes.length / 12) + 1 && bytes[0] !== 0x1f) say(`${n} frames from ${bytes.length} bytes is more than the bytes can hold`);
  if (o.expect?.frames !== undefined && n !== o.expect.frames) say(`read ${n} frames, expected exactly ${o.expect.frames}`);
  if (o.expect?.error === 'yes' && !err) say('no error reported for damage that is detectable');
  if (o.expect?.error === 'no' && err) say(`unexpected error: ${err.message}`);
  if (err && /^This is not a capture file/.test(err.message)) {
    if (n !== 0) say(`"not a capture" after reading ${n} frames`);
    if (!/seqscope reads pcap/.test(err.message)) say(`"not a capture" message does not list the formats read: ${err.message}`);
  } else if (err) {
    if (err.frame !== n + 1) say(`error names frame ${err.frame} but ${n} frames were read before it`);
    if (!err.message.includes(`frame ${err.frame}`)) say(`error message does not name frame ${err.frame}: ${err.message}`);
    if (!err.message.includes(`byte offset ${err.offset}`)) say(`error message does not name byte offset ${err.offset}: ${err.message}`);
    if (o.expect?.errorFrame !== undefined && err.frame !== o.expect.errorFrame) say(`error at frame ${err.frame}, expected frame ${o.expect.errorFrame}`);
    if (o.expect?.errorOffset !== undefined && err.offset !== o.expect.errorOffset) say(`error at byte offset ${err.offset}, expected ${o.expect.errorOffset}`);
    if (bytes[0] !== 0x1f && !(err.offset >= 0 && err.offset <= bytes.length)) say(`error offset ${err.offset} outside the file (${bytes.length} bytes)`);
  }

  // Frames before the first changed byte are read unchanged.
  if (o.original && o.frameEnds && o.at !== undefined) {
    const got = keysOf(s);
    for (let i = 0; i < o.original.length && o.frameEnds[i] <= o.at; i++) {
      if (!got[i] || !same(o.original[i], got[i])) {
        say(`frame ${i + 1} (before the damage at byte ${o.at}) was ${got[i] ? 'read differently' : 'lost'}`);
        break;
      }
    }
  }

  // Projection of every frame: fields, Info line, experts, row, detail.
  const limit = Math.min(n, o.projectLimit ?? 400);
  try {
    if (limit > 0) {
      const rows = await readRows(s, 1, limit);
      if (rows.length !== limit) say(`readRows(1, ${limit}) returned ${rows.length} rows`);
      const { bytes: fb, offsets } = await s.readFrames(1, limit);
      const p = new Packet();
      s.decoder.replay = true;
      for (let k = 1; k <= limit; k++) {
        const off = offsets[k - 1] ?? 0;
        s.decoder.decode(p, fb, off, s.frames.capLen[k - 1], s.frames.origLen[k - 1], s.linkType(k), k);
        const c = frameCtx(s, k, p, fb, off);
        for (const name in FIELDS) FIELDS[name](c);
        for (const f of APP_FIELDS) f.all(c);
        summaryLine(c);
        frameExperts(c);
        // The detail tree of every protocol, printed as -V prints it.
        treeText(detailTree(c), { expand: () => true, bytes: fb.subarray(off, off + s.frames.capLen[k - 1]) });
      }
      s.decoder.replay = false;
      for (const k of [1, limit, Math.ceil(limit / 2)]) {
        const d = await readDetail(s, k);
        if (!d) say(`readDetail(${k}) returned nothing`);
      }
    }
  } catch (e) {
    say(`projection threw: ${(e as Error).stack ?? String(e)}`);
  }

  // The connection diagnoses: computed without throwing, each item well formed.
  try {
    for (const d of s.diagnoses()) {
      if (!(d.stream >= 0 && d.stream < s.analyzer.streamCount) || d.frames.length === 0 || d.frames.some((f) => !(f >= 1 && f <= n)) || d.summary === '') {
        say(`diagnosis ${d.kind} on stream ${d.stream} is malformed: frames ${d.frames.join(',')}`);
      }
    }
  } catch (e) {
    say(`diagnoses() threw: ${(e as Error).stack ?? String(e)}`);
  }

  // The reader buffers only bytes that are present (never a declared length).
  try {
    let frames = 0;
    const r = new CaptureReader({ onFrame: () => void frames++ });
    const chunk = o.smallChunk ?? 65536;
    for (let i = 0; i < bytes.length && !r.done; i += chunk) r.push(bytes.subarray(i, i + chunk));
    const out = r.end();
    // gzip: one slice of compressed bytes may inflate to ~1032 times its size before damage stops the reader.
    const logical = Math.max(out.logicalBytes, bytes[0] === 0x1f ? bytes.length * 1032 : bytes.length);
    if (r.peakBuffered > 2 * (logical + chunk) + 65536) say(`reader buffered ${r.peakBuffered} bytes for a ${logical}-byte stream`);
  } catch (e) {
    say(`CaptureReader threw: ${(e as Error).message}`);
  }
  return { problems, result, frames: n };
}

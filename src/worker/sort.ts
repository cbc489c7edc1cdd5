/**
 * Sorting the displayed frames by a packet-list column, in the worker.
 *
 * Every column becomes one or two 32-bit key words per displayed frame, then a stable LSD
 * radix sort (16-bit digits) orders the frames; ties keep frame order, also when descending
 * (descending inverts the key words instead of reversing the result).
 *
 *   No., Length, TCP analysis, Time ── straight from the frame table's columns (no re-read):
 *       10 M frames sort in well under a second.
 *   Source, Destination ── TCP frames show their conversation's endpoints (stream + direction
 *       from the columns, addresses from the analyzer's conversation): no re-read; other frames
 *       (no TCP, ICMP-quoted TCP) are decoded one by one.
 *   Protocol, Info ── text that only a decode gives: every displayed frame is decoded again
 *       (batches of rows, cancellable, with progress). Distinct texts are ranked once.
 */
import { readRowsOf, type CaptureSession, type FrameRow } from '../engine/index';
import { addressFromWords } from '../engine/fields/summary';

export type SortColumn = 'no' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'flags' | 'info';
export const SORT_COLUMNS: readonly SortColumn[] = ['no', 'time', 'source', 'destination', 'protocol', 'length', 'flags', 'info'];

// tflags bits (engine/tcp/frames.ts; the worker reads the column, the values are part of the table's format).
const TF_DIR_BA = 0x1000;
const TF_QUOTED = 0x4000;
const TF_TCP = 0x8000;
/** Analysis flag bits without A_RECORD (engine/tcp/flags.ts A_FLAG_MASK). */
export const FLAG_MASK = 0x7fff;

export interface SortOptions {
  signal?: { aborted: boolean };
  /** Called between decode batches (text columns): frames done of total. */
  onProgress?: (done: number, total: number) => void;
}

const TWO_32 = 4294967296;

const DIGIT = 11;
const BUCKETS = 1 << DIGIT;
const MASK = BUCKETS - 1;

/**
 * Stable LSD radix sort of `items` by `keys` (one Uint32Array per word, most significant
 * first, parallel to items). Returns a new array. 11-bit digits (3 passes a word; the 2048
 * counters stay in L1), the three histograms of a word counted in one read, and a digit that
 * is the same for every item is skipped.
 */
export function radixSort(items: Uint32Array, keys: Uint32Array[]): Uint32Array {
  if (keys.length === 1) return radixSort1(items, keys[0]);
  const n = items.length;
  let perm = new Uint32Array(n);
  let permB = new Uint32Array(n);
  let k = new Uint32Array(n);
  let kB = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const hist = new Uint32Array(3 * BUCKETS);
  for (let w = keys.length - 1; w >= 0; w--) {
    const src = keys[w];
    hist.fill(0);
    for (let i = 0; i < n; i++) {
      const v = src[perm[i]];
      k[i] = v;
      hist[v & MASK]++;
      hist[BUCKETS + ((v >>> DIGIT) & MASK)]++;
      hist[2 * BUCKETS + (v >>> (2 * DIGIT))]++;
    }
    [perm, permB, k, kB] = digitPasses(perm, permB, k, kB, hist);
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = items[perm[i]];
  return out;
}

/** One key word: the items themselves travel with their keys (no index array, no final gather). */
function radixSort1(items: Uint32Array, key: Uint32Array): Uint32Array {
  const n = items.length;
  const it = items.slice();
  const k = key.slice();
  const itB = new Uint32Array(n);
  const kB = new Uint32Array(n);
  const hist = new Uint32Array(3 * BUCKETS);
  for (let i = 0; i < n; i++) {
    const v = k[i];
    hist[v & MASK]++;
    hist[BUCKETS + ((v >>> DIGIT) & MASK)]++;
    hist[2 * BUCKETS + (v >>> (2 * DIGIT))]++;
  }
  return digitPasses(it, itB, k, kB, hist)[0];
}

/**
 * The three digit passes of one key word, its histograms already counted in `hist`: `a` travels
 * with its key `k`, through the spare buffers `aB`/`kB`. Returns the four arrays, sorted ones first.
 */
type U32 = Uint32Array<ArrayBuffer>;
function digitPasses(a: U32, aB: U32, k: U32, kB: U32, hist: U32): [U32, U32, U32, U32] {
  const n = a.length;
  for (let d = 0; d < 3; d++) {
    const base = d * BUCKETS;
    const shift = d * DIGIT;
    if (n === 0 || hist[base + ((k[0] >>> shift) & MASK)] === n) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = hist[base + b];
      hist[base + b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = k[i];
      const at = hist[base + ((v >>> shift) & MASK)]++;
      aB[at] = a[i];
      kB[at] = v;
    }
    [a, aB] = [aB, a];
    [k, kB] = [kB, k];
  }
  return [a, aB, k, kB];
}

/** Ranks of texts (plain code-unit order, or numeric-aware for addresses) as a key word. */
function rankTexts(texts: string[], numeric: boolean): Uint32Array {
  const distinct = [...new Set(texts)];
  if (numeric) {
    const coll = new Intl.Collator('en', { numeric: true });
    distinct.sort(coll.compare);
  } else distinct.sort(); // UTF-16 code-unit order, compared natively (no callback per compare)
  const rank = new Map<string, number>();
  distinct.forEach((t, i) => rank.set(t, i));
  const out = new Uint32Array(texts.length);
  for (let i = 0; i < texts.length; i++) out[i] = rank.get(texts[i])!;
  return out;
}

const BATCH = 2000;

/** Texts of one row field for the given frames, decoded in batches. */
async function decodeTexts(s: CaptureSession, frames: ArrayLike<number>, pick: (r: FrameRow) => string, opts: SortOptions, doneBefore = 0, total = frames.length): Promise<string[] | undefined> {
  const out: string[] = new Array(frames.length);
  for (let i = 0; i < frames.length; i += BATCH) {
    if (opts.signal?.aborted) return undefined;
    const part = Array.prototype.slice.call(frames, i, Math.min(frames.length, i + BATCH)) as number[];
    const rows = await readRowsOf(s, part);
    for (let j = 0; j < part.length; j++) out[i + j] = rows[j] ? pick(rows[j]) : '';
    opts.onProgress?.(doneBefore + Math.min(frames.length, i + BATCH), total);
  }
  return out;
}

/**
 * Source/Destination keys: a TCP frame shows its conversation's endpoints (stream + direction
 * from the columns, the addresses from the analyzer's conversation: no re-read); the other frames
 * are decoded one by one; distinct texts are ranked once.
 */
async function addressKeys(s: CaptureSession, frames: Uint32Array, which: 'source' | 'destination', opts: SortOptions): Promise<Uint32Array | undefined> {
  const t = s.frames;
  const n = frames.length;
  let maxStream = -1;
  for (let i = 0; i < n; i++) maxStream = Math.max(maxStream, t.stream[frames[i] - 1]);
  // Group g = stream * 2 + direction → index of its representative in `reps`.
  const repOf = new Int32Array(2 * (maxStream + 1)).fill(-1);
  const groupOf = new Uint32Array(n);
  const reps: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    const tf = t.tflags[f - 1];
    const st = t.stream[f - 1];
    if (tf & TF_TCP && !(tf & TF_QUOTED) && st >= 0) {
      const g = st * 2 + (tf & TF_DIR_BA ? 1 : 0);
      if (repOf[g] < 0) {
        repOf[g] = reps.length;
        reps.push(f);
      }
      groupOf[i] = repOf[g];
    } else {
      groupOf[i] = reps.length;
      reps.push(f);
    }
  }
  // Representatives of TCP groups are named from their conversation; the rest decoded.
  const convs = s.analyzer.conversations;
  const texts: string[] = new Array(reps.length);
  const decode: number[] = [];
  const decodeAt: number[] = [];
  for (let k = 0; k < reps.length; k++) {
    const f = reps[k];
    const tf = t.tflags[f - 1];
    const st = t.stream[f - 1];
    const conv = tf & TF_TCP && !(tf & TF_QUOTED) && st >= 0 ? convs[st] : undefined;
    if (conv) {
      const senderSide = tf & TF_DIR_BA ? 1 : 0;
      texts[k] = addressFromWords(conv.family, conv.address(which === 'source' ? senderSide : 1 - senderSide));
    } else {
      decode.push(f);
      decodeAt.push(k);
    }
  }
  const decoded = await decodeTexts(s, Uint32Array.from(decode), (r) => r[which], opts);
  if (!decoded) return undefined;
  for (let i = 0; i < decode.length; i++) texts[decodeAt[i]] = decoded[i];
  const rank = rankTexts(texts, true);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = rank[groupOf[i]];
  return out;
}

/**
 * Frames in time order straight from the columns when the capture's times are monotone (the
 * usual case): no key arrays, no sort. Undefined when they are not.
 */
function timeMonotone(s: CaptureSession, frames: Uint32Array, desc: boolean): Uint32Array | undefined {
  const t = s.frames;
  const n = frames.length;
  let up = true;
  let down = true;
  let prev = n ? t.nsBetween(frames[0], 1) : 0;
  for (let i = 1; i < n && (up || down); i++) {
    const d = t.nsBetween(frames[i], 1);
    if (d < prev) up = false;
    else if (d > prev) down = false;
    prev = d;
  }
  if (desc ? down : up) return frames.slice();
  if (!(desc ? up : down)) return undefined;
  // Reversed; frames with the same time stay in frame order. One walk from the end, one time
  // computed per frame: a run of equal times is copied forwards when it ends.
  const out = new Uint32Array(n);
  let o = 0;
  let end = n;
  let dEnd = t.nsBetween(frames[n - 1], 1);
  for (let i = n - 2; i >= -1; i--) {
    const d = i >= 0 ? t.nsBetween(frames[i], 1) : NaN;
    if (d === dEnd) continue;
    for (let j = i + 1; j < end; j++) out[o++] = frames[j];
    end = i + 1;
    dEnd = d;
  }
  return out;
}

/** The key words of `col` for `frames` (most significant first), or undefined when aborted. */
export async function sortKeys(s: CaptureSession, frames: Uint32Array, col: SortColumn, opts: SortOptions = {}): Promise<Uint32Array[] | undefined> {
  const t = s.frames;
  const n = frames.length;
  switch (col) {
    case 'no':
      return [frames];
    case 'length': {
      const k = new Uint32Array(n);
      for (let i = 0; i < n; i++) k[i] = t.origLen[frames[i] - 1];
      return [k];
    }
    case 'flags': {
      // Frames with the same analysis flags together, unflagged first (the flag words follow from the bits).
      const k = new Uint32Array(n);
      for (let i = 0; i < n; i++) k[i] = t.aflags[frames[i] - 1] & FLAG_MASK;
      return [k];
    }
    case 'time': {
      // Nanoseconds from the first frame (signed, exact under 104 days) as two words, biased.
      const hi = new Uint32Array(n);
      const lo = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const d = t.nsBetween(frames[i], 1);
        const h = Math.floor(d / TWO_32);
        hi[i] = (h + 0x80000000) >>> 0;
        lo[i] = (d - h * TWO_32) >>> 0;
      }
      return [hi, lo];
    }
    case 'source':
    case 'destination': {
      const k = await addressKeys(s, frames, col, opts);
      return k && [k];
    }
    case 'protocol':
    case 'info': {
      const texts = await decodeTexts(s, frames, (r) => r[col], opts);
      return texts && [rankTexts(texts, col === 'protocol')];
    }
  }
}

/**
 * Frames ordered by mostly distinct texts (Info) with one native sort and no comparator: each
 * text gets its position appended after a NUL (lower than any character, so a text still sorts
 * before its extensions), zero-padded so ties keep frame order; descending pads the reversed
 * position and reverses the result, which keeps ties in frame order too.
 */
export function sortByText(frames: Uint32Array, texts: string[], desc: boolean): Uint32Array {
  const n = frames.length;
  const w = String(n).length;
  const tagged = new Array<string>(n);
  for (let i = 0; i < n; i++) tagged[i] = `${texts[i]}\u0000${String(desc ? n - 1 - i : i).padStart(w, '0')}`;
  tagged.sort();
  if (desc) tagged.reverse();
  const out = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const p = Number(tagged[j].slice(tagged[j].length - w));
    out[j] = frames[desc ? n - 1 - p : p];
  }
  return out;
}

/** −1, 0 or 1: how item i's key compares with item j's (one or two words). */
function cmpAt(hi: Uint32Array, lo: Uint32Array | undefined, i: number, j: number): number {
  if (hi[i] !== hi[j]) return hi[i] < hi[j] ? -1 : 1;
  if (lo && lo[i] !== lo[j]) return lo[i] < lo[j] ? -1 : 1;
  return 0;
}

/**
 * The order of already monotone keys without sorting (captures are mostly in time order, and a
 * column reversed is the common case). Wanted order ascending (or descending when `desc`):
 * keys in that order → as is; in the opposite order → reversed, each run of equal keys kept
 * in frame order. Undefined when the keys are not monotone.
 */
function monotone(items: Uint32Array, keys: Uint32Array[], desc: boolean): Uint32Array | undefined {
  const n = items.length;
  const hi = keys[0];
  const lo = keys[1];
  let up = true;
  let down = true;
  for (let i = 1; i < n && (up || down); i++) {
    const c = cmpAt(hi, lo, i, i - 1);
    if (c < 0) up = false;
    else if (c > 0) down = false;
  }
  if (desc ? down : up) return items.slice();
  if (!(desc ? up : down)) return undefined;
  const out = new Uint32Array(n);
  let o = 0;
  for (let end = n; end > 0; ) {
    let start = end - 1;
    while (start > 0 && cmpAt(hi, lo, start - 1, end - 1) === 0) start--;
    for (let i = start; i < end; i++) out[o++] = items[i];
    end = start;
  }
  return out;
}

/**
 * `frames` (ascending frame numbers) ordered by column `col`, ties in frame order.
 * Undefined when aborted.
 */
export async function sortFrames(s: CaptureSession, frames: Uint32Array, col: SortColumn, desc: boolean, opts: SortOptions = {}): Promise<Uint32Array | undefined> {
  if (col === 'no') {
    const out = frames.slice();
    if (desc) out.reverse();
    return out;
  }
  if (col === 'time') {
    const m = timeMonotone(s, frames, desc);
    if (m) return m;
  }
  if (col === 'info') {
    const texts = await decodeTexts(s, frames, (r) => r.info, opts);
    return texts && sortByText(frames, texts, desc);
  }
  const keys = await sortKeys(s, frames, col, opts);
  if (!keys) return undefined;
  const m = monotone(frames, keys, desc);
  if (m) return m;
  if (desc) for (const k of keys) for (let i = 0; i < k.length; i++) k[i] = ~k[i] >>> 0;
  return radixSort(frames, keys);
}

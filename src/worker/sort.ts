/**
 * Sorting the displayed frames by a packet-list column, in the worker.
 *
 * Every column becomes one or two 32-bit key words per displayed frame, then a stable sort
 * orders the frames: a counting sort when the keys are small (lengths, flags, ranks of texts),
 * else an LSD radix sort; ties keep frame order, also when descending (descending inverts the
 * keys instead of reversing the result).
 *
 *   No., Length, TCP analysis, Time ── straight from the frame table's columns (no re-read):
 *       10 M frames sort in well under a second.
 *   Source, Destination ── TCP frames show their conversation's endpoints (stream + direction
 *       from the columns, addresses from the analyzer's conversation); the other frames the
 *       bytes of these columns the load kept (engine/stats/net-record.ts): no re-read.
 *   Protocol ── tracked TCP frames from the columns and the application layer (prepareApp's
 *       one sweep of the file, which the expert tally has usually made already); the other
 *       frames from a side index: the first Protocol or Info sort decodes them once per session
 *       (their Protocol and Info as ids of distinct texts), kept for the next sorts.
 *   Info ── info-order.ts: plain TCP rows ordered from the columns, the other TCP rows decoded,
 *       the other frames' texts from the side index; the order (4 bytes per frame, equal texts
 *       marked) is kept for the same frames sorted again, either way, without a sort.
 */
import { appStreams, prepareApp } from '../engine/dissect/app';
import { protocolFromColumns, readColumnsOf, type CaptureSession, type TextColumn } from '../engine/index';
import { addressFromWords } from '../engine/fields/summary';
import { builtSide } from '../engine/fields/tree/side';
import { infoOrder, ranksFromOrder, SAME, type InfoOrder } from './info-order';

const ITEM = 0x7fffffff;

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

/**
 * Stable counting sort of `items` by one small key word (every key ≤ max): one pass counts,
 * one pass places. Descending hands out the buckets from the top; ties stay in item order.
 */
export function countingSort(items: Uint32Array, key: Uint32Array, max: number, desc: boolean): Uint32Array {
  const n = items.length;
  const at = new Uint32Array(max + 1);
  for (let i = 0; i < n; i++) at[key[i]]++;
  let sum = 0;
  if (desc) {
    for (let b = max; b >= 0; b--) {
      const c = at[b];
      at[b] = sum;
      sum += c;
    }
  } else {
    for (let b = 0; b <= max; b++) {
      const c = at[b];
      at[b] = sum;
      sum += c;
    }
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[at[key[i]]++] = items[i];
  return out;
}

/** Keys up to this (or up to the item count) take the counting sort. */
const COUNTING_MAX = 1 << 16;

/** `items` ordered by one key word, ties in item order: counting sort for small keys, else radix. */
function sortByKey(items: Uint32Array, key: Uint32Array, desc: boolean): Uint32Array {
  let max = 0;
  for (let i = 0; i < key.length; i++) if (key[i] > max) max = key[i];
  if (max <= Math.max(COUNTING_MAX, items.length >>> 2)) return countingSort(items, key, max, desc);
  if (desc) for (let i = 0; i < key.length; i++) key[i] = ~key[i] >>> 0;
  return radixSort1(items, key);
}

/** Distinct texts, each with an id (its index in `texts`). */
export class Vocab {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  id(t: string): number {
    let i = this.ids.get(t);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(t);
      this.ids.set(t, i);
    }
    return i;
  }
}

const TEXT_ORDER = new Intl.Collator('en', { numeric: true });

/** rank[id]: the place of each text of `vocab` in the column's order (numeric-aware: 10.0.0.9 < 10.0.0.10, TLSv1.2 < TLSv1.3). */
function ranks(vocab: Vocab): Uint32Array {
  const ids = vocab.texts.map((_, i) => i);
  const tx = vocab.texts;
  ids.sort((a, b) => TEXT_ORDER.compare(tx[a], tx[b]));
  const rank = new Uint32Array(ids.length);
  ids.forEach((id, r) => (rank[id] = r));
  return rank;
}

/** Frames per decode batch (progress and cancellation between batches). */
const BATCH = 4096;

/** Text columns of `frames` (ascending), decoded in batches (one decode per frame). Undefined when aborted. */
async function decodeColumns(s: CaptureSession, frames: Uint32Array, cols: readonly TextColumn[], opts: SortOptions): Promise<string[][] | undefined> {
  const out: string[][] = cols.map(() => []);
  for (let i = 0; i < frames.length; i += BATCH) {
    if (opts.signal?.aborted) return undefined;
    const part = await readColumnsOf(s, frames.subarray(i, Math.min(frames.length, i + BATCH)), cols);
    for (let k = 0; k < cols.length; k++) {
      for (const t of part[k]) {
        t.charCodeAt(0); // flattened now, while young (compares would flatten them anyway, later)
        out[k].push(t);
      }
    }
    opts.onProgress?.(Math.min(frames.length, i + BATCH), frames.length);
  }
  return opts.signal?.aborted ? undefined : out;
}

/** A tracked TCP frame's Source/Destination are its conversation's (not quoted in ICMP). */
function trackedTcp(tf: number, stream: number): boolean {
  return (tf & TF_TCP) !== 0 && (tf & TF_QUOTED) === 0 && stream >= 0;
}

/**
 * The side index of the frames that are not tracked TCP frames: their Protocol and Info as ids
 * of distinct texts, from one decode of each (their Source and Destination come from the load's
 * side record). 8 bytes per such frame (none for TCP frames), plus the distinct texts: the Info
 * ids are dropped when their texts would take more than INFO_TEXTS_MAX characters (the Info
 * sort then decodes these frames again).
 */
interface SideIndex {
  /** Frames covered: 1..upTo. */
  upTo: number;
  frames: Uint32Array;
  protocol: Uint32Array;
  protocols: Vocab;
  info: Uint32Array | undefined;
  infos: Vocab | undefined;
  /** Whether the tree's capture-wide pass was built when the texts were decoded (ICMP echo links, ordered UDP dissectors show in them). */
  treeSide: boolean;
}

const INFO_TEXTS_MAX = 16 << 20;

const SIDE = new WeakMap<CaptureSession, SideIndex>();

/** The frames of `frames` (ascending) that are not tracked TCP frames. */
function untracked(s: CaptureSession, frames: Uint32Array): Uint32Array {
  const t = s.frames;
  let m = 0;
  const out = new Uint32Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    if (!trackedTcp(t.tflags[f - 1], t.stream[f - 1])) out[m++] = f;
  }
  return out.slice(0, m);
}

/** Frames 1..upTo that are not tracked TCP frames. */
function untrackedUpTo(s: CaptureSession, upTo: number): Uint32Array {
  const { tflags, stream } = s.frames;
  const out: number[] = [];
  for (let f = 1; f <= upTo; f++) if (!trackedTcp(tflags[f - 1], stream[f - 1])) out.push(f);
  return Uint32Array.from(out);
}

/** The whole side index being built (ahead of a sort, or by one), by session. */
const SIDE_BUILDING = new WeakMap<CaptureSession, Promise<SideIndex | undefined>>();

/**
 * The side index covering `frames` (ascending): the session's, kept once built (every frame,
 * built after the load ahead of the first sort — prepareSorts — or by the first sort of a view
 * holding at least half of them), or one for these frames only (a smaller view, or a load in
 * progress), not kept. Undefined when aborted.
 */
async function sideIndex(s: CaptureSession, frames: Uint32Array, opts: SortOptions): Promise<SideIndex | undefined> {
  const last = frames.length ? frames[frames.length - 1] : 0;
  const whole = s.isLoaded && frames.length * 2 >= s.frameCount;
  if (whole) return wholeSide(s, opts);
  const kept = SIDE.get(s);
  const treeSide = builtSide(s) !== undefined;
  if (kept && kept.upTo >= last && kept.treeSide === treeSide) return kept;
  return buildSide(s, untracked(s, frames), last, opts);
}

/** The session's side index (a loaded capture's every frame): kept, being built, or built now. */
async function wholeSide(s: CaptureSession, opts: SortOptions): Promise<SideIndex | undefined> {
  const treeSide = builtSide(s) !== undefined;
  const fresh = (x: SideIndex | undefined) => x && x.upTo >= s.frameCount && x.treeSide === treeSide;
  const kept = SIDE.get(s);
  if (fresh(kept)) return kept;
  const building = SIDE_BUILDING.get(s);
  if (building) {
    const x = await building;
    if (fresh(x) || opts.signal?.aborted) return opts.signal?.aborted ? undefined : x;
  }
  const p = buildSide(s, untrackedUpTo(s, s.frameCount), s.frameCount, opts);
  SIDE_BUILDING.set(s, p);
  const idx = await p;
  if (SIDE_BUILDING.get(s) === p) SIDE_BUILDING.delete(s);
  if (idx) SIDE.set(s, idx);
  return idx;
}

/**
 * Build the side index of a loaded capture ahead of its first Protocol or Info sort (the worker
 * calls it when idle after the load and the expert tally), when it has at most PREPARE_MAX frames
 * outside tracked TCP. Resolves false when aborted or not built.
 */
export async function prepareSorts(s: CaptureSession, signal?: { aborted: boolean }): Promise<boolean> {
  if (!s.isLoaded) return false;
  // Not for a capture that is mostly outside TCP: that would be a second decoding pass of it after
  // every load (about 3 µs a frame), sorted or not; its first Protocol/Info sort decodes them.
  const { tflags, stream } = s.frames;
  let outside = 0;
  for (let f = 1; f <= s.frameCount && outside <= PREPARE_MAX; f++) if (!trackedTcp(tflags[f - 1], stream[f - 1])) outside++;
  if (outside > PREPARE_MAX) return false;
  return (await wholeSide(s, { signal })) !== undefined;
}

/** prepareSorts builds the side index ahead for at most this many frames outside tracked TCP. */
const PREPARE_MAX = 1 << 20;

/** Protocol and Info of `todo` (the frames outside tracked TCP, ascending) decoded: the side index of frames 1..upTo. */
async function buildSide(s: CaptureSession, todo: Uint32Array, upTo: number, opts: SortOptions): Promise<SideIndex | undefined> {
  const treeSide = builtSide(s) !== undefined;
  const texts = await decodeColumns(s, todo, ['protocol', 'info'], opts);
  if (!texts) return undefined;
  const protocols = new Vocab();
  const protocol = Uint32Array.from(texts[0], (x) => protocols.id(x));
  let infos: Vocab | undefined = new Vocab();
  const info = new Uint32Array(todo.length);
  let chars = 0;
  for (let i = 0; i < todo.length; i++) {
    const x = texts[1][i];
    const before = infos.texts.length;
    info[i] = infos.id(x);
    if (infos.texts.length > before && (chars += x.length) > INFO_TEXTS_MAX) {
      infos = undefined;
      break;
    }
  }
  return { upTo, frames: todo, protocol, protocols, info: infos && info, infos, treeSide };
}

/**
 * The Info texts the side index holds for `frames` (ascending, of the view `view`; undefined for
 * the others, and all undefined when the index keeps no Info), building the index if need be. Undefined when aborted.
 */
async function sideInfo(s: CaptureSession, view: Uint32Array, frames: Uint32Array, opts: SortOptions): Promise<(string | undefined)[] | undefined> {
  const out = new Array<string | undefined>(frames.length);
  const side = await sideIndex(s, view, opts);
  if (!side) return undefined;
  const { info, infos } = side;
  if (!info || !infos) return out;
  let j = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    while (j < side.frames.length && side.frames[j] < f) j++;
    if (side.frames[j] === f) out[i] = infos.texts[info[j]];
  }
  return out;
}

/**
 * Protocol keys for `frames` (ascending): tracked TCP frames through `tcpId` (called once per
 * distinct id it returns), the others from the side index; then the ids are replaced by the
 * ranks of their texts.
 */
async function protocolTextKeys(s: CaptureSession, frames: Uint32Array, tcpId: (f: number, vocab: Vocab) => number, opts: SortOptions): Promise<Uint32Array | undefined> {
  const side = await sideIndex(s, frames, opts);
  if (!side) return undefined;
  const t = s.frames;
  const n = frames.length;
  // The side index's vocabulary, extended with the TCP frames' texts (a copy: the kept one stays as built).
  const vocab = new Vocab();
  for (const x of side.protocols.texts) vocab.id(x);
  const sideIds = side.protocol;
  const key = new Uint32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    if (trackedTcp(t.tflags[f - 1], t.stream[f - 1])) key[i] = tcpId(f, vocab);
    else {
      while (side.frames[j] < f) j++;
      key[i] = side.frames[j] === f ? sideIds[j] : vocab.id('');
    }
  }
  const rank = ranks(vocab);
  for (let i = 0; i < n; i++) key[i] = rank[key[i]];
  return key;
}

/**
 * Source/Destination keys: a tracked TCP frame's from its conversation's endpoints (one text per
 * stream and direction), any other frame's from the bytes of its columns the load kept
 * (engine/stats/net-record.ts, fields/address-ref.ts): no frame is read or decoded again.
 */
function addressKeys(s: CaptureSession, frames: Uint32Array, which: 'source' | 'destination'): Uint32Array {
  const t = s.frames;
  const convs = s.analyzer.conversations;
  const vocab = new Vocab();
  // Text id by stream * 2 + direction, −1 until first met.
  const idOf = new Int32Array(2 * convs.length).fill(-1);
  // The frames outside TCP conversations (frame order) and their texts' ids.
  const sideFrames: number[] = [];
  const sideIds: number[] = [];
  s.net.eachAddress(which === 'destination', (f, text) => {
    sideFrames.push(f);
    sideIds.push(vocab.id(text));
  });
  const n = frames.length;
  const key = new Uint32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    if (trackedTcp(t.tflags[f - 1], t.stream[f - 1])) {
      const st = t.stream[f - 1];
      const senderSide = t.tflags[f - 1] & TF_DIR_BA ? 1 : 0;
      const g = st * 2 + senderSide;
      let id = idOf[g];
      if (id < 0) {
        const conv = convs[st];
        id = idOf[g] = vocab.id(addressFromWords(conv.family, conv.address(which === 'source' ? senderSide : 1 - senderSide)));
      }
      key[i] = id;
    } else {
      while (j < sideFrames.length && sideFrames[j] < f) j++;
      key[i] = sideFrames[j] === f ? sideIds[j] : vocab.id('');
    }
  }
  const rank = ranks(vocab);
  for (let i = 0; i < n; i++) key[i] = rank[key[i]];
  return key;
}

/** Protocol keys: TCP frames from the columns and the application layer (one sweep of the file, kept). */
async function protocolKeys(s: CaptureSession, frames: Uint32Array, opts: SortOptions): Promise<Uint32Array | undefined> {
  if (frames.length) await prepareApp(s, frames[frames.length - 1]);
  if (opts.signal?.aborted) return undefined;
  const word = protocolFromColumns(s);
  const t = s.frames;
  // Streams with application frames: only theirs are asked (the others' frames say TCP).
  const streams = appStreams(s);
  const withApp = new Uint8Array(s.analyzer.conversations.length);
  streams.forEach((a, st) => (withApp[st] = a && a.frames.size ? 1 : 0));
  let tcp = -1;
  return protocolTextKeys(s, frames, (f, vocab) => {
    const w = withApp[t.stream[f - 1]] ? word(f)! : 'TCP';
    if (w === 'TCP') return tcp < 0 ? (tcp = vocab.id(w)) : tcp;
    return vocab.id(w);
  }, opts);
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

/** A 64-bit fingerprint of a frame list (two 32-bit hashes and the length). */
function fingerprint(frames: Uint32Array): string {
  if (isIdentity(frames)) return `1..${frames.length}`;
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < frames.length; i++) {
    const v = frames[i];
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b + v, 0x85ebca6b) ^ (b >>> 13);
  }
  return `${frames.length}:${a >>> 0}:${b >>> 0}`;
}

/** The last Info sort of a session: its frames' fingerprint and their order (info-order.ts: items with SAME bits, 4 bytes per frame). */
const INFO = new WeakMap<CaptureSession, { frames: string; order: InfoOrder }>();

/**
 * Info: the items of `frames` in Info order (info-order.ts: plain TCP rows from the columns,
 * the others decoded), kept for the same frames sorted again (the other way, say).
 */
async function infoOrderOf(s: CaptureSession, frames: Uint32Array, opts: SortOptions): Promise<InfoOrder | undefined> {
  const fp = fingerprint(frames);
  const kept = INFO.get(s);
  if (kept && kept.frames === fp) return kept.order;
  const order = await infoOrder(s, frames, { ...opts, known: (fs) => sideInfo(s, frames, fs, opts) });
  if (!order) return undefined;
  if (s.isLoaded) INFO.set(s, { frames: fp, order });
  return order;
}

/**
 * `frames` in Info order from their order (ties in item order): ascending as is; descending,
 * each run of equal texts from the end, kept in frame order.
 */
function fromOrder(frames: Uint32Array, order: InfoOrder, desc: boolean): Uint32Array {
  const n = order.length;
  const out = new Uint32Array(n);
  // Every frame (the view without a filter): item i is frame i + 1, no look-up.
  const all = isIdentity(frames);
  if (!desc) {
    if (all) for (let j = 0; j < n; j++) out[j] = (order[j] & ITEM) + 1;
    else for (let j = 0; j < n; j++) out[j] = frames[order[j] & ITEM];
    return out;
  }
  let o = 0;
  for (let end = n; end > 0; ) {
    let start = end - 1;
    while (start > 0 && order[start] & SAME) start--;
    if (all) for (let j = start; j < end; j++) out[o++] = (order[j] & ITEM) + 1;
    else for (let j = start; j < end; j++) out[o++] = frames[order[j] & ITEM];
    end = start;
  }
  return out;
}

/** Frames 1..n (ascending distinct frame numbers that start at 1 and end at n). */
function isIdentity(frames: Uint32Array): boolean {
  const n = frames.length;
  return n === 0 || (frames[0] === 1 && frames[n - 1] === n);
}

/** The key words of `col` for `frames` (ascending; most significant first), or undefined when aborted. */
export async function sortKeys(s: CaptureSession, frames: Uint32Array, col: SortColumn, opts: SortOptions = {}): Promise<Uint32Array[] | undefined> {
  const t = s.frames;
  const n = frames.length;
  const one = (k: Uint32Array | undefined) => k && [k];
  switch (col) {
    case 'no':
      return [frames.slice()];
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
    case 'destination':
      return one(addressKeys(s, frames, col));
    case 'protocol':
      return one(await protocolKeys(s, frames, opts));
    case 'info': {
      const order = await infoOrderOf(s, frames, opts);
      return order && [ranksFromOrder(order)];
    }
  }
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
    const order = await infoOrderOf(s, frames, opts);
    return order && fromOrder(frames, order, desc);
  }
  const keys = await sortKeys(s, frames, col, opts);
  if (!keys) return undefined;
  const m = monotone(frames, keys, desc);
  if (m) return m;
  if (keys.length === 1) return sortByKey(frames, keys[0], desc);
  if (desc) for (const k of keys) for (let i = 0; i < k.length; i++) k[i] = ~k[i] >>> 0;
  return radixSort(frames, keys);
}

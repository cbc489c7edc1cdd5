/**
 * The Info column's order without building every frame's Info text.
 *
 * Info is compared as a JS string (UTF-16 code units). A plain TCP row's Info is
 *
 *     [analysis words ]SRC → DST [FLAGS] Seq=S[ Ack=A] Win=W Len=L[ options]
 *
 * (fields/summary.ts tcpInfo), so its order is the order of the tuple (words, ports, flags, S,
 * A, W, L, options): the words, the port pair and the flag list are few distinct texts (ranked
 * once), and a decimal number followed by a character below '0' (a space, the end) orders as
 * its digits left-aligned, the shorter first on a tie: `decKey`. The tuple's first part (words,
 * ports, flags, Seq) is two 32-bit words sorted by the radix sort; runs that tie go on with Ack,
 * Win, Len, and runs that tie on all of it compare their decoded texts (the options).
 * Every number comes from the frame table's columns (raw Seq/Ack, tcp.len, window, flags, the
 * conversation's ports and bases): plain rows read no byte and build no text.
 *
 * The other rows (application PDUs, non-TCP frames, a TCP header cut or quoted, URG, a reassembly
 * error) are decoded as before and their texts sorted natively; each distinct text is placed
 * among the plain rows by a binary search that builds the plain rows' texts it meets.
 * Checked equal to sorting every decoded Info text over the corpora (info-order.test.ts).
 */
import { appStreams, prepareApp, tcpReassemblyError } from '../engine/dissect/app';
import { readColumnsOf, type CaptureSession } from '../engine/index';
import { Packet } from '../engine/decode/packet';
import { flagList, flagWords } from '../engine/fields/summary';
import { A_DUPLICATE_ACK } from '../engine/tcp/flags';
import { SEG_LEN_WIDE, TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED } from '../engine/tcp/frames';
import { TH_ACK, TH_SYN, TH_URG } from '../engine/decode/packet';
import { FLAG_MASK, radixSort, Vocab } from './sort';

const TWO_32 = 4294967296;

export interface InfoOrderOptions {
  signal?: { aborted: boolean };
  onProgress?: (done: number, total: number) => void;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/**
 * A key for integer 0 ≤ x < 10^10 that orders as its decimal text followed by a character
 * below '0': the digits left-aligned to 10 places, then the digit count (shorter first on a
 * tie: "1" < "10" < "100" < "11" < "9"). Below 2^38.
 */
export function decKey(x: number): number {
  const d = x < 1e5 ? (x < 100 ? (x < 10 ? 1 : 2) : x < 1e3 ? 3 : x < 1e4 ? 4 : 5) : x < 1e7 ? (x < 1e6 ? 6 : 7) : x < 1e8 ? 8 : x < 1e9 ? 9 : 10;
  return x * POW10[10 - d] * 16 + d;
}

/** Rank of each text of `v` in JS string order (by id). */
function ranksOf(v: Vocab): Uint32Array {
  const tx = v.texts;
  const ids = tx.map((_, i) => i);
  ids.sort((a, b) => (tx[a] < tx[b] ? -1 : tx[a] > tx[b] ? 1 : 0));
  const r = new Uint32Array(ids.length);
  ids.forEach((id, k) => (r[id] = k));
  return r;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the pass keeps of a plain row (parallel arrays by item). */
interface Plain {
  /** Items (indices into frames) of plain rows, ascending. */
  items: Uint32Array;
  count: number;
  prefix: Uint32Array; // analysis words' text id (0 = none)
  pair: Uint32Array; // stream * 2 + sender side
  flags: Uint16Array;
  seq: Uint32Array;
  ack: Uint32Array;
  win: Uint32Array;
  len: Uint32Array;
  ports: (string | undefined)[]; // by pair: "SRC → DST"
}

/**
 * Rank of each frame's Info text among the texts of `frames` (ascending frame numbers): equal
 * texts share a rank, ranks follow JS string order; and the items (indices into `frames`) in
 * that order, ties in item order. Undefined when aborted.
 */
export async function infoOrder(s: CaptureSession, frames: Uint32Array, opts: InfoOrderOptions = {}): Promise<{ rank: Uint32Array; order: Uint32Array } | undefined> {
  const n = frames.length;
  if (n) await prepareApp(s, frames[n - 1]);
  if (opts.signal?.aborted) return undefined;
  const prefixes = new Vocab();
  prefixes.id('');
  const { plain, slow } = columnPass(s, frames, prefixes);
  const order = sortPlain(plain, prefixes);
  // tie[j]: row order[j] equals row order[j − 1] but perhaps for its options.
  const tie = new Uint8Array(order.length);
  for (let j = 1; j < order.length; j++) tie[j] = samePlain(plain, order[j - 1], order[j]) ? 1 : 0;
  const prefixText = prefixes.texts;
  const head = (k: number) => plainText(plain, k, prefixText);
  // Decoded Info texts of plain rows with options, fetched when needed: rows tied on all the
  // rest, and rows a slow text is compared with beyond their part up to Len (rare).
  const full = new Map<number, string>();
  const fetch = async (ks: number[]): Promise<boolean> => {
    const todo = [...new Set(ks)].filter((k) => !full.has(k)).sort((x, y) => x - y);
    if (!todo.length) return true;
    const texts = await decodeInfo(s, Uint32Array.from(todo, (k) => frames[plain.items[k]]), opts);
    if (!texts) return false;
    todo.forEach((k, j) => full.set(k, texts[j]));
    return true;
  };
  const want: number[] = [];
  forEachTie(tie, (a, b) => {
    for (let j = a; j < b; j++) want.push(order[j]);
  });
  if (!(await fetch(want))) return undefined;
  /** Row k's whole Info text (decoded: rows of tie runs only). */
  const textOf = (k: number) => full.get(k)!;
  if (want.length) {
    forEachTie(tie, (a, b) => {
      const run = Array.from(order.subarray(a, b));
      const tx = run.map(textOf);
      const idx = run.map((_, j) => j);
      idx.sort((x, y) => cmpStr(tx[x], tx[y]) || x - y);
      idx.forEach((x, j) => (order[a + j] = run[x]));
    });
  }
  // The other rows: decoded, ordered natively, each distinct text placed among the plain rows.
  const slowTexts = slow.length ? await decodeInfo(s, Uint32Array.from(slow, (i) => frames[i]), opts) : [];
  if (!slowTexts) return undefined;
  const sIdx = slowTexts.map((_, j) => j);
  sIdx.sort((x, y) => cmpStr(slowTexts[x], slowTexts[y]));
  /** How plain row k's text compares with `text`; 2: its options must be decoded first. */
  const cmpRow = (k: number, text: string): number => {
    const known = full.get(k);
    if (known !== undefined) return cmpStr(known, text);
    const h = head(k);
    // The text is h, or h + ' ' + options: only a `text` starting with h needs them.
    if (!text.startsWith(h)) return cmpStr(h, text);
    return 2;
  };
  const cmpAt = async (pos: number, text: string): Promise<number | undefined> => {
    const k = order[pos];
    const c = cmpRow(k, text);
    if (c !== 2) return c;
    if (!(await fetch([k]))) return undefined;
    return cmpStr(full.get(k)!, text);
  };
  const rank = new Uint32Array(n);
  const out = new Uint32Array(n);
  let o = 0;
  let r = -1;
  let j = 0; // next plain position
  let afterPlain = false; // the row ranked last was order[j − 1]
  const m = order.length;
  const items = plain.items;
  const place = (upTo: number) => {
    for (; j < upTo; j++) {
      const k = order[j];
      if (!afterPlain || !tie[j] || textOf(k) !== textOf(order[j - 1])) r++;
      rank[items[k]] = r;
      out[o++] = items[k];
      afterPlain = true;
    }
  };
  for (let q = 0; q < sIdx.length; ) {
    const text = slowTexts[sIdx[q]];
    // First plain position at or after j whose text is not below `text` (galloping, then halving).
    let lo = j;
    let step = 1;
    for (;;) {
      if (lo + step > m) break;
      const c = await cmpAt(lo + step - 1, text);
      if (c === undefined) return undefined;
      if (c >= 0) break;
      lo += step;
      step *= 2;
    }
    let hi = Math.min(m, lo + step);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = await cmpAt(mid, text);
      if (c === undefined) return undefined;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    place(lo);
    r++;
    afterPlain = false;
    // The rows with this text: slow ones, and plain ones with this very text (rare), in item order.
    const group: number[] = [];
    while (q < sIdx.length && slowTexts[sIdx[q]] === text) group.push(slow[sIdx[q++]]);
    let mixed = false;
    while (j < m) {
      const c = await cmpAt(j, text);
      if (c === undefined) return undefined;
      if (c !== 0) break;
      group.push(items[order[j++]]);
      mixed = true;
    }
    if (mixed) group.sort((x, y) => x - y);
    for (const i of group) {
      rank[i] = r;
      out[o++] = i;
    }
  }
  place(m);
  return { rank, order: out };
}

/** The Info text of plain row k up to its Len (options left out). */
function plainText(p: Plain, k: number, prefixText: string[]): string {
  const f = p.flags[k];
  let t = `${prefixText[p.prefix[k]]}${p.ports[p.pair[k]]} [${flagList(f)}] Seq=${p.seq[k]}`;
  if (f & TH_ACK) t += ` Ack=${p.ack[k]}`;
  t += ` Win=${p.win[k]}`;
  return t + ` Len=${p.len[k]}`;
}

/** Plain rows x and y have the same numbers, words, ports and flags (options aside). */
function samePlain(p: Plain, x: number, y: number): boolean {
  return (
    p.seq[x] === p.seq[y] &&
    p.prefix[x] === p.prefix[y] &&
    p.flags[x] === p.flags[y] &&
    p.ack[x] === p.ack[y] &&
    p.win[x] === p.win[y] &&
    p.len[x] === p.len[y] &&
    p.ports[p.pair[x]] === p.ports[p.pair[y]]
  );
}

/** Calls `each(a, b)` for every run [a, b) of at least two rows tied (`tie`). */
function forEachTie(tie: Uint8Array, each: (a: number, b: number) => void): void {
  for (let a = 0; a < tie.length; ) {
    let b = a + 1;
    while (b < tie.length && tie[b]) b++;
    if (b - a > 1) each(a, b);
    a = b;
  }
}

/** Info texts of frames (ascending), in batches with cancellation. */
async function decodeInfo(s: CaptureSession, frames: Uint32Array, opts: InfoOrderOptions): Promise<string[] | undefined> {
  const out: string[] = [];
  const BATCH = 4096;
  for (let i = 0; i < frames.length; i += BATCH) {
    if (opts.signal?.aborted) return undefined;
    const [part] = await readColumnsOf(s, frames.subarray(i, Math.min(frames.length, i + BATCH)), ['info']);
    for (const t of part) out.push(t);
    opts.onProgress?.(out.length, frames.length);
  }
  return opts.signal?.aborted ? undefined : out;
}

/**
 * One pass over the frames' columns: a tracked TCP row without an application result, its
 * header captured whole, is plain when its numbers are in the columns (raw Seq/Ack, tcp.len,
 * the window; not URG: the urgent pointer is not); the others are listed as slow. No bytes are
 * read.
 */
function columnPass(s: CaptureSession, frames: Uint32Array, prefixes: Vocab): { plain: Plain; slow: number[] } {
  const t = s.frames;
  const n = frames.length;
  const streams = appStreams(s);
  const convs = s.analyzer.conversations;
  const plain: Plain = {
    items: new Uint32Array(n),
    count: 0,
    prefix: new Uint32Array(n),
    pair: new Uint32Array(n),
    flags: new Uint16Array(n),
    seq: new Uint32Array(n),
    ack: new Uint32Array(n),
    win: new Uint32Array(n),
    len: new Uint32Array(n),
    ports: new Array<string | undefined>(2 * convs.length),
  };
  const slow: number[] = [];
  // Streams with application results (frames or reassembly errors): only theirs are looked up.
  const withApp = new Uint8Array(streams.length);
  streams.forEach((a, st) => (withApp[st] = a && (a.frames.size || a.overlaps.size) ? 1 : 0));
  /** Words' text id by analysis flags (no duplicate ACK), −1 until met. */
  const wordsByFlags = new Int32Array(FLAG_MASK + 1).fill(-1);
  const noBytes = new Packet(); // flagWords reads the flags from the columns when the packet has no TCP header
  const { tflags, stream, segLen, seqRaw, ackRaw, aflags } = t;
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    const tf = tflags[f - 1];
    const st = stream[f - 1];
    const sl = segLen[f - 1];
    if (!(tf & TF_TCP) || tf & (TF_QUOTED | TF_TRUNCATED | TH_URG) || st < 0 || sl === 0 || sl === SEG_LEN_WIDE || (withApp[st] && (streams[st]!.frames.has(f) || tcpReassemblyError(s, f)))) {
      slow.push(i);
      continue;
    }
    const conv = convs[st];
    const d = tf & TF_DIR_BA ? 1 : 0;
    const F = conv.flow(d);
    const flags = tf & 0xfff;
    const win = !(flags & TH_SYN) && F.winScale >= 0 ? t.win[f - 1] * Math.pow(2, F.winScale) : t.win[f - 1];
    if (!(win < TWO_32)) {
      slow.push(i);
      continue;
    }
    const k = plain.count++;
    plain.items[k] = i;
    const af = aflags[f - 1] & FLAG_MASK;
    if (af) {
      // The words' text depends on the flags alone but for a duplicate ACK's numbers.
      let id = af & A_DUPLICATE_ACK ? -1 : wordsByFlags[af];
      if (!(id >= 0)) {
        const w = flagWords({ n: f, p: noBytes, buf: EMPTY, off: 0, s, conv: undefined, F: undefined, R: undefined });
        id = w.length ? prefixes.id(w.join(' ') + ' ') : 0;
        if (!(af & A_DUPLICATE_ACK)) wordsByFlags[af] = id;
      }
      plain.prefix[k] = id;
    }
    const g = st * 2 + d;
    plain.pair[k] = g;
    if (plain.ports[g] === undefined) plain.ports[g] = d ? `${conv.portB} → ${conv.portA}` : `${conv.portA} → ${conv.portB}`;
    plain.flags[k] = flags;
    plain.seq[k] = (seqRaw[f - 1] - F.baseAt(f)) >>> 0;
    if (flags & TH_ACK) plain.ack[k] = (ackRaw[f - 1] - conv.flow(d ^ 1).baseAt(f)) >>> 0;
    plain.win[k] = win;
    plain.len[k] = sl - 1;
  }
  return { plain, slow };
}

const EMPTY = new Uint8Array(0);

/**
 * Plain rows (indices into `p`'s arrays) in Info order but for their options: radix sort on
 * (words, ports, flags, Seq), then each tied run by Ack, Win and Len.
 */
function sortPlain(p: Plain, prefixes: Vocab): Uint32Array {
  const m = p.count;
  const prefixRank = ranksOf(prefixes);
  // Port pairs ranked by their texts ("SRC → DST" then " [": ranking the texts is the order).
  const pairTexts = new Vocab();
  const pairId = new Map<number, number>();
  p.ports.forEach((text, g) => text !== undefined && pairId.set(g, pairTexts.id(text + ' [')));
  const pairRankOfId = ranksOf(pairTexts);
  // Flag lists ranked by their text followed by ']'.
  const flagTexts = new Vocab();
  const flagId = new Int32Array(4096).fill(-1);
  for (let k = 0; k < m; k++) {
    const f = p.flags[k];
    if (flagId[f] < 0) flagId[f] = flagTexts.id(flagList(f) + ']');
  }
  const flagRankOfId = ranksOf(flagTexts);
  const pairRank = new Uint32Array(m);
  for (let k = 0; k < m; k++) pairRank[k] = pairRankOfId[pairId.get(p.pair[k])!];
  const nPrefix = prefixes.texts.length;
  const nPair = pairTexts.texts.length;
  const nFlag = flagTexts.texts.length;
  const groups = nPrefix * nPair * nFlag;
  // Words: (words, ports, flags) as one group number, then Seq's key (38 bits: 6 + 32).
  const packed = groups * 64 <= TWO_32;
  const split = groups > TWO_32;
  const w0 = new Uint32Array(m);
  const w1 = new Uint32Array(m);
  const w2 = split ? new Uint32Array(m) : w0;
  const wHi = packed ? w0 : new Uint32Array(m);
  const wLo = packed ? w1 : new Uint32Array(m);
  for (let k = 0; k < m; k++) {
    const pf = prefixRank[p.prefix[k]];
    const low = pairRank[k] * nFlag + flagRankOfId[flagId[p.flags[k]]];
    const key = decKey(p.seq[k]);
    const hi = Math.floor(key / TWO_32);
    if (packed) w0[k] = ((pf * nPair * nFlag + low) * 64 + hi) >>> 0;
    else if (split) {
      w0[k] = pf;
      w1[k] = pairRank[k];
      w2[k] = flagRankOfId[flagId[p.flags[k]]];
      wHi[k] = hi;
    } else {
      w0[k] = pf * nPair * nFlag + low;
      wHi[k] = hi;
    }
    (packed ? w1 : wLo)[k] = key >>> 0;
  }
  const items = new Uint32Array(m);
  for (let k = 0; k < m; k++) items[k] = k;
  const order = radixSort(items, packed ? [w0, w1] : split ? [w0, w1, w2, wHi, wLo] : [w0, wHi, wLo]);
  // Runs tied so far: by Ack, Win, Len in turn.
  const levels: ((k: number) => number)[] = [(k) => p.ack[k], (k) => p.win[k], (k) => p.len[k]];
  const headEq = (x: number, y: number) => p.seq[x] === p.seq[y] && pairRank[x] === pairRank[y] && p.flags[x] === p.flags[y] && p.prefix[x] === p.prefix[y];
  for (let a = 0; a < m; ) {
    let b = a + 1;
    while (b < m && headEq(order[a], order[b])) b++;
    if (b - a > 1) refine(order, a, b, levels, 0);
    a = b;
  }
  return order;
}

/** order[a..b) (tied on every level before `level`) sorted stably by the remaining levels' decimal keys. */
function refine(order: Uint32Array, a: number, b: number, levels: ((k: number) => number)[], level: number): void {
  if (level >= levels.length) return;
  const get = levels[level];
  const len = b - a;
  const run = order.subarray(a, b);
  let allEq = true;
  const v0 = get(run[0]);
  for (let j = 1; j < len && allEq; j++) allEq = get(run[j]) === v0;
  if (!allEq) {
    if (len <= 64) {
      // Insertion sort (stable) by the decimal key.
      const keys = Array.from(run, (k) => decKey(get(k)));
      for (let j = 1; j < len; j++) {
        const it = run[j];
        const kv = keys[j];
        let q = j - 1;
        while (q >= 0 && keys[q] > kv) {
          run[q + 1] = run[q];
          keys[q + 1] = keys[q];
          q--;
        }
        run[q + 1] = it;
        keys[q + 1] = kv;
      }
    } else {
      const hi = new Uint32Array(len);
      const lo = new Uint32Array(len);
      for (let j = 0; j < len; j++) {
        const d = decKey(get(run[j]));
        hi[j] = Math.floor(d / TWO_32);
        lo[j] = d >>> 0;
      }
      run.set(radixSort(run, [hi, lo]));
    }
  }
  for (let x = 0; x < len; ) {
    let y = x + 1;
    const vx = get(run[x]);
    while (y < len && get(run[y]) === vx) y++;
    if (y - x > 1) refine(order, a + x, a + y, levels, level + 1);
    x = y;
  }
}

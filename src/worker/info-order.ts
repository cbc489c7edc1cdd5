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
 * its digits left-aligned, the shorter first on a tie: `decKey`.
 *
 * The rows are put in groups of equal (words, ports, flags) by one counting sort (a group is a
 * conversation direction with one flag list and one set of words, or several with the same port
 * text), each in frame order. Inside a group the rows are sorted by Seq's key: a direction's
 * sequence numbers mostly grow with the frames, and growing numbers make at most ten ascending
 * runs of keys (one per digit count), so the group is already sorted or merged from a few runs
 * (natural merge sort); only a group with many runs is sorted outright (native sort of packed
 * keys, or the radix sort). Rows tied on Seq go on with Ack, then Win, then Len the same way
 * (pure ACKs of a direction share their Seq), and rows tied on all of it compare their decoded
 * texts (the options).
 * Every number comes from the frame table's columns (raw Seq/Ack, tcp.len, window, flags, the
 * conversation's ports and bases): plain rows read no byte and build no text.
 *
 * The other rows (application PDUs, non-TCP frames, a TCP header cut or quoted, URG, a reassembly
 * error) are decoded as before and their texts sorted natively; each distinct text is placed
 * among the plain rows by a galloping search that builds the plain rows' texts it meets.
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
  /** Info texts of some frames already known (the sort's side index): asked for before decoding. */
  known?: (frames: Uint32Array) => Promise<(string | undefined)[] | undefined>;
}

/** In an order: the row's text equals the previous row's (bit 31 of the item). */
export const SAME = 0x80000000;
const ITEM = 0x7fffffff;

/**
 * Items (indices into the frames sorted) in Info order, ties in item order, each with SAME set
 * when its text equals the previous one's.
 */
export type InfoOrder = Uint32Array;

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

/** gid of a row that is not plain. */
const SLOW = 0xffffffff;

const POW2 = Array.from({ length: 32 }, (_, k) => Math.pow(2, k));

/** What the column pass keeps of the plain rows: per item (index into frames) and per group. */
interface Plain {
  /** Per item: the row's group (conversation direction × words × flags), SLOW for the others. */
  gid: Uint32Array;
  /** Per item: relative Seq (Ack is read again when asked: `ackOf`). */
  seq: Uint32Array;
  count: number;
  /** Per group: stream * 2 + sender side, and its (words, flags) id. */
  groupPair: number[];
  groupPf: number[];
  /** Per group: its rows. */
  groupCount: number[];
  /** Per (words, flags) id: the words' text id and the flags. */
  pfPrefix: number[];
  pfFlags: number[];
  /** Per stream * 2 + sender side: "SRC → DST", and the window's scale shift + 1 (0 = none). */
  ports: (string | undefined)[];
  winShift: Uint8Array;
  /** Per stream * 2 + sender side: SEEN | MOVED | WIDE, and the base of the Ack numbers (the peer's sequence base). */
  pairState: Uint8Array;
  ackBase: Uint32Array;
}

/** Plain item i's (frame f's) relative Ack, 0 without ACK. */
function ackOf(s: CaptureSession, p: Plain, f: number, i: number): number {
  const g = p.gid[i];
  if (!(p.pfFlags[p.groupPf[g]] & TH_ACK)) return 0;
  const pair = p.groupPair[g];
  const base = p.pairState[pair] & MOVED ? s.analyzer.conversations[pair >>> 1].flow((pair & 1) ^ 1).baseAt(f) : p.ackBase[pair];
  return (s.frames.ackRaw[f - 1] - base) >>> 0;
}

/** Per item: the row's window and Len from the columns (the window scaled unless SYN). */
function winOf(s: CaptureSession, p: Plain, f: number, i: number): number {
  const sh = p.winShift[p.groupPair[p.gid[i]]];
  const raw = s.frames.win[f - 1];
  return sh && !(p.pfFlags[p.groupPf[p.gid[i]]] & TH_SYN) ? raw * POW2[sh - 1] : raw;
}

/**
 * The frames' items (indices into `frames`, ascending frame numbers) in Info order, ties in
 * item order, with SAME marking a text equal to the previous one's. Undefined when aborted.
 */
export async function infoOrder(s: CaptureSession, frames: Uint32Array, opts: InfoOrderOptions = {}): Promise<InfoOrder | undefined> {
  const n = frames.length;
  if (n) await prepareApp(s, frames[n - 1]);
  if (opts.signal?.aborted) return undefined;
  const prefixes = new Vocab();
  prefixes.id('');
  const { plain, slow } = columnPass(s, frames, prefixes);
  const m = plain.count;
  const order = new Uint32Array(m);
  // Runs [a, b) of rows with equal numbers, words, ports and flags (their options may differ), ascending: pairs a, b.
  const ties: number[] = [];
  sortPlain(s, frames, plain, prefixes, order, ties);
  const prefixText = prefixes.texts;
  const head = (i: number) => plainText(s, plain, frames[i], i, prefixText);
  // Decoded Info texts of plain rows with options, fetched when needed: rows tied on all the
  // rest, and rows a slow text is compared with beyond their part up to Len (rare).
  const full = new Map<number, string>();
  const fetch = async (is: number[]): Promise<boolean> => {
    const todo = [...new Set(is)].filter((i) => !full.has(i)).sort((x, y) => x - y);
    if (!todo.length) return true;
    const texts = await decodeInfo(s, Uint32Array.from(todo, (i) => frames[i]), opts);
    if (!texts) return false;
    todo.forEach((i, j) => full.set(i, texts[j]));
    return true;
  };
  const want: number[] = [];
  for (let q = 0; q < ties.length; q += 2) for (let j = ties[q]; j < ties[q + 1]; j++) want.push(order[j]);
  if (!(await fetch(want))) return undefined;
  /** Item i's whole Info text (decoded: rows of tie runs only). */
  const textOf = (i: number) => full.get(i)!;
  if (want.length) {
    for (let q = 0; q < ties.length; q += 2) {
      const a = ties[q];
      const run = Array.from(order.subarray(a, ties[q + 1]));
      const tx = run.map(textOf);
      const idx = run.map((_, j) => j);
      idx.sort((x, y) => cmpStr(tx[x], tx[y]) || x - y);
      idx.forEach((x, j) => (order[a + j] = run[x]));
    }
  }
  // The other rows: texts known (side index) or decoded, ordered natively, each distinct text placed among the plain rows.
  const slowFrames = Uint32Array.from(slow, (i) => frames[i]);
  const known = slow.length && opts.known ? await opts.known(slowFrames) : undefined;
  if (opts.signal?.aborted) return undefined;
  let slowTexts: string[] | undefined = [];
  if (slow.length) {
    const missing: number[] = [];
    slowTexts = new Array<string>(slow.length);
    for (let j = 0; j < slow.length; j++) {
      const k = known?.[j];
      if (k === undefined) missing.push(j);
      else slowTexts[j] = k;
    }
    const decoded = missing.length ? await decodeInfo(s, Uint32Array.from(missing, (j) => slowFrames[j]), opts) : [];
    if (!decoded) return undefined;
    missing.forEach((j, q) => (slowTexts![j] = decoded[q]));
  }
  // The distinct slow texts, sorted, each with its items (in item order).
  const byText = new Map<string, number[]>();
  for (let j = 0; j < slowTexts.length; j++) {
    const x = slowTexts[j];
    const list = byText.get(x);
    if (list) list.push(slow[j]);
    else byText.set(x, [slow[j]]);
  }
  const distinct = [...byText.keys()].sort(cmpStr);
  /** How plain item i's text compares with `text`; 2: its options must be decoded first. */
  const cmpRow = (i: number, text: string): number => {
    const known = full.get(i);
    if (known !== undefined) return cmpStr(known, text);
    const h = head(i);
    // The text is h, or h + ' ' + options: only a `text` starting with h needs them.
    if (!text.startsWith(h)) return cmpStr(h, text);
    return 2;
  };
  const cmpAt = async (pos: number, text: string): Promise<number | undefined> => {
    const i = order[pos];
    const c = cmpRow(i, text);
    if (c !== 2) return c;
    if (!(await fetch([i]))) return undefined;
    return cmpStr(full.get(i)!, text);
  };
  const out = new Uint32Array(n);
  let o = 0;
  let j = 0; // next plain position
  let afterPlain = false; // the row placed last was order[j − 1]
  let tq = 0; // next tie run that may end after j
  const place = (upTo: number) => {
    if (upTo <= j) return;
    // The rows copied as they are; then SAME set where a tie run's rows have equal texts.
    out.set(order.subarray(j, upTo), o);
    while (tq < ties.length && ties[tq + 1] <= j) tq += 2;
    for (let q = tq; q < ties.length && ties[q] < upTo; q += 2) {
      for (let x = Math.max(ties[q] + 1, j), e = Math.min(ties[q + 1], upTo); x < e; x++) {
        if (x === j && !afterPlain) continue;
        if (textOf(order[x]) === textOf(order[x - 1])) out[o + x - j] = (order[x] | SAME) >>> 0;
      }
    }
    o += upTo - j;
    j = upTo;
    afterPlain = true;
  };
  for (const text of distinct) {
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
    afterPlain = false;
    // The rows with this text: slow ones, and plain ones with this very text (rare), in item order.
    const group = byText.get(text)!;
    let mixed = false;
    while (j < m) {
      const c = await cmpAt(j, text);
      if (c === undefined) return undefined;
      if (c !== 0) break;
      group.push(order[j++]);
      mixed = true;
    }
    if (mixed) group.sort((x, y) => x - y);
    group.forEach((i, g) => (out[o++] = g ? (i | SAME) >>> 0 : i));
  }
  place(m);
  return out;
}

/** Rank of each item's text (equal texts share a rank, ranks follow the order) from an Info order. */
export function ranksFromOrder(order: InfoOrder): Uint32Array {
  const rank = new Uint32Array(order.length);
  let r = -1;
  for (let j = 0; j < order.length; j++) {
    const v = order[j];
    if (!(v & SAME)) r++;
    rank[v & ITEM] = r;
  }
  return rank;
}

/** The Info text of plain item i (frame f) up to its Len (options left out). */
function plainText(s: CaptureSession, p: Plain, f: number, i: number, prefixText: string[]): string {
  const g = p.gid[i];
  const pf = p.groupPf[g];
  const flags = p.pfFlags[pf];
  let t = `${prefixText[p.pfPrefix[pf]]}${p.ports[p.groupPair[g]]} [${flagList(flags)}] Seq=${p.seq[i]}`;
  if (flags & TH_ACK) t += ` Ack=${ackOf(s, p, f, i)}`;
  t += ` Win=${winOf(s, p, f, i)}`;
  return t + ` Len=${s.frames.segLen[f - 1] - 1}`;
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
 * read. Per conversation direction the bases and the window's scale are looked up once (the
 * bases per frame only where the second pass moved them).
 */
function columnPass(s: CaptureSession, frames: Uint32Array, prefixes: Vocab): { plain: Plain; slow: number[] } {
  const t = s.frames;
  const n = frames.length;
  const streams = appStreams(s);
  const convs = s.analyzer.conversations;
  const nPairs = 2 * convs.length;
  const plain: Plain = {
    gid: new Uint32Array(n),
    seq: new Uint32Array(n),
    count: 0,
    groupPair: [],
    groupPf: [],
    groupCount: [],
    pfPrefix: [],
    pfFlags: [],
    ports: new Array<string | undefined>(nPairs),
    winShift: new Uint8Array(nPairs),
    pairState: new Uint8Array(nPairs),
    ackBase: new Uint32Array(nPairs),
  };
  const slow: number[] = [];
  // Streams with application results (frames or reassembly errors): only theirs are looked up.
  const withApp = new Uint8Array(convs.length);
  streams.forEach((a, st) => (withApp[st] = a && (a.frames.size || a.overlaps.size) ? 1 : 0));
  // Per pair: 0 unseen, else SEEN | MOVED (bases moved by the second pass: baseAt per frame) | WIDE (a window may not fit 32 bits).
  const seqBase = new Uint32Array(nPairs);
  // Per pair: its last group and that group's (words, flags) id.
  const lastPf = new Int32Array(nPairs).fill(-1);
  const lastGid = new Uint32Array(nPairs);
  const groupOf = new Map<number, number>();
  const pfIds = new Map<number, number>();
  /** Words' text id by analysis flags (no duplicate ACK), −1 until met. */
  const wordsByFlags = new Int32Array(FLAG_MASK + 1).fill(-1);
  const noBytes = new Packet(); // flagWords reads the flags from the columns when the packet has no TCP header
  const { tflags, stream, segLen, seqRaw, aflags, win } = t;
  const { gid, seq, pairState, ackBase, groupPair, groupPf, groupCount, pfPrefix, pfFlags, ports, winShift } = plain;
  let lastAf = -1;
  let lastFlags = -1;
  let lastPfId = -1;
  let count = 0;
  // The rare paths, out of the loop: a conversation direction met first, new (words, flags), a new group.
  const initPair = (g: number): number => {
    const st = g >>> 1;
    const d = g & 1;
    const conv = convs[st];
    const F = conv.flow(d);
    const R = conv.flow(d ^ 1);
    ports[g] = d ? `${conv.portB} → ${conv.portA}` : `${conv.portA} → ${conv.portB}`;
    winShift[g] = F.winScale >= 0 ? F.winScale + 1 : 0;
    seqBase[g] = F.baseSeq;
    ackBase[g] = R.baseSeq;
    return (pairState[g] = SEEN | (F.baseChanges.length || R.baseChanges.length ? MOVED : 0) | (65535 * (F.winScale >= 0 ? POW2[F.winScale] : 1) >= TWO_32 ? WIDE : 0));
  };
  const pfOf = (f: number, af: number, flags: number): number => {
    let prefix = 0;
    if (af) {
      // The words' text depends on the flags alone but for a duplicate ACK's numbers.
      let id = af & A_DUPLICATE_ACK ? -1 : wordsByFlags[af];
      if (!(id >= 0)) {
        const w = flagWords({ n: f, p: noBytes, buf: EMPTY, off: 0, s, conv: undefined, F: undefined, R: undefined });
        id = w.length ? prefixes.id(w.join(' ') + ' ') : 0;
        if (!(af & A_DUPLICATE_ACK)) wordsByFlags[af] = id;
      }
      prefix = id;
    }
    const key = prefix * 4096 + flags;
    let x = pfIds.get(key);
    if (x === undefined) {
      x = pfPrefix.length;
      pfPrefix.push(prefix);
      pfFlags.push(flags);
      pfIds.set(key, x);
    }
    return x;
  };
  const groupFor = (g: number, pf: number): number => {
    const gk = pf * nPairs + g;
    let x = groupOf.get(gk);
    if (x === undefined) {
      x = groupPair.length;
      groupPair.push(g);
      groupPf.push(pf);
      groupCount.push(0);
      groupOf.set(gk, x);
    }
    lastPf[g] = pf;
    return (lastGid[g] = x);
  };
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    const tf = tflags[f - 1];
    const st = stream[f - 1];
    const sl = segLen[f - 1];
    if (!(tf & TF_TCP) || tf & (TF_QUOTED | TF_TRUNCATED | TH_URG) || st < 0 || sl === 0 || sl === SEG_LEN_WIDE || (withApp[st] && (streams[st]!.frames.has(f) || tcpReassemblyError(s, f)))) {
      gid[i] = SLOW;
      slow.push(i);
      continue;
    }
    const d = tf & TF_DIR_BA ? 1 : 0;
    const g = st * 2 + d;
    let ps = pairState[g];
    if (ps === 0) ps = initPair(g);
    const flags = tf & 0xfff;
    if (ps & WIDE && !(flags & TH_SYN) && !(win[f - 1] * POW2[winShift[g] - 1] < TWO_32)) {
      gid[i] = SLOW;
      slow.push(i);
      continue;
    }
    const af = aflags[f - 1] & FLAG_MASK;
    // The (words, flags) id: the previous row's when the same (a duplicate ACK's words hold its numbers).
    let pf = lastPfId;
    if (af !== lastAf || flags !== lastFlags || af & A_DUPLICATE_ACK) {
      pf = lastPfId = pfOf(f, af, flags);
      lastAf = af;
      lastFlags = flags;
    }
    const gr = lastPf[g] === pf ? lastGid[g] : groupFor(g, pf);
    gid[i] = gr;
    groupCount[gr]++;
    seq[i] = (seqRaw[f - 1] - (ps & MOVED ? convs[st].flow(d).baseAt(f) : seqBase[g])) >>> 0;
    count++;
  }
  plain.count = count;
  return { plain, slow };
}

const EMPTY = new Uint8Array(0);
const SEEN = 1;
const MOVED = 2;
const WIDE = 4;

/**
 * Plain rows in Info order but for their options, into `order` (items); `ties` gets the runs
 * [a, b) of rows with the same numbers, words, ports and flags, ascending. One counting sort puts
 * the rows in groups of equal (words, ports, flags), in item order; then each group is sorted
 * by Seq, each run tied by Ack, Win and Len in turn (`sortRun`).
 */
function sortPlain(s: CaptureSession, frames: Uint32Array, p: Plain, prefixes: Vocab, order: Uint32Array, ties: number[]): void {
  const G = p.groupPair.length;
  if (!G) return;
  const prefixRank = ranksOf(prefixes);
  // Port pairs ranked by their texts ("SRC → DST" then " [": ranking the texts is the order).
  const pairTexts = new Vocab();
  const flagTexts = new Vocab();
  const kP = new Uint32Array(G);
  const kQ = new Uint32Array(G);
  const kR = new Uint32Array(G);
  for (let x = 0; x < G; x++) {
    const pf = p.groupPf[x];
    kP[x] = prefixRank[p.pfPrefix[pf]];
    kQ[x] = pairTexts.id(p.ports[p.groupPair[x]]! + ' [');
    kR[x] = flagTexts.id(flagList(p.pfFlags[pf]) + ']');
  }
  const pairRank = ranksOf(pairTexts);
  const flagRank = ranksOf(flagTexts);
  for (let x = 0; x < G; x++) {
    kQ[x] = pairRank[kQ[x]];
    kR[x] = flagRank[kR[x]];
  }
  const ids = new Uint32Array(G);
  for (let x = 0; x < G; x++) ids[x] = x;
  const byKey = G > 1 ? radixSort(ids, [kP, kQ, kR]) : ids;
  // Dense rank of each group's key: groups of equal texts (other hosts, the same ports) share one.
  const grank = new Uint32Array(G);
  let nr = 0;
  for (let j = 0; j < G; j++) {
    const x = byKey[j];
    const y = j ? byKey[j - 1] : x;
    if (j && (kP[x] !== kP[y] || kQ[x] !== kQ[y] || kR[x] !== kR[y])) nr++;
    grank[x] = nr;
  }
  nr++;
  const gid = p.gid;
  const n = gid.length;
  const start = new Uint32Array(nr + 1);
  for (let x = 0; x < G; x++) start[grank[x] + 1] += p.groupCount[x];
  for (let r = 0; r < nr; r++) start[r + 1] += start[r];
  const at = start.slice(0, nr);
  for (let i = 0; i < n; i++) {
    const g = gid[i];
    if (g !== SLOW) order[at[grank[g]]++] = i;
  }
  const t = s.frames;
  const levels = [p.seq, (i: number) => ackOf(s, p, frames[i], i), (i: number) => winOf(s, p, frames[i], i), (i: number) => t.segLen[frames[i] - 1] - 1];
  const sorter = new RunSorter(order, ties, levels);
  for (let r = 0; r < nr; r++) if (start[r + 1] - start[r] > 1) sorter.sort(start[r], start[r + 1], 0);
}

/**
 * Sorts runs of `order` (items) stably by the decimal keys of level after level, listing in
 * `ties` the runs [a, b) of rows equal on every level (pairs a, b, ascending). A level's values are an array by
 * item (Seq, Ack) or a function of the item (Win, Len: only rows tied on Seq and Ack ask).
 */
export class RunSorter {
  private keys = new Float64Array(0);
  private keysB = new Float64Array(0);
  private items = new Uint32Array(0);
  private itemsB = new Uint32Array(0);
  private runs = new Uint32Array(0);

  constructor(
    private readonly order: Uint32Array,
    private readonly ties: number[],
    private readonly levels: (Uint32Array | ((i: number) => number))[],
  ) {}

  private room(len: number): void {
    if (this.keys.length >= len) return;
    const cap = Math.max(len, this.keys.length * 2);
    this.keys = new Float64Array(cap);
    this.keysB = new Float64Array(cap);
    this.items = new Uint32Array(cap);
    this.itemsB = new Uint32Array(cap);
    this.runs = new Uint32Array(cap + 1);
  }

  /** order[a..b), tied on the levels before `level`: sorted by this level, tied runs refined by the next. */
  sort(a: number, b: number, level: number): void {
    const order = this.order;
    const len = b - a;
    this.room(len);
    const K = this.keys;
    const L = this.levels[level];
    // The keys, and whether they are in order already (a direction's numbers mostly grow: then they are).
    let descents = 0;
    let prev = -1;
    if (typeof L === 'function') {
      for (let j = 0; j < len; j++) {
        const k = (K[j] = decKey(L(order[a + j])));
        if (k < prev) descents++;
        prev = k;
      }
    } else {
      for (let j = 0; j < len; j++) {
        const k = (K[j] = decKey(L[order[a + j]]));
        if (k < prev) descents++;
        prev = k;
      }
    }
    if (descents) this.sortKeys(a, b, descents);
    // Runs of equal keys (equal values): the next level, or tied for good.
    const last = level === this.levels.length - 1;
    let sub: number[] | undefined;
    for (let x = 0; x < len; ) {
      const v = K[x];
      let y = x + 1;
      while (y < len && K[y] === v) y++;
      if (y - x > 1) {
        if (last) this.ties.push(a + x, a + y);
        else (sub ??= []).push(a + x, a + y);
      }
      x = y;
    }
    if (sub) for (let q = 0; q < sub.length; q += 2) this.sort(sub[q], sub[q + 1], level + 1);
  }

  /** order[a..b) sorted by the keys in `keys` (left sorted with it). */
  private sortKeys(a: number, b: number, descents: number): void {
    const order = this.order;
    const K = this.keys;
    const len = b - a;
    if (len <= 16) {
      // Insertion sort (stable).
      for (let j = 1; j < len; j++) {
        const it = order[a + j];
        const kv = K[j];
        let q = j - 1;
        while (q >= 0 && K[q] > kv) {
          order[a + q + 1] = order[a + q];
          K[q + 1] = K[q];
          q--;
        }
        order[a + q + 1] = it;
        K[q + 1] = kv;
      }
      return;
    }
    if (descents < 64 && descents * 16 < len) {
      this.mergeRuns(a, b);
      return;
    }
    const I = this.items;
    if (len <= 32768) {
      // Native sort of the keys packed with the position (ties keep their order): below 2^53.
      const packed = new Float64Array(len);
      for (let j = 0; j < len; j++) packed[j] = K[j] * 32768 + j;
      packed.sort();
      for (let j = 0; j < len; j++) {
        const x = packed[j] % 32768;
        I[j] = order[a + x];
        K[j] = (packed[j] - x) / 32768;
      }
      order.set(I.subarray(0, len), a);
      return;
    }
    const hi = new Uint32Array(len);
    const lo = new Uint32Array(len);
    const pos = new Uint32Array(len);
    for (let j = 0; j < len; j++) {
      const d = K[j];
      hi[j] = Math.floor(d / TWO_32);
      lo[j] = d >>> 0;
      pos[j] = j;
    }
    const sorted = radixSort(pos, [hi, lo]);
    const K2 = this.keysB;
    for (let j = 0; j < len; j++) {
      const x = sorted[j];
      I[j] = order[a + x];
      K2[j] = K[x];
    }
    order.set(I.subarray(0, len), a);
    K.set(K2.subarray(0, len));
  }

  /** Natural merge sort of order[a..b) by `keys`: its ascending runs merged pairwise until one is left. */
  private mergeRuns(a: number, b: number): void {
    const len = b - a;
    let K = this.keys;
    let I = this.items;
    let K2 = this.keysB;
    let I2 = this.itemsB;
    const runs = this.runs;
    let nr = 0;
    runs[nr++] = 0;
    I[0] = this.order[a];
    for (let j = 1; j < len; j++) {
      if (K[j] < K[j - 1]) runs[nr++] = j;
      I[j] = this.order[a + j];
    }
    runs[nr] = len;
    while (nr > 1) {
      let w = 0;
      let r = 0;
      for (; r + 1 < nr; r += 2) {
        let x = runs[r];
        const xe = runs[r + 1];
        let y = xe;
        const ye = runs[r + 2];
        let o = x;
        while (x < xe && y < ye) {
          const kx = K[x];
          const ky = K[y];
          if (ky < kx) {
            K2[o] = ky;
            I2[o++] = I[y++];
          } else {
            K2[o] = kx;
            I2[o++] = I[x++];
          }
        }
        if (x < xe) {
          K2.set(K.subarray(x, xe), o);
          I2.set(I.subarray(x, xe), o);
        } else if (y < ye) {
          K2.set(K.subarray(y, ye), o);
          I2.set(I.subarray(y, ye), o);
        }
        runs[w++] = runs[r];
      }
      if (r < nr) {
        // An odd run left over: copied as is.
        K2.set(K.subarray(runs[r], runs[r + 1]), runs[r]);
        I2.set(I.subarray(runs[r], runs[r + 1]), runs[r]);
        runs[w++] = runs[r];
      }
      runs[w] = len;
      nr = w;
      [K, K2] = [K2, K];
      [I, I2] = [I2, I];
    }
    this.order.set(I.subarray(0, len), a);
    if (K !== this.keys) this.keys.set(K.subarray(0, len));
  }
}

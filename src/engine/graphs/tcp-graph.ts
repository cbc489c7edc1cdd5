/**
 * The data of the TCP stream graphs (Stevens, tcptrace, throughput, RTT, window scaling) for one
 * stream and direction, as typed arrays the worker transfers to the UI. Every value is the one
 * the CLI prints for the frame (`-T fields -e tcp.seq`, tcp.len, tcp.ack, tcp.window_size,
 * tcp.analysis.ack_rtt, tcp.analysis.bytes_in_flight: the field getters of fields/project.ts), and
 * times are seconds since the capture's first frame (frame.time_relative).
 *
 * `dir` 0 is the conversation's first endpoint sending (A→B), 1 the other way. The segments are
 * the frames sent in `dir`; the ACKs are the frames sent back (they carry the acknowledgement,
 * the receive window and the SACK blocks, all in the segments' sequence space).
 */
import { Packet, TH_ACK, TH_FIN, TH_SYN } from '../decode/packet';
import { forEachTcpOption, u32At } from '../decode/tcp-options';
import { FIELDS, type FrameCtx } from '../fields/project';
import { decodeAgain, readFramesBatched } from '../fields/decode-again';
import { TCP_FLAGS_SHIFT } from '../fields/flag-bits';
import type { CaptureSession } from '../session';
import { SEG_LEN_WIDE, TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_SACK } from '../tcp/frames';
import { A_RECORD } from '../tcp/flags';

export interface TcpSegments {
  frame: Uint32Array;
  /** Seconds since the first frame of the capture. */
  t: Float64Array;
  /** Relative sequence number (tcp.seq), unwrapped past 2^32. */
  seq: Float64Array;
  /** tcp.len */
  len: Uint32Array;
  /** tcp.analysis.bytes_in_flight (0 when absent). */
  bif: Float64Array;
  /** Analysis flags (tcp/flags.ts A_*) and, in bits 16–27, the TCP header flags. */
  flags: Uint32Array;
}

export interface TcpAcks {
  frame: Uint32Array;
  t: Float64Array;
  /** Relative acknowledgement number (tcp.ack), unwrapped as the segments' sequence numbers. */
  ack: Float64Array;
  /** Calculated receive window (tcp.window_size). */
  win: Float64Array;
  /** tcp.analysis.ack_rtt in seconds (NaN when absent) and the frame it acknowledges (0 = none). */
  rtt: Float64Array;
  acked: Uint32Array;
  flags: Uint32Array;
  /** SACK blocks: those of ACK i are sackLeft/sackRight[sackAt[i] … sackAt[i+1]). */
  sackAt: Uint32Array;
  sackLeft: Float64Array;
  sackRight: Float64Array;
}

/** The RTT graph's points (see rttBySeq), sorted by seq. */
export interface TcpRtt {
  /** The ACK carrying tcp.analysis.ack_rtt (not ascending: the points are in seq order). */
  frame: Uint32Array;
  /** tcp.seq of the acknowledged segment, unwrapped as TcpSegments.seq. */
  seq: Float64Array;
  /** tcp.analysis.ack_rtt, seconds. */
  rtt: Float64Array;
}

export interface TcpGraphData {
  stream: number;
  dir: 0 | 1;
  /** "10.0.0.1:5000 → 10.0.0.2:80" */
  title: string;
  seg: TcpSegments;
  ack: TcpAcks;
  rtt: TcpRtt;
}

export { TCP_FLAGS_SHIFT };

/** Grows a typed array as values come (doubling), trimmed at the end. */
class Col<T extends Float64Array | Uint32Array> {
  n = 0;
  constructor(public a: T) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new (this.a.constructor as new (n: number) => T)(Math.max(16, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): T {
    return this.n === this.a.length ? this.a : (this.a.slice(0, this.n) as T);
  }
}
const f64 = (n = 256) => new Col(new Float64Array(Math.max(16, n)));

/** Unwraps 32-bit relative sequence numbers into a growing number line. */
class Unwrap {
  private hi = 0;
  private last = -1;
  at(v: number): number {
    if (this.last >= 0) {
      if (v < this.last - 2 ** 31) this.hi += 2 ** 32;
      else if (v > this.last + 2 ** 31 && this.hi > 0) this.hi -= 2 ** 32;
    }
    this.last = v;
    return this.hi + v;
  }
}

/** The arrays of one stream and direction, from a loaded session. */
export async function tcpGraphData(s: CaptureSession, stream: number, dir: 0 | 1): Promise<TcpGraphData | undefined> {
  const conv = s.analyzer.conversations[stream];
  if (!conv) return undefined;
  const frames = s.frames;
  const { stream: streamCol, tflags, xflags, seqRaw, ackRaw, segLen } = frames;
  // The stream's frames (the table's stream column) and how many go each way (its direction
  // bit), so every array is allocated once. A header quoted in an ICMP error is not the stream's.
  let mine = 0;
  let back = 0;
  for (let i = 0; i < s.frameCount; i++)
    if (streamCol[i] === stream && !(tflags[i] & TF_QUOTED)) {
      if ((tflags[i] & TF_DIR_BA ? 1 : 0) === dir) mine++;
      else back++;
    }
  const list = new Uint32Array(mine + back);
  for (let i = 0, k = 0; k < list.length; i++) if (streamCol[i] === stream && !(tflags[i] & TF_QUOTED)) list[k++] = i + 1;
  // Everything comes from the columns and the SACK blocks the load kept (FrameTable.sackOf) but
  // the rare frames whose tcp.len the table does not hold (whose options the load did not walk)
  // and the title's addresses (the first frame): only those frames are read again.
  const need: number[] = [];
  for (let k = 0; k < list.length; k++) {
    const i = list[k] - 1;
    const l = segLen[i];
    const isAck = (tflags[i] & TF_DIR_BA ? 1 : 0) !== dir;
    if (k === 0 || l === SEG_LEN_WIDE || (isAck && l === 0)) need.push(i + 1);
  }
  const sent = conv.flow(dir);
  const read = new Map<number, { len: number; sack: number[] }>();
  let title = '';
  const p = new Packet();
  await readFramesBatched(s, need, (n, buf, off) => {
    const c = decodeAgain(s, p, n, buf, off);
    if (!p.hasTcp || !p.tcpFull || p.tcpQuoted) return;
    const sack: number[] = [];
    if (p.hdrLen > 20)
      forEachTcpOption(p, (k, o, len) => {
        if (k !== 5) return;
        for (let q = o + 2; q + 8 <= o + len; q += 8) sack.push(u32At(p.tcpBuf, q), u32At(p.tcpBuf, q + 4));
      });
    read.set(n, { len: p.segLen >= 0 ? p.segLen : 0, sack });
    if (!title) {
      const d = tflags[n - 1] & TF_DIR_BA ? 1 : 0;
      title = d === dir ? `${addr(c)}:${p.srcPort} → ${addr(c, true)}:${p.dstPort}` : `${addr(c, true)}:${p.dstPort} → ${addr(c)}:${p.srcPort}`;
    }
  });
  const seg = { frame: new Uint32Array(mine), t: new Float64Array(mine), seq: new Float64Array(mine), len: new Uint32Array(mine), bif: new Float64Array(mine), flags: new Uint32Array(mine) };
  const ack = { frame: new Uint32Array(back), t: new Float64Array(back), ack: new Float64Array(back), win: new Float64Array(back), rtt: new Float64Array(back), acked: new Uint32Array(back), flags: new Uint32Array(back), sackAt: new Uint32Array(back + 1) };
  const sackLeft = f64();
  const sackRight = f64();
  const segUnwrap = new Unwrap();
  // ACK numbers and SACK edges live in the segments' sequence space: unwrapped on their own line
  // (they move together with the sequence numbers, never far from them).
  const ackUnwrap = new Unwrap();
  const sackUnwrap = new Unwrap();
  // The values of the registry's column getters (fields/builtin.ts: what -T fields prints, absent
  // = 0 here), read straight from the table's columns: one pass, nothing allocated per frame.
  const { aflags, bif, win, acksFrame, tsNsec } = frames;
  const sec0 = frames.secOf(0);
  const ns0 = tsNsec[0] | 0;
  // The ACKs' window scale: the sender's of the other direction (tcp.window_size).
  const ws = conv.flow(dir ? 0 : 1).winScale;
  const scale = ws >= 0 ? 1 << Math.min(ws, 14) : 1;
  const base0 = sent.baseSeq;
  const baseMoves = sent.baseChanges.length > 0;
  let ns = 0;
  let na = 0;
  for (let k = 0; k < list.length; k++) {
    const n = list[k];
    const i = n - 1;
    const tf = tflags[i];
    const sec = frames.secOf(i);
    const t = ((sec - sec0) * 1e9 + ((tsNsec[i] | 0) - ns0)) / 1e9;
    // project.ts aflags(): a header cut inside its options shows no analysis.
    const af = tf & TF_TRUNCATED ? 0 : aflags[i];
    const fl = (af | ((tf & 0xfff) << TCP_FLAGS_SHIFT)) >>> 0;
    const l = segLen[i];
    const mineDir = (tf & TF_DIR_BA ? 1 : 0) === dir;
    const r = k === 0 || l === SEG_LEN_WIDE || (!mineDir && l === 0) ? read.get(n) : undefined;
    const base = baseMoves ? sent.baseAt(n) : base0;
    if (mineDir) {
      // tcp.seq relative to the sender's base at this frame; tcp.len ('' = 0).
      seg.frame[ns] = n;
      seg.t[ns] = t;
      seg.seq[ns] = segUnwrap.at((seqRaw[i] - base) >>> 0);
      seg.len[ns] = l === SEG_LEN_WIDE ? (r?.len ?? 0) : l === 0 ? 0 : l - 1;
      seg.bif[ns] = af & A_RECORD ? bif[i] : 0;
      seg.flags[ns++] = fl;
    } else {
      // tcp.ack relative to the other side's base when the ACK flag is set, raw otherwise.
      ack.frame[na] = n;
      ack.t[na] = t;
      ack.ack[na] = ackUnwrap.at(tf & TH_ACK ? (ackRaw[i] - base) >>> 0 : ackRaw[i]);
      // tcp.window_size: scaled but on SYNs and quoted headers.
      ack.win[na] = tf & TF_TCP ? (tf & (TF_QUOTED | TH_SYN) ? win[i] : win[i] * scale) : 0;
      // tcp.analysis.ack_rtt: seconds since the acknowledged frame (none when 0 ns).
      const f = af & A_RECORD ? acksFrame[i] : 0;
      const rtt = f ? (sec - frames.secOf(f - 1)) * 1e9 + (((tsNsec[i] | 0) - (tsNsec[f - 1] | 0)) | 0) : 0;
      ack.rtt[na] = rtt !== 0 ? rtt / 1e9 : NaN;
      ack.acked[na] = f;
      ack.flags[na] = fl;
      ack.sackAt[na++] = sackLeft.n;
      // SACK blocks: kept by the load for frames with X_SACK; read from the header for the rest.
      const sack = r ? r.sack : xflags[i] & X_SACK ? frames.sackOf(n) : undefined;
      if (sack && sack.length) {
        for (let q = 0; q < sack.length; q += 2) {
          sackLeft.push(sackUnwrap.at((sack[q] - base) >>> 0));
          sackRight.push(sackUnwrap.at((sack[q + 1] - base) >>> 0));
        }
      }
    }
  }
  ack.sackAt[na] = sackLeft.n;
  const acks: TcpAcks = { ...ack, sackLeft: sackLeft.done(), sackRight: sackRight.done() };
  return { stream, dir, title, seg, ack: acks, rtt: rttBySeq(seg, acks) };
}

/**
 * The RTT graph's points, as Wireshark's plots them: one per ACK that has tcp.analysis.ack_rtt,
 * at the sequence number (tcp.seq) of the segment it acknowledges (tcp.analysis.acks_frame),
 * sorted by that sequence number (then by the ACK's frame).
 */
function rttBySeq(seg: TcpSegments, ack: TcpAcks): TcpRtt {
  const na = ack.frame.length;
  const idx = new Uint32Array(na);
  const seqOf = new Float64Array(na);
  let m = 0;
  // The acknowledged frames mostly come in order: look from the last one found first.
  let j = 0;
  for (let i = 0; i < na; i++) {
    const r = ack.rtt[i];
    if (r !== r) continue;
    const f = ack.acked[i];
    while (j < seg.frame.length && seg.frame[j] < f) j++;
    if (j >= seg.frame.length || seg.frame[j] !== f) {
      j = indexOf(seg.frame, f);
      if (j < 0) {
        j = 0;
        continue;
      }
    }
    idx[m] = i;
    seqOf[m++] = seg.seq[j];
  }
  const order = sortedOrder(seqOf.subarray(0, m));
  const out: TcpRtt = { frame: new Uint32Array(m), seq: new Float64Array(m), rtt: new Float64Array(m) };
  for (let k = 0; k < m; k++) {
    const i = idx[order[k]];
    out.frame[k] = ack.frame[i];
    out.seq[k] = seqOf[order[k]];
    out.rtt[k] = ack.rtt[i];
  }
  return out;
}

/**
 * The indices of `keys` in ascending order of the key (stable). The keys come nearly sorted (an
 * RTT point of a retransmission lands a few places back): insertion sort, O(n + moves), gives up
 * past 8·n moves for a comparison sort.
 */
export function sortedOrder(keys: ArrayLike<number>): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let budget = 8 * n + 64;
  for (let k = 1; k < n; k++) {
    const o = order[k];
    const v = keys[o];
    let j = k - 1;
    while (j >= 0 && keys[order[j]] > v) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = o;
    budget -= k - 1 - j;
    if (budget < 0) return order.sort((a, b) => keys[a] - keys[b] || a - b);
  }
  return order;
}

/** Index of `v` in ascending `a`, or −1. */
function indexOf(a: Uint32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo < a.length && a[lo] === v ? lo : -1;
}

function addr(c: FrameCtx, dst = false): string {
  const v4 = FIELDS[dst ? 'ip.dst' : 'ip.src'](c);
  if (v4) return v4;
  const v6 = FIELDS[dst ? 'ipv6.dst' : 'ipv6.src'](c);
  return v6 ? `[${v6}]` : '?';
}

/** Every ArrayBuffer of the data, to transfer it to another thread instead of copying. */
export function graphBuffers(g: TcpGraphData): ArrayBuffer[] {
  return [...Object.values(g.seg), ...Object.values(g.ack), ...Object.values(g.rtt)].map((a: Float64Array | Uint32Array) => a.buffer as ArrayBuffer);
}

/** Whether a segment carries SYN or FIN (they take one sequence number). */
export const synOrFin = (flags: number): boolean => ((flags >>> TCP_FLAGS_SHIFT) & (TH_SYN | TH_FIN)) !== 0;

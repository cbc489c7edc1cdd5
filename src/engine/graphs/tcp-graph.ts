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
import { Packet, TH_FIN, TH_SYN } from '../decode/packet';
import { forEachTcpOption, u32At } from '../decode/tcp-options';
import { FIELDS, aflags, type FrameCtx } from '../fields/project';
import { decodeFrames } from '../fields/decode-again';
import { getField } from '../fields/registry';
import { TCP_FLAGS_SHIFT } from '../fields/flag-bits';
import type { CaptureSession } from '../session';
import { TF_DIR_BA } from '../tcp/frames';

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

export interface TcpGraphData {
  stream: number;
  dir: 0 | 1;
  /** "10.0.0.1:5000 → 10.0.0.2:80" */
  title: string;
  seg: TcpSegments;
  ack: TcpAcks;
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
const u32 = (n = 256) => new Col(new Uint32Array(Math.max(16, n)));

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

/** SACK blocks (option 5) of the frame's TCP header, relative to `base`, appended to left/right. */
function sackBlocks(p: Packet, base: number, left: Col<Float64Array>, right: Col<Float64Array>, unwrap: (v: number) => number): void {
  const b = p.tcpBuf;
  forEachTcpOption(p, (k, o, len) => {
    if (k !== 5) return;
    for (let q = o + 2; q + 8 <= o + len; q += 8) {
      left.push(unwrap((u32At(b, q) - base) >>> 0));
      right.push(unwrap((u32At(b, q + 4) - base) >>> 0));
    }
  });
}

const num = (s: string): number => (s === '' ? 0 : Number(s));

/** The arrays of one stream and direction, from a loaded session (re-reads the stream's frames). */
export async function tcpGraphData(s: CaptureSession, stream: number, dir: 0 | 1): Promise<TcpGraphData | undefined> {
  const conv = s.analyzer.conversations[stream];
  if (!conv) return undefined;
  const frames = s.frames;
  // The stream's frames, read again in batches of neighbours (decodeFrames): only those frames.
  const list: number[] = [];
  for (let i = 0; i < s.frameCount; i++) if (frames.stream[i] === stream) list.push(i + 1);
  // Sized for the direction's frames (from the table's direction bit), so no column grows.
  let mine = 0;
  for (const n of list) if ((frames.tflags[n - 1] & TF_DIR_BA ? 1 : 0) === dir) mine++;
  const back = list.length - mine;
  const seg = { frame: u32(mine), t: f64(mine), seq: f64(mine), len: u32(mine), bif: f64(mine), flags: u32(mine) };
  const ack = { frame: u32(back), t: f64(back), ack: f64(back), win: f64(back), rtt: f64(back), acked: u32(back), flags: u32(back), sackAt: u32(back + 1), sackLeft: f64(), sackRight: f64() };
  const segUnwrap = new Unwrap();
  // ACK numbers and SACK edges live in the segments' sequence space: unwrapped on their own line
  // (they move together with the sequence numbers, never far from them).
  const ackUnwrap = new Unwrap();
  const sackUnwrap = new Unwrap();
  const sackAt = (v: number) => sackUnwrap.at(v);
  const p = new Packet();
  const get = (name: string) => FIELDS[name];
  const [gSeq, gLen, gAck] = ['tcp.seq', 'tcp.len', 'tcp.ack'].map(get);
  // Values the frame table holds are read from it (the registry's column getters: NaN = absent).
  const col = (name: string) => getField(name)!.column!;
  const [cBif, cWin, cRtt, cAcks] = ['tcp.analysis.bytes_in_flight', 'tcp.window_size', 'tcp.analysis.ack_rtt', 'tcp.analysis.acks_frame'].map(col);
  const or0 = (v: number) => (v === v ? v : 0);
  let title = '';
  await decodeFrames(s, p, list, (n, c) => {
    if (!p.hasTcp || !p.tcpFull || p.tcpQuoted) return;
    const d = frames.tflags[n - 1] & TF_DIR_BA ? 1 : 0;
    const t = frames.nsBetween(n, 1) / 1e9;
    const fl = (aflags(c) | (p.flags << TCP_FLAGS_SHIFT)) >>> 0;
    if (!title && d === dir) title = `${addr(c)}:${p.srcPort} → ${addr(c, true)}:${p.dstPort}`;
    if (d === dir) {
      seg.frame.push(n);
      seg.t.push(t);
      seg.seq.push(segUnwrap.at(num(gSeq(c))));
      seg.len.push(num(gLen(c)));
      seg.bif.push(or0(cBif(s, n)));
      seg.flags.push(fl);
    } else {
      if (!title) title = `${addr(c, true)}:${p.dstPort} → ${addr(c)}:${p.srcPort}`;
      ack.frame.push(n);
      ack.t.push(t);
      ack.ack.push(ackUnwrap.at(num(gAck(c))));
      ack.win.push(or0(cWin(s, n)));
      ack.rtt.push(cRtt(s, n));
      ack.acked.push(or0(cAcks(s, n)));
      ack.flags.push(fl);
      ack.sackAt.push(ack.sackLeft.n);
      if (c.R) sackBlocks(p, c.R.baseAt(n), ack.sackLeft, ack.sackRight, sackAt);
    }
  });
  ack.sackAt.push(ack.sackLeft.n);
  return {
    stream,
    dir,
    title,
    seg: { frame: seg.frame.done(), t: seg.t.done(), seq: seg.seq.done(), len: seg.len.done(), bif: seg.bif.done(), flags: seg.flags.done() },
    ack: {
      frame: ack.frame.done(),
      t: ack.t.done(),
      ack: ack.ack.done(),
      win: ack.win.done(),
      rtt: ack.rtt.done(),
      acked: ack.acked.done(),
      flags: ack.flags.done(),
      sackAt: ack.sackAt.done(),
      sackLeft: ack.sackLeft.done(),
      sackRight: ack.sackRight.done(),
    },
  };
}

function addr(c: FrameCtx, dst = false): string {
  const v4 = FIELDS[dst ? 'ip.dst' : 'ip.src'](c);
  if (v4) return v4;
  const v6 = FIELDS[dst ? 'ipv6.dst' : 'ipv6.src'](c);
  return v6 ? `[${v6}]` : '?';
}

/** Every ArrayBuffer of the data, to transfer it to another thread instead of copying. */
export function graphBuffers(g: TcpGraphData): ArrayBuffer[] {
  return [...Object.values(g.seg), ...Object.values(g.ack)].map((a: Float64Array | Uint32Array) => a.buffer as ArrayBuffer);
}

/** Whether a segment carries SYN or FIN (they take one sequence number). */
export const synOrFin = (flags: number): boolean => ((flags >>> TCP_FLAGS_SHIFT) & (TH_SYN | TH_FIN)) !== 0;

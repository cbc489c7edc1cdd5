/**
 * The draw-ready series of each graph, built in the worker from the graph's data (tcp-graph.ts,
 * throughput.ts, io-graph.ts) with each series' zoom pyramid (lod.ts), so the UI receives
 * transferred buffers and only draws (ui/features/graphs/series.ts adds labels and colours by id).
 *
 *   stevens     seq: tcp.seq of each segment over time
 *   tcptrace    seg: each segment as a bar from tcp.seq to tcp.seq + tcp.len (SYN/FIN one more);
 *               ack: tcp.ack of the returning ACKs (ACK flag set); win: tcp.ack + tcp.window_size;
 *               sack: each SACK block as a bar at its ACK's time; marks retrans (at the segment's
 *               end), flags (other analysis flags of segments), zero (zero windows), dup
 *               (duplicate ACKs, ACKed unseen segments)
 *   throughput  tput: bits/s per segment; avg, good: throughput and goodput over the moving window
 *   rtt         rtt: tcp.analysis.ack_rtt in ms against the acknowledged segment's tcp.seq
 *   wscale      rwin: tcp.window_size of the returning ACKs; bif: tcp.analysis.bytes_in_flight
 *   io          io0 … : one line per I/O graph line
 */
import { A_ACK_LOST_SEGMENT, A_DUPLICATE_ACK, A_FAST_RETRANSMISSION, A_KEEP_ALIVE, A_LOST_SEGMENT, A_OUT_OF_ORDER, A_RETRANSMISSION, A_SPURIOUS_RETRANSMISSION, A_WINDOW_FULL, A_ZERO_WINDOW, A_ZERO_WINDOW_PROBE } from '../tcp/flags';
import { TCP_FLAGS_SHIFT, TH_ACK, TH_FIN, TH_SYN } from '../fields/flag-bits';
import { buildLevels, type Level } from './lod';
import type { IoGraphData } from './io-graph';
import type { TcpGraphData } from './tcp-graph';
import { throughput, type ThroughputOptions } from './throughput';

export type { Level };
export type TcpChartKind = 'stevens' | 'tcptrace' | 'throughput' | 'rtt' | 'wscale';

export interface SeriesData {
  id: string;
  /** Ascending. */
  x: Float64Array;
  /** NaN = no point (bars: the bottom). */
  y: Float64Array;
  /** Bars: the top. */
  y2?: Float64Array;
  /** The frame of each point; ascending unless framesUnordered. */
  frames?: Uint32Array;
  framesUnordered?: boolean;
  levels: Level[];
}

export interface TcpChart {
  stream: number;
  dir: 0 | 1;
  kind: TcpChartKind;
  /** "10.0.0.1:5000 → 10.0.0.2:80" */
  title: string;
  series: SeriesData[];
}

type Cols = Omit<SeriesData, 'id' | 'levels'>;

const RETRANS = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION;
/** Segment flags marked as "analysis flags" (besides retransmissions). */
const SEG_FLAGS = A_OUT_OF_ORDER | A_LOST_SEGMENT | A_WINDOW_FULL | A_ZERO_WINDOW_PROBE | A_KEEP_ALIVE;
const ACK_BIT = TH_ACK << TCP_FLAGS_SHIFT;

function series(id: string, c: Cols): SeriesData {
  return { id, ...c, levels: buildLevels(c.y, c.y2) };
}

/** The points i of `c` whose flags[i] & bit is set (and not `unless`), or every point when all are. */
function where(flags: Uint32Array, bit: number, c: Cols, unless = 0): Cols {
  const n = flags.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (flags[i] & bit && !(flags[i] & unless)) m++;
  if (m === n) return c;
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const frames = new Uint32Array(m);
  const y2 = c.y2 ? new Float64Array(m) : undefined;
  for (let i = 0, k = 0; i < n; i++)
    if (flags[i] & bit && !(flags[i] & unless)) {
      x[k] = c.x[i];
      y[k] = c.y[i];
      frames[k] = c.frames![i];
      if (y2) y2[k] = c.y2![i];
      k++;
    }
  return { x, y, frames, y2 };
}

/** The segment's end: tcp.seq + tcp.len, SYN and FIN counting one. */
function segmentEnds(g: TcpGraphData): Float64Array {
  const { seq, len, flags } = g.seg;
  const out = new Float64Array(seq.length);
  const synFin = (TH_SYN | TH_FIN) << TCP_FLAGS_SHIFT;
  for (let i = 0; i < seq.length; i++) out[i] = seq[i] + len[i] + (flags[i] & synFin ? 1 : 0);
  return out;
}

function tcptrace(g: TcpGraphData): SeriesData[] {
  const s = g.seg;
  const a = g.ack;
  const ends = segmentEnds(g);
  const na = a.t.length;
  const winTop = new Float64Array(na);
  for (let i = 0; i < na; i++) winTop[i] = a.ack[i] + a.win[i];
  // SACK blocks: one bar per block at its ACK's time.
  const nb = a.sackLeft.length;
  const sx = new Float64Array(nb);
  const sf = new Uint32Array(nb);
  for (let i = 0; i < na; i++)
    for (let k = a.sackAt[i]; k < a.sackAt[i + 1]; k++) {
      sx[k] = a.t[i];
      sf[k] = a.frame[i];
    }
  const acks = { x: a.t, y: a.ack, frames: a.frame };
  return [
    series('win', where(a.flags, ACK_BIT, { x: a.t, y: winTop, frames: a.frame })),
    series('ack', where(a.flags, ACK_BIT, acks)),
    series('sack', { x: sx, y: a.sackLeft, y2: a.sackRight, frames: sf }),
    series('seg', { x: s.t, y: s.seq, y2: ends, frames: s.frame }),
    series('dup', where(a.flags, A_DUPLICATE_ACK | A_ACK_LOST_SEGMENT, acks)),
    series('flags', where(s.flags, SEG_FLAGS, { x: s.t, y: s.seq, frames: s.frame }, RETRANS)),
    series('zero', where(a.flags, A_ZERO_WINDOW, acks)),
    series('retrans', where(s.flags, RETRANS, { x: s.t, y: ends, frames: s.frame })),
  ];
}

/** One TCP graph of `g` (throughput: per segment and over the moving window `tput`). */
export function tcpChart(g: TcpGraphData, kind: TcpChartKind, tput: ThroughputOptions = {}): TcpChart {
  const s = g.seg;
  const out = (list: SeriesData[]): TcpChart => ({ stream: g.stream, dir: g.dir, kind, title: g.title, series: list });
  switch (kind) {
    case 'stevens':
      return out([series('seq', { x: s.t, y: s.seq, frames: s.frame })]);
    case 'tcptrace':
      return out(tcptrace(g));
    case 'throughput': {
      const per = throughput(s, { segments: 2 });
      const avg = throughput(s, tput);
      return out([
        series('tput', { x: s.t, y: per.tput, frames: s.frame }),
        series('avg', { x: s.t, y: avg.tput, frames: s.frame }),
        series('good', { x: s.t, y: avg.goodput, frames: s.frame }),
      ]);
    }
    case 'rtt': {
      const r = g.rtt;
      const ms = new Float64Array(r.rtt.length);
      for (let i = 0; i < ms.length; i++) ms[i] = r.rtt[i] * 1000;
      return out([series('rtt', { x: r.seq, y: ms, frames: r.frame, framesUnordered: true })]);
    }
    case 'wscale':
      return out([series('rwin', where(g.ack.flags, ACK_BIT, { x: g.ack.t, y: g.ack.win, frames: g.ack.frame })), series('bif', { x: s.t, y: s.bif, frames: s.frame })]);
  }
}

export interface IoChart {
  intervalUs: number;
  series: SeriesData[];
}

/** The I/O graph's lines as series io0, io1 … */
export function ioChart(d: IoGraphData): IoChart {
  return { intervalUs: d.intervalUs, series: d.y.map((y, j) => series(`io${j}`, { x: d.t, y })) };
}

/**
 * Every ArrayBuffer of a chart, to transfer it; a buffer in `keep` (data the worker holds on to)
 * is first replaced by a copy in the chart.
 */
export function chartBuffers(list: SeriesData[], keep: ReadonlySet<ArrayBufferLike> = new Set()): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const copies = new Map<Float64Array | Uint32Array, Float64Array | Uint32Array>();
  const own = <T extends Float64Array | Uint32Array>(a: T): T => {
    let b = copies.get(a) as T | undefined;
    if (!b) copies.set(a, (b = keep.has(a.buffer) ? (a.slice() as T) : a));
    out.add(b.buffer as ArrayBuffer);
    return b;
  };
  for (const s of list) {
    s.x = own(s.x);
    s.y = own(s.y);
    if (s.y2) s.y2 = own(s.y2);
    if (s.frames) s.frames = own(s.frames);
    for (const l of s.levels) {
      out.add(l.lo.buffer as ArrayBuffer);
      out.add(l.hi.buffer as ArrayBuffer);
    }
  }
  return [...out];
}

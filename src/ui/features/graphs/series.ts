/**
 * What each graph draws, from the worker's arrays (engine/graphs): pure functions from
 * TcpGraphData / Throughput / IoGraphData to the plot's series, and the CSV of a chart.
 *
 *   stevens     tcp.seq of each segment over time (dots)
 *   tcptrace    each segment as a bar from tcp.seq to tcp.seq + tcp.len, the ACK line (tcp.ack
 *               of the returning ACKs), the receive-window line (tcp.ack + tcp.window_size), the
 *               SACK blocks of each ACK as bars, and marks: retransmissions, zero windows,
 *               duplicate ACKs and the other analysis flags
 *   throughput  bits/s per segment (since the previous one), its moving average over N segments
 *               or T seconds, and the goodput (without retransmitted bytes) over the same window
 *   rtt         tcp.analysis.ack_rtt of each ACK that has one, in ms, at the sequence number
 *               (tcp.seq) of the segment it acknowledges, as Wireshark's RTT graph plots it
 *   wscale      the calculated receive window (tcp.window_size) of the returning ACKs and
 *               tcp.analysis.bytes_in_flight of the segments
 *   io          one line per I/O graph line, per interval
 */
import type { IoGraphData, IoLine, TcpGraphData, Throughput } from '../../engine-client';
import type { GraphKind } from '../../state/graphs';
import type { PlotOptions, Series } from './plot';
import { runSync, SLICE, type Steps } from './sliced';
// Constants of engine/fields (allowed by ARCHITECTURE.md's import table; the restricted pattern's
// '**/engine/*' cannot re-include engine/fields/** for a nested path).
// eslint-disable-next-line no-restricted-imports
import {
  A_DUPLICATE_ACK,
  A_FAST_RETRANSMISSION,
  A_LOST_SEGMENT,
  A_OUT_OF_ORDER,
  A_RETRANSMISSION,
  A_SPURIOUS_RETRANSMISSION,
  A_WINDOW_FULL,
  A_ZERO_WINDOW,
  A_ZERO_WINDOW_PROBE,
  A_KEEP_ALIVE,
  A_ACK_LOST_SEGMENT,
  TCP_FLAGS_SHIFT,
  TH_ACK,
  TH_FIN,
  TH_SYN,
} from '../../../engine/fields/flag-bits';

export interface Chart {
  series: Series[];
  opts: PlotOptions;
}

export const KIND_NAMES: Record<GraphKind, string> = {
  stevens: 'Stevens',
  tcptrace: 'tcptrace',
  throughput: 'Throughput',
  rtt: 'Round Trip Time',
  wscale: 'Window Scaling',
  io: 'I/O Graph',
};

export const COLORS = {
  seg: '#1f4bd1',
  ack: '#9c4f1b',
  win: '#2b8a3e',
  sack: '#e8a200',
  retrans: '#d6204e',
  zero: '#b02ad6',
  dup: '#f76707',
  flag: '#6f42c1',
  tput: '#1f4bd1',
  avg: '#d6204e',
  good: '#2b8a3e',
  rtt: '#1f4bd1',
  bif: '#1f4bd1',
};
export const IO_COLORS = ['#1f4bd1', '#d6204e', '#2b8a3e', '#e8a200', '#6f42c1', '#0c8599', '#9c4f1b', '#495057'];

const RETRANS = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION;
/** Segment flags marked as "analysis flags" (besides retransmissions). */
const SEG_FLAGS = A_OUT_OF_ORDER | A_LOST_SEGMENT | A_WINDOW_FULL | A_ZERO_WINDOW_PROBE | A_KEEP_ALIVE;

/** Keep the points whose index passes `keep` (typed arrays of the same length in, same out); yields every SLICE points. */
function* where(keep: (i: number) => boolean, n: number, cols: { x: Float64Array; y: Float64Array; frames: Uint32Array; y2?: Float64Array }): Steps<{ x: Float64Array; y: Float64Array; frames: Uint32Array; y2?: Float64Array }> {
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (keep(i)) m++;
    if ((i & (SLICE - 1)) === SLICE - 1) yield;
  }
  // Everything kept (an ACK line where every frame has the ACK flag): the arrays as they are.
  if (m === n) return { x: cols.x, y: cols.y, frames: cols.frames, y2: cols.y2 };
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  const frames = new Uint32Array(m);
  const y2 = cols.y2 ? new Float64Array(m) : undefined;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (keep(i)) {
      x[k] = cols.x[i];
      y[k] = cols.y[i];
      frames[k] = cols.frames[i];
      if (y2) y2[k] = cols.y2![i];
      k++;
    }
    if ((i & (SLICE - 1)) === SLICE - 1) yield;
  }
  return { x, y, frames, y2 };
}

/** The segment's end: tcp.seq + tcp.len, SYN and FIN counting one. */
export function segmentEnds(g: TcpGraphData): Float64Array {
  return runSync(segmentEndsSteps(g));
}

function* segmentEndsSteps(g: TcpGraphData): Steps<Float64Array> {
  const { seq, len, flags } = g.seg;
  const out = new Float64Array(seq.length);
  for (let i = 0; i < seq.length; i++) {
    out[i] = seq[i] + len[i] + (((flags[i] >>> TCP_FLAGS_SHIFT) & (TH_SYN | TH_FIN)) !== 0 ? 1 : 0);
    if ((i & (SLICE - 1)) === SLICE - 1) yield;
  }
  return out;
}

const seqAxis = { xLabel: 'Time (s)', yLabel: 'Sequence number (B)' };

export function stevens(g: TcpGraphData): Chart {
  return {
    series: [{ id: 'seq', label: 'Segments (tcp.seq)', color: COLORS.seg, kind: 'points', x: g.seg.t, y: g.seg.seq, frames: g.seg.frame, width: 3 }],
    opts: seqAxis,
  };
}

export function tcptrace(g: TcpGraphData): Chart {
  return runSync(tcptraceSteps(g));
}

/** tcptrace's series, built in slices (see sliced.ts). */
export function* tcptraceSteps(g: TcpGraphData): Steps<Chart> {
  const s = g.seg;
  const a = g.ack;
  const ends = yield* segmentEndsSteps(g);
  const n = s.t.length;
  const na = a.t.length;
  const hasAck = (i: number) => ((a.flags[i] >>> TCP_FLAGS_SHIFT) & TH_ACK) !== 0;
  const acks = yield* where(hasAck, na, { x: a.t, y: a.ack, frames: a.frame });
  const winTop = new Float64Array(na);
  for (let i = 0; i < na; i++) {
    winTop[i] = a.ack[i] + a.win[i];
    if ((i & (SLICE - 1)) === SLICE - 1) yield;
  }
  const wins = yield* where(hasAck, na, { x: a.t, y: winTop, frames: a.frame });
  // SACK blocks: one bar per block at its ACK's time.
  const nb = a.sackLeft.length;
  const sx = new Float64Array(nb);
  const sf = new Uint32Array(nb);
  for (let i = 0; i < na; i++)
    for (let k = a.sackAt[i]; k < a.sackAt[i + 1]; k++) {
      sx[k] = a.t[i];
      sf[k] = a.frame[i];
    }
  const retrans = yield* where((i) => (s.flags[i] & RETRANS) !== 0, n, { x: s.t, y: ends, frames: s.frame });
  const segFlags = yield* where((i) => (s.flags[i] & SEG_FLAGS) !== 0 && !(s.flags[i] & RETRANS), n, { x: s.t, y: s.seq, frames: s.frame });
  const zero = yield* where((i) => (a.flags[i] & A_ZERO_WINDOW) !== 0, na, { x: a.t, y: a.ack, frames: a.frame });
  const dup = yield* where((i) => (a.flags[i] & (A_DUPLICATE_ACK | A_ACK_LOST_SEGMENT)) !== 0, na, { x: a.t, y: a.ack, frames: a.frame });
  return {
    series: [
      { id: 'win', label: 'Receive window (tcp.ack + tcp.window_size)', color: COLORS.win, kind: 'step', ...wins },
      { id: 'ack', label: 'ACK (tcp.ack)', color: COLORS.ack, kind: 'step', ...acks },
      { id: 'sack', label: 'SACK blocks', color: COLORS.sack, kind: 'vbars', x: sx, y: a.sackLeft, y2: a.sackRight, frames: sf, width: 2 },
      { id: 'seg', label: 'Segments (tcp.seq … + tcp.len)', color: COLORS.seg, kind: 'vbars', x: s.t, y: s.seq, y2: ends, frames: s.frame },
      { id: 'dup', label: 'Duplicate ACKs', color: COLORS.dup, kind: 'marks', marker: 'diamond', width: 6, ...dup },
      { id: 'flags', label: 'Other analysis flags', color: COLORS.flag, kind: 'marks', marker: 'square', width: 5, ...segFlags },
      { id: 'zero', label: 'Zero windows', color: COLORS.zero, kind: 'marks', marker: 'triangle', width: 9, ...zero },
      { id: 'retrans', label: 'Retransmissions', color: COLORS.retrans, kind: 'marks', marker: 'x', width: 8, ...retrans },
    ],
    opts: seqAxis,
  };
}

export function throughputChart(g: TcpGraphData, perSegment: Throughput, avg: Throughput, avgLabel: string): Chart {
  const s = g.seg;
  return {
    series: [
      { id: 'tput', label: 'Per segment (bits/s)', color: COLORS.tput, kind: 'points', x: s.t, y: perSegment.tput, frames: s.frame, width: 3 },
      { id: 'avg', label: `Throughput, ${avgLabel}`, color: COLORS.avg, kind: 'line', x: s.t, y: avg.tput, frames: s.frame, width: 1.5 },
      { id: 'good', label: `Goodput, ${avgLabel}`, color: COLORS.good, kind: 'line', x: s.t, y: avg.goodput, frames: s.frame, width: 1.5 },
    ],
    opts: { xLabel: 'Time (s)', yLabel: 'Throughput (bits/s)' },
  };
}

export function rttChart(g: TcpGraphData): Chart {
  const r = g.rtt;
  const ms = new Float64Array(r.rtt.length);
  for (let i = 0; i < ms.length; i++) ms[i] = r.rtt[i] * 1000;
  return {
    series: [{ id: 'rtt', label: 'tcp.analysis.ack_rtt (ms)', color: COLORS.rtt, kind: 'points', width: 4, x: r.seq, y: ms, frames: r.frame, framesUnordered: true }],
    opts: { xLabel: 'Sequence number (B)', yLabel: 'Round trip time (ms)', xReadout: (v) => `seq ${Math.round(v)}` },
  };
}

export function wscaleChart(g: TcpGraphData): Chart {
  const a = g.ack;
  const hasAck = (i: number) => ((a.flags[i] >>> TCP_FLAGS_SHIFT) & TH_ACK) !== 0;
  const win = runSync(where(hasAck, a.t.length, { x: a.t, y: a.win, frames: a.frame }));
  return {
    series: [
      { id: 'rwin', label: 'Receive window (tcp.window_size)', color: COLORS.win, kind: 'step', width: 1.5, ...win },
      { id: 'bif', label: 'Bytes in flight (tcp.analysis.bytes_in_flight)', color: COLORS.bif, kind: 'points', x: g.seg.t, y: g.seg.bif, frames: g.seg.frame, width: 3 },
    ],
    opts: { xLabel: 'Time (s)', yLabel: 'Bytes' },
  };
}

export function ioUnitLabel(l: IoLine): string {
  if (l.unit === 'frames') return 'frames/s';
  if (l.unit === 'bytes') return 'bytes/s';
  if (l.unit === 'bits') return 'bits/s';
  return `${l.unit}(${l.field ?? ''})`;
}

export function ioChart(d: IoGraphData, lines: IoLine[], logY: boolean): Chart {
  return {
    series: lines.map((l, j) => ({
      id: `io${j}`,
      label: `${l.name} (${ioUnitLabel(l)}${l.filter ? `, ${l.filter}` : ''})`,
      color: IO_COLORS[j % IO_COLORS.length],
      kind: 'line' as const,
      x: d.t,
      y: d.y[j],
      width: 1.5,
    })),
    opts: { xLabel: 'Time (s)', yLabel: lines.length && lines.every((l) => l.unit === lines[0].unit) ? ioUnitLabel(lines[0]) : 'Value', logY },
  };
}

/** The chart's points as CSV: series, frame, x, y (y2 for bars), one row per point. */
export function chartCsv(series: readonly Series[], xName: string): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const out = [`series,frame,${q(xName)},value,value2`];
  for (const s of series)
    for (let i = 0; i < s.x.length; i++) {
      if (s.y[i] !== s.y[i]) continue;
      out.push(`${q(s.label)},${s.frames ? s.frames[i] : ''},${s.x[i]},${s.y[i]},${s.y2 ? s.y2[i] : ''}`);
    }
  return out.join('\n') + '\n';
}

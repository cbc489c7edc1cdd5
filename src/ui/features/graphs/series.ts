/**
 * How each graph's series look: the worker builds them draw-ready (engine/graphs/chart.ts: the
 * points and their zoom pyramids, transferred), this adds each one's label, colour and layer kind
 * by its id, the axes, and the CSV of a chart.
 */
import type { IoChart, IoLine, SeriesData, TcpChart } from '../../engine-client';
import type { GraphKind } from '../../state/graphs';
import type { PlotOptions, Series } from './plot';

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

type Look = Omit<Series, keyof SeriesData>;

const LOOKS: Record<string, Look> = {
  seq: { label: 'Segments (tcp.seq)', color: COLORS.seg, kind: 'points', width: 3 },
  win: { label: 'Receive window (tcp.ack + tcp.window_size)', color: COLORS.win, kind: 'step' },
  ack: { label: 'ACK (tcp.ack)', color: COLORS.ack, kind: 'step' },
  sack: { label: 'SACK blocks', color: COLORS.sack, kind: 'vbars', width: 2 },
  seg: { label: 'Segments (tcp.seq … + tcp.len)', color: COLORS.seg, kind: 'vbars' },
  dup: { label: 'Duplicate ACKs', color: COLORS.dup, kind: 'marks', marker: 'diamond', width: 6 },
  flags: { label: 'Other analysis flags', color: COLORS.flag, kind: 'marks', marker: 'square', width: 5 },
  zero: { label: 'Zero windows', color: COLORS.zero, kind: 'marks', marker: 'triangle', width: 9 },
  retrans: { label: 'Retransmissions', color: COLORS.retrans, kind: 'marks', marker: 'x', width: 8 },
  tput: { label: 'Per segment (bits/s)', color: COLORS.tput, kind: 'points', width: 3 },
  avg: { label: 'Throughput', color: COLORS.avg, kind: 'line', width: 1.5 },
  good: { label: 'Goodput', color: COLORS.good, kind: 'line', width: 1.5 },
  rtt: { label: 'tcp.analysis.ack_rtt (ms)', color: COLORS.rtt, kind: 'points', width: 4 },
  rwin: { label: 'Receive window (tcp.window_size)', color: COLORS.win, kind: 'step', width: 1.5 },
  bif: { label: 'Bytes in flight (tcp.analysis.bytes_in_flight)', color: COLORS.bif, kind: 'points', width: 3 },
};

const seqAxis: PlotOptions = { xLabel: 'Time (s)', yLabel: 'Sequence number (B)' };
const AXES: Record<TcpChart['kind'], PlotOptions> = {
  stevens: seqAxis,
  tcptrace: seqAxis,
  throughput: { xLabel: 'Time (s)', yLabel: 'Throughput (bits/s)' },
  rtt: { xLabel: 'Sequence number (B)', yLabel: 'Round trip time (ms)', xReadout: (v) => `seq ${Math.round(v)}` },
  wscale: { xLabel: 'Time (s)', yLabel: 'Bytes' },
};

/** A TCP graph from the worker's series; `avgLabel` names the throughput's moving window. */
export function tcpChartOf(c: TcpChart, avgLabel = ''): Chart {
  return {
    series: c.series.map((s) => {
      const look = LOOKS[s.id];
      return { ...look, ...s, label: s.id === 'avg' || s.id === 'good' ? `${look.label}, ${avgLabel}` : look.label };
    }),
    opts: AXES[c.kind],
  };
}

export function ioUnitLabel(l: IoLine): string {
  if (l.unit === 'frames') return 'frames/s';
  if (l.unit === 'bytes') return 'bytes/s';
  if (l.unit === 'bits') return 'bits/s';
  return `${l.unit}(${l.field ?? ''})`;
}

export function ioChartOf(d: IoChart, lines: IoLine[], logY: boolean): Chart {
  return {
    series: d.series.map((s, j) => {
      const l = lines[j];
      return { ...s, label: `${l.name} (${ioUnitLabel(l)}${l.filter ? `, ${l.filter}` : ''})`, color: IO_COLORS[j % IO_COLORS.length], kind: 'line' as const, width: 1.5 };
    }),
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

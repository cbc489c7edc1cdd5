/**
 * The I/O graph: lines of frames, bytes or bits per second, or COUNT/SUM/MIN/MAX/AVG of a field,
 * each with its own display filter, binned over the whole capture (interval 1 µs … 10 min) by the
 * same binning as `-z io,stat` (stats/iostat.ts).
 */
import type { CaptureSession } from '../session';
import { IoStatBins, IoStatError, type IoCalc, type IoStatSpec } from '../stats/iostat';
import { binIoStat } from '../stats/iostat-run';

export type IoUnit = 'frames' | 'bytes' | 'bits' | Exclude<IoCalc, 'FRAMES'>;

export interface IoLine {
  name: string;
  filter: string;
  unit: IoUnit;
  /** The field of COUNT/SUM/MIN/MAX/AVG. */
  field?: string;
}

export const DEFAULT_IO_LINES: IoLine[] = [
  { name: 'All packets', filter: '', unit: 'frames' },
  { name: 'TCP errors', filter: 'tcp.analysis.flags && !tcp.analysis.window_update', unit: 'frames' },
];

export const MIN_INTERVAL_US = 1;
export const MAX_INTERVAL_US = 600e6;

export interface IoGraphData {
  intervalUs: number;
  /** Start of each interval, seconds since the first frame. */
  t: Float64Array;
  /** One array per line, aligned with t (per second for frames/bytes/bits). */
  y: Float64Array[];
}

/** Bin the capture for `lines`. Rejects an interval outside 1 µs … 10 min or a bad filter (IoStatError). */
export async function ioGraphData(s: CaptureSession, lines: IoLine[], intervalUs: number): Promise<IoGraphData> {
  if (!(intervalUs >= MIN_INTERVAL_US && intervalUs <= MAX_INTERVAL_US)) throw new IoStatError(`interval must be between 1 µs and 10 min`);
  const spec: IoStatSpec = {
    text: 'io-graph',
    intervalUs: Math.round(intervalUs),
    prec: 6,
    columns: lines.map((l) =>
      l.unit === 'frames' || l.unit === 'bytes' || l.unit === 'bits'
        ? { calc: 'FRAMES', filter: l.filter, label: l.name }
        : { calc: l.unit, field: l.field, filter: l.filter, label: l.name },
    ),
  };
  const { bins, kinds } = await binIoStat(s, spec);
  return toSeries(bins, lines, kinds.map((k) => k === 'reltime'));
}

function toSeries(bins: IoStatBins, lines: IoLine[], reltime: boolean[]): IoGraphData {
  const iv = bins.spec.intervalUs;
  const rows = Math.floor(bins.durationUs / iv) + 1;
  const t = new Float64Array(rows);
  for (let r = 0; r < rows; r++) t[r] = (r * iv) / 1e6;
  const perSec = 1e6 / iv;
  const y = lines.map((l, j) => {
    const c = bins.cols[j];
    const out = new Float64Array(rows);
    for (let r = 0; r < Math.min(rows, c.rows); r++) {
      let v: number;
      if (l.unit === 'frames') v = c.frames[r] * perSec;
      else if (l.unit === 'bytes') v = c.value[r] * perSec;
      else if (l.unit === 'bits') v = c.value[r] * 8 * perSec;
      else v = bins.valueAt(j, r, 'double');
      // Relative times are summed in ns: shown in seconds.
      out[r] = reltime[j] && l.unit !== 'COUNT' ? v / 1e9 : v;
    }
    return out;
  });
  return { intervalUs: iv, t, y };
}

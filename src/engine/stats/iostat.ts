/**
 * `-z io,stat,INTERVAL[,COLUMN…]`: frames, bytes and COUNT/SUM/MIN/MAX/AVG of a field per time
 * interval, with tshark 4.0.17's text (derived from its output, see iostat.test.ts). The binning
 * (`IoStatBins`) is also the I/O graph's data.
 *
 * What tshark does, as observed:
 *  - a frame's time is its offset from the first frame in µs, rounded (nanoseconds + 500) / 1000,
 *    negative offsets count as 0; each column bins only the frames its filter matches, and a frame
 *    earlier than the column's latest interval is counted in that latest interval;
 *  - the duration is the largest offset seen (µs, rounded); when the interval is 0 or not shorter
 *    than the duration, one row spans the whole capture ("whole" below), printed with 3 decimals
 *    (1 from 10 s on), while the frames are still binned with the given interval;
 *  - otherwise ceil(duration / interval) rows are printed: a frame exactly at the end of the last
 *    interval is not shown;
 *  - an interval in whole seconds prints whole seconds and "Dur" as the last row's end; the
 *    duration is then printed with six decimals, space-padded (`%6u`).
 */
import { fixed, left, right } from './printf';

export type IoCalc = 'FRAMES' | 'COUNT' | 'SUM' | 'MIN' | 'MAX' | 'AVG';

/** How a field's values are added up: integers, or relative times in nanoseconds printed as seconds. */
export type IoValueKind = 'int' | 'reltime' | 'double';

export interface IoStatColumn {
  calc: IoCalc;
  /** The field of COUNT/SUM/MIN/MAX/AVG. */
  field?: string;
  /** The display filter ('' = every frame). */
  filter: string;
  /** What tshark lists as "Col N:" (the column's text, or "Frames and bytes"). */
  label: string;
}

export interface IoStatSpec {
  text: string;
  /** Interval in µs; 0 = the whole capture. */
  intervalUs: number;
  /** Decimals of the interval (0 for whole seconds). */
  prec: number;
  columns: IoStatColumn[];
}

export class IoStatError extends Error {}

const CALCS: readonly string[] = ['COUNT', 'SUM', 'MIN', 'MAX', 'AVG'];

/** Parse `io,stat,INTERVAL[,COLUMN…]`; a column is a display filter or `FUNC(field)[filter]`. */
export function parseIoStat(text: string): IoStatSpec | undefined {
  const m = /^io,stat,([^,]*)(?:,(.*))?$/.exec(text);
  if (!m) return undefined;
  const iv = Number(m[1]);
  if (m[1].trim() === '' || !Number.isFinite(iv) || iv < 0) throw new IoStatError(`invalid interval "${m[1]}" in -z ${text}`);
  const intervalUs = iv === 0 ? 0 : Math.floor(iv * 1e6 + 0.5);
  if (iv !== 0 && intervalUs < 1) throw new IoStatError('"-z" interval must be >=0.000001 seconds or "0" for the entire capture duration.');
  if (intervalUs > 600e6 * 1000) throw new IoStatError(`interval "${m[1]}" is too long`);
  let prec = 0;
  if (intervalUs % 1e6 !== 0) {
    prec = 6;
    for (let u = intervalUs; u % 10 === 0; u /= 10) prec--;
  }
  const parts = m[2] === undefined ? [''] : m[2].split(',');
  const columns = parts.map((p): IoStatColumn => {
    const f = /^\s*([A-Z]+)\s*\(\s*([^)]*?)\s*\)\s*(.*)$/.exec(p);
    if (f && CALCS.includes(f[1])) {
      if (f[2] === '') throw new IoStatError(`${f[1]}() needs a field in -z ${text}`);
      return { calc: f[1] as IoCalc, field: f[2], filter: f[3].trim(), label: p };
    }
    if (f) throw new IoStatError(`unknown function "${f[1]}" in -z ${text} (COUNT, SUM, MIN, MAX, AVG)`);
    return { calc: 'FRAMES', filter: p.trim(), label: p === '' ? 'Frames and bytes' : p };
  });
  return { text, intervalUs, prec, columns };
}

/** One column's values per interval (µs bins), growing as frames come. */
export class IoColumnBins {
  frames = new Float64Array(64);
  /** Bytes for FRAMES; the count, sum, minimum or maximum otherwise; the sum for AVG. */
  value = new Float64Array(64);
  /** AVG: number of values; MIN/MAX: whether a value was seen (>0). */
  num = new Float64Array(64);
  rows = 0;
  /** The latest interval this column has seen a frame in. */
  cur = 0;

  at(row: number): number {
    if (row < this.cur) row = this.cur; // time going backwards: tshark counts it in the latest interval
    this.cur = row;
    if (row >= this.frames.length) {
      let n = this.frames.length;
      while (n <= row) n *= 2;
      const grow = (a: Float64Array) => {
        const b = new Float64Array(n);
        b.set(a);
        return b;
      };
      this.frames = grow(this.frames);
      this.value = grow(this.value);
      this.num = grow(this.num);
    }
    if (row >= this.rows) this.rows = row + 1;
    return row;
  }
}

/** Accumulates frames into the columns' bins (tshark's iostat tap). */
export class IoStatBins {
  readonly cols: IoColumnBins[];
  /** Largest frame offset seen, µs (tshark's elapsed time). */
  durationUs = 0;
  constructor(readonly spec: IoStatSpec) {
    this.cols = spec.columns.map(() => new IoColumnBins());
  }

  /** The row a frame at `us` goes to. */
  rowOf(us: number): number {
    return this.spec.intervalUs === 0 ? 0 : Math.floor(us / this.spec.intervalUs);
  }

  /**
   * Add a frame matched by column `j`'s filter. `values` are the field's occurrences (numbers:
   * integers, or nanoseconds for relative times); `bytes` is frame.len.
   */
  add(j: number, us: number, bytes: number, values: readonly number[]): void {
    const c = this.cols[j];
    const r = c.at(this.rowOf(us));
    c.frames[r]++;
    switch (this.spec.columns[j].calc) {
      case 'FRAMES':
        c.value[r] += bytes;
        break;
      case 'COUNT':
        c.value[r] += values.length;
        break;
      case 'SUM':
        for (const v of values) c.value[r] += v;
        break;
      case 'AVG':
        for (const v of values) c.value[r] += v;
        c.num[r] += values.length;
        break;
      case 'MIN':
      case 'MAX':
        for (const v of values) {
          const min = this.spec.columns[j].calc === 'MIN';
          if (c.num[r] === 0 || (min ? v < c.value[r] : v > c.value[r])) c.value[r] = v;
          c.num[r] = 1;
        }
        break;
    }
  }

  /** The value plotted/printed for row `r` of column `j` (AVG: sum / count, 0 without values). */
  valueAt(j: number, r: number, kind: IoValueKind = 'int'): number {
    const c = this.cols[j];
    if (r >= c.rows) return 0;
    if (this.spec.columns[j].calc !== 'AVG') return c.value[r];
    const n = c.num[r];
    if (n === 0) return 0;
    return kind === 'double' ? c.value[r] / n : Math.floor(c.value[r] / n);
  }
}

/** Frame offset from the first frame in µs, as tshark's iostat tap rounds it (negative = 0). */
export function relUs(sec: number, ns: number): number {
  if (sec > 0 && ns < 0) {
    ns += 1e9;
    sec -= 1;
  } else if (sec < 0 && ns > 0) {
    ns -= 1e9;
    sec += 1;
  }
  if (sec < 0 || ns < 0) return 0;
  return sec * 1e6 + Math.floor((ns + 500) / 1000);
}

/** Parse a value as the field getters print it: an integer, or a relative time "S.NNNNNNNNN" (to ns). */
export function parseFieldValue(s: string, kind: IoValueKind): number {
  if (kind !== 'reltime') return Number(s);
  const neg = s.startsWith('-');
  const t = neg ? s.slice(1) : s;
  const dot = t.indexOf('.');
  const whole = Number(dot < 0 ? t : t.slice(0, dot));
  const frac = dot < 0 ? 0 : Number((t.slice(dot + 1) + '000000000').slice(0, 9));
  const ns = whole * 1e9 + frac;
  return neg ? -ns : ns;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Number of decimal digits of a non-negative integer, 1 at least, at most `max` (tshark's magnitude()). */
function magnitude(v: number, max: number): number {
  let mag = 0;
  let x = Math.floor(Math.abs(v));
  for (let i = 0; i < max; i++) {
    mag++;
    x = Math.floor(x / 10);
    if (x === 0) break;
  }
  return mag;
}

/** Centred in `w`, the odd space on the left. */
const centre = (s: string, w: number): string => {
  const space = Math.max(0, w - s.length);
  return ' '.repeat(Math.ceil(space / 2)) + s + ' '.repeat(Math.floor(space / 2));
};

/** A relative time of `ns` nanoseconds in seconds with six decimals, rounded to the nearest µs (half up). */
function relText(ns: number, w: number): string {
  const us = Math.floor((Math.max(0, ns) + 500) / 1000);
  return right(Math.floor(us / 1e6) + '.' + String(us % 1e6).padStart(6, '0'), w);
}

/**
 * tshark's `-q -z io,stat` text. `durationUs` is the capture's elapsed time (largest frame
 * offset, µs); `kinds` the value kind of each column's field.
 */
export function formatIoStat(b: IoStatBins, kinds: IoValueKind[]): string {
  const spec = b.spec;
  const duration = b.durationUs;
  const durSecs = Math.floor(duration / 1e6);
  const durMag = magnitude(durSecs, 5);
  let interval = spec.intervalUs;
  let prec = spec.prec;
  const whole = interval === 0 || interval >= duration;
  if (whole) {
    interval = duration;
    prec = durMag >= 2 ? 1 : 3;
  }
  const rows = whole ? (duration > 0 ? 1 : 0) : Math.ceil(duration / interval);

  // Column widths and the values of each printed row.
  const ncol = spec.columns.length;
  const cells: string[][] = [];
  const widths: { fr: number; val: number }[] = [];
  for (let j = 0; j < ncol; j++) {
    const col = spec.columns[j];
    const c = b.cols[j];
    const kind = kinds[j] ?? 'int';
    let maxFrames = 0;
    let maxVal = 0;
    const vals: number[] = [];
    for (let r = 0; r < c.rows; r++) {
      maxFrames = Math.max(maxFrames, c.frames[r]);
      const v = b.valueAt(j, r, kind);
      maxVal = Math.max(maxVal, v);
    }
    for (let r = 0; r < rows; r++) vals.push(b.valueAt(j, r, kind));
    const out: string[] = [];
    if (col.calc === 'FRAMES') {
      const fr = Math.max(6, magnitude(maxFrames, 15));
      const val = Math.max(5, magnitude(maxVal, 15));
      widths.push({ fr, val });
      for (let r = 0; r < rows; r++) out.push(' ' + right(r < c.rows ? c.frames[r] : 0, fr) + ' | ' + right(vals[r], val) + ' |');
    } else if (col.calc !== 'COUNT' && kind === 'reltime') {
      const mag = magnitude(maxVal / 1e9, 15);
      widths.push({ fr: 0, val: Math.max(col.calc.length, mag + 7) });
      for (let r = 0; r < rows; r++) out.push(' ' + relText(vals[r], Math.max(col.calc.length, mag + 7)) + ' |');
    } else if (col.calc !== 'COUNT' && kind === 'double') {
      const mag = magnitude(maxVal, 15);
      const w = Math.max(col.calc.length, mag + prec + 1);
      widths.push({ fr: 0, val: w });
      for (let r = 0; r < rows; r++) out.push(' ' + right(fixed(vals[r], prec), w) + ' |');
    } else {
      const w = Math.max(col.calc.length, magnitude(maxVal, 15));
      widths.push({ fr: 0, val: w });
      for (let r = 0; r < rows; r++) out.push(' ' + right(vals[r], w) + ' |');
    }
    cells.push(out);
  }

  // The interval column.
  const w = durMag + 1 + prec;
  const timeW = prec === 0 ? (durMag === 1 ? 11 : 2 * durMag + 7) : 2 * w + 7;
  const timeCell = (r: number): string => {
    const t = r * interval;
    if (prec === 0) {
      const lead = durMag === 1 ? '|  ' : '| ';
      if (r === rows - 1) return lead + right(t / 1e6, durMag) + ' <> ' + left('Dur', durMag >= 3 ? durMag + 1 : 3);
      return lead + right(t / 1e6, durMag) + ' <> ' + right((t + interval) / 1e6, durMag) + (durMag === 1 ? '  ' : ' ');
    }
    const end = Math.min(t + interval, duration);
    return '| ' + right(fixed(t / 1e6, prec), w) + ' <> ' + right(fixed(end / 1e6, prec), w) + ' ';
  };

  let tabrow = timeW + 1;
  for (let j = 0; j < ncol; j++) {
    const cw = widths[j];
    tabrow += spec.columns[j].calc === 'FRAMES' ? cw.fr + 3 + cw.val + 3 : cw.val + 3;
  }
  const durLine =
    prec === 0
      ? `| Duration: ${right(durSecs, durMag)}.${right(duration % 1e6, 6)} secs`
      : `| Duration: ${fixed(duration / 1e6, prec)} secs`;
  const invlLine = prec === 0 ? `| Interval: ${right(Math.floor(interval / 1e6), durMag)} secs` : `| Interval: ${right(fixed(interval / 1e6, prec), w)} secs`;
  let border = Math.max(tabrow, whole ? 35 : 0, durLine.length + 2, invlLine.length + 2);
  for (const col of spec.columns) border = Math.max(border, col.filter === '' && col.calc === 'FRAMES' ? 26 : col.label.length + 11);

  const pad = (s: string): string => (s.length < border ? s + ' '.repeat(border - s.length - 1) + '|' : s);
  const lines: string[] = ['', '='.repeat(border), pad('| IO Statistics'), pad('|'), pad(durLine), pad(invlLine), pad('|')];
  spec.columns.forEach((col, j) => lines.push(pad(`| ${j === 0 ? 'Col' : '   '} ${j + 1}: ${col.label}`)));
  lines.push('|' + '-'.repeat(border - 2) + '|');

  let h1 = '|' + ' '.repeat(timeW - 1) + '|';
  let h2 = left('| Interval', timeW) + '|';
  for (let j = 0; j < ncol; j++) {
    const cw = widths[j];
    const calc = spec.columns[j].calc;
    if (calc === 'FRAMES') {
      h1 += left(String(j + 1), cw.fr + cw.val + 5) + '|';
      h2 += centre('Frames', cw.fr + 2) + '|' + centre('Bytes', cw.val + 2) + '|';
    } else {
      h1 += left(String(j + 1), cw.val + 2) + '|';
      h2 += centre(calc, cw.val + 2) + '|';
    }
  }
  lines.push(pad(h1), pad(h2), pad('|' + '-'.repeat(tabrow - 2) + '|'));
  for (let r = 0; r < rows; r++) {
    let row = timeCell(r) + '|';
    for (let j = 0; j < ncol; j++) row += cells[j][r];
    lines.push(pad(row));
  }
  lines.push('='.repeat(border));
  return lines.join('\n') + '\n';
}

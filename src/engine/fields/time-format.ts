/**
 * The packet list's Time column in Wireshark's time display formats (View → Time Display
 * Format), each one the text of the tshark field it shows, so the CLI (`-e frame.time…`) and
 * the list print the same thing from the same formatters (format.ts):
 *
 *   rel        seconds since the beginning of the capture    frame.time_relative
 *   delta      seconds since the previous captured frame     frame.time_delta
 *   delta_dis  seconds since the previous displayed frame    frame.time_delta_displayed (-Y)
 *   tod_utc    UTC time of day                               time part of frame.time (TZ=UTC)
 *   tod        local time of day                             time part of frame.time (local TZ)
 *   abs        UTC date and time of day                      frame.time (TZ=UTC)
 *   abs_local  date and time of day (local)                  frame.time (local TZ, its abbreviation)
 *   epoch      seconds since 1970-01-01                      frame.time_epoch
 *
 * Time references (Wireshark's Ctrl+T): a reference frame shows `*REF*` whatever the format,
 * and `rel` counts from the latest reference at or before the frame instead of frame 1.
 */
import type { FrameTable } from '../tcp/frames';
import { fmtAbsTime, fmtEpoch, fmtRelParts, fmtTimeOfDay } from './format';

export const TIME_FORMATS = [
  { id: 'rel', label: 'Seconds since beginning of capture', field: 'frame.time_relative' },
  { id: 'delta', label: 'Seconds since previous captured frame', field: 'frame.time_delta' },
  { id: 'delta_dis', label: 'Seconds since previous displayed frame', field: 'frame.time_delta_displayed' },
  { id: 'tod_utc', label: 'UTC time of day', field: 'frame.time' },
  { id: 'tod', label: 'Time of day (local)', field: 'frame.time' },
  { id: 'abs', label: 'UTC date and time of day', field: 'frame.time' },
  { id: 'abs_local', label: 'Date and time of day (local)', field: 'frame.time' },
  { id: 'epoch', label: 'Seconds since 1970-01-01 (epoch)', field: 'frame.time_epoch' },
] as const;

export type TimeFormat = (typeof TIME_FORMATS)[number]['id'];

export const REF_TEXT = '*REF*';

export function isTimeFormat(s: unknown): s is TimeFormat {
  return TIME_FORMATS.some((f) => f.id === s);
}

/** How the Time column is shown: the format and the time-reference frames (ascending). */
export interface TimeView {
  format: TimeFormat;
  refs: readonly number[];
}

export const DEFAULT_TIME_VIEW: TimeView = { format: 'rel', refs: [] };

/** The latest reference frame at or before n (refs ascending), or 0. */
export function refBefore(refs: readonly number[], n: number): number {
  let lo = 0;
  let hi = refs.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (refs[mid] <= n) {
      best = refs[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * The Time column of frame n (1-based). `prevDisplayed` is the displayed frame before n in
 * frame order (0 for the first displayed one): only `delta_dis` reads it.
 */
export function timeCell(t: FrameTable, n: number, v: TimeView, prevDisplayed: number): string {
  if (v.refs.length && refBefore(v.refs, n) === n) return REF_TEXT;
  const rel = (from: number) => fmtRelParts(...t.secNsBetween(n, from));
  switch (v.format) {
    case 'rel':
      return rel(refBefore(v.refs, n) || 1);
    case 'delta':
      return rel(n > 1 ? n - 1 : n);
    case 'delta_dis':
      return rel(prevDisplayed > 0 ? prevDisplayed : n);
    default:
  }
  if (t.noTime.has(n)) return '';
  const sec = t.secOf(n - 1);
  const ns = t.tsNsec[n - 1];
  switch (v.format) {
    case 'tod_utc':
      return fmtTimeOfDay(sec, ns, true);
    case 'tod':
      return fmtTimeOfDay(sec, ns, false);
    case 'abs':
      return fmtAbsTime(sec, ns);
    case 'abs_local':
      return fmtAbsTime(sec, ns, false);
    default:
      return fmtEpoch(sec, ns);
  }
}

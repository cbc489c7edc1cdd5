/**
 * Throughput of a direction's segments: for each segment, the bytes of the segments in a moving
 * window ending with it, divided by the window's time span (bits per second), as Wireshark's
 * throughput graph does; the window is a number of segments or a time span. Goodput counts only
 * bytes not retransmitted (no A_RETRANSMISSION/fast/spurious flag).
 */
import { A_FAST_RETRANSMISSION, A_RETRANSMISSION, A_SPURIOUS_RETRANSMISSION } from '../tcp/flags';
import type { TcpSegments } from './tcp-graph';

export interface ThroughputOptions {
  /** Moving window in segments (default 20), or … */
  segments?: number;
  /** … in seconds (wins when given). */
  seconds?: number;
}

export interface Throughput {
  /** Per segment (index as in TcpSegments): throughput and goodput in bits/s (NaN for the first). */
  tput: Float64Array;
  goodput: Float64Array;
}

const RETRANSMITTED = A_RETRANSMISSION | A_FAST_RETRANSMISSION | A_SPURIOUS_RETRANSMISSION;

export function throughput(seg: TcpSegments, opts: ThroughputOptions = {}): Throughput {
  const n = seg.t.length;
  const tput = new Float64Array(n);
  const goodput = new Float64Array(n);
  const byTime = opts.seconds !== undefined && opts.seconds > 0;
  const N = Math.max(1, Math.floor(opts.segments ?? 20));
  let first = 0;
  let bytes = 0;
  let good = 0;
  for (let i = 0; i < n; i++) {
    bytes += seg.len[i];
    if (!(seg.flags[i] & RETRANSMITTED)) good += seg.len[i];
    // Shrink the window from the left: at most N segments, or at most `seconds` wide.
    while (first < i && (byTime ? seg.t[i] - seg.t[first] > opts.seconds! : i - first >= N)) {
      bytes -= seg.len[first];
      if (!(seg.flags[first] & RETRANSMITTED)) good -= seg.len[first];
      first++;
    }
    const span = seg.t[i] - seg.t[first];
    // The first segment of the window only marks its start: its bytes were sent before it.
    const b = bytes - seg.len[first];
    const g = good - (seg.flags[first] & RETRANSMITTED ? 0 : seg.len[first]);
    tput[i] = span > 0 ? (b * 8) / span : NaN;
    goodput[i] = span > 0 ? (g * 8) / span : NaN;
  }
  return { tput, goodput };
}

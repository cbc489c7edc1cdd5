/**
 * Per-flow sums of the frames a table taps (flow = tcp.stream * 2 + direction): how many, their
 * bytes, the first frame, and the frames with the earliest and the latest time. A conversation
 * row is the same whatever order its packets come in (sums; a later time moves the end, an
 * earlier one the start), so the frames of one flow can be tapped at once, at their first frame
 * (conversations.ts addIds with a frame count): the TCP tables from the columns (views.ts) and
 * the fast frames' Ethernet and IP taps from the load's side record (collect.ts fromRecord).
 */
import type { FrameTable } from '../tcp/frames';
import { relParts } from '../fields/format';
import type { RelTime } from './conversations';

/** Wireshark's nstime_delta: seconds and nanoseconds of the same sign. */
export function relTime(dSec: number, dNs: number): RelTime {
  const [sec, ns] = relParts(dSec, dNs);
  return { sec, ns };
}

export class FlowSums {
  readonly n: Float64Array;
  readonly bytes: Float64Array;
  readonly first: Uint32Array;
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
  /** Set by the summing loop: the frames summed are exactly the load's fast frames (X_FAST). */
  fastFramesOnly = false;
  /** The latest and earliest times of each flow as rel_ts parts (seconds, nanoseconds: compared as relCmp does). */
  private readonly hiSec: Float64Array;
  private readonly hiNs: Float64Array;
  private readonly loSec: Float64Array;
  private readonly loNs: Float64Array;

  constructor(
    private readonly t: FrameTable,
    flows: number,
  ) {
    this.n = new Float64Array(flows);
    this.bytes = new Float64Array(flows);
    this.first = new Uint32Array(flows);
    this.lo = new Uint32Array(flows);
    this.hi = new Uint32Array(flows);
    this.hiSec = new Float64Array(flows);
    this.hiNs = new Float64Array(flows);
    this.loSec = new Float64Array(flows);
    this.loNs = new Float64Array(flows);
  }

  /**
   * Frame n (in frame order) of flow g, `bytes` long. Times are ordered as the tap orders them
   * (relCmp of rel_ts: seconds, then nanoseconds, which unnormalised fractions may leave ≥ 1e9).
   */
  add(g: number, n: number, bytes: number): void {
    const t = this.t;
    let sec = t.secOf(n - 1) - t.secOf(0);
    let ns = ((t.tsNsec[n - 1] | 0) - (t.tsNsec[0] | 0)) | 0;
    // relParts (fields/format.ts), inlined: one sign for both parts.
    if (sec > 0 && ns < 0) {
      ns += 1e9;
      sec -= 1;
    } else if (sec < 0 && ns > 0) {
      ns -= 1e9;
      sec += 1;
    }
    this.bytes[g] += bytes;
    if (this.n[g]++ === 0) {
      this.first[g] = this.lo[g] = this.hi[g] = n;
      this.hiSec[g] = this.loSec[g] = sec;
      this.hiNs[g] = this.loNs[g] = ns;
    } else if (sec > this.hiSec[g] || (sec === this.hiSec[g] && ns > this.hiNs[g])) {
      this.hi[g] = n;
      this.hiSec[g] = sec;
      this.hiNs[g] = ns;
    } else if (sec < this.loSec[g] || (sec === this.loSec[g] && ns < this.loNs[g])) {
      this.lo[g] = n;
      this.loSec[g] = sec;
      this.loNs[g] = ns;
    }
  }

  /** Flow g's sums as `o` has them. */
  copy(o: FlowSums, g: number): void {
    this.n[g] = o.n[g];
    this.bytes[g] = o.bytes[g];
    this.first[g] = o.first[g];
    this.lo[g] = o.lo[g];
    this.hi[g] = o.hi[g];
    this.hiSec[g] = o.hiSec[g];
    this.hiNs[g] = o.hiNs[g];
    this.loSec[g] = o.loSec[g];
    this.loNs[g] = o.loNs[g];
  }

  /** The flows that have frames, by first frame. */
  order(): number[] {
    const out: number[] = [];
    for (let g = 0; g < this.n.length; g++) if (this.n[g] > 0) out.push(g);
    return out.sort((a, b) => this.first[a] - this.first[b]);
  }

  /** Time of frame n since the first frame (Wireshark's rel_ts). */
  rel(n: number): RelTime {
    const [ds, dn] = this.t.secNsBetween(n, 1);
    return relTime(ds, dn);
  }
}

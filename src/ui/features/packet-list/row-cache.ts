/**
 * Rows fetched from the worker, kept in fixed blocks of BLOCK list positions. The list asks for the
 * visible range plus overscan; `missing()` turns the blocks it lacks into a few contiguous
 * requests (one worker message each). A block read while the capture was still loading may be
 * short; it is fetched again once more frames exist. At most MAX_BLOCKS are kept (oldest out).
 * When a load ends, rows already shown are refetched (final two-pass values) but stay on screen
 * until their replacements arrive, so the list does not blink.
 */
import type { FrameRow } from '../../../engine/model/types';

export const BLOCK = 64;
const MAX_BLOCKS = 256;

export class RowCache {
  private blocks = new Map<number, FrameRow[]>();
  /** Rows of an earlier version of the same capture: shown until fresh ones arrive. */
  private stale = new Map<number, FrameRow[]>();
  private inflight = new Set<number>();

  /** Forget everything (another capture). */
  clear(): void {
    this.blocks.clear();
    this.stale.clear();
    this.inflight.clear();
  }

  /** The rows may have changed (end of a load): fetch again, but keep showing the old ones meanwhile. */
  invalidate(): void {
    this.stale = this.blocks;
    this.blocks = new Map();
    this.inflight.clear();
  }

  get(n: number): FrameRow | undefined {
    const b = Math.floor((n - 1) / BLOCK);
    const i = (n - 1) % BLOCK;
    return this.blocks.get(b)?.[i] ?? this.stale.get(b)?.[i];
  }

  /** Frame ranges [first, last] to request so that frames first..last (≤ frames) are present. */
  missing(first: number, last: number, frames: number): [number, number][] {
    const hi = Math.min(last, frames);
    const out: [number, number][] = [];
    if (hi < first) return out;
    const b0 = Math.floor((Math.max(1, first) - 1) / BLOCK);
    const b1 = Math.floor((hi - 1) / BLOCK);
    for (let b = b0; b <= b1; b++) {
      const have = this.blocks.get(b);
      const want = Math.min(BLOCK, frames - b * BLOCK);
      if ((have && have.length >= want) || this.inflight.has(b)) continue;
      const lo = b * BLOCK + 1;
      const top = Math.min(frames, (b + 1) * BLOCK);
      const prev = out[out.length - 1];
      if (prev && prev[1] === lo - 1) prev[1] = top;
      else out.push([lo, top]);
    }
    return out;
  }

  /** Mark a request's blocks as in flight (so a scroll does not ask twice). */
  request(first: number, last: number): void {
    for (let b = Math.floor((first - 1) / BLOCK); b <= Math.floor((last - 1) / BLOCK); b++) this.inflight.add(b);
  }

  /**
   * Store the rows of a request: rows[i] is at position first + i (the list's positions are
   * frame numbers without a filter, places in the filtered/sorted view with one). An answer
   * may be shorter than asked (a load in progress): only that prefix is kept.
   */
  put(first: number, last: number, rows: FrameRow[]): void {
    for (let b = Math.floor((first - 1) / BLOCK); b <= Math.floor((last - 1) / BLOCK); b++) {
      this.inflight.delete(b);
      this.stale.delete(b);
    }
    for (let i = 0; i < rows.length && first + i <= last; i++) {
      const pos = first + i;
      const b = Math.floor((pos - 1) / BLOCK);
      let arr = this.blocks.get(b);
      if (!arr) {
        arr = [];
        this.blocks.set(b, arr);
      }
      arr[(pos - 1) % BLOCK] = rows[i];
    }
    // Keep blocks dense: a block is usable only up to its first hole.
    for (const [b, arr] of this.blocks) {
      let k = 0;
      while (k < arr.length && arr[k]) k++;
      if (k < arr.length) arr.length = k;
      if (k === 0) this.blocks.delete(b);
    }
    while (this.blocks.size > MAX_BLOCKS) {
      const oldest = this.blocks.keys().next().value;
      if (oldest === undefined) break;
      this.blocks.delete(oldest);
    }
  }

  get size(): number {
    return this.blocks.size;
  }
}

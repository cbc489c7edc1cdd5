/**
 * The displayed view of one capture, kept in the worker: which frames the packet list shows
 * (display filter) and in what order (sort column).
 *
 *   base   ── frames matching the filter, ascending, as a Uint32Array (4 bytes per displayed
 *             frame once the scan is done; it grows by doubling while scanning); no filter =
 *             every frame, no array at all
 *   order  ── base sorted by a column (another 4 bytes per displayed frame), covering the
 *             first `order.length` frames of base; frames that arrived since (a load or a scan
 *             still running) follow in frame order until the next sort
 *
 * A filter runs as a job: it scans the frames in slices (filterFrames), publishing matches as
 * it finds them, and when the capture is still loading it waits for more frames and goes on.
 * A new filter (or sort) aborts the running job. When the load ends the filter is run again
 * from the start, because tshark -2 values (tcp.analysis.*) are final only then.
 */
import type { CaptureSession } from '../engine/index';
import { FLAG_MASK, sortFrames, type SortColumn } from './sort';
import { yieldNow } from './yield';

export interface FilterDiagnostic {
  message: string;
  start: number;
  end: number;
}

/** What the view needs from the display-filter engine (engine/filter: compileFilter, filterFrames). */
export interface FilterEngine<F> {
  compile(text: string): { ok: true; filter: F; warnings: FilterDiagnostic[] } | { ok: false; error: FilterDiagnostic };
  run(s: CaptureSession, f: F, from: number, to: number, signal: { aborted: boolean }): Promise<Uint32Array>;
}

export interface ViewSort {
  column: SortColumn;
  desc: boolean;
}

/** Progress of the view as the UI shows it. */
export interface ViewStatus {
  /** Bumped whenever positions may have changed meaning (new filter, new sort, rescan). */
  gen: number;
  filter: string;
  sort: ViewSort | undefined;
  /** Frames in the view now. */
  displayed: number;
  /** Frames the filter has looked at (all frames when there is no filter). */
  scanned: number;
  /** Frames in the capture so far. */
  total: number;
  /** Sorting (decoding text columns): frames done of total, else undefined. */
  sorting: { done: number; total: number } | undefined;
  /** The filter has seen every frame of a finished load and the sort is applied (or it was stopped). */
  done: boolean;
  /** Stopped by the user before the end: `displayed` frames found in the first `scanned`. */
  stopped: boolean;
  elapsedMs: number;
}

/** Frames per filterFrames call: small enough to publish matches often and to answer row calls in between. */
const SLICE = 65536;
/** Minimum time between two status messages. */
const STATUS_EVERY_MS = 50;


export class DisplayView<F> {
  gen = 0;
  private filterText = '';
  private filter: F | undefined;
  private base: Uint32Array | undefined;
  private count = 0;
  private scanned = 0;
  private order: Uint32Array | undefined;
  /** No. descending over a complete view: positions counted from the end, no array at all. */
  private reversed = false;
  private sort: ViewSort | undefined;
  private sorting: { done: number; total: number } | undefined;
  private job = { aborted: true };
  private running: Promise<void> = Promise.resolve();
  private done = true;
  private stopped = false;
  private t0 = 0;
  private lastStatus = -Infinity;
  private wake: (() => void) | undefined;
  onStatus: ((s: ViewStatus) => void) | undefined;

  constructor(
    private readonly s: CaptureSession,
    private readonly engine: FilterEngine<F>,
    private readonly isLoaded: () => boolean,
  ) {}

  /**
   * Show the frames matching `text` ('' = all) in `sort` order. A filter that does not
   * compile leaves the view as it is and returns the error.
   */
  set(text: string, sort: ViewSort | undefined): { ok: true; gen: number; warnings: FilterDiagnostic[] } | { ok: false; error: FilterDiagnostic } {
    let filter: F | undefined;
    let warnings: FilterDiagnostic[] = [];
    if (text.trim() !== '') {
      const c = this.engine.compile(text);
      if (!c.ok) return c;
      filter = c.filter;
      warnings = c.warnings;
    }
    this.filterText = text.trim() === '' ? '' : text;
    this.filter = filter;
    this.sort = sort && !(sort.column === 'no' && !sort.desc) ? sort : undefined;
    this.restart();
    return { ok: true, gen: this.gen, warnings };
  }

  /** Frames were added by the load. */
  framesArrived(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The load ended: run the filter again over the final (two-pass) values, and sort. */
  loadEnded(): void {
    if (this.stopped) return;
    if (this.filter !== undefined || this.sort) this.restart();
    else this.framesArrived();
  }

  /**
   * Stop the running filter/sort where it is: the matches found so far stay displayed (in
   * frame order), and the view no longer follows the load. A sort not yet applied is dropped
   * (the status then has no sort, so the column header loses its arrow).
   */
  stop(): void {
    if (this.done) return;
    this.job.aborted = true;
    this.framesArrived();
    if (this.base && this.base.length !== this.count) this.base = this.base.slice(0, this.count);
    this.order = undefined;
    if (!this.reversed) this.sort = undefined;
    this.sorting = undefined;
    this.stopped = true;
    this.done = true;
    this.gen++;
    this.status(true);
  }

  /** Stop the running job (another capture). */
  dispose(): void {
    this.job.aborted = true;
    this.framesArrived();
  }

  private restart(): void {
    this.job.aborted = true;
    this.framesArrived();
    const job = { aborted: false };
    this.job = job;
    this.gen++;
    this.base = this.filter !== undefined ? new Uint32Array(1024) : undefined;
    this.count = 0;
    this.scanned = 0;
    this.order = undefined;
    this.reversed = false;
    this.sorting = undefined;
    this.done = false;
    this.stopped = false;
    this.t0 = performance.now();
    this.lastStatus = -Infinity;
    const prev = this.running;
    this.running = prev.then(() => this.run(job)).catch(() => undefined);
  }

  /** Resolves when the current job has finished (tests, benchmarks). */
  async settled(): Promise<void> {
    for (;;) {
      const r = this.running;
      await r;
      if (r === this.running) return;
    }
  }

  private async run(job: { aborted: boolean }): Promise<void> {
    if (job.aborted) return;
    if (this.filter !== undefined) {
      const f = this.filter;
      for (;;) {
        const total = this.s.frameCount;
        while (this.scanned < total) {
          const to = Math.min(total, this.scanned + SLICE);
          const m = await this.engine.run(this.s, f, this.scanned + 1, to, job);
          if (job.aborted) return;
          this.append(m);
          this.scanned = to;
          this.status(false);
          await yieldNow();
          if (job.aborted) return;
        }
        if (this.isLoaded()) break;
        await new Promise<void>((r) => (this.wake = r));
        if (job.aborted) return;
      }
      // The final array: exactly 4 bytes per displayed frame.
      if (this.base && this.base.length !== this.count) this.base = this.base.slice(0, this.count);
    } else this.scanned = this.s.frameCount;
    if (this.sort && this.sort.column === 'no' && this.sort.desc && this.isLoaded()) {
      // The view backwards: nothing to build.
      this.reversed = true;
      this.gen++;
    } else if (this.sort) {
      const all = this.base ? this.base.subarray(0, this.count) : identity(this.s.frameCount);
      this.sorting = { done: 0, total: all.length };
      this.status(true);
      const order = await sortFrames(this.s, all, this.sort.column, this.sort.desc, {
        signal: job,
        onProgress: (done, total) => {
          this.sorting = { done, total };
          this.status(false);
        },
      });
      if (job.aborted || !order) return;
      this.order = order;
      this.sorting = undefined;
      // Positions changed meaning.
      this.gen++;
    }
    // With no filter during a load, frames keep arriving; the view is "done" when the load is.
    this.done = this.isLoaded();
    this.status(true);
  }

  private append(m: Uint32Array): void {
    if (!m.length) return;
    let b = this.base!;
    if (this.count + m.length > b.length) {
      const nb = new Uint32Array(Math.max(this.count + m.length, b.length * 2));
      nb.set(b.subarray(0, this.count));
      b = nb;
      this.base = b;
    }
    b.set(m, this.count);
    this.count += m.length;
  }

  private status(force: boolean): void {
    const t = performance.now();
    if (!force && t - this.lastStatus < STATUS_EVERY_MS) return;
    this.lastStatus = t;
    this.onStatus?.(this.snapshot());
  }

  snapshot(): ViewStatus {
    return {
      gen: this.gen,
      filter: this.filterText,
      sort: this.sort,
      displayed: this.length,
      scanned: this.filter !== undefined ? this.scanned : this.s.frameCount,
      total: this.s.frameCount,
      sorting: this.sorting,
      done: this.done,
      stopped: this.stopped,
      elapsedMs: performance.now() - this.t0,
    };
  }

  /** Frames in the view. */
  get length(): number {
    return this.base ? this.count : this.s.frameCount;
  }

  /** Whether the view is every frame in frame order (position = frame number). */
  get identity(): boolean {
    return !this.base && !this.order && !this.reversed;
  }

  /** The frame at position p (1-based), 0 when out of range. */
  frameAt(p: number): number {
    if (!(p >= 1 && p <= this.length)) return 0;
    if (this.reversed) return this.base ? this.base[this.count - p] : this.s.frameCount - p + 1;
    if (this.order && p <= this.order.length) return this.order[p - 1];
    return this.base ? this.base[p - 1] : p;
  }

  /** Frames at positions first..last (1-based, clipped). */
  framesAt(first: number, last: number): number[] {
    const out: number[] = [];
    const hi = Math.min(last, this.length);
    for (let p = Math.max(1, first); p <= hi; p++) out.push(this.frameAt(p));
    return out;
  }

  /** The displayed frame before frame n in frame order (whatever the sort), 0 for none. */
  prevDisplayed(n: number): number {
    const b = this.base;
    if (!b) return n - 1;
    let lo = 0;
    let hi = this.count - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (b[mid] < n) {
        best = b[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Position (1-based) of frame n in the view, 0 when the view hides it. */
  positionOf(n: number): number {
    if (!(n >= 1 && n <= this.s.frameCount)) return 0;
    const o = this.order;
    if (o) {
      const i = o.indexOf(n);
      if (i >= 0) return i + 1;
    }
    let p: number;
    if (this.base) {
      let lo = 0;
      let hi = this.count - 1;
      p = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = this.base[mid];
        if (v === n) {
          p = mid + 1;
          break;
        }
        if (v < n) lo = mid + 1;
        else hi = mid - 1;
      }
    } else p = n;
    if (this.reversed) return p > 0 ? this.length - p + 1 : 0;
    // In the sorted part that position belongs to another frame.
    return o && p <= o.length ? 0 : p;
  }

  /** The next (dir 1) or previous (dir −1) position after `from` whose frame has analysis flags. */
  nextFlagged(from: number, dir: 1 | -1): { position: number; frame: number } | undefined {
    const flags = this.s.frames.aflags;
    const len = this.length;
    for (let p = from + dir; p >= 1 && p <= len; p += dir) {
      const n = this.frameAt(p);
      if (flags[n - 1] & FLAG_MASK) return { position: p, frame: n };
    }
    return undefined;
  }

  /** Retained bytes of the view's arrays (the packet list's index). */
  retainedBytes(): number {
    return (this.base?.byteLength ?? 0) + (this.order?.byteLength ?? 0);
  }
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i + 1;
  return a;
}

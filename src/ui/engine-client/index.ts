/**
 * The UI's one door to the engine: starts the module worker, wraps it with Comlink and keeps
 * track of calls in flight (for the idle hook) — the Squoosh "worker bridge" shape.
 *
 * Opening a file cancels the previous load (the worker stops at its next chunk); every call
 * carries the load id so stale answers can be dropped.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi, LoadStatus, OpenResult } from '../../worker/engine-api';
import type { ExpertCounts, FrameDetail, FrameRow } from '../../engine/model/types';

export type { LoadStatus, OpenResult };

export class EngineClient {
  private readonly worker: Worker;
  private readonly api: Remote<EngineApi>;
  private pending = 0;
  private nextId = 1;
  private idleWaiters: (() => void)[] = [];

  constructor() {
    this.worker = new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'seqscope-engine' });
    this.api = wrap<EngineApi>(this.worker);
  }

  /** Calls in flight (a load counts as one until it ends). */
  get busy(): boolean {
    return this.pending > 0;
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await p;
    } finally {
      this.pending--;
      if (this.pending === 0) {
        const w = this.idleWaiters;
        this.idleWaiters = [];
        for (const f of w) f();
      }
    }
  }

  /** Resolves when no call is in flight. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Start loading `blob`; returns the load id at once and the result when the load ends. */
  open(blob: Blob, name: string, onProgress: (s: LoadStatus) => void): { id: number; done: Promise<OpenResult> } {
    const id = this.nextId++;
    const done = this.track(this.api.open(id, blob, name, proxy(onProgress)));
    return { id, done };
  }

  /** Start loading the capture at `url` (fetched by the worker, CORS); like `open`. */
  openUrl(url: string, onProgress: (s: LoadStatus) => void): { id: number; done: Promise<OpenResult> } {
    const id = this.nextId++;
    const done = this.track(this.api.openUrl(id, url, proxy(onProgress)));
    return { id, done };
  }

  cancel(id: number): Promise<void> {
    return this.track(this.api.cancel(id));
  }

  rows(id: number, first: number, last: number): Promise<FrameRow[]> {
    return this.track(this.api.rows(id, first, last));
  }

  detail(id: number, n: number): Promise<FrameDetail | undefined> {
    return this.track(this.api.detail(id, n));
  }

  experts(id: number): Promise<ExpertCounts | undefined> {
    return this.track(this.api.experts(id));
  }

  /** Warm the worker up (not tracked as pending work: the idle hook does not wait for it). */
  warmUp(): Promise<number> {
    return this.api.warmUp();
  }

  memory(id: number): Promise<{ frames: number; retainedBytes: number }> {
    return this.track(this.api.memory(id));
  }
}

let client: EngineClient | undefined;

/** The app's engine (one worker for the page's lifetime). */
export function engine(): EngineClient {
  client ??= new EngineClient();
  return client;
}

/**
 * The UI's one door to the engine: starts the module worker, wraps it with Comlink and keeps
 * track of calls in flight (for the idle hook) — the Squoosh "worker bridge" shape.
 *
 * Opening a file cancels the previous load (the worker stops at its next chunk); every call
 * carries the load id so stale answers can be dropped.
 */
import { proxy, wrap, type Remote } from 'comlink';
// The built worker script's URL (an asset URL, not code: the UI still runs nothing of the worker's).
// eslint-disable-next-line no-restricted-imports
import workerUrl from '../../worker/engine.worker.ts?worker&url';
import type { AllConversations, TcpTables, ExpertGroupRow, FollowMeta, FollowInfo, FollowDir, FollowTextMode, CheckResult, EngineApi, FieldInfo, FilterDiagnostic, FindResult, SetViewResult, FindQuery, LoadStatus, OpenResult, SortColumn, ViewSort, ViewStatus } from '../../worker/engine-api';
import type { Diagnosis, ExpertCounts, FrameDetail, FrameRow } from '../../engine/model/types';
import type { RowOpts } from '../../engine/fields/rows';
import type { ThroughputOptions } from '../../engine/graphs/throughput';
import type { IoLine } from '../../engine/graphs/io-graph';
import type { IoChart, Level, SeriesData, TcpChart, TcpChartKind } from '../../engine/graphs/chart';

export type { AllConversations, TcpTables, ExpertGroupRow, FollowMeta, FollowInfo, FollowDir, FollowTextMode, CheckResult, FieldInfo, FilterDiagnostic, FindResult, SetViewResult, FindQuery, LoadStatus, OpenResult, SortColumn, ViewSort, ViewStatus, ThroughputOptions, IoLine, IoChart, Level, SeriesData, TcpChart, TcpChartKind };

/**
 * Start the engine worker. It is bootstrapped from a tiny blob module that imports the built
 * worker script: a blob worker inherits the page's Content-Security-Policy (script-src 'self',
 * no eval), whereas a worker loaded from its own URL would only get the policy of that file's
 * response headers, which static hosts do not send.
 */
function startWorker(): Worker {
  const script = new URL(workerUrl, location.href).href;
  const boot = URL.createObjectURL(new Blob([`import ${JSON.stringify(script)};`], { type: 'text/javascript' }));
  try {
    return new Worker(boot, { type: 'module', name: 'seqscope-engine' });
  } finally {
    // The worker fetched (or will fetch) the blob already; revoking later would only leak it.
    setTimeout(() => URL.revokeObjectURL(boot), 10_000);
  }
}

/** What a dead worker leaves: calls in flight fail with this. */
export class WorkerCrashed extends Error {}

export class EngineClient {
  private worker!: Worker;
  private api!: Remote<EngineApi>;
  /** Rejects when the current worker dies; every call races against it. */
  private died!: Promise<never>;
  private kill!: (e: Error) => void;
  private pending = 0;
  private nextId = 1;
  private idleWaiters: (() => void)[] = [];
  /** Called when the worker died and was replaced (the load it held is gone). */
  onCrash: ((message: string) => void) | undefined;

  constructor() {
    this.start();
  }

  private start(): void {
    const w = startWorker();
    this.worker = w;
    this.api = wrap<EngineApi>(w);
    this.died = new Promise<never>((_, reject) => (this.kill = reject));
    this.died.catch(() => undefined);
    const onError = (ev: Event) => {
      if (this.worker !== w) return;
      ev.preventDefault();
      const why = ev instanceof ErrorEvent && ev.message ? ev.message : 'it stopped unexpectedly (for example out of memory)';
      this.replace(`The analysis worker died: ${why}. It has been restarted; the rows already shown stay, open the file again to continue.`);
    };
    w.addEventListener('error', onError);
    w.addEventListener('messageerror', onError);
  }

  /** Fail the calls in flight, drop the dead worker and start a fresh one. */
  private replace(message: string): void {
    const kill = this.kill;
    this.worker.terminate();
    this.start();
    kill(new WorkerCrashed(message));
    this.onCrash?.(message);
  }

  /** Calls in flight (a load counts as one until it ends). */
  get busy(): boolean {
    return this.pending > 0;
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await Promise.race([p, this.died]);
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

  rows(id: number, first: number, last: number, opts?: RowOpts): Promise<FrameRow[]> {
    return this.track(this.api.rows(id, first, last, opts));
  }

  detail(id: number, n: number): Promise<FrameDetail | undefined> {
    return this.track(this.api.detail(id, n));
  }

  experts(id: number): Promise<ExpertCounts | undefined> {
    return this.track(this.api.experts(id));
  }

  /** undefined when the blob may be a capture, else why it is not (the reader's message). */
  probe(blob: Blob): Promise<string | undefined> {
    return this.track(this.api.probe(blob));
  }

  diagnoses(id: number): Promise<Diagnosis[] | undefined> {
    return this.track(this.api.diagnoses(id));
  }

  expertGroups(id: number, limit: boolean): Promise<ExpertGroupRow[] | undefined> {
    return this.track(this.api.expertGroups(id, limit));
  }

  tcpConversations(id: number): Promise<TcpTables | undefined> {
    return this.track(this.api.tcpConversations(id));
  }

  conversations(id: number): Promise<AllConversations | undefined> {
    return this.track(this.api.conversations(id));
  }

  /** Follow TCP stream `stream`; the chunks (frame, length, direction) arrive through `onChunks` batch by batch. */
  follow(id: number, stream: number, onChunks: (c: FollowMeta[]) => void): Promise<FollowInfo | undefined> {
    return this.track(this.api.follow(id, stream, proxy(onChunks)));
  }

  /** The bytes of chunks from..to-1 of the stream being followed. */
  followData(id: number, stream: number, from: number, to: number): Promise<Uint8Array[] | undefined> {
    return this.track(this.api.followData(id, stream, from, to));
  }

  followFind(id: number, stream: number, query: string, mode: FollowTextMode, dir: FollowDir, after: number): Promise<number> {
    return this.track(this.api.followFind(id, stream, query, mode, dir, after));
  }

  followSave(id: number, stream: number, dir: FollowDir): Promise<Blob | undefined> {
    return this.track(this.api.followSave(id, stream, dir));
  }

  /** Apply a display filter and sort column to load `id` (see EngineApi.setView). */
  setView(id: number, filter: string, sort: ViewSort | undefined, onStatus: (s: ViewStatus) => void): Promise<SetViewResult> {
    return this.track(this.api.setView(id, filter, sort, proxy(onStatus)) as Promise<SetViewResult>);
  }

  checkFilter(text: string): Promise<CheckResult> {
    return this.track(this.api.checkFilter(text) as Promise<CheckResult>);
  }

  private fieldList: Promise<FieldInfo[]> | undefined;
  /** The display-filter fields (asked once). */
  fields(): Promise<FieldInfo[]> {
    this.fieldList ??= this.api.fields();
    return this.fieldList;
  }

  viewRows(id: number, gen: number, first: number, last: number, opts?: RowOpts): Promise<{ gen: number; rows: FrameRow[] }> {
    return this.track(this.api.viewRows(id, gen, first, last, opts));
  }

  viewPosition(id: number, n: number): Promise<{ gen: number; position: number; displayed: number }> {
    return this.track(this.api.viewPosition(id, n));
  }

  viewFrame(id: number, p: number): Promise<{ gen: number; frame: number }> {
    return this.track(this.api.viewFrame(id, p));
  }

  stopView(id: number): Promise<void> {
    return this.track(this.api.stopView(id));
  }

  viewStatus(id: number): Promise<ViewStatus | undefined> {
    return this.track(this.api.viewStatus(id));
  }

  nextFlagged(id: number, from: number, dir: 1 | -1): Promise<{ position: number; frame: number } | undefined> {
    return this.track(this.api.nextFlagged(id, from, dir));
  }

  find(id: number, q: FindQuery, from: number, dir: 1 | -1): Promise<FindResult> {
    return this.track(this.api.find(id, q, from, dir) as Promise<FindResult>);
  }

  streamOf(id: number, n: number): Promise<{ stream: number; dir: 0 | 1 } | undefined> {
    return this.track(this.api.streamOf(id, n));
  }

  streamCount(id: number): Promise<number> {
    return this.track(this.api.streamCount(id));
  }

  tcpChart(id: number, stream: number, dir: 0 | 1, kind: TcpChartKind, tput?: ThroughputOptions): Promise<TcpChart | undefined> {
    return this.track(this.api.tcpChart(id, stream, dir, kind, tput));
  }

  ioChart(id: number, lines: IoLine[], intervalUs: number): Promise<IoChart | undefined> {
    return this.track(this.api.ioChart(id, lines, intervalUs));
  }

  /** Warm the worker up (not tracked as pending work: the idle hook does not wait for it). */
  warmUp(): Promise<number> {
    return this.api.warmUp();
  }

  /** Test hook: make the worker die as a crash would (see EngineApi.crash). */
  crashForTest(): void {
    void this.api.crash();
  }

  memory(id: number): Promise<{ frames: number; retainedBytes: number; viewBytes: number }> {
    return this.track(this.api.memory(id));
  }
}

let client: EngineClient | undefined;

/** The app's engine (one worker for the page's lifetime). */
export function engine(): EngineClient {
  client ??= new EngineClient();
  return client;
}

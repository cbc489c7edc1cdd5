/**
 * The worker's API, called from the UI through Comlink (src/ui/engine-client). One capture is
 * open at a time; every call names the load it is about (`id`, chosen by the client) so that
 * answers about a file the user has since replaced are empty rather than wrong.
 *
 *   open(id, blob, onProgress) ── CaptureSession.load() over a BlobSource, progress every 50 ms
 *   openUrl(id, url, onProgress) ─ the same over a UrlSource (a capture fetched with CORS, `?url=`)
 *   rows(id, first, last)      ── FrameRow[] for one visible window (one message per batch)
 *   detail(id, n)              ── FrameDetail (tree + the frame's bytes, transferred)
 *   experts(id)                ── expert counts by severity (from the frame table, after the load)
 *   diagnoses(id)              ── what went wrong with each connection (engine/diagnose, after the load)
 *   expertGroups(id, limit)    ── Expert Information: items by severity/group/summary with frames (columns only)
 *   conversations(id)          ── every Conversations/Endpoints table (engine/stats, one pass, after the load)
 *   follow(id, stream, onChunks) ── Follow TCP Stream: the stream's chunks, streamed in batches
 *   cancel(id)                 ── stop reading; rows read so far stay available
 *   tcpChart(id, stream, dir, kind, tput) ── a TCP stream graph's series and zoom pyramids (transferred)
 *   ioChart(id, lines, µs)     ── the I/O graph's, the same way
 *   setView(id, filter, sort, onStatus) ── display filter + sort column (view.ts): compiled here,
 *                                 run as a job that streams matches; a new call cancels it
 *   viewRows(id, gen, a, b, o) ── rows at view positions a..b (the packet list asks by position);
 *                                 o: Time format / references and added columns (RowOpts)
 *   viewPosition / viewFrame   ── frame ↔ position in the view (selection, Ctrl+G, keys)
 *   nextFlagged(id, pos, dir)  ── next/previous displayed frame with analysis flags
 *   find(id, query, pos, dir)  ── find packet: display filter, hex bytes or string (find.ts)
 *
 * `open` resolves only when the load ends; the other calls interleave with it because the
 * load awaits each 4 MiB read.
 */
import { transfer } from 'comlink';
import { CaptureSession, readDetail, readRows, readRowsOf, expertCounts, fingerprint, FINGERPRINT_BYTES, type RowOpts } from '../engine/index';
import type { Diagnosis, ExpertCounts, FrameDetail, FrameRow, LoadResult } from '../engine/index';
import { tcpGraphData, graphBuffers, type TcpGraphData } from '../engine/graphs/tcp-graph';
import type { ThroughputOptions } from '../engine/graphs/throughput';
import { ioGraphData, type IoLine } from '../engine/graphs/io-graph';
import { chartBuffers, ioChart, tcpChart, type IoChart, type TcpChart, type TcpChartKind } from '../engine/graphs/chart';
import { TF_DIR_BA } from '../engine/tcp/frames';
import { BlobSource } from './blob-source';
import { UrlSource } from './url-source';
import { warmUp } from './warm-up';
import { notCaptureMessage, sniff } from '../engine/capture/detect';
import { DisplayView, type ViewSort, type ViewStatus, type FilterDiagnostic } from './view';
import { prepareSorts } from './sort';
import { fieldInfos, filterEngine, type CompiledFilter, type FieldInfo } from './filter-engine';
import { findFrame, type FindQuery } from './find';
import { allConversations, followChunks, followStream, tcpTables, type AllConversations, type FollowMeta, type FollowResult, type TcpTables } from '../engine/stats/views';
import { findInFollow, followBlob, type FollowDir, type FollowInfo, type FollowTextMode } from './follow';
import { expertGroups, type ExpertGroupRow } from '../engine/stats/expert-groups';

export type { AllConversations, FollowMeta, FollowInfo, FollowDir, FollowTextMode, ExpertGroupRow, TcpTables };

export type { ViewSort, ViewStatus, FilterDiagnostic, FindQuery };
export type { SortColumn } from './sort';
export type { FieldInfo };
export type CheckResult = { ok: true; warnings: FilterDiagnostic[] } | { ok: false; error: FilterDiagnostic };
export type SetViewResult = { ok: true; gen: number; warnings: FilterDiagnostic[]; status: ViewStatus } | { ok: false; error: FilterDiagnostic; noCapture?: true };
export type FindResult = { ok: true; position: number; frame: number } | { ok: false; message: string };

/** Progress as the UI shows it. */
export interface LoadStatus {
  id: number;
  frames: number;
  bytesRead: number;
  totalBytes: number;
  /** 0…100 */
  percent: number;
  /** Bytes per second since the load started. */
  rate: number;
  elapsedMs: number;
  done: boolean;
  /**
   * With the first progress that has frames: the first rows, so the list fills without asking
   * (one round trip and one render less before the first rows are on screen).
   */
  rows?: FrameRow[];
}

/** Rows sent with the first progress message (one row-cache block). */
const FIRST_ROWS = 64;

export interface OpenResult extends LoadResult {
  id: number;
  elapsedMs: number;
  /** What a view link names the capture by: its size in bytes and the fingerprint of its first 64 KiB (engine/bytes/fingerprint.ts). */
  identity: { size: number; hash: string } | undefined;
}

/**
 * Bytes per read while loading (the engine's default is 4 MiB). BlobSource streams the file,
 * makes the first read short (128 KiB, so the first rows come after a few ms of parsing) and
 * yields between reads so that row and detail calls are answered within one chunk's parsing
 * (~10–20 ms). 512 KiB chunks cost ~20% more load time in bench:browser for no visible gain.
 */
const LOAD_CHUNK = 1024 * 1024;

/**
 * Most frames a tab keeps (under 1 GB of frame table at 42–48 bytes a frame): past it the load
 * stops with a clear message instead of taking the tab down. Ten million tiny frames fit.
 */
const FRAME_LIMIT = 20_000_000;

/** Minimum time between two progress messages: enough for a smooth bar, cheap for the main thread. */
const PROGRESS_EVERY_MS = 50;

interface Current {
  id: number;
  session: CaptureSession;
  source: BlobSource | UrlSource;
  cancelled: boolean;
  loaded: boolean;
  experts?: Promise<ExpertCounts | undefined>;
  /** The data of the last TCP graph asked for (kept for the other kinds of the same stream and direction). */
  tcpGraph?: TcpGraphData;
  conversations?: Promise<AllConversations>;
  /** The stream last followed and its chunk index. */
  follow?: { stream: number; result: Promise<FollowResult>; stop: () => void };
  tcpTables?: TcpTables;
  /** What the packet list shows: filter + sort (view.ts). */
  view: DisplayView<CompiledFilter>;
  /** The running find, aborted by the next one. */
  find?: { aborted: boolean };
}

export function createEngineApi() {
  let cur: Current | undefined;
  const now = () => performance.now();

  const session = (id: number): Current | undefined => (cur && cur.id === id ? cur : undefined);
  /** Newest open/openUrl call: an openUrl still waiting for its server gives up when a newer one came. */
  let newest = 0;

  /** Load `source` as load `id`; `totalBytes` is read at each progress message (a download's size may be an estimate). */
  const load = async (id: number, source: BlobSource | UrlSource, totalBytes: () => number, onProgress?: (s: LoadStatus) => void): Promise<OpenResult> => {
    if (cur) {
      cur.cancelled = true;
      if (cur.source instanceof UrlSource) cur.source.abort();
    }
    cur?.view.dispose();
    const session = new CaptureSession(source);
    const c: Current = { id, session, source, cancelled: false, loaded: false, view: undefined! };
    c.view = new DisplayView(session, filterEngine, () => c.loaded);
    cur = c;
    const t0 = now();
    let last = -Infinity;
    const status = (frames: number, bytesRead: number, done: boolean): LoadStatus => {
      const elapsedMs = now() - t0;
      const total = done ? bytesRead : Math.max(totalBytes(), bytesRead);
      return { id, frames, bytesRead, totalBytes: total, percent: total ? Math.min(100, (bytesRead / total) * 100) : 100, rate: elapsedMs > 0 ? (bytesRead / elapsedMs) * 1000 : 0, elapsedMs, done };
    };
    let sentRows = false;
    const result = await c.session.load({
      chunkSize: LOAD_CHUNK,
      frameLimit: FRAME_LIMIT,
      isCancelled: () => c.cancelled,
      onProgress: (p) => {
        c.view.framesArrived();
        const t = now();
        if (!p.done && t - last < PROGRESS_EVERY_MS && last !== -Infinity) return;
        last = t;
        if (!sentRows && !p.done && p.frames > 0) {
          // The first frames are in the source's kept chunk: their rows come back at once.
          sentRows = true;
          const st = status(p.frames, p.bytesRead, p.done);
          void c.source.urgently(() => readRows(c.session, 1, Math.min(p.frames, FIRST_ROWS))).then(
            (rows) => onProgress?.({ ...st, rows }),
            () => onProgress?.(st),
          );
          return;
        }
        onProgress?.(status(p.frames, p.bytesRead, p.done));
      },
    });
    c.loaded = true;
    c.view.loadEnded();
    // A stopped download keeps the bytes received (rows and details re-read them).
    if (result.cancelled && source instanceof UrlSource) source.abort();
    // The link's name for this capture: size + a hash of its first bytes (read again: one short read).
    let identity: OpenResult['identity'];
    if (result.frames > 0) {
      const head = await source.read(0, FINGERPRINT_BYTES).catch(() => undefined);
      // A download stopped part way has no size: its link names it by URL only.
      const size = source.size;
      if (head && size !== undefined) identity = { size, hash: fingerprint(head) };
    }
    // Rows and details from now on re-decode with the final (two-pass) state.
    return { ...result, id, elapsedMs: now() - t0, identity };
  };

  return {
    /**
     * Is this blob a capture (by its first bytes, as the reader decides)? undefined when it may be
     * (gzip is only known once inflated), else the reader's message. The UI asks before replacing
     * an open capture, so that a PNG or an empty file does not close it.
     */
    async probe(blob: Blob): Promise<string | undefined> {
      const s = sniff(new Uint8Array(await blob.slice(0, 64).arrayBuffer()));
      return s.kind === 'unknown' ? notCaptureMessage(s.looksLike) : undefined;
    },

    async open(id: number, blob: Blob, name: string, onProgress?: (s: LoadStatus) => void): Promise<OpenResult> {
      newest = id;
      const source = new BlobSource(blob, name);
      source.loading(LOAD_CHUNK);
      return load(id, source, () => blob.size, onProgress);
    },

    /**
     * Open a capture from a URL (`?url=`): fetched here with CORS, streamed into memory and
     * analysed as it arrives. Rejects with a clear message when the fetch fails (network,
     * HTTP status, CORS refusal); a newer open while waiting for the server wins.
     */
    async openUrl(id: number, url: string, onProgress?: (s: LoadStatus) => void): Promise<OpenResult> {
      newest = id;
      const source = await UrlSource.open(url);
      if (newest !== id) {
        source.abort();
        return { id, elapsedMs: 0, frames: 0, format: undefined, error: undefined, cancelled: true, comments: [], linkTypes: [], streams: 0, identity: undefined };
      }
      return load(id, source, () => source.size ?? source.expectedBytes ?? 0, onProgress);
    },

    cancel(id: number): void {
      const c = session(id);
      if (c) c.cancelled = true;
      else if (newest === id) newest = 0; // an openUrl still waiting for its server
    },

    frameCount(id: number): number {
      return session(id)?.session.frameCount ?? 0;
    },

    async rows(id: number, first: number, last: number, opts?: RowOpts): Promise<FrameRow[]> {
      const c = session(id);
      if (!c) return [];
      return c.source.urgently(() => readRows(c.session, first, last, opts));
    },

    async detail(id: number, n: number): Promise<FrameDetail | undefined> {
      const c = session(id);
      if (!c) return undefined;
      const d = await c.source.urgently(() => readDetail(c.session, n));
      return d ? transfer(d, [d.bytes.buffer]) : undefined;
    },

    async experts(id: number): Promise<ExpertCounts | undefined> {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      if (!c.experts) {
        c.experts = expertCounts(c.session, { isCancelled: () => cur !== c });
        // Then, still idle, what the first Protocol/Info sort needs (sort.ts: the side index).
        void c.experts.then(() => prepareSorts(c.session, { get aborted() { return cur !== c; } })).catch(() => undefined);
      }
      return c.experts;
    },

    /** The connection diagnoses of a loaded capture (computed once by the session). */
    diagnoses(id: number): Diagnosis[] | undefined {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      return c.session.diagnoses();
    },

    /** Analyze → Expert Information: the groups with counts and frames; `limit`: only displayed frames. */
    async expertGroups(id: number, limit: boolean): Promise<ExpertGroupRow[] | undefined> {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      // The tally's passes first (application PDUs, the other layers' items): the groups walk their results.
      c.experts ??= expertCounts(c.session, { isCancelled: () => cur !== c });
      if (!(await c.experts) || cur !== c) return undefined;
      const v = c.view;
      return expertGroups(c.session, limit && !v.identity ? (n) => v.positionOf(n) > 0 : undefined);
    },

    /** The TCP conversations alone, from the columns (milliseconds: shown while the other tables are counted). */
    tcpConversations(id: number): TcpTables | undefined {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      c.tcpTables ??= tcpTables(c.session);
      return c.tcpTables;
    },

    /** Statistics → Conversations / Endpoints: every table, computed once per load (from the columns and the load's side record). */
    async conversations(id: number): Promise<AllConversations | undefined> {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      c.conversations ??= allConversations(c.session, (c.tcpTables ??= tcpTables(c.session)));
      return c.conversations;
    },

    /**
     * Follow TCP stream `stream`: the chunks' frames, lengths and directions go to `onChunks`
     * batch by batch as the stream's frames are read again (the first screen shows before the
     * end); resolves with the node addresses. The worker keeps the chunks as an index (no
     * bytes: followData reads them again), for the last stream followed only.
     */
    async follow(id: number, stream: number, onChunks?: (c: FollowMeta[]) => void): Promise<FollowInfo | undefined> {
      const c = session(id);
      if (!c || !c.loaded || !Number.isInteger(stream) || stream < 0 || stream >= c.session.analyzer.streamCount) return undefined;
      if (c.follow?.stream === stream) {
        const r = await c.follow.result;
        const all: FollowMeta[] = [];
        for (let i = 0; i < r.index.count; i++) all.push(r.index.meta(i));
        onChunks?.(all);
        return { stream, client: r.client, server: r.server, bytes: r.bytes, count: r.index.count };
      }
      // Following another stream (or another load) stops the previous one's reading.
      c.follow?.stop();
      let stopped = false;
      const result = followStream(c.session, stream, onChunks, () => stopped || cur !== c);
      c.follow = { stream, result, stop: () => (stopped = true) };
      const r = await result;
      return { stream, client: r.client, server: r.server, bytes: r.bytes, count: r.index.count };
    },

    /** The bytes of chunks from..to-1 of the stream last followed (at most 4096 chunks a call). */
    async followData(id: number, stream: number, from: number, to: number): Promise<Uint8Array[] | undefined> {
      const c = session(id);
      if (!c || c.follow?.stream !== stream) return undefined;
      const r = await c.follow.result;
      const data = await followChunks(c.session, r.index, from, Math.min(to, from + 4096));
      // Each chunk its own buffer, so they can be transferred.
      const own = data.map((d) => d.slice());
      return transfer(own, own.map((d) => d.buffer as ArrayBuffer));
    },

    /**
     * The next chunk from `from` on (wrapping) whose text in `mode` contains `query` (case
     * insensitive), among the chunks of direction `dir`; -1 if none. Reads the stream again in
     * batches, so a long stream is searched without holding it.
     */
    async followFind(id: number, stream: number, query: string, mode: FollowTextMode, dir: FollowDir, from: number): Promise<number> {
      const c = session(id);
      if (!c || c.follow?.stream !== stream || !query) return -1;
      const r = await c.follow.result;
      return findInFollow(c.session, r.index, query, mode, dir, from);
    },

    /** The chunks of direction `dir` as one Blob (Save as…), read again batch by batch. */
    async followSave(id: number, stream: number, dir: FollowDir): Promise<Blob | undefined> {
      const c = session(id);
      if (!c || c.follow?.stream !== stream) return undefined;
      const r = await c.follow.result;
      return followBlob(c.session, r.index, dir);
    },

    /**
     * Show only the frames matching `filter` ('' = all), ordered by `sort`. Returns at once:
     * the error of a filter that does not compile (the view stays as it was), or the new
     * view's generation; `onStatus` then reports matches as they are found.
     */
    setView(id: number, filter: string, sort: ViewSort | undefined, onStatus?: (s: ViewStatus) => void): SetViewResult {
      const c = session(id);
      if (!c) return { ok: false, noCapture: true, error: { message: 'No capture is open.', start: 0, end: 0 } };
      const r = c.view.set(filter, sort);
      if (!r.ok) return r;
      c.view.onStatus = onStatus;
      return { ...r, status: c.view.snapshot() };
    },

    /** Compile a filter without applying it (the filter bar's colour as one types). */
    checkFilter(text: string): CheckResult {
      const r = filterEngine.compile(text);
      return r.ok ? { ok: true, warnings: r.warnings } : r;
    },

    /** The display-filter fields (name, type, description) for the filter bar's completion. */
    fields(): FieldInfo[] {
      return fieldInfos();
    },

    /** Stop the running filter/sort; what it found so far stays displayed. */
    stopView(id: number): void {
      session(id)?.view.stop();
    },

    viewStatus(id: number): ViewStatus | undefined {
      return session(id)?.view.snapshot();
    },

    /** Rows at positions first..last of view `gen` (empty when the view has changed since). */
    async viewRows(id: number, gen: number, first: number, last: number, opts?: RowOpts): Promise<{ gen: number; rows: FrameRow[] }> {
      const c = session(id);
      if (!c) return { gen: -1, rows: [] };
      const v = c.view;
      if (v.gen !== gen) return { gen: v.gen, rows: [] };
      if (v.identity) return { gen, rows: await c.source.urgently(() => readRows(c.session, first, last, opts)) };
      const frames = v.framesAt(first, last);
      const rows = await c.source.urgently(() => readRowsOf(c.session, frames, opts, (n) => v.prevDisplayed(n)));
      return { gen: v.gen, rows: v.gen === gen ? rows : [] };
    },

    /** Position of frame n in the view (0 = hidden by the filter), and the view's size. */
    viewPosition(id: number, n: number): { gen: number; position: number; displayed: number } {
      const v = session(id)?.view;
      return v ? { gen: v.gen, position: v.positionOf(n), displayed: v.length } : { gen: -1, position: 0, displayed: 0 };
    },

    /** Frame at position p of the view (0 = none). */
    viewFrame(id: number, p: number): { gen: number; frame: number } {
      const v = session(id)?.view;
      return v ? { gen: v.gen, frame: v.frameAt(p) } : { gen: -1, frame: 0 };
    },

    /** The next (dir 1) or previous (−1) displayed frame after position `from` with analysis flags. */
    nextFlagged(id: number, from: number, dir: 1 | -1): { position: number; frame: number } | undefined {
      return session(id)?.view.nextFlagged(from, dir);
    },

    /**
     * Find packet: the first displayed frame after position `from` (before it when dir = −1)
     * that matches `q`, wrapping around once. A new find aborts the one running.
     */
    async find(id: number, q: FindQuery, from: number, dir: 1 | -1): Promise<FindResult> {
      const c = session(id);
      if (!c) return { ok: false, message: 'No capture is open.' };
      if (c.find) c.find.aborted = true;
      const signal = { aborted: false };
      c.find = signal;
      return findFrame(c.session, c.view, filterEngine, q, from, dir, signal);
    },

    /** The TCP stream and direction of frame `n` (undefined when it has none). */
    streamOf(id: number, n: number): { stream: number; dir: 0 | 1 } | undefined {
      const c = session(id);
      if (!c || n < 1 || n > c.session.frameCount) return undefined;
      const stream = c.session.frames.stream[n - 1];
      return stream < 0 ? undefined : { stream, dir: c.session.frames.tflags[n - 1] & TF_DIR_BA ? 1 : 0 };
    },

    /** Number of TCP streams of the loaded capture. */
    streamCount(id: number): number {
      return session(id)?.session.analyzer.conversations.length ?? 0;
    },

    /**
     * One TCP stream graph, draw-ready: its series and their zoom pyramids (engine/graphs/chart.ts),
     * transferred, not copied. The stream's data is kept for the next kind of the same stream and
     * direction (the arrays the chart shares with it are copied, not transferred).
     */
    async tcpChart(id: number, stream: number, dir: 0 | 1, kind: TcpChartKind, tput: ThroughputOptions = {}): Promise<TcpChart | undefined> {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      let g = c.tcpGraph;
      if (!g || g.stream !== stream || g.dir !== dir) {
        g = await tcpGraphData(c.session, stream, dir);
        if (!g) return undefined;
        c.tcpGraph = g;
      }
      const chart = tcpChart(g, kind, tput);
      return transfer(chart, chartBuffers(chart.series, new Set(graphBuffers(g))));
    },

    /** The I/O graph, draw-ready as tcpChart (transferred). Rejects with the reason for a bad filter or interval. */
    async ioChart(id: number, lines: IoLine[], intervalUs: number): Promise<IoChart | undefined> {
      const c = session(id);
      if (!c || !c.loaded) return undefined;
      const chart = ioChart(await ioGraphData(c.session, lines, intervalUs));
      return transfer(chart, chartBuffers(chart.series));
    },

    /**
     * Test hook: make this worker die from an uncaught exception, as a crash or an out-of-memory
     * abort would, so the UI's recovery (report, replace, keep the rows shown) can be tested.
     */
    crash(): void {
      setTimeout(() => {
        throw new Error('simulated worker crash');
      });
    },

    /** Compile the engine's hot paths while the page is idle (see warm-up.ts). */
    warmUp(): Promise<number> {
      return warmUp();
    },

    /** Engine memory: the FrameTable's retained bytes (the per-frame index). */
    memory(id: number): { frames: number; retainedBytes: number; viewBytes: number } {
      const c = session(id);
      return c ? { frames: c.session.frameCount, retainedBytes: c.session.frames.retainedBytes(), viewBytes: c.view.retainedBytes() } : { frames: 0, retainedBytes: 0, viewBytes: 0 };
    },
  };
}

export type EngineApi = ReturnType<typeof createEngineApi>;

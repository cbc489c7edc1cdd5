/**
 * ByteSource over a capture fetched from a URL (`?url=…`). The body is streamed into a list
 * of chunks as it arrives, so the engine parses while the download runs (progress like a
 * dropped file), and frames can be re-read at random afterwards (rows, details) without a
 * second request. The whole capture therefore stays in the worker's memory, as it must:
 * nothing guarantees the server answers range requests.
 *
 * `size` is unknown until the body ends: Content-Length may count compressed bytes when the
 * server applies Content-Encoding, which cross-origin code cannot see. It only feeds the
 * progress estimate (`expectedBytes`).
 *
 * Errors say what happened and what to do: network down, HTTP status, CORS refusal (fetch
 * reports that as a bare TypeError, indistinguishable from a dead network — the message
 * names both).
 */
import type { ByteSource } from '../engine/index';

export class UrlSourceError extends Error {
  override name = 'UrlSourceError';
}

export interface UrlOpenOptions {
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Called as bytes arrive: bytes so far, expected total when the server said. */
  onBytes?: (received: number, expected: number | undefined) => void;
}

/** Short form of a URL for messages: no query (it may hold tokens), at most ~100 characters. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    const s = `${u.origin}${u.pathname}`;
    return s.length > 100 ? `${s.slice(0, 60)}…${s.slice(-39)}` : s;
  } catch {
    return url.slice(0, 100);
  }
}

/** The name shown for a URL capture: the last path segment, else the host. */
export function nameFromUrl(url: string): string {
  try {
    const u = new URL(url);
    const last = decodeURIComponent(u.pathname.split('/').filter((s) => s !== '').pop() ?? '');
    return last || u.host;
  } catch {
    return url;
  }
}

export class UrlSource implements ByteSource {
  readonly name: string;
  /** Content-Length as sent (progress estimate only). */
  readonly expectedBytes: number | undefined;
  private readonly chunks: Uint8Array[] = [];
  /** Offset of each chunk's first byte. */
  private readonly starts: number[] = [];
  private received = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void)[] = [];

  private constructor(
    readonly url: string,
    private readonly controller: AbortController,
    expected: number | undefined,
  ) {
    this.name = nameFromUrl(url);
    this.expectedBytes = expected;
  }

  /**
   * Fetch `url` and start streaming its body. Resolves once the response headers are in (so
   * HTTP and CORS errors reject here, with a clear message); the body keeps arriving after.
   */
  static async open(url: string, opts: UrlOpenOptions = {}): Promise<UrlSource> {
    const doFetch = opts.fetch ?? fetch;
    const controller = new AbortController();
    const shown = displayUrl(url);
    let res: Response;
    try {
      res = await doFetch(url, { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-cache', signal: controller.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw new UrlSourceError(`Fetching ${shown} was cancelled.`);
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      throw new UrlSourceError(
        offline
          ? `Cannot fetch ${shown}: this browser is offline. Captures from a URL need the network; open a local file instead.`
          : `Cannot fetch ${shown}: the server could not be reached, or it does not allow cross-origin requests. ` +
              `To be opened by URL, a capture must be served with the header "Access-Control-Allow-Origin: *" (CORS). ` +
              `Otherwise download it and open the file here.`,
      );
    }
    if (!res.ok) {
      throw new UrlSourceError(`The server answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${shown}.`);
    }
    if (!res.body) throw new UrlSourceError(`The server sent no content for ${shown}.`);
    const len = res.headers.get('content-length');
    const expected = len !== null && /^[0-9]+$/.test(len) ? Number(len) : undefined;
    const src = new UrlSource(url, controller, expected);
    void src.pump(res.body.getReader(), opts.onBytes);
    return src;
  }

  /** Total bytes, known once the download has ended. */
  get size(): number | undefined {
    return this.ended && !this.failure ? this.received : undefined;
  }

  get bytesReceived(): number {
    return this.received;
  }

  /** Same shape as BlobSource.urgently: reads here come from memory, so nothing to reorder. */
  urgently<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** Stop the download (cancelled load or a new file). Reads waiting for bytes fail. */
  abort(): void {
    if (this.ended) return;
    this.controller.abort();
    this.fail(new UrlSourceError(`Fetching ${displayUrl(this.url)} was cancelled.`));
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>, onBytes: UrlOpenOptions['onBytes']): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (this.ended) return;
        if (done) break;
        if (value.length === 0) continue;
        this.starts.push(this.received);
        this.chunks.push(value);
        this.received += value.length;
        onBytes?.(this.received, this.expectedBytes);
        this.notify();
      }
      this.ended = true;
      this.notify();
    } catch (e) {
      if (this.ended) return;
      this.fail(new UrlSourceError(`The download of ${displayUrl(this.url)} broke off after ${this.received} bytes (${(e as Error).message}).`));
    }
  }

  private fail(e: Error): void {
    this.failure = e;
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const want = offset + length;
    while (!this.ended && this.received < want) await new Promise<void>((r) => this.wake.push(r));
    // Bytes already received stay readable after a failure; reading past them reports it.
    if (this.failure && this.received < want) throw this.failure;
    return this.copy(offset, Math.min(want, this.received));
  }

  /** Bytes [from, to) out of the chunk list. */
  private copy(from: number, to: number): Uint8Array {
    if (from >= to) return new Uint8Array(0);
    // Last chunk starting at or before `from`.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= from) lo = mid;
      else hi = mid - 1;
    }
    const first = this.chunks[lo];
    const at = from - this.starts[lo];
    // Always a copy: callers may transfer the buffer to another thread.
    if (at + (to - from) <= first.length) return first.slice(at, at + (to - from));
    const out = new Uint8Array(to - from);
    let w = 0;
    for (let i = lo; w < out.length; i++) {
      const c = this.chunks[i];
      const s = i === lo ? at : 0;
      const n = Math.min(c.length - s, out.length - w);
      out.set(c.subarray(s, s + n), w);
      w += n;
    }
    return out;
  }
}

/**
 * ByteSource over a browser File/Blob: each read is `blob.slice(o, o + n).arrayBuffer()`, so
 * the file is never held in memory whole — only the chunk being parsed and the bytes of the
 * rows on screen. Runs in the worker (File objects are structured-cloneable handles).
 */
import type { ByteSource } from '../engine/index';

/** Let queued messages run (a macrotask via MessageChannel: setTimeout(0) is clamped to 4 ms). */
const channel = typeof MessageChannel === 'undefined' ? undefined : new MessageChannel();
const waiting: (() => void)[] = [];
if (channel) {
  channel.port1.onmessage = () => waiting.shift()?.();
  // Node (unit tests): an open port must not keep the process alive.
  (channel.port1 as unknown as { unref?: () => void }).unref?.();
}
function yieldToEvents(): Promise<void> {
  if (!channel) return new Promise((r) => setTimeout(r, 0));
  return new Promise((r) => {
    waiting.push(r);
    channel.port2.postMessage(0);
  });
}

/** Size of the load's first read (see read()). */
const FIRST_READ = 32 * 1024;

/** Load chunks kept for rows read during the load: the first ones and the latest ones. */
const KEEP_FIRST = 4;
const KEEP_LAST = 8;

export class BlobSource implements ByteSource {
  readonly size: number;
  /** Calls the user is waiting for (rows, details) in progress: the load's next read waits for them. */
  private urgent = 0;
  private resume: (() => void)[] = [];
  /** Where the load's next sequential read starts, and its size (see `loading`). */
  private loadPos = 0;
  private loadChunk = 0;
  /** The load's sequential reader (Blob.stream(): one streamed read instead of many slices). */
  private stream: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Bytes the stream delivered beyond the last load read. */
  private spare: Uint8Array = new Uint8Array(0);
  /**
   * Chunks the load has read, kept for rows asked during the load: the first KEEP_FIRST (the
   * rows on screen when a file opens) and the latest KEEP_LAST. While the stream is reading,
   * a slice read queues behind it (first rows took ~0.7 s instead of ~0.1 s without this).
   */
  private kept: { offset: number; bytes: Uint8Array }[] = [];

  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {
    this.size = blob.size;
  }

  /**
   * Reads of `chunk` bytes at the load's running position are the load's own: they come from
   * the blob's stream, and they yield to urgent calls. Loading runs synchronously between reads (tens of ms per chunk), so without
   * this a rows request made during a load would wait for the next chunk to be parsed too.
   */
  loading(chunk: number): void {
    this.loadChunk = chunk;
    this.loadPos = 0;
    this.stream = undefined;
    this.spare = new Uint8Array(0);
    this.kept = [];
  }

  /** Run an urgent call (rows, detail): the load pauses at its next read until it is done. */
  async urgently<T>(fn: () => Promise<T>): Promise<T> {
    this.urgent++;
    try {
      return await fn();
    } finally {
      if (--this.urgent === 0) {
        const r = this.resume;
        this.resume = [];
        for (const f of r) f();
      }
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (length === this.loadChunk && offset === this.loadPos) {
      // Buffered stream reads resolve as microtasks: without a real yield the whole load would
      // run before any waiting rows/detail message is even received.
      await yieldToEvents();
      while (this.urgent > 0) await new Promise<void>((r) => this.resume.push(r));
      // The first reads are short and grow (FIRST_READ, then doubling up to the chunk): the first
      // rows are on screen after parsing that much, and the rows request that follows them waits
      // for a small chunk, not a whole one. CaptureSession.load() advances by the bytes it got and
      // stops only at 0 bytes or the source's size, so a short read mid-file is safe there
      // (unit-tested in blob-source.test.ts with a real session).
      const bytes = await this.readStreamed(offset < length ? Math.min(length, Math.max(FIRST_READ, offset)) : length);
      this.loadPos = offset + bytes.length;
      this.keep(offset, bytes);
      return bytes;
    }
    return this.readNow(offset, length);
  }

  /**
   * The load's next `length` bytes from the blob's stream. Measured in bench:browser on a
   * 62 MB capture: 120 slice().arrayBuffer() reads spent ~0.6 s waiting for bytes, the
   * stream a fraction of that (it reads ahead on its own while a chunk is parsed).
   */
  private async readStreamed(length: number): Promise<Uint8Array> {
    if (this.loadPos === 0 && !this.stream) this.stream = (this.blob.stream() as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    let have = 0;
    if (this.spare.length) {
      parts.push(this.spare);
      have = this.spare.length;
      this.spare = new Uint8Array(0);
    }
    while (have < length && this.stream) {
      const { value, done } = await this.stream.read();
      if (done || !value) {
        this.stream = undefined;
        break;
      }
      parts.push(value);
      have += value.length;
    }
    const out = new Uint8Array(Math.min(have, length));
    let pos = 0;
    for (const p of parts) {
      const take = Math.min(p.length, out.length - pos);
      out.set(p.subarray(0, take), pos);
      pos += take;
      if (take < p.length) this.spare = p.subarray(take);
    }
    return out;
  }

  private keep(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.kept.push({ offset, bytes });
    if (this.kept.length > KEEP_FIRST + KEEP_LAST) this.kept.splice(KEEP_FIRST, 1);
  }

  /** [offset, offset+length) from kept chunks (in file order, maybe with gaps), or undefined. */
  private fromKept(offset: number, length: number): Uint8Array | undefined {
    const end = Math.min(this.size, offset + length);
    const out = new Uint8Array(Math.max(0, end - offset));
    let pos = offset;
    for (const k of this.kept) {
      if (pos >= end) break;
      if (k.offset + k.bytes.length <= pos) continue;
      if (k.offset > pos) return undefined;
      const take = Math.min(k.offset + k.bytes.length, end) - pos;
      out.set(k.bytes.subarray(pos - k.offset, pos - k.offset + take), pos - offset);
      pos += take;
    }
    return pos >= end ? out : undefined;
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    const kept = this.fromKept(offset, length);
    if (kept) return kept;
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    return new Uint8Array(await this.blob.slice(offset, end).arrayBuffer());
  }
}

/**
 * ByteSource over a browser File/Blob: each read is `blob.slice(o, o + n).arrayBuffer()`, so
 * the file is never held in memory whole — only the chunk being parsed and the bytes of the
 * rows on screen. Runs in the worker (File objects are structured-cloneable handles).
 */
import type { ByteSource } from '../engine/index';

export class BlobSource implements ByteSource {
  readonly size: number;
  /** Calls the user is waiting for (rows, details) in progress: the load's next read waits for them. */
  private urgent = 0;
  private resume: (() => void)[] = [];
  /** Where the load's next sequential read starts, and its size (see `loading`). */
  private loadPos = 0;
  private loadChunk = 0;

  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {
    this.size = blob.size;
  }

  /**
   * Reads of `chunk` bytes at the load's running position are the load's own: they yield to
   * urgent calls. Loading runs synchronously between reads (tens of ms per chunk), so without
   * this a rows request made during a load would wait for the next chunk to be parsed too.
   */
  loading(chunk: number): void {
    this.loadChunk = chunk;
    this.loadPos = 0;
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
      while (this.urgent > 0) await new Promise<void>((r) => this.resume.push(r));
      const bytes = await this.readNow(offset, length);
      this.loadPos = offset + bytes.length;
      return bytes;
    }
    return this.readNow(offset, length);
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    return new Uint8Array(await this.blob.slice(offset, end).arrayBuffer());
  }
}

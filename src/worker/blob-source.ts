/**
 * ByteSource over a browser File/Blob: each read is `blob.slice(o, o + n).arrayBuffer()`, so
 * the file is never held in memory whole — only the chunk being parsed and the bytes of the
 * rows on screen. Runs in the worker (File objects are structured-cloneable handles).
 */
import type { ByteSource } from '../engine/index';

export class BlobSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {
    this.size = blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    return new Uint8Array(await this.blob.slice(offset, end).arrayBuffer());
  }
}

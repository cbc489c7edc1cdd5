/** ByteSource over a file on disk (Node host). */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../engine/index';

export class NodeFileSource implements ByteSource {
  private constructor(
    private readonly fh: FileHandle,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<NodeFileSource> {
    const fh = await open(path, 'r');
    const st = await fh.stat();
    if (st.isDirectory()) {
      await fh.close();
      throw new Error(`"${path}" is a directory, not a capture file`);
    }
    return new NodeFileSource(fh, basename(path), st.size);
  }

  /** The next chunk, already being read while the engine works on this one (sequential loads). */
  private ahead: { offset: number; length: number; bytes: Promise<Uint8Array> } | undefined;
  private lastEnd = -1;

  async read(offset: number, length: number): Promise<Uint8Array> {
    const a = this.ahead;
    this.ahead = undefined;
    const sequential = offset === this.lastEnd || offset === 0;
    const pending = a && a.offset === offset && a.length === length ? a.bytes : this.readAt(offset, length);
    const buf = await pending;
    this.lastEnd = offset + buf.length;
    if (sequential && buf.length === length && this.lastEnd < this.size) {
      const bytes = this.readAt(this.lastEnd, length);
      bytes.catch(() => {}); // a failure surfaces when (if) that chunk is asked for
      this.ahead = { offset: this.lastEnd, length, bytes };
    }
    return buf;
  }

  /**
   * Chunk buffers handed back by `release` (at most two: the one being parsed and the one being
   * read ahead). A multi-gigabyte load then reads into the same memory throughout, instead of
   * a fresh 4 MiB buffer per chunk: no zeroing, no fresh pages, no garbage collections driven
   * by the external memory of chunks already parsed.
   */
  private readonly spare: ArrayBuffer[] = [];

  release(bytes: Uint8Array): void {
    const b = bytes.buffer;
    if (bytes.byteOffset === 0 && b.byteLength >= 65536 && this.spare.length < 2 && !this.spare.includes(b as ArrayBuffer)) this.spare.push(b as ArrayBuffer);
  }

  private async readAt(offset: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - offset));
    const k = this.spare.findIndex((b) => b.byteLength >= len);
    const buf = k >= 0 ? new Uint8Array(this.spare.splice(k, 1)[0], 0, len) : new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(buf, got, len - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === len ? buf : buf.subarray(0, got);
  }

  async close(): Promise<void> {
    await this.ahead?.bytes.catch(() => undefined);
    this.ahead = undefined;
    return this.fh.close();
  }
}

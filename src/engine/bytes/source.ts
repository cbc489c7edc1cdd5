/**
 * ByteSource: where capture bytes come from. The parser never learns which kind it has.
 * A browser `File`/`Blob`, a Node file handle and an in-memory buffer all implement it
 * (browser and Node implementations live in their hosts: worker/ and cli/).
 *
 * Reads are offset + length and may return fewer bytes only at the end of the source.
 */
export interface ByteSource {
  /** Display name (file name or URL). */
  readonly name: string;
  /** Total size in bytes, when known up front. */
  readonly size: number | undefined;
  /** Read up to `length` bytes starting at `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: the caller is done with `bytes` (a result of `read`) and keeps no reference into
   * them, so the source may read later chunks into the same memory. A sequential load calls it
   * after each chunk; a source without it allocates anew for every read.
   */
  release?(bytes: Uint8Array): void;
}

/** A source over bytes already in memory (tests, small samples). */
export class MemorySource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly bytes: Uint8Array,
    readonly name = 'memory',
  ) {
    this.size = bytes.length;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return Promise.resolve(this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length)));
  }
}

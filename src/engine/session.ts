/**
 * CaptureSession: the engine's one public object. Hosts (the Web Worker, the CLI, tests)
 * create one per file, call `load()`, then ask for rows, details and field values.
 *
 *   ByteSource ─chunks─▶ CaptureReader ─frames─▶ (this) decode ─▶ TcpAnalyzer ─▶ FrameTable
 *                                                                    │
 *   rows()/detail()/fields() ◀─ re-read frame bytes ◀─ FrameTable ◀──┘ (+ finalize())
 */
import type { ByteSource } from './bytes/source';
import { CaptureReader, type ReaderOutcome } from './capture/reader';
import { inflateSource } from './capture/gzip';
import type { FrameSink, InterfaceInfo } from './capture/types';
import { Decoder, LINKTYPE } from './decode/decoder';
import { Packet } from './decode/packet';
import { TcpAnalyzer } from './tcp/analyzer';
import { FrameTable, TF_QUOTED, TF_TCP, X_FAST, X_ONE_IP, X_PAST_IP, X_TCP_UNTRACKED } from './tcp/frames';
import { EV_ADDR, NetRecord } from './stats/net-record';
import { addressBytes, addressRef, type AddressRef } from './fields/address-ref';
import { ethernetPastIp } from './decode/past-ip';
import type { Diagnosis, LoadError, LoadProgress, LoadResult } from './model/types';
import { diagnose } from './diagnose/diagnose';

export interface LoadOptions {
  /** Bytes per read from the source (default 4 MiB). */
  chunkSize?: number;
  /** Called after each chunk (throttled by the host as it likes). */
  onProgress?: (p: LoadProgress) => void;
  /** Polled between chunks; return true to stop reading. */
  isCancelled?: () => boolean;
  /** Stop after this many frames (tshark -c). */
  maxFrames?: number;
  /**
   * Memory guard: stop after this many frames and say so (the frames read stay). A browser
   * tab sets it so that a huge capture (42–48 bytes a frame) cannot take the tab down.
   */
  frameLimit?: number;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

export class CaptureSession implements FrameSink {
  readonly frames = new FrameTable();
  readonly analyzer: TcpAnalyzer;
  readonly decoder = new Decoder();
  /** The load's side record of the network layers (stats/net-record.ts): conversations, Source/Destination. */
  readonly net: NetRecord;
  private pkt = new Packet();
  interfaces: InterfaceInfo[] = [];
  private linkTypeOf: number[] = [];
  result: LoadResult | undefined;
  private compressed = false;
  /** Set during load: the reader's interface table (pcapng) to map iface index → link type. */
  private loaded = false;
  private maxFrames = Infinity;

  constructor(readonly source: ByteSource) {
    this.analyzer = new TcpAnalyzer(this.frames);
    this.net = new NetRecord(this.analyzer.conversations);
  }

  get frameCount(): number {
    return this.frames.count;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Read the whole source, analysing as it goes. Never throws for bad input: see `LoadResult.error`. */
  async load(opts: LoadOptions = {}): Promise<LoadResult> {
    const chunk = opts.chunkSize ?? DEFAULT_CHUNK;
    const limit = opts.frameLimit ?? Infinity;
    this.maxFrames = Math.min(opts.maxFrames ?? Infinity, limit);
    const reader = new CaptureReader(this);
    let pos = 0;
    let cancelled = false;
    let readError: LoadError | undefined;
    const total = this.source.size;
    try {
      for (;;) {
        if (opts.isCancelled?.()) {
          cancelled = true;
          break;
        }
        const bytes = await this.source.read(pos, chunk);
        if (bytes.length === 0) break;
        pos += bytes.length;
        if (bytes[0] === 0x1f && pos === bytes.length && bytes.length > 1 && bytes[1] === 0x8b) this.compressed = true;
        // Room for the first chunk's frames at ~100 bytes a frame, instead of growing from 1024.
        if (pos === bytes.length && !this.compressed) this.frames.reserve(Math.min(this.maxFrames, Math.ceil(bytes.length / 100)));
        reader.push(bytes);
        // The reader copies what it keeps of a chunk (a record cut at its end), and a frame's
        // decoded fields point into it only until the next frame. Not so the inflater, which
        // may hold on to unconsumed input: compressed chunks are not handed back.
        if (!this.compressed) this.source.release?.(bytes);
        if (pos === bytes.length && total !== undefined && total > pos && this.frames.count > 0 && !this.compressed) {
          // Estimate the frame count from the first chunk so the columns are sized once.
          this.frames.reserve(Math.min(this.maxFrames, Math.ceil((this.frames.count / pos) * total * 1.01) + 64));
        }
        opts.onProgress?.({ frames: this.frames.count, bytesRead: pos, totalBytes: total, done: false });
        if (reader.done || this.frames.count >= this.maxFrames) break;
        if (total !== undefined && pos >= total) break;
      }
    } catch (e) {
      readError = { message: `Reading the file failed: ${(e as Error).message}`, frame: this.frames.count + 1, offset: pos };
    }
    let out = reader.end();
    if (out.gzipDamageAt !== undefined && !readError && !cancelled && this.frames.count < this.maxFrames) {
      this.gzDamageAt = out.gzipDamageAt;
      out = await this.recoverGzip(reader, out, opts.isCancelled);
    }
    let limitError: LoadError | undefined;
    if (this.frames.count >= this.maxFrames) {
      out.error = undefined;
      const more = total === undefined || pos < total || this.frames.count < out.frames;
      if (this.frames.count >= limit && more) {
        const last = this.frames.count;
        limitError = {
          message: `This capture has more than ${limit.toLocaleString('en-US')} frames: seqscope stopped after frame ${last.toLocaleString('en-US')} to stay within memory (about ${FrameTable.BYTES_PER_FRAME} bytes a frame). The frames read are analysed; the command line (npx seqscope) reads the whole file.`,
          frame: last + 1,
          offset: last > 0 ? this.frames.offsetOf(last - 1) + this.frames.capLen[last - 1] : 0,
        };
      }
    }
    this.interfaces = out.interfaces;
    this.finish();
    const error = readError ?? limitError ?? (cancelled ? undefined : out.error);
    this.result = {
      frames: this.frames.count,
      format: out.format,
      error,
      cancelled,
      comments: out.sectionComments,
      linkTypes: [...new Set(out.interfaces.map((i) => i.linkType))],
      streams: this.analyzer.streamCount,
    };
    opts.onProgress?.({ frames: this.frames.count, bytesRead: pos, totalBytes: total, done: true });
    return this.result;
  }

  /**
   * Damaged gzip data: inflate the damaged slice again a byte at a time and parse what it held
   * before the damage (zlib delivers that much too); the damage is then reported where it ends.
   */
  private async recoverGzip(reader: CaptureReader, out: ReaderOutcome, isCancelled?: () => boolean): Promise<ReaderOutcome> {
    const have = out.logicalBytes;
    let logical = 0;
    await inflateSource(
      this.source,
      (d) => {
        // Bytes past what the reader already had go on to it (it parses them as they come).
        const from = Math.max(0, have - logical);
        logical += d.length;
        if (from < d.length) reader.resume(from > 0 ? d.subarray(from) : d);
        return !isCancelled?.();
      },
      out.gzipDamageAt,
    );
    return reader.end();
  }

  /**
   * Read every frame of the source again, in file order, into `sink` (the CLI's printing pass),
   * exactly as load() read them (damaged gzip data included). Stops early when `done()` says so.
   */
  async reread(sink: FrameSink, done: () => boolean): Promise<void> {
    const reader = new CaptureReader(sink);
    let pos = 0;
    while (!done() && !reader.done) {
      const bytes = await this.source.read(pos, DEFAULT_CHUNK);
      if (bytes.length === 0) break;
      pos += bytes.length;
      reader.push(bytes);
      if (!this.compressed) this.source.release?.(bytes);
    }
    const out = reader.end();
    if (out.gzipDamageAt !== undefined && !done()) await this.recoverGzip(reader, out);
  }

  private finish(): void {
    this.analyzer.finalize();
    this.frames.trim();
    this.net.trim();
    // The last decoded frame points into the reader's chunk buffer: let it go.
    this.pkt = new Packet();
    this.decoder.forget();
    this.loaded = true;
  }

  // ---- FrameSink (called by the reader for each frame) ----
  onFrame(
    buf: Uint8Array,
    off: number,
    capLen: number,
    origLen: number,
    tsSec: number,
    tsNsec: number,
    linkType: number,
    dataOffset: number,
    iface: number,
  ): void {
    const t = this.frames;
    if (t.count >= this.maxFrames) return;
    const frame = t.add(dataOffset, capLen, origLen, tsSec, tsNsec, iface);
    if (this.linkTypeOf[iface] !== linkType) this.linkTypeOf[iface] = linkType;
    const p = this.pkt;
    const dec = this.decoder;
    const i = frame - 1;
    if (dec.decodeTcpFast(p, buf, off, capLen, origLen, linkType)) {
      // Always a tracked TCP frame. The analyzer reads times from the table (a record without a
      // timestamp is time 0, as wiretap): FrameTable.lastNs for this frame, nsBetween for earlier ones.
      // X_ONE_IP: ip.addr from the conversation (display filters); X_FAST: the taps of the
      // statistics from the conversation (stats/net-record.ts); X_PAST_IP: an Ethernet trailer
      // or padding (the expert items of other layers, fields/expert-net.ts).
      const F = this.analyzer.process(frame, p, dec.fastPastIp ? X_ONE_IP | X_FAST | X_PAST_IP : X_ONE_IP | X_FAST);
      t.win[i] = p.window;
      this.net.fastFrame(frame, buf, dec.view(buf), off, F);
      return;
    }
    // The full decoder: its headers go to the side record as they are walked through.
    const before = dec.trace;
    this.net.frame = frame;
    dec.trace = this.net;
    dec.decode(p, buf, off, capLen, origLen, linkType, frame);
    dec.trace = before;
    if (p.hasTcp && p.tcpFull) {
      this.analyzer.process(frame, p);
      t.win[i] = p.window;
      if (p.ip4Count + p.ip6Count === 1) t.xflags[i] |= X_ONE_IP;
      if (linkType === LINKTYPE.ETHERNET && ethernetPastIp(buf, off, capLen)) t.xflags[i] |= X_PAST_IP;
    } else if (p.hasTcp) t.xflags[i] |= X_TCP_UNTRACKED;
    // Outside TCP conversations: the Source/Destination columns' bytes, for the sort (worker/sort.ts).
    const tf = t.tflags[i];
    if (!(tf & TF_TCP) || tf & TF_QUOTED || t.stream[i] < 0) {
      const r = addressRef(p, buf, off + capLen, this.addr);
      this.net.address(frame, EV_ADDR | r.kind, r.b, r.o, addressBytes(r.kind));
    }
  }

  private readonly addr: AddressRef = { kind: 0, b: new Uint8Array(0), o: 0 };

  onFrameComment(text: string): void {
    const n = this.frames.count;
    const list = this.frames.comments.get(n);
    if (list) list.push(text);
    else this.frames.comments.set(n, [text]);
  }

  private diagnosed: Diagnosis[] | undefined;

  /** What went wrong with each connection (engine/diagnose), computed once after the load. */
  diagnoses(): Diagnosis[] {
    if (!this.loaded) return [];
    return (this.diagnosed ??= diagnose(this.frames, this.analyzer.conversations));
  }

  linkType(frame: number): number {
    return this.linkTypeOf[this.frames.ifaceOf(frame - 1)] ?? -1;
  }

  /**
   * Bytes [offset, offset+length) of the (decompressed) capture stream, where frames are found at
   * `frames.offsetOf(i)`: one ranged read of a plain file; a gzip file is inflated again up to it.
   */
  readRange(offset: number, length: number): Promise<Uint8Array> {
    return this.compressed ? this.inflateRange(offset, length) : this.source.read(offset, length);
  }

  /**
   * Bytes of frames first..last (1-based, inclusive) as one buffer, plus each frame's offset in it.
   * Plain files are read with one ranged read; gzip files are inflated again up to the range.
   */
  async readFrames(first: number, last: number): Promise<{ bytes: Uint8Array; offsets: number[] }> {
    const t = this.frames;
    let lo = Infinity;
    let hi = 0;
    for (let n = first; n <= last; n++) {
      lo = Math.min(lo, t.offsetOf(n - 1));
      hi = Math.max(hi, t.offsetOf(n - 1) + t.capLen[n - 1]);
    }
    if (!(hi >= lo)) return { bytes: new Uint8Array(0), offsets: [] };
    const bytes = await this.readRange(lo, hi - lo);
    const offsets: number[] = [];
    for (let n = first; n <= last; n++) offsets.push(t.offsetOf(n - 1) - lo);
    return { bytes, offsets };
  }

  private gzCache: { start: number; bytes: Uint8Array } | undefined;
  /** Compressed offset of the slice holding gzip damage (found by load()). */
  private gzDamageAt = Infinity;

  /** Inflate the gzip source from its start and keep bytes [offset, offset+length). */
  private async inflateRange(offset: number, length: number): Promise<Uint8Array> {
    const c = this.gzCache;
    if (c && offset >= c.start && offset + length <= c.start + c.bytes.length)
      return c.bytes.subarray(offset - c.start, offset - c.start + length);
    // Keep a window of at least 4 MiB around the request so neighbouring rows are cheap.
    const winStart = Math.max(0, offset - 2 * 1024 * 1024);
    const winEnd = offset + Math.max(length, 2 * 1024 * 1024);
    const out = new Uint8Array(winEnd - winStart);
    let logical = 0;
    let filled = 0;
    // Same slices as the reader, and byte by byte through a damaged slice, as load() read it.
    await inflateSource(
      this.source,
      (d) => {
        const s = Math.max(logical, winStart);
        const e = Math.min(logical + d.length, winEnd);
        if (e > s) {
          out.set(d.subarray(s - logical, e - logical), s - winStart);
          filled = Math.max(filled, e - winStart);
        }
        logical += d.length;
        return logical < winEnd;
      },
      this.gzDamageAt,
    );
    const bytes = out.subarray(0, filled);
    this.gzCache = { start: winStart, bytes };
    return bytes.subarray(offset - winStart, offset - winStart + length);
  }
}

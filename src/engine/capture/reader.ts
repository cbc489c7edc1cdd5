/**
 * CaptureReader: turns a stream of raw file chunks into frames for a FrameSink.
 *
 *   raw chunks ──(gzip? fflate Gunzip)──▶ logical bytes ──▶ window buffer ──▶ RecordParser ──▶ sink
 *
 * The format comes from the first bytes (detect.ts). Only a partial record is ever carried
 * from one chunk to the next, so memory stays bounded whatever the file size. Damage stops
 * the reader; every frame before it has already been delivered.
 */
import { Gunzip } from 'fflate';
import { sniff, notCaptureMessage } from './detect';
import { PcapParser } from './pcap';
import { PcapngParser } from './pcapng';
import type { CaptureDamage, FrameSink, InterfaceInfo, RecordParser } from './types';

export interface ReaderOutcome {
  /** e.g. "pcap", "pcapng", "gzip pcapng"; undefined when the bytes are not a capture. */
  format: string | undefined;
  byteOrder: string | undefined;
  compressed: boolean;
  frames: number;
  interfaces: InterfaceInfo[];
  sectionComments: string[];
  /** Damage or "not a capture": what went wrong and where. */
  error: CaptureDamage | undefined;
  /** Bytes of the logical (decompressed) stream consumed. */
  logicalBytes: number;
  /**
   * Compressed offset of the GZIP_SLICE-byte slice whose inflation failed (damaged data, not a
   * cut file): its output before the damage can be recovered with `inflateSource` and `resume`.
   */
  gzipDamageAt?: number;
}

import { GZIP_SLICE } from './gzip';


export class CaptureReader {
  private parser: RecordParser | undefined;
  private gunzip: Gunzip | undefined;
  private decided = false;
  /** First byte of the file, held until the second arrives (gzip is told by two bytes). */
  private held: Uint8Array | undefined;
  private compressed = false;
  private win = new Uint8Array(0);
  private winLen = 0;
  /** Logical offset of win[0]. */
  private base = 0;
  private stopped = false;
  private error: CaptureDamage | undefined;
  /** Largest window ever allocated (bytes): stays bounded by the largest legal record plus a chunk. */
  peakBuffered = 0;
  /** Last 8 compressed bytes seen (the gzip trailer of an intact file: CRC32, ISIZE). */
  private gzTail = new Uint8Array(8);
  private gzTailLen = 0;
  /** Uncompressed bytes before the current gzip member. */
  private memberStart = 0;
  /** Compressed bytes handed to the inflater so far, and where a slice failed. */
  private zpos = 0;
  /** The start of the next slice, held until GZIP_SLICE bytes are there. */
  private zcarry = new Uint8Array(GZIP_SLICE);
  private zcarryLen = 0;
  private gzipDamageAt: number | undefined;
  /** Stopped by a gzip failure (not by damage in the uncompressed data). */
  private gzipStopped = false;
  private gzipWhy = '';

  constructor(private readonly sink: FrameSink) {}

  /** True once damage or an unknown format stopped the reader: further input is ignored. */
  get done(): boolean {
    return this.stopped;
  }

  get framesRead(): number {
    return this.parser ? this.parser.frames : 0;
  }

  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    if (!this.decided) {
      if (this.held) {
        const both = new Uint8Array(1 + chunk.length);
        both[0] = this.held[0];
        both.set(chunk, 1);
        chunk = both;
        this.held = undefined;
      } else if (chunk.length < 2) {
        this.held = chunk.slice();
        return;
      }
      this.decide(chunk);
    }
    if (this.gunzip) this.inflate(chunk, false);
    else this.pushLogical(chunk);
  }

  private decide(first: Uint8Array): void {
    if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b) {
      this.compressed = true;
      this.gunzip = new Gunzip((data) => this.pushLogical(data));
      this.gunzip.onmember = () => {
        this.memberStart = this.base + this.winLen;
      };
    }
    this.decided = true;
  }

  /**
   * Inflate in slices at fixed offsets of the compressed stream (multiples of GZIP_SLICE),
   * whatever the chunks: how far the inflater gets in damaged data can depend on how it is fed,
   * so the same slices give the same result for any chunk size (and for `inflateSource`).
   */
  private inflate(chunk: Uint8Array, final: boolean): void {
    const g = this.gunzip!;
    this.keepTail(chunk);
    let sliceStart = this.zpos - this.zcarryLen;
    let finalPush = false;
    try {
      let i = 0;
      if (this.zcarryLen > 0) {
        const take = Math.min(GZIP_SLICE - this.zcarryLen, chunk.length);
        this.zcarry.set(chunk.subarray(0, take), this.zcarryLen);
        this.zcarryLen += take;
        i = take;
        if (this.zcarryLen === GZIP_SLICE) {
          this.zcarryLen = 0;
          g.push(this.zcarry, false);
          sliceStart += GZIP_SLICE;
        }
      }
      for (; chunk.length - i >= GZIP_SLICE && !this.stopped; i += GZIP_SLICE) {
        g.push(chunk.subarray(i, i + GZIP_SLICE), false);
        sliceStart += GZIP_SLICE;
      }
      if (i < chunk.length && !this.stopped) {
        this.zcarry.set(chunk.subarray(i), this.zcarryLen);
        this.zcarryLen += chunk.length - i;
      }
      if (final && !this.stopped) {
        if (this.zcarryLen > 0) {
          const n = this.zcarryLen;
          this.zcarryLen = 0;
          g.push(this.zcarry.subarray(0, n), false);
        }
        finalPush = true;
        g.push(new Uint8Array(0), true);
      }
    } catch (e) {
      // Damage in a slice can be recovered up to the damage; a stream that just ends cannot.
      if (!finalPush) this.gzipDamageAt = sliceStart;
      this.gzipFailed(e, final);
    }
    this.zpos += chunk.length;
  }

  private keepTail(chunk: Uint8Array): void {
    if (chunk.length >= 8) {
      this.gzTail.set(chunk.subarray(chunk.length - 8));
      this.gzTailLen = 8;
    } else if (chunk.length > 0) {
      const keep = Math.min(this.gzTailLen, 8 - chunk.length);
      this.gzTail.copyWithin(0, this.gzTailLen - keep, this.gzTailLen);
      this.gzTail.set(chunk, keep);
      this.gzTailLen = keep + chunk.length;
    }
  }

  /**
   * fflate does not always notice deflate data that stops early, so check the gzip trailer:
   * its ISIZE must equal the uncompressed size of the last member (mod 2^32).
   */
  private gzipComplete(): boolean {
    if (this.gzTailLen < 8) return false;
    const t = this.gzTail;
    const isize = (t[4] | (t[5] << 8) | (t[6] << 16) | (t[7] << 24)) >>> 0;
    return isize === (this.base + this.winLen - this.memberStart) % 4294967296;
  }

  /**
   * More uncompressed data after a gzip failure: output of the damaged slice from before the
   * damage (`inflateSource`), in as many calls as it comes in. It is parsed, then the failure
   * is reported again where the data now ends; damage found in it ends the resumption.
   */
  resume(data: Uint8Array): void {
    if (!this.gzipStopped || data.length === 0) return;
    this.gzipStopped = false;
    this.stopped = false;
    this.error = undefined;
    this.pushLogical(data);
    if (this.stopped) return; // the recovered data holds damage of its own: that is the error now
    this.gzipFailed(new Error(this.gzipWhy), false);
  }

  private gzipFailed(e: unknown, atEnd: boolean): void {
    const why = e instanceof Error ? e.message : String(e);
    this.gzipWhy = why;
    const frame = (this.parser?.frames ?? 0) + 1;
    const offset = this.base;
    const where = `frame ${frame} (byte offset ${offset} of the uncompressed data)`;
    const message =
      atEnd && /unexpected EOF/i.test(why)
        ? `The file appears to have been cut short in the middle of a packet: its gzip-compressed data ends early, at ${where}.`
        : `The file appears to be damaged or corrupt: its gzip-compressed data is broken at ${where} (${why}).`;
    this.error = { message, frame, offset };
    this.stopped = true;
    this.gzipStopped = true;
  }

  end(): ReaderOutcome {
    if (!this.decided && this.held && !this.stopped) {
      this.decide(this.held);
      this.pushLogical(this.held);
      this.held = undefined;
    }
    if (this.gunzip && !this.stopped) {
      this.inflate(new Uint8Array(0), true);
      if (!this.stopped && this.parser && !this.gzipComplete()) {
        this.parser.finish(this.winLen, this.base, this.win.subarray(0, this.winLen));
        const d = this.parser.damage;
        this.gzipFailed(new Error('unexpected EOF'), true);
        if (d) this.error = { ...d, message: `${this.located(d).message.replace(/\.$/, '')}: its gzip-compressed data ends early.` };
      }
    }
    if (!this.stopped) {
      if (!this.parser) this.choose(true);
      if (this.parser && !this.parser.damage) {
        this.parser.finish(this.winLen, this.base, this.win.subarray(0, this.winLen));
        if (this.parser.damage) this.error = this.located(this.parser.damage);
      }
    }
    const p = this.parser;
    return {
      format: p ? (this.compressed ? `gzip ${p.format}` : p.format) : undefined,
      byteOrder: p?.byteOrder,
      compressed: this.compressed,
      frames: p ? p.frames : 0,
      interfaces: p ? (p instanceof PcapngParser ? p.allIfaces : p.interfaces) : [],
      sectionComments: p ? p.sectionComments : [],
      error: this.error,
      logicalBytes: this.base + this.winLen,
      gzipDamageAt: this.gzipDamageAt,
    };
  }

  /** In a gzip file, offsets count bytes of the uncompressed data: say so. */
  private located(d: CaptureDamage): CaptureDamage {
    if (!this.compressed) return d;
    return { ...d, message: d.message.replace(/byte offset (\d+)/, 'byte offset $1 of the uncompressed data') };
  }

  /** Decide the format from `head` (the bytes held so far, by default), or wait for more. */
  private choose(atEnd: boolean, head: Uint8Array = this.win.subarray(0, this.winLen)): void {
    if (head.length < 24 && !atEnd) return;
    if (atEnd && this.compressed && head.length === 0) {
      this.error = {
        message: 'The file appears to have been cut short: it is gzip-compressed, but ends before any of its data (frame 1, byte offset 0 of the uncompressed data).',
        frame: 1,
        offset: 0,
      };
      this.stopped = true;
      return;
    }
    const s = sniff(head);
    if (s.kind === 'pcap') {
      if (head.length < 24) {
        this.error = {
          message: `The file appears to have been cut short in the middle of its pcap file header (byte offset 0, before frame 1): only ${head.length} of its 24 bytes are present.`,
          frame: 1,
          offset: 0,
        };
        this.stopped = true;
        return;
      }
      this.parser = new PcapParser(head);
    } else if (s.kind === 'pcapng') this.parser = new PcapngParser();
    else if (s.kind === 'gzip') {
      this.error = { message: 'The file is gzip-compressed twice; decompress it once and open the result.', frame: 1, offset: 0 };
      this.stopped = true;
    } else if (s.kind === 'unknown') {
      this.error = {
        message: notCaptureMessage(s.looksLike, this.compressed),
        frame: 1,
        offset: 0,
        ...(head.length < 8 ? { tooShort: true } : {}),
      };
      this.stopped = true;
    }
  }

  private grow(need: number): void {
    const n = new Uint8Array(Math.max(need, this.win.length * 2, 64));
    n.set(this.win.subarray(0, this.winLen));
    this.win = n;
    if (n.length > this.peakBuffered) this.peakBuffered = n.length;
  }

  private pushLogical(data: Uint8Array): void {
    if (this.stopped || data.length === 0) return;
    const p = this.parser;
    if (p && this.winLen > 0) {
      // A partial record waits in the window. Complete it with just enough of `data`, then
      // parse the rest of `data` in place instead of copying the whole chunk behind it.
      const old = this.winLen;
      let take = Math.min(data.length, Math.max(65536, old));
      for (;;) {
        if (this.win.length < old + take) this.grow(old + take);
        this.win.set(data.subarray(0, take), old);
        const pos = p.parse(this.win, 0, old + take, this.base, this.sink);
        if (p.damage) {
          this.error = this.located(p.damage);
          this.stopped = true;
          this.winLen = 0;
          return;
        }
        if (pos > old) {
          // Into `data` now: continue there (the window's copy of those bytes is dropped).
          this.base += old;
          this.winLen = 0;
          this.parseIn(data, pos - old);
          return;
        }
        if (pos > 0) {
          // Whole records sat in the window (only right after the format was chosen).
          this.win.copyWithin(0, pos, old + take);
          this.base += pos;
          this.winLen = old + take - pos;
          if (take < data.length) this.pushLogical(data.subarray(take));
          return;
        }
        if (take === data.length) {
          this.winLen = old + take;
          return;
        }
        take = Math.min(data.length, take * 2);
      }
    }
    if (!p) {
      if (this.winLen === 0) {
        // Usually the first chunk alone decides the format: parse it in place (no copy of it).
        this.choose(false, data);
        if (this.parser) return this.parseIn(data, 0);
        if (this.stopped) return;
      }
      // Keep bytes until the format can be decided.
      if (this.win.length < this.winLen + data.length) this.grow(this.winLen + data.length);
      this.win.set(data, this.winLen);
      this.winLen += data.length;
      this.choose(false);
      if (!this.parser) return;
      const all = this.win.subarray(0, this.winLen);
      this.winLen = 0;
      this.parseIn(all.slice(), 0);
      return;
    }
    this.parseIn(data, 0);
  }

  /** Parse `data[from…]` in place (`this.base` is the logical offset of data[0]); keep a partial tail in the window. */
  private parseIn(data: Uint8Array, from: number): void {
    const p = this.parser!;
    const len = data.length;
    const pos = p.parse(data, from, len, this.base, this.sink);
    if (p.damage) {
      this.error = this.located(p.damage);
      this.stopped = true;
    }
    const rest = len - pos;
    this.base += pos;
    if (rest > 0 && !this.stopped) {
      if (this.win.length < rest) {
        this.winLen = 0;
        this.grow(Math.max(rest, 65536));
      }
      this.win.set(data.subarray(pos, len));
    }
    this.winLen = this.stopped ? 0 : rest;
  }

}

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
import { sniff, READABLE_FORMATS } from './detect';
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
}

export class CaptureReader {
  private parser: RecordParser | undefined;
  private gunzip: Gunzip | undefined;
  private decided = false;
  private compressed = false;
  private win = new Uint8Array(0);
  private winLen = 0;
  /** Logical offset of win[0]. */
  private base = 0;
  private stopped = false;
  private error: CaptureDamage | undefined;

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
      if (chunk[0] === 0x1f && (chunk.length < 2 || chunk[1] === 0x8b)) {
        this.compressed = true;
        this.gunzip = new Gunzip((data) => this.pushLogical(data));
      }
      this.decided = true;
    }
    if (this.gunzip) {
      try {
        this.gunzip.push(chunk, false);
      } catch (e) {
        this.stopWith(`The gzip stream is damaged: ${(e as Error).message}`);
      }
    } else this.pushLogical(chunk);
  }

  end(): ReaderOutcome {
    if (this.gunzip && !this.stopped) {
      try {
        this.gunzip.push(new Uint8Array(0), true);
      } catch (e) {
        this.stopWith(`The gzip stream ended early or is damaged: ${(e as Error).message}`);
      }
    }
    if (!this.stopped) {
      if (!this.parser) this.choose(true);
      if (this.parser && !this.parser.damage) {
        this.parser.finish(this.winLen, this.base);
        if (this.parser.damage) this.error = this.parser.damage;
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
    };
  }

  private stopWith(message: string): void {
    this.error = { message, frame: (this.parser?.frames ?? 0) + 1, offset: this.base + this.winLen };
    this.stopped = true;
  }

  private choose(atEnd: boolean): void {
    const head = this.win.subarray(0, this.winLen);
    if (head.length < 24 && !atEnd) return;
    const s = sniff(head);
    if (s.kind === 'pcap') {
      if (head.length < 24) {
        this.error = { message: 'The file is too short to hold a pcap file header.', frame: 1, offset: 0 };
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
        message: `This is not a capture file: it looks like ${s.looksLike}. seqscope reads ${READABLE_FORMATS}.`,
        frame: 1,
        offset: 0,
      };
      this.stopped = true;
    }
  }

  private pushLogical(data: Uint8Array): void {
    if (this.stopped) return;
    // Append to the window (only a partial record is ever left in it).
    let buf: Uint8Array;
    let len: number;
    if (this.winLen === 0) {
      buf = data;
      len = data.length;
    } else {
      if (this.win.length < this.winLen + data.length) {
        const n = new Uint8Array(Math.max(this.winLen + data.length, this.win.length * 2));
        n.set(this.win.subarray(0, this.winLen));
        this.win = n;
      }
      this.win.set(data, this.winLen);
      buf = this.win;
      len = this.winLen + data.length;
    }
    if (!this.parser) {
      // Keep bytes until the format can be decided.
      if (buf !== this.win) {
        this.win = new Uint8Array(Math.max(64, len));
        this.win.set(buf.subarray(0, len));
      }
      this.winLen = len;
      this.choose(false);
      if (!this.parser) return;
      buf = this.win;
    }
    const p = this.parser;
    const pos = p.parse(buf, 0, len, this.base, this.sink);
    if (p.damage) {
      this.error = p.damage;
      this.stopped = true;
    }
    const rest = len - pos;
    this.base += pos;
    if (rest > 0) {
      if (buf === this.win) this.win.copyWithin(0, pos, len);
      else {
        if (this.win.length < rest) this.win = new Uint8Array(Math.max(rest, 65536));
        this.win.set(buf.subarray(pos, len));
      }
    }
    this.winLen = rest;
  }
}

/**
 * Classic libpcap files: 24-byte file header, then records of a 16-byte header + data.
 * Magic a1b2c3d4 (µs) / a1b23c4d (ns) in either byte order, and Kuznetsov's "modified
 * pcap" a1b2cd34 whose records carry 8 more header bytes (ifindex, protocol, pkt_type).
 */
import type { CaptureDamage, FormatName, FrameSink, InterfaceInfo, RecordParser } from './types';
import { MAX_PACKET, corrupt, cutShort } from './types';

export class PcapParser implements RecordParser {
  readonly format: FormatName;
  readonly byteOrder: 'little-endian' | 'big-endian';
  readonly interfaces: InterfaceInfo[];
  readonly sectionComments: string[] = [];
  damage: CaptureDamage | undefined;
  frames = 0;
  private readonly le: boolean;
  private readonly nsec: boolean;
  private readonly recHdr: number;
  private headerDone = false;

  /** `head` must hold at least the 24-byte file header. */
  constructor(head: Uint8Array) {
    const m = (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3];
    const magicLe = ((head[3] << 24) | (head[2] << 16) | (head[1] << 8) | head[0]) >>> 0;
    const be = m >>> 0;
    const known = [0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34];
    this.le = known.includes(magicLe);
    const magic = this.le ? magicLe : be;
    this.nsec = magic === 0xa1b23c4d;
    this.recHdr = magic === 0xa1b2cd34 ? 24 : 16;
    this.format = magic === 0xa1b2cd34 ? 'pcap-modified' : this.nsec ? 'pcap-nsec' : 'pcap';
    this.byteOrder = this.le ? 'little-endian' : 'big-endian';
    const snapLen = this.u32(head, 16);
    const linkType = this.u32(head, 20) & 0xffff;
    this.interfaces = [{ linkType, snapLen, unitsPerSecond: this.nsec ? 1e9 : 1e6, tsOffset: 0 }];
  }

  private u32(b: Uint8Array, o: number): number {
    return this.le
      ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
      : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  parse(buf: Uint8Array, pos: number, end: number, base: number, sink: FrameSink): number {
    if (!this.headerDone) {
      if (end - pos < 24) return pos;
      pos += 24;
      this.headerDone = true;
    }
    const linkType = this.interfaces[0].linkType;
    const hl = this.recHdr;
    const le = this.le;
    const nsec = this.nsec;
    // One DataView per chunk: a 32-bit read is one load (and a byte swap) instead of four.
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (end - pos >= hl) {
      const tsSec = dv.getUint32(pos, le);
      const tsFrac = dv.getUint32(pos + 4, le);
      const incl = dv.getUint32(pos + 8, le);
      const orig = dv.getUint32(pos + 12, le);
      // Checked before waiting for the data: a declared length never makes the reader buffer more.
      if (incl > MAX_PACKET) {
        this.damage = corrupt(this.frames + 1, base + pos, `pcap: File has ${incl}-byte packet, bigger than maximum of ${MAX_PACKET}`);
        return pos;
      }
      if (end - pos < hl + incl) return pos;
      this.frames++;
      // As wiretap: the fraction is not normalised; microseconds × 1000 wrap at 32 bits and
      // the result is a signed 32-bit nanosecond count (tshark prints e.g. "…370.1000000000").
      const tsNsec = nsec ? tsFrac | 0 : Math.imul(tsFrac, 1000);
      sink.onFrame(buf, pos + hl, incl, orig, tsSec, tsNsec, linkType, base + pos + hl, 0);
      pos += hl + incl;
    }
    return pos;
  }

  /** `tailBytes` holds the unconsumed tail (its length is `tail`), to say how much of the record is there. */
  finish(tail: number, base: number, tailBytes: Uint8Array): void {
    if (tail <= 0 || this.damage) return;
    if (!this.headerDone) {
      this.damage = {
        message: `The file appears to have been cut short in the middle of its pcap file header (byte offset 0, before frame 1): only ${tail} of its 24 bytes are present.`,
        frame: 1,
        offset: 0,
      };
      return;
    }
    const need = tail >= this.recHdr ? this.recHdr + this.u32(tailBytes, 8) : undefined;
    this.damage = cutShort(this.frames + 1, base, tail, need);
  }
}

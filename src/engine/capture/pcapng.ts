/**
 * pcapng: a sequence of blocks {type u32, total length u32, body, total length u32}.
 * Section Header Blocks (type 0x0A0D0D0A) set the byte order (byte-order magic 0x1A2B3C4D)
 * and reset the interface table; Interface Description Blocks add interfaces (link type,
 * snap length, if_tsresol, if_tsoffset); Enhanced (6), Simple (3) and obsolete Packet (2)
 * blocks carry frames. Every other block type is skipped.
 */
import type { CaptureDamage, FormatName, FrameSink, InterfaceInfo, RecordParser } from './types';
import { MAX_PACKET, corrupt, cutShort } from './types';
import { READABLE_FORMATS } from './detect';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
/** Largest block wiretap 4.0 accepts ("total block length N is too large (> 134348832)"). */
export const MAX_BLOCK = 134348832;
/** Interfaces a frame can refer to (FrameTable stores the index in 16 bits). */
const MAX_INTERFACES = 65535;

const BLOCK_NAMES: Record<number, string> = { [SHB]: 'an SHB', [IDB]: 'an IDB', [PB]: 'a PB', [SPB]: 'an SPB', [EPB]: 'an EPB', 4: 'an NRB', 5: 'an ISB', 10: 'a DSB' };
/** Smallest total length of each block type wiretap reads (0: no minimum beyond the 12-byte frame). */
function minSize(type: number): number {
  switch (type) {
    case SHB:
      return 28;
    case IDB:
      return 20;
    case PB:
    case EPB:
      return 32;
    case SPB:
      return 16;
    default:
      return 0;
  }
}
const isPacketBlock = (t: number) => t === EPB || t === PB || t === SPB;

const utf8 = new TextDecoder('utf-8');

interface IfaceState extends InterfaceInfo {
  /** Cache for converting 64-bit timestamps: high word last seen and its split into seconds + remainder units. */
  hiCache: number;
  secBase: number;
  remBase: number;
}

export class PcapngParser implements RecordParser {
  readonly format: FormatName = 'pcapng';
  byteOrder: 'little-endian' | 'big-endian' = 'little-endian';
  interfaces: IfaceState[] = [];
  /** All interfaces of all sections, in order; frames report indexes into this table. */
  private allInterfaces: IfaceState[] = [];
  private sectionBase = 0;
  readonly sectionComments: string[] = [];
  damage: CaptureDamage | undefined;
  frames = 0;
  private le = true;
  private sawShb = false;

  private u32(b: Uint8Array, o: number): number {
    return this.le
      ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
      : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }
  private u16(b: Uint8Array, o: number): number {
    return this.le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
  }

  /** Record damage to the block at `pos` (a packet block is frame N itself; any other block comes before frame N). */
  private fail(detail: string, base: number, pos: number, type: number): number {
    this.damage = corrupt(this.frames + 1, base + pos, detail, isPacketBlock(type));
    return pos;
  }

  private blockName(type: number): string {
    return BLOCK_NAMES[type] ?? 'an unknown block type';
  }

  parse(buf: Uint8Array, pos: number, end: number, base: number, sink: FrameSink): number {
    while (end - pos >= 12) {
      const beType = ((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >>> 0;
      if (beType === SHB) {
        const bom = ((buf[pos + 8] << 24) | (buf[pos + 9] << 16) | (buf[pos + 10] << 8) | buf[pos + 11]) >>> 0;
        if (bom === 0x4d3c2b1a) this.le = true;
        else if (bom === 0x1a2b3c4d) this.le = false;
        else if (base + pos === 0) {
          // The file only starts like pcapng (tshark: "isn't a capture file in a format TShark understands").
          this.damage = {
            message: `This is not a capture file: it starts like a pcapng file, but its byte-order magic is 0x${bom.toString(16).padStart(8, '0')} (frame 1, byte offset 0). seqscope reads ${READABLE_FORMATS}.`,
            frame: 1,
            offset: 0,
          };
          return pos;
        } else return this.fail(`pcapng: unknown byte-order magic 0x${bom.toString(16).padStart(8, '0')} in a section header block`, base, pos, SHB);
        this.byteOrder = this.le ? 'little-endian' : 'big-endian';
      } else if (!this.sawShb) {
        return this.fail('pcapng: the file does not start with a section header block', base, pos, beType);
      }
      const type = this.u32(buf, pos);
      const raw = this.u32(buf, pos + 4);
      // Checked before waiting for the data: a declared length never makes the reader buffer more.
      if (raw < 12) return this.fail(`pcapng: total block length ${raw} of ${this.blockName(type)} is less than the minimum block size 12`, base, pos, type);
      // Wiretap rounds a length that is not a multiple of 4 up to the next one.
      const len = raw + 3 - ((raw + 3) % 4);
      if (len > MAX_BLOCK) return this.fail(`pcapng: total block length ${raw} is too large (> ${MAX_BLOCK})`, base, pos, type);
      const min = minSize(type);
      if (len < min) return this.fail(`pcapng: total block length ${raw} of ${this.blockName(type)} is less than the minimum ${this.blockName(type).replace(/^an? /, '')} size ${min}`, base, pos, type);
      if (end - pos < len) return pos;
      const trailer = this.u32(buf, pos + len - 4);
      if (trailer !== raw && trailer !== len) return this.fail(`pcapng: total block lengths (first ${raw} and second ${trailer}) don't match`, base, pos, type);
      const body = pos + 8;
      const bodyEnd = pos + len - 4;
      switch (type) {
        case SHB: {
          this.sawShb = true;
          this.sectionBase = this.allInterfaces.length;
          this.interfaces = [];
          this.readOptions(buf, body + 16, bodyEnd, (code, o, l) => {
            if (code === 1) this.sectionComments.push(utf8.decode(buf.subarray(o, o + l)));
          });
          break;
        }
        case IDB: {
          if (this.allInterfaces.length >= MAX_INTERFACES) return this.fail(`pcapng: more than ${MAX_INTERFACES} interface description blocks`, base, pos, type);
          const iface: IfaceState = {
            linkType: this.u16(buf, body),
            snapLen: this.u32(buf, body + 4),
            unitsPerSecond: 1e6,
            tsOffset: 0,
            hiCache: -1,
            secBase: 0,
            remBase: 0,
          };
          this.readOptions(buf, body + 8, bodyEnd, (code, o, l) => {
            if (code === 2) iface.name = utf8.decode(buf.subarray(o, o + l));
            else if (code === 3) iface.description = utf8.decode(buf.subarray(o, o + l));
            else if (code === 9 && l >= 1) {
              const r = buf[o];
              iface.unitsPerSecond = r & 0x80 ? Math.pow(2, r & 0x7f) : Math.pow(10, r & 0x7f);
            } else if (code === 14 && l >= 8) {
              const hi = this.le ? this.u32(buf, o + 4) : this.u32(buf, o);
              const lo = this.le ? this.u32(buf, o) : this.u32(buf, o + 4);
              iface.tsOffset = (hi | 0) * 4294967296 + lo;
            }
          });
          this.interfaces.push(iface);
          this.allInterfaces.push(iface);
          break;
        }
        case EPB:
        case PB: {
          const ifId = type === EPB ? this.u32(buf, body) : this.u16(buf, body);
          const hi = this.u32(buf, body + 4);
          const lo = this.u32(buf, body + 8);
          const capLen = this.u32(buf, body + 12);
          const origLen = this.u32(buf, body + 16);
          if (ifId >= this.interfaces.length) return this.fail(`pcapng: interface index ${ifId} is not less than section interface count ${this.interfaces.length}`, base, pos, type);
          if (capLen > MAX_PACKET) return this.fail(`pcapng: cap_len ${capLen} is larger than ${MAX_PACKET}`, base, pos, type);
          const data = body + 20;
          if (data + capLen > bodyEnd) return this.fail(`pcapng: total block length ${raw} of ${this.blockName(type)} is too small for ${capLen} bytes of packet data`, base, pos, type);
          const iface = this.interfaces[ifId];
          this.frames++;
          this.deliver(sink, iface, buf, data, capLen, origLen, hi, lo, base, this.sectionBase + ifId);
          if (sink.onFrameComment) {
            const optStart = data + ((capLen + 3) & ~3);
            this.readOptions(buf, optStart, bodyEnd, (code, o, l) => {
              if (code === 1) sink.onFrameComment!(utf8.decode(buf.subarray(o, o + l)));
            });
          }
          break;
        }
        case SPB: {
          if (this.interfaces.length === 0) return this.fail('pcapng: simple packet block found before any interface description block', base, pos, type);
          const iface = this.interfaces[0];
          const origLen = this.u32(buf, body);
          // As wiretap: the captured length is the original length cut to the snapshot length,
          // and the block must hold exactly that much data (padded to 4) before its trailer.
          const capLen = iface.snapLen > 0 && origLen > iface.snapLen ? iface.snapLen : origLen;
          const room = bodyEnd - (body + 4);
          if (capLen > room) return this.fail(`pcapng: total block length ${raw} of an SPB is too small for ${capLen} bytes of packet data`, base, pos, type);
          const padded = capLen + ((4 - (capLen % 4)) % 4);
          if (padded !== room) {
            // tshark reads the trailer where that data ends, and rounds it up to a multiple of 4 as it does any block length.
            const second = (((this.u32(buf, body + 4 + padded) + 3) >>> 0) & ~3) >>> 0;
            return this.fail(`pcapng: total block lengths (first ${raw} and second ${second}) don't match`, base, pos, type);
          }
          this.frames++;
          // A simple packet block has no timestamp: NaN seconds tell the sink (tshark prints no frame.time_epoch).
          sink.onFrame(buf, body + 4, capLen, origLen, NaN, 0, iface.linkType, base + body + 4, this.sectionBase);
          break;
        }
        default:
          break; // NRB, ISB, DSB, custom and unknown blocks: skipped
      }
      pos += len;
    }
    return pos;
  }

  /** Interface table across all sections (frames carry indexes into it). */
  get allIfaces(): InterfaceInfo[] {
    return this.allInterfaces;
  }

  private deliver(sink: FrameSink, iface: IfaceState, buf: Uint8Array, data: number, capLen: number, origLen: number, hi: number, lo: number, base: number, ifIndex: number): void {
    const U = iface.unitsPerSecond;
    if (hi !== iface.hiCache) {
      // Split hi * 2^32 into whole seconds and remaining units once per high word (exact with BigInt).
      const v = BigInt(hi) << 32n;
      const u = BigInt(U);
      iface.secBase = Number(v / u);
      iface.remBase = Number(v % u);
      iface.hiCache = hi;
    }
    const r = iface.remBase + lo;
    const extra = Math.floor(r / U);
    const rem = r - extra * U;
    const sec = iface.secBase + extra + iface.tsOffset;
    let nsec: number;
    if (U === 1e9) nsec = rem;
    else if (U === 1e6) nsec = rem * 1000;
    else {
      // Exact integer arithmetic as wiretap does it: (rem × 10^9) in 64 bits — which wraps for
      // resolutions finer than 1 ns (tshark prints the wrapped value) — divided by the units.
      nsec = Number(((BigInt(rem) * 1000000000n) & 0xffffffffffffffffn) / BigInt(U));
    }
    sink.onFrame(buf, data, capLen, origLen, sec, nsec, iface.linkType, base + data, ifIndex);
  }

  private readOptions(buf: Uint8Array, o: number, end: number, fn: (code: number, off: number, len: number) => void): void {
    while (o + 4 <= end) {
      const code = this.u16(buf, o);
      const l = this.u16(buf, o + 2);
      if (code === 0) return;
      if (o + 4 + l > end) return;
      fn(code, o + 4, l);
      o += 4 + ((l + 3) & ~3);
    }
  }

  finish(tail: number, base: number, tailBytes: Uint8Array): void {
    if (tail <= 0 || this.damage) return;
    let need: number | undefined;
    let type = -1;
    if (tail >= 8) {
      type = this.sawShb || tail < 12 ? this.u32(tailBytes, 0) : SHB;
      need = this.u32(tailBytes, 4);
      if (need < 12 || need <= tail) need = undefined;
    }
    if (!this.sawShb && base === 0) {
      this.damage = {
        message: `The file appears to have been cut short in the middle of its first pcapng block (the section header at byte offset 0, before frame 1): the file ends after ${tail} byte${tail === 1 ? '' : 's'}.`,
        frame: 1,
        offset: 0,
      };
      return;
    }
    this.damage = cutShort(this.frames + 1, base, tail, need, isPacketBlock(type) || type === -1 ? 'packet' : 'block');
  }
}

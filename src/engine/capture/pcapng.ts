/**
 * pcapng: a sequence of blocks {type u32, total length u32, body, total length u32}.
 * Section Header Blocks (type 0x0A0D0D0A) set the byte order (byte-order magic 0x1A2B3C4D)
 * and reset the interface table; Interface Description Blocks add interfaces (link type,
 * snap length, if_tsresol, if_tsoffset); Enhanced (6), Simple (3) and obsolete Packet (2)
 * blocks carry frames. Every other block type is skipped.
 */
import type { CaptureDamage, FormatName, FrameSink, InterfaceInfo, RecordParser } from './types';
import { MAX_PACKET } from './types';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
/** Largest block we accept (wiretap refuses blocks over 16 MiB as well). */
const MAX_BLOCK = 16 * 1024 * 1024;

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

  private fail(message: string, base: number, pos: number): number {
    this.damage = { message, frame: this.frames + 1, offset: base + pos };
    return pos;
  }

  parse(buf: Uint8Array, pos: number, end: number, base: number, sink: FrameSink): number {
    while (end - pos >= 12) {
      const beType = ((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >>> 0;
      if (beType === SHB) {
        const bom = ((buf[pos + 8] << 24) | (buf[pos + 9] << 16) | (buf[pos + 10] << 8) | buf[pos + 11]) >>> 0;
        if (bom === 0x4d3c2b1a) this.le = true;
        else if (bom === 0x1a2b3c4d) this.le = false;
        else return this.fail(`pcapng: unknown byte-order magic 0x${bom.toString(16)} in a section header`, base, pos);
        this.byteOrder = this.le ? 'little-endian' : 'big-endian';
      } else if (!this.sawShb) {
        return this.fail('pcapng: the file does not start with a section header block', base, pos);
      }
      const type = this.u32(buf, pos);
      const len = this.u32(buf, pos + 4);
      if (len < 12 || len % 4 !== 0) return this.fail(`pcapng: block at offset ${base + pos} has an invalid total length ${len}`, base, pos);
      if (len > MAX_BLOCK) return this.fail(`pcapng: block at offset ${base + pos} is ${len} bytes long, bigger than the maximum of ${MAX_BLOCK}`, base, pos);
      if (end - pos < len) return pos;
      if (this.u32(buf, pos + len - 4) !== len) return this.fail(`pcapng: block at offset ${base + pos} has mismatched total lengths`, base, pos);
      const body = pos + 8;
      const bodyEnd = pos + len - 4;
      switch (type) {
        case SHB: {
          if (len < 28) return this.fail('pcapng: section header block too short', base, pos);
          this.sawShb = true;
          this.sectionBase = this.allInterfaces.length;
          this.interfaces = [];
          this.readOptions(buf, body + 16, bodyEnd, (code, o, l) => {
            if (code === 1) this.sectionComments.push(utf8.decode(buf.subarray(o, o + l)));
          });
          break;
        }
        case IDB: {
          if (len < 20) return this.fail('pcapng: interface description block too short', base, pos);
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
          if (len < 32) return this.fail(`pcapng: packet block at offset ${base + pos} too short`, base, pos);
          const ifId = type === EPB ? this.u32(buf, body) : this.u16(buf, body);
          const hi = this.u32(buf, body + 4);
          const lo = this.u32(buf, body + 8);
          const capLen = this.u32(buf, body + 12);
          const origLen = this.u32(buf, body + 16);
          if (ifId >= this.interfaces.length) return this.fail(`pcapng: packet block refers to interface ${ifId}, but only ${this.interfaces.length} interface(s) are described`, base, pos);
          if (capLen > MAX_PACKET) return this.fail(`pcapng: File has ${capLen}-byte packet, bigger than maximum of ${MAX_PACKET}`, base, pos);
          const data = body + 20;
          if (data + capLen > bodyEnd) return this.fail(`pcapng: packet block at offset ${base + pos} is shorter than its captured length ${capLen}`, base, pos);
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
          if (len < 16) return this.fail('pcapng: simple packet block too short', base, pos);
          if (this.interfaces.length === 0) return this.fail('pcapng: simple packet block before any interface description', base, pos);
          const iface = this.interfaces[0];
          const origLen = this.u32(buf, body);
          let capLen = Math.min(origLen, bodyEnd - (body + 4));
          if (iface.snapLen > 0 && capLen > iface.snapLen) capLen = iface.snapLen;
          this.frames++;
          // A simple packet block has no timestamp: wiretap reports 0.
          sink.onFrame(buf, body + 4, capLen, origLen, 0, 0, iface.linkType, base + body + 4, this.sectionBase);
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
    else if (U < 1e9) nsec = Math.floor((rem * 1e9) / U);
    else nsec = Math.floor(rem / (U / 1e9));
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

  finish(tail: number, base: number): void {
    if (tail > 0 && !this.damage) {
      this.damage = {
        message: `The capture was cut short in the middle of a block (after frame ${this.frames}, ${tail} byte(s) left over).`,
        frame: this.frames + 1,
        offset: base,
      };
    }
  }
}

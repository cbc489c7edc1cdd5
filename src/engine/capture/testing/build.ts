/**
 * Test support (not part of the engine's public API): build small pcap/pcapng captures in
 * memory, and walk a capture's record layout independently of the readers, so fuzz and error
 * tests know where every record starts and ends.
 */

export interface FrameSpec {
  data: Uint8Array;
  /** Original (wire) length; defaults to data.length. */
  origLen?: number;
  tsSec?: number;
  tsUsec?: number;
  iface?: number;
  comment?: string;
}

/** UTF-8 bytes of a string (the engine's lib has no TextEncoder). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
const enc = { encode: utf8 };

class Writer {
  private parts: Uint8Array[] = [];
  constructor(private readonly le: boolean) {}
  u8(...b: number[]): this {
    this.parts.push(Uint8Array.from(b));
    return this;
  }
  u16(v: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.le);
    this.parts.push(b);
    return this;
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, this.le);
    this.parts.push(b);
    return this;
  }
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }
  pad4(): this {
    const n = this.length % 4;
    if (n) this.parts.push(new Uint8Array(4 - n));
    return this;
  }
  get length(): number {
    return this.parts.reduce((a, p) => a + p.length, 0);
  }
  done(): Uint8Array {
    return concat(this.parts);
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A classic pcap file (µs or ns timestamps, either byte order; `modified` = Kuznetsov's a1b2cd34). */
export function buildPcap(frames: FrameSpec[], opts: { le?: boolean; nsec?: boolean; modified?: boolean; linkType?: number; snapLen?: number } = {}): Uint8Array {
  const le = opts.le ?? true;
  const w = new Writer(le);
  w.u32(opts.modified ? 0xa1b2cd34 : opts.nsec ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0);
  w.u32(opts.snapLen ?? 262144).u32(opts.linkType ?? 1);
  for (const f of frames) {
    w.u32(f.tsSec ?? 1700000000).u32(f.tsUsec ?? 0).u32(f.data.length).u32(f.origLen ?? f.data.length);
    if (opts.modified) w.u32(0).u16(0).u8(0, 0);
    w.bytes(f.data);
  }
  return w.done();
}

function option(w: Writer, code: number, value: Uint8Array): void {
  w.u16(code).u16(value.length).bytes(value).pad4();
}

function block(le: boolean, type: number, body: (w: Writer) => void): Uint8Array {
  const b = new Writer(le);
  body(b);
  b.pad4();
  const inner = b.done();
  const len = inner.length + 12;
  return new Writer(le).u32(type).u32(len).bytes(inner).u32(len).done();
}

export interface PcapngSpec {
  le?: boolean;
  sectionComment?: string;
  interfaces: { linkType: number; snapLen?: number; name?: string; tsresol?: number }[];
  frames: FrameSpec[];
  /** Write frames as simple packet blocks (interface 0, no timestamp). */
  simple?: boolean;
  /** Add a name resolution block and an interface statistics block (skipped by readers). */
  extraBlocks?: boolean;
}

/** One pcapng section: SHB, IDBs, then one EPB (or SPB) per frame. */
export function buildPcapng(spec: PcapngSpec): Uint8Array {
  const le = spec.le ?? true;
  const parts: Uint8Array[] = [];
  parts.push(
    block(le, 0x0a0d0d0a, (w) => {
      w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
      if (spec.sectionComment !== undefined) {
        option(w, 1, enc.encode(spec.sectionComment));
        w.u32(0);
      }
    }),
  );
  for (const i of spec.interfaces) {
    parts.push(
      block(le, 1, (w) => {
        w.u16(i.linkType).u16(0).u32(i.snapLen ?? 262144);
        if (i.name !== undefined) option(w, 2, enc.encode(i.name));
        if (i.tsresol !== undefined) option(w, 9, Uint8Array.of(i.tsresol));
        if (i.name !== undefined || i.tsresol !== undefined) w.u32(0);
      }),
    );
  }
  if (spec.extraBlocks) {
    parts.push(block(le, 4, (w) => w.u16(1).u16(8).bytes(Uint8Array.of(192, 0, 2, 1)).bytes(enc.encode('h.x\0')).u32(0)));
    parts.push(block(le, 5, (w) => w.u32(0).u32(0).u32(0)));
  }
  for (const f of spec.frames) {
    if (spec.simple) {
      parts.push(block(le, 3, (w) => w.u32(f.origLen ?? f.data.length).bytes(f.data)));
      continue;
    }
    const ts = (f.tsSec ?? 1700000000) * 1e6 + (f.tsUsec ?? 0);
    parts.push(
      block(le, 6, (w) => {
        w.u32(f.iface ?? 0).u32(Math.floor(ts / 4294967296)).u32(ts % 4294967296);
        w.u32(f.data.length).u32(f.origLen ?? f.data.length).bytes(f.data).pad4();
        if (f.comment !== undefined) {
          option(w, 1, enc.encode(f.comment));
          w.u32(0);
        }
      }),
    );
  }
  return concat(parts);
}

/** An Ethernet/IPv4/TCP frame (checksums zero: nothing here validates them). */
export function tcpFrame(o: { src?: number[]; dst?: number[]; sport: number; dport: number; seq: number; ack: number; flags: number; payload?: Uint8Array; win?: number }): Uint8Array {
  const payload = o.payload ?? new Uint8Array(0);
  const ipLen = 20 + 20 + payload.length;
  const b = new Uint8Array(14 + ipLen);
  const dv = new DataView(b.buffer);
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  dv.setUint16(12, 0x0800);
  b[14] = 0x45;
  dv.setUint16(16, ipLen);
  b[22] = 64;
  b[23] = 6;
  b.set(o.src ?? [192, 0, 2, 1], 26);
  b.set(o.dst ?? [198, 51, 100, 2], 30);
  dv.setUint16(34, o.sport);
  dv.setUint16(36, o.dport);
  dv.setUint32(38, o.seq >>> 0);
  dv.setUint32(42, o.ack >>> 0);
  b[46] = 0x50;
  b[47] = o.flags;
  dv.setUint16(48, o.win ?? 64240);
  b.set(payload, 54);
  return b;
}

/** A short TCP conversation (handshake, data both ways, a retransmission, FIN), timestamps 1 ms apart. */
export function conversation(payloadText = 'hello'): FrameSpec[] {
  const p = enc.encode(payloadText);
  const c = { sport: 40000, dport: 80 };
  const s = { src: [198, 51, 100, 2], dst: [192, 0, 2, 1], sport: 80, dport: 40000 };
  const frames = [
    tcpFrame({ ...c, seq: 1000, ack: 0, flags: 0x02 }),
    tcpFrame({ ...s, seq: 5000, ack: 1001, flags: 0x12 }),
    tcpFrame({ ...c, seq: 1001, ack: 5001, flags: 0x10 }),
    tcpFrame({ ...c, seq: 1001, ack: 5001, flags: 0x18, payload: p }),
    tcpFrame({ ...c, seq: 1001, ack: 5001, flags: 0x18, payload: p }),
    tcpFrame({ ...s, seq: 5001, ack: 1001 + p.length, flags: 0x18, payload: p }),
    tcpFrame({ ...c, seq: 1001 + p.length, ack: 5001 + p.length, flags: 0x11 }),
    tcpFrame({ ...s, seq: 5001 + p.length, ack: 1002 + p.length, flags: 0x11 }),
  ];
  return frames.map((data, i) => ({ data, tsSec: 1700000000, tsUsec: i * 1000 }));
}

// ---- layout: where each record is, read without the readers ----

export interface RecordSpan {
  start: number;
  end: number;
  /** The record carries a frame (pcap record, EPB, PB, SPB). */
  frame: boolean;
  /** pcapng block type (pcap records: -1); the file header is type -2. */
  type: number;
  le: boolean;
}

/**
 * The record layout of an intact (unmutated) capture: the file header / blocks / records in
 * order. Stops at the first thing it cannot follow.
 */
export function layout(bytes: Uint8Array): RecordSpan[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: RecordSpan[] = [];
  if (bytes.length < 4) return out;
  const magic = dv.getUint32(0, false);
  if (magic === 0x0a0d0d0a) {
    let pos = 0;
    let le = true;
    while (pos + 12 <= bytes.length) {
      if (dv.getUint32(pos, false) === 0x0a0d0d0a) le = dv.getUint32(pos + 8, true) === 0x1a2b3c4d;
      const type = dv.getUint32(pos, le);
      const len = dv.getUint32(pos + 4, le);
      if (len < 12 || pos + len > bytes.length) break;
      out.push({ start: pos, end: pos + len, frame: type === 2 || type === 3 || type === 6, type, le });
      pos += len;
    }
    return out;
  }
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d || dv.getUint32(0, true) === 0xa1b2cd34;
  const m = dv.getUint32(0, le);
  if (m !== 0xa1b2c3d4 && m !== 0xa1b23c4d && m !== 0xa1b2cd34) return out;
  const hl = m === 0xa1b2cd34 ? 24 : 16;
  if (bytes.length < 24) return out;
  out.push({ start: 0, end: 24, frame: false, type: -2, le });
  let pos = 24;
  while (pos + hl <= bytes.length) {
    const incl = dv.getUint32(pos + 8, le);
    if (pos + hl + incl > bytes.length) break;
    out.push({ start: pos, end: pos + hl + incl, frame: true, type: -1, le });
    pos += hl + incl;
  }
  return out;
}

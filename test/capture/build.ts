/**
 * Test support (not part of the engine's public API): the one capture builder of the unit tests,
 * the e2e specs and the fuzzer. Builds Ethernet / Linux cooked / BSD loopback / raw IPv4 and IPv6
 * frames carrying TCP segments (with options, correct lengths and checksums) and writes them as
 * classic pcap (µs or ns, either byte order, Kuznetsov's modified pcap), pcapng (either byte
 * order per section, several sections and interfaces, if_tsresol / if_tsoffset, Enhanced, Simple
 * and obsolete Packet blocks, name resolution and statistics blocks, unknown blocks, comments)
 * or gzip. `layout()` walks a capture's record layout independently of the readers, so fuzz and
 * error tests know where every record starts and ends.
 *
 * Timestamps are BigInt nanoseconds since the epoch, so expectations can be exact. Engine code:
 * no Node or DOM APIs (gzip through fflate, UTF-8 by hand).
 */
import { gzipSync } from 'fflate';

// ---------------------------------------------------------------- byte helpers

class Bytes {
  private a: number[] = [];
  constructor(private readonly be = true) {}
  get length(): number {
    return this.a.length;
  }
  u8(v: number): this {
    this.a.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.be ? this.u8(v >>> 8).u8(v) : this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    v = v >>> 0;
    return this.be ? this.u8(v >>> 24).u8(v >>> 16).u8(v >>> 8).u8(v) : this.u8(v).u8(v >>> 8).u8(v >>> 16).u8(v >>> 24);
  }
  /** 64-bit value as pcapng writes it: two 32-bit words, high word first in big-endian. */
  u64(v: bigint): this {
    const x = BigInt.asUintN(64, v);
    const hi = Number(x >> 32n);
    const lo = Number(x & 0xffffffffn);
    return this.be ? this.u32(hi).u32(lo) : this.u32(lo).u32(hi);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.a.push(b[i] & 0xff);
    return this;
  }
  pad4(): this {
    while (this.a.length % 4) this.a.push(0);
    return this;
  }
  out(): Uint8Array {
    return Uint8Array.from(this.a);
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
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

// ---------------------------------------------------------------- addresses

/** IPv4 dotted quad → 4 bytes. */
export function ip4(s: string): number[] {
  const p = s.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) throw new Error(`bad IPv4 address ${s}`);
  return p;
}

/** IPv6 text (with optional ::) → 16 bytes. */
export function ip6(s: string): number[] {
  const [l, r] = s.includes('::') ? s.split('::') : [s, undefined];
  const words = (x: string | undefined) => (x ? x.split(':').filter((w) => w !== '').map((w) => parseInt(w, 16)) : []);
  const left = words(l);
  const right = words(r);
  const mid = r === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const all = [...left, ...mid, ...right];
  if (all.length !== 8) throw new Error(`bad IPv6 address ${s}`);
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

const isV6 = (a: string) => a.includes(':');

// ---------------------------------------------------------------- TCP

export type TcpOption =
  | { mss: number }
  | { ws: number }
  | { sackPerm: true }
  | { sack: [number, number][] }
  | { ts: [number, number] }
  | { tfo: number[] }
  | { nop: true }
  | { eol: true }
  | { raw: number[] };

function optionBytes(opts: TcpOption[]): number[] {
  const b: number[] = [];
  const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  for (const o of opts) {
    if ('mss' in o) b.push(2, 4, o.mss >> 8, o.mss & 0xff);
    else if ('ws' in o) b.push(3, 3, o.ws);
    else if ('sackPerm' in o) b.push(4, 2);
    else if ('sack' in o) b.push(5, 2 + 8 * o.sack.length, ...o.sack.flatMap(([l, r]) => [...u32(l), ...u32(r)]));
    else if ('ts' in o) b.push(8, 10, ...u32(o.ts[0]), ...u32(o.ts[1]));
    else if ('tfo' in o) b.push(34, 2 + o.tfo.length, ...o.tfo);
    else if ('nop' in o) b.push(1);
    else if ('eol' in o) b.push(0);
    else b.push(...o.raw);
  }
  while (b.length % 4) b.push(0);
  if (b.length > 40) throw new Error('TCP options longer than 40 bytes');
  return b;
}

/** Flag letters: F S R P A U E C (ECE, CWR), N (AE); or a number. */
export function tcpFlags(f: string | number): number {
  if (typeof f === 'number') return f;
  const bits: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80, N: 0x100 };
  let v = 0;
  for (const ch of f) {
    if (!(ch in bits)) throw new Error(`unknown TCP flag letter ${ch}`);
    v |= bits[ch];
  }
  return v;
}

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: string | number;
  win?: number;
  /** Payload length (filled with letters) unless `payload` is given. */
  len?: number;
  payload?: Uint8Array;
  options?: TcpOption[];
  urg?: number;
}

function checksum(parts: number[][]): number {
  let s = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) s += (p[i] << 8) | (i + 1 < p.length ? p[i + 1] : 0);
  }
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export function payloadOf(spec: { len?: number; payload?: Uint8Array }): Uint8Array {
  if (spec.payload) return spec.payload;
  const n = spec.len ?? 0;
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = 0x61 + (i % 26);
  return p;
}

/** TCP header + payload with a correct checksum for the given addresses. */
export function tcpSegment(s: TcpSpec): Uint8Array {
  const opts = optionBytes(s.options ?? []);
  const payload = payloadOf(s);
  const hl = 20 + opts.length;
  const h = new Bytes()
    .u16(s.sport)
    .u16(s.dport)
    .u32(s.seq)
    .u32(s.ack ?? 0);
  const f = tcpFlags(s.flags);
  h.u16(((hl / 4) << 12) | (f & 0xfff));
  h.u16(s.win ?? 64240)
    .u16(0)
    .u16(s.urg ?? 0)
    .bytes(opts)
    .bytes(payload);
  const seg = Array.from(h.out());
  const v6 = isV6(s.src);
  const src = v6 ? ip6(s.src) : ip4(s.src);
  const dst = v6 ? ip6(s.dst) : ip4(s.dst);
  const n = seg.length;
  const pseudo = v6 ? [...src, ...dst, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, 0, 0, 0, 6] : [...src, ...dst, 0, 6, n >> 8, n & 0xff];
  const c = checksum([pseudo.length % 2 ? [...pseudo, 0] : pseudo, seg]);
  seg[16] = c >> 8;
  seg[17] = c & 0xff;
  return Uint8Array.from(seg);
}

// ---------------------------------------------------------------- IP

export interface Ip4Opts {
  ttl?: number;
  id?: number;
  /** IPv4 options (padded to 4 bytes). */
  options?: number[];
  /** Extra bytes after the IP payload that the total length does not count (Ethernet padding). */
  trailer?: number;
}

export function ipv4Packet(src: string, dst: string, proto: number, payload: Uint8Array, o: Ip4Opts = {}): Uint8Array {
  const opts = [...(o.options ?? [])];
  while (opts.length % 4) opts.push(0);
  const hl = 20 + opts.length;
  const total = hl + payload.length;
  const h = new Bytes()
    .u8(0x40 | (hl / 4))
    .u8(0)
    .u16(total)
    .u16(o.id ?? 1)
    .u16(0x4000)
    .u8(o.ttl ?? 64)
    .u8(proto)
    .u16(0)
    .bytes(ip4(src))
    .bytes(ip4(dst))
    .bytes(opts);
  const hdr = Array.from(h.out());
  const c = checksum([hdr]);
  hdr[10] = c >> 8;
  hdr[11] = c & 0xff;
  return concat([Uint8Array.from(hdr), payload, new Uint8Array(o.trailer ?? 0)]);
}

export function ipv6Packet(src: string, dst: string, nextHeader: number, payload: Uint8Array, hopLimit = 64): Uint8Array {
  const h = new Bytes().u32(0x60000000).u16(payload.length).u8(nextHeader).u8(hopLimit).bytes(ip6(src)).bytes(ip6(dst));
  return concat([h.out(), payload]);
}

// ---------------------------------------------------------------- link layers

export const LINK = { NULL: 0, ETHERNET: 1, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 } as const;

/** Wrap an IP packet for a link type. */
export function linkFrame(linkType: number, ip: Uint8Array): Uint8Array {
  const v6 = ip[0] >> 4 === 6;
  const etype = v6 ? 0x86dd : 0x0800;
  switch (linkType) {
    case LINK.ETHERNET:
      return concat([new Bytes().bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x66, 0x77, 0x88, 0x99, 0xaa]).u16(etype).out(), ip]);
    case LINK.LINUX_SLL:
      return concat([new Bytes().u16(0).u16(1).u16(6).bytes([0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0, 0]).u16(etype).out(), ip]);
    case LINK.LINUX_SLL2:
      return concat([new Bytes().u16(etype).u16(0).u32(2).u16(1).u8(0).u8(6).bytes([0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0, 0]).out(), ip]);
    case LINK.NULL:
      // BSD loopback: address family in the capturing host's byte order (little-endian here).
      return concat([new Bytes(false).u32(v6 ? 30 : 2).out(), ip]);
    case LINK.RAW:
    case LINK.IPV4:
    case LINK.IPV6:
      return ip;
    default:
      throw new Error(`linkFrame: unsupported link type ${linkType}`);
  }
}

/** A TCP segment in IPv4 or IPv6 (chosen from the address form), wrapped for `linkType`. */
export function tcpFrame(s: TcpSpec, linkType: number = LINK.ETHERNET, ipOpts: Ip4Opts = {}): Uint8Array {
  const seg = tcpSegment(s);
  const ip = isV6(s.src) ? ipv6Packet(s.src, s.dst, 6, seg, ipOpts.ttl) : ipv4Packet(s.src, s.dst, 6, seg, ipOpts);
  return linkFrame(linkType, ip);
}

// ---------------------------------------------------------------- time

/** Seconds (a decimal string or number with ≤ 9 decimals) → BigInt nanoseconds. */
export function ns(sec: string | number): bigint {
  const s = typeof sec === 'number' ? sec.toFixed(9) : sec;
  const neg = s.startsWith('-');
  const [w, f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(w) * 1_000_000_000n + BigInt((f + '000000000').slice(0, 9));
  return neg ? -v : v;
}

/** BigInt nanoseconds → tshark's "S.NNNNNNNNN". */
export function fmtNs(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return (neg ? '-' : '') + (a / 1_000_000_000n).toString() + '.' + (a % 1_000_000_000n).toString().padStart(9, '0');
}

/** The default capture time: 1 700 000 000 s after the epoch, in ns. */
export const DEFAULT_EPOCH = 1_700_000_000n * 1_000_000_000n;

// ---------------------------------------------------------------- classic pcap

export interface Record_ {
  /** Nanoseconds since the epoch. */
  ts: bigint;
  data: Uint8Array;
  /** Length on the wire (default: data.length). */
  origLen?: number;
}

export interface PcapOpts {
  linkType?: number;
  nsec?: boolean;
  bigEndian?: boolean;
  /** Kuznetsov's modified pcap (magic a1b2cd34, 24-byte record headers). */
  modified?: boolean;
  snapLen?: number;
}

export function pcapHeader(o: PcapOpts = {}): Uint8Array {
  const magic = o.modified ? 0xa1b2cd34 : o.nsec ? 0xa1b23c4d : 0xa1b2c3d4;
  return new Bytes(o.bigEndian ?? false)
    .u32(magic)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(o.snapLen ?? 262144)
    .u32(o.linkType ?? LINK.ETHERNET)
    .out();
}

export function pcapRecord(r: Record_, o: PcapOpts = {}): Uint8Array {
  const b = new Bytes(o.bigEndian ?? false);
  const sec = r.ts / 1_000_000_000n;
  const frac = r.ts % 1_000_000_000n;
  b.u32(Number(sec)).u32(Number(o.nsec && !o.modified ? frac : frac / 1000n));
  b.u32(r.data.length).u32(r.origLen ?? r.data.length);
  if (o.modified) b.u32(1).u16(0x0800).u8(0).u8(0);
  return concat([b.out(), r.data]);
}

/** A classic pcap file (little-endian µs unless `o` says otherwise). */
export function writePcap(records: Record_[], o: PcapOpts = {}): Uint8Array {
  return concat([pcapHeader(o), ...records.map((r) => pcapRecord(r, o))]);
}

// ---------------------------------------------------------------- pcapng

export interface NgInterface {
  linkType: number;
  snapLen?: number;
  name?: string;
  description?: string;
  /** Raw if_tsresol byte (6 = µs default, 9 = ns, 0x80|k = 2^-k). */
  tsresol?: number;
  /** if_tsoffset, seconds (signed 64-bit). */
  tsoffset?: bigint;
}

/** Blocks after a section's interfaces; packet `ts` values are in the interface's units (see `nsToUnits`). */
export type NgBlock =
  | { epb: { iface: number; ts: bigint; data: Uint8Array; origLen?: number; comments?: string[] } }
  | { pb: { iface: number; ts: bigint; data: Uint8Array; origLen?: number; comments?: string[] } }
  | { spb: { data: Uint8Array; origLen?: number } }
  | { idb: NgInterface }
  /** Name Resolution Block: one record per address (IPv4 or IPv6, from its form) with its names. */
  | { nrb: { ip: string; names: string[] }[] }
  /** Interface Statistics Block, without options. */
  | { isb: { iface: number; ts?: bigint } }
  | { unknown: { type: number; body: Uint8Array } };

export interface NgSection {
  bigEndian?: boolean;
  comments?: string[];
  /** Interfaces described right after the section header. */
  interfaces: NgInterface[];
  blocks: NgBlock[];
}

/** Units per second of an if_tsresol byte. */
export function unitsPerSecond(tsresol = 6): bigint {
  return tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
}

/**
 * Timestamp units for an interface from nanoseconds since the epoch (rounded down); use the
 * exact `unitsToTime` to know what a reader must report for them.
 */
export function nsToUnits(tsNs: bigint, i: NgInterface): bigint {
  const rel = tsNs - (i.tsoffset ?? 0n) * 1_000_000_000n;
  return (rel * unitsPerSecond(i.tsresol)) / 1_000_000_000n;
}

/** What a reader must report (seconds, nanoseconds, truncated) for `units` on interface `i`. */
export function unitsToTime(units: bigint, i: NgInterface): { sec: bigint; nsec: bigint } {
  const u = unitsPerSecond(i.tsresol);
  const sec = units / u + (i.tsoffset ?? 0n);
  const nsec = ((units % u) * 1_000_000_000n) / u;
  return { sec, nsec };
}

/** Enhanced Packet Blocks for `records` on interface number `iface`, described by `i` (timestamps in its units). */
export function packetBlocks(records: Record_[], i: NgInterface = { linkType: LINK.ETHERNET }, iface = 0): NgBlock[] {
  return records.map((r) => ({ epb: { iface, ts: nsToUnits(r.ts, i), data: r.data, origLen: r.origLen } }));
}

function block(be: boolean, type: number, body: Uint8Array): Uint8Array {
  const len = 12 + body.length + ((4 - (body.length % 4)) % 4);
  const b = new Bytes(be).u32(type).u32(len).bytes(body).pad4().u32(len);
  return b.out();
}

/** Options (or NRB records: the same type-length-value layout), ended by a zero entry. */
function options(be: boolean, opts: [number, Uint8Array][]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const b = new Bytes(be);
  for (const [code, v] of opts) b.u16(code).u16(v.length).bytes(v).pad4();
  b.u16(0).u16(0);
  return b.out();
}

const commentOpts = (c: string[] | undefined): [number, Uint8Array][] => (c ?? []).map((s) => [1, utf8(s)]);

function idbBlock(be: boolean, i: NgInterface): Uint8Array {
  const opts: [number, Uint8Array][] = [];
  if (i.name !== undefined) opts.push([2, utf8(i.name)]);
  if (i.description !== undefined) opts.push([3, utf8(i.description)]);
  if (i.tsresol !== undefined) opts.push([9, Uint8Array.of(i.tsresol)]);
  if (i.tsoffset !== undefined) opts.push([14, new Bytes(be).u64(i.tsoffset).out()]);
  const body = concat([new Bytes(be).u16(i.linkType).u16(0).u32(i.snapLen ?? 0).out(), options(be, opts)]);
  return block(be, 1, body);
}

function ngBlock(be: boolean, b: NgBlock): Uint8Array {
  if ('epb' in b || 'pb' in b) {
    const e = 'epb' in b ? b.epb : b.pb;
    const h = new Bytes(be);
    if ('epb' in b) h.u32(e.iface);
    else h.u16(e.iface).u16(0);
    h.u32(Number(BigInt.asUintN(64, e.ts) >> 32n)).u32(Number(BigInt.asUintN(32, e.ts)));
    h.u32(e.data.length).u32(e.origLen ?? e.data.length).bytes(e.data).pad4();
    return block(be, 'epb' in b ? 6 : 2, concat([h.out(), options(be, commentOpts(e.comments))]));
  }
  if ('spb' in b) return block(be, 3, new Bytes(be).u32(b.spb.origLen ?? b.spb.data.length).bytes(b.spb.data).out());
  if ('idb' in b) return idbBlock(be, b.idb);
  if ('nrb' in b) {
    const records = b.nrb.map((r): [number, Uint8Array] => [isV6(r.ip) ? 2 : 1, concat([Uint8Array.from(isV6(r.ip) ? ip6(r.ip) : ip4(r.ip)), ...r.names.map((n) => utf8(n + '\0'))])]);
    return block(be, 4, options(be, records));
  }
  if ('isb' in b) {
    const ts = BigInt.asUintN(64, b.isb.ts ?? 0n);
    return block(be, 5, new Bytes(be).u32(b.isb.iface).u32(Number(ts >> 32n)).u32(Number(BigInt.asUintN(32, ts))).out());
  }
  return block(be, b.unknown.type, b.unknown.body);
}

/** A pcapng file: per section the SHB, its interfaces' IDBs, then its blocks. */
export function writePcapng(sections: NgSection[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const s of sections) {
    const be = s.bigEndian ?? false;
    const shbBody = concat([new Bytes(be).u32(0x1a2b3c4d).u16(1).u16(0).u64(-1n).out(), options(be, commentOpts(s.comments))]);
    parts.push(block(be, 0x0a0d0d0a, shbBody));
    for (const i of s.interfaces) parts.push(idbBlock(be, i));
    for (const b of s.blocks) parts.push(ngBlock(be, b));
  }
  return concat(parts);
}

/** gzip of `bytes` (deterministic: no modification time in the header). */
export function gzip(bytes: Uint8Array): Uint8Array {
  return gzipSync(bytes, { mtime: 0 });
}

// ---------------------------------------------------------------- TCP conversation scripts

/**
 * A two-endpoint TCP script in the style of the spec's Appendix A: sequence and ACK numbers are
 * given relative to each side's ISN, so the rows read like tshark's Info column.
 *
 *   const c = new Conn(records);                // 10.0.0.1:50000 ↔ 10.0.0.2:33333, ISNs 1000 / 5000
 *   c.c('0.000', 'S', 0, 0, 64240);             // client → server
 *   c.s('0.005', 'SA', 0, 1, 65160);            // server → client
 *   c.c('0.011', 'PA', 1, 1, 500, 100);         // 100 bytes
 */
export interface ConnOpts {
  client?: string;
  server?: string;
  cport?: number;
  sport?: number;
  cisn?: number;
  sisn?: number;
  /** Absolute time of t = 0, ns since the epoch (default 1 700 000 000 s). */
  epoch?: bigint;
}

export interface PktExtra {
  options?: TcpOption[];
  urg?: number;
  /** Raw ack field (overrides the relative one), e.g. for packets without the ACK flag. */
  rawAck?: number;
  /** Raw seq (overrides the relative one). */
  rawSeq?: number;
  linkType?: number;
  /** The payload bytes (instead of `len` letters). */
  payload?: Uint8Array;
  /** IP TTL (IPv6 hop limit) and IPv4 ID of this packet. */
  ttl?: number;
  ipId?: number;
}

export class Conn {
  readonly client: string;
  readonly server: string;
  cport: number;
  readonly sport: number;
  cisn: number;
  sisn: number;
  readonly epoch: bigint;

  constructor(
    private readonly out: Record_[],
    o: ConnOpts = {},
  ) {
    this.client = o.client ?? '10.0.0.1';
    this.server = o.server ?? '10.0.0.2';
    this.cport = o.cport ?? 50000;
    this.sport = o.sport ?? 33333;
    this.cisn = o.cisn ?? 1000;
    this.sisn = o.sisn ?? 5000;
    this.epoch = o.epoch ?? DEFAULT_EPOCH;
  }

  private pkt(fromClient: boolean, t: string, flags: string, seq: number, ack: number, win: number, len: number, x: PktExtra): this {
    const [src, dst, sp, dp, isn, pisn] = fromClient
      ? [this.client, this.server, this.cport, this.sport, this.cisn, this.sisn]
      : [this.server, this.client, this.sport, this.cport, this.sisn, this.cisn];
    const f = tcpFlags(flags);
    const rawAck = x.rawAck ?? (f & 0x10 ? (pisn + ack) >>> 0 : 0);
    const data = tcpFrame(
      { src, dst, sport: sp, dport: dp, seq: x.rawSeq ?? (isn + seq) >>> 0, ack: rawAck, flags: f, win, len, payload: x.payload, options: x.options, urg: x.urg },
      x.linkType,
      { ttl: x.ttl, id: x.ipId },
    );
    this.out.push({ ts: this.epoch + ns(t), data });
    return this;
  }

  /** Client → server. */
  c(t: string, flags: string, seq: number, ack: number, win: number, len = 0, x: PktExtra = {}): this {
    return this.pkt(true, t, flags, seq, ack, win, len, x);
  }

  /** Server → client. */
  s(t: string, flags: string, seq: number, ack: number, win: number, len = 0, x: PktExtra = {}): this {
    return this.pkt(false, t, flags, seq, ack, win, len, x);
  }
}

/**
 * A short Ethernet/IPv4 TCP conversation, 192.0.2.1:40000 ↔ 198.51.100.2:80, 1 ms apart:
 * handshake, `payloadText` both ways with a retransmission of the client's, FIN both ways.
 */
export function conversation(payloadText = 'hello'): Record_[] {
  const p = utf8(payloadText);
  const n = p.length;
  const out: Record_[] = [];
  const x = { payload: p };
  new Conn(out, { client: '192.0.2.1', server: '198.51.100.2', cport: 40000, sport: 80 })
    .c('0.000', 'S', 0, 0, 64240)
    .s('0.001', 'SA', 0, 1, 64240)
    .c('0.002', 'A', 1, 1, 64240)
    .c('0.003', 'PA', 1, 1, 64240, n, x)
    .c('0.004', 'PA', 1, 1, 64240, n, x)
    .s('0.005', 'PA', 1, 1 + n, 64240, n, x)
    .c('0.006', 'FA', 1 + n, 1 + n, 64240)
    .s('0.007', 'FA', 1 + n, 2 + n, 64240);
  return out;
}

// ---------------------------------------------------------------- layout: where each record is, read without the readers

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

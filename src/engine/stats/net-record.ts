/**
 * The load's side record of the network layers: what the Conversations/Endpoints tables of
 * Ethernet, IPv4, IPv6 and UDP (and the packet list's Source/Destination of frames outside TCP
 * conversations) need of each frame, gathered while the load has the bytes at hand, so that
 * neither reads the file again afterwards.
 *
 *   - A frame the load's fast decoder took (Ethernet → IPv4/IPv6 → TCP, always a tracked TCP
 *     frame: X_FAST) taps one Ethernet and one IP header: its IP addresses are its conversation's
 *     (stream + direction), its MAC addresses those of the first such frame of the same stream
 *     and direction (kept on the analyzer's `Flow`: `mac0`…`mac2`). Only a frame whose MACs
 *     differ from its flow's gets an entry in the log (its Ethernet header).
 *   - Every other frame is decoded in full by the load: `Decoder.trace` hands this record the
 *     headers that decode walks through, as it hands them to the statistics pass (collect.ts),
 *     and the log keeps the bytes the tables read (Ethernet 12, or none when they are the
 *     previous Ethernet header's; IPv4 8, IPv6 32, UDP 4), as well as the frame's
 *     Source/Destination bytes for the sort (fields/address-ref.ts; none when they are the
 *     frame's first IP header's). A UDP datagram over IPv4 costs 22 bytes (34 when its MAC
 *     addresses are not the previous logged frame's).
 *
 * The log is one growing byte array in frame order: per frame that has something, a 6-byte head
 * (frame number u32, length of its events u16) then its events (a kind byte, then the bytes).
 * A TCP-only capture on one Ethernet pair logs nothing: its cost is the flows' MACs.
 */
import { TCP_ICMP } from '../decode/packet';
import type { Conversation, Flow } from '../tcp/state';
import type { DecodeTrace } from '../decode/decoder';
import { ADDR_IP4, ADDR_IP6, addressBytes, addressText } from '../fields/address-ref';

export const EV_ETH = 1; // 12 bytes: destination, source (as in the frame)
export const EV_IP4 = 4; // 8 bytes: source, destination
export const EV_IP6 = 6; // 32 bytes: source, destination
export const EV_UDP = 17; // 4 bytes: source port, destination port
export const EV_ETH_SAME = 2; // no bytes: the same 12 bytes as the log's previous EV_ETH (one MAC pair, most frames)
export const EV_ADDR_IP = 3; // no bytes: the Source/Destination are the entry's first EV_IP4/EV_IP6 addresses
/**
 * The frame's Source/Destination columns (frames outside TCP conversations): EV_ADDR (0x80) |
 * the pair's kind of fields/address-ref.ts (6 bits), then its bytes (addressBytes).
 */
export const EV_ADDR = 0x80;

/** Bytes after the kind byte of each event kind. */
export function eventSize(kind: number): number {
  switch (kind) {
    case EV_ETH:
      return 12;
    case EV_IP4:
      return 8;
    case EV_IP6:
      return 32;
    case EV_UDP:
      return 4;
    default:
      return kind & EV_ADDR ? addressBytes(kind & ~EV_ADDR) : 0;
  }
}

const HEAD = 6;
/** Address pair kinds (fields/address-ref.ts) of an IPv4 and an IPv6 header. */
const PAIR4 = ADDR_IP4 | (ADDR_IP4 << 3);
const PAIR6 = ADDR_IP6 | (ADDR_IP6 << 3);

export class NetRecord implements DecodeTrace {
  /** The log (see above): bytes [0, len). */
  log = new Uint8Array(0);
  len = 0;
  /** The frame being decoded (set by the load before a full decode). */
  frame = 0;
  /** Where the bytes of the log's last EV_ETH are (−1: none yet). */
  private lastEth = -1;
  /** Where the current frame's entry starts in the log (−1: none yet). */
  private head = -1;
  private headFrame = 0;

  /** Retained bytes (the benchmark's bytes per frame). */
  get bytes(): number {
    return this.log.byteLength;
  }

  /** `convs`: the analyzer's conversations (their flows keep their fast frames' MAC addresses). */
  constructor(private readonly convs: readonly Conversation[] = []) {}

  /** Room for `k` more bytes of frame `this.frame`'s entry; returns where they go. */
  private put(kind: number, k: number): number {
    if (this.headFrame !== this.frame || this.head < 0) {
      this.room(HEAD);
      this.head = this.len;
      this.headFrame = this.frame;
      const f = this.frame;
      const l = this.log;
      l[this.len] = f;
      l[this.len + 1] = f >>> 8;
      l[this.len + 2] = f >>> 16;
      l[this.len + 3] = f >>> 24;
      l[this.len + 4] = 0;
      l[this.len + 5] = 0;
      this.len += HEAD;
    }
    this.room(1 + k);
    const at = this.len;
    this.log[at] = kind;
    this.len += 1 + k;
    const body = this.len - this.head - HEAD;
    this.log[this.head + 4] = body;
    this.log[this.head + 5] = body >>> 8;
    return at + 1;
  }

  private room(k: number): void {
    if (this.len + k <= this.log.length) return;
    const b = new Uint8Array(Math.max(4096, this.log.length * 2, this.len + k));
    b.set(this.log.subarray(0, this.len));
    this.log = b;
  }

  private copy(kind: number, b: ArrayLike<number>, o: number, k: number): void {
    const at = this.put(kind, k);
    const l = this.log;
    for (let i = 0; i < k; i++) l[at + i] = b[o + i];
  }

  /** An Ethernet header's addresses: EV_ETH, or EV_ETH_SAME when they are the previous one's. */
  private ethEvent(b: Uint8Array, o: number): void {
    const l = this.log;
    const e = this.lastEth;
    if (e >= 0) {
      let i = 0;
      while (i < 12 && l[e + i] === b[o + i]) i++;
      if (i === 12) {
        this.put(EV_ETH_SAME, 0);
        return;
      }
    }
    this.copy(EV_ETH, b, o, 12);
    this.lastEth = this.len - 12;
  }

  // ---- DecodeTrace (frames the load decodes in full) ----
  eth(b: Uint8Array, o: number): void {
    this.ethEvent(b, o);
  }

  ip(b: Uint8Array, o: number, v6: boolean, ctx: number): void {
    if (ctx === TCP_ICMP) return;
    if (v6) this.copy(EV_IP6, b, o + 8, 32);
    else this.copy(EV_IP4, b, o + 12, 8);
  }

  udp(b: Uint8Array, o: number, ctx: number): void {
    if (ctx !== TCP_ICMP) this.copy(EV_UDP, b, o, 4);
  }

  /** A frame's Source/Destination (kind EV_ADDR | address kind), `k` bytes at b[o…). */
  address(frame: number, kind: number, b: ArrayLike<number>, o: number, k: number): void {
    this.frame = frame;
    const ip = this.headFrame === frame && this.head >= 0 ? this.firstIp(this.head + HEAD, this.len) : -1;
    if (ip >= 0 && kind === EV_ADDR + (this.log[ip] === EV_IP4 ? PAIR4 : PAIR6)) {
      const l = this.log;
      let i = 0;
      while (i < k && l[ip + 1 + i] === b[o + i]) i++;
      if (i === k) {
        this.put(EV_ADDR_IP, 0);
        return;
      }
    }
    this.copy(kind, b, o, k);
  }

  /** The first EV_IP4/EV_IP6 event in log[at, end), or −1. */
  private firstIp(at: number, end: number): number {
    const l = this.log;
    for (let q = at; q < end; q += 1 + eventSize(l[q])) if (l[q] === EV_IP4 || l[q] === EV_IP6) return q;
    return -1;
  }

  /**
   * A frame of the load's fast path (tracked TCP) sent by flow `F`: its Ethernet addresses at
   * b[off, off+12) (`dv` a view of `b`) are logged only when they differ from those of its flow's
   * first fast frame (kept on the flow).
   */
  fastFrame(frame: number, b: Uint8Array, dv: DataView, off: number, F: Flow): void {
    const w0 = dv.getInt32(off);
    const w1 = dv.getInt32(off + 4);
    const w2 = dv.getInt32(off + 8);
    if (w0 === F.mac0 && w1 === F.mac1 && w2 === F.mac2 && F.macSet) return;
    if (!F.macSet) {
      F.macSet = true;
      F.mac0 = w0;
      F.mac1 = w1;
      F.mac2 = w2;
      return;
    }
    this.frame = frame;
    this.ethEvent(b, off);
  }

  /** The MAC addresses (destination, source: 12 bytes into `out` at `o`) of a flow's fast frames; false if it has none. */
  flowEth(flow: number, out: Uint8Array, o: number): boolean {
    const c = this.convs[flow >> 1];
    const F = c === undefined ? undefined : c.flow(flow & 1);
    if (F === undefined || !F.macSet) return false;
    for (let w = 0; w < 3; w++) {
      const v = w === 0 ? F.mac0 : w === 1 ? F.mac1 : F.mac2;
      out[o + 4 * w] = v >>> 24;
      out[o + 4 * w + 1] = (v >>> 16) & 255;
      out[o + 4 * w + 2] = (v >>> 8) & 255;
      out[o + 4 * w + 3] = v & 255;
    }
    return true;
  }

  /**
   * The Source (or Destination) column of every frame outside TCP conversations, in frame
   * order: `fn(frame, text)`. A text is made once per distinct IPv4 address.
   */
  eachAddress(destination: boolean, fn: (frame: number, text: string) => void): void {
    const l = this.log;
    const ip4 = new Map<number, string>();
    this.entries((f, at, end) => {
      for (let q = at; q < end; q += 1 + eventSize(l[q])) {
        let k = l[q];
        let src = q;
        if (k === EV_ADDR_IP) {
          // The entry's first IP event's addresses (same layout: source then destination).
          src = this.firstIp(at, end);
          k = EV_ADDR + (l[src] === EV_IP4 ? PAIR4 : PAIR6);
        } else if (!(k & EV_ADDR)) continue;
        const kind = k & ~EV_ADDR;
        if (kind === PAIR4) {
          const o = src + 1 + (destination ? 4 : 0);
          const key = ((l[o] << 24) | (l[o + 1] << 16) | (l[o + 2] << 8) | l[o + 3]) >>> 0;
          let s = ip4.get(key);
          if (s === undefined) ip4.set(key, (s = addressText(kind, l, src + 1, destination)));
          fn(f, s);
        } else fn(f, addressText(kind, l, src + 1, destination));
      }
    });
  }

  /** Release the spare room once the load is over. */
  trim(): void {
    if (this.log.length > this.len) this.log = this.log.slice(0, this.len);
  }

  /**
   * Walk the entries in frame order: `fn(frame, at, end)` with the entry's events in log[at, end).
   */
  entries(fn: (frame: number, at: number, end: number) => void): void {
    const l = this.log;
    for (let p = 0; p < this.len; ) {
      const f = (l[p] | (l[p + 1] << 8) | (l[p + 2] << 16) | (l[p + 3] << 24)) >>> 0;
      const body = l[p + 4] | (l[p + 5] << 8);
      fn(f, p + HEAD, p + HEAD + body);
      p += HEAD + body;
    }
  }
}

/**
 * Frame decoder: link layer → IPv4/IPv6 (with extension headers, fragment reassembly and
 * tunnels) → TCP. It fills a reusable Packet; it never throws on short or malformed bytes
 * (every read is bounds-checked against the captured length) and allocates nothing per frame.
 *
 *   decode ─▶ link layer (link/registry) ─▶ ethertype ─▶ ipv4 / ipv6 ─▶ ip payload (proto)
 *             (Ethernet, SLL, PPP, FR, …)    │  (VLAN,       │             ├─ TCP
 *                                            │   encap/      └─ Defragmenter ├─ UDP → ports (encap/)
 *                                            │   registry)                   ├─ GRE, IP-in-IP
 *                                            └─ MPLS, MACsec, NSH, …         └─ ICMP errors → quoted IP/TCP
 *
 * What tshark shows is the rule (docs/notes/decoding.md lists the surprising ones): fields
 * appear one by one as long as their bytes were captured, and a header that is bogus stops
 * the dissection at the field that proves it.
 */
import { type Packet, MAX_IP_HEADERS, MAX_LAYERS, TCP_FRAGMENT, TCP_ICMP, TCP_NORMAL } from './packet';
import { Defragmenter } from './defrag';
import type { LayerFn } from './layer';
import { LINK_LAYERS } from './link/registry';
import { ENCAPSULATIONS } from './encap/registry';
import { LINKTYPE } from './link/types';

export { LINKTYPE } from './link/types';

/** Link-type names as tshark's capinfos shows them (used in messages and the detail tree). */
export const LINKTYPE_NAMES: Record<number, string> = {};
const LINK_TABLE: (LayerFn | undefined)[] = [];
const PSEUDO_HEADER: Record<number, number> = {};
for (const l of LINK_LAYERS) {
  for (const t of l.linkTypes) {
    LINK_TABLE[t] = l.decode;
    LINKTYPE_NAMES[t] = l.name;
    if (l.pseudoHeader) PSEUDO_HEADER[t] = l.pseudoHeader;
  }
}

/** Bytes of a link type's pseudo-header that tshark does not count in frame.len / frame.cap_len. */
export function pseudoHeaderLen(linkType: number): number {
  return PSEUDO_HEADER[linkType] ?? 0;
}
const ETHERTYPES = new Map<number, LayerFn>();
const UDP_PORTS = new Map<number, LayerFn>();
for (const e of ENCAPSULATIONS) {
  for (const t of e.ethertypes ?? []) ETHERTYPES.set(t, e.decode);
  for (const port of e.udpPorts ?? []) UDP_PORTS.set(port, e.decode);
}

/** Whether a UDP datagram between these ports is decoded further (an encapsulation on a port), as udp() chooses. */
export function udpPortDecoded(sp: number, dp: number): boolean {
  const lo = sp < dp ? sp : dp;
  const hi = sp < dp ? dp : sp;
  return UDP_PORTS.has(lo) || ((lo >= 1024 || lo === 0) && UDP_PORTS.has(hi));
}

/** Nesting limit for layers (tunnels in tunnels): bounds the work on hostile input. */
const MAX_DEPTH = 24;

const EMPTY_BUF = new Uint8Array(0);

/**
 * Optional observer of the headers a full decode walks through (statistics: conversations and
 * endpoints need every Ethernet, IP and UDP header, which the Packet does not keep). Called in
 * dissection order; `ctx` is the TCP context at that point (TCP_ICMP inside an ICMP error).
 * The load's fast path never calls it.
 */
export interface DecodeTrace {
  /** A whole Ethernet header at buf[o, o+14). */
  eth(buf: Uint8Array, o: number): void;
  /** An IPv4 (20 bytes at least) or IPv6 (40 bytes) header at buf[o…), fully captured. */
  ip(buf: Uint8Array, o: number, v6: boolean, ctx: number): void;
  /** A UDP header (8 bytes) at buf[o…). */
  udp(buf: Uint8Array, o: number, ctx: number): void;
}

export class Decoder {
  readonly defrag = new Defragmenter();
  /** Set by a statistics pass: sees every header decode() walks through (not decodeTcpFast). */
  trace: DecodeTrace | undefined;
  /** Set by decodeTcpFast: the Ethernet frame goes on past the IP packet (decode/past-ip.ts). */
  fastPastIp = false;
  /** Decoding a frame seen before (second pass, rows, details): reassembly only looks up results. */
  set replay(v: boolean) {
    this.defrag.replay = v;
  }
  /** The packet being filled. */
  p!: Packet;
  /** Bytes being decoded: the frame, or a reassembled datagram while decoding its payload. */
  buf!: Uint8Array;
  /** Whether `buf` is the frame itself. */
  inFrame = true;
  /** The current TCP context: set while decoding ICMP-quoted or sFlow-sampled headers. */
  ctx = TCP_NORMAL;
  private frame = 0;
  private depth = 0;
  /** A DataView over `buf` (made again when `buf` changes: per reader chunk, not per frame). */
  private dv: DataView<ArrayBufferLike> = new DataView(EMPTY_BUF.buffer);
  private dvBuf: Uint8Array = EMPTY_BUF;

  /** A DataView over `buf`, made again only when `buf` changes (per reader chunk): for the load's other readers of the frame. */
  view(buf: Uint8Array): DataView {
    if (buf !== this.dvBuf) {
      this.dvBuf = buf;
      this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.dv;
  }

  /** Drop the references to the last frame's buffer (a reader chunk that would otherwise stay alive). */
  forget(): void {
    this.buf = EMPTY_BUF;
    this.view(EMPTY_BUF);
    if (this.p) this.p.forget();
  }

  /**
   * Decode one frame. `off`/`capLen` delimit the captured bytes in `buf`, `origLen` is the
   * length on the wire.
   */
  decode(p: Packet, buf: Uint8Array, off: number, capLen: number, origLen: number, linkType: number, frame: number): void {
    this.begin(p, buf, frame);
    const end = off + capLen;
    // Reported (wire) end: used for length fields; captured end bounds every read. A wire
    // length below the captured one is bogus: tshark then uses the captured length.
    this.link(linkType, off, end, off + Math.max(origLen, capLen));
  }

  /**
   * The common case on its own short path: Ethernet → IPv4 (unfragmented) or IPv6 (no
   * extension headers) → TCP with a whole 20-byte header. Fills exactly what `decode()` fills
   * for TCP analysis (addresses, TTL, the TCP fields) and leaves the rest of the Packet (the
   * per-header lists, Protocol and Info the projection reads) as it was: it is for loading only.
   * Returns false, having changed nothing, when the frame is anything else: then call `decode()`.
   */
  decodeTcpFast(p: Packet, buf: Uint8Array, off: number, capLen: number, origLen: number, linkType: number): boolean {
    if (linkType !== LINKTYPE.ETHERNET || capLen < 54) return false;
    const end = off + capLen;
    const rend = off + (origLen > capLen ? origLen : capLen);
    const type = (buf[off + 12] << 8) | buf[off + 13];
    const o = off + 14;
    const dv = this.view(buf);
    let tcpOff: number, capEnd: number, ipEnd: number;
    if (type === 0x0800) {
      const ihl = (buf[o] & 0x0f) * 4;
      const totLen = (buf[o + 2] << 8) | buf[o + 3];
      // Version 4, a real header length and total length, not a fragment, protocol TCP.
      if (buf[o] >> 4 !== 4 || ihl < 20 || totLen < ihl || ((buf[o + 6] & 0x3f) | buf[o + 7]) !== 0 || buf[o + 9] !== 6) return false;
      ipEnd = o + Math.min(totLen, rend - o);
      capEnd = Math.min(end, ipEnd);
      tcpOff = o + ihl;
      if (capEnd - tcpOff < 20 || buf[tcpOff + 12] < 0x50) return false;
      // setIp4 without its checks (the frame has one IP header).
      if (p.family !== 4) this.family4(p);
      p.src[0] = dv.getUint32(o + 12);
      p.dst[0] = dv.getUint32(o + 16);
      p.ttl = buf[o + 8];
      p.ipId = (buf[o + 4] << 8) | buf[o + 5];
    } else if (type === 0x86dd) {
      if (buf[o] >> 4 !== 6 || buf[o + 6] !== 6 || capLen < 14 + 40 + 20) return false;
      const plen = (buf[o + 4] << 8) | buf[o + 5];
      tcpOff = o + 40;
      ipEnd = tcpOff + Math.max(0, Math.min(plen, rend - tcpOff));
      capEnd = Math.min(end, ipEnd);
      if (capEnd - tcpOff < 20 || buf[tcpOff + 12] < 0x50) return false;
      this.beginFast(p, buf);
      this.setIp6(o, buf[o + 7]);
    } else return false;
    this.fastPastIp = ipEnd < end;
    // The TCP header, as tcp() reads it (a whole 20-byte header in the frame, a data offset of
    // 5 or more): without the layer log, Protocol and Info, which only the projection reads.
    const q = tcpOff;
    p.hasTcp = true;
    p.tcpCtx = TCP_NORMAL;
    p.tcpQuoted = false;
    p.tcpBuf = buf;
    p.tcpOff = q;
    p.tcpAvail = capEnd - q;
    p.tcpFrameOff = q;
    p.srcPort = (buf[q] << 8) | buf[q + 1];
    p.dstPort = (buf[q + 2] << 8) | buf[q + 3];
    p.seq = dv.getUint32(q + 4);
    p.ack = dv.getUint32(q + 8);
    p.tcpFull = true;
    const hdrLen = (buf[q + 12] >> 4) * 4;
    p.hdrLen = hdrLen;
    p.flags = ((buf[q + 12] & 0x0f) << 8) | buf[q + 13];
    p.window = (buf[q + 14] << 8) | buf[q + 15];
    p.urgent = (buf[q + 18] << 8) | buf[q + 19];
    const reported = ipEnd - q;
    p.tcpReported = reported;
    p.segLen = reported < hdrLen ? -1 : reported - hdrLen;
    return true;
  }

  /** decodeTcpFast's start: no reset of the fields only the projection reads (they are left as they were). */
  private beginFast(p: Packet, buf: Uint8Array): void {
    p.hasTcp = false;
    this.p = p;
    this.buf = buf;
    this.inFrame = true;
    this.ctx = TCP_NORMAL;
  }

  private begin(p: Packet, buf: Uint8Array, frame: number): void {
    p.reset();
    this.beginFast(p, buf);
    this.frame = frame;
    this.depth = 0;
  }

  /** Decode `buf[o, end)` as a frame of link type `linkType`. */
  link(linkType: number, o: number, end: number, rend: number): void {
    if (linkType === LINKTYPE.ETHERNET) return this.ethernet(o, end, rend);
    const fn = LINK_TABLE[linkType];
    if (fn === undefined || ++this.depth > MAX_DEPTH) return this.note('', 'Link type not decoded');
    fn(this, o, end, rend);
  }

  /**
   * Log a protocol layer: header buf[o, hdrEnd), captured bytes up to `end`, reported (wire)
   * bytes up to `rend` (see Packet.layerNames).
   */
  layer(name: string, o: number, hdrEnd: number, end: number, rend = end): void {
    const p = this.p;
    const n = p.layerCount;
    if (n >= MAX_LAYERS) return;
    p.layerNames[n] = name;
    p.layerBufs[n] = this.buf;
    p.layerOffs[n] = o;
    p.layerHdrEnds[n] = Math.min(hdrEnd, end);
    p.layerEnds[n] = end;
    p.layerRends[n] = rend;
    p.layerCtx[n] = this.ctx;
    p.layerCount = n + 1;
  }

  /** Record the protocol name and (if none yet) the Info text. */
  note(proto: string, note: string): void {
    if (proto) this.p.proto = proto;
    if (!this.p.note) this.p.note = note;
  }

  // ---- Ethernet and ethertypes ----

  ethernet(o: number, end: number, rend: number): void {
    const b = this.buf;
    if (end - o < 14) return this.note('Ethernet', 'Malformed Ethernet frame');
    this.layer('eth', o, o + 14, end);
    this.p.proto = 'Ethernet';
    this.trace?.eth(b, o);
    const type = (b[o + 12] << 8) | b[o + 13];
    if (type <= 1500) {
      // IEEE 802.3: the length field bounds the LLC payload.
      const e = Math.min(end, o + 14 + type);
      return this.llc(o + 14, e, Math.min(rend, o + 14 + type));
    }
    this.ethertype(type, o + 14, end, rend);
  }

  /** IEEE 802.2 LLC; SNAP carries an ethertype. */
  llc(o: number, end: number, rend: number): void {
    const b = this.buf;
    if (end - o < 3) return this.note('LLC', 'IEEE 802.3 frame');
    if (b[o] === 0xaa && b[o + 1] === 0xaa && (b[o + 2] & 0xef) === 0x03) {
      if (end - o < 8) return this.note('LLC', 'Malformed SNAP header');
      // Only the encapsulated-ethertype OUIs carry an ethertype (00-00-00, 00-00-F8).
      if (b[o + 3] === 0 && b[o + 4] === 0 && (b[o + 5] === 0 || b[o + 5] === 0xf8)) {
        return this.ethertype((b[o + 6] << 8) | b[o + 7], o + 8, end, rend);
      }
    }
    return this.note('LLC', 'Logical-Link Control');
  }

  ethertype(type: number, o: number, end: number, rend: number): void {
    this.layer('ethertype', o, o, end);
    if (type === 0x0800) return this.ipv4(o, end, rend);
    if (type === 0x86dd) return this.ipv6(o, end, rend);
    const b = this.buf;
    if (++this.depth > MAX_DEPTH) return;
    if (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
      if (end - o < 4) return this.note('VLAN', 'Malformed 802.1Q tag');
      this.layer(type === 0x88a8 ? 'ieee8021ad' : 'vlan', o, o + 4, end);
      this.p.proto = 'VLAN';
      const inner = (b[o + 2] << 8) | b[o + 3];
      // A length instead of a type: 802.3 + LLC inside the tag.
      if (inner <= 1500) return this.llc(o + 4, Math.min(end, o + 4 + inner), Math.min(rend, o + 4 + inner));
      return this.ethertype(inner, o + 4, end, rend);
    }
    if (type === 0x0806) {
      this.layer('arp', o, Math.min(end, o + 28), end);
      return this.note('ARP', 'ARP');
    }
    const fn = ETHERTYPES.get(type);
    if (fn !== undefined) return fn(this, o, end, rend);
    return this.note('', 'Ethertype not decoded');
  }

  /** MPLS label stack, then IPv4/IPv6 guessed from the first nibble as tshark does. */
  mpls(o: number, end: number, rend: number): void {
    const b = this.buf;
    this.p.proto = 'MPLS';
    for (;;) {
      if (end - o < 4) return this.note('MPLS', 'Malformed MPLS header');
      const bos = b[o + 2] & 1;
      o += 4;
      if (bos) break;
    }
    if (end - o < 1) return;
    const v = b[o] >> 4;
    if (v === 4) return this.ipv4(o, end, rend);
    if (v === 6) return this.ipv6(o, end, rend);
  }

  /** Raw IP: the version nibble picks IPv4 or IPv6. */
  rawIp(o: number, end: number, rend: number): void {
    if (end - o < 1) return this.note('Raw', 'Empty raw IP packet');
    const v = this.buf[o] >> 4;
    if (v === 4) return this.ipv4(o, end, rend);
    if (v === 6) return this.ipv6(o, end, rend);
    return this.note('Raw', 'Raw packet data');
  }

  // ---- IPv4 ----

  ipv4(o: number, end: number, rend: number): void {
    const b = this.buf;
    const p = this.p;
    if (end - o < 1) return this.note('IPv4', 'Truncated IPv4 header');
    const ver = b[o] >> 4;
    // tshark's IPv4 dissector hands a version-6 header to IPv6.
    if (ver === 6) return this.ipv6(o, end, rend);
    p.proto = 'IPv4';
    const ihl = (b[o] & 0x0f) * 4;
    if (ver !== 4 || ihl < 20) return this.note('IPv4', 'Bogus IPv4 header');
    if (end - o < 4) return this.note('IPv4', 'Truncated IPv4 header');
    let totLen = (b[o + 2] << 8) | b[o + 3];
    const reported = rend - o;
    if (totLen === 0) totLen = reported; // TSO: length left zero by the sending host
    if (totLen < ihl) return this.note('IPv4', 'Bogus IPv4 total length');
    this.layer('ip', o, o + ihl, Math.min(end, o + Math.min(totLen, rend - o)), o + Math.min(totLen, rend - o));
    this.addIp4(o, end);
    if (end - o < ihl) return this.note('IPv4', 'Truncated IPv4 header');
    this.trace?.ip(b, o, false, this.ctx);
    const ipEnd = Math.min(totLen, reported);
    const proto = b[o + 9];
    const fragField = (b[o + 6] << 8) | b[o + 7];
    const mf = (fragField & 0x2000) !== 0;
    const fragOff = (fragField & 0x1fff) * 8;
    const src = ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0;
    const dst = ((b[o + 16] << 24) | (b[o + 17] << 16) | (b[o + 18] << 8) | b[o + 19]) >>> 0;
    const ttl = b[o + 8];
    const ipId = (b[o + 4] << 8) | b[o + 5];
    const capEnd = Math.min(end, o + ipEnd);
    if (mf || fragOff > 0) {
      // Reassembly takes part only when the fragment's bytes were captured in full (and the
      // total length fits in the frame); otherwise a first fragment is dissected as it is.
      if (totLen <= reported && capEnd >= o + totLen && this.ctx !== TCP_ICMP) {
        const id = (b[o + 4] << 8) | b[o + 5];
        const whole = this.defrag.add4(this.frame, src, dst, id, proto, fragOff, mf, b, o + ihl, capEnd, o + ipEnd);
        if (!whole) return this.note('IPv4', 'Fragmented IP protocol');
        this.setIp4(src, dst, ttl, ipId);
        return this.reassembled(proto, whole);
      }
      if (fragOff > 0) return this.note('IPv4', 'Fragmented IP protocol');
      this.setIp4(src, dst, ttl, ipId);
      const saved = this.ctx;
      if (this.ctx === TCP_NORMAL) this.ctx = TCP_FRAGMENT;
      this.payload(proto, o + ihl, capEnd, o + ipEnd);
      this.ctx = saved;
      return;
    }
    this.setIp4(src, dst, ttl, ipId);
    this.payload(proto, o + ihl, capEnd, o + ipEnd);
  }

  private addIp4(o: number, end: number): void {
    const p = this.p;
    const n = p.ip4Count;
    if (n >= MAX_IP_HEADERS) return;
    p.ip4Bufs[n] = this.buf;
    p.ip4Offs[n] = o;
    p.ip4Lens[n] = Math.min(end - o, 20);
    p.ip4Count = n + 1;
    if (n === 0 && this.inFrame) p.ip4Off = o;
  }

  private setIp4(src: number, dst: number, ttl: number, ipId: number): void {
    const p = this.p;
    if (p.hasTcp) return;
    if (p.family !== 4) this.family4(p);
    p.src[0] = src;
    p.dst[0] = dst;
    p.ttl = ttl;
    p.ipId = ipId;
  }

  // ---- IPv6 ----

  ipv6(o: number, end: number, rend: number): void {
    const b = this.buf;
    const p = this.p;
    if (end - o < 1 || b[o] >> 4 !== 6) return this.note('IPv6', 'Bogus IPv6 header');
    p.proto = 'IPv6';
    this.layer('ipv6', o, o + 40, end);
    this.addIp6(o, end);
    if (end - o < 40) return this.note('IPv6', 'Truncated IPv6 header');
    const plen = (b[o + 4] << 8) | b[o + 5];
    const reported = rend - o - 40;
    let next = b[o + 6];
    const hop = b[o + 7];
    let q = o + 40;
    // A zero payload length is only a jumbogram with a Hop-by-Hop Jumbo Payload option.
    let payLen = plen;
    if (plen === 0 && next === 0) payLen = reported;
    const payEnd = o + 40 + Math.max(0, Math.min(payLen, reported));
    const capEnd = Math.min(end, payEnd);
    // Extension headers
    for (let i = 0; i < 16; i++) {
      // Mobility (135) is not skipped: tshark dissects it as MIPv6 and stops there.
      if (next === 0 || next === 43 || next === 60 || next === 139 || next === 140) {
        if (capEnd - q < 8) return this.note('IPv6', 'Truncated IPv6 extension header');
        const nn = b[q];
        this.layer(next === 0 ? 'ipv6.hopopts' : next === 43 ? 'ipv6.routing' : next === 60 ? 'ipv6.dstopts' : 'ipv6.shim6', q, q + (b[q + 1] + 1) * 8, capEnd);
        q += (b[q + 1] + 1) * 8;
        next = nn;
      } else if (next === 51) {
        if (capEnd - q < 8) return this.note('IPv6', 'Truncated AH header');
        const nn = b[q];
        q += (b[q + 1] + 2) * 4;
        next = nn;
      } else if (next === 44) {
        if (capEnd - q < 8) return this.note('IPv6', 'Truncated fragment header');
        this.layer('ipv6.fraghdr', q, q + 8, capEnd);
        const nn = b[q];
        const fo = ((b[q + 2] << 8) | b[q + 3]) & 0xfff8;
        const mf = (b[q + 3] & 1) !== 0;
        const id = ((b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]) >>> 0;
        q += 8;
        if (mf || fo > 0) {
          if (capEnd < payEnd || plen > reported || this.ctx === TCP_ICMP) {
            if (fo > 0) return this.note('IPv6', 'IPv6 fragment');
            this.trace?.ip(b, o, true, this.ctx);
            this.setIp6(o, hop);
            const saved = this.ctx;
            if (this.ctx === TCP_NORMAL) this.ctx = TCP_FRAGMENT;
            this.payload(nn, q, capEnd, payEnd);
            this.ctx = saved;
            return;
          }
          const whole = this.defrag.add6(this.frame, b, o, id, nn, fo, mf, q, capEnd, payEnd);
          if (!whole) return this.note('IPv6', 'IPv6 fragment');
          this.trace?.ip(b, o, true, this.ctx);
          this.setIp6(o, hop);
          return this.reassembled(nn, whole);
        }
        next = nn;
      } else break;
      if (q > payEnd) return this.note('IPv6', 'Bogus IPv6 extension header length');
    }
    this.trace?.ip(b, o, true, this.ctx);
    this.setIp6(o, hop);
    this.payload(next, q, capEnd, payEnd);
  }

  private addIp6(o: number, end: number): void {
    const p = this.p;
    const n = p.ip6Count;
    if (n >= MAX_IP_HEADERS) return;
    p.ip6Bufs[n] = this.buf;
    p.ip6Offs[n] = o;
    p.ip6Lens[n] = Math.min(end - o, 40);
    p.ip6Count = n + 1;
    if (n === 0 && this.inFrame) p.ip6Off = o;
  }

  /** IPv4 addresses use word 0 only: words 1–3 are zero whenever `family` is 4 (set here, kept by setIp4). */
  private family4(p: Packet): void {
    p.family = 4;
    p.src[1] = p.src[2] = p.src[3] = 0;
    p.dst[1] = p.dst[2] = p.dst[3] = 0;
  }

  private setIp6(o: number, hop: number): void {
    const p = this.p;
    if (p.hasTcp) return;
    const b = this.buf;
    p.family = 6;
    for (let i = 0; i < 4; i++) {
      const s = o + 8 + i * 4;
      const d = o + 24 + i * 4;
      p.src[i] = ((b[s] << 24) | (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3]) >>> 0;
      p.dst[i] = ((b[d] << 24) | (b[d + 1] << 16) | (b[d + 2] << 8) | b[d + 3]) >>> 0;
    }
    p.ttl = hop;
    p.ipId = -1;
  }

  // ---- IP payloads ----

  /** Decode a reassembled datagram's payload (its bytes live outside the frame). */
  private reassembled(proto: number, whole: Uint8Array): void {
    const saved = this.buf;
    const savedIn = this.inFrame;
    this.buf = whole;
    this.inFrame = false;
    this.payload(proto, 0, whole.length, whole.length);
    this.buf = saved;
    this.inFrame = savedIn;
  }

  /** IP payload of protocol `proto` in `buf[o, end)`; `rend` is its reported end. */
  payload(proto: number, o: number, end: number, rend: number): void {
    if (++this.depth > MAX_DEPTH) return;
    switch (proto) {
      case 6:
        return this.tcp(o, end, rend);
      case 17:
        return this.udp(o, end, rend);
      case 47:
        return this.gre(o, end, rend);
      case 4:
        return this.ipv4(o, end, rend);
      case 41:
        return this.ipv6(o, end, rend);
      case 1:
        return this.icmp(o, end, false);
      case 58:
        return this.icmp(o, end, true);
      case 2:
        this.layer('igmp', o, Math.min(end, o + 8), end);
        this.p.proto = 'IGMP';
        if (!this.p.note) this.p.note = 'IGMP';
        return;
      default:
        if (!this.p.note) this.p.note = 'IP protocol';
        return;
    }
  }

  private udp(o: number, end: number, rend: number): void {
    const b = this.buf;
    const p = this.p;
    p.proto = 'UDP';
    if (end - o < 8) return;
    this.layer('udp', o, o + 8, end, rend);
    const sp = (b[o] << 8) | b[o + 1];
    const dp = (b[o + 2] << 8) | b[o + 3];
    const ulen = (b[o + 4] << 8) | b[o + 5];
    if (p.udpBufOff < 0) {
      p.udpBuf = b;
      p.udpBufOff = o;
      p.udpOff = this.inFrame ? o : -1;
      p.udpSrc = sp;
      p.udpDst = dp;
      p.udpLen = ulen;
      p.udpEnd = ulen < 8 ? o + 8 : Math.max(o + 8, Math.min(end, rend, o + ulen));
      p.udpQuoted = this.ctx === TCP_ICMP;
    }
    this.trace?.udp(b, o, this.ctx);
    if (!p.note) p.note = 'UDP';
    // A length below the header's is bogus: tshark stops there.
    if (ulen < 8 || this.ctx === TCP_ICMP) return;
    const uend = Math.min(rend, o + ulen);
    // Like tshark, try the lower port first; a well-known lower port we don't decode wins.
    const lo = sp < dp ? sp : dp;
    const hi = sp < dp ? dp : sp;
    let fn = UDP_PORTS.get(lo);
    if (fn === undefined && (lo >= 1024 || lo === 0)) fn = UDP_PORTS.get(hi);
    if (fn !== undefined) fn(this, o + 8, Math.min(end, uend), uend);
  }

  /** GRE (RFC 2784/2890): flags, protocol type, optional checksum/key/sequence. */
  private gre(o: number, end: number, rend: number): void {
    const b = this.buf;
    if (end - o < 4) return;
    const fl = (b[o] << 8) | b[o + 1];
    const ptype = (b[o + 2] << 8) | b[o + 3];
    if (fl & 0x0007) return this.note('GRE', 'GRE (unsupported version)');
    let q = o + 4;
    if (fl & 0x8000) q += 4;
    if (fl & 0x2000) q += 4;
    if (fl & 0x1000) q += 4;
    this.p.proto = 'GRE';
    if (ptype === 0x6558) return this.ethernet(q, end, rend);
    return this.ethertype(ptype, q, end, rend);
  }

  private icmp(o: number, end: number, v6: boolean): void {
    const b = this.buf;
    const p = this.p;
    p.proto = v6 ? 'ICMPv6' : 'ICMP';
    if (end - o < 8) return;
    this.layer(v6 ? 'icmpv6' : 'icmp', o, end, end);
    const type = b[o];
    if (p.icmpType < 0) p.icmpType = type;
    if (!p.note) p.note = v6 ? 'ICMPv6' : 'ICMP';
    const isErr = v6 ? type >= 1 && type <= 4 : type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
    if (!isErr || this.ctx === TCP_ICMP) return;
    // The quoted packet: an IP header and the first bytes of its payload, dissected with
    // "in error packet" rules (no reassembly, no analysis).
    const q = o + 8;
    const saved = this.ctx;
    this.ctx = TCP_ICMP;
    if (v6) this.ipv6(q, end, end);
    else if (end - q >= 1 && b[q] >> 4 === 4) {
      // A Redirect quotes "the Internet header + 64 bits" (RFC 792): tshark dissects no more of it.
      const qend = type === 5 ? Math.min(end, q + (b[q] & 0x0f) * 4 + 8) : end;
      this.ipv4(q, qend, qend);
    }
    this.ctx = saved;
    p.proto = v6 ? 'ICMPv6' : 'ICMP';
  }

  // ---- TCP ----

  tcp(o: number, end: number, rend: number): void {
    const p = this.p;
    if (p.hasTcp) return;
    const buf = this.buf;
    const avail = end - o;
    if (avail < 4) return;
    const ctx = this.ctx;
    p.hasTcp = true;
    p.tcpCtx = ctx;
    p.tcpQuoted = ctx !== TCP_NORMAL;
    p.tcpBuf = buf;
    p.tcpOff = o;
    p.tcpAvail = avail;
    p.tcpFrameOff = this.inFrame ? o : -1;
    this.layer('tcp', o, avail >= 13 ? o + Math.max(20, (buf[o + 12] >> 4) * 4) : end, end);
    p.proto = 'TCP';
    p.srcPort = (buf[o] << 8) | buf[o + 1];
    p.dstPort = (buf[o + 2] << 8) | buf[o + 3];
    const dv = this.view(buf);
    p.seq = avail >= 8 ? dv.getUint32(o + 4) : 0;
    p.ack = avail >= 12 ? dv.getUint32(o + 8) : 0;
    if (avail < 16) {
      p.tcpFull = false;
      return;
    }
    p.tcpFull = true;
    p.hdrLen = (buf[o + 12] >> 4) * 4;
    p.flags = ((buf[o + 12] & 0x0f) << 8) | buf[o + 13];
    p.window = (buf[o + 14] << 8) | buf[o + 15];
    p.urgent = avail >= 20 ? (buf[o + 18] << 8) | buf[o + 19] : 0;
    const reported = rend - o;
    p.tcpReported = reported;
    p.segLen = ctx !== TCP_NORMAL || p.hdrLen < 20 || reported < p.hdrLen ? -1 : reported - p.hdrLen;
  }
}

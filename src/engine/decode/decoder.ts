/**
 * Frame decoder: link layer → IPv4/IPv6 (with extension headers, fragment reassembly and
 * tunnels) → TCP. It fills a reusable Packet; it never throws on short or malformed bytes
 * (every read is bounds-checked against the captured length).
 *
 *   decodeFrame ─▶ link(linkType) ─▶ ethertype(…) ─▶ ipv4 / ipv6 ─▶ ip payload(proto)
 *                                                         │             ├─ TCP
 *                                                         └─ Defragmenter ├─ UDP → VXLAN / Geneve
 *                                                                         ├─ GRE, IP-in-IP
 *                                                                         └─ ICMP errors → quoted TCP
 */
import { Packet } from './packet';
import { Defragmenter } from './defrag';

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_OPENBSD: 12,
  RAW_BSDOS: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  C_HDLC: 104,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** Link-type names as tshark's capinfos shows them (used in messages and the detail tree). */
export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'BSD loopback',
  1: 'Ethernet',
  9: 'PPP',
  12: 'Raw IP',
  14: 'Raw IP',
  50: 'PPP in HDLC-like framing',
  101: 'Raw IP',
  104: 'Cisco HDLC',
  108: 'OpenBSD loopback',
  113: 'Linux cooked-mode capture v1',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  276: 'Linux cooked-mode capture v2',
};

const MAX_DEPTH = 8;

export class Decoder {
  readonly defrag = new Defragmenter();
  /** Decoding a frame seen before (second pass, rows, details): reassembly only looks up results. */
  set replay(v: boolean) {
    this.defrag.replay = v;
  }
  private p!: Packet;
  private buf!: Uint8Array;
  private frame = 0;
  private depth = 0;

  /**
   * Decode one frame. `off`/`capLen` delimit the captured bytes in `buf`, `origLen` is the
   * length on the wire. `analysisPass` enables reassembly bookkeeping (first pass only).
   */
  decode(p: Packet, buf: Uint8Array, off: number, capLen: number, origLen: number, linkType: number, frame: number): void {
    p.reset();
    this.p = p;
    this.buf = buf;
    this.frame = frame;
    this.depth = 0;
    const end = off + capLen;
    // Reported (wire) end: used for length fields; captured end bounds every read.
    this.link(linkType, off, end, off + origLen);
  }

  private link(linkType: number, o: number, end: number, rend: number): void {
    const b = this.buf;
    switch (linkType) {
      case LINKTYPE.ETHERNET:
        if (end - o < 14) return this.setNote('Ethernet', 'Malformed Ethernet frame');
        this.p.proto = 'Ethernet';
        return this.ethertype(((b[o + 12] << 8) | b[o + 13]), o + 14, end, rend);
      case LINKTYPE.LINUX_SLL:
        if (end - o < 16) return this.setNote('SLL', 'Malformed Linux cooked header');
        this.p.proto = 'SLL';
        return this.ethertype((b[o + 14] << 8) | b[o + 15], o + 16, end, rend);
      case LINKTYPE.LINUX_SLL2:
        if (end - o < 20) return this.setNote('SLL', 'Malformed Linux cooked v2 header');
        this.p.proto = 'SLL';
        return this.ethertype((b[o] << 8) | b[o + 1], o + 20, end, rend);
      case LINKTYPE.NULL:
      case LINKTYPE.LOOP: {
        if (end - o < 4) return this.setNote('NULL', 'Malformed loopback header');
        let af: number;
        if (linkType === LINKTYPE.LOOP) af = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
        else {
          // Host byte order of the capturing machine: guess it as Wireshark does.
          const le = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
          af = le & 0xffff0000 ? ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0 : le;
        }
        this.p.proto = 'NULL';
        if (af === 2) return this.ipv4(o + 4, end, rend);
        if (af === 24 || af === 28 || af === 30 || af === 10 || af === 23 || af === 26) return this.ipv6(o + 4, end, rend);
        return this.setNote('NULL', `Unknown address family ${af}`);
      }
      case LINKTYPE.RAW:
      case LINKTYPE.RAW_OPENBSD:
      case LINKTYPE.RAW_BSDOS:
        return this.rawIp(o, end, rend);
      case LINKTYPE.IPV4:
        return this.ipv4(o, end, rend);
      case LINKTYPE.IPV6:
        return this.ipv6(o, end, rend);
      case LINKTYPE.PPP:
      case LINKTYPE.PPP_HDLC: {
        let q = o;
        if (end - q >= 2 && b[q] === 0xff && b[q + 1] === 0x03) q += 2;
        if (end - q < 2) return this.setNote('PPP', 'Malformed PPP frame');
        let proto = b[q];
        if (proto & 1) q += 1;
        else {
          proto = (b[q] << 8) | b[q + 1];
          q += 2;
        }
        this.p.proto = 'PPP';
        if (proto === 0x21) return this.ipv4(q, end, rend);
        if (proto === 0x57) return this.ipv6(q, end, rend);
        return this.setNote('PPP', `PPP protocol 0x${proto.toString(16).padStart(4, '0')}`);
      }
      case LINKTYPE.C_HDLC:
        if (end - o < 4) return this.setNote('CHDLC', 'Malformed Cisco HDLC frame');
        this.p.proto = 'CHDLC';
        return this.ethertype((b[o + 2] << 8) | b[o + 3], o + 4, end, rend);
      default:
        return this.setNote('', `Link type ${linkType} (not decoded)`);
    }
  }

  private setNote(proto: string, note: string): void {
    if (proto) this.p.proto = proto;
    if (!this.p.note) this.p.note = note;
  }

  private rawIp(o: number, end: number, rend: number): void {
    if (end - o < 1) return this.setNote('Raw', 'Empty raw IP packet');
    const v = this.buf[o] >> 4;
    if (v === 4) return this.ipv4(o, end, rend);
    if (v === 6) return this.ipv6(o, end, rend);
    return this.setNote('Raw', `Raw packet data (IP version ${v})`);
  }

  private ethertype(type: number, o: number, end: number, rend: number): void {
    const b = this.buf;
    for (let i = 0; i < 4; i++) {
      if (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
        if (end - o < 4) return this.setNote('VLAN', 'Malformed 802.1Q tag');
        this.p.proto = 'VLAN';
        type = (b[o + 2] << 8) | b[o + 3];
        o += 4;
      } else break;
    }
    if (type === 0x0800) return this.ipv4(o, end, rend);
    if (type === 0x86dd) return this.ipv6(o, end, rend);
    if (type === 0x0806) return this.setNote('ARP', 'ARP');
    if (type <= 1500) return this.setNote('LLC', 'IEEE 802.3 frame');
    return this.setNote('', `Ethertype 0x${type.toString(16).padStart(4, '0')}`);
  }

  ipv4(o: number, end: number, rend: number): void {
    const b = this.buf;
    const p = this.p;
    if (end - o < 20) {
      if (p.ip4Off < 0 && end - o >= 20) p.ip4Off = o;
      return this.setNote('IPv4', 'Truncated IPv4 header');
    }
    const ihl = (b[o] & 0x0f) * 4;
    if (b[o] >> 4 !== 4 || ihl < 20) return this.setNote('IPv4', 'Bogus IPv4 header');
    if (p.ip4Off < 0) p.ip4Off = o;
    let totLen = (b[o + 2] << 8) | b[o + 3];
    const reported = rend - o;
    if (totLen === 0) totLen = reported; // TSO: length left zero by the sending host
    if (totLen < ihl) return this.setNote('IPv4', 'Bogus IPv4 total length');
    const ipEnd = Math.min(totLen, reported);
    const proto = b[o + 9];
    const fragField = (b[o + 6] << 8) | b[o + 7];
    const mf = (fragField & 0x2000) !== 0;
    const fragOff = (fragField & 0x1fff) * 8;
    p.proto = 'IPv4';
    const src = ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0;
    const dst = ((b[o + 16] << 24) | (b[o + 17] << 16) | (b[o + 18] << 8) | b[o + 19]) >>> 0;
    const ttl = b[o + 8];
    const capEnd = Math.min(end, o + ipEnd);
    if (mf || fragOff > 0) {
      const id = (b[o + 4] << 8) | b[o + 5];
      const whole = this.defrag.add4(this.frame, src, dst, id, proto, fragOff, mf, b, o + ihl, capEnd, o + ipEnd);
      if (!whole) return this.setNote('IPv4', `Fragmented IP protocol (proto=${proto}, off=${fragOff})`);
      this.setIp4(src, dst, ttl);
      return this.payloadBuf(proto, whole, 0, whole.length, whole.length, false);
    }
    this.setIp4(src, dst, ttl);
    this.ipPayload(proto, o + ihl, capEnd, o + ipEnd);
  }

  private setIp4(src: number, dst: number, ttl: number): void {
    const p = this.p;
    if (p.hasTcp) return;
    p.family = 4;
    p.src[0] = src;
    p.src[1] = p.src[2] = p.src[3] = 0;
    p.dst[0] = dst;
    p.dst[1] = p.dst[2] = p.dst[3] = 0;
    p.ttl = ttl;
  }

  ipv6(o: number, end: number, rend: number): void {
    const b = this.buf;
    const p = this.p;
    if (end - o < 40 || b[o] >> 4 !== 6) return this.setNote('IPv6', 'Truncated or bogus IPv6 header');
    if (p.ip6Off < 0) p.ip6Off = o;
    p.proto = 'IPv6';
    const plen = (b[o + 4] << 8) | b[o + 5];
    const reported = rend - o - 40;
    const payEnd = o + 40 + (plen === 0 ? reported : Math.min(plen, reported));
    let next = b[o + 6];
    const hop = b[o + 7];
    let q = o + 40;
    const capEnd = Math.min(end, payEnd);
    // Extension headers
    for (let i = 0; i < 16; i++) {
      if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
        if (capEnd - q < 8) return this.setNote('IPv6', 'Truncated IPv6 extension header');
        const nn = b[q];
        q += (b[q + 1] + 1) * 8;
        next = nn;
      } else if (next === 51) {
        if (capEnd - q < 8) return this.setNote('IPv6', 'Truncated AH header');
        const nn = b[q];
        q += (b[q + 1] + 2) * 4;
        next = nn;
      } else if (next === 44) {
        if (capEnd - q < 8) return this.setNote('IPv6', 'Truncated fragment header');
        const nn = b[q];
        const fo = ((b[q + 2] << 8) | b[q + 3]) & 0xfff8;
        const mf = (b[q + 3] & 1) !== 0;
        const id = ((b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]) >>> 0;
        q += 8;
        if (mf || fo > 0) {
          const whole = this.defrag.add6(this.frame, b, o, id, nn, fo, mf, q, capEnd, payEnd);
          if (!whole) return this.setNote('IPv6', `IPv6 fragment (off=${fo} more=${mf ? 'y' : 'n'} nxt=${nn})`);
          this.setIp6(o, hop);
          return this.payloadBuf(nn, whole, 0, whole.length, whole.length, false);
        }
        next = nn;
      } else break;
      if (q > payEnd) return this.setNote('IPv6', 'Bogus IPv6 extension header length');
    }
    this.setIp6(o, hop);
    this.ipPayload(next, q, capEnd, payEnd);
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
  }

  /** IP payload inside the frame buffer. */
  private ipPayload(proto: number, o: number, end: number, rend: number): void {
    this.payloadBuf(proto, this.buf, o, end, rend, true);
  }

  /**
   * IP payload of protocol `proto` in `buf[o, end)`; `rend` is its reported end.
   * `inFrame` says whether `buf` is the frame itself (false for reassembled data).
   */
  private payloadBuf(proto: number, buf: Uint8Array, o: number, end: number, rend: number, inFrame: boolean): void {
    if (++this.depth > MAX_DEPTH) return;
    const p = this.p;
    switch (proto) {
      case 6:
        return this.tcp(buf, o, end, rend, inFrame, false);
      case 17: {
        p.proto = 'UDP';
        if (end - o < 8) return;
        const sp = (buf[o] << 8) | buf[o + 1];
        const dp = (buf[o + 2] << 8) | buf[o + 3];
        if (!p.note) p.note = `${sp} → ${dp} Len=${Math.max(0, rend - o - 8)}`;
        if ((dp === 4789 || dp === 8472) && end - o >= 16 && (buf[o + 8] & 0x08)) {
          return this.withBuf(buf, inFrame, () => this.link(LINKTYPE.ETHERNET, o + 16, end, rend));
        }
        if (dp === 6081 && end - o >= 16) {
          const optLen = (buf[o + 8] & 0x3f) * 4;
          const ptype = (buf[o + 10] << 8) | buf[o + 11];
          const q = o + 16 + optLen;
          if (ptype === 0x6558) return this.withBuf(buf, inFrame, () => this.link(LINKTYPE.ETHERNET, q, end, rend));
          return this.withBuf(buf, inFrame, () => this.ethertype(ptype, q, end, rend));
        }
        return;
      }
      case 47: {
        // GRE (RFC 2784/2890): flags, protocol type, optional checksum/key/sequence.
        if (end - o < 4) return;
        const fl = (buf[o] << 8) | buf[o + 1];
        const ptype = (buf[o + 2] << 8) | buf[o + 3];
        if (fl & 0x0007) return this.setNote('GRE', 'GRE (unsupported version)');
        let q = o + 4;
        if (fl & 0x8000) q += 4;
        if (fl & 0x2000) q += 4;
        if (fl & 0x1000) q += 4;
        p.proto = 'GRE';
        if (ptype === 0x6558) return this.withBuf(buf, inFrame, () => this.link(LINKTYPE.ETHERNET, q, end, rend));
        return this.withBuf(buf, inFrame, () => this.ethertype(ptype, q, end, rend));
      }
      case 4:
        return this.withBuf(buf, inFrame, () => this.ipv4(o, end, rend));
      case 41:
        return this.withBuf(buf, inFrame, () => this.ipv6(o, end, rend));
      case 1:
        return this.icmp(buf, o, end, false);
      case 58:
        return this.icmp(buf, o, end, true);
      default:
        if (!p.note) p.note = `IP protocol ${proto}`;
        return;
    }
  }

  /** Run `fn` with `this.buf` temporarily pointing at `buf` (tunnels inside reassembled data). */
  private withBuf(buf: Uint8Array, inFrame: boolean, fn: () => void): void {
    if (inFrame || buf === this.buf) return fn();
    const saved = this.buf;
    this.buf = buf;
    try {
      fn();
    } finally {
      this.buf = saved;
    }
  }

  private icmp(buf: Uint8Array, o: number, end: number, v6: boolean): void {
    const p = this.p;
    p.proto = v6 ? 'ICMPv6' : 'ICMP';
    if (end - o < 8) return;
    const type = buf[o];
    if (p.icmpType < 0) p.icmpType = type;
    if (!p.note) p.note = `${v6 ? 'ICMPv6' : 'ICMP'} type ${type} code ${buf[o + 1]}`;
    const isErr = v6 ? type >= 1 && type <= 4 : type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
    if (!isErr) return;
    const q = o + 8;
    // The quoted packet: an IP header and the first bytes of its payload.
    if (!v6) {
      if (end - q < 20 || buf[q] >> 4 !== 4) return;
      const ihl = (buf[q] & 0x0f) * 4;
      if (ihl < 20 || buf[q + 9] !== 6) return;
      const fragField = (buf[q + 6] << 8) | buf[q + 7];
      if ((fragField & 0x1fff) !== 0) return;
      const src = ((buf[q + 12] << 24) | (buf[q + 13] << 16) | (buf[q + 14] << 8) | buf[q + 15]) >>> 0;
      const dst = ((buf[q + 16] << 24) | (buf[q + 17] << 16) | (buf[q + 18] << 8) | buf[q + 19]) >>> 0;
      if (p.ip4Off < 0 && buf === this.buf) p.ip4Off = q;
      this.setIp4(src, dst, buf[q + 8]);
      return this.tcp(buf, q + ihl, end, end, buf === this.buf, true);
    }
    if (end - q < 40 || buf[q] >> 4 !== 6 || buf[q + 6] !== 6) return;
    if (p.ip6Off < 0 && buf === this.buf) p.ip6Off = q;
    const saved = this.buf;
    this.buf = buf;
    this.setIp6(q, buf[q + 7]);
    this.buf = saved;
    return this.tcp(buf, q + 40, end, end, buf === this.buf, true);
  }

  private tcp(buf: Uint8Array, o: number, end: number, rend: number, inFrame: boolean, quoted: boolean): void {
    const p = this.p;
    if (p.hasTcp) return;
    const avail = end - o;
    if (avail < 4) return;
    p.hasTcp = true;
    p.tcpQuoted = quoted;
    p.tcpBuf = buf;
    p.tcpOff = o;
    p.tcpAvail = avail;
    p.tcpFrameOff = inFrame ? o : -1;
    p.proto = 'TCP';
    p.srcPort = (buf[o] << 8) | buf[o + 1];
    p.dstPort = (buf[o + 2] << 8) | buf[o + 3];
    p.seq = avail >= 8 ? ((buf[o + 4] << 24) | (buf[o + 5] << 16) | (buf[o + 6] << 8) | buf[o + 7]) >>> 0 : 0;
    p.ack = avail >= 12 ? ((buf[o + 8] << 24) | (buf[o + 9] << 16) | (buf[o + 10] << 8) | buf[o + 11]) >>> 0 : 0;
    if (avail < 20) {
      p.tcpFull = false;
      return;
    }
    p.tcpFull = true;
    p.hdrLen = (buf[o + 12] >> 4) * 4;
    p.flags = ((buf[o + 12] & 0x0f) << 8) | buf[o + 13];
    p.window = (buf[o + 14] << 8) | buf[o + 15];
    p.urgent = (buf[o + 18] << 8) | buf[o + 19];
    const reported = rend - o;
    p.segLen = quoted || p.hdrLen < 20 || reported < p.hdrLen ? -1 : reported - p.hdrLen;
  }
}

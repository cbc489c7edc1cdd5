/**
 * The statistics pass: every frame decoded again (Decoder.trace sees each Ethernet, IP and UDP
 * header), tapped into the tables that were asked for, as tshark's taps see them:
 *   - Ethernet, IPv4, IPv6, UDP: every header of that protocol in the frame (tunnels count
 *     twice), except inside an ICMP error's quoted packet;
 *   - TCP: the frame's TCP header when it belongs to a stream (conversations are per tcp.stream);
 *   - bytes are frame.len, times are relative to the first frame (Wireshark's rel_ts).
 */
import type { DecodeTrace } from '../decode/decoder';
import { type Packet, TCP_ICMP, TH_SYN } from '../decode/packet';
import { LINKTYPE, pseudoHeaderLen, udpPortDecoded } from '../decode/decoder';
import { ipv4, ipv6 } from '../fields/format';
import { addressFromWords } from '../fields/summary';
import type { CaptureSession } from '../session';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_FAST } from '../tcp/frames';
import { EV_ETH, EV_ETH_SAME, EV_IP4, EV_IP6, EV_UDP, eventSize } from './net-record';
import { FlowSums, relTime } from './flow-sums';
import { AddressIds, ConversationTable, EndpointTable, type ConvType, type RelTime } from './conversations';
import { TcpFollower, type FollowNode } from './follow';
import { frameCtx, type FrameCtx } from '../fields/project';
import { matchesCtx, type CompiledFilter } from '../filter/index';

const mac = (b: Uint8Array, o: number): string => {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + (b[o + i] < 16 ? '0' : '') + b[o + i].toString(16);
  return s;
};

export { relTime } from './flow-sums';

/** Which frames a follower takes: a stream, or both directions of an address/port pair. */
export type FollowTarget = { stream: number } | { a: FollowNode; b: FollowNode };

export interface StatsRequest {
  conv?: ConvType[];
  endpoints?: ConvType[];
  follow?: FollowTarget[];
  /** A table's own filter (`-z conv,TYPE,FILTER`): only matching frames are tapped into it. */
  filters?: Partial<Record<`${'conv' | 'endpoints'}:${ConvType}`, CompiledFilter>>;
  /** Decode every frame (no fast path): the reference the fast path is tested against. */
  decodeEvery?: boolean;
}

interface Tap {
  t: ConvType;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  stream: number;
}

export class StatsPass implements DecodeTrace {
  readonly conv = new Map<ConvType, ConversationTable>();
  readonly endpoints = new Map<ConvType, EndpointTable>();
  readonly followers: { target: FollowTarget; f: TcpFollower }[] = [];
  private frame = 0;
  private bytes = 0;
  private rel: RelTime = { sec: 0, ns: 0 };
  /** Addresses of the last IP header seen in this frame (UDP's). */
  private ipSrc = '';
  private ipDst = '';
  private wantEth: boolean;
  private wantIp: boolean;
  private wantUdp: boolean;
  private readonly filters: NonNullable<StatsRequest['filters']>;
  /** The frame's taps, applied once the frame is decoded (a table's filter needs the whole frame). */
  private taps: Tap[] = [];

  /** Every table's addresses as ids (the fast path finds them from the bytes). */
  private readonly ids = new AddressIds();
  private readonly macIds = new Map<number, number>();
  private readonly ip4Ids = new Map<number, number>();
  private readonly convOf: Partial<Record<ConvType, ConversationTable>> = {};
  private readonly endpointsOf: Partial<Record<ConvType, EndpointTable>> = {};
  /** Whether `fast()` may be used: no follower and no table filter (those need the whole frame). */
  readonly canFast: boolean;

  constructor(
    readonly session: CaptureSession,
    req: StatsRequest,
  ) {
    this.filters = req.filters ?? {};
    for (const t of req.conv ?? []) this.conv.set(t, new ConversationTable(t, this.ids));
    for (const t of req.endpoints ?? []) this.endpoints.set(t, new EndpointTable(t, this.ids));
    for (const target of req.follow ?? []) this.followers.push({ target, f: new TcpFollower() });
    const want = (t: ConvType) => this.conv.has(t) || this.endpoints.has(t);
    this.wantEth = want('eth');
    this.wantIp = want('ip') || want('ipv6') || want('udp');
    this.wantUdp = want('udp');
    for (const [t, c] of this.conv) this.convOf[t] = c;
    for (const [t, e] of this.endpoints) this.endpointsOf[t] = e;
    this.canFast = !req.decodeEvery && this.followers.length === 0 && Object.keys(this.filters).length === 0;
  }

  /**
   * The common frames without a decoder: Ethernet → IPv4 (not a fragment) or IPv6 (no extension
   * header) → a protocol after which decode() traces no header (TCP, UDP on a port no
   * encapsulation claims, IGMP, anything not decoded; not ICMP, GRE or IP in IP). Their taps are
   * then known from the bytes: the Ethernet header, the IP header, the UDP header, and the TCP
   * conversation from the columns, addresses found as ids without making their text again.
   * Returns false, having tapped nothing, for any other frame: then decode it (begin/end).
   */
  fast(n: number, b: Uint8Array, off: number, capLen: number, origLen: number, linkType: number): boolean {
    if (linkType !== LINKTYPE.ETHERNET || capLen < 34) return false;
    const end = off + capLen;
    const rend = off + (origLen > capLen ? origLen : capLen);
    const type = (b[off + 12] << 8) | b[off + 13];
    const o = off + 14;
    let proto: number;
    let l4: number;
    let capEnd: number;
    let v6 = false;
    if (type === 0x0800) {
      const ihl = (b[o] & 0x0f) * 4;
      const totLen = (b[o + 2] << 8) | b[o + 3];
      if (b[o] >> 4 !== 4 || ihl < 20 || totLen < ihl || end - o < ihl || ((b[o + 6] & 0x3f) | b[o + 7]) !== 0) return false;
      proto = b[o + 9];
      l4 = o + ihl;
      capEnd = Math.min(end, o + Math.min(totLen, rend - o));
    } else if (type === 0x86dd) {
      if (end - o < 40 || b[o] >> 4 !== 6) return false;
      proto = b[o + 6];
      if (proto === 0 || proto === 43 || proto === 44 || proto === 51 || proto === 60 || proto === 139 || proto === 140) return false;
      l4 = o + 40;
      const plen = (b[o + 4] << 8) | b[o + 5];
      capEnd = Math.min(end, l4 + Math.max(0, Math.min(plen, rend - l4)));
      v6 = true;
    } else return false;
    if (proto === 1 || proto === 4 || proto === 41 || proto === 47 || proto === 58) return false;
    const t = this.session.frames;
    const tf = t.tflags[n - 1];
    const stream = t.stream[n - 1];
    const tcpTap = stream >= 0 && (tf & TF_TCP) !== 0 && (tf & (TF_QUOTED | TF_TRUNCATED)) === 0;
    if (tcpTap !== (proto === 6 && capEnd - l4 >= 4)) return false;
    let udp = false;
    if (proto === 17 && capEnd - l4 >= 8) {
      const ulen = (b[l4 + 4] << 8) | b[l4 + 5];
      if (ulen >= 8 && udpPortDecoded((b[l4] << 8) | b[l4 + 1], (b[l4 + 2] << 8) | b[l4 + 3])) return false;
      udp = true;
    }
    // The frame's taps, in decode order (each table sees one of them at most).
    this.begin(n);
    const bytes = this.bytes;
    const rel = this.rel;
    if (this.wantEth) {
      const src = this.macId(b, off + 6);
      const dst = this.macId(b, off);
      this.tapIds('eth', src, dst, 0, 0, -1, bytes, rel, n);
    }
    let src = -1;
    let dst = -1;
    if (this.wantIp || tcpTap) {
      src = v6 ? this.ids.id(ipv6(b, o + 8)) : this.ip4Id(b, o + 12);
      dst = v6 ? this.ids.id(ipv6(b, o + 24)) : this.ip4Id(b, o + 16);
      this.tapIds(v6 ? 'ipv6' : 'ip', src, dst, 0, 0, -1, bytes, rel, n);
    }
    if (udp && this.wantUdp) this.tapIds('udp', src, dst, (b[l4] << 8) | b[l4 + 1], (b[l4 + 2] << 8) | b[l4 + 3], -1, bytes, rel, n);
    if (tcpTap) this.tapIds('tcp', src, dst, (b[l4] << 8) | b[l4 + 1], (b[l4 + 2] << 8) | b[l4 + 3], stream, bytes, rel, n);
    return true;
  }

  /**
   * Every frame's taps from the load's side record (net-record.ts), without reading the file,
   * for the tables of Ethernet, IPv4, IPv6 and UDP (TCP's come from the columns: views.ts) and
   * without filters (canFast). The frames of the load's fast path are summed per stream and
   * direction (frames, bytes, earliest and latest time: a table's row is the same whatever the
   * order its packets come in) and tapped once, at their first frame: IP addresses from the
   * conversation, MAC addresses from the flow's (a frame with others is logged and tapped on
   * its own). Logged frames are tapped from the headers their decode logged, in frame order.
   */
  fromRecord(tcpSums?: FlowSums): void {
    const s = this.session;
    const t = s.frames;
    const rec = s.net;
    const log = rec.log;
    const convs = s.analyzer.conversations;
    const flows = 2 * convs.length;
    // Per flow: the IP taps (every fast frame), and the Ethernet taps, which are the same but in
    // the flows with a logged fast frame (MAC addresses other than the flow's: tapped on their own).
    const ethPseudo = pseudoHeaderLen(LINKTYPE.ETHERNET);
    // Logged frames: [frame, start of its events, end] in frame order.
    const entries: number[] = [];
    rec.entries((f, at, end) => entries.push(f, at, end));
    const xf = t.xflags;
    const flowOf = (i: number) => 2 * t.stream[i] + (t.tflags[i] & TF_DIR_BA ? 1 : 0);
    const bytesOf = (i: number) => Math.max(0, t.origLen[i] - ethPseudo);
    // The TCP table's sums (views.ts) are these when its frames are exactly the fast ones (a
    // capture without TCP headers cut in their options, tunnels or VLAN tags: the usual case).
    const same = tcpSums !== undefined && tcpSums.n.length === flows && tcpSums.fastFramesOnly;
    let ip: FlowSums;
    if (same) ip = tcpSums!;
    else {
      ip = new FlowSums(t, flows);
      for (let i = 0; i < t.count; i++) if (xf[i] & X_FAST) ip.add(flowOf(i), i + 1, bytesOf(i));
    }
    const apart = new Uint8Array(flows);
    let anyApart = false;
    for (let k = 0; k < entries.length; k += 3) {
      const i = entries[k] - 1;
      if (!(xf[i] & X_FAST)) continue;
      apart[flowOf(i)] = 1;
      anyApart = true;
    }
    let eth = ip;
    if (anyApart) {
      eth = new FlowSums(t, flows);
      for (let g = 0; g < flows; g++) if (!apart[g]) eth.copy(ip, g);
      for (let i = 0, k = 0; i < t.count; i++) {
        const logged = k < entries.length && entries[k] === i + 1;
        if (logged) k += 3;
        if (!(xf[i] & X_FAST) || logged) continue;
        const g = flowOf(i);
        if (apart[g]) eth.add(g, i + 1, bytesOf(i));
      }
    }
    const mac = new Uint8Array(12);
    const flush = (x: FlowSums, g: number, table: 'eth' | 'ip') => {
      const st = g >> 1;
      const d = g & 1;
      const lo = x.rel(x.lo[g]);
      const hi = x.rel(x.hi[g]);
      if (table === 'eth') {
        if (!this.wantEth || !rec.flowEth(g, mac, 0)) return;
        this.tapIds('eth', this.macId(mac, 6), this.macId(mac, 0), 0, 0, -1, x.bytes[g], lo, x.first[g], x.n[g], hi);
      } else if (this.wantIp) {
        const c = convs[st];
        const src = this.ids.id(addressFromWords(c.family, c.address(d)));
        const dst = this.ids.id(addressFromWords(c.family, c.address(d ^ 1)));
        this.tapIds(c.family === 6 ? 'ipv6' : 'ip', src, dst, 0, 0, -1, x.bytes[g], lo, x.first[g], x.n[g], hi);
      }
    };
    // Flows by their first frame, for each table.
    const sums = [ip, eth];
    const tables = ['ip', 'eth'] as const;
    const order = sums.map((x) => x.order());
    const next = [0, 0];
    const flushBefore = (f: number) => {
      for (let k = 0; k < 2; k++) {
        const o = order[k];
        while (next[k] < o.length && sums[k].first[o[next[k]]] < f) flush(sums[k], o[next[k]++], tables[k]);
      }
    };
    const noAddr = this.ids.id('');
    let lastEth = 0;
    for (let k = 0; k < entries.length; k += 3) {
      const n = entries[k];
      flushBefore(n);
      this.begin(n);
      const fast = (t.xflags[n - 1] & X_FAST) !== 0;
      let src = noAddr;
      let dst = noAddr;
      for (let q = entries[k + 1]; q < entries[k + 2]; q += 1 + eventSize(log[q])) {
        const kind = log[q];
        const o = q + 1;
        if (kind === EV_ETH || kind === EV_ETH_SAME) {
          // EV_ETH_SAME: the previous EV_ETH's addresses (the log is walked in its order).
          if (kind === EV_ETH) lastEth = o;
          if (this.wantEth) this.tapIds('eth', this.macId(log, lastEth + 6), this.macId(log, lastEth), 0, 0, -1, this.bytes, this.rel, n);
        } else if (fast) continue; // the IP tap of a fast frame is its flow's
        else if (kind === EV_IP4 || kind === EV_IP6) {
          if (!this.wantIp) continue;
          src = kind === EV_IP6 ? this.ids.id(ipv6(log, o)) : this.ip4Id(log, o);
          dst = kind === EV_IP6 ? this.ids.id(ipv6(log, o + 16)) : this.ip4Id(log, o + 4);
          this.tapIds(kind === EV_IP6 ? 'ipv6' : 'ip', src, dst, 0, 0, -1, this.bytes, this.rel, n);
        } else if (kind === EV_UDP && this.wantUdp) {
          this.tapIds('udp', src, dst, (log[o] << 8) | log[o + 1], (log[o + 2] << 8) | log[o + 3], -1, this.bytes, this.rel, n);
        }
      }
    }
    flushBefore(Infinity);
  }

  private macId(b: Uint8Array, o: number): number {
    const k = ((b[o] << 16) | (b[o + 1] << 8) | b[o + 2]) * 0x1000000 + ((b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]);
    let id = this.macIds.get(k);
    if (id === undefined) this.macIds.set(k, (id = this.ids.id(mac(b, o))));
    return id;
  }

  private ip4Id(b: Uint8Array, o: number): number {
    const k = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    let id = this.ip4Ids.get(k);
    if (id === undefined) this.ip4Ids.set(k, (id = this.ids.id(ipv4(b, o))));
    return id;
  }

  /** One tap (or `frames` taps in one direction, the first at frame n, between times rel and relHi). */
  private tapIds(t: ConvType, src: number, dst: number, sport: number, dport: number, stream: number, bytes: number, rel: RelTime, n: number, frames = 1, relHi = rel): void {
    this.convOf[t]?.addIds(src, dst, sport, dport, stream, bytes, rel, n, frames, relHi);
    const e = this.endpointsOf[t];
    if (e) {
      e.addId(src, sport, true, bytes, frames);
      e.addId(dst, dport, false, bytes, frames);
    }
  }

  private tap(t: ConvType, src: string, dst: string, sport: number, dport: number, stream: number): void {
    this.taps.push({ t, src, dst, sport, dport, stream });
  }

  private flush(ctx: () => FrameCtx): void {
    const seen = new Map<CompiledFilter, boolean>();
    const ok = (key: keyof NonNullable<StatsRequest['filters']>): boolean => {
      const f = this.filters[key];
      if (!f) return true;
      let v = seen.get(f);
      if (v === undefined) seen.set(f, (v = matchesCtx(f, ctx())));
      return v;
    };
    for (const { t, src, dst, sport, dport, stream } of this.taps) {
      const c = this.conv.get(t);
      if (c && ok(`conv:${t}`)) c.add(src, dst, sport, dport, stream, this.bytes, this.rel, this.frame);
      const e = this.endpoints.get(t);
      if (e && ok(`endpoints:${t}`)) {
        e.add(src, sport, true, this.bytes);
        e.add(dst, dport, false, this.bytes);
      }
    }
    this.taps = [];
  }

  // ---- DecodeTrace ----
  eth(b: Uint8Array, o: number): void {
    if (this.wantEth) this.tap('eth', mac(b, o + 6), mac(b, o), 0, 0, -1);
  }

  ip(b: Uint8Array, o: number, v6: boolean, ctx: number): void {
    if (!this.wantIp || ctx === TCP_ICMP) return;
    this.ipSrc = v6 ? ipv6(b, o + 8) : ipv4(b, o + 12);
    this.ipDst = v6 ? ipv6(b, o + 24) : ipv4(b, o + 16);
    this.tap(v6 ? 'ipv6' : 'ip', this.ipSrc, this.ipDst, 0, 0, -1);
  }

  udp(b: Uint8Array, o: number, ctx: number): void {
    if (!this.wantUdp || ctx === TCP_ICMP) return;
    this.tap('udp', this.ipSrc, this.ipDst, (b[o] << 8) | b[o + 1], (b[o + 2] << 8) | b[o + 3], -1);
  }

  /** Before decoding frame n. */
  begin(n: number): void {
    const s = this.session;
    const t = s.frames;
    this.frame = n;
    this.bytes = Math.max(0, t.origLen[n - 1] - pseudoHeaderLen(s.linkType(n)));
    const [ds, dn] = t.secNsBetween(n, 1);
    this.rel = relTime(ds, dn);
    this.ipSrc = this.ipDst = '';
    this.taps = [];
  }

  /** After decoding frame n (bytes buf[off…]) into p. */
  end(n: number, p: Packet, buf: Uint8Array, off: number): void {
    this.endTcp(n, p);
    let c: FrameCtx | undefined;
    if (this.taps.length) this.flush(() => (c ??= frameCtx(this.session, n, p, buf, off)));
  }

  private endTcp(n: number, p: Packet): void {
    const s = this.session;
    const stream = s.frames.stream[n - 1];
    // A header cut short inside its options ends tshark's dissection before the TCP tap.
    if (!p.hasTcp || p.tcpQuoted || stream < 0 || !p.tcpFull || p.tcpAvail < p.hdrLen) return;
    const v6 = p.family === 6;
    const src = addressFromWords(p.family, p.src);
    const dst = addressFromWords(p.family, p.dst);
    if (this.conv.has('tcp') || this.endpoints.has('tcp')) this.tap('tcp', src, dst, p.srcPort, p.dstPort, stream);
    if (this.followers.length === 0) return;
    for (const { target, f } of this.followers) {
      if ('stream' in target) {
        if (target.stream !== stream) continue;
      } else {
        const fwd = target.a.addr === src && target.a.port === p.srcPort && target.b.addr === dst && target.b.port === p.dstPort;
        const rev = target.b.addr === src && target.b.port === p.srcPort && target.a.addr === dst && target.a.port === p.dstPort;
        if (!fwd && !rev) continue;
      }
      f.push(followPacket(s, n, p, { addr: src, v6, port: p.srcPort }, { addr: dst, v6, port: p.dstPort }));
    }
  }
}

/** The follower's view of frame n's TCP header (relative numbers with the final bases, as tshark -2). */
export function followPacket(s: CaptureSession, n: number, p: Packet, src: FollowNode, dst: FollowNode): import('./follow').FollowPacket {
  const conv = s.analyzer.conversations[s.frames.stream[n - 1]];
  const d = s.frames.tflags[n - 1] & TF_DIR_BA ? 1 : 0;
  const F = conv.flow(d);
  const R = conv.flow(d ^ 1);
  const segLen = p.tcpFull && p.segLen > 0 ? p.segLen : 0;
  const payload = framePayload(p);
  return {
    frame: n,
    src,
    dst,
    seq: (p.seq - F.baseAt(n)) >>> 0,
    ack: (p.ack - R.baseAt(n)) >>> 0,
    syn: (p.flags & TH_SYN) !== 0,
    segLen,
    payload: payload.length > 0 ? payload.slice() : new Uint8Array(0),
  };
}

/** The captured TCP payload of the frame decoded in p (a view into its bytes). */
export function framePayload(p: Packet): Uint8Array {
  const hdr = p.tcpFull ? p.hdrLen : 0;
  const avail = p.tcpFull && p.segLen >= 0 ? Math.max(0, Math.min(p.tcpAvail - hdr, p.segLen)) : 0;
  const at = p.tcpOff + hdr;
  return p.tcpBuf.subarray(at, at + avail);
}

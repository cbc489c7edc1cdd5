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
import { pseudoHeaderLen } from '../decode/decoder';
import { ipv4, ipv6, relParts } from '../fields/format';
import { addressFromWords } from '../fields/summary';
import type { CaptureSession } from '../session';
import { TF_DIR_BA } from '../tcp/frames';
import { ConversationTable, EndpointTable, type ConvType, type RelTime } from './conversations';
import { TcpFollower, type FollowNode } from './follow';
import { frameCtx, type FrameCtx } from '../fields/project';
import { matchesCtx, type CompiledFilter } from '../filter/index';

const mac = (b: Uint8Array, o: number): string => {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + (b[o + i] < 16 ? '0' : '') + b[o + i].toString(16);
  return s;
};

/** Wireshark's nstime_delta: seconds and nanoseconds of the same sign. */
export function relTime(dSec: number, dNs: number): RelTime {
  const [sec, ns] = relParts(dSec, dNs);
  return { sec, ns };
}

/** Which frames a follower takes: a stream, or both directions of an address/port pair. */
export type FollowTarget = { stream: number } | { a: FollowNode; b: FollowNode };

export interface StatsRequest {
  conv?: ConvType[];
  endpoints?: ConvType[];
  follow?: FollowTarget[];
  /** A table's own filter (`-z conv,TYPE,FILTER`): only matching frames are tapped into it. */
  filters?: Partial<Record<`${'conv' | 'endpoints'}:${ConvType}`, CompiledFilter>>;
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

  constructor(
    readonly session: CaptureSession,
    req: StatsRequest,
  ) {
    this.filters = req.filters ?? {};
    for (const t of req.conv ?? []) this.conv.set(t, new ConversationTable(t));
    for (const t of req.endpoints ?? []) this.endpoints.set(t, new EndpointTable(t));
    for (const target of req.follow ?? []) this.followers.push({ target, f: new TcpFollower() });
    const want = (t: ConvType) => this.conv.has(t) || this.endpoints.has(t);
    this.wantEth = want('eth');
    this.wantIp = want('ip') || want('ipv6') || want('udp');
    this.wantUdp = want('udp');
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
  const hdr = p.tcpFull ? p.hdrLen : 0;
  const avail = p.tcpFull && p.segLen >= 0 ? Math.max(0, Math.min(p.tcpAvail - hdr, p.segLen)) : 0;
  const at = p.tcpOff + hdr;
  return {
    frame: n,
    src,
    dst,
    seq: (p.seq - F.baseAt(n)) >>> 0,
    ack: (p.ack - R.baseAt(n)) >>> 0,
    syn: (p.flags & TH_SYN) !== 0,
    segLen,
    payload: avail > 0 ? p.tcpBuf.slice(at, at + avail) : new Uint8Array(0),
  };
}

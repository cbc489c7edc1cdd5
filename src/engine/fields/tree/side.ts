/**
 * Facts of the detail tree that need the whole capture, gathered in one pass in frame order:
 * the UDP stream of each frame (tshark's udp.stream: conversations by addresses and ports, in
 * order of first appearance) with the stream's first and previous frames, and the ICMP/ICMPv6
 * echo request ↔ reply links. Built only for the tree (CLI -V/-O, the detail pane): a Int32Array
 * per frame for UDP, and maps for the few echo frames.
 */
import { Packet, TCP_ICMP } from '../../decode/packet';
import { X_PAST_IP } from '../../tcp/frames';
import type { CaptureSession } from '../../session';
import { decodeAgain } from '../decode-again';
import { layersOf, type LayerRec } from './layers';
import { fmtRelNs } from '../format';
import type { EchoLink } from './icmp';
import type { UdpStreamInfo } from './udp';
import { udpCandidate } from '../../dissect/registry';
import { feedUdpOrdered, setUdpLinks } from '../../dissect/app';

function addrKey(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += b[o + i].toString(16).padStart(2, '0');
  return s;
}

/** One's complement 16-bit addition. */
function ocAdd(a: number, b: number): number {
  const s = a + b;
  return (s & 0xffff) + (s >>> 16);
}

export class TreeSide {
  /** Per frame (allocated with the first UDP datagram: a capture without any pays nothing). */
  private udpStream = new Int32Array(0);
  private udpPrev = new Int32Array(0);
  private udpFirst: number[] = [];
  private udpKeys = new Map<string, number>();
  private echo = new Map<number, EchoLink>();
  private pending = new Map<string, number>();

  constructor(private readonly s: CaptureSession) {}

  /** Feed frame `n`'s layers (in frame order). */
  add(n: number, layers: readonly LayerRec[]): void {
    const count = this.s.frames.count;
    if (n < 1 || n > count) return;
    let ip: LayerRec | undefined;
    for (const L of layers) {
      if (L.name === 'ip' || L.name === 'ipv6') ip = L;
      else if (L.name === 'udp' && ip && L.end - L.off >= 8) {
        const v4 = ip.name === 'ip';
        const a = v4 ? addrKey(ip.buf, ip.off + 12, 4) : addrKey(ip.buf, ip.off + 8, 16);
        const z = v4 ? addrKey(ip.buf, ip.off + 16, 4) : addrKey(ip.buf, ip.off + 24, 16);
        const sp = (L.buf[L.off] << 8) | L.buf[L.off + 1];
        const dp = (L.buf[L.off + 2] << 8) | L.buf[L.off + 3];
        const x = `${a}:${sp}`;
        const y = `${z}:${dp}`;
        const key = x < y ? `${x}-${y}` : `${y}-${x}`;
        if (this.udpStream.length < count) {
          this.udpStream = new Int32Array(count).fill(-1);
          this.udpPrev = new Int32Array(count);
        }
        let id = this.udpKeys.get(key);
        if (id === undefined) {
          id = this.udpFirst.length;
          this.udpKeys.set(key, id);
          this.udpFirst.push(n);
          this.udpPrev[n - 1] = n;
        }
        this.udpStream[n - 1] = id;
        if (L.ctx !== TCP_ICMP) {
          this.dnsQuery(n, id, L, sp, dp);
          const ulen = (L.buf[L.off + 4] << 8) | L.buf[L.off + 5];
          feedUdpOrdered(this.s, n, id, { b: L.buf, off: L.off + 8, end: ulen < 8 ? L.off + 8 : Math.min(L.end, L.off + ulen) }, sp, dp, x);
        }
        break;
      } else if ((L.name === 'icmp' || L.name === 'icmpv6') && ip && L.end - L.off >= 8 && L.ctx !== TCP_ICMP) {
        const v6 = L.name === 'icmpv6';
        const t = L.buf[L.off];
        const req = v6 ? t === 128 : t === 8;
        const rep = v6 ? t === 129 : t === 0;
        if (!req && !rep) continue;
        const v4 = ip.name === 'ip';
        const a = v4 ? addrKey(ip.buf, ip.off + 12, 4) : addrKey(ip.buf, ip.off + 8, 16);
        const z = v4 ? addrKey(ip.buf, ip.off + 16, 4) : addrKey(ip.buf, ip.off + 24, 16);
        const idseq = addrKey(L.buf, L.off + 4, 4);
        // Like tshark, a reply matches a request whose checksum differs only by the type byte
        // (same code and data): the request's checksum is derived from the reply's.
        const ck = (L.buf[L.off + 2] << 8) | L.buf[L.off + 3];
        if (req) this.pending.set(`${v6}|${a}|${z}|${idseq}|${ck}`, n);
        else {
          const reqCk = ~ocAdd(~ck & 0xffff, v6 ? 0xfeff : 0x0800) & 0xffff;
          const r = this.pending.get(`${v6}|${z}|${a}|${idseq}|${reqCk}`);
          if (r !== undefined) {
            const link = this.echo.get(r) ?? {};
            if (link.response === undefined) link.response = n;
            this.echo.set(r, link);
            const ms = this.s.frames.nsBetween(n, r) / 1e6;
            this.echo.set(n, { request: r, time: ms.toFixed(3) });
          }
        }
        break;
      }
    }
  }

  /**
   * TCP frames (of a conversation) that may carry expert items outside TCP's: an Ethernet frame
   * longer than its IP packet, or a TTL below 5 (see tcpMayHaveNetItems), ascending.
   */
  readonly tcpNetCandidates: number[] = [];

  /** DNS queries over UDP: the last original query per (UDP stream, transaction ID), and retransmissions → their original. */
  private dnsOrig = new Map<string, number>();
  private dnsRetrans = new Map<number, number>();

  /**
   * A DNS query sent again (same UDP conversation and transaction ID) less than 5 seconds after
   * the original (tshark's dns.retransmission_timer): "DNS query retransmission. Original
   * request in frame N". Past 5 seconds it is a new original (black-box, ppa3 nowebaccess1: queries
   * at 0, 2 and 4 s are one request, the one at 8 s is not a retransmission of either).
   */
  private dnsQuery(n: number, stream: number, L: LayerRec, sp: number, dp: number): void {
    const o = L.off + 8;
    if (L.end - o < 12 || udpCandidate(sp, dp)?.name !== 'dns') return;
    const key = `${stream}|${(L.buf[o] << 8) | L.buf[o + 1]}`;
    const orig = this.dnsOrig.get(key);
    if (L.buf[o + 2] & 0x80) {
      // A response: linked to the query of its conversation and ID (the first response only).
      if (orig !== undefined && !this.dnsLinks.has(orig)) {
        this.dnsLinks.set(orig, n);
        this.dnsLinks.set(n, -orig);
      }
      return;
    }
    if (orig !== undefined && this.s.frames.nsBetween(n, orig) < 5e9) this.dnsRetrans.set(n, orig);
    else this.dnsOrig.set(key, n);
  }

  /** DNS over UDP: query frame → its response, response frame → −query. */
  private dnsLinks = new Map<number, number>();

  /** The request/response link of a DNS message over UDP: [response in, request in] (0 = none). */
  dnsLink(n: number): [number, number] {
    const v = this.dnsLinks.get(n) ?? 0;
    return v > 0 ? [v, 0] : [0, -v];
  }

  /** The original request of a retransmitted DNS query (UDP), or undefined. */
  dnsRetransmissionOf(n: number): number | undefined {
    return this.dnsRetrans.get(n);
  }

  /** Call once every frame was added: previous frames of each UDP stream. */
  finish(): void {
    const last: number[] = [];
    for (let i = 0; i < this.udpStream.length; i++) {
      const id = this.udpStream[i];
      if (id < 0) continue;
      this.udpPrev[i] = last[id] ?? i + 1;
      last[id] = i + 1;
    }
  }

  udp(n: number): UdpStreamInfo | undefined {
    const id = this.udpStream[n - 1];
    if (id === undefined || id < 0) return undefined;
    const t = this.s.frames;
    return { stream: id, sinceFirst: fmtRelNs(t.nsBetween(n, this.udpFirst[id])), sincePrev: fmtRelNs(t.nsBetween(n, this.udpPrev[n - 1])) };
  }

  echoLink(n: number): EchoLink {
    return this.echo.get(n) ?? {};
  }
}

const sides = new WeakMap<CaptureSession, Promise<TreeSide>>();
const built = new WeakMap<CaptureSession, TreeSide>();

/** The capture-wide facts if they were built already (synchronous callers: the Info column). */
export function builtSide(s: CaptureSession): TreeSide | undefined {
  return built.get(s);
}


/** The capture-wide facts of the tree (UDP streams, echo links): one pass, built on first use. */
export function treeSide(s: CaptureSession): Promise<TreeSide> {
  let t = sides.get(s);
  if (!t) {
    t = buildSide(s);
    sides.set(s, t);
  }
  return t;
}

/**
 * Whether tracked TCP frame `n` may carry expert items outside TCP's (fields/expert-net.ts): its
 * Ethernet frame goes on past the IP packet (padding or a trailer: X_PAST_IP, set by the load),
 * or its side of the conversation sent a TTL below 5 (Flow.ttlLo, RSTs in rstTtl). From the
 * columns and the conversations: no bytes read.
 */
function tcpMayHaveNetItems(s: CaptureSession, n: number): boolean {
  const t = s.frames;
  const conv = s.analyzer.conversations[t.stream[n - 1]];
  if (!conv || conv.flow(0).ttlLo < 5 || conv.flow(1).ttlLo < 5 || (t.rstTtl.get(n) ?? 255) < 5) return true;
  return (t.xflags[n - 1] & X_PAST_IP) !== 0;
}

/** Frames per read: a read spans at most this many frames (nearby frames of interest share one). */
const SPAN = 1024;

/**
 * The capture-wide pass: frames outside TCP conversations are read again (in reads of nearby
 * ones) and decoded; a capture of TCP conversations only reads nothing.
 */
async function buildSide(s: CaptureSession): Promise<TreeSide> {
  const side = new TreeSide(s);
  const t = s.frames;
  const list: number[] = [];
  for (let n = 1; n <= t.count; n++) {
    // A frame of a TCP conversation carries no UDP datagram or ICMP echo of its own; a few
    // have expert items outside TCP's all the same (fields/expert-net.ts reads those again).
    if (t.stream[n - 1] < 0) list.push(n);
    else if (tcpMayHaveNetItems(s, n)) side.tcpNetCandidates.push(n);
  }
  const p = new Packet();
  for (let i = 0; i < list.length; ) {
    const lo = list[i];
    let j = i;
    while (j + 1 < list.length && list[j + 1] - lo < SPAN) j++;
    const { bytes, offsets } = await s.readFrames(lo, list[j]);
    for (; i <= j; i++) {
      const n = list[i];
      const off = offsets[n - lo];
      if (off === undefined || off + t.capLen[n - 1] > bytes.length) continue;
      decodeAgain(s, p, n, bytes, off);
      side.add(n, layersOf(p, bytes));
    }
  }
  side.finish();
  setUdpLinks(s, (n) => side.dnsLink(n));
  built.set(s, side);
  return side;
}

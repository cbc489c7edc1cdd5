/**
 * The application layer of a session, kept apart from the load's hot path (reader → decodeTcpFast →
 * TcpAnalyzer, which never sees it):
 *
 *   UDP datagram ──▶ registry (port, heuristics) ──▶ dissector.udp()           (stateless, per frame)
 *   TCP segment  ──▶ StreamApp of its conversation (stream.ts, reassembly) ──▶ dissector.tcpPdu()
 *
 * TCP conversations are fed in frame order by one sweep over the file (`prepareApp(s, upTo)`),
 * made when a host first needs frames up to `upTo` (rows, details, fields, the expert tally); the
 * CLI feeds its printing pass directly (`feedApp`). Results are kept per conversation only for
 * frames that have one. `appFrame(c)` answers for a decoded frame.
 */
import { Packet, TH_FIN, TH_SYN } from '../decode/packet';
import type { CaptureSession } from '../session';
import { TF_DIR_BA, TF_QUOTED, TF_TCP } from '../tcp/frames';
import * as A from '../tcp/flags';
import { frameCtx, type FrameCtx } from '../fields/project';
import { decodeAgain } from '../fields/decode-again';
import { heuristicUdp, tcpCandidate, udpCandidate } from './registry';
import { StreamApp, type AppFrame } from './stream';
import type { AppDissector, AppExpert, DirState, Expected, Slice } from './types';

export type { AppFrame };

class AppLayer {
  readonly streams: (StreamApp | undefined)[] = [];
  /** Every TCP frame 1..fedUpTo has been fed. */
  fedUpTo = 0;
  /** A sweep in progress (one at a time). */
  sweeping: Promise<void> | undefined;
  /** TCP conversations announced by others (FTP's PASV/PORT), by port: the next one with that port takes it. */
  readonly expected = new Map<number, Expected>();
  readonly expect = (port: number, by: AppDissector, link: DirState): void => {
    this.expected.set(port, { by, link });
  };

  /** The announcement a new conversation answers to (consumed), if any. */
  claim(portA: number, portB: number): Expected | undefined {
    if (this.expected.size === 0) return undefined;
    for (const port of [portB, portA]) {
      const e = this.expected.get(port);
      if (e) {
        this.expected.delete(port);
        return e;
      }
    }
    return undefined;
  }
}

const LAYERS = new WeakMap<CaptureSession, AppLayer>();

function layerOf(s: CaptureSession): AppLayer {
  let l = LAYERS.get(s);
  if (!l) LAYERS.set(s, (l = new AppLayer()));
  return l;
}

/**
 * Feed decoded frame `c` to its TCP conversation, if it is the next frame not fed yet (frames
 * must come in frame order; a frame already fed is ignored).
 */
export function feedApp(c: FrameCtx): void {
  const l = layerOf(c.s);
  if (c.n !== l.fedUpTo + 1) return;
  l.fedUpTo = c.n;
  const p = c.p;
  if (!p.hasTcp || p.tcpQuoted || !c.conv || !c.F || !p.tcpFull || p.segLen < 0) return;
  const t = c.s.frames;
  const i = c.n - 1;
  // A connection announced by another (FTP's PASV/PORT) is claimed at its SYN: tshark shows no SYN in its completeness.
  if (p.flags & TH_SYN && l.expected.size && !l.streams[c.conv.stream] && t.tflags[i] & TF_TCP && !(t.tflags[i] & TF_QUOTED)) {
    const announced = l.claim(c.conv.portA, c.conv.portB);
    if (announced) {
      l.streams[c.conv.stream] = new StreamApp(c.conv.portA, c.conv.portB, announced, l.expect);
      c.conv.lostBits = 1;
    }
  }
  if (p.segLen === 0 && !(p.flags & TH_FIN)) return;
  if (!(t.tflags[i] & TF_TCP) || t.tflags[i] & TF_QUOTED) return;
  const stream = c.conv.stream;
  let st = l.streams[stream];
  if (!st) {
    const announced = l.claim(c.conv.portA, c.conv.portB);
    if (announced) c.conv.lostBits = 1;
    l.streams[stream] = st = new StreamApp(c.conv.portA, c.conv.portB, announced, l.expect);
  }
  const from = p.tcpOff + p.hdrLen;
  const have = Math.max(0, Math.min(p.segLen, p.tcpAvail - p.hdrLen));
  const payload = p.tcpBuf.subarray(from, from + have);
  const seq = (p.seq - c.F.baseAt(c.n) + (p.flags & TH_SYN ? 1 : 0)) | 0;
  const d = t.tflags[i] & TF_DIR_BA ? 1 : 0;
  const retrans = (t.aflags[i] & (A.A_RETRANSMISSION | A.A_FAST_RETRANSMISSION | A.A_SPURIOUS_RETRANSMISSION)) !== 0;
  st.feed(c.n, d, seq, payload, retrans, t.nsBetween(c.n, 1) / 1e9, have < p.segLen, (p.flags & TH_FIN) !== 0, (t.aflags[i] & A.A_FAST_RETRANSMISSION) !== 0, (t.aflags[i] & A.A_OUT_OF_ORDER) !== 0, p.segLen);
}

/** Batch of bytes read at a time by a sweep. */
const SWEEP_BYTES = 2 * 1024 * 1024;

/** Make sure every TCP frame up to `upTo` has been fed (reads the frames not fed yet once). */
export async function prepareApp(s: CaptureSession, upTo: number): Promise<void> {
  const l = layerOf(s);
  upTo = Math.min(upTo, s.frames.count);
  while (l.fedUpTo < upTo) {
    if (l.sweeping) {
      await l.sweeping;
      continue;
    }
    l.sweeping = sweep(s, l, upTo);
    try {
      await l.sweeping;
    } finally {
      l.sweeping = undefined;
    }
  }
}

async function sweep(s: CaptureSession, l: AppLayer, upTo: number): Promise<void> {
  const t = s.frames;
  const p = new Packet();
  // Frames feedApp passes over, known from the columns: not tracked TCP, quoted, or no payload
  // and no FIN (tcp.len + 1 = 1). Runs of them are stepped over without reading their bytes.
  const passed = (n: number) => {
    const tf = t.tflags[n - 1];
    return !(tf & TF_TCP) || (tf & TF_QUOTED) !== 0 || (t.segLen[n - 1] === 1 && !(tf & TH_FIN));
  };
  while (l.fedUpTo < upTo) {
    while (l.fedUpTo < upTo && passed(l.fedUpTo + 1)) l.fedUpTo++;
    if (l.fedUpTo >= upTo) return;
    const lo = l.fedUpTo + 1;
    let hi = lo;
    const start = t.offsetOf(lo - 1);
    while (hi < upTo && t.offsetOf(hi) + t.capLen[hi] - start <= SWEEP_BYTES) hi++;
    const { bytes, offsets } = await s.readFrames(lo, hi);
    for (let n = lo; n <= hi; n++) {
      if (l.fedUpTo !== n - 1) return; // fed meanwhile by someone else
      const off = offsets[n - lo];
      if (off === undefined || off + t.capLen[n - 1] > bytes.length || passed(n)) {
        l.fedUpTo = n;
        continue;
      }
      // The load's short path when it applies (it fills every TCP field the feed reads).
      const lt = s.linkType(n);
      if (s.decoder.decodeTcpFast(p, bytes, off, t.capLen[n - 1], t.origLen[n - 1], lt) && p.hasTcp) feedApp(frameCtx(s, n, p, bytes, off));
      else feedApp(decodeAgain(s, p, n, bytes, off));
      l.fedUpTo = n;
    }
  }
}

/** The application layer of each TCP conversation by tcp.stream (after prepareApp; undefined: nothing fed). */
export function appStreams(s: CaptureSession): readonly (StreamApp | undefined)[] {
  return layerOf(s).streams;
}

/** The application result of TCP frame `n` from the stream column alone (after prepareApp). */
export function tcpAppFrame(s: CaptureSession, n: number): AppFrame | undefined {
  const stream = s.frames.stream[n - 1];
  if (stream < 0) return undefined;
  return LAYERS.get(s)?.streams[stream]?.frames.get(n);
}

/** The reassembly error item of TCP frame `n` (after prepareApp): a retransmission into a PDU being reassembled. */
export const OVERLAP: AppExpert = { severity: 'error', group: 'Malformed', protocol: 'TCP', summary: 'New fragment overlaps old data (retransmission?)' };
export function tcpReassemblyError(s: CaptureSession, n: number): AppExpert | undefined {
  const stream = s.frames.stream[n - 1];
  if (stream < 0) return undefined;
  return LAYERS.get(s)?.streams[stream]?.overlaps.has(n) ? OVERLAP : undefined;
}

const UDP_CACHE = new WeakMap<FrameCtx, AppFrame | null>();

/** Request/response links of UDP frames, by frame: [response in, request in] (set by the tree's capture-wide pass, tree/side.ts). */
const UDP_LINKS = new WeakMap<CaptureSession, (n: number) => [number, number]>();

export function setUdpLinks(s: CaptureSession, links: (n: number) => [number, number]): void {
  UDP_LINKS.set(s, links);
}

/** Per session, the UDP dissectors' ordered pass (AppDissector.udpOrdered): per conversation its dissector and state, per frame the result. */
const UDP_ORDERED = new WeakMap<CaptureSession, { convs: Map<number, { by?: AppDissector; st: DirState }>; frames: Map<number, { by: AppDissector; v: unknown }> }>();

/**
 * One UDP datagram of frame `n` (UDP conversation `stream`, sent by `src`), in frame order, for the
 * dissectors whose UDP PDUs depend on earlier datagrams (called by the tree's capture-wide pass).
 * A conversation a dissector took by its content stays with it (QUIC's short headers on any port).
 */
export function feedUdpOrdered(s: CaptureSession, n: number, stream: number, slice: Slice, srcPort: number, dstPort: number, src: string): void {
  let o = UDP_ORDERED.get(s);
  if (!o) UDP_ORDERED.set(s, (o = { convs: new Map(), frames: new Map() }));
  let conv = o.convs.get(stream);
  const by = conv?.by ?? udpCandidate(srcPort, dstPort) ?? (slice.end > slice.off ? heuristicUdp(slice) : undefined);
  if (!by?.udpOrdered) return;
  if (!conv) o.convs.set(stream, (conv = { st: {} }));
  conv.by = by;
  o.frames.set(n, { by, v: by.udpOrdered(slice, { frame: n, srcPort, dstPort, conv: conv.st, src }) });
}

/** What the application layer says about decoded frame `c` (undefined: nothing, or not prepared). */
export function appFrame(c: FrameCtx): AppFrame | undefined {
  const p = c.p;
  if (p.hasTcp) {
    if (p.tcpQuoted || !c.conv) return undefined;
    return LAYERS.get(c.s)?.streams[c.conv.stream]?.frames.get(c.n);
  }
  if (p.udpBufOff < 0 || p.udpQuoted || p.udpLen < 8) return undefined;
  const cached = UDP_CACHE.get(c);
  if (cached !== undefined) return cached ?? undefined;
  const slice: Slice = { b: p.udpBuf, off: p.udpBufOff + 8, end: p.udpEnd };
  // A datagram the capture cut: its whole length (QUIC's packet length is the reported one).
  if (p.udpLen - 8 > slice.end - slice.off) slice.total = p.udpLen - 8;
  const ordered = p.udpQuoted ? undefined : UDP_ORDERED.get(c.s)?.frames.get(c.n);
  const by = ordered?.by ?? udpCandidate(p.udpSrc, p.udpDst) ?? heuristicUdp(slice);
  let out: AppFrame | null = null;
  if (by?.udp && slice.end > slice.off) {
    const pdu = by.udp(slice, { frame: c.n, srcPort: p.udpSrc, dstPort: p.udpDst, ordered: ordered?.v });
    if (pdu) {
      const link = by.udpLink ? UDP_LINKS.get(c.s)?.(c.n) : undefined;
      if (link && (link[0] || link[1])) by.udpLink!(pdu, link[0], link[1], link[1] ? c.s.frames.nsBetween(c.n, link[1]) / 1e9 : 0);
      out = { pdus: [pdu], segment: false, by };
    }
  }
  UDP_CACHE.set(c, out);
  return out ?? undefined;
}

/**
 * Whether tshark hands TCP frame `c`'s payload to no dissector at all, not even "data" (spec
 * §2.15): a retransmission or an out-of-order segment (its "do not call subdissectors for error
 * packets" preference), a spurious retransmission in a conversation whose port has a dissector
 * that reassembles (the reassembly drops it), and data seen before that such a dissector is not
 * given again (StreamApp: `retransmitted`).
 */
export function tcpPayloadWithheld(c: FrameCtx): boolean {
  const af = c.s.frames.aflags[c.n - 1];
  if (af & A.A_KEEP_ALIVE) return false; // handed to "data"
  if (af & (A.A_RETRANSMISSION | A.A_OUT_OF_ORDER)) return true;
  const p = c.p;
  if (af & A.A_SPURIOUS_RETRANSMISSION && tcpCandidate(p.srcPort, p.dstPort)) return true;
  return appFrame(c)?.retransmitted !== undefined;
}

const MALFORMED = (protocol: string): AppExpert => ({ severity: 'error', group: 'Malformed', protocol, summary: 'Malformed Packet (Exception occurred)' });

/**
 * The items of TCP frame `n`'s application PDUs, in order: each PDU's, then tshark's "Malformed
 * Packet" of one whose dissector threw (a frame cut by the capture is "size limited" instead).
 */
export function tcpPduExperts(s: CaptureSession, n: number, a: AppFrame | undefined): AppExpert[] {
  const out: AppExpert[] = [];
  if (!a) return out;
  const cut = s.frames.capLen[n - 1] < s.frames.origLen[n - 1];
  for (const pdu of a.pdus) {
    for (const e of pdu.experts ?? []) out.push(e);
    if (pdu.malformed && !cut) out.push(MALFORMED(pdu.malformedBy ?? pdu.proto));
  }
  return out;
}

/** The expert items of a frame's application PDUs, in order (TCP frames; after prepareApp). */
export function appExperts(c: FrameCtx): AppExpert[] {
  const out = c.p.hasTcp ? tcpPduExperts(c.s, c.n, appFrame(c)) : [];
  // Then the reassembly error of bytes resent into a PDU being reassembled.
  const overlap = c.p.hasTcp && !c.p.tcpQuoted && c.conv ? tcpReassemblyError(c.s, c.n) : undefined;
  if (overlap) out.push(overlap);
  return out;
}

/** The Protocol column word of an application frame (its last PDU's that sets the columns; else TCP's). */
export function appProtocol(a: AppFrame): string {
  for (let k = a.pdus.length - 1; k >= 0; k--) if (!a.pdus[k].silent) return a.pdus[k].proto;
  return 'TCP';
}

/**
 * The Info text of an application frame's PDUs; `plain`: TCP's Info, kept when no PDU sets the
 * column (Pdu.silent: their texts follow it).
 */
export function appInfo(a: AppFrame, cutFrame = false, plain = ''): string {
  const loud = a.pdus.filter((x) => !x.silent);
  const infos = loud.map((x) => x.info);
  let s = !loud.length ? plain + a.pdus.map((x) => x.info).join('') : a.by.joinInfo ? a.by.joinInfo(infos) : infos.join(' , ');
  if (!cutFrame && a.pdus.some((x) => x.malformed)) s += '[Malformed Packet]';
  return s;
}

/** Every value of application field `name` in the frame, in PDU order. */
export function appFieldValues(c: FrameCtx, name: string): string[] {
  const a = appFrame(c);
  if (!a) return [];
  const out: string[] = [];
  for (const pdu of a.pdus) for (const [k, v] of pdu.fields) if (k === name) out.push(v);
  return out;
}

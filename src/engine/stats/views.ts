/**
 * The statistics as the web app shows them (plain data a worker can post): every conversation
 * and endpoint table at once (one decoding pass, the same StatsPass as `-z conv`), the TCP
 * conversations' completeness and analysis flags (from the columns), and one TCP stream followed
 * (only that stream's frames are read again).
 */
import type { CaptureSession } from '../session';
import { Packet } from '../decode/packet';
import { decodeAgain } from '../fields/decode-again';
import { FLAG_ORDER } from '../tcp/flags';
import { addressFromWords } from '../fields/summary';
import { CONV_TYPES, relCmp, type ConvRow, type ConvType, type EndpointRow } from './conversations';
import { StatsPass, followPacket, framePayload } from './collect';
import { FlowSums } from './flow-sums';
import { pseudoHeaderLen } from '../decode/decoder';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_FAST } from '../tcp/frames';
import { decodeAll } from './index';
import { TcpFollower, missingMarker, type FollowChunk, type FollowNode } from './follow';

export interface TcpConvInfo {
  /** tcp.completeness bits (1 SYN, 2 SYN/ACK, 4 ACK, 8 data, 16 FIN, 32 RST). */
  completeness: number;
  /** Analysis flags seen in the stream: Info word and number of frames. */
  flags: { word: string; field: string; count: number }[];
}

export interface AllConversations {
  conv: Record<ConvType, ConvRow[]>;
  endpoints: Record<ConvType, EndpointRow[]>;
  /** By tcp.stream. */
  tcp: TcpConvInfo[];
}

/** The TCP tabs alone, from the columns: what the panel shows while the other tables are counted. */
export interface TcpTables {
  rows: ConvRow[];
  endpoints: EndpointRow[];
  tcp: TcpConvInfo[];
}

export function tcpTables(s: CaptureSession): TcpTables {
  const rows = tcpConversationsFromColumns(s);
  return { rows, endpoints: endpointsOf(rows), tcp: tcpInfo(s) };
}

/**
 * Every table of Statistics → Conversations / Endpoints: TCP from the columns, the others from the
 * load's side record (stats/net-record.ts: no read of the file; before the end of a load, one pass
 * over the file, most frames on StatsPass's fast path).
 */
export async function allConversations(s: CaptureSession, tcpTabs?: TcpTables): Promise<AllConversations> {
  const others = CONV_TYPES.filter((t) => t !== 'tcp');
  const pass = new StatsPass(s, { conv: others, endpoints: others });
  // From the load's side record (no read of the file), once the load is over.
  if (s.isLoaded) pass.fromRecord(tcpFlowSums(s));
  else await decodeAll(s, pass);
  // The TCP tabs: those the panel was shown first when given (the same data), else from the columns.
  const tcp = tcpTabs ?? tcpTables(s);
  const conv = { tcp: tcp.rows } as Record<ConvType, ConvRow[]>;
  const endpoints = { tcp: tcp.endpoints } as Record<ConvType, EndpointRow[]>;
  for (const t of others) {
    conv[t] = pass.conv.get(t)!.rows;
    endpoints[t] = pass.endpoints.get(t)!.rows;
  }
  return { conv, endpoints, tcp: tcp.tcp };
}

/**
 * The endpoints of a conversation table whose rows are in first-frame order (each row's first
 * frame is from A to B): the order in which a frame-by-frame tap meets them, with the same sums.
 */
export function endpointsOf(rows: readonly ConvRow[]): EndpointRow[] {
  const out: EndpointRow[] = [];
  const index = new Map<string, EndpointRow>();
  const add = (addr: string, port: number, txF: number, txB: number, rxF: number, rxB: number) => {
    const key = `${addr}|${port}`;
    let e = index.get(key);
    if (!e) {
      e = { addr, port, txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0 };
      index.set(key, e);
      out.push(e);
    }
    e.txFrames += txF;
    e.txBytes += txB;
    e.rxFrames += rxF;
    e.rxBytes += rxB;
  };
  for (const r of rows) {
    add(r.addrA, r.portA, r.framesAB, r.bytesAB, r.framesBA, r.bytesBA);
    add(r.addrB, r.portB, r.framesBA, r.bytesBA, r.framesAB, r.bytesAB);
  }
  return out;
}

/**
 * The TCP conversations straight from the columns (no re-read): per tcp.stream, frames and
 * frame.len bytes by direction and the first/last times, for every tracked TCP header that is
 * not quoted in an ICMP error nor cut inside its options — the frames the TCP tap sees. The same
 * rows as the decoding pass gives (checked over the corpora), in a few milliseconds.
 */
const TCP_SUMS = new WeakMap<CaptureSession, FlowSums>();

/**
 * The TCP tap's frames summed per stream and direction (flow-sums.ts: a row does not depend on
 * the order of its packets): once per loaded session (the Conversations tables share them).
 */
function tcpFlowSums(s: CaptureSession): FlowSums {
  const kept = TCP_SUMS.get(s);
  if (kept) return kept;
  const t = s.frames;
  const sums = new FlowSums(t, 2 * s.analyzer.conversations.length);
  let pseudo = 0;
  let pseudoIface = -1;
  // Whether the frames summed are the load's fast ones (then the IPv4/IPv6 tables' sums too: collect.ts fromRecord).
  let fastOnly = true;
  for (let i = 0; i < t.count; i++) {
    const st = t.stream[i];
    const tf = t.tflags[i];
    const fast = (t.xflags[i] & X_FAST) !== 0;
    if (st < 0 || !(tf & TF_TCP) || tf & (TF_QUOTED | TF_TRUNCATED)) {
      if (fast) fastOnly = false;
      continue;
    }
    if (!fast) fastOnly = false;
    const iface = t.ifaceOf(i);
    if (iface !== pseudoIface) {
      pseudoIface = iface;
      pseudo = pseudoHeaderLen(s.linkType(i + 1));
    }
    sums.add(2 * st + (tf & TF_DIR_BA ? 1 : 0), i + 1, Math.max(0, t.origLen[i] - pseudo));
  }
  sums.fastFramesOnly = fastOnly;
  if (s.isLoaded) TCP_SUMS.set(s, sums);
  return sums;
}

export function tcpConversationsFromColumns(s: CaptureSession): ConvRow[] {
  const convs = s.analyzer.conversations;
  const sums = tcpFlowSums(s);
  const rows: ConvRow[] = [];
  for (let st = 0; st < convs.length; st++) {
    const a = 2 * st;
    const b = a + 1;
    const has = [sums.n[a] > 0, sums.n[b] > 0];
    if (!has[0] && !has[1]) continue;
    const frames = [a, b].filter((_, k) => has[k]);
    const lo = frames.map((g) => sums.lo[g]).reduce((x, y) => (relCmp(sums.rel(y), sums.rel(x)) < 0 ? y : x));
    const hi = frames.map((g) => sums.hi[g]).reduce((x, y) => (relCmp(sums.rel(y), sums.rel(x)) > 0 ? y : x));
    const c = convs[st];
    rows.push({
      addrA: addressFromWords(c.family, c.address(0)),
      addrB: addressFromWords(c.family, c.address(1)),
      portA: c.portA,
      portB: c.portB,
      stream: st,
      framesAB: sums.n[a],
      bytesAB: sums.bytes[a],
      framesBA: sums.n[b],
      bytesBA: sums.bytes[b],
      start: sums.rel(lo),
      stop: sums.rel(hi),
      firstFrame: Math.min(...frames.map((g) => sums.first[g])),
    });
  }
  // Rows in the order a frame-by-frame tap meets them.
  return rows.sort((x, y) => x.firstFrame - y.firstFrame);
}

/** Completeness and per-flag frame counts of every TCP stream, from the columns. */
export function tcpInfo(s: CaptureSession): TcpConvInfo[] {
  const convs = s.analyzer.conversations;
  const counts = convs.map(() => new Uint32Array(FLAG_ORDER.length));
  const t = s.frames;
  for (let i = 0; i < t.count; i++) {
    const st = t.stream[i];
    const af = t.aflags[i];
    if (st < 0 || (af & 0x7fff) === 0) continue;
    const c = counts[st];
    for (let k = 0; k < FLAG_ORDER.length; k++) if (af & FLAG_ORDER[k].bit) c[k]++;
  }
  return convs.map((cv, i) => ({
    completeness: cv.completeness,
    flags: FLAG_ORDER.map((f, k) => ({ word: f.word, field: f.field, count: counts[i][k] })).filter((f) => f.count > 0),
  }));
}

/** A chunk of a followed stream without its bytes (what the view lists; the bytes are read on demand). */
export interface FollowMeta {
  server: boolean;
  frame: number;
  len: number;
  missing: boolean;
}

/**
 * A followed stream's chunks as an index: frame, where the chunk starts in that frame's TCP
 * payload (for a missing-bytes marker: how many bytes), its length and direction — 13 bytes a
 * chunk whatever its size, so a 100 MB stream costs its chunk count, not its bytes.
 */
export class FollowIndex {
  count = 0;
  frame = new Uint32Array(256);
  at = new Uint32Array(256);
  len = new Uint32Array(256);
  /** 1 = sent by the server, 2 = a missing-bytes marker. */
  flags = new Uint8Array(256);

  push(c: FollowChunk): void {
    if (this.count === this.frame.length) {
      const grow = <T extends Uint32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.frame = grow(this.frame);
      this.at = grow(this.at);
      this.len = grow(this.len);
      this.flags = grow(this.flags);
    }
    const i = this.count++;
    this.frame[i] = c.frame;
    this.at[i] = c.at;
    this.len[i] = c.data.length;
    this.flags[i] = (c.server ? 1 : 0) | (c.missing ? 2 : 0);
  }

  meta(i: number): FollowMeta {
    return { server: (this.flags[i] & 1) !== 0, frame: this.frame[i], len: this.len[i], missing: (this.flags[i] & 2) !== 0 };
  }
}

export interface FollowResult {
  stream: number;
  client: FollowNode | undefined;
  server: FollowNode | undefined;
  /** Payload bytes per direction (client → server, server → client). */
  bytes: [number, number];
  index: FollowIndex;
}

/** Frames whose bytes lie within one span are read with one read. */
const SPAN = 4 * 1024 * 1024;

/** Read frames (ascending) again in spans of neighbouring frames and decode each into `p`. */
async function eachFrame(
  s: CaptureSession,
  frames: ArrayLike<number>,
  p: Packet,
  fn: (n: number) => void,
  afterSpan?: () => void,
  isCancelled?: () => boolean,
): Promise<void> {
  const t = s.frames;
  for (let k = 0; k < frames.length && !isCancelled?.();) {
    const first = frames[k];
    const lo = t.offsetOf(first - 1);
    let j = k + 1;
    while (j < frames.length && t.offsetOf(frames[j] - 1) + t.capLen[frames[j] - 1] - lo <= SPAN) j++;
    const last = frames[j - 1];
    const { bytes, offsets } = await s.readFrames(first, last);
    for (let q = k; q < j; q++) {
      const n = frames[q];
      decodeAgain(s, p, n, bytes, offsets[n - first]);
      fn(n);
    }
    k = j;
    afterSpan?.();
  }
}

/** Whether the follower takes the frame decoded in p (the TCP tap's frames). */
const followed = (p: Packet) => p.hasTcp && !p.tcpQuoted && p.tcpFull && p.tcpAvail >= p.hdrLen;

/**
 * Follow TCP stream `stream`: its frames are read again in batches (only those frames) and put
 * together; the chunks are kept as an index (FollowIndex, no bytes) and go to `onChunks` as
 * each batch is done (a view can show the first screen early). followChunks() reads the bytes
 * of the chunks a view shows.
 */
export async function followStream(
  s: CaptureSession,
  stream: number,
  onChunks?: (c: FollowMeta[]) => void,
  isCancelled?: () => boolean,
): Promise<FollowResult> {
  const f = new TcpFollower(false);
  const index = new FollowIndex();
  f.onChunk = (c) => index.push(c);
  const t = s.frames;
  const frames: number[] = [];
  for (let i = 0; i < t.count; i++) if (t.stream[i] === stream) frames.push(i + 1);
  const p = new Packet();
  let sent = 0;
  await eachFrame(
    s,
    frames,
    p,
    (n) => {
      if (!followed(p)) return;
      const v6 = p.family === 6;
      f.push(
        followPacket(s, n, p, { addr: addressFromWords(p.family, p.src), v6, port: p.srcPort }, { addr: addressFromWords(p.family, p.dst), v6, port: p.dstPort }),
      );
    },
    () => {
      if (!onChunks || index.count === sent) return;
      const batch: FollowMeta[] = [];
      for (; sent < index.count; sent++) batch.push(index.meta(sent));
      onChunks(batch);
    },
    isCancelled,
  );
  return { stream, client: f.client, server: f.server, bytes: [f.bytes[0], f.bytes[1]], index };
}

/** The bytes of chunks from..to-1 of a followed stream, read again from their frames. */
export async function followChunks(s: CaptureSession, index: FollowIndex, from: number, to: number): Promise<Uint8Array[]> {
  const lo = Math.max(0, from);
  const hi = Math.min(index.count, to);
  const want = new Set<number>();
  for (let i = lo; i < hi; i++) if (!(index.flags[i] & 2)) want.add(index.frame[i]);
  const frames = [...want].sort((a, b) => a - b);
  const payloads = new Map<number, Uint8Array>();
  const p = new Packet();
  await eachFrame(s, frames, p, (n) => {
    if (followed(p)) payloads.set(n, framePayload(p).slice());
  });
  const out: Uint8Array[] = [];
  for (let i = lo; i < hi; i++) {
    if (index.flags[i] & 2) out.push(missingMarker(index.at[i]));
    else out.push((payloads.get(index.frame[i]) ?? new Uint8Array(0)).subarray(index.at[i], index.at[i] + index.len[i]));
  }
  return out;
}

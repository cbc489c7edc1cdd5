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
import { StatsPass, followPacket, relTime } from './collect';
import { pseudoHeaderLen } from '../decode/decoder';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED } from '../tcp/frames';
import { decodeAll } from './index';
import { TcpFollower, type FollowChunk, type FollowNode } from './follow';

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
 * Every table of Statistics → Conversations / Endpoints: TCP from the columns, the others in one
 * pass over the file (most frames on StatsPass's fast path: headers read, nothing decoded).
 */
export async function allConversations(s: CaptureSession): Promise<AllConversations> {
  const others = CONV_TYPES.filter((t) => t !== 'tcp');
  const pass = new StatsPass(s, { conv: others, endpoints: others });
  await decodeAll(s, pass);
  const tcp = tcpConversationsFromColumns(s);
  const conv = { tcp } as Record<ConvType, ConvRow[]>;
  const endpoints = { tcp: endpointsOf(tcp) } as Record<ConvType, EndpointRow[]>;
  for (const t of others) {
    conv[t] = pass.conv.get(t)!.rows;
    endpoints[t] = pass.endpoints.get(t)!.rows;
  }
  return { conv, endpoints, tcp: tcpInfo(s) };
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
export function tcpConversationsFromColumns(s: CaptureSession): ConvRow[] {
  const t = s.frames;
  const convs = s.analyzer.conversations;
  const rows: (ConvRow | undefined)[] = new Array<ConvRow | undefined>(convs.length);
  const order: ConvRow[] = [];
  for (let i = 0; i < t.count; i++) {
    const st = t.stream[i];
    const tf = t.tflags[i];
    if (st < 0 || !(tf & TF_TCP) || tf & (TF_QUOTED | TF_TRUNCATED)) continue;
    const n = i + 1;
    const bytes = Math.max(0, t.origLen[i] - pseudoHeaderLen(s.linkType(n)));
    const [ds, dn] = t.secNsBetween(n, 1);
    const rel = relTime(ds, dn);
    let r = rows[st];
    if (!r) {
      const c = convs[st];
      const f = c.family;
      r = rows[st] = {
        addrA: addressFromWords(f, c.address(0)),
        addrB: addressFromWords(f, c.address(1)),
        portA: c.portA,
        portB: c.portB,
        stream: st,
        framesAB: 0,
        bytesAB: 0,
        framesBA: 0,
        bytesBA: 0,
        start: rel,
        stop: rel,
        firstFrame: n,
      };
      order.push(r);
    }
    if (tf & TF_DIR_BA) {
      r.framesBA++;
      r.bytesBA += bytes;
    } else {
      r.framesAB++;
      r.bytesAB += bytes;
    }
    if (relCmp(rel, r.stop) > 0) r.stop = rel;
    else if (relCmp(rel, r.start) < 0) r.start = rel;
  }
  return order;
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

export interface FollowResult {
  stream: number;
  client: FollowNode | undefined;
  server: FollowNode | undefined;
  chunks: FollowChunk[];
  /** Payload bytes per direction (client → server, server → client). */
  bytes: [number, number];
}

/**
 * Follow TCP stream `stream`: its frames are read again in batches (only those frames), and
 * the chunks go to `onChunks` as each batch is done (a view can show the first screen early).
 */
export async function followStream(
  s: CaptureSession,
  stream: number,
  onChunks?: (c: FollowChunk[]) => void,
  isCancelled?: () => boolean,
): Promise<FollowResult> {
  const f = new TcpFollower();
  const t = s.frames;
  const frames: number[] = [];
  for (let i = 0; i < t.count; i++) if (t.stream[i] === stream) frames.push(i + 1);
  const p = new Packet();
  const SPAN = 4 * 1024 * 1024;
  let sent = 0;
  for (let k = 0; k < frames.length && !isCancelled?.();) {
    // Frames whose bytes lie within one 4 MiB span are read with one read.
    const first = frames[k];
    const lo = t.offsetOf(first - 1);
    let j = k + 1;
    while (j < frames.length && t.offsetOf(frames[j] - 1) + t.capLen[frames[j] - 1] - lo <= SPAN) j++;
    const last = frames[j - 1];
    const { bytes, offsets } = await s.readFrames(first, last);
    for (let q = k; q < j; q++) {
      const n = frames[q];
      decodeAgain(s, p, n, bytes, offsets[n - first]);
      if (!p.hasTcp || p.tcpQuoted || !p.tcpFull || p.tcpAvail < p.hdrLen) continue;
      const v6 = p.family === 6;
      f.push(
        followPacket(
          s,
          n,
          p,
          { addr: addressFromWords(p.family, p.src), v6, port: p.srcPort },
          { addr: addressFromWords(p.family, p.dst), v6, port: p.dstPort },
        ),
      );
    }
    k = j;
    if (onChunks && f.chunks.length > sent) {
      onChunks(f.chunks.slice(sent));
      sent = f.chunks.length;
    }
  }
  return { stream, client: f.client, server: f.server, chunks: f.chunks, bytes: [f.bytes[0], f.bytes[1]] };
}

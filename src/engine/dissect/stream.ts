/**
 * Application PDUs over one TCP conversation, reassembled across segments as Wireshark does by
 * default (tcp.desegment_tcp_streams on, out-of-order reassembly off): each direction's in-order
 * payload is handed to the conversation's dissector; a PDU that needs more bytes than the segment
 * has is held until the segment that completes it, which shows the PDU, while the earlier ones show
 * "[TCP segment of a reassembled PDU]".
 *
 * Fed frame by frame in frame order (feed()); results are kept only for frames that have one, so
 * a stream of plain data costs nothing but its two direction records.
 */
import type { AppDissector, DirState, Expected, Pdu, TcpContext } from './types';
import { tcpCandidate, heuristicTcp, truncatingTcp } from './registry';

/** What the application layer says about one TCP frame. */
export interface AppFrame {
  /** PDUs that end in this frame, in order (empty for a segment of a reassembled PDU). */
  pdus: Pdu[];
  /** The frame carries part of a PDU that ends in a later frame (and no whole PDU). */
  segment: boolean;
  /** The dissector of the conversation (for joining Info texts). */
  by: AppDissector;
  /** Frame where the PDU this frame's trailing bytes belong to is reassembled (segments only). */
  reassembledIn?: number;
  /** The PDUs were reassembled from several frames: those frames. */
  from?: number[];
  /** Bytes of the first PDU each frame of `from` carried (tshark's "#8(1368), #10(1368)"). */
  fromBytes?: number[];
  /** Where each frame's bytes of `from` start in the PDU, when they overlap (absent: one after the other). */
  fromAt?: number[];
  /**
   * A segment after the first of a PDU whose length is still unknown: the Info text the dissector
   * wrote before asking for more (tshark -2 keeps it on the frames of a PDU that never completes).
   */
  partial?: string;
  /** Data seen before, not dissected again (tshark: "Retransmitted TCP segment data"). */
  retransmitted?: boolean;
  /** An out-of-order segment that joined or completed a PDU (StreamApp.outOfOrder): shown though no dissector had it. */
  ooo?: boolean;
  /** No PDU: `by`'s heuristic read past the bytes the capture kept (AppDissector.truncatesTcp). */
  truncated?: boolean;
}

/**
 * Bytes kept of a PDU whose length is known (or that runs to the FIN): enough for every dissector's
 * headers; a dissector that reads whole PDUs asks for more (AppDissector.tcpKeep: HTTP bodies).
 */
const KEEP = 64 * 1024;
/**
 * Bytes kept of a PDU whose length is not known yet (HTTP headers without their empty line; a
 * chunked body: then the dissector's tcpKeep if larger). Past this the bytes are not kept: the
 * segments are marked as parts of a PDU that never ends.
 */
const CAP = 1024 * 1024;

/**
 * A PDU of several segments, kept after it stopped being the direction's pending one: completed,
 * or left behind by a gap (a segment after a hole). An out-of-order segment may still join it.
 */
interface Msp {
  /** Relative sequence numbers: its first byte, the end of the bytes it has. */
  start: number;
  end: number;
  /** Its length when known (else 0: it asked for one more segment each time). */
  need: number;
  /** Frame that completed it (0: left behind by a gap). */
  done: number;
  frames: number[];
  counts: number[];
  /** Where each frame's bytes start in the PDU (absent: one after the other). */
  at?: number[];
}
/** PDUs of several segments remembered per direction (the latest). */
const MSPS = 8;

class Direction {
  /** Next relative sequence number expected in order (-1: none yet). */
  next = -1;
  /** Relative sequence number of the pending PDU's first byte. */
  start = 0;
  /** PDUs of several segments completed or left behind by a gap, the latest last (out-of-order segments may join them). */
  msps: Msp[] | undefined;
  /** A PDU started but not complete: its first bytes (buf[0, kept)). */
  buf: Uint8Array | undefined;
  kept = 0;
  /** Bytes of it seen so far. */
  have = 0;
  /** Its length when known, else 0 (then its bytes are kept, up to CAP, and the length asked again). */
  need = 0;
  /** It runs to the end of the direction: shown with the FIN. */
  toEnd = false;
  /** An unknown length past CAP: no longer kept. */
  overflow = false;
  frames: number[] = [];
  /** Bytes of the pending PDU each of `frames` carried. */
  counts: number[] = [];

  state: DirState = {};

  /** `keep`: the dissector's AppDissector.tcpKeep (bytes of a long PDU it wants whole). */
  add(b: Uint8Array, keep = KEEP): void {
    this.have += b.length;
    const known = this.need > 0 || this.toEnd;
    const limit = known ? keep : Math.max(CAP, keep);
    if (this.overflow || b.length === 0) return;
    if (this.kept + b.length > limit && !known) {
      this.overflow = true;
      this.buf = undefined;
      this.kept = 0;
      return;
    }
    const n = Math.min(b.length, limit - this.kept);
    if (n <= 0) return;
    if (!this.buf || this.kept + n > this.buf.length) {
      // The buffer doubles, up to the length when known (a bogus length allocates nothing up front).
      const grown = new Uint8Array(Math.min(limit, Math.max(this.kept + n, Math.min((this.buf?.length ?? 0) * 2, this.need > 0 ? this.need : Infinity), 2048)));
      if (this.buf) grown.set(this.buf.subarray(0, this.kept));
      this.buf = grown;
    }
    this.buf.set(n === b.length ? b : b.subarray(0, n), this.kept);
    this.kept += n;
  }

  bytes(): Uint8Array {
    return this.buf ? this.buf.subarray(0, this.kept) : new Uint8Array(0);
  }

  /** Remember a PDU of several segments (bounded: the latest MSPS). */
  remember(m: Msp): void {
    const l = (this.msps ??= []);
    if (l.length >= MSPS) l.shift();
    l.push(m);
  }

  /** The latest remembered PDU whose range holds relative sequence number `seq`. */
  mspAt(seq: number): Msp | undefined {
    const l = this.msps;
    if (!l) return undefined;
    for (let k = l.length - 1; k >= 0; k--) {
      const m = l[k];
      // Range: its known length, else up to one byte past its end (it asked for one more segment).
      const nxt = m.need > 0 ? m.start + m.need : m.done ? m.end : m.end + 1;
      if (((seq - m.start) | 0) >= 0 && ((seq - nxt) | 0) < 0) return m;
    }
    return undefined;
  }

  clear(): void {
    this.buf = undefined;
    this.kept = 0;
    this.have = 0;
    this.need = 0;
    this.toEnd = false;
    this.overflow = false;
    this.frames = [];
    this.counts = [];
  }
}

export class StreamApp {
  by: AppDissector | null | undefined;
  /** `by` was chosen by port (not announced, found by a heuristic or handed over by a PDU). */
  private byPort = false;
  private readonly dirs = [new Direction(), new Direction()];
  /** Frames with a result. */
  readonly frames = new Map<number, AppFrame>();
  /** Frames whose retransmitted bytes fell into a PDU being reassembled (a reassembly error in tshark). */
  readonly overlaps = new Set<number>();

  /** State shared with the conversation that announced this one (TcpContext.link). */
  private link: DirState | undefined;

  /**
   * `expected`: the conversation was announced by another one (FTP data); `expect`: how this one
   * announces others (TcpContext.expect).
   */
  constructor(
    readonly portA: number,
    readonly portB: number,
    expected?: Expected,
    private readonly expect: TcpContext['expect'] = () => {},
  ) {
    if (expected) {
      this.by = expected.by;
      this.link = expected.link;
    }
  }

  /**
   * One TCP segment of this conversation: frame `n`, direction `d` (0 = A → B), relative sequence
   * number `seq`, payload bytes; `retrans`: the TCP analysis found it a retransmission; `cut`:
   * the capture kept fewer bytes than the segment had (no reassembly then: what is there is shown);
   * `fin`: the segment ends the direction (a PDU that runs to the end of the connection ends here);
   * `ooo`: the TCP analysis found it out of order; `total`: its tcp.len (more than the payload when cut).
   */
  feed(n: number, d: number, seq: number, payload: Uint8Array, retrans: boolean, time: number, cut: boolean, fin: boolean, fast = false, ooo = false, total = payload.length): void {
    const dir = this.dirs[d];
    // A FIN without data only ends a PDU that runs to the end of the direction.
    if (payload.length === 0 && !(fin && dir.toEnd)) return;
    if (this.by === undefined || this.by === null) {
      const srcPort = d ? this.portB : this.portA;
      const dstPort = d ? this.portA : this.portB;
      const slice = { b: payload, off: 0, end: payload.length };
      // No dissector yet: each segment is tried again (Wireshark's heuristics run per segment).
      const port = tcpCandidate(srcPort, dstPort);
      const by = port && (!port.acceptsTcp || port.acceptsTcp(slice)) ? port : heuristicTcp(slice);
      if (!by) {
        const t = cut ? truncatingTcp(slice, total) : undefined;
        if (t) this.frames.set(n, { pdus: [], segment: false, by: t, truncated: true });
        return;
      }
      this.by = by;
      this.byPort = by === port;
    }
    let by = this.by;
    let trimmed = 0;
    if (dir.next >= 0 && seq !== dir.next && payload.length) {
      if (((seq - dir.next) | 0) < 0) {
        if (ooo && !retrans && this.outOfOrder(n, dir, seq, payload.length, by)) return;
        // Data seen before (a retransmission): not dissected again.
        if (((seq + payload.length - dir.next) | 0) <= 0 || retrans) {
          // A fast retransmission into a PDU held for reassembly: tshark's reassembly fails with
          // "New fragment overlaps old data (retransmission?)" (black-box, 4.0.17:
          // captures/crafted_*_sack_* frame 15, fast retransmissions into a header block on port 80
          // without its end; not for spurious (crafted_*_dsack frame 8) or RTO retransmissions
          // (crafted_retransmission_rto and 20 other captures), same bytes or not).
          if (fast && dir.have > 0 && ((seq - ((dir.next - dir.have) | 0)) | 0) >= 0) this.overlaps.add(n);
          this.frames.set(n, { pdus: [], segment: false, by, retransmitted: true });
          return;
        }
        trimmed = (dir.next - seq) >>> 0;
        payload = payload.subarray(trimmed);
        seq = dir.next;
      } else {
        // A gap: what was pending cannot be completed in order; an out-of-order segment may still
        // fill the hole (outOfOrder).
        if (dir.have > 0 && dir.frames.length && !dir.toEnd)
          dir.remember({ start: dir.start, end: (dir.start + dir.have) | 0, need: dir.need, done: 0, frames: dir.frames, counts: dir.counts });
        dir.clear();
      }
    }
    if (payload.length) dir.next = (seq + payload.length) | 0;
    // A port's dissector that refuses bytes does so at every PDU start, not only the first
    // (tshark's TLS on 443: ppa3 wrongdissector frames 32-36 'TYPE I\r\n'… go to data after
    // frame 30 'PWD\r\n' was taken).
    if (this.byPort && dir.have === 0 && by.acceptsTcp && payload.length && !by.acceptsTcp({ b: payload, off: 0, end: payload.length })) return;
    const peer = this.dirs[d ^ 1];
    const fromServer = (d ? this.portB : this.portA) === serverPort(by, this.portA, this.portB);
    const ctx: TcpContext = { dir: dir.state, peer: peer.state, fromServer, ports: [this.portA, this.portB] as const, frame: n, time, link: this.link, expect: this.expect };
    const pdus: Pdu[] = [];
    let from: number[] | undefined;
    let fromCounts: number[] | undefined;
    /** Relative sequence number of the first PDU of `from`, and of data[0]. */
    let fromStart = 0;
    let dataSeq = seq;
    /** Length of the first PDU completed from `from`. */
    let fromLen = 0;
    let data = payload;
    let scan = 0;
    let reuse = false;
    if (dir.have > 0) {
      dir.frames.push(n);
      if (dir.need > 0) {
        // A PDU of known length: count its bytes until it is whole.
        const take = Math.min(dir.need - dir.have, payload.length);
        dir.counts.push(take);
        dir.add(payload.subarray(0, take), by.tcpKeep);
        data = payload.subarray(take);
        if (dir.have < dir.need && !cut) {
          this.frames.set(n, { pdus, segment: true, by });
          return;
        }
        const whole = dir.bytes();
        pdus.push(by.tcpPdu!({ b: whole, off: 0, end: whole.length, total: dir.have }, ctx));
        from = dir.frames;
        fromCounts = dir.counts;
        fromLen = dir.have;
        fromStart = dir.start;
        dataSeq = (seq + take) | 0;
        dir.clear();
      } else if (dir.toEnd && !fin && !cut) {
        dir.counts.push(payload.length);
        dir.add(payload, by.tcpKeep);
        this.frames.set(n, { pdus, segment: true, by });
        return;
      } else {
        // A length not known yet: the bytes so far plus these, asked again (the dissector may
        // search only from `scan`, where the new bytes start).
        scan = Math.max(0, dir.kept);
        dir.counts.push(payload.length);
        dir.add(payload, by.tcpKeep);
        if (dir.overflow) {
          this.frames.set(n, { pdus, segment: true, by });
          return;
        }
        data = dir.bytes();
        from = dir.frames;
        fromCounts = dir.counts;
        fromStart = dataSeq = dir.start;
        reuse = true;
      }
    }
    let o = 0;
    let stillPending = false;
    /** The dissector declined the bytes from `o` on (TcpPduLength `none`): nothing shown for them, or `declined`. */
    let none = false;
    let declined: { pdu: Pdu; shown(): boolean } | undefined;
    while (o < data.length) {
      const s = { b: data, off: o, end: data.length, scan: o === 0 ? scan : o };
      const r = by.tcpLength!(s, ctx);
      if (r && 'none' in r) {
        none = true;
        if (o === 0 && pdus.length === 0) fromLen = data.length;
        declined = by.declinedPdu?.(s, ctx);
        if (declined && data === payload) declined.pdu.at = o + trimmed;
        break;
      }
      const len = r === undefined ? data.length - o : 'len' in r ? r.len : -1;
      const toEnd = r !== undefined && 'toEnd' in r;
      if (len >= 0 && o + len <= data.length) {
        const pdu = by.tcpPdu!({ b: data, off: o, end: o + Math.max(len, 1) }, ctx);
        if (data === payload) pdu.at = o + trimmed;
        if (o === 0 && pdus.length === 0) fromLen = Math.max(len, 1);
        pdus.push(pdu);
        o += Math.max(len, 1);
        if (pdu.next) {
          // The rest goes to the next protocol, in both directions (each starts afresh).
          this.by = by = pdu.next;
          this.byPort = false;
          dir.state = {};
          peer.state = {};
          peer.clear();
          ctx.dir = dir.state;
          ctx.peer = peer.state;
        }
        continue;
      }
      // The PDU goes on in later segments (unless the capture cut this one, or the direction ends).
      if (cut || (fin && toEnd)) {
        // Bytes past those kept of a long PDU: its whole length.
        const total = reuse && o === 0 && dir.have > dir.kept ? dir.have : undefined;
        if (o === 0 && pdus.length === 0) fromLen = total ?? data.length;
        pdus.push(by.tcpPdu!({ b: data, off: o, end: data.length, total }, ctx));
        break;
      }
      if (reuse && o === 0 && len < 0 && !toEnd) {
        // Still not known: the bytes stay where they are.
        stillPending = true;
        break;
      }
      if (reuse) {
        dir.clear();
        reuse = false;
      }
      dir.frames = from && o === 0 ? from : [n];
      dir.counts = from && o === 0 && fromCounts ? fromCounts : [data.length - o];
      dir.start = (dataSeq + o) | 0;
      if (len > 0) dir.need = len;
      dir.toEnd = toEnd;
      dir.add(data.subarray(o), by.tcpKeep);
      if (o === 0) from = undefined;
      break;
    }
    if (reuse && !stillPending) dir.clear();
    if (stillPending && dir.frames.length > 1) {
      // A PDU whose length is still unknown (each segment asks for one more): tshark marks its
      // first segment as reassembled in the latest one.
      const first = this.frames.get(dir.frames[0]);
      if (first && first.segment) first.reassembledIn = n;
    }
    // Declined bytes held from earlier segments: tshark still shows their reassembly here
    // (black-box, 4.0.17: HTTP on 80, 'abcdefghij' then 'xx\nyy': frame 1 is a segment
    // reassembled in frame 2, which lists the two segments and nothing after them).
    if (pdus.length || (none && from && from.length > 1)) {
      const f: AppFrame = withDeclined({ pdus, segment: false, by }, declined);
      if (from && from.length > 1) {
        f.from = from;
        dir.remember({ start: fromStart, end: (fromStart + fromLen) | 0, need: fromLen, done: n, frames: [], counts: [] });
        if (fromCounts && fromCounts.length === from.length) {
          // The last frame carried what the first PDU still lacked.
          const bytes = fromCounts.slice();
          let before = 0;
          for (let k = 0; k < bytes.length - 1; k++) before += bytes[k];
          bytes[bytes.length - 1] = Math.max(0, fromLen - before);
          f.fromBytes = bytes;
        }
      }
      this.frames.set(n, f);
      // Earlier frames of a PDU completed here point to it.
      for (const k of from ?? []) {
        const e = this.frames.get(k);
        if (k !== n && e && e.segment) {
          e.reassembledIn = n;
          delete e.partial;
        }
      }
    } else if (none) {
      // Declined at the start of this segment: no PDU, no segment, not even data (unless shown later).
      this.frames.set(n, withDeclined({ pdus, segment: false, by }, declined));
    } else if (dir.have > 0) {
      const f: AppFrame = { pdus, segment: true, by };
      if (stillPending && by.partialInfo) {
        const b = dir.bytes();
        const t = by.partialInfo({ b, off: 0, end: b.length });
        if (t !== undefined) f.partial = t;
      }
      this.frames.set(n, f);
    }
  }
  /**
   * What tshark 4.0.17 does with an out-of-order segment (the TCP analysis says so) whose bytes lie
   * before the next expected one, found black-box on crafted captures (port 80, HTTP asking for one
   * more segment each time; cases in stream.test.ts). It is handed to no dissector, but TCP's
   * reassembly looks for a PDU of several segments whose range holds its sequence number (one left
   * behind by a gap or the pending one, whose length is not known, spans up to one byte past its
   * bytes):
   * - none: nothing is shown for its payload (not even "Retransmitted TCP segment data");
   * - the PDU's first byte: "Retransmitted TCP segment data" (the caller's rule);
   * - a later byte: the segment joins it (overlapping bytes included). Bytes past the PDU's
   *   complete it here: "[N Reassembled TCP Segments …]" in this frame (no dissector called, no
   *   Info text), "[Reassembled PDU in frame: this]" in the others; else it is one more segment
   *   of the PDU ("[TCP segment of a reassembled PDU]"), or, when the PDU's bytes were put
   *   together before (it asked for more after a second segment), a reassembly error ("New
   *   fragment overlaps old data (retransmission?)").
   * Returns false when the caller's rule applies (a known-length pending PDU's bytes, a completed PDU's).
   */
  private outOfOrder(n: number, dir: Direction, seq: number, len: number, by: AppDissector): boolean {
    const end = (seq + len) | 0;
    let m = dir.mspAt(seq);
    // The pending PDU, its length not known yet, is one too.
    const pending = !m && dir.have > 0 && dir.need === 0 && !dir.toEnd && !dir.overflow && ((seq - dir.start) | 0) >= 0 && ((seq - dir.start - dir.have - 1) | 0) < 0;
    if (pending) m = { start: dir.start, end: (dir.start + dir.have) | 0, need: 0, done: 0, frames: dir.frames, counts: dir.counts };
    if (!m) {
      if ((dir.have > 0 && ((seq - dir.start) | 0) >= 0) || ((end - dir.next) | 0) > 0) return false;
      this.frames.set(n, { pdus: [], segment: false, by, retransmitted: false });
      return true;
    }
    if (seq === m.start || m.done) return false;
    // Bytes it had already, in a PDU whose bytes were put together before (it asked for more after
    // a second segment): tshark's reassembly fails ("New fragment overlaps old data").
    if (m.need === 0 && ((end - m.end) | 0) <= 0 && m.frames.length > 1) {
      this.overlaps.add(n);
      this.frames.set(n, { pdus: [], segment: false, by, retransmitted: true });
      return true;
    }
    const at = m.at ?? offsets(m.counts);
    const off = (seq - m.start) | 0;
    // Pieces in the order of their place in the PDU (tshark lists fragments by offset).
    let k = at.length;
    while (k > 0 && at[k - 1] > off) k--;
    m.frames.splice(k, 0, n);
    m.counts.splice(k, 0, len);
    at.splice(k, 0, off);
    m.at = at;
    // A PDU of known length is not completed here (the bytes of the segment after the gap are not kept).
    const completes = m.need === 0 && ((end - m.end) | 0) > 0;
    if (((end - m.end) | 0) > 0) m.end = end;
    if (!completes) {
      this.frames.set(n, { pdus: [], segment: true, by, ooo: true });
      return true;
    }
    m.done = n;
    if (pending) {
      // Complete without a dissector: what follows starts a new PDU.
      dir.remember(m);
      dir.clear();
      if (((end - dir.next) | 0) > 0) dir.next = end;
    }
    const f: AppFrame = { pdus: [], segment: false, by, from: m.frames.slice(), fromBytes: m.counts.slice(), ooo: true };
    if (at.some((x, i) => i > 0 && x < at[i - 1] + m.counts[i - 1])) f.fromAt = at.slice();
    this.frames.set(n, f);
    for (const j of m.frames) {
      const e = this.frames.get(j);
      if (j !== n && e && e.segment) {
        e.reassembledIn = n;
        delete e.partial;
      }
    }
    return true;
  }
}

function offsets(counts: number[]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const c of counts) {
    out.push(o);
    o += c;
  }
  return out;
}

/** The frame's PDUs followed by a declined one while it is shown (AppDissector.declinedPdu). */
function withDeclined(f: AppFrame, d: { pdu: Pdu; shown(): boolean } | undefined): AppFrame {
  if (!d) return f;
  const own = f.pdus;
  const more = [...own, d.pdu];
  Object.defineProperty(f, 'pdus', { get: () => (d.shown() ? more : own), enumerable: true });
  return f;
}

function serverPort(by: AppDissector, a: number, b: number): number {
  const ports = by.tcpPorts ?? [];
  if (ports.includes(a) && !ports.includes(b)) return a;
  if (ports.includes(b) && !ports.includes(a)) return b;
  return Math.min(a, b);
}

/**
 * TcpAnalyzer: Wireshark 4.0's TCP conversation tracking and sequence analysis, first pass
 * (spec §2 and §3). It is fed every decoded frame in file order and writes its results into
 * the FrameTable columns; `finalize()` then applies what tshark's second pass (-2) changes
 * (spec §8), so that any frame can afterwards be projected on its own.
 *
 * Per frame:  conversation lookup + port reuse (§2.2) → timestamps (§2.4) → base sequence
 * numbers + analysis core (§2.5, §3.2 steps 1–18) → completeness (§2.8) → SYN/FIN/RST and
 * iRTT (§2.10) → options state (§2.12) → window-scale verification (§2.14).
 */
import type { Packet } from '../decode/packet';
import { TCP_NORMAL, TH_ACK, TH_FIN, TH_PSH, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import type { FrameTable } from './frames';
import {
  SEG_LEN_WIDE, TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_ACK_NONZERO, X_FIN_INITIATES, X_OPTION_ITEMS, X_SACK, X_TFO_ACK, X_URG_NONZERO,
} from './frames';
import {
  A_ACK_LOST_SEGMENT, A_DUPLICATE_ACK, A_FAST_RETRANSMISSION, A_KEEP_ALIVE, A_KEEP_ALIVE_ACK, A_LOST_SEGMENT,
  A_OUT_OF_ORDER, A_RECORD, A_RETRANSMISSION, A_REUSED_PORTS, A_SPURIOUS_RETRANSMISSION, A_WINDOW_FULL,
  A_WINDOW_UPDATE, A_ZERO_WINDOW, A_ZERO_WINDOW_PROBE, A_ZERO_WINDOW_PROBE_ACK, A_FLAG_MASK,
} from './flags';
import { SOCKS_PORT, SOCKS_REQUEST, SOCKS_RESERVE, socksStep } from './socks';
import { Conversation, Flow } from './state';
import { seqGt, seqLe, seqLt } from './seq';
import { isDsack, optionItems } from './option-items';

/** Fast-retransmission window: 20 ms. */
const FAST_RT_NS = 20_000_000;
/** Out-of-order threshold when no iRTT is known: 3 ms. */
const OOO_DEFAULT_NS = 3_000_000;
/** Wireshark stops remembering un-ACKed segments of a flow at this many. */
const MAX_SEGMENTS = 10000;

export class TcpAnalyzer {
  readonly conversations: Conversation[] = [];
  /** Conversations by 4-tuple hash; each bucket lists candidates, newest last. */
  private readonly byKey = new Map<number, Conversation[]>();
  /** Direct-mapped cache of recent conversations by port pair (see cacheSlot). */
  private readonly cache: (Conversation | undefined)[] = new Array<Conversation | undefined>(CACHE_SLOTS).fill(undefined);

  constructor(private readonly t: FrameTable) {}

  get streamCount(): number {
    return this.conversations.length;
  }

  private hash(p: Packet): number {
    // Symmetric in the two endpoints: combine each endpoint's hash with a commutative operation.
    const ha = endpointHash(p.src, p.srcPort);
    const hb = endpointHash(p.dst, p.dstPort);
    return ((ha ^ hb) + Math.imul(ha + hb, 0x9e3779b1)) | 0;
  }

  private lookup(p: Packet, key: number): Conversation | undefined {
    const bucket = this.byKey.get(key);
    if (!bucket) return undefined;
    for (let i = bucket.length - 1; i >= 0; i--) {
      const c = bucket[i];
      if (c.dir(p.family, p.src, p.srcPort, p.dst, p.dstPort) >= 0) return c;
    }
    return undefined;
  }

  private create(p: Packet, key: number, frame: number, now: number): Conversation {
    const c = new Conversation(this.conversations.length, frame, p.family, p.src, p.srcPort, p.dst, p.dstPort, now);
    this.t.streamRoom(c.stream);
    this.conversations.push(c);
    if (p.srcPort === SOCKS_PORT || p.dstPort === SOCKS_PORT) c.socks = SOCKS_REQUEST;
    const bucket = this.byKey.get(key);
    if (bucket) bucket.push(c);
    else this.byKey.set(key, [c]);
    return c;
  }

  /**
   * Analyse one frame (1-based `frame`, already in the frame table) whose TCP header was
   * captured far enough to analyse (`p.tcpFull`; the session passes no other). `xflags`: X_* bits
   * the caller knows already (written with the analyzer's own in one store). The frame's time is
   * read only on the paths that need it (timeOf): a double passed to a call that is not inlined
   * is a heap number allocated per frame. Returns the frame's sending side (the load's fast path
   * compares its MAC words there: stats/net-record.ts).
   */
  process(frame: number, p: Packet, xflags = 0): Flow {
    const t = this.t;
    const i = frame - 1;
    // Most frames belong to a conversation seen moments ago: try the small cache by port pair
    // before hashing the 4-tuple (a slot always holds the newest conversation of its pair).
    const slot = cacheSlot(p.srcPort, p.dstPort);
    let conv = this.cache[slot];
    let key = 0;
    let isNew = false;
    let d = conv === undefined ? -1 : conv.dir(p.family, p.src, p.srcPort, p.dst, p.dstPort);
    if (d < 0) {
      key = this.hash(p);
      conv = this.lookup(p, key);
      if (!conv) {
        conv = this.create(p, key, frame, this.timeOf(frame));
        isNew = true;
      }
      this.cache[slot] = conv;
      d = conv.dir(p.family, p.src, p.srcPort, p.dst, p.dstPort);
    }
    conv = conv!;
    const flags = p.flags;
    // Sequence numbers are kept as signed 32-bit values inside the analyzer (small integers
    // for V8); every comparison is modulo 2^32 (seq.ts), so the representation does not matter.
    const raw = p.seq | 0;
    let F = conv.flow(d);
    let rec = 0;

    // §2.2 port reuse
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && F.baseSeqSet) {
      if (raw !== F.baseSeq) {
        conv = this.create(p, key || this.hash(p), frame, this.timeOf(frame));
        this.cache[slot] = conv;
        rec |= A_RECORD | A_REUSED_PORTS;
        conv.completeness = 1;
        d = 0;
        F = conv.flow0;
      } else {
        F.nextSeq = F.maxSeqToBeAcked;
        rec |= A_RECORD;
      }
    }
    if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) {
      F.synAcks.push(frame, raw);
      if (F.baseSeqSet && raw !== F.baseSeq) {
        F.baseSeq = raw;
        rec |= A_RECORD | A_REUSED_PORTS;
      }
    }
    const R = conv.flow(d ^ 1);
    t.stream[i] = conv.stream;
    t.tflags[i] = flags | TF_TCP | (d ? TF_DIR_BA : 0) | (p.tcpQuoted ? TF_QUOTED : 0) | (p.tcpAvail < p.hdrLen ? TF_TRUNCATED : 0);
    let x = xflags;
    if (!(flags & TH_ACK) && p.ack !== 0) x |= X_ACK_NONZERO;
    if (!(flags & TH_URG) && p.urgent !== 0) x |= X_URG_NONZERO;
    if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && R.baseSeqSet && ((p.ack - R.baseSeq) >>> 0) > 1) x |= X_TFO_ACK;
    if (x !== 0) t.xflags[i] = x; // columns start zeroed: only non-zero values are written
    // §2.3: SACK blocks always describe the sender's latest packet
    F.sackCount = 0;
    // §2.4 timestamps: tcp.time_delta's previous frame is derived from the stream column (FrameTable.prevInConv)

    let segLen = p.segLen;
    // A data offset below 5: tshark still runs the sequence analysis with the length the IP
    // layer gives (reported − offset), then stops before showing any of it (ndpi reasm_crash_anon
    // frame 95: later frames' bytes in flight count its 77 bytes).
    const bogus = segLen < 0 && p.hdrLen < 20 && p.tcpCtx === TCP_NORMAL;
    if (bogus) segLen = p.tcpReported - p.hdrLen;
    t.seqRaw[i] = raw;
    t.ackRaw[i] = p.ack;
    t.segLen[i] = segLen < 0 ? 0 : segLen < SEG_LEN_WIDE - 1 ? segLen + 1 : SEG_LEN_WIDE;
    if (!p.tcpQuoted && segLen >= 0) {
      if (!F.baseSeqSet) {
        F.baseSeq = flags & TH_SYN ? raw : (raw - 1) | 0;
        F.baseSeqSet = true;
      }
      if (!R.baseSeqSet && flags & TH_ACK) {
        R.baseSeq = (p.ack - 1) | 0;
        R.baseSeqSet = true;
      }
      const prevFrame = F.lastAckFrame;
      rec = this.analyze(frame, conv, F, R, p, segLen, rec);
      // engine/diagnose: the sender's TTL range, RSTs' TTLs, keep-alives' IP IDs (rare paths only).
      if (p.ttl !== F.ttlLo || flags & TH_RST || rec & A_KEEP_ALIVE) this.noteForDiagnosis(F, p, frame, rec, prevFrame);
      F.lastIpId = p.ipId;
      if (conv.socks !== 0 && segLen > 0) this.socks(conv, p, segLen, frame, this.timeOf(frame));
    }

    // §2.8 completeness
    const sl = segLen < 0 ? 0 : segLen;
    if (isNew) {
      let c = 0;
      if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
        c |= 1;
        if (sl > 0) c |= 8;
      }
      conv.completeness = c;
      conv.firstBits = completenessBits(flags, sl);
    } else conv.completeness |= completenessBits(flags, sl);

    if (!p.tcpQuoted) {
      // §2.10 SYN / FIN bookkeeping and iRTT
      if (flags & TH_SYN) {
        // A SYN stamped exactly at the epoch reads as "unset" to tshark (a zero time), so it starts no iRTT.
        if (!(flags & TH_ACK) && (t.secOf(i) !== 0 || t.tsNsec[i] !== 0)) {
          conv.tsMruSyn = this.timeOf(frame);
          conv.mruSynFrame = frame;
        }
        F.isFirstAck = true;
      }
      if (flags & TH_FIN && !R.closingInitiator) {
        F.closingInitiator = true;
        t.xflags[i] |= X_FIN_INITIATES;
      }
      if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) {
        if (conv.iRtt === 0 && !Number.isNaN(conv.tsMruSyn)) {
          conv.iRtt = this.timeOf(frame) - conv.tsMruSyn;
          if (conv.iRtt !== 0) conv.iRttFrames = [conv.mruSynFrame, frame];
        }
        F.isFirstAck = false;
      }
      // §2.12 options: window scale and SACK state
      if (p.hdrLen > 20 && !(p.hdrLen === 32 && !(flags & TH_SYN) && onlyTimestamps(p))) this.options(p, F, conv, segLen, i);
      // §2.14 window-scale verification. A header cut short by the snapshot length ends the
      // dissection inside the options (tshark throws there), so this step never runs for it.
      if (flags & TH_SYN && p.tcpAvail >= p.hdrLen) {
        if (F.winScale === -1) {
          F.winScale = -2;
          R.winScale = -2;
        } else if (flags & TH_ACK && R.winScale === -2) F.winScale = -2;
      }
    }
    if (rec !== 0 && !bogus) t.aflags[i] = rec;
    return F;
  }

  /**
   * §2.12: option state (window scale, SACK blocks, TFO). It also marks frames whose options
   * may carry expert items (X_OPTION_ITEMS: malformed lengths, padding after End of Option
   * List, SACK blocks that do not fill the option or a D-SACK, a 4-NOP run, MSS on a non-SYN,
   * shift > 14, TFO cookies, SYN without MSS, unusual kinds); those frames' items are listed
   * then and kept (FrameTable.optionItems).
   */
  private options(p: Packet, F: Flow, conv: Conversation, segLen: number, i: number): void {
    const b = p.tcpBuf;
    const end = p.tcpOff + Math.min(p.hdrLen, p.tcpAvail);
    const syn = (p.flags & TH_SYN) !== 0;
    let o = p.tcpOff + 20;
    let items = false;
    let nops = 0;
    let mss = false;
    while (o < end) {
      const kind = b[o];
      if (kind === 0) {
        for (let q = o + 1; q < end; q++) if (b[q] !== 0) items = true;
        break;
      }
      if (kind === 1) {
        // "4 NOP in a row" (option-items.ts): the fourth NOP, ending a 4-byte word.
        if (++nops === 4 && (o - p.tcpOff - 20) % 4 === 3) items = true;
        o++;
        continue;
      }
      if (o + 1 >= end) {
        items = true;
        break;
      }
      const len = b[o + 1];
      if (len < 2 || o + len > end) {
        items = true;
        break;
      }
      if (kind === 2) {
        mss = true;
        if (!syn || len !== 4) items = true;
      } else if (kind === 3) {
        if (len !== 3 || b[o + 2] > 14) items = true;
        if (len === 3) F.winScale = Math.min(b[o + 2], 14);
      } else if (kind === 4) {
        if (len !== 2) items = true;
      } else if (kind === 8) {
        if (len !== 10) items = true;
      } else if (kind === 5) {
        // Items only for blocks that do not fill the option, or a D-SACK (option-items.ts): most SACKs carry none.
        if ((len - 2) & 7 || isDsack(p.ack, b, o, len)) items = true;
        const n = (len - 2) >> 3;
        if (n > 0) this.t.xflags[i] |= X_SACK;
        let q = o + 2;
        for (let k = 0; k < n; k++, q += 8) {
          this.t.addSack(i + 1, (b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3], (b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]);
          if (F.sackCount < 3) {
            F.sackL[F.sackCount] = (b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3];
            F.sackR[F.sackCount] = (b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7];
            F.sackCount++;
          }
        }
      } else {
        items = true;
        if (kind === 34 && len > 2 && (p.flags & (TH_SYN | TH_ACK)) === TH_SYN && segLen > 0) conv.tfoSynData = true;
      }
      o += len;
    }
    if (syn && !mss) items = true;
    if (items) {
      this.t.xflags[i] |= X_OPTION_ITEMS;
      const list = optionItems(p);
      if (list.length) this.t.optionItems.set(i + 1, list);
    }
  }

  /** §3.2 — the analysis core. Returns the frame's record flags. */
  private analyze(frame: number, conv: Conversation, F: Flow, R: Flow, p: Packet, seglen: number, rec: number): number {
    const t = this.t;
    const i = frame - 1;
    const seq = p.seq | 0;
    const ack = p.ack | 0;
    const flags = p.flags;
    const win = p.window;
    const noSFR = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
    const synOrFin = (flags & (TH_SYN | TH_FIN)) !== 0;

    // 1
    if (flags & TH_ACK) R.validBif = true;

    step: {
      // 2 zero window probe
      if (seglen === 1 && seq === F.nextSeq && R.window === 0) {
        rec |= A_RECORD | A_ZERO_WINDOW_PROBE;
        break step;
      }
      // 3 zero window
      if (win === 0 && noSFR) {
        rec |= A_RECORD | A_ZERO_WINDOW;
        conv.zeroWindowSeen = true; // engine/diagnose looks at this connection's frames
      }
      // 4 lost segment
      if (F.nextSeq !== 0 && seqGt(seq, F.nextSeq) && !(flags & TH_RST)) {
        rec |= A_RECORD | A_LOST_SEGMENT;
        F.validBif = false;
      }
      // 5 keep-alive
      if ((seglen === 0 || seglen === 1) && seq === ((F.nextSeq - 1) | 0) && noSFR) rec |= A_RECORD | A_KEEP_ALIVE;
      // 6 window update
      if (seglen === 0 && win !== 0 && win !== F.window && seq === F.nextSeq && ack === F.lastAck && noSFR) rec |= A_RECORD | A_WINDOW_UPDATE;
      // 7 window full
      if (seglen > 0 && R.winScale !== -1 && noSFR) {
        const s = R.isFirstAck || R.winScale === -2 ? 0 : R.winScale;
        // R.window may still be −1 (unset, tshark's 0xFFFFFFFF): the product stays exact below 2^53, and | 0 is mod 2^32.
        if (((seq + seglen) | 0) === ((R.lastAck + R.window * (1 << s)) | 0)) rec |= A_RECORD | A_WINDOW_FULL;
      }
      // 8 keep-alive ack
      if (seglen === 0 && win !== 0 && win === F.window && seq === F.nextSeq && ack === F.lastAck && R.lastSegmentFlags & A_KEEP_ALIVE && noSFR) {
        rec |= A_RECORD | A_KEEP_ALIVE_ACK;
        break step;
      }
      // 9a zero window probe ack
      if (seglen === 0 && win === 0 && F.window === 0 && seq === F.nextSeq && ack === F.lastAck && R.lastSegmentFlags & A_ZERO_WINDOW_PROBE && noSFR) {
        rec |= A_RECORD | A_ZERO_WINDOW_PROBE_ACK;
        break step;
      }
      // 9b duplicate ack
      if (seglen === 0 && win !== 0 && win === F.window && seq === F.nextSeq && ack === F.lastAck && noSFR) {
        F.dupAckNum = F.dupAckNum === 0xffffffff ? 1 : F.dupAckNum + 1;
        rec |= A_RECORD | A_DUPLICATE_ACK;
        t.dupAck.set(frame, { num: F.dupAckNum, frame: F.lastNonDupAck });
      }
    }
    // 10 ack change bookkeeping
    if (ack !== F.lastAck) {
      F.lastNonDupAck = frame;
      F.dupAckNum = 0;
    }
    // 11 ACKed unseen segment
    if (R.maxSeqToBeAcked !== 0 && seqGt(ack, R.maxSeqToBeAcked) && flags & TH_ACK) {
      rec |= A_RECORD;
      if (seqLt(R.maxSeqToBeAcked, R.nextSeq)) {
        R.maxSeqToBeAcked = R.nextSeq;
        rec |= A_ACK_LOST_SEGMENT;
      } else {
        if (R.dupAckNum === 0) rec |= A_ACK_LOST_SEGMENT;
        R.dupAckNum = 0xffffffff;
      }
    }
    // 12 retransmission family
    if (seglen > 0 || synOrFin) {
      retrans: {
        let notAdvanced = F.nextSeq !== 0 && seqLt(seq, F.nextSeq);
        if (rec & A_KEEP_ALIVE) break retrans;
        if (seglen > 1 && seq === ((F.nextSeq - 1) | 0)) notAdvanced = false;
        if (seglen > 0 && R.lastAck !== 0 && seqLe((seq + seglen) | 0, R.lastAck)) {
          rec |= A_RECORD | A_SPURIOUS_RETRANSMISSION;
          break retrans;
        }
        // FAST before OOO (fastrt_supersedes_ooo, default on)
        if (notAdvanced && R.dupAckNum >= 2 && R.lastAck === seq) {
          const dt = this.timeOf(frame) - this.timeOf(R.lastAckFrame);
          if (dt >= 0 && dt < FAST_RT_NS) {
            rec |= A_RECORD | A_FAST_RETRANSMISSION;
            break retrans;
          }
        }
        if (notAdvanced) {
          const dt = this.timeOf(frame) - this.timeOf(F.nextSeqFrame);
          const thr = conv.iRtt !== 0 ? conv.iRtt : OOO_DEFAULT_NS;
          if (ltU64(dt, thr) && F.nextSeq !== ((seq + seglen + (synOrFin ? 1 : 0)) | 0)) {
            rec |= A_RECORD | A_OUT_OF_ORDER;
            break retrans;
          }
        }
        if (notAdvanced) {
          rec |= A_RECORD | A_RETRANSMISSION;
          // RTO reference: the oldest un-ACKed segment, else the frame that last advanced nextSeq.
          t.rtoFrame.set(frame, F.segCount > 0 ? F.seg[F.head * 3] : F.nextSeqFrame);
          this.noteRetransmit(frame, F, seq);
        }
      }
    }
    // 13 remember the segment
    let next = (seq + seglen) | 0;
    // A segment past the list's limit is not remembered, and does not advance maxSeqToBeAcked
    // either (tshark 4.0.17, zeek contentline-rlogin: 13 985 segments never ACKed, then the peer's
    // FIN/ACK is "ACKed segment that wasn't captured").
    let full = false;
    if (seglen > 0 || synOrFin) {
      if (synOrFin) next = (next + 1) | 0;
      if (F.segCount < MAX_SEGMENTS) F.pushSegment(frame, seq, next);
      else full = true;
    }
    // 14 advance nextSeq
    if ((seqGt(next, F.nextSeq) || F.nextSeq === 0) && !(rec & A_ZERO_WINDOW_PROBE)) {
      F.nextSeq = next;
      F.nextSeqFrame = frame;
    }
    // 15 advance maxSeqToBeAcked
    if ((seq === F.maxSeqToBeAcked || F.maxSeqToBeAcked === 0) && !(rec & A_ZERO_WINDOW_PROBE) && !full) F.maxSeqToBeAcked = F.nextSeq;
    // 16 remember this packet
    F.window = win;
    F.lastAck = ack;
    F.lastAckFrame = frame;
    F.lastSegmentFlags = rec & A_FLAG_MASK;
    // 17 process the ACK against the peer's un-ACKed segments
    if (R.segCount > 0) {
      const acked = this.processAck(R, ack);
      if (acked !== 0) {
        rec |= A_RECORD;
        t.acksFrame[i] = acked;
      }
    }
    // 18 bytes in flight
    if (seglen !== 0 && F.segCount > 0 && F.validBif) {
      // 32-bit unsigned arithmetic, as tshark: a bogus SACK block (right edge before left) wraps.
      let inflight = this.span(F);
      for (let k = 0; k < R.sackCount; k++) inflight = (inflight - ((R.sackR[k] - R.sackL[k]) >>> 0)) >>> 0;
      rec |= A_RECORD;
      this.pushUpdate(F, flags, seglen);
      if (inflight > 0 && inflight < 2_000_000_000) {
        const bif = inflight - (synOrFin ? 1 : 0);
        if (bif !== 0) {
          t.bif[i] = bif;
          t.push[i] = F.pushBytes;
        }
      }
    }
    return rec;
  }

  /**
   * engine/diagnose: a RST's TTL is kept by frame (reset-by-middlebox); other packets widen the
   * sender's usual TTL range. Runs only for RSTs, keep-alives and TTLs other than the lowest seen.
   */
  private noteForDiagnosis(F: Flow, p: Packet, frame: number, rec: number, prevFrame: number): void {
    // A "keep-alive" with a lower IP ID than the sender's previous packet was reordered (keepalive-is-reordering).
    if (rec & A_KEEP_ALIVE && p.ipId >= 0 && F.lastIpId >= 0) this.t.keepAliveIpIds.set(frame, { prevFrame, prevIpId: F.lastIpId, ipId: p.ipId });
    const ttl = p.ttl;
    if (p.flags & TH_RST) this.t.rstTtl.set(frame, ttl);
    else if (F.ttlLo < 0) {
      F.ttlLo = F.ttlHi = ttl;
      F.ttlFrame = frame;
    } else if (ttl < F.ttlLo) F.ttlLo = ttl;
    else if (ttl > F.ttlHi) F.ttlHi = ttl;
  }

  /** engine/diagnose (rto-backoff): which data a retransmission carries, and its first transmission when that is the oldest un-ACKed segment. */
  private noteRetransmit(frame: number, F: Flow, seq: number): void {
    this.t.retransmits.set(frame, { seq, orig: F.segCount > 0 && F.seg[F.head * 3 + 1] === seq ? F.seg[F.head * 3] : 0 });
  }

  /**
   * Nanoseconds from the first frame to `frame`, from the frame table (nsBetween; for the frame
   * just added, its lastNs: the same double). Flows keep frame numbers, not times: no boxed doubles written per frame,
   * and the times are only needed on the rare retransmission paths.
   */
  private timeOf(frame: number): number {
    const t = this.t;
    return frame === 0 ? 0 : frame === t.count ? t.lastNs : t.nsBetween(frame, 1);
  }

  private pushUpdate(F: Flow, flags: number, seglen: number): void {
    if (flags & TH_PSH && !F.pushSetLast) {
      F.pushBytes += seglen;
      F.pushSetLast = true;
    } else if (flags & TH_PSH) F.pushBytes = seglen;
    else if (F.pushSetLast) {
      F.pushBytes = seglen;
      F.pushSetLast = false;
    } else F.pushBytes += seglen;
  }

  /** Step 17: apply `ack` to R's un-ACKed list; returns the frame it ACKs exactly (oldest match) or 0. */
  private processAck(R: Flow, ack: number): number {
    let acked = 0;
    const n = R.tail;
    const g = R.seg;
    if (R.sorted && linearAround(g[R.head * 3 + 1], g[n * 3 - 1], ack)) {
      // Entries ascend without overlap: only a prefix can be affected, the rest is kept as is.
      let k = R.head;
      for (; k < n; k++) {
        const s = g[k * 3 + 1];
        if (!seqLt(s, ack)) break;
        const nx = g[k * 3 + 2];
        if (ack === nx) {
          if (acked === 0) acked = g[k * 3];
          continue; // removed
        }
        if (seqGt(nx, ack)) {
          g[k * 3 + 1] = ack; // partial ACK: trim and keep
          break;
        }
        // fully covered: removed
      }
      R.head = k;
      R.settle();
      return acked;
    }
    // General case: walk every entry (oldest first; the first exact match is the oldest).
    let w = R.head;
    for (let k = R.head; k < n; k++) {
      const s = g[k * 3 + 1];
      const nx = g[k * 3 + 2];
      let keep: boolean;
      if (ack === nx) {
        if (acked === 0) acked = g[k * 3];
        keep = false;
      } else if (seqGt(ack, s) && seqLe(ack, nx)) {
        g[k * 3 + 1] = ack;
        keep = true;
      } else keep = seqGt(nx, ack);
      if (keep) {
        g[w * 3] = g[k * 3];
        g[w * 3 + 1] = g[k * 3 + 1];
        g[w * 3 + 2] = g[k * 3 + 2];
        w++;
      }
    }
    R.tail = w;
    R.settle();
    return acked;
  }

  /** Step 18: span of F's un-ACKed list in relative numbers (max end − min start, holes included). */
  private span(F: Flow): number {
    const base = F.baseSeq;
    const n = F.tail;
    const g = F.seg;
    if (F.sorted) {
      const first = (g[F.head * 3 + 1] - base) >>> 0;
      const last = (g[n * 3 - 1] - base) >>> 0;
      if (first <= last) return last - first;
    }
    let first = 0xffffffff;
    let last = 0;
    for (let k = F.head; k < n; k++) {
      const a = (g[k * 3 + 1] - base) >>> 0;
      const z = (g[k * 3 + 2] - base) >>> 0;
      if (a < first) first = a;
      if (z > last) last = z;
    }
    return (last - first) >>> 0;
  }

  /**
   * A payload of a SOCKS conversation (tcp/socks.ts): once the proxy granted a CONNECT, the first
   * payload reserves the next stream index for the conversation tshark creates with the remote
   * end's port (it never holds a frame).
   */
  private socks(conv: Conversation, p: Packet, segLen: number, frame: number, now: number): void {
    const o = p.tcpOff + p.hdrLen;
    const n = Math.min(segLen, p.tcpAvail - p.hdrLen);
    if (n <= 0) return;
    const fromClient = p.dstPort === SOCKS_PORT;
    const next = socksStep(conv.socks, fromClient, p.tcpBuf, o, n);
    if (next !== SOCKS_RESERVE) {
      conv.socks = next;
      return;
    }
    conv.socks = 0;
    this.t.streamRoom(this.conversations.length);
    this.conversations.push(new Conversation(this.conversations.length, frame, p.family, p.src, p.srcPort, p.dst, p.dstPort, now));
  }

  /**
   * Apply what tshark's second pass changes (spec §8): the SYN/ACK base rule runs again from
   * the final state (flagging and re-basing), so relative numbers per frame come from
   * `Flow.baseAt(frame)`.
   */
  finalize(): void {
    const t = this.t;
    for (const c of this.conversations) {
      for (const F of [c.flow0, c.flow1]) {
        F.releaseSegments();
        F.baseChanges = [];
        let base = F.baseSeq;
        const set = F.baseSeqSet;
        for (let k = 0; k < F.synAcks.length; k += 2) {
          const frame = F.synAcks[k];
          const raw = F.synAcks[k + 1];
          if (set && raw !== base) {
            base = raw;
            F.baseChanges.push(frame, raw);
            if (!(t.aflags[frame - 1] & A_REUSED_PORTS)) t.reflagged.add(frame);
            t.aflags[frame - 1] |= A_RECORD | A_REUSED_PORTS;
          }
        }
      }
    }
  }
}

/**
 * True when wrap-aware comparisons against `ack` order the whole span [lo, hi] the same way as
 * plain arithmetic would: the span plus the distance to `ack` stays under 2^31. Only then may
 * ACK processing stop at the first entry not below `ack`.
 */
function linearAround(lo: number, hi: number, ack: number): boolean {
  const span = (hi - lo) >>> 0;
  if (span >= 0x80000000) return false;
  if (((ack - lo) >>> 0) <= span) return true;
  return ((ack - hi) >>> 0) + span < 0x80000000 || ((lo - ack) >>> 0) + span < 0x80000000;
}

/** a < b for nanosecond differences read as unsigned 64-bit (a negative value is huge), as tshark compares them. */
function ltU64(a: number, b: number): boolean {
  if (a >= 0) return b < 0 || a < b;
  return b < 0 && a < b;
}

const CACHE_SLOTS = 1024;

/** Symmetric in the two ports, so both directions of a connection share a slot. */
function cacheSlot(a: number, b: number): number {
  return Math.imul(a ^ b, 0x9e3779b1) >>> 22;
}

/**
 * The options are exactly NOP, NOP, Timestamps (the usual 12 bytes of a non-SYN segment):
 * they change no state and carry no expert item, so option parsing can be skipped.
 */
function onlyTimestamps(p: Packet): boolean {
  if (p.tcpAvail < 32) return false;
  const b = p.tcpBuf;
  const o = p.tcpOff + 20;
  return b[o] === 1 && b[o + 1] === 1 && b[o + 2] === 8 && b[o + 3] === 10;
}

function endpointHash(a: Uint32Array, port: number): number {
  let h = Math.imul(a[0] ^ 0x5bd1e995, 0x01000193);
  h = Math.imul(h ^ a[1], 0x01000193);
  h = Math.imul(h ^ a[2], 0x01000193);
  h = Math.imul(h ^ a[3], 0x01000193);
  h = Math.imul(h ^ port, 0x01000193);
  return h ^ (h >>> 15);
}

/** §2.8: the completeness bits a packet of an existing conversation adds. */
function completenessBits(flags: number, sl: number): number {
  let c = 0;
  const syn = (flags & TH_SYN) !== 0;
  const ackf = (flags & TH_ACK) !== 0;
  if (syn && ackf) c |= 2;
  if (!syn && ackf && sl > 0) c |= 8;
  if (!syn && ackf && sl === 0) c |= 4;
  if (flags & TH_FIN && ackf) c |= 16;
  if (flags & TH_RST) c |= 32;
  return c;
}

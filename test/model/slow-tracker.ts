/**
 * A slow, obviously correct re-implementation of the spec's TCP tracking (tcp-analysis.md
 * §1, §2.2–§2.14 as far as they feed the analysis, and §3.2 step by step), used as the model
 * for the model-based test of the engine's TcpAnalyzer.
 *
 * Deliberately naive: plain arrays, un-ACKed lists kept newest-first exactly as the spec
 * describes them, every list walked in full (no early exits, no sortedness assumptions),
 * sequence numbers as plain numbers with an explicit modulo 2^32, times as BigInt
 * nanoseconds. It shares no code with the engine.
 */

// ---------------------------------------------------------------- arithmetic (spec §0.3)

const TWO32 = 4294967296;
/** x mod 2^32, for any integer x (also negative). */
export const mod32 = (x: number): number => ((x % TWO32) + TWO32) % TWO32;
/** The signed 32-bit value of a 32-bit pattern. */
const signed32 = (x: number): number => {
  const v = mod32(x);
  return v >= 2147483648 ? v - TWO32 : v;
};
const LT = (a: number, b: number) => signed32(a - b) < 0;
const GT = (a: number, b: number) => LT(b, a);
const LE = (a: number, b: number) => signed32(a - b) <= 0;
/** Unsigned 64-bit difference of two BigInt times, as the spec's elapsed-time tests use. */
const elapsed = (now: bigint, then: bigint): bigint => BigInt.asUintN(64, now - then);

// ---------------------------------------------------------------- input and output

export const SYN = 0x002;
export const FIN = 0x001;
export const RST = 0x004;
export const PSH = 0x008;
export const ACK = 0x010;

/** One TCP packet as the model sees it. Endpoints are opaque strings ("10.0.0.1:40000"). */
export interface ModelPacket {
  /** Absolute time, ns. */
  ts: bigint;
  src: string;
  dst: string;
  seq: number;
  ack: number;
  flags: number;
  win: number;
  len: number;
  /** Window-scale option shift, if the packet carries one. */
  ws?: number;
  /** SACK blocks (raw left, right), if the packet carries a SACK option. */
  sack?: [number, number][];
}

export const FLAG_NAMES = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'lost_segment',
  'ack_lost_segment',
  'duplicate_ack',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'keep_alive',
  'keep_alive_ack',
  'window_update',
  'window_full',
  'reused_ports',
] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

/** The per-frame record (spec §1.4); `exists` = the frame has a SEQ/ACK analysis subtree. */
export interface ModelRecord {
  exists: boolean;
  flags: Set<FlagName>;
  frameAcked: number;
  ackRtt: bigint;
  rto: bigint;
  rtoFrame: number;
  dupAckNum: number;
  dupAckFrame: number;
  bytesInFlight: number;
  pushBytesSent: number;
}

export interface ModelFrame {
  stream: number;
  rec: ModelRecord;
  /** The conversation's final iRTT (0n: never measured). */
  iRtt: bigint;
}

// ---------------------------------------------------------------- state (spec §1)

interface Segment {
  frame: number;
  seq: number;
  nextSeq: number;
  time: bigint;
}

class Flow {
  baseSeq = 0;
  baseSeqSet = false;
  winScale = -1;
  window = 0xffffffff;
  isFirstAck = false;
  validBif = true;
  pushBytes = 0;
  pushSetLast = false;
  lastSegmentFlags = new Set<FlagName>();
  /** Newest first. */
  segments: Segment[] = [];
  segmentCount = 0;
  nextSeq = 0;
  nextSeqFrame = 0;
  nextSeqTime = 0n;
  maxSeqToBeAcked = 0;
  lastAck = 0;
  lastAckTime = 0n;
  lastNonDupAck = 0;
  dupAckNum = 0;
  sack: [number, number][] = [];
  /** SYN/ACK frames this side sent, with their raw seq (for the second pass). */
  synAcks: { frame: number; seq: number }[] = [];
}

class Conversation {
  tsMruSyn: bigint | undefined = undefined;
  iRtt = 0n;
  flows: Flow[] = [new Flow(), new Flow()];
  constructor(
    readonly stream: number,
    readonly setupFrame: number,
    /** The sender of the creating frame: flows[0] is its direction. */
    readonly endpointA: string,
  ) {}
  senderIndex(src: string): number {
    return src === this.endpointA ? 0 : 1;
  }
}

function newRecord(): ModelRecord {
  return { exists: false, flags: new Set(), frameAcked: 0, ackRtt: 0n, rto: 0n, rtoFrame: 0, dupAckNum: 0, dupAckFrame: 0, bytesInFlight: 0, pushBytesSent: 0 };
}

// ---------------------------------------------------------------- the tracker

export function runModel(packets: ModelPacket[]): ModelFrame[] {
  const conversations: Conversation[] = [];
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const pairOf: string[] = [];
  const out: ModelFrame[] = [];

  packets.forEach((p, index) => {
    const frame = index + 1;
    const now = p.ts;
    const key = pairKey(p.src, p.dst);

    // §1.1 lookup: among the conversations of this pair, the one with the largest setup frame ≤ frame.
    let conv: Conversation | undefined = undefined;
    for (let c = 0; c < conversations.length; c++) {
      if (pairOf[c] === key && conversations[c].setupFrame <= frame) {
        if (conv === undefined || conversations[c].setupFrame > conv.setupFrame) conv = conversations[c];
      }
    }
    if (conv === undefined) {
      conv = new Conversation(conversations.length, frame, p.src);
      conversations.push(conv);
      pairOf.push(key);
    }
    let F = conv.flows[conv.senderIndex(p.src)];
    const rec = newRecord();

    const has = (f: number) => (p.flags & f) !== 0;
    const pureSyn = has(SYN) && !has(ACK);
    const synAck = has(SYN) && has(ACK);

    // §2.2 port reuse
    if (pureSyn && F.baseSeqSet) {
      if (p.seq !== F.baseSeq) {
        conv = new Conversation(conversations.length, frame, p.src);
        conversations.push(conv);
        pairOf.push(key);
        F = conv.flows[conv.senderIndex(p.src)];
        rec.exists = true;
        rec.flags.add('reused_ports');
      } else {
        F.nextSeq = F.maxSeqToBeAcked;
        rec.exists = true;
      }
    }
    if (synAck) {
      F.synAcks.push({ frame, seq: p.seq });
      if (F.baseSeqSet && p.seq !== F.baseSeq) {
        F.baseSeq = p.seq;
        rec.exists = true;
        rec.flags.add('reused_ports');
      }
    }
    const R = conv.flows[1 - conv.senderIndex(p.src)];

    // §2.3
    F.sack = [];

    // §2.5 base sequence numbers
    if (!F.baseSeqSet) {
      F.baseSeq = has(SYN) ? p.seq : mod32(p.seq - 1);
      F.baseSeqSet = true;
    }
    if (!R.baseSeqSet && has(ACK)) {
      R.baseSeq = mod32(p.ack - 1);
      R.baseSeqSet = true;
    }

    analyze(conv, F, R, p, frame, now, rec);

    // §2.10 SYN bookkeeping and iRTT
    if (has(SYN)) {
      if (!has(ACK)) conv.tsMruSyn = now;
      F.isFirstAck = true;
    }
    if (has(ACK) && !has(SYN)) {
      if (conv.tsMruSyn !== undefined && conv.iRtt === 0n) conv.iRtt = now - conv.tsMruSyn;
      F.isFirstAck = false;
    }

    // §2.12 options
    if (p.ws !== undefined) F.winScale = Math.min(p.ws, 14);
    if (p.sack !== undefined) {
      for (const b of p.sack) if (F.sack.length < 3) F.sack.push(b);
    }

    // §2.14 window-scale verification
    if (has(SYN)) {
      if (F.winScale === -1) {
        F.winScale = -2;
        R.winScale = -2;
      } else if (has(ACK) && R.winScale === -2) {
        F.winScale = -2;
      }
    }

    out.push({ stream: conv.stream, rec, iRtt: 0n });
  });
  for (const f of out) f.iRtt = conversations[f.stream].iRtt;

  // §2.2 / §8: the SYN/ACK base rule runs again in the second pass, from the final state.
  for (const conv of conversations) {
    for (const F of conv.flows) {
      let base = F.baseSeq;
      for (const s of F.synAcks) {
        if (F.baseSeqSet && s.seq !== base) {
          base = s.seq;
          out[s.frame - 1].rec.exists = true;
          out[s.frame - 1].rec.flags.add('reused_ports');
        }
      }
    }
  }
  return out;
}

/** §3.2, step by step. */
function analyze(conv: Conversation, F: Flow, R: Flow, p: ModelPacket, frame: number, now: bigint, rec: ModelRecord): void {
  const seq = p.seq;
  const ack = p.ack;
  const seglen = p.len;
  const win = p.win;
  const has = (f: number) => (p.flags & f) !== 0;
  const noSFR = !has(SYN) && !has(FIN) && !has(RST);
  const flag = (f: FlagName) => {
    rec.exists = true;
    rec.flags.add(f);
  };

  // 1
  if (has(ACK)) R.validBif = true;

  let skipTo10 = false;
  // 2 zero window probe
  if (seglen === 1 && seq === F.nextSeq && R.window === 0) {
    flag('zero_window_probe');
    skipTo10 = true;
  }
  if (!skipTo10) {
    // 3
    if (win === 0 && noSFR) flag('zero_window');
    // 4
    if (F.nextSeq !== 0 && GT(seq, F.nextSeq) && !has(RST)) {
      flag('lost_segment');
      F.validBif = false;
    }
    // 5
    if ((seglen === 0 || seglen === 1) && seq === mod32(F.nextSeq - 1) && noSFR) flag('keep_alive');
    // 6
    if (seglen === 0 && win !== 0 && win !== F.window && seq === F.nextSeq && ack === F.lastAck && noSFR) flag('window_update');
    // 7
    if (seglen > 0 && R.winScale !== -1 && noSFR) {
      const s = R.isFirstAck || R.winScale === -2 ? 0 : R.winScale;
      if (mod32(seq + seglen) === mod32(R.lastAck + R.window * 2 ** s)) flag('window_full');
    }
    // 8
    if (seglen === 0 && win !== 0 && win === F.window && seq === F.nextSeq && ack === F.lastAck && R.lastSegmentFlags.has('keep_alive') && noSFR) {
      flag('keep_alive_ack');
      skipTo10 = true;
    }
  }
  if (!skipTo10) {
    // 9a
    if (seglen === 0 && win === 0 && F.window === 0 && seq === F.nextSeq && ack === F.lastAck && R.lastSegmentFlags.has('zero_window_probe') && noSFR) {
      flag('zero_window_probe_ack');
      skipTo10 = true;
    }
  }
  if (!skipTo10) {
    // 9b
    if (seglen === 0 && win !== 0 && win === F.window && seq === F.nextSeq && ack === F.lastAck && noSFR) {
      F.dupAckNum = F.dupAckNum === 0xffffffff ? 1 : F.dupAckNum + 1;
      flag('duplicate_ack');
      rec.dupAckNum = F.dupAckNum;
      rec.dupAckFrame = F.lastNonDupAck;
    }
  }

  // 10
  if (ack !== F.lastAck) {
    F.lastNonDupAck = frame;
    F.dupAckNum = 0;
  }

  // 11
  if (R.maxSeqToBeAcked !== 0 && GT(ack, R.maxSeqToBeAcked) && has(ACK)) {
    rec.exists = true;
    if (LT(R.maxSeqToBeAcked, R.nextSeq)) {
      R.maxSeqToBeAcked = R.nextSeq;
      flag('ack_lost_segment');
    } else {
      if (R.dupAckNum === 0) flag('ack_lost_segment');
      R.dupAckNum = 0xffffffff;
    }
  }

  // 12
  if (seglen > 0 || has(SYN) || has(FIN)) {
    let notAdvanced = F.nextSeq !== 0 && LT(seq, F.nextSeq);
    let done = rec.flags.has('keep_alive');
    if (!done && seglen > 1 && seq === mod32(F.nextSeq - 1)) notAdvanced = false;
    if (!done && seglen > 0 && R.lastAck !== 0 && LE(mod32(seq + seglen), R.lastAck)) {
      flag('spurious_retransmission');
      done = true;
    }
    // fastrt_supersedes_ooo (default on): FAST first, then OOO
    if (!done) {
      const dt = elapsed(now, R.lastAckTime);
      if (notAdvanced && R.dupAckNum >= 2 && R.lastAck === seq && dt < 20_000_000n) {
        flag('fast_retransmission');
        done = true;
      }
    }
    if (!done) {
      const dt = elapsed(now, F.nextSeqTime);
      const thr = conv.iRtt !== 0n ? BigInt.asUintN(64, conv.iRtt) : 3_000_000n;
      if (notAdvanced && dt < thr && F.nextSeq !== mod32(seq + seglen + (has(SYN) || has(FIN) ? 1 : 0))) {
        flag('out_of_order');
        done = true;
      }
    }
    if (!done && notAdvanced) {
      flag('retransmission');
      rec.rto = now - F.nextSeqTime;
      rec.rtoFrame = F.nextSeqFrame;
      for (const u of F.segments) {
        // newest to oldest: the last assignment (the oldest entry) wins
        rec.rto = now - u.time;
        rec.rtoFrame = u.frame;
      }
    }
  }

  // 13
  let next = mod32(seq + seglen);
  // A segment past the 10000 remembered does not advance maxSeqToBeAcked (step 15) either (tshark 4.0.17).
  let full = false;
  if ((seglen > 0 || has(SYN) || has(FIN)) && F.segmentCount < 10000) {
    if (has(SYN) || has(FIN)) next = mod32(next + 1);
    F.segments.unshift({ frame, seq, nextSeq: next, time: now });
    F.segmentCount += 1;
  } else if (seglen > 0 || has(SYN) || has(FIN)) {
    if (has(SYN) || has(FIN)) next = mod32(next + 1);
    full = true;
  }

  // 14
  if ((GT(next, F.nextSeq) || F.nextSeq === 0) && !rec.flags.has('zero_window_probe')) {
    F.nextSeq = next;
    F.nextSeqFrame = frame;
    F.nextSeqTime = now;
  }

  // 15
  if ((seq === F.maxSeqToBeAcked || F.maxSeqToBeAcked === 0) && !rec.flags.has('zero_window_probe') && !full) {
    F.maxSeqToBeAcked = F.nextSeq;
  }

  // 16
  F.window = win;
  F.lastAck = ack;
  F.lastAckTime = now;
  F.lastSegmentFlags = new Set(rec.exists ? rec.flags : []);

  // 17 (uses the ACK field even without the ACK flag)
  const kept: Segment[] = [];
  for (const u of R.segments) {
    if (ack === u.nextSeq) {
      rec.exists = true;
      rec.frameAcked = u.frame;
      rec.ackRtt = now - u.time;
      R.segmentCount -= 1;
    } else if (GT(ack, u.seq) && LE(ack, u.nextSeq)) {
      u.seq = ack;
      kept.push(u);
    } else if (GT(u.nextSeq, ack)) {
      kept.push(u);
    } else {
      R.segmentCount -= 1;
    }
  }
  R.segments = kept;

  // 18 (track_bytes_in_flight on, bif_seq_based off)
  if (seglen !== 0 && F.segments.length > 0 && F.validBif) {
    let first = 0xffffffff;
    let last = 0;
    for (const u of F.segments) {
      const a = mod32(u.seq - F.baseSeq);
      const z = mod32(u.nextSeq - F.baseSeq);
      if (a < first) first = a;
      if (z > last) last = z;
    }
    let inflight = mod32(last - first);
    for (const [l, r] of R.sack) inflight = mod32(inflight - mod32(r - l));
    rec.exists = true;
    if (inflight > 0 && inflight < 2_000_000_000) rec.bytesInFlight = inflight - (has(SYN) || has(FIN) ? 1 : 0);
    if (has(PSH) && !F.pushSetLast) {
      F.pushBytes += seglen;
      F.pushSetLast = true;
    } else if (has(PSH)) {
      F.pushBytes = seglen;
    } else if (F.pushSetLast) {
      F.pushBytes = seglen;
      F.pushSetLast = false;
    } else {
      F.pushBytes += seglen;
    }
    rec.pushBytesSent = F.pushBytes;
  }
}

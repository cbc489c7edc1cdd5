/**
 * TCP tracking state, in Wireshark's vocabulary (spec §1):
 *
 *   Conversation  (one per 4-tuple and connection; `stream` = tcp.stream)
 *     └─ Flow × 2 (one per direction, seen from that direction's sender)
 *          └─ un-ACKed segment list (deque in parallel arrays, oldest first)
 */
import { seqGe } from './seq';

export class Flow {
  /** ISN used for relative numbers. */
  baseSeq = 0;
  baseSeqSet = false;
  /** −1 unknown, −2 no window scaling used, 0…14 shift count. */
  winScale = -1;
  /** Raw (unscaled) window of the last packet this side sent (−1 = unset, tshark's 0xFFFFFFFF). */
  window = -1;
  /** True from this side's SYN or SYN/ACK until it sends its first non-SYN ACK. */
  isFirstAck = false;
  /** Bytes-in-flight computation allowed. */
  validBif = true;
  pushBytes = 0;
  pushSetLast = false;
  /** Analysis flags of the last packet this side sent (0 if it had no record). */
  lastSegmentFlags = 0;
  /** Highest "next sequence number" seen from this side (0 = unset). */
  nextSeq = 0;
  nextSeqFrame = 0;
  /** Highest contiguous sequence number sent by this side (0 = unset). */
  maxSeqToBeAcked = 0;
  /** ACK field of the last packet this side sent (0 = unset). */
  lastAck = 0;
  /** Frame of the last packet this side sent (its time is read from the frame table when needed). */
  lastAckFrame = 0;
  /** Frame of the last packet of this side whose ACK field differed from the previous one. */
  lastNonDupAck = 0;
  /** IPv4 ID of the last packet this side sent (−1 = IPv6 / unset): engine/diagnose's keep-alive check. */
  lastIpId = -1;
  /** Lowest TTL / hop limit of this side's packets other than RSTs (−1 = none yet): see TcpAnalyzer.noteTtl. */
  ttlLo = -1;
  /** Duplicate-ACK counter (unsigned 32-bit; may hold 0xFFFFFFFF, spec §3.2 step 11). */
  dupAckNum = 0;
  /** SACK blocks of the last packet this side sent (at most 3 kept, as 4.0 does). */
  sackCount = 0;

  // Un-ACKed segments: entries [head, tail) of one interleaved array, oldest first; entry k is
  // seg[3k] = frame, seg[3k+1] = seq, seg[3k+2] = next seq (signed 32-bit, see TcpAnalyzer.process).
  // One array keeps an entry on one cache line (hundreds of interleaved flows stay cheap).
  // A deque that never frees: emptied lists restart at 0, full ones compact or double.
  seg = new Int32Array(16 * 3);
  head = 0;
  tail = 0;
  /** Entries ascend by seq without overlap (lets ACK processing stop early). */
  sorted = true;
  /**
   * The Ethernet addresses (destination, source: three big-endian 32-bit words) of this side's
   * frames on the load's fast path, from its first one (macSet): stats/net-record.ts logs only the
   * frames whose addresses differ. Compared here, on the flow the analysis just touched.
   */
  mac0 = 0;
  mac1 = 0;
  mac2 = 0;
  macSet = false;

  // Fields below are read on rarer paths (kept after the per-frame ones).
  readonly sackL = new Int32Array(3);
  readonly sackR = new Int32Array(3);
  /** This side sent the first FIN. */
  closingInitiator = false;
  /** Highest TTL / hop limit of this side's packets other than RSTs, and the first frame that showed ttlLo. */
  ttlHi = -1;
  ttlFrame = 0;
  /** SYN/ACK frames sent by this side with their raw seq (replayed for the second pass). */
  synAcks: number[] = [];
  /** Second-pass base changes: pairs (frame, base) in frame order. */
  baseChanges: number[] = [];

  get segCount(): number {
    return this.tail - this.head;
  }

  pushSegment(frame: number, seq: number, next: number): void {
    if (this.tail > this.head && !seqGe(seq, this.seg[this.tail * 3 - 1])) this.sorted = false;
    if (this.tail * 3 === this.seg.length) this.makeRoom();
    const k = this.tail++ * 3;
    this.seg[k] = frame;
    this.seg[k + 1] = seq;
    this.seg[k + 2] = next;
  }

  private makeRoom(): void {
    const n = this.tail - this.head;
    const cap = this.seg.length / 3;
    if (this.head > 0 && n <= cap >> 1) {
      this.seg.copyWithin(0, this.head * 3, this.tail * 3);
    } else {
      const grown = new Int32Array(Math.max(16, cap * 2) * 3);
      grown.set(this.seg.subarray(this.head * 3, this.tail * 3));
      this.seg = grown;
    }
    this.head = 0;
    this.tail = n;
  }

  /** Drop the un-ACKed list (analysis is over): its array can be large for bulk flows. */
  releaseSegments(): void {
    this.seg = new Int32Array(0);
    this.head = this.tail = 0;
  }

  /** After removals: an empty list restarts at index 0 and is sorted again. */
  settle(): void {
    if (this.head === this.tail) {
      this.head = this.tail = 0;
      this.sorted = true;
    }
  }

  /** Base in force for the second pass at `frame`. */
  baseAt(frame: number): number {
    let base = this.baseSeq;
    const c = this.baseChanges;
    for (let i = 0; i < c.length && c[i] <= frame; i += 2) base = c[i + 1];
    return base;
  }
}

export class Conversation {
  // Fields read for every frame come first (they share the object's first cache lines).
  readonly stream: number;
  readonly family: 4 | 6;
  /** Endpoint A = the sender of the frame that created the conversation; flow0 is A → B. */
  readonly portA: number;
  readonly portB: number;
  // Endpoint addresses as signed 32-bit words (IPv4 uses word 0 only): plain fields, no array to chase.
  private readonly a0: number;
  private readonly b0: number;
  /** Initial RTT in ns (0 = unset). */
  iRtt = 0;
  completeness = 0;
  /**
   * The completeness bits the conversation's first packet would have added had it not been the
   * first (4.0 counts nothing for it). tshark -2's second pass runs the update again, when the
   * conversation exists already: every later frame shows them too (`completenessAt`).
   */
  firstBits = 0;
  /**
   * Bits tshark does not show: the SYN (1) of a connection FTP announced (PASV/PORT), set by the
   * application layer (dissect/app.ts) — tshark's conversation for it takes over after that SYN.
   */
  lostBits = 0;
  /** The flows A → B (0) and B → A (1): plain fields, no array between the conversation and them. */
  readonly flow0 = new Flow();
  readonly flow1 = new Flow();
  /** Time of the most recent pure SYN (NaN = unset). */
  tsMruSyn = NaN;
  private readonly a1: number;
  private readonly a2: number;
  private readonly a3: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly b3: number;
  /** Time (ns from the first frame of the capture) of the creating frame: base of tcp.time_relative. */
  readonly tsFirst: number;
  readonly setupFrame: number;
  /** Frame of that SYN, and of the ACK that set iRtt (to print iRTT from the exact timestamps). */
  mruSynFrame = 0;
  iRttFrames: [number, number] | undefined;
  tfoSynData = false;
  /** A packet of this connection advertised a zero window (engine/diagnose scans only such connections, and a few others). */
  zeroWindowSeen = false;
  /** SOCKS handshake state of a conversation on port 1080 (tcp/socks.ts; 0 = not followed). */
  socks = 0;

  /** IPv4 address of endpoint A (side 0) or B (side 1), unsigned (display filters read it from here). */
  ipv4(side: number): number {
    return (side ? this.b0 : this.a0) >>> 0;
  }

  constructor(
    stream: number,
    setupFrame: number,
    family: 4 | 6,
    src: Uint32Array,
    srcPort: number,
    dst: Uint32Array,
    dstPort: number,
    now: number,
  ) {
    this.stream = stream;
    this.family = family;
    this.portA = srcPort;
    this.portB = dstPort;
    this.a0 = src[0] | 0;
    this.a1 = src[1] | 0;
    this.a2 = src[2] | 0;
    this.a3 = src[3] | 0;
    this.b0 = dst[0] | 0;
    this.b1 = dst[1] | 0;
    this.b2 = dst[2] | 0;
    this.b3 = dst[3] | 0;
    this.tsFirst = now;
    this.setupFrame = setupFrame;
  }

  /**
   * The direction of a packet from (src, srcPort) to (dst, dstPort) of family `family`:
   * 0 when it goes A → B (also when both endpoints are the same), 1 when B → A, −1 when its
   * endpoints are not this conversation's.
   */
  dir(family: number, src: Uint32Array, srcPort: number, dst: Uint32Array, dstPort: number): number {
    if (family !== this.family) return -1;
    if (this.isA(src, srcPort) && this.isB(dst, dstPort)) return 0;
    if (this.isA(dst, dstPort) && this.isB(src, srcPort)) return 1;
    return -1;
  }

  /** (addr, port) is endpoint A (of an address of this conversation's family). */
  private isA(addr: Uint32Array, port: number): boolean {
    if (port !== this.portA || (addr[0] | 0) !== this.a0) return false;
    // IPv4 words 1–3 are zero on both sides.
    return this.family === 4 || ((addr[1] | 0) === this.a1 && (addr[2] | 0) === this.a2 && (addr[3] | 0) === this.a3);
  }

  /** (addr, port) is endpoint B. */
  private isB(addr: Uint32Array, port: number): boolean {
    if (port !== this.portB || (addr[0] | 0) !== this.b0) return false;
    return this.family === 4 || ((addr[1] | 0) === this.b1 && (addr[2] | 0) === this.b2 && (addr[3] | 0) === this.b3);
  }

  /** Address words of endpoint A (side 0) or B (side 1); IPv4 uses word 0. */
  address(side: number): [number, number, number, number] {
    return side === 0 ? [this.a0, this.a1, this.a2, this.a3] : [this.b0, this.b1, this.b2, this.b3];
  }

  /** Flow `d` (0 = A → B, 1 = B → A). */
  /** tcp.completeness as tshark -2 prints it on `frame` (the final value, plus `firstBits` after the first frame). */
  completenessAt(frame: number): number {
    return (frame === this.setupFrame ? this.completeness : this.completeness | this.firstBits) & ~this.lostBits;
  }

  flow(d: number): Flow {
    return d === 0 ? this.flow0 : this.flow1;
  }
}

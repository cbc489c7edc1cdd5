import type { OptionItem } from './option-items';

/** tflags bits above the 12 TCP header flag bits. */
export const TF_DIR_BA = 0x1000; // sent by endpoint B (the conversation's second endpoint)
export const TF_TRUNCATED = 0x2000; // TCP header cut short by the snapshot length (inside the options)
export const TF_QUOTED = 0x4000; // TCP header quoted inside an ICMP error
export const TF_TCP = 0x8000; // the frame has a TCP header that was tracked

/** xflags bits: expert conditions seen in pass 1. */
export const X_ACK_NONZERO = 0x01; // ACK field non-zero while the ACK flag is clear
export const X_URG_NONZERO = 0x02; // urgent pointer non-zero while URG is clear
export const X_SACK = 0x04; // a SACK option with at least one block (the graphs read the bytes of these frames only)
export const X_TFO_ACK = 0x80; // SYN/ACK whose relative ACK exceeds 1 (accepts TFO data)
export const X_FIN_INITIATES = 0x100; // FIN that initiated the close when seen (one-pass reading)
export const X_OPTION_ITEMS = 0x200; // options that may carry expert items (listed in FrameTable.optionItems)
export const X_ONE_IP = 0x400; // the frame's only IP header carries its tracked TCP header: ip.addr = the conversation's endpoints
export const X_TCP_UNTRACKED = 0x800; // a TCP header too short to track (under 16 bytes): tcp.port exists without a stream
export const X_FAST = 0x2000; // decoded by the load's fast path (Ethernet → IPv4/IPv6 → TCP): its taps of the statistics are known (stats/net-record.ts)
export const X_PAST_IP = 0x1000; // tracked TCP frame whose Ethernet frame goes on past the IP packet (padding, trailer: decode/past-ip.ts)

/** FrameTable.segLen of a segment whose tcp.len does not fit: read its header again. */
export const SEG_LEN_WIDE = 0xffff;

type Column = Uint32Array | Int32Array | Uint16Array | Int16Array | Uint8Array;
/** An unsigned column that starts narrow and is widened (copied once) by the first value that does not fit. */
type Narrow = Uint8Array | Uint16Array | Uint32Array;

const TWO_32 = 4294967296;

/** The largest value `a` holds. */
function maxOf(a: Narrow): number {
  return a.BYTES_PER_ELEMENT === 1 ? 0xff : a.BYTES_PER_ELEMENT === 2 ? 0xffff : 0xffffffff;
}

/** `a` copied into a column wide enough for `v`. */
function widen(a: Narrow, v: number): Narrow {
  const b = v <= 0xffff ? new Uint16Array(a.length) : new Uint32Array(a.length);
  b.set(a);
  return b;
}

/**
 * FrameTable: the per-frame index, columnar (one typed array per field) so that millions of
 * frames cost a few dozen bytes each. Everything else about a frame is re-derived on demand
 * by re-reading its bytes (offset + capLen) and decoding them again.
 *
 * Bytes per frame: offset 4, capLen 1–4, origLen 0–4, tsSec 1–4, tsNsec 4, stream 2, aflags 2,
 * acksFrame 4, bif 4, push 4, tflags 2, xflags 2, win 2, seqRaw 4, ackRaw 4, segLen 2. Some
 * columns start narrow and are widened (a copy) by the first value that does not fit: capLen
 * (8 bits, then 16, then 32: a capture cut at 96 bytes keeps 8), tsSec (seconds from the first
 * frame's in 8, then 16 bits; whole seconds since the epoch in 32 once a frame is 18 hours
 * away or before the first), stream (16 bits until the 32 767th conversation, then 32). origLen
 * is the capLen column itself (the same array) until a frame's wire length differs from its
 * captured length, then a column of its own (8, 16 or 32 bits). A capture of whole frames
 * shorter than 18 hours costs 44 bytes a frame; the bench capture (cut at 96 bytes) 44. 2 more for the
 * interface index once a frame comes from an interface other than the first (pcapng), and 4 more
 * once the previous frame of each frame's conversation (tcp.time_delta) is first asked for: see
 * prevInConv. The columns share one buffer (one allocation when growing). Rarer facts (RTO
 * reference frames, duplicate-ACK numbers, comments, offsets past 4 GiB, seconds outside
 * 0…2^32) live in sparse structures; read offsets and seconds through `offsetOf` and `secOf`.
 */
export class FrameTable {
  count = 0;
  private cap = 0;
  /** Offset of the frame's bytes in the (decompressed) capture stream, mod 2^32: see offsetOf. */
  private offsetLo = new Uint32Array(0);
  /** Captured length (a narrow column: 8, 16 or 32 bits; capMax is the largest it holds). */
  capLen: Narrow = new Uint8Array(0);
  private capMax = 0xff;
  /** Length on the wire: the capLen array itself while every frame was captured whole (origApart false). */
  origLen: Narrow = this.capLen;
  private origApart = false;
  private origMax = 0xff;
  /**
   * Timestamp seconds: while secNarrow, seconds from secBase (the first frame's) in 8 or 16 bits;
   * else whole seconds since the epoch when in 0…2^32−1. Seconds that fit neither live in
   * secWide: see secOf.
   */
  private tsSecLo: Narrow = new Uint8Array(0);
  private secNarrow = true;
  private secBase = -1;
  /** Nanoseconds: the bits of a signed 32-bit count (read with `| 0`); pcap fractions are kept unnormalised, as wiretap does. */
  tsNsec = new Uint32Array(0);
  /** Interface index (pcapng) — gives the link type. Empty until a frame comes from an interface other than 0. */
  private ifaceCol = new Uint16Array(0);
  /** tcp.stream, or -1 when the frame has no TCP conversation: 16 bits until stream 32 767 (streamRoom). */
  stream: Int16Array | Int32Array = new Int16Array(0);
  /** Analysis flags (tcp/flags.ts A_*), including the A_RECORD bit. */
  aflags = new Uint16Array(0);
  /** tcp.analysis.acks_frame (0 = none). */
  acksFrame = new Uint32Array(0);
  /** tcp.analysis.bytes_in_flight (0 = not shown). */
  bif = new Uint32Array(0);
  /** tcp.analysis.push_bytes_sent (shown with bif). */
  push = new Uint32Array(0);
  /** TCP header flags (12 bits) plus TF_* bits below: enough to list a frame's expert items without re-reading it. */
  tflags = new Uint16Array(0);
  /** X_* bits: protocol expert conditions found in the header and options (pass 1). */
  xflags = new Uint16Array(0);
  /** The raw TCP window of tracked TCP frames (tcp.window_size_value; display filters scale it). */
  win = new Uint16Array(0);
  /** tcp.seq_raw and tcp.ack_raw of tracked TCP frames (the graphs: relative = minus the flow's base at the frame). */
  seqRaw = new Uint32Array(0);
  ackRaw = new Uint32Array(0);
  /** tcp.len + 1 of tracked TCP frames: 0 = no tcp.len, SEG_LEN_WIDE = 65534 or more (read the header). */
  segLen = new Uint16Array(0);
  /** Sparse: duplicate-ACK number and frame by frame number. */
  readonly dupAck = new Map<number, { num: number; frame: number }>();
  /** Sparse: tcp.analysis.rto_frame of retransmissions. */
  readonly rtoFrame = new Map<number, number>();
  /** Sparse: frames flagged REUSED_PORTS only by the second-pass replay (finalize), not in pass 1. */
  readonly reflagged = new Set<number>();
  /** Sparse: frames whose record carries no timestamp (stored as time 0). */
  readonly noTime = new Set<number>();
  /** Sparse: the expert items of the frame's TCP options (tcp/option-items.ts), listed while loading. */
  readonly optionItems = new Map<number, OptionItem[]>();
  /** Sparse (engine/diagnose): the IP TTL / hop limit of every RST, by frame number. */
  readonly rstTtl = new Map<number, number>();
  /**
   * Sparse (engine/diagnose): IPv4 keep-alives, by frame number: the sender's previous frame in
   * the connection, its IP ID, and the keep-alive's IP ID.
   */
  readonly keepAliveIpIds = new Map<number, { prevFrame: number; prevIpId: number; ipId: number }>();
  /**
   * Sparse (engine/diagnose): retransmissions (tcp.analysis.retransmission), by frame number: raw
   * sequence number, and the frame that first sent that sequence number when it is still the
   * oldest un-ACKed segment (0 = not known).
   */
  readonly retransmits = new Map<number, { seq: number; orig: number }>();
  /** Sparse: pcapng packet comments by frame number. */
  readonly comments = new Map<number, string[]>();
  /**
   * Sparse (the graphs): the SACK blocks of the frames that carry some (X_SACK), every block of
   * every SACK option in header order as raw left/right edges. Frames are appended in load order
   * (ascending): frame sackFrames[k] has edges sackEdges[2·sackAt[k] …] (sackAt[k + 1] blocks end
   * them). 8 bytes per frame with SACK blocks, 8 per block.
   */
  private sackFrames = new Uint32Array(0);
  private sackAt = new Uint32Array(0);
  private sackEdges = new Uint32Array(0);
  private sackCount = 0;

  /** Offsets past 4 GiB: pairs (first frame index, offset ÷ 2^32), one per change. */
  private readonly offsetHi: number[] = [];
  /** Offsets below this take add()'s short path: 2^32 until offsetHi has an entry, then 0. */
  private offLimit = TWO_32;
  /** Seconds that are not a whole number in 0…2^32−1 (odd pcapng resolutions and offsets), by frame index. */
  private readonly secWide = new Map<number, number>();
  /** secWide has entries (a plain field: secOf runs for every frame). */
  private anyWide = false;

  /** Bytes a frame usually takes in the columns above (a load's memory guard says it); see bytesPerFrame. */
  static readonly BYTES_PER_FRAME = 44;

  /** Bytes a frame takes in the columns as they are now (their widths; the optional columns once they exist). */
  bytesPerFrame(): number {
    let b = 0;
    this.eachColumn((a) => {
      b += a.BYTES_PER_ELEMENT;
      return a;
    });
    return b;
  }

  /** Interface index of frame index `i` (0-based): gives its link type (pcapng). */
  ifaceOf(i: number): number {
    return this.ifaceCol.length > 0 ? this.ifaceCol[i] : 0;
  }

  /** Derived from `stream` on demand (prevInConv): entries [0, prevDone) are filled. */
  private prevCol = new Uint32Array(0);
  private prevDone = 0;
  /** While deriving: the last frame seen of each stream. */
  private lastOfStream = new Uint32Array(0);

  /**
   * The previous frame (1-based) of frame `n`'s TCP conversation, 0 for its first (tcp.time_delta).
   * Derived from the stream column the first time it is asked for, and extended as frames are
   * added: it needs no work while loading, and no memory until a detail or a field asks.
   */
  prevInConv(n: number): number {
    if (n > this.prevDone) this.derivePrev();
    return this.prevCol[n - 1];
  }

  private derivePrev(): void {
    const n = this.count;
    if (this.prevCol.length < n) {
      const a = new Uint32Array(this.prevDone === 0 ? n : Math.max(n, this.prevCol.length * 2));
      a.set(this.prevCol.subarray(0, this.prevDone));
      this.prevCol = a;
    }
    let last = this.lastOfStream;
    const stream = this.stream;
    const prev = this.prevCol;
    for (let i = this.prevDone; i < n; i++) {
      const s = stream[i];
      if (s < 0) continue;
      if (s >= last.length) {
        const b = new Uint32Array(Math.max(s + 1, last.length * 2, 64));
        b.set(last);
        last = b;
      }
      prev[i] = last[s];
      last[s] = i + 1;
    }
    this.lastOfStream = last;
    this.prevDone = n;
  }

  /** Record a SACK block (raw edges) of frame `n`; frames come in ascending order. */
  addSack(n: number, left: number, right: number): void {
    let k = this.sackCount;
    if (k === 0 || this.sackFrames[k - 1] !== n) {
      if (k === this.sackFrames.length) {
        const f = new Uint32Array(Math.max(64, k * 2));
        f.set(this.sackFrames);
        this.sackFrames = f;
        const a = new Uint32Array(f.length + 1);
        a.set(this.sackAt);
        this.sackAt = a;
      }
      this.sackFrames[k] = n;
      this.sackAt[k + 1] = this.sackAt[k];
      this.sackCount = ++k;
    }
    const e = this.sackAt[k] * 2;
    if (e + 2 > this.sackEdges.length) {
      const b = new Uint32Array(Math.max(128, this.sackEdges.length * 2));
      b.set(this.sackEdges);
      this.sackEdges = b;
    }
    this.sackEdges[e] = left >>> 0;
    this.sackEdges[e + 1] = right >>> 0;
    this.sackAt[k]++;
  }

  /** Bytes held by the SACK blocks kept (sackOf). */
  sackBytes(): number {
    return this.sackCount ? this.sackFrames.buffer.byteLength + this.sackAt.buffer.byteLength + this.sackEdges.buffer.byteLength : 0;
  }

  /** The SACK blocks of frame `n` as raw [left, right, left, right …] (empty: none recorded). */
  sackOf(n: number): Uint32Array {
    let a = 0;
    let b = this.sackCount;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (this.sackFrames[m] < n) a = m + 1;
      else b = m;
    }
    if (a === this.sackCount || this.sackFrames[a] !== n) return this.sackEdges.subarray(0, 0);
    return this.sackEdges.subarray(this.sackAt[a] * 2, this.sackAt[a + 1] * 2);
  }

  /** Offset of frame index `i` (0-based) in the (decompressed) capture stream. */
  offsetOf(i: number): number {
    const h = this.offsetHi;
    if (h.length === 0) return this.offsetLo[i];
    let hi = 0;
    for (let k = 0; k < h.length && h[k] <= i; k += 2) hi = h[k + 1];
    return hi * TWO_32 + this.offsetLo[i];
  }

  /** Timestamp seconds of frame index `i` (0-based); 0 for a record without one (see noTime). */
  secOf(i: number): number {
    const s = this.secBase + this.tsSecLo[i];
    return this.anyWide ? (this.secWide.get(i) ?? s) : s;
  }

  /** Make room in the stream column for stream index `s` (the analyzer calls it for each new conversation). */
  streamRoom(s: number): void {
    if (s > 0x7fff && this.stream instanceof Int16Array) this.stream = Int32Array.from(this.stream);
  }

  private widenCap(v: number): void {
    this.capLen = widen(this.capLen, v);
    this.capMax = maxOf(this.capLen);
    if (!this.origApart) {
      this.origLen = this.capLen;
      this.origMax = this.capMax;
    }
  }

  /** A frame's wire length differs from its captured length: origLen gets its own column. */
  private splitOrig(): void {
    this.origLen = this.capLen.slice();
    this.origApart = true;
  }

  private widenOrig(v: number): void {
    this.origLen = widen(this.origLen, v);
    this.origMax = maxOf(this.origLen);
  }

  /** Seconds `d` from the first frame's that the narrow column cannot hold: 16 bits, or whole seconds since the epoch. */
  private widenSec(d: number): void {
    if (d >= 0 && d <= 0xffff) {
      this.tsSecLo = widen(this.tsSecLo, d);
      this.secMax = 0xffff;
      return;
    }
    const a = new Uint32Array(this.tsSecLo.length);
    const base = this.secBase < 0 ? 0 : this.secBase;
    for (let i = 0; i < this.count; i++) a[i] = base + this.tsSecLo[i];
    this.tsSecLo = a;
    this.secNarrow = false;
    // Whole seconds since the epoch from now on: add()'s short path reads them as seconds from 0.
    this.secBase = 0;
    this.secMax = 0xffffffff;
  }

  /**
   * Nanoseconds from the first frame to the frame add() appended last, the same double as
   * `nsBetween(count, 1)` (the load hands it to the analyzer).
   */
  lastNs = 0;
  /** The largest seconds-from-secBase tsSecLo holds (−1 before the first frame: it takes addSlow). */
  private secMax = -1;
  /** The first frame's seconds and nanoseconds (as secOf(0) and tsNsec[0] | 0 read them). */
  private sec0 = 0;
  private nsec0 = 0;

  /** Append a frame; returns its 1-based number. */
  add(offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, iface: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count;
    // The usual frame, kept short so that it inlines into the load's loop: an offset under 4 GiB,
    // lengths and seconds the narrow columns hold (whole, not −0), interface 0.
    const d = tsSec - this.secBase;
    if (
      offset < this.offLimit && capLen <= this.capMax && d >>> 0 === d && d <= this.secMax && (tsSec !== 0 || 1 / tsSec > 0) && iface === 0 &&
      (this.origApart ? origLen <= this.origMax : origLen === capLen)
    ) {
      this.count = i + 1;
      this.offsetLo[i] = offset;
      this.capLen[i] = capLen;
      if (this.origApart) this.origLen[i] = origLen;
      this.tsSecLo[i] = d;
      this.tsNsec[i] = tsNsec;
      this.lastNs = (tsSec - this.sec0) * 1e9 + ((tsNsec | 0) - this.nsec0);
      return i + 1;
    }
    return this.addSlow(offset, capLen, origLen, tsSec, tsNsec, iface);
  }

  /** add() for every other frame (widens the narrow columns, records the rare facts). */
  private addSlow(offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, iface: number): number {
    const i = this.count++;
    this.offsetLo[i] = offset;
    const h = this.offsetHi;
    if (offset >= TWO_32 || h.length > 0) {
      const hi = Math.floor(offset / TWO_32);
      if (hi !== (h.length > 0 ? h[h.length - 1] : 0)) h.push(i, hi);
      if (h.length > 0) this.offLimit = 0;
    }
    if (capLen > this.capMax) this.widenCap(capLen);
    this.capLen[i] = capLen;
    if (origLen !== capLen && !this.origApart) this.splitOrig();
    if (this.origApart) {
      if (origLen > this.origMax) this.widenOrig(origLen);
      this.origLen[i] = origLen;
    }
    if (tsSec !== tsSec) {
      // NaN: no timestamp in the record
      tsSec = 0;
      tsNsec = 0;
      this.noTime.add(i + 1);
    }
    if (tsSec >>> 0 === tsSec && (tsSec !== 0 || 1 / tsSec > 0)) {
      if (this.secNarrow) {
        if (this.secBase < 0) {
          this.secBase = tsSec;
          this.secMax = 0xff;
        }
        const d = tsSec - this.secBase;
        if (d < 0 || d > this.secMax) this.widenSec(d);
        this.tsSecLo[i] = this.secNarrow ? d : tsSec;
      } else this.tsSecLo[i] = tsSec;
    } else {
      this.secWide.set(i, tsSec);
      this.anyWide = true;
    }
    this.tsNsec[i] = tsNsec;
    if (iface !== 0) {
      if (this.ifaceCol.length === 0) this.ifaceCol = new Uint16Array(this.cap);
      this.ifaceCol[i] = iface; // new capacity is zeroed (and stream is −1): see grow()
    }
    if (i === 0) {
      this.sec0 = this.secOf(0);
      this.nsec0 = this.tsNsec[0] | 0;
    }
    this.lastNs = this.nsBetween(i + 1, 1);
    return i + 1;
  }

  /** Whole seconds and nanoseconds from frame b to frame a (1-based), each exact: see fields/format.ts fmtRelParts. */
  secNsBetween(a: number, b: number): [number, number] {
    return [this.secOf(a - 1) - this.secOf(b - 1), ((this.tsNsec[a - 1] | 0) - (this.tsNsec[b - 1] | 0)) | 0];
  }

  /** Nanoseconds from frame b to frame a (1-based), exact for spans under 104 days. */
  nsBetween(a: number, b: number): number {
    return (this.secOf(a - 1) - this.secOf(b - 1)) * 1e9 + ((this.tsNsec[a - 1] | 0) - (this.tsNsec[b - 1] | 0));
  }

  /** Drop the spare capacity left by growing (called when a load completes). */
  trim(): void {
    if (this.sackCount) {
      const k = this.sackCount;
      this.sackFrames = this.sackFrames.slice(0, k);
      this.sackAt = this.sackAt.slice(0, k + 1);
      this.sackEdges = this.sackEdges.slice(0, this.sackAt[k] * 2);
    }
    // tcp.time_delta asked for during the load: its derived column may have grown past the end.
    if (this.prevCol.length > this.count) this.prevCol = this.prevCol.slice(0, this.count);
    if (this.cap === this.count) return;
    const n = this.count;
    if (this.cap <= n * 1.02) {
      // Within 2% (the usual case: capacity was reserved from the file size): views over the
      // same buffers, no copy of ~60 MB per million frames. cap stays: the buffers keep their size.
      this.eachColumn((a) => a.subarray(0, n) as typeof a);
      return;
    }
    this.eachColumn((a) => a.slice(0, n) as typeof a);
    this.cap = n;
  }

  /** Bytes held by the columns (capacity included) plus the sparse maps' entries, roughly. */
  retainedBytes(): number {
    let bytes = 0;
    const seen = new Set<ArrayBufferLike>();
    this.eachColumn((a) => {
      if (!seen.has(a.buffer)) bytes += a.buffer.byteLength;
      seen.add(a.buffer);
      return a;
    });
    bytes += this.prevCol.buffer.byteLength + this.lastOfStream.buffer.byteLength;
    const diag = this.rstTtl.size + this.keepAliveIpIds.size + this.retransmits.size;
    bytes += this.sackBytes();
    return bytes + (this.dupAck.size + this.rtoFrame.size + this.secWide.size + diag) * 48 + this.optionItems.size * 96 + this.offsetHi.length * 8;
  }

  /**
   * Make room for about `n` frames in one step (the session estimates the total from the first
   * chunk and the file size), so large files are not copied again and again while growing.
   */
  reserve(n: number): void {
    if (n > this.cap) this.grow(n);
  }

  private grow(want = 0): void {
    // A multiple of 4 elements: every column's byte length is then a multiple of 4, so each
    // column starts aligned in the one buffer they share.
    const n = (Math.max(1024, want, Math.ceil(this.cap * 1.5)) + 3) & ~3;
    let bytes = 0;
    this.eachColumn((a) => {
      bytes += n * a.BYTES_PER_ELEMENT;
      return a;
    });
    // One allocation for all the columns: one call, and one buffer for V8's external-memory
    // accounting (many buffers of a young generation trigger extra scavenges while loading).
    const buf = new ArrayBuffer(bytes);
    let at = 0;
    this.eachColumn((a) => {
      const b = new (a.constructor as new (buf: ArrayBuffer, at: number, n: number) => typeof a)(buf, at, n);
      at += n * a.BYTES_PER_ELEMENT;
      b.set(a);
      return b;
    });
    // A frame has no TCP stream until the analyzer gives it one.
    this.stream.fill(-1, this.cap);
    this.cap = n;
  }

  /** Replace every column by `f(column)` (one list of the columns for growing, trimming, measuring). */
  private eachColumn(f: <T extends Column>(a: T) => T): void {
    this.offsetLo = f(this.offsetLo);
    this.capLen = f(this.capLen);
    this.origLen = this.origApart ? f(this.origLen) : this.capLen;
    this.tsSecLo = f(this.tsSecLo);
    this.tsNsec = f(this.tsNsec);
    if (this.ifaceCol.length > 0) this.ifaceCol = f(this.ifaceCol);
    this.stream = f(this.stream);
    this.aflags = f(this.aflags);
    this.acksFrame = f(this.acksFrame);
    this.bif = f(this.bif);
    this.push = f(this.push);
    this.tflags = f(this.tflags);
    this.xflags = f(this.xflags);
    this.win = f(this.win);
    this.seqRaw = f(this.seqRaw);
    this.ackRaw = f(this.ackRaw);
    this.segLen = f(this.segLen);
  }
}

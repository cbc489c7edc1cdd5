/** tflags bits above the 12 TCP header flag bits. */
export const TF_DIR_BA = 0x1000; // sent by endpoint B (the conversation's second endpoint)
export const TF_TRUNCATED = 0x2000; // TCP header cut short by the snapshot length (inside the options)
export const TF_QUOTED = 0x4000; // TCP header quoted inside an ICMP error
export const TF_TCP = 0x8000; // the frame has a TCP header that was tracked

/** xflags bits: expert conditions seen in pass 1. */
export const X_ACK_NONZERO = 0x01; // ACK field non-zero while the ACK flag is clear
export const X_URG_NONZERO = 0x02; // urgent pointer non-zero while URG is clear
export const X_MSS_NON_SYN = 0x04; // MSS option on a non-SYN segment
export const X_WS_OVER_14 = 0x08; // window-scale shift above 14
export const X_TFO_COOKIE = 0x10; // pure SYN carrying a TFO cookie
export const X_FOUR_NOPS = 0x20; // four NOPs in a row
export const X_SYN_NO_MSS = 0x40; // SYN with options but no MSS
export const X_TFO_ACK = 0x80; // SYN/ACK whose relative ACK exceeds 1 (accepts TFO data)
export const X_FIN_INITIATES = 0x100; // FIN that initiated the close when seen (one-pass reading)
export const X_OPTION_ITEMS = 0x200; // options that may carry expert items: re-decode the frame to list them

/**
 * FrameTable: the per-frame index, columnar (one typed array per field) so that millions of
 * frames cost a few dozen bytes each. Everything else about a frame is re-derived on demand
 * by re-reading its bytes (offset + capLen) and decoding them again.
 *
 * Bytes per frame: offset 8, capLen 4, origLen 4, tsSec 8, tsNsec 4, iface 2, stream 4,
 * aflags 2, acksFrame 4, bif 4, push 4, prevInConv 4, tflags 2, xflags 2 = 56.
 * Rarer facts (RTO reference frames, duplicate-ACK numbers, comments) live in sparse maps.
 */
export class FrameTable {
  count = 0;
  private cap = 0;
  /** Offset of the frame's bytes in the (decompressed) capture stream. */
  offset = new Float64Array(0);
  capLen = new Uint32Array(0);
  origLen = new Uint32Array(0);
  /** Timestamp, whole seconds since the epoch (may exceed 2^32 in odd files). */
  tsSec = new Float64Array(0);
  /** Nanoseconds: the bits of a signed 32-bit count (read with `| 0`); pcap fractions are kept unnormalised, as wiretap does. */
  tsNsec = new Uint32Array(0);
  /** Interface index (pcapng) — gives the link type. */
  iface = new Uint16Array(0);
  /** tcp.stream, or -1 when the frame has no TCP conversation. */
  stream = new Int32Array(0);
  /** Analysis flags (tcp/flags.ts A_*), including the A_RECORD bit. */
  aflags = new Uint16Array(0);
  /** tcp.analysis.acks_frame (0 = none). */
  acksFrame = new Uint32Array(0);
  /** tcp.analysis.bytes_in_flight (0 = not shown). */
  bif = new Uint32Array(0);
  /** tcp.analysis.push_bytes_sent (shown with bif). */
  push = new Uint32Array(0);
  /** Previous frame of the same conversation (0 = first), for tcp.time_delta. */
  prevInConv = new Uint32Array(0);
  /** TCP header flags (12 bits) plus TF_* bits below: enough to list a frame's expert items without re-reading it. */
  tflags = new Uint16Array(0);
  /** X_* bits: protocol expert conditions found in the header and options (pass 1). */
  xflags = new Uint16Array(0);
  /** Sparse: duplicate-ACK number and frame by frame number. */
  readonly dupAck = new Map<number, { num: number; frame: number }>();
  /** Sparse: tcp.analysis.rto_frame of retransmissions. */
  readonly rtoFrame = new Map<number, number>();
  /** Sparse: frames flagged REUSED_PORTS only by the second-pass replay (finalize), not in pass 1. */
  readonly reflagged = new Set<number>();
  /** Sparse: frames whose record carries no timestamp (stored as time 0). */
  readonly noTime = new Set<number>();
  /** Sparse: pcapng packet comments by frame number. */
  readonly comments = new Map<number, string[]>();

  /** Retained bytes per frame of the columns above (for the benchmark). */
  static readonly BYTES_PER_FRAME = 56;

  /** Append a frame; returns its 1-based number. */
  add(offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, iface: number): number {
    if (this.count === this.cap) this.grow();
    const i = this.count++;
    this.offset[i] = offset;
    this.capLen[i] = capLen;
    this.origLen[i] = origLen;
    if (tsSec !== tsSec) {
      // NaN: no timestamp in the record
      tsSec = 0;
      tsNsec = 0;
      this.noTime.add(i + 1);
    }
    this.tsSec[i] = tsSec;
    this.tsNsec[i] = tsNsec;
    this.iface[i] = iface;
    this.stream[i] = -1;
    return i + 1;
  }

  /** Whole seconds and nanoseconds from frame b to frame a (1-based), each exact: see fields/format.ts fmtRelParts. */
  secNsBetween(a: number, b: number): [number, number] {
    return [this.tsSec[a - 1] - this.tsSec[b - 1], ((this.tsNsec[a - 1] | 0) - (this.tsNsec[b - 1] | 0)) | 0];
  }

  /** Nanoseconds from frame b to frame a (1-based), exact for spans under 104 days. */
  nsBetween(a: number, b: number): number {
    return (this.tsSec[a - 1] - this.tsSec[b - 1]) * 1e9 + ((this.tsNsec[a - 1] | 0) - (this.tsNsec[b - 1] | 0));
  }

  /** Drop the spare capacity left by doubling (called when a load completes). */
  trim(): void {
    if (this.cap === this.count) return;
    const n = this.count;
    if (this.cap <= n * 1.02) {
      // Within 2% (the usual case: capacity was reserved from the file size): views over the
      // same buffers, no copy of ~60 MB per million frames.
      this.offset = this.offset.subarray(0, n);
      this.capLen = this.capLen.subarray(0, n);
      this.origLen = this.origLen.subarray(0, n);
      this.tsSec = this.tsSec.subarray(0, n);
      this.tsNsec = this.tsNsec.subarray(0, n);
      this.iface = this.iface.subarray(0, n);
      this.stream = this.stream.subarray(0, n);
      this.aflags = this.aflags.subarray(0, n);
      this.acksFrame = this.acksFrame.subarray(0, n);
      this.bif = this.bif.subarray(0, n);
      this.push = this.push.subarray(0, n);
      this.prevInConv = this.prevInConv.subarray(0, n);
      this.tflags = this.tflags.subarray(0, n);
      this.xflags = this.xflags.subarray(0, n);
      return; // cap stays: the buffers keep their size
    }
    this.offset = this.offset.slice(0, n);
    this.capLen = this.capLen.slice(0, n);
    this.origLen = this.origLen.slice(0, n);
    this.tsSec = this.tsSec.slice(0, n);
    this.tsNsec = this.tsNsec.slice(0, n);
    this.iface = this.iface.slice(0, n);
    this.stream = this.stream.slice(0, n);
    this.aflags = this.aflags.slice(0, n);
    this.acksFrame = this.acksFrame.slice(0, n);
    this.bif = this.bif.slice(0, n);
    this.push = this.push.slice(0, n);
    this.prevInConv = this.prevInConv.slice(0, n);
    this.tflags = this.tflags.slice(0, n);
    this.xflags = this.xflags.slice(0, n);
    this.cap = n;
  }

  /** Bytes held by the columns (capacity included) plus the sparse maps' entries, roughly. */
  retainedBytes(): number {
    const cols = [this.offset, this.capLen, this.origLen, this.tsSec, this.tsNsec, this.iface, this.stream, this.aflags, this.acksFrame, this.bif, this.push, this.prevInConv, this.tflags, this.xflags];
    let bytes = 0;
    for (const c of cols) bytes += c.buffer.byteLength;
    return bytes + (this.dupAck.size + this.rtoFrame.size) * 48;
  }

  /**
   * Make room for about `n` frames in one step (the session estimates the total from the first
   * chunk and the file size), so large files are not copied again and again while growing.
   */
  reserve(n: number): void {
    if (n > this.cap) this.grow(n);
  }

  private grow(want = 0): void {
    const n = Math.max(1024, want, Math.ceil(this.cap * 1.5));
    const g = <T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(n);
      b.set(a);
      return b;
    };
    this.offset = g(this.offset, Float64Array);
    this.capLen = g(this.capLen, Uint32Array);
    this.origLen = g(this.origLen, Uint32Array);
    this.tsSec = g(this.tsSec, Float64Array);
    this.tsNsec = g(this.tsNsec, Uint32Array);
    this.iface = g(this.iface, Uint16Array);
    this.stream = g(this.stream, Int32Array);
    this.aflags = g(this.aflags, Uint16Array);
    this.acksFrame = g(this.acksFrame, Uint32Array);
    this.bif = g(this.bif, Uint32Array);
    this.push = g(this.push, Uint32Array);
    this.prevInConv = g(this.prevInConv, Uint32Array);
    this.tflags = g(this.tflags, Uint16Array);
    this.xflags = g(this.xflags, Uint16Array);
    this.cap = n;
  }
}

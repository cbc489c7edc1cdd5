/**
 * Wireshark field projection: the value tshark prints for a display-filter field on a frame
 * (`tshark -2 -T fields -e FIELD`), computed from the frame's re-decoded bytes, the
 * FrameTable columns and the final conversation state. Absent fields are ''.
 */
import type { Packet } from '../decode/packet';
import { pseudoHeaderLen } from '../decode/decoder';
import { forEachTcpOption } from '../decode/tcp-options';
import { TCP_ICMP, TCP_NORMAL, TH_ACK, TH_FIN, TH_SYN } from '../decode/packet';
import type { CaptureSession } from '../session';
import type { Conversation, Flow } from '../tcp/state';
import { TF_DIR_BA } from '../tcp/frames';
import * as A from '../tcp/flags';
import { fmtEpoch, fmtRelNs, fmtRelParts, hex4, ipv4, ipv6 } from './format';
import { info, protocolColumn } from './summary';

export interface FrameCtx {
  n: number;
  p: Packet;
  /** Frame bytes and the offset of the frame's first byte in them. */
  buf: Uint8Array;
  off: number;
  s: CaptureSession;
  conv: Conversation | undefined;
  /** Sender's and receiver's flows of the conversation. */
  F: Flow | undefined;
  R: Flow | undefined;
  /**
   * The displayed frame before this one (0: none), when a display filter decides what is
   * displayed (the CLI's -Y); unset = every frame is displayed (the previous captured one).
   */
  prevDisplayed?: number;
}

type Getter = (c: FrameCtx) => string;

/**
 * Analysis flags and measurements of the frame, as printed (spec §2.13). A TCP header cut
 * short by the snapshot length stops tshark's dissection inside the options, before the
 * analysis record is printed: such frames show no record at all.
 */
export function aflags(c: FrameCtx): number {
  const p = c.p;
  if (p.hasTcp && p.tcpFull && p.tcpAvail < p.hdrLen) return 0;
  return c.s.frames.aflags[c.n - 1];
}

const present = (bit: number): Getter => (c) => (aflags(c) & bit ? '1' : '');

/** The value of the frame's first TCP option `kind` (MSS: 2, window scale: 3), or -1 (absent or of a bad length). */
function tcpOpt(c: FrameCtx, kind: number): number {
  const p = c.p;
  if (!p.hasTcp || !p.tcpFull) return -1;
  let v = -2; // -2: not met yet; the first option of that kind decides
  forEachTcpOption(p, (k, o, len) => {
    if (k !== kind || v !== -2) return;
    const b = p.tcpBuf;
    v = kind === 2 && len === 4 ? (b[o + 2] << 8) | b[o + 3] : kind === 3 && len === 3 ? b[o + 2] : -1;
  });
  return v < 0 ? -1 : v;
}

/**
 * A TCP header whose data offset is below 5 (tshark: "Bogus TCP header length (N, must be at
 * least 20)"): tshark shows the ports, the sequence number, the header length and the segment
 * length the IP layer gives (reported − N), then stops (ndpi reasm_crash_anon frame 95).
 */
const bogus = (c: FrameCtx): boolean => c.p.hdrLen < 20 && !c.p.tcpQuoted;
/**
 * A header longer than the bytes the IP layer reports ("Short segment"): no segment length, and
 * tshark shows the sequence and acknowledgment numbers unrelativised (reasm_crash_anon frame 87).
 */
const short = (c: FrameCtx): boolean => !c.p.tcpQuoted && c.p.hdrLen >= 20 && c.p.segLen < 0 && c.p.tcpCtx === TCP_NORMAL;

const analysed = (c: FrameCtx) => c.p.hasTcp && c.p.tcpFull && !c.p.tcpQuoted && c.p.segLen >= 0 && c.conv !== undefined;

function relSeq(c: FrameCtx): number {
  return (c.p.seq - c.F!.baseAt(c.n)) >>> 0;
}

function scaled(c: FrameCtx): number {
  const p = c.p;
  if (p.tcpQuoted || p.flags & TH_SYN) return p.window;
  const ws = c.F ? c.F.winScale : -1;
  return ws >= 0 ? p.window * Math.pow(2, ws) : p.window;
}

/** IPv4 address at `at` (12 src, 16 dst) of the i-th IPv4 header, if its bytes were captured. */
function ip4Field(p: Packet, i: number, at: number): string {
  return i < p.ip4Count && p.ip4Lens[i] >= at + 4 ? ipv4(p.ip4Bufs[i], p.ip4Offs[i] + at) : '';
}

/** IPv6 address at `at` (8 src, 24 dst) of the i-th IPv6 header, if its bytes were captured. */
function ip6Field(p: Packet, i: number, at: number): string {
  return i < p.ip6Count && p.ip6Lens[i] >= at + 16 ? ipv6(p.ip6Bufs[i], p.ip6Offs[i] + at) : '';
}

const rec = (c: FrameCtx) => (aflags(c) & A.A_RECORD) !== 0;

export const FIELDS: Record<string, Getter> = {
  // Columns as tshark names them. Info follows Wireshark's TCP text; application protocols
  // (HTTP, TLS, …) are not decoded, so their frames keep the TCP text.
  '_ws.col.Info': (c) => info(c),
  '_ws.col.Protocol': (c) => protocolColumn(c),
  'frame.number': (c) => String(c.n),
  'frame.time_epoch': (c) => (c.s.frames.noTime.has(c.n) ? '' : fmtEpoch(c.s.frames.secOf(c.n - 1), c.s.frames.tsNsec[c.n - 1])),
  'frame.len': (c) => String(Math.max(0, c.s.frames.origLen[c.n - 1] - pseudoHeaderLen(c.s.linkType(c.n)))),
  'frame.cap_len': (c) => String(Math.max(0, c.s.frames.capLen[c.n - 1] - pseudoHeaderLen(c.s.linkType(c.n)))),
  'ip.src': (c) => ip4Field(c.p, 0, 12),
  'ip.dst': (c) => ip4Field(c.p, 0, 16),
  'ipv6.src': (c) => ip6Field(c.p, 0, 8),
  'ipv6.dst': (c) => ip6Field(c.p, 0, 24),
  'tcp.srcport': (c) => (c.p.hasTcp ? String(c.p.srcPort) : ''),
  'tcp.dstport': (c) => (c.p.hasTcp ? String(c.p.dstPort) : ''),
  'tcp.flags': (c) => (c.p.hasTcp && c.p.tcpFull && !bogus(c) ? hex4(c.p.flags) : ''),
  'tcp.hdr_len': (c) => (c.p.hasTcp && c.p.tcpFull ? String(c.p.hdrLen) : ''),
  // tshark shows the raw numbers with the rest of the fixed header (16 bytes), and never
  // the raw sequence number of a header quoted in an ICMP error.
  'tcp.seq_raw': (c) => (c.p.hasTcp && c.p.tcpFull && c.p.tcpCtx !== TCP_ICMP ? String(c.p.seq) : ''),
  'tcp.ack_raw': (c) => (c.p.hasTcp && c.p.tcpFull && !bogus(c) ? String(c.p.ack) : ''),
  'tcp.window_size_value': (c) => (c.p.hasTcp && c.p.tcpFull && !bogus(c) ? String(c.p.window) : ''),
  'tcp.options.mss_val': (c) => {
    const v = tcpOpt(c, 2);
    return v < 0 ? '' : String(v);
  },
  'tcp.options.wscale.shift': (c) => {
    const v = tcpOpt(c, 3);
    return v < 0 ? '' : String(v);
  },
  'tcp.stream': (c) => (c.conv ? String(c.conv.stream) : ''),
  'tcp.seq': (c) => {
    // tshark shows it with the fixed header (16 bytes), or from 8 bytes when ICMP-quoted.
    if (!c.p.hasTcp || c.p.tcpAvail < 8 || (!c.p.tcpFull && c.p.tcpCtx !== TCP_ICMP)) return '';
    if (!c.conv || c.p.tcpQuoted || short(c)) return String(c.p.seq);
    return String(relSeq(c));
  },
  'tcp.ack': (c) => {
    if (!c.p.hasTcp || !c.p.tcpFull || bogus(c)) return '';
    if (!c.conv || c.p.tcpQuoted || !(c.p.flags & TH_ACK) || short(c)) return String(c.p.ack);
    return String((c.p.ack - c.R!.baseAt(c.n)) >>> 0);
  },
  'tcp.nxtseq': (c) => (analysed(c) ? String((relSeq(c) + c.p.segLen + (c.p.flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0) : ''),
  'tcp.len': (c) => (analysed(c) ? String(c.p.segLen) : c.p.hasTcp && c.p.tcpFull && c.conv && bogus(c) ? String(c.p.tcpReported - c.p.hdrLen) : ''),
  'tcp.window_size': (c) => (c.p.hasTcp && c.p.tcpFull && c.conv && !bogus(c) ? String(scaled(c)) : ''),
  'tcp.window_size_scalefactor': (c) => {
    if (!c.p.hasTcp || !c.p.tcpFull || !c.conv || c.p.flags & TH_SYN || bogus(c)) return '';
    const ws = c.F!.winScale;
    return ws >= 0 ? String(Math.pow(2, ws)) : String(ws);
  },
  // The timestamps follow the checksum and urgent pointer: absent when those were cut off.
  'tcp.time_relative': (c) => (c.conv && c.p.tcpAvail >= 20 && !bogus(c) ? between(c, c.conv.setupFrame) : ''),
  'tcp.time_delta': (c) => {
    if (!c.conv || c.p.tcpAvail < 20 || bogus(c)) return '';
    const prev = c.s.frames.prevInConv(c.n);
    return prev ? between(c, prev) : fmtRelNs(0);
  },
  'tcp.analysis.retransmission': present(A.A_RETRANSMISSION | A.A_FAST_RETRANSMISSION | A.A_SPURIOUS_RETRANSMISSION),
  'tcp.analysis.fast_retransmission': present(A.A_FAST_RETRANSMISSION),
  'tcp.analysis.spurious_retransmission': present(A.A_SPURIOUS_RETRANSMISSION),
  'tcp.analysis.out_of_order': present(A.A_OUT_OF_ORDER),
  'tcp.analysis.lost_segment': present(A.A_LOST_SEGMENT),
  'tcp.analysis.ack_lost_segment': present(A.A_ACK_LOST_SEGMENT),
  'tcp.analysis.duplicate_ack': present(A.A_DUPLICATE_ACK),
  'tcp.analysis.duplicate_ack_num': (c) => {
    const d = c.s.frames.dupAck.get(c.n);
    return d && aflags(c) & A.A_DUPLICATE_ACK ? String(d.num) : '';
  },
  'tcp.analysis.duplicate_ack_frame': (c) => {
    const d = c.s.frames.dupAck.get(c.n);
    return d && aflags(c) & A.A_DUPLICATE_ACK ? String(d.frame) : '';
  },
  'tcp.analysis.zero_window': present(A.A_ZERO_WINDOW),
  'tcp.analysis.zero_window_probe': present(A.A_ZERO_WINDOW_PROBE),
  'tcp.analysis.zero_window_probe_ack': present(A.A_ZERO_WINDOW_PROBE_ACK),
  'tcp.analysis.keep_alive': present(A.A_KEEP_ALIVE),
  'tcp.analysis.keep_alive_ack': present(A.A_KEEP_ALIVE_ACK),
  'tcp.analysis.window_update': present(A.A_WINDOW_UPDATE),
  'tcp.analysis.window_full': present(A.A_WINDOW_FULL),
  'tcp.analysis.reused_ports': present(A.A_REUSED_PORTS),
  'tcp.analysis.flags': present(A.A_FLAG_MASK),
  'tcp.analysis': (c) => (rec(c) ? '1' : ''),
  'tcp.analysis.acks_frame': (c) => {
    const f = rec(c) ? c.s.frames.acksFrame[c.n - 1] : 0;
    return f ? String(f) : '';
  },
  'tcp.analysis.ack_rtt': (c) => {
    const f = rec(c) ? c.s.frames.acksFrame[c.n - 1] : 0;
    if (!f) return '';
    const ns = c.s.frames.nsBetween(c.n, f);
    return ns !== 0 ? between(c, f) : '';
  },
  'tcp.analysis.initial_rtt': (c) => {
    const f = c.conv && rec(c) && c.conv.iRtt !== 0 ? c.conv.iRttFrames : undefined;
    return f ? fmtRelParts(...c.s.frames.secNsBetween(f[1], f[0])) : '';
  },
  'tcp.analysis.bytes_in_flight': (c) => {
    const v = rec(c) ? c.s.frames.bif[c.n - 1] : 0;
    return v ? String(v) : '';
  },
  'tcp.analysis.push_bytes_sent': (c) => (rec(c) && c.s.frames.bif[c.n - 1] ? String(c.s.frames.push[c.n - 1]) : ''),
  'tcp.analysis.rto': (c) => {
    const r = rto(c);
    return r ? between(c, c.s.frames.rtoFrame.get(c.n)!) : '';
  },
  'tcp.analysis.rto_frame': (c) => (rto(c) ? String(c.s.frames.rtoFrame.get(c.n)) : ''),
};

/** The time from frame `from` to this frame, as tshark prints a relative time (exact at any span). */
function between(c: FrameCtx, from: number): string {
  const [s, ns] = c.s.frames.secNsBetween(c.n, from);
  return fmtRelParts(s, ns);
}

function rto(c: FrameCtx): number {
  if (!(aflags(c) & A.A_RETRANSMISSION)) return 0;
  const f = c.s.frames.rtoFrame.get(c.n);
  if (!f) return 0;
  return c.s.frames.nsBetween(c.n, f);
}

/** Every occurrence of a field in the frame (tshark -E occurrence=a|l, -T json), for fields that repeat. */
export const FIELDS_ALL: Record<string, (c: FrameCtx) => string[]> = {
  'ip.src': (c) => ipAll(c.p.ip4Count, (i) => ip4Field(c.p, i, 12)),
  'ip.dst': (c) => ipAll(c.p.ip4Count, (i) => ip4Field(c.p, i, 16)),
  'ipv6.src': (c) => ipAll(c.p.ip6Count, (i) => ip6Field(c.p, i, 8)),
  'ipv6.dst': (c) => ipAll(c.p.ip6Count, (i) => ip6Field(c.p, i, 24)),
  // Twice: the analysis flag, and the expert item under [Duplicate to the ACK in frame] carries
  // the same field name (tshark prints "1,1").
  'tcp.analysis.duplicate_ack': (c) => (aflags(c) & A.A_DUPLICATE_ACK ? ['1', '1'] : []),
};

function ipAll(n: number, get: (i: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v !== '') out.push(v);
  }
  return out;
}

export const KNOWN_FIELDS = Object.keys(FIELDS);

/** Build the per-frame context: conversation and flows for the frame's TCP header. */
export function frameCtx(s: CaptureSession, n: number, p: Packet, buf: Uint8Array, off: number): FrameCtx {
  const stream = s.frames.stream[n - 1];
  let conv: Conversation | undefined;
  let F: Flow | undefined;
  let R: Flow | undefined;
  if (stream >= 0 && p.hasTcp) {
    conv = s.analyzer.conversations[stream];
    // The direction the analyzer gave the frame (tflags), not worked out again from the addresses.
    const d = s.frames.tflags[n - 1] & TF_DIR_BA ? 1 : 0;
    F = conv.flow(d);
    R = conv.flow(d ^ 1);
  }
  return { n, p, buf, off, s, conv, F, R };
}

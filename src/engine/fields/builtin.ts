/**
 * The built-in fields: the TCP projection of project.ts (FIELDS / FIELDS_ALL) and the link, IP,
 * UDP, ICMP and frame fields read from the decoder's layer log (Packet.layerNames …), each with
 * tshark's type and description (field-meta.ts). The registry registers them at start-up.
 */
import { forEachTcpOption } from '../decode/tcp-options';
import { pseudoHeaderLen } from '../decode/decoder';
import { TH_SYN, type Packet } from '../decode/packet';
import { A_FLAG_MASK, A_RECORD } from '../tcp/flags';
import * as A from '../tcp/flags';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_ONE_IP, X_TCP_UNTRACKED } from '../tcp/frames';
import type { CaptureSession } from '../session';
import { FIELD_META } from './field-meta';
import { fmtAbsTime, fmtRelParts, hex4, ipv4, ipv6 } from './format';
import { FIELDS, FIELDS_ALL, type FrameCtx } from './project';
import type { ColumnGetter, FieldDef, FieldType } from './registry';
import { appFrame, tcpPayloadWithheld } from '../dissect/app';
import { protocolLines } from './tree-fields';

type All = (c: FrameCtx) => string[];

const one = (v: string): string[] => (v === '' ? [] : [v]);
const hex = (v: number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0');
const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const mac = (b: Uint8Array, o: number): string => {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[o + i].toString(16).padStart(2, '0');
  return s;
};
const hexBytes = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
};

// ---- layers ----

/** Indexes of the frame's layers named `name`, in dissection order. */
function layersNamed(p: Packet, name: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.layerCount; i++) if (p.layerNames[i] === name) out.push(i);
  return out;
}

/**
 * A field at `at` (bytes `size`) of every layer named `proto`: the value when its bytes were
 * captured. `layer(c, n)` gives the n-th layer's alone (field#n).
 */
function layerField(
  proto: string,
  at: number,
  size: number,
  fmt: (b: Uint8Array, o: number) => string,
  when?: (b: Uint8Array, o: number, hdrEnd: number) => boolean,
): Pick<FieldDef, 'all' | 'layer' | 'proto'> {
  const get = (p: Packet, i: number, out: string[]): void => {
    const b = p.layerBufs[i];
    const o = p.layerOffs[i];
    if (o + at + size > p.layerEnds[i]) return;
    if (when && !when(b, o, p.layerHdrEnds[i])) return;
    out.push(fmt(b, o + at));
  };
  return {
    proto,
    all: (c) => {
      const out: string[] = [];
      const p = c.p;
      for (let i = 0; i < p.layerCount; i++) if (p.layerNames[i] === proto) get(p, i, out);
      return out;
    },
    layer: (c, n) => {
      const out: string[] = [];
      const idx = layersNamed(c.p, proto)[n - 1];
      if (idx !== undefined) get(c.p, idx, out);
      return out;
    },
  };
}

/** Two fields of the same layer shown as one (ip.addr = src, dst; eth.addr = dst, src). */
function pairField(proto: string, a: Pick<FieldDef, 'layer'>, b: Pick<FieldDef, 'layer'>): Pick<FieldDef, 'all' | 'layer' | 'proto'> {
  const layer = (c: FrameCtx, n: number): string[] => [...a.layer!(c, n), ...b.layer!(c, n)];
  return {
    proto,
    layer,
    all: (c) => {
      const out: string[] = [];
      const k = layersNamed(c.p, proto).length;
      for (let n = 1; n <= k; n++) out.push(...layer(c, n));
      return out;
    },
  };
}

const dec8 = (b: Uint8Array, o: number): string => String(b[o]);
const dec16 = (b: Uint8Array, o: number): string => String(u16(b, o));
const dec32 = (b: Uint8Array, o: number): string => String(u32(b, o));
const hex16 = (b: Uint8Array, o: number): string => hex4(u16(b, o));

/** A protocol as a field: exists once per layer; its bytes are its header (tail: to the end of its data). */
function protocolField(name: string): Partial<FieldDef> {
  const desc = name === 'eth' ? 'Ethernet II' : name === 'vlan' ? '802.1Q Virtual LAN' : (FIELD_META[name]?.[2] ?? name);
  // ICMP's and ICMPv6's items print their abbreviation, as HTTP's do (tshark 4.0.17, black-box).
  const abbrev = name === 'icmp' || name === 'icmpv6';
  return {
    // tshark -e prints a protocol's tree line ("Transmission Control Protocol, Src Port: …", the
    // quoted IP header inside ICMP too), and nothing for a layer with no line of its own (ethertype).
    all: (c) => {
      const k = layersNamed(c.p, name).length;
      if (!k || abbrev) return Array<string>(k).fill(name);
      return protocolLines(c, desc).slice(0, k);
    },
    bytes: (c) => layersNamed(c.p, name).map((i) => c.p.layerBufs[i].subarray(c.p.layerOffs[i], c.p.layerHdrEnds[i])),
    tail: (c) => layersNamed(c.p, name).map((i) => c.p.layerBufs[i].subarray(c.p.layerOffs[i], c.p.layerEnds[i])),
  };
}

const frameBytes = (c: FrameCtx): Uint8Array => {
  const cap = c.s.frames.capLen[c.n - 1];
  const ph = pseudoHeaderLen(c.s.linkType(c.n));
  return c.buf.subarray(c.off + ph, c.off + cap);
};

// ---- TCP ----

function tcpOptions(c: FrameCtx, visit: (kind: number, o: number, len: number) => void): void {
  const p = c.p;
  if (!p.hasTcp || !p.tcpFull || p.hdrLen <= 20 || p.tcpAvail <= 20) return;
  forEachTcpOption(p, visit, true);
}

function optValues(kind: number, len: number, get: (c: FrameCtx, b: Uint8Array, o: number, len: number) => string[]): All {
  return (c) => {
    const out: string[] = [];
    tcpOptions(c, (k, o, l) => {
      if (k === kind && (len === 0 || l === len)) out.push(...get(c, c.p.tcpBuf, o, l));
    });
    return out;
  };
}

function tcpPayload(c: FrameCtx): Uint8Array | undefined {
  const p = c.p;
  if (!p.hasTcp || !p.tcpFull || p.tcpQuoted || p.segLen <= 0 || p.tcpAvail <= p.hdrLen) return undefined;
  return p.tcpBuf.subarray(p.tcpOff + p.hdrLen, p.tcpOff + Math.min(p.tcpAvail, p.hdrLen + p.segLen));
}

const FLAG_STR = 'RRRNCEUAPRSF';

function flagStr(flags: number): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += flags & (1 << (11 - i)) ? FLAG_STR[i] : '\u00b7';
  return s;
}

const tcpHas = (c: FrameCtx): boolean => c.p.hasTcp && c.p.tcpFull;
const flagBit =
  (bit: number): All =>
  (c) =>
    tcpHas(c) ? [c.p.flags & bit ? '1' : '0'] : [];

// ---- columns (the filter's fast path) ----

/** The analysis flags a frame shows (see project.ts aflags: none when its TCP header was cut). */
function colAflags(s: CaptureSession, n: number): number {
  return s.frames.tflags[n - 1] & TF_TRUNCATED ? 0 : s.frames.aflags[n - 1];
}
const colFlag =
  (bit: number): ColumnGetter =>
  (s, n) =>
    colAflags(s, n) & bit ? 1 : NaN;
const colTcp =
  (get: (s: CaptureSession, n: number) => number): ColumnGetter =>
  (s, n) =>
    s.frames.tflags[n - 1] & TF_TCP ? get(s, n) : NaN;
/** Seconds from frame b to frame a: the exact nanosecond count divided once, so it equals parseFloat of the printed value. */
const relSec = (s: CaptureSession, a: number, b: number): number => {
  // FrameTable.secNsBetween(a, b) without its pair (this runs for every frame of a column filter or graph).
  const t = s.frames;
  const sec = t.secOf(a - 1) - t.secOf(b - 1);
  const ns = ((t.tsNsec[a - 1] | 0) - (t.tsNsec[b - 1] | 0)) | 0;
  return (sec * 1e9 + ns) / 1e9;
};

type Columns = NonNullable<FieldDef['columns']>;
/**
 * The endpoint index: a tracked TCP frame's ports are its conversation's, and so are its IPv4
 * addresses when it has one IP header (X_ONE_IP). No bytes per frame beyond two bits of xflags.
 */
const tcpPorts =
  (which: 'both' | 'src' | 'dst'): Columns =>
  (s, n, out) => {
    const t = s.frames;
    const tf = t.tflags[n - 1];
    if (!(tf & TF_TCP)) return t.xflags[n - 1] & X_TCP_UNTRACKED ? -1 : 0;
    const conv = s.analyzer.conversations[t.stream[n - 1]];
    if (!conv) return -1;
    const ba = (tf & TF_DIR_BA) !== 0;
    const src = ba ? conv.portB : conv.portA;
    const dst = ba ? conv.portA : conv.portB;
    if (which === 'both') {
      out[0] = src;
      out[1] = dst;
      return 2;
    }
    out[0] = which === 'src' ? src : dst;
    return 1;
  };
const ipAddrs =
  (which: 'both' | 'src' | 'dst'): Columns =>
  (s, n, out) => {
    const t = s.frames;
    const tf = t.tflags[n - 1];
    if (!(tf & TF_TCP) || !(t.xflags[n - 1] & X_ONE_IP)) return -1;
    const conv = s.analyzer.conversations[t.stream[n - 1]];
    if (!conv) return -1;
    if (conv.family !== 4) return 0;
    const ba = tf & TF_DIR_BA ? 1 : 0;
    if (which === 'both') {
      out[0] = conv.ipv4(ba);
      out[1] = conv.ipv4(ba ^ 1);
      return 2;
    }
    out[0] = conv.ipv4(which === 'src' ? ba : ba ^ 1);
    return 1;
  };
const MULTI_COLUMNS: Record<string, Columns> = {
  'tcp.port': tcpPorts('both'),
  'tcp.srcport': tcpPorts('src'),
  'tcp.dstport': tcpPorts('dst'),
  'ip.addr': ipAddrs('both'),
  'ip.src': ipAddrs('src'),
  'ip.dst': ipAddrs('dst'),
};

/** tcp.flags.NAME and its bits. */
const TCP_FLAG_BITS = [
  ['res', 0xe00],
  ['ae', 0x100],
  ['cwr', 0x080],
  ['ece', 0x040],
  ['urg', 0x020],
  ['ack', 0x010],
  ['push', 0x008],
  ['reset', 0x004],
  ['syn', 0x002],
  ['fin', 0x001],
] as const;

const COLUMNS: Record<string, ColumnGetter> = {
  'frame.number': (_s, n) => n,
  'frame.len': (s, n) => Math.max(0, s.frames.origLen[n - 1] - pseudoHeaderLen(s.linkType(n))),
  'frame.cap_len': (s, n) => Math.max(0, s.frames.capLen[n - 1] - pseudoHeaderLen(s.linkType(n))),
  'frame.time_relative': (s, n) => relSec(s, n, 1),
  'frame.time_delta': (s, n) => (n > 1 ? relSec(s, n, n - 1) : 0),
  'tcp.stream': (s, n) => {
    const v = s.frames.stream[n - 1];
    return v >= 0 ? v : NaN;
  },
  'tcp.flags': colTcp((s, n) => s.frames.tflags[n - 1] & 0xfff),
  'tcp.window_size_value': colTcp((s, n) => s.frames.win[n - 1]),
  // The window scaled by the sender's shift (not on SYNs or headers quoted in ICMP errors).
  'tcp.window_size': colTcp((s, n) => {
    const t = s.frames;
    const w = t.win[n - 1];
    const tf = t.tflags[n - 1];
    if (tf & (TF_QUOTED | TH_SYN)) return w;
    const ws = s.analyzer.conversations[t.stream[n - 1]].flow(tf & TF_DIR_BA ? 1 : 0).winScale;
    return ws >= 0 ? w * (1 << Math.min(ws, 14)) : w;
  }),
  'tcp.analysis': (s, n) => (colAflags(s, n) & A_RECORD ? 1 : NaN),
  'tcp.analysis.flags': colFlag(A_FLAG_MASK),
  'tcp.analysis.retransmission': colFlag(A.A_RETRANSMISSION | A.A_FAST_RETRANSMISSION | A.A_SPURIOUS_RETRANSMISSION),
  'tcp.analysis.fast_retransmission': colFlag(A.A_FAST_RETRANSMISSION),
  'tcp.analysis.spurious_retransmission': colFlag(A.A_SPURIOUS_RETRANSMISSION),
  'tcp.analysis.out_of_order': colFlag(A.A_OUT_OF_ORDER),
  'tcp.analysis.lost_segment': colFlag(A.A_LOST_SEGMENT),
  'tcp.analysis.ack_lost_segment': colFlag(A.A_ACK_LOST_SEGMENT),
  'tcp.analysis.duplicate_ack': colFlag(A.A_DUPLICATE_ACK),
  'tcp.analysis.zero_window': colFlag(A.A_ZERO_WINDOW),
  'tcp.analysis.zero_window_probe': colFlag(A.A_ZERO_WINDOW_PROBE),
  'tcp.analysis.zero_window_probe_ack': colFlag(A.A_ZERO_WINDOW_PROBE_ACK),
  'tcp.analysis.keep_alive': colFlag(A.A_KEEP_ALIVE),
  'tcp.analysis.keep_alive_ack': colFlag(A.A_KEEP_ALIVE_ACK),
  'tcp.analysis.window_update': colFlag(A.A_WINDOW_UPDATE),
  'tcp.analysis.window_full': colFlag(A.A_WINDOW_FULL),
  'tcp.analysis.reused_ports': colFlag(A.A_REUSED_PORTS),
  'tcp.analysis.acks_frame': (s, n) => (colAflags(s, n) & A_RECORD && s.frames.acksFrame[n - 1] ? s.frames.acksFrame[n - 1] : NaN),
  'tcp.analysis.ack_rtt': (s, n) => {
    const f = colAflags(s, n) & A_RECORD ? s.frames.acksFrame[n - 1] : 0;
    return f && s.frames.nsBetween(n, f) !== 0 ? relSec(s, n, f) : NaN;
  },
  'tcp.analysis.bytes_in_flight': (s, n) => (colAflags(s, n) & A_RECORD && s.frames.bif[n - 1] ? s.frames.bif[n - 1] : NaN),
  'tcp.analysis.push_bytes_sent': (s, n) => (colAflags(s, n) & A_RECORD && s.frames.bif[n - 1] ? s.frames.push[n - 1] : NaN),
  'tcp.analysis.duplicate_ack_num': (s, n) => {
    const d = s.frames.dupAck.get(n);
    return d && colAflags(s, n) & A.A_DUPLICATE_ACK ? d.num : NaN;
  },
  'tcp.analysis.duplicate_ack_frame': (s, n) => {
    const d = s.frames.dupAck.get(n);
    return d && colAflags(s, n) & A.A_DUPLICATE_ACK ? d.frame : NaN;
  },
  'tcp.analysis.rto_frame': (s, n) => {
    const f = colAflags(s, n) & A.A_RETRANSMISSION ? s.frames.rtoFrame.get(n) : undefined;
    return f && s.frames.nsBetween(n, f) ? f : NaN;
  },
  'tcp.analysis.rto': (s, n) => {
    const f = colAflags(s, n) & A.A_RETRANSMISSION ? s.frames.rtoFrame.get(n) : undefined;
    return f && s.frames.nsBetween(n, f) ? relSec(s, n, f) : NaN;
  },
};
for (const [name, bit] of TCP_FLAG_BITS) {
  COLUMNS[`tcp.flags.${name}`] = colTcp((s, n) => (s.frames.tflags[n - 1] & bit ? 1 : 0));
}

// ---- the fields ----

const ip4src = layerField('ip', 12, 4, ipv4);
const ip4dst = layerField('ip', 16, 4, ipv4);
const ip6src = layerField('ipv6', 8, 16, ipv6);
const ip6dst = layerField('ipv6', 24, 16, ipv6);
const ethdst = layerField('eth', 0, 6, mac);
const ethsrc = layerField('eth', 6, 6, mac);
const udpsrc = layerField('udp', 0, 2, dec16);
const udpdst = layerField('udp', 2, 2, dec16);

const EXTRA: Record<string, Partial<FieldDef>> = {
  // frame
  frame: { all: (c) => [protocolLines(c, 'Frame')[0] ?? ''], bytes: (c) => [frameBytes(c)], tail: (c) => [frameBytes(c)] },
  'frame.time': {
    all: (c) => {
      const t = c.s.frames;
      if (t.noTime.has(c.n)) return [];
      return [fmtAbsTime(t.secOf(c.n - 1), t.tsNsec[c.n - 1])];
    },
  },
  'frame.time_relative': { all: (c) => [fmtRelParts(...c.s.frames.secNsBetween(c.n, 1))] },
  'frame.time_delta': { all: (c) => [c.n > 1 ? fmtRelParts(...c.s.frames.secNsBetween(c.n, c.n - 1)) : '0.000000000'] },
  'frame.time_delta_displayed': {
    all: (c) => {
      const prev = c.prevDisplayed ?? c.n - 1;
      return [prev > 0 ? fmtRelParts(...c.s.frames.secNsBetween(c.n, prev)) : '0.000000000'];
    },
  },
  'frame.protocols': { all: (c) => [frameProtocols(c)] },
  'frame.comment': { all: (c) => c.s.frames.comments.get(c.n) ?? [] },
  // Only pcapng records name an interface.
  'frame.interface_id': { all: (c) => (c.s.result?.format?.endsWith('pcapng') ? [String(c.s.frames.ifaceOf(c.n - 1))] : []) },
  // Ethernet, VLAN, ARP
  'eth.dst': ethdst,
  'eth.src': ethsrc,
  'eth.addr': pairField('eth', ethdst, ethsrc),
  'eth.type': layerField('eth', 12, 2, hex16, (b, o) => u16(b, o + 12) > 1500),
  'eth.len': layerField('eth', 12, 2, dec16, (b, o) => u16(b, o + 12) <= 1500),
  'vlan.id': layerField('vlan', 0, 2, (b, o) => String(u16(b, o) & 0xfff)),
  'vlan.priority': layerField('vlan', 0, 1, (b, o) => String(b[o] >> 5)),
  'vlan.etype': layerField('vlan', 2, 2, hex16, (b, o) => u16(b, o + 2) > 1500),
  'vlan.len': layerField('vlan', 2, 2, dec16, (b, o) => u16(b, o + 2) <= 1500),
  'arp.opcode': layerField('arp', 6, 2, dec16),
  'arp.src.hw_mac': layerField('arp', 8, 6, mac),
  'arp.src.proto_ipv4': layerField('arp', 14, 4, ipv4),
  'arp.dst.hw_mac': layerField('arp', 18, 6, mac),
  'arp.dst.proto_ipv4': layerField('arp', 24, 4, ipv4),
  // IPv4
  'ip.version': layerField('ip', 0, 1, (b, o) => String(b[o] >> 4)),
  'ip.hdr_len': layerField('ip', 0, 1, (b, o) => String((b[o] & 15) * 4)),
  'ip.dsfield': layerField('ip', 1, 1, (b, o) => hex(b[o], 2)),
  'ip.len': layerField('ip', 2, 2, dec16),
  'ip.id': layerField('ip', 4, 2, hex16),
  'ip.flags': layerField('ip', 6, 1, (b, o) => hex(b[o] >> 5, 2)),
  'ip.flags.rb': layerField('ip', 6, 1, (b, o) => String(b[o] >> 7)),
  'ip.flags.df': layerField('ip', 6, 1, (b, o) => String((b[o] >> 6) & 1)),
  'ip.flags.mf': layerField('ip', 6, 1, (b, o) => String((b[o] >> 5) & 1)),
  'ip.frag_offset': layerField('ip', 6, 2, (b, o) => String((u16(b, o) & 0x1fff) * 8)),
  'ip.ttl': layerField('ip', 8, 1, dec8),
  'ip.proto': layerField('ip', 9, 1, dec8),
  'ip.checksum': layerField('ip', 10, 2, hex16),
  'ip.src': ip4src,
  'ip.dst': ip4dst,
  'ip.addr': pairField('ip', ip4src, ip4dst),
  // IPv6
  'ipv6.version': layerField('ipv6', 0, 1, (b, o) => String(b[o] >> 4)),
  'ipv6.tclass': layerField('ipv6', 0, 2, (b, o) => hex((u16(b, o) >> 4) & 0xff, 8)),
  'ipv6.flow': layerField('ipv6', 1, 3, (b, o) => hex(((b[o] & 15) << 16) | (b[o + 1] << 8) | b[o + 2], 5)),
  'ipv6.plen': layerField('ipv6', 4, 2, dec16),
  'ipv6.nxt': layerField('ipv6', 6, 1, dec8),
  'ipv6.hlim': layerField('ipv6', 7, 1, dec8),
  'ipv6.src': ip6src,
  'ipv6.dst': ip6dst,
  'ipv6.addr': pairField('ipv6', ip6src, ip6dst),
  'ipv6.fraghdr.nxt': layerField('ipv6.fraghdr', 0, 1, dec8),
  'ipv6.fraghdr.offset': layerField('ipv6.fraghdr', 2, 2, (b, o) => String(u16(b, o) >> 3)),
  'ipv6.fraghdr.more': layerField('ipv6.fraghdr', 3, 1, (b, o) => String(b[o] & 1)),
  'ipv6.fraghdr.ident': layerField('ipv6.fraghdr', 4, 4, (b, o) => hex(u32(b, o), 8)),
  // ICMP
  'icmp.type': layerField('icmp', 0, 1, dec8),
  'icmp.code': layerField('icmp', 1, 1, dec8),
  'icmp.checksum': layerField('icmp', 2, 2, hex16),
  'icmpv6.type': layerField('icmpv6', 0, 1, dec8),
  'icmpv6.code': layerField('icmpv6', 1, 1, dec8),
  'icmpv6.checksum': layerField('icmpv6', 2, 2, hex16),
  // UDP
  'udp.srcport': udpsrc,
  'udp.dstport': udpdst,
  'udp.port': pairField('udp', udpsrc, udpdst),
  'udp.length': layerField('udp', 4, 2, dec16),
  'udp.checksum': layerField('udp', 6, 2, hex16),
  'udp.payload': {
    all: (c) => (udpPayload(c) ? [hexBytes(udpPayload(c)!)] : []),
    bytes: (c) => (udpPayload(c) ? [udpPayload(c)!] : []),
  },
  // TCP
  'tcp.port': { all: (c) => (c.p.hasTcp ? [String(c.p.srcPort), String(c.p.dstPort)] : []) },
  'tcp.flags.str': { all: (c) => (tcpHas(c) ? [flagStr(c.p.flags)] : []) },
  'tcp.checksum': { all: (c) => (c.p.hasTcp && c.p.tcpAvail >= 18 && c.p.tcpFull ? [hex16(c.p.tcpBuf, c.p.tcpOff + 16)] : []) },
  'tcp.urgent_pointer': { all: (c) => (c.p.hasTcp && c.p.tcpAvail >= 20 && c.p.tcpFull ? [String(c.p.urgent)] : []) },
  'tcp.completeness': { all: (c) => (c.conv && !c.p.tcpQuoted ? [String(c.conv.completenessAt(c.n))] : []) },
  'tcp.payload': {
    all: (c) => {
      const b = tcpPayload(c);
      return b ? [hexBytes(b)] : [];
    },
    bytes: (c) => {
      const b = tcpPayload(c);
      return b ? [b] : [];
    },
  },
  'tcp.options': {
    all: (c) => tcpOptionBytes(c).map(hexBytes),
    bytes: tcpOptionBytes,
  },
  'tcp.options.mss_val': { all: optValues(2, 4, (_c, b, o) => [dec16(b, o + 2)]) },
  'tcp.options.wscale.shift': { all: optValues(3, 3, (_c, b, o) => [dec8(b, o + 2)]) },
  'tcp.options.wscale.multiplier': { all: optValues(3, 3, (_c, b, o) => [String(Math.pow(2, Math.min(b[o + 2], 14)))]) },
  'tcp.options.sack_perm': { all: optValues(4, 0, (_c, b, o, l) => [hexBytes(b.subarray(o, o + l))]) },
  'tcp.options.nop': { all: optValues(1, 0, () => ['01']) },
  'tcp.options.eol': { all: optValues(0, 0, () => ['00']) },
  'tcp.options.timestamp.tsval': { all: optValues(8, 10, (_c, b, o) => [dec32(b, o + 2)]) },
  'tcp.options.timestamp.tsecr': { all: optValues(8, 10, (_c, b, o) => [dec32(b, o + 6)]) },
  'tcp.options.sack_le': { all: optValues(5, 0, (c, b, o, l) => sackEdges(c, b, o, l, 0)) },
  'tcp.options.sack_re': { all: optValues(5, 0, (c, b, o, l) => sackEdges(c, b, o, l, 4)) },
  'tcp.options.sack.count': { all: optValues(5, 0, (_c, _b, _o, l) => [String(Math.floor((l - 2) / 8))]) },
};
for (const [name, bit] of TCP_FLAG_BITS) {
  EXTRA[`tcp.flags.${name}`] = { all: flagBit(bit) };
}
// tcp.option_kind / option_len: every option's kind and length.
EXTRA['tcp.option_kind'] = {
  all: (c) => {
    const out: string[] = [];
    tcpOptions(c, (k) => out.push(String(k)));
    return out;
  },
};
EXTRA['tcp.option_len'] = {
  all: (c) => {
    const out: string[] = [];
    tcpOptions(c, (k, _o, l) => {
      if (k > 1) out.push(String(l));
    });
    return out;
  },
};

function sackEdges(c: FrameCtx, b: Uint8Array, o: number, l: number, at: number): string[] {
  const base = c.R && !c.p.tcpQuoted ? c.R.baseAt(c.n) : 0;
  const out: string[] = [];
  for (let q = o + 2; q + 8 <= o + l; q += 8) out.push(String((u32(b, q + at) - base) >>> 0));
  return out;
}

function tcpOptionBytes(c: FrameCtx): Uint8Array[] {
  const p = c.p;
  if (!tcpHas(c) || p.hdrLen <= 20 || p.tcpAvail <= 20) return [];
  return [p.tcpBuf.subarray(p.tcpOff + 20, p.tcpOff + Math.min(p.hdrLen, p.tcpAvail))];
}

function udpPayload(c: FrameCtx): Uint8Array | undefined {
  const i = layersNamed(c.p, 'udp')[0];
  if (i === undefined) return undefined;
  const p = c.p;
  const b = p.layerBufs[i];
  const o = p.layerOffs[i];
  const len = u16(b, o + 4);
  const end = Math.min(p.layerEnds[i], o + len);
  return end > o + 8 ? b.subarray(o + 8, end) : undefined;
}

const LINK_PREFIX: Record<number, string> = { 0: 'null', 108: 'null', 101: 'raw', 12: 'raw', 14: 'raw', 113: 'sll', 276: 'sll' };

/** frame.protocols: the layers, colon-separated ("eth:ethertype:ip:tcp"), then "data" for undecoded payload. */
function frameProtocols(c: FrameCtx): string {
  const p = c.p;
  const names: string[] = [];
  const pre = LINK_PREFIX[c.s.linkType(c.n)];
  if (pre) names.push(pre);
  for (let i = 0; i < p.layerCount; i++) names.push(p.layerNames[i]);
  const last = p.layerCount - 1;
  if (last >= 0) {
    const name = p.layerNames[last];
    if (name === 'tcp') {
      // tshark hands some payloads to no dissector at all (retransmitted, out-of-order, …).
      if (tcpPayload(c) && !tcpPayloadWithheld(c)) {
        // An application protocol's name for its PDUs; nothing for a segment of a PDU completed later.
        const app = appFrame(c);
        if (!app) names.push('data');
        else if (app.pdus.length || app.truncated) names.push(app.by.name);
      }
    } else if (name === 'udp') {
      if (udpPayload(c)) names.push('data');
    } else if (name === 'icmp' || name === 'icmpv6') {
      // An echo request or reply hands its payload to the data dissector.
      const t = p.layerBufs[last][p.layerOffs[last]];
      const echo = name === 'icmp' ? t === 0 || t === 8 : t === 128 || t === 129;
      if (echo && p.layerEnds[last] - p.layerOffs[last] > 8) names.push('data');
    } else if ((name === 'ip' || name === 'ipv6' || name.startsWith('ipv6.')) && p.layerEnds[last] > p.layerHdrEnds[last])
      names.push('data');
  }
  return names.join(':');
}

/** Protocols known to the decoder (layer names) plus those tshark shows for link types. */
const PROTOCOLS = [
  'eth',
  'ethertype',
  'vlan',
  'ieee8021ad',
  'arp',
  'ip',
  'ipv6',
  'ipv6.hopopts',
  'ipv6.dstopts',
  'ipv6.routing',
  'ipv6.fraghdr',
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
];

function build(): FieldDef[] {
  const out: FieldDef[] = [];
  const names = new Set([...Object.keys(FIELDS), ...Object.keys(EXTRA), ...PROTOCOLS, 'frame']);
  for (const name of names) {
    const meta = FIELD_META[name] ?? (['none', 0, name] as [FieldType, number, string]);
    const extra: Partial<FieldDef> = EXTRA[name] ?? (PROTOCOLS.includes(name) ? protocolField(name) : {});
    const get = FIELDS[name];
    const many = FIELDS_ALL[name];
    // The projection's getters (checked against tshark by compare.mjs) win over the layer log's.
    const all: All | undefined = many ?? (get ? (c) => one(get(c)) : extra.all);
    if (!all) throw new Error(`field ${name}: no getter`);
    const def: FieldDef = { name, type: meta[0], desc: meta[2], ...extra, all };
    if (meta[1]) def.bits = meta[1];
    if (COLUMNS[name]) def.column = COLUMNS[name];
    if (MULTI_COLUMNS[name]) def.columns = MULTI_COLUMNS[name];
    out.push(def);
  }
  return out;
}

let built: FieldDef[] | undefined;
/** The built-in fields (built on first use: modules of an import cycle through the registry may not be evaluated yet at load). */
export function builtinFields(): FieldDef[] {
  return (built ??= build());
}

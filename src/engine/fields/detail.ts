/**
 * The packet-detail tree of one frame, laid out like Wireshark's (spec §5.3, §6.4):
 *
 *   Frame N ─ Encapsulation, times, lengths, comments
 *   link layer (Ethernet II / 802.1Q / Linux cooked / Null) ─ addresses, type
 *   Internet Protocol Version 4|6 ─ header fields, addresses
 *   Transmission Control Protocol ─ ports, [Stream index], [Conversation completeness],
 *       [TCP Segment Len], Sequence/Next/Acknowledgment numbers (relative + raw), Header Length,
 *       Flags (bits; SYN/FIN/RST expert items hang under them), Window, [Calculated window size],
 *       [Window size scaling factor], Checksum, Urgent Pointer, Options, [Timestamps],
 *       [SEQ/ACK analysis] (acks_frame, RTT, iRTT, BiF, [TCP Analysis Flags], dup-ACK numbers)
 *
 * Every value that tshark prints as a field comes from the FIELDS getters (fields/project.ts),
 * so the tree can never disagree with the CLI. Nodes carry `start`/`length` (offsets in the
 * frame's captured bytes) for the hex pane, `field` for the display-filter name, and `link`
 * for frame references.
 */
import { LINKTYPE, LINKTYPE_NAMES } from '../decode/decoder';
import { Packet, TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import type { CaptureSession } from '../session';
import * as A from '../tcp/flags';
import type { DetailNode, FrameDetail, Severity } from '../model/types';
import { frameExperts, type ExpertItem } from './expert';
import { fmtEpoch, fmtRelNs, hex4 } from './format';
import { aflags, FIELDS, type FrameCtx } from './project';
import { getField } from './registry';
import { decodeAgain } from './decode-again';
import { flagList } from './summary';

/** The detail of frame `n`, or undefined when it has not been read (yet). */
export async function readDetail(s: CaptureSession, n: number): Promise<FrameDetail | undefined> {
  if (!(n >= 1 && n <= s.frames.count)) return undefined;
  const { bytes, offsets } = await s.readFrames(n, n);
  const off = offsets[0] ?? 0;
  const cap = s.frames.capLen[n - 1];
  const frameBytes = bytes.slice(off, off + cap);
  const c = decodeAgain(s, new Packet(), n, frameBytes, 0);
  const tree = detailTree(c);
  addValues(tree, c);
  return { number: n, tree, bytes: frameBytes };
}

/**
 * Each field node gets its value (the k-th node of a field gets the k-th occurrence, as
 * tshark -E occurrence=a lists them), so the UI can build "Apply as Filter" expressions.
 */
function addValues(tree: DetailNode[], c: FrameCtx): void {
  const seen = new Map<string, number>();
  const walk = (nodes: DetailNode[]) => {
    for (const node of nodes) {
      if (node.field) {
        const k = seen.get(node.field) ?? 0;
        seen.set(node.field, k + 1);
        const v = getField(node.field)?.all(c)[k];
        if (v !== undefined) node.value = v;
      }
      if (node.children) walk(node.children);
    }
  };
  walk(tree);
}

const f = (c: FrameCtx, name: string): string => FIELDS[name](c);

/** Completeness label (spec §5.2). */
export function completenessLabel(v: number): string {
  if (v === 1) return 'Incomplete, SYN_SENT (1)';
  if (v === 3) return 'Incomplete, CLIENT_ESTABLISHED (3)';
  if (v === 7) return 'Incomplete, ESTABLISHED (7)';
  if (v === 15) return 'Incomplete, DATA (15)';
  if (v === 31 || v === 47 || v === 63) return `Complete, WITH_DATA (${v})`;
  if (v === 23 || v === 39 || v === 55) return `Complete, NO_DATA (${v})`;
  return `Incomplete (${v})`;
}

const SEV_NAME: Record<Severity, string> = { chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };

function expertNode(e: ExpertItem): DetailNode {
  return {
    label: `[Expert Info (${SEV_NAME[e.severity]}/${e.group}): ${e.summary}]`,
    severity: e.severity,
    children: [{ label: `[${e.summary}]` }, { label: `[Severity level: ${SEV_NAME[e.severity]}]` }, { label: `[Group: ${e.group}]` }],
  };
}

export function detailTree(c: FrameCtx): DetailNode[] {
  const out: DetailNode[] = [frameNode(c)];
  const firstNet = [c.p.ip4Off, c.p.ip6Off, c.p.tcpFrameOff].filter((o) => o >= 0).map((o) => o - c.off);
  const netStart = firstNet.length ? Math.min(...firstNet) : -1;
  out.push(...linkNodes(c, netStart));
  const ips: [number, DetailNode][] = [];
  if (c.p.ip4Off >= 0) ips.push([c.p.ip4Off, ipv4Node(c, c.p.ip4Off - c.off)]);
  if (c.p.ip6Off >= 0) ips.push([c.p.ip6Off, ipv6Node(c, c.p.ip6Off - c.off)]);
  ips.sort((a, b) => a[0] - b[0]);
  out.push(...ips.map((x) => x[1]));
  if (c.p.proto === 'ICMP' || c.p.proto === 'ICMPv6' || c.p.tcpQuoted) {
    out.push({ label: c.p.note || c.p.proto });
  } else if (c.p.note && !c.p.hasTcp) out.push({ label: c.p.note });
  if (c.p.hasTcp) out.push(tcpNode(c));
  return out;
}

function frameNode(c: FrameCtx): DetailNode {
  const t = c.s.frames;
  const i = c.n - 1;
  const wire = t.origLen[i];
  const cap = t.capLen[i];
  const lt = c.s.linkType(c.n);
  const kids: DetailNode[] = [
    { label: `Encapsulation type: ${LINKTYPE_NAMES[lt] ?? 'Unknown'} (${lt})` },
    { label: `Arrival Time: ${arrival(t.secOf(i), t.tsNsec[i])}` },
    { label: `Epoch Time: ${f(c, 'frame.time_epoch')} seconds`, field: 'frame.time_epoch' },
    { label: `[Time delta from previous captured frame: ${fmtRelNs(c.n > 1 ? t.nsBetween(c.n, c.n - 1) : 0)} seconds]`, field: 'frame.time_delta' },
    { label: `[Time since reference or first frame: ${fmtRelNs(t.nsBetween(c.n, 1))} seconds]`, field: 'frame.time_relative' },
    { label: `Frame Number: ${f(c, 'frame.number')}`, field: 'frame.number' },
    { label: `Frame Length: ${f(c, 'frame.len')} bytes (${wire * 8} bits)`, field: 'frame.len' },
    { label: `Capture Length: ${f(c, 'frame.cap_len')} bytes (${cap * 8} bits)`, field: 'frame.cap_len' },
  ];
  for (const text of t.comments.get(c.n) ?? []) kids.unshift({ label: `Packet comment: ${text}`, field: 'frame.comment' });
  return { label: `Frame ${c.n}: ${wire} bytes on wire (${wire * 8} bits), ${cap} bytes captured (${cap * 8} bits)`, start: 0, length: cap, children: kids };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function arrival(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return fmtEpoch(sec, nsec);
  const p2 = (x: number) => String(x).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())}, ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(nsec).padStart(9, '0')} UTC`;
}

function mac(b: Uint8Array, o: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[o + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

const ETHERTYPES: Record<number, string> = { 0x0800: 'IPv4', 0x86dd: 'IPv6', 0x0806: 'ARP', 0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)', 0x9100: 'VLAN tag' };
const etherType = (v: number) => `Type: ${ETHERTYPES[v] ?? 'Unknown'} (${hex4(v)})`;
const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Link-layer headers from the frame start up to the first network header (`netStart`, -1 unknown). */
function linkNodes(c: FrameCtx, netStart: number): DetailNode[] {
  const b = c.buf;
  const o = c.off;
  const cap = c.s.frames.capLen[c.n - 1];
  const lt = c.s.linkType(c.n);
  const out: DetailNode[] = [];
  if (lt === LINKTYPE.ETHERNET && cap >= 14) {
    const dst = mac(b, o);
    const src = mac(b, o + 6);
    let type = u16(b, o + 12);
    out.push({
      label: `Ethernet II, Src: ${src}, Dst: ${dst}`,
      start: 0,
      length: 14,
      children: [
        { label: `Destination: ${dst}`, field: 'eth.dst', start: 0, length: 6 },
        { label: `Source: ${src}`, field: 'eth.src', start: 6, length: 6 },
        { label: etherType(type), field: 'eth.type', start: 12, length: 2 },
      ],
    });
    let q = 14;
    while ((type === 0x8100 || type === 0x88a8 || type === 0x9100) && q + 4 <= cap) {
      const tci = u16(b, o + q);
      type = u16(b, o + q + 2);
      out.push({
        label: `802.1Q Virtual LAN, PRI: ${tci >> 13}, DEI: ${(tci >> 12) & 1}, ID: ${tci & 0xfff}`,
        start: q,
        length: 4,
        children: [
          { label: `Priority: ${tci >> 13}`, field: 'vlan.priority', start: q, length: 2 },
          { label: `ID: ${tci & 0xfff}`, field: 'vlan.id', start: q, length: 2 },
          { label: etherType(type), field: 'vlan.etype', start: q + 2, length: 2 },
        ],
      });
      q += 4;
    }
  } else if (lt === LINKTYPE.LINUX_SLL && cap >= 16) {
    const alen = Math.min(8, u16(b, o + 4));
    out.push({
      label: 'Linux cooked capture v1',
      start: 0,
      length: 16,
      children: [
        { label: `Packet type: ${u16(b, o)}`, field: 'sll.pkttype', start: 0, length: 2 },
        { label: `Link-layer address type: ${u16(b, o + 2)}`, field: 'sll.hatype', start: 2, length: 2 },
        { label: `Link-layer address length: ${u16(b, o + 4)}`, field: 'sll.halen', start: 4, length: 2 },
        ...(alen === 6 ? [{ label: `Source: ${mac(b, o + 6)}`, field: 'sll.src.eth', start: 6, length: 6 }] : []),
        { label: `Protocol: ${ETHERTYPES[u16(b, o + 14)] ?? 'Unknown'} (${hex4(u16(b, o + 14))})`, field: 'sll.etype', start: 14, length: 2 },
      ],
    });
  } else if (lt === LINKTYPE.LINUX_SLL2 && cap >= 20) {
    out.push({
      label: 'Linux cooked capture v2',
      start: 0,
      length: 20,
      children: [
        { label: `Protocol: ${ETHERTYPES[u16(b, o)] ?? 'Unknown'} (${hex4(u16(b, o))})`, field: 'sll.etype', start: 0, length: 2 },
        { label: `Interface index: ${u32(b, o + 4)}`, field: 'sll.ifindex', start: 4, length: 4 },
        { label: `Packet type: ${b[o + 10]}`, field: 'sll.pkttype', start: 10, length: 1 },
        ...(b[o + 11] === 6 ? [{ label: `Source: ${mac(b, o + 12)}`, field: 'sll.src.eth', start: 12, length: 6 }] : []),
      ],
    });
  } else if ((lt === LINKTYPE.NULL || lt === LINKTYPE.LOOP) && cap >= 4) {
    out.push({ label: 'Null/Loopback', start: 0, length: 4 });
  } else if (netStart > 0) {
    out.push({ label: LINKTYPE_NAMES[lt] ?? `Link type ${lt}`, start: 0, length: netStart });
  }
  return out;
}

function ipv4Node(c: FrameCtx, o: number): DetailNode {
  const b = c.buf;
  const a = o + c.off;
  const ihl = (b[a] & 0x0f) * 4;
  const frag = u16(b, a + 6);
  const proto = b[a + 9];
  const src = f(c, 'ip.src');
  const dst = f(c, 'ip.dst');
  const flagNames = [frag & 0x4000 ? "Don't fragment" : '', frag & 0x2000 ? 'More fragments' : ''].filter(Boolean).join(', ');
  return {
    label: `Internet Protocol Version 4, Src: ${src}, Dst: ${dst}`,
    start: o,
    length: ihl,
    children: [
      { label: `Version: 4`, field: 'ip.version', start: o, length: 1 },
      { label: `Header Length: ${ihl} bytes (${ihl / 4})`, field: 'ip.hdr_len', start: o, length: 1 },
      { label: `Differentiated Services Field: 0x${b[a + 1].toString(16).padStart(2, '0')}`, field: 'ip.dsfield', start: o + 1, length: 1 },
      { label: `Total Length: ${u16(b, a + 2)}`, field: 'ip.len', start: o + 2, length: 2 },
      { label: `Identification: ${hex4(u16(b, a + 4))} (${u16(b, a + 4)})`, field: 'ip.id', start: o + 4, length: 2 },
      { label: `Flags: 0x${(frag >> 13).toString(16)}${flagNames ? ', ' + flagNames : ''}`, field: 'ip.flags', start: o + 6, length: 1 },
      { label: `Fragment Offset: ${(frag & 0x1fff) * 8}`, field: 'ip.frag_offset', start: o + 6, length: 2 },
      { label: `Time to Live: ${b[a + 8]}`, field: 'ip.ttl', start: o + 8, length: 1 },
      { label: `Protocol: ${IP_PROTOS[proto] ?? 'Unknown'} (${proto})`, field: 'ip.proto', start: o + 9, length: 1 },
      { label: `Header Checksum: ${hex4(u16(b, a + 10))} [validation disabled]`, field: 'ip.checksum', start: o + 10, length: 2 },
      { label: `Source Address: ${src}`, field: 'ip.src', start: o + 12, length: 4 },
      { label: `Destination Address: ${dst}`, field: 'ip.dst', start: o + 16, length: 4 },
    ],
  };
}

const IP_PROTOS: Record<number, string> = { 1: 'ICMP', 4: 'IPIP', 6: 'TCP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 58: 'ICMPv6' };

function ipv6Node(c: FrameCtx, o: number): DetailNode {
  const b = c.buf;
  const a = o + c.off;
  const src = f(c, 'ipv6.src');
  const dst = f(c, 'ipv6.dst');
  const next = b[a + 6];
  return {
    label: `Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`,
    start: o,
    length: 40,
    children: [
      { label: 'Version: 6', field: 'ipv6.version', start: o, length: 1 },
      { label: `Traffic Class: 0x${(((b[a] & 0x0f) << 4) | (b[a + 1] >> 4)).toString(16).padStart(2, '0')}`, field: 'ipv6.tclass', start: o, length: 2 },
      { label: `Flow Label: 0x${(((b[a + 1] & 0x0f) << 16) | u16(b, a + 2)).toString(16)}`, field: 'ipv6.flow', start: o + 1, length: 3 },
      { label: `Payload Length: ${u16(b, a + 4)}`, field: 'ipv6.plen', start: o + 4, length: 2 },
      { label: `Next Header: ${IP_PROTOS[next] ?? 'Unknown'} (${next})`, field: 'ipv6.nxt', start: o + 6, length: 1 },
      { label: `Hop Limit: ${b[a + 7]}`, field: 'ipv6.hlim', start: o + 7, length: 1 },
      { label: `Source Address: ${src}`, field: 'ipv6.src', start: o + 8, length: 16 },
      { label: `Destination Address: ${dst}`, field: 'ipv6.dst', start: o + 24, length: 16 },
    ],
  };
}

const FLAG_BITS: [number, string][] = [
  [0x100, 'Accurate ECN'],
  [0x080, 'Congestion Window Reduced'],
  [0x040, 'ECN-Echo'],
  [0x020, 'Urgent'],
  [0x010, 'Acknowledgment'],
  [0x008, 'Push'],
  [0x004, 'Reset'],
  [0x002, 'Syn'],
  [0x001, 'Fin'],
];

/** "·······A····" as Wireshark's [TCP Flags] string. */
function flagString(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) {
    const bit = 1 << (11 - i);
    s += flags & bit ? letters[i] : '·';
  }
  return s;
}

/** "...0 .... ...." — the bits of `mask` as Wireshark draws them in a 12-bit field. */
function bitPattern(flags: number, mask: number): string {
  let s = '';
  for (let i = 11; i >= 0; i--) {
    const m = 1 << i;
    s += m & mask ? (flags & m ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

function tcpNode(c: FrameCtx): DetailNode {
  const p = c.p;
  // Offsets in the frame when the header is in it; reassembled headers have no byte range.
  const inFrame = p.tcpFrameOff >= 0;
  const base = inFrame ? p.tcpFrameOff - c.off : 0;
  const at = (start: number, length: number): { start?: number; length?: number } => (inFrame && start + length <= p.tcpAvail ? { start: base + start, length } : {});
  const kids: DetailNode[] = [];
  const experts = frameExperts(c);
  const srcPort = f(c, 'tcp.srcport');
  const dstPort = f(c, 'tcp.dstport');
  kids.push({ label: `Source Port: ${srcPort}`, field: 'tcp.srcport', ...at(0, 2) });
  kids.push({ label: `Destination Port: ${dstPort}`, field: 'tcp.dstport', ...at(2, 2) });
  const stream = f(c, 'tcp.stream');
  if (stream !== '') kids.push({ label: `[Stream index: ${stream}]`, field: 'tcp.stream' });
  if (c.conv && !p.tcpQuoted) kids.push({ label: `[Conversation completeness: ${completenessLabel(c.conv.completeness)}]`, field: 'tcp.completeness' });
  const len = f(c, 'tcp.len');
  if (len !== '') kids.push({ label: `[TCP Segment Len: ${len}]`, field: 'tcp.len' });
  const relative = c.conv !== undefined && !p.tcpQuoted;
  const seq = f(c, 'tcp.seq');
  if (seq !== '') {
    kids.push({ label: `Sequence Number: ${seq}${relative ? '    (relative sequence number)' : ''}`, field: 'tcp.seq', ...at(4, 4) });
    kids.push({ label: `Sequence Number (raw): ${f(c, 'tcp.seq_raw')}`, field: 'tcp.seq_raw', ...at(4, 4) });
  }
  const nxt = f(c, 'tcp.nxtseq');
  if (nxt !== '') kids.push({ label: `[Next Sequence Number: ${nxt}    (relative sequence number)]`, field: 'tcp.nxtseq' });
  const ack = f(c, 'tcp.ack');
  if (ack !== '') {
    kids.push({ label: `Acknowledgment Number: ${ack}${relative && p.flags & TH_ACK ? '    (relative ack number)' : ''}`, field: 'tcp.ack', ...at(8, 4) });
    kids.push({ label: `Acknowledgment number (raw): ${f(c, 'tcp.ack_raw')}`, field: 'tcp.ack_raw', ...at(8, 4) });
  }
  let summaryLen = '';
  if (p.tcpFull) {
    const hdr = f(c, 'tcp.hdr_len');
    kids.push({ label: `Header Length: ${hdr} bytes (${p.hdrLen / 4})`, field: 'tcp.hdr_len', ...at(12, 1) });
    kids.push(flagsNode(c, experts, at(12, 2)));
    kids.push({ label: `Window: ${f(c, 'tcp.window_size_value')}`, field: 'tcp.window_size_value', ...at(14, 2) });
    const calc = f(c, 'tcp.window_size');
    if (calc !== '') kids.push({ label: `[Calculated window size: ${calc}]`, field: 'tcp.window_size' });
    const sf = f(c, 'tcp.window_size_scalefactor');
    if (sf !== '') {
      const text = sf === '-1' ? '-1 (unknown)' : sf === '-2' ? '-2 (no window scaling used)' : sf;
      kids.push({ label: `[Window size scaling factor: ${text}]`, field: 'tcp.window_size_scalefactor' });
    }
    kids.push({ label: `Checksum: ${hex4(u16(p.tcpBuf, p.tcpOff + 16))} [unverified]`, field: 'tcp.checksum', ...at(16, 2) });
    kids.push({ label: `Urgent Pointer: ${p.urgent}`, field: 'tcp.urgent_pointer', ...at(18, 2) });
    const opts = optionsNode(c, at);
    if (opts) kids.push(opts);
    const optExperts = experts.filter((e) => e.group === 'Protocol' && e.bit === undefined);
    for (const e of optExperts) kids.push(expertNode(e));
    if (c.conv && !p.tcpQuoted) {
      kids.push({
        label: '[Timestamps]',
        children: [
          { label: `[Time since first frame in this TCP stream: ${f(c, 'tcp.time_relative')} seconds]`, field: 'tcp.time_relative' },
          { label: `[Time since previous frame in this TCP stream: ${f(c, 'tcp.time_delta')} seconds]`, field: 'tcp.time_delta' },
        ],
      });
    }
    const analysis = analysisNode(c, experts);
    if (analysis) kids.push(analysis);
    if (p.segLen > 0 && !p.tcpQuoted) {
      kids.push({ label: `TCP payload (${p.segLen} bytes)`, field: 'tcp.payload', ...(inFrame ? clip(c, base + p.hdrLen, p.segLen) : {}) });
    }
    summaryLen = len !== '' ? `, Len: ${len}` : '';
  }
  const ackPart = p.flags & TH_ACK && ack !== '' ? `, Ack: ${ack}` : '';
  const seqPart = seq !== '' ? `, Seq: ${seq}` : '';
  return {
    label: `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}${seqPart}${ackPart}${summaryLen}`,
    ...(inFrame ? clip(c, base, Math.min(p.tcpAvail, p.tcpFull ? p.hdrLen : p.tcpAvail)) : {}),
    children: kids,
  };
}

/** A byte range clipped to the captured bytes (payloads are often cut by the snapshot length). */
function clip(c: FrameCtx, start: number, length: number): { start?: number; length?: number } {
  const cap = c.s.frames.capLen[c.n - 1];
  const l = Math.min(length, cap - start);
  return l > 0 ? { start, length: l } : {};
}

function flagsNode(c: FrameCtx, experts: ExpertItem[], range: { start?: number; length?: number }): DetailNode {
  const fl = c.p.flags;
  const kids: DetailNode[] = [{ label: `${bitPattern(fl, 0xe00)} = Reserved: ${fl & 0xe00 ? 'Set' : 'Not set'}`, ...range }];
  for (const [bit, name] of FLAG_BITS) {
    const node: DetailNode = { label: `${bitPattern(fl, bit)} = ${name}: ${fl & bit ? 'Set' : 'Not set'}`, ...range };
    // Wireshark hangs the connection experts under the SYN / FIN / RST bits.
    const under = experts.filter((e) => e.bit === undefined && e.group === 'Sequence' && expertBit(e) === bit);
    if (under.length) node.children = under.map(expertNode);
    kids.push(node);
  }
  kids.push({ label: `[TCP Flags: ${flagString(fl)}]`, field: 'tcp.flags.str' });
  return { label: `Flags: ${'0x' + fl.toString(16).padStart(3, '0')} (${flagList(fl)})`, field: 'tcp.flags', ...range, children: kids };
}

/** Which flag bit a non-analysis Sequence expert belongs under. */
function expertBit(e: ExpertItem): number {
  if (e.summary.startsWith('Connection establish')) return TH_SYN;
  if (e.summary.startsWith('TCP SYN-ACK')) return TH_ACK;
  if (e.summary.startsWith('Connection reset')) return TH_RST;
  if (e.summary.startsWith('Connection finish') || e.summary.startsWith('This frame initiates') || e.summary.startsWith('This frame undergoes')) return TH_FIN;
  if (e.summary.startsWith('TCP SYN with TFO')) return TH_SYN;
  return 0;
}

const OPT_NAMES: Record<number, string> = { 0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted', 5: 'SACK', 8: 'Timestamps', 34: 'TCP Fast Open' };

function optionsNode(c: FrameCtx, at: (s: number, l: number) => { start?: number; length?: number }): DetailNode | undefined {
  const p = c.p;
  if (p.hdrLen <= 20 || p.tcpAvail <= 20) return undefined;
  const b = p.tcpBuf;
  const end = p.tcpOff + Math.min(p.hdrLen, p.tcpAvail);
  let o = p.tcpOff + 20;
  const kids: DetailNode[] = [];
  const peerBase = c.R ? c.R.baseAt(c.n) : 0;
  while (o < end) {
    const k = b[o];
    const rel = o - p.tcpOff;
    if (k === 0) {
      kids.push({ label: 'TCP Option - End of Option List (EOL)', ...at(rel, 1) });
      break;
    }
    if (k === 1) {
      kids.push({ label: 'TCP Option - No-Operation (NOP)', ...at(rel, 1) });
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = b[o + 1];
    if (len < 2 || o + len > end) {
      kids.push({ label: `TCP Option - ${OPT_NAMES[k] ?? `Unknown (${k})`} (bad length ${len})`, ...at(rel, end - o) });
      break;
    }
    let label = `TCP Option - ${OPT_NAMES[k] ?? `Unknown (kind ${k})`}`;
    const children: DetailNode[] = [];
    if (k === 2 && len === 4) {
      label += `: ${f(c, 'tcp.options.mss_val')} bytes`;
      children.push({ label: `MSS Value: ${f(c, 'tcp.options.mss_val')}`, field: 'tcp.options.mss_val', ...at(rel + 2, 2) });
    } else if (k === 3 && len === 3) {
      const shift = f(c, 'tcp.options.wscale.shift');
      const mult = Math.pow(2, Math.min(b[o + 2], 14));
      label += `: ${shift} (multiply by ${mult})`;
      children.push({ label: `Shift count: ${shift}`, field: 'tcp.options.wscale.shift', ...at(rel + 2, 1) }, { label: `[Multiplier: ${mult}]` });
    } else if (k === 8 && len === 10) {
      label += `: TSval ${u32(b, o + 2)}, TSecr ${u32(b, o + 6)}`;
      children.push({ label: `Timestamp value: ${u32(b, o + 2)}`, ...at(rel + 2, 4) }, { label: `Timestamp echo reply: ${u32(b, o + 6)}`, ...at(rel + 6, 4) });
    } else if (k === 5) {
      const edges: string[] = [];
      for (let q = o + 2; q + 8 <= o + len; q += 8) {
        const l = (u32(b, q) - peerBase) >>> 0;
        const r = (u32(b, q + 4) - peerBase) >>> 0;
        edges.push(`${l}-${r}`);
        children.push({ label: `left edge = ${l} (relative)`, ...at(q - p.tcpOff, 4) }, { label: `right edge = ${r} (relative)`, ...at(q + 4 - p.tcpOff, 4) });
      }
      label += ` ${edges.join(' ')}`;
    }
    children.unshift({ label: `Kind: ${k}`, ...at(rel, 1) }, { label: `Length: ${len}`, ...at(rel + 1, 1) });
    kids.push({ label, ...at(rel, len), children });
    o += len;
  }
  const optLen = Math.min(p.hdrLen, p.tcpAvail) - 20;
  return { label: `Options: (${optLen} bytes)`, field: 'tcp.options', ...at(20, optLen), children: kids };
}

function analysisNode(c: FrameCtx, experts: ExpertItem[]): DetailNode | undefined {
  if (f(c, 'tcp.analysis') === '') return undefined;
  const kids: DetailNode[] = [];
  const acks = f(c, 'tcp.analysis.acks_frame');
  if (acks !== '') kids.push({ label: `[This is an ACK to the segment in frame: ${acks}]`, field: 'tcp.analysis.acks_frame', link: Number(acks) });
  const rtt = f(c, 'tcp.analysis.ack_rtt');
  if (rtt !== '') kids.push({ label: `[The RTT to ACK the segment was: ${rtt} seconds]`, field: 'tcp.analysis.ack_rtt' });
  const irtt = f(c, 'tcp.analysis.initial_rtt');
  if (irtt !== '') kids.push({ label: `[iRTT: ${irtt} seconds]`, field: 'tcp.analysis.initial_rtt' });
  const bif = f(c, 'tcp.analysis.bytes_in_flight');
  if (bif !== '') {
    kids.push({ label: `[Bytes in flight: ${bif}]`, field: 'tcp.analysis.bytes_in_flight' });
    kids.push({ label: `[Bytes sent since last PSH flag: ${f(c, 'tcp.analysis.push_bytes_sent')}]`, field: 'tcp.analysis.push_bytes_sent' });
  }
  const af = aflags(c);
  let dupExpert: ExpertItem | undefined;
  if (af & A.A_FLAG_MASK) {
    const flagKids: DetailNode[] = [];
    for (const e of experts) {
      if (e.bit === undefined) continue;
      if (e.bit === A.A_DUPLICATE_ACK) {
        flagKids.push({ label: '[This is a TCP duplicate ack]', field: 'tcp.analysis.duplicate_ack' });
        dupExpert = e;
        continue;
      }
      flagKids.push(expertNode(e));
      if (e.bit === A.A_RETRANSMISSION) {
        const rto = f(c, 'tcp.analysis.rto');
        if (rto !== '') {
          const rf = f(c, 'tcp.analysis.rto_frame');
          flagKids.push({ label: `[The RTO for this segment was: ${rto} seconds]`, field: 'tcp.analysis.rto' });
          flagKids.push({ label: `[RTO based on delta from frame: ${rf}]`, field: 'tcp.analysis.rto_frame', link: Number(rf) });
        }
      }
    }
    kids.push({ label: '[TCP Analysis Flags]', field: 'tcp.analysis.flags', children: flagKids });
  }
  const dupNum = f(c, 'tcp.analysis.duplicate_ack_num');
  if (dupNum !== '') {
    const df = f(c, 'tcp.analysis.duplicate_ack_frame');
    kids.push({ label: `[Duplicate ACK #: ${dupNum}]`, field: 'tcp.analysis.duplicate_ack_num' });
    kids.push({ label: `[Duplicate to the ACK in frame: ${df}]`, field: 'tcp.analysis.duplicate_ack_frame', link: Number(df), children: dupExpert ? [expertNode(dupExpert)] : undefined });
  }
  return { label: '[SEQ/ACK analysis]', field: 'tcp.analysis', children: kids };
}

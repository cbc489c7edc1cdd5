/**
 * Fields the detail tree shows and nothing else defines (ICMP echo links, checksum statuses, ARP
 * header fields, UDP streams, …): their values are read back from the frame's detail tree
 * (detail.ts), the one place they are worked out, so `-e`, `-Y` and the pane's "Apply as Filter"
 * cannot disagree with the tree. Each field names how its value is read from the node's label, as
 * `tshark -T fields -e` prints it (types and descriptions from `tshark -G fields`).
 *
 * The frame's tree is built once per decoded frame (`frameTree`, also used by `_ws.expert`).
 * Fields marked `side` need the tree's capture-wide pass (tree/side.ts) to have run: hosts call
 * `treeSide(s)` first when a filter or `-e` names one (`needsSide`).
 */
import type { DetailNode } from '../model/types';
import type { FieldDef, FieldType } from './registry';
import type { FrameCtx } from './project';
import { detailTree } from './detail';
import { builtSide } from './tree/side';

const TREES = new WeakMap<FrameCtx, DetailNode[]>();

/** The frame's detail tree (with the capture-wide facts when they were built), once per decoded frame. */
export function frameTree(c: FrameCtx): DetailNode[] {
  let t = TREES.get(c);
  if (!t) {
    t = detailTree(c, builtSide(c.s));
    TREES.set(c, t);
  }
  return t;
}

/** The 239-character cut tshark applies to an item's text: past it, " [truncated]" and the first 226 (ppa3 weather_working frame 4). */
export function protocolText(label: string): string {
  return label.length > 239 ? ` [truncated]${label.slice(0, 226)}` : label;
}

/** The frame's tree lines of one protocol, in tree order (its description, alone or followed by ", …",
 * " (…" or " N", as "Frame 1: …"), as -e prints them. */
export function protocolLines(c: FrameCtx, desc: string): string[] {
  const out: string[] = [];
  const walk = (nodes: DetailNode[]): void => {
    for (const n of nodes) {
      if (n.label === desc || (n.label.startsWith(desc) && /^(, | \(| \d)/.test(n.label.slice(desc.length)))) out.push(protocolText(n.label));
      if (n.children) walk(n.children);
    }
  };
  walk(frameTree(c));
  return out;
}

/** The label's value part: after the first ": ", without the closing "]" of a generated field. */
function after(label: string): string {
  const i = label.indexOf(': ');
  const v = i < 0 ? '' : label.slice(i + 2);
  return label.startsWith('[') && v.endsWith(']') ? v.slice(0, -1) : v;
}

type Read = (label: string, node: DetailNode, c: FrameCtx, parent?: DetailNode) => string | undefined;

/** The leading number ("1280 (0x0500)" → 1280, "0.776 ms" → 0.776). */
const num: Read = (l) => /^-?\d+(\.\d+)?/.exec(after(l))?.[0];
/** The number in the last parentheses ("Ethernet (1)" → 1, "IPv4 (0x0800)" → 0x0800). */
const paren: Read = (l) => /\(([^()]*)\)$/.exec(l)?.[1];
/** The whole value (addresses, names). */
const text: Read = (l) => after(l);
/** Bytes: the label cuts long ones ("…"), so they are read from the node's range in the frame. */
const hexBytes = (l: string, node: DetailNode, c: FrameCtx, parent?: DetailNode): string | undefined => {
  if (!l.endsWith('…')) return after(l);
  let b: Uint8Array | undefined;
  if (node.start !== undefined && node.length !== undefined) b = c.buf.subarray(c.off + node.start, c.off + node.start + node.length);
  else b = parent?.outside;
  if (!b) return undefined;
  let h = '';
  for (let i = 0; i < b.length; i++) h += b[i].toString(16).padStart(2, '0');
  return h;
};
/** A leading hexadecimal number ("0x60000000, Solicited, Override" → 0x60000000). */
const hexNum: Read = (l) => /^0x[0-9a-f]+/.exec(after(l))?.[0];
/** A one-bit line (".... ...1 .... = IG bit: …") → its bit. */
const bit: Read = (l) => /[01]/.exec(l.slice(0, l.indexOf(' = ')))?.[0];
/** A multi-bit line ("...1 1111 … = Reserved: 0") → its value. */
const bits: Read = (l) => /^\d+/.exec(after(l.slice(l.indexOf(' = ') + 3)))?.[0];
/** "[Is gratuitous: True]" → 1. */
const bool: Read = (l) => (after(l) === 'True' ? '1' : after(l) === 'False' ? '0' : undefined);
/** A field without a value (FT_NONE): tshark -e prints 1 per occurrence. */
const none: Read = () => '1';
/** Checksum statuses as tshark numbers them (PROTO_CHECKSUM_E_*). */
const STATUS: Record<string, string> = { Bad: '0', Good: '1', Unverified: '2', 'Not present': '3', Illegal: '4' };
const status: Read = (l) => STATUS[after(l)];

/** An ICMP echo's response time in ms, as tshark prints the double (not the tree's 3 decimals). */
function echoTime(c: FrameCtx): string[] {
  const req = builtSide(c.s)?.echoLink(c.n).request;
  if (!req) return [];
  const ms = c.s.frames.nsBetween(c.n, req) / 1e6;
  return [String(Number(ms.toPrecision(15)))];
}

type Def = [name: string, type: FieldType, bits: number, desc: string, read: Read, side?: 'side'];

const DEFS: Def[] = [
  ['icmp.checksum.status', 'uint', 8, 'Checksum Status', status],
  ['icmp.ident', 'uint', 16, 'Identifier (BE)', num],
  ['icmp.ident_le', 'uint', 16, 'Identifier (LE)', num],
  ['icmp.seq', 'uint', 16, 'Sequence Number (BE)', num],
  ['icmp.seq_le', 'uint', 16, 'Sequence Number (LE)', num],
  ['icmp.resp_in', 'framenum', 0, 'Response frame', num, 'side'],
  ['icmp.resp_to', 'framenum', 0, 'Request frame', num, 'side'],
  ['icmp.resptime', 'double', 0, 'Response time', num, 'side'],
  ['icmp.no_resp', 'none', 0, 'No response seen', none, 'side'],
  ['icmp.unused', 'bytes', 0, 'Unused', hexBytes],
  ['icmp.length', 'uint', 8, 'Length', num],
  ['icmp.length.original_datagram', 'uint', 8, 'Length of original datagram', num],
  ['icmp.mtu', 'uint', 16, 'MTU of next hop', num],
  ['icmp.pointer', 'uint', 32, 'Pointer', num],
  ['icmp.redir_gw', 'ipv4', 0, 'Gateway Address', text],
  ['icmpv6.checksum.status', 'uint', 8, 'Checksum Status', status],
  ['icmpv6.echo.identifier', 'uint', 16, 'Identifier', text],
  ['icmpv6.echo.sequence_number', 'uint', 16, 'Sequence', num],
  ['icmpv6.resp_in', 'framenum', 0, 'Response In', num, 'side'],
  ['icmpv6.resp_to', 'framenum', 0, 'Response To', num, 'side'],
  ['icmpv6.resptime', 'double', 0, 'Response Time', num, 'side'],
  ['icmpv6.reserved', 'bytes', 0, 'Reserved', hexBytes],
  ['icmpv6.mtu', 'uint', 32, 'MTU', num],
  ['icmpv6.pointer', 'uint', 32, 'Pointer', num],
  ['icmpv6.nd.ns.target_address', 'ipv6', 0, 'Target Address', text],
  ['icmpv6.nd.na.target_address', 'ipv6', 0, 'Target Address', text],
  ['icmpv6.nd.na.flag', 'uint', 32, 'Flags', hexNum],
  ['icmpv6.nd.na.flag.r', 'boolean', 0, 'Router', bit],
  ['icmpv6.nd.na.flag.s', 'boolean', 0, 'Solicited', bit],
  ['icmpv6.nd.na.flag.o', 'boolean', 0, 'Override', bit],
  ['icmpv6.nd.na.flag.rsv', 'uint', 32, 'Reserved', bits],
  ['icmpv6.nd.ra.cur_hop_limit', 'uint', 8, 'Cur hop limit', num],
  ['icmpv6.nd.ra.flag', 'uint', 8, 'Flags', hexNum],
  ['icmpv6.opt', 'none', 0, 'ICMPv6 Option', none],
  ['icmpv6.opt.type', 'uint', 8, 'Type', paren],
  ['icmpv6.opt.length', 'uint', 8, 'Length', num],
  ['icmpv6.opt.linkaddr', 'bytes', 0, 'Link-layer address', text],
  ['icmpv6.mldr.nb_mcast_records', 'uint', 16, 'Number of Multicast Address Records', num],
  ['icmpv6.mldr.mar', 'none', 0, 'Multicast Address Record', none],
  ['arp.hw.type', 'uint', 16, 'Hardware type', paren],
  ['arp.proto.type', 'uint', 16, 'Protocol type', paren],
  ['arp.hw.size', 'uint', 8, 'Hardware size', num],
  ['arp.proto.size', 'uint', 8, 'Protocol size', num],
  ['arp.isgratuitous', 'boolean', 0, 'Is gratuitous', bool],
  ['arp.isannouncement', 'boolean', 0, 'Is announcement', bool],
  ['arp.isprobe', 'boolean', 0, 'Is probe', bool],
  ['eth.ig', 'boolean', 0, 'IG bit', bit],
  ['eth.lg', 'boolean', 0, 'LG bit', bit],
  ['eth.padding', 'bytes', 0, 'Padding', hexBytes],
  ['eth.trailer', 'bytes', 0, 'Trailer', hexBytes],
  ['eth.fcs', 'uint', 32, 'Frame check sequence', hexNum],
  ['eth.fcs.status', 'uint', 8, 'FCS Status', status],
  ['frame.marked', 'boolean', 0, 'Frame is marked', bool],
  ['frame.ignored', 'boolean', 0, 'Frame is ignored', bool],
  ['frame.offset_shift', 'reltime', 0, 'Time shift for this packet', num],
  ['frame.interface_name', 'string', 0, 'Interface name', text],
  ['ip.checksum.status', 'uint', 8, 'Header checksum status', status],
  ['ip.reassembled_in', 'framenum', 0, 'Reassembled IPv4 in frame', num],
  ['ipv6.reassembled.in', 'framenum', 0, 'Reassembled IPv6 in frame', num],
  ['udp.checksum.status', 'uint', 8, 'Checksum Status', status],
  ['udp.stream', 'uint', 32, 'Stream index', num, 'side'],
  ['udp.time_relative', 'reltime', 0, 'Time since first frame', num, 'side'],
  ['udp.time_delta', 'reltime', 0, 'Time since previous frame', num, 'side'],
  ['tcp.checksum.status', 'uint', 8, 'Checksum Status', status],
  ['data.data', 'bytes', 0, 'Data', hexBytes],
  ['data.len', 'int', 32, 'Length', num],
];

/** Every value of field `name` in the frame's tree, in tree order. */
function treeValues(c: FrameCtx, name: string, read: Read): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly DetailNode[], parent?: DetailNode): void => {
    for (const node of nodes) {
      if (node.field === name) {
        const v = read(node.label, node, c, parent);
        if (v !== undefined) out.push(v);
      }
      if (node.children) walk(node.children, node);
    }
  };
  walk(frameTree(c));
  return out;
}

export function treeFieldDefs(): FieldDef[] {
  return DEFS.map(([name, type, nbits, desc, read, side]) => {
    const all = name.endsWith('.resptime') ? (c: FrameCtx) => (treeValues(c, name, read).length ? echoTime(c) : []) : (c: FrameCtx) => treeValues(c, name, read);
    const def: FieldDef = { name, type, desc, all };
    if (nbits) def.bits = nbits;
    if (side) def.side = true;
    return def;
  });
}

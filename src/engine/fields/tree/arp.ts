/** ARP as tshark's detail tree shows it, and its Protocol/Info/Source/Destination columns. */
import type { DetailNode } from '../../model/types';
import { ipv4 } from '../format';
import { hexN, mac, u16 } from './bits';
import { ETHERTYPE_NAMES } from './eth';
import { fld, ranger } from './node';

const OPCODES: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 8: 'inverse request', 9: 'inverse reply' };
const HW_TYPES: Record<number, string> = { 1: 'Ethernet', 6: 'IEEE 802', 15: 'Frame Relay', 32: 'InfiniBand', 24: 'IEEE 1394.1995' };

export interface ArpView {
  op: number;
  hlen: number;
  plen: number;
  ok: boolean;
  gratuitous: boolean;
  announcement: boolean;
  probe: boolean;
}

/** The fields tshark's summaries depend on; `ok` when the packet is Ethernet/IPv4 and whole. */
export function arpView(b: Uint8Array, o: number, avail: number): ArpView {
  const op = avail >= 8 ? u16(b, o + 6) : 0;
  const hlen = b[o + 4];
  const plen = b[o + 5];
  const ok = avail >= 8 + 2 * (hlen + plen) && hlen === 6 && plen === 4 && u16(b, o + 2) === 0x0800;
  let gratuitous = false;
  let announcement = false;
  let probe = false;
  if (ok) {
    const spa = ipv4(b, o + 14);
    const tpa = ipv4(b, o + 24);
    let tzero = true;
    for (let i = 0; i < 6; i++) if (b[o + 18 + i] !== 0) tzero = false;
    gratuitous = spa === tpa && (op === 1 || op === 2);
    announcement = gratuitous && op === 1 && tzero;
    probe = op === 1 && spa === '0.0.0.0' && tzero;
  }
  return { op, hlen, plen, ok, gratuitous, announcement, probe };
}

/** Info column, as tshark writes it. */
export function arpInfo(b: Uint8Array, o: number, avail: number): string {
  const v = arpView(b, o, avail);
  if (!v.ok) return 'ARP';
  const sha = mac(b, o + 8);
  const spa = ipv4(b, o + 14);
  const tpa = ipv4(b, o + 24);
  if (v.op === 1) {
    if (v.announcement) return `ARP Announcement for ${spa}`;
    if (v.probe) return `Who has ${tpa}? (ARP Probe)`;
    if (v.gratuitous) return `Gratuitous ARP for ${spa} (Request)`;
    return `Who has ${tpa}? Tell ${spa}`;
  }
  if (v.op === 2) {
    if (v.gratuitous) return `Gratuitous ARP for ${spa} (Reply)`;
    return `${spa} is at ${sha}`;
  }
  return `Unknown ARP opcode 0x${v.op.toString(16).padStart(4, '0')}`;
}

export function arpNode(b: Uint8Array, o: number, avail: number, base: number | undefined): DetailNode {
  const at = ranger(base, avail);
  const v = arpView(b, o, avail);
  const ht = u16(b, o);
  const pt = u16(b, o + 2);
  const kids: DetailNode[] = [
    fld(`Hardware type: ${HW_TYPES[ht] ?? 'Unknown'} (${ht})`, at(0, 2), 'arp.hw.type'),
    fld(`Protocol type: ${ETHERTYPE_NAMES[pt] ?? 'Unknown'} (${hexN(pt, 4)})`, at(2, 2), 'arp.proto.type'),
    fld(`Hardware size: ${v.hlen}`, at(4, 1), 'arp.hw.size'),
    fld(`Protocol size: ${v.plen}`, at(5, 1), 'arp.proto.size'),
    fld(`Opcode: ${OPCODES[v.op] ?? 'Unknown'} (${v.op})`, at(6, 2), 'arp.opcode'),
  ];
  if (v.gratuitous) kids.push(fld('[Is gratuitous: True]', {}, 'arp.isgratuitous'));
  if (v.announcement) kids.push(fld('[Is announcement: True]', {}, 'arp.isannouncement'));
  if (v.probe) kids.push(fld('[Is probe: True]', {}, 'arp.isprobe'));
  if (v.ok) {
    kids.push(fld(`Sender MAC address: ${mac(b, o + 8)}`, at(8, 6), 'arp.src.hw_mac'));
    kids.push(fld(`Sender IP address: ${ipv4(b, o + 14)}`, at(14, 4), 'arp.src.proto_ipv4'));
    kids.push(fld(`Target MAC address: ${mac(b, o + 18)}`, at(18, 6), 'arp.dst.hw_mac'));
    kids.push(fld(`Target IP address: ${ipv4(b, o + 24)}`, at(24, 4), 'arp.dst.proto_ipv4'));
  }
  const what = v.announcement ? 'ARP Announcement' : v.probe ? 'ARP Probe' : v.gratuitous ? `gratuitous ARP (${OPCODES[v.op]})` : (OPCODES[v.op] ?? 'opcode 0x' + v.op.toString(16).padStart(4, '0'));
  return { label: `Address Resolution Protocol (${what})`, proto: 'arp', ...at(0, 8 + 2 * (v.hlen + v.plen)), children: kids };
}

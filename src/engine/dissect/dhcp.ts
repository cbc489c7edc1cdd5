/**
 * DHCP (UDP ports 67 and 68), summary: a BOOTP message whose options carry a DHCP message type
 * (option 53). Info as tshark writes it: "DHCP Request  - Transaction ID 0x81bcc90f" (the type
 * padded to 8 characters, the ID in hex without leading zeros). A BOOTP message without option 53
 * is left to the UDP row (not summarised here).
 */
import type { DetailNode } from '../model/types';
import { ipv4 } from '../fields/format';
import type { AppDissector, AppFieldMeta, Pdu, Slice } from './types';

const TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform', 9: 'Force Renew',
  10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
};

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** The DHCP message type (option 53) of the options at `o`, or -1. */
function messageType(b: Uint8Array, o: number, end: number): number {
  while (o < end) {
    const code = b[o];
    if (code === 255) return -1;
    if (code === 0) {
      o++;
      continue;
    }
    if (o + 1 >= end) return -1;
    const len = b[o + 1];
    if (code === 53 && len >= 1 && o + 2 < end) return b[o + 2];
    o += 2 + len;
  }
  return -1;
}

function datagram(s: Slice): Pdu | undefined {
  const b = s.b;
  const o = s.off;
  if (s.end - o < 240 || u32(b, o + 236) !== 0x63825363) return undefined;
  const type = messageType(b, o + 240, s.end);
  if (type < 0) return undefined;
  const op = b[o];
  const xid = u32(b, o + 4);
  const name = TYPES[type] ?? 'Unknown';
  const id = '0x' + xid.toString(16);
  const mac = Array.from(b.subarray(o + 28, o + 34), (x) => x.toString(16).padStart(2, '0')).join(':');
  const kids: DetailNode[] = [
    { label: `Message type: ${op === 1 ? 'Boot Request' : op === 2 ? 'Boot Reply' : 'Unknown'} (${op})`, field: 'dhcp.type', start: 0, length: 1 },
    { label: `Transaction ID: ${id}`, field: 'dhcp.id', start: 4, length: 4 },
    { label: `Client IP address: ${ipv4(b, o + 12)}`, field: 'dhcp.ip.client', start: 12, length: 4 },
    { label: `Your (client) IP address: ${ipv4(b, o + 16)}`, field: 'dhcp.ip.your', start: 16, length: 4 },
    { label: `Client MAC address: ${mac}`, field: 'dhcp.hw.mac_addr', start: 28, length: 6 },
    { label: `Option: (53) DHCP Message Type (${name})`, field: 'dhcp.option.dhcp' },
  ];
  return {
    proto: 'DHCP',
    info: `DHCP ${name.padEnd(8)} - Transaction ID ${id}`,
    fields: [['dhcp', ''], ['dhcp.type', String(op)], ['dhcp.id', '0x' + xid.toString(16).padStart(8, '0')], ['dhcp.ip.client', ipv4(b, o + 12)], ['dhcp.ip.your', ipv4(b, o + 16)], ['dhcp.hw.mac_addr', mac], ['dhcp.option.dhcp', String(type)]],
    tree: { label: `Dynamic Host Configuration Protocol (${name})`, proto: 'dhcp', start: 0, length: s.end - o, children: kids },
  };
}

const FIELDS: AppFieldMeta[] = [
  ['dhcp', 'protocol', 0, 'Dynamic Host Configuration Protocol'],
  ['dhcp.hw.mac_addr', 'ether', 0, 'Client MAC address'],
  ['dhcp.id', 'uint', 32, 'Transaction ID'],
  ['dhcp.ip.client', 'ipv4', 0, 'Client IP address'],
  ['dhcp.ip.your', 'ipv4', 0, 'Your (client) IP address'],
  ['dhcp.option.dhcp', 'uint', 8, 'DHCP'],
  ['dhcp.type', 'uint', 8, 'Message type'],
];

export const DHCP: AppDissector = { name: 'dhcp', fields: FIELDS, udpPorts: [67, 68], udp: datagram };

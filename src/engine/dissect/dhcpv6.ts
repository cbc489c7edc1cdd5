/**
 * DHCPv6 (UDP ports 546 and 547), summary: the message type, transaction ID, client identifier and
 * the IA addresses offered. Info as tshark writes it: "Advertise XID: 0x9de03f CID: 0001…7744 IAA:
 * 2001:db8:1:2::1002 " (each part followed by a space). Relay messages (Relay-forw/-reply) are left
 * to the UDP row (not summarised here).
 */
import type { DetailNode } from '../model/types';
import { ipv6 } from '../fields/format';
import type { AppDissector, AppFieldMeta, Pdu, Slice } from './types';

const TYPES: Record<number, string> = {
  1: 'Solicit', 2: 'Advertise', 3: 'Request', 4: 'Confirm', 5: 'Renew', 6: 'Rebind', 7: 'Reply', 8: 'Release', 9: 'Decline',
  10: 'Reconfigure', 11: 'Information-request',
};

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];

function datagram(s: Slice): Pdu | undefined {
  const b = s.b;
  const o = s.off;
  if (s.end - o < 4) return undefined;
  const type = b[o];
  const name = TYPES[type];
  if (!name) return undefined;
  const xid = (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];
  const fields: [string, string][] = [['dhcpv6', ''], ['dhcpv6.msgtype', String(type)], ['dhcpv6.xid', '0x' + xid.toString(16).padStart(6, '0')]];
  const kids: DetailNode[] = [
    { label: `Message type: ${name} (${type})`, field: 'dhcpv6.msgtype', start: 0, length: 1 },
    { label: `Transaction ID: 0x${xid.toString(16).padStart(6, '0')}`, field: 'dhcpv6.xid', start: 1, length: 3 },
  ];
  let info = `${name} XID: 0x${xid.toString(16).padStart(6, '0')} `;
  // Options: code, length, data; IA_NA (3) and IA_TA (4) carry IA Address options (5) after their fixed part.
  const walk = (p: number, end: number, depth: number): void => {
    while (p < end) {
      // An option running past the data ends the walk quietly (tshark: no item, no Malformed Packet).
      if (p + 4 > end) return;
      const code = u16(b, p);
      const len = u16(b, p + 2);
      const d = p + 4;
      if (d + len > end) return;
      if ((code === 1 || code === 2) && depth === 0) {
        const duid = hex(b.subarray(d, d + len));
        fields.push(['dhcpv6.duid.bytes', duid]);
        kids.push({ label: code === 1 ? 'Client Identifier' : 'Server Identifier', start: p - o, length: 4 + len, children: [{ label: `DUID: ${duid}`, field: 'dhcpv6.duid.bytes' }] });
        if (code === 1) info += `CID: ${duid} `;
      } else if ((code === 3 || code === 4) && depth === 0) {
        walk(d + (code === 3 ? 12 : 4), d + len, 1);
      } else if (code === 5 && len >= 16) {
        const addr = ipv6(b, d);
        fields.push(['dhcpv6.iaaddr.ip', addr]);
        kids.push({ label: 'IA Address', start: p - o, length: 4 + len, children: [{ label: `IPv6 address: ${addr}`, field: 'dhcpv6.iaaddr.ip' }] });
        info += `IAA: ${addr} `;
      }
      p = d + len;
    }
  };
  walk(o + 4, s.end, 0);
  return { proto: 'DHCPv6', info, fields, tree: { label: 'DHCPv6', proto: 'dhcpv6', start: 0, length: s.end - o, children: kids } };
}

const FIELDS: AppFieldMeta[] = [
  ['dhcpv6', 'protocol', 0, 'DHCPv6'],
  ['dhcpv6.duid.bytes', 'bytes', 0, 'DUID'],
  ['dhcpv6.iaaddr.ip', 'ipv6', 0, 'IPv6 address'],
  ['dhcpv6.msgtype', 'uint', 8, 'Message type'],
  ['dhcpv6.xid', 'uint', 24, 'Transaction ID'],
];

export const DHCPV6: AppDissector = { name: 'dhcpv6', fields: FIELDS, udpPorts: [546, 547], udp: datagram };

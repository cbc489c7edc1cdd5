/**
 * EtherNet/IP encapsulation (TCP port 44818), framing only: tshark gives the port to ENIP, whose
 * 24-byte header carries the length of the data after it (little-endian), so a conversation on
 * that port is reassembled by that length whatever it carries (an HTTP request sent from port
 * 44818 stays "[TCP segment of a reassembled PDU]", as tshark shows it). A whole PDU is named by
 * its command only.
 */
import type { AppDissector, AppFieldMeta, Pdu, Slice, TcpPduLength } from './types';

const COMMANDS: Record<number, string> = {
  0x0004: 'List Services', 0x0063: 'List Identity', 0x0064: 'List Interfaces', 0x0065: 'Register Session',
  0x0066: 'Unregister Session', 0x006f: 'Send RR Data', 0x0070: 'Send Unit Data', 0x0072: 'Indicate Status', 0x0073: 'Cancel',
};

function length(s: Slice): TcpPduLength {
  const have = s.end - s.off;
  if (have < 24) return { more: 24 - have };
  return { len: 24 + (s.b[s.off + 2] | (s.b[s.off + 3] << 8)) };
}

function pdu(s: Slice): Pdu {
  const cmd = s.end - s.off >= 2 ? s.b[s.off] | (s.b[s.off + 1] << 8) : -1;
  const name = COMMANDS[cmd] ?? `Unknown Command (0x${cmd.toString(16).padStart(4, '0')})`;
  return {
    proto: 'ENIP',
    info: name,
    fields: [['enip', ''], ['enip.command', '0x' + cmd.toString(16).padStart(4, '0')]],
    tree: { label: 'EtherNet/IP (Industrial Protocol)', start: 0, length: s.end - s.off, children: [{ label: `Command: ${name} (0x${cmd.toString(16).padStart(4, '0')})`, field: 'enip.command' }] },
    malformed: s.end - s.off < 24,
  };
}

const FIELDS: AppFieldMeta[] = [
  ['enip', 'protocol', 0, 'EtherNet/IP (Industrial Protocol)'],
  ['enip.command', 'uint', 16, 'Command'],
];

export const ENIP: AppDissector = { name: 'enip', fields: FIELDS, tcpPorts: [44818], tcpLength: length, tcpPdu: pdu };

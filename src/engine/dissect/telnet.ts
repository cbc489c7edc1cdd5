/**
 * Telnet (TCP port 23), summary: every segment is one PDU (no reassembly), Info "Telnet Data ..."
 * as tshark writes it whatever the bytes, a "Telnet" node with one "Data: …" line per line of
 * text. Segments carrying commands (IAC, 0xff) get the node without their lines (not decoded here).
 */
import type { DetailNode } from '../model/types';
import type { AppDissector, AppFieldMeta, Pdu, Slice, TcpPduLength } from './types';

const length = (s: Slice): TcpPduLength => ({ len: s.end - s.off });

function pdu(s: Slice): Pdu {
  const b = s.b;
  const fields: [string, string][] = [['telnet', '']];
  const kids: DetailNode[] = [];
  if (!b.subarray(s.off, s.end).includes(0xff)) {
    // One item per line (through its LF), as tshark's "Data:" lines.
    let start = s.off;
    for (let i = s.off; i < s.end; i++) {
      if (b[i] !== 0x0a && i !== s.end - 1) continue;
      let line = '';
      for (let k = start; k <= i; k++) line += String.fromCharCode(b[k]);
      fields.push(['telnet.data', line]);
      kids.push({ label: `Data: ${line.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}`, field: 'telnet.data', start: start - s.off, length: i + 1 - start });
      start = i + 1;
    }
  }
  return { proto: 'TELNET', info: 'Telnet Data ...', fields, tree: { label: 'Telnet', proto: 'telnet', start: 0, length: s.end - s.off, children: kids } };
}

const FIELDS: AppFieldMeta[] = [
  ['telnet', 'protocol', 0, 'Telnet'],
  ['telnet.data', 'string', 0, 'Data'],
];

export const TELNET: AppDissector = { name: 'telnet', fields: FIELDS, tcpPorts: [23], tcpLength: length, tcpPdu: pdu };

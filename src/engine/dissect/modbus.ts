/**
 * Modbus/TCP (TCP port 502), summary form, as tshark 4.0.17 shows it (black-box): PDUs of the MBAP
 * header's length (transaction, protocol 0, length, unit) reassembled across segments; a segment
 * whose first 8 bytes are not such a header (protocol identifier not 0, length under 2, fewer than
 * 8 bytes) stays TCP data. Info: "   Query: Trans:     7; Unit:  10, Func:   3: Read Holding
 * Registers" (Query towards port 502, Response from it; several PDUs in a segment show the last);
 * Diagnostics and Encapsulated Interface Transport show their sub-function's name after
 * "Func:   8/  1" (tshark writes 1 there whatever the sub-function); an exception reply ends in
 * ". Exception returned ". Names from `tshark -G values` (modbus.func_code, .diagnostic_code, .mei).
 */
import type { DetailNode } from '../model/types';
import type { AppDissector, AppFieldMeta, Pdu, Slice, TcpContext, TcpPduLength } from './types';

const FUNCS: Record<number, string> = {
  1: 'Read Coils', 2: 'Read Discrete Inputs', 3: 'Read Holding Registers', 4: 'Read Input Registers', 5: 'Write Single Coil',
  6: 'Write Single Register', 7: 'Read Exception Status', 8: 'Diagnostics', 11: 'Get Comm. Event Counters', 12: 'Get Comm. Event Log',
  15: 'Write Multiple Coils', 16: 'Write Multiple Registers', 17: 'Report Slave ID', 20: 'Read File Record', 21: 'Write File Record',
  22: 'Mask Write Register', 23: 'Read Write Register', 24: 'Read FIFO Queue', 43: 'Encapsulated Interface Transport', 90: 'Unity (Schneider)',
};
const DIAG: Record<number, string> = {
  0: 'Return Query Data', 1: 'Restart Communications Option', 2: 'Return Diagnostic Register', 3: 'Change ASCII Input Delimiter',
  4: 'Force Listen Only Mode', 10: 'Clear Counters and Diagnostic Register', 11: 'Return Bus Message Count',
  12: 'Return Bus Communication Error Count', 13: 'Return Bus Exception Error Count', 14: 'Return Slave Message Count',
  15: 'Return Slave No Response Count', 16: 'Return Slave NAK Count', 17: 'Return Slave Busy Count', 18: 'Return Bus Character Overrun Count',
  20: 'Clear Overrun Counter and Flag',
};
const MEI: Record<number, string> = { 13: 'CANopen Request/Response ', 14: 'Read Device Identification' };

const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const pad = (v: number, w: number): string => `${v}`.padStart(w);

/** Whether an MBAP header starts at s.off (tshark's test of a segment before it calls Modbus). */
const isMbap = (s: Slice): boolean => s.end - s.off >= 8 && u16(s.b, s.off + 2) === 0 && u16(s.b, s.off + 4) >= 2;

function length(s: Slice): TcpPduLength {
  return isMbap(s) ? { len: 6 + u16(s.b, s.off + 4) } : undefined;
}

function pdu(s: Slice, ctx: TcpContext): Pdu {
  const b = s.b;
  const o = s.off;
  const n = s.end - o;
  const trans = n > 1 ? u16(b, o) : 0;
  const len = n > 5 ? u16(b, o + 4) : 0;
  const unit = n > 6 ? b[o + 6] : 0;
  const fc = n > 7 ? b[o + 7] : 0;
  const f = fc & 0x7f;
  const exc = (fc & 0x80) !== 0;
  let name = FUNCS[f] ?? `Unknown function (${f})`;
  let code = pad(f, 3);
  if (!exc && (f === 8 || f === 43) && n > 8) {
    const sub = f === 8 ? (n > 9 ? DIAG[u16(b, o + 8)] : undefined) : MEI[b[o + 8]];
    if (sub !== undefined) {
      name = sub;
      code += `/${pad(1, 3)}`;
    }
  }
  const query = !ctx.fromServer;
  const info = `${query ? '   Query' : 'Response'}: Trans: ${pad(trans, 5)}; Unit: ${pad(unit, 3)}, Func: ${code}: ${name}${exc ? '. Exception returned ' : ''}`;
  const fields: [string, string][] = [
    ['mbtcp', ''],
    ['mbtcp.trans_id', `${trans}`],
    ['mbtcp.prot_id', '0'],
    ['mbtcp.len', `${len}`],
    ['mbtcp.unit_id', `${unit}`],
    ['modbus', ''],
    ['modbus.func_code', `${f}`],
  ];
  const kids: DetailNode[] = [
    { label: `Transaction Identifier: ${trans}`, field: 'mbtcp.trans_id', start: 0, length: 2 },
    { label: 'Protocol Identifier: 0', field: 'mbtcp.prot_id', start: 2, length: 2 },
    { label: `Length: ${len}`, field: 'mbtcp.len', start: 4, length: 2 },
    { label: `Unit Identifier: ${unit}`, field: 'mbtcp.unit_id', start: 6, length: 1 },
  ];
  const after: DetailNode[] = [{ label: 'Modbus', proto: 'modbus', start: 7, length: Math.max(0, n - 7), children: [{ label: `.${exc ? 1 : 0}.. .... = Exception: ${exc ? 'True' : 'False'}` }, { label: `Function Code: ${name} (${f})`, field: 'modbus.func_code', start: 7, length: 1 }] }];
  return { proto: 'Modbus/TCP', info, fields, tree: { label: 'Modbus/TCP', proto: 'mbtcp', start: 0, length: Math.min(n, 7), children: kids }, after, malformed: !isMbap(s) };
}

const FIELDS: AppFieldMeta[] = [
  ['mbtcp', 'protocol', 0, 'Modbus/TCP'],
  ['mbtcp.trans_id', 'uint', 16, 'Transaction Identifier'],
  ['mbtcp.prot_id', 'uint', 16, 'Protocol Identifier'],
  ['mbtcp.len', 'uint', 16, 'Length'],
  ['mbtcp.unit_id', 'uint', 8, 'Unit Identifier'],
  ['modbus', 'protocol', 0, 'Modbus'],
  ['modbus.func_code', 'uint', 8, 'Function Code'],
];

export const MODBUS: AppDissector = {
  name: 'mbtcp',
  fields: FIELDS,
  tcpPorts: [502],
  // A conversation whose first payload is no MBAP header stays TCP data. Not modelled: such a
  // segment later in a Modbus conversation (tshark leaves it TCP data; here it is a malformed PDU).
  acceptsTcp: isMbap,
  tcpLength: length,
  tcpPdu: pdu,
  joinInfo: (infos) => infos[infos.length - 1],
};

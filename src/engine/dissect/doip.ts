/**
 * Diagnostics over IP (ISO 13400, UDP and TCP port 13400), summary form, as tshark 4.0.17 shows
 * it (black-box, wild corpus): an 8-byte header (version, its inverse, payload type, length) and
 * the payload; TCP messages reassembled by that length. Info is the payload type's name from
 * `tshark -G values` (doip.type), "0x7777 Unknown Payload" for others; several messages in a segment
 * show the last. Not modelled: the UDS
 * dissector tshark runs on a Diagnostic message's user data (its rows show Protocol "UDS").
 */
import type { AppDissector, AppFieldMeta, Pdu, Slice, TcpPduLength } from './types';

const TYPES: Record<number, string> = {
  0x0: 'Generic DoIP header NACK',
  0x1: 'Vehicle identification request',
  0x2: 'Vehicle identification request with EID',
  0x3: 'Vehicle identification request with VIN',
  0x4: 'Vehicle announcement message/vehicle identification response message',
  0x5: 'Routing activation request',
  0x6: 'Routing activation response',
  0x7: 'Alive check request',
  0x8: 'Alive check response',
  0x4001: 'DoIP entity status request',
  0x4002: 'DoIP entity status response',
  0x4003: 'Diagnostic power mode information request',
  0x4004: 'Diagnostic power mode information response',
  0x8001: 'Diagnostic message',
  0x8002: 'Diagnostic message ACK',
  0x8003: 'Diagnostic message NACK',
};
const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

function message(s: Slice): Pdu {
  const b = s.b;
  const o = s.off;
  const n = s.end - o;
  const fields: [string, string][] = [['doip', '']];
  const tree = {
    label: 'DoIP',
    proto: 'doip',
    start: 0,
    length: n,
    children: [] as { label: string; field: string; start: number; length: number }[],
  };
  if (n < 8) return { proto: 'DoIP', info: '', fields, tree, malformed: true };
  const type = u16(b, o + 2);
  const len = u32(b, o + 4);
  const name = TYPES[type] ?? `0x${type.toString(16).padStart(4, '0')} Unknown Payload`;
  fields.push(['doip.version', `${b[o]}`], ['doip.type', `${type}`], ['doip.length', `${len}`]);
  tree.children.push(
    { label: `Version: ${b[o]}`, field: 'doip.version', start: 0, length: 1 },
    { label: `Type: ${name} (0x${type.toString(16).padStart(4, '0')})`, field: 'doip.type', start: 2, length: 2 },
    { label: `Length: ${len}`, field: 'doip.length', start: 4, length: 4 },
  );
  return { proto: 'DoIP', info: name, fields, tree, malformed: n < 8 + len };
}

function length(s: Slice): TcpPduLength {
  const have = s.end - s.off;
  return have < 8 ? { more: 8 - have } : { len: 8 + u32(s.b, s.off + 4) };
}

const FIELDS: AppFieldMeta[] = [
  ['doip', 'protocol', 0, 'DoIP (ISO13400) Protocol'],
  ['doip.version', 'uint', 8, 'Version'],
  ['doip.type', 'uint', 16, 'Type'],
  ['doip.length', 'uint', 32, 'Length'],
];

export const DOIP: AppDissector = {
  name: 'doip',
  fields: FIELDS,
  tcpPorts: [13400],
  udpPorts: [13400],
  udp: message,
  tcpLength: length,
  tcpPdu: message,
  joinInfo: (infos) => infos[infos.length - 1],
};

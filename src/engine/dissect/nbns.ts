/**
 * NetBIOS Name Service (UDP port 137), summary form, as tshark 4.0.17 shows it (black-box): Info
 * is the opcode ("Name query", "Registration", …, "response" after it for a response, then
 * ", <reply code>" when not 0), then each question " NB NAME<xx>" and each answer " NB <first
 * address>" (NBSTAT: the type alone). A record cut short is malformed ("[Malformed Packet]" after the Info).
 * Names: the first-level encoding of RFC 1001 (32 letters A-P), trailing spaces dropped, the 16th
 * byte as <xx>; scope labels after a dot; compression pointers followed (bounded). Opcode, type
 * and reply-code names from `tshark -G values` (nbns.flags.opcode, nbns.type, nbns.flags.rcode).
 */
import type { AppDissector, AppFieldMeta, Pdu, Slice } from './types';
import { ipv4 } from '../fields/format';

const OPCODES: Record<number, string> = { 0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh', 9: 'Refresh (alternate opcode)', 15: 'Multi-homed registration' };
const RCODES: Record<number, string> = {
  1: 'Request was invalidly formatted', 2: 'Server failure', 3: 'Requested name does not exist', 4: 'Request is not implemented',
  5: 'Request was refused', 6: 'Name is owned by another node', 7: 'Name is in conflict',
};
const TYPES: Record<number, string> = { 32: 'NB', 33: 'NBSTAT' };
const u16 = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];

/** The name at `p` (message starts at `o`, ends at `e`): [text, offset past it], or undefined when cut. */
function readName(b: Uint8Array, o: number, p: number, e: number): [string, number] | undefined {
  let text = '';
  let after = -1;
  for (let hops = 0; hops < 16; hops++) {
    if (p >= e) return undefined;
    const l = b[p];
    if ((l & 0xc0) === 0xc0) {
      if (p + 2 > e) return undefined;
      if (after < 0) after = p + 2;
      p = o + (((l & 0x3f) << 8) | b[p + 1]);
      continue;
    }
    if (l === 0) return [text, after < 0 ? p + 1 : after];
    if (p + 1 + l > e) return undefined;
    let label = '';
    if (text === '' && l === 32) {
      const raw: number[] = [];
      for (let i = 0; i < 32; i += 2) raw.push((((b[p + 1 + i] - 0x41) & 15) << 4) | ((b[p + 2 + i] - 0x41) & 15));
      const suffix = raw[15];
      let name = '';
      for (const c of raw.slice(0, 15)) name += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `<${c.toString(16).padStart(2, '0')}>`;
      label = `${name.replace(/ +$/, '')}<${suffix.toString(16).padStart(2, '0')}>`;
    } else for (let i = 0; i < l; i++) label += String.fromCharCode(b[p + 1 + i]);
    text += text === '' ? label : `.${label}`;
    p += 1 + l;
  }
  return undefined;
}

function datagram(s: Slice): Pdu {
  const b = s.b;
  const o = s.off;
  const e = s.end;
  const fields: [string, string][] = [['nbns', '']];
  const tree = { label: 'NetBIOS Name Service', proto: 'nbns', start: 0, length: e - o };
  if (e - o < 12) return { proto: 'NBNS', info: '', fields, tree, malformed: true };
  const flags = u16(b, o + 2);
  const opcode = (flags >> 11) & 15;
  const response = (flags & 0x8000) !== 0;
  const rcode = flags & 15;
  fields.push(['nbns.id', `${u16(b, o)}`], ['nbns.flags.opcode', `${opcode}`]);
  let info = (OPCODES[opcode] ?? 'Unknown operation') + (response ? ' response' : '');
  if (response && rcode) info += `, ${RCODES[rcode] ?? 'Unknown error'}`;
  let p = o + 12;
  const bad = (): Pdu => ({ proto: 'NBNS', info, fields, tree, malformed: true });
  for (let q = u16(b, o + 4); q > 0; q--) {
    const nm = readName(b, o, p, e);
    if (!nm || nm[1] + 4 > e) return bad();
    const type = u16(b, nm[1]);
    fields.push(['nbns.name', nm[0]]);
    info += ` ${TYPES[type] ?? 'Unknown'} ${nm[0]}`;
    p = nm[1] + 4;
  }
  for (let a = u16(b, o + 6); a > 0; a--) {
    const nm = readName(b, o, p, e);
    if (!nm || nm[1] + 10 > e) return bad();
    const type = u16(b, nm[1]);
    const len = u16(b, nm[1] + 8);
    const d = nm[1] + 10;
    if (d + len > e) return bad();
    // NB: flags and the first address; NBSTAT: the names (18 bytes each) and 46 bytes of statistics.
    // (black-box: an NB record too short shows no type, an NBSTAT one its type).
    if (type === 32 && len < 6) return bad();
    info += ` ${TYPES[type] ?? 'Unknown'}`;
    if (type === 33 && (len < 1 || len < 1 + 18 * b[d] + 46)) return bad();
    if (type === 32) info += ` ${ipv4(b, d + 2)}`;
    p = d + len;
  }
  return { proto: 'NBNS', info, fields, tree };
}

const FIELDS: AppFieldMeta[] = [
  ['nbns', 'protocol', 0, 'NetBIOS Name Service'],
  ['nbns.id', 'uint', 16, 'Transaction ID'],
  ['nbns.flags.opcode', 'uint', 16, 'Opcode'],
  ['nbns.name', 'string', 0, 'Name'],
];

export const NBNS: AppDissector = { name: 'nbns', fields: FIELDS, udpPorts: [137], udp: datagram };

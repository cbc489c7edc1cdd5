/**
 * DNS (RFC 1035 and friends) over UDP port 53 and over TCP port 53 (a 2-byte length before each
 * message). Info as tshark writes it: "<opcode>[ response] 0x<id>[ <rcode>]" then every question
 * ("<TYPE> <name>") and every answer, authority and additional record ("<TYPE>[ <data>]").
 * Names are read loop-safe: a compression pointer may only point backwards, and a name longer
 * than 255 bytes is "<Name too long>"; a message cut short is "[Malformed Packet]".
 */
import type { DetailNode } from '../model/types';
import { ipv4, ipv6 } from '../fields/format';
import type { AppDissector, AppExpert, AppFieldMeta, DirState, Pdu, Slice, TcpContext } from './types';
import { bytesHex } from '../fields/tree/bits';
import { connState } from './lines';

const TYPES: Record<number, string> = {
  0: 'Unused', 1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR',
  13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR',
  24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA',
  35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 56: 'NINFO',
  57: 'RKEY', 58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF',
  100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID', 105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48', 109: 'EUI64',
  249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA', 258: 'AVC',
  259: 'DOA', 260: 'AMTRELAY', 32768: 'TA', 32769: 'DLV',
};
const typeName = (t: number) => TYPES[t] ?? `Unknown (${t})`;
const OPCODES: Record<number, string> = { 0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update', 6: 'DNS Stateful operations (DSO)' };
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Format error', 2: 'Server failure', 3: 'No such name', 4: 'Not implemented', 5: 'Refused', 6: 'Name exists',
  7: 'RRset exists', 8: 'RRset does not exist', 9: 'Not authoritative', 10: 'Name out of zone', 11: 'DSO-Type not implemented',
};
const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

class Cut extends Error {}

/** A domain name at `o` in the message [base, end): its text and the end of its in-place bytes. */
function readName(b: Uint8Array, base: number, end: number, o: number): { name: string; next: number; len: number } {
  let name = '';
  let next = -1;
  let p = o;
  let total = 0;
  let hops = 0;
  let tooLong = false;
  for (;;) {
    if (p >= end) throw new Cut();
    const l = b[p];
    if ((l & 0xc0) === 0xc0) {
      if (p + 1 >= end) throw new Cut();
      const target = base + (((l & 0x3f) << 8) | b[p + 1]);
      if (next < 0) next = p + 2;
      // Only backwards, and a bounded number of hops: a loop cannot hang us.
      if (target >= p || ++hops > 128) {
        tooLong = true;
        break;
      }
      p = target;
      continue;
    }
    if (l & 0xc0) {
      // Extended label types (0x40/0x80): not decoded.
      if (next < 0) next = p + 1;
      name += name ? '.<Unknown extended label>' : '<Unknown extended label>';
      break;
    }
    if (l === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if (p + 1 + l > end) throw new Cut();
    total += l + 1;
    if (total > 255) {
      tooLong = true;
      // The in-place name still has to end somewhere to go on.
      if (next < 0) next = skipName(b, p, end);
      break;
    }
    let label = '';
    for (let i = p + 1; i <= p + l; i++) {
      const ch = b[i];
      // A well-formed UTF-8 sequence is shown as its character (tshark 4.0.17, LLMNR names); other bytes in octal.
      const u = ch >= 0xc2 ? utf8At(b, i, p + l + 1) : undefined;
      if (u) {
        label += String.fromCodePoint(u[0]);
        i += u[1] - 1;
        continue;
      }
      label += ch === 0x2e ? '\\.' : ch >= 0x20 && ch < 0x7f ? String.fromCharCode(ch) : `\\${ch.toString(8).padStart(3, '0')}`;
    }
    name += name ? '.' + label : label;
    p += 1 + l;
  }
  if (tooLong) return { name: '<Name too long>', next, len: 0 };
  return { name: name || '<Root>', next, len: total + 1 };
}

function skipName(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const l = b[p];
    if ((l & 0xc0) === 0xc0) return p + 2;
    if (l === 0) return p + 1;
    p += 1 + (l & 0x3f);
  }
  throw new Cut();
}

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** The message at [s.off, s.end); `lenPrefix` over TCP (the 2-byte length is part of the PDU). */
/** The UTF-8 sequence at `i` (before `end`): [code point, byte count], or undefined when not well-formed. */
function utf8At(b: Uint8Array, i: number, end: number): [number, number] | undefined {
  const c = b[i];
  const n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
  if (c > 0xf4 || i + n > end) return undefined;
  let cp = c & (0xff >> (n + 1));
  for (let k = 1; k < n; k++) {
    if ((b[i + k] & 0xc0) !== 0x80) return undefined;
    cp = (cp << 6) | (b[i + k] & 0x3f);
  }
  if (cp < [0, 0, 0x80, 0x800, 0x10000][n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return [cp, n];
}

export function dissectDns(s: Slice, overTcp: boolean, mdns = false): Pdu {
  const b = s.b;
  const fields: [string, string][] = [['dns', '']];
  const kids: DetailNode[] = [];
  const experts: AppExpert[] = [];
  let malformed = false;
  let info = '';
  const start = s.off;
  let base = s.off;
  const end = s.end;
  const rel = (o: number) => o - start;
  if (overTcp) {
    if (end - base >= 2) {
      fields.push(['dns.length', String(u16(b, base))]);
      kids.push({ label: `Length: ${u16(b, base)}`, field: 'dns.length', start: 0, length: 2 });
    }
    base += 2;
  }
  try {
    if (end - base < 12) throw new Cut();
    const id = u16(b, base);
    const flags = u16(b, base + 2);
    const qr = flags >> 15;
    const opcode = (flags >> 11) & 15;
    const rcode = flags & 15;
    const counts = [u16(b, base + 4), u16(b, base + 6), u16(b, base + 8), u16(b, base + 10)];
    const idHex = '0x' + id.toString(16).padStart(4, '0');
    info = `${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${qr ? ' response' : ''} ${idHex}`;
    if (qr && rcode) info += ` ${RCODES[rcode] ?? `Unknown error (${rcode})`}`;
    fields.push(['dns.id', idHex], ['dns.flags', '0x' + flags.toString(16).padStart(4, '0')], ['dns.flags.response', String(qr)], ['dns.flags.opcode', String(opcode)]);
    if (qr) fields.push(['dns.flags.authoritative', String((flags >> 10) & 1)]);
    fields.push(['dns.flags.truncated', String((flags >> 9) & 1)], ['dns.flags.recdesired', String((flags >> 8) & 1)]);
    if (qr) fields.push(['dns.flags.recavail', String((flags >> 7) & 1)]);
    fields.push(['dns.flags.z', String((flags >> 6) & 1)]);
    if (qr) fields.push(['dns.flags.authenticated', String((flags >> 5) & 1)]);
    fields.push(['dns.flags.checkdisable', String((flags >> 4) & 1)]);
    if (qr) fields.push(['dns.flags.rcode', String(rcode)]);
    fields.push(['dns.count.queries', String(counts[0])], ['dns.count.answers', String(counts[1])], ['dns.count.auth_rr', String(counts[2])], ['dns.count.add_rr', String(counts[3])]);
    kids.push({ label: `Transaction ID: ${idHex}`, field: 'dns.id', start: rel(base), length: 2 });
    const flagKids: DetailNode[] = [
      { label: `Response: Message is a ${qr ? 'response' : 'query'}`, field: 'dns.flags.response' },
      { label: `Opcode: ${OPCODES[opcode] ?? 'Unknown'} (${opcode})`, field: 'dns.flags.opcode' },
    ];
    if (qr) flagKids.push({ label: `Reply code: ${RCODES[rcode] ?? 'Unknown error'} (${rcode})`, field: 'dns.flags.rcode' });
    kids.push({ label: `Flags: 0x${flags.toString(16).padStart(4, '0')} ${info.slice(0, info.indexOf(' 0x'))}${qr && rcode ? ', ' + (RCODES[rcode] ?? 'Unknown error') : qr ? ', No error' : ''}`, field: 'dns.flags', start: rel(base + 2), length: 2, children: flagKids });
    kids.push(
      { label: `Questions: ${counts[0]}`, field: 'dns.count.queries', start: rel(base + 4), length: 2 },
      { label: `Answer RRs: ${counts[1]}`, field: 'dns.count.answers', start: rel(base + 6), length: 2 },
      { label: `Authority RRs: ${counts[2]}`, field: 'dns.count.auth_rr', start: rel(base + 8), length: 2 },
      { label: `Additional RRs: ${counts[3]}`, field: 'dns.count.add_rr', start: rel(base + 10), length: 2 },
    );
    let o = base + 12;
    const sections: [string, DetailNode[]][] = [];
    const qs: DetailNode[] = [];
    sections.push(['Queries', qs]);
    try {
      for (let i = 0; i < counts[0]; i++) {
        const q0 = o;
        const n = readName(b, base, end, o);
        o = n.next;
        if (o + 4 > end) throw new Cut();
        const type = u16(b, o);
        const cls = u16(b, o + 2);
        info += ` ${typeName(type)} ${n.name}`;
        // mDNS: the class's top bit asks for a unicast answer.
        if (mdns) info += cls & 0x8000 ? ', "QU" question' : ', "QM" question';
        o += 4;
        fields.push(['dns.qry.name', n.name], ['dns.qry.name.len', String(n.name === '<Root>' ? 0 : n.name.length)], ['dns.qry.type', String(type)], ['dns.qry.class', '0x' + cls.toString(16).padStart(4, '0')]);
        qs.push({
          label: `${n.name}: type ${typeName(type)}, class ${CLASSES[cls & 0x7fff] ?? `Unknown (0x${cls.toString(16).padStart(4, '0')})`}`,
          start: rel(q0),
          length: o - q0,
          children: [
            { label: `Name: ${n.name}`, field: 'dns.qry.name', start: rel(q0), length: n.next - q0 },
            { label: `Type: ${typeName(type)} (${type})`, field: 'dns.qry.type', start: rel(n.next), length: 2 },
            { label: `Class: ${CLASSES[cls & 0x7fff] ?? 'Unknown'} (0x${cls.toString(16).padStart(4, '0')})`, field: 'dns.qry.class', start: rel(n.next + 2), length: 2 },
          ],
        });
      }
      const names = ['Answers', 'Authoritative nameservers', 'Additional records'];
      for (let sec = 0; sec < 3; sec++) {
        const list: DetailNode[] = [];
        if (counts[sec + 1]) sections.push([names[sec], list]);
        for (let i = 0; i < counts[sec + 1]; i++) o = readRr(b, base, end, o, fields, list, rel, (t) => (info += t), mdns);
      }
    } finally {
      for (const [label, list] of sections) if (list.length) kids.push({ label, children: list });
    }
    if (o < end) {
      // Bytes after the last record (tshark 4.0.17: ppa3 dns_axfr frame 6, 2 bytes after an AXFR query over TCP).
      const n = end - o;
      experts.push({ severity: 'note', group: 'Undecoded', protocol: 'DNS', summary: 'Extraneous data' });
      const data = bytesHex(b, o, n);
      fields.push(['dns.extraneous', ''], ['dns.extraneous.data', data], ['dns.extraneous.length', String(n)]);
      // tshark -V shows no expert line here (the item is counted all the same).
      kids.push({ label: `Extraneous Data (${n} byte${n === 1 ? '' : 's'})`, field: 'dns.extraneous', start: rel(o), length: n, children: [
        { label: `Extraneous Data Bytes: ${data}`, field: 'dns.extraneous.data', start: rel(o), length: n },
        { label: `[Extraneous Data Length: ${n}]`, field: 'dns.extraneous.length' },
      ] });
    }
  } catch (e) {
    if (!(e instanceof Cut)) throw e;
    malformed = true;
  }
  fields[0][1] = `Domain Name System (${info.includes(' response ') ? 'response' : 'query'})`;
  return { proto: 'DNS', info, fields, tree: { label: 'Domain Name System (' + (info.includes(' response ') ? 'response' : 'query') + ')', start: 0, length: end - start, children: kids }, malformed, experts };
}

function readRr(b: Uint8Array, base: number, end: number, o: number, fields: [string, string][], list: DetailNode[], rel: (o: number) => number, infoAdd: (t: string) => void, mdns = false): number {
  const r0 = o;
  const n = readName(b, base, end, o);
  o = n.next;
  // tshark names the record in Info once its fixed part is whole (even if its data is cut).
  if (o + 10 > end) throw new Cut();
  const type = u16(b, o);
  const cls = u16(b, o + 2);
  const ttl = u32(b, o + 4);
  const rdlen = u16(b, o + 8);
  const d = o + 10;
  let text = ` ${typeName(type)}`;
  // mDNS: the class's top bit says the record replaces the cached ones.
  if (mdns && type !== 41 && cls & 0x8000) text += ', cache flush';
  if (d + rdlen > end) {
    infoAdd(text);
    throw new Cut();
  }
  fields.push(['dns.resp.name', n.name], ['dns.resp.type', String(type)]);
  if (type !== 41) fields.push(['dns.resp.class', '0x' + cls.toString(16).padStart(4, '0')], ['dns.resp.ttl', String(ttl)]);
  fields.push(['dns.resp.len', String(rdlen)]);
  let data = '';
  const nameAt = (p: number) => readName(b, base, end, p).name;
  switch (type) {
    case 1:
      if (rdlen >= 4) {
        data = ipv4(b, d);
        fields.push(['dns.a', data]);
      }
      break;
    case 28:
      if (rdlen >= 16) {
        data = ipv6(b, d);
        fields.push(['dns.aaaa', data]);
      }
      break;
    case 15:
      if (rdlen >= 3) {
        data = `${u16(b, d)} ${nameAt(d + 2)}`;
        fields.push(['dns.mx.preference', String(u16(b, d))], ['dns.mx.mail_exchange', nameAt(d + 2)]);
      }
      break;
    case 33:
      if (rdlen >= 7) {
        data = `${u16(b, d)} ${u16(b, d + 2)} ${u16(b, d + 4)} ${nameAt(d + 6)}`;
        fields.push(['dns.srv.priority', String(u16(b, d))], ['dns.srv.weight', String(u16(b, d + 2))], ['dns.srv.port', String(u16(b, d + 4))], ['dns.srv.target', nameAt(d + 6)]);
      }
      break;
    default: {
      const named = NAME_RRS[type];
      if (named) {
        data = nameAt(d);
        if (named.field) fields.push([named.field, data]);
      }
      break;
    }
  }
  if (data) text += ' ' + data;
  infoAdd(text);
  const clsText = type === 41 ? `UDP payload size ${cls}` : `class ${CLASSES[cls & 0x7fff] ?? `Unknown (0x${cls.toString(16).padStart(4, '0')})`}`;
  list.push({
    label: `${n.name}: type ${typeName(type)}, ${clsText}${data ? ', ' + dataLabel(type, data) : ''}`,
    start: rel(r0),
    length: d + rdlen - r0,
    children: [
      { label: `Name: ${n.name}`, field: 'dns.resp.name', start: rel(r0), length: n.next - r0 },
      { label: `Type: ${typeName(type)} (${type})`, field: 'dns.resp.type', start: rel(n.next), length: 2 },
      type === 41 ? { label: `UDP payload size: ${cls}`, start: rel(n.next + 2), length: 2 } : { label: `Class: ${CLASSES[cls & 0x7fff] ?? 'Unknown'} (0x${cls.toString(16).padStart(4, '0')})`, field: 'dns.resp.class', start: rel(n.next + 2), length: 2 },
      type === 41 ? { label: `Higher bits in extended RCODE: 0x${(ttl >>> 24).toString(16).padStart(2, '0')}`, start: rel(n.next + 4), length: 1 } : { label: `Time to live: ${ttl} (${ttlText(ttl)})`, field: 'dns.resp.ttl', start: rel(n.next + 4), length: 4 },
      { label: `Data length: ${rdlen}`, field: 'dns.resp.len', start: rel(n.next + 8), length: 2 },
      ...(data ? [{ label: dataLabel(type, data), start: rel(d), length: rdlen }] : []),
    ],
  });
  return d + rdlen;
}

/** Records whose data is one domain name: the field it sets and the word the tree puts before it. */
const NAME_RRS: Record<number, { field?: string; label?: string }> = {
  2: { field: 'dns.ns', label: 'ns' },
  5: { field: 'dns.cname', label: 'cname' },
  6: { field: 'dns.soa.mname', label: 'mname' },
  12: { field: 'dns.ptr.domain_name', label: 'ptr' },
  39: {}, // DNAME: shown in Info, no field
};

function dataLabel(type: number, data: string): string {
  switch (type) {
    case 1:
    case 28:
      return `addr ${data}`;
    case 15:
      return `preference ${data.split(' ')[0]}, mx ${data.split(' ')[1]}`;
    default: {
      const label = NAME_RRS[type]?.label;
      return label ? `${label} ${data}` : data;
    }
  }
}

function ttlText(s: number): string {
  if (s === 0) return '0 seconds';
  const parts: string[] = [];
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  for (const [u, name] of units) {
    const v = Math.floor(s / u);
    s -= v * u;
    if (v) parts.push(`${v} ${name}${v === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** The fields this dissector sets, as tshark -G fields lists them: name, type, bits, description. */
const FIELDS: AppFieldMeta[] = [
  ['dns', 'protocol', 0, 'Domain Name System'],
  ['dns.a', 'ipv4', 0, 'Address'],
  ['dns.aaaa', 'ipv6', 0, 'AAAA Address'],
  ['dns.cname', 'string', 0, 'CNAME'],
  ['dns.count.add_rr', 'uint', 16, 'Additional RRs'],
  ['dns.count.answers', 'uint', 16, 'Answer RRs'],
  ['dns.count.auth_rr', 'uint', 16, 'Authority RRs'],
  ['dns.count.queries', 'uint', 16, 'Questions'],
  ['dns.extraneous', 'none', 0, 'Extraneous data'],
  ['dns.extraneous.data', 'bytes', 0, 'Extraneous Data Bytes'],
  ['dns.extraneous.length', 'int', 32, 'Extraneous Data Length'],
  ['dns.flags', 'uint', 16, 'Flags'],
  ['dns.flags.authenticated', 'boolean', 0, 'Answer authenticated'],
  ['dns.flags.authoritative', 'boolean', 0, 'Authoritative'],
  ['dns.flags.checkdisable', 'boolean', 0, 'Non-authenticated data'],
  ['dns.flags.opcode', 'uint', 16, 'Opcode'],
  ['dns.flags.rcode', 'uint', 16, 'Reply code'],
  ['dns.flags.recavail', 'boolean', 0, 'Recursion available'],
  ['dns.flags.recdesired', 'boolean', 0, 'Recursion desired'],
  ['dns.flags.response', 'boolean', 0, 'Response'],
  ['dns.flags.truncated', 'boolean', 0, 'Truncated'],
  ['dns.flags.z', 'boolean', 0, 'Z'],
  ['dns.id', 'uint', 16, 'Transaction ID'],
  ['dns.length', 'uint', 16, 'Length'],
  ['dns.mx.mail_exchange', 'string', 0, 'Mail Exchange'],
  ['dns.mx.preference', 'uint', 16, 'Preference'],
  ['dns.ns', 'string', 0, 'Name Server'],
  ['dns.ptr.domain_name', 'string', 0, 'Domain Name'],
  ['dns.qry.class', 'uint', 16, 'Class'],
  ['dns.qry.name', 'string', 0, 'Name'],
  ['dns.qry.name.len', 'uint', 16, 'Name Length'],
  ['dns.qry.type', 'uint', 16, 'Type'],
  ['dns.resp.class', 'uint', 16, 'Class'],
  ['dns.resp.len', 'uint', 16, 'Data length'],
  ['dns.resp.name', 'string', 0, 'Name'],
  ['dns.resp.ttl', 'uint', 32, 'Time to live'],
  ['dns.resp.type', 'uint', 16, 'Type'],
  ['dns.soa.mname', 'string', 0, 'Primary name server'],
  ['dns.srv.port', 'uint', 16, 'Port'],
  ['dns.srv.priority', 'uint', 16, 'Priority'],
  ['dns.srv.target', 'string', 0, 'Target'],
  ['dns.srv.weight', 'uint', 16, 'Weight'],
  ['dns.response_in', 'framenum', 0, 'Response In'],
  ['dns.response_to', 'framenum', 0, 'Request In'],
  ['dns.time', 'reltime', 0, 'Time'],
];

/** The query/response link tshark adds: "[Response In: N]" on the query, "[Request In: N]" and "[Time: …]" on the response. */
export function linkDns(pdu: Pdu, responseIn: number, requestIn: number, seconds: number): void {
  const kids = (pdu.tree.children ??= []);
  if (responseIn) {
    pdu.fields.push(['dns.response_in', String(responseIn)]);
    kids.push({ label: `[Response In: ${responseIn}]`, field: 'dns.response_in', link: responseIn });
  }
  if (requestIn) {
    const t = seconds.toFixed(9);
    pdu.fields.push(['dns.response_to', String(requestIn)], ['dns.time', t]);
    kids.push({ label: `[Request In: ${requestIn}]`, field: 'dns.response_to', link: requestIn }, { label: `[Time: ${t} seconds]`, field: 'dns.time' });
  }
}

interface DnsConn extends DirState {
  /** Queries waiting for their response, by transaction ID. */
  queries?: Map<number, { pdu: Pdu; frame: number; time: number; answered?: boolean }>;
}

/** DNS over TCP: a message, linked to its query or response within the conversation. */
function tcpMessage(s: Slice, ctx: TcpContext): Pdu {
  const pdu = dissectDns(s, true);
  if (s.end - s.off < 6) return pdu;
  const id = u16(s.b, s.off + 2);
  const c = connState<DnsConn>(ctx, 'dns');
  const q = (c.queries ??= new Map());
  if (!(s.b[s.off + 4] & 0x80)) q.set(id, { pdu, frame: ctx.frame, time: ctx.time });
  else {
    const r = q.get(id);
    if (r && !r.answered) {
      r.answered = true;
      linkDns(r.pdu, ctx.frame, 0, 0);
      linkDns(pdu, 0, r.frame, ctx.time - r.time);
    }
  }
  return pdu;
}

export const DNS: AppDissector = {
  name: 'dns',
  fields: FIELDS,
  tcpPorts: [53],
  tcpPduSize: true,
  // mDNS and LLMNR are DNS messages under their own names (tshark's Protocol column).
  udpPorts: [53, 5353, 5355],
  udp: (s, ctx) => {
    const port = (p: number) => ctx.srcPort === p || ctx.dstPort === p;
    const pdu = dissectDns(s, false, !port(53) && port(5353));
    if (!port(53)) {
      if (port(5353)) pdu.proto = 'MDNS';
      else if (port(5355)) pdu.proto = 'LLMNR';
    }
    return pdu;
  },
  udpLink: linkDns,
  udpLinkFields: ['dns.response_in', 'dns.response_to', 'dns.time'],
  tcpLength: (s) => (s.end - s.off < 2 ? { more: 2 - (s.end - s.off) } : { len: 2 + u16(s.b, s.off) }),
  tcpPdu: tcpMessage,
};

/**
 * Literal values of display filters, converted for the type of the field they meet (tshark 4.0
 * converts an unquoted word by the other side's type): integers in any base, booleans,
 * floats and times, IPv4/IPv6 with CIDR prefixes, MAC addresses, byte strings, strings.
 * Messages are tshark's.
 */
import type { FieldDef, FieldType } from '../fields/registry';
import { FilterError } from './parser';

/** A runtime value: numbers (integers, booleans, times, IPv4), strings, byte sequences (bytes, MAC, IPv6, protocols, slices). */
export type Val = number | string | Uint8Array;
/** How a type's values are held at run time. */
export type Rep = 'num' | 'str' | 'bytes';

export function repOf(t: FieldType): Rep {
  switch (t) {
    case 'string':
    case 'abstime': // a fixed-width key of the nanoseconds since the epoch (absTimeKey): exact, ordered
      return 'str';
    case 'bytes':
    case 'ether':
    case 'ipv6':
    case 'protocol':
      return 'bytes';
    default:
      return 'num';
  }
}

/** A converted literal; `prefix` is a CIDR prefix length (IPv4: of 32, IPv6: of 128). */
export interface Lit {
  v: Val;
  prefix?: number;
}

export function typeName(f: FieldDef): string {
  const bytes = (f.bits ?? 32) / 8;
  switch (f.type) {
    case 'none':
      return 'Label';
    case 'protocol':
      return 'Protocol';
    case 'boolean':
      return 'Boolean';
    case 'uint':
      return `Unsigned integer (${bytes} byte${bytes > 1 ? 's' : ''})`;
    case 'int':
      return `Signed integer (${bytes} byte${bytes > 1 ? 's' : ''})`;
    case 'double':
      return 'Floating point (double-precision)';
    case 'reltime':
      return 'Time offset';
    case 'abstime':
      return 'Date and time';
    case 'string':
      return 'Character string';
    case 'bytes':
      return 'Byte sequence';
    case 'ether':
      return 'Ethernet or other MAC address';
    case 'ipv4':
      return 'IPv4 address';
    case 'ipv6':
      return 'IPv6 address';
    case 'framenum':
      return 'Frame number';
  }
}

const utf8 = new TextEncoder();
export const toBytes = (s: string): Uint8Array => utf8.encode(s);

/** An integer literal: decimal, 0x hex, 0b binary, leading-0 octal; undefined when not one. */
export function parseInteger(text: string): number | undefined {
  let neg = false;
  let t = text;
  if (t.startsWith('-')) {
    neg = true;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t.slice(1), 8);
  else if (/^[0-9]+$/.test(t)) v = parseInt(t, 10);
  else return undefined;
  return neg ? -v : v;
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const p = [m[1], m[2], m[3], m[4]].map(Number);
  if (p.some((x) => x > 255)) return undefined;
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

export function parseIpv6(text: string): Uint8Array | undefined {
  let t = text;
  const out = new Uint8Array(16);
  // An embedded IPv4 tail (::ffff:1.2.3.4)
  let tail: number | undefined;
  const m4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (m4) {
    tail = parseIpv4(m4[2]);
    if (tail === undefined) return undefined;
    t = m4[1] + '0:0';
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    const out: number[] = [];
    for (const x of g) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return undefined;
      out.push(parseInt(x, 16));
    }
    return out;
  };
  const a = groups(halves[0]);
  const b = halves.length === 2 ? groups(halves[1]) : [];
  if (!a || !b) return undefined;
  if (halves.length === 1 ? a.length !== 8 : a.length + b.length > 7) return undefined;
  const all = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tail !== undefined) {
    out[12] = tail >>> 24;
    out[13] = (tail >> 16) & 0xff;
    out[14] = (tail >> 8) & 0xff;
    out[15] = tail & 0xff;
  }
  return out;
}

/** MAC address: 6 bytes with ':', '-' or '.' separators (or Cisco's aabb.ccdd.eeff); 'short' = valid bytes but fewer than 6. */
export function parseEther(text: string): Uint8Array | 'short' | undefined {
  let parts: string[];
  if (/^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/.test(text)) parts = text.replace(/\./g, '').match(/../g)!;
  else parts = text.split(/[:.-]/);
  if (parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  if (parts.length < 6) return 'short';
  if (parts.length > 6) return undefined;
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/**
 * Byte string, as tshark 4.0.17 reads one: hex bytes separated by ':', '-' or '.' (one or two digits
 * each), a run of hex digits (odd length: a leading 0 is implied, so "8" is 08 and "0800" is 08 00),
 * or 0x with exactly two digits (one byte; "0x0800" is refused).
 */
export function parseByteString(text: string): Uint8Array | undefined {
  if (/^0[xX][0-9a-fA-F]{2}$/.test(text)) return Uint8Array.of(parseInt(text.slice(2), 16));
  if (/^[0-9a-fA-F]+$/.test(text)) {
    const h = text.length % 2 ? '0' + text : text;
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
    return out;
  }
  if (!/^[0-9a-fA-F]{1,2}([:.-][0-9a-fA-F]{1,2})+$/.test(text)) return undefined;
  return Uint8Array.from(text.split(/[:.-]/).map((p) => parseInt(p, 16)));
}

export interface LitSource {
  /** The literal's text: unquoted word, or a quoted string's value. */
  text: string;
  quoted: boolean;
  /** A character constant 'a'. */
  char?: boolean;
  s: number;
  e: number;
}

/** Convert a literal for a field of type `f.type` (the field gives names for messages). */
export function convertLiteral(src: LitSource, f: FieldDef): Lit {
  const { text, quoted, s, e } = src;
  const fail = (m: string): never => {
    throw new FilterError(m, s, e);
  };
  switch (f.type) {
    case 'none':
      return fail(`${f.name} (type=Label) cannot be compared with a value.`);
    case 'boolean': {
      if (!quoted) {
        if (text === 'True' || text === 'TRUE') return { v: 1 };
        if (text === 'False' || text === 'FALSE') return { v: 0 };
        const n = parseInteger(text);
        if (n !== undefined) return { v: n !== 0 ? 1 : 0 };
      }
      return fail(`"${text}" cannot be found among the possible values for ${f.name}.`);
    }
    case 'uint':
    case 'int':
    case 'framenum': {
      let n: number | undefined;
      if (src.char) n = text.codePointAt(0);
      else if (!quoted) n = parseInteger(text);
      if (n === undefined) {
        if (quoted) return fail(`"${text}" cannot be found among the possible values for ${f.name}.`);
        return fail(`"${text}" is not a valid number.`);
      }
      const bits = f.type === 'framenum' ? 32 : (f.bits ?? 32);
      if (f.type === 'int') {
        const max = 2 ** (bits - 1) - 1;
        if (n > max) fail(`"${text}" too big for this field, maximum ${max}.`);
        if (n < -max - 1) fail(`"${text}" too small for this field, minimum ${-max - 1}.`);
      } else {
        const max = 2 ** bits - 1;
        if (n > max) fail(`"${text}" too big for this field, maximum ${max}.`);
        if (n < 0) fail(`"${text}" too small for this field, minimum 0.`);
      }
      return { v: n };
    }
    case 'abstime': {
      const k = quoted ? parseAbsTime(text) : undefined;
      if (k === undefined)
        return fail(`"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`);
      return { v: k };
    }
    case 'double':
    case 'reltime': {
      if (!quoted && /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)$/.test(text)) return { v: parseFloat(text) };
      if (!quoted && /^[-+]?0[xX][0-9a-fA-F]+$/.test(text)) return { v: parseInteger(text)! };
      return fail(f.type === 'double' ? `"${text}" is not a valid number.` : `"${text}" is not a valid time.`);
    }
    case 'ipv4': {
      if (quoted) return fail(`IPv4 address cannot be converted from a string ("${text}").`);
      const m = /^([^/]+)(?:\/(\d+))?$/.exec(text);
      const a = m ? parseIpv4(m[1]) : undefined;
      if (a === undefined || !m) return fail(`"${text}" is not a valid hostname or IPv4 address.`);
      if (m[2] !== undefined) {
        const bits = Number(m[2]);
        if (bits > 32) fail(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`);
        return { v: a, prefix: bits };
      }
      return { v: a };
    }
    case 'ipv6': {
      if (quoted) return fail(`IPv6 address cannot be converted from a string ("${text}").`);
      const m = /^([^/]+)(?:\/(\d+))?$/.exec(text);
      const a = m ? parseIpv6(m[1]) : undefined;
      if (a === undefined || !m) return fail(`"${text}" is not a valid hostname or IPv6 address.`);
      if (m[2] !== undefined) {
        const bits = Number(m[2]);
        if (bits > 128) fail(`Prefix in a IPv6 address should be <= 128, not ${bits}`);
        return { v: a, prefix: bits };
      }
      return { v: a };
    }
    case 'ether': {
      if (quoted) return fail(`"${text}" is not a valid Ethernet address.`);
      const a = parseEther(text);
      if (a === 'short') return fail(`"${text}" contains too few bytes to be a valid Ethernet address.`);
      if (!a) return fail(`"${text}" is not a valid Ethernet address.`);
      return { v: a };
    }
    case 'bytes':
    case 'protocol': {
      if (quoted) return { v: toBytes(text) };
      if (src.char) return { v: Uint8Array.of(text.charCodeAt(0) & 0xff) };
      const b = parseByteString(text);
      if (!b) return fail(`"${text}" is not a valid byte string.`);
      return { v: b };
    }
    case 'string':
      return { v: text };
  }
}

/** The comparison key of an absolute time: nanoseconds since the epoch, as 22 zero-padded digits. */
export function absTimeKey(sec: number, nsec: number): string {
  const t = BigInt(sec) * 1_000_000_000n + BigInt(nsec | 0);
  return t < 0n ? '-' + (-t).toString().padStart(21, '0') : t.toString().padStart(22, '0');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * tshark's absolute-time literals (UTC here, as tshark shows times in the host's zone):
 * "Nov 12, 1999 08:55:44.123" (optionally " UTC") and "2011-07-04 12:34:56[.frac]" (T or space, optional Z).
 */
export function parseAbsTime(text: string): string | undefined {
  let m = /^([A-Za-z]{3}) +(\d{1,2}), *(\d{4}) +(\d{1,2}):(\d{2}):(\d{2})(\.\d{1,9})?( UTC)?$/.exec(text.trim());
  let y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: string | undefined;
  if (m) {
    mo = MONTHS.indexOf(m[1].toLowerCase());
    if (mo < 0) return undefined;
    [d, y, h, mi, sec] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
    frac = m[7];
  } else {
    m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z?$/.exec(text.trim());
    if (!m) return undefined;
    [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
    mo -= 1;
    frac = m[7];
  }
  if (mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
  const ms = Date.UTC(y, mo, d, h, mi, sec);
  const ns = frac ? Number(frac.slice(1).padEnd(9, '0')) : 0;
  return absTimeKey(ms / 1000, ns);
}

/**
 * Test helpers: build frames byte by byte from hex and decode them. Only imported by tests.
 */
import { Decoder } from './decoder';
import { Packet } from './packet';

/** Bytes from hex text; spaces, newlines and `|` separators are ignored. */
export function hex(s: string): Uint8Array {
  const t = s.replace(/[\s|]+/g, '');
  if (t.length % 2) throw new Error(`odd hex length: ${s}`);
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const h2 = (n: number) => n.toString(16).padStart(4, '0');

/** TCP header (20 bytes + options hex): ports, seq, ack, flags, window. */
export function tcpHex(sport: number, dport: number, opts = '', flags = 0x18, seq = 1000, ack = 2000, win = 512): string {
  const hl = (20 + opts.replace(/\s+/g, '').length / 2) / 4;
  return `${h2(sport)}${h2(dport)}${seq.toString(16).padStart(8, '0')}${ack.toString(16).padStart(8, '0')}` +
    `${((hl << 12) | flags).toString(16).padStart(4, '0')}${h2(win)}00000000${opts}`;
}

/** IPv4 header (no options) around `payload` hex, protocol `proto`, total length from the payload. */
export function ipv4Hex(src: string, dst: string, proto: number, payload: string, frag = 0): string {
  const len = 20 + payload.replace(/\s+/g, '').length / 2;
  return `4500${h2(len)}0001${h2(frag)}40${proto.toString(16).padStart(2, '0')}0000${src}${dst}${payload}`;
}

/** IPv6 header around `payload` hex. */
export function ipv6Hex(src: string, dst: string, next: number, payload: string): string {
  const len = payload.replace(/\s+/g, '').length / 2;
  return `60000000${h2(len)}${next.toString(16).padStart(2, '0')}40${src}${dst}${payload}`;
}

export const ETH = '000000000002 000000000001';
export const A4 = '0a000001';
export const B4 = '0a000002';
export const A6 = '20010db8000000000000000000000001';
export const B6 = '20010db8000000000000000000000002';

/** Decode one frame of `linkType`; `origLen` defaults to the captured length. */
export function decodeHex(linkType: number, frame: string, origLen?: number): Packet {
  const b = hex(frame);
  const p = new Packet();
  new Decoder().decode(p, b, 0, b.length, origLen ?? b.length, linkType, 1);
  return p;
}

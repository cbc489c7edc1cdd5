/**
 * Where a frame's Source and Destination columns come from (Wireshark: the innermost network
 * layer, …): one definition, for the packet list's text (summary.ts addresses) and for the bytes
 * the load keeps of the frames outside TCP conversations (stats/net-record.ts: the sort's keys
 * without decoding them again). A light module: the load imports it.
 *
 * Each column is the last address a layer managed to set: an IP header cut by the capture inside
 * its destination address sets the Source only, the Destination stays the Ethernet one (tshark
 * 4.0.17, tcpdump-tests ipv4_invalid_length: 140.211.9.206 → c0:d6:82:36:03:2b).
 */
import type { Packet } from '../decode/packet';
import { ipv4, ipv6 } from './format';
import { mac } from './tree/bits';

/** Kinds of one address: none, Ethernet (6 bytes), IPv4 (4), IPv6 (16). */
export const ADDR_NONE = 0;
export const ADDR_MAC = 1;
export const ADDR_IP4 = 4;
export const ADDR_IP6 = 6;

const SIZE = [0, 6, 0, 0, 4, 0, 16];

/**
 * The Source and Destination columns of a frame as bytes: `kind` = source kind | destination
 * kind << 3, and the source's bytes then the destination's at b[o…) (the frame's own bytes when
 * they lie so: IPv4 and IPv6 headers; else a copy).
 */
export interface AddressRef {
  kind: number;
  b: Uint8Array;
  o: number;
}

/** Bytes of an address pair of kind `kind` (AddressRef.kind). */
export const addressBytes = (kind: number): number => SIZE[kind & 7] + SIZE[kind >> 3];

/** A pair of kind (s, d) from the bytes of each: copied together. */
function pair(out: AddressRef, s: number, sb: ArrayLike<number>, so: number, d: number, db: ArrayLike<number>, dO: number): AddressRef {
  const b = new Uint8Array(SIZE[s] + SIZE[d]);
  for (let i = 0; i < SIZE[s]; i++) b[i] = sb[so + i];
  for (let i = 0; i < SIZE[d]; i++) b[SIZE[s] + i] = db[dO + i];
  out.kind = s | (d << 3);
  out.b = b;
  out.o = 0;
  return out;
}

/** An address kept as words (Packet.src/dst), big-endian. */
function words(w: ArrayLike<number>, k: number): Uint8Array {
  const b = new Uint8Array(4 * k);
  for (let i = 0; i < k; i++) {
    b[4 * i] = w[i] >>> 24;
    b[4 * i + 1] = (w[i] >>> 16) & 255;
    b[4 * i + 2] = (w[i] >>> 8) & 255;
    b[4 * i + 3] = w[i] & 255;
  }
  return b;
}

/**
 * The bytes of the Source/Destination columns of the frame decoded in `p`, whose captured bytes
 * end at buf[end] (reads stop there).
 */
export function addressRef(p: Packet, buf: Uint8Array, end: number, out: AddressRef = { kind: ADDR_NONE, b: buf, o: 0 }): AddressRef {
  out.b = buf;
  out.o = 0;
  out.kind = ADDR_NONE;
  const fromWords = () => {
    const k = p.family === 4 ? ADDR_IP4 : ADDR_IP6;
    return pair(out, k, words(p.src, SIZE[k] / 4), 0, k, words(p.dst, SIZE[k] / 4), 0);
  };
  if (p.hasTcp && p.tcpFrameOff >= 0 && !p.tcpQuoted) return fromWords();
  // The Ethernet addresses (the last Ethernet header): the columns of a frame without a network layer (ARP, LLC, …).
  let eth = -1;
  for (let i = p.layerCount - 1; i >= 0 && eth < 0; i--) if (p.layerNames[i] === 'eth' && p.layerEnds[i] - p.layerOffs[i] >= 14) eth = i;
  const ip = (k: number, a: number): AddressRef | undefined => {
    const n = SIZE[k];
    if (a + 2 * n <= end) {
      out.kind = k | (k << 3);
      out.o = a;
      return out;
    }
    // Cut inside the destination: the Source is the IP one, the Destination the Ethernet one.
    if (a + n > end) return undefined;
    return eth < 0 ? pair(out, k, buf, a, ADDR_NONE, buf, 0) : pair(out, k, buf, a, ADDR_MAC, p.layerBufs[eth], p.layerOffs[eth]);
  };
  const r = (p.ip4Off >= 0 ? ip(ADDR_IP4, p.ip4Off + 12) : undefined) ?? (p.ip4Off < 0 && p.ip6Off >= 0 ? ip(ADDR_IP6, p.ip6Off + 8) : undefined);
  if (r) return r;
  if (p.ip4Off < 0 && p.ip6Off < 0) {
    // An IPv6 header that exists only rebuilt (6LoWPAN header compression), not in the frame.
    if (p.ip6Count > 0 && p.ip6Lens[0] >= 40) {
      out.kind = ADDR_IP6 | (ADDR_IP6 << 3);
      out.b = p.ip6Bufs[0];
      out.o = p.ip6Offs[0] + 8;
      return out;
    }
    if (p.hasTcp) return fromWords();
  }
  if (eth >= 0) return pair(out, ADDR_MAC, p.layerBufs[eth], p.layerOffs[eth] + 6, ADDR_MAC, p.layerBufs[eth], p.layerOffs[eth]);
  return out;
}

function one(kind: number, b: Uint8Array, o: number): string {
  return kind === ADDR_IP4 ? ipv4(b, o) : kind === ADDR_IP6 ? ipv6(b, o) : kind === ADDR_MAC ? mac(b, o) : '';
}

/** The text of the Source (or Destination) column from an address pair's bytes. */
export function addressText(kind: number, b: Uint8Array, o: number, destination: boolean): string {
  const s = kind & 7;
  return destination ? one(kind >> 3, b, o + SIZE[s]) : one(s, b, o);
}

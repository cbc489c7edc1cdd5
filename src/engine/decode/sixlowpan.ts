/**
 * 6LoWPAN (RFC 4944, RFC 6282) over IEEE 802.15.4, as tshark 4.0 decodes it with default
 * preferences: mesh and broadcast headers are skipped, an uncompressed IPv6 header (dispatch
 * 0x41) is decoded in place, and an IPHC header is expanded into a rebuilt IPv6 header
 * (+ extension headers and UDP header from NHC) followed by the rest of the frame, which the
 * Decoder then reads like a reassembled datagram (the addresses exist only there).
 *
 * Black-box rules (docs/notes/decoding.md): elided interface identifiers come from the link
 * addresses (the mesh header's when present): a 16-bit address gives ::ff:fe00:XXXX (the PAN
 * ID is not used), a 64-bit one its EUI-64 with the U/L bit flipped, a missing one counts as
 * 16-bit 0. Stateless compression uses fe80::/64; no context is configured, so every
 * context-based prefix is zero (SAC with SAM=00 is ::). The payload and UDP lengths come from
 * the bytes on the wire. An IPHC/NHC header cut short, or a reserved address mode, shows no
 * IPv6 header at all; an unknown NHC gives next header 59 with an empty payload.
 * Fragments (FRAG1/FRAG2) are not reassembled: only a FRAG1 that holds the whole datagram
 * is decoded.
 */
import type { Decoder } from './decoder';

/** Interface identifiers derived from the link-layer source and destination addresses. */
const srcIid = new Uint8Array(8);
const dstIid = new Uint8Array(8);

/**
 * Set the interface identifier derived from a link address: `len` 0 (no address), 2 or 8
 * bytes at `b[off]`, stored little-endian (802.15.4 MAC header) or big-endian (mesh header).
 */
function setIid(iid: Uint8Array, b: Uint8Array, off: number, len: number, littleEndian: boolean): void {
  if (len === 8) {
    for (let i = 0; i < 8; i++) iid[i] = b[littleEndian ? off + 7 - i : off + i];
    iid[0] ^= 0x02;
    return;
  }
  iid.fill(0);
  iid[3] = 0xff;
  iid[4] = 0xfe;
  if (len === 2) {
    iid[6] = b[littleEndian ? off + 1 : off];
    iid[7] = b[littleEndian ? off : off + 1];
  }
}

/** Record the 802.15.4 source and destination addresses (little-endian; length 0, 2 or 8). */
export function setLinkAddresses(b: Uint8Array, srcOff: number, srcLen: number, dstOff: number, dstLen: number): void {
  setIid(srcIid, b, srcOff, srcLen, true);
  setIid(dstIid, b, dstOff, dstLen, true);
}

/** Room for the rebuilt headers: nested IPv6 headers, extension headers, a UDP header. */
const MAX_NESTED = 4;
const MAX_NHC = 8;
const hdr = new Uint8Array(MAX_NESTED * (40 + MAX_NHC * 264 + 8));
/** Where the rebuilt headers' payload-length fields are (IPv6 and UDP), patched at the end. */
const ip6At = new Int32Array(MAX_NESTED);
let ip6N = 0;
let udpAt = -1;
/** The next IPv6 payload is empty (an unknown NHC): payload length 0. */
let emptyPayload = false;

const MALFORMED = -1;
const ILLEGAL = -2;
const EXT_NEXT = [0, 43, 44, 60, 135];

/**
 * 6LoWPAN payload in `d.buf[o, end)` (reported end `rend`, FCS excluded); call
 * setLinkAddresses first.
 */
export function sixlowpan(d: Decoder, o: number, end: number, rend: number): void {
  const b = d.buf;
  for (let i = 0; i < 8; i++) {
    if (end - o < 1) return d.note('6LoWPAN', 'Malformed 6LoWPAN packet');
    const disp = b[o];
    if (disp === 0x41) {
      d.p.proto = '6LoWPAN';
      return d.ipv6(o + 1, end, rend);
    }
    if ((disp & 0xe0) === 0x60) return iphcDatagram(d, o, end, rend, -1);
    if (disp === 0x50) {
      // Broadcast header (BC0): a sequence number.
      o += 2;
    } else if ((disp & 0xc0) === 0x80) {
      // Mesh header: hops left (0xf: one more byte), originator and final addresses, which
      // replace the MAC addresses for address derivation.
      const olen = disp & 0x20 ? 2 : 8;
      const flen = disp & 0x10 ? 2 : 8;
      let q = o + 1 + ((disp & 0x0f) === 0x0f ? 1 : 0);
      if (end - q < olen + flen) return d.note('6LoWPAN', 'Malformed 6LoWPAN mesh header');
      setIid(srcIid, b, q, olen, false);
      q += olen;
      setIid(dstIid, b, q, flen, false);
      o = q + flen;
    } else if ((disp & 0xf8) === 0xc0) {
      // FRAG1: datagram size (11 bits), tag; only a fragment carrying the whole datagram is decoded.
      if (end - o < 4) return d.note('6LoWPAN', 'Malformed 6LoWPAN fragment header');
      const size = ((disp & 0x07) << 8) | b[o + 1];
      if (end - (o + 4) < 1 || (b[o + 4] & 0xe0) !== 0x60) return d.note('6LoWPAN', '6LoWPAN fragment');
      return iphcDatagram(d, o + 4, end, rend, size);
    } else if ((disp & 0xf8) === 0xe0) {
      return d.note('6LoWPAN', '6LoWPAN fragment');
    } else {
      return d.note('', 'Data');
    }
  }
  d.note('6LoWPAN', 'Malformed 6LoWPAN packet');
}

/**
 * Expand the IPHC header at `o` and decode the rebuilt datagram. `fragSize` >= 0: the
 * datagram size of the FRAG1 header around it (decoded only if this fragment is all of it).
 */
function iphcDatagram(d: Decoder, o: number, end: number, rend: number, fragSize: number): void {
  const b = d.buf;
  d.p.proto = '6LoWPAN';
  ip6N = 0;
  udpAt = -1;
  emptyPayload = false;
  const r = iphc(b, o, end, 0, 0);
  if (r === ILLEGAL) return d.note('6LoWPAN', 'Illegal 6LoWPAN address mode');
  if (r < 0) return d.note('6LoWPAN', 'Malformed 6LoWPAN IPHC header');
  const q = iphcEnd;
  const len = iphcLen;
  const rest = Math.max(0, end - q);
  const restRep = Math.max(0, rend - q);
  if (fragSize >= 0) {
    if (fragSize < len + rest) return d.note('6LoWPAN', 'Malformed 6LoWPAN fragment');
    if (fragSize > len + rest) return d.note('6LoWPAN', '6LoWPAN fragment');
  }
  for (let i = 0; i < ip6N; i++) {
    const at = ip6At[i];
    const plen = emptyPayload && i === ip6N - 1 ? 0 : Math.min(0xffff, len - (at + 40) + restRep);
    hdr[at + 4] = plen >> 8;
    hdr[at + 5] = plen & 0xff;
  }
  if (udpAt >= 0) {
    const ulen = Math.min(0xffff, len - udpAt + restRep);
    hdr[udpAt + 4] = ulen >> 8;
    hdr[udpAt + 5] = ulen & 0xff;
  }
  const out = new Uint8Array(len + rest);
  out.set(hdr.subarray(0, len));
  out.set(b.subarray(q, q + rest), len);
  const saved = d.buf;
  const savedIn = d.inFrame;
  d.buf = out;
  d.inFrame = false;
  d.ipv6(0, out.length, len + restRep);
  d.buf = saved;
  d.inFrame = savedIn;
}

/** Results of iphc(): the end of the compressed headers in the frame and the rebuilt length. */
let iphcEnd = 0;
let iphcLen = 0;

/**
 * Expand the IPHC header at `b[q]` (and the NHC headers after it) into `hdr[w…]`.
 * Returns 0 and sets iphcEnd/iphcLen, or MALFORMED / ILLEGAL.
 */
function iphc(b: Uint8Array, q: number, end: number, w: number, depth: number): number {
  if (end - q < 2 || depth >= MAX_NESTED) return MALFORMED;
  const b0 = b[q];
  const b1 = b[q + 1];
  q += 2;
  const tf = (b0 >> 3) & 3;
  const sac = (b1 & 0x40) !== 0;
  const sam = (b1 >> 4) & 3;
  const mcast = (b1 & 0x08) !== 0;
  const dac = (b1 & 0x04) !== 0;
  const dam = b1 & 3;
  if (dac && (mcast ? dam !== 0 : dam === 0)) return ILLEGAL;
  if (b1 & 0x80) q++; // context identifiers: no context is configured, every prefix is zero
  let tc = 0;
  let flow = 0;
  if (tf === 0) {
    if (end - q < 4) return MALFORMED;
    tc = ((b[q] & 0x3f) << 2) | (b[q] >> 6);
    flow = ((b[q + 1] & 0x0f) << 16) | (b[q + 2] << 8) | b[q + 3];
    q += 4;
  } else if (tf === 1) {
    if (end - q < 3) return MALFORMED;
    tc = b[q] >> 6;
    flow = ((b[q] & 0x0f) << 16) | (b[q + 1] << 8) | b[q + 2];
    q += 3;
  } else if (tf === 2) {
    if (end - q < 1) return MALFORMED;
    tc = ((b[q] & 0x3f) << 2) | (b[q] >> 6);
    q += 1;
  }
  const nhInline = (b0 & 0x04) === 0;
  let nh = 59;
  if (nhInline) {
    if (end - q < 1) return MALFORMED;
    nh = b[q++];
  }
  let hl = b0 & 3;
  if (hl === 0) {
    if (end - q < 1) return MALFORMED;
    hl = b[q++];
  } else hl = hl === 1 ? 1 : hl === 2 ? 64 : 255;
  const h = w;
  hdr.fill(0, h, h + 40);
  hdr[h] = 0x60 | (tc >> 4);
  hdr[h + 1] = ((tc & 0x0f) << 4) | (flow >> 16);
  hdr[h + 2] = (flow >> 8) & 0xff;
  hdr[h + 3] = flow & 0xff;
  hdr[h + 7] = hl;
  q = unicast(b, q, end, h + 8, sac, sam, srcIid, true);
  if (q < 0) return q;
  q = mcast ? multicast(b, q, end, h + 24, dac, dam) : unicast(b, q, end, h + 24, dac, dam, dstIid, false);
  if (q < 0) return q;
  ip6At[ip6N++] = h;
  w = h + 40;
  if (nhInline) {
    hdr[h + 6] = nh;
    iphcEnd = q;
    iphcLen = w;
    return 0;
  }
  // NHC chain: the next-header field to fill is at `nhAt`.
  let nhAt = h + 6;
  for (let i = 0; i < MAX_NHC; i++) {
    if (end - q < 1) return MALFORMED;
    const n = b[q];
    if ((n & 0xf8) === 0xf0) {
      // UDP: ports inline / 8-bit (0xf0XX) / 4-bit (0xf0bX), checksum inline unless elided.
      q++;
      const ports = n & 3;
      const need = (ports === 0 ? 4 : ports === 3 ? 1 : 3) + (n & 4 ? 0 : 2);
      if (end - q < need) return MALFORMED;
      let sp: number;
      let dp: number;
      if (ports === 0) {
        sp = (b[q] << 8) | b[q + 1];
        dp = (b[q + 2] << 8) | b[q + 3];
        q += 4;
      } else if (ports === 1) {
        sp = (b[q] << 8) | b[q + 1];
        dp = 0xf000 | b[q + 2];
        q += 3;
      } else if (ports === 2) {
        sp = 0xf000 | b[q];
        dp = (b[q + 1] << 8) | b[q + 2];
        q += 3;
      } else {
        sp = 0xf0b0 | (b[q] >> 4);
        dp = 0xf0b0 | (b[q] & 0x0f);
        q += 1;
      }
      hdr[nhAt] = 17;
      hdr[w] = sp >> 8;
      hdr[w + 1] = sp & 0xff;
      hdr[w + 2] = dp >> 8;
      hdr[w + 3] = dp & 0xff;
      hdr[w + 4] = hdr[w + 5] = 0;
      hdr[w + 6] = n & 4 ? 0 : b[q];
      hdr[w + 7] = n & 4 ? 0 : b[q + 1];
      if (!(n & 4)) q += 2;
      udpAt = w;
      iphcEnd = q;
      iphcLen = w + 8;
      return 0;
    }
    if ((n & 0xf0) === 0xe0) {
      const eid = (n >> 1) & 7;
      q++;
      if (eid === 7) {
        // An IPv6 header, itself IPHC-compressed.
        hdr[nhAt] = 41;
        return iphc(b, q, end, w, depth + 1);
      }
      if (eid > 4) {
        hdr[nhAt] = 59;
        iphcEnd = q;
        iphcLen = w;
        return 0;
      }
      hdr[nhAt] = EXT_NEXT[eid];
      const chained = (n & 1) !== 0;
      if (end - q < (chained ? 1 : 2)) return MALFORMED;
      const next = chained ? 59 : b[q++];
      const len = b[q++];
      // The extension header: next header, length in 8-octet units, data padded to 8 octets.
      const size = (len + 2 + 7) & ~7;
      hdr.fill(0, w, w + size);
      hdr[w] = next;
      hdr[w + 1] = size / 8 - 1;
      const avail = Math.min(len, end - q);
      hdr.set(b.subarray(q, q + avail), w + 2);
      if (avail < len) {
        // Cut short: the header is shown, nothing after it.
        iphcEnd = end;
        iphcLen = w + 2 + avail;
        return 0;
      }
      q += len;
      nhAt = w;
      w += size;
      if (!chained) {
        iphcEnd = q;
        iphcLen = w;
        return 0;
      }
      continue;
    }
    // Unknown NHC: no next header, empty payload.
    hdr[nhAt] = 59;
    emptyPayload = true;
    iphcEnd = end;
    iphcLen = w;
    return 0;
  }
  return MALFORMED;
}

/** A unicast address (SAC/SAM or DAC/DAM) into hdr[w, w+16); returns the new q. */
function unicast(b: Uint8Array, q: number, end: number, w: number, ctx: boolean, mode: number, iid: Uint8Array, src: boolean): number {
  if (!ctx) {
    hdr[w] = 0xfe;
    hdr[w + 1] = 0x80;
  }
  if (mode === 0) {
    if (ctx) return src ? q : ILLEGAL; // SAC=1, SAM=00: the unspecified address
    if (end - q < 16) return MALFORMED;
    hdr.set(b.subarray(q, q + 16), w);
    return q + 16;
  }
  if (mode === 1) {
    if (end - q < 8) return MALFORMED;
    hdr.set(b.subarray(q, q + 8), w + 8);
    return q + 8;
  }
  if (mode === 2) {
    if (end - q < 2) return MALFORMED;
    hdr[w + 11] = 0xff;
    hdr[w + 12] = 0xfe;
    hdr[w + 14] = b[q];
    hdr[w + 15] = b[q + 1];
    return q + 2;
  }
  hdr.set(iid, w + 8);
  return q;
}

/** A multicast destination address (M=1) into hdr[w, w+16); returns the new q. */
function multicast(b: Uint8Array, q: number, end: number, w: number, ctx: boolean, mode: number): number {
  hdr[w] = 0xff;
  if (ctx) {
    // ffXX:XXLL:PPPP:PPPP:PPPP:PPPP:XXXX:XXXX, prefix and its length from the (empty) context.
    if (end - q < 6) return MALFORMED;
    hdr[w + 1] = b[q];
    hdr[w + 2] = b[q + 1];
    hdr.set(b.subarray(q + 2, q + 6), w + 12);
    return q + 6;
  }
  const n = mode === 0 ? 16 : mode === 1 ? 6 : mode === 2 ? 4 : 1;
  if (end - q < n) return MALFORMED;
  if (mode === 0) hdr.set(b.subarray(q, q + 16), w);
  else if (mode === 3) {
    hdr[w + 1] = 0x02;
    hdr[w + 15] = b[q];
  } else {
    hdr[w + 1] = b[q];
    hdr.set(b.subarray(q + 1, q + n), w + 16 - (n - 1));
  }
  return q + n;
}

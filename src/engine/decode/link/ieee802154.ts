/**
 * IEEE 802.15.4 MAC frames (2003, 2006 and 2015 frame versions) carrying 6LoWPAN, as tshark
 * 4.0 decodes them with default preferences:
 * - LINKTYPE_IEEE802_15_4_WITHFCS (195): a 16-bit FCS ends the frame; the payload is decoded
 *   only if the FCS is right (wpan.802154_fcs_ok), or was not captured in full.
 * - LINKTYPE_IEEE802_15_4_NOFCS (230): no FCS.
 * - LINKTYPE_IEEE802_15_4_NONASK_PHY (215): preamble, SFD and a PHY length (the frame's
 *   reported length, whatever the capture says), then a frame with a 16-bit FCS.
 * - LINKTYPE_IEEE802_15_4_TAP (283): a TLV pseudo-header whose FCS-type TLV (0) says whether
 *   a 16- or 32-bit FCS follows (none without it).
 * Only data frames without security carry 6LoWPAN. 2015 frames may suppress the sequence
 * number and carry header/payload Information Elements before the payload.
 */
import type { Decoder } from '../decoder';
import type { LinkLayer } from '../layer';
import { setLinkAddresses, sixlowpan } from '../sixlowpan';
import { LINKTYPE } from './types';

const CRC16 = new Uint16Array(256);
const CRC32 = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  let k = i;
  for (let j = 0; j < 8; j++) {
    c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1; // ITU-T CRC-16, bit-reversed
    k = k & 1 ? (k >>> 1) ^ 0xedb88320 : k >>> 1; // CRC-32 (IEEE 802.15.4g)
  }
  CRC16[i] = c;
  CRC32[i] = k >>> 0;
}

/** Whether the FCS of `fcsLen` bytes at the end of b[o, e) matches the frame before it. */
function fcsOk(b: Uint8Array, o: number, e: number, fcsLen: number): boolean {
  const f = e - fcsLen;
  if (fcsLen === 2) {
    let c = 0;
    for (let i = o; i < f; i++) c = (c >>> 8) ^ CRC16[(c ^ b[i]) & 0xff];
    return c === (b[f] | (b[f + 1] << 8));
  }
  let c = 0xffffffff;
  for (let i = o; i < f; i++) c = (c >>> 8) ^ CRC32[(c ^ b[i]) & 0xff];
  return (c ^ 0xffffffff) >>> 0 === (b[f] | (b[f + 1] << 8) | (b[f + 2] << 16) | (b[f + 3] << 24)) >>> 0;
}

const ADDR_LEN = [0, -1, 2, 8];

/** An 802.15.4 MAC frame in b[o, rend) whose last `fcsLen` bytes are its FCS. */
function macFrame(d: Decoder, o: number, end: number, rend: number, fcsLen: number): void {
  const b = d.buf;
  d.p.proto = 'IEEE 802.15.4';
  const rpay = rend - fcsLen;
  if (rpay - o < 2 || end - o < 2) return d.note('IEEE 802.15.4', 'Malformed IEEE 802.15.4 frame');
  if (fcsLen && end >= rend && !fcsOk(b, o, rend, fcsLen)) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 frame, bad FCS');
  const e = Math.min(end, rpay);
  const fcf = b[o] | (b[o + 1] << 8);
  const type = fcf & 7;
  const pc = (fcf & 0x40) !== 0;
  const ver = (fcf >> 12) & 3;
  const dlen = ADDR_LEN[(fcf >> 10) & 3];
  const slen = ADDR_LEN[fcf >> 14];
  if (ver === 3 || dlen < 0 || slen < 0) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 frame (not decoded)');
  const seqSuppressed = (fcf & 0x100) !== 0;
  if (seqSuppressed && ver < 2) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 frame (not decoded)');
  let dpan: boolean;
  let span: boolean;
  if (ver < 2) {
    if (pc && !(dlen && slen)) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 frame (invalid PAN ID compression)');
    dpan = dlen !== 0;
    span = slen !== 0 && !pc;
  } else if (!dlen || !slen) {
    // 802.15.4-2015 table 7-2: with one address (or none) the compression bit flips its PAN ID.
    dpan = dlen ? !pc : !slen && pc;
    span = slen !== 0 && !pc;
  } else if (dlen === 8 && slen === 8) {
    dpan = !pc;
    span = false;
  } else {
    dpan = true;
    span = !pc;
  }
  let q = o + 2 + (seqSuppressed ? 0 : 1) + (dpan ? 2 : 0);
  const dOff = q;
  q += dlen + (span ? 2 : 0);
  const sOff = q;
  q += slen;
  if (q > e) return d.note('IEEE 802.15.4', 'Malformed IEEE 802.15.4 frame');
  if (type !== 1) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 frame');
  if (fcf & 0x08) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 data, encrypted');
  if (ver === 2 && fcf & 0x200) {
    q = informationElements(b, q, e);
    if (q < 0) return d.note('IEEE 802.15.4', 'Malformed IEEE 802.15.4 information elements');
  }
  if (q >= rpay) return d.note('IEEE 802.15.4', 'IEEE 802.15.4 data');
  setLinkAddresses(b, sOff, slen, dOff, dlen);
  sixlowpan(d, q, e, rpay);
}

/**
 * Header IEs (until a termination IE), then payload IEs after HT1 (until a payload
 * termination IE). Returns where the payload starts, or -1 when the IEs are malformed or
 * leave no payload.
 */
function informationElements(b: Uint8Array, q: number, e: number): number {
  let payloadIes = false;
  for (;;) {
    if (e - q < 2) return -1;
    const v = b[q] | (b[q + 1] << 8);
    q += 2;
    if (!payloadIes) {
      if (v & 0x8000) return -1; // a payload IE where a header IE belongs
      const id = (v >> 7) & 0xff;
      const len = v & 0x7f;
      if (e - q < len) return -1;
      q += len;
      if (id === 0x7f) return q; // HT2: the payload follows
      if (id === 0x7e) payloadIes = true; // HT1: payload IEs follow
    } else {
      if (!(v & 0x8000)) return -1;
      const len = v & 0x7ff;
      if (e - q < len) return -1;
      q += len;
      if (((v >> 11) & 0x0f) === 0x0f) return q; // payload termination IE
    }
  }
}

export const ieee802154: LinkLayer = {
  linkTypes: [LINKTYPE.IEEE802_15_4_WITHFCS],
  name: 'IEEE 802.15.4 Wireless PAN',
  decode: (d, o, end, rend) => macFrame(d, o, end, rend, 2),
};

export const ieee802154NoFcs: LinkLayer = {
  linkTypes: [LINKTYPE.IEEE802_15_4_NOFCS],
  name: 'IEEE 802.15.4 Wireless PAN with FCS not present',
  decode: (d, o, end, rend) => macFrame(d, o, end, rend, 0),
};

export const ieee802154NonAsk: LinkLayer = {
  linkTypes: [LINKTYPE.IEEE802_15_4_NONASK_PHY],
  name: 'IEEE 802.15.4 Wireless PAN non-ASK PHY',
  decode(d, o, end) {
    if (end - o < 6) return d.note('IEEE 802.15.4', 'Malformed IEEE 802.15.4 PHY header');
    const r = o + 6 + (d.buf[o + 5] & 0x7f);
    macFrame(d, o + 6, Math.min(end, r), r, 2);
  },
};

export const ieee802154Tap: LinkLayer = {
  linkTypes: [LINKTYPE.IEEE802_15_4_TAP],
  name: 'IEEE 802.15.4 Wireless with TAP pseudo-header',
  decode(d, o, end, rend) {
    const b = d.buf;
    if (end - o < 4 || b[o] !== 0) return d.note('', 'IEEE 802.15.4 TAP (not decoded)');
    const hlen = b[o + 2] | (b[o + 3] << 8);
    if (hlen < 4 || hlen > end - o) return d.note('IEEE 802.15.4', 'Malformed IEEE 802.15.4 TAP header');
    let fcsLen = 0;
    for (let q = o + 4; q + 4 <= o + hlen; ) {
      const type = b[q] | (b[q + 1] << 8);
      const len = b[q + 2] | (b[q + 3] << 8);
      if (type === 0 && len >= 1 && q + 5 <= o + hlen) fcsLen = b[q + 4] === 1 ? 2 : b[q + 4] === 2 ? 4 : 0;
      q += 4 + ((len + 3) & ~3);
    }
    macFrame(d, o + hlen, end, rend, fcsLen);
  },
};

/**
 * IEEE 802.11 (plain, or behind a radiotap header). Only unprotected, unfragmented data
 * frames carrying an MSDU are followed, into 802.2 LLC/SNAP: header of 24 bytes, +6 with
 * both DS bits (address 4), +2 for QoS subtypes, +4 for the HT Control field (QoS + order
 * bit). A radiotap Flags field with the FCS bit means 4 trailing FCS bytes.
 */
import type { Decoder } from '../decoder';
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export function wlan(d: Decoder, o: number, end: number, rend: number): void {
  const b = d.buf;
  d.p.proto = '802.11';
  if (end - o < 24) return d.note('802.11', 'IEEE 802.11');
  const fc0 = b[o];
  const fc1 = b[o + 1];
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  if ((fc0 & 3) !== 0 || type !== 2 || subtype & 0x4) return d.note('802.11', 'IEEE 802.11');
  // Protected (0x40) or more fragments (0x04), or a fragment number: not decoded.
  if (fc1 & 0x44 || (b[o + 22] & 0x0f) !== 0) return d.note('802.11', 'IEEE 802.11 data');
  let q = o + 24;
  if ((fc1 & 3) === 3) q += 6;
  if (subtype & 0x8) {
    if (end - q < 2) return d.note('802.11', 'IEEE 802.11 data');
    if (b[q] & 0x80) return d.note('802.11', 'IEEE 802.11 A-MSDU'); // A-MSDU present
    q += 2;
    if (fc1 & 0x80) q += 4;
  }
  d.llc(q, end, rend);
}

export const ieee80211: LinkLayer = {
  linkTypes: [LINKTYPE.IEEE802_11],
  name: 'IEEE 802.11 Wireless LAN',
  decode: wlan,
};

/**
 * The Flags field of the radiotap header `b[o, o+len)` (0x10: the frame ends with its FCS), or 0
 * when absent: after the present bitmaps (bit 31 chains another) and the TSFT field (8 bytes,
 * 8-byte aligned) when present.
 */
export function radiotapFlags(b: Uint8Array, o: number, len: number): number {
  const present = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
  let q = o + 8;
  let last = present;
  while (last & 0x80000000 && q + 4 <= o + len) {
    last = (b[q] | (b[q + 1] << 8) | (b[q + 2] << 16) | (b[q + 3] << 24)) >>> 0;
    q += 4;
  }
  if (present & 1) q = o + ((q - o + 7) & ~7) + 8;
  return present & 2 && q < o + len ? b[q] : 0;
}

export const radiotap: LinkLayer = {
  linkTypes: [LINKTYPE.IEEE802_11_RADIOTAP],
  name: 'IEEE 802.11 plus radiotap radio header',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'Radiotap';
    if (end - o < 8) return d.note('Radiotap', 'Malformed radiotap header');
    const len = b[o + 2] | (b[o + 3] << 8);
    if (len < 8 || len > end - o) return d.note('Radiotap', 'Malformed radiotap header');
    if (radiotapFlags(b, o, len) & 0x10) {
      // Frame check sequence at the end of the frame.
      rend -= 4;
      end = Math.min(end, rend);
    }
    wlan(d, o + len, end, rend);
  },
};

/**
 * PPI (Per-Packet Information, link type 192): a little-endian header (version, flags, length,
 * the inner link type) followed by TLV fields, then the frame of the inner link type. For 802.11
 * (105) the 802.11-common field (type 2: TSF 8 bytes, then flags 2 bytes) says with flag 0x0001
 * that the frame ends with its FCS (libpcap http_PPI.pcap: tshark decodes LLC → IP → UDP/TCP).
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';
import { wlan } from './ieee80211';

/** Flags of the PPI header's 802.11-common field (type 2), or 0 when it has none. */
function commonFlags(b: Uint8Array, o: number, len: number): number {
  let q = o + 8;
  while (q + 4 <= o + len) {
    const type = b[q] | (b[q + 1] << 8);
    const flen = b[q + 2] | (b[q + 3] << 8);
    if (type === 2 && flen >= 10 && q + 4 + 10 <= o + len) return b[q + 4 + 8] | (b[q + 4 + 9] << 8);
    q += 4 + flen;
  }
  return 0;
}

export const ppi: LinkLayer = {
  linkTypes: [LINKTYPE.PPI],
  name: 'Per-Packet Information header',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'PPI';
    if (end - o < 8) return d.note('PPI', 'PPI');
    const len = b[o + 2] | (b[o + 3] << 8);
    const dlt = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
    if (len < 8 || len > end - o || dlt !== LINKTYPE.IEEE802_11) return d.note('PPI', 'PPI');
    if (commonFlags(b, o, len) & 1) {
      // Frame check sequence at the end of the frame.
      rend -= 4;
      end = Math.min(end, rend);
    }
    wlan(d, o + len, end, rend);
  },
};

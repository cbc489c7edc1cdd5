/**
 * SunATM: a 4-byte pseudo-header (flags with the traffic type in the low nibble, VPI, VCI)
 * before an AAL5 PDU. tshark (wiretap) strips the pseudo-header from the frame, so frame.len
 * and frame.cap_len are 4 bytes shorter than the pcap record says (`pseudoHeader`).
 * LLC-multiplexed traffic (type 2) carries 802.2 LLC/SNAP.
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const sunatm: LinkLayer = {
  linkTypes: [LINKTYPE.SUNATM],
  name: 'ATM PDUs',
  pseudoHeader: 4,
  decode(d, o, end, rend) {
    d.p.proto = 'ATM';
    if (end - o < 4) return d.note('ATM', 'ATM');
    if ((d.buf[o] & 0x0f) === 2) return d.llc(o + 4, end, rend);
    d.note('ATM', 'ATM');
  },
};

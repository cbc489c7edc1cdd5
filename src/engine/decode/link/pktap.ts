/**
 * Apple PKTAP: a little-endian header length and the link type of the packet that follows
 * (tshark also decodes LINKTYPE_USER2 as PKTAP, as older macOS wrote it).
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const pktap: LinkLayer = {
  linkTypes: [LINKTYPE.PKTAP, LINKTYPE.USER2],
  name: 'Apple PKTAP',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'PKTAP';
    if (end - o < 8) return d.note('PKTAP', 'Malformed PKTAP header');
    const hlen = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    const lt = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16) | (b[o + 7] << 24)) >>> 0;
    if (hlen < 8 || hlen > end - o || lt === LINKTYPE.PKTAP || lt === LINKTYPE.USER2) return d.note('PKTAP', 'PKTAP');
    d.link(lt, o + hlen, end, rend);
  },
};

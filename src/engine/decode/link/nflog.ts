/**
 * Linux NFLOG: family, version, resource id, then TLVs (little-endian length and type,
 * padded to 4 bytes). The packet is the payload TLV (type 9); the family says its kind.
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

const NFULA_PAYLOAD = 9;

export const nflog: LinkLayer = {
  linkTypes: [LINKTYPE.NFLOG],
  name: 'NFLOG',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'NFLOG';
    if (end - o < 4) return d.note('NFLOG', 'Malformed NFLOG header');
    const af = b[o];
    let q = o + 4;
    while (end - q >= 4) {
      const len = b[q] | (b[q + 1] << 8);
      const type = (b[q + 2] | (b[q + 3] << 8)) & 0x7fff;
      if (len < 4) break;
      if (type === NFULA_PAYLOAD) {
        const e = Math.min(end, q + len);
        const re = Math.min(rend, q + len);
        if (af === 2) return d.ipv4(q + 4, e, re);
        if (af === 10) return d.ipv6(q + 4, e, re);
        return d.note('NFLOG', 'NFLOG');
      }
      q += (len + 3) & ~3;
    }
    d.note('NFLOG', 'NFLOG');
  },
};

/**
 * Juniper Ethernet: magic "MGC", flags, and (flag 0x80) a 2-byte length of extensions;
 * an Ethernet frame follows unless flag 0x02 says there is no layer-2 header.
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const juniperEther: LinkLayer = {
  linkTypes: [LINKTYPE.JUNIPER_ETHER],
  name: 'Juniper Ethernet',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'Juniper';
    if (end - o < 4 || b[o] !== 0x4d || b[o + 1] !== 0x47 || b[o + 2] !== 0x43) return d.note('Juniper', 'Juniper (no magic)');
    const flags = b[o + 3];
    let q = o + 4;
    if (flags & 0x80) {
      if (end - q < 2) return d.note('Juniper', 'Malformed Juniper header');
      q += 2 + ((b[q] << 8) | b[q + 1]);
    }
    if (flags & 0x02) return d.note('Juniper', 'Juniper');
    d.ethernet(q, end, rend);
  },
};

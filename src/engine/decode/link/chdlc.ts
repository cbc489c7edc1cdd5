/** Cisco HDLC: address, control, then an ethertype. */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const chdlc: LinkLayer = {
  linkTypes: [LINKTYPE.C_HDLC],
  name: 'Cisco HDLC',
  decode(d, o, end, rend) {
    if (end - o < 4) return d.note('CHDLC', 'Malformed Cisco HDLC frame');
    d.p.proto = 'CHDLC';
    d.ethertype((d.buf[o + 2] << 8) | d.buf[o + 3], o + 4, end, rend);
  },
};

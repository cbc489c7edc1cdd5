/**
 * IP over InfiniBand (RFC 4391): a 4-byte header (type, reserved), or — as Linux captures
 * it — a 44-byte pseudo-header (20-byte source and destination addresses, then type and
 * reserved). The short form is recognised by its zero reserved field after a known type.
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const ipoib: LinkLayer = {
  linkTypes: [LINKTYPE.IPOIB],
  name: 'IP over Infiniband',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'IPoIB';
    if (end - o < 4) return d.note('IPoIB', 'Malformed IPoIB header');
    const t = (b[o] << 8) | b[o + 1];
    const short = (t === 0x0800 || t === 0x86dd || t === 0x0806) && b[o + 2] === 0 && b[o + 3] === 0;
    const h = short ? 0 : 40;
    if (end - o < h + 4) return d.note('IPoIB', 'Malformed IPoIB header');
    d.ethertype((b[o + h] << 8) | b[o + h + 1], o + h + 4, end, rend);
  },
};

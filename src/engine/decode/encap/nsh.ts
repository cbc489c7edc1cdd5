/** Network Service Header (RFC 8300, ethertype 0x894f): length in 4-byte words, next protocol. */
import type { Encapsulation } from '../layer';

export const nsh: Encapsulation = {
  name: 'NSH',
  ethertypes: [0x894f],
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'NSH';
    if (end - o < 8) return d.note('NSH', 'Malformed NSH header');
    const len = (b[o + 1] & 0x3f) * 4;
    const next = b[o + 3];
    const q = o + len;
    if (len < 8) return d.note('NSH', 'Malformed NSH header');
    if (next === 1) return d.ipv4(q, end, rend);
    if (next === 2) return d.ipv6(q, end, rend);
    if (next === 3) return d.ethernet(q, end, rend);
    if (next === 5) return d.mpls(q, end, rend);
    return d.note('NSH', 'NSH');
  },
};

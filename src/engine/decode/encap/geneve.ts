/** Geneve (UDP 6081): 8-byte header + options, protocol type 0x6558 = Ethernet, else an ethertype. */
import type { Encapsulation } from '../layer';

export const geneve: Encapsulation = {
  name: 'Geneve',
  udpPorts: [6081],
  decode(d, o, end, rend) {
    const b = d.buf;
    if (end - o < 8) return d.note('Geneve', 'Malformed Geneve header');
    d.p.proto = 'Geneve';
    const q = o + 8 + (b[o] & 0x3f) * 4;
    const ptype = (b[o + 2] << 8) | b[o + 3];
    if (ptype === 0x6558) return d.ethernet(q, end, rend);
    d.ethertype(ptype, q, end, rend);
  },
};

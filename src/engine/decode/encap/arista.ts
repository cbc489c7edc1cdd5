/**
 * Arista vendor-specific protocol (ethertype 0xd28b), subtype 1 = timestamp: version 0x0010
 * / 0x0110 carry a 64-bit timestamp, 0x0020 / 0x0120 a 48-bit one; an ethertype follows.
 * tshark stops at other versions.
 */
import type { Encapsulation } from '../layer';

export const arista: Encapsulation = {
  name: 'Arista',
  ethertypes: [0xd28b],
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'Arista';
    if (end - o < 4) return d.note('Arista', 'Malformed Arista header');
    const sub = (b[o] << 8) | b[o + 1];
    const ver = (b[o + 2] << 8) | b[o + 3];
    if (sub !== 1) return d.note('Arista', 'Arista');
    const v = ver & 0xfeff;
    const ts = v === 0x0010 ? 8 : v === 0x0020 ? 6 : -1;
    if (ts < 0) return d.note('Arista', 'Arista (unknown timestamp version)');
    const q = o + 4 + ts;
    if (end - q < 2) return d.note('Arista', 'Malformed Arista header');
    d.ethertype((b[q] << 8) | b[q + 1], q + 2, end, rend);
  },
};

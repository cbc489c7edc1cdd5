/** PPPoE session stage (ethertype 0x8864): 6-byte header (length bounds the payload), then PPP. */
import type { Encapsulation } from '../layer';
import { pppProtocol } from '../link/ppp';

export const pppoe: Encapsulation = {
  name: 'PPPoE',
  ethertypes: [0x8864],
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'PPPoE';
    if (end - o < 8) return d.note('PPPoE', 'Malformed PPPoE header');
    const len = (b[o + 4] << 8) | b[o + 5];
    const pe = o + 6 + len;
    pppProtocol(d, (b[o + 6] << 8) | b[o + 7], o + 8, Math.min(end, pe), Math.min(rend, pe));
  },
};

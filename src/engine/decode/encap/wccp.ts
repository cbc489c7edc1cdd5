/**
 * WCCP redirection in GRE (protocol type 0x883e): a 4-byte redirect header before the IPv4
 * packet, unless the payload already starts like an IPv4 header (WCCPv1 has none).
 */
import type { Encapsulation } from '../layer';

export const wccp: Encapsulation = {
  name: 'WCCP',
  ethertypes: [0x883e],
  decode(d, o, end, rend) {
    d.p.proto = 'WCCP';
    if (end - o < 1) return d.note('WCCP', 'Malformed WCCP header');
    d.ipv4(d.buf[o] >> 4 === 4 ? o : o + 4, end, rend);
  },
};

/** VXLAN (UDP 4789): 8-byte header with the I flag, then Ethernet. */
import type { Encapsulation } from '../layer';

export const vxlan: Encapsulation = {
  name: 'VXLAN',
  udpPorts: [4789],
  decode(d, o, end, rend) {
    if (end - o < 8) return d.note('VXLAN', 'Malformed VXLAN header');
    d.p.proto = 'VXLAN';
    d.ethernet(o + 8, end, rend);
  },
};

/** MPLS (ethertypes 0x8847/0x8848, MPLS-in-UDP port 6635): label stack, then IP by version nibble. */
import type { Encapsulation } from '../layer';

export const mpls: Encapsulation = {
  name: 'MPLS',
  ethertypes: [0x8847, 0x8848],
  udpPorts: [6635],
  decode: (d, o, end, rend) => d.mpls(o, end, rend),
};

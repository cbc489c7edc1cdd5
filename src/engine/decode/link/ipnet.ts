/** Solaris IPNET: a 24-byte header whose second byte is the address family (2 IPv4, 26 IPv6). */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const ipnet: LinkLayer = {
  linkTypes: [LINKTYPE.IPNET],
  name: 'Solaris IPNET',
  decode(d, o, end, rend) {
    d.p.proto = 'IPNET';
    if (end - o < 24) return d.note('IPNET', 'Malformed IPNET header');
    const af = d.buf[o + 1];
    if (af === 2) return d.ipv4(o + 24, end, rend);
    if (af === 26) return d.ipv6(o + 24, end, rend);
    return d.note('IPNET', 'Solaris IPNET');
  },
};

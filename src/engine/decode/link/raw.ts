/** Raw IP link types: the version nibble decides (LINKTYPE_IPV4 too: tshark's IPv4 dissector passes version 6 on to IPv6). */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const rawIp: LinkLayer = {
  linkTypes: [LINKTYPE.RAW, LINKTYPE.RAW_OPENBSD, LINKTYPE.RAW_BSDOS],
  name: 'Raw IP',
  decode: (d, o, end, rend) => d.rawIp(o, end, rend),
};

export const rawIpv4: LinkLayer = {
  linkTypes: [LINKTYPE.IPV4],
  name: 'Raw IPv4',
  decode: (d, o, end, rend) => d.ipv4(o, end, rend),
};

export const rawIpv6: LinkLayer = {
  linkTypes: [LINKTYPE.IPV6],
  name: 'Raw IPv6',
  decode: (d, o, end, rend) => d.ipv6(o, end, rend),
};

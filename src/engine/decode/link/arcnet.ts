/**
 * ARCNET: source, destination, (Linux: a 2-byte offset,) protocol ID. RFC 1201 protocol IDs
 * (IP 0xd4, ARP 0xd5, IPv6 0xc4) add a split flag and a sequence number; a split flag of
 * 0xff marks an exception packet with four more bytes. RFC 1051 IDs (IP 0xf0) add nothing.
 */
import type { Decoder } from '../decoder';
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

function afterAddresses(d: Decoder, o: number, end: number, rend: number): void {
  const b = d.buf;
  d.p.proto = 'ARCNET';
  if (end - o < 1) return d.note('ARCNET', 'Malformed ARCNET header');
  const pid = b[o];
  let q = o + 1;
  if (pid === 0xd4 || pid === 0xd5 || pid === 0xd6 || pid === 0xc4 || pid === 0xcd || pid === 0xe8) {
    if (end - q < 3) return d.note('ARCNET', 'Malformed ARCNET header');
    q += b[q] === 0xff ? 7 : 3;
  }
  if (pid === 0xd4 || pid === 0xf0) return d.ipv4(q, end, rend);
  if (pid === 0xc4) return d.ipv6(q, end, rend);
  if (pid === 0xd5 || pid === 0xf1) return d.note('ARP', 'ARP');
  return d.note('ARCNET', 'ARCNET');
}

export const arcnetLinux: LinkLayer = {
  linkTypes: [LINKTYPE.ARCNET_LINUX],
  name: 'Linux ARCNET',
  decode: (d, o, end, rend) => afterAddresses(d, o + 4, end, rend),
};

export const arcnetBsd: LinkLayer = {
  linkTypes: [LINKTYPE.ARCNET_BSD],
  name: 'ARCNET',
  decode: (d, o, end, rend) => afterAddresses(d, o + 2, end, rend),
};

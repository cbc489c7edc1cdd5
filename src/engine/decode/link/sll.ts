/** Linux "cooked" captures: SLL (16-byte header, protocol last) and SLL2 (20 bytes, protocol first). */
import type { Decoder } from '../decoder';
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

function payload(d: Decoder, proto: number, o: number, end: number, rend: number): void {
  if (proto > 1500) return d.ethertype(proto, o, end, rend);
  if (proto === 4) return d.llc(o, end, rend); // 802.2 LLC frame
  return d.note('SLL', 'Linux cooked capture');
}

export const sll: LinkLayer = {
  linkTypes: [LINKTYPE.LINUX_SLL],
  name: 'Linux cooked-mode capture v1',
  decode(d, o, end, rend) {
    if (end - o < 16) return d.note('SLL', 'Malformed Linux cooked header');
    d.p.proto = 'SLL';
    payload(d, (d.buf[o + 14] << 8) | d.buf[o + 15], o + 16, end, rend);
  },
};

export const sll2: LinkLayer = {
  linkTypes: [LINKTYPE.LINUX_SLL2],
  name: 'Linux cooked-mode capture v2',
  decode(d, o, end, rend) {
    if (end - o < 20) return d.note('SLL', 'Malformed Linux cooked v2 header');
    d.p.proto = 'SLL';
    payload(d, (d.buf[o] << 8) | d.buf[o + 1], o + 20, end, rend);
  },
};

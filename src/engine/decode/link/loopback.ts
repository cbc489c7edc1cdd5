/** BSD loopback (NULL: address family in the capturing host's byte order) and OpenBSD LOOP (network order). */
import type { Decoder } from '../decoder';
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

function byFamily(d: Decoder, af: number, o: number, end: number, rend: number): void {
  d.p.proto = 'NULL';
  if (af === 2) return d.ipv4(o, end, rend);
  if (af === 24 || af === 28 || af === 30 || af === 10 || af === 23 || af === 26) return d.ipv6(o, end, rend);
  return d.note('NULL', 'Unknown address family');
}

const be32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

export const nullLoopback: LinkLayer = {
  linkTypes: [LINKTYPE.NULL],
  name: 'BSD loopback',
  decode(d, o, end, rend) {
    const b = d.buf;
    if (end - o < 4) return d.note('NULL', 'Malformed loopback header');
    // Host byte order of the capturing machine: guess it as Wireshark does.
    const le = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
    byFamily(d, le & 0xffff0000 ? be32(b, o) : le, o + 4, end, rend);
  },
};

export const openbsdLoop: LinkLayer = {
  linkTypes: [LINKTYPE.LOOP],
  name: 'OpenBSD loopback',
  decode(d, o, end, rend) {
    if (end - o < 4) return d.note('NULL', 'Malformed loopback header');
    byFamily(d, be32(d.buf, o), o + 4, end, rend);
  },
};

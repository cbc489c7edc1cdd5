/**
 * MACsec (IEEE 802.1AE, ethertype 0x88e5). The SecTAG is 6 bytes (+8 with the SCI flag);
 * only integrity-only frames (E and C clear) show their payload: an ethertype and data
 * whose length is the short-length field when set, else the rest minus the 16-byte ICV.
 */
import type { Encapsulation } from '../layer';

export const macsec: Encapsulation = {
  name: 'MACsec',
  ethertypes: [0x88e5],
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'MACsec';
    if (end - o < 6) return d.note('MACsec', 'Malformed MACsec header');
    const tci = b[o];
    const sl = b[o + 1] & 0x3f;
    const q = o + 6 + (tci & 0x20 ? 8 : 0);
    if (tci & 0x0c) return d.note('MACsec', 'MACsec (encrypted or changed)');
    if (end - q < 2) return d.note('MACsec', 'Malformed MACsec header');
    const pe = sl !== 0 ? q + sl : Math.max(q + 2, rend - 16);
    const type = (b[q] << 8) | b[q + 1];
    d.ethertype(type, q + 2, Math.min(end, pe), Math.min(rend, pe));
  },
};

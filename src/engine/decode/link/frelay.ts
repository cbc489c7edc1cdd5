/**
 * Frame Relay (Q.922 address of 2–4 octets, the last with EA set). After the address, a UI
 * control octet (0x03) means RFC 2427 multiprotocol encapsulation (NLPID); otherwise, on a
 * DLCI other than 0, tshark reads a Cisco-style ethertype.
 */
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';

export const frameRelay: LinkLayer = {
  linkTypes: [LINKTYPE.FRELAY],
  name: 'Frame Relay',
  decode(d, o, end, rend) {
    const b = d.buf;
    d.p.proto = 'FR';
    let q = o;
    let n = 0;
    while (q < end && n < 4) {
      n++;
      if (b[q++] & 1) break;
    }
    if (n < 2 || !(b[q - 1] & 1)) return d.note('FR', 'Frame Relay (bogus address)');
    // DLCI: upper 6 bits of the first octet and 4 of the second, more in a 3/4-octet address.
    let dlci = ((b[o] >> 2) << 4) | (b[o + 1] >> 4);
    if (n === 3) dlci = (dlci << 6) | (b[o + 2] >> 2);
    else if (n === 4) dlci = (((dlci << 7) | (b[o + 2] >> 1)) << 6) | (b[o + 3] >> 2);
    if (end - q < 2) return d.note('FR', 'Frame Relay');
    if (b[q] === 0x03) {
      q++;
      if (b[q] === 0x00) q++; // padding before the NLPID
      if (end - q < 1) return;
      const nlpid = b[q];
      if (nlpid === 0xcc) return d.ipv4(q + 1, end, rend);
      if (nlpid === 0x8e) return d.ipv6(q + 1, end, rend);
      if (nlpid === 0x80 && end - q >= 6 && b[q + 1] === 0 && b[q + 2] === 0 && b[q + 3] === 0) {
        return d.ethertype((b[q + 4] << 8) | b[q + 5], q + 6, end, rend);
      }
      return d.note('FR', 'Frame Relay');
    }
    if (dlci === 0) return d.note('FR', 'Frame Relay');
    d.ethertype((b[q] << 8) | b[q + 1], q + 2, end, rend);
  },
};

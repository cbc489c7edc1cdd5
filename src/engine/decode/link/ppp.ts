/** PPP (RFC 1661), optionally in HDLC-like framing (address 0xff, control 0x03). */
import type { Decoder } from '../decoder';
import type { LinkLayer } from '../layer';
import { LINKTYPE } from './types';
import { chdlc } from './chdlc';

/** The payload of PPP protocol `proto`. */
export function pppProtocol(d: Decoder, proto: number, o: number, end: number, rend: number): void {
  d.p.proto = 'PPP';
  if (proto === 0x0021) return d.ipv4(o, end, rend);
  if (proto === 0x0057) return d.ipv6(o, end, rend);
  if (proto === 0x0281 || proto === 0x0283) return d.mpls(o, end, rend);
  return d.note('PPP', 'PPP');
}

function decodePpp(d: Decoder, o: number, end: number, rend: number): void {
  const b = d.buf;
  // Cisco HDLC framing in a PPP capture (address 0x0f unicast / 0x8f multicast): tshark's PPP
  // dissector hands such frames to CHDLC.
  if (end - o >= 4 && (b[o] === 0x0f || b[o] === 0x8f) && b[o + 1] === 0x00) return chdlc.decode(d, o, end, rend);
  let q = o;
  if (end - q >= 2 && b[q] === 0xff && b[q + 1] === 0x03) q += 2;
  if (end - q < 2) return d.note('PPP', 'Malformed PPP frame');
  // Protocol-field compression: an odd first byte is a one-byte protocol.
  let proto = b[q];
  if (proto & 1) q += 1;
  else {
    proto = (b[q] << 8) | b[q + 1];
    q += 2;
  }
  pppProtocol(d, proto, q, end, rend);
}

export const ppp: LinkLayer = { linkTypes: [LINKTYPE.PPP], name: 'PPP', decode: decodePpp };
export const pppHdlc: LinkLayer = { linkTypes: [LINKTYPE.PPP_HDLC], name: 'PPP in HDLC-like framing', decode: decodePpp };

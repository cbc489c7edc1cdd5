/** Ethernet II as tshark's detail tree shows it (addresses with LG/IG bits, type, padding/trailer). */
import type { DetailNode } from '../../model/types';
import { bitLine, bytesHex, hexN, mac, u16 } from './bits';
import { expert, fld } from './node';

export const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4', 0x86dd: 'IPv6', 0x0806: 'ARP', 0x8100: '802.1Q Virtual LAN', 0x88a8: '802.1ad Provider Bridge (Q-in-Q)',
  0x9100: 'VLAN tag', 0x8847: 'MPLS label switch packet', 0x8848: 'MPLS multicast label switch packet', 0x8864: 'PPPoE Session',
  0x8863: 'PPPoE Discovery', 0x88e5: '802.1AE (MACsec)', 0x888e: '802.1X Authentication', 0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
  0x8035: 'RARP', 0x6558: 'Transparent Ethernet bridging', 0x894f: 'Network Service Header',
};

function addressNode(label: string, b: Uint8Array, o: number, start: number | undefined, field: string): DetailNode {
  const a = mac(b, o);
  const v = (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
  const r = start === undefined ? {} : { start, length: 6 };
  const lg = v & 0x020000;
  const ig = v & 0x010000;
  return fld(`${label}: ${a}`, r, field, [
    fld(`Address: ${a}`, r, 'eth.addr'),
    fld(bitLine(v, 0x020000, 24, `LG bit: ${lg ? 'Locally administered address (this is NOT the factory default)' : 'Globally unique address (factory default)'}`), r, 'eth.lg'),
    fld(bitLine(v, 0x010000, 24, `IG bit: ${ig ? 'Group address (multicast/broadcast)' : 'Individual address (unicast)'}`), r, 'eth.ig'),
  ]);
}

/**
 * `payloadEnd`: where the payload's own length says it ends (an IP total length, the ARP
 * packet), in `b`; bytes after it up to `end` are padding or trailer.
 */
export function ethNode(b: Uint8Array, o: number, end: number, base: number | undefined, payloadEnd: number | undefined): DetailNode {
  const dst = mac(b, o);
  const src = mac(b, o + 6);
  const type = u16(b, o + 12);
  const at = (s: number, l: number) => (base === undefined ? {} : { start: base + s, length: l });
  const kids: DetailNode[] = [
    addressNode('Destination', b, o, base, 'eth.dst'),
    addressNode('Source', b, o + 6, base === undefined ? undefined : base + 6, 'eth.src'),
    fld(`Type: ${ETHERTYPE_NAMES[type] ?? 'Unknown'} (${hexN(type, 4)})`, at(12, 2), 'eth.type'),
  ];
  if (payloadEnd !== undefined && payloadEnd < end) {
    const t = payloadEnd - o; // trailer offset relative to the header
    const len = end - payloadEnd;
    // A frame shorter than Ethernet's 60-byte minimum has no padding: it is all trailer, with no
    // item (tshark 4.0.17, black-box: 46- and 59-byte frames, zeros or not).
    const padLen = end - o < 60 ? 0 : Math.max(0, Math.min(len, 60 - t));
    let zeros = true;
    for (let i = 0; i < padLen; i++) if (b[payloadEnd + i] !== 0) zeros = false;
    // tshark's guess when the capture does not say whether frames keep their FCS: exactly four
    // bytes left after the padding of a frame of at least 64 bytes are the FCS.
    const fcs = len - padLen === 4 && end - o >= 64 && (padLen === 0 || zeros);
    if (fcs) {
      if (padLen > 0) kids.push(fld(`Padding: ${bytesHex(b, payloadEnd, padLen)}`, at(t, padLen), 'eth.padding'));
      const f = end - 4;
      kids.push(
        fld(`Frame check sequence: ${hexN(((b[f] << 24) | (b[f + 1] << 16) | (b[f + 2] << 8) | b[f + 3]) >>> 0, 8)} [unverified]`, at(f - o, 4), 'eth.fcs'),
        fld('[FCS Status: Unverified]', {}, 'eth.fcs.status'),
      );
    } else if (padLen > 0 && zeros) {
      kids.push(fld(`Padding: ${bytesHex(b, payloadEnd, padLen)}`, at(t, padLen), 'eth.padding'));
      if (len > padLen) kids.push(fld(`Trailer: ${bytesHex(b, payloadEnd + padLen, len - padLen)}`, at(t + padLen, len - padLen), 'eth.trailer'));
    } else if (padLen > 0 && end - o >= 60) {
      kids.push(fld(`Trailer: ${bytesHex(b, payloadEnd, len)}`, at(t, len), 'eth.trailer', [
        expert('note', 'Protocol', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros."),
      ]));
    } else kids.push(fld(`Trailer: ${bytesHex(b, payloadEnd, len)}`, at(t, len), 'eth.trailer'));
  }
  return { label: `Ethernet II, Src: ${src}, Dst: ${dst}`, proto: 'eth', ...at(0, 14), children: kids };
}

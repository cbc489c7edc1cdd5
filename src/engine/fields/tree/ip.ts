/** IPv4 and IPv6 headers as tshark's detail tree shows them. */
import type { DetailNode } from '../../model/types';
import { ipv4, ipv6 } from '../format';
import { bitLine, bytesHex, hexN, setNot, u16, u32 } from './bits';
import { expert, fld, ranger, type Range } from './node';

export const IP_PROTO_NAMES: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option', 1: 'ICMP', 2: 'IGMP', 4: 'IPIP', 6: 'TCP', 8: 'EGP', 9: 'IGRP', 17: 'UDP', 41: 'IPv6',
  43: 'Routing Header for IPv6', 44: 'Fragment Header for IPv6', 46: 'RSVP', 47: 'GRE', 50: 'Encap Security Payload',
  51: 'Authentication Header', 58: 'ICMPv6', 59: 'IPv6 No Next Header', 60: 'Destination Options for IPv6', 88: 'EIGRP',
  89: 'OSPF IGP', 103: 'PIM', 112: 'VRRP', 115: 'Layer 2 Tunneling Protocol', 132: 'SCTP', 135: 'Mobile IPv6', 136: 'UDPLite',
  137: 'MPLS in IP', 139: 'Host Identity Protocol', 140: 'Shim6 Protocol',
};
export const ipProtoName = (p: number): string => IP_PROTO_NAMES[p] ?? 'Unknown';

const DSCP_LONG: Record<number, string> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12', 14: 'Assured Forwarding 13',
  16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22', 22: 'Assured Forwarding 23', 24: 'Class Selector 3',
  26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32', 30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41',
  36: 'Assured Forwarding 42', 38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7',
};
const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23', 24: 'CS3', 26: 'AF31',
  28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5', 44: 'VA', 46: 'EF', 48: 'CS6', 56: 'CS7',
};
const ECN_LONG = ['Not ECN-Capable Transport', "ECN-Capable Transport codepoint '01'", "ECN-Capable Transport codepoint '10'", 'Congestion Experienced'];
const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** "0x00 (DSCP: CS0, ECN: Not-ECT)" and the two bit lines, for a DS byte seen through `mask`/`width`. */
function dsLines(ds: number, value: number, shift: number, width: number, r: Range): { summary: string; kids: DetailNode[] } {
  const dscp = ds >> 2;
  const ecn = ds & 3;
  return {
    summary: `${hexN(ds, 2)} (DSCP: ${DSCP_SHORT[dscp] ?? 'Unknown'}, ECN: ${ECN_SHORT[ecn]})`,
    kids: [
      fld(bitLine(value, 0xfc * 2 ** shift, width, `Differentiated Services Codepoint: ${DSCP_LONG[dscp] ?? 'Unknown'} (${dscp})`), r),
      fld(bitLine(value, 0x03 * 2 ** shift, width, `Explicit Congestion Notification: ${ECN_LONG[ecn]} (${ecn})`), r),
    ],
  };
}

const IPOPT_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)', 1: 'No Operation (NOP)', 7: 'Record Route', 68: 'Time Stamp', 130: 'Security', 131: 'Loose Source Route',
  137: 'Strict Source Route', 148: 'Router Alert', 136: 'Stream ID', 82: 'Traceroute', 134: 'Commercial Security',
};

function isMulticast4(a: number): boolean {
  return a >>> 28 === 14;
}

export interface Ip4Extra {
  /** The TSO case: total length 0, taken from the frame. */
  tsoLength?: number;
  /** Nodes appended after the header fields (reassembly). */
  tail?: DetailNode[];
}

/** IPv4: `b[o..]` with `avail` bytes captured, `base` its frame offset (undefined when not in the frame). */
export function ipv4Node(b: Uint8Array, o: number, avail: number, base: number | undefined, x: Ip4Extra = {}): DetailNode {
  const at = ranger(base, avail);
  const v0 = b[o];
  const ihl = (v0 & 0x0f) * 4;
  const src = ipv4(b, o + 12);
  const dst = ipv4(b, o + 16);
  const kids: DetailNode[] = [
    fld(bitLine(v0, 0xf0, 8, `Version: ${v0 >> 4}`), at(0, 1), 'ip.version'),
    fld(bitLine(v0, 0x0f, 8, `Header Length: ${ihl} bytes (${v0 & 0x0f})`), at(0, 1), 'ip.hdr_len'),
  ];
  const ds = b[o + 1];
  const d = dsLines(ds, ds, 0, 8, at(1, 1));
  kids.push(fld(`Differentiated Services Field: ${d.summary}`, at(1, 1), 'ip.dsfield', d.kids));
  const tl = u16(b, o + 2);
  if (x.tsoLength !== undefined && tl === 0) {
    kids.push(fld(`[Total Length: ${x.tsoLength} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]`, {}));
  } else kids.push(fld(`Total Length: ${tl}`, at(2, 2), 'ip.len'));
  const id = u16(b, o + 4);
  kids.push(fld(`Identification: ${hexN(id, 4)} (${id})`, at(4, 2), 'ip.id'));
  const ff = u16(b, o + 6);
  const fb = ff >> 8;
  const names = [ff & 0x8000 ? 'Reserved bit' : '', ff & 0x4000 ? "Don't fragment" : '', ff & 0x2000 ? 'More fragments' : ''].filter(Boolean);
  kids.push(fld(`${bitLine(fb, 0xe0, 8, `Flags: 0x${(ff >> 13).toString(16)}`)}${names.length ? ', ' + names.join(', ') : ''}`, at(6, 1), 'ip.flags', [
    fld(bitLine(fb, 0x80, 8, `Reserved bit: ${setNot(ff & 0x8000)}`), at(6, 1), 'ip.flags.rb'),
    fld(bitLine(fb, 0x40, 8, `Don't fragment: ${setNot(ff & 0x4000)}`), at(6, 1), 'ip.flags.df'),
    fld(bitLine(fb, 0x20, 8, `More fragments: ${setNot(ff & 0x2000)}`), at(6, 1), 'ip.flags.mf'),
  ]));
  kids.push(fld(bitLine(ff, 0x1fff, 16, `Fragment Offset: ${(ff & 0x1fff) * 8}`), at(6, 2), 'ip.frag_offset'));
  const ttl = b[o + 8];
  const proto = b[o + 9];
  const dst32 = u32(b, o + 16);
  const ttlKids: DetailNode[] = [];
  if ((dst32 & 0xffffff00) >>> 0 === 0xe0000000) {
    if (ttl !== 1) ttlKids.push(expert('note', 'Sequence', '"Time To Live" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)'));
  } else if (!isMulticast4(dst32) && ttl < 5 && proto !== 103 && proto !== 89) ttlKids.push(expert('note', 'Sequence', `"Time To Live" only ${ttl}`));
  kids.push(fld(`Time to Live: ${ttl}`, at(8, 1), 'ip.ttl', ttlKids));
  kids.push(fld(`Protocol: ${ipProtoName(proto)} (${proto})`, at(9, 1), 'ip.proto'));
  kids.push(fld(`Header Checksum: ${hexN(u16(b, o + 10), 4)} [validation disabled]`, at(10, 2), 'ip.checksum'));
  kids.push(fld('[Header checksum status: Unverified]', {}, 'ip.checksum.status'));
  kids.push(fld(`Source Address: ${src}`, at(12, 4), 'ip.src'));
  kids.push(fld(`Destination Address: ${dst}`, at(16, 4), 'ip.dst'));
  if (ihl > 20 && avail >= ihl) kids.push(ip4Options(b, o + 20, ihl - 20, at));
  if (x.tail) kids.push(...x.tail);
  return { label: `Internet Protocol Version 4, Src: ${src}, Dst: ${dst}`, proto: 'ip', ...at(0, ihl), children: kids };
}

function ip4Options(b: Uint8Array, o: number, len: number, at: (s: number, l: number) => Range): DetailNode {
  const kids: DetailNode[] = [];
  const names: string[] = [];
  let q = 0;
  while (q < len) {
    const t = b[o + q];
    const name = IPOPT_NAMES[t] ?? `Unknown (0x${t.toString(16).padStart(2, '0')})`;
    const typeKids = [
      fld(bitLine(t, 0x80, 8, `Copy on fragmentation: ${t & 0x80 ? 'Yes' : 'No'}`), at(20 + q, 1)),
      fld(bitLine(t, 0x60, 8, `Class: ${['Control', 'Reserved for future use', 'Debugging and measurement', 'Reserved for future use'][(t >> 5) & 3]} (${(t >> 5) & 3})`), at(20 + q, 1)),
      fld(bitLine(t, 0x1f, 8, `Number: ${name.replace(/ \(.*\)$/, '')} (${t & 0x1f})`), at(20 + q, 1)),
    ];
    names.push(name);
    if (t === 0 || t === 1) {
      kids.push(fld(`IP Option - ${name}`, at(20 + q, 1), undefined, [fld(`Type: ${t}`, at(20 + q, 1), undefined, typeKids)]));
      q++;
      if (t === 0) break;
      continue;
    }
    const l = q + 1 < len ? b[o + q + 1] : 0;
    if (l < 2 || q + l > len) break;
    const ok = [fld(`Type: ${t}`, at(20 + q, 1), undefined, typeKids), fld(`Length: ${l}`, at(21 + q, 1))];
    if (t === 148 && l === 4) ok.push(fld(`Router Alert: Router shall examine packet (${u16(b, o + q + 2)})`, at(22 + q, 2)));
    else if (l > 2) ok.push(fld(`Data: ${bytesHex(b, o + q + 2, l - 2)}`, at(22 + q, l - 2)));
    kids.push(fld(`IP Option - ${name}${t === 148 ? ' (4 bytes): Router shall examine packet (0)' : ` (${l} bytes)`}`, at(20 + q, l), undefined, ok));
    q += l;
  }
  return fld(`Options: (${len} bytes), ${names.join(', ')}`, at(20, len), 'ip.options', kids);
}

const IP6OPT_NAMES: Record<number, string> = { 0: 'Pad1', 1: 'PadN', 5: 'Router Alert', 0xc2: 'Jumbo Payload', 4: 'Tunnel Encapsulation Limit', 0xc9: 'Home Address Option' };
const ACTIONS = ['Skip and continue', 'Discard packet', 'Discard packet and send ICMP Parameter Problem', 'Discard packet and send ICMP Parameter Problem if not multicast'];

function ip6Options(b: Uint8Array, o: number, end: number, at: (s: number, l: number) => Range, base: number): DetailNode[] {
  const out: DetailNode[] = [];
  let q = o;
  while (q < end) {
    const t = b[q];
    const name = IP6OPT_NAMES[t] ?? 'Unknown';
    const typeNode = fld(`Type: ${name} (0x${t.toString(16).padStart(2, '0')})`, at(q - base, 1), 'ipv6.opt.type', [
      fld(bitLine(t, 0xc0, 8, `Action: ${ACTIONS[t >> 6]} (${t >> 6})`), at(q - base, 1)),
      fld(bitLine(t, 0x20, 8, `May Change: ${t & 0x20 ? 'Yes' : 'No'}`), at(q - base, 1)),
      fld(bitLine(t, 0x1f, 8, `Low-Order Bits: 0x${(t & 0x1f).toString(16).padStart(2, '0')}`), at(q - base, 1)),
    ]);
    if (t === 0) {
      out.push(fld('Pad1', at(q - base, 1), undefined, [typeNode]));
      q++;
      continue;
    }
    if (q + 1 >= end) break;
    const l = b[q + 1];
    const kids = [typeNode, fld(`Length: ${l}`, at(q + 1 - base, 1))];
    if (t === 1) kids.push(fld(`PadN: ${l ? bytesHex(b, q + 2, l) : '<none>'}`, at(q + 2 - base, l)));
    else if (t === 5 && l === 2) {
      const v = u16(b, q + 2);
      const rn = v === 0 ? 'MLD' : v === 1 ? 'RSVP' : v === 2 ? 'Active Networks' : 'Unknown';
      kids.push(fld(`Router Alert: ${rn} (${v})`, at(q + 2 - base, 2)));
    } else if (l > 0) kids.push(fld(`Data: ${bytesHex(b, q + 2, l)}`, at(q + 2 - base, l)));
    out.push(fld(t === 5 ? 'Router Alert' : name, at(q - base, l + 2), undefined, kids));
    q += 2 + l;
  }
  return out;
}

export interface Ip6Extra {
  tail?: DetailNode[];
}

/** IPv6 with its extension headers (Hop-by-Hop, Destination Options, Routing, Fragment). */
export function ipv6Node(b: Uint8Array, o: number, avail: number, base: number | undefined, x: Ip6Extra = {}): DetailNode {
  const at = ranger(base, avail);
  const w = u32(b, o);
  const src = ipv6(b, o + 8);
  const dst = ipv6(b, o + 24);
  const tc = (w >>> 20) & 0xff;
  const d = dsLines(tc, w, 20, 32, at(0, 4));
  const kids: DetailNode[] = [
    fld(bitLine(b[o], 0xf0, 8, `Version: ${b[o] >> 4}`), at(0, 1), 'ipv6.version'),
    fld(bitLine(w, 0x0ff00000, 32, `Traffic Class: ${d.summary}`), at(0, 4), 'ipv6.tclass', d.kids),
    fld(bitLine(w & 0xffffff, 0xfffff, 24, `Flow Label: ${hexN(w & 0xfffff, 5)}`), at(1, 3), 'ipv6.flow'),
    fld(`Payload Length: ${u16(b, o + 4)}`, at(4, 2), 'ipv6.plen'),
  ];
  let next = b[o + 6];
  kids.push(fld(`Next Header: ${ipProtoName(next)} (${next})`, at(6, 1), 'ipv6.nxt'));
  kids.push(fld(`Hop Limit: ${b[o + 7]}`, at(7, 1), 'ipv6.hlim'));
  kids.push(fld(`Source Address: ${src}`, at(8, 16), 'ipv6.src'));
  kids.push(fld(`Destination Address: ${dst}`, at(24, 16), 'ipv6.dst'));
  let q = o + 40;
  const end = o + avail;
  for (let i = 0; i < 16; i++) {
    if (next === 0 || next === 60 || next === 43) {
      if (end - q < 2) break;
      const nn = b[q];
      const len = (b[q + 1] + 1) * 8;
      const ext: DetailNode[] = [
        fld(`Next Header: ${ipProtoName(nn)} (${nn})`, at(q - o, 1)),
        fld(`Length: ${b[q + 1]}`, at(q - o + 1, 1)),
        fld(`[Length: ${len} bytes]`, {}),
      ];
      if (next !== 43 && q + len <= end) ext.push(...ip6Options(b, q + 2, q + len, at, o));
      kids.push(fld(ipProtoName(next), at(q - o, len), undefined, ext));
      q += len;
      next = nn;
    } else if (next === 44) {
      if (end - q < 8) break;
      const nn = b[q];
      const fo = u16(b, q + 2);
      kids.push(fld('Fragment Header for IPv6', at(q - o, 8), undefined, [
        fld(`Next header: ${ipProtoName(nn)} (${nn})`, at(q - o, 1)),
        fld(`Reserved octet: ${hexN(b[q + 1], 2)}`, at(q - o + 1, 1)),
        fld(bitLine(fo, 0xfff8, 16, `Offset: ${fo >> 3} (${(fo >> 3) * 8} bytes)`), at(q - o + 2, 2)),
        fld(bitLine(fo, 0x0006, 16, `Reserved bits: ${(fo >> 1) & 3}`), at(q - o + 2, 2)),
        fld(bitLine(fo, 0x0001, 16, `More Fragments: ${fo & 1 ? 'Yes' : 'No'}`), at(q - o + 2, 2)),
        fld(`Identification: ${hexN(u32(b, q + 4), 8)}`, at(q - o + 4, 4)),
      ]));
      q += 8;
      next = nn;
      break;
    } else break;
  }
  // After the extension headers: an interface identifier made from a universal MAC (modified EUI-64:
  // ff:fe in its middle, the U/L bit set), as tshark names it.
  for (const [k, side] of [[8, 'Source'], [24, 'Destination']] as const) {
    const a = o + k;
    if (b[a] !== 0xff && b[a + 8] & 2 && b[a + 11] === 0xff && b[a + 12] === 0xfe) {
      const m = [b[a + 8] ^ 2, b[a + 9], b[a + 10], b[a + 13], b[a + 14], b[a + 15]].map((x) => x.toString(16).padStart(2, '0')).join(':');
      kids.push(fld(`[${side} SLAAC MAC: ${m}]`, at(k + 8, 8)));
    }
  }
  if (x.tail) kids.push(...x.tail);
  return { label: `Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`, proto: 'ipv6', ...at(0, 40), children: kids };
}

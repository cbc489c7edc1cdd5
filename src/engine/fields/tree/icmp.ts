/** ICMP and ICMPv6 as tshark's detail tree shows them (echo, errors with the quoted packet, ND, MLDv2). */
import type { DetailNode } from '../../model/types';
import { ipv6 } from '../format';
import { bitLine, bytesHex, hexN, mac, setNot, u16, u32 } from './bits';
import { dataNode, expert, fld, ranger, type Range } from './node';

export const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 3: 'Destination unreachable', 4: 'Source quench (flow control)', 5: 'Redirect', 8: 'Echo (ping) request',
  9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply', 17: 'Address mask request', 18: 'Address mask reply',
};
export const ICMP_CODES: Record<number, string[]> = {
  3: ['Network unreachable', 'Host unreachable', 'Protocol unreachable', 'Port unreachable', 'Fragmentation needed', 'Source route failed',
    'Destination network unknown', 'Destination host unknown', 'Source host isolated', 'Network administratively prohibited',
    'Host administratively prohibited', 'Network unreachable for TOS', 'Host unreachable for TOS', 'Communication administratively filtered',
    'Host precedence violation', 'Precedence cutoff in effect'],
  5: ['Redirect for network', 'Redirect for host', 'Redirect for TOS and network', 'Redirect for TOS and host'],
  11: ['Time to live exceeded in transit', 'Fragment reassembly time exceeded'],
  12: ['Pointer indicates the error', 'Required option missing', 'Bad length'],
};

export const ICMP6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem', 128: 'Echo (ping) request',
  129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report', 132: 'Multicast Listener Done',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement', 137: 'Redirect',
  143: 'Multicast Listener Report Message v2',
};
export const ICMP6_CODES: Record<number, string[]> = {
  1: ['no route to destination', 'communication with destination administratively prohibited', 'beyond scope of source address',
    'address unreachable', 'port unreachable', 'source address failed ingress/egress policy', 'reject route to destination'],
  3: ['hop limit exceeded in transit', 'fragment reassembly time exceeded'],
  4: ['erroneous header field encountered', 'unrecognized Next Header type encountered', 'unrecognized IPv6 option encountered'],
};

/** Internet checksum of `b[o, o+n)` plus an initial sum. */
export function inetSum(b: Uint8Array, o: number, n: number, sum = 0): number {
  for (let i = 0; i + 1 < n; i += 2) sum += (b[o + i] << 8) | b[o + i + 1];
  if (n & 1) sum += b[o + n - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The echo request/reply links of a frame (filled by the capture-wide pass). */
export interface EchoLink {
  request?: number;
  response?: number;
  /** Milliseconds from the request, as printed (three decimals). */
  time?: string;
}

export interface IcmpCtx {
  /** The frame's echo link, when the frame is an echo request/reply outside an error. */
  echo?: EchoLink;
  /** Nodes of the quoted packet (errors). */
  quoted: DetailNode[];
  /** ICMPv6 pseudo-header sum (source, destination, length, next header) for the checksum, or undefined. */
  pseudo?: number;
  /** The message was captured whole (the checksum can be checked). */
  whole: boolean;
  /** In an ICMP error's quoted packet: no response matching. */
  inError: boolean;
}

function checksumNodes(b: Uint8Array, o: number, len: number, c: IcmpCtx, at: (s: number, l: number) => Range, v6: boolean): DetailNode[] {
  const ck = u16(b, o + 2);
  const field = v6 ? 'icmpv6.checksum' : 'icmp.checksum';
  if (c.inError || !c.whole || (v6 && c.pseudo === undefined)) {
    return [fld(`Checksum: ${hexN(ck, 4)} [unverified]${c.inError ? ' [in ICMP error packet]' : ''}`, at(2, 2), field), fld('[Checksum Status: Unverified]', {}, field + '.status')];
  }
  const sum = inetSum(b, o, len, c.pseudo ?? 0);
  if (sum === 0xffff) return [fld(`Checksum: ${hexN(ck, 4)} [correct]`, at(2, 2), field), fld('[Checksum Status: Good]', {}, field + '.status')];
  // The value that would have been right: the sum with the checksum field taken as zero.
  const without = inetSum(b, o, 2, c.pseudo ?? 0) + inetSum(b, o + 4, len - 4);
  let s = without;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  const should = ~s & 0xffff;
  return [
    fld(`Checksum: ${hexN(ck, 4)} incorrect, should be ${hexN(should, 4)}`, at(2, 2), field, [expert('warn', 'Checksum', 'Bad checksum')]),
    fld('[Checksum Status: Bad]', {}, field + '.status'),
  ];
}


/** ICMP (v4): `b[o..]`, `avail` bytes captured, `len` the message length the IP layer reports. */
export function icmpNode(b: Uint8Array, o: number, avail: number, len: number, base: number | undefined, c: IcmpCtx): DetailNode {
  const at = ranger(base, avail);
  const type = b[o];
  const code = b[o + 1];
  const kids: DetailNode[] = [fld(`Type: ${type} (${ICMP_TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)'})`, at(0, 1), 'icmp.type')];
  const cn = ICMP_CODES[type]?.[code];
  kids.push(fld(`Code: ${code}${cn ? ` (${cn})` : ''}`, at(1, 1), 'icmp.code'));
  kids.push(...checksumNodes(b, o, Math.min(avail, len), c, at, false));
  if (type === 0 || type === 8) {
    const id = u16(b, o + 4);
    const seq = u16(b, o + 6);
    const le = (v: number) => ((v & 0xff) << 8) | (v >> 8);
    kids.push(fld(`Identifier (BE): ${id} (${hexN(id, 4)})`, at(4, 2), 'icmp.ident'));
    kids.push(fld(`Identifier (LE): ${le(id)} (${hexN(le(id), 4)})`, at(4, 2), 'icmp.ident_le'));
    kids.push(fld(`Sequence Number (BE): ${seq} (${hexN(seq, 4)})`, at(6, 2), 'icmp.seq'));
    kids.push(fld(`Sequence Number (LE): ${le(seq)} (${hexN(le(seq), 4)})`, at(6, 2), 'icmp.seq_le'));
    if (!c.inError && c.echo) {
      if (type === 8) {
        if (c.echo.response) kids.push(fld(`[Response frame: ${c.echo.response}]`, {}, 'icmp.resp_in'));
        else kids.push(fld('[No response seen]', {}, 'icmp.no_resp', [expert('warn', 'Sequence', 'No response seen to ICMP request')]));
      } else if (c.echo.request) {
        kids.push(fld(`[Request frame: ${c.echo.request}]`, {}, 'icmp.resp_to'));
        kids.push(fld(`[Response time: ${c.echo.time} ms]`, {}, 'icmp.resptime'));
      }
    }
    const n = Math.min(avail, len) - 8;
    if (n > 0) kids.push(dataNode(b, o + 8, n, at(8, n)));
  } else if (type === 3 || type === 11 || type === 4 || type === 12 || type === 5) {
    if (type === 5) kids.push(fld(`Gateway Address: ${b[o + 4]}.${b[o + 5]}.${b[o + 6]}.${b[o + 7]}`, at(4, 4), 'icmp.redir_gw'));
    else if (type === 3 && code === 4) {
      kids.push(fld(`Unused: ${hexN(u16(b, o + 4), 4)}`, at(4, 2), 'icmp.unused'));
      kids.push(fld(`MTU of next hop: ${u16(b, o + 6)}`, at(6, 2), 'icmp.mtu'));
    } else if (type === 12) {
      kids.push(fld(`Pointer: ${b[o + 4]}`, at(4, 1), 'icmp.pointer'));
      kids.push(fld(`Unused: ${bytesHex(b, o + 5, 3)}`, at(5, 3), 'icmp.unused'));
    } else if ((type === 3 || type === 11) && b[o + 5] !== 0) {
      // RFC 4884: the length of the quoted datagram in 32-bit words.
      kids.push(fld(`Unused: ${bytesHex(b, o + 4, 1)}`, at(4, 1), 'icmp.unused'));
      kids.push(fld(`Length: ${b[o + 5]}`, at(5, 1), 'icmp.length'));
      kids.push(fld(`[Length of original datagram: ${b[o + 5] * 4}]`, {}, 'icmp.length.original_datagram'));
      kids.push(fld(`Unused: ${bytesHex(b, o + 6, 2)}`, at(6, 2), 'icmp.unused'));
    } else kids.push(fld(`Unused: ${bytesHex(b, o + 4, 4)}`, at(4, 4), 'icmp.unused'));
    kids.push(...c.quoted);
  } else if (avail > 4) {
    const n = Math.min(avail, len) - 4;
    if (n > 0) kids.push(dataNode(b, o + 4, n, at(4, n)));
  }
  return { label: 'Internet Control Message Protocol', proto: 'icmp', ...at(0, Math.min(avail, len)), children: kids };
}

const ND_OPTS: Record<number, string> = { 1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header', 5: 'MTU', 25: 'Recursive DNS Server', 31: 'DNS Search List' };

function ndOptions(b: Uint8Array, o: number, end: number, at: (s: number, l: number) => Range, base0: number): DetailNode[] {
  const out: DetailNode[] = [];
  let q = o;
  while (q + 2 <= end) {
    const t = b[q];
    const l = b[q + 1] * 8;
    if (l === 0 || q + l > end) break;
    const name = ND_OPTS[t] ?? 'Unknown';
    const kids = [fld(`Type: ${name} (${t})`, at(q - base0, 1), 'icmpv6.opt.type'), fld(`Length: ${b[q + 1]} (${l} bytes)`, at(q - base0 + 1, 1), 'icmpv6.opt.length')];
    let label = `ICMPv6 Option (${name})`;
    if ((t === 1 || t === 2) && l === 8) {
      const a = mac(b, q + 2);
      kids.push(fld(`Link-layer address: ${a}`, at(q - base0 + 2, 6), 'icmpv6.opt.linkaddr'));
      label = `ICMPv6 Option (${name} : ${a})`;
    } else if (t === 5 && l === 8) {
      kids.push(fld(`Reserved: ${bytesHex(b, q + 2, 2)}`, at(q - base0 + 2, 2)));
      kids.push(fld(`MTU: ${u32(b, q + 4)}`, at(q - base0 + 4, 4)));
      label = `ICMPv6 Option (MTU : ${u32(b, q + 4)})`;
    } else if (t === 3 && l === 32) {
      const pl = b[q + 2];
      const fl = b[q + 3];
      const pfx = ipv6(b, q + 16);
      kids.push(fld(`Prefix Length: ${pl}`, at(q - base0 + 2, 1)));
      kids.push(fld(`Flag: ${hexN(fl, 2)}, On-link flag(L), Autonomous address-configuration flag(A)`.replace(/, On-link flag\(L\)/, fl & 0x80 ? ', On-link flag(L)' : '').replace(/, Autonomous address-configuration flag\(A\)/, fl & 0x40 ? ', Autonomous address-configuration flag(A)' : ''), at(q - base0 + 3, 1), undefined, [
        fld(bitLine(fl, 0x80, 8, `On-link flag(L): ${setNot(fl & 0x80)}`), at(q - base0 + 3, 1)),
        fld(bitLine(fl, 0x40, 8, `Autonomous address-configuration flag(A): ${setNot(fl & 0x40)}`), at(q - base0 + 3, 1)),
        fld(bitLine(fl, 0x20, 8, `Router address flag(R): ${setNot(fl & 0x20)}`), at(q - base0 + 3, 1)),
        fld(bitLine(fl, 0x1f, 8, `Reserved: ${fl & 0x1f}`), at(q - base0 + 3, 1)),
      ]));
      const lt = (v: number) => (v === 0xffffffff ? 'Infinity (4294967295)' : String(v));
      kids.push(fld(`Valid Lifetime: ${lt(u32(b, q + 4))}`, at(q - base0 + 4, 4)));
      kids.push(fld(`Preferred Lifetime: ${lt(u32(b, q + 8))}`, at(q - base0 + 8, 4)));
      kids.push(fld(`Reserved`, at(q - base0 + 12, 4)));
      kids.push(fld(`Prefix: ${pfx}`, at(q - base0 + 16, 16)));
      label = `ICMPv6 Option (Prefix information : ${pfx}/${pl})`;
    }
    out.push(fld(label, at(q - base0, l), 'icmpv6.opt', kids));
    q += l;
  }
  return out;
}

const MLD_RECORD_TYPES: Record<number, string> = { 1: 'Mode is include', 2: 'Mode is exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources' };

/** ICMPv6. */
export function icmp6Node(b: Uint8Array, o: number, avail: number, len: number, base: number | undefined, c: IcmpCtx): DetailNode {
  const at = ranger(base, avail);
  const type = b[o];
  const code = b[o + 1];
  const end = o + Math.min(avail, len);
  const kids: DetailNode[] = [fld(`Type: ${ICMP6_TYPES[type] ?? 'Unknown'} (${type})`, at(0, 1), 'icmpv6.type')];
  const cn = ICMP6_CODES[type]?.[code];
  kids.push(fld(`Code: ${code}${cn ? ` (${cn})` : ''}`, at(1, 1), 'icmpv6.code'));
  kids.push(...checksumNodes(b, o, Math.min(avail, len), c, at, true));
  if (type === 128 || type === 129) {
    kids.push(fld(`Identifier: ${hexN(u16(b, o + 4), 4)}`, at(4, 2), 'icmpv6.echo.identifier'));
    kids.push(fld(`Sequence: ${u16(b, o + 6)}`, at(6, 2), 'icmpv6.echo.sequence_number'));
    if (!c.inError && c.echo) {
      if (type === 128 && c.echo.response) kids.push(fld(`[Response In: ${c.echo.response}]`, {}, 'icmpv6.resp_in'));
      if (type === 129 && c.echo.request) {
        kids.push(fld(`[Response To: ${c.echo.request}]`, {}, 'icmpv6.resp_to'));
        kids.push(fld(`[Response Time: ${c.echo.time} ms]`, {}, 'icmpv6.resptime'));
      }
    }
    const n = end - o - 8;
    if (n > 0) kids.push(dataNode(b, o + 8, n, at(8, n)));
  } else if (type >= 1 && type <= 4) {
    if (type === 2) kids.push(fld(`MTU: ${u32(b, o + 4)}`, at(4, 4), 'icmpv6.mtu'));
    else if (type === 4) kids.push(fld(`Pointer: ${u32(b, o + 4)}`, at(4, 4), 'icmpv6.pointer'));
    else kids.push(fld(`Reserved: ${bytesHex(b, o + 4, 4)}`, at(4, 4), 'icmpv6.reserved'));
    kids.push(...c.quoted);
  } else if (type === 133) {
    kids.push(fld(`Reserved: ${bytesHex(b, o + 4, 4)}`, at(4, 4), 'icmpv6.reserved'));
    kids.push(...ndOptions(b, o + 8, end, at, o));
  } else if (type === 135) {
    kids.push(fld(`Reserved: ${bytesHex(b, o + 4, 4)}`, at(4, 4), 'icmpv6.reserved'));
    kids.push(fld(`Target Address: ${ipv6(b, o + 8)}`, at(8, 16), 'icmpv6.nd.ns.target_address'));
    kids.push(...ndOptions(b, o + 24, end, at, o));
  } else if (type === 136) {
    const f = u32(b, o + 4);
    const names = [f & 0x80000000 ? 'Router' : '', f & 0x40000000 ? 'Solicited' : '', f & 0x20000000 ? 'Override' : ''].filter(Boolean);
    kids.push(fld(`Flags: ${hexN(f, 8)}${names.length ? ', ' + names.join(', ') : ''}`, at(4, 4), 'icmpv6.nd.na.flag', [
      fld(bitLine(f, 0x80000000, 32, `Router: ${setNot(f & 0x80000000)}`), at(4, 4), 'icmpv6.nd.na.flag.r'),
      fld(bitLine(f, 0x40000000, 32, `Solicited: ${setNot(f & 0x40000000)}`), at(4, 4), 'icmpv6.nd.na.flag.s'),
      fld(bitLine(f, 0x20000000, 32, `Override: ${setNot(f & 0x20000000)}`), at(4, 4), 'icmpv6.nd.na.flag.o'),
      fld(bitLine(f, 0x1fffffff, 32, `Reserved: ${f & 0x1fffffff}`), at(4, 4), 'icmpv6.nd.na.flag.rsv'),
    ]));
    kids.push(fld(`Target Address: ${ipv6(b, o + 8)}`, at(8, 16), 'icmpv6.nd.na.target_address'));
    kids.push(...ndOptions(b, o + 24, end, at, o));
  } else if (type === 134) {
    const f = b[o + 5];
    kids.push(fld(`Cur hop limit: ${b[o + 4]}`, at(4, 1), 'icmpv6.nd.ra.cur_hop_limit'));
    kids.push(fld(`Flags: ${hexN(f, 2)}`, at(5, 1), 'icmpv6.nd.ra.flag', [
      fld(bitLine(f, 0x80, 8, `Managed address configuration: ${setNot(f & 0x80)}`), at(5, 1)),
      fld(bitLine(f, 0x40, 8, `Other configuration: ${setNot(f & 0x40)}`), at(5, 1)),
      fld(bitLine(f, 0x20, 8, `Home Agent: ${setNot(f & 0x20)}`), at(5, 1)),
      fld(bitLine(f, 0x18, 8, `Prf (Default Router Preference): ${['Medium', 'High', 'Reserved', 'Low'][(f >> 3) & 3]} (${(f >> 3) & 3})`), at(5, 1)),
      fld(bitLine(f, 0x04, 8, `Proxy: ${setNot(f & 0x04)}`), at(5, 1)),
      fld(bitLine(f, 0x02, 8, `Reserved: ${(f >> 1) & 1}`), at(5, 1)),
    ]));
    kids.push(fld(`Router lifetime (s): ${u16(b, o + 6)}`, at(6, 2)));
    kids.push(fld(`Reachable time (ms): ${u32(b, o + 8)}`, at(8, 4)));
    kids.push(fld(`Retrans timer (ms): ${u32(b, o + 12)}`, at(12, 4)));
    kids.push(...ndOptions(b, o + 16, end, at, o));
  } else if (type === 143) {
    const n = u16(b, o + 6);
    kids.push(fld(`Reserved: ${bytesHex(b, o + 4, 2)}`, at(4, 2), 'icmpv6.reserved'));
    kids.push(fld(`Number of Multicast Address Records: ${n}`, at(6, 2), 'icmpv6.mldr.nb_mcast_records'));
    let q = o + 8;
    for (let i = 0; i < n && q + 20 <= end; i++) {
      const rt = b[q];
      const aux = b[q + 1];
      const ns = u16(b, q + 2);
      const addr = ipv6(b, q + 4);
      const rl = 20 + ns * 16 + aux * 4;
      const rk = [
        fld(`Record Type: ${MLD_RECORD_TYPES[rt] ?? 'Unknown'} (${rt})`, at(q - o, 1)),
        fld(`Aux Data Len: ${aux}`, at(q - o + 1, 1)),
        fld(`Number of Sources: ${ns}`, at(q - o + 2, 2)),
        fld(`Multicast Address: ${addr}`, at(q - o + 4, 16)),
      ];
      for (let k = 0; k < ns && q + 20 + k * 16 + 16 <= end; k++) rk.push(fld(`Source Address: ${ipv6(b, q + 20 + k * 16)}`, at(q - o + 20 + k * 16, 16)));
      kids.push(fld(`Multicast Address Record ${MLD_RECORD_TYPES[rt] ?? 'Unknown'}: ${addr}`, at(q - o, rl), 'icmpv6.mldr.mar', rk));
      q += rl;
    }
  } else if (type === 130 || type === 131 || type === 132) {
    kids.push(fld(`Maximum Response Delay [ms]: ${u16(b, o + 4)}`, at(4, 2)));
    kids.push(fld(`Reserved: ${bytesHex(b, o + 6, 2)}`, at(6, 2)));
    kids.push(fld(`Multicast Address: ${ipv6(b, o + 8)}`, at(8, 16)));
  }
  return { label: 'Internet Control Message Protocol v6', proto: 'icmpv6', ...at(0, Math.min(avail, len)), children: kids };
}

/**
 * An ICMPv4 error longer than 8 + 128 bytes that quotes an IPv4 packet of at most 128 bytes, and
 * whose RFC 4884 length field (byte 5, in 32-bit words) says the original datagram runs past the
 * message: tshark looks for the extension structure where that length ends and fails with
 * "[Malformed Packet: ICMP]". Black-box, 4.0.17 (Time-to-live exceeded, varying each value):
 * a 148-byte message quoting 92 bytes fails for lengths of 36 words and more (8 + 144 > 148),
 * not for 35; it fails quoting 20…128 bytes, not 129 or more; with 92 quoted it fails for
 * messages of 137 bytes and more, not 136.
 */
export function icmpLengthPastEnd(b: Uint8Array, o: number, avail: number, len: number): boolean {
  const type = b[o];
  if ((type !== 3 && type !== 11 && type !== 12) || avail < 12 || len <= 136) return false;
  const words = b[o + 5];
  const quoted = b[o + 8] >> 4 === 4 ? u16(b, o + 10) : Infinity;
  return words > 0 && 8 + words * 4 > len && quoted <= 128;
}

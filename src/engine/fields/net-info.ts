/**
 * Protocol and Info columns of frames whose top protocol is a network or transport protocol
 * other than TCP — UDP, ICMP, ICMPv6 (echo, errors, ND, MLD), ARP, IGMP, IP fragments — as
 * `tshark -2 -n` writes them, read from the decoder's layer log. Application protocols on top
 * (DNS, DHCP, …) are their dissectors' business and override these.
 */
import { TCP_ICMP } from '../decode/packet';
import { ipv4, ipv6 } from './format';
import type { FrameCtx } from './project';
import { u16, u32, mac } from './tree/bits';
import { arpInfo } from './tree/arp';
import { ICMP_CODES, ICMP_TYPES, ICMP6_TYPES, icmpLengthPastEnd } from './tree/icmp';
import { ipProtoName } from './tree/ip';
import { layersOf } from './tree/layers';
import type { TreeSide } from './tree/side';
import { wlanInfo } from './tree/wlan';
import { eapolColumns } from './tree/eapol';
import { SIZE_LIMITED } from '../capture/snaplen';

export interface NetColumns {
  proto: string;
  info: string;
}

const IGMP_TYPES: Record<number, string> = { 0x11: 'Membership Query', 0x12: 'Membership Report', 0x16: 'Membership Report', 0x17: 'Leave Group', 0x22: 'Membership Report' };

/** The columns when the frame's last layer is one of those protocols, else undefined. */
export function netColumns(c: FrameCtx, side?: TreeSide): NetColumns | undefined {
  const ls = layersOf(c.p, c.buf);
  // The last layer outside an ICMP error's quoted packet decides the columns.
  let k = -1;
  for (let i = 0; i < ls.length; i++) if (ls[i].ctx !== TCP_ICMP && ls[i].name !== 'ethertype') k = i;
  if (k < 0) return ls.length === 0 && c.p.proto === '802.11' && c.p.note !== 'IEEE 802.11 A-MSDU' ? wlanColumns(c) : undefined;
  const L = ls[k];
  const b = L.buf;
  const o = L.off;
  const avail = L.end - o;
  let ip: (typeof ls)[number] | undefined;
  for (let i = 0; i < k; i++) if ((ls[i].name === 'ip' || ls[i].name === 'ipv6') && ls[i].ctx === L.ctx) ip = ls[i];
  switch (L.name) {
    case 'udp': {
      if (avail < 8) return undefined;
      return { proto: 'UDP', info: `${u16(b, o)} → ${u16(b, o + 2)} Len=${u16(b, o + 4) - 8}` };
    }
    case 'arp':
      return { proto: 'ARP', info: arpInfo(b, o, avail) };
    case 'eapol':
      return eapolColumns(b, o, avail, c.s.frames.capLen[c.n - 1] < c.s.frames.origLen[c.n - 1] ? SIZE_LIMITED : '[Malformed Packet]');
    case 'icmp': {
      if (avail < 4) return undefined;
      const t = b[o];
      const code = b[o + 1];
      const name = ICMP_TYPES[t] ?? 'Unknown ICMP (obsolete or malformed?)';
      if ((t === 0 || t === 8) && avail >= 8) {
        const id = u16(b, o + 4);
        const seq = u16(b, o + 6);
        const ttl = ip && ip.name === 'ip' ? ip.buf[ip.off + 8] : 0;
        let s = `${name.padEnd(20)} id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${((seq & 0xff) << 8) | (seq >> 8)}, ttl=${ttl}`;
        const e = side?.echoLink(c.n);
        if (e) {
          if (t === 8) s += e.response ? ` (reply in ${e.response})` : ' (no response found!)';
          else if (e.request) s += ` (request in ${e.request})`;
        }
        return { proto: 'ICMP', info: s };
      }
      const cn = ICMP_CODES[t]?.[code];
      // An RFC 4884 length past the message: the tree's "[Malformed Packet: ICMP]".
      const bad = icmpLengthPastEnd(b, o, avail, L.rend - o) ? '[Malformed Packet]' : '';
      return { proto: 'ICMP', info: (cn ? `${name} (${cn})` : name) + bad };
    }
    case 'icmpv6': {
      if (avail < 4) return undefined;
      const t = b[o];
      const name = ICMP6_TYPES[t] ?? `Unknown (${t})`;
      if ((t === 128 || t === 129) && avail >= 8) {
        const hl = ip && ip.name === 'ipv6' ? ip.buf[ip.off + 7] : 0;
        let s = `${name} id=0x${u16(b, o + 4).toString(16).padStart(4, '0')}, seq=${u16(b, o + 6)}, hop limit=${hl}`;
        const e = side?.echoLink(c.n);
        if (e) {
          if (t === 128) s += e.response ? ` (reply in ${e.response})` : ' (no response found!)';
          else if (e.request) s += ` (request in ${e.request})`;
        }
        return { proto: 'ICMPv6', info: s };
      }
      const opt = (start: number, kind: number): string | undefined => {
        for (let q = o + start; q + 8 <= L.end && b[q + 1] > 0; q += b[q + 1] * 8) if (b[q] === kind && b[q + 1] === 1) return mac(b, q + 2);
        return undefined;
      };
      if (t === 135 && avail >= 24) {
        const from = opt(24, 1);
        return { proto: 'ICMPv6', info: `Neighbor Solicitation for ${ipv6(b, o + 8)}${from ? ` from ${from}` : ''}` };
      }
      if (t === 136 && avail >= 24) {
        const f = u32(b, o + 4);
        const fl = [f & 0x80000000 ? 'rtr' : '', f & 0x40000000 ? 'sol' : '', f & 0x20000000 ? 'ovr' : ''].filter(Boolean).join(', ');
        const at = opt(24, 2);
        return { proto: 'ICMPv6', info: `Neighbor Advertisement ${ipv6(b, o + 8)}${fl ? ` (${fl})` : ''}${at ? ` is at ${at}` : ''}` };
      }
      if (t === 133) {
        const from = opt(8, 1);
        return { proto: 'ICMPv6', info: `Router Solicitation${from ? ` from ${from}` : ''}` };
      }
      if (t === 134) {
        const from = opt(16, 1);
        return { proto: 'ICMPv6', info: `Router Advertisement${from ? ` from ${from}` : ''}` };
      }
      return { proto: 'ICMPv6', info: name };
    }
    case 'igmp': {
      if (avail < 8) return undefined;
      const t = b[o];
      const v = t === 0x22 ? 3 : t === 0x12 ? 1 : 2;
      const group = ipv4(b, o + 4);
      const name = IGMP_TYPES[t] ?? 'Unknown';
      if (t === 0x11) return { proto: `IGMPv${avail >= 12 ? 3 : 2}`, info: group === '0.0.0.0' ? 'Membership Query, general' : `Membership Query, specific for group ${group}` };
      return { proto: `IGMPv${v}`, info: t === 0x22 ? name + igmpv3Records(b, o, L.end) : `${name} group ${group}` };
    }
    case 'ip': {
      const ff = u16(b, o + 6);
      if (!(ff & 0x3fff) || avail < 20) return undefined;
      const proto = b[o + 9];
      const done = c.s.decoder.defrag.reassembledIn.get(c.n);
      return { proto: 'IPv4', info: `Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${(ff & 0x1fff) * 8}, ID=${u16(b, o + 4).toString(16).padStart(4, '0')})${done !== undefined && done !== c.n ? ` [Reassembled in #${done}]` : ''}` };
    }
    case 'ipv6.fraghdr': {
      if (avail < 8) return undefined;
      const fo = u16(b, o + 2);
      return { proto: 'IPv6', info: `IPv6 fragment (off=${fo & 0xfff8} more=${fo & 1 ? 'y' : 'n'} ident=0x${u32(b, o + 4).toString(16).padStart(8, '0')} nxt=${b[o]})` };
    }
    default:
      return undefined;
  }
}

/** An 802.11 frame the decoder did not follow past its MAC header (management, control, protected data…). */
function wlanColumns(c: FrameCtx): NetColumns | undefined {
  const t = c.s.frames;
  const cap = t.capLen[c.n - 1];
  const info = wlanInfo(c.buf, c.off, c.off + cap, c.s.linkType(c.n), cap < t.origLen[c.n - 1] ? SIZE_LIMITED : '');
  return info === undefined ? undefined : { proto: '802.11', info };
}

/**
 * The group records of an IGMPv3 Membership Report as tshark's Info lists them (black-box, 4.0.17):
 * " / Join group G for any sources", " / Leave group G", " / Group G, new source {S}", …; no record:
 * " - General query"; a record cut short: "[Malformed Packet]".
 */
function igmpv3Records(b: Uint8Array, o: number, end: number): string {
  const n = end - o >= 8 ? u16(b, o + 6) : 0;
  if (n === 0) return ' - General query';
  let s = '';
  let q = o + 8;
  for (let r = 0; r < n; r++) {
    if (end - q < 8) return s + '[Malformed Packet]';
    const type = b[q];
    const ns = u16(b, q + 2);
    const size = 8 + 4 * ns + 4 * b[q + 1];
    if (end - q < 8 + 4 * ns) return s + '[Malformed Packet]';
    const g = ipv4(b, q + 4);
    const srcs: string[] = [];
    for (let k = 0; k < ns; k++) srcs.push(ipv4(b, q + 8 + 4 * k));
    const set = `{${srcs.join(', ')}}`;
    const one = ns === 1;
    if (type === 1 || type === 3) s += ns === 0 ? ` / Leave group ${g}` : ` / Join group ${g} for ${one ? 'source' : 'sources in'} ${set}`;
    else if (type === 2 || type === 4) s += ns === 0 ? ` / Join group ${g} for any sources` : ` / Join group ${g}, for ${one ? 'source not' : 'sources not in'} ${set}`;
    else if (type === 5 || type === 6) {
      const [word, rec] = type === 5 ? ['new', 'ALLOW_NEW_SOURCES'] : ['block', 'BLOCK_OLD_SOURCES'];
      s += ns === 0 ? ` / Group ${g}, ${rec} but no source specified (?)` : ` / Group ${g}, ${word} source${one ? '' : 's'} ${set}`;
    } else s += ` / Group ${g}, unknown record type (?)${ns ? `, sources ${set}` : ''}`;
    q += size;
  }
  return s;
}

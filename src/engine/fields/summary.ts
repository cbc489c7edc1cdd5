/**
 * Wireshark's columns for a frame: Source, Destination, Protocol and Info (TCP Info as
 * Wireshark writes it, spec §6.1–6.2, with the analysis words in front), plus the default
 * colouring rule that matches (spec §9).
 */
import { TH_ACK, TH_FIN, TH_SYN, TH_URG } from '../decode/packet';
import * as A from '../tcp/flags';
import { forEachTcpOption, u32At } from '../decode/tcp-options';
import { fmtRelNs, ipv6 } from './format';
import { SIZE_LIMITED, truncatedProtocol } from '../capture/snaplen';
import { aflags, type FrameCtx } from './project';
import { netColumns } from './net-info';
import { builtSide } from './tree/side';
import { addressRef, addressText } from './address-ref';
import { appFrame, appInfo, appProtocol, tcpReassemblyError } from '../dissect/app';

const FLAG_NAMES: [number, string][] = [
  [0x001, 'FIN'], [0x002, 'SYN'], [0x004, 'RST'], [0x008, 'PSH'], [0x010, 'ACK'], [0x020, 'URG'], [0x040, 'ECE'], [0x080, 'CWR'], [0x100, 'AE'],
];

/** flagList's texts by the 12 flag bits, made when first asked for (every TCP row's Info has one). */
const FLAG_LISTS: string[] = [];

export function flagList(flags: number): string {
  const k = flags & 0xfff;
  const known = FLAG_LISTS[k];
  if (known !== undefined) return known;
  const names = FLAG_NAMES.filter(([b]) => k & b).map(([, n]) => n);
  if (k & 0xe00) names.push('Reserved');
  return (FLAG_LISTS[k] = names.length ? names.join(', ') : '<None>');
}

/** The bracketed analysis words of a frame, in the order Info shows them. */
export function flagWords(c: FrameCtx): string[] {
  const af = aflags(c);
  if (!(af & A.A_FLAG_MASK)) return [];
  const words: string[] = [];
  for (const f of A.FLAG_ORDER) {
    if (!(af & f.bit)) continue;
    if (f.bit === A.A_DUPLICATE_ACK) {
      const d = c.s.frames.dupAck.get(c.n);
      words.push(`[TCP Dup ACK ${d ? d.frame : 0}#${d ? d.num : 0}]`);
    } else words.push(`[${f.word}]`);
  }
  return words.reverse();
}

function optionText(c: FrameCtx): string {
  const p = c.p;
  const b = p.tcpBuf;
  let s = '';
  const peerBase = c.R ? c.R.baseAt(c.n) : 0;
  forEachTcpOption(p, (k, o, len) => {
    const u32 = (q: number) => u32At(b, q);
    if (k === 2 && len === 4) s += ` MSS=${(b[o + 2] << 8) | b[o + 3]}`;
    else if (k === 3 && len === 3) s += ` WS=${Math.pow(2, Math.min(b[o + 2], 14))}`;
    else if (k === 4) s += ' SACK_PERM';
    else if (k === 5) {
      for (let q = o + 2; q + 8 <= o + len; q += 8) s += ` SLE=${(u32(q) - peerBase) >>> 0} SRE=${(u32(q + 4) - peerBase) >>> 0}`;
    } else if (k === 8 && len === 10) s += ` TSval=${u32(o + 2)} TSecr=${u32(o + 6)}`;
    else if (k === 34) s += len === 2 ? ' TFO=R' : ' TFO=C';
  });
  return s;
}

export function tcpInfo(c: FrameCtx): string {
  const p = c.p;
  let s = `${p.srcPort} → ${p.dstPort}`;
  if (!p.tcpFull) return s;
  const rel = c.conv && !p.tcpQuoted;
  const seq = rel && c.F ? (p.seq - c.F.baseAt(c.n)) >>> 0 : p.seq;
  s += ` [${flagList(p.flags)}] Seq=${seq}`;
  if (p.flags & TH_ACK) s += ` Ack=${rel && c.R ? (p.ack - c.R.baseAt(c.n)) >>> 0 : p.ack}`;
  let win = p.window;
  if (!p.tcpQuoted && !(p.flags & TH_SYN) && c.F && c.F.winScale >= 0) win = p.window * Math.pow(2, c.F.winScale);
  s += ` Win=${win}`;
  if (p.flags & TH_URG) s += ` Urg=${p.urgent}`;
  if (p.segLen >= 0 && !p.tcpQuoted) s += ` Len=${p.segLen}`;
  s += optionText(c);
  return s;
}

export function info(c: FrameCtx): string {
  const p = c.p;
  const t = c.s.frames;
  // tshark flags a cut frame when a dissector it runs needs the missing bytes: IP, UDP and TCP
  // headers here. A cut TCP payload is flagged only by application dissectors (HTTP, …), which
  // seqscope does not run, so such frames keep their plain text, as tshark shows them for data.
  const cutProto = truncatedProtocol(p, c.buf, c.off, t.capLen[c.n - 1], t.origLen[c.n - 1]);
  const cut = cutProto && !(cutProto === 'TCP' && p.tcpFull && p.tcpAvail >= p.hdrLen) ? SIZE_LIMITED : '';
  const app = appFrame(c);
  if (app && app.pdus.length) {
    // A PDU running past the captured bytes is "size limited", not malformed, when the frame was cut.
    const short = t.capLen[c.n - 1] < t.origLen[c.n - 1];
    const payloadCut = p.hasTcp ? p.tcpAvail - p.hdrLen < p.segLen : p.udpBufOff >= 0 && p.udpBufOff + p.udpLen > p.udpEnd && !app.pdus.every((x) => x.cutQuiet);
    // The TCP analysis words stay in front of the application's text.
    const w = p.hasTcp ? flagWords(c) : [];
    return (w.length ? w.join(' ') + ' ' + (app.by.afterTcpWords ?? '') : '') + appInfo(app, short, p.hasTcp ? tcpInfo(c) : '') + (cut || (short && (payloadCut || app.pdus.some((x) => x.malformed))) ? SIZE_LIMITED : '');
  }
  if (!p.hasTcp || p.tcpQuoted) {
    const net = netColumns(c, builtSide(c.s));
    if (net) return net.info + cut;
    return (p.note || (p.hasTcp ? tcpInfo(c) : '')) + cut;
  }
  const words = flagWords(c);
  const seg = app?.segment ? ' [TCP segment of a reassembled PDU]' : app?.truncated && !cut ? SIZE_LIMITED : '';
  // Bytes resent into a PDU being reassembled (dissect/stream.ts): tshark appends the reassembly error.
  const overlap = tcpReassemblyError(c.s, c.n);
  const err = overlap ? `[Reassembly error, protocol TCP: ${overlap.summary}]` : '';
  return (words.length ? words.join(' ') + ' ' : '') + (app?.partial ?? tcpInfo(c)) + cut + seg + err;
}

/** The Protocol column. */
export function protocolColumn(c: FrameCtx): string {
  const p = c.p;
  // The top application PDU's (src/engine/dissect/), else the network layers'.
  const a = appFrame(c);
  if (a && a.pdus.length) return appProtocol(a);
  if (!p.hasTcp || p.tcpQuoted) {
    const net = netColumns(c);
    if (net) return net.proto;
  }
  return p.proto || 'Frame';
}

export function addresses(c: FrameCtx): { source: string; destination: string } {
  // Wireshark's Source/Destination come from the innermost network layer: address-ref.ts.
  const r = addressRef(c.p, c.buf, c.off + c.s.frames.capLen[c.n - 1]);
  return { source: addressText(r.kind, r.b, r.o, false), destination: addressText(r.kind, r.b, r.o, true) };
}

/** An address kept as 32-bit words (IPv4: word 0) in its text form. */
export function addressFromWords(family: number, w: ArrayLike<number>): string {
  return family === 4 ? ipv4FromWord(w[0]) : ipv6FromWords(w);
}

function ipv4FromWord(w: number): string {
  return `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
}

function ipv6FromWords(w: ArrayLike<number>): string {
  const b = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    b[i * 4] = w[i] >>> 24;
    b[i * 4 + 1] = (w[i] >>> 16) & 255;
    b[i * 4 + 2] = (w[i] >>> 8) & 255;
    b[i * 4 + 3] = w[i] & 255;
  }
  return ipv6(b, 0);
}

import { COLOUR_RULES, type ColourRule } from './colour-rules';

export { COLOUR_RULES, darkColours, type ColourRule } from './colour-rules';

export function colourRule(c: FrameCtx): ColourRule | undefined {
  const p = c.p;
  const af = aflags(c);
  if (af & A.A_FLAG_MASK && !(af & (A.A_WINDOW_UPDATE | A.A_KEEP_ALIVE | A.A_KEEP_ALIVE_ACK))) return COLOUR_RULES.badTcp;
  if (p.proto === 'ICMP' || p.proto === 'ICMPv6') {
    const t = p.icmpType;
    if ((p.proto === 'ICMP' && ((t >= 3 && t <= 5) || t === 11)) || (p.proto === 'ICMPv6' && t >= 1 && t <= 4)) return COLOUR_RULES.icmpErrors;
  }
  if (p.proto === 'ARP') return COLOUR_RULES.arp;
  if (p.proto === 'ICMP' || p.proto === 'ICMPv6') return COLOUR_RULES.icmp;
  if (p.hasTcp && p.tcpFull && p.flags & 0x004) return COLOUR_RULES.tcpRst;
  if (p.ip4Off >= 0) {
    const ttl = c.buf[p.ip4Off + 8];
    const d0 = c.buf[p.ip4Off + 16];
    const mcast = d0 >= 224 && d0 <= 239;
    if (!mcast && ttl < 5) return COLOUR_RULES.ttl;
  }
  if (p.hasTcp && (p.srcPort === 80 || p.dstPort === 80 || appFrame(c)?.pdus.some((x) => x.proto.startsWith('HTTP')))) return COLOUR_RULES.http;
  if (p.hasTcp && p.tcpFull && p.flags & (TH_SYN | TH_FIN)) return COLOUR_RULES.synFin;
  if (p.hasTcp) return COLOUR_RULES.tcp;
  if (p.proto === 'UDP') return COLOUR_RULES.udp;
  return undefined;
}

/** One line per frame, like tshark's default output. */
export function summaryLine(c: FrameCtx): string {
  const t = c.s.frames;
  const rel = fmtRelNs(t.nsBetween(c.n, 1));
  const secs = rel.slice(0, rel.length - 3);
  const { source, destination } = addresses(c);
  return `${String(c.n).padStart(5)} ${secs.padStart(11)} ${source} → ${destination} ${protocolColumn(c)} ${t.origLen[c.n - 1]} ${info(c)}`;
}

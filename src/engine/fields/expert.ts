/**
 * Expert items of a frame, in tree order (spec §6.4): ACK-field items, SYN/FIN/RST,
 * urgent pointer, option items, then the analysis items in FLAG_ORDER.
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN, TH_URG } from '../decode/packet';
import * as A from '../tcp/flags';
import type { Severity } from '../tcp/flags';
import { aflags, type FrameCtx } from './project';

export interface ExpertItem {
  severity: Severity;
  group: 'Sequence' | 'Protocol' | 'Malformed' | 'Checksum';
  protocol: string;
  summary: string;
  /** The flag this item belongs to (analysis items only). */
  bit?: number;
}

export function frameExperts(c: FrameCtx): ExpertItem[] {
  const out: ExpertItem[] = [];
  const p = c.p;
  if (!p.hasTcp || !p.tcpFull || p.tcpQuoted) return out;
  const push = (severity: Severity, group: ExpertItem['group'], summary: string, bit?: number) => out.push({ severity, group, protocol: 'TCP', summary, bit });
  const fl = p.flags;
  if (fl & TH_ACK) {
    if (fl & TH_SYN && c.conv && c.R) {
      const rel = (p.ack - c.R.baseAt(c.n)) >>> 0;
      if (rel > 1) push('note', 'Sequence', 'TCP SYN-ACK accepting TFO data');
      else if (c.conv.tfoSynData) push('note', 'Sequence', 'TCP SYN-ACK ignoring TFO data');
    }
  } else if (p.ack !== 0) push('note', 'Protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
  if (fl & TH_SYN) {
    if (fl & TH_ACK) push('chat', 'Sequence', `Connection establish acknowledge (SYN+ACK): server port ${p.srcPort}`);
    else push('chat', 'Sequence', `Connection establish request (SYN): server port ${p.dstPort}`);
  }
  if (fl & TH_FIN) {
    push('chat', 'Sequence', 'Connection finish (FIN)');
    if (c.R && !c.R.closingInitiator) push('note', 'Sequence', 'This frame initiates the connection closing');
    else push('note', 'Sequence', 'This frame undergoes the connection closing');
  }
  if (fl & TH_RST) push('warn', 'Sequence', 'Connection reset (RST)');
  if (!(fl & TH_URG) && p.urgent !== 0) push('note', 'Protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
  optionExperts(c, push);
  const af = aflags(c);
  if (af & A.A_FLAG_MASK) {
    for (const f of A.FLAG_ORDER) {
      if (!(af & f.bit)) continue;
      if (f.bit === A.A_DUPLICATE_ACK) {
        const d = c.s.frames.dupAck.get(c.n);
        push(f.severity, 'Sequence', `Duplicate ACK (#${d ? d.num : 0})`, f.bit);
      } else {
        push(f.severity, 'Sequence', f.message, f.bit);
        if (f.bit === A.A_FAST_RETRANSMISSION || f.bit === A.A_SPURIOUS_RETRANSMISSION) push('note', 'Sequence', 'This frame is a (suspected) retransmission', f.bit);
      }
    }
  }
  return out;
}

function optionExperts(c: FrameCtx, push: (s: Severity, g: ExpertItem['group'], m: string) => void): void {
  const p = c.p;
  if (p.hdrLen <= 20) return;
  const b = p.tcpBuf;
  const end = p.tcpOff + Math.min(p.hdrLen, p.tcpAvail);
  let o = p.tcpOff + 20;
  let sawMss = false;
  let nops = 0;
  const syn = (p.flags & TH_SYN) !== 0;
  while (o < end) {
    const k = b[o];
    if (k === 0) break;
    if (k === 1) {
      nops++;
      if (nops === 4 && (o - p.tcpOff) % 4 === 3) push('warn', 'Protocol', '4 NOP in a row - a router may have removed some options');
      o++;
      continue;
    }
    nops = 0;
    if (o + 1 >= end) break;
    const len = b[o + 1];
    if (len < 2 || o + len > end) break;
    if (k === 2) {
      sawMss = true;
      if (!syn) push('warn', 'Protocol', 'The non-SYN packet does contain a MSS option');
    } else if (k === 3 && len === 3 && b[o + 2] > 14) push('warn', 'Protocol', 'Window scale shift exceeds 14');
    else if (k === 34 && syn && !(p.flags & TH_ACK) && len > 2) push('note', 'Sequence', 'TCP SYN with TFO Cookie');
    o += len;
  }
  if (syn && !sawMss) push('note', 'Protocol', 'The SYN packet does not contain a MSS option');
}

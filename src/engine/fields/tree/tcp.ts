/**
 * TCP as tshark's detail tree shows it: ports, [Stream index], [Conversation completeness],
 * [TCP Segment Len], Sequence/Next/Acknowledgment numbers (relative + raw), Header Length,
 * Flags (bits; SYN/FIN/RST expert items hang under them), Window, [Calculated window size],
 * [Window size scaling factor], Checksum, Urgent Pointer, Options, [Timestamps],
 * [SEQ/ACK analysis] (acks_frame, RTT, iRTT, BiF, [TCP Analysis Flags], dup-ACK numbers).
 * Every value tshark prints as a field comes from the FIELDS getters (fields/project.ts).
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../../decode/packet';
import * as A from '../../tcp/flags';
import type { DetailNode, Severity } from '../../model/types';
import { frameExperts, type ExpertItem } from '../expert';
import { hex4 } from '../format';
import { aflags, FIELDS, type FrameCtx } from '../project';
import { flagList } from '../summary';
import { bitLine, u16, u32 } from './bits';
import { expert } from './node';
import { registryValue } from './registry-value';

const f = (c: FrameCtx, name: string): string => FIELDS[name](c);

/** Completeness label (spec §5.2). */
export function completenessLabel(v: number): string {
  if (v === 1) return 'Incomplete, SYN_SENT (1)';
  if (v === 3) return 'Incomplete, CLIENT_ESTABLISHED (3)';
  if (v === 7) return 'Incomplete, ESTABLISHED (7)';
  if (v === 15) return 'Incomplete, DATA (15)';
  if (v === 31 || v === 47 || v === 63) return `Complete, WITH_DATA (${v})`;
  if (v === 23 || v === 39 || v === 55) return `Complete, NO_DATA (${v})`;
  return `Incomplete (${v})`;
}

const expertNode = (e: ExpertItem): DetailNode => expert(e.severity as Severity, e.group, e.summary);

const FLAG_BITS: [number, string][] = [
  [0x100, 'Accurate ECN'],
  [0x080, 'Congestion Window Reduced'],
  [0x040, 'ECN-Echo'],
  [0x020, 'Urgent'],
  [0x010, 'Acknowledgment'],
  [0x008, 'Push'],
  [0x004, 'Reset'],
  [0x002, 'Syn'],
  [0x001, 'Fin'],
];

/** "·······A····" as Wireshark's [TCP Flags] string. */
function flagString(flags: number): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) {
    const bit = 1 << (11 - i);
    s += flags & bit ? letters[i] : '·';
  }
  return s;
}

export function tcpNode(c: FrameCtx): DetailNode {
  const p = c.p;
  // Offsets in the frame when the header is in it; reassembled headers have no byte range.
  const inFrame = p.tcpFrameOff >= 0;
  const base = inFrame ? p.tcpFrameOff - c.off : 0;
  const at = (start: number, length: number): { start?: number; length?: number } => (inFrame && start + length <= p.tcpAvail ? { start: base + start, length } : {});
  const kids: DetailNode[] = [];
  const experts = frameExperts(c, { tree: true });
  const srcPort = f(c, 'tcp.srcport');
  const dstPort = f(c, 'tcp.dstport');
  kids.push({ label: `Source Port: ${srcPort}`, field: 'tcp.srcport', ...at(0, 2) });
  kids.push({ label: `Destination Port: ${dstPort}`, field: 'tcp.dstport', ...at(2, 2) });
  const stream = f(c, 'tcp.stream');
  if (stream !== '') kids.push({ label: `[Stream index: ${stream}]`, field: 'tcp.stream' });
  const completeness = registryValue(c, 'tcp.completeness');
  if (completeness !== '') kids.push({ label: `[Conversation completeness: ${completenessLabel(Number(completeness))}]`, field: 'tcp.completeness' });
  const len = f(c, 'tcp.len');
  if (len !== '') kids.push({ label: `[TCP Segment Len: ${len}]`, field: 'tcp.len' });
  const relative = c.conv !== undefined && !p.tcpQuoted;
  const seq = f(c, 'tcp.seq');
  if (seq !== '') {
    kids.push({ label: `Sequence Number: ${seq}${relative ? '    (relative sequence number)' : ''}`, field: 'tcp.seq', ...at(4, 4) });
    kids.push({ label: `Sequence Number (raw): ${f(c, 'tcp.seq_raw')}`, field: 'tcp.seq_raw', ...at(4, 4) });
  }
  const nxt = f(c, 'tcp.nxtseq');
  if (nxt !== '') kids.push({ label: `[Next Sequence Number: ${nxt}    (relative sequence number)]`, field: 'tcp.nxtseq' });
  const ack = f(c, 'tcp.ack');
  if (ack !== '') {
    const ackNode: DetailNode = { label: `Acknowledgment Number: ${ack}${relative && p.flags & TH_ACK ? '    (relative ack number)' : ''}`, field: 'tcp.ack', ...at(8, 4) };
    const under = experts.filter((e) => e.bit === undefined && (e.summary.startsWith('TCP SYN-ACK accepting') || e.summary.startsWith('The acknowledgment number field is nonzero')));
    if (under.length) ackNode.children = under.map(expertNode);
    kids.push(ackNode);
    kids.push({ label: `Acknowledgment number (raw): ${f(c, 'tcp.ack_raw')}`, field: 'tcp.ack_raw', ...at(8, 4) });
  }
  let summaryLen = '';
  if (p.tcpFull) {
    const hdr = f(c, 'tcp.hdr_len');
    const b12 = p.tcpBuf[p.tcpOff + 12];
    kids.push({ label: bitLine(b12, 0xf0, 8, `Header Length: ${hdr} bytes (${p.hdrLen / 4})`), field: 'tcp.hdr_len', ...at(12, 1) });
    kids.push(flagsNode(c, experts, at(12, 2)));
    kids.push({ label: `Window: ${f(c, 'tcp.window_size_value')}`, field: 'tcp.window_size_value', ...at(14, 2) });
    const calc = f(c, 'tcp.window_size');
    if (calc !== '') kids.push({ label: `[Calculated window size: ${calc}]`, field: 'tcp.window_size' });
    const sf = f(c, 'tcp.window_size_scalefactor');
    if (sf !== '') {
      const text = sf === '-1' ? '-1 (unknown)' : sf === '-2' ? '-2 (no window scaling used)' : sf;
      kids.push({ label: `[Window size scaling factor: ${text}]`, field: 'tcp.window_size_scalefactor' });
    }
    if (p.tcpAvail >= 18) {
      kids.push({ label: `Checksum: ${hex4(u16(p.tcpBuf, p.tcpOff + 16))} [unverified]`, field: 'tcp.checksum', ...at(16, 2) });
      kids.push({ label: '[Checksum Status: Unverified]', field: 'tcp.checksum.status' });
    }
    if (p.tcpAvail >= 20) {
      const urg: DetailNode = { label: `Urgent Pointer: ${p.urgent}`, field: 'tcp.urgent_pointer', ...at(18, 2) };
      const under = experts.filter((e) => e.bit === undefined && e.summary.startsWith('The urgent pointer field is nonzero'));
      if (under.length) urg.children = under.map(expertNode);
      kids.push(urg);
    }
    const opts = optionsNode(c, at, experts);
    if (opts) kids.push(opts);
    if (c.conv && !p.tcpQuoted) {
      kids.push({
        label: '[Timestamps]',
        children: [
          { label: `[Time since first frame in this TCP stream: ${f(c, 'tcp.time_relative')} seconds]`, field: 'tcp.time_relative' },
          { label: `[Time since previous frame in this TCP stream: ${f(c, 'tcp.time_delta')} seconds]`, field: 'tcp.time_delta' },
        ],
      });
    }
    const analysis = analysisNode(c, experts);
    if (analysis) kids.push(analysis);
    if (p.segLen > 0 && !p.tcpQuoted) {
      kids.push({ label: `TCP payload (${p.segLen} byte${p.segLen === 1 ? '' : 's'})`, field: 'tcp.payload', ...(inFrame ? clip(c, base + p.hdrLen, p.segLen) : {}) });
    }
    summaryLen = len !== '' ? `, Len: ${len}` : '';
  }
  const ackPart = p.flags & TH_ACK && ack !== '' ? `, Ack: ${ack}` : '';
  const seqPart = seq !== '' ? `, Seq: ${seq}` : '';
  return {
    label: `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}${seqPart}${ackPart}${summaryLen}`,
    proto: 'tcp',
    ...(inFrame ? clip(c, base, Math.min(p.tcpAvail, p.tcpFull ? p.hdrLen : p.tcpAvail)) : {}),
    children: kids,
  };
}

/** A byte range clipped to the captured bytes (payloads are often cut by the snapshot length). */
function clip(c: FrameCtx, start: number, length: number): { start?: number; length?: number } {
  const cap = c.s.frames.capLen[c.n - 1];
  const l = Math.min(length, cap - start);
  return l > 0 ? { start, length: l } : {};
}

function flagsNode(c: FrameCtx, experts: ExpertItem[], range: { start?: number; length?: number }): DetailNode {
  const fl = c.p.flags;
  const kids: DetailNode[] = [{ label: bitLine(fl, 0xe00, 12, `Reserved: ${fl & 0xe00 ? 'Set' : 'Not set'}`), ...range }];
  for (const [bit, name] of FLAG_BITS) {
    const node: DetailNode = { label: bitLine(fl, bit, 12, `${name}: ${fl & bit ? 'Set' : 'Not set'}`), ...range };
    // Wireshark hangs the connection experts under the SYN / FIN / RST bits.
    const under = experts.filter((e) => e.bit === undefined && e.group === 'Sequence' && expertBit(e) === bit);
    if (under.length) node.children = under.map(expertNode);
    kids.push(node);
  }
  const closing = experts.filter((e) => e.bit === undefined && (e.summary.startsWith('This frame initiates') || e.summary.startsWith('This frame undergoes')));
  kids.push({ label: `[TCP Flags: ${flagString(fl)}]`, field: 'tcp.flags.str', children: closing.length ? closing.map(expertNode) : undefined });
  return { label: `Flags: ${'0x' + fl.toString(16).padStart(3, '0')} (${flagList(fl)})`, field: 'tcp.flags', ...range, children: kids };
}

/** Which flag bit a non-analysis Sequence expert belongs under. */
function expertBit(e: ExpertItem): number {
  if (e.summary.startsWith('Connection establish')) return TH_SYN;
  if (e.summary.startsWith('Connection reset')) return TH_RST;
  if (e.summary.startsWith('Connection finish')) return TH_FIN;
  if (e.summary.startsWith('TCP SYN with TFO')) return TH_SYN;
  return 0;
}

const OPT_NAMES: Record<number, string> = { 0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted', 5: 'SACK', 8: 'Timestamps', 28: 'User Timeout', 29: 'TCP-AO', 30: 'Multipath TCP', 34: 'TCP Fast Open', 19: 'MD5 signature', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2' };
const KIND_NAMES: Record<number, string> = { 0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted', 5: 'SACK', 8: 'Time Stamp Option', 19: 'MD5 Signature Option', 28: 'User Timeout', 29: 'TCP Authentication Option', 30: 'Multipath TCP', 34: 'TCP Fast Open Cookie', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2' };

function optionsNode(c: FrameCtx, at: (s: number, l: number) => { start?: number; length?: number }, experts: ExpertItem[]): DetailNode | undefined {
  const p = c.p;
  if (p.hdrLen <= 20 || p.tcpAvail <= 20) return undefined;
  const b = p.tcpBuf;
  const end = p.tcpOff + Math.min(p.hdrLen, p.tcpAvail);
  let o = p.tcpOff + 20;
  const kids: DetailNode[] = [];
  const names: string[] = [];
  const peerBase = c.R ? c.R.baseAt(c.n) : 0;
  // The option items (tcp/option-items.ts, the one definition of their rules), placed where tshark puts them.
  const items = experts.filter((e) => e.option);
  const take = (pred: (e: ExpertItem) => boolean): DetailNode[] => {
    const out: DetailNode[] = [];
    for (let k = 0; k < items.length; k++) {
      if (pred(items[k])) {
        out.push(expertNode(items[k]));
        items.splice(k--, 1);
      }
    }
    return out;
  };
  let nops = 0;
  while (o < end) {
    const k = b[o];
    const rel = o - p.tcpOff;
    const kind = { label: `Kind: ${KIND_NAMES[k] ?? 'Unknown'} (${k})`, field: 'tcp.option_kind', ...at(rel, 1) };
    if (k === 0) {
      kids.push({ label: 'TCP Option - End of Option List (EOL)', ...at(rel, 1), children: [kind] });
      names.push('End of Option List (EOL)');
      o++;
      let nonZero = false;
      for (let q = o; q < end; q++) if (b[q] !== 0) nonZero = true;
      if (nonZero) {
        // Bytes after the EOL that are not zero: tshark stops the walk there.
        kids.push({ label: 'Non-zero header padding', ...at(o - p.tcpOff, end - o), children: take((e) => e.summary === 'Non-zero header padding') });
        break;
      }
      continue;
    }
    if (k === 1) {
      if (++nops === 4) kids.push(...take((e) => e.summary.startsWith('4 NOP in a row')));
      kids.push({ label: 'TCP Option - No-Operation (NOP)', ...at(rel, 1), children: [kind] });
      names.push('No-Operation (NOP)');
      o++;
      continue;
    }
    if (o + 1 >= end) break;
    const len = b[o + 1];
    if (len >= 2 && o + len > end && end < p.tcpOff + p.hdrLen && o + len <= p.tcpOff + p.hdrLen) {
      // Cut by the capture: tshark shows its kind and length, and leaves it out of the summary.
      kids.push({ label: `TCP Option - ${OPT_NAMES[k] ?? 'Unknown'}`, ...at(rel, end - o), children: [kind, { label: `Length: ${len}`, field: 'tcp.option_len', ...at(rel + 1, 1) }] });
      break;
    }
    if (len < 2 || o + len > end) break;
    const name = OPT_NAMES[k] ?? `Unknown`;
    names.push(name);
    let label = `TCP Option - ${name}`;
    const children: DetailNode[] = [];
    if (k === 2) children.push(...take((e) => e.summary.startsWith('The non-SYN packet does contain a MSS')));
    children.push(kind, { label: `Length: ${len}`, field: 'tcp.option_len', ...at(rel + 1, 1) });
    if (k === 2 && len === 4) {
      label += `: ${f(c, 'tcp.options.mss_val')} bytes`;
      children.push({ label: `MSS Value: ${f(c, 'tcp.options.mss_val')}`, field: 'tcp.options.mss_val', ...at(rel + 2, 2) });
    } else if (k === 3 && len === 3) {
      const shift = f(c, 'tcp.options.wscale.shift');
      const mult = Math.pow(2, Math.min(b[o + 2], 14));
      label += `: ${shift} (multiply by ${mult})`;
      const over = b[o + 2] > 14 ? take((e) => e.summary === 'Window scale shift exceeds 14').slice(0, 1) : [];
      const shiftNode: DetailNode = { label: `Shift count: ${shift}`, field: 'tcp.options.wscale.shift', ...at(rel + 2, 1) };
      if (over.length) shiftNode.children = over;
      children.push(shiftNode, { label: `[Multiplier: ${mult}]`, field: 'tcp.options.wscale.multiplier' });
    } else if (k === 8 && len === 10) {
      label += `: TSval ${u32(b, o + 2)}, TSecr ${u32(b, o + 6)}`;
      children.push({ label: `Timestamp value: ${u32(b, o + 2)}`, field: 'tcp.options.timestamp.tsval', ...at(rel + 2, 4) }, { label: `Timestamp echo reply: ${u32(b, o + 6)}`, field: 'tcp.options.timestamp.tsecr', ...at(rel + 6, 4) });
    } else if (k === 5) {
      const edges: string[] = [];
      let count = 0;
      for (let q = o + 2; q + 8 <= o + len; q += 8) {
        const l = (u32(b, q) - peerBase) >>> 0;
        const r = (u32(b, q + 4) - peerBase) >>> 0;
        edges.push(`${l}-${r}`);
        count++;
        children.push({ label: `left edge = ${l} (relative)`, field: 'tcp.options.sack_le', ...at(q - p.tcpOff, 4) }, { label: `right edge = ${r} (relative)`, field: 'tcp.options.sack_re', ...at(q + 4 - p.tcpOff, 4) });
      }
      children.push({ label: `[TCP SACK Count: ${count}]`, field: 'tcp.options.sack.count' });
      const dsack = take((e) => e.summary === 'D-SACK Sequence');
      if (dsack.length && len >= 10) {
        const l = (u32(b, o + 2) - peerBase) >>> 0;
        const r = (u32(b, o + 6) - peerBase) >>> 0;
        children.push({ label: `[D-SACK Left Edge = ${l} (relative)]`, field: 'tcp.options.sack.dsack_le' }, { label: `[D-SACK Right Edge = ${r} (relative)]`, field: 'tcp.options.sack.dsack_re' });
        children.push({ label: 'D-SACK Sequence', field: 'tcp.options.sack.dsack', children: dsack });
      }
      label += ` ${edges.join(' ')}`;
    }
    kids.push({ label, ...at(rel, len), children });
    nops = 0;
    o += len;
  }
  kids.push(...items.map(expertNode));
  // The header's own option length, even when the capture cut the options.
  const optLen = p.hdrLen - 20;
  return { label: `Options: (${optLen} bytes)${names.length ? ', ' + names.join(', ') : ''}`, field: 'tcp.options', ...at(20, optLen), children: kids };
}

function analysisNode(c: FrameCtx, experts: ExpertItem[]): DetailNode | undefined {
  if (f(c, 'tcp.analysis') === '') return undefined;
  const kids: DetailNode[] = [];
  const acks = f(c, 'tcp.analysis.acks_frame');
  if (acks !== '') kids.push({ label: `[This is an ACK to the segment in frame: ${acks}]`, field: 'tcp.analysis.acks_frame', link: Number(acks) });
  const rtt = f(c, 'tcp.analysis.ack_rtt');
  if (rtt !== '') kids.push({ label: `[The RTT to ACK the segment was: ${rtt} seconds]`, field: 'tcp.analysis.ack_rtt' });
  const irtt = f(c, 'tcp.analysis.initial_rtt');
  if (irtt !== '') kids.push({ label: `[iRTT: ${irtt} seconds]`, field: 'tcp.analysis.initial_rtt' });
  const bif = f(c, 'tcp.analysis.bytes_in_flight');
  if (bif !== '') {
    kids.push({ label: `[Bytes in flight: ${bif}]`, field: 'tcp.analysis.bytes_in_flight' });
    kids.push({ label: `[Bytes sent since last PSH flag: ${f(c, 'tcp.analysis.push_bytes_sent')}]`, field: 'tcp.analysis.push_bytes_sent' });
  }
  const af = aflags(c);
  let dupExpert: ExpertItem | undefined;
  if (af & A.A_FLAG_MASK) {
    const flagKids: DetailNode[] = [];
    for (const e of experts) {
      if (e.bit === undefined) continue;
      if (e.bit === A.A_DUPLICATE_ACK) {
        flagKids.push({ label: '[This is a TCP duplicate ack]', field: 'tcp.analysis.duplicate_ack' });
        dupExpert = e;
        continue;
      }
      flagKids.push(expertNode(e));
      if (e.bit === A.A_RETRANSMISSION) {
        const rto = f(c, 'tcp.analysis.rto');
        if (rto !== '') {
          const rf = f(c, 'tcp.analysis.rto_frame');
          flagKids.push({ label: `[The RTO for this segment was: ${rto} seconds]`, field: 'tcp.analysis.rto' });
          flagKids.push({ label: `[RTO based on delta from frame: ${rf}]`, field: 'tcp.analysis.rto_frame', link: Number(rf) });
        }
      }
    }
    kids.push({ label: '[TCP Analysis Flags]', field: 'tcp.analysis.flags', children: flagKids });
  }
  const dupNum = f(c, 'tcp.analysis.duplicate_ack_num');
  if (dupNum !== '') {
    const df = f(c, 'tcp.analysis.duplicate_ack_frame');
    kids.push({ label: `[Duplicate ACK #: ${dupNum}]`, field: 'tcp.analysis.duplicate_ack_num' });
    kids.push({ label: `[Duplicate to the ACK in frame: ${df}]`, field: 'tcp.analysis.duplicate_ack_frame', link: Number(df), children: dupExpert ? [expertNode(dupExpert)] : undefined });
  }
  return { label: '[SEQ/ACK analysis]', field: 'tcp.analysis', children: kids };
}

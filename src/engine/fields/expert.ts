/**
 * Expert items of a frame, in tree order (spec §6.4): ACK-field items, SYN/FIN/RST,
 * urgent pointer, option items, then the analysis items in FLAG_ORDER.
 *
 * Option items (black-box runs of tshark 4.0.17): malformed lengths ("option length should
 * be N", "… (with too-short option length = N bytes)", "… (length byte past end of options)",
 * "… (option length = N bytes says option goes past end of options)"), SACK blocks that do
 * not fill the option, D-SACK, non-zero bytes after End of Option List (which also ends the
 * option checks: no "SYN without MSS" note then), and "4 NOP in a row", which tshark adds only
 * when it builds a protocol tree (-T fields/json, -V, filters), not for `-q -z expert` alone.
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import type { CaptureSession } from '../session';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_ACK_NONZERO, X_FIN_INITIATES, X_OPTION_ITEMS, X_TFO_ACK, X_URG_NONZERO } from '../tcp/frames';
import * as A from '../tcp/flags';
import type { Severity } from '../tcp/flags';
import type { FrameCtx } from './project';
import { seqLe, seqLt } from '../tcp/seq';

export interface ExpertItem {
  severity: Severity;
  group: 'Sequence' | 'Protocol' | 'Malformed' | 'Checksum';
  protocol: string;
  summary: string;
  /** The flag this item belongs to (analysis items only). */
  bit?: number;
  /** The item comes from the TCP options (the only items that need the frame's bytes). */
  option?: boolean;
}

export interface ExpertOptions {
  /**
   * Whether tshark would build a protocol tree for this run (default true: the detail pane,
   * `-T fields`, `-T json`). Plain `tshark -q -z expert` and one-line summaries build none,
   * and then lack the tree-only items ("4 NOP in a row").
   */
  tree?: boolean;
}

export function frameExperts(c: FrameCtx, opts: ExpertOptions = {}): ExpertItem[] {
  const out: ExpertItem[] = [];
  const p = c.p;
  if (!p.hasTcp || !p.tcpFull || p.tcpQuoted) return out;
  columnExperts(c.s, c.n, true, (e) => e, () => {
    const opt: ExpertItem[] = [];
    optionExperts(c, opts.tree ?? true, (severity, group, summary) => opt.push({ severity, group, protocol: 'TCP', summary, option: true }));
    return opt;
  }, (e) => out.push(e));
  return out;
}

const item = (severity: Severity, group: ExpertItem['group'], summary: string, bit?: number): ExpertItem => ({ severity, group, protocol: 'TCP', summary, bit });
const TFO_ACK = item('note', 'Sequence', 'TCP SYN-ACK accepting TFO data');
const TFO_IGNORED = item('note', 'Sequence', 'TCP SYN-ACK ignoring TFO data');
const ACK_NONZERO = item('note', 'Protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
const FIN = item('chat', 'Sequence', 'Connection finish (FIN)');
const FIN_ACTIVE = item('note', 'Sequence', 'This frame initiates the connection closing');
const FIN_PASSIVE = item('note', 'Sequence', 'This frame undergoes the connection closing');
const RST = item('warn', 'Sequence', 'Connection reset (RST)');
const URG = item('note', 'Protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
/** Per analysis flag: its item, and the plain-retransmission item fast and spurious ones add. */
const FLAG_ITEMS = A.FLAG_ORDER.map((f) => ({
  bit: f.bit,
  item: item(f.severity, 'Sequence', f.message, f.bit),
  also: f.bit === A.A_FAST_RETRANSMISSION || f.bit === A.A_SPURIOUS_RETRANSMISSION ? item('note', 'Sequence', 'This frame is a (suspected) retransmission', f.bit) : undefined,
}));

/**
 * The expert items of TCP frame `n`, in tree order, from the FrameTable columns and the
 * conversation state — the one definition used by the detail pane (frameExperts) and by the
 * whole-capture counts (expert-tally.ts). Only the option items need the frame's bytes:
 * `optionItems` supplies them when the frame has any (X_OPTION_ITEMS). Items with a variable
 * text (ports, dup-ACK numbers) go through `intern`, so a tally can reuse one object per text.
 * `twoPass` (tshark -2): FIN initiator from the final state and the REUSED_PORTS flags the
 * second pass adds; without it, what a single pass reports.
 */
export function columnExperts(
  s: CaptureSession,
  n: number,
  twoPass: boolean,
  intern: (e: ExpertItem) => ExpertItem,
  optionItems: () => readonly ExpertItem[] | undefined,
  emit: (e: ExpertItem) => void,
): void {
  const t = s.frames;
  const i = n - 1;
  const tf = t.tflags[i];
  if (!(tf & TF_TCP) || tf & TF_QUOTED) return;
  const x = t.xflags[i];
  // Most frames have none: no SYN/FIN/RST, no expert condition, no analysis flag.
  if (!(tf & (TH_SYN | TH_FIN | TH_RST)) && x === 0 && !(t.aflags[i] & A.A_FLAG_MASK)) return;
  const conv = s.analyzer.conversations[t.stream[i]];
  const d = tf & TF_DIR_BA ? 1 : 0;
  if (tf & TH_ACK) {
    if (tf & TH_SYN) {
      if (x & X_TFO_ACK) emit(TFO_ACK);
      else if (conv.tfoSynData) emit(TFO_IGNORED);
    }
  } else if (x & X_ACK_NONZERO) emit(ACK_NONZERO);
  if (tf & TH_SYN) {
    if (tf & TH_ACK) emit(intern(item('chat', 'Sequence', `Connection establish acknowledge (SYN+ACK): server port ${d ? conv.portB : conv.portA}`)));
    else emit(intern(item('chat', 'Sequence', `Connection establish request (SYN): server port ${d ? conv.portA : conv.portB}`)));
  }
  if (tf & TH_FIN) {
    emit(FIN);
    const initiates = twoPass ? !conv.flow(d ^ 1).closingInitiator : (x & X_FIN_INITIATES) !== 0;
    emit(initiates ? FIN_ACTIVE : FIN_PASSIVE);
  }
  if (tf & TH_RST) emit(RST);
  if (x & X_URG_NONZERO) emit(URG);
  if (x & X_OPTION_ITEMS) for (const e of optionItems() ?? []) emit(e);
  // A header cut inside the options prints no analysis record (fields/project.ts aflags()).
  let af = tf & TF_TRUNCATED ? 0 : t.aflags[i] & A.A_FLAG_MASK;
  if (!twoPass && af & A.A_REUSED_PORTS && t.reflagged.has(n)) af &= ~A.A_REUSED_PORTS;
  if (!af) return;
  for (const f of FLAG_ITEMS) {
    if (!(af & f.bit)) continue;
    if (f.bit === A.A_DUPLICATE_ACK) {
      const dup = t.dupAck.get(n);
      emit(intern(item(f.item.severity, 'Sequence', `Duplicate ACK (#${dup ? dup.num : 0})`, f.bit)));
    } else {
      emit(f.item);
      if (f.also) emit(f.also);
    }
  }
}

type Push = (s: Severity, g: ExpertItem['group'], m: string) => void;

/** Option names as tshark words them in the length experts. */
const OPTION_NAMES: Record<number, string> = {
  2: 'Maximum segment size',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo reply',
  8: 'Timestamps',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  19: 'TCP MD5 signature',
  20: 'SCPS capabilities',
  21: 'Selective Negative Acknowledgment',
  22: 'SCPS record boundary',
  23: 'SCPS corruption experienced',
  27: 'Quick-Start',
  28: 'User Timeout',
  29: 'TCP AO',
  30: 'MPTCP',
  34: 'TCP Fast Open',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  172: 'Accurate ECN',
  174: 'Accurate ECN',
  253: 'Experimental',
  254: 'Experimental',
};

/** Options with one valid length. */
const FIXED_LENGTH: Record<number, number> = { 2: 4, 3: 3, 4: 2, 6: 6, 7: 6, 8: 10, 11: 6, 12: 6, 13: 6, 19: 18, 21: 6, 22: 2, 23: 2, 27: 8, 28: 4, 78: 16 };

const optionName = (k: number) => OPTION_NAMES[k] ?? `Unknown (0x${k.toString(16).padStart(2, '0')})`;
const bytesWord = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

function optionExperts(c: FrameCtx, tree: boolean, push: Push): void {
  const p = c.p;
  if (p.hdrLen <= 20) return;
  const b = p.tcpBuf;
  const optStart = p.tcpOff + 20;
  const optEnd = p.tcpOff + p.hdrLen;
  const end = p.tcpOff + Math.min(p.hdrLen, p.tcpAvail);
  let o = optStart;
  let sawMss = false;
  let nops = 0;
  const syn = (p.flags & TH_SYN) !== 0;
  while (o < end) {
    const k = b[o];
    if (k === 0) {
      // End of Option List: the rest of the header must be zero.
      for (let q = o + 1; q < end; q++) {
        if (b[q] !== 0) {
          push('error', 'Protocol', 'Non-zero header padding');
          return;
        }
      }
      break;
    }
    if (k === 1) {
      nops++;
      if (tree && nops === 4 && (o - optStart) % 4 === 3) push('warn', 'Protocol', '4 NOP in a row - a router may have removed some options');
      o++;
      continue;
    }
    if (o + 1 >= optEnd) {
      push('note', 'Sequence', `${optionName(k)} (length byte past end of options)`);
      break;
    }
    if (o + 1 >= end) break;
    const len = b[o + 1];
    if (len < 2) {
      push('note', 'Sequence', `${optionName(k)} (with too-short option length = ${bytesWord(len)})`);
      break;
    }
    if (o + len > optEnd) {
      push('note', 'Sequence', `${optionName(k)} (option length = ${bytesWord(len)} says option goes past end of options)`);
      break;
    }
    if (o + len > end) break;
    if (k === 2) {
      sawMss = true;
      if (!syn) push('warn', 'Protocol', 'The non-SYN packet does contain a MSS option');
    } else if (k === 3 && len === 3 && b[o + 2] > 14) push('warn', 'Protocol', 'Window scale shift exceeds 14');
    else if (k === 5) sackExperts(p.ack, b, o, len, push);
    else if (k === 34 && syn && !(p.flags & TH_ACK) && len > 2) push('note', 'Sequence', 'TCP SYN with TFO Cookie');
    const want = FIXED_LENGTH[k];
    if (want !== undefined && len !== want) push('note', 'Sequence', `option length should be ${want}`);
    else if ((k === 172 || k === 174) && len !== 2 && len !== 5 && len !== 8 && len !== 11) push('note', 'Sequence', `option length should be 2, 5, 8, or 11 instead of ${len}`);
    o += len;
  }
  if (syn && !sawMss) push('note', 'Protocol', 'The SYN packet does not contain a MSS option');
}

/**
 * SACK option items: blocks that do not fill the option, and D-SACK (RFC 2883) — the first
 * block lies at or below the cumulative ACK, or (with two blocks or more) the first block's
 * right edge falls inside the second block.
 */
function sackExperts(ack: number, b: Uint8Array, o: number, len: number, push: Push): void {
  if ((len - 2) % 8 !== 0) push('error', 'Malformed', 'suboption would go past end of option');
  const blocks = (len - 2) >> 3;
  if (blocks < 1) return;
  const u32 = (at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  const re1 = u32(o + 6);
  let dsack = seqLe(re1, ack);
  if (!dsack && blocks >= 2) {
    const le2 = u32(o + 10);
    const re2 = u32(o + 14);
    dsack = seqLt(le2, re1) && seqLe(re1, re2);
  }
  if (dsack) push('warn', 'Sequence', 'D-SACK Sequence');
}

/**
 * Expert items of the TCP options (black-box runs of tshark 4.0.17): malformed lengths
 * ("option length should be N", "… (with too-short option length = N bytes)", "… (length byte
 * past end of options)", "… (option length = N bytes says option goes past end of options)"),
 * SACK blocks that do not fill the option, D-SACK, non-zero bytes after End of Option List
 * (which also ends the option checks: no "SYN without MSS" note then), and "4 NOP in a row",
 * which tshark adds only when it builds a protocol tree (-T fields/json, -V, filters), not for
 * `-q -z expert` alone.
 *
 * The analyzer lists them while loading (the frame's bytes are at hand) for the frames its
 * option walk marks X_OPTION_ITEMS, and keeps them in FrameTable.optionItems; the detail pane
 * lists them again from the re-read bytes. One definition for both.
 */
import { TH_ACK, TH_SYN, type Packet } from '../decode/packet';
import type { ExpertGroup, Severity } from './flags';
import { seqLe, seqLt } from './seq';

export interface OptionItem {
  severity: Severity;
  group: ExpertGroup;
  summary: string;
  /** Listed only when tshark builds a protocol tree ("4 NOP in a row"). */
  treeOnly: boolean;
}


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

/**
 * The expert items of a decoded TCP header's options, in tree order. `treeOnly` marks "4 NOP in
 * a row", which tshark adds only when it builds a protocol tree.
 */
export function optionItems(p: Packet): OptionItem[] {
  const out: OptionItem[] = [];
  optionExperts(p, (severity, group, summary, treeOnly = false) => out.push({ severity, group, summary, treeOnly }));
  return out;
}

type Push = (s: Severity, g: ExpertGroup, m: string, treeOnly?: boolean) => void;

function optionExperts(p: Packet, push: Push): void {
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
      if (nops === 4 && (o - optStart) % 4 === 3) push('warn', 'Protocol', '4 NOP in a row - a router may have removed some options', true);
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

/** SACK option items: blocks that do not fill the option, and D-SACK. */
function sackExperts(ack: number, b: Uint8Array, o: number, len: number, push: Push): void {
  if ((len - 2) % 8 !== 0) push('error', 'Malformed', 'suboption would go past end of option');
  if (isDsack(ack, b, o, len)) push('warn', 'Sequence', 'D-SACK Sequence');
}

/**
 * The SACK option at `b[o]` (`len` bytes) is a D-SACK (RFC 2883): its first block lies at or
 * below the cumulative ACK, or (with two blocks or more) the first block's right edge falls
 * inside the second block. Also the analyzer's test for marking a SACK frame X_OPTION_ITEMS.
 */
export function isDsack(ack: number, b: Uint8Array, o: number, len: number): boolean {
  const blocks = (len - 2) >> 3;
  if (blocks < 1) return false;
  const u32 = (at: number) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
  const re1 = u32(o + 6);
  if (seqLe(re1, ack)) return true;
  return blocks >= 2 && seqLt(u32(o + 10), re1) && seqLe(re1, u32(o + 14));
}

/**
 * Expert items of a frame, in tree order (spec §6.4): ACK-field items, SYN/FIN/RST,
 * urgent pointer, option items (tcp/option-items.ts), then the analysis items in FLAG_ORDER.
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from '../decode/packet';
import type { CaptureSession } from '../session';
import { type FrameTable, TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_ACK_NONZERO, X_FIN_INITIATES, X_OPTION_ITEMS, X_TFO_ACK, X_URG_NONZERO } from '../tcp/frames';
import * as A from '../tcp/flags';
import type { ExpertGroup, Severity } from '../tcp/flags';
import { optionItems, type OptionItem } from '../tcp/option-items';
import type { FrameCtx } from './project';

export interface ExpertItem {
  severity: Severity;
  group: ExpertGroup;
  protocol: string;
  summary: string;
  /** The flag this item belongs to (analysis items only). */
  bit?: number;
  /** The item comes from the TCP options (the only items that need the frame's bytes). */
  option?: boolean;
  /** Only a second pass knows it (tshark -2): "No response seen to ICMP request". */
  secondPass?: boolean;
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
  columnExperts(c.s, c.n, true, (e) => e, () => optionExpertItems(optionItems(p), opts.tree ?? true), (e) => out.push(e));
  return out;
}

/** Option items (tcp/option-items.ts) as expert items; the tree-only ones only when `tree`. */
export function optionExpertItems(list: readonly OptionItem[], tree: boolean, intern: (e: ExpertItem) => ExpertItem = (e) => e): ExpertItem[] {
  const out: ExpertItem[] = [];
  for (const o of list) if (tree || !o.treeOnly) out.push(intern({ severity: o.severity, group: o.group, protocol: 'TCP', summary: o.summary, option: true }));
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

/** xflags bits that give an item on their own (X_FIN_INITIATES comes with a FIN; X_ONE_IP, X_PAST_IP… give none). */
const X_EXPERT = X_ACK_NONZERO | X_URG_NONZERO | X_TFO_ACK | X_OPTION_ITEMS;

/**
 * Whether frame index `i` may have expert items in the columns: a tracked TCP header (not one
 * quoted in an ICMP error) with SYN, FIN or RST, an expert condition or an analysis flag. Most
 * frames have none; a whole-capture count skips them with this test alone.
 */
export function mayHaveExperts(t: FrameTable, i: number): boolean {
  const tf = t.tflags[i];
  if (!(tf & TF_TCP) || tf & TF_QUOTED) return false;
  return (tf & (TH_SYN | TH_FIN | TH_RST)) !== 0 || (t.xflags[i] & X_EXPERT) !== 0 || (t.aflags[i] & A.A_FLAG_MASK) !== 0;
}

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
  if (!mayHaveExperts(t, i)) return;
  const tf = t.tflags[i];
  const x = t.xflags[i];
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

/**
 * The whole capture's expert items, counted (`-z expert`, the status bar) from the FrameTable
 * columns — no second read of the file. Per TCP frame the items come in tree order (spec
 * §6.4): ACK-field items, SYN, FIN, RST, urgent pointer, option items, analysis items.
 *
 * Everything but the option items is in the columns (tflags, xflags, aflags, the sparse maps
 * and the conversation state). Frames whose options may carry items (X_OPTION_ITEMS, rare)
 * are re-read and decoded, and their option items taken from frameExperts(), so both
 * listings share one definition of those rules.
 *
 * `twoPass` (tshark -2): FIN initiator from the final state and the REUSED_PORTS flags the
 * second pass adds; without it, what a single pass reports.
 */
import { TH_ACK, TH_FIN, TH_RST, TH_SYN, Packet } from '../decode/packet';
import type { CaptureSession } from '../session';
import * as A from '../tcp/flags';
import type { Severity } from '../tcp/flags';
import { TF_DIR_BA, TF_QUOTED, TF_TCP, TF_TRUNCATED, X_ACK_NONZERO, X_FIN_INITIATES, X_OPTION_ITEMS, X_TFO_ACK, X_URG_NONZERO } from '../tcp/frames';
import { frameExperts, type ExpertItem } from './expert';
import { ExpertTally } from './expert-summary';
import { decodeAgain } from './decode-again';

export interface TallyOptions {
  /** tshark -2 semantics (default true). */
  twoPass?: boolean;
  /** Whether tshark would build a protocol tree (adds tree-only items); default true. */
  tree?: boolean;
  /** Polled between re-reads; return true to stop (the result is then undefined). */
  isCancelled?: () => boolean;
}

const item = (severity: Severity, group: ExpertItem['group'], summary: string): ExpertItem => ({ severity, group, protocol: 'TCP', summary });
const TFO_ACK = item('note', 'Sequence', 'TCP SYN-ACK accepting TFO data');
const TFO_IGNORED = item('note', 'Sequence', 'TCP SYN-ACK ignoring TFO data');
const ACK_NONZERO = item('note', 'Protocol', 'The acknowledgment number field is nonzero while the ACK flag is not set');
const FIN = item('chat', 'Sequence', 'Connection finish (FIN)');
const FIN_ACTIVE = item('note', 'Sequence', 'This frame initiates the connection closing');
const FIN_PASSIVE = item('note', 'Sequence', 'This frame undergoes the connection closing');
const RST = item('warn', 'Sequence', 'Connection reset (RST)');
const URG = item('note', 'Protocol', 'The urgent pointer field is nonzero while the URG flag is not set');
const RETRANS = item('note', 'Sequence', 'This frame is a (suspected) retransmission');
const FLAG_ITEMS = A.FLAG_ORDER.map((f) => ({ bit: f.bit, item: item(f.severity, 'Sequence', f.message) }));

/** Option items of the frames that may have some, by frame number (re-read in batches). */
async function optionItems(s: CaptureSession, tree: boolean, isCancelled?: () => boolean): Promise<Map<number, ExpertItem[]> | undefined> {
  const t = s.frames;
  const out = new Map<number, ExpertItem[]>();
  const p = new Packet();
  const want: number[] = [];
  for (let i = 0; i < t.count; i++) if (t.xflags[i] & X_OPTION_ITEMS && t.tflags[i] & TF_TCP && !(t.tflags[i] & TF_QUOTED)) want.push(i + 1);
  // Batches of nearby frames: one ranged read each (at most 1 MiB apart, 4096 frames).
  for (let k = 0; k < want.length; ) {
    if (isCancelled?.()) return undefined;
    let j = k;
    while (j + 1 < want.length && j - k < 4095 && t.offset[want[j + 1] - 1] - t.offset[want[k] - 1] < 1 << 20) j++;
    const { bytes, offsets } = await s.readFrames(want[k], want[j]);
    for (let m = k; m <= j; m++) {
      const n = want[m];
      const off = offsets[n - want[k]];
      if (off === undefined || off + t.capLen[n - 1] > bytes.length) continue;
      out.set(n, frameExperts(decodeAgain(s, p, n, bytes, off), { tree }).filter((e) => e.option));
    }
    k = j + 1;
  }
  return out;
}

/** One item object per distinct text, so the tally can count by identity. */
class Items {
  private readonly m = new Map<string, ExpertItem>();
  get(severity: Severity, summary: string): ExpertItem {
    let e = this.m.get(summary);
    if (!e) this.m.set(summary, (e = item(severity, 'Sequence', summary)));
    return e;
  }
}

export async function tallyExperts(s: CaptureSession, opts: TallyOptions = {}): Promise<ExpertTally | undefined> {
  const twoPass = opts.twoPass ?? true;
  const dynamic = new Items();
  if (opts.isCancelled?.()) return undefined;
  const options = await optionItems(s, opts.tree ?? true, opts.isCancelled);
  if (!options || opts.isCancelled?.()) return undefined;
  const t = s.frames;
  const convs = s.analyzer.conversations;
  const tally = new ExpertTally();
  const anyComments = t.comments.size > 0;
  for (let i = 0; i < t.count; i++) {
    const n = i + 1;
    if (anyComments) tally.addComments(t.comments.get(n));
    const tf = t.tflags[i];
    if (!(tf & TF_TCP) || tf & TF_QUOTED) continue;
    const conv = convs[t.stream[i]];
    const d = tf & TF_DIR_BA ? 1 : 0;
    const x = t.xflags[i];
    if (tf & TH_ACK) {
      if (tf & TH_SYN) {
        if (x & X_TFO_ACK) tally.addStable(TFO_ACK);
        else if (conv.tfoSynData) tally.addStable(TFO_IGNORED);
      }
    } else if (x & X_ACK_NONZERO) tally.addStable(ACK_NONZERO);
    if (tf & TH_SYN) {
      const src = d ? conv.portB : conv.portA;
      const dst = d ? conv.portA : conv.portB;
      if (tf & TH_ACK) tally.addStable(dynamic.get('chat', `Connection establish acknowledge (SYN+ACK): server port ${src}`));
      else tally.addStable(dynamic.get('chat', `Connection establish request (SYN): server port ${dst}`));
    }
    if (tf & TH_FIN) {
      tally.addStable(FIN);
      const initiates = twoPass ? !conv.flows[d ^ 1].closingInitiator : (x & X_FIN_INITIATES) !== 0;
      tally.addStable(initiates ? FIN_ACTIVE : FIN_PASSIVE);
    }
    if (tf & TH_RST) tally.addStable(RST);
    if (x & X_URG_NONZERO) tally.addStable(URG);
    if (x & X_OPTION_ITEMS) {
      const o = options.get(n);
      if (o) tally.addAll(o);
    }
    // A header cut inside the options prints no analysis record (fields/project.ts aflags()).
    let af = tf & TF_TRUNCATED ? 0 : t.aflags[i] & A.A_FLAG_MASK;
    if (!twoPass && af & A.A_REUSED_PORTS && t.reflagged.has(n)) af &= ~A.A_REUSED_PORTS;
    if (!af) continue;
    for (const f of FLAG_ITEMS) {
      if (!(af & f.bit)) continue;
      if (f.bit === A.A_DUPLICATE_ACK) {
        const dup = t.dupAck.get(n);
        tally.addStable(dynamic.get(f.item.severity, `Duplicate ACK (#${dup ? dup.num : 0})`));
      } else {
        tally.addStable(f.item);
        if (f.bit === A.A_FAST_RETRANSMISSION || f.bit === A.A_SPURIOUS_RETRANSMISSION) tally.addStable(RETRANS);
      }
    }
  }
  return tally;
}

/**
 * The whole capture's expert items, counted (`-z expert`, the status bar) from the FrameTable
 * columns — no second read of the file. Per TCP frame the items come in tree order (spec
 * §6.4): ACK-field items, SYN, FIN, RST, urgent pointer, option items, analysis items.
 *
 * The items come from columnExperts() (expert.ts), the same definition the detail pane uses.
 * Everything but the option items is in the columns; frames whose options may carry items
 * (X_OPTION_ITEMS, rare) are re-read and decoded first, in batches.
 */
import { Packet } from '../decode/packet';
import type { CaptureSession } from '../session';
import { TF_QUOTED, TF_TCP, X_OPTION_ITEMS } from '../tcp/frames';
import { columnExperts, frameExperts, type ExpertItem } from './expert';
import { ExpertTally } from './expert-summary';
import type { ExpertCounts } from '../model/types';
import { decodeAgain } from './decode-again';

export interface TallyOptions {
  /** tshark -2 semantics (default true): see columnExperts. */
  twoPass?: boolean;
  /** Whether tshark would build a protocol tree (adds tree-only items); default true. */
  tree?: boolean;
  /** Polled between re-reads; return true to stop (the result is then undefined). */
  isCancelled?: () => boolean;
}

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
  intern = (e: ExpertItem): ExpertItem => {
    const k = e.summary;
    let v = this.m.get(k);
    if (!v) this.m.set(k, (v = e));
    return v;
  };
}

export async function tallyExperts(s: CaptureSession, opts: TallyOptions = {}): Promise<ExpertTally | undefined> {
  const twoPass = opts.twoPass ?? true;
  const items = new Items();
  if (opts.isCancelled?.()) return undefined;
  const options = await optionItems(s, opts.tree ?? true, opts.isCancelled);
  if (!options || opts.isCancelled?.()) return undefined;
  const t = s.frames;
  const tally = new ExpertTally();
  const add = (e: ExpertItem) => (e.option ? tally.add(e) : tally.addStable(e));
  const anyComments = t.comments.size > 0;
  let n = 0;
  const optionsOfN = () => options.get(n);
  for (n = 1; n <= t.count; n++) {
    if (anyComments) tally.addComments(t.comments.get(n));
    columnExperts(s, n, twoPass, items.intern, optionsOfN, add);
  }
  return tally;
}

/** Expert items counted by severity (the status bar's figures), as `tshark -2` lists them. Call after load(). */
export async function expertCounts(s: CaptureSession, opts: { isCancelled?: () => boolean } = {}): Promise<ExpertCounts | undefined> {
  const t = await tallyExperts(s, { twoPass: true, tree: true, isCancelled: opts.isCancelled });
  if (!t) return undefined;
  return { error: t.count('error'), warn: t.count('warn'), note: t.count('note'), chat: t.count('chat') };
}

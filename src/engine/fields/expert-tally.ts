/**
 * The whole capture's expert items, counted (`-z expert`, the status bar) from the FrameTable
 * columns — no second read of the file. Per TCP frame the items come in tree order (spec
 * §6.4): ACK-field items, SYN, FIN, RST, urgent pointer, option items, analysis items.
 *
 * The items come from columnExperts() (expert.ts), the same definition the detail pane uses;
 * the option items are the ones the analyzer listed while loading (FrameTable.optionItems).
 */
import type { CaptureSession } from '../session';
import { columnExperts, mayHaveExperts, optionExpertItems, type ExpertItem } from './expert';
import { ExpertTally } from './expert-summary';
import { prepareApp, tcpAppFrame, tcpPduExperts, tcpReassemblyError } from '../dissect/app';
import { builtNetExperts, prepareNetExperts } from './expert-net';
import type { ExpertCounts } from '../model/types';

export interface TallyOptions {
  /** tshark -2 semantics (default true): see columnExperts. */
  twoPass?: boolean;
  /** Whether tshark would build a protocol tree (adds tree-only items); default true. */
  tree?: boolean;
  /** Polled before counting; return true to stop (the result is then undefined). */
  isCancelled?: () => boolean;
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
  if (opts.isCancelled?.()) return undefined;
  // The application protocols' items (HTTP requests and responses, …) need their PDUs.
  await prepareApp(s, s.frames.count);
  if (opts.isCancelled?.()) return undefined;
  // The items of the other layers (Ethernet trailer, IPv4 TTL, ICMP, UDP's PDUs): expert-net.ts.
  await prepareNetExperts(s);
  if (opts.isCancelled?.()) return undefined;
  return tally(s, opts.twoPass ?? true, opts.tree ?? true);
}

function tally(s: CaptureSession, twoPass: boolean, tree: boolean): ExpertTally {
  const out = new ExpertTally();
  walkExperts(s, twoPass, tree, (_n, e) => (e.option ? out.add(e) : out.addStable(e)), (_n, text) => out.addComments([text]));
  return out;
}

/**
 * Every expert item of the capture in the tally's order (file order; tree order within a frame):
 * `onItem(frame, item)` (one object per distinct text: count by identity) and `onComment(frame,
 * text)` for pcapng comments. `keep(frame)` limits the walk (the display filter's frames).
 */
export function walkExperts(
  s: CaptureSession,
  twoPass: boolean,
  tree: boolean,
  onItem: (n: number, e: ExpertItem) => void,
  onComment: (n: number, text: string) => void,
  keep?: (n: number) => boolean,
): void {
  const items = new Items();
  const t = s.frames;
  const anyComments = t.comments.size > 0;
  let n = 0;
  const optionsOfN = () => {
    const list = t.optionItems.get(n);
    return list && optionExpertItems(list, tree, items.intern);
  };
  const emit = (e: ExpertItem) => onItem(n, e);
  // The other layers' items (prepareNetExperts first): the headers' before TCP's, the trailer's last.
  const net = builtNetExperts(s);
  for (n = 1; n <= t.count; n++) {
    if (keep && !keep(n)) continue;
    if (anyComments) for (const c of t.comments.get(n) ?? []) onComment(n, c);
    const x = net?.get(n);
    if (x) for (const e of x.pre) if (twoPass || !e.secondPass) emit(e);
    if (mayHaveExperts(t, n - 1)) columnExperts(s, n, twoPass, items.intern, optionsOfN, emit);
    // The application PDUs' items, after TCP's (appExperts lists the same for one frame; prepareApp first).
    const app = tcpAppFrame(s, n);
    if (app) for (const e of tcpPduExperts(s, n, app)) emit(e);
    const overlap = tcpReassemblyError(s, n);
    if (overlap) emit(overlap);
    if (x) for (const e of x.post) if (twoPass || !e.secondPass) emit(e);
  }
}

/**
 * Expert items counted by severity (the status bar's figures), as `tshark -2 -q -z expert` counts them:
 * no tree, so no tree-only items ("4 NOP in a row"), the same counts as the Expert Information panel
 * (stats/expert-groups.ts). Call after load().
 */
export async function expertCounts(s: CaptureSession, opts: { isCancelled?: () => boolean } = {}): Promise<ExpertCounts | undefined> {
  const t = await tallyExperts(s, { twoPass: true, tree: false, isCancelled: opts.isCancelled });
  if (!t) return undefined;
  return { error: t.count('error'), warn: t.count('warn'), note: t.count('note'), chat: t.count('chat') };
}

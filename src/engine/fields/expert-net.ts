/**
 * Expert items of the layers around TCP — the Ethernet trailer ("Didn't find padding of zeros…"),
 * IPv4's TTL notes, ICMP/ICMPv6 (no response, bad checksum), a header too short ("Malformed
 * Packet"), UDP datagrams' application PDUs (DNS, …) — for the whole-capture tally
 * (expert-tally.ts), the Expert Information panel and `-z expert`.
 *
 * One definition: the items are the ones the detail tree shows (fields/detail.ts, tree/*), read
 * back from the tree of each candidate frame. TCP's own items come from the columns
 * (expert.ts) and the TCP application PDUs' from dissect/app.ts, so the `tcp` subtree is skipped.
 *
 * Candidates (tree/side.ts): every frame that is not a tracked TCP segment, and the TCP segments
 * whose Ethernet frame is longer than its IP packet (padding or trailer: X_PAST_IP, set by the
 * load) or whose side has sent a TTL below 5 (the conversation's). Only the candidates are read
 * again: none in a capture of TCP conversations without trailers or low TTLs.
 * Per frame the items are split as tshark adds them: `pre` (headers before TCP, e.g. the TTL),
 * then TCP's and the application's, then `post` (the Ethertype trailer, added once the payload
 * is dissected).
 */
import { Packet } from '../decode/packet';
import type { DetailNode } from '../model/types';
import type { CaptureSession } from '../session';
import { TF_QUOTED, TF_TCP } from '../tcp/frames';
import type { ExpertGroup, Severity } from '../tcp/flags';
import { appFrame } from '../dissect/app';
import { decodeAgain } from './decode-again';
import { detailTree } from './detail';
import type { ExpertItem } from './expert';
import { treeSide, type TreeSide } from './tree/side';
import type { FrameCtx } from './project';

export interface NetItems {
  /** Items added before TCP's (or all of a non-TCP frame's, in tree order). */
  pre: ExpertItem[];
  /** Items added after the payload was dissected (the Ethernet trailer's). */
  post: ExpertItem[];
}

/** tshark's protocol name (the `-z expert` Protocol column) of the items under each protocol node. */
const PROTOCOL_OF: Record<string, string> = {
  eth: 'Ethertype', // the trailer's item is Ethertype's, not Ethernet's
  ip: 'IPv4',
  ipv6: 'IPv6',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  udp: 'UDP',
  arp: 'ARP',
  vlan: 'VLAN',
};

const SEVERITY: Record<string, Severity> = { Chat: 'chat', Note: 'note', Warning: 'warn', Error: 'error' };
/** An expert item's line in the tree (tree/node.ts expert()): severity, group, text. */
export const EXPERT_LABEL = /^\[Expert Info \((Chat|Note|Warning|Error)\/([^)]+)\): ([\s\S]*)\]$/;
const MALFORMED_LABEL = /^\[Malformed Packet: (.+)\]$/;

/** Items that need later frames: a one-pass tshark (no -2) does not report them. */
const SECOND_PASS = new Set(['No response seen to ICMP request']);

/** One object per distinct item, so tallies count by identity. */
export class ItemPool {
  private readonly m = new Map<string, ExpertItem>();
  get(severity: Severity, group: string, protocol: string, summary: string): ExpertItem {
    const k = `${severity}\u0000${group}\u0000${protocol}\u0000${summary}`;
    let e = this.m.get(k);
    if (!e) {
      e = { severity, group: group as ExpertGroup, protocol, summary };
      if (SECOND_PASS.has(summary)) e.secondPass = true;
      this.m.set(k, e);
    }
    return e;
  }
}

/**
 * The expert items a frame's tree (detailTree) shows outside the `tcp` subtree and before the
 * transport's payload, in tree order, split into `pre` and `post` (items under the Ethernet node
 * are added by tshark after the payload).
 */
export function treeExperts(tree: readonly DetailNode[], pool: ItemPool = new ItemPool()): NetItems {
  const out: NetItems = { pre: [], post: [] };
  // `inIcmp`: under an ICMP error, whose quoted headers' items tshark shows but does not count.
  const walk = (nodes: readonly DetailNode[], protocol: string, post: boolean, inIcmp: boolean) => {
    for (const node of nodes) {
      if (node.proto === 'tcp' || node.proto === 'frame') continue;
      if (node.proto && inIcmp) continue;
      let proto = protocol;
      let late = post;
      if (node.proto) {
        const m = MALFORMED_LABEL.exec(node.label);
        proto = m ? m[1] : (PROTOCOL_OF[node.proto] ?? protocol);
        if (node.proto === 'eth') late = true;
      }
      const e = node.severity ? EXPERT_LABEL.exec(node.label) : null;
      if (e) {
        (late ? out.post : out.pre).push(pool.get(SEVERITY[e[1]], e[2], proto, e[3]));
        continue;
      }
      if (node.children) walk(node.children, proto, late, inIcmp || node.proto === 'icmp' || node.proto === 'icmpv6');
    }
  };
  // After the transport comes its payload: Data, or application PDUs whose items their own lists
  // give (dissect/app.ts; udpAppExperts below), so the walk stops there.
  const transport = tree.findIndex((n) => n.proto === 'tcp' || n.proto === 'udp');
  walk(transport < 0 ? tree : tree.slice(0, transport + 1), '', false, false);
  return out;
}

/** A UDP datagram's application items (DNS, …), after its headers' (TCP frames: dissect/app.ts). */
function udpAppExperts(c: FrameCtx, pool: ItemPool): ExpertItem[] {
  if (c.p.hasTcp) return [];
  const a = appFrame(c);
  const out: ExpertItem[] = [];
  for (const pdu of a?.pdus ?? []) {
    for (const e of pdu.experts ?? []) out.push(pool.get(e.severity, e.group, e.protocol, e.summary));
    if (pdu.malformed) out.push(pool.get('error', 'Malformed', pdu.malformedBy ?? pdu.proto, 'Malformed Packet (Exception occurred)'));
  }
  return out;
}

/** The items of decoded frame `c` outside TCP's (the detail pane's, for one frame). */
export function frameNetExperts(c: FrameCtx, side: TreeSide | undefined, pool: ItemPool = new ItemPool()): NetItems {
  const items = treeExperts(detailTree(c, side), pool);
  // A DNS query sent again (capture-wide: tree/side.ts), under its Transaction ID: before DNS's other items.
  const orig = c.p.hasTcp ? undefined : side?.dnsRetransmissionOf(c.n);
  if (orig !== undefined) items.pre.push(pool.get('warn', 'Protocol', 'DNS', `DNS query retransmission. Original request in frame ${orig}`));
  items.pre.push(...udpAppExperts(c, pool));
  return items;
}

/** Frames per read of the candidates pass. */
const BATCH = 1024;

/** frame → its items outside TCP's (frames without any are absent). */
export type NetExperts = Map<number, NetItems>;

const BUILT = new WeakMap<CaptureSession, NetExperts>();
const BUILDING = new WeakMap<CaptureSession, Promise<NetExperts>>();

/** The capture's items outside TCP's, if prepareNetExperts has run (synchronous callers). */
export function builtNetExperts(s: CaptureSession): NetExperts | undefined {
  return BUILT.get(s);
}

/** Build (once, after the load) the capture's items outside TCP's: one pass over the bytes. */
export function prepareNetExperts(s: CaptureSession): Promise<NetExperts> {
  let p = BUILDING.get(s);
  if (!p) {
    p = build(s);
    BUILDING.set(s, p);
  }
  return p;
}

async function build(s: CaptureSession): Promise<NetExperts> {
  const side = await treeSide(s);
  const out: NetExperts = new Map();
  const pool = new ItemPool();
  const t = s.frames;
  const p = new Packet();
  // The candidates, ascending: frames outside TCP conversations, and the TCP frames the side's pass found.
  const tcp = new Set(side.tcpNetCandidates);
  const list: number[] = [];
  for (let n = 1; n <= t.count; n++) {
    const tf = t.tflags[n - 1];
    if (!(tf & TF_TCP && !(tf & TF_QUOTED) && t.stream[n - 1] >= 0) || tcp.has(n)) list.push(n);
  }
  // Read in batches of nearby candidates (a batch spans at most BATCH frames).
  for (let i = 0; i < list.length; ) {
    const lo = list[i];
    let j = i;
    while (j + 1 < list.length && list[j + 1] - lo < BATCH) j++;
    const hi = list[j];
    const { bytes, offsets } = await s.readFrames(lo, hi);
    for (; i <= j; i++) {
      const n = list[i];
      const off = offsets[n - lo];
      if (off === undefined || off + t.capLen[n - 1] > bytes.length) continue;
      const items = frameNetExperts(decodeAgain(s, p, n, bytes, off), side, pool);
      if (items.pre.length || items.post.length) out.set(n, items);
    }
  }
  BUILT.set(s, out);
  return out;
}

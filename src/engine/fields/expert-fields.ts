/**
 * `_ws.expert`, `_ws.expert.message`, `.severity`, `.group`: every expert item of a frame as
 * tshark's -T fields and display filters see them — the items its detail tree shows (a packet
 * comment, then every "[Expert Info (…)]" line in tree order, including those of an ICMP error's
 * quoted packet, which `-z expert` does not count). One definition: the items are read from the
 * frame's detail tree (detail.ts), as the pane shows them.
 */
import type { FieldDef } from './registry';
import type { FrameCtx } from './project';
import type { DetailNode } from '../model/types';
import { frameTree, protocolText } from './tree-fields';
import { EXPERT_LABEL } from './expert-net';

interface Item {
  severity: number;
  group: number;
  message: string;
  /** "Note/Sequence" as the protocol item's text says it. */
  kind: string;
}

/** tshark's numbers (PI_* of its expert API, as -T fields prints them). */
const SEVERITY: Record<string, number> = { Comment: 0x00100000, Chat: 0x00200000, Note: 0x00400000, Warning: 0x00600000, Error: 0x00800000 };
const GROUP: Record<string, number> = {
  Checksum: 0x01000000,
  Sequence: 0x02000000,
  Undecoded: 0x05000000,
  Malformed: 0x07000000,
  Protocol: 0x09000000,
  Security: 0x0a000000,
  Comment: 0x0b000000,
};

const CACHE = new WeakMap<FrameCtx, Item[]>();

/** The frame's expert items in tree order (cached per decoded frame). */
export function frameExpertItems(c: FrameCtx): Item[] {
  let items = CACHE.get(c);
  if (items) return items;
  items = [];
  for (const text of c.s.frames.comments.get(c.n) ?? []) items.push({ severity: SEVERITY.Comment, group: GROUP.Comment, message: text, kind: 'Comment/Comment' });
  const walk = (nodes: readonly DetailNode[]) => {
    for (const node of nodes) {
      const m = node.severity ? EXPERT_LABEL.exec(node.label) : null;
      // tshark formats an item's text in a 240-byte buffer: 239 characters at most.
      if (m) items!.push({ severity: SEVERITY[m[1]], group: GROUP[m[2]] ?? 0, message: m[3].slice(0, 239), kind: `${m[1]}/${m[2]}` });
      else if (node.children) walk(node.children);
    }
  };
  walk(frameTree(c));
  CACHE.set(c, items);
  return items;
}

export function expertFieldDefs(): FieldDef[] {
  return [
    { name: '_ws.expert', type: 'protocol', desc: 'Expert Info', side: true, all: (c) => frameExpertItems(c).map((e) => protocolText(`Expert Info (${e.kind}): ${e.message}`)) },
    { name: '_ws.expert.message', type: 'string', desc: 'Wireshark expert information', side: true, all: (c) => frameExpertItems(c).map((e) => e.message) },
    { name: '_ws.expert.severity', type: 'uint', bits: 32, desc: 'Wireshark expert severity level', side: true, all: (c) => frameExpertItems(c).map((e) => String(e.severity)) },
    { name: '_ws.expert.group', type: 'uint', bits: 32, desc: 'Wireshark expert group', side: true, all: (c) => frameExpertItems(c).map((e) => String(e.group)) },
  ];
}

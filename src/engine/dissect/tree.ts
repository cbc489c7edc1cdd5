/**
 * The application subtrees of a frame for the detail pane: each PDU's tree (byte ranges moved to
 * the frame when the PDU lies in it), the reassembly notes Wireshark adds ("[Reassembled PDU in
 * frame: N]", "[N Reassembled TCP Segments …]") and "[Malformed Packet: …]".
 */
import type { DetailNode } from '../model/types';
import type { FrameCtx } from '../fields/project';
import { appFrame } from './app';

function shift(n: DetailNode, by: number | undefined): DetailNode {
  const out: DetailNode = { ...n };
  if (by === undefined) {
    delete out.start;
    delete out.length;
  } else if (out.start !== undefined) out.start += by;
  if (n.children) out.children = n.children.map((k) => shift(k, by));
  return out;
}

export function appDetailNodes(c: FrameCtx): DetailNode[] {
  const a = appFrame(c);
  if (!a) return [];
  const p = c.p;
  const out: DetailNode[] = [];
  if (a.segment) {
    if (a.reassembledIn) out.push({ label: `[Reassembled PDU in frame: ${a.reassembledIn}]`, link: a.reassembledIn });
    out.push({ label: `TCP segment data (${Math.max(0, p.segLen)} bytes)` });
    return out;
  }
  if (a.from) out.push({ label: `[${a.from.length} Reassembled TCP Segments]`, children: a.from.map((f) => ({ label: `[Frame: ${f}]`, link: f })) });
  // Where the payload starts in the frame's bytes (undefined when not in the frame itself).
  let payloadAt: number | undefined;
  if (p.hasTcp && p.tcpFrameOff >= 0) payloadAt = p.tcpFrameOff - c.off + p.hdrLen;
  else if (!p.hasTcp && p.udpOff >= 0) payloadAt = p.udpOff - c.off + 8;
  for (const pdu of a.pdus) {
    const at = p.hasTcp ? pdu.at : 0;
    out.push(shift(pdu.tree, payloadAt !== undefined && at !== undefined ? payloadAt + at : undefined));
    if (pdu.malformed) out.push({ label: `[Malformed Packet: ${pdu.proto}]`, severity: 'error', children: [{ label: '[Expert Info (Error/Malformed): Malformed Packet (Exception occurred)]', severity: 'error' }] });
  }
  return out;
}

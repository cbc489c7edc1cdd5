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

/**
 * The application layer's part of a frame's tree, as tshark lays it out: `tcp` = the lines that
 * go at the end of the TCP subtree ("[Reassembled PDU in frame: N]", "TCP segment data (N bytes)"),
 * `top` = the top-level nodes after the transport ("[N Reassembled TCP Segments (…)]", each PDU's
 * subtree, "[Malformed Packet: …]"). undefined: the application layer has nothing for the frame
 * (its payload is "Data").
 */
const nBytes = (n: number): string => `${n} byte${n === 1 ? '' : 's'}`;

export function appDetailNodes(c: FrameCtx): { tcp: DetailNode[]; top: DetailNode[] } | undefined {
  const a = appFrame(c);
  if (!a) return undefined;
  const p = c.p;
  const tcp: DetailNode[] = [];
  const top: DetailNode[] = [];
  const segLen = Math.max(0, p.segLen);
  if (a.truncated) {
    top.push({ label: `[Packet size limited during capture: ${a.by.name.toUpperCase()} truncated]`, proto: '_ws.short' });
    return { tcp, top };
  }
  if (a.retransmitted !== undefined) {
    if (a.retransmitted) tcp.push({ label: `Retransmitted TCP segment data (${nBytes(segLen)})` });
    return { tcp, top };
  }
  if (a.segment) {
    if (a.reassembledIn) tcp.push({ label: `[Reassembled PDU in frame: ${a.reassembledIn}]`, link: a.reassembledIn });
    tcp.push({ label: `TCP segment data (${nBytes(segLen)})` });
    return { tcp, top };
  }
  if (a.by.tcpPduSize && p.hasTcp) {
    a.pdus.forEach((pdu, k) => {
      const size = k === 0 && a.fromBytes ? a.fromBytes.reduce((x, y) => x + y, 0) : pdu.tree.length;
      if (size !== undefined) tcp.push({ label: `[PDU Size: ${size}]` });
    });
  }
  // A dissector that reassembles on its own (no PDU Size) and throws on the reassembled PDU: tshark
  // adds neither the segment's data line nor the segment list, which come after the dissector
  // returns (black-box, 4.0.17: HTTP header lines 'abcdefghij' + 'x:x\nyy' on port 80, frame 2).
  if (a.from && !(!a.by.tcpPduSize && a.pdus[0]?.malformed)) {
    const bytes = a.fromBytes;
    const at = a.fromAt;
    const mine = at ? segLen : bytes ? bytes[bytes.length - 1] : segLen;
    // A FIN without data ends a PDU that runs to it: no line for its bytes.
    if (mine > 0) tcp.push({ label: `TCP segment data (${nBytes(mine)})` });
    let total = 0;
    const kids: DetailNode[] = a.from.map((f, k) => {
      const len = bytes?.[k] ?? 0;
      const from = at ? at[k] : total;
      const node: DetailNode = len
        ? { label: `[Frame: ${f}, payload: ${from}-${from + len - 1} (${len} bytes)]`, link: f }
        : { label: `[Frame: ${f} (no data)]`, link: f };
      if (from < total) node.children = [{ label: '[Segment overlap: True]' }];
      total = Math.max(total, from + len);
      return node;
    });
    kids.push({ label: `[Segment count: ${a.from.length}]` }, { label: `[Reassembled TCP length: ${total}]` });
    const list = a.from.map((f, k) => `#${f}(${bytes?.[k] ?? 0})`).join(', ');
    // tshark cuts a label to 239 characters (its item label buffer), brackets aside.
    top.push({ label: `[${`${a.from.length} Reassembled TCP Segments (${total} bytes): ${list}`.slice(0, 239)}]`, children: kids });
  }
  // Where the payload starts in the frame's bytes (undefined when not in the frame itself).
  let payloadAt: number | undefined;
  if (p.hasTcp && p.tcpFrameOff >= 0) payloadAt = p.tcpFrameOff - c.off + p.hdrLen;
  else if (!p.hasTcp && p.udpOff >= 0) payloadAt = p.udpOff - c.off + 8;
  const cut = p.hasTcp && p.tcpAvail - p.hdrLen < p.segLen;
  // The node the next PDU's subtree joins (oneNodePerCall: PDUs after the reassembled one).
  let call: DetailNode | undefined;
  a.pdus.forEach((pdu, k) => {
    const at = p.hasTcp ? pdu.at : 0;
    const by = payloadAt !== undefined && at !== undefined ? payloadAt + at : undefined;
    const node = shift(pdu.tree, by);
    const joined = call;
    if (joined) {
      joined.children = [...(joined.children ?? []), ...(node.children ?? [])];
      if (joined.start !== undefined && node.start !== undefined && node.length !== undefined) joined.length = node.start + node.length - joined.start;
      else delete joined.length;
    } else top.push(node);
    call = a.by.oneNodePerCall && p.hasTcp && !(k === 0 && a.from) && !pdu.malformed && !pdu.after?.length ? (joined ?? node) : undefined;
    for (const n of pdu.after ?? []) top.push(shift(n, by));
    if (pdu.malformed && !cut) top.push({ label: `[Malformed Packet: ${pdu.malformedBy ?? pdu.proto}]`, proto: '_ws.malformed', severity: 'error', children: [{ label: '[Expert Info (Error/Malformed): Malformed Packet (Exception occurred)]', severity: 'error' }] });
  });
  // A TCP payload cut by the snap length: the PDU's dissector ran out of bytes (tshark: "size limited", not malformed).
  if (cut && a.pdus.length) top.push({ label: `[Packet size limited during capture: ${a.by.name.toUpperCase()} truncated]`, proto: '_ws.short' });
  return { tcp, top };
}

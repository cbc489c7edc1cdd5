/**
 * The application dissectors' fields as field-registry entries (`-e`, display filters,
 * --list-fields, completion): the values are the PDUs' [name, value] pairs of the frame.
 */
import type { FieldDef } from '../fields/registry';
import type { FrameCtx } from '../fields/project';
import { appFieldValues, appFrame, type AppFrame } from './app';
import { DISSECTORS } from './registry';

export function appFieldDefs(): FieldDef[] {
  const out: FieldDef[] = [];
  // Fields of other protocols that a dissector needing that pass sets too, the protocol itself
  // included (QUIC's Initials: TLS's, and `tls`).
  const carried = DISSECTORS.flatMap((d) => (d.udpOrdered ? (d.carries ?? []) : []));
  for (const d of DISSECTORS) {
    for (const [name, type, bits, desc] of d.fields) {
      // A field without a value (FT_NONE) prints '1' per occurrence, as tshark -T fields does ('tls.handshake': '1,1').
      const all = type === 'none' ? (c: FrameCtx) => appFieldValues(c, name).map(() => '1') : (c: FrameCtx) => appFieldValues(c, name);
      const def: FieldDef = { name, type, desc, all };
      if (bits) def.bits = bits;
      // Values from the tree's capture-wide pass: UDP request/response links, a connection's state (QUIC).
      if (d.udpLinkFields?.includes(name) || d.udpOrdered || carried.some((p) => name.startsWith(p) || `${name}.` === p)) def.side = true;
      out.push(def);
    }
  }
  return [...out, ...reassemblyFields()];
}

/** Bytes of the PDU reassembled from a frame's `from` segments (overlapping segments counted once, as the tree's list). */
export function reassembledLength(a: AppFrame): number {
  const bytes = a.fromBytes ?? [];
  let total = 0;
  (a.from ?? []).forEach((_, k) => {
    const len = bytes[k] ?? 0;
    total = Math.max(total, (a.fromAt ? a.fromAt[k] : total) + len);
  });
  return total;
}

/**
 * TCP's reassembly fields, from the application layer's results (the same as the detail tree's
 * "[Reassembled PDU in frame: N]" and "[N Reassembled TCP Segments (…)]"): on a segment of a PDU
 * completed later, tcp.reassembled_in; on the frame that completes it, the segments, their count and
 * the reassembled length (also when an out-of-order segment completes it: no PDU, StreamApp.outOfOrder).
 */
function reassemblyFields(): FieldDef[] {
  const tcpApp = (c: FrameCtx): AppFrame | undefined => (c.p.hasTcp ? appFrame(c) : undefined);
  const whole = (c: FrameCtx): AppFrame | undefined => {
    const a = tcpApp(c);
    return a && a.from && (a.pdus.length || a.ooo) && a.retransmitted === undefined ? a : undefined;
  };
  return [
    { name: 'tcp.reassembled_in', type: 'framenum', desc: 'Reassembled PDU in frame', all: (c) => {
      const a = tcpApp(c);
      return a?.segment && a.reassembledIn ? [String(a.reassembledIn)] : [];
    } },
    { name: 'tcp.segments', type: 'none', desc: 'Reassembled TCP Segments', all: (c) => (whole(c) ? ['1'] : []) },
    { name: 'tcp.segment', type: 'framenum', desc: 'TCP Segment', all: (c) => whole(c)?.from!.map(String) ?? [] },
    { name: 'tcp.segment.count', type: 'uint', bits: 32, desc: 'Segment count', all: (c) => {
      const a = whole(c);
      return a ? [String(a.from!.length)] : [];
    } },
    { name: 'tcp.reassembled.length', type: 'uint', bits: 32, desc: 'Reassembled TCP length', all: (c) => {
      const a = whole(c);
      return a ? [String(reassembledLength(a))] : [];
    } },
  ];
}

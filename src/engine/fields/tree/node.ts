/** Small constructors shared by the protocol trees. */
import type { DetailNode, Severity } from '../../model/types';
import { bytesHex } from './bits';

export type Range = { start?: number; length?: number };

/** A field node: `label` with the byte range `[start, start+length)` of the frame (when known). */
export function fld(label: string, r: Range, field?: string, children?: DetailNode[]): DetailNode {
  const n: DetailNode = { label };
  if (field) n.field = field;
  if (r.start !== undefined) {
    n.start = r.start;
    n.length = r.length;
  }
  if (children && children.length) n.children = children;
  return n;
}

const SEV_NAME: Record<Severity, string> = { chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };

/** An expert item as tshark prints it in the tree. */
export function expert(severity: Severity, group: string, summary: string, r: Range = {}): DetailNode {
  return {
    label: `[Expert Info (${SEV_NAME[severity]}/${group}): ${summary}]`,
    severity,
    ...r,
    children: [{ label: `[${summary}]` }, { label: `[Severity level: ${SEV_NAME[severity]}]` }, { label: `[Group: ${group}]` }],
  };
}

/** The byte range helper of one header: offsets relative to the header, clipped to what was captured. */
export function ranger(base: number | undefined, avail: number): (s: number, l: number) => Range {
  return (s, l) => {
    if (base === undefined || s >= avail) return {};
    return { start: base + s, length: Math.min(l, avail - s) };
  };
}

/** tshark's "Data" protocol: `b[o, o+n)`, shown at `r` in the frame. */
export function dataNode(b: Uint8Array, o: number, n: number, r: Range): DetailNode {
  const node: DetailNode = { label: `Data (${n} byte${n === 1 ? '' : 's'})`, proto: 'data', ...r, children: [fld(`Data: ${bytesHex(b, o, n)}`, r, 'data.data'), fld(`[Length: ${n}]`, {}, 'data.len')] };
  if (r.start === undefined) node.outside = b.slice(o, o + n);
  return node;
}

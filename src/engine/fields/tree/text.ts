/**
 * The detail tree as text, exactly as `tshark -V` / `tshark -O PROTOCOLS` prints it: one line
 * per node, four spaces per level. A top-level protocol is expanded when `expand` says so
 * (every protocol for -V, the listed ones for -O); other top-level nodes print their label only.
 * Inside an expanded tree everything is printed, and a "Data" protocol node is followed by a
 * blank line and the hex dump of its bytes (tshark prints uninterpreted data that way when -x
 * is not given). A pure function of the tree and the frame's bytes.
 */
import type { DetailNode } from '../../model/types';

export function hexDump(b: Uint8Array, start: number, length: number): string[] {
  const lines: string[] = [];
  for (let o = 0; o < length; o += 16) {
    const n = Math.min(16, length - o);
    let hex = '';
    let asc = '';
    for (let i = 0; i < 16; i++) {
      if (i < n) {
        const v = b[start + o + i];
        hex += (i ? ' ' : '') + v.toString(16).padStart(2, '0');
        asc += v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.';
      } else hex += '   ';
    }
    lines.push(`${o.toString(16).padStart(4, '0')}  ${hex}   ${asc}`);
  }
  return lines;
}

export interface TreeTextOptions {
  /** Whether a top-level protocol (by its `proto` name) is printed expanded. */
  expand: (proto: string | undefined) => boolean;
  /** The frame's captured bytes (for the hex dump of data nodes). */
  bytes: Uint8Array;
}

export function treeText(nodes: readonly DetailNode[], o: TreeTextOptions): string {
  const out: string[] = [];
  const walk = (n: DetailNode, depth: number): void => {
    out.push('    '.repeat(depth) + n.label);
    if (n.proto === 'data' && n.outside) {
      out.push('');
      out.push(...hexDump(n.outside, 0, n.outside.length));
    } else if (n.proto === 'data' && n.start !== undefined && n.length !== undefined) {
      out.push('');
      out.push(...hexDump(o.bytes, n.start, Math.min(n.length, o.bytes.length - n.start)));
    }
    for (const k of n.children ?? []) walk(k, depth + 1);
  };
  for (const n of nodes) {
    if (o.expand(n.proto)) walk(n, 0);
    else out.push(n.label);
  }
  return out.join('\n') + '\n';
}

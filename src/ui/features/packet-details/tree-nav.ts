/**
 * The detail tree as the keyboard and the hex pane see it: a stable key per node (its field, or
 * its label up to the value, under its parent's key) so that expansion and selection carry over
 * from frame to frame; the visible nodes in order; the innermost node covering a byte; the value
 * Ctrl+C copies.
 */
import type { DetailNode } from '../../../engine/model/types';

export interface FlatNode {
  node: DetailNode;
  key: string;
  depth: number;
  /** Index of the parent in the flat list (-1 at the top). */
  parent: number;
}

/** A node's key under its parent: the field name, else the label without its value. */
export function nodeKey(parentKey: string, n: DetailNode, i: number): string {
  const own = n.field ?? n.label.replace(/[:=].*$/, '').replace(/\d+/g, '#').trim() ?? String(i);
  return `${parentKey}/${own}`;
}

/** The nodes on screen (children of open nodes), in order. */
export function visibleNodes(tree: DetailNode[], isOpen: (n: DetailNode, key: string) => boolean): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (nodes: DetailNode[], parentKey: string, depth: number, parent: number) => {
    nodes.forEach((n, i) => {
      const key = nodeKey(parentKey, n, i);
      const me = out.length;
      out.push({ node: n, key, depth, parent });
      if (n.children?.length && isOpen(n, key)) walk(n.children, key, depth + 1, me);
    });
  };
  walk(tree, '', 0, -1);
  return out;
}

/** The innermost node whose bytes cover `offset`, with the keys of its ancestors (to open them). */
export function innermostAt(tree: DetailNode[], offset: number): { key: string; ancestors: string[] } | undefined {
  let best: { key: string; ancestors: string[]; length: number; depth: number } | undefined;
  const walk = (nodes: DetailNode[], parentKey: string, ancestors: string[], depth: number) => {
    nodes.forEach((n, i) => {
      const key = nodeKey(parentKey, n, i);
      if (n.start !== undefined && n.length !== undefined && n.length > 0 && offset >= n.start && offset < n.start + n.length) {
        if (!best || n.length < best.length || (n.length === best.length && depth > best.depth)) best = { key, ancestors, length: n.length, depth };
      }
      if (n.children) walk(n.children, key, [...ancestors, key], depth + 1);
    });
  };
  walk(tree, '', [], 0);
  return best && { key: best.key, ancestors: best.ancestors };
}

/** What Ctrl+C copies: the value after "Name: ", without Wireshark's brackets; else the whole label. */
export function nodeValue(n: DetailNode): string {
  const label = n.label.replace(/^\[(.*)\]$/, '$1');
  const i = label.indexOf(': ');
  return (i >= 0 ? label.slice(i + 2) : label).replace(/\s{2,}\(.*\)$/, '').trim();
}

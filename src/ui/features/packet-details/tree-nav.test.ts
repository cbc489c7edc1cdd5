import { describe, expect, it } from 'vitest';
import type { DetailNode } from '../../../engine/model/types';
import { innermostAt, nodeValue, visibleNodes } from './tree-nav';

const tree: DetailNode[] = [
  { label: 'Frame 3: 54 bytes on wire', start: 0, length: 54 },
  {
    label: 'Transmission Control Protocol, Src Port: 1',
    start: 34,
    length: 20,
    children: [
      { label: 'Source Port: 40200', field: 'tcp.srcport', start: 34, length: 2 },
      { label: 'Sequence Number: 1    (relative sequence number)', field: 'tcp.seq', start: 38, length: 4 },
      { label: '[SEQ/ACK analysis]', children: [{ label: '[Bytes in flight: 1000]', field: 'tcp.analysis.bytes_in_flight' }] },
    ],
  },
];

describe('detail tree navigation', () => {
  it('the value Ctrl+C copies: after "Name: ", without brackets or the relative note', () => {
    expect(nodeValue(tree[1].children![0])).toBe('40200');
    expect(nodeValue(tree[1].children![1])).toBe('1');
    expect(nodeValue(tree[1].children![2].children![0])).toBe('1000');
    expect(nodeValue({ label: '[SEQ/ACK analysis]' })).toBe('SEQ/ACK analysis');
  });

  it('the innermost item over a byte, with the ancestors to open; keys are the same in another frame', () => {
    const hit = innermostAt(tree, 35)!;
    expect(hit.key.endsWith('/tcp.srcport')).toBe(true);
    expect(hit.ancestors).toHaveLength(1);
    expect(innermostAt(tree, 10)!.key).toBe(visibleNodes(tree, () => false)[0].key);
    expect(innermostAt(tree, 60)).toBeUndefined();
    const other = structuredClone(tree);
    other[1].label = 'Transmission Control Protocol, Src Port: 8080';
    other[1].children![0].label = 'Source Port: 8080';
    expect(innermostAt(other, 35)!.key).toBe(hit.key);
  });

  it('visible nodes follow what is open', () => {
    expect(visibleNodes(tree, () => false)).toHaveLength(2);
    expect(visibleNodes(tree, () => true).map((f) => f.depth)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(visibleNodes(tree, () => true)[5].parent).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import type { FrameRow } from '../../../engine/model/types';
import { BLOCK, RowCache } from './row-cache';
import { MAX_SCROLL_PX, scrollScale } from './scroll-scale';

const row = (n: number): FrameRow => ({ number: n, time: 0, timeText: '0.000000000', source: '', destination: '', protocol: 'TCP', length: 60, info: '', flags: [], colorRule: '', background: '', foreground: '', stream: 0 });
const rows = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => row(a + i));

describe('RowCache', () => {
  it('asks for whole blocks, merged into contiguous ranges, and only once', () => {
    const c = new RowCache();
    expect(c.missing(1, 10, 1000)).toEqual([[1, BLOCK]]);
    expect(c.missing(BLOCK - 2, BLOCK + 3, 1000)).toEqual([[1, 2 * BLOCK]]);
    c.request(1, 2 * BLOCK);
    expect(c.missing(1, 2 * BLOCK, 1000)).toEqual([]);
    c.put(1, 2 * BLOCK, rows(1, 2 * BLOCK));
    expect(c.get(BLOCK + 1)?.number).toBe(BLOCK + 1);
    expect(c.missing(1, 3 * BLOCK, 1000)).toEqual([[2 * BLOCK + 1, 3 * BLOCK]]);
  });

  it('never asks beyond the frames read so far, and refetches a block that was short', () => {
    const c = new RowCache();
    expect(c.missing(1, 100, 0)).toEqual([]);
    expect(c.missing(1, 100, 10)).toEqual([[1, 10]]);
    c.request(1, 10);
    c.put(1, 10, rows(1, 10));
    expect(c.missing(1, 100, 10)).toEqual([]);
    // More frames were read: the first block is incomplete now.
    expect(c.missing(1, 100, 20)).toEqual([[1, 20]]);
  });

  it('keeps rows by position (a filtered view), a short answer as a prefix, and forgets everything on clear', () => {
    const c = new RowCache();
    c.put(1, BLOCK, [row(7), row(9), row(40)]);
    expect(c.get(1)?.number).toBe(7);
    expect(c.get(3)?.number).toBe(40);
    expect(c.get(4)).toBeUndefined();
    expect(c.missing(1, 10, 1000)).toEqual([[1, BLOCK]]);
    c.clear();
    expect(c.get(1)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('after invalidate, asks again but keeps showing the old rows until new ones arrive', () => {
    const c = new RowCache();
    c.put(1, BLOCK, rows(1, BLOCK));
    c.invalidate();
    expect(c.missing(1, 10, 1000)).toEqual([[1, BLOCK]]);
    expect(c.get(3)?.number).toBe(3);
    const fresh = rows(1, BLOCK).map((r) => ({ ...r, info: 'final' }));
    c.put(1, BLOCK, fresh);
    expect(c.get(3)?.info).toBe('final');
    expect(c.missing(1, 10, 1000)).toEqual([]);
  });

  it('keeps a bounded number of blocks', () => {
    const c = new RowCache();
    for (let b = 0; b < 400; b++) c.put(b * BLOCK + 1, (b + 1) * BLOCK, rows(b * BLOCK + 1, (b + 1) * BLOCK));
    expect(c.size).toBeLessThanOrEqual(256);
    expect(c.get(399 * BLOCK + 1)?.number).toBe(399 * BLOCK + 1);
  });
});

describe('scrollScale', () => {
  it('is the identity for lists that fit', () => {
    expect(scrollScale(1000, 22, 400)).toEqual({ spacer: 22000, ratio: 1 });
  });

  it('caps the height and maps the whole range for ten million rows', () => {
    const s = scrollScale(10_000_000, 22, 400);
    expect(s.spacer).toBe(MAX_SCROLL_PX);
    // Scrolled to the bottom (real px = spacer − viewport) shows the last row.
    expect((s.spacer - 400) * s.ratio + 400).toBeCloseTo(10_000_000 * 22, 3);
  });
});

import { describe, expect, it } from 'vitest';
import { fmtRelNs, fmtRelParts } from './format';

describe('relative times as tshark prints them', () => {
  it('matches fmtRelNs for spans a double holds exactly', () => {
    for (const [s, ns] of [[0, 0], [0, 5_000_000], [1, -1], [-1, 1], [-2, -500], [12, 999_999_999]] as const) {
      expect(fmtRelParts(s, ns)).toBe(fmtRelNs(s * 1e9 + ns));
    }
  });
  it('stays exact past 2^53 ns (tshark: 665396691.359477000, not …476992)', () => {
    expect(fmtRelParts(665396691, 359477000)).toBe('665396691.359477000');
    expect(fmtRelNs(665396691 * 1e9 + 359477000)).not.toBe('665396691.359477000');
    expect(fmtRelParts(-1381533735, 6935000)).toBe('-1381533734.993065000');
  });
});

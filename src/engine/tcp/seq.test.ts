/**
 * Sequence arithmetic against a BigInt reference of spec §0.3: a <s b ⇔ the signed 32-bit
 * value of (a − b) is negative; + and − wrap modulo 2^32.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seqAdd, seqGe, seqGt, seqLe, seqLt, seqSub } from './seq';

const M = 1n << 32n;
const signed = (a: number, b: number): bigint => BigInt.asIntN(32, BigInt(a) - BigInt(b));
const ref = {
  add: (a: number, b: number) => Number((BigInt(a) + BigInt(b)) % M),
  sub: (a: number, b: number) => Number((((BigInt(a) - BigInt(b)) % M) + M) % M),
  lt: (a: number, b: number) => signed(a, b) < 0n,
  le: (a: number, b: number) => signed(a, b) <= 0n,
  gt: (a: number, b: number) => signed(b, a) < 0n,
  ge: (a: number, b: number) => signed(b, a) <= 0n,
};

const u32 = fc.oneof(
  fc.nat({ max: 0xffffffff }),
  fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff),
  // values near the wrap point and near half the circle
  fc.integer({ min: 0xffffff00, max: 0xffffffff }),
  fc.integer({ min: 0x7fffff00, max: 0x800000ff }),
);
const params = { seed: 20240601, numRuns: 2000 };

describe('seq.ts', () => {
  it('matches the BigInt reference', () => {
    fc.assert(
      fc.property(u32, u32, (a, b) => {
        expect(seqLt(a, b)).toBe(ref.lt(a, b));
        expect(seqLe(a, b)).toBe(ref.le(a, b));
        expect(seqGt(a, b)).toBe(ref.gt(a, b));
        expect(seqGe(a, b)).toBe(ref.ge(a, b));
        expect(seqSub(a, b)).toBe(ref.sub(a, b));
      }),
      params,
    );
  });

  it('adds modulo 2^32 (lengths up to 2^32 − 1)', () => {
    fc.assert(
      fc.property(u32, fc.nat({ max: 0xffffffff }), (a, n) => {
        expect(seqAdd(a, n)).toBe(ref.add(a, n));
      }),
      params,
    );
  });

  it('orders consistently: exactly one of <, =, > except at the antipode', () => {
    fc.assert(
      fc.property(u32, u32, (a, b) => {
        const n = [seqLt(a, b), a === b, seqGt(a, b)].filter(Boolean).length;
        // a − b = 2^31: the signed difference is −2^31, so a <s b and also b <s a.
        if (seqSub(a, b) === 0x80000000) {
          expect(seqLt(a, b) && seqLt(b, a)).toBe(true);
        } else {
          expect(n).toBe(1);
          expect(seqLt(a, b)).toBe(seqGt(b, a));
          expect(seqLe(a, b)).toBe(!seqGt(a, b));
          expect(seqGe(a, b)).toBe(!seqLt(a, b));
        }
      }),
      params,
    );
  });

  it('handles the wrap point', () => {
    expect(seqLt(0xffffffff, 0)).toBe(true);
    expect(seqGt(5, 0xfffffff0)).toBe(true);
    expect(seqAdd(0xffffffff, 2)).toBe(1);
    expect(seqSub(1, 0xffffffff)).toBe(2);
    expect(seqLe(7, 7) && seqGe(7, 7)).toBe(true);
  });
});

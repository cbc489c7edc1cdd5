import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint';

describe('fingerprint', () => {
  it('12 hex digits, the same for the same bytes, different when any byte or the length differs', () => {
    const a = new Uint8Array(65536).map((_, i) => (i * 31) & 0xff);
    const f = fingerprint(a);
    expect(f).toMatch(/^[0-9a-f]{12}$/);
    expect(fingerprint(a.slice())).toBe(f);
    const seen = new Set([f]);
    for (const i of [0, 1, 100, 4096, 65535]) {
      const b = a.slice();
      b[i] ^= 1;
      seen.add(fingerprint(b));
    }
    seen.add(fingerprint(a.subarray(0, 65535)));
    seen.add(fingerprint(new Uint8Array(0)));
    seen.add(fingerprint(new Uint8Array(1)));
    expect(seen.size).toBe(9); // the original, 5 one-bit changes, one byte shorter, empty, one zero byte
  });
});

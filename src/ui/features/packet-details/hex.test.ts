import { describe, expect, it } from 'vitest';
import { asciiOf, hexLines } from './hex';

describe('hexLines', () => {
  const bytes = Uint8Array.from({ length: 20 }, (_, i) => (i === 3 ? 0x3c : 0x41 + i));

  it('writes 16 bytes per line with a gap after 8, and ASCII with dots for the rest', () => {
    const l = hexLines(bytes);
    expect(l.map((x) => x.offset)).toEqual(['0000', '0010']);
    expect(l[0].hex.map((s) => s.text).join('')).toBe('41 42 43 3c 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50');
    expect(l[0].ascii.map((s) => s.text).join('')).toBe('ABC<EFGHIJKLMNOP');
    expect(asciiOf(0)).toBe('.');
    expect(asciiOf(0x7f)).toBe('.');
  });

  it('splits out the highlighted range, across lines, without its leading separator', () => {
    const l = hexLines(bytes, 14, 4);
    expect(l[0].hex).toEqual([
      { text: '41 42 43 3c 45 46 47 48  49 4a 4b 4c 4d 4e ', hl: false },
      { text: '4f 50', hl: true },
    ]);
    expect(l[1].hex[0]).toEqual({ text: '51 52', hl: true });
    expect(l[1].ascii.filter((s) => s.hl).map((s) => s.text)).toEqual(['QR']);
  });
});

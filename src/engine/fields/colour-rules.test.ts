import { describe, expect, it } from 'vitest';
import { COLOUR_RULES, darkColours } from './colour-rules';

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

describe('dark-mode colours of the colouring rules', () => {
  it("dark-text rules swap (the pastel becomes the text on #12272e); light-text rules keep theirs, as Wireshark's Dark Mode profile", () => {
    const dark = Object.fromEntries(Object.values(COLOUR_RULES).map((r) => [r.name, darkColours(r)]));
    expect(dark).toEqual({
      'Bad TCP': { background: '#12272e', foreground: '#f78787' },
      'ICMP errors': { background: '#12272e', foreground: '#b7f774' },
      ARP: { background: '#12272e', foreground: '#faf0d7' },
      ICMP: { background: '#12272e', foreground: '#fce0ff' },
      'TCP RST': { background: '#a40000', foreground: '#fffc9c' },
      'TTL low or unexpected': { background: '#a40000', foreground: '#ecf0eb' },
      HTTP: { background: '#12272e', foreground: '#e4ffc7' },
      'TCP SYN/FIN': { background: '#12272e', foreground: '#a0a0a0' },
      TCP: { background: '#12272e', foreground: '#e7e6ff' },
      UDP: { background: '#12272e', foreground: '#daeeff' },
    });
  });

  it('every rule is legible in dark mode (contrast at least 4.5:1)', () => {
    for (const r of Object.values(COLOUR_RULES)) {
      const d = darkColours(r);
      expect(contrast(d.background, d.foreground), r.name).toBeGreaterThanOrEqual(4.5);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMs, formatRate, formatTime } from './format';

describe('format', () => {
  it('writes times, sizes and counts', () => {
    expect(formatTime(0.0455)).toBe('0.045500');
    expect(formatTime(1.0000004)).toBe('1.000000');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
    expect(formatRate(2048)).toBe('2.0 KiB/s');
    expect(formatMs(36.2)).toBe('36 ms');
    expect(formatMs(1500)).toBe('1.50 s');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect([0, 12, 123, 1234, -98765].map(formatCount)).toEqual(['0', '12', '123', '1,234', '-98,765']);
  });
});

import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource, readRows } from '../engine/index';
import { warmUp, warmUpCapture } from './warm-up';

describe('worker warm-up capture', () => {
  it('is a valid capture that exercises the analysis (dup ACKs, retransmissions) without damage', async () => {
    const s = new CaptureSession(new MemorySource(warmUpCapture()));
    const r = await s.load();
    expect(r.error).toBeUndefined();
    expect(r.streams).toBe(1);
    const rows = await readRows(s, 1, r.frames);
    const words = rows.flatMap((x) => x.flags).join(' ');
    expect(words).toContain('[TCP Dup ACK');
    expect(words).toMatch(/Retransmission\]/);
    expect(rows[0].info).toContain('[SYN]');
    expect(await warmUp()).toBe(r.frames);
  });
});

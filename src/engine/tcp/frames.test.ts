/**
 * FrameTable keeps offsets and seconds in 32-bit columns: offsets past 4 GiB and seconds
 * outside 0…2^32−1 (odd pcapng resolutions and offsets) go to sparse structures, and
 * offsetOf/secOf/nsBetween give the exact values back, through growth and trimming. Interface
 * indexes and tcp.time_delta's previous frames take memory only when there are some / asked for.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURES, HAS_SHARED } from '../../../test/corpora';
import { owned } from '../../../test/owned';
import { CaptureSession, MemorySource } from '../index';
import { FrameTable } from './frames';

const G4 = 2 ** 32;

describe('FrameTable offsets and seconds', () => {
  it('gives back offsets across several 4 GiB boundaries, and seconds of any size', () => {
    const t = new FrameTable();
    const offsets: number[] = [];
    const secs: number[] = [];
    let off = G4 - 5000;
    for (let i = 0; i < 5000; i++) {
      // Steps of up to ~3 GiB now and then: crosses 2^32, 2^33 and 2^34.
      off += i % 1000 === 999 ? 3 * 2 ** 30 : 97 + (i % 13);
      offsets.push(off);
      const sec = i % 777 === 5 ? G4 + i : i % 555 === 7 ? -i : i % 333 === 9 ? 2 ** 60 : 1_700_000_000 + i;
      secs.push(sec);
      t.add(off, 60, 60, sec, i * 1000, 0);
    }
    t.trim();
    for (let i = 0; i < 5000; i++) {
      expect(t.offsetOf(i), `offset ${i}`).toBe(offsets[i]);
      expect(t.secOf(i), `seconds ${i}`).toBe(secs[i]);
    }
    expect(offsets[4999]).toBeGreaterThan(2 ** 34);
    expect(t.nsBetween(13, 12)).toBe((secs[12] - secs[11]) * 1e9 + 1000);
    const wide = secs.findIndex((s) => s < 0);
    expect(t.nsBetween(wide + 1, 1)).toBe((secs[wide] - secs[0]) * 1e9 + wide * 1000);
  });

  it('a capture under 4 GiB with ordinary seconds keeps nothing on the side', () => {
    const t = new FrameTable();
    for (let i = 0; i < 100; i++) t.add(24 + i * 100, 84, 84, 1_700_000_000 + i, 0, 0);
    t.trim();
    // 8-bit lengths (origLen is capLen's column) and 8-bit seconds from the first frame's.
    expect(t.bytesPerFrame()).toBe(42);
    expect(t.retainedBytes()).toBe(100 * 42);
    expect(t.offsetOf(99)).toBe(24 + 9900);
    expect(t.secOf(99)).toBe(1_700_000_099);
  });

  it('keeps interface indexes only once a frame comes from another interface than the first', () => {
    const t = new FrameTable();
    const want: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const iface = i < 1500 ? 0 : i % 3;
      want.push(iface);
      t.add(24 + i * 100, 84, 84, 1_700_000_000, 0, iface);
      if (i === 1499) expect(t.retainedBytes()).toBe(1536 * 42);
    }
    t.trim();
    expect(want.map((_, i) => t.ifaceOf(i))).toEqual(want);
    expect(t.retainedBytes()).toBe(3000 * (42 + 2));
  });

  it('narrow columns widen when a value does not fit, and every value reads back', () => {
    const t = new FrameTable();
    const want: { cap: number; orig: number; sec: number; ns: number }[] = [];
    const base = 1_700_000_000;
    for (let i = 0; i < 4000; i++) {
      // Lengths under 256 first, then whole frames up to 1514, a 70 000-byte one (32 bits),
      // and wire lengths that differ (cut at 96) from frame 2000 on; seconds from the first
      // frame's: under 256, then under 65 536, then one 20 hours away and one before the first.
      const cap = i < 1000 ? 60 + (i % 100) : i === 1500 ? 70_000 : 54 + (i % 1460);
      const orig = i >= 2000 && cap > 96 ? cap + 1000 : cap;
      const sec = i < 500 ? base + (i % 200) : i === 3000 ? base + 72_000 : i === 3500 ? base - 5 : base + i * 10;
      const c = i >= 2000 && cap > 96 ? 96 : cap;
      want.push({ cap: c, orig, sec, ns: (i * 7919) % 1_000_000_000 });
      t.add(24 + i * 100, c, orig, sec, want[i].ns, 0);
      if (i === 499) expect(t.bytesPerFrame()).toBe(42); // 8-bit lengths and seconds, origLen = capLen
      if (i === 999) expect(t.bytesPerFrame()).toBe(43); // seconds in 16 bits
      if (i === 1499) expect(t.bytesPerFrame()).toBe(44); // lengths in 16 bits
      if (i === 1500) expect(t.bytesPerFrame()).toBe(46); // a 70 000-byte frame: 32-bit lengths
      if (i === 2000) expect(t.bytesPerFrame()).toBe(50); // wire lengths of their own
      if (i === 3000) expect(t.bytesPerFrame()).toBe(52); // whole seconds since the epoch
      expect(t.lastNs).toBe(t.nsBetween(i + 1, 1));
    }
    t.trim();
    for (let i = 0; i < want.length; i++) {
      expect(t.capLen[i], `capLen ${i}`).toBe(want[i].cap);
      expect(t.origLen[i], `origLen ${i}`).toBe(want[i].orig);
      expect(t.secOf(i), `seconds ${i}`).toBe(want[i].sec);
      expect(t.tsNsec[i], `ns ${i}`).toBe(want[i].ns);
    }
    expect(t.nsBetween(3001, 1)).toBe(72_000 * 1e9 + want[3000].ns - want[0].ns);
  });

  it('the stream column widens to 32 bits at stream 32 768, keeping −1 for frames without one', () => {
    const t = new FrameTable();
    for (let i = 0; i < 10; i++) t.add(24 + i * 100, 60, 60, 1_700_000_000, 0, 0);
    t.stream[0] = 32_767;
    t.streamRoom(32_767);
    expect(t.stream.BYTES_PER_ELEMENT).toBe(2);
    t.streamRoom(32_768);
    expect(t.stream.BYTES_PER_ELEMENT).toBe(4);
    t.stream[1] = 32_768;
    expect([...t.stream.subarray(0, 3)]).toEqual([32_767, 32_768, -1]);
  });

  it('a record without a timestamp reads as second 0 and is listed in noTime', () => {
    const t = new FrameTable();
    t.add(24, 60, 60, NaN, 0, 0);
    expect(t.secOf(0)).toBe(0);
    expect(t.noTime.has(1)).toBe(true);
  });
});

describe('FrameTable.prevInConv (tcp.time_delta), derived on demand', () => {
  /** The previous frame with the same stream, by scanning back. */
  const slow = (t: FrameTable, n: number) => {
    const s = t.stream[n - 1];
    for (let k = n - 1; k >= 1; k--) if (t.stream[k - 1] === s) return k;
    return 0;
  };

  const files = [owned('bulk_clean.pcap'), ...(HAS_SHARED ? [join(CAPTURES, 'real_bulk_tso_gso_off_ipv4.pcap')] : [])];
  it.each(files)('equals a backward scan, asked for during the load (extended chunk by chunk) or only after it: %s', async (file) => {
    const bytes = new Uint8Array(readFileSync(file));
    for (const during of [true, false]) {
      const s = new CaptureSession(new MemorySource(bytes));
      let asked = 0;
      await s.load({
        chunkSize: 16 * 1024,
        onProgress: (p) => {
          if (!during || p.frames === 0 || p.done) return;
          asked++;
          expect(s.frames.prevInConv(p.frames)).toBe(slow(s.frames, p.frames));
        },
      });
      const t = s.frames;
      if (during) expect(asked).toBeGreaterThan(3);
      let withPrev = 0;
      for (let n = 1; n <= t.count; n++) {
        if (t.stream[n - 1] < 0) continue;
        const want = slow(t, n);
        expect(t.prevInConv(n), `frame ${n}`).toBe(want);
        if (want) withPrev++;
      }
      expect(withPrev).toBeGreaterThan(100);
      expect(t.retainedBytes()).toBeLessThanOrEqual(t.count * (FrameTable.BYTES_PER_FRAME + 4) + 4096 + t.sackBytes());
    }
  });
});

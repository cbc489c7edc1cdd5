import { describe, expect, it } from 'vitest';
import { BlobSource } from './blob-source';
import { CAPTURES, HAS_SHARED } from '../../test/corpora';
import { owned } from '../../test/owned';

describe('BlobSource', () => {
  const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
  const blob = new Blob([bytes]);

  it('reads ranges, short only at the end', async () => {
    const s = new BlobSource(blob, 'x');
    expect(s.size).toBe(100);
    expect([...(await s.read(10, 3))]).toEqual([10, 11, 12]);
    expect((await s.read(95, 10)).length).toBe(5);
    expect((await s.read(100, 10)).length).toBe(0);
  });

  it("holds the load's next read while an urgent call runs; other reads go through", async () => {
    const s = new BlobSource(blob, 'x');
    s.loading(10);
    expect((await s.read(0, 10))[0]).toBe(0);
    let release!: () => void;
    const urgent = s.urgently(() => new Promise<string>((r) => (release = () => r('rows'))));
    const order: string[] = [];
    const load = s.read(10, 10).then((b) => order.push(`load ${b[0]}`));
    await s.read(50, 5).then((b) => order.push(`other ${b[0]}`));
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['other 50']);
    release();
    expect(await urgent).toBe('rows');
    await load;
    expect(order).toEqual(['other 50', 'load 10']);
  });
});

describe('BlobSource read-ahead', () => {
  it('gives the load every chunk in order, the same bytes as direct reads', async () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    const s = new BlobSource(new Blob([bytes]), 'x');
    s.loading(64);
    const got: number[] = [];
    for (let pos = 0; ; ) {
      const b = await s.read(pos, 64);
      if (b.length === 0) break;
      got.push(...b);
      pos += b.length;
      // A row read in between does not disturb the sequence.
      expect([...(await s.read(3, 2))]).toEqual([21, 28]);
    }
    expect(got).toEqual([...bytes]);
  });
});

describe('BlobSource kept chunks', () => {
  it('answers reads inside chunks the load has read, across chunk edges, and exactly', async () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 255);
    const s = new BlobSource(new Blob([bytes]), 'x');
    s.loading(100);
    for (let pos = 0; pos < 5000; pos += 100) await s.read(pos, 100);
    for (const [o, n] of [[0, 10], [95, 10], [250, 300], [4990, 50], [1234, 1]]) {
      expect([...(await s.read(o, n))], `${o}+${n}`).toEqual([...bytes.subarray(o, o + n)]);
    }
  });
});

describe('BlobSource under a CaptureSession', () => {
  const files = [owned('bulk_loss.pcap'), ...(HAS_SHARED ? [`${CAPTURES}/real_bulk_tso_gso_off_ipv4.pcap`] : [])];
  it.each(files)('loads a capture with a short first read exactly as from memory: %s', async (file) => {
    const { readFileSync } = await import('node:fs');
    const { CaptureSession, MemorySource, readRows } = await import('../engine/index');
    const bytes = new Uint8Array(readFileSync(file));
    const viaBlob = new BlobSource(new Blob([bytes]), 'x');
    viaBlob.loading(256 * 1024); // > the 128 KiB first read: the first read is short
    const a = new CaptureSession(viaBlob);
    const b = new CaptureSession(new MemorySource(bytes));
    const [ra, rb] = [await a.load({ chunkSize: 256 * 1024 }), await b.load({ chunkSize: 256 * 1024 })];
    expect(ra.error).toBeUndefined();
    expect(ra.frames).toBe(rb.frames);
    expect(ra.frames).toBeGreaterThan(1000);
    expect(await readRows(a, 1, ra.frames)).toEqual(await readRows(b, 1, rb.frames));
  });
});

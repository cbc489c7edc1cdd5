/** NodeFileSource: ranged reads of a file, with the next chunk read ahead during sequential loads (into released memory). */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFileSource } from './node-source';

const dir = mkdtempSync(join(tmpdir(), 'seqscope-src-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = new Uint8Array(1_000_003);
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
const file = join(dir, 'data.bin');
writeFileSync(file, bytes);

describe('NodeFileSource', () => {
  it('sequential reads (served from the read-ahead) return the file in order, the last one short', async () => {
    const src = await NodeFileSource.open(file);
    const parts: Uint8Array[] = [];
    for (let pos = 0; ; ) {
      const b = await src.read(pos, 65536);
      if (b.length === 0) break;
      parts.push(b);
      pos += b.length;
    }
    await src.close();
    expect(parts.length).toBe(Math.ceil(bytes.length / 65536));
    expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true);
  });

  it('random reads in between and a different length are not answered from a stale read-ahead', async () => {
    const src = await NodeFileSource.open(file);
    expect(await src.read(0, 1000)).toEqual(bytes.subarray(0, 1000));
    expect(await src.read(500_000, 10)).toEqual(bytes.subarray(500_000, 500_010));
    expect(await src.read(1000, 999)).toEqual(bytes.subarray(1000, 1999)); // not the ahead read of [1000, 2000)
    expect(await src.read(bytes.length - 5, 100)).toEqual(bytes.subarray(bytes.length - 5));
    expect((await src.read(bytes.length, 100)).length).toBe(0);
    await src.close();
  });

  it('reads later chunks into released memory: two buffers for a whole sequential load, same bytes', async () => {
    const src = await NodeFileSource.open(file);
    const buffers = new Set<ArrayBufferLike>();
    const copies: Uint8Array[] = [];
    for (let pos = 0; ; ) {
      const b = await src.read(pos, 65536);
      if (b.length === 0) break;
      buffers.add(b.buffer);
      copies.push(b.slice());
      pos += b.length;
      src.release(b);
    }
    await src.close();
    expect(Buffer.concat(copies).equals(Buffer.from(bytes))).toBe(true);
    expect(buffers.size).toBe(2); // the chunk being parsed and the one read ahead
  });

  it('closes cleanly while a read-ahead is in flight', async () => {
    const src = await NodeFileSource.open(file);
    await src.read(0, 4096);
    await expect(src.close()).resolves.toBeUndefined();
  });
});

/**
 * Damaged gzip data: every frame that zlib (tshark's inflater) can read before the damage is
 * loaded, identical to the original, whatever the chunk size; rows and the CLI see them too.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { gunzipSync } from 'fflate';
import { MemorySource } from '../bytes/source';
import { CaptureSession } from '../session';
import { readRows } from '../fields/rows';
import { GZIP_SLICE, inflateSource } from './gzip';
import { concat, gzip, layout, tcpFrame, writePcap, DEFAULT_EPOCH, type Record_ } from '../../../test/capture/build';

/** A capture of many small frames and its gzip, with one byte flipped where fflate fails. */
function damaged(): { plain: Uint8Array; gz: Uint8Array; flip: number } {
  const records: Record_[] = [];
  for (let k = 0; k < 3000; k++) {
    const len = 20 + ((k * 7919) % 200);
    records.push({ ts: DEFAULT_EPOCH + BigInt(k) * 1_000_000n, data: tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, seq: 1 + k * 1000, ack: 1, flags: 'PA', len }) });
  }
  const plain = writePcap(records);
  const good = gzip(plain);
  // A flip some way in that makes fflate throw (not one that only garbles the output).
  for (let flip = Math.floor(good.length * 0.4); flip < good.length - 16; flip += 37) {
    const gz = good.slice();
    gz[flip] ^= 0x40;
    try {
      gunzipSync(gz);
    } catch {
      return { plain, gz, flip };
    }
  }
  throw new Error('no failing flip found');
}

/** What zlib inflates, byte by byte, before it reports the damage. */
function zlibPrefix(gz: Uint8Array): Promise<Uint8Array> {
  return new Promise((res) => {
    const parts: Buffer[] = [];
    const z = createGunzip();
    z.on('data', (d: Buffer) => parts.push(d));
    z.on('error', () => res(concat(parts)));
    z.on('end', () => res(concat(parts)));
    for (let i = 0; i < gz.length; i++) z.write(gz.subarray(i, i + 1));
    z.end();
  });
}

describe('damaged gzip data', () => {
  const { plain, gz } = damaged();

  it('loads every frame zlib reads before the damage, byte for byte, for any chunk size', async () => {
    const prefix = await zlibPrefix(gz);
    let same = 0;
    while (same < prefix.length && prefix[same] === plain[same]) same++;
    const records = layout(plain).filter((r) => r.frame);
    const intact = records.filter((r) => r.end <= same).length;
    expect(intact).toBeGreaterThan(100); // the damage is well inside the file
    expect(intact).toBeLessThan(records.length);

    const results = [];
    for (const chunkSize of [undefined, 517, 4096, 70_000]) {
      const s = new CaptureSession(new MemorySource(gz));
      const res = await s.load(chunkSize ? { chunkSize } : {});
      expect(res.error).toBeDefined();
      expect(res.frames).toBeGreaterThanOrEqual(intact);
      const { bytes, offsets } = await s.readFrames(1, intact);
      for (let n = 1; n <= intact; n++) {
        const r = records[n - 1];
        const want = plain.subarray(r.start + 16, r.end);
        const got = bytes.subarray(offsets[n - 1], offsets[n - 1] + s.frames.capLen[n - 1]);
        expect(Buffer.from(got).equals(Buffer.from(want)), `frame ${n}`).toBe(true);
      }
      const rows = await readRows(s, intact - 1, intact);
      expect(rows.map((r) => r.number)).toEqual([intact - 1, intact]);
      results.push([res.frames, res.error!.message]);
    }
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('the CLI prints the same frames and reports the damage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqscope-gz-'));
    try {
      const f = join(dir, 'damaged.pcap.gz');
      writeFileSync(f, gz);
      const s = new CaptureSession(new MemorySource(gz));
      const res = await s.load();
      const cli = join(resolve(__dirname, '../../..'), 'bin/seqscope.mjs');
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((ok) =>
        execFile(process.execPath, [cli, '-r', f, '-T', 'fields', '-e', 'frame.number'], { maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
          ok({ code: err ? Number(err.code) : 0, stdout, stderr }),
        ),
      );
      expect(code).toBe(2); // tshark's status for a file cut short
      expect(stdout.trim().split('\n').length).toBe(res.frames);
      expect(stderr).toContain(res.error!.message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inflateSource', () => {
  const plain = new Uint8Array(400_000);
  let x = 2463534242;
  for (let i = 0; i < plain.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    plain[i] = x & 15; // random nibbles: compresses to about half
  }
  const gz = gzip(plain);

  async function inflated(fineFrom?: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    await inflateSource(new MemorySource(gz), (d) => (parts.push(d.slice()), true), fineFrom);
    return concat(parts);
  }

  it('inflates a whole intact stream', async () => {
    expect(gz.length).toBeGreaterThan(3 * GZIP_SLICE);
    expect(Buffer.from(await inflated()).equals(Buffer.from(plain))).toBe(true);
  });

  it('goes byte by byte through the slice at fineFrom and stops after it (the load stopped there)', async () => {
    const part = await inflated(GZIP_SLICE);
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThan(plain.length);
    expect(Buffer.from(part).equals(Buffer.from(plain.subarray(0, part.length)))).toBe(true);
    // Everything the first two slices hold, fed whole, comes out too.
    const two: Uint8Array[] = [];
    const { Gunzip } = await import('fflate');
    const g = new Gunzip((d) => two.push(d.slice()));
    g.push(gz.subarray(0, GZIP_SLICE), false);
    g.push(gz.subarray(GZIP_SLICE, 2 * GZIP_SLICE), false);
    expect(part.length).toBeGreaterThanOrEqual(concat(two).length);
  });
});

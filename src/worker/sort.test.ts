import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureSession, MemorySource, protocolFromColumns, readColumnsOf, readRowsOf, type FrameRow } from '../engine/index';
import { HAS_SHARED, CAPTURES } from '../../test/corpora';
import { countingSort, prepareSorts, sortFrames } from './sort';

async function open(file: string, loaded = true): Promise<CaptureSession> {
  const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(file)), file));
  if (loaded) await s.load();
  return s;
}

/** A loaded session of `file` whose source counts its reads. */
async function openCountingReads(file: string): Promise<{ s: CaptureSession; reads: () => number }> {
  let n = 0;
  const src = new MemorySource(new Uint8Array(readFileSync(file)), file);
  const read = src.read.bind(src);
  src.read = (o, len) => (n++, read(o, len));
  const s = new CaptureSession(src);
  await s.load();
  return { s, reads: () => n };
}

async function rowsOf(s: CaptureSession, frames: number[]): Promise<FrameRow[]> {
  const out: FrameRow[] = [];
  for (let i = 0; i < frames.length; i += 1000) out.push(...(await readRowsOf(s, frames.slice(i, i + 1000))));
  return out;
}

const coll = new Intl.Collator('en', { numeric: true });
const captures = (dir: string) => (HAS_SHARED ? readdirSync(dir).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort().map((f) => join(dir, f)) : []);

describe('countingSort', () => {
  it('orders by a small key, stably, both ways, like a comparison sort', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    for (const [n, max] of [[0, 0], [1, 0], [5000, 3], [5000, 1500], [3000, 65535]]) {
      const items = Uint32Array.from({ length: n }, (_, i) => 3 * i + 1);
      const key = Uint32Array.from({ length: n }, () => rnd() % (max + 1));
      const byKey = new Map(Array.from(items, (it, i) => [it, key[i]]));
      const asc = [...items].sort((a, b) => byKey.get(a)! - byKey.get(b)! || a - b);
      const desc = [...items].sort((a, b) => byKey.get(b)! - byKey.get(a)! || a - b);
      expect(Array.from(countingSort(items, key, max, false))).toEqual(asc);
      expect(Array.from(countingSort(items, key, max, true))).toEqual(desc);
    }
  });
});

describe.skipIf(!HAS_SHARED)('sort keys from the columns and the side index, over the corpora', () => {
  const files = [...captures(CAPTURES), ...captures(join(CAPTURES, 'real/ppa3'))];

  it('the Protocol of tracked TCP frames from the columns is the decoded row\'s; readColumnsOf gives the row\'s cells', async () => {
    let fromColumns = 0;
    let app = 0;
    for (const f of files) {
      const s = await open(f);
      const all = Array.from({ length: s.frameCount }, (_, i) => i + 1);
      const rows = await rowsOf(s, all);
      expect(rows.length, f).toBe(s.frameCount);
      const word = protocolFromColumns(s);
      for (const r of rows) {
        const w = word(r.number);
        if (w === undefined) continue;
        expect(w, `${f} frame ${r.number}`).toBe(r.protocol);
        fromColumns++;
        if (w !== 'TCP') app++;
      }
      const frames = Uint32Array.from(all);
      const cols = ['source', 'destination', 'protocol', 'info'] as const;
      const texts = await readColumnsOf(s, frames, cols);
      cols.forEach((col, k) => expect(texts[k], `${f} ${col}`).toEqual(rows.map((r) => r[col])));
      // Source and Destination alone (no application layer) on a fresh session: the same cells.
      const fresh = await open(f);
      expect(await readColumnsOf(fresh, frames, ['destination', 'source']), f).toEqual([texts[1], texts[0]]);
    }
    // The corpora hold TCP frames of applications (HTTP, TLS, …), not only bare TCP.
    expect(fromColumns).toBeGreaterThan(10_000);
    expect(app).toBeGreaterThan(100);
  }, 300_000);

  it('text columns sort a filtered view, and sort it again from the kept keys, as the rows say (application layer included)', async () => {
    // HTTP over TCP, with DNS and other non-TCP frames among them (956 frames, 28 not TCP).
    const f = files.find((x) => x.endsWith('ppa3/http_espn.pcapng')) ?? files[files.length - 1];
    const s = await open(f);
    const all = Array.from({ length: s.frameCount }, (_, i) => i + 1);
    const rows = await rowsOf(s, all);
    // Every third frame (a side index for those frames only), every other one (the whole
    // capture's side index, kept), every frame; the Info keys kept for one view must not serve another.
    for (const step of [3, 2, 1]) {
      const view = all.filter((n) => n % step === 0);
      for (const col of ['source', 'destination', 'protocol', 'info'] as const) {
        for (const desc of [false, true, false]) {
          const cmp = (a: FrameRow, b: FrameRow) => (col === 'info' ? (a.info < b.info ? -1 : a.info > b.info ? 1 : 0) : coll.compare(a[col], b[col]));
          const want = view.map((n) => rows[n - 1]).sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)) || a.number - b.number).map((r) => r.number);
          const got = await sortFrames(s, Uint32Array.from(view), col, desc);
          expect(Array.from(got!), `${f} every ${step} by ${col} ${desc ? 'desc' : 'asc'}`).toEqual(want);
        }
      }
    }
  }, 120_000);

  it('Source/Destination sorts read no frame again (the load kept the columns of frames outside TCP conversations)', async () => {
    const { s, reads } = await openCountingReads(files.find((x) => x.endsWith('ppa3/http_espn.pcapng')) ?? files[files.length - 1]);
    const before = reads();
    const all = Uint32Array.from({ length: s.frameCount }, (_, i) => i + 1);
    for (const col of ['source', 'destination'] as const) expect((await sortFrames(s, all, col, false))?.length).toBe(s.frameCount);
    expect(reads()).toBe(before);
  });

  it('once prepareSorts has built the side index, Protocol sorts read no frame, and Protocol and Info order as the rows say', async () => {
    // DNS and other UDP among HTTP: frames outside TCP conversations whose texts the index keeps.
    const { s, reads } = await openCountingReads(files.find((x) => x.endsWith('ppa3/http_espn.pcapng')) ?? files[files.length - 1]);
    const all = Array.from({ length: s.frameCount }, (_, i) => i + 1);
    const rows = await rowsOf(s, all);
    expect(rows.some((r) => r.protocol !== 'TCP' && s.frames.stream[r.number - 1] < 0)).toBe(true);
    expect(await prepareSorts(s)).toBe(true);
    await sortFrames(s, Uint32Array.from(all), 'no', false);
    const before = reads();
    for (const col of ['protocol', 'info'] as const) {
      const cmp = (a: FrameRow, b: FrameRow) => (col === 'info' ? (a.info < b.info ? -1 : a.info > b.info ? 1 : 0) : coll.compare(a[col], b[col]));
      for (const desc of [false, true]) {
        const want = [...rows].sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)) || a.number - b.number).map((r) => r.number);
        expect(Array.from((await sortFrames(s, Uint32Array.from(all), col, desc))!), `${col} ${desc}`).toEqual(want);
      }
      // The application sweep was made by the rows: the Protocol sort reads nothing (the Info sort reads the HTTP rows).
      if (col === 'protocol') expect(reads(), 'protocol sorts read no frame').toBe(before);
    }
  });

  it('a sort during a load covers the frames so far; after the load the side index covers every frame', async () => {
    const f = files.find((x) => x.includes('real_loss')) ?? files[0];
    const s = await open(f, false);
    let sorted: Uint32Array | undefined;
    let seen = 0;
    await s.load({
      chunkSize: 4096,
      onProgress: () => {
        if (sorted || s.frameCount < 50) return;
        seen = s.frameCount;
        void sortFrames(s, Uint32Array.from({ length: seen }, (_, i) => i + 1), 'source', false).then((o) => (sorted = o));
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(sorted?.length).toBe(seen);
    const all = Uint32Array.from({ length: s.frameCount }, (_, i) => i + 1);
    const rows = await rowsOf(s, Array.from(all));
    const want = [...rows].sort((a, b) => coll.compare(a.destination, b.destination) || a.number - b.number).map((r) => r.number);
    expect(Array.from((await sortFrames(s, all, 'destination', false))!)).toEqual(want);
  });

  it('a sort stops when aborted and reports its progress', async () => {
    const s = await open(files.find((x) => x.includes('real_loss')) ?? files[0]);
    const all = Uint32Array.from({ length: s.frameCount }, (_, i) => i + 1);
    const signal = { aborted: false };
    const seen: number[] = [];
    const r = await sortFrames(s, all, 'info', false, { signal, onProgress: (done) => (seen.push(done), (signal.aborted = true)) });
    expect(r).toBeUndefined();
    expect(seen.length).toBe(1);
    const done: number[] = [];
    const ok = await sortFrames(s, all, 'info', true, { onProgress: (d, t) => done.push(d / t) });
    expect(ok?.length).toBe(s.frameCount);
    expect(done[done.length - 1]).toBe(1);
  });
});

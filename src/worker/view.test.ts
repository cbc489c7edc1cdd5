import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureSession, MemorySource, readRows, readRowsOf, type FrameRow } from '../engine/index';
import { HAS_SHARED, CAPTURES } from '../../test/corpora';
import { radixSort, sortFrames, SORT_COLUMNS, FLAG_MASK, type SortColumn } from './sort';
import { DisplayView, type FilterEngine } from './view';
import { containsBytes, findFrame, parseHex } from './find';

/** A stand-in filter language for the view's mechanics: `stream N` or `flagged`. */
type Pred = (s: CaptureSession, n: number) => boolean;
const fake: FilterEngine<Pred> = {
  compile(text) {
    const m = /^stream (\d+)$/.exec(text.trim());
    if (m) return { ok: true, filter: (s, n) => s.frames.stream[n - 1] === Number(m[1]), warnings: [] };
    if (text.trim() === 'flagged') return { ok: true, filter: (s, n) => (s.frames.aflags[n - 1] & FLAG_MASK) !== 0, warnings: [] };
    return { ok: false, error: { message: 'bad', start: 0, end: text.length } };
  },
  async run(s, f, from, to, signal) {
    const out: number[] = [];
    for (let n = from; n <= to && !signal.aborted; n++) if (f(s, n)) out.push(n);
    return Uint32Array.from(out);
  },
};

async function open(file: string): Promise<CaptureSession> {
  const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(file)), file));
  await s.load();
  return s;
}

async function allRows(s: CaptureSession): Promise<FrameRow[]> {
  const out: FrameRow[] = [];
  for (let a = 1; a <= s.frameCount; a += 1000) out.push(...(await readRows(s, a, Math.min(s.frameCount, a + 999))));
  return out;
}

const coll = new Intl.Collator('en', { numeric: true });
/** The order a column should give, computed the slow way from decoded rows. */
function reference(s: CaptureSession, rows: FrameRow[], col: SortColumn, desc: boolean): number[] {
  const t = s.frames;
  const cmpOf = (a: FrameRow, b: FrameRow): number => {
    switch (col) {
      case 'no':
        return a.number - b.number;
      case 'length':
        return a.length - b.length;
      case 'time':
        return t.nsBetween(a.number, 1) - t.nsBetween(b.number, 1);
      case 'flags':
        return (t.aflags[a.number - 1] & FLAG_MASK) - (t.aflags[b.number - 1] & FLAG_MASK);
      case 'source':
      case 'destination':
      case 'protocol':
        return coll.compare(a[col], b[col]);
      case 'info':
        return a.info < b.info ? -1 : a.info > b.info ? 1 : 0;
    }
  };
  return [...rows].sort((a, b) => (desc ? -cmpOf(a, b) : cmpOf(a, b)) || (col === 'no' && desc ? b.number - a.number : a.number - b.number)).map((r) => r.number);
}

describe('radixSort', () => {
  it('orders by multi-word keys, stably, like a comparison sort', () => {
    const n = 5000;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0);
    const items = Uint32Array.from({ length: n }, (_, i) => i + 1);
    const hi = Uint32Array.from({ length: n }, () => rnd() % 5);
    const lo = Uint32Array.from({ length: n }, () => (rnd() % 3 === 0 ? 0xffffffff : rnd()));
    const got = Array.from(radixSort(items, [hi, lo]));
    const want = Array.from(items).sort((a, b) => hi[a - 1] - hi[b - 1] || lo[a - 1] - lo[b - 1] || a - b);
    expect(got).toEqual(want);
    const one = Array.from(radixSort(items, [lo]));
    expect(one).toEqual(Array.from(items).sort((a, b) => lo[a - 1] - lo[b - 1] || a - b));
  });
});

describe('find helpers', () => {
  it('parses hex in the usual spellings and refuses the rest', () => {
    expect(Array.from(parseHex('de ad:BE-ef')!)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(Array.from(parseHex('0x47 0x45')!)).toEqual([0x47, 0x45]);
    expect(parseHex('abc')).toBeUndefined();
    expect(parseHex('zz')).toBeUndefined();
    expect(parseHex('')).toBeUndefined();
  });
  it('finds bytes within the range only, optionally ASCII case-folded', () => {
    const hay = new TextEncoder().encode('xxGET /yy');
    expect(containsBytes(hay, 0, hay.length, new TextEncoder().encode('GET'), false)).toBe(true);
    expect(containsBytes(hay, 3, hay.length, new TextEncoder().encode('GET'), false)).toBe(false);
    expect(containsBytes(hay, 0, 4, new TextEncoder().encode('GET'), false)).toBe(false);
    expect(containsBytes(hay, 0, hay.length, new TextEncoder().encode('get'), true)).toBe(true);
    expect(containsBytes(hay, 0, hay.length, new TextEncoder().encode('get'), false)).toBe(false);
  });
});

describe.skipIf(!HAS_SHARED)('sorted views and rows of a view over the corpus', () => {
  const files = HAS_SHARED ? readdirSync(CAPTURES).filter((f) => /\.(pcap|pcapng|gz)$/.test(f)).sort() : [];

  it('every column sorts as the decoded rows say, both ways (address keys shared per conversation direction included)', async () => {
    let checked = 0;
    for (const f of files) {
      const s = await open(join(CAPTURES, f));
      if (!s.frameCount) continue;
      const rows = await allRows(s);
      expect(rows.length).toBe(s.frameCount);
      const all = Uint32Array.from(rows, (r) => r.number);
      for (const col of SORT_COLUMNS) {
        for (const desc of [false, true]) {
          const got = await sortFrames(s, all, col, desc);
          expect(Array.from(got!), `${f} ${col} ${desc ? 'desc' : 'asc'}`).toEqual(reference(s, rows, col, desc));
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  }, 120_000);

  it('readRowsOf gives the rows readRows gives, in the order asked', async () => {
    const s = await open(join(CAPTURES, files.find((f) => f.startsWith('real_loss'))!));
    const rows = await allRows(s);
    const pick = [9, 3, 200, 201, 4, s.frameCount, 1].filter((n) => n <= s.frameCount);
    expect(await readRowsOf(s, pick)).toEqual(pick.map((n) => rows[n - 1]));
  });

  it('a filtered and sorted view: positions, frames, hidden frames, flagged frames, find', async () => {
    const s = await open(join(CAPTURES, files.find((f) => f.startsWith('real_loss'))!));
    const v = new DisplayView(s, fake, () => true);
    expect(v.set('nonsense', undefined).ok).toBe(false);
    expect(v.identity).toBe(true);
    const r = v.set('flagged', undefined);
    expect(r.ok).toBe(true);
    await v.settled();
    const flagged: number[] = [];
    for (let n = 1; n <= s.frameCount; n++) if (s.frames.aflags[n - 1] & FLAG_MASK) flagged.push(n);
    expect(flagged.length).toBeGreaterThan(5);
    expect(v.length).toBe(flagged.length);
    expect(v.framesAt(1, v.length)).toEqual(flagged);
    expect(v.retainedBytes()).toBe(4 * flagged.length);
    const hidden = [...Array(s.frameCount).keys()].map((i) => i + 1).find((n) => !flagged.includes(n))!;
    expect(v.positionOf(hidden)).toBe(0);
    expect(v.positionOf(flagged[3])).toBe(4);
    expect(v.snapshot()).toMatchObject({ displayed: flagged.length, scanned: s.frameCount, done: true });
    // The previous displayed frame (time since the previous displayed frame) is in frame order.
    const prevShown = (n: number) => flagged.filter((f) => f < n).pop() ?? 0;
    for (const n of [flagged[0], flagged[1], flagged[5], hidden, s.frameCount]) expect(v.prevDisplayed(n), `frame ${n}`).toBe(prevShown(n));

    // Sorted by length, descending: positions follow the sorted order.
    v.set('flagged', { column: 'length', desc: true });
    await v.settled();
    const byLen = v.framesAt(1, v.length);
    expect([...byLen].sort((a, b) => a - b)).toEqual(flagged);
    for (let i = 1; i < byLen.length; i++) {
      const a = s.frames.origLen[byLen[i - 1] - 1];
      const b = s.frames.origLen[byLen[i] - 1];
      expect(a > b || (a === b && byLen[i - 1] < byLen[i])).toBe(true);
    }
    for (let p = 1; p <= v.length; p++) expect(v.positionOf(v.frameAt(p))).toBe(p);
    for (const n of byLen.slice(0, 5)) expect(v.prevDisplayed(n)).toBe(prevShown(n));

    // No. descending needs no array: positions count from the end, of the filtered view or of every frame.
    v.set('flagged', { column: 'no', desc: true });
    await v.settled();
    expect(v.framesAt(1, v.length)).toEqual([...flagged].reverse());
    for (let p = 1; p <= v.length; p++) expect(v.positionOf(v.frameAt(p))).toBe(p);
    expect(v.positionOf(hidden)).toBe(0);
    expect(v.retainedBytes()).toBe(4 * flagged.length);
    v.set('', { column: 'no', desc: true });
    await v.settled();
    expect(v.identity).toBe(false);
    expect([v.frameAt(1), v.frameAt(s.frameCount), v.positionOf(1), v.positionOf(s.frameCount)]).toEqual([s.frameCount, 1, s.frameCount, 1]);
    expect(v.retainedBytes()).toBe(0);

    // Every frame: next/previous flagged frame walks the flagged frames in order.
    v.set('', undefined);
    await v.settled();
    expect(v.identity).toBe(true);
    expect([v.prevDisplayed(1), v.prevDisplayed(hidden)]).toEqual([0, hidden - 1]);
    const walk: number[] = [];
    for (let at = v.nextFlagged(0, 1); at; at = v.nextFlagged(at.position, 1)) walk.push(at.frame);
    expect(walk).toEqual(flagged);
    expect(v.nextFlagged(flagged[1], -1)?.frame).toBe(flagged[0]);
    expect(v.nextFlagged(flagged[0], -1)).toBeUndefined();

    // Find: a string in the bytes of the frames, in view order, wrapping around.
    const rows = await allRows(s);
    const f1 = await findFrame(s, v, fake, { kind: 'filter', text: 'flagged' }, flagged[0], 1, { aborted: false });
    expect(f1).toEqual({ ok: true, position: flagged[1], frame: flagged[1] });
    const wrap = await findFrame(s, v, fake, { kind: 'filter', text: 'flagged' }, flagged[flagged.length - 1], 1, { aborted: false });
    expect(wrap).toEqual({ ok: true, position: flagged[0], frame: flagged[0] });
    expect((await findFrame(s, v, fake, { kind: 'filter', text: '((' }, 1, 1, { aborted: false })).ok).toBe(false);
    const { bytes, offsets } = await s.readFrames(5, 5);
    const hex = Array.from(bytes.subarray(offsets[0] + 40, offsets[0] + 48), (b) => b.toString(16).padStart(2, '0')).join(' ');
    const byHex = await findFrame(s, v, fake, { kind: 'hex', text: hex }, 4, 1, { aborted: false });
    expect(byHex.ok && byHex.frame).toBe(5);
    expect(rows.length).toBe(s.frameCount);
    expect((await findFrame(s, v, fake, { kind: 'string', text: 'no such text in any frame \u2603' }, 1, 1, { aborted: false })).ok).toBe(false);
  });

  it('a new filter aborts the running one; a load in progress is filtered as frames arrive, then again at its end', async () => {
    const file = join(CAPTURES, files.find((f) => f.startsWith('real_loss'))!);
    const s = new CaptureSession(new MemorySource(new Uint8Array(readFileSync(file)), file));
    let loaded = false;
    const v = new DisplayView(s, fake, () => loaded);
    v.set('stream 0', undefined);
    await s.load({ chunkSize: 4096, onProgress: () => v.framesArrived() });
    loaded = true;
    v.loadEnded();
    await v.settled();
    const want: number[] = [];
    for (let n = 1; n <= s.frameCount; n++) if (s.frames.stream[n - 1] === 0) want.push(n);
    expect(v.framesAt(1, v.length)).toEqual(want);
    expect(v.snapshot().done).toBe(true);
    // Stopped by the user: what was found stays, marked as stopped; the end of a load does not restart it.
    v.set('stream 0', undefined);
    v.stop();
    await v.settled();
    expect(v.snapshot()).toMatchObject({ stopped: true, done: true, displayed: 0, scanned: 0 });
    // A sort stopped before it was applied is dropped: frame order, and no sort in the status.
    v.set('stream 0', { column: 'length', desc: true });
    v.stop();
    await v.settled();
    expect(v.snapshot()).toMatchObject({ stopped: true, sort: undefined });
    expect(v.identity || v.framesAt(1, v.length).every((f, i, a) => i === 0 || a[i - 1] < f)).toBe(true);
    v.loadEnded();
    await v.settled();
    expect(v.snapshot()).toMatchObject({ stopped: true, displayed: 0 });
    // Aborted: a second set while the first is running leaves only the second's frames.
    v.set('flagged', undefined);
    v.set('stream 0', undefined);
    await v.settled();
    expect(v.framesAt(1, v.length)).toEqual(want);
  });
});

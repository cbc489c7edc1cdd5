/**
 * CaptureSession: LoadResult, damaged and non-capture input, chunked loading, names that lie
 * about the format, frame re-reads (plain and gzip).
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession, MemorySource, type ByteSource } from './index';
import { analyse, ANALYSIS_FIELDS, project } from '../../test/harness';
import { scenarioB, scenarioE } from '../../test/scenarios';
import { concat, gzip, pcapHeader, pcapRecord, writePcap, writePcapng, type NgBlock, type PcapOpts, type Record_ } from '../../test/capture/build';

const load = async (bytes: Uint8Array, name = 'test.pcap', chunkSize?: number) => {
  const s = new CaptureSession(new MemorySource(bytes, name));
  const result = await s.load({ chunkSize });
  return { s, result };
};

const RECS: Record_[] = scenarioB().slice(0, 5);

/** A capture plus the logical offset where its last record starts. */
interface Built {
  name: string;
  bytes: Uint8Array;
  lastStart: number;
  gz?: boolean;
}

function pcapVariant(name: string, o: PcapOpts): Built {
  const head = concat([pcapHeader(o), ...RECS.slice(0, -1).map((r) => pcapRecord(r, o))]);
  return { name, bytes: concat([head, pcapRecord(RECS[RECS.length - 1], o)]), lastStart: head.length };
}

function pcapngVariant(name: string, bigEndian: boolean): Built {
  const blocks: NgBlock[] = RECS.map((r, k) => ({ epb: { iface: 0, ts: r.ts / 1000n, data: r.data, comments: k === RECS.length - 1 ? ['last'] : undefined } }));
  const all = writePcapng([{ bigEndian, comments: ['s'], interfaces: [{ linkType: 1 }], blocks }]);
  const head = writePcapng([{ bigEndian, comments: ['s'], interfaces: [{ linkType: 1 }], blocks: blocks.slice(0, -1) }]);
  return { name, bytes: all, lastStart: head.length };
}

const VARIANTS: Built[] = [
  pcapVariant('pcap µs little-endian', {}),
  pcapVariant('pcap ns big-endian', { nsec: true, bigEndian: true }),
  pcapVariant('modified pcap', { modified: true }),
  pcapngVariant('pcapng little-endian', false),
  pcapngVariant('pcapng big-endian', true),
];

describe('LoadResult', () => {
  it('describes the capture', async () => {
    const bytes = writePcap(scenarioE(), { nsec: true });
    const { s, result } = await load(bytes);
    expect(result).toEqual({ frames: 31, format: 'pcap-nsec', error: undefined, cancelled: false, comments: [], linkTypes: [1], streams: 5 });
    expect(s.frameCount).toBe(31);
    expect(s.isLoaded).toBe(true);
  });

  it('lists pcapng section comments and link types', async () => {
    const data = RECS[0].data;
    const bytes = writePcapng([
      { comments: ['first section'], interfaces: [{ linkType: 1 }, { linkType: 101 }], blocks: [{ epb: { iface: 1, ts: 1n, data: data.subarray(14) } }] },
      { bigEndian: true, comments: ['second'], interfaces: [{ linkType: 1 }], blocks: [{ epb: { iface: 0, ts: 2n, data, comments: ['frame comment'] } }] },
    ]);
    const { s, result } = await load(bytes);
    expect(result.format).toBe('pcapng');
    expect(result.comments).toEqual(['first section', 'second']);
    expect(result.linkTypes).toEqual([1, 101]);
    expect(result.frames).toBe(2);
    expect(s.linkType(1)).toBe(101);
    expect(s.linkType(2)).toBe(1);
    expect(s.frames.comments.get(2)).toEqual(['frame comment']);
    expect(s.frames.comments.get(1)).toBeUndefined();
  });

  it('stops after maxFrames without an error', async () => {
    const bytes = writePcap(scenarioE(), { nsec: true });
    const s = new CaptureSession(new MemorySource(bytes));
    const r = await s.load({ maxFrames: 10, chunkSize: 100 });
    expect(r.frames).toBe(10);
    expect(r.error).toBeUndefined();
    // truncated too: the limit wins over the damage
    const cut = new CaptureSession(new MemorySource(bytes.subarray(0, bytes.length - 3)));
    expect((await cut.load({ maxFrames: 10 })).error).toBeUndefined();
  });

  it('can be cancelled between chunks and reports progress', async () => {
    const bytes = writePcap(scenarioE(), { nsec: true });
    const s = new CaptureSession(new MemorySource(bytes));
    let calls = 0;
    const seen: number[] = [];
    const r = await s.load({ chunkSize: 64, isCancelled: () => ++calls > 3, onProgress: (p) => seen.push(p.bytesRead) });
    expect(r.cancelled).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.frames).toBeLessThan(31);
    expect(seen.slice(0, 3)).toEqual([64, 128, 192]);
  });
});

describe('chunked loading', () => {
  it('gives the same analysis for chunks of 1, 7 and 4096 bytes, plain and gzip', async () => {
    const plain = writePcap(scenarioE(), { nsec: true });
    const ref = (await analyse(plain)).rows;
    for (const bytes of [plain, gzip(plain)]) {
      for (const chunk of [1, 7, 4096]) {
        const { s, result } = await load(bytes, 'x', chunk);
        expect(result.error).toBeUndefined();
        expect(project(s, bytes, ANALYSIS_FIELDS)).toEqual(ref);
      }
    }
  });
});

/**
 * A source that reads every chunk into memory it reuses, and scribbles over a chunk as soon as
 * it is released: a load must never look at a chunk again after releasing it.
 */
class ScribblingSource implements ByteSource {
  readonly size: number;
  released = 0;
  private spare: Uint8Array[] = [];
  constructor(
    private readonly bytes: Uint8Array,
    readonly name = 'scribble',
  ) {
    this.size = bytes.length;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - offset));
    const buf = this.spare.pop()?.subarray(0, len) ?? new Uint8Array(len);
    buf.set(this.bytes.subarray(offset, offset + len));
    return Promise.resolve(buf);
  }
  release(bytes: Uint8Array): void {
    this.released++;
    bytes.fill(0xa5);
    if (bytes.length >= 4096) this.spare.push(new Uint8Array(bytes.buffer));
  }
}

describe('released chunks', () => {
  it('are never read again: reusing their memory changes nothing (pcap, pcapng, chunks of 7 and 4096 bytes)', async () => {
    const captures = [writePcap(scenarioE(), { nsec: true }), writePcapng([{ interfaces: [{ linkType: 1 }], blocks: scenarioE().map((r) => ({ epb: { iface: 0, ts: r.ts, data: r.data } })) }])];
    for (const bytes of captures) {
      const ref = (await analyse(bytes)).rows;
      for (const chunkSize of [7, 4096]) {
        const src = new ScribblingSource(bytes);
        const s = new CaptureSession(src);
        const result = await s.load({ chunkSize });
        expect(result.error).toBeUndefined();
        expect(src.released).toBeGreaterThan(0);
        expect(project(s, bytes, ANALYSIS_FIELDS)).toEqual(ref);
      }
    }
  });

  it('are not released when compressed (the inflater may keep unconsumed input)', async () => {
    const plain = writePcap(scenarioE(), { nsec: true });
    const src = new ScribblingSource(gzip(plain));
    const s = new CaptureSession(src);
    await s.load({ chunkSize: 4096 });
    expect(src.released).toBe(0);
    expect(project(s, plain, ANALYSIS_FIELDS)).toEqual((await analyse(plain)).rows);
  });
});

describe('detection is by content, not by name', () => {
  it('reads the same bytes under any name', async () => {
    const pcap = writePcap(RECS, { nsec: true });
    const ng = VARIANTS[3].bytes;
    const cases: [Uint8Array, string][] = [
      [pcap, 'pcap-nsec'],
      [ng, 'pcapng'],
      [gzip(pcap), 'gzip pcap-nsec'],
      [gzip(ng), 'gzip pcapng'],
    ];
    for (const [bytes, format] of cases) {
      const results = [];
      for (const name of ['x.bin', 'capture.pcapng', 'capture.pcap', 'notes.txt', 'archive.gz', 'noextension']) {
        const { s, result } = await load(bytes, name);
        expect(result.format).toBe(format);
        expect(result.error).toBeUndefined();
        results.push(project(s, bytes, ['frame.number', 'tcp.stream', 'tcp.seq', 'tcp.analysis.flags']));
      }
      for (const r of results) expect(r).toEqual(results[0]);
      expect(results[0]).toHaveLength(RECS.length);
    }
  });
});

describe('readFrames', () => {
  it('re-reads the bytes of a frame range, plain and gzip', async () => {
    const plain = writePcap(RECS, { nsec: true });
    for (const bytes of [plain, gzip(plain)]) {
      const { s } = await load(bytes);
      const { bytes: got, offsets } = await s.readFrames(2, 4);
      expect(offsets).toHaveLength(3);
      for (let n = 2; n <= 4; n++) {
        const d = RECS[n - 1].data;
        const o = offsets[n - 2];
        expect(Array.from(got.subarray(o, o + d.length))).toEqual(Array.from(d));
      }
    }
  });
});

describe('damaged input', () => {
  for (const v of [...VARIANTS, { ...VARIANTS[0], name: 'gzip pcap', gz: true }, { ...VARIANTS[4], name: 'gzip pcapng', gz: true }]) {
    it(`${v.name}: cut at every byte of the last record keeps the earlier frames and names frame and offset`, async () => {
      const n = RECS.length;
      const full = await analyse(v.gz ? gzip(v.bytes) : v.bytes);
      expect(full.result.error).toBeUndefined();
      expect(full.result.frames).toBe(n);
      for (let cut = v.lastStart; cut < v.bytes.length; cut++) {
        const logical = v.bytes.subarray(0, cut);
        const bytes = v.gz ? gzip(logical) : logical;
        const { result, rows } = await analyse(bytes);
        expect(result.frames).toBe(n - 1);
        expect(rows).toEqual(full.rows.slice(0, n - 1));
        if (cut === v.lastStart) {
          expect(result.error).toBeUndefined();
          continue;
        }
        expect(result.error, `cut at ${cut}`).toBeDefined();
        const e = result.error!;
        expect(e.frame).toBe(n);
        expect(e.offset).toBe(v.lastStart);
        expect(e.message).toContain(`frame ${n}`);
        expect(e.message).toContain(String(v.lastStart));
      }
    });
  }

  it('a pcap file header cut short: frame 1, offset 0', async () => {
    const bytes = writePcap(RECS);
    for (const cut of [1, 4, 23]) {
      const { result } = await load(bytes.subarray(0, cut));
      expect(result.frames).toBe(0);
      expect(result.error?.frame).toBe(1);
      expect(result.error?.offset).toBe(0);
    }
  });

  it('a cut gzip stream never throws and keeps what it could read', async () => {
    const z = gzip(VARIANTS[0].bytes);
    for (let cut = 1; cut < z.length; cut++) {
      const { result } = await load(z.subarray(0, cut));
      expect(result.frames).toBeLessThanOrEqual(RECS.length);
      if (result.frames < RECS.length) expect(result.error, `cut at ${cut}`).toBeDefined();
    }
  });
});

describe('non-capture input', () => {
  const enc = new TextEncoder();
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /empty/i],
    ['text', enc.encode('Hello, this is a plain text file.\nIt has two lines.\n'), /text/i],
    ['HTML', enc.encode('<!DOCTYPE html><html><body>hi</body></html>'), /HTML/],
    ['JSON', enc.encode('{"packets": []}'), /JSON/],
    ['PNG', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...new Array<number>(30).fill(0)), /PNG/],
    ['ZIP', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, ...new Array<number>(30).fill(0)), /ZIP/i],
  ];
  for (const [what, bytes, re] of cases) {
    it(`${what}: a clear message naming what it looks like`, async () => {
      for (const name of ['file.pcap', 'file.bin']) {
        const { result } = await load(bytes, name);
        expect(result.frames).toBe(0);
        expect(result.format).toBeUndefined();
        expect(result.error).toBeDefined();
        expect(result.error!.message).toMatch(/not a capture file/i);
        expect(result.error!.message).toMatch(re);
        expect(result.error!.frame).toBe(1);
        expect(result.error!.offset).toBe(0);
      }
    });
  }
});

/**
 * Bad and hostile input at the capture layer (issue 4): truncation at every byte, damage in
 * tshark's words with frame number and byte offset, files that are not captures, declared
 * lengths of gigabytes, streaming far more data than is kept, frames cut by the snapshot length.
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { CaptureReader } from './reader';
import { READABLE_FORMATS } from './detect';
import { MAX_BLOCK } from './pcapng';
import { SIZE_LIMITED, sizeLimitedSuffix, truncatedProtocol } from './snaplen';
import { DEFAULT_EPOCH, concat, conversation, layout, packetBlocks, tcpFrame, utf8, writePcap, writePcapng, type Record_ } from '../../../test/capture/build';
import { builtinCorpus } from '../../../test/capture/fuzz';
import { checkCapture } from '../../../test/capture/check';
import { MemorySource, type ByteSource } from '../bytes/source';
import { CaptureSession } from '../session';
import { FrameTable } from '../tcp/frames';
import { Decoder } from '../decode/decoder';
import { Packet } from '../decode/packet';

function readAll(bytes: Uint8Array, chunk = 1 << 22) {
  let frames = 0;
  const r = new CaptureReader({ onFrame: () => void frames++ });
  for (let i = 0; i < bytes.length && !r.done; i += chunk) r.push(bytes.subarray(i, i + chunk));
  const out = r.end();
  return { frames, out, peak: r.peakBuffered };
}

async function load(bytes: Uint8Array) {
  const s = new CaptureSession(new MemorySource(bytes));
  const res = await s.load();
  return { s, res };
}

const u32 = (b: Uint8Array, o: number, v: number, le = true) => new DataView(b.buffer, b.byteOffset).setUint32(o, v >>> 0, le);

describe('truncation at every byte', () => {
  const seeds = builtinCorpus().filter((c) => ['pcap-le-usec', 'pcap-modified', 'pcap-be-nsec', 'pcapng-le-two-ifaces', 'pcapng-simple-blocks', 'pcapng-two-sections-le-be', 'pcap-zero-length-frames'].includes(c.name));
  for (const seed of seeds) {
    it(`${seed.name}: every frame wholly before the cut, then "cut short" naming the frame and byte offset`, () => {
      const spans = layout(seed.bytes);
      expect(spans[spans.length - 1].end).toBe(seed.bytes.length);
      const starts = new Set(spans.map((s) => s.start).concat([seed.bytes.length]));
      for (let cut = 1; cut <= seed.bytes.length; cut++) {
        const { frames, out } = readAll(seed.bytes.subarray(0, cut), 1 + (cut % 97));
        const whole = spans.filter((s) => s.frame && s.end <= cut).length;
        expect(frames, `cut at ${cut}`).toBe(whole);
        if (starts.has(cut)) {
          expect(out.error, `cut at boundary ${cut}`).toBeUndefined();
          continue;
        }
        const rec = spans.find((s) => s.start < cut && cut < s.end)!;
        expect(out.error, `cut at ${cut}`).toBeDefined();
        if (cut < 4) {
          // Too few bytes to tell a capture from anything else.
          expect(out.error!.message).toMatch(/^This is not a capture file: it looks like a file too short to be a capture/);
          continue;
        }
        const e = out.error!;
        expect(e.message).toMatch(/appears to have been cut short in the middle of/);
        expect(e.frame).toBe(whole + 1);
        expect(e.offset).toBe(rec.start);
        expect(e.message).toContain(`frame ${e.frame}`);
        expect(e.message).toContain(`byte offset ${e.offset}`);
      }
    });
  }

  it('a gzip file cut anywhere in its compressed data keeps the frames before the cut and says it ends early', async () => {
    const plain = writePcap(conversation('x'.repeat(200)));
    const z = gzipSync(plain, { level: 9 });
    const full = readAll(plain).frames;
    for (let cut = 10; cut < z.length - 8; cut++) {
      const { frames, out } = readAll(z.subarray(0, cut), 1 + (cut % 13));
      expect(frames).toBeLessThanOrEqual(full);
      expect(out.error, `cut at ${cut}`).toBeDefined();
      expect(out.error!.message).toMatch(/cut short|ends early/);
      expect(out.error!.message).toContain(`frame ${frames + 1}`);
      expect(out.error!.message).toContain('of the uncompressed data');
    }
    expect(readAll(z).out.error).toBeUndefined();
  });
});

describe("damage in tshark's words, with frame number and byte offset", () => {
  const conv = conversation('hello');
  const pcap = writePcap(conv);
  const recs = layout(pcap).filter((s) => s.frame);

  it('a pcap record declaring a 2 GB packet', async () => {
    const b = pcap.slice();
    u32(b, recs[3].start + 8, 0x7fffffff);
    const { res } = await load(b);
    expect(res.frames).toBe(3);
    expect(res.error!.message).toBe(
      `The file appears to be damaged or corrupt at frame 4 (the record at byte offset ${recs[3].start}): pcap: File has 2147483647-byte packet, bigger than maximum of 262144.`,
    );
    expect(res.error!.frame).toBe(4);
    expect(res.error!.offset).toBe(recs[3].start);
  });

  it('a pcap file cut in the middle of a packet', async () => {
    const { res } = await load(pcap.subarray(0, recs[5].start + 20));
    expect(res.frames).toBe(5);
    expect(res.error!.message).toBe(
      `The file appears to have been cut short in the middle of a packet: frame 6 (the record at byte offset ${recs[5].start}) is incomplete, only 20 of its ${recs[5].end - recs[5].start} bytes are present.`,
    );
  });

  it('a pcap file cut inside its file header', async () => {
    const { res } = await load(pcap.subarray(0, 10));
    expect(res.frames).toBe(0);
    expect(res.error!.message).toMatch(/cut short in the middle of its pcap file header \(byte offset 0, before frame 1\): only 10 of its 24 bytes/);
  });

  const ng = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: packetBlocks(conv) }]);
  const blocks = layout(ng);
  const epbs = blocks.filter((s) => s.type === 6);

  it('pcapng: an interface id out of range', async () => {
    const b = ng.slice();
    u32(b, epbs[2].start + 8, 5);
    const { res } = await load(b);
    expect(res.frames).toBe(2);
    expect(res.error!.message).toBe(
      `The file appears to be damaged or corrupt at frame 3 (the record at byte offset ${epbs[2].start}): pcapng: interface index 5 is not less than section interface count 1.`,
    );
  });

  it('pcapng: a zero-length block, a block of gigabytes, mismatched lengths, a captured length too big for its block', async () => {
    const at = epbs[4].start;
    const zero = concat([ng.subarray(0, at), new Uint8Array(12), ng.subarray(at)]);
    expect((await load(zero)).res.error!.message).toBe(
      `The file appears to be damaged or corrupt at byte offset ${at}, before frame 5: pcapng: total block length 0 of an unknown block type is less than the minimum block size 12.`,
    );
    const huge = ng.slice();
    u32(huge, at + 4, 0xfffffff0);
    expect((await load(huge)).res.error!.message).toContain(`pcapng: total block length 4294967280 is too large (> ${MAX_BLOCK})`);
    const trailer = ng.slice();
    u32(trailer, epbs[4].end - 4, 8);
    const len = epbs[4].end - at;
    expect((await load(trailer)).res.error!.message).toContain(`frame 5 (the record at byte offset ${at}): pcapng: total block lengths (first ${len} and second 8) don't match`);
    const cap = ng.slice();
    u32(cap, at + 20, len);
    expect((await load(cap)).res.error!.message).toContain(`pcapng: total block length ${len} of an EPB is too small for ${len} bytes of packet data`);
    const big = ng.slice();
    u32(big, at + 20, 300000);
    expect((await load(big)).res.error!.message).toContain('pcapng: cap_len 300000 is larger than 262144');
    for (const b of [zero, huge, trailer, cap, big]) expect((await load(b)).res.frames).toBe(4);
  });

  it('pcapng: a simple packet block must hold exactly its captured length (original length cut to the snapshot length), as tshark reads it', async () => {
    const f = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 80, seq: 1, ack: 1, flags: 'A', len: 60 }); // 114 bytes
    const spb = (snapLen: number, data: Uint8Array, origLen?: number) =>
      writePcapng([{ interfaces: [{ linkType: 1, snapLen }], blocks: [{ spb: { data, origLen } }, { spb: { data, origLen } }] }]);
    // Messages and values as tshark 4.0.17 prints them for these files.
    const fits = await load(spb(64, f.subarray(0, 64), 114));
    expect(fits.res.error).toBeUndefined();
    expect(fits.res.frames).toBe(2);
    expect([fits.s.frames.capLen[0], fits.s.frames.origLen[0]]).toEqual([64, 114]);
    const longer = await load(spb(64, f)); // 114 bytes stored, the snapshot length says 64
    expect(longer.res.frames).toBe(0);
    expect(longer.res.error!.message).toContain("frame 1 (the record at byte offset 48): pcapng: total block lengths (first 132 and second 1852664940) don't match");
    const padded = await load(spb(0, f, 60)); // original length 60, 114 bytes stored
    expect(padded.res.error!.message).toContain("pcapng: total block lengths (first 132 and second 1785292904) don't match");
    const short = await load(spb(0, f.subarray(0, 52), 114));
    expect(short.res.error!.message).toContain('pcapng: total block length 68 of an SPB is too small for 114 bytes of packet data');
  });

  it('pcapng: a block length that is not a multiple of 4 is rounded up, as wiretap does', async () => {
    const b = ng.slice();
    u32(b, epbs[1].start + 4, epbs[1].end - epbs[1].start - 2);
    const { res } = await load(b);
    expect(res.error).toBeUndefined();
    expect(res.frames).toBe(conv.length);
  });

  it('pcapng: a section in the other byte order mid-file is read; a flipped byte-order magic is damage', async () => {
    const two = concat([ng, writePcapng([{ bigEndian: true, interfaces: [{ linkType: 1 }], blocks: packetBlocks(conv) }])]);
    const { res } = await load(two);
    expect(res.error).toBeUndefined();
    expect(res.frames).toBe(2 * conv.length);
    const bad = two.slice();
    bad.set([0x11, 0x22, 0x33, 0x44], ng.length + 8);
    const r2 = (await load(bad)).res;
    expect(r2.frames).toBe(conv.length);
    expect(r2.error!.message).toContain(`at byte offset ${ng.length}, before frame ${conv.length + 1}: pcapng: unknown byte-order magic 0x11223344`);
  });

  it('gzip: damaged compressed data stops with a message, frames before it stay', async () => {
    const z = gzipSync(writePcap(Array.from({ length: 400 }, (_, i) => ({ ts: DEFAULT_EPOCH, data: tcpFrame({ src: '192.0.2.1', dst: '198.51.100.2', sport: 1000 + i, dport: 80, seq: i, ack: 0, flags: 0x02, payload: utf8(String(i * 7919).repeat(20)) }) }))));
    z[Math.floor(z.length * 0.8)] ^= 0xff;
    z[Math.floor(z.length * 0.8) + 1] ^= 0x55;
    const { res } = await load(z);
    expect(res.frames).toBeGreaterThan(0);
    expect(res.frames).toBeLessThan(400);
    expect(res.error!.message).toMatch(/^The file appears to (be damaged or corrupt|have been cut short)/);
    expect(res.error!.message).toContain(`frame ${res.frames + 1}`);
  });
});

describe('files that are not captures', () => {
  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), 'an empty file'],
    ['text', utf8('Hello, this is a README about my capture.\n'), 'a text file'],
    ['HTML', utf8('<!doctype html><script>alert(1)</script>'), 'an HTML or XML text file'],
    ['JSON', utf8('[{"_index": "packets"}]'), 'a JSON text file'],
    ['PNG', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0]), 'a PNG image'],
    ['ZIP', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, ...new Array(30).fill(0)]), 'a ZIP archive'],
    ['gzip of text', gzipSync(utf8('just some text, not packets\n'.repeat(5))), 'gzip-compressed, and the uncompressed data looks like a text file'],
    ['one byte', Uint8Array.of(0x1f), 'a file too short to be a capture'],
  ];
  for (const [name, bytes, looks] of cases) {
    it(`${name}: says what it looks like and which formats seqscope reads`, async () => {
      const { res } = await load(bytes);
      expect(res.frames).toBe(0);
      expect(res.format).toBeUndefined();
      expect(res.error!.message).toContain(looks);
      expect(res.error!.message).toContain(`seqscope reads ${READABLE_FORMATS}`);
      expect(res.error!.message).toMatch(/^This is not a capture file/);
    });
  }

  it('a pcapng file with a garbage byte-order magic is "not a capture"', async () => {
    const b = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: packetBlocks(conversation()) }]);
    b.set([1, 2, 3, 4], 8);
    const { res } = await load(b);
    expect(res.error!.message).toMatch(/^This is not a capture file: it starts like a pcapng file, but its byte-order magic is 0x01020304/);
  });

  it('unknown link types still list every frame (with a note, no error)', async () => {
    for (const lt of [147, 65000]) {
      const c = await checkCapture(writePcap(conversation(), { linkType: lt }));
      expect(c.problems).toEqual([]);
      expect(c.result!.error).toBeUndefined();
      expect(c.frames).toBe(conversation().length);
    }
  });
});

describe('enormous inputs', () => {
  /** A source that claims a huge size and makes its bytes up on demand, counting what was read. */
  class LazySource implements ByteSource {
    readonly name = 'lazy';
    bytesRead = 0;
    constructor(
      readonly size: number,
      private readonly gen: (offset: number, length: number) => Uint8Array,
    ) {}
    read(offset: number, length: number): Promise<Uint8Array> {
      const n = Math.max(0, Math.min(length, this.size - offset));
      this.bytesRead += n;
      return Promise.resolve(this.gen(offset, n));
    }
  }

  it('declared lengths of gigabytes stop at once, without buffering for them', async () => {
    const head = writePcap(conversation()).subarray(0, 24);
    const rec = new Uint8Array(16);
    u32(rec, 8, 3 * 1024 * 1024 * 1024);
    const prefix = concat([head, rec]);
    const src = new LazySource(8 * 1024 * 1024 * 1024, (o, n) => {
      const b = new Uint8Array(n);
      if (o < prefix.length) b.set(prefix.subarray(o, o + n));
      return b;
    });
    const s = new CaptureSession(src);
    const res = await s.load({ chunkSize: 1 << 20 });
    expect(res.frames).toBe(0);
    expect(res.error!.message).toContain('File has 3221225472-byte packet, bigger than maximum of 262144');
    expect(src.bytesRead).toBeLessThanOrEqual(1 << 20);

    const ng = writePcapng([{ interfaces: [{ linkType: 1 }], blocks: [] }]);
    for (const [off, v] of [[4, 0xfffffffc], [20, 0x80000000]] as const) {
      const blk = new Uint8Array(32);
      u32(blk, 0, 6);
      u32(blk, 4, 32);
      u32(blk, off, v);
      const r = readAll(concat([ng, blk, new Uint8Array(4096)]), 512);
      expect(r.out.error).toBeDefined();
      expect(r.peak).toBeLessThan(64 * 1024);
    }
  });

  it('a million tiny frames stream through: only the frame table is kept (≤ 1.1 × BYTES_PER_FRAME per frame)', async () => {
    const N = 1_000_000;
    const frame = new Uint8Array(14);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    const rec = concat([new Uint8Array(16), frame]);
    u32(rec, 8, 14);
    u32(rec, 12, 14);
    const head = writePcap([]);
    const size = head.length + N * rec.length;
    const src = new LazySource(size, (o, n) => {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const p = o + i;
        b[i] = p < head.length ? head[p] : rec[(p - head.length) % rec.length];
      }
      return b;
    });
    const s = new CaptureSession(src);
    const res = await s.load({ chunkSize: 1 << 20 });
    expect(res.error).toBeUndefined();
    expect(res.frames).toBe(N);
    expect(s.frames.retainedBytes() / N).toBeLessThanOrEqual(FrameTable.BYTES_PER_FRAME * 1.1);
    // The reader itself only ever holds a partial record next to the chunk being parsed.
    let frames = 0;
    const r = new CaptureReader({ onFrame: () => void frames++ });
    for (let o = 0; o < size; o += 1 << 20) r.push(await src.read(o, 1 << 20));
    r.end();
    expect(frames).toBe(N);
    expect(r.peakBuffered).toBeLessThanOrEqual(2 << 20);
  });

  it('a gzip bomb is inflated a slice at a time (no single giant buffer)', () => {
    const head = writePcap([]);
    // 64 MiB of zero bytes after the header = 4 Mi empty records of 16 bytes.
    const z = gzipSync(concat([head, new Uint8Array(64 << 20)]), { level: 9 });
    expect(z.length).toBeLessThan(1 << 20);
    let frames = 0;
    let biggest = 0;
    const r = new CaptureReader({ onFrame: () => void frames++ });
    r.push(z);
    r.end();
    biggest = r.peakBuffered;
    expect(frames).toBe((64 << 20) / 16);
    expect(biggest).toBeLessThan(16 << 20);
  });
});

describe('frames cut by the snapshot length', () => {
  const eth = (et: number, pl: Uint8Array) => concat([Uint8Array.from([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, et >> 8, et & 255]), pl]);
  const ip = (proto: number, pl: Uint8Array) => {
    const h = new Uint8Array(20);
    h[0] = 0x45;
    new DataView(h.buffer).setUint16(2, 20 + pl.length);
    h[8] = 64;
    h[9] = proto;
    h.set([192, 0, 2, 1, 192, 0, 2, 2], 12);
    return concat([h, pl]);
  };
  const udp = concat([Uint8Array.from([0x13, 0x88, 0x13, 0x89, 0, 108, 0, 0]), new Uint8Array(100).fill(65)]);
  const frames = [eth(0x0800, ip(17, udp)), tcpFrame({ src: '192.0.2.1', dst: '198.51.100.2', sport: 1, dport: 2, seq: 100, ack: 1, flags: 0x18, payload: new Uint8Array(100).fill(66) }), eth(0x0800, ip(99, new Uint8Array(50))), eth(0x88b5, new Uint8Array(100))];

  // Expected from tshark 4.0.17 on the same frames (editcap -s 60 / -s 40 / -s 24).
  const cases: [number, string[]][] = [
    [60, ['', 'TCP', '', '']],
    [40, ['UDP', 'TCP', '', '']],
    [24, ['IPv4', 'IPv4', 'IPv4', '']],
  ];
  for (const [snap, want] of cases) {
    it(`snapshot length ${snap}: "${SIZE_LIMITED}" exactly where tshark writes it`, async () => {
      const specs: Record_[] = frames.map((f) => ({ ts: DEFAULT_EPOCH, data: f.subarray(0, snap), origLen: f.length }));
      const bytes = writePcap(specs, { snapLen: snap });
      const c = await checkCapture(bytes);
      expect(c.problems).toEqual([]);
      const dec = new Decoder();
      const p = new Packet();
      const got = specs.map((f, i) => {
        dec.decode(p, f.data, 0, f.data.length, f.origLen!, 1, i + 1);
        expect(sizeLimitedSuffix(p, f.data, 0, f.data.length, f.origLen!)).toBe(truncatedProtocol(p, f.data, 0, f.data.length, f.origLen!) ? SIZE_LIMITED : '');
        return truncatedProtocol(p, f.data, 0, f.data.length, f.origLen!);
      });
      expect(got).toEqual(want);
    });
  }

  it('a frame that is not cut is never flagged', () => {
    const dec = new Decoder();
    const p = new Packet();
    for (const f of frames) {
      dec.decode(p, f, 0, f.length, f.length, 1, 1);
      expect(truncatedProtocol(p, f, 0, f.length, f.length)).toBe('');
    }
  });
});

/**
 * Test support: structure-aware mutators for pcap / pcapng / gzip captures. Each mutant says
 * what it changed (`at`: first changed byte) and what a correct reader must do with it.
 */
import { gzipSync } from 'fflate';
import { concat, layout, type RecordSpan } from './build';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  spans: RecordSpan[];
  /** Frame records, in order (a subset of spans). */
  frames: RecordSpan[];
  pcapng: boolean;
}

export function makeSeed(name: string, bytes: Uint8Array): Seed | undefined {
  const spans = layout(bytes);
  if (!spans.length || spans[spans.length - 1].end !== bytes.length) return undefined;
  return { name, bytes, spans, frames: spans.filter((s) => s.frame), pcapng: spans[0].type !== -2 };
}

export interface Expect {
  /** Exactly this many frames. */
  frames?: number;
  /** 'yes': an error must be reported; 'no': none may be. */
  error?: 'yes' | 'no';
  /** The error must point at this frame number / byte offset. */
  errorFrame?: number;
  errorOffset?: number;
}

export interface Mutant {
  kind: string;
  seed: string;
  bytes: Uint8Array;
  /** First changed byte (logical = file offset for uncompressed mutants); frames ending before it must be read unchanged. */
  at: number;
  gzip: boolean;
  expect: Expect;
}

export const MUTATORS = [
  'bitflip',
  'pcap-incl-len',
  'pcap-orig-len',
  'block-total-len',
  'block-trailer-len',
  'option-len',
  'epb-caplen',
  'truncate-boundary',
  'truncate-inside',
  'huge-length',
  'zero-length-block',
  'iface-out-of-range',
  'byte-order-flip',
  'idb-duplicate',
  'idb-remove',
  'gzip-bitflip',
  'gzip-truncate',
  'payload-bytes',
] as const;
export type MutatorKind = (typeof MUTATORS)[number];

const INTERESTING = [0, 1, 2, 3, 4, 7, 8, 11, 12, 13, 15, 16, 20, 24, 28, 31, 32, 0x7f, 0xff, 0x100, 0xffff, 0x10000, 262144, 262145, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc, 0xffffffff];
const HUGE = [0x40000000, 0x7fffffff, 0x80000000, 0xc0000000, 0xfffffff0, 0xffffffff, 3 * 1024 * 1024 * 1024];

function put32(b: Uint8Array, o: number, v: number, le: boolean): void {
  if (o + 4 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(o, v >>> 0, le);
}
function get32(b: Uint8Array, o: number, le: boolean): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, le);
}
function put16(b: Uint8Array, o: number, v: number, le: boolean): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(o, v & 0xffff, le);
}

/** 16, or 24 for Kuznetsov's modified pcap. */
function recordHeaderLength(seed: Seed): number {
  const m = get32(seed.bytes, 0, seed.spans[0].le);
  return m === 0xa1b2cd34 ? 24 : 16;
}

/** Frames whose record lies wholly before `cut`. */
function framesBefore(seed: Seed, cut: number): number {
  let n = 0;
  for (const f of seed.frames) if (f.end <= cut) n++;
  return n;
}

/**
 * Make mutant number `i` of kind `kind` from `seed`, or undefined when the kind does not apply
 * (e.g. an IDB mutation on a classic pcap file).
 */
export function mutate(seed: Seed, kind: MutatorKind, r: () => number): Mutant | undefined {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const b = seed.bytes.slice();
  const base = { kind, seed: seed.name, gzip: false };
  const blocks = (pred: (s: RecordSpan) => boolean) => seed.spans.filter(pred);
  const dataFrames = seed.frames;
  switch (kind) {
    case 'payload-bytes': {
      // Application payload damage: bytes near the end of a frame (where DNS names, HTTP headers
      // and TLS lengths live) set to values dissectors trip on: pointers, 0xff lengths, line ends.
      if (!dataFrames.length) return undefined;
      const f = pick(dataFrames);
      const hdr = seed.pcapng ? 28 : recordHeaderLength(seed);
      const lo = f.start + hdr + Math.floor((f.end - f.start - hdr) / 2);
      if (lo >= f.end - 1) return undefined;
      const n = int(1, 6);
      let at = Infinity;
      for (let k = 0; k < n; k++) {
        const o = int(lo, f.end - 1);
        b[o] = pick([0x00, 0x0a, 0x0d, 0x16, 0x03, 0x3a, 0x7f, 0xc0, 0xc1, 0xff, int(0, 255)]);
        at = Math.min(at, o);
      }
      return { ...base, bytes: b, at, expect: seed.pcapng ? {} : { frames: dataFrames.length, error: 'no' } };
    }
    case 'bitflip': {
      const n = int(1, 8);
      let at = Infinity;
      for (let k = 0; k < n; k++) {
        const o = int(0, b.length - 1);
        b[o] ^= 1 << int(0, 7);
        at = Math.min(at, o);
      }
      return { ...base, bytes: b, at, expect: {} };
    }
    case 'pcap-incl-len':
    case 'pcap-orig-len': {
      if (seed.pcapng || !dataFrames.length) return undefined;
      const f = pick(dataFrames);
      const v = r() < 0.5 ? pick(INTERESTING) : int(0, f.end - f.start + 64);
      put32(b, f.start + (kind === 'pcap-incl-len' ? 8 : 12), v, f.le);
      return { ...base, bytes: b, at: f.start, expect: kind === 'pcap-orig-len' ? { frames: dataFrames.length, error: 'no' } : {} };
    }
    case 'block-total-len':
    case 'block-trailer-len': {
      if (!seed.pcapng) return undefined;
      const s = pick(seed.spans);
      const v = r() < 0.6 ? pick(INTERESTING) : int(0, s.end - s.start + 64);
      put32(b, kind === 'block-total-len' ? s.start + 4 : s.end - 4, v, s.le);
      const len = s.end - s.start;
      const same = v === len || (v > len - 4 && v <= len && kind === 'block-total-len');
      return { ...base, bytes: b, at: s.start, expect: same ? {} : kind === 'block-trailer-len' ? { error: 'yes', frames: framesBefore(seed, s.start) } : {} };
    }
    case 'option-len': {
      if (!seed.pcapng) return undefined;
      // Option areas: SHB after 24 bytes, IDB after 16, EPB after its padded data.
      const cands = blocks((s) => s.type === 0x0a0d0d0a || s.type === 1 || s.type === 6);
      const s = pick(cands);
      let o = s.start + (s.type === 1 ? 16 : s.type === 6 ? 28 : 24);
      if (s.type === 6) o += (get32(b, s.start + 20, s.le) + 3) & ~3;
      if (o + 4 > s.end - 4) o = s.start + 8 + 4 * int(0, Math.max(0, (s.end - s.start - 16) / 4));
      if (o + 4 > b.length) return undefined;
      put16(b, o + 2, r() < 0.5 ? pick(INTERESTING) : int(0, 200), s.le);
      if (r() < 0.3) put16(b, o, pick([1, 2, 3, 9, 14, 0xffff, 2988, 2989]), s.le);
      return { ...base, bytes: b, at: s.start, expect: {} };
    }
    case 'epb-caplen': {
      const eps = blocks((s) => s.type === 6);
      if (!eps.length) return undefined;
      const s = pick(eps);
      put32(b, s.start + 20, r() < 0.5 ? pick(INTERESTING) : int(0, s.end - s.start), s.le);
      return { ...base, bytes: b, at: s.start, expect: {} };
    }
    case 'truncate-boundary': {
      const s = pick(seed.spans);
      const cut = r() < 0.5 ? s.start : s.end;
      if (cut === 0) return undefined;
      return { ...base, bytes: b.subarray(0, cut), at: cut, expect: { frames: framesBefore(seed, cut), error: 'no' } };
    }
    case 'truncate-inside': {
      const s = pick(seed.spans);
      if (s.start === 0) return undefined; // inside the file header: "not a capture" or "cut short", checked elsewhere
      const cut = int(s.start + 1, s.end - 1);
      return { ...base, bytes: b.subarray(0, cut), at: cut, expect: { frames: framesBefore(seed, cut), error: 'yes', errorFrame: framesBefore(seed, cut) + 1, errorOffset: s.start } };
    }
    case 'huge-length': {
      const cands = seed.pcapng ? seed.spans.filter((s) => s.start > 0) : dataFrames;
      if (!cands.length) return undefined;
      const s = pick(cands);
      const v = pick(HUGE);
      if (seed.pcapng && s.type === 6 && r() < 0.5) put32(b, s.start + 20, v, s.le);
      else put32(b, s.start + (seed.pcapng ? 4 : 8), v, s.le);
      const before = framesBefore(seed, s.start);
      return { ...base, bytes: b, at: s.start, expect: { frames: before, error: 'yes', errorFrame: before + 1, errorOffset: s.start } };
    }
    case 'zero-length-block': {
      const s = pick(seed.spans.filter((x) => x.start > 0).concat(seed.spans.length ? [{ ...seed.spans[seed.spans.length - 1], start: b.length, end: b.length }] : []));
      if (!s) return undefined;
      const before = framesBefore(seed, s.start);
      if (!seed.pcapng) {
        // A zero-length pcap record is a legal, empty frame.
        const rec = new Uint8Array(recordHeaderLength(seed));
        put32(rec, 0, 1700000000, s.le);
        const out = concat([b.subarray(0, s.start), rec, b.subarray(s.start)]);
        return { ...base, bytes: out, at: s.start, expect: { frames: dataFrames.length + 1, error: 'no' } };
      }
      const blk = new Uint8Array(int(0, 1) ? 12 : 8);
      put32(blk, 0, pick([6, 1, 2, 3, 5, 0x80000001]), s.le);
      const out = concat([b.subarray(0, s.start), blk, b.subarray(s.start)]);
      return { ...base, bytes: out, at: s.start, expect: { frames: before, error: 'yes', errorFrame: before + 1, errorOffset: s.start } };
    }
    case 'iface-out-of-range': {
      const eps = blocks((s) => s.type === 6);
      if (!eps.length) return undefined;
      const s = pick(eps);
      // Interfaces described in this section so far (IDBs may follow packets, so count those before it).
      const shb = seed.spans.filter((x) => x.type === 0x0a0d0d0a && x.start <= s.start).pop()!;
      const count = seed.spans.filter((x) => x.type === 1 && x.start > shb.start && x.start < s.start).length;
      put32(b, s.start + 8, pick([count, count + 1, 0xffff, 0x10000, 0xffffffff]), s.le);
      const before = framesBefore(seed, s.start);
      return { ...base, bytes: b, at: s.start, expect: { frames: before, error: 'yes', errorFrame: before + 1, errorOffset: s.start } };
    }
    case 'byte-order-flip': {
      if (!seed.pcapng) return undefined;
      const shbs = blocks((s) => s.type === 0x0a0d0d0a);
      if (r() < 0.5 && shbs.length) {
        // Flip the byte-order magic of a section header: that section's blocks no longer parse.
        const s = pick(shbs);
        for (let k = 0; k < 4; k++) b[s.start + 8 + k] = seed.bytes[s.start + 11 - k];
        return { ...base, bytes: b, at: s.start, expect: { frames: framesBefore(seed, s.start), error: 'yes' } };
      }
      // Insert a section header of the other byte order between two blocks, without re-encoding what follows.
      const s = pick(seed.spans.filter((x) => x.start > 0));
      if (!s) return undefined;
      const le = !s.le;
      const shb = new Uint8Array(28);
      put32(shb, 0, 0x0a0d0d0a, le);
      put32(shb, 4, 28, le);
      put32(shb, 8, 0x1a2b3c4d, le);
      put16(shb, 12, 1, le);
      shb.fill(0xff, 16, 24);
      put32(shb, 24, 28, le);
      const out = concat([b.subarray(0, s.start), shb, b.subarray(s.start)]);
      return { ...base, bytes: out, at: s.start, expect: {} };
    }
    case 'idb-duplicate':
    case 'idb-remove': {
      const idbs = blocks((s) => s.type === 1);
      if (!idbs.length) return undefined;
      const s = pick(idbs);
      if (kind === 'idb-duplicate') {
        const out = concat([b.subarray(0, s.end), b.subarray(s.start, s.end), b.subarray(s.end)]);
        return { ...base, bytes: out, at: s.end, expect: { frames: dataFrames.length, error: 'no' } };
      }
      const out = concat([b.subarray(0, s.start), b.subarray(s.end)]);
      return { ...base, bytes: out, at: s.start, expect: {} };
    }
    case 'gzip-bitflip':
    case 'gzip-truncate': {
      if (seed.bytes.length > 1 << 20) return undefined;
      const z = gzipSync(seed.bytes, { level: 6 });
      if (kind === 'gzip-truncate') {
        const cut = int(1, z.length - 1);
        // Cut inside the deflate data (not the 8-byte trailer): the data ends early.
        return { ...base, gzip: true, bytes: z.subarray(0, cut), at: 0, expect: cut >= 10 && cut < z.length - 8 ? { error: 'yes' } : {} };
      }
      const n = int(1, 4);
      for (let k = 0; k < n; k++) z[int(10, z.length - 1)] ^= 1 << int(0, 7);
      return { ...base, gzip: true, bytes: z, at: 0, expect: {} };
    }
  }
}

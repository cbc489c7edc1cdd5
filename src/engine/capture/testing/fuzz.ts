/**
 * Test support: the fuzz driver. Mutant `i` of run `seed` is fully determined by (seed, i):
 * its kind is MUTATORS[i mod n] (round robin, so every kind is tried), its corpus capture and
 * its mutation come from a PRNG seeded with (seed, i). Hosts: scripts/fuzz.mjs (in a worker
 * thread, with a hang watchdog) and src/engine/fuzz.test.ts (through that script).
 */
import { gunzipSync } from 'fflate';
import { buildPcap, buildPcapng, concat, conversation, tcpFrame, type FrameSpec } from './build';
import { makeSeed, mutate, MUTATORS, rng, type Mutant, type Seed } from './mutate';
import { checkCapture, readKeys, type FrameKey } from './check';

export interface FuzzOptions {
  seed: number;
  /** Mutants to try (first index `from`, default 0). */
  count: number;
  from?: number;
  /** Polled between mutants: stop early when it returns true. */
  stop?: () => boolean;
  /** Corpus captures besides the built-in ones (pcap, pcapng or gzip of either). */
  corpus?: { name: string; bytes: Uint8Array }[];
  /** Called before each mutant (the watchdog's heartbeat). */
  onStart?: (i: number, kind: string, seed: string) => void;
  /** Every `sampleEvery`-th mutant is handed back for a run through the built CLI. */
  sampleEvery?: number;
}

export interface Sample {
  index: number;
  kind: string;
  seed: string;
  bytes: Uint8Array;
  frames: number;
  error: string | undefined;
}

export interface Failure {
  index: number;
  kind: string;
  seed: string;
  problems: string[];
  bytes: Uint8Array;
}

export interface FuzzSummary {
  seed: number;
  mutants: number;
  seeds: string[];
  /** Per mutator: mutants tried, how many the reader reported as damaged, frames read in all. */
  kinds: Record<string, { tried: number; errors: number; frames: number }>;
  failures: Failure[];
  samples: Sample[];
}

/** The built-in corpus: every format and layout the readers handle, with comments, options and odd link types. */
export function builtinCorpus(): { name: string; bytes: Uint8Array }[] {
  const conv = conversation('GET / HTTP/1.1\r\nHost: example.test\r\n\r\n');
  const raw: FrameSpec[] = conv.map((f) => ({ ...f, data: f.data.subarray(14) }));
  const cut: FrameSpec[] = conv.map((f) => ({ ...f, data: f.data.subarray(0, Math.min(f.data.length, 60)), origLen: f.data.length }));
  const twoIf: FrameSpec[] = conv.map((f, i) => (i % 2 ? { ...f, iface: 1, data: f.data.subarray(14) } : { ...f, comment: `frame ${i} <b>comment</b>` }));
  return [
    { name: 'pcap-le-usec', bytes: buildPcap(conv) },
    { name: 'pcap-be-nsec', bytes: buildPcap(conv, { le: false, nsec: true }) },
    { name: 'pcap-modified', bytes: buildPcap(conv, { modified: true }) },
    { name: 'pcap-raw-ip', bytes: buildPcap(raw, { linkType: 101 }) },
    { name: 'pcap-unknown-linktype', bytes: buildPcap(conv, { linkType: 147 }) },
    { name: 'pcap-snaplen-60', bytes: buildPcap(cut, { snapLen: 60 }) },
    { name: 'pcap-zero-length-frames', bytes: buildPcap([{ data: new Uint8Array(0) }, ...conv.slice(0, 3), { data: new Uint8Array(0), origLen: 60 }]) },
    {
      name: 'pcapng-le-two-ifaces',
      bytes: buildPcapng({ sectionComment: 'section <script>x</script>', interfaces: [{ linkType: 1, name: 'eth0' }, { linkType: 101, tsresol: 9 }], frames: twoIf, extraBlocks: true }),
    },
    { name: 'pcapng-be', bytes: buildPcapng({ le: false, interfaces: [{ linkType: 1 }], frames: conv }) },
    { name: 'pcapng-simple-blocks', bytes: buildPcapng({ interfaces: [{ linkType: 1, snapLen: 1500 }], frames: conv, simple: true }) },
    {
      name: 'pcapng-two-sections-le-be',
      bytes: concat([buildPcapng({ interfaces: [{ linkType: 1 }], frames: conv.slice(0, 4) }), buildPcapng({ le: false, interfaces: [{ linkType: 101 }], frames: raw.slice(4) })]),
    },
    { name: 'pcap-many-tiny', bytes: buildPcap(Array.from({ length: 300 }, (_, i) => ({ data: tcpFrame({ sport: 1000 + (i % 7), dport: 80, seq: i * 10, ack: 1, flags: 0x10 }), tsUsec: i }))) },
  ];
}

function toSeed(c: { name: string; bytes: Uint8Array }): Seed | undefined {
  let b = c.bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = gunzipSync(b);
    } catch {
      return undefined;
    }
  }
  return makeSeed(c.name, b);
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const seeds = [...builtinCorpus(), ...(o.corpus ?? [])].map(toSeed).filter((s): s is Seed => s !== undefined);
  const originals = new Map<string, FrameKey[]>();
  for (const s of seeds) originals.set(s.name, await readKeys(s.bytes));
  const summary: FuzzSummary = { seed: o.seed, mutants: 0, seeds: seeds.map((s) => s.name), kinds: {}, failures: [], samples: [] };
  const from = o.from ?? 0;
  for (let i = from; i < from + o.count; i++) {
    if (o.stop?.()) break;
    const m = makeMutant(seeds, o.seed, i);
    if (!m) continue;
    o.onStart?.(i, m.kind, m.seed);
    const seed = seeds.find((s) => s.name === m.seed)!;
    const r = rng(o.seed * 7919 + i * 31 + 17);
    const smallChunk = 2 + Math.floor(r() * 700);
    const c = await checkCapture(m.bytes, {
      expect: m.expect,
      original: m.gzip ? undefined : originals.get(m.seed),
      frameEnds: seed.frames.map((f) => f.end),
      at: m.gzip ? undefined : m.at,
      smallChunk,
      projectLimit: 120,
    });
    summary.mutants++;
    const k = (summary.kinds[m.kind] ??= { tried: 0, errors: 0, frames: 0 });
    k.tried++;
    k.frames += c.frames;
    if (c.result?.error) k.errors++;
    if (c.problems.length) summary.failures.push({ index: i, kind: m.kind, seed: m.seed, problems: c.problems, bytes: m.bytes });
    if (o.sampleEvery && i % o.sampleEvery === 0) summary.samples.push({ index: i, kind: m.kind, seed: m.seed, bytes: m.bytes, frames: c.frames, error: c.result?.error?.message });
  }
  return summary;
}

/** Mutant `i` of run `seed` (undefined when its mutator does not apply to the capture drawn). */
export function makeMutant(seeds: Seed[], seed: number, i: number): Mutant | undefined {
  const r = rng(seed * 1000003 + i);
  const kind = MUTATORS[i % MUTATORS.length];
  // Draw captures until the mutator applies (a few tries: e.g. IDB mutations need pcapng).
  for (let t = 0; t < 8; t++) {
    const s = seeds[Math.floor(r() * seeds.length)];
    const m = mutate(s, kind, r);
    if (m) return m;
  }
  return undefined;
}

/** Rebuild mutant `i` of run `seed` (to save it as a fixture). */
export function mutantBytes(seed: number, i: number, corpus: { name: string; bytes: Uint8Array }[] = []): Mutant | undefined {
  const seeds = [...builtinCorpus(), ...corpus].map(toSeed).filter((s): s is Seed => s !== undefined);
  return makeMutant(seeds, seed, i);
}
